/**
 * A DEFAULT's text that names no value of the column's type was read as one: '20200230' (and
 * '2020-02-30') for a date column printed 2020-02-30, '20201301' month 13, '20200101 25:00' hour 25,
 * '00010101' for datetime (which starts in 1753), 70000 for a smallint, $1,000,000 for a smallmoney;
 * and a datetime default was printed as typed ('23:59:59.999'), not as the 1/300-second tick SQL
 * Server keeps (the next day's 00:00:00.000). Rows written before the column was added print the
 * default: a value no row of that column can hold, to be re-inserted. Now refused
 * SCHEMA_BAD_DEFAULT naming the column, or put on datetime's ticks. SYNTHETIC texts.
 */
import { describe, expect, it } from 'vitest';
import { defaultValueFromText } from '../../../src/reconstruct/metadata/default-value.js';
import type { SqlTypeName } from '../../../src/reconstruct/metadata/table-layout.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';

describe('defaults outside their type', () => {
  const col = (type: SqlTypeName, scale = 0, precision?: number) => ({ name: 'c', type, scale, maxLength: 8, ...(precision ? { precision } : {}) });
  it.each([
    ['date', 0, "'20200230'"],
    ['date', 0, "'2020-02-30'"],
    ['date', 0, "'20201301'"],
    ['date', 0, "'20190229'"],
    ['datetime', 3, "'20200101 25:00'"],
    ['datetime', 3, "'20200101 10:60'"],
    ['datetime', 3, "'00010101'"],
    ['smalldatetime', 0, "'18991231'"],
    ['smalldatetime', 0, "'20790607'"],
    ['datetime2', 7, "'20200101 24:00:00'"],
    ['datetimeoffset', 7, "'20200101 10:00 +15:00'"],
    ['time', 7, "'24:00:00'"],
    ['tinyint', 0, '256'],
    ['smallint', 0, '70000'],
    ['int', 0, '2147483648'],
    ['bigint', 0, '9223372036854775808'],
    ['smallmoney', 0, '$1,000,000'],
    ['money', 0, '$922337203685478'],
  ] as const)('%s DEFAULT %s is refused, not printed', (type, scale, text) => {
    expect(() => defaultValueFromText(text, col(type, scale))).toThrow(expect.objectContaining({ code: 'SCHEMA_BAD_DEFAULT' }));
  });

  it('decimal(5,2) holds 3 integer digits: 1000 is refused, 999.99 read', () => {
    expect(() => defaultValueFromText('1000', col('decimal', 2, 5))).toThrow(expect.objectContaining({ code: 'SCHEMA_BAD_DEFAULT' }));
    expect(defaultValueFromText('999.99', col('decimal', 2, 5))).toBe('999.99');
  });

  it.each([
    ["'20200101 23:59:59.999'", '2020-01-02T00:00:00.000'],
    ["'20200101 10:00:00.001'", '2020-01-01T10:00:00.000'],
    ["'2020-01-01T10:00:00.002'", '2020-01-01T10:00:00.003'],
    ["'20200229'", '2020-02-29T00:00:00.000'],
  ] as const)('datetime DEFAULT %s is the tick SQL Server keeps: %s', (text, want) => {
    expect(defaultValueFromText(text, col('datetime', 3))).toBe(want);
  });

  it('in range: kept', () => {
    expect(defaultValueFromText('255', col('tinyint'))).toBe(255);
    expect(defaultValueFromText('-2147483648', col('int'))).toBe(-2147483648);
    expect(defaultValueFromText("'20790606 23:59'", col('smalldatetime'))).toBe('2079-06-06T23:59:00');
    expect(defaultValueFromText("'20200101 10:00 -14:00'", col('datetimeoffset', 7))).toBe('2020-01-01T10:00:00.0000000-14:00');
  });
});

describe('a DDL DEFAULT literal read as the constant it is', () => {
  const added = (def: string, type: string) => `CREATE TABLE dbo.t (Id int NOT NULL);\nALTER TABLE dbo.t ADD c ${type} NOT NULL DEFAULT ${def};`;
  const defaultOf = (def: string, type: string) => (layoutsFromDdl(added(def, type))[0]!.columns.find((x) => x.name === 'c') as { defaultValue?: unknown }).defaultValue;
  it.each([
    ["'NULL'", 'varchar(10)', 'NULL'], // the string, not NULL
    ["N'NULL'", 'nvarchar(10)', 'NULL'],
    ["'(x)'", 'varchar(10)', '(x)'], // its parentheses are its text
    ["'''abc'''", 'varchar(10)', "'abc'"],
    ['1.50', 'varchar(10)', '1.50'],
    ["'20200101'", 'date', '2020-01-01'],
  ] as const)('DEFAULT %s for %s is %j', (def, type, want) => {
    expect(defaultOf(def, type)).toBe(want);
  });

  it("a catalog's default_value is the stored value's text, unquoted (sql/table-metadata.sql): read as it is", () => {
    expect(defaultValueFromText('abc', { name: 'c', type: 'varchar', scale: 0, maxLength: 10 })).toBe('abc');
    expect(defaultValueFromText('$1.5', { name: 'c', type: 'nvarchar', scale: 0, maxLength: 20 })).toBe('$1.5');
  });

  it.each([
    ['$1.5', 'varchar(10)'], // SQL Server: '1.50'
    ['1e3', 'varchar(10)'], // '1000'
    ['007', 'varchar(10)'], // '7'
    ['0x41', 'varchar(10)'], // 'A'
    ['20200101', 'datetime'], // a number: days since 1900, out of range
    ['20200101', 'date'], // int does not convert to date
  ] as const)('DEFAULT %s for %s is refused, not printed as typed', (def, type) => {
    expect(() => defaultOf(def, type)).toThrow(expect.objectContaining({ code: 'SCHEMA_BAD_DEFAULT' }));
  });
});
