import { describe, expect, it } from 'vitest';
import { assertReadOnly } from '../../src/logreader/live/read-only.js';
import type { RunOptions, SqlRunner } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';
import { planChain } from '../../src/restore/chain.js';
import { planRestore } from '../../src/cli/commands/restore.js';
import { backupDevicesSql, backupFilesSql, backupSetsSql, mapHistoryRows, readMsdbHistory } from '../../src/restore/msdb.js';

/** A fake runner answering the three history queries with SYNTHETIC msdb rows, recording what it was sent. */
class FakeRunner implements SqlRunner {
  readonly description = 'fake-server';
  sent: SqlStatement[] = [];
  closed = false;
  constructor(private readonly answers: Row[][]) {}
  async query(stmt: SqlStatement, _o?: RunOptions): Promise<Row[]> {
    assertReadOnly(stmt.text); // what MssqlRunner does before anything reaches a server
    this.sent.push(stmt);
    return this.answers[this.sent.length - 1] ?? [];
  }
  stream(): AsyncIterable<Row> {
    throw new Error('not used');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

// SYNTHETIC msdb rows (as tedious returns them after the nvarchar casts): a full, a copy-only log, two logs.
const SETS: Row[] = [
  { backup_set_id: 10, media_set_id: 5, type: 'D', is_copy_only: false, is_damaged: false, database_name: "O'Brien]DB", server_name: 'SQL1', position: 1, first_lsn: '41000000012300001', last_lsn: '41000000015600001', checkpoint_lsn: '41000000012300001', database_backup_lsn: '0', differential_base_lsn: null, backup_set_uuid: 'aaaaaaaa-1111-2222-3333-444444444444', differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: '2024-05-01T10:00:00', backup_finish_date: '2024-05-01T10:00:05' },
  { backup_set_id: 11, media_set_id: 6, type: 'L', is_copy_only: true, is_damaged: false, database_name: "O'Brien]DB", server_name: 'SQL1', position: 1, first_lsn: '41000000011000001', last_lsn: '41000000016000001', checkpoint_lsn: null, database_backup_lsn: '41000000012300001', differential_base_lsn: null, backup_set_uuid: 'bbbbbbbb-1111-2222-3333-444444444444', differential_base_guid: '00000000-0000-0000-0000-000000000000', database_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: '2024-05-01T10:30:00', backup_finish_date: '2024-05-01T10:30:01' },
  { backup_set_id: 12, media_set_id: 7, type: 'L', is_copy_only: false, is_damaged: false, database_name: "O'Brien]DB", server_name: 'SQL1', position: 1, first_lsn: '41000000011000001', last_lsn: '41000000017000001', checkpoint_lsn: null, database_backup_lsn: '41000000012300001', differential_base_lsn: null, backup_set_uuid: 'cccccccc-1111-2222-3333-444444444444', differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: '2024-05-01T11:00:00', backup_finish_date: '2024-05-01T11:00:01' },
  { backup_set_id: 13, media_set_id: 7, type: 'L', is_copy_only: false, is_damaged: false, database_name: "O'Brien]DB", server_name: 'SQL1', position: 2, first_lsn: '41000000017000001', last_lsn: '41000000018000001', checkpoint_lsn: null, database_backup_lsn: '41000000012300001', differential_base_lsn: null, backup_set_uuid: 'eeeeeeee-1111-2222-3333-444444444444', differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', last_recovery_fork_guid: 'ffffffff-0000-0000-0000-000000000001', backup_start_date: '2024-05-01T12:00:00', backup_finish_date: '2024-05-01T12:00:01' },
  { backup_set_id: 14, media_set_id: 8, type: 'L', is_copy_only: false, is_damaged: false, database_name: "O'Brien]DB", server_name: 'SQL1', position: 1, first_lsn: '41000000018000001', last_lsn: '41000000019000001', checkpoint_lsn: null, database_backup_lsn: '41000000012300001', differential_base_lsn: null, backup_set_uuid: 'abababab-1111-2222-3333-444444444444', differential_base_guid: null, database_guid: 'dddddddd-0000-0000-0000-000000000001', first_recovery_fork_guid: null, last_recovery_fork_guid: null, backup_start_date: '2024-05-01T13:00:00', backup_finish_date: '2024-05-01T13:00:01' },
];
const DEVICES: Row[] = [
  { media_set_id: 5, family_sequence_number: 2, device_type: 2, physical_device_name: 'F:\\bk\\full_2.bak' },
  { media_set_id: 5, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\full_1.bak' },
  { media_set_id: 6, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\copy.trn' },
  { media_set_id: 7, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\logs.trn' },
  { media_set_id: 8, family_sequence_number: 1, device_type: 9, physical_device_name: 'https://acct.blob.core.windows.net/c/l.trn' },
];
const FILES: Row[] = [
  { backup_set_id: 10, logical_name: 'Shop', physical_name: 'E:\\Data\\OBrien.mdf', file_type: 'D', file_number: 1 },
  { backup_set_id: 10, logical_name: 'Shop_log', physical_name: 'E:\\Logs\\OBrien_log.ldf', file_type: 'L', file_number: 2 },
];

describe('backup history from msdb (fake runner)', () => {
  it('sends three parameterised read-only SELECTs naming msdb tables; the database name is a parameter, never text', async () => {
    const r = new FakeRunner([SETS, DEVICES, FILES]);
    await readMsdbHistory(r, "O'Brien]DB");
    expect(r.sent.map((s) => s.params)).toEqual([0, 1, 2].map(() => [{ name: 'database', type: 'nvarchar', length: 128, value: "O'Brien]DB" }]));
    for (const s of r.sent) {
      expect(s.text).not.toContain('Brien');
      expect(s.text).toContain('WHERE bs.database_name = @database');
    }
    expect(r.sent[0].text).toBe(backupSetsSql('x').text);
    expect(r.sent[0].text).toContain('FROM msdb.dbo.backupset AS bs');
    // numeric(25,0) LSNs come back as text, not as JS numbers that would lose digits
    for (const c of ['first_lsn', 'last_lsn', 'checkpoint_lsn', 'database_backup_lsn', 'differential_base_lsn']) expect(r.sent[0].text).toContain(`CAST(bs.${c} AS nvarchar(25)) AS [${c}]`);
    expect(r.sent[1].text).toBe(backupDevicesSql('x').text);
    expect(r.sent[1].text).toContain('mf.mirror = 0');
    expect(r.sent[2].text).toBe(backupFilesSql('x').text);
    expect(r.sent[2].text).toContain('FROM msdb.dbo.backupfile AS bf');
  });

  it('maps rows: stripes in family order, copy-only flag, forks, null-GUIDs dropped; a URL device is skipped with the reason', () => {
    const h = mapHistoryRows(SETS, DEVICES, FILES, 'fake');
    expect(h.sets.map((s) => [s.backupType, s.copyOnly, s.position, s.devices])).toEqual([
      ['full', false, 1, ['F:\\bk\\full_1.bak', 'F:\\bk\\full_2.bak']],
      ['log', true, 1, ['F:\\bk\\copy.trn']],
      ['log', false, 1, ['F:\\bk\\logs.trn']],
      ['log', false, 2, ['F:\\bk\\logs.trn']],
    ]);
    expect(h.sets[0]).toMatchObject({ backupSetGuid: 'AAAAAAAA-1111-2222-3333-444444444444', firstLsn: '41000000012300001', lastRecoveryForkGuid: 'FFFFFFFF-0000-0000-0000-000000000001', files: [{ logicalName: 'Shop', type: 'D' }, { logicalName: 'Shop_log', type: 'L' }] });
    expect(h.sets[1].differentialBaseGuid).toBeNull();
    expect(h.skipped).toEqual([expect.objectContaining({ code: 'SOURCE_NOT_A_DISK_BACKUP', file: 'https://acct.blob.core.windows.net/c/l.trn' })]);
    // planned: the regular log wins over the copy-only one that overlaps it
    const c = planChain(h.sets, { kind: 'time', time: '2024-05-01T11:30:00.000' }, h.skipped);
    expect(c.steps.map((s) => [s.set.devices[0], s.set.position])).toEqual([['F:\\bk\\full_1.bak', 1], ['F:\\bk\\logs.trn', 1], ['F:\\bk\\logs.trn', 2]]);
  });

  it("backupset.time_zone (15-minute units east of UTC, 127 unknown) gives each set its UTC offset and its start as UTC", () => {
    // Microsoft Learn, backupset: -20 is US Eastern standard time; 127 unknown; NULL where not recorded
    const zoned = SETS.map((r, i) => ({ ...r, time_zone: [-20, 8, 127, null, 23][i] }));
    const h = mapHistoryRows(zoned, DEVICES, FILES, 'fake');
    expect(h.sets.map((s) => [s.backupStartDate, s.utcOffset, s.backupStartDateUtc])).toEqual([
      ['2024-05-01T10:00:00', '-05:00', '2024-05-01T15:00:00Z'],
      ['2024-05-01T10:30:00', '+02:00', '2024-05-01T08:30:00Z'],
      ['2024-05-01T11:00:00', null, null],
      ['2024-05-01T12:00:00', null, null],
    ]);
    expect(backupSetsSql('x').text).toContain('bs.time_zone AS [time_zone]');
  });

  it('backupset.time_zone of a zone a quarter-hour off the hour (Nepal, +05:45: 23) and out of range (60) reads as +05:45 and unknown', () => {
    const one = (z: unknown) => mapHistoryRows([{ ...SETS[0], time_zone: z }], DEVICES, FILES, 'fake').sets[0];
    expect([one(23).utcOffset, one(23).backupStartDateUtc]).toEqual(['+05:45', '2024-05-01T04:15:00Z']);
    expect([one(60).utcOffset, one(-49).utcOffset, one('x').utcOffset]).toEqual([null, null, null]);
  });

  it('a row without id or type is a typed error', () => {
    expect(() => mapHistoryRows([{ backup_set_id: 1 }], [], [], 'fake')).toThrow(expect.objectContaining({ code: 'SOURCE_BAD_HISTORY' }));
  });

  it('restore plan --server: history through the runner, which is closed; the script restores the striped full', async () => {
    const r = new FakeRunner([SETS, DEVICES, FILES]);
    const p = await planRestore({ server: 'fake', database: "O'Brien]DB", stopAt: '2024-05-01 11:30', as: 'Side', format: 'sql' }, { runner: () => r });
    expect(r.closed).toBe(true);
    expect(p.rendered.statements[0]).toBe("RESTORE DATABASE [Side] FROM DISK = N'F:\\bk\\full_1.bak', DISK = N'F:\\bk\\full_2.bak' WITH FILE = 1, MOVE N'Shop' TO N'E:\\Data\\Side_OBrien.mdf', MOVE N'Shop_log' TO N'E:\\Logs\\Side_OBrien_log.ldf', NORECOVERY;");
    expect(p.rendered.statements.at(-2)).toBe("RESTORE LOG [Side] FROM DISK = N'F:\\bk\\logs.trn' WITH FILE = 2, NORECOVERY, STOPAT = N'2024-05-01T11:30:00.000';");
    await expect(planRestore({ server: 'fake', stopAt: '2024-05-01 11:30', format: 'sql' }, { runner: () => r })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION' });
  });

  it('two --database names (one database renamed between its backups): msdb read for each, planned as one', async () => {
    // SYNTHETIC: the sets up to 12:00 under the old name, the one after under the new (msdb names a set as the database was named then)
    const renamedSet: Row = { ...SETS[3]!, backup_set_id: 15, media_set_id: 9, position: 1, database_name: 'Shop2', first_lsn: '41000000018000001', last_lsn: '41000000019000001', backup_set_uuid: 'acacacac-1111-2222-3333-444444444444', backup_start_date: '2024-05-01T14:00:00', backup_finish_date: '2024-05-01T14:00:01' };
    const r = new FakeRunner([SETS.slice(0, 4), DEVICES, FILES, [renamedSet], [{ media_set_id: 9, family_sequence_number: 1, device_type: 2, physical_device_name: 'F:\\bk\\after.trn' }], []]);
    const p = await planRestore({ server: 'fake', database: ["O'Brien]DB", 'Shop2'], stopAt: '2024-05-01 13:59', as: 'Side', format: 'sql' }, { runner: () => r });
    // three queries per name, each name a parameter
    expect(r.sent.map((x) => x.params[0]!.value)).toEqual(["O'Brien]DB", "O'Brien]DB", "O'Brien]DB", 'Shop2', 'Shop2', 'Shop2']);
    expect(r.closed).toBe(true);
    expect(p.rendered.statements.at(-2)).toBe("RESTORE LOG [Side] FROM DISK = N'F:\\bk\\after.trn' WITH FILE = 1, NORECOVERY, STOPAT = N'2024-05-01T13:59:00.000';");
    expect(p.chain.databaseName).toBe('Shop2');
  });
});
