/**
 * Rebuilding the before and after images of an updated row from LOP_MODIFY_ROW /
 * LOP_MODIFY_COLUMNS. Both log only the changed bytes, so a full row image to apply them to is
 * needed: `PageSlotModel` (page-model.ts) tracks the row on its page slot; this file holds the
 * pure byte work and the safety checks.
 *
 * LOP_MODIFY_ROW (checked on AngularJs_CRUD Database1_log.ldf, dbo.tblDept): `Offset in Row`,
 * `Modify Size` = length of the replaced bytes, RowLog Contents 0 = the bytes before (exactly
 * `Modify Size` long), RowLog Contents 1 = the bytes after (may be longer or shorter: the row
 * grows or shrinks). After = row[0, off) + Contents 1 + row[off + size, end). E.g. 00000023:00000100:0002
 * turns the inserted `…13002300 4353…` ('CS') into `…14002400 435331…` ('CS1'), and the later
 * LOP_DELETE_ROWS of that slot logs exactly that image. RowLog Contents 2 = the clustering key as
 * an index record, Contents 3 = the lock descriptor (same bytes as the row's insert/delete records).
 *
 * LOP_MODIFY_COLUMNS (element layout: danny-sg/internals-viewer `LogRecordParser.cs` /
 * `ColumnModification.cs`, facts only; confirmed on the 5 dbo.tblDept records of
 * Database1_log.ldf whose rebuilt images equal the next LOP_DELETE_ROWS image of the row):
 *   element 0 = per region u16 before offset, u16 after offset; element 1 = u16 before length per
 *   region; element 2 = key; element 3 = lock descriptor; elements 4+2i / 5+2i = region i's bytes
 *   before / after. Regions are byte splices (they may start inside the variable offset array).
 *
 * Safety (never emit a wrong row): the base image's bytes at each changed place must equal the
 * logged before bytes, the after offsets must agree with the rebuilt row, and the lock descriptor
 * (the key hash SQL Server locks) must be the base row's when both are known. Anything else is a
 * skipped item naming the LSN, page and slot.
 */
import { readElements } from '../logreader/ldf/structures.js';
import { LOP_DELETE_ROWS, LOP_INSERT_ROWS, LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW, type LogRecord } from '../logreader/log-record.js';
import type { RowCandidate } from './source.js';

/** Skipped-item codes of the update rebuild. */
export const RECOVER_UPDATE_NO_BASE = 'RECOVER_UPDATE_NO_BASE';
export const RECOVER_UPDATE_BASE_MISMATCH = 'RECOVER_UPDATE_BASE_MISMATCH';
export const RECOVER_UPDATE_UNSUPPORTED = 'RECOVER_UPDATE_UNSUPPORTED';

export type UpdateRebuild =
  | {
      kind: 'rebuilt';
      before: Uint8Array;
      after: Uint8Array;
      /** LSN of the record that gave the base image its last bytes, or the data-file page it was walked back from. */
      baseLsn: string;
      /**
       * Set when the row came from the data file: `walked-back` from the page's current state
       * (page-model-anchor.ts), or `seeded` from a stored page the log then changed (page-model.ts).
       */
      fromDataFile?: 'walked-back' | 'seeded';
    }
  | { kind: 'skipped'; code: string; reason: string };

/** A row candidate of the files source, with the update rebuilt by the page model when asked for. */
export interface RebuildCandidate extends RowCandidate {
  rebuild?: UpdateRebuild;
}

/** Splice outcome: the new image, or why it could not be applied. */
export type SpliceResult = { ok: true; image: Uint8Array } | { ok: false; code: string; reason: string };

/** Fixed-part length of a row operation's log record (FORMAT-NOTES §3): elements follow it. */
const ROW_OP_FIXED_SIZE = 0x3e;

/** LOP_MODIFY_ROW applied to `base`. */
export function applyModifyRow(base: Uint8Array, offset: number, modifySize: number, before: Uint8Array, after: Uint8Array): SpliceResult {
  if (before.length !== modifySize) {
    return { ok: false, code: RECOVER_UPDATE_UNSUPPORTED, reason: `RowLog Contents 0 holds ${before.length} bytes but Modify Size is ${modifySize}` };
  }
  if (offset + modifySize > base.length) {
    return { ok: false, code: RECOVER_UPDATE_BASE_MISMATCH, reason: `change at offset ${offset} (+${modifySize}) runs past the ${base.length}-byte base row` };
  }
  if (!bytesEqualAt(base, offset, before)) {
    return {
      ok: false,
      code: RECOVER_UPDATE_BASE_MISMATCH,
      reason: `base row holds ${hex(base.subarray(offset, offset + modifySize))} at offset ${offset}, the log's before bytes are ${hex(before)}`,
    };
  }
  const out = new Uint8Array(base.length - modifySize + after.length);
  out.set(base.subarray(0, offset), 0);
  out.set(after, offset);
  out.set(base.subarray(offset + modifySize), offset + after.length);
  return { ok: true, image: out };
}

export interface ColumnRegion {
  beforeOffset: number;
  afterOffset: number;
  beforeLength: number;
  before: Uint8Array;
  after: Uint8Array;
}

/** The regions of a LOP_MODIFY_COLUMNS element array, or a reason string when it does not parse. */
export function parseModifyColumns(elements: Uint8Array[]): { regions: ColumnRegion[]; lock: Uint8Array | null } | string {
  if (elements.length < 4) return `${elements.length} elements, expected at least 4`;
  const offsets = elements[0];
  const lengths = elements[1];
  if (offsets.length % 4 !== 0 || offsets.length === 0) return `element 0 is ${offsets.length} bytes, not a list of u16 offset pairs`;
  const n = offsets.length / 4;
  if (lengths.length < 2 * n) return `element 1 holds ${lengths.length / 2} before lengths for ${n} regions`;
  if (elements.length < 4 + 2 * n) return `${elements.length} elements for ${n} regions (need ${4 + 2 * n})`;
  const ov = new DataView(offsets.buffer, offsets.byteOffset, offsets.byteLength);
  const lv = new DataView(lengths.buffer, lengths.byteOffset, lengths.byteLength);
  const regions: ColumnRegion[] = [];
  for (let i = 0; i < n; i++) {
    regions.push({
      beforeOffset: ov.getUint16(4 * i, true),
      afterOffset: ov.getUint16(4 * i + 2, true),
      beforeLength: lv.getUint16(2 * i, true),
      before: elements[4 + 2 * i],
      after: elements[5 + 2 * i],
    });
  }
  return { regions, lock: elements[3].length ? elements[3] : null };
}

/** LOP_MODIFY_COLUMNS regions applied to `base`, in before-offset order. */
export function applyModifyColumns(base: Uint8Array, regions: ColumnRegion[]): SpliceResult {
  const sorted = [...regions].sort((a, b) => a.beforeOffset - b.beforeOffset);
  const parts: Uint8Array[] = [];
  let oldPos = 0;
  let newPos = 0;
  for (const r of sorted) {
    if (r.before.length !== r.beforeLength) {
      return { ok: false, code: RECOVER_UPDATE_UNSUPPORTED, reason: `region at offset ${r.beforeOffset}: ${r.before.length} before bytes logged, length says ${r.beforeLength}` };
    }
    if (r.beforeOffset < oldPos || r.beforeOffset + r.beforeLength > base.length) {
      return { ok: false, code: RECOVER_UPDATE_BASE_MISMATCH, reason: `region at offset ${r.beforeOffset} (+${r.beforeLength}) overlaps another or runs past the ${base.length}-byte base row` };
    }
    const gap = r.beforeOffset - oldPos;
    parts.push(base.subarray(oldPos, r.beforeOffset));
    newPos += gap;
    if (r.afterOffset !== newPos) {
      return { ok: false, code: RECOVER_UPDATE_BASE_MISMATCH, reason: `region after offset ${r.afterOffset} does not match the rebuilt row position ${newPos}` };
    }
    if (!bytesEqualAt(base, r.beforeOffset, r.before)) {
      return {
        ok: false,
        code: RECOVER_UPDATE_BASE_MISMATCH,
        reason: `base row holds ${hex(base.subarray(r.beforeOffset, r.beforeOffset + r.beforeLength))} at offset ${r.beforeOffset}, the log's before bytes are ${hex(r.before)}`,
      };
    }
    parts.push(r.after);
    oldPos = r.beforeOffset + r.beforeLength;
    newPos += r.after.length;
  }
  parts.push(base.subarray(oldPos));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { ok: true, image: out };
}

/**
 * The lock descriptor a row operation carries (the KEY or RID lock SQL Server took on the row:
 * the same bytes on every record of one row, e.g. `…0a30b7763ed433` on the insert, both modifies
 * and the delete of dbo.tblDept id 9). Element index per operation, as seen in Database1_log.ldf:
 * LOP_INSERT_ROWS 2, LOP_DELETE_ROWS 1, LOP_MODIFY_ROW 3, LOP_MODIFY_COLUMNS 3.
 */
export function lockDescriptorOf(r: LogRecord): Uint8Array | null {
  let el: Uint8Array | null | undefined;
  if (r.Operation === LOP_INSERT_ROWS) el = r['RowLog Contents 2'];
  else if (r.Operation === LOP_DELETE_ROWS) el = r['RowLog Contents 1'];
  else if (r.Operation === LOP_MODIFY_ROW || r.Operation === LOP_MODIFY_COLUMNS) el = r['RowLog Contents 3'];
  return el && el.length ? el : null;
}

/** The element array of a LOP_MODIFY_COLUMNS record (from its `Log Record` bytes), or null. */
export function modifyColumnsElements(r: LogRecord): Uint8Array[] | null {
  const rec = r['Log Record'];
  if (!rec || rec.length < 4) return null;
  const fixedLen = rec[2] | (rec[3] << 8);
  if (fixedLen < ROW_OP_FIXED_SIZE || fixedLen > rec.length) return null;
  return readElements(rec, 0, fixedLen, rec.length);
}

export function bytesEqual(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return bytesEqualAt(a, 0, b);
}

function bytesEqualAt(base: Uint8Array, offset: number, want: Uint8Array): boolean {
  if (offset + want.length > base.length) return false;
  for (let i = 0; i < want.length; i++) if (base[offset + i] !== want[i]) return false;
  return true;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex').toUpperCase() || '(none)';
}
