/**
 * `scan --server … --ddl SCRIPT --alloc-unit SCHEMA.NAME=ID` (a live job's metadata.ddl and
 * metadata.allocUnit(s)) for a table DROPPED after the mass delete: its rows are only in the log, and
 * the server's catalog no longer holds it. The live scan query chose its allocation units through
 * the server's catalog (sys.partitions / sys.allocation_units, OBJECT_ID of the --table names) and
 * the live source filtered the rows it returned by the server's catalog too, ignoring the layout
 * given: the table's rows were never read, and the scan said "--alloc-unit maps dbo.Users to …, and
 * no row of the log was on that unit" (with a fake server that returned them anyway: beside "1 row
 * operation(s) are on units no table names: AllocUnitId …", the same unit). Now the query reads the
 * given layout's in-row units by id (sql.ts scanSql `units`), and they are decoded with the script,
 * as a scan of files does (metadata-override.ts).
 *
 * SYNTHETIC: the server's answers (no SQL Server here; test/support/fake-live-customers.ts's shapes).
 * Its catalog holds dbo.Customers alone; its log one committed transaction deleting a row of the
 * dropped dbo.Users (int UserId = 1, varchar Name 'Ann'; unit 72057594043301888). The fake server
 * answers as a real one would: the record of that unit is returned only when the query names the
 * unit itself (in the @units parameter, split on the server), since the catalog no longer does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';

const USERS_AU = '72057594043301888';
const sent = vi.hoisted(() => ({ scans: [] as Array<{ text: string; params: Array<{ name: string; value: unknown }> }> }));

vi.mock('../../src/recover/sources/live.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/sources/live.js')>();
  const { FakeLiveRunner, SERVER_INFO, customersCatalog } = await import('../support/fake-live-customers.js');
  // UserId int (4 bytes), Name varchar 'Ann': status A 0x30, fixed end 8, UserId 1, 2 columns, null bitmap 0, 1 var column ending at 18 (0x12)
  const image = Buffer.from('30000800' + '01000000' + '0200' + '00' + '0100' + '1200' + '416e6e', 'hex');
  const rec = (n: number, op: string) => ({
    log_input: 0, 'Current LSN': `0000002a:000001f0:${n.toString(16).padStart(4, '0')}`, Operation: op, Context: op === 'LOP_DELETE_ROWS' ? 'LCX_MARK_AS_GHOST' : 'LCX_NULL',
    'Transaction ID': '0000:000003e8', AllocUnitId: op === 'LOP_DELETE_ROWS' ? USERS_AU : null, 'Page ID': op === 'LOP_DELETE_ROWS' ? '0001:00000123' : null, 'Slot ID': op === 'LOP_DELETE_ROWS' ? 0 : null,
    'Offset in Row': 0, 'Modify Size': 0, Description: '', 'RowLog Contents 0': op === 'LOP_DELETE_ROWS' ? image : null, 'RowLog Contents 1': null,
    'Begin Time': '2024/03/05 14:07:09:123', 'End Time': '2024/03/05 14:07:10:000', 'Transaction Name': 'DELETE', 'Transaction SID': Buffer.from('01', 'hex'), Login: 'batchjob', SPID: 61,
  });
  class DroppedTableRunner extends FakeLiveRunner {
    async *stream(stmt: { text: string; params: Array<{ name: string; value: unknown }> }) {
      const t = stmt.text;
      if (t.includes('SYSDATETIMEOFFSET')) yield { ...SERVER_INFO, collation_name: 'SQL_Latin1_General_CP1_CI_AS' };
      else if (t.includes('system_internals_partition_columns')) yield* customersCatalog('2024-01-02T09:00:00');
      else if (t.includes('[xact]')) {
        sent.scans.push(stmt);
        // dbo.Users is in no catalog view any more: its unit is read only when the query gives it
        const named = stmt.params.some((p) => p.name === 'units' && String(p.value).split(',').includes(USERS_AU)) && t.includes("REPLACE(@units, N',', N'</u><u>')");
        yield* named ? [rec(1, 'LOP_BEGIN_XACT'), rec(2, 'LOP_DELETE_ROWS'), rec(3, 'LOP_COMMIT_XACT')] : [rec(1, 'LOP_BEGIN_XACT'), rec(3, 'LOP_COMMIT_XACT')];
      }
    }
  }
  return { ...real, openLiveSource: (o: ConstructorParameters<typeof real.LiveSource>[0]) => new real.LiveSource({ ...o, runner: new DroppedTableRunner(), startLsn: { vlf: 0x2a, block: 0x1f0, slot: 1 } }) };
});

const cli = captureCli();
const SCRIPT = 'CREATE TABLE [dbo].[Users]([UserId] [int] NOT NULL, [Name] [varchar](50) NULL, PRIMARY KEY CLUSTERED ([UserId]));\n';
let dir: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-live-dropped-'));
  ddl = join(dir, 'users.sql');
  writeFileSync(ddl, SCRIPT);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  sent.scans.length = 0;
});

const rows = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { table: string; values: Record<string, unknown> });

describe('a live scan with --ddl and --alloc-unit for a table the server no longer holds (SYNTHETIC server answers)', () => {
  for (const unit of [`dbo.Users=${USERS_AU}`, USERS_AU]) {
    it(`--alloc-unit ${unit}: the query reads that unit by id, and its row is decoded with the script`, async () => {
      const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--ddl', ddl, '--alloc-unit', unit, '--format', 'ndjson');
      expect(r.code, r.stderr).toBe(0);
      expect(rows(r.stdout).map((x) => x.values), r.stderr).toEqual([{ UserId: 1, Name: 'Ann' }]);
      expect(r.stderr).not.toContain('no row of the log was on that unit');
      expect(r.stderr).not.toContain('units no table names');
      const [scan] = sent.scans;
      expect(scan!.params.filter((p) => p.name === 'units').map((p) => p.value)).toEqual([USERS_AU]);
      // not through the catalog: OBJECT_ID of a dropped table is NULL
      expect(scan!.text).not.toContain('OBJECT_ID(');
      expect(scan!.text).not.toContain('sys.partitions');
    }, 60_000);
  }

  it('--table dbo.Users with them: the same one row', async () => {
    const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--ddl', ddl, '--alloc-unit', USERS_AU, '--table', 'dbo.Users', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(rows(r.stdout).map((x) => x.values), r.stderr).toEqual([{ UserId: 1, Name: 'Ann' }]);
  }, 60_000);

  it('without --ddl the server\'s catalog chooses, as before: dbo.Customers\' units through sys.partitions', async () => {
    const r = await cli('scan', '--server', 'Server=fake;Database=CRM', '--database', 'CRM', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(rows(r.stdout)).toEqual([]);
    expect(sent.scans[0]!.text).toContain('sys.partitions');
    expect(sent.scans[0]!.params.some((p) => p.name === 'units')).toBe(false);
  }, 60_000);

  it('a live job with metadata.ddl and metadata.allocUnit: the row staged', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', metadata: { ddl: SCRIPT, allocUnit: USERS_AU } }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const staged = store.listRows(job.id, {});
      expect(JSON.stringify(staged)).toContain('Ann');
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes.join('\n')).not.toContain('no row of the log was on that unit');
    } finally {
      store.close();
    }
  }, 60_000);
});
