/**
 * Rows a run left out as conflicts (their key already in the target) can be decided again when
 * named. No decision changed a conflict row: a DBA who removed the row in the way (the batch job's
 * re-created stub) could never put the recovered one back with rowback, nor send it to a side table
 * to compare. By id, or by a filter naming status 'conflict', they are approved or rejected again,
 * the answer saying they were conflicts; a filter or all: true not naming the status leaves them
 * (approving "everything" would send them to conflict again); re-inserted rows never change.
 * Real row images (the staging fixtures' corpus rows) into the SQLite stand-in target.
 */
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';
import type { StagingStore } from '../../src/staging/store.js';

const spec = { connectionString: 'Server=fake' };

/**
 * The corpus examples' 60 rows staged as a job in `env`'s store, `approve` deciding some of them, a
 * stub seeded at dbo.T's key Id = 1 (all its rows hold it: the same real row image), and a real run
 * into the fake target ended: the job, the service and the run.
 */
async function runIntoStub(env: ReturnType<typeof storeAndTarget>, approve: (store: StagingStore, jobId: number) => void): Promise<{ jobId: number; svc: ReinsertService; runId: number }> {
  const { store, target } = env;
  const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
  store.stageBatch(job.id, corpusRows(60));
  store.saveJobTables(job.id, Object.values(LAYOUTS));
  approve(store, job.id);
  target.seed('dbo.T', [1], { Id: 1, Name: 'stub re-created by the batch job' });
  const svc = new ReinsertService(store, { connect: () => target });
  const run = await svc.start(job.id, 'op', { dryRun: false, target: spec, batchSize: 4 });
  await svc.wait(run.id);
  return { jobId: job.id, svc, runId: run.id };
}

describeCorpus('conflict rows decided again', () => {
  const env = storeAndTarget('rowback-conflict-again-');

  /** A job whose dbo.T rows (10, all Id = 1) went to conflict against a seeded row; dbo.LogTestTrailNull's 10 re-inserted. */
  const afterConflictRun = async () => {
    const { jobId, svc, runId } = await runIntoStub(env, (store, id) => {
      for (const table of ['dbo.T', 'dbo.LogTestTrailNull']) store.decide(id, { actor: 'rev', decision: 'approve', reason: 'restore them', filter: { table } });
    });
    expect(svc.getRun(runId)!.outcomes).toEqual({ inserted: 10, conflict: 10, error: 0 });
    return { jobId, svc };
  };

  it('by id: a conflict row is approved again, the note says it was a conflict, and once the row in the way is gone a run puts it back', async () => {
    const { jobId, svc } = await afterConflictRun();
    const { store, target } = env;
    const conflicts = store.listRows(jobId, { status: 'conflict' }, { limit: 100 }).items.map((r) => r.id);
    expect(conflicts).toHaveLength(10);
    const one = conflicts[0]!;
    const d = store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'stub removed by hand', ids: [one] });
    expect(d.rows).toBe(1);
    expect(d.note).toContain('1 of the rows approved was a conflict');
    expect(d.note).toContain("tableMap puts it into a side table");
    expect(store.getRow(jobId, one)!.status).toBe('approved');
    expect(store.audit({ jobId }).filter((a) => a.action === 'rows.approve').at(-1)!.details).toMatchObject({ rows: 1, conflictsDecided: 1 });
    // the stub removed in the target: the next run inserts the row
    target.db.prepare("DELETE FROM target_rows WHERE tbl = 'dbo.T' AND sql = 'seed'").run();
    const again = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(again.id);
    expect(svc.getRun(again.id)!.outcomes).toEqual({ inserted: 1, conflict: 0, error: 0 });
    expect(store.getRow(jobId, one)!.status).toBe('reinserted');
    expect(store.countRows(jobId, { status: 'conflict' })).toBe(9);
  });

  it('by filter naming status conflict: rejected; a filter or all: true not naming it leaves them; re-inserted rows never change', async () => {
    const { jobId } = await afterConflictRun();
    const { store } = env;
    const all = store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'everything', all: true });
    expect(store.countRows(jobId, { status: 'conflict' })).toBe(10);
    // left, and said so with the way to name them (the answer said nothing of them before)
    expect(all.conflictsLeft).toBe(10);
    expect(all.note).toContain(`10 of the rows of job ${jobId} are conflicts (a run found their key, or a value of another unique index, in the target), left as they are: a conflict row is decided again only when named`);
    const rej = store.decide(jobId, { actor: 'rev', decision: 'reject', reason: 'keep the target as it is', filter: { status: 'conflict' } });
    expect(rej.rows).toBe(10);
    expect(rej.note).toBe('10 of the rows rejected were conflicts: they stay out of the target, their run outcome kept');
    expect(store.countRows(jobId, { status: 'conflict' })).toBe(0);
    expect(store.countRows(jobId, { status: 'rejected', table: 'dbo.T' })).toBe(10);
    const reinserted = store.listRows(jobId, { status: 'reinserted' }, { limit: 1 }).items[0]!.id;
    const none = store.decide(jobId, { actor: 'rev', decision: 'reject', reason: 'not again', ids: [reinserted] });
    expect([none.rows, none.note]).toEqual([0, 'nothing was decided: the one row given is already rejected or past review (reinserted)']);
    expect(store.getRow(jobId, reinserted)!.status).toBe('reinserted');
  });
});

describeCorpus('conflict rows a filter matches without naming them: left, and said so', () => {
  const env = storeAndTarget('rowback-conflict-left-');

  // A DBA removed the stub and approved "the table" again: the answer was "rows: 2" (the other
  // pending rows) with no word of the conflict rows the filter matched and left, or, with none
  // changed, "already approved or past review (reinserted, conflict)", as if they were back.
  it('a filter by table over conflict and pending rows: the pending ones approved, the note counts the conflicts left and how to name them', async () => {
    const { store } = env;
    const { jobId } = await runIntoStub(env, (st, id) => {
      const t = st.listRows(id, { table: 'dbo.T' }, { limit: 100 }).items.map((r) => r.id);
      st.decide(id, { actor: 'rev', decision: 'approve', reason: 'restore them', ids: t.slice(0, 8) });
    });
    const job = { id: jobId };
    expect(store.countRows(job.id, { status: 'conflict' })).toBe(8);
    const d = store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'stub removed', filter: { table: 'dbo.T' } });
    expect(d.rows).toBe(2);
    expect(d.conflictsLeft).toBe(8);
    expect(d.note).toBe('8 of the rows the filter matches are conflicts (a run found their key, or a value of another unique index, in the target), left as they are: a conflict row is decided again only when named, by ids or by a filter whose status names conflict (filter {"status": "conflict"}; on the review page, status conflict or the rows selected)');
    expect(store.audit({ jobId: job.id }).at(-1)!.details).toMatchObject({ rows: 2, conflictsLeft: 8 });
    // again: none changed, the note says which are conflicts rather than "past review" alone
    const again = store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'stub removed', filter: { table: 'dbo.T' } });
    expect(again.rows).toBe(0);
    expect(again.note).toBe('nothing was decided: each of the 10 rows the filter matches is already approved, re-inserted or a conflict not named; 8 of the rows the filter matches are conflicts (a run found their key, or a value of another unique index, in the target), left as they are: a conflict row is decided again only when named, by ids or by a filter whose status names conflict (filter {"status": "conflict"}; on the review page, status conflict or the rows selected)');
    // a filter naming another status matches no conflict row: nothing said of them
    const pend = store.decide(job.id, { actor: 'rev', decision: 'reject', reason: 'not these', filter: { table: 'dbo.T2', status: 'pending' } });
    expect(pend.conflictsLeft).toBeUndefined();
    // named: decided, nothing left
    const named = store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'stub removed', filter: { table: 'dbo.T', status: 'conflict' } });
    expect([named.rows, named.conflictsDecided, named.conflictsLeft]).toEqual([8, 8, undefined]);
  });
});

describeCorpus('a decision by a filter naming conflict sees a conflict row decided again since the count', () => {
  const env = storeAndTarget('rowback-conflict-stale-');

  // The exact check (asOf) took a row's status at the count from its decisions alone: a row a run
  // had made a conflict (no decision) and another reviewer rejected since read as 'approved' then,
  // outside the counted set, so it was not named; a run making another row a conflict meanwhile
  // kept the count, and the decision went through on a row the reviewer was never shown (t0) with
  // the one shown (c0) decided by someone else unsaid.
  it('conflict rows counted 10; one rejected by another reviewer and another row made a conflict by a run since: STAGING_DECISION_STALE, nothing decided', async () => {
    const { store, target } = env;
    const { jobId, svc } = await runIntoStub(env, (st, id) => { st.decide(id, { actor: 'rev', decision: 'approve', reason: 'restore them', filter: { table: 'dbo.T' } }); });
    const job = { id: jobId };
    expect(store.countRows(job.id, { status: 'conflict' })).toBe(10);
    // a row of another table approved before the count, its key in the target too
    const t0 = store.listRows(job.id, { table: 'dbo.T2' }, { limit: 1 }).items[0]!;
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'one of T2', ids: [t0.id] });
    target.seed('dbo.T2', [(t0.values as Record<string, unknown>).Id], { ...(t0.values as Record<string, unknown>) });
    // reviewer A counts the conflicts
    const asOf = store.decisionSnapshot(job.id, { status: 'conflict' }, 10);
    // reviewer B rejects one of them; a run makes t0 a conflict
    const c0 = store.listRows(job.id, { status: 'conflict' }, { limit: 1 }).items[0]!.id;
    store.decide(job.id, { actor: 'bea', decision: 'reject', reason: 'keep the stub', ids: [c0] });
    const r2 = await svc.start(job.id, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(r2.id);
    expect(store.getRow(job.id, t0.id)!.status).toBe('conflict');
    expect(store.countRows(job.id, { status: 'conflict' })).toBe(10);
    expect(() => store.decide(job.id, { actor: 'ann', decision: 'approve', reason: 'stubs removed', filter: { status: 'conflict' }, asOf }))
      .toThrow(expect.objectContaining({ code: 'STAGING_DECISION_STALE', message: expect.stringContaining(`#${c0} was decided since (rejected now; last rejected by bea`) }));
    expect(store.getRow(job.id, t0.id)!.status).toBe('conflict');
  });
});
