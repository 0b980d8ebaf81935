/**
 * The export, or a plain fn_dblog result, as the DBA's client saved it: each is read exactly or
 * refused in one INPUT_BAD_EXPORT line that names what the file is and what to do. Before, bcp's
 * BOM-less UTF-16 and a headerless SSMS CSV of fn_dblog were "no "{" found", a client's row
 * wrapped around the JSON was "field format: expected rowback-export", sqlcmd's column headers
 * before the CSV marker "no "{" found", two CSV exports in one file "section #meta appears twice".
 * SYNTHETIC text in the script's and fn_dblog's own column names.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { readExportFile } from '../../../src/logreader/export/export-file.js';
import { logTextKind } from '../../../src/util/log-text-kind.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../../support/export-fixture.js';

const CATALOG = customersCatalog();
const rec = exportRecord;
const RECORDS = [
  rec('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob' }),
  rec('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
  rec('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const JSON_TEXT = JSON.stringify({ format: 'rowback-export', version: 1, serverTimeZone: '+08:00', records: RECORDS, catalog: CATALOG });
function csvSection(rows: Record<string, unknown>[]): string {
  const cols = Object.keys(rows[0]!);
  const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(typeof v === 'boolean' ? (v ? 1 : 0) : v).replace(/"/g, '""')}"`);
  return [cols.map((c) => `"${c}"`).join(','), ...rows.map((r) => cols.map((c) => q(r[c])).join(','))].join('\n');
}
const CSV_TEXT = ['#rowback-export,1,csv', '#meta', '"key","value"', '"serverTimeZone","+08:00"', '#records', csvSection(RECORDS), '#catalog', csvSection(CATALOG), ''].join('\n');

const read = (bytes: Buffer) => readExportFile('x.export', () => Readable.from([bytes]));
async function refusal(bytes: Buffer): Promise<string> {
  const e = await read(bytes).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).code).toBe('INPUT_BAD_EXPORT');
  expect((e as InputError).message).not.toContain('\n');
  return (e as InputError).message;
}

describe('the export in other encodings and paddings', () => {
  it.each([
    ['JSON, UTF-16LE without a BOM (bcp -w)', Buffer.from(JSON_TEXT, 'utf16le')],
    ['CSV, UTF-16LE without a BOM (bcp -w)', Buffer.from(CSV_TEXT, 'utf16le')],
    ['CSV, lines padded with spaces (sqlcmd without -W)', Buffer.from(CSV_TEXT.split('\n').map((l) => l + '      ').join('\n'))],
  ])('%s is read, values as the script wrote them', async (_name, bytes) => {
    const f = await read(bytes);
    expect(f.records.map((r) => r.Operation)).toEqual(['LOP_BEGIN_XACT', 'LOP_DELETE_ROWS', 'LOP_COMMIT_XACT']);
    expect(f.records[1]!.AllocUnitId).toBe(CUSTOMERS_AU);
    expect(Buffer.from(f.records[1]!['RowLog Contents 0']!).toString('hex')).toBe(ROW_ADA.slice(2));
    expect(f.logins.get('0000:000003e8')).toBe('CORP\\batchjob');
    expect(f.catalog).toHaveLength(2);
  });

  it('UTF-16 big-endian is refused naming the encoding', async () => {
    const be = Buffer.from('\ufeff' + JSON_TEXT, 'utf16le').swap16();
    expect(await refusal(be)).toContain('is UTF-16 big-endian text');
  });
});

describe('the export wrapped by a client', () => {
  it.each([
    ["Azure Data Studio's Save as JSON", JSON.stringify([{ rowback_export: JSON_TEXT }], null, 4)],
    ["PowerShell's ConvertTo-Json of the Invoke-Sqlcmd row", JSON.stringify({ rowback_export: JSON_TEXT, RowError: '', RowState: 'Detached' }, null, 4)],
  ])('%s: refused as the export held in a string value, naming the field', async (_name, text) => {
    const m = await refusal(Buffer.from(text));
    expect(m).toContain("holds the export as the text of a JSON string (field 'rowback_export')");
    expect(m).toContain('-h -1 -y 0 -f 65001');
  });

  it.each([
    ["Azure Data Studio's Save as CSV of the JSON value", 'rowback_export\r\n"' + JSON_TEXT.replace(/"/g, '""') + '"\r\n', "a CSV column 'rowback_export'"],
    ['a grid of the CSV lines saved as CSV', 'line\r\n' + CSV_TEXT.split('\n').filter(Boolean).map((l) => `"${l.replace(/"/g, '""')}"`).join('\r\n'), "a CSV column 'line'"],
  ])('%s: refused as the export quoted in CSV cells, naming the column', async (_name, text, column) => {
    const m = await refusal(Buffer.from(text));
    expect(m).toContain(`holds the export quoted as the cells of ${column}`);
  });

  it('an .xlsx workbook (a ZIP archive) is named as one, not as text that is not UTF-8', async () => {
    const m = await refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0xfe, 0x80]));
    expect(m).toContain('is a ZIP archive (an .xlsx workbook');
  });

  it('lines ended by CR alone: refused as such (was "has no #records section")', async () => {
    expect(await refusal(Buffer.from(CSV_TEXT.replace(/\n/g, '\r')))).toContain('ends its lines with CR alone');
  });

  it.each([[';', "';'"], ['\t', 'tabs']])('the CSV re-saved with %j between fields: the separator is named', async (sep, said) => {
    const text = CSV_TEXT.split('\n').map((l) => l.split(',').join(sep)).join('\n');
    expect(await refusal(Buffer.from(text))).toContain(`the file is separated by ${said} instead of commas`);
  });

  it("sqlcmd's column header and dashes before the CSV marker: refused naming the marker's line and -h -1", async () => {
    const text = CSV_TEXT.split('\n').flatMap((l) => (l.startsWith('#') ? ['line', '-'.repeat(40), l] : [l])).join('\n');
    expect(await refusal(Buffer.from(text))).toContain("line 3 holds the #rowback-export marker, but the lines before it are not part of an export (sqlcmd's column header 'line' and its dashes?): run sqlcmd with -h -1");
  });

  it("PowerShell's Export-Csv of the CSV lines (#TYPE line, each line quoted again): named as such", async () => {
    const text = ['#TYPE System.Data.DataRow', '"line"', ...CSV_TEXT.split('\n').filter(Boolean).map((l) => `"${l.replace(/"/g, '""')}"`)].join('\r\n');
    expect(await refusal(Buffer.from(text))).toContain("begins with PowerShell's Export-Csv type line (#TYPE …)");
  });

  it('CSV lines cut at a width (sqlcmd without -y 0): the parser reason is followed by what most often causes it', async () => {
    const cut = CSV_TEXT.split('\n').map((l) => l.slice(0, 100)).join('\n');
    const m = await refusal(Buffer.from(cut));
    expect(m).toMatch(/^line \d+ is the section line #catalog, but the quoted field opened on line \d+ is still open there \(lines cut short\? sqlcmd without -y 0 cuts each value at 256 characters/);
    // the last line cut: between fields (too few of them), or inside a quoted one (never closed)
    const tail = CSV_TEXT.split('\n');
    const last = tail.length - 2;
    const at = (n: number) => Buffer.from([...tail.slice(0, last), tail[last]!.slice(0, n), ''].join('\n'));
    expect(await refusal(at(30))).toMatch(/^section #catalog, line 13: Invalid Record Length: .* \(lines cut short\? /);
    expect(await refusal(at(32))).toMatch(/^line 13: a quoted field is never closed \(lines cut short\? /);
  });

  it('two CSV exports in one file: refused at the second marker, naming its line', async () => {
    const two = CSV_TEXT + CSV_TEXT;
    const second = CSV_TEXT.split('\n').length; // the first export's lines, its last one empty: the second marker is on this line
    expect(await refusal(Buffer.from(two))).toContain(`line ${second} holds a second #rowback-export marker: two exports were put into one file`);
  });
});

describe('a plain fn_dblog result in the formats clients save it', () => {
  const COLS = ['Current LSN', 'Operation', 'Context', 'Transaction ID', 'AllocUnitId', 'Description', 'RowLog Contents 0'];
  const ROWS = [
    ['0000002a:000001f0:0001', 'LOP_BEGIN_XACT', 'LCX_NULL', '0000:000003e8', 'NULL', 'DELETE;0x0105, a, b', 'NULL'],
    ['0000002a:000001f0:0002', 'LOP_DELETE_ROWS', 'LCX_MARK_AS_GHOST', '0000:000003e8', CUSTOMERS_AU, 'NULL', ROW_ADA],
  ];
  const lines = (sep: string, rows: string[][]) => rows.map((r) => r.join(sep)).join('\r\n') + '\r\n';
  const objects = ROWS.map((r) => Object.fromEntries(COLS.map((c, i) => [c, r[i] === 'NULL' ? null : r[i]])));
  it.each([
    ['SSMS "Save Results As" CSV, no header (its default)', Buffer.from(lines(',', ROWS))],
    ['bcp -c, no header, tab-separated', Buffer.from(lines('\t', ROWS))],
    ['bcp -w, UTF-16LE without a BOM', Buffer.from(lines('\t', ROWS), 'utf16le')],
    ['PowerShell Export-Csv (#TYPE line, then the quoted header)', Buffer.from('#TYPE System.Data.DataRow\r\n' + lines(',', [COLS, ...ROWS].map((r) => r.map((v) => `"${v}"`))))],
    ['PowerShell ConvertTo-Json of one row (an object, not an array)', Buffer.from(JSON.stringify(objects[0], null, 4))],
  ])('%s: named a plain fn_dblog result, with what to do', async (_name, bytes) => {
    expect(logTextKind(bytes)).toBe('fn_dblog');
    const m = await refusal(bytes);
    expect(m).toContain('is a plain fn_dblog result');
    expect(m).toContain('run that script in the database');
  });

  it('a CSV of some other table is not taken for one', () => {
    expect(logTextKind(Buffer.from('CustomerId,Name\r\n1,Ada\r\n'))).toBeNull();
    expect(logTextKind(Buffer.from('{"id":1,"Operation":"x"}'))).toBeNull();
  });
});

describe('a JSON export cut short or followed by more text', () => {
  it.each([
    ['cut at 256 characters (a client limit)', JSON_TEXT.slice(0, 256)],
    ['cut in the middle', JSON_TEXT.slice(0, Math.floor(JSON_TEXT.length / 2))],
    ['cut right after a record closes', JSON_TEXT.slice(0, JSON_TEXT.indexOf('}') + 1)],
    ['its last braces lost', JSON_TEXT.slice(0, -2)],
  ])('%s: said as cut short, not as a parser message', async (_name, text) => {
    const m = await refusal(Buffer.from(text));
    expect(m).toContain("ends inside the export's JSON object (near line 1): the file is cut short");
    expect(m).not.toContain('Parser');
  });

  it('two JSON exports one after the other: the line where the first ends and what follows', async () => {
    const m = await refusal(Buffer.from(JSON_TEXT + '\n' + JSON_TEXT));
    expect(m).toContain(`has more text after the export's JSON object, which ends on line 1 ('{"format":"rowback-export"`);
    expect(m).toContain('two exports put into one file');
  });

  it("sqlcmd's column header is skipped; its '(1 rows affected)' footer is named with the line", async () => {
    const header = 'rowback_export\n' + '-'.repeat(60) + '\n';
    expect((await read(Buffer.from(header + JSON_TEXT + '\n'))).records).toHaveLength(3);
    const m = await refusal(Buffer.from(header + JSON_TEXT + '\n\n(1 rows affected)\n'));
    expect(m).toContain("which ends on line 3 ('(1 rows affected)…')");
  });

  it('a syntax error inside a whole object keeps the parser message and line', async () => {
    const m = await refusal(Buffer.from(JSON_TEXT.replace('"Operation":"LOP_DELETE_ROWS"', '"Operation" "LOP_DELETE_ROWS"')));
    expect(m).toContain('is not valid JSON near line 1');
  });
});

describe('a JSON export whose records are not an array', () => {
  it.each([['null', null], ['an object', {}], ['a string', 'x']])('records as %s: said as the field, not as invalid JSON', async (_name, value) => {
    const text = JSON.stringify({ ...(JSON.parse(JSON_TEXT) as object), records: value });
    const m = await refusal(Buffer.from(text));
    expect(m).toBe('is not a rowback export: field records: not an array of records');
  });
});

describe('the JSON export wrapped by a client', () => {
  // a client may break the one long value anywhere, inside a token too (export-stream.ts jsonText);
  // broken inside "rowback-export", the file was taken for a plain fn_dblog object by the records'
  // "Current LSN" and "Operation" keys further on, and refused
  it.each([7, 15, 16, 37])('every %i characters: read as the export unwrapped is, the kind still rowback-export', async (width) => {
    const wrapped = JSON_TEXT.replace(new RegExp(`(.{${width}})`, 'g'), '$1\r\n');
    expect(logTextKind(Buffer.from(wrapped))).toBe('rowback-export');
    const f = await read(Buffer.from(wrapped));
    const plain = await read(Buffer.from(JSON_TEXT));
    expect(f.records).toEqual(plain.records);
    expect(f.records.map((r) => r.Operation)).toEqual(['LOP_BEGIN_XACT', 'LOP_DELETE_ROWS', 'LOP_COMMIT_XACT']);
    expect(f.catalog).toEqual(plain.catalog);
  });
});
