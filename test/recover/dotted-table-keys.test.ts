/**
 * Tables keyed by their parts (stagedTableName), not by `schema.name` text, in what the scan keeps
 * per table beside the --table filter: dbo.[A.B] and [dbo.A].B are both the text `dbo.A.B`.
 * Every layout and catalog here is SYNTHETIC (no real data file holds a table whose name holds a
 * dot, nor a partitioned one).
 */
import { describe, expect, it } from 'vitest';
import { withMetadata } from '../../src/recover/metadata-override.js';
import { catalogFromLayouts, type MetadataCatalog, type RecoverySource } from '../../src/recover/source.js';
import { InputError } from '../../src/errors.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { catalogModifyDates, columnstoreTables } from '../../src/recover/rebuilt-tables.js';
import { watchedTables } from '../../src/recover/layout-changes.js';

const cols = layoutsFromDdl('CREATE TABLE dbo.T (id int NOT NULL, b int)')[0]!.columns;
const layout = (schema: string, name: string, extra: Partial<TableLayout> = {}): TableLayout => ({ schema, name, indexId: 1, compression: 'NONE', columns: cols, ...extra });
const au = (id: string) => ({ allocUnits: [{ allocUnitId: id, type: 'IN_ROW_DATA' as const }] });

/** A source whose own catalog (a data file's, SYNTHETIC) is `own`. */
function source(own: MetadataCatalog): RecoverySource {
  return {
    description: 'SYNTHETIC',
    catalogOwner: "the data file's",
    metadata: async () => own,
    candidates: () => (async function* () {})(),
    skipped: () => [],
    close: async () => {},
  };
}

describe('dotted table names keyed by parts (SYNTHETIC layouts)', () => {
  it('--schema partitions of dbo.[Order.Items] without unit ids: each its own partition, never every unit to the last', async () => {
    // as metadata-override.test's dbo.Customers case: partition 1 NONE on unit 111, partition 2 PAGE on 222
    const part = (n: number | undefined, compression: TableLayout['compression'], id?: string) =>
      layout('dbo', 'Order.Items', { ...(n !== undefined ? { partitionNumber: n } : {}), compression, ...(id ? au(id) : {}) });
    const src = source(catalogFromLayouts([part(1, 'NONE', '111'), part(2, 'PAGE', '222')]));
    const cat = await withMetadata(src, [part(1, 'NONE'), part(2, 'PAGE')]).metadata();
    // the partitions were counted under `dbo.Order.Items` and looked up under `[dbo].[Order.Items]`: each layout took
    // both units, and partition 1's rows decoded with partition 2's PAGE layout
    expect(cat.byAllocUnit('111')!.compression).toBe('NONE');
    expect(cat.byAllocUnit('222')!.compression).toBe('PAGE');
    await expect(withMetadata(src, [part(undefined, 'NONE'), part(2, 'PAGE')]).metadata()).rejects.toThrow(/several times/);
  });

  it('a layout naming dbo.[A.B] on a unit the data file gives [dbo.A].B is refused, not taken as the same table', async () => {
    const src = source(catalogFromLayouts([layout('dbo.A', 'B', { objectId: 901, ...au('111') }), layout('dbo', 'A.B', { objectId: 902, ...au('222') })]));
    // its own unit 222 and [dbo.A].B's 111: [dbo.A].B's rows were decoded and printed as dbo.[A.B]'s
    const both = { allocUnits: [...au('222').allocUnits, ...au('111').allocUnits] };
    const e = await withMetadata(src, [layout('dbo', 'A.B', both)]).metadata().then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe('INPUT_ALLOC_UNIT_MISMATCH');
    // each named as one name (util/tsql.ts tableText: a part bracketed only when it must be)
    expect((e as Error).message).toContain('names dbo.[A.B] for allocation unit 111');
    expect((e as Error).message).toContain('gives that unit to [dbo.A].B:');
  });

  it("catalogModifyDates and columnstoreTables keep both tables of one text (each one's modify_date)", () => {
    const a = layout('dbo', 'A.B', { objectId: 1, modifyDate: '2024-01-01T00:00:00.000', compression: 'COLUMNSTORE' });
    const b = layout('dbo.A', 'B', { objectId: 2, modifyDate: '2024-06-01T00:00:00.000', compression: 'COLUMNSTORE' });
    expect(catalogModifyDates([a, b])).toEqual([
      { table: '[dbo].[A.B]', modified: '2024-01-01T00:00:00.000' },
      { table: '[dbo.A].[B]', modified: '2024-06-01T00:00:00.000' },
    ]);
    expect(columnstoreTables([a, b])).toEqual(['[dbo].[A.B]', '[dbo.A].[B]']);
    // plain names as before
    expect(catalogModifyDates([layout('dbo', 'T', { modifyDate: '2024-01-01T00:00:00.000' })])).toEqual([{ table: 'dbo.T', modified: '2024-01-01T00:00:00.000' }]);
  });

  it('the layout-change watch keys the two tables apart (their partitions and column keys were one entry, the second overwriting)', () => {
    const cat = catalogFromLayouts([
      layout('dbo', 'A.B', { objectId: 1, partitionId: '1001', ...au('111') }),
      layout('dbo.A', 'B', { objectId: 2, partitionId: '1002', ...au('222') }),
    ]);
    expect(watchedTables(cat).map((t) => t.table)).toEqual(['[dbo].[A.B]', '[dbo.A].[B]']);
  });
});
