/**
 * `scan --ddl` beside a data file whose boot page names the database's default collation by an id
 * rowback has no name for (collation-ids.ts: a `_UTF8` collation of SQL Server 2019 on, or any id
 * outside the list): the script's char/varchar/text columns without COLLATE were read as
 * SQL_Latin1_General_CP1_CI_AS (code page 1252) with the note that this was "assumed as the
 * database's default collation" — while the data file had said it is another. Now it is refused
 * (as breaker Q's scan-ddl-database-collation-unknown, session 44), naming what the boot page holds,
 * that rowback does not know it by name, and how to give the name (--collation); nothing is printed.
 * SYNTHETIC: a copy (in a temp folder) of the REAL AngularJs_CRUD Database1.mdf whose boot page's
 * dbi_collation (@488) is 2147483647 (an id with no name), its page checksum recomputed; the script.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageChecksum } from '../../src/datafile/page.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy } from '../support/damaged-copy.js';

const cli = captureCli();
const SCRIPT = 'CREATE TABLE [dbo].[tblDept]([Id] [int] IDENTITY(1,1) NOT NULL, [DeptName] [varchar](50) NULL, [DeptDesc] [varchar](100) NULL, PRIMARY KEY CLUSTERED ([Id]));\n';
let dir: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ddl-unnamed-collation-'));
  ddl = join(dir, 'dept.sql');
  writeFileSync(ddl, SCRIPT);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan --ddl beside a data file whose default collation id has no known name', () => {
  it('refused naming the id and that it is not known by name, never read as the "assumed" 1252', async () => {
    const mdf = damagedCopy(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), join(dir, 'Database1.mdf'), (b) => {
      const boot = 9 * 8192;
      b.writeInt32LE(2147483647, boot + 488);
      b.writeUInt32LE(pageChecksum(new Uint8Array(b.buffer, b.byteOffset + boot, 8192)), boot + 60);
    });
    const r = await cli('scan', '--mdf', mdf, '--ldf', corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), '--ddl', ddl, '--table', 'dbo.tblDept');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`INPUT_BAD_OPTION: --ddl: 2 char/varchar/text column(s) without COLLATE (dbo.tblDept.DeptName, dbo.tblDept.DeptDesc) take the database's default collation, and the boot page of ${mdf} says it has collation id 2147483647 (0x7FFFFFFF), which rowback does not know by name`);
    expect(r.stderr).toContain('Give the collation with --collation NAME');
    expect(r.stderr).not.toContain('assumed as the database');
    // inspect of that data file says the id, not '-' alone as if it held none
    const i = await cli('inspect', mdf);
    expect(i.stdout.split('\n').find((l) => l.startsWith('collation '))).toContain('- (collation id 2147483647: a name rowback does not know; SELECT DATABASEPROPERTYEX(');
  }, 60_000);
});
