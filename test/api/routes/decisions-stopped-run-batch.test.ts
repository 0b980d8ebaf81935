import { expect, it } from 'vitest';
import { ReinsertService } from '../../../src/reinsert/service.js';
import { describeCorpus } from '../../support/corpus.js';
import { corpusRows } from '../../staging/fixtures.js';
import { approvedTrailJob, connectLostAtRunStart, stopOnceAfterTargetCommit, storeAndTarget, targetTables } from '../../reinsert/fake-target.js';
import { runRemaining } from '../../../src/api/run-details.js';

/**
 * A run that stopped (the service stopped, a connection lost) after its batch committed in the
 * target and before staging recorded it: the batch is still planned, its rows approved. A reviewer
 * rejecting one of them was answered "Rejected 1 row(s)", and the next run of the job read the
 * target's ledger and marked the row reinserted over the rejection: the row was back in the table
 * all along, the reviewer told otherwise. Such a batch (a stopped run's first planned one, or one an
 * error answered at COMMIT) now holds its rows as a running run's do: 409
 * STAGING_DECISION_RUN_ACTIVE naming the run, batch and the resume, nothing decided, until a later
 * run of the job has read the ledger. Rows: the corpus examples (test/staging/fixtures.ts).
 */
describeCorpus('a decision on a row of a stopped run\'s batch that may have committed', () => {
  const env = storeAndTarget('rowback-decide-stopped-', () => {
    const m = targetTables();
    m.set('dbo.Trail_check', { ...m.get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'Trail_check' });
    return m;
  });
  const spec = { connectionString: 'Server=fake', database: 'CRM' };

  it('is refused until a later run has read the ledger; then the row is known reinserted and rows of batches that never ran are decided', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: stopOnceAfterTargetCommit() });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const batch = (n: number) => JSON.parse((env.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND batch_no = ?').get(a.id, n) as { row_ids: string }).row_ids) as number[];
    const [x] = batch(1);
    const decisions = env.store.decisions(job).length;
    expect(() => env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not this one', ids: [x!] })).toThrow(expect.objectContaining({
      code: 'STAGING_DECISION_RUN_ACTIVE',
      message: expect.stringContaining(`is in a batch re-insert run ${a.id} of job ${job} (started by op, failed) sent to the target and never recorded: #${x} (batch 1); it may have committed before the run stopped`),
    }));
    expect([env.store.getRow(job, x!)!.status, env.store.decisions(job).length]).toEqual(['approved', decisions]);
    // a row of batch 2, which never ran: decided as ever
    const [y] = batch(2);
    expect(env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not this one', ids: [y!] }).rows).toBe(1);
    // the next run reads the ledger: batch 1 was in, its rows reinserted (run A's), then decided as ever (rows: 0, past review)
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(b.id);
    expect(env.store.getRow(job, x!)!.status).toBe('reinserted');
    const after = env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not this one', ids: [x!] });
    expect(after.rows).toBe(0);
  });

  it('a stopped run whose first batch did not commit holds its rows only until a later run of the job has read the ledger (here one into a side table, its rows still approved)', async () => {
    // run A's connection is lost before its first batch (its target's ledger not even read): every
    // batch still planned, the first one not known from staging alone not to have committed
    const svc = new ReinsertService(env.store, { connect: connectLostAtRunStart(env) });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const [x] = JSON.parse((env.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND batch_no = 1').get(a.id) as { row_ids: string }).row_ids) as number[];
    // not known from staging alone: refused; the way on says what a resume does with a batch that
    // did not commit (it runs it: the rows, still approved, go in), which it left unsaid: the reviewer
    // who asked for the resume to reject a row found it put back, the rejection then changing nothing
    expect(() => env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not this one', ids: [x!] })).toThrow(expect.objectContaining({
      code: 'STAGING_DECISION_RUN_ACTIVE',
      message: expect.stringContaining(`resume run ${a.id} (POST /api/reinsert-runs/${a.id}/resume) to read the target's ledger (rows it put in become reinserted; a batch the ledger does not hold then runs, and its rows, still approved, go in too; its undo deletes either)`),
    }));
    // a run of the job into another database reads another ledger: run A's batch 1 is still not known
    const elsewhere = await svc.start(job, 'op', { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM_other' }, batchSize: 4, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Trail_check' }, acceptOtherDatabase: true });
    await svc.wait(elsewhere.id);
    expect(svc.getRun(elsewhere.id)!.outcomes.inserted).toBeGreaterThan(0);
    expect(() => env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not this one', ids: [x!] })).toThrow(expect.objectContaining({ code: 'STAGING_DECISION_RUN_ACTIVE' }));
    // a run of the job into a side table of run A's database reads its ledger first: batch 1 of run A is not there
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Trail_check' } });
    await svc.wait(b.id);
    expect(svc.getRun(b.id)!.state).toBe('succeeded');
    expect(env.store.getRow(job, x!)!.status).toBe('approved');
    expect(env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not this one', ids: [x!] }).rows).toBe(1);
  });

  it('a stopped run into a side table holds none of its rows: recorded from the ledger they stay as decided (approved or rejected), never back in their own table; the operator need not resume a check run to let them be decided', async () => {
    // run A: a check run into a side table of a restore database; batch 1 commits there, then the
    // service stops before staging records it. The operator moves on (never resumes A); before, the
    // reviewer's rejection of a row of batch 1 was refused (STAGING_DECISION_RUN_ACTIVE: "back in the
    // table already") until A was resumed, though the ledger's answer leaves such a row's status alone
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: stopOnceAfterTargetCommit() });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM_restore' }, batchSize: 4, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Trail_check' }, acceptOtherDatabase: true });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const [x] = JSON.parse((env.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND batch_no = 1').get(a.id) as { row_ids: string }).row_ids) as number[];
    expect(env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not this one', ids: [x!] }).rows).toBe(1);
    expect((await runRemaining(env.store, a.id)).mayBeIn).toEqual({ batches: [], rows: 0 });
    // not held, but the run's page still says batch 1 may be in the side table (it named none of it)
    const batch1 = JSON.parse((env.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND batch_no = 1').get(a.id) as { row_ids: string }).row_ids) as number[];
    expect((await runRemaining(env.store, a.id)).mayBeInSideTable).toEqual({ batches: [1], rows: batch1.length, tables: [{ table: 'dbo.Trail_check', rows: batch1.length }] });
    // when A is resumed after all, its batch 1 is read from the ledger (into the side table): the rejection stands
    const resumed = await svc.resume(a.id, 'op', { connectionString: 'Server=fake', database: 'CRM_restore' });
    await svc.wait(resumed.id);
    expect((env.store.db.prepare('SELECT state FROM reinsert_batches WHERE run_id = ? AND batch_no = 1').get(a.id) as { state: string }).state).toBe('committed');
    expect(env.store.getRow(job, x!)!.status).toBe('rejected');
  });
});
