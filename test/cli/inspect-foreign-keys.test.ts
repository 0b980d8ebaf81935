/**
 * `inspect` lists the foreign keys of the catalog it reads (a data file, a full backup): what a
 * re-insert without a target orders the tables by. Before, the catalog's foreign keys were not read
 * at all. Real bytes: TSQLV4.bak (its public script's nine; test/datafile/foreign-keys-catalog.test.ts),
 * NORTHWND.MDF (instnwnd.sql's thirteen).
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const section = (out: string) => {
  const lines = out.split('\n');
  const at = lines.indexOf('foreign keys (referencing -> referenced):');
  if (at < 0) return [];
  const end = lines.findIndex((l, i) => i > at && !l.startsWith('  '));
  return lines.slice(at + 1, end);
};

describeCorpus('inspect lists the catalog\'s foreign keys', () => {
  it('a full backup (TSQLV4.bak): text section and JSON', async () => {
    const r = await cli('inspect', corpusPath('TSQLV4-compressed/TSQLV4.bak'));
    const fks = section(r.stdout);
    expect(fks).toHaveLength(9);
    expect(fks).toContain('  Sales.Orders (custid) -> Sales.Customers (custid)  FK_Orders_Customers');
    expect(fks).toContain('  HR.Employees (mgrid) -> HR.Employees (empid)  FK_Employees_Employees');
    const json = JSON.parse((await cli('inspect', '--format', 'json', corpusPath('TSQLV4-compressed/TSQLV4.bak'))).stdout);
    const orders = (json.tables as Array<{ name: string; foreignKeys?: unknown[] }>).find((t) => t.name === 'Sales.Orders')!;
    expect(orders.foreignKeys).toContainEqual({ name: 'FK_Orders_Shippers', columns: ['shipperid'], references: 'Sales.Shippers', referencedColumns: ['shipperid'] });
  });

  it('a data file (NORTHWND.MDF)', async () => {
    const fks = section((await cli('inspect', corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'))).stdout);
    expect(fks).toHaveLength(13);
    // a name holding a space in brackets, as T-SQL writes it: `dbo.Order Details (OrderID)` read as a
    // table dbo.Order and something else (util/tsql.ts tableNameText)
    expect(fks).toContain('  dbo.[Order Details] (OrderID) -> dbo.Orders (OrderID)  FK_Order_Details_Orders');
    expect(fks).toContain('  dbo.[Order Details] (ProductID) -> dbo.Products (ProductID)  FK_Order_Details_Products');
  });
});
