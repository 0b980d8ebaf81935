/**
 * `rowback inspect NORTHWND.MDF` printed "version 655 (SQL Server 2008), created as 539": the
 * version it is in named, the one it was created in a bare number a DBA has to look up. Now both
 * are named from one table (datafile/boot-page.ts DBI_VERSIONS), in the text and in --format json
 * (`createProduct`). REAL: NORTHWND.MDF (dbi_version 655, dbi_createVersion 539), School.mdf (852, 706).
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('inspect names the SQL Server version a data file was created in', () => {
  it('NORTHWND.MDF: created as 539 (SQL Server 2000); School.mdf: created as 706 (SQL Server 2012)', async () => {
    const n = await cli('inspect', corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'));
    expect(n.code, n.stderr).toBe(0);
    expect(n.stdout).toMatch(/\nversion +655 \(SQL Server 2008\), created as 539 \(SQL Server 2000\)\n/);
    const s = await cli('inspect', corpusPath('sql-practice-asp/App_Data/School.mdf'));
    expect(s.stdout).toMatch(/\nversion +852 \(SQL Server 2016\), created as 706 \(SQL Server 2012\)\n/);
    const j = await cli('inspect', corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'), '--format', 'json');
    expect(j.code, j.stderr).toBe(0);
    const r = JSON.parse(j.stdout) as { version: number; product: string; createVersion: number; createProduct: string };
    expect([r.version, r.product, r.createVersion, r.createProduct]).toEqual([655, 'SQL Server 2008', 539, 'SQL Server 2000']);
  }, 60_000);
});
