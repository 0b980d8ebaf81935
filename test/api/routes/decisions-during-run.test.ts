/**
 * A decision during a re-insert run, on a row the run holds. The run checks each batch's rows are
 * still approved before it sends the batch (execute.ts rowsNoLongerApproved), then awaits the
 * target; a reviewer who rejected a row of that batch meanwhile was answered 'Rejected 1 row(s)',
 * and the batch's outcome then marked the row reinserted over the rejection: the row was put back
 * against a decision the reviewer was told had been made. Such a decision is now refused, 409
 * STAGING_DECISION_RUN_ACTIVE naming the row, its batch and the run; nothing is decided or audited.
 * Rows the run does not hold are decided as before; a decision by filter leaves the held rows out
 * (decisions-held-back.test.ts), and which rows are held is one answer whichever asks (the row's
 * detail, the whole map, the decision). Rows: the fake source's; the target is the fake target (SQLite).
 */
import { expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { appWithFakeTarget, bearer } from '../helpers.js';

describeCorpus('a decision on a row a running re-insert run holds', () => {
  const env = appWithFakeTarget();

  it('is refused while the run may be putting it in; a row the run does not hold is decided', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const decide = (ids: number[]) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not ours after all', ids } });
    const answers: { held?: { statusCode: number; body: string }; free?: { statusCode: number; body: string }; detail?: unknown; agree?: boolean; decideAgrees?: boolean; heldBack?: number; heldRows?: number } = {};
    let rowId = 0;
    const pending = t.store.listRows(jobId, { status: 'pending' }, { limit: 1 }).items[0]!.id;
    t.app.reinsert.hooks = {
      beforeCommit: async (batch) => {
        if (rowId) return;
        rowId = batch.rows[0]!.rowId;
        answers.held = await decide([rowId]);
        answers.free = await decide([pending]);
        // the row's detail says what holds it (GET …/rows/:rowId heldBy)
        answers.detail = (await t.app.inject({ url: `/api/jobs/${jobId}/rows/${rowId}`, headers: bearer(t.tokens.reviewer) })).json().heldBy;
        // the one-row lookup the detail uses (rowHeldByRun, in SQL) agrees with the whole map the decisions use, row by row
        const all = t.store.rowsHeldByRuns(jobId);
        answers.agree = t.store.listRows(jobId, {}, { limit: 1000 }).items.every((r) => {
          const one = t.store.rowHeldByRun(jobId, r.id);
          const whole = all.get(r.id);
          return one === undefined ? whole === undefined : whole !== undefined && one.runId === whole.runId && one.batchNo === whole.batchNo;
        }) && all.size > 0;
        // and the decide path (a decision by filter leaves out the rows it finds held, in SQL) agrees
        // with both: of the rows it would change, it decided exactly those neither calls held
        const before = t.store.listRows(jobId, { status: ['pending', 'approved'] }, { limit: 1000 }).items.map((r) => r.id);
        const d = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not ours after all', filter: { status: ['pending', 'approved'] } } })).json() as { decisionId: number; heldBack?: { rows: number } };
        const decided = new Set((t.store.db.prepare('SELECT row_id AS id FROM decision_rows WHERE decision_id = ?').all(d.decisionId) as { id: number }[]).map((r) => r.id));
        answers.heldBack = d.heldBack?.rows;
        answers.heldRows = all.size;
        answers.decideAgrees = before.length > all.size && before.every((id) => decided.has(id) === (t.store.rowHeldByRun(jobId, id) === undefined) && decided.has(id) === !all.has(id));
      },
    };
    const target = { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', database: 'CRM' };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target } })).json();
    await t.app.reinsert.wait(run.id);
    t.app.reinsert.hooks = undefined;
    expect(rowId).toBeGreaterThan(0);
    expect(answers.held!.statusCode).toBe(409);
    const held = JSON.parse(answers.held!.body) as { code: string; message: string };
    expect(held.code).toBe('STAGING_DECISION_RUN_ACTIVE');
    expect(held.message).toContain(`#${rowId} (batch 1)`);
    expect(held.message).toContain(`re-insert run ${run.id} of job ${jobId}, running (started by olga)`);
    expect(held.message).toContain('nothing was decided');
    expect(t.store.getRow(jobId, rowId)!.status).toBe('reinserted');
    expect(t.store.rowDecisions(rowId).map((d) => d.decision)).toEqual(['approve']);
    expect(answers.detail).toEqual({ runId: run.id, batchNo: 1, state: 'running' });
    expect(answers.agree).toBe(true);
    expect(answers.decideAgrees).toBe(true);
    expect(answers.heldBack).toBe(answers.heldRows);
    expect((await t.app.inject({ url: `/api/jobs/${jobId}/rows/${rowId}`, headers: bearer(t.tokens.reviewer) })).json().heldBy).toBeNull();
    expect(answers.free!.statusCode).toBe(200);
    expect(t.store.getRow(jobId, pending)!.status).toBe('rejected');
    // after the run: decided as before (a reinserted row is past review: nothing changes, said)
    const after = await decide([rowId]);
    expect([after.statusCode, after.json().rows]).toEqual([200, 0]);
  });
});
