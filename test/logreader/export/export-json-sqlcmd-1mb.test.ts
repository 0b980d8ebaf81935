/**
 * sqlcmd's `-y 0` does not mean "never cut": "If display_width is 0, the output is truncated at
 * 1 MB" (sqlcmd utility, -y variable_length_type_display_width). The JSON export is one value, so a
 * JSON export past 1 MB saved as the script's header said (`sqlcmd … -h -1 -y 0 -f 65001 -o FILE`)
 * came out cut, and the refusal told the DBA to export again with that same command ("sqlcmd
 * without -y 0 cuts the value"): the same cut file again. Now it names sqlcmd's 1 MB and the way
 * past it, @Format = N'csv', whose every line is its own value. SYNTHETIC export, cut at 1 MiB.
 */
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { readExportFile } from '../../../src/logreader/export/export-file.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../../support/export-fixture.js';

it("a JSON export cut at sqlcmd's 1 MB: the refusal names that limit and @Format = N'csv', not the same sqlcmd line alone", async () => {
  const records = [];
  for (let i = 0; i < 6000; i++) {
    const lsn = (slot: number) => `0000002a:${(0x100 + i).toString(16).padStart(8, '0')}:${slot.toString(16).padStart(4, '0')}`;
    records.push(exportRecord(lsn(1), 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob' }));
    records.push(exportRecord(lsn(2), 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }));
    records.push(exportRecord(lsn(3), 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }));
  }
  const whole = JSON.stringify({ format: 'rowback-export', version: 1, serverTimeZone: '+08:00', records, catalog: customersCatalog() });
  expect(whole.length).toBeGreaterThan(1024 * 1024);
  const cut = whole.slice(0, 1024 * 1024);
  const e = await readExportFile('crm-export.json', () => Readable.from([Buffer.from(cut)])).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(InputError);
  const m = (e as InputError).message;
  expect((e as InputError).code).toBe('INPUT_BAD_EXPORT');
  expect(m).toContain('the file is cut short');
  expect(m).toContain('1,048,576 characters read');
  expect(m).toContain('at 1 MB even with -y 0');
  expect(m).toContain("export again with @Format = N'csv'");
});
