/**
 * The export as sql/export-log-records.sql writes it (version 2), key for key, read back: the CSV
 * form as `sqlcmd -h -1 -y 0 -f 65001` prints its result sets (no -W: a fixed-width column such as
 * the #end counts' is padded with spaces to its width), and the JSON form as FOR JSON PATH writes its
 * header (logBackupSet an int, logRead a nested object, NULLs kept by INCLUDE_NULL_VALUES). The
 * section header lines are taken from the script itself, so a column the script adds or renames
 * shows here.
 *
 * Everything here is SYNTHETIC: hand-built records, row images and catalog rows shaped like what the
 * script writes, not bytes from a server (no SQL Server here).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExportText } from '../../../src/logreader/export/export-file.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../../support/export-fixture.js';

const SCRIPT = readFileSync(new URL('../../../sql/export-log-records.sql', import.meta.url), 'utf8');

/** The literal header line the script SELECTs after `#section` (its CSV column list). */
function scriptHeader(startsWith: string): string[] {
  const m = new RegExp(`SELECT N'(${startsWith.replace(/"/g, '"')}[^']*)' AS \\[line\\]`).exec(SCRIPT);
  if (!m) throw new Error(`no header ${startsWith} in the script`);
  return [...m[1]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
}
const RECORD_COLUMNS = scriptHeader('"Current LSN"');
const CATALOG_COLUMNS = scriptHeader('"schema_name"');

/** A value as the script writes it: ISNULL(N'"' + REPLACE(CONVERT(nvarchar(max), v), N'"', N'""') + N'"', N''); a bit as 0/1 (CONVERT of bit). */
const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(typeof v === 'boolean' ? (v ? 1 : 0) : v).replace(/"/g, '""')}"`);
const rowLine = (cols: string[], r: Record<string, unknown>) => cols.map((c) => q(r[c])).join(',');

const RECORDS = [
  exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'user_transaction', Login: 'CORP\\batchjob', SPID: 61, 'Transaction SID': '0x0105000000000005150000001234' }),
  // a value over several lines, one of them beginning like a section line, with quotes: one record
  exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA, Description: 'say "hi"\r\n#catalog\r\n' }),
  exportRecord('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const CATALOG: Array<Record<string, unknown>> = customersCatalog().map((r) => ({ ...r, default_value: r.column_name === 'Name' ? "(N'a\r\nb \"c\"')" : null, database_name: 'CRM, "north"\r\nwing', database_guid: '6f9619ff-8b86-d011-b42d-00c04fc964ff', family_guid: '7a1f3c2e-0b4d-4c3b-9e1a-2d5f6a7b8c9d' }));

interface Meta {
  logBackup: string | null;
  logBackupSet: number | null;
  logRead: Record<string, string | null>;
}
const BACKUP = '/var/opt/mssql/backup/crm "night"\n1.trn';
const READ = { firstLsn: '0000002a:000001e0:0001', lastLsn: '0000002b:00000010:0002', firstBeginTime: '2024/03/05 13:59:58:997', lastBeginTime: '2024/03/05 15:10:00:000', firstEndTime: '2024/03/05 13:59:59:003', lastEndTime: '2024/03/05 15:10:00:250' };
const NO_READ = Object.fromEntries(Object.keys(READ).map((k) => [k, null]));

/** The lines sqlcmd -h -1 -y 0 writes for the CSV form, in the script's order. */
function scriptCsv(m: Meta, records = RECORDS, catalog: Record<string, unknown>[] = CATALOG): string {
  const meta: Array<[string, unknown]> = [
    ['server', 'SQL01\\"PROD"'], ['database', 'CRM, "north"\r\nwing'], ['serverTimeZone', '+08:00'], ['exportedAt', '2024-03-05T15:30:00.1234567+08:00'],
    ['window.from', '2024/03/05 14:00:00:000'], ['window.to', '2024/03/05 14:59:59:999'], ['tables', 'dbo.Customers'], ['operations', 'delete'],
    ['logSource', m.logBackup === null ? 'fn_dblog' : 'fn_dump_dblog'], ['logBackup', m.logBackup], ['logBackupSet', m.logBackupSet],
    ...Object.entries(m.logRead).map(([k, v]): [string, unknown] => [`logRead.${k}`, v]),
  ];
  // the count line is nvarchar(45) (N'"' + nvarchar(20) + N'","' + nvarchar(20) + N'"'): sqlcmd without -W pads it
  const counts = `"${records.length}","${catalog.length}"`.padEnd(45, ' ');
  // one result set per SELECT; sqlcmd "prints a blank line between each result set in a batch" (sqlcmd utility, Remarks)
  const sets: string[][] = [
    ['#rowback-export,2,csv'],
    ['#meta', '"key","value"', ...meta.map(([k, v]) => `"${k}",${q(v)}`)],
    ['#records'], [RECORD_COLUMNS.map((c) => `"${c}"`).join(',')], records.map((r) => rowLine(RECORD_COLUMNS, r)),
    ['#catalog'], [CATALOG_COLUMNS.map((c) => `"${c}"`).join(',')], catalog.map((r) => rowLine(CATALOG_COLUMNS, r)),
    ['#end'], ['"records","catalog"'], [counts],
  ];
  return sets.map((rows) => rows.map((l) => `${l}\r\n`).join('')).join('\r\n');
}

/** The JSON form's one value as FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES writes it. */
function scriptJson(m: Meta): string {
  return JSON.stringify({
    format: 'rowback-export', version: 2, server: 'SQL01\\"PROD"', database: 'CRM, "north"\r\nwing', serverTimeZone: '+08:00', exportedAt: '2024-03-05T15:30:00.1234567+08:00',
    window: { from: '2024/03/05 14:00:00:000', to: '2024/03/05 14:59:59:999' }, tables: 'dbo.Customers', operations: 'delete',
    logSource: m.logBackup === null ? 'fn_dblog' : 'fn_dump_dblog', logBackup: m.logBackup, logBackupSet: m.logBackupSet, logRead: m.logRead,
    records: RECORDS.map((r) => Object.fromEntries(RECORD_COLUMNS.map((c) => [c, r[c] ?? null]))),
    catalog: CATALOG.map((r) => Object.fromEntries(CATALOG_COLUMNS.map((c) => [c, r[c] ?? null]))),
  });
}

describe("the export as sql/export-log-records.sql writes it, read back key for key", () => {
  it('the script writes the columns these files are built from', () => {
    expect(RECORD_COLUMNS).toHaveLength(18);
    expect(CATALOG_COLUMNS).toContain('family_guid');
  });

  for (const form of ['csv', 'json'] as const) {
    const text = (m: Meta) => (form === 'csv' ? scriptCsv(m) : scriptJson(m));

    it(`${form}: a log backup's export — logSource, logBackup (a quote and a line break), logBackupSet, every logRead key`, async () => {
      const f = await parseExportText(text({ logBackup: BACKUP, logBackupSet: 2, logRead: READ }), `backup.${form}`);
      expect(f.header).toMatchObject({ version: 2, server: 'SQL01\\"PROD"', database: 'CRM, "north"\r\nwing', logSource: 'fn_dump_dblog', logBackup: BACKUP, logBackupSet: 2, logRead: READ });
      expect(f.records).toHaveLength(3);
      expect(f.records[1]!.Description).toBe('say "hi"\r\n#catalog\r\n');
      expect(f.catalog).toHaveLength(2);
      expect(f.catalog[1]).toMatchObject({ default_value: "(N'a\r\nb \"c\"')", database_name: 'CRM, "north"\r\nwing' });
      expect(f.logins.get('0000:000003e8')).toBe('CORP\\batchjob');
    });

    it(`${form}: the online log's export — logBackup and logBackupSet NULL`, async () => {
      const f = await parseExportText(text({ logBackup: null, logBackupSet: null, logRead: READ }), `online.${form}`);
      expect(f.header).toMatchObject({ logSource: 'fn_dblog', logBackup: null, logBackupSet: null, logRead: READ });
    });

    it(`${form}: a log read holding no transaction — every logRead value NULL — is read, logRead all null`, async () => {
      const f = await parseExportText(text({ logBackup: null, logBackupSet: null, logRead: NO_READ }), `empty.${form}`);
      expect(f.header.logRead).toEqual(NO_READ);
    });
  }

  it('csv: no record in the window (the #end counts "0"), the catalog whole', async () => {
    const f = await parseExportText(scriptCsv({ logBackup: null, logBackupSet: null, logRead: READ }, []), 'none.csv');
    expect(f.records).toHaveLength(0);
    expect(f.catalog).toHaveLength(2);
  });
});
