import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * A value shorter than a binary(n) target column (a varbinary source into a binary side table, a
 * column altered since) was planned, and the server padded it with zero bytes: other bytes than the
 * row's, with no error. And the over-long message for a varchar(n)/char(n) said "at most n
 * character(s)", where n counts bytes. Values SYNTHETIC.
 */

const col = (type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name: 'X', type, maxLength: 8, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

function refusal(f: () => unknown): Error & { code?: string } {
  try { f(); } catch (e) { return e as Error & { code?: string }; }
  throw new Error('not refused');
}

describe('a shorter value into a binary(n) column', () => {
  it('is refused: the server pads it with zero bytes', () => {
    const e = refusal(() => planParam(col('binary', { maxLength: 4 }), '0x0102'));
    expect(e.code).toBe('REINSERT_BAD_VALUE');
    expect(e.message).toBe('column X (binary(4)) stores exactly 4 byte(s): the value has 2, and would go in padded with 2 zero byte(s), other bytes than the row\'s: re-insert the row into a column of type varbinary(2) or wider (a side table, tableMap)');
    // n bytes (a binary(n) source of the same n: its padding is in the value), and varbinary, as before
    expect(planParam(col('binary', { maxLength: 4 }), '0x01020000').literal).toBe('0x01020000');
    expect(planParam(col('varbinary', { maxLength: 4 }), '0x0102').literal).toBe('0x0102');
  });
});

describe('an over-long char/varchar value: its n counts bytes', () => {
  it('says byte(s) for varchar(n)/char(n), character(s) for nvarchar(n)', () => {
    expect(refusal(() => planParam(col('varchar', { maxLength: 5 }), 'abcdefgh')).message).toBe('column X (varchar(5)) holds at most 5 byte(s): the value has 8 character(s), each at least one byte, and would go in cut: re-insert the row into a column wide enough (a side table, tableMap)');
    expect(refusal(() => planParam(col('char', { maxLength: 2 }), 'abc')).message).toContain('(char(2)) holds at most 2 byte(s): the value has 3 character(s)');
    expect(refusal(() => planParam(col('nvarchar', { maxLength: 10 }), 'abcdefgh')).message).toContain('(nvarchar(5)) holds at most 5 character(s): the value has 8');
  });
});
