/**
 * A real run's undo script is written when the run ends, from its ledger (service.ts finish). It
 * was rendered in one piece and kept with one SQLite UPDATE: at ~500,000 rows ~430 MB, with every
 * request waiting. Now it is rendered a batch at a time and kept a piece at a time (run-texts.ts
 * writeRunTextChunks) with turns of the event loop, its pieces counted in the statement that ends
 * the run, as a dry run's scripts are (test/api/reinsert-dry-run-responsive.test.ts).
 * SYNTHETIC staged rows (the staging fixtures' corpus examples) and a fake target (an SQLite file)
 * whose every call takes a turn of the event loop, as a real server's network round trip does (the
 * bare fake answers in microtasks: the whole run would hold the event loop, not only its end).
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { corpusRows, EXAMPLES, LAYOUTS } from '../staging/fixtures.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { listening, pingedWhile } from '../support/http-stall.js';
import { FakeTarget, targetTables } from '../reinsert/fake-target.js';
import { RUN_TEXT_PIECE_CHARS } from '../../src/staging/run-texts.js';
import type { PlannedBatch } from '../../src/reinsert/plan.js';

/** `target` whose session's every call first takes a turn of the event loop (a network round trip's). */
function overTheNetwork(target: FakeTarget): FakeTarget {
  const session = target.session.bind(target);
  target.session = async () => {
    const s = await session();
    const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
    return Object.fromEntries(Object.entries(s).map(([k, f]) => [k, async (...a: unknown[]) => { await turn(); return (f as (...x: unknown[]) => unknown)(...a); }])) as unknown as typeof s;
  };
  return target;
}

/**
 * A finished files job of `n` staged rows of dbo.LogTestTrailNull (a heap: the fake target finds no
 * conflict, every row is inserted and deleted by the undo, as a mass delete's rows are), every one
 * approved; its id.
 */
function approvedJob(t: TestApp, n: number): number {
  const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'mass delete', createdBy: 'olga' });
  t.store.setJobState(job.id, 'running');
  t.store.saveJobTables(job.id, Object.values(LAYOUTS));
  const per = EXAMPLES.length;
  for (let i = 0; i < n; i += 2_000) t.store.stageBatch(job.id, corpusRows(Math.min(2_000, n - i) * per, i * per).filter((r) => r.table === 'dbo.LogTestTrailNull'));
  t.store.setJobState(job.id, 'succeeded');
  t.store.decide(job.id, { actor: 'rafael', decision: 'approve', reason: 'the cleanup', all: true });
  return job.id;
}

// Measured idle on 2 cores (other work beside), 2026-12-06, 12,000 rows (an undo of 7.95 M
// characters, 8 pieces): from the last batch's commit to the run's end, the longest /api/me wait
// over that time: old code 257/304, 313/327, 570/694 ms (0.82–0.96: the end is one block); now
// 42/310, 52/273, 65/345 ms (0.14–0.19). The share, not the wait, is bounded (http-stall.ts).
it('a real run of 12,000 rows ends without holding the service: its undo is written in pieces with turns, /api/me waits under half of the end\'s time', async () => {
  let target!: FakeTarget;
  const t = await testApp({ maxRequestsPerToken: 100_000, connectTarget: () => target });
  target = overTheNetwork(new FakeTarget(join(t.dir, 'target.db'), targetTables()));
  try {
    const n = 12_000;
    const jobId = approvedJob(t, n);
    // the last batch held after its commit in the target until the pinger runs: what is measured is
    // the run's end alone (recording that batch, the undo, the run's last statement)
    let reached!: () => void;
    const atLast = new Promise<void>((r) => { reached = r; });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let batches = 0;
    t.app.reinsert.hooks = { afterTargetCommit: async (b: PlannedBatch) => { if (b.batchNo === batches) { reached(); await gate; } } };
    const started = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=crm-sql;Database=crm' } } });
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id as number;
    batches = started.json().summary.batches as number;
    await atLast;
    const base = await listening(t.app);
    const end = await pingedWhile(base, t.tokens.viewer, async () => {
      release();
      await t.app.reinsert.wait(runId);
    }, `run ${runId}'s end`);
    expect(end.maxStallMs / end.elapsedMs, `/api/me waited ${end.maxStallMs.toFixed(0)} ms of the run's end's ${end.elapsedMs.toFixed(0)} ms`).toBeLessThan(0.5);
    expect(end.pings).toBeGreaterThan(1);
    const row = t.store.db.prepare('SELECT state, undo_script, undo_pieces FROM reinsert_runs WHERE id = ?').get(runId) as { state: string; undo_script: string | null; undo_pieces: number | null };
    const { undoScript } = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens.viewer) })).json() as { undoScript: string };
    expect(row).toEqual({ state: 'succeeded', undo_script: null, undo_pieces: expect.any(Number) });
    expect(row.undo_pieces).toBeGreaterThanOrEqual(Math.ceil(undoScript.length / RUN_TEXT_PIECE_CHARS));
    // every row inserted, each deleted by the undo, which the route and the service read back alike
    const inserted = t.app.reinsert.getRun(runId)!.outcomes.inserted;
    expect(inserted).toBe(n);
    expect(undoScript).toMatch(new RegExp(`^-- undo for rowback re-insert run ${runId} \\(job ${jobId}\\), from the run's ledger \\(${inserted} row\\(s\\) it inserted\\)`));
    expect(t.app.reinsert.script(runId)!.undoScript).toBe(undoScript);
  } finally {
    await t.close();
    target.dispose();
  }
}, 120_000);
