/**
 * The data pages of a full or differential backup as a PageSource. The MQDA streams hold raw
 * 8 KB pages (from the 512-aligned start of each stream payload, FORMAT-NOTES §4), written extent
 * by extent: 8 pages per frame, so the page at index i of a stream payload is slot i mod 8 of its
 * extent. Each page's own header says which page it is (m_pageId: u32 page @32, u16 file @36 of
 * the 96-byte page header — the same header the data-file reader parses).
 *
 * Which page images are indexed (checked on every backup of the corpus):
 * - A slot whose page id field is 0 is an unused page of an allocated extent (all zero, or the
 *   1 MB stream padding): nothing to index.
 * - A slot is placed only when its header is a page header (m_headerVersion 1), names one of the
 *   backup's data files (FILELISTONLY, when known), sits in the frame slot its page id says
 *   (page id mod 8 = index mod 8) and agrees with the extent most of its frame names. The rest
 *   are never-formatted pages of allocated extents (random bytes: seen in the SQL Server 2005
 *   and 2014 files of the corpus) or stale images; they are counted in `stats.unplacedPages`
 *   and never served. This is what keeps invented file ids out of `inspect`.
 * - A frame is written back positionally (BakReader, "MQDA region 2": RESTORE writes whole
 *   frames, slots without a readable header included): a slot of a frame whose extent is known
 *   that holds no usable image (empty, never formatted, naming another page) is a tombstone for
 *   its page, so an earlier copy of that page is never served in its place (it reads as missing).
 * - Pages a backup holds more than once: an online backup copies the extents changed while it
 *   ran again after its main stream (a second MQDA region; FinancialCrm 2019 re-copies extents 0
 *   and 1 this way). RESTORE applies the copies in stream order, so the later copy wins
 *   (StefanMaron/BusinessCentral.BakReader PROVENANCE.md, "Duplicate page images" and "MQDA
 *   region 2", checked there against restored databases). Between stripes of one media set
 *   (written in parallel, no order between them) the copy with the higher page LSN (m_lsn @40)
 *   wins.
 *
 * Memory: the index is a list of runs (file, first page, count, offset) — consecutive pages
 * stored consecutively collapse into one run — so it stays small for large backups. Reads are
 * positioned (one 8 KB read per page) through `BackupBytes` (a compressed backup decompresses
 * the chunk holding the page).
 */
import { FormatError, InputError } from '../errors.js';
import { PAGE_SIZE, type PageSource } from '../datafile/page-source.js';
import { openBackupBytes, type BackupBytes } from './bytes.js';
import { readBackupHeader, refuseEncrypted } from './header.js';
import { headerCopiesProblem, payloadRange, readMtfLayout, streamsOfSet, type MtfLayout } from './mtf.js';

/** A run of consecutive pages stored consecutively in one backup file. */
export interface PageRun {
  fileId: number;
  firstPage: number;
  count: number;
  /** Offset of the first page in the file's MTF stream; TOMBSTONE (-1) for frame slots with no usable image (internal runs only). */
  offset: number;
  /** Which file of a striped media set (index into the sources). */
  source: number;
  /** Order of the copy within its file (later copies have higher order). */
  order: number;
  /**
   * Offset of the run's first frame slot in the file's MTF stream, for a TOMBSTONE run too: where a
   * page the backup holds no image of stands (whyMissing names it: a zeroed page of a damaged copy
   * read as "does not hold page", no offset). Absent on runs made elsewhere (tests).
   */
  slotAt?: number;
}

export interface BackupPageIndexStats {
  /** Page images placed (a page copied twice counts twice). */
  pages: number;
  emptyPages: number;
  /** Images not placed: never-formatted or stale slots of allocated extents (see the module header). */
  unplacedPages: number;
  /** Page ids held more than once; the later copy is served. */
  duplicatePages: number;
  runs: number;
}

export interface BackupPageSource extends PageSource {
  readonly stats: BackupPageIndexStats;
  /** The runs served after overlaps were resolved, sorted by (file, page). */
  readonly runs: readonly PageRun[];
}

const SCAN_CHUNK = 128 * PAGE_SIZE;
/** `PageRun.offset` of a run of frame slots that hold no usable page image. */
export const TOMBSTONE = -1;

/**
 * Page source over backup set `position` (RESTORE … WITH FILE = n, 1 by default) of one backup
 * file. Throws FormatError FORMAT_NO_DATA_PAGES for a log backup, FORMAT_INCOMPLETE_MEDIA_SET
 * for one stripe of a striped media set (use `openStripedBackupPageSource` with every stripe).
 */
export function openBackupPageSource(path: string, layout?: MtfLayout, position = 1): BackupPageSource {
  const bytes = openBackupBytes(path);
  try {
    const l = layout ?? readMtfLayout(path, bytes);
    requireWholeMediaSet([{ path, layout: l }]);
    return buildSource([{ path, bytes, layout: l }], position);
  } catch (e) {
    bytes.close();
    throw e;
  }
}

/**
 * Page source over the pages of ONE stripe of a striped media set, as it is (no check that the
 * other stripes are given): for a fact one page states whole and the same in every copy of it, such
 * as the boot page's default collation (dbi_collation: ALTER DATABASE … COLLATE needs the database
 * to itself, so it cannot change while BACKUP reads it), read by `inspect` of one stripe. A stripe
 * holds only part of the extents (a page asked for may be in another stripe: readPage gives null)
 * and a page held twice may have its later copy in another stripe: never a source for rows or the
 * catalog (openBackupPageSource / openStripedBackupPageSource are). Throws as openBackupPageSource
 * but for FORMAT_INCOMPLETE_MEDIA_SET.
 */
export function openOneStripePageSource(path: string, layout: MtfLayout, position = 1): BackupPageSource {
  const bytes = openBackupBytes(path);
  try {
    return buildSource([{ path, bytes, layout }], position);
  } catch (e) {
    bytes.close();
    throw e;
  }
}

/**
 * Page source over every stripe of one striped media set (`BACKUP … TO DISK = 'a', DISK = 'b'`),
 * given in any order. Throws FormatError FORMAT_INCOMPLETE_MEDIA_SET when a stripe is missing or
 * given twice, or when the files are not all stripes of one media set, and InputError
 * INPUT_MIXED_STRIPES when they are, but hold two different backups at `position`
 * (`stripesOfTwoBackups`: a media set written again WITH INIT between the copies).
 */
export function openStripedBackupPageSource(paths: string[], position = 1): BackupPageSource {
  const opened: Array<{ path: string; bytes: BackupBytes; layout: MtfLayout }> = [];
  try {
    for (const path of paths) {
      const bytes = openBackupBytes(path);
      opened.push({ path, bytes, layout: readMtfLayout(path, bytes) });
    }
    requireWholeMediaSet(opened);
    const guids = new Set(opened.map((o) => (o.layout.mediaSet && o.layout.mediaSet.familyCount > 1 ? o.layout.mediaSet.mediaSetGuid : `single:${o.path}`)));
    if (guids.size !== 1) throw new FormatError('FORMAT_INCOMPLETE_MEDIA_SET', `${paths.join(', ')} are not the stripes of one media set`, { file: paths[0] });
    const other = stripesOfTwoBackups(opened, position);
    if (other) throw new InputError('INPUT_MIXED_STRIPES', `${other.reason}; give every stripe of one backup (RESTORE HEADERONLY on each file: BackupSetGUID, BackupStartDate)`, { file: other.file });
    return buildSource(opened, position);
  } catch (e) {
    for (const o of opened) o.bytes.close();
    throw e;
  }
}

/**
 * Whether the stripes of one media set hold one backup at `position`, else which two differ and how.
 * The media set GUID and family numbers (MTF TAPE/RAID, `MtfLayout.mediaSet`) stay on the files
 * when the media set is written again: `BACKUP … WITH INIT` overwrites the backup sets and keeps
 * the media header (MS Learn, "BACKUP (Transact-SQL)": INIT / FORMAT), so stripe 1 copied after
 * Monday's backup and stripe 2 after Tuesday's are "family 1 and 2 of 2" of one media set and were
 * joined as one backup: half the extents of each moment, printed as one table. One backup is one
 * backup set on every family (msdb: one backupset row, its backup_set_uuid, for the
 * backupmediafamily rows of all stripes), so its SSET carries one BackupSetGUID (header.ts
 * `backupSetGuid`, SSET OS data) in every stripe; where a GUID is not readable, the SCIN
 * FirstLSN/LastLSN and the backup's start date are compared instead. A stripe whose header cannot
 * be read is not compared (its read reports it). Returns null when they agree; else `reason` (one
 * clause naming both files, the set and what differs) and `file` (the stripe that differs from the first).
 */
export function stripesOfTwoBackups(files: ReadonlyArray<{ path: string; layout: MtfLayout }>, position: number): { reason: string; file: string } | null {
  const striped = files.filter((f) => f.layout.mediaSet && f.layout.mediaSet.familyCount > 1);
  if (striped.length < 2) return null;
  const heads: Array<{ path: string; seq: number; h: ReturnType<typeof readBackupHeader> }> = [];
  for (const f of striped) {
    try {
      heads.push({ path: f.path, seq: f.layout.mediaSet!.familySequence, h: readBackupHeader(f.path, f.layout, position) });
    } catch {
      // its own read reports what is wrong with it
    }
  }
  const [a, ...rest] = heads;
  if (!a) return null;
  const what = (x: (typeof heads)[number]) =>
    `${x.h.backupType} backup of ${x.h.databaseName}${x.h.backupSetGuid ? ` BackupSetGUID ${x.h.backupSetGuid}` : ''}, started ${x.h.backupStartDate ?? 'at an unknown time'}, LSN ${x.h.firstLsn.decimal}..${x.h.lastLsn.decimal}`;
  for (const b of rest) {
    const differ =
      a.h.backupSetGuid && b.h.backupSetGuid
        ? a.h.backupSetGuid !== b.h.backupSetGuid
        : a.h.firstLsn.decimal !== b.h.firstLsn.decimal || a.h.lastLsn.decimal !== b.h.lastLsn.decimal || a.h.backupStartDate !== b.h.backupStartDate || a.h.backupType !== b.h.backupType;
    if (!differ) continue;
    const guid = striped[0]!.layout.mediaSet!.mediaSetGuid;
    return {
      file: b.path,
      reason: `${a.path} (stripe ${a.seq}) and ${b.path} (stripe ${b.seq}) are stripes of one media set (${guid}) but hold two different backups at backup set ${position}: ${what(a)} vs ${what(b)}. The media set was written again between them (BACKUP … WITH INIT keeps the media header), so the files are of two moments and their extents joined would mix them`,
    };
  }
  return null;
}

/**
 * What the command reading backup pages accepts, so that the refusals of its backups
 * (requireWholeMediaSet here, assertBackupSet in src/recover/source-identity.ts) advise what that
 * command can do. Without it the advice is for the commands that take `--bak FULL [DIFF…]` and
 * every stripe of a striped backup (`dump`, `diff`).
 */
export interface BackupAdvice {
  /** FORMAT_INCOMPLETE_MEDIA_SET: what to do instead of "give every stripe of the media set (--bak a.bak b.bak)". */
  incompleteMediaSet?: string;
  /** INPUT_DIFFERENTIAL_WITHOUT_FULL: what to do instead of "give it first (--bak FULL.bak DIFF.bak) …". */
  differentialWithoutFull?: string;
  /** INPUT_NOT_A_LOG_BACKUP (a full or differential backup given as a log backup): what to do instead of "give it with --bak". */
  notALogBackup?: string;
  /** INPUT_NOT_A_DATABASE_BACKUP (a log backup among the backups giving data pages): what to do instead of "give it with --trn, and a full backup with --bak". */
  logBackupInBak?: string;
  /** How the caller names a backup set's position, followed by the number in messages: by default `--position` (`--position 2`); a job's `"position":`. */
  position?: string;
  /** The caller takes a set number per backup file (`dump --bak F F --position 1,2`): a differential whose full backup is another set of its file is advised so, not "not supported". */
  positionList?: boolean;
  /** How the caller names its backup files' option in that advice: `--bak` by default; diff's later side `--after-bak`. */
  bakOption?: string;
  /** INPUT_NO_LOG (no log among the inputs): what to do instead of "give --ldf FILE, --trn FILE… or a --bak whose log portion is read". */
  noLog?: string;
  /** INPUT_NO_METADATA (no table metadata among the inputs): what to do instead of "give --mdf FILE or --bak FILE (or --schema/--ddl)". */
  noMetadata?: string;
  /**
   * How the caller names the log files to add, where a note or skipped item says to add some: by
   * default `--trn` and `--ldf` ("add the later log backups with --trn"); a job's `"trn"` and `"ldf"`
   * (a files job's notes and skipped items said the CLI's flags beside its own sentences in its fields).
   */
  logFiles?: { trn: string; ldf: string };
  /**
   * SOURCE_SCHEMA_DRIFT (a row logged after a change of its table's columns the catalog predates):
   * how the caller names the inputs that decode it, by default `(--mdf/--bak), or --schema/--ddl`;
   * a job's `(mdf, bak), or metadata.catalog / metadata.ddl` (its skipped items named the CLI's flags).
   */
  layoutInputs?: { dataFile: string; layout: string };
}

/**
 * Checks that the files form whole media sets: for each media set GUID among them, every
 * family (stripe) 1..FamilyCount is present exactly once (files of a one-family media set, e.g.
 * a differential given after a striped full backup, need nothing). Throws FormatError
 * FORMAT_INCOMPLETE_MEDIA_SET naming the family count and the missing stripe numbers, and what to
 * do: `advice.incompleteMediaSet`, by default to give every stripe with --bak.
 */
export function requireWholeMediaSet(files: Array<{ path: string; layout: MtfLayout }>, advice: BackupAdvice = {}): void {
  const bySet = new Map<string, Array<{ path: string; layout: MtfLayout }>>();
  for (const f of files) {
    const m = f.layout.mediaSet;
    if (!m || m.familyCount <= 1) continue;
    const list = bySet.get(m.mediaSetGuid) ?? [];
    list.push(f);
    bySet.set(m.mediaSetGuid, list);
  }
  for (const [guid, list] of bySet) {
    const count = list[0].layout.mediaSet!.familyCount;
    const have = new Map<number, string>();
    for (const f of list) {
      const seq = f.layout.mediaSet!.familySequence;
      const dup = have.get(seq);
      if (dup) throw new FormatError('FORMAT_INCOMPLETE_MEDIA_SET', `${dup} and ${f.path} are both stripe ${seq} of media set ${guid}`, { file: f.path });
      have.set(seq, f.path);
    }
    const missing: number[] = [];
    for (let s = 1; s <= count; s++) if (!have.has(s)) missing.push(s);
    if (missing.length) {
      const given = [...have].sort((a, b) => a[0] - b[0]).map(([s, p]) => `stripe ${s} (${p})`).join(', ');
      throw new FormatError(
        'FORMAT_INCOMPLETE_MEDIA_SET',
        `this backup is striped over ${count} files (media set ${guid}, ${count} families); given ${given}; missing stripe${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}. A stripe holds only part of the extents: ${advice.incompleteMediaSet ?? 'give every stripe of the media set (--bak a.bak b.bak)'}`,
        { file: list[0].path },
      );
    }
  }
}

function buildSource(sources: Array<{ path: string; bytes: BackupBytes; layout: MtfLayout }>, position: number): BackupPageSource {
  const stats: BackupPageIndexStats = { pages: 0, emptyPages: 0, unplacedPages: 0, duplicatePages: 0, runs: 0 };
  const perSource: PageRun[][] = [];
  let anyStream = false;
  for (let si = 0; si < sources.length; si++) {
    const { path, bytes, layout } = sources[si];
    const streams = streamsOfSet(layout, position).filter((s) => s.id === 'MQDA' && s.length > 0);
    if (streams.length) anyStream = true;
    refuseEncrypted(path, layout, position);
    let knownFiles: Set<number> | null = null;
    // The two copies of the set's header disagree (one is damaged: mtf.ts walk): its file list is
    // not taken (a damaged file id placed no page, and dump said the boot page's file was not given);
    // placement still checks each page's header and frame slot. backupDamageNotes (open.ts) says it.
    if (!headerCopiesProblem(layout, position)) {
      try {
        const files = readBackupHeader(path, layout, position).files.filter((f) => f.type === 'D');
        if (files.length) knownFiles = new Set(files.map((f) => f.fileId));
      } catch {
        knownFiles = null; // no usable FILELISTONLY: placement still checks header and frame slot
      }
    }
    perSource.push(indexStreams(bytes, streams.map(payloadRange), si, knownFiles, stats));
  }
  if (!anyStream) {
    throw new FormatError('FORMAT_NO_DATA_PAGES', 'this backup holds no data pages (MQDA stream): a log backup? Use a full or differential backup, or the .mdf, for table metadata', { file: sources[0].path });
  }
  const resolved = perSource.map((runs) => resolveLaterWins(runs, stats));
  const runs = sources.length === 1 ? resolved[0] : mergeStripes(resolved, sources, stats);
  const served = runs.filter((r) => r.offset !== TOMBSTONE);
  stats.runs = served.length;
  const fileIds = [...new Set(served.map((r) => r.fileId))].sort((a, b) => a - b);
  let closed = false;

  const find = (fileId: number, pageId: number): PageRun | undefined => {
    let lo = 0;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = runs[mid];
      if (r.fileId < fileId || (r.fileId === fileId && r.firstPage + r.count <= pageId)) lo = mid + 1;
      else if (r.fileId > fileId || r.firstPage > pageId) hi = mid - 1;
      else return r;
    }
    return undefined;
  };
  const names = sources.map((s) => s.path).join(' + ');
  const compressed = sources.some((s) => s.bytes.compressed);

  return {
    description: `${compressed ? 'compressed ' : ''}backup ${names}`,
    stats,
    runs: served,
    readPage(fileId: number, pageId: number): Uint8Array | undefined {
      if (closed) throw new FormatError('FORMAT_SOURCE_CLOSED', 'the backup page source is closed', { file: names });
      const r = find(fileId, pageId);
      if (!r || r.offset === TOMBSTONE) return undefined;
      const off = r.offset + (pageId - r.firstPage) * PAGE_SIZE;
      const page = new Uint8Array(PAGE_SIZE);
      const got = sources[r.source].bytes.readSync(page, 0, PAGE_SIZE, off);
      if (got !== PAGE_SIZE) throw new FormatError('FORMAT_TRUNCATED_PAGE', `page ${fileId}:${pageId} truncated in the backup`, { file: sources[r.source].path, offset: off, page: `${fileId}:${pageId}` });
      return page;
    },
    holdsNoImage(fileId: number, pageId: number): boolean {
      return find(fileId, pageId)?.offset === TOMBSTONE;
    },
    // A page whose place the backup wrote (its extent's frame) without an image of it: a zeroed page
    // of a damaged copy read "does not hold page 1:153", as if another backup had been given
    whyMissing(fileId: number, pageId: number): string | undefined {
      const r = find(fileId, pageId);
      if (!r || r.offset !== TOMBSTONE || r.slotAt === undefined) return undefined;
      const s = sources[r.source];
      const off = r.slotAt + (pageId - r.firstPage) * PAGE_SIZE;
      return `: its place in the backup, offset ${off} of ${s.bytes.compressed ? `the decompressed stream of compressed backup ${s.path}` : s.path}, holds no image of it (zeros, or bytes of no page of the database): the copy is damaged there, or the page was allocated and never written`;
    },
    // The stripe a page is read from (`backup b.bak`), so that a skipped or damaged page of a striped
    // backup names its file, not "a.bak + b.bak" (page-reader.ts sourceFile / pageOriginOf).
    pageOrigin(fileId: number, pageId: number): string | undefined {
      const r = find(fileId, pageId);
      if (!r || r.offset === TOMBSTONE) return undefined;
      const s = sources[r.source];
      return `${s.bytes.compressed ? 'compressed ' : ''}backup ${s.path}`;
    },
    // the set the page is read from, where its file holds several (pageOrigin names the file alone)
    pageSet(fileId: number, pageId: number): number | undefined {
      const r = find(fileId, pageId);
      if (!r || r.offset === TOMBSTONE) return undefined;
      return sources[r.source].layout.sets > 1 ? position : undefined;
    },
    fileIds: () => fileIds,
    close(): void {
      if (!closed) {
        closed = true;
        for (const s of sources) s.bytes.close();
      }
    },
  };
}

/** Scans the payload ranges of one file, frame by frame, and returns its runs in stream order. */
function indexStreams(bytes: BackupBytes, ranges: Array<{ start: number; end: number }>, source: number, knownFiles: Set<number> | null, stats: BackupPageIndexStats): PageRun[] {
  const runs: PageRun[] = [];
  const buf = Buffer.alloc(SCAN_CHUNK);
  for (const { start, end } of ranges) {
    for (let at = start; at + PAGE_SIZE <= end; at += SCAN_CHUNK) {
      const n = Math.min(SCAN_CHUNK, Math.floor((end - at) / PAGE_SIZE) * PAGE_SIZE);
      const got = bytes.readSync(buf, 0, n, at);
      // SCAN_CHUNK is a multiple of 8 pages and `at - start` too: frames never straddle chunks.
      for (let frame = 0; frame + PAGE_SIZE <= got; frame += 8 * PAGE_SIZE) {
        const slots = Math.min(8, Math.floor((got - frame) / PAGE_SIZE));
        const ids: Array<{ fileId: number; pageId: number } | null> = [];
        const extents = new Map<string, number>();
        for (let k = 0; k < slots; k++) {
          const p = frame + k * PAGE_SIZE;
          const pageId = buf.readUInt32LE(p + 32);
          const fileId = buf.readUInt16LE(p + 36);
          if (fileId === 0 && pageId === 0) {
            stats.emptyPages++;
            ids.push(null);
            continue;
          }
          const plausible = buf[p] === 1 && (pageId & 7) === k && (knownFiles === null || knownFiles.has(fileId));
          if (!plausible) {
            stats.unplacedPages++;
            ids.push(null);
            continue;
          }
          ids.push({ fileId, pageId });
          const key = `${fileId}:${pageId >>> 3}`;
          extents.set(key, (extents.get(key) ?? 0) + 1);
        }
        // The frame's extent: the one most of its placed slots name.
        let best = '';
        let bestN = 0;
        for (const [k, v] of extents) if (v > bestN) [best, bestN] = [k, v];
        const [bestFile, bestExtent] = best ? best.split(':').map(Number) : [0, 0];
        for (let k = 0; k < slots; k++) {
          const id = ids[k];
          const placed = id !== null && `${id.fileId}:${id.pageId >>> 3}` === best;
          if (id && !placed) stats.unplacedPages++;
          if (!best) continue;
          // RESTORE writes a frame positionally: slot k is page extent × 8 + k whatever it holds.
          // A slot with no usable image (empty, never formatted, stale) is a tombstone for that
          // page, so an earlier copy of it is not served in its place.
          const pageId = bestExtent * 8 + k;
          const slotAt = at + frame + k * PAGE_SIZE;
          const offset = placed ? slotAt : TOMBSTONE;
          if (placed) stats.pages++;
          const last = runs[runs.length - 1];
          const follows = last && last.fileId === bestFile && last.firstPage + last.count === pageId && last.slotAt !== undefined && last.slotAt + last.count * PAGE_SIZE === slotAt && (offset === TOMBSTONE ? last.offset === TOMBSTONE : last.offset !== TOMBSTONE && last.offset + last.count * PAGE_SIZE === offset);
          if (follows) last.count++;
          else runs.push({ fileId: bestFile, firstPage: pageId, count: 1, offset, source, order: runs.length, slotAt });
        }
      }
    }
  }
  return runs;
}

/**
 * Non-overlapping runs sorted by (file, page) from runs in stream order of one file, where a
 * page covered by several runs comes from the latest (highest order). A sweep over run
 * boundaries with a max-heap of the runs open there: O(R log R) for R runs.
 */
export function resolveLaterWins(runs: readonly PageRun[], stats?: Pick<BackupPageIndexStats, 'duplicatePages'>): PageRun[] {
  const sorted = [...runs].sort((a, b) => a.fileId - b.fileId || a.firstPage - b.firstPage || a.order - b.order);
  let overlap = false;
  for (let i = 1; i < sorted.length && !overlap; i++) {
    const p = sorted[i - 1];
    const r = sorted[i];
    if (p.fileId === r.fileId && r.firstPage < p.firstPage + p.count) overlap = true;
  }
  if (!overlap) return sorted;
  const out: PageRun[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].fileId === sorted[i].fileId) j++;
    sweepFile(sorted.slice(i, j), out, stats);
    i = j;
  }
  return out;
}

function sweepFile(runs: PageRun[], out: PageRun[], stats?: Pick<BackupPageIndexStats, 'duplicatePages'>): void {
  const bounds = [...new Set(runs.flatMap((r) => [r.firstPage, r.firstPage + r.count]))].sort((a, b) => a - b);
  const heap: PageRun[] = [];
  const push = (r: PageRun) => {
    heap.push(r);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (heap[p].order >= heap[i].order) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l].order > heap[m].order) m = l;
        if (r < heap.length && heap[r].order > heap[m].order) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  let next = 0;
  const open = new Set<PageRun>();
  for (let b = 0; b + 1 < bounds.length; b++) {
    const from = bounds[b];
    const to = bounds[b + 1];
    while (next < runs.length && runs[next].firstPage <= from) {
      push(runs[next]);
      open.add(runs[next]);
      next++;
    }
    while (heap.length && heap[0].firstPage + heap[0].count <= from) open.delete(pop());
    if (!heap.length) continue;
    const w = heap[0];
    let covering = 0;
    for (const r of open) if (r.offset !== TOMBSTONE && r.firstPage <= from && r.firstPage + r.count >= to) covering++;
    if (stats && covering > 1) stats.duplicatePages += (covering - 1) * (to - from);
    const offset = w.offset === TOMBSTONE ? TOMBSTONE : w.offset + (from - w.firstPage) * PAGE_SIZE;
    const slotAt = w.slotAt === undefined ? undefined : w.slotAt + (from - w.firstPage) * PAGE_SIZE;
    const last = out[out.length - 1];
    const follows = last && last.fileId === w.fileId && last.source === w.source && last.firstPage + last.count === from && (slotAt === undefined ? last.slotAt === undefined : last.slotAt !== undefined && last.slotAt + last.count * PAGE_SIZE === slotAt) && (offset === TOMBSTONE ? last.offset === TOMBSTONE : last.offset !== TOMBSTONE && last.offset + last.count * PAGE_SIZE === offset);
    if (follows) last.count += to - from;
    else out.push({ fileId: w.fileId, firstPage: from, count: to - from, offset, source: w.source, order: w.order, ...(slotAt === undefined ? {} : { slotAt }) });
  }
}

/**
 * Stripes of one media set: their runs merged; where two stripes hold the same page (not seen in
 * the corpus), the copy with the higher page LSN (m_lsn @40: u32 VLF, u32 block, u16 slot) wins.
 */
function mergeStripes(perSource: PageRun[][], sources: Array<{ bytes: BackupBytes }>, stats: BackupPageIndexStats): PageRun[] {
  const all = perSource.flat().sort((a, b) => a.fileId - b.fileId || a.firstPage - b.firstPage);
  let overlap = false;
  for (let i = 1; i < all.length && !overlap; i++) if (all[i].fileId === all[i - 1].fileId && all[i].firstPage < all[i - 1].firstPage + all[i - 1].count) overlap = true;
  if (!overlap) return all;
  // Rank each overlapping page's copies by page LSN, then reuse the later-wins sweep on
  // single-page runs whose order is that rank.
  const head = Buffer.alloc(50);
  const lsnOf = (r: PageRun, page: number): bigint => {
    sources[r.source].bytes.readSync(head, 0, 50, r.offset + (page - r.firstPage) * PAGE_SIZE);
    return (BigInt(head.readUInt32LE(40)) << 48n) | (BigInt(head.readUInt32LE(44)) << 16n) | BigInt(head.readUInt16LE(48));
  };
  const pieces: Array<PageRun & { lsn?: bigint }> = [];
  for (let i = 0; i < all.length; i++) {
    const r = all[i];
    const others = all.filter((o) => o !== r && o.fileId === r.fileId && o.firstPage < r.firstPage + r.count && r.firstPage < o.firstPage + o.count);
    if (!others.length) {
      pieces.push({ ...r, order: 0 });
      continue;
    }
    for (let p = r.firstPage; p < r.firstPage + r.count; p++) {
      const slotAt = r.slotAt === undefined ? {} : { slotAt: r.slotAt + (p - r.firstPage) * PAGE_SIZE };
      if (r.offset === TOMBSTONE) pieces.push({ ...r, ...slotAt, firstPage: p, count: 1, order: Number.MAX_SAFE_INTEGER });
      else pieces.push({ ...r, ...slotAt, firstPage: p, count: 1, offset: r.offset + (p - r.firstPage) * PAGE_SIZE, lsn: lsnOf(r, p) });
    }
  }
  // order = rank of the page LSN (1 = lowest); pages held once keep order 0.
  const ranks = [...new Set(pieces.filter((p) => p.lsn !== undefined).map((p) => p.lsn!))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Map(ranks.map((l, i) => [l, i + 1]));
  for (const p of pieces) if (p.lsn !== undefined) p.order = rank.get(p.lsn)!;
  return resolveLaterWins(pieces, stats);
}
