/**
 * The set-up the review page's browser tests (test/e2e) each wrote: a staging store in a fresh temp
 * dir with a reviewer's and an operator's token, a re-insert target holding dbo.T, the API app that
 * serves them (duplicates D1–D8 of session 21: the same lines in eight browser test files).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { StagingStore } from '../../src/staging/store.js';
import { stagedTableName } from '../../src/util/tsql.js';
import type { ConfiguredTargetSpec } from '../../src/api/targets.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeTarget, stopOnceAfterTargetCommit } from '../reinsert/fake-target.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { closeReviewPage, serveReviewPage, signIn, type launchChromium } from './browser.js';

/** A store at `dir/staging.db` in a new temp dir named from `prefix`, with tokens for rafael (reviewer) and olga (operator). */
export function openReviewStore(prefix: string): { dir: string; store: StagingStore; reviewer: string; operator: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = new StagingStore(join(dir, 'staging.db'));
  const reviewer = store.createToken('rafael', 'reviewer').token;
  const operator = store.createToken('olga', 'operator').token;
  return { dir, store, reviewer, operator };
}

/** A re-insert target (FakeTarget at `dir/target.db`) holding dbo.T as the staging fixtures lay it out (LAYOUTS['dbo.T']). */
export function dboTTarget(dir: string): FakeTarget {
  return new FakeTarget(join(dir, 'target.db'), new Map([['dbo.T', fromLayout(LAYOUTS['dbo.T']!)]]));
}

/**
 * The API app of a browser test: `store`, the silent logger, every job spec accepted unchecked (the
 * tests stage their jobs themselves, naming files that do not exist), and `options` (targets,
 * connectTarget, a fake source…).
 */
export function reviewApp(store: StagingStore, options: Omit<Parameters<typeof buildApp>[0], 'store' | 'logger'> = {}): Promise<FastifyInstance> {
  return buildApp({ store, logger: silentLogger, validateJob: async () => {}, ...options });
}

/**
 * A finished files job of `rows` (staged as a worker stages them: running, layouts, one batch,
 * succeeded), as the review page's tests set one up; its id. `spec` defaults to one offline log.
 */
export function stagedJob(store: StagingStore, rows: Parameters<StagingStore['stageBatch']>[1], o: { layouts?: Parameters<StagingStore['saveJobTables']>[1]; description?: string; spec?: Record<string, unknown> } = {}): number {
  const job = store.createJob({ kind: 'files', spec: o.spec ?? { ldf: '/evidence/crm.ldf' }, description: o.description ?? 'offline', createdBy: 'olga' });
  store.setJobState(job.id, 'running');
  store.saveJobTables(job.id, o.layouts ?? Object.values(LAYOUTS));
  store.stageBatch(job.id, rows);
  store.setJobState(job.id, 'succeeded');
  return job.id;
}

/** `n` delete rows of dbo.T (Id 1..n, Name 'row i') on a corpus row image (test/staging/fixtures.ts), LSNs 0000002a:00000100:000i: test data. */
export function numberedDeletes(n: number): Parameters<StagingStore['stageBatch']>[1] {
  const base = corpusRows(1)[0]!;
  return Array.from({ length: n }, (_, k) => ({ ...base, lsn: `0000002a:00000100:${(k + 1).toString(16).padStart(4, '0')}`, operation: 'delete' as const, values: { Id: k + 1, Name: `row ${k + 1}` } }));
}

/**
 * Approves every row of job `jobId` (as `reviewer`), then starts a real re-insert run of it (as
 * `operator`, with `payload`) whose first batch commits in the target and whose service then stops
 * before staging records it (the afterTargetCommit hook throws once): that batch stays `planned`
 * and may have committed. Expects the run to end failed; its id.
 */
export async function runStoppedAfterFirstCommit(app: FastifyInstance, t: { reviewer: string; operator: string }, jobId: number, rows: number, payload: Record<string, unknown>): Promise<number> {
  const auth = (tok: string) => ({ authorization: `Bearer ${tok}` });
  const d = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth(t.reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
  expect(d.json().rows).toBe(rows);
  app.reinsert.hooks = stopOnceAfterTargetCommit();
  const run = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth(t.operator), payload: { dryRun: false, ...payload } });
  expect(run.statusCode, run.body).toBe(202);
  const runId = run.json().id as number;
  await app.reinsert.wait(runId);
  app.reinsert.hooks = undefined;
  expect(app.reinsert.getRun(runId)!.state).toBe('failed');
  return runId;
}

/** The API app options a browser test gives beyond reviewApp's own (targets, connectTarget, a fake source…). */
export type ReviewAppOptions = Parameters<typeof reviewApp>[1];

/**
 * What a browser test of the review page works with (reviewDesk), set in its beforeAll: the store
 * and its temp dir, the reviewer's and operator's tokens, the app, the page served and opened.
 */
export interface ReviewDesk {
  dir: string;
  store: StagingStore;
  reviewer: string;
  operator: string;
  app: FastifyInstance;
  base: string;
  ctx: BrowserContext;
  page: Page;
  /** A dboTTarget at `dir`, made only when the desk is asked for one (`target: true`). */
  target: FakeTarget;
}

/**
 * For a describe block of the review page's browser tests: the set-up a dozen of them wrote out —
 * beforeAll opens a store in a temp dir named from `prefix` (openReviewStore), makes the dbo.T
 * target when `o.target`, lets `o.stage` stage the test's jobs, builds the app (reviewApp with
 * `o.app(desk)`'s options), lets `o.before` drive it through the API, then serves the page in
 * chromium (`o.browser`: launchChromium's options) and hands it to `o.served` (listeners on the
 * page); afterAll closes them all and removes the dir.
 * Returns the desk, filled in once beforeAll ran: read it inside the tests (`desk.page`).
 */
export function reviewDesk(prefix: string, o: {
  target?: boolean;
  stage?: (d: ReviewDesk) => void;
  app?: (d: ReviewDesk) => ReviewAppOptions;
  before?: (d: ReviewDesk) => Promise<void>;
  served?: (d: ReviewDesk) => void;
  browser?: Parameters<typeof launchChromium>[1];
} = {}): ReviewDesk {
  const d = {} as ReviewDesk;
  beforeAll(async () => {
    Object.assign(d, openReviewStore(prefix));
    if (o.target) d.target = dboTTarget(d.dir);
    o.stage?.(d);
    d.app = await reviewApp(d.store, o.app?.(d) ?? {});
    await o.before?.(d);
    Object.assign(d, await serveReviewPage(d.app, d.dir, o.browser));
    o.served?.(d);
  }, 120_000);
  afterAll(async () => {
    d.target?.dispose();
    await closeReviewPage({ ctx: d.ctx, app: d.app, store: d.store, dir: d.dir });
  });
  return d;
}

/**
 * Signs in as the desk's reviewer, opens the first job of the list and waits (15 s at most) until
 * the page line counts `rows` matching rows: the first steps of most review-page tests.
 */
export async function openFirstJob(d: ReviewDesk, rows: number): Promise<void> {
  await signIn(d.page, d.base, d.reviewer);
  await d.page.locator('#job-list li').first().click();
  await expect.poll(() => d.page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain(`${rows} matching rows`);
}

/** The configured target 'side' the stopped-run page tests re-insert into (its password is never shown). */
export const SIDE_TARGETS = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM_restore' } };

/**
 * A reviewDesk whose one files job holds `o.rows` numberedDeletes of dbo.T, all approved, and a real
 * re-insert run of it into target 'side' (`o.run`: the request's other fields; batchSize 2 unless
 * given) stopped after its first batch committed in the target (runStoppedAfterFirstCommit). `o.got`
 * receives the job's and the run's ids once made (before the page is served); `o.connect` may give
 * the run another FakeTarget over the desk's target file (a catalog with a side table); `o.served`
 * as reviewDesk's. The set-up three review-page tests of held rows each wrote out.
 */
export function stoppedRunDesk(prefix: string, o: { rows: number; run?: Record<string, unknown>; got: (jobId: number, runId: number) => void; connect?: (target: FakeTarget) => FakeTarget; served?: (d: ReviewDesk) => void }): ReviewDesk {
  let jobId = 0;
  return reviewDesk(prefix, {
    target: true,
    stage: ({ store }) => {
      jobId = stagedJob(store, numberedDeletes(o.rows), { layouts: [LAYOUTS['dbo.T']!], description: 'deletes' });
    },
    app: ({ target }) => {
      const t = o.connect ? o.connect(target) : target;
      return { targets: SIDE_TARGETS, connectTarget: () => t };
    },
    before: async ({ app, reviewer, operator }) => {
      const runId = await runStoppedAfterFirstCommit(app, { reviewer, operator }, jobId, o.rows, { targetName: 'side', batchSize: 2, ...o.run });
      o.got(jobId, runId);
    },
    ...(o.served ? { served: o.served } : {}),
  });
}

/**
 * A desk (reviewDesk, `prefix`) whose target `side` is the desk's FakeTarget, staging one job of three
 * rows of the one table that target holds (the corpus examples cycle through tables), all approved by
 * rafael, its scan whole: the set-up of the dry-run and run tests. `jobId()` is the job's id once staged.
 */
export function threeApprovedRowsDesk(prefix: string): { desk: ReviewDesk; jobId: () => number } {
  let jobId = 0;
  const desk = reviewDesk(prefix, {
    target: true,
    stage: ({ store }) => {
      const all = corpusRows(60);
      jobId = stagedJob(store, all.filter((r) => r.table === all[0]!.table).slice(0, 3), { description: 'three' });
      store.setJobCompleteness(jobId, [], []);
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
    },
    app: ({ target }) => ({ targets: SIDE_TARGETS, connectTarget: () => target }),
  });
  return { desk, jobId: () => jobId };
}

/**
 * A desk (reviewDesk, `prefix`) of one job of `rows` deletes of dbo.T (the corpus example
 * lc-nvarchar, Id 1…rows), all approved, and an operator's real run of it through target 'side' whose
 * tableMap sends dbo.T to the side table dbo.`sideName` (`sideMap`: that table as the request names
 * it, `dbo.T_check`, `dbo.[T check, x]`); the desk's target holds dbo.T and the side table. `ids` is
 * filled in before the page is served. The set-up of the side-table page tests.
 */
export function sideTableRunDesk(prefix: string, o: { rows: number; sideName: string; sideMap: string }): { desk: ReviewDesk; ids: { jobId: number; runId: number } } {
  const ids = { jobId: 0, runId: 0 };
  const targets: Record<string, ConfiguredTargetSpec> = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM' } };
  const desk = reviewDesk(prefix, {
    stage: (d) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      ids.jobId = stagedJob(d.store, Array.from({ length: o.rows }, (_, k) => ({ ...base0, lsn: `0000002a:00000100:000${k + 1}`, operation: 'delete' as const, values: { Id: k + 1, Name: `deleted ${k + 1}` } })), { layouts: [LAYOUTS['dbo.T']!] });
      const t = fromLayout(LAYOUTS['dbo.T']!);
      d.target = new FakeTarget(join(d.dir, 'side-target.db'), new Map([['dbo.T', t], [stagedTableName({ schema: 'dbo', name: o.sideName }), { ...t, name: o.sideName }]]));
    },
    app: ({ target }) => ({ targets, connectTarget: () => target }),
    before: async ({ app, reviewer, operator }) => {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      await app.inject({ method: 'POST', url: `/api/jobs/${ids.jobId}/decisions`, headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
      const r = await app.inject({ method: 'POST', url: `/api/jobs/${ids.jobId}/reinsert`, headers: auth(operator), payload: { dryRun: false, targetName: 'side', tableMap: { 'dbo.T': o.sideMap } } });
      expect(r.statusCode, r.body).toBe(202);
      ids.runId = r.json().id;
      await app.reinsert.wait(ids.runId);
      expect(app.reinsert.getRun(ids.runId)!.outcomes.inserted).toBe(o.rows);
    },
  });
  return { desk, ids };
}
