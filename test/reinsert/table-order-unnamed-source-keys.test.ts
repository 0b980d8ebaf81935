/**
 * tableOrder given, no target, the source's catalog read: the tables tableOrder does not name are
 * placed parents first by the source's foreign keys (where those do not go against the given order),
 * not by name alone. Before: over NORTHWND.MDF's catalog, tableOrder=dbo.Employees put dbo.Order
 * Details before dbo.Orders (by name: 'Order ' < 'Orders'), though FK_Order_Details_Orders was read,
 * and the head said 'WARNING: tableOrder puts dbo.Order Details before dbo.Orders', of an order
 * tableOrder never gave.
 *
 * Real bytes: NORTHWND.MDF's catalog and rows (read from its pages and staged as deleted rows: the
 * rows are real, their deletion SYNTHETIC). The second case adds a SYNTHETIC foreign key.
 */
import { expect, it } from 'vitest';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { splitTableList } from '../../src/util/table-list.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp } from '../api/helpers.js';

const orderLine = (sql: string) => splitTableList((sql.split('\n').find((l) => l.startsWith('-- table order')) ?? '').replace(/^.*\): /, ''));
const inserted = (sql: string) => [...new Set([...sql.matchAll(/INSERT INTO \[dbo\]\.\[([^\]]+)\]/g)].map((m) => m[1]))];

async function northwindJob(t: Awaited<ReturnType<typeof testApp>>, tables: string[], edit?: (l: TableLayout) => TableLayout) {
  const mdf = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
  const pages = openDataFiles([mdf]);
  const md = readDataFileMetadata(pages);
  const job = t.store.createJob({ kind: 'files', spec: { mdf: [mdf] }, description: 'northwind', createdBy: 'olga' });
  t.store.setJobState(job.id, 'running');
  t.store.saveJobTables(job.id, tables.map((x) => (edit ?? ((l) => l))(md.details.get(x)!.layout)));
  let n = 0;
  const staged = tables.flatMap((tbl) => [...readTableRows(pages, md, tbl)].slice(0, 2).map((row) => ({
    table: tbl, lsn: `00000027:00000f00:${String(++n).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e8',
    beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: null, sid: null, spid: 53,
    transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values: row.values, raw: '0x00', warnings: [],
  })));
  t.store.stageBatch(job.id, staged as never);
  t.store.setJobState(job.id, 'succeeded');
  const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
  expect(d.statusCode, d.body).toBe(200);
  return job.id;
}

describeCorpus('tableOrder given: the tables it does not name go parents first by the source catalog\'s foreign keys', () => {
  it('tableOrder=dbo.Employees over dbo.Orders and dbo.Order Details (NORTHWND.MDF, FK_Order_Details_Orders): orders before their details, no false WARNING', async () => {
    const t = await testApp();
    try {
      const id = await northwindJob(t, ['dbo.Order Details', 'dbo.Orders', 'dbo.Customers', 'dbo.Employees']);
      // one table named (a list of one orders nothing against another), or two that no key links
      for (const q of ['dbo.Employees', 'dbo.Customers', 'dbo.Order%20Details', 'dbo.Customers,dbo.Employees']) {
        const sql = (await t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved&tableOrder=${q}`, headers: bearer(t.tokens.operator) })).body;
        expect(orderLine(sql), q).toHaveLength(4);
        const ins = inserted(sql);
        // parents first (before: dbo.Order Details before dbo.Orders, by name)
        expect(ins.indexOf('Orders'), q).toBeLessThan(ins.indexOf('Order Details'));
        expect(ins.indexOf('Customers'), q).toBeLessThan(ins.indexOf('Orders'));
        expect(ins.indexOf('Employees'), q).toBeLessThan(ins.indexOf('Orders'));
        expect(sql, q).not.toContain('-- WARNING: tableOrder puts');
        expect(sql, q).not.toContain('-- WARNING: this order puts');
        expect(sql, q).toContain('which it does not go against');
      }
      // both named, child first: still 'tableOrder puts', the DBA's order kept
      const both = (await t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved&tableOrder=dbo.Order%20Details,dbo.Orders`, headers: bearer(t.tokens.operator) })).body;
      // the script's comments name a table as T-SQL reads one name (tableText): `dbo.Order Details` read as two words
      expect(both).toMatch(/^-- WARNING: tableOrder puts dbo\.\[Order Details\] before dbo\.Orders, which it references in the source data file's catalog \(FK_Order_Details_Orders\): /m);
      expect(both).toMatch(/^-- batch \d+: dbo\.\[Order Details\], 2 row\(s\)$/m);
      expect(both).toMatch(/^-- table order \(.*\): dbo\.Customers, dbo\.Employees, dbo\.\[Order Details\], dbo\.Orders$/m);
      expect(both).not.toMatch(/^--.*dbo\.Order Details/m);
      expect(inserted(both).indexOf('Order Details')).toBeLessThan(inserted(both).indexOf('Orders'));
      // a dry run without a target orders them the same way
      const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, tableOrder: ['dbo.Employees'] } });
      expect(dry.statusCode, dry.body).toBe(200);
      const ds = inserted(dry.json().script as string);
      expect(ds.indexOf('Orders')).toBeLessThan(ds.indexOf('Order Details'));
    } finally {
      await t.close();
    }
  });

  it('a cycle of the source\'s own keys between two tables tableOrder does not name (SYNTHETIC FK dbo.Customers -> dbo.Orders): one key followed, the other said as making a cycle', async () => {
    const t = await testApp();
    try {
      const id = await northwindJob(t, ['dbo.Orders', 'dbo.Customers', 'dbo.Employees'], (l) => l.name === 'Customers'
        ? { ...l, foreignKeys: [{ name: 'FK_SYNTHETIC_Customers_Orders', columns: ['CustomerID'], referencedSchema: 'dbo', referencedTable: 'Orders', referencedColumns: ['CustomerID'] }] }
        : l);
      const sql = (await t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved&tableOrder=dbo.Employees`, headers: bearer(t.tokens.operator) })).body;
      const warned = sql.split('\n').filter((l) => /^-- WARNING: (this order|tableOrder) puts/.test(l));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatch(/^-- WARNING: this order puts dbo\.(Orders|Customers) before dbo\.(Customers|Orders), .*would make a cycle with the source's other foreign keys/);
      expect(inserted(sql)).toEqual(expect.arrayContaining(['Orders', 'Customers', 'Employees']));
    } finally {
      await t.close();
    }
  });

  it('a source key that would go against the given order through another (SYNTHETIC FK dbo.Employees -> dbo.Customers): the given order wins, the WARNING says this order, not tableOrder, puts the child first', async () => {
    const t = await testApp();
    try {
      const id = await northwindJob(t, ['dbo.Orders', 'dbo.Customers', 'dbo.Employees'], (l) => l.name === 'Employees'
        ? { ...l, foreignKeys: [...(l.foreignKeys ?? []), { name: 'FK_SYNTHETIC_Employees_Customers', columns: ['City'], referencedSchema: 'dbo', referencedTable: 'Customers', referencedColumns: ['City'] }] }
        : l);
      const sql = (await t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved&tableOrder=dbo.Orders,dbo.Customers`, headers: bearer(t.tokens.operator) })).body;
      const ins = inserted(sql);
      // the DBA's order kept, no cycle made of it
      expect(ins.indexOf('Orders')).toBeLessThan(ins.indexOf('Customers'));
      expect(sql).not.toContain('foreign-key cycle');
      expect(sql).toMatch(/^-- WARNING: tableOrder puts dbo\.Orders before dbo\.Customers, which it references in the source data file's catalog \(FK_Orders_Customers\): /m);
      // each child-first pair with dbo.Employees is said, as this order's
      const wrong = sql.split('\n').filter((l) => l.startsWith('-- WARNING: ') && l.includes('dbo.Employees'));
      expect(wrong.length).toBe(1);
      expect(wrong[0]).toMatch(/^-- WARNING: this order puts /);
    } finally {
      await t.close();
    }
  });
});
