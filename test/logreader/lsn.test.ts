import { describe, expect, it } from 'vitest';
import { compareLsn, formatLsn, parseLsn } from '../../src/logreader/lsn.js';

describe('printed LSN', () => {
  it('round-trips the fn_dblog form', () => {
    const l = parseLsn('0000002a:000001f0:0003');
    expect(l).toEqual({ vlf: 0x2a, block: 0x1f0, slot: 3 });
    expect(formatLsn(l)).toBe('0000002a:000001f0:0003');
  });
  it('orders by vlf, block, slot', () => {
    expect(compareLsn(parseLsn('1:2:3'), parseLsn('1:2:4'))).toBeLessThan(0);
    expect(compareLsn(parseLsn('2:0:0'), parseLsn('1:ffff:ff'))).toBeGreaterThan(0);
  });
  it('rejects garbage with INPUT_BAD_LSN', () => {
    expect(() => parseLsn('12-34')).toThrow(/INPUT_BAD_LSN|not an LSN/);
  });
});
