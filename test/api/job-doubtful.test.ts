import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobResponse } from '../../src/api/routes/schemas.js';
import { MIGRATIONS, migrate } from '../../src/staging/migrations.js';
import { StagingStore } from '../../src/staging/store.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { unknownOperationCopy } from '../support/damaged-copy.js';
import { appWithFakeTarget, bearer, realRunScriptAndStart, testApp, type TestApp } from './helpers.js';

/**
 * "Is any of it doubtful?" of a job (docs/scripting.md's third question): `scan --report` answers it
 * (`warnings`, `rowsWithWarnings`), a job's answer had no field for it: its WARNING:/UNCHECKED:
 * sentences were in the audit log's `job.notes` alone and its rows' warnings in each row. Now the
 * job has `warnings` and `rowsWithWarnings` (staging migration 14), the exports count them in
 * headers, and a script of its rows says it in its head.
 * REAL files: AngularJs_CRUD's data file and log (3 deleted dbo.Employee rows), read with metadata
 * declaring Emp_Name varchar(200) where the data file has varchar(max), as
 * test/cli/scan-warned-rows.test.ts reads them with `--ddl`; and StopAt's chain with SYNTHETIC
 * damage of StopAt_2.trn (two records' operation byte set to a code rowback does not know,
 * test/support/damaged-copy.ts), whose job notes carry the WARNING scan says.
 */
const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const SA = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const DDL = 'CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(200), Emp_City varchar(max), Emp_Age int);\n';

describeCorpus("a job's warnings and rowsWithWarnings, as scan --report's", () => {
  let t: TestApp;
  let dir: string;
  let U: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-doubtful-'));
    U = unknownOperationCopy(SA('StopAt_2.trn'), join(dir, 'U.trn'));
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: undefined });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const create = async (spec: Record<string, unknown>) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: spec });
    expect(r.statusCode, r.body).toBe(201);
    // queued: not known
    expect(r.json()).toMatchObject({ warnings: null, rowsWithWarnings: null });
    return r.json().id as number;
  };
  const get = async (id: number) => {
    const r = await t.app.inject({ url: `/api/jobs/${id}`, headers: bearer(t.tokens.viewer) });
    expect(JobResponse.safeParse(r.json()).success).toBe(true);
    return r.json();
  };

  it('rows decoded with warnings: rowsWithWarnings 3 (scan --report says 3 of the same files), complete true; the catalog alone: 0', async () => {
    const warned = await create({ kind: 'files', mdf: A('Database1.mdf'), ldf: A('Database1_log.ldf'), tables: ['dbo.Employee'], metadata: { ddl: DDL } });
    const plain = await create({ kind: 'files', mdf: A('Database1.mdf'), ldf: A('Database1_log.ldf'), tables: ['dbo.Employee'] });
    await t.app.worker.idle();
    const report = join(dir, 'r.json');
    writeFileSync(join(dir, 'employee.sql'), DDL);
    await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', join(dir, 'employee.sql'), '--table', 'dbo.Employee', '--quiet', '--out', join(dir, 'rows.ndjson'), '--report', report);
    const r = JSON.parse(readFileSync(report, 'utf8')) as { rowsWithWarnings: number; warnings?: string[] };
    const w = await get(warned);
    expect(w).toMatchObject({ state: 'succeeded', complete: true, rowsStaged: 3, rowsWithWarnings: r.rowsWithWarnings });
    expect(r.rowsWithWarnings).toBe(3);
    expect(w.warnings).toEqual((r.warnings ?? []).map((x) => (x.startsWith('UNCHECKED: ') ? x : `WARNING: ${x}`)));
    expect(await get(plain)).toMatchObject({ state: 'succeeded', complete: true, rowsStaged: 3, warnings: [], rowsWithWarnings: 0 });

    // the exports count them in headers (the bodies hold rows alone); the SQL script says it in its head
    const nd = await t.app.inject({ url: `/api/jobs/${warned}/export?format=ndjson`, headers: bearer(t.tokens.viewer) });
    expect(nd.headers['x-rowback-rows-with-warnings']).toBe('3');
    expect(nd.headers['x-rowback-warnings']).toBe(String(w.warnings.length));
    const sql = await t.app.inject({ url: `/api/jobs/${warned}/export?format=sql`, headers: bearer(t.tokens.viewer) });
    expect(sql.body).toContain(`-- WARNING: job ${warned}'s result is doubtful: `);
    expect(sql.body).toContain("3 of its rows carry warnings of their own (a value may be wrong or missing: each row's `warnings`)");
    const clean = await t.app.inject({ url: `/api/jobs/${plain}/export?format=sql`, headers: bearer(t.tokens.viewer) });
    expect(clean.headers['x-rowback-rows-with-warnings']).toBe('0');
    expect(clean.body).not.toContain('is doubtful');
  });

  it('log records of an unknown operation: the WARNING sentence of its notes in warnings; the intact chain: []', async () => {
    const damaged = await create({ kind: 'files', bak: SA('StopAt.bak'), trn: [SA('StopAt_1.trn'), U], operations: ['insert'] });
    const intact = await create({ kind: 'files', bak: SA('StopAt.bak'), trn: [SA('StopAt_1.trn'), SA('StopAt_2.trn')], operations: ['insert'] });
    await t.app.worker.idle();
    const d = await get(damaged);
    const notes = t.store.audit({ jobId: damaged }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    expect(d.warnings).toEqual(notes.filter((n) => /^(WARNING|UNCHECKED): /.test(n)));
    expect(d.warnings).toEqual([expect.stringContaining('log record(s) of operation code')]);
    expect(d.rowsWithWarnings).toBe(0);
    expect(await get(intact)).toMatchObject({ warnings: [], rowsWithWarnings: 0 });
    // the list says the same
    const list = (await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json() as { items: { id: number; warnings: string[] | null }[] };
    expect(list.items.find((j) => j.id === damaged)?.warnings).toEqual(d.warnings);
  });
});

describeCorpus('a re-insert of a doubtful job says so in its script head', () => {
  const env = appWithFakeTarget();
  const target = { connectionString: 'Server=fake' };
  it('the dry run (script, answer, summary) and the real run (script, audit); a job with nothing doubtful: none', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const warnings = ['WARNING: 2 log record(s) of operation code 250 …', 'UNCHECKED: 1 transaction(s) …'];
    t.store.setJobCompleteness(jobId, [], warnings);
    const want = `WARNING: job ${jobId}'s result is doubtful: its notes hold 2 WARNING/UNCHECKED sentence(s) (GET /api/jobs/${jobId}, \`warnings\`); read them before running this script`;
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, target } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().jobDoubt).toBe(want);
    expect(dry.json().jobWarning).toBeNull();
    expect(dry.json().script).toContain(`-- ${want}`);
    expect(dry.json().run.summary.jobDoubt).toBe(want);
    const real = await realRunScriptAndStart(t, jobId, target);
    expect(real.script).toContain(`-- ${want}`);
    expect(real.start?.jobDoubt).toBe(want);

    const other = await env.approvedTrailJob();
    t.store.setJobCompleteness(other, []);
    const none = await t.app.inject({ method: 'POST', url: `/api/jobs/${other}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, target } });
    expect(none.json().jobDoubt).toBeNull();
    expect(none.json().script).not.toContain('is doubtful');
  });
});

it('a job that succeeded before staging migration 14: warnings and rowsWithWarnings null (not known), not [] and 0; running again clears them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-job-doubtful-old-'));
  try {
    const path = join(dir, 'old.db');
    // a store made by migrations 1–13, with a job that succeeded whole then
    const db = new Database(path);
    migrate(db, MIGRATIONS.filter((m) => m.version < 14));
    db.prepare("INSERT INTO jobs (kind, spec, description, tables, operations, state, created_by, created_at, incomplete) VALUES ('files', '{}', 'old', '[]', '[\"delete\"]', 'succeeded', 'op', '2026-01-01', '[]')").run();
    db.close();
    const store = new StagingStore(path);
    try {
      const job = store.requireJob(1);
      expect(job).toMatchObject({ complete: true, warnings: null, rowsWithWarnings: null });
      store.setJobCompleteness(1, [], ['WARNING: x']);
      expect(store.requireJob(1)).toMatchObject({ warnings: ['WARNING: x'], rowsWithWarnings: 0 });
      store.setJobState(1, 'running');
      expect(store.requireJob(1)).toMatchObject({ complete: null, warnings: null, rowsWithWarnings: null });
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
