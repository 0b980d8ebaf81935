import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { customersCatalogRow } from '../../support/export-fixture.js';

/**
 * SYNTHETIC: a large export written record by record (shaped like sql/export-log-records.sql's
 * output: committed transactions of deletes), scanned by the CLI in a child process whose V8 heap
 * is capped far below the file's size. Reading the file into one string (as before) cannot fit;
 * the streaming reader must, and must find every row.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'rowback-bigexport-'));
afterAll(() => { if (!process.env.KEEP_BIG) rmSync(dir, { recursive: true, force: true }); });

const ROW = '0x' + '3000' + '0800' + '01000000' + '0200' + '00' + '0100' + '1500' + '410064006100'; // 1, N'Ada'
const TXNS = 10_000; // 3 records each (begin, delete, commit), a long Description on each delete: about 36 MB

async function writeExport(file: string, csv: boolean): Promise<void> {
  const out = createWriteStream(file);
  const put = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  const pad = 'x'.repeat(3000);
  const rec = (lsn: string, op: string, xid: string, o: Record<string, unknown>) => ({
    'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, AllocUnitId: null, 'Page ID': null, 'Slot ID': null, 'Offset in Row': null, 'Modify Size': null,
    Description: null, 'Begin Time': null, 'End Time': null, 'Transaction Name': null, 'Transaction SID': null, Login: null, SPID: null, 'RowLog Contents 0': null, 'RowLog Contents 1': null, ...o,
  });
  const catalog = [
    customersCatalogRow({ partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4, precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1 }),
    customersCatalogRow({ partition_column_id: 2, column_id: 2, column_name: 'Name', type_name: 'nvarchar', system_type_id: 231, max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', is_nullable: true, leaf_offset: -1, leaf_null_bit: 2, leaf_bit_position: 0, key_ordinal: 0 }),
  ];
  const au = catalog[0].in_row_alloc_unit_id;
  const records = function* () {
    for (let t = 0; t < TXNS; t++) {
      const xid = `0000:${(0x1000 + t).toString(16).padStart(8, '0')}`;
      const blk = (0x100 + t).toString(16).padStart(8, '0');
      yield rec(`0000002a:${blk}:0001`, 'LOP_BEGIN_XACT', xid, { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61 });
      yield rec(`0000002a:${blk}:0002`, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: au, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW, Description: pad });
      yield rec(`0000002a:${blk}:0003`, 'LOP_COMMIT_XACT', xid, { 'End Time': '2024/03/05 14:07:10:500' });
    }
  };
  if (!csv) {
    await put('{"format":"rowback-export","version":1,"server":"SQL01","database":"CRM","serverTimeZone":"+08:00","records":[');
    let first = true;
    for (const r of records()) {
      await put((first ? '' : ',') + JSON.stringify(r));
      first = false;
    }
    await put(`],"catalog":${JSON.stringify(catalog)}}\n`);
  } else {
    const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(typeof v === 'boolean' ? (v ? 1 : 0) : v).replace(/"/g, '""')}"`);
    const cols = Object.keys(rec('', '', '', {}));
    await put(`#rowback-export,1,csv\n#meta\n"key","value"\n"serverTimeZone","+08:00"\n#records\n${cols.map(q).join(',')}\n`);
    for (const r of records()) await put(cols.map((c) => q((r as Record<string, unknown>)[c])).join(',') + '\n');
    const ccols = Object.keys(catalog[0]);
    await put(`#catalog\n${ccols.map(q).join(',')}\n${catalog.map((c) => ccols.map((k) => q((c as Record<string, unknown>)[k])).join(',')).join('\n')}\n`);
  }
  await new Promise<void>((r) => out.end(() => r()));
}

it.each([['JSON', false], ['CSV', true]])('a %s export far larger than the heap is scanned in flat memory, every row found (SYNTHETIC)', async (_, csv) => {
  const file = join(dir, csv ? 'big.csv' : 'big.json');
  await writeExport(file, csv as boolean);
  const size = statSync(file).size;
  expect(size).toBeGreaterThan(30 * 1024 * 1024);
  const report = join(dir, 'report.json');
  // 64 MB of V8 heap: the file as one string, the copy a whole-text parser makes and the parsed records could never fit
  execFileSync(process.execPath, [`--max-old-space-size=${process.env.BIG_HEAP ?? '64'}`, '--import', 'tsx', join(repo, 'src/cli/main.ts'), 'scan', '--export', file, '--quiet', '--out', '/dev/null', '--report', report], { cwd: repo, stdio: 'pipe' });
  const r = JSON.parse((await import('node:fs')).readFileSync(report, 'utf8'));
  expect(r.rows).toBe(TXNS);
  expect(r.complete).toBe(true);
}, 240_000);
