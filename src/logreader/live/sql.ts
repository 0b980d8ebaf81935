import { LCX_CLUSTERED, LCX_HEAP, LCX_MARK_AS_GHOST, LOP_ABORT_XACT, LOP_BEGIN_XACT, LOP_COMMIT_XACT, LOP_DELETE_SPLIT } from '../log-record.js';
import { lsnToDblogParam, type Lsn } from '../lsn.js';
import { OPERATIONS_FOR, pairOperationFor } from '../scan-operations.js';
import type { ScanOperation } from '../scan-operations.js';
import { nstring, quoteQualified } from '../../util/tsql.js';
import { isoToLogTime } from '../begin-time.js';
import { InputError } from '../../errors.js';

/**
 * Pure builders of the T-SQL the live worker sends. Each returns `{ text, params }`: the text
 * holds identifiers only through quoteName and rowback's own constants only through nstring;
 * every value the user or the server supplies is a parameter. Unit tests pin the exact text.
 */

export type SqlParamType = 'nvarchar' | 'int' | 'bigint';

export interface SqlParam {
  name: string;
  type: SqlParamType;
  /** nvarchar length in characters. */
  length?: number;
  value: string | number | null;
}

export interface SqlStatement {
  text: string;
  params: SqlParam[];
}

/** fn_dblog / fn_dump_dblog declare @start and @end as nvarchar(25). */
export const LSN_PARAM_LENGTH = 25;
/** A two-part bracket-quoted name: 2 × (128 × 2 + 2) + 1 characters at most. */
export const QUALIFIED_NAME_LENGTH = 517;
/** fn_dblog's Begin Time is nvarchar(24); rowback passes the 23-character form. */
export const LOG_TIME_LENGTH = 24;
/** fn_dump_dblog takes 64 file names after the first four arguments; rowback passes one. */
export const FN_DUMP_DBLOG_FILE_SLOTS = 64;
/** Backup file paths: nvarchar(260) is MAX_PATH; fn_dump_dblog's own limit is not documented, so allow 4000. */
export const BACKUP_PATH_LENGTH = 4000;

/** Session trace flag that makes fn_dblog read the inactive part of the log too. */
export const TRACE_FLAG_INACTIVE_LOG = 2537;
export const TRACEON_INACTIVE_LOG = `DBCC TRACEON(${TRACE_FLAG_INACTIVE_LOG}) WITH NO_INFOMSGS;`;

/**
 * Binary collation for comparing and ordering fn_dblog's nvarchar times and LSNs: under a Windows
 * collation some punctuation can weigh differently, and letter pairs can sort as one letter (see
 * LSN_ORDER_SOURCE); byte order of the fixed-width form is time order, and LSN order.
 */
const BIN_COLLATION = 'Latin1_General_BIN2';

/**
 * Why LSNs are ordered in a binary collation: fn_dblog prints them as fixed-width lower-case hex, and
 * Danish_Norwegian_CI_AS sorts the pair "aa" as the letter "å", after "z" (ORDER BY … COLLATE
 * Danish_Norwegian_CI_AS puts 'Aa' after 'Za': dbfriend.blogspot.com, "Collation, Danish_Norwegian Vs
 * Latin1_General", 2009, on SQL Server 2005 SP3 and 2008 SP1; Michael Kaplan, "The disunification of
 * Norwegian and Danish sorting", 2006).
 */
export const LSN_ORDER_SOURCE = 'Danish_Norwegian collations sort "aa" as "å", after "z"';

/**
 * Facts the live path needs before it scans: version, the clock's UTC offset, rights, recovery model,
 * and the database's default collation (sys.databases.collation_name, SQL Server 2005 and later:
 * "Collation for the database. Acts as the default collation in the database"; NULL when the
 * database is not online: Microsoft Learn, sys.databases), which a `--ddl` script's char/varchar/text
 * columns without COLLATE take.
 */
export function serverInfoSql(): SqlStatement {
  return {
    text: [
      'SELECT',
      "  CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS [product_version],",
      "  CAST(SERVERPROPERTY('EngineEdition') AS int) AS [engine_edition],",
      '  DATENAME(TZOFFSET, SYSDATETIMEOFFSET()) AS [tz_offset],',
      '  CONVERT(nvarchar(34), SYSDATETIMEOFFSET(), 126) AS [server_now],',
      '  DB_NAME() AS [database_name],',
      "  IS_SRVROLEMEMBER(N'sysadmin') AS [is_sysadmin],",
      '  d.[recovery_model_desc] AS [recovery_model],',
      '  d.[is_read_only] AS [is_read_only],',
      '  d.[collation_name] AS [collation_name]',
      'FROM sys.databases AS d',
      'WHERE d.[database_id] = DB_ID();',
    ].join('\n'),
    params: [],
  };
}

/**
 * The database's VLFs (sys.dm_db_log_info, SQL Server 2016 SP2 and later), used to find a
 * start LSN for a time window without reading the whole log.
 */
export function logVlfsSql(): SqlStatement {
  return {
    text: [
      'SELECT li.[vlf_sequence_number], li.[vlf_active], li.[vlf_first_lsn]',
      'FROM sys.dm_db_log_info(DB_ID()) AS li',
      'ORDER BY li.[vlf_sequence_number];',
    ].join('\n'),
    params: [],
  };
}

/**
 * The first LOP_BEGIN_XACT at or after `start`. fn_dblog streams, so TOP (1) stops reading as
 * soon as one is found: a probe costs a few log blocks, not a log scan.
 */
export function firstBeginXactSql(start: Lsn | null): SqlStatement {
  return {
    text: [
      'SELECT TOP (1) l.[Current LSN], l.[Begin Time]',
      'FROM sys.fn_dblog(@start, NULL) AS l',
      `WHERE l.[Operation] = ${nstring(LOP_BEGIN_XACT)};`,
    ].join('\n'),
    // NULL: from the start of the online log's active part (fn_dblog(NULL, NULL) reads it whole)
    params: [{ name: 'start', type: 'nvarchar', length: LSN_PARAM_LENGTH, value: start ? lsnToDblogParam(start) : null }],
  };
}

/**
 * The first LOP_COMMIT_XACT at or after `start`, with its End Time: the window probe (bounds.ts
 * findStartLsn), since commits are logged in the order they happen, and Begin Times are not. TOP (1)
 * stops at the first one found: a probe costs a few log blocks, not a log scan.
 */
export function firstCommitXactSql(start: Lsn): SqlStatement {
  return {
    text: [
      'SELECT TOP (1) l.[Current LSN], l.[End Time]',
      'FROM sys.fn_dblog(@start, NULL) AS l',
      `WHERE l.[Operation] = ${nstring(LOP_COMMIT_XACT)};`,
    ].join('\n'),
    params: [{ name: 'start', type: 'nvarchar', length: LSN_PARAM_LENGTH, value: lsnToDblogParam(start) }],
  };
}

/**
 * The first LOP_BEGIN_XACT of one backup set of a log backup the server reads (fn_dump_dblog, @seqnum
 * = `position`, as scanSql reads it): where that backup's log begins in time. TOP (1) stops at the
 * first one found. Throws RangeError for a position not 1–32767 (scanSql refuses it too).
 */
export function firstBeginXactOfBackupSql(file: string, position: number): SqlStatement {
  if (!Number.isInteger(position) || position < 1 || position > 32767) throw new RangeError(`backup set position ${position} is not 1–32767`);
  return {
    text: [
      'SELECT TOP (1) l.[Current LSN], l.[Begin Time]',
      `FROM sys.fn_dump_dblog(NULL, NULL, N'DISK', @set, @file${', DEFAULT'.repeat(FN_DUMP_DBLOG_FILE_SLOTS - 1)}) AS l`,
      `WHERE l.[Operation] = ${nstring(LOP_BEGIN_XACT)};`,
    ].join('\n'),
    params: [
      { name: 'file', type: 'nvarchar', length: BACKUP_PATH_LENGTH, value: file },
      { name: 'set', type: 'int', value: position },
    ],
  };
}

/**
 * Where a scan reads log records from; several are combined into one pass. A backup input is one
 * backup set of a file the server reads: `position` is its HEADERONLY Position (RESTORE … WITH
 * FILE = n), passed as fn_dump_dblog's @seqnum; `sets` how many sets the file holds (for sources).
 */
export type LogInput = { kind: 'online' } | { kind: 'backup'; file: string; position: number; sets?: number };

/**
 * `RESTORE HEADERONLY FROM DISK = @file`: one row per backup set of a file the *server* reads
 * (Position, BackupType, DatabaseName, BindingID, FamilyGUID, …; Microsoft Learn, "RESTORE
 * Statements - HEADERONLY"). It restores nothing; the read-only guard lets it through only whole and
 * only when the run is told (RunOptions.allowHeaderOnly). The path is a parameter (RESTORE takes a
 * variable for DISK =), never text in the batch.
 */
export function headerOnlySql(file: string): SqlStatement {
  return { text: 'RESTORE HEADERONLY FROM DISK = @file;', params: [{ name: 'file', type: 'nvarchar', length: BACKUP_PATH_LENGTH, value: file }] };
}

export interface ScanSqlOptions {
  inputs: LogInput[];
  /** fn_dblog / fn_dump_dblog bounds; null = from the start / to the end of what the source holds. */
  start: Lsn | null;
  end: Lsn | null;
  /** Window on the transaction's Begin Time, rowback form `YYYY-MM-DDTHH:MM:SS.fff`, inclusive. */
  from?: string;
  to?: string;
  operations: ScanOperation[];
  /** Tables to scan; empty = every user table. */
  tables: Array<{ schema: string; name: string }>;
  /**
   * In-row AllocUnitIds (decimal text, as fn_dblog prints them) to read instead of `tables`' (the
   * catalog's): the units of a layout given with --ddl/--schema and --alloc-unit (a job's
   * metadata.allocUnit(s)), among them a table DROPPED since, which sys.partitions and
   * sys.allocation_units no longer hold (OBJECT_ID gives NULL): resolved through the catalog, its
   * records were never returned. All are one nvarchar parameter `@units` (`id,id,…`), split on the
   * server by an xml nodes() read (SQL Server 2005 and later; the ids are digits only, so the text
   * is well-formed) and converted to bigint there: a bigint parameter goes through the driver as a
   * JavaScript number, exact only to 2^53, and these ids are about 7.2 × 10^16; and one parameter a
   * unit stopped at SQL Server's 2,100 parameters a request, which a --schema of a large database
   * (a CRM of thousands of tables) passes. Throws InputError INPUT_BAD_OPTION for an id that is not
   * decimal digits within bigint; RangeError with `tables` given too.
   */
  units?: string[];
  /** Prefix the batch with DBCC TRACEON(2537): read the inactive log too. */
  inactiveLog?: boolean;
}

/**
 * scanSql's `left_out` values: a row carrying one is not a log record to read but the count
 * (`xact_row_ops`) of the wanted row operations of one transaction the query does not return — it
 * rolled back (an LOP_ABORT_XACT read), has no commit nor abort in the log read (open where it ends),
 * or committed but began outside the window (`xact_began`: its Begin Time, fn_dblog's form).
 */
export const LEFT_OUT = { rolledBack: 'rolled_back', uncommitted: 'uncommitted', outsideWindow: 'outside_window' } as const;

/** Columns every log input yields, in fn_dblog's names. */
const LOG_COLUMNS = [
  'Current LSN', 'Operation', 'Context', 'Transaction ID', 'AllocUnitId', 'Page ID', 'Slot ID',
  'Offset in Row', 'Modify Size', 'Description', 'Begin Time', 'End Time', 'Transaction Name',
  'Transaction SID', 'SPID', 'RowLog Contents 0', 'RowLog Contents 1',
] as const;

/** Transaction names of a TRUNCATE TABLE and a DROP TABLE (committed.ts rowlessRemovalKind). */
const ROWLESS_REMOVAL_NAMES = ['TRUNCATE TABLE', 'DROPOBJ'];

/** Contexts of a row on a heap or clustered index page (a clustered delete logs MARK_AS_GHOST). */
const ROW_CONTEXTS = [LCX_HEAP, LCX_CLUSTERED, LCX_MARK_AS_GHOST];

/** The largest bigint (2^63 - 1): fn_dblog's AllocUnitId is one. */
const BIGINT_MAX = 9223372036854775807n;

/** Index ids of the base data: 0 heap, 1 clustered index. Nonclustered indexes are not rows. */
const BASE_INDEX_IDS = '0, 1';
/** sys.allocation_units.type 1 = IN_ROW_DATA, whose container_id is the partition's hobt_id. */
const IN_ROW_DATA = 1;

function col(name: string): string {
  return `[${name.replace(/\]/g, ']]')}]`;
}

function list(values: readonly string[]): string {
  return values.map(nstring).join(', ');
}

/**
 * The scan: ONE pass over the log. Every input (online log, log backups) is read once inside
 * the `log` CTE, keeping only transaction begin/commit records and the wanted row operations
 * on the chosen tables' in-row allocation units (resolved through sys.partitions and
 * sys.allocation_units, or given as `units`; never by AllocUnitName, which fn_dblog looks up in the
 * catalog when it reads a record and so cannot name a table dropped since, while the AllocUnitId is
 * the one the record was written with — an assumption from how fn_dblog's output is described
 * (undocumented; Paul Randal's posts on fn_dblog and fn_dump_dblog find a dropped table's records
 * in the log), which the offline reader's own parse of the record's AllocUnitId agrees with). Windowed aggregates per Transaction ID
 * then attach the transaction facts to each row operation without reading the log again,
 * and ROW_NUMBER per LSN drops a record that both a log backup and the online log hold.
 *
 * Returned, in LSN order, for each committed transaction (begun inside the window, when there is
 * one, or whose LOP_BEGIN_XACT is not in the log read: the caller says those as INCOMPLETE) that logged a wanted row operation on the tables: its wanted row operations, its opposite
 * row operations on the same tables (committed.ts pairOperationFor: the inserts beside a delete
 * scan; a rolled-back statement's compensation records are among them), and its LOP_BEGIN_XACT
 * (when read) and LOP_COMMIT_XACT. So the caller runs the same committed filter and the same pairing
 * of rows a transaction took back itself as a scan of files does (recover/sources/live.ts); before,
 * a live scan printed a delete that a rolled-back savepoint or statement had put back as deleted.
 * Every row carries the transaction's facts (Begin Time, End Time, name, SID, login, SPID).
 * And, for each other transaction with a wanted row operation (committed but begun outside the
 * window, rolled back, or with no commit in the log read), one row with `left_out` (LEFT_OUT) and
 * `xact_row_ops`, `xact_began`: counted by the caller (recover/sources/live.ts countLeftOut), never read
 * as a record. In LSN order, [Current LSN] compared in a binary collation (LSN_ORDER_SOURCE).
 */
export function scanSql(o: ScanSqlOptions): SqlStatement {
  if (o.inputs.length === 0) throw new RangeError('scanSql needs at least one log input');
  if (o.operations.length === 0) throw new RangeError('scanSql needs at least one operation');
  const params: SqlParam[] = [
    { name: 'start', type: 'nvarchar', length: LSN_PARAM_LENGTH, value: o.start ? lsnToDblogParam(o.start) : null },
    { name: 'end', type: 'nvarchar', length: LSN_PARAM_LENGTH, value: o.end ? lsnToDblogParam(o.end) : null },
  ];

  let tableFilter = '';
  let auCte: string[] | undefined;
  if (o.units) {
    if (o.tables.length) throw new RangeError('scanSql takes tables or units, not both');
    if (o.units.length === 0) throw new RangeError('scanSql needs at least one unit when units are given');
    for (const u of o.units) {
      // fn_dblog's AllocUnitId is a bigint: a larger number is no unit (CONVERT would fail on the server)
      if (!/^\d{1,20}$/.test(u) || BigInt(u) > BIGINT_MAX) throw new InputError('INPUT_BAD_OPTION', `allocation unit id '${u}' is not an AllocUnitId as fn_dblog prints it (a decimal bigint)`);
    }
    const list = o.units.join(',');
    // nvarchar(n) up to 4,000 characters, nvarchar(max) past it (tedious declares it so)
    params.push({ name: 'units', type: 'nvarchar', length: Math.max(1, list.length), value: list });
    auCte = [
      "  SELECT CONVERT(bigint, u.[id].value('.', 'varchar(20)')) AS [allocation_unit_id]",
      "  FROM (SELECT CAST(N'<u>' + REPLACE(@units, N',', N'</u><u>') + N'</u>' AS xml) AS [ids]) AS s",
      "  CROSS APPLY s.[ids].nodes('/u') AS u([id])",
    ];
  } else if (o.tables.length === 0) {
    tableFilter = 'p.[object_id] IN (SELECT t.[object_id] FROM sys.tables AS t WHERE t.[is_ms_shipped] = 0)';
  } else {
    const names = o.tables.map((t, i) => {
      params.push({ name: `table${i}`, type: 'nvarchar', length: QUALIFIED_NAME_LENGTH, value: quoteQualified(t.schema, t.name) });
      return `OBJECT_ID(@table${i})`;
    });
    tableFilter = `p.[object_id] IN (${names.join(', ')})`;
  }
  const au = auCte ?? [
    '  SELECT au.[allocation_unit_id]',
    '  FROM sys.allocation_units AS au',
    `  JOIN sys.partitions AS p ON au.[type] = ${IN_ROW_DATA} AND au.[container_id] = p.[hobt_id]`,
    `  WHERE p.[index_id] IN (${BASE_INDEX_IDS}) AND ${tableFilter}`,
  ];

  const rowOps = [...new Set(o.operations.flatMap((op) => OPERATIONS_FOR[op]))];
  const pairOp = pairOperationFor(o.operations);
  // A page split's LOP_DELETE_SPLIT is read with inserts, whatever its AllocUnitId (the .ldf reader
  // finds none in it; only transactions with the tables' rows are returned): it is how the caller
  // tells the split's system transaction, whose inserts are rows moved, not inserted (committed.ts
  // pageMoveRowOps; its name alone tells nothing: BEGIN TRAN SplitPage names a user's).
  const moveOps = rowOps.includes('LOP_INSERT_ROWS') ? [LOP_DELETE_SPLIT] : [];
  const readOps = pairOp ? [...rowOps, pairOp] : rowOps;
  const cols = LOG_COLUMNS.map((c) => `l.${col(c)}`).join(', ');

  // Every LOP_BEGIN_XACT is read (and every commit): the window is applied per transaction below, so
  // that one whose begin is not in the log read (it began before it) is told from one that began
  // outside the window — its rows go to the caller, whose committed filter says them as INCOMPLETE
  // (committed.ts beginUnreadRowOps). Read only when inside the window, they were left out silently.
  const windowTest: string[] = [];
  if (o.from) {
    params.push({ name: 'fromTime', type: 'nvarchar', length: LOG_TIME_LENGTH, value: isoToLogTime(o.from) });
    windowTest.push(`x.[Begin Time] COLLATE ${BIN_COLLATION} >= @fromTime`);
  }
  if (o.to) {
    params.push({ name: 'toTime', type: 'nvarchar', length: LOG_TIME_LENGTH, value: isoToLogTime(o.to) });
    windowTest.push(`x.[Begin Time] COLLATE ${BIN_COLLATION} <= @toTime`);
  }
  const where = [
    `l.[Operation] = ${nstring(LOP_BEGIN_XACT)}`,
    `   OR l.[Operation] = ${nstring(LOP_COMMIT_XACT)}`,
    // the abort tells a transaction rolled back from one still open (LEFT_OUT), never returned itself
    `   OR l.[Operation] = ${nstring(LOP_ABORT_XACT)}`,
    ...moveOps.map((m) => `   OR l.[Operation] = ${nstring(m)}`),
    `   OR (l.[Operation] IN (${list(readOps)})`,
    `       AND l.[Context] IN (${list(ROW_CONTEXTS)})`,
    '       AND l.[AllocUnitId] IN (SELECT a.[allocation_unit_id] FROM [au] AS a))',
  ];
  let backups = 0;
  const selects = o.inputs.map((input, i) => {
    let from: string;
    if (input.kind === 'online') {
      from = 'sys.fn_dblog(@start, @end)';
    } else {
      // A log backup is itself a bounded slice of the log; the online log's bounds may lie
      // outside it, so each backup is read whole (NULL, NULL).
      // @seqnum (the 4th argument) is the backup set's position in the file: BACKUP LOG appends a set
      // to an existing file unless told WITH INIT, and fn_dump_dblog reads the one set it names.
      const p = `backup${backups++}`;
      if (!Number.isInteger(input.position) || input.position < 1 || input.position > 32767) throw new InputError('INPUT_BAD_OPTION', `backup set position ${input.position} of ${input.file} is not 1–32767`);
      params.push({ name: p, type: 'nvarchar', length: BACKUP_PATH_LENGTH, value: input.file });
      params.push({ name: `${p}_set`, type: 'int', value: input.position });
      from = `sys.fn_dump_dblog(NULL, NULL, N'DISK', @${p}_set, @${p}${', DEFAULT'.repeat(FN_DUMP_DBLOG_FILE_SLOTS - 1)})`;
    }
    return [`  SELECT ${i} AS [log_input], ${cols}`, `  FROM ${from} AS l`, `  WHERE ${where.join('\n  ')}`].join('\n');
  });

  const begin = nstring(LOP_BEGIN_XACT);
  const commit = nstring(LOP_COMMIT_XACT);
  const perXact = 'OVER (PARTITION BY x.[Transaction ID])';
  // The transaction's begin and commit come with its rows (the caller's committed filter reads them),
  // only for transactions with a wanted row operation.
  // Also the begin and commit of a committed TRUNCATE TABLE / DROP TABLE (transaction names
  // `TRUNCATE TABLE`, `DROPOBJ`; committed.ts rowlessRemovalKind), whose rows no record holds: the
  // caller says them, as a scan of files does. Their table is not known here, so any is returned.
  const outerWhere = [
    `x.[Operation] IN (${list([...readOps, ...moveOps, LOP_BEGIN_XACT, LOP_COMMIT_XACT])})`,
    'x.[xact_committed] = 1',
    `(x.[xact_has_rows] = 1 OR UPPER(LTRIM(RTRIM(x.[xact_name]))) IN (${list(ROWLESS_REMOVAL_NAMES)}))`,
    'x.[lsn_copy] = 1',
  ];
  // With a window, a transaction counts if its LOP_BEGIN_XACT fell inside it, or was not read at all
  // (the caller cannot place it in the window, and says so); one that began outside it does not.
  const inWindow = windowTest.length ? '(x.[xact_begin_time] IS NOT NULL OR x.[xact_begin_read] = 0)' : null;
  if (inWindow) outerWhere.push(inWindow);
  // The transactions with wanted row operations that are not returned — committed but begun outside the
  // window; in it (or with no window) but with no commit in the log read, rolled back or still open —
  // are each said by ONE row (their first record, lsn_copy 1) with `left_out` and the number of their
  // row operations (`xact_row_ops`, each record once): the caller counts them as a scan of files does
  // (committed.ts outsideWindowRowOps, uncommittedRowOps, rolledBackRowOps), so a window that caught
  // some deletes and not a mass delete begun a second before it, or a DELETE not yet committed, is said
  // beside the rows printed. Before, the server dropped them and the result looked whole.
  const firstOfXact = 'x.[xact_first] = 1 AND x.[xact_has_rows] = 1';
  const leftOut = [
    '    CASE',
    `      WHEN ${firstOfXact} AND x.[xact_committed] = 0${inWindow ? ` AND ${inWindow}` : ''} THEN CASE WHEN x.[xact_aborted] = 1 THEN ${nstring(LEFT_OUT.rolledBack)} ELSE ${nstring(LEFT_OUT.uncommitted)} END`,
    ...(inWindow ? [`      WHEN ${firstOfXact} AND x.[xact_committed] = 1 AND NOT ${inWindow} THEN ${nstring(LEFT_OUT.outsideWindow)}`] : []),
    '    END AS [left_out]',
  ];

  const text = [
    ...(o.inactiveLog ? [TRACEON_INACTIVE_LOG] : []),
    'WITH [au] AS (',
    ...au,
    '), [log] AS (',
    selects.join('\n  UNION ALL\n'),
    '), [xact] AS (',
    '  SELECT x.*,',
    `    MAX(CASE WHEN x.[Operation] = ${begin}${windowTest.map((w) => ` AND ${w}`).join('')} THEN x.[Begin Time] END) ${perXact} AS [xact_begin_time],`,
    ...(windowTest.length ? [`    MAX(CASE WHEN x.[Operation] = ${begin} THEN 1 ELSE 0 END) ${perXact} AS [xact_begin_read],`] : []),
    `    MAX(CASE WHEN x.[Operation] = ${commit} THEN x.[End Time] END) ${perXact} AS [xact_end_time],`,
    `    MAX(CASE WHEN x.[Operation] = ${commit} THEN 1 ELSE 0 END) ${perXact} AS [xact_committed],`,
    `    MAX(CASE WHEN x.[Operation] IN (${list(rowOps)}) THEN 1 ELSE 0 END) ${perXact} AS [xact_has_rows],`,
    `    MAX(CASE WHEN x.[Operation] = ${begin} THEN x.[Transaction Name] END) ${perXact} AS [xact_name],`,
    `    MAX(CASE WHEN x.[Operation] = ${begin} THEN x.[Transaction SID] END) ${perXact} AS [xact_sid],`,
    `    MAX(CASE WHEN x.[Operation] = ${begin} THEN x.[SPID] END) ${perXact} AS [xact_spid],`,
    `    MAX(CASE WHEN x.[Operation] = ${nstring(LOP_ABORT_XACT)} THEN 1 ELSE 0 END) ${perXact} AS [xact_aborted],`,
    `    MAX(CASE WHEN x.[Operation] = ${begin} THEN x.[Begin Time] END) ${perXact} AS [xact_began],`,
    `    ROW_NUMBER() OVER (PARTITION BY x.[Transaction ID] ORDER BY x.[Current LSN] COLLATE ${BIN_COLLATION}, x.[log_input]) AS [xact_first],`,
    // (partitioned by equality, which no collation changes for fn_dblog's lower-case hex: no COLLATE)
    '    ROW_NUMBER() OVER (PARTITION BY x.[Current LSN] ORDER BY x.[log_input]) AS [lsn_copy]',
    '  FROM [log] AS x',
    '), [counted] AS (',
    '  SELECT x.*,',
    `    SUM(CASE WHEN x.[lsn_copy] = 1 AND x.[Operation] IN (${list(rowOps)}) THEN 1 ELSE 0 END) ${perXact} AS [xact_row_ops],`,
    ...leftOut,
    '  FROM [xact] AS x',
    ')',
    'SELECT x.[log_input], x.[Current LSN], x.[Operation], x.[Context], x.[Transaction ID], x.[AllocUnitId],',
    '  x.[Page ID], x.[Slot ID], x.[Offset in Row], x.[Modify Size], x.[Description],',
    '  x.[RowLog Contents 0], x.[RowLog Contents 1],',
    '  x.[xact_begin_time] AS [Begin Time], x.[xact_end_time] AS [End Time], x.[xact_name] AS [Transaction Name],',
    '  x.[xact_sid] AS [Transaction SID], SUSER_SNAME(x.[xact_sid]) AS [Login], x.[xact_spid] AS [SPID],',
    '  x.[left_out], x.[xact_row_ops], x.[xact_began]',
    'FROM [counted] AS x',
    `WHERE (${outerWhere.join('\n  AND ')})`,
    '  OR x.[left_out] IS NOT NULL',
    // binary: in a Windows collation the hex text is not in LSN order (Danish_Norwegian sorts "aa" as
    // "å", after "z": 0000002a:000001aa:0002 came after 0000002a:000001b0:0001, a commit before its
    // delete, which the committed filter then took for never committed; LSN_ORDER_SOURCE)
    `ORDER BY x.[Current LSN] COLLATE ${BIN_COLLATION};`,
  ].join('\n');
  return { text, params };
}
