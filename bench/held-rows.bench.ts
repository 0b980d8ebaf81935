/**
 * Rows a re-insert run holds from decisions (printed, not asserted; docs/performance.md "Rows a run
 * holds"). SYNTHETIC store: 1.1 M rows of one job written in SQL (not stageBatch: the figure is the
 * holds', not staging's), a running real run whose planned batches of 500 hold rows 1..1,000,000
 * (`recordBatches`, timed: planning's staging writes), then one call each: rowHeldByRun of one row,
 * rowsHeldByRuns (all), a decision by filter over 100,000 rows (table dbo.B: ids 950,001..1,050,000,
 * half of them held), one over all 1.1 M rows (1 M held). `npm run bench -- held-rows`;
 * ROWBACK_BENCH_ROWS overrides the held count (the job has a tenth more).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagingStore } from '../src/staging/store.js';
import { recordBatches } from '../src/reinsert/execute.js';
import type { ReinsertPlan } from '../src/reinsert/plan.js';

const HELD = Number(process.env.ROWBACK_BENCH_ROWS ?? 1_000_000);
const N = Math.round(HELD * 1.1);
const BATCH = 500;
const B_FROM = Math.round(HELD * 0.95) + 1;
const B_TO = Math.round(HELD * 1.05);
const dir = mkdtempSync(join(tmpdir(), 'rowback-held-bench-'));
const store = new StagingStore(join(dir, 'staging.db'));
const ms = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

try {
  const job = store.createJob({ kind: 'files', spec: {}, description: 'bench', createdBy: 'bench' });
  store.db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
    INSERT INTO rows (id, job_id, tbl, lsn, operation, transaction_id, begin_time, vals, raw, status)
    SELECT i, ?, CASE WHEN i BETWEEN ? AND ? THEN 'dbo.B' ELSE 'dbo.A' END, printf('%010d', i), 'delete', printf('t%d', i / 10),
      '2026-01-01T00:00:00', '{"Id":' || i || '}', x'00', 'pending' FROM n`).run(N, job.id, B_FROM, B_TO);
  const run = Number(store.db.prepare(`INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size)
    VALUES (?, 'op', '2026-12-05T00:00:00Z', 0, '{}', 'running', ?)`).run(job.id, BATCH).lastInsertRowid);
  const batches = [];
  for (let b = 0; b * BATCH < HELD; b++) {
    batches.push({ batchNo: b + 1, rows: Array.from({ length: Math.min(BATCH, HELD - b * BATCH) }, (_, i) => ({ rowId: b * BATCH + i + 1 })) });
  }
  let t = process.hrtime.bigint();
  recordBatches(store, run, { batches } as unknown as ReinsertPlan);
  const planMs = ms(t);
  console.log(`recordBatches: ${HELD.toLocaleString()} rows in ${batches.length} batches, ${planMs.toFixed(0)} ms = ${Math.round(HELD / (planMs / 1000)).toLocaleString()} rows/s`);
  t = process.hrtime.bigint();
  const one = store.rowHeldByRun(job.id, Math.round(HELD * 0.78));
  console.log(`rowHeldByRun, one row: ${ms(t).toFixed(1)} ms (batch ${one?.batchNo})`);
  t = process.hrtime.bigint();
  const all = store.rowsHeldByRuns(job.id);
  console.log(`rowsHeldByRuns: ${ms(t).toFixed(0)} ms, ${all.size.toLocaleString()} rows held`);
  t = process.hrtime.bigint();
  const d1 = store.decide(job.id, { actor: 'bench', decision: 'approve', reason: 'bench', filter: { table: 'dbo.B' } });
  console.log(`decision by filter over ${(B_TO - B_FROM + 1).toLocaleString()} rows: ${ms(t).toFixed(0)} ms, ${d1.rows.toLocaleString()} decided, ${(d1.heldBack?.rows ?? 0).toLocaleString()} held back`);
  t = process.hrtime.bigint();
  const d2 = store.decide(job.id, { actor: 'bench', decision: 'reject', reason: 'bench', filter: { status: ['pending', 'approved'] } });
  console.log(`decision by filter over all ${N.toLocaleString()} rows: ${ms(t).toFixed(0)} ms, ${d2.rows.toLocaleString()} decided, ${(d2.heldBack?.rows ?? 0).toLocaleString()} held back`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
