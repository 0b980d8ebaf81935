/**
 * DDL as SSMS and people write it: a money constant (`DEFAULT ($5)`, `DEFAULT (-$12.50)`, `£3`;
 * Microsoft Learn "Constants (Transact-SQL)": money constants take a currency symbol prefix) stopped
 * the whole script at the lexer ("unexpected character '$'"), and a date default in ISO 8601's
 * unseparated form (`DEFAULT ('20200101')`, which SQL Server reads alike under every DATEFORMAT and
 * language: Microsoft Learn "datetime (Transact-SQL)") was refused SCHEMA_BAD_DEFAULT for a column
 * added later, where the rows before the ALTER read the default. Forms that depend on DATEFORMAT
 * ('01/02/2020') stay refused. The records are SYNTHETIC.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { defaultValueFromText } from '../../../src/reconstruct/metadata/default-value.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { SqlTypeName } from '../../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../../src/util/hex.js';

describe('money constants and unseparated dates in defaults', () => {
  const col = (type: SqlTypeName, scale = 0) => ({ name: 'c', type, scale, maxLength: 8 });
  it.each([
    ['money', 0, '$5', '5.0000'],
    ['money', 0, '(($5))', '5.0000'],
    ['money', 0, '-$12.5', '-12.5000'],
    ['money', 0, '£3', '3.0000'],
    ['smallmoney', 0, '$1,000.25', '1000.2500'],
    ['decimal', 2, '$7', '7.00'],
    ['datetime', 3, "('20200101')", '2020-01-01T00:00:00.000'],
    ['datetime', 3, "'20200101 10:30:00.5'", '2020-01-01T10:30:00.500'],
    ['datetime2', 7, "'20200101'", '2020-01-01T00:00:00.0000000'],
    ['date', 0, "'20200101'", '2020-01-01'],
    ['smalldatetime', 0, "'20200101 10:30'", '2020-01-01T10:30:00'],
  ] as const)('%s DEFAULT %s → %j', (type, scale, text, want) => {
    expect(defaultValueFromText(text, col(type, scale))).toEqual(want);
  });

  it.each([
    ['datetime', "'01/02/2020'"],
    ['date', "'2020010'"],
    ['int', '$5'],
  ] as const)('%s DEFAULT %s is refused, not guessed', (type, text) => {
    expect(() => defaultValueFromText(text, col(type, 3))).toThrow(expect.objectContaining({ code: 'SCHEMA_BAD_DEFAULT' }));
  });

  it('a CREATE TABLE with DEFAULT ($5) parses, and a row before ALTER … ADD m money NOT NULL DEFAULT -$2.5, d datetime NOT NULL DEFAULT (\'20200101\') reads them', () => {
    const [t] = layoutsFromDdl("CREATE TABLE [dbo].[t] ([id] [int] NOT NULL, [p] [money] NOT NULL CONSTRAINT [DF_t_p] DEFAULT ($5)); ALTER TABLE dbo.t ADD m money NOT NULL DEFAULT -$2.5, d datetime NOT NULL DEFAULT ('20200101');");
    // status 0x10, fixed end 16, id = 7, p = 1.0000 (10000 ten-thousandths), 2 columns, bitmap 0
    const row = decodeRow(parseHex('10001000070000001027000000000000020000'), t!);
    expect(row.values).toEqual({ id: 7, p: '1.0000', m: '-2.5000', d: '2020-01-01T00:00:00.000' });
  });
});
