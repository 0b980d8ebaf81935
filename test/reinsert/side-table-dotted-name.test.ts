import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from '../api/helpers.js';
import { targetTables } from './fake-target.js';

/**
 * A side table whose name holds a dot, `[recovery].[Trail.back]`: the run put the rows there, but a
 * dry run without a target and the undo export of the job (GET …/export?format=undo-sql, planned
 * offline with the run's tableMap) split its `schema.name` text, `recovery.Trail.back`, again at its
 * dots: three parts, and both answered 500 INTERNAL (the job's undo could not be had at all). Two
 * targets of one such text (`[a.b].[c]`, `[a].[b.c]`) were refused, naming both: they are two
 * tables, each its own name now (util/tsql.ts stagedTableName), and each takes its own rows.
 * Rows: real corpus row images (test/staging/fixtures.ts); the fake target (fake-target.ts).
 */
describeCorpus('re-insert: a side table whose name holds a dot', () => {
  const env = appWithFakeTarget();
  const real = { connectionString: 'Server=fake', database: 'CRM' };
  const tableMap = { 'dbo.LogTestTrailNull': '[recovery].[Trail.back]' };

  it('the dry run without a target plans into it, and the undo export deletes from it what the run put there', async () => {
    const { t } = env;
    const tables = targetTables();
    // keyed as the target's catalog keys it (mssql-target.ts tablesFromCatalog: stagedTableName)
    tables.set('[recovery].[Trail.back]', { ...tables.get('dbo.LogTestTrailNull')!, schema: 'recovery', name: 'Trail.back' });
    (env.target as unknown as { tables: unknown }).tables = tables;
    const jobId = await env.approvedTrailJob();
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, tableMap } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().script).toContain('INSERT INTO [recovery].[Trail.back]');
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: real, tableMap } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    expect(t.app.reinsert.getRun(run.json().id)!.sideTables).toEqual([{ table: '[recovery].[Trail.back]', inserted: 20, conflict: 0, error: 0, leftApproved: true }]);
    const undo = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) });
    expect(undo.statusCode, undo.body.slice(0, 300)).toBe(200);
    expect(undo.body.split('\n').filter((l) => l.startsWith('DELETE TOP (1) FROM [CRM].[recovery].[Trail.back] WHERE'))).toHaveLength(20);
    expect(undo.body).not.toContain('DELETE TOP (1) FROM [CRM].[dbo].[LogTestTrailNull]');
  });

  it('two targets of one schema.name text are two tables: each takes the rows mapped to it', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, tableMap: { 'dbo.LogTestTrailNull': '[a.b].[c]', 'dbo.T': '[a].[b.c]' } } });
    expect(dry.statusCode, dry.body.slice(0, 300)).toBe(200);
    expect(dry.json().run.summary.tableOrder).toContain('[a.b].[c]');
    expect(dry.json().script).toContain('INSERT INTO [a.b].[c] ');
    expect(dry.json().script).not.toContain('INSERT INTO [a].[b.c] ([Id], [ColA]');
  });
});
