/**
 * A decision refused because re-insert runs hold its rows (409 STAGING_DECISION_RUN_ACTIVE), when
 * two runs of the job hold them: a stopped run's batch that may have committed unrecorded (run A,
 * failed) and a running run's batch (run B, into another database). The refusal was written from
 * the first row's run alone: "#1 (batch 1) and 4 of another stopped run" of rows a run was putting
 * in at that moment, its way on only "resume run A" (which settles none of run B's rows); with the
 * running run's row first, every row was listed as in the running run, a stopped run's rows with
 * its batch numbers. Now each run is named with its own rows, batches, state and way on, as a
 * decision by filter's heldBack and note name them. Rows: the corpus examples
 * (test/staging/fixtures.ts); the target is the fake target (SQLite).
 */
import { expect, it } from 'vitest';
import { ReinsertService } from '../../../src/reinsert/service.js';
import { describeCorpus } from '../../support/corpus.js';
import { corpusRows } from '../../staging/fixtures.js';
import { approvedTrailJob, connectLostAtRunStart, storeAndTarget } from '../../reinsert/fake-target.js';

describeCorpus('a decision refused over rows two re-insert runs hold (one stopped, one running)', () => {
  const env = storeAndTarget('rowback-decide-two-runs-');
  const spec = { connectionString: 'Server=fake', database: 'CRM' };

  it('names each run with its own rows, state and way on, by ids and by filter', async () => {
    // run A's connection is lost before its first batch: every batch still planned, the first not
    // known from staging alone not to have committed (held until a run into the same target reads its ledger)
    const svc = new ReinsertService(env.store, { connect: connectLostAtRunStart(env) });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const batchOf = (runId: number, n: number) => JSON.parse((env.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND batch_no = ?').get(runId, n) as { row_ids: string }).row_ids) as number[];
    // run A's batch 1 may have committed: its rows held; run B (another database) takes rows of A's batch 2
    const inDoubt = [...batchOf(a.id, 1)].sort((x, y) => x - y);
    const bRows = [...batchOf(a.id, 2)].sort((x, y) => x - y);
    // every other row rejected: the approved rows are those the two runs hold
    const others = env.store.listRows(job, { status: 'approved' }, { limit: 1000 }).items.map((r) => r.id).filter((id) => !inDoubt.includes(id) && !bRows.includes(id));
    env.store.decide(job, { actor: 'rev', decision: 'reject', reason: 'not these', ids: others });
    const answers: unknown[] = [];
    let bId = 0;
    let once = false;
    svc.hooks = {
      beforeCommit: () => {
        if (once) return;
        once = true;
        for (const d of [
          // the stopped run's row first, then the running run's
          { ids: [inDoubt[0]!, bRows[0]!] },
          // every row it would change held, by both runs
          { filter: { status: 'approved' as const } },
        ]) {
          try { env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not these', ...d }); answers.push('decided'); } catch (e) { answers.push(e); }
        }
      },
    };
    const b = await svc.start(job, 'op', { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM_other' }, acceptOtherDatabase: true, batchSize: 2, rowIds: bRows });
    bId = b.id;
    await svc.wait(b.id);
    expect(once).toBe(true);
    const [byIds, byFilter] = answers as { code: string; message: string }[];
    for (const e of [byIds, byFilter]) expect(e).toMatchObject({ code: 'STAGING_DECISION_RUN_ACTIVE' });
    const [b1] = batchOf(bId, 1);
    // by ids: each run with its row, its state and its way on; never "of another stopped run"
    expect(byIds!.message).not.toContain('another stopped run');
    expect(byIds!.message).toContain(`2 of the rows this decision would change are held by 2 re-insert runs of job ${job}:`);
    expect(byIds!.message).toContain(`1 in a batch re-insert run ${a.id} (started by op, failed) sent to the target and never recorded, which may have committed before the run stopped (then back in the table already, whatever this decision says): #${inDoubt[0]} (batch 1)`);
    expect(byIds!.message).toContain(`1 in re-insert run ${bId}, running (started by op), which may be putting them in now, over the decision: #${bRows[0]} (batch 1)`);
    expect(byIds!.message).toContain(`nothing was decided: resume run ${a.id} (POST /api/reinsert-runs/${a.id}/resume)`);
    expect(byIds!.message).toContain(`; decide run ${bId}'s rows when it has ended (GET /api/reinsert-runs/${bId})`);
    expect(byIds!.message).toContain(', or leave them out of this decision');
    // by filter, every row held: the same, each run's rows listed under it
    expect(byFilter!.message).toContain(`every one of the ${inDoubt.length + bRows.length} rows this decision would change is held by 2 re-insert runs of job ${job}:`);
    expect(byFilter!.message).toContain(`${inDoubt.length} in a batch re-insert run ${a.id} (started by op, failed) sent to the target and never recorded, which may have committed before the run stopped (then back in the table already, whatever this decision says): ${inDoubt.map((id) => `#${id} (batch 1)`).join(', ')};`);
    expect(byFilter!.message).toContain(`${bRows.length} in re-insert run ${bId}, running (started by op), which may be putting them in now, over the decision: #${b1} (batch 1)`);
    expect(byFilter!.message).not.toContain('another stopped run');
    // nothing decided by either
    expect([...inDoubt, ...bRows].every((id) => env.store.getRow(job, id)!.status !== 'rejected')).toBe(true);
  });
});
