/**
 * Record status bits.
 *
 * FixedVar record, byte 0 ("status bits A"), per OrcaMDF Engine/Records/PrimaryRecord.cs and
 * Record.cs, practicalsqldba 2012 "SQL Server: Understanding the data page structure", and
 * the corpus FORMAT-NOTES §1:
 *   bit 0 (0x01)  versioning bit — not used by SQL Server 2005+ (always 0 in data records)
 *   bits 1-3 (0x0E) record type: 0 primary, 1 forwarded, 2 forwarding stub, 3 index,
 *                  4 blob fragment / row-overflow, 5 ghost index, 6 ghost data, 7 ghost version
 *   bit 4 (0x10)  null bitmap present
 *   bit 5 (0x20)  variable-length columns present
 *   bit 6 (0x40)  a 14-byte versioning tag follows the record (snapshot isolation / RCSI / online index ops)
 *   bit 7 (0x80)  unused
 * Byte 1 ("status bits B"): 0x01 = ghost forwarded record; other bits unused.
 *
 * CD (row-compressed) record header byte, per OrcaMDF Engine/Records/Compression/CompressedRecord.cs
 * and FORMAT-NOTES §2:
 *   bit 0 (0x01)  CD format (always 1 for a compressed record)
 *   bit 1 (0x02)  versioning information present (14-byte tag at the end)
 *   bits 2-4 (0x1C) record type, in its own numbering (OrcaMDF CompressedRecordType.cs):
 *                  0 primary, 1 ghost empty, 2 forwarding stub, 3 ghost data, 4 forwarded,
 *                  5 ghost forwarded, 6 index, 7 ghost index — not the FixedVar numbering above
 *   bit 5 (0x20)  long-data region present
 *   bits 6-7      unused
 */

export const RECORD_VERSIONING_BIT = 0x01;
export const RECORD_TYPE_MASK = 0x0e;
export const RECORD_NULL_BITMAP = 0x10;
export const RECORD_VARIABLE_COLUMNS = 0x20;
export const RECORD_VERSIONING_TAG = 0x40;
export const STATUS_B_GHOST_FORWARDED = 0x01;

export const CD_RECORD_FORMAT = 0x01;
export const CD_RECORD_VERSIONING = 0x02;
export const CD_RECORD_TYPE_MASK = 0x1c;
export const CD_RECORD_LONG_DATA = 0x20;

/** Size of the versioning tag: 8-byte version-store RID + 6-byte transaction sequence number. */
export const VERSIONING_TAG_SIZE = 14;

export type RecordType =
  | 'primary' | 'forwarded' | 'forwarding-stub' | 'index'
  | 'blob-fragment' | 'ghost-index' | 'ghost-data' | 'ghost-version';

/** Record types by their 3-bit code. */
export const RECORD_TYPES: readonly RecordType[] = [
  'primary', 'forwarded', 'forwarding-stub', 'index', 'blob-fragment', 'ghost-index', 'ghost-data', 'ghost-version',
];

/**
 * CD record types by their 3-bit code (OrcaMDF CompressedRecordType). A ghost-empty record is
 * reported as ghost data; a ghost forwarded one as forwarded (its ghost flag is set by the caller).
 * Not yet seen on real bytes: the corpus has no compressed table.
 */
export const CD_RECORD_TYPES: readonly RecordType[] = [
  'primary', 'ghost-data', 'forwarding-stub', 'ghost-data', 'forwarded', 'forwarded', 'index', 'ghost-index',
];
/** CD record type codes that are ghosts (ghost empty 1, ghost data 3, ghost forwarded 5, ghost index 7). */
export function isCdGhostCode(code: number): boolean {
  return (code & 1) === 1;
}

export function isGhostType(t: RecordType): boolean {
  return t === 'ghost-index' || t === 'ghost-data' || t === 'ghost-version';
}

/**
 * Whether a record image (RowLog Contents 0 of a row operation) is an index record: FixedVar type
 * 3 index or 5 ghost index, CD type 6 index or 7 ghost index (the header's bit 0 tells the formats
 * apart, above). A nonclustered index's leaf rows and a clustered index's upper levels are index
 * records; a heap or clustered-index data row never is. False for an empty image.
 */
export function isIndexRecordImage(image: Uint8Array | null | undefined): boolean {
  if (!image || image.length === 0) return false;
  const b = image[0]!;
  if ((b & CD_RECORD_FORMAT) !== 0) {
    const t = (b & CD_RECORD_TYPE_MASK) >> 2;
    return t === 6 || t === 7;
  }
  const t = (b & RECORD_TYPE_MASK) >> 1;
  return t === 3 || t === 5;
}

/**
 * Whether a record image is a forwarded record: a heap row that an UPDATE grew past its page's free
 * space, moved to another page (its home slot keeps a forwarding stub; the record carries a back
 * pointer to it). FixedVar type 1, CD type 4 (forwarded) or 5 (ghost forwarded). Such a record is
 * only ever made by moving a row that already exists: never by an INSERT. False for an empty image.
 */
export function isForwardedRecordImage(image: Uint8Array | null | undefined): boolean {
  if (!image || image.length === 0) return false;
  const b = image[0]!;
  if ((b & CD_RECORD_FORMAT) !== 0) {
    const t = (b & CD_RECORD_TYPE_MASK) >> 2;
    return t === 4 || t === 5;
  }
  return ((b & RECORD_TYPE_MASK) >> 1) === 1;
}

/**
 * The home slot a FixedVar forwarded record's back pointer names (`page:file:slot`, decimal), read
 * without the table's layout: the record's last variable-length entry, a complex column (high bit of
 * its end offset) of 10 bytes starting with the complex id 1024, then page id u32, file id u16, slot u16
 * (improve.dk "Anatomy of a forwarded record – the back pointer"; fixedvar.ts isBackPointerEntry).
 * Null for anything else (not forwarded, a CD record, an image too short for what its header says).
 */
export function forwardedHomeSlot(image: Uint8Array | null | undefined): string | null {
  if (!image || image.length < 4 || (image[0]! & CD_RECORD_FORMAT) !== 0 || ((image[0]! & RECORD_TYPE_MASK) >> 1) !== 1) return null;
  if ((image[0]! & RECORD_VARIABLE_COLUMNS) === 0) return null;
  const u16 = (o: number) => image[o]! | (image[o + 1]! << 8);
  const fixedEnd = u16(2);
  if (fixedEnd + 2 > image.length) return null;
  const columns = u16(fixedEnd);
  let at = fixedEnd + 2 + ((image[0]! & RECORD_NULL_BITMAP) !== 0 ? Math.ceil(columns / 8) : 0);
  if (at + 2 > image.length) return null;
  const varCount = u16(at);
  at += 2;
  if (varCount === 0 || at + 2 * varCount > image.length) return null;
  const raw = u16(at + 2 * (varCount - 1));
  if ((raw & 0x8000) === 0) return null;
  const start = varCount === 1 ? at + 2 * varCount : u16(at + 2 * (varCount - 2)) & 0x7fff;
  const end = raw & 0x7fff;
  if (end - start !== 10 || end > image.length || u16(start) !== 1024) return null;
  const page = (image[start + 2]! | (image[start + 3]! << 8) | (image[start + 4]! << 16) | (image[start + 5]! << 24)) >>> 0;
  return `${page}:${u16(start + 6)}:${u16(start + 8)}`;
}

/**
 * Where a FixedVar forwarding stub points (`page:file:slot`, decimal, as forwardedHomeSlot): its 9
 * bytes are the status byte (record type 2) and the forwarded record's RID, page id u32, file id
 * u16, slot u16 (fixedvar.ts). Null for anything else (not a stub, a CD record, too short).
 */
export function forwardingStubTarget(image: Uint8Array | null | undefined): string | null {
  if (!image || image.length < 9 || (image[0]! & CD_RECORD_FORMAT) !== 0 || ((image[0]! & RECORD_TYPE_MASK) >> 1) !== 2) return null;
  const page = (image[1]! | (image[2]! << 8) | (image[3]! << 16) | (image[4]! << 24)) >>> 0;
  return `${page}:${image[5]! | (image[6]! << 8)}:${image[7]! | (image[8]! << 8)}`;
}
