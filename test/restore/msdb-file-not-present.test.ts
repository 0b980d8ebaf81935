import { describe, expect, it } from 'vitest';
import { planRestore } from '../../src/cli/commands/restore.js';
import { assertReadOnly } from '../../src/logreader/live/read-only.js';
import type { RunOptions, SqlRunner } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';
import { backupFilesSql, mapHistoryRows } from '../../src/restore/msdb.js';

/**
 * msdb.dbo.backupfile "contains one row for each data or log file of a database … Whether or not
 * the file is included in the backup is determined by the is_present column" (Microsoft Learn,
 * backupfile (Transact-SQL); state 8 = DROPPED). A file dropped before the full backup kept its row,
 * and the plan wrote `MOVE N'Archive' TO …` for it: RESTORE refuses a MOVE of a logical file the
 * backup does not hold (Msg 3234, then 3013), so the whole restore failed at its first statement.
 * Rows in the shape tedious gives them: is_present bit → boolean, file_number numeric(10,0) → number.
 * SYNTHETIC history.
 */
const SETS: Row[] = [
  { backup_set_id: 10, media_set_id: 5, type: 'D', is_copy_only: false, is_damaged: false, database_name: 'Shop', server_name: 'SQL1', position: 1, first_lsn: '41000000012300001', last_lsn: '41000000015600001', checkpoint_lsn: '41000000012300001', database_backup_lsn: '0', differential_base_lsn: null, backup_set_uuid: 'aaaaaaaa-1111-2222-3333-444444444444', differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', family_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: '2024-05-01T10:00:00', backup_finish_date: '2024-05-01T10:00:05' },
  { backup_set_id: 11, media_set_id: 6, type: 'L', is_copy_only: false, is_damaged: false, database_name: 'Shop', server_name: 'SQL1', position: 1, first_lsn: '41000000011000001', last_lsn: '41000000017000001', checkpoint_lsn: null, database_backup_lsn: '41000000012300001', differential_base_lsn: null, backup_set_uuid: 'cccccccc-1111-2222-3333-444444444444', differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', family_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: '2024-05-01T11:00:00', backup_finish_date: '2024-05-01T11:00:01' },
];
const DEVICES: Row[] = [
  { media_set_id: 5, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\full.bak' },
  { media_set_id: 6, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\log.trn' },
];
const FILES: Row[] = [
  { backup_set_id: 10, logical_name: 'Shop', physical_name: 'E:\\Data\\Shop.mdf', file_type: 'D', file_number: 1, is_present: true },
  { backup_set_id: 10, logical_name: 'Shop_log', physical_name: 'E:\\Logs\\Shop_log.ldf', file_type: 'L', file_number: 2, is_present: true },
  { backup_set_id: 10, logical_name: 'Archive', physical_name: 'E:\\Data\\Shop_archive.ndf', file_type: 'D', file_number: 3, is_present: false },
];

class FakeRunner implements SqlRunner {
  readonly description = 'fake-server';
  private n = 0;
  async query(stmt: SqlStatement, _o?: RunOptions): Promise<Row[]> {
    assertReadOnly(stmt.text);
    return [SETS, DEVICES, FILES][this.n++] ?? [];
  }
  stream(): AsyncIterable<Row> {
    throw new Error('not used');
  }
  async close(): Promise<void> {}
}

describe('msdb backupfile: files not in the backup (is_present = 0)', () => {
  it('the query reads is_present', () => {
    expect(backupFilesSql('Shop').text).toContain('bf.is_present AS [is_present]');
  });

  it('a file not present is not one of the set\'s files', () => {
    expect(mapHistoryRows(SETS, DEVICES, FILES, 'fake').sets[0]!.files.map((f) => f.logicalName)).toEqual(['Shop', 'Shop_log']);
  });

  it('the restore moves only the files the backup holds', async () => {
    const p = await planRestore({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'Side', format: 'sql' }, { runner: () => new FakeRunner() });
    expect(p.rendered.statements[0]).toBe("RESTORE DATABASE [Side] FROM DISK = N'F:\\bk\\full.bak' WITH FILE = 1, MOVE N'Shop' TO N'E:\\Data\\Side.mdf', MOVE N'Shop_log' TO N'E:\\Logs\\Side_log.ldf', NORECOVERY;");
  });
});
