/**
 * Column order in CD records: physical (leaf_null_bit) order — uniquifier, clustered key columns in
 * key order, then the rest by column id — not partition_column_id order. Real proof: field case
 * bc-sourcecodesetup-base-cd7 (test/reconstruct/field-cases.test.ts). Here: SYNTHETIC bytes built by
 * hand from that rule (bytes → expected), through both metadata paths (DDL and catalog JSON), and
 * tables of more than 30 columns (several CD clusters) through the SYNTHETIC encoder.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog } from '../../../src/reconstruct/metadata/catalog-json.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { parseCdRecord } from '../../../src/reconstruct/record/cd.js';
import { planFor } from '../../../src/reconstruct/record/plan.js';
import { parseHex } from '../../../src/util/hex.js';
import { cdColumnOrder, encodeCd } from '../../support/synthetic-encoder.js';

const h = (s: string) => parseHex(s.replace(/\s+/g, ''));
const ddl1 = (sql: string) => layoutsFromDdl(sql)[0]!;

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

describe('CD column order through the DDL path', () => {
  // SYNTHETIC records: header 01, column count, CD nibbles (low first), short values (int: big-endian, sign bit flipped).
  const cases: [string, string, string, Record<string, unknown>][] = [
    ['PRIMARY KEY on the second column: the key is CD index 0',
      'CREATE TABLE t (a int NOT NULL, b int NOT NULL PRIMARY KEY) WITH (DATA_COMPRESSION = ROW)',
      '01 02 22 81 82', { a: 2, b: 1 }],
    ['CREATE CLUSTERED INDEX (unique) on the third column, two key columns in key order',
      'CREATE TABLE t (a int NULL, b int NULL, c int NULL) WITH (DATA_COMPRESSION = ROW); CREATE UNIQUE CLUSTERED INDEX cx ON t (c, b)',
      '01 03 22 02 83 82 81', { a: 1, b: 2, c: 3 }],
    ['non-unique clustered index: the uniquifier is CD index 0 (empty = 0), then the key',
      'CREATE TABLE t (a int NULL, b int NULL) WITH (DATA_COMPRESSION = ROW); CREATE CLUSTERED INDEX cx ON t (b)',
      '01 03 21 02 82 81', { a: 1, b: 2 }],
    ['a heap keeps column order',
      'CREATE TABLE t (a int NULL, b int NULL) WITH (DATA_COMPRESSION = ROW)',
      '01 02 22 81 82', { a: 1, b: 2 }],
    ['PRIMARY KEY NONCLUSTERED does not reorder',
      'CREATE TABLE t (a int NULL, b int NOT NULL PRIMARY KEY NONCLUSTERED) WITH (DATA_COMPRESSION = PAGE)',
      '01 02 22 81 82', { a: 1, b: 2 }],
  ];
  for (const [name, sql, hex, values] of cases) {
    it(`SYNTHETIC: ${name}`, () => expect(decodeRow(h(hex), ddl1(sql)).values).toEqual(values));
  }
  it('the uniquifier value is read from CD index 0', () => {
    const t = ddl1('CREATE TABLE t (a int NULL, b int NULL) WITH (DATA_COMPRESSION = ROW); CREATE CLUSTERED INDEX cx ON t (b)');
    const row = decodeRow(h('01 03 22 02 83 82 81'), t);
    expect(row.uniquifier).toBe(3);
    expect(row.values).toEqual({ a: 1, b: 2 });
  });
});

describe('CD column order through the catalog path (leaf_null_bit, not partition_column_id)', () => {
  const base = { schema_name: 'dbo', table_name: 'u', index_id: 1, data_compression_desc: 'ROW', precision: 10, scale: 0, collation_name: null, leaf_bit_position: 0, is_dropped: 0, is_sparse: 0 };
  // SYNTHETIC catalog rows shaped like rusanu.com's "table columns under the hood" (clustered index on the 4th column).
  const rows = [
    { ...base, partition_column_id: 0, column_id: null, column_name: null, type_name: 'int', max_length: 4, leaf_offset: -1, leaf_null_bit: 1, is_uniqueifier: 1 },
    { ...base, partition_column_id: 1, column_id: 1, column_name: 'id', type_name: 'int', max_length: 4, leaf_offset: 8, leaf_null_bit: 3, is_uniqueifier: 0 },
    { ...base, partition_column_id: 2, column_id: 2, column_name: 'n', type_name: 'int', max_length: 4, leaf_offset: 12, leaf_null_bit: 4, is_uniqueifier: 0 },
    { ...base, partition_column_id: 3, column_id: 3, column_name: 'k', type_name: 'int', max_length: 4, leaf_offset: 4, leaf_null_bit: 2, is_uniqueifier: 0, key_ordinal: 1 },
  ];
  it('SYNTHETIC: uniquifier 7, k = 1, id = 2, n = NULL', () => {
    const [t] = layoutsFromCatalog(rows);
    const row = decodeRow(h('01 04 22 02 87 81 82'), t!);
    expect(row.values).toEqual({ id: 2, n: null, k: 1 });
    expect(row.uniquifier).toBe(7);
    expect(planFor(t!).output.map((cp) => [cp.name, cp.cdIndex])).toEqual([['id', 2], ['n', 3], ['k', 1]]);
  });
});

describe('CD tables of more than 30 columns (several clusters), clustered key not first', () => {
  const n = 95;
  const cols = Array.from({ length: n }, (_, i) => `c${i + 1} ${i % 3 === 0 ? 'bigint' : i % 3 === 1 ? 'nvarchar(40)' : 'int'} NULL`);
  const t = ddl1(`CREATE TABLE w (${cols.join(', ')}, CONSTRAINT pk PRIMARY KEY CLUSTERED (c47, c2)) WITH (DATA_COMPRESSION = ROW)`);
  const values: Record<string, unknown> = {};
  for (let i = 1; i <= n; i++) {
    const k = (i - 1) % 3;
    values[`c${i}`] = i % 7 === 0 && i !== 47 && i !== 2 ? null : k === 0 ? String(i * 1_000_000_007) : k === 1 ? `v${i}`.repeat(i % 5) : i * 37 - 1000;
  }
  it('the key columns take CD indexes 0 and 1', () => {
    expect(cdColumnOrder(t).slice(0, 2).map((c) => c.name)).toEqual(['c47', 'c2']);
    const plan = planFor(t);
    expect(plan.output.find((cp) => cp.name === 'c47')!.cdIndex).toBe(0);
    expect(plan.output.find((cp) => cp.name === 'c2')!.cdIndex).toBe(1);
    expect(plan.output.find((cp) => cp.name === 'c1')!.cdIndex).toBe(2);
  });
  it('SYNTHETIC encoder round trip: values in column_id order', () => {
    const img = encodeCd(t, values as never);
    const shape = parseCdRecord(img);
    expect(shape.columnCount).toBe(n);
    expect(shape.length).toBe(img.length);
    const row = decodeRow(img, t);
    expect(row.values).toEqual(values);
    expect(Object.keys(row.values)).toEqual(Object.keys(values));
  });
  it('a short-data cluster length that disagrees with the CD array is DECODE_BAD_RECORD at its offset', () => {
    const img = encodeCd(t, values as never);
    const clusterByte = 2 + ((n + 1) >> 1); // header, 1-byte count, CD array, then the cluster bytes
    img[clusterByte] ^= 0x01;
    const e = decodeError(() => decodeRow(img, t));
    expect(e.code).toBe('DECODE_BAD_RECORD');
    expect(e.location.offset).toBe(clusterByte);
  });
});
