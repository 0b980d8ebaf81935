import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { bearer, dryRunWithScriptWriteFailing, fakeFilesJob, testApp } from '../api/helpers.js';

// A dry run records its run 'planned', renders its two scripts with turns of the event loop
// (c24c5fe6) and writes them after. Any failure there (a full disk, the staging
// file closed by a stop meanwhile) left the run 'planned' for good: the review page polls a
// 'planned' run as one still going (web/app.js), and nothing ever ended it.

it('a dry run whose scripts cannot be written (disk full) leaves its run failed with the error, not planned', async () => {
  const t = await testApp();
  try {
    const jobId = await fakeFilesJob(t);
    const r = await dryRunWithScriptWriteFailing(t, jobId, new Database.SqliteError('database or disk is full', 'SQLITE_FULL'));
    expect(r.statusCode, r.body).toBeGreaterThanOrEqual(500);
    const runs = (await t.app.inject({ url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens.operator) })).json().items as { state: string; finishedAt: string | null; error: { code: string; message: string } | null }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]!.state).toBe('failed');
    expect(runs[0]!.finishedAt).not.toBeNull();
    expect(runs[0]!.error?.code).toBe('SQLITE_FULL');
    expect(runs[0]!.error?.message).toMatch(/database or disk is full/);
  } finally {
    await t.close();
  }
});

it("a dry run a stop left 'planned' is failed at the next start (recoverInterruptedRuns)", async () => {
  const t = await testApp();
  try {
    const jobId = await fakeFilesJob(t);
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
    const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(r.statusCode, r.body).toBe(200);
    const runId = (JSON.parse(r.body) as { run: { id: number } }).run.id;
    // as a stop in the middle of rendering leaves it (the row inserted, nothing written after)
    t.store.db.prepare("UPDATE reinsert_runs SET state = 'planned', script = NULL, undo_script = NULL, summary = NULL, finished_at = NULL WHERE id = ?").run(runId);
    const svc = new ReinsertService(t.store, {});
    expect(svc.recoverInterruptedRuns()).toEqual([]);
    const run = svc.getRun(runId)!;
    expect(run.state).toBe('failed');
    expect(run.finishedAt).not.toBeNull();
    expect(run.error).toMatchObject({ code: 'REINSERT_DRY_RUN_INTERRUPTED' });
    expect(run.error?.message).toMatch(/before its scripts were kept; run the dry run again/);
  } finally {
    await t.close();
  }
});
