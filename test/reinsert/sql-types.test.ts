import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

const c = (type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name: 'X', type, maxLength: 8, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/**
 * A decimal/money value with more decimal places than the target column holds went in rounded by
 * the server, unsaid: CONVERT(decimal(10,2), '1.005') is 1.01, CONVERT(money, '1.23456') 1.2346,
 * a numeric sql_variant without its own scale took (18,0) and '1.5' went in as 2. (A target
 * altered since, or another database's table.) Such a value is a row problem naming the column.
 */
describe('a decimal or money value the target column cannot hold as it is is refused, not rounded', () => {
  const refused = (col: TargetColumn, v: Parameters<typeof planParam>[1]) => {
    let err: unknown;
    try { planParam(col, v); } catch (e) { err = e; }
    expect((err as { code?: string })?.code).toBe('REINSERT_BAD_VALUE');
    expect(String((err as Error).message)).toMatch(/X/);
  };
  it('more significant decimal places than the scale', () => {
    refused(c('decimal', { precision: 10, scale: 2 }), '1.005');
    refused(c('decimal', { precision: 10, scale: 2 }), 12345678.999);
    refused(c('numeric', { precision: 18, scale: 4 }), '-0.00001');
    refused(c('money', { precision: 19, scale: 4 }), '1.23456');
    refused(c('smallmoney', { precision: 10, scale: 4 }), '-0.00005');
    refused(c('sql_variant', { maxLength: 8016 }), { baseType: 'numeric', value: '1.5' });
  });
  it('more integer digits than precision - scale', () => {
    refused(c('decimal', { precision: 4, scale: 2 }), '123.4');
  });
  it('values that fit go as before (trailing zeros are no loss)', () => {
    expect(planParam(c('decimal', { precision: 10, scale: 2 }), '1.500').value).toBe('1.500');
    expect(planParam(c('decimal', { precision: 10, scale: 2 }), '12.5').value).toBe(12.5);
    expect(planParam(c('money', { precision: 19, scale: 4 }), '19.99').wrap).toBe('CONVERT(money, @)');
    expect(planParam(c('decimal', { precision: 38, scale: 38 }), '0.5').wrap).toBe('CONVERT(decimal(38,38), @)');
    expect(planParam(c('sql_variant', { maxLength: 8016 }), { baseType: 'decimal', precision: 10, scale: 4, value: '123.4567' }).value).toBe(123.4567);
  });
});

/**
 * The same for time values: datetime2(0) given '10:00:00.5', smalldatetime given '10:00:31',
 * datetime given '.002', time(2) given '.1234567', datetimeoffset(0) given '.9' went in rounded.
 */
describe('a time value the target column cannot hold as it is is refused, not rounded', () => {
  const code = (col: TargetColumn, v: string) => { try { planParam(col, v); return 'ok'; } catch (e) { return (e as { code?: string }).code; } };
  it('refused', () => {
    expect(code(c('datetime2', { scale: 0 }), '2024-01-01 10:00:00.5')).toBe('REINSERT_BAD_VALUE');
    expect(code(c('smalldatetime'), '2024-01-01 10:00:31')).toBe('REINSERT_BAD_VALUE');
    expect(code(c('datetime'), '2024-01-01 10:00:00.002')).toBe('REINSERT_BAD_VALUE');
    expect(code(c('time', { scale: 2 }), '10:00:00.1234567')).toBe('REINSERT_BAD_VALUE');
    expect(code(c('datetimeoffset', { scale: 0 }), '2024-01-01 10:00:00.9 +01:00')).toBe('REINSERT_BAD_VALUE');
  });
  it('values that fit go as before', () => {
    for (const f of ['000', '003', '007', '010', '997', '200', '970', '9966667', '5']) expect(code(c('datetime'), `2024-01-01 10:00:00.${f}`)).toBe('ok');
    expect(code(c('smalldatetime'), '2024-01-01 10:01:00')).toBe('ok');
    expect(code(c('datetime2', { scale: 3 }), '2024-01-01 10:00:00.1230000')).toBe('ok');
    expect(code(c('time', { scale: 7 }), '10:00:00.1234567')).toBe('ok');
    expect(code(c('datetimeoffset', { scale: 7 }), '2024-01-01 10:00:00.1234567 +01:00')).toBe('ok');
  });
});
