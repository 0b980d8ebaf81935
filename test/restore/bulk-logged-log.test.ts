import { describe, expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { healthy } from './synthetic-history.js';
import { backupSetsSql, mapHistoryRows } from '../../src/restore/msdb.js';
import type { Row } from '../../src/logreader/live/stream.js';

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

/**
 * From msdb: backupset has_bulk_logged_data ("Backup contains bulk-logged data", Microsoft Learn,
 * backupset) marks the same log backups; the plan from msdb printed RESTORE LOG … STOPAT into one.
 * Rows in the shape tedious gives them (bit → boolean). SYNTHETIC history.
 */
describe('restore plan from msdb: has_bulk_logged_data', () => {
  const set = (id: number, media: number, type: string, first: string, last: string, start: string, bulk: boolean): Row => ({
    backup_set_id: id, media_set_id: media, type, is_copy_only: false, is_damaged: false, is_snapshot: false, has_bulk_logged_data: bulk, database_name: 'Shop', server_name: 'SQL1', position: 1,
    first_lsn: first, last_lsn: last, checkpoint_lsn: type === 'D' ? first : null, database_backup_lsn: type === 'D' ? '0' : '41000000012300001', differential_base_lsn: null,
    backup_set_uuid: `${String(id).padStart(8, '0')}-1111-2222-3333-444444444444`, differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', family_guid: 'dddddddd-0000-0000-0000-000000000001',
    first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: start, backup_finish_date: start.replace(/:00$/, ':01'),
  });
  const rows = (bulk: boolean) => [
    set(10, 5, 'D', '41000000012300001', '41000000015600001', '2024-05-01T10:00:00', false),
    set(11, 6, 'L', '41000000011000001', '41000000017000001', '2024-05-01T11:00:00', false),
    set(12, 7, 'L', '41000000017000001', '41000000018000001', '2024-05-01T12:00:00', bulk),
    set(13, 8, 'L', '41000000018000001', '41000000019000001', '2024-05-01T13:00:00', false),
  ];
  const devices: Row[] = [5, 6, 7, 8].map((m) => ({ media_set_id: m, family_sequence_number: 1, device_type: 2, physical_device_name: `F:\\bk\\${m}.bak` }));

  it('the query asks for it; a stop inside the log backup it marks is refused, around it planned', () => {
    expect(backupSetsSql('Shop').text).toContain('bs.has_bulk_logged_data AS [has_bulk_logged_data]');
    const h = mapHistoryRows(rows(true), devices, [], 'SYNTHETIC msdb');
    expect(h.sets.find((s) => s.position === 1 && s.devices[0] === 'F:\\bk\\7.bak')?.logDataPages).toBe(true);
    expect(() => planChain(h.sets, { kind: 'time', time: '2024-05-01T11:30:00.000' })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_BULK_LOGGED', location: expect.objectContaining({ file: 'F:\\bk\\7.bak' }) }));
    expect(planChain(h.sets, { kind: 'time', time: '2024-05-01T12:30:00.000' }).steps.at(-1)!.set.devices[0]).toBe('F:\\bk\\8.bak');
    expect(planChain(mapHistoryRows(rows(false), devices, [], 'SYNTHETIC msdb').sets, { kind: 'time', time: '2024-05-01T11:30:00.000' }).steps.at(-1)!.set.devices[0]).toBe('F:\\bk\\7.bak');
  });
});

describe('reachable ranges: the times inside a log backup with bulk-logged changes are said as not reachable', () => {
  it('the range names the file and its times; without the flag nothing is said', async () => {
    const { reachableRanges, describeReachable } = await import('../../src/restore/chain.js');
    const sets = healthy().filter((s) => s.backupType !== 'differential').map((s) => (s.devices[0]!.endsWith('L3.trn') ? { ...s, logDataPages: true } : s));
    const r = reachableRanges(sets);
    expect(r).toHaveLength(1);
    expect(r[0]!.bulkLogged).toEqual([{ file: 'D:\\Backups\\L3.trn', after: '2024-03-01T12:00:00.999', upTo: '2024-03-01T13:00:00.000' }]);
    expect(describeReachable(r, 'time')).toContain('except after 2024-03-01T12:00:00.999 up to 2024-03-01T13:00:00.000: inside D:\\Backups\\L3.trn, which holds bulk-logged changes (no stop inside it)');
    expect(describeReachable(r, 'lsn')).toContain('except inside D:\\Backups\\L3.trn');
    expect(describeReachable(reachableRanges(healthy()), 'time')).not.toContain('bulk-logged');
  });
});
