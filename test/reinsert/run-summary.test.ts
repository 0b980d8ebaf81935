import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, FakeTarget, targetTables } from './fake-target.js';

/**
 * A finished run's summary keeps what was planned beside what happened: `finish` replaced the plan's
 * summary (rows, batches, tableOrder) with the outcome's counts, and the review page's runs table
 * showed no row count for every run that had ended (reviewer-page builder, session 16).
 */
describeCorpus('a finished re-insert run\'s summary', () => {
  it('holds the planned rows and table order with the outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-run-summary-'));
    const store = new StagingStore(join(dir, 'staging.db'));
    const target = new FakeTarget(join(dir, 'target.db'), targetTables());
    try {
      const job = { id: approvedTrailJob(store, corpusRows(60)) };
      const svc = new ReinsertService(store, { connect: () => target });
      const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=fake' }, batchSize: 4 });
      await svc.wait(run.id);
      expect(svc.getRun(run.id)).toMatchObject({ state: 'succeeded', summary: { rows: 10, batches: 3, tableOrder: ['dbo.LogTestTrailNull'], inserted: 10, conflicts: 0, failedBatches: 0, problems: 0 } });
    } finally {
      store.close();
      target.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
