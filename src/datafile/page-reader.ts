/**
 * Verified page access over any PageSource: each page is checked once (self-address, checksum
 * or torn bits), torn bits are restored, and a damaged or missing page is recorded as a skipped
 * item — never thrown at a walker. A small LRU keeps recently used pages (LOB and forwarded
 * records jump around); memory stays bounded.
 */
import { FormatError, isRowbackError } from '../errors.js';
import type { SkippedItem } from '../recover/source.js';
import type { PageSource } from './page-source.js';
import { formatPageId, verifyPage, type PageId, type VerifiedPage } from './page.js';

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
}

/** The file a page source reads (its description without the 'data file ' / 'backup ' prefix), for an error's `file`. */
export function sourceFile(source: PageSource): string {
  return source.description.replace(/^(compressed )?(data file|backup) /, '');
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
  readonly stats: PageReadStats = { read: 0, checksumOk: 0, tornBitsOk: 0, unprotected: 0, bad: 0, missing: 0, uncheckedPages: [] };

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
      this.skip(key, { code: 'FORMAT_PAGE_MISSING', reason: `${this.source.description} does not hold page ${key}`, location: { page: key } });
    } else {
      try {
        result = verifyPage(raw, id);
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

  /** Like `get`, but throws the FormatError (for pages without which nothing can be read, e.g. the boot page). */
  require(id: PageId): VerifiedPage {
    const raw = this.source.readPage(id.fileId, id.pageId);
    if (!raw) throw new FormatError('FORMAT_PAGE_MISSING', `${this.source.description} does not hold page ${formatPageId(id)}`, { page: formatPageId(id) });
    return verifyPage(raw, id);
  }

  /** Record a skipped item once per key (a page reached twice is reported once). */
  skip(key: string, item: SkippedItem): void {
    if (this.reported.has(key + item.code)) return;
    this.reported.add(key + item.code);
    if (this.source.description && !item.location.file) item.location.file = sourceFile(this.source);
    this.skipped.push(item);
  }
}

/**
 * The note for page reads whose pages carry no page checksum (PageReader.stats: torn-bit pages
 * show only a torn write, unprotected ones nothing): a changed byte inside their rows cannot be
 * detected. Counts are of reads (a page read again after leaving the cache counts again).
 * Undefined when every page read carried a checksum. NORTHWND.MDF in the corpus is torn-bits only.
 */
export function uncheckedPagesNote(stats: PageReadStats): string | undefined {
  const unchecked = stats.tornBitsOk + stats.unprotected;
  const read = stats.checksumOk + unchecked;
  if (unchecked === 0) return undefined;
  const kinds = [stats.tornBitsOk ? `${stats.tornBitsOk} with torn-page bits only` : '', stats.unprotected ? `${stats.unprotected} with no protection` : ''].filter(Boolean).join(', ');
  const pages = stats.uncheckedPages;
  if (pages !== undefined && pages.length > 0 && pages.length <= UNCHECKED_PAGES_NAMED && stats.checksumOk > 0) {
    // A few pages without a checksum among pages with one: named, since one may be a page whose
    // checksum flag (m_flagBits 0x0200) and checksum were changed by the damage they would have shown.
    const one = pages.length === 1;
    const named = one ? `page ${pages[0]}` : `pages ${pages.slice(0, -1).join(', ')} and ${pages[pages.length - 1]}`;
    return `${unchecked} of the ${read} page reads ${unchecked === 1 ? 'was of a page' : 'were of pages'} with no page checksum (${kinds}): ${named}. Among pages with a checksum ${one ? 'a lone one without is' : 'a few without are'} suspect: not rewritten since the database was put on PAGE_VERIFY CHECKSUM, or ${one ? 'its' : 'their'} checksum flag cleared by the very damage it would have shown; a changed byte inside ${one ? 'its' : 'their'} rows cannot be detected, so compare those rows with another copy (the database, another copy of the file or backup) before trusting them`;
  }
  return `${unchecked === read ? `all ${read}` : `${unchecked} of the ${read}`} page reads were of pages with no page checksum (${kinds}; the database was not on PAGE_VERIFY CHECKSUM when they were written): a changed byte inside their rows cannot be detected, so compare those rows with another copy (the database, another copy of the file or backup) before trusting them`;
}
