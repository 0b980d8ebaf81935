/**
 * GET /api/reinsert-runs/:id/script of a run whose texts are kept in pieces (staging/run-texts.ts):
 * read in one state of the staging file and streamed piece by piece (never joined into one string:
 * a real run's undo past V8's 2^29 - 24 characters failed the join, 500), the answer equal to the
 * texts; the read's connection closed when the answer ends (the WAL can be checkpointed whole
 * again); a missing piece refused before anything is sent. SYNTHETIC runs and texts.
 */
import { expect, it } from 'vitest';
import { writeRunTextChunks } from '../../src/staging/run-texts.js';
import { testApp } from './helpers.js';

const lines = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `DELETE FROM [dbo].[T] WHERE [Id] = ${i}; -- ${tag} ${'é'.repeat(40)}`).join('\n') + '\n';

it('the pieces streamed as one JSON answer, equal to the texts; the snapshot closed after; a missing piece is 500 STAGING_RUN_TEXT_DAMAGED', async () => {
  const t = await testApp();
  try {
    const db = t.store.db;
    const job = t.store.createJob({ kind: 'files', spec: { mdf: ['x.mdf'] }, description: 'x', createdBy: 'olga' });
    const runId = Number(db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'op', 'x', 0, '{}', 'succeeded', 500)").run(job.id).lastInsertRowid);
    const script = lines('script', 30_000);
    const undo = lines('undo', 45_000);
    const s = await writeRunTextChunks(db, runId, 'script', [script]);
    const u = await writeRunTextChunks(db, runId, 'undo', [undo]);
    expect([s.pieces, u.pieces].every((n) => n >= 2)).toBe(true);
    db.prepare('UPDATE reinsert_runs SET script_pieces = ?, undo_pieces = ? WHERE id = ?').run(s.pieces, u.pieces, runId);
    for (const role of ['operator', 'reviewer', 'viewer'] as const) {
      const r = await t.app.inject({ method: 'GET', url: `/api/reinsert-runs/${runId}/script`, headers: { authorization: `Bearer ${t.tokens[role]}` } });
      expect(r.statusCode, r.body).toBe(200);
      const j = r.json() as { script: string; undoScript: string };
      expect(j.script === script && j.undoScript === undo).toBe(true);
      if (role !== 'operator') continue;
      // the read's own connection is closed once the answer has ended (its 'close', a turn after
      // the last byte): a checkpoint then empties the WAL whole (the pieces written above are in it)
      await new Promise((r) => setTimeout(r, 20));
      const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      expect(cp).toMatchObject({ busy: 0 });
    }
    // a counted piece missing: refused before the answer begins (a clear 500, not a cut JSON)
    db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo' AND seq = 1").run(runId);
    const bad = await t.app.inject({ method: 'GET', url: `/api/reinsert-runs/${runId}/script`, headers: { authorization: `Bearer ${t.tokens.operator}` } });
    expect(bad.statusCode).toBe(500);
    expect(bad.json()).toMatchObject({ code: 'STAGING_RUN_TEXT_DAMAGED' });
    const none = await t.app.inject({ method: 'GET', url: `/api/reinsert-runs/${runId + 9}/script`, headers: { authorization: `Bearer ${t.tokens.operator}` } });
    expect(none.statusCode).toBe(404);
  } finally {
    await t.close();
  }
});
