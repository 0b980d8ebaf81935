import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * SYNTHETIC values. As with integers beyond their type (cc1f13b): a datetime2 value before 1753
 * into a datetime column, or one outside 1900-01-01 .. 2079-06-06 23:59 into a smalldatetime column
 * (a column altered since, a side table), was planned; the script's DECLARE @p datetime = '0001-…'
 * and the run's INSERT fail (out-of-range conversion, Msg 242) with the row's whole batch, on every
 * resume. Now a row problem, REINSERT_BAD_VALUE, naming the range; the bounds go in.
 */
const col = (type: TargetColumn['type']): TargetColumn => ({ name: 'At', type, maxLength: 8, precision: 27, scale: 7, nullable: true, identity: false, computed: false });
const message = (f: () => unknown): string => {
  try { f(); } catch (e) { return `${(e as { code: string }).code}: ${(e as Error).message}`; }
  return 'accepted';
};

describe('re-insert: datetime and smalldatetime ranges', () => {
  it('values beyond the range are refused, naming it', () => {
    expect(message(() => planParam(col('datetime'), '0001-01-01T00:00:00'))).toBe('REINSERT_BAD_VALUE: column At (datetime) holds 1753-01-01 00:00:00 to 9999-12-31 23:59:59: 0001-01-01T00:00:00 does not fit, and its INSERT would fail (out-of-range conversion, Msg 242) with its whole batch: re-insert the row into a column of type datetime2 (a side table, tableMap)');
    expect(message(() => planParam(col('datetime'), '1752-12-31T23:59:59.997'))).toContain('does not fit');
    expect(message(() => planParam(col('smalldatetime'), '2079-06-07T00:00:00'))).toContain('holds 1900-01-01 00:00:00 to 2079-06-06 23:59:00');
    expect(message(() => planParam(col('smalldatetime'), '1899-12-31T23:59:00'))).toContain('does not fit');
  });

  it('the bounds go in, and datetime2 holds every value', () => {
    for (const v of ['1753-01-01T00:00:00', '9999-12-31T23:59:59.997']) expect(message(() => planParam(col('datetime'), v))).toBe('accepted');
    for (const v of ['1900-01-01T00:00:00', '2079-06-06T23:59:00']) expect(message(() => planParam(col('smalldatetime'), v))).toBe('accepted');
    expect(message(() => planParam(col('datetime2'), '0001-01-01T00:00:00'))).toBe('accepted');
  });
});

/**
 * SYNTHETIC values. A date column's value into a datetime/datetime2/smalldatetime column (altered
 * date -> datetime2 since, a side table typed so) was refused 'column At (datetime2) got
 * "2020-01-01"', blocking the row though SQL Server converts a date to its midnight exactly.
 */
describe('re-insert: a date value into a datetime column', () => {
  it('goes in as its midnight; beyond the range still refused', () => {
    const p = planParam(col('datetime2'), '2020-01-01');
    expect(p.literal).toBe("'2020-01-01T00:00:00'");
    expect((p.value as Date).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(message(() => planParam(col('datetime'), '2020-01-01'))).toBe('accepted');
    expect(message(() => planParam(col('smalldatetime'), '2080-01-01'))).toContain('does not fit');
  });
});
