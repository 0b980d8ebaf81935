import type { StagingStore } from '../staging/store.js';
import { readRunTarget, samePlace, sideTableOf, type ReinsertPlace } from './run-target.js';
import { readText, type StoredText } from '../staging/stored-text.js';
import { identifierText, tableNameText } from '../util/tsql.js';

/**
 * Rows a job's runs put into side tables. A run whose tableMap sends a row's table to another table
 * (run-target.ts sideTableOf: `dbo.Contact` → `dbo.Contact_check`, to look at the rows first) records
 * the row's outcome with that table (`reinsert_outcomes.side_table`) and leaves the row `approved`:
 * only a run into the row's own table makes it `reinserted`. So the run into the real table after
 * the side table plans it; and never twice holds per table: a row is not planned again into a side
 * table (same name in any case, same database and server as far as both are known, as other-jobs.ts
 * compares places) a run of its job already put it into.
 *
 * Outcomes recorded before the column existed (staging migration 12) have no side table: their rows
 * were marked `reinserted` by the earlier build and stay so (service.ts reinsertedNote says how to
 * put them into their own table).
 */

/** A run of the job that put a row into a side table. */
export interface SideTableRow {
  runId: number;
  /** The side table's `schema.name`, as the run's tableMap named it. */
  table: string;
  place: ReinsertPlace;
  /** The configured target the run went to (serve's config), null for a connection given in the request. */
  targetName: string | null;
}

/**
 * The rows of job `jobId` that its real runs (all but `exceptRunId`) inserted into side tables, by
 * row id, each with every run that put it into one (in run order); only rows of `rowIds` when given
 * (a batch's, checked before it runs). One query; throws only what better-sqlite3 throws.
 */
export function sideTableRows(store: StagingStore, jobId: number, o: { exceptRunId?: number; rowIds?: readonly number[] } = {}): Map<number, SideTableRow[]> {
  const rows = store.db.prepare(`SELECT o.row_id, o.run_id, o.side_table FROM reinsert_outcomes AS o JOIN reinsert_runs AS r ON r.id = o.run_id
    WHERE r.job_id = ? AND r.dry_run = 0 AND o.outcome = 'inserted' AND o.side_table IS NOT NULL AND o.run_id <> ?
      ${o.rowIds ? 'AND o.row_id IN (SELECT value FROM json_each(?))' : ''} ORDER BY o.run_id, o.row_id`)
    .all(jobId, o.exceptRunId ?? -1, ...(o.rowIds ? [JSON.stringify(o.rowIds)] : [])) as { row_id: number; run_id: number; side_table: string }[];
  const runs = new Map<number, { place: ReinsertPlace; targetName: string | null }>();
  const out = new Map<number, SideTableRow[]>();
  for (const r of rows) {
    let run = runs.get(r.run_id);
    if (!run) {
      const t = readRunTarget(store, r.run_id);
      run = { place: t?.place ?? { server: null, database: null }, targetName: t?.targetName ?? null };
      runs.set(r.run_id, run);
    }
    const e: SideTableRow = { runId: r.run_id, table: r.side_table, ...run };
    const list = out.get(r.row_id);
    if (list) list.push(e);
    else out.set(r.row_id, [e]);
  }
  return out;
}

/**
 * The run among `entries` that put its row into `table` (`schema.name`, any case) at a place that
 * may be `place` (run-target.ts samePlace: a part not known matches any); undefined when none.
 */
export function inSameTable(entries: readonly SideTableRow[] | undefined, table: string, place: ReinsertPlace): SideTableRow | undefined {
  const t = table.toLowerCase();
  return entries?.find((e) => e.table.toLowerCase() === t && samePlace(e.place, place));
}

/** Where a side-table run put rows, in words: the table, its database and configured target when known. */
export function sideTableWhere(e: Pick<SideTableRow, 'table' | 'place' | 'targetName'>): string {
  return `side table ${tableNameText(e.table)}${e.place.database ? ` in database ${identifierText(e.place.database)}` : ''}${e.targetName ? ` of target '${e.targetName}'` : ''}`;
}

/** One line: why row `rowId` of job `jobId` is not planned into `e.table` again (REINSERT_ALREADY_REINSERTED). */
export function sideTableMessage(rowId: number, jobId: number, e: SideTableRow): string {
  return `row ${rowId} was already put into ${sideTableWhere(e)} by re-insert run ${e.runId} of job ${jobId}: never twice into one table (the row stays approved: a run into its own table still puts it back); staging records what rowback's runs put in, not what was deleted by hand since: after run ${e.runId}'s undo script was run, the row still counts as in that table here, so put it into a side table of another name`;
}

/**
 * The side tables of run `runId`'s outcomes recorded before staging migration 12, by row id: their
 * `side_table` is NULL, and a side-table run of that build marked its rows `reinserted` as if back in
 * their own table. The run's tableMap (as its plan resolved it, run-target.ts sideTableOf) tells where
 * each went, as execute.ts recordOutcome names it since; empty for a run without a map. Read so, the
 * row's answer and the run's said "inserted" with no side table beside a row `reinserted`: a row only
 * in a side table read as back in its own one.
 */
export function legacySideTables(store: StagingStore, runId: number, rowIds: readonly number[]): Map<number, { table: string; outcome: string }> {
  const out = new Map<number, { table: string; outcome: string }>();
  const map = readRunTarget(store, runId)?.tableMap ?? null;
  if (!map || !Object.keys(map).length) return out;
  const rows = store.db.prepare(`SELECT o.row_id, o.outcome, w.tbl FROM reinsert_outcomes AS o JOIN rows AS w ON w.id = o.row_id
    WHERE o.run_id = ? AND o.side_table IS NULL AND o.row_id IN (SELECT value FROM json_each(?))`)
    .all(runId, JSON.stringify(rowIds)) as { row_id: number; outcome: string; tbl: StoredText }[];
  for (const r of rows) {
    const side = sideTableOf(map, readText(r.tbl));
    if (side !== null) out.set(r.row_id, { table: side, outcome: r.outcome });
  }
  return out;
}

/**
 * The outcome counts of run `runId`'s outcomes recorded before staging migration 12 per side table
 * (see legacySideTables): counted per source table in SQL, each source table judged once.
 */
export function legacySideTableCounts(store: StagingStore, runId: number): Map<string, { inserted: number; conflict: number; error: number }> {
  const out = new Map<string, { inserted: number; conflict: number; error: number }>();
  const map = readRunTarget(store, runId)?.tableMap ?? null;
  if (!map || !Object.keys(map).length) return out;
  const rows = store.db.prepare(`SELECT w.tbl, sum(o.outcome = 'inserted') AS inserted, sum(o.outcome = 'conflict') AS conflict, sum(o.outcome = 'error') AS error
    FROM reinsert_outcomes AS o JOIN rows AS w ON w.id = o.row_id WHERE o.run_id = ? AND o.side_table IS NULL GROUP BY w.tbl`)
    .all(runId) as { tbl: StoredText; inserted: number; conflict: number; error: number }[];
  for (const r of rows) {
    const side = sideTableOf(map, readText(r.tbl));
    if (side === null) continue;
    const e = out.get(side) ?? { inserted: 0, conflict: 0, error: 0 };
    e.inserted += r.inserted;
    e.conflict += r.conflict;
    e.error += r.error;
    out.set(side, e);
  }
  return out;
}
