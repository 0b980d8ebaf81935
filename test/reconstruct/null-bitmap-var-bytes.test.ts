/**
 * A variable-length column NULL in the null bitmap while the offset array gives it bytes. SQL Server
 * writes a NULL variable column with zero length (its end offset repeats the previous end), so the two
 * facts contradict each other: the bitmap or the offset array is damaged. The column is shown as NULL
 * (as the bitmap says) with a warning naming it and both facts, in the generic reader and the generated
 * fast reader alike. A CD (row-compressed) record has no such shape: a NULL column is a CD-array
 * descriptor (0) with no length of its own.
 *
 * The T2 images are SYNTHETIC (hand-built bytes); the last block damages a REAL image (text example
 * lc-nvarchar, fn_dblog RowLog Contents 0 of SQL Server 2025) at test time.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { parseHex } from '../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../support/corpus.js';

const hex = (s: string) => parseHex(s.replace(/\s+/g, '').replace(/^0x/i, ''));

const WARN_A =
  'column A is NULL in the null bitmap (bit 1) but the variable-column offset array gives it 2 byte(s) (offsets 17-19, variable column 1): SQL Server writes a NULL variable-length column with zero length, so the bitmap or the offset array is damaged; shown as NULL, its value may be lost (bytes 0x6162)';

describe('FixedVar: NULL in the bitmap, bytes in the offset array (SYNTHETIC images)', () => {
  const [T2] = layoutsFromDdl('CREATE TABLE dbo.T2 (Id int NOT NULL, A varchar(10) NULL, B varchar(10) NULL)');
  // the same table after ALTER TABLE ADD D int NULL: the 3-column records below predate D, so the
  // generic reader decodes them (the generated reader needs every column's bytes in the record)
  const [T2d] = layoutsFromDdl('CREATE TABLE dbo.T2 (Id int NOT NULL, A varchar(10) NULL, B varchar(10) NULL, D int NULL)');
  const D_MISSING = expect.stringContaining('D');

  // image → [expected values, expected warnings]
  const table: Array<[string, string, Record<string, unknown>, string[]]> = [
    ['healthy: A = ab, B = cd', '0x300008000100000003000002001300150061626364', { Id: 1, A: 'ab', B: 'cd' }, []],
    ['healthy: A NULL with zero length (end repeats the start), B = cd', '0x3000080001000000030002020011001300 6364', { Id: 1, A: null, B: 'cd' }, []],
    ['healthy: B NULL, trailing, no offset entry', '0x3000080001000000030004010011006162', { Id: 1, A: 'ab', B: null }, []],
    ['healthy: A = empty string (not NULL, zero length)', '0x3000080001000000030000020011001300 6364', { Id: 1, A: '', B: 'cd' }, []],
    ['damaged: bitmap 0x00 → 0x02 while A keeps "ab"', '0x300008000100000003000202001300150061626364', { Id: 1, A: null, B: 'cd' }, [WARN_A]],
  ];

  for (const [label, h, values, warnings] of table) {
    it(`${label} (generated reader)`, () => {
      expect(decodeRow(hex(h), T2!)).toMatchObject({ values, warnings });
    });
    it(`${label} (generic reader)`, () => {
      const row = decodeRow(hex(h), T2d!);
      expect(row.values).toMatchObject({ ...values, D: null });
      expect(row.warnings).toEqual([...warnings, D_MISSING]);
    });
  }

  it('both A and B NULL in the bitmap, both with bytes: one warning each', () => {
    const row = decodeRow(hex('0x300008000100000003000602001300150061626364'), T2!);
    expect(row.values).toEqual({ Id: 1, A: null, B: null });
    expect(row.warnings).toEqual([WARN_A, expect.stringContaining('column B is NULL in the null bitmap (bit 2) but the variable-column offset array gives it 2 byte(s) (offsets 19-21, variable column 2)')]);
  });

  it('the null bit of a column beyond the offset array (no entry): NULL, no warning', () => {
    // var count 1: only A has an entry; B NULL by the bitmap and absent from the array
    expect(decodeRow(hex('0x3000080001000000030004010011006162'), T2!)).toMatchObject({ values: { Id: 1, A: 'ab', B: null }, warnings: [] });
  });
});

describeCorpus('FixedVar: NULL in the bitmap, bytes in the offset array (a REAL image, damaged)', () => {
  // lc-nvarchar: fn_dblog RowLog Contents 0 of dbo.T (1, N'hi'), SQL Server 2025
  const image = hex(readCorpusJson<{ hex: string }>('text-examples', 'lc-nvarchar.json').hex);
  const [T] = layoutsFromDdl('CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');

  it('the real image decodes without a warning', () => {
    expect(decodeRow(image, T!)).toMatchObject({ values: { Id: 1, Name: 'hi' }, warnings: [] });
  });

  it("Name's null bit set (bitmap byte 0x00 → 0x02): NULL with a warning naming Name, its bitmap bit and its 4 bytes", () => {
    const damaged = image.slice();
    damaged[10] |= 0x02;
    expect(decodeRow(damaged, T!)).toMatchObject({
      values: { Id: 1, Name: null },
      warnings: [
        'column Name is NULL in the null bitmap (bit 1) but the variable-column offset array gives it 4 byte(s) (offsets 15-19, variable column 1): SQL Server writes a NULL variable-length column with zero length, so the bitmap or the offset array is damaged; shown as NULL, its value may be lost (bytes 0x68006900)',
      ],
    });
  });
});
