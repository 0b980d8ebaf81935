import { stagedTableName, tableListText, tableNameText, tableNameWord } from '../../util/tsql.js';
import { isoTimesStderr } from '../iso-times-stderr.js';
import { isoLogTimesIn } from '../../recover/log-local-time.js';
import { skippedLines } from '../skipped-lines.js';
import { findTableName, otherSchemasNote, unknownTableHint } from '../../reconstruct/metadata/names.js';
import { assertRegularFile, assertWritableOutput, openOutputFile } from '../files.js';
import { REPORT_TIMES, reportingFailure, writeReport } from '../failed-report.js';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { collectTables, tablesAsTyped, tablesTypedWithoutSchema, normalizeTableName, outFormatOption, formatFromOut, refuseCsvRawWithoutCsv } from '../options.js';
import { createProgress } from '../progress.js';
import { csvCell, csvRecord, csvValueHeaders, csvWarningsCell } from '../../util/csv.js';
import { rowJson } from '../../util/negative-zero.js';
import { assertBackupSet, otherDatabaseSetsNotes } from '../../recover/source-identity.js';
import { FormatError, InputError, SchemaError } from '../../errors.js';
import { backupDamageNotes, backupHeaderWarnings, openBackupPages } from '../../backup/open.js';
import { openDataFiles } from '../../recover/open-data-files.js';
import { readDataFileMetadata } from '../../datafile/metadata.js';
import { PageReader, uncheckedPagesNote } from '../../datafile/page-reader.js';
import type { PageSource } from '../../datafile/page-source.js';
import { PageType, parsePageHeader } from '../../datafile/page.js';
import { findTable, readTableRows, type TableRow } from '../../datafile/table-rows.js';
import { visibleColumns } from '../../reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../../reconstruct/values.js';
import { catalogDamage, catalogDamageSubject, type SkippedItem } from '../../recover/source.js';
import { runPointInTimeDump, type ReportedStop } from './dump-point-in-time.js';
import { lastRestoredSet, ownLogSentences, readBaseOwnLog, type OwnLogReading } from '../../replay/base-own-log.js';
import { getOwn, pickOwn } from '../../util/own-keys.js';
import { catchInterrupts, exitCodeOf, type Interruption } from '../interrupt.js';
import { exitIncomplete, strictOption } from '../strict.js';
import { sayWarnedRows } from '../warned-rows.js';
import { appendAll } from '../../util/append-all.js';
import { parseBackupSetPositions } from '../../backup/set-position.js';
import { sayLine, sayLines } from '../stderr-lines.js';
import { shellWord } from '../../util/shell-word.js';

export const DUMP_FORMATS = ['ndjson', 'csv', 'json'] as const;
export type DumpFormat = (typeof DUMP_FORMATS)[number];
/** dump's own CSV columns: a value column never takes one of these names (csvValueHeaders). */
export const DUMP_CSV_OWN_COLUMNS = ['page', 'slot', 'ghost', 'remnant', 'offset', 'recordStatus', 'warnings'] as const;

export interface DumpOptions {
  /** Each --table as typed, before normalizeTableName (the report's tableNames keys); `table` when not given. */
  tablesAsTyped?: string[];
  /** The primary data file, and any secondary files (.ndf) of the same database. */
  mdf?: string | string[];
  /** A full backup, optionally followed by differential backups taken after it (each overlays the ones before); the stripes of a striped backup are given together. */
  bak?: string | string[];
  /** Backup set to read in a file holding several (RESTORE … WITH FILE = n); required for such files. */
  position?: number | string;
  /** The table(s) to dump (`schema.name`); several are dumped one after the other, in the order given. */
  table?: string | string[];
  /** Every user table of the database, in catalog order (instead of `table`). */
  all?: boolean;
  includeGhosts?: boolean;
  includeRemnants?: boolean;
  format: DumpFormat;
  out?: string;
  quiet?: boolean;
  /** CSV: cells unchanged, no spreadsheet formula guard. */
  csvRaw?: boolean;
  /** Log backups to replay over `bak` (point in time: needs `stopAt` or `stopBeforeLsn`). */
  trn?: string | string[];
  /** Point in time: the SQL Server's local time (STOPAT). */
  stopAt?: string;
  /** Point in time: just before this LSN (STOPBEFOREMARK = 'lsn:…'). */
  stopBeforeLsn?: string;
  /** Exit 3 (not 0) when the dump is INCOMPLETE or printed rows carry warnings (strict.ts); a point-in-time dump is whole or refused, so only its warned rows can. */
  strict?: boolean;
  /** A JSON report of the dump (as `scan --report`): rows per table, complete, skipped items (dumpReport). */
  report?: string;
}

/** Adds `dump` to the program: current rows from --mdf/--bak, or with --trn and a stop the rows at a point in time (dump-point-in-time.ts). */
export function register(program: Command): void {
  program
    .command('dump')
    .summary('Print the rows of tables (--table …, --all) from a data file or full/differential backup, or with --trn and --stop-at as they stood then (no SQL Server needed)')
    .description("Print the current rows of a table, several tables (--table …) or every user table (--all) straight from a data file or a full/differential backup, or with --trn and --stop-at the rows of the tables given (--table …) at that point in time, each table replayed on its own (no SQL Server needed)")
    .option('--mdf <files...>', 'data file (.mdf), with the database\'s .ndf files if it has several')
    .option('--bak <files...>', 'full backup (.bak; every stripe of a striped one), optionally followed by differential backups based on it')
    .option('--position <n[,n…]>', 'backup set of each --bak file to read when a file holds several (RESTORE … WITH FILE = n), or one number per --bak file in order (a full and a differential that are two sets of one file: --bak ALL.bak ALL.bak --position 1,2); with --trn, the sets the replay starts from')
    .option('--table <schema.name>', 'a table to dump: dbo.T, [dbo].[T], "dbo"."T" (repeatable or comma-separated: several tables in one pass over the metadata)', (v: string, prev: string[] = []) => collectTables(v, prev))
    .option('--all', 'dump every user table (metadata read once); NDJSON/JSON rows name their table')
    .option('--include-ghosts', 'also print ghost records (deleted rows not yet cleaned up), flagged ghost')
    .option('--include-remnants', 'also carve deleted records left in the page bodies (slot already removed), flagged remnant')
    .addOption(outFormatOption(DUMP_FORMATS, 'ndjson'))
    .option('--out <file>', 'write rows to this file instead of stdout (an existing file is replaced once the result starts to be written; a command refused before that leaves it as it was)')
    .option('--report <file>', 'write the dump report (rows per table, complete, every skipped item with its reason) as JSON, as scan --report')
    .option('--quiet', 'no summary on stderr; still said: INCOMPLETE, INTERRUPTED and rows carrying warnings')
    .addOption(strictOption({ warnedRows: true, warnings: 'a --stop-at the SQL Server\'s clock passed twice' }))
    .option('--csv-raw', "CSV: write cells exactly as decoded; by default a cell starting with = + - @ tab, CR or ' gets a leading ' so spreadsheets do not run it as a formula")
    .option('--trn <files...>', 'log backups to replay over --bak up to --stop-at / --stop-before-lsn (the table as it stood then; every log backup set of each file, in LSN order; see docs/restore.md)')
    .option('--stop-at <time>', "with --trn: the table as it stood at this time, the SQL Server's local time (YYYY-MM-DD[THH:MM[:SS[.fffffff]]], a space for T, no zone; more than three fractional digits are put on the log's 1/300-second ticks): STOPAT")
    .option('--stop-before-lsn <lsn>', 'with --trn: the table as it stood just before this LSN: STOPBEFOREMARK; without --trn, only the last --bak\'s last LSN (inspect): the table RESTORE … WITH RECOVERY of it gives, its own log replayed')
    .action(async (opts: DumpOptions, cmd: Command) => {
      formatFromOut(cmd, opts, DUMP_FORMATS);
      refuseCsvRawWithoutCsv(opts);
      // each --table as typed (`STEPS`, `[dbo].[steps]`), the report's tableNames keys
      const typed = tablesAsTyped(opts.table);
      await runDump({ ...opts, ...(typed.length ? { tablesAsTyped: [...typed] } : {}) });
    });
}

/**
 * The report's tableNames: each --table exactly as typed (`STEPS`, `[dbo].[steps]`, as diff's
 * tableAsTyped) → the table it found. They were keyed by the name normalised (`dbo.STEPS` for
 * `--table STEPS`), so a script looking up the name it typed found nothing. `found` is keyed by the
 * normalised names; without the typed ones (runDump called directly) it is returned as it is.
 */
function typedTableNames(found: Record<string, string>, typed: string[] | undefined): Record<string, string> {
  if (!typed?.length) return found;
  const out: Record<string, string> = {};
  for (const t of typed) {
    const table = found[normalizeTableName(t)];
    if (table !== undefined) out[t] = table;
  }
  return out;
}

/** Rows printed for one table of a dump. */
export interface DumpedTable {
  table: string;
  rows: number;
  ghosts: number;
  remnants: number;
}

/**
 * Prints the current rows of one table, several (`table` as a list) or every user table (`all`)
 * of a data file / backup: the metadata is read once, the tables dumped one after the other.
 * NDJSON/JSON rows carry their table; CSV (one header) takes one table only. Throws InputError
 * INPUT_BAD_OPTION (no/both of --table/--all, CSV with several tables, files), INPUT_UNKNOWN_TABLE
 * and SchemaError SCHEMA_COLUMNS_UNREADABLE for a named table, before anything is written; with
 * --all an unreadable table is a skipped item and the others are dumped.
 */
export async function runDump(opts: DumpOptions, stdout: Writable = process.stdout, stderr: Writable = process.stderr): Promise<{ rows: number; skipped: SkippedItem[]; tables: DumpedTable[] }> {
  // every time in its sentences in one form, --stop-at's as typed (iso-times-stderr.ts)
  stderr = isoTimesStderr(stderr, [opts.stopAt]);
  // Ctrl-C / SIGTERM: stop where it is; what was written is flushed (a JSON array closed) and
  // INTERRUPTED said (interrupt.ts). Listening from the first line: there is no gap after the
  // start-up listener (bin/rowback.js) in which a signal would end the process silently.
  const interrupt = catchInterrupts();
  const started = Date.now();
  try {
    // the report path is checked before any work, as --out is (a missing folder: one line, nothing read)
    if (opts.report !== undefined) assertWritableOutput('--report', opts.report, { opts });
    // output cut by its reader (EPIPE) or failing (a full disk), or a refused or failed dump: the
    // report says so (the previous run's stayed, read as this one's: `dump --all --report r.json |
    // head` exited 141 beside "complete": true); never over a file that is not a report (a data file
    // named by --report while --bak is mistyped)
    const result: DumpResult = await reportingFailure<DumpResult>(opts.report, { opts }, { times: REPORT_TIMES }, () =>
      opts.trn !== undefined || opts.stopAt !== undefined || opts.stopBeforeLsn !== undefined
        ? runPointInTimeDump(opts, stdout, stderr, interrupt)
        : dumpTables(opts, stdout, stderr, interrupt));
    // whether the rows stopped short (a signal after the last row leaves a whole result)
    if (opts.report !== undefined) writeDumpReport(opts, result, result.interrupted !== undefined ? result.interrupted : interrupt.by, Date.now() - started);
    return result;
  } finally {
    interrupt.release();
  }
}

/** What a dump (of pages, or point in time) returns to its report. */
type DumpResult = { rows: number; skipped: SkippedItem[]; tables: DumpedTable[]; tableNames?: Record<string, string>; warnedRows?: number; headerWarnings?: string[]; ownLogWarnings?: string[]; clockWarning?: string; pointInTime?: ReportedStop; incomplete?: string[]; notes?: string[]; interrupted?: string | null };

/**
 * Writes `dump --report`: `{ source, tables (as asked), tableNames? (each name asked → the table it found), pointInTime?, rows, rowsPerTable,
 * ghosts, remnants, rowsWithWarnings, complete, incomplete, interrupted?, skipped, elapsedMs }`. `complete` is
 * false when an item was skipped (a page, record or catalog page not read: the INCOMPLETE line) or
 * the dump was interrupted; a point-in-time dump is whole or refused. INCOMPLETE was said on
 * stderr and by the exit code alone (newcomer: nothing a script could read). Throws InputError
 * INPUT_OUTPUT_UNWRITABLE when the file cannot be written (the rows were).
 */
function writeDumpReport(opts: DumpOptions, r: { rows: number; skipped: SkippedItem[]; tables: DumpedTable[]; tableNames?: Record<string, string>; warnedRows?: number; headerWarnings?: string[]; ownLogWarnings?: string[]; clockWarning?: string; pointInTime?: ReportedStop; incomplete?: string[]; notes?: string[] }, interrupted: string | null | undefined, elapsedMs: number): void {
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  // the sentences as stderr says them: every time in one form (isoLogTimesIn), --stop-at's as typed
  const iso = (t: string) => isoLogTimesIn(t, [opts.stopAt]);
  const report = {
    source: [...list(opts.mdf), ...list(opts.bak), ...list(opts.trn)],
    tables: opts.all ? 'all' : list(opts.table),
    // what its times are (notes, pointInTime's stopAtUsed), as scan's, log's and diff's reports say
    // it: a dump report gave bare local times with no zone said anywhere
    times: REPORT_TIMES,
    // each name as typed and the table it found, `{"STEPS": "dbo.steps"}`: rowsPerTable is keyed by
    // the table's own name, so a script looking up the name it typed found nothing (newcomer E)
    ...(r.tableNames ? { tableNames: typedTableNames(r.tableNames, opts.tablesAsTyped) } : {}),
    // the stop as typed, as used (rounded to datetime's ticks) and the first record not applied
    // (ReportedStop); a refused dump never reaches here
    ...(r.pointInTime ? { pointInTime: r.pointInTime } : opts.stopAt !== undefined || opts.stopBeforeLsn !== undefined ? { pointInTime: opts.stopAt !== undefined ? { stopAt: opts.stopAt } : { stopBeforeLsn: opts.stopBeforeLsn } } : {}),
    rows: r.rows,
    rowsPerTable: Object.fromEntries(r.tables.map((t) => [t.table, t.rows])),
    ghosts: r.tables.reduce((n, t) => n + t.ghosts, 0),
    remnants: r.tables.reduce((n, t) => n + t.remnants, 0),
    rowsWithWarnings: r.warnedRows ?? null,
    complete: r.skipped.length === 0 && !interrupted,
    // the INCOMPLETE line stderr says, without its prefix ([] when none), as scan's and log's
    // `incomplete`: a script (docs/scripting.md) read `r.incomplete` of a dump and found nothing
    incomplete: (r.incomplete ?? []).map(iso),
    ...(interrupted ? { interrupted } : {}),
    // what stderr says as notes (said there without --quiet; here always), `[]` when none
    notes: (r.notes ?? []).map(iso),
    skipped: r.skipped,
    // WARNINGs on the backups' headers (backupHeaderWarnings), a stop time the server's clock
    // passed twice (ReplayResult.clockWarning) and row changes in a backup's own log that its pages
    // as copied do not show (ownLogWarnings), said on stderr even with --quiet
    ...(r.headerWarnings?.length || r.clockWarning || r.ownLogWarnings?.length ? { warnings: [...(r.headerWarnings ?? []), ...(r.clockWarning ? [r.clockWarning] : []), ...(r.ownLogWarnings ?? [])].map(iso) } : {}),
    elapsedMs,
  };
  writeReport(opts.report!, report, `the ${r.rows} row(s) were written${opts.out ? ` to ${opts.out}` : ''}`);
}

async function dumpTables(opts: DumpOptions, stdout: Writable, stderr: Writable, interrupt: Interruption): Promise<{ rows: number; skipped: SkippedItem[]; tables: DumpedTable[]; tableNames?: Record<string, string>; warnedRows?: number; headerWarnings?: string[]; ownLogWarnings?: string[]; clockWarning?: string; incomplete?: string[]; notes?: string[]; interrupted?: string | null }> {
  const named = opts.table === undefined ? [] : Array.isArray(opts.table) ? opts.table : [opts.table];
  if (opts.all && named.length) throw new InputError('INPUT_BAD_OPTION', 'give --table or --all, not both');
  if (!opts.all && named.length === 0) throw new InputError('INPUT_BAD_OPTION', 'give --table schema.name (repeatable) or --all');
  const csvOfSeveral = () => new InputError('INPUT_BAD_OPTION', '--format csv prints one table (one header line); dump several tables as ndjson or json, or one --table per csv file');
  if (opts.format === 'csv' && (opts.all || named.length > 1)) {
    // names that differ only in letter case may be one table of a case-insensitive database: told after they are looked up
    if (opts.all || new Set(named.map((n) => n.toLowerCase())).size > 1) throw csvOfSeveral();
  }
  const baks = opts.bak === undefined ? [] : Array.isArray(opts.bak) ? opts.bak : [opts.bak];
  const mdfs = opts.mdf === undefined ? [] : Array.isArray(opts.mdf) ? opts.mdf : [opts.mdf];
  if (mdfs.length > 0 === baks.length > 0) throw new InputError('INPUT_BAD_OPTION', 'give exactly one of --mdf FILE [NDF…] or --bak FILE [DIFF…]');
  // an option that does nothing with these inputs is refused, not ignored (it was dropped unsaid)
  if (mdfs.length && opts.position !== undefined) throw new InputError('INPUT_BAD_OPTION', '--position picks a backup set of --bak; a data file (--mdf) holds none: leave --position out');
  const files = mdfs.length ? mdfs : baks;
  for (const f of files) assertRegularFile(mdfs.length ? '--mdf' : '--bak', f);
  const outFile = opts.out ? openOutputFile('--out', opts.out, { opts }) : undefined;
  const file = files.join(' + ');
  let source: PageSource;
  let bakPosition: number | number[] | undefined;
  if (mdfs.length) source = openDataFiles(mdfs);
  else {
    // one number for every --bak file, or a list of one per file (a full and a differential that
    // are two sets of one file: --bak ALL.bak ALL.bak --position 1,2)
    const position = parseBackupSetPositions('--position', opts.position, baks);
    bakPosition = position;
    // one header per backup (a striped one counts once): one database, a full backup, then differentials based on it
    source = openBackupPages(baks, position, assertBackupSet, { positionList: true });
  }
  // a set picked by number in a file holding another database's sets too: said, even with --quiet
  const otherDatabases = baks.length ? otherDatabaseSetsNotes(baks, bakPosition) : [];
  // Checked between rows (the page reads are synchronous).
  try {
    const reader = new PageReader(source);
    const md = readDataFileMetadata(source, reader);
    const skipped: SkippedItem[] = [...md.skipped];
    // Every named table is checked before anything is written.
    const tables: Array<{ qualified: string; columns: string[] }> = [];
    // a table read in schema dbo while tables of its name exist in other schemas (otherSchemasNote)
    const schemaNotes: string[] = [];
    const bare = tablesTypedWithoutSchema(opts.table);
    // each name as typed and the table it found (--report tableNames)
    const tableNames: Record<string, string> = {};
    if (opts.all) {
      for (const layout of md.tables) {
        const qualified = stagedTableName(layout);
        if (layout.unreadable) {
          skipped.push({ code: 'SCHEMA_COLUMNS_UNREADABLE', reason: `${qualified}: its columns could not be established, so no row of it is printed: ${layout.unreadable}`, location: { table: qualified, file } });
          continue;
        }
        tables.push({ qualified, columns: visibleColumns(layout).map((c) => c.name) });
      }
      if (md.shippedTables?.length) schemaNotes.push(shippedTablesNote(md.shippedTables));
    } else {
      for (const name of named) {
        const table = findTable(md, name);
        if (!table) {
          // named in sys.sysschobjs, but no partition of it in sys.sysrowsets: its pages cannot be found
          const unlocated = md.unlocatedTables ?? [];
          const lost = unlocated.find((t) => t.table === findTableName(unlocated.map((u) => u.table), name));
          if (lost) {
            throw new FormatError('FORMAT_CATALOG_MISMATCH', `table ${lost.table} is named in ${file}'s catalog (sys.sysschobjs, object id ${lost.objectId}), but sys.sysrowsets holds no heap or clustered partition of it, so its pages cannot be found and none of its rows is printed: a sysrowsets page is damaged or another database's (its checksum may hold): read an undamaged copy (a backup), unless it is a memory-optimized table (SQL Server 2014 and later), whose rows are on no page at all`, { table: lost.table, file });
          }
          const shipped = md.shippedTables ?? [];
          const marked = shipped.find((t) => t.table === findTableName(shipped.map((u) => u.table), name));
          if (marked) {
            throw new InputError('INPUT_UNKNOWN_TABLE', `table ${marked.table} (object id ${marked.objectId}, ${marked.rows} row(s) in sys.sysrowsets) is marked in ${file}'s catalog as SQL Server's own (sys.sysschobjs status 0x1, is_ms_shipped: replication, change data capture), and rowback dumps user tables only; if it is a table of yours, that bit of its sysschobjs row is damaged (a page without a checksum, or another database's): read an undamaged copy (a backup)`, { table: marked.table, file });
          }
          const names = md.tables.map((t) => stagedTableName(t));
          // 'is not in' is not known when the catalog that names the tables is damaged
          const damage = catalogDamage(md.skipped);
          const why = damage.length
            ? `; the file's catalog is damaged (${catalogDamageSubject(damage)}), so ${name} may be in it, unnamed: read an undamaged copy (a backup)`
            : '';
          throw new InputError('INPUT_UNKNOWN_TABLE', `table ${name} is not ${damage.length ? 'named ' : ''}in ${file}; known tables: ${tableListText(names) || '(none)'}${why}${unknownTableHint(name, names, md.database?.name)}`, { table: name, file });
        }
        const qualified = stagedTableName(table.layout);
        if (table.layout.unreadable) {
          throw new SchemaError('SCHEMA_COLUMNS_UNREADABLE', `${qualified}: its columns could not be established, so no row of it is printed: ${table.layout.unreadable}`, { table: qualified, file });
        }
        tableNames[name] = qualified;
        // only for a name typed without its schema: `--table dbo.Employees` asked for dbo's table exactly
        const elsewhere = bare.has(name) ? otherSchemasNote(md.details.keys(), qualified, named) : undefined;
        if (elsewhere && !schemaNotes.includes(elsewhere)) schemaNotes.push(elsewhere);
        if (!tables.some((t) => t.qualified === qualified)) tables.push({ qualified, columns: visibleColumns(table.layout).map((c) => c.name) });
      }
      if (opts.format === 'csv' && tables.length > 1) throw csvOfSeveral();
    }
    // The backup's own log (dump --bak without --trn): row changes RESTORE would redo or undo over
    // the copied pages, which the rows printed (the pages as copied) do not show (base-own-log.ts)
    let ownLog: OwnLogReading | null = null;
    try {
      if (baks.length) {
        const last = lastRestoredSet(baks, bakPosition);
        ownLog = await readBaseOwnLog(last.file, last.position, source, md, tables.map((t) => t.qualified), interrupt.signal);
      }
    } catch (e) {
      // a signal while it was read: said below as a dump stopped before any row was read
      if (!interrupt.by) throw e;
    }
    const own = ownLog
      ? ownLogSentences(ownLog, 'the rows printed', (o, table) =>
          // a file of several sets: the replay starts from the set --position picks (point-in-time.ts setsOf)
          `rowback dump --bak ${baks.map((b) => shellWord(b)).join(' ')}${Array.isArray(bakPosition) ? ` --position ${bakPosition.join(',')}` : o.sets > 1 ? ` --position ${o.position}` : ''} --stop-before-lsn ${o.lastLsn} --table ${shellWord(tableNameWord(table))} (the backup's own log replayed to its end; no log backup is needed)`)
      : { warnings: [], notes: [] };
    const out: Writable = outFile ?? stdout;
    const write = (s: string) =>
      new Promise<void>((resolve, reject) => {
        out.write(s, (e) => (e ? reject(e) : resolve()));
      });
    const rowSkipped: SkippedItem[] = [];
    let rows = 0;
    const done: DumpedTable[] = [];
    // A signal while the metadata was read (synchronously: it is delivered now): nothing written,
    // a previous --out file left as it was.
    await new Promise((resolve) => setImmediate(resolve));
    if (interrupt.by) {
      sayLine(`rowback dump: INTERRUPTED by ${interrupt.by}: stopped before any row was read; nothing was written${opts.out ? ` (${opts.out} left as it was)` : ''}`, stderr);
      process.exitCode = exitCodeOf(interrupt.by);
      return { rows: 0, skipped, tables: [], interrupted: interrupt.by };
    }
    if (opts.format === 'csv') {
      // the values, then where each row is (page, slot; with remnants offset); a value column named like one of these is `[name]` (csvValueHeaders)
      const header = [...csvValueHeaders(tables[0].columns, DUMP_CSV_OWN_COLUMNS), 'page', 'slot', ...(opts.includeGhosts || opts.includeRemnants ? ['ghost'] : []), ...(opts.includeRemnants ? ['remnant', 'offset', 'recordStatus'] : []), 'warnings'];
      await write(csvRecord(header, opts.csvRaw));
    } else if (opts.format === 'json') {
      await write('[');
    }
    const started = Date.now();
    /** Rows printed with warnings (a value may be wrong or missing): said on stderr, exit 3 with --strict (warned-rows.ts). */
    let warnedRows = 0;
    const progress = createProgress({ quiet: opts.quiet, stream: stderr as NodeJS.WriteStream });
    // where each table's skipped items start in rowSkipped (readTableRows adds the page reader's
    // items of the table's walk there too): the INCOMPLETE line names the table of a failed page
    const starts: Array<{ table: string; at: number }> = [];
    // Whether the dump stopped because of a signal with rows left unread: a signal that came once
    // the last row was written (the output being flushed) said "the dump stopped before its end …
    // only part of the result", exit 130, of a whole result (as log did: newcomer)
    let stoppedEarly = false;
    tables: for (const { qualified, columns } of tables) {
      if (interrupt.by) {
        stoppedEarly = true;
        break;
      }
      starts.push({ table: qualified, at: rowSkipped.length });
      const t: DumpedTable = { table: qualified, rows: 0, ghosts: 0, remnants: 0 };
      done.push(t);
      const record = (r: TableRow) => {
        const values = pickOwn(r.values, columns) as Record<string, SqlValue>;
        // ghost: a ghost record still in the slot array; a remnant (slot removed) is never `ghost`, its record's own status is recordStatus
        const o: Record<string, unknown> = { table: qualified, page: r.page, slot: r.slot, ghost: r.ghost && !r.remnant, values };
        if (r.remnant) {
          o.remnant = true;
          o.offset = r.offset;
          o.recordStatus = r.ghost ? 'ghost' : 'primary';
        }
        if (r.forwardedFrom) o.forwardedFrom = r.forwardedFrom;
        if (r.warnings.length) o.warnings = r.warnings;
        return o;
      };
      for (const r of readTableRows(source, md, qualified, { includeGhosts: opts.includeGhosts, includeRemnants: opts.includeRemnants, skipped: rowSkipped, reader })) {
        if (interrupt.by) {
          stoppedEarly = true;
          break tables;
        }
        if (r.ghost && !r.remnant) t.ghosts++;
        if (r.remnant) t.remnants++;
        if (rows % 1000 === 0) progress.update(() => `rowback dump: ${qualified}: ${t.rows} rows (${rows} in all), ${reader.stats.read} pages read (${Math.round(rows / ((Date.now() - started) / 1000))} rows/s)`);
        if (opts.format === 'csv') {
          const cells: Array<string | number | null> = [...columns.map((c) => csvCell(getOwn(r.values, c) ?? null)), r.page, r.slot];
          if (opts.includeGhosts || opts.includeRemnants) cells.push(r.ghost && !r.remnant ? '1' : '0');
          if (opts.includeRemnants) cells.push(r.remnant ? '1' : '0', r.remnant ? (r.offset ?? null) : null, r.remnant ? (r.ghost ? 'ghost' : 'primary') : null);
          // a row's warnings, as scan's CSV has them: without them a CSV reader had values a warning doubts and no word;
          // and a value this UTF-8 CSV cannot carry (an unpaired surrogate, written U+FFFD), as scan's CSV names it
          const csvWarnings = csvWarningsCell(r.warnings, columns, r.values);
          if (csvWarnings !== null && !r.warnings.length) warnedRows++; // a value its cell cannot carry: the row is warned in CSV
          cells.push(csvWarnings);
          await write(csvRecord(cells, opts.csvRaw));
        } else if (opts.format === 'json') {
          await write(`${rows ? ',' : ''}\n${rowJson(record(r))}`);
        } else {
          await write(`${rowJson(record(r))}\n`);
        }
        rows++;
        t.rows++;
        if (r.warnings.length) warnedRows++;
      }
    }
    progress.done();
    if (opts.format === 'json') await write(rows ? '\n]\n' : ']\n');
    if (opts.out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    for (const s of [...rowSkipped, ...reader.skipped]) if (!skipped.includes(s)) skipped.push(s);
    // the notes stderr says (without --quiet), also in --report's `notes` (--quiet or not), as
    // scan's: a `--quiet --report` script learned nothing of them (`--table Employees` read
    // dbo.Employees, HR.Employees beside it: said only on stderr, and not with --quiet)
    const unchecked = uncheckedPagesNote(reader.stats);
    // a data file cut short where no table read reaches: its rows are whole, the copy is not (said only when a page past the cut was asked for)
    const cutNotes = source.cutShortNotes?.() ?? [];
    const notes = [...otherDatabases, ...cutNotes, ...(unchecked ? [unchecked] : []), ...(baks.length ? backupDamageNotes(baks) : []), ...schemaNotes, ...own.notes];
    if (!opts.quiet) {
      sayLines(summary(done, opts.includeGhosts ?? false, skipped, opts.includeRemnants ?? false), stderr);
      for (const n of notes) sayLine(`rowback dump: note: ${n}`, stderr);
    } else for (const n of otherDatabases) sayLine(`rowback dump: note: ${n}`, stderr);
    // Said even with --quiet, as scan's INCOMPLETE is: a page, record or catalog page that could
    // not be read leaves rows out (a zeroed data page of dbo.tblDept: 0 rows, exit 0, not a word).
    const incomplete: string[] = [];
    if (skipped.length) {
      const tableOf = new Map<SkippedItem, string>();
      starts.forEach((x, i) => {
        for (const item of rowSkipped.slice(x.at, starts[i + 1]?.at ?? rowSkipped.length)) tableOf.set(item, x.table);
      });
      const line = incompleteLine(skipped, rows, { tableOf, failedPages: new Set(reader.skipped), source, unlocated: md.unlocatedTables?.map((t) => t.table) ?? [] });
      sayLine(line, stderr);
      incomplete.push(line.slice('rowback dump: INCOMPLETE: '.length));
      exitIncomplete(opts.strict);
    }
    // Said even with --quiet, and exit 3 with --strict: what a backup's header says of it is uncertain (one copy damaged)
    const headerWarnings = baks.length ? backupHeaderWarnings(baks) : [];
    for (const w of headerWarnings) sayLine(`rowback dump: WARNING: ${w}`, stderr);
    if (headerWarnings.length) exitIncomplete(opts.strict);
    // Said even with --quiet, and exit 3 with --strict: rows a restore of the backup gives otherwise
    for (const w of own.warnings) sayLine(`rowback dump: WARNING: ${w}`, stderr);
    if (own.warnings.length) exitIncomplete(opts.strict);
    // Said even with --quiet, and exit 3 with --strict: values printed may be wrong or missing.
    sayWarnedRows(stderr, 'dump', warnedRows, rows, opts);
    // Said even with --quiet, as an error would be: a script must not take part of a result for all of it.
    if (interrupt.by && stoppedEarly) {
      sayLine(`rowback dump: INTERRUPTED by ${interrupt.by}: the dump stopped before its end${done.length ? ` (in ${done[done.length - 1].table})` : ''}; the ${rows} row(s) written are only part of the result`, stderr);
      process.exitCode = exitCodeOf(interrupt.by);
    } else if (interrupt.by) {
      sayLine(`rowback dump: note: ${interrupt.by} came after the last row was read: the ${rows} row(s) written are the whole result`, stderr);
    }
    return { rows, skipped, tables: done, ...(opts.all ? {} : { tableNames }), warnedRows, headerWarnings, ...(own.warnings.length ? { ownLogWarnings: own.warnings } : {}), incomplete, notes, interrupted: stoppedEarly ? interrupt.by : null };
  } finally {
    source.close();
  }
}

export { openDataFiles } from '../../recover/open-data-files.js';

function pagesOf(items: SkippedItem[]): string {
  const pages = [...new Set(items.map((s) => s.location.page).filter((p) => p !== undefined))];
  return pages.length ? `; page${pages.length > 1 ? 's' : ''} ${pages.slice(0, 10).join(', ')}${pages.length > 10 ? ' …' : ''}` : '';
}

/**
 * The slot count a failed page's own header gives, when that header still reads as a data page
 * (header version 1, type 1) of the page id asked for; undefined otherwise (zeroed, overwritten).
 * The header failed the page's check with the rest, so the count is said as the header's, not as fact.
 */
function headerSlotCount(source: PageSource, page: string): number | undefined {
  const m = /^(\d+):(\d+)$/.exec(page);
  if (!m) return undefined;
  let raw: Uint8Array | undefined;
  try {
    raw = source.readPage(Number(m[1]), Number(m[2]));
  } catch {
    return undefined;
  }
  if (!raw || raw.length < 96) return undefined;
  const h = parsePageHeader(raw);
  return h.headerVersion === 1 && h.type === PageType.DATA_PAGE && h.pageId.pageId === Number(m[2]) && h.slotCount * 2 <= raw.length - 96 ? h.slotCount : undefined;
}

/**
 * The INCOMPLETE line of a dump that skipped items: which rows are not printed. A page that failed
 * its checks while a table was read is named with its table and code (nothing on it is printed;
 * how many slots its header gives, when the header still reads as that data page's), records that
 * could not be decoded by table with their page and slot, anything else (catalog pages, pages read
 * for no one table) counted with its codes and pages. One line, without its line end.
 */
function incompleteLine(skipped: SkippedItem[], rows: number, ctx: { tableOf: Map<SkippedItem, string>; failedPages: Set<SkippedItem>; source: PageSource; unlocated?: string[] }): string {
  const parts: string[] = [];
  const all = skipped;
  // tables the catalog names without a partition (metadata.ts tablesWithoutPartitionItem): named
  // here, as a table with a failed page is, not counted among "items" (their item is said by them)
  const unlocated = ctx.unlocated ?? [];
  if (unlocated.length) {
    const one = unlocated.length === 1;
    parts.push(`${tableListText(unlocated.slice(0, 10))}${unlocated.length > 10 ? ` and ${unlocated.length - 10} more` : ''}: sys.sysschobjs names ${one ? 'it' : 'them'} but sys.sysrowsets holds no partition of ${one ? 'it' : 'them'}, so ${one ? 'its' : 'their'} pages cannot be found and no row of ${one ? 'it' : 'them'} is printed (FORMAT_CATALOG_MISMATCH)`);
    skipped = skipped.filter((s) => !(s.code === 'FORMAT_CATALOG_MISMATCH' && s.location.table === 'sys.sysrowsets' && s.location.page === undefined));
  }
  const byTable = new Map<string, { pages: SkippedItem[]; records: SkippedItem[] }>();
  const rest: SkippedItem[] = [];
  const chains: SkippedItem[] = [];
  for (const s of skipped) {
    const table = ctx.tableOf.get(s) ?? s.location.table;
    if (s.code === 'FORMAT_BROKEN_CHAIN' && table) {
      chains.push(s);
      continue;
    }
    if (!table || !s.location.page) {
      rest.push(s);
      continue;
    }
    const t = byTable.get(table) ?? { pages: [], records: [] };
    byTable.set(table, t);
    (ctx.failedPages.has(s) ? t.pages : t.records).push(s);
  }
  // a FORMAT_BROKEN_CHAIN says the page chain went on from the IAM past a failed page: said by
  // that page when its table has one, else counted with the rest
  for (const c of chains) if (!byTable.get((ctx.tableOf.get(c) ?? c.location.table)!)?.pages.length) rest.push(c);
  for (const [table, t] of byTable) {
    if (t.pages.length) {
      const list = t.pages.slice(0, 10).map((s) => {
        const n = headerSlotCount(ctx.source, s.location.page!);
        return `${s.location.page} (${s.code}${n !== undefined ? `; its header, which failed the check too, gives a data page of ${n} slot(s)` : ''})`;
      });
      parts.push(`${tableNameText(table)}: page${t.pages.length > 1 ? 's' : ''} ${list.join(', ')}${t.pages.length > 10 ? ` and ${t.pages.length - 10} more` : ''} failed ${t.pages.length > 1 ? 'their' : 'its'} checks, nothing on ${t.pages.length > 1 ? 'them' : 'it'} printed`);
    }
    if (t.records.length) {
      const list = t.records.slice(0, 5).map((s) => `page ${s.location.page}${s.location.offset !== undefined ? ` offset ${s.location.offset}` : ''} (${s.code})`);
      parts.push(`${tableNameText(table)}: ${t.records.length} record(s) or value(s) not read: ${list.join(', ')}${t.records.length > 5 ? ', …' : ''}`);
    }
  }
  if (rest.length) {
    const codes = [...new Set(rest.map((s) => s.code))].join(', ');
    const damage = catalogDamage(rest);
    parts.push(`${rest.length} item(s) could not be read (${codes}${pagesOf(rest)})${damage.length ? ', the catalog among them' : ''}`);
  }
  return `rowback dump: INCOMPLETE: ${parts.join('; ')}; ${rows} row(s) printed${catalogDamage(all).length ? ', of the tables the damaged catalog still names' : ''}`;
}

/**
 * dump --all's note naming the tables marked is_ms_shipped that hold rows (metadata.ts
 * DataFileMetadata.shippedTables), not dumped: SQL Server's own tables (replication, change data
 * capture), or a user table whose sysschobjs status bit 0x1 is damaged, which was left out unsaid.
 */
export function shippedTablesNote(shipped: ReadonlyArray<{ table: string; objectId: number; rows: number }>): string {
  const named = shipped.slice(0, 10).map((t) => `${tableNameText(t.table)} (object id ${t.objectId}, ${t.rows} row(s))`).join(', ');
  return `${shipped.length} table(s) holding rows are marked as SQL Server's own (sys.sysschobjs status 0x1, is_ms_shipped: replication, change data capture) and not dumped: ${named}${shipped.length > 10 ? ` and ${shipped.length - 10} more` : ''}; if one is a table of yours, that bit of its catalog row is damaged: read an undamaged copy (a backup)`;
}

/** The summary's lines (rows per table, the skipped items), each without its line end: stderr-lines.ts writes each as one line. */
function summary(tables: DumpedTable[], includeGhosts: boolean, skipped: SkippedItem[], includeRemnants: boolean): string[] {
  const lines = tables.map((t) => {
    const extra = [
      includeGhosts ? `${t.ghosts} of them ghost (deleted, not yet cleaned up)` : '',
      includeRemnants ? `${t.remnants} remnant(s) carved from page bodies (deleted or superseded records)` : '',
    ].filter(Boolean);
    return `rowback dump: ${tableNameText(t.table)}: ${t.rows} row(s)${extra.length ? `, ${extra.join(', ')}` : ''}`;
  });
  if (tables.length > 1) lines.push(`rowback dump: ${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} row(s) in all`);
  // with the catalog damaged, "no user table" is not known: the tables it no longer names may hold
  // every row (a copy cut short before its catalog pages said "no user table …" above INCOMPLETE)
  if (tables.length === 0) {
    const damage = catalogDamage(skipped);
    lines.push(damage.length ? `rowback dump: no user table the damaged catalog still names (${catalogDamageSubject(damage)}) has readable columns: the database's tables are not known from this copy` : 'rowback dump: no user table with readable columns');
  }
  if (skipped.length) {
    const byCode = new Map<string, number>();
    for (const s of skipped) byCode.set(s.code, (byCode.get(s.code) ?? 0) + 1);
    lines.push(`rowback dump: ${skipped.length} item(s) skipped: ${[...byCode].map(([c, n]) => `${c} ×${n}`).join(', ')}`);
    appendAll(lines, skippedLines(skipped));
  }
  return lines;
}
