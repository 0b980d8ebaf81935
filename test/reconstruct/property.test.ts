/**
 * Property tests: values → SYNTHETIC encoder (test/support/synthetic-encoder.ts) → decodeRow → the same values.
 * Every type, precision/scale, NULL pattern, 1–1,024 columns, FixedVar and CD (for the CD-supported types).
 * This proves the decoder is self-consistent with the documented layouts; real-byte truth is in the
 * text-example tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import {
  datetimeoffsetFromUtc, formatDatetime, formatEpochDay, formatTimeUnits, placeScale, shortestFloat32, DAY0001_TO_EPOCH, DAY1900_TO_EPOCH,
} from '../../src/reconstruct/types/index.js';
import { DecodeError } from '../../src/errors.js';
import { buildLayout, codePageChars, encodeRow, unicodeCompressedBytes, type SynthColumn } from '../support/synthetic-encoder.js';

const HEXD = '0123456789ABCDEF';
const hexOf = (b: Uint8Array) => '0x' + [...b].map((x) => HEXD[x >> 4] + HEXD[x & 15]).join('');

const gbkChars = codePageChars(936).filter((c) => c.charCodeAt(0) >= 0x4e00 && c.charCodeAt(0) <= 0x9fa5).slice(0, 3000);
const latin1Chars = codePageChars(1252).filter((c) => c >= ' ');
const cyrillicChars = codePageChars(1251).filter((c) => c >= ' ');
/** Characters for SCSU round trips: ASCII, Latin-1, Cyrillic, Greek, kana (default and defined windows), CJK, an astral emoji. */
const scsuChars = [...'abcdefghijklmnopqrstuvwxyz ABC0123456789.,', 'é', 'ü', 'Ѩ', 'я', 'Ё', 'Ω', 'λ', 'で', 'あ', 'ア', '～', '中', '文', '😀', 'ก', '\t'];
const compressesOrEmpty = (s: string) => s === '' || unicodeCompressedBytes(s).compressed;

interface TypeGen {
  col: (name: string) => SynthColumn;
  value: fc.Arbitrary<SqlValue>;
  cd: boolean; // supported in CD records
}

function decimalGen(p: number, s: number): fc.Arbitrary<SqlValue> {
  const max = 10n ** BigInt(p) - 1n;
  return fc.tuple(fc.bigInt(0n, max), fc.boolean()).map(([m, neg]) => placeScale(m.toString(), s, neg && m !== 0n));
}
function scaledGen(min: bigint, max: bigint): fc.Arbitrary<SqlValue> {
  return fc.bigInt(min, max).map((v) => placeScale((v < 0n ? -v : v).toString(), 4, v < 0n));
}
const str = (chars: string[], min: number, max: number) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));

const TYPES: Record<string, TypeGen> = {
  bit: { col: (n) => ({ name: n, type: 'bit' }), value: fc.boolean(), cd: true },
  tinyint: { col: (n) => ({ name: n, type: 'tinyint' }), value: fc.integer({ min: 0, max: 255 }), cd: true },
  smallint: { col: (n) => ({ name: n, type: 'smallint' }), value: fc.integer({ min: -32768, max: 32767 }), cd: true },
  int: { col: (n) => ({ name: n, type: 'int' }), value: fc.integer(), cd: true },
  bigint: { col: (n) => ({ name: n, type: 'bigint' }), value: fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map(String), cd: true },
  real: { col: (n) => ({ name: n, type: 'real' }), value: fc.float({ noNaN: true, noDefaultInfinity: true }).map(shortestFloat32), cd: true },
  float: { col: (n) => ({ name: n, type: 'float' }), value: fc.double({ noNaN: true, noDefaultInfinity: true }), cd: true },
  // Zero has its own CD form (no bytes).
  realZero: { col: (n) => ({ name: n, type: 'real' }), value: fc.constant(0), cd: true },
  floatZero: { col: (n) => ({ name: n, type: 'float' }), value: fc.constant(0), cd: true },
  money: { col: (n) => ({ name: n, type: 'money' }), value: scaledGen(-(2n ** 63n), 2n ** 63n - 1n), cd: true },
  smallmoney: { col: (n) => ({ name: n, type: 'smallmoney' }), value: scaledGen(-(2n ** 31n), 2n ** 31n - 1n), cd: true },
  date: { col: (n) => ({ name: n, type: 'date' }), value: fc.integer({ min: 0, max: 3652058 }).map((d) => formatEpochDay(d + DAY0001_TO_EPOCH)), cd: true },
  datetime: {
    col: (n) => ({ name: n, type: 'datetime' }),
    value: fc.tuple(fc.integer({ min: -53690, max: 2958463 }), fc.integer({ min: 0, max: 25919999 })).map(([d, t]) => formatDatetime(d, t)),
    cd: true,
  },
  smalldatetime: {
    col: (n) => ({ name: n, type: 'smalldatetime' }),
    value: fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 1439 })).map(([d, m]) => `${formatEpochDay(d + DAY1900_TO_EPOCH)}T${formatTimeUnits(m * 60, 0)}`),
    cd: false,
  },
  uniqueidentifier: { col: (n) => ({ name: n, type: 'uniqueidentifier' }), value: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
    const x = hexOf(b).slice(2);
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }), cd: true },
  varchar: { col: (n) => ({ name: n, type: 'varchar', maxLength: 200 }), value: str(latin1Chars, 0, 40), cd: true },
  varcharGbk: { col: (n) => ({ name: n, type: 'varchar', maxLength: 200, collation: 'Chinese_PRC_CI_AS' }), value: str([...gbkChars, 'a', 'Z', '1'], 0, 30), cd: true },
  varcharUtf8: { col: (n) => ({ name: n, type: 'varchar', maxLength: 200, collation: 'Latin1_General_100_CI_AS_SC_UTF8' }), value: fc.string({ maxLength: 30 }), cd: true },
  char10: { col: (n) => ({ name: n, type: 'char', maxLength: 10 }), value: str(latin1Chars, 0, 10).map((s) => s.padEnd(10, ' ')), cd: true },
  nvarchar: { col: (n) => ({ name: n, type: 'nvarchar', maxLength: 200 }), value: fc.string({ maxLength: 40, unit: 'grapheme' }), cd: true },
  nvarcharMax: { col: (n) => ({ name: n, type: 'nvarchar', maxLength: -1 }), value: fc.string({ maxLength: 40, unit: 'grapheme' }), cd: true },
  nchar6: { col: (n) => ({ name: n, type: 'nchar', maxLength: 12 }), value: str([...gbkChars.slice(0, 50), 'x', 'y'], 0, 6).map((s) => s.padEnd(6, ' ')), cd: true },
  // CD nchar(n)/nvarchar(n): values whose SCSU form is smaller than UTF-16 (stored compressed, odd length);
  // the others are stored as UTF-16 (even length): see nvarchar / nchar6 and the property below.
  nvarcharScsu: { col: (n) => ({ name: n, type: 'nvarchar', maxLength: 200 }), value: str(scsuChars, 0, 40).filter(compressesOrEmpty), cd: true },
  nchar12Scsu: {
    col: (n) => ({ name: n, type: 'nchar', maxLength: 24 }),
    value: str(scsuChars, 0, 12).filter((s) => s.length <= 12 && compressesOrEmpty(s.replace(/ +$/, ''))).map((s) => s.padEnd(12, ' ')),
    cd: true,
  },
  binary5: { col: (n) => ({ name: n, type: 'binary', maxLength: 5 }), value: fc.oneof(fc.uint8Array({ minLength: 5, maxLength: 5 }), fc.constant(new Uint8Array([1, 0, 0, 0, 0])), fc.constant(new Uint8Array(5))).map(hexOf), cd: true },
  varbinary: { col: (n) => ({ name: n, type: 'varbinary', maxLength: 300 }), value: fc.uint8Array({ maxLength: 40 }).map(hexOf), cd: true },
  geography: { col: (n) => ({ name: n, type: 'geography' }), value: fc.uint8Array({ minLength: 1, maxLength: 40 }).map(hexOf), cd: true },
  timestamp: { col: (n) => ({ name: n, type: 'timestamp' }), value: fc.uint8Array({ minLength: 8, maxLength: 8 }).map(hexOf), cd: true },
  variant: {
    col: (n) => ({ name: n, type: 'sql_variant' }),
    value: fc.oneof(
      fc.integer().map((v) => ({ baseType: 'int', value: v })),
      fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map((v) => ({ baseType: 'bigint', value: String(v) })),
      // the variant's own MaxLength and collation come back (types/variant.ts); its text is read in
      // the code page of its own collation, not the column's (1252): Cyrillic text under Cyrillic_General
      str(latin1Chars, 0, 20).map((v) => ({ baseType: 'varchar', maxLength: 8000, collation: 'SQL_Latin1_General_CP1_CI_AS', value: v })),
      str(cyrillicChars, 0, 20).map((v) => ({ baseType: 'varchar', maxLength: 40, collation: 'Cyrillic_General_CI_AS', value: v })),
      fc.string({ maxLength: 20, unit: 'grapheme' }).map((v) => ({ baseType: 'nvarchar', maxLength: 8000, collation: 'SQL_Latin1_General_CP1_CI_AS', value: v })),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ baseType: 'float', value: v })),
      decimalGen(38, 5).map((v) => ({ baseType: 'decimal', precision: 38, scale: 5, value: v })),
    ),
    cd: true,
  },
  offRow: {
    col: (n) => ({ name: n, type: 'nvarchar', maxLength: -1 }),
    value: fc.oneof(
      fc.record({ page: fc.integer({ min: 1, max: 2 ** 31 }), slot: fc.integer({ min: 0, max: 700 }), ts: fc.uint8Array({ minLength: 8, maxLength: 8 }) })
        .map(({ page, slot, ts }) => ({ offRow: { page: `1:${page}`, slot, kind: 'text-pointer' as const, timestamp: hexOf(ts).slice(2) } })),
      fc.record({ page: fc.integer({ min: 1, max: 2 ** 31 }), slot: fc.integer({ min: 0, max: 700 }), len: fc.integer({ min: 8001, max: 2 ** 30 }), ts: fc.uint8Array({ minLength: 4, maxLength: 4 }) })
        .map(({ page, slot, len, ts }) => ({ offRow: { page: `1:${page}`, slot, kind: 'row-overflow' as const, length: len, timestamp: hexOf(ts).slice(2) } })),
    ),
    cd: true,
  },
};
for (const p of [1, 5, 9, 10, 18, 19, 20, 28, 29, 38]) {
  for (const s of [0, Math.floor(p / 2), p]) {
    TYPES[`decimal_${p}_${s}`] = { col: (n) => ({ name: n, type: 'decimal', precision: p, scale: s }), value: decimalGen(p, s), cd: true };
  }
}
for (let s = 0; s <= 7; s++) {
  TYPES[`time${s}`] = { col: (n) => ({ name: n, type: 'time', scale: s }), value: fc.integer({ min: 0, max: 86400 * 10 ** s - 1 }).map((u) => formatTimeUnits(u, s)), cd: true };
  TYPES[`datetime2_${s}`] = {
    col: (n) => ({ name: n, type: 'datetime2', scale: s }),
    value: fc.tuple(fc.integer({ min: 0, max: 3652058 }), fc.integer({ min: 0, max: 86400 * 10 ** s - 1 })).map(([d, u]) => `${formatEpochDay(d + DAY0001_TO_EPOCH)}T${formatTimeUnits(u, s)}`),
    cd: true,
  };
  TYPES[`datetimeoffset_${s}`] = {
    col: (n) => ({ name: n, type: 'datetimeoffset', scale: s }),
    value: fc.tuple(fc.integer({ min: 1, max: 3652057 }), fc.integer({ min: 0, max: 86400 * 10 ** s - 1 }), fc.integer({ min: -840, max: 840 }))
      .map(([d, u, off]) => datetimeoffsetFromUtc(u, d, off, s)),
    cd: false,
  };
}

const typeNames = Object.keys(TYPES);
const cdTypeNames = typeNames.filter((t) => TYPES[t].cd);

/** A table of random column types and a row of random values (each nullable with NULLs). */
function tableAndRow(names: string[], minCols: number, maxCols: number, compression: 'NONE' | 'ROW') {
  return fc.array(fc.constantFrom(...names), { minLength: minCols, maxLength: maxCols }).chain((kinds) => {
    const cols = kinds.map((k, i) => TYPES[k].col(`c${i}_${k}`));
    const layout = buildLayout('synthetic', cols, compression);
    const values = fc.tuple(...kinds.map((k) => fc.option(TYPES[k].value, { nil: null, freq: 4 })));
    return values.map((vs) => ({ layout, kinds, row: Object.fromEntries(cols.map((c, i) => [c.name, vs[i] as SqlValue])) }));
  });
}

function roundTrip({ layout, row }: { layout: ReturnType<typeof buildLayout>; row: Record<string, SqlValue> }) {
  const image = encodeRow(layout, row);
  const decoded = decodeRow(image, layout);
  expect(decoded.values).toEqual(row);
  expect(Object.keys(decoded.values)).toEqual(Object.keys(row));
}

describe('round trip: SYNTHETIC encoder → decodeRow', () => {
  for (const t of typeNames) {
    it(`FixedVar, every value of ${t} (with NULLs)`, () => {
      fc.assert(fc.property(tableAndRow([t], 1, 3, 'NONE'), roundTrip), { numRuns: 60 });
    });
  }
  for (const t of cdTypeNames) {
    it(`CD (ROW compression), every value of ${t} (with NULLs)`, () => {
      fc.assert(fc.property(tableAndRow([t], 1, 3, 'ROW'), roundTrip), { numRuns: 60 });
    });
  }
  it('FixedVar, mixed tables of 1–40 columns', () => {
    fc.assert(fc.property(tableAndRow(typeNames, 1, 40, 'NONE'), roundTrip), { numRuns: 150 });
  });
  it('CD, mixed tables of 1–100 columns (several 30-column clusters)', () => {
    fc.assert(fc.property(tableAndRow(cdTypeNames, 1, 100, 'ROW'), roundTrip), { numRuns: 100 });
  });
  it('CD nchar(n)/nvarchar(n): any value round-trips, stored SCSU (odd) or UTF-16 (even)', () => {
    const anyText = fc.oneof(str(scsuChars, 0, 30), fc.string({ maxLength: 30, unit: 'grapheme' }), str(gbkChars.slice(0, 200), 1, 10));
    for (const type of ['nvarchar', 'nchar'] as const) {
      const layout = buildLayout('u', [{ name: 'id', type: 'int' }, { name: 's', type, maxLength: 400 }], 'ROW');
      fc.assert(fc.property(anyText.filter((t) => t.length <= 200), (text) => {
        const value = type === 'nchar' ? text.padEnd(200, ' ') : text;
        const stored = type === 'nchar' ? text.replace(/ +$/, '') : text;
        const enc = unicodeCompressedBytes(stored);
        expect(stored === '' || (enc.bytes.length % 2 === 1) === enc.compressed).toBe(true);
        expect(decodeRow(encodeRow(layout, { id: 1, s: value }), layout).values).toEqual({ id: 1, s: value });
      }), { numRuns: 200 });
    }
  });
  it('FixedVar and CD, wide tables up to 1,024 columns', () => {
    const small = ['bit', 'tinyint', 'int', 'smallint', 'varchar', 'bigint', 'decimal_9_4', 'nvarcharScsu', 'binary5'];
    fc.assert(fc.property(fc.integer({ min: 900, max: 1024 }).chain((n) => tableAndRow(small, n, n, 'NONE')), roundTrip), { numRuns: 4 });
    fc.assert(fc.property(fc.integer({ min: 900, max: 1024 }).chain((n) => tableAndRow(small, n, n, 'ROW')), roundTrip), { numRuns: 4 });
  });
});

describe('record features through the SYNTHETIC encoder', () => {
  const layout = buildLayout('features', [
    { name: 'id', type: 'int' }, { name: 'name', type: 'nvarchar', maxLength: 100 }, { name: 'flag', type: 'bit' },
    { name: 'amount', type: 'decimal', precision: 18, scale: 2 }, { name: 'note', type: 'varchar', maxLength: 50 },
  ]);
  const row = { id: 7, name: null, flag: true, amount: null, note: 'x' };

  it('garbage in unused bitmap bits and in NULL fixed slots is ignored, without a warning (SQL Server leaves both in ordinary rows)', () => {
    const img = encodeRow(layout, row, { unusedBitmapBits: 0xff, nullSlotFill: 0xcc });
    const d = decodeRow(img, layout);
    expect(d.values).toEqual(row);
    expect(d.warnings).toEqual([]);
  });
  it('versioning tag, ghost record type', () => {
    const tag = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const d = decodeRow(encodeRow(layout, row, { versioningTag: tag, recordType: 6 }), layout);
    expect(d.values).toEqual(row);
    expect(d.versioningTag).toBe('0102030405060708090A0B0C0D0E');
    expect(d.recordType).toBe('ghost-data');
    expect(d.ghost).toBe(true);
    const cd = buildLayout('features', [{ name: 'id', type: 'int' }, { name: 'note', type: 'varchar', maxLength: 50 }], 'ROW');
    const d2 = decodeRow(encodeRow(cd, { id: 1, note: 'long enough text here' }, { versioningTag: tag }), cd);
    expect(d2.versioningTag).toBe('0102030405060708090A0B0C0D0E');
    expect(d2.values).toEqual({ id: 1, note: 'long enough text here' });
  });
  it('rows written before columns were added take the default or NULL, with a warning', () => {
    const wider = buildLayout('features', [
      { name: 'id', type: 'int' }, { name: 'name', type: 'nvarchar', maxLength: 100 },
      { name: 'added_fixed', type: 'int', defaultValue: 42 }, { name: 'added_var', type: 'varchar', maxLength: 10 },
    ]);
    const old = encodeRow(wider, { id: 1, name: 'a', added_fixed: null, added_var: null }, { columnCount: 2 });
    const d = decodeRow(old, wider);
    expect(d.values).toEqual({ id: 1, name: 'a', added_fixed: 42, added_var: null });
    expect(d.warnings.filter((w) => /not in this record/.test(w))).toHaveLength(2);
  });
  it('a record with more columns than the layout knows decodes the known ones and warns about schema drift', () => {
    const wider = buildLayout('drift', [{ name: 'id', type: 'int' }, { name: 'name', type: 'nvarchar', maxLength: 100 }, { name: 'extra', type: 'int' }]);
    const narrower = buildLayout('drift', [{ name: 'id', type: 'int' }, { name: 'name', type: 'nvarchar', maxLength: 100 }]);
    for (const compression of ['NONE', 'ROW'] as const) {
      const w = { ...wider, compression };
      const n = { ...narrower, compression };
      const d = decodeRow(encodeRow(w, { id: 1, name: null, extra: 3 }), n);
      expect(d.values).toEqual({ id: 1, name: null });
      expect(d.warnings.some((x) => /schema drift/.test(x))).toBe(true);
    }
  });
  it('uniquifier of a non-unique clustered index (FixedVar and CD)', () => {
    for (const compression of ['NONE', 'ROW'] as const) {
      const t = buildLayout('u', [{ name: 'UNIQUIFIER', type: 'int', uniquifier: true }, { name: 'k', type: 'int' }, { name: 'v', type: 'varchar', maxLength: 9 }], compression);
      const d = decodeRow(encodeRow(t, { k: 5, v: 'abc' }, { uniquifier: 3 }), t);
      expect(d.uniquifier).toBe(3);
      expect(d.values).toEqual({ k: 5, v: 'abc' });
    }
  });
  it('sparse columns come from the sparse vector', () => {
    const t = buildLayout('sparse', [
      { name: 'ID', type: 'int' }, { name: 'A', type: 'int', sparse: true }, { name: 'B', type: 'int', sparse: true },
      { name: 'S', type: 'nvarchar', maxLength: 40, sparse: true }, { name: 'N', type: 'varchar', maxLength: 10 },
    ]);
    fc.assert(fc.property(fc.option(fc.integer(), { nil: null }), fc.option(fc.integer(), { nil: null }), fc.option(fc.string({ maxLength: 5 }), { nil: null }), fc.option(fc.string({ maxLength: 5 }), { nil: null }), (a, b, s, n) => {
      const row = { ID: 1, A: a, B: b, S: s, N: n };
      expect(decodeRow(encodeRow(t, row), t).values).toEqual(row);
    }), { numRuns: 100 });
  });
});

// Types list check: every SqlTypeName except the LOB/pointer-only ones has a generator above.
const covered = new Set(Object.values(TYPES).map((g) => g.col('x').type));
it('covers the SQL types', () => {
  const all: SqlTypeName[] = ['bit', 'tinyint', 'smallint', 'int', 'bigint', 'real', 'float', 'decimal', 'money', 'smallmoney', 'date', 'time', 'datetime', 'smalldatetime', 'datetime2', 'datetimeoffset', 'char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary', 'timestamp', 'uniqueidentifier', 'sql_variant', 'geography'];
  expect(all.filter((t) => !covered.has(t))).toEqual([]);
});
