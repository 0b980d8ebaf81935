-- rowback: export the log records of a time window, with the table metadata, to one file that
-- `rowback scan --export FILE` decodes on another machine. For responders who may not connect
-- to production themselves: a DBA runs this, hands over the file.
--
-- HOW TO RUN
--   1. Edit the parameter block below (database, tables, window, operations, format).
--   2. Run it in that database, with sysadmin (fn_dblog needs it; db_owner suffices on recent
--      versions), saving the single result to a file:
--        sqlcmd -S SERVER -d CRM -E -i export-log-records.sql -h -1 -y 0 -f 65001 -o crm-export.json
--      (-h -1: no column header; -y 0: do not cut the long value at 256 characters -- sqlcmd still cuts
--      it at 1 MB, and the JSON export is one value: for a window of many rows use @Format = N'csv',
--      whose every line is a value of its own; -f 65001: UTF-8 output;
--      -E or -U/-P to log in).
--      In SSMS only for a small export: Results to Text/File cuts each value at 'Maximum number of
--      characters displayed in each column' (256 by default, 8,192 at most), a copied grid cell at
--      'Maximum Characters Retrieved' (65,535 by default), and rowback refuses the cut file; Results
--      to File needs 'Include column headers in the result set' off. Prefer sqlcmd.
--   With @Format = N'csv' the output is several result sets of one text column each; the same
--   sqlcmd line writes them one after another into a sectioned CSV file (docs/live.md).
--
-- WHAT IT DOES (read-only for the database; it uses temp tables in tempdb)
--   * reads the log ONCE (fn_dblog, or fn_dump_dblog on backup set @LogBackupSet of @LogBackup) into #log, keeping only
--     LOP_BEGIN_XACT / LOP_COMMIT_XACT / LOP_ABORT_XACT (and, with inserts, LOP_DELETE_SPLIT: a page
--     split's moved rows are told by it) and the chosen row operations on the
--     in-row allocation units of the tables' heap or clustered index (resolved through
--     sys.partitions and sys.allocation_units);
--   * keeps the transactions whose Begin Time falls in the window (the server's local time),
--     and those that committed in the log read without their LOP_BEGIN_XACT in it (they began
--     before it: rowback cannot place them in the window and says so, INCOMPLETE);
--   * writes those records (binary columns as 0x hex; the login from SUSER_SNAME on the
--     LOP_BEGIN_XACT record) and the catalog rows of sql/table-metadata.sql for the tables;
--   * writes where the log it read begins and ends (logRead: the first and last LSN and Begin Time
--     of its transactions, the first and last End Time), so that rowback can say a window reaching past the
--     end of the log backup read (or before the start of the log read) is INCOMPLETE;
--   * (CSV) closes the file with an #end section holding the number of record and catalog rows it
--     wrote: rowback refuses a file that lacks it or holds other numbers (a copy cut short).
--   * counts, without writing them, the row operations of committed transactions begun outside the
--     window (outsideWindow: how many, when the first and last began), which rowback says;
--   * writes the database's default collation (databaseCollation: DATABASEPROPERTYEX(DB_NAME(),
--     'Collation'), every version from SQL Server 2005), which the char/varchar/text columns of a
--     CREATE TABLE script without COLLATE take (`rowback scan --export FILE --ddl SCRIPT`);
--   The file is export version 2; rowback still reads version 1 files (no #end, no logRead) and says
--   what it cannot check of them, and version 2 files written before databaseCollation was added.
--   rowback itself decides which transactions committed; aborted ones are exported so the
--   file shows what was rolled back.
--
-- Needs SQL Server 2016 or later (FOR JSON); any database compatibility level (it uses no STRING_SPLIT
-- nor OPENJSON, which need level 130; FOR JSON and JSON_QUERY work at every level).
SET NOCOUNT ON;
-- The CSV writes NULL as an empty field by ISNULL(N'"' + value + N'"', N''): with CONCAT_NULL_YIELDS_NULL
-- OFF (a client's or a login's own setting) NULL + text is the text, so every NULL would come out as
-- "" (an empty string). sqlcmd, SSMS and ADS connect with it ON; set here whatever the client did.
SET CONCAT_NULL_YIELDS_NULL ON;

-- ===== parameters ===============================================================
DECLARE @Database   sysname        = N'CRM';                           -- the database to export from (run the script in it)
DECLARE @Tables     nvarchar(max)  = N'dbo.Customers, dbo.Contacts';   -- comma-separated schema.table; N'' = every user table
DECLARE @From       datetime2(3)   = '2024-03-05T14:00:00.000';        -- window start, server local time (inclusive); NULL = from the start of the log read
DECLARE @To         datetime2(3)   = '2024-03-05T14:59:59.999';        -- window end, server local time (inclusive); NULL = to its end
DECLARE @Operations nvarchar(100)  = N'delete';                        -- delete, insert, update (comma-separated)
DECLARE @Format     nvarchar(4)    = N'json';                          -- json | csv
DECLARE @LogBackup  nvarchar(4000) = NULL;                             -- a log backup the server can read, instead of the online log
DECLARE @LogBackupSet int          = 1;                                -- which backup set of @LogBackup (RESTORE HEADERONLY's Position): a file BACKUP LOG
                                                                       -- appended to (no WITH INIT) holds several; export each set, one run per set;
                                                                       -- a log backup's set only (BackupType 2; not checked here)
DECLARE @StartLsn   nvarchar(25)   = NULL;                             -- optional fn_dblog start, decimal 'vlf:block:slot' (e.g. N'42:496:1')
DECLARE @AllocUnits nvarchar(max)  = N'';                              -- comma-separated in-row AllocUnitIds (decimal, as fn_dblog prints them) of tables
                                                                       -- DROPPED since, which no catalog view holds any more; exported beside @Tables'
                                                                       -- (with @Tables = N'' only these); rowback decodes them with
                                                                       -- `scan --export FILE --ddl SCRIPT --alloc-unit SCHEMA.NAME=ID` (docs/live.md)
-- ================================================================================

IF DB_NAME() <> @Database
BEGIN
  RAISERROR(N'rowback export: run this script in database %s (USE it, or sqlcmd -d).', 16, 1, @Database);
  RETURN;
END;
IF @LogBackup IS NOT NULL AND (@LogBackupSet IS NULL OR @LogBackupSet < 1 OR @LogBackupSet > 32767)
BEGIN
  RAISERROR(N'rowback export: @LogBackupSet must be the Position (1-32767) of a backup set of @LogBackup, as RESTORE HEADERONLY lists them.', 16, 1);
  RETURN;
END;
IF @Format NOT IN (N'json', N'csv')
BEGIN
  RAISERROR(N'rowback export: @Format must be json or csv.', 16, 1);
  RETURN;
END;

-- Run on an availability group secondary replica (a read-intent connection through the listener is
-- routed to one), fn_dblog reads the secondary's log: the primary's only as far as it has received it.
-- One that is not SYNCHRONIZED (asynchronous commit; data movement suspended or disconnected) lacks the
-- primary's latest commits, and a window past its last commit was exported as if whole. Refused then
-- (sys.dm_hadr_database_replica_states of the local replica, last_commit_time: the primary's clock, as
-- Begin Time is). A log backup (@LogBackup) holds what it holds wherever it is read. Without VIEW SERVER
-- STATE the DMVs cannot be read and nothing is checked. The views exist from SQL Server 2012 (major
-- version 11) on: before it (2008, 2008 R2: no availability groups) they are not read, and the read is
-- dynamic SQL, so that a name that does not resolve (Msg 208) is an error of a lower level, which the
-- CATCH takes (TRY...CATCH does not take a deferred name resolution error of its own level: the whole
-- script stopped there on 2008 R2).
IF @LogBackup IS NULL
BEGIN
  DECLARE @ReplicaRole nvarchar(60), @ReplicaSync nvarchar(60), @ReplicaLastCommit datetime;
  IF CAST(PARSENAME(CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')), 4) AS int) >= 11
  BEGIN
  BEGIN TRY
    EXEC sys.sp_executesql
      N'SELECT @Role = ars.[role_desc], @Sync = drs.[synchronization_state_desc], @LastCommit = drs.[last_commit_time]
    FROM sys.dm_hadr_database_replica_states AS drs
    JOIN sys.dm_hadr_availability_replica_states AS ars ON ars.[replica_id] = drs.[replica_id]
    WHERE drs.[database_id] = DB_ID() AND drs.[is_local] = 1;',
      N'@Role nvarchar(60) OUTPUT, @Sync nvarchar(60) OUTPUT, @LastCommit datetime OUTPUT',
      @Role = @ReplicaRole OUTPUT, @Sync = @ReplicaSync OUTPUT, @LastCommit = @ReplicaLastCommit OUTPUT;
  END TRY
  BEGIN CATCH
    SET @ReplicaRole = NULL;
  END CATCH;
  END;
  IF @ReplicaRole IS NOT NULL AND @ReplicaRole <> N'PRIMARY' AND ISNULL(@ReplicaSync, N'') <> N'SYNCHRONIZED'
     AND (@To IS NULL OR @ReplicaLastCommit IS NULL OR @To > @ReplicaLastCommit)
  BEGIN
    DECLARE @ReplicaSyncText nvarchar(60) = ISNULL(@ReplicaSync, N'state unknown');
    DECLARE @ReplicaLastCommitText nvarchar(30) = ISNULL(CONVERT(nvarchar(30), @ReplicaLastCommit, 121), N'(unknown)');
    RAISERROR(N'rowback export: this server holds the database as an availability group secondary replica that is not synchronized (%s): its log holds the primary''s commits up to %s, and the window runs past that. Run this script on the primary replica, or set @To at or before that time.', 16, 1, @ReplicaSyncText, @ReplicaLastCommitText);
    RETURN;
  END;
END;

-- fn_dblog prints Begin Time as yyyy/MM/dd HH:mm:ss:fff; style 121 gives yyyy-mm-dd hh:mi:ss.fff.
DECLARE @FromText nvarchar(24) = REPLACE(LEFT(CONVERT(nvarchar(23), @From, 121), 10), N'-', N'/') + N' ' + STUFF(RIGHT(CONVERT(nvarchar(23), @From, 121), 12), 9, 1, N':');
DECLARE @ToText   nvarchar(24) = REPLACE(LEFT(CONVERT(nvarchar(23), @To, 121), 10), N'-', N'/') + N' ' + STUFF(RIGHT(CONVERT(nvarchar(23), @To, 121), 12), 9, 1, N':');

-- @Tables and @Operations split on commas here rather than by STRING_SPLIT, which a database below
-- compatibility level 130 cannot find (Msg 208, Invalid object name 'STRING_SPLIT'): one upgraded in
-- place to SQL Server 2016+ often keeps its old level (100-120), and the export must run there as is.
DECLARE @tableWords TABLE ([n] int IDENTITY(1, 1) PRIMARY KEY, [value] nvarchar(max) NOT NULL);
DECLARE @opWords TABLE ([n] int IDENTITY(1, 1) PRIMARY KEY, [value] nvarchar(max) NOT NULL);
DECLARE @rest nvarchar(max), @comma bigint;
SET @rest = @Tables;
WHILE @rest IS NOT NULL
BEGIN
  SET @comma = CHARINDEX(N',', @rest);
  INSERT @tableWords ([value]) VALUES (CASE WHEN @comma = 0 THEN @rest ELSE LEFT(@rest, @comma - 1) END);
  SET @rest = CASE WHEN @comma = 0 THEN NULL ELSE SUBSTRING(@rest, @comma + 1, DATALENGTH(@rest)) END;
END;
SET @rest = @Operations;
WHILE @rest IS NOT NULL
BEGIN
  SET @comma = CHARINDEX(N',', @rest);
  INSERT @opWords ([value]) VALUES (CASE WHEN @comma = 0 THEN @rest ELSE LEFT(@rest, @comma - 1) END);
  SET @rest = CASE WHEN @comma = 0 THEN NULL ELSE SUBSTRING(@rest, @comma + 1, DATALENGTH(@rest)) END;
END;

-- @AllocUnits: each a run of 1-19 digits, a bigint (checked with LIKE, not TRY_CONVERT, which a
-- database below compatibility level 110 does not know).
DECLARE @unitWords TABLE ([n] int IDENTITY(1, 1) PRIMARY KEY, [value] nvarchar(max) NOT NULL);
SET @rest = ISNULL(@AllocUnits, N'');
WHILE @rest IS NOT NULL
BEGIN
  SET @comma = CHARINDEX(N',', @rest);
  INSERT @unitWords ([value]) VALUES (LTRIM(RTRIM(CASE WHEN @comma = 0 THEN @rest ELSE LEFT(@rest, @comma - 1) END)));
  SET @rest = CASE WHEN @comma = 0 THEN NULL ELSE SUBSTRING(@rest, @comma + 1, DATALENGTH(@rest)) END;
END;
DELETE FROM @unitWords WHERE [value] = N'';
DECLARE @badUnit nvarchar(100) = (SELECT TOP (1) LEFT([value], 100) FROM @unitWords
  WHERE [value] COLLATE Latin1_General_BIN2 LIKE N'%[^0-9]%' OR LEN([value]) > 19
     -- past bigint's largest (digits of one length compare as text in a binary collation)
     OR (LEN([value]) = 19 AND [value] COLLATE Latin1_General_BIN2 > N'9223372036854775807'));
IF @badUnit IS NOT NULL
BEGIN
  RAISERROR(N'rowback export: @AllocUnits lists ''%s'', which is not an AllocUnitId as fn_dblog prints it (decimal digits).', 16, 1, @badUnit);
  RETURN;
END;

DECLARE @objects TABLE ([name] nvarchar(600) NOT NULL, [object_id] int NULL);
-- @Tables = N'': every user table, or, with @AllocUnits given, none (only those units)
IF LTRIM(RTRIM(@Tables)) = N'' AND NOT EXISTS (SELECT 1 FROM @unitWords)
BEGIN
  INSERT @objects ([name], [object_id])
  SELECT QUOTENAME(SCHEMA_NAME(t.[schema_id])) + N'.' + QUOTENAME(t.[name]), t.[object_id] FROM sys.tables AS t WHERE t.[is_ms_shipped] = 0;
END
ELSE
BEGIN
  INSERT @objects ([name], [object_id])
  SELECT LTRIM(RTRIM(s.[value])), OBJECT_ID(LTRIM(RTRIM(s.[value])))
  FROM @tableWords AS s
  WHERE LTRIM(RTRIM(s.[value])) <> N'';
END;
IF EXISTS (SELECT 1 FROM @objects WHERE [object_id] IS NULL)
BEGIN
  DECLARE @unknown nvarchar(600) = (SELECT TOP (1) [name] FROM @objects WHERE [object_id] IS NULL);
  RAISERROR(N'rowback export: table %s does not exist in this database (dropped since? give its in-row AllocUnitId in @AllocUnits instead).', 16, 1, @unknown);
  RETURN;
END;

-- Compared lower-cased in a Latin1 binary collation: under a case-sensitive database collation
-- 'Update' matched nothing and was dropped unsaid, while rowback reads the header's @Operations
-- without case (and LOWER under a Turkish collation makes 'INSERT' 'ınsert').
-- A word that is none of the three is refused, not dropped.
DECLARE @badOp nvarchar(100) = (SELECT TOP (1) LTRIM(RTRIM(s.[value])) FROM @opWords AS s
  WHERE LTRIM(RTRIM(s.[value])) <> N''
    AND LOWER(LTRIM(RTRIM(s.[value])) COLLATE Latin1_General_BIN2) NOT IN (N'delete', N'insert', N'update'));
IF @badOp IS NOT NULL
BEGIN
  RAISERROR(N'rowback export: @Operations lists ''%s'', which is not delete, insert or update.', 16, 1, @badOp);
  RETURN;
END;
DECLARE @ops TABLE ([Operation] nvarchar(31) PRIMARY KEY);
INSERT @ops ([Operation])
SELECT DISTINCT m.[Operation]
FROM @opWords AS s
JOIN (VALUES (N'delete', N'LOP_DELETE_ROWS'), (N'insert', N'LOP_INSERT_ROWS'),
             (N'update', N'LOP_MODIFY_ROW'), (N'update', N'LOP_MODIFY_COLUMNS')) AS m([op], [Operation])
  ON m.[op] COLLATE Latin1_General_BIN2 = LOWER(LTRIM(RTRIM(s.[value])) COLLATE Latin1_General_BIN2);
IF NOT EXISTS (SELECT 1 FROM @ops)
BEGIN
  RAISERROR(N'rowback export: @Operations must list delete, insert and/or update.', 16, 1);
  RETURN;
END;
-- The operations asked for, before their opposites are added below: the row operations of the
-- transactions begun outside the window are counted of these (outsideWindow.* in the header).
DECLARE @wanted TABLE ([Operation] nvarchar(31) PRIMARY KEY);
INSERT @wanted ([Operation]) SELECT o.[Operation] FROM @ops AS o;
-- Asked for deletes (or inserts), the other of the two is exported as well: a committed transaction
-- can take its own rows back (a statement rolled back alone, a rollback to a savepoint, a row
-- inserted again), and rowback leaves out the rows it took back by pairing the two (docs/offline-log.md).
INSERT @ops ([Operation])
SELECT v.[Operation]
FROM (VALUES (N'LOP_DELETE_ROWS'), (N'LOP_INSERT_ROWS')) AS v([Operation])
WHERE EXISTS (SELECT 1 FROM @ops AS o WHERE o.[Operation] IN (N'LOP_DELETE_ROWS', N'LOP_INSERT_ROWS'))
  AND v.[Operation] NOT IN (SELECT o.[Operation] FROM @ops AS o);
-- With inserts, a page split's LOP_DELETE_SPLIT is exported too (whatever its AllocUnitId: the
-- reader of .ldf files finds none in it; only the transactions kept below are written): rowback tells
-- the split's system transaction by it, its inserts being rows moved to a new page, not inserted (its
-- name alone tells nothing: BEGIN TRAN SplitPage names a user's transaction so).
DECLARE @splits bit = CASE WHEN EXISTS (SELECT 1 FROM @ops AS o WHERE o.[Operation] = N'LOP_INSERT_ROWS') THEN 1 ELSE 0 END;

-- In-row allocation units (type 1, container = hobt) of the heap (0) or clustered index (1).
DECLARE @au TABLE ([allocation_unit_id] bigint PRIMARY KEY);
INSERT @au ([allocation_unit_id])
SELECT au.[allocation_unit_id]
FROM sys.allocation_units AS au
JOIN sys.partitions AS p ON au.[type] = 1 AND au.[container_id] = p.[hobt_id]
WHERE p.[index_id] IN (0, 1) AND p.[object_id] IN (SELECT [object_id] FROM @objects);
-- and those of @AllocUnits: the AllocUnitId a record was logged with stays in the log after its
-- table is dropped (fn_dblog's AllocUnitName, looked up in the catalog as it reads, cannot name it then)
INSERT @au ([allocation_unit_id])
SELECT DISTINCT CONVERT(bigint, u.[value]) FROM @unitWords AS u
WHERE CONVERT(bigint, u.[value]) NOT IN (SELECT [allocation_unit_id] FROM @au);

-- One pass over the log. fn_dblog's [Operation] is compared with @ops in one explicit collation: @ops
-- takes the database's, and which fn_dblog's columns carry is not documented (two implicit ones that
-- differ fail with Msg 468, "Cannot resolve the collation conflict").
IF OBJECT_ID(N'tempdb..#log') IS NOT NULL DROP TABLE #log;
SELECT TOP (0) l.[Current LSN], l.[Operation], l.[Context], l.[Transaction ID], l.[AllocUnitId], l.[Page ID], l.[Slot ID], l.[Offset in Row], l.[Modify Size], l.[Description], l.[Begin Time], l.[End Time], l.[Transaction Name], l.[Transaction SID], l.[SPID], l.[RowLog Contents 0], l.[RowLog Contents 1]
INTO #log FROM sys.fn_dblog(NULL, NULL) AS l;

IF @LogBackup IS NULL
BEGIN
  INSERT #log
  SELECT l.[Current LSN], l.[Operation], l.[Context], l.[Transaction ID], l.[AllocUnitId], l.[Page ID], l.[Slot ID], l.[Offset in Row], l.[Modify Size], l.[Description], l.[Begin Time], l.[End Time], l.[Transaction Name], l.[Transaction SID], l.[SPID], l.[RowLog Contents 0], l.[RowLog Contents 1]
  FROM sys.fn_dblog(@StartLsn, NULL) AS l
  WHERE l.[Operation] IN (N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT', N'LOP_ABORT_XACT')
     OR (@splits = 1 AND l.[Operation] = N'LOP_DELETE_SPLIT')
     OR (l.[Operation] COLLATE Latin1_General_BIN2 IN (SELECT o.[Operation] COLLATE Latin1_General_BIN2 FROM @ops AS o)
         AND l.[Context] IN (N'LCX_HEAP', N'LCX_CLUSTERED', N'LCX_MARK_AS_GHOST')
         AND l.[AllocUnitId] IN (SELECT [allocation_unit_id] FROM @au));
END
ELSE
BEGIN
  INSERT #log
  SELECT l.[Current LSN], l.[Operation], l.[Context], l.[Transaction ID], l.[AllocUnitId], l.[Page ID], l.[Slot ID], l.[Offset in Row], l.[Modify Size], l.[Description], l.[Begin Time], l.[End Time], l.[Transaction Name], l.[Transaction SID], l.[SPID], l.[RowLog Contents 0], l.[RowLog Contents 1]
  FROM sys.fn_dump_dblog(NULL, NULL, N'DISK', @LogBackupSet, @LogBackup, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT) AS l
  WHERE l.[Operation] IN (N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT', N'LOP_ABORT_XACT')
     OR (@splits = 1 AND l.[Operation] = N'LOP_DELETE_SPLIT')
     OR (l.[Operation] COLLATE Latin1_General_BIN2 IN (SELECT o.[Operation] COLLATE Latin1_General_BIN2 FROM @ops AS o)
         AND l.[Context] IN (N'LCX_HEAP', N'LCX_CLUSTERED', N'LCX_MARK_AS_GHOST')
         AND l.[AllocUnitId] IN (SELECT [allocation_unit_id] FROM @au));
END;

-- Where the log read begins and ends. Every LOP_BEGIN_XACT, LOP_COMMIT_XACT and LOP_ABORT_XACT the
-- log read holds is in #log (the filter above keeps them whatever their table), so these are of ALL
-- the transactions fn_dblog / fn_dump_dblog returned, before the window is applied. A transaction
-- begun after the last Begin Time (or after the last End Time: the log runs on past that commit) is
-- not in the log read: for a log backup, it is in the next one. Read here rather than from RESTORE
-- HEADERONLY, whose result set differs between versions (INSERT ... EXEC needs its exact columns),
-- and without a second read of the backup. NULL when the log read holds no such record.
-- (fixed-width text: binary collation compares it as LSN order and as time)
DECLARE @ReadFirstLsn nvarchar(25), @ReadLastLsn nvarchar(25), @ReadFirstBegin nvarchar(24), @ReadLastBegin nvarchar(24), @ReadFirstEnd nvarchar(24), @ReadLastEnd nvarchar(24);
SELECT @ReadFirstLsn = MIN(l.[Current LSN] COLLATE Latin1_General_BIN2), @ReadLastLsn = MAX(l.[Current LSN] COLLATE Latin1_General_BIN2)
FROM #log AS l WHERE l.[Operation] IN (N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT', N'LOP_ABORT_XACT');
SELECT @ReadFirstBegin = MIN(l.[Begin Time] COLLATE Latin1_General_BIN2), @ReadLastBegin = MAX(l.[Begin Time] COLLATE Latin1_General_BIN2)
FROM #log AS l WHERE l.[Operation] = N'LOP_BEGIN_XACT';
SELECT @ReadFirstEnd = MIN(l.[End Time] COLLATE Latin1_General_BIN2), @ReadLastEnd = MAX(l.[End Time] COLLATE Latin1_General_BIN2)
FROM #log AS l WHERE l.[Operation] IN (N'LOP_COMMIT_XACT', N'LOP_ABORT_XACT');

-- Transactions that began in the window (fixed-width text compares as time; binary collation), and
-- those committed without their LOP_BEGIN_XACT in the log read (whether they began in the window
-- cannot be told here: rowback says them as INCOMPLETE rather than have them left out unsaid).
IF OBJECT_ID(N'tempdb..#xact') IS NOT NULL DROP TABLE #xact;
SELECT DISTINCT l.[Transaction ID]
INTO #xact
FROM #log AS l
-- A NULL @From / @To is an open side (the header says it null, and rowback reads it so): compared with
-- NULL, [Begin Time] >= @FromText is UNKNOWN, and no transaction whose begin was read was exported.
WHERE (l.[Operation] = N'LOP_BEGIN_XACT'
       AND (@FromText IS NULL OR l.[Begin Time] COLLATE Latin1_General_BIN2 >= @FromText)
       AND (@ToText IS NULL OR l.[Begin Time] COLLATE Latin1_General_BIN2 <= @ToText))
   OR (l.[Operation] = N'LOP_COMMIT_XACT'
       AND NOT EXISTS (SELECT 1 FROM #log AS b WHERE b.[Transaction ID] = l.[Transaction ID] AND b.[Operation] = N'LOP_BEGIN_XACT'));

-- Committed transactions with row operations asked for, on the tables, whose LOP_BEGIN_XACT was read
-- outside the window: not exported, but counted in the header (outsideWindow.rowOps) with when they
-- began (outsideWindow.firstBeginTime / lastBeginTime), so that rowback says them beside the rows it
-- prints, as a scan of the log itself says the row operations a window leaves out: a mass delete begun
-- a second before @From was otherwise absent from the file without a word. 0 and NULL when none.
DECLARE @OutsideRowOps bigint, @OutsideFirstBegin nvarchar(24), @OutsideLastBegin nvarchar(24);
SELECT @OutsideRowOps = COUNT_BIG(*),
       @OutsideFirstBegin = MIN(b.[Begin Time] COLLATE Latin1_General_BIN2),
       @OutsideLastBegin = MAX(b.[Begin Time] COLLATE Latin1_General_BIN2)
FROM #log AS r
JOIN #log AS b ON b.[Transaction ID] = r.[Transaction ID] AND b.[Operation] = N'LOP_BEGIN_XACT'
WHERE r.[Operation] COLLATE Latin1_General_BIN2 IN (SELECT w.[Operation] COLLATE Latin1_General_BIN2 FROM @wanted AS w)
  AND r.[Context] IN (N'LCX_HEAP', N'LCX_CLUSTERED', N'LCX_MARK_AS_GHOST')
  AND r.[Transaction ID] NOT IN (SELECT x.[Transaction ID] FROM #xact AS x)
  AND EXISTS (SELECT 1 FROM #log AS c WHERE c.[Transaction ID] = r.[Transaction ID] AND c.[Operation] = N'LOP_COMMIT_XACT');

IF OBJECT_ID(N'tempdb..#records') IS NOT NULL DROP TABLE #records;
SELECT
      l.[Current LSN] AS [Current LSN],
      l.[Operation] AS [Operation],
      l.[Context] AS [Context],
      l.[Transaction ID] AS [Transaction ID],
      CONVERT(nvarchar(20), l.[AllocUnitId]) AS [AllocUnitId],
      l.[Page ID] AS [Page ID],
      l.[Slot ID] AS [Slot ID],
      l.[Offset in Row] AS [Offset in Row],
      l.[Modify Size] AS [Modify Size],
      l.[Description] AS [Description],
      l.[Begin Time] AS [Begin Time],
      l.[End Time] AS [End Time],
      l.[Transaction Name] AS [Transaction Name],
      CONVERT(varchar(max), l.[Transaction SID], 1) AS [Transaction SID],
      CASE WHEN l.[Operation] = N'LOP_BEGIN_XACT' THEN SUSER_SNAME(l.[Transaction SID]) END AS [Login],
      l.[SPID] AS [SPID],
      CONVERT(varchar(max), l.[RowLog Contents 0], 1) AS [RowLog Contents 0],
      CONVERT(varchar(max), l.[RowLog Contents 1], 1) AS [RowLog Contents 1]
INTO #records
FROM #log AS l
WHERE l.[Transaction ID] IN (SELECT [Transaction ID] FROM #xact);

IF OBJECT_ID(N'tempdb..#catalog') IS NOT NULL DROP TABLE #catalog;
SELECT c.* INTO #catalog FROM (
-- rowback:catalog-begin
SELECT
  s.[name] AS [schema_name],
  o.[name] AS [table_name],
  o.[object_id],
  p.[index_id],
  CONVERT(nvarchar(20), p.[partition_id]) AS [partition_id],
  p.[partition_number],
  p.[data_compression_desc],
  CONVERT(nvarchar(20), au_in.[allocation_unit_id]) AS [in_row_alloc_unit_id],
  CONVERT(nvarchar(20), au_lob.[allocation_unit_id]) AS [lob_alloc_unit_id],
  CONVERT(nvarchar(20), au_ovf.[allocation_unit_id]) AS [row_overflow_alloc_unit_id],
  CONVERT(nvarchar(23), o.[modify_date], 126) AS [modify_date],
  CONVERT(nvarchar(23), o.[create_date], 126) AS [create_date],
  pc.[partition_column_id],
  CASE WHEN pc.[is_dropped] = 1 OR pc.[is_uniqueifier] = 1 THEN NULL ELSE c.[column_id] END AS [column_id],
  CASE WHEN pc.[is_dropped] = 1 OR pc.[is_uniqueifier] = 1 THEN NULL ELSE c.[name] END AS [column_name],
  -- CLR types (hierarchyid, geometry, geography) share system_type_id 240: name them by their user type.
  COALESCE(CASE WHEN ut.[is_assembly_type] = 1 THEN ut.[name] END, st.[name], ut.[name]) AS [type_name],
  pc.[system_type_id],
  CASE WHEN ut.[user_type_id] <> ut.[system_type_id] AND ut.[is_assembly_type] = 0 THEN ut.[name] END AS [user_type_name],
  pc.[max_length],
  pc.[precision],
  pc.[scale],
  pc.[collation_name],
  pc.[is_nullable],
  c.[is_identity],
  c.[is_computed],
  cc.[is_persisted],
  c.[is_rowguidcol],
  c.[is_column_set],
  c.[is_filestream],
  COLUMNPROPERTY(o.[object_id], c.[name], 'GeneratedAlwaysType') AS [generated_always_type],
  pc.[leaf_offset],
  pc.[leaf_null_bit],
  pc.[leaf_bit_position],
  pc.[is_dropped],
  pc.[is_sparse],
  pc.[is_uniqueifier],
  pc.[key_ordinal],
  CASE
    WHEN pc.[default_value] IS NULL THEN NULL
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('binary', 'varbinary', 'timestamp')
      THEN CONVERT(nvarchar(4000), CONVERT(varbinary(8000), pc.[default_value]), 1)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('date', 'datetime', 'smalldatetime', 'datetime2')
      THEN CONVERT(nvarchar(4000), CONVERT(datetime2(7), pc.[default_value]), 126)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) = 'datetimeoffset'
      THEN CONVERT(nvarchar(4000), CONVERT(datetimeoffset(7), pc.[default_value]), 126)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('money', 'smallmoney')
      THEN CONVERT(nvarchar(4000), CONVERT(money, pc.[default_value]), 2)
    WHEN CONVERT(sysname, SQL_VARIANT_PROPERTY(pc.[default_value], 'BaseType')) IN ('float', 'real')
      THEN CONVERT(nvarchar(4000), CONVERT(varbinary(8), CONVERT(float, pc.[default_value])), 1)
    ELSE CONVERT(nvarchar(4000), pc.[default_value])
  END AS [default_value],
  -- The database these rows are of, on every row: rowback refuses a catalog whose database_guid
  -- is not the binding id of the log/backup/data files scanned with it (allocation unit ids repeat
  -- between databases). NULL when sys.database_recovery_status hides this database's row.
  DB_NAME() AS [database_name],
  CONVERT(nvarchar(36), drs.[database_guid]) AS [database_guid],
  CONVERT(nvarchar(36), drs.[family_guid]) AS [family_guid]
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.[schema_id] = o.[schema_id]
JOIN sys.partitions AS p ON p.[object_id] = o.[object_id] AND p.[index_id] IN (0, 1)
JOIN sys.system_internals_partition_columns AS pc ON pc.[partition_id] = p.[partition_id]
LEFT JOIN sys.columns AS c ON c.[object_id] = o.[object_id] AND c.[column_id] = pc.[partition_column_id]
LEFT JOIN sys.computed_columns AS cc ON cc.[object_id] = c.[object_id] AND cc.[column_id] = c.[column_id]
LEFT JOIN sys.types AS st ON st.[user_type_id] = pc.[system_type_id]
LEFT JOIN sys.types AS ut ON ut.[user_type_id] = c.[user_type_id]
-- IN_ROW_DATA (1) and ROW_OVERFLOW_DATA (3) belong to the hobt; LOB_DATA (2) to the partition.
LEFT JOIN sys.allocation_units AS au_in ON au_in.[type] = 1 AND au_in.[container_id] = p.[hobt_id]
LEFT JOIN sys.allocation_units AS au_lob ON au_lob.[type] = 2 AND au_lob.[container_id] = p.[partition_id]
LEFT JOIN sys.allocation_units AS au_ovf ON au_ovf.[type] = 3 AND au_ovf.[container_id] = p.[hobt_id]
-- One row: this database's. LEFT: without permission to see it the catalog is still returned.
LEFT JOIN sys.database_recovery_status AS drs ON drs.[database_id] = DB_ID()
WHERE o.[type] = 'U' AND o.[is_ms_shipped] = 0
-- rowback:catalog-end
) AS c
WHERE c.[object_id] IN (SELECT [object_id] FROM @objects);

IF @Format = N'json'
BEGIN
  -- Records in LSN order: [Current LSN] ordered in a binary collation (JSON and CSV alike), since
  -- under Danish_Norwegian collations the hex pair "aa" sorts as the letter "a-ring", after "z", and
  -- 0000002a:000001aa:0002 came after 0000002a:000001b0:0001 (rowback refuses records out of order).
  -- One value, assigned to a variable first: a FOR JSON result sent directly is split into
  -- chunks of about 2,000 characters, which clients print on separate lines.
  DECLARE @json nvarchar(max) = (
    SELECT
      N'rowback-export' AS [format],
      2 AS [version],
      CONVERT(nvarchar(128), @@SERVERNAME) AS [server],
      DB_NAME() AS [database],
      CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')) AS [databaseCollation],
      DATENAME(TZOFFSET, SYSDATETIMEOFFSET()) AS [serverTimeZone],
      CONVERT(nvarchar(34), SYSDATETIMEOFFSET(), 126) AS [exportedAt],
      @FromText AS [window.from],
      @ToText AS [window.to],
      @Tables AS [tables],
      @Operations AS [operations],
      CASE WHEN @LogBackup IS NULL THEN N'fn_dblog' ELSE N'fn_dump_dblog' END AS [logSource],
      @LogBackup AS [logBackup],
      CASE WHEN @LogBackup IS NULL THEN NULL ELSE @LogBackupSet END AS [logBackupSet],
      @ReadFirstLsn AS [logRead.firstLsn],
      @ReadLastLsn AS [logRead.lastLsn],
      @ReadFirstBegin AS [logRead.firstBeginTime],
      @ReadLastBegin AS [logRead.lastBeginTime],
      @ReadFirstEnd AS [logRead.firstEndTime],
      @ReadLastEnd AS [logRead.lastEndTime],
      @OutsideRowOps AS [outsideWindow.rowOps],
      @OutsideFirstBegin AS [outsideWindow.firstBeginTime],
      @OutsideLastBegin AS [outsideWindow.lastBeginTime],
      JSON_QUERY(ISNULL((SELECT r.* FROM #records AS r ORDER BY r.[Current LSN] COLLATE Latin1_General_BIN2 FOR JSON PATH, INCLUDE_NULL_VALUES), N'[]')) AS [records],
      JSON_QUERY(ISNULL((SELECT c.* FROM #catalog AS c ORDER BY c.[schema_name], c.[table_name], c.[partition_number], c.[partition_column_id] FOR JSON PATH, INCLUDE_NULL_VALUES), N'[]')) AS [catalog]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
  );
  SELECT @json AS [rowback_export];
END
ELSE
BEGIN
  -- Sectioned CSV: '#' lines start sections; each section is a header line and RFC 4180 rows.
  -- Every value is quoted; NULL is an empty unquoted field, so it differs from an empty string.
  SELECT N'#rowback-export,2,csv' AS [line];
  -- In the order written: rows of a UNION ALL come in no order of their own without ORDER BY.
  SELECT m.[line] FROM (
  SELECT N'#meta' AS [line], 0 AS [n]
  UNION ALL SELECT N'"key","value"', 1
  UNION ALL SELECT N'"server",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), CONVERT(nvarchar(128), @@SERVERNAME)), N'"', N'""') + N'"', N''), 2
  UNION ALL SELECT N'"database",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), DB_NAME()), N'"', N'""') + N'"', N''), 3
  UNION ALL SELECT N'"serverTimeZone",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), DATENAME(TZOFFSET, SYSDATETIMEOFFSET())), N'"', N'""') + N'"', N''), 4
  UNION ALL SELECT N'"exportedAt",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), CONVERT(nvarchar(34), SYSDATETIMEOFFSET(), 126)), N'"', N'""') + N'"', N''), 5
  UNION ALL SELECT N'"window.from",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @FromText), N'"', N'""') + N'"', N''), 6
  UNION ALL SELECT N'"window.to",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @ToText), N'"', N'""') + N'"', N''), 7
  UNION ALL SELECT N'"tables",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @Tables), N'"', N'""') + N'"', N''), 8
  UNION ALL SELECT N'"operations",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @Operations), N'"', N'""') + N'"', N''), 9
  UNION ALL SELECT N'"logSource",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), CASE WHEN @LogBackup IS NULL THEN N'fn_dblog' ELSE N'fn_dump_dblog' END), N'"', N'""') + N'"', N''), 10
  UNION ALL SELECT N'"logBackup",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @LogBackup), N'"', N'""') + N'"', N''), 11
  UNION ALL SELECT N'"logBackupSet",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), CASE WHEN @LogBackup IS NULL THEN NULL ELSE @LogBackupSet END), N'"', N'""') + N'"', N''), 12
  UNION ALL SELECT N'"logRead.firstLsn",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @ReadFirstLsn), N'"', N'""') + N'"', N''), 13
  UNION ALL SELECT N'"logRead.lastLsn",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @ReadLastLsn), N'"', N'""') + N'"', N''), 14
  UNION ALL SELECT N'"logRead.firstBeginTime",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @ReadFirstBegin), N'"', N'""') + N'"', N''), 15
  UNION ALL SELECT N'"logRead.lastBeginTime",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @ReadLastBegin), N'"', N'""') + N'"', N''), 16
  UNION ALL SELECT N'"logRead.firstEndTime",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @ReadFirstEnd), N'"', N'""') + N'"', N''), 17
  UNION ALL SELECT N'"logRead.lastEndTime",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @ReadLastEnd), N'"', N'""') + N'"', N''), 18
  UNION ALL SELECT N'"outsideWindow.rowOps",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @OutsideRowOps), N'"', N'""') + N'"', N''), 19
  UNION ALL SELECT N'"outsideWindow.firstBeginTime",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @OutsideFirstBegin), N'"', N'""') + N'"', N''), 20
  UNION ALL SELECT N'"outsideWindow.lastBeginTime",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), @OutsideLastBegin), N'"', N'""') + N'"', N''), 21
  UNION ALL SELECT N'"databaseCollation",' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation'))), N'"', N'""') + N'"', N''), 22)
  AS m ORDER BY m.[n];
  SELECT N'#records' AS [line];
  SELECT N'"Current LSN","Operation","Context","Transaction ID","AllocUnitId","Page ID","Slot ID","Offset in Row","Modify Size","Description","Begin Time","End Time","Transaction Name","Transaction SID","Login","SPID","RowLog Contents 0","RowLog Contents 1"' AS [line];
  SELECT ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Current LSN]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Operation]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Context]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Transaction ID]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[AllocUnitId]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Page ID]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Slot ID]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Offset in Row]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Modify Size]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Description]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Begin Time]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[End Time]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Transaction Name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Transaction SID]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[Login]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[SPID]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[RowLog Contents 0]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), r.[RowLog Contents 1]), N'"', N'""') + N'"', N'') AS [line]
  FROM #records AS r
  ORDER BY r.[Current LSN] COLLATE Latin1_General_BIN2;
  SELECT N'#catalog' AS [line];
  SELECT N'"schema_name","table_name","object_id","index_id","partition_id","partition_number","data_compression_desc","in_row_alloc_unit_id","lob_alloc_unit_id","row_overflow_alloc_unit_id","modify_date","create_date","partition_column_id","column_id","column_name","type_name","system_type_id","user_type_name","max_length","precision","scale","collation_name","is_nullable","is_identity","is_computed","is_persisted","is_rowguidcol","is_column_set","is_filestream","generated_always_type","leaf_offset","leaf_null_bit","leaf_bit_position","is_dropped","is_sparse","is_uniqueifier","key_ordinal","default_value","database_name","database_guid","family_guid"' AS [line];
  SELECT ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[schema_name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[table_name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[object_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[index_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[partition_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[partition_number]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[data_compression_desc]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[in_row_alloc_unit_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[lob_alloc_unit_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[row_overflow_alloc_unit_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[modify_date]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[create_date]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[partition_column_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[column_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[column_name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[type_name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[system_type_id]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[user_type_name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[max_length]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[precision]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[scale]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[collation_name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_nullable]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_identity]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_computed]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_persisted]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_rowguidcol]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_column_set]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_filestream]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[generated_always_type]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[leaf_offset]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[leaf_null_bit]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[leaf_bit_position]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_dropped]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_sparse]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[is_uniqueifier]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[key_ordinal]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[default_value]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[database_name]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[database_guid]), N'"', N'""') + N'"', N'')
    + N',' + ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), c.[family_guid]), N'"', N'""') + N'"', N'') AS [line]
  FROM #catalog AS c
  ORDER BY c.[schema_name], c.[table_name], c.[partition_number], c.[partition_column_id];
  -- Last: the number of record and catalog rows written above. rowback refuses a version 2 file
  -- without it, or whose rows differ in number: a file cut at a line end inside #catalog read as whole.
  SELECT N'#end' AS [line];
  SELECT N'"records","catalog"' AS [line];
  SELECT N'"' + CONVERT(nvarchar(20), (SELECT COUNT_BIG(*) FROM #records)) + N'","' + CONVERT(nvarchar(20), (SELECT COUNT_BIG(*) FROM #catalog)) + N'"' AS [line];
END;

DROP TABLE #records;
DROP TABLE #catalog;
DROP TABLE #xact;
DROP TABLE #log;
