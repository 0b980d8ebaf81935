/**
 * `scan --ddl` with a CREATE TABLE script of another layout whose column count and fixed part agree
 * with the rows' (2 fixed + 1 variable column where the table has 1 fixed + 2 variable: 3 columns,
 * 4 fixed bytes either way): AngularJs_CRUD's 13 deleted dbo.tblDept rows were printed as
 * {Id, Code: 0, DeptName}, every DeptDesc dropped unsaid, exit 0. The rows' second variable entry
 * belongs to no column of the layout: the table is held back (RECOVER_LAYOUT_MISMATCH), no row printed.
 * Corpus: AngularJs_CRUD Database1_log.ldf (dbo.tblDept in-row unit 72057594043629568); the script
 * is written to a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const LOG = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
const TBLDEPT = '72057594043629568';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ddl-var-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('--ddl with fewer variable-length columns than the rows hold', () => {
  it('the right script prints the 13 rows with DeptDesc', async () => {
    const ddl = join(dir, 'right.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id int NOT NULL, DeptName varchar(150), DeptDesc varchar(500));\n');
    const r = await cli('scan', '--ldf', LOG(), '--ddl', ddl, '--alloc-unit', TBLDEPT, '--format', 'ndjson');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { values: Record<string, unknown> });
    expect(rows).toHaveLength(13);
    expect(rows[0]!.values).toEqual({ Id: 6, DeptName: 'CS', DeptDesc: 'Computer Science' });
  });

  it('smallint, smallint, varchar: no row printed, RECOVER_LAYOUT_MISMATCH naming the table (it printed 13 rows with DeptDesc dropped)', async () => {
    const ddl = join(dir, 'wrong.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id smallint NOT NULL, Code smallint NOT NULL, DeptName varchar(150));\n');
    const r = await cli('scan', '--ldf', LOG(), '--ddl', ddl, '--alloc-unit', TBLDEPT, '--format', 'ndjson');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('RECOVER_LAYOUT_MISMATCH: the table layout does not fit the rows of dbo.tblDept (allocation unit 72057594043629568)');
    expect(r.stderr).toContain('0 row(s) recovered');
  });
});

describeCorpus('a layout whose extra column owns an entry the rows hold', () => {
  it('smallint, smallint, varchar, varchar: the advice no longer offers --accept-layout-drift as the fix (the rows read as predating DeptDesc, which it printed NULL), and every row it prints says so', async () => {
    const ddl = join(dir, 'four.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id smallint NOT NULL, Code smallint NULL, DeptName varchar(150), DeptDesc varchar(500));\n');
    const plain = await cli('scan', '--ldf', LOG(), '--ddl', ddl, '--alloc-unit', TBLDEPT, '--format', 'ndjson');
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain('--accept-layout-drift would print their values read through this wrong layout');
    expect(plain.stderr).not.toContain('rerun with --accept-layout-drift');
    // the override asked for anyway: printed, each row naming the entry no column of the layout owns
    const r = await cli('scan', '--ldf', LOG(), '--ddl', ddl, '--alloc-unit', TBLDEPT, '--format', 'ndjson', '--accept-layout-drift');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { warnings: string[] });
    expect(rows).toHaveLength(13);
    for (const row of rows) expect(row.warnings).toContainEqual(expect.stringContaining("(DeptDesc's slot, null bit 3: past the record's column count 3)"));
  });

  it('Id smallint, then a smallint Code "added later" where Id\'s int has its upper half: the same (it offered --accept-layout-drift, which printed Code NULL)', async () => {
    const ddl = join(dir, 'code-last.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id smallint NOT NULL, DeptName varchar(150), DeptDesc varchar(500), Code smallint NULL);\n');
    const plain = await cli('scan', '--ldf', LOG(), '--ddl', ddl, '--alloc-unit', TBLDEPT, '--format', 'ndjson');
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain('--accept-layout-drift would print their values read through this wrong layout');
    expect(plain.stderr).not.toContain('rerun with --accept-layout-drift');
    const r = await cli('scan', '--ldf', LOG(), '--ddl', ddl, '--alloc-unit', TBLDEPT, '--format', 'ndjson', '--accept-layout-drift');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { warnings: string[] });
    expect(rows).toHaveLength(13);
    for (const row of rows) expect(row.warnings).toContainEqual(expect.stringContaining("holds the slot of column Code (leaf offset 6, 2 bytes, null bit 3), past the record's column count 3"));
  });
});
