import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from '../api/helpers.js';
import { targetTables } from './fake-target.js';

/**
 * The newcomer's story: approved rows go first into a side table of another database, to check them,
 * then into the real table. The side-table run marked its rows re-inserted, so the run into the real
 * table was refused (`REINSERT_NOTHING_TO_DO`) and the way on was an SQL export run by hand. A run
 * into a side table now leaves its rows approved: the real table's run plans and inserts them, the
 * row and run answers say where each went (the side table is not their own), and the undo export
 * deletes each row from both tables. A staging file whose side-table run was recorded by an earlier
 * build (its rows `reinserted`, no side table on their outcomes) keeps the refusal and its way on.
 * Rows: real corpus row images (test/staging/fixtures.ts); the fake target (fake-target.ts).
 */
describeCorpus('re-insert: a side table first, then the real table', () => {
  const env = appWithFakeTarget();
  const side = { connectionString: 'Server=fake', database: 'CRM_side' };
  const real = { connectionString: 'Server=fake', database: 'CRM' };
  const tableMap = { 'dbo.LogTestTrailNull': 'recovery.Trail_back' };

  /** A job of 20 approved dbo.LogTestTrailNull rows put into recovery.Trail_back of CRM_side; its id, the run's id and the rows' ids. */
  async function sideRun(): Promise<{ jobId: number; runId: number; ids: number[] }> {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const tables = targetTables();
    tables.set('recovery.Trail_back', { ...tables.get('dbo.LogTestTrailNull')!, schema: 'recovery', name: 'Trail_back' });
    (env.target as unknown as { tables: unknown }).tables = tables;
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: side, tableMap } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    const ids = (t.app.staging.db.prepare("SELECT id FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull' ORDER BY id").all(jobId) as { id: number }[]).map((r) => r.id);
    expect(ids).toHaveLength(20);
    return { jobId, runId: run.json().id as number, ids };
  }

  it('the real table after the side table: its rows planned and inserted, each answer saying where they went', async () => {
    const { t } = env;
    const { jobId, runId, ids } = await sideRun();
    // the row: approved, "inserted into side table recovery.Trail_back by run N", not back in its table
    const row = (await t.app.inject({ url: `/api/jobs/${jobId}/rows/${ids[0]}`, headers: bearer(t.tokens.viewer) })).json();
    expect(row.status).toBe('approved');
    expect(row.reinsert).toEqual([{ runId, outcome: 'inserted', detail: null, sideTable: 'recovery.Trail_back', sideTableText: 'recovery.Trail_back' }]);
    // the run: its inserted rows went into the side table
    const runAnswer = (await t.app.inject({ url: `/api/reinsert-runs/${runId}`, headers: bearer(t.tokens.viewer) })).json();
    expect(runAnswer.outcomes).toEqual({ inserted: 20, conflict: 0, error: 0 });
    expect(runAnswer.sideTables).toEqual([{ table: 'recovery.Trail_back', tableText: 'recovery.Trail_back', inserted: 20, conflict: 0, error: 0, leftApproved: true }]);

    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().rowIds).toHaveLength(20);
    expect(dry.json().script).not.toContain('NOTHING PLANNED');
    const again = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: real } });
    expect(again.statusCode, again.body).toBe(202);
    await t.app.reinsert.wait(again.json().id);
    const realId = again.json().id as number;
    const realAnswer = (await t.app.inject({ url: `/api/reinsert-runs/${realId}`, headers: bearer(t.tokens.viewer) })).json();
    expect(realAnswer.outcomes).toEqual({ inserted: 20, conflict: 0, error: 0 });
    expect(realAnswer.sideTables).toEqual([]);
    const after = (await t.app.inject({ url: `/api/jobs/${jobId}/rows/${ids[0]}`, headers: bearer(t.tokens.viewer) })).json();
    expect(after.status).toBe('reinserted');
    expect(after.reinsert).toEqual([
      { runId, outcome: 'inserted', detail: null, sideTable: 'recovery.Trail_back', sideTableText: 'recovery.Trail_back' },
      { runId: realId, outcome: 'inserted', detail: null, sideTable: null, sideTableText: null },
    ]);

    // the undo export deletes each row from both tables, each from its own run's place
    const undo = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) });
    expect(undo.statusCode).toBe(200);
    const deletes = (table: string) => undo.body.split('\n').filter((l) => /^\s*DELETE TOP \(1\) FROM/.test(l) && l.includes(table)).length;
    expect(deletes('[CRM_side].[recovery].[Trail_back]')).toBe(20);
    expect(deletes('[CRM].[dbo].[LogTestTrailNull]')).toBe(20);
    // one batch (no GO): a variable declared twice is Msg 134 and the whole script fails to compile;
    // the row's second DELETE (the other table) declared its values under the same names
    const declared = undo.body.split('\n').flatMap((l) => /^(?:DECLARE |\s+)(@r\w+) /.exec(l)?.[1] ?? []);
    expect(declared.length).toBeGreaterThanOrEqual(40);
    expect(declared.length - new Set(declared).size).toBe(0);
  });

  it('a side-table run of an earlier build (rows reinserted, no side table recorded): refused, with the way on', async () => {
    const { t } = env;
    const { jobId, runId, ids } = await sideRun();
    // what that build left: the rows re-inserted, their outcomes naming no side table (migration 12 added the column empty)
    t.app.staging.db.prepare('UPDATE reinsert_outcomes SET side_table = NULL WHERE run_id = ?').run(runId);
    t.app.staging.db.prepare("UPDATE rows SET status = 'reinserted' WHERE id IN (SELECT row_id FROM reinsert_outcomes WHERE run_id = ?)").run(runId);
    // the row and run answers still say the rows went into the side table (the run's tableMap tells it):
    // they said 'inserted' with no side table beside a row reinserted, as if back in its own table
    const row = (await t.app.inject({ url: `/api/jobs/${jobId}/rows/${ids[0]}`, headers: bearer(t.tokens.viewer) })).json();
    expect(row.status).toBe('reinserted');
    expect(row.reinsert).toEqual([{ runId, outcome: 'inserted', detail: null, sideTable: 'recovery.Trail_back', sideTableText: 'recovery.Trail_back' }]);
    const runAnswer = (await t.app.inject({ url: `/api/reinsert-runs/${runId}`, headers: bearer(t.tokens.viewer) })).json();
    expect(runAnswer.sideTables).toEqual([{ table: 'recovery.Trail_back', tableText: 'recovery.Trail_back', inserted: 20, conflict: 0, error: 0, leftApproved: false }]);
    const note = `20 approved row(s) of job ${jobId} were put into side tables by runs of a rowback before side-table runs left rows approved (run ${runId}: 20 row(s) into database CRM_side, side table(s) dbo.LogTestTrailNull → recovery.Trail_back), which marked them re-inserted, so no run plans them again; to put them into their own table as well, export them with GET /api/jobs/${jobId}/export?format=sql&status=reinserted and run that script`;
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
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
