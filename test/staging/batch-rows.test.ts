/**
 * A re-insert batch's rows, one row each (reinsert_batch_rows, migration 13), and the rows re-insert
 * runs hold from decisions found through it (store.ts heldRows). Which rows a run holds was found
 * with json_each over every uncommitted batch's row_ids JSON: a filter decision over 1.1 M rows, 1 M
 * of them in a running run's batches, took 3.7-4.2 s. SYNTHETIC store: rows, runs and batches
 * written in SQL, at schema version 12 (before the table) and after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StagingStore, type RowHold } from '../../src/staging/store.js';
import { MIGRATIONS, migrate } from '../../src/staging/migrations.js';
import { recordBatches } from '../../src/reinsert/execute.js';
import type { ReinsertPlan } from '../../src/reinsert/plan.js';

/** Each run: [job, state, dry_run, batches of [batch_no, state, row ids in plan order]]. */
const RUNS: [number, string, number, [number, string, number[]][]][] = [
  // run 1, running: batches not committed hold (a failed one too); row 10 is also in run 2's batch 1
  [1, 'running', 0, [[1, 'planned', [3, 1, 2]], [2, 'committed', [4, 5]], [3, 'failed', [6, 7, 8]], [4, 'planned', [9, 10]]]],
  // run 2, running: row 10 is run 1's (the first run's first batch)
  [1, 'running', 0, [[1, 'planned', [10, 11]], [2, 'planned', [12]]]],
  // run 3, failed: its first planned batch may have committed unrecorded (held, but row 1 is run 1's:
  // a running run's hold wins); its later planned batch holds nothing
  [1, 'failed', 0, [[1, 'committed', [13]], [2, 'planned', [14, 1]], [3, 'planned', [15]]]],
  // run 4: a dry run holds nothing; run 5: another job's; run 6: succeeded
  [1, 'running', 1, [[1, 'planned', [16]]]],
  [2, 'running', 0, [[1, 'planned', [41]]]],
  [1, 'succeeded', 0, [[1, 'committed', [17]]]],
];

/** The holds of job 1 by the rules (heldRows' doc): row → run, batch, state (a stopped run's). */
const HELD_JOB_1: [number, RowHold][] = [
  ...[3, 1, 2].map((id): [number, RowHold] => [id, { runId: 1, actor: 'op', batchNo: 1 }]),
  ...[6, 7, 8].map((id): [number, RowHold] => [id, { runId: 1, actor: 'op', batchNo: 3 }]),
  ...[9, 10].map((id): [number, RowHold] => [id, { runId: 1, actor: 'op', batchNo: 4 }]),
  [11, { runId: 2, actor: 'op', batchNo: 1 }],
  [12, { runId: 2, actor: 'op', batchNo: 2 }],
  [14, { runId: 3, actor: 'op', batchNo: 2, state: 'failed' }],
];

const sorted = (m: Map<number, RowHold>) => [...m.entries()].sort((a, b) => a[0] - b[0]);

describe('reinsert_batch_rows: a batch\'s rows, one row each, and the holds found through it', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-batch-rows-'));
    file = join(dir, 'staging.db');
    // a store at schema version 12, as the build before this table left it: jobs, rows, runs, batches
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS.filter((m) => m.version <= 12));
    for (const j of [1, 2]) old.prepare(`INSERT INTO jobs (id, kind, spec, description, state, created_by, created_at) VALUES (?, 'files', '{}', 'old job', 'succeeded', 'op', 'x')`).run(j);
    const row = old.prepare(`INSERT INTO rows (id, job_id, tbl, lsn, operation, transaction_id, begin_time, vals, raw, status) VALUES (?, ?, 'dbo.T', ?, 'delete', 't', '2026-01-01T00:00:00', '{}', x'00', 'approved')`);
    for (let id = 1; id <= 50; id++) row.run(id, id <= 40 ? 1 : 2, `l${id}`);
    const run = old.prepare(`INSERT INTO reinsert_runs (id, job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, ?, 'op', 'x', ?, '{}', ?, 500)`);
    const batch = old.prepare('INSERT INTO reinsert_batches (run_id, batch_no, batch_key, row_ids, state) VALUES (?, ?, ?, ?, ?)');
    RUNS.forEach(([job, state, dry, batches], i) => {
      run.run(i + 1, job, dry, state);
      for (const [no, st, ids] of batches) batch.run(i + 1, no, `k${i + 1}-${no}`, JSON.stringify(ids), st);
    });
    old.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migration 13: a version-12 file with batches gets reinsert_batch_rows filled with exactly the batches\' rows; a batch written later fills it too, one deleted leaves it', () => {
    const s = new StagingStore(file);
    try {
      const rowsOf = () => s.db.prepare('SELECT run_id, batch_no, row_id FROM reinsert_batch_rows ORDER BY run_id, batch_no, row_id').raw().all();
      // every batch of every run, whatever its state, dry run or not: its row_ids, one row each
      const want = RUNS.flatMap(([, , , batches], i) => batches.flatMap(([no, , ids]) => [...ids].sort((a, b) => a - b).map((id) => [i + 1, no, id])));
      expect(want).toHaveLength(20);
      expect(rowsOf()).toEqual(want);
      // the batches themselves are as they were (row_ids kept, in plan order)
      expect(s.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = 1 AND batch_no = 1').get()).toEqual({ row_ids: '[3,1,2]' });
      // a run planned now (recordBatches, as ReinsertService does): its batches' rows are there too
      s.db.prepare(`INSERT INTO reinsert_runs (id, job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (7, 1, 'op', 'x', 0, '{}', 'running', 2)`).run();
      recordBatches(s, 7, { batches: [{ batchNo: 1, rows: [{ rowId: 19 }, { rowId: 18 }] }, { batchNo: 2, rows: [{ rowId: 20 }, { rowId: 2 }] }] } as unknown as ReinsertPlan);
      expect(rowsOf()).toEqual([...want, [7, 1, 18], [7, 1, 19], [7, 2, 2], [7, 2, 20]]);
      // a batch's rows go with it (no code deletes a batch; the foreign key cascades if one ever does)
      s.db.prepare('DELETE FROM reinsert_batches WHERE run_id = 7 AND batch_no = 2').run();
      expect(rowsOf()).toEqual([...want, [7, 1, 18], [7, 1, 19]]);
      expect(s.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('the rows runs hold are the same in every answer (rowsHeldByRuns, rowHeldByRun, decide by ids and by filter), before and after new batches', () => {
    const s = new StagingStore(file);
    try {
      expect(sorted(s.rowsHeldByRuns(1))).toEqual([...HELD_JOB_1].sort((a, b) => a[0] - b[0]));
      expect(sorted(s.rowsHeldByRuns(2))).toEqual([[41, { runId: 5, actor: 'op', batchNo: 1 }]]);
      const one = new Map(HELD_JOB_1);
      for (let id = 1; id <= 40; id++) expect(s.rowHeldByRun(1, id)).toEqual(one.get(id));
      expect(s.rowHeldByRun(1, 41)).toBeUndefined();
      expect(s.rowHeldByRun(2, 41)).toEqual({ runId: 5, actor: 'op', batchNo: 1 });
      // by ids: a held row refuses the decision whole, naming its run and batch
      expect(() => s.decide(1, { actor: 'rev', decision: 'reject', reason: 'r', ids: [20, 10, 14] })).toThrow(expect.objectContaining({ code: 'STAGING_DECISION_RUN_ACTIVE' }));
      const refusal = (() => { try { s.decide(1, { actor: 'rev', decision: 'reject', reason: 'r', ids: [20, 10] }); } catch (e) { return e as Error; } return undefined; })();
      expect(refusal?.message).toContain('1 of the rows this decision would change is in re-insert run 1 of job 1, running (started by op): #10 (batch 4)');
      expect(s.getRow(1, 20)!.status).toBe('approved');
      // a run planned now holds its rows too; row 2 stays run 1's (the first run's first batch)
      s.db.prepare(`INSERT INTO reinsert_runs (id, job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (7, 1, 'op', 'x', 0, '{}', 'running', 2)`).run();
      recordBatches(s, 7, { batches: [{ batchNo: 1, rows: [{ rowId: 19 }, { rowId: 18 }] }, { batchNo: 2, rows: [{ rowId: 20 }, { rowId: 2 }] }] } as unknown as ReinsertPlan);
      const after: [number, RowHold][] = [...HELD_JOB_1, [18, { runId: 7, actor: 'op', batchNo: 1 }], [19, { runId: 7, actor: 'op', batchNo: 1 }], [20, { runId: 7, actor: 'op', batchNo: 2 }]];
      expect(sorted(s.rowsHeldByRuns(1))).toEqual(after.sort((a, b) => a[0] - b[0]));
      expect(s.rowHeldByRun(1, 2)).toEqual({ runId: 1, actor: 'op', batchNo: 1 });
      expect(s.rowHeldByRun(1, 20)).toEqual({ runId: 7, actor: 'op', batchNo: 2 });
      // run 1's batch 4 commits: its rows are held no more, but row 10 stays held by run 2
      s.db.prepare("UPDATE reinsert_batches SET state = 'committed' WHERE run_id = 1 AND batch_no = 4").run();
      expect(s.rowHeldByRun(1, 9)).toBeUndefined();
      expect(s.rowHeldByRun(1, 10)).toEqual({ runId: 2, actor: 'op', batchNo: 1 });
      // by filter: the held rows are left out and said; the others decided
      const d = s.decide(1, { actor: 'rev', decision: 'reject', reason: 'r', filter: { status: 'approved' } });
      expect(d.heldBack).toEqual({
        rows: 13,
        runs: [
          { runId: 1, actor: 'op', state: 'running', batches: [1, 3], rows: 6 },
          { runId: 2, actor: 'op', state: 'running', batches: [1, 2], rows: 3 },
          { runId: 3, actor: 'op', state: 'failed', batches: [2], rows: 1 },
          { runId: 7, actor: 'op', state: 'running', batches: [1, 2], rows: 3 },
        ],
        ids: [1, 2, 3, 6, 7, 8, 10, 11, 12, 14, 18, 19, 20],
      });
      expect(d.rows).toBe(40 - 13);
      // the decision's rows are the rows it changed, none of the held ones
      const heldIds = new Set(d.heldBack!.ids);
      expect(s.db.prepare('SELECT row_id FROM decision_rows WHERE decision_id = ? ORDER BY row_id').pluck().all(d.decisionId))
        .toEqual(Array.from({ length: 40 }, (_, i) => i + 1).filter((id) => !heldIds.has(id)));
      expect(s.getRow(1, 9)!.status).toBe('rejected');
      expect(s.getRow(1, 10)!.status).toBe('approved');
      // every row left is held: refused whole
      expect(() => s.decide(1, { actor: 'rev', decision: 'reject', reason: 'r', filter: { status: 'approved' } })).toThrow(expect.objectContaining({ code: 'STAGING_DECISION_RUN_ACTIVE' }));
    } finally {
      s.close();
    }
  });
});
