import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { parseAllocUnits } from '../../src/cli/commands/scan.js';
import { jobAllocUnitIds } from '../../src/worker/job-spec.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

/**
 * An AllocUnitId given with leading zeros ('072057594043629568', as a spreadsheet or a padded
 * column gives it) matched no log record's AllocUnitId (the log prints 72057594043629568): the
 * table's 13 deletes were "on allocation units the table metadata does not know", a note alone,
 * not said with --quiet, exit 0 with --strict. Two spellings of one id escaped the "one unit for
 * two tables" check. `rowback log --alloc-unit` already took the number. REAL files:
 * AngularJs_CRUD Database1_log.ldf.
 */
const LDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
const WHOLE = `CREATE TABLE [dbo].[tblDept] ([Id] INT IDENTITY (1, 1) NOT NULL PRIMARY KEY, [DeptName] VARCHAR (150) NULL, [DeptDesc] VARCHAR (500) NULL);
CREATE TABLE [dbo].[Employee] ([Emp_Id] INT IDENTITY (1, 1) NOT NULL, [Emp_Name] VARCHAR (MAX) NULL, [Emp_City] VARCHAR (MAX) NULL, [Emp_Age] INT NULL, PRIMARY KEY CLUSTERED ([Emp_Id] ASC))`;
const cli = captureCli();

describe('--alloc-unit / metadata.allocUnits ids are numbers', () => {
  it('parseAllocUnits drops leading zeros', () => {
    expect(parseAllocUnits(['dbo.T=0072057594043629568'])).toEqual([{ table: 'dbo.T', id: '72057594043629568' }]);
    expect(parseAllocUnits(['072057594043629568'])).toEqual([{ id: '72057594043629568' }]);
  });
  it('jobAllocUnitIds drops leading zeros, and one id spelled twice is still one unit for two tables', () => {
    const l = (name: string): TableLayout => ({ schema: 'dbo', name, indexId: 1, compression: 'NONE', columns: [] });
    expect(jobAllocUnitIds({ allocUnit: '0072057594043629568' } as never, [l('A')]).get('dbo.A')).toBe('72057594043629568');
    expect(() => jobAllocUnitIds({ allocUnits: { A: '7', B: '07' } } as never, [l('A'), l('B')])).toThrow(/allocation unit 7 is given to both dbo\.A and dbo\.B/);
  });
});

describeCorpus('scan --alloc-unit with leading zeros (REAL log)', () => {
  it('reads the table\'s rows; one id spelled twice is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-au0-'));
    const ddl = join(dir, 'whole.sql');
    writeFileSync(ddl, WHOLE);
    const r = await cli('scan', '--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'Employee=72057594043432960', '--alloc-unit', 'tblDept=072057594043629568', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((x) => JSON.parse(x) as { table: string });
    expect(rows.filter((x) => x.table === 'dbo.tblDept')).toHaveLength(13);
    expect(rows).toHaveLength(16);
    expect(expectOneLineError(await cli('scan', '--ldf', LDF(), '--ddl', ddl, '--alloc-unit', 'tblDept=7', '--alloc-unit', 'Employee=007'), 'INPUT_BAD_OPTION')).toContain('--alloc-unit gives 7 to both dbo.tblDept and dbo.Employee');
  });
});
