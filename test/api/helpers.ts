import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/api/app.js';
import { StagingStore } from '../../src/staging/store.js';
import { createLogger } from '../../src/util/logger.js';
import { fakeRecover, fakeSource, type FakeOptions } from '../worker/fake-source.js';
import { LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, targetTables } from '../reinsert/fake-target.js';
import { afterEach, beforeEach, expect } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import type { JobRecord } from '../../src/staging/types.js';
import { CORPUS_DIR, corpusPath } from '../support/corpus.js';
import { writeTblDeptAlterLdf } from '../support/alter-ldf.js';

export interface TestApp {
  app: FastifyInstance;
  store: StagingStore;
  dir: string;
  tokens: { operator: string; reviewer: string; viewer: string };
  logs: string[];
  close(): Promise<void>;
}

/** An app on a real SQLite file in a temp dir, a token per role, logs captured. */
export async function testApp(o: Partial<AppOptions> & { rows?: FakeOptions } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-api-'));
  const store = new StagingStore(join(dir, 'staging.db'));
  const tokens = {
    operator: store.createToken('olga', 'operator').token,
    reviewer: store.createToken('rafael', 'reviewer').token,
    viewer: store.createToken('vera', 'viewer').token,
  };
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const app = await buildApp({
    store,
    logger: createLogger({ level: 'info' }, sink),
    openSource: async () => fakeSource(),
    recover: fakeRecover(o.rows ?? { rows: 120 }),
    // the fake source reads no files: its specs name files that do not exist
    validateJob: async () => {},
    ...o,
  });
  return {
    app, store, dir, tokens, logs,
    async close() {
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/**
 * A files job created through the API by the operator and run to its end by the fake source, with
 * the corpus examples' layouts saved as its tables (the fake source has none); `extra` is merged
 * into the spec (`{ from: '2024-03-01 09:00' }`). Resolves to the job id; throws if it is refused.
 */
export async function fakeFilesJob(t: TestApp, extra: Record<string, unknown> = {}): Promise<number> {
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/crm.ldf', ...extra } });
  if (r.statusCode !== 201) throw new Error(`the job was not created: ${r.statusCode} ${r.body}`);
  await t.app.worker.idle();
  t.store.saveJobTables(r.json().id, Object.values(LAYOUTS));
  return r.json().id as number;
}

/**
 * A test app and a live job (connection string `cs`, database crm) created by the operator and run
 * to its end by the fake source, whose source says `notes` (a live job's notes and INCOMPLETE
 * sentences come from them). Resolves to the app and the job id; throws if the job is refused.
 * The caller closes `t`.
 */
export async function liveJobWithNotes(cs: string, notes: string[]): Promise<{ t: TestApp; jobId: number }> {
  const t = await testApp({ openSource: async () => ({ source: fakeSource(), notes: () => notes }) as never });
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'live', server: cs, database: 'crm' } });
  if (r.statusCode !== 201) throw new Error(`the job was not created: ${r.statusCode} ${r.body}`);
  await t.app.worker.idle();
  return { t, jobId: r.json().id as number };
}

/**
 * Asks GET /api/jobs/:id and GET /api/jobs as a viewer and as a reviewer, expects 200 and none of
 * `hidden` (a live job's login and server) in either body; resolves to each role's job answer.
 */
export async function jobAnswersHiding(t: TestApp, jobId: number, hidden: string[]): Promise<Record<'viewer' | 'reviewer', { incomplete: string[] | null; complete: boolean | null; warnings: string[] | null }>> {
  const out = {} as Record<'viewer' | 'reviewer', { incomplete: string[] | null; complete: boolean | null; warnings: string[] | null }>;
  for (const who of ['viewer', 'reviewer'] as const) {
    const one = await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens[who]) });
    const list = await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens[who]) });
    for (const x of [one, list]) {
      expect(x.statusCode).toBe(200);
      for (const h of hidden) expect(x.body).not.toContain(h);
    }
    out[who] = one.json();
  }
  return out;
}

/**
 * For a describe block: a test app whose re-insert target is a fresh FakeTarget for each test
 * (beforeEach/afterEach installed here; read `env.t` inside the tests), and `approvedTrailJob`, a
 * fake files job whose dbo.LogTestTrailNull rows a reviewer approved, as the re-insert tests start.
 */
export function appWithFakeTarget(): { t: TestApp; target: FakeTarget; approvedTrailJob(): Promise<number> } {
  const env = {
    t: undefined as unknown as TestApp,
    target: undefined as unknown as FakeTarget,
    async approvedTrailJob(): Promise<number> {
      const jobId = await fakeFilesJob(env.t, { from: '2024-03-01 09:00' });
      await env.t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(env.t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.LogTestTrailNull' } } });
      return jobId;
    },
  };
  beforeEach(async () => {
    env.t = await testApp({ connectTarget: () => env.target, maxAuthFailures: 1000 });
    env.target = new FakeTarget(join(env.t.dir, 'target.db'), targetTables());
  });
  afterEach(async () => {
    await env.t.close();
    env.target?.dispose();
  });
  return env;
}

/**
 * For a describe block: a fresh testApp(`o`) for each test, closed after it (beforeEach/afterEach
 * installed here; read `env.t` inside the tests). The lines most API route tests write out.
 */
export function appPerTest(o: Parameters<typeof testApp>[0] = {}): { t: TestApp } {
  const env = { t: undefined as unknown as TestApp };
  beforeEach(async () => {
    env.t = await testApp(o);
  });
  afterEach(async () => {
    await env.t.close();
  });
  return env;
}

/**
 * A fresh testApp with a fake files job (fakeFilesJob) and a second reviewer, bob, beside the
 * app's own tokens: the start of the tests of two reviewers deciding the same rows. Close `t` after.
 */
export async function jobWithSecondReviewer(): Promise<{ t: TestApp; bob: string; jobId: number }> {
  const t = await testApp();
  const bob = t.store.createToken('bob', 'reviewer').token;
  return { t, bob, jobId: await fakeFilesJob(t) };
}

/**
 * Runs a real re-insert of job `jobId` into `target` as an operator (expects 202), waits for it, and
 * resolves to the run's script (as a viewer reads it) and its `reinsert.start` audit entry's details.
 */
export async function realRunScriptAndStart(t: TestApp, jobId: number, target: Record<string, unknown>): Promise<{ script: string; start: Record<string, unknown> | undefined }> {
  const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target } });
  expect(run.statusCode, run.body).toBe(202);
  await t.app.reinsert.wait(run.json().id);
  const script = await t.app.inject({ url: `/api/reinsert-runs/${run.json().id}/script`, headers: bearer(t.tokens.viewer) });
  const audit = (await t.app.inject({ url: `/api/audit?jobId=${jobId}`, headers: bearer(t.tokens.viewer) })).json().items as { action: string; details: Record<string, unknown> }[];
  return { script: script.body, start: audit.find((a) => a.action === 'reinsert.start')?.details };
}

/**
 * A dry run (POST /api/jobs/:id/reinsert {dryRun: true}, as the reviewer) of `jobId`'s rows, all
 * approved first, whose scripts' write to the staging file throws `error` (SYNTHETIC: the store's
 * `prepare` of that UPDATE replaced for the one request). Answers the response.
 */
export async function dryRunWithScriptWriteFailing(t: TestApp, jobId: number, error: Error) {
  await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
  const prepare = t.store.db.prepare.bind(t.store.db);
  t.store.db.prepare = ((sql: string) => {
    if (/^UPDATE reinsert_runs SET script = \?, undo_script = \?/.test(sql)) throw error;
    return prepare(sql);
  }) as typeof t.store.db.prepare;
  try {
    return await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
  } finally {
    t.store.db.prepare = prepare;
  }
}

/**
 * A files job run to its end on AngularJs_CRUD's real Database1.mdf beside a SYNTHETIC .ldf whose
 * transaction 12 re-keys dbo.tblDept's sys.sysrscols rows as an ALTER COLUMN does
 * (test/support/alter-ldf.ts): its rows logged after the change are SOURCE_SCHEMA_DRIFT skipped
 * items. Gives the app, the job's id and record (state checked: succeeded), and `close()`, which
 * closes the app and removes the temp folder `prefix…` holding the .ldf.
 */
export async function driftFilesJob(prefix: string): Promise<{ t: TestApp; id: number; job: JobRecord; close: () => Promise<void> }> {
  const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ldf = join(dir, 'alter_log.ldf');
  writeTblDeptAlterLdf(ldf, { targetBytes: 256 * 1024, vlfSize: 128 * 1024 });
  const t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
  const close = async (): Promise<void> => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf, ldf } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const id = r.json().id as number;
    const job = t.store.requireJob(id);
    expect(job.state).toBe('succeeded');
    return { t, id, job, close };
  } catch (e) {
    await close();
    throw e;
  }
}
