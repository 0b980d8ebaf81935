/**
 * The default a row predating ALTER TABLE … ADD c char(n)/nchar(n)/binary(n) … DEFAULT x reads as:
 * SQL Server gives such a row the column's value, and a char(n)/nchar(n) value is n characters
 * padded with blanks, a binary(n) value n bytes padded with zeros (MS Learn "char and varchar",
 * "nchar and nvarchar", "binary and varbinary": fixed size, padded); the decoder prints a stored row's
 * fixed slot whole ('ab   '). The default was printed unpadded ('ab', 0x01): a value SQL Server's
 * SELECT does not return, beside rows of the same column that do. The records are SYNTHETIC.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { defaultValueFromText } from '../../../src/reconstruct/metadata/default-value.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { SqlTypeName } from '../../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../../src/util/hex.js';

describe('fixed-length character and binary defaults are padded to the column', () => {
  const col = (type: SqlTypeName, maxLength: number) => ({ name: 'c', type, scale: 0, maxLength });
  it.each([
    ['char', 5, "'ab'", 'ab   '],
    ['char', 5, "(('ab'))", 'ab   '],
    ['char', 2, "'ab'", 'ab'],
    ['nchar', 8, "N'x'", 'x   '], // nchar(4): max_length 8 bytes
    ['binary', 4, '0x01', '0x01000000'],
    ['binary', 2, '0x0102', '0x0102'],
    ['varchar', 5, "'ab'", 'ab'],
    ['varbinary', 4, '0x01', '0x01'],
    ['char', 5, 'NULL', null],
  ] as const)('%s, max_length %d, DEFAULT %s → %j', (type, n, text, want) => {
    expect(defaultValueFromText(text, col(type, n))).toEqual(want);
  });

  it('a row logged before ALTER TABLE ADD c char(5) NOT NULL DEFAULT \'ab\' reads c = \'ab   \' (with the default warning)', () => {
    const [t] = layoutsFromDdl("CREATE TABLE dbo.t (id int NOT NULL); ALTER TABLE dbo.t ADD c char(5) NOT NULL DEFAULT 'ab', b binary(3) NOT NULL DEFAULT 0x0A;");
    // status 0x10, fixed end 8, id = 7, 1 column, bitmap 0
    const row = decodeRow(parseHex('1000080007000000010000'), t!);
    expect(row.values).toEqual({ id: 7, c: 'ab   ', b: '0x0A0000' });
    expect(row.warnings.join('\n')).toMatch(/column c is not in this record .* took its default/);
  });
});
