import { describe, expect, it } from 'vitest';
import { committedCandidates } from '../../src/recover/committed.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import { findTableName } from '../../src/reconstruct/metadata/names.js';
import { normalizeTableName } from '../../src/cli/options.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

/**
 * Tables named by their parts, never by dotted text. dbo.[Order.Items] and [dbo.Order].Items are
 * two tables whose `schema.name` text is one, `dbo.Order.Items`: --table (and a job's `tables`) was
 * normalised to that text and matched against it, so `--table [dbo].[Order.Items]` scanned both
 * tables' deletes (the other table's rows printed as asked for), the catalog took the two for one
 * table's partitions when they carry no object id (--ddl), and a plain `dbo.Order.Items` was
 * refused as not a name (or took whichever came first). Now a name given in brackets names its
 * parts; plain dotted text names the one table whose text it is, and two are refused naming both in
 * brackets. Plain names (`dbo.Customers`, `Customers`, another letter case) work as before.
 * SYNTHETIC layouts and log records (structure only, as committed.test.ts).
 */
const au = (id: string) => [{ allocUnitId: id, type: 'IN_ROW_DATA' as const }];
const layout = (schema: string, name: string, id: string): TableLayout => ({ schema, name, indexId: 1, compression: 'NONE', columns: [], allocUnits: au(id) });
const items = layout('dbo', 'Order.Items', '72057594043367424');
const namesake = layout('dbo.Order', 'Items', '72057594043432960');
const customers = layout('dbo', 'Customers', '72057594043498496');

const rec = (lsn: string, op: string, xid: string, extra: Partial<LogRecord> = {}): LogRecord => ({ 'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, ...extra });
const log: LogRecord[] = [
  rec('1:1:1', 'LOP_BEGIN_XACT', '0000:1', { 'Begin Time': '2026/11/20 10:00:00:000' }),
  rec('1:1:2', 'LOP_DELETE_ROWS', '0000:1', { Context: 'LCX_HEAP', AllocUnitId: items.allocUnits![0]!.allocUnitId }),
  rec('1:1:3', 'LOP_DELETE_ROWS', '0000:1', { Context: 'LCX_HEAP', AllocUnitId: namesake.allocUnits![0]!.allocUnitId }),
  rec('1:1:4', 'LOP_DELETE_ROWS', '0000:1', { Context: 'LCX_HEAP', AllocUnitId: customers.allocUnits![0]!.allocUnitId }),
  rec('1:1:5', 'LOP_COMMIT_XACT', '0000:1', { 'End Time': '2026/11/20 10:00:01:000' }),
];
const open = async function* () { yield* log; };
async function lsns(tables: string[], layouts: TableLayout[]): Promise<string[]> {
  const out: string[] = [];
  for await (const c of committedCandidates(open, { operations: ['delete'], tables }, catalogFromLayouts(layouts))) out.push(c.record['Current LSN']);
  return out;
}

describe('--table / tables of a table whose name holds a dot', () => {
  it('the bracketed forms name their parts: only that table\'s deletes are read', async () => {
    for (const t of ['[dbo].[Order.Items]', 'dbo.[Order.Items]', '"dbo"."Order.Items"', '[DBO].[order.items]']) {
      expect(await lsns([normalizeTableName(t)], [items, namesake, customers]), t).toEqual(['1:1:2']);
    }
    expect(await lsns([normalizeTableName('[dbo.Order].[Items]')], [items, namesake, customers])).toEqual(['1:1:3']);
  });

  it('plain dotted text of two tables is refused naming both in brackets; of one table, it is that one', async () => {
    await expect(lsns([normalizeTableName('dbo.Order.Items')], [items, namesake, customers])).rejects.toThrow(
      "table dbo.Order.Items is the schema.name text of 2 tables, [dbo].[Order.Items] and [dbo.Order].[Items]: give the one meant in brackets ([dbo].[Order.Items] or [dbo.Order].[Items])",
    );
    expect(await lsns([normalizeTableName('dbo.Order.Items')], [items, customers])).toEqual(['1:1:2']);
    expect(await lsns([normalizeTableName('dbo.order.items')], [namesake, customers])).toEqual(['1:1:3']);
  });

  it('two namesakes without object ids (--ddl) are two tables, not one table\'s partitions', () => {
    const c = catalogFromLayouts([items, namesake]);
    expect(c.tables()).toHaveLength(2);
    expect(c.byName('[dbo.Order].[Items]')!.allocUnits!.map((a) => a.allocUnitId)).toEqual(['72057594043432960']);
  });

  it('plain names work as before: schema.name, no schema (dbo), another letter case', async () => {
    for (const t of ['dbo.Customers', 'Customers', 'dbo.customers', '[dbo].[Customers]']) {
      expect(await lsns([normalizeTableName(t)], [items, namesake, customers]), t).toEqual(['1:1:4']);
    }
    expect(normalizeTableName('dbo.Customers')).toBe('dbo.Customers');
    expect(normalizeTableName('Customers')).toBe('dbo.Customers');
    expect(normalizeTableName('[dbo].[Order.Items]')).toBe('[dbo].[Order.Items]');
    expect(() => normalizeTableName('[dbo].[Order')).toThrow(/INPUT_BAD_IDENTIFIER|unterminated/);
  });

  it('findTableName: names as rowback gives them out, a name by its parts', () => {
    const names = ['[dbo].[Order.Items]', '[dbo.Order].[Items]', 'dbo.Customers', 'Sales.Orders'];
    expect(findTableName(names, 'dbo.[Order.Items]')).toBe('[dbo].[Order.Items]');
    expect(findTableName(names, '[dbo.Order].Items')).toBe('[dbo.Order].[Items]');
    expect(findTableName(names, 'customers')).toBe('dbo.Customers');
    expect(findTableName(names, 'sales.orders')).toBe('Sales.Orders');
    expect(findTableName(names, 'Orders')).toBeUndefined();
    expect(() => findTableName(names, 'dbo.Order.Items')).toThrow(/\[dbo\]\.\[Order\.Items\] and \[dbo\.Order\]\.\[Items\]/);
  });
});
