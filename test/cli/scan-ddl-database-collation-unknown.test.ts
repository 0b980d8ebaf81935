/**
 * `scan --ddl` beside a data file whose boot page names a default collation rowback cannot read text
 * in (dbi_collation an id with no name in collation-ids.ts: the _UTF8 collations of SQL Server 2019+,
 * or a collation whose code page is not known). f082219f took the database's default from the boot
 * page only when it had a known code page; otherwise it fell back, without a word of the file, to the
 * old note: the script's varchar columns "are read as SQL_Latin1_General_CP1_CI_AS (code page 1252),
 * assumed as the database's default collation" — while the file given says it is another, and a
 * UTF-8 database's 'ş' prints as 'ÅŸ', re-inserted so. Now refused, naming the file, the id and
 * --collation (a job: metadata.collation); --collation given, or no column on the default: as before.
 * REAL: Northwind's data file and log (SessionShoppingCart). SYNTHETIC: the data file's copy in a temp
 * directory with its boot page's dbi_collation (page 1:9, offset 488) set to 0x0008D7FF, an id
 * rowback has no name for (not a real database's id); the script.
 */
import { copyFileSync, chmodSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const SCRIPT = 'CREATE TABLE dbo.Customers (CustomerID nchar(5) NOT NULL, CompanyName nvarchar(40) NOT NULL, ContactName varchar(30) NULL);\n';
const NVARCHAR_ONLY = 'CREATE TABLE dbo.Customers (CustomerID nchar(5) NOT NULL, CompanyName nvarchar(40) NOT NULL, ContactName nvarchar(30) NULL);\n';
let dir: string;
let mdf: string;
let ddl: string;
let ddlN: string;
const ldf = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');

describeCorpus('scan --ddl beside a data file whose default collation rowback cannot read text in: refused', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-ddl-db-collation-unknown-'));
    mdf = join(dir, 'NORTHWND.MDF');
    copyFileSync(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'), mdf);
    chmodSync(mdf, 0o600);
    // SYNTHETIC: boot page (page 9) dbi_collation → an id with no known name
    const id = Buffer.alloc(4);
    id.writeUInt32LE(0x0008d7ff);
    const fd = openSync(mdf, 'r+');
    try {
      writeSync(fd, id, 0, 4, 9 * 8192 + 488);
    } finally {
      closeSync(fd);
    }
    ddl = join(dir, 'customers.sql');
    writeFileSync(ddl, SCRIPT);
    ddlN = join(dir, 'customers-n.sql');
    writeFileSync(ddlN, NVARCHAR_ONLY);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refused, naming the file, the id and --collation; never the "assumed" 1252', async () => {
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf(), '--ddl', ddl, '--table', 'dbo.Customers');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`INPUT_BAD_OPTION: --ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Customers.ContactName) take the database's default collation, and the boot page of ${mdf} says it has collation id 579583 (0x8D7FF), which rowback does not know by name`);
    expect(r.stderr).toContain('--collation NAME');
    expect(r.stderr).not.toContain('assumed as the database\'s default collation');
    expect(r.stdout).toBe('');
  }, 60_000);

  it('--collation given: read with it, no refusal', async () => {
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf(), '--ddl', ddl, '--collation', 'Latin1_General_CI_AS', '--table', 'dbo.Customers');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('collation id 579583');
  }, 60_000);

  it('no column on the default collation (nchar/nvarchar only): no refusal', async () => {
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf(), '--ddl', ddlN, '--table', 'dbo.Customers');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('collation id 579583');
  }, 60_000);

  it('a files job with metadata.ddl: the job fails with the same refusal (metadata.collation)', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', mdf, ldf: ldf(), metadata: { ddl: SCRIPT } }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.state).toBe('failed');
      expect(done.error?.code).toBe('INPUT_BAD_OPTION');
      expect(done.error?.message).toContain('collation id 579583 (0x8D7FF), which rowback does not know by name');
      expect(done.error?.message).toContain("the job's metadata.collation");
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes.join('\n')).not.toContain('assumed as the database\'s default collation');
    } finally {
      store.close();
    }
  }, 60_000);
});
