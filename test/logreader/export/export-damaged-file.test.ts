import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { parseExportText, readExportFile } from '../../../src/logreader/export/export-file.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../../support/export-fixture.js';

// SYNTHETIC exports shaped like sql/export-log-records.sql's output, then damaged the way a DBA's
// tools damage them (a column left out, a spreadsheet's resave, …): each must be read exactly or
// refused with one INPUT_BAD_EXPORT line naming the problem, never read with a value changed.
const CATALOG = customersCatalog(true);
const rec = exportRecord;
const RECORDS = [
  rec('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61 }),
  rec('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
  rec('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const exportJson = (records: Record<string, unknown>[], catalog: Record<string, unknown>[] = CATALOG) =>
  JSON.stringify({ format: 'rowback-export', version: 1, server: 'SQL01', database: 'CRM', serverTimeZone: '+08:00', records, catalog });

/** The sectioned CSV as the script writes it: every value quoted, NULL an empty unquoted field. */
function csvSection(rows: Record<string, unknown>[], cols = Object.keys(rows[0]!)): string {
  const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(typeof v === 'boolean' ? (v ? 1 : 0) : v).replace(/"/g, '""')}"`);
  return [cols.map((c) => `"${c}"`).join(','), ...rows.map((r) => cols.map((c) => q(r[c])).join(','))].join('\n');
}
const exportCsv = (records: Record<string, unknown>[], recordCols?: string[], catalog: Record<string, unknown>[] = CATALOG) =>
  ['#rowback-export,1,csv', '#meta', '"key","value"', '"serverTimeZone","+08:00"', '#records', csvSection(records, recordCols), '#catalog', csvSection(catalog), ''].join('\n');

async function refusal(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).code).toBe('INPUT_BAD_EXPORT');
  expect((e as InputError).message).not.toContain('\n');
  return e as InputError;
}

describe('an export with a column left out', () => {
  const without = (col: string) => RECORDS.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== col)));

  it.each(['Begin Time', 'RowLog Contents 0', 'AllocUnitId', 'Login', 'Transaction SID'])('JSON without %s is refused naming the field, not read as NULL', async (col) => {
    const e = await refusal(parseExportText(exportJson(without(col)), 'x.json'));
    expect(e.message).toContain(`record 1 has no field '${col}'`);
    expect(e.location).toMatchObject({ column: col });
  });

  it.each(['Begin Time', 'RowLog Contents 0', 'AllocUnitId'])('CSV without the %s column is refused naming the field and line', async (col) => {
    const cols = Object.keys(RECORDS[0]!).filter((c) => c !== col);
    const e = await refusal(parseExportText(exportCsv(RECORDS, cols), 'x.csv'));
    expect(e.message).toContain(`record 1 (line 7) has no field '${col}'`);
    expect(e.message).toContain('cannot be told from NULL');
  });

  it('columns in another order are read by name, values unchanged', async () => {
    const cols = Object.keys(RECORDS[0]!).reverse();
    const f = await parseExportText(exportCsv(RECORDS, cols), 'x.csv');
    expect(f.records.map((r) => r.AllocUnitId)).toEqual([null, CUSTOMERS_AU, null]);
    expect(f.records[0]!['Begin Time']).toBe('2024/03/05 14:07:09:123');
    expect(f.logins.get('0000:000003e8')).toBe('CORP\\batchjob');
  });
});

describe('allocation unit ids a spreadsheet rewrote', () => {
  const rounded = CUSTOMERS_AU.slice(0, 15) + '00'; // Excel's 15 significant digits: 72057594043236300
  const recordsWith = (au: unknown) => RECORDS.map((r) => (r.AllocUnitId ? { ...r, AllocUnitId: au } : r));
  const catalogWith = (au: unknown) => CATALOG.map((c) => ({ ...c, in_row_alloc_unit_id: au }));

  it('an id rounded to 15 digits in the records and the catalog alike is refused, not printed wrong', async () => {
    const e = await refusal(parseExportText(exportCsv(recordsWith(rounded), undefined, catalogWith(rounded)), 'x.csv'));
    expect(e.message).toContain(`field in_row_alloc_unit_id: '${rounded}' cannot be an allocation unit id`);
    expect(e.message).toContain('Excel');
  });

  it('a rounded record AllocUnitId (catalog intact) is refused naming record, line and field', async () => {
    const e = await refusal(parseExportText(exportCsv(recordsWith(rounded)), 'x.csv'));
    expect(e.message).toContain(`record 2 (line 8), field AllocUnitId: '${rounded}' cannot be an allocation unit id`);
  });

  it('an id in exponent form (7.20576E+16) is said as a spreadsheet rewrite', async () => {
    const e = await refusal(parseExportText(exportCsv(recordsWith('7.20576E+16')), 'x.csv'));
    expect(e.message).toContain("field AllocUnitId: '7.20576E+16' is a number in exponent form");
  });

  it('JSON: a catalog id rounded is refused; a JSON number beyond 2^53 is named as one', async () => {
    const a = await refusal(parseExportText(exportJson(RECORDS, catalogWith(rounded)), 'x.json'));
    expect(a.message).toContain(`catalog row 1, field in_row_alloc_unit_id: '${rounded}' cannot be an allocation unit id`);
    const b = await refusal(readExportFile('x.json', () => Readable.from([Buffer.from(exportJson(RECORDS).replace(`"AllocUnitId":"${CUSTOMERS_AU}"`, `"AllocUnitId":${CUSTOMERS_AU}`))])));
    expect(b.message).toContain('record 2, field AllocUnitId: 72057594043236350 is a JSON number beyond 2^53');
  });

  it('the ids as the script writes them still read exactly', async () => {
    const f = await parseExportText(exportCsv(RECORDS), 'x.csv');
    expect(f.records[1]!.AllocUnitId).toBe(CUSTOMERS_AU);
    expect(f.catalog[0]!.in_row_alloc_unit_id).toBe(CUSTOMERS_AU);
  });
});

describe('text a client rewrote', () => {
  it('an export in a code page, not UTF-8 (sqlcmd without -f 65001): refused naming the byte, not read with U+FFFD', async () => {
    const withLogin = RECORDS.map((r) => (r.Operation === 'LOP_BEGIN_XACT' ? { ...r, Login: 'CORP\\José' } : r));
    for (const text of [exportJson(withLogin), exportCsv(withLogin)]) {
      const bytes = Buffer.from(text, 'latin1'); // é as the single byte 0xE9 (Windows-1252)
      const e = await refusal(readExportFile('x.export', () => Readable.from([bytes])));
      expect(e.message).toContain(`is not UTF-8 text: byte offset ${bytes.indexOf(0xe9)} (after '`);
      expect(e.message).toMatch(/CORP\\{1,2}Jos'\)/); // JSON escapes the backslash
      expect(e.message).toContain('-f 65001');
    }
    // the same text in UTF-8 is read, the name as it is
    const f = await parseExportText(exportCsv(withLogin), 'x.csv');
    expect(f.logins.get('0000:000003e8')).toBe('CORP\\José');
  });

  it.each([
    ['Current LSN', '22:30:02', 'record 2 (line 8), field Current LSN: not an LSN of the form 0000002a:000001f0:0003'],
    ['Current LSN', '2a:1f0:2', 'record 2 (line 8), field Current LSN: not an LSN of the form 0000002a:000001f0:0003'],
    ['Page ID', '3:03:00', 'record 2 (line 8), field Page ID: not a page id of the form 0001:00000123'],
    ['Transaction ID', '0:3e8', 'record 2 (line 8), field Transaction ID: not a transaction id of the form 0000:000003e8'],
  ])('a %s not padded as fn_dblog prints it (%s: a spreadsheet read it as a time) is refused, not read as hex', async (col, value, said) => {
    const records = RECORDS.map((r) => (r.Operation === 'LOP_DELETE_ROWS' ? { ...r, [col]: value } : r));
    const e = await refusal(parseExportText(exportCsv(records), 'x.csv'));
    expect(e.message).toContain(said);
    expect(e.message).toContain('spreadsheet');
  });
});

describe('a CSV export another tool saved again', () => {
  it.each([
    ['AllocUnitId', null],
    ['Login', 'LOP_BEGIN_XACT'],
    ['Transaction Name', 'LOP_BEGIN_XACT'],
  ])('the text NULL unquoted in %s is refused naming line and field (a login was printed as the text NULL)', async (col, op) => {
    const lines = exportCsv(RECORDS).split('\n');
    const header = lines[5]!.split(',');
    const k = header.indexOf(`"${col}"`);
    const idx = op ? 6 : 8; // 0-based: the LOP_BEGIN_XACT's line, or the LOP_COMMIT_XACT's (AllocUnitId NULL)
    const fields = lines[idx]!.split(',');
    fields[k] = 'NULL';
    lines[idx] = fields.join(',');
    const e = await refusal(parseExportText(lines.join('\n'), 'x.csv'));
    expect(e.message).toContain(`section #records, line ${idx + 1}, field ${col}: the text NULL, unquoted`);
  });

  it('the text NULL quoted is a value, as the script writes it', async () => {
    const records = RECORDS.map((r) => (r.Operation === 'LOP_BEGIN_XACT' ? { ...r, 'Transaction Name': 'NULL' } : r));
    const f = await parseExportText(exportCsv(records), 'x.csv');
    expect(f.records[0]!['Transaction Name']).toBe('NULL');
  });

  it('a column named twice in the header is refused naming it and the header line (csv-parse kept the last)', async () => {
    const cols = [...Object.keys(RECORDS[0]!), 'Begin Time'];
    const lines = exportCsv(RECORDS).split('\n');
    lines[5] = cols.map((c) => `"${c}"`).join(',');
    for (let i = 6; i <= 8; i++) lines[i] += ',"2020/01/01 00:00:00:000"';
    const e = await refusal(parseExportText(lines.join('\n'), 'x.csv'));
    expect(e.message).toContain("section #records, line 6: the header names column 'Begin Time' twice");
  });
});

describe("the header's server time zone", () => {
  it.each([
    ['CSV', (zone: string) => exportCsv(RECORDS).replace('"serverTimeZone","+08:00"', `"serverTimeZone","${zone}"`)],
    ['JSON', (zone: string) => exportJson(RECORDS).replace('"serverTimeZone":"+08:00"', `"serverTimeZone":"${zone}"`)],
  ])('%s: a zone a spreadsheet rewrote (8:00:00) is refused, not stated as UTC8:00:00; +08:00 and -05:30 are read', async (_form, text) => {
    const e = await refusal(parseExportText(text('8:00:00'), 'x'));
    expect(e.message).toContain("serverTimeZone '8:00:00' is not a UTC offset of the form +08:00");
    expect((await parseExportText(text('-05:30'), 'x')).header.serverTimeZone).toBe('-05:30');
    expect((await parseExportText(text('+08:00'), 'x')).header.serverTimeZone).toBe('+08:00');
  });
});

describe('a value holding a line break and a section line (valid: the script quotes it)', () => {
  // BEGIN TRAN @name takes any nvarchar(32), line breaks included, and a default constraint any
  // text: a line '#catalog' inside a quoted field was refused as a quote left open (lines cut short)
  const named = RECORDS.map((r) => (r.Operation === 'LOP_BEGIN_XACT' ? { ...r, 'Transaction Name': 'x\n#records\ny', Description: 'a\n#catalog' } : r));
  const defaulted = CATALOG.map((c, i) => (i === 1 ? { ...c, default_value: "(N'a\n#catalog\nb')" } : c));

  it('is read exactly, CSV and JSON alike', async () => {
    for (const eol of ['\n', '\r\n']) {
      const f = await parseExportText(exportCsv(named, undefined, defaulted).replace(/\n/g, eol), 'x.csv');
      expect(f.records[0]!['Transaction Name']).toBe(`x${eol}#records${eol}y`);
      expect(f.records[0]!.Description).toBe(`a${eol}#catalog`);
      expect(f.records.map((r) => r.Operation)).toEqual(['LOP_BEGIN_XACT', 'LOP_DELETE_ROWS', 'LOP_COMMIT_XACT']);
      expect(f.catalog[1]!.default_value).toBe(`(N'a${eol}#catalog${eol}b')`);
    }
    const j = await parseExportText(exportJson(named, defaulted), 'x.json');
    expect(j.records[0]!['Transaction Name']).toBe('x\n#records\ny');
  });

  it('a quote left open before the real section line (its header follows) is still said as such', async () => {
    const text = exportCsv(RECORDS).replace('"CORP\\batchjob"', '"CORP\\batchjob');
    const e = await refusal(parseExportText(text, 'x.csv'));
    expect(e.message).toMatch(/^line 10 is the section line #catalog, but the quoted field opened on line 7 is still open there \(lines cut short\?/);
  });
});

describe('line breaks inside a value', () => {
  // the script writes a value's own CR LF as it is (a default constraint N'a'+CHAR(13)+CHAR(10)+N'b',
  // a Description); the reader dropped every CR before LF, so a row written before ALTER TABLE … ADD
  // … DEFAULT was printed and re-inserted with N'a'+CHAR(10)+N'b'
  it('a value\'s CR LF is kept, in an LF file and in a CRLF file; a value\'s LF alone stays LF', async () => {
    const defaulted = CATALOG.map((c, i) => (i === 1 ? { ...c, default_value: "(N'a\r\nb')" } : c));
    const named = RECORDS.map((r) => (r.Operation === 'LOP_BEGIN_XACT' ? { ...r, 'Transaction Name': 'one\ntwo', Description: 'x\r\ny' } : r));
    const lf = await parseExportText(exportCsv(named, undefined, defaulted), 'x.csv');
    expect(lf.catalog[1]!.default_value).toBe("(N'a\r\nb')");
    expect(lf.records[0]!.Description).toBe('x\r\ny');
    expect(lf.records[0]!['Transaction Name']).toBe('one\ntwo');
    expect(lf.records.map((r) => r.Operation)).toEqual(['LOP_BEGIN_XACT', 'LOP_DELETE_ROWS', 'LOP_COMMIT_XACT']);
    expect(lf.catalog.map((c) => c.column_name)).toEqual(['CustomerId', 'Name']);
    // a CRLF file (sqlcmd on Windows) ends every line CR LF; the value's own breaks are as the file holds them
    const crlf = await parseExportText(exportCsv(named, undefined, defaulted).replace(/\r?\n/g, '\r\n'), 'x.csv');
    expect(crlf.catalog[1]!.default_value).toBe("(N'a\r\nb')");
    expect(crlf.records[0]!.Description).toBe('x\r\ny');
    expect(crlf.records.map((r) => r.Operation)).toEqual(['LOP_BEGIN_XACT', 'LOP_DELETE_ROWS', 'LOP_COMMIT_XACT']);
    expect(crlf.records[1]!.AllocUnitId).toBe(CUSTOMERS_AU);
  });
});
