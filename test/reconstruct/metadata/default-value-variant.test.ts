/**
 * A sql_variant column's default is not turned into a value for rows predating the column: its value
 * is `{ baseType, value }` and the default's text names no base type (a catalog's default_value is
 * CONVERT(nvarchar(4000), …, 1) of it; a DDL literal's base type follows T-SQL's constant typing,
 * 5 int, '5' varchar, N'5' nvarchar). Before, a row predating `ADD v sql_variant NOT NULL DEFAULT 5`
 * printed v: "5" — a string where the column's other rows print variants, its base type int lost —
 * with "took its default". Now NULL, with the warning that the value the ADD gave is not known.
 * Record SYNTHETIC (Id = 1, column count 1).
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog } from '../../../src/reconstruct/metadata/catalog-json.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';

const old = Buffer.from('10000800' + '01000000' + '0100' + '00', 'hex');

describe('sql_variant defaults of columns added later (SYNTHETIC)', () => {
  it('DDL: ADD v sql_variant NOT NULL DEFAULT 5 — NULL, the value named as not known, never the string "5"', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.VD (Id int NOT NULL);\nALTER TABLE dbo.VD ADD v sql_variant NOT NULL DEFAULT 5;');
    const row = decodeRow(old, t);
    expect(row.values).toEqual({ Id: 1, v: null });
    expect(row.warnings.join('\n')).toMatch(/column v is not in this record .*added NOT NULL DEFAULT 5, so if the row still existed then, its value is what that expression gave/);
  });

  it('catalog JSON: default_value "5" of a sql_variant column — NULL with the warning, not "5"', () => {
    const base = { schema_name: 'dbo', table_name: 'VD', index_id: 0, data_compression_desc: 'NONE', collation_name: null, leaf_bit_position: 0, is_dropped: false, is_sparse: false, is_uniqueifier: false, precision: 0, scale: 0 };
    const [t] = layoutsFromCatalog([
      { ...base, partition_column_id: 1, column_id: 1, column_name: 'Id', type_name: 'int', max_length: 4, precision: 10, leaf_offset: 4, leaf_null_bit: 1, is_nullable: false },
      { ...base, partition_column_id: 2, column_id: 2, column_name: 'v', type_name: 'sql_variant', max_length: 8016, leaf_offset: -1, leaf_null_bit: 2, is_nullable: false, default_value: '5' },
    ]);
    const row = decodeRow(old, t);
    expect(row.values).toEqual({ Id: 1, v: null });
    expect(row.warnings.join('\n')).toMatch(/column v is not in this record/);
    expect(row.warnings.join('\n')).not.toMatch(/took its default/);
  });

  it('other types keep their evaluated default (int NOT NULL DEFAULT 42: took its default)', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.VD (Id int NOT NULL);\nALTER TABLE dbo.VD ADD n int NOT NULL DEFAULT 42;');
    const row = decodeRow(old, t);
    expect(row.values).toEqual({ Id: 1, n: 42 });
    expect(row.warnings.join('\n')).toMatch(/took its default/);
  });
});
