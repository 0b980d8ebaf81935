import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { FakeTarget, targetTables } from '../reinsert/fake-target.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from './helpers.js';
import { fakeRecover } from '../worker/fake-source.js';
import { join } from 'node:path';

describeCorpus('API (app.inject against a real SQLite file)', () => {
  let t: TestApp;
  let target: FakeTarget | undefined;
  beforeEach(async () => {
    t = await testApp({
      connectTarget: () => target!,
      maxAuthFailures: 1000,
    });
    target = new FakeTarget(join(t.dir, 'target.db'), targetTables());
  });
  afterEach(async () => {
    await t.close();
    target?.dispose();
  });

  const createJob = () => fakeFilesJob(t, { from: '2024-03-01 09:00' });

  it('every /api route authenticates (401) and authorises (403)', async () => {
    expect((await t.app.inject({ url: '/api/jobs' })).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const bad = await t.app.inject({ url: '/api/jobs', headers: bearer('rbk_wrong') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('AUTH_INVALID');
    const viewerCreates = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.viewer), payload: { kind: 'export', file: 'x' } });
    expect(viewerCreates.statusCode).toBe(403);
    expect(viewerCreates.json().code).toBe('AUTH_FORBIDDEN');
    const jobId = await createJob();
    const opDecides = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.operator), payload: { decision: 'approve', reason: 'looks right', filter: {} } });
    expect(opDecides.statusCode).toBe(403);
    const me = await t.app.inject({ url: '/api/me', headers: bearer(t.tokens.reviewer) });
    expect(me.json()).toEqual({ name: 'rafael', role: 'reviewer' });
    // every route in the OpenAPI document refuses an anonymous call and a bad token
    const doc = (await t.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{[^}]+\}/g, '1');
        const r = await t.app.inject({ method: method.toUpperCase() as 'GET', url, payload: method === 'get' ? undefined : {} });
        expect([path, method, r.statusCode]).toEqual([path, method, 401]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(17);
  });

  it('rate-limits authentication failures per client', async () => {
    await t.close();
    t = await testApp();
    for (let i = 0; i < 10; i++) expect((await t.app.inject({ url: '/api/jobs', headers: bearer('rbk_guess' + i) })).statusCode).toBe(401);
    const limited = await t.app.inject({ url: '/api/jobs', headers: bearer('rbk_guess-again') });
    expect(limited.statusCode).toBe(429);
    // blocked for the window for unknown tokens, but a valid token is never locked out by someone else's failures
    expect((await t.app.inject({ url: '/api/jobs', headers: bearer('rbk_guess-more') })).statusCode).toBe(429);
    expect((await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).statusCode).toBe(200);
  });

  it('validation failures are 400 naming the field', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_VALIDATION' });
    expect(r.json().field).toMatch(/^body/);
    const q = await t.app.inject({ url: '/api/jobs/1/rows?limit=0', headers: bearer(t.tokens.viewer) });
    expect(q.statusCode).toBe(400);
    expect(q.json().field).toBe('querystring.limit');
    const d = await t.app.inject({ method: 'POST', url: '/api/jobs/1/decisions', headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'x' } });
    expect(d.statusCode).toBe(400);
    expect(d.json().field).toBe('body.reason');
    const nf = await t.app.inject({ url: '/api/jobs/999', headers: bearer(t.tokens.viewer) });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().code).toBe('STAGING_JOB_NOT_FOUND');
  });

  it('jobs: create, progress, rows with filters and cursor pages, one row with raw bytes', async () => {
    const jobId = await createJob();
    const job = (await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.viewer) })).json();
    expect(job).toMatchObject({ id: jobId, kind: 'files', state: 'succeeded', rowsStaged: 120, createdBy: 'olga' });
    const list = (await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json();
    expect(list.items[0].id).toBe(jobId);

    let cursor: string | null = null;
    const ids: number[] = [];
    do {
      const page = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=dbo.DecimalTest&limit=15${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer(t.tokens.viewer) })).json() as { items: { id: number; table: string }[]; next: string | null };
      ids.push(...page.items.map((r) => r.id));
      expect(page.items.every((r) => r.table === 'dbo.DecimalTest')).toBe(true);
      cursor = page.next;
    } while (cursor);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    const counted = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?q=trailing&count=true&limit=1`, headers: bearer(t.tokens.viewer) })).json();
    expect(counted.total).toBe(20);
    const byLogin = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?login=sa&status=pending,approved&limit=1000`, headers: bearer(t.tokens.viewer) })).json();
    expect(byLogin.items).toHaveLength(50);

    const one = (await t.app.inject({ url: `/api/jobs/${jobId}/rows/${ids[0]}`, headers: bearer(t.tokens.viewer) })).json();
    expect(one.values).toEqual({ Id: 1, Small: '123.45', Big: '123456789012.3456' });
    expect(one.raw).toBe('1000160001000000013930000001C0BA8A3CD5620400030000');
  });

  it('approve/reject by ids and by filter with a reason; decisions and audit readable', async () => {
    const jobId = await createJob();
    const byFilter = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'deleted by the faulty batch job', filter: { login: 'CRM\\batchjob' } } });
    expect(byFilter.json()).toMatchObject({ rows: 50 });
    const page = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?status=approved&limit=2`, headers: bearer(t.tokens.viewer) })).json();
    const byIds = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'test data, leave deleted', ids: page.items.map((r: { id: number }) => r.id) } });
    expect(byIds.json().rows).toBe(2);
    const decisions = (await t.app.inject({ url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.viewer) })).json();
    expect(decisions.items.map((d: { actor: string; rowCount: number }) => [d.actor, d.rowCount])).toEqual([['rafael', 50], ['rafael', 2]]);
    const audit = (await t.app.inject({ url: `/api/audit?jobId=${jobId}`, headers: bearer(t.tokens.viewer) })).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toEqual(['job.create', 'job.succeeded', 'rows.approve', 'rows.reject']);
    const row = (await t.app.inject({ url: `/api/jobs/${jobId}/rows/${page.items[0].id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(row.decisions.map((d: { decision: string }) => d.decision)).toEqual(['approve', 'reject']);
  });

  it('exports CSV, NDJSON, the INSERT script and the undo script', async () => {
    const jobId = await createJob();
    const csv = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv&table=dbo.T`, headers: bearer(t.tokens.viewer) });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    // the value column Id is headed [Id]: the export's own column is id (case-insensitively the same; README: CSV value columns)
    expect(lines[0]).toBe('id,table,lsn,operation,transactionId,beginTime,endTime,login,sid,sidText,dbUser,spid,transactionName,allocUnitId,pageId,slotId,status,[Id],Name,warnings,raw');
    expect(lines).toHaveLength(21);
    expect(lines[1]).toContain(',1,hi,,30000800010000000200000100130068006900');
    const nd = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=ndjson&table=dbo.T2`, headers: bearer(t.tokens.viewer) });
    const objs = nd.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(objs).toHaveLength(20);
    expect(objs[0].values).toEqual({ Id: 1, C: 'ab   ', NC: 'xy   ' });
    // the row `rowback scan --format ndjson` prints, with the staged row's id first and its status last
    // (it was the store's record: jobId, and sid, page and slot under `meta`)
    expect(Object.keys(objs[0])).toEqual(['id', 'table', 'lsn', 'operation', 'transactionId', 'beginTime', 'endTime', 'login', 'sid', 'spid', 'transactionName', 'allocUnitId', 'pageId', 'slotId', 'values', 'raw', 'warnings', 'source', 'status']);
    expect(objs[0]).not.toHaveProperty('meta');
    const sql = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&table=dbo.T2`, headers: bearer(t.tokens.viewer) });
    expect(sql.body).toContain('INSERT INTO [dbo].[T2] ([Id], [C], [NC]) VALUES (');
    expect(sql.body).toContain("nchar(5) = N'ab   '");
    // no target connection: the order is by name, and the script says so (it claimed "parents first")
    expect(sql.body).toMatch(/^-- table order \(by name: the foreign keys are unknown without a target connection; a dry run against the target orders parents first\): dbo\.T2$/m);
    expect(sql.body).not.toContain('(parents first)');
    // None of the 20 rows is approved: the script says so at its top (it re-inserts them all if run).
    expect(sql.body).toMatch(/^-- WARNING: not only approved rows: 20 [a-z]+; for a script of the approved rows alone export with status=approved$/m);
    const approvedOnly = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&table=dbo.T2&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(approvedOnly.body).not.toContain('WARNING: not only approved rows');
    // No run of this job inserted anything: the undo export deletes nothing and says why for each row.
    const undo = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql&table=dbo.T2`, headers: bearer(t.tokens.viewer) });
    expect(undo.body).not.toMatch(/^\s*DELETE\b/m); // no DELETE statement (a comment may name one)
    expect(undo.body.match(/^-- NOT TOUCHED: row \d+ \(dbo\.T2, LSN [^)]*\): no executed rowback run of this job inserted it$/gm)).toHaveLength(20);
  });

  it('re-insert: reviewer previews the dry-run script but cannot run it; operator runs it against the target', async () => {
    const jobId = await createJob();
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.LogTestTrailNull' } } });
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().script).toContain("INSERT INTO [dbo].[LogTestTrailNull] ([Id], [ColA], [ColB]) VALUES (");
    expect(dry.json().script).toContain("nvarchar(50) = N'trailing-null'");
    const denied = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: false, target: { connectionString: 'Server=x;Password=p4ss' } } });
    expect(denied.statusCode).toBe(403);
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 6, target: { connectionString: 'Server=x;Password=p4ss' } } });
    expect(run.statusCode).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    const done = (await t.app.inject({ url: `/api/reinsert-runs/${run.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(done).toMatchObject({ state: 'succeeded', outcomes: { inserted: 20, conflict: 0, error: 0 } });
    expect(target!.counts()).toEqual({ rows: 20, distinctRows: 20, duplicates: 0 });
    const script = (await t.app.inject({ url: `/api/reinsert-runs/${run.json().id}/script`, headers: bearer(t.tokens.viewer) })).json();
    expect(script.undoScript).toContain('DELETE TOP (1) FROM [dbo].[LogTestTrailNull]');
    // after a run, the job's undo export covers exactly the rows that run inserted
    const undo = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql&table=dbo.LogTestTrailNull`, headers: bearer(t.tokens.viewer) });
    expect(undo.body.match(/^DELETE TOP \(1\) FROM \[dbo\]\.\[LogTestTrailNull\]/gm)).toHaveLength(20);
    expect(t.logs.join('')).not.toContain('p4ss');
    expect(JSON.stringify(t.store.db.prepare('SELECT * FROM reinsert_runs').all())).not.toContain('p4ss');
  });

  it('a failed job resumes through the API; cancelling a job that is not running is a 409', async () => {
    await t.close();
    let attempt = 0;
    const failing = fakeRecover({ rows: 120, failAfter: 70 });
    const fine = fakeRecover({ rows: 120 });
    t = await testApp({ recover: (s, f, o) => (attempt++ === 0 ? failing : fine)(s, f, o), maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'export', file: '/evidence/fn_dblog.csv' } });
    await t.app.worker.idle();
    const jobId = r.json().id;
    expect((await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.viewer) })).json()).toMatchObject({ state: 'failed', rowsStaged: 70, error: { code: 'STAGING_JOB_FAILED', message: 'the job failed (STAGING_JOB_FAILED); an operator can see the details' } });
    // nor through the audit log: job.failed there carries the code only for a viewer
    const viewerAudit = (await t.app.inject({ url: `/api/audit?jobId=${jobId}`, headers: bearer(t.tokens.viewer) })).json().items.find((a: { action: string }) => a.action === 'job.failed');
    expect(viewerAudit.details).toEqual({ code: 'STAGING_JOB_FAILED', message: 'an operator can see the details' });
    const opAudit = (await t.app.inject({ url: `/api/audit?jobId=${jobId}`, headers: bearer(t.tokens.operator) })).json().items.find((a: { action: string }) => a.action === 'job.failed');
    expect(opAudit.details.message).not.toContain('an operator can see');
    // the operator sees the whole error
    const opView = (await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.operator) })).json();
    expect(opView.error.message).not.toContain('an operator can see');
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/resume`, headers: bearer(t.tokens.reviewer), payload: {} })).statusCode).toBe(403);
    const resumed = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/resume`, headers: bearer(t.tokens.operator), payload: {} });
    expect(resumed.statusCode).toBe(200);
    await t.app.worker.idle();
    expect((await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.viewer) })).json()).toMatchObject({ state: 'succeeded', rowsStaged: 120, attempts: 2 });
    const again = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/resume`, headers: bearer(t.tokens.operator), payload: {} });
    expect([again.statusCode, again.json().code]).toEqual([409, 'STAGING_JOB_NOT_RESUMABLE']);
    const cancel = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/cancel`, headers: bearer(t.tokens.operator) });
    expect([cancel.statusCode, cancel.json().code]).toEqual([409, 'STAGING_JOB_NOT_RUNNING']);
  });

  it('an interrupted re-insert run resumes through the API with the same batches, nothing twice', async () => {
    const jobId = await createJob();
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.LogTestTrailNull' } } });
    let n = 0;
    t.app.reinsert.hooks = { beforeCommit: () => { if (++n === 3) throw new Error('connection reset'); } };
    const spec = { connectionString: 'Server=x;Password=p4ss' };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target: spec } })).json();
    await t.app.reinsert.wait(run.id);
    const failed = (await t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(failed).toMatchObject({ state: 'failed', outcomes: { inserted: 16, error: 4 } });
    expect(failed.rows.filter((r: { outcome: string }) => r.outcome === 'error')[0].detail.code).toBe('REINSERT_BATCH_FAILED');
    t.app.reinsert.hooks = undefined;
    const resumed = await t.app.inject({ method: 'POST', url: `/api/reinsert-runs/${run.id}/resume`, headers: bearer(t.tokens.operator), payload: { target: spec } });
    expect(resumed.statusCode).toBe(202);
    await t.app.reinsert.wait(run.id);
    const done = (await t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(done).toMatchObject({ state: 'succeeded', outcomes: { inserted: 20, conflict: 0, error: 0 } });
    expect(target!.counts()).toEqual({ rows: 20, distinctRows: 20, duplicates: 0 });
    const again = await t.app.inject({ method: 'POST', url: `/api/reinsert-runs/${run.id}/resume`, headers: bearer(t.tokens.operator), payload: { target: spec } });
    expect([again.statusCode, again.json().code]).toEqual([409, 'REINSERT_RUN_NOT_RESUMABLE']);
    const actions = (await t.app.inject({ url: `/api/audit?jobId=${jobId}`, headers: bearer(t.tokens.viewer) })).json().items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['reinsert.start', 'reinsert.batch-failed', 'reinsert.failed', 'reinsert.resume', 'reinsert.succeeded']));
  });

  it('blast radius per table, login, transaction, minute', async () => {
    const jobId = await createJob();
    const b = (await t.app.inject({ url: `/api/jobs/${jobId}/blast-radius`, headers: bearer(t.tokens.viewer) })).json();
    expect(b.total).toBe(120);
    expect(b.byTable).toHaveLength(5); // two examples share dbo.DecimalTest
    expect(b.byLogin).toHaveLength(3);
    expect(b.byTransaction).toHaveLength(3);
    expect(b.byMinute.map((m: { rows: number }) => m.rows)).toEqual([50, 50, 20]);
  });

  it('OpenAPI at /docs/json, interactive docs at /docs, the review page at /', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/jobs', '/api/jobs/{id}/rows', '/api/jobs/{id}/decisions', '/api/jobs/{id}/reinsert', '/api/audit']));
    expect(doc.paths['/api/jobs/{id}/rows'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['table', 'login', 'status', 'q', 'cursor']));
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
    const page = await t.app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('tokens never reach the logs', async () => {
    await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) });
    await t.app.inject({ url: '/api/jobs', headers: bearer('rbk_not-a-real-one') });
    const all = t.logs.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(t.tokens.viewer);
    expect(all).not.toContain('rbk_not-a-real-one');
  });
});
