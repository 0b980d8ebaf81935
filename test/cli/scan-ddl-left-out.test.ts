import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `scan --mdf … --ldf … --ddl ONE_TABLE.sql`: the DDL's layouts replace the data file's, so only
 * the tables it names are scanned. AngularJs_CRUD's log deletes 13 dbo.tblDept rows and 3
 * dbo.Employee rows; with a DDL of tblDept alone the 3 Employee rows went unprinted and unsaid
 * (the summary read "13 row(s) recovered, dbo.tblDept: 13"). Now a note names the tables left out.
 */
const cli = captureCli();
let dir: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ddl-left-out-'));
  ddl = join(dir, 'dept.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id int NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan --ddl naming fewer tables than the data file', () => {
  const mdf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const ldf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

  it('names the data file\'s tables it does not scan', async () => {
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', ddl);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(13);
    expect(r.stderr).toContain('rowback scan: note: --ddl gives the layout of 1 table(s); the 1 other table(s) of the data file are not scanned');
    expect(r.stderr).toContain(': dbo.Employee. To recover them too, scan again without --ddl');
  });

  it('why no rows names the table whose rows the layout check held back (a varchar(1) DeptName)', async () => {
    // before: "it holds 16 deletes on table data rows: 3 on allocation units …", the other 13 untold
    const narrow = join(dir, 'dept-narrow.sql');
    writeFileSync(narrow, 'CREATE TABLE dbo.tblDept (Id int NOT NULL PRIMARY KEY, DeptName varchar(1) NULL, DeptDesc varchar(500) NULL);\n');
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', narrow);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/why no rows: .*16 deletes on table data rows: 3 on allocation units the table metadata does not know .*; the rows of dbo\.tblDept were decoded but not printed: the layout does not fit them \(RECOVER_LAYOUT_MISMATCH above\)\n/);
    // and, as rows left out of the result, INCOMPLETE
    expect(r.stderr).toMatch(/\nrowback scan: INCOMPLETE: the rows of dbo\.tblDept were decoded but not printed: the table layout does not fit them .*\n$/);
  });

  it('why no rows counts the rows its layout could not decode (a --ddl giving partition 2 its own compression: layout unreadable)', async () => {
    // before: "16 deletes on table data rows: 3 on allocation units …", the 13 DECODE_NO_COLUMNS rows untold
    const perPartition = join(dir, 'dept-per-partition.sql');
    writeFileSync(perPartition, 'CREATE TABLE dbo.tblDept (Id int NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL) WITH (DATA_COMPRESSION = PAGE ON PARTITIONS (2));\n');
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', perPartition);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/why no rows: .*16 deletes on table data rows: 3 on allocation units the table metadata does not know [^;]*; 13 row operation\(s\) of dbo\.tblDept were not decoded into rows: DECODE_NO_COLUMNS ×13 \(above\)\n/);
    // the 13 rows are missing from the result: INCOMPLETE, as for rows of lost log
    expect(r.stderr).toMatch(/\nrowback scan: INCOMPLETE: 13 row operation\(s\) of dbo\.tblDept could not be decoded into rows \(DECODE_NO_COLUMNS ×13\): those rows are not printed; each is a skipped item with its LSN, reason and row image \(above, also in --report\)\n$/);
  });

  it('says nothing when --table asks for the DDL\'s tables only, or with --quiet', async () => {
    for (const extra of [['--table', 'dbo.tblDept'], ['--quiet']]) {
      const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', ddl, ...extra);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('not scanned');
    }
  });
});

describeCorpus('scan: a table whose rows the layout check held back is INCOMPLETE', () => {
  // Newcomer trial: a script of dbo.Employee with a column added after the delete (Emp_Dept) held
  // its 3 deleted rows back (RECOVER_LAYOUT_MISMATCH): 0 rows, exit 0 under --strict, nothing on
  // stderr with --quiet, "complete": true in --report. Real rows: AngularJs_CRUD's log.
  const ldf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  const args = () => ['scan', '--ldf', ldf(), '--ddl', join(dir, 'emp-added.sql'), '--alloc-unit', '72057594043432960'];
  beforeAll(() => {
    writeFileSync(join(dir, 'emp-added.sql'), 'CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(max), Emp_City varchar(max), Emp_Age int, Emp_Dept int NULL);\n');
  });

  it('said with --quiet, exit 3 with --strict (0 without), "complete": false in --report; --accept-layout-drift prints the 3 rows, whole', async () => {
    const report = join(dir, 'held.json');
    const q = await cli(...args(), '--quiet', '--strict', '--report', report);
    expect(q.code).toBe(3);
    expect(q.stdout).toBe('');
    expect(q.stderr).toBe('rowback scan: INCOMPLETE: the rows of dbo.Employee were decoded but not printed: the table layout does not fit them (why, and what to do: the RECOVER_LAYOUT_MISMATCH item of the summary (without --quiet) and of --report)\n');
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; skipped: { code: string }[] };
    expect(rep.complete).toBe(false);
    expect(rep.skipped.map((s) => s.code)).toEqual(['RECOVER_LAYOUT_MISMATCH']);
    const plain = await cli(...args());
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/^rowback scan: INCOMPLETE: the rows of dbo\.Employee were decoded but not printed: .*the RECOVER_LAYOUT_MISMATCH item above \(also in --report\)\)$/m);
    const drift = await cli(...args(), '--accept-layout-drift', '--strict', '--report', report);
    expect(drift.stdout.trim().split('\n')).toHaveLength(3);
    expect(drift.stderr).not.toContain('INCOMPLETE');
    expect((JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean }).complete).toBe(true);
    // the rows predate Emp_Dept: each says so, so --strict exits 3 for the warned rows, not for INCOMPLETE
    expect(drift.code).toBe(3);
    expect(drift.stderr).toContain('rowback scan: 3 of the 3 row(s) carry warnings');
  });
});
