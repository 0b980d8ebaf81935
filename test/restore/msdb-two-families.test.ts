import { describe, expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { mapHistoryRows } from '../../src/restore/msdb.js';
import type { Row } from '../../src/logreader/live/stream.js';
import { refusal } from '../support/refusal.js';

/**
 * msdb.dbo.backupset is read by database_name, and RESTORE records each backup set it read there
 * under the database name in that backup (restorehistory.backup_set_id references it): another
 * server's `Shop` restored here as `Shop_copy` (full and logs) puts its backups into the history of
 * this server's `Shop`. family_guid tells the two databases apart (the database_guid a database was
 * created with, kept when it is restored; Patrick Keisler, "Database Restore Fails with Msg 3154").
 * Planned together, full backups were tried newest first by LSN across both, and the other server's
 * chain, reaching the stop point, was printed as this database's restore. Now refused naming both.
 * Rows in the shape tedious gives them. SYNTHETIC history.
 */
const FAMILY_A = 'AAAAAAAA-0000-0000-0000-000000000001';
const FAMILY_B = 'BBBBBBBB-0000-0000-0000-000000000002';
const set = (id: number, type: string, first: string, last: string, start: string, family: string, server: string): Row => ({
  backup_set_id: id, media_set_id: id, type, is_copy_only: false, is_damaged: false, is_snapshot: false, has_bulk_logged_data: false, database_name: 'Shop', server_name: server, position: 1,
  first_lsn: first, last_lsn: last, checkpoint_lsn: type === 'D' ? first : null, database_backup_lsn: type === 'D' ? '0' : first, differential_base_lsn: null,
  backup_set_uuid: `${String(id).padStart(8, '0')}-1111-2222-3333-444444444444`, differential_base_guid: null,
  database_guid: family === FAMILY_A ? 'DDDDDDDD-0000-0000-0000-00000000000A' : 'DDDDDDDD-0000-0000-0000-00000000000B', family_guid: family,
  first_recovery_fork_guid: null, last_recovery_fork_guid: null, backup_start_date: start, backup_finish_date: start.replace(/:00$/, ':01'),
});
// this server's Shop (family A): full at 10:00, logs at 11:00 and 12:00 (small LSNs)
const OWN: Row[] = [
  set(10, 'D', '41000000012300001', '41000000015600001', '2024-05-01T10:00:00', FAMILY_A, 'SQL1'),
  set(11, 'L', '41000000011000001', '41000000017000001', '2024-05-01T11:00:00', FAMILY_A, 'SQL1'),
  set(12, 'L', '41000000017000001', '41000000018000001', '2024-05-01T12:00:00', FAMILY_A, 'SQL1'),
];
// SQL2's Shop (family B), restored here as Shop_copy: its full and logs, with larger LSNs
const FOREIGN: Row[] = [
  set(20, 'D', '90000000012300001', '90000000015600001', '2024-05-01T10:30:00', FAMILY_B, 'SQL2'),
  set(21, 'L', '90000000011000001', '90000000017000001', '2024-05-01T11:30:00', FAMILY_B, 'SQL2'),
  set(22, 'L', '90000000017000001', '90000000018000001', '2024-05-01T12:30:00', FAMILY_B, 'SQL2'),
];
const devices = (rows: Row[]): Row[] => rows.map((r) => ({ media_set_id: r.media_set_id, family_sequence_number: 1, device_type: 2, physical_device_name: `F:\\bk\\${r.server_name}-${r.backup_set_id}.${r.type === 'D' ? 'bak' : 'trn'}` }));
const files = (rows: Row[]): Row[] => rows.flatMap((r) => [
  { backup_set_id: r.backup_set_id, logical_name: 'Shop', physical_name: 'E:\\Data\\Shop.mdf', file_type: 'D', file_number: 1, is_present: true },
  { backup_set_id: r.backup_set_id, logical_name: 'Shop_log', physical_name: 'E:\\Logs\\Shop_log.ldf', file_type: 'L', file_number: 2, is_present: true },
]);

describe('msdb history of one name holding two databases (family_guid)', () => {
  it('is refused, naming both families, their servers and a file of each, not planned from the other server\'s backups', () => {
    const rows = [...OWN, ...FOREIGN];
    const h = mapHistoryRows(rows, devices(rows), files(rows), 'fake');
    const e = refusal(() => planChain(h.sets, { kind: 'time', time: '2024-05-01T11:45:00.000' }, h.skipped));
    expect(e?.code).toBe('INPUT_RESTORE_MIXED_DATABASES');
    expect(e?.message).toContain(`family_guid ${FAMILY_A}: 3 backup sets taken on SQL1 from 2024-05-01T10:00:00 to 2024-05-01T12:00:00 (e.g. F:\\bk\\SQL1-10.bak)`);
    expect(e?.message).toContain(`family_guid ${FAMILY_B}: 3 backup sets taken on SQL2`);
    expect(e?.message).toContain('--backups');
  });

  it('one family (the same database restored in place: a new database_guid, the same family_guid) is planned as before', () => {
    const rows = [...OWN, { ...set(13, 'L', '41000000018000001', '41000000019000001', '2024-05-01T13:00:00', FAMILY_A, 'SQL1'), database_guid: 'DDDDDDDD-0000-0000-0000-0000000000A2' }];
    const h = mapHistoryRows(rows, devices(rows), files(rows), 'fake');
    const c = planChain(h.sets, { kind: 'time', time: '2024-05-01T11:45:00.000' }, h.skipped);
    expect(c.steps.flatMap((s) => s.set.devices)).toEqual(['F:\\bk\\SQL1-10.bak', 'F:\\bk\\SQL1-11.trn', 'F:\\bk\\SQL1-12.trn']);
  });
});
