/**
 * The undo of a row holding NULL where the job's layout says NOT NULL (breaker, follows 96c8f482,
 * which refuses such a value in a re-insert plan). A column added to the table after the row was
 * written (metadata-only, ALTER TABLE … ADD … NOT NULL DEFAULT …) has no slot in the row, and the
 * row decodes with NULL there; put back into a side table whose column allows NULL (its run planned
 * from the target's catalog), it went in. Its undo, planned again from the job's staged layouts (the
 * undo export, a run's undo written again), took the side table for the source's columns, NOT NULL,
 * and refused the row: the undo left a row rowback had put in. An undo plans only rows that are in
 * already: nullability is not held against them. Rows: SYNTHETIC, on the fixtures'
 * dbo.LogTestTrailNull layout (ColA NOT NULL).
 */
import { expect, it } from 'vitest';
import { appWithFakeTarget, bearer } from '../api/helpers.js';
import { LAYOUTS, lsnOf } from '../staging/fixtures.js';
import { targetTables } from './fake-target.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';

const env = appWithFakeTarget();

it("the undo export deletes a side table's row whose NULL the source layout holds NOT NULL", async () => {
  const { t } = env;
  const job = t.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'olga' });
  const rows: RecoveredRow[] = [1, 2, 3].map((i) => ({
    table: 'dbo.LogTestTrailNull', lsn: lsnOf(i), operation: 'delete', transactionId: '0000:000003e8', beginTime: '2024-03-01T09:00:00.000', endTime: '2024-03-01T09:00:00.000',
    login: 'sa', sid: null, spid: 53, transactionName: 'DELETE', allocUnitId: null, pageId: '0001:00000123', slotId: i,
    values: { Id: i, ColA: i === 2 ? null : `a${i}`, ColB: null }, raw: '', warnings: [], source: { kind: 'fn_dblog' },
  }) as RecoveredRow);
  t.store.stageBatch(job.id, rows);
  t.store.saveJobTables(job.id, Object.values(LAYOUTS));
  expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } })).statusCode).toBe(200);
  const tables = targetTables();
  const src = tables.get('dbo.LogTestTrailNull')!;
  tables.set('recovery.Trail_check', { ...src, schema: 'recovery', name: 'Trail_check', columns: src.columns.map((c) => ({ ...c, nullable: true })) });
  (env.target as unknown as { tables: unknown }).tables = tables;
  const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM' }, tableMap: { 'dbo.LogTestTrailNull': 'recovery.Trail_check' } } });
  expect(run.statusCode, run.body).toBe(202);
  await t.app.reinsert.wait(run.json().id);
  expect(t.app.reinsert.getRun(run.json().id)!.outcomes.inserted).toBe(3);
  const undo = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) });
  expect(undo.statusCode).toBe(200);
  const deletes = undo.body.split('\n').filter((l) => l.startsWith('DELETE') && l.includes('[Trail_check]'));
  expect(deletes, undo.body.slice(0, 3000)).toHaveLength(3);
  expect(undo.body).not.toContain('NOT INCLUDED');
});
