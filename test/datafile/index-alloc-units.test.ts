/**
 * datafile/metadata.ts DataFileMetadata.indexAllocUnits: the allocation units of the user tables'
 * other indexes (sys.sysrowsets idminor above 1), each named by sys.sysidxstats. REAL NORTHWND.MDF
 * (SessionShoppingCart, created by northwind-script/instnwnd.sql) against that script: its 26
 * `CREATE INDEX "name" ON "dbo"."table"` and 5 `PRIMARY KEY NONCLUSTERED` constraints are exactly
 * the 31 units the catalog gives, each a distinct IN_ROW_DATA unit none of the tables' own.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata, type DataFileMetadata } from '../../src/datafile/metadata.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('NORTHWND.MDF: the nonclustered indexes\' allocation units = instnwnd.sql\'s indexes', () => {
  let md: DataFileMetadata;
  let script: string;
  beforeAll(() => {
    const source = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    try {
      md = readDataFileMetadata(source);
    } finally {
      source.close();
    }
    script = readFileSync(corpusPath('northwind-script', 'instnwnd.sql'), 'latin1');
  });

  it('names every index the script creates, on its table, and no other', () => {
    const created = [...script.matchAll(/CREATE {2}INDEX "([^"]+)" ON "dbo"\."([^"]+)"/g)].map((m) => `dbo.${m[2]}.${m[1]}`);
    const constraints = [...script.matchAll(/ALTER TABLE (\w+)\s+ADD CONSTRAINT \[([^\]]+)\] PRIMARY KEY {2}NONCLUSTERED/g)].map((m) => `dbo.${m[1]}.${m[2]}`);
    expect(created).toHaveLength(26);
    expect(constraints).toHaveLength(5);
    const got = md.indexAllocUnits.map((u) => `${u.schema}.${u.name}.${u.indexName}`);
    expect([...got].sort()).toEqual([...created, ...constraints].sort());
  });

  it('gives each its index id, one IN_ROW_DATA unit each, none of them a table\'s own unit, all among otherAllocUnits', () => {
    const orders = md.indexAllocUnits.filter((u) => u.name === 'Orders').sort((a, b) => a.indexId - b.indexId);
    // the order the script creates them in (index ids are given in creation order)
    expect(orders.map((u) => [u.indexId, u.indexName])).toEqual([
      [2, 'CustomerID'], [3, 'CustomersOrders'], [4, 'EmployeeID'], [5, 'EmployeesOrders'], [6, 'OrderDate'], [7, 'ShippedDate'], [8, 'ShippersOrders'], [9, 'ShipPostalCode'],
    ]);
    const ordersTable = md.tables.find((t) => t.name === 'Orders')!;
    expect(new Set(orders.map((u) => u.objectId))).toEqual(new Set([ordersTable.objectId]));
    expect(new Set(md.indexAllocUnits.map((u) => u.type))).toEqual(new Set(['IN_ROW_DATA']));
    const ids = md.indexAllocUnits.map((u) => u.allocUnitId);
    expect(new Set(ids).size).toBe(ids.length);
    const own = new Set(md.tables.flatMap((t) => (t.allocUnits ?? []).map((a) => a.allocUnitId)));
    expect(ids.filter((id) => own.has(id))).toEqual([]);
    expect(ids.filter((id) => !md.otherAllocUnits?.has(id))).toEqual([]);
  });
});
