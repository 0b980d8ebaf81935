/**
 * Record *structure* on a page: where a record starts and ends, its type, and the three
 * record kinds that are pure storage plumbing (forwarding stubs, LOB/row-overflow fragments,
 * in-row LOB pointers). Column values are the row decoder's job (src/reconstruct/decode-row.ts).
 *
 * Status byte A (FORMAT-NOTES §1; OrcaMDF `Engine/Records/Record.cs`; Paul Randal "Anatomy of a record"):
 *   bit 0      versioning bit (unused)
 *   bits 1-3   record type (RecordType)
 *   0x10       null bitmap present
 *   0x20       variable-length columns present
 *   0x40       14-byte versioning tag appended
 * Status byte B: 0x01 = ghost forwarded record. u16 @2 = end of the fixed part.
 */
import { FormatError } from '../errors.js';
import { PAGE_SIZE } from './page-source.js';
import type { PageId } from './page.js';

export const RecordType = {
  PRIMARY: 0,
  FORWARDED: 1,
  FORWARDING_STUB: 2,
  INDEX: 3,
  BLOB_FRAGMENT: 4,
  GHOST_INDEX: 5,
  GHOST_DATA: 6,
  GHOST_VERSION: 7,
} as const;

// The status bits are the row decoder's (one definition, documented in reconstruct/record/status.ts).
import {
  RECORD_NULL_BITMAP as STATUS_A_NULL_BITMAP,
  RECORD_VARIABLE_COLUMNS as STATUS_A_VARIABLE_COLUMNS,
  RECORD_VERSIONING_TAG as STATUS_A_VERSIONING_TAG,
  STATUS_B_GHOST_FORWARDED,
  VERSIONING_TAG_SIZE,
} from '../reconstruct/record/status.js';
export { STATUS_A_NULL_BITMAP, STATUS_A_VARIABLE_COLUMNS, STATUS_A_VERSIONING_TAG, STATUS_B_GHOST_FORWARDED, VERSIONING_TAG_SIZE };

/** Bit 0x8000 in a variable-column end offset marks a complex column (LOB root, row-overflow pointer, back pointer). */
export const VAR_OFFSET_COMPLEX = 0x8000;


export function recordTypeOf(statusA: number): number {
  return (statusA >> 1) & 7;
}

/**
 * A CD (row-/page-compressed) record's header byte keeps its record type in bits 2-4 with its own
 * numbering (OrcaMDF `CompressedRecordType`, facts): 0 primary, 1 ghost empty, 2 forwarding stub,
 * 3 ghost data, 4 forwarded, 5 ghost forwarded, 6 index, 7 ghost index. Mapped here to RecordType:
 * a ghost empty record is a ghost data record, as the row decoder reads it (status.ts CD_RECORD_TYPES;
 * it was taken for a ghost index record, which a data page never holds, so a page walk called its
 * status byte damaged); a ghost forwarded one too (its stub is gone: not a live forwarded record).
 * No compressed table is in the corpus: unverified on real bytes.
 */
export function cdRecordTypeOf(header: number): number {
  switch ((header >> 2) & 7) {
    case 0:
      return RecordType.PRIMARY;
    case 2:
      return RecordType.FORWARDING_STUB;
    case 1:
    case 3:
    case 5:
      return RecordType.GHOST_DATA;
    case 4:
      return RecordType.FORWARDED;
    case 6:
      return RecordType.INDEX;
    default:
      return RecordType.GHOST_INDEX;
  }
}

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Length of the FixedVar record at `offset` (data, index or forwarded records), from its own
 * structure: fixed part, column count and null bitmap (only when status A has the null-bitmap bit
 * 0x10), variable offsets, versioning tag. A record without that bit has neither a null bitmap nor a
 * column count, data records included: the variable-column count follows the fixed part directly
 * (improve.dk "The null bitmap is not always present in data records", 2011; the real sparse-only
 * records of field case improvedk-nullbitmap-sparse-only, e.g. `20 00 04 00 01 00 14 80 …`, 20
 * bytes; the row decoder reads them so, reconstruct/record/fixedvar.ts). Reading a column count
 * there took the variable-column count for it and the first end offset (0x8014) for the count, so
 * every such row was refused as "variable offset array runs past the page end".
 * Throws FORMAT_BAD_RECORD when it runs past the page end.
 */
export function fixedVarRecordLength(page: Uint8Array, offset: number, end = PAGE_SIZE): number {
  const v = dv(page);
  const statusA = page[offset];
  const type = recordTypeOf(statusA);
  if (type === RecordType.FORWARDING_STUB) return 9;
  if (offset + 4 > end) throw new FormatError('FORMAT_BAD_RECORD', 'record header runs past the page end', { offset });
  const fixedEnd = v.getUint16(offset + 2, true);
  if (fixedEnd < 4 || offset + fixedEnd > end) {
    throw new FormatError('FORMAT_BAD_RECORD', `fixed-length end ${fixedEnd} is outside the page`, { offset });
  }
  let p = offset + fixedEnd;
  if (type === RecordType.BLOB_FRAGMENT) return fixedEnd;
  // Without the null-bitmap bit there is no column count either (index and data records alike).
  if ((statusA & STATUS_A_NULL_BITMAP) !== 0) {
    if (p + 2 > end) throw new FormatError('FORMAT_BAD_RECORD', 'column count runs past the page end', { offset });
    const cols = v.getUint16(p, true);
    p += 2 + ((cols + 7) >> 3);
  }
  if (statusA & STATUS_A_VARIABLE_COLUMNS) {
    if (p + 2 > end) throw new FormatError('FORMAT_BAD_RECORD', 'variable column count runs past the page end', { offset });
    const nvar = v.getUint16(p, true);
    p += 2;
    if (p + nvar * 2 > end) throw new FormatError('FORMAT_BAD_RECORD', 'variable offset array runs past the page end', { offset });
    let last = p + nvar * 2 - offset;
    if (nvar > 0) last = v.getUint16(p + (nvar - 1) * 2, true) & 0x7fff;
    p = offset + last;
  }
  if (statusA & STATUS_A_VERSIONING_TAG) p += VERSIONING_TAG_SIZE;
  if (p > end) throw new FormatError('FORMAT_BAD_RECORD', `record of ${p - offset} bytes runs past the page end`, { offset });
  return p - offset;
}

/** A row id: page and slot (the 8-byte RID of forwarding stubs and LOB links: u32 page, u16 file, u16 slot). */
export interface Rid extends PageId {
  slot: number;
}

export function readRid(bytes: Uint8Array, offset: number): Rid {
  const v = dv(bytes);
  return { pageId: v.getUint32(offset, true), fileId: v.getUint16(offset + 4, true), slot: v.getUint16(offset + 6, true) };
}

/** Forwarding stub (record type 2): status byte, then the RID of the forwarded record. */
export function parseForwardingStub(record: Uint8Array): Rid {
  if (record.length < 9) throw new FormatError('FORMAT_BAD_RECORD', 'forwarding stub shorter than 9 bytes');
  return readRid(record, 1);
}

/**
 * LOB fragment record types (u16 @12 of a BLOB_FRAGMENT record). Source: OrcaMDF
 * `Engine/Records/LobStructures` (LOB Structure Formats.txt) and SQL Server 2008 Internals ch. 7.
 */
export const LobType = {
  SMALL_ROOT: 0,
  LARGE_ROOT: 1,
  INTERNAL: 2,
  DATA: 3,
  LARGE_ROOT_SHILOH: 4,
  LARGE_ROOT_YUKON: 5,
  SUPER_LARGE_ROOT: 6,
  NULL: 8,
} as const;

export interface LobLink {
  /** Cumulative end offset of the data reached through this link. */
  end: number;
  rid: Rid;
}

export type LobFragment =
  | { kind: 'data'; type: number; data: Uint8Array }
  | { kind: 'links'; type: number; level: number; links: LobLink[] }
  | { kind: 'null'; type: number };

/**
 * Parse a BLOB_FRAGMENT record (bytes from the record start):
 *   @0 status A/B, @2 u16 record length, @4 u64 blob id, @12 u16 LobType, then by type:
 *   SMALL_ROOT        @14 u16 length, @20 data (max 64 bytes)
 *   DATA              @14 data up to the record length
 *   LARGE_ROOT_YUKON  @14 u16 maxlinks, @16 u16 curlinks, @18 u16 level, @24 links of 12 bytes (u32 end, RID)
 *   LARGE_ROOT_SHILOH the same layout (a root written by SQL Server 2000: NORTHWND.MDF's ntext/image
 *                     values, e.g. page 1:133 slot 1 → 3 links ending at 8080, 16160, 21626)
 *   INTERNAL          @14 u16 maxlinks, @16 u16 curlinks, @18 u16 level, @20 links of 16 bytes (u64 end, RID)
 *   NULL (8)          a text/ntext/image value set to NULL: SQL Server keeps the row's text pointer and
 *                     rewrites the root as type 8, stale value bytes left in it (DBCC PAGE "Type: 8
 *                     (NULL)"; StefanMaron/BusinessCentral.BakReader PROVENANCE.md "Off-row storage",
 *                     validated against SELECT: 2,066 NULL values of one BC table). Only a root: lob.ts.
 */
export function parseLobFragment(record: Uint8Array): LobFragment {
  const v = dv(record);
  if (record.length < 14) throw new FormatError('FORMAT_BAD_LOB', `LOB fragment of ${record.length} bytes`);
  const len = Math.min(v.getUint16(2, true), record.length);
  const type = v.getUint16(12, true);
  switch (type) {
    case LobType.SMALL_ROOT: {
      const n = v.getUint16(14, true);
      if (20 + n > len) throw new FormatError('FORMAT_BAD_LOB', `SMALL_ROOT length ${n} exceeds its record`);
      return { kind: 'data', type, data: record.subarray(20, 20 + n) };
    }
    case LobType.DATA:
      return { kind: 'data', type, data: record.subarray(14, len) };
    case LobType.LARGE_ROOT_YUKON:
    case LobType.LARGE_ROOT_SHILOH:
    case LobType.INTERNAL: {
      const cur = v.getUint16(16, true);
      const level = v.getUint16(18, true);
      const yukon = type !== LobType.INTERNAL;
      const start = yukon ? 24 : 20;
      const size = yukon ? 12 : 16;
      if (start + cur * size > len) throw new FormatError('FORMAT_BAD_LOB', `${cur} LOB links do not fit in the record`);
      const links: LobLink[] = [];
      for (let i = 0; i < cur; i++) {
        const o = start + i * size;
        const end = yukon ? v.getUint32(o, true) : Number(v.getBigUint64(o, true));
        links.push({ end, rid: readRid(record, o + (yukon ? 4 : 8)) });
      }
      return { kind: 'links', type, level, links };
    }
    case LobType.NULL:
      return { kind: 'null', type };
    default:
      throw new FormatError('FORMAT_BAD_LOB', `unsupported LOB fragment type ${type}`);
  }
}

/**
 * In-row pointers stored in a complex variable column (FORMAT-NOTES §1; SQL Server 2008 Internals
 * table 7-1; OrcaMDF OverflowDataProxy/BlobInlineRootProxy):
 *   @0 u8 type (2 = ROW_OVERFLOW, 4 = BLOB_INLINE_ROOT of a (max) value), @1 u8 index level,
 *   @4 u32 update sequence, @8 u32 timestamp, then links of 12 bytes (u32 cumulative end, RID).
 */
export const COMPLEX_ROW_OVERFLOW = 2;
export const COMPLEX_BLOB_INLINE_ROOT = 4;

export function parseInRowLobPointer(bytes: Uint8Array): { type: number; level: number; links: LobLink[] } {
  if (bytes.length < 24 || (bytes.length - 12) % 12 !== 0) {
    throw new FormatError('FORMAT_BAD_LOB', `in-row LOB pointer of ${bytes.length} bytes`);
  }
  const v = dv(bytes);
  const links: LobLink[] = [];
  for (let o = 12; o + 12 <= bytes.length; o += 12) links.push({ end: v.getUint32(o, true), rid: readRid(bytes, o + 4) });
  return { type: bytes[0], level: bytes[1], links };
}

/** The 16-byte text pointer of text/ntext/image columns: 8-byte timestamp, then the root's RID. */
export function parseTextPointer(bytes: Uint8Array): { timestamp: string; rid: Rid } {
  if (bytes.length !== 16) throw new FormatError('FORMAT_BAD_LOB', `text pointer of ${bytes.length} bytes, not 16`);
  return { timestamp: Buffer.from(bytes.subarray(0, 8)).toString('hex'), rid: readRid(bytes, 8) };
}

/**
 * The bytes of variable column `index` (0-based) of a FixedVar record, or undefined. The column
 * count and null bitmap are skipped only when status A has the null-bitmap bit (0x10); without it
 * the variable-column count follows the fixed part (fixedVarRecordLength).
 */
export function variableColumnBytes(rec: Uint8Array, index: number): Uint8Array | undefined {
  const v = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  const statusA = rec[0];
  if (!(statusA & STATUS_A_VARIABLE_COLUMNS)) return undefined;
  let p = v.getUint16(2, true);
  if (statusA & STATUS_A_NULL_BITMAP) p += 2 + ((v.getUint16(p, true) + 7) >> 3);
  const nvar = v.getUint16(p, true);
  p += 2;
  if (index >= nvar) return undefined;
  const start = index === 0 ? p + nvar * 2 : v.getUint16(p + (index - 1) * 2, true) & 0x7fff;
  const end = v.getUint16(p + index * 2, true) & 0x7fff;
  return end >= start && end <= rec.length ? rec.subarray(start, end) : undefined;
}

