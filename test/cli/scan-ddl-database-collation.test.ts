/**
 * `scan --ddl` beside a data file or backup: a CREATE TABLE script's char/varchar/text columns
 * without COLLATE take the database's default collation (SSMS leaves COLLATE out where it is that),
 * and the data file or backup given beside it names that collation on its boot page
 * (dbi_collation). scan read them as SQL_Latin1_General_CP1_CI_AS (code page 1252) all the same,
 * saying it "assumed" so: for a Turkish_CI_AS database (code page 1254) a deleted row's 'ş' printed
 * as 'þ', 'ğ' as 'ð', 'İ' as 'Ý' — text that looks right to a reader who does not know the data,
 * and a re-insert writes it so. Now the default is the boot page's, said as such; --collation still
 * overrides it, and without a data file the assumed default (and its note) is as before.
 * REAL: FinancialCrm's backup (SQL Server 2019, Turkish_CI_AS). SYNTHETIC: the script (a varchar
 * column for a table of that database), and the row image below (bytes written here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const SCRIPT = 'CREATE TABLE [dbo].[Users]([UserId] [int] IDENTITY(1,1) NOT NULL, [Name] [varchar](50) NULL, PRIMARY KEY CLUSTERED ([UserId]));\n';
let dir: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ddl-db-collation-'));
  ddl = join(dir, 'users.sql');
  writeFileSync(ddl, SCRIPT);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan --ddl takes the default collation from the data file or backup given with it', () => {
  const bak = () => corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak');

  it('a Turkish_CI_AS backup: the script\'s varchar columns are read as Turkish_CI_AS (code page 1254), said so', async () => {
    const r = await cli('scan', '--bak', bak(), '--ddl', ddl, '--table', 'dbo.Users', '--report', join(dir, 'r.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`--ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Users.Name) are read as Turkish_CI_AS (code page 1254), the database's default collation (boot page of ${bak()})`);
    expect(r.stderr).not.toContain('SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed');
  }, 60_000);

  it('--collation given: that one, no note', async () => {
    const r = await cli('scan', '--bak', bak(), '--ddl', ddl, '--collation', 'Latin1_General_CI_AS', '--table', 'dbo.Users');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('char/varchar/text column(s) without COLLATE');
  }, 60_000);

  it('a files job with metadata.ddl and the backup: the same default, the same note (job.notes)', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', bak: bak(), metadata: { ddl: SCRIPT } }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes).toContain(`metadata.ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Users.Name) are read as Turkish_CI_AS (code page 1254), the database's default collation (boot page of ${bak()}); if the table's columns were made under another, give it with the job's metadata.collation`);
    } finally {
      store.close();
    }
  }, 60_000);

  it('what the default decides: one varchar byte 0xFE is ş in code page 1254, þ in 1252 (SYNTHETIC row image)', () => {
    // FixedVar: status 0x30, fixed part ends at 8 (UserId = 1), 2 columns, null bitmap 0, 1 variable
    // column ending at offset 16: Name = the byte FE
    const image = Buffer.from('3000080001000000020000010010' + '00FE', 'hex');
    const turkish = layoutsFromDdl(SCRIPT, { defaultCollation: 'Turkish_CI_AS' })[0]!;
    const latin = layoutsFromDdl(SCRIPT)[0]!;
    expect(decodeRow(image, turkish).values.Name).toBe('ş');
    expect(decodeRow(image, latin).values.Name).toBe('þ');
  });
});
