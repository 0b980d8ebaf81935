/**
 * `rowback diff`: a table at an earlier point (backups, optionally replayed to a point in time)
 * against a later state (a data file or a newer backup): the rows the later state lacks and the
 * rows it holds changed, printed and optionally staged as a `restore` job for review and
 * re-insert. See docs/restore.md.
 */
import { isoTimesStderr } from '../iso-times-stderr.js';
import { isoLogTimesIn } from '../../recover/log-local-time.js';
import { warnLocalTimes } from '../local-time-warnings.js';
import { REPORT_TIMES, reportingFailure, writeReport } from '../failed-report.js';
import type { ReplayResult } from '../../replay/point-in-time.js';
import { InputError } from '../../errors.js';
import { hasNegativeZero, lineSafeJson, stringifyKeepingNegativeZero } from '../../util/negative-zero.js';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import { unsureKinds, type TableDiff } from '../../replay/table-diff.js';
import { AFTER_POSITION_WITH_MDF, backupSetsNamed, compareTableStates, comparisonNotes, comparisonRowSource, isNewerThanLater, parseKeyOption, replayHeaderWarnings, rowsNewerThanLater, type CompareResult } from '../../replay/compare.js';
import { ROW_PROVENANCE, type RecoveredRow } from '../../recover/recovered-row.js';
import { catchInterrupts, letSignalsIn, sayInterrupted } from '../interrupt.js';
import { stageRestoreJob } from '../stage-restore-job.js';
import { setOutputClosedNote } from '../output-closed.js';
import { assertStopsInOrder, parseStopTarget } from '../../restore/target.js';
import { checkStagingStore } from '../../staging/open.js';
import { assertNotAnInput, assertRegularFile, assertWritableOutput, openOutputFile } from '../files.js';
import { collectTables, formatFromOut, normalizeTableName, outFormatOption, singleValue } from '../options.js';
import { replaySummary } from './dump-point-in-time.js';
import { exitIncomplete, strictOption } from '../strict.js';
import { parseTarget } from './restore.js';
import { appendAll } from '../../util/append-all.js';
import { parseBackupSetPositions, type BackupSetPositions } from '../../backup/set-position.js';
import { backupSetName } from '../../restore/history.js';
import { sayLine, sayLines } from '../stderr-lines.js';

export const DIFF_FORMATS = ['ndjson', 'json'] as const;

/** What a DBA comparing several tables (customers and their contacts) is told: diff compares one. */
const SEVERAL_TABLES = 'diff compares one table: run one diff per table (each with its own --out), or compare several tables in one restore job of `rowback serve` (`tables: ["dbo.A", "dbo.B"]`, docs/restore.md), whose rows are reviewed and re-inserted together';

/**
 * diff's --table: one name. A comma-separated list (as scan, dump and log take) refused as a bad
 * name said nothing of several tables: said as diff's one-table rule (a comma inside [brackets] or
 * "quotes" is part of one name, as normalizeTableName reads it).
 */
function diffTableName(v: string): string {
  try {
    return normalizeTableName(v);
  } catch (e) {
    let several: boolean;
    try { several = collectTables(v, []).length > 1; } catch { several = v.includes(','); }
    if (e instanceof InputError && several) throw new InputError('INPUT_BAD_OPTION', `--table '${v}' names several tables; ${SEVERAL_TABLES}`, { table: v });
    throw e;
  }
}

export interface DiffOptions {
  /** Earlier state: full backup [differential…]. */
  bak: string[];
  /**
   * Backup set of each `bak` file when it holds several (RESTORE … WITH FILE = n): one number for
   * every file, or `N,M,…` one per file in order (a full and a differential that are two sets of one
   * file: `--bak ALL.bak ALL.bak --position 1,2`, as dump reads it); with `trn`, the sets the replay starts from.
   */
  position?: number | string;
  /** Earlier state: log backups replayed over `bak` to `stopAt` / `stopBeforeLsn`. */
  trn?: string[];
  /** Compare with a later state older than the earlier one, on purpose (compare.ts acceptOlderLater). */
  acceptOlderLater?: boolean;
  stopAt?: string;
  stopBeforeLsn?: string;
  /** Later state: data file(s)… */
  afterMdf?: string[];
  /** …or a newer full backup [differential…]. */
  afterBak?: string[];
  /** Backup set of each `afterBak` file when it holds several, or one per file in order (as `position`); not with `afterMdf`. */
  afterPosition?: number | string;
  /** Later state as a point in time: log backups replayed over `afterBak` to `afterStopAt` / `afterStopBeforeLsn`. */
  afterTrn?: string[];
  afterStopAt?: string;
  afterStopBeforeLsn?: string;
  table: string;
  /** Columns to match rows on (default: the clustered index key; whole rows for a heap). */
  key?: string;
  /** Staging file: the missing and changed rows become a job of kind `restore`. */
  stage?: string;
  format: (typeof DIFF_FORMATS)[number];
  out?: string;
  quiet?: boolean;
  /** Exit 3 (not 0) when the comparison is INCOMPLETE: rows compared whose values were decoded with warnings (strict.ts). */
  strict?: boolean;
  /** `table` as typed, before normalizeTableName (the report's `tableAsTyped`); `table` when not given. */
  tableAsTyped?: string;
  /** A JSON report of the comparison for a script (writeDiffReport), as scan, dump and log write. */
  report?: string;
}

/** Adds `diff` to the program (see runDiff). */
export function register(program: Command): void {
  // --table as typed (`steps`, `[dbo].[steps]`), for the report beside the name as found
  let typed: string | undefined;
  program
    .command('diff')
    .description('Compare a table at an earlier point (backups, optionally replayed to a time) with a later state (data file or newer backup): rows the later state lacks or holds changed')
    .requiredOption('--bak <files...>', 'earlier state: full backup, optionally followed by differential backups based on it')
    .option('--position <n[,n…]>', 'backup set of each --bak file to read when a file holds several (RESTORE … WITH FILE = n), or one number per --bak file in order (a full and a differential that are two sets of one file: --bak ALL.bak ALL.bak --position 1,2); with --trn, the sets the replay starts from')
    .option('--trn <files...>', 'earlier state: log backups replayed over --bak up to --stop-at / --stop-before-lsn (every log backup set of each file)')
    .option('--stop-at <time>', "with --trn: the earlier state at this time, the SQL Server's local time (STOPAT)")
    .option('--stop-before-lsn <lsn>', 'with --trn: the earlier state just before this LSN (STOPBEFOREMARK)')
    .option('--after-mdf <files...>', 'later state: the data file (.mdf, with its .ndf files)')
    .option('--after-bak <files...>', 'later state: a newer full backup, optionally followed by differentials based on it')
    .option('--after-position <n[,n…]>', 'backup set of each --after-bak file to read when a file holds several (RESTORE … WITH FILE = n), or one number per --after-bak file in order (--after-bak ALL.bak ALL.bak --after-position 1,2); with --after-trn, the sets the replay starts from')
    .option('--after-trn <files...>', 'later state as a point in time: log backups replayed over --after-bak up to --after-stop-at / --after-stop-before-lsn (every log backup set of each file)')
    .option('--after-stop-at <time>', "with --after-trn: the later state at this time, the SQL Server's local time")
    .option('--after-stop-before-lsn <lsn>', 'with --after-trn: the later state just before this LSN')
    .addOption(singleValue(new Option('--table <schema.name>', 'the table to compare (one: several tables are one diff each, or one restore job of rowback serve, tables: [...])').makeOptionMandatory().argParser((v: string) => { typed = v; return diffTableName(v); }), SEVERAL_TABLES))
    .option('--accept-older-later', 'compare even when the later state is older than the earlier one (refused otherwise): its rows "missing from the later state" are then the rows inserted between the two, listed on purpose; said on stderr and in every staged row: never re-insert them')
    .option('--key <columns>', 'comma-separated columns identifying a row (default: the clustered index key; a heap is compared as whole rows)')
    .option('--stage <staging.db>', "stage the missing and changed rows as a job of kind 'restore' (review and re-insert them like scanned rows); staged once they are all written: a reader closing stdout early (| head) leaves nothing staged, and the EPIPE line says so")
    .addOption(outFormatOption(DIFF_FORMATS, 'ndjson'))
    .option('--out <file>', 'write rows to this file instead of stdout (an existing file is replaced once the result starts to be written; a command refused before that leaves it as it was)')
    .option('--report <file>', 'write the comparison report (table, key, counts of missing/changed/added rows, complete, incomplete, notes, warnings, the staged job) as JSON, as scan --report; written for a refused or failed run too (failed: {code, message, location})')
    .option('--quiet', 'no summary on stderr; still said: INCOMPLETE and INTERRUPTED')
    .addOption(strictOption({ warnings: 'a --stop-at or --after-stop-at the SQL Server\'s clock passed twice' }))
    .action(async (opts: DiffOptions, cmd: Command) => {
      formatFromOut(cmd, opts, DIFF_FORMATS);
      await runDiff({ ...opts, ...(typed !== undefined ? { tableAsTyped: typed } : {}) });
    });
}

/**
 * Runs the comparison and prints it: ndjson lines `{change: 'missing', table, values}` and
 * `{change: 'changed', table, key, columns, before, after}` (json: one array of them), and a
 * summary on stderr. With `stage`, the same rows become one `restore` job (missing rows as
 * operation `delete`, changed rows as `update` with both images). Ctrl-C / SIGTERM (interrupt.ts)
 * stop it: during the comparison nothing is written or staged (a previous --out file is left as
 * it was), during the output what was written is flushed (a JSON array closed) and nothing is
 * staged; one INTERRUPTED line, exit 130 / 143, and `interrupted` set (with an empty difference
 * when the comparison had not ended). With `report`, writes the comparison's report (writeDiffReport)
 * at the end, and `{ times, complete: false, failed: { code, message } }` for a run refused or failed
 * after its options parsed (failed-report.ts reportingFailure). Throws InputError
 * INPUT_BAD_OPTION (exactly one of --after-mdf/--after-bak; --trn needs a stop and a stop needs
 * --trn, likewise --after-trn and --after-stop-*, which replay the later state from --after-bak), INPUT_MIXED_DATABASES, INPUT_UNKNOWN_TABLE, SchemaError SCHEMA_TABLE_CHANGED, and what
 * replayTableAt throws.
 */
/** diff's options that name files it writes: never inputs, and never one another (files.ts assertNotAnInput). */
const DIFF_OUTPUTS = ['out', 'report', 'stage'];

export async function runDiff(opts: DiffOptions, stdout: Writable = process.stdout, stderr: Writable = process.stderr): Promise<TableDiff & { jobId: number | null; interrupted?: NodeJS.Signals }> {
  // every time in its sentences in one form, --stop-at's and --after-stop-at's as typed (iso-times-stderr.ts)
  stderr = isoTimesStderr(stderr, [opts.stopAt, opts.afterStopAt]);
  const started = Date.now();
  // the report path is checked before any work, as --out is (a missing folder, an input, --out itself: one line, nothing read)
  // (the staging file is written too, created when new: a --report naming it, even before it exists, is refused)
  const inputs = { opts, outputs: DIFF_OUTPUTS };
  if (opts.report !== undefined) assertWritableOutput('--report', opts.report, inputs);
  const facts: DiffFacts = { notes: [], warnings: [], incomplete: [] };
  // refused or failed after the options parsed (an unknown table, INTERNAL), or the output cut by
  // its reader: `{ times, complete: false, failed }` (failed-report.ts), never over a file that is not a report
  const result = await reportingFailure(opts.report, inputs, { times: REPORT_TIMES }, () => diffTables(opts, stdout, stderr, facts));
  if (opts.report !== undefined) writeDiffReport(opts, result, facts, Date.now() - started);
  return result;
}

/**
 * What a comparison said, gathered for its report as it runs (runDiff): the notes, WARNING and
 * INCOMPLETE sentences stderr says (without `rowback diff: ` and, for INCOMPLETE, its prefix; said
 * here with --quiet too), and, once compared, the counts and each side's stop point.
 */
interface DiffFacts {
  notes: string[];
  warnings: string[];
  incomplete: string[];
  /** `--position` / `--after-position` as read (parseBackupSetPositions), once read. */
  position?: BackupSetPositions;
  afterPosition?: BackupSetPositions;
  compared?: { beforeRows: number; afterRows: number; keySource: string; reversed?: string; pointInTime: { earlier: DiffStop | null; later: DiffStop | null } };
  /** Changes written to the output (all of them unless cut by a signal). */
  written?: number;
  /** Whether the output stopped before its end (a signal while writing). */
  cut?: boolean;
}

/** A replayed side's stop, as `dump --report`'s `pointInTime` (dump-point-in-time.ts ReportedStop). */
interface DiffStop {
  stopAt?: string;
  stopAtUsed?: string;
  stopBeforeLsn?: string;
  stoppedAtLsn: string | null;
}

/** A side's stop point for the report: the stop as typed, as used (datetime's ticks), and the first record not applied. */
function diffStop(typedAt: string | undefined, typedLsn: string | undefined, r: ReplayResult | undefined): DiffStop | null {
  if (!r) return null;
  const t = r.chain.target;
  return t.kind === 'time'
    ? { stopAt: typedAt ?? t.time, stopAtUsed: t.time, stoppedAtLsn: r.stats.stoppedAt }
    : { stopBeforeLsn: typedLsn ?? t.lsn, stoppedAtLsn: r.stats.stoppedAt };
}

/**
 * Writes `diff --report` (docs/scripting.md): `{ times, table, tableAsTyped, earlier, later,
 * pointInTime: {earlier, later}, key, keySource, keyNote, earlierRows, laterRows, missing, changed,
 * added, unchanged, notComparable, changesWritten, complete, incomplete, interrupted?, reversed?,
 * stagedIn?, jobId?, notes, warnings?, elapsedMs }`. `complete` is false when the comparison is
 * INCOMPLETE (rows compared on values decoded with warnings, rows not comparable) or was
 * interrupted; `warnings` holds every WARNING stderr said, without its `WARNING: ` (each exits 3 under --strict, as an
 * INCOMPLETE one does). Throws InputError INPUT_OUTPUT_UNWRITABLE when the file cannot be written.
 */
function writeDiffReport(opts: DiffOptions, d: TableDiff & { jobId: number | null; interrupted?: NodeJS.Signals }, f: DiffFacts, elapsedMs: number): void {
  // the sentences as stderr says them: every time in one form (isoLogTimesIn), the stop times as typed
  const iso = (t: string) => isoLogTimesIn(t, [opts.stopAt, opts.afterStopAt]);
  const c = f.compared;
  const interrupted = d.interrupted ?? null;
  const report = {
    times: REPORT_TIMES,
    table: c ? d.table : null,
    tableAsTyped: opts.tableAsTyped ?? opts.table,
    earlier: [...opts.bak, ...(opts.trn ?? [])],
    later: [...(opts.afterMdf ?? []), ...(opts.afterBak ?? []), ...(opts.afterTrn ?? [])],
    // as read (one number, or a list of one per file), else as typed when it was refused
    ...(opts.position !== undefined ? { position: f.position ?? String(opts.position) } : {}),
    ...(opts.afterPosition !== undefined ? { afterPosition: f.afterPosition ?? String(opts.afterPosition) } : {}),
    pointInTime: c?.pointInTime ?? {
      earlier: opts.stopAt !== undefined ? { stopAt: opts.stopAt } : opts.stopBeforeLsn !== undefined ? { stopBeforeLsn: opts.stopBeforeLsn } : null,
      later: opts.afterStopAt !== undefined ? { stopAt: opts.afterStopAt } : opts.afterStopBeforeLsn !== undefined ? { stopBeforeLsn: opts.afterStopBeforeLsn } : null,
    },
    key: c ? d.key : null,
    keySource: c ? (d.key ? c.keySource : null) : null,
    keyNote: c ? d.keyNote : null,
    earlierRows: c ? c.beforeRows : null,
    laterRows: c ? c.afterRows : null,
    missing: c ? d.missing.length : null,
    changed: c ? d.changed.length : null,
    added: c ? d.added : null,
    unchanged: c ? d.same : null,
    notComparable: c ? d.unsure.length : null,
    changesWritten: f.written ?? 0,
    complete: !!c && f.incomplete.length === 0 && !interrupted,
    incomplete: f.incomplete.map(iso),
    ...(interrupted ? { interrupted } : {}),
    ...(c?.reversed ? { reversed: c.reversed } : {}),
    ...(opts.stage !== undefined ? { stagedIn: opts.stage, jobId: d.jobId } : {}),
    notes: f.notes.map(iso),
    ...(f.warnings.length ? { warnings: f.warnings.map(iso) } : {}),
    elapsedMs,
  };
  writeReport(opts.report!, report, `the ${f.written ?? 0} change(s) were written${opts.out ? ` to ${opts.out}` : ''}${d.jobId !== null ? ` and staged as restore job ${d.jobId}` : ''}`);
}

/** runDiff's comparison and output, gathering in `facts` what its report says. */
async function diffTables(opts: DiffOptions, stdout: Writable, stderr: Writable, facts: DiffFacts): Promise<TableDiff & { jobId: number | null; interrupted?: NodeJS.Signals }> {
  const timeAdvice = warnLocalTimes('diff', [['--stop-at', opts.stopAt, 'start'], ['--after-stop-at', opts.afterStopAt, 'start']], stderr);
  appendAll(facts.notes, timeAdvice.map((l) => l.slice('rowback diff: '.length)));
  for (const f of opts.afterTrn ?? []) assertRegularFile('--after-trn', f);
  for (const f of opts.bak) assertRegularFile('--bak', f);
  for (const f of opts.trn ?? []) assertRegularFile('--trn', f);
  for (const f of opts.afterMdf ?? []) assertRegularFile('--after-mdf', f);
  for (const f of opts.afterBak ?? []) assertRegularFile('--after-bak', f);
  const stop = opts.stopAt !== undefined || opts.stopBeforeLsn !== undefined;
  const afterStop = opts.afterStopAt !== undefined || opts.afterStopBeforeLsn !== undefined;
  // checked before the replay and comparison run, not after: a bad --key, an unopenable --stage
  const key = parseKeyOption(opts.key);
  // one number for every file of the side, or a list of one per file in order (dump's parser and refusals)
  const position = parseBackupSetPositions('--position', opts.position, opts.bak);
  // with --after-mdf there is no backup file to count: refused as an option that does nothing, whatever its text
  if (opts.afterPosition !== undefined && opts.afterMdf?.length) throw new InputError('INPUT_BAD_OPTION', AFTER_POSITION_WITH_MDF);
  const afterPosition = parseBackupSetPositions('--after-position', opts.afterPosition, opts.afterBak ?? [], '--after-bak');
  if (position !== undefined) facts.position = position;
  if (afterPosition !== undefined) facts.afterPosition = afterPosition;
  // two points in time given the wrong way round would print the rows added between them as
  // "missing from the later state" (re-inserting them duplicates rows that exist): refused
  // (with --accept-older-later compared on purpose, as a later backup older than the earlier state
  // is: the comparison's LSN check says so; this refusal ignored the flag and never named it)
  if (stop && afterStop && !opts.acceptOlderLater) {
    const before = parseTarget(opts);
    const after = parseStopTarget({ stopAt: opts.afterStopAt, stopBeforeLsn: opts.afterStopBeforeLsn }, { stopAt: '--after-stop-at', stopBeforeLsn: '--after-stop-before-lsn' });
    const [b, a] = before.kind === 'time' ? [`--stop-at ${opts.stopAt}`, `--after-stop-at ${opts.afterStopAt}`] : [`--stop-before-lsn ${opts.stopBeforeLsn}`, `--after-stop-before-lsn ${opts.afterStopBeforeLsn}`];
    assertStopsInOrder(before, after, { before: b, after: a, field: a.split(' ')[0], accept: '--accept-older-later' });
  }
  if (opts.stage !== undefined) {
    // a --stage naming an input (`--trn x.trn --stage x.trn`) failed as STAGING_OPEN_FAILED, exit 1,
    // after the whole comparison: refused first, naming the input, as --out and --report are
    assertNotAnInput('--stage', opts.stage, { opts, outputs: DIFF_OUTPUTS });
    checkStagingStore(opts.stage);
  }
  // --stage is an output too: `--out F --stage F`, F new, wrote the rows to F and then failed to
  // open it as the staging store (STAGING_OPEN_FAILED), the rows left in a file named as a store
  const outFile = opts.out ? openOutputFile('--out', opts.out, { opts, outputs: DIFF_OUTPUTS }) : undefined;
  const interrupt = catchInterrupts();
  try {
    let compared: CompareResult | undefined;
    try {
      compared = await compareTableStates({
        bak: opts.bak,
        position,
        afterPosition,
        trn: opts.trn,
        target: stop ? parseTarget(opts) : undefined,
        afterMdf: opts.afterMdf,
        afterBak: opts.afterBak,
        afterTrn: opts.afterTrn,
        afterTarget: afterStop ? parseStopTarget({ stopAt: opts.afterStopAt, stopBeforeLsn: opts.afterStopBeforeLsn }, { stopAt: '--after-stop-at', stopBeforeLsn: '--after-stop-before-lsn' }) : undefined,
        table: opts.table, ...(opts.tableAsTyped !== undefined ? { tableAsTyped: opts.tableAsTyped } : {}),
        key,
        signal: interrupt.signal,
        acceptOlderLater: opts.acceptOlderLater,
        acceptName: '--accept-older-later',
      });
      // a signal during the last synchronous step (reading pages) is heard now
      await letSignalsIn();
    } catch (e) {
      if (!interrupt.by) throw e;
    }
    if (interrupt.by) {
      // --out is opened only when written to (files.ts): a previous result there is left as it was
      sayInterrupted('diff', interrupt.by, `stopped before the comparison was done; nothing was written${opts.out ? ` (${opts.out} left as it was)` : ''}${opts.stage ? ' or staged' : ''}`, stderr);
      return { table: opts.table, columns: [], key: null, keyNote: null, missing: [], changed: [], added: 0, same: 0, unsure: [], jobId: null, interrupted: interrupt.by };
    }
    const r = compared!; // the catch rethrows unless interrupted
    const d = r.diff;
    const layout = r.layout;
    const keySource = r.keySource;
    // each replay's summary lines, said of its side (a line each: a file or table name holding a line
    // break is no line of its own, and no text after it is taken for a line's head)
    // kept with its side as data: the report's notes read it from here, never back from the line (a
    // `(.*)$` stopped at a line break in a file's name: the note lost its side and kept the prefix,
    // ` state: rowback diff (earlier state): chain: full fu<LF>ll.bak → …`)
    const replayedLines = r.replays.flatMap((x) => replaySummary(x.result).map((l) => ({ side: x.side, text: l.replace(/^rowback dump: ?/, '') })));
    const replayLines = replayedLines.map((x) => `rowback diff (${x.side} state): ${x.text}`);

    const out: Writable = outFile ?? stdout;
    const write = (s: string) => new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
    // a row added after the later state (compared as asked: --accept-older-later) says so on its
    // line: when only part of the later state is older, the other "missing" rows are deletes
    const newer = rowsNewerThanLater(r);
    const added = (tag: string | undefined) => (isNewerThanLater(newer, tag) ? { addedAfterLater: true } : {});
    // whole rows compared while the later state holds rows of its own: a "missing" row may be a
    // changed one (compare.ts diffAsRecoveredRows); said on its line, where a script reads it
    const maybeChanged = d.key === null && d.added > 0 ? { mayBeChanged: true } : {};
    const lines: object[] = [
      ...d.missing.map((m) => ({ change: 'missing', table: d.table, values: m.values, ...(isNewerThanLater(newer, m.tag) ? {} : maybeChanged), ...added(m.tag) })),
      ...d.changed.map((c) => ({ change: 'changed', table: d.table, key: c.key, columns: c.columns, before: c.before, after: c.after, ...added(c.tag) })),
    ];
    let written = 0;
    // `diff --stage … | head`: the job is staged after the output is written whole, so a reader that
    // closes stdout first leaves nothing staged; the EPIPE line says so (main.ts, output-closed.ts)
    if (opts.stage && !outFile) setOutputClosedNote(`nothing was staged in ${opts.stage} (the changes are staged only once they are all written: read them to the end, or write them with --out FILE)`);
    if (opts.format === 'json') await write('[');
    for (const l of lines) {
      if (interrupt.by) break;
      const text = lineSafeJson(hasNegativeZero(l) ? stringifyKeepingNegativeZero(l) : JSON.stringify(l));
      await write(opts.format === 'json' ? `${written ? ',' : ''}\n${text}` : `${text}\n`);
      written++;
    }
    // A signal once every change was written (during the output's close) leaves the result whole:
    // it was INTERRUPTED, "only part of the result", and nothing staged (as log, dump and scan were)
    const cut = interrupt.by !== null && written < lines.length;
    const late = interrupt.by !== null && !cut ? interrupt.by : null;
    if (opts.format === 'json') await write(written ? '\n]\n' : ']\n');
    if (opts.out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));

    const summary = `${d.table}: earlier ${r.beforeRows} row(s), later ${r.afterRows} row(s); ` +
      `${d.missing.length} missing from the later state, ${d.changed.length} changed, ${d.added} only in the later state, ${d.same} unchanged${d.unsure.length ? `, ${d.unsure.length} not comparable (${unsureKinds(d)}: see INCOMPLETE)` : ''}; ` +
      `${d.key ? `matched on ${keySource} (${d.key.join(', ')})` : d.keyNote}`;
    const { notes: uncheckedNotes, incomplete } = comparisonNotes(r);
    const replayed = (side: 'earlier' | 'later') => r.replays.find((x) => x.side === side)?.result;
    facts.compared = {
      beforeRows: r.beforeRows, afterRows: r.afterRows, keySource, ...(r.reversed ? { reversed: r.reversed } : {}),
      pointInTime: { earlier: diffStop(opts.stopAt, opts.stopBeforeLsn, replayed('earlier')), later: diffStop(opts.afterStopAt, opts.afterStopBeforeLsn, replayed('later')) },
    };
    facts.written = written;
    facts.cut = cut;
    // the report's notes and warnings, as stderr says them (without `rowback diff: `), --quiet or not:
    // each replay's summary (`earlier state: …`; its lower-case `warning:` advice first, as scan's
    // daylight-saving lines), the summary, each side's notes; WARNING lines in `warnings`
    for (const { side, text } of replayedLines) {
      facts.notes.push(text.startsWith('warning: ') ? `warning: ${side} state: ${text.slice('warning: '.length)}` : `${side} state: ${text}`);
    }
    facts.notes.push(summary);
    // a warning without the `WARNING` stderr puts before it, as scan's, dump's and log's reports
    // have them (and incomplete without `INCOMPLETE: `): diff's kept it, so a script matching a
    // warning's text across the commands' reports found none of diff's
    for (const [i, u] of r.unchecked.entries()) (u.warning ? facts.warnings : facts.notes).push(u.warning ? uncheckedNotes[i]!.replace(/^WARNING /, '') : uncheckedNotes[i]!);
    if (r.reversed) facts.notes.push(`warning: ${r.reversed}`);
    appendAll(facts.incomplete, incomplete.map((l) => l.replace(/^INCOMPLETE: /, '')));
    appendAll(facts.warnings, replayHeaderWarnings(r));

    let jobId: number | null = null;
    // nothing missing or changed: no job of 0 rows to review (it was staged, and listed as a job
    // waiting for review); said even with --quiet, where a script looks for the job's number
    const nothing = d.missing.length === 0 && d.changed.length === 0;
    const nothingLine = `rowback diff: nothing staged in ${opts.stage}: no row of ${d.table} is missing from the later state or changed`;
    // an interrupted output is not staged: a job is the whole difference or nothing
    if (opts.stage && !cut && !nothing) {
      // the job's notes, as a restore job run by the service has them (the review page's "what the
      // job read and how"; they were none: no chain, stop point or counts), and its INCOMPLETE
      // sentences (it was marked complete whatever the comparison said)
      const notes = [
        ...replayedLines.map((x) => `${x.side} state: ${x.text}`),
        summary,
        ...uncheckedNotes,
        ...(r.reversed ? [`warning: ${r.reversed}`] : []),
        // a backup the replay used whose header copies disagree in a field no restore reads: said
        // as WARNING below; the job's `warnings` too (replayHeaderWarnings)
        ...replayHeaderWarnings(r).map((w) => `WARNING: ${w}`),
        ...incomplete,
        // times in the one form of rowback's sentences, as stderr says them (isoLogTimesIn)
      ].map((t) => isoLogTimesIn(t, [opts.stopAt, opts.afterStopAt]));
      // the files the earlier state was read from, as the service's restore job names them in each
      // row's warnings (a replay's chain, else the backups given): a CLI-staged row said only
      // "missing from the later state (rowback diff)"
      const used = r.replays.find((x) => x.side === 'earlier')?.result.chain.steps.map((st) => backupSetName({ ...st.set, devices: [resolve(st.set.devices[0]!)] })) ?? [backupSetsNamed(opts.bak.map((f) => resolve(f)), position).replaceAll(' + ', ', ')];
      const at = opts.stopAt ? `as of ${opts.stopAt}` : opts.stopBeforeLsn ? `just before LSN ${opts.stopBeforeLsn}` : 'as the backup holds it';
      jobId = stageDiff(opts, { position, afterPosition }, d, layout, r.reversed, rowsNewerThanLater(r), notes, comparisonRowSource(r, opts.bak[0]!, position, opts.bak), `${ROW_PROVENANCE.earlier}${used.join(', ')} ${at}`);
      setOutputClosedNote(`restore job ${jobId} was staged in ${opts.stage} with every change`);
    }
    if (!opts.quiet) {
      sayLines(replayLines, stderr);
      sayLine(`rowback diff: ${summary}${jobId !== null ? `; staged as restore job ${jobId} in ${opts.stage}` : ''}`, stderr);
      // as dump says it (a "missing" or "changed" row may come from such a page), per side
      for (const n of uncheckedNotes) sayLine(`rowback diff: ${n}`, stderr);
    } else {
      // with --quiet the job staged is still named: a script needs its number (newcomer)
      if (jobId !== null) sayLine(`rowback diff: staged as restore job ${jobId} in ${opts.stage}`, stderr);
      // and a file whose database could not be checked, as scan and log say it with --quiet
      // and a stop time the server's clock passed twice, as dump says it with --quiet
      for (const [i, u] of r.unchecked.entries()) if (u.identity || u.warning) sayLine(`rowback diff: ${uncheckedNotes[i]}`, stderr);
    }
    if (opts.stage && !cut && nothing) {
      sayLine(nothingLine, stderr);
      facts.notes.push(nothingLine.slice('rowback diff: '.length));
    }
    // Said even with --quiet: the later state is older, as asked (--accept-older-later)
    if (r.reversed) sayLine(`rowback diff: warning: ${r.reversed}`, stderr);
    // Said even with --quiet: a diff is whole or refused (pages it cannot read refuse it), but a
    // row whose values were decoded with warnings (a value that may be wrong, or not decoded) was
    // compared on them, and its verdict (missing, changed, unchanged) may be wrong too.
    for (const line of incomplete) sayLine(`rowback diff: ${line}`, stderr);
    if (r.warned.length && !cut) exitIncomplete(opts.strict);
    // Said even with --quiet, exit 3 under --strict: a backup a replay used has one header copy damaged (ReplayResult.warnings)
    const headerWarnings = replayHeaderWarnings(r);
    for (const w of headerWarnings) sayLine(`rowback diff: WARNING: ${w}`, stderr);
    if (headerWarnings.length && !cut) exitIncomplete(opts.strict);
    // exit 3 under --strict: a --stop-at / --after-stop-at the server's clock passed twice (WARNING said above; it exited 0)
    if (r.unchecked.some((u) => u.warning) && !cut) exitIncomplete(opts.strict);
    if (cut) {
      sayInterrupted('diff', interrupt.by!, `the output stopped before its end; the ${written} of ${lines.length} change(s) written are only part of the result${opts.stage ? ', and nothing was staged' : ''}`, stderr);
      return { ...d, jobId, interrupted: interrupt.by! };
    }
    if (late) {
      const lateNote = `note: ${late} came after every change was written: the ${written} change(s) are the whole result${jobId !== null ? `, staged as restore job ${jobId}` : ''}`;
      sayLine(`rowback diff: ${lateNote}`, stderr);
      facts.notes.push(lateNote);
    }
    return { ...d, jobId };
  } finally {
    interrupt.release();
  }
}

/**
 * Stages the missing rows (operation `delete`) and changed rows (`update`, both images) as one job of
 * kind `restore`; `sets`: `--position` / `--after-position` as read (a number, or one per file).
 */
function stageDiff(given: DiffOptions, sets: { position: BackupSetPositions | undefined; afterPosition: BackupSetPositions | undefined }, d: TableDiff, layout: TableLayout, reversed: string | undefined, newer: boolean | ReadonlySet<string>, notes: string[], givenSource: (tag: string | undefined, from?: string, fromSet?: number) => RecoveredRow['source'], earlier?: string): number {
  // The job is read by the service and its page, from another folder: its files are named by
  // absolute paths (a job staged from the backups' folder read "StDb2Sql.bak against
  // StDb2Sql.bak", and each row's source "StDb2Sql.bak", with no folder to find them in: newcomer)
  const abs = (files: string[] | undefined) => files?.map((f) => resolve(f));
  const opts: DiffOptions = { ...given, bak: abs(given.bak)!, trn: abs(given.trn), afterMdf: abs(given.afterMdf), afterBak: abs(given.afterBak), afterTrn: abs(given.afterTrn) };
  const source = (tag: string | undefined, from?: string, fromSet?: number): RecoveredRow['source'] => {
    const s = givenSource(tag, from, fromSet);
    return s.file !== undefined ? { ...s, file: resolve(s.file) } : s;
  };
  const spec = { bak: opts.bak, trn: opts.trn ?? [], stopAt: opts.stopAt ?? null, stopBeforeLsn: opts.stopBeforeLsn ?? null, afterMdf: opts.afterMdf ?? [], afterBak: opts.afterBak ?? [], afterTrn: opts.afterTrn ?? [], afterStopAt: opts.afterStopAt ?? null, afterStopBeforeLsn: opts.afterStopBeforeLsn ?? null, table: d.table, key: d.key, ...(sets.position !== undefined ? { position: sets.position } : {}), ...(sets.afterPosition !== undefined ? { afterPosition: sets.afterPosition } : {}) };
  const when = opts.stopAt ? ` at ${opts.stopAt}` : opts.stopBeforeLsn ? ` before LSN ${opts.stopBeforeLsn}` : '';
  const later = opts.afterStopAt ? ` at ${opts.afterStopAt}` : opts.afterStopBeforeLsn ? ` before LSN ${opts.afterStopBeforeLsn}` : '';
  // the job list shows the description: "12 missing" read as 12 deleted rows when all 12 were
  // inserted after the older later state (--accept-older-later), staged as inserts (newcomer)
  const isAdded = (tag: string | undefined) => newer === true || (newer !== false && tag !== undefined && newer.has(tag));
  const addedN = reversed ? [...d.missing, ...d.changed].filter((x) => isAdded(x.tag)).length : 0;
  const addedSay = addedN ? ` (${addedN} of them inserted after the later state, which is older: compared on purpose, --accept-older-later; never re-insert them)` : '';
  return stageRestoreJob(opts.stage!, {
    spec,
    // as a restore job of the service describes itself (job-spec.ts describeSpec): every file of each side
    // the set named after each side's backup files, its log backups after it (every log backup set of a
    // --trn file is read): one number after all of them read as the last log backup's set
    description: `${d.table}${when} (${[backupSetsNamed(opts.bak, sets.position).replaceAll(' + ', ', '), ...(opts.trn ?? [])].join(', ')}) against ${(opts.afterMdf ? opts.afterMdf.join(', ') : [backupSetsNamed(opts.afterBak ?? [], sets.afterPosition).replaceAll(' + ', ', '), ...(opts.afterTrn ?? [])].filter(Boolean).join(', '))}${later}: ${d.missing.length} missing, ${d.changed.length} changed${addedSay}`,
    diff: d, layout, source,
    ...(reversed ? { note: `${earlier ? `${earlier}; ` : ''}${reversed}`, reversed: newer } : earlier ? { note: earlier } : {}),
    notes,
    audit: { action: 'job.restore-diff', details: {} },
  });
}
