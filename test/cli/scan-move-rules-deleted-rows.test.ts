/**
 * The rules that leave a page split's or a forwarded record's row operations out of a scan must not
 * leave out a row really deleted (or inserted):
 * - a user's transaction may be named `SplitPage` (BEGIN TRAN SplitPage): its DELETE and INSERT were
 *   left out as "rows a page split moved". A split is told by its LOP_DELETE_SPLIT (NORTHWND_log.ldf:
 *   all 45 transactions holding one are SplitPage system transactions of their own ID, holding no
 *   LOP_DELETE_ROWS; its 21 SplitPage transactions without one hold no data row operation), and only
 *   its inserts are moves;
 * - a heap row an UPDATE forwarded, then deleted in the same transaction (its forwarded insert and
 *   its forwarded delete name the same home slot), or a forwarded row deleted whose home slot the same
 *   transaction reused for a row it inserted and grew: each delete was taken as a "move again". A row
 *   deleted loses its home slot's record (the forwarding stub) too; a move keeps it.
 * SYNTHETIC: hand-built export files (test/support/export-fixture.ts); the forwarded record and stub
 * layouts as in test/cli/scan-forwarded-insert.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-moves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exportFile(name: string, records: Record<string, unknown>[]): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', window: { from: null, to: null }, tables: 'dbo.Customers', operations: 'delete,insert', records, catalog: customersCatalog() }));
  return f;
}
const lsns = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { lsn: string }).lsn);

const T = '0000:000003e8';
const tx = (lsn: string, op: string, over: Record<string, unknown> = {}) => exportRecord(lsn, op, { 'Transaction ID': T, ...over });

describe('a transaction named SplitPage', () => {
  const records = [
    tx('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'SplitPage', SPID: 61 }),
    tx('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
    tx('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
  ];

  it('by a user (BEGIN TRAN SplitPage), with no LOP_DELETE_SPLIT: its delete is printed', async () => {
    const r = await cli('scan', '--export', exportFile('named', records), '--op', 'delete');
    expect(lsns(r.stdout)).toEqual(['0000002a:000001f0:0002']);
    expect(r.stderr).not.toContain('page split moved');
    // said, as a split whose LOP_DELETE_SPLIT an older export left out would be
    expect(r.stderr).toContain('1 row operation(s) printed are in transaction(s) named SplitPage holding no LOP_DELETE_SPLIT in the log read (the first begun at LSN 0000002a:000001f0:0001)');
  });

  it('by a user, with no LOP_DELETE_SPLIT: its insert is printed', async () => {
    const ins = [records[0]!, tx('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', { Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }), records[2]!];
    const r = await cli('scan', '--export', exportFile('named-ins', ins), '--op', 'insert');
    expect(lsns(r.stdout)).toEqual(['0000002a:000001f0:0002']);
  });

  it('holding a LOP_DELETE_SPLIT: only its inserts are left out, a delete in it is printed', async () => {
    const split = [
      records[0]!,
      tx('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', { Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
      tx('0000002a:000001f0:0003', 'LOP_DELETE_SPLIT', { Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123' }),
      tx('0000002a:000001f0:0004', 'LOP_DELETE_ROWS', { Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 3, 'RowLog Contents 0': ROW_ADA }),
      tx('0000002a:000001f0:0005', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
    ];
    const r = await cli('scan', '--export', exportFile('split-del', split), '--op', 'delete', '--op', 'insert');
    expect(lsns(r.stdout)).toEqual(['0000002a:000001f0:0004']);
    expect(r.stderr).toContain('1 insert(s) not printed: rows a page split moved to a new page');
    // named, so they can be checked with rowback log --transaction
    expect(r.stderr).toContain('they were inserted before, by another transaction (transaction 0000:000003e8)');
  });
});

// dbo.Customers (1, N'Ada') forwarded to 1:320:0, its back pointer naming home slot 1:120:0
const FORWARDED_ADA = '0x' + '32000800010000000200000200170021804100640061000004780000000100' + '0000';
// another row (1, N'Adam') forwarded, its back pointer naming the same home slot 1:120:0
const FORWARDED_ADAM = '0x' + '32000800010000000200000200190023804100640061006d00' + '00047800000001000000';
// the forwarding stub in home slot 1:120:0 pointing at 1:320:0 (type 2; RID page u32, file u16, slot u16)
const STUB_TO_320 = '0x04' + '40010000' + '0100' + '0000';
const heap = (page: string, slot: number, image: string) => ({ Context: 'LCX_HEAP', AllocUnitId: CUSTOMERS_AU, 'Page ID': page, 'Slot ID': slot, 'RowLog Contents 0': image });

describe('a forwarded record deleted where its transaction inserted one naming the same home slot', () => {
  const begin = tx('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'user_transaction', SPID: 61 });
  const commit = tx('0000002a:000001f0:0009', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' });

  it('a row forwarded by an UPDATE, then deleted (its home slot\'s stub deleted too): its delete is printed', async () => {
    const records = [
      begin,
      tx('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', heap('0001:00000140', 0, FORWARDED_ADA)),
      tx('0000002a:000001f0:0004', 'LOP_DELETE_ROWS', heap('0001:00000140', 0, FORWARDED_ADA)),
      tx('0000002a:000001f0:0005', 'LOP_DELETE_ROWS', heap('0001:00000078', 0, STUB_TO_320)),
      commit,
    ];
    for (const ops of [['--op', 'delete'], ['--op', 'delete', '--op', 'insert']]) {
      const r = await cli('scan', '--export', exportFile(`fwd-then-del-${ops.length}`, records), ...ops, '--format', 'ndjson');
      const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { lsn: string; values: Record<string, unknown> | null });
      expect(rows.filter((x) => x.values?.['Name'] === 'Ada').map((x) => x.lsn)).toEqual(['0000002a:000001f0:0004']);
      expect(r.stderr).not.toContain('moved again');
    }
  });

  it('a forwarded row deleted, its home slot reused by a row the transaction inserted and grew: the delete is printed', async () => {
    const records = [
      begin,
      tx('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', heap('0001:00000140', 0, FORWARDED_ADA)),
      tx('0000002a:000001f0:0003', 'LOP_DELETE_ROWS', heap('0001:00000078', 0, STUB_TO_320)),
      tx('0000002a:000001f0:0005', 'LOP_INSERT_ROWS', heap('0001:00000150', 0, FORWARDED_ADAM)),
      commit,
    ];
    const r = await cli('scan', '--export', exportFile('slot-reused', records), '--op', 'delete', '--format', 'ndjson');
    const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { lsn: string; values: Record<string, unknown> | null });
    expect(rows.filter((x) => x.values?.['Name'] === 'Ada').map((x) => x.lsn)).toEqual(['0000002a:000001f0:0002']);
    expect(r.stderr).not.toContain('moved again');
  });

  it('a forwarded row deleted, its home slot reused by another row moved twice in the same transaction: the deleted row is printed, the moved one not', async () => {
    const records = [
      begin,
      tx('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', heap('0001:00000140', 0, FORWARDED_ADA)),
      tx('0000002a:000001f0:0003', 'LOP_DELETE_ROWS', heap('0001:00000078', 0, STUB_TO_320)),
      tx('0000002a:000001f0:0005', 'LOP_INSERT_ROWS', heap('0001:00000150', 0, FORWARDED_ADAM)),
      tx('0000002a:000001f0:0006', 'LOP_INSERT_ROWS', heap('0001:00000160', 0, FORWARDED_ADAM)),
      tx('0000002a:000001f0:0007', 'LOP_DELETE_ROWS', heap('0001:00000150', 0, FORWARDED_ADAM)),
      commit,
    ];
    const r = await cli('scan', '--export', exportFile('slot-reused-moved', records), '--op', 'delete', '--format', 'ndjson');
    const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { lsn: string; values: Record<string, unknown> | null });
    // the stub deleted pointed at 1:320:0, where Ada's forwarded record was deleted: Ada's is the delete
    expect(rows.filter((x) => x.values !== null).map((x) => [x.lsn, x.values!['Name']])).toEqual([['0000002a:000001f0:0002', 'Ada']]);
    expect(r.stderr).toContain('LOP_DELETE_ROWS at 0000002a:000001f0:0007');
  });

  it('moved again (the stub kept): not printed, and the note names the delete\'s LSN', async () => {
    const records = [
      begin,
      tx('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', heap('0001:00000150', 0, FORWARDED_ADAM)),
      tx('0000002a:000001f0:0003', 'LOP_DELETE_ROWS', heap('0001:00000140', 0, FORWARDED_ADA)),
      commit,
    ];
    const r = await cli('scan', '--export', exportFile('moved', records), '--op', 'delete', '--format', 'ndjson');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('LOP_DELETE_ROWS at 0000002a:000001f0:0003');
  });
});

describe('an insert whose image reads as a forwarded record', () => {
  it('on a clustered index (no forwarded records there: damage, or a misread) is printed, not left out as a move', async () => {
    const records = [
      tx('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'INSERT', SPID: 61 }),
      tx('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', { Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': FORWARDED_ADA }),
      tx('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
    ];
    const r = await cli('scan', '--export', exportFile('clustered-fwd', records), '--op', 'insert', '--format', 'ndjson');
    expect(lsns(r.stdout)).toEqual(['0000002a:000001f0:0002']);
    expect(r.stderr).not.toContain('forwarded records');
  });

  it('on a heap: left out, the note naming its LSN', async () => {
    const records = [
      tx('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'UPDATE', SPID: 61 }),
      tx('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', heap('0001:00000140', 0, FORWARDED_ADA)),
      tx('0000002a:000001f0:0003', 'LOP_INSERT_ROWS', heap('0001:00000078', 1, ROW_ADA)),
      tx('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
    ];
    const r = await cli('scan', '--export', exportFile('heap-fwd', records), '--op', 'insert', '--format', 'ndjson');
    expect(lsns(r.stdout)).toEqual(['0000002a:000001f0:0003']);
    expect(r.stderr).toContain('the rows existed before (LOP_INSERT_ROWS at 0000002a:000001f0:0002)');
  });
});
