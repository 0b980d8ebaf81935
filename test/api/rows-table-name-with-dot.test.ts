import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from './helpers.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { describeCorpus } from '../support/corpus.js';

/**
 * A table whose name holds a dot, dbo.[Order.Items] (legal in SQL Server, made by tools and by
 * hand). The API gave its tables out as `schema.name` unquoted (GET …/tables, the blast radius, and
 * so the review page's Table filter): `dbo.Order.Items`, which the rows filter, a decision's filter,
 * the export, tableOrder and tableMap parsed as a table name and refused, 400 INPUT_BAD_IDENTIFIER
 * ("is not a one- or two-part table name"). Such a table is now staged and given out as
 * `[dbo].[Order.Items]` (util/tsql.ts stagedTableName: `dbo.Order.Items` is also [dbo.Order].Items'
 * text, test/staging/dotted-table-names.test.ts), and each of them takes that name, and the old
 * unquoted text while it names one table of the job. Layout: the corpus example lc-nvarchar's
 * (test/staging/fixtures.ts) under the SYNTHETIC name Order.Items, beside dbo.T.
 */
let t: TestApp;
let jobId = 0;
const DOTTED = '[dbo].[Order.Items]';

beforeAll(async () => {
  t = await testApp({ maxAuthFailures: 1000 });
  const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'dotted', createdBy: 'olga' });
  jobId = job.id;
  t.store.setJobState(jobId, 'running');
  t.store.saveJobTables(jobId, [LAYOUTS['dbo.T']!, { ...LAYOUTS['dbo.T']!, name: 'Order.Items' }]);
  const base = corpusRows(1)[0]!;
  t.store.stageBatch(jobId, [1, 2, 3].map((i) => ({ ...base, table: i === 3 ? 'dbo.T' : DOTTED, lsn: `0000002a:00000100:000${i}`, values: { Id: i, Name: `item ${i}` } })));
  t.store.setJobState(jobId, 'succeeded');
});
afterAll(async () => { await t.close(); });

describeCorpus('a table whose name holds a dot, named as the API names it', () => {
  it('is the name the API gives out, and the rows filter and export take it', async () => {
    const tables = (await t.app.inject({ url: `/api/jobs/${jobId}/tables`, headers: bearer(t.tokens.viewer) })).json().items.map((x: { table: string }) => x.table);
    expect(tables).toContain(DOTTED);
    const blast = (await t.app.inject({ url: `/api/jobs/${jobId}/blast-radius`, headers: bearer(t.tokens.viewer) })).json();
    expect(blast.byTable.map((x: { table: string }) => x.table)).toContain(DOTTED);
    for (const given of [DOTTED, 'dbo.Order.Items', 'DBO.order.items', 'dbo.[Order.Items]']) {
      const r = await t.app.inject({ url: `/api/jobs/${jobId}/rows?count=true&table=${encodeURIComponent(given)}`, headers: bearer(t.tokens.viewer) });
      expect([given, r.statusCode], r.body).toEqual([given, 200]);
      expect(r.json().total).toBe(2);
    }
    const csv = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv&table=${encodeURIComponent(DOTTED)}`, headers: bearer(t.tokens.viewer) });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body.split('\n')[0]).toContain('Name');
    // a name that is no table of the job is still refused: as a table the job lacks (three parts
    // are a database's table, or fn_dblog's AllocUnitName), saying what it would be and that the job has neither
    const bad = await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=dbo.No.Such`, headers: bearer(t.tokens.viewer) });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'INPUT_UNKNOWN_TABLE']);
    expect(bad.json().message).toContain("dbo.No.Such would be No.Such or dbo.No, neither of which is among the tables read");
  });

  it('a decision by that table decides its rows alone; tableOrder and tableMap take it too', async () => {
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'owner confirmed', filter: { table: DOTTED } } });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().rows).toBe(2);
    expect(t.store.getRow(jobId, 3)!.status).toBe('pending');
    const order = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&status=approved&tableOrder=${encodeURIComponent(`${DOTTED},dbo.T`)}`, headers: bearer(t.tokens.viewer) });
    expect(order.statusCode, order.body.slice(0, 300)).toBe(200);
    expect(order.body).toContain('INSERT INTO [dbo].[Order.Items]');
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, tableMap: { [DOTTED]: 'dbo.OrderItems_side' }, acceptOtherDatabase: true } });
    expect(dry.statusCode, dry.body.slice(0, 400)).toBe(200);
    expect(dry.json().script).toContain('INSERT INTO [dbo].[OrderItems_side]');
    expect(dry.json().script).not.toContain('INSERT INTO [dbo].[Order.Items]');
  });
});
