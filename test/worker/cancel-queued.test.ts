import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import type { JobSpec } from '../../src/worker/job-spec.js';
import { describeCorpus } from '../support/corpus.js';
import { fakeRecover, fakeSource } from './fake-source.js';

/**
 * A job waiting in the queue can be cancelled: it never starts, is `cancelled` at once and resumes
 * like any cancelled job. Before, cancel answered "not running" for it (STAGING_JOB_NOT_RUNNING),
 * though the review page offers Cancel on a queued job: one queued by mistake (a wrong window)
 * behind a long scan had to wait its turn, run, and be cancelled then. A resume after the cancel
 * runs the job once: the first, cancelled turn in the queue does not start beside it.
 * Rows: the fake source's corpus row images (test/worker/fake-source.ts).
 */
describeCorpus('cancelling a queued job', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-cancel-queued-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const spec: JobSpec = { kind: 'files', ldf: '/evidence/crm.ldf' };

  it('never starts, is cancelled at once, and a resume runs it once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let opened = 0;
    // one job at a time: the first holds the queue until released
    const w = new JobWorker({ store, concurrency: 1, openSource: async () => { opened++; return fakeSource(); }, recover: fakeRecover({ rows: 5, beforeRow: (i) => (i === 0 && opened === 1 ? gate : undefined) }) });
    const first = w.submit(spec, 'olga');
    const second = w.submit(spec, 'olga');
    await new Promise((r) => setTimeout(r, 50));
    expect(store.requireJob(first.id).state).toBe('running');
    expect(store.requireJob(second.id).state).toBe('queued');

    expect(w.cancel(second.id, 'olga')).toBe(true);
    expect(store.requireJob(second.id)).toMatchObject({ state: 'cancelled', attempts: 0, startedAt: null });
    expect(store.audit({ jobId: second.id }).map((a) => [a.action, a.actor, a.details])).toEqual(expect.arrayContaining([['job.cancel', 'olga', { queued: true }]]));
    // cancelled already: a second cancel finds nothing to stop
    expect(w.cancel(second.id, 'olga')).toBe(false);

    // resumed while the first still runs: queued again, then runs once after the first
    w.resume(second.id, 'olga');
    release();
    await w.idle();
    expect(store.requireJob(first.id)).toMatchObject({ state: 'succeeded', rowsStaged: 5 });
    expect(store.requireJob(second.id)).toMatchObject({ state: 'succeeded', rowsStaged: 5, attempts: 1 });
    expect(opened).toBe(2);
    // a finished job: nothing to cancel
    expect(w.cancel(first.id, 'olga')).toBe(false);
  });

  it('a cancelled queued job stays cancelled when its turn comes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let opened = 0;
    const w = new JobWorker({ store, concurrency: 1, openSource: async () => { opened++; return fakeSource(); }, recover: fakeRecover({ rows: 3, beforeRow: (i) => (i === 0 && opened === 1 ? gate : undefined) }) });
    w.submit(spec, 'olga');
    const queued = w.submit(spec, 'olga');
    await new Promise((r) => setTimeout(r, 50));
    expect(w.cancel(queued.id, 'olga')).toBe(true);
    release();
    await w.idle();
    expect(store.requireJob(queued.id)).toMatchObject({ state: 'cancelled', attempts: 0, rowsStaged: 0 });
    expect(opened).toBe(1);
  });
});
