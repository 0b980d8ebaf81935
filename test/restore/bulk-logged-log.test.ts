import { describe, expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { healthy } from './synthetic-history.js';

/**
 * SYNTHETIC history (test/restore/synthetic-history.ts): log backup L3 holds data pages
 * (logDataPages: taken under BULK_LOGGED after minimally logged operations). Point-in-time recovery
 * is not supported inside such a log backup (Microsoft Learn, "Recovery models", bulk-logged): the
 * plan printed RESTORE LOG … L3 … STOPAT, which fails on the server, and a replay cannot read the rows
 * its extents hold. Stops before it or after it are planned as before.
 */
describe('restore plan: a stop inside a log backup holding data pages (BULK_LOGGED)', () => {
  const sets = () => healthy().map((s) => (s.devices[0]!.endsWith('L3.trn') ? { ...s, logDataPages: true } : s));

  it('refused naming the file, why, and the stop before it', () => {
    const noDiff = sets().filter((s) => s.backupType !== 'differential');
    expect(() => planChain(noDiff, { kind: 'time', time: '2024-03-01T12:45:00.000' })).toThrow(
      expect.objectContaining({ code: 'INPUT_RESTORE_BULK_LOGGED', location: expect.objectContaining({ file: 'D:\\Backups\\L3.trn' }), message: expect.stringMatching(/falls inside log backup D:\\Backups\\L3\.trn .*holds data pages.*BULK_LOGGED.*--stop-before-lsn 1000000000040000000 .*the end of D:\\Backups\\L2\.trn/s) }),
    );
    // through the differential D1 (12:30), the point before L3 is D1's end
    expect(() => planChain(sets(), { kind: 'time', time: '2024-03-01T12:45:00.000' })).toThrow(
      expect.objectContaining({ code: 'INPUT_RESTORE_BULK_LOGGED', message: expect.stringContaining('before it only the end of D:\\Backups\\D1.bak is reached') }),
    );
    expect(() => planChain(sets(), { kind: 'lsn', lsn: '1000000000045000001' })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_BULK_LOGGED' }));
  });

  it('a stop before it or after it is planned (a restore applies it whole)', () => {
    expect(planChain(sets(), { kind: 'time', time: '2024-03-01T11:30:00.000' }).steps.at(-1)!.set.devices[0]).toBe('D:\\Backups\\L2.trn');
    const after = planChain(sets(), { kind: 'time', time: '2024-03-01T13:30:00.000' });
    expect(after.steps.at(-1)!.set.devices[0]).toBe('D:\\Backups\\L4.trn');
    // the same history without the flag: the stop inside L3 is planned
    expect(planChain(healthy(), { kind: 'time', time: '2024-03-01T12:45:00.000' }).steps.at(-1)!.set.devices[0]).toBe('D:\\Backups\\L3.trn');
  });
});
