/**
 * PageSlotModel: the rows of each touched data page, slot by slot, followed over the log in the
 * order it is read — every transaction's changes, committed or not, since a page holds them all.
 * It exists to give LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS a full row image to apply their changed
 * bytes to (update-rebuild.ts).
 *
 * What a slot knows comes from full row images in the log (LOP_INSERT_ROWS and LOP_DELETE_ROWS
 * images, and images this model rebuilt), or from a stored page whose m_lsn the log's first change
 * to it names as its previous page LSN (`seed`). Otherwise a page starts with every slot unknown;
 * slots beyond the end of the tracked array are unknown too, so an insert into a page whose
 * earlier rows predate the log still shifts what is known correctly.
 *
 * Slot rules (SQL Server 2005+ data pages):
 * - clustered index (LCX_CLUSTERED): the slot array is kept in key order, so LOP_INSERT_ROWS at
 *   slot s moves slots ≥ s up by one, a physical LOP_DELETE_ROWS (LCX_CLUSTERED) and
 *   LOP_EXPUNGE_ROWS (ghost cleanup) remove slot s and move the later ones down;
 *   LOP_DELETE_ROWS with LCX_MARK_AS_GHOST leaves the row in its slot as a ghost (seen in
 *   Database1_log.ldf: each ghosting delete at slot s is followed by LOP_EXPUNGE_ROWS at slot s,
 *   and the next insert reuses that slot number).
 * - heap (LCX_HEAP): a row id (page, slot) never changes while the row lives, so inserts and
 *   deletes fill or empty one slot and move nothing. (Not present in the corpus logs: the heap
 *   rules are SQL Server's documented RID stability, not checked on real bytes.)
 * - anything else on a tracked page (LOP_DELETE_SPLIT, LOP_FORMAT_PAGE, index contexts, unknown
 *   operations) forgets the page; LOP_MODIFY_HEADER changes header fields only and is kept.
 *
 * Guards that make a wrong base impossible to use silently:
 * - the page-LSN chain: every page operation carries the page's previous LSN; a record whose
 *   `Previous Page LSN` is not the last record this model applied to that page means a change
 *   was missed (unread block, record kind without a page id, out-of-order VLF) — the page is
 *   forgotten before the record is applied;
 * - a delete's logged image must equal the tracked image of its slot, and a modify's lock
 *   descriptor (the row's key-lock hash) must equal the one its base row was inserted with;
 *   a mismatch forgets the page;
 * - update-rebuild.ts checks the before bytes of every change against the base.
 *
 * Memory: at most `maxPages` pages (least recently touched evicted = forgotten), each holding at
 * most one page worth of row images.
 */
import { LCX_CLUSTERED, LCX_HEAP, LCX_MARK_AS_GHOST, LOP_DELETE_ROWS, LOP_INSERT_ROWS, LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW, type LogRecord } from '../logreader/log-record.js';
import {
  RECOVER_UPDATE_BASE_MISMATCH, RECOVER_UPDATE_NO_BASE, RECOVER_UPDATE_UNSUPPORTED,
  applyModifyColumns, applyModifyRow, bytesEqual, lockDescriptorOf, modifyColumnsElements, parseModifyColumns,
  type SpliceResult, type UpdateRebuild,
} from './update-rebuild.js';

/** Ghost cleanup: removes ghosted rows' slots. */
export const LOP_EXPUNGE_ROWS = 'LOP_EXPUNGE_ROWS';
/** Header-only change (e.g. ghost count, page links): slots untouched. */
export const LOP_MODIFY_HEADER = 'LOP_MODIFY_HEADER';

export const DEFAULT_MAX_PAGES = 4096;

export interface SlotRow {
  image: Uint8Array;
  ghost: boolean;
  /** True when the image comes (through any number of rebuilt changes) from a data-file page seed. */
  fromDataFile?: boolean;
  /** Lock descriptor of the record that gave the image (see lockDescriptorOf). */
  lock: Uint8Array | null;
  /** LSN of the record that last set the image. */
  lsn: string;
}

export interface PageState {
  /** Index = slot id; a hole or an index past the end = unknown (or empty heap slot). */
  slots: Array<SlotRow | undefined>;
  /** LSN of the last record applied to this page. */
  lastLsn: string;
}

export interface PageModelStats {
  pagesTracked: number;
  /** Pages forgotten because a change could not be followed (chain break, split, mismatch…). */
  forgotten: number;
  /** Pages dropped to keep memory bounded. */
  evicted: number;
  rebuilt: number;
  /** Pages whose slots were taken from the data file (see `seed`). */
  seeded: number;
}

const ROW_OPS: ReadonlySet<string> = new Set([LOP_INSERT_ROWS, LOP_DELETE_ROWS, LOP_MODIFY_ROW, LOP_MODIFY_COLUMNS, LOP_EXPUNGE_ROWS]);
const DATA_CONTEXTS: ReadonlySet<string> = new Set([LCX_HEAP, LCX_CLUSTERED, LCX_MARK_AS_GHOST]);

/**
 * A page as a data file or backup holds it: its slots and its m_lsn (or why it cannot be used).
 * See page-model-anchor.ts `pageSlots`.
 */
export type PageSeed = (pageId: string) => { slots: Array<{ image: Uint8Array | null; ghost: boolean } | undefined>; lsn: string } | string | undefined;

export class PageSlotModel {
  readonly stats: PageModelStats = { pagesTracked: 0, forgotten: 0, evicted: 0, rebuilt: 0, seeded: 0 };
  private readonly pages = new Map<string, PageState>();
  private readonly maxPages: number;
  private readonly seed: PageSeed | undefined;

  /**
   * `seed`: the page's state in a data file or backup. When the first record the model sees for a
   * page names that state's m_lsn as its `Previous Page LSN`, the page as stored is exactly the
   * page this record changed (e.g. a full backup followed by its log backups), so its slots are
   * taken as known.
   */
  constructor(opts: { maxPages?: number; seed?: PageSeed } = {}) {
    this.maxPages = Math.max(1, opts.maxPages ?? DEFAULT_MAX_PAGES);
    this.seed = opts.seed;
  }

  /** The tracked state of a page (tests, diagnostics). */
  page(pageId: string): PageState | undefined {
    return this.pages.get(pageId);
  }

  get size(): number {
    return this.pages.size;
  }

  /**
   * Feeds one log record, in log order. For LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS on a data row
   * returns the rebuilt before/after images or why they could not be rebuilt; otherwise undefined.
   */
  apply(r: LogRecord): UpdateRebuild | undefined {
    const pageId = r['Page ID'];
    const slot = r['Slot ID'];
    if (!pageId || slot === null || slot === undefined) return undefined;
    const rowOp = ROW_OPS.has(r.Operation) && DATA_CONTEXTS.has(r.Context);
    let page = this.pages.get(pageId);
    if (!page) {
      if (!rowOp) return undefined;
      page = { slots: this.seeded(pageId, r), lastLsn: '' };
      this.pages.set(pageId, page);
      this.stats.pagesTracked++;
      this.evict();
    } else {
      // Least recently touched first in iteration order.
      this.pages.delete(pageId);
      this.pages.set(pageId, page);
      if (!r['Previous Page LSN'] || r['Previous Page LSN'] !== page.lastLsn) this.forget(page);
    }
    const result = rowOp ? this.applyRowOp(page, r, slot) : this.applyOther(page, r);
    page.lastLsn = r['Current LSN'];
    return result;
  }

  private seeded(pageId: string, r: LogRecord): Array<SlotRow | undefined> {
    const prev = r['Previous Page LSN'];
    if (!this.seed || !prev) return [];
    const stored = this.seed(pageId);
    if (!stored || typeof stored === 'string' || stored.lsn !== prev) return [];
    this.stats.seeded++;
    const lsn = `data file page ${pageId}`;
    return stored.slots.map((x) => (x && x.image ? { image: x.image, ghost: x.ghost, fromDataFile: true, lock: null, lsn } : undefined));
  }

  private applyRowOp(page: PageState, r: LogRecord, s: number): UpdateRebuild | undefined {
    const lsn = r['Current LSN'];
    const heap = r.Context === LCX_HEAP;
    // Copies: the reader's elements are views into a whole log block (up to 60 KB), which a
    // kept view would pin in memory.
    const image = copyOf(r['RowLog Contents 0']);
    const lock = copyOf(lockDescriptorOf(r));
    switch (r.Operation) {
      case LOP_INSERT_ROWS: {
        if (!image || image.length === 0 || r.Context === LCX_MARK_AS_GHOST) return void this.forget(page);
        const row: SlotRow = { image, ghost: false, lock, lsn };
        if (heap) {
          // A live row already in this heap slot contradicts RID stability: the model is off.
          const held = page.slots[s];
          if (held && !held.ghost) this.forget(page);
          page.slots[s] = row;
        } else {
          if (page.slots.length < s) page.slots.length = s;
          page.slots.splice(s, 0, row);
        }
        return undefined;
      }
      case LOP_DELETE_ROWS: {
        const held = page.slots[s];
        if (held && (!image || !bytesEqual(held.image, image) || !locksAgree(held.lock, lock))) this.forget(page);
        if (r.Context === LCX_MARK_AS_GHOST) {
          if (image && image.length) page.slots[s] = { image, ghost: true, lock, lsn };
          else page.slots[s] = undefined;
        } else if (heap) {
          page.slots[s] = undefined;
        } else if (s < page.slots.length) {
          page.slots.splice(s, 1);
        }
        return undefined;
      }
      case LOP_EXPUNGE_ROWS: {
        const held = page.slots[s];
        if (heap) {
          page.slots[s] = undefined;
        } else {
          // Ghost cleanup removes ghosts only; a live row here means the model is off.
          if (held && !held.ghost) this.forget(page);
          if (s < page.slots.length) page.slots.splice(s, 1);
        }
        return undefined;
      }
      default:
        return this.applyModify(page, r, s, lock);
    }
  }

  private applyModify(page: PageState, r: LogRecord, s: number, lock: Uint8Array | null): UpdateRebuild {
    const where = `page ${r['Page ID']} slot ${s} at LSN ${r['Current LSN']}`;
    if (r.Context === LCX_MARK_AS_GHOST) {
      this.forget(page);
      return { kind: 'skipped', code: RECOVER_UPDATE_UNSUPPORTED, reason: `${r.Operation} with ${r.Context} on ${where} is not a row update rowback rebuilds` };
    }
    const base = page.slots[s];
    if (!base) {
      return {
        kind: 'skipped',
        code: RECOVER_UPDATE_NO_BASE,
        reason: `no full image of the row on ${where} is known: its insert (or last full image) is not in the scanned log, or a change to the page could not be followed`,
      };
    }
    if (base.ghost) {
      this.forget(page);
      return { kind: 'skipped', code: RECOVER_UPDATE_BASE_MISMATCH, reason: `${where}: the slot holds a ghosted (deleted) row, not a live one` };
    }
    if (!locksAgree(base.lock, lock)) {
      this.forget(page);
      return {
        kind: 'skipped',
        code: RECOVER_UPDATE_BASE_MISMATCH,
        reason: `${where}: the record's lock descriptor differs from the one of the row tracked in that slot (from LSN ${base.lsn}): another row`,
      };
    }
    const done = this.splice(base.image, r);
    if (!done.ok) {
      if (done.code === RECOVER_UPDATE_BASE_MISMATCH) this.forget(page);
      else page.slots[s] = undefined;
      return { kind: 'skipped', code: done.code, reason: `${where} (base image from LSN ${base.lsn}): ${done.reason}` };
    }
    page.slots[s] = { image: done.image, ghost: false, lock: base.lock ?? lock, lsn: r['Current LSN'], ...(base.fromDataFile ? { fromDataFile: true } : {}) };
    this.stats.rebuilt++;
    return { kind: 'rebuilt', before: base.image, after: done.image, baseLsn: base.lsn, ...(base.fromDataFile ? { fromDataFile: 'seeded' as const } : {}) };
  }

  private splice(base: Uint8Array, r: LogRecord): SpliceResult {
    if (r.Operation === LOP_MODIFY_ROW) {
      const offset = r['Offset in Row'];
      const size = r['Modify Size'];
      if (offset === null || offset === undefined || size === null || size === undefined) {
        return { ok: false, code: RECOVER_UPDATE_UNSUPPORTED, reason: 'the record has no Offset in Row / Modify Size' };
      }
      return applyModifyRow(base, offset, size, r['RowLog Contents 0'] ?? new Uint8Array(0), r['RowLog Contents 1'] ?? new Uint8Array(0));
    }
    const elements = modifyColumnsElements(r);
    if (!elements) return { ok: false, code: RECOVER_UPDATE_UNSUPPORTED, reason: 'LOP_MODIFY_COLUMNS without its full record bytes (Log Record)' };
    const parsed = parseModifyColumns(elements);
    if (typeof parsed === 'string') return { ok: false, code: RECOVER_UPDATE_UNSUPPORTED, reason: `LOP_MODIFY_COLUMNS elements not understood: ${parsed}` };
    return applyModifyColumns(base, parsed.regions);
  }

  private applyOther(page: PageState, r: LogRecord): undefined {
    if (r.Operation !== LOP_MODIFY_HEADER) this.forget(page);
    return undefined;
  }

  private forget(page: PageState): void {
    if (page.slots.length) this.stats.forgotten++;
    page.slots = [];
  }

  private evict(): void {
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value as string;
      this.pages.delete(oldest);
      this.stats.evicted++;
    }
  }
}

function copyOf(b: Uint8Array | null | undefined): Uint8Array | null {
  return b ? b.slice() : null;
}

/** Two lock descriptors agree unless both are known and differ. */
function locksAgree(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return !a || !b || bytesEqual(a, b);
}
