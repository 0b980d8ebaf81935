import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';

/** `rowback scan` end to end through main(), on the corpus's AngularJs_CRUD data file and log. */
const MDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
const LDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');

let dir: string;
const cli = captureCli();
const run = (...args: string[]) => cli('scan', ...args);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-'));
});

describeCorpus('rowback scan on files', () => {
  it('prints every committed delete as NDJSON with who/when and the raw image', async () => {
    const r = await run('--mdf', MDF(), '--ldf', LDF(), '--report', join(dir, 'report.json'));
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as RecoveredRow);
    expect(rows).toHaveLength(16);
    expect(new Set(rows.map((x) => x.operation))).toEqual(new Set(['delete']));
    const counts = rows.reduce<Record<string, number>>((a, x) => ((a[x.table] = (a[x.table] ?? 0) + 1), a), {});
    expect(counts).toEqual({ 'dbo.tblDept': 13, 'dbo.Employee': 3 });
    for (const x of rows) {
      expect(x.lsn).toMatch(/^[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}$/);
      expect(x.beginTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
      expect(x.transactionId).toMatch(/^[0-9a-f]{4}:[0-9a-f]{8}$/i);
      expect(x.raw).toMatch(/^[0-9A-F]+$/);
      expect(x.sid).toMatch(/^0x[0-9A-F]+$/);
    }
    const emp = rows.filter((x) => x.table === 'dbo.Employee');
    expect(Object.keys(emp[0].values)).toEqual(['Emp_Id', 'Emp_Name', 'Emp_City', 'Emp_Age']);
    expect(r.stderr).toContain('16 row(s) recovered');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.rowsPerTable).toEqual(counts);
  });

  it('INCOMPLETE is said also with --quiet (a chain missing the log backup after the full: rows of that stretch are not in the result), and only then', async () => {
    const R = (f: string) => corpusPath(`appveyor-lab/RestoreTimeClean/${f}`);
    const gap = await run('--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_3.trn'), '--op', 'insert', '--quiet', '--report', join(dir, 'r.json'));
    expect(gap.code).toBe(0);
    expect(gap.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: .*FORMAT_LOG_CHAIN_GAP/)]);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).complete).toBe(false);
    const whole = await run('--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_3.trn'), '--op', 'insert', '--quiet');
    expect(whole.stderr).toBe('');
    expect(whole.stdout.trim().split('\n')).toHaveLength(30);
  });

  it('filters by table and window; the window is on the transaction Begin Time', async () => {
    const all = (await run('--mdf', MDF(), '--ldf', LDF(), '--quiet')).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as RecoveredRow);
    const times = all.map((x) => x.beginTime!).sort();
    const mid = times[Math.floor(times.length / 2)];
    const r = await run('--mdf', MDF(), '--ldf', LDF(), '--quiet', '--from', mid, '--table', 'dbo.tblDept');
    const rows = r.stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as RecoveredRow);
    const want = all.filter((x) => x.table === 'dbo.tblDept' && x.beginTime! >= mid);
    expect(rows.map((x) => x.lsn)).toEqual(want.map((x) => x.lsn));
    expect(r.stderr).toBe('');
  });

  it('writes CSV with one column per value for a single table', async () => {
    const out = join(dir, 'emp.csv');
    const r = await run('--mdf', MDF(), '--ldf', LDF(), '--table', 'dbo.Employee', '--format', 'csv', '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const [header, ...body] = parse(readFileSync(out, 'utf8')) as string[][];
    expect(header).toEqual(expect.arrayContaining(['lsn', 'Emp_Id', 'Emp_Name', 'Emp_City', 'Emp_Age', 'raw']));
    expect(body).toHaveLength(3);
  });

  it('names an unknown table and lists the known ones', async () => {
    expect(expectOneLineError(await run('--mdf', MDF(), '--ldf', LDF(), '--table', 'dbo.Nope'), 'INPUT_UNKNOWN_TABLE')).toContain('dbo.tblDept');

  });
});

describe('rowback scan: bad input', () => {
  it('needs a source', async () => expectOneLineError(await run('--from', '2020-01-01'), 'INPUT_NO_SOURCE'));
  it('takes one source family', async () => expectOneLineError(await run('--ldf', 'x.ldf', '--export', 'y.json'), 'INPUT_BAD_OPTION'));
  it('rejects a reversed window', async () => expectOneLineError(await run('--ldf', 'x.ldf', '--from', '2020-01-02', '--to', '2020-01-01'), 'INPUT_BAD_WINDOW'));
  it('rejects a bad --op', async () => expectOneLineError(await run('--ldf', 'x.ldf', '--op', 'truncate'), 'INPUT_BAD_OPTION'));
  it('refuses --threads with a line break in one line (the value echoed escaped)', async () => {
    const err = expectOneLineError(await run('--ldf', LDF(), '--threads', '1\nrowback: forged'), 'INPUT_BAD_OPTION');
    expect(err).toContain('\\u{a}');
  });
  it.each(['0x2', '1e1', ' 2', '2.0', '0', '257', 'abc', ''])('refuses --threads %j (a plain whole number only)', async (v) => {
    expectOneLineError(await run('--ldf', LDF(), '--threads', v), 'INPUT_BAD_OPTION');
  });
  it('rejects a time with a zone', async () => expectOneLineError(await run('--ldf', 'x.ldf', '--from', '2020-01-01T00:00:00Z'), 'INPUT_BAD_TIME'));
  it('names a file that is not a log', async () => {
    const f = join(dir, 'not-a-log.ldf');
    writeFileSync(f, Buffer.alloc(20000, 7));
    const r = await run('--ldf', f, '--schema', join(dir, 'missing.json'));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/INPUT_|FORMAT_/);
  });
});

describe('rowback scan: unreadable files', () => {
  it('names the flag and the missing file', async () => {
    const r = await run('--ldf', join(dir, 'gone.ldf'));
    expectOneLineError(r, 'INPUT_FILE_UNREADABLE');
    expect(r.stderr).toContain('--ldf');
    expect(r.stderr).toContain('gone.ldf: no such file');
  });
  it('refuses a directory', async () => expectOneLineError(await run('--trn', dir), 'INPUT_FILE_UNREADABLE'));
});

describeCorpus('rowback scan: log only, metadata from DDL', () => {
  const DDL = 'CREATE TABLE dbo.tblDept (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL)';
  it('recovers the deletes with --alloc-unit, the same as with the data file', async () => {
    const ddl = join(dir, 'dept.sql');
    writeFileSync(ddl, DDL);
    const withMdf = (await run('--mdf', MDF(), '--ldf', LDF(), '--table', 'dbo.tblDept', '--quiet')).stdout;
    const r = await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', '72057594043629568', '--quiet');
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as RecoveredRow);
    expect(rows).toHaveLength(13);
    expect(rows.map((x) => x.values)).toEqual(withMdf.trimEnd().split('\n').map((l) => (JSON.parse(l) as RecoveredRow).values));
  });
  it('explains what is missing without --alloc-unit', async () => {
    const ddl = join(dir, 'dept.sql');
    writeFileSync(ddl, DDL);
    // with the log alone, where the ids are said (it was a dead end for a newcomer)
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl), 'INPUT_NO_ALLOC_UNIT')).toContain('give --alloc-unit ID (the ids the log holds: `rowback log LOG --operation LOP_DELETE_ROWS --format csv`, its AllocUnitId column; ');
    expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'abc'), 'INPUT_BAD_OPTION');
  });
  // A script of the whole schema (as a vendor ships it): --alloc-unit was ignored when the script held
  // more than one table, and the scan was refused INPUT_NO_ALLOC_UNIT listing every table, --table
  // or not, without a word on why the id given was not used.
  const WHOLE = `${DDL};\nCREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(50) NULL, Emp_City varchar(50) NULL, Emp_Age int NULL)`;
  it('--alloc-unit with a script of several tables: maps the one --table names', async () => {
    const ddl = join(dir, 'whole.sql');
    writeFileSync(ddl, WHOLE);
    const r = await run('--ldf', LDF(), '--ddl', ddl, '--table', 'tblDept', '--alloc-unit', '72057594043629568', '--quiet');
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as RecoveredRow);
    expect(rows).toHaveLength(13);
    expect(rows.every((x) => x.table === 'dbo.tblDept')).toBe(true);
  });
  it('--alloc-unit SCHEMA.NAME=ID for each table of a script: every table in one scan, the rows the data file gives (it took one scan per table)', async () => {
    const ddl = join(dir, 'whole.sql');
    writeFileSync(ddl, WHOLE);
    const withMdf = (await run('--mdf', MDF(), '--ldf', LDF(), '--quiet')).stdout;
    const r = await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', '[dbo].[tblDept]=72057594043629568', '--alloc-unit', 'Employee=72057594043432960', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as RecoveredRow);
    const ref = withMdf.trimEnd().split('\n').map((l) => JSON.parse(l) as RecoveredRow);
    expect(rows.length).toBe(16);
    expect(rows.map((x) => [x.table, x.lsn, x.values])).toEqual(ref.map((x) => [x.table, x.lsn, x.values]));
    // with --table, only that table of the script
    const one = await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'dbo.tblDept=72057594043629568', '--alloc-unit', 'dbo.Employee=72057594043432960', '--table', 'dbo.Employee', '--quiet');
    expect(one.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as RecoveredRow).table)).toEqual(['dbo.Employee', 'dbo.Employee', 'dbo.Employee']);
    // a table left unmapped, a name the script lacks, one unit for two tables, a table twice, plain and named mixed, two plain ids
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'dbo.tblDept=72057594043629568'), 'INPUT_NO_ALLOC_UNIT')).toContain('nothing maps dbo.Employee to one: give --alloc-unit SCHEMA.NAME=ID for each (repeated), or --table SCHEMA.NAME for the ones to scan');
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'dbo.Dept=1'), 'INPUT_UNKNOWN_TABLE')).toMatch(/table dbo\.Dept is not in --ddl \S*whole\.sql; known tables: dbo\.tblDept, dbo\.Employee/);
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'tblDept=7', '--alloc-unit', 'Employee=7'), 'INPUT_BAD_OPTION')).toContain('--alloc-unit gives 7 to both dbo.tblDept and dbo.Employee');
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'tblDept=7', '--alloc-unit', 'dbo.tblDept=8'), 'INPUT_BAD_OPTION')).toContain('--alloc-unit names dbo.tblDept twice (7 and 8)');
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', '7', '--alloc-unit', 'Employee=8'), 'INPUT_BAD_OPTION')).toContain('name the table of each (SCHEMA.NAME=7)');
    // two plain ids: the first was dropped unsaid (a value option given twice took the last)
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', '7', '--alloc-unit', '8'), 'INPUT_BAD_OPTION')).toContain('--alloc-unit 7 and 8: an id alone maps the one table of the script');
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'tblDept=x'), 'INPUT_BAD_OPTION')).toContain("--alloc-unit 'tblDept=x' is not an AllocUnitId");
  });

  it('--alloc-unit with a mistyped id (a digit off): a note, said with --quiet, naming the table, the id and the units no table names (its rows went missing without a word)', async () => {
    const ddl = join(dir, 'whole.sql');
    writeFileSync(ddl, WHOLE);
    const r = await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'dbo.tblDept=72057594043629567', '--alloc-unit', 'Employee=72057594043432960', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain('rowback scan: note: --alloc-unit maps dbo.tblDept to 72057594043629567, and no row of the log was on that unit, while 13 row operation(s) are on units no table names: AllocUnitId 72057594043629568 ×13');
    // the right id: no such note
    const ok = await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'dbo.tblDept=72057594043629568', '--alloc-unit', 'Employee=72057594043432960', '--quiet');
    expect(ok.stderr).not.toContain('no row of the log was on that unit');
  });

  it('--alloc-unit with a script of several tables and no one --table: one line saying to name it', async () => {
    const ddl = join(dir, 'whole.sql');
    writeFileSync(ddl, WHOLE);
    const line = expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--alloc-unit', '72057594043629568'), 'INPUT_BAD_OPTION');
    expect(line).toMatch(/--alloc-unit 72057594043629568 maps one table to its allocation unit, and --ddl \S*whole\.sql gives 2 tables: name the one it belongs to with --table SCHEMA\.NAME, or give SCHEMA\.NAME=ID for each table$/m);
    expect(expectOneLineError(await run('--ldf', LDF(), '--ddl', ddl, '--table', 'dbo.tblDep', '--alloc-unit', '72057594043629568'), 'INPUT_UNKNOWN_TABLE')).toMatch(/table dbo\.tblDep is not in --ddl \S*whole\.sql; known tables: dbo\.tblDept, dbo\.Employee/);
  });
});
