import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, targetTables } from './fake-target.js';

/**
 * A dry run's or run's completeness warning (jobWarning, the script's WARNING line) says whether the
 * job was whole when its rows were read. dryRun/start read the job again after planning: a job that
 * finished while its rows were being read (the plan pauses every 500 rows) was said complete, no
 * warning, though the plan read its rows while it still staged. plan() now hands back the job as it
 * read it before the rows, and that is what the warning says.
 */
describeCorpus('the completeness warning is of the job as its rows were read', () => {
  for (const how of ['dryRun', 'start'] as const) {
    it(`${how}: a job that finishes while its rows are read is still said to have been staging`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rowback-warning-snapshot-'));
      const store = new StagingStore(join(dir, 'staging.db'));
      const target = new FakeTarget(join(dir, 'target.db'), targetTables());
      try {
        const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
        store.setJobState(job.id, 'running');
        store.stageBatch(job.id, corpusRows(60));
        store.saveJobTables(job.id, Object.values(LAYOUTS));
        store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', all: true } as never);
        // the job finishes (complete) once the planner has read the rows approved so far
        const iterate = store.iterateRows.bind(store);
        store.iterateRows = function* (...a: Parameters<StagingStore['iterateRows']>) {
          yield* iterate(...a);
          store.setJobState(job.id, 'succeeded');
          store.setJobCompleteness(job.id, []);
        } as StagingStore['iterateRows'];
        const svc = new ReinsertService(store, { connect: () => target });
        let warning: string | null | undefined;
        if (how === 'dryRun') {
          warning = (await svc.dryRun(job.id, 'rev', {})).jobWarning;
        } else {
          const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=fake;Password=x' }, acceptOtherDatabase: true });
          await svc.wait(run.id);
          warning = (store.audit({ jobId: job.id }).find((a) => a.action === 'reinsert.start')?.details as { jobWarning?: string }).jobWarning ?? null;
        }
        expect(store.requireJob(job.id).state).toBe('succeeded');
        expect(warning).toMatch(/^WARNING: whether job \d+'s result is complete is not known \(state running/);
      } finally {
        store.close();
        target.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
