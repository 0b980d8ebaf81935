import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget } from './fake-target.js';

/**
 * A row is never inserted twice, also when two runs of one job overlap (a double-clicked Run, a
 * client retrying its POST, two operators) or a failed run is resumed after another run, or after
 * a reviewer rejected its rows. Key-less (heap) tables have no conflict check, so nothing in the
 * target stops a second insert: the service has to.
 */
describeCorpus('re-insert runs of one job that overlap', () => {
  const env = storeAndTarget('rowback-overlap-');

  /** `start`: the first row's number (its LSN): another job's rows of other deletes need their own. */
  const stage = (n: number, start = 0) => approvedTrailJob(env.store, corpusRows(n, start));
  const spec = { connectionString: 'Server=fake;Password=never-stored' };

  it('a second run started while one of the same job is running is refused (REINSERT_RUN_ACTIVE); nothing goes in twice', async () => {
    const jobId = stage(60);
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const both = await Promise.allSettled([
      svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 }),
      svc.start(jobId, 'op2', { dryRun: false, target: spec, batchSize: 3 }),
    ]);
    await svc.idle();
    const refused = both.filter((b) => b.status === 'rejected') as PromiseRejectedResult[];
    expect(refused).toHaveLength(1);
    expect((refused[0].reason as { code: string }).code).toBe('REINSERT_RUN_ACTIVE');
    expect((refused[0].reason as Error).message).toMatch(/run \d+ of job \d+ is running/);
    expect(env.target.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });

    // one after the other (the first still running when the second is asked for)
    // (other deletes than job 1's: the same ones would be left out as re-inserted by job 1, other-jobs.test.ts)
    const jobId2 = stage(60, 1000);
    const first = await svc.start(jobId2, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await expect(svc.start(jobId2, 'op', { dryRun: false, target: spec, batchSize: 3 })).rejects.toMatchObject({ code: 'REINSERT_RUN_ACTIVE' });
    await svc.wait(first.id);
    expect(env.target.counts().duplicates).toBe(0);
  });

  it('resuming a failed run after another run inserted its rows inserts nothing twice', async () => {
    const jobId = stage(60);
    let n = 0;
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: { beforeCommit: () => { if (++n === 2) throw new Error('target went away'); } } });
    const a = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    expect(env.target.counts().rows).toBe(7);
    svc.hooks = undefined;
    // the failed batch's 3 rows are still approved: a new run takes them
    const b = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(b.id);
    expect(env.target.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
    await svc.resume(a.id, 'op', spec);
    await svc.wait(a.id);
    expect(env.target.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
    const errs = svc.outcomes(a.id).filter((o) => o.outcome === 'error');
    expect(errs).toHaveLength(3);
    expect(JSON.stringify(errs[0].detail)).toMatch(/REINSERT_ROW_NOT_APPROVED.*reinserted/);
  });

  it('resuming a failed run does not insert rows a reviewer rejected since', async () => {
    const jobId = stage(60);
    let n = 0;
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: { beforeCommit: () => { if (++n === 2) throw new Error('target went away'); } } });
    const a = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(a.id);
    const failedIds = svc.outcomes(a.id).filter((o) => o.outcome === 'error').map((o) => o.rowId);
    expect(failedIds).toHaveLength(3);
    env.store.decide(jobId, { actor: 'rev', decision: 'reject', reason: 'not ours after all', ids: failedIds });
    svc.hooks = undefined;
    await svc.resume(a.id, 'op', spec);
    await svc.wait(a.id);
    expect(env.target.counts().rows).toBe(7);
    expect(env.store.countRows(jobId, { status: 'rejected' })).toBe(3);
    expect(JSON.stringify(svc.outcomes(a.id).find((o) => o.rowId === failedIds[0])!.detail)).toMatch(/REINSERT_ROW_NOT_APPROVED.*rejected/);
  });
});

describeCorpus('re-insert of chosen rows (rowIds)', () => {
  const env = storeAndTarget('rowback-rowids-');
  it('an id given twice is the row once; rows not approved are named with their status', async () => {
    const { store, target } = env;
    const jobId = approvedTrailJob(store, corpusRows(60));
    const ids = (store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull' ORDER BY id LIMIT 2").all(jobId) as { id: number }[]).map((r) => r.id);
    const other = (store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND tbl <> 'dbo.LogTestTrailNull' LIMIT 1").get(jobId) as { id: number }).id;
    const svc = new ReinsertService(store, { connect: () => target });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' }, rowIds: [ids[0], ids[0]] });
    await svc.wait(run.id);
    expect(target.counts()).toEqual({ rows: 1, distinctRows: 1, duplicates: 0 });
    await expect(svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' }, rowIds: [ids[1], other] }))
      .rejects.toMatchObject({ code: 'REINSERT_ROWS_NOT_APPROVED', message: expect.stringMatching(new RegExp(`1 of the requested rows are not approved rows of job \\d+: ${other} \\(pending\\)`)) });
  });
});
