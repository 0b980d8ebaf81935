import { jobCompletenessWarning, jobDoubtWarning } from '../staging/job-completeness.js';
import { InputError, ReinsertError, StagingError } from '../errors.js';
import { MAY_BE_CHANGED } from '../replay/table-diff.js';
import type { StagingStore } from '../staging/store.js';
import { redactDeep } from '../util/redact.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { connectionHost } from '../util/connection.js';
import { echoInput } from '../util/echo.js';
import { identifierText, quoteQualified, splitQualifiedName, stagedTableName, tableNameText } from '../util/tsql.js';
import { warnedColumn, warnedName } from '../util/warning-column.js';
import { executeRun, type ExecuteHooks, type RunSummary } from './execute.js';
import { driverDatabaseOf, driverServerOf, MssqlTarget } from './mssql-target.js';
import { OtherJobsReinserts, otherJobMessage, type OtherJobRow, type ReinsertPlace } from './other-jobs.js';
import { readRunTarget, sameServer, serverSpelling, sideTableOf } from './run-target.js';
import { readText, type StoredText } from '../staging/stored-text.js';
import { openRunTextsSnapshot, readRunText, runTextColumn, type RunTextsSnapshot, writeRunTextChunks, writeRunTextPieces, type StoredRunText, type WrittenRunText } from '../staging/run-texts.js';
import { inSameTable, legacySideTableCounts, sideTableMessage, sideTableRows, type SideTableRow } from './side-tables.js';
import { compareDatabases, type DatabaseCheck } from './source-database.js';
import type { JobRecord, RowStatus, SourceDatabase } from '../staging/types.js';
import { afterInsertTriggersOf, afterInsertWarning, DEFAULT_LEDGER_TABLE, inInsertionOrder, notScripted, notScriptedCooperatively, planReinsertCooperatively, recoveredFromLog, readScriptability, refusalScript, renderScript, renderScriptChunks, renderScriptCooperatively, resolveTableMap, renderUndoScriptChunks, renderUndoScriptCooperatively, yieldToEventLoop, type ReinsertPlan, type ScriptDatabase } from './plan.js';
import type { ReinsertTarget } from './target.js';
import { comparisonRowKeys } from './comparison-keys.js';
import { offlineOrder, referenceKeys } from './source-keys.js';
import { fromLayout, type ForeignKey, type TargetColumn, type TargetTable } from './target-table.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { columnCodePage } from '../reconstruct/types/index.js';
import type { SourceText } from './param-type.js';
import { appendAll } from '../util/append-all.js';

export interface TargetSpec {
  /** ADO-style connection string; never stored or logged. */
  connectionString: string;
  database?: string;
  ledgerTable?: string;
  /** The configured target's name when the request named one (kept with the run; no secret). */
  name?: string;
}

/** Where a run puts rows, as other-jobs.ts compares it: the server host and database (null: not known). */
export function placeOf(t: TargetSpec | undefined, database?: string): ReinsertPlace {
  return { server: t ? connectionHost(t.connectionString) ?? null : null, database: (t ? targetDatabase(t) : null) ?? database ?? null };
}

/**
 * The database a target's rows go to: its `database`, else the one its connection opens in
 * (`Database` / `Initial Catalog`, as the driver reads it: mssql-target.ts driverDatabaseOf; not
 * MSSQL_DATABASE, which the driver does not read: a serve started with MSSQL_DATABASE=crm_side
 * recorded a run into the login's default database as into crm_side, and the same rows went into
 * crm a second time); null when neither says (the login's default database, not known).
 * (Found twice on one day, by the breaker for never-twice places and the newcomer for resumes: a run
 * into `Database=crm_side` was recorded as into no database in particular.)
 */
export function targetDatabase(t: TargetSpec): string | null {
  return t.database || driverDatabaseOf(t.connectionString);
}

/**
 * Characters a 1252 char/varchar/text value decoded right never holds: U+0080–U+009F but the five
 * that 1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D read as the control of their value). Before
 * 2026-12-03 the 1252 table came from Node 20.20's TextDecoder('windows-1252'), which reads bytes
 * 0x80–0x9F as those controls (reconstruct/collation.ts CP1252_80_9F): a row staged then holds U+0093
 * where SQL Server held “.
 */
const STALE_CP1252 = /[\u0080\u0082-\u008c\u008e\u0091-\u009c\u009e\u009f]/;

/**
 * Staged rows whose 1252 text (a char/varchar/text column of code page 1252 in the job's layouts)
 * holds a STALE_CP1252 character: the first such column and character of each. Pure; rows of tables
 * the job has no layout of are not judged.
 */
export function staleCp1252Text<R extends { id: number; table: string; values: Record<string, unknown> }>(rows: readonly R[], layouts: readonly TableLayout[]): { row: R; column: string; char: number }[] {
  const textCols = new Map<string, string[]>();
  for (const l of layouts) {
    const cols = l.columns.filter((c) => !c.isDropped && c.codePage === 1252 && (c.type === 'char' || c.type === 'varchar' || c.type === 'text')).map((c) => c.name);
    if (cols.length) textCols.set(stagedTableName(l), cols);
  }
  const out: { row: R; column: string; char: number }[] = [];
  if (!textCols.size) return out;
  for (const r of rows) {
    for (const c of textCols.get(r.table) ?? []) {
      const v = r.values[c];
      const m = typeof v === 'string' ? STALE_CP1252.exec(v) : null;
      if (m) {
        out.push({ row: r, column: c, char: m[0].charCodeAt(0) });
        break;
      }
    }
  }
  return out;
}

/**
 * Staged rows whose char/varchar/text value (a column of a code page other than UTF-8 in the job's
 * layouts) holds U+FFFD: the first such column of each, the position of its first U+FFFD (UTF-16
 * index) and how many it holds. No Windows code page maps a byte or pair to U+FFFD (collation.ts),
 * so there it stands for bytes the code page does not define, which SQL Server stores unchecked and
 * the decoder could only print as U+FFFD (the row's warning names them): re-inserted, the value goes
 * as nvarchar and the server writes '?' for U+FFFD in the column's code page, so the row would go
 * back changed. A UTF-8 column is not judged: U+FFFD is a character UTF-8 holds (EF BF BD); bytes
 * that were not UTF-8 have their own row warning. Pure; rows of tables the job has no layout of are
 * not judged.
 */
export function undefinedBytesText<R extends { id: number; table: string; values: Record<string, unknown> }>(rows: readonly R[], layouts: readonly TableLayout[]): { row: R; column: string; codePage: number; at: number; count: number }[] {
  const textCols = new Map<string, { name: string; codePage: number }[]>();
  for (const l of layouts) {
    const cols = l.columns
      .filter((c) => !c.isDropped && (c.type === 'char' || c.type === 'varchar' || c.type === 'text') && columnCodePage(c) !== 65001)
      .map((c) => ({ name: c.name, codePage: columnCodePage(c) }));
    if (cols.length) textCols.set(stagedTableName(l), cols);
  }
  const out: { row: R; column: string; codePage: number; at: number; count: number }[] = [];
  if (!textCols.size) return out;
  for (const r of rows) {
    for (const c of textCols.get(r.table) ?? []) {
      const v = r.values[c.name];
      const at = typeof v === 'string' ? v.indexOf('\ufffd') : -1;
      if (at >= 0) {
        out.push({ row: r, column: c.name, codePage: c.codePage, at, count: (v as string).split('\ufffd').length - 1 });
        break;
      }
    }
  }
  return out;
}

/**
 * The staged rows not known to be in the target: a row a run put back (`reinserted`) or found there
 * (`conflict`) is; the script head's notes about referenced rows the script does not insert count
 * only the others (they advised approving rows already put back).
 */
const NOT_IN_TARGET: RowStatus[] = ['pending', 'approved', 'rejected'];

/**
 * What a job's table layouts (and so the source's foreign keys) were read from, as the script head
 * names it: a files job given a data file (`mdf`) read its catalog; every other job with a catalog
 * of its own read a backup's. Pure.
 */
export function sourceKindOf(job: Pick<JobRecord, 'spec'>): 'data file' | 'backup' {
  const spec = job.spec as { mdf?: unknown } | null | undefined;
  return spec && spec.mdf !== undefined && spec.mdf !== null && !(Array.isArray(spec.mdf) && spec.mdf.length === 0) ? 'data file' : 'backup';
}

/**
 * The script head's line saying where its column metadata came from: the target's catalog, or
 * (`staged-layouts`, no target connection) the layouts the rows were decoded with, which says what
 * that leaves unread. The SQL export wrote `column metadata: staged-layouts`, rowback's own name
 * for it, which told a DBA reading the script nothing. Pure.
 */
export function metadataSentence(metadata: string): string {
  return `column metadata from: ${metadata === 'target-catalog'
    ? "the target's catalog"
    : "the table layouts the rows were decoded with (no target connection: the target's columns, their types and widths, keys, unique indexes, identity columns, INSTEAD OF triggers and foreign keys were not read; each target table, a tableMap side table too, is taken to have its source table's columns; a re-insert script's table order line says what ordered its tables, and an undo deletes rows in the reverse of the order its runs inserted them)"}`;
}

/**
 * The char/varchar/text columns of the job's layouts, by table (`schema.name`) and column name, each
 * with the code page its values were decoded from (columnCodePage) and its collation (null: not
 * named): PlanOptions.sourceText. Also its real columns (SourceText.real) and its date, datetime,
 * smalldatetime and datetime2 columns (SourceText.type; code page 0, collation null: not text). Pure.
 */
export function sourceTextColumns(layouts: readonly TableLayout[]): Map<string, Map<string, SourceText>> {
  const out = new Map<string, Map<string, SourceText>>();
  for (const l of layouts) {
    const cols = new Map<string, SourceText>();
    for (const c of l.columns) {
      if (c.isDropped) continue;
      // a real column's values are float32s (SourceText.real): widened exactly into a float target
      if (c.type === 'real') { cols.set(c.name, { codePage: 0, collation: null, real: true }); continue; }
      // a datetime's fraction is 1/300 s ticks: into a datetime2/datetimeoffset target it goes as a typed datetime the server converts (sql-types.ts datetimeAsServerConverts)
      if (c.type === 'date' || c.type === 'datetime' || c.type === 'smalldatetime' || c.type === 'datetime2') { cols.set(c.name, { codePage: 0, collation: null, type: c.type }); continue; }
      if (c.type !== 'char' && c.type !== 'varchar' && c.type !== 'text') continue;
      cols.set(c.name, { codePage: columnCodePage(c), collation: c.collation });
    }
    if (cols.size) out.set(stagedTableName(l), cols);
  }
  return out;
}

/** The column `column` of the target table `table` (`schema.name`) as the plan's tables hold it; undefined when it has none. */
function targetColumnOf(tables: ReadonlyMap<string, TargetTable>, table: string, column: string): TargetColumn | undefined {
  const t = tables.get(table) ?? [...tables.values()].find((x) => stagedTableName(x).toLowerCase() === table.toLowerCase());
  return t?.columns.find((c) => c.name === column) ?? t?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
}

/**
 * What a re-insert would write in place of a value's U+FFFD (bytes the source's code page does not
 * define, or invalid UTF-8), for the target's column (`target`: read from the target's catalog;
 * null: planned without a target, so its type is not known). The value goes as nvarchar
 * (sql-types.ts); the server keeps U+FFFD in a Unicode column and converts it to a char/varchar
 * column's collation: '?' in a code page (none of SQL Server's defines U+FFFD), its bytes EF BF BD
 * in a UTF-8 one (TargetColumn.codePage 65001, read from the target's catalog; both said where the
 * target did not give it). Never the stored bytes.
 */
export function undefinedBytesGoBack(target: TargetColumn | null | undefined, table: string, column: string): string {
  if (target === null) {
    return `the target's column type is not known here (planned without a target, from the job's own layouts): re-inserted into a char/varchar/text column the server would write '?' there (U+FFFD's own bytes EF BF BD under a UTF-8 collation), into nchar/nvarchar/ntext the character U+FFFD`;
  }
  if (target === undefined) return `re-inserted, the target's ${tableNameText(table)} has no column ${identifierText(column)} that rowback could read the type of; whatever it holds, U+FFFD would be written, not the stored bytes`;
  const t = target.type;
  if (t === 'nchar' || t === 'nvarchar' || t === 'ntext' || t === 'sysname') {
    return `re-inserted into the target's column ${identifierText(column)} (${t}), the server would store the character U+FFFD there (a Unicode column: the value goes in as printed)`;
  }
  if (t === 'char' || t === 'varchar' || t === 'text') {
    // the column's collation and code page as its catalog gave them (absent: a target that does not say)
    const coll = target.collation ? `collation ${target.collation}, ` : '';
    if (target.codePage === 65001) return `re-inserted into the target's column ${identifierText(column)} (${t}, ${coll}UTF-8), the server would write U+FFFD's own bytes EF BF BD there`;
    if (typeof target.codePage === 'number') return `re-inserted into the target's column ${identifierText(column)} (${t}, ${coll}code page ${target.codePage}), the server would write '?' there`;
    return `re-inserted into the target's column ${identifierText(column)} (${t}), the server would write '?' there (U+FFFD's own bytes EF BF BD if its collation is UTF-8: the target did not say the column's collation)`;
  }
  return `re-inserted into the target's column ${identifierText(column)} (${t}), the server would convert the text holding U+FFFD to ${t}`;
}

/**
 * What to do with a row held by REINSERT_UNDEFINED_BYTES, for the target's column (`target`: its
 * type read from the target's catalog; null: planned without a target). A Unicode column has no
 * character for bytes a code page does not define, so "re-insert it by hand with the original bytes"
 * could not be done into it: it is told so, and where the bytes can be kept.
 */
export function undefinedBytesByHand(target: TargetColumn | null | undefined): string {
  const t = target?.type;
  if (t === 'nchar' || t === 'nvarchar' || t === 'ntext' || t === 'sysname') {
    return `re-insert it by hand; the target's ${t} column cannot hold the original bytes (no character stands for them), so keep them in a varchar column of the source column's collation (CONVERT(varchar(n), 0x…) COLLATE that collation) or a varbinary one`;
  }
  return `re-insert it by hand with the original bytes (e.g. CONVERT(varchar(n), 0x…) COLLATE the column's collation)`;
}

/**
 * The row warning of a char/varchar/text value holding bytes its code page does not define, or bytes
 * that are not UTF-8 in a UTF-8 column (types/string.ts undefinedBytesWarning): column, code page
 * (absent: UTF-8). Text inside a sql_variant is left to REINSERT_VARIANT_TEXT (sql-types.ts).
 */
const UNDEFINED_BYTES_WARNING = /^column (.+?): (?:0x[0-9A-F]{2}(?: 0x[0-9A-F]{2})* at offset \d+.*?|bytes) of its \d+-byte value (?:is |are )?not (?:defined in code page (\d+)|valid UTF-8 \(its collation is UTF-8\))/;

/** UNDEFINED_BYTES_WARNING after the column's name: `: 0xAA at offset 1 of its 2-byte value is not defined in code page 1253`. */
const UNDEFINED_BYTES_REST = /^: (?:0x[0-9A-F]{2}(?: 0x[0-9A-F]{2})* at offset \d+.*?|bytes) of its \d+-byte value (?:is |are )?not (?:defined in code page (\d+)|valid UTF-8 \(its collation is UTF-8\))/;

/**
 * Staged rows, not named by undefinedBytesText, whose warnings say a char/varchar/text value held
 * bytes its code page does not define, or bytes that are not UTF-8 in a UTF-8 column: the first such
 * column of each and its warning. undefinedBytesText judges values by the job's layouts and leaves
 * out UTF-8 columns (U+FFFD is a character there) and tables the job has no layout of; the warning
 * says what the bytes were. Invalid UTF-8 printed as U+FFFD went back as U+FFFD's own bytes (EF BF
 * BD), the row changed and unsaid but for a warning the reviewer may not have read.
 * The column is the row's own column the warning names (util/warning-column.ts warnedColumn: as
 * `column [Unit Price]: …` names it, or as `column Unit Price: …` did before 2026-12-07, in rows
 * staged then); for a row without values, or a name none of its columns has, the name as the
 * warning writes it (warnedName: `[Unit Price]` is Unit Price).
 */
export function undefinedBytesWarned<R extends { id: number; warnings: readonly string[]; values?: Record<string, unknown> }>(rows: readonly R[]): { row: R; column: string; codePage: number | null; warning: string }[] {
  const out: { row: R; column: string; codePage: number | null; warning: string }[] = [];
  for (const r of rows) {
    for (const w of r.warnings) {
      const m = UNDEFINED_BYTES_WARNING.exec(w);
      if (!m) continue;
      const own = r.values ? warnedColumn(w, Object.keys(r.values), (rest) => UNDEFINED_BYTES_REST.test(rest)) : undefined;
      if (own === undefined && (m[1]!.includes('inside the sql_variant)') || m[1]!.includes(' is not in this record'))) continue;
      out.push({ row: r, column: own ?? warnedName(m[1]!), codePage: m[2] !== undefined ? Number(m[2]) : null, warning: w });
      break;
    }
  }
  return out;
}

/**
 * The server a run records (connectionHost, rowback's parser) must be the one the driver dials (its
 * own parser): a string naming the server twice (`Server=side;Data Source=prod`) was kept as 'side'
 * while the driver dialled prod, so a run went to a server its record did not name, and a resume
 * into another server passed the check of the recorded one.
 * @throws InputError INPUT_BAD_CONNECTION
 */
function assertOneServer(t: TargetSpec): void {
  const host = (h: string) => {
    const n = h.trim().toLowerCase().replace(/^tcp:/, '').split(/[,\\]/)[0]!.trim();
    return ['.', '(local)', '127.0.0.1'].includes(n) ? 'localhost' : n;
  };
  const kept = connectionHost(t.connectionString);
  const dialled = driverServerOf(t.connectionString);
  if (kept && dialled && host(kept) !== host(dialled)) {
    throw new InputError('INPUT_BAD_CONNECTION', 'the connection string names the server more than once (Server / Data Source / Address …), and not the same one: give it once', { field: 'target.connectionString' });
  }
}

/** Where a run goes, for its audit entries: the configured target's name and the database (never the connection). */
function auditTarget(t: TargetSpec | undefined, used?: ScriptDatabase | null): { target: string | null; database?: string } {
  if (!t) return { target: null };
  // the database named, else the one the target's catalog was read in (the login's default): the
  // audit said no database for a connection naming none, where the rows went all the same
  const database = targetDatabase(t) ?? used?.name ?? null;
  return { target: t.name ?? 'a connection given in the request', ...(database ? { database } : {}) };
}

export interface ReinsertRequest {
  dryRun: boolean;
  target?: TargetSpec;
  /** Source `schema.name` → target `schema.name` (side tables). */
  tableMap?: Record<string, string>;
  batchSize?: number;
  /** Only these approved rows; default every approved row of the job. */
  rowIds?: number[];
  /** Recovered operations to re-insert; default ['delete'] (see PlanOptions.operations). */
  operations?: ('delete' | 'insert' | 'update')[];
  /**
   * A real run into a database other than the one the job's rows were read from (source-database.ts
   * compareDatabases: another binding id, or another name where one is not known) goes only with
   * this true: a side or restored copy is a legitimate target, another tenant's database is not, and
   * every other check passes for both. A dry run warns without it.
   */
  acceptOtherDatabase?: boolean;
  /**
   * Without a target: the job's tables in the order their rows go in, parents before children. The
   * foreign keys that order them are read from the target's catalog only, so a script planned
   * without one (a dry run with no target, the SQL export) ordered them by name: dbo.Contact before
   * dbo.Customer, a child first. Tables not named follow, parents first by the source's foreign keys
   * (its catalog read) where they do not go against the order given, else by name. Refused with a target.
   */
  tableOrder?: string[];
}

export type ConnectFn = (t: TargetSpec) => ReinsertTarget;

export interface RunRecord {
  id: number;
  jobId: number;
  actor: string;
  createdAt: string;
  finishedAt: string | null;
  dryRun: boolean;
  target: Record<string, unknown>;
  state: 'planned' | 'running' | 'succeeded' | 'failed' | 'interrupted';
  batchSize: number;
  summary: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  outcomes: { inserted: number; conflict: number; error: number };
  /**
   * The side tables the run's tableMap sent rows to (`schema.name`), each with its outcome counts
   * (of `outcomes`): rows inserted there stay approved, not back in their own table; [] when none.
   * `leftApproved` false: outcomes recorded before staging migration 12, whose build marked the rows
   * reinserted though they went into the side table only (side-tables.ts legacySideTables).
   */
  sideTables: { table: string; inserted: number; conflict: number; error: number; leftApproved: boolean }[];
}

interface RunDbRow {
  id: number; job_id: number; actor: string; created_at: string; finished_at: string | null; dry_run: number; target: string;
  state: RunRecord['state']; batch_size: number; summary: string | null; error: string | null;
}

/** Outcomes read at a time (and rows gone over between turns of the event loop) while a run's undo is rendered. */
const LEDGER_PAGE = 5_000;

/**
 * The columns of `reinsert_runs` a RunRecord is made of: every one but `script` and `undo_script`,
 * which only `script()` reads. `SELECT *` read both whole into JavaScript strings for every run
 * record and dropped them: a dry run of 100,000 rows keeps 172 MB of scripts, and GET
 * /api/jobs/:id/reinsert-runs (the review page polls it every second while a run runs) read them
 * for each of the job's runs, synchronously (two such runs: 1.1 s with the event loop held).
 */
const RUN_COLUMNS = 'id, job_id, actor, created_at, finished_at, dry_run, target, state, batch_size, summary, error';

/**
 * Re-insert runs: dry runs (the exact script, nothing touched) and real runs through a target
 * (executeRun), each recorded in `reinsert_runs` with its script, its outcome per row and the
 * audit trail. Real runs go on in the background; `wait(runId)` awaits one.
 */
export class ReinsertService {
  private readonly log: Logger;
  private readonly connect: ConnectFn;
  private readonly active = new Map<number, Promise<void>>();
  /** Per run, the end of the last write of its undo (undoWrite): one writer of a run's undo at a time. */
  private readonly undoWrites = new Map<number, Promise<unknown>>();
  hooks?: ExecuteHooks;

  private readonly bulkThreshold?: number;

  constructor(private readonly store: StagingStore, o: { logger?: Logger; connect?: ConnectFn; hooks?: ExecuteHooks; bulkThreshold?: number } = {}) {
    this.log = (o.logger ?? silentLogger).child({ component: 'reinsert' });
    // the staging store asks which rows of a stopped run went to a side table (stoppedRunsInDoubt):
    // how a run's tableMap resolves is this layer's
    store.runSideTables = (runId) => {
      const map = readRunTarget(store, runId)?.tableMap;
      return map && Object.keys(map).length ? (tbl) => sideTableOf(map, tbl) : null;
    };
    this.bulkThreshold = o.bulkThreshold;
    this.connect = o.connect ?? ((t) => new MssqlTarget(t));
    this.hooks = o.hooks;
  }

  /**
   * Plans with the target's catalog when a target is given, else with the layouts the rows were decoded with; `opts.database` names the target database (three-part names) and `opts.ledgerTable` its ledger when no target is given (the undo of a run into another database, or that kept another ledger).
   * Resolves with the plan, where its column metadata came from, the script's database, the database
   * the target's connection opened in, the source/target database check, and `job`: the job's record
   * as read before its rows were (its state then is what the script's completeness warning must say:
   * a job that finishes while its rows are read may have staged rows this plan did not read).
   * Throws StagingError STAGING_JOB_NOT_FOUND, ReinsertError REINSERT_ROWS_NOT_APPROVED, and the
   * target's and planner's errors.
   */
  async plan(jobId: number, req: Omit<ReinsertRequest, 'dryRun'>, opts: { rowIds?: number[]; anyStatus?: boolean; database?: string; ledgerTable?: string; otherJobs?: boolean; checkStaleText?: boolean; undo?: boolean } = {}): Promise<{ plan: ReinsertPlan; metadata: 'target-catalog' | 'staged-layouts'; database: ScriptDatabase | null; databaseRead: string | null; databaseCheck: DatabaseCheck; job: JobRecord }> {
    const job = this.store.requireJob(jobId);
    // refused before anything connects: with a target its foreign keys order the tables
    if (req.tableOrder?.length && req.target) throw new InputError('INPUT_BAD_OPTION', "tableOrder orders the tables of a plan without a target; with a target, its foreign keys (sys.foreign_keys) order them parents first: leave tableOrder out", { field: 'tableOrder' });
    // an id given twice is the row once ([5, 5] was refused as '1 of the requested rows are not approved')
    const ids = opts.rowIds ?? (req.rowIds ? [...new Set(req.rowIds)] : undefined);
    // Read and plan with a pause every few hundred rows: a 50,000-row job must not stall the API.
    let rows: ReturnType<StagingStore['iterateRows']> extends Iterable<infer R> ? R[] : never = [];
    let n = 0;
    for (const r of this.store.iterateRows(jobId, { status: 'approved' }, ids)) {
      if (opts.anyStatus || r.status === 'approved') rows.push(r);
      if (++n % 500 === 0) await yieldToEventLoop();
    }
    if (ids && !opts.anyStatus && rows.length !== ids.length) {
      const got = new Set(rows.map((r) => r.id));
      const q = this.store.db.prepare('SELECT status FROM rows WHERE job_id = ? AND id = ?');
      const missing = ids.filter((id) => !got.has(id)).map((id) => `${id} (${(q.get(jobId, id) as { status: string } | undefined)?.status ?? 'not a row of the job'})`);
      throw new ReinsertError('REINSERT_ROWS_NOT_APPROVED', `${missing.length} of the requested rows are not approved rows of job ${jobId}: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ' …' : ''}`);
    }
    // each tableMap key resolved to a table of the job (exact, else the one in another case), names plain
    // the job's table layouts, read (and parsed) once for the whole plan
    const layouts = this.store.jobTables(jobId);
    const tableMap = resolveTableMap(req.tableMap, [...layouts.map((l) => stagedTableName(l)), ...rows.map((r) => r.table)]);
    // each target's schema and name as written; two of one `schema.name` text refused (with a target too)
    const parts = sideTableParts(req.tableMap);
    let tables: Map<string, TargetTable>;
    let fks: ForeignKey[] = [];
    let metadata: 'target-catalog' | 'staged-layouts';
    // where the script's rows go (renderScript names it, and checks it when its names are two-part)
    let database: ScriptDatabase | null = opts.database ? { name: opts.database, qualified: true } : null;
    // DB_NAME() where the target's catalog was read, as the server spells it; null when not said
    let databaseRead: string | null = null;
    // the target's database as the job's source database is compared with (name, binding id, family GUID)
    let targetDb: SourceDatabase | null = null;
    if (req.target) {
      const target = this.connect(req.target);
      try {
        const names = [...new Set(rows.map((r) => tableMap?.[r.table] ?? r.table))];
        const loaded = await target.loadTables(names);
        ({ tables, fks } = loaded);
        // A map to the table itself in another case is taken for the row's own table (run-target.ts
        // sideTableOf: its rows become reinserted); on a case-sensitive database it may be another
        // table: the rows went into it and were marked back in their own table. Refused when the
        // catalog holds both.
        const caseOnly = Object.entries(tableMap ?? {}).filter(([src, dst]) => src !== dst && src.toLowerCase() === dst.toLowerCase());
        if (caseOnly.length) {
          const both = (await target.loadTables([...new Set(caseOnly.flat())])).tables;
          const two = caseOnly.find(([src, dst]) => both.has(src) && both.has(dst));
          if (two) throw new InputError('INPUT_AMBIGUOUS_NAME', `tableMap sends ${two[0]} to ${two[1]}, another table of the target's database that differs from it only in letter case (a case-sensitive database): rowback takes a map to the table itself in another case for the rows' own table, and would mark them re-inserted though they went into ${two[1]}; give the side table a name that differs by more than letter case, or no tableMap for the rows' own table`, { field: `tableMap.${two[0]}`, table: two[1] });
        }
        const read = loaded.database;
        const name = req.target.database || read || targetDatabase(req.target);
        database = name ? { name, qualified: Boolean(req.target.database) } : null;
        databaseRead = read ?? null;
        // the name compared is the server's own spelling (DB_NAME() where the catalog was read), not the
        // request's `database` as typed: `crm` of a case-insensitive server is its CRM (said another database)
        targetDb = { name: read || name || null, bindingId: loaded.databaseGuid?.toUpperCase() ?? null, familyGuid: loaded.familyGuid?.toUpperCase() ?? null };
      } finally {
        await target.close();
      }
      assertSameTables(tables, layouts, req.tableMap);
      metadata = 'target-catalog';
    } else {
      tables = new Map(layouts.map((l) => [stagedTableName(l), fromLayout(l)]));
      // offline, a side table is assumed to have its source table's columns; its schema and name are
      // the request's target as written (sideTableParts), not its `schema.name` text split again
      for (const [src, dst] of Object.entries(tableMap ?? {})) {
        const t = tables.get(src);
        if (t && !tables.has(dst)) {
          const { schema, name } = parts.get(dst) ?? splitQualifiedName(dst);
          // its key is not known offline: the side table a DBA makes is often a heap (SELECT TOP (0)
          // * INTO keeps no primary key), where an undo by the source's key alone (DELETE … WHERE
          // [Id] = …) took any row of that key, one rowback never put in, while the run (planned from
          // the target's catalog) deleted TOP (1) matching every value. An undo planned offline (the
          // undo export, a run's undo written again) matches every value, as a heap's
          tables.set(stagedTableName({ schema, name }), { ...t, schema, name, ...(opts.undo ? { keyColumns: [] } : {}) });
        }
      }
      metadata = 'staged-layouts';
    }
    // the order's edges without a target: tableOrder's pairs, and the source's own foreign keys
    // (source-keys.ts); with a target its catalog's foreign keys alone order the tables
    const { edges, orderGiven, orderFromSource, sourceKeysRead, orderAgainstSource } = offlineOrder({ jobId, layouts, rowTables: rows.map((r) => r.table), tableOrder: req.tableOrder, tableMap, withTarget: Boolean(req.target), fks });
    appendAll(fks, edges);
    // An undo plans rows that are in already: a NOT NULL column (sql-types.ts assertNullable) or one
    // without a default (planRow) is no reason to leave one there. Planned from the staged layouts, a
    // side table takes its source table's columns: a row holding NULL where the source's column is
    // NOT NULL (a column added after the row was written: no slot in it) went into a side table that
    // allows NULL, and its undo refused it, leaving a row rowback had put in (breaker;
    // test/reinsert/undo-null-in-not-null-source.test.ts)
    if (opts.undo) {
      // nor a unique index (an IGNORE_DUP_KEY one the row cannot be checked against refuses it: planRow)
      // nor an INSTEAD OF INSERT trigger (the rows are in; its INSTEAD OF DELETE ones stay, for the script's head)
      tables = new Map([...tables].map(([k, { uniqueKeys: _u, keyIndex: _k, ...t }]) => [k, {
        // (nor a FILESTREAM column's refusal: a row an earlier run put in with one is deleted as it is)
        ...t, columns: t.columns.map(({ hasDefault: _d, filestream: _f, ...c }) => ({ ...c, nullable: true })),
        ...(t.insteadOfTriggers ? { insteadOfTriggers: { insert: [], delete: t.insteadOfTriggers.delete } } : {}),
      }]));
    }
    // rows staged under a name two source tables share ([a.b].[c] and [a].[b.c]): which one each
    // came from is not known, so none is planned (store.saveJobTables)
    // (staged before rowback named such tables apart, util/tsql.ts stagedTableName: their rows keep the
    // shared `schema.name` text, staging migration 19; a layout saved since under its own name keeps it too)
    const ambiguous = new Map<string, string[]>(layouts.flatMap((l) => {
      const names = (l as { ambiguousNames?: string[] }).ambiguousNames;
      return names?.length ? [[stagedTableName(l), names], [`${l.schema}.${l.name}`, names]] as [string, string[]][] : [];
    }));
    const held = ambiguous.size ? rows.filter((r) => ambiguous.has(r.table)) : [];
    if (held.length) rows = rows.filter((r) => !ambiguous.has(r.table));
    // rows holding 1252 text decoded wrong before the fix (staleCp1252Text): held back, named
    const stale = opts.checkStaleText === false ? [] : staleCp1252Text(rows, layouts);
    if (stale.length) {
      const ids = new Set(stale.map((x) => x.row.id));
      rows = rows.filter((r) => !ids.has(r.id));
    }
    // rows holding bytes their code page does not define, printed U+FFFD (undefinedBytesText): held
    // back, named; not for a resume or undo either (checkStaleText: their rows are already planned or in)
    const undefinedText = opts.checkStaleText === false ? [] : undefinedBytesText(rows, layouts);
    if (undefinedText.length) {
      const ids = new Set(undefinedText.map((x) => x.row.id));
      rows = rows.filter((r) => !ids.has(r.id));
    }
    // and those whose warning says so where the layouts cannot (UTF-8 columns, tables with no layout)
    const undefinedWarned = opts.checkStaleText === false ? [] : undefinedBytesWarned(rows);
    if (undefinedWarned.length) {
      const ids = new Set(undefinedWarned.map((x) => x.row.id));
      rows = rows.filter((r) => !ids.has(r.id));
    }
    // Never twice across jobs (other-jobs.ts): a row another job of the store re-inserted into the
    // same table and place, or holds in a batch not known to have run, is left out. Not for a
    // resume (its batches are fixed; executeRun checks each batch) nor an undo.
    const others = (opts.otherJobs ?? !opts.anyStatus) ? await new OtherJobsReinserts(this.store, jobId).refreshCooperatively() : undefined;
    const elsewhere: { row: (typeof rows)[number]; other: OtherJobRow }[] = [];
    if (others && !others.empty) {
      const place = placeOf(req.target, opts.database);
      rows = rows.filter((r) => {
        const other = others.find(r.id, tableMap?.[r.table] ?? r.table, place);
        if (other) elsewhere.push({ row: r, other });
        return !other;
      });
    }
    // Never twice into one side table: a row a run of this job put into a side table stays approved
    // (execute.ts recordOutcome), and is left out of a plan into that same table and place; a plan
    // into its own table (or another side table) takes it. Not for a resume nor an undo, as above.
    const inSide: { row: (typeof rows)[number]; side: SideTableRow }[] = [];
    if (opts.otherJobs ?? !opts.anyStatus) {
      const done = sideTableRows(this.store, jobId);
      if (done.size) {
        const place = placeOf(req.target, opts.database);
        rows = rows.filter((r) => {
          // the target as the planner looks it up (exact: a case-sensitive source's dbo.A is not dbo.a)
          const side = inSameTable(done.get(r.id), tableMap?.[r.table] ?? r.table, place);
          if (side) inSide.push({ row: r, side });
          return !side;
        });
      }
    }
    // a comparison's rows are keyed in the target's row ledger by their values and copy (comparison-keys.ts)
    const valuesKeys = await comparisonRowKeys(this.store, jobId, rows, yieldToEventLoop);
    const plan = await planReinsertCooperatively(rows.map((r) => ({ id: r.id, table: r.table, lsn: r.lsn, values: r.values, operation: r.operation, fromLog: recoveredFromLog(r), valuesKey: valuesKeys.get(r.id), mayBeChanged: r.warnings.some((w) => w.includes(MAY_BE_CHANGED)) })), tables, fks, {
      database: req.target?.database ?? opts.database, tableMap, batchSize: req.batchSize, ledgerTable: req.target?.ledgerTable ?? opts.ledgerTable ?? undefined, operations: opts.anyStatus && !req.operations ? ['delete', 'insert', 'update'] : req.operations,
      sourceText: sourceTextColumns(layouts),
    });
    for (const { row: r, other } of elsewhere) {
      plan.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_ALREADY_REINSERTED', message: otherJobMessage(r.id, other) });
    }
    for (const { row: r, side } of inSide) {
      plan.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_ALREADY_REINSERTED', message: sideTableMessage(r.id, jobId, side) });
    }
    for (const { row: r, column, char } of stale) {
      plan.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_STALE_TEXT', message: `row ${r.id}'s column ${identifierText(column)} (code page 1252 text) holds U+${char.toString(16).toUpperCase().padStart(4, '0')}, a control character no 1252 byte decodes to: it was staged by a rowback that read 1252's bytes 0x80–0x9F (€ ‚ „ … “ ” – — ™ …) as control characters (Node's TextDecoder('windows-1252'), fixed on 2026-12-03), and re-inserted it would be written so; scan the source again and stage the row anew` });
    }
    // what the server would write for U+FFFD depends on the column it goes into: the target's (its
    // catalog read), which may be retyped (an nvarchar side table stores U+FFFD itself, not '?')
    const goesBack = (table: string, column: string) => undefinedBytesGoBack(metadata === 'target-catalog' ? targetColumnOf(tables, tableMap?.[table] ?? table, column) : null, tableMap?.[table] ?? table, column);
    const byHand = (table: string, column: string) => undefinedBytesByHand(metadata === 'target-catalog' ? targetColumnOf(tables, tableMap?.[table] ?? table, column) : null);
    for (const { row: r, column, codePage, at, count } of undefinedText) {
      plan.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_UNDEFINED_BYTES', message: `row ${r.id}'s column ${identifierText(column)} (code page ${codePage} text) holds U+FFFD at character ${at + 1}${count > 1 ? ` (and ${count - 1} more)` : ''}: bytes code page ${codePage} does not define, which SQL Server stores unchecked and rowback could only print as U+FFFD (a row staged since 2026-12-03 carries a warning naming the bytes and their offsets; for one staged before, scan the source again to see them); ${goesBack(r.table, column)} instead of the stored bytes, so the row would go back changed: ${byHand(r.table, column)}` });
    }
    for (const { row: r, column, codePage, warning } of undefinedWarned) {
      const what = codePage === null ? 'bytes that are not UTF-8 (its collation is UTF-8)' : `bytes code page ${codePage} does not define`;
      plan.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_UNDEFINED_BYTES', message: `row ${r.id}'s column ${identifierText(column)} held ${what}, printed as U+FFFD; ${goesBack(r.table, column)} instead of the stored bytes, so the row would go back changed: ${byHand(r.table, column)} (its warning: ${warning.slice(0, warning.indexOf(': printed as U+FFFD') >= 0 ? warning.indexOf(': printed as U+FFFD') : undefined)})` });
    }
    for (const r of held) {
      plan.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_AMBIGUOUS_TABLE', message: `the source database has tables ${ambiguous.get(r.table)!.join(' and ')}, both ${r.table} as schema.name, and their rows are staged under that one name: which table row ${r.id} came from is not known; re-insert it by hand` });
    }
    plan.database = database;
    if (orderGiven) {
      plan.tableOrderGiven = true;
      if (sourceKeysRead) {
        plan.tableOrderSourceKind = sourceKindOf(job);
        const at = (t: string) => plan.tableOrder.indexOf(t);
        plan.tableOrderAgainstSource = orderAgainstSource.filter((k) => at(k.child) >= 0 && at(k.parent) >= 0 && at(k.child) < at(k.parent));
      }
    }
    // said only when a foreign key is between the plan's tables (one to a table not re-inserted orders nothing)
    else if (orderFromSource && fks.some((k) => plan.tableOrder.includes(k.child) && plan.tableOrder.includes(k.parent))) plan.tableOrderFromSource = true;
    // no target, no tableOrder, and the source's catalog read for every table of the plan (its
    // layouts carry foreignKeys, [] for none) but no foreign key between them: the order is by
    // name because the source declares none, not because the foreign keys are unknown (the head
    // said 'by name: the foreign keys are unknown' of a data file whose catalog was read)
    else if (!req.target && plan.tableOrder.length && plan.tableOrder.every((t) => layouts.some((l) => (tableMap?.[stagedTableName(l)] ?? stagedTableName(l)) === t && l.foreignKeys !== undefined))) plan.tableOrderNoSourceLinks = true;
    // what the source's catalog was read from, for the head's table order line
    if (!req.target && !orderGiven) plan.tableOrderSourceKind = sourceKindOf(job);
    // the plan's tables whose foreign keys that catalog did not give (a layout from the job's
    // metadata, DDL or catalog JSON, over a data file's): placed by name, unchecked; the head said the
    // order was parents first by, or checked against, the source's foreign keys, of every table
    if (plan.tableOrderFromSource || plan.tableOrderAgainstSource) {
      const unread = plan.tableOrder.filter((t) => !layouts.some((l) => (tableMap?.[stagedTableName(l)] ?? stagedTableName(l)) === t && l.foreignKeys !== undefined));
      if (unread.length) plan.tableOrderKeysUnread = unread;
    }
    // no target: the source's foreign keys from a table of the plan to one whose deleted rows the job
    // staged but the plan inserts none of (the customers' rows rejected or left pending, their orders
    // approved): said in the head, as each such row's INSERT fails (Msg 547) unless its parent row is
    // in the target already; nothing said it
    if (!req.target) {
      const mapped = (t: string) => tableMap?.[t] ?? t;
      const outside: { name: string; child: string; parent: string; childSource: string; parentSource: string }[] = [];
      for (const l of layouts) {
        const child = mapped(stagedTableName(l));
        if (!plan.tableOrder.includes(child)) continue;
        for (const k of l.foreignKeys ?? []) {
          const source = stagedTableName({ schema: k.referencedSchema, name: k.referencedTable });
          const parent = mapped(source);
          // only a parent table the job staged deleted rows of: the delete took parents too, and
          // none of them is in this script (a parent table the job holds no row of is not the
          // delete's: its rows are taken to be in the target, as before)
          if (parent !== child && !plan.tableOrder.includes(parent) && this.store.countRows(jobId, { table: source, operation: 'delete', status: NOT_IN_TARGET }) > 0) outside.push({ name: k.name, child, parent, childSource: stagedTableName(l), parentSource: source });
        }
      }
      if (outside.length) {
        plan.parentsNotInserted = outside;
        plan.tableOrderSourceKind ??= sourceKindOf(job);
      }
      // A row of the script whose referenced row (its manager; its customer) the job staged deleted
      // but the script does not insert (rejected, pending, held back) and no row of the script holds
      // that key: its INSERT fails (Msg 547) unless the row is in the target already. The note
      // above says it of a referenced table the script inserts no row of; this one of a table the
      // script inserts some rows of, and of a table's key to itself (HR.Employees' employee 9 went
      // in, its manager 5 rejected, unsaid; an order went in with its customer rejected, another
      // customer approved, unsaid)
      const planned = new Set(plan.batches.flatMap((b) => b.rows.map((x) => x.rowId)));
      const byId = new Map(rows.map((r) => [r.id, r]));
      // the planned rows of a script table that came from a source table
      const plannedOf = (table: string, source: string) => plan.batches.filter((b) => b.table === table).flatMap((b) => b.rows.map((x) => byId.get(x.rowId))).filter((r): r is NonNullable<typeof r> => r !== undefined && r.table === source);
      const selfOutside: { name: string; table: string; source: string; parentTable?: string; parentSource?: string; rowIds: number[]; parentIds: number[] }[] = [];
      for (const l of layouts) {
        const source = stagedTableName(l);
        const table = mapped(source);
        if (!plan.tableOrder.includes(table)) continue;
        for (const k of l.foreignKeys ?? []) {
          if (!k.columns.length) continue;
          const parentSource = stagedTableName({ schema: k.referencedSchema, name: k.referencedTable });
          const parentTable = mapped(parentSource);
          const self = parentSource === source;
          // a referenced table the script inserts no row of: the note above
          if (!self && !plan.tableOrder.includes(parentTable)) continue;
          // the rows of the script's table, by the key they reference; the referenced table's, by the
          // key they hold: compared as the referenced columns' collations compare (source-keys.ts).
          // A child's parent counts as planned only when its key is surely the same (`same`: under
          // Turkish_CI_AS a planned 'iLKER' stood for a rejected 'ILKER', the note hidden); the
          // left-out parents are found by every key that may be the same (`maybe`: a full-width
          // 'ＡＬＦＫＩ', French_CI_AI's 'JOSÉS' were not found, the note hidden): a wrong fold adds a
          // note, never hides one
          const keys = referenceKeys(k.referencedColumns, layouts.find((x) => x.schema === k.referencedSchema && x.name === k.referencedTable));
          const mine = plannedOf(table, source);
          const held = new Set((self ? mine : plannedOf(parentTable, parentSource)).map((r) => keys.same(r.values, k.referencedColumns)).filter((x): x is string => x !== undefined));
          const wanted = new Map<string, number[]>();
          for (const r of mine) {
            const want = keys.same(r.values, k.columns);
            if (want === undefined || held.has(want)) continue;
            const maybe = keys.maybe(r.values, k.columns)!;
            const ids = wanted.get(maybe);
            if (ids) ids.push(r.id); else wanted.set(maybe, [r.id]);
          }
          if (!wanted.size) continue;
          const rowIds = new Set<number>();
          const parentIds = new Set<number>();
          let n = 0;
          for (const r of this.store.iterateRows(jobId, { table: parentSource, operation: 'delete', status: NOT_IN_TARGET })) {
            if (++n % 500 === 0) await yieldToEventLoop();
            if (planned.has(r.id)) continue;
            const key = keys.maybe(r.values, k.referencedColumns);
            const children = key === undefined ? undefined : wanted.get(key);
            if (!children) continue;
            parentIds.add(r.id);
            for (const id of children) rowIds.add(id);
          }
          if (rowIds.size) selfOutside.push({ name: k.name, table, source, ...(self ? {} : { parentTable, parentSource }), rowIds: [...rowIds], parentIds: [...parentIds] });
        }
      }
      if (selfOutside.length) {
        plan.selfParentsNotInserted = selfOutside;
        plan.tableOrderSourceKind ??= sourceKindOf(job);
      }
    }
    return { plan, metadata, database, databaseRead, databaseCheck: compareDatabases(job.sourceDatabase, targetDb, jobId), job };
  }

  private header(jobId: number, runId: number, actor: string, metadata: string, dry: boolean): string[] {
    return [
      `rowback re-insert ${dry ? 'DRY RUN' : 'run'} ${runId} for job ${jobId}, by ${actor}, ${new Date().toISOString()}`,
      metadataSentence(metadata),
    ];
  }

  /**
   * Rows of the job its executed runs put back into their own tables (status `reinserted`), per run
   * with where it put them; null when none. Said when a plan comes out empty: the refusal
   * (`REINSERT_NOTHING_TO_DO`) and a dry run's `NOTHING PLANNED` line said neither why nor what to do.
   * A run into a side table leaves its rows approved (execute.ts recordOutcome), so they are not
   * here; but a side-table run of a build before staging migration 12 marked them re-inserted: those
   * are counted apart, with the way to put them into their own table (the SQL export of
   * status=reinserted, run by hand; its row-ledger check skips a row already put back into its table).
   */
  private reinsertedNote(jobId: number): string | null {
    const rows = this.store.db.prepare(`SELECT o.run_id AS runId, w.tbl AS tbl FROM reinsert_outcomes o
      JOIN reinsert_runs r ON r.id = o.run_id JOIN rows w ON w.id = o.row_id
      WHERE r.job_id = ? AND r.dry_run = 0 AND o.outcome = 'inserted' AND o.side_table IS NULL AND w.status = 'reinserted' ORDER BY o.run_id`).all(jobId) as { runId: number; tbl: StoredText }[];
    if (!rows.length) return null;
    // per run: its rows here, those its tableMap sent to a side table, its map as the request gave it (said) and as its plan resolved it (judged)
    const runs = new Map<number, { n: number; side: number; given: Record<string, string> | null; map: Record<string, string> | null; place: string }>();
    for (const r of rows) {
      let run = runs.get(r.runId);
      if (!run) {
        const t = readRunTarget(this.store, r.runId);
        const recorded = JSON.parse((this.store.db.prepare('SELECT target FROM reinsert_runs WHERE id = ?').get(r.runId) as { target: string }).target) as { name?: string; tableMap?: Record<string, string> | null };
        const place = [recorded.name ? `target ${recorded.name}` : null, t?.place.database ? `database ${t.place.database}` : null].filter(Boolean).join(', ');
        run = { n: 0, side: 0, given: recorded.tableMap ?? null, map: t?.tableMap ?? null, place };
        runs.set(r.runId, run);
      }
      run.n++;
      if (sideTableOf(run.map, readText(r.tbl)) !== null) run.side++;
    }
    const total = rows.length;
    const say = (runId: number, n: number, run: { given: Record<string, string> | null; place: string }, side: boolean) => {
      const map = side && run.given ? `, side table(s) ${Object.entries(run.given).map(([a, b]) => `${a} → ${b}`).join(', ')}` : '';
      return `run ${runId}: ${n} row(s)${run.place ? ` into ${run.place}` : ''}${map}`;
    };
    const own = [...runs].filter(([, r]) => r.n > r.side);
    const old = [...runs].filter(([, r]) => r.side > 0);
    const oldRows = old.reduce((n, [, r]) => n + r.side, 0);
    const parts: string[] = [];
    if (total > oldRows) parts.push(`${total - oldRows} approved row(s) of job ${jobId} were already re-inserted into their own table(s) by its runs (${own.map(([id, r]) => say(id, r.n - r.side, r, false)).join('; ')}) and are not planned again (never twice by rowback's runs)`);
    if (oldRows) {
      parts.push(`${oldRows} approved row(s) of job ${jobId} were put into side tables by runs of a rowback before side-table runs left rows approved (${old.map(([id, r]) => say(id, r.side, r, true)).join('; ')}), which marked them re-inserted, so no run plans them again; to put them into their own table as well, export them with GET /api/jobs/${jobId}/export?format=sql&status=reinserted and run that script (its row-ledger check skips a row already put back into its table)`);
    }
    return parts.join('; ');
  }

  private insertRun(jobId: number, actor: string, req: ReinsertRequest, state: RunRecord['state'], used?: string | null): number {
    // the server's host (no secret) is kept so that a resume into another server is refused
    // database: the target's, else the one its connection opens in (targetDatabase; never a secret):
    // a resume into another database is refused, and other-jobs.ts compares places with it
    const target = req.target ? { ...(req.target.name ? { name: req.target.name } : {}), server: connectionHost(req.target.connectionString) ?? null, database: targetDatabase(req.target), databaseResolved: true, ...(used ? { databaseUsed: used } : {}), ledgerTable: req.target.ledgerTable ?? null, tableMap: req.tableMap ?? null } : { tableMap: req.tableMap ?? null };
    const r = this.store.db.prepare(`INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(jobId, actor, new Date().toISOString(), req.dryRun ? 1 : 0, JSON.stringify(target), state, req.batchSize ?? 500);
    return Number(r.lastInsertRowid);
  }

  async dryRun(jobId: number, actor: string, req: Omit<ReinsertRequest, 'dryRun'>): Promise<{ run: RunRecord; script: string; undoScript: string; plan: ReinsertPlan; databaseCheck: DatabaseCheck; jobWarning: string | null; jobDoubt: string | null }> {
    const planned = await this.plan(jobId, req);
    const { plan, databaseRead, databaseCheck, job } = planned;
    const runId = this.insertRun(jobId, actor, { ...req, dryRun: true }, 'planned', databaseRead);
    try {
      const { script, undoScript } = await this.dryRunScripts(jobId, actor, req, runId, planned);
      return { run: this.getRun(runId)!, script, undoScript, plan, databaseCheck, jobWarning: jobCompletenessWarning(job), jobDoubt: jobDoubtWarning(job) };
    } catch (e) {
      // rendered with turns of the event loop since c24c5fe6 (and written after): any failure there
      // (the staging file full or closed, a render error) left the run 'planned' for good, and the
      // review page polls a 'planned' run as one still going. Failed with the error, as the 413.
      this.failPlannedRun(runId, e);
      throw e;
    }
  }

  /** A dry run's failure recorded on its run (left 'planned' otherwise); nothing when the staging file is closed. */
  private failPlannedRun(runId: number, e: unknown): void {
    if (!this.store.db.open) return;
    const code = (e as { code?: unknown }).code;
    const error = e instanceof ReinsertError ? { code: e.code, message: e.message } : { code: typeof code === 'string' ? code : 'INTERNAL', message: `the dry run failed before its scripts were kept: ${e instanceof Error ? e.message : String(e)}` };
    try {
      this.store.db.prepare("UPDATE reinsert_runs SET state = 'failed', finished_at = ?, error = ? WHERE id = ? AND state = 'planned'").run(new Date().toISOString(), JSON.stringify(error), runId);
      // the pieces of its scripts written before the failure (never read: the run counts none)
      this.store.db.prepare('DELETE FROM reinsert_run_texts WHERE run_id = ?').run(runId);
    } catch { /* the staging file refuses writes too (full): the run is failed at the next start (recoverInterruptedRuns) */ }
  }

  /**
   * A real run that failed before it was launched (its script not rendered or not kept: the staging
   * file full, a render error): failed with the error, nothing inserted, the pieces of its script
   * written before the failure deleted; nothing when the staging file is closed or refuses the write
   * (recoverInterruptedRuns makes it 'interrupted' at the next start).
   */
  private failUnlaunchedRun(runId: number, e: unknown): void {
    if (!this.store.db.open) return;
    const code = (e as { code?: unknown }).code;
    const error = { code: typeof code === 'string' ? code : 'INTERNAL', message: `the run failed before its script was kept, before any batch ran: nothing was inserted (${e instanceof Error ? e.message : String(e)}); start it again` };
    try {
      this.store.db.prepare("UPDATE reinsert_runs SET state = 'failed', finished_at = ?, error = ? WHERE id = ? AND state = 'running'").run(new Date().toISOString(), JSON.stringify(error), runId);
      this.store.db.prepare('DELETE FROM reinsert_run_texts WHERE run_id = ?').run(runId);
    } catch { /* the staging file refuses writes too: the run is made 'interrupted' at the next start */ }
  }

  /** A dry run's script and undo script, rendered and kept on its run (dryRun). */
  private async dryRunScripts(jobId: number, actor: string, req: Omit<ReinsertRequest, 'dryRun'>, runId: number, planned: Awaited<ReturnType<ReinsertService['plan']>>): Promise<{ script: string; undoScript: string }> {
    const { plan, metadata, database, databaseCheck, job } = planned;
    // a job still staging, INCOMPLETE or not known whole: its rows not (yet) found are in no script
    // (the job as it was when its rows were read: plan())
    const jobWarning = jobCompletenessWarning(job);
    // a job whose notes or rows carry warnings (is any of it doubtful?): said beside it
    const jobDoubt = jobDoubtWarning(job);
    // nothing planned because the rows went back already (a side table first): said, with the way on
    const done = plan.batches.length === 0 ? this.reinsertedNote(jobId) : null;
    // rendered with turns of the event loop (renderScriptCooperatively): at 100,000 rows the two
    // scripts held it 5 s in one piece
    // a script longer than a JavaScript string can be (V8: 2^29 - 24 characters, ~536 million; a
    // dry run of ~600,000 rows) was a RangeError 'Invalid string length', answered 500 INTERNAL:
    // it is too large as one past SQLite's limit is (below), with the same ways on
    const tooLong = (e: unknown, what: string): unknown => (e instanceof RangeError && /Invalid string length/.test(e.message)
      ? new ReinsertError('REINSERT_SCRIPT_TOO_LARGE', `dry run ${runId} of job ${jobId} planned ${plan.batches.reduce((n, b) => n + b.rows.length, 0)} row(s), whose ${what} is longer than one JavaScript string can be (${e.message}); nothing was kept: preview fewer rows at a time (rowIds, or approve and preview a table at a time), or export the INSERT script, which is streamed (GET /api/jobs/${jobId}/export?format=sql&status=approved)`)
      : e);
    // rows of a stopped run's batch in doubt that kept another ledger table: the script's row-ledger
    // check does not find them (a real run is refused, REINSERT_LEDGER_IN_DOUBT; this script said nothing)
    const otherLedger = this.ledgerInDoubtWarning(jobId, plan, req.target?.ledgerTable, req.target ? connectionHost(req.target.connectionString) ?? null : null, req.target ? targetDatabase(req.target) ?? planned.databaseRead ?? null : null, 'dry-run again with target.ledgerTable');
    const script = await renderScriptCooperatively(plan, { header: [...databaseCheckHeader(databaseCheck), ...(otherLedger ? [otherLedger] : []), ...(jobWarning ? [jobWarning] : []), ...(jobDoubt ? [jobDoubt] : []), ...this.header(jobId, runId, actor, metadata, true), ...(done ? [`NOTHING PLANNED: ${done}`] : [])], ledgerNote: true, foreignKeysKnown: metadata === 'target-catalog', ledgerBatch: `script of dry run ${runId}`, ledgerRunId: runId, database })
      .catch((e: unknown) => { throw tooLong(e, 'script'); });
    // the preview's first line is the same database check as the script's (the undo deletes by key
    // in the target the script puts rows into: in another tenant's database, that tenant's rows)
    const undoScript = await renderUndoScriptCooperatively(plan, {
      header: [
        ...databaseCheckHeader(databaseCheck, false, true),
        `PREVIEW of the undo for rowback re-insert DRY RUN ${runId} (job ${jobId}): what it would delete if every planned row were inserted.`,
        'The undo of a real run is written when the run ends, from its ledger: only the rows that run inserted, never rows that already existed (conflicts).',
        'Run after this dry run\'s script by hand, it deletes only the rows the row ledger says were put back: a row the script skipped as a conflict is left.',
      ],
      onlyLedgered: true,
    }).catch((e: unknown) => { throw tooLong(e, 'undo script'); });
    const summary = { ...summarise(plan), ...checkSummary(databaseCheck), ...(jobWarning ? { jobWarning } : {}), ...(jobDoubt ? { jobDoubt } : {}) };
    // kept a piece at a time (run-texts.ts): one UPDATE of both scripts held the event loop ~0.8 s
    // at 100,000 rows, and ended SQLITE_TOOBIG (answered 413) for a row over SQLite's 1,000,000,000
    // bytes; the pieces are read only once the UPDATE below has counted them
    const scriptPieces = await writeRunTextPieces(this.store.db, runId, 'script', script);
    const undoPieces = await writeRunTextPieces(this.store.db, runId, 'undo', undoScript);
    this.store.db.transaction(() => {
      // only a run still 'planned': one another rowback process on the staging file failed meanwhile
      // (its start-up: recoverInterruptedRuns, which deletes the pieces) was made 'succeeded' again,
      // its script then unreadable (STAGING_RUN_TEXT_DAMAGED) (breaker Y)
      const ended = this.store.db.prepare("UPDATE reinsert_runs SET script = ?, undo_script = ?, script_pieces = ?, undo_pieces = ?, summary = ?, state = 'succeeded', finished_at = ? WHERE id = ? AND state = 'planned'")
        .run(runTextColumn(script), runTextColumn(undoScript), scriptPieces || null, undoPieces || null, JSON.stringify(summary), new Date().toISOString(), runId).changes;
      if (ended === 0) {
        const now = this.store.db.prepare('SELECT state FROM reinsert_runs WHERE id = ?').pluck().get(runId) as string | undefined;
        throw new ReinsertError('REINSERT_DRY_RUN_INTERRUPTED', `dry run ${runId} of job ${jobId} was ended (${now ?? 'gone'}) while its scripts were being kept: another rowback process opened this staging file meanwhile and failed it as interrupted; nothing of it was kept: run the dry run again`);
      }
      this.store.appendAudit(actor, 'reinsert.dry-run', jobId, { runId, ...auditTarget(req.target, database), ...summary });
    })();
    return { script, undoScript };
  }

  /** Starts a real run in the background; returns its record (state `running`). */
  async start(jobId: number, actor: string, req: ReinsertRequest): Promise<RunRecord> {
    if (!req.target) throw new ReinsertError('REINSERT_NO_TARGET', 'a real re-insert needs a target: send targetName (a target of serve\'s config; GET /api/info lists them) or target {connectionString, database}, or dryRun: true for the script only', { field: 'target' });
    assertOneServer(req.target);
    this.refuseWhileRunning(jobId);
    const { plan, metadata, database, databaseRead, databaseCheck, job } = await this.plan(jobId, req);
    // another database than the rows were read from: a side or restored copy is legitimate, another
    // tenant's database with the same tables is not, and nothing else tells them apart: said, and run
    // only when the request accepts it
    if (databaseCheck.verdict === 'different' && req.acceptOtherDatabase !== true) {
      throw new ReinsertError('REINSERT_OTHER_DATABASE', `${databaseCheck.message.replace(/^WARNING: /, '').replace(/; a real run into it needs acceptOtherDatabase: true$/, '')}. Nothing was inserted: send acceptOtherDatabase: true to re-insert into it on purpose (a dry run shows the script)`);
    }
    if (plan.batches.length === 0) {
      // why, when rows were held back: "no approved rows" read as if nobody had approved any
      const byCode = new Map<string, number>();
      for (const p of plan.problems) byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);
      const why = plan.problems.length ? `: ${[...byCode].map(([c, n]) => `${n} held back (${c})`).join(', ')}; the first: ${plan.problems[0]!.message}` : '';
      const done = this.reinsertedNote(jobId);
      throw new ReinsertError('REINSERT_NOTHING_TO_DO', `job ${jobId} has no approved rows that can be re-inserted${why}${done ? `; ${done}` : ''}`);
    }
    this.refuseOtherLedgerInDoubt(jobId, plan, req.target, databaseRead);
    // Checked again after the (asynchronous) planning and, with no await between, the run is
    // recorded as running: two requests planning at once cannot both pass.
    this.refuseWhileRunning(jobId);
    const runId = this.insertRun(jobId, actor, req, 'running', databaseRead);
    // a run while the job still stages (or of an INCOMPLETE job) inserts the rows approved so far,
    // legitimately (an incident does not wait); said in its script and its audit entry (the job as it
    // was when its rows were read: plan())
    const jobWarning = jobCompletenessWarning(job);
    const jobDoubt = jobDoubtWarning(job);
    try {
      // rendered with turns of the event loop (readScriptability, then a turn after each piece): at
      // 100,000 rows the two scripts held it 5 s in one piece. Kept as it is rendered, a piece at a
      // time, never whole (writeRunTextChunks, as the run's undo): joined into one string, a script
      // past V8's longest (2^29 - 24 characters: ~600,000 rows, or 45 rows of 12 M-character
      // documents) was a RangeError before anything ran, the run failed and answered 500 INTERNAL
      // (test/api/reinsert-run-script-past-string-limit.test.ts)
      await readScriptability(plan, 500);
      const written = await writeRunTextChunks(this.store.db, runId, 'script', renderScriptChunks(plan, { header: [...databaseCheckHeader(databaseCheck, true), ...(jobWarning ? [jobWarning] : []), ...(jobDoubt ? [jobDoubt] : []), ...this.header(jobId, runId, actor, metadata, false)], ledgerNote: true, foreignKeysKnown: metadata === 'target-catalog', database }));
      const summary = { ...summarise(plan), ...checkSummary(databaseCheck), ...(databaseCheck.verdict === 'different' ? { acceptOtherDatabase: true } : {}), ...(jobWarning ? { jobWarning } : {}), ...(jobDoubt ? { jobDoubt } : {}) };
      this.store.db.transaction(() => {
        // The undo script is written when the run ends, from the rows its ledger says it inserted.
        this.store.db.prepare('UPDATE reinsert_runs SET script = ?, script_pieces = ?, undo_script = NULL, summary = ? WHERE id = ?').run(written.column, written.pieces || null, JSON.stringify(summary), runId);
        this.store.appendAudit(actor, 'reinsert.start', jobId, { runId, ...auditTarget(req.target, database), ...summary });
      })();
    } catch (e) {
      // not launched: left 'running', it refused every later run and resume of the job
      // (REINSERT_RUN_ACTIVE, "wait for it to end") until the service restarted
      this.failUnlaunchedRun(runId, e);
      throw e;
    }
    this.launch(runId, jobId, plan, req.target);
    return this.getRun(runId)!;
  }

  /** Resumes an interrupted or failed run with the same batches (keys) it was planned with. */
  async resume(runId: number, actor: string, target: TargetSpec): Promise<RunRecord> {
    const run = this.getRun(runId);
    if (!run) throw new StagingError('STAGING_RUN_NOT_FOUND', `re-insert run ${runId} does not exist`);
    if (run.dryRun || !['interrupted', 'failed'].includes(run.state)) {
      throw new ReinsertError('REINSERT_RUN_NOT_RESUMABLE', `run ${runId} is ${run.dryRun ? 'a dry run' : run.state}; only interrupted or failed runs resume`);
    }
    // The batches left go where the run's first ones went: another target, server, database or
    // ledger table took the rest of a run planned for a side database into production (a batch
    // committed in the first but not recorded was inserted again, the second's ledger not knowing
    // its key), while the run's record and its undo named the first. Names compare in any case, as
    // SQL Server's do; a new password is fine. (Two fixes of one fault, a newcomer's and a
    // breaker's, joined at the merge.)
    assertOneServer(target);
    const ran = run.target as { name?: string | null; server?: string | null; database?: string | null; databaseResolved?: boolean; ledgerTable?: string | null };
    const was = { name: ran.name ?? null, database: ran.database ?? null, ledgerTable: ran.ledgerTable ?? null };
    // the database the connection string names counts (the driver connects there: a configured
    // target's string edited from Database=CRM_restore to Database=CRM, or a connection given again
    // naming another, took the rest of the run elsewhere); a run recorded before the connection's
    // database was kept (null, no `databaseResolved`) compares `database` alone, as it was started.
    // A run recorded since (databaseResolved) with no database went into the login's default one:
    // a resume whose connection names a database is refused (it was taken, and the rest of the run
    // went there, past the ledger of the database the first batches went to)
    const now0 = { name: target.name ?? null, database: ran.database || ran.databaseResolved ? targetDatabase(target) : target.database ?? null, ledgerTable: target.ledgerTable ?? null };
    const same = (x: string | null | undefined, y: string | null | undefined) => (x ?? '').toLowerCase() === (y ?? '').toLowerCase();
    const differs = (Object.keys(was) as (keyof typeof was)[]).filter((k) => !same(was[k], now0[k]));
    if (differs.length) {
      const say = (t: typeof was) => `${t.name ? `target '${t.name}'` : 'a connection given in the request'}${t.database ? `, database ${t.database}` : ''}${t.ledgerTable ? `, ledger ${t.ledgerTable}` : ''}`;
      throw new InputError('INPUT_BAD_OPTION', `run ${runId} was planned and started for ${say(was)}; resume it with the same (${differs.join(', ')} differ: ${say(now0)}), or start a new run for another target`, { field: differs[0] === 'name' ? 'targetName' : `target.${differs[0]}` });
    }
    // one server in another spelling (`tcp:crm-sql,1433` for `crm-sql`, `CRM-SQL\MSSQLSERVER`) is the
    // same server (run-target.ts serverSpelling); the text alone refused it
    const nowHost = connectionHost(target.connectionString);
    if (typeof ran.server === 'string' && (nowHost === undefined || serverSpelling(ran.server) !== serverSpelling(nowHost))) {
      throw new InputError('INPUT_BAD_OPTION', `run ${runId} resumes only into the server it ran against (${ran.server}); this connection names another: give that server again (a new password is fine), or start a new run for another target`, { field: 'target' });
    }
    const ids = (this.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? ORDER BY batch_no').all(runId) as { row_ids: string }[])
      .flatMap((b) => JSON.parse(b.row_ids) as number[]);
    // no batch recorded: the run ended before it ran any (its script not kept: failUnlaunchedRun; the
    // service stopped while it rendered its script). A resume planned no row and ended 'succeeded'
    // with 0 rows, read as the run done though nothing of it was inserted (breaker Y's left-out)
    if (ids.length === 0) {
      throw new ReinsertError('REINSERT_RUN_NOT_RESUMABLE', `run ${runId} is ${run.state} before any batch of it was recorded: nothing of it ran or was inserted, and there is nothing to resume; start a new run of job ${run.jobId} (POST /api/jobs/${run.jobId}/reinsert)`);
    }
    const tableMap = (run.target.tableMap as Record<string, string> | null) ?? undefined;
    this.refuseWhileRunning(run.jobId);
    const { plan, database: used, databaseRead } = await this.plan(run.jobId, { target, tableMap, batchSize: run.batchSize }, { rowIds: ids, anyStatus: true, checkStaleText: false });
    // where the run's first batches went (the database its catalog was read in, recorded since): a
    // connection naming no database goes into the login's default one, which may have changed since,
    // or be another login's; the rest of the run went there, past the first database's ledger
    const ranIn = (run.target as { databaseUsed?: string }).databaseUsed;
    // both as DB_NAME() spells them: another spelling (a case-sensitive server holds 'Tenant1' and
    // 'TENANT1' as two) is another database; names the user typed are compared above, in any case
    if (ranIn && databaseRead && ranIn !== databaseRead) {
      throw new InputError('INPUT_BAD_OPTION', `run ${runId} went into database ${ranIn}; this connection opens in database ${databaseRead}: resume it with a connection to ${ranIn} (Database=${ranIn}), or start a new run for another target`, { field: 'target.database' });
    }
    const now = this.getRun(runId)!;
    if (!['interrupted', 'failed'].includes(now.state)) {
      throw new ReinsertError('REINSERT_RUN_NOT_RESUMABLE', `run ${runId} is ${now.state}; only interrupted or failed runs resume`);
    }
    this.refuseWhileRunning(run.jobId);
    this.store.db.transaction(() => {
      // The batches that may be in the target already (other-jobs.ts maybeIn): those failed by an
      // error answering their COMMIT and the one the run stopped at. Another job's run that began
      // before this resume never passes over them (it did, and put their rows in a second time
      // while this run had yet to record them from its ledger).
      const maybeIn = (this.store.db.prepare(
        `SELECT batch_no FROM reinsert_batches AS b WHERE run_id = ? AND (
           batch_no = (SELECT min(batch_no) FROM reinsert_batches WHERE run_id = b.run_id AND state = 'planned')
           OR (state = 'failed' AND EXISTS (SELECT 1 FROM reinsert_outcomes AS o WHERE o.run_id = b.run_id AND o.batch_no = b.batch_no AND o.outcome = 'error' AND o.detail LIKE '%"mayHaveCommitted":true%')))
         ORDER BY batch_no`,
      ).all(runId) as { batch_no: number }[]).map((b) => b.batch_no);
      // its undo, written when it first ended, names every batch the resume goes on to insert "its
      // batch did not run": served for the whole resumed run (and kept after a stop during it), run by
      // hand it left those rows in. Until the resumed run's end writes it again, it refuses to run
      // (the column read before the counted pieces: run-texts.ts readRunText)
      this.store.db.prepare("UPDATE reinsert_runs SET state = 'running', error = NULL, undo_script = ? WHERE id = ?").run(undoWhileResumed(runId, run.jobId), runId);
      this.store.appendAudit(actor, 'reinsert.resume', run.jobId, { runId, ...auditTarget(target, used), maybeIn });
    })();
    this.launch(runId, run.jobId, plan, target);
    return this.getRun(runId)!;
  }

  /**
   * A new real run must read the ledger a stopped run of the job wrote to, when that run's batch may
   * have committed unrecorded (StagingStore.stoppedRunsInDoubt) into the same server and database:
   * its rows are still approved, this run planned them again, and execute.ts finds such a batch only
   * in this run's own ledger table (`target.ledgerTable`, and its row ledger `<name>_rows`). Another
   * ledger table there does not hold the batch's key: its rows went in twice (a table with no key has
   * nothing to stop it; breaker G, session 43: a crash left a batch in doubt, a new run named another
   * ledgerTable). Rows of such batches this plan does not hold are no reason; a place not known (no
   * server in either connection, a database not recorded) or a server that may be the same one
   * (run-target.ts sameServer: a short name and a qualified one beginning with it) counts as the
   * same, the safe side; a ledger table is compared as the table it names (schema dbo when none).
   * `databaseUsed`: the database the planning read (plan()'s databaseRead), as insertRun records it.
   * @throws ReinsertError REINSERT_LEDGER_IN_DOUBT (409) naming the stopped run, its batches and ledger
   */
  private refuseOtherLedgerInDoubt(jobId: number, plan: ReinsertPlan, target: TargetSpec, databaseUsed: string | null | undefined): void {
    const clash = this.otherLedgerInDoubt(jobId, plan, target.ledgerTable, connectionHost(target.connectionString) ?? null, targetDatabase(target) ?? databaseUsed ?? null);
    if (!clash.length) return;
    const c = clash[0]!;
    const others = clash.length > 1 ? ` (and ${clash.length - 1} other stopped run(s): ${clash.slice(1).map((x) => x.runId).join(', ')})` : '';
    throw new ReinsertError(
      'REINSERT_LEDGER_IN_DOUBT',
      `re-insert run ${c.runId} of job ${jobId} stopped with batch(es) ${c.batches.join(', ')} (${c.rows} of the rows this run would insert) that may have committed into this database unrecorded, and only its ledger table ${c.ledger} can tell; this run's ledger table is ${target.ledgerTable ?? DEFAULT_LEDGER_TABLE}, which does not hold them, so those rows could go in twice${others}. Nothing was inserted: resume run ${c.runId} (POST /api/reinsert-runs/${c.runId}/resume), or start this run with ledgerTable ${c.ledger}; it reads that ledger first`,
      { field: 'target.ledgerTable' },
    );
  }

  /**
   * The stopped runs of job `jobId` (failed, interrupted) with a batch that may have committed
   * unrecorded (StagingStore.stoppedRunsInDoubt) holding rows of `plan`, into a place that may be
   * `host`/`database` (null: not known, taken as the same), whose ledger table is not `ledgerTable`
   * (undefined: the default): a run or script checking `ledgerTable` does not find those rows there,
   * and puts them in twice when the batch did commit. Ledger tables compared as the tables they name
   * (splitQualifiedName, schema dbo when none; any case), servers by run-target.ts sameServer. Each
   * with its ledger table, the batches and how many of the plan's rows they hold, in run order.
   */
  private otherLedgerInDoubt(jobId: number, plan: ReinsertPlan, ledgerTable: string | null | undefined, host: string | null, database: string | null): { runId: number; ledger: string; batches: number[]; rows: number }[] {
    const doubt = this.store.stoppedRunsInDoubt(jobId, { allRows: true });
    if (!doubt.length) return [];
    const planned = new Set(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId)));
    // one table however it is spelled: `rowback_reinsert_ledger`, `[dbo].[rowback_reinsert_ledger]` and
    // the default `dbo.rowback_reinsert_ledger` are one (plan.ts quotedRowLedger reads them so); the
    // text alone refused a run naming its very ledger another way
    const norm = (t: string | null | undefined) => {
      const q = t ?? DEFAULT_LEDGER_TABLE;
      try {
        // by its parts (stagedTableName): [a.b].[c] and [a].[b.c] are two ledgers, both `a.b.c` as text
        return stagedTableName(splitQualifiedName(q)).toLowerCase();
      } catch {
        return q.toLowerCase();
      }
    };
    const same = (x: string | null | undefined, y: string | null | undefined) => !x || !y || x.toLowerCase() === y.toLowerCase();
    const clash = new Map<number, { runId: number; ledger: string; batches: number[]; rows: number }>();
    for (const b of doubt) {
      const rows = (JSON.parse(b.rowIds) as number[]).filter((id) => planned.has(id));
      if (!rows.length) continue;
      const ran = this.getRun(b.runId)?.target as { server?: string | null; database?: string | null; databaseUsed?: string | null; ledgerTable?: string | null } | undefined;
      if (!ran) continue;
      // may be one server (run-target.ts sameServer: `db1` and `db1.corp.example` too), the safe side
      // here: by serverSpelling's exact spelling, a run naming the server's qualified name passed and
      // put the rows in doubt in again
      const oneServer = !ran.server || !host || sameServer(ran.server, host);
      if (!oneServer || !same(ran.database ?? ran.databaseUsed, database)) continue;
      if (norm(ran.ledgerTable) === norm(ledgerTable)) continue;
      const c = clash.get(b.runId) ?? { runId: b.runId, ledger: ran.ledgerTable ?? DEFAULT_LEDGER_TABLE, batches: [], rows: 0 };
      c.batches.push(b.batchNo);
      c.rows += rows.length;
      clash.set(b.runId, c);
    }
    return [...clash.values()];
  }

  /**
   * A script's WARNING head line (a dry run's script, the SQL export) when rows it inserts are in a
   * stopped run's batch that may have committed unrecorded and that run kept another ledger table
   * than the script checks (`ledgerTable`; undefined: the default): run by hand as it is, those rows
   * go in twice when the batch did commit (the script's row-ledger check looks in its own ledger only),
   * which a real run refuses (REINSERT_LEDGER_IN_DOUBT). `host`/`database`: where the script is meant
   * for, null when not known (taken as the same place). null when there is no such row. `how`: what
   * the caller can change to script with that ledger (a dry run's target.ledgerTable), or null.
   */
  ledgerInDoubtWarning(jobId: number, plan: ReinsertPlan, ledgerTable: string | null | undefined, host: string | null, database: string | null, how: string | null): string | null {
    const clash = this.otherLedgerInDoubt(jobId, plan, ledgerTable, host, database);
    if (!clash.length) return null;
    const rows = clash.reduce((n, c) => n + c.rows, 0);
    const runs = clash.map((c) => `run ${c.runId} (batch(es) ${c.batches.join(', ')}, ledger table ${c.ledger})`).join('; ');
    return `WARNING: ${rows} row(s) of this script are in a batch a stopped re-insert run of job ${jobId} sent and never recorded, which may have committed: ${runs}; only that ledger table can tell, and this script checks ${ledgerTable ?? DEFAULT_LEDGER_TABLE}, which does not hold them: run as it is, those rows could go in twice. Resume run ${clash[0]!.runId} first (POST /api/reinsert-runs/${clash[0]!.runId}/resume: rows found there become reinserted)${how ? `, or ${how} ${clash[0]!.ledger}` : ''}`;
  }

  /**
   * One real run of a job at a time. Two runs planned from the same approved rows (a double-clicked
   * Run, a client retrying its POST, two operators) each inserted every row: a key-less table got
   * every row twice, a keyed one had its rows marked conflicts with themselves.
   * @throws ReinsertError REINSERT_RUN_ACTIVE (409)
   */
  private refuseWhileRunning(jobId: number): void {
    const r = this.store.db.prepare("SELECT id, actor FROM reinsert_runs WHERE job_id = ? AND dry_run = 0 AND state = 'running' ORDER BY id LIMIT 1").get(jobId) as { id: number; actor: string } | undefined;
    if (r) {
      throw new ReinsertError('REINSERT_RUN_ACTIVE', `re-insert run ${r.id} of job ${jobId} is running (started by ${r.actor}); wait for it to end (GET /api/reinsert-runs/${r.id}) before starting or resuming another: two runs would insert the same approved rows twice`);
    }
  }

  private launch(runId: number, jobId: number, plan: ReinsertPlan, spec: TargetSpec): void {
    const target = this.connect(spec);
    const earlier = new Set<number>();
    const p = executeRun(this.store, runId, jobId, plan, target, { logger: this.log, hooks: this.hooks, bulkThreshold: this.bulkThreshold, place: placeOf(spec), earlierRecorded: earlier })
      .then((s: RunSummary) => this.finish(runId, jobId, s.failedBatches ? 'failed' : 'succeeded', { ...s, problems: plan.problems.length }, null, plan))
      .catch((e: unknown) => {
        const err = e as { code?: string; message?: string };
        this.log.error({ runId, err: e }, 're-insert run failed');
        return this.finish(runId, jobId, 'failed', null, { code: err.code ?? 'REINSERT_FAILED', message: err.message ?? String(e) }, plan);
      })
      .then(async () => {
        for (const id of earlier) await this.rewriteUndo(id, runId).catch((e: unknown) => this.log.error({ runId: id, err: e }, 'the undo of an earlier run could not be written again'));
      })
      .finally(() => { this.active.delete(runId); return target.close().catch(() => undefined); });
    this.active.set(runId, p);
  }

  /**
   * Writes run `runId`'s undo script again from its ledger after run `byRun` found batches of it
   * committed in the target that it had not recorded (a crash or a lost connection after their COMMIT;
   * execute.ts records them from the target's ledger). Written when the run ended, its undo named
   * those rows "its batch did not run" and deleted none of them: run by hand, it left them in the
   * table (a side table, or the rows' own). Planned again as the job's undo export plans it (the
   * run's tableMap, database and ledger; the job's staged layouts, said in its header); when that
   * cannot be planned, the script refuses to run and says why and where the undo is.
   */
  private async rewriteUndo(runId: number, byRun: number): Promise<void> {
    await this.undoWrite(runId, () => this.rewriteUndoNow(runId, byRun));
  }

  /**
   * Runs `write` (a write of run `runId`'s undo and the statement that counts it) after every earlier
   * one of that run has ended, never two at once. An earlier run's undo written again (rewriteUndo,
   * after a later run ended) and the same run's own end after a resume (finish) both wrote it: the
   * later write's pieces went in among the earlier's (seq taken twice, the pieces of one deleted by
   * the other), and the one that ended last won: the rewrite, whose ledger was read before the resumed
   * run inserted its batches, kept an undo deleting 4 of the run's 10 rows. Resolves as `write` does.
   */
  private undoWrite<T>(runId: number, write: () => Promise<T>): Promise<T> {
    const before = this.undoWrites.get(runId) ?? Promise.resolve();
    const p = before.catch(() => undefined).then(write);
    const mine = p.catch(() => undefined);
    this.undoWrites.set(runId, mine);
    void mine.then(() => { if (this.undoWrites.get(runId) === mine) this.undoWrites.delete(runId); });
    return p;
  }

  private async rewriteUndoNow(runId: number, byRun: number): Promise<void> {
    if (!this.store.db.open) return;
    const run = this.getRun(runId);
    // a run resumed since writes its own when it ends
    if (!run || run.dryRun || run.state === 'running') return;
    const t = run.target as { database?: string | null; databaseUsed?: string; ledgerTable?: string | null; tableMap?: Record<string, string> | null };
    const batches = this.store.db.prepare('SELECT batch_no, row_ids FROM reinsert_batches WHERE run_id = ? ORDER BY batch_no').all(runId) as { batch_no: number; row_ids: string }[];
    const ids = batches.flatMap((b) => JSON.parse(b.row_ids) as number[]);
    // planned offline, without the target's foreign keys, its tables come by name: deleted in the
    // reverse of the order the run put the rows in (its batches), as the undo export deletes them,
    // or a parent's rows went before its child's (Msg 547, the whole undo rolled back)
    const sequence = new Map<number, number[]>();
    for (const b of batches) (JSON.parse(b.row_ids) as number[]).forEach((rowId, i) => sequence.set(rowId, [runId, b.batch_no, i]));
    const why = `written again after re-insert run ${byRun} found batches of this run committed in the target's ledger that this run had not recorded (their rows are in this undo); column metadata from the job's staged layouts`;
    // the placeholder execute.ts put in its column is read until the statement below (keepUndo)
    const undo = await this.keepUndo(runId, run.jobId, async () => {
      const { plan } = await this.plan(run.jobId, { tableMap: t.tableMap ?? undefined }, { rowIds: ids, anyStatus: true, database: t.database ?? t.databaseUsed ?? undefined, ledgerTable: t.ledgerTable ?? undefined, checkStaleText: false, undo: true });
      return this.undoChunksFromLedger(runId, run.jobId, inInsertionOrder(plan, sequence), why);
    }, (e) => `the undo of re-insert run ${runId} could not be written again after run ${byRun} recorded batches of it from the target's ledger (${(e as Error)?.message ?? String(e)}); its earlier undo left those rows out`);
    if (!undo || !this.store.db.open) return;
    // resumed while this was written (its ledger read before the resumed batches went in): the
    // resumed run's end writes its own undo, after this one (undoWrite); these pieces are not its
    const now = this.getRun(runId);
    if (!now || now.state !== run.state || now.finishedAt !== run.finishedAt) {
      this.store.db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo' AND (SELECT undo_pieces FROM reinsert_runs WHERE id = ?) IS NULL").run(runId, runId);
      return;
    }
    this.store.db.prepare('UPDATE reinsert_runs SET undo_script = ?, undo_pieces = ? WHERE id = ?').run(undo.column, undo.pieces || null, runId);
  }

  /**
   * The undo script of an executed run, from its ledger, as plan.ts renderUndoScriptChunks gives it
   * (a head, then a chunk per batch; joined with '\n' they are the script): it deletes exactly the
   * rows this run inserted (outcome `inserted`), and lists every other planned row as not touched
   * with why (the key already existed: a conflict; the insert failed; its batch never ran). The
   * ledger is read LEDGER_PAGE outcomes at a time and the plan's rows gone over with turns of the
   * event loop (one `.all()` of 500,000 outcomes, and one render, held every request). Throws what
   * SQLite throws (the staging file closed meanwhile).
   */
  private async undoChunksFromLedger(runId: number, jobId: number, plan: ReinsertPlan, note?: string): Promise<Iterable<string>> {
    const inserted = new Set<number>();
    const notTouched = new Map<number, string>();
    // paged by row id (the outcomes' key, run_id then row_id), not iterated: an open iterator keeps
    // the connection busy, and every request between two turns would be refused
    const page = this.store.db.prepare('SELECT row_id, outcome, detail FROM reinsert_outcomes WHERE run_id = ? AND row_id > ? ORDER BY row_id LIMIT ?');
    for (let after = 0; ;) {
      const outcomes = page.all(runId, after, LEDGER_PAGE) as { row_id: number; outcome: string; detail: string | null }[];
      for (const o of outcomes) {
        if (o.outcome === 'inserted') inserted.add(o.row_id);
        else if (o.outcome === 'conflict') {
          // a conflict on a unique index other than the key (execute.ts conflictJson: `index`) says which
          const index = (JSON.parse(o.detail ?? '{}') as { index?: unknown }).index;
          notTouched.set(o.row_id, typeof index === 'string' ? `another row of the target already held its value of unique index ${index} (conflict): nothing was inserted, nothing to undo` : 'its key already existed in the target (conflict): the row there is not rowback\'s and is left alone');
        }
        else notTouched.set(o.row_id, `the insert failed (${(JSON.parse(o.detail ?? '{}') as { code?: string }).code ?? 'error'}): nothing to undo`);
      }
      if (outcomes.length < LEDGER_PAGE) break;
      after = outcomes[outcomes.length - 1]!.row_id;
      await yieldToEventLoop();
    }
    let n = 0;
    for (const b of plan.batches) {
      for (const r of b.rows) {
        if (!inserted.has(r.rowId) && !notTouched.has(r.rowId)) notTouched.set(r.rowId, 'its batch did not run');
        if (++n % LEDGER_PAGE === 0) await yieldToEventLoop();
      }
    }
    // each row asked once, with turns, whether it can be scripted: the render's head asks every row
    await notScriptedCooperatively(plan);
    return renderUndoScriptChunks(plan, {
      rowIds: inserted,
      notTouched,
      header: [`undo for rowback re-insert run ${runId} (job ${jobId}), from the run's ledger (${inserted.size} row(s) it inserted), ${new Date().toISOString()}`, ...(note ? [note] : [])],
    });
  }

  /**
   * Renders run `runId`'s undo (`render`: its chunks, undoChunksFromLedger) and writes it a piece at
   * a time with turns of the event loop (run-texts.ts writeRunTextChunks), for the caller to count in
   * the statement that ends the write (its `undo_script` and `undo_pieces`): before, at ~500,000 rows,
   * a run's end rendered ~430 MB in one piece and wrote it in one UPDATE while every request waited.
   * Its counted pieces are uncounted first (undo_pieces NULL), so the pieces being written are never
   * read: a text in its column (undoWhileResumed's refusal while a run is resumed, execute.ts's
   * placeholder while an earlier run's is written again) is read until then. When the render or the write fails, its
   * pieces are deleted and the answer is a short script that refuses to run and says why (`why`),
   * pointing to the job's undo export. Resolves to undefined when the staging file is closed; throws
   * nothing of the render's or the write's own.
   */
  private async keepUndo(runId: number, jobId: number, render: () => Promise<Iterable<string>>, why: (e: unknown) => string): Promise<WrittenRunText | undefined> {
    if (!this.store.db.open) return undefined;
    try {
      this.store.db.prepare('UPDATE reinsert_runs SET undo_pieces = NULL WHERE id = ?').run(runId);
      return await writeRunTextChunks(this.store.db, runId, 'undo', await render());
    } catch (e) {
      if (!this.store.db.open) return undefined;
      this.log.error({ runId, err: e }, "the run's undo could not be kept");
      try {
        this.store.db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo'").run(runId);
      } catch { /* the staging file refuses writes: the pieces, uncounted, are never read (recoverInterruptedRuns deletes them at the next start) */ }
      const msg = `rowback: ${why(e)}. Undo the job's runs with GET /api/jobs/${jobId}/export?format=undo-sql`;
      return { column: refusalScript(msg), pieces: 0 };
    }
  }

  /**
   * Ends run `runId` in `state`: its undo (when `plan` is given) rendered from its ledger and kept in
   * pieces with turns of the event loop (keepUndo), then, in one transaction, the undo counted, the
   * state, end time, summary (merged over the plan's) and error written and the audit entry
   * appended. The run stays 'running' while its undo is written: no other run or resume of the job
   * starts (refuseWhileRunning). Nothing when the staging file is closed (before or meanwhile: the
   * run is made 'interrupted' at the next start). Throws what SQLite throws at the last statement.
   */
  private async finish(runId: number, jobId: number, state: RunRecord['state'], summary: Record<string, unknown> | null, error: { code: string; message: string } | null, plan?: ReinsertPlan): Promise<void> {
    // after any write of this run's undo still going on (an earlier end's undo written again: undoWrite)
    await this.undoWrite(runId, () => this.finishNow(runId, jobId, state, summary, error, plan));
  }

  private async finishNow(runId: number, jobId: number, state: RunRecord['state'], summary: Record<string, unknown> | null, error: { code: string; message: string } | null, plan?: ReinsertPlan): Promise<void> {
    if (!this.store.db.open) return;
    const undo = plan ? await this.keepUndo(runId, jobId, () => this.undoChunksFromLedger(runId, jobId, plan), (e) => `the undo of re-insert run ${runId} could not be written when it ended (${(e as Error)?.message ?? String(e)})`) : undefined;
    if (!this.store.db.open) return;
    this.store.db.transaction(() => {
      // the undo's pieces counted with the run's end: until then none is read
      if (undo) this.store.db.prepare('UPDATE reinsert_runs SET undo_script = ?, undo_pieces = ? WHERE id = ?').run(undo.column, undo.pieces || null, runId);
      // the outcome's counts over the plan's (rows, tableOrder, cycles): the planned row count was
      // lost when a run ended (the review page's runs table showed no rows for every finished run)
      const was = this.store.db.prepare('SELECT summary FROM reinsert_runs WHERE id = ?').get(runId) as { summary: string | null } | undefined;
      const merged = summary ? { ...(was?.summary ? (JSON.parse(was.summary) as Record<string, unknown>) : {}), ...summary } : null;
      this.store.db.prepare('UPDATE reinsert_runs SET state = ?, finished_at = ?, summary = COALESCE(?, summary), error = ? WHERE id = ?')
        .run(state, new Date().toISOString(), merged ? JSON.stringify(merged) : null, error ? JSON.stringify(redactDeep(error)) : null, runId);
      this.store.appendAudit('system', `reinsert.${state}`, jobId, { runId, ...(summary ?? {}), ...(error ? { error } : {}) });
    })();
  }

  async wait(runId: number): Promise<void> {
    await this.active.get(runId);
  }

  async idle(): Promise<void> {
    await Promise.all([...this.active.values()]);
  }

  /** On start-up: runs a crash left `running` become `interrupted` (resume them with their target); dry runs left `planned` become `failed`. */
  recoverInterruptedRuns(): number[] {
    return this.store.db.transaction(() => {
      // a dry run a stop left 'planned' (the service closed while it rendered its scripts, which
      // take turns of the event loop): failed, else the review page polls it as going on for good
      const dry = this.store.db.prepare("SELECT id, job_id FROM reinsert_runs WHERE state = 'planned' AND dry_run = 1").all() as { id: number; job_id: number }[];
      for (const r of dry) {
        this.store.db.prepare("UPDATE reinsert_runs SET state = 'failed', finished_at = coalesce(finished_at, ?), error = ? WHERE id = ?")
          .run(new Date().toISOString(), JSON.stringify({ code: 'REINSERT_DRY_RUN_INTERRUPTED', message: `dry run ${r.id} was stopped (the service stopped or failed) before its scripts were kept; run the dry run again` }), r.id);
        this.store.db.prepare('DELETE FROM reinsert_run_texts WHERE run_id = ?').run(r.id);
      }
      const ids = (this.store.db.prepare("SELECT id, job_id FROM reinsert_runs WHERE state = 'running'").all() as { id: number; job_id: number }[]);
      for (const r of ids) {
        this.store.db.prepare("UPDATE reinsert_runs SET state = 'interrupted' WHERE id = ?").run(r.id);
        // a stop while its script was written in pieces (start): those pieces, never counted on the
        // run, are never read; a script counted (the run stopped while it ran) is kept
        this.store.db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'script' AND (SELECT script_pieces FROM reinsert_runs WHERE id = ?) IS NULL").run(r.id, r.id);
        // so are those of an undo stopped while it was written at the run's end (finish, keepUndo);
        // an undo counted (a run resumed since its earlier end, stopped while it ran) is kept
        this.store.db.prepare("DELETE FROM reinsert_run_texts WHERE run_id = ? AND kind = 'undo' AND (SELECT undo_pieces FROM reinsert_runs WHERE id = ?) IS NULL").run(r.id, r.id);
        this.store.appendAudit('system', 'reinsert.interrupted', r.job_id, { runId: r.id });
      }
      return ids.map((r) => r.id);
    })();
  }

  getRun(runId: number): RunRecord | undefined {
    const r = this.store.db.prepare(`SELECT ${RUN_COLUMNS} FROM reinsert_runs WHERE id = ?`).get(runId) as RunDbRow | undefined;
    if (!r) return undefined;
    const counts = this.store.db.prepare('SELECT outcome, count(*) AS n FROM reinsert_outcomes WHERE run_id = ? GROUP BY outcome').all(runId) as { outcome: string; n: number }[];
    const n = (k: string): number => counts.find((c) => c.outcome === k)?.n ?? 0;
    return {
      id: r.id, jobId: r.job_id, actor: r.actor, createdAt: r.created_at, finishedAt: r.finished_at, dryRun: r.dry_run === 1,
      target: JSON.parse(r.target), state: r.state, batchSize: r.batch_size, summary: r.summary ? JSON.parse(r.summary) : null,
      error: r.error ? JSON.parse(r.error) : null, outcomes: { inserted: n('inserted'), conflict: n('conflict'), error: n('error') },
      sideTables: this.sideTablesOf(runId),
    };
  }

  /**
   * Run `runId`'s side tables with their outcome counts (RunRecord.sideTables): those its outcomes
   * name (leftApproved), then those of outcomes recorded before staging migration 12, whose rows that
   * build marked reinserted (side-tables.ts legacySideTables; leftApproved false).
   */
  private sideTablesOf(runId: number): RunRecord['sideTables'] {
    const out: RunRecord['sideTables'] = (this.store.db.prepare(`SELECT side_table AS tbl, sum(outcome = 'inserted') AS inserted, sum(outcome = 'conflict') AS conflict, sum(outcome = 'error') AS error
      FROM reinsert_outcomes WHERE run_id = ? AND side_table IS NOT NULL GROUP BY side_table ORDER BY side_table`).all(runId) as { tbl: string; inserted: number; conflict: number; error: number }[])
      .map((x) => ({ table: x.tbl, inserted: x.inserted, conflict: x.conflict, error: x.error, leftApproved: true }));
    const legacy = [...legacySideTableCounts(this.store, runId)].map(([table, c]) => ({ table, ...c, leftApproved: false }));
    return [...out, ...legacy.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))];
  }

  /**
   * Run `runId`'s script and undo script (null: none written), read whole; undefined when there is
   * no such run. Throws StagingError STAGING_RUN_TEXT_DAMAGED when a piece of one is missing.
   */
  script(runId: number): { script: string | null; undoScript: string | null } | undefined {
    const r = this.storedTexts(runId);
    return r ? { script: readRunText(this.store.db, runId, 'script', r.script), undoScript: readRunText(this.store.db, runId, 'undo', r.undo) } : undefined;
  }

  /**
   * Run `runId`'s script and undo script in one state of the staging file, pieces not yet read
   * (run-texts.ts openRunTextsSnapshot: the caller reads them and must `close()` it); undefined when
   * there is no such run. Throws StagingError STAGING_RUN_TEXT_DAMAGED when a counted piece is missing.
   */
  scriptSnapshot(runId: number): RunTextsSnapshot | undefined {
    return openRunTextsSnapshot(this.store.db, this.store.path, runId);
  }

  private storedTexts(runId: number): { script: StoredRunText; undo: StoredRunText } | undefined {
    const r = this.store.db.prepare('SELECT script, undo_script, script_pieces, undo_pieces FROM reinsert_runs WHERE id = ?').get(runId) as { script: string | null; undo_script: string | null; script_pieces: number | null; undo_pieces: number | null } | undefined;
    return r ? { script: { column: r.script, pieces: r.script_pieces }, undo: { column: r.undo_script, pieces: r.undo_pieces } } : undefined;
  }

  /** A run's row outcomes in row id order: at most `limit`, of rows after the row id `after`. */
  outcomes(runId: number, limit = 1000, after = 0): { rowId: number; batchNo: number; outcome: string; detail: unknown }[] {
    return (this.store.db.prepare('SELECT row_id, batch_no, outcome, detail FROM reinsert_outcomes WHERE run_id = ? AND row_id > ? ORDER BY row_id LIMIT ?').all(runId, after, limit) as
      { row_id: number; batch_no: number; outcome: string; detail: string | null }[]).map((o) => ({ rowId: o.row_id, batchNo: o.batch_no, outcome: o.outcome, detail: o.detail ? JSON.parse(o.detail) : null }));
  }

  /**
   * A run's batches in order, each with its state (planned, committed, failed), commit time (ISO
   * UTC), row count and outcome counts: the page's "result per batch".
   */
  batches(runId: number): { batchNo: number; state: string; committedAt: string | null; rows: number; inserted: number; conflict: number; error: number }[] {
    return (this.store.db.prepare(`SELECT b.batch_no, b.state, b.committed_at, json_array_length(b.row_ids) AS n,
        sum(o.outcome = 'inserted') AS inserted, sum(o.outcome = 'conflict') AS conflict, sum(o.outcome = 'error') AS error
      FROM reinsert_batches b LEFT JOIN reinsert_outcomes o ON o.run_id = b.run_id AND o.batch_no = b.batch_no
      WHERE b.run_id = ? GROUP BY b.batch_no ORDER BY b.batch_no`).all(runId) as
      { batch_no: number; state: string; committed_at: string | null; n: number; inserted: number | null; conflict: number | null; error: number | null }[])
      .map((b) => ({ batchNo: b.batch_no, state: b.state, committedAt: b.committed_at, rows: b.n, inserted: b.inserted ?? 0, conflict: b.conflict ?? 0, error: b.error ?? 0 }));
  }

  listRuns(jobId: number): RunRecord[] {
    return (this.store.db.prepare('SELECT id FROM reinsert_runs WHERE job_id = ? ORDER BY id DESC').all(jobId) as { id: number }[]).map((r) => this.getRun(r.id)!);
  }
}

/**
 * The script head's line about the databases (source-database.ts): a `WARNING:` naming both when
 * they differ, what is not known when it is not, the database when it is the same. Written through
 * plan.ts's comment() as every header line (commentText: a name's line break cannot end the comment).
 */
export function databaseCheckHeader(c: DatabaseCheck, accepted = false, undo = false): string[] {
  if (c.verdict !== 'different') return [`database check: ${c.message}`];
  // an undo preview: its deletes are what would harm another tenant, and acceptOtherDatabase is no
  // part of running it (it ended 'a real run into it needs acceptOtherDatabase: true', the re-insert's words)
  if (undo) return [c.message.replace(/a real run into it needs acceptOtherDatabase: true$/, "this undo deletes the rows it names by key there: run it only in the database the re-insert went into (in another tenant's database it deletes that tenant's rows)")];
  // a run's own script: it was started with the acknowledgement, said so rather than asked for
  return [accepted ? c.message.replace(/a real run into it needs acceptOtherDatabase: true$/, 'this run was started with acceptOtherDatabase: true') : c.message];
}

/** The comparison as a run's summary and audit entry keep it. */
function checkSummary(c: DatabaseCheck): Record<string, unknown> {
  return { databaseCheck: { verdict: c.verdict, source: c.source, target: c.target, message: c.message } };
}

function summarise(plan: ReinsertPlan): Record<string, unknown> {
  return {
    rows: plan.batches.reduce((s, b) => s + b.rows.length, 0), batches: plan.batches.length, tableOrder: plan.tableOrder,
    cycles: plan.cycles, problems: plan.problems.length,
    // rows the script leaves out (a name it cannot carry: plan.ts unscriptableWhy), each with why; the run inserts them
    ...(() => { const n = notScripted(plan); return n.length ? { notScripted: n } : {}; })(),
    // enabled AFTER INSERT triggers of the tables rows go into (read from the catalog): not refused,
    // said, as in the script's head (plan.ts afterInsertWarning)
    ...(() => { const a = afterInsertTriggersOf(plan); return a.length ? { afterInsertTriggers: a.map((x) => ({ table: x.target, triggers: x.triggers, warning: afterInsertWarning(x.target, x.triggers) })) } : {}; })(),
  };
}

/**
 * The staged rows of a job that executed rowback runs inserted (ledger outcome `inserted`), with
 * the runs that inserted each, in run order: the only rows an undo may delete. A row has two or more
 * when runs put it into side tables (they leave it approved) and into its own table; one run each
 * was kept, and the undo deleted the row from one of those tables only.
 */
export function insertedByRuns(store: StagingStore, jobId: number): Map<number, number[]> {
  const rows = store.db.prepare(`SELECT o.row_id, o.run_id FROM reinsert_outcomes o JOIN reinsert_runs r ON r.id = o.run_id
    WHERE r.job_id = ? AND r.dry_run = 0 AND o.outcome = 'inserted' ORDER BY o.run_id`).all(jobId) as { row_id: number; run_id: number }[];
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const l = out.get(r.row_id);
    if (l) l.push(r.run_id);
    else out.set(r.row_id, [r.run_id]);
  }
  return out;
}

/**
 * Each tableMap target's schema and name as the request wrote it, by its `schema.name` text (the
 * form plan.ts resolveTableMap gives it). That text split again at its dots took
 * `[recovery].[Trail.back]`'s `recovery.Trail.back` for three parts: a dry run without a target,
 * and the undo export of a job whose run went into such a side table, failed with an internal error.
 * Two targets of one text (`[a.b].[c]` and `[a].[b.c]`) cannot be told apart there: refused.
 * @throws InputError INPUT_AMBIGUOUS_NAME, INPUT_BAD_IDENTIFIER (a target that does not parse).
 */
export function sideTableParts(tableMap: Record<string, string> | null | undefined): Map<string, { schema: string; name: string }> {
  const out = new Map<string, { schema: string; name: string }>();
  for (const [key, v] of Object.entries(tableMap ?? {})) {
    let p: { schema: string; name: string };
    try {
      p = splitQualifiedName(v);
    } catch (e) {
      throw new InputError('INPUT_BAD_IDENTIFIER', `tableMap target '${echoInput(v)}' is not a schema.name table name: ${(e as Error).message}`, { field: `tableMap.${key}`, table: v });
    }
    const text = stagedTableName(p);
    const was = out.get(text);
    if (was && (was.schema !== p.schema || was.name !== p.name)) {
      throw new InputError('INPUT_AMBIGUOUS_NAME', `tableMap targets ${quoteQualified(was.schema, was.name)} and ${quoteQualified(p.schema, p.name)} are both ${text} as schema.name, which rowback cannot tell apart: send rows of one run to one of them`, { field: `tableMap.${key}`, table: v });
    }
    out.set(text, p);
  }
  return out;
}

/**
 * The target's tables are found by `schema.name` text, which does not tell [a.b].[c] from [a].[b.c]
 * (dots in names): rows of the job's [a.b].[c] were planned into the target's [a].[b.c]. Each
 * table loaded must be the (schema, name) the job's layout (or the tableMap target) names.
 * @throws InputError INPUT_AMBIGUOUS_NAME naming both tables.
 */
export function assertSameTables(tables: Map<string, TargetTable>, layouts: { schema: string; name: string }[], tableMap?: Record<string, string>): void {
  const expected = new Map<string, { schema: string; name: string }>();
  for (const l of layouts) expected.set(stagedTableName(l), { schema: l.schema, name: l.name });
  for (const v of Object.values(tableMap ?? {})) {
    const p = splitQualifiedName(v);
    expected.set(stagedTableName(p), p);
  }
  for (const [key, t] of tables) {
    const want = expected.get(key);
    if (want && (want.schema !== t.schema || want.name !== t.name)) {
      throw new InputError('INPUT_AMBIGUOUS_NAME', `the target's table ${quoteQualified(t.schema, t.name)} is not the job's ${quoteQualified(want.schema, want.name)}, though both are ${key} as schema.name: rowback re-inserts only into the table of the same schema and name; re-insert into a side table (tableMap) whose name is not ambiguous`, { table: key });
    }
  }
}

/**
 * The undo script of run `runId` while it is resumed: a script that refuses to run (RAISERROR, then
 * RETURN: plan.ts refusalScript), saying the run's undo is written again when it ends and naming job `jobId`'s undo
 * export, which undoes every run of the job from their ledgers meanwhile.
 */
export function undoWhileResumed(runId: number, jobId: number): string {
  const msg = `rowback: re-insert run ${runId} was resumed and is putting its other batches in: the undo written when it first ended leaves their rows out, and it is written again when the run ends (GET /api/reinsert-runs/${runId}/script); meanwhile, or if the run stops before it ends, undo the job's runs with GET /api/jobs/${jobId}/export?format=undo-sql`;
  return refusalScript(msg);
}
