/**
 * `scan --op insert` over an exported fn_dblog file holding a page split of the table: the split's
 * system transaction (`SplitPage`) logs the row it moves to the new page as LOP_INSERT_ROWS
 * LCX_CLUSTERED, and it was printed as an insert of 15:00:00 by SPID 62 beside the real insert of
 * 14:07 (the same row twice; a DBA undoing the window's inserts would delete a row that was there
 * before it). Now one row, and a note saying what was left out and why.
 * SYNTHETIC: a hand-built export file (test/support/export-fixture.ts), shaped on NORTHWND_log.ldf's
 * real SplitPage transactions (LOP_FORMAT_PAGE, LOP_INSERT_ROWS on the new page, LOP_DELETE_SPLIT).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a SplitPage transaction\'s moved row is not printed as an insert', async () => {
  const T1 = '0000:000003e8';
  const T2 = '0000:000003e9';
  const records = [
    exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Transaction ID': T1, 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'INSERT', SPID: 61 }),
    exportRecord('0000002a:000001f0:0002', 'LOP_INSERT_ROWS', { 'Transaction ID': T1, Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
    exportRecord('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'Transaction ID': T1, 'End Time': '2024/03/05 14:07:10:500' }),
    exportRecord('0000002a:000001f8:0001', 'LOP_BEGIN_XACT', { 'Transaction ID': T2, 'Begin Time': '2024/03/05 15:00:00:000', 'Transaction Name': 'SplitPage', SPID: 62 }),
    exportRecord('0000002a:000001f8:0002', 'LOP_FORMAT_PAGE', { 'Transaction ID': T2, Context: 'LCX_HEAP', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000140' }),
    exportRecord('0000002a:000001f8:0003', 'LOP_INSERT_ROWS', { 'Transaction ID': T2, Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000140', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
    exportRecord('0000002a:000001f8:0004', 'LOP_DELETE_SPLIT', { 'Transaction ID': T2, Context: 'LCX_CLUSTERED', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123' }),
    exportRecord('0000002a:000001f8:0005', 'LOP_COMMIT_XACT', { 'Transaction ID': T2, 'End Time': '2024/03/05 15:00:00:000' }),
  ];
  const f = join(dir, 'split.json');
  writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', window: { from: null, to: null }, tables: 'dbo.Customers', operations: 'insert', records, catalog: customersCatalog() }));
  const r = await cli('scan', '--export', f, '--op', 'insert');
  const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { lsn: string; transactionName: string });
  expect(rows.map((x) => [x.lsn, x.transactionName])).toEqual([['0000002a:000001f0:0002', 'INSERT']]);
  expect(r.stderr).toContain('1 insert(s) not printed: rows a page split moved to a new page');

  // the window holding only the split: no row, and "why no rows" says where the insert went
  const w = await cli('scan', '--export', f, '--op', 'insert', '--from', '2024-03-05 14:30');
  expect(w.stdout).toBe('');
  expect(w.stderr).toContain('rows a page split moved to a new page (SplitPage; not inserts)');
});
