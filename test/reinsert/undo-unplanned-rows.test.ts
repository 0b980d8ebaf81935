import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { stopOnceAfterTargetCommit, storeAndTarget } from './fake-target.js';
import { appWithFakeTarget, bearer } from '../api/helpers.js';
import type { StagingStore } from '../../src/staging/store.js';

/**
 * An undo planned again offline (a run's undo written again after a later run recorded its batch
 * from the ledger, aa6e0c2e; the job's undo export) from the job's staged layouts, for rows of a
 * table the job has no layout of (the run, planned from the target's catalog, put them in): the
 * plan holds none of them, and the script said "(4 row(s) it inserted)", "deletes staged rows:
 * (none)" and deleted none of them, with no word of it. It now says so in a WARNING line naming the
 * rows and why, and prints it when run. Rows: the corpus examples (test/staging/fixtures.ts).
 */
function jobWithoutTrailLayout(store: StagingStore, rows = 60): number {
  const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' }).id;
  store.stageBatch(job, corpusRows(rows));
  store.saveJobTables(job, Object.values(LAYOUTS).filter((l) => l.name !== 'LogTestTrailNull'));
  store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
  return job;
}

describeCorpus('re-insert: an undo planned offline says the rows it cannot plan', () => {
  const env = storeAndTarget('rowback-undo-unplanned-');
  const spec = { connectionString: 'Server=fake', database: 'CRM' };

  it("a run's undo written again: the rows of its batch recorded later are named NOT DELETED, not left out unsaid", async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: stopOnceAfterTargetCommit() });
    const job = jobWithoutTrailLayout(env.store);
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(b.id);
    expect(svc.getRun(a.id)!.outcomes.inserted).toBe(4);
    const undo = svc.script(a.id)!.undoScript!;
    expect(undo).toContain('written again after re-insert run');
    expect(undo).toMatch(/-- WARNING: 4 row\(s\) put back NOT DELETED by this script \(they could not be planned: REINSERT_UNKNOWN_TABLE: [^\n]*the job has no layout of dbo\.LogTestTrailNull[^\n]*\): rows 5, 11, 17, 23; delete them by hand/);
    expect(undo).toContain("RAISERROR(N'rowback undo: 4 row(s) put back are NOT DELETED by this script (they could not be planned; rows 5, 11, 17, 23): see its WARNING lines; delete them by hand', 10, 1) WITH NOWAIT;");
  });
});

describeCorpus('re-insert: the undo export says the rows it cannot plan', () => {
  const env = appWithFakeTarget();
  it('undo-sql of a run into a table the job has no layout of names its rows NOT DELETED', async () => {
    const { t } = env;
    const job = jobWithoutTrailLayout(t.store, 120);
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${job}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM' } } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    // the run's own undo (the target's catalog) deletes its 20 rows
    expect(t.app.reinsert.script(run.json().id)!.undoScript!.split('\n').filter((l) => l.startsWith('DELETE TOP (1) FROM [CRM].[dbo].[LogTestTrailNull]'))).toHaveLength(20);
    const undo = await t.app.inject({ url: `/api/jobs/${job}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) });
    expect(undo.statusCode).toBe(200);
    expect(undo.body).toMatch(/-- WARNING: 20 row\(s\) put back NOT DELETED by this script \(they could not be planned: REINSERT_UNKNOWN_TABLE: /);
    expect(undo.body).toContain('rowback undo: 20 row(s) put back are NOT DELETED by this script');
  });
});
