/**
 * `scan --export FILE` (and an export job) of a table rebuilt after its rows were deleted.
 * sql/export-log-records.sql keeps the log records of the allocation units the tables have when it
 * runs (sys.allocation_units joined to sys.partitions, index_id 0/1); ALTER INDEX … REBUILD gives the
 * clustered index new ones, and the deletes of before it, on the earlier units, are not in the file:
 * a mass delete at 09:00, the nightly rebuild at 02:00, an export the next morning gave the later
 * rows as the whole answer, exit 0 under --strict. The export's catalog carries the table's
 * sys.objects.modify_date (moved by the rebuild): at or after the window's start (or, without
 * --from, where the log read begins) the result is INCOMPLETE (rebuilt-tables.ts); a table modified
 * before it is not said.
 *
 * Everything here is SYNTHETIC: hand-built export files (records, row image, catalog) shaped like
 * what the script writes, in a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-rebuilt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));

// One committed delete at 08:00 on 2024-03-06, on the units dbo.Customers has after its rebuild (SYNTHETIC)
const RECORDS = [
  exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/06 08:00:00:000', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61 }),
  exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
  exportRecord('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/06 08:00:00:500' }),
];
// the online log read from 2024-03-05 08:55 (the mass delete at 09:00 is in it, on the earlier units)
const LOG_READ = { firstLsn: '00000029:00000010:0001', lastLsn: '0000002a:00000310:0002', firstBeginTime: '2024/03/05 08:55:00:000', lastBeginTime: '2024/03/06 08:30:00:000', lastEndTime: '2024/03/06 08:30:00:200' };
const HEADER = {
  format: 'rowback-export', version: 2, server: 'SQL01', database: 'CRM', serverTimeZone: '+01:00', exportedAt: '2024-03-06T09:00:00.1234567+01:00',
  window: { from: null, to: null }, tables: null, operations: 'delete', logSource: 'fn_dblog', logBackup: null, logBackupSet: null, logRead: LOG_READ,
};
/** dbo.Customers rebuilt at 02:00 on 2024-03-06 (its modify_date), unless `modified` says otherwise. */
function jsonExport(name: string, over: Record<string, unknown> = {}, modified = '2024-03-06T02:00:00.447'): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ ...HEADER, ...over, records: RECORDS, catalog: customersCatalog().map((r) => ({ ...r, modify_date: modified })) }));
  return f;
}

describe('scan --export: a table rebuilt inside the stretch asked for', () => {
  it('--from before the rebuild: the row is printed, INCOMPLETE naming the table and its modify_date, exit 3 with --strict, report complete false', async () => {
    const f = jsonExport('from-before');
    const report = join(dir, 'from-before.report.json');
    const r = await cli('scan', '--export', f, '--from', '2024-03-05T09:00', '--quiet', '--strict', '--report', report, '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const lines = incomplete(r.stderr).filter((l) => l.includes('altered or rebuilt'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("a table was altered or rebuilt at or after the window's start (--from 2024-03-05T09:00:00.000): dbo.Customers at 2024-03-06T02:00:00.447 (sys.objects.modify_date");
    expect(lines[0]).toContain('this export does not hold (sql/export-log-records.sql kept the log records of the allocation units the tables had when it ran');
    expect(lines[0]).toContain('--schema/--ddl or --accept-schema-drift on this export scan do not help');
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.complete).toBe(false);
    expect(rep.incomplete.some((s: string) => s.includes('dbo.Customers at 2024-03-06T02:00:00.447'))).toBe(true);
    // --accept-schema-drift decodes drifted rows; it does not bring back the records the export left out
    const before = join(dir, 'before.catalog.json');
    writeFileSync(before, JSON.stringify(customersCatalog().map((r) => ({ ...r, modify_date: '2024-03-01T00:00:00' }))));
    const accepted = await cli('scan', '--export', f, '--from', '2024-03-05T09:00', '--quiet', '--strict', '--accept-schema-drift', '--schema', before, '--format', 'ndjson');
    expect(accepted.code).toBe(3);
    expect(incomplete(accepted.stderr).some((l) => l.includes('dbo.Customers at 2024-03-06T02:00:00.447'))).toBe(true);
  });

  it('--from after the rebuild: complete (the table was modified before the window), exit 0', async () => {
    const r = await cli('scan', '--export', jsonExport('from-after'), '--from', '2024-03-06T03:00', '--quiet', '--strict', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(incomplete(r.stderr)).toEqual([]);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('without --from: judged from where the log read begins (logRead); a table modified before it is not said', async () => {
    const inside = await cli('scan', '--export', jsonExport('no-from'), '--quiet', '--strict', '--format', 'ndjson');
    expect(inside.code, inside.stderr).toBe(3);
    expect(incomplete(inside.stderr).filter((l) => l.includes('altered or rebuilt'))).toEqual([
      expect.stringContaining('at or after the start of the log read (its first transaction began at 2024-03-05T08:55:00.000): dbo.Customers at 2024-03-06T02:00:00.447'),
    ]);
    // modified long before the log read begins: whole
    const before = await cli('scan', '--export', jsonExport('no-from-old', {}, '2023-11-02T09:00:00'), '--quiet', '--strict', '--format', 'ndjson');
    expect(before.code, before.stderr).toBe(0);
    expect(incomplete(before.stderr)).toEqual([]);
    // created inside the log read and never altered since (modify_date = create_date): no earlier units, whole
    const f = join(dir, 'created.json');
    writeFileSync(f, JSON.stringify({ ...HEADER, records: RECORDS, catalog: customersCatalog().map((r) => ({ ...r, modify_date: '2024-03-06T02:00:00.447', create_date: '2024-03-06T02:00:00.447' })) }));
    const created = await cli('scan', '--export', f, '--quiet', '--strict', '--format', 'ndjson');
    expect(created.code, created.stderr).toBe(0);
    // created before and rebuilt inside it: said
    writeFileSync(f, JSON.stringify({ ...HEADER, records: RECORDS, catalog: customersCatalog().map((r) => ({ ...r, modify_date: '2024-03-06T02:00:00.447', create_date: '2024-03-05T07:00:00' })) }));
    expect((await cli('scan', '--export', f, '--quiet', '--strict', '--format', 'ndjson')).code).toBe(3);
    // the export's own window (@From) after the rebuild: what it holds begins there, whole
    const window = await cli('scan', '--export', jsonExport('window-after', { window: { from: '2024/03/06 03:00:00:000', to: null } }), '--quiet', '--strict', '--format', 'ndjson');
    expect(window.code, window.stderr).toBe(0);
    expect(incomplete(window.stderr)).toEqual([]);
  });

  it('an export job: INCOMPLETE in its words (from, a files job), complete with from after the rebuild', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const f = jsonExport('job');
      const early = w.submit({ kind: 'export', file: f, from: '2024-03-05T09:00', operations: ['delete'] }, 'op');
      await w.idle();
      const done = store.requireJob(early.id);
      expect(done.error).toBeNull();
      expect(store.countRows(early.id, {})).toBe(1);
      expect(done.complete).toBe(false);
      expect((done.incomplete ?? []).filter((n) => n.includes('altered or rebuilt'))).toEqual([
        expect.stringMatching(/^INCOMPLETE: a table was altered or rebuilt at or after the window's start \(from 2024-03-05T09:00:00\.000\): dbo\.Customers at 2024-03-06T02:00:00\.447 .*missing from this job.*; run a files job on the log instead.*metadata on an export job does not help/),
      ]);
      const late = w.submit({ kind: 'export', file: f, from: '2024-03-06T03:00', operations: ['delete'] }, 'op');
      await w.idle();
      expect(store.requireJob(late.id).complete).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);
});
