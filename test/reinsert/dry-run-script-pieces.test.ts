/**
 * A dry run's scripts are kept in pieces when long (src/staging/run-texts.ts): one SQLite UPDATE of
 * both held the service's event loop ~0.47 s at 60,000 rows (test/api/reinsert-dry-run-responsive
 * measures it over real HTTP). Here 3,000 SYNTHETIC staged rows (scripts of ~2.7 M characters
 * each): the run's columns hold nothing, its pieces are counted, the route reads them back exactly;
 * a dry run failing at its last write leaves no piece behind.
 */
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { bearer, dryRunWithScriptWriteFailing, fakeFilesJob, testApp } from '../api/helpers.js';
import { RUN_TEXT_PIECE_CHARS } from '../../src/staging/run-texts.js';

it('a dry run of 3,000 rows keeps its two scripts in pieces, read back as answered', async () => {
  const t = await testApp();
  try {
    const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'mass delete', createdBy: 'olga' });
    t.store.setJobState(job.id, 'running');
    t.store.saveJobTables(job.id, Object.values(LAYOUTS));
    t.store.stageBatch(job.id, corpusRows(3_000, 0));
    t.store.setJobState(job.id, 'succeeded');
    t.store.decide(job.id, { actor: 'rafael', decision: 'approve', reason: 'the cleanup', all: true });
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(d.statusCode, d.body.slice(0, 300)).toBe(200);
    const answer = d.json() as { run: { id: number }; script: string; undoScript: string };
    expect(answer.script.length).toBeGreaterThan(2 * RUN_TEXT_PIECE_CHARS);
    expect(answer.undoScript.length).toBeGreaterThan(RUN_TEXT_PIECE_CHARS);
    const row = t.store.db.prepare('SELECT script, undo_script, script_pieces, undo_pieces, state FROM reinsert_runs WHERE id = ?').get(answer.run.id) as Record<string, unknown>;
    expect(row).toEqual({ script: null, undo_script: null, script_pieces: Math.ceil(answer.script.length / RUN_TEXT_PIECE_CHARS), undo_pieces: Math.ceil(answer.undoScript.length / RUN_TEXT_PIECE_CHARS), state: 'succeeded' });
    const stored = await t.app.inject({ url: `/api/reinsert-runs/${answer.run.id}/script`, headers: bearer(t.tokens.viewer) });
    expect(stored.statusCode).toBe(200);
    expect(stored.json().script).toBe(answer.script);
    expect(stored.json().undoScript).toBe(answer.undoScript);
    expect(t.app.reinsert.script(answer.run.id)).toEqual({ script: answer.script, undoScript: answer.undoScript });
  } finally {
    await t.close();
  }
}, 60_000);

it('a dry run whose last write fails (disk full) leaves its run failed and none of its pieces', async () => {
  const t = await testApp();
  try {
    const jobId = await fakeFilesJob(t);
    const job = t.store.getJob(jobId)!;
    t.store.stageBatch(job.id, corpusRows(3_000, 1_000_000));
    const r = await dryRunWithScriptWriteFailing(t, jobId, new Database.SqliteError('database or disk is full', 'SQLITE_FULL'));
    expect(r.statusCode).toBeGreaterThanOrEqual(500);
    const run = t.store.db.prepare('SELECT id, state, script_pieces FROM reinsert_runs WHERE job_id = ?').get(jobId) as { id: number; state: string; script_pieces: number | null };
    expect(run).toMatchObject({ state: 'failed', script_pieces: null });
    expect(t.store.db.prepare('SELECT count(*) FROM reinsert_run_texts WHERE run_id = ?').pluck().get(run.id)).toBe(0);
    expect(t.app.reinsert.script(run.id)).toEqual({ script: null, undoScript: null });
  } finally {
    await t.close();
  }
}, 60_000);
