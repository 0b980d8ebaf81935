import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { writeRunTextChunks } from '../../src/staging/run-texts.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget } from './fake-target.js';

/**
 * A real run's undo is written when it ends, a piece at a time (service.ts finish, keepUndo;
 * run-texts.ts writeRunTextChunks), its pieces counted with the run's end. When that write fails
 * (the staging file full), the run still ends, its pieces are deleted, and its undo is a short
 * script that refuses to run and names the job's undo export; before, the undo was one UPDATE in
 * the statement that ended the run. SYNTHETIC rows (the corpus examples' layouts), a fake target;
 * the failure simulated at a piece's INSERT.
 */
describeCorpus("a real run whose undo's write fails", () => {
  const env = storeAndTarget('rowback-undo-write-');
  const spec = { connectionString: 'Server=fake;Password=never-stored' };

  it('ends, keeps no piece of it, and its undo refuses to run and says where the undo is', async () => {
    // 2,000 approved rows of dbo.LogTestTrailNull (a heap: all inserted): an undo of ~1.3 M characters, 2 pieces
    const jobId = approvedTrailJob(env.store, corpusRows(12_000, 0));
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const db = env.store.db;
    const prepare = db.prepare.bind(db);
    let refused = 0;
    db.prepare = ((sql: string) => {
      const stmt = prepare(sql);
      if (!/^INSERT INTO reinsert_run_texts/.test(sql)) return stmt;
      // the undo's first piece written, its second refused (the script's pieces go through)
      let undoPieces = 0;
      return new Proxy(stmt, { get: (o, k) => (k === 'run' ? (...a: unknown[]) => { if (a[1] === 'undo' && ++undoPieces > 1) { refused++; throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL'); } return o.run(...a); } : Reflect.get(o, k)) });
    }) as typeof db.prepare;
    let runId: number;
    try {
      const run = await svc.start(jobId, 'op', { dryRun: false, target: spec });
      runId = run.id;
      await svc.wait(run.id);
    } finally {
      db.prepare = prepare;
    }
    expect(refused).toBe(1);
    const run = svc.getRun(runId)!;
    expect(run).toMatchObject({ state: 'succeeded', outcomes: { inserted: 2_000, conflict: 0, error: 0 } });
    expect(env.target.counts()).toMatchObject({ rows: 2_000, duplicates: 0 });
    expect(db.prepare("SELECT count(*) FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo'").pluck().get(runId)).toBe(0);
    expect(db.prepare('SELECT undo_pieces FROM reinsert_runs WHERE id = ?').pluck().get(runId)).toBeNull();
    const undo = svc.script(runId)!.undoScript!;
    expect(undo).toMatch(new RegExp(`^-- rowback: the undo of re-insert run ${runId} could not be written when it ended \\(database or disk is full\\)\\. Undo the job's runs with GET /api/jobs/${jobId}/export\\?format=undo-sql`));
    // a refusal that leaves the session as it was (plan.ts refusalScript): no SET NOEXEC ON left behind
    expect(undo).toContain("16, 1);\nRETURN;");
    expect(undo).not.toContain("NOEXEC");
    expect(undo).not.toContain('DELETE');
  });

  it('writeRunTextChunks writes pieces of at most pieceChars characters that read back as the text, and a short text as its column', async () => {
    const jobId = approvedTrailJob(env.store, corpusRows(6, 0));
    const runId = Number(env.store.db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'op', 'x', 0, '{}', 'running', 500)").run(jobId).lastInsertRowid);
    const chunks = ['-- head', 'DELETE 1;\nDELETE 2;', 'x'.repeat(25), '\ud83d\ude00'.repeat(6), 'COMMIT;'];
    const w = await writeRunTextChunks(env.store.db, runId, 'undo', chunks, 10);
    expect(w.column).toBeNull();
    const pieces = env.store.db.prepare("SELECT piece FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo' ORDER BY seq").pluck().all(runId) as string[];
    expect(pieces).toHaveLength(w.pieces);
    expect(pieces.join('')).toBe(chunks.join('\n'));
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(10);
    // no pair of surrogates split between two pieces
    for (const p of pieces) expect(/[\ud800-\udbff]$/.test(p)).toBe(false);
    expect(await writeRunTextChunks(env.store.db, runId, 'undo', ['a', 'b'], 10)).toEqual({ column: 'a\nb', pieces: 0 });
    expect(env.store.db.prepare('SELECT count(*) FROM reinsert_run_texts WHERE run_id = ?').pluck().get(runId)).toBe(0);
  });
});
