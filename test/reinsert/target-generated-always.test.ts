import { describe, expect, it } from 'vitest';
import { tablesFromCatalog, targetColumnsSql } from '../../src/reinsert/mssql-target.js';
import { planReinsert } from '../../src/reinsert/plan.js';
import { insertableColumns } from '../../src/reinsert/target-table.js';

/**
 * A system-versioned temporal table's period columns (GENERATED ALWAYS AS ROW START / END,
 * sys.columns.generated_always_type 1 / 2, SQL Server 2016+) are physical columns of the row, so
 * the decoded deleted row holds them. SQL Server refuses an INSERT naming one (Msg 13536, "Cannot
 * insert an explicit value into a GENERATED ALWAYS column in table … Use INSERT with a column list
 * to exclude the GENERATED ALWAYS column"): every row of such a table failed to go back. A real
 * server is needed to run it (test/integration/reinsert.test.ts, skipped here without a container
 * runtime); here the catalog query's text and its rows in the shape tedious gives them (bit →
 * boolean, int → number) are checked. SYNTHETIC table.
 */
describe('re-insert target: GENERATED ALWAYS columns', () => {
  it('the catalog query reads GeneratedAlwaysType through COLUMNPROPERTY (NULL, so 0, before 2016)', () => {
    expect(targetColumnsSql(1)).toContain("ISNULL(COLUMNPROPERTY(c.object_id, c.name, 'GeneratedAlwaysType'), 0) AS generated_always_type");
  });

  const row = (column: string, type_name: string, extra: Record<string, unknown> = {}) => ({
    schema: 'dbo', table: 'Policy', column, column_id: 0, type_name, max_length: 8, precision: 27, scale: 7, is_nullable: false, is_identity: false, is_computed: false, key_ordinal: 0, generated_always_type: 0, ...extra,
  });
  const tables = tablesFromCatalog([
    row('PolicyId', 'int', { max_length: 4, precision: 10, scale: 0, key_ordinal: 1 }),
    row('Holder', 'nvarchar', { max_length: 100, precision: 0, scale: 0 }),
    row('ValidFrom', 'datetime2', { generated_always_type: 1 }),
    row('ValidTo', 'datetime2', { generated_always_type: 2 }),
  ]);

  it('period columns are not insertable', () => {
    expect(insertableColumns(tables.get('dbo.Policy')!).map((c) => c.name)).toEqual(['PolicyId', 'Holder']);
  });

  it("the INSERT of a recovered row leaves them out (the server sets them)", () => {
    const plan = planReinsert([{ id: 1, table: 'dbo.Policy', lsn: '0000002a:000001f0:0003', values: { PolicyId: 7, Holder: 'Ann', ValidFrom: '2024-05-01T10:00:00.0000000', ValidTo: '9999-12-31T23:59:59.9999999' } }], tables, []);
    expect(plan.problems).toEqual([]);
    const r = plan.batches[0]!.rows[0]!;
    expect(r.insertSql).toBe('INSERT INTO [dbo].[Policy] ([PolicyId], [Holder]) VALUES (@p1, @p2);');
  });
});

/**
 * A dry run without a target plans from the layout the rows were decoded with (fromLayout): from
 * --ddl, or from a catalog (sql/table-metadata.sql, whose generated_always_type is read through
 * COLUMNPROPERTY). The period columns were insertable there too, so the dry-run script failed with
 * Msg 13536 at its first row of such a table.
 */
describe('re-insert from a layout: GENERATED ALWAYS columns', () => {
  const ddl = `CREATE TABLE dbo.Policy (PolicyId int NOT NULL PRIMARY KEY, Holder nvarchar(50) NOT NULL,
    ValidFrom datetime2 GENERATED ALWAYS AS ROW START HIDDEN NOT NULL, ValidTo datetime2 GENERATED ALWAYS AS ROW END HIDDEN NOT NULL,
    PERIOD FOR SYSTEM_TIME (ValidFrom, ValidTo));`;

  it('--ddl: the period columns are not insertable', async () => {
    const { layoutsFromDdl } = await import('../../src/reconstruct/metadata/ddl.js');
    const { fromLayout } = await import('../../src/reinsert/target-table.js');
    const [layout] = layoutsFromDdl(ddl);
    expect(insertableColumns(fromLayout(layout!)).map((c) => c.name)).toEqual(['PolicyId', 'Holder']);
  });

  it('a catalog: generated_always_type read by the shipped query and kept by the layout', async () => {
    const { readFileSync } = await import('node:fs');
    for (const f of ['sql/table-metadata.sql', 'sql/table-metadata-json.sql', 'sql/export-log-records.sql']) {
      expect(readFileSync(f, 'utf8')).toContain("COLUMNPROPERTY(o.[object_id], c.[name], 'GeneratedAlwaysType') AS [generated_always_type]");
    }
    const { catalogRowFromCsv } = await import('../../src/logreader/export/export-file.js');
    expect(catalogRowFromCsv({ generated_always_type: '1' }, 2, 'x.csv')).toEqual({ generated_always_type: 1 });
    // a catalog row of a period column (int from COLUMNPROPERTY, as tedious and FOR JSON give it) → layout → target
    const { customersCatalog, customersCatalogRow } = await import('../support/export-fixture.js');
    const { layoutsFromCatalog } = await import('../../src/reconstruct/metadata/catalog-json.js');
    const { fromLayout } = await import('../../src/reinsert/target-table.js');
    const rows = [...customersCatalog(), customersCatalogRow({ partition_column_id: 3, column_id: 3, column_name: 'ValidFrom', type_name: 'datetime2', system_type_id: 42, max_length: 8, precision: 27, scale: 7, collation_name: null, is_nullable: false, leaf_offset: 8, leaf_null_bit: 3, leaf_bit_position: 0, key_ordinal: 0, generated_always_type: 1 })];
    const [layout] = layoutsFromCatalog(rows);
    expect(insertableColumns(fromLayout(layout!)).map((c) => c.name)).toEqual(['CustomerId', 'Name']);
  });
});
