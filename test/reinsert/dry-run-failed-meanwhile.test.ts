/**
 * A dry run keeps its scripts with turns of the event loop (run-texts.ts), then ends its run
 * 'succeeded'. Another rowback process opening the staging file meanwhile fails the runs it finds
 * 'planned' (recoverInterruptedRuns) and deletes their pieces; the dry run's last UPDATE then made
 * the run 'succeeded' again, counting pieces no longer there: its script read as
 * STAGING_RUN_TEXT_DAMAGED (breaker Y). The run now stays failed and the dry run says so (409).
 * The other process is simulated: the run failed just before the dry run's last statement.
 */
import { expect, it } from 'vitest';
import { corpusRows } from '../staging/fixtures.js';
import { bearer, fakeFilesJob, testApp } from '../api/helpers.js';

it('a dry run failed by another process while it kept its scripts stays failed, and says so (409 REINSERT_DRY_RUN_INTERRUPTED)', async () => {
  const t = await testApp();
  try {
    const jobId = await fakeFilesJob(t);
    t.store.stageBatch(jobId, corpusRows(3_000, 1_000_000));
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
    const prepare = t.store.db.prepare.bind(t.store.db);
    t.store.db.prepare = ((sql: string) => {
      if (/^UPDATE reinsert_runs SET script = \?, undo_script = \?/.test(sql)) t.app.reinsert.recoverInterruptedRuns();
      return prepare(sql);
    }) as typeof t.store.db.prepare;
    let r;
    try {
      r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    } finally {
      t.store.db.prepare = prepare;
    }
    expect(r.statusCode, r.body.slice(0, 300)).toBe(409);
    expect(r.json()).toMatchObject({ code: 'REINSERT_DRY_RUN_INTERRUPTED', message: expect.stringMatching(/was ended \(failed\) while its scripts were being kept: another rowback process .*run the dry run again/) });
    const run = t.store.db.prepare('SELECT id, state, script_pieces, error FROM reinsert_runs WHERE job_id = ?').get(jobId) as { id: number; state: string; script_pieces: number | null; error: string };
    expect(run).toMatchObject({ state: 'failed', script_pieces: null });
    expect(JSON.parse(run.error).code).toBe('REINSERT_DRY_RUN_INTERRUPTED');
    expect(t.app.reinsert.script(run.id)).toEqual({ script: null, undoScript: null });
    expect(t.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'reinsert.dry-run'").pluck().get()).toBe(0);
  } finally {
    await t.close();
  }
}, 60_000);
