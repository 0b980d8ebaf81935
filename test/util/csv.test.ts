import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvValueHeaders, csvCell, csvRecord, csvWarningsCell, spreadsheetSafe } from '../../src/util/csv.js';

describe('CSV injection: formula cells are neutralised for spreadsheets (OWASP)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+cmd|\' /C calc\'!A0', `'+cmd|' /C calc'!A0`],
    ['-2+3+cmd', `'-2+3+cmd`],
    ['@SUM(1+1)', `'@SUM(1+1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['plain', 'plain'],
    ['', ''],
    ['-12.50', '-12.50'],
    ['+3', '+3'],
    ['-1e5', '-1e5'],
    ['a=b', 'a=b'],
  ])('%j → %j', (input, expected) => {
    expect(spreadsheetSafe(input)).toBe(expected);
    expect(spreadsheetSafe(input, true)).toBe(input);
  });
  it('records: every cell guarded (headers too), quoting by csv-stringify; raw leaves them alone', () => {
    expect(csvRecord(['=1+1', 'x,y', null, 5])).toBe(`'=1+1,"x,y",,5\n`);
    expect(csvRecord(['=1+1'], true)).toBe('=1+1\n');
  });
  it('values: NULL null (an empty unquoted cell), bit 1/0, objects as JSON', () => {
    expect([csvCell(null), csvCell(undefined), csvCell(true), csvCell(false), csvCell(3), csvCell({ hex: '0x01' } as never)]).toEqual([null, null, '1', '0', '3', '{"hex":"0x01"}']);
  });
  it("NULL is an empty unquoted cell, '' is \"\": csv-parse reads them back apart (cast on quoting), plain parse gives '' for both", () => {
    const line = csvRecord([csvCell(null), csvCell(''), csvCell('a'), csvCell(' '), csvCell('x"y')]);
    expect(line).toBe(',"",a, ,"x""y"\n');
    const typed = parse(line, { cast: (v: string, ctx: { quoting: boolean }) => (ctx.quoting || v !== '' ? v : null) }) as unknown[][];
    expect(typed[0]).toEqual([null, '', 'a', ' ', 'x"y']);
    expect(parse(line)).toEqual([['', '', 'a', ' ', 'x"y']]);
  });
  it('value headers: a name of the output\'s own columns (any case), or starting with [ or after., becomes [name] with ] doubled; headers stay unique', () => {
    const own = ['table', 'lsn', 'raw', 'warnings'];
    const names = ['Id', 'table', 'LSN', 'Raw', '[table]', 'a]b', 'after.x', 'x', 'x]'];
    const h = csvValueHeaders(names, own);
    expect(h).toEqual(['Id', '[table]', '[LSN]', '[Raw]', '[[table]]]', 'a]b', '[after.x]', 'x', 'x]']);
    const all = [...own, ...h, ...h.map((c) => `after.${c}`)];
    expect(new Set(all.map((c) => c.toLowerCase())).size).toBe(all.length);
  });
  it("value headers stay unique as written: a column named '=x beside one named =x (whose header cell the spreadsheet guard writes '=x)", () => {
    const h = csvValueHeaders(['=x', "'=x"], ['table']);
    const cells = parse(csvRecord([...h, ...h.map((c) => `after.${c}`)])) as string[][];
    expect(cells[0]).toEqual(["'=x", "['=x]", 'after.=x', "after.['=x]"]);
    expect(new Set(cells[0]).size).toBe(4);
  });
});

describe("CSV guard: a value that itself starts with ' is never the same cell as a guarded one", () => {
  // The value '=x and the value =x were both written '=x: a reviewer (or a program dropping the
  // guard) could not tell which one the database held.
  it.each([
    ["'=x", "''=x"],
    ["'", "''"],
    ["'abc", "''abc"],
    ["''", "'''"],
  ])('%j → %j', (input, expected) => {
    expect(spreadsheetSafe(input)).toBe(expected);
    expect(spreadsheetSafe(input, true)).toBe(input);
  });
  it('every pair of distinct values stays distinct, and one leading quote dropped gives each back', () => {
    const values = ['=x', "'=x", "''=x", '-1', "'-1", 'a', "'a", "'", '', '+', "'+", '@a', "'@a", '\t', "'\t"];
    const cells = values.map((v) => spreadsheetSafe(v));
    expect(new Set(cells).size).toBe(values.length);
    for (const [i, cell] of cells.entries()) expect(cell.startsWith("'") && cell !== values[i] ? cell.slice(1) : cell).toBe(values[i]);
    const line = parse(csvRecord(values)) as string[][];
    expect(line[0]).toEqual(cells);
  });
});

/**
 * The CSV's own warnings name a column as every row warning does (identifierText: `column [Unit
 * Price]: …`, a regular name bare), and a name holding an unpaired surrogate escaped (`[Na\\u{d83d}me]`):
 * written raw, the warning that says the header cell shows U+FFFD named the column with U+FFFD too
 * (`(Na\ufffdme)`, the UTF-8 CSV has no form for the half), so no reader could tell which column it
 * was. SYNTHETIC names and values (Northwind's `Unit Price` as the irregular name).
 */
describe('csvWarningsCell names a column as one name, its unpaired surrogate escaped', () => {
  it('a value and an after image\'s value holding an unpaired surrogate, a header cell holding one', () => {
    const names = ['OrderID', 'Unit Price', 'Na\ud83dme'];
    const cell = csvWarningsCell([], names, { OrderID: 1, 'Unit Price': 'x\ud800', 'Na\ud83dme': 'a' }, { OrderID: 1, 'Unit Price': 'y', 'Na\ud83dme': '\udc00' })!;
    const parts = cell.split('; ');
    expect(parts.some((w) => w.startsWith('the header of value column 3 ([Na\\u{d83d}me]): the column\'s name holds an unpaired UTF-16 surrogate (U+D83D at offset 2)'))).toBe(true);
    expect(parts.some((w) => w.startsWith('column [Unit Price]: its value holds an unpaired UTF-16 surrogate (U+D800 at offset 1)'))).toBe(true);
    expect(parts.some((w) => w.startsWith('column after.[Na\\u{d83d}me]: its value holds an unpaired UTF-16 surrogate (U+DC00 at offset 0)'))).toBe(true);
    expect(/[\ud800-\udfff]/.test(cell)).toBe(false);
    // a regular name as before
    expect(csvWarningsCell([], ['Name'], { Name: '\ud83d' })).toMatch(/^column Name: its value holds an unpaired UTF-16 surrogate \(U\+D83D at offset 0\)/);
  });
});
