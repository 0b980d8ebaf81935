/**
 * GET /api/reinsert-runs/:id/script reads a long script and undo a piece at a time, with turns of
 * the event loop between (now staging/run-texts.ts openRunTextsSnapshot, read whole here by
 * readRunTextsCooperatively). A resumed run that ends meanwhile
 * rewrites its undo's pieces (staging/run-texts.ts writeRunTextChunks: its count set NULL, the
 * pieces deleted, the new ones written with turns between, then counted). The read counted the
 * pieces first and read each by the store's own connection: begun before the rewrite, it joined the
 * old undo's first piece with the new undo's later ones, an undo script that looks whole and deletes
 * the rows of two different plans. Now the row and every piece are read in one read transaction of
 * a connection of its own (a WAL snapshot): the undo as it was when the read began, whole.
 * SYNTHETIC runs and texts, written straight into a staging file.
 */
import { expect, it } from 'vitest';
import { readRunTextsCooperatively, writeRunTextChunks } from '../../src/staging/run-texts.js';
import { tempStore } from '../support/temp-store.js';

const env = tempStore('rowback-run-script-snapshot-');
const lines = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `DELETE FROM [dbo].[T] WHERE [Id] = ${i}; -- ${tag} ${'x'.repeat(60)}`).join('\n') + '\n';

it("a read begun before a run's undo is rewritten (interleaved) gives the undo as it was, not a 'damaged' refusal", async () => {
  const db = env.store.db;
  const job = env.store.createJob({ kind: 'files', spec: { mdf: ['x.mdf'] }, description: 'x', createdBy: 'olga' });
  const runId = Number(db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size, script) VALUES (?, 'op', 'x', 0, '{}', 'failed', 500, 'the script')").run(job.id).lastInsertRowid);
  // the first end's undo: plan A, in pieces (three or more: > 2 M characters)
  const before = lines('plan A', 40_000);
  const a = await writeRunTextChunks(db, runId, 'undo', [before]);
  expect(a.pieces).toBeGreaterThanOrEqual(3);
  db.prepare('UPDATE reinsert_runs SET undo_pieces = ? WHERE id = ?').run(a.pieces, runId);
  // a reader starts; the resumed run's end rewrites the undo (plan B) while it reads, as service.ts does
  const reading = readRunTextsCooperatively(env.store.db, env.store.path, runId);
  await new Promise((r) => setImmediate(r));
  db.prepare('UPDATE reinsert_runs SET undo_pieces = NULL WHERE id = ?').run(runId);
  const after = lines('plan B', 40_000);
  const b = await writeRunTextChunks(db, runId, 'undo', [after]);
  db.prepare('UPDATE reinsert_runs SET undo_pieces = ? WHERE id = ?').run(b.pieces, runId);
  const got = await reading;
  expect(got?.script).toBe('the script');
  // whole and one plan's (before, it held plan A's first piece and plan B's others)
  expect(got?.undoScript === before).toBe(true);
  // a read begun now sees the new undo
  expect((await readRunTextsCooperatively(env.store.db, env.store.path, runId))?.undoScript === after).toBe(true);
  expect(await readRunTextsCooperatively(env.store.db, env.store.path, runId + 100)).toBeUndefined();
});

it("a read begun before a run's undo is rewritten (the writer ahead) gives the undo as it was, never a mix of two", async () => {
  const db = env.store.db;
  const job = env.store.createJob({ kind: 'files', spec: { mdf: ['x.mdf'] }, description: 'x', createdBy: 'olga' });
  const runId = Number(db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size, script) VALUES (?, 'op', 'x', 0, '{}', 'failed', 500, 'the script')").run(job.id).lastInsertRowid);
  const before = lines('plan A', 40_000);
  const a = await writeRunTextChunks(db, runId, 'undo', [before]);
  db.prepare('UPDATE reinsert_runs SET undo_pieces = ? WHERE id = ?').run(a.pieces, runId);
  const reading = readRunTextsCooperatively(env.store.db, env.store.path, runId);
  await new Promise((r) => setImmediate(r));
  // the whole rewrite between two of the reader's turns (same piece cuts: one piece a statement)
  const after = lines('plan B', 40_000);
  const pieces = (db.prepare("SELECT piece FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo' ORDER BY seq").pluck().all(runId) as string[]).map((p) => p.replaceAll('plan A', 'plan B'));
  expect(pieces.join('')).toBe(after);
  db.transaction(() => {
    db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo'").run(runId);
    pieces.forEach((p, seq) => db.prepare("INSERT INTO reinsert_run_texts (run_id, kind, seq, piece) VALUES (?, 'undo', ?, ?)").run(runId, seq, p));
  })();
  const got = (await reading)?.undoScript ?? '';
  expect([(got.match(/plan A/g) ?? []).length, (got.match(/plan B/g) ?? []).length]).toEqual([40_000, 0]);
  expect(got === before).toBe(true);
});
