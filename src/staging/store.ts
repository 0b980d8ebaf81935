import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { InputError, isRowbackError, StagingError } from '../errors.js';
import { sidFilterForms } from '../util/sid.js';
import { firstUnpairedSurrogate, wellFormed } from '../util/surrogates.js';
import { redactDeep, redactSecrets } from '../util/redact.js';
import { connectionHost } from '../util/connection.js';
import { isDoubtWarning, type RecoveredRow } from '../recover/recovered-row.js';
import type { SkippedItem, SourceProgress } from '../recover/source.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { FTS_TEXT_SQL, migrate } from './migrations.js';
import { readText, storedText, type StoredText } from './stored-text.js';
import { valuesJson } from '../util/negative-zero.js';
import { saysRowsLeftOut } from '../recover/left-out.js';
import type {
  AuditEntry, BlastRadius, JobKind, JobRecord, JobState, Page, Role, RowFilter, RowStatus, SourceDatabase, JobConnection, StagedRow, StagedRowWithRaw,
} from './types.js';
import { appendAll, appendTo } from '../util/append-all.js';
import { stagedTableName } from '../util/tsql.js';
import { shellPath, shellWord } from '../util/shell-word.js';
import { replaceUnprintable } from '../util/echo.js';

export interface OpenOptions {
  /** Busy timeout in ms when another connection holds the write lock. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export interface NewJob {
  kind: JobKind;
  spec: Record<string, unknown>;
  description: string;
  windowFrom?: string | null;
  windowTo?: string | null;
  tables?: string[];
  operations?: string[];
  createdBy: string;
}

const now = (): string => new Date().toISOString();

/** Keys whose values never reach the staging file (job specs are shown through the API). */
const SECRET_KEYS = /password|secret|token|connectionstring|pwd|^server$/i; // `server` holds a whole connection string
export function redactSpec(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(redactSpec);
  if (spec && typeof spec === 'object') {
    return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, SECRET_KEYS.test(k) ? redactedValue(k, v) : redactSpec(v)]));
  }
  return typeof spec === 'string' ? redactSecrets(spec) : spec;
}

/**
 * What is kept of a secret key's value: nothing, except the host a `server` connection string
 * names (`[redacted] (server prod-sql-07,1433)`), no secret, so that a live job resumed with the
 * connection of another server is told apart (the worker compares the two specs redacted): with
 * `[redacted]` alone on both sides, another server's rows were staged into the job.
 */
function redactedValue(key: string, value: unknown): string {
  if (key.toLowerCase() !== 'server' || typeof value !== 'string') return '[redacted]';
  const host = connectionHost(value);
  return host ? `[redacted] (server ${host})` : '[redacted]';
}

interface RowDbRow {
  id: number; job_id: number; tbl: StoredText; lsn: string; operation: string; transaction_id: StoredText; login: StoredText | null;
  begin_time: string | null; end_time: string | null; spid: number | null; transaction_name: StoredText | null;
  vals: string; after_vals: string | null; warnings: string; meta: string; status: RowStatus; raw?: Buffer;
}

interface JobDbRow {
  id: number; kind: JobKind; spec: string; description: string; window_from: string | null; window_to: string | null;
  tables: string; operations: string; state: JobState; created_by: string; created_at: string; started_at: string | null;
  finished_at: string | null; rows_staged: number; skipped_count: number; last_lsn: string | null; attempts: number; error: string | null;
  scan_bytes_read: number | null; scan_bytes_total: number | null; scan_records_read: number | null; scan_pass: number | null;
  scan_passes: number | null; scan_sampled_at: string | null; incomplete: string | null; warnings?: string | null; rows_with_warnings?: number | null; source_database?: string | null;
  rows_left_out?: number | null;
}

/** Rows per INSERT statement in stageBatch (measured: 16–256 alike within the noise; docs/performance.md, "Staging: what costs"). */
const ROWS_PER_INSERT = 64;
/** Bound values per staged row: the columns insertRowsSql lists. */
const ROW_PARAMS = 15;
/** The page size of a new staging file, in bytes (an existing file keeps its own). */
export const PAGE_SIZE = 16384;

/**
 * The INSERT of `n` rows. A row's warnings bound as null (none) are stored as '[]' (the
 * column's text for none, as before): binding a string costs better-sqlite3 and SQLite two
 * copies and two allocations, and most rows have no warning.
 */
function insertRowsSql(n: number): string {
  const one = `(${new Array(ROW_PARAMS).fill('?').map((q, k) => (k === 13 ? "ifnull(?, '[]')" : q)).join(', ')})`;
  return `INSERT OR IGNORE INTO rows (job_id, tbl, lsn, operation, transaction_id, login, begin_time, end_time, spid,
    transaction_name, vals, after_vals, raw, warnings, meta) VALUES ${new Array(n).fill(one).join(', ')}`;
}

/**
 * Writes one row's ROW_PARAMS values into `a` from `at`, in insertRowsSql's column order, and
 * returns the greater of `last` and the row's LSN.
 */
function bindRow(a: unknown[], at: number, jobId: number, r: RecoveredRow, last: string | null): string {
  a[at] = jobId;
  a[at + 1] = storedText(r.table);
  a[at + 2] = r.lsn;
  a[at + 3] = r.operation;
  a[at + 4] = storedText(r.transactionId);
  a[at + 5] = storedText(r.login);
  a[at + 6] = r.beginTime;
  a[at + 7] = r.endTime;
  a[at + 8] = r.spid;
  a[at + 9] = storedText(r.transactionName);
  a[at + 10] = valuesJson(r.values);
  a[at + 11] = r.after ? valuesJson(r.after) : null;
  a[at + 12] = Buffer.from(r.raw, 'hex');
  a[at + 13] = r.warnings && r.warnings.length ? JSON.stringify(r.warnings) : null;
  a[at + 14] = metaJson(r);
  return last === null || r.lsn > last ? r.lsn : last;
}

/**
 * The `meta` column: the row's facts that have no column of their own, as the JSON text of
 * `{ sid, sidText?, dbUser?, host?, program?, allocUnitId, pageId, slotId, source }` (the API's key
 * order; optional facts left out when absent, undefined values left out as JSON.stringify does),
 * written directly: building the object and stringifying it cost ~1 µs a row.
 */
function metaJson(r: RecoveredRow): string {
  return '{"sid":' + JSON.stringify(r.sid ?? null)
    + (r.sidText ? ',"sidText":' + JSON.stringify(r.sidText) : '')
    + (r.dbUser ? ',"dbUser":' + JSON.stringify(r.dbUser) : '')
    + (r.host ? ',"host":' + JSON.stringify(r.host) : '')
    + (r.program ? ',"program":' + JSON.stringify(r.program) : '')
    + member(',"allocUnitId":', r.allocUnitId) + member(',"pageId":', r.pageId) + member(',"slotId":', r.slotId)
    + member(',"source":', r.source) + '}';
}

function member(key: string, v: unknown): string {
  return v === undefined ? '' : key + JSON.stringify(v);
}

const ROW_COLS = 'id, job_id, tbl, lsn, operation, transaction_id, login, begin_time, end_time, spid, transaction_name, vals, after_vals, warnings, meta, status';

/**
 * StagingStore.reinsertedSince's query: the rows (`r`, narrowed by `amongSql` over `rows r`) each batch
 * of a JSON array of `[runId, batchNo]` keys (its first argument) put back into their own table, with
 * the run and who started it. CROSS JOIN: SQLite keeps that order, the batches' keys outermost, each
 * step then an index seek (rows by their primary key). Left to choose, it scanned the job's rows
 * outermost and the keys (json_each, no index) inside each: 88 s inside decide's write transaction at
 * 100,000 rows and 2,000 batches recorded since (breaker I, session 43). Exported for the plan test
 * (test/staging/decisions-as-of-reinserted-cost.test.ts: EXPLAIN QUERY PLAN, not a timing).
 */
export function reinsertedSinceSql(amongSql: string): string {
  return `SELECT DISTINCT r.id, x.run_id AS runId, rr.actor FROM json_each(?) j
        CROSS JOIN reinsert_batch_rows x
        CROSS JOIN reinsert_outcomes o
        CROSS JOIN reinsert_runs rr
        CROSS JOIN rows r
      WHERE x.run_id = json_extract(j.value, '$[0]') AND x.batch_no = json_extract(j.value, '$[1]')
        AND o.run_id = x.run_id AND o.row_id = x.row_id AND rr.id = x.run_id AND r.id = x.row_id
        AND o.outcome = 'inserted' AND o.side_table IS NULL AND r.status = 'reinserted' AND ${amongSql} ORDER BY r.id`;
}

/**
 * The staging store: one SQLite file (WAL, foreign keys on). Every write that must survive a
 * crash together happens in one SQLite transaction (a batch of rows and the job's progress
 * counters; a re-insert batch's outcomes and its commit marker).
 */
export class StagingStore {
  readonly db: Db;
  private readonly stmts: Record<string, Statement>;

  constructor(readonly path: string, opts: OpenOptions = {}) {
    // The file holds recovered rows (deleted customer data), the audit log and token hashes: made
    // readable by its owner alone (0600; SQLite gives its -wal and -shm files the same mode). It
    // was made with the process's umask, 0644 as a rule: every local user could read it.
    if (!opts.readonly && path !== '' && path !== ':memory:' && !path.startsWith('file:')) {
      try {
        closeSync(openSync(path, 'wx', 0o600));
      } catch {
        // it exists (its mode is its owner's choice), or SQLite says below why it cannot be made
      }
    }
    try {
      this.db = new Database(path, { readonly: opts.readonly ?? false });
    } catch (e) {
      throw new StagingError('STAGING_OPEN_FAILED', `cannot open staging file ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
    }
    // A file that is no database, a full disk, a schema too new: the handle is not left open (a
    // caller that reports the error and goes on, such as the API's set-up or a test, kept it for good).
    try {
      this.db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
      if (!opts.readonly) {
        // 16 KB pages for a new file (SQLite's default is 4 KB; a no-op on a file that has its
        // tables already: the page size of an existing WAL store stays as it was made). Staging
        // writes every page twice, to the WAL at each batch's commit and to the file at each
        // checkpoint, one write call per page: a quarter of the calls, and fewer B-tree splits in
        // the rows table and its seven indexes (docs/performance.md, "Staging: 16 KB pages").
        // Set before journal_mode, whose switch to WAL writes the file's header.
        this.db.pragma(`page_size = ${PAGE_SIZE}`);
        this.db.pragma('journal_mode = WAL');
        // FULL in WAL mode: every commit is fsync'ed, so a batch reported committed (rows and the
        // job's counters, one transaction) survives a process crash *and* an OS crash or power loss.
        // Its cost is one fsync per batch of 1,000–5,000 rows: within the run-to-run noise of the
        // staging bench (docs/performance.md). NORMAL could lose the last batches on an OS crash.
        this.db.pragma('synchronous = FULL');
        // A page cache that holds the hot pages of the rows table's six indexes while a job stages
        // 100,000s of rows (SQLite's default, 2 MB, made every insert re-read index pages). In KB.
        this.db.pragma('cache_size = -65536');
        migrate(this.db);
      }
      this.db.pragma('foreign_keys = ON');
      // the dbUser filter's case folding (whereFor): SQLite's NOCASE and lower() fold ASCII alone
      this.db.function('rowback_casefold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? caseFold(v) : v));
      // 1 when a row's warnings (JSON text) hold a line of doubt, not only where a comparison's row came from (setJobCompleteness)
      this.db.function('rowback_doubtful', { deterministic: true }, (v: unknown) => (typeof v === 'string' && (JSON.parse(v) as string[]).some(isDoubtWarning) ? 1 : 0));
      this.stmts = {
        // Positional parameters: binding an object by name costs more than the insert itself at 100,000s of rows.
        insertRows: this.db.prepare(insertRowsSql(ROWS_PER_INSERT)),
        insertSkipped: this.db.prepare('INSERT INTO skipped_items (job_id, code, reason, location, raw, lsn_range, layout_change) VALUES (?, ?, ?, ?, ?, ?, ?)'),
        // last_lsn only moves forward: rows can arrive in commit order, not LSN order
        progress: this.db.prepare(`UPDATE jobs SET rows_staged = rows_staged + @added, skipped_count = skipped_count + @skipped,
          last_lsn = CASE WHEN last_lsn IS NULL OR @last > last_lsn THEN COALESCE(@last, last_lsn) ELSE last_lsn END WHERE id = @job`),
        audit: this.db.prepare('INSERT INTO audit_log (at, actor, action, job_id, details) VALUES (?, ?, ?, ?, ?)'),
        job: this.db.prepare('SELECT * FROM jobs WHERE id = ?'),
        jobExists: this.db.prepare('SELECT 1 FROM jobs WHERE id = ?'),
        // a job's first row id, each status a seek on (job_id, status, id)
        firstRowId: this.db.prepare(`SELECT min(m) AS m FROM (SELECT min(id) AS m FROM rows WHERE job_id = ? AND status IN ('pending', 'approved', 'rejected')
          UNION ALL SELECT min(id) FROM rows WHERE job_id = ? AND status = 'reinserted' UNION ALL SELECT min(id) FROM rows WHERE job_id = ? AND status = 'conflict')`),
        scan: this.db.prepare(`UPDATE jobs SET scan_bytes_read = @bytesRead, scan_bytes_total = @bytesTotal, scan_records_read = @recordsRead,
          scan_pass = @pass, scan_passes = @passes, scan_sampled_at = @at WHERE id = @job`),
      };
    } catch (e) {
      this.db.close();
      // SQLite's own failure while setting the file up ("file is not a database", a full disk, a
      // read-only file) is one STAGING_OPEN_FAILED naming the file; STAGING_SCHEMA_TOO_NEW passes as it is
      if (!isRowbackError(e) && isSqliteError(e)) throw new StagingError('STAGING_OPEN_FAILED', `cannot open staging file ${path}: ${e.message} (${e.code})`, { file: path }, { cause: e });
      throw e;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---------------------------------------------------------------- jobs

  createJob(j: NewJob): JobRecord {
    const id = this.db.transaction(() => {
      const r = this.db.prepare(`INSERT INTO jobs (kind, spec, description, window_from, window_to, tables, operations, state, created_by, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`).run(
        j.kind, JSON.stringify(redactSpec(j.spec)), redactSecrets(j.description), j.windowFrom ?? null, j.windowTo ?? null,
        JSON.stringify(j.tables ?? []), JSON.stringify(j.operations ?? ['delete']), j.createdBy, now());
      const jobId = Number(r.lastInsertRowid);
      this.appendAudit(j.createdBy, 'job.create', jobId, { kind: j.kind, description: j.description });
      return jobId;
    })();
    return this.getJob(id)!;
  }

  getJob(id: number): JobRecord | undefined {
    const r = this.stmts.job.get(id) as JobDbRow | undefined;
    return r ? toJob(r) : undefined;
  }

  requireJob(id: number): JobRecord {
    const j = this.getJob(id);
    if (!j) throw new StagingError('STAGING_JOB_NOT_FOUND', `job ${id} does not exist`);
    return j;
  }

  listJobs(opts: { state?: JobState; limit?: number; before?: number } = {}): JobRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.state) { where.push('state = ?'); args.push(opts.state); }
    if (opts.before) { where.push('id < ?'); args.push(opts.before); }
    const sql = `SELECT * FROM jobs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, opts.limit ?? 100) as JobDbRow[]).map(toJob);
  }

  setJobState(id: number, state: JobState, extra: { error?: { code: string; message: string } | null } = {}): void {
    const sets = ['state = ?'];
    const args: unknown[] = [state];
    // a job that runs (again) has no completeness until it succeeds (setJobCompleteness)
    if (state === 'running') { sets.push('started_at = COALESCE(started_at, ?)', 'attempts = attempts + 1', 'error = NULL', 'incomplete = NULL', 'warnings = NULL', 'rows_with_warnings = NULL'); args.push(now()); }
    if (state === 'succeeded' || state === 'failed' || state === 'cancelled') { sets.push('finished_at = ?'); args.push(now()); }
    if (extra.error !== undefined) { sets.push('error = ?'); args.push(extra.error ? JSON.stringify(redactDeep(extra.error)) : null); }
    this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  /**
   * The operations a job's rows are staged as, when the job learns them after creation: a restore
   * job whose comparison turns out reversed (the later state older, accepted on purpose) stages
   * its missing rows as inserts, not deletes (replay/compare.ts diffAsRecoveredRows).
   */
  /**
   * A restore job's tables as its backup names them (`dbo.Students`), once the comparison found
   * them, in the order compared (names as typed that found one table, once): the job was listed
   * under the names as typed (`[DBO].[students]`) while its rows said dbo.Students. The
   * description's leading table names (describeSpec: `typed` joined by ', ') are replaced the same way.
   */
  setJobTables(id: number, typed: readonly string[], tables: readonly string[]): void {
    const job = this.requireJob(id);
    const lead = typed.join(', ');
    const description = job.description.startsWith(lead) ? `${tables.join(', ')}${job.description.slice(lead.length)}` : job.description;
    this.db.prepare('UPDATE jobs SET tables = ?, description = ? WHERE id = ?').run(JSON.stringify(tables), redactSecrets(description), id);
  }

  setJobOperations(id: number, operations: string[]): void {
    this.db.prepare('UPDATE jobs SET operations = ? WHERE id = ?').run(JSON.stringify(operations), id);
  }

  /** Records the database the job's rows are read from (JobRecord.sourceDatabase); null: not known. */
  setJobSourceDatabase(id: number, source: SourceDatabase | null): void {
    const known = source && (source.name || source.bindingId) ? { name: source.name, bindingId: source.bindingId, familyGuid: source.familyGuid } : null;
    this.db.prepare('UPDATE jobs SET source_database = ? WHERE id = ?').run(known ? JSON.stringify(known) : null, id);
  }

  /**
   * Records a connection a live or log-backup job runs with (JobConnection), beside those of its
   * earlier runs (a resume may connect as another login: the notes of both runs stay in the audit
   * log, and both are hidden). Kept beside the job, not in its record: GET /api/jobs answers as before.
   */
  addJobConnection(id: number, connection: JobConnection): void {
    const known = this.jobConnections(id);
    const c = { server: connection.server, login: connection.login };
    if (known.some((k) => k.server === c.server && k.login === c.login)) return;
    this.db.prepare('UPDATE jobs SET connection = ? WHERE id = ?').run(JSON.stringify([...known, c]), id);
  }

  /** The connections addJobConnection recorded for job `id`, oldest first; [] for none (a files job, one run before rowback recorded them, an unknown id). */
  jobConnections(id: number): JobConnection[] {
    const r = this.db.prepare('SELECT connection FROM jobs WHERE id = ?').get(id) as { connection: string | null } | undefined;
    return r?.connection ? (JSON.parse(r.connection) as JobConnection[]) : [];
  }

  /**
   * Records whether a job's result is whole and whether any of it is doubtful, as `scan --report`
   * says both: `incomplete`, the INCOMPLETE sentences of its notes (`[]`: none, the result is
   * complete); `warnings`, its WARNING: and UNCHECKED: sentences (`[]`: none); and the number of its
   * staged rows that carry warnings of their own (counted here, over the rows as staged, so a job
   * resumed after rows were staged counts them once). The worker calls it as the job succeeds;
   * `setJobState('running')` clears all three (null: not known). `incomplete` null clears them too.
   * Counting reads each of the job's rows once (by the rows_job_id index): 0.2–0.4 s a million rows
   * of 12 columns (SYNTHETIC store, measured 2026-12-05 beside a test run), once per job.
   */
  setJobCompleteness(id: number, incomplete: string[] | null, warnings: string[] = []): void {
    if (incomplete === null) {
      this.db.prepare('UPDATE jobs SET incomplete = NULL, warnings = NULL, rows_with_warnings = NULL WHERE id = ?').run(id);
      return;
    }
    // a comparison's rows (kind restore: rowback diff --stage, restore run --stage, the service's
    // restore jobs) say where they came from in their warnings (ROW_PROVENANCE), which is no doubt:
    // counted, every restore job read as doubtful. Only their other lines count (rowback_doubtful).
    const kind = (this.db.prepare('SELECT kind FROM jobs WHERE id = ?').get(id) as { kind: string } | undefined)?.kind;
    this.db.prepare(`UPDATE jobs SET incomplete = ?, warnings = ?,
      rows_with_warnings = (SELECT count(*) FROM rows WHERE job_id = ? AND warnings <> '[]'${kind === 'restore' ? ' AND rowback_doubtful(warnings)' : ''}) WHERE id = ?`).run(JSON.stringify(incomplete), JSON.stringify(warnings), id, id);
  }

  /**
   * Records a sample of the source's own progress (RecoverySource.progress) with the job's
   * counters; `null` clears it (a job starting over). One small UPDATE: the worker calls it at
   * most once a second.
   */
  setScanProgress(id: number, p: SourceProgress | null): void {
    this.stmts.scan.run(p
      ? { job: id, bytesRead: p.bytesRead, bytesTotal: p.bytesTotal ?? null, recordsRead: p.recordsRead, pass: p.pass ?? null, passes: p.passes ?? null, at: now() }
      : { job: id, bytesRead: null, bytesTotal: null, recordsRead: null, pass: null, passes: null, at: null });
  }

  /**
   * On start-up: jobs a crash left `running` (or `queued`, never started) become `resumable` (their staged rows are kept;
   * resuming skips LSNs already staged). Returns their ids.
   */
  recoverInterruptedJobs(actor = 'system'): number[] {
    return this.db.transaction(() => {
      const ids = (this.db.prepare("SELECT id FROM jobs WHERE state IN ('running', 'queued')").all() as { id: number }[]).map((r) => r.id);
      for (const id of ids) {
        this.db.prepare("UPDATE jobs SET state = 'resumable' WHERE id = ?").run(id);
        this.appendAudit(actor, 'job.interrupted', id, { resumeAfterLsn: this.getJob(id)?.lastLsn ?? null });
      }
      return ids;
    })();
  }

  /**
   * Saves a job's table layouts, one per staged name (util/tsql.ts stagedTableName: the name rows are
   * staged under; [a.b].[c] and [a].[b.c] are `[a.b].[c]` and `[a].[b.c]`). Before it, both were
   * `a.b.c`: the second replaced the first, and every row of either was planned into the one kept.
   * Two layouts of one name (a catalog listing a table twice; a job staged before under the shared
   * text, staging migration 19) are saved with `ambiguousNames` (both tables, bracket-quoted), and
   * the re-insert refuses their rows (REINSERT_AMBIGUOUS_TABLE).
   */
  saveJobTables(jobId: number, layouts: TableLayout[]): void {
    const st = this.db.prepare('INSERT OR REPLACE INTO job_tables (job_id, tbl, layout) VALUES (?, ?, ?)');
    const had = this.db.prepare('SELECT layout FROM job_tables WHERE job_id = ? AND tbl = ?');
    const q = (n: string) => `[${n.replace(/\]/g, ']]')}]`;
    this.db.transaction(() => {
      const names = new Map<string, Set<string>>();
      for (const t of layouts) {
        const key = stagedTableName(t);
        let set = names.get(key);
        if (!set) {
          set = new Set();
          const old = had.get(jobId, storedText(key)) as { layout: string } | undefined;
          if (old) {
            const l = JSON.parse(old.layout) as TableLayout & { ambiguousNames?: string[] };
            set.add(`${q(l.schema)}.${q(l.name)}`);
            for (const n of l.ambiguousNames ?? []) set.add(n);
          }
          names.set(key, set);
        }
        set.add(`${q(t.schema)}.${q(t.name)}`);
        const { ambiguousNames: _drop, ...plain } = t as TableLayout & { ambiguousNames?: string[] };
        st.run(jobId, storedText(key), JSON.stringify(set.size > 1 ? { ...plain, ambiguousNames: [...set].sort() } : plain));
      }
    })();
  }

  jobTables(jobId: number): TableLayout[] {
    return (this.db.prepare('SELECT layout FROM job_tables WHERE job_id = ? ORDER BY tbl').all(jobId) as { layout: string }[])
      .map((r) => JSON.parse(r.layout) as TableLayout);
  }

  /**
   * Stages one batch of rows and skipped items and advances the job's counters, all in one
   * transaction. A row whose (job, LSN) is already staged is ignored, so a resumed scan that
   * re-reads rows never stages them twice. Returns the number of rows newly staged. A job that
   * does not exist is refused (STAGING_JOB_NOT_FOUND) and nothing is staged.
   *
   * The foreign key from rows and skipped items to their job is checked once for the batch,
   * inside its transaction, with SQLite's per-row check turned off around it: an immediate
   * foreign key makes SQLite keep a statement journal for every multi-row INSERT (a temporary
   * file: 3.6× the writes, measured with strace). Jobs are never deleted, and the check and the
   * inserts are one transaction (in WAL a write after another connection's commit fails with
   * SQLITE_BUSY_SNAPSHOT), so the job found at the start is there at the commit. Turning the
   * pragma on again expires every prepared statement: SQLite re-prepares each at its next use,
   * so none runs with the check off outside stageBatch.
   */
  stageBatch(jobId: number, rows: RecoveredRow[], skipped: SkippedItem[] = []): number {
    // PRAGMA foreign_keys is a no-op inside a transaction: within a caller's transaction the
    // per-row check stays on (correct, only slower)
    const fkOff = !this.db.inTransaction && this.db.pragma('foreign_keys', { simple: true }) === 1;
    if (fkOff) this.db.pragma('foreign_keys = OFF');
    try {
      return this.stageBatchTx(jobId, rows, skipped);
    } finally {
      if (fkOff) this.db.pragma('foreign_keys = ON');
    }
  }

  private stageBatchTx(jobId: number, rows: RecoveredRow[], skipped: SkippedItem[]): number {
    return this.db.transaction(() => {
      if (!this.stmts.jobExists.get(jobId)) {
        throw new StagingError('STAGING_JOB_NOT_FOUND', `job ${jobId} does not exist: its rows would break the FOREIGN KEY to jobs; nothing was staged`);
      }
      let added = 0;
      let last: string | null = null;
      // ROWS_PER_INSERT rows per INSERT statement (one statement execution and one native call
      // for 64 rows instead of 64), the rest of the batch through a statement of its own size.
      // The values are passed as arguments (spread), not as one array: better-sqlite3 reads an
      // array's elements through V8's generic property lookup, ~0.4 µs a row more (measured).
      const args = this.insertArgs;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
        for (let k = 0; k < ROWS_PER_INSERT; k++) last = bindRow(args, k * ROW_PARAMS, jobId, rows[i + k], last);
        added += this.stmts.insertRows.run(...args).changes;
      }
      const rest = rows.length - i;
      if (rest > 0) {
        const tail = new Array<unknown>(rest * ROW_PARAMS);
        for (let k = 0; k < rest; k++) last = bindRow(tail, k * ROW_PARAMS, jobId, rows[i + k], last);
        added += this.tailInsert(rest).run(...tail).changes;
      }
      for (const s of skipped) {
        this.stmts.insertSkipped.run(jobId, s.code, s.reason, JSON.stringify(s.location), s.raw ?? null, s.lsnRange ? JSON.stringify(s.lsnRange) : null, s.layoutChange ? JSON.stringify(s.layoutChange) : null);
      }
      this.stmts.progress.run({ last, job: jobId, added, skipped: skipped.length });
      return added;
    })();
  }

  /** The bound values of one full multi-row INSERT, reused batch after batch. */
  private readonly insertArgs = new Array<unknown>(ROWS_PER_INSERT * ROW_PARAMS);
  private readonly tailInserts = new Map<number, Statement>();

  /** The INSERT of `n` rows (fewer than ROWS_PER_INSERT: a batch's last rows), prepared once per size. */
  private tailInsert(n: number): Statement {
    let st = this.tailInserts.get(n);
    if (!st) this.tailInserts.set(n, st = this.db.prepare(insertRowsSql(n)));
    return st;
  }

  /**
   * Adds every row staged since the last call to the free-text index, in one transaction (the
   * worker calls it when a job ends and every 100,000 rows). Returns the number of rows indexed.
   */
  indexPending(): number {
    return this.db.transaction(() => {
      const upto = (this.db.prepare('SELECT indexed_upto AS u FROM fts_state WHERE id = 1').get() as { u: number }).u;
      const max = (this.db.prepare('SELECT COALESCE(max(id), 0) AS m FROM rows').get() as { m: number }).m;
      if (max <= upto) return 0;
      const n = this.db.prepare(`INSERT INTO rows_fts (rowid, vals) SELECT id, ${FTS_TEXT_SQL} FROM rows WHERE id > ? AND id <= ? ORDER BY id`).run(upto, max).changes;
      this.db.prepare('UPDATE fts_state SET indexed_upto = ? WHERE id = 1').run(max);
      return n;
    })();
  }

  /**
   * Brings the free-text index up to date before a search (rows a running job staged since its
   * last `indexPending`, at most about 100,000). Throws StagingError STAGING_INDEX_BUSY when the
   * index cannot be written (a read-only store, or another process holding the file's write lock
   * past the busy timeout): a search then refuses rather than answer from part of the rows.
   */
  private indexForSearch(): void {
    const upto = (this.db.prepare('SELECT indexed_upto AS u FROM fts_state WHERE id = 1').get() as { u: number }).u;
    if (this.db.prepare('SELECT 1 FROM rows WHERE id > ? LIMIT 1').get(upto) === undefined) return;
    try {
      this.indexPending();
    } catch (e) {
      throw new StagingError('STAGING_INDEX_BUSY', `the free-text index could not take the rows staged since it was last updated (${(e as Error).message}): search again in a moment, or without q`);
    }
  }

  /**
   * The skipped items a job holds, each as its key (skippedItemKey: code, reason and location as
   * stored) with how many times it is held: what a resumed scan compares its items with, so that an
   * item derived again is not staged twice (JobWorker.run).
   */
  skippedItemKeys(jobId: number): Map<string, number> {
    const keys = new Map<string, number>();
    for (const r of this.db.prepare('SELECT code, reason, location FROM skipped_items WHERE job_id = ?').iterate(jobId) as IterableIterator<{ code: string; reason: string; location: string }>) {
      const k = skippedItemKey(r.code, r.reason, r.location);
      keys.set(k, (keys.get(k) ?? 0) + 1);
    }
    return keys;
  }

  /** Drops a job's skipped items (a resumed scan derives them again from the same source). */
  clearSkipped(jobId: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM skipped_items WHERE job_id = ?').run(jobId);
      this.db.prepare('UPDATE jobs SET skipped_count = 0 WHERE id = ?').run(jobId);
    })();
  }

  /**
   * A job's skipped items, oldest first, at most `limit`: code, reason, location (file, offset, LSN,
   * page, …), the raw bytes when kept (hex), and `lsnRange` (`{ first, last }`, last the first LSN
   * not lost; LSNs as fn_dblog prints them) when the reader knew the log range the item lost, and
   * `layoutChange` (`{ lsn, transactionId, endTime }`: SkippedItem.layoutChange, migration 17) for
   * a SOURCE_SCHEMA_DRIFT row, the change of its table's columns it was logged after. Each item has
   * SkippedItem's shape plus its `id`: what the worker judged in memory (incomplete-verdict.ts,
   * cli/skipped-lines.ts) reads the same from here.
   */
  skippedItems(jobId: number, limit = 1000, after = 0): { id: number; code: string; reason: string; location: Record<string, unknown>; raw: string | null; lsnRange?: { first: string; last: string }; layoutChange?: NonNullable<SkippedItem['layoutChange']> }[] {
    return (this.db.prepare('SELECT id, code, reason, location, raw, lsn_range, layout_change FROM skipped_items WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?').all(jobId, after, limit) as
      { id: number; code: string; reason: string; location: string; raw: string | null; lsn_range: string | null; layout_change: string | null }[])
      .map(({ lsn_range, layout_change, ...r }) => ({ ...r, location: JSON.parse(r.location), ...(lsn_range ? { lsnRange: JSON.parse(lsn_range) } : {}), ...(layout_change ? { layoutChange: JSON.parse(layout_change) } : {}) }));
  }

  // ---------------------------------------------------------------- rows

  private whereFor(jobId: number, f: RowFilter, o: { ftsOuter?: boolean; toPart?: 'timed' | 'untimed' } = {}): { sql: string; args: unknown[]; ftsOuter?: string } {
    const where = ['r.job_id = ?'];
    const args: unknown[] = [jobId];
    if (f.table) { where.push('r.tbl = ?'); args.push(storedText(f.table)); }
    if (f.login !== undefined && f.login !== '') {
      const logins = this.spellingsOf(jobId, 'login', f.login);
      where.push(`r.login IN (${logins.map(() => '?').join(', ')})`); appendAll(args, logins);
    }
    if (f.transactionId) {
      const ids = this.spellingsOf(jobId, 'transaction_id', f.transactionId);
      where.push(`r.transaction_id IN (${ids.map(() => '?').join(', ')})`); appendAll(args, ids);
    }
    if (f.status) {
      const st = Array.isArray(f.status) ? f.status : [f.status];
      if (st.length) { where.push(`r.status IN (${st.map(() => '?').join(',')})`); appendAll(args, st); }
    }
    if (f.operation) {
      const ops = Array.isArray(f.operation) ? f.operation : [f.operation];
      if (ops.length) { where.push(`r.operation IN (${ops.map(() => '?').join(',')})`); appendAll(args, ops); }
    }
    if (f.from) { where.push('r.begin_time >= ?'); args.push(f.from); }
    if (f.to && !f.from && o.toPart === 'timed') { where.push('r.begin_time <= ?'); args.push(f.to); }
    else if (f.to && !f.from && o.toPart === 'untimed') { where.push('r.begin_time IS NULL AND r.end_time <= ?'); args.push(f.to); }
    else if (f.to && !f.from) {
      // a row whose transaction's LOP_BEGIN_XACT was not in the log read (begin time null) that
      // committed by the end began by it: in an end-only window, as scan and a job with `to` alone
      // keep it (committed.ts unreadVerdict); left out, a job's own window dropped its rows unsaid
      where.push('(r.begin_time <= ? OR (r.begin_time IS NULL AND r.end_time <= ?))');
      args.push(f.to, f.to);
    } else if (f.to) { where.push('r.begin_time <= ?'); args.push(f.to); }
    // who, offline (login null): by SID in either stored form, or by database user. No index: a
    // test of the row's meta JSON on top of the job's own index (docs/performance.md)
    const sid = sidOf(f);
    if (sid) {
      if (sid.text) { where.push("(upper(json_extract(r.meta, '$.sid')) = ? OR json_extract(r.meta, '$.sidText') = ?)"); args.push(sid.hex.toUpperCase(), sid.text); }
      else { where.push("upper(json_extract(r.meta, '$.sid')) = ?"); args.push(sid.hex.toUpperCase()); }
    }
    if (f.dbUser !== undefined && f.dbUser.trim() !== '') {
      where.push("rowback_casefold(json_extract(r.meta, '$.dbUser')) = ?");
      args.push(caseFold(f.dbUser.trim()));
    }
    if (f.q && f.q.trim() && ftsQuery(f.q)) {
      // Free text is answered by the FTS5 index alone: rows staged since the worker last indexed are
      // indexed first. (A LIKE over those rows matched parts of words, `Scien` finding "Science"
      // until the job ended and nothing after: one search, two answers, and a bulk decision by it
      // deciding different rows by when it ran.)
      this.indexForSearch();
      if (o.ftsOuter) return { sql: where.join(' AND '), args, ftsOuter: ftsQuery(f.q) };
      where.push('r.id IN (SELECT rowid FROM rows_fts WHERE rows_fts MATCH ?)');
      args.push(ftsQuery(f.q));
    }
    return { sql: where.join(' AND '), args };
  }

  /**
   * A row filter's login and transaction id checked before anything is written or streamed: the
   * spellingsOf refusal (INPUT_AMBIGUOUS_NAME, `field` named as `${at}.login`) thrown here, not from
   * inside an export's stream (which cut the response off mid-way) or after the audit entry.
   */
  assertWhoFilter(jobId: number, f: Pick<RowFilter, 'login' | 'transactionId'>, at?: string, o: { queryString?: boolean } = {}): void {
    const name = (k: string) => (at ? `${at}.${k}` : k);
    const check = (column: 'login' | 'transaction_id', given: string, field: string): void => {
      // from a query string, a U+FFFD may be the browser's for a surrogate: when the job also holds
      // a value with a surrogate there, the filter names either (the real U+FFFD login found
      // exactly, or CRM\Al\ud800ice shown on the page and sent back as U+FFFD): refused, never
      // the wrong user's rows
      if (o.queryString && given.includes('\ufffd')) this.refuseSeveral(jobId, column, given, field, true);
      this.spellingsOf(jobId, column, given, field);
    };
    if (f.login !== undefined && f.login !== '') check('login', f.login, name('login'));
    if (f.transactionId) check('transaction_id', f.transactionId, name('transactionId'));
  }

  /**
   * INPUT_AMBIGUOUS_NAME when the U+FFFD in `given` stands for several different values of the
   * job's `column` (letter case aside): values holding an unpaired surrogate there and, with
   * `withReal`, values holding U+FFFD itself. Returns the matching values otherwise.
   */
  private refuseSeveral(jobId: number, column: 'login' | 'transaction_id', given: string, field: string, withReal: boolean): Array<{ stored: StoredText; text: string }> {
    const carried = caseFold(given);
    const all = (this.db.prepare(`SELECT DISTINCT ${column} AS v FROM rows WHERE job_id = ? AND ${column} IS NOT NULL`).all(jobId) as { v: StoredText }[])
      .map((r) => ({ stored: r.v, text: readText(r.v) }));
    const asUtf8 = all.filter((v) => (withReal || firstUnpairedSurrogate(v.text)) && caseFold(wellFormed(v.text)) === carried);
    const distinct = [...new Set(asUtf8.map((v) => caseFold(v.text)))];
    if (distinct.length > 1 && asUtf8.some((v) => firstUnpairedSurrogate(v.text))) {
      // two values the U+FFFD stands for differently (…\ud800 and …\udc00, or a surrogate and
      // U+FFFD itself): two logins, not spellings of one; which one the filter meant cannot be
      // told, and a decision by it would decide both
      const shown = asUtf8.map((v) => {
        const u = firstUnpairedSurrogate(v.text);
        return `'${wellFormed(v.text)}' (${u ? `${u.unit} at offset ${u.offset}` : 'U+FFFD itself'})`;
      });
      throw new InputError('INPUT_AMBIGUOUS_NAME', `${field} '${given}': U+FFFD stands for an unpaired surrogate in ${distinct.length} different values of job ${jobId}: ${shown.join(', ')}; give the value exactly (with its surrogate, in a JSON body: a query string cannot carry it)`, { field });
    }
    return asUtf8;
  }

  /**
   * The values of `column` (login or transaction_id) a row filter's `given` text matches among a
   * job's rows: itself when a row holds it exactly, else every spelling that differs from it only in
   * letter case (a login as SQL Server compares it under a case-insensitive collation, as `dbUser`
   * is compared; a transaction id's hex digits), else itself (no row). Typed `crm\alice` for
   * `CRM\alice`, or a transaction id in capitals, the filter matched nothing, and the page, the
   * count, the export and a decision by it said no such row existed. Exact first: a case-sensitive
   * server's two logins stay two. The exact probe uses the (job, login) / (job, transaction) index;
   * the spellings are looked for only when it finds nothing. Last, when neither finds one and
   * `given` holds U+FFFD (and no unpaired surrogate of its own), a value holding an unpaired
   * surrogate (stored-text.ts) is matched by its U+FFFD form (surrogates.ts wellFormed), letter case
   * aside: a query string cannot carry the surrogate, and the review page's filter by a login it
   * shows sends U+FFFD. Returned in their stored form.
   * @throws InputError INPUT_AMBIGUOUS_NAME when that U+FFFD form stands for several different
   *   values (two logins `X\ud800` and `X\udc00`): a filter by it would list, count, export and
   *   decide the rows of both.
   */
  private spellingsOf(jobId: number, column: 'login' | 'transaction_id', given: string, field: string = column === 'login' ? 'login' : 'transactionId'): StoredText[] {
    const exact = storedText(given);
    if (this.db.prepare(`SELECT 1 FROM rows WHERE job_id = ? AND ${column} = ? LIMIT 1`).get(jobId, exact)) return [exact];
    const all = (this.db.prepare(`SELECT DISTINCT ${column} AS v FROM rows WHERE job_id = ? AND ${column} IS NOT NULL`).all(jobId) as { v: StoredText }[])
      .map((r) => ({ stored: r.v, text: readText(r.v) }));
    const folded = caseFold(given);
    const found = all.filter((v) => caseFold(v.text) === folded);
    if (found.length) return found.map((v) => v.stored);
    // only a U+FFFD the query string put there stands for a surrogate: a value that holds a surrogate
    // itself (a JSON body) was given exactly, and matched no row (its U+FFFD form took another
    // login's rows: CRM\Al\udc01ice those of CRM\Al\udc00ice and of CRM\Al\ufffdice)
    if (firstUnpairedSurrogate(given) || !given.includes('\ufffd')) return [exact];
    const asUtf8 = this.refuseSeveral(jobId, column, given, field, false);
    return asUtf8.length ? asUtf8.map((v) => v.stored) : [exact];
  }

  /**
   * Keyset pagination: O(page) however deep the page. Staging (≈ LSN) order by id; with a time
   * window the page is in (begin time, id) order instead, so the (job, begin_time, id) index
   * serves the window directly rather than scanning every row before it.
   *
   * One keyset page of a job's rows under filter `f`: at most `limit` rows (1-1000, default 100)
   * after `cursor`, and at most `maxChars` characters of row text (the stored JSON of each row's
   * values, after-image, warnings and facts; default PAGE_MAX_CHARS), but always at least one row;
   * `next` is the cursor after the last row given, null when no row follows it. A page cut by size
   * holds fewer rows than `limit` and goes on at `next` (keyset pages cost the same anywhere).
   * Rows are read one at a time and the read stops at the page's end: 50 rows of 12 M-character
   * varchar(max) values were all read into memory (1,000 of them: 12 GB, the service's heap), and
   * their page's JSON passed V8's longest string (~512 M characters): 500 INTERNAL, the rows never
   * shown (test/api/rows-large-values.test.ts).
   * @throws StagingError STAGING_BAD_CURSOR for a cursor of another filter or job.
   */
  listRows(jobId: number, f: RowFilter, page: { limit?: number; cursor?: string | null; maxChars?: number } = {}): Page<StagedRow> {
    const limit = Math.min(Math.max(page.limit ?? 100, 1), 1000);
    const maxChars = Math.max(page.maxChars ?? PAGE_MAX_CHARS, 1);
    const byTime = Boolean(f.from || f.to);
    const bound = filterKey(jobId, f);
    const cur = page.cursor ? decodeCursor(page.cursor) : null;
    // a cursor is a position in one filter's order: reused under another filter (or job) it
    // skipped that filter's rows before the position without a word
    if (cur && (cur.key !== bound || (cur.time !== undefined) !== byTime)) {
      throw new StagingError('STAGING_BAD_CURSOR', 'the page cursor belongs to another filter: start again without cursor (send the same filter with each cursor)');
    }
    const q = this.pageQuery(jobId, f, cur, limit);
    const items: StagedRow[] = [];
    let chars = 0;
    let more = false;
    for (const r of this.db.prepare(q.sql).iterate(...q.args) as IterableIterator<RowDbRow>) {
      // the row after the page's last: there is a next page (read, not kept)
      if (items.length === limit || (items.length > 0 && chars >= maxChars)) { more = true; break; }
      chars += rowChars(r);
      items.push(toRow(r));
    }
    const last = items[items.length - 1];
    return { items, next: more && last ? encodeCursor(last.id, byTime ? last.beginTime ?? '' : undefined, bound) : null };
  }

  /**
   * The SQL and arguments of one page of `listRows` (its first `limit + 1` rows after `cur`): by
   * time window on (job, begin_time, id); free text over a fully indexed store from the FTS index
   * in rowid order; by who alone from the job's first row in id order; else in id order on an index
   * that gives it (rows_job_id for no filter: migration 8).
   */
  private pageQuery(jobId: number, f: RowFilter, cur: { id: number; time?: string } | null, limit: number): { sql: string; args: unknown[] } {
    const byTime = Boolean(f.from || f.to);
    const { sql, args, ftsOuter } = this.whereFor(jobId, f, { ftsOuter: !byTime });
    const cols = ROW_COLS.split(', ').map((c) => 'r.' + c).join(', ');
    if (byTime) {
      // rows of no begin time come first (NULL sorts low); a cursor on one of them has time '' (no
      // begin time is ''): the rest of those rows by id, then every row with a time
      const afterNull = cur !== null && cur.time === '';
      const after = !cur ? '' : afterNull ? 'AND (r.begin_time IS NOT NULL OR r.id > ?)' : 'AND (r.begin_time, r.id) > (?, ?)';
      return { sql: `SELECT ${cols} FROM rows r INDEXED BY rows_job_time WHERE ${sql} ${after} ORDER BY r.begin_time, r.id LIMIT ?`, args: [...args, ...(!cur ? [] : afterNull ? [cur.id] : [cur.time, cur.id]), limit + 1] };
    }
    if (ftsOuter) {
      // free text over a fully indexed store: walk the FTS index in rowid order and stop at the
      // page's end, instead of materialising every match (a common word matches 100,000s of rows)
      return { sql: `SELECT ${cols} FROM rows_fts f CROSS JOIN rows r ON r.id = f.rowid
        WHERE f.rows_fts MATCH ? AND f.rowid > ? AND ${sql} ORDER BY f.rowid LIMIT ?`, args: [ftsOuter, cur?.id ?? 0, ...args, limit + 1] };
    }
    if (byWhoAlone(f)) {
      // by SID or database user alone (no indexed field beside): walk the rows in id order from the
      // job's first row or the cursor and stop at the page's end. On the job's (job_id, lsn) index
      // SQLite read and sorted every row of the job, the meta JSON of each: 64 ms a page at 100,000
      // rows where this takes under 1 (a SID a third of the rows have; docs/performance.md)
      const first = (this.stmts.firstRowId.get(jobId, jobId, jobId) as { m: number | null }).m ?? 0;
      return { sql: `SELECT ${cols} FROM rows r NOT INDEXED WHERE ${sql} AND r.id > ? ORDER BY r.id LIMIT ?`, args: [...args, Math.max(cur?.id ?? 0, first - 1), limit + 1] };
    }
    return { sql: `SELECT ${cols} FROM rows r WHERE ${sql} AND r.id > ? ORDER BY r.id LIMIT ?`, args: [...args, cur?.id ?? 0, limit + 1] };
  }

  /** SQLite's EXPLAIN QUERY PLAN lines of the first page `listRows(jobId, f)` reads (tests, and a slow page's diagnosis). */
  explainPage(jobId: number, f: RowFilter): string[] {
    const q = this.pageQuery(jobId, f, null, 100);
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.args) as { detail: string }[]).map((r) => r.detail);
  }

  countRows(jobId: number, f: RowFilter): number {
    const count = (w: { sql: string; args: unknown[] }): number => (this.db.prepare(`SELECT count(*) AS n FROM rows r WHERE ${w.sql}`).get(...w.args) as { n: number }).n;
    // `to` alone: the rows timed by it and those of no begin time committed by it (whereFor), counted
    // apart: each is a range of rows_job_time, where the OR of the two made SQLite (no statistics)
    // count every row of the job by rows_job_id (1,000,000 rows: 218 ms against 3.7 ms with a `from`)
    if (f.to && !f.from) return count(this.whereFor(jobId, f, { toPart: 'timed' })) + count(this.whereFor(jobId, f, { toPart: 'untimed' }));
    return count(this.whereFor(jobId, f));
  }

  /**
   * Rows a time window (`from`/`to` of the filter) can neither take nor leave out: rows of no begin
   * time (their transaction's LOP_BEGIN_XACT was not in the log read: a job without a window, or
   * with `to` alone, stages them; recover/committed.ts) whose commit time does not place them. A
   * transaction begins before it commits, so one committed before `from` began before it (outside),
   * and one committed by `to` began by it (inside, when there is no `from`: `whereFor` lists it);
   * one committed at or after `from`, or after `to` with no `from`, or of no commit time, may have
   * begun inside the window or not. `listRows`, `countRows`, exports and decisions by filter leave
   * these rows out (as `scan --from` leaves such rows out and says INCOMPLETE); this counts them,
   * with the filter's other fields applied, so the answer can say so.
   *
   * Returns 0 when the filter has no window. Cost: a range of rows_job_time (begin_time IS NULL).
   */
  unplacedRows(jobId: number, f: RowFilter): number {
    if (!f.from && !f.to) return 0;
    const { sql, args } = this.whereFor(jobId, { ...f, from: undefined, to: undefined });
    const bound = f.from ? 'r.end_time >= ?' : 'r.end_time > ?';
    return (this.db.prepare(`SELECT count(*) AS n FROM rows r INDEXED BY rows_job_time WHERE ${sql} AND r.begin_time IS NULL AND (r.end_time IS NULL OR ${bound})`)
      .get(...args, f.from ?? f.to) as { n: number }).n;
  }

  /** Iterates every matching row (exports, re-insert planning) without holding them all. */
  *iterateRows(jobId: number, f: RowFilter, ids?: number[]): Generator<StagedRowWithRaw> {
    if (ids) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rs = this.db.prepare(`SELECT ${ROW_COLS}, raw FROM rows WHERE job_id = ? AND id IN (${chunk.map(() => '?').join(',')}) ORDER BY id`)
          .all(jobId, ...chunk) as RowDbRow[];
        for (const r of rs) yield toRowWithRaw(r);
      }
      return;
    }
    const { sql, args } = this.whereFor(jobId, f);
    // by who alone: in id order from the job's first row, as listRows (each batch of 1,000 read and
    // sorted every row of the job on its (job_id, lsn) index: 2.6 s for 33,300 rows of 100,000)
    const who = byWhoAlone(f);
    let after = who ? Math.max(0, ((this.stmts.firstRowId.get(jobId, jobId, jobId) as { m: number | null }).m ?? 0) - 1) : 0;
    for (;;) {
      const rs = this.db.prepare(`SELECT ${ROW_COLS.split(', ').map((c) => 'r.' + c).join(', ')}, r.raw FROM rows r ${who ? 'NOT INDEXED ' : ''}WHERE ${sql} AND r.id > ? ORDER BY r.id LIMIT 1000`)
        .all(...args, after) as RowDbRow[];
      if (!rs.length) return;
      for (const r of rs) yield toRowWithRaw(r);
      after = rs[rs.length - 1].id;
    }
  }

  getRow(jobId: number, rowId: number): StagedRowWithRaw | undefined {
    const r = this.db.prepare(`SELECT ${ROW_COLS}, raw FROM rows WHERE job_id = ? AND id = ?`).get(jobId, rowId) as RowDbRow | undefined;
    return r ? toRowWithRaw(r) : undefined;
  }

  /**
   * Approve or reject rows chosen by id list or by filter, with a reason; records the decision,
   * which rows it touched, and an audit entry (`rows.approve` / `rows.reject`, with `rows`, the
   * number changed), in one transaction. Rows already re-inserted are never changed; rows in
   * conflict only when named (by id, or by a filter whose statuses name 'conflict'), said in the
   * `note` and counted in the audit entry (`conflictsDecided`).
   *
   * A decision over every row of the job must say so: `all: true` with no filter or one that does
   * not narrow (`filterNarrows`); without it such a filter is refused (InputError
   * INPUT_DECISION_ALL_ROWS, naming how many rows it would decide), and `all: true` with ids or
   * with a filter that narrows is refused as contradictory (INPUT_DECISION_ALL_CONTRADICTS).
   * An id that is no row of the job is STAGING_ROW_NOT_FOUND; nothing is decided or audited then.
   *
   * Returns the decision id, the number of rows changed (`rows`), and when that is 0 a `note`
   * saying why: nothing matched, or every matching row already had that status or was past review;
   * `unplaced` when the filter's time window left out rows it cannot place (`unplacedRows`);
   * `conflictsDecided`, how many of the rows changed were conflicts (and the `note` says what a
   * run does with them), when any were; `conflictsLeft`, how many conflict rows a filter or
   * all: true matched without naming the status (left as they are; the `note` says how to name them).
   *
   * Rows a re-insert run holds (`rowsHeldByRuns`: a running run's batch not yet committed, a stopped
   * run's batch that may have committed unrecorded) are never changed. A decision by ids that would
   * change one is refused whole (StagingError STAGING_DECISION_RUN_ACTIVE, 409: the reviewer named
   * that row). A decision by filter or all: true decides the rows no run holds and leaves the held
   * ones out, said in `heldBack` (how many, the runs and batches holding them, the first 20 ids) and
   * in the `note` (which run, what to do: wait for it to end, or have it resumed, then decide them),
   * and recorded in the audit entry (`heldBack: { rows, runs }`); when every row it would change is
   * held it decides nothing and is refused as a decision by ids is (STAGING_DECISION_RUN_ACTIVE).
   * The staleness checks (asOf, seen, expectRows: STAGING_DECISION_STALE) count the held rows as
   * matched: they were shown and are still there; the note says how many of those counted were decided.
   */
  decide(jobId: number, d: { actor: string; decision: 'approve' | 'reject'; reason: string; ids?: number[]; filter?: RowFilter; all?: boolean; seen?: Record<string, RowStatus>; expectRows?: number; asOf?: string }): { decisionId: number; rows: number; note?: string; unplaced?: { rows: number; note: string }; heldBack?: HeldBack; conflictsDecided?: number; conflictsLeft?: number } {
    this.requireJob(jobId);
    if (d.seen && !d.ids) throw new InputError('INPUT_VALIDATION', 'seen goes with ids (the statuses of the rows given); with a filter or all: true give asOf (the count=true answer\'s) or expectRows, the count the filter was seen to match', { field: 'seen' });
    if (d.expectRows !== undefined && d.ids) throw new InputError('INPUT_VALIDATION', 'expectRows goes with a filter or all: true; with ids give seen, the statuses the rows were seen with', { field: 'expectRows' });
    if (d.ids && d.seen) assertSeenMatchesIds(d.ids, d.seen);
    const asOf = d.asOf === undefined ? undefined : decodeAsOf(d.asOf);
    if (asOf && asOf.store !== this.storeTag()) {
      throw new InputError('INPUT_VALIDATION', `asOf was issued by another staging store than this server's (another staging file's page: a second server, or this one restarted on another file): nothing it says can be checked here; nothing was decided: read the rows again (GET /api/jobs/${jobId}/rows, reload the page) and decide again`, { field: 'asOf' });
    }
    if (asOf && !d.ids) {
      const f: RowFilter = d.all ? {} : d.filter ?? {};
      if (asOf.key !== filterKey(jobId, f)) throw new InputError('INPUT_VALIDATION', `asOf was read for another filter or job than this decision's ${d.all ? '(all: true, no filter)' : JSON.stringify(d.filter ?? {})}: send the asOf of GET /api/jobs/${jobId}/rows?count=true with this filter`, { field: 'asOf' });
      if (asOf.count === null) throw new InputError('INPUT_VALIDATION', `asOf of a page read without count=true holds no count: a decision by ${d.all ? 'all: true' : 'filter'} takes the asOf of GET /api/jobs/${jobId}/rows?count=true (the count shown)`, { field: 'asOf' });
    }
    const target: RowStatus = d.decision === 'approve' ? 'approved' : 'rejected';
    const changeable = (['pending', 'approved', 'rejected'] as RowStatus[]).filter((s) => s !== target);
    // conflict rows (a run found their key, or a value of another unique index, in the target and
    // left them out) are decided again when named: by id, or by a filter whose statuses name
    // 'conflict'. A DBA who removed the row in the way, or who sends them to a side table (the run's
    // tableMap) to merge by hand, had no way on: no decision changed a conflict row. A filter or
    // all: true that does not name the status leaves them as they are (approving "everything" would
    // send them to conflict again). Re-inserted rows are never decided again (never twice).
    const reopenable: RowStatus[] = [...changeable, 'conflict'];
    if (d.ids && (d.filter || d.all)) throw new InputError('INPUT_DECISION_ALL_CONTRADICTS', `give ids, or filter, or all: true, not ${d.filter ? 'ids and filter' : 'ids and all'}`, { field: d.filter ? 'filter' : 'all' });
    if (!d.ids) {
      const narrows = d.filter !== undefined && filterNarrows(d.filter);
      if (d.all && narrows) {
        throw new InputError('INPUT_DECISION_ALL_CONTRADICTS', `all: true decides every row of job ${jobId}, but the filter narrows it: send the filter without all, or all: true without the filter`, { field: 'all' });
      }
      if (!d.all && !narrows) {
        const would = this.countRows(jobId, { status: changeable });
        throw new InputError('INPUT_DECISION_ALL_ROWS', `the filter ${JSON.stringify(d.filter ?? {})} narrows nothing: it would ${d.decision} every row of job ${jobId} (${would} row${would === 1 ? '' : 's'} would change); to mean that, send all: true (with no filter), else give a filter that narrows or ids`, { field: 'all' });
      }
    }
    const selector = d.ids ? { ids: d.ids } : d.all ? { all: true } : { filter: d.filter ?? {} };
    if (d.ids) {
      // Every id must be a row of this job: an unknown id is a 404, and nothing is decided or audited.
      const known = this.db.prepare('SELECT 1 FROM rows WHERE job_id = ? AND id = ?');
      const missing = d.ids.filter((id) => !known.get(jobId, id));
      if (missing.length) {
        // the field of the first unknown id (`ids.3`), as a request's other refusals name theirs: it named none
        throw new StagingError('STAGING_ROW_NOT_FOUND', `job ${jobId} has no row${missing.length > 1 ? 's' : ''} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` … (${missing.length} in all)` : ''}; nothing was decided`, { field: `ids.${d.ids.indexOf(missing[0]!)}` });
      }
    }
    return this.db.transaction(() => {
      this.refuseStaleDecision(jobId, d);
      if (asOf) this.refuseChangedSince(jobId, d, asOf);
      // the reason and filter are free text a reviewer types: a pasted password is redacted here as
      // the audit entry's is (appendAudit), or the decision list showed it to every viewer
      const dec = this.db.prepare(`INSERT INTO decisions (job_id, actor, decided_at, decision, reason, selector, row_count) VALUES (?, ?, ?, ?, ?, ?, 0)`)
        .run(jobId, d.actor, now(), d.decision, redactSecrets(d.reason), JSON.stringify(redactDeep(selector)));
      const decisionId = Number(dec.lastInsertRowid);
      let n = 0;
      /** Rows the selector chose, whatever their status (for the note when none changed). */
      let matched: number;
      /** The rows this decision would change that a run holds (decision by filter or all: left out). */
      let held = new Map<number, RowHold>();
      // the rows it would change (decision_rows), those a run holds found among them in SQL
      // (heldRows), before any row is changed
      const decisionRows = { sql: 'SELECT row_id FROM decision_rows WHERE decision_id = ?', args: [decisionId] };
      if (d.ids) {
        matched = new Set(d.ids).size;
        const mark = this.db.prepare(`INSERT OR IGNORE INTO decision_rows (decision_id, row_id) SELECT ?, id FROM rows WHERE job_id = ? AND id = ? AND status IN ('pending','approved','rejected','conflict') AND status <> ?`);
        for (const id of d.ids) mark.run(decisionId, jobId, id, target);
        // the reviewer named these rows: one a run holds refuses the decision whole
        const hit = this.heldRows(jobId, decisionRows);
        if (hit.size) this.refuseHeldRows(jobId, hit, false);
      } else {
        const f: RowFilter = d.all ? {} : { ...(d.filter ?? {}) };
        matched = this.countRows(jobId, f);
        const st = f.status ? (Array.isArray(f.status) ? f.status : [f.status]).filter((s) => reopenable.includes(s)) : changeable;
        // a filter of statuses none of which can change (status=approved for an approval) changes
        // nothing, and is recorded and audited as such like any other decision
        if (st.length > 0) {
          f.status = st;
          const { sql, args } = this.whereFor(jobId, f);
          // the held ones first, among the rows the filter would change (heldRows), then the others
          // into decision_rows: a million held rows written there and deleted again cost more than
          // leaving them out (docs/performance.md, "Rows a run holds")
          held = this.heldRows(jobId, { sql: `SELECT r.id FROM rows r WHERE ${sql}`, args });
          const others = held.size ? ' AND r.id NOT IN (SELECT value FROM json_each(?))' : '';
          const would = held.size + this.db.prepare(`INSERT INTO decision_rows (decision_id, row_id) SELECT ?, r.id FROM rows r WHERE ${sql}${others}`)
            .run(decisionId, ...args, ...(held.size ? [JSON.stringify([...held.keys()])] : [])).changes;
          // Every row it would change held: nothing to decide. Refused (409), not answered 200 with
          // rows: 0: that answer means "already as asked" (the note's "already approved"), and a
          // decision recorded and audited as made while it changed nothing — the reviewer's intent
          // never applied, no later step applying it — reads in the decision list as done. The
          // refusal says which run holds them and what to do, and nothing is recorded.
          if (held.size && held.size === would) this.refuseHeldRows(jobId, held, true);
        }
      }
      // the conflict rows among them, before their status changes: said in the note
      const reopened = (this.db.prepare(`SELECT count(*) AS n FROM rows WHERE status = 'conflict' AND id IN (SELECT row_id FROM decision_rows WHERE decision_id = ?)`).get(decisionId) as { n: number }).n;
      n = this.db.prepare(`UPDATE rows SET status = ? WHERE id IN (SELECT row_id FROM decision_rows WHERE decision_id = ?)`).run(target, decisionId).changes;
      const which = d.ids ? 'given' : d.all ? `of job ${jobId}` : 'the filter matches';
      const heldBack = held.size ? heldBackOf(held) : undefined;
      // conflict rows the filter (or all: true) matched but did not name: left as they are, and said
      // so with the way to decide them. "Approved 2 row(s)" alone of a filter matching 3, one a
      // conflict whose stub the DBA had just removed, read as all three approved; the next run left
      // it out unsaid, and with none changed the note put it under "past review", as if re-inserted
      const f0 = d.ids ? undefined : d.all ? {} : (d.filter ?? {});
      const conflictsLeft = f0 && f0.status === undefined ? this.countRows(jobId, { ...f0, status: 'conflict' }) : 0;
      const pastReview = d.ids || (d.filter?.status !== undefined && [d.filter.status].flat().includes('conflict')) ? 'reinserted' : 'reinserted, conflict';
      const decidedNote = heldBack ? heldBackNote(heldBack, { decided: n, matched, which, target })
        : n > 0 ? undefined : matched === 0
        ? `nothing was decided: ${d.all ? `job ${jobId} has no rows` : `the filter matches no row of job ${jobId}`}`
        : conflictsLeft > 0
        ? `nothing was decided: ${matched === 1 ? 'the one row' : `each of the ${matched} rows`} ${which} is already ${target}, re-inserted or a conflict not named`
        : `nothing was decided: ${matched === 1 ? 'the one row' : `each of the ${matched} rows`} ${which} is already ${target} or past review (${pastReview})`;
      const reopenedNote = reopened === 0 ? undefined : target === 'approved'
        ? `${reopened} of the rows approved ${reopened === 1 ? 'was a conflict' : 'were conflicts'} (a run found ${reopened === 1 ? 'its' : 'their'} key, or a value of another unique index, in the target): a run into the same table takes ${reopened === 1 ? 'it' : 'them'} as a conflict again unless the row in the way is gone; a run's tableMap puts ${reopened === 1 ? 'it' : 'them'} into a side table to compare`
        : `${reopened} of the rows rejected ${reopened === 1 ? 'was a conflict' : 'were conflicts'}: ${reopened === 1 ? 'it stays' : 'they stay'} out of the target, ${reopened === 1 ? 'its' : 'their'} run outcome kept`;
      const leftNote = conflictsLeft === 0 ? undefined
        : `${conflictsLeft === matched ? (conflictsLeft === 1 ? 'the one row' : `all ${conflictsLeft} rows`) : `${conflictsLeft} of the rows`} ${which} ${conflictsLeft === 1 ? 'is a conflict' : 'are conflicts'} (a run found ${conflictsLeft === 1 ? 'its' : 'their'} key, or a value of another unique index, in the target), left as ${conflictsLeft === 1 ? 'it is' : 'they are'}: a conflict row is decided again only when named, by ids or by a filter whose status names conflict (filter {"status": "conflict"}; on the review page, status conflict or the rows selected)`;
      const note = [decidedNote, reopenedNote, leftNote].filter((x) => x !== undefined).join('; ') || undefined;
      // rows of no begin time the filter's window cannot place were not decided: said, not silent
      const unplaced = !d.ids && !d.all && d.filter ? this.unplacedRows(jobId, d.filter) : 0;
      const un = unplaced > 0 ? { unplaced: { rows: unplaced, note: unplacedNote(unplaced, 'not decided') } } : {};
      this.db.prepare('UPDATE decisions SET row_count = ? WHERE id = ?').run(n, decisionId);
      // what the decision was checked against (asOf, seen, expectRows), or null: made on nothing
      // shown (a script; the last decision won); the entry said neither, so a blind decision and
      // one checked against the rows shown read alike in the audit log
      const checked = d.asOf !== undefined || d.seen || d.expectRows !== undefined
        ? { ...(d.asOf !== undefined ? { asOf: d.asOf } : {}), ...(d.seen ? { seen: Object.keys(d.seen).length } : {}), ...(d.expectRows !== undefined ? { expectRows: d.expectRows } : {}) }
        : null;
      // the rows left out are recorded with the decision (how many, which runs hold them): the entry
      // said "rows: 998" of a filter that matched 1000 with nothing on the two
      const back = heldBack ? { heldBack: { rows: heldBack.rows, runs: heldBack.runs.map((r) => r.runId) } } : {};
      this.appendAudit(d.actor, `rows.${d.decision}`, jobId, { decisionId, reason: d.reason, rows: n, matched, selector, checked, ...(note ? { note } : {}), ...(reopened ? { conflictsDecided: reopened } : {}), ...(conflictsLeft ? { conflictsLeft } : {}), ...un, ...back });
      return { decisionId, rows: n, ...(note ? { note } : {}), ...un, ...(heldBack ? { heldBack } : {}), ...(reopened ? { conflictsDecided: reopened } : {}), ...(conflictsLeft ? { conflictsLeft } : {}) };
    })();
  }

  /**
   * A decision made on what the reviewer saw (`seen`: the statuses of the rows given by id;
   * `expectRows`: the count of the filter's rows) is refused when that is no longer so: another
   * reviewer decided one of the rows since (it was overturned unseen: last write won), a run
   * re-inserted it, or rows were staged or decided since the count was shown (a bulk decision then
   * took rows nobody had counted). StagingError STAGING_DECISION_STALE (409), naming the rows, what
   * they are now and who decided them last, when; nothing is decided. Runs inside `decide`'s
   * transaction, so nothing can change between the check and the decision.
   */
  private refuseStaleDecision(jobId: number, d: { ids?: number[]; filter?: RowFilter; all?: boolean; seen?: Record<string, RowStatus>; expectRows?: number }): void {
    if (d.ids && d.seen) {
      const now = this.db.prepare('SELECT status FROM rows WHERE job_id = ? AND id = ?');
      const last = this.db.prepare(`SELECT d.actor, d.decided_at AS at FROM decision_rows x JOIN decisions d ON d.id = x.decision_id WHERE x.row_id = ? ORDER BY d.id DESC LIMIT 1`);
      const changed: string[] = [];
      let n = 0;
      for (const id of new Set(d.ids)) {
        const was = d.seen[String(id)];
        if (was === undefined) continue;
        const is = (now.get(jobId, id) as { status: RowStatus } | undefined)?.status;
        if (is === undefined || is === was) continue;
        n++;
        if (changed.length < 20) {
          const by = last.get(id) as { actor: string; at: string } | undefined;
          changed.push(`#${id} is ${is}, seen ${was}${by && is !== 'reinserted' && is !== 'conflict' ? ` (${is === 'pending' ? 'last decided' : is} by ${by.actor} at ${by.at})` : ''}`);
        }
      }
      if (n) throw new StagingError('STAGING_DECISION_STALE', `${n} of the rows given changed since they were shown: ${changed.join('; ')}${n > changed.length ? ` … (${n} in all)` : ''}; nothing was decided: look at them again (reload) and decide again`);
    }
    if (!d.ids && d.expectRows !== undefined) {
      const matched = this.countRows(jobId, d.all ? {} : d.filter ?? {});
      if (matched !== d.expectRows) {
        throw new StagingError('STAGING_DECISION_STALE', `the ${d.all ? `job's rows` : `filter's rows`} were counted ${d.expectRows} when shown and are ${matched} now (rows staged or decided since); nothing was decided: count again (Apply, or count=true) and decide again`);
      }
    }
  }

  /**
   * The `asOf` token of what a reviewer is shown of job `jobId` under filter `f` (the rows page
   * answers it; `count`: the count=true total shown, which a decision by filter or all needs): the
   * filter's key, the store's last decision id, last row id and last audit entry id. Opaque to clients; `decide` checks
   * it (`refuseChangedSince`). Read in the same SQLite read as the page and count (the route's
   * transaction), so it names exactly the state they show. Cost: three index seeks.
   */
  decisionSnapshot(jobId: number, f: RowFilter, count?: number): string {
    const max = (sql: string): number => (this.db.prepare(sql).get() as { m: number | null }).m ?? 0;
    return encodeAsOf({ store: this.storeTag(), key: filterKey(jobId, f), decisionId: max('SELECT max(id) AS m FROM decisions'), rowId: max('SELECT max(id) AS m FROM rows'), count: count ?? null, auditId: max('SELECT max(id) AS m FROM audit_log') });
  }

  /**
   * What names this staging store in its `asOf` tokens: a hash of when its schema was first made
   * (schema_migrations version 1), the same for a copy of the file, another for another file. A token
   * of another store's page (a second server, a restart on another file) is refused by it: its filter
   * key is the job id and filter alone, and the same job and filter there matched here.
   */
  private storeTag(): string {
    if (this.tagOfStore === undefined) {
      const made = this.db.prepare('SELECT applied_at AS at FROM schema_migrations WHERE version = 1').get() as { at: string } | undefined;
      this.tagOfStore = createHash('sha256').update(`rowback-staging-store:${made?.at ?? ''}`, 'utf8').digest('base64url').slice(0, 8);
    }
    return this.tagOfStore;
  }

  private tagOfStore: string | undefined;

  /**
   * The exact staleness check (`asOf`, from `decisionSnapshot`): the rows the decision would take
   * must be the rows the reviewer was shown, not just as many. Row ids only grow (a row staged later
   * has a greater id than every row then) and every decision records the rows it changed
   * (decision_rows), so:
   * - by ids: a row given that was decided since (also one back at the status shown: approved,
   *   rejected by another reviewer, approved again by a third, is a decision the reviewer never saw
   *   and would overturn) or staged after the page was read;
   * - by filter or all: a row the filter matches now that was staged after the count; a row matching
   *   the filter's other fields that was decided since and was in the counted set (its status then,
   *   from the decisions up to the token, or conflict when a run made it one after the last of them)
   *   or is in it now; or a count that differs (a run re-inserted
   *   rows: a run moves statuses only to reinserted or conflict, recorded in no decision, so that
   *   alone moves the count; a conflict decided again is a decision, found as such);
   * - by either: a row a re-insert run put back into its own table since (reinsertedSince: a batch
   *   recorded after the token's audit entry), which moves no count where the filter names no status
   *   (or names both approved and reinserted), nor any decision: the decision took the other rows,
   *   saying nothing of those, now in the target.
   * StagingError STAGING_DECISION_STALE naming the rows, their status now and who decided them when;
   * runs inside `decide`'s transaction.
   */
  private refuseChangedSince(jobId: number, d: { ids?: number[]; filter?: RowFilter; all?: boolean }, asOf: AsOf): void {
    // A token naming a decision or row this store has not reached was never issued by it (another
    // staging file's page, a store put back from a backup, a hand-edited token): every decision and
    // row since would fall below its numbers and the check below would pass unseen. Ids only grow
    // (no row or decision is deleted), so a token of this store never names more than it holds.
    const max = (sql: string): number => (this.db.prepare(sql).get() as { m: number | null }).m ?? 0;
    const lastDecision = max('SELECT max(id) AS m FROM decisions');
    const lastRow = max('SELECT max(id) AS m FROM rows');
    const lastAudit = max('SELECT max(id) AS m FROM audit_log');
    if (asOf.decisionId > lastDecision || asOf.rowId > lastRow || (asOf.auditId ?? 0) > lastAudit) {
      const past = asOf.decisionId > lastDecision ? `decision ${asOf.decisionId}` : asOf.rowId > lastRow ? `row ${asOf.rowId}` : `audit entry ${asOf.auditId}`;
      const last = asOf.decisionId > lastDecision ? `decision ${lastDecision}` : asOf.rowId > lastRow ? `row ${lastRow}` : `audit entry ${lastAudit}`;
      throw new InputError('INPUT_VALIDATION', `asOf names ${past}, past the last this staging store holds (${last}): it is not a token this server issued (another staging file's page, or a store restored from an earlier backup since the page was read), and nothing it says can be checked; nothing was decided: read the rows again (GET /api/jobs/${jobId}/rows, reload the page) and decide again`, { field: 'asOf' });
    }
    const lastBy = this.db.prepare(`SELECT d.actor, d.decided_at AS at, d.decision FROM decision_rows x JOIN decisions d ON d.id = x.decision_id WHERE x.row_id = ? ORDER BY d.id DESC LIMIT 1`);
    const decidedSince = 'SELECT x.row_id FROM decision_rows x JOIN decisions dd ON dd.id = x.decision_id WHERE x.decision_id > ? AND dd.job_id = ?';
    // the first 20 rows named, those alike (one bulk decision by one reviewer) together:
    // "#51, #52 were decided since (approved now; last approved by rafael at …)"
    const groups = new Map<string, number[]>();
    let listed = 0;
    let n = 0;
    const toldIds = new Set<number>();
    const told = (id: number, what: string): void => {
      // a row both decided and re-inserted since is one row changed
      if (toldIds.has(id)) return;
      toldIds.add(id);
      n++;
      if (listed >= 20) return;
      listed++;
      appendTo(groups, what, id);
    };
    const tell = (r: { id: number; status: string }, staged: boolean): void => {
      const by = staged || listed >= 20 ? undefined : lastBy.get(r.id) as { actor: string; at: string; decision: string } | undefined;
      told(r.id, staged ? `staged since (${r.status})` : `decided since (${r.status} now${by ? `; last ${by.decision === 'approve' ? 'approved' : 'rejected'} by ${by.actor} at ${by.at}` : ''})`);
    };
    // a row a re-insert run put back into its own table since the read (approved when shown): no
    // decision, and by a filter that names no status (or names both) no count moves
    let reinserted = 0;
    const reinsertedWhat = (r: { runId: number; actor: string }): string => {
      reinserted++;
      return `re-inserted since (reinserted now: put back into its table by run ${r.runId} of ${r.actor})`;
    };
    const saying = (): string => [...groups].map(([what, ids]) => `${ids.map((id) => `#${id}`).join(', ')} ${ids.length > 1 ? 'were' : 'was'} ${what}`).join('; ') + (n > listed ? ` … (${n} in all)` : '');
    const again = '; nothing was decided: look at the rows again (reload) and decide again';
    if (d.ids) {
      const ids = JSON.stringify([...new Set(d.ids)]);
      const staged = this.db.prepare('SELECT id, status FROM rows WHERE job_id = ? AND id > ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id').all(jobId, asOf.rowId, ids) as { id: number; status: string }[];
      const decided = this.db.prepare(`SELECT id, status FROM rows WHERE job_id = ? AND id <= ? AND id IN (SELECT value FROM json_each(?)) AND id IN (${decidedSince}) ORDER BY id`)
        .all(jobId, asOf.rowId, ids, asOf.decisionId, jobId) as { id: number; status: string }[];
      for (const r of decided) tell(r, false);
      for (const r of staged) tell(r, true);
      for (const r of this.reinsertedSince(jobId, asOf, { sql: 'r.job_id = ? AND r.id <= ? AND r.id IN (SELECT value FROM json_each(?))', args: [jobId, asOf.rowId, ids] })) told(r.id, reinsertedWhat(r));
      if (n) throw new StagingError('STAGING_DECISION_STALE', `${n} of the rows given changed since they were shown (asOf): ${saying()}${again}`);
      return;
    }
    const f: RowFilter = d.all ? {} : d.filter ?? {};
    const statuses = f.status === undefined ? [] : Array.isArray(f.status) ? f.status : [f.status];
    const within = statuses.length ? new Set<string>(statuses) : null;
    // decided since, among the rows that match the filter's other fields and existed at the count
    const rest = this.whereFor(jobId, { ...f, status: undefined });
    const decided = this.db.prepare(`SELECT r.id, r.status FROM rows r WHERE ${rest.sql} AND r.id <= ? AND r.id IN (${decidedSince}) ORDER BY r.id`)
      .all(...rest.args, asOf.rowId, asOf.decisionId, jobId) as { id: number; status: string }[];
    let inSet = decided;
    if (within) {
      // each row's status at the count: its last decision up to the token's, else pending
      const out = decided.filter((r) => !within.has(r.status));
      const then = new Map<number, string>();
      if (out.length) {
        const at = new Map<number, string>();
        for (const x of this.db.prepare(`SELECT x.row_id AS id, dd.decision, dd.decided_at AS at FROM decision_rows x JOIN decisions dd ON dd.id = x.decision_id
          WHERE dd.job_id = ? AND x.decision_id <= ? AND x.row_id IN (SELECT value FROM json_each(?)) ORDER BY x.decision_id`).iterate(jobId, asOf.decisionId, JSON.stringify(out.map((r) => r.id))) as Iterable<{ id: number; decision: string; at: string }>) {
          then.set(x.id, x.decision === 'approve' ? 'approved' : 'rejected');
          at.set(x.id, x.at);
        }
        // a run moves a row to conflict with no decision, and a conflict is decided again since
        // 7a822e12: a row a run made a conflict after its last decision up to the token may have
        // been one at the count (a conflict rejected by another reviewer since read as 'approved'
        // then, left unnamed, and a run making another row a conflict kept the count). The
        // outcome's time is its batch's commit; one after the token counts too (told, never missed)
        if (within.has('conflict')) {
          for (const x of this.db.prepare(`SELECT o.row_id AS id, max(b.committed_at) AS at FROM reinsert_outcomes o
            JOIN reinsert_batches b ON b.run_id = o.run_id AND b.batch_no = o.batch_no JOIN reinsert_runs rr ON rr.id = o.run_id
            WHERE rr.job_id = ? AND rr.dry_run = 0 AND o.outcome = 'conflict' AND o.side_table IS NULL AND o.row_id IN (SELECT value FROM json_each(?)) GROUP BY o.row_id`)
            .all(jobId, JSON.stringify(out.map((r) => r.id))) as { id: number; at: string | null }[]) {
            const decidedAt = at.get(x.id);
            if (decidedAt === undefined || x.at === null || x.at >= decidedAt) then.set(x.id, 'conflict');
          }
        }
      }
      inSet = decided.filter((r) => within.has(r.status) || within.has(then.get(r.id) ?? 'pending'));
    }
    for (const r of inSet) tell(r, false);
    // re-inserted since, among the rows counted: approved when read (a run inserts approved rows
    // alone; one approved since is a decision, told above), so in the counted set when the filter
    // names no status or names approved
    if (!within || within.has('approved')) {
      for (const r of this.reinsertedSince(jobId, asOf, { sql: `${rest.sql} AND r.id <= ?`, args: [...rest.args, asOf.rowId] })) told(r.id, reinsertedWhat(r));
    }
    const all = this.whereFor(jobId, f);
    const newer = (this.db.prepare(`SELECT count(*) AS n FROM rows r WHERE ${all.sql} AND r.id > ?`).get(...all.args, asOf.rowId) as { n: number }).n;
    if (newer) {
      for (const r of this.db.prepare(`SELECT r.id, r.status FROM rows r WHERE ${all.sql} AND r.id > ? ORDER BY r.id LIMIT 20`).all(...all.args, asOf.rowId) as { id: number; status: string }[]) tell(r, true);
      n += newer - Math.min(newer, 20);
    }
    const matched = this.countRows(jobId, f);
    const whose = d.all ? `job's rows` : `filter's rows`;
    const counted = matched !== asOf.count ? `the ${whose} were counted ${asOf.count} when shown and are ${matched} now` : `the ${whose} are ${matched}, as counted, but not the rows counted`;
    // a job still staging stages rows into the filter between every count and decision: counting
    // again alone is refused again, and the reviewer was not told why nor what would do
    const job = newer ? this.getJob(jobId) : undefined;
    const staging = job && (job.state === 'running' || job.state === 'queued')
      ? `; job ${jobId} is still staging rows (${job.state}), so every decision by filter or all: true whose rows it stages into meanwhile is refused: wait until it has finished, or narrow the filter to rows already staged (a to before the newest rows' begin time; a row staged later still falls in it when its transaction began earlier, and is refused so), or decide the rows shown by id`
      : '';
    if (n) throw new StagingError('STAGING_DECISION_STALE', `${counted}: ${n} row(s) ${reinserted ? 'staged, decided or re-inserted' : 'staged or decided'} since: ${saying()}; nothing was decided: count again (Apply, or count=true) and decide again${staging}`);
    if (matched !== asOf.count) throw new StagingError('STAGING_DECISION_STALE', `${counted} (a re-insert run took rows since); nothing was decided: count again (Apply, or count=true) and decide again`);
  }

  /**
   * The rows among `among` (SQL over `rows r` with its arguments) that a re-insert run of job
   * `jobId` put back into their own table after `asOf` was read: status `reinserted`, with an
   * `inserted` outcome into no side table in a batch recorded since, found by the batch's
   * `reinsert.batch` audit entry (written in the transaction that records the batch: execute.ts
   * recordOutcome) after `asOf.auditId`. Each with the run and who started it, by row id. None for a
   * `v2` token (no audit id kept). Cost: the job's audit entries since (index audit_job), then each
   * such batch's rows (reinsert_batch_rows) and outcomes by key.
   */
  private reinsertedSince(jobId: number, asOf: AsOf, among: { sql: string; args: unknown[] }): { id: number; runId: number; actor: string }[] {
    if (asOf.auditId === null) return [];
    const batches = this.db.prepare(`SELECT json_extract(details, '$.runId') AS runId, json_extract(details, '$.batchNo') AS batchNo FROM audit_log
      WHERE job_id = ? AND id > ? AND action = 'reinsert.batch'`).all(jobId, asOf.auditId) as { runId: number | null; batchNo: number | null }[];
    const keys = batches.filter((b) => Number.isInteger(b.runId) && Number.isInteger(b.batchNo)).map((b) => [b.runId, b.batchNo]);
    if (!keys.length) return [];
    return this.db.prepare(reinsertedSinceSql(among.sql))
      .all(JSON.stringify(keys), ...among.args) as { id: number; runId: number; actor: string }[];
  }

  /**
   * The batches of job `jobId`'s stopped real runs (failed, interrupted) that may have committed in
   * the target unrecorded: the one each was sending when it stopped (its first planned one) and one
   * an error answered at COMMIT (mayHaveCommitted), until a later run of the job into the same
   * server, database and ledger table has run a batch (it read that ledger first). Their rows are
   * held from decisions (refuseRowsInRunningRun), and a run's page says which they are
   * (api/run-details.ts): it said "not yet committed" of rows the decision refusal called maybe back
   * in the table already. Only rows going into their own table: see below (rowIds of each batch are
   * those); with `o.allRows`, every row of those batches, side-table ones too (a run's page names the
   * batches that may be in a side table: api/run-details.ts mayBeInSideTable).
   */
  stoppedRunsInDoubt(jobId: number, o: { allRows?: boolean } = {}): { runId: number; actor: string; state: string; batchNo: number; rowIds: string }[] {
    const batches = this.db.prepare(`SELECT rr.id AS runId, rr.actor, rr.state, b.batch_no AS batchNo, b.row_ids AS rowIds FROM reinsert_runs rr JOIN reinsert_batches b ON b.run_id = rr.id
      WHERE rr.job_id = ? AND rr.dry_run = 0 AND rr.state IN ('failed', 'interrupted')
        AND (b.batch_no = (SELECT min(batch_no) FROM reinsert_batches WHERE run_id = rr.id AND state = 'planned')
          OR (b.state = 'failed' AND EXISTS (SELECT 1 FROM reinsert_outcomes AS o WHERE o.run_id = rr.id AND o.batch_no = b.batch_no AND o.outcome = 'error' AND o.detail LIKE '%"mayHaveCommitted":true%')))
        AND NOT EXISTS (SELECT 1 FROM reinsert_runs later JOIN reinsert_batches lb ON lb.run_id = later.id
          WHERE later.job_id = rr.job_id AND later.dry_run = 0 AND later.id > rr.id AND lb.state <> 'planned'
            -- it read the ledger of its own target: the same server, database and ledger table (a
            -- place not known is no other's)
            AND json_extract(later.target, '$.server') = json_extract(rr.target, '$.server') COLLATE NOCASE
            AND COALESCE(json_extract(later.target, '$.database'), json_extract(later.target, '$.databaseUsed')) = COALESCE(json_extract(rr.target, '$.database'), json_extract(rr.target, '$.databaseUsed')) COLLATE NOCASE
            AND COALESCE(json_extract(later.target, '$.ledgerTable'), '') = COALESCE(json_extract(rr.target, '$.ledgerTable'), '') COLLATE NOCASE)`).all(jobId) as { runId: number; actor: string; state: string; batchNo: number; rowIds: string }[];
    // A row such a batch put into a side table (the run's tableMap) stays approved when the ledger
    // read records it (execute.ts recordOutcome): a decision made meanwhile is not overturned, and
    // the row is not back in its own table whatever it says. Held, a row of a side-table check run
    // the operator stopped and left (the real run going into another database) could never be decided.
    // How a run's tableMap resolves is the re-insert layer's (runSideTables); without it every row
    // counts as going into its own table: held, the safe side.
    const sideTables = this.runSideTables;
    if (!sideTables || o.allRows) return batches;
    const tbl = this.db.prepare('SELECT tbl FROM rows WHERE id = ?');
    return batches.flatMap((b) => {
      const sideOf = sideTables(b.runId);
      if (!sideOf) return [b];
      const own = (JSON.parse(b.rowIds) as number[]).filter((id) => {
        const t = tbl.get(id) as { tbl: StoredText } | undefined;
        return !t || sideOf(readText(t.tbl)) === null;
      });
      return own.length ? [{ ...b, rowIds: JSON.stringify(own) }] : [];
    });
  }

  /**
   * Set by the re-insert layer (reinsert/service.ts, which knows how a run's recorded tableMap
   * resolves against the job's tables: run-target.ts): for run `runId`, a function giving the side
   * table a row of source table `tbl` goes into (null: its own table), or null when the run has no
   * tableMap. A hook, not an import: staging sits below reinsert (test/project/layering.test.ts).
   * Unset (a store used without the re-insert service), stoppedRunsInDoubt holds every row of an
   * in-doubt batch, the safe side.
   */
  runSideTables?: (runId: number) => ((tbl: string) => string | null) | null;

  /**
   * The rows of job `jobId` no decision changes now, each with the run and batch that holds it: a
   * running real run's batches not yet committed, and a stopped run's batch that may have committed
   * unrecorded (stoppedRunsInDoubt); `state` is the stopped run's (failed, interrupted), absent for a
   * running one. A decision by ids on one is refused, a decision by filter leaves it out (`decide`);
   * a row's detail says so (GET /api/jobs/:id/rows/:rowId `heldBy`: rowHeldByRun). The same lookup
   * (heldRows) as those two, over every row: one answer whichever asks. A map of row id to its hold;
   * the rows of one batch share one RowHold object (read them, do not change them). Throws only what
   * better-sqlite3 throws (a job with no runs: an empty map).
   */
  rowsHeldByRuns(jobId: number): Map<number, RowHold> {
    return this.heldRows(jobId);
  }

  /**
   * What holds one row of job `jobId` (rowsHeldByRuns for a single row), or undefined. Found in SQL
   * (heldRows: one lookup of the row in reinsert_batch_rows), not by parsing every batch of a running
   * run: a row's detail asked rowsHeldByRuns, which read a run of a million rows whole on each request.
   */
  rowHeldByRun(jobId: number, rowId: number): RowHold | undefined {
    return this.heldRows(jobId, { sql: 'SELECT ?', args: [rowId] }).get(rowId);
  }

  /**
   * The one answer to "which rows does a run hold" (rowsHeldByRuns, rowHeldByRun and `decide` all
   * ask it): of the rows of job `jobId` that `among` selects (a SQL query of row ids and its
   * arguments; absent: every row), those in a running real run's batch not yet committed, then those
   * in a stopped run's batch that may have committed unrecorded (stoppedRunsInDoubt). A running
   * run's hold wins over a stopped one's; of two batches, the first run's first batch. The running
   * runs' batches are searched in SQL, in reinsert_batch_rows (a batch's rows, one row each:
   * migration 13), `among`'s rows looked up there by row id: `decide` asked rowsHeldByRuns, which
   * JSON-parsed every uncommitted batch of a running run into a map on each decision (a run of
   * millions of rows read whole for a decision of ten), and then json_each over every uncommitted
   * batch's row_ids (a filter decision over 1.1 M rows, 1 M held: 3.7–4.2 s, heldRows 2.4 s of it;
   * now 0.6 s: docs/performance.md, "Rows a run holds"). Each entry of the map is one object shared
   * by the rows of its batch (read it, do not change it). Throws only what better-sqlite3 throws.
   */
  private heldRows(jobId: number, among?: { sql: string; args: unknown[] }): Map<number, RowHold> {
    const byRow = new Map<number, RowHold>();
    // Each held batch with its rows among those asked (one JSON array a batch: a million rows stepped
    // one by one into JavaScript cost more than finding them), by run and batch: the first run's
    // first batch wins. With `among`, its rows are looked up in reinsert_batch_rows by row id (CROSS
    // JOIN keeps that order: one row asked costs one lookup, not a scan of a million-row run), of
    // the job's running real runs; a batch already committed is dropped after grouping.
    const running = (among
      ? this.db.prepare(`WITH held_among(id) AS (${among.sql}),
          held_batches AS (SELECT x.run_id, x.batch_no, json_group_array(x.row_id) AS ids FROM held_among CROSS JOIN reinsert_batch_rows x
            WHERE x.row_id = held_among.id AND x.run_id IN (SELECT id FROM reinsert_runs WHERE job_id = ? AND dry_run = 0 AND state = 'running')
            GROUP BY x.run_id, x.batch_no)
        SELECT rr.id AS runId, rr.actor, b.batch_no AS batchNo, h.ids FROM held_batches h JOIN reinsert_batches b ON b.run_id = h.run_id AND b.batch_no = h.batch_no
          JOIN reinsert_runs rr ON rr.id = h.run_id
        WHERE b.state <> 'committed' ORDER BY rr.id, b.batch_no`).all(...among.args, jobId)
      : this.db.prepare(`SELECT rr.id AS runId, rr.actor, b.batch_no AS batchNo,
          (SELECT json_group_array(x.row_id) FROM reinsert_batch_rows x WHERE x.run_id = b.run_id AND x.batch_no = b.batch_no) AS ids
        FROM reinsert_runs rr JOIN reinsert_batches b ON b.run_id = rr.id
        WHERE rr.job_id = ? AND rr.dry_run = 0 AND rr.state = 'running' AND b.state <> 'committed'
        ORDER BY rr.id, b.batch_no`).all(jobId)) as { runId: number; actor: string; batchNo: number; ids: string }[];
    // A row a running run puts into a side table (its tableMap) is not held: the run leaves its
    // status as decided (execute.ts recordOutcome, as stoppedRunsInDoubt says), so no decision made
    // meanwhile is overturned. It was refused as "the run may be putting them in now, over the
    // decision", which is not so of side-table rows (test/api/routes/decisions-during-side-table-run.test.ts).
    // The run's map is read once per run, not once a batch: its target JSON and the job's tables were
    // parsed for each of a run's batches (rowsHeldByRuns over 400 batches of 200,000 rows with a
    // tableMap: 387–570 ms against 37 ms without one). A batch's source tables (one, unless a tableMap
    // sends two tables into one) are read once: all its rows held or none, row by row only where they
    // differ (test/staging/held-rows-side-tables.test.ts).
    const sideTables = this.runSideTables;
    const tbl = sideTables ? this.db.prepare('SELECT tbl FROM rows WHERE id = ?') : undefined;
    const batchTables = sideTables ? this.db.prepare('SELECT DISTINCT r.tbl FROM reinsert_batch_rows x JOIN rows r ON r.id = x.row_id WHERE x.run_id = ? AND x.batch_no = ?') : undefined;
    const sideOfRun = new Map<number, ((tbl: string) => string | null) | null>();
    for (const b of running) {
      // one hold a batch, shared by its rows
      const hold: RowHold = { runId: b.runId, actor: b.actor, batchNo: b.batchNo };
      let sideOf = sideOfRun.get(b.runId);
      if (sideOf === undefined) sideOfRun.set(b.runId, (sideOf = sideTables?.(b.runId) ?? null));
      let perRow = false;
      if (sideOf) {
        const into = (batchTables!.all(b.runId, b.batchNo) as { tbl: StoredText }[]).map((t) => sideOf!(readText(t.tbl)) !== null);
        if (into.length > 0 && into.every(Boolean)) continue;
        perRow = into.some(Boolean);
      }
      for (const id of JSON.parse(b.ids) as number[]) {
        if (byRow.has(id)) continue;
        if (perRow) {
          const t = tbl!.get(id) as { tbl: StoredText } | undefined;
          if (t && sideOf!(readText(t.tbl)) !== null) continue;
        }
        byRow.set(id, hold);
      }
    }
    // A stopped run (failed, interrupted) may have committed in the target the batch it was sending
    // when it stopped (its first planned one) or one an error answered at COMMIT (mayHaveCommitted),
    // unrecorded: the next run of the job reads the target's ledger and marks those rows reinserted
    // (execute.ts), over a decision made meanwhile; the reviewer was told "Rejected 1 row(s)" of a
    // row already back in the table. Until a later run of the job into the same target has run a
    // batch (it read that ledger first: a batch still planned then did not commit), those batches
    // hold their rows too. They are few (one or two a stopped run), parsed here.
    const pick = among ? this.db.prepare(`SELECT value AS id FROM json_each(?) WHERE value IN (${among.sql})`) : undefined;
    for (const b of this.stoppedRunsInDoubt(jobId)) {
      const ids = pick ? (pick.all(b.rowIds, ...among!.args) as { id: number }[]).map((r) => r.id) : JSON.parse(b.rowIds) as number[];
      for (const id of ids) if (!byRow.has(id)) byRow.set(id, { runId: b.runId, actor: b.actor, batchNo: b.batchNo, state: b.state });
    }
    return byRow;
  }

  /**
   * Refuses a decision that would change rows a run holds (`held`: heldRows of its decision_rows):
   * the run may be putting them in now (a running run's batch: its outcome then marks the row
   * reinserted over the decision; the reviewer was told "Rejected 1 row(s)" of a row the run put
   * back), or a stopped run's batch may have put them in already. StagingError
   * STAGING_DECISION_RUN_ACTIVE (409) naming the rows, the run and who started it, and the way on;
   * nothing is decided (thrown inside `decide`'s transaction). `whole`: every row a decision by
   * filter or all: true would change is held (it leaves held rows out and decides the others; here
   * there are none), else a decision by ids.
   */
  private refuseHeldRows(jobId: number, held: Map<number, RowHold>, whole: boolean): never {
    // each run holding some, with its own rows (ascending), by run id: the message was written from
    // the first row's run alone ("#1 (batch 1) and 4 of another stopped run" of rows a running run
    // held, its way on only that run's resume; a stopped run's rows listed as the running run's)
    const byRun = new Map<number, { hold: RowHold; ids: number[] }>();
    for (const id of [...held.keys()].sort((a, b) => a - b)) {
      const h = held.get(id)!;
      const r = byRun.get(h.runId) ?? { hold: h, ids: [] };
      r.ids.push(id);
      byRun.set(h.runId, r);
    }
    const runs = [...byRun.values()].sort((a, b) => a.hold.runId - b.hold.runId);
    const n = held.size;
    const listed = (ids: number[]): string => `${ids.slice(0, 20).map((id) => `#${id} (batch ${held.get(id)!.batchNo})`).join(', ')}${ids.length > 20 ? ` … (${ids.length} in all)` : ''}`;
    const resume = (runId: number): string => `resume run ${runId} (POST /api/reinsert-runs/${runId}/resume) to read the target's ledger (rows it put in become reinserted; a batch the ledger does not hold then runs, and its rows, still approved, go in too; its undo deletes either), then decide the rows still to decide`;
    const leaveOut = whole ? ' (a decision by filter or all: true leaves such rows out and decides the others: here there are none)' : ', or leave them out of this decision';
    if (runs.length === 1) {
      const { hold: first, ids } = runs[0]!;
      const lead = whole
        ? (n === 1 ? 'the one row this decision would change is' : `every one of the ${n} rows this decision would change is`)
        : `${n} of the rows this decision would change ${n === 1 ? 'is' : 'are'}`;
      if (first.state !== undefined) {
        throw new StagingError('STAGING_DECISION_RUN_ACTIVE', `${lead} in a batch re-insert run ${first.runId} of job ${jobId} (started by ${first.actor}, ${first.state}) sent to the target and never recorded: ${listed(ids)}; it may have committed before the run stopped, ${n === 1 ? 'the row' : 'the rows'} then back in the table already, whatever this decision says; nothing was decided: ${resume(first.runId)}${leaveOut}`);
      }
      throw new StagingError('STAGING_DECISION_RUN_ACTIVE', `${lead} in re-insert run ${first.runId} of job ${jobId}, running (started by ${first.actor}): ${listed(ids)}; the run may be putting them in now, over the decision; nothing was decided: decide them when the run has ended (GET /api/reinsert-runs/${first.runId})${leaveOut}`);
    }
    const lead = whole ? `every one of the ${n} rows this decision would change is held by ${runs.length} re-insert runs of job ${jobId}` : `${n} of the rows this decision would change are held by ${runs.length} re-insert runs of job ${jobId}`;
    const parts = runs.map(({ hold: h, ids }) => h.state !== undefined
      ? `${ids.length} in a batch re-insert run ${h.runId} (started by ${h.actor}, ${h.state}) sent to the target and never recorded, which may have committed before the run stopped (then back in the table already, whatever this decision says): ${listed(ids)}`
      : `${ids.length} in re-insert run ${h.runId}, running (started by ${h.actor}), which may be putting them in now, over the decision: ${listed(ids)}`);
    const ways = runs.map(({ hold: h }) => h.state !== undefined ? resume(h.runId) : `decide run ${h.runId}'s rows when it has ended (GET /api/reinsert-runs/${h.runId})`);
    throw new StagingError('STAGING_DECISION_RUN_ACTIVE', `${lead}: ${parts.join('; ')}; nothing was decided: ${ways.join('; ')}${leaveOut}`);
  }

  /**
   * A job's decisions in order: who, when, approve or reject, the reason and selector (secrets
   * redacted, also in a decision stored before `decide` redacted them), rows changed, and
   * `heldBack` ({rows, runs}: the rows a run held and the decision left out, else null). Every one
   * at once: decisionsPage reads them a page at a time (a decision by ids keeps up to 100,000 ids).
   */
  decisions(jobId: number): DecisionEntry[] {
    const all: DecisionEntry[] = [];
    for (let after = 0; ;) {
      const page = this.decisionsPage(jobId, { after, limit: 1000 });
      appendAll(all, page.items);
      if (page.next === null) return all;
      after = page.next;
    }
  }

  /**
   * One page of a job's decisions (as `decisions` gives each): at most `limit` (1 to 1000) after the
   * decision id `after`, and at most `maxChars` characters of stored selector and reason (default
   * LIST_PAGE_MAX_CHARS), but always at least one; `next` is the `after` of the next page, null at
   * the end. A decision by ids keeps its ids (up to 100,000, ~1.7 M characters): the list of a job
   * with a few hundred such decisions was one answer past V8's longest string (~536 M characters),
   * 500 INTERNAL (test/api/decisions-audit-long-lists.test.ts). The sizes are SQLite's (length()),
   * read before any selector is.
   */
  decisionsPage(jobId: number, opts: { after?: number; limit?: number; maxChars?: number } = {}): { items: DecisionEntry[]; next: number | null } {
    const page = this.decisionsPageJson(jobId, opts);
    return { items: page.items.map((d) => ({ ...d, selector: JSON.parse(d.selector) as unknown })), next: page.next };
  }

  /**
   * decisionsPage with each selector as JSON text (redacted as decisionsPage's): a selector of ids
   * alone (digits and commas: nothing to redact) is the stored text as it is, never parsed, so the
   * decision list streamed whole (GET /api/jobs/:id/decisions) does not parse and write again
   * 100,000 ids a decision.
   */
  decisionsPageJson(jobId: number, opts: { after?: number; limit?: number; maxChars?: number; heldBack?: Map<number, { rows: number; runs: number[] }> } = {}): { items: Array<Omit<DecisionEntry, 'selector'> & { selector: string }>; next: number | null } {
    const limit = Math.min(Math.max(opts.limit ?? 1000, 1), 1000);
    const sizes = this.db.prepare('SELECT id, length(selector) + length(reason) AS n FROM decisions WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(jobId, opts.after ?? 0, limit + 1) as { id: number; n: number }[];
    const { take, more } = pageBySize(sizes, limit, opts.maxChars ?? LIST_PAGE_MAX_CHARS);
    if (take === 0) return { items: [], next: null };
    const last = sizes[take - 1]!.id;
    const back = opts.heldBack ?? this.decisionsHeldBack(jobId);
    const items = (this.db.prepare('SELECT * FROM decisions WHERE job_id = ? AND id > ? AND id <= ? ORDER BY id').all(jobId, opts.after ?? 0, last) as
      { id: number; actor: string; decided_at: string; decision: 'approve' | 'reject'; reason: string; selector: string; row_count: number }[])
      .map((r) => ({ id: r.id, actor: r.actor, decidedAt: r.decided_at, decision: r.decision, reason: redactSecrets(r.reason), selector: IDS_SELECTOR.test(r.selector) ? r.selector : JSON.stringify(redactDeep(JSON.parse(r.selector) as unknown)), rowCount: r.row_count, heldBack: back.get(r.id) ?? null }));
    return { items, next: more ? last : null };
  }

  /**
   * The rows each decision of job `jobId` by filter or all: true left out because a re-insert run
   * held them (decide's heldBack), by decision id, as its audit entry records them: the list said
   * "reject, status=approved, 4 rows" of a decision that left 2 matching rows approved, read as done
   * (still approved, a run puts them back). Read once for a whole list (decisionsPageJson's heldBack):
   * an entry's details are parsed only when they name heldBack (instr first: a decision by ids keeps
   * up to 100,000 ids, and parsing every one for each page of the list was most of its cost).
   */
  decisionsHeldBack(jobId: number): Map<number, { rows: number; runs: number[] }> {
    const back = new Map<number, { rows: number; runs: number[] }>();
    for (const r of this.db.prepare(`SELECT json_extract(details, '$.decisionId') AS id, json_extract(details, '$.heldBack') AS h FROM audit_log
      WHERE job_id = ? AND action IN ('rows.approve', 'rows.reject') AND instr(details, '"heldBack"') > 0 AND json_extract(details, '$.heldBack') IS NOT NULL`).all(jobId) as { id: number; h: string }[]) {
      back.set(r.id, JSON.parse(r.h) as { rows: number; runs: number[] });
    }
    return back;
  }

  /** The decisions that touched one row of a job, in order (secrets in their reasons redacted, as `decisions`). */
  rowDecisions(rowId: number): { id: number; actor: string; decidedAt: string; decision: string; reason: string }[] {
    return (this.db.prepare(`SELECT d.id, d.actor, d.decided_at AS decidedAt, d.decision, d.reason FROM decision_rows x
      JOIN decisions d ON d.id = x.decision_id WHERE x.row_id = ? ORDER BY d.id`).all(rowId) as { id: number; actor: string; decidedAt: string; decision: string; reason: string }[])
      .map((d) => ({ ...d, reason: redactSecrets(d.reason) }));
  }

  private readonly blastCache = new Map<number, { key: string; value: BlastRadius }>();

  /**
   * Per table, login (offline, where rows have none: SID and database user), transaction, minute
   * and status. Cached per job until its rows or their
   * statuses change (every such change adds rows or an audit entry), since it is a full pass.
   */
  blastRadius(jobId: number): BlastRadius {
    const job = this.requireJob(jobId);
    const lastAudit = (this.db.prepare('SELECT max(id) AS m FROM audit_log WHERE job_id = ?').get(jobId) as { m: number | null }).m;
    const key = `${job.rowsStaged}:${lastAudit ?? 0}`;
    const hit = this.blastCache.get(jobId);
    if (hit && hit.key === key) return hit.value;
    const value = this.computeBlastRadius(jobId);
    this.blastCache.set(jobId, { key, value });
    return value;
  }

  /**
   * `blastRadius` with a turn of the event loop between its passes over the job's rows (each a
   * GROUP BY in SQLite, which holds the thread): in one piece it held the service 1.0 s at 500,000
   * rows (1.5 s with the route's per-operation counts), and every decision makes it anew. The passes
   * are of one state of the job: when rows were staged or a status changed meanwhile (the cache's
   * key: rows staged, the job's last audit entry) they are read again, and after three tries in one
   * piece. Resolves to what blastRadius returns; rejects with what it throws (STAGING_JOB_NOT_FOUND).
   */
  async blastRadiusCooperatively(jobId: number): Promise<BlastRadius> {
    const keyOf = (): string => {
      const job = this.requireJob(jobId);
      const lastAudit = (this.db.prepare('SELECT max(id) AS m FROM audit_log WHERE job_id = ?').get(jobId) as { m: number | null }).m;
      return `${job.rowsStaged}:${lastAudit ?? 0}`;
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = keyOf();
      const hit = this.blastCache.get(jobId);
      if (hit && hit.key === key) return hit.value;
      const parts: Partial<BlastRadius> = { jobId };
      for (const pass of this.blastRadiusPasses(jobId)) {
        Object.assign(parts, pass());
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (keyOf() === key) {
        this.blastCache.set(jobId, { key, value: parts as BlastRadius });
        return parts as BlastRadius;
      }
    }
    return this.blastRadius(jobId);
  }

  private computeBlastRadius(jobId: number): BlastRadius {
    return Object.assign({ jobId }, ...this.blastRadiusPasses(jobId).map((pass) => pass())) as BlastRadius;
  }

  /** The blast radius's passes over a job's rows, each giving some of its fields (one SQLite query each). */
  private blastRadiusPasses(jobId: number): Array<() => Partial<BlastRadius>> {
    const all = <T>(sql: string): T[] => this.db.prepare(sql).all(jobId) as T[];
    return [
      () => ({ total: (this.db.prepare('SELECT count(*) AS n FROM rows WHERE job_id = ?').get(jobId) as { n: number }).n }),
      // table, login and transaction read back from their stored form (stored-text.ts)
      () => ({ byTable: all<{ table: StoredText; rows: number }>('SELECT tbl AS "table", count(*) AS rows FROM rows WHERE job_id = ? GROUP BY tbl ORDER BY rows DESC')
        .map((g) => ({ ...g, table: readText(g.table) })) }),
      // offline rows have no login: they are told apart by SID and database user (one group per
      // SID, not every offline row under login null); a row with a login is grouped by it alone
      () => ({ byLogin: all<{ login: StoredText | null; sid: string | null; sidText: string | null; dbUser: string | null; rows: number }>(`SELECT login, sid, sidText, dbUser, count(*) AS rows FROM (
          SELECT login, CASE WHEN login IS NULL THEN json_extract(meta, '$.sid') END AS sid, CASE WHEN login IS NULL THEN json_extract(meta, '$.sidText') END AS sidText,
            CASE WHEN login IS NULL THEN json_extract(meta, '$.dbUser') END AS dbUser FROM rows WHERE job_id = ?)
        GROUP BY login, sid, sidText, dbUser ORDER BY rows DESC`).map((g) => ({ ...g, login: readText(g.login) })) }),
      () => ({ byTransaction: all<{ transactionId: StoredText; rows: number; beginTime: string | null; login: StoredText | null; sid: string | null; dbUser: string | null }>(
        `SELECT transaction_id AS transactionId, count(*) AS rows, min(begin_time) AS beginTime, min(login) AS login, min(json_extract(meta, '$.sid')) AS sid,
          min(json_extract(meta, '$.dbUser')) AS dbUser FROM rows WHERE job_id = ? AND transaction_id IS NOT NULL AND transaction_id != '' GROUP BY transaction_id ORDER BY rows DESC LIMIT 1000`)
        .map((g) => ({ ...g, transactionId: readText(g.transactionId), login: readText(g.login) })) }),
      // rows of no transaction: a state comparison's (a restore job, diff --stage), read from table
      // states, not log records; they were one transaction '' ("1 transaction(s)")
      () => ({ withoutTransaction: (this.db.prepare("SELECT count(*) AS n FROM rows WHERE job_id = ? AND (transaction_id IS NULL OR transaction_id = '')").get(jobId) as { n: number }).n }),
      () => ({ byMinute: all<{ minute: string; rows: number }>(
        "SELECT substr(begin_time, 1, 16) AS minute, count(*) AS rows FROM rows WHERE job_id = ? AND begin_time IS NOT NULL GROUP BY minute ORDER BY minute") }),
      () => ({ byStatus: all<{ status: RowStatus; rows: number }>('SELECT status, count(*) AS rows FROM rows WHERE job_id = ? GROUP BY status ORDER BY status') }),
    ];
  }

  // ---------------------------------------------------------------- audit

  appendAudit(actor: string, action: string, jobId: number | null, details: Record<string, unknown>): void {
    // The one door into the audit log: no secret in any form gets through (util/redact.ts).
    this.stmts.audit.run(now(), actor, action, jobId, JSON.stringify(redactDeep(details)));
    // a job's notes: whether any says rows of the incident are left out of its result, kept with the
    // job (JobRecord.rowsLeftOut) for its readers: the review page matched the notes' words itself
    if (action === 'job.notes' && jobId !== null) {
      const notes = Array.isArray(details.notes) ? details.notes.filter((n): n is string => typeof n === 'string') : [];
      this.db.prepare('UPDATE jobs SET rows_left_out = max(coalesce(rows_left_out, 0), ?) WHERE id = ?').run(notes.some(saysRowsLeftOut) ? 1 : 0, jobId);
    }
  }

  audit(opts: { jobId?: number; after?: number; limit?: number } = {}): AuditEntry[] {
    const where = ['id > ?'];
    const args: unknown[] = [opts.after ?? 0];
    if (opts.jobId !== undefined) { where.push('job_id = ?'); args.push(opts.jobId); }
    return (this.db.prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...args, opts.limit ?? 200) as
      { id: number; at: string; actor: string; action: string; job_id: number | null; details: string }[])
      .map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, jobId: r.job_id, details: JSON.parse(r.details) }));
  }

  /**
   * One page of the audit log, oldest first: at most `limit` entries (1 to 1000) after the id
   * `after` (of job `jobId`, of the actions `actions` when given), and at most `maxChars` characters
   * of stored details (default LIST_PAGE_MAX_CHARS), but always at least one entry; `next` is the
   * `after` of the next page, null at the end. A decision's entry keeps its selector (up to 100,000
   * row ids): 1,000 such entries were one answer past V8's longest string (~536 M characters), 500
   * INTERNAL (test/api/decisions-audit-long-lists.test.ts). The sizes are SQLite's (length()), read
   * before any entry's details are.
   */
  auditPage(opts: { jobId?: number; after?: number; limit?: number; maxChars?: number; actions?: readonly string[] } = {}): { items: AuditEntry[]; next: number | null } {
    const limit = Math.min(Math.max(opts.limit ?? 200, 1), 1000);
    const where = ['id > ?'];
    const args: unknown[] = [opts.after ?? 0];
    if (opts.jobId !== undefined) { where.push('job_id = ?'); args.push(opts.jobId); }
    if (opts.actions?.length) { where.push(`action IN (${opts.actions.map(() => '?').join(', ')})`); appendAll(args, opts.actions); }
    const sizes = this.db.prepare(`SELECT id, length(details) AS n FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...args, limit + 1) as { id: number; n: number }[];
    const { take, more } = pageBySize(sizes, limit, opts.maxChars ?? LIST_PAGE_MAX_CHARS);
    if (take === 0) return { items: [], next: null };
    const last = sizes[take - 1]!.id;
    const items = (this.db.prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} AND id <= ? ORDER BY id`).all(...args, last) as
      { id: number; at: string; actor: string; action: string; job_id: number | null; details: string }[])
      .map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, jobId: r.job_id, details: JSON.parse(r.details) as Record<string, unknown> }));
    return { items, next: more ? last : null };
  }

  // ---------------------------------------------------------------- tokens

  /**
   * Mints a token: returns the secret once; only its sha256 is stored. The name is who the audit
   * log, decisions and runs say acted (checkTokenName): InputError INPUT_BAD_OPTION for one that
   * is empty or would read as another.
   */
  createToken(name: string, role: Role, actor = 'cli'): { name: string; role: Role; token: string } {
    checkTokenName(name);
    const token = 'rbk_' + randomBytes(32).toString('base64url');
    try {
      this.db.transaction(() => {
        this.db.prepare('INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, hashToken(token), now());
        this.appendAudit(actor, 'token.create', null, { name, role });
      })();
    } catch (e) {
      if (/UNIQUE/.test((e as Error).message)) {
        // a revoked token keeps its name (the audit log names holders by it): "already exists"
        // alone left someone rotating a token after `token revoke` with nothing to do
        const had = this.db.prepare('SELECT revoked_at FROM tokens WHERE name = ?').get(name) as { revoked_at: string | null } | undefined;
        throw new StagingError(
          'STAGING_TOKEN_EXISTS',
          had?.revoked_at
            ? `a token named '${name}' was revoked at ${had.revoked_at}; names are not reused (the audit log names holders by them): choose another name, e.g. '${name}-2'`
            : `a token named '${name}' already exists; to replace it, revoke it (rowback token revoke ${shellWord(name)}${this.path === ':memory:' ? '' : ` --db ${shellPath(this.path)}`}) and create one under another name`,
        );
      }
      throw e;
    }
    return { name, role, token };
  }

  revokeToken(name: string, actor = 'cli'): boolean {
    return this.db.transaction(() => {
      const n = this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(now(), name).changes;
      if (n) this.appendAudit(actor, 'token.revoke', null, { name });
      return n > 0;
    })();
  }

  verifyToken(token: string): { name: string; role: Role } | undefined {
    const r = this.db.prepare('SELECT name, role FROM tokens WHERE hash = ? AND revoked_at IS NULL').get(hashToken(token)) as { name: string; role: Role } | undefined;
    return r;
  }

  listTokens(): { name: string; role: Role; createdAt: string; revokedAt: string | null }[] {
    return (this.db.prepare('SELECT name, role, created_at, revoked_at FROM tokens ORDER BY id').all() as
      { name: string; role: Role; created_at: string; revoked_at: string | null }[]).map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }
}

/**
 * The first character of `name` a token name may not hold, or undefined: one util/echo.ts
 * escapeUnprintable writes `\u{…}` (replaceUnprintable, its one reading): C0/C1 controls (a line
 * break included), U+2028/U+2029, every Unicode format character (Cf: zero-width and bidi controls,
 * the BOM, U+00AD, U+061C, U+180E, the tag characters U+E0000–U+E007F, …) but ZWNJ/ZWJ where they
 * shape a script's letters, and unpaired surrogates. A page, a terminal and a JSON viewer draw them
 * as nothing, or reorder the text around them. A list of its own here let `alice<U+E0041>` and
 * `alice<U+061C>` through, names the review page showed as alice while every message wrote them
 * `alice\u{e0041}`: one reading, so a name is refused exactly when a line would not show it as itself.
 */
function badNameChar(name: string): string | undefined {
  let found: string | undefined;
  replaceUnprintable(name, (c) => {
    found ??= c;
    return c;
  });
  return found;
}

/**
 * A token name is who the audit log, decisions and runs say acted, so it must read as itself: not
 * empty, at most 64 characters, no leading or trailing space, no character badNameChar finds. `token create
 * ''` made a token whose decisions were signed by nobody, and 'alice ' or 'alice\u200b' one that the
 * audit log showed as alice. @throws InputError INPUT_BAD_OPTION naming what is wrong.
 */
export function checkTokenName(name: string): void {
  const bad = (why: string) => new InputError('INPUT_BAD_OPTION', `token name ${JSON.stringify(name)} ${why}: the audit log names the holder by it, so it must read as itself (letters, digits, spaces inside, . _ - @ and the like)`, { field: 'name' });
  if (name.trim() === '') throw bad('is empty');
  if (name.length > 64) throw bad('is longer than 64 characters');
  if (name !== name.trim()) throw bad('begins or ends with a space');
  const c = badNameChar(name);
  // its code point (a tag character U+E0041, not its first surrogate U+DB40)
  if (c !== undefined) throw bad(`holds the character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which is drawn as nothing or changes the text around it`);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** User text → an FTS5 query of quoted terms (AND), a trailing `*` kept as a prefix search. */
export function ftsQuery(q: string): string {
  // a NUL separates words as a space does: inside the query's quotes it ended SQLite's string
  // ("unterminated string", a 500 for `q=%00`)
  const terms = q.trim().split(/[\s\u0000]+/).filter(Boolean).map((t) => {
    const prefix = t.endsWith('*');
    const core = (prefix ? t.slice(0, -1) : t).replace(/"/g, '""');
    return core ? `"${core}"${prefix ? '*' : ''}` : '';
  }).filter(Boolean);
  return terms.join(' ');
}

/**
 * A short hash of a job id and a row filter as `listRows` applies it (an empty login, status list
 * or free text is no filter; statuses in any order are one filter), bound into the page cursors
 * of that filter so that a cursor sent with another filter is refused rather than obeyed.
 */
export function filterKey(jobId: number, f: RowFilter): string {
  const status = f.status === undefined ? [] : [...new Set(Array.isArray(f.status) ? f.status : [f.status])].sort();
  const operation = f.operation === undefined ? [] : [...new Set(Array.isArray(f.operation) ? f.operation : [f.operation])].sort();
  const norm = [jobId, f.table || null, f.login || null, f.transactionId || null, status, f.from || null, f.to || null,
    f.q && f.q.trim() ? ftsQuery(f.q) || null : null, sidOf(f)?.hex ?? null, f.dbUser && f.dbUser.trim() ? caseFold(f.dbUser.trim()) : null,
    ...(operation.length ? [operation] : [])];
  return createHash('sha256').update(JSON.stringify(norm), 'utf8').digest('base64url').slice(0, 12);
}

/**
 * The SID of a row filter in its stored forms (util/sid.ts sidFilterForms); undefined when the
 * filter has none (absent or blank). A SID in no form rowback reads is InputError INPUT_BAD_SID.
 */
function sidOf(f: RowFilter): { hex: string; text: string | null } | undefined {
  if (f.sid === undefined || f.sid.trim() === '') return undefined;
  const forms = sidFilterForms(f.sid);
  if (!forms) throw new InputError('INPUT_BAD_SID', `sid '${f.sid.slice(0, 100)}' is not a SID: give hex (0x0105000000…, any case, 0x optional) or the Windows form S-1-5-21-…`, { field: 'sid' });
  return forms;
}

/** Whether a filter asks for who (sid, dbUser) and for no field an index of the rows table serves. */
function byWhoAlone(f: RowFilter): boolean {
  const status = f.status === undefined ? [] : Array.isArray(f.status) ? f.status : [f.status];
  return Boolean((sidOf(f) || (f.dbUser && f.dbUser.trim())) && !f.table && !(f.login !== undefined && f.login !== '') && !f.transactionId && !status.length);
}

/** A database user name folded for a case-insensitive compare (Unicode lower case; accents and widths kept). */
function caseFold(name: string): string {
  return name.toLowerCase();
}

/**
 * Whether a row filter narrows at all, as `whereFor` applies it: a filter whose every field is
 * absent or empty (`{}`, `{ login: '' }`, `{ q: '  ' }`, `{ status: [] }`) selects every row of a job.
 */
export function filterNarrows(f: RowFilter): boolean {
  const status = f.status === undefined ? [] : Array.isArray(f.status) ? f.status : [f.status];
  const operation = f.operation === undefined ? [] : Array.isArray(f.operation) ? f.operation : [f.operation];
  return Boolean(f.table || (f.login !== undefined && f.login !== '') || f.transactionId || status.length || operation.length || f.from || f.to
    || (f.q && f.q.trim() && ftsQuery(f.q)) || sidOf(f) || (f.dbUser && f.dbUser.trim()));
}

/** The opaque page cursor after row `id` (and its begin `time` in a time window), bound to a filter's `key`. */
export function encodeCursor(id: number, time: string | undefined, key: string): string {
  return Buffer.from(time === undefined ? `r:${key}:${id}` : `t:${key}:${id}:${time}`).toString('base64url');
}

/** What holds a row from decisions (StagingStore.rowsHeldByRuns): the run, who started it, the batch; `state` a stopped run's (failed, interrupted), absent for a running one. */
export interface RowHold { runId: number; actor: string; batchNo: number; state?: string }

/**
 * The rows a decision by filter or all: true left out because a run holds them (`decide`'s answer
 * `heldBack`): how many, each run holding some (`state`: running, failed, interrupted; its batches
 * holding them, ascending; how many rows), and the first 20 row ids, ascending.
 */
export interface HeldBack { rows: number; runs: { runId: number; actor: string; state: string; batches: number[]; rows: number }[]; ids: number[] }

/** `decide`'s `heldBack` of the held rows `held` (heldRows). */
function heldBackOf(held: Map<number, RowHold>): HeldBack {
  const runs = new Map<number, { runId: number; actor: string; state: string; batches: Set<number>; rows: number }>();
  for (const h of held.values()) {
    const r = runs.get(h.runId) ?? { runId: h.runId, actor: h.actor, state: h.state ?? 'running', batches: new Set<number>(), rows: 0 };
    r.batches.add(h.batchNo);
    r.rows++;
    runs.set(h.runId, r);
  }
  return {
    rows: held.size,
    runs: [...runs.values()].sort((a, b) => a.runId - b.runId).map((r) => ({ ...r, batches: [...r.batches].sort((a, b) => a - b) })),
    ids: [...held.keys()].sort((a, b) => a - b).slice(0, 20),
  };
}

/**
 * The note of a decision by filter or all: true that left rows out (`heldBackOf`): how many of the
 * rows matched were decided (a reviewer who counted 1000 and got 998 is told so), how many each run
 * holds, and what to do: wait for a running run to end, have a stopped one resumed, then decide them.
 */
function heldBackNote(h: HeldBack, o: { decided: number; matched: number; which: string; target: RowStatus }): string {
  const others = o.matched - o.decided - h.rows;
  const batches = (b: number[]) => `batch${b.length === 1 ? '' : 'es'} ${b.slice(0, 10).join(', ')}${b.length > 10 ? ` … (${b.length} in all)` : ''}`;
  const by = h.runs.map((r, i) => `${r.rows} row(s)${i === 0 ? ' held back' : ''} by re-insert run ${r.runId} (${r.state}, started by ${r.actor}; ${batches(r.batches)})`);
  const way = h.runs.map((r) => r.state === 'running'
    ? `run ${r.runId} may be putting them in now: decide them when it has ended (GET /api/reinsert-runs/${r.runId})`
    : `run ${r.runId} stopped while sending them and may have committed them in the target unrecorded: have an operator resume run ${r.runId} (POST /api/reinsert-runs/${r.runId}/resume), which reads the target's ledger first (rows found there become reinserted; a batch not found there then runs, its rows, still approved, going in too), then decide the rows still to decide`);
  return `${o.decided} of the ${o.matched} rows ${o.which} were decided${others > 0 ? ` (${others} already ${o.target} or past review)` : ''}; ${by.join(', ')} ${h.rows === 1 ? 'was' : 'were'} left out, not decided (${h.ids.map((id) => `#${id}`).join(', ')}${h.rows > h.ids.length ? ` … (${h.rows} in all)` : ''}): ${way.join('; ')}`;
}

/**
 * What a decision's `asOf` token holds (`decisionSnapshot`): the filter key, last decision id and row
 * id, the count shown (null: none read), and the last audit entry id (`auditId`: a run's batches
 * recorded since are the `reinsert.batch` entries after it; null in a `v2` token, made before it was
 * kept: such a token checks no run).
 */
interface AsOf { store: string; key: string; decisionId: number; rowId: number; count: number | null; auditId: number | null }

function encodeAsOf(a: AsOf): string {
  return `v3.${a.store}.${a.key}.${a.decisionId}.${a.rowId}.${a.count ?? '-'}.${a.auditId ?? 0}`;
}

/** Reads an `asOf` token `decisionSnapshot` made (`v3`, or a `v2` one of a page read before the audit id was kept); anything else is InputError INPUT_VALIDATION (field asOf). */
function decodeAsOf(s: string): AsOf {
  const m = /^(v2|v3)\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{12})\.(\d{1,15})\.(\d{1,15})\.(\d{1,15}|-)(?:\.(\d{1,15}))?$/.exec(s);
  if (!m || (m[1] === 'v3') !== (m[7] !== undefined)) throw new InputError('INPUT_VALIDATION', `asOf '${s.slice(0, 60)}' is not a token this server issued${s.startsWith('v1.') ? ' (one of an earlier rowback, before the token named its staging store: reload the page)' : ''}: send the asOf of the rows page (GET /api/jobs/:id/rows; with count=true for a filter or all) as it came`, { field: 'asOf' });
  return { store: m[2]!, key: m[3]!, decisionId: Number(m[4]), rowId: Number(m[5]), count: m[6] === '-' ? null : Number(m[6]), auditId: m[7] === undefined ? null : Number(m[7]) };
}

/**
 * `seen` must name every id given, and only those: an id left out of it was decided unchecked (the
 * check skipped it, and a decision on a row changed since went through), and a key that is no id
 * given said nothing checked. InputError INPUT_VALIDATION (field seen) naming them.
 */
function assertSeenMatchesIds(ids: number[], seen: Record<string, RowStatus>): void {
  const given = new Set(ids.map(String));
  const unseen = [...given].filter((id) => !(id in seen));
  const extra = Object.keys(seen).filter((k) => !given.has(k));
  if (!unseen.length && !extra.length) return;
  const list = (a: string[]): string => `${a.slice(0, 10).join(', ')}${a.length > 10 ? ` … (${a.length} in all)` : ''}`;
  throw new InputError('INPUT_VALIDATION', `seen must give the status shown of every id given, and of those only: ${unseen.length ? `no status for id${unseen.length > 1 ? 's' : ''} ${list(unseen)}` : ''}${unseen.length && extra.length ? '; ' : ''}${extra.length ? `${extra.length > 1 ? 'keys' : 'key'} ${list(extra)} ${extra.length > 1 ? 'are' : 'is'} not among ids` : ''}: send seen with one entry per id (or leave seen out)`, { field: 'seen' });
}

/** Reads a cursor `encodeCursor` made; anything else is STAGING_BAD_CURSOR. */
export function decodeCursor(c: string): { id: number; key: string; time?: string } {
  const s = Buffer.from(c, 'base64url').toString('utf8');
  const m = /^(?:r:([A-Za-z0-9_-]{12}):(\d+)|t:([A-Za-z0-9_-]{12}):(\d+):([0-9T:.-]*))$/.exec(s);
  if (!m) throw new StagingError('STAGING_BAD_CURSOR', 'the page cursor is not one this server issued: start again without cursor');
  return m[1] !== undefined ? { id: Number(m[2]), key: m[1] } : { id: Number(m[4]), key: m[3]!, time: m[5] };
}

function toJob(r: JobDbRow): JobRecord {
  return {
    id: r.id, kind: r.kind, spec: JSON.parse(r.spec), description: r.description, windowFrom: r.window_from, windowTo: r.window_to,
    tables: JSON.parse(r.tables), operations: JSON.parse(r.operations), state: r.state, createdBy: r.created_by, createdAt: r.created_at,
    startedAt: r.started_at, finishedAt: r.finished_at, rowsStaged: r.rows_staged, skippedCount: r.skipped_count, lastLsn: r.last_lsn,
    attempts: r.attempts, error: r.error ? JSON.parse(r.error) : null,
    scan: r.scan_sampled_at === null || r.scan_bytes_read === null || r.scan_records_read === null ? null : {
      bytesRead: r.scan_bytes_read, bytesTotal: r.scan_bytes_total, recordsRead: r.scan_records_read, pass: r.scan_pass,
      passes: r.scan_passes, sampledAt: r.scan_sampled_at,
    },
    ...completeness(r.incomplete),
    ...doubt(r),
    rowsLeftOut: r.rows_left_out === null || r.rows_left_out === undefined ? null : r.rows_left_out === 1,
    sourceDatabase: r.source_database ? (JSON.parse(r.source_database) as SourceDatabase) : null,
  };
}

/** The job's `complete` / `incomplete` from its column: NULL (not known) reads as both null. */
function completeness(incomplete: string | null): { complete: boolean | null; incomplete: string[] | null } {
  if (incomplete === null) return { complete: null, incomplete: null };
  const sentences = JSON.parse(incomplete) as string[];
  return { complete: sentences.length === 0, incomplete: sentences };
}

/**
 * The job's `warnings` / `rowsWithWarnings` from their columns: known only where its completeness
 * is (a job that finished before migration 14 has `incomplete` and NULL here: both read null, not
 * "none").
 */
function doubt(r: JobDbRow): { warnings: string[] | null; rowsWithWarnings: number | null } {
  if (r.incomplete === null || r.warnings == null || r.rows_with_warnings == null) return { warnings: null, rowsWithWarnings: null };
  return { warnings: JSON.parse(r.warnings) as string[], rowsWithWarnings: r.rows_with_warnings };
}

/**
 * Characters of row text a page of `listRows` holds at most (32 Mi; a single larger row is still
 * given, alone): well under V8's longest string (~512 M characters, which the page's JSON passed),
 * and a page a browser draws.
 */
export const PAGE_MAX_CHARS = 32 * 1024 * 1024;

/**
 * Characters of stored text one page of the audit log or of a job's decisions holds at most (32 Mi;
 * a single larger entry is still given, alone): the details of 1,000 audit entries, or a job's
 * decisions, each keeping up to 100,000 row ids, were one answer past V8's longest string.
 */
export const LIST_PAGE_MAX_CHARS = 32 * 1024 * 1024;

/**
 * How many of `sizes` (the first `limit + 1` candidates of a page, in order, each with its stored
 * size `n`) one page takes: at most `limit`, and no more once `maxChars` would be passed, but at
 * least one; `more` when any is left after them.
 */
export function pageBySize(sizes: readonly { n: number | null }[], limit: number, maxChars: number): { take: number; more: boolean } {
  let take = 0;
  let chars = 0;
  for (const s of sizes) {
    if (take === limit || (take > 0 && chars + (s.n ?? 0) > maxChars)) break;
    chars += s.n ?? 0;
    take++;
  }
  return { take, more: sizes.length > take };
}

/** A decision's stored selector of ids alone, as decide() writes it: `{"ids":[1,2,…]}`. */
const IDS_SELECTOR = /^\{"ids":\[[0-9,]*\]\}$/;

/** A job's decision as GET /api/jobs/:id/decisions answers it (StagingStore.decisions). */
export interface DecisionEntry {
  id: number;
  actor: string;
  decidedAt: string;
  decision: 'approve' | 'reject';
  reason: string;
  selector: unknown;
  rowCount: number;
  heldBack: { rows: number; runs: number[] } | null;
}

/** The characters of a stored row a page answers: its values, after-image, warnings and facts (JSON text as stored). */
function rowChars(r: RowDbRow): number {
  return r.vals.length + (r.after_vals?.length ?? 0) + r.warnings.length + r.meta.length;
}

/**
 * A skipped item's identity among a job's items: its code, reason and location (the location as
 * JSON text, as stageBatch stores it). Two items of one job with the same key are one item read twice.
 */
export function skippedItemKey(code: string, reason: string, location: string): string {
  return `${code}\u0000${reason}\u0000${location}`;
}

function toRow(r: RowDbRow): StagedRow {
  return {
    id: r.id, jobId: r.job_id, table: readText(r.tbl), lsn: r.lsn, operation: r.operation, transactionId: readText(r.transaction_id), login: readText(r.login),
    beginTime: r.begin_time, endTime: r.end_time, spid: r.spid, transactionName: readText(r.transaction_name), values: JSON.parse(r.vals),
    after: r.after_vals ? JSON.parse(r.after_vals) : null, warnings: JSON.parse(r.warnings), meta: JSON.parse(r.meta), status: r.status,
  };
}

function toRowWithRaw(r: RowDbRow): StagedRowWithRaw {
  return { ...toRow(r), raw: r.raw ? r.raw.toString('hex').toUpperCase() : '' };
}

/** better-sqlite3's SqliteError: `code` is SQLite's extended result code name, `SQLITE_…`. */
function isSqliteError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && e.name === 'SqliteError' && typeof (e as { code?: unknown }).code === 'string';
}

/**
 * The sentence said of `n` rows a time window cannot place (StagingStore.unplacedRows), `what`
 * being what befell them (`not listed`, `not decided`, `not exported`).
 */
export function unplacedNote(n: number, what: string): string {
  return `${n} row${n === 1 ? '' : 's'} ${what}: ${n === 1 ? 'its' : 'their'} transaction's LOP_BEGIN_XACT was not in the log read (no begin time), and ${n === 1 ? 'its' : 'their'} commit time does not say whether ${n === 1 ? 'it' : 'they'} began inside the from/to window; filter with to alone (rows committed by it began by it) or with no window to see ${n === 1 ? 'it' : 'them'}`;
}
