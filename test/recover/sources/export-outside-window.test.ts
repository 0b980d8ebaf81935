import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportSource } from '../../../src/recover/sources/export.js';
import { readShippedSql } from '../../../src/logreader/live/shipped-sql.js';
import type { ScanFilter } from '../../../src/recover/source.js';
import { CUSTOMERS_AU, csvSectionLines, customersCatalog, exportRecord, ROW_ADA } from '../../support/export-fixture.js';

/**
 * sql/export-log-records.sql writes the transactions begun in its window. One begun a second before
 * @From — the mass delete the responder is looking for — was absent from the file without a word,
 * and `scan --export` printed the window's other rows as the whole answer, where a scan of the log
 * itself says "N more deletes … began outside the window (they began …)". The script now counts
 * those row operations in its header (outsideWindow.rowOps, firstBeginTime, lastBeginTime) and the
 * export scan says them. SYNTHETIC records and header, shaped as the script writes them.
 */
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-outside-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = [
  exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61, 'Transaction SID': '0x01' }),
  exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
  exportRecord('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const header = {
  format: 'rowback-export', version: 2, server: 'SQL01', database: 'CRM', serverTimeZone: '+01:00', exportedAt: '2024-03-05T16:00:00+01:00',
  window: { from: '2024/03/05 14:00:00:000', to: '2024/03/05 14:59:59:999' }, tables: 'dbo.Customers', operations: 'delete',
  logSource: 'fn_dblog', logBackup: null, logBackupSet: null,
  logRead: { firstLsn: '0000002a:00000010:0001', lastLsn: '0000002a:000001f0:0003', firstBeginTime: '2024/03/05 13:00:00:000', lastBeginTime: '2024/03/05 14:07:09:123', firstEndTime: '2024/03/05 13:00:01:000', lastEndTime: '2024/03/05 14:07:10:500' },
};
const outside = { rowOps: 13, firstBeginTime: '2024/03/05 13:59:59:000', lastBeginTime: '2024/03/05 13:59:59:000' };

function jsonFile(name: string, extra: Record<string, unknown>): string {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify({ ...header, ...extra, records, catalog: customersCatalog() }));
  return f;
}

function csvFile(name: string, ow: Record<string, unknown> | null): string {
  const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
  const meta: Array<[string, unknown]> = [
    ['server', header.server], ['database', header.database], ['serverTimeZone', header.serverTimeZone], ['exportedAt', header.exportedAt],
    ['window.from', header.window.from], ['window.to', header.window.to], ['tables', header.tables], ['operations', header.operations],
    ['logSource', header.logSource], ['logBackup', null], ['logBackupSet', null],
    ...Object.entries(header.logRead).map(([k, v]) => [`logRead.${k}`, v] as [string, unknown]),
    ...(ow ? Object.entries(ow).map(([k, v]) => [`outsideWindow.${k}`, v] as [string, unknown]) : []),
  ];
  const catalog = customersCatalog();
  const lines = [
    '#rowback-export,2,csv', '#meta', '"key","value"', ...meta.map(([k, v]) => `${q(k)},${q(v)}`),
    '#records', ...csvSectionLines(records), '#catalog', ...csvSectionLines(catalog), '#end', '"records","catalog"', `"${records.length}","${catalog.length}"`,
  ];
  const f = join(dir, name);
  writeFileSync(f, lines.join('\r\n') + '\r\n');
  return f;
}

async function scan(file: string) {
  const src = new ExportSource(file);
  const rows = [];
  for await (const c of src.candidates({ operations: ['delete'] } as ScanFilter)) rows.push(c);
  return { rows: rows.length, notes: src.notes };
}

const NOTE = /13 more row operation\(s\) \(delete\) on the exported tables are in committed transactions begun outside the export's window \(2024\/03\/05 14:00:00:000 to 2024\/03\/05 14:59:59:999; it began at 2024\/03\/05 13:59:59:000, the SQL Server's local time\): sql\/export-log-records.sql counted them but did not write them, so they are not in .* nor in this result/;

describe('an export says the row operations its script read and left out, begun outside its window', () => {
  it.each([
    ['JSON', () => jsonFile('a.json', { outsideWindow: outside })],
    ['CSV', () => csvFile('a.csv', outside)],
  ])('%s: the window\'s row printed, and the 13 left out said', async (_, make) => {
    const r = await scan(make());
    expect(r.rows).toBe(1);
    expect(r.notes.join('\n')).toMatch(NOTE);
  });

  it.each([
    ['JSON, none left out', () => jsonFile('b.json', { outsideWindow: { rowOps: 0, firstBeginTime: null, lastBeginTime: null } })],
    ['JSON of a script before outsideWindow', () => jsonFile('c.json', {})],
    ['CSV of a script before outsideWindow', () => csvFile('c.csv', null)],
  ])('%s: no such note', async (_, make) => {
    const r = await scan(make());
    expect(r.rows).toBe(1);
    expect(r.notes.join('\n')).not.toMatch(/outside the export's window/);
  });

  it('a count rewritten by a spreadsheet is refused naming the key', async () => {
    await expect(scan(csvFile('d.csv', { ...outside, rowOps: '1.3E+01' }))).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', location: expect.objectContaining({ column: 'outsideWindow.rowOps' }) });
  });

  it('the script counts them: committed, begun outside the window (not in #xact), of the operations asked for, and writes them in both forms', () => {
    const text = readShippedSql('export-log-records.sql');
    expect(text).toContain("  AND r.[Transaction ID] NOT IN (SELECT x.[Transaction ID] FROM #xact AS x)\n  AND EXISTS (SELECT 1 FROM #log AS c WHERE c.[Transaction ID] = r.[Transaction ID] AND c.[Operation] = N'LOP_COMMIT_XACT');");
    expect(text).toContain('WHERE r.[Operation] COLLATE Latin1_General_BIN2 IN (SELECT w.[Operation] COLLATE Latin1_General_BIN2 FROM @wanted AS w)');
    for (const k of ['rowOps', 'firstBeginTime', 'lastBeginTime']) {
      expect(text).toContain(`AS [outsideWindow.${k}]`);
      expect(text).toContain(`N'"outsideWindow.${k}",'`);
    }
  });
});
