/**
 * A decision during a re-insert run into a side table (tableMap dbo.LogTestTrailNull →
 * dbo.Trail_check, the DBA's look at the rows first), on a row of the batch the run is sending. A
 * run into a side table leaves its rows' status as decided (execute.ts recordOutcome): nothing it
 * records overturns a decision made meanwhile. Yet the row was held like a row going back into its
 * own table: the decision refused, 409 STAGING_DECISION_RUN_ACTIVE, "the run may be putting them in
 * now, over the decision", which is not so of a side-table row, and the reviewer could not decide it
 * until the check run ended. Now it is decided at once, and stays so after the run; a row going into
 * its own table in a run is still held (decisions-during-run.test.ts). Rows: the fake source's; the
 * target is the fake target (SQLite).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';
import { FakeTarget, targetTables } from '../../reinsert/fake-target.js';

describeCorpus('a decision on a row a running re-insert run puts into a side table', () => {
  let t: TestApp;
  let target: FakeTarget;
  beforeEach(async () => {
    t = await testApp({ connectTarget: () => target, maxAuthFailures: 1000 });
    const tables = targetTables();
    tables.set('dbo.Trail_check', { ...tables.get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'Trail_check' });
    target = new FakeTarget(join(t.dir, 'target.db'), tables);
  });
  afterEach(async () => {
    await t.close();
    target.dispose();
  });

  it('is decided at once, and the run does not overturn it', async () => {
    const jobId = await fakeFilesJob(t, { from: '2024-03-01 09:00' });
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.LogTestTrailNull' } } });
    let rowId = 0;
    let answer: { statusCode: number; body: string } | undefined;
    let heldBy: unknown;
    t.app.reinsert.hooks = {
      beforeCommit: async (batch) => {
        if (rowId) return;
        rowId = batch.rows[0]!.rowId;
        answer = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not ours after all', ids: [rowId] } });
        heldBy = (await t.app.inject({ url: `/api/jobs/${jobId}/rows/${rowId}`, headers: bearer(t.tokens.reviewer) })).json().heldBy;
      },
    };
    const spec = { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', database: 'CRM' };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target: spec, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Trail_check' } } })).json();
    await t.app.reinsert.wait(run.id);
    t.app.reinsert.hooks = undefined;
    expect(t.app.reinsert.getRun(run.id)!.state).toBe('succeeded');
    expect(rowId).toBeGreaterThan(0);
    expect(answer!.statusCode, answer!.body).toBe(200);
    expect(JSON.parse(answer!.body).rows).toBe(1);
    expect(heldBy).toBeNull();
    // the run put it into the side table all the same (the batch was on its way), and left its status as decided
    expect((target.db.prepare("SELECT count(*) AS n FROM target_rows WHERE row_id = ? AND tbl LIKE '%Trail_check%'").get(rowId) as { n: number }).n).toBe(1);
    expect(t.store.getRow(jobId, rowId)!.status).toBe('rejected');
    expect(t.store.rowDecisions(rowId).map((d) => d.decision)).toEqual(['approve', 'reject']);
  });
});
