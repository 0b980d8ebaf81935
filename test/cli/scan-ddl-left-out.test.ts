import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(r.stderr).toMatch(/why no rows: .*16 deletes on table data rows: 3 on allocation units the table metadata does not know .*; the rows of dbo\.tblDept were decoded but not printed: the layout does not fit them \(RECOVER_LAYOUT_MISMATCH above\)\n$/);
  });

  it('why no rows counts the rows its layout could not decode (a --ddl giving partition 2 its own compression: layout unreadable)', async () => {
    // before: "16 deletes on table data rows: 3 on allocation units …", the 13 DECODE_NO_COLUMNS rows untold
    const perPartition = join(dir, 'dept-per-partition.sql');
    writeFileSync(perPartition, 'CREATE TABLE dbo.tblDept (Id int NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL) WITH (DATA_COMPRESSION = PAGE ON PARTITIONS (2));\n');
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', perPartition);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/why no rows: .*16 deletes on table data rows: 3 on allocation units the table metadata does not know [^;]*; 13 row operation\(s\) of dbo\.tblDept were not decoded into rows: DECODE_NO_COLUMNS ×13 \(above\)\n$/);
  });

  it('says nothing when --table asks for the DDL\'s tables only, or with --quiet', async () => {
    for (const extra of [['--table', 'dbo.tblDept'], ['--quiet']]) {
      const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', ddl, ...extra);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('not scanned');
    }
  });
});
