/**
 * The undo-sql export deletes what executed runs of the job inserted. It planned those rows again
 * without the target (no foreign keys): its tables came by name, and the undo (last batch first)
 * deleted a parent table's rows before its child's whenever the child's name sorts first
 * (dbo.DecimalTest referencing dbo.T2 here; dbo.Address of dbo.Person): SQL Server refuses that
 * delete (Msg 547) and the whole undo rolls back. The run itself went parents first (the target's
 * foreign keys); the export now deletes in the reverse of the order the runs put the rows in, as
 * the run's own undo does. Rows: real corpus row images (test/staging/fixtures.ts) into the SQLite
 * stand-in target, given a SYNTHETIC foreign key.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';
import { FakeTarget, targetTables } from '../../reinsert/fake-target.js';

describe('undo-sql export order', () => {
  let t: TestApp;
  let target: FakeTarget;
  beforeEach(async () => {
    t = await testApp({ connectTarget: () => target, maxAuthFailures: 1000 });
    target = new FakeTarget(join(t.dir, 'target.db'), targetTables(), [{ name: 'FK_DecimalTest_T2', child: 'dbo.DecimalTest', parent: 'dbo.T2' }]);
  });
  afterEach(async () => { await t.close(); target.dispose(); });

  it('deletes the child table\'s rows before the parent\'s, as the run\'s own undo does', async () => {
    const jobId = await fakeFilesJob(t);
    for (const table of ['dbo.T2', 'dbo.DecimalTest']) {
      await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table } } });
    }
    const start = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=db1;Database=CRM;User Id=sa;Password=x' } } });
    expect(start.statusCode).toBe(202);
    const runId = start.json().id as number;
    let run: { state: string; summary: { tableOrder: string[] } };
    for (;;) {
      run = (await t.app.inject({ url: `/api/reinsert-runs/${runId}`, headers: bearer(t.tokens.viewer) })).json();
      if (run.state !== 'running' && run.state !== 'planned') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(run.state).toBe('succeeded');
    expect(run.summary.tableOrder).toEqual(['dbo.T2', 'dbo.DecimalTest']);
    const own = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens.viewer) })).json().undoScript as string;
    expect(own.indexOf('DELETE FROM [dbo].[DecimalTest]')).toBeGreaterThan(-1);
    expect(own.indexOf('DELETE FROM [dbo].[DecimalTest]')).toBeLessThan(own.indexOf('DELETE FROM [dbo].[T2]'));
    const undo = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) })).body;
    // the run's database named (three-part), as the run recorded it
    const child = undo.search(/DELETE FROM (\[CRM\]\.)?\[dbo\]\.\[DecimalTest\]/);
    const parent = undo.search(/DELETE FROM (\[CRM\]\.)?\[dbo\]\.\[T2\]/);
    expect(child).toBeGreaterThan(-1);
    expect(parent).toBeGreaterThan(-1);
    expect(child).toBeLessThan(parent);
    // every row the run inserted is deleted once, no other
    const deleted = [...undo.matchAll(/^-- row (\d+),/gm)].map((m) => Number(m[1]));
    const insertedRows = (await t.app.inject({ url: `/api/reinsert-runs/${runId}`, headers: bearer(t.tokens.viewer) })).json().rows.filter((o: { outcome: string }) => o.outcome === 'inserted').map((o: { rowId: number }) => o.rowId);
    expect([...deleted].sort((a, b) => a - b)).toEqual([...insertedRows].sort((a: number, b: number) => a - b));
  }, 60_000);
});
