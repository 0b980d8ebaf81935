import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { testApp } from '../api/helpers.js';

/**
 * At start-up (recoverInterruptedRuns) a real run a stop left 'running' becomes 'interrupted'. One
 * stopped while its script was being written in pieces (src/staging/run-texts.ts: counted on the
 * run only once all are written) kept those pieces for good, never read (up to hundreds of MB at
 * 100,000 rows); one stopped while it ran keeps its script, whole, for the resume and the review
 * page. SYNTHETIC runs and pieces written straight into a staging file.
 */
it('pieces of a script never counted are deleted; those of a counted script are kept', async () => {
  const t = await testApp();
  try {
    const db = t.store.db;
    const job = t.store.createJob({ kind: 'files', spec: { mdf: ['x.mdf'] }, description: 'x', createdBy: 'olga' });
    const run = (pieces: number | null) => Number(db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size, script_pieces) VALUES (?, 'op', 'x', 0, '{}', 'running', 500, ?)").run(job.id, pieces).lastInsertRowid);
    const half = run(null);
    const whole = run(2);
    for (const id of [half, whole]) for (const seq of [0, 1]) db.prepare("INSERT INTO reinsert_run_texts (run_id, kind, seq, piece) VALUES (?, 'script', ?, ?)").run(id, seq, `piece ${seq}\n`);
    const svc = new ReinsertService(t.store, {});
    expect(svc.recoverInterruptedRuns().sort()).toEqual([half, whole].sort());
    const count = (id: number) => db.prepare('SELECT count(*) FROM reinsert_run_texts WHERE run_id = ?').pluck().get(id);
    expect(count(half)).toBe(0);
    expect(count(whole)).toBe(2);
    expect(svc.script(whole)).toEqual({ script: 'piece 0\npiece 1\n', undoScript: null });
    expect(svc.getRun(half)!.state).toBe('interrupted');
  } finally {
    await t.close();
  }
});

/**
 * A real run's undo is written in pieces when the run ends (service.ts finish, keepUndo), counted in
 * the statement that ends it. A stop while they were written left the run 'running' and its undo
 * pieces uncounted: deleted at start-up as a script's are; an undo counted at an earlier end (a run
 * resumed since, stopped while it ran) is kept for the review page. SYNTHETIC runs and pieces.
 */
it("pieces of an undo never counted are deleted; a counted undo's are kept", async () => {
  const t = await testApp();
  try {
    const db = t.store.db;
    const job = t.store.createJob({ kind: 'files', spec: { mdf: ['x.mdf'] }, description: 'x', createdBy: 'olga' });
    const run = (pieces: number | null) => Number(db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size, script, undo_pieces) VALUES (?, 'op', 'x', 0, '{}', 'running', 500, 'the script', ?)").run(job.id, pieces).lastInsertRowid);
    const half = run(null);
    const whole = run(2);
    for (const id of [half, whole]) for (const seq of [0, 1]) db.prepare("INSERT INTO reinsert_run_texts (run_id, kind, seq, piece) VALUES (?, 'undo', ?, ?)").run(id, seq, `undo ${seq}\n`);
    const svc = new ReinsertService(t.store, {});
    expect(svc.recoverInterruptedRuns().sort()).toEqual([half, whole].sort());
    const count = (id: number) => db.prepare('SELECT count(*) FROM reinsert_run_texts WHERE run_id = ?').pluck().get(id);
    expect(count(half)).toBe(0);
    expect(count(whole)).toBe(2);
    expect(svc.script(whole)).toEqual({ script: 'the script', undoScript: 'undo 0\nundo 1\n' });
    expect(svc.script(half)).toEqual({ script: 'the script', undoScript: null });
  } finally {
    await t.close();
  }
});
