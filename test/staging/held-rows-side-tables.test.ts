/**
 * Rows a running re-insert run holds from decisions (store.ts heldRows) leave out the rows its
 * tableMap sends to a side table. The run's map was read (runSideTables: its target JSON and the
 * job's tables parsed) once for each of its uncommitted batches, and each row's table looked up one by
 * one: rowsHeldByRuns over 400 batches of 200,000 rows with a tableMap took 387–570 ms against 37 ms
 * without one (SYNTHETIC bench, bench/held-rows.bench.ts with a tableMap). Now the map is read once a
 * run, and a batch's tables once; the holds are the same, a batch holding rows of a table going to
 * its own table and of one going to a side table (two sources into one target) held row by row.
 * SYNTHETIC store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { recordBatches } from '../../src/reinsert/execute.js';
import type { ReinsertPlan } from '../../src/reinsert/plan.js';

describe('rows a running run holds, with a tableMap', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-held-side-')); store = new StagingStore(join(dir, 'staging.db')); });
  afterEach(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });

  it('reads the run\'s map once, holds a side table\'s rows never and a mixed batch\'s row by row', () => {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    // rows 1..6 of dbo.A (its own table), 7..12 of dbo.X (sent to dbo.A: a side table for X)
    store.db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
      INSERT INTO rows (id, job_id, tbl, lsn, operation, transaction_id, begin_time, vals, raw, status)
      SELECT i, ?, CASE WHEN i <= 6 THEN 'dbo.A' ELSE 'dbo.X' END, printf('%010d', i), 'delete', 't', '2026-01-01T00:00:00', '{}', x'00', 'approved' FROM n`).run(job.id);
    const run = Number(store.db.prepare(`INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size)
      VALUES (?, 'op', '2026-12-05T00:00:00Z', 0, '{}', 'running', 4)`).run(job.id).lastInsertRowid);
    // batches: A only, X only, A and X mixed
    const batches = [[1, 2, 3], [7, 8, 9], [4, 5, 10, 11]].map((ids, i) => ({ batchNo: i + 1, rows: ids.map((rowId) => ({ rowId })) }));
    recordBatches(store, run, { batches } as unknown as ReinsertPlan);
    let reads = 0;
    store.runSideTables = () => { reads++; return (tbl) => (tbl === 'dbo.X' ? 'dbo.A' : null); };
    const held = store.rowsHeldByRuns(job.id);
    expect([...held.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(held.get(4)!.batchNo).toBe(3);
    expect(reads).toBe(1);
    // one row asked, of the mixed batch: held by its own table, not by the side table
    expect(store.rowHeldByRun(job.id, 5)?.batchNo).toBe(3);
    expect(store.rowHeldByRun(job.id, 10)).toBeUndefined();
  });
});
