import { statSync } from 'node:fs';
import { stagedTableName, tableNameText } from '../../util/tsql.js';
import { escapeUnprintable } from '../../util/echo.js';
import { identifierText, tableText } from '../../util/identifier-text.js';
import { createHash } from 'node:crypto';
/**
 * `rowback log FILE…`: fn_dblog without a server. Prints the log records of `.ldf` files, log
 * backups (`.trn`) and the log portion of full/differential backups (`.bak`) in fn_dblog's shape
 * (its column names), filtered, streamed record by record (never all records in memory).
 *
 * Columns (LOG_COLUMNS): first the columns of `sql/export-log-records.sql`, in its order, minus the
 * two the offline parser does not produce — `Description` (fn_dblog's text, computed by the
 * server) and `Login` (SUSER_SNAME, needs the server's logins) — so that an export of the same log
 * compares column by column after dropping those two; then the further fn_dblog columns the parser
 * fills (`Previous LSN`, `Previous Page LSN`, `RowLog Contents 2..4`, `Log Record`), rowback's
 * `Transaction SID Text` (util/sid.ts), and `AllocUnitName` when table metadata is given.
 * fn_dblog columns the parser does not produce are absent: `Description`, `Login`, `Log Record
 * Fixed Length`, `Log Record Length`, `Flag Bits`, `Log Reserve`, `Tag Bits`, `LogBlockGeneration`,
 * `Checkpoint Begin`/`End`, `Lock Information`, `Number of Locks`, `Xact ID`, `Xact Type`, `Parent
 * Transaction ID`, and every column of record kinds whose body rowback does not read.
 */
import { findTableName, otherSchemasNote } from '../../reconstruct/metadata/names.js';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { InputError } from '../../errors.js';
import { listBackupSets, readBackupHeader } from '../../backup/header.js';
import { openBackupLogStream } from '../../backup/log-stream.js';
import { backupLogFirstLsn, chainVlfBoundaryGaps } from '../../backup/chain-boundary.js';
import { choosePosition, openBackupPages } from '../../backup/open.js';
import { BACKUP_HEADER_WARNING, MTF_TRAILER_DAMAGED, readMtfLayout } from '../../backup/mtf.js';
import { logBackupChain, setName, type LogBackupSet } from '../../backup/log-chain.js';
import { lsnRangePastLogEndClause } from '../../recover/window-past-log.js';
import { lsnRangeBeforeLdfAndBackupsClause, lsnRangeBeforeLdfClause, lsnRangeBeforeLogStartClause } from '../../recover/window-before-log.js';
import { CONTEXT_NAMES, OPERATION_NAMES } from '../../logreader/ldf/constants.js';
import { readLdfLayout, readLdfRecords, emptyLogScanStats, LOG_PAST_END_DAMAGED, LOG_STARTS_MID_VLF, LOG_VLF_ENDS_EARLY, vlfEndsEarlySaid, uncheckedBlocksNote, unknownOperationsWarnings, type LogScanOptions, type LogScanStats, type UnknownOperation } from '../../logreader/ldf/reader.js';
import { mergeLogScanStats } from '../../logreader/parallel/parallel-reader.js';
import { backupLogCoverage, cutLogStream, judgeCutLogStream } from '../../backup/log-coverage.js';
import type { LogRecord } from '../../logreader/log-record.js';
import { normaliseTransactionId } from '../../recover/row-selection.js';
import { compareLsn, formatLsn, lsnFromDecimal, lsnToDecimal, parseAnyLsn, parseLsn, type Lsn } from '../../logreader/lsn.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import type { IndexAllocUnit } from '../../datafile/metadata.js';
import type { CatalogIdentity } from '../../reconstruct/metadata/catalog-json.js';
import { logLoss, logLossClause, lossPlaces, unknownTableMessage, type SkippedItem } from '../../recover/source.js';
import { assertBackupSet, assertOneDatabase, checkCatalogDatabase, dataFileLogTimeNote, oneBackupAdvice, otherDatabaseSetsNote, readSourceIdentities, readSourceIdentity, uncheckedIdentityNote, type SourceFileIdentity } from '../../recover/source-identity.js';
import { csvRecord } from '../../util/csv.js';
import { unpairedSurrogateCells } from '../../util/surrogates.js';
import { toHex0x } from '../../util/hex.js';
import { sidToText } from '../../util/sid.js';
import { assertReadableFile } from '../../recover/open-source.js';
import { outsideAskedNote, splitLostByReach } from '../../recover/log-not-given.js';
import { detectFileKind } from './inspect.js';
import { assertWritableOutput, openOutputFile } from '../files.js';
import { collectTables, tablesTypedWithoutSchema, outFormatOption, formatFromOut, refuseCsvRawWithoutCsv, repeatableOption } from '../options.js';
import { createProgress } from '../progress.js';
import { skippedLines } from '../skipped-lines.js';
import { drainOrError } from '../../recover/writers.js';
import { catchInterrupts, exitCodeOf, type Interruption } from '../interrupt.js';
import { exitIncomplete, strictOption } from '../strict.js';
import { reportingFailure, writeReport } from '../failed-report.js';
import { isoLogTimesIn, REPORT_TIMES } from './scan.js';
import { lineSafeJson } from '../../util/negative-zero.js';
import { appendAll, maxOf } from '../../util/append-all.js';
import { parseBackupSetPosition } from '../../backup/set-position.js';
import { fileAndSet } from '../../util/backup-set-text.js';
import { sayLine, sayLines } from '../stderr-lines.js';
import { shellWord } from '../../util/shell-word.js';
import { isoTimesStderr } from '../iso-times-stderr.js';

/** Columns of sql/export-log-records.sql's #records, in its order, that the offline parser fills. */
export const EXPORT_COLUMNS = [
  'Current LSN', 'Operation', 'Context', 'Transaction ID', 'AllocUnitId', 'Page ID', 'Slot ID', 'Offset in Row', 'Modify Size',
  'Begin Time', 'End Time', 'Transaction Name', 'Transaction SID', 'SPID', 'RowLog Contents 0', 'RowLog Contents 1',
] as const;

/** Columns of the export script the offline parser cannot fill (see the module comment). */
export const ABSENT_EXPORT_COLUMNS = ['Description', 'Login'] as const;

/** Further fn_dblog columns the parser fills, then rowback's SID text. */
export const EXTRA_COLUMNS = ['Previous LSN', 'Previous Page LSN', 'RowLog Contents 2', 'RowLog Contents 3', 'RowLog Contents 4', 'Log Record', 'Transaction SID Text'] as const;

export const LOG_FORMATS = ['table', 'csv', 'ndjson'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

interface LogOptions {
  mdf?: string;
  bak?: string[];
  schema?: string;
  /** `--catalog-any-database`: name records with a --schema catalog of another database than the files' (source-identity.ts checkCatalogDatabase). */
  catalogAnyDatabase?: boolean;
  position?: string;
  operation: string[];
  context: string[];
  allocUnit: string[];
  table: string[];
  transaction: string[];
  fromLsn?: string;
  toLsn?: string;
  format: LogFormat;
  out?: string;
  /** `--report FILE`: the run's report as JSON (writeLogReport), as scan --report. */
  report?: string;
  quiet?: boolean;
  csvRaw?: boolean;
  /** Exit 3 (not 0) when records were lost (INCOMPLETE; strict.ts). */
  strict?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command('log')
    .description('fn_dblog without a server: the log records of .ldf, .trn and .bak files, in fn_dblog\'s columns')
    .argument('[files...]', 'log files (.ldf), log backups (.trn), full/differential backups (.bak): read in the order given; list them before --bak')
    .option('--mdf <file>', 'data file giving table metadata (AllocUnitName, --table)')
    .option('--bak <files...>', 'full backup giving table metadata (AllocUnitName, --table): every stripe of a striped one, optionally followed by differential backups based on it, as scan --bak; it takes every file after it')
    .option('--schema <catalog.json>', 'table metadata as catalog JSON (sql/table-metadata.sql)')
    .option('--catalog-any-database', 'with --schema: use a catalog JSON whose database_guid is not the binding id of the files listed (refused by default: allocation unit ids repeat between databases, so another database\'s tables would name the records)')
    .option('--position <n>', 'backup set to read (RESTORE … WITH FILE = n) in the .trn/.bak files listed (by default every log backup set of a file, its full/differential sets left out with a note); with .ldf files only, in --bak. Refused when it would have to pick in both a listed backup and a --bak file holding several sets')
    .addOption(repeatableOption('--operation <op>', 'only these operations, e.g. LOP_DELETE_ROWS or DELETE_ROWS (repeatable or comma-separated)', collect, 'every operation'))
    .addOption(repeatableOption('--context <ctx>', 'only these contexts, e.g. LCX_HEAP or HEAP (repeatable or comma-separated)', collect, 'every context'))
    .addOption(repeatableOption('--alloc-unit <id>', 'only these AllocUnitIds (repeatable or comma-separated)', collect, 'every allocation unit'))
    .addOption(repeatableOption('--table <name>', 'only records on these tables\' allocation units, their nonclustered indexes\' too with --mdf/--bak (needs --mdf/--bak/--schema); dbo.T, [dbo].[T], "dbo"."T" (repeatable or comma-separated)', collectTables, 'every table'))
    .addOption(repeatableOption('--transaction <id>', 'only these Transaction IDs, e.g. 0000:000003e8 (repeatable or comma-separated)', collect, 'every transaction'))
    .option('--from-lsn <lsn>', 'first LSN (inclusive): 0000002a:000001f0:0003, 0x…, decimal, dec:42:496:3 or (42:496:3) as DBCC PAGE prints m_lsn')
    .option('--to-lsn <lsn>', 'last LSN (inclusive), same forms')
    .addOption(outFormatOption(LOG_FORMATS, 'table'))
    .option('--out <file>', 'write to this file instead of stdout (an existing file is replaced once the result starts to be written; a command refused before that leaves it as it was)')
    .option('--report <file>', 'write the log report (records listed, complete, every INCOMPLETE sentence, the notes, every skipped item with its reason) as JSON, as scan --report')
    .option('--quiet', 'no progress or summary on stderr; still said: INCOMPLETE and INTERRUPTED (the notes are in --report too)')
    .addOption(strictOption({ unwritableText: true, warnings: 'log records of an operation rowback does not know' }))
    .option('--csv-raw', "CSV: cells unchanged (by default a cell starting with = + - @ tab, CR or ' gets a leading ')")
    .action(async (files: string[], opts: LogOptions, cmd: Command) => {
      formatFromOut(cmd, opts, LOG_FORMATS);
      refuseCsvRawWithoutCsv(opts);
      // a refused or failed run, or an output cut (EPIPE) or failing (a full disk), writes its
      // --report as `{ times, complete: false, failed: { code, message } }`, as scan's does
      await reportingFailure(opts.report, { opts, args: files }, { times: REPORT_TIMES }, () => runLog(files, opts));
    });
}

/** The filter of `rowback log`, compiled once; `matches` is called for every record. */
export interface LogRecordFilter {
  operations: Set<string> | null;
  contexts: Set<string> | null;
  allocUnits: Set<string> | null;
  transactions: Set<string> | null;
  from: Lsn | null;
  to: Lsn | null;
}

/**
 * Compiles the filter options. Operation and context names are upper-cased and get their `LOP_`/
 * `LCX_` prefix when it is missing; Transaction IDs are normalised to fn_dblog's `xxxx:xxxxxxxx`
 * (lower-case hex, zero-padded). Throws InputError INPUT_BAD_OPTION for a malformed value
 * (naming the flag), INPUT_BAD_LSN for an LSN that does not parse, INPUT_BAD_WINDOW for
 * --from-lsn after --to-lsn.
 */
export function compileLogFilter(o: Pick<LogOptions, 'operation' | 'context' | 'allocUnit' | 'transaction' | 'fromLsn' | 'toLsn'>, tableAllocUnits: string[] | null): LogRecordFilter {
  // a name no record can carry (a typo: LOP_DELETE_ROW) is refused rather than printing 0 records
  // as if the log held none; LOP_UNKNOWN_n / LCX_UNKNOWN_n are what the reader prints for codes it has no name for
  const names = (flag: string, values: string[], prefix: string, known: ReadonlyMap<number, string>): Set<string> | null => {
    if (!values.length) return null;
    const knownNames = new Set(known.values());
    return new Set(
      values.map((v) => {
        const u = v.toUpperCase();
        if (!/^[A-Z0-9_]+$/.test(u)) throw new InputError('INPUT_BAD_OPTION', `${flag} '${v}' is not an fn_dblog name such as ${prefix}…`);
        const name = u.startsWith(prefix) ? u : prefix + u;
        if (!knownNames.has(name) && !new RegExp(`^${prefix}UNKNOWN_\\d+$`).test(name)) {
          const near = [...knownNames].filter((k) => k.startsWith(name) || name.startsWith(k));
          throw new InputError('INPUT_BAD_OPTION', `${flag} '${v}' is not a name fn_dblog prints${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; e.g. ${[...knownNames].slice(1, 4).join(', ')}`);
        }
        return name;
      }),
    );
  };
  for (const a of o.allocUnit) {
    if (!/^\d{1,20}$/.test(a)) throw new InputError('INPUT_BAD_OPTION', `--alloc-unit '${a}' is not an AllocUnitId (a decimal number such as 72057594043629568)`);
  }
  let allocUnits: Set<string> | null = o.allocUnit.length ? new Set(o.allocUnit.map((a) => BigInt(a).toString())) : null;
  if (tableAllocUnits) allocUnits = allocUnits ? new Set([...allocUnits].filter((a) => tableAllocUnits.includes(a))) : new Set(tableAllocUnits);
  const transactions = o.transaction.length
    ? new Set(
        o.transaction.map((t) => normaliseTransactionId(t, '--transaction')),
      )
    : null;
  const from = o.fromLsn !== undefined ? parseAnyLsn(o.fromLsn, '--from-lsn') : null;
  const to = o.toLsn !== undefined ? parseAnyLsn(o.toLsn, '--to-lsn') : null;
  if (from && to && compareLsn(from, to) > 0) throw new InputError('INPUT_BAD_WINDOW', `--from-lsn ${o.fromLsn} is after --to-lsn ${o.toLsn}`);
  return { operations: names('--operation', o.operation, 'LOP_', OPERATION_NAMES), contexts: names('--context', o.context, 'LCX_', CONTEXT_NAMES), allocUnits, transactions, from, to };
}

/** True when the record passes every part of the filter. */
/** Whether `r` lies inside the filter's --from-lsn/--to-lsn window (true without one). */
function inLsnWindow(r: LogRecord, f: LogRecordFilter): boolean {
  if (!f.from && !f.to) return true;
  const l = parseLsn(r['Current LSN']);
  return !(f.from && compareLsn(l, f.from) < 0) && !(f.to && compareLsn(l, f.to) > 0);
}

export function matchesLogFilter(r: LogRecord, f: LogRecordFilter): boolean {
  if (f.operations && !f.operations.has(r.Operation)) return false;
  if (f.contexts && !f.contexts.has(r.Context)) return false;
  if (f.allocUnits && !(r.AllocUnitId && f.allocUnits.has(r.AllocUnitId))) return false;
  if (f.transactions && !f.transactions.has(r['Transaction ID'].toLowerCase())) return false;
  if (f.from || f.to) {
    const l = parseLsn(r['Current LSN']);
    if (f.from && compareLsn(l, f.from) < 0) return false;
    if (f.to && compareLsn(l, f.to) > 0) return false;
  }
  return true;
}

/** One cell as fn_dblog shows it: binary as `0x` upper-case hex, numbers as decimal, absent as null. */
function cell(r: LogRecord, col: string, names: Map<string, string> | null): string | number | null {
  if (col === 'Transaction SID Text') return sidToText(r['Transaction SID']);
  if (col === 'AllocUnitName') return r.AllocUnitId ? (names?.get(r.AllocUnitId) ?? null) : null;
  const v = (r as unknown as Record<string, unknown>)[col];
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return toHex0x(v);
  return v as string | number;
}

/** The columns `rowback log` prints, in order; AllocUnitName only when metadata names allocation units. */
export function logColumns(withNames: boolean): string[] {
  return [...EXPORT_COLUMNS, ...EXTRA_COLUMNS, ...(withNames ? ['AllocUnitName'] : [])];
}

/** The longest operation and context names rowback knows (LCX_RESTORE_BAD_UNALLOC_PAGE, 28): their columns' widths, so that no known name pushes a line's later cells right. */
const LONGEST_OPERATION = maxOf([...OPERATION_NAMES.values()].map((n) => n.length));
const LONGEST_CONTEXT = maxOf([...CONTEXT_NAMES.values()].map((n) => n.length));

/**
 * Table format: the columns a person reads, fixed widths (each at least its header's length, so a
 * header starts where its cells do: `Transaction ID` is 14 characters, its values 13, and every
 * header after it stood one column right of its cells; an empty Transaction SID, every record but
 * LOP_BEGIN_XACT's, was no width, and the row image stood under `Transaction SID`: a SID is on
 * LOP_BEGIN_XACT, which has no RowLog Contents 0, so the SID runs on past its header's width where
 * nothing follows it); RowLog Contents 0 cut to its first 24
 * bytes followed by `… (N bytes)`; Transaction SID in `S-1-…` form when it is a Windows SID. The
 * csv and ndjson formats carry every column uncut.
 */
const TABLE_COLUMNS: Array<[string, number]> = ([
  ['Current LSN', 22], ['Operation', LONGEST_OPERATION], ['Context', LONGEST_CONTEXT], ['Transaction ID', 13], ['AllocUnitId', 17], ['Page ID', 13], ['Slot ID', 7],
  ['Begin Time', 24], ['Transaction Name', 20], ['SPID', 5], ['Transaction SID', 15], ['RowLog Contents 0', 0],
] as Array<[string, number]>).map(([c, w]) => [c, w && Math.max(w, c.length)]);

/**
 * One line of the table format: `values` in TABLE_COLUMNS' order, `name` the record's table as
 * tableText writes it (`dbo.[Order Details]`; null when metadata names none), shown only `withNames`.
 * Every cell is written through escapeUnprintable: a line break or a C1 control in a value of the
 * log (a Transaction Name, `BEGIN TRAN @name` takes any text) or in a table's name is `\u{…}`, so a
 * record is one line, never a forged second one. The csv and ndjson formats carry values uncut and
 * unescaped, as data.
 */
function tableLine(values: Array<string | number | null>, withNames: boolean, name: string | null): string {
  const parts = TABLE_COLUMNS.map(([, w], i) => {
    let v = values[i] === null ? '' : String(values[i]);
    // the row image's hex is cut before anything (it is hex: nothing to escape in it)
    if (TABLE_COLUMNS[i][0] === 'RowLog Contents 0') {
      if (v.length > 50) v = `${v.slice(0, 50)}… (${(v.length - 2) / 2} bytes)`;
    } else v = escapeUnprintable(v);
    return w ? v.padEnd(w) : v;
  });
  if (withNames) parts.splice(5, 0, escapeUnprintable(name ?? '').padEnd(28));
  return parts.join(' ').trimEnd() + '\n';
}

/**
 * The AllocUnitName of a nonclustered index's allocation unit `u`: `data` as CSV and NDJSON carry it,
 * `schema.table.index` as fn_dblog names it (raw, as data), or null when the catalog holds no name
 * for the index (its sys.sysidxstats record lost): any made-up text there (`index_id 5`) could be
 * an index's real name; `shown` as the table format writes it, each part one name (tableText,
 * identifierText: `dbo.[Order Details].OrderID`), an unnamed index `(index_id 5)`, which no
 * bracketed or regular name reads as. Pure.
 */
export function indexUnitNames(u: Pick<IndexAllocUnit, 'schema' | 'name' | 'indexId' | 'indexName'>): { data: string | null; shown: string } {
  if (u.indexName === null) return { data: null, shown: `${tableText(u)}.(index_id ${u.indexId})` };
  return { data: `${u.schema}.${u.name}.${u.indexName}`, shown: `${tableText(u)}.${identifierText(u.indexName)}` };
}

/**
 * The table metadata `log` names records by (--mdf, --bak or --schema; null with none): the tables'
 * layouts, one per partition, and, from a data file or backup, the allocation units of the tables'
 * other indexes (`indexUnits`; absent from a catalog JSON, whose script lists heaps and clustered
 * indexes only). Throws InputError for two of the options, an unreadable file, a backup set refused.
 */
async function loadNames(opts: LogOptions, bakPosition: number | undefined): Promise<{ tables: TableLayout[]; indexUnits?: IndexAllocUnit[]; dbiVersion: number | null; skipped?: SkippedItem[]; identity?: CatalogIdentity | null; checkpointLsn?: string; cutShortNotes?: string[]; databaseName?: string | null } | null> {
  const given = [opts.mdf && '--mdf', opts.bak && '--bak', opts.schema && '--schema'].filter(Boolean);
  if (given.length > 1) throw new InputError('INPUT_BAD_OPTION', `give one of --mdf, --bak, --schema, not ${given.join(' and ')}`);
  if (opts.schema) {
    assertReadableFile('--schema', opts.schema);
    const { readCatalogFile } = await import('../../reconstruct/metadata/catalog-json.js');
    const catalog = readCatalogFile(opts.schema, '--schema');
    return { tables: catalog.layouts, dbiVersion: null, identity: catalog.identity };
  }
  if (!opts.mdf && !opts.bak) return null;
  const meta = await import('../../datafile/metadata.js');
  let pages;
  if (opts.mdf) {
    assertReadableFile('--mdf', opts.mdf);
    const { MdfPageSource } = await import('../../datafile/mdf-source.js');
    pages = new MdfPageSource(opts.mdf);
  } else {
    for (const b of opts.bak!) assertReadableFile('--bak', b);
    // the full backup, every stripe, then differentials: one page source, as scan/dump --bak read them
    pages = openBackupPages(opts.bak!, bakPosition, assertBackupSet, oneBackupAdvice('log'));
  }
  try {
    const m = meta.readDataFileMetadata(pages);
    // a data file cut short where the catalog does not reach: a note, as scan and dump say it
    return { tables: m.partitionLayouts, indexUnits: m.indexAllocUnits, dbiVersion: m.database?.version ?? null, skipped: m.skipped, checkpointLsn: m.database?.checkpointLsn, cutShortNotes: pages.cutShortNotes?.() ?? [], databaseName: m.database?.name ?? null };
  } finally {
    pages.close();
  }
}

/** One log input: what `rowback log` reads, in the order given. */
interface LogInput {
  kind: 'ldf' | 'trn' | 'bak';
  file: string;
  positions: number[];
  /** The note saying which full/differential sets of a file of several sets were left out (and why), when any were; with --position, that the file holds sets of another database than the set printed (otherDatabaseSetsNote). */
  leftOut?: string;
}

/**
 * What `rowback log` reads of each file listed: an .ldf whole; a backup file's set `position` when
 * given (RESTORE's FILE = n); without it every set of a file of log backups, and of a file holding
 * log backup sets and full or differential sets (BACKUP DATABASE and BACKUP LOG appended WITH NOINIT
 * to one file) its log backup sets only, the others left out with a note (`leftOut`), as `scan --trn`
 * and `dump --trn` leave them out of the chain: a full or differential backup's own log portion is
 * the log its restore needs, LSNs the log backups hold too (RestoreTimeClean.bak's FirstLSN is that
 * of RestoreTimeClean_1.trn); read among them it was "a log backup" overlapping the chain. It is
 * printed by itself with `--position N`. A file of one database backup set is read as that set; one
 * of several sets none of them a log backup is refused (INPUT_SEVERAL_BACKUP_SETS, listing them).
 * A set whose header cannot be read is kept among the sets read: its reader says the damage.
 * Throws InputError (INPUT_BAD_OPTION, INPUT_SEVERAL_BACKUP_SETS) as `choosePosition` does.
 */
function planInputs(files: string[], position: number | undefined): LogInput[] {
  return files.map((file) => {
    assertReadableFile('log file', file);
    const kind = detectFileKind(file);
    if (kind === 'data-file') throw new InputError('INPUT_BAD_OPTION', `${file} is a data file, not a log: give it with --mdf for table names`, { file });
    if (kind === 'log') return { kind: 'ldf', file, positions: [1] };
    const layout = readMtfLayout(file);
    if (position !== undefined) {
      const p = choosePosition(file, layout, position);
      // the set asked for by number, printed; a file holding sets of another database too is said so
      // (even with --quiet): `log F --position 2` printed one database's log from a file of two, unsaid
      const other = otherDatabaseSetsNote(file, [p], 'printed');
      return { kind: readBackupHeader(file, layout, p).backupType === 'log' ? 'trn' : 'bak', file, positions: [p], ...(other ? { leftOut: other } : {}) };
    }
    const first = readBackupHeader(file, layout, 1);
    if (layout.sets <= 1) return first.backupType === 'log' ? { kind: 'trn', file, positions: [1] } : { kind: 'bak', file, positions: [choosePosition(file, layout)] };
    const sets = listBackupSets(file, layout);
    const others = sets.filter((s) => !s.error && s.backupType !== 'log');
    // no log backup set: which database backup to read is the DBA's choice (refused listing the sets)
    if (others.length === sets.length) return { kind: 'bak', file, positions: [choosePosition(file, layout)] };
    const positions = sets.filter((s) => !others.includes(s)).map((s) => s.position);
    if (others.length === 0) return { kind: 'trn', file, positions };
    // a database backup of ANOTHER database appended to the file (HEADERONLY BindingID and FamilyGUID
    // both differ from the first log set's): its log overlaps nothing printed, said as what it is
    const logHeader = readBackupHeader(file, layout, positions[0]!);
    const otherDatabase = (p: number): string | null => {
      const h = readBackupHeader(file, layout, p);
      const differs = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toUpperCase() !== b.toUpperCase();
      return differs(h.bindingId, logHeader.bindingId) && (!h.familyGuid || !logHeader.familyGuid || differs(h.familyGuid, logHeader.familyGuid)) ? h.databaseName : null;
    };
    const kinds = others.map((s) => {
      const db = otherDatabase(s.position);
      return `set ${s.position} a ${s.backupType} backup${db !== null ? ` of another database (${db})` : ''}`;
    }).join(', ');
    const ours = others.filter((s) => otherDatabase(s.position) === null);
    // a database set's log overlaps the log backups printed only where its LSN range meets theirs
    // (HEADERONLY FirstLSN..LastLSN): RestoreTimeClean.bak (…62…170 to …132…) beside
    // RestoreTimeClean2_1.trn (…173… on) holds log none of them does, said 'overlaps them' and left unread
    const dec = (l: { decimal: string } | undefined): bigint | null => (l && /^\d+$/.test(l.decimal) ? BigInt(l.decimal) : null);
    const logSets = sets.filter((s) => positions.includes(s.position));
    const meets = (s: (typeof sets)[number]): boolean => {
      const a = dec(s.firstLsn);
      const b = dec(s.lastLsn);
      if (a === null || b === null) return true;
      return logSets.some((l) => {
        const c = dec(l.firstLsn);
        const d = dec(l.lastLsn);
        return c === null || d === null || (a < d && c < b);
      });
    };
    const apart = ours.filter((s) => !meets(s));
    const overlapping = ours.filter((s) => meets(s));
    const apartSay = apart.map((s) => `set ${s.position}'s log (LSN ${s.firstLsn!.lsn} to ${s.lastLsn!.lsn}) is in none of the log backup sets printed: rowback log ${shellWord(file)} --position ${s.position} prints it`).join('; ');
    const overlap = ours.length
      ? ` (${[overlapping.length ? `the log ${overlapping.length > 1 ? 'each' : 'it'} holds for its own restore overlaps them: rowback log ${shellWord(file)} --position ${overlapping[0]!.position} prints ${overlapping.length > 1 ? 'one' : 'it'} alone` : '', apartSay].filter(Boolean).join('; ')})`
      : ` (rowback log ${shellWord(file)} --position ${others[0]!.position} prints its log alone)`;
    const leftOut = `${file} holds ${layout.sets} backup sets, ${kinds}: left out, as scan --trn and dump --trn leave ${others.length > 1 ? 'them' : 'it'} out of the log chain; its log backup set${positions.length > 1 ? 's' : ''} ${positions.join(', ')} ${positions.length > 1 ? 'are' : 'is'} printed${overlap}`;
    return { kind: 'trn', file, positions, leftOut };
  });
}

/**
 * The backup set `--position` picks in `--bak` (the metadata), which is the one number for two
 * kinds of file: it picks the set in the log files listed when one of them is a backup (.trn/.bak),
 * and in --bak only when they are all .ldf (no set to pick there). `log X.trn --bak FULL.bak
 * --position 2` applied 2 to FULL.bak as well and was refused for its one set. When both a listed
 * backup and a --bak file holding several sets need a choice, one number cannot say both: refused
 * (InputError INPUT_BAD_OPTION) rather than applied to both.
 */
function bakPosition(inputs: LogInput[], bak: string[] | undefined, position: number | undefined): number | undefined {
  if (position === undefined || !bak?.length) return position;
  const listed = inputs.filter((i) => i.kind !== 'ldf');
  if (listed.length === 0) return position;
  for (const f of bak) {
    let sets = 1;
    try {
      sets = readMtfLayout(f).sets;
    } catch {
      // not a backup: said by the metadata read (loadNames)
    }
    if (sets > 1) {
      throw new InputError('INPUT_BAD_OPTION', `--position ${position} picks the backup set of the log file${listed.length > 1 ? 's' : ''} listed (${listed.map((i) => i.file).join(', ')}), and --bak ${f} holds ${sets} backup sets, which would need one too: one --position cannot pick in both; give the table metadata from a file of one backup set (--bak), or --mdf/--schema`, { file: f });
    }
  }
  return undefined;
}

/**
 * What is said of the records of `file` passed over because `earlier`, read before it, printed the
 * same LSNs (within one VLF sequence, between the lowest and highest LSN it printed there), where
 * either is an .ldf: the same .ldf given twice, a copy of it, or an .ldf beside a backup holding the
 * same log. An LSN names one log record of one database (the files are checked to be of one), so the
 * record is printed once, from the file listed first.
 */
function heldTwiceNote(file: string, earlier: string, records: number, seqs: string[]): string {
  const list = seqs.slice(0, 3).join(', ') + (seqs.length > 3 ? ` and ${seqs.length - 3} more` : '');
  const same = file === earlier ? `${file} is given twice` : `${file} holds log that ${earlier}, listed before it, holds too (a copy of one log file, or an .ldf and a backup of its log)`;
  return `${same}: ${records} of its records (VLF sequence${seqs.length > 1 ? 's' : ''} ${list}) are at LSNs already printed from ${earlier} and were passed over: each LSN is printed once`;
}

/**
 * The VLF sequence numbers (8 hex digits, as an LSN's first part) that more than one of `ldfs`
 * holds: each VLF sequence number is used once in a database's log (Paul Randal, "Inside the
 * Storage Engine: More on the circular nature of the log"; FORMAT-NOTES: VLF header u32 @4), so the
 * .ldf files of one log of several files hold different ones, and two files holding one are copies
 * of one log file or logs of two histories of the database (a copy attached as another database, a
 * RESTORE's new recovery fork), whose records at the same LSN `log` compares. A file whose layout
 * cannot be read holds none here (its read reports why). Never throws.
 */
async function sharedLdfSequences(ldfs: readonly string[]): Promise<Set<string>> {
  const shared = new Set<string>();
  if (ldfs.length < 2) return shared;
  const seen = new Set<string>();
  for (const f of new Set(ldfs)) {
    let seqs: string[] = [];
    try {
      const layout = await readLdfLayout(f, { allowUnsupportedVersion: true });
      seqs = [...new Set(layout.vlfs.filter((v) => v.seq > 0).map((v) => v.seq.toString(16).padStart(8, '0')))];
    } catch {
      seqs = [];
    }
    for (const q of seqs) {
      if (seen.has(q)) shared.add(q);
      seen.add(q);
    }
  }
  // the same file listed twice holds every one of its sequences twice
  if (new Set(ldfs).size < ldfs.length) {
    for (const f of ldfs.filter((x, k) => ldfs.indexOf(x) !== k)) {
      try {
        for (const v of (await readLdfLayout(f, { allowUnsupportedVersion: true })).vlfs) if (v.seq > 0) shared.add(v.seq.toString(16).padStart(8, '0'));
      } catch {
        // its read reports why
      }
    }
  }
  return shared;
}

/**
 * The log backups among the inputs checked as a chain, as `scan --trn` checks them (backup/log-chain.ts):
 * a break is a skipped item FORMAT_LOG_CHAIN_GAP naming both files and LSNs (so the summary ends
 * INCOMPLETE); sets given in another order than LSN order (`log *.trn` lists `_10.trn` before `_2.trn`)
 * are printed as given, with a note; a set given twice is said. All were silent: `log _1.trn _3.trn`
 * printed its records as a whole log.
 */
async function logBackupGaps(inputs: LogInput[], damagedCopies: ReadonlyMap<string, string>): Promise<{ gaps: SkippedItem[]; notes: string[]; sets: LogBackupSet[] }> {
  const given: LogBackupSet[] = [];
  for (const i of inputs) {
    if (i.kind !== 'trn') continue;
    const layout = readMtfLayout(i.file);
    for (const position of i.positions) given.push({ file: i.file, position, header: readBackupHeader(i.file, layout, position) });
  }
  // a copy whose log does not read whole gives way to a whole copy of the same log (read first: readers below)
  const chain = logBackupChain(given, (s) => damagedCopies.has(`${s.file}#${s.position}`));
  // every file given, in chain order: each set with the other copies of it given after it (the chain
  // keeps one; copies all damaged are read together, so the list left out all but one of them and,
  // given as listed, lost what only the others held)
  const key = (x: LogBackupSet) => `${x.header.firstLsn.decimal}-${x.header.lastLsn.decimal}`;
  const oldestFirst: LogBackupSet[] = [];
  for (const set of chain.sets) {
    for (const x of [set, ...given.filter((g) => g !== set && key(g) === key(set))]) {
      if (!oldestFirst.some((y) => y.file === x.file && y.position === x.position)) oldestFirst.push(x);
    }
  }
  const notes = chain.givenInOrder ? [] : [`the log backups are not given in LSN order, so their records are printed out of LSN order as given; list them oldest first: ${oldestFirst.map(setName).join(' ')}`];
  // a full or differential backup's log listed after a later log backup (or backup): printed as
  // given too, out of LSN order, and `log DIFF.bak _3.trn` said nothing of it (the log backups
  // alone were compared)
  if (chain.givenInOrder && inputs.some((i) => i.kind === 'bak') && !inputs.some((i) => i.kind === 'ldf')) {
    const listed: Array<{ name: string; first: bigint }> = [];
    try {
      for (const i of inputs) {
        const layout = readMtfLayout(i.file);
        for (const position of i.positions) {
          const h = readBackupHeader(i.file, layout, position);
          // where its log starts: the block of FirstLSN (log-edges.ts: a set's log stream starts at
          // the VLF and block of its FirstLSN, slot 1), not FirstLSN itself: a differential's
          // FirstLSN is a record inside that block (RestoreTimeClean2.bak 19:ad:26, its log from
          // 19:ad:1, as RestoreTimeClean2_1.trn's), and `log DIFF.bak LOG.trn`, printed in LSN
          // order, was said to be out of it. decimal LSN = VLF × 10^15 + block × 10^5 + slot.
          listed.push({ name: setName({ file: i.file, position, header: h }), first: BigInt(h.firstLsn.decimal) / 100000n });
        }
      }
    } catch {
      // a header that cannot be read: its reader says so, and the order is not known here
      listed.length = 0;
    }
    if (listed.some((x, k) => k > 0 && x.first < listed[k - 1]!.first)) {
      const sorted = [...listed].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
      notes.push(`the backups are not listed in LSN order, so their records are printed out of LSN order as given; list them oldest first: ${sorted.map((x) => x.name).join(' ')}`);
    }
  }
  return { gaps: [...chain.gaps.map((g) => g.item), ...(await backupLogHoles(inputs, chain))], notes: [...notes, ...chain.repeats], sets: chain.sets };
}

/**
 * Stretches of log between a full or differential backup listed (its log portion, HEADERONLY
 * FirstLSN to LastLSN) and the log backups or other backups listed with it that no file listed
 * holds: `log FULL.bak _2.trn` (RestoreTimeClean: the full backup's log ends at 19:84:1, _2.trn
 * starts at 19:99:1) and `log FULL.bak DIFF.bak` printed their records as one log, exit 0, while
 * `log _1.trn _3.trn` said its gap (the log backups alone were checked as a chain). The ranges
 * listed are walked in LSN order, a backup's overlapping the log backups' as they do; each hole
 * not already a break of the log backups' chain is a FORMAT_LOG_CHAIN_GAP naming the sets on each
 * side and the LSNs, as `scan --bak FULL DIFF` says the log between its backups is in no file. Not
 * checked when an .ldf is listed (its LSN range is known only once read; it may hold the stretch),
 * nor when a backup's header cannot be read (its reader reports it). Never throws.
 */
async function backupLogHoles(inputs: LogInput[], chain: { sets: LogBackupSet[]; gaps: Array<{ from: string; to: string }> }): Promise<SkippedItem[]> {
  if (inputs.some((i) => i.kind === 'ldf')) return [];
  const baks: LogBackupSet[] = [];
  for (const i of inputs) {
    if (i.kind !== 'bak') continue;
    try {
      const layout = readMtfLayout(i.file);
      for (const position of i.positions) baks.push({ file: i.file, position, header: readBackupHeader(i.file, layout, position) });
    } catch {
      // a backup whose header cannot be read: its reader says so, and its log range is unknown here
      return [];
    }
  }
  if (baks.length === 0) return [];
  const first = (x: LogBackupSet) => BigInt(x.header.firstLsn.decimal);
  const last = (x: LogBackupSet) => BigInt(x.header.lastLsn.decimal);
  const ranges = [...baks, ...chain.sets].sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
  const out: SkippedItem[] = [];
  let reach = ranges[0]!;
  for (const r of ranges.slice(1)) {
    if (first(r) > last(reach) && !chain.gaps.some((g) => g.from === reach.header.lastLsn.lsn && g.to === r.header.firstLsn.lsn)) {
      // A full or differential backup's log starts before its header's FirstLSN (backupLogFirstLsn):
      // `log _3.trn DIFF.bak` (RestoreTimeClean: _3.trn ends at 19:ad:1, the differential's FirstLSN is
      // 19:ad:26, its log from 19:ad:1) printed every record and said INCOMPLETE, "19:ad:1 up to
      // 19:ad:26 in no file given", LSNs it had printed
      const starts = r.header.backupType === 'log' ? null : await backupLogFirstLsn(r.file, r.position);
      const startDec = starts ? BigInt(lsnToDecimal(starts)) : first(r);
      if (startDec > last(reach)) {
        const startLsn = starts && startDec < first(r) ? { decimal: lsnToDecimal(starts), lsn: formatLsn(starts) } : r.header.firstLsn;
        const what = (x: LogBackupSet) => `${x.header.backupType === 'log' ? '' : `${x.header.backupType} backup `}${setName(x)}`;
        out.push({
          code: 'FORMAT_LOG_CHAIN_GAP',
          reason: `log does not continue: ${what(reach)} holds log up to LSN ${reach.header.lastLsn.decimal} (${reach.header.lastLsn.lsn}), ${what(r)} starts at ${startLsn.decimal} (${startLsn.lsn}): the log between them is in no file listed (a log backup between them, or the log backups of the time between two backups, which a full or differential backup's own log does not hold)`,
          location: { file: r.file, lsn: startLsn.lsn },
          lsnRange: { first: reach.header.lastLsn.lsn, last: startLsn.lsn },
        });
      }
    }
    if (last(r) > last(reach)) reach = r;
  }
  return out;
}

/**
 * Moves each reader of a damaged copy of a log backup set (`damaged`: `${file}#${position}` → why,
 * damagedLogCopies) to just after the first reader of a whole copy of the same set (the same header
 * FirstLSN and LastLSN) that comes later in `readers`; every other reader keeps its place. In place.
 */
function moveDamagedCopiesAfterWhole<R extends { backup: { file: string; position: number } | null }>(readers: R[], damaged: ReadonlyMap<string, string>): void {
  const key = (r: R) => (r.backup ? `${r.backup.file}#${r.backup.position}` : null);
  const range = (r: R) => {
    if (!r.backup) return null;
    const h = readBackupHeader(r.backup.file, undefined, r.backup.position);
    return `${h.firstLsn.decimal}-${h.lastLsn.decimal}`;
  };
  const ranges = new Map(readers.map((r) => [r, range(r)] as const));
  for (let i = 0; i < readers.length; i++) {
    const r = readers[i]!;
    const k = key(r);
    if (k === null || !damaged.has(k)) continue;
    const at = readers.findIndex((o, j) => j > i && ranges.get(o) === ranges.get(r) && !damaged.has(key(o) ?? ''));
    if (at < 0) continue;
    readers.splice(i, 1);
    readers.splice(at, 0, r);
    i--;
  }
}

/** One copy of a log backup set read in a merge (mergeCopies): its reader, stats, the items its read skipped and the LSN stretches it read without a skip between. */
interface CopyRead {
  file: string;
  position: number;
  own: LogScanStats;
  items: SkippedItem[];
  /**
   * Stretches of LSNs this copy read with no item skipped in between (lower-case, as printed): the
   * first and last record read, and `upTo` when the skip that ended the stretch names where its loss
   * begins (every item of it has an LSN range starting past `last`): the copy read every record
   * below `upTo` from `first` on (the lost range is [first, last) of its items, "up to" the next
   * block read).
   */
  segments: Array<{ first: string; last: string; upTo?: string }>;
  /** Items skipped so far, and when the last stretch began. */
  skips: number;
  segAt: number;
}

/**
 * Groups of readers that are copies of one log backup set (the same header FirstLSN and LastLSN,
 * files or sets not the same) every one of which was found damaged (damagedLogCopies) — no whole
 * copy to read first (moveDamagedCopiesAfterWhole) — with at least two readers. Indexes into `readers`.
 */
function damagedCopyGroups<R extends { backup: { file: string; position: number } | null }>(readers: R[], damaged: ReadonlyMap<string, string>): number[][] {
  const byRange = new Map<string, number[]>();
  const withWhole = new Set<string>();
  readers.forEach((r, i) => {
    if (!r.backup) return;
    const k = `${r.backup.file}#${r.backup.position}`;
    const h = readBackupHeader(r.backup.file, undefined, r.backup.position);
    const range = `${h.firstLsn.decimal}-${h.lastLsn.decimal}`;
    // a whole copy of the range is read first and the damaged after it (moveDamagedCopiesAfterWhole)
    if (!damaged.has(k)) {
      withWhole.add(range);
      return;
    }
    const g = byRange.get(range) ?? [];
    if (!g.some((j) => `${readers[j]!.backup!.file}#${readers[j]!.backup!.position}` === k)) g.push(i);
    byRange.set(range, g);
  });
  return [...byRange].filter(([range, g]) => g.length > 1 && !withWhole.has(range)).map(([, g]) => g);
}

/**
 * A digest of everything `log` prints of a record (every field but its source), to tell two copies
 * of one LSN apart without keeping the records (their row images hold their blocks).
 */
export function recordFingerprint(r: LogRecord): string {
  const h = createHash('sha1');
  for (const k of Object.keys(r).sort()) {
    if (k === 'source') continue;
    const v = (r as unknown as Record<string, unknown>)[k];
    h.update(k);
    h.update('\0');
    if (v instanceof Uint8Array) h.update(v);
    else h.update(v === undefined || v === null ? '\u0001' : String(v));
    h.update('\u0002');
  }
  return h.digest('base64');
}

/** Characters of `ldfRecordPrint` (base64: 72 bits, enough to tell two records at one LSN apart). */
const LDF_PRINT_LEN = 12;
/** Every field of a log record as `log` prints it (LogRecord), in a fixed order: what `ldfRecordPrint` hashes. */
const PRINT_FIELDS = ['Operation', 'Context', 'Transaction ID', 'AllocUnitId', 'Page ID', 'Slot ID', 'Offset in Row', 'Modify Size', 'Previous LSN', 'Previous Page LSN', 'Begin Time', 'End Time', 'Transaction Name', 'Transaction SID', 'SPID', 'Description', 'RowLog Contents 0', 'RowLog Contents 1', 'RowLog Contents 2', 'RowLog Contents 3', 'RowLog Contents 4', 'Log Record'] as const;

/**
 * A short fingerprint of a record's content (its fields in a fixed order, `recordFingerprint`'s
 * content without its per-record key sort), for the records two .ldf files hold at one LSN: kept
 * for every record of a VLF sequence both hold, so small and quick to make.
 */
function ldfRecordPrint(r: LogRecord): string {
  const h = createHash('sha1');
  const rec = r as unknown as Record<string, unknown>;
  for (const k of PRINT_FIELDS) {
    const v = rec[k];
    if (v instanceof Uint8Array) h.update(v);
    else h.update(v === undefined || v === null ? '\u0001' : String(v));
    h.update('\u0002');
  }
  return h.digest('base64').slice(0, LDF_PRINT_LEN);
}

/**
 * Records two copies of one log backup hold at the same LSN with different content (a change the
 * log block checksum does not see: it is an XOR, so the same bit changed in two words of a sector
 * passes; or copies of two histories). Which one is right cannot be told from the files: each is a
 * WARNING naming the LSN and both files, and the result is INCOMPLETE (FORMAT_LOG_SOURCES_DISAGREE).
 */
export class CopyDisagreements {
  /** By `printed\nother` file: how many LSNs, the first few; `kind` 'ldf' for two log files (.ldf), not copies of one log backup. */
  readonly pairs = new Map<string, { printed: string; other: string; n: number; lsns: string[]; kind: 'backup' | 'ldf' }>();
  add(lsn: string, printed: string, other: string, kind: 'backup' | 'ldf' = 'backup'): void {
    const k = `${printed}\n${other}`;
    const p = this.pairs.get(k) ?? { printed, other, n: 0, lsns: [], kind };
    p.n++;
    if (p.lsns.length < 5) p.lsns.push(lsn);
    this.pairs.set(k, p);
  }
  /** One skipped item per pair of files (a log loss: INCOMPLETE), its reason the WARNING's text. */
  items(): SkippedItem[] {
    return [...this.pairs.values()].map((p) => ({
      code: 'FORMAT_LOG_SOURCES_DISAGREE',
      reason:
        p.kind === 'ldf'
          ? `${p.n} record(s) at the same LSN differ between two log files given: ${p.printed} and ${p.other} hold different records at LSN ${p.lsns.join(', ')}${p.n > p.lsns.length ? ' …' : ''}; the record printed there is ${p.printed}'s, and ${p.other}'s records at the LSNs ${p.printed} holds were passed over. They are not copies of one log file: the logs of two histories of the database (a copy of its files attached as another database, whose log goes on from the same LSNs; a RESTORE between them, which starts a new recovery fork whose LSNs repeat the old one's) or one is damaged where no log block checksum sees it: read each alone (rowback log ${p.printed}, then rowback log ${p.other}) and use the log of the database the rows are to come from`
          : `${p.n} record(s) at the same LSN differ between copies of one log backup: ${p.printed} and ${p.other} hold different records at LSN ${p.lsns.join(', ')}${p.n > p.lsns.length ? ' …' : ''}; the record printed there is ${p.printed}'s. Which copy is right cannot be told from the files (damage that keeps the log block checksum passing, or copies of two histories): print each copy alone (rowback log ${p.printed}, then rowback log ${p.other}) to see both records, and compare them with the database or a third copy before using them`,
      location: { file: p.other, lsn: p.lsns[0]! },
      lsnRange: { first: p.lsns[0]!, last: p.lsns[0]! },
    }));
  }
}

/**
 * The records of several damaged copies of one log backup set, each once, in LSN order: each copy's
 * stream (in LSN order) merged by LSN, a record every copy holds taken from the first and passed over
 * in the others (`dupes`). What each copy read without a skip between is kept (CopyRead.segments),
 * so the loss of one copy can be checked against what the others read (copyLossCovered). Reading
 * `log A.trn C.trn` of two copies damaged in different places printed A's records, then the ones A
 * lost from C, out of LSN order, and said INCOMPLETE with every record printed.
 */
async function* mergeCopies(copies: Array<{ read: CopyRead; gen: AsyncGenerator<LogRecord> }>, dupes: { n: number }, disagree?: CopyDisagreements): AsyncGenerator<LogRecord> {
  const heads: Array<LogRecord | null> = [];
  const advance = async (i: number): Promise<void> => {
    const c = copies[i]!;
    const n = await c.gen.next();
    if (n.done) {
      heads[i] = null;
      return;
    }
    const lsn = n.value['Current LSN'].toLowerCase();
    const st = c.read;
    const seg = st.segments[st.segments.length - 1];
    if (!seg || st.segAt !== st.skips) {
      // the items skipped since the last record: where the first loss begins, when each says
      if (seg) {
        const between = st.items.slice(st.segAt, st.skips);
        if (between.length && between.every((x) => x.lsnRange)) {
          const from = between.map((x) => x.lsnRange!.first.toLowerCase()).sort()[0]!;
          if (from > seg.last) seg.upTo = from;
        }
      }
      st.segments.push({ first: lsn, last: lsn });
      st.segAt = st.skips;
    } else if (lsn > seg.last) seg.last = lsn;
    else if (lsn < seg.first) seg.first = lsn;
    heads[i] = n.value;
  };
  try {
    for (let i = 0; i < copies.length; i++) await advance(i);
    for (;;) {
      let at = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h && (at < 0 || h['Current LSN'].toLowerCase() < heads[at]!['Current LSN'].toLowerCase())) at = i;
      }
      if (at < 0) return;
      const rec = heads[at]!;
      const lsn = rec['Current LSN'].toLowerCase();
      yield rec;
      for (let i = 0; i < heads.length; i++) {
        if (i === at || !heads[i] || heads[i]!['Current LSN'].toLowerCase() !== lsn) continue;
        dupes.n++;
        // the same LSN in two copies: the same record, or one copy is not what was written
        if (disagree && recordFingerprint(heads[i]!) !== recordFingerprint(rec)) disagree.add(rec['Current LSN'], copies[at]!.read.file, copies[i]!.read.file);
        await advance(i);
      }
      await advance(at);
    }
  } finally {
    for (const c of copies) await c.gen.return(undefined);
  }
}

/**
 * Whether the LSNs an item of one copy lost were read by the other copies (`others`): its LSN range
 * (`lsnRange`, where the reader knows it) lies inside what they read without a skip (their stretches
 * chained where they share a record or one starts where another's loss begins; a copy whose stream
 * reached its header's start stretches from it (`start`), one that reached its end to it (`end`), one
 * cut short of it to where its stream ends (`endsAt`)). An item without an LSN range, or a range no copy read through —
 * one lost in both copies, or damage at a VLF boundary where neither copy can show it read every
 * record — is not covered: it stays a loss.
 */
function copyLossCovered(item: SkippedItem, others: ReadonlyArray<{ read: CopyRead; start: boolean; end: boolean; endsAt?: string }>): boolean {
  if (!item.lsnRange) return false;
  const first = item.lsnRange.first.toLowerCase();
  const last = item.lsnRange.last.toLowerCase();
  const segs = others.flatMap(({ read, start, end, endsAt }) => read.segments.map((g, i) => ({
    first: start && i === 0 ? '' : g.first,
    // read through to where its next loss begins (an item's range ends "up to", exclusive: the
    // copy that lost the block before ours read our stretch's first record, not one before it)
    // the last stretch reaches the header's end when the copy's stream did and nothing was skipped after it
    // (or, its stream cut short of it, to where the stream ends: every record below that was read)
    last: i === read.segments.length - 1 && read.segAt === read.skips && (end || endsAt !== undefined)
      ? (end ? '\uffff' : [g.upTo ?? g.last, endsAt!].sort()[1]!)
      : (g.upTo ?? g.last),
  })));
  let cur: string | null = null;
  for (const g of segs) if (g.first <= first && (cur === null || g.last > cur)) cur = g.last;
  if (cur === null) return false;
  // chain: a stretch starting at or before where the read so far reaches carries it on
  for (let grown = true; grown && cur < last;) {
    grown = false;
    for (const g of segs) if (g.first <= cur && g.last > cur) { cur = g.last; grown = true; }
  }
  return cur >= last;
}

/**
 * Runs `rowback log`: checks every input and option before reading, then streams the records that
 * pass the filter to stdout (or `--out`). Damaged blocks, gaps and cut files are skipped items,
 * summarised on stderr (`INCOMPLETE: …` when records were lost), never fatal. Throws InputError
 * INPUT_* for bad options/files (before any output), INPUT_MIXED_DATABASES for files of two
 * databases, INPUT_NO_METADATA for --table without metadata, INPUT_UNKNOWN_TABLE for a table the
 * metadata does not know, and what the readers throw for a file that is not usable at all.
 */
export async function runLog(files: string[], opts: LogOptions): Promise<void> {
  // Ctrl-C / SIGTERM: stop where it is, flush what was written, say INTERRUPTED (interrupt.ts).
  const interrupt = catchInterrupts();
  try {
    await logRecords(files, opts, interrupt, Date.now());
  } finally {
    interrupt.release();
  }
}

async function logRecords(files: string[], opts: LogOptions, interrupt: Interruption, started: number): Promise<void> {
  const position = parseBackupSetPosition('--position', opts.position);
  // `log --bak FULL X.trn` gives X.trn to --bak (it takes a list, as scan's): said, not commander's "missing argument"
  if (files.length === 0) {
    throw new InputError('INPUT_BAD_OPTION', opts.bak?.length
      ? `no log file to read: --bak took every file after it (${opts.bak.join(' ')}) as the backups giving table metadata; list the log files first: rowback log LOG… --bak FULL [STRIPE…] [DIFF…]`
      : 'no log file to read: give .ldf, .trn or .bak files');
  }
  // Outputs are checked before any work, as scan checks them: a missing folder is one line now, not
  // a failure once the log was listed (nor a log file listed named by --report: INPUT_OUTPUT_IS_INPUT)
  if (opts.report) assertWritableOutput('--report', opts.report, { opts, args: files });
  const inputs = planInputs(files, position);
  // a backup set number with no backup to pick it in was ignored unsaid
  if (position !== undefined && !opts.bak && inputs.every((i) => i.kind === 'ldf')) {
    throw new InputError('INPUT_BAD_OPTION', '--position picks a backup set of a .trn/.bak given, and only .ldf files were given: leave --position out');
  }
  // the metadata files checked before their identity is read (an empty --mdf was "does not start with a file header page")
  if (opts.mdf) assertReadableFile('--mdf', opts.mdf);
  for (const b of opts.bak ?? []) assertReadableFile('--bak', b);
  const metaPosition = bakPosition(inputs, opts.bak, position);
  // each backup set read: a file written WITH NOINIT may hold backups of several databases
  const ids: SourceFileIdentity[] = [];
  if (opts.mdf) ids.push(await readSourceIdentity(opts.mdf, 'mdf'));
  for (const b of opts.bak ?? []) appendAll(ids, (await readSourceIdentities(b, 'bak', metaPosition)));
  // a --bak set picked by number from a file holding another database's sets too: said (identityNotes below)
  const bakOtherDatabases = metaPosition === undefined ? [] : (opts.bak ?? []).flatMap((b) => otherDatabaseSetsNote(b, [metaPosition]) ?? []);
  for (const i of inputs) {
    if (i.kind === 'ldf') ids.push(await readSourceIdentity(i.file, 'ldf'));
    else for (const p of i.positions) appendAll(ids, (await readSourceIdentities(i.file, i.kind, p)));
  }
  const identity = assertOneDatabase(ids);
  // a file whose binding id could not be read is read with the others' names unchecked: said, even with --quiet
  const identityNotes = ids.length > 1 ? [...identity.unchecked.map(uncheckedIdentityNote), ...identity.otherNames] : [];
  // full/differential sets of a file of several sets, left out (planInputs): said even with --quiet
  for (const i of inputs) if (i.leftOut && !identityNotes.includes(i.leftOut)) identityNotes.push(i.leftOut);
  for (const n of bakOtherDatabases) if (!identityNotes.includes(n)) identityNotes.push(n);

  if (opts.catalogAnyDatabase && !opts.schema) throw new InputError('INPUT_BAD_OPTION', '--catalog-any-database lets a --schema catalog JSON of another database be used, and no --schema was given: leave it out');
  const meta = await loadNames(opts, metaPosition);
  // a catalog of another database names these records after its own tables: refused (or said unchecked, even with --quiet)
  // a data file (or backup) and an .ldf of one database but of different times: said, even with --quiet
  // (.ldf files as the only log: log backups listed beside them may cover what they lack)
  if ((opts.mdf || opts.bak) && meta?.checkpointLsn && inputs.every((i) => i.kind === 'ldf')) {
    // all the .ldf files at once: the files of a log of several files each hold some of its VLF
    // sequences, the checkpoint's in one of them (checked file by file, the others were called older)
    const note = await dataFileLogTimeNote({ file: opts.mdf ?? opts.bak![0]!, role: opts.mdf ? 'mdf' : 'bak', checkpointLsn: meta.checkpointLsn }, inputs.map((i) => i.file), { allowLogVersion2: meta.dbiVersion === 611 });
    if (note && !identityNotes.includes(note)) identityNotes.push(note);
  }
  if (opts.schema) appendAll(identityNotes, checkCatalogDatabase({ name: `--schema ${opts.schema}`, file: opts.schema, identity: meta?.identity ?? null }, ids, { anyDatabase: opts.catalogAnyDatabase, overrideName: '--catalog-any-database' }));
  const tables = opts.table; // normalised and split by collectTables
  let tableAllocUnits: string[] | null = null;
  // notes that a --table read in dbo has namesakes in other schemas (the summary's notes)
  const schemaNotes: string[] = [];
  if (tables.length) {
    if (!meta) throw new InputError('INPUT_NO_METADATA', '--table needs table metadata: give --mdf FILE, --bak FILE or --schema CATALOG.json (or filter with --alloc-unit ID)');
    tableAllocUnits = [];
    const matched: string[] = [];
    for (const t of tables) {
      // Every layout of the table: catalog JSON gives one per partition, each with its own
      // allocation units (find() kept the first partition's alone: the others' records went unlisted).
      // the table's exact name (another case only when one table has it: names.ts), then all its layouts
      const exact = findTableName(new Set(meta.tables.map((x) => stagedTableName(x))), t);
      const hits = exact === undefined ? [] : meta.tables.filter((x) => stagedTableName(x) === exact);
      if (hits.length === 0) {
        throw new InputError('INPUT_UNKNOWN_TABLE', unknownTableMessage(t, [...new Set(meta.tables.map((x) => stagedTableName(x)))], meta.skipped ?? [], meta.databaseName), { table: t });
      }
      // read in dbo while other schemas have a table of that name, for a name typed without its
      // schema (names.ts otherSchemasNote, as dump and scan say it): `log --table Employees` on
      // TSQLV4.bak printed dbo.Employees' records, none, without a word of HR.Employees
      if (tablesTypedWithoutSchema(tables).has(t)) {
        const elsewhere = otherSchemasNote(meta.tables.map((x) => stagedTableName(x)), exact!, tables);
        if (elsewhere && !schemaNotes.includes(elsewhere)) schemaNotes.push(elsewhere);
      }
      const unmapped = hits.filter((h) => !h.allocUnits?.length);
      if (unmapped.length) {
        const which = hits.length > 1 ? ` (partition ${unmapped.map((h) => h.partitionNumber ?? h.partitionId ?? '?').join(', ')})` : '';
        throw new InputError('INPUT_NO_ALLOC_UNIT', `the metadata gives no allocation unit for ${t}${which}; filter with --alloc-unit ID`, { table: t });
      }
      for (const hit of hits) appendAll(tableAllocUnits, hit.allocUnits!.map((a) => a.allocUnitId));
      // and its other indexes' units: a table's records are its index rows too (LCX_INDEX_LEAF), as
      // fn_dblog names them dbo.Orders.CustomerID; before, --table listed its data units alone
      for (const u of meta.indexUnits ?? []) if (stagedTableName(u) === exact) tableAllocUnits.push(u.allocUnitId);
      matched.push(exact!);
    }
    // a catalog JSON lists heaps and clustered indexes only: said, not left for the reader to guess
    if (!meta.indexUnits) schemaNotes.push(`--schema's catalog JSON names no allocation unit of a table's nonclustered indexes: records on them (LCX_INDEX_LEAF) are not listed for ${[...new Set(matched)].map((t) => tableNameText(t)).join(', ')}; --mdf or --bak names them`);
  }
  const filter = compileLogFilter(opts, tableAllocUnits);
  const names = meta ? new Map<string, string>() : null;
  // the table format's AllocUnitName: the table as messages name it (one name each part, one line)
  const shownNames = meta && opts.format === 'table' ? new Map<string, string>() : null;
  for (const t of meta?.tables ?? []) {
    for (const a of t.allocUnits ?? []) {
      names!.set(a.allocUnitId, `${t.schema}.${t.name}`);
      shownNames?.set(a.allocUnitId, tableText(t));
    }
  }
  // a nonclustered index's units as fn_dblog names them: schema.table.index
  for (const u of meta?.indexUnits ?? []) {
    const n = indexUnitNames(u);
    if (n.data !== null) names!.set(u.allocUnitId, n.data);
    shownNames?.set(u.allocUnitId, n.shown);
  }
  const columns = logColumns(names !== null);

  const skipped: SkippedItem[] = [];
  // Copies of one log backup (the same FirstLSN and LastLSN) given together: which of them reads whole
  // is known only by reading their log (log-commits.ts damagedLogCopies, as scan --trn finds it). A
  // damaged copy given first was read first: the records it lost came from the whole copy after it,
  // printed out of LSN order, and the result said INCOMPLETE with every record printed.
  const trnFiles = inputs.filter((i) => i.kind === 'trn').map((i) => i.file);
  const damagedCopies = trnFiles.length > 1 ? await (await import('../../backup/log-commits.js')).damagedLogCopies(trnFiles) : new Map<string, string>();
  const chain = await logBackupGaps(inputs, damagedCopies);
  appendAll(skipped, chain.gaps);
  // two log backups meeting where a VLF ends: the later one's first block names the size of the
  // earlier one's last block of that VLF; a lost last block there is told (chain-boundary.ts)
  if (chain.sets.length > 1) appendAll(skipped, (await chainVlfBoundaryGaps(chain.sets.map((x) => ({ file: x.file, position: x.position, firstLsn: x.header.firstLsn.decimal, lastLsn: x.header.lastLsn.decimal, name: setName(x) })))).map((g) => g.item));
  // Where the MTF walk of a backup stopped at damage: what comes after it is not read (a damaged
  // MSTL block gave '0 of 0 record(s) printed', exit 0, not a word; scan said INCOMPLETE). Damage in
  // the closing blocks only (mtf.ts trailerOnly) loses no record: a note.
  // A log backup cut short inside its log stream loses log only if what was read of it falls short
  // of its header's LSN range (log-coverage.ts cutLogStream, the rule scan and the replay apply):
  // held until its read is compared with the header (it said INCOMPLETE naming no LSN for a cut copy
  // whose log was all there).
  const cutStreams = new Map<string, SkippedItem>();
  const walked = new Set<string>();
  const headerWarnings: string[] = [];
  for (const i of inputs) {
    if (i.kind === 'ldf' || walked.has(i.file)) continue;
    walked.add(i.file);
    const layout = readMtfLayout(i.file);
    // the file's last set (its one, or the last of several) cut short: judged when that set is read
    const lastSet = Math.max(1, layout.sets);
    const cut = i.kind === 'trn' && i.positions.includes(lastSet) ? cutLogStream(layout, undefined, i.file) : null;
    if (cut) cutStreams.set(`${i.file}#${lastSet}`, cut);
    for (const p of layout.problems) {
      if (p === cut) continue;
      // one header copy damaged where the set is read all the same: a WARNING line, not a skipped item
      if (p.code === BACKUP_HEADER_WARNING) headerWarnings.push(`${i.file}: ${p.code}: ${p.reason} (offset ${p.location.offset})`);
      else {
        // damaged in a field a restore reads: listed as skipped, and said as a WARNING (even with --quiet)
        if (p.code === 'FORMAT_BAD_BACKUP_HEADER') headerWarnings.push(`${i.file}: ${p.code}: ${p.reason} (offset ${p.location.offset})`);
        skipped.push(p);
      }
    }
  }
  const cutNotes: string[] = [];
  const progress = createProgress({ quiet: opts.quiet });
  const stats = emptyLogScanStats();
  let printed = 0;
  // CSV and table lines are UTF-8, which writes U+FFFD for an unpaired surrogate (a transaction name
  // cut between the halves of a pair): the records whose cells hold one, said after the output
  const unwritable = { records: 0, first: [] as string[] };
  const noteUnwritable = (lsn: string, names: readonly string[], values: readonly unknown[]): void => {
    const at = unpairedSurrogateCells(names, values);
    if (!at.length) return;
    unwritable.records++;
    if (unwritable.first.length < UNWRITABLE_NAMED) unwritable.first.push(`LSN ${lsn} ${at.join(', ')}`);
  };
  // records of operation codes rowback does not know, as printed (each LSN once, inside the window)
  const unknownOps: UnknownOperation[] = [];
  const noteUnknown = (r: LogRecord, file: string): void => {
    const op = Number(r.Operation.slice('LOP_UNKNOWN_'.length));
    const u = unknownOps.find((x) => x.op === op);
    if (u) u.count++;
    else unknownOps.push({ op, count: 1, firstLsn: r['Current LSN'], file: r.source?.file ?? file, offset: r.source?.offset ?? 0 });
  };
  let repeats = 0;
  /** Records of an input passed over as printed from an earlier one, where either is an .ldf: by (file, earlier file). */
  const heldTwice = new Map<string, { file: string; earlier: string; records: number; seqs: Set<string> }>();
  const scanOpts: LogScanOptions = {
    onSkipped: (s) => skipped.push(s),
    logFormat2IsSql2005: meta?.dbiVersion === 611,
    // an .ldf's VLFs by sequence number: its records in LSN order, as fn_dblog lists them (in file
    // order a log that wrapped around the file printed its newest VLF first)
    vlfOrder: 'sequence',
    onProgress: () => progress.update(() => `rowback log: ${((stats.bytes + (live?.bytes ?? 0)) / 1048576).toFixed(1)} MiB, ${stats.records + (live?.records ?? 0)} records read, ${printed} printed`),
  };

  // Everything that can refuse a whole input (a SQL Server 2000 log, an encrypted backup, one
  // stripe of a media set) is checked now, so a refusal is one line with nothing on stdout.
  const sql2005 = meta?.dbiVersion === 611;
  // Each input read with its own stats (`own`), merged into `stats` when its read ends: a backup's
  // stream is compared with its header (where it starts and ends), as scan and the replay compare it.
  const readers: Array<{ file: string; backup: { file: string; position: number } | null; read: (own: LogScanStats) => AsyncGenerator<LogRecord>; copies?: CopyRead[] }> = [];
  for (const input of inputs) {
    if (input.kind === 'ldf') {
      await readLdfLayout(input.file, { allowUnsupportedVersion: sql2005 });
      readers.push({ file: input.file, backup: null, read: (own) => readLdfRecords(input.file, scanOpts, own) });
    } else {
      for (const pos of input.positions) {
        const stream = openBackupLogStream(input.file, input.kind, undefined, pos);
        readers.push({ file: input.file, backup: { file: input.file, position: pos }, read: (own) => stream.records(scanOpts, own) });
      }
    }
  }
  // A damaged copy read after a whole copy of the same backup set: every record it holds was printed
  // from the whole one (passed over as repeats), and its loss is a note (cutNotes below).
  if (damagedCopies.size) moveDamagedCopiesAfterWhole(readers, damagedCopies);
  // Copies of one backup set all damaged (none whole to read first): read together, merged by LSN,
  // each record once, in LSN order; the loss of each copy checked against what the others read.
  const copyDupes = { n: 0 };
  const disagree = new CopyDisagreements();
  if (damagedCopies.size) {
    const groups = damagedCopyGroups(readers, damagedCopies);
    const drop = new Set<number>();
    for (const g of groups) {
      const copies = g.map((i) => {
        const b = readers[i]!.backup!;
        const read: CopyRead = { file: b.file, position: b.position, own: emptyLogScanStats(), items: [], segments: [], skips: 0, segAt: -1 };
        return { read, b };
      });
      const first = readers[g[0]!]!;
      readers[g[0]!] = {
        file: first.file,
        backup: first.backup,
        copies: copies.map((c) => c.read),
        read: () => mergeCopies(copies.map(({ read, b }) => ({
          read,
          gen: openBackupLogStream(b.file, 'trn', undefined, b.position).records({ ...scanOpts, onSkipped: (x) => { skipped.push(x); read.items.push(x); read.skips++; } }, read.own),
        })), copyDupes, disagree),
      };
      for (const i of g.slice(1)) drop.add(i);
      // the chain's note said the copies were "read once": they are read together
      const sets: LogBackupSet[] = copies.map(({ b }) => ({ file: b.file, position: b.position, header: readBackupHeader(b.file, undefined, b.position) }));
      const names = sets.map(setName);
      const said = chain.notes.filter((n) => names.some((x) => n.startsWith(`${x} holds the same log as `)) && names.filter((x) => n.includes(x)).length > 1);
      if (said.length) {
        chain.notes.splice(chain.notes.indexOf(said[0]!), 1, `${names.join(', ')} hold the same log backup (LSN ${sets[0]!.header.firstLsn.lsn} to ${sets[0]!.header.lastLsn.lsn}), each damaged: read together, each record once, in LSN order`);
        for (const n of said.slice(1)) chain.notes.splice(chain.notes.indexOf(n), 1);
      }
    }
    for (const i of [...drop].sort((a, b) => b - a)) readers.splice(i, 1);
  }
  /** The stats of the input being read (progress counts them before they are merged). */
  let live: LogScanStats | null = null;

  /**
   * One backup set's stream, read to its end, against its header (log-coverage.ts): the LSN ranges it
   * lacks are skipped items; a cut stream of its file is judged (a note, or a loss beside them).
   */
  const judged = new Set<string>();
  /** Each backup set judged: its header's LSN range and the items its read lost at its start or end (coverage, a cut stream). */
  const judgedSets: Array<{ file: string; first: string; last: string; items: SkippedItem[]; read: SkippedItem[]; order: number }> = [];
  const judgeBackupRead = (file: string, position: number, own: LogScanStats, read: SkippedItem[] = []): void => {
    // a file given twice is read twice (its records passed over as repeats): judged once, and what
    // its second read skipped (a bad or partial block) said once
    if (judged.has(`${file}#${position}`)) {
      for (const it of read) {
        const at = skipped.lastIndexOf(it);
        if (at >= 0) skipped.splice(at, 1);
      }
      return;
    }
    judged.add(`${file}#${position}`);
    const h = readBackupHeader(file, undefined, position);
    const bounds = { file, backupType: h.backupType, firstLsn: parseLsn(h.firstLsn.lsn), lastLsn: parseLsn(h.lastLsn.lsn) };
    const lostHere = backupLogCoverage(bounds, own.firstLsn, own.end);
    appendAll(skipped, lostHere);
    const set = { file, first: h.firstLsn.decimal, last: h.lastLsn.decimal, items: [...lostHere], read, order: judgedSets.length };
    judgedSets.push(set);
    const cut = cutStreams.get(`${file}#${position}`);
    if (!cut) return;
    cutStreams.delete(`${file}#${position}`);
    // named with its set when the file holds several (the cut is its last set's: cutLogStream)
    const verdict = judgeCutLogStream(cut, position > 1 ? { ...bounds, file: fileAndSet(file, position) } : bounds, lostHere);
    if (verdict.note !== null) cutNotes.push(verdict.note);
    else {
      skipped.push(verdict.loss);
      set.items.push(verdict.loss);
    }
  };

  /**
   * Damaged copies of one backup set read together (mergeCopies): each judged against its header as
   * any backup read; then each item one copy lost whose LSNs the others read without a skip is no
   * loss (a note naming the copy it was printed from); one lost in every copy stays (INCOMPLETE).
   */
  const mergedSets = new Set<object>();
  const judgeCopies = (copies: CopyRead[]): void => {
    const sets = copies.map((c) => {
      const before = judgedSets.length;
      judgeBackupRead(c.file, c.position, c.own, c.items.filter((x) => x.location.file === c.file));
      const set = judgedSets.length > before ? judgedSets[judgedSets.length - 1]! : null;
      // judged here, against each other: not by the rule of a whole copy beside a damaged one below
      if (set) mergedSets.add(set);
      return { read: c, set };
    });
    // a copy whose stream reached its header's start (or end) read from there (or to there) but for
    // its skipped items: its only losses against the header (coverage, a cut) are at the other end.
    // Judged apart: a copy that lost its first block still read through to the header's end, which
    // an end lost in another copy needs (both as one flag, that end stayed INCOMPLETE)
    const withWhole = sets.map(({ read, set }) => {
      if (!set) return { read, start: false, end: false };
      const h = readBackupHeader(read.file, undefined, read.position);
      const hFirst = h.firstLsn.lsn.toLowerCase();
      const hLast = h.lastLsn.lsn.toLowerCase();
      const short = (it: SkippedItem) => it.code === 'FORMAT_LOG_STREAM_SHORT' && it.lsnRange !== undefined;
      const onlyShort = set.items.every(short);
      // the end lost (log-coverage.ts: "the log stream ends at LSN x"): x is past every block read
      const ends = onlyShort ? set.items.filter((it) => it.lsnRange!.last.toLowerCase() === hLast).map((it) => it.lsnRange!.first.toLowerCase()).sort() : [];
      return {
        read,
        start: onlyShort && set.items.every((it) => it.lsnRange!.first.toLowerCase() !== hFirst),
        end: onlyShort && ends.length === 0,
        ...(ends.length ? { endsAt: ends[0]! } : {}),
      };
    });
    for (const { read, set } of sets) {
      if (!set) continue;
      const others = withWhole.filter((o) => o.read !== read);
      const lostHere = [...set.items, ...set.read];
      const covered = lostHere.filter((it) => copyLossCovered(it, others));
      if (!covered.length) continue;
      for (const it of covered) {
        const at = skipped.indexOf(it);
        if (at >= 0) skipped.splice(at, 1);
      }
      set.items = set.items.filter((it) => !covered.includes(it));
      set.read = set.read.filter((it) => !covered.includes(it));
      cutNotes.push(`${read.file}: ${covered.map((x) => `${x.code}: ${readElsewhere(x.reason)}`).join('; ')}: no record is lost there, ${others.map((o) => o.read.file).join(', ')} (a copy of the same log backup, damaged elsewhere) read those LSNs whole and their records were printed from it, in LSN order`);
    }
  };

  const outFile = opts.out ? openOutputFile('--out', opts.out, { opts, args: files }) : undefined;
  // A signal while the inputs were checked: nothing written, a previous --out file left as it was.
  await new Promise((resolve) => setImmediate(resolve));
  if (interrupt.by) {
    // --report says so (complete false, interrupted), as scan's does of a scan stopped that early
    if (opts.report) writeLogReport(opts, files, { filter, records: 0, stats, repeats: 0, copyDuplicates: 0, heldTwice: 0, incomplete: [], edges: {}, interrupted: interrupt.by, notes: [], warnings: [], skipped, elapsedMs: Date.now() - started });
    sayLine(`rowback log: INTERRUPTED by ${interrupt.by}: stopped before any record was read; no record was written${opts.out ? ` (${opts.out} left as it was)` : ''}`);
    process.exitCode = exitCodeOf(interrupt.by);
    return;
  }
  const out: Writable = outFile ?? process.stdout;
  // a promise only when the stream asks to wait (or failed: a full disk under --out), not per record
  const put = (s: string): Promise<void> | void => {
    if (out.errored) return Promise.reject(out.errored);
    if (!out.write(s)) return drainOrError(out);
  };
  const header = opts.format === 'csv'
    ? csvRecord(columns, opts.csvRaw)
    : opts.format === 'table'
      ? tableLine(TABLE_COLUMNS.map(([c]) => c), names !== null, 'AllocUnitName')
      : '';
  if (header) await put(header);
  // Whether the reading stopped because of a signal (records left unread): a signal that came once
  // the last record was written (during the final flush) said "the log was not read to its end; the
  // 19319 record(s) written are only part of the result" of a whole result, exit 130 (newcomer)
  let stoppedEarly = false;
  try {
    // Consecutive log backups may both hold the block at their common boundary: a record of a
    // backup inside the LSN range the previous backup input already yielded is a repeat and is
    // passed over (counted). Printed LSNs are fixed-width lower-case hex, so they compare as strings.
    // Kept per VLF sequence (an LSN's first 8 digits) and per input, for every input kind: an .ldf
    // given twice, a copy of it, or an .ldf beside a backup of its log printed each record twice
    // (`log X.ldf X.ldf`: "38638 of 38638 record(s) printed", not a word). Per sequence, as a log
    // of several files holds different sequences in each .ldf (each sequence used once in the
    // database), whose LSN ranges interleave without a record in common. A range ends where the
    // reading of its input passed over something (a damaged block: a skipped item), so the LSNs lost
    // there are in no range: a later file holding them (an intact copy, a log backup of that log)
    // prints them, where `log DAMAGED-COPY INTACT` passed them over as "already printed".
    const printedRanges = new Map<string, Array<{ first: string; last: string; file: string; backup: boolean; set: string }>>();
    // a backup set's header range: a record repeated from a set of the same range is of another copy
    // of that log backup (the same file twice, or a copy), not of the block two consecutive log
    // backups share (the summary called a whole duplicate copy 'repeated at a log-backup boundary')
    const setRanges = new Map<string, string>();
    const setRange = (b: { file: string; position: number } | null): string => {
      if (!b) return '';
      const k = `${b.file}#${b.position}`;
      let r = setRanges.get(k);
      if (r === undefined) {
        try {
          const h = readBackupHeader(b.file, undefined, b.position);
          r = `${h.firstLsn.lsn}-${h.lastLsn.lsn}`;
        } catch {
          r = k;
        }
        setRanges.set(k, r);
      }
      return r;
    };
    // log backup sets given in more than one copy (the same header range): each record's digest, by
    // LSN, to compare with the same LSN of another copy (passed over as a repeat)
    const copiedRanges = new Set<string>();
    {
      const seen = new Set<string>();
      for (const r of readers) {
        if (!r.backup) continue;
        const k = setRange(r.backup);
        if (seen.has(k)) copiedRanges.add(k);
        seen.add(k);
      }
    }
    const copyPrints = new Map<string, { fp: string; file: string }>();
    // records of .ldf files in VLF sequences another .ldf listed holds too (a copy of the file, or a
    // log of another history at the same LSNs), by LSN, to compare with the records passed over there;
    // the files of one log of several files hold different sequences, so nothing is kept for them
    const ldfSharedSeqs = await sharedLdfSequences(inputs.filter((i) => i.kind === 'ldf').map((i) => i.file));
    // each value: the first PRINT_LEN characters of the record's fingerprint (72 bits: enough to tell
    // two records apart) and the index of its file in ldfFiles, kept small for a large log given twice
    const ldfPrints = new Map<string, string>();
    const ldfFiles: string[] = [];
    const PRINT_LEN = LDF_PRINT_LEN;
    inputs: for (const { backup, read, file, copies } of readers) {
      const copied = backup !== null && copiedRanges.has(setRange(backup));
      const ownRanges = new Map<string, Array<{ first: string; last: string; at: number }>>();
      const own = (live = emptyLogScanStats());
      const itemsBefore = skipped.length;
      try {
        for await (const r of read(own)) {
          if (interrupt.by) {
            stoppedEarly = true;
            break inputs;
          }
          const lsn = r['Current LSN'];
          const seq = lsn.slice(0, 8);
          const earlier = printedRanges.get(seq)?.find((x) => lsn >= x.first && lsn <= x.last);
          if (earlier) {
            if (backup && earlier.backup) {
              if (earlier.set === setRange(backup)) {
                copyDupes.n++;
                const first = copyPrints.get(lsn);
                if (first && first.fp !== recordFingerprint(r)) disagree.add(lsn, first.file, r.source?.file ?? file);
              }
              else repeats++;
            }
            else {
              // two .ldf files holding one LSN: compared, as copies of one log backup are (a copy of
              // another history, attached or restored, holds other records at the same LSNs)
              if (!backup && !earlier.backup) {
                const first = ldfPrints.get(lsn);
                if (first !== undefined && first.slice(0, PRINT_LEN) !== ldfRecordPrint(r)) disagree.add(lsn, ldfFiles[Number(first.slice(PRINT_LEN))]!, file, 'ldf');
              }
              const key = `${file}\n${earlier.file}`;
              const h = heldTwice.get(key) ?? { file, earlier: earlier.file, records: 0, seqs: new Set<string>() };
              h.records++;
              h.seqs.add(seq);
              heldTwice.set(key, h);
            }
            continue;
          }
          if (copied) copyPrints.set(lsn, { fp: recordFingerprint(r), file: r.source?.file ?? file });
          if (!backup && ldfSharedSeqs.has(seq)) {
            let k = ldfFiles.indexOf(file);
            if (k < 0) k = ldfFiles.push(file) - 1;
            ldfPrints.set(lsn, `${ldfRecordPrint(r)}${k}`);
          }
          // the range of this sequence read since the last item skipped, or a new one
          const list = ownRanges.get(seq);
          const mine = list?.[list.length - 1];
          if (!mine || mine.at !== skipped.length) {
            if (list) list.push({ first: lsn, last: lsn, at: skipped.length });
            else ownRanges.set(seq, [{ first: lsn, last: lsn, at: skipped.length }]);
          } else if (lsn < mine.first) mine.first = lsn;
          else if (lsn > mine.last) mine.last = lsn;
          // an unknown operation code: counted once per LSN (a copy's repeat passed over above) and
          // only inside --from-lsn/--to-lsn; the reader's count (stats.unknownOps) took every record
          // parsed: two copies of one log backup said 4 records for 2 printed, a window after them 2
          if (r.Operation.startsWith('LOP_UNKNOWN_') && inLsnWindow(r, filter)) noteUnknown(r, file);
          if (!matchesLogFilter(r, filter)) continue;
          printed++;
          let line: string;
          if (opts.format === 'ndjson') {
            const obj: Record<string, unknown> = {};
            for (const c of columns) obj[c] = cell(r, c, names);
            obj.source = r.source;
            line = lineSafeJson(JSON.stringify(obj)) + '\n';
          } else if (opts.format === 'csv') {
            const cells = columns.map((c) => cell(r, c, names));
            noteUnwritable(r['Current LSN'], columns, cells);
            line = csvRecord(cells, opts.csvRaw);
          } else {
            // The SID in its Windows text form when it has one (the hex is in csv/ndjson).
            const cells = TABLE_COLUMNS.map(([c]) => (c === 'Transaction SID' ? (sidToText(r['Transaction SID']) ?? cell(r, c, null)) : cell(r, c, null)));
            // an unpaired surrogate is written \u{d83d} there (tableLine), as every one-line text does
            line = tableLine(cells, names !== null, cell(r, 'AllocUnitName', shownNames) as string | null);
          }
          const wait = put(line);
          if (wait) await wait;
        }
      } finally {
        mergeLogScanStats(stats, own);
        for (const c of copies ?? []) mergeLogScanStats(stats, c.own);
        live = null;
      }
      if (copies) judgeCopies(copies);
      else if (backup) judgeBackupRead(backup.file, backup.position, own, skipped.slice(itemsBefore).filter((x) => x.location.file === backup.file));
      for (const [seq, xs] of ownRanges) {
        const list = printedRanges.get(seq) ?? [];
        for (const x of xs) list.push({ first: x.first, last: x.last, file, backup: backup !== null, set: setRange(backup) });
        printedRanges.set(seq, list);
      }
    }
  } finally {
    progress.done();
    // a failed file (full disk) is said as its own error, not as 'end after destroyed'
    if (outFile) await new Promise<void>((resolve, reject) => (outFile.errored ? reject(outFile.errored) : outFile.end((e?: Error | null) => (e ? reject(e) : resolve()))));
  }
  // A copy of a log backup that lost log at its start or end (cut short), beside a whole copy of the
  // same backup (its LSN range read with nothing lost): every record of that range was printed from
  // the whole copy (read first: all of it; read after: its records outside the range the copy read
  // are not repeats), so the copy's loss is a note, not INCOMPLETE (it was: 30 of 30 records printed,
  // INCOMPLETE naming the cut copy's LSNs). A copy found damaged before the reading is read after the
  // whole one (moveDamagedCopiesAfterWhole); one still read first (its damage not found by that read)
  // keeps its loss unless it is a partial last sector at the end of a cut file.
  // a signal after the last record: the result is whole, said as a note, not as INTERRUPTED
  const interrupted = stoppedEarly ? interrupt.by : null;
  const lateSignal = interrupt.by && !stoppedEarly ? interrupt.by : null;
  if (!interrupted) {
    for (const j of judgedSets) {
      if (!j.items.length && !j.read.length) continue;
      if (mergedSets.has(j)) continue;
      const whole = judgedSets.find((k) => k !== j && !mergedSets.has(k) && k.items.length === 0 && k.read.length === 0 && k.first === j.first && k.last === j.last);
      if (!whole) continue;
      let size = 0;
      try {
        size = statSync(j.file).size;
      } catch {
        // unknown: no tail item is passed over
      }
      const tail = (x: SkippedItem) => x.code === 'FORMAT_BAD_LOG_BLOCK' && x.location.offset !== undefined && size > 0 && x.location.offset >= size - 512;
      if (whole.order > j.order && !j.read.every(tail)) continue;
      for (const it of [...j.items, ...j.read]) {
        const at = skipped.indexOf(it);
        if (at >= 0) skipped.splice(at, 1);
      }
      cutNotes.push(`${j.file}: ${[...j.items, ...j.read].map((x) => `${x.code}: ${readElsewhere(x.reason)}`).join('; ')}: no record is lost, ${whole.file} holds the same log backup whole (LSN ${printedLsn(j.first)} to ${printedLsn(j.last)}) and its records were printed`);
    }
  }
  // a cut stream whose read did not end (interrupted): a loss, as scan counts it
  appendAll(skipped, cutStreams.values());
  const disagreements = disagree.items();
  appendAll(skipped, disagreements);
  // copies disagreeing are no lost log: said as such (WARNING, INCOMPLETE) below, not as 'could not be read'
  // log in no file given (a chain gap) that --from-lsn/--to-lsn lie wholly outside: a note, not
  // INCOMPLETE, as scan says it (log-not-given.ts splitLostByReach)
  const askedLsns = opts.fromLsn !== undefined || opts.toLsn !== undefined ? { fromLsn: opts.fromLsn !== undefined ? parseAnyLsn(opts.fromLsn, '--from-lsn') : null, toLsn: opts.toLsn !== undefined ? parseAnyLsn(opts.toLsn, '--to-lsn') : null } : null;
  const { reached: lost, outside: lostOutside } = splitLostByReach(logLoss(skipped).filter((x) => !disagreements.includes(x)), {}, askedLsns);
  const twice = [...heldTwice.values()].reduce((n, h) => n + h.records, 0);
  const heldTwiceNotes = [...heldTwice.values()].map((h) => heldTwiceNote(h.file, h.earlier, h.records, [...h.seqs]));
  const at = (s: SkippedItem) => (s.location.file ? ` (${s.location.file}${s.location.offset !== undefined ? ` offset ${s.location.offset}` : ''})` : '');
  // The summary's notes, in its order (said without --quiet; all of them in --report's `notes`):
  // where an .ldf's log starts inside its oldest VLF is no loss (docs/offline-log.md), nor damage
  // in a backup's closing blocks; log reads every copy of a log backup and compares them record by
  // record (CopyDisagreements): "read once" (log-chain.ts, said for scan) read as a copy passed over unread
  const noteItem = (s: SkippedItem): boolean => s.code === LOG_STARTS_MID_VLF || s.code === MTF_TRAILER_DAMAGED || s.code === LOG_PAST_END_DAMAGED;
  const summaryNotes = [
    ...(meta?.cutShortNotes ?? []),
    ...schemaNotes,
    ...skipped.filter(noteItem).map((s) => `${s.code !== LOG_STARTS_MID_VLF ? `${s.code}: ` : ''}${s.reason}${at(s)}`),
    ...chain.notes.map((n) => n.replace(/^(.+ holds the same log as .+ \(LSN \S+ to \S+\)): read once$/, '$1: compared with it record by record, each record printed once')),
    ...cutNotes,
    ...heldTwiceNotes,
    ...(stats.blocks > stats.checksummedBlocks ? [uncheckedBlocksNote(stats.blocks - stats.checksummedBlocks, stats.blocks, stats.uncheckedBlockList)] : []),
  ];
  const lostOutsideNote = lostOutside.length ? outsideAskedNote(lostOutside, 'the LSN range asked for lies', 'no record it asks for can be there', 'list the missing log backups', 'by its LSNs') : undefined;
  // Every WARNING line, in stderr's order (said even with --quiet; exit 3 under --strict): records of
  // operations rowback does not know (printed as LOP_UNKNOWN_n, header fields only), a backup's
  // header copies disagreeing (the copy used, the value uncertain), cells printed as U+FFFD that are
  // not the log's text (as scan's warned rows are), records printed that may be the wrong copy's
  const unknownWarnings = unknownOperationsWarnings(unknownOps);
  // an .ldf's VLF whose log ends before the VLF does while the next VLF holds log: its last blocks
  // may be lost unseen (reader.ts LOG_VLF_ENDS_EARLY; not proven, so not INCOMPLETE), once each
  // Beside a log backup listed whose set holds that whole LSN range it is a note, as scan says it
  // (files.ts; reader.ts vlfEndsEarlySaid, one rule for both): log prints each LSN once from the file holding it, so the backup's records there are
  // printed; the WARNING told to give log backups covering the range when one was given (exit 3
  // under --strict, a false alarm: test/cli/vlf-ends-early.test.ts).
  const backupSets = chain.sets.map((t) => ({ file: t.file, firstLsn: t.header.firstLsn.lsn, lastLsn: t.header.lastLsn.lsn }));
  const vlfEndSaid = skipped.filter((s) => s.code === LOG_VLF_ENDS_EARLY).map((s) => vlfEndsEarlySaid(s, backupSets, 'its records there are printed'));
  const vlfEndNotes = [...new Set(vlfEndSaid.flatMap((x) => ('note' in x ? [x.note] : [])))];
  const vlfEndWarnings = [...new Set(vlfEndSaid.flatMap((x) => ('warning' in x ? [x.warning] : [])))];
  appendAll(summaryNotes, vlfEndNotes);
  const unwritableWarning = unwritable.records ? unwritableLine(unwritable.records, unwritable.first) : undefined;
  const warnings = [...unknownWarnings, ...vlfEndWarnings, ...headerWarnings, ...(unwritableWarning ? [unwritableWarning] : []), ...disagreements.map((d) => `${d.code}: ${d.reason}`)];
  // an LSN range past the end of the log the backups listed hold (no .ldf): as scan says it
  // or starting below the oldest VLF of an .ldf listed alone (where its log is whole), or below both
  // it and the first log backup listed with it
  const edges: LsnRangeEdges = interrupted ? {} : (lsnRangePastBackups(inputs, chain.sets, opts) ?? { before: await lsnRangeBeforeLdfListed(inputs, chain.sets, opts) });
  const pastEnd = [edges.before, edges.after].filter(Boolean).join('; ') || undefined;
  // Every INCOMPLETE sentence, in stderr's order: stderr writes this list, and --report's
  // `incomplete` is it, so the two cannot disagree (a script scraped stderr for them). Where each
  // loss is (an LSN range, else a file offset), so the line names what is lost even with --quiet.
  const incomplete = [
    ...(lost.length ? [`${logLossClause(lost)}; records in those LSN ranges are missing${lossPlaces(lost)}${copyHint(lost, trnFiles)}`] : []),
    ...([...disagree.pairs.values()].some((p) => p.kind === 'backup') ? [`copies of one log backup disagree at ${[...disagree.pairs.values()].filter((p) => p.kind === 'backup').reduce((k, p) => k + p.n, 0)} LSN(s) (FORMAT_LOG_SOURCES_DISAGREE, WARNING above): the record printed at each may be the wrong copy's`] : []),
    ...([...disagree.pairs.values()].some((p) => p.kind === 'ldf') ? [`log files given hold different records at ${[...disagree.pairs.values()].filter((p) => p.kind === 'ldf').reduce((k, p) => k + p.n, 0)} LSN(s) (FORMAT_LOG_SOURCES_DISAGREE, WARNING above): they are not one log, and the record printed at each may be of the other history`] : []),
    ...(pastEnd ? [pastEnd] : []),
  ];
  if (opts.report) {
    writeLogReport(opts, files, {
      filter,
      records: printed,
      stats,
      repeats,
      copyDuplicates: copyDupes.n,
      heldTwice: twice,
      incomplete,
      edges,
      interrupted,
      notes: [...summaryNotes, ...identityNotes, ...(lostOutsideNote ? [lostOutsideNote] : [])],
      warnings,
      skipped,
      elapsedMs: Date.now() - started,
    });
  }
  // Every sentence on stderr gives times as --report does (isoLogTimesIn: `2018-08-28T18:37:18.200`,
  // not fn_dblog's `2018/08/28 18:37:18:200`), as scan's; the records printed keep fn_dblog's form.
  // Each line made one line (stderr-lines.ts: a path or name holding a line break as `\u{a}`)
  // before its times are rewritten (isoTimesStderr); `sayAll` writes a block of lines (the summary
  // and its skipped items)
  const isoStderr = isoTimesStderr(process.stderr);
  const say = (text: string): void => sayLine(text, isoStderr);
  const sayAll = (lines: readonly string[]): void => sayLines(lines, isoStderr);
  if (!opts.quiet) {
    // "N of N printed" beside INCOMPLETE read as all of the log: the count is of the log read, and
    // the summary says what it leaves out (the records lost to damage or in no file given, or
    // those after an interruption), which are in neither number. Not "their records are neither
    // printed nor counted": a damaged record kept without its RowLog Contents (ldf reader) is both.
    const partOnly = lost.length
      ? `, counting only the log read: ${logLossClause(lost)}; records lost there are in neither number (INCOMPLETE below)`
      : interrupted ? ', counting only the log read before the interruption (INTERRUPTED below)' : '';
    const lines = [`rowback log: ${printed} of ${stats.records} record(s) printed${stats.staleRecords ? ` (${stats.staleRecords} read from stale blocks, labelled in source.stale)` : ''}${repeats ? `; ${repeats} repeated at a log-backup boundary passed over` : ''}${copyDupes.n ? `; ${copyDupes.n} held by more than one copy of a log backup printed once` : ''}${twice ? `; ${twice} held by two files given passed over (note below)` : ''}${partOnly}`];
    for (const n of summaryNotes) lines.push(`rowback log: note: ${n}`);
    // copies disagreeing: their WARNING line below says it (said with --quiet too)
    const passed = skipped.filter((s) => !noteItem(s) && s.code !== LOG_VLF_ENDS_EARLY && !disagreements.includes(s));
    if (passed.length) {
      lines.push(`rowback log: ${passed.length} item(s) skipped:`);
      // each line as scan's and dump's (skippedLines): `  CODE: reason (file F, LSN L, offset O, page P)`.
      // It was `(F offset O)`: the LSN and page the item names left out, and a second form for one
      // thing to a script parsing the skipped lines of both commands
      appendAll(lines, skippedLines(passed, 20, ' (use --report FILE for all)'));
    }
    sayAll(lines);
  }
  // Said even with --quiet: whether these files are of one database is unchecked (names may be another database's)
  for (const n of identityNotes) say(`rowback log: note: ${n}`);
  for (const w of warnings) say(`rowback log: WARNING: ${w}`);
  // exit 3 under --strict for each kind of WARNING but the copies' (their INCOMPLETE line's)
  if (unknownWarnings.length || vlfEndWarnings.length || headerWarnings.length || unwritableWarning) exitIncomplete(opts.strict);
  // Said even with --quiet, as scan's and dump's INCOMPLETE are (it was left out with --quiet:
  // a script running `log --quiet` learnt nothing of the records lost).
  if (lostOutsideNote) say(`rowback log: note: ${lostOutsideNote}`);
  for (const c of incomplete) say(`rowback log: INCOMPLETE: ${c}`);
  if (incomplete.length) exitIncomplete(opts.strict);
  // Said even with --quiet, as an error would be: a script must not take part of a result for all of it.
  if (interrupted) {
    say(`rowback log: INTERRUPTED by ${interrupted}: the log was not read to its end; the ${printed} record(s) written are only part of the result`);
    process.exitCode = exitCodeOf(interrupted);
  } else if (lateSignal) {
    sayLine(`rowback log: note: ${lateSignal} came after the log was read to its end: the ${printed} record(s) written are the whole result`);
  }
}

/** What `rowback log` hands writeLogReport: the run's facts, as its stderr says them. */
interface LogReportParts {
  filter: LogRecordFilter;
  /** Records printed (matching the filters). */
  records: number;
  stats: LogScanStats;
  /** Records at a log-backup boundary the backup before already printed, passed over. */
  repeats: number;
  /** Records held by more than one copy of a log backup, printed once. */
  copyDuplicates: number;
  /** Records of a file at LSNs a file listed before it printed, passed over. */
  heldTwice: number;
  /** Every INCOMPLETE sentence, in stderr's order, as stderr writes it (without the prefix). */
  incomplete: string[];
  edges: LsnRangeEdges;
  /** The signal that stopped the reading (SIGINT, SIGTERM), null when read to its end. */
  interrupted: string | null;
  /** Every note, in stderr's order (said without --quiet, some with it). */
  notes: string[];
  /** Every WARNING, in stderr's order. */
  warnings: string[];
  skipped: SkippedItem[];
  elapsedMs: number;
}

/**
 * Writes `log --report`, as scan --report is written (one JSON object, two-space indented,
 * failed-report.ts writeReport; every time in it in REPORT_TIMES' form, scan.ts isoLogTimesIn):
 * `{ times, source, metadata?, filter, records, complete, incomplete, beforeLogRead?,
 * beyondLogGiven?, interrupted?, notes, warnings?, counts, skipped, elapsedMs }`. `source`: the log
 * files as listed (read in that order); `metadata`: `{ mdf }`, `{ bak: [...] }` or `{ schema }`
 * when given; `filter`: what was asked, `operations`/`contexts` as fn_dblog names them,
 * `allocUnits`, `tables` and `transactions` (`[]`: every one), `fromLsn`/`toLsn` as typed (absent
 * when not given). `records`: the records printed. `complete`: no INCOMPLETE sentence and not
 * interrupted (a WARNING alone leaves it true, as scan's). `incomplete`: every INCOMPLETE sentence
 * stderr says, in its order, without the prefix (`[]` when none): the list stderr writes.
 * `beforeLogRead`/`beyondLogGiven`: the LSN range starting before, or running past, the log listed
 * (also in `incomplete`). `interrupted`: SIGINT or SIGTERM when the reading stopped early. `counts`:
 * `recordsRead` (every record parsed, the summary's M), `staleRecords`, `damagedRecords` (records
 * whose bytes did not parse, FORMAT_BAD_LOG_RECORD: passed over or kept without RowLog Contents),
 * `repeatedAtBackupBoundary`, `heldByCopies`, `heldTwice`, `blocks`, `checksummedBlocks`,
 * `skippedBlocks`, `bytes` (log bytes read), `firstLsn`/`lastLsn` (lowest and highest LSN read,
 * fn_dblog's form, null for none). `skipped`: every item with its code, reason and place.
 * Throws InputError INPUT_OUTPUT_UNWRITABLE when the file cannot be written (the records were).
 */
function writeLogReport(opts: LogOptions, files: readonly string[], r: LogReportParts): void {
  const f = r.filter;
  const report = {
    times: REPORT_TIMES,
    source: files,
    ...(opts.mdf ? { metadata: { mdf: opts.mdf } } : opts.bak ? { metadata: { bak: opts.bak } } : opts.schema ? { metadata: { schema: opts.schema } } : {}),
    filter: {
      operations: [...(f.operations ?? [])],
      contexts: [...(f.contexts ?? [])],
      allocUnits: opts.allocUnit.map((a) => BigInt(a).toString()),
      tables: opts.table,
      transactions: [...(f.transactions ?? [])],
      ...(opts.fromLsn !== undefined ? { fromLsn: opts.fromLsn } : {}),
      ...(opts.toLsn !== undefined ? { toLsn: opts.toLsn } : {}),
    },
    records: r.records,
    complete: r.incomplete.length === 0 && !r.interrupted,
    // every INCOMPLETE line stderr says, without its prefix ([] when complete)
    incomplete: r.incomplete.map((t) => isoLogTimesIn(t)),
    ...(r.edges.before ? { beforeLogRead: isoLogTimesIn(r.edges.before) } : {}),
    ...(r.edges.after ? { beyondLogGiven: isoLogTimesIn(r.edges.after) } : {}),
    ...(r.interrupted ? { interrupted: r.interrupted } : {}),
    notes: r.notes.map((t) => isoLogTimesIn(t)),
    ...(r.warnings.length ? { warnings: r.warnings.map((t) => isoLogTimesIn(t)) } : {}),
    counts: {
      recordsRead: r.stats.records,
      staleRecords: r.stats.staleRecords,
      damagedRecords: r.stats.skippedRecords,
      repeatedAtBackupBoundary: r.repeats,
      heldByCopies: r.copyDuplicates,
      heldTwice: r.heldTwice,
      blocks: r.stats.blocks,
      checksummedBlocks: r.stats.checksummedBlocks,
      skippedBlocks: r.stats.skippedBlocks,
      bytes: r.stats.bytes,
      firstLsn: r.stats.firstLsn ? formatLsn(r.stats.firstLsn) : null,
      lastLsn: r.stats.lastLsn ? formatLsn(r.stats.lastLsn) : null,
    },
    skipped: r.skipped,
    elapsedMs: r.elapsedMs,
  };
  writeReport(opts.report!, report, `the ${r.records} record(s) were written${opts.out ? ` to ${opts.out}` : ''}`, ': free space or give another --report, and run the command again');
}

/**
 * The INCOMPLETE sentence of `--to-lsn` (or, without one, `--from-lsn`) at or past the end of the
 * log the files listed hold, when no .ldf is among them (an .ldf's log is the database's own end):
 * the LastLSN (HEADERONLY: the first LSN a set does not hold) of the log backup set, or else the
 * full/differential backup's own log, reaching furthest. `log X_1.trn --to-lsn L` with L in X_2.trn
 * printed X_1's records as all there was, exit 0 (fn_dump_dblog does the same: a reader of the
 * records asked for is not told). undefined when the range ends inside the log listed, or none is
 * given. Sentence as scan's (window-past-log.ts lsnRangePastLogEndClause). Reads backup headers only.
 * Also the range starting before the log listed begins (`before`); stderr says both as one
 * INCOMPLETE line (`before; after`), --report gives each as scan's does (beforeLogRead, beyondLogGiven).
 */
function lsnRangePastBackups(inputs: LogInput[], trnSets: LogBackupSet[], opts: Pick<LogOptions, 'fromLsn' | 'toLsn'>): LsnRangeEdges | undefined {
  if (opts.fromLsn === undefined && opts.toLsn === undefined) return undefined;
  if (inputs.some((i) => i.kind === 'ldf')) return undefined;
  const sets: LogBackupSet[] = [...trnSets];
  for (const i of inputs) {
    if (i.kind !== 'bak') continue;
    const layout = readMtfLayout(i.file);
    for (const position of i.positions) sets.push({ file: i.file, position, header: readBackupHeader(i.file, layout, position) });
  }
  const end = sets.reduce<LogBackupSet | undefined>((m, x) => (!m || BigInt(x.header.lastLsn.decimal) > BigInt(m.header.lastLsn.decimal) ? x : m), undefined);
  if (!end) return undefined;
  const range = { fromLsn: opts.fromLsn !== undefined ? parseAnyLsn(opts.fromLsn, '--from-lsn') : null, toLsn: opts.toLsn !== undefined ? parseAnyLsn(opts.toLsn, '--to-lsn') : null };
  const h = end.header;
  // and a range starting before the log listed begins (the lowest FirstLSN of the sets listed)
  const start = sets.reduce<LogBackupSet | undefined>((m, x) => (!m || BigInt(x.header.firstLsn.decimal) < BigInt(m.header.firstLsn.decimal) ? x : m), undefined)!;
  const s = start.header;
  const before = lsnRangeBeforeLogStartClause(range, { file: start.file, position: start.position, kind: s.backupType, finished: s.backupFinishDate, started: s.backupStartDate, lastLsn: s.lastLsn.lsn, firstLsn: s.firstLsn.lsn }, 'list the log backups taken before it (or the .ldf) as well');
  const after = lsnRangePastLogEndClause(range, { file: end.file, position: end.position, kind: h.backupType, finished: h.backupFinishDate, started: h.backupStartDate, lastLsn: h.lastLsn.lsn }, 'list the log backups taken after it (or the .ldf) as well');
  return before || after ? { ...(before ? { before } : {}), ...(after ? { after } : {}) } : undefined;
}

/** The INCOMPLETE sentences of an LSN range reaching outside the log listed: its start before it (`before`), its end past it (`after`); absent when inside. */
export interface LsnRangeEdges {
  before?: string;
  after?: string;
}

/**
 * An .ldf listed alone with --from-lsn (or a lone --to-lsn) below its oldest VLF: window-before-log.ts
 * lsnRangeBeforeLdfClause, as scan says it; listed with log backups only (`trnSets`), below both the
 * first of them and its oldest VLF: lsnRangeBeforeLdfAndBackupsClause. Reads the VLF headers only.
 */
async function lsnRangeBeforeLdfListed(inputs: LogInput[], trnSets: LogBackupSet[], opts: Pick<LogOptions, 'fromLsn' | 'toLsn'>): Promise<string | undefined> {
  if (opts.fromLsn === undefined && opts.toLsn === undefined) return undefined;
  const ldfs = inputs.filter((i) => i.kind === 'ldf');
  if (ldfs.length !== 1 || inputs.some((i) => i.kind === 'bak') || (inputs.length > 1 && !trnSets.length)) return undefined;
  const range = { fromLsn: opts.fromLsn !== undefined ? parseAnyLsn(opts.fromLsn, '--from-lsn') : null, toLsn: opts.toLsn !== undefined ? parseAnyLsn(opts.toLsn, '--to-lsn') : null };
  try {
    const file = ldfs[0]!.file;
    const seqs = (await readLdfLayout(file, { allowUnsupportedVersion: true })).vlfs.map((v) => v.seq);
    if (inputs.length > 1) {
      const start = trnSets.reduce<LogBackupSet | undefined>((m, x) => (!m || BigInt(x.header.firstLsn.decimal) < BigInt(m.header.firstLsn.decimal) ? x : m), undefined)!;
      const h = start.header;
      return lsnRangeBeforeLdfAndBackupsClause(range, { file, seqs }, { file: start.file, position: start.position, kind: h.backupType, finished: h.backupFinishDate, started: h.backupStartDate, lastLsn: h.lastLsn.lsn, firstLsn: h.firstLsn.lsn }, 'list the log backups taken before it as well');
    }
    return lsnRangeBeforeLdfClause(range, file, seqs, 'list the log backups of before it as well');
  } catch {
    return undefined;
  }
}

/** How many records the unwritable-text WARNING names by LSN (the count covers them all). */
const UNWRITABLE_NAMED = 10;

/**
 * The WARNING of `records` record(s) printed as CSV whose cells held an unpaired UTF-16 surrogate,
 * naming the first (`LSN … Transaction Name (U+D83D at offset 7)`): UTF-8 has no form for it, so
 * those cells show U+FFFD, a character the log does not hold; NDJSON keeps it, and the table format
 * writes it `\u{d83d}` (tableLine), as every one-line text does.
 */
export function unwritableLine(records: number, first: readonly string[]): string {
  const more = records > first.length ? `; … ${records - first.length} more` : '';
  return `${records} record(s) hold text this CSV output (UTF-8) cannot carry, an unpaired UTF-16 surrogate: written U+FFFD there, not the text the log holds (--format ndjson keeps it): ${first.join('; ')}${more}`;
}

/**
 * A loss of one copy of a log backup that another copy read whole, as its note says it: the reason
 * without its claim that the range's rows are lost (the note goes on "no record is lost there"; it
 * said both in one line), "could not be read" of this copy.
 */
export function readElsewhere(reason: string): string {
  return reason
    .replace(/; rows in that range are lost and transactions crossing it cannot be told committed$/, '')
    .replace(/: LSNs (\S+) up to (\S+) are lost$/, ': LSNs $1 up to $2 are not in this copy')
    .replace('could not be read', 'could not be read in this copy');
}

/**
 * What to do about log a log backup lost to damage, said on `log`'s INCOMPLETE line: another copy
 * of that backup given with it is read together with it (each record once; a range one copy read
 * whole is no loss). '' when no damaged file is a log backup (.ldf damage, log in no file given).
 */
export function copyHint(lost: readonly SkippedItem[], trnFiles: readonly string[]): string {
  const files = [...new Set(lost.filter((s) => s.code !== 'FORMAT_LOG_CHAIN_GAP' && s.location.file !== undefined && trnFiles.includes(s.location.file)).map((s) => s.location.file!))];
  if (!files.length) return '';
  return `; to fill them, give another copy of ${files.join(', ')} (a mirrored or copied backup of the same log) in the same \`rowback log\` command: copies of one log backup are read together`;
}

/** A backup header's LSN (numeric(25,0), as HEADERONLY gives it) in fn_dblog's form, as every other LSN a note prints; as given when it is not one. */
function printedLsn(decimal: string): string {
  try {
    return formatLsn(lsnFromDecimal(decimal));
  } catch {
    return decimal;
  }
}
