/**
 * One decoder per SQL Server type (uncompressed storage form), plus `decodeValue`, the dispatcher
 * the row decoder and the data-file reader (system tables, LOB values) share.
 * Every decoder is a small pure function `(bytes, offset[, length, scale]) → value`.
 */
import { DecodeError } from '../../errors.js';
import type { ColumnLayout, SqlTypeName } from '../metadata/table-layout.js';
import type { SqlValue } from '../values.js';
import { decimalStorageLength, decodeDecimal, decodeMoney, decodeSmallmoney } from './decimal.js';
import { decodeDate, decodeDatetime, decodeDatetime2, decodeDatetimeoffset, decodeSmalldatetime, decodeTime, timeStorageLength } from './datetime.js';
import { decodeFloat, decodeReal } from './float.js';
import { decodeUniqueidentifier } from './guid.js';
import { decodeBigint, decodeBit, decodeInt, decodeSmallint, decodeTinyint } from './integer.js';
import { decodeBinary, decodeCharsNoting, decodeNvarchar, ROW_TEXT_NOTES } from './string.js';
import { decodeSqlVariant, variantFaultClause } from './variant.js';
import { codePageForCollation, decoderForCodePage, type CodePageDecoder } from '../collation.js';
import { appendAll } from '../../util/append-all.js';
import { identifierText } from '../../util/identifier-text.js';

export * from './integer.js';
export * from './float.js';
export * from './decimal.js';
export * from './datetime.js';
export * from './guid.js';
export * from './string.js';
export * from './variant.js';
export * from './vardecimal.js';
export * from './scsu.js';

/** Type names whose values sit in the variable-length part of a FixedVar record. */
const VARIABLE_TYPES: ReadonlySet<SqlTypeName> = new Set<SqlTypeName>([
  'varchar', 'nvarchar', 'varbinary', 'text', 'ntext', 'image', 'sql_variant', 'xml',
  'hierarchyid', 'geography', 'geometry', 'sysname',
]);

export function isVariableLengthType(t: SqlTypeName): boolean {
  return VARIABLE_TYPES.has(t);
}

/** LOB types whose in-row slot holds a 16-byte text pointer unless 'text in row' is on. */
export function isTextPointerType(t: SqlTypeName): boolean {
  return t === 'text' || t === 'ntext' || t === 'image';
}

/** true when a `float` column is really float(1..24), i.e. a 4-byte real. */
function isReal(c: Pick<ColumnLayout, 'type' | 'maxLength'>): boolean {
  return c.type === 'real' || (c.type === 'float' && c.maxLength === 4);
}

/**
 * Bytes a fixed-length column occupies in the fixed part of an uncompressed record; -1 for
 * variable-length types; 0 for bit (it shares a byte, see leafBitPosition).
 */
export function fixedStorageLength(c: Pick<ColumnLayout, 'type' | 'maxLength' | 'precision' | 'scale'>): number {
  switch (c.type) {
    case 'bit': return 0;
    case 'tinyint': return 1;
    case 'smallint': return 2;
    case 'int': return 4;
    case 'bigint': return 8;
    case 'real': return 4;
    case 'float': return c.maxLength === 4 ? 4 : 8;
    case 'decimal':
    case 'numeric': return decimalStorageLength(c.precision);
    case 'money': return 8;
    case 'smallmoney': return 4;
    case 'date': return 3;
    case 'time': return timeStorageLength(c.scale);
    case 'datetime': return 8;
    case 'smalldatetime': return 4;
    case 'datetime2': return timeStorageLength(c.scale) + 3;
    case 'datetimeoffset': return timeStorageLength(c.scale) + 5;
    case 'uniqueidentifier': return 16;
    case 'timestamp': return 8;
    case 'char':
    case 'nchar':
    case 'binary': return c.maxLength;
    default: return -1;
  }
}

/** The code page used for a char/varchar/text column. */
export function columnCodePage(c: Pick<ColumnLayout, 'codePage' | 'collation'>): number {
  return c.codePage ?? codePageForCollation(c.collation) ?? 1252;
}

/** Signature of a value decoder bound to one column: bytes [start, end) → value. Throws DecodeError. */
export type BoundDecoder = (b: Uint8Array, start: number, end: number) => SqlValue;

function bad(c: ColumnLayout, start: number, why: string): DecodeError {
  return new DecodeError('DECODE_BAD_VALUE', `${c.type} value of column ${identifierText(c.name)} ${why}`, { offset: start, column: c.name });
}

function exact(c: ColumnLayout, n: number, f: (b: Uint8Array, o: number) => SqlValue | null): BoundDecoder {
  return (b, s, e) => {
    if (e - s !== n) throw bad(c, s, `has ${e - s} bytes, expected ${n}`);
    const v = f(b, s);
    if (v === null) throw bad(c, s, 'is out of range');
    return v;
  };
}

/** A fixed-length type's storage length and unchecked reader: `f(bytes, offset)`, null when out of range. */
export interface FixedReader {
  n: number;
  f: (b: Uint8Array, o: number) => SqlValue | null;
}

/**
 * The fixed-length reader `valueDecoder` wraps with its length and range checks, for the types it
 * checks that way (null for the others). The row decoder's generated per-layout code calls it
 * directly when the record's fixed part already guarantees the length.
 */
export function fixedReader(c: ColumnLayout): FixedReader | null {
  switch (c.type) {
    // A bit value of its own byte (a sparse column's value in the sparse vector, decodeValue): 0x00 or
    // 0x01. Bits packed in a FixedVar record's shared byte are read by their leaf_bit_position in the
    // record readers, never here. Any other byte is not a bit SQL Server wrote (refused, out of range):
    // before, a sparse bit's 0x02 printed false and 0xFF true, by the low bit alone.
    case 'bit': return { n: 1, f: (b, o) => (b[o] > 1 ? null : decodeBit(b, o, 0)) };
    case 'tinyint': return { n: 1, f: decodeTinyint };
    case 'smallint': return { n: 2, f: decodeSmallint };
    case 'int': return { n: 4, f: decodeInt };
    case 'bigint': return { n: 8, f: decodeBigint };
    case 'real':
    case 'float':
      return isReal(c)
        ? { n: 4, f: (b, o) => finite(decodeReal(b, o)) }
        : { n: 8, f: (b, o) => finite(decodeFloat(b, o)) };
    case 'decimal':
    case 'numeric': {
      const n = decimalStorageLength(c.precision);
      const scale = c.scale;
      return { n, f: (b, o) => decodeDecimal(b, o, n, scale) };
    }
    case 'money': return { n: 8, f: decodeMoney };
    case 'smallmoney': return { n: 4, f: decodeSmallmoney };
    case 'date': return { n: 3, f: decodeDate };
    case 'time': {
      const scale = c.scale;
      if (!validTimeScale(scale)) return { n: timeStorageLength(scale), f: () => null };
      return { n: timeStorageLength(scale), f: (b, o) => decodeTime(b, o, scale) };
    }
    case 'datetime': return { n: 8, f: decodeDatetime };
    case 'smalldatetime': return { n: 4, f: decodeSmalldatetime };
    case 'datetime2': {
      const scale = c.scale;
      if (!validTimeScale(scale)) return { n: timeStorageLength(scale) + 3, f: () => null };
      return { n: timeStorageLength(scale) + 3, f: (b, o) => decodeDatetime2(b, o, scale) };
    }
    case 'datetimeoffset': {
      const scale = c.scale;
      if (!validTimeScale(scale)) return { n: timeStorageLength(scale) + 5, f: () => null };
      return { n: timeStorageLength(scale) + 5, f: (b, o) => decodeDatetimeoffset(b, o, scale) };
    }
    case 'uniqueidentifier': return { n: 16, f: decodeUniqueidentifier };
    default: return null;
  }
}

/**
 * A fractional-seconds scale time, datetime2 and datetimeoffset can have (0–7, MS Learn). The row
 * plan refuses a layout with another (record/plan.ts impossibleTypeProperties); a column given to
 * decodeValue directly gets a reader whose every value is out of range (DECODE_BAD_VALUE) rather
 * than text of `undefined`/NaN — which also wrote NaN into the shared time-of-day cache (datetime.ts
 * hmsSlot: slot 0, key 0), so every later 00:00:00 of any table read as `undefined:undefined:undefined`.
 */
function validTimeScale(scale: number): boolean {
  return Number.isInteger(scale) && scale >= 0 && scale <= 7;
}

/** The DECODE_BAD_VALUE a fixed reader's null result turns into (same as valueDecoder's). */
export function outOfRange(c: ColumnLayout, start: number): DecodeError {
  return bad(c, start, 'is out of range');
}

/** The code page's decoder of a char/varchar/text column's bytes (1252 when its code page is unknown or unsupported). */
export function charDecoder(c: Pick<ColumnLayout, 'codePage' | 'collation'>): CodePageDecoder {
  return decoderForCodePage(columnCodePage(c)) ?? (decoderForCodePage(1252) as CodePageDecoder);
}

/** The DECODE_BAD_VALUE of an nchar/nvarchar/ntext/sysname value of `n` bytes, n odd (valueDecoder's). */
export function oddUtf16(c: ColumnLayout, start: number, n: number): DecodeError {
  return bad(c, start, `has an odd byte count (${n}) for UTF-16`);
}

/**
 * A decoder for one column's uncompressed value, built once per column (the row decoder caches
 * it in its per-layout plan). The bound function checks the value's length and range and throws
 * DecodeError DECODE_BAD_VALUE, never anything else.
 */
export function valueDecoder(c: ColumnLayout): BoundDecoder {
  const fr = fixedReader(c);
  if (fr !== null) return exact(c, fr.n, fr.f);
  switch (c.type) {
    case 'char':
    case 'varchar':
    case 'text': {
      // Bind the code page's cached decoder once, not per value.
      const d = charDecoder(c);
      const name = c.name;
      // decodeCharsNoting: bytes the code page does not define become a row warning (ROW_TEXT_NOTES);
      // a code page defining every byte has none to note
      if (d.definesEveryByte) return (b, s, e) => d.decode(b, s, e);
      return (b, s, e) => decodeCharsNoting(d, b, s, e, name);
    }
    case 'nchar':
    case 'nvarchar':
    case 'ntext':
    case 'sysname':
      return (b, s, e) => {
        if ((e - s) % 2 !== 0) throw oddUtf16(c, s, e - s);
        return decodeNvarchar(b, s, e);
      };
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'timestamp':
    case 'hierarchyid':
    case 'geography':
    case 'geometry':
    case 'xml':
      // xml is stored in SQL Server's binary XML format; it is shown as hex (decode-row warns).
      return (b, s, e) => decodeBinary(b, s, e);
    case 'sql_variant': {
      const cp = columnCodePage(c);
      return (b, s, e) => {
        const v = decodeSqlVariant(b, s, e, cp, c.name);
        if (v === null) throw bad(c, s, `is not a valid sql_variant${variantFaultClause()}`);
        return v;
      };
    }
    default: {
      const t: string = c.type;
      return (_b, s) => {
        throw new DecodeError('DECODE_UNSUPPORTED', `type ${t} of column ${identifierText(c.name)} is not supported`, { offset: s, column: c.name });
      };
    }
  }
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

const boundCache = new WeakMap<ColumnLayout, BoundDecoder>();

/**
 * Decodes one column value in its uncompressed storage form, bytes [start, end).
 * For fixed types `end - start` must be the type's storage length. Throws DecodeError only.
 *
 * `warnings`: where the value's warnings go, as decodeRow gives them as row warnings — today the
 * one of a char/varchar/text value (or text inside a sql_variant) holding bytes its code page does
 * not define, or invalid UTF-8: the value then holds U+FFFD for them, which is not the stored bytes,
 * and the warning names the bytes and their offsets (types/string.ts undefinedBytesWarning). Pass
 * an array wherever a value may be text and check it: without one, the U+FFFD comes back unsaid.
 * Nothing is left on the shared row notes (ROW_TEXT_NOTES) for a later decodeRow.
 */
export function decodeValue(column: ColumnLayout, bytes: Uint8Array, start: number, end: number, warnings?: string[]): SqlValue {
  if (start < 0 || end > bytes.length || start > end) {
    throw new DecodeError('DECODE_TRUNCATED', `value of column ${identifierText(column.name)} runs past the end of the data`, { offset: start, column: column.name });
  }
  let d = boundCache.get(column);
  if (!d) {
    d = valueDecoder(column);
    boundCache.set(column, d);
  }
  const noted = ROW_TEXT_NOTES.length;
  try {
    return d(bytes, start, end);
  } finally {
    // the bound decoders note undefined bytes on the row's list (decodeRow moves them into the row's
    // warnings); a value decoded alone takes its own and leaves that list as it was
    if (ROW_TEXT_NOTES.length > noted) {
      const own = ROW_TEXT_NOTES.splice(noted);
      if (warnings) appendAll(warnings, own);
    }
  }
}
