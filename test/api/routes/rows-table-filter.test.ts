import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { LAYOUTS } from '../../staging/fixtures.js';
import { bearer, testApp, type TestApp } from '../helpers.js';

// The rows, decisions and export routes matched `table` as exact text: `DecimalTest` (schema dbo,
// as `rowback scan --table` takes it), `[dbo].[DecimalTest]` or `dbo.decimaltest` found no row — an
// empty list, an empty export, a bulk approval of `rows: 0` answered 200 as if the job had no such
// rows — and a typo likewise. Now they name the job's table, and an unknown one is a 400.
describeCorpus('row filter `table`: the names the CLI takes, an unknown table refused', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });

  const createJob = async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/crm.ldf' } });
    expect(r.statusCode).toBe(201);
    await t.app.worker.idle();
    t.store.saveJobTables(r.json().id, Object.values(LAYOUTS));
    return r.json().id as number;
  };

  it.each(['dbo.DecimalTest', 'DecimalTest', '[dbo].[DecimalTest]', '"dbo"."DecimalTest"', 'dbo.decimaltest'])('rows?table=%s lists the 40 rows of dbo.DecimalTest', async (name) => {
    const jobId = await createJob();
    const r = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=${encodeURIComponent(name)}&count=true&limit=1`, headers: bearer(t.tokens.viewer) })).json();
    expect(r.total).toBe(40);
    expect(r.items[0].table).toBe('dbo.DecimalTest');
  });

  it('a bulk decision and an export by `DecimalTest` take the table\'s rows', async () => {
    const jobId = await createJob();
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore them', filter: { table: 'DecimalTest' } } });
    expect(d.json()).toMatchObject({ rows: 40 });
    const csv = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv&table=DecimalTest`, headers: bearer(t.tokens.viewer) });
    const lines = csv.body.trim().split('\n');
    expect(lines).toHaveLength(41);
    expect(lines[0]).toContain(',Small,Big,');
  });

  it('a table the job does not have: 400 INPUT_UNKNOWN_TABLE naming its tables, nothing decided', async () => {
    const jobId = await createJob();
    const l = await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=dbo.DecimalTst`, headers: bearer(t.tokens.viewer) });
    expect(l.statusCode).toBe(400);
    expect(l.json()).toMatchObject({ code: 'INPUT_UNKNOWN_TABLE', field: 'querystring.table' });
    expect(l.json().message).toMatch(/^querystring\.table 'dbo\.DecimalTst': job \d+ has no table dbo\.DecimalTst; its tables: .*dbo\.DecimalTest/);
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore them', filter: { table: 'DecimalTst' } } });
    expect(d.statusCode).toBe(400);
    expect(d.json()).toMatchObject({ code: 'INPUT_UNKNOWN_TABLE', field: 'body.filter.table' });
    expect((await t.app.inject({ url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.viewer) })).json().items).toEqual([]);
    const e = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv&table=[dbo].[DecimalTest`, headers: bearer(t.tokens.viewer) });
    expect(e.statusCode).toBe(400);
    expect(e.json().code).toBe('INPUT_BAD_IDENTIFIER');
  });
});
