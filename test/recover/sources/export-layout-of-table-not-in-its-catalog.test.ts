/**
 * An export whose catalog lacks a table (dropped since, or left out) with that table's layout given
 * (--ddl and --alloc-unit; a job's metadata.ddl and metadata.allocUnit): its rows are recovered. The
 * export source chose the rows by its own catalog even with --ddl/--schema given, so every row of the
 * table was left out as on "units no table names", while the note said in one breath that the
 * --alloc-unit mapping matched no row and that 13 rows were on that very unit.
 *
 * Real bytes: AngularJs_CRUD's Database1_log.ldf as `rowback log` prints it (the export's records),
 * and Database1.mdf + the .ldf as the reference (13 deleted dbo.tblDept rows on allocation unit
 * 72057594043629568). SYNTHETIC: the export file around the records and its catalog (dbo.Employee's
 * alone, test/support/employee-catalog.ts), the CREATE TABLE of dbo.tblDept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { angularJsExportRecords } from '../../support/log-export-records.js';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { catalogRows, LOG_DB } from '../../support/employee-catalog.js';

const cli = captureCli();
const DEPT = 'CREATE TABLE [dbo].[tblDept] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptName] VARCHAR (150) NULL, [DeptDesc] VARCHAR (500) NULL);';
const DEPT_UNIT = '72057594043629568';

describeCorpus('an export lacking a table, with its layout given', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-export-ddl-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--ddl and --alloc-unit of dbo.tblDept over an export whose catalog is dbo.Employee\'s: its 13 deleted rows, as the data file and log give them', async () => {
    const records = await angularJsExportRecords(cli);
    const catalog = catalogRows({ extra: { database_name: 'Database1', database_guid: LOG_DB, family_guid: null, modify_date: '2018-01-01T00:00:00' } });
    const file = join(dir, 'export.json');
    writeFileSync(file, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog, records }));
    const ddl = join(dir, 'dept.sql');
    writeFileSync(ddl, DEPT);
    const rowsOf = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { table: string; lsn: string; values: Record<string, unknown> }).map((r) => [r.table, r.lsn, r.values]);

    const reference = await cli('scan', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--table', 'dbo.tblDept', '--format', 'ndjson', '--quiet');
    expect(reference.code, reference.stderr).toBe(0);
    expect(rowsOf(reference.stdout)).toHaveLength(13);

    const got = await cli('scan', '--export', file, '--ddl', ddl, '--alloc-unit', `dbo.tblDept=${DEPT_UNIT}`, '--format', 'ndjson');
    expect(got.stderr).not.toContain('no row of the log was on that unit');
    expect(rowsOf(got.stdout)).toEqual(rowsOf(reference.stdout));
    // named with --table: found in the layout given, not refused as "not in" the export
    const named = await cli('scan', '--export', file, '--ddl', ddl, '--alloc-unit', DEPT_UNIT, '--table', 'dbo.tblDept', '--format', 'ndjson', '--quiet');
    expect(named.code, named.stderr).toBe(0);
    expect(rowsOf(named.stdout)).toEqual(rowsOf(reference.stdout));
  });

  it('--ddl of dbo.tblDept alone over an export whose catalog also holds dbo.Employee, altered since: tblDept\'s 13 rows, and no INCOMPLETE of dbo.Employee, whose rows this scan does not read', async () => {
    const records = await angularJsExportRecords(cli);
    const ident = { database_name: 'Database1', database_guid: LOG_DB, family_guid: null };
    // SYNTHETIC catalog: dbo.Employee altered after the log's transactions, dbo.tblDept not
    const deptCols: [string, string, number, number, boolean][] = [['Id', 'int', 4, 4, false], ['DeptName', 'varchar', 150, -1, true], ['DeptDesc', 'varchar', 500, -2, true]];
    const catalog = [
      ...catalogRows({ extra: { ...ident, modify_date: '2030-01-01T00:00:00' } }),
      ...catalogRows({ cols: deptCols, objectId: 2, partitionId: '1', unit: DEPT_UNIT, extra: { ...ident, modify_date: '2018-01-01T00:00:00' } }).map((r) => ({ ...r, table_name: 'tblDept' })),
    ];
    const file = join(dir, 'export-two.json');
    writeFileSync(file, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog, records }));
    const ddl = join(dir, 'dept-only.sql');
    writeFileSync(ddl, DEPT);
    const got = await cli('scan', '--export', file, '--ddl', ddl, '--format', 'ndjson');
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout.trim().split('\n').filter(Boolean)).toHaveLength(13);
    expect(got.stderr).not.toMatch(/INCOMPLETE[^\n]*dbo\.Employee/);
    // the export scanned whole (its own catalog): dbo.Employee's ALTER is said, as before
    const whole = await cli('scan', '--export', file, '--format', 'ndjson');
    expect(whole.stderr).toMatch(/INCOMPLETE: a table was altered or rebuilt[^\n]*dbo\.Employee at 2030-01-01/);
  });
});
