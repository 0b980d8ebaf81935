/**
 * `scan --export FILE` whose records hold row operations on an allocation unit the export's catalog
 * does not name: the sentence that counts them pointed to `rowback log --alloc-unit ID` to list
 * them, a command that refuses export files (F's finding: a responder sent to a command that cannot
 * run). An export's records are in the file itself, and the sentence says so.
 * SYNTHETIC: a hand-built export file (test/support/export-fixture.ts) in a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a delete on a unit the catalog does not name: counted, and listed by the export\'s own records, not by rowback log', async () => {
  const OTHER_AU = String(72057594043236352n + 65536n * 7n); // another table's unit (a multiple of 65,536)
  const records = [
    exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', SPID: 61 }),
    exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: OTHER_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
    exportRecord('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
  ];
  const f = join(dir, 'units.json');
  writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', window: { from: null, to: null }, tables: 'dbo.Customers', operations: 'delete', records, catalog: customersCatalog() }));
  const r = await cli('scan', '--export', f);
  expect(r.stderr).toContain(`AllocUnitId ${OTHER_AU} ×1, listed by the export file's records (their AllocUnitId field)`);
  expect(r.stderr).not.toContain('rowback log --alloc-unit');
});
