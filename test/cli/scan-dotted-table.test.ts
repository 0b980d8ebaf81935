import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `rowback scan --table` of a table whose name holds a dot, beside its namesake of the same
 * `schema.name` text. REAL log: AngularJs_CRUD Database1_log.ldf (tblDept's 13 deletes on unit
 * 72057594043629568); SYNTHETIC script naming that table dbo.[tbl.Dept] and adding [dbo.tbl].Dept
 * (mapped to a SYNTHETIC unit id). The script was refused as one table created twice; --table was
 * normalised to `dbo.tbl.Dept` and matched as text (both tables). Now the bracketed forms name one
 * table by its parts, a plain `dbo.tbl.Dept` is refused in one line naming both, and rows are named
 * `[dbo].[tbl.Dept]` (stagedTableName).
 */
describeCorpus('rowback scan --table of a dotted table name (real log)', () => {
  let dir: string;
  const cli = captureCli();
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-scan-dotted-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const scan = (table: string) => {
    const ddl = join(dir, 'dotted.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.[tbl.Dept] (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL);\nCREATE TABLE [dbo.tbl].Dept (Id int NOT NULL PRIMARY KEY, Other int NULL)');
    return cli('scan', '--ldf', corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), '--ddl', ddl, '--alloc-unit', '[dbo].[tbl.Dept]=72057594043629568', '--alloc-unit', '[dbo.tbl].[Dept]=72057594049999872', '--table', table, '--quiet');
  };

  it('bracketed: that table\'s 13 deletes; its namesake: none; plain dotted text of both: refused naming both', async () => {
    for (const t of ['[dbo].[tbl.Dept]', 'dbo.[tbl.Dept]', 'DBO.[TBL.DEPT]']) {
      const r = await scan(t);
      expect(r.code, `${t}: ${r.stderr}`).toBe(0);
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { table: string });
      expect(rows.length, t).toBe(13);
      expect(new Set(rows.map((x) => x.table))).toEqual(new Set(['[dbo].[tbl.Dept]']));
    }
    const other = await scan('[dbo.tbl].[Dept]');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toBe('');
    const amb = await scan('dbo.tbl.Dept');
    expectOneLineError(amb, 'INPUT_AMBIGUOUS_NAME');
    expect(amb.code).toBe(2);
    expect(amb.stderr).toContain('table dbo.tbl.Dept is the schema.name text of 2 tables, [dbo].[tbl.Dept] and [dbo.tbl].[Dept]: give the one meant in brackets');
  });
});
