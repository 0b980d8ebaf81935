import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * SYNTHETIC values. A bigint (or decimal(p,0)) source column's values are decoded as decimal strings
 * (types/integer.ts): its 5 into an int/smallint/tinyint target column (a column altered since, a
 * side table) was refused 'got "5"' with no word of what to do, though the value fits. And a number
 * beyond 2^53 (a float source value) into a bigint column was written by String(): 2^60 went in as
 * 1152921504606847000, not 1152921504606846976, with no error.
 */
const col = (type: TargetColumn['type']): TargetColumn => ({ name: 'Qty', type, maxLength: 8, precision: 19, scale: 0, nullable: true, identity: false, computed: false });
const code = (f: () => unknown): string => {
  try { f(); } catch (e) { return `${(e as { code: string }).code}: ${(e as Error).message}`; }
  return 'accepted';
};

describe('re-insert: integer values given as text, and integers beyond 2^53', () => {
  it('a bigint source value (text) that fits an int, smallint or tinyint column goes in', () => {
    expect(planParam(col('int'), '5')).toMatchObject({ value: 5, literal: '5' });
    expect(planParam(col('int'), '-2147483648')).toMatchObject({ value: -2147483648, literal: '-2147483648' });
    expect(planParam(col('tinyint'), '255')).toMatchObject({ value: 255, literal: '255' });
    expect(planParam(col('smallint'), '5.00')).toMatchObject({ value: 5, literal: '5' });
    expect(planParam(col('int'), '-0')).toMatchObject({ value: 0, literal: '0' });
  });

  it('text beyond the range, or with a fraction, is refused with the range', () => {
    expect(code(() => planParam(col('int'), '2147483648'))).toContain('holds -2147483648 to 2147483647: 2147483648 does not fit');
    expect(code(() => planParam(col('tinyint'), '256'))).toContain('holds 0 to 255: 256 does not fit');
    expect(code(() => planParam(col('int'), '9223372036854775807'))).toContain('REINSERT_BAD_VALUE');
    expect(code(() => planParam(col('int'), '5.5'))).toContain('REINSERT_BAD_VALUE');
    expect(code(() => planParam(col('int'), 5.5))).toContain('REINSERT_BAD_VALUE');
  });

  it('a number beyond 2^53 into a bigint column goes in as its own value', () => {
    expect(planParam(col('bigint'), 2 ** 60)).toMatchObject({ value: '1152921504606846976', literal: '1152921504606846976' });
    expect(planParam(col('bigint'), -(2 ** 63))).toMatchObject({ literal: '-9223372036854775808' });
    expect(code(() => planParam(col('bigint'), 2 ** 63))).toContain('holds -9223372036854775808 to 9223372036854775807');
    expect(planParam(col('bigint'), '9007199254740993')).toMatchObject({ value: '9007199254740993', literal: '9007199254740993' });
    expect(planParam(col('bigint'), -0)).toMatchObject({ literal: '0' });
  });
});
