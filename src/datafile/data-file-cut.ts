/**
 * One builder for "a data file cut short": a database file (.mdf/.ndf, or a file whose page 0 is a
 * file header page and that is cut before anything tells a data file from a log file) holding fewer
 * bytes than its file header page (page 0, type 15) says it has. The facts are the file id, the size
 * page 0 states (variable column 4 of its record, in 8 KB pages: file-header.ts) and the bytes the
 * copy holds; every sentence that says so is written here, with the ending its caller needs.
 */
import { PAGE_SIZE } from './page-source.js';
import { LDF_FIRST_VLF_OFFSET } from '../logreader/ldf/constants.js';

/** What a copy cut short holds against what its file header page (page 0) states. */
export interface DataFileCut {
  /** The file id page 0 gives (m_pageId's file part, or the header record's file id). */
  readonly fileId: number;
  /** The file's size in 8 KB pages as page 0 states it. */
  readonly statedPages: number;
  /** `statedPages` × 8192. */
  readonly statedBytes: number;
  /** The copy's length in bytes. */
  readonly heldBytes: number;
  /** Whole 8 KB pages the copy holds: ⌊heldBytes / 8192⌋; the first missing page is F:wholePages. */
  readonly wholePages: number;
}

/**
 * The facts of a cut, or null when the copy is not cut short: `statedPages` null (page 0 unreadable
 * or without its size column) or no more than the whole pages `heldBytes` holds. Units: pages of
 * 8192 bytes, bytes. Never throws.
 */
export function dataFileCut(fileId: number, statedPages: number | null, heldBytes: number): DataFileCut | null {
  const wholePages = Math.floor(heldBytes / PAGE_SIZE);
  if (statedPages === null || statedPages <= wholePages) return null;
  return { fileId, statedPages, statedBytes: statedPages * PAGE_SIZE, heldBytes, wholePages };
}

/** What to do about any copy cut short, the same in every sentence below. */
const COPY_AGAIN = 'copy the whole file again (with SQL Server stopped or the database detached), or use a backup of the database';

/**
 * How a cut is said, by where the sentence goes:
 * - `missing-page`: the clause after "data file X does not hold page F:P: " (MdfPageSource.whyMissing,
 *   and inspect's FORMAT_PAGE_MISSING item after "data file X: "): `the file is cut short: …`, with
 *   the bytes stated and missing;
 * - `note`: the whole note of scan/dump/log for a result read from the copy (MdfPageSource.cutShortNotes),
 *   starting with `subject` ("data file X"): the result may be whole, the copy is not;
 *   with `comparison`, the note of `diff` for a state read from the copy: a page past the cut
 *   that the comparison needed refuses it (INPUT_UNREADABLE_STATE, replay/compare.ts), so one made
 *   needed none;
 * `backupOption`, the option that reads a backup in the copy's place, as the command names it: `--bak`
 * (the default), `--after-bak` for diff's later state (a data file given as --after-mdf).
 * - `kind-unknown`: the whole refusal of inspect for a file cut before its boot page (page 9) or its
 *   first VLF (offset 8192), so neither a data file nor a log file is told; `subject` is its path.
 */
export type DataFileCutEnding = { as: 'missing-page'; backupOption?: string } | { as: 'note'; subject: string; comparison?: boolean; backupOption?: string } | { as: 'kind-unknown'; subject: string };

/**
 * The sentence saying `cut`, ended as `ending` says (see DataFileCutEnding). The missing pages are
 * F:wholePages to F:statedPages-1 (a page partly held is missing: no page is read from part of it);
 * one missing page is said as one ("page 1:391 is missing", not "pages 1:391 to 1:391 are").
 */
export function dataFileCutText(cut: DataFileCut, ending: DataFileCutEnding): string {
  const { fileId: f, statedPages, statedBytes, heldBytes, wholePages } = cut;
  const one = statedPages - wholePages === 1;
  const missing = (bytes: string) => (one ? `page ${f}:${wholePages}${bytes} is missing` : `pages ${f}:${wholePages} to ${f}:${statedPages - 1}${bytes} are missing`);
  switch (ending.as) {
    case 'missing-page':
      return `the file is cut short: its file header page (page ${f}:0) says it has ${pages(statedPages)} (${statedBytes} bytes), the file holds ${heldBytes} bytes (${pages(wholePages, 'whole ')}), so ${missing(` (${bytes(statedBytes - heldBytes)})`)}; ${COPY_AGAIN} (${ending.backupOption ?? '--bak'})`;
    case 'note':
      return `${ending.subject} is cut short: its file header page (page ${f}:0) says it has ${pages(statedPages)}, the file holds ${heldBytes} bytes (${pages(wholePages, 'whole ')}), so ${missing('')}: the copy is not whole (${ending.comparison ? 'the comparison read no page past the cut: one it needed would have refused it' : 'a page past the cut that this result needed is named among the items skipped'}); ${COPY_AGAIN} (${ending.backupOption ?? '--bak'})`;
    case 'kind-unknown':
      return `${ending.subject} is a SQL Server database file (its page 0 is a file header page, file id ${f}) cut short: its file header page says ${statedBytes} bytes (${pages(statedPages)}), the file holds ${heldBytes}, so ${bytes(statedBytes - heldBytes)} ${statedBytes - heldBytes === 1 ? 'is' : 'are'} missing, among them ${heldBytes <= LDF_FIRST_VLF_OFFSET ? "a log file's first VLF (offset 8192) or " : ''}a data file's boot page (page 9, offset ${9 * PAGE_SIZE}); ${COPY_AGAIN}`;
  }
}

/** `n bytes`, `1 byte`. */
function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/** `n pages`, `1 page`; `kind` goes between ("whole "). */
function pages(n: number, kind = ''): string {
  return `${n} ${kind}page${n === 1 ? '' : 's'}`;
}

/**
 * Whether `head` (the first `head.length` bytes of a file, fewer than 8192) starts as a file header
 * page does: header version 1 at byte 0, page type 15 at byte 1 (the page header, FORMAT-NOTES.md;
 * the test inspect's detectFileKind makes). Such a file is a data or log file cut inside its page 0.
 * Pure; never throws.
 */
export function cutInsideFileHeader(head: Uint8Array): boolean {
  return head.length >= 2 && head.length < PAGE_SIZE && head[0] === 1 && head[1] === 15;
}

/**
 * The refusal for a copy cut inside its first page (cutInsideFileHeader): `subject` (its path) and
 * the bytes it holds, `heldBytes` (2 to 8191). Nothing past the cut is known: not the size page 0
 * states (its record lies in the page body, and the page cannot be verified), nor whether the file is
 * a data or a log file. It was said to be no file header page ("does not start with a SQL Server
 * file header page", "is not a … data file"), which its first bytes are. Pure; never throws.
 */
export function cutInsideFileHeaderText(subject: string, heldBytes: number): string {
  return `${subject} is cut short inside its first page: it starts as a SQL Server database file's file header page does (page 0: header version 1, page type 15) but holds ${bytes(heldBytes)} of that page's ${PAGE_SIZE}, so neither its size nor whether it is a data or a log file can be told, and no page of it can be read; ${COPY_AGAIN}`;
}
