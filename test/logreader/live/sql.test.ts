import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertReadOnly } from '../../../src/logreader/live/read-only.js';
import { FN_DUMP_DBLOG_FILE_SLOTS, firstBeginXactSql, firstCommitXactSql, headerOnlySql, logVlfsSql, scanSql, TRACEON_INACTIVE_LOG } from '../../../src/logreader/live/sql.js';

describe('scanSql', () => {
  it('builds the exact one-pass fn_dblog scan for one table, deletes, no window', () => {
    const s = scanSql({ inputs: [{ kind: 'online' }], start: { vlf: 42, block: 496, slot: 3 }, end: null, operations: ['delete'], tables: [{ schema: 'dbo', name: 'Customers' }] });
    expect(s.text).toBe([
      'WITH [au] AS (',
      '  SELECT au.[allocation_unit_id]',
      '  FROM sys.allocation_units AS au',
      '  JOIN sys.partitions AS p ON au.[type] = 1 AND au.[container_id] = p.[hobt_id]',
      '  WHERE p.[index_id] IN (0, 1) AND p.[object_id] IN (OBJECT_ID(@table0))',
      '), [log] AS (',
      '  SELECT 0 AS [log_input], l.[Current LSN], l.[Operation], l.[Context], l.[Transaction ID], l.[AllocUnitId], l.[Page ID], l.[Slot ID], l.[Offset in Row], l.[Modify Size], l.[Description], l.[Begin Time], l.[End Time], l.[Transaction Name], l.[Transaction SID], l.[SPID], l.[RowLog Contents 0], l.[RowLog Contents 1]',
      '  FROM sys.fn_dblog(@start, @end) AS l',
      '  WHERE l.[Operation] = N\'LOP_BEGIN_XACT\'',
      '     OR l.[Operation] = N\'LOP_COMMIT_XACT\'',
      // the abort: a transaction left out is said rolled back rather than open (LEFT_OUT)
      '     OR l.[Operation] = N\'LOP_ABORT_XACT\'',
      // the inserts too: the caller pairs a delete with the same row put back by its own transaction
      '     OR (l.[Operation] IN (N\'LOP_DELETE_ROWS\', N\'LOP_INSERT_ROWS\')',
      '         AND l.[Context] IN (N\'LCX_HEAP\', N\'LCX_CLUSTERED\', N\'LCX_MARK_AS_GHOST\')',
      '         AND l.[AllocUnitId] IN (SELECT a.[allocation_unit_id] FROM [au] AS a))',
      '), [xact] AS (',
      '  SELECT x.*,',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_BEGIN_XACT\' THEN x.[Begin Time] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_begin_time],',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_COMMIT_XACT\' THEN x.[End Time] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_end_time],',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_COMMIT_XACT\' THEN 1 ELSE 0 END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_committed],',
      '    MAX(CASE WHEN x.[Operation] IN (N\'LOP_DELETE_ROWS\') THEN 1 ELSE 0 END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_has_rows],',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_BEGIN_XACT\' THEN x.[Transaction Name] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_name],',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_BEGIN_XACT\' THEN x.[Transaction SID] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_sid],',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_BEGIN_XACT\' THEN x.[SPID] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_spid],',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_ABORT_XACT\' THEN 1 ELSE 0 END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_aborted],',
      '    MAX(CASE WHEN x.[Operation] = N\'LOP_BEGIN_XACT\' THEN x.[Begin Time] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_began],',
      '    ROW_NUMBER() OVER (PARTITION BY x.[Transaction ID] ORDER BY x.[Current LSN] COLLATE Latin1_General_BIN2, x.[log_input]) AS [xact_first],',
      '    ROW_NUMBER() OVER (PARTITION BY x.[Current LSN] ORDER BY x.[log_input]) AS [lsn_copy]',
      '  FROM [log] AS x',
      // each transaction the query does not return, said by one row with its count (no window: those with no commit)
      '), [counted] AS (',
      '  SELECT x.*,',
      '    SUM(CASE WHEN x.[lsn_copy] = 1 AND x.[Operation] IN (N\'LOP_DELETE_ROWS\') THEN 1 ELSE 0 END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_row_ops],',
      '    CASE',
      '      WHEN x.[xact_first] = 1 AND x.[xact_has_rows] = 1 AND x.[xact_committed] = 0 THEN CASE WHEN x.[xact_aborted] = 1 THEN N\'rolled_back\' ELSE N\'uncommitted\' END',
      '    END AS [left_out]',
      '  FROM [xact] AS x',
      ')',
      'SELECT x.[log_input], x.[Current LSN], x.[Operation], x.[Context], x.[Transaction ID], x.[AllocUnitId],',
      '  x.[Page ID], x.[Slot ID], x.[Offset in Row], x.[Modify Size], x.[Description],',
      '  x.[RowLog Contents 0], x.[RowLog Contents 1],',
      '  x.[xact_begin_time] AS [Begin Time], x.[xact_end_time] AS [End Time], x.[xact_name] AS [Transaction Name],',
      '  x.[xact_sid] AS [Transaction SID], SUSER_SNAME(x.[xact_sid]) AS [Login], x.[xact_spid] AS [SPID],',
      '  x.[left_out], x.[xact_row_ops], x.[xact_began]',
      'FROM [counted] AS x',
      // each committed transaction with a delete: its deletes, inserts, begin and commit (the caller's committed filter)
      'WHERE (x.[Operation] IN (N\'LOP_DELETE_ROWS\', N\'LOP_INSERT_ROWS\', N\'LOP_BEGIN_XACT\', N\'LOP_COMMIT_XACT\')',
      '  AND x.[xact_committed] = 1',
      // …and the begin and commit of a committed TRUNCATE TABLE / DROP TABLE, whose rows no record holds
      '  AND (x.[xact_has_rows] = 1 OR UPPER(LTRIM(RTRIM(x.[xact_name]))) IN (N\'TRUNCATE TABLE\', N\'DROPOBJ\'))',
      '  AND x.[lsn_copy] = 1)',
      '  OR x.[left_out] IS NOT NULL',
      'ORDER BY x.[Current LSN] COLLATE Latin1_General_BIN2;',
    ].join('\n'));
    expect(s.params).toEqual([
      { name: 'start', type: 'nvarchar', length: 25, value: '42:496:3' },
      { name: 'end', type: 'nvarchar', length: 25, value: null },
      { name: 'table0', type: 'nvarchar', length: 517, value: '[dbo].[Customers]' },
    ]);
    // fn_dblog is read exactly once: one pass over the log.
    expect(s.text.match(/fn_dblog\(/g)).toHaveLength(1);
  });

  const windowed = scanSql({
    inputs: [{ kind: 'backup', file: "D:\\bak\\crm_log_1.trn", position: 1 }, { kind: 'backup', file: "D:\\bak\\it's_2.trn", position: 3, sets: 3 }, { kind: 'online' }],
    start: { vlf: 0x2a, block: 0x1f0, slot: 3 },
    end: { vlf: 0x2b, block: 0, slot: 1 },
    from: '2024-03-05T14:00:00.000',
    to: '2024-03-05T14:59:59.999',
    operations: ['delete', 'insert'],
    tables: [{ schema: 'crm', name: 'Order]Lines' }],
  });

  it('passes window, tables and backup files as parameters, never as text', () => {
    expect(windowed.params).toEqual([
      { name: 'start', type: 'nvarchar', length: 25, value: '42:496:3' },
      { name: 'end', type: 'nvarchar', length: 25, value: '43:0:1' },
      { name: 'table0', type: 'nvarchar', length: 517, value: '[crm].[Order]]Lines]' },
      { name: 'fromTime', type: 'nvarchar', length: 24, value: '2024/03/05 14:00:00:000' },
      { name: 'toTime', type: 'nvarchar', length: 24, value: '2024/03/05 14:59:59:999' },
      { name: 'backup0', type: 'nvarchar', length: 4000, value: 'D:\\bak\\crm_log_1.trn' },
      { name: 'backup0_set', type: 'int', value: 1 },
      { name: 'backup1', type: 'nvarchar', length: 4000, value: "D:\\bak\\it's_2.trn" },
      { name: 'backup1_set', type: 'int', value: 3 },
    ]);
    expect(windowed.text).not.toContain('crm_log');
    expect(windowed.text).not.toContain('Order');
    expect(windowed.text).not.toContain('2024');
  });

  it('reads each log backup set whole through fn_dump_dblog, its position as @seqnum, with 63 DEFAULT file slots', () => {
    const call = `sys.fn_dump_dblog(NULL, NULL, N'DISK', @backup1_set, @backup1${', DEFAULT'.repeat(63)}) AS l`;
    expect(FN_DUMP_DBLOG_FILE_SLOTS - 1).toBe(63);
    expect(windowed.text).toContain(call);
    // the set's position is a parameter (int), as the path is (nvarchar): no value is text in the batch
    expect(windowed.params.filter((p) => p.name.startsWith('backup'))).toEqual([
      { name: 'backup0', type: 'nvarchar', length: 4000, value: 'D:\\bak\\crm_log_1.trn' },
      { name: 'backup0_set', type: 'int', value: 1 },
      { name: 'backup1', type: 'nvarchar', length: 4000, value: "D:\\bak\\it's_2.trn" },
      { name: 'backup1_set', type: 'int', value: 3 },
    ]);
    expect(windowed.text.match(/fn_dump_dblog\(/g)).toHaveLength(2);
    expect(windowed.text.match(/fn_dblog\(@start, @end\)/g)).toHaveLength(1);
  });

  it('refuses a backup set position outside RESTORE\'s FILE = 1–32767', () => {
    for (const position of [0, -1, 1.5, 32768, Number.NaN]) {
      expect(() => scanSql({ inputs: [{ kind: 'backup', file: 'x.trn', position }], start: null, end: null, operations: ['delete'], tables: [] })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
    }
  });

  it('lists a backup file\'s sets with RESTORE HEADERONLY, the path a parameter', () => {
    expect(headerOnlySql("D:\\bak\\it's'; DROP DATABASE x; --.trn")).toEqual({
      text: 'RESTORE HEADERONLY FROM DISK = @file;',
      params: [{ name: 'file', type: 'nvarchar', length: 4000, value: "D:\\bak\\it's'; DROP DATABASE x; --.trn" }],
    });
  });

  it('reads every LOP_BEGIN_XACT, and keeps transactions that began in the window or whose begin is not in the log read (the caller says those INCOMPLETE), not those begun outside it', () => {
    expect(windowed.text).toContain("  WHERE l.[Operation] = N'LOP_BEGIN_XACT'\n     OR l.[Operation] = N'LOP_COMMIT_XACT'\n     OR l.[Operation] = N'LOP_ABORT_XACT'");
    expect(windowed.text).toContain("    MAX(CASE WHEN x.[Operation] = N'LOP_BEGIN_XACT' AND x.[Begin Time] COLLATE Latin1_General_BIN2 >= @fromTime AND x.[Begin Time] COLLATE Latin1_General_BIN2 <= @toTime THEN x.[Begin Time] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_begin_time],\n    MAX(CASE WHEN x.[Operation] = N'LOP_BEGIN_XACT' THEN 1 ELSE 0 END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_begin_read],");
    // deletes and inserts both wanted: nothing to pair, no opposite operation added (a page split's
    // LOP_DELETE_SPLIT read with inserts: it tells the split's moved rows)
    expect(windowed.text).toContain("WHERE (x.[Operation] IN (N'LOP_DELETE_ROWS', N'LOP_INSERT_ROWS', N'LOP_DELETE_SPLIT', N'LOP_BEGIN_XACT', N'LOP_COMMIT_XACT')\n  AND x.[xact_committed] = 1\n  AND (x.[xact_has_rows] = 1 OR UPPER(LTRIM(RTRIM(x.[xact_name]))) IN (N'TRUNCATE TABLE', N'DROPOBJ'))\n  AND x.[lsn_copy] = 1\n  AND (x.[xact_begin_time] IS NOT NULL OR x.[xact_begin_read] = 0))\n  OR x.[left_out] IS NOT NULL\nORDER BY x.[Current LSN] COLLATE Latin1_General_BIN2;");
    // without a window nothing of it: every committed transaction with rows
    const whole = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['delete'], tables: [] });
    expect(whole.text).not.toMatch(/xact_begin_read|@fromTime|@toTime/);
    expect(whole.text).toContain("    MAX(CASE WHEN x.[Operation] = N'LOP_BEGIN_XACT' THEN x.[Begin Time] END) OVER (PARTITION BY x.[Transaction ID]) AS [xact_begin_time],\n    MAX(CASE WHEN x.[Operation] = N'LOP_COMMIT_XACT'");
  });

  it('scans every user table when none is named, resolving allocation units through the catalog views', () => {
    const s = scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['update'], tables: [] });
    expect(s.text).toContain('p.[object_id] IN (SELECT t.[object_id] FROM sys.tables AS t WHERE t.[is_ms_shipped] = 0)');
    expect(s.text).toContain("l.[Operation] IN (N'LOP_MODIFY_ROW', N'LOP_MODIFY_COLUMNS')");
    expect(s.text).not.toMatch(/AllocUnitName/);
    expect(s.params.map((p) => p.name)).toEqual(['start', 'end']);
  });

  it('prefixes DBCC TRACEON(2537) only when the inactive log is asked for', () => {
    const base = { inputs: [{ kind: 'online' as const }], start: null, end: null, operations: ['delete' as const], tables: [] };
    expect(scanSql(base).text).not.toContain('TRACEON');
    const s = scanSql({ ...base, inactiveLog: true });
    expect(s.text.startsWith(`${TRACEON_INACTIVE_LOG}\nWITH [au] AS (`)).toBe(true);
    expect(TRACEON_INACTIVE_LOG).toBe('DBCC TRACEON(2537) WITH NO_INFOMSGS;');
    assertReadOnly(s.text, { allowInactiveLogTraceFlag: true });
  });

  it('refuses an empty input or operation list', () => {
    expect(() => scanSql({ inputs: [], start: null, end: null, operations: ['delete'], tables: [] })).toThrow(RangeError);
    expect(() => scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: [], tables: [] })).toThrow(RangeError);
  });
});

describe('window-bound probes', () => {
  it('lists VLFs from sys.dm_db_log_info', () => {
    expect(logVlfsSql()).toEqual({
      text: 'SELECT li.[vlf_sequence_number], li.[vlf_active], li.[vlf_first_lsn]\nFROM sys.dm_db_log_info(DB_ID()) AS li\nORDER BY li.[vlf_sequence_number];',
      params: [],
    });
  });
  it('probes the first LOP_BEGIN_XACT at an LSN with TOP (1)', () => {
    expect(firstBeginXactSql({ vlf: 42, block: 496, slot: 1 })).toEqual({
      text: "SELECT TOP (1) l.[Current LSN], l.[Begin Time]\nFROM sys.fn_dblog(@start, NULL) AS l\nWHERE l.[Operation] = N'LOP_BEGIN_XACT';",
      params: [{ name: 'start', type: 'nvarchar', length: 25, value: '42:496:1' }],
    });
  });
  it('probes the first LOP_COMMIT_XACT at an LSN with TOP (1), for the window bound (its End Time)', () => {
    expect(firstCommitXactSql({ vlf: 42, block: 496, slot: 1 })).toEqual({
      text: "SELECT TOP (1) l.[Current LSN], l.[End Time]\nFROM sys.fn_dblog(@start, NULL) AS l\nWHERE l.[Operation] = N'LOP_COMMIT_XACT';",
      params: [{ name: 'start', type: 'nvarchar', length: 25, value: '42:496:1' }],
    });
    expect(() => assertReadOnly(firstCommitXactSql({ vlf: 42, block: 496, slot: 1 }).text)).not.toThrow();
  });
});

describe('scanSql with units: the in-row AllocUnitIds of a layout given (--ddl/--schema with --alloc-unit), a dropped table\'s among them', () => {
  const base = { inputs: [{ kind: 'online' as const }], start: null, end: null, operations: ['delete' as const], tables: [] };
  it('reads exactly those units, one @units list split and converted to bigint on the server, never through the catalog', () => {
    const s = scanSql({ ...base, units: ['72057594043301888', '72057594043236352'] });
    expect(s.text.split('\n').slice(0, 5)).toEqual([
      'WITH [au] AS (',
      "  SELECT CONVERT(bigint, u.[id].value('.', 'varchar(20)')) AS [allocation_unit_id]",
      "  FROM (SELECT CAST(N'<u>' + REPLACE(@units, N',', N'</u><u>') + N'</u>' AS xml) AS [ids]) AS s",
      "  CROSS APPLY s.[ids].nodes('/u') AS u([id])",
      '), [log] AS (',
    ]);
    expect(s.text).not.toContain('sys.partitions');
    expect(s.text).not.toContain('OBJECT_ID(');
    expect(s.params.filter((p) => p.name.startsWith('unit'))).toEqual([
      { name: 'units', type: 'nvarchar', length: 35, value: '72057594043301888,72057594043236352' },
    ]);
    expect(() => assertReadOnly(s.text)).not.toThrow();
  });
  it('refuses an id that is not decimal digits and tables beside units; takes more units than a request takes parameters (2,100) in one', () => {
    expect(() => scanSql({ ...base, units: ['7205759404330188x'] })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
    expect(() => scanSql({ ...base, units: ['9223372036854775808'] })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
    expect(() => scanSql({ ...base, units: ['1,2'] })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION' }));
    expect(scanSql({ ...base, units: ['9223372036854775807'] }).params.at(-1)).toMatchObject({ name: 'units', value: '9223372036854775807' });
    // a --schema of a database of 5,000 tables: refused before (one parameter a unit), one parameter now
    const many = Array.from({ length: 5000 }, (_, i) => String(72057594043301888n + BigInt(i) * 65536n));
    const big = scanSql({ ...base, units: many });
    expect(big.params.filter((p) => p.name.startsWith('unit'))).toHaveLength(1);
    expect(big.params.length).toBeLessThan(2100);
    expect(big.params.find((p) => p.name === 'units')).toMatchObject({ value: many.join(','), length: many.join(',').length });
    expect(() => scanSql({ ...base, tables: [{ schema: 'dbo', name: 'T' }], units: ['1'] })).toThrow(RangeError);
  });
});

describe('sql/export-log-records.sql reads the backup set it is given', () => {
  const script = readFileSync(new URL('../../../sql/export-log-records.sql', import.meta.url), 'utf8');
  it('passes @LogBackupSet as fn_dump_dblog\'s @seqnum (it read set 1 of every file), checks it and writes it in the export', () => {
    expect(script).toMatch(/^DECLARE @LogBackupSet int +?= 1;/m);
    expect(script).toContain("sys.fn_dump_dblog(NULL, NULL, N'DISK', @LogBackupSet, @LogBackup,");
    expect(script).not.toMatch(/fn_dump_dblog\(NULL, NULL, N'DISK', 1,/);
    expect(script).toMatch(/IF @LogBackup IS NOT NULL AND \(@LogBackupSet IS NULL OR @LogBackupSet < 1 OR @LogBackupSet > 32767\)\s+BEGIN\s+RAISERROR/);
    expect(script).toContain('CASE WHEN @LogBackup IS NULL THEN NULL ELSE @LogBackupSet END AS [logBackupSet]');
  });
});
