/**
 * sql/export-log-records.sql could not export the log records of a table DROPPED after the mass
 * delete, the case `scan --export FILE --ddl SCRIPT --alloc-unit SCHEMA.NAME=ID` (and an export job's
 * metadata.ddl + metadata.allocUnit(s)) is for: it chose the allocation units through the catalog
 * (sys.partitions / sys.allocation_units of the tables in @Tables), a dropped table named in @Tables
 * stopped it ("table … does not exist in this database"), and @Tables = N'' (every user table) holds
 * it no more. So docs/live.md's way on for a dropped table ("export the log") had no way to be taken.
 * Now @AllocUnits names its in-row AllocUnitIds (as fn_dblog prints them), read into @au beside
 * @Tables' units; and a scan of such an export (no catalog rows when @Tables = N'') with --ddl and
 * --alloc-unit prints the row.
 *
 * The script is read as T-SQL, not run (no SQL Server here). SYNTHETIC: the export file (records and
 * row image shaped like what the script writes: int UserId = 1, varchar Name 'Ann'), the script.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureCli } from '../../support/cli.js';
import { exportRecord } from '../../support/export-fixture.js';

const SCRIPT = readFileSync(new URL('../../../sql/export-log-records.sql', import.meta.url), 'utf8');
const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-dropped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sql/export-log-records.sql exports the records of a table dropped since (@AllocUnits)', () => {
  it('takes @AllocUnits, checks each id is decimal digits, and reads those units into @au beside @Tables\'', () => {
    expect(SCRIPT).toMatch(/^DECLARE @AllocUnits nvarchar\(max\) += N'';/m);
    expect(SCRIPT).toContain("LIKE N'%[^0-9]%' OR LEN([value]) > 19");
    expect(SCRIPT).toContain("OR (LEN([value]) = 19 AND [value] COLLATE Latin1_General_BIN2 > N'9223372036854775807')");
    expect(SCRIPT).toMatch(/RAISERROR\(N'rowback export: @AllocUnits lists/);
    expect(SCRIPT).toMatch(/INSERT @au \(\[allocation_unit_id\]\)\s+SELECT DISTINCT CONVERT\(bigint, u\.\[value\]\) FROM @unitWords AS u/);
    // @Tables = N'' with @AllocUnits: only those units, not every user table beside them
    expect(SCRIPT).toContain("IF LTRIM(RTRIM(@Tables)) = N'' AND NOT EXISTS (SELECT 1 FROM @unitWords)");
    // a dropped table named in @Tables is refused with the way on
    expect(SCRIPT).toContain('dropped since? give its in-row AllocUnitId in @AllocUnits instead');
    // the units are read before the log pass filters on them
    expect(SCRIPT.indexOf('FROM @unitWords AS u')).toBeLessThan(SCRIPT.indexOf('INSERT #log'));
    // TRY_CONVERT is not known below compatibility level 110; the script runs at every level
    expect(SCRIPT.replace(/--.*$/gm, '')).not.toMatch(/TRY_CONVERT|TRY_CAST|STRING_SPLIT\(/);
  });

  it('a scan of such an export (@Tables = N\'\': no catalog rows) with --ddl and --alloc-unit prints the row', async () => {
    const unit = '72057594043301888';
    const image = '0x30000800' + '01000000' + '0200' + '00' + '0100' + '1200' + '416e6e';
    const records = [
      exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61 }),
      exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: unit, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': image }),
      exportRecord('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
    ];
    const f = join(dir, 'dropped.json');
    writeFileSync(f, JSON.stringify({
      format: 'rowback-export', version: 2, server: 'SQL01', database: 'CRM', serverTimeZone: '+03:00', exportedAt: '2024-03-05T15:00:00.1234567+03:00',
      window: { from: null, to: null }, tables: '', operations: 'delete', logSource: 'fn_dblog', logBackup: null, logBackupSet: null, databaseCollation: 'SQL_Latin1_General_CP1_CI_AS',
      logRead: { firstLsn: '0000002a:000001f0:0001', lastLsn: '0000002a:000001f0:0003', firstBeginTime: '2024/03/05 14:07:09:123', lastBeginTime: '2024/03/05 14:07:09:123', firstEndTime: '2024/03/05 14:07:10:500', lastEndTime: '2024/03/05 14:07:10:500' },
      records, catalog: [],
    }));
    const ddl = join(dir, 'users.sql');
    writeFileSync(ddl, 'CREATE TABLE [dbo].[Users]([UserId] [int] NOT NULL, [Name] [varchar](50) NULL, PRIMARY KEY CLUSTERED ([UserId]));\n');
    const r = await cli('scan', '--export', f, '--ddl', ddl, '--alloc-unit', `dbo.Users=${unit}`, '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { values: unknown }).values), r.stderr).toEqual([{ UserId: 1, Name: 'Ann' }]);
    expect(r.stderr).not.toContain('units no table names');
  }, 60_000);
});
