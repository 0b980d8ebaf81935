import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';
import { targetTables } from '../reinsert/fake-target.js';
import { stagedTableName } from '../../src/util/tsql.js';

/**
 * The re-insert answers the review page's notes name tables from carry each table's display text
 * beside the raw name (api/table-text-fields.ts): a run's `sideTables[].tableText` (GET
 * /api/reinsert-runs/:id and GET /api/jobs/:id/reinsert-runs) and a row's `tableText` and each
 * outcome's `sideTableText` (GET /api/jobs/:id/rows/:rowId). The page wrote the raw `schema.name`
 * into its sentences: `10 into side table recovery.Trail Back, x: those rows stay approved` read as
 * two tables, and a line break split the note. The raw fields are unchanged. Rows: real corpus row
 * images (test/staging/fixtures.ts); the fake target (reinsert/fake-target.ts); the side table's
 * name SYNTHETIC.
 */
describeCorpus('re-insert answers: side tables named as one T-SQL name each for the page', () => {
  const env = appWithFakeTarget();
  const side = { schema: 'recovery', name: 'Trail Back, x\ny' };
  const shown = 'recovery.[Trail Back, x\\u{a}y]';

  it('a run into a side table: the run, the job\'s runs and the row detail give tableText / sideTableText', async () => {
    const { t } = env;
    const tables = targetTables();
    // keyed as the target's catalog keys it (mssql-target.ts tablesFromCatalog: stagedTableName)
    tables.set(stagedTableName(side), { ...tables.get('dbo.LogTestTrailNull')!, ...side });
    (env.target as unknown as { tables: unknown }).tables = tables;
    const jobId = await env.approvedTrailJob();
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM' }, tableMap: { 'dbo.LogTestTrailNull': '[recovery].[Trail Back, x\ny]' } } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);

    const one = await t.app.inject({ url: `/api/reinsert-runs/${run.json().id}`, headers: bearer(t.tokens.viewer) });
    expect(one.statusCode, one.body.slice(0, 300)).toBe(200);
    expect(one.json().sideTables).toEqual([{ table: stagedTableName(side), tableText: shown, inserted: 20, conflict: 0, error: 0, leftApproved: true }]);
    const list = await t.app.inject({ url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens.viewer) });
    expect(list.statusCode, list.body.slice(0, 300)).toBe(200);
    expect((list.json().items as Array<{ id: number; sideTables: unknown }>).find((r) => r.id === run.json().id)!.sideTables).toEqual(one.json().sideTables);

    const rows = await t.app.inject({ url: `/api/jobs/${jobId}/rows?limit=500`, headers: bearer(t.tokens.viewer) });
    const mapped = (rows.json().items as Array<{ id: number; table: string }>).find((r) => r.table === 'dbo.LogTestTrailNull')!;
    const detail = await t.app.inject({ url: `/api/jobs/${jobId}/rows/${mapped.id}`, headers: bearer(t.tokens.viewer) });
    expect(detail.statusCode, detail.body.slice(0, 300)).toBe(200);
    expect(detail.json().table).toBe('dbo.LogTestTrailNull');
    expect(detail.json().tableText).toBe('dbo.LogTestTrailNull');
    expect(detail.json().reinsert).toHaveLength(1);
    expect(detail.json().reinsert[0]).toMatchObject({ runId: run.json().id, outcome: 'inserted', sideTable: stagedTableName(side), sideTableText: shown });
  });
});
