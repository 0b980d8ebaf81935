import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, stopOnceAfterTargetCommit, storeAndTarget, targetTables } from './fake-target.js';

/**
 * A run's batch committed in the target but not recorded (the service stopped after its COMMIT):
 * the run ended failed, its undo written from what it had recorded, naming the batch's rows "its
 * batch did not run". The next run of the job finds the batch in the target's ledger and records
 * it (execute.ts): the first run's answer then counted its rows inserted while its undo deleted
 * none of them; run by hand, it left them in the table (a side table, or the rows' own one). The
 * undo is now written again, deleting them from where the run put them.
 * Rows: the corpus examples (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull (no key) per 60.
 */
describeCorpus('re-insert: the undo of a run whose batch a later run recorded from the ledger', () => {
  const env = storeAndTarget('rowback-undo-earlier-', () => {
    const m = targetTables();
    m.set('dbo.Trail_check', { ...m.get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'Trail_check' });
    return m;
  });
  const spec = { connectionString: 'Server=fake', database: 'CRM' };
  const deletes = (undo: string) => undo.split('\n').filter((l) => l.startsWith('DELETE TOP (1) FROM'));

  for (const [what, tableMap, table] of [['into a side table', { 'dbo.LogTestTrailNull': 'dbo.Trail_check' }, '[CRM].[dbo].[Trail_check]'], ['into the rows\' own table', undefined, '[CRM].[dbo].[LogTestTrailNull]']] as const) {
    it(`a run ${what}: its undo deletes the rows of the batch recorded later, from where it put them`, async () => {
      const svc = new ReinsertService(env.store, { connect: env.connect, hooks: stopOnceAfterTargetCommit() });
      const job = approvedTrailJob(env.store, corpusRows(60));
      const a = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
      await svc.wait(a.id);
      expect(svc.getRun(a.id)!.state).toBe('failed');
      expect(deletes(svc.script(a.id)!.undoScript!)).toHaveLength(0);
      const b = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
      await svc.wait(b.id);
      expect(svc.getRun(a.id)!.outcomes.inserted).toBe(4);
      const undo = svc.script(a.id)!.undoScript!;
      expect(undo).toContain(`written again after re-insert run ${b.id} found batches of this run committed in the target's ledger`);
      const aRows = (env.store.db.prepare("SELECT row_id FROM reinsert_outcomes WHERE run_id = ? AND outcome = 'inserted'").all(a.id) as { row_id: number }[]).map((r) => r.row_id);
      expect(aRows).toHaveLength(4);
      const lines = deletes(undo);
      expect(lines).toHaveLength(4);
      expect(lines.every((l) => l.startsWith(`DELETE TOP (1) FROM ${table} WHERE`)), lines.join('\n')).toBe(true);
      for (const id of aRows) expect(undo).toContain(`@r${id}_p1`);
      // run B's own undo: its 6 rows, not A's
      expect(deletes(svc.script(b.id)!.undoScript!)).toHaveLength(6);
    });
  }
});
