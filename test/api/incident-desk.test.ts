/**
 * The incident desk's API: the page's settings (/api/info), configured re-insert targets named by
 * the page (never their secret), per-batch results, a job's table columns, and jobs that carry
 * their own metadata (DDL or catalog JSON), checked at creation and used by the real worker on a
 * real corpus log.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { zoneOffsetMinutes } from '../../src/api/routes/info.js';
import { resolveTargetName, summariseTargets } from '../../src/api/targets.js';
import { ServeConfig, resolveConfig } from '../../src/cli/commands/serve.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { FakeTarget, targetTables } from '../reinsert/fake-target.js';
import { LAYOUTS } from '../staging/fixtures.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { catalogRowsOf } from '../support/catalog-rows.js';

const TARGETS = {
  'crm-side': { connectionString: 'Server=sql01,1433;Database=CRM_restore;User Id=rb;Password=Sup3rS3cret!', description: 'side database' },
  'crm-prod': { connectionStringEnv: 'ROWBACK_TEST_TARGET_UNSET_VAR', database: 'CRM' },
};

describe('configured targets (no secret leaves the server)', () => {
  it('summarises name, server, database and readiness; never the connection string', () => {
    const s = summariseTargets(TARGETS, {});
    expect(s).toEqual([
      { name: 'crm-prod', server: null, database: 'CRM', description: null, ready: false },
      { name: 'crm-side', server: 'sql01,1433', database: 'CRM_restore', description: 'side database', ready: true },
    ]);
    expect(JSON.stringify(s)).not.toContain('Sup3rS3cret');
    expect(summariseTargets(TARGETS, { ROWBACK_TEST_TARGET_UNSET_VAR: 'Data Source=sql02;Password=x' })[0]).toMatchObject({ server: 'sql02', ready: true });
  });

  it('resolves a name to its connection; unknown or unset names are typed refusals naming the field', () => {
    expect(resolveTargetName('crm-side', TARGETS, {})).toEqual({ connectionString: TARGETS['crm-side'].connectionString, database: undefined, ledgerTable: undefined, name: 'crm-side' });
    expect(() => resolveTargetName('crm', TARGETS, {})).toThrow(/INPUT_UNKNOWN_TARGET|no re-insert target named 'crm' is configured \(configured: crm-prod, crm-side\)/);
    expect(() => resolveTargetName('crm-prod', TARGETS, {})).toThrow(/ROWBACK_TEST_TARGET_UNSET_VAR, which is not set/);
    expect(() => resolveTargetName('constructor', TARGETS, {})).toThrow(/no re-insert target named/);
  });

  it("serve's config takes targets and a time zone, and refuses bad ones in one line", () => {
    expect(ServeConfig.parse({ targets: TARGETS, timeZone: 'Europe/Berlin' }).targets).toHaveProperty('crm-side');
    expect(ServeConfig.safeParse({ targets: { x: { connectionString: 'a', connectionStringEnv: 'B' } } }).success).toBe(false);
    expect(ServeConfig.safeParse({ targets: { 'bad name!': { connectionString: 'a' } } }).success).toBe(false);
    expect(ServeConfig.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
    // a name JavaScript objects treat specially is refused, not silently dropped
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cfg-'));
    try {
      writeFileSync(join(dir, 'c.json'), '{"targets":{"__proto__":{"connectionString":"Server=x"}}}');
      expect(() => resolveConfig({ config: join(dir, 'c.json') }, {})).toThrow(expect.objectContaining({ code: 'INPUT_BAD_CONFIG', message: 'config targets: a target may not be named __proto__' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(ServeConfig.safeParse({ targets: { constructor: { connectionString: 'Server=x' } } }).success).toBe(false);
  });

  it('zone offsets come from Intl, daylight saving included', () => {
    expect(zoneOffsetMinutes('UTC', new Date('2024-03-01T10:00:00Z'))).toBe(0);
    expect(zoneOffsetMinutes('Europe/Berlin', new Date('2024-01-15T10:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes('Europe/Berlin', new Date('2024-07-15T10:00:00Z'))).toBe(120);
    expect(zoneOffsetMinutes('America/New_York', new Date('2024-07-15T10:00:00Z'))).toBe(-240);
    expect(zoneOffsetMinutes('Asia/Kolkata', new Date('2024-07-15T10:00:00Z'))).toBe(330);
  });
});

/** A job of fake-source rows with the corpus examples' layouts, its dbo.LogTestTrailNull rows (20) approved. */
async function approvedJob(t: TestApp): Promise<number> {
  const job = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/crm.ldf' } });
  await t.app.worker.idle();
  const jobId = job.json().id as number;
  t.store.saveJobTables(jobId, Object.values(LAYOUTS));
  await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.LogTestTrailNull' } } });
  return jobId;
}

describeCorpus('API for the incident desk', () => {
  let t: TestApp | undefined;
  let target: FakeTarget | undefined;
  afterEach(async () => {
    await t?.close();
    target?.dispose();
    t = undefined;
    target = undefined;
  });

  it('/api/info: the zone every time is shown in, targets without secrets; their servers and roots for operators only', async () => {
    t = await testApp({ targets: TARGETS, timeZone: 'Europe/Berlin', fileRoots: ['/evidence'], allowedServers: ['sql01'] });
    const viewer = await t.app.inject({ url: '/api/info', headers: bearer(t.tokens.viewer) });
    expect(viewer.statusCode).toBe(200);
    expect(viewer.json()).toMatchObject({ timeZone: 'Europe/Berlin', targets: [{ name: 'crm-prod', ready: false }, { name: 'crm-side', ready: true }] });
    // a target's host is for operators, as a run's is (docs/security.md): not in a viewer's or reviewer's answer
    for (const who of ['viewer', 'reviewer'] as const) {
      const r = await t.app.inject({ url: '/api/info', headers: bearer(t.tokens[who]) });
      expect(r.body).not.toContain('sql01');
      for (const x of r.json().targets) expect(x).not.toHaveProperty('server');
    }
    expect([60, 120]).toContain(viewer.json().utcOffsetMinutes);
    expect(viewer.json()).not.toHaveProperty('fileRoots');
    expect(viewer.body).not.toContain('Sup3rS3cret');
    const op = (await t.app.inject({ url: '/api/info', headers: bearer(t.tokens.operator) })).json();
    expect(op).toMatchObject({ fileRoots: ['/evidence'], allowedServers: ['sql01'], targets: [{ name: 'crm-prod', ready: false }, { name: 'crm-side', server: 'sql01,1433', ready: true }] });
    expect((await t.app.inject({ url: '/api/info' })).statusCode).toBe(401);
  });

  it('re-insert by target name: run, per-batch results, the name kept with the run, the secret nowhere', async () => {
    t = await testApp({ targets: TARGETS, connectTarget: () => target!, maxAuthFailures: 1000 });
    target = new FakeTarget(join(t.dir, 'target.db'), targetTables());
    const jobId = await approvedJob(t);

    const unknown = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, targetName: 'crm' } });
    expect([unknown.statusCode, unknown.json().code, unknown.json().field]).toEqual([400, 'INPUT_UNKNOWN_TARGET', 'targetName']);
    const unset = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, targetName: 'crm-prod' } });
    expect([unset.statusCode, unset.json().code]).toEqual([400, 'INPUT_TARGET_UNSET']);
    const both = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, targetName: 'crm-side', target: { connectionString: 'Server=y' } } });
    expect([both.statusCode, both.json().code]).toEqual([400, 'INPUT_BAD_OPTION']);
    const malformed = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, target: { connectionString: 'Server=sql01;Password=Sup3rS3cret!;oops' } } });
    expect([malformed.statusCode, malformed.json().code, malformed.json().field]).toEqual([400, 'INPUT_BAD_CONNECTION', 'target.connectionString']);
    expect(malformed.body).not.toContain('Sup3rS3cret');
    const byReviewer = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: false, targetName: 'crm-side' } });
    expect(byReviewer.statusCode).toBe(403);

    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, targetName: 'crm-side' } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().run.target).toMatchObject({ name: 'crm-side' });

    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, targetName: 'crm-side', batchSize: 6 } });
    expect(run.statusCode).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    const done = (await t.app.inject({ url: `/api/reinsert-runs/${run.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(done).toMatchObject({ state: 'succeeded', target: { name: 'crm-side' }, outcomes: { inserted: 20, conflict: 0, error: 0 } });
    // 20 rows in batches of 6: 6, 6, 6, 2, each committed with its own outcome counts
    expect(done.batches.map((b: { batchNo: number; rows: number; inserted: number; state: string }) => [b.batchNo, b.rows, b.inserted, b.state]))
      .toEqual([[1, 6, 6, 'committed'], [2, 6, 6, 'committed'], [3, 6, 6, 'committed'], [4, 2, 2, 'committed']]);
    expect(done.batches.every((b: { committedAt: string | null }) => b.committedAt !== null)).toBe(true);
    expect(target.counts()).toEqual({ rows: 20, distinctRows: 20, duplicates: 0 });
    const everything = JSON.stringify(t.store.db.prepare('SELECT * FROM reinsert_runs').all()) + JSON.stringify(t.store.audit({ limit: 1000 })) + t.logs.join('');
    expect(everything).not.toContain('Sup3rS3cret');
  });

  it('a connection given in the request: operators only, and only to allowedServers (no dialling any host from the service)', async () => {
    let connects = 0;
    t = await testApp({ targets: TARGETS, allowedServers: ['sql01'], connectTarget: () => { connects++; return target!; }, maxAuthFailures: 1000 });
    target = new FakeTarget(join(t.dir, 'target.db'), targetTables());
    const jobId = await approvedJob(t);
    const runs = () => (t!.store.db.prepare('SELECT count(*) AS n FROM reinsert_runs').get() as { n: number }).n;
    const reinsert = (token: string, payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(token), payload });

    const byReviewer = await reinsert(t.tokens.reviewer, { dryRun: true, target: { connectionString: 'Server=10.0.0.5,22;User Id=sa;Password=Guess1' } });
    expect([byReviewer.statusCode, byReviewer.json().code]).toEqual([403, 'AUTH_FORBIDDEN']);
    for (const dryRun of [true, false]) {
      const elsewhere = await reinsert(t.tokens.operator, { dryRun, target: { connectionString: 'Server=evil.example,1433;User Id=sa;Password=Guess1' } });
      expect([elsewhere.statusCode, elsewhere.json().code, elsewhere.json().field]).toEqual([400, 'INPUT_SERVER_NOT_ALLOWED', 'target.connectionString']);
      expect(elsewhere.body).not.toContain('Guess1');
    }
    // the server named twice: the check and the driver could read different ones
    for (const cs of ['Data Source=evil.example;Server=sql01;User Id=sa;Password=Guess1', 'Server=evil.example;server = sql01;Password=Guess1']) {
      const twice = await reinsert(t.tokens.operator, { dryRun: true, target: { connectionString: cs } });
      expect([twice.statusCode, twice.json().code, twice.json().field], cs).toEqual([400, 'INPUT_BAD_CONNECTION', 'target.connectionString']);
    }
    expect([connects, runs()]).toEqual([0, 0]);
    const allowed = await reinsert(t.tokens.operator, { dryRun: true, target: { connectionString: 'Server=SQL01;User Id=sa;Password=Guess1' } });
    expect(allowed.statusCode, allowed.body).toBe(200);
    // a configured target is the administrator's: not held to allowedServers (crm-side is sql01,1433 here)
    expect((await reinsert(t.tokens.reviewer, { dryRun: true, targetName: 'crm-side' })).statusCode).toBe(200);
  });

  it("a job's tables with their columns in table order", async () => {
    t = await testApp();
    const job = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/crm.ldf' } });
    await t.app.worker.idle();
    t.store.saveJobTables(job.json().id, Object.values(LAYOUTS));
    const r = (await t.app.inject({ url: `/api/jobs/${job.json().id}/tables`, headers: bearer(t.tokens.viewer) })).json();
    expect(r.items.find((x: { table: string }) => x.table === 'dbo.DecimalTest').columns.map((c: { name: string }) => c.name)).toEqual(['Id', 'Small', 'Big']);
    expect((await t.app.inject({ url: '/api/jobs/999/tables', headers: bearer(t.tokens.viewer) })).statusCode).toBe(404);
  });
});

describeCorpus('jobs with their own metadata (DDL / catalog JSON), real worker, real corpus log', () => {
  const LDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const MDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const DDL = 'CREATE TABLE dbo.tblDept (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL)';
  const AU = '72057594043629568';
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  const realApp = () => testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
  const post = (payload: unknown) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: payload as Record<string, unknown> });

  it('a log-only job with DDL and its AllocUnitId stages the 13 tblDept deletes, the same values as with the data file', async () => {
    t = await realApp();
    const withDdl = await post({ kind: 'files', ldf: LDF(), tables: ['dbo.tblDept'], metadata: { ddl: DDL, allocUnit: AU } });
    expect(withDdl.statusCode).toBe(201);
    expect(withDdl.json().description).toContain('(metadata: DDL)');
    const withMdf = await post({ kind: 'files', mdf: MDF(), ldf: LDF(), tables: ['dbo.tblDept'] });
    await t.app.worker.idle();
    const a = t.store.requireJob(withDdl.json().id);
    const b = t.store.requireJob(withMdf.json().id);
    expect([a.state, a.rowsStaged]).toEqual(['succeeded', 13]);
    expect(b.rowsStaged).toBe(13);
    const values = (id: number) => (t!.app.staging.listRows(id, {}, { limit: 100 }).items).map((r) => r.values);
    expect(values(a.id)).toEqual(values(b.id));
    expect(values(a.id)[0]).toHaveProperty('DeptName');
    const cols = (await t.app.inject({ url: `/api/jobs/${a.id}/tables`, headers: bearer(t.tokens.viewer) })).json();
    expect(cols.items).toEqual([{ table: 'dbo.tblDept', columns: [{ name: 'Id', type: 'int' }, { name: 'DeptName', type: 'varchar' }, { name: 'DeptDesc', type: 'varchar' }] }]);
  });

  it('a log-only job with a script of two tables and metadata.allocUnits by name stages both tables\' deletes, as the data file does', async () => {
    t = await realApp();
    const two = `${DDL};\nCREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(50) NULL, Emp_City varchar(50) NULL, Emp_Age int NULL)`;
    const r = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: two, allocUnits: { '[dbo].[tblDept]': AU, Employee: '72057594043432960' } } });
    if (r.statusCode !== 201) throw new Error(r.body);
    const withMdf = await post({ kind: 'files', mdf: MDF(), ldf: LDF() });
    await t.app.worker.idle();
    const a = t.store.requireJob(r.json().id);
    const b = t.store.requireJob(withMdf.json().id);
    expect([a.state, a.rowsStaged, b.rowsStaged]).toEqual(['succeeded', 16, 16]);
    const rows = (id: number) => (t!.app.staging.listRows(id, {}, { limit: 100 }).items).map((x) => [x.table, x.lsn, x.values]);
    expect(rows(a.id)).toEqual(rows(b.id));
    // a mistyped id (a digit off): the job stages Employee's rows and its notes name the unit tblDept's rows are on
    const typo = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: two, allocUnits: { '[dbo].[tblDept]': '72057594043629567', Employee: '72057594043432960' } } });
    await t.app.worker.idle();
    expect(t.store.requireJob(typo.json().id).rowsStaged).toBe(3);
    const typoNotes = t.store.audit({ jobId: typo.json().id }).find((a) => a.action === 'job.notes')!.details.notes as string[];
    expect(typoNotes).toContainEqual(expect.stringContaining('metadata.allocUnits maps dbo.tblDept to 72057594043629567, and no row of the log was on that unit, while 13 row operation(s) are on units no table names: AllocUnitId 72057594043629568 ×13'));
    // refused at creation, naming the field: a name the script lacks, one unit for two tables, both forms
    const unknown = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: two, allocUnits: { 'dbo.Dept': AU } } });
    expect([unknown.statusCode, unknown.json().code, unknown.json().field]).toEqual([400, 'INPUT_UNKNOWN_TABLE', 'metadata.allocUnits.dbo.Dept']);
    const shared = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: two, allocUnits: { tblDept: AU, Employee: AU } } });
    expect([shared.statusCode, shared.json().field]).toEqual([400, 'metadata.allocUnits.Employee']);
    const both = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: DDL, allocUnit: AU, allocUnits: { tblDept: AU } } });
    expect([both.statusCode, both.json().code]).toEqual([400, 'INPUT_VALIDATION']);
  });

  it('the same job with catalog JSON made from that DDL', async () => {
    t = await realApp();
    const layout = layoutsFromDdl(DDL)[0]!;
    // the rows sql/table-metadata.sql returns for this table, written out from the DDL's layout
    const catalog = catalogRowsOf(layout, { allocUnit: AU });

    const r = await post({ kind: 'files', ldf: LDF(), metadata: { catalog } });
    if (r.statusCode !== 201) throw new Error(r.body);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect(job.description).toContain('(metadata: catalog JSON)');
    expect([job.state, job.rowsStaged]).toEqual(['succeeded', 13]);
  });

  it('bad metadata is a 400 naming the field, before anything runs', async () => {
    t = await realApp();
    const bad = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: 'CREATE TABLE dbo.T (Id int NOT NULL,, Name varchar(10))' } });
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'metadata.ddl']);
    expect(bad.json().message).toMatch(/line 1/);
    const both = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: DDL, catalog: [] } });
    expect([both.statusCode, both.json().code]).toEqual([400, 'INPUT_VALIDATION']);
    expect(both.json().field).toContain('metadata');
    const twoTables = await post({ kind: 'files', ldf: LDF(), metadata: { ddl: `${DDL}; CREATE TABLE dbo.X (Id int NOT NULL)`, allocUnit: AU } });
    expect([twoTables.statusCode, twoTables.json().field]).toEqual([400, 'metadata.allocUnit']);
    const badCatalog = await post({ kind: 'files', ldf: LDF(), metadata: { catalog: [{ table_name: 'T' }] } });
    expect([badCatalog.statusCode, badCatalog.json().field]).toEqual([400, 'metadata.catalog']);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
  });

  it('a log-only job without metadata is refused at creation with its reason, whole (it was accepted, then failed when it ran)', async () => {
    t = await realApp();
    const r = await post({ kind: 'files', ldf: LDF() });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_NO_METADATA', field: 'mdf' });
    expect(r.json().message.length).toBeGreaterThan(20);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
  });
});
