/**
 * The SQL export (no target) of a job whose source is a data file says truthfully what ordered its
 * tables. Before: a files job over AngularJs_CRUD's Database1.mdf (its catalog read; dbo.Employee and
 * dbo.tblDept declare no foreign key) exported a script whose head said `table order (by name: the
 * foreign keys are unknown without a target connection …)`, and whose metadata line said
 * `foreign-key order unknown` even when the next lines ordered the tables parents first by the
 * source's foreign keys; and a data file's catalog was called `the source backup's catalog`.
 *
 * Real bytes: Database1.mdf + Database1_log.ldf (a files job run by the worker: 16 deleted rows of
 * the two tables), NORTHWND.MDF (dbo.Orders -> dbo.Customers, FK_Orders_Customers; rows read from its
 * pages and staged as deleted rows: the rows are real, their deletion SYNTHETIC).
 */
import { stageTsqlv4Employees } from '../support/staged-employees.js';
import { expect, it } from 'vitest';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp } from './helpers.js';

const line = (script: string, head: string) => script.split('\n').find((l) => l.startsWith(head)) ?? '';

describeCorpus('the SQL export without a target says what ordered the tables of a data file\'s job', () => {
  it('a files job over Database1.mdf (no foreign key between its tables): by name, the data file\'s catalog read and declaring none', async () => {
    const t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    try {
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), ldf: corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf') } });
      expect(r.statusCode, r.body).toBe(201);
      await t.app.worker.idle();
      const id = r.json().id as number;
      expect(t.store.requireJob(id).rowsStaged).toBe(16);
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'owner confirmed', all: true } });
      expect(d.statusCode, d.body).toBe(200);
      const sql = (await t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved`, headers: bearer(t.tokens.operator) })).body;
      const order = line(sql, '-- table order');
      expect(order).toContain("by name: the source data file's catalog, read, declares no foreign key between these tables");
      expect(order).toMatch(/: dbo\.Employee, dbo\.tblDept$/);
      expect(order).not.toContain('the foreign keys are unknown');
      expect(line(sql, '-- column metadata from')).not.toContain('foreign-key order unknown');
      // the dry run without a target says the same
      const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true } });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(line(dry.json().script as string, '-- table order')).toBe(order);
    } finally {
      await t.close();
    }
  });

  it('rows of dbo.Orders and dbo.Customers staged over NORTHWND.MDF: parents first by the source data file\'s catalog, not "backup", and no "order unknown"', async () => {
    const mdf = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
    const t = await testApp();
    try {
      const pages = openDataFiles([mdf]);
      const md = readDataFileMetadata(pages);
      const orders = md.details.get('dbo.Orders')!.layout;
      expect(orders.foreignKeys?.map((k) => `${k.referencedSchema}.${k.referencedTable}`)).toContain('dbo.Customers');
      const job = t.store.createJob({ kind: 'files', spec: { mdf: [mdf] }, description: 'northwind', createdBy: 'olga' });
      t.store.setJobState(job.id, 'running');
      t.store.saveJobTables(job.id, [md.details.get('dbo.Customers')!.layout, orders]);
      // the child's rows staged first (lower LSNs), as a delete of orders then customers logs them
      let n = 0;
      const staged = ['dbo.Orders', 'dbo.Customers'].flatMap((tbl) => [...readTableRows(pages, md, tbl)].slice(0, 2).map((row) => ({
        table: tbl, lsn: `00000027:00000f00:${String(++n).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e8',
        beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: null, sid: null, spid: 53,
        transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values: row.values, raw: '0x00', warnings: [],
      })));
      expect(staged).toHaveLength(4);
      t.store.stageBatch(job.id, staged as never);
      t.store.setJobState(job.id, 'succeeded');
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
      expect(d.statusCode, d.body).toBe(200);
      const sql = (await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved`, headers: bearer(t.tokens.operator) })).body;
      expect([...new Set([...sql.matchAll(/INSERT INTO \[dbo\]\.\[(Orders|Customers)\]/g)].map((m) => m[1]))]).toEqual(['Customers', 'Orders']);
      expect(line(sql, '-- table order')).toContain("parents first by the foreign keys of the source data file's catalog, not of the target");
      expect(line(sql, '-- column metadata from')).not.toContain('foreign-key order unknown');
      // tableOrder given child first: still the DBA's order, but the head says the source's catalog
      // goes against it, naming the foreign key (it said the foreign keys were not read, no warning)
      const given = (await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved&tableOrder=dbo.Orders,dbo.Customers`, headers: bearer(t.tokens.operator) })).body;
      expect([...new Set([...given.matchAll(/INSERT INTO \[dbo\]\.\[(Orders|Customers)\]/g)].map((m) => m[1]))]).toEqual(['Orders', 'Customers']);
      expect(line(given, '-- table order')).toContain("checked against the foreign keys of the source data file's catalog only, which it goes against (WARNING below)");
      expect(given).toMatch(/^-- WARNING: tableOrder puts dbo\.Orders before dbo\.Customers, which it references in the source data file's catalog \(FK_Orders_Customers\): .*Msg 547/m);
      // parents first given: no warning
      const right = (await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved&tableOrder=dbo.Customers,dbo.Orders`, headers: bearer(t.tokens.operator) })).body;
      expect(line(right, '-- table order')).toContain('which it does not go against');
      expect(right).not.toContain('-- WARNING: tableOrder puts');
      expect(right).not.toContain('and this script inserts no');
      // the customers' rows rejected, their orders approved: the head says the orders need customers
      // the script does not insert (it said nothing; each INSERT failed, Msg 547). Not said of
      // dbo.Employees or dbo.Shippers, which Orders references too but the job staged no row of.
      const customers = t.store.iterateRows(job.id, { table: 'dbo.Customers' });
      const ids = [...customers].map((r) => r.id);
      const rej = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'kept out', ids } });
      expect(rej.statusCode, rej.body).toBe(200);
      const orphans = (await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved`, headers: bearer(t.tokens.operator) })).body;
      expect(orphans).not.toContain('INSERT INTO [dbo].[Customers]');
      const notes = orphans.split('\n').filter((l) => l.includes('and this script inserts no'));
      expect(notes).toEqual([expect.stringMatching(/^-- note: dbo\.Orders references dbo\.Customers in the source data file's catalog \(FK_Orders_Customers\), and this script inserts no dbo\.Customers row though the job staged deleted dbo\.Customers rows: .*Msg 547/)]);
    } finally {
      await t.close();
    }
  });

  it('tableOrder given over HR.Employees (TSQLV4.bak, mgrid -> empid): the source\'s reference to itself still puts managers before their reports', async () => {
    const t = await testApp();
    try {
      const { jobId, rows } = stageTsqlv4Employees(t.store, { reverse: true });
      const job = { id: jobId };
      await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
      const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, tableOrder: ['HR.Employees'] } });
      expect(dry.statusCode, dry.body).toBe(200);
      const script = dry.json().script as string;
      const order = [...new Set([...script.matchAll(/N'hr\.employees\|00000027:00000f10:(\d{4})'/g)].map((m) => Number(rows[Number(m[1]) - 1]!.values.empid)))];
      expect(order).toHaveLength(9);
      const mgr = new Map(rows.map((r) => [Number(r.values.empid), r.values.mgrid === null ? null : Number(r.values.mgrid)]));
      // before: in staged order, employee 9 before its manager 5 (the given order dropped the source's keys)
      for (const [emp, m] of mgr) if (m !== null) expect(order.indexOf(m), `employee ${emp} after manager ${m}`).toBeLessThan(order.indexOf(emp));
    } finally {
      await t.close();
    }
  });
});
