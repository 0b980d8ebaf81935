/**
 * The set-up the review page's browser tests (test/e2e) each wrote: a staging store in a fresh temp
 * dir with a reviewer's and an operator's token, a re-insert target holding dbo.T, the API app that
 * serves them (duplicates D1–D8 of session 21: the same lines in eight browser test files).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { StagingStore } from '../../src/staging/store.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeTarget } from '../reinsert/fake-target.js';
import { LAYOUTS } from '../staging/fixtures.js';

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
