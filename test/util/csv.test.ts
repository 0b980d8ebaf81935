import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord, spreadsheetSafe } from '../../src/util/csv.js';

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
  it('values: NULL empty, bit 1/0, objects as JSON', () => {
    expect([csvCell(null), csvCell(undefined), csvCell(true), csvCell(false), csvCell(3), csvCell({ hex: '0x01' } as never)]).toEqual(['', '', '1', '0', '3', '{"hex":"0x01"}']);
  });
});
