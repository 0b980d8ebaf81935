import { isoLogTimesIn } from '../../recover/log-local-time.js';
import { stagedTableName, tableListText, tableNameText, tableNameWord } from '../../util/tsql.js';
import { shellWord } from '../../util/shell-word.js';
import { skippedLines } from '../skipped-lines.js';
import { otherSchemasNote } from '../../reconstruct/metadata/names.js';
import { findTableName, unknownTableHint } from '../../reconstruct/metadata/names.js';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { namingFile, readTextFile, unreadableWhy } from '../../util/files.js';
import { assertWritableOutput, openOutputFile } from '../files.js';
import { REPORT_TIMES, reportingFailure, writeReport } from '../failed-report.js';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { outFormatOption, collectTables, tablesTypedWithoutSchema, formatFromOut, normalizeTableName, refuseCsvRawWithoutCsv, repeatableOption } from '../options.js';
import { parseTypeAliases } from '../type-aliases.js';
import { createProgress } from '../progress.js';
import { catchInterrupts, exitCodeOf } from '../interrupt.js';
import { InputError } from '../../errors.js';
import { readCatalogFile } from '../../reconstruct/metadata/catalog-json.js';
import { checkCatalogDatabase, fileIdentitiesOf } from '../../recover/source-identity.js';
import { assumedCollationNote, assumedSparseIdsNote, databaseCollationNote, layoutsFromDdl, unreadableDatabaseCollationRefusal, type DatabaseDefaultCollation } from '../../reconstruct/metadata/ddl.js';
import { scriptDefaultCollation } from '../../recover/database-default-collation.js';
import { isVisibleColumn } from '../../reconstruct/metadata/table-layout.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import { withMetadata } from '../../recover/metadata-override.js';
import { clockBackwardsWarning, selectionEndsBeforeClockWentBack, windowClockStep, explainNoRows, outsideWindowSelectionClause, mistypedAllocUnitNotes, scanStatsNotes, EXPORT_UNITS_LISTED_BY } from '../../recover/committed.js';
import { NotPrintedRows, recoverEncodedBatches, recoverRowBatches, type PooledEvent } from '../../recover/recover-rows.js';
import type { RecoveredRow } from '../../recover/recovered-row.js';
import type { LogReadEnd } from '../../recover/sources/files.js';
import { isUndecodedRowOp, logLoss, SCAN_OPERATIONS, scanOperationOf, unknownTableMessage } from '../../recover/source.js';
import { type MetadataCatalog, type RecoverySource, type ScanFilter, type ScanOperation, type SkippedItem } from '../../recover/source.js';
import { assertWindowInOrder, parseWindowTime } from '../../recover/time-window.js';
import { placeBeginUnread } from '../../recover/log-not-given.js';
import { incompleteVerdict, joinLossAdvice, ldfLossAdvice, missingLogAdvice, noRowsOfLogReadClause } from '../../recover/incomplete-verdict.js';
import { lsnRangeBeforeLdfAndBackupsClause, lsnRangeBeforeLdfClause, lsnRangeBeforeLogStartClause } from '../../recover/window-before-log.js';
import { readLdfLayout } from '../../logreader/ldf/reader.js';
import type { Lsn } from '../../logreader/lsn.js';
import { warnLocalTimes } from '../local-time-warnings.js';
import { createRowWriter, CSV_FIXED, OUTPUT_FORMATS, type OutputFormat } from '../../recover/writers.js';
import { caseOnlyMatches, compileRowSelection, rowSelection, type RowSelectionOptions, type UnknownSelectionField } from '../../recover/row-selection.js';
import { csvWarningsCell } from '../../util/csv.js';
import { assertReadableFile, openSource, sourceKind, threadCount, type ScanSourceOptions } from '../../recover/open-source.js';
import { exitIncomplete, strictOption } from '../strict.js';
import { sayWarnedRows } from '../warned-rows.js';
import { appendAll } from '../../util/append-all.js';
import { sayLine, sayLines } from '../stderr-lines.js';
import { isoTimesStderr } from '../iso-times-stderr.js';

/** The row selection's flags (recover/row-selection.ts): only these transactions, SIDs, logins, database users, LSNs. */
interface ScanOptions extends ScanSourceOptions, RowSelectionOptions {
  from?: string;
  to?: string;
  table: string[];
  op: string[];
  format: OutputFormat;
  out?: string;
  report?: string;
  schema?: string;
  /** `--catalog-any-database`: read with a --schema catalog of another database than the files' (source-identity.ts checkCatalogDatabase). */
  catalogAnyDatabase?: boolean;
  ddl?: string;
  typeAlias: string[];
  allocUnit: string[];
  collation?: string;
  quiet?: boolean;
  csvRaw?: boolean;
  acceptLayoutDrift?: boolean;
  decodeThreads?: string;
  /** Exit 3 (not 0) when the result is INCOMPLETE (strict.ts). */
  strict?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command('scan')
    .description('Find committed row operations in a log (files, live server or export) and print the recovered rows')
    .option('--mdf <files...>', 'data file (.mdf) giving the table metadata, with the database\'s .ndf files if it has several')
    .option('--bak <files...>', 'full backup giving the table metadata (every stripe of a striped one), optionally followed by differential backups based on it; without --ldf/--trn, the log those backups hold is scanned')
    .option('--ldf <file>', 'transaction log file (.ldf)')
    .option('--position <n>', 'backup set of --bak to read when the file holds several (RESTORE … WITH FILE = n)')
    .option('--trn <files...>', 'log backups (.trn); every log backup set in them is read, in LSN order')
    .option('--threads <n>', 'log files (--ldf, --trn, backup sets) parsed on up to n worker threads at once when they total 64 MiB or more (default 1: on the machines measured, workers made scans slower); the output is the same for any n')
    .option('--decode-threads <n>', 'NDJSON/JSON output: rows decoded and serialised on n worker threads while the main thread reads the log and keeps the order (default 1: none; see docs/performance.md); the output is the same for any n')
    .option('--hold-memory <MiB>', 'memory in MiB (1024 × 1024 bytes) for rows of transactions not yet committed in the log read so far, before they go to a temporary file (default 64)')
    .option('--temp-dir <dir>', 'folder for those temporary files (default: the OS temporary folder); removed when the scan ends')
    .option('--server <connection>', 'live SQL Server: ADO-style connection string (or MSSQL_* variables)')
    .option('--database <db>', 'database to scan on the live server')
    .option('--log-backup <files...>', 'live: log backups the server can read, every backup set of each, through fn_dump_dblog')
    .option('--inactive-log', 'live: also read the inactive log (trace flag 2537); see the warning it prints')
    .option('--query-timeout <seconds>', 'live: per-query timeout in seconds')
    .option('--export <file>', 'an exported fn_dblog + catalog file (sql/export-log-records.sql)')
    .option('--accept-schema-drift', 'decode rows of tables altered after the window start anyway (with --schema/--ddl giving the old layout)')
    .option('--schema <catalog.json>', 'table metadata as catalog JSON (sql/table-metadata.sql rows); overrides the source\'s')
    .option('--catalog-any-database', 'with --schema: read with a catalog JSON whose database_guid is not the binding id of the files scanned (by default refused: allocation unit ids repeat between databases, so another database\'s tables would name the rows), e.g. one exported from a copy of this database restored as a new database')
    .option('--ddl <file>', 'table metadata from a CREATE TABLE script; overrides the source\'s')
    // one alias a flag, as decode takes it: a comma is part of a type (`Money2=decimal(18,2)` was cut
    // into `Money2=decimal(18` and `2)`, and the second refused as no NAME=TYPE)
    .addOption(repeatableOption('--type-alias <name=type>', 'with --ddl: a user-defined alias type, e.g. Flag=bit or Amount=decimal(18,2) (repeatable)', (v: string, prev: string[]) => [...prev, v], 'none'))
    .option('--collation <name>', "with --ddl: the database's default collation, for char/varchar/text columns without COLLATE (default: the database's own, from the boot page of the --mdf/--bak given, the server's sys.databases with --server, the header of an --export; with a log alone, SQL_Latin1_General_CP1_CI_AS, code page 1252, said in a note)")
    .addOption(repeatableOption('--alloc-unit <[schema.name=]id>', 'with --schema/--ddl and no data file: a table\'s in-row AllocUnitId as the log prints it; ID alone for one table (or the one --table names), SCHEMA.NAME=ID for each of several (repeatable)', (v: string, prev: string[]) => [...prev, v], 'none'))
    .option('--from <time>', "window start, server local time: YYYY-MM-DD[THH:MM[:SS[.fffffff]]] (a space for T; no zone; more than three fractional digits are put on the log's 1/300-second ticks)")
    .option('--to <time>', 'window end (inclusive), server local time')
    .addOption(repeatableOption('--table <schema.name>', 'only these tables (repeatable or comma-separated): dbo.T, [dbo].[T], "dbo"."T"', collectTables, 'every table'))
    .addOption(repeatableOption('--op <operation>', 'delete | insert | update, any case (repeatable or comma-separated: --op delete,update)', collect, 'delete'))
    .addOption(repeatableOption('--transaction <id>', 'only rows of these transactions: Transaction ID as fn_dblog and the rows print it, e.g. 0000:000003e8 (repeatable or comma-separated)', collect, 'every transaction'))
    .addOption(repeatableOption('--sid <sid>', 'only rows of transactions begun by this SID: hex (0x0105…, any case) or S-1-5-21-… (repeatable or comma-separated)', collect, 'any'))
    .addOption(repeatableOption('--login <name>', 'only rows of transactions begun by this login, any letter case (live scans: offline rows have no login, use --sid or --db-user) (repeatable)', (v: string, prev: string[]) => [...prev, v], 'any'))
    .addOption(repeatableOption('--db-user <name>', 'only rows of transactions begun by this database user, any letter case (offline scans of a data file or backup) (repeatable)', (v: string, prev: string[]) => [...prev, v], 'any'))
    .option('--from-lsn <lsn>', 'only row operations at or after this LSN: 0000002a:000001f0:0003, 0x…, decimal, dec:42:496:3 or (42:496:3)')
    .option('--to-lsn <lsn>', 'only row operations at or before this LSN (inclusive), same forms')
    .addOption(outFormatOption(OUTPUT_FORMATS, 'ndjson'))
    .option('--out <file>', 'write rows to this file instead of stdout (an existing file is replaced once the result starts to be written; a command refused before that leaves it as it was)')
    .option('--report <file>', 'write the scan report (counts, every skipped item with its reason) as JSON')
    .option('--quiet', 'no progress or summary on stderr; still said: INCOMPLETE, INTERRUPTED, UNCHECKED, a file or --schema catalog whose database could not be checked (or was read with --catalog-any-database), rows carrying warnings and a TRUNCATE TABLE / DROP TABLE in the log (the rows printed are then not all that was removed)')
    .addOption(strictOption({ warnedRows: true, warnings: 'log records of an operation rowback does not know, the SQL Server\'s clock set back within --from/--to, UNCHECKED rows' }))
    .option('--accept-layout-drift', 'print a table\'s rows even when most of its first rows have fewer/more columns than its layout (it gained columns after them), and use a --ddl/--schema whose columns are in another order than the data file\'s catalog (a layout of before a column was dropped and added again); decode failures still stop it')
    .option('--csv-raw', "CSV: write cells exactly as decoded; by default a cell starting with = + - @ tab, CR or ' gets a leading ' so spreadsheets do not run it as a formula")
    .action(async (opts: ScanOptions, cmd: Command) => {
      formatFromOut(cmd, opts, OUTPUT_FORMATS);
      // A scan that failed or was refused after its options parsed (an unknown --table, files of two
      // databases, …), or whose output was cut by its reader (EPIPE) or failed (a full disk), writes
      // `--report` saying so: `{ times, complete: false, failed: { code, message } }`. A refused run
      // left the previous run's report in place, and a script reading `.complete` without the exit
      // code read that run's result (newcomer). Never over a file that is not a report (a data file
      // named by --report while --mdf is mistyped), nor when the report path itself is the problem.
      await reportingFailure(opts.report, { opts }, { times: REPORT_TIMES }, () => runScan(opts));
    });
}

export async function runScan(opts: ScanOptions): Promise<void> {
  const operations = parseOperations(opts.op);
  const filter: ScanFilter = {
    from: opts.from ? parseWindowTime(opts.from, 'start', '--from') : undefined,
    to: opts.to ? parseWindowTime(opts.to, 'end', '--to') : undefined,
    tables: opts.table,
    operations,
  };
  // options that do nothing without --ddl/--schema are refused, not ignored (they were dropped
  // unsaid: `--alloc-unit ID` with --mdf read as a filter printed every table's rows)
  if (opts.allocUnit.length && !opts.schema && !opts.ddl) {
    throw new InputError('INPUT_BAD_OPTION', '--alloc-unit maps the one table of --ddl/--schema to its allocation unit, and neither was given; to keep one table\'s rows, use --table SCHEMA.NAME');
  }
  if (opts.catalogAnyDatabase && !opts.schema) throw new InputError('INPUT_BAD_OPTION', '--catalog-any-database lets a --schema catalog JSON of another database be used, and no --schema was given: leave it out');
  if (opts.typeAlias.length && !opts.ddl) throw new InputError('INPUT_BAD_OPTION', '--type-alias names alias types of a --ddl script, and no --ddl was given: leave it out');
  refuseCsvRawWithoutCsv(opts);
  // a live scan by its source's kind: --database alone is one, its server in the MSSQL_* variables (open-source.ts sourceKind)
  const kind = sourceKind(opts);
  if (opts.queryTimeout !== undefined && kind !== 'live') throw new InputError('INPUT_BAD_OPTION', '--query-timeout limits the queries of a live scan (--server), and no --server was given: leave it out');
  // the rows a drift check holds back were written under an older layout than the source's catalog
  // gives: decoded with today's, their values could read wrong and look right (a column retyped or
  // reordered since), as a job's acceptSchemaDrift is refused without metadata (job-validate.ts)
  if (opts.acceptSchemaDrift && kind !== 'files' && !opts.schema && !opts.ddl) throw new InputError('INPUT_BAD_OPTION', `--accept-schema-drift decodes the rows of tables altered after their transaction began with the layout --schema or --ddl gives, and neither was given: give --schema CATALOG.json (the catalog saved before the change: sql/table-metadata.sql) or --ddl OLD.sql (the old CREATE TABLE); the ${kind === 'export' ? "export's" : "server's"} own catalog is the layout after the change (to decode with it anyway, give that catalog as --schema)`);
  if (opts.acceptSchemaDrift && kind === 'files') throw new InputError('INPUT_BAD_OPTION', '--accept-schema-drift reads the rows of a table altered since the window began, which a live scan (--server) or an export (--export) tells from its catalog\'s modify_date; files are read with the layout their data file, backup, --schema or --ddl gives: leave it out');
  const allocUnits = parseAllocUnits(opts.allocUnit);
  const decodeThreads = threadCount('--decode-threads', opts.decodeThreads);
  const selection = compileRowSelection(opts);
  // rows encoded on decode workers are text: they cannot be selected by who or LSN here
  if (selection && decodeThreads > 1) throw new InputError('INPUT_BAD_OPTION', `${selection.described} selects rows by their fields, which --decode-threads sends back as text: leave --decode-threads out (the default, one thread)`);
  if (filter.from && filter.to) {
    assertWindowInOrder({ name: '--from', text: opts.from!, iso: filter.from }, { name: '--to', text: opts.to!, iso: filter.to });
  }
  // A bound in a daylight-saving fold or gap of this machine's zone (TZ): said, even with --quiet,
  // and in --report's notes (`warning: …`: it changes which rows the window takes; it does not exit 3,
  // being advice on the time given, not doubt about what was read)
  const timeAdvice = warnLocalTimes('scan', [['--from', opts.from, 'start'], ['--to', opts.to, 'end']]);

  if (opts.collation && !opts.ddl) throw new InputError('INPUT_BAD_OPTION', "--collation is for --ddl (the database default collation of a CREATE TABLE script); catalog JSON and data files name each column's collation");
  // Outputs are checked before any work: a missing folder is one line now, not a crash later.
  if (opts.report) assertWritableOutput('--report', opts.report, { opts });
  const outFile = opts.out ? openOutputFile('--out', opts.out, { opts }) : undefined;
  // The table metadata given beside the log is checked before any log file is opened (opening reads
  // every backup's MTF layout and headers, and the whole log of each of several --trn to choose
  // between copies): --schema and --ddl together, a bad --type-alias, a --ddl or --schema file that
  // cannot be read, a --schema catalog that does not parse were refused only after all of that.
  if (opts.schema && opts.ddl) throw new InputError('INPUT_BAD_OPTION', 'give --schema or --ddl, not both');
  typeAliasesOf(opts);
  if (opts.ddl) assertReadableTextInput('--ddl', opts.ddl);
  if (opts.schema) assertReadableTextInput('--schema', opts.schema);
  const schemaCatalog = opts.schema ? readCatalogFile(opts.schema, '--schema') : undefined;
  // Ctrl-C / SIGTERM stop the scan where it is, so that the rows written so far are flushed and
  // the temporary files of held transactions are removed (Node's default would exit at once and
  // leave them behind). A second signal exits at once; the same signal again within 300 ms is one
  // signal delivered twice (GNU timeout sends it to the command and to its process group), which
  // would otherwise have cut the output (interrupt.ts). Caught from before the files are opened:
  // a signal while they were (a backup's layout, a data file's catalog) ended the scan through
  // bin/rowback.js's start-up listener, "while starting: nothing was read or written", and
  // --report was not written, so a script reading `.complete` read the previous run's `true`. Such a
  // signal is now an interruption like one during the reading: the report says interrupted.
  const interruption = catchInterrupts();
  let opened: Awaited<ReturnType<typeof openSource>>;
  try {
    opened = await openSource(opts);
  } catch (e) {
    interruption.release();
    throw e;
  }
  // A signal while the files were opened: nothing read, no row written (an earlier --out file left
  // as it was, as log and dump leave it), --report saying so; not the catalog read and queried first
  if (interruption.by) {
    const by = interruption.by;
    try {
      if (opts.report) writeReport(opts.report, { times: REPORT_TIMES, source: opened.source.description, filter, rows: 0, complete: false, incomplete: [], interrupted: by, notes: [], skipped: [] }, 'no row was written');
      sayLine(`rowback scan: INTERRUPTED by ${by}: stopped while the files were opened, before the log was read; no row was written${opts.out ? ` (${opts.out} left as it was)` : ''}`);
      process.exitCode = exitCodeOf(by);
    } finally {
      await opened.source.close();
      interruption.release();
    }
    return;
  }
  let source: RecoverySource = opened.source;
  const interrupt = { signal: interruption.signal };
  try {
    let metadataNotes: string[] = [];
    /** What was said of the --schema catalog's database (not checked, or read all the same): said with the notes, even with --quiet. */
    let catalogNotes: string[] = [];
    /** The tables `--alloc-unit` mapped, by name → id (a mistyped id: checked once the log is read). */
    let mappedTables = new Map<string, string>();
    if (opts.schema || opts.ddl) {
      // A script's char/varchar/text columns without COLLATE take the database's default collation,
      // which the input read beside it names: a data file's or backup's boot page (dbi_collation),
      // the live server's sys.databases, an export's header. FinancialCrm (Turkish_CI_AS, code page
      // 1254) had them read as code page 1252 (ş as þ, ğ as ð) with a note that it was assumed, while
      // the input said which it is. A failure to read it is the one said below (the catalog the
      // override is merged with, the server facts, the export's header are read there too).
      let databaseDefault: DatabaseDefaultCollation | undefined;
      if (opts.ddl && !opts.collation) {
        // one the input names and rowback cannot read text in (a _UTF8 collation's id has no name
        // here): refused, not read as the "assumed" 1252 while the input says otherwise
        const ddl = opts.ddl;
        const d = await scriptDefaultCollation(opened.databaseDefaultCollation, (known) => namingFile(ddl, () => unreadableDatabaseCollationRefusal(readTextFile(ddl, '--ddl'), { typeAliases: typeAliasesOf(opts) }, known, '--collation NAME')));
        if (d.refusal) throw new InputError('INPUT_BAD_OPTION', `--ddl: ${d.refusal}`);
        databaseDefault = d.collation;
      }
      const override = loadMetadataOverride(opts, databaseDefault, schemaCatalog);
      metadataNotes = override.notes;
      // a catalog of another database names this log's rows after its own tables: refused before
      // anything is read (or, with no identity to compare, said even with --quiet)
      if (opts.schema && (opts.mdf || opts.bak || opts.ldf || opts.trn?.length || opts.export || opts.server)) {
        const ids = await fileIdentitiesOf(opened.source, { mdf: opts.mdf, bak: opts.bak, position: opts.position === undefined ? undefined : Number(opts.position), ldf: opts.ldf, trn: opts.trn });
        catalogNotes = checkCatalogDatabase({ name: `--schema ${opts.schema}`, file: opts.schema, identity: override.identity ?? null }, ids, { anyDatabase: opts.catalogAnyDatabase, overrideName: '--catalog-any-database' });
      }
      const mapped = allocUnitLayouts(override.layouts, allocUnits, opts);
      mappedTables = mapped.ids;
      source = withMetadata(source, mapped.layouts, { allocUnitIds: mapped.ids, acceptReordered: opts.acceptLayoutDrift === true });
    }
    const catalog = await source.metadata();
    for (const t of opts.table) {
      const found = catalog.byName(t);
      if (!found) {
        throw new InputError('INPUT_UNKNOWN_TABLE', unknownTableMessage(t, catalog.tables().map((x) => stagedTableName(x)), source.skipped(), source.databaseName?.()), { table: t });
      }
      // read in dbo while other schemas have a table of that name: said (names.ts otherSchemasNote),
      // when the name was typed without its schema (`--table dbo.Employees` asked for dbo's exactly)
      const elsewhere = tablesTypedWithoutSchema(opts.table).has(t) && otherSchemasNote(catalog.tables().map((x) => stagedTableName(x)), stagedTableName(found), opts.table);
      if (elsewhere && !metadataNotes.includes(elsewhere)) metadataNotes = [...metadataNotes, elsewhere];
    }
    // --ddl/--schema replace the data file's layouts: only the tables they name are scanned. Said
    // when others are left out and no --table asked for fewer, or their deletes vanish unsaid.
    const leftOut = (opts.schema || opts.ddl) && (opts.mdf || opts.bak) && opts.table.length === 0 && !opts.quiet ? await tablesLeftOut(opened.source, catalog) : [];
    if (leftOut.length) {
      const flag = opts.ddl ? '--ddl' : '--schema';
      sayLine(
        `rowback scan: note: ${flag} gives the layout of ${catalog.tables().length} table(s); the ${leftOut.length} other table(s) of ${opts.bak ? 'the backup' : 'the data file'} are not scanned (their rows count as on allocation units the metadata does not know): ` +
          `${tableListText(leftOut.slice(0, 10))}${leftOut.length > 10 ? ', …' : ''}. To recover them too, scan again without ${flag}, or add their CREATE TABLE / catalog rows to it`,
      );
    }
    // one table however often or in whichever spelling --table names it (`T`, `dbo.t`): value columns
    const named = new Map(opts.table.map((t) => catalog.byName(t)).filter((l) => l !== undefined).map((l) => [stagedTableName(l), l]));
    const single = opts.table.length > 0 && named.size === 1 ? [...named.values()][0] : undefined;
    const valueColumns = single?.columns.filter(isVisibleColumn).map((c) => c.name);

    const out: Writable = outFile ?? process.stdout;
    const withAfter = operations.includes('update');
    const csvOut = opts.format === 'csv';
    const writer = createRowWriter(opts.format, out, { valueColumns, includeAfter: withAfter, csvRaw: opts.csvRaw });
    const perTable = new Map<string, number>();
    /** Rows printed with warnings (a value may be wrong or missing): said in the summary and the report. */
    let warnedRows = 0;
    const skipped: SkippedItem[] = [];
    let rows = 0;
    /** Rows recovered that the row selection (--transaction, --sid, --login, --db-user, --from-lsn/--to-lsn) left out. */
    let selectedOut = 0;
    /** Of those, rows left out only for want of a field the selection compares (no login offline, no SID of a transaction whose begin is unread, a SID no database user has): they may be rows asked for. */
    let unknownOut = 0;
    const unknownFields = new Set<UnknownSelectionField>();
    /** SIDs (as S-1-… text, else hex) of the rows left out for want of a login or database user: --sid selects them. */
    const unknownOutSids = new Set<string>();
    /** Tables rows the selection left out came from: rows of them were read (mistypedAllocUnitNotes must not say none was). */
    const selectedOutTables = new Set<string>();
    /** Rows selected by a login or database user name in another letter case than typed: count and the names. */
    let caseOnly = 0;
    const caseOnlyNames = new Set<string>();
    const started = Date.now();
    const progress = createProgress({ quiet: opts.quiet });
    try {
      // rows as objects, or (decode workers, NDJSON/JSON) as the NDJSON lines the workers encoded
      const batch: Array<RecoveredRow | Uint8Array> = [];
      const writeEncoded = decodeThreads > 1 ? writer.writeEncoded : undefined;
      const recoverOptions = { acceptColumnCountDrift: opts.acceptLayoutDrift, signal: interrupt.signal };
      const batches: AsyncIterable<PooledEvent[]> = writeEncoded ? recoverEncodedBatches(source, filter, { ...recoverOptions, threads: decodeThreads }) : recoverRowBatches(source, filter, recoverOptions);
      for await (const events of batches) {
        let lastTable = '';
        let lastCount = 0;
        for (const ev of events) {
          if (ev.kind === 'skipped') {
            skipped.push(ev.item);
            continue;
          }
          // the row selection (--transaction, --sid, …): counted apart, said in the summary and the report
          if (selection && ev.kind === 'row') {
            const verdict = rowSelection(selection, ev.row);
            if (verdict !== 'selected') {
              selectedOut++;
              selectedOutTables.add(ev.row.table);
              if (verdict !== 'other') {
                unknownOut++;
                for (const f of verdict) unknownFields.add(f);
                const sid = ev.row.sidText ?? ev.row.sid;
                if (sid && !verdict.includes('SID')) unknownOutSids.add(sid);
              }
              continue;
            }
            const other = caseOnlyMatches(selection, ev.row);
            if (other.length) {
              caseOnly++;
              for (const n of other) caseOnlyNames.add(n);
            }
          }
          rows++;
          // in CSV, a value UTF-8 cannot carry is a warning of the row too (its cell is not the value: csvWarningsCell)
          if (ev.kind === 'row' ? ev.row.warnings.length > 0 || (csvOut && csvWarningsCell([], valueColumns, ev.row.values, withAfter ? ev.row.after : undefined, { names: CSV_FIXED, row: ev.row as unknown as Record<string, unknown> }) !== null) : ev.warned === true) warnedRows++;
          const table = ev.kind === 'row' ? ev.row.table : ev.table;
          batch.push(ev.kind === 'row' ? ev.row : ev.text);
          // per-table counts: consecutive rows mostly share a table
          if (table !== lastTable) {
            if (lastCount) perTable.set(lastTable, (perTable.get(lastTable) ?? 0) + lastCount);
            lastTable = table;
            lastCount = 0;
          }
          lastCount++;
        }
        if (lastCount) perTable.set(lastTable, (perTable.get(lastTable) ?? 0) + lastCount);
        if (batch.length) {
          await (writeEncoded ? writeEncoded(batch) : writer.writeRows(batch as RecoveredRow[]));
          batch.length = 0;
        }
        progress.update(() => {
          const p = source.progress?.();
          const read = p ? `, ${(p.bytesRead / 1048576).toFixed(1)}${p.bytesTotal ? ` of ${(p.bytesTotal / 1048576).toFixed(1)}` : ''} MiB read${p.passes ? ` (pass ${p.pass} of ${p.passes})` : ''}` : '';
          return `rowback scan: ${rows} rows recovered, ${skipped.length} skipped${read}`;
        });
      }
    } catch (e) {
      // Rows gathered for the next write reach the output even when the scan stops on an error
      // (not awaited: a broken output must not hold the error back).
      void writer.flush();
      throw e;
    }
    progress.done();
    // A signal from here on (the output's last writes and flush) finds the log read to its end:
    // the result is whole (it was called INTERRUPTED, "only part of the result", exit 130, as log
    // and dump did). One during the reading stops it (recover-rows.ts), so is a stop.
    const byDuringRead = interruption.by;
    await writer.end();
    if (opts.out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));

    const sourceSkipped = source.skipped();
    const allSkipped = [...sourceSkipped, ...skipped];
    // transactions whose begin is not in the log read, first read right after a missing log backup
    // that began by its bound, or (files) first read before any log lost, that began by the read's
    // first commit, before the window's start: not asked for (log-not-given.ts placeBeginUnread)
    const stats0 = source.committedStats?.();
    const stats = stats0 && placeBeginUnread(stats0, filter, logLoss(allSkipped), opened.chainGapTimes, opened.logNotGiven?.() ?? [], { kind, wholeFrom: opened.logWholeFrom?.() ?? null });
    // an export's records are in the file itself: `rowback log` does not read exports
    if (stats && opts.export) stats.unknownAllocUnitsListedBy = EXPORT_UNITS_LISTED_BY;
    const interruptedBy = byDuringRead;
    const lateSignal = interruption.by && !byDuringRead ? interruption.by : null;
    // rows the selection left out for want of a login, SID or database user to compare: not "of
    // other people" (an offline scan has no login at all), they may be rows asked for
    const unknownWhat = [...unknownFields].join(' or ');
    // the SID that began their transactions is known (an offline row's who): --sid selects by it
    const sidWayOn = unknownOutSids.size === 0 ? ''
      : unknownOutSids.size <= 3 ? `--sid ${[...unknownOutSids].join(',')} (the SID that began their transactions, which they carry), `
      : `--sid (the SID that began their transactions, which they carry: ${unknownOutSids.size} different ones, each row's sidText), `;
    const unknownClause = selection && unknownOut > 0
      ? `${unknownOut} row(s) recovered are not printed because their ${unknownWhat} is not known (offline rows have no login; a transaction whose begin is not in the log read has no SID; a SID no user of the data file has, such as a sysadmin's acting as dbo or a Windows group member's, has no database user): they may be rows ${selection.described} asks for; select by ${sidWayOn}--transaction or --from-lsn/--to-lsn, or scan without it to see them (their ${unknownWhat} is null)`
      : '';
    // Whether the result is whole, and every INCOMPLETE sentence in the order stderr says them
    // (incomplete-verdict.ts, which a files job's `incomplete` comes from too): lost log, a damaged
    // catalog, tables held back, rows not decoded, tables the catalog does not name, begin-unread
    // transactions, a window or LSN range past either edge of the log read, log in no file given.
    // An LSN range below an .ldf's whole log is read from the .ldf here (the verdict reads no file).
    const lsnBeforeLdf = !interruptedBy && !opts.export && selection && opts.ldf && lsnRangeBeforeLogStartClause(selection, opened.logReadStart?.()) === undefined
      ? await lsnRangeBeforeLdf(selection, opts.ldf, opts.trn?.length ? opened.logBackupsStart?.() ?? null : undefined)
      : undefined;
    const asked = `the ${[filter.from || filter.to ? 'window' : '', selection?.fromLsn || selection?.toLsn ? 'LSN range' : ''].filter(Boolean).join(' and ')} asked for ${filter.from || filter.to ? (selection?.fromLsn || selection?.toLsn ? 'lie' : 'lies') : 'lies'}`;
    const verdict = incompleteVerdict({
      // the source's own kind: a live scan may name its server in the MSSQL_* variables alone (open-source.ts sourceKind)
      kind,
      // whose catalog a damaged one or unknown units are said of (the data file's, the backup's)
      catalogOwner: source.catalogOwner,
      stats,
      window: filter,
      range: selection,
      sourceSkipped,
      skipped: allSkipped,
      undecodedRowOps: skipped.filter(isUndecodedRowOp).length,
      notPrinted: notPrinted(skipped),
      facts: opened,
      ...(kind === 'live' ? { onlineLogStart: { startsAt: opened.source.logStartsAfterWindow?.(), wayOn: 'add the log backups of that time with --log-backup, or start the window later' } } : {}),
      // a live or export source: its tables' modify_date against the window (rebuilt-tables.ts)
      catalogChanges: opened.source.catalogChanges?.() ?? null,
      layoutGiven: Boolean(opts.schema || opts.ddl),
      stopped: Boolean(interruptedBy),
      ...(lsnBeforeLdf ? { lsnBeforeLdf } : {}),
      selectionUnknown: unknownClause,
    }, {
      done: 'printed',
      result: 'this result',
      lostAdvice: (lost) => scanMissingLogAdvice(lost, opts),
      lostOutside: { lies: asked, holds: 'no row asked for can be there', wayOn: 'add the missing log backups with --trn' },
      damaged: { pages: true, tail: ', not in this result; scan with an undamaged copy (a backup: --bak), or give the tables with --ddl/--schema' },
      // tables whose decoded rows the layout check held back; row operations that did not decode
      heldWhere: opts.quiet ? 'of the summary (without --quiet) and of --report' : 'above (also in --report)',
      undecodedWhere: opts.quiet ? 'in --report, and in the summary without --quiet' : 'above, also in --report',
      beginUnreadWayOn: 'scan without --from/--to to see them (their beginTime is null), or add the log from before they began (an earlier --trn, the --ldf)',
      rebuiltWayOn: `scan the log offline instead, which reads every allocation unit's records: the log backups of that time (--trn) or a copy of the .ldf (--ldf), with a data file or full backup from before the change (--mdf/--bak) or --schema with catalog JSON saved before it (sql/table-metadata.sql), whose catalog names the earlier allocation units; --schema/--ddl or --accept-schema-drift on this ${opts.export ? 'export' : 'live'} scan do not help: they change how rows are decoded, not which records ${opts.export ? 'the export holds' : 'the server returns'}`,
      beforeWayOn: kind === 'live' ? 'add the log backups of that time with --log-backup, or start the window later' : 'add the log backups of that time with --trn (rowback restore plan lists them from a backup folder), or start the window later',
      edgesOneLine: true,
    });
    const { lost, lostOutsideNote } = verdict;
    const damagedLine = verdict.damaged ? `rowback scan: INCOMPLETE: ${verdict.damaged}` : '';
    const beforeStart = verdict.beforeStart.join('; ') || undefined;
    const pastEnd = verdict.pastEnd.join('; ') || undefined;
    // rows the committed filter passed on but the layout check held back, or that did not decode,
    // are in none of the counts explainNoRows tells: said here, or "16 deletes: 3 on …" left 13 unexplained
    const noRowsReason = rows === 0 && stats && !interruptedBy
      ? (selection && selectedOut > 0
        ? (selectedOut > unknownOut
          ? `the ${selectedOut} row(s) recovered${filter.from || filter.to ? ' in the window' : ''} are ${unknownOut ? `${selectedOut - unknownOut} of other transactions, people or LSNs than ${selection.described} selects and ${unknownOut} of a ${unknownWhat} not known (INCOMPLETE below)` : `all of other transactions, people or LSNs than ${selection.described} selects`}; scan without it to see them${outsideWindowSelectionClause(stats, operations, selection.described)}`
          : `the ${selectedOut} row(s) recovered${filter.from || filter.to ? ' in the window' : ''} have no ${unknownWhat} known to compare with ${selection.described} (INCOMPLETE below); scan without it to see them${outsideWindowSelectionClause(stats, operations, selection.described)}`)
        : explainNoRows(stats, operations) + (selection ? `; ${selection.described} selected none of them` : '')) + notPrinted(skipped).clause('above') + noRowsOfLogReadClause(lost, 'INCOMPLETE below')
      : undefined;
    // a window of local times over a log whose clock was set back (a daylight-saving fold): the
    // window may name two stretches of the log; said even with --quiet, and in the report's warnings
    // (judged by the step the window can reach: one hours away repeats none of its times)
    const clockStep = stats && (filter.from || filter.to) ? windowClockStep(stats, filter) : undefined;
    const clockWarning = clockStep && !selectionEndsBeforeClockWentBack(clockStep, selection?.toLsn) ? clockBackwardsWarning(clockStep, 'the window --from/--to', '--from-lsn/--to-lsn') : undefined;
    const saidIncomplete = new Set(verdict.logNotGiven);
    // Every INCOMPLETE sentence of this scan but the damaged catalog's, in the order stderr says them
    const incompleteClauses = verdict.damaged ? verdict.clauses.slice(1) : verdict.clauses;
    const sourceNotes = (): string[] => opened.notes().filter((n) => !saidIncomplete.has(n));
    const told = stats ? scanStatsNotes(stats, operations, noRowsReason !== undefined, verdict.unknownTables !== '') : { removals: [] as string[], notes: [] as string[], unchecked: undefined };
    // the notes said of a selection's letter case and of a likely mistyped --alloc-unit (stderr, even with --quiet)
    const caseOnlyNote = caseOnly ? `${caseOnly} row(s) printed were selected by ${selection!.described} in another letter case: ${[...caseOnlyNames].slice(0, 5).join(', ')}${caseOnlyNames.size > 5 ? ', …' : ''}; under a case-sensitive collation that is another principal, and those rows may be another person's (their login/dbUser field says whose)` : undefined;
    // rows a selection (--who, --transaction, --from-lsn …) left out: said on stderr and in --report's notes
    const selectionNote = selection && selectedOut > unknownOut && rows > 0 ? `${selectedOut - unknownOut} other row(s) recovered are not printed: ${selection.described} does not select them` : undefined;
    const mistypedNotes = stats && !interruptedBy ? mistypedAllocUnitNotes(stats, mappedTables, '--alloc-unit', (t) => (perTable.get(t) ?? 0) > 0 || selectedOutTables.has(t), allSkipped) : [];
    if (opts.report) {
      // One time form throughout the report: `YYYY-MM-DDTHH:MM:SS.fff`, the SQL Server's local
      // time, no zone (as filter.from/to and the rows' beginTime); the log's first/last Begin Time
      // and the sentences copied from stderr carried fn_dblog's `yyyy/MM/dd HH:mm:ss:fff` beside it.
      const report = {
        times: REPORT_TIMES,
        source: source.description,
        filter: selection ? { ...filter, selection: selectionForReport(opts) } : filter,
        rows,
        ...(selection ? { rowsNotSelected: selectedOut, rowsNotSelectedUnknown: unknownOut } : {}),
        rowsPerTable: Object.fromEntries(perTable),
        rowsWithWarnings: warnedRows,
        complete: verdict.clauses.length === 0 && !unknownClause && !interruptedBy,
        // every INCOMPLETE line stderr says, without its prefix ([] when complete)
        incomplete: verdict.clauses.map((t) => isoLogTimesIn(t)),
        ...(pastEnd ? { beyondLogGiven: pastEnd } : {}),
        ...(beforeStart ? { beforeLogRead: beforeStart } : {}),
        // stretches of log in no file given that the window may reach (their notes are not repeated below)
        ...(verdict.logNotGiven.length ? { logNotGiven: verdict.logNotGiven.map((t) => isoLogTimesIn(t)) } : {}),
        ...(interruptedBy ? { interrupted: interruptedBy } : {}),
        ...(noRowsReason ? { noRowsReason: isoLogTimesIn(noRowsReason) } : {}),
        // what stderr says as notes (where an .ldf's log starts, log held twice, the inactive
        // log, …): a script running --quiet --report had no way to learn them. The notes of the
        // result stderr says, with --quiet or without: the catalog's, the source's, the metadata's,
        // log lost outside the window, TRUNCATE/DROP, rows outside the window or taken back by their
        // own transaction, unknown allocation units, a selection's letter case, a likely mistyped
        // --alloc-unit (not the CSV layout's). Only the source's and the lost log's were here: a
        // script read `notes: []` of a scan whose stderr said "59 more insert(s) … began outside the
        // window", or named a TRUNCATE TABLE no log scan gives back
        notes: [...timeAdvice.map((l) => l.slice('rowback scan: '.length)), ...catalogNotes, ...sourceNotes(), ...metadataNotes, ...told.removals, ...told.notes, ...(selectionNote ? [selectionNote] : []), ...(caseOnlyNote ? [caseOnlyNote] : []), ...mistypedNotes, ...(lostOutsideNote ? [lostOutsideNote] : [])].map((t) => isoLogTimesIn(t)),
        // log records of operation codes rowback does not know, a clock set back within the window
        // (said as WARNING on stderr) and the UNCHECKED line: each exits 3 under --strict, so the
        // report says why (a script read `complete: true`, no warnings, and exit 3)
        ...(opened.warnings?.().length || clockWarning || told.unchecked ? { warnings: [...(opened.warnings?.() ?? []), ...(clockWarning ? [clockWarning] : []), ...(told.unchecked ? [told.unchecked] : [])].map((t) => isoLogTimesIn(t)) } : {}),
        // a Map goes through JSON.stringify as {}: the per-unit counts as an object
        ...(stats
          ? {
              counts: {
                // (the places of the transactions whose begin was not read: working facts, not counts)
                ...(({ beginUnreadPlaces: _p, beginUnreadPlacesOverflow: _o, ...c }) => c)(stats),
                ...(stats.unknownAllocUnits ? { unknownAllocUnits: Object.fromEntries(stats.unknownAllocUnits) } : {}),
                ...(stats.clockBackwards ? { clockBackwards: { ...stats.clockBackwards, earlierTime: isoLogTimesIn(stats.clockBackwards.earlierTime), laterTime: isoLogTimesIn(stats.clockBackwards.laterTime) } } : {}),
                firstBeginTime: stats.firstBeginTime === null ? null : isoLogTimesIn(stats.firstBeginTime),
                lastBeginTime: stats.lastBeginTime === null ? null : isoLogTimesIn(stats.lastBeginTime),
                ...(stats.firstCommitTime !== undefined ? { firstCommitTime: isoLogTimesIn(stats.firstCommitTime) } : {}),
                ...(stats.startBeginTime !== undefined ? { startBeginTime: isoLogTimesIn(stats.startBeginTime) } : {}),
                ...(stats.startCommitTime !== undefined ? { startCommitTime: isoLogTimesIn(stats.startCommitTime) } : {}),
                ...(stats.outsideWindowFirstBegin !== undefined ? { outsideWindowFirstBegin: isoLogTimesIn(stats.outsideWindowFirstBegin) } : {}),
                ...(stats.outsideWindowLastBegin !== undefined ? { outsideWindowLastBegin: isoLogTimesIn(stats.outsideWindowLastBegin) } : {}),
                // outsideWindowRowOps by side of the window, each with its own span: the span above
                // holds the window itself when some began before it and some after
                outsideWindowBeforeRowOps: stats.outsideWindowBeforeRowOps ?? 0,
                outsideWindowAfterRowOps: stats.outsideWindowAfterRowOps ?? 0,
                ...(stats.outsideWindowBeforeFirstBegin !== undefined ? { outsideWindowBeforeFirstBegin: isoLogTimesIn(stats.outsideWindowBeforeFirstBegin) } : {}),
                ...(stats.outsideWindowBeforeLastBegin !== undefined ? { outsideWindowBeforeLastBegin: isoLogTimesIn(stats.outsideWindowBeforeLastBegin) } : {}),
                ...(stats.outsideWindowAfterFirstBegin !== undefined ? { outsideWindowAfterFirstBegin: isoLogTimesIn(stats.outsideWindowAfterFirstBegin) } : {}),
                ...(stats.outsideWindowAfterLastBegin !== undefined ? { outsideWindowAfterLastBegin: isoLogTimesIn(stats.outsideWindowAfterLastBegin) } : {}),
                // the commit times of transactions whose begin is not in the log read, in the report's form too
                ...(stats.outsideWindowBeginUnreadLastCommit !== undefined ? { outsideWindowBeginUnreadLastCommit: isoLogTimesIn(stats.outsideWindowBeginUnreadLastCommit) } : {}),
                ...(stats.beginUnreadFirstCommit !== undefined ? { beginUnreadFirstCommit: isoLogTimesIn(stats.beginUnreadFirstCommit) } : {}),
                ...(stats.beginUnreadLastCommit !== undefined ? { beginUnreadLastCommit: isoLogTimesIn(stats.beginUnreadLastCommit) } : {}),
              },
            }
          : {}),
        skipped: allSkipped,
        elapsedMs: Date.now() - started,
      };
      // a full disk said as INTERNAL with no file named, and nothing of the rows already written
      writeReport(opts.report, report, `the ${rows} row(s) were written${opts.out ? ` to ${opts.out}` : ''}`, ': free space or give another --report, and run the scan again');
    }
    // Every sentence on stderr gives times as --report, --from/--to and rows' beginTime do
    // (isoLogTimesIn): the notes, "why no rows" and WARNING lines printed fn_dblog's
    // `2018/08/28 18:37:18:200` while the INCOMPLETE lines and the report said 2018-08-28T18:37:18.200.
    // The --from/--to as typed are kept as typed.
    // Each line made one line (stderr-lines.ts: a path or name holding a line break as `\u{a}`)
    // before its times are rewritten (isoTimesStderr), so that a quoted span isoLogTimesIn leaves as
    // it is ends where its quote does, not at a line break of the data inside it.
    const isoStderr = isoTimesStderr(process.stderr, [opts.from, opts.to]);
    const say = (line: string): void => sayLine(line, isoStderr);
    // Said even with --quiet: a --schema catalog whose database was not checked or is another's
    for (const n of catalogNotes) say(`rowback scan: note: ${n}`);
    if (!opts.quiet) {
      for (const n of sourceNotes()) say(`rowback scan: note: ${n}`);
      for (const n of metadataNotes) say(`rowback scan: note: ${n}`);
      printSummary(rows, perTable, allSkipped);
      // CSV without one --table holds each row's values as one JSON cell: a spreadsheet shows JSON
      // text where a newcomer expected a column per value, and nothing said why
      if (csvOut && !single && rows > 0) {
        // each --table a word the shell passes as it is: `dbo.[Order Details]` bare was two words in
        // any shell, and `dbo.[User]` a glob (zsh: 'no matches found'); quoted, as command-line.ts quotes
        // the name itself (tableNameWord), not as a line prints it: `'dbo.[a\u{a}b]'` named another table
        const names = [...perTable.keys()].sort();
        say(`rowback scan: note: CSV: each row's values are one JSON cell (column "values"), as no single --table was given; for a column per value, scan one table at a time: ${names.slice(0, 3).map((t) => `--table ${shellWord(tableNameWord(t))}`).join(', ')}${names.length > 3 ? ', …' : ''}`);
      }
      if (selectionNote) say(`rowback scan: note: ${selectionNote}`);
      // the notes before "why no rows", which counts what they name
      for (const n of [...told.removals, ...told.notes]) say(`rowback scan: note: ${n}`);
      if (noRowsReason) say(`rowback scan: why no rows: ${noRowsReason}`);
    } else {
      // Said even with --quiet: a file whose database could not be checked (its rows may be another database's)
      for (const n of (opened.loudNotes?.() ?? []).filter((x) => !saidIncomplete.has(x))) say(`rowback scan: note: ${n}`);
      // Said even with --quiet: the rows printed are not all the transactions removed.
      for (const n of told.removals) say(`rowback scan: note: ${n}`);
    }
    // Said even with --quiet: rows printed as selected by a name they hold in another letter case
    // (a case-sensitive database or server has both 'Bob' and 'bob')
    if (caseOnlyNote) say(`rowback scan: note: ${caseOnlyNote}`);
    // Said even with --quiet: records of operations rowback does not know may have changed rows it does not list
    for (const w of opened.warnings?.() ?? []) say(`rowback scan: WARNING: ${w}`);
    if (clockWarning) say(`rowback scan: WARNING: ${clockWarning}`);
    // Said even with --quiet: rows printed here may still exist in the database.
    if (told.unchecked) say(`rowback scan: ${told.unchecked}`);
    // Said even with --quiet: a table `--alloc-unit` mapped that no row came from, while the log has
    // row operations on units no table names: likely a mistyped id (its rows were a note at most,
    // exit 0 with --strict; the unknown units are not INCOMPLETE with a --ddl/--schema layout)
    for (const n of mistypedNotes) say(`rowback scan: note: ${n}`);
    // Said even with --quiet, as INTERRUPTED is: a script must not take part of a result for all of it.
    if (damagedLine) say(damagedLine);
    if (lostOutsideNote) say(`rowback scan: note: ${lostOutsideNote}`);
    // each time in the report's form (isoLogTimesIn), as --report's `incomplete` says the same
    // sentences: a log time came in fn_dblog's form (`it committed at 2018/08/28 18:37:18:200`, `its
    // last transaction record ended at 2024/03/05 14:29:58:200`), beside `--to 2024-03-05T14:59:59.997`
    // in one line, and the report's sentence differed from stderr's
    for (const c of incompleteClauses) say(`rowback scan: INCOMPLETE: ${c}`);
    // --strict: exit 3 for what the report calls "complete": false (an interrupt's 130/143 below wins)
    if (verdict.clauses.length || unknownClause) exitIncomplete(opts.strict);
    // every WARNING said above (a backup's header, log records of an operation rowback does not know:
    // rows may be missing; the clock set back within the window: rows may be of the other moment) and
    // UNCHECKED (rows printed may still exist): --strict exits 3 as for warned rows. Only the header's
    // did; the others exited 0, so a script took a doubtful result for a whole one.
    if (opened.warnings?.().length || opened.headerWarnings?.().length || clockWarning || told.unchecked) exitIncomplete(opts.strict);
    // Said even with --quiet, and exit 3 with --strict: values printed may be wrong or missing.
    sayWarnedRows(process.stderr, 'scan', warnedRows, rows, opts);
    // Said even with --quiet, as an error would be: a script must not take part of a result for all of it.
    if (lateSignal) say(`rowback scan: note: ${lateSignal} came after the log was read to its end: the ${rows} row(s) written are the whole result`);
    if (interruptedBy) {
      sayLine(`rowback scan: INTERRUPTED by ${interruptedBy}: the log was not read to its end; the ${rows} row(s) written are only part of the result`);
      process.exitCode = interruptedBy === 'SIGINT' ? 130 : 143;
    }
  } finally {
    await source.close();
    interruption.release();
  }
}

/**
 * What to give for log that is in no file given (FORMAT_LOG_CHAIN_GAP among `lost`), after the
 * INCOMPLETE line's clause; '' when none is. `--bak FULL DIFF` with no log files reads the log each
 * backup holds (only what was written while it ran), so the stretch between them is in none of the
 * files: said as such, not as log that "could not be read".
 */
function scanMissingLogAdvice(lost: readonly SkippedItem[], opts: ScanOptions): string {
  const chain = missingLogAdvice(lost, { bakOnly: Boolean(opts.bak?.length && !opts.trn?.length && !opts.ldf), bak: 'with --bak', addTrn: 'with --trn', addLdf: 'with --ldf', item: 'item' });
  return joinLossAdvice(chain, ldfLossAdvice(lost, opts.ldf, { trnGiven: Boolean(opts.trn?.length), trn: '--trn', ldf: '--ldf' }));
}

/** The tables of the source's own metadata (a data file or backup) that `catalog` (the --ddl/--schema tables) lacks by name; none when the source has no metadata of its own. */
async function tablesLeftOut(source: RecoverySource, catalog: MetadataCatalog): Promise<string[]> {
  let own: MetadataCatalog;
  try {
    own = await source.metadata();
  } catch {
    return [];
  }
  return own.tables().filter((t) => !catalog.byName(stagedTableName(t))).map((t) => stagedTableName(t));
}

function parseOperations(ops: string[]): ScanOperation[] {
  if (ops.length === 0) return ['delete'];
  // any case, as --format and log's --operation take theirs (`--op DELETE` was refused); the API's `operations` take the same (scanOperationOf)
  return [...new Set(ops.map((o) => {
    const op = scanOperationOf(o);
    if (!op) throw new InputError('INPUT_BAD_OPTION', `--op '${o}' is not one of: ${SCAN_OPERATIONS.join(', ')}`);
    return op;
  }))];
}

/**
 * The layouts --schema or --ddl give, and what must be said of them. `databaseDefault`: the default
 * collation of the database of the data file or backup given (its boot page), for the script's
 * char/varchar/text columns without COLLATE when --collation is not given; without it they are read
 * as SQL_Latin1_General_CP1_CI_AS, said as assumed. `schemaCatalog`: the --schema catalog already
 * read (runScan reads it before the log files are opened).
 */
function loadMetadataOverride(opts: ScanOptions, databaseDefault?: DatabaseDefaultCollation, schemaCatalog?: ReturnType<typeof readCatalogFile>) {
  if (opts.schema && opts.ddl) throw new InputError('INPUT_BAD_OPTION', 'give --schema or --ddl, not both');
  // A UTF-8 byte-order mark (Windows PowerShell 5.1's Set-Content -Encoding UTF8) is allowed.
  if (opts.schema) {
    // read before the log files were opened (runScan): not read again
    const catalog = schemaCatalog ?? readCatalogFile(opts.schema, '--schema');
    return { layouts: catalog.layouts, notes: [] as string[], identity: catalog.identity };
  }
  const aliases = typeAliasesOf(opts);
  const text = readTextFile(opts.ddl!, '--ddl');
  const defaultCollation = opts.collation ?? databaseDefault?.collation;
  const layouts = namingFile(opts.ddl!, () => layoutsFromDdl(text, { typeAliases: aliases, ...(defaultCollation ? { defaultCollation } : {}) }));
  const notes: string[] = [];
  if (!opts.collation && databaseDefault) {
    const taken = databaseCollationNote(text, { typeAliases: aliases }, databaseDefault.collation, databaseDefault.from, '--collation');
    if (taken) notes.push(`--ddl: ${taken}`);
  } else if (!opts.collation) {
    // The script does not say the database's default collation (SSMS leaves COLLATE out where it is
    // that): the text of a database with another code page would be read wrong without a word.
    const assumed = assumedCollationNote(text, { typeAliases: aliases }, '--collation');
    if (assumed) notes.push(`--ddl: ${assumed}`);
  }
  const sparse = assumedSparseIdsNote(layouts, '--schema (sql/table-metadata.sql) or the data file (--mdf/--bak)');
  if (sparse) notes.push(`--ddl: ${sparse}`);
  return { layouts, notes };
}

/**
 * The up-front check of a --ddl/--schema text (runScan, before any log file is opened): a file that
 * does not exist, cannot be read, is a directory or is empty is refused as assertReadableFile
 * refuses it (INPUT_FILE_UNREADABLE, INPUT_EMPTY_FILE). A pipe or character device is only checked
 * readable: `--schema <(sqlcmd …)` or `--ddl /dev/stdin` is read by readTextFile, as before the
 * check was moved up front (assertReadableFile refused it "a FIFO (named pipe)", and a pipe's size 0
 * is no emptiness). Throws InputError INPUT_FILE_UNREADABLE.
 */
function assertReadableTextInput(flag: string, file: string): void {
  let stream = false;
  try {
    const st = statSync(file);
    stream = st.isFIFO() || st.isCharacterDevice();
  } catch {
    // not there or not reachable: assertReadableFile says which
  }
  if (!stream) return assertReadableFile(flag, file);
  try {
    accessSync(file, fsConstants.R_OK);
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `${flag} ${file}: ${unreadableWhy(e)}`, { file });
  }
}

/** `--type-alias NAME=TYPE` options as a record (parseTypeAliases, type-aliases.ts: INPUT_BAD_OPTION for one that is not NAME=TYPE). */
function typeAliasesOf(opts: ScanOptions): Record<string, string> {
  return parseTypeAliases(opts.typeAlias);
}

function printSummary(rows: number, perTable: Map<string, number>, skipped: SkippedItem[]): void {
  const lines = [`rowback scan: ${rows} row(s) recovered`];
  for (const [t, n] of [...perTable].sort()) lines.push(`  ${t}: ${n}`);
  if (skipped.length) {
    const byCode = new Map<string, number>();
    for (const s of skipped) byCode.set(s.code, (byCode.get(s.code) ?? 0) + 1);
    lines.push(`rowback scan: ${skipped.length} item(s) skipped: ${[...byCode].map(([c, n]) => `${c} ×${n}`).join(', ')}`);
    appendAll(lines, skippedLines(skipped, 20, ' (use --report FILE for all)'));
  }
  // each line one line: a table named with a line break (`  dbo.[a\u{a}b]: 3`), a skipped item's file
  sayLines(lines);
}

/** A decimal AllocUnitId without leading zeros, as the log prints it ('0072…' → '72…'). */
export function canonicalAllocUnitId(id: string): string {
  return BigInt(id).toString();
}

/** One `--alloc-unit` value: `ID`, or `SCHEMA.NAME=ID` (`table` normalised as --table takes names). */
export interface AllocUnitArg {
  table?: string;
  id: string;
}

/**
 * The `--alloc-unit` values: `ID` (decimal, as the log prints AllocUnitId) or `SCHEMA.NAME=ID`
 * (`dbo.T`, `T`, `[dbo].[T]`). Throws InputError INPUT_BAD_OPTION for a value of neither form, for
 * two plain ids (a plain id maps the one table: the second was taken and the first dropped unsaid),
 * and for plain and named values mixed; INPUT_BAD_IDENTIFIER for a name that is not one.
 */
export function parseAllocUnits(values: readonly string[]): AllocUnitArg[] {
  const out = values.map((v): AllocUnitArg => {
    // the id as the log prints it: '072057594043629568' matched no record's AllocUnitId, and the
    // table's rows were "on allocation units the table metadata does not know", a note alone
    if (/^\d{1,20}$/.test(v)) return { id: canonicalAllocUnitId(v) };
    const eq = v.lastIndexOf('=');
    if (eq > 0 && /^\d{1,20}$/.test(v.slice(eq + 1))) return { table: normalizeTableName(v.slice(0, eq), '--alloc-unit'), id: canonicalAllocUnitId(v.slice(eq + 1)) };
    throw new InputError('INPUT_BAD_OPTION', `--alloc-unit '${v}' is not an AllocUnitId (a decimal number such as 72057594043629568) nor SCHEMA.NAME=ID`);
  });
  const plain = out.filter((a) => a.table === undefined);
  if (plain.length > 1) throw new InputError('INPUT_BAD_OPTION', `--alloc-unit ${plain.map((a) => a.id).join(' and ')}: an id alone maps the one table of the script; for several tables give SCHEMA.NAME=ID for each`);
  if (plain.length && out.length > 1) throw new InputError('INPUT_BAD_OPTION', `--alloc-unit ${plain[0]!.id} alone and SCHEMA.NAME=ID values mixed: name the table of each (SCHEMA.NAME=${plain[0]!.id})`);
  return out;
}

/**
 * The layouts of `--ddl`/`--schema` to scan with, and the allocation unit `--alloc-unit` maps each
 * named table to (by layout name). An id alone maps one table: the script's only one, or the one
 * `--table` names (refused without one `--table`: it was ignored there, and the INPUT_NO_ALLOC_UNIT
 * that followed never said why). `SCHEMA.NAME=ID` values map each table they name (a multi-table
 * CRM scanned with the log alone needed a scan per table); with `--table`, only the tables it names
 * are taken from the script. Throws InputError INPUT_UNKNOWN_TABLE for a name the script lacks,
 * INPUT_BAD_OPTION for a table named twice or two tables given one id.
 */
function allocUnitLayouts(layouts: TableLayout[], args: readonly AllocUnitArg[], opts: ScanOptions): { layouts: TableLayout[]; ids: Map<string, string> } {
  const flag = opts.ddl ? `--ddl ${opts.ddl}` : `--schema ${opts.schema}`;
  const names = new Set(layouts.map((l) => stagedTableName(l)));
  // exact name first, another case only when one table has it (names.ts)
  const resolve = (wanted: string): string => {
    const found = findTableName(names, wanted);
    if (found === undefined) throw new InputError('INPUT_UNKNOWN_TABLE', `table ${wanted} is not in ${flag}; known tables: ${tableListText(names)}${unknownTableHint(wanted, names)}`, { table: wanted });
    return found;
  };
  const ids = new Map<string, string>();
  if (args.length === 0) return { layouts, ids };
  if (args[0]!.table === undefined) {
    const id = args[0]!.id;
    if (layouts.length <= 1) {
      for (const l of layouts) ids.set(stagedTableName(l), id);
      return { layouts, ids };
    }
    if (opts.table.length !== 1) {
      throw new InputError('INPUT_BAD_OPTION', `--alloc-unit ${id} maps one table to its allocation unit, and ${flag} gives ${layouts.length} tables: name the one it belongs to with --table SCHEMA.NAME${opts.table.length ? ` (one, not ${opts.table.length})` : ''}, or give SCHEMA.NAME=ID for each table`);
    }
    const want = resolve(opts.table[0]!);
    ids.set(want, id);
    return { layouts: layouts.filter((l) => stagedTableName(l) === want), ids };
  }
  const byId = new Map<string, string>();
  for (const a of args) {
    const t = resolve(a.table!);
    if (ids.has(t)) throw new InputError('INPUT_BAD_OPTION', `--alloc-unit names ${t} twice (${ids.get(t)} and ${a.id}): a table has one in-row allocation unit per partition`, { table: t });
    const other = byId.get(a.id);
    if (other !== undefined) throw new InputError('INPUT_BAD_OPTION', `--alloc-unit gives ${a.id} to both ${other} and ${t}: an allocation unit belongs to one table`, { table: t });
    ids.set(t, a.id);
    byId.set(a.id, t);
  }
  if (!opts.table.length) return { layouts, ids };
  // the tables --table asks for, and every table given a unit: one mapped and not asked for is known
  // and left out by the table filter, as with a data file (dropped here, its rows were counted "on
  // units the metadata does not know" and its mapping said mistyped, "no row was on that unit")
  const wanted = new Set(opts.table.map(resolve));
  return { layouts: layouts.filter((l) => wanted.has(stagedTableName(l)) || ids.has(stagedTableName(l))), ids };
}

/** The row operations among a scan's skipped items that were not decoded into rows (NotPrintedRows). */
function notPrinted(items: readonly SkippedItem[]): NotPrintedRows {
  const n = new NotPrintedRows();
  for (const s of items) n.add(s);
  return n;
}

/** What `--report`'s `times` field says of every time in the report (failed-report.ts). */
export { REPORT_TIMES };

/** Every time in `text` in REPORT_TIMES' form (log-local-time.ts isoLogTimesIn), re-exported for `log`. */
export { isoLogTimesIn };

/** The row selection's flags as `--report`'s `filter.selection` gives them: as typed, absent when not given. */
function selectionForReport(o: ScanOptions): Record<string, string[] | string> {
  return {
    ...(o.transaction?.length ? { transactions: o.transaction } : {}),
    ...(o.sid?.length ? { sids: o.sid } : {}),
    ...(o.login?.length ? { logins: o.login } : {}),
    ...(o.dbUser?.length ? { dbUsers: o.dbUser } : {}),
    ...(o.fromLsn !== undefined ? { fromLsn: o.fromLsn } : {}),
    ...(o.toLsn !== undefined ? { toLsn: o.toLsn } : {}),
  };
}

/**
 * window-before-log.ts lsnRangeBeforeLdfClause over the .ldf's VLF sequences (its layout only), or,
 * with log backups given beside it (`backupsStart`: the first log backup set; null when unknown),
 * lsnRangeBeforeLdfAndBackupsClause; undefined when the layout cannot be read (the read reports that).
 */
async function lsnRangeBeforeLdf(range: { fromLsn: Lsn | null; toLsn: Lsn | null }, ldf: string, backupsStart?: LogReadEnd | null): Promise<string | undefined> {
  try {
    const layout = await readLdfLayout(ldf, { allowUnsupportedVersion: true });
    const seqs = layout.vlfs.map((v) => v.seq);
    if (backupsStart !== undefined) return lsnRangeBeforeLdfAndBackupsClause(range, { file: ldf, seqs }, backupsStart);
    return lsnRangeBeforeLdfClause(range, ldf, seqs);
  } catch {
    return undefined;
  }
}
