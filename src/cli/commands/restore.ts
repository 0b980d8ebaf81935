import { unknownTableHint } from '../../reconstruct/metadata/names.js';
import { isoTimesStderr } from '../iso-times-stderr.js';
import type { Writable } from 'node:stream';
import { unsureKinds } from '../../replay/table-diff.js';
import { warnLocalTimes } from '../local-time-warnings.js';
import { Command, Option } from 'commander';
import { InputError } from '../../errors.js';
import { MssqlRunner, type SqlRunner } from '../../logreader/live/runner.js';
import { asStopAtTarget, parseStopTarget } from '../../restore/target.js';
import { compareLiveTables } from '../../replay/compare-live.js';
import { parseKeyOption } from '../../replay/compare.js';
import { LiveSource } from '../../recover/sources/live.js';
import { checkStagingStore } from '../../staging/open.js';
import { choiceOption, collectTables, normalizeTableName, refuseExcessArguments, requireSubcommand } from '../options.js';
import { stageRestoreJob } from '../stage-restore-job.js';
import { sourceDatabaseOf } from '../../reinsert/source-database.js';
import type { SourceDatabase } from '../../staging/types.js';
import { bothForms, chooseDatabase, describeReachable, otherNameSets, reachableRanges, otherNamesHint, planChain, renamedNotes, type RestoreChain, type RestoreTarget } from '../../restore/chain.js';
import { addLogCommitTimes, readFolderHistory, type BackupHistory, type BackupSetRecord } from '../../restore/history.js';
import { readMsdbHistory } from '../../restore/msdb.js';
import { refuseTargetNameUpFront, renderRestore, scriptText, type RenderedPlan } from '../../restore/tsql.js';
import { logBackupLoss, stopAtLsn } from '../../backup/log-commits.js';
import { BACKUP_HEADER_WARNING } from '../../backup/mtf.js';
import { restoreStopTimeClockWarning } from '../../replay/stop-time-clock.js';
import { compareLsn, formatLsn, lsnFromDecimal, lsnToDecimal, parseLsn, type Lsn } from '../../logreader/lsn.js';
import { chainVlfBoundaryGaps } from '../../backup/chain-boundary.js';
import { LOG_LOSS_CODES, type SkippedItem } from '../../recover/source.js';
import { MssqlRestoreExecutor, runRestore, type RestoreExecutor } from '../../restore/run.js';
import { hideArgvSecrets, resolveConnection } from '../../util/connection.js';
import { commentText, splitQualifiedName, stagedTableName, tableListText } from '../../util/tsql.js';
import { ROW_PROVENANCE } from '../../recover/recovered-row.js';
import { catchInterrupts, letSignalsIn, sayInterrupted, type Interruption } from '../interrupt.js';
import { exitIncomplete, INCOMPLETE_EXIT_CODE } from '../strict.js';
import { copiesHead, copiesLeftText, copiesNote } from '../../restore/copies-note.js';
import { appendAll, appendTo } from '../../util/append-all.js';
import { sayLine } from '../stderr-lines.js';

/**
 * `rowback restore plan`: pick the backups that bring a database to a point in time and print
 * the RESTORE script (docs/restore.md). History comes from backup files' headers (`--backups`)
 * or from msdb (`--server --database`); nothing is restored.
 */

export const PLAN_FORMATS = ['text', 'json', 'sql'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface PlanOptions {
  backups?: string[];
  server?: string;
  /** The database's name; several for one database renamed between its backups (chain.ts chooseDatabase). */
  database?: string | string[];
  stopAt?: string;
  stopBeforeLsn?: string;
  as?: string;
  format: PlanFormat;
  standby?: string;
  replaceOriginal?: boolean;
  /** The plan is restore run's, which has no --replace-original: its refusals do not advise it (RenderOptions.noReplaceOriginal). */
  noReplaceOriginal?: boolean;
  /** Plan even when a log backup of the plan lost log the restore needs (refused otherwise: INPUT_RESTORE_LOG_DAMAGED). */
  acceptDamagedLog?: boolean;
  /** Exit 3 (INCOMPLETE_EXIT_CODE) instead of 0 when the plan carries a WARNING of its backups (planWarned). */
  strict?: boolean;
  /** No notes on stderr; WARNINGs and a backup used despite damaged closing blocks (caveat) are still said. */
  quiet?: boolean;
}

/**
 * `--strict` of `restore plan` and `restore run`: exit 3 when the plan carries a WARNING of its
 * backups (planWarned), as scan's --strict does for a backup header's WARNING (strict.ts).
 */
function planStrictOption(command: 'plan' | 'run'): Option {
  return new Option('--strict', `exit with code ${INCOMPLETE_EXIT_CODE} instead of 0 when the plan carries a WARNING: log the restore needs lost and planned over (--accept-damaged-log), or a backup of the plan with one copy of its header damaged (BACKUP_HEADER_WARNING), or a backup of the plan used despite damaged closing blocks (FORMAT_BAD_MTF_TRAILER), or a --stop-at the SQL Server's clock passed twice (its log's commit times run backwards); ${command === 'plan' ? 'the plan is printed whole' : 'the restore runs'} and the WARNING said on stderr all the same (the WITH REPLACE warning of --replace-original, asked for, does not count); a refusal (2), a failure (1) or an interrupt (130/143) keeps its own code`);
}

/** Collects repeated `--database` values (one database's names across a rename), each once (case-insensitively). */
function collectNames(v: string, prev: string[] = []): string[] {
  return prev.some((p) => p.toLowerCase() === v.toLowerCase()) ? prev : [...prev, v];
}

/** Adds `restore plan` and `restore run` to the program. */
export function register(program: Command): void {
  const restore = requireSubcommand(program.command('restore').description('Plan a point-in-time restore from backup history (files or msdb)'));
  restore
    .command('plan')
    .description('Choose the full, differential and log backups that reach a point in time and print the RESTORE script')
    .option('--backups <dirs...>', 'folders (or files) holding the backups; read offline from their headers, no SQL Server needed')
    .option('--server <connection>', 'live SQL Server whose msdb holds the backup history: ADO-style connection string (or MSSQL_* variables)')
    .option('--database <db>', 'database whose backups to plan (required with --server; picks one when the folders hold several); repeatable: each name the database had when it was renamed between its backups (ALTER DATABASE … MODIFY NAME)', collectNames)
    .option('--stop-at <time>', "stop at this time, the SQL Server's local time (YYYY-MM-DD[THH:MM[:SS[.fffffff]]], a space for T, no zone; more than three fractional digits are put on the log's 1/300-second ticks): STOPAT")
    .option('--stop-before-lsn <lsn>', 'stop just before this LSN (any form: 0000002a:000001f0:0003, 42000000049600003, lsn:…): STOPBEFOREMARK')
    .option('--as <name>', 'restore as this new database (files moved next to the originals, renamed after it)')
    .option('--replace-original', 'without --as: restore over the original database and its files (WITH REPLACE) — destroys its current state')
    .option('--standby <file>', 'end in STANDBY (read-only, more logs can follow) with this undo file on the server, instead of RECOVERY')
    .option('--accept-damaged-log', 'plan even when a log backup, or the full or differential backup restored, lost log the restore needs (a damaged or torn block, a gap; refused otherwise, INPUT_RESTORE_LOG_DAMAGED): the damage is said on stderr and as comments at the head of the script; no CONTINUE_AFTER_ERROR is added, so RESTORE LOG stops at the damage')
    .addOption(choiceOption('--format <format>', 'output: text (chain + script), json, or sql (the script only)', PLAN_FORMATS, 'text'))
    .option('--quiet', 'no notes on stderr (the copies of a log backup chosen between, damage the plan does not need: the text and json plans still carry them); still said: every WARNING, a backup of the plan used despite damaged closing blocks (FORMAT_BAD_MTF_TRAILER), INTERRUPTED and the refusals')
    .addOption(planStrictOption('plan'))
    .action(async (opts: PlanOptions) => {
      // Ctrl-C / SIGTERM while the backups' headers are read: no plan printed, one INTERRUPTED line, exit 130 / 143
      const interrupt = catchInterrupts();
      try {
        await runRestorePlan(opts, process.stdout, process.stderr, { interrupt });
      } finally {
        interrupt.release();
      }
    });
  restore
    .command('run')
    .description('Plan as `restore plan` does, then run the RESTORE statements on --server (progress on stderr, Ctrl-C cancels)')
    .requiredOption('--server <connection>', 'SQL Server to restore on (and whose msdb holds the history unless --backups is given)')
    .option('--backups <dirs...>', 'plan from these backup files instead of msdb: read here from their headers, and named in RESTORE … FROM DISK as given, so the SQL Server must reach them at the same paths (a share both see)')
    .option('--database <db>', 'database whose backups to plan; repeatable: each name the database had when it was renamed between its backups', collectNames)
    .option('--stop-at <time>', "stop at this time, the SQL Server's local time: STOPAT")
    .option('--stop-before-lsn <lsn>', 'stop just before this LSN: STOPBEFOREMARK')
    .requiredOption('--as <name>', 'the new database to restore into (run never restores over the original)')
    .option('--overwrite-existing', 'the --as database may already exist and is replaced (WITH REPLACE)')
    .option('--standby <file>', 'end in STANDBY with this undo file instead of RECOVERY')
    .option('--accept-damaged-log', 'run even when a log backup, or the full or differential backup restored, lost log the restore needs (a damaged or torn block, a gap; refused otherwise before connecting, INPUT_RESTORE_LOG_DAMAGED): the damage is said on stderr before the first statement; no CONTINUE_AFTER_ERROR is added, so RESTORE LOG stops at the damage')
    .option('--stats <percent>', 'progress every n percent (STATS = n)', '10')
    .option('--table <schema.name>', 'then compare this table of the restored database with the live one (repeatable or comma-separated): rows the live one lacks or holds changed', (v: string, p: string[] = []) => collectTables(v, p))
    .option('--key <columns>', 'with --table: comma-separated columns identifying a row (default: the clustered index key; whole rows for a heap)')
    .option('--stage <staging.db>', "with --table: stage the missing and changed rows as a job of kind 'restore' (review and re-insert them like scanned rows)")
    .option('--quiet', 'no progress or notes on stderr (the restore steps, the copies of a log backup chosen between, damage the plan does not need); still said: every WARNING, a backup of the plan used despite damaged closing blocks (FORMAT_BAD_MTF_TRAILER) and the refusals')
    .addOption(planStrictOption('run'))
    .action(async (opts: RunCliOptions) => {
      await runRestoreRun(opts);
    });
  refuseExcessArguments(restore);
}

export interface RunCliOptions extends Omit<PlanOptions, 'format'> {
  overwriteExisting?: boolean;
  stats?: string;
  /** Tables to compare, restored database against the live one, after the restore. */
  table?: string[];
  key?: string;
  stage?: string;
}

/**
 * `restore run`: plan (history from --backups or msdb), refuse an existing --as database unless
 * --overwrite-existing, then run each statement with STATS progress on stderr; SIGINT or SIGTERM
 * cancels (SourceError SOURCE_CANCELLED naming how far it got).
 * Prints a one-line summary on stdout. Throws what planRestore and runRestore throw.
 */
export async function runRestoreRun(
  o: RunCliOptions,
  stdout: Writable = process.stdout,
  stderr: Writable = process.stderr,
  deps: PlanDeps & { executor?: (o: RunCliOptions) => RestoreExecutor; signal?: AbortSignal } = {},
): Promise<{ executed: number }> {
  // every time in its sentences in one form, --stop-at's as typed (iso-times-stderr.ts)
  stderr = isoTimesStderr(stderr, [o.stopAt]);
  if (o.as === undefined) throw new InputError('INPUT_BAD_OPTION', 'restore run needs --as NEW_NAME: it never restores over the original database');
  // --as refusals that need no backup (a system database, the --database given): before any is read
  refusePlanOptionsUpFront(o, 'restore run');
  // What the comparison after the restore needs is checked before the restore starts: a bad
  // --key or an unopenable --stage file must not surface only after a long restore has run.
  if (!o.table?.length && (o.key !== undefined || o.stage !== undefined)) {
    throw new InputError('INPUT_BAD_OPTION', `${o.key !== undefined ? '--key' : '--stage'} applies to the comparison of --table SCHEMA.NAME after the restore: give --table`, { field: 'table' });
  }
  parseKeyOption(o.key);
  // a database-qualified --table ([CRM].[dbo].[T], CRM..T) is kept for the tables to judge, and the
  // restored database's tables are read only once the restore ran: refused now, naming no table
  for (const t of o.table ?? []) refuseUndecidedTableUpFront(t);
  warnLocalTimes('restore run', [['--stop-at', o.stopAt, 'start']], stderr);
  if (o.stage !== undefined) checkStagingStore(o.stage);
  const stats = Number(o.stats ?? '10');
  const planOpts: PlanOptions = { ...o, format: 'sql', noReplaceOriginal: true, ...(o.backups?.length ? { server: undefined } : {}) };
  // a plan `restore plan` refuses (log the restore needs lost: INPUT_RESTORE_LOG_DAMAGED) is refused
  // here too, before any connection to the server (it warned, then ran the restore anyway)
  const { chain, logDamage, logNotes, headerWarnings, identityNotes, clockWarning } = await planRestore(planOpts, deps);
  for (const n of identityNotes ?? []) sayLine(`rowback restore run: note: ${n}`, stderr);
  // a backup used despite damage (a damaged MTF trailer, damaged log blocks accepted) is said before its RESTORE runs
  // also with --quiet: the only place it is said (restore run prints no plan)
  sayCaveats('restore run', chain, stderr);
  for (const w of [...(logDamage ?? []), ...(headerWarnings ?? []), ...(clockWarning ? [clockWarning] : [])]) sayLine(`rowback restore run: WARNING: ${w}`, stderr);
  if (!o.quiet) for (const n of logNotes ?? []) sayLine(`rowback restore run: note: ${n}`, stderr);
  hideArgvSecrets();
  const exec = deps.executor ? deps.executor(o) : new MssqlRestoreExecutor(resolveConnection(o.server));
  const ac = new AbortController();
  deps.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  // Ctrl-C or SIGTERM (a service manager, `timeout`) cancels the running statement on the server
  // (SIGTERM killed the process without a word, the server left to notice the lost connection)
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const r = await runRestore(exec, (replaceExisting) => renderRestore(chain, { as: o.as!, standby: o.standby, stats, replaceExisting, noReplaceOriginal: true }).statements, {
      as: o.as,
      overwriteExisting: o.overwriteExisting,
      signal: ac.signal,
      onProgress: (p) => {
        // the statement's own line breaks (rowback writes RESTORE … over several lines) read as
        // spaces here (statementLine); anything else unprintable (a server's message, a line break
        // in a file's name inside its N'…') as sayLine writes it
        if (!o.quiet) sayLine(`rowback restore run: restore step ${p.step}/${p.steps}: ${p.message ?? statementLine(p.statement.slice(0, 120))}`, stderr);
      },
    });
    stdout.write(`restored ${chain.databaseName} as ${o.as}: ${r.executed} statements\n`);
    if (o.table?.length) {
      const runner = deps.runner ? deps.runner(planOpts) : new MssqlRunner(resolveConnection(o.server, process.env, { database: o.as }));
      try {
        await compareRestored(runner, { side: o.as, live: chain.databaseName, tables: o.table, key: o.key, stage: o.stage, signal: ac.signal, description: `${chain.databaseName} restored as ${o.as}`, backup: chain.steps[0].set.devices[0], sourceDatabase: chainSourceDatabase(chain) }, stdout);
      } finally {
        await runner.close();
      }
    }
    // --strict: the restore ran over what the WARNINGs above said (set once all ran: a failure keeps its own code)
    if (planWarned({ chain, logDamage, headerWarnings, clockWarning })) exitIncomplete(o.strict);
    return r;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    await exec.close();
  }
}

/**
 * The database whose backups a chain restores (the rows a `restore run --stage` job stages are
 * read from a copy of it): the full backup's database name, binding id (offline: HEADERONLY
 * BindingID; msdb: backupset.database_guid, the same sys.database_recovery_status.database_guid)
 * and family GUID. The chain's sets are of one database (chain.ts). null when the set states
 * neither a name nor a binding id (re-insert then says the source is not known).
 */
export function chainSourceDatabase(chain: RestoreChain): SourceDatabase | null {
  const set = chain.steps[0]?.set;
  if (!set) return null;
  return sourceDatabaseOf([{ file: set.devices[0] ?? '', role: 'bak', bindingId: set.bindingId ?? set.databaseGuid, databaseName: set.databaseName || null, familyGuid: set.familyGuid ?? null }]);
}

/**
 * After a restore: each table of the side database against the live database on the same server
 * (replay/compare-live.ts), one summary line each on stdout; with `stage`, one `restore` job per
 * table of the missing (delete) and changed (update) rows. The layout comes from the side
 * database's own catalog (sql/table-metadata.sql). Throws InputError INPUT_UNKNOWN_TABLE, and what
 * compareLiveTables throws.
 */
export async function compareRestored(
  runner: SqlRunner,
  o: {
    side: string; live: string; tables: string[]; key?: string; stage?: string; signal?: AbortSignal; description: string;
    /** The chain's full backup (the rows' source). */ backup: string;
    /** The database the restored backups are of (chainSourceDatabase), recorded as the staged job's source database; null: not known. */
    sourceDatabase: SourceDatabase | null;
  },
  stdout: Writable,
): Promise<{ table: string; missing: number; changed: number; jobId: number | null }[]> {
  const catalog = await new LiveSource({ database: o.side, runner }).metadata();
  const out: { table: string; missing: number; changed: number; jobId: number | null }[] = [];
  for (const t of o.tables) {
    const layout = catalog.byName(t);
    if (!layout) {
      const names = catalog.tables().map((x) => stagedTableName(x));
      throw new InputError('INPUT_UNKNOWN_TABLE', `table ${t} is not in the restored database ${o.side}; known tables: ${tableListText(names) || '(none)'}${unknownTableHint(t, names)}`, { table: t });
    }
    const key = parseKeyOption(o.key);
    const r = await compareLiveTables(runner, { sideDatabase: o.side, liveDatabase: o.live, layout, key, signal: o.signal });
    const d = r.diff;
    let jobId: number | null = null;
    // nothing missing or changed: no job of 0 rows to review (as diff --stage)
    const nothing = d.missing.length === 0 && d.changed.length === 0;
    if (o.stage && !nothing) {
      jobId = stageRestoreJob(o.stage, {
        spec: { server: '[redacted]', side: o.side, live: o.live, table: d.table, key: d.key },
        description: `${d.table}: ${o.description}, against ${o.live}: ${d.missing.length} missing, ${d.changed.length} changed`,
        diff: d, layout, source: { kind: 'bak', file: o.backup }, note: `${ROW_PROVENANCE.earlier}database ${o.side} (${o.description})`,
        sourceDatabase: o.sourceDatabase,
        audit: { action: 'job.restore-compare', details: { side: o.side, live: o.live } },
      });
    }
    stdout.write(`${d.table}: ${o.side} ${r.beforeRows} row(s), ${o.live} ${r.afterRows}; ${d.missing.length} missing from ${o.live}, ${d.changed.length} changed, ${d.added} only in ${o.live}, ${d.same} unchanged${d.unsure.length ? `, ${d.unsure.length} not comparable (${unsureKinds(d) === 'U+FFFD' ? "they print alike but hold U+FFFD, which stands for bytes not shown: compare those values' bytes, CONVERT(varbinary, …)" : `${unsureKinds(d)}: see INCOMPLETE`})` : ''}; ${d.key ? `matched on ${r.keySource} (${d.key.join(', ')})` : d.keyNote}${jobId !== null ? `; staged as restore job ${jobId} in ${o.stage}` : o.stage ? `; nothing staged in ${o.stage}` : ''}\n`);
    out.push({ table: d.table, missing: d.missing.length, changed: d.changed.length, jobId });
  }
  return out;
}

/**
 * No stop point given: the refusal also says what the backups reach, read from their history, so
 * the first `restore plan --backups DIR` of a DBA answers "what can these backups reach?" (it said
 * only that a point they do not reach would be refused naming the range: a wrong time had to be
 * given to learn it). Over backup files only (`--backups`; msdb is not read for a refusal). Any
 * other refusal, or a history that cannot be read, is the refusal as it was.
 */
async function withReachable(e: unknown, o: PlanOptions, deps: PlanDeps): Promise<unknown> {
  // files only: a refusal of the options given connects to no server
  if (!(e instanceof InputError) || o.stopAt !== undefined || o.stopBeforeLsn !== undefined || !o.backups?.length || o.server) return e;
  try {
    const sets = chooseDatabase(await loadHistory(o, deps), o.database);
    await addLogCommitTimes(sets, undefined);
    return new InputError(e.code, `${e.message}; ${sets[0]?.databaseName ?? 'the database'}: ${describeReachable(reachableRanges(sets), 'time')}`, e.location);
  } catch (other) {
    // backups of several databases: which, and how to pick one, said with it
    if (other instanceof InputError && other.code === 'INPUT_RESTORE_SEVERAL_DATABASES') return new InputError(e.code, `${e.message}; ${other.message}`, e.location);
    return e;
  }
}

/** `--stop-at` / `--stop-before-lsn` → a target (restore/target.ts parseStopTarget). */
export function parseTarget(o: Pick<PlanOptions, 'stopAt' | 'stopBeforeLsn'>): RestoreTarget {
  return parseStopTarget(o);
}

export interface PlanDeps {
  /** The live runner (tests pass a fake); by default an MssqlRunner on `--server`. */
  runner?: (o: PlanOptions) => SqlRunner;
  /** Ctrl-C / SIGTERM (interrupt.ts): `restore plan` prints no plan once a signal came while planning. */
  interrupt?: Interruption;
}

/**
 * The history options' refusals, which need nothing read (InputError INPUT_BAD_OPTION): not exactly
 * one of --backups / --server, --server without --database.
 */
export function refuseHistoryOptionsUpFront(o: Pick<PlanOptions, 'backups' | 'server' | 'database'>): void {
  const files = (o.backups?.length ?? 0) > 0;
  if (files === Boolean(o.server)) throw new InputError('INPUT_BAD_OPTION', 'give exactly one of --backups DIR… (backup files) or --server CONNECTION --database DB (msdb history)');
  const names = o.database === undefined ? [] : typeof o.database === 'string' ? [o.database] : o.database;
  if (!files && !names.length) throw new InputError('INPUT_BAD_OPTION', '--database is required with --server');
}

/** History from the one source given. Throws InputError INPUT_BAD_OPTION unless exactly one of --backups / --server is given (refuseHistoryOptionsUpFront). */
export async function loadHistory(o: PlanOptions, deps: PlanDeps = {}): Promise<BackupHistory> {
  refuseHistoryOptionsUpFront(o);
  const files = (o.backups?.length ?? 0) > 0;
  if (files) return readFolderHistory(o.backups!);
  const names = o.database === undefined ? [] : typeof o.database === 'string' ? [o.database] : o.database;
  hideArgvSecrets();
  const runner = deps.runner ? deps.runner(o) : new MssqlRunner(resolveConnection(o.server));
  try {
    // msdb names each set as the database was named when it was taken: a renamed database's history is that of each name
    const histories: BackupHistory[] = [];
    for (const n of names) histories.push(await readMsdbHistory(runner, n));
    if (histories.length === 1) return histories[0]!;
    return { sets: histories.flatMap((h) => h.sets), skipped: histories.flatMap((h) => h.skipped), origin: histories.map((h) => h.origin).join(', ') };
  } finally {
    await runner.close();
  }
}

export interface PlanResult {
  chain: RestoreChain;
  rendered: RenderedPlan;
  as: string;
  /**
   * With --accept-damaged-log: one WARNING per log backup file of the plan whose lost log the
   * restore needs (planLogDamage): file, offsets, LSN ranges. Said on stderr (every format), at the
   * head of the script (rendered.warnings: the sql script carries it), in the json plan's
   * `warnings`, and by `restore run` before it runs anything. Without the flag such a plan is refused.
   */
  logDamage?: string[];
  /** Notes on log damage the plan does not need (after the stop point, inside the base backup) and on the copies of a log backup it chose between: on stderr, in the text plan's notes and the json plan's `notes`. */
  logNotes?: string[];
  /** The log backups held by several files: which copy was used and why the others were left (json `logCopies`). */
  logCopies?: PlanLogDamage['copies'];
  /** WARNINGs on the headers of the plan's backups (BackupSetRecord.headerWarnings): said where logDamage is. */
  headerWarnings?: string[];
  /**
   * Of a --stop-at: the WARNING that the server's clock was set back around the stop time, so that it
   * names two moments and STOPAT stops at the first (replay/stop-time-clock.ts
   * restoreStopTimeClockWarning; read from the log backups' files, not from msdb). Said where
   * logDamage is (stderr also with --quiet, the script's head, json `warnings`); not a --strict exit.
   */
  clockWarning?: string;
  /**
   * Notes on backups of the plan's binding id stating other database names (chain.ts renamedNotes:
   * one database renamed, or one attached from copies of another's files): on stderr even with
   * --quiet, as scan and log say them, and among the plan's notes. Absent when the names agree.
   */
  identityNotes?: string[];
}

/** One log backup file of a plan (or a copy of one) whose log does not read whole, and where its loss lies against the stop point. */
export interface LogDamageFinding {
  /** The file as the plan names it, `F` or `F (FILE = n)`. */
  file: string;
  set: BackupSetRecord;
  /** What its log loses (LOG_LOSS_CODES items: file, offset, LSN range). */
  items: SkippedItem[];
  /**
   * True when some of the log it loses is log the restore applies (past the restored base backup's
   * end and at or before the stop point), or where cannot be told (a loss with no LSN, a --stop-at
   * whose stop LSN its readable commits do not give). False when every loss lies after the stop
   * point or inside the base backup (lossNeeded).
   */
  needed: boolean;
}

/** What planLogDamage found: the damage the plan needs, the damage it does not apply, and the copies it chose between. */
export interface PlanLogDamage {
  /** Files whose lost log the plan needs (a refusal without --accept-damaged-log). */
  needed: LogDamageFinding[];
  /** Files whose log loses only log the restore does not apply (after the stop point, or inside the base backup): said in a note, the plan stands. */
  after: LogDamageFinding[];
  /**
   * Log backups held by several files: which was used and why each other one was left (`note`);
   * where every copy loses log the restore needs, `refusedNote` says the same for the refusal,
   * in which nothing was used (the copy a plan with --accept-damaged-log would take).
   */
  copies: Array<{ firstLsn: string; lastLsn: string; backupSetGuid: string | null; used: string; left: Array<{ file: string; why: string }>; note: string; refusedNote?: string }>;
}

const fileOfSet = (s: BackupSetRecord) => `${s.devices[0]}${s.position > 1 ? ` (FILE = ${s.position})` : ''}`;

/** Where one lost item is: `offset N, LSN A to B` (either part when known). */
function lossWhere(x: SkippedItem): string {
  return [
    x.location.offset !== undefined ? `offset ${x.location.offset}` : '',
    x.lsnRange ? `LSN ${x.lsnRange.first} to ${x.lsnRange.last}` : x.location.lsn ? `LSN ${x.location.lsn}` : '',
  ].filter(Boolean).join(', ');
}

/** Up to three lost items of one file, `CODE at offset N, LSN A to B`. */
function lossList(items: readonly SkippedItem[], reasons: boolean): string {
  return `${items.slice(0, 3).map((x) => `${x.code}${lossWhere(x) ? ` at ${lossWhere(x)}` : ''}${reasons ? `: ${x.reason}` : ''}`).join('; ')}${items.length > 3 ? `; … (${items.length} items)` : ''}`;
}

/**
 * The first LSN an item lost (its range's start, else the LSN it names), or null when it names none
 * (the loss could be anywhere). A damaged block (FORMAT_BAD_LOG_BLOCK) carries the range the reader
 * found it lost (reader.ts: between the readable blocks around it, or up to its header's LastLSN
 * at the stream's end, from its FirstLSN at the start), so it is judged by its own range.
 */
function lossFirstLsn(x: SkippedItem): Lsn | null {
  const t = x.lsnRange?.first ?? x.location.lsn;
  if (!t) return null;
  try {
    return parseLsn(t);
  } catch {
    return null;
  }
}

/** Sort order putting the later LSN first; an unknown one (null) last. */
function laterFirst(a: Lsn | null, b: Lsn | null): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  return compareLsn(b, a);
}

/**
 * Whether a log backup's lost log is log the restore applies (see LogDamageFinding.needed): a loss
 * whose LSN range ends at or before `baseEnd` (the restored full or differential backup's LastLSN,
 * decimal: the log before it is in that backup already, and RESTORE LOG skips it; the replay's rule
 * too, REPLAY_LOG_DAMAGED) is not. Otherwise `last` says whether the set is the chain's last step
 * (the one holding the stop point); a loss in an earlier step is needed (all its log is applied).
 * --stop-before-lsn X: a loss starting before X is needed. --stop-at T in the last step: the stop
 * LSN is its first commit later than T (stopAtLsn, STOPAT's rule); a loss starting before it, or
 * any loss when no readable commit is later, is needed. A loss with no known LSN is needed.
 */
async function lossNeeded(set: BackupSetRecord, items: readonly SkippedItem[], target: RestoreTarget, last: boolean, baseEnd: string | null, signal?: AbortSignal): Promise<boolean> {
  const base = baseEnd === null ? null : lsnFromDecimal(baseEnd);
  const inBase = (x: SkippedItem) => {
    if (!base || !x.lsnRange) return false;
    try {
      return compareLsn(parseLsn(x.lsnRange.last), base) <= 0 && compareLsn(parseLsn(x.lsnRange.first), parseLsn(x.lsnRange.last)) < 0;
    } catch {
      return false;
    }
  };
  const applied = items.filter((x) => !inBase(x));
  if (!applied.length) return false;
  if (!last) return true;
  let stop: Lsn | null = null;
  if (target.kind === 'lsn') stop = lsnFromDecimal(target.lsn);
  else {
    const at = await stopAtLsn(set.devices[0]!, set.position, target.time, signal);
    stop = at === null ? null : parseLsn(at);
  }
  if (stop === null) return true;
  return applied.some((x) => {
    const first = lossFirstLsn(x);
    return first === null || compareLsn(first, stop!) < 0;
  });
}

/**
 * The log backups a plan restores from files, their log blocks read (backup/log-commits.ts
 * logBackupLoss: block by block, no record built, one block in memory), and, across two
 * consecutive log backups meeting at a VLF's end, the last block of the earlier one lost
 * (backup/chain-boundary.ts). Each file whose log loses something (a damaged or torn block, a gap,
 * a stream short of its header) is placed against the stop point (lossNeeded). A log backup held
 * by several files (copies: the same first and last LSN and, where both headers give it, the same
 * backup set GUID) has every copy read, and the step takes, in order, a copy whose log reads whole
 * (closing blocks and both header copies whole first), one whose losses the restore does not apply, else the one whose
 * first loss comes latest (the chain's choice, chain.ts pickLog, on a tie); `copies` says which and why the others were left, and, when every copy loses needed
 * log, whether they lose it in the same places. Mutates `chain.steps` (the copy a step uses).
 * `restore plan` read headers only and handed out a RESTORE script for a damaged file without a
 * word. Sets from msdb (paths on the server) and striped log backups are not read; a file whose log
 * commit times were already read whole (history.ts addLogCommitTimes) is not read again.
 */
export async function planLogDamage(chain: RestoreChain, sets: readonly BackupSetRecord[], signal?: AbortSignal): Promise<PlanLogDamage> {
  const readable = (s: BackupSetRecord) => s.backupType === 'log' && s.source === 'file' && s.devices.length === 1 && !s.damaged;
  const lossCache = new Map<BackupSetRecord, SkippedItem[]>();
  const lossOf = async (s: BackupSetRecord): Promise<SkippedItem[]> => {
    let v = lossCache.get(s);
    if (!v) {
      v = s.logCommits?.whole === true ? [] : (await logBackupLoss(s.devices[0]!, s.position, signal)).filter((x) => LOG_LOSS_CODES.has(x.code));
      lossCache.set(s, v);
    }
    return v;
  };
  const copies: PlanLogDamage['copies'] = [];
  const lastIndex = chain.steps.length - 1;
  // the restored full or differential backup's end: log before it is in that backup already
  const baseEnd = chain.steps.filter((st) => st.role !== 'log').at(-1)?.set.lastLsn ?? null;
  for (let i = 0; i < chain.steps.length; i++) {
    const st = chain.steps[i]!;
    if (!readable(st.set)) continue;
    const c = st.set;
    const others = sets.filter((s) => s !== c && readable(s) && s.firstLsn === c.firstLsn && s.lastLsn === c.lastLsn && (s.backupSetGuid === null || c.backupSetGuid === null || s.backupSetGuid === c.backupSetGuid));
    if (!others.length) continue;
    const last = i === lastIndex;
    const judged: Array<{ set: BackupSetRecord; items: SkippedItem[]; needed: boolean; rank: number }> = [];
    for (const s of [c, ...others]) {
      const items = await lossOf(s);
      const needed = await lossNeeded(s, items, chain.target, last, baseEnd, signal);
      // a copy whose header is damaged (a BACKUP_HEADER_WARNING: its set used, one header copy
      // wrong) ranks with one whose closing blocks are damaged: a copy intact throughout is preferred
      judged.push({ set: s, items, needed, rank: items.length === 0 ? (s.caveat || s.headerWarnings?.length ? 1 : 0) : needed ? 3 : 2 });
    }
    // the chain's choice unless another copy is better (stable: the chain's choice first on a tie);
    // of copies that all lose needed log, the one whose first loss comes latest (it reaches furthest)
    const firstLoss = (j: (typeof judged)[number]) => j.items.map(lossFirstLsn).reduce<Lsn | null>((m, x) => (x === null || m === null ? null : compareLsn(x, m) < 0 ? x : m), j.items.length ? lossFirstLsn(j.items[0]!) : null);
    const best = [...judged].sort((a, b) => a.rank - b.rank || (a.rank === 3 ? laterFirst(firstLoss(a), firstLoss(b)) : 0))[0]!;
    st.set = best.set;
    const whyOf = (j: (typeof judged)[number]) =>
      j.items.length === 0
        ? j.set.caveat ? `its log reads whole but its closing blocks are damaged (${j.set.caveat})` : j.set.headerWarnings?.length ? `its log reads whole but one copy of its header is damaged (${BACKUP_HEADER_WARNING})` : 'its log reads whole'
        : `its log does not read whole: ${lossList(j.items, false)}${j.needed ? ', log the restore needs' : ', none of it log the restore applies'}`;
    // a copy as good as the one used (two whole copies): either serves, the chain's choice kept
    const left = judged.filter((j) => j !== best).map((j) => ({ file: fileOfSet(j.set), why: j.rank === best.rank && j.rank < 2 ? `${whyOf(j)} too: either serves, the chain's first choice was kept` : whyOf(j) }));
    const head = copiesHead('log', c, judged.length);
    const leftText = copiesLeftText(left);
    let note = copiesNote('log', c, { file: fileOfSet(best.set), why: whyOf(best) }, left);
    let refusedNote: string | undefined;
    if (best.needed) {
      const places = judged.map((j) => j.items.map(lossWhere).sort().join(' + '));
      const tail = new Set(places).size === 1
        ? '; every copy loses the same log (copies of one damaged file): no copy given holds it'
        : '; the copies lose log in different places, so one holds log another lacks, but RESTORE LOG reads one file: rowback does not merge copies into a backup SQL Server restores (`rowback log` and `scan` given every copy read them together)';
      note += tail;
      // the refusal uses none of them (it said "used F" of a plan it refused)
      refusedNote = `${head}, each losing log the restore needs, so none was used; --accept-damaged-log would use ${fileOfSet(best.set)} (${whyOf(best)}), its first loss the latest, and leave ${leftText}${tail}`;
    }
    copies.push({ firstLsn: c.firstLsn, lastLsn: c.lastLsn, backupSetGuid: c.backupSetGuid, used: fileOfSet(best.set), left, note, ...(refusedNote ? { refusedNote } : {}) });
  }
  const logs = chain.steps.map((st, i) => ({ set: st.set, i })).filter((x) => readable(x.set));
  const byFile = new Map<BackupSetRecord, SkippedItem[]>();
  for (const { set } of logs) {
    const items = await lossOf(set);
    if (items.length) byFile.set(set, [...items]);
  }
  const boundary = await chainVlfBoundaryGaps(logs.map((x) => ({ file: x.set.devices[0]!, position: x.set.position, firstLsn: x.set.firstLsn, lastLsn: x.set.lastLsn })), signal);
  for (const g of boundary) {
    const set = logs.find((x) => x.set.devices[0] === g.item.location.file)?.set;
    if (set) appendTo(byFile, set, g.item);
  }
  const needed: LogDamageFinding[] = [];
  const after: LogDamageFinding[] = [];
  // The restored full and differential backups' own log (the log RESTORE DATABASE reads to bring
  // the copied pages to one point): every record of it is applied, whatever the stop point, so any
  // loss there is needed. It was never read: a full backup whose log block was damaged was planned
  // without a word, and RESTORE DATABASE met the damage on the server.
  // A full or differential backup held by several files (copies: the same type, first and last LSN
  // and, where both headers give it, backup set GUID) has every copy read and the step takes one
  // whose log reads whole (the chain's choice first, an intact header and closing blocks before a
  // flawed one), as for log backups: the first given was taken, and a copy whose log was damaged
  // refused the plan while a whole copy lay in another --backups folder.
  const baseReadable = (s: BackupSetRecord) => s.source === 'file' && s.devices.length === 1 && !s.damaged;
  for (const st of chain.steps) {
    const c = st.set;
    if (st.role === 'log' || !baseReadable(c)) continue;
    const others = sets.filter((s) => s !== c && s.backupType === c.backupType && baseReadable(s) && s.firstLsn === c.firstLsn && s.lastLsn === c.lastLsn && (s.backupSetGuid === null || c.backupSetGuid === null || s.backupSetGuid === c.backupSetGuid));
    const judged: Array<{ set: BackupSetRecord; items: SkippedItem[] }> = [];
    for (const s of [c, ...others]) {
      judged.push({ set: s, items: (await logBackupLoss(s.devices[0]!, s.position, signal)).filter((x) => LOG_LOSS_CODES.has(x.code)) });
      // the chain's choice reads whole and is as intact as any: no other copy needs reading
      if (s === c && !judged[0]!.items.length && !c.caveat && !c.headerWarnings?.length) break;
    }
    const rank = (j: (typeof judged)[number]) => (j.items.length ? 2 : j.set.caveat || j.set.headerWarnings?.length ? 1 : 0);
    const best = [...judged].sort((a, b) => rank(a) - rank(b))[0]!;
    if (judged.length > 1 && best.set !== c && rank(best) < 2) {
      st.set = best.set;
      const why = (j: (typeof judged)[number]) => (j.items.length ? `its log does not read whole: ${lossList(j.items, false)}` : j.set.caveat ? `its log reads whole but its closing blocks are damaged (${j.set.caveat})` : j.set.headerWarnings?.length ? `its log reads whole but one copy of its header is damaged (${BACKUP_HEADER_WARNING})` : 'its log reads whole');
      const left = judged.filter((j) => j !== best).map((j) => ({ file: fileOfSet(j.set), why: why(j) }));
      const note = copiesNote(c.backupType, c, { file: fileOfSet(best.set), why: why(best) }, left);
      copies.push({ firstLsn: c.firstLsn, lastLsn: c.lastLsn, backupSetGuid: c.backupSetGuid, used: fileOfSet(best.set), left, note });
    }
    const b = st.set;
    const items = judged.find((j) => j.set === b)!.items;
    if (items.length) needed.push({ file: fileOfSet(b), set: b, items, needed: true });
  }
  for (const { set, i } of logs) {
    const items = byFile.get(set);
    if (!items) continue;
    const f: LogDamageFinding = { file: fileOfSet(set), set, items, needed: await lossNeeded(set, items, chain.target, i === lastIndex, baseEnd, signal) };
    (f.needed ? needed : after).push(f);
  }
  return { needed, after, copies };
}

/** A WARNING text for damage the plan needs, accepted with --accept-damaged-log. */
function neededWarning(f: LogDamageFinding): string {
  if (f.set.backupType !== 'log') return `${f.file}: the log this ${f.set.backupType} backup holds does not read whole (${lossList(f.items, true)}): RESTORE DATABASE reads all of it to bring the restored pages to one point, so it may fail there, or the restored database lacks that log; planned anyway as --accept-damaged-log asks`;
  return `${f.file}: its log does not read whole and the restore needs the log it lost (${lossList(f.items, true)}): RESTORE LOG of this file may fail there, or the restored database lacks that log, its transactions half applied or missing; planned anyway as --accept-damaged-log asks (no CONTINUE_AFTER_ERROR is added: SQL Server stops at the damage unless you add it yourself)`;
}

/** A note for damage the restore does not apply (after the stop point, or inside the base backup). */
function afterNote(f: LogDamageFinding): string {
  return `${f.file}: its log does not read whole (${lossList(f.items, false)}), none of it log the restore applies (after the stop point, or before the end of the full or differential backup restored, which holds that log): the plan does not need it (RESTORE reads the whole file, so the server may still refuse it: RESTORE VERIFYONLY tells)`;
}

/**
 * The refusal for damage the plan needs (no --accept-damaged-log): InputError
 * INPUT_RESTORE_LOG_DAMAGED (exit 2), one line naming each file, offset and LSN range, the copies
 * given, the latest point before the damage, and the flag. Location: the first file, offset, LSN.
 */
function damageRefusal(target: RestoreTarget, chain: RestoreChain, d: PlanLogDamage): InputError {
  const first = d.needed[0]!;
  // the earliest loss of the first file (files in chain order); a loss of no known LSN could be anywhere: no advice then
  const firsts = first.items.map((x) => ({ x, lsn: lossFirstLsn(x) }));
  const known = firsts.every((f) => f.lsn !== null) ? firsts.sort((a, b) => compareLsn(a.lsn!, b.lsn!)) : [];
  const firstItem = known[0]?.x ?? first.items[0]!;
  const firstLsn = known[0]?.lsn ?? lossFirstLsn(firstItem);
  const base = chain.steps.filter((s) => s.role !== 'log').at(-1)?.set;
  const before = known.length && firstLsn && base && compareLsn(firstLsn, lsnFromDecimal(base.lastLsn)) > 0 ? `; the log before the damage is reached with --stop-before-lsn ${lsnToDecimal(firstLsn)} (${formatLsn(firstLsn)})` : '';
  const copyNote = d.copies.filter((c) => d.needed.some((n) => n.file === c.used)).map((c) => `; ${c.refusedNote ?? c.note}`).join('');
  const what = target.kind === 'time' ? `--stop-at ${target.time}` : `--stop-before-lsn ${target.lsn}`;
  if (first.set.backupType !== 'log') {
    // the base backup's own log: needed by any stop point, so no earlier point is offered
    return new InputError(
      'INPUT_RESTORE_LOG_DAMAGED',
      `${first.file}, the ${first.set.backupType} backup the plan restores, holds log that does not read whole: ${lossList(first.items, false)}; RESTORE DATABASE reads all of that log to bring the restored pages to one point (any stop point needs it), so it fails there, or the restored database lacks that log${d.needed.length > 1 ? `; besides, ${d.needed.slice(1).map((f) => `${f.file}: ${lossList(f.items, false)}`).join('; ')}` : ''}; fetch a whole copy of that file again (from wherever the backups are kept), add it to the --backups folders (in place of this one or beside it: of copies of that backup, the plan takes one whose log reads whole) and run the command again (\`rowback inspect FILE\` says INCOMPLETE for a copy that does not read whole), or plan from another full backup; or give --accept-damaged-log to get the script anyway`,
      { file: first.set.devices[0], ...(firstItem.location.offset !== undefined ? { offset: firstItem.location.offset } : {}), ...(firstLsn ? { lsn: formatLsn(firstLsn) } : {}) },
    );
  }
  return new InputError(
    'INPUT_RESTORE_LOG_DAMAGED',
    `${what} needs log that ${d.needed.length === 1 ? 'a log backup of the plan' : `${d.needed.length} log backups of the plan`} lost: ${d.needed.map((f) => `${f.file}: ${lossList(f.items, false)}`).join('; ')} (RESTORE LOG fails there, or the restored database lacks that log)${copyNote}${before}; fetch a whole copy of ${d.needed.length === 1 ? 'that file' : 'those files'} again (from wherever the backups are kept), add it to the --backups folders and run the command again: the plan takes the copy whose log reads whole (\`rowback inspect FILE\` says INCOMPLETE for one that does not); or give --accept-damaged-log to get the script anyway`,
    { file: first.set.devices[0], ...(firstItem.location.offset !== undefined ? { offset: firstItem.location.offset } : {}), ...(firstLsn ? { lsn: formatLsn(firstLsn) } : {}) },
  );
}

/**
 * A refusal of planChain (INPUT_RESTORE_*) whose location is a log backup whose log the planner read
 * for its commit times and found not whole (history.ts addLogCommitTimes). INPUT_RESTORE_TARGET_AT_BOUNDARY
 * there: the commits it lost are why the time cannot be placed, so the refusal becomes
 * INPUT_RESTORE_LOG_DAMAGED naming the file, offset and LSN range first, the planner's own words
 * after (it blamed the backup's run, the damage said only in passing). Another refusal there (a
 * gap after it, a time after its finish) keeps its code, the damage named after it. Other refusals
 * are returned as they are.
 */
async function damageBehindRefusal(e: unknown, sets: readonly BackupSetRecord[], signal?: AbortSignal): Promise<unknown> {
  if (!(e instanceof InputError) || !e.code.startsWith('INPUT_RESTORE_')) return e;
  const file = e.location?.file;
  const set = sets.find((s) => s.backupType === 'log' && s.source === 'file' && s.devices.length === 1 && s.devices[0] === file && s.logCommits && !s.logCommits.whole);
  if (!set) return e;
  const items = (await logBackupLoss(set.devices[0]!, set.position, signal)).filter((x) => LOG_LOSS_CODES.has(x.code));
  if (!items.length) return e;
  const lsn = items.map(lossFirstLsn).find((x) => x !== null);
  // another refusal at that file (a gap after it, a time after its finish): the damage is not why, but said
  if (e.code !== 'INPUT_RESTORE_TARGET_AT_BOUNDARY') return new InputError(e.code, `${e.message}; besides, ${fileOfSet(set)}'s log is damaged (${lossList(items, false)})`, e.location);
  return new InputError(
    'INPUT_RESTORE_LOG_DAMAGED',
    `${fileOfSet(set)}'s log is damaged (${lossList(items, false)}), and the commits it lost are why the target cannot be placed: fetch a whole copy of that file again (from wherever the backups are kept), add it to the --backups folders and run the command again (\`rowback inspect FILE\` says INCOMPLETE for a copy that does not read whole); ${e.code}: ${e.message}`,
    { file: set.devices[0], ...(items[0]!.location.offset !== undefined ? { offset: items[0]!.location.offset } : {}), ...(lsn ? { lsn: formatLsn(lsn) } : {}) },
  );
}

/**
 * What restore plan and run refuse of their options before any backup is read (argument
 * validation): --as and --replace-original together, an --as that is no sysname, neither given
 * (INPUT_RESTORE_OVER_ORIGINAL), an --as naming the one --database given or a system database
 * (tsql.ts refuseTargetNameUpFront). Throws InputError.
 */
export function refusePlanOptionsUpFront(o: Pick<PlanOptions, 'as' | 'replaceOriginal' | 'database'>, command = 'restore plan'): void {
  if (o.as !== undefined && (o.as.length === 0 || o.as.length > 128)) {
    throw new InputError('INPUT_BAD_OPTION', `--as '${o.as.length > 40 ? `${o.as.slice(0, 40)}…` : o.as}' must be a database name of 1–128 characters (sysname), got ${o.as.length}`);
  }
  if (o.as !== undefined && o.replaceOriginal) throw new InputError('INPUT_BAD_OPTION', '--as and --replace-original exclude each other');
  refuseTargetNameUpFront(command, o);
}

/**
 * Plans and renders. Log damage the plan needs (planLogDamage) is refused, InputError
 * INPUT_RESTORE_LOG_DAMAGED, unless `acceptDamagedLog`: then each is a WARNING in `logDamage` and
 * at the head of the script. Throws what loadHistory, chooseDatabase, planChain and renderRestore
 * throw (a planChain refusal caused by a damaged log backup as INPUT_RESTORE_LOG_DAMAGED).
 */
export async function planRestore(o: PlanOptions, deps: PlanDeps = {}): Promise<PlanResult> {
  // the options' refusals that need no backup, made before any is read: the history's source, the
  // stop point's form, the target name (a plan with no --as read every backup's header and log,
  // then was refused INPUT_RESTORE_OVER_ORIGINAL)
  refuseHistoryOptionsUpFront(o);
  let target: RestoreTarget;
  try {
    target = parseTarget(o);
  } catch (e) {
    // no stop point at all: the refusal reads the backups to say what they reach (withReachable),
    // and says the missing --as with it, one line for both
    const noStop = o.stopAt === undefined && o.stopBeforeLsn === undefined;
    if (!noStop) throw e;
    let asToo = '';
    try {
      refusePlanOptionsUpFront(o);
    } catch (n) {
      if (!(n instanceof InputError)) throw n;
      asToo = n.code === 'INPUT_RESTORE_OVER_ORIGINAL' ? 'give --as NEW_NAME (a side database, recommended) or --replace-original as well' : `besides, ${n.code}: ${n.message}`;
    }
    const r = await withReachable(e, o, deps);
    throw asToo && r instanceof InputError ? new InputError(r.code, `${r.message}; ${asToo}`, r.location) : r;
  }
  refusePlanOptionsUpFront(o);
  const history = await loadHistory(o, deps);
  const sets = chooseDatabase(history, o.database);
  // several names given for one binding id (a database renamed between its backups): planned as one, said
  const identityNotes = renamedNotes(sets);
  // backups of the binding id under a name not given (renamed, or a copy attached from its files): left out, said
  const others = otherNameSets(history.sets, sets);
  const othersHint = others.length ? otherNamesHint(sets, others) : null;
  if (othersHint) identityNotes.push(othersHint);
  // a log backup file whose finish date is unknown, or that ran at the time (or ends the chain): its own commit times place a --stop-at after its start;
  // a log backup in two files (a copy): each read, so the chain takes one whose log reads whole
  await addLogCommitTimes(sets, target.kind === 'time' ? target.time : undefined);
  let chain: RestoreChain;
  try {
    chain = planChain(sets, target, history.skipped);
  } catch (e) {
    const d = await damageBehindRefusal(e, sets, deps.interrupt?.signal);
    // the refusal may be the rename's (the log after it is under the other name): its reading said with it
    if (othersHint && d instanceof InputError && d.code.startsWith('INPUT_RESTORE_')) throw new InputError(d.code, `${d.message}; ${othersHint}`, d.location);
    throw d;
  }
  const as = o.as ?? chain.databaseName;
  let damage = await planLogDamage(chain, sets, deps.interrupt?.signal);
  // A differential backup whose own log does not read whole (every copy of it): the plan is made
  // without it where the full backup and the log backups reach the target with no loss the restore
  // needs (a differential only shortens the chain), with a note; it was refused, naming the
  // differential, while the log backups given held a whole way past it.
  const diffNotes: string[] = [];
  const badDiffs = damage.needed.filter((f) => f.set.backupType === 'differential' && chain.steps.some((st) => st.role !== 'log' && st.set === f.set));
  if (badDiffs.length) {
    const left = sets.filter((s) => !badDiffs.some((f) => s.backupType === 'differential' && s.firstLsn === f.set.firstLsn && s.lastLsn === f.set.lastLsn));
    let alt: { chain: RestoreChain; damage: PlanLogDamage } | null = null;
    try {
      const c2 = planChain(left, target, history.skipped);
      const d2 = await planLogDamage(c2, left, deps.interrupt?.signal);
      if (!d2.needed.length) alt = { chain: c2, damage: d2 };
    } catch (e) {
      // Ctrl-C while the other plan's backups were read is an interrupt, not "no other plan"
      if (deps.interrupt?.signal?.aborted) throw e;
      alt = null;
    }
    if (alt) {
      chain = alt.chain;
      damage = alt.damage;
      for (const f of badDiffs) diffNotes.push(`${f.file}: the log this differential backup holds does not read whole (${lossList(f.items, false)}): RESTORE DATABASE of it would fail there, or the restored database lack that log, so the plan goes without it, from the full backup and the log backups, which hold that log whole`);
    }
  }
  if (damage.needed.length && !o.acceptDamagedLog) throw damageRefusal(target, chain, damage);
  for (const c of damage.copies) chain.notes.push(c.note);
  for (const f of damage.after) chain.notes.push(afterNote(f));
  appendAll(chain.notes, diffNotes);
  // before the others, in place (the array may be held elsewhere); no spread call (util/append-all.ts)
  appendAll(chain.notes, appendAll(identityNotes.slice(), chain.notes.splice(0)));
  const rendered = renderRestore(chain, { as, replaceOriginal: o.replaceOriginal, standby: o.standby, ...(o.noReplaceOriginal ? { noReplaceOriginal: true } : {}) });
  const logDamage = damage.needed.map(neededWarning);
  const headerWarnings = chain.steps.flatMap((st) => st.set.headerWarnings ?? []);
  // a stop time the server's clock passed twice (a daylight-saving fold): STOPAT stops at the first
  // moment; said as dump and diff say it, from the log backups' commit records (files only)
  // (the stop time as STOPAT rounds it to datetime's ticks, as the replay compares it)
  const stopAt = asStopAtTarget(chain.target);
  const clockWarning = stopAt.kind === 'time' ? await restoreStopTimeClockWarning(chain.steps.filter((st) => st.role === 'log').map((st) => st.set), sets, stopAt.time, deps.interrupt?.signal) : undefined;
  // at the head of the script itself (every format): a script piped into sqlcmd carries the damage it was planned over
  appendAll(rendered.warnings, appendAll([...logDamage, ...headerWarnings, ...(clockWarning ? [clockWarning] : [])].map((w) => `WARNING: ${w}`), rendered.warnings.splice(0)));
  return { chain, rendered, as, logDamage, ...(clockWarning ? { clockWarning } : {}), logNotes: [...damage.copies.map((c) => c.note), ...damage.after.map(afterNote), ...diffNotes], logCopies: damage.copies.map(({ refusedNote: _refused, ...c }) => c), ...(headerWarnings.length ? { headerWarnings } : {}), ...(identityNotes.length ? { identityNotes } : {}) };
}

function stepJson(s: RestoreChain['steps'][number]) {
  const b = s.set;
  return {
    role: s.role,
    devices: b.devices,
    position: b.position,
    firstLsn: b.firstLsn,
    lastLsn: b.lastLsn,
    backupStartDate: b.backupStartDate,
    backupFinishDate: b.backupFinishDate,
    // the server's offset from UTC at the backup's start (its file's header, msdb time_zone), and the start as UTC; null where unknown
    utcOffset: b.utcOffset ?? null,
    backupStartDateUtc: b.backupStartDateUtc ?? null,
    backupSetGuid: b.backupSetGuid,
    differentialBaseGuid: b.differentialBaseGuid,
    copyOnly: b.copyOnly,
    source: b.source,
  };
}

/**
 * `statement` (T-SQL rowback wrote, or its start) on one line for a step line: its own line breaks
 * (between clauses) as one space each run, while a string literal (`N'…'`, `''` inside) or a
 * bracketed name (`[…]`, `]]` inside) keeps its characters, a line break in a file's name included
 * (sayLine writes it `\u{a}`): a file `Stop<LF>At.bak` read `N'…/Stop At.bak'`, another file. A
 * literal cut by the 120-character cut runs to the end. Pure.
 */
export function statementLine(statement: string): string {
  return statement.replace(/N?'(?:[^']|'')*'?|\[(?:[^\]]|\]\])*\]?|[\r\n]+/g, (m) => (m[0] === '\r' || m[0] === '\n' ? ' ' : m));
}

/**
 * The plan's backups used despite damage (BackupSetRecord.caveat: a damaged MTF trailer, whose
 * backup finish date is unknown and which SQL Server's RESTORE may refuse), one stderr line each:
 * `--format sql` prints the script alone and `restore run` no plan, so the note the text and json
 * plans carry was said nowhere. A file named with a line break is written `\u{a}` (sayLine), as in
 * every line (its line breaks were written as spaces, naming another file).
 */
function sayCaveats(command: string, chain: { steps: Array<{ set: { caveat?: string } }> }, stderr: Writable): void {
  for (const st of chain.steps) if (st.set.caveat) sayLine(`rowback ${command}: note: ${st.set.caveat}`, stderr);
}

/** The plan as JSON (format json). */
export function planJson(r: PlanResult): unknown {
  const c = r.chain;
  return {
    database: c.databaseName,
    as: r.as,
    target: c.target.kind === 'time' ? { stopAt: c.target.time, timeZone: 'SQL Server local time' } : { stopBeforeLsn: c.target.lsn },
    // what the steps' and reachable ranges' dates are (HEADERONLY's, msdb's): said whatever the
    // target; a plan stopping before an LSN said it nowhere (inspect's JSON says it the same way)
    timeZone: 'SQL Server local time',
    steps: c.steps.map(stepJson),
    moves: r.rendered.moves,
    reachable: c.reachable.map((x) => ({ fromTime: x.fromTime, toTime: x.toTime, toBeforeTime: x.toBeforeTime, fromLsn: x.fromLsn, toLsn: x.toLsn, full: x.full.devices, ...(x.differential ? { differential: x.differential.devices } : {}), ...(x.bulkLogged.length ? { bulkLogged: x.bulkLogged } : {}) })),
    // rendered.warnings holds the accepted log damage and the header warnings first (planRestore)
    warnings: r.rendered.warnings,
    notes: c.notes,
    logCopies: r.logCopies ?? [],
    skipped: c.skipped,
    tsql: r.rendered.statements,
  };
}

/**
 * restore run's check of one `--table` before anything is read: the restored database's tables are
 * read only once RESTORE has run (hours, for a large database), so a name only they could decide is
 * refused now, not after it. Throws InputError INPUT_BAD_IDENTIFIER (normalizeTableName with no
 * multi-part keep) for a database-qualified name in any bracketed or `..` form, and for plain dotted
 * text of three or more parts (`RestoreTimeClean.dbo.steps`), which dump and scan resolve against the
 * tables read (a table `Order.Items` of schema dbo, or a database part), saying the two ways to give it.
 */
export function refuseUndecidedTableUpFront(t: string): void {
  normalizeTableName(t, '--table', false);
  try {
    splitQualifiedName(t);
  } catch {
    const parts = t.trim().split('.');
    throw new InputError('INPUT_BAD_IDENTIFIER', `--table '${t}': a name of ${parts.length} dotted parts, which only the restored database's tables could decide (a database part, or a dot in the table's name), and restore run reads them only once the restore has run: refused now rather than after it; give schema.name without the database (${parts.slice(-2).join('.')}), or bracket a name that holds a dot ([${parts[0]}].[${parts.slice(1).join('.')}])`, { table: t });
  }
}

/** The plan as text (format text): the chain, what was skipped, then the script. */
export function planText(r: PlanResult): string {
  const c = r.chain;
  // the steps' backup dates are the SQL Server's local time (HEADERONLY's); a stop time says so of
  // itself, and a stop before an LSN said no zone at all beside the dates below it
  const t = c.target.kind === 'time' ? `stop at ${c.target.time} (SQL Server local time)` : `stop before LSN ${c.target.lsn}; the backup dates below are the SQL Server's local time`;
  const lines = [`-- restore plan: ${c.databaseName} as ${r.as}, ${t}`];
  c.steps.forEach((s, i) => {
    const b = s.set;
    lines.push(`--   ${i + 1}. ${s.role.padEnd(12)} ${b.devices.join(' + ')}${b.position > 1 ? ` (FILE = ${b.position})` : ''}  LSN ${bothForms(b.firstLsn)}..${bothForms(b.lastLsn)}  ${b.backupStartDate ?? '?'}..${b.backupFinishDate ?? '?'}${b.utcOffset ? ` (UTC${b.utcOffset}: started ${b.backupStartDateUtc ?? '?'})` : ''}${b.copyOnly ? '  copy-only' : ''}`);
  });
  lines.push(`-- ${describeReachable(c.reachable, c.target.kind)}`);
  for (const n of c.notes) lines.push(`-- note: ${n}`);
  for (const s of c.skipped) lines.push(`-- skipped: ${s.file}: ${s.code}: ${s.reason}`);
  // Names come from files and msdb: keep every comment on one line.
  return lines.map((l) => `--${commentText(l.slice(2))}`).join('\n') + '\n' + scriptText(r.rendered);
}

/**
 * `restore plan`: plans, writes warnings (--replace-original) on stderr, and the plan on stdout in
 * the chosen format. With `deps.interrupt` and a signal while planning: no plan, one INTERRUPTED
 * line, exit 130 / 143, null. Throws what planRestore throws (InputError for every refusal, exit 2).
 */
export async function runRestorePlan(o: PlanOptions, stdout: Writable = process.stdout, stderr: Writable = process.stderr, deps: PlanDeps = {}): Promise<PlanResult | null> {
  // every time in its sentences in one form, --stop-at's as typed (iso-times-stderr.ts)
  stderr = isoTimesStderr(stderr, [o.stopAt]);
  const interrupt = deps.interrupt;
  warnLocalTimes('restore plan', [['--stop-at', o.stopAt, 'start']], stderr);
  let r: PlanResult;
  try {
    r = await planRestore(o, deps);
    // the headers are read synchronously: a signal during them is heard now
    if (interrupt) await letSignalsIn();
  } catch (e) {
    if (!interrupt?.by) throw e;
  }
  if (interrupt?.by) {
    sayInterrupted('restore plan', interrupt.by, 'stopped while reading the backup history; no plan was printed', stderr);
    return null;
  }
  const plan = r!; // planned: the catch rethrows unless interrupted
  // the script first: a refusal of it (scriptText: a name it cannot carry) is then the one line said
  const text = o.format === 'sql' ? scriptText(plan.rendered) : o.format === 'json' ? null : planText(plan);
  // said in every format (the sql script alone on stdout carries none of it), before the script; also with --quiet
  const loud = [...(plan.logDamage ?? []), ...(plan.headerWarnings ?? []), ...(plan.clockWarning ? [plan.clockWarning] : [])];
  for (const w of loud) sayLine(`rowback restore plan: WARNING: ${w}`, stderr);
  for (const n of plan.identityNotes ?? []) sayLine(`rowback restore plan: note: ${n}`, stderr);
  if (!o.quiet) for (const n of plan.logNotes ?? []) sayLine(`rowback restore plan: note: ${n}`, stderr);
  for (const w of plan.rendered.warnings) if (!loud.some((d) => w === `WARNING: ${d}`)) sayLine(`rowback restore plan: ${w}`, stderr);
  if (o.format === 'json') stdout.write(JSON.stringify(planJson(plan), null, 2) + '\n');
  else if (o.format === 'sql') {
    // the script alone on stdout: a backup used despite damage is said on stderr (text and json carry it as a note),
    // also with --quiet: the script carries none of it, so nothing else would
    sayCaveats('restore plan', plan.chain, stderr);
    stdout.write(text!);
  }
  else stdout.write(text!);
  // --strict: exit 3 for a plan carrying a WARNING (written whole first), so that
  // `rowback restore plan … --strict && sqlcmd -i plan.sql` does not run it unread
  if (planWarned(plan)) exitIncomplete(o.strict);
  return plan;
}

/**
 * Whether a plan carries a WARNING of its backups, what `--strict` exits 3 for: log the restore
 * needs lost and accepted (`logDamage`, --accept-damaged-log), a WARNING on the header of one of
 * its backups (`headerWarnings`, BACKUP_HEADER_WARNING: one header copy damaged, the set used), or
 * a backup of the plan used despite damaged closing blocks (`caveat`, FORMAT_BAD_MTF_TRAILER: its
 * finish date unknown, and whether SQL Server's RESTORE reads it only the server tells; it exited 0,
 * so `--strict && sqlcmd -i plan.sql` ran such a plan as if over whole backups), or a --stop-at the
 * server's clock passed twice (`clockWarning`: the log's commit times run backwards past the stop, so
 * STOPAT may stop at the other moment than the one meant; said at the head of the script and on
 * stderr, it exited 0 all the same). The WITH REPLACE
 * warning of --replace-original (asked for) and the notes of damage the plan does not need or of
 * the copies chosen between (`logNotes`) do not count.
 */
export function planWarned(p: Pick<PlanResult, 'chain' | 'logDamage' | 'headerWarnings' | 'clockWarning'>): boolean {
  return (p.logDamage?.length ?? 0) + (p.headerWarnings?.length ?? 0) > 0 || !!p.clockWarning || p.chain.steps.some((st) => !!st.set.caveat);
}
