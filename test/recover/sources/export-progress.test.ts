import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportSource } from '../../../src/recover/sources/export.js';
import { CUSTOMERS_AU, customersCatalogRow } from '../../support/export-fixture.js';

// SYNTHETIC: a minimal export shaped like what sql/export-log-records.sql writes (catalog rows
// and fn_dblog columns), with no row images — only the record count matters here.
const AU = CUSTOMERS_AU;
const catalogRow = customersCatalogRow;
const rec = (lsn: string, op: string, xid: string, over: Record<string, unknown> = {}) => ({
  'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, AllocUnitId: null, 'Page ID': null, 'Slot ID': null,
  'Offset in Row': null, 'Modify Size': null, Description: null, 'Begin Time': null, 'End Time': null, 'Transaction Name': null,
  'Transaction SID': null, Login: null, SPID: null, 'RowLog Contents 0': null, 'RowLog Contents 1': null, ...over,
});
const RECORDS = Array.from({ length: 25 }, (_, i) => [
  rec(`0000002a:${(0x100 + i).toString(16).padStart(8, '0')}:0001`, 'LOP_BEGIN_XACT', `0000:${(0x3e8 + i).toString(16).padStart(8, '0')}`, { 'Begin Time': '2024/03/05 14:07:09:123', Login: 'CORP\\batchjob' }),
  rec(`0000002a:${(0x100 + i).toString(16).padStart(8, '0')}:0002`, 'LOP_COMMIT_XACT', `0000:${(0x3e8 + i).toString(16).padStart(8, '0')}`, { 'End Time': '2024/03/05 14:07:10:500' }),
]).flat();
const EXPORT = {
  format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', serverTimeZone: '+08:00', exportedAt: '2024-03-05T15:00:00+08:00',
  records: RECORDS,
  catalog: [
    catalogRow({ partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4, precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1 }),
  ],
};

describe('export source progress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-export-progress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the records and bytes read in its one pass, of the file size', async () => {
    const file = join(dir, 'x.json');
    writeFileSync(file, JSON.stringify(EXPORT));
    const src = new ExportSource(file);
    expect(src.progress()).toEqual({ bytesRead: 0, recordsRead: 0, pass: 0, passes: 1 });
    for await (const _ of src.candidates({ operations: ['delete'] })) { /* no row operations: only the counting matters */ }
    const size = statSync(file).size;
    expect(src.progress()).toEqual({ bytesRead: size, bytesTotal: size, recordsRead: 50, pass: 1, passes: 1 });
    await src.close();
  });
});
