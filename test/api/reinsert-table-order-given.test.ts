/**
 * A job of customers and their contacts (restore job `tables`, or a scan of both) re-inserted with no
 * target (no SQL Server at hand: a dry run without a target, or the SQL export) was ordered by name,
 * the foreign keys being read from the target only: dbo.Contact before dbo.Customer, a child first,
 * whose INSERT fails (Msg 547) unless its customer is already back. `tableOrder` (the dry run's body,
 * the export's `tableOrder=` comma list) now gives the order; the script's head says it was given and
 * not checked. A name the job lacks is 400 naming its place; with a target, or for another export
 * format, it is refused (it would do nothing). SYNTHETIC rows and layouts.
 */
import { expect, it } from 'vitest';
import { col, table } from '../staging/fixtures.js';
import { bearer, testApp, type TestApp } from './helpers.js';

async function customersAndContacts(t: TestApp): Promise<number> {
  const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'crm', createdBy: 'olga' });
  t.store.setJobState(job.id, 'running');
  t.store.saveJobTables(job.id, [
    table('dbo.Customer', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('Name', 'nvarchar', { maxLength: 100 })]),
    table('dbo.Contact', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('CustomerId', 'int')]),
  ]);
  const row = (table: string, n: number, values: Record<string, number | string>) => ({
    table, lsn: `0000002a:00000100:${String(n).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e8',
    beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: 'CRM\\batchjob', sid: null, spid: 53,
    transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values, raw: '0x00', warnings: [],
  });
  // the nightly job deleted the contacts first, then their customer
  t.store.stageBatch(job.id, [row('dbo.Contact', 1, { Id: 7, CustomerId: 1 }), row('dbo.Customer', 2, { Id: 1, Name: 'Contoso' })] as never);
  t.store.setJobState(job.id, 'succeeded');
  const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'owner confirmed', all: true } });
  expect(d.statusCode, d.body).toBe(200);
  return job.id;
}

const insertsOf = (script: string) => [...script.matchAll(/INSERT INTO \[dbo\]\.\[(Contact|Customer)\]/g)].map((m) => m[1]);

it('a dry run without a target: by name (child first) without tableOrder, parents first with it', async () => {
  const t = await testApp();
  try {
    const id = await customersAndContacts(t);
    const dry = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, ...body } });
    const byName = await dry({});
    expect(byName.statusCode, byName.body).toBe(200);
    expect(insertsOf(byName.json().script)).toEqual(['Contact', 'Customer']);
    expect(byName.json().script).toContain('and so does tableOrder');
    const given = await dry({ tableOrder: ['dbo.Customer', 'contact'] });
    expect(given.statusCode, given.body).toBe(200);
    expect(insertsOf(given.json().script)).toEqual(['Customer', 'Contact']);
    expect(given.json().script).toContain('-- table order (as tableOrder gives it');
    expect(given.json().plan?.tableOrder ?? given.json().run.summary.tableOrder).toEqual(['dbo.Customer', 'dbo.Contact']);
    const unknown = await dry({ tableOrder: ['dbo.Customer', 'dbo.Contacts'] });
    expect([unknown.statusCode, unknown.json().code, unknown.json().field]).toEqual([400, 'INPUT_UNKNOWN_TABLE', 'tableOrder.1']);
    expect(unknown.json().message).toContain('its tables: dbo.Contact, dbo.Customer');
    // with a target its foreign keys order the tables: refused before anything connects (no server at that port)
    const withTarget = await dry({ tableOrder: ['dbo.Customer'], target: { connectionString: 'Server=127.0.0.1,1;Database=CRM;User Id=sa;Password=x' } });
    expect([withTarget.statusCode, withTarget.json().code, withTarget.json().field], withTarget.body).toEqual([400, 'INPUT_BAD_OPTION', 'tableOrder']);
  } finally {
    await t.close();
  }
});

it('the SQL export takes tableOrder=…; another format refuses it', async () => {
  const t = await testApp();
  try {
    const id = await customersAndContacts(t);
    const exp = (q: string) => t.app.inject({ url: `/api/jobs/${id}/export?format=${q}`, headers: bearer(t.tokens.operator) });
    const byName = await exp('sql&status=approved');
    expect(insertsOf(byName.body)).toEqual(['Contact', 'Customer']);
    const given = await exp('sql&status=approved&tableOrder=' + encodeURIComponent('[dbo].[Customer],dbo.Contact'));
    expect(given.statusCode, given.body).toBe(200);
    expect(insertsOf(given.body)).toEqual(['Customer', 'Contact']);
    const bad = await exp('sql&tableOrder=dbo.Nope');
    expect([bad.statusCode, bad.json().code, bad.json().field]).toEqual([400, 'INPUT_UNKNOWN_TABLE', 'querystring.tableOrder.0']);
    const csv = await exp('csv&tableOrder=dbo.Customer');
    expect([csv.statusCode, csv.json().code, csv.json().field]).toEqual([400, 'INPUT_BAD_OPTION', 'querystring.tableOrder']);
  } finally {
    await t.close();
  }
});
