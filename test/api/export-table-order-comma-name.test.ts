/**
 * A job whose table is named with a comma (dbo.[a,b]) re-inserted in order with no target. The API
 * gives the table out as `dbo.a,b` (stagedTableName: a comma is no dot, so the name is plain), and the
 * SQL export's `tableOrder=` is a comma list (util/table-list.ts splitTableList): `dbo.a,b,dbo.c`, the
 * names joined as given out, is read as dbo.a, b and dbo.c. It was refused "tableOrder.0 'dbo.a' names
 * no table of job N (its tables: dbo.a,b, dbo.c)": a list that reads as three tables, with nothing
 * said of brackets. The refusal now lists each table as one name (dbo.[a,b], dbo.c) and says to give
 * it in brackets; `dbo.[a,b],dbo.c` orders the script, and so does the dry run's JSON array (each item
 * one name, `dbo.a,b` as given out). SYNTHETIC rows and layouts.
 */
import { expect, it } from 'vitest';
import { col, table } from '../staging/fixtures.js';
import { bearer, testApp, type TestApp } from './helpers.js';

async function commaNamedParentAndChild(t: TestApp): Promise<number> {
  const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'crm', createdBy: 'olga' });
  t.store.setJobState(job.id, 'running');
  t.store.saveJobTables(job.id, [
    table('dbo.a,b', [col('Id', 'int', { nullable: false, keyOrdinal: 1 })]),
    table('dbo.c', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('AbId', 'int')]),
  ]);
  const row = (table: string, n: number, values: Record<string, number>) => ({
    table, lsn: `0000002a:00000100:${String(n).padStart(4, '0')}`, operation: 'delete' as const, transactionId: '0000:000003e8',
    beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000', login: 'CRM\\batchjob', sid: null, spid: 53,
    transactionName: 'DELETE', allocUnitId: null, pageId: null, slotId: null, values, raw: '0x00', warnings: [],
  });
  t.store.stageBatch(job.id, [row('dbo.c', 1, { Id: 7, AbId: 1 }), row('dbo.a,b', 2, { Id: 1 })] as never);
  t.store.setJobState(job.id, 'succeeded');
  const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'owner confirmed', all: true } });
  expect(d.statusCode, d.body).toBe(200);
  return job.id;
}

const insertsOf = (script: string) => [...script.matchAll(/INSERT INTO \[dbo\]\.\[(a,b|c)\]/g)].map((m) => m[1]);

it('tableOrder=dbo.a,b,dbo.c (the names joined as given out) is refused naming dbo.[a,b]; dbo.[a,b],dbo.c orders the script', async () => {
  const t = await testApp();
  try {
    const id = await commaNamedParentAndChild(t);
    const tables = await t.app.inject({ url: `/api/jobs/${id}/tables`, headers: bearer(t.tokens.operator) });
    expect(tables.statusCode, tables.body).toBe(200);
    expect(tables.body).toContain('"dbo.a,b"');
    const exp = (order: string) => t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved&tableOrder=${encodeURIComponent(order)}`, headers: bearer(t.tokens.operator) });
    const joined = await exp('dbo.a,b,dbo.c');
    expect([joined.statusCode, joined.json().code, joined.json().field], joined.body).toEqual([400, 'INPUT_UNKNOWN_TABLE', 'querystring.tableOrder.0']);
    expect(joined.json().message).toContain('its tables: dbo.[a,b], dbo.c');
    expect(joined.json().message).toContain('give it as dbo.[a,b]');
    const bracketed = await exp('dbo.[a,b],dbo.c');
    expect(bracketed.statusCode, bracketed.body).toBe(200);
    expect(insertsOf(bracketed.body)).toEqual(['a,b', 'c']);
    // the dry run's tableOrder is a JSON array: each item one name, as given out
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, tableOrder: ['dbo.a,b', 'dbo.c'] } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(insertsOf(dry.json().script)).toEqual(['a,b', 'c']);
  } finally {
    await t.close();
  }
});
