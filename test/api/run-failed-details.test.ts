import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';

/**
 * A failed re-insert run, as the review page shows it before its Resume: each failed batch's error
 * (its code for everyone, its message for operators only, as the run's own error), and what a
 * resume would run: the batches and rows not yet committed, and how many of those rows are no
 * longer approved (their batch would fail again).
 */
describeCorpus('a failed run: its failed batches and what is left', () => {
  const env = appWithFakeTarget();

  it('GET /api/reinsert-runs/:id names each failed batch\'s error (message for operators) and the rows left', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    let n = 0;
    t.app.reinsert.hooks = { beforeCommit: () => { if (++n === 2) throw new Error('connection reset by peer'); } };
    const target = { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', database: 'CRM' };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target } })).json();
    await t.app.reinsert.wait(run.id);
    t.app.reinsert.hooks = undefined;
    const get = (who: 'operator' | 'reviewer' | 'viewer') => t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens[who]) });

    const op = (await get('operator')).json();
    expect(op.state).toBe('failed');
    const failed = op.batches.filter((b: { state: string }) => b.state === 'failed');
    expect(failed.map((b: { batchNo: number }) => b.batchNo)).toEqual([2]);
    expect(failed[0].error).toBe(failed[0].rows); // the count of error outcomes, as before
    expect(failed[0].failure).toEqual({ code: 'REINSERT_BATCH_FAILED', message: expect.stringContaining('connection reset by peer') });
    expect(op.batches.filter((b: { state: string }) => b.state === 'committed').every((b: { failure: unknown; error: number }) => b.failure === null && b.error === 0)).toBe(true);
    expect(op.remaining).toEqual({ batches: 1, rows: failed[0].rows, notApproved: 0, elsewhere: 0, inSideTable: 0, mayBeIn: { batches: [], rows: 0 }, mayBeInSideTable: { batches: [], rows: 0, tables: [] } });
    // the rows it planned: its summary lost them when it ended (the page's runs table showed none)
    const planned = op.batches.reduce((s: number, b: { rows: number }) => s + b.rows, 0);
    expect(planned).toBeGreaterThan(4);
    expect(op.plannedRows).toBe(planned);
    expect((await t.app.inject({ url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens.viewer) })).json().items[0].plannedRows).toBe(planned);
    for (const who of ['reviewer', 'viewer'] as const) {
      const r = await get(who);
      expect(r.body).not.toContain('connection reset');
      expect(r.json().batches.find((b: { batchNo: number }) => b.batchNo === 2).failure).toEqual({ code: 'REINSERT_BATCH_FAILED', message: 'an operator can see the details' });
      expect(r.json().remaining).toEqual(op.remaining);
    }

    // a row of the failed batch rejected since: the resume would fail its batch again
    const left = op.rows.filter((o: { batchNo: number }) => o.batchNo === 2).map((o: { rowId: number }) => o.rowId);
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'wrong row', ids: [left[0]] } });
    expect(d.statusCode).toBe(200);
    expect((await get('operator')).json().remaining).toEqual({ batches: 1, rows: left.length, notApproved: 1, elsewhere: 0, inSideTable: 0, mayBeIn: { batches: [], rows: 0 }, mayBeInSideTable: { batches: [], rows: 0, tables: [] } });
    // resumed (the rejected row's batch fails again): logged without its connection, nothing left once it ends
    const before = t.logs.length;
    const resumed = await t.app.inject({ method: 'POST', url: `/api/reinsert-runs/${run.id}/resume`, headers: bearer(t.tokens.operator), payload: { target } });
    expect(resumed.statusCode).toBe(202);
    await t.app.reinsert.wait(run.id);
    const logged = t.logs.slice(before).join('');
    expect(logged).toContain('re-insert resumed');
    expect(logged).not.toContain('p4ss');
    const after = (await get('operator')).json();
    expect([after.state, after.remaining]).toEqual(['failed', { batches: 1, rows: left.length, notApproved: 1, elsewhere: 0, inSideTable: 0, mayBeIn: { batches: [], rows: 0 }, mayBeInSideTable: { batches: [], rows: 0, tables: [] } }]);
    expect(after.batches.find((b: { batchNo: number }) => b.batchNo === 2).failure.code).toBe('REINSERT_ROW_NOT_APPROVED');
    // a dry run has nothing left to resume
    const dry = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true } })).json();
    const dryRun = (await t.app.inject({ url: `/api/reinsert-runs/${dry.run.id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(dryRun.remaining).toBeNull();
    expect(dryRun.plannedRows).toBe(dry.rowIds.length);
  });
});
