import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * Rows printed with warnings are counted in scan's summary and report: a warning sat only inside each
 * row's "warnings" (the last CSV column before raw), and stderr said "3 row(s) recovered" alone
 * (newcomer trial). Real rows: AngularJs_CRUD's 3 deleted dbo.Employee rows, read with a script that
 * declares Emp_Name varchar(200) where the data file has varchar(max) (each row names the difference).
 */
const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-warned-rows-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan: rows carrying warnings are said', () => {
  const mdf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const ldf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

  it('a script differing from the catalog: "3 of the 3 row(s) carry warnings" on stderr and rowsWithWarnings in the report; the catalog alone: neither', async () => {
    const ddl = join(dir, 'employee.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(200), Emp_City varchar(max), Emp_Age int);\n');
    const report = join(dir, 'r.json');
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', ddl, '--table', 'dbo.Employee', '--report', report);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('rowback scan: 3 of the 3 row(s) carry warnings (each in its "warnings"): a value may be wrong or missing there; read them before re-inserting those rows\n');
    expect((JSON.parse(readFileSync(report, 'utf8')) as { rowsWithWarnings: number }).rowsWithWarnings).toBe(3);
    const plain = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--table', 'dbo.Employee', '--report', report);
    expect(plain.stderr).not.toContain('carry warnings');
    expect((JSON.parse(readFileSync(report, 'utf8')) as { rowsWithWarnings: number }).rowsWithWarnings).toBe(0);
  });

  it('--strict: rows with warnings exit 3 (the same stdout and stderr as without it); the line is said with --quiet too; the catalog alone: 0', async () => {
    const ddl = join(dir, 'employee-strict.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(200), Emp_City varchar(max), Emp_Age int);\n');
    const args = ['scan', '--mdf', mdf(), '--ldf', ldf(), '--ddl', ddl, '--table', 'dbo.Employee'];
    const plain = await cli(...args);
    expect(plain.code).toBe(0);
    const strict = await cli(...args, '--strict');
    expect(strict.code, strict.stderr).toBe(3);
    expect(strict.stdout).toBe(plain.stdout);
    expect(strict.stderr).toBe(plain.stderr);
    const quiet = await cli(...args, '--strict', '--quiet');
    expect(quiet.code).toBe(3);
    expect(quiet.stderr).toContain('rowback scan: 3 of the 3 row(s) carry warnings');
    // CSV: the reader is sent to the column
    const csv = await cli(...args, '--format', 'csv', '--quiet');
    expect(csv.stderr).toContain('rowback scan: 3 of the 3 row(s) carry warnings (each in its "warnings" column)');
    const clean = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--table', 'dbo.Employee', '--strict');
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout.trim().split('\n')).toHaveLength(3);
  });
});
