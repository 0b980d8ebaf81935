import type { Writable } from 'node:stream';
import { warnLocalTimes } from '../local-time-warnings.js';
import { Command, Option } from 'commander';
import { InputError } from '../../errors.js';
import { MssqlRunner, type SqlRunner } from '../../logreader/live/runner.js';
import { parseStopTarget } from '../../restore/target.js';
import { compareLiveTables } from '../../replay/compare-live.js';
import { parseKeyOption } from '../../replay/compare.js';
import { LiveSource } from '../../recover/sources/live.js';
import { checkStagingStore } from '../../staging/open.js';
import { normalizeTableName, refuseExcessArguments, requireSubcommand, singleValue } from '../options.js';
import { stageRestoreJob } from '../stage-restore-job.js';
import { sourceDatabaseOf } from '../../reinsert/source-database.js';
import type { SourceDatabase } from '../../staging/types.js';
import { chooseDatabase, describeReachable, planChain, type RestoreChain, type RestoreTarget } from '../../restore/chain.js';
import { addLogCommitTimes, readFolderHistory, type BackupHistory } from '../../restore/history.js';
import { readMsdbHistory } from '../../restore/msdb.js';
import { renderRestore, scriptText, type RenderedPlan } from '../../restore/tsql.js';
import { logBackupLoss } from '../../backup/log-commits.js';
import { chainVlfBoundaryGaps } from '../../backup/chain-boundary.js';
import { LOG_LOSS_CODES, type SkippedItem } from '../../recover/source.js';
import { MssqlRestoreExecutor, runRestore, type RestoreExecutor } from '../../restore/run.js';
import { hideArgvSecrets, resolveConnection } from '../../util/connection.js';
import { commentText } from '../../util/tsql.js';
import { catchInterrupts, letSignalsIn, sayInterrupted, type Interruption } from '../interrupt.js';

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
  database?: string;
  stopAt?: string;
  stopBeforeLsn?: string;
  as?: string;
  format: PlanFormat;
  standby?: string;
  replaceOriginal?: boolean;
}

/** Adds `restore plan` and `restore run` to the program. */
export function register(program: Command): void {
  const restore = requireSubcommand(program.command('restore').description('Plan a point-in-time restore from backup history (files or msdb)'));
  restore
    .command('plan')
    .description('Choose the full, differential and log backups that reach a point in time and print the RESTORE script')
    .option('--backups <dirs...>', 'folders (or files) holding the backups; read offline from their headers, no SQL Server needed')
    .option('--server <connection>', 'live SQL Server whose msdb holds the backup history: ADO-style connection string (or MSSQL_* variables)')
    .option('--database <db>', 'database whose backups to plan (required with --server; picks one when the folders hold several)')
    .option('--stop-at <time>', "stop at this time, the SQL Server's local time (YYYY-MM-DD[THH:MM[:SS[.fff]]], no zone): STOPAT")
    .option('--stop-before-lsn <lsn>', 'stop just before this LSN (any form: 0000002a:000001f0:0003, 42000000049600003, lsn:…): STOPBEFOREMARK')
    .option('--as <name>', 'restore as this new database (files moved next to the originals, renamed after it)')
    .option('--replace-original', 'without --as: restore over the original database and its files (WITH REPLACE) — destroys its current state')
    .option('--standby <file>', 'end in STANDBY (read-only, more logs can follow) with this undo file on the server, instead of RECOVERY')
    .addOption(singleValue(new Option('--format <format>', 'output: text (chain + script), json, or sql (the script only)').choices([...PLAN_FORMATS]).default('text')))
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
    .option('--database <db>', 'database whose backups to plan')
    .option('--stop-at <time>', "stop at this time, the SQL Server's local time: STOPAT")
    .option('--stop-before-lsn <lsn>', 'stop just before this LSN: STOPBEFOREMARK')
    .requiredOption('--as <name>', 'the new database to restore into (run never restores over the original)')
    .option('--overwrite-existing', 'the --as database may already exist and is replaced (WITH REPLACE)')
    .option('--standby <file>', 'end in STANDBY with this undo file instead of RECOVERY')
    .option('--stats <percent>', 'progress every n percent (STATS = n)', '10')
    .option('--table <schema.name>', 'then compare this table of the restored database with the live one (repeatable): rows the live one lacks or holds changed', (v: string, p: string[] = []) => [...p, normalizeTableName(v)])
    .option('--key <columns>', 'with --table: comma-separated columns identifying a row (default: the clustered index key; whole rows for a heap)')
    .option('--stage <staging.db>', "with --table: stage the missing and changed rows as a job of kind 'restore' (review and re-insert them like scanned rows)")
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
  if (o.as === undefined) throw new InputError('INPUT_BAD_OPTION', 'restore run needs --as NEW_NAME: it never restores over the original database');
  // What the comparison after the restore needs is checked before the restore starts: a bad
  // --key or an unopenable --stage file must not surface only after a long restore has run.
  if (!o.table?.length && (o.key !== undefined || o.stage !== undefined)) {
    throw new InputError('INPUT_BAD_OPTION', `${o.key !== undefined ? '--key' : '--stage'} applies to the comparison of --table SCHEMA.NAME after the restore: give --table`, { field: 'table' });
  }
  parseKeyOption(o.key);
  warnLocalTimes('restore run', [['--stop-at', o.stopAt, 'start']], stderr);
  if (o.stage !== undefined) checkStagingStore(o.stage);
  const stats = Number(o.stats ?? '10');
  const planOpts: PlanOptions = { ...o, format: 'sql', ...(o.backups?.length ? { server: undefined } : {}) };
  const { chain, logDamage, headerWarnings } = await planRestore(planOpts, deps);
  // a backup used despite damage (a damaged MTF trailer, damaged log blocks) is said before its RESTORE runs
  sayCaveats('restore run', chain, stderr);
  for (const w of [...(logDamage ?? []), ...(headerWarnings ?? [])]) stderr.write(`rowback restore run: WARNING: ${w}\n`);
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
    const r = await runRestore(exec, (replaceExisting) => renderRestore(chain, { as: o.as!, standby: o.standby, stats, replaceExisting }).statements, {
      as: o.as,
      overwriteExisting: o.overwriteExisting,
      signal: ac.signal,
      onProgress: (p) => stderr.write(`rowback: restore step ${p.step}/${p.steps}: ${(p.message ?? p.statement.slice(0, 120)).replace(/[\r\n]+/g, ' ')}\n`),
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
    if (!layout) throw new InputError('INPUT_UNKNOWN_TABLE', `table ${t} is not in the restored database ${o.side}; known tables: ${catalog.tables().map((x) => `${x.schema}.${x.name}`).join(', ') || '(none)'}`, { table: t });
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
        diff: d, layout, source: { kind: 'bak', file: o.backup }, note: `earlier state: database ${o.side} (${o.description})`,
        sourceDatabase: o.sourceDatabase,
        audit: { action: 'job.restore-compare', details: { side: o.side, live: o.live } },
      });
    }
    stdout.write(`${d.table}: ${o.side} ${r.beforeRows} row(s), ${o.live} ${r.afterRows}; ${d.missing.length} missing from ${o.live}, ${d.changed.length} changed, ${d.added} only in ${o.live}, ${d.same} unchanged${d.unsure.length ? `, ${d.unsure.length} not comparable (they print alike but hold U+FFFD, which stands for bytes not shown: compare those values' bytes, CONVERT(varbinary, …))` : ''}; ${d.key ? `matched on ${r.keySource} (${d.key.join(', ')})` : d.keyNote}${jobId !== null ? `; staged as restore job ${jobId} in ${o.stage}` : o.stage ? `; nothing staged in ${o.stage}` : ''}\n`);
    out.push({ table: d.table, missing: d.missing.length, changed: d.changed.length, jobId });
  }
  return out;
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

/** History from the one source given. Throws InputError INPUT_BAD_OPTION unless exactly one of --backups / --server is given. */
export async function loadHistory(o: PlanOptions, deps: PlanDeps = {}): Promise<BackupHistory> {
  const files = (o.backups?.length ?? 0) > 0;
  if (files === Boolean(o.server)) throw new InputError('INPUT_BAD_OPTION', 'give exactly one of --backups DIR… (backup files) or --server CONNECTION --database DB (msdb history)');
  if (files) return readFolderHistory(o.backups!);
  if (!o.database) throw new InputError('INPUT_BAD_OPTION', '--database is required with --server');
  hideArgvSecrets();
  const runner = deps.runner ? deps.runner(o) : new MssqlRunner(resolveConnection(o.server));
  try {
    return await readMsdbHistory(runner, o.database);
  } finally {
    await runner.close();
  }
}

export interface PlanResult {
  chain: RestoreChain;
  rendered: RenderedPlan;
  as: string;
  /**
   * One WARNING per log backup file of the plan whose log blocks do not read whole (planLogDamage):
   * file, offsets, LSN ranges. Said on stderr (every format), in the text plan's header and in the
   * json plan's `warnings`, and by `restore run` before it runs anything.
   */
  logDamage?: string[];
  /** WARNINGs on the headers of the plan's backups (BackupSetRecord.headerWarnings): said where logDamage is. */
  headerWarnings?: string[];
}

/**
 * The log backups a plan restores from files, their log blocks read (backup/log-commits.ts
 * logBackupLoss: block by block, no record built, one block in memory): one WARNING text per file
 * whose log loses something (a damaged or torn block, a gap, a stream short of its header), naming
 * the file, where and which LSNs, and across two consecutive log backups meeting at a VLF's end the
 * last block of the earlier one lost (backup/chain-boundary.ts). `restore plan` read headers only
 * and handed out a RESTORE script for such a file without a word. Sets from msdb (paths on the
 * server) and striped log backups are not read; a file whose log commit times were already read
 * whole (history.ts addLogCommitTimes) is not read again.
 */
export async function planLogDamage(chain: RestoreChain, signal?: AbortSignal): Promise<string[]> {
  const logs = chain.steps.filter((st) => st.role === 'log' && st.set.source === 'file' && st.set.devices.length === 1).map((st) => st.set);
  const byFile = new Map<string, SkippedItem[]>();
  for (const set of logs) {
    if (set.logCommits?.whole === true) continue;
    const items = (await logBackupLoss(set.devices[0]!, set.position, signal)).filter((x) => LOG_LOSS_CODES.has(x.code));
    if (items.length) byFile.set(`${set.devices[0]}${set.position > 1 ? ` (FILE = ${set.position})` : ''}`, items);
  }
  const boundary = await chainVlfBoundaryGaps(logs.map((x) => ({ file: x.devices[0]!, position: x.position, firstLsn: x.firstLsn, lastLsn: x.lastLsn })), signal);
  for (const g of boundary) {
    const k = g.item.location.file!;
    byFile.set(k, [...(byFile.get(k) ?? []), g.item]);
  }
  const where = (x: SkippedItem) => [
    x.location.offset !== undefined ? `offset ${x.location.offset}` : '',
    x.lsnRange ? `LSN ${x.lsnRange.first} to ${x.lsnRange.last}` : x.location.lsn ? `LSN ${x.location.lsn}` : '',
  ].filter(Boolean).join(', ');
  return [...byFile].map(([file, items]) => `${file}: its log does not read whole (${items.length} item(s)): ${items.slice(0, 3).map((x) => `${x.code}${where(x) ? ` at ${where(x)}` : ''}: ${x.reason}`).join('; ')}${items.length > 3 ? '; …' : ''}. RESTORE LOG of this file may fail there, or the database may lack the log it lost (whether the damage lies before the stop point is not checked): check it with \`rowback inspect ${file.replace(/ \(FILE = \d+\)$/, '')}\` and restore from another copy of it if there is one; RESTORE VERIFYONLY on the server tells whether SQL Server reads this one`);
}


/** Plans and renders; throws what loadHistory, chooseDatabase, planChain and renderRestore throw. */
export async function planRestore(o: PlanOptions, deps: PlanDeps = {}): Promise<PlanResult> {
  const target = parseTarget(o);
  if (o.as !== undefined && (o.as.length === 0 || o.as.length > 128)) {
    throw new InputError('INPUT_BAD_OPTION', `--as '${o.as.length > 40 ? `${o.as.slice(0, 40)}…` : o.as}' must be a database name of 1–128 characters (sysname), got ${o.as.length}`);
  }
  if (o.as !== undefined && o.replaceOriginal) throw new InputError('INPUT_BAD_OPTION', '--as and --replace-original exclude each other');
  const history = await loadHistory(o, deps);
  const sets = chooseDatabase(history, o.database);
  // a log backup file whose finish date is unknown, or that ran at the time (or ends the chain): its own commit times place a --stop-at after its start;
  // a log backup in two files (a copy): each read, so the chain takes one whose log reads whole
  await addLogCommitTimes(sets, target.kind === 'time' ? target.time : undefined);
  const chain = planChain(sets, target, history.skipped);
  const as = o.as ?? chain.databaseName;
  const rendered = renderRestore(chain, { as, replaceOriginal: o.replaceOriginal, standby: o.standby });
  const logDamage = await planLogDamage(chain, deps.interrupt?.signal);
  const headerWarnings = chain.steps.flatMap((st) => st.set.headerWarnings ?? []);
  return { chain, rendered, as, logDamage, ...(headerWarnings.length ? { headerWarnings } : {}) };
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
    backupSetGuid: b.backupSetGuid,
    differentialBaseGuid: b.differentialBaseGuid,
    copyOnly: b.copyOnly,
    source: b.source,
  };
}

/**
 * The plan's backups used despite damage (BackupSetRecord.caveat: a damaged MTF trailer, whose
 * backup finish date is unknown and which SQL Server's RESTORE may refuse), one stderr line each:
 * `--format sql` prints the script alone and `restore run` no plan, so the note the text and json
 * plans carry was said nowhere.
 */
function sayCaveats(command: string, chain: { steps: Array<{ set: { caveat?: string } }> }, stderr: Writable): void {
  for (const st of chain.steps) if (st.set.caveat) stderr.write(`rowback ${command}: note: ${st.set.caveat.replace(/[\r\n]+/g, ' ')}\n`);
}

/** The plan as JSON (format json). */
export function planJson(r: PlanResult): unknown {
  const c = r.chain;
  return {
    database: c.databaseName,
    as: r.as,
    target: c.target.kind === 'time' ? { stopAt: c.target.time, timeZone: 'SQL Server local time' } : { stopBeforeLsn: c.target.lsn },
    steps: c.steps.map(stepJson),
    moves: r.rendered.moves,
    reachable: c.reachable.map((x) => ({ fromTime: x.fromTime, toTime: x.toTime, toBeforeTime: x.toBeforeTime, fromLsn: x.fromLsn, toLsn: x.toLsn, full: x.full.devices, ...(x.differential ? { differential: x.differential.devices } : {}) })),
    warnings: [...(r.logDamage ?? []).map((w) => `WARNING: ${w}`), ...(r.headerWarnings ?? []).map((w) => `WARNING: ${w}`), ...r.rendered.warnings],
    notes: c.notes,
    skipped: c.skipped,
    tsql: r.rendered.statements,
  };
}

/** The plan as text (format text): the chain, what was skipped, then the script. */
export function planText(r: PlanResult): string {
  const c = r.chain;
  const t = c.target.kind === 'time' ? `stop at ${c.target.time} (SQL Server local time)` : `stop before LSN ${c.target.lsn}`;
  const lines = [`-- restore plan: ${c.databaseName} as ${r.as}, ${t}`];
  // before the script: a log backup it restores from whose log is damaged
  for (const w of [...(r.logDamage ?? []), ...(r.headerWarnings ?? [])]) lines.push(`-- WARNING: ${w}`);
  c.steps.forEach((s, i) => {
    const b = s.set;
    lines.push(`--   ${i + 1}. ${s.role.padEnd(12)} ${b.devices.join(' + ')}${b.position > 1 ? ` (FILE = ${b.position})` : ''}  LSN ${b.firstLsn}..${b.lastLsn}  ${b.backupStartDate ?? '?'}..${b.backupFinishDate ?? '?'}${b.copyOnly ? '  copy-only' : ''}`);
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
  // said in every format (the sql script alone on stdout carries none of it), before the script
  for (const w of [...(plan.logDamage ?? []), ...(plan.headerWarnings ?? [])]) stderr.write(`rowback restore plan: WARNING: ${w}\n`);
  for (const w of plan.rendered.warnings) stderr.write(`rowback: ${w}\n`);
  if (o.format === 'json') stdout.write(JSON.stringify(planJson(plan), null, 2) + '\n');
  else if (o.format === 'sql') {
    // the script alone on stdout: a backup used despite damage is said on stderr (text and json carry it as a note)
    sayCaveats('restore plan', plan.chain, stderr);
    stdout.write(scriptText(plan.rendered));
  }
  else stdout.write(planText(plan));
  return plan;
}
