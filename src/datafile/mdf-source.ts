/**
 * PageSource over a .mdf/.ndf file: page N of the file is at byte N × 8192 (positioned,
 * synchronous reads; nothing beyond the requested page is held in memory).
 * The file's id comes from its own file header page (page 0, m_pageId's file part).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openInputSync } from '../util/input-open.js';
import { FormatError, InputError } from '../errors.js';
import { unreadableWhy } from '../util/files.js';
import { PAGE_SIZE, type PageSource } from './page-source.js';
import { PageType, parsePageHeader, verifyPage } from './page.js';
import { parseFileHeaderPage } from './file-header.js';
import { backupStart, damagedTapeBlock } from '../backup/mtf.js';
import { logTextHint } from '../util/log-text-kind.js';
import { maxOf } from '../util/append-all.js';
import { cutInsideFileHeader, cutInsideFileHeaderText, dataFileCut, dataFileCutText, type DataFileCut } from './data-file-cut.js';

export class MdfPageSource implements PageSource {
  readonly description: string;
  readonly fileId: number;
  readonly pageCount_: number;
  private fd: number | null;
  /** The option a cut-short text names for reading a backup instead (`--bak`; diff's later state: `--after-bak`). */
  private readonly backupOption: string;

  /**
   * Opens `path` read-only. `options.backupOption`: the option that reads a backup of the database
   * in this copy's place, as the command running names it, for the texts of a copy cut short
   * (data-file-cut.ts): `--bak` (the default), `--after-bak` when the file is diff's later state.
   */
  constructor(readonly path: string, options: { backupOption?: string } = {}) {
    this.backupOption = options.backupOption ?? '--bak';
    try {
      this.fd = openInputSync(path);
    } catch (e) {
      throw new InputError('INPUT_FILE_UNREADABLE', `cannot open ${path}: ${unreadableWhy(e)}`, { file: path });
    }
    const size = fstatSync(this.fd).size;
    this.pageCount_ = Math.floor(size / PAGE_SIZE);
    this.description = `data file ${path}`;
    const first = this.readRaw(0);
    const h = first ? parsePageHeader(first) : undefined;
    if (!h || h.headerVersion !== 1 || h.type !== PageType.FILE_HEADER_PAGE) {
      // a file shorter than a page: its bytes, to tell one cut inside page 0
      const head = first ? undefined : this.readHead(size);
      this.close();
      // A backup given as a data file (--mdf x.bak) is named as one, with where it goes.
      const backup = first ? backupStart(first) : null;
      if (backup === 'damaged TAPE') throw new InputError('INPUT_NOT_A_DATA_FILE', `${path} is ${damagedTapeBlock(first!)}; not a data file (.mdf/.ndf): give a backup with --bak/--trn, and read another copy of it`, { file: path, offset: 0 });
      if (backup) throw new InputError('INPUT_NOT_A_DATA_FILE', `${path} is a backup (starts with ${backup}), not a data file (.mdf/.ndf): give a full or differential backup with --bak, a log backup with --trn`, { file: path });
      // cut inside page 0 (its first bytes a file header page's): said as cut, not as no file header page
      if (head && cutInsideFileHeader(head)) throw new FormatError('FORMAT_FILE_CUT', cutInsideFileHeaderText(path, head.length), { file: path, offset: head.length });
      throw new InputError('INPUT_NOT_A_DATA_FILE', `${path} does not start with a SQL Server file header page (type 15)${logTextHint(path)}`, { file: path });
    }
    this.fileId = h.pageId.fileId || 1;
    try {
      const header = parseFileHeaderPage(verifyPage(first!, { fileId: this.fileId, pageId: 0 }).bytes);
      this.bindingId = header.bindingId;
      this.sizePages = header.sizePages;
    } catch {
      // a damaged file header page does not make the file unreadable: the binding id stays unknown
      this.bindingId = undefined;
      this.sizePages = null;
    }
    this.bytes = size;
  }

  /** The file's size in pages as its file header page (page 0) states it; null when unknown. */
  readonly sizePages: number | null;
  private readonly bytes: number;

  /**
   * A page past the end of a file its file header page says is larger: the file is cut short (it
   * said only "does not hold page 1:9" for an .mdf cut to 64 KB). Names how short and what to do.
   */
  whyMissing(fileId: number, pageId: number): string | undefined {
    if (fileId !== this.fileId || pageId < this.pageCount_ || this.sizePages === null || pageId >= this.sizePages) return undefined;
    const cut = this.cutShort();
    return cut ? `: ${cut}` : undefined;
  }

  /**
   * The note of a copy holding fewer whole pages than its file header page (page 0) states
   * (dataFileCutText's `note`, subject "data file PATH"); [] for a whole file or an unreadable page 0.
   * Said whether or not a page past the cut is ever asked for: a result that needed none is whole,
   * but it came from a copy that is not.
   */
  cutShortNotes(use: 'result' | 'comparison' = 'result'): string[] {
    const cut = this.cut();
    return cut ? [dataFileCutText(cut, { as: 'note', subject: this.description, comparison: use === 'comparison', backupOption: this.backupOption })] : [];
  }

  /**
   * `the file is cut short: its file header page (page 1:0) says it has N pages (… bytes), the file
   * holds … bytes (M whole pages), so pages 1:M to 1:N-1 (… bytes) are missing; copy the whole file
   * again …` (dataFileCutText's `missing-page`) when the file holds fewer whole pages than its file
   * header page (page 0) states; undefined for a whole file or an unreadable page 0 (inspect described
   * a cut copy as a whole file of fewer pages, exit 0).
   */
  cutShort(): string | undefined {
    const cut = this.cut();
    return cut ? dataFileCutText(cut, { as: 'missing-page', backupOption: this.backupOption }) : undefined;
  }

  /** The facts of the cut (dataFileCut), null for a whole file or an unreadable page 0. */
  cut(): DataFileCut | null {
    return dataFileCut(this.fileId, this.sizePages, this.bytes);
  }

  /** The database's binding id from page 0 (undefined when page 0 is damaged). */
  readonly bindingId: string | undefined;

  /** The whole of a file shorter than a page (`size` bytes, from offset 0); undefined for a longer or empty one. */
  private readHead(size: number): Uint8Array | undefined {
    if (size >= PAGE_SIZE || size === 0 || this.fd === null) return undefined;
    const buf = new Uint8Array(size);
    return buf.subarray(0, readSync(this.fd, buf, 0, size, 0));
  }

  private readRaw(pageId: number): Uint8Array | undefined {
    if (this.fd === null) throw new FormatError('FORMAT_SOURCE_CLOSED', 'page source is closed', { file: this.path });
    if (pageId < 0 || pageId >= this.pageCount_) return undefined;
    const buf = new Uint8Array(PAGE_SIZE);
    const n = readSync(this.fd, buf, 0, PAGE_SIZE, pageId * PAGE_SIZE);
    return n === PAGE_SIZE ? buf : undefined;
  }

  readPage(fileId: number, pageId: number): Uint8Array | undefined {
    if (fileId !== this.fileId) return undefined;
    return this.readRaw(pageId);
  }

  fileIds(): number[] {
    return [this.fileId];
  }

  pageCount(fileId: number): number | undefined {
    return fileId === this.fileId ? this.pageCount_ : undefined;
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/** An in-memory PageSource (tests, damaged copies): pages keyed `file:page`. */
export class MemoryPageSource implements PageSource {
  constructor(
    readonly description: string,
    private readonly pages: Map<string, Uint8Array>,
  ) {}
  readPage(fileId: number, pageId: number): Uint8Array | undefined {
    return this.pages.get(`${fileId}:${pageId}`);
  }
  fileIds(): number[] {
    return [...new Set([...this.pages.keys()].map((k) => Number(k.split(':')[0])))].sort((a, b) => a - b);
  }
  close(): void {}
}

/**
 * A PageSource that overrides some pages of another (damage tests, or a repaired copy of a page).
 */
export class OverlayPageSource implements PageSource {
  readonly description: string;
  constructor(
    private readonly base: PageSource,
    private readonly overrides: Map<string, Uint8Array>,
  ) {
    this.description = `${base.description} (with ${overrides.size} page(s) replaced)`;
  }
  readPage(fileId: number, pageId: number): Uint8Array | undefined {
    return this.overrides.get(`${fileId}:${pageId}`) ?? this.base.readPage(fileId, pageId);
  }
  whyMissing(fileId: number, pageId: number): string | undefined {
    return this.base.whyMissing?.(fileId, pageId);
  }
  fileIds(): number[] {
    return this.base.fileIds();
  }
  close(): void {
    this.base.close();
  }
}

/**
 * Sources stacked: a page comes from the first layer that holds it. A differential backup over
 * its full backup (`[diff, full]`): the differential holds every extent changed since the full
 * one, so together they hold the database as of the differential.
 */
export class LayeredPageSource implements PageSource {
  readonly description: string;
  constructor(private readonly layers: PageSource[]) {
    this.description = layers.map((l) => l.description).join(' over ');
  }
  readPage(fileId: number, pageId: number): Uint8Array | undefined {
    for (const l of this.layers) {
      const p = l.readPage(fileId, pageId);
      if (p) return p;
      // A newer backup that wrote this slot without an image hides the older copies.
      if (l.holdsNoImage?.(fileId, pageId)) return undefined;
    }
    return undefined;
  }

  /** Every layer's cut-short notes, in the order given. */
  cutShortNotes(use: 'result' | 'comparison' = 'result'): string[] {
    return this.layers.flatMap((l) => l.cutShortNotes?.(use) ?? []);
  }

  /** A layer's reason for not holding the page (a data file cut short), the first one given. */
  whyMissing(fileId: number, pageId: number): string | undefined {
    for (const l of this.layers) {
      const why = l.whyMissing?.(fileId, pageId);
      if (why) return why;
    }
    return undefined;
  }

  holdsNoImage(fileId: number, pageId: number): boolean {
    for (const l of this.layers) {
      if (l.holdsNoImage?.(fileId, pageId)) return true;
      if (l.readPage(fileId, pageId)) return false;
    }
    return false;
  }
  /**
   * The layer the page is read from (its own origin, else its description); undefined when none holds
   * it. A layer that tells its pages' origin (a backup: an index lookup) is asked without reading
   * the page: this runs once per row read (pageFileOf), and read 8 KB from the file each time (a
   * full + differential replay read every page once per row on it), and a page whose read throws (cut
   * short) threw here too.
   */
  pageOrigin(fileId: number, pageId: number): string | undefined {
    for (const l of this.layers) {
      if (l.holdsNoImage?.(fileId, pageId)) return undefined;
      if (l.pageOrigin) {
        const o = l.pageOrigin(fileId, pageId);
        if (o !== undefined) return o;
        continue;
      }
      if (l.readPage(fileId, pageId)) return l.description;
    }
    return undefined;
  }
  /** The backup set of the layer the page is read from (pageOrigin's layer), when its file holds several. */
  pageSet(fileId: number, pageId: number): number | undefined {
    for (const l of this.layers) {
      if (l.holdsNoImage?.(fileId, pageId)) return undefined;
      if (l.pageOrigin) {
        if (l.pageOrigin(fileId, pageId) !== undefined) return l.pageSet?.(fileId, pageId);
        continue;
      }
      if (l.readPage(fileId, pageId)) return l.pageSet?.(fileId, pageId);
    }
    return undefined;
  }
  fileIds(): number[] {
    return [...new Set(this.layers.flatMap((l) => l.fileIds()))].sort((a, b) => a - b);
  }
  pageCount(fileId: number): number | undefined {
    const counts = this.layers.map((l) => l.pageCount?.(fileId)).filter((n): n is number => n !== undefined);
    return counts.length ? maxOf(counts) : undefined;
  }
  close(): void {
    for (const l of this.layers) l.close();
  }
}
