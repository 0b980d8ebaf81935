import { DecodeError } from '../../errors.js';
import { toHex } from '../../util/hex.js';
import type { DecodedRow } from '../decode-row.js';
import type { ColumnLayout } from '../metadata/table-layout.js';
import type { SqlValue } from '../values.js';
import { scaledInt64 } from '../types/decimal.js';
import { formatDatetime } from '../types/datetime.js';
import { decodeCharsNoting, decodeNvarchar, ROW_TEXT_NOTES } from '../types/string.js';
import { charDecoder, columnCodePage, fixedReader, type FixedReader } from '../types/index.js';
import { decodeFloat, decodeReal } from '../types/float.js';
import { decodeVardecimal } from '../types/vardecimal.js';
import { decodeScsu } from '../types/scsu.js';
import { decodeSqlVariant, variantFaultClause } from '../types/variant.js';
import { holdsTextPointer, parseComplexColumn, parseTextPointer, TEXT_POINTER_SIZE } from './complex.js';
import { movedColumnClause, movedColumnHolding, predatesColumn, type ColumnPlan, type RowPlan } from './plan.js';
import { truncated } from './fixedvar.js';
import { CD_RECORD_LONG_DATA, CD_RECORD_TYPE_MASK, CD_RECORD_TYPES, CD_RECORD_VERSIONING, isCdGhostCode, VERSIONING_TAG_SIZE } from './status.js';
import { identifierText } from '../../util/identifier-text.js';

/**
 * CD ("column descriptor") records: the row format of ROW/PAGE-compressed partitions.
 * Layout (OrcaMDF Engine/Records/Compression/CompressedRecord.cs; Internals Viewer
 * Services/Loaders/Records/Cd/CdRecordLoader.cs; FORMAT-NOTES §2):
 *
 *   header byte (status.ts: 0x01 CD, 0x02 versioning, 0x1C record type, 0x20 long-data region)
 *   column count: 1 byte, or 2 bytes big-endian when the first byte's 0x80 bit is set (bit cleared)
 *   CD array: 4 bits per column, low nibble first; ceil(count/2) bytes
 *   short-data cluster array: (count-1)/30 bytes, the byte length of each 30-column cluster but the last
 *   short data: the 1..8-byte values of columns whose CD is 2..9, in column order
 *   long-data region (header 0x20): flags byte, u16 entry count, u16 end offsets (relative to the
 *     long data, 0x8000 = complex column), (count-1)/30 cluster bytes, then the long values
 *   14-byte versioning tag when header 0x02.
 *
 * Columns are in physical order = leaf_null_bit order (uniquifier, clustering key columns, the rest),
 * not partition_column_id order (plan.ts `cdIndex`; BakReader PROVENANCE.md; field case
 * bc-sourcecodesetup-base-cd7). Several 30-column clusters: one short-data length byte per
 * non-final cluster before the short data, one long-value count byte per non-final cluster after the
 * long-data offset array (BakReader PROVENANCE.md: `1c 22 02` / `07 01 05` on a 107-column record).
 */

/** CD array values (OrcaMDF CompressedRecordColumnCDIndicator). */
export const CD_NULL = 0;
export const CD_EMPTY = 1; // zero-length: 0 for numbers, '' for strings, false for bit
// 2..9 = 1..8 bytes of short data
export const CD_LONG = 10;
export const CD_BIT_TRUE = 11;
export const CD_PAGE_SYMBOL = 12;
export const CD_CLUSTER_SIZE = 30;

/** Big-endian n-byte unsigned → signed by flipping the top bit: value = stored − 2^(8n−1) (improve.dk, OrcaMDF vectors). */
export function readFlippedBE(b: Uint8Array, s: number, n: number): { lo: number; hi: number } {
  // Build the sign-flipped value as a signed 64-bit (two 32-bit halves) sign-extended from 8n bits.
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < n; i++) {
    let byte = b[s + i];
    if (i === 0) byte ^= 0x80;
    hi = ((hi << 8) | (lo >>> 24)) >>> 0;
    lo = ((lo << 8) | byte) >>> 0;
  }
  if (n === 0) return { lo: 0, hi: 0 };
  // Sign-extend from bit 8n-1.
  const bits = 8 * n;
  if (bits < 64) {
    const negative = (b[s] ^ 0x80) & 0x80;
    if (negative) {
      if (bits <= 32) {
        lo = (lo | (bits === 32 ? 0 : ~((1 << bits) - 1))) >>> 0;
        hi = 0xffffffff;
      } else {
        hi = (hi | ~((1 << (bits - 32)) - 1)) >>> 0;
      }
    }
  }
  return { lo, hi: hi | 0 };
}

/**
 * readFlippedBE for 0..4 bytes as a number, without an object per value: the big-endian stored
 * value minus 2^(8n−1) (same rule as readFlippedBE; n = 0 is 0). Exact: |value| < 2^32.
 */
export function readFlippedBE32(b: Uint8Array, s: number, n: number): number {
  if (n === 0) return 0;
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[s + i];
  return v - FLIP[n];
}
const FLIP = [0, 0x80, 0x8000, 0x800000, 0x80000000];

function int64Number(lo: number, hi: number): number {
  return hi * 4294967296 + lo;
}

type CdDecoder = (b: Uint8Array, s: number, e: number) => SqlValue;

function badValue(c: ColumnLayout, s: number, why: string): DecodeError {
  return new DecodeError('DECODE_BAD_VALUE', `compressed ${c.type} value of column ${identifierText(c.name)} ${why}`, { offset: s, column: c.name });
}

function unsupported(c: ColumnLayout, s: number, why: string): DecodeError {
  return new DecodeError('DECODE_UNSUPPORTED', `row-compressed ${c.type} value of column ${identifierText(c.name)} is not decoded: ${why}`, { offset: s, column: c.name });
}

/**
 * Why datetimeoffset and smalldatetime stay refused in CD form: no real bytes are published for
 * them, and MS Learn "Row Compression Implementation" contradicts itself for both (smalldatetime
 * "not affected" yet described as storing its time "in the most significant byte format";
 * datetimeoffset "Yes" and "no changes in storage"). BusinessCentral.BakReader PROVENANCE.md
 * lists smalldatetime as "still not determined" and says nothing of datetimeoffset. date, time and
 * datetime2 are decoded (see `sameAsUncompressed`).
 */
const DATE_FAMILY_REFUSAL =
  'its row-compressed encoding is not established (no published real bytes; MS Learn "Row Compression Implementation" contradicts itself for this type)';

/**
 * date, time(n), datetime2(n) in CD form: the uncompressed bytes, full length, never trimmed.
 * Source: StefanMaron/BusinessCentral.BakReader PROVENANCE.md (commit 4470aa1, "Type encodings":
 * identical layout compressed and uncompressed, not trimmed — an all-zero datetime2(7) is stored as
 * 8 zero bytes; validated against SELECT on SQL Server 2022); real cells in field case
 * `bcdb-typeprobe-cd-cells` (date 000000 / 124a0b, time(7) 07c4aaf46e, time(0) 000000,
 * datetime2(7) 8 zero bytes, datetime2(0) b5770053460b).
 * A zero-length (CD 1) value was never observed for these types (their zero is stored in full), so
 * it is refused (DECODE_UNSUPPORTED); any other length is impossible (DECODE_BAD_VALUE).
 */
function sameAsUncompressed(c: ColumnLayout): CdDecoder {
  const fr = fixedReader(c) as FixedReader;
  const n = fr.n;
  return (b, s, e) => {
    if (e === s) throw unsupported(c, s, 'a zero-length (CD "empty") value was never observed for this type (SQL Server stores its zero in full), so its meaning is not established');
    if (e - s !== n) throw badValue(c, s, `has ${e - s} bytes; ${c.type}(${c.scale}) keeps its uncompressed ${n}-byte form under row compression`);
    const v = fr.f(b, s);
    if (v === null) throw badValue(c, s, 'is out of range');
    return v;
  };
}

/**
 * real / float in CD form: the little-endian IEEE-754 bytes with their low-order zero bytes
 * dropped, i.e. the stored bytes are the high end of the value (the last 1..4 / 1..8 bytes of the
 * little-endian form); zero is stored with no bytes. Sources: MS Learn "Row Compression
 * Implementation" ("least significant bytes with zeros are not stored"; NULL and 0 take no bytes);
 * BusinessCentral.BakReader PROVENANCE.md "Type encodings" (which bytes are kept, validated against
 * SELECT); real cells `real c0bf` = -1.5, `float 2059c0` = -100.5, `real <empty>` = 0 (field case
 * `bcdb-typeprobe-cd-cells`). NaN / Infinity are not storable values: DECODE_BAD_VALUE.
 */
function floatCompressed(c: ColumnLayout): CdDecoder {
  const width = c.type === 'real' || c.maxLength === 4 ? 4 : 8;
  const buf = new Uint8Array(8);
  return (b, s, e) => {
    const n = e - s;
    if (n === 0) return 0;
    if (n > width) throw badValue(c, s, `has ${n} bytes, at most ${width} allowed`);
    buf.fill(0);
    for (let i = 0; i < n; i++) buf[width - n + i] = b[s + i];
    const v = width === 4 ? decodeReal(buf, 0) : decodeFloat(buf, 0);
    if (!Number.isFinite(v)) throw badValue(c, s, 'is NaN or infinite');
    return v;
  };
}

/**
 * timestamp / rowversion in CD form: the 8-byte value as SQL Server shows it (big-endian), leading
 * zero bytes dropped, no sign flip; output like the uncompressed column: the 8 bytes as `0x…` hex
 * (leading zeros restored). Source: BusinessCentral.BakReader PROVENANCE.md ("rowversion/timestamp:
 * big-endian trimmed, unbiased", validated against SELECT); MS Learn lists it as compressed like an
 * integer. Field case `bc-sourcecodesetup-base-cd7` holds a real 3-byte one.
 */
function timestampCompressed(c: ColumnLayout): CdDecoder {
  return (b, s, e) => {
    const n = e - s;
    if (n > 8) throw badValue(c, s, `has ${n} bytes, at most 8 allowed`);
    return '0x' + '00'.repeat(8 - n) + toHex(b, s, e);
  };
}

/**
 * nchar(n) / nvarchar(n) in a ROW/PAGE-compressed partition (SQL Server 2008 R2+).
 * MS docs "Unicode Compression Implementation": values are SCSU-compressed (UTS #6, types/scsu.ts) and
 * stored compressed only when that is smaller than UTF-16. MS docs "Row Compression Implementation":
 * nchar's trailing padding is removed (restored here, as char's).
 * The byte count tells the forms apart: SQL Server's encoder appends an SC0 tag (0x10, which emits
 * nothing) whenever the SCSU form would be even, so SCSU is always odd and an even count is plain
 * UTF-16LE. Source: BusinessCentral.BakReader PROVENANCE.md ("Type encodings": odd = SCSU, even =
 * plain UTF-16LE, validated against SELECT on SQL Server 2022); real cells in field case
 * `bcdb-typeprobe-cd-cells` (`616210` = "ab", Latin-1, Greek/CJK/emoji); OrcaMDF ScsuExpanderTests
 * (odd vectors, two ending in 0x10).
 */
function unicodeCompressed(c: ColumnLayout): CdDecoder {
  const chars = c.maxLength > 0 ? c.maxLength >> 1 : Number.MAX_SAFE_INTEGER;
  const pad = c.type === 'nchar';
  return (b, s, e) => {
    let v = '';
    if (e > s) {
      if (((e - s) & 1) === 0) {
        v = decodeNvarchar(b, s, e);
      } else {
        const d = decodeScsu(b, s, e);
        if (d === null) throw badValue(c, s, 'is not valid SCSU (Unicode compression)');
        v = d;
      }
    }
    if (v.length > chars) throw badValue(c, s, `decompresses to ${v.length} UTF-16 units, more than ${c.type}(${chars})`);
    return pad && v.length < chars ? v + ' '.repeat(chars - v.length) : v;
  };
}

/**
 * Decoder of one column's compressed (CD) value, or null when the type's row-compressed
 * encoding is not implemented (the row then fails with DECODE_UNSUPPORTED if the column holds data).
 */
export function cdValueDecoder(c: ColumnLayout): CdDecoder | null {
  const max = (n: number, f: CdDecoder): CdDecoder => (b, s, e) => {
    if (e - s > n) throw badValue(c, s, `has ${e - s} bytes, at most ${n} allowed`);
    return f(b, s, e);
  };
  switch (c.type) {
    case 'tinyint':
      return max(1, (b, s, e) => (e > s ? b[s] : 0));
    case 'smallint':
    case 'int': {
      const n = c.type === 'smallint' ? 2 : 4;
      return max(n, (b, s, e) => readFlippedBE32(b, s, e - s));
    }
    case 'bigint':
      return max(8, (b, s, e) => {
        const v = readFlippedBE(b, s, e - s);
        return scaledInt64(v.lo, v.hi, 0);
      });
    case 'money':
    case 'smallmoney':
      // MS docs "Row Compression Implementation": money/smallmoney are stored as the integer value × 10000
      // with the integer types' compression.
      return max(c.type === 'money' ? 8 : 4, (b, s, e) => {
        const v = readFlippedBE(b, s, e - s);
        return scaledInt64(v.lo, v.hi, 4);
      });
    case 'datetime':
      // One signed integer (days since 1900-01-01 << 32 | 1/300 s ticks), big-endian, sign bit flipped
      // (text-examples/orcamdf-rowcompressed-datetime.json: 1753-01-01 = 0x7F2E4600000000).
      return max(8, (b, s, e) => {
        const v = readFlippedBE(b, s, e - s);
        const r = formatDatetime(v.hi, v.lo);
        if (r === null) throw badValue(c, s, 'is out of range');
        return r;
      });
    case 'char': {
      // Fixed strings are stored without their trailing blanks (MS docs); put the padding back.
      const d = charDecoder(c);
      const width = c.maxLength;
      return (b, s, e) => {
        if (e - s > width) throw badValue(c, s, `has ${e - s} bytes, more than char(${width})`);
        const v = decodeCharsNoting(d, b, s, e, c.name);
        return width > e - s ? v + ' '.repeat(width - (e - s)) : v;
      };
    }
    case 'varchar':
    case 'text': {
      const d = charDecoder(c);
      if (d.definesEveryByte) return (b, s, e) => d.decode(b, s, e);
      return (b, s, e) => decodeCharsNoting(d, b, s, e, c.name);
    }
    case 'varbinary':
    case 'image':
    case 'hierarchyid':
    case 'geography':
    case 'geometry':
      return (b, s, e) => '0x' + toHex(b, s, e);
    case 'nvarchar':
    case 'ntext':
      // MS docs "Unicode Compression Implementation": nvarchar(max) (and LOB) data is not Unicode-compressed,
      // even in row.
      if (c.type === 'ntext' || c.maxLength === -1) {
        return (b, s, e) => {
          if ((e - s) % 2 !== 0) throw badValue(c, s, `has an odd byte count (${e - s}) for UTF-16`);
          return decodeNvarchar(b, s, e);
        };
      }
      return unicodeCompressed(c);
    case 'nchar':
      return unicodeCompressed(c);
    case 'decimal':
    case 'numeric': {
      // MS docs "Row Compression Implementation": "exactly same as the vardecimal storage format"
      // (types/vardecimal.ts: improve.dk "The Anatomy of Vardecimals"). Zero is stored with no bytes.
      const precision = c.precision;
      const scale = c.scale;
      return (b, s, e) => {
        const r = decodeVardecimal(b, s, e, precision, scale);
        if (r.error !== undefined) throw badValue(c, s, `(vardecimal) ${r.error}`);
        return r.value;
      };
    }
    case 'binary': {
      // MS docs "Row Compression Implementation": binary — "Trailing zeros are removed." binary(n) is
      // fixed length, so the n − stored bytes are zeros (OrcaMDF SqlBinary pads the same way; its system
      // test Features/Compression/DataTypeTests.BinaryTests reads 0x25FF25 back from binary(10) as
      // 0x25FF2500000000000000).
      const width = c.maxLength;
      return (b, s, e) => {
        if (e - s > width) throw badValue(c, s, `has ${e - s} bytes, more than binary(${width})`);
        const hex = toHex(b, s, e);
        return '0x' + (width > e - s ? hex + '00'.repeat(width - (e - s)) : hex);
      };
    }
    case 'sql_variant': {
      // MS docs "Row Compression Implementation": sql_variant — storage not affected ("No effect"), so the
      // bytes are the uncompressed sql_variant form. A zero-length (CD 1) variant has no base type to
      // give it a value: refused.
      const cp = columnCodePage(c);
      return (b, s, e) => {
        if (e === s) throw unsupported(c, s, 'a zero-length (CD "empty") sql_variant names no base type, and no source says which value it stands for');
        const v = decodeSqlVariant(b, s, e, cp, c.name);
        if (v === null) throw badValue(c, s, `is not a valid sql_variant${variantFaultClause()}`);
        return v;
      };
    }
    case 'real':
    case 'float':
      return floatCompressed(c);
    case 'date':
    case 'time':
    case 'datetime2':
      return sameAsUncompressed(c);
    case 'datetimeoffset':
    case 'smalldatetime':
      return (_b, s) => {
        throw unsupported(c, s, DATE_FAMILY_REFUSAL);
      };
    case 'timestamp':
      return timestampCompressed(c);
    case 'uniqueidentifier':
      // Stored unchanged, 16 bytes (MS Learn; BakReader PROVENANCE.md "uniqueidentifier: 16 raw bytes"):
      // the uncompressed decoder, full length only.
      return null;
    default:
      return null;
  }
}

interface CdPlanEntry {
  decode: CdDecoder | null;
  /** bit columns live in the CD array itself (CD_EMPTY false, CD_BIT_TRUE true). */
  isBit: boolean;
  /** The uncompressed decoder is valid for this type's CD bytes when they are full length. */
  uncompressedFullLength: number;
}

/** CD decoders, one per output column of the plan (same index as plan.output). */
const cdPlans = new WeakMap<RowPlan, CdPlanEntry[]>();

function cdPlanFor(plan: RowPlan): CdPlanEntry[] {
  let p = cdPlans.get(plan);
  if (p) return p;
  p = plan.output.map((cp) => {
    if (cp.kind === 'sparse') {
      // MS Learn "Use sparse columns": sparse columns cannot be used with data compression.
      throw new DecodeError('DECODE_SCHEMA_MISMATCH', `column ${identifierText(cp.name)} is sparse, but the table is ${plan.table.compression}-compressed (SQL Server allows no sparse column in a compressed table)`, { column: cp.name });
    }
    if (cp.kind !== 'unstored' && cp.cdIndex < 0) {
      throw new DecodeError('DECODE_SCHEMA_MISMATCH', `column ${identifierText(cp.name)} has no leaf_null_bit, so its place in a CD record is unknown`, { column: cp.name });
    }
    if (cp.kind !== 'unstored' && !Number.isSafeInteger(cp.cdIndex)) {
      // A layout not validated on its way in (catalog JSON is): before, cds[2.5] read as undefined and the column came out NULL.
      throw new DecodeError('DECODE_SCHEMA_MISMATCH', `column ${identifierText(cp.name)} has leaf_null_bit ${String(cp.column.leafNullBit)}, not a whole number, so its place in a CD record is unknown`, { column: cp.name });
    }
    return {
      decode: cdValueDecoder(cp.column),
      isBit: cp.column.type === 'bit',
      uncompressedFullLength: cp.column.type === 'uniqueidentifier' ? 16 : -1,
    };
  });
  cdPlans.set(plan, p);
  return p;
}

/** The structure of one CD record, before any value is decoded (see `parseCdRecord`). */
export interface CdRecordShape {
  /** Header byte (status.ts CD_RECORD_*). */
  header: number;
  recordType: DecodedRow['recordType'];
  /** 3-bit CD record type code (status.ts CD_RECORD_TYPES). */
  typeCode: number;
  columnCount: number;
  /** Offset of the CD array (4 bits per column, low nibble first). */
  cdStart: number;
  /** CD value per column (0 NULL, 1 empty, 2..9 short, 10 long, 11 bit true, 12 page symbol). */
  cds: Uint8Array;
  /** Value bytes [starts[i], ends[i]) per column; 0/0 for NULL, empty, bit and page-symbol columns. */
  starts: Int32Array;
  ends: Int32Array;
  /** 1 for a long-data entry flagged 0x8000 (complex: off-row pointer). */
  complex: Uint8Array;
  versioningTag?: string;
  /** Bytes the record occupies (header … long data … versioning tag); a row image may carry more. */
  length: number;
}

/**
 * Parses the structure of a CD record (row/page-compressed partitions): header, column count, CD
 * array, short-data cluster lengths and values, long-data region, versioning tag. Pure: bytes →
 * shape; no layout needed. Offsets are byte offsets inside `image`.
 * Layout: see the module comment (OrcaMDF CompressedRecord.cs, Internals Viewer CdRecordLoader.cs,
 * BusinessCentral.BakReader PROVENANCE.md "Compressed (CD) records").
 * Checks: the short-data cluster bytes equal the bytes of the short values of each 30-column cluster
 * and the long-data cluster bytes equal each cluster's count of long values (both per BakReader's
 * real 107-column record), the long-data entry count equals the columns marked long, offsets never
 * go backwards. Throws DecodeError: DECODE_TRUNCATED, DECODE_BAD_RECORD (impossible structure, with
 * the offset), DECODE_UNSUPPORTED (index / forwarding-stub CD records).
 */
export function parseCdRecord(image: Uint8Array): CdRecordShape {
  const shape = parseCdRecordShared(image);
  const k = shape.columnCount;
  const { versioningTag, ...rest } = shape;
  return { ...rest, ...(versioningTag !== undefined ? { versioningTag } : {}), cds: shape.cds.slice(0, k), starts: shape.starts.slice(0, k), ends: shape.ends.slice(0, k), complex: shape.complex.slice(0, k) };
}

/**
 * The stored bytes of the column at CD index `index` (leaf_null_bit − 1) of a CD record: a short or
 * long value's bytes, the pointer of an off-row one included; undefined when the record holds none
 * there (NULL, empty, bit, page symbol, or a column the record predates). For the readers of off-row
 * values (datafile/table-rows.ts), which need a pointer's bytes, not its value. Throws what
 * parseCdRecord throws. Not for the hot path: it allocates the record's shape.
 */
export function cdColumnBytes(image: Uint8Array, index: number): Uint8Array | undefined {
  const shape = parseCdRecord(image);
  if (!Number.isInteger(index) || index < 0 || index >= shape.columnCount) return undefined;
  const cd = shape.cds[index];
  if (cd < 2 || cd > CD_LONG) return undefined;
  return image.subarray(shape.starts[index], shape.ends[index]);
}

/** Per-column arrays reused from record to record (the decoder's hot path allocates none). */
let SHARED_CDS = new Uint8Array(64);
let SHARED_STARTS = new Int32Array(64);
let SHARED_ENDS = new Int32Array(64);
let SHARED_COMPLEX = new Uint8Array(64);
/** The shape object itself is reused too (one shape per decode, never kept). */
const SHARED_SHAPE: CdRecordShape = { header: 0, recordType: 'primary', typeCode: 0, columnCount: 0, cdStart: 0, cds: SHARED_CDS, starts: SHARED_STARTS, ends: SHARED_ENDS, complex: SHARED_COMPLEX, versioningTag: undefined, length: 0 };

/**
 * parseCdRecord into module-level arrays (valid until the next call; their length may exceed
 * `columnCount`): for decodeCompressedRow, which reads them before it returns.
 */
function parseCdRecordShared(image: Uint8Array): CdRecordShape {
  const n = image.length;
  if (n < 2) throw truncated('the CD record header', n);
  const header = image[0];
  if ((header & 0x01) === 0) {
    throw new DecodeError('DECODE_BAD_RECORD', `header 0x${header.toString(16)} lacks the CD-format bit: not a row-compressed record`, { offset: 0 });
  }
  const typeCode = (header & CD_RECORD_TYPE_MASK) >> 2;
  const recordType = CD_RECORD_TYPES[typeCode];
  if (recordType !== 'primary' && recordType !== 'ghost-data' && recordType !== 'forwarded') {
    throw new DecodeError('DECODE_UNSUPPORTED', `CD ${recordType} record is not decoded`, { offset: 0 });
  }
  let pos = 1;
  let columnCount = image[pos];
  if ((columnCount & 0x80) !== 0) {
    if (pos + 2 > n) throw truncated('the 2-byte column count', n);
    columnCount = ((columnCount & 0x7f) << 8) | image[pos + 1];
    pos += 2;
  } else pos += 1;
  const cdStart = pos;
  pos += (columnCount + 1) >> 1;
  if (pos > n) throw truncated(`the CD array (${columnCount} columns)`, n);
  const clusters = columnCount > 0 ? Math.floor((columnCount - 1) / CD_CLUSTER_SIZE) : 0;
  const shortClusters = pos;
  pos += clusters;
  if (pos > n) throw truncated('the short-data cluster array', n);

  if (SHARED_CDS.length < columnCount) {
    const size = Math.max(columnCount, SHARED_CDS.length * 2);
    SHARED_CDS = new Uint8Array(size);
    SHARED_STARTS = new Int32Array(size);
    SHARED_ENDS = new Int32Array(size);
    SHARED_COMPLEX = new Uint8Array(size);
  }
  const cds = SHARED_CDS;
  const complex = SHARED_COMPLEX;
  // One pass: CD nibble, short-data offsets, long-data count, per-cluster checks.
  const starts = SHARED_STARTS;
  const ends = SHARED_ENDS;
  let longCount = 0;
  let clusterBytes = 0;
  let inCluster = 0;
  for (let i = 0; i < columnCount; i++) {
    const byte = image[cdStart + (i >> 1)];
    const cd = (i & 1) === 0 ? byte & 0x0f : byte >> 4;
    cds[i] = cd;
    complex[i] = 0;
    if (cd >= 2 && cd <= 9) {
      starts[i] = pos;
      pos += cd - 1;
      ends[i] = pos;
      clusterBytes += cd - 1;
    } else {
      starts[i] = 0;
      ends[i] = 0;
      if (cd === CD_LONG) longCount++;
      else if (cd > CD_PAGE_SYMBOL) throw new DecodeError('DECODE_BAD_RECORD', `column ${i + 1} has an invalid CD value ${cd}`, { offset: cdStart + (i >> 1) });
    }
    if (++inCluster === CD_CLUSTER_SIZE && i + 1 < columnCount) {
      const k = (i + 1) / CD_CLUSTER_SIZE - 1;
      if (image[shortClusters + k] !== clusterBytes) {
        throw new DecodeError('DECODE_BAD_RECORD', `short-data cluster ${k + 1} is said to hold ${image[shortClusters + k]} bytes, its columns hold ${clusterBytes}`, { offset: shortClusters + k });
      }
      clusterBytes = 0;
      inCluster = 0;
    }
  }
  if (pos > n) throw truncated('the short-data region', n);
  if ((header & CD_RECORD_LONG_DATA) !== 0) {
    if (pos + 3 > n) throw truncated('the long-data header', n);
    const entries = image[pos + 1] | (image[pos + 2] << 8);
    pos += 3;
    const offsets = pos;
    const longClusters = pos + 2 * entries;
    pos += 2 * entries + clusters;
    if (pos > n) throw truncated('the long-data offset array', n);
    if (entries !== longCount) {
      throw new DecodeError('DECODE_BAD_RECORD', `long-data region has ${entries} entries but ${longCount} columns are marked long`, { offset: offsets - 2 });
    }
    for (let k = 0; k < clusters; k++) {
      let count = 0;
      for (let i = k * CD_CLUSTER_SIZE; i < (k + 1) * CD_CLUSTER_SIZE; i++) if (cds[i] === CD_LONG) count++;
      if (image[longClusters + k] !== count) {
        throw new DecodeError('DECODE_BAD_RECORD', `long-data cluster ${k + 1} is said to hold ${image[longClusters + k]} values, its columns hold ${count}`, { offset: longClusters + k });
      }
    }
    const base = pos;
    let prev = 0;
    let k = 0;
    for (let i = 0; i < columnCount; i++) {
      if (cds[i] !== CD_LONG) continue;
      const raw = image[offsets + 2 * k] | (image[offsets + 2 * k + 1] << 8);
      const end = raw & 0x7fff;
      if (end < prev) throw new DecodeError('DECODE_BAD_RECORD', `long-data entry ${k + 1} ends at ${end}, before ${prev}`, { offset: offsets + 2 * k });
      if (base + end > n) throw truncated(`long-data entry ${k + 1}`, n);
      starts[i] = base + prev;
      ends[i] = base + end;
      if ((raw & 0x8000) !== 0) complex[i] = 1;
      prev = end;
      k++;
    }
    pos = base + prev;
  } else if (longCount > 0) {
    throw new DecodeError('DECODE_BAD_RECORD', `${longCount} columns are marked long but the header has no long-data region`, { offset: 0 });
  }
  const shape = SHARED_SHAPE;
  shape.header = header;
  shape.recordType = recordType;
  shape.typeCode = typeCode;
  shape.columnCount = columnCount;
  shape.cdStart = cdStart;
  shape.cds = cds;
  shape.starts = starts;
  shape.ends = ends;
  shape.complex = complex;
  shape.length = pos;
  shape.versioningTag = undefined;
  if ((header & CD_RECORD_VERSIONING) !== 0) {
    if (pos + VERSIONING_TAG_SIZE > n) throw truncated('the 14-byte versioning tag', n);
    shape.versioningTag = toHex(image, pos, pos + VERSIONING_TAG_SIZE);
    shape.length = pos + VERSIONING_TAG_SIZE;
  }
  return shape;
}

/**
 * Decodes one CD record against a layout plan: values of the visible columns in column_id order,
 * columns found by their CD index (plan.ts `cdIndex` = leaf_null_bit − 1). Throws DecodeError only.
 * `exact` (decodeRow's default): the image is the record exactly (a log row image), so bytes after
 * the end its column descriptors give are refused (`cdBytesAfterRecord`); a page record's span (to the
 * next record, table-rows.ts) may hold stale bytes after it and is read with `exact` false.
 */
export function decodeCompressedRow(image: Uint8Array, plan: RowPlan, exact = true): DecodedRow {
  const shape = parseCdRecordShared(image);
  if (exact && shape.length < image.length && image.length > 9) throw cdBytesAfterRecord(shape, image.length);
  const { recordType, typeCode, columnCount, starts, ends, versioningTag } = shape;
  const entries = cdPlanFor(plan);
  const warnings: string[] = [];
  if (columnCount > plan.storedColumns) {
    warnings.push(`record holds ${columnCount} columns but the layout knows ${plan.storedColumns}: the layout may be older than the row (schema drift)`);
  }
  const scratch = plan.scratch;
  for (let k = 0; k < plan.output.length; k++) scratch[k] = cdColumnValue(image, shape, plan.output[k], entries[k], warnings, plan);
  const values = plan.makeValues(scratch);
  let uniquifier: number | undefined;
  if (plan.uniquifier) {
    const u = plan.uniquifier.cdIndex;
    uniquifier = 0;
    if (u >= 0 && u < columnCount) {
      const cd = shape.cds[u];
      if (cd >= 2 && cd <= 5) uniquifier = readFlippedBE32(image, starts[u], ends[u] - starts[u]);
      else if (cd >= 6 && cd <= 9) uniquifier = readFlippedBE(image, starts[u], ends[u] - starts[u]).lo | 0;
    }
  }
  const row: DecodedRow = { values, warnings, recordType, ghost: isCdGhostCode(typeCode), format: 'cd', columnCount };
  if (versioningTag !== undefined) row.versioningTag = versioningTag;
  if (uniquifier !== undefined) row.uniquifier = uniquifier;
  return row;
}

/**
 * An exact CD row image longer than its column descriptors account for: the CD array (a nibble
 * turned NULL or empty, a short length made shorter), the header's long-data bit or a long-data
 * end offset is damaged, and values read through it look right and are not. (The record types and
 * the 9-byte tolerance are FixedVar's, fixedvar.ts `bytesAfterRecord`; no real CD log image is in the
 * corpus, the one real CD record of the field cases, bc-sourcecodesetup-base-cd7, is exact.)
 */
function cdBytesAfterRecord(shape: CdRecordShape, n: number): DecodeError {
  const end = shape.length;
  return new DecodeError(
    'DECODE_BAD_RECORD',
    `the column descriptors of this CD record (${shape.columnCount} columns${(shape.header & CD_RECORD_LONG_DATA) !== 0 ? ', with a long-data region' : ', no long-data region'}) account for ${end} bytes but the image holds ${n - end} more after offset ${end}: the CD array, the header or a long-data end offset is damaged, so values would be read short or as NULL (a row image (RowLog Contents 0) is the record exactly; if these bytes are another record, give only the first)`,
    { offset: end },
  );
}

/** One column's value from a parsed CD record (a top-level function: no closure per row). */
function cdColumnValue(image: Uint8Array, shape: CdRecordShape, cp: ColumnPlan, entry: CdPlanEntry, warnings: string[], plan: RowPlan): SqlValue {
  const { columnCount, cdStart, cds, starts, ends, complex: complexMask } = shape;
  const i = cp.cdIndex;
  const c = cp.column;
  if (cp.kind === 'unstored') return null;
  if (i >= columnCount) {
    warnings.push(predatesColumn(cp, columnCount, movedColumnClause(cp, alterDroppedHeld(image, shape, plan))));
    return cp.defaultValue;
  }
  const cd = cds[i];
  if (cd === CD_NULL) return null;
  if (cd === CD_PAGE_SYMBOL) {
    throw new DecodeError('DECODE_PAGE_DICTIONARY', `column ${identifierText(cp.name)} refers to a page-dictionary symbol, which a single row cannot resolve`, { offset: cdStart + (i >> 1), column: cp.name });
  }
  if (entry.isBit) {
    if (cd === CD_BIT_TRUE) return true;
    if (cd === CD_EMPTY) return false;
    throw new DecodeError('DECODE_BAD_VALUE', `bit column ${identifierText(cp.name)} has CD value ${cd}`, { offset: cdStart + (i >> 1), column: cp.name });
  }
  if (cd === CD_BIT_TRUE) throw new DecodeError('DECODE_BAD_VALUE', `column ${identifierText(cp.name)} of type ${c.type} has the bit-true CD value`, { offset: cdStart + (i >> 1), column: cp.name });
  const s = cd === CD_EMPTY ? 0 : starts[i];
  const e = cd === CD_EMPTY ? 0 : ends[i];
  if (cd === CD_LONG && complexMask[i] === 1) {
    const cv = parseComplexColumn(image, s, e, cp.name, holdsTextPointer(c));
    if (cv.kind === 'off-row') return cv.marker;
    throw new DecodeError('DECODE_BAD_RECORD', `column ${identifierText(cp.name)} holds a ${cv.kind}, not a value`, { offset: s, column: cp.name });
  }
  // text/ntext/image with 'text in row' OFF: the row holds only the value's 16-byte text pointer,
  // which a FixedVar record keeps without the complex bit (fixedvar.ts; pubs, Northwind), and no
  // source says a CD record flags it: read as the column's type, its bytes printed as the value
  // (an image column's pointer as a plausible 16-byte 0x… value).
  if (cp.isTextPointer && cd === CD_LONG && e - s === TEXT_POINTER_SIZE) return parseTextPointer(image, s);
  if (entry.decode) return entry.decode(image, s, e);
  if (entry.uncompressedFullLength > 0 && e - s === entry.uncompressedFullLength) return cp.decode(image, s, e);
  if (entry.uncompressedFullLength > 0) {
    // A uniqueidentifier is stored in full under row compression; fewer bytes can only be a page-compression
    // prefix (BakReader PROVENANCE.md: anchored columns store [prefix length][suffix]), which one row cannot resolve.
    throw new DecodeError('DECODE_UNSUPPORTED', `compressed ${c.type} value of column ${identifierText(cp.name)} has ${e - s} bytes, not ${entry.uncompressedFullLength}: a page-compression prefix, which one row cannot resolve`, { offset: s, column: cp.name });
  }
  throw new DecodeError('DECODE_UNSUPPORTED', `row-compressed ${c.type} values are not decoded yet (column ${identifierText(cp.name)})`, { offset: s, column: cp.name });
}

/** The ALTER-dropped columns (plan.ts `alterDropped`) a CD record holds not NULL, each with its value read as its old type (plan.ts movedColumnHolding). */
function alterDroppedHeld(image: Uint8Array, shape: CdRecordShape, plan: RowPlan): string[] {
  const out: string[] = [];
  for (const d of plan.alterDropped) {
    if (d.cdIndex < 0 || d.cdIndex >= shape.columnCount) continue;
    // the notes of its bytes a code page does not define: said in the clause (movedColumnHolding), not as a row value's
    const noted = ROW_TEXT_NOTES.length;
    let v: SqlValue | Error;
    try {
      const entry: CdPlanEntry = { decode: cdValueDecoder(d.column), isBit: d.column.type === 'bit', uncompressedFullLength: d.column.type === 'uniqueidentifier' ? 16 : -1 };
      v = cdColumnValue(image, shape, d, entry, [], plan);
    } catch (e) {
      v = e instanceof Error ? e : new Error(String(e));
    }
    // NULL there: the moved value was NULL too (or the row was written after the ALTER)
    if (v !== null) out.push(movedColumnHolding(d, v, noted));
    else ROW_TEXT_NOTES.length = noted;
  }
  return out;
}
