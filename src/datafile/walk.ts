/**
 * Walking pages and their records: a B-tree leaf level through m_nextPage, and the records
 * of one page by slot. Damage is reported through the PageReader / callbacks, never thrown.
 */
import { isRowbackError } from '../errors.js';
import type { PageReader } from './page-reader.js';
import { formatPageId, slotOffset, PAGE_HEADER_SIZE, type PageId, type VerifiedPage } from './page.js';
import { cdRecordTypeOf, fixedVarRecordLength, RecordType, recordTypeOf } from './record.js';
import { PAGE_SIZE } from './page-source.js';

export interface PageRecord {
  page: PageId;
  slot: number;
  /** Byte offset of the record in the page. */
  offset: number;
  /** The record's bytes (a view into the verified page). */
  bytes: Uint8Array;
  /** Record type from status byte A (RecordType). */
  type: number;
}

/**
 * Records of one verified page, in slot order. Bad records go to `onBad` and are skipped.
 * With `compressed` (ROW/PAGE-compressed partitions: CD records, whose length is not in a
 * FixedVar header) a record runs to the next record's start or the page's free-data offset; the
 * row decoder reads its own structure inside that span.
 */
export function* pageRecords(
  vp: VerifiedPage,
  onBad: (slot: number, offset: number, reason: string, code: string) => void,
  compressed = false,
): Generator<PageRecord> {
  const page = vp.bytes;
  const id = vp.header.pageId;
  const slotArrayStart = PAGE_SIZE - vp.header.slotCount * 2;
  const starts = compressed ? slotRecordStarts(vp) : [];
  const spanEnd = (off: number): number => spanEndAt(vp, starts, off);
  // One record is never in two slots: a slot repeating an earlier slot's offset is a damaged slot
  // array (a changed entry printed that row twice and lost the row it pointed at, with no word).
  const taken = new Map<number, number>();
  // Every slot's record start, for FixedVar records: records never overlap, so one whose length
  // (from its own variable-column offsets) runs past another slot's record start, or the last one
  // past m_freeData, has a damaged offset (or the slot array is damaged). On a page without a
  // checksum one changed bit of the last variable-column end printed that column with the next
  // record's bytes appended ('Germany0:', 'Brazil0:…LINO' in NORTHWND.MDF dbo.Orders) with no word.
  // Only starts that look like a data page's record (a data, ghost or forwarded record whose fixed
  // part is m_pminlen long, or a forwarding stub, its length inside the record area): a damaged slot
  // pointing into the middle of a record must not cost that record too.
  // Returns the record's length in bytes when it looks like a start, else -1; the lengths are kept
  // per slot (slotLength) so the record is not parsed twice.
  const startLength = (o: number): number => {
    const type = recordTypeOf(page[o]);
    if (type === RecordType.PRIMARY || type === RecordType.GHOST_DATA || type === RecordType.FORWARDED) {
      if (page[o] & 0x81) return -1; // status bits no FixedVar data record carries
      if (vp.header.pminlen >= 4 && (o + 4 > slotArrayStart || (page[o + 2] | (page[o + 3] << 8)) !== vp.header.pminlen)) return -1;
    } else if (page[o] !== 0x04) return -1; // a forwarding stub's status byte is 0x04 exactly
    try {
      return fixedVarRecordLength(page, o, slotArrayStart);
    } catch {
      return -1;
    }
  };
  const recordStarts: number[] = [];
  const slotLength: number[] = [];
  if (!compressed) {
    for (let s = 0; s < vp.header.slotCount; s++) {
      const o = slotOffset(page, s);
      const length = o >= PAGE_HEADER_SIZE && o < slotArrayStart ? startLength(o) : -1;
      slotLength.push(length);
      if (length >= 0) recordStarts.push(o);
    }
    // slots are usually in offset order already; a repeated offset is harmless (firstAbove skips it)
    recordStarts.sort((a, b) => a - b);
  }
  // m_freeData bounds the last record when it agrees with the slot array (past every record
  // start, before the slot array); a damaged m_freeData is not used to refuse records.
  const freeDataSane = recordStarts.length > 0 && vp.header.freeData > recordStarts[recordStarts.length - 1] && vp.header.freeData <= slotArrayStart;
  for (let slot = 0; slot < vp.header.slotCount; slot++) {
    const off = slotOffset(page, slot);
    if (off === 0) continue; // empty slot
    if (off < PAGE_HEADER_SIZE || off >= slotArrayStart) {
      onBad(slot, off, `slot ${slot} points at offset ${off}, outside the record area`, 'FORMAT_BAD_RECORD');
      continue;
    }
    const twin = taken.get(off);
    if (twin !== undefined) {
      onBad(slot, off, `slot ${slot} points at offset ${off}, the record of slot ${twin}: a record is in one slot only, so the slot array is damaged and the record slot ${slot} held is not known`, 'FORMAT_BAD_RECORD');
      continue;
    }
    taken.set(off, slot);
    let len: number;
    try {
      len = compressed ? spanEnd(off) - off : (slotLength[slot] >= 0 ? slotLength[slot] : fixedVarRecordLength(page, off, slotArrayStart));
    } catch (e) {
      if (!isRowbackError(e)) throw e;
      onBad(slot, off, e.message, e.code);
      continue;
    }
    if (!compressed) {
      const at = firstAbove(recordStarts, off);
      const next = at >= 0 ? recordStarts[at] : undefined;
      if (next === undefined && freeDataSane && off + len > vp.header.freeData) {
        onBad(
          slot,
          off,
          `slot ${slot}'s record at offset ${off} is ${len} bytes by its own header and variable-column offsets, so it runs ${off + len - vp.header.freeData} byte(s) past the end of the page's records (m_freeData ${vp.header.freeData}, the first free byte): a variable-column offset of this record is damaged and its last values would be read with the free space's bytes; the row is not printed`,
          'FORMAT_BAD_RECORD',
        );
        continue;
      }
      if (next !== undefined && off + len > next) {
        const other = slotAt(page, vp.header.slotCount, next);
        onBad(
          slot,
          off,
          `slot ${slot}'s record at offset ${off} is ${len} bytes by its own header and variable-column offsets, so it runs ${off + len - next} byte(s) into the record of slot ${other} at offset ${next}: records never overlap, so a variable-column offset of this record (or the slot array) is damaged and its last values would be read with the next record's bytes; the row is not printed`,
          'FORMAT_BAD_RECORD',
        );
        continue;
      }
    }
    yield { page: id, slot, offset: off, bytes: page.subarray(off, off + len), type: compressed ? cdRecordTypeOf(page[off]) : recordTypeOf(page[off]) };
  }
}

/** The distinct record starts of a page's slots (offsets at or past the page header), ascending. */
function slotRecordStarts(vp: VerifiedPage): number[] {
  const starts: number[] = [];
  for (let s = 0; s < vp.header.slotCount; s++) starts.push(slotOffset(vp.bytes, s));
  return [...new Set(starts.filter((o) => o >= PAGE_HEADER_SIZE))].sort((a, b) => a - b);
}

/** Where the span of the record at `off` ends (byte offset in the page): the next record's start, else m_freeData when sane, else the slot array. */
function spanEndAt(vp: VerifiedPage, starts: readonly number[], off: number): number {
  const slotArrayStart = PAGE_SIZE - vp.header.slotCount * 2;
  const i = firstAbove(starts, off);
  const free = vp.header.freeData > off && vp.header.freeData <= slotArrayStart ? vp.header.freeData : slotArrayStart;
  return i >= 0 ? Math.min(starts[i], free) : free;
}

/**
 * The bytes a CD record (ROW/PAGE-compressed partition) at byte offset `off` of a page may occupy,
 * as pageRecords gives them: from `off` to the next record's start or m_freeData (a CD record's
 * length is not in a header; the row decoder reads its own structure inside that span). For a
 * record reached by its RID (a forwarded record), which must not be cut by FixedVar's rules.
 */
export function cdRecordSpan(vp: VerifiedPage, off: number): Uint8Array {
  return vp.bytes.subarray(off, spanEndAt(vp, slotRecordStarts(vp), off));
}

/**
 * Index of the first element of ascending `sorted` greater than `x`, -1 when none: a binary search,
 * so that a page of ~700 small records costs ~10 comparisons a record, not a walk of the array.
 */
function firstAbove(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo < sorted.length ? lo : -1;
}

/** The first slot whose record starts at `offset`. */
function slotAt(page: Uint8Array, slotCount: number, offset: number): number {
  for (let s = 0; s < slotCount; s++) if (slotOffset(page, s) === offset) return s;
  return -1;
}

/**
 * Pages of one B-tree level from `first` along m_nextPage. Stops at 0:0, at a page already seen
 * (a loop), at a page of another allocation unit, or at a damaged page (reported by the reader).
 * Returns through `onBreak` why the chain ended early.
 */
export function* leafChain(
  reader: PageReader,
  first: PageId,
  /** Header allocation-unit ids the chain's pages may carry (undefined: any). */
  expectAllocUnit: string | Set<string> | undefined,
  onBreak?: (at: PageId, reason: string) => void,
): Generator<VerifiedPage> {
  const seen = new Set<string>();
  let cur: PageId = first;
  while (cur.pageId !== 0 || cur.fileId !== 0) {
    const key = formatPageId(cur);
    if (seen.has(key)) {
      onBreak?.(cur, `page chain loops back to ${key}`);
      return;
    }
    seen.add(key);
    const vp = reader.get(cur);
    if (!vp) {
      onBreak?.(cur, `page ${key} is missing or damaged`);
      return;
    }
    const ok =
      expectAllocUnit === undefined ||
      (typeof expectAllocUnit === 'string' ? vp.header.allocUnitId === expectAllocUnit : expectAllocUnit.has(vp.header.allocUnitId));
    if (!ok) {
      onBreak?.(cur, `page ${key} belongs to allocation unit ${vp.header.allocUnitId}, not ${[...(typeof expectAllocUnit === 'string' ? [expectAllocUnit] : expectAllocUnit ?? [])].join(' / ')}`);
      return;
    }
    yield vp;
    cur = vp.header.nextPage;
  }
}
