import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * SYNTHETIC values. The integer range refusals (cc1f13b) left money and smallmoney out: a money
 * column's 1000000.00 into a smallmoney column (altered since, a side table), or a decimal(38,2)'s
 * value beyond money, was planned as CONVERT(smallmoney, @p), which fails with an arithmetic overflow
 * (Msg 8115) and takes the row's whole batch with it, in the script and in the run, on every resume.
 * Now a row problem, REINSERT_BAD_VALUE, naming the range; the bounds themselves go in.
 */
const col = (type: TargetColumn['type']): TargetColumn => ({ name: 'Amount', type, maxLength: 8, precision: 19, scale: 4, nullable: true, identity: false, computed: false });
const message = (f: () => unknown): string => {
  try { f(); } catch (e) { return `${(e as { code: string }).code}: ${(e as Error).message}`; }
  return 'accepted';
};

describe('re-insert: money and smallmoney ranges', () => {
  it('values beyond smallmoney or money are refused, naming the range', () => {
    expect(message(() => planParam(col('smallmoney'), '1000000.00'))).toBe('REINSERT_BAD_VALUE: column Amount (smallmoney) holds -214748.3648 to 214748.3647: 1000000.00 does not fit, and its INSERT would fail (arithmetic overflow, Msg 8115) with its whole batch: re-insert the row into a column of type money or decimal (a side table, tableMap)');
    expect(message(() => planParam(col('smallmoney'), '214748.3648'))).toContain('does not fit');
    expect(message(() => planParam(col('smallmoney'), '-214748.3649'))).toContain('does not fit');
    expect(message(() => planParam(col('money'), '922337203685477.5808'))).toContain('holds -922337203685477.5808 to 922337203685477.5807');
    expect(message(() => planParam(col('money'), '-1000000000000000'))).toContain('does not fit');
  });

  it('the bounds and values within go in', () => {
    for (const v of ['214748.3647', '-214748.3648', '0', '-0.5', '19.99']) expect(message(() => planParam(col('smallmoney'), v))).toBe('accepted');
    for (const v of ['922337203685477.5807', '-922337203685477.5808', '1000000.00']) expect(message(() => planParam(col('money'), v))).toBe('accepted');
    expect(planParam(col('smallmoney'), '214748.3647').wrap).toBe('CONVERT(smallmoney, @)');
  });
});
