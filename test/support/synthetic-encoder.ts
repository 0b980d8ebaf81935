/**
 * SYNTHETIC — TEST AND BENCH ONLY. NOT REAL SQL SERVER BYTES.
 *
 * Encodes values (given in rowback's output form, the same JSON the decoder produces) into
 * FixedVar and CD records for a TableLayout, following the same published layout facts the
 * decoder implements. It exists so property tests can round-trip every type, precision, NULL
 * pattern and column count, and so the bench has a stream of rows. Agreement between this
 * encoder and the decoder proves internal consistency only; truth about the format comes from
 * the real row images in ../shared/corpus/text-examples, tested separately.
 */
import { cp1252High } from './code-page-reference.js';
import type { ColumnLayout, Compression, SqlTypeName, TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import type { OffRowMarker, PagedOffRow, SqlValue, VariantValue } from '../../src/reconstruct/values.js';
import { codePageForCollation } from '../../src/reconstruct/collation.js';
import { decimalStorageLength, epochDayOf, fixedStorageLength, isVariableLengthType, timeStorageLength, DAY0001_TO_EPOCH, DAY1900_TO_EPOCH, SYSTEM_TYPE_NAMES } from '../../src/reconstruct/types/index.js';
import { TextDecoder } from 'node:util';

// ---------------------------------------------------------------------------------------------
// Layout building: assigns leaf offsets / null bits the way a freshly created table gets them
// (fixed columns first in column order from offset 4, bits packed 8 per byte, variable columns
// numbered in order). Good enough for synthetic round trips; not a DDL implementation.
// ---------------------------------------------------------------------------------------------

export interface SynthColumn {
  name: string;
  type: SqlTypeName;
  maxLength?: number;
  precision?: number;
  scale?: number;
  collation?: string | null;
  sparse?: boolean;
  uniquifier?: boolean;
  defaultValue?: SqlValue;
}

const BASE_MAX: Partial<Record<SqlTypeName, number>> = {
  bit: 1, tinyint: 1, smallint: 2, int: 4, bigint: 8, real: 4, float: 8, money: 8, smallmoney: 4, date: 3,
  datetime: 8, smalldatetime: 4, uniqueidentifier: 16, timestamp: 8, text: 16, ntext: 16, image: 16, sql_variant: 8016,
  xml: -1, geography: -1, geometry: -1, hierarchyid: 892, sysname: 256,
};

export function buildLayout(name: string, cols: SynthColumn[], compression: Compression = 'NONE'): TableLayout {
  let offset = 4;
  let varIndex = 0;
  let bitByte = -1;
  let bitPos = 8;
  let nullBit = 0;
  let columnId = 0;
  const columns: ColumnLayout[] = [];
  // Uniquifier first (physical order of a non-unique clustered index), then the rest.
  const ordered = [...cols.filter((c) => c.uniquifier), ...cols.filter((c) => !c.uniquifier)];
  const base = (c: SynthColumn, i: number): ColumnLayout => {
    const isChar8 = c.type === 'char' || c.type === 'varchar' || c.type === 'text';
    const isChar = isChar8 || c.type === 'nchar' || c.type === 'nvarchar' || c.type === 'ntext' || c.type === 'sysname';
    const collation = c.collation !== undefined ? c.collation : isChar ? 'SQL_Latin1_General_CP1_CI_AS' : null;
    return {
      name: c.name,
      columnId: c.uniquifier ? 0 : ++columnId,
      partitionColumnId: i + 1,
      type: c.type,
      maxLength: c.maxLength ?? BASE_MAX[c.type] ?? 8000,
      precision: c.precision ?? (c.type === 'decimal' || c.type === 'numeric' ? 18 : 0),
      scale: c.scale ?? (c.type === 'time' || c.type === 'datetime2' || c.type === 'datetimeoffset' ? 7 : 0),
      collation,
      codePage: isChar8 ? codePageForCollation(collation) : null,
      nullable: true,
      identity: false,
      computed: false,
      leafOffset: 0,
      leafNullBit: 0,
      leafBitPosition: 0,
      isDropped: false,
      isSparse: !!c.sparse,
      isUniquifier: !!c.uniquifier,
      ...(c.defaultValue !== undefined ? { defaultValue: c.defaultValue } : {}),
    };
  };
  ordered.forEach((c, i) => columns.push(base(c, i)));
  for (const col of columns) {
    if (col.isSparse) continue;
    col.leafNullBit = ++nullBit;
    if (col.isUniquifier || isVariableLengthType(col.type)) {
      col.leafOffset = -(++varIndex);
    } else if (col.type === 'bit') {
      if (bitPos >= 8) {
        bitByte = offset;
        offset += 1;
        bitPos = 0;
      }
      col.leafOffset = bitByte;
      col.leafBitPosition = bitPos++;
    } else {
      col.leafOffset = offset;
      offset += fixedStorageLength(col);
    }
  }
  return { schema: 'dbo', name, indexId: cols.some((c) => c.uniquifier) ? 1 : 0, compression, columns };
}

// ---------------------------------------------------------------------------------------------
// Code-page encoding: a reverse map built by decoding every 1- and 2-byte sequence once.
// ---------------------------------------------------------------------------------------------

const LABELS: Record<number, string> = {
  874: 'windows-874', 932: 'shift_jis', 936: 'gbk', 949: 'euc-kr', 950: 'big5', 1250: 'windows-1250', 1251: 'windows-1251',
  1252: 'windows-1252', 1253: 'windows-1253', 1254: 'windows-1254', 1255: 'windows-1255', 1256: 'windows-1256',
  1257: 'windows-1257', 1258: 'windows-1258',
};
const encoders = new Map<number, Map<string, number[]>>();

function codePageMap(cp: number): Map<string, number[]> {
  let m = encoders.get(cp);
  if (m) return m;
  m = new Map();
  const td = new TextDecoder(LABELS[cp] ?? 'windows-1252', { fatal: true });
  const dbcs = cp === 932 || cp === 936 || cp === 949 || cp === 950;
  for (let b = 0; b < 256; b++) {
    // 1252's 0x80–0x9F from Microsoft's table: Node 20.20's TextDecoder reads them as C1 controls
    const high = cp === 1252 ? cp1252High(b) : undefined;
    if (high !== undefined) {
      const s = String.fromCharCode(high);
      if (!m.has(s)) m.set(s, [b]);
      continue;
    }
    try {
      const s = td.decode(new Uint8Array([b]));
      if (s.length === 1 && !m.has(s)) m.set(s, [b]);
    } catch { /* lead byte or undefined */ }
  }
  if (dbcs) {
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        try {
          const s = td.decode(new Uint8Array([lead, trail]));
          if (s.length === 1 && !m.has(s)) m.set(s, [lead, trail]);
        } catch { /* invalid pair */ }
      }
    }
  }
  encoders.set(cp, m);
  return m;
}

/** Encodes text in a Windows code page (65001 = UTF-8). Throws on unmappable characters. */
export function encodeCodePage(text: string, cp: number): Uint8Array {
  if (cp === 65001) return new Uint8Array(Buffer.from(text, 'utf8'));
  const m = codePageMap(cp);
  const out: number[] = [];
  for (const ch of text) {
    const b = m.get(ch);
    if (!b) throw new Error(`SYNTHETIC encoder: '${ch}' is not in code page ${cp}`);
    out.push(...b);
  }
  return new Uint8Array(out);
}

/** Characters of a code page (for generators): every single character the code page maps. */
export function codePageChars(cp: number): string[] {
  return [...codePageMap(cp).keys()];
}

// ---------------------------------------------------------------------------------------------
// Uncompressed value encoding (FixedVar storage form).
// ---------------------------------------------------------------------------------------------

function le(n: bigint, bytes: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(bytes * 8, n);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

function parseScaled(s: string, scale: number): bigint {
  const neg = s.startsWith('-');
  const [ip, fp = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(ip + fp.padEnd(scale, '0').slice(0, scale));
  return neg ? -v : v;
}

function parseDateDays(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s)!;
  return epochDayOf(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** `HH:MM:SS[.f…]` → units of 10^-scale s. */
function parseTimeUnits(s: string, scale: number): number {
  const m = /(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(s)!;
  const secs = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return secs * 10 ** scale + Number((m[4] ?? '').padEnd(scale, '0').slice(0, scale) || '0');
}

function guidBytes(g: string): number[] {
  const hx = g.replace(/-/g, '');
  const b = Array.from({ length: 16 }, (_, i) => parseInt(hx.slice(2 * i, 2 * i + 2), 16));
  return [b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.slice(8)];
}

function hexBytes(h: string): number[] {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  return Array.from({ length: s.length / 2 }, (_, i) => parseInt(s.slice(2 * i, 2 * i + 2), 16));
}

const f64 = new Float64Array(1);
const f32 = new Float32Array(1);

function codePageOf(c: ColumnLayout): number {
  return c.codePage ?? codePageForCollation(c.collation) ?? 1252;
}

/** The uncompressed storage bytes of one non-NULL value. */
export function encodeValue(c: ColumnLayout, v: SqlValue): Uint8Array {
  return new Uint8Array(encodeValueArr(c, v));
}

function encodeValueArr(c: ColumnLayout, v: SqlValue): number[] {
  switch (c.type) {
    case 'bit': return [v ? 1 : 0];
    case 'tinyint': return [Number(v)];
    case 'smallint': return le(BigInt(v as number), 2);
    case 'int': return le(BigInt(v as number), 4);
    case 'bigint': return le(BigInt(v as string), 8);
    case 'real':
    case 'float':
      if (c.type === 'real' || c.maxLength === 4) {
        f32[0] = v as number;
        return [...new Uint8Array(f32.buffer)];
      }
      f64[0] = v as number;
      return [...new Uint8Array(f64.buffer)];
    case 'decimal':
    case 'numeric': {
      const x = parseScaled(v as string, c.scale);
      const n = decimalStorageLength(c.precision);
      return [x < 0n ? 0 : 1, ...le(x < 0n ? -x : x, n - 1)];
    }
    case 'money': return le(parseScaled(v as string, 4), 8);
    case 'smallmoney': return le(parseScaled(v as string, 4), 4);
    case 'date': return le(BigInt(parseDateDays(v as string) - DAY0001_TO_EPOCH), 3);
    case 'time': return le(BigInt(parseTimeUnits(v as string, c.scale)), timeStorageLength(c.scale));
    case 'datetime2': {
      const s = v as string;
      return [...le(BigInt(parseTimeUnits(s.slice(11), c.scale)), timeStorageLength(c.scale)), ...le(BigInt(parseDateDays(s) - DAY0001_TO_EPOCH), 3)];
    }
    case 'datetimeoffset': {
      const s = v as string;
      const m = /([+-])(\d{2}):(\d{2})$/.exec(s)!;
      const off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
      const per = 86400 * 10 ** c.scale;
      let units = parseTimeUnits(s.slice(11), c.scale) - off * 60 * 10 ** c.scale;
      let day = parseDateDays(s) - DAY0001_TO_EPOCH;
      if (units < 0) { units += per; day -= 1; } else if (units >= per) { units -= per; day += 1; }
      return [...le(BigInt(units), timeStorageLength(c.scale)), ...le(BigInt(day), 3), ...le(BigInt(off), 2)];
    }
    case 'datetime': {
      const s = v as string;
      const ms = parseTimeUnits(s.slice(11), 3);
      return [...le(BigInt(Math.round((ms * 3) / 10)), 4), ...le(BigInt(parseDateDays(s) - DAY1900_TO_EPOCH), 4)];
    }
    case 'smalldatetime': {
      const s = v as string;
      return [...le(BigInt(parseTimeUnits(s.slice(11), 0) / 60), 2), ...le(BigInt(parseDateDays(s) - DAY1900_TO_EPOCH), 2)];
    }
    case 'uniqueidentifier': return guidBytes(v as string);
    case 'char':
    case 'varchar':
    case 'text': return [...encodeCodePage(v as string, codePageOf(c))];
    case 'nchar':
    case 'nvarchar':
    case 'ntext':
    case 'sysname': return [...Buffer.from(v as string, 'utf16le')];
    case 'sql_variant': return encodeVariant(v as VariantValue, c);
    default: return hexBytes(v as string); // binary, varbinary, image, timestamp, hierarchyid, geography, geometry, xml
  }
}

const TYPE_IDS: Record<string, number> = Object.fromEntries(Object.entries(SYSTEM_TYPE_NAMES).map(([k, n]) => [n, Number(k)]));

/**
 * Collation ids (COLLATIONPROPERTY(name, 'CollationID'), layout in src/reconstruct/collation-ids.ts)
 * of the collations the SYNTHETIC variant tests name; a name not listed is a test mistake.
 */
const VARIANT_COLLATION_IDS: Record<string, number> = {
  SQL_Latin1_General_CP1_CI_AS: 0x3400d008,
  Latin1_General_CI_AS: 0xd008,
  Cyrillic_General_CI_AS: 0xd015,
  Turkish_CI_AS: 0xd01a,
  Chinese_PRC_CI_AS: 0xd024,
};

function variantCollationId(name: string | undefined): number {
  if (name === undefined) return VARIANT_COLLATION_IDS.SQL_Latin1_General_CP1_CI_AS!;
  const id = VARIANT_COLLATION_IDS[name];
  if (id === undefined) throw new Error(`synthetic-encoder: no collation id listed for ${name}`);
  return id;
}

function encodeVariant(v: VariantValue, host: ColumnLayout): number[] {
  const t = TYPE_IDS[v.baseType];
  const inner: ColumnLayout = { ...host, type: v.baseType as SqlTypeName, maxLength: 8, precision: 38, scale: 7 };
  let props: number[] = [];
  if (v.baseType === 'decimal' || v.baseType === 'numeric') {
    const digits = (v.value as string).replace('-', '').split('.');
    inner.scale = v.scale ?? digits[1]?.length ?? 0;
    inner.precision = v.precision ?? 38;
    props = [inner.precision, inner.scale];
  } else if (v.baseType === 'time' || v.baseType === 'datetime2' || v.baseType === 'datetimeoffset') {
    const m = /\.(\d+)/.exec((v.value as string).slice(11));
    inner.scale = v.scale ?? (m ? m[1].length : 0);
    props = [inner.scale];
  } else if (v.baseType === 'varchar' || v.baseType === 'char' || v.baseType === 'nvarchar' || v.baseType === 'nchar') {
    // u16 max length (default 8000), u32 collation id (default 0x3400d008, SQL_Latin1_General_CP1_CI_AS), as on disk (types/variant.ts)
    props = [...le(BigInt(v.maxLength ?? 8000), 2), ...le(BigInt(variantCollationId(v.collation)), 4)];
    // the text in its own collation's code page, as SQL Server stores it
    if (v.collation !== undefined && !v.baseType.startsWith('n')) inner.codePage = codePageForCollation(v.collation) ?? inner.codePage;
  } else if (v.baseType === 'varbinary' || v.baseType === 'binary') {
    props = [...le(BigInt(v.maxLength ?? 8000), 2)];
  }
  return [t, 1, ...props, ...encodeValueArr(inner, v.value)];
}

/** Complex-column bytes for an off-row marker. */
export function encodeOffRow(marker: OffRowMarker): number[] {
  // a FILESTREAM marker has no bytes of its own in this encoder: give the pointer as a 0x… value
  if (marker.offRow.kind === 'filestream') throw new Error('encodeOffRow: a FILESTREAM marker is not encoded (give the pointer bytes as the value)');
  const m = marker as { offRow: PagedOffRow };
  const [file, page] = m.offRow.page.split(':').map(Number);
  const ts = hexBytes(m.offRow.timestamp ?? '0000000000000000');
  if (m.offRow.kind === 'text-pointer') return [...ts.slice(0, 8), ...le(BigInt(page), 4), ...le(BigInt(file), 2), ...le(BigInt(m.offRow.slot), 2)];
  const type = m.offRow.kind === 'row-overflow' ? 2 : 4;
  return [type, 0, 0, 0, 0, 0, 0, 0, ...ts.slice(0, 4), ...le(BigInt(m.offRow.length ?? 0), 4), ...le(BigInt(page), 4), ...le(BigInt(file), 2), ...le(BigInt(m.offRow.slot), 2)];
}

function isOffRowValue(v: SqlValue): v is OffRowMarker {
  return typeof v === 'object' && v !== null && 'offRow' in v;
}

// ---------------------------------------------------------------------------------------------
// FixedVar records.
// ---------------------------------------------------------------------------------------------

export interface FixedVarOptions {
  /** Hidden uniquifier value (non-unique clustered index). */
  uniquifier?: number;
  /** 14 bytes appended, status A 0x40. */
  versioningTag?: Uint8Array;
  /** 3-bit record type (0 primary, 1 forwarded, 6 ghost data, …). */
  recordType?: number;
  /** Value to OR into the unused bits of the last null-bitmap byte (real rows often have garbage there). */
  unusedBitmapBits?: number;
  /** Garbage byte written into the slots of NULL fixed columns (real rows keep old bytes there). */
  nullSlotFill?: number;
  /** Pretend the row was written when the table had only this many columns (by null bit). */
  columnCount?: number;
}

export function encodeFixedVar(t: TableLayout, values: Record<string, SqlValue>, o: FixedVarOptions = {}): Uint8Array {
  const stored = t.columns.filter((c) => !c.isSparse && !c.isColumnSet && c.leafOffset !== 0);
  const columnCount = o.columnCount ?? Math.max(0, ...stored.map((c) => c.leafNullBit));
  const present = (c: ColumnLayout) => c.leafNullBit <= columnCount;
  let fixedEnd = 4;
  for (const c of stored) {
    if (c.leafOffset > 0 && present(c)) fixedEnd = Math.max(fixedEnd, c.leafOffset + (c.type === 'bit' ? 1 : fixedStorageLength(c)));
  }
  const fixed = new Uint8Array(fixedEnd);
  const bitmap = new Uint8Array((columnCount + 7) >> 3);
  const vars: { index: number; bytes: number[]; complex: boolean }[] = [];
  for (const c of stored) {
    if (!present(c)) continue;
    let v: SqlValue = c.isUniquifier ? (o.uniquifier ?? 0) : (values[c.name] ?? null);
    if (c.isDropped) v = null;
    const isNull = v === null && !c.isUniquifier;
    if (isNull && c.leafNullBit > 0) bitmap[(c.leafNullBit - 1) >> 3] |= 1 << ((c.leafNullBit - 1) & 7);
    if (c.leafOffset > 0) {
      if (c.type === 'bit') {
        if (v === true) fixed[c.leafOffset] |= 1 << c.leafBitPosition;
      } else if (isNull) {
        fixed.fill(o.nullSlotFill ?? 0, c.leafOffset, c.leafOffset + fixedStorageLength(c));
      } else fixed.set(encodeValueArr(c, v), c.leafOffset);
    } else {
      const index = -c.leafOffset - 1;
      if (c.isUniquifier) vars.push({ index, bytes: v ? le(BigInt(v as number), 4) : [], complex: false });
      else if (isNull) vars.push({ index, bytes: [], complex: false });
      else if (isOffRowValue(v)) vars.push({ index, bytes: encodeOffRow(v), complex: true });
      else vars.push({ index, bytes: encodeValueArr(c, v), complex: false });
    }
  }
  // Sparse columns → one sparse vector in the variable slot after the regular ones.
  const sparse = t.columns.filter((c) => c.isSparse && values[c.name] !== null && values[c.name] !== undefined);
  if (sparse.length > 0) {
    const parts = sparse.map((c) => encodeValueArr(c, values[c.name]));
    const header = 4 + 4 * sparse.length;
    const bytes = [...le(5n, 2), ...le(BigInt(sparse.length), 2)];
    for (const c of sparse) bytes.push(...le(BigInt(c.columnId), 2));
    let end = header;
    for (const p of parts) bytes.push(...le(BigInt((end += p.length)), 2));
    for (const p of parts) bytes.push(...p);
    const maxIndex = Math.max(-1, ...t.columns.filter((c) => c.leafOffset < 0).map((c) => -c.leafOffset - 1));
    vars.push({ index: maxIndex + 1, bytes, complex: true });
  }
  vars.sort((a, b) => a.index - b.index);
  // Trailing NULL (empty, non-complex) variable columns get no entry.
  const nullVar = new Set(stored.filter((c) => c.leafOffset < 0 && present(c) && !c.isUniquifier && (values[c.name] ?? null) === null).map((c) => -c.leafOffset - 1));
  let varCount = vars.length ? vars[vars.length - 1].index + 1 : 0;
  while (varCount > 0 && nullVar.has(varCount - 1)) varCount--;
  const byIndex = new Map(vars.map((x) => [x.index, x]));
  const varArrayStart = fixedEnd + 2 + bitmap.length + (varCount > 0 || vars.length > 0 ? 2 : 0);
  let pos = varArrayStart + 2 * varCount;
  const offsets: number[] = [];
  const data: number[] = [];
  for (let k = 0; k < varCount; k++) {
    const x = byIndex.get(k);
    if (x) data.push(...x.bytes);
    pos += x ? x.bytes.length : 0;
    offsets.push(pos | (x?.complex ? 0x8000 : 0));
  }
  const hasVar = varCount > 0;
  const statusA = 0x10 | (hasVar ? 0x20 : 0) | (o.versioningTag ? 0x40 : 0) | ((o.recordType ?? 0) << 1);
  const out: number[] = [statusA, 0, fixedEnd & 0xff, fixedEnd >> 8];
  out.push(...fixed.subarray(4));
  out.push(columnCount & 0xff, columnCount >> 8);
  if (o.unusedBitmapBits && (columnCount & 7) !== 0) bitmap[bitmap.length - 1] |= (o.unusedBitmapBits << (columnCount & 7)) & 0xff;
  out.push(...bitmap);
  if (hasVar) {
    out.push(varCount & 0xff, varCount >> 8);
    for (const off of offsets) out.push(off & 0xff, off >> 8);
    out.push(...data);
  }
  if (o.versioningTag) out.push(...o.versioningTag);
  return new Uint8Array(out);
}

// ---------------------------------------------------------------------------------------------
// CD records (row compression), for the types the decoder supports in CD form.
// ---------------------------------------------------------------------------------------------

/** Shortest big-endian sign-flipped encoding of a signed integer (0 → no bytes). */
export function flippedBE(v: bigint): number[] {
  if (v === 0n) return [];
  let n = 1;
  while (!(v >= -(1n << BigInt(8 * n - 1)) && v < 1n << BigInt(8 * n - 1))) n++;
  const u = BigInt.asUintN(8 * n, v) ^ (1n << BigInt(8 * n - 1));
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((u >> BigInt(8 * i)) & 0xffn));
  return out;
}

/**
 * vardecimal bytes of an exact decimal string (improve.dk "The Anatomy of Vardecimals"): byte 0 = sign bit
 * (0x80 positive) | exponent + 64, then the significant digits left-aligned in 3-digit, 10-bit chunks,
 * big-endian bit order, trailing zero bytes dropped. Zero → no bytes.
 */
export function encodeVardecimal(text: string): number[] {
  const negative = text.startsWith('-');
  const [ip, fp = ''] = (negative ? text.slice(1) : text).split('.');
  const all = ip + fp;
  const first = all.search(/[1-9]/);
  if (first < 0) return [];
  const sig = all.slice(first).replace(/0+$/, '');
  const exponent = ip.length - first - 1;
  const padded = sig + '0'.repeat((3 - (sig.length % 3)) % 3);
  const bits: number[] = [];
  for (let k = 0; k < padded.length; k += 3) {
    const chunk = Number(padded.slice(k, k + 3));
    for (let bit = 9; bit >= 0; bit--) bits.push((chunk >> bit) & 1);
  }
  const out: number[] = [(negative ? 0 : 0x80) | (exponent + 64)];
  for (let k = 0; k < bits.length; k += 8) {
    let byte = 0;
    for (let j = 0; j < 8; j++) byte = (byte << 1) | (bits[k + j] ?? 0);
    out.push(byte);
  }
  while (out.length > 2 && out[out.length - 1] === 0) out.pop();
  return out;
}

const SCSU_DEFAULT_WINDOWS = [0x0080, 0x00c0, 0x0400, 0x0600, 0x0900, 0x3040, 0x30a0, 0xff00];

/**
 * A simple SCSU (UTS #6) compressor: ASCII as itself, characters of a dynamic window as one byte (SCn to
 * switch, SDn to define a window for U+0080–U+33FF), runs of other characters in Unicode mode (SCU … UCn),
 * single others quoted (SQU). Output is made odd-length (a trailing SC0 / UC0), the shape of the
 * SQL Server vectors in OrcaMDF's ScsuExpanderTests. Not SQL Server's compressor: only valid SCSU.
 */
export function scsuCompress(text: string): number[] {
  const win = [...SCSU_DEFAULT_WINDOWS];
  let active = 0;
  let nextDefine = 0;
  let unicode = false;
  const out: number[] = [];
  const units = Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
  const isAscii = (u: number) => u === 0 || u === 9 || u === 10 || u === 13 || (u >= 0x20 && u < 0x80);
  const windowOf = (u: number) => win.findIndex((o) => u >= o && u < o + 0x80);
  const definable = (u: number) => u >= 0x80 && u < 0x3400;
  const singleByte = (u: number) => isAscii(u) || windowOf(u) >= 0 || definable(u);
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (unicode) {
      if (singleByte(u)) {
        out.push(0xe0 + active);
        unicode = false;
      } else {
        if ((u >> 8) >= 0xe0 && (u >> 8) <= 0xf2) out.push(0xf0);
        out.push(u >> 8, u & 0xff);
        continue;
      }
    }
    if (isAscii(u)) out.push(u);
    else if (windowOf(u) >= 0) {
      const w = windowOf(u);
      if (w !== active) { out.push(0x10 + w); active = w; }
      out.push(0x80 + (u - win[w]));
    } else if (definable(u)) {
      const w = nextDefine;
      nextDefine = (nextDefine + 1) & 7;
      win[w] = (u >> 7) * 0x80;
      active = w;
      out.push(0x18 + w, u >> 7, 0x80 + (u - win[w]));
    } else if (i + 1 < units.length && !singleByte(units[i + 1])) {
      out.push(0x0f);
      unicode = true;
      i--; // re-handle u in Unicode mode
    } else if (u < 0x80) out.push(0x01, u); // SQ0: a control character from static window 0
    else out.push(0x0e, u >> 8, u & 0xff);
  }
  if (out.length > 0 && out.length % 2 === 0) out.push(unicode ? 0xe0 : 0x10);
  return out;
}

/** nchar(n)/nvarchar(n) CD bytes: SCSU when smaller than UTF-16 (MS Learn), else UTF-16LE. */
export function unicodeCompressedBytes(text: string): { bytes: number[]; compressed: boolean } {
  const raw = [...Buffer.from(text, 'utf16le')];
  const scsu = scsuCompress(text);
  return scsu.length < raw.length ? { bytes: scsu, compressed: true } : { bytes: raw, compressed: false };
}

/** CD encoding of one value: the CD nibble and its bytes (long when > 8). */
function encodeCdValue(c: ColumnLayout, v: SqlValue): { cd: number; bytes: number[]; complex?: boolean } {
  if (v === null) return { cd: 0, bytes: [] };
  if (c.type === 'bit') return { cd: v ? 11 : 1, bytes: [] };
  let bytes: number[];
  let complex = false;
  if (isOffRowValue(v)) {
    bytes = encodeOffRow(v);
    complex = true;
  } else {
    switch (c.type) {
      case 'tinyint': bytes = v === 0 ? [] : [v as number]; break;
      case 'smallint':
      case 'int': bytes = flippedBE(BigInt(v as number)); break;
      case 'bigint': bytes = flippedBE(BigInt(v as string)); break;
      case 'money':
      case 'smallmoney': bytes = flippedBE(parseScaled(v as string, 4)); break;
      case 'datetime': {
        const raw = encodeValueArr(c, v);
        const ticks = BigInt(raw[0] | (raw[1] << 8) | (raw[2] << 16)) + (BigInt(raw[3]) << 24n);
        const days = BigInt.asIntN(32, BigInt(raw[4] | (raw[5] << 8) | (raw[6] << 16)) + (BigInt(raw[7]) << 24n));
        bytes = flippedBE((days << 32n) + ticks);
        break;
      }
      case 'char': {
        bytes = encodeValueArr(c, v);
        while (bytes.length > 0 && bytes[bytes.length - 1] === 0x20) bytes.pop();
        break;
      }
      case 'decimal':
      case 'numeric': bytes = encodeVardecimal(v as string); break;
      case 'binary': {
        // MS Learn: binary — trailing zeros are removed.
        bytes = encodeValueArr(c, v);
        while (bytes.length > 0 && bytes[bytes.length - 1] === 0) bytes.pop();
        break;
      }
      case 'nchar':
      case 'nvarchar': {
        if (c.type === 'nvarchar' && c.maxLength === -1) { bytes = encodeValueArr(c, v); break; }
        // MS Learn: nchar's trailing padding is removed; nchar(n)/nvarchar(n) are SCSU-compressed when smaller.
        let text = v as string;
        if (c.type === 'nchar') text = text.replace(/ +$/, '');
        bytes = unicodeCompressedBytes(text).bytes;
        break;
      }
      case 'real':
      case 'float': {
        // MS Learn + BakReader PROVENANCE.md: the little-endian bytes with the low-order zero bytes dropped.
        bytes = encodeValueArr(c, v);
        while (bytes.length > 0 && bytes[0] === 0) bytes.shift();
        break;
      }
      case 'timestamp': {
        // BakReader PROVENANCE.md: big-endian (as shown), leading zero bytes dropped, no sign flip.
        bytes = encodeValueArr(c, v);
        while (bytes.length > 0 && bytes[0] === 0) bytes.shift();
        break;
      }
      default: bytes = encodeValueArr(c, v);
    }
  }
  if (bytes.length === 0 && !complex) return { cd: 1, bytes };
  if (bytes.length <= 8 && !complex) return { cd: bytes.length + 1, bytes };
  return { cd: 10, bytes, complex };
}

/**
 * The columns of a CD record in their order: leaf_null_bit order (the physical order: uniquifier,
 * clustering key, the rest), one per null bit (a live column wins over a dropped one sharing its bit).
 */
export function cdColumnOrder(t: TableLayout): ColumnLayout[] {
  const byBit = new Map<number, ColumnLayout>();
  for (const c of t.columns) {
    if (c.leafNullBit <= 0 || c.isSparse || c.isColumnSet) continue;
    const prev = byBit.get(c.leafNullBit);
    if (!prev || (prev.isDropped && !c.isDropped)) byBit.set(c.leafNullBit, c);
  }
  return [...byBit.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

export function encodeCd(t: TableLayout, values: Record<string, SqlValue>, o: { uniquifier?: number; versioningTag?: Uint8Array; recordType?: number } = {}): Uint8Array {
  const cols = cdColumnOrder(t);
  const enc = cols.map((c) => (c.isUniquifier ? { cd: o.uniquifier ? 5 : 1, bytes: o.uniquifier ? flippedBE(BigInt(o.uniquifier)) : [] } : encodeCdValue(c, c.isDropped ? null : (values[c.name] ?? null))));
  for (const e of enc) if (e.cd >= 2 && e.cd <= 9) e.cd = e.bytes.length + 1;
  const n = cols.length;
  const long = enc.filter((e) => e.cd === 10);
  const header = 0x01 | (o.versioningTag ? 0x02 : 0) | ((o.recordType ?? 0) << 2) | (long.length ? 0x20 : 0);
  const out: number[] = [header];
  if (n > 0x7f) out.push(0x80 | (n >> 8), n & 0xff);
  else out.push(n);
  for (let i = 0; i < n; i += 2) out.push((enc[i].cd & 0x0f) | ((i + 1 < n ? enc[i + 1].cd : 0) << 4));
  const clusters = n > 0 ? Math.floor((n - 1) / 30) : 0;
  for (let k = 0; k < clusters; k++) {
    let len = 0;
    for (let i = k * 30; i < (k + 1) * 30; i++) if (enc[i].cd >= 2 && enc[i].cd <= 9) len += enc[i].bytes.length;
    out.push(len & 0xff);
  }
  for (const e of enc) if (e.cd >= 2 && e.cd <= 9) out.push(...e.bytes);
  if (long.length) {
    out.push(0x01 | (long.some((e) => e.complex) ? 0x02 : 0), long.length & 0xff, long.length >> 8);
    let end = 0;
    for (const e of long) {
      end += e.bytes.length;
      const v = end | (e.complex ? 0x8000 : 0);
      out.push(v & 0xff, v >> 8);
    }
    for (let k = 0; k < clusters; k++) out.push(long.filter((_, j) => enc.indexOf(long[j]) < (k + 1) * 30 && enc.indexOf(long[j]) >= k * 30).length);
    for (const e of long) out.push(...e.bytes);
  }
  if (o.versioningTag) out.push(...o.versioningTag);
  return new Uint8Array(out);
}

/** Encodes with the format the layout's compression implies. */
export function encodeRow(t: TableLayout, values: Record<string, SqlValue>, o: FixedVarOptions = {}): Uint8Array {
  return t.compression === 'ROW' || t.compression === 'PAGE' ? encodeCd(t, values, o) : encodeFixedVar(t, values, o);
}
