/**
 * `rowback dump --bak FULL [DIFF] --trn LOG… --stop-at T | --stop-before-lsn L --table X [--table Y…]`:
 * the tables as they stood at a point in time, replayed from backup files alone (src/replay/), each
 * table's rows on their own, the chain read once for all of them (replayTablesAt: one pass over the log).
 */
import { exitCodeOf, letSignalsIn, type Interruption } from '../interrupt.js';
import type { Writable } from 'node:stream';
import { sameNameElsewhereNote } from '../../reconstruct/metadata/names.js';
import { InputError } from '../../errors.js';
import { replayTablesAt, type ReplayResult } from '../../replay/point-in-time.js';
import { csvCell, csvRecord, csvValueHeaders, csvWarningsCell } from '../../util/csv.js';
import { rowJson } from '../../util/negative-zero.js';
import { sayWarnedRows } from '../warned-rows.js';
import { exitIncomplete } from '../strict.js';
import { assertRegularFile, openOutputFile } from '../files.js';
import type { DumpOptions } from './dump.js';
import { tablesTypedWithoutSchema } from '../options.js';
import { parseTarget } from './restore.js';
import { warnLocalTimes } from '../local-time-warnings.js';
import { replaySummary } from '../../replay/summary.js';
import { parseBackupSetPositions } from '../../backup/set-position.js';
import { sayLine, sayLines } from '../stderr-lines.js';
import { shellWord } from '../../util/shell-word.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Prints the replayed rows of each table given, in the order given (ndjson: `{table, values,
 * origin}` where origin is `backup` or the LSN of the log record that wrote the row; csv, one table
 * only: the columns, then `warnings`; json: an array of the ndjson objects) and on stderr a summary
 * per table (the chain used, base rows, operations redone/undone, the stop), then the chain's notes
 * once. Every table is replayed before anything is written. Throws InputError INPUT_BAD_OPTION for
 * a missing --bak/--trn/stop/--table, --all, csv of several tables, or options that do not apply
 * (--mdf, --include-ghosts, --include-remnants; --position not a set number), and what `replayTablesAt` throws (what
 * `replayTableAt` throws for the first table, in the order given, that it refuses).
 */
export async function runPointInTimeDump(opts: DumpOptions, stdout: Writable, stderr: Writable, interrupt?: Interruption): Promise<{ rows: number; skipped: []; tables: { table: string; rows: number; ghosts: number; remnants: number }[]; tableNames?: Record<string, string>; warnedRows?: number; headerWarnings?: string[]; clockWarning?: string; pointInTime?: ReportedStop; notes?: string[]; interrupted?: string | null }> {
  const baks = list(opts.bak);
  const trns = list(opts.trn);
  if (opts.mdf !== undefined) throw new InputError('INPUT_BAD_OPTION', 'a point-in-time dump reads backups only: give --bak FULL [DIFF] --trn LOG…, not --mdf');
  if (baks.length === 0) throw new InputError('INPUT_BAD_OPTION', 'a point-in-time dump needs the full backup the log backups continue: --bak FULL.bak [DIFF.bak]');
  // no --trn: only --stop-before-lsn at the last backup's end, replayed through its own log (the table
  // RESTORE … WITH RECOVERY of it gives: point-in-time.ts baseEndChain; any other point is refused there)
  // (--stop-at without --trn goes on to the replay, whose refusal names that LSN, read from the
  // backups' headers: it said "--stop-before-lsn with the last backup's last LSN" and named none)
  if (trns.length === 0 && opts.stopBeforeLsn === undefined && opts.stopAt === undefined) throw new InputError('INPUT_BAD_OPTION', '--stop-at needs the log backups to replay: --trn LOG.trn…');
  if (opts.stopAt === undefined && opts.stopBeforeLsn === undefined) throw new InputError('INPUT_BAD_OPTION', '--trn replays log backups up to a point: give --stop-at TIME or --stop-before-lsn LSN');
  // --position (RESTORE … WITH FILE = n) picks the set of each --bak file to start from (a file of
  // several sets, appended WITH NOINIT, is refused without it); every log backup set of each --trn
  // file is a member of the chain (point-in-time.ts setsOf)
  const position = parseBackupSetPositions('--position', opts.position, baks);
  for (const [flag, set] of [['--include-ghosts', !!opts.includeGhosts], ['--include-remnants', !!opts.includeRemnants]] as const) {
    if (set) throw new InputError('INPUT_BAD_OPTION', `${flag} does not apply to a point-in-time dump (the replayed table has no pages, ghosts or remnants)`);
  }
  // the tables are listed by inspect ("tables (rows):"); the advice was `dump --bak FULL.bak --all
  // --quiet`, which prints rows and no table name (nothing at all for empty tables: RestoreTimeClean.bak)
  if (opts.all) throw new InputError('INPUT_BAD_OPTION', `a point-in-time dump replays the tables it is given, all of them in one read of the log backups: give --table schema.name (repeatable), not --all (\`rowback inspect ${baks.length === 1 ? shellWord(baks[0]!) : 'FULL.bak'}\` lists the tables the ${baks.length === 1 ? '' : 'full '}backup holds, with their rows)`);
  const named = opts.table === undefined ? [] : Array.isArray(opts.table) ? opts.table : [opts.table];
  if (named.length === 0) throw new InputError('INPUT_BAD_OPTION', 'a point-in-time dump replays the tables it is given: --table schema.name (repeatable)');
  // a name given twice is one table, replayed once; names that differ only in letter case are looked
  // up each (a case-sensitive database may hold dbo.T and dbo.t: the second was dropped unread), and
  // printed once when they find one table (below)
  const tables = [...new Set(named)];
  if (opts.format === 'csv' && new Set(tables.map((t) => t.toLowerCase())).size > 1) throw new InputError('INPUT_BAD_OPTION', '--format csv prints one table (one header line); dump several tables as ndjson or json, or one --table per csv file');
  const target = parseTarget(opts);
  // said even with --quiet, and in --report's notes (`warning: …`), as scan's and diff's keep theirs:
  // a --quiet --report script learned nothing of a stop time that happened twice
  const timeAdvice = warnLocalTimes('dump', [['--stop-at', opts.stopAt, 'start']], stderr).map((l) => l.replace(/^rowback dump: /, ''));
  for (const f of baks) assertRegularFile('--bak', f);
  for (const f of trns) assertRegularFile('--trn', f);
  const outFile = opts.out ? openOutputFile('--out', opts.out, { opts }) : undefined;
  // Ctrl-C / SIGTERM (interrupt.ts): the replay stops where it is (it throws the signal's reason)
  // and nothing was written (a previous --out file is left as it was); during the rows, what was
  // written is flushed and a JSON array closed.
  // Every table is replayed in one read of the chain (each table's rows its own), all before anything
  // is written: a refusal of one (not in the backup, a record the replay cannot apply) writes nothing,
  // as for one table; the refusal said is the first table's, in the order given, that is refused.
  let replayed: ReplayResult[] = [];
  try {
    replayed = await replayTablesAt({ bak: baks, ...(position !== undefined ? { position } : {}), trn: trns, tables, target, signal: interrupt?.signal });
  } catch (e) {
    if (!interrupt?.by) throw e;
  }
  await letSignalsIn();
  if (interrupt?.by) {
    sayLine(`rowback dump: INTERRUPTED by ${interrupt.by}: stopped while replaying the log backups; nothing was written${opts.out ? ` (${opts.out} left as it was)` : ''}`, stderr);
    process.exitCode = exitCodeOf(interrupt.by);
    return { rows: 0, skipped: [], tables: [], interrupted: interrupt.by };
  }
  // names that differ only in letter case found one table (a case-insensitive database): replayed once, printed once
  const results = replayed.filter((r, i) => replayed.findIndex((x) => x.table === r.table) === i);
  if (opts.format === 'csv' && results.length > 1) throw new InputError('INPUT_BAD_OPTION', '--format csv prints one table (one header line); dump several tables as ndjson or json, or one --table per csv file');
  const out: Writable = outFile ?? stdout;
  const write = (s: string) => new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
  const record = (r: ReplayResult, x: ReplayResult['rows'][number]) => ({ table: r.table, values: x.values, origin: x.origin === 'backup' ? 'backup' : `log ${x.origin.lsn}`, ...(x.warnings.length ? { warnings: x.warnings } : {}) });
  // CSV (one table): the columns, then the row's warnings (a column named `warnings` is written `[warnings]`)
  if (opts.format === 'csv') await write(csvRecord([...csvValueHeaders(results[0]!.columns, ['warnings']), 'warnings'], opts.csvRaw));
  if (opts.format === 'json') await write('[');
  let n = 0;
  const perTable: Array<{ table: string; rows: number; ghosts: number; remnants: number }> = [];
  /** Rows printed with warnings: said on stderr, exit 3 with --strict (warned-rows.ts). */
  let warned = 0;
  // Whether the rows stopped short because of a signal (rows left unwritten): one that came once
  // the last row was written (the output being flushed) leaves a whole result, as dump's other path
  // and log say (it was INTERRUPTED, "only part of the result", exit 130, --report complete: false)
  let stoppedEarly = false;
  for (const r of results) {
    const entry = { table: r.table, rows: 0, ghosts: 0, remnants: 0 };
    perTable.push(entry);
    for (const x of r.rows) {
      if (interrupt?.by) {
        stoppedEarly = true;
        break;
      }
      // in CSV, a value UTF-8 cannot carry (csvWarningsCell) is a warning of the row too: its cell is not the value
      const csvWarnings = opts.format === 'csv' ? csvWarningsCell(x.warnings, r.columns, x.values) : null;
      if (opts.format === 'csv') await write(csvRecord([...r.columns.map((c) => csvCell(x.values[c] ?? null)), csvWarnings], opts.csvRaw));
      else if (opts.format === 'json') await write(`${n ? ',' : ''}\n${rowJson(record(r, x))}`);
      else await write(`${rowJson(record(r, x))}\n`);
      n++;
      entry.rows++;
      if (x.warnings.length || csvWarnings !== null) warned++;
    }
    if (stoppedEarly) break;
  }
  if (opts.format === 'json') await write(n ? '\n]\n' : ']\n');
  if (opts.out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  // Every table's replay reads the same chain to the same stop: what it says of the chain (notes,
  // WARNINGs) is said once, each table's own summary in turn
  const once = (lines: Iterable<string>) => [...new Set(lines)];
  // the notes, also in --report's `notes` (--quiet or not), as scan's (a `--quiet --report` script learned nothing of them)
  // a table's note that tables of its name are in other schemas, all of which this dump reads too, is
  // left out: it told the DBA to give `--table HR.Employees` "to read it" under HR.Employees' rows
  // and it is said only of a table some name typed without its schema found (`--table dbo.Employees` asked for dbo's exactly)
  const read = results.map((r) => r.table);
  const bare = tablesTypedWithoutSchema(opts.table);
  const foundBare = new Set(tables.flatMap((t, i) => (bare.has(t) && replayed[i] ? [replayed[i]!.table] : [])));
  const notes = once([...results.flatMap((r) => (r.uncheckedLog ? [r.uncheckedLog] : [])), ...results.flatMap((r) => [...r.notes, ...[foundBare.has(r.table) ? sameNameElsewhereNote(r.table, r.sameNameElsewhere ?? [], read) : undefined].filter((x): x is string => x !== undefined)])]);
  if (!opts.quiet) {
    for (const r of results) sayLines(replaySummary(r), stderr);
    for (const x of notes) sayLine(`rowback dump: note: ${x}`, stderr);
  }
  // Said even with --quiet, as scan and log say them: backups whose database is in doubt (one binding id, two names)
  const identityNotes = once(results.flatMap((r) => r.identityNotes ?? []));
  for (const x of identityNotes) sayLine(`rowback dump: note: ${x}`, stderr);
  // Said even with --quiet, as scan says its window's: the stop time may name two moments (the clock was set back)
  const clockWarning = results.find((r) => r.clockWarning)?.clockWarning;
  if (clockWarning) sayLine(`rowback dump: WARNING: ${clockWarning}`, stderr);
  // exit 3 under --strict: the table printed may be the one of the other moment (it exited 0)
  if (clockWarning) exitIncomplete(opts.strict);
  // Said even with --quiet, and exit 3 with --strict: what a backup used says of itself is uncertain (one header copy damaged)
  const headerWarnings = once(results.flatMap((r) => r.warnings ?? []));
  for (const w of headerWarnings) sayLine(`rowback dump: WARNING: ${w}`, stderr);
  if (headerWarnings.length) exitIncomplete(opts.strict);
  // Said even with --quiet, and exit 3 with --strict: values printed may be wrong or missing.
  sayWarnedRows(stderr, 'dump', warned, n, opts);
  // Said even with --quiet, as an error would be: a script must not take part of a result for all of it.
  if (interrupt?.by && stoppedEarly) {
    sayLine(`rowback dump: INTERRUPTED by ${interrupt.by}: the dump stopped before its end; the ${n} row(s) written are only part of the result`, stderr);
    process.exitCode = exitCodeOf(interrupt.by);
  } else if (interrupt?.by) {
    sayLine(`rowback dump: note: ${interrupt.by} came after the last row was read: the ${n} row(s) written are the whole result`, stderr);
  }
  // warnedRows: the report's rowsWithWarnings (it was null for a point-in-time dump, whose rows carry warnings too)
  // each name as typed and the table it found (rowsPerTable is keyed by the table's own name)
  const tableNames = Object.fromEntries(tables.map((t, i) => [t, replayed[i]!.table]));
  return { rows: n, skipped: [], tables: perTable, tableNames, warnedRows: warned, ...(headerWarnings.length ? { headerWarnings } : {}), ...(clockWarning ? { clockWarning } : {}), pointInTime: reportedStop(opts, results[0]!), notes: [...timeAdvice, ...notes, ...identityNotes], interrupted: stoppedEarly ? interrupt!.by : null };
}

/**
 * The stop of a point-in-time dump as `dump --report` gives it: the stop point as typed (`stopAt`,
 * the text given, or `stopBeforeLsn`), the stop time the replay used (`stopAtUsed`: SQL Server local
 * time, `YYYY-MM-DDTHH:MM:SS.mmm`, rounded to datetime's 1/300 s ticks as RESTORE … STOPAT rounds
 * it: '13:05:00.999' is 13:05:01.000), and `stoppedAtLsn`: the first log record not applied
 * (`n:n:n` hex, as the summary's "stopped at LSN"), null when the chain's records ran out first.
 * The report stored only the text typed, so a script could not tell the point the rows are of.
 */
export interface ReportedStop {
  stopAt?: string;
  stopAtUsed?: string;
  stopBeforeLsn?: string;
  stoppedAtLsn: string | null;
}

function reportedStop(opts: DumpOptions, r: ReplayResult): ReportedStop {
  const t = r.chain.target;
  return t.kind === 'time'
    ? { stopAt: opts.stopAt ?? t.time, stopAtUsed: t.time, stoppedAtLsn: r.stats.stoppedAt }
    : { stopBeforeLsn: opts.stopBeforeLsn ?? t.lsn, stoppedAtLsn: r.stats.stoppedAt };
}

export { replaySummary } from '../../replay/summary.js';
