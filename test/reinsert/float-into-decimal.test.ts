import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * A float (or real) source value into a decimal/numeric/money column (a column altered float →
 * decimal since, a side table) was written as String(v), its shortest decimal: exact for 2.5, but
 * 2^60 (1152921504606846976) went into a decimal(19,0) as 1152921504606847000 (the bug c7fb920
 * fixed for bigint columns only), and 0.1 into a decimal(38,20) as 0.1 where the double's value
 * there is 0.10000000000000000555. Refused now where the two differ at the column's scale. Values
 * SYNTHETIC.
 */

const col = (type: TargetColumn['type'], precision: number, scale: number): TargetColumn =>
  ({ name: 'Amt', type, maxLength: 17, precision, scale, nullable: true, identity: false, computed: false });

function refusal(f: () => unknown): Error & { code?: string; location?: { column?: string } } {
  try { f(); } catch (e) { return e as Error & { code?: string }; }
  throw new Error('not refused');
}

describe('a float value into a decimal column', () => {
  it('is refused where its shortest decimal is not its value at the column\'s scale', () => {
    const e = refusal(() => planParam(col('decimal', 19, 0), 2 ** 60));
    expect(e.code).toBe('REINSERT_BAD_VALUE');
    expect(e.location?.column).toBe('Amt');
    expect(e.message).toContain('column Amt (decimal(19,0)) got 1152921504606847000');
    expect(e.message).toContain('is 1152921504606846976');
    expect(refusal(() => planParam(col('decimal', 38, 20), 0.1)).message).toContain('is 0.10000000000000000555');
    // a real source value is its float32: 3.1415927 is 3.1415927410125732…
    expect(refusal(() => planParam(col('decimal', 38, 10), 3.1415927, { codePage: 0, collation: null, real: true })).message).toContain('is 3.1415927410');
  });

  it('goes in where they agree, as before', () => {
    expect(planParam(col('decimal', 10, 2), 0.1)).toMatchObject({ value: 0.1, literal: '0.1' });
    expect(planParam(col('decimal', 19, 0), 2 ** 53)).toMatchObject({ wrap: 'CONVERT(decimal(19,0), @)', value: '9007199254740992' });
    expect(planParam(col('numeric', 10, 4), -2.5)).toMatchObject({ literal: '-2.5' });
    expect(planParam(col('money', 19, 4), 19.99)).toMatchObject({ value: '19.99' });
    expect(planParam(col('decimal', 10, 7), 3.1415927, { codePage: 0, collation: null, real: true })).toMatchObject({ literal: '3.1415927' });
    expect(planParam(col('decimal', 5, 2), -0)).toMatchObject({ literal: '0' });
  });
});
