/**
 * The database's creation date when the table metadata comes from --ddl/--schema. Suspected: the
 * creation (boot page dbi_crdate) comes with metadata(), which --ddl/--schema replace, so `scan
 * --mdf Database1.mdf --ldf Database1_log.ldf --ddl D --from 2017-12-01 --to 2018-01-20`
 * (AngularJs_CRUD, created 2018-01-31 15:04:49.670) or `scan --bak FinancialCrmDb202501190233.bak
 * --ddl CreateDatabase_FinancialCrmDb.sql --from 2025-01-18 --to 2025-01-19T02:10` (created
 * 02:11:34.897) would be INCOMPLETE for a window before the database existed. Checked: it is not so
 * (withMetadata, metadata-override.ts, reads the files' own metadata to merge, and the creation with
 * it). This pins it. A --trn alone tells no creation (window-before-log.ts windowBeforeLogStartClause).
 *
 * REAL: AngularJs_CRUD (mdf + ldf), FinancialCrm (full backup + its DDL script).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const F = (f: string) => corpusPath('FinancialCrm', 'FinancialCrmDb', f);
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));
let dir: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-created-override-'));
  ddl = join(dir, 'angular.sql');
  // the two tables of Database1.mdf the log touches (as in test/reconstruct/metadata/ddl-vs-datafile.test.ts)
  writeFileSync(ddl, [
    'CREATE TABLE [dbo].[Employee] ([Emp_Id] INT IDENTITY (1, 1) NOT NULL, [Emp_Name] VARCHAR (MAX) NULL, [Emp_City] VARCHAR (MAX) NULL, [Emp_Age] INT NULL, PRIMARY KEY CLUSTERED ([Emp_Id] ASC));',
    'CREATE TABLE [dbo].[tblDept] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptName] VARCHAR (150) NULL, [DeptDesc] VARCHAR (500) NULL);',
  ].join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan --ddl beside a data file or backup: the window is judged from the database\'s creation', () => {
  it('a window before the database existed says nothing (exit 0 under --strict), with --mdf + --ldf and with --bak', async () => {
    const runs = [
      ['--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', ddl, '--from', '2017-12-01', '--to', '2018-01-20'],
      ['--bak', F('FinancialCrmDb202501190233.bak'), '--ddl', F('CreateDatabase_FinancialCrmDb.sql'), '--from', '2025-01-18', '--to', '2025-01-19T02:10'],
    ];
    for (const args of runs) {
      const r = await cli('scan', ...args, '--quiet', '--strict');
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(incomplete(r.stderr)).toEqual([]);
    }
  }, 60_000);

  it('a window from after the creation but before the log read still INCOMPLETE, naming the creation', async () => {
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', ddl, '--from', '2018-03-01', '--to', '2018-08-29', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(11);
    const lines = incomplete(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('its first transaction began at 2018-08-26T21:19:07.573 (the SQL Server\'s local time; the database was created at 2018-01-31T15:04:49.670)');
  }, 60_000);
});
