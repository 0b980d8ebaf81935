import { describe, expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { mapHistoryRows } from '../../src/restore/msdb.js';
import type { Row } from '../../src/logreader/live/stream.js';

/**
 * A log backup job writing one fixed file name WITH INIT (every set of the file overwritten: Microsoft
 * Learn, BACKUP, "INIT … all backup sets should be overwritten") leaves msdb listing every hourly set
 * as FILE = 1 of the same path, while the file holds only the last. The plan from msdb restored
 * `FROM DISK = N'D:\bk\shop_log.trn' WITH FILE = 1` once per set: each read the newest set, so the
 * first failed (Msg 4305, the log too recent) after the full restore, and the plan had said the target
 * was reachable. Appended sets (NOINIT: positions 1, 2, …) are not affected. Rows in the shape tedious
 * gives them. SYNTHETIC history.
 */
const set = (id: number, media: number, type: string, position: number, first: string, last: string, start: string): Row => ({
  backup_set_id: id, media_set_id: media, type, is_copy_only: false, is_damaged: false, database_name: 'Shop', server_name: 'SQL1', position,
  first_lsn: first, last_lsn: last, checkpoint_lsn: type === 'D' ? first : null, database_backup_lsn: type === 'D' ? '0' : '41000000012300001', differential_base_lsn: null,
  backup_set_uuid: `${String(id).padStart(8, '0')}-1111-2222-3333-444444444444`, differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', family_guid: 'dddddddd-0000-0000-0000-000000000001',
  first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: start, backup_finish_date: start.replace(/:00$/, ':01'),
});
const dev = (media: number, name: string): Row => ({ media_set_id: media, family_sequence_number: 1, device_type: 2, physical_device_name: name });
const FILES: Row[] = [
  { backup_set_id: 10, logical_name: 'Shop', physical_name: 'E:\\Data\\Shop.mdf', file_type: 'D', file_number: 1, is_present: true },
  { backup_set_id: 10, logical_name: 'Shop_log', physical_name: 'E:\\Logs\\Shop_log.ldf', file_type: 'L', file_number: 2, is_present: true },
];

describe('msdb history: a set its file no longer holds', () => {
  it('WITH INIT on one file name: only the last set is planned; a point in an earlier one is refused naming it', () => {
    const sets = [
      set(10, 5, 'D', 1, '41000000012300001', '41000000015600001', '2024-05-01T10:00:00'),
      set(11, 6, 'L', 1, '41000000011000001', '41000000017000001', '2024-05-01T11:00:00'),
      set(12, 7, 'L', 1, '41000000017000001', '41000000018000001', '2024-05-01T12:00:00'),
      set(13, 8, 'L', 1, '41000000018000001', '41000000019000001', '2024-05-01T13:00:00'),
    ];
    // the same file named in two letter cases (Windows paths compare without case)
    const devices = [dev(5, 'D:\\bk\\shop_full.bak'), dev(6, 'D:\\bk\\shop_log.trn'), dev(7, 'D:\\BK\\Shop_log.trn'), dev(8, 'D:\\bk\\shop_log.trn')];
    const h = mapHistoryRows(sets, devices, FILES, 'fake');
    expect(h.sets.map((s) => s.backupSetGuid)).toEqual(['00000010-1111-2222-3333-444444444444', '00000013-1111-2222-3333-444444444444']);
    expect(h.skipped.map((s) => [s.code, s.firstLsn])).toEqual([['SOURCE_OVERWRITTEN_BACKUP', '41000000011000001'], ['SOURCE_OVERWRITTEN_BACKUP', '41000000017000001']]);
    expect(h.skipped[0]!.reason).toContain('msdb lists a later backup (set 12) written to it at position 1');
    let said = '';
    try { planChain(h.sets, { kind: 'time', time: '2024-05-01T11:30:00.000' }, h.skipped); } catch (e) { said = (e as Error).message; }
    expect(said).toMatch(/cannot be reached[\s\S]*SOURCE_OVERWRITTEN_BACKUP/);
  });

  it('appended sets (NOINIT) stay; a later INIT at position 1 overwrites every one of them', () => {
    const sets = [
      set(10, 5, 'D', 1, '41000000012300001', '41000000015600001', '2024-05-01T10:00:00'),
      set(11, 6, 'L', 1, '41000000011000001', '41000000017000001', '2024-05-01T11:00:00'),
      set(12, 6, 'L', 2, '41000000017000001', '41000000018000001', '2024-05-01T12:00:00'),
    ];
    const devices = [dev(5, '/var/opt/mssql/bk/full.bak'), dev(6, '/var/opt/mssql/bk/log.trn')];
    expect(mapHistoryRows(sets, devices, FILES, 'fake').skipped).toEqual([]);
    const reinit = mapHistoryRows([...sets, set(13, 7, 'L', 1, '41000000018000001', '41000000019000001', '2024-05-01T13:00:00')], [...devices, dev(7, '/var/opt/mssql/bk/log.trn')], FILES, 'fake');
    expect(reinit.skipped.map((s) => s.code)).toEqual(['SOURCE_OVERWRITTEN_BACKUP', 'SOURCE_OVERWRITTEN_BACKUP']);
    // a Linux path is compared exactly: another letter case is another file
    const other = mapHistoryRows([...sets, set(13, 7, 'L', 1, '41000000018000001', '41000000019000001', '2024-05-01T13:00:00')], [...devices, dev(7, '/var/opt/mssql/bk/LOG.trn')], FILES, 'fake');
    expect(other.skipped).toEqual([]);
  });

  it('a later row of the same backup (same backup_set_uuid: RESTORE records the set it read in backupset) is no overwrite', () => {
    const sets = [
      set(10, 5, 'D', 1, '41000000012300001', '41000000015600001', '2024-05-01T10:00:00'),
      set(11, 6, 'L', 1, '41000000011000001', '41000000017000001', '2024-05-01T11:00:00'),
      { ...set(20, 9, 'L', 1, '41000000011000001', '41000000017000001', '2024-05-01T11:00:00'), backup_set_uuid: '00000011-1111-2222-3333-444444444444' },
    ];
    const devices = [dev(5, 'D:\\bk\\full.bak'), dev(6, 'D:\\bk\\log.trn'), dev(9, 'D:\\bk\\log.trn')];
    expect(mapHistoryRows(sets, devices, FILES, 'fake').skipped).toEqual([]);
  });
  // two sets appended to one file (NOINIT), then a RESTORE … FROM that file WITH FILE = 1 (a test
  // restore): msdb records the set it read again (its uuid, position 1, the same path) with a newer
  // backup_set_id; that row wrote nothing, so set 2 of the file is still there. The check took it for
  // a BACKUP … WITH INIT at position 1 and skipped set 2 (SOURCE_OVERWRITTEN_BACKUP): a point in it
  // was refused as a broken chain
  it("a RESTORE's row of set 1 of a file of appended sets overwrites nothing: set 2 is planned", () => {
    const sets = [
      set(10, 5, 'D', 1, '41000000012300001', '41000000015600001', '2024-05-01T10:00:00'),
      set(11, 6, 'L', 1, '41000000011000001', '41000000017000001', '2024-05-01T11:00:00'),
      set(12, 6, 'L', 2, '41000000017000001', '41000000018000001', '2024-05-01T12:00:00'),
      { ...set(20, 9, 'L', 1, '41000000011000001', '41000000017000001', '2024-05-01T11:00:00'), backup_set_uuid: '00000011-1111-2222-3333-444444444444' },
    ];
    const devices = [dev(5, 'D:\\bk\\full.bak'), dev(6, 'D:\\bk\\log.trn'), dev(9, 'D:\\bk\\log.trn')];
    const h = mapHistoryRows(sets, devices, FILES, 'fake');
    expect(h.skipped).toEqual([]);
    expect(h.sets.map((s) => s.backupSetGuid)).toContain('00000012-1111-2222-3333-444444444444');
    const chain = planChain(h.sets, { kind: 'time', time: '2024-05-01T11:30:00.000' }, h.skipped);
    expect(chain.steps.map((s) => s.set.backupSetGuid)).toContain('00000012-1111-2222-3333-444444444444');
    // a real BACKUP … WITH INIT afterwards (a new uuid at position 1) still overwrites both
    const reinit = mapHistoryRows([...sets, set(21, 10, 'L', 1, '41000000018000001', '41000000019000001', '2024-05-01T13:00:00')], [...devices, dev(10, 'D:\\bk\\LOG.trn')], FILES, 'fake');
    expect(reinit.skipped.map((s) => s.firstLsn)).toEqual(['41000000011000001', '41000000017000001', '41000000011000001']);
  });
});
