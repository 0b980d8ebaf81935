/**
 * inspect --format json: a foreign key's `references` names the referenced table as the table's own
 * `name` does (describe.ts tableSummaries; both stagedTableName), so a script can join the two. A
 * table whose name holds a dot has `name` `[dbo].[Order.Items]`; `references` was the plain
 * `dbo.Order.Items`, which is no table's `name` and is also the text of [dbo.Order].Items. Plain
 * names (every corpus database's, NORTHWND's `dbo.Order Details` too) are the text they always were.
 * SYNTHETIC layouts.
 */
import { expect, it } from 'vitest';
import { tableSummaries } from '../../src/datafile/describe.js';
import type { DataFileMetadata } from '../../src/datafile/metadata.js';
import { stagedTableName } from '../../src/util/tsql.js';
import { col, table } from '../staging/fixtures.js';

function metadataOf(layouts: ReturnType<typeof table>[]): DataFileMetadata {
  const details = new Map(layouts.map((layout) => [stagedTableName(layout), { layout, rowCount: 1, partitions: [{ partitionNumber: 1, compression: 'NONE' }] }]));
  return { details } as unknown as DataFileMetadata;
}

it("references is the referenced table's name as tables[].name gives it", () => {
  const items = { ...table('dbo.x', [col('Id', 'int', { nullable: false, keyOrdinal: 1 })]), name: 'Order.Items' };
  const other = { ...table('dbo.x', [col('Id', 'int', { nullable: false, keyOrdinal: 1 })]), schema: 'dbo.Order', name: 'Items' };
  const details = table('dbo.Order Details', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('ItemId', 'int'), col('OtherId', 'int')]);
  details.foreignKeys = [
    { name: 'FK_Items', columns: ['ItemId'], referencedSchema: 'dbo', referencedTable: 'Order.Items', referencedColumns: ['Id'] },
    { name: 'FK_Other', columns: ['OtherId'], referencedSchema: 'dbo.Order', referencedTable: 'Items', referencedColumns: ['Id'] },
  ];
  const tables = tableSummaries(metadataOf([items, other, details]));
  const names = tables.map((t) => t.name);
  expect(names).toEqual(['[dbo].[Order.Items]', '[dbo.Order].[Items]', 'dbo.Order Details']);
  const fks = tables.find((t) => t.name === 'dbo.Order Details')!.foreignKeys!;
  expect(fks.map((k) => k.references)).toEqual(['[dbo].[Order.Items]', '[dbo.Order].[Items]']);
  for (const k of fks) expect(names).toContain(k.references);
});
