import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { StagingError } from '../../src/errors.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';

/**
 * A restore job stages the rows of one comparison. They were committed batch by batch: a failure
 * part-way (a full disk) or a kill left a failed or resumable job holding the first batches, and
 * its resume compared again, from the files at the spec's paths (maybe changed since), keying the
 * rows a backup's pages give by their position in that new comparison (`state:<n>`), so a row of
 * the first attempt and another of the second could share a key (one dropped) or one row get two.
 * The job's layout, rows, notes and end are now one transaction: a failure leaves no row staged.
 * Corpus: RestoreTimeClean at 13:20 against the full + differential (12 rows, acceptOlderLater).
 */
describeCorpus('a restore job failing part-way through staging', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-restore-atomic-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds none of its rows; its resume stages all 12 once', async () => {
    const { FULL, DIFF, LOGS } = restoreTimeClean();
    const real = StagingStore.prototype.stageBatch;
    let calls = 0;
    const spy = vi.spyOn(StagingStore.prototype, 'stageBatch').mockImplementation(function (this: StagingStore, ...a: Parameters<StagingStore['stageBatch']>) {
      if (++calls === 2) throw new StagingError('STAGING_WRITE_FAILED', 'database or disk is full (SQLITE_FULL)');
      return real.apply(this, a);
    });
    const w = new JobWorker({ store, batchSize: 5 });
    const job = w.submit({ kind: 'restore', bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps', acceptOlderLater: true }, 'op');
    await w.idle();
    const failed = store.requireJob(job.id);
    expect([failed.state, failed.error?.message]).toEqual(['failed', 'database or disk is full (SQLITE_FULL)']);
    expect([failed.rowsStaged, store.countRows(job.id, {})]).toEqual([0, 0]);

    spy.mockRestore();
    w.resume(job.id, 'op');
    await w.idle();
    const done = store.requireJob(job.id);
    expect([done.state, done.rowsStaged, store.countRows(job.id, {})]).toEqual(['succeeded', 12, 12]);
  });
});
