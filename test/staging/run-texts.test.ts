/**
 * A re-insert run's long script kept in pieces (src/staging/run-texts.ts, migration 16): written a
 * piece at a time with turns of the event loop, read back exactly, never read before the run's row
 * counts its pieces, and a missing piece refused by name. SYNTHETIC texts.
 */
import { describe, expect, it } from 'vitest';
import { keptInPieces, readRunText, readRunTextsCooperatively, RUN_TEXT_PIECE_CHARS, runTextColumn, writeRunTextPieces } from '../../src/staging/run-texts.js';
import { tempStore } from '../support/temp-store.js';

describe('run texts in pieces', () => {
  const env = tempStore('rowback-run-texts-');
  const newRun = (): number => {
    const job = env.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'd', createdBy: 'olga' });
    return Number(env.store.db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'olga', '2026-12-06T10:00:00Z', 1, '{}', 'planned', 500)").run(job.id).lastInsertRowid);
  };
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => `INSERT INTO [dbo].[T] ([Id]) VALUES (${i}); -- ${'x'.repeat(i % 50)}`).join('\n') + '\n';

  it('a text at the limit stays in its column; a longer one is kept in pieces that end after a line break and read back exactly', async () => {
    expect(keptInPieces('x'.repeat(RUN_TEXT_PIECE_CHARS))).toBe(false);
    expect(runTextColumn('x'.repeat(RUN_TEXT_PIECE_CHARS))).toHaveLength(RUN_TEXT_PIECE_CHARS);
    const runId = newRun();
    const text = lines(60_000);
    expect(text.length).toBeGreaterThan(2 * RUN_TEXT_PIECE_CHARS);
    expect(runTextColumn(text)).toBeNull();
    const n = await writeRunTextPieces(env.store.db, runId, 'script', text);
    expect(n).toBe(Math.ceil(text.length / RUN_TEXT_PIECE_CHARS));
    const pieces = env.store.db.prepare('SELECT piece FROM reinsert_run_texts WHERE run_id = ? ORDER BY seq').pluck().all(runId) as string[];
    expect(pieces).toHaveLength(n);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(RUN_TEXT_PIECE_CHARS);
      expect(p.endsWith('\n')).toBe(true);
    }
    expect(readRunText(env.store.db, runId, 'script', { column: null, pieces: n })).toBe(text);
    env.store.db.prepare('UPDATE reinsert_runs SET script_pieces = ? WHERE id = ?').run(n, runId);
    expect((await readRunTextsCooperatively(env.store.db, env.store.path, runId))?.script).toBe(text);
    // the undo of the same run is another text
    expect(readRunText(env.store.db, runId, 'undo', { column: null, pieces: null })).toBeNull();
  });

  it('a pair of surrogates at a piece\'s limit, in a text without line breaks, is not split (two U+FFFD read back)', async () => {
    const runId = newRun();
    const text = 'a'.repeat(RUN_TEXT_PIECE_CHARS - 1) + '\u{1F600}' + 'b'.repeat(10);
    const n = await writeRunTextPieces(env.store.db, runId, 'undo', text);
    expect(n).toBe(2);
    expect(readRunText(env.store.db, runId, 'undo', { column: null, pieces: n })).toBe(text);
  });

  it('pieces not yet counted on the run (a write that did not end) are not read; a missing piece is refused by name', async () => {
    const runId = newRun();
    const text = lines(40_000);
    const n = await writeRunTextPieces(env.store.db, runId, 'script', text);
    expect(n).toBeGreaterThan(1);
    expect(readRunText(env.store.db, runId, 'script', { column: null, pieces: null })).toBeNull();
    env.store.db.prepare('DELETE FROM reinsert_run_texts WHERE run_id = ? AND seq = 1').run(runId);
    expect(() => readRunText(env.store.db, runId, 'script', { column: null, pieces: n })).toThrow(expect.objectContaining({ code: 'STAGING_RUN_TEXT_DAMAGED', message: expect.stringMatching(new RegExp(`run ${runId}'s script is kept in ${n} piece\\(s\\), of which the staging file holds ${n - 1}`)) }));
    env.store.db.prepare('UPDATE reinsert_runs SET script_pieces = ? WHERE id = ?').run(n, runId);
    await expect(readRunTextsCooperatively(env.store.db, env.store.path, runId)).rejects.toMatchObject({ code: 'STAGING_RUN_TEXT_DAMAGED', message: expect.stringContaining(`of which the staging file holds ${n - 1}`) });
  });

  it('writing and reading take a turn of the event loop after each piece', async () => {
    const runId = newRun();
    const text = lines(100_000);
    let turns = 0;
    let on = true;
    const tick = (): void => { if (on) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const n = await writeRunTextPieces(env.store.db, runId, 'script', text);
    const written = turns;
    env.store.db.prepare('UPDATE reinsert_runs SET script_pieces = ? WHERE id = ?').run(n, runId);
    expect((await readRunTextsCooperatively(env.store.db, env.store.path, runId))?.script).toBe(text);
    on = false;
    expect(n).toBeGreaterThanOrEqual(4);
    expect(written).toBeGreaterThanOrEqual(n - 1);
    expect(turns - written).toBeGreaterThanOrEqual(n - 1);
  });
});
