/**
 * `scan --op insert` over a log holding a heap row an UPDATE grew and moved to another page: SQL
 * Server writes the row there as a *forwarded record* (record type 1; its last variable entry a back
 * pointer to the forwarding stub left in the row's home slot) and rowback printed that insert as a new
 * row, with the UPDATE's time and SPID and the row's new values (a DBA undoing the window's inserts
 * would delete a row that was there before it). A forwarded record is only ever made by moving a row
 * that exists: not printed as an insert; a note or "why no rows" says how many.
 * SYNTHETIC: a hand-built export file (test/support/export-fixture.ts); the forwarded record's layout
 * as a DBCC PAGE dump shows one (sqlservercentral "FORWARDING_STUB on Heap Table": status 0x32,
 * Record Type = FORWARDED_RECORD) with the back pointer of improve.dk's "Anatomy of a forwarded record".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forwardedHomeSlot, isForwardedRecordImage } from '../../src/reconstruct/record/status.js';
import { captureCli } from '../support/cli.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-fwd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// dbo.Customers (1, N'Ada') as a forwarded record: status 0x32 (type 1, null bitmap, variable columns),
// two variable entries (Name ends at 23; the back pointer, complex, ends at 33), back pointer 1024 → 1:120:0
const FORWARDED_ADA = '0x' + '32000800010000000200000200170021804100640061000004780000000100' + '0000';

function exportFile(name: string, records: Record<string, unknown>[]): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', window: { from: null, to: null }, tables: 'dbo.Customers', operations: 'insert', records, catalog: customersCatalog() }));
  return f;
}

describe('an insert of a forwarded record', () => {
  it('is not printed as an insert; a real insert beside it is', async () => {
    const f = exportFile('fwd', [
      exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Transaction ID': '0000:000003e8', 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'INSERT', SPID: 61 }),
      exportRecord('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', { 'Transaction ID': '0000:000003e8', Context: 'LCX_HEAP', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000078', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
      exportRecord('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'Transaction ID': '0000:000003e8', 'End Time': '2024/03/05 14:07:10:500' }),
      exportRecord('0000002a:000001f8:0001', 'LOP_BEGIN_XACT', { 'Transaction ID': '0000:000003e9', 'Begin Time': '2024/03/05 15:00:00:000', 'Transaction Name': 'UPDATE', SPID: 62 }),
      exportRecord('0000002a:000001f8:0002', 'LOP_INSERT_ROWS', { 'Transaction ID': '0000:000003e9', Context: 'LCX_HEAP', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': FORWARDED_ADA }),
      exportRecord('0000002a:000001f8:0003', 'LOP_COMMIT_XACT', { 'Transaction ID': '0000:000003e9', 'End Time': '2024/03/05 15:00:00:000' }),
    ]);
    const r = await cli('scan', '--export', f, '--op', 'insert');
    const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { lsn: string });
    expect(rows.map((x) => x.lsn)).toEqual(['0000002a:000001f0:0002']);
    expect(r.stderr).toContain('1 insert(s) not printed: forwarded records, heap rows an UPDATE grew and moved to another page');

    const w = await cli('scan', '--export', f, '--op', 'insert', '--from', '2024-03-05 14:30');
    expect(w.stdout).toBe('');
    expect(w.stderr).toContain('1 forwarded records (heap rows an UPDATE moved to another page; not inserts)');
  });

  it('is told by its record type, FixedVar and CD', () => {
    expect(isForwardedRecordImage(Uint8Array.from(Buffer.from(FORWARDED_ADA.slice(2), 'hex')))).toBe(true);
    expect(isForwardedRecordImage(Uint8Array.from(Buffer.from(ROW_ADA.slice(2), 'hex')))).toBe(false);
    expect(isForwardedRecordImage(new Uint8Array([0x04]))).toBe(false); // a forwarding stub
    expect(isForwardedRecordImage(new Uint8Array([0x01 | (4 << 2)]))).toBe(true); // CD forwarded
    expect(isForwardedRecordImage(new Uint8Array([0x01 | (5 << 2)]))).toBe(true); // CD ghost forwarded
    expect(isForwardedRecordImage(new Uint8Array([0x01]))).toBe(false); // CD primary
    expect(isForwardedRecordImage(new Uint8Array([]))).toBe(false);
  });
});

// the same row, its Name grown to N'Adam', forwarded again: the back pointer still names home slot 1:120:0
const FORWARDED_ADAM = '0x' + '32000800010000000200000200190023804100640061006d00' + '00047800000001000000';

describe('a forwarded record moved again (delete scan)', () => {
  const tx = (lsn: string, op: string, over: Record<string, unknown> = {}) => exportRecord(lsn, op, { 'Transaction ID': '0000:000003e8', ...over });
  const begin = tx('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'UPDATE', SPID: 61 });
  const moveIn = tx('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', { Context: 'LCX_HEAP', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000150', 'Slot ID': 0, 'RowLog Contents 0': FORWARDED_ADAM });
  const moveOut = tx('0000002a:000001f0:0003', 'LOP_DELETE_ROWS', { Context: 'LCX_HEAP', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': FORWARDED_ADA });
  const commit = tx('0000002a:000001f0:0009', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' });

  it('its delete from the old page is not printed: its transaction inserted a forwarded record of the same home slot', async () => {
    const r = await cli('scan', '--export', exportFile('moved', [begin, moveIn, moveOut, commit]), '--op', 'delete');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1 forwarded records their own transaction moved to another page (not deletes)');
  });

  it('moved, then deleted in the same transaction: the delete of its last copy is printed, with its last values', async () => {
    const del = tx('0000002a:000001f0:0005', 'LOP_DELETE_ROWS', { Context: 'LCX_HEAP', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000150', 'Slot ID': 0, 'RowLog Contents 0': FORWARDED_ADAM });
    const r = await cli('scan', '--export', exportFile('moved-deleted', [begin, moveIn, moveOut, del, commit]), '--op', 'delete');
    const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { lsn: string; values: Record<string, unknown> });
    expect(rows.map((x) => [x.lsn, x.values['Name']])).toEqual([['0000002a:000001f0:0005', 'Adam']]);
    expect(r.stderr).toContain('1 delete(s) not printed: forwarded records (heap rows an UPDATE had moved off their page) that their own transaction moved again');
  });

  it('in a scan for deletes and inserts as well: neither the move\'s insert nor its delete is printed', async () => {
    const r = await cli('scan', '--export', exportFile('moved-both', [begin, moveIn, moveOut, commit]), '--op', 'delete', '--op', 'insert');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1 forwarded records their own transaction moved to another page (not deletes)');
    expect(r.stderr).toContain('1 forwarded records (heap rows an UPDATE moved to another page; not inserts)');
  });

  it('the home slot is read from the back pointer', () => {
    const b = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
    expect(forwardedHomeSlot(b(FORWARDED_ADA))).toBe('120:1:0');
    expect(forwardedHomeSlot(b(FORWARDED_ADAM))).toBe('120:1:0');
    expect(forwardedHomeSlot(b(ROW_ADA))).toBeNull();
  });
});
