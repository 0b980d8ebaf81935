import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { LAYOUTS } from '../../staging/fixtures.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

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

  const createJob = () => fakeFilesJob(t);

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

  it('a case-sensitive database\'s dbo.DecimalTest and dbo.decimaltest (SYNTHETIC second layout): the exact name picks its table; a name matching both only by case is 400 INPUT_AMBIGUOUS_NAME', async () => {
    const jobId = await createJob();
    t.store.saveJobTables(jobId, [...Object.values(LAYOUTS), { ...LAYOUTS['dbo.DecimalTest']!, name: 'decimaltest' }]);
    const exact = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=dbo.DecimalTest&count=true&limit=1`, headers: bearer(t.tokens.viewer) })).json();
    expect(exact.total).toBe(40);
    const other = await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=dbo.decimaltest&count=true&limit=1`, headers: bearer(t.tokens.viewer) });
    expect(other.statusCode).toBe(200);
    expect(other.json().total).toBe(0);
    const l = await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=DECIMALTEST`, headers: bearer(t.tokens.viewer) });
    expect(l.statusCode).toBe(400);
    expect(l.json()).toMatchObject({ code: 'INPUT_AMBIGUOUS_NAME', field: 'querystring.table' });
    expect(l.json().message).toMatch(/has tables dbo\.DecimalTest and dbo\.decimaltest, which differ only in letter case/);
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

  // The fake job's 120 rows begin one second apart from 2024-03-01T09:00:00 (50 a minute). `from`
  // and `to` were compared with the stored `YYYY-MM-DDTHH:MM:SS.fff` as typed: `to=2024-03-01`
  // listed none of that day's rows, `to=…T09:00` none of that minute's, and the form with a space
  // (`2024-03-01 09:01`, which the schema accepts) matched by its date alone.
  it.each([
    ['to=2024-03-01', 120],
    ['to=2024-03-01T09:00', 50],
    ['to=2024-03-01T09:00:05', 6],
    ['from=2024-03-01 09:01&to=2024-03-01 09:01', 50],
    ['from=2024-03-01T09:00:05.000&to=2024-03-01T09:00:05.000', 1],
  ])('rows?%s: a bound covers what it names, as scan --from/--to', async (q, n) => {
    const jobId = await createJob();
    const r = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?${q.replace(/ /g, '%20')}&count=true&limit=1`, headers: bearer(t.tokens.viewer) })).json();
    expect(r.total).toBe(n);
  });

  it('a decision by time takes the minute named; from after to is a 400', async () => {
    const jobId = await createJob();
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'the first minute', filter: { to: '2024-03-01T09:00' } } });
    expect(d.json()).toMatchObject({ rows: 50 });
    const w = await t.app.inject({ url: `/api/jobs/${jobId}/rows?from=2024-03-02&to=2024-03-01`, headers: bearer(t.tokens.viewer) });
    expect(w.statusCode).toBe(400);
    expect(w.json()).toMatchObject({ code: 'INPUT_BAD_WINDOW', field: 'querystring.to' });
    const bad = await t.app.inject({ url: `/api/jobs/${jobId}/rows?to=2024-02-30`, headers: bearer(t.tokens.viewer) });
    expect(bad.json()).toMatchObject({ code: 'INPUT_BAD_TIME', field: 'querystring.to' });
  });
});
