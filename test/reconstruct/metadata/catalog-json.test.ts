import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, SchemaError, type RowbackError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog, loadCatalogFile } from '../../../src/reconstruct/metadata/catalog-json.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { defaultValueFromText } from '../../../src/reconstruct/metadata/default-value.js';
import type { ColumnLayout, SqlTypeName } from '../../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../../support/corpus.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EXAMPLE = join(repo, 'examples', 'decimal-test-dropped-column.catalog.json');

function row(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema_name: 'dbo', table_name: 't', index_id: 0, partition_column_id: 1, column_id: 1, column_name: 'a',
    type_name: 'int', max_length: 4, precision: 10, scale: 0, collation_name: null,
    leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, is_dropped: 0, is_sparse: 0, is_uniqueifier: 0,
    ...over,
  };
}

function thrown(fn: () => unknown): RowbackError {
  try {
    fn();
  } catch (e) {
    return e as RowbackError;
  }
  throw new Error('expected an error');
}

describe('catalog JSON → TableLayout', () => {
  it('maps the shipped example: dropped column, added column with its default, alloc units, partition', () => {
    const [t, ...rest] = loadCatalogFile(EXAMPLE);
    expect(rest).toEqual([]);
    expect(t).toMatchObject({
      schema: 'dbo', name: 'DecimalTest', objectId: 581577110, indexId: 0, partitionId: '72057594043105280', partitionNumber: 1,
      compression: 'NONE', modifyDate: '2026-05-17T14:02:11.340',
      allocUnits: [{ allocUnitId: '72057594049069056', type: 'IN_ROW_DATA' }],
    });
    const cols = t!.columns.map((c) => [c.name, c.columnId, c.partitionColumnId, c.type, c.leafOffset, c.leafNullBit, c.isDropped]);
    expect(cols).toEqual([
      ['Id', 1, 1, 'int', 4, 1, false],
      ['$dropped_2', 0, 2, 'decimal', 8, 2, true],
      ['Big', 3, 3, 'decimal', 13, 3, false],
      ['Added', 4, 4, 'int', 22, 4, false],
      ['Label', 5, 5, 'varchar', -1, 5, false],
    ]);
    expect(t!.columns.find((c) => c.name === 'Added')!.defaultValue).toBe(7);
    expect(t!.columns.find((c) => c.name === 'Added')!.nullable).toBe(false);
    expect(t!.columns.find((c) => c.name === 'Label')!.codePage).toBe(1252);
  });

  it('accepts a bare array, 0/1 booleans, numeric bigints; names the uniquifier; sorts by partition_column_id', () => {
    const layouts = layoutsFromCatalog([
      row({ partition_column_id: 2, column_id: 2, column_name: 'b', type_name: 'nvarchar', max_length: 40, leaf_offset: -2, leaf_null_bit: 2, partition_id: 72057594 }),
      row({ partition_column_id: 0, column_id: null, column_name: null, leaf_offset: -1, leaf_null_bit: 1, is_uniqueifier: 1, partition_id: 72057594 }),
      row({ partition_column_id: 1, leaf_null_bit: 3, partition_id: 72057594, key_ordinal: 1 }),
    ]);
    expect(layouts).toHaveLength(1);
    expect(layouts[0]!.columns.map((c) => [c.name, c.isUniquifier, c.keyOrdinal ?? 0])).toEqual([['UNIQUIFIER', true, 0], ['a', false, 1], ['b', false, 0]]);
    expect(layouts[0]!.partitionId).toBe('72057594');
  });

  it('one layout per partition, and the compression of each', () => {
    const layouts = layoutsFromCatalog({ rows: [
      row({ partition_number: 1, partition_id: '1', data_compression_desc: 'NONE' }),
      row({ partition_number: 2, partition_id: '2', data_compression_desc: 'PAGE' }),
      row({ table_name: 'u', data_compression_desc: 'COLUMNSTORE_ARCHIVE' }),
    ] });
    expect(layouts.map((l) => [l.name, l.partitionNumber, l.compression])).toEqual([['t', 1, 'NONE'], ['t', 2, 'PAGE'], ['u', undefined, 'COLUMNSTORE']]);
  });

  it('agrees with the DDL path on a non-unique clustered table (LogCarver catalog values for dbo.Simple2)', () => {
    const simple = { table_name: 'Simple2', index_id: 1 };
    const fromCatalog = layoutsFromCatalog([
      row({ ...simple, partition_column_id: 0, column_id: null, column_name: null, leaf_offset: -1, leaf_null_bit: 1, is_uniqueifier: 1 }),
      row({ ...simple, partition_column_id: 1, column_id: 1, column_name: 'Id', leaf_offset: 12, leaf_null_bit: 3, is_nullable: 0 }),
      row({ ...simple, partition_column_id: 2, column_id: 2, column_name: 'ColA', type_name: 'nvarchar', max_length: 40, precision: 0, leaf_offset: -2, leaf_null_bit: 4, collation_name: 'SQL_Latin1_General_CP1_CI_AS', is_nullable: 0 }),
      row({ ...simple, partition_column_id: 3, column_id: 3, column_name: 'Sortable', type_name: 'datetime2', max_length: 8, precision: 27, scale: 7, leaf_offset: 4, leaf_null_bit: 2, key_ordinal: 1 }),
      row({ ...simple, partition_column_id: 4, column_id: 4, column_name: 'ColB', type_name: 'nvarchar', max_length: 40, precision: 0, leaf_offset: -3, leaf_null_bit: 5, collation_name: 'SQL_Latin1_General_CP1_CI_AS' }),
    ])[0]!;
    const fromDdl = layoutsFromDdl(`CREATE TABLE dbo.Simple2 (Id INT NOT NULL PRIMARY KEY NONCLUSTERED, ColA NVARCHAR(20) NOT NULL, Sortable DATETIME2 NULL, ColB NVARCHAR(20) NULL)
      CREATE CLUSTERED INDEX cx ON dbo.Simple2 (Sortable)`)[0]!;
    const shape = (cs: ColumnLayout[]) => cs.map((c) => [c.name, c.partitionColumnId, c.type, c.maxLength, c.precision, c.scale, c.leafOffset, c.leafNullBit, c.leafBitPosition, c.isUniquifier, c.keyOrdinal ?? 0]);
    expect(shape(fromDdl.columns)).toEqual(shape(fromCatalog.columns));
  });
});

describe('catalog JSON validation: SCHEMA_BAD_CATALOG names the row index and the field', () => {
  const cases: { name: string; json: unknown; text: string }[] = [
    { name: 'not an array', json: { tables: [] }, text: 'catalog JSON: expected an array of catalog rows' },
    { name: 'missing leaf_offset in row 1', json: [row(), (({ leaf_offset: _x, ...r }) => r)(row())], text: 'catalog row 1: field leaf_offset' },
    { name: 'wrong type for max_length in row 0 of { rows }', json: { rows: [row({ max_length: 'four' })] }, text: 'catalog row 0: field max_length' },
    { name: 'is_dropped is 2', json: [row({ is_dropped: 2 })], text: 'catalog row 0: field is_dropped' },
    { name: 'a numeric partition_id beyond 2^53 (already rounded by JSON) is refused', json: [row({ partition_id: 72057594043105280 })], text: 'catalog row 0: field partition_id' },
    { name: 'partition_id is not an integer', json: [row({ partition_id: '12a' })], text: 'catalog row 0: field partition_id' },
    { name: 'unknown type name', json: [row(), row({ partition_column_id: 2, type_name: 'money2' })], text: "catalog row 1: field type_name: unknown type 'money2'" },
    { name: 'repeated partition_column_id', json: [row(), row({ column_name: 'b' })], text: 'catalog row 1: field partition_column_id: 1 repeats row 0' },
    { name: 'column_name null for a live column', json: [row({ column_name: null })], text: 'catalog row 0: field column_name' },
    { name: 'column_name and column_id null for an ordinary partition_column_id', json: [row({ column_name: null, column_id: null })], text: 'catalog row 0: field column_name' },
    { name: 'default not of the column type', json: [row({ default_value: 'abc' })], text: "catalog row 0: field default_value: default 'abc' is not a valid int value" },
    { name: 'unknown compression', json: [row({ data_compression_desc: 'ZIP' })], text: "catalog row 0: field data_compression_desc: unknown compression 'ZIP'" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = thrown(() => layoutsFromCatalog(c.json, { file: 'cat.json' }));
      expect(e).toBeInstanceOf(SchemaError);
      expect(e.code).toBe('SCHEMA_BAD_CATALOG');
      expect(e.message).toContain(c.text);
      expect(e.location.file).toBe('cat.json');
    });
  }

  it('a stored column with neither name nor column_id (change tracking\'s hidden bigint) is kept hidden, not an error', () => {
    const [t] = layoutsFromCatalog([
      row(),
      row({ partition_column_id: 134217730, column_id: null, column_name: null, type_name: 'bigint', max_length: 8, leaf_offset: 8, leaf_null_bit: 2 }),
    ]);
    expect(t!.columns.map((c) => [c.name, c.isHidden ?? false])).toEqual([['a', false], ['$hidden_134217730', true]]);
    expect(t!.warnings).toEqual([expect.stringContaining('$hidden_134217730 (partition_column_id 134217730 = 0x8000002, bigint')]);
    // SYNTHETIC record: a = 1, hidden = 2, column count 2, bitmap 00.
    const r = decodeRow(parseHex('10001000 01000000 0200000000000000 0200 00'), t!);
    expect(r.values).toEqual({ a: 1 });
    expect(r.warnings).toEqual(t!.warnings);
  });

  it('loadCatalogFile: unreadable file and non-JSON are InputErrors naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cat-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    const e1 = thrown(() => loadCatalogFile(join(dir, 'missing.json')));
    expect(e1).toBeInstanceOf(InputError);
    expect(e1.code).toBe('INPUT_FILE_UNREADABLE');
    const e2 = thrown(() => loadCatalogFile(bad));
    expect(e2.code).toBe('INPUT_BAD_JSON');
    expect(e2.location.file).toBe(bad);
  });
});

describe('default_value text → output form', () => {
  const col = (type: SqlTypeName, scale = 0) => ({ name: 'c', type, scale });
  const cases: [SqlTypeName, number, string, unknown][] = [
    ['int', 0, '((0))', 0],
    ['int', 0, '-12', -12],
    ['bigint', 0, '9223372036854775807', '9223372036854775807'],
    ['bit', 0, '1', true],
    ['bit', 0, '0', false],
    ['decimal', 2, '1.5', '1.50'],
    ['decimal', 0, '-0', '0'],
    ['money', 4, '12.3400', '12.3400'],
    ['float', 0, '2.5', 2.5],
    ['datetime', 3, '2026-05-17T13:45:30.1233333', '2026-05-17T13:45:30.123'],
    ['datetime', 3, '2026-05-17T23:59:59.9966667', '2026-05-17T23:59:59.997'],
    ['smalldatetime', 0, '2026-05-17T13:45:00', '2026-05-17T13:45:00'],
    ['datetime2', 3, '2026-05-17T13:45:30.1230000', '2026-05-17T13:45:30.123'],
    ['date', 0, '2026-05-17', '2026-05-17'],
    ['time', 2, '13:45:30.5', '13:45:30.50'],
    ['datetimeoffset', 0, '2026-05-17T13:45:30+02:00', '2026-05-17T13:45:30+02:00'],
    ['uniqueidentifier', 0, '{12345678-1234-5678-9abc-123456789abc}', '12345678-1234-5678-9ABC-123456789ABC'],
    ['varbinary', 0, '0x0aff', '0x0AFF'],
    ['varchar', 0, "N'it''s'", "it's"],
    ['int', 0, 'NULL', null],
    // sql/table-metadata.sql's forms: a date as datetime2(7) text (it was refused: the whole catalog
    // with it), float/real as their 8 big-endian bytes (the text form kept 6 digits: 3.14159)
    ['date', 0, '2026-05-17T00:00:00.0000000', '2026-05-17'],
    ['float', 0, '0x400921FB54442D18', 3.141592653589793],
    ['float', 0, '0xC0F86A0000000000', -100000],
    ['real', 0, '0x3FB99999A0000000', 0.1],
    ['real', 0, '1234567', 1234567],
  ];
  for (const [type, scale, text, want] of cases) {
    it(`${type}(${scale}) '${text}' → ${JSON.stringify(want)}`, () => {
      expect(defaultValueFromText(text, col(type, scale))).toEqual(want);
    });
  }
  for (const [type, text] of [['int', '1.5'], ['decimal', '1.555'], ['date', '17/05/2026'], ['date', '2026-05-17T10:00:00.0000000'], ['float', '0x10'], ['bit', 'yes'], ['varbinary', 'ff']] as const) {
    it(`${type} '${text}' is SCHEMA_BAD_DEFAULT`, () => {
      const e = thrown(() => defaultValueFromText(text, col(type, 2)));
      expect(e.code).toBe('SCHEMA_BAD_DEFAULT');
    });
  }
});

describeCorpus('catalog JSON with a dropped and added columns decodes a real row (lc-decimal-positive)', () => {
  it('hides the dropped column, takes the added columns\' defaults, keeps the rest', () => {
    // Real bytes; the catalog describes the same table after a hypothetical DROP COLUMN Small / ADD Added, Label.
    const ex = readCorpusJson<{ hex: string }>('text-examples', 'lc-decimal-positive.json');
    const table = loadCatalogFile(EXAMPLE)[0]!;
    const decoded = decodeRow(parseHex(ex.hex), table);
    expect(decoded.values).toEqual({ Id: 1, Big: '123456789012.3456', Added: 7, Label: null });
  });
});

describe('a char/varchar/text column with no collation_name (hand-made or converted catalog)', () => {
  it('is read as code page 1252 with a warning on its rows, not silently (SYNTHETIC catalog rows)', async () => {
    const { readFileSync } = await import('node:fs');
    const { layoutsFromCatalog } = await import('../../../src/reconstruct/metadata/catalog-json.js');
    const doc = JSON.parse(readFileSync(new URL('../../../examples/decimal-test-dropped-column.catalog.json', import.meta.url), 'utf8')) as { rows: Array<Record<string, unknown>> };
    for (const r of doc.rows) if (r.column_name === 'Label') r.collation_name = null;
    const [layout] = layoutsFromCatalog(doc);
    expect(layout.warnings).toContainEqual(expect.stringMatching(/column Label \(varchar\) has no collation in the metadata: its text is read as code page 1252/));
  });
});
