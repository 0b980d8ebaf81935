import type { StagingStore } from '../staging/store.js';
import { OtherJobsReinserts } from '../reinsert/other-jobs.js';
import { readRunTarget, sideTableOf, targetTableOf } from '../reinsert/run-target.js';
import { inSameTable, sideTableRows } from '../reinsert/side-tables.js';
import { readText, type StoredText } from '../staging/stored-text.js';

/**
 * What a failed or interrupted re-insert run left, for its page and its Resume: read-only queries
 * on the staging file's re-insert tables (the re-insert service answers a run's batches and
 * outcomes, not these), kept beside the route that answers them.
 */

/** Rows of a run not yet committed (the batches a resume runs) and how many of them are no longer approved. */
export interface RunRemaining {
  /** Batches not committed: failed, or never run (planned). */
  batches: number;
  rows: number;
  /** Of those rows, the ones no longer `approved` (rejected since, or re-inserted by another run): their batches fail again on a resume (REINSERT_ROW_NOT_APPROVED). */
  notApproved: number;
  /**
   * Of the rows still approved, the ones another job's run already put back (or may have: a batch
   * of its not known to have run) into the same table, database and server: their batches fail
   * again on a resume (REINSERT_ALREADY_REINSERTED, never twice across jobs), as executeRun checks.
   * The page said nothing of them: a Resume was offered as if every row left would go in.
   */
  elsewhere: number;
  /**
   * Of the rows still approved, the ones another run of this job put into the side table this run
   * puts them into (its tableMap; such rows stay approved): their batches fail again on a resume
   * (REINSERT_ALREADY_REINSERTED, never twice into one table), as executeRun checks.
   */
  inSideTable: number;
  /**
   * Of the batches not committed, the ones that may have committed in the target unrecorded (the
   * one the run was sending when it stopped, one an error answered at COMMIT; StagingStore
   * stoppedRunsInDoubt) and their rows: no decision changes those rows until a resume (or a later run
   * into the same place) reads the target's ledger. The page said "N row(s) not yet committed" of
   * them, while a reviewer's decision on one was refused as maybe back in the table already.
   */
  mayBeIn: { batches: number[]; rows: number };
  /**
   * The same batches' rows that the run's `tableMap` sends to a side table: they may be in that side
   * table unrecorded (a resume, or a later run into the same server, database and ledger table, reads
   * the ledger and records them), but no decision is held for them (a side table leaves a row's
   * status as decided). Left out of `mayBeIn`, the page named none of them: an operator looking in
   * the side table found rows the run's answer did not count. `tables`: each side table and its rows.
   */
  mayBeInSideTable: { batches: number[]; rows: number; tables: { table: string; rows: number }[] };
}

/**
 * What run `runId` has left (see {@link RunRemaining}). Async: other jobs' re-inserted rows are read
 * a page at a time with turns of the event loop between (OtherJobsReinserts.refreshCooperatively),
 * so a store where other jobs put a million rows back does not stop the API while this page asks.
 */
export async function runRemaining(store: StagingStore, runId: number): Promise<RunRemaining> {
  const batches = store.db.prepare("SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND state <> 'committed'").all(runId) as { row_ids: string }[];
  const ids = batches.flatMap((b) => JSON.parse(b.row_ids) as number[]);
  let notApproved = 0;
  const q = store.db.prepare('SELECT count(*) AS n FROM rows WHERE status <> \'approved\' AND id IN (SELECT value FROM json_each(?))');
  for (let i = 0; i < ids.length; i += 10_000) notApproved += (q.get(JSON.stringify(ids.slice(i, i + 10_000))) as { n: number }).n;
  const run = store.db.prepare('SELECT job_id AS jobId FROM reinsert_runs WHERE id = ?').get(runId) as { jobId: number } | undefined;
  const doubt = run ? store.stoppedRunsInDoubt(run.jobId).filter((b) => b.runId === runId) : [];
  const mayBeIn = { batches: doubt.map((b) => b.batchNo).sort((a, b) => a - b), rows: doubt.reduce((n, b) => n + (JSON.parse(b.rowIds) as number[]).length, 0) };
  return { batches: batches.length, rows: ids.length, notApproved, elsewhere: await elsewhereRows(store, runId, ids), inSideTable: inSideTableRows(store, runId, ids), mayBeIn, mayBeInSideTable: mayBeInSideTable(store, runId, run?.jobId) };
}

/** RunRemaining.mayBeInSideTable of run `runId` of job `jobId` (undefined: a run not in the store). */
function mayBeInSideTable(store: StagingStore, runId: number, jobId: number | undefined): RunRemaining['mayBeInSideTable'] {
  const none = { batches: [], rows: 0, tables: [] };
  if (jobId === undefined) return none;
  const map = readRunTarget(store, runId)?.tableMap ?? null;
  if (!map || !Object.keys(map).length) return none;
  const tbl = store.db.prepare('SELECT tbl FROM rows WHERE id = ?');
  const batches = new Set<number>();
  const byTable = new Map<string, number>();
  for (const b of store.stoppedRunsInDoubt(jobId, { allRows: true })) {
    if (b.runId !== runId) continue;
    for (const id of JSON.parse(b.rowIds) as number[]) {
      const t = tbl.get(id) as { tbl: StoredText } | undefined;
      const side = t ? sideTableOf(map, readText(t.tbl)) : null;
      if (side === null) continue;
      batches.add(b.batchNo);
      byTable.set(side, (byTable.get(side) ?? 0) + 1);
    }
  }
  return { batches: [...batches].sort((a, b) => a - b), rows: [...byTable.values()].reduce((n, k) => n + k, 0), tables: [...byTable].map(([table, rows]) => ({ table, rows })) };
}

/**
 * Of `ids` (rows of run `runId` still to run), the approved ones another run of the same job put into
 * the side table run `runId` sends them to, at a place that may be its own (side-tables.ts).
 */
function inSideTableRows(store: StagingStore, runId: number, ids: number[]): number {
  if (!ids.length) return 0;
  const run = readRunTarget(store, runId);
  if (!run?.tableMap) return 0;
  const done = sideTableRows(store, run.jobId, { exceptRunId: runId, rowIds: ids });
  if (!done.size) return 0;
  const row = store.db.prepare('SELECT tbl, status FROM rows WHERE id = ?');
  let n = 0;
  for (const id of ids) {
    const r = row.get(id) as { tbl: StoredText; status: string } | undefined;
    const side = r?.status === 'approved' ? sideTableOf(run.tableMap, readText(r.tbl)) : null;
    if (side !== null && inSameTable(done.get(id), side, run.place)) n++;
  }
  return n;
}

/**
 * Of `ids` (rows of run `runId` still to run), the approved ones another job's run put back (or may
 * have) where this run goes: its target table, database and server as executeRun checks them
 * (run-target.ts readRunTarget: the run's database, else its connection string's).
 */
async function elsewhereRows(store: StagingStore, runId: number, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  const run = readRunTarget(store, runId);
  if (!run) return 0;
  const others = await new OtherJobsReinserts(store, run.jobId).refreshCooperatively();
  if (others.empty) return 0;
  const row = store.db.prepare('SELECT tbl, status FROM rows WHERE id = ?');
  let n = 0;
  for (const id of ids) {
    const r = row.get(id) as { tbl: StoredText; status: string } | undefined;
    // no runId: a resume begins running after every other run, so it passes over none of their
    // batches (counted as of the run's last start, a running run begun since was not counted)
    if (r?.status === 'approved' && others.find(id, targetTableOf(run.tableMap, readText(r.tbl)), run.place)) n++;
  }
  return n;
}

/**
 * The error of each failed batch of a run (the one its rows' `error` outcomes carry), by batch
 * number. Whole: the route hides its message from non-operators (hideMessages).
 */
export function failedBatchErrors(store: StagingStore, runId: number): Map<number, { code: string; message: string }> {
  const rows = store.db.prepare(`SELECT o.batch_no, min(o.detail) AS detail FROM reinsert_outcomes o
      JOIN reinsert_batches b ON b.run_id = o.run_id AND b.batch_no = o.batch_no
    WHERE o.run_id = ? AND o.outcome = 'error' AND b.state = 'failed' GROUP BY o.batch_no`).all(runId) as { batch_no: number; detail: string | null }[];
  const out = new Map<number, { code: string; message: string }>();
  for (const r of rows) {
    const d = r.detail ? (JSON.parse(r.detail) as { code?: string; message?: string }) : {};
    out.set(r.batch_no, { code: d.code ?? 'REINSERT_BATCH_FAILED', message: d.message ?? '' });
  }
  return out;
}

/**
 * The rows a run planned: a dry run's summary says so; a real run's summary is replaced by its
 * outcome counts when it ends (no `rows`), so they are counted from its batches. Null when neither.
 */
export function plannedRows(store: StagingStore, run: { id: number; summary: Record<string, unknown> | null }): number | null {
  if (typeof run.summary?.rows === 'number') return run.summary.rows;
  const r = store.db.prepare('SELECT count(*) AS b, sum(json_array_length(row_ids)) AS n FROM reinsert_batches WHERE run_id = ?').get(run.id) as { b: number; n: number | null };
  return r.b ? r.n ?? 0 : null;
}
