import { redactDeep } from '../util/redact.js';
import { stringifyKeepingNegativeZero, hasNegativeZero } from '../util/negative-zero.js';
import { randomBytes } from 'node:crypto';
import { isRowbackError, ReinsertError } from '../errors.js';
import type { StagingStore } from '../staging/store.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { LEDGER_HOLDS_PREFIX, ledgerHolds, refusalScript, type PlannedBatch, type PlannedRow, type ReinsertPlan } from './plan.js';
import { keyCompareText } from './key-fold.js';
import type { BatchOutcome, ReinsertTarget, RowLedgerEntry, TargetSession } from './target.js';
import { OtherJobsReinserts, otherJobMessage, type ReinsertPlace } from './other-jobs.js';
import { readRunTarget, sideTableOf } from './run-target.js';
import { inSameTable, sideTableMessage, sideTableRows } from './side-tables.js';
import { readText, type StoredText } from '../staging/stored-text.js';

/**
 * Running a re-insert so that a crash at any point never inserts a row twice.
 *
 * The target (SQL Server) and the staging store (SQLite) cannot commit together, so each batch
 * carries an idempotency key and goes through three steps:
 *  1. plan: every batch, its key and its row ids are written to `reinsert_batches` (SQLite) before
 *     anything touches the target;
 *  2. target transaction: check the ledger for the key (a committed batch is never redone) and
 *     the row ledger for the rows' deletes (a row put back by any run or script is refused),
 *     insert the rows that have no conflicting key, record them in the row ledger, write the ledger row (key + outcome) and
 *     COMMIT — rows and ledger row commit or vanish together;
 *  3. staging transaction: the row outcomes, the rows' new status (none for a row put into a side
 *     table: it stays approved, side-tables.ts) and the batch's `committed` marker, together.
 * A crash between 2 and 3 leaves a batch `planned` in SQLite but present in the ledger: on resume
 * the ledger's outcome is recorded and nothing is re-inserted. A crash before 2 commits rolls the
 * target transaction back (the connection dies), so the batch is simply run again.
 */

export interface ExecuteHooks {
  /** Test hook: called inside the target transaction just before COMMIT. */
  beforeCommit?: (batch: PlannedBatch) => Promise<void> | void;
  /** Test hook: after the target COMMIT, before the staging store records it. */
  afterTargetCommit?: (batch: PlannedBatch) => Promise<void> | void;
}

export interface ExecuteOptions {
  logger?: Logger;
  /** Batches at least this large (and without identity) use bulk insert when the target supports it. */
  bulkThreshold?: number;
  hooks?: ExecuteHooks;
  /**
   * Where the run puts rows (server host, database): each batch is first checked against the rows
   * other jobs of the store re-inserted there since the run was planned (other-jobs.ts). Absent:
   * not known, which matches any place.
   */
  place?: ReinsertPlace;
  /**
   * Filled with the ids of earlier runs of the job whose batches this run found committed in the
   * target's ledger and recorded (their undo scripts, written when they ended, do not hold those
   * rows: service.ts writes them again).
   */
  earlierRecorded?: Set<number>;
}

interface BatchRow { batch_no: number; batch_key: string; row_ids: string; state: 'planned' | 'committed' | 'failed' }

/**
 * Step 1: writes the batches of a plan for a run (once; a resumed run keeps its keys): each batch's
 * row ids as a JSON array in plan order (`reinsert_batches.row_ids`), and, by the trigger of staging
 * migration 13, one `reinsert_batch_rows` row each (which rows a run holds from decisions is looked
 * up there: store.ts heldRows). Throws only what better-sqlite3 throws.
 */
export function recordBatches(store: StagingStore, runId: number, plan: ReinsertPlan): void {
  const has = store.db.prepare('SELECT count(*) AS n FROM reinsert_batches WHERE run_id = ?').get(runId) as { n: number };
  if (has.n > 0) return;
  const ins = store.db.prepare("INSERT INTO reinsert_batches (run_id, batch_no, batch_key, row_ids, state) VALUES (?, ?, ?, ?, 'planned')");
  store.db.transaction(() => {
    for (const b of plan.batches) {
      ins.run(runId, b.batchNo, `rowback-${runId}-${b.batchNo}-${randomBytes(6).toString('hex')}`, JSON.stringify(b.rows.map((r) => r.rowId)));
    }
  })();
}

/**
 * The side table run `runId` puts each row into (run-target.ts sideTableOf, the run's tableMap as its
 * plan resolved it), null for a row going into its own table: a function of the row id, reading the
 * run's target once.
 */
function sideTablesOfRun(store: StagingStore, runId: number): (rowId: number) => string | null {
  const map = readRunTarget(store, runId)?.tableMap ?? null;
  if (!map || !Object.keys(map).length) return () => null;
  const tbl = store.db.prepare('SELECT tbl FROM rows WHERE id = ?');
  return (rowId) => {
    const t = tbl.get(rowId) as { tbl: StoredText } | undefined;
    return t ? sideTableOf(map, readText(t.tbl)) : null;
  };
}

/**
 * Step 3: one SQLite transaction for a batch's outcomes, row statuses and commit marker. A row put
 * into a side table (the run's tableMap sends its table to another one) keeps its status (approved):
 * its outcome names the side table (`side_table`), and only a run into its own table consumes it.
 */
function recordOutcome(store: StagingStore, runId: number, jobId: number, batchNo: number, o: BatchOutcome): void {
  const out = store.db.prepare('INSERT OR REPLACE INTO reinsert_outcomes (run_id, row_id, batch_no, outcome, detail, side_table) VALUES (?, ?, ?, ?, ?, ?)');
  const st = store.db.prepare('UPDATE rows SET status = ? WHERE id = ? AND job_id = ?');
  const side = sideTablesOfRun(store, runId);
  store.db.transaction(() => {
    // the audit says where a batch's rows went: the inserts into each side table (the rest went
    // into their own tables); a reader of the trail took every insert for one into its own table
    const intoSide = new Map<string, number>();
    for (const id of o.inserted) {
      const s = side(id);
      out.run(runId, id, batchNo, 'inserted', null, s);
      if (s === null) st.run('reinserted', id, jobId);
      else intoSide.set(s, (intoSide.get(s) ?? 0) + 1);
    }
    for (const c of o.conflicts) {
      const s = side(c.rowId);
      out.run(runId, c.rowId, batchNo, 'conflict', conflictJson(c), s);
      if (s === null) st.run('conflict', c.rowId, jobId);
    }
    store.db.prepare("UPDATE reinsert_batches SET state = 'committed', committed_at = ? WHERE run_id = ? AND batch_no = ?").run(new Date().toISOString(), runId, batchNo);
    store.appendAudit('system', 'reinsert.batch', jobId, { runId, batchNo, inserted: o.inserted.length, conflicts: o.conflicts.length, ...(intoSide.size ? { insertedIntoSideTables: Object.fromEntries(intoSide) } : {}) });
  })();
}

function recordFailure(store: StagingStore, runId: number, jobId: number, batch: PlannedBatch, error: { code: string; message: string; mayHaveCommitted?: boolean }): void {
  const out = store.db.prepare('INSERT OR REPLACE INTO reinsert_outcomes (run_id, row_id, batch_no, outcome, detail, side_table) VALUES (?, ?, ?, ?, ?, ?)');
  const side = sideTablesOfRun(store, runId);
  store.db.transaction(() => {
    for (const r of batch.rows) out.run(runId, r.rowId, batch.batchNo, 'error', JSON.stringify(redactDeep(error)), side(r.rowId));
    store.db.prepare("UPDATE reinsert_batches SET state = 'failed' WHERE run_id = ? AND batch_no = ?").run(runId, batch.batchNo);
    store.appendAudit('system', 'reinsert.batch-failed', jobId, { runId, batchNo: batch.batchNo, ...error });
  })();
}

/**
 * The undo of run `earlierRunId` while run `byRun`, which recorded batches of it from the target's
 * ledger, still runs: a script that refuses to run (plan.ts refusalScript: RAISERROR 16, RETURN), saying why and
 * where the undo is meanwhile. Its undo written when it ended named those rows "its batch did not
 * run" and deleted none of them, while its answer counted them inserted.
 */
function undoBeingWrittenAgain(earlierRunId: number, byRun: number, jobId: number): string {
  const msg = `rowback: the undo of re-insert run ${earlierRunId} is being written again: run ${byRun} found batches of it committed in the target's ledger that it had not recorded, and the undo written when it ended left their rows out; it is written again when run ${byRun} ends (GET /api/reinsert-runs/${earlierRunId}/script); meanwhile undo the job's runs with GET /api/jobs/${jobId}/export?format=undo-sql`;
  return refusalScript(msg);
}

/** The rows of a batch whose staged status is no longer `approved`, with that status. */
function rowsNoLongerApproved(store: StagingStore, jobId: number, batch: PlannedBatch): { id: number; status: string }[] {
  const q = store.db.prepare('SELECT status FROM rows WHERE job_id = ? AND id = ?');
  const out: { id: number; status: string }[] = [];
  for (const r of batch.rows) {
    const s = (q.get(jobId, r.rowId) as { status: string } | undefined)?.status ?? 'missing';
    if (s !== 'approved') out.push({ id: r.rowId, status: s });
  }
  return out;
}

export interface RunSummary { inserted: number; conflicts: number; failedBatches: number; batches: number }

/** Steps 2 and 3 for every batch not yet committed. Resuming a run is calling this again. */
export async function executeRun(store: StagingStore, runId: number, jobId: number, plan: ReinsertPlan, target: ReinsertTarget, o: ExecuteOptions = {}): Promise<RunSummary> {
  const log = (o.logger ?? silentLogger).child({ runId, jobId });
  recordBatches(store, runId, plan);
  const recorded = new Map((store.db.prepare('SELECT batch_no, batch_key, row_ids, state FROM reinsert_batches WHERE run_id = ?').all(runId) as BatchRow[]).map((b) => [b.batch_no, b]));
  const others = new OtherJobsReinserts(store, jobId);
  const place: ReinsertPlace = o.place ?? { server: null, database: null };
  const sideOf = sideTablesOfRun(store, runId);
  await target.ensureLedger();
  for (const l of new Set(plan.batches.filter((b) => b.rows.some((r) => r.rowKey !== null)).map((b) => b.rowLedger))) await target.ensureRowLedger(l);
  const session = await target.session();
  let failedBatches = 0;
  try {
    // A batch of an earlier run of the job that staging does not record as committed may have
    // committed in this target all the same (a crash or a lost connection after its COMMIT): its
    // rows are still `approved`, so this run planned them again. Its ledger outcome is recorded
    // first (those rows become reinserted/conflict; rows it put into a side table stay approved, with
    // their outcome naming it), and the batches of this run holding them are then refused below
    // (REINSERT_ROW_NOT_APPROVED; into that same side table REINSERT_ALREADY_REINSERTED): a new run
    // after a failed or interrupted one inserted them twice (a heap has nothing to stop it).
    const earlier = store.db.prepare(
      "SELECT b.run_id, b.batch_no, b.batch_key FROM reinsert_batches AS b JOIN reinsert_runs AS r ON r.id = b.run_id WHERE r.job_id = ? AND r.dry_run = 0 AND b.run_id <> ? AND b.state <> 'committed' ORDER BY b.run_id, b.batch_no",
    ).all(jobId, runId) as { run_id: number; batch_no: number; batch_key: string }[];
    for (const e of earlier) {
      const done = await session.ledgerGet(e.batch_key);
      if (!done) continue;
      log.warn({ earlierRunId: e.run_id, batchNo: e.batch_no }, 'a batch of an earlier run was committed in the target but not recorded: recording it');
      recordOutcome(store, e.run_id, jobId, e.batch_no, done);
      // its undo, written when it ended, says this batch did not run and deletes none of its rows;
      // written again when this run ends (service.ts rewriteUndo): until then it refuses to run
      store.db.prepare('UPDATE reinsert_runs SET undo_script = ? WHERE id = ?').run(undoBeingWrittenAgain(e.run_id, runId, jobId), e.run_id);
      o.earlierRecorded?.add(e.run_id);
    }
    for (const batch of plan.batches) {
      const rec = recorded.get(batch.batchNo);
      if (!rec) throw new ReinsertError('REINSERT_PLAN_CHANGED', `run ${runId} has no recorded batch ${batch.batchNo}`);
      const ids = JSON.parse(rec.row_ids) as number[];
      if (ids.join(',') !== batch.rows.map((r) => r.rowId).join(',')) {
        throw new ReinsertError('REINSERT_PLAN_CHANGED', `batch ${batch.batchNo} of run ${runId} no longer holds the rows it was planned with`);
      }
      if (rec.state === 'committed') continue;
      const done = await session.ledgerGet(rec.batch_key);
      if (done) {
        log.info({ batchNo: batch.batchNo }, 'batch already committed in the target: recording its outcome');
        recordOutcome(store, runId, jobId, batch.batchNo, done);
        continue;
      }
      // Every row must still be approved when its batch runs: a resumed run's rows may have been
      // rejected since, or re-inserted by another run of the job (they went in twice before).
      const changed = rowsNoLongerApproved(store, jobId, batch);
      if (changed.length) {
        const error = {
          code: 'REINSERT_ROW_NOT_APPROVED',
          message: `batch ${batch.batchNo} of run ${runId} not run: row${changed.length > 1 ? 's' : ''} ${changed.slice(0, 10).map((c) => `${c.id} (${c.status})`).join(', ')}${changed.length > 10 ? ` … (${changed.length} in all)` : ''} ${changed.length > 1 ? 'are' : 'is'} no longer approved since the run was planned; nothing of the batch was inserted`,
        };
        log.warn({ batchNo: batch.batchNo, rows: changed.length }, 'batch holds rows no longer approved');
        recordFailure(store, runId, jobId, batch, error);
        failedBatches++;
        continue;
      }
      // Never twice across jobs: another job's run may have put one of these rows into the same
      // table since this run was planned (two jobs' runs at once, or this one resumed later).
      others.refresh();
      const elsewhere = others.empty ? [] : batch.rows.flatMap((r) => { const x = others.find(r.rowId, r.table, place, { runId }); return x ? [{ id: r.rowId, x }] : []; });
      if (elsewhere.length) {
        const error = {
          code: 'REINSERT_ALREADY_REINSERTED',
          message: `batch ${batch.batchNo} of run ${runId} not run: ${otherJobMessage(elsewhere[0]!.id, elsewhere[0]!.x)}${elsewhere.length > 1 ? ` (and ${elsewhere.length - 1} more row(s) of the batch: ${elsewhere.slice(1, 11).map((e) => e.id).join(', ')}${elsewhere.length > 11 ? ' …' : ''})` : ''}; nothing of the batch was inserted (reject those rows, then start a new run for the rest)`,
        };
        log.warn({ batchNo: batch.batchNo, rows: elsewhere.length }, 'batch holds rows another job re-inserted');
        recordFailure(store, runId, jobId, batch, error);
        failedBatches++;
        continue;
      }
      // Never twice into one side table: its rows stay approved (recordOutcome), so another run of
      // this job may have put them into the table this batch goes to since this run was planned (a
      // failed run resumed after a newer run into the same side table). Every row: a batch goes into
      // one target table, which may be the own table of some of its rows and a side table for others
      // (the first row alone was looked at, and a batch beginning with an own-table row was not checked)
      const sideRows = batch.rows.flatMap((r) => { const s = sideOf(r.rowId); return s === null ? [] : [{ id: r.rowId, side: s }]; });
      if (sideRows.length) {
        const inSide = sideTableRows(store, jobId, { exceptRunId: runId, rowIds: sideRows.map((r) => r.id) });
        const already = sideRows.flatMap((r) => { const e = inSameTable(inSide.get(r.id), r.side, place); return e ? [{ id: r.id, e }] : []; });
        if (already.length) {
          const error = {
            code: 'REINSERT_ALREADY_REINSERTED',
            message: `batch ${batch.batchNo} of run ${runId} not run: ${sideTableMessage(already[0]!.id, jobId, already[0]!.e)}${already.length > 1 ? ` (and ${already.length - 1} more row(s) of the batch: ${already.slice(1, 11).map((a) => a.id).join(', ')}${already.length > 11 ? ' …' : ''})` : ''}; nothing of the batch was inserted (start a new run for the rest: it leaves those rows out)`,
          };
          log.warn({ batchNo: batch.batchNo, rows: already.length }, 'batch holds rows another run of the job put into the same side table');
          recordFailure(store, runId, jobId, batch, error);
          failedBatches++;
          continue;
        }
      }
      let outcome: BatchOutcome;
      try {
        outcome = await runBatch(session, runId, rec.batch_key, batch, o);
      } catch (e) {
        const error = {
          ...(isRowbackError(e) ? { code: e.code, message: e.message } : { code: 'REINSERT_BATCH_FAILED', message: (e as Error)?.message ?? String(e) }),
          ...((e as { mayHaveCommitted?: boolean } | null)?.mayHaveCommitted ? { mayHaveCommitted: true } : {}),
        };
        log.error({ batchNo: batch.batchNo, err: e }, 'batch rolled back');
        recordFailure(store, runId, jobId, batch, error);
        failedBatches++;
        continue;
      }
      await o.hooks?.afterTargetCommit?.(batch);
      recordOutcome(store, runId, jobId, batch.batchNo, outcome);
    }
  } finally {
    await session.close();
  }
  const counts = store.db.prepare('SELECT outcome, count(*) AS n FROM reinsert_outcomes WHERE run_id = ? GROUP BY outcome').all(runId) as { outcome: string; n: number }[];
  const n = (k: string): number => counts.find((c) => c.outcome === k)?.n ?? 0;
  return { inserted: n('inserted'), conflicts: n('conflict'), failedBatches, batches: plan.batches.length };
}

/**
 * Whether two rows of a batch would look for the same key (their key values as key-fold.ts keyCompareText
 * writes them: text in any case, beyond ASCII too, and without trailing spaces, as a case-insensitive
 * key compares them and as the plan's duplicate-key check does): such rows are inserted one by one, each looked for after the ones
 * before it went in, never checked all first and then inserted together. Likewise two rows holding
 * one value of a unique index or UNIQUE constraint they are checked against (PlannedRow.uniqueChecks:
 * NULL equal to NULL), whose bulk load would fail whole on the second (or, under IGNORE_DUP_KEY, drop
 * it unsaid). Any batch checked against an index with IGNORE_DUP_KEY ON, and any whose key values
 * hold text beyond printable ASCII (collationDecides), or of a row whose comparison is the server's
 * (PlannedRow.serverCompares: IGNORE_DUP_KEY on the key's index, datetimeoffset, float/real,
 * sql_variant), answers true too: whether two of its rows are one value there is the server's to say.
 */
export function sharesKey(rows: PlannedBatch['rows']): boolean {
  const seen = new Set<string>();
  // the same for each unique index or UNIQUE constraint the rows are checked against (NULL equal to
  // NULL, as the index takes it; its filter aside: rows one of which it leaves out go one by one too)
  const unique = new Set<string>();
  if (rows.some((r) => r.serverCompares)) return true;
  for (const r of rows) {
    for (const u of r.uniqueChecks ?? []) {
      // IGNORE_DUP_KEY ON: a bulk load's second row of one value is dropped by the server with a
      // warning only, and the run records it inserted; one by one, the server's own check before each
      // INSERT finds the row before it
      if (u.ignoreDupKey) return true;
      const byCol = new Map(r.params.map((p) => [p.column, p]));
      // undefined: a key column the row leaves NULL (UniqueCheck.nullColumns)
      const values = u.columns.map((c) => byCol.get(c));
      if (values.some((p) => p !== undefined && collationDecides(p))) return true;
      const key = JSON.stringify([u.index, ...values.map((p) => (p === undefined || p.value === null ? 'n:' : keyCompareText(p)))]);
      if (unique.has(key)) return true;
      unique.add(key);
    }
  }
  for (const r of rows) {
    if (!r.existsSql || !r.undoByKey) continue;
    const names = new Set(r.script.undoParams);
    const values = r.params.filter((p) => names.has(p.name));
    if (values.some(collationDecides)) return true;
    const key = values.map((p) => keyCompareText(p)).join('\u0000');
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/**
 * Whether a key value is text that keyCompareText (letter case and trailing blanks folded) cannot
 * tell equal or not to another as the column's collation does: anything outside printable ASCII.
 * An accent-insensitive collation takes 'José' for 'Jose', a Windows collation 'ß' for 'ss' and
 * characters it has no weight for as nothing (Microsoft Learn, "Sorting undefined characters in
 * Unicode and/or Windows collation": "undefined characters are ignored during string comparison").
 * Two such rows in one bulk load both went in unchecked against each other: the server refused the
 * second with the whole batch (Msg 2601 / 2627), or under IGNORE_DUP_KEY dropped it unsaid while the
 * run recorded it inserted. A batch holding one goes row by row, each row looked for by the server
 * itself just before its INSERT.
 */
function collationDecides(p: PlannedRow['params'][number]): boolean {
  return typeof p.value === 'string' && /[^\x20-\x7e]/.test(p.value);
}

/**
 * Why row `r` is not to be inserted, looked for in the batch's transaction just before its INSERT:
 * the existing row of its key (PlannedRow.existsSql), else the existing row holding its value of a
 * unique index or UNIQUE constraint other than the key (PlannedRow.uniqueChecks, in the catalog's
 * order: the first that holds one is named), each read with UPDLOCK, HOLDLOCK so that none can
 * appear before the INSERT. Such a row went to its INSERT, which the server refused (Msg 2601 /
 * 2627), rolling back its whole batch of up to 500 rows on every resume, or, with IGNORE_DUP_KEY
 * ON, dropped with a warning only while the row was recorded inserted. Undefined: insert it.
 */
async function conflictOf(s: TargetSession, r: PlannedRow): Promise<BatchOutcome['conflicts'][number] | undefined> {
  const existing = r.existsSql ? await s.findExisting(r) : undefined;
  if (existing) return { rowId: r.rowId, existing };
  for (const u of r.uniqueChecks ?? []) {
    const holder = await s.findUniqueHolder(r, u);
    if (holder) return { rowId: r.rowId, existing: holder, index: u.index, indexColumns: u.columns };
  }
  return undefined;
}

/**
 * Step 2 for one batch: one target transaction. Exported for tests. On any failure the transaction
 * is rolled back, and IDENTITY_INSERT, when this batch set it ON, is set OFF first (on the
 * transaction's connection): it is a session setting, which ROLLBACK does not undo, and a session
 * holds it ON for one table at a time (Microsoft Learn, SET IDENTITY_INSERT: "At any time, only
 * one table in a session can have the IDENTITY_INSERT property set to ON"). Left ON after a failed
 * batch, every later batch of the run into another table with an identity failed at its own
 * `SET IDENTITY_INSERT … ON` (error 8107), and the pooled connection kept it.
 */
export async function runBatch(s: TargetSession, runId: number, key: string, batch: PlannedBatch, o: ExecuteOptions): Promise<BatchOutcome> {
  await s.begin();
  let identityOn = false;
  try {
    // The ledger is checked again inside the transaction: another process may have committed it.
    const again = await s.ledgerGet(key);
    if (again) { await s.rollback(); return again; }
    // Never twice, whoever put the row back: the target's row ledger holds the delete of every row
    // a rowback run or script put into this table, from any staging file (the staging store only
    // knows its own jobs' runs, other-jobs.ts). Read inside the transaction, locked.
    const keyed = batch.rows.filter((r) => r.rowKey !== null);
    if (keyed.length) {
      const seen = await s.rowLedgerGet(batch.rowLedger, keyed.map((r) => r.rowKey!));
      if (seen.length) {
        await s.rollback();
        const row = (e: RowLedgerEntry) => keyed.find((r) => r.rowKey === e.rowKey)!;
        const first = seen[0]!;
        const by = first.batchKey.startsWith('script') ? `a rowback script run by hand (${first.batchKey})` : `rowback batch ${first.batchKey} (run ${first.runId} of the staging file that ran it)`;
        throw new ReinsertError('REINSERT_ALREADY_REINSERTED', `batch ${batch.batchNo} of run ${runId} not run: row ${row(first).rowId} (${ledgerHolds(row(first)).replace(LEDGER_HOLDS_PREFIX, '')}) was already put back into ${batch.table} by ${by}, as the target's row ledger ${batch.rowLedger} records${seen.length > 1 ? ` (and ${seen.length - 1} more row(s) of the batch: ${seen.slice(1, 11).map((e) => row(e).rowId).join(', ')}${seen.length > 11 ? ' …' : ''})` : ''}; nothing of the batch was inserted (never twice: reject those rows, then start a new run for the rest)`, { table: batch.table });
      }
    }
    if (batch.identityInsert) {
      await s.setIdentityInsert(batch.target, true);
      identityOn = true;
    }
    const outcome: BatchOutcome = { inserted: [], conflicts: [] };
    const toInsert = [];
    const threshold = o.bulkThreshold ?? 1000;
    if (s.bulkInsert && !batch.identityInsert && batch.rows.length >= threshold && !sharesKey(batch.rows)) {
      for (const r of batch.rows) {
        const conflict = await conflictOf(s, r);
        if (conflict) outcome.conflicts.push(conflict);
        else toInsert.push(r);
      }
      if (toInsert.length >= threshold) await s.bulkInsert(batch, toInsert);
      else for (const r of toInsert) await s.insert(r);
    } else {
      // each row looked for just before its own INSERT, after the rows before it went in: two rows
      // of one key in a batch (a row deleted, put back as it was and deleted again: two deletes,
      // one row, which the plan leaves to this check) were both looked for first and both inserted,
      // the second refused by the key (Msg 2627), the whole batch failing on every resume
      for (const r of batch.rows) {
        const conflict = await conflictOf(s, r);
        if (conflict) outcome.conflicts.push(conflict);
        else { await s.insert(r); toInsert.push(r); }
      }
    }
    outcome.inserted = toInsert.map((r) => r.rowId);
    const put = toInsert.filter((r) => r.rowKey !== null).map((r) => ({ rowKey: r.rowKey!, batchKey: key, runId, rowId: r.rowId }));
    if (put.length) await s.rowLedgerPut(batch.rowLedger, put);
    if (batch.identityInsert) {
      await s.setIdentityInsert(batch.target, false);
      identityOn = false;
    }
    await s.ledgerPut(key, runId, outcome);
    await o.hooks?.beforeCommit?.(batch);
    try {
      await s.commit();
    } catch (e) {
      // An error answering COMMIT (a connection reset, a timeout) does not say the batch rolled
      // back: the server may have committed it. Recorded so (mayHaveCommitted): other jobs hold
      // its rows back until a resume asks the ledger (other-jobs.ts); an error before COMMIT rolled back.
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { mayHaveCommitted: true });
    }
    return outcome;
  } catch (e) {
    if (identityOn) await s.setIdentityInsert(batch.target, false).catch(() => undefined);
    await s.rollback().catch(() => undefined);
    throw e;
  }
}

/**
 * A conflict's detail as stored: `{ existing }`, the target's row as its driver read it, and for a
 * conflict on a unique index or UNIQUE constraint other than the key its name and key columns
 * (`index`, `indexColumns`: BatchOutcome.conflicts), which readers of older details (the API, the
 * review page) find absent: a conflict on the key. A float
 * column's negative zero (tedious reads the double's sign) kept as JSON text -0 (util/negative-zero.ts),
 * as the recovered row's own -0 is: JSON.stringify wrote 0, and the reviewer comparing the existing
 * row with the recovered one saw 0 beside -0.
 */
function conflictJson(c: BatchOutcome['conflicts'][number]): string {
  const { existing } = c;
  const detail = { existing, ...(c.index !== undefined ? { index: c.index, indexColumns: c.indexColumns ?? [] } : {}) };
  return hasNegativeZero(existing) ? stringifyKeepingNegativeZero(detail) : JSON.stringify(detail);
}
