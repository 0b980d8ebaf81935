/**
 * Data-file anchor for updates the forward page model could not rebuild (RECOVER_UPDATE_NO_BASE:
 * the row was inserted before the scanned log begins, or the log was read out of LSN order).
 *
 * The data file holds each page as of its last write, and the page header's m_lsn names the last
 * log record that changed it. When the log holds every change to the page from the update on —
 * an unbroken `Previous Page LSN` chain in LSN order ending exactly at the page's m_lsn — the page
 * can be walked backwards from its current slots: each later change is undone (and checked) until
 * the update, whose after image is then the slot's row and whose before image comes from undoing
 * its changed bytes. Nothing is guessed:
 * - the chain must be complete and end at m_lsn (else the page changed in ways the log does not show);
 * - undoing an insert requires the slot to hold exactly the inserted image;
 * - undoing a modify requires the slot's bytes to equal the logged after bytes at each changed place;
 * - a ghost restored by undoing a ghosting delete must match the delete's image apart from the
 *   status byte;
 * - any other operation on the page in that stretch (split, format, index context) stops the walk.
 *
 * Memory: one journal per page that has a pending update — its changes from that update on (slot,
 * offsets, changed bytes) — at most `maxJournal` records per page and `maxBytes` over all pages
 * (a page over budget is given up, its updates stay NO_BASE); the third read of the log keeps
 * nothing else.
 */
import type { PageSource } from '../datafile/page-source.js';
import { PageType, slotOffset, verifyPage } from '../datafile/page.js';
import { fixedVarRecordLength, RecordType, recordTypeOf } from '../datafile/record.js';
import { LCX_CLUSTERED, LCX_HEAP, LCX_MARK_AS_GHOST, LOP_DELETE_ROWS, LOP_INSERT_ROWS, LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW, parseLogPageId, type LogRecord } from '../logreader/log-record.js';
import { LOP_EXPUNGE_ROWS, LOP_MODIFY_HEADER } from './page-model.js';
import {
  RECOVER_UPDATE_NO_BASE, applyModifyColumns, applyModifyRow, bytesEqual, modifyColumnsElements, parseModifyColumns,
  type ColumnRegion, type RebuildCandidate, type SpliceResult, type UpdateRebuild,
} from './update-rebuild.js';

export const DEFAULT_MAX_JOURNAL = 20_000;
/** Bytes of journaled changes (row images, changed bytes) kept over all pages at most. */
export const DEFAULT_JOURNAL_BYTES = 64 * 1024 * 1024;

/** One page change, as much of it as the backward walk needs (bytes copied out of the log block). */
export interface JournalEntry {
  lsn: string;
  prevPageLsn: string | null;
  op: string;
  context: string;
  slot: number;
  offset?: number;
  modifySize?: number;
  /** RowLog Contents 0 (row image, or a modify's before bytes). */
  c0?: Uint8Array;
  /** RowLog Contents 1 (a modify's after bytes). */
  c1?: Uint8Array;
  regions?: ColumnRegion[];
}

/** A slot of the page during the backward walk; `image` null = a ghost whose bytes come back with its delete. */
interface WalkSlot {
  image: Uint8Array | null;
  ghost: boolean;
}

export function journalEntryOf(r: LogRecord): JournalEntry {
  const e: JournalEntry = { lsn: r['Current LSN'], prevPageLsn: r['Previous Page LSN'] ?? null, op: r.Operation, context: r.Context, slot: r['Slot ID'] ?? -1 };
  if (r['Offset in Row'] !== null && r['Offset in Row'] !== undefined) e.offset = r['Offset in Row'];
  if (r['Modify Size'] !== null && r['Modify Size'] !== undefined) e.modifySize = r['Modify Size'];
  if (r['RowLog Contents 0']) e.c0 = r['RowLog Contents 0'].slice();
  if (r['RowLog Contents 1']) e.c1 = r['RowLog Contents 1'].slice();
  if (r.Operation === LOP_MODIFY_COLUMNS) {
    const els = modifyColumnsElements(r);
    const parsed = els ? parseModifyColumns(els) : null;
    if (parsed && typeof parsed !== 'string') e.regions = parsed.regions.map((g) => ({ ...g, before: g.before.slice(), after: g.after.slice() }));
  }
  return e;
}

/** A page by its log form `0001:00000117` (file:page, hex). */
export function readPageById(pages: PageSource, pageId: string): Uint8Array | undefined {
  const id = parseLogPageId(pageId);
  return id ? pages.readPage(id.fileId, id.pageId) : undefined;
}

/** The current slots of a data page read from the data file (null + reason when unusable). */
export function pageSlots(raw: Uint8Array | undefined, pageId: string): { slots: Array<WalkSlot | undefined>; lsn: string } | string {
  const id = parseLogPageId(pageId);
  if (!id) return `page ${pageId} is not a page id of the form 0001:00000117`;
  if (!raw) return `page ${pageId} is not in the data file`;
  let vp;
  try {
    vp = verifyPage(raw, id);
  } catch (e) {
    return `page ${pageId} in the data file is damaged: ${(e as Error).message}`;
  }
  if (vp.header.type !== PageType.DATA_PAGE) return `page ${pageId} in the data file is no longer a data page (type ${vp.header.type})`;
  const slots: Array<WalkSlot | undefined> = [];
  for (let i = 0; i < vp.header.slotCount; i++) {
    const off = slotOffset(vp.bytes, i);
    if (off === 0) {
      slots.push(undefined);
      continue;
    }
    // FixedVar records only: a CD (compressed) record has bit 0 of its header set (FORMAT-NOTES §2).
    if (vp.bytes[off] & 1) return `page ${pageId} holds row-compressed (CD) records, which the backward walk does not handle`;
    let len: number;
    try {
      len = fixedVarRecordLength(vp.bytes, off);
    } catch (e) {
      return `page ${pageId} slot ${i}: ${(e as Error).message}`;
    }
    const image = vp.bytes.slice(off, off + len);
    slots.push({ image, ghost: recordTypeOf(image[0]) === RecordType.GHOST_DATA });
  }
  return { slots, lsn: vp.header.lsn };
}

/**
 * Walks `journal` (one page's changes, any order) backwards from the page's current `slots`,
 * undoing every change after `fromLsn` down to it. Returns the rebuilt before/after images of the
 * modifies met on the way, by LSN, or the reason the walk stopped (with the LSN it stopped at).
 */
export function walkBack(
  journal: JournalEntry[],
  current: { slots: Array<WalkSlot | undefined>; lsn: string },
  fromLsn: string,
): { rebuilt: Map<string, { before: Uint8Array; after: Uint8Array }> } | string {
  const j = [...journal].sort((a, b) => (a.lsn < b.lsn ? -1 : a.lsn > b.lsn ? 1 : 0));
  const k = j.findIndex((e) => e.lsn === fromLsn);
  if (k < 0) return `LSN ${fromLsn} is not in the page's records`;
  const last = j[j.length - 1];
  if (last.lsn !== current.lsn) {
    return `the data file's page was last changed at LSN ${current.lsn}, the log's last change to it is ${last.lsn}: the data file and the log are not of the same moment`;
  }
  for (let i = k + 1; i < j.length; i++) {
    if (j[i].prevPageLsn !== j[i - 1].lsn) return `a change to the page between LSN ${j[i - 1].lsn} and ${j[i].lsn} is not in the log (page-LSN chain broken)`;
  }
  const slots = current.slots.slice();
  const rebuilt = new Map<string, { before: Uint8Array; after: Uint8Array }>();
  for (let i = j.length - 1; i >= k; i--) {
    const why = undo(slots, j[i], rebuilt);
    if (why) return `undoing LSN ${j[i].lsn} (${j[i].op} slot ${j[i].slot}): ${why}`;
  }
  return { rebuilt };
}

/** Undoes one change on `slots`; returns why it cannot, or null. */
function undo(slots: Array<WalkSlot | undefined>, e: JournalEntry, rebuilt: Map<string, { before: Uint8Array; after: Uint8Array }>): string | null {
  const s = e.slot;
  const heap = e.context === LCX_HEAP;
  if (e.context !== LCX_HEAP && e.context !== LCX_CLUSTERED && e.context !== LCX_MARK_AS_GHOST) {
    return e.op === LOP_MODIFY_HEADER ? null : `context ${e.context} on a data page is not followed`;
  }
  switch (e.op) {
    case LOP_MODIFY_HEADER:
      return null;
    case LOP_INSERT_ROWS: {
      const held = slots[s];
      if (!held || held.ghost || !held.image || !e.c0 || !bytesEqual(held.image, e.c0)) return 'the slot does not hold the inserted image';
      if (heap) slots[s] = undefined;
      else slots.splice(s, 1);
      return null;
    }
    case LOP_DELETE_ROWS: {
      if (!e.c0 || e.c0.length === 0) return 'the delete carries no row image';
      if (e.context === LCX_MARK_AS_GHOST) {
        const held = slots[s];
        if (!held || !held.ghost) return 'the slot does not hold a ghost';
        if (held.image && !sameButStatus(held.image, e.c0)) return 'the ghost in the slot is not the deleted row';
        slots[s] = { image: e.c0, ghost: false };
      } else if (heap) {
        if (slots[s]) return 'the heap slot is not empty';
        slots[s] = { image: e.c0, ghost: false };
      } else {
        if (s > slots.length) return 'slot beyond the page';
        slots.splice(s, 0, { image: e.c0, ghost: false });
      }
      return null;
    }
    case LOP_EXPUNGE_ROWS: {
      if (heap) {
        if (slots[s]) return 'the heap slot is not empty';
        slots[s] = { image: null, ghost: true };
      } else {
        if (s > slots.length) return 'slot beyond the page';
        slots.splice(s, 0, { image: null, ghost: true });
      }
      return null;
    }
    case LOP_MODIFY_ROW:
    case LOP_MODIFY_COLUMNS: {
      const held = slots[s];
      if (!held || held.ghost || !held.image) return 'the slot holds no live row';
      const r = unsplice(held.image, e);
      if (!r.ok) return r.reason;
      rebuilt.set(e.lsn, { before: r.image, after: held.image });
      slots[s] = { image: r.image, ghost: false };
      return null;
    }
    default:
      return `${e.op} is not followed`;
  }
}

/** The inverse of a modify: the after bytes (checked) replaced by the before bytes. */
function unsplice(after: Uint8Array, e: JournalEntry): SpliceResult {
  if (e.op === LOP_MODIFY_ROW) {
    if (e.offset === undefined || e.modifySize === undefined || !e.c0 || !e.c1) return { ok: false, code: RECOVER_UPDATE_NO_BASE, reason: 'the modify lacks its offset or bytes' };
    if (e.c0.length !== e.modifySize) return { ok: false, code: RECOVER_UPDATE_NO_BASE, reason: `RowLog Contents 0 holds ${e.c0.length} bytes but Modify Size is ${e.modifySize}` };
    return applyModifyRow(after, e.offset, e.c1.length, e.c1, e.c0);
  }
  if (!e.regions) return { ok: false, code: RECOVER_UPDATE_NO_BASE, reason: 'LOP_MODIFY_COLUMNS elements not understood' };
  for (const g of e.regions) {
    if (g.before.length !== g.beforeLength) return { ok: false, code: RECOVER_UPDATE_NO_BASE, reason: `region at offset ${g.beforeOffset}: before bytes truncated` };
  }
  const inverse = e.regions.map((g) => ({ beforeOffset: g.afterOffset, afterOffset: g.beforeOffset, beforeLength: g.after.length, before: g.after, after: g.before }));
  return applyModifyColumns(after, inverse);
}

function entryBytes(e: JournalEntry): number {
  let n = 64 + (e.c0?.length ?? 0) + (e.c1?.length ?? 0);
  for (const g of e.regions ?? []) n += 16 + g.before.length + g.after.length;
  return n;
}

/** Equal apart from status byte A (ghosting changes the record type bits there). */
function sameButStatus(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Resolves pending NO_BASE update candidates against the data file: a third read of the log keeps
 * the records of their pages only; each page is walked back from its data-file state. Every
 * candidate comes back, rebuilt or with its NO_BASE reason extended by why the anchor failed.
 */
export async function anchorOnDataFile(
  pending: RebuildCandidate[],
  open: () => AsyncIterable<LogRecord>,
  pages: PageSource,
  opts: { maxJournal?: number; maxBytes?: number } = {},
): Promise<RebuildCandidate[]> {
  const maxJournal = opts.maxJournal ?? DEFAULT_MAX_JOURNAL;
  const maxBytes = opts.maxBytes ?? DEFAULT_JOURNAL_BYTES;
  const journals = new Map<string, JournalEntry[] | string>();
  // Only changes from a page's earliest pending update on are needed by the walk.
  const earliest = new Map<string, string>();
  for (const c of pending) {
    const p = c.record['Page ID']!;
    const lsn = c.record['Current LSN'];
    journals.set(p, []);
    if (!earliest.has(p) || lsn < earliest.get(p)!) earliest.set(p, lsn);
  }
  const pageBytes = new Map<string, number>();
  let bytes = 0;
  for await (const r of open()) {
    const p = r['Page ID'];
    if (!p) continue;
    const j = journals.get(p);
    if (!j || typeof j === 'string' || r['Current LSN'] < earliest.get(p)!) continue;
    const e = journalEntryOf(r);
    const size = entryBytes(e);
    if (j.length >= maxJournal || bytes + size > maxBytes) {
      journals.set(p, j.length >= maxJournal ? `more than ${maxJournal} changes to the page after the update` : `the changes to follow exceed ${maxBytes} bytes of memory`);
      bytes -= pageBytes.get(p) ?? 0;
      continue;
    }
    j.push(e);
    bytes += size;
    pageBytes.set(p, (pageBytes.get(p) ?? 0) + size);
  }
  const walks = new Map<string, Map<string, { before: Uint8Array; after: Uint8Array }> | string>();
  /** Pending updates before the start of the walk that succeeded on their page, with why theirs failed. */
  const failed = new Map<string, string>();
  for (const [pageId, j] of journals) {
    if (typeof j === 'string') {
      walks.set(pageId, j);
      continue;
    }
    const current = pageSlots(readPageById(pages, pageId), pageId);
    if (typeof current === 'string') {
      walks.set(pageId, current);
      continue;
    }
    // One walk from the earliest pending update of the page covers the later ones too; when it
    // fails (e.g. the chain breaks after it), the next pending update is tried as a start.
    const starts = pending.filter((c) => c.record['Page ID'] === pageId).map((c) => c.record['Current LSN']).sort();
    let reason = '';
    for (const start of starts) {
      const w = walkBack(j, current, start);
      if (typeof w !== 'string') {
        walks.set(pageId, w.rebuilt);
        break;
      }
      reason ||= w;
    }
    const done = walks.get(pageId);
    if (!done) walks.set(pageId, reason);
    else if (typeof done !== 'string' && reason) for (const start of starts) if (!done.has(start)) failed.set(start, reason);
  }
  return pending.map((c) => {
    const w = walks.get(c.record['Page ID']!);
    const got = w && typeof w !== 'string' ? w.get(c.record['Current LSN']) : undefined;
    let rebuild: UpdateRebuild;
    if (got) rebuild = { kind: 'rebuilt', before: got.before, after: got.after, baseLsn: `data file page ${c.record['Page ID']}`, fromDataFile: 'walked-back' };
    else {
      const prior = c.rebuild?.kind === 'skipped' ? c.rebuild.reason : 'no base row';
      const why = typeof w === 'string' ? w : failed.get(c.record['Current LSN']) ?? 'the walk did not reach this update';
      rebuild = { kind: 'skipped', code: RECOVER_UPDATE_NO_BASE, reason: `${prior}; the data file could not anchor it: ${why}` };
    }
    return { ...c, rebuild };
  });
}
