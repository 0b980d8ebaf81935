import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { SourceError } from '../../src/errors.js';
import type { JobSpec } from '../../src/worker/job-spec.js';
import { describeCorpus } from '../support/corpus.js';
import { fakeRecover, fakeSource } from './fake-source.js';

/**
 * A resumed job keeps the skipped items its earlier attempts staged. The worker deleted them as a
 * resume began, before its source opened: a resume that then failed (the files moved, the server
 * unreachable, another database's files at the paths) left the rows the first attempt staged with
 * none of the items it passed over (`skippedCount` 0, GET …/skipped empty), and a live job whose log
 * was truncated since never gave them back. Now they stay, and a resume that derives an item again
 * (same code, reason and location) does not list it twice. Rows: the fake source's corpus row
 * images (test/staging/fixtures.ts) and its skips (every 50th row); the failures are SYNTHETIC.
 */
describeCorpus('a resume keeps the skipped items of the earlier attempt', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-resume-skipped-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const spec: JobSpec = { kind: 'files', ldf: '/evidence/crm.ldf' };
  const items = (id: number) => store.skippedItems(id).map((x) => [x.code, x.reason, x.location]);

  it('a resume that fails before reading leaves them; one that reads lists each once', async () => {
    const w1 = new JobWorker({ store, batchSize: 40, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 300, failAfter: 130, skipEvery: 50 }) });
    const job = w1.submit(spec, 'op');
    await w1.idle();
    const first = store.requireJob(job.id);
    expect(first.state).toBe('failed');
    const before = items(job.id);
    expect(before).toHaveLength(3);
    expect(first.skippedCount).toBe(3);

    // the source cannot be opened now (the evidence disk not mounted): the resume fails
    const w2 = new JobWorker({ store, batchSize: 40, openSource: async () => { throw new SourceError('SOURCE_NOT_FOUND', 'the log file /evidence/crm.ldf is not there'); }, recover: fakeRecover({ rows: 300 }) });
    w2.resume(job.id, 'op');
    await w2.idle();
    const failed = store.requireJob(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.rowsStaged).toBe(first.rowsStaged);
    // they were deleted: [] and 0
    expect(items(job.id)).toEqual(before);
    expect(failed.skippedCount).toBe(3);

    // read again to its end: the 3 items derived again are not listed twice, the 3 further ones added
    const w3 = new JobWorker({ store, batchSize: 40, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 300, skipEvery: 50 }) });
    w3.resume(job.id, 'op');
    await w3.idle();
    const done = store.requireJob(job.id);
    expect(done.state).toBe('succeeded');
    expect([done.rowsStaged, done.skippedCount]).toEqual([294, 6]);
    expect(items(job.id)).toHaveLength(6);
    expect(new Set(items(job.id).map((x) => JSON.stringify(x))).size).toBe(6);
    expect(items(job.id).slice(0, 3)).toEqual(before);
  });
});
