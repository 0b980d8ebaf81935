import type { SqlValue, VariantValue } from '../values.js';
import { decodeBigint, decodeInt, decodeSmallint, decodeTinyint } from './integer.js';
import { decodeFloat, decodeReal } from './float.js';
import { decimalStorageLength, decodeDecimal, decodeMoney, decodeSmallmoney } from './decimal.js';
import { decodeDate, decodeDatetime, decodeDatetime2, decodeDatetimeoffset, decodeSmalldatetime, decodeTime, timeStorageLength } from './datetime.js';
import { decodeUniqueidentifier } from './guid.js';
import { decodeBinary, decodeCharsNoting, decodeNvarchar } from './string.js';
import { collationNameForId } from '../collation-ids.js';
import { codePageForCollation, decoderForCodePage, type CodePageDecoder } from '../collation.js';

/**
 * sql_variant as stored in a record: byte 0 = base type (sys.types.system_type_id, e.g. 0x38 = int),
 * byte 1 = sql_variant format version (1), then the base type's properties, then the value.
 * Real bytes: dba.stackexchange q/14778 shows an int 1 stored as `38 01 01000000` (the answer cites
 * "SQL Server 2008 Internals" p.278 for the type byte and version byte).
 * Property bytes per base type follow the TDS SSVARIANT property list (MS-TDS 2.2.5.5.4):
 * none for fixed types; 1 byte scale for time/datetime2/datetimeoffset; 2 bytes max length for
 * binary/varbinary; precision + scale for decimal/numeric. char/varchar/nchar/nvarchar carry 6
 * property bytes on disk, not TDS's 7: u16 max length in bytes, then the u32 collation id in the form
 * syscolpars keeps it (0x3400d008 = SQL_Latin1_General_CP1_CI_AS, collation-ids.ts). Real
 * bytes: the nvarchar variants of system-table rows in the corpus's data files and backups, e.g.
 * CRUD-.NET Database2.mdf offset 364089 `e7 01 08 02 08 d0 00 34` + 'microsoft.sqlserver.types.dll'
 * (58 bytes; the record's offset array ends the column 66 bytes after its start), Chinook.bak '1.0'
 * (14 bytes). Skipping 7 read an nvarchar as an odd byte count (refused) and dropped a varchar's
 * first character ('Smith' printed 'mith', no warning). The u16 is SQL_VARIANT_PROPERTY MaxLength:
 * both corpus values above carry 0x0208 = 520 bytes, nvarchar(260), the declared type of
 * sys.assembly_files.name, although their values are 58 and 6 bytes long. The u32 is the value's own
 * collation (SQL_VARIANT_PROPERTY Collation), not the database's: Chinook is Arabic_CI_AS and its
 * variant carries SQL_Latin1_General_CP1_CI_AS. So char/varchar text is decoded in the code page of
 * the value's collation (collation-ids.ts, collation.ts), the caller's code page (default 1252) only
 * when rowback cannot name that collation or its code page, and then decode-row warns when the value
 * holds bytes beyond ASCII (record/plan.ts checkVariantText). The value gets `maxLength` (bytes,
 * binary and character base types) and `collation` (character base types, when named), which a
 * re-insert needs to give the variant back its own type and collation (reinsert/sql-types.ts).
 * Returns null when the bytes are not a valid variant (caller raises DECODE_BAD_VALUE), including a
 * value longer than its own MaxLength (bytes misread, or not a variant at all), and a value its own
 * base type's properties cannot hold (VARIANT_FAULT.why then says which; empty for the other nulls):
 *  - bit: a byte other than 0x00/0x01 (the variant's whole value is that byte; before, 0x02 read
 *    false by its low bit, with no word);
 *  - decimal/numeric(p, s): a value of another length than decimal(p)'s storage (5, 9, 13 or 17 bytes
 *    by precision, MS Learn "decimal and numeric"; the variant keeps the base type's own storage form
 *    after its properties, as the 9-byte decimal(10,4) of test/reinsert/plan.test.ts), or one with
 *    more than p − s integer digits, which SQL Server refuses on every write (arithmetic overflow):
 *    before, decimal(5,2) holding 100000.00 printed as a plausible value a re-insert would fail on.
 */
export const SYSTEM_TYPE_NAMES: Record<number, string> = {
  34: 'image', 35: 'text', 36: 'uniqueidentifier', 40: 'date', 41: 'time', 42: 'datetime2', 43: 'datetimeoffset',
  48: 'tinyint', 52: 'smallint', 56: 'int', 58: 'smalldatetime', 59: 'real', 60: 'money', 61: 'datetime',
  62: 'float', 98: 'sql_variant', 99: 'ntext', 104: 'bit', 106: 'decimal', 108: 'numeric', 122: 'smallmoney',
  127: 'bigint', 165: 'varbinary', 167: 'varchar', 173: 'binary', 175: 'char', 189: 'timestamp',
  231: 'nvarchar', 239: 'nchar', 241: 'xml',
};

const FIXED_SIZES: Record<number, number> = {
  36: 16, 40: 3, 48: 1, 52: 2, 56: 4, 58: 4, 59: 4, 60: 8, 61: 8, 62: 8, 104: 1, 122: 4, 127: 8,
};

/**
 * Why the last decodeSqlVariant call returned null, when it was a value its own base type's
 * properties cannot hold (`'; …'` clause for the caller's DECODE_BAD_VALUE message); '' otherwise.
 * Valid until the next call (decoding is synchronous).
 */
export const VARIANT_FAULT = { why: '' };

/** The VARIANT_FAULT clause of a refused variant, for messages ('' when none). */
export function variantFaultClause(): string {
  return VARIANT_FAULT.why === '' ? '' : `: ${VARIANT_FAULT.why}`;
}

/** `column`: the sql_variant column's name, for the warning of bytes its text's code page does not define (ROW_TEXT_NOTES). */
export function decodeSqlVariant(b: Uint8Array, start: number, end: number, codePage: number | null = 1252, column = '(sql_variant)'): VariantValue | null {
  VARIANT_FAULT.why = '';
  if (end - start < 2) return null;
  const t = b[start];
  const baseType = SYSTEM_TYPE_NAMES[t];
  if (baseType === undefined || b[start + 1] !== 1) return null;
  let o = start + 2;
  const fixed = FIXED_SIZES[t];
  let value: SqlValue | null = null;
  let precision: number | undefined;
  let scale: number | undefined;
  let maxLength: number | undefined;
  let collation: string | undefined;
  if (fixed !== undefined) {
    if (end - o !== fixed) return null;
    switch (t) {
      case 36: value = decodeUniqueidentifier(b, o); break;
      case 40: value = decodeDate(b, o); break;
      case 48: value = decodeTinyint(b, o); break;
      case 52: value = decodeSmallint(b, o); break;
      case 56: value = decodeInt(b, o); break;
      case 58: value = decodeSmalldatetime(b, o); break;
      case 59: value = decodeReal(b, o); break;
      case 60: value = decodeMoney(b, o); break;
      case 61: value = decodeDatetime(b, o); break;
      case 62: value = decodeFloat(b, o); break;
      case 104:
        if (b[o] > 1) {
          VARIANT_FAULT.why = `its bit value is the byte 0x${b[o].toString(16).padStart(2, '0')}, neither 0x00 nor 0x01`;
          return null;
        }
        value = b[o] === 1;
        break;
      case 122: value = decodeSmallmoney(b, o); break;
      case 127: value = decodeBigint(b, o); break;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
  } else if (t === 41 || t === 42 || t === 43) {
    if (end - o < 1) return null;
    const s = b[o++];
    if (s > 7) return null;
    const len = timeStorageLength(s) + (t === 41 ? 0 : 3) + (t === 43 ? 2 : 0);
    if (end - o !== len) return null;
    value = t === 41 ? decodeTime(b, o, s) : t === 42 ? decodeDatetime2(b, o, s) : decodeDatetimeoffset(b, o, s);
    scale = s;
  } else if (t === 106 || t === 108) {
    if (end - o < 3) return null;
    const p = b[o];
    const s = b[o + 1];
    o += 2;
    if (p < 1 || p > 38 || s > p) return null;
    const n = end - o;
    if (n !== decimalStorageLength(p)) {
      VARIANT_FAULT.why = `its ${baseType}(${p},${s}) value has ${n} bytes; decimal(${p}) is stored in ${decimalStorageLength(p)} (sign byte and magnitude)`;
      return null;
    }
    const d = decodeDecimal(b, o, n, s);
    if (d === null) {
      VARIANT_FAULT.why = `its ${baseType}(${p},${s}) value has the sign byte 0x${b[o].toString(16).padStart(2, '0')}, neither 0x00 nor 0x01`;
      return null;
    }
    const dot = d.indexOf('.');
    const intDigits = (dot < 0 ? d : d.slice(0, dot)).replace(/^-/, '').replace(/^0+/, '').length;
    if (intDigits > p - s) {
      VARIANT_FAULT.why = `its value ${d} has ${intDigits} integer digits, more than its own ${baseType}(${p},${s}) holds (${p - s}): SQL Server refuses such a value on every write, so these bytes were not written as this variant`;
      return null;
    }
    value = d;
    precision = p;
    scale = s;
  } else if (t === 165 || t === 173) {
    if (end - o < 2) return null;
    maxLength = b[o] | (b[o + 1] << 8);
    o += 2;
    if (end - o > maxLength) return null;
    value = decodeBinary(b, o, end);
  } else if (t === 167 || t === 175 || t === 231 || t === 239) {
    if (end - o < 6) return null;
    maxLength = b[o] | (b[o + 1] << 8);
    const name = collationNameForId((b[o + 2] | (b[o + 3] << 8) | (b[o + 4] << 16) | (b[o + 5] << 24)) >>> 0);
    if (name !== null) collation = name;
    o += 6;
    if (end - o > maxLength) return null;
    if (t === 231 || t === 239) {
      if ((end - o) % 2 !== 0) return null;
      value = decodeNvarchar(b, o, end);
    } else {
      const cp = codePageForCollation(name) ?? codePage ?? 1252;
      const d = decoderForCodePage(cp) ?? (decoderForCodePage(1252) as CodePageDecoder);
      // a re-insert refuses such text inside a sql_variant (reinsert/sql-types.ts variantTextParam)
      value = decodeCharsNoting(d, b, o, end, column, 'REINSERT_VARIANT_TEXT', `a ${baseType} value inside the sql_variant`);
    }
  } else {
    // Base types that cannot live in a sql_variant (LOBs, timestamp, xml, nested variants).
    return null;
  }
  if (value === null) return null;
  if (precision !== undefined) return { baseType, precision, scale, value };
  if (scale !== undefined) return { baseType, scale, value };
  if (collation !== undefined) return { baseType, maxLength, collation, value };
  if (maxLength !== undefined) return { baseType, maxLength, value };
  return { baseType, value };
}
