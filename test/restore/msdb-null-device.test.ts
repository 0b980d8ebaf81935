import { describe, expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { isNullDevice, mapHistoryRows } from '../../src/restore/msdb.js';
import type { Row } from '../../src/logreader/live/stream.js';

/**
 * `BACKUP LOG … TO DISK = 'NUL'` empties the log: msdb records it as an ordinary disk backup
 * (backupmediafamily.device_type 2, physical_device_name 'NUL') and the server truncates the log as
 * after any log backup, but nothing was kept (Gail Shaw, "Backing up to NUL vs Backup with Truncate
 * only"). The plan from msdb took it as a step (`RESTORE LOG … FROM DISK = N'NUL'`), said the target
 * was reachable, and `restore run` failed there after the full restore, the database left RESTORING.
 * Rows in the shape tedious gives them (LSNs cast to nvarchar on the server; bit → boolean).
 * SYNTHETIC history.
 */
const set = (id: number, media: number, type: string, first: string, last: string, start: string): Row => ({
  backup_set_id: id, media_set_id: media, type, is_copy_only: false, is_damaged: false, database_name: 'Shop', server_name: 'SQL1', position: 1,
  first_lsn: first, last_lsn: last, checkpoint_lsn: type === 'D' ? first : null, database_backup_lsn: type === 'D' ? '0' : '41000000012300001', differential_base_lsn: null,
  backup_set_uuid: `${String(id).padStart(8, '0')}-1111-2222-3333-444444444444`, differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', family_guid: 'dddddddd-0000-0000-0000-000000000001',
  first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: start, backup_finish_date: start.replace(/:00$/, ':01'),
});
const SETS: Row[] = [
  set(10, 5, 'D', '41000000012300001', '41000000015600001', '2024-05-01T10:00:00'),
  set(11, 6, 'L', '41000000011000001', '41000000017000001', '2024-05-01T11:00:00'),
  set(12, 7, 'L', '41000000017000001', '41000000018000001', '2024-05-01T12:00:00'),
  set(13, 8, 'L', '41000000018000001', '41000000019000001', '2024-05-01T13:00:00'),
];
const DEVICES: Row[] = [
  { media_set_id: 5, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\full.bak' },
  { media_set_id: 6, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\log1.trn' },
  { media_set_id: 7, family_sequence_number: 1, device_type: 2, physical_device_name: 'NUL' },
  { media_set_id: 8, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\log3.trn' },
];
const FILES: Row[] = [
  { backup_set_id: 10, logical_name: 'Shop', physical_name: 'E:\\Data\\Shop.mdf', file_type: 'D', file_number: 1, is_present: true },
  { backup_set_id: 10, logical_name: 'Shop_log', physical_name: 'E:\\Logs\\Shop_log.ldf', file_type: 'L', file_number: 2, is_present: true },
];

describe('msdb history: a backup written to the null device', () => {
  it('names NUL, NUL:, \\\\.\\NUL, a path ending in NUL and /dev/null; not a file merely named so', () => {
    for (const n of ['NUL', 'nul', 'NUL:', '\\\\.\\NUL', 'C:\\Backups\\nul', '/dev/null', ' NUL ']) expect(isNullDevice(n)).toBe(true);
    for (const n of ['F:\\bk\\null.trn', 'F:\\bk\\nul.trn', '/var/opt/mssql/nullx', 'NULL']) expect(isNullDevice(n)).toBe(false);
  });

  it('is skipped with its LSNs, not planned', () => {
    const h = mapHistoryRows(SETS, DEVICES, FILES, 'fake');
    expect(h.sets.map((s) => s.devices[0])).toEqual(['F:\\bk\\full.bak', 'F:\\bk\\log1.trn', 'F:\\bk\\log3.trn']);
    expect(h.skipped).toEqual([expect.objectContaining({ code: 'SOURCE_DISCARDED_BACKUP', file: 'NUL', firstLsn: '41000000017000001', lastLsn: '41000000018000001' })]);
  });

  it('a point after it is refused (the chain breaks there), naming it; a point before it is planned without it', () => {
    const h = mapHistoryRows(SETS, DEVICES, FILES, 'fake');
    let said = '';
    try { planChain(h.sets, { kind: 'time', time: '2024-05-01T12:30:00.000' }, h.skipped); } catch (e) { said = (e as Error).message; }
    expect(said).toMatch(/cannot be reached[\s\S]*NUL: SOURCE_DISCARDED_BACKUP/);
    const c = planChain(h.sets, { kind: 'time', time: '2024-05-01T10:30:00.000' }, h.skipped);
    expect(c.steps.flatMap((s) => s.set.devices)).toEqual(['F:\\bk\\full.bak', 'F:\\bk\\log1.trn']);
  });
});

/**
 * backupset.is_snapshot (bit → boolean through tedious): a snapshot backup (VSS, or SQL Server 2022's
 * BACKUP … WITH METADATA_ONLY to a disk .bkm file, device_type 2) holds metadata only; planned as a
 * full backup it was restored FROM DISK = N'….bkm' without the storage snapshot (Microsoft Learn,
 * "Create a Transact-SQL snapshot backup"). SYNTHETIC history.
 */
describe('msdb history: a snapshot backup', () => {
  it('is skipped, not planned as a full backup', () => {
    const snap = { ...set(14, 9, 'D', '41000000018000001', '41000000018000001', '2024-05-01T12:30:00'), is_snapshot: true };
    const h = mapHistoryRows([...SETS.map((r) => ({ ...r, is_snapshot: false })), snap], [...DEVICES, { media_set_id: 9, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\snap.bkm' }], FILES, 'fake');
    expect(h.skipped.map((s) => [s.code, s.file])).toEqual([['SOURCE_DISCARDED_BACKUP', 'NUL'], ['SOURCE_SNAPSHOT_BACKUP', 'F:\\bk\\snap.bkm']]);
    expect(h.sets.map((s) => s.devices[0])).not.toContain('F:\\bk\\snap.bkm');
  });
});
