/**
 * Rows printed, and more row operations of the kind asked for are in transactions with no commit or
 * rollback in the log read (a DELETE still running when the .ldf was copied, or one that committed
 * after the last log backup given): "why no rows" counted them only when nothing was printed, so
 * `1 row(s) recovered` read as the whole answer while a second delete was pending. Now a note.
 * SYNTHETIC: a hand-built export file (test/support/export-fixture.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-open-at-end-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a delete of a transaction open at the end of the log read is said beside the rows printed', async () => {
  const T1 = '0000:000003e8';
  const T2 = '0000:000003e9';
  const records = [
    exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Transaction ID': T1, 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', SPID: 61 }),
    exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { 'Transaction ID': T1, Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
    exportRecord('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'Transaction ID': T1, 'End Time': '2024/03/05 14:07:10:500' }),
    exportRecord('0000002a:000001f8:0001', 'LOP_BEGIN_XACT', { 'Transaction ID': T2, 'Begin Time': '2024/03/05 14:08:00:000', 'Transaction Name': 'DELETE', SPID: 62 }),
    exportRecord('0000002a:000001f8:0002', 'LOP_DELETE_ROWS', { 'Transaction ID': T2, Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 1, 'RowLog Contents 0': ROW_ADA }),
  ];
  const f = join(dir, 'open.json');
  writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', window: { from: null, to: null }, tables: 'dbo.Customers', operations: 'delete', records, catalog: customersCatalog() }));
  const report = join(dir, 'r.json');
  const r = await cli('scan', '--export', f, '--report', report);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  const note = 'rowback scan: note: 1 more delete(s) on table data rows are in transactions with no commit or rollback in the log read (open where it ends, or ended in log not read): not in this result';
  expect(r.stderr).toContain(note);
  const notes = (JSON.parse(readFileSync(report, 'utf8')) as { notes: string[] }).notes;
  expect(notes.some((n) => note.endsWith(n.slice(0, 60)) || n.startsWith('1 more delete(s) on table data rows are in transactions with no commit or rollback'))).toBe(true);
});
