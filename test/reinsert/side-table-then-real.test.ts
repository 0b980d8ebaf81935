import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from '../api/helpers.js';
import { targetTables } from './fake-target.js';

/**
 * The newcomer's story: approved rows go first into a side table of another database, to check them,
 * then into the real table. The side-table run marks its rows re-inserted, so the run into the real
 * table was refused `REINSERT_NOTHING_TO_DO: job 1 has no approved rows that can be re-inserted` and
 * its dry run gave an empty script, neither saying why (the rows were approved) nor what to do. Both
 * now name the runs that put the rows back, where, and the way on (the SQL export with
 * status=reinserted, whose row-ledger check keeps a row from going twice into one table). Rows: real
 * corpus row images (test/staging/fixtures.ts); the fake target (fake-target.ts).
 */
describeCorpus('re-insert: a side table first, then the real table', () => {
  const env = appWithFakeTarget();

  it('the second run and its dry run say the rows went into the side table, and how to put them into the real one', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const tables = targetTables();
    tables.set('recovery.Trail_back', { ...tables.get('dbo.LogTestTrailNull')!, schema: 'recovery', name: 'Trail_back' });
    (env.target as unknown as { tables: unknown }).tables = tables;
    const side = { connectionString: 'Server=fake', database: 'CRM_side' };
    const tableMap = { 'dbo.LogTestTrailNull': 'recovery.Trail_back' };
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: side, tableMap } });
    expect(run.statusCode).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    const runId = run.json().id as number;

    const real = { connectionString: 'Server=fake', database: 'CRM' };
    const note = `20 approved row(s) of job ${jobId} were already re-inserted by its runs (run ${runId}: 20 row(s) into database CRM_side, side table(s) dbo.LogTestTrailNull → recovery.Trail_back) and are not planned again (never twice by rowback's runs); to put them into another table as well (the real table after a side table), export them with GET /api/jobs/${jobId}/export?format=sql&status=reinserted and run that script`;
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().script).toContain(`-- NOTHING PLANNED: ${note}`);
    const again = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: real } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('REINSERT_NOTHING_TO_DO');
    expect(again.json().message).toContain(note);
    // the way on: the export names the real table and plans the 20 rows
    const sql = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&status=reinserted`, headers: bearer(t.tokens.operator) })).body;
    expect(sql).toContain('-- 20 of the 20 row(s) planned to insert');
    expect(sql).toContain('INSERT INTO [dbo].[LogTestTrailNull]');
  });
});
