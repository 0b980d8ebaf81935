import { describe, expect, it } from 'vitest';
import { readShippedSql } from '../../../src/logreader/live/shipped-sql.js';

/**
 * The catalog block's default_value is rendered by the base type of a sql_variant
 * (sys.system_internals_partition_columns.default_value). SQL_VARIANT_PROPERTY returns a sql_variant;
 * compared with a literal, both are sql_variant character values, which SQL Server orders by their
 * collations before their text (Microsoft Learn, sql_variant, "comparison"): where the property's
 * collation is not the literal's (the database's), `= 'binary'` is false and a binary default went to
 * the ELSE branch as characters. The shipped scripts compare CONVERT(sysname, …), plain nvarchar.
 * What collation the property carries needs a real server to see (test/integration/live.test.ts).
 */
describe('shipped SQL compares sql_variant base types as sysname', () => {
  for (const name of ['table-metadata.sql', 'table-metadata-json.sql', 'export-log-records.sql']) {
    it(name, () => {
      const text = readShippedSql(name);
      const props = [...text.matchAll(/SQL_VARIANT_PROPERTY\(pc\.\[default_value\], 'BaseType'\)/g)];
      expect(props.length).toBe(5);
      for (const m of props) expect(text.slice(m.index! - 'CONVERT(sysname, '.length, m.index)).toBe('CONVERT(sysname, ');
    });
  }
});
