/**
 * `scan --ddl` (and a live job's metadata.ddl) against a live server: a CREATE TABLE script's
 * char/varchar/text columns without COLLATE take the database's default collation, which the server
 * says (sys.databases.collation_name, read with the server facts: sql.ts serverInfoSql). They were
 * read as SQL_Latin1_General_CP1_CI_AS (code page 1252) with a note that it was "assumed": for a
 * Turkish_CI_AS database (code page 1254) a deleted row's 'ş' printed as 'þ' — text that looks right
 * to a reader who does not know the data, and a re-insert writes it so. Now the server's default is
 * taken, said in a note naming where it was read; --collation / metadata.collation still override it.
 *
 * SYNTHETIC: the server's answers (no SQL Server here; test/support/fake-live-customers.ts's shapes:
 * its catalog holds dbo.Users, Name varchar(50) COLLATE Turkish_CI_AS), the script (the table's
 * layout as SSMS scripts it, COLLATE left out), and the row image (int UserId = 1, varchar Name = the
 * one byte 0xFE: 'ş' in code page 1254, 'þ' in 1252).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';

vi.mock('../../src/recover/sources/live.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/sources/live.js')>();
  const { FakeLiveRunner, SERVER_INFO, customersCatalog } = await import('../support/fake-live-customers.js');
  // dbo.Users in the server's catalog: UserId int, Name varchar(50) (the database's Turkish_CI_AS)
  const [c0] = customersCatalog('2024-01-02T09:00:00');
  const users = { ...c0, table_name: 'Users', object_id: 917578307, partition_id: '72057594042449920', in_row_alloc_unit_id: '72057594043301888' };
  const usersCatalog = [
    { ...users, column_name: 'UserId', is_identity: true },
    { ...users, partition_column_id: 2, column_id: 2, column_name: 'Name', type_name: 'varchar', system_type_id: 167, max_length: 50, precision: 0, scale: 0, collation_name: 'Turkish_CI_AS', is_nullable: true, leaf_offset: -1, leaf_null_bit: 2, key_ordinal: 0 },
  ];
  const image = Buffer.from('3000080001000000020000010010' + '00FE', 'hex');
  const rec = (n: number, op: string) => ({
    log_input: 0, 'Current LSN': `0000002a:000001f0:${n.toString(16).padStart(4, '0')}`, Operation: op, Context: op === 'LOP_DELETE_ROWS' ? 'LCX_CLUSTERED' : 'LCX_NULL',
    'Transaction ID': '0000:000003e8', AllocUnitId: op === 'LOP_DELETE_ROWS' ? '72057594043301888' : null, 'Page ID': op === 'LOP_DELETE_ROWS' ? '0001:00000123' : null, 'Slot ID': op === 'LOP_DELETE_ROWS' ? 0 : null,
    'Offset in Row': 0, 'Modify Size': 0, Description: '', 'RowLog Contents 0': op === 'LOP_DELETE_ROWS' ? image : null, 'RowLog Contents 1': null,
    'Begin Time': '2024/03/05 14:07:09:123', 'End Time': '2024/03/05 14:07:10:000', 'Transaction Name': 'DELETE', 'Transaction SID': Buffer.from('01', 'hex'), Login: 'batchjob', SPID: 61,
  });
  class TurkishRunner extends FakeLiveRunner {
    async *stream(stmt: { text: string }) {
      const t = stmt.text;
      // the server facts of a Turkish_CI_AS database (sys.databases.collation_name)
      if (t.includes('SYSDATETIMEOFFSET')) yield { ...SERVER_INFO, collation_name: process.env.WTR_FAKE_COLLATION === 'none' ? null : 'Turkish_CI_AS' };
      else if (t.includes('system_internals_partition_columns')) yield* usersCatalog;
      else if (t.includes('[xact]')) yield* [rec(1, 'LOP_BEGIN_XACT'), rec(2, 'LOP_DELETE_ROWS'), rec(3, 'LOP_COMMIT_XACT')];
    }
  }
  return { ...real, openLiveSource: (o: ConstructorParameters<typeof real.LiveSource>[0]) => new real.LiveSource({ ...o, runner: new TurkishRunner(), startLsn: { vlf: 0x2a, block: 0x1f0, slot: 1 } }) };
});

const cli = captureCli();
const SCRIPT = 'CREATE TABLE [dbo].[Users]([UserId] [int] IDENTITY(1,1) NOT NULL, [Name] [varchar](50) NULL, PRIMARY KEY CLUSTERED ([UserId]));\n';
let dir: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ddl-live-collation-'));
  ddl = join(dir, 'users.sql');
  writeFileSync(ddl, SCRIPT);
});
afterAll(() => {
  delete process.env.WTR_FAKE_COLLATION;
  rmSync(dir, { recursive: true, force: true });
});

const names = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { values: { Name: string } }).values.Name);

describe('scan --ddl on a live server takes the database\'s default collation from sys.databases (SYNTHETIC server answers)', () => {
  it('a Turkish_CI_AS database: the varchar byte 0xFE prints ş (code page 1254), said so; not þ (1252) "assumed"', async () => {
    const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--ddl', ddl, '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(names(r.stdout), r.stderr).toEqual(['ş']);
    expect(r.stderr).toContain("--ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Users.Name) are read as Turkish_CI_AS (code page 1254), the database's default collation (sys.databases.collation_name of CRM on fake:1433/CRM)");
    expect(r.stderr).not.toContain('assumed as the database');
  }, 60_000);

  it('--collation given: that one wins, no note', async () => {
    const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--ddl', ddl, '--collation', 'Latin1_General_CI_AS', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(names(r.stdout), r.stderr).toEqual(['þ']);
    expect(r.stderr).not.toContain('char/varchar/text column(s) without COLLATE');
  }, 60_000);

  it('a server that gives no collation (NULL): the assumed default, said as before', async () => {
    process.env.WTR_FAKE_COLLATION = 'none';
    try {
      const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--ddl', ddl, '--format', 'ndjson');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed as the database\'s default collation');
    } finally {
      delete process.env.WTR_FAKE_COLLATION;
    }
  }, 60_000);

  it('a live job with metadata.ddl: the same default, the same note (job.notes), the row staged as ş', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', metadata: { ddl: SCRIPT } }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes).toContain("metadata.ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Users.Name) are read as Turkish_CI_AS (code page 1254), the database's default collation (sys.databases.collation_name of CRM on fake:1433/CRM); if the table's columns were made under another, give it with the job's metadata.collation");
      expect(JSON.stringify(store.listRows(job.id, {}))).toContain('ş');
    } finally {
      store.close();
    }
  }, 60_000);
});
