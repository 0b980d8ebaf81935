import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_BITS, EXPORT_VERSION, ExportRecordSchema, LogReadSchema, parseExportText, readExportFile } from '../../../src/logreader/export/export-file.js';
import { CatalogRowSchema } from '../../../src/reconstruct/metadata/catalog-row.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { ExportSource } from '../../../src/recover/sources/export.js';
import { CUSTOMERS_AU, customersCatalogRow, csvSectionLines } from '../../support/export-fixture.js';

// Everything below is SYNTHETIC: hand-built records and FixedVar row images shaped like what
// sql/export-log-records.sql writes, not bytes from a server.
const AU = CUSTOMERS_AU;
// status A/B, fixed-part end, CustomerId (int), column count, null bitmap, 1 variable column ending at …, Name (UTF-16LE)
const ROW_ADA = '0x' + '3000' + '0800' + '01000000' + '0200' + '00' + '0100' + '1500' + '410064006100'; // 1, N'Ada'
const ROW_BO = '0x' + '3000' + '0800' + '02000000' + '0200' + '00' + '0100' + '1300' + '42006F00'; // 2, N'Bo'

const catalogRow = customersCatalogRow;
const CATALOG = [
  catalogRow({ partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4, precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1, is_identity: true }),
  catalogRow({ partition_column_id: 2, column_id: 2, column_name: 'Name', type_name: 'nvarchar', system_type_id: 231, max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', is_nullable: true, leaf_offset: -1, leaf_null_bit: 2, leaf_bit_position: 0, key_ordinal: 0 }),
];

const rec = (lsn: string, op: string, xid: string, over: Record<string, unknown> = {}) => ({
  'Current LSN': lsn, Operation: op, Context: 'LCX_NULL', 'Transaction ID': xid, AllocUnitId: null, 'Page ID': null, 'Slot ID': null,
  'Offset in Row': null, 'Modify Size': null, Description: null, 'Begin Time': null, 'End Time': null, 'Transaction Name': null,
  'Transaction SID': null, Login: null, SPID: null, 'RowLog Contents 0': null, 'RowLog Contents 1': null, ...over,
});
const del = (lsn: string, xid: string, image: string) => rec(lsn, 'LOP_DELETE_ROWS', xid, { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': image });
const RECORDS = [
  // Transaction 3e8: the batch job's committed delete of two customers.
  rec('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', '0000:000003e8', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', 'Transaction SID': '0x0105000000000005', Login: 'CORP\\batchjob', SPID: 61 }),
  del('0000002a:000001f0:0002', '0000:000003e8', ROW_ADA),
  del('0000002a:000001f0:0003', '0000:000003e8', ROW_BO),
  rec('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', '0000:000003e8', { 'End Time': '2024/03/05 14:07:10:500' }),
  // Transaction 3e9: a delete that was rolled back; must not come back.
  rec('0000002a:00000200:0001', 'LOP_BEGIN_XACT', '0000:000003e9', { 'Begin Time': '2024/03/05 14:20:00:000', 'Transaction Name': 'user_transaction', Login: 'CORP\\alice', SPID: 70 }),
  del('0000002a:00000200:0002', '0000:000003e9', ROW_ADA),
  rec('0000002a:00000200:0003', 'LOP_INSERT_ROWS', '0000:000003e9', { Context: 'LCX_CLUSTERED', AllocUnitId: AU, Description: 'COMPENSATION', 'RowLog Contents 0': ROW_ADA }),
  rec('0000002a:00000200:0004', 'LOP_ABORT_XACT', '0000:000003e9', { 'End Time': '2024/03/05 14:20:01:000' }),
];
const JSON_EXPORT = {
  format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', serverTimeZone: '+08:00', exportedAt: '2024-03-05T15:00:00.1234567+08:00',
  window: { from: '2024/03/05 14:00:00:000', to: '2024/03/05 14:59:59:999' }, tables: 'dbo.Customers', operations: 'delete',
  records: RECORDS, catalog: CATALOG,
};

const CSV_EXPORT = [
  '#rowback-export,1,csv',
  '#meta',
  '"key","value"',
  '"server","SQL01"',
  '"database","CRM"',
  '"serverTimeZone","+08:00"',
  '"window.from","2024/03/05 14:00:00:000"',
  '#records',
  csvSectionLines(RECORDS).join('\n'),
  '#catalog',
  csvSectionLines(CATALOG).join('\n'),
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'rowback-export-'));
function fileWith(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const filter = { from: '2024-03-05T14:00:00.000', to: '2024-03-05T14:59:59.999', tables: ['dbo.Customers'], operations: ['delete' as const] };

describe('export file reader', () => {
  it('reads the JSON form: header, records with bytes, logins by transaction', async () => {
    const f = await parseExportText(JSON.stringify(JSON_EXPORT), 'x.json');
    expect(f.header).toMatchObject({ server: 'SQL01', database: 'CRM', serverTimeZone: '+08:00', window: { from: '2024/03/05 14:00:00:000' } });
    expect(f.records).toHaveLength(8);
    expect(Buffer.from(f.records[1]['RowLog Contents 0']!).toString('hex').toUpperCase()).toBe(ROW_ADA.slice(2).toUpperCase());
    expect(f.records[1].source).toEqual({ kind: 'export', file: 'x.json' });
    expect(f.logins.get('0000:000003e8')).toBe('CORP\\batchjob');
  });

  it('reads JSON as sqlcmd may write it: blank lines around, the value wrapped over lines', async () => {
    const s = JSON.stringify(JSON_EXPORT);
    const wrapped = '\r\n\r\n' + s.match(/.{1,2033}/g)!.join('\r\n') + '\r\n';
    expect((await parseExportText(wrapped, 'w.json')).records).toHaveLength(8);
  });

  it('reads the sectioned CSV form to the same records and catalog', async () => {
    const a = await parseExportText(JSON.stringify(JSON_EXPORT), 'x.json');
    const b = await parseExportText(CSV_EXPORT, 'x.csv');
    expect(b.records.map((r) => ({ ...r, source: undefined }))).toEqual(a.records.map((r) => ({ ...r, source: undefined })));
    expect(b.catalog).toEqual(a.catalog);
    expect(b.header.serverTimeZone).toBe('+08:00');
    expect(b.logins).toEqual(a.logins);
  });

  it('keeps commas, quotes and line breaks inside quoted CSV values, even a line starting with #', async () => {
    const name = 'purge, "nightly"\n#not a section';
    const text = CSV_EXPORT.replace('"DELETE"', `"${name.replace(/"/g, '""')}"`);
    const f = await parseExportText(text, 'x.csv');
    expect(f.records[0]['Transaction Name']).toBe(name);
    expect(f.records).toHaveLength(8);
  });

  it('tells NULL (empty unquoted) from the empty string ("") in CSV', async () => {
    const text = CSV_EXPORT.replace('"LOP_BEGIN_XACT","LCX_NULL"', '"LOP_BEGIN_XACT",""');
    const f = await parseExportText(text, 'x.csv');
    expect(f.records[0].Context).toBe('');
    expect(f.records[0].Description).toBeNull();
  });

  it.each([
    ['bad hex in a row image', (s: string) => s.replace(ROW_BO, '0xZZ'), /record 3 \(line 12\), field RowLog Contents 0: not 0x hex/, 12],
    ['a bad Begin Time', (s: string) => s.replace('2024/03/05 14:07:09:123', '2024-03-05 14:07'), /record 1 \(line 10\), field Begin Time: .*'2024-03-05 14:07'/, 10],
    ['a bad LSN', (s: string) => s.replace('0000002a:000001f0:0004', 'nope'), /record 4 \(line 13\), field Current LSN/, 13],
    ['an unclosed quote', (s: string) => s.replace('"CORP\\alice"', '"CORP\\alice'), /line 18 is the section line #catalog, but the quoted field opened on line 14 is still open there/, 14],
    ['a missing section', (s: string) => s.slice(0, s.indexOf('#catalog')), /has no #catalog section/, undefined],
    ['the wrong marker', (s: string) => s.replace('#rowback-export,1,csv', '#something'), /line 1 is '#something'/, 1],
    ['the wrong version', (s: string) => s.replace('#rowback-export,1,csv', '#rowback-export,7,csv'), /version 7/, 1],
    ['a non-integer catalog field', (s: string) => s.replace('"901578250"', '"x"'), /catalog line \d+, field object_id/, undefined],
  ])('CSV with %s: INPUT_BAD_EXPORT naming line and field', async (_what, mutate, message, line) => {
    let err: unknown;
    try {
      await parseExportText(mutate(CSV_EXPORT), 'bad.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(message), location: { file: 'bad.csv' } });
    if (line !== undefined) expect((err as { location: { line?: number } }).location.line).toBe(line);
  });

  it.each([
    ['not JSON', '{"format": "rowback-export",\n "version": 1,\n oops}', /not valid JSON near line 3/],
    ['another JSON document', '{"rows": []}', /field format/],
    ['a bad record field', JSON.stringify({ ...JSON_EXPORT, records: [RECORDS[0], { ...RECORDS[1], 'Slot ID': 'two' }] }), /record 2, field Slot ID: not an integer/],
    ['no object at all', 'hello', /no "\{" found/],
  ])('JSON with %s: INPUT_BAD_EXPORT', async (_w, text, message) => {
    await expect(parseExportText(text, 'bad.json')).rejects.toThrow(expect.objectContaining({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(message) }));
  });

  it('reads a UTF-16LE file with its BOM (sqlcmd -u) like a UTF-8 one', async () => {
    const text = JSON.stringify({ ...JSON_EXPORT, server: '上海-SQL01' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const a = await readExportFile(fileWith('u16.json', utf16));
    const b = await readExportFile(fileWith('u8.json', text));
    expect(a.header.server).toBe('上海-SQL01');
    expect(a.records.map((r) => r['Current LSN'])).toEqual(b.records.map((r) => r['Current LSN']));
  });

  it('names an unreadable file', async () => {
    await expect(readExportFile(join(dir, 'missing.json'))).rejects.toThrow(expect.objectContaining({ code: 'INPUT_FILE_UNREADABLE' }));
  });
});

describe('ExportSource', () => {
  it.each([['json', JSON.stringify(JSON_EXPORT)], ['csv', CSV_EXPORT]])('decodes the committed delete from a %s export, not the rolled-back one', async (kind, text) => {
    const src = new ExportSource(fileWith(`crm.${kind}`, text));
    const rows = [];
    for await (const e of recoverRows(src, filter)) rows.push(e);
    expect(rows).toMatchObject([
      { kind: 'row', row: { table: 'dbo.Customers', lsn: '0000002a:000001f0:0002', values: { CustomerId: 1, Name: 'Ada' }, login: 'CORP\\batchjob', beginTime: '2024-03-05T14:07:09.123', endTime: '2024-03-05T14:07:10.500', spid: 61, transactionName: 'DELETE', source: { kind: 'export' } } },
      { kind: 'row', row: { lsn: '0000002a:000001f0:0003', values: { CustomerId: 2, Name: 'Bo' } } },
    ]);
    expect(src.stats).toMatchObject({ committed: 1, aborted: 1 });
    expect(src.description).toContain('SQL01/CRM, UTC+08:00');
    expect(src.notes.join()).toContain('UTC+08:00');
  });

  it.each([
    ['repeated (two exports put into one file)', [...RECORDS, ...RECORDS], /record 9 \(LSN 0000002a:000001f0:0001\) comes after LSN 0000002a:00000200:0004/],
    ['the same record twice', [RECORDS[0], RECORDS[1], RECORDS[1], RECORDS[2], RECORDS[3]], /record 3 \(LSN 0000002a:000001f0:0002\) repeats LSN 0000002a:000001f0:0002/],
    ['sorted by hand, the commit before its deletes', [RECORDS[0], RECORDS[3], RECORDS[1], RECORDS[2]], /record 3 \(LSN 0000002a:000001f0:0002\) comes after LSN 0000002a:000001f0:0004/],
  ])('records out of LSN order (%s) are refused, naming both (0 rows unsaid, or a row twice, before)', async (_, records, message) => {
    const src = new ExportSource(fileWith(`order-${records.length}-${String(message).length}.json`, JSON.stringify({ ...JSON_EXPORT, records })));
    const run = async () => { for await (const e of recoverRows(src, filter)) void e; };
    await expect(run()).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(message) });
  });

  it('a CSV export as sql/export-log-records.sql writes it, is_filestream a bit ("0"/"1") on every catalog row, is read: it was refused, \'field is_filestream: Invalid input\' (the CSV reader typed it as text)', async () => {
    // every catalog row of a real export carries is_filestream (sys.columns.is_filestream is NOT NULL)
    const withBit = CATALOG.map((r) => ({ ...r, is_filestream: false }));
    const csv = CSV_EXPORT.replace(csvSectionLines(CATALOG).join('\n'), csvSectionLines(withBit).join('\n'));
    expect(csv).toContain('"is_filestream"');
    const f = await parseExportText(csv, 'fs.csv');
    expect(f.catalog.map((r) => (r as { is_filestream?: unknown }).is_filestream)).toEqual([false, false]);
    const src = new ExportSource(fileWith('fs.csv', csv));
    const rows = [];
    for await (const e of recoverRows(src, filter)) rows.push(e);
    expect(rows).toMatchObject([{ kind: 'row', row: { lsn: '0000002a:000001f0:0002', values: { CustomerId: 1, Name: 'Ada' } } }, { kind: 'row', row: { values: { CustomerId: 2, Name: 'Bo' } } }]);
    // a FILESTREAM column said so ("1"): the bit read as true
    const one = await parseExportText(CSV_EXPORT.replace(csvSectionLines(CATALOG).join('\n'), csvSectionLines(CATALOG.map((r, i) => ({ ...r, is_filestream: i === 1 }))).join('\n')), 'fs1.csv');
    expect(one.catalog.map((r) => (r as { is_filestream?: unknown }).is_filestream)).toEqual([false, true]);
  });

  it('keeps only the window: a delete outside it is not returned', async () => {
    const src = new ExportSource(fileWith('w.json', JSON.stringify(JSON_EXPORT)));
    const got = [];
    for await (const c of src.candidates({ ...filter, from: '2024-03-05T14:10:00.000' })) got.push(c);
    expect(got).toHaveLength(0);
  });

  it('skips rows of a table altered after the delete, with SOURCE_SCHEMA_DRIFT and the reason', async () => {
    const altered = { ...JSON_EXPORT, catalog: CATALOG.map((c) => ({ ...c, modify_date: '2024-03-05T14:30:00' })) };
    const src = new ExportSource(fileWith('d.json', JSON.stringify(altered)));
    const got = [];
    for await (const c of src.candidates(filter)) got.push(c);
    expect(got).toHaveLength(0);
    expect(src.skipped()).toHaveLength(2);
    expect(src.skipped()[0]).toMatchObject({ code: 'SOURCE_SCHEMA_DRIFT', location: { table: 'dbo.Customers', lsn: '0000002a:000001f0:0002' }, reason: expect.stringContaining('--schema') });
    const accepting = new ExportSource(fileWith('d2.json', JSON.stringify(altered)), { acceptSchemaDrift: true });
    const all = [];
    for await (const c of accepting.candidates(filter)) all.push(c);
    expect(all).toHaveLength(2);
  });

  it('refuses an unknown table and an export without catalog rows', async () => {
    const src = new ExportSource(fileWith('u.json', JSON.stringify(JSON_EXPORT)));
    await expect((async () => { for await (const _ of src.candidates({ ...filter, tables: ['dbo.Nope'] })); })()).rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
    const empty = new ExportSource(fileWith('e.json', JSON.stringify({ ...JSON_EXPORT, catalog: [] })));
    // INPUT_NO_METADATA (was SCHEMA_BAD_CATALOG): as a files source without metadata, so --schema/--ddl stand in for it
    await expect(empty.metadata()).rejects.toMatchObject({ code: 'INPUT_NO_METADATA' });
  });
});

describe('sql/export-log-records.sql stays in step', () => {
  const script = readFileSync(new URL('../../../sql/export-log-records.sql', import.meta.url), 'utf8');
  const metadata = readFileSync(new URL('../../../sql/table-metadata.sql', import.meta.url), 'utf8');
  it('embeds the catalog query of sql/table-metadata.sql verbatim', () => {
    const block = metadata.slice(metadata.indexOf('-- rowback:catalog-begin'), metadata.indexOf('-- rowback:catalog-end'));
    expect(block.length).toBeGreaterThan(1000);
    expect(script).toContain(block);
  });
  it('writes exactly the record and catalog columns the reader and CatalogRowSchema know', () => {
    const headers = [...script.matchAll(/SELECT N'("[^']+")' AS \[line\]/g)].map((m) => m[1].split(',').map((c) => c.slice(1, -1)));
    expect(headers).toHaveLength(3);
    expect(headers[0]).toEqual(Object.keys(ExportRecordSchema.shape));
    expect(headers[1]).toEqual(Object.keys(CatalogRowSchema.shape));
    // every bit column of the catalog is typed as one when read from CSV (is_filestream was not: every CSV export refused)
    expect(Object.keys(CatalogRowSchema.shape).filter((k) => k.startsWith('is_')).filter((k) => !CATALOG_BITS.has(k))).toEqual([]);
    // the closing #end section's counts (version 2)
    expect(headers[2]).toEqual(['records', 'catalog']);
  });
  it('writes the version the reader calls its own, the #end section last, and the logRead facts the reader knows, in both forms', () => {
    expect(script).toContain(`${EXPORT_VERSION} AS [version]`);
    expect(script).toContain(`SELECT N'#rowback-export,${EXPORT_VERSION},csv' AS [line];`);
    const csv = script.slice(script.indexOf("SELECT N'#rowback-export,"));
    expect(csv.indexOf("SELECT N'#end'")).toBeGreaterThan(csv.indexOf('FROM #catalog AS c'));
    for (const k of Object.keys(LogReadSchema.shape)) {
      expect(script).toContain(`AS [logRead.${k}]`);
      expect(script).toContain(`SELECT N'"logRead.${k}",'`);
    }
    for (const k of ['logSource', 'logBackup', 'logBackupSet']) expect(script).toContain(`SELECT N'"${k}",'`);
  });
  it('runs at any database compatibility level, NULL written as an empty field whatever the client set, #meta in its order', () => {
    // STRING_SPLIT and OPENJSON are not found below compatibility level 130 (a database upgraded in place keeps 100-120)
    expect(script).not.toMatch(/\b(STRING_SPLIT|OPENJSON)\s*\(/i);
    // ISNULL(N'"' + v + N'"', N'') is NULL for a NULL v only under CONCAT_NULL_YIELDS_NULL ON
    expect(script.indexOf('SET CONCAT_NULL_YIELDS_NULL ON;')).toBeGreaterThan(-1);
    expect(script.indexOf('SET CONCAT_NULL_YIELDS_NULL ON;')).toBeLessThan(script.indexOf("SELECT N'#rowback-export,"));
    // the #meta rows of a UNION ALL in no guaranteed order without ORDER BY
    const meta = script.slice(script.indexOf("SELECT N'#meta'"), script.indexOf("SELECT N'#records'"));
    expect(meta).toMatch(/\) *\n? *AS m ORDER BY m\.\[n\];\s*$/);
    const ns = [...meta.matchAll(/, (\d+)\)?\n/g)].map((m) => Number(m[1]));
    expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
  });
  it('reads the log backup set @LogBackupSet names through fn_dump_dblog with 63 DEFAULT file slots', () => {
    expect(script).toContain(`sys.fn_dump_dblog(NULL, NULL, N'DISK', @LogBackupSet, @LogBackup${', DEFAULT'.repeat(63)})`);
  });
});
