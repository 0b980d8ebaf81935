/**
 * Verified page access over any PageSource: each page is checked once (self-address, checksum
 * or torn bits), torn bits are restored, and a damaged or missing page is recorded as a skipped
 * item — never thrown at a walker. A small LRU keeps recently used pages (LOB and forwarded
 * records jump around); memory stays bounded.
 */
import { FormatError, isRowbackError } from '../errors.js';
import type { SkippedItem } from '../util/skipped-item.js';
import type { PageSource } from './page-source.js';
import { formatPageId, verifyPage, type PageId, type VerifiedPage } from './page.js';
import { listOf, PAGE_NOTE_WORDS, uncheckedNote } from '../util/unchecked-note.js';
import { appendAll } from '../util/append-all.js';

/** Page reads by check kind (PageReader.stats). */
export interface PageReadStats {
  read: number;
  checksumOk: number;
  tornBitsOk: number;
  unprotected: number;
  bad: number;
  missing: number;
  /**
   * The distinct pages (file:page) read without a page checksum, kept up to one more than
   * UNCHECKED_PAGES_NAMED (so that "more than that" is known): uncheckedPagesNote names them when
   * they are that few.
   */
  uncheckedPages?: string[];
  /**
   * Distinct pages read and verified, by check kind (a page read again after leaving the cache
   * counts once; the counts above count reads): what uncheckedPagesNote counts, as it names pages.
   */
  distinct?: { checksumOk: number; tornBitsOk: number; unprotected: number };
}

const SOURCE_KIND = /^(?:compressed )?(?:data file|backup) /;

/**
 * The file a page source reads (its description without the 'data file ' / 'backup ' prefix), for an
 * error's `file`. With `page` (`file:page` or a PageId) the file that page is read from: a layered
 * source (a database's .mdf and .ndf files, a differential backup over its full backup) names the
 * layer holding it (`pageOrigin`), not "A over data file B", which named the .mdf for a page of the
 * .ndf and kept the second layer's 'data file ' word. Without one (or when no layer holds the page),
 * every layer's path: "A over B".
 */
export function sourceFile(source: PageSource, page?: PageId | string): string {
  const d = (page !== undefined ? pageOriginOf(source, page) : undefined) ?? source.description;
  return d.split(' over ').map((x) => x.replace(SOURCE_KIND, '')).join(' over ');
}

/**
 * The description of the layer a page (`file:page` or a PageId) is read from (`data file X`,
 * `backup X`: the source's `pageOrigin`), or undefined when the source does not say or no layer holds it.
 */
export function pageOriginOf(source: PageSource, page: PageId | string): string | undefined {
  if (!source.pageOrigin) return undefined;
  const [f, p] = typeof page === 'string' ? page.split(':').map(Number) : [page.fileId, page.pageId];
  return Number.isInteger(f) && Number.isInteger(p) ? source.pageOrigin(f!, p!) : undefined;
}

/**
 * The path of the one file a page (`file:page` or a PageId) is read from — a data file, a backup or
 * one stripe of it, the differential or the full backup of a layered source — or undefined when the
 * source does not say (`pageOrigin`) or no layer holds the page.
 */
export function pageFileOf(source: PageSource, page: PageId | string): string | undefined {
  const origin = pageOriginOf(source, page);
  return origin === undefined ? undefined : origin.replace(SOURCE_KIND, '');
}

/** Where a page was read from: its file (pageFileOf) and, where that file holds several backup sets, the set (RESTORE … WITH FILE = n: the source's `pageSet`); each undefined when the source does not say. */
export interface PageFrom {
  file: string | undefined;
  set: number | undefined;
}

/**
 * `pageFileOf` and the source's `pageSet` for rows read in page order (a table walk): the answer for
 * the last page asked for (`file:page`) is kept, so the rows of one page share one lookup and one
 * string rather than one each. The set tells apart two layers of one file (`--bak F F --position
 * 1,2`: a full and a differential that are two sets of F, both of file F).
 */
export function pageFromMemo(source: PageSource): (page: string) => PageFrom {
  let lastPage: string | undefined;
  let last: PageFrom = { file: undefined, set: undefined };
  return (page) => {
    if (page !== lastPage) {
      lastPage = page;
      const [f, p] = page.split(':').map(Number);
      last = { file: pageFileOf(source, page), set: source.pageSet && Number.isInteger(f) && Number.isInteger(p) ? source.pageSet(f!, p!) : undefined };
    }
    return last;
  };
}

/**
 * What to do when a page the metadata starts from (the boot page, the catalog's first page) cannot
 * be read: without it no table of this file can be found, so another copy is needed, or the layout.
 */
export const METADATA_PAGE_ADVICE =
  'use another copy of the file or a backup of the database; to read the log without this catalog, give the table layout with --ddl or --schema (scan, log)';

/** Pages without a page checksum a note names when they are this few (and some pages carry one). */
export const UNCHECKED_PAGES_NAMED = 3;

export class PageReader {
  private readonly cache = new Map<string, VerifiedPage | null>();
  readonly skipped: SkippedItem[] = [];
  private readonly reported = new Set<string>();
  /** Pages read and verified, by check kind. */
  readonly stats: PageReadStats = { read: 0, checksumOk: 0, tornBitsOk: 0, unprotected: 0, bad: 0, missing: 0, uncheckedPages: [], distinct: { checksumOk: 0, tornBitsOk: 0, unprotected: 0 } };
  /** Pages verified at least once, a bit per page per file (bounded by the pages the source holds). */
  private readonly seen = new Map<number, Uint8Array>();

  constructor(
    readonly source: PageSource,
    private readonly cacheSize = 256,
  ) {}

  /** The verified page, or undefined (recorded in `skipped`) when it is missing or damaged. */
  get(id: PageId): VerifiedPage | undefined {
    const key = formatPageId(id);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit ?? undefined;
    }
    let result: VerifiedPage | null = null;
    const raw = this.source.readPage(id.fileId, id.pageId);
    this.stats.read++;
    if (!raw) {
      this.stats.missing++;
      this.skip(key, { code: 'FORMAT_PAGE_MISSING', reason: `${this.source.description} does not hold page ${key}${this.source.whyMissing?.(id.fileId, id.pageId) ?? ''}`, location: { page: key } });
    } else {
      try {
        result = verifyPage(raw, id);
        if (this.firstVerified(id)) {
          const d = this.stats.distinct!;
          if (result.check === 'checksum-ok') d.checksumOk++;
          else if (result.check === 'torn-bits-ok') d.tornBitsOk++;
          else d.unprotected++;
        }
        if (result.check === 'checksum-ok') this.stats.checksumOk++;
        else {
          if (result.check === 'torn-bits-ok') this.stats.tornBitsOk++;
          else this.stats.unprotected++;
          const list = this.stats.uncheckedPages!;
          if (list.length <= UNCHECKED_PAGES_NAMED && !list.includes(key)) list.push(key);
        }
      } catch (e) {
        if (!isRowbackError(e)) throw e;
        this.stats.bad++;
        this.skip(key, { code: e.code, reason: e.message, location: { ...(e.location as SkippedItem['location']), page: key } });
      }
    }
    this.cache.set(key, result);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return result ?? undefined;
  }

  /** True the first time `id` is verified by this reader (then marked). */
  private firstVerified(id: PageId): boolean {
    const at = id.pageId >>> 3;
    let bits = this.seen.get(id.fileId);
    if (!bits || bits.length <= at) {
      const grown = new Uint8Array(Math.max(at + 1, (bits?.length ?? 0) * 2, 1024));
      if (bits) grown.set(bits);
      bits = grown;
      this.seen.set(id.fileId, bits);
    }
    const mask = 1 << (id.pageId & 7);
    if (bits[at]! & mask) return false;
    bits[at]! |= mask;
    return true;
  }

  /**
   * A reader over the same source that starts where this one stands: the same cached pages, skipped
   * items (a copy of the list), reported keys, read counts and pages seen, each its own from here on.
   * What the fork reads is not counted here, nor the other way: several tables read after one read
   * of the metadata (replay/point-in-time.ts replayTablesAt) each see the counts and skipped items
   * that reading the metadata and that table alone gives, as a reader made for that table would.
   * No page is read.
   */
  fork(): PageReader {
    const f = new PageReader(this.source, this.cacheSize);
    for (const [k, v] of this.cache) f.cache.set(k, v);
    appendAll(f.skipped, this.skipped);
    for (const k of this.reported) f.reported.add(k);
    const s = this.stats;
    Object.assign(f.stats, { ...s, uncheckedPages: s.uncheckedPages ? [...s.uncheckedPages] : s.uncheckedPages, distinct: s.distinct ? { ...s.distinct } : s.distinct });
    for (const [k, v] of this.seen) f.seen.set(k, v.slice());
    return f;
  }

  /** Like `get`, but throws the FormatError (for pages without which nothing can be read, e.g. the boot page). */
  require(id: PageId): VerifiedPage {
    const raw = this.source.readPage(id.fileId, id.pageId);
    if (!raw) throw new FormatError('FORMAT_PAGE_MISSING', `${this.source.description} does not hold page ${formatPageId(id)}${this.source.whyMissing?.(id.fileId, id.pageId) ?? ''}`, { page: formatPageId(id) });
    return verifyPage(raw, id);
  }

  /** Record a skipped item once per key (a page reached twice is reported once). */
  skip(key: string, item: SkippedItem): void {
    if (this.reported.has(key + item.code)) return;
    this.reported.add(key + item.code);
    if (this.source.description && !item.location.file) item.location.file = sourceFile(this.source, key);
    this.skipped.push(item);
  }
}

/**
 * The note for pages read that carry no page checksum (torn-page bits only show a torn write,
 * unprotected ones nothing): a changed byte inside their rows cannot be detected. Counts are of
 * distinct pages (`stats.distinct`; a page read again after leaving the cache counts once, as the
 * pages named are distinct), in the sentence shared with the log-block note (util/unchecked-note.ts).
 * Undefined when every page read carried a checksum. NORTHWND.MDF in the corpus is torn-bits only.
 */
export function uncheckedPagesNote(stats: PageReadStats): string | undefined {
  // stats made without a PageReader (no `distinct`): each read taken as a page of its own
  const d = stats.distinct ?? stats;
  const unchecked = d.tornBitsOk + d.unprotected;
  const read = d.checksumOk + unchecked;
  if (unchecked === 0) return undefined;
  const kinds = [d.tornBitsOk ? `${d.tornBitsOk} with torn-page bits only` : '', d.unprotected ? `${d.unprotected} with no protection` : ''].filter(Boolean).join(', ');
  const pages = stats.uncheckedPages;
  // A few pages without a checksum among pages with one: named, since one may be a page whose
  // checksum flag (m_flagBits 0x0200) and checksum were changed by the damage they would have shown.
  const named = pages !== undefined && pages.length > 0 && pages.length <= UNCHECKED_PAGES_NAMED && d.checksumOk > 0 ? `${pages.length === 1 ? 'page' : 'pages'} ${listOf(pages)}` : undefined;
  return uncheckedNote(PAGE_NOTE_WORDS, unchecked, read, { kinds, named });
}
