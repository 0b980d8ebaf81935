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
