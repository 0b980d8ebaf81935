/**
 * Sparse vector and complex-column parsing on real bytes:
 *  - text-examples/improvedk-sparse-vector.json (the 20-byte vector of a row with B = 3, E = 1234);
 *  - the sql_variant record printed in dba.stackexchange.com q/14778 (DBCC PAGE of a real row).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { parseComplexColumn } from '../../../src/reconstruct/record/complex.js';
import { parseSparseVector } from '../../../src/reconstruct/record/sparse.js';
import { decodeValue } from '../../../src/reconstruct/types/index.js';
import { parseHex } from '../../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../../support/corpus.js';
import { fixed, table, variable } from './layout-builder.js';

describeCorpus('sparse vector (improvedk-sparse-vector.json)', () => {
  const ex = readCorpusJson<{ hex: string; values: Record<string, number | null> }>('text-examples', 'improvedk-sparse-vector.json');
  const bytes = parseHex(ex.hex);
  const layout = table('Sparse', [
    fixed('ID', 'int', 4),
    ...['A', 'B', 'C', 'D', 'E'].map((n, i) => fixed(n, 'int', 0, { isSparse: true, columnId: i + 2, nullBit: 0 })),
  ]);
  it('maps column ids 3 and 6 to their values; the others are absent (NULL)', () => {
    const m = parseSparseVector(bytes, 0, bytes.length);
    expect([...m.keys()]).toEqual([3, 6]);
    const byName = Object.fromEntries(layout.columns.slice(1).map((c) => {
      const r = m.get(c.columnId);
      return [c.name, r ? decodeValue(c, bytes, r[0], r[1]) : null];
    }));
    const { ID: _id, ...sparseValues } = ex.values;
    expect(byName).toEqual(sparseValues);
  });
  it('is recognised as a complex column of kind sparse-vector', () => {
    expect(parseComplexColumn(bytes, 0, bytes.length).kind).toBe('sparse-vector');
  });
  it('every truncated prefix throws DecodeError', () => {
    for (let n = 0; n < bytes.length; n++) {
      expect(() => parseSparseVector(bytes, 0, n), `prefix of ${n} bytes`).toThrowError(DecodeError);
    }
  });
});

describe('sql_variant record from a real DBCC PAGE dump (dba.stackexchange.com q/14778)', () => {
  it('30000400 01000001 00110038 01010000 00 → { baseType: int, value: 1 }', () => {
    const layout = table('tbl', [variable('i', 'sql_variant', 1, { nullable: false })]);
    const row = decodeRow(parseHex('30000400 01000001 00110038 01010000 00'), layout);
    expect(row.values).toEqual({ i: { baseType: 'int', value: 1 } });
    expect(row.columnCount).toBe(1);
  });
});

/**
 * Sparse-only records (improve.dk "The null bitmap is not always present in data records"): no null bitmap
 * and no column count when status A lacks 0x10. Real records: field case improvedk-nullbitmap-sparse-only
 * (test/reconstruct/field-cases.test.ts). The bytes here are SYNTHETIC, built from that rule, for the edges.
 */
describe('sparse-only records: no null bitmap, no column count', () => {
  // A int SPARSE (column 1), B int NULL added later (null bit 1, offset 4), C varchar(10) NULL added later (slot 1).
  const layout = table('OnlyFixedSparse', [
    fixed('A', 'int', 0, { isSparse: true, columnId: 1, nullBit: 0 }),
    fixed('B', 'int', 4, { columnId: 2, nullBit: 1 }),
    variable('C', 'varchar', 1, { columnId: 3, nullBit: 2, maxLength: 10 }),
  ]);
  const cases: [string, string, Record<string, unknown>, number][] = [
    ['SYNTHETIC: all sparse columns NULL, no vector (status 0x00, padded to the 9-byte minimum)', '00000400 0000000000', { A: null, B: null, C: null }, 2],
    ['SYNTHETIC: vector in slot 1 of a record with no bitmap', '20000400 0100 1480 0500 0100 0100 0c00 07000000', { A: 7, B: null, C: null }, 2],
    ['SYNTHETIC: vector in the slot C owns while C is NULL in the bitmap', '30000800 02000000 0200 02 0100 1b80 0500 0100 0100 0c00 07000000', { A: 7, B: 2, C: null }, 0],
  ];
  for (const [name, hex, values, warnings] of cases) {
    it(name, () => {
      const row = decodeRow(parseHex(hex.replace(/\s+/g, '')), layout);
      expect(row.values).toEqual(values);
      expect(row.warnings.length).toBe(warnings);
    });
  }
  it('a column whose slot holds the sparse vector while the bitmap says it has a value: DECODE_BAD_RECORD naming it', () => {
    let err: unknown;
    try {
      decodeRow(parseHex('30000800020000000200000100 1b80 0500010001000c0007000000'.replace(/\s+/g, '')), layout);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).code).toBe('DECODE_BAD_RECORD');
    expect((err as DecodeError).location.column).toBe('C');
  });
  it('truncated sparse-only records are DECODE_TRUNCATED', () => {
    for (const hex of ['200004', '20000400 01', '20000400 0100 1480 0500']) {
      let err: unknown;
      try {
        decodeRow(parseHex(hex.replace(/\s+/g, '')), layout);
      } catch (e) {
        err = e;
      }
      expect((err as DecodeError).code).toBe('DECODE_TRUNCATED');
    }
  });
});
