import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A failed run's `remaining` counts the rows another job's run has put back since into the same
 * place (never twice across jobs): a resume fails their batches again (REINSERT_ALREADY_REINSERTED).
 * Before, `remaining` said only `notApproved: 0`, and the page offered Resume as if every row left
 * would go in; the resumed run ended failed again.
 */
describeCorpus('a failed run: rows left that another job put back since', () => {
  const env = appWithFakeTarget();

  it('remaining.elsewhere counts them, and the resume fails exactly their batches', async () => {
    const { t } = env;
    const a = await env.approvedTrailJob();
    const b = await env.approvedTrailJob();
    const target = { connectionString: 'Server=crm-sql;Password=p4ss', database: 'crm' };
    let n = 0;
    t.app.reinsert.hooks = { beforeCommit: () => { if (++n >= 2) throw new Error('connection reset by peer'); } };
    const runB = (await t.app.inject({ method: 'POST', url: `/api/jobs/${b}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 1, target } })).json();
    await t.app.reinsert.wait(runB.id);
    t.app.reinsert.hooks = undefined;
    const get = async () => (await t.app.inject({ url: `/api/reinsert-runs/${runB.id}`, headers: bearer(t.tokens.viewer) })).json();
    const before = await get();
    expect(before.state).toBe('failed');
    expect(before.remaining.elsewhere).toBe(0);
    expect(before.remaining.notApproved).toBe(0);

    // job A, one of its rows rejected, puts back the others
    const last = (t.store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND status = 'approved' ORDER BY id DESC LIMIT 1").get(a) as { id: number }).id;
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${a}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'test', ids: [last] } })).statusCode).toBe(200);
    // job A puts back what it may (not B's committed batch, nor the batch B may have run unrecorded)
    const runA = (await t.app.inject({ method: 'POST', url: `/api/jobs/${a}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target } })).json();
    await t.app.reinsert.wait(runA.id);
    const byA = env.target.counts().rows - 1;
    expect(byA).toBeGreaterThan(0);

    const after = await get();
    expect(after.remaining.rows).toBe(before.remaining.rows);
    expect(after.remaining.notApproved).toBe(0);
    expect(after.remaining.elsewhere).toBe(byA);
    expect(after.remaining.elsewhere).toBeLessThan(after.remaining.rows);

    // resumed: the rows counted are exactly those whose batches fail again
    const resumed = await t.app.inject({ method: 'POST', url: `/api/reinsert-runs/${runB.id}/resume`, headers: bearer(t.tokens.operator), payload: { target } });
    expect(resumed.statusCode, resumed.body).toBe(202);
    await t.app.reinsert.wait(runB.id);
    const end = (await t.app.inject({ url: `/api/reinsert-runs/${runB.id}`, headers: bearer(t.tokens.operator) })).json();
    expect(end.state).toBe('failed');
    const again = end.batches.filter((x: { failure: { code: string } | null }) => x.failure?.code === 'REINSERT_ALREADY_REINSERTED');
    expect(again.reduce((s: number, x: { rows: number }) => s + x.rows, 0)).toBe(after.remaining.elsewhere);
    expect(end.remaining.elsewhere).toBe(after.remaining.elsewhere);
  });
  it('counts them also when the run\'s tableMap was spelled otherwise, and counts those of a run that began after it (a resume begins after every run)', async () => {
    const { t } = env;
    // a side table dbo.Side with the columns of dbo.LogTestTrailNull
    const tables = (env.target as unknown as { tables: Map<string, TargetTable> }).tables;
    tables.set('dbo.Side', { ...tables.get('dbo.LogTestTrailNull')!, name: 'Side' });
    const a = await env.approvedTrailJob();
    const b = await env.approvedTrailJob();
    const target = { connectionString: 'Server=crm-sql;Password=p4ss', database: 'crm' };
    let n = 0;
    t.app.reinsert.hooks = { beforeCommit: () => { if (++n >= 2) throw new Error('connection reset by peer'); } };
    const runB = (await t.app.inject({ method: 'POST', url: `/api/jobs/${b}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 1, target, tableMap: { '[dbo].[logtesttrailnull]': 'Side' } } })).json();
    await t.app.reinsert.wait(runB.id);
    expect(t.app.reinsert.getRun(runB.id)!.state).toBe('failed');
    // job A's run into dbo.Side pauses after its first batch went in, before staging records it
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let reached!: () => void;
    const paused = new Promise<void>((r) => { reached = r; });
    t.app.reinsert.hooks = { afterTargetCommit: async () => { reached(); await gate; } };
    const runA = (await t.app.inject({ method: 'POST', url: `/api/jobs/${a}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Side' } } })).json();
    expect(runA.id).toBeGreaterThan(runB.id);
    await paused;
    let held: { remaining: { rows: number; elsewhere: number } };
    try {
      held = (await t.app.inject({ url: `/api/reinsert-runs/${runB.id}`, headers: bearer(t.tokens.viewer) })).json();
    } finally {
      release();
    }
    // every row B has left is held by A's running run: a resume now fails them all
    expect(held.remaining.elsewhere).toBe(held.remaining.rows);
    t.app.reinsert.hooks = undefined;
    await t.app.reinsert.wait(runA.id);
    const after = (await t.app.inject({ url: `/api/reinsert-runs/${runB.id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(after.remaining.elsewhere).toBe(after.remaining.rows);
  });
});
