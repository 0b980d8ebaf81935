import { DecodeError } from '../../errors.js';
import type { OffRowMarker, PagedOffRow } from '../values.js';
import { readU16, readU32 } from '../types/integer.js';
import { toHex } from '../../util/hex.js';

/**
 * Complex columns: a variable-length column whose offset-array entry has the 0x8000 bit.
 * Kinds (improve.dk "Identifying complex columns in records", OrcaMDF Record.cs, SQL Server 2008
 * Internals table 7-1 as cited by OrcaMDF BlobInlineRootProxy):
 *  - 16 bytes, no type id: in-row text pointer for text/ntext/image and for (max) types with
 *    'large value types out of row': 8-byte timestamp, page id u32, file id u16, slot u16
 *    (text-examples/lc-lob-offrow-textpointer.json: page 0x288, file 1, slot 0).
 *  - first byte 2: row-overflow pointer (24 bytes); first byte 4: BLOB inline root (24 + 12n bytes).
 *    Header: type u8, index level u8, unused u16, update sequence u32, timestamp u32; then entries of
 *    12 bytes: length u32, page id u32, file id u16, slot u16.
 *  - u16 5: sparse vector (see sparse.ts).
 *  - u16 1024: forwarded-record back pointer: page id u32, file id u16, slot u16 of the forwarding stub.
 */
export const COMPLEX_ROW_OVERFLOW = 2;
export const COMPLEX_BLOB_INLINE_ROOT = 4;
export const COMPLEX_SPARSE_VECTOR = 5;
export const COMPLEX_BACK_POINTER = 1024;
export const TEXT_POINTER_SIZE = 16;
export const INLINE_ROOT_HEADER_SIZE = 12;
export const INLINE_ROOT_ENTRY_SIZE = 12;

export type ComplexValue =
  | { kind: 'off-row'; marker: OffRowMarker }
  | { kind: 'sparse-vector' }
  | { kind: 'back-pointer'; page: string; slot: number };

/** `file:page` as fn_dblog and DBCC print it. */
export function pageRef(file: number, page: number): string {
  return `${file}:${page}`;
}

/** An in-row 16-byte text pointer at [s, s+16). */
export function parseTextPointer(b: Uint8Array, s: number): OffRowMarker {
  return {
    offRow: {
      page: pageRef(readU16(b, s + 12), readU32(b, s + 8)),
      slot: readU16(b, s + 14),
      kind: 'text-pointer',
      timestamp: toHex(b, s, s + 8),
    },
  };
}

/**
 * Classifies and parses a complex column [s, e). Throws DECODE_BAD_RECORD when it is none of the
 * known kinds, or a 16-byte text pointer in a column whose type cannot hold one (`textPointer`
 * false, see `holdsTextPointer`: a varchar(n) holds a 24-byte row-overflow pointer at most, so 16
 * bytes there mean a damaged end offset or complex bit).
 */
export function parseComplexColumn(b: Uint8Array, s: number, e: number, column?: string, textPointer = true): ComplexValue {
  const n = e - s;
  if (n === TEXT_POINTER_SIZE) {
    if (!textPointer) throw new DecodeError('DECODE_BAD_RECORD', `complex column of ${n} bytes: a text pointer, which only a text, ntext, image or (max) column holds${column !== undefined ? ` (${column} is none of them)` : ''}: its end offset or complex bit (0x8000) is damaged`, { offset: s, ...(column !== undefined ? { column } : {}) });
    return { kind: 'off-row', marker: parseTextPointer(b, s) };
  }
  if (n >= 2) {
    const id16 = readU16(b, s);
    if (id16 === COMPLEX_SPARSE_VECTOR) return { kind: 'sparse-vector' };
    if (id16 === COMPLEX_BACK_POINTER && n >= 10) {
      return { kind: 'back-pointer', page: pageRef(readU16(b, s + 6), readU32(b, s + 2)), slot: readU16(b, s + 8) };
    }
    const id = b[s];
    if ((id === COMPLEX_ROW_OVERFLOW || id === COMPLEX_BLOB_INLINE_ROOT) && n >= INLINE_ROOT_HEADER_SIZE + INLINE_ROOT_ENTRY_SIZE && (n - INLINE_ROOT_HEADER_SIZE) % INLINE_ROOT_ENTRY_SIZE === 0) {
      const entries = (n - INLINE_ROOT_HEADER_SIZE) / INLINE_ROOT_ENTRY_SIZE;
      const p = s + INLINE_ROOT_HEADER_SIZE;
      const marker: { offRow: PagedOffRow } = {
        offRow: {
          page: pageRef(readU16(b, p + 8), readU32(b, p + 4)),
          slot: readU16(b, p + 10),
          kind: id === COMPLEX_ROW_OVERFLOW ? 'row-overflow' : 'lob-root',
          timestamp: toHex(b, s + 8, s + 12),
        },
      };
      // A single entry's length is the value's length; with several entries the meaning of the
      // per-entry length (running offset vs. piece size) is not confirmed by a real sample, so omit it.
      if (entries === 1) marker.offRow.length = readU32(b, p);
      return { kind: 'off-row', marker };
    }
  }
  throw new DecodeError('DECODE_BAD_RECORD', `complex column of ${n} bytes has an unknown type (first bytes ${toHex(b, s, Math.min(e, s + 2))})`, { offset: s, column });
}

/**
 * Whether a column can hold a 16-byte text pointer in its complex slot: text, ntext and image (text
 * in row OFF), and (max) types with 'large value types out of row' on (the field case
 * lc-lob-offrow-textpointer: NVARCHAR(MAX), 16-byte root, SQL Server 2025); xml and CLR types are
 * stored as (max) values (max_length -1 in sys.columns). Limited varchar/nvarchar/varbinary(n),
 * sql_variant, sysname and hierarchyid never: off row, they hold a 24-byte row-overflow pointer.
 */
export function holdsTextPointer(c: { type: string; maxLength: number }): boolean {
  if (c.type === 'text' || c.type === 'ntext' || c.type === 'image') return true;
  // Every other type by its length: (max) types (varchar/nvarchar/varbinary(max), xml, geography,
  // geometry) are -1; hierarchyid (892 bytes), sysname (nvarchar(128)) and every limited type are not.
  return c.maxLength === -1;
}
