import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * REINSERT_BAD_VALUE for a value longer than its target column, one with more decimal places or
 * digits than a decimal column keeps, or a time finer than the column's said what would happen
 * ('would go in cut to its first 5', 'would go in rounded') and stopped: a newcomer was not told
 * what to do with a value that is right in a column that is not. Each now ends saying to re-insert
 * the row into a column that holds it (a side table, tableMap). SYNTHETIC values.
 */
const col = (type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn => ({ name: 'X', type, maxLength: 5, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });
const message = (f: () => unknown): string => {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('not refused');
};

describe('REINSERT_BAD_VALUE says what to do', () => {
  it('over-long, decimal scale and precision, time precision', () => {
    expect(message(() => planParam(col('nvarchar', { maxLength: 10 }), 'abcdefgh'))).toBe('column X (nvarchar(5)) holds at most 5 character(s): the value has 8, and would go in cut to its first 5: re-insert the row into a column wide enough (a side table, tableMap)');
    expect(message(() => planParam(col('decimal', { precision: 10, scale: 2 }), '1.005'))).toBe('column X (decimal(10,2)) keeps 2 decimal place(s): 1.005 would go in rounded: re-insert the row into a column of 3 decimal place(s) or more (a side table, tableMap)');
    expect(message(() => planParam(col('decimal', { precision: 4, scale: 2 }), '123.4'))).toMatch(/does not fit: re-insert the row into a column of greater precision \(a side table, tableMap\)$/);
    expect(message(() => planParam(col('datetime2', { scale: 0 }), '2024-05-01T10:00:00.5'))).toMatch(/would go in rounded: re-insert the row into a column of finer precision, datetime2\(7\) \(a side table, tableMap\)$/);
  });
});
