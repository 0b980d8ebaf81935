import type { BackupSetRecord } from '../../src/restore/history.js';

/**
 * SYNTHETIC backup history: plain objects shaped like what the offline header reader or msdb
 * gives, for chain rules the corpus has no sample of (copy-only, forks, gaps, partial backups).
 * LSNs are numeric(25,0) strings; times are local, whole seconds. Nothing here is real.
 */
export function rec(p: Partial<BackupSetRecord> & Pick<BackupSetRecord, 'backupType' | 'firstLsn' | 'lastLsn'> & { name: string; at: string }): BackupSetRecord {
  const { name, at, ...rest } = p;
  return {
    source: 'msdb',
    copyOnly: false,
    databaseName: 'Shop',
    serverName: 'SYNTHETIC',
    position: 1,
    devices: [`D:\\Backups\\${name}`],
    checkpointLsn: p.firstLsn,
    databaseBackupLsn: null,
    differentialBaseLsn: null,
    differentialBaseGuid: null,
    backupSetGuid: `00000000-0000-0000-0000-${name.replace(/[^0-9A-Za-z]/g, '').padStart(12, '0').slice(-12).toUpperCase()}`,
    bindingId: null,
    databaseGuid: 'DB000000-0000-0000-0000-000000000001',
    firstRecoveryForkGuid: null,
    lastRecoveryForkGuid: null,
    backupStartDate: at,
    backupFinishDate: at,
    damaged: false,
    files: [
      { logicalName: 'Shop', physicalName: 'E:\\Data\\Shop.mdf', type: 'D', fileId: 1 },
      { logicalName: 'Shop_log', physicalName: 'E:\\Logs\\Shop_log.ldf', type: 'L', fileId: 2 },
    ],
    ...rest,
  };
}

/** A SYNTHETIC healthy history: full F1 (10:00), logs every hour, differential D1 at 12:30 on F1, full F2 at 14:30. */
export function healthy(): BackupSetRecord[] {
  const f1 = rec({ name: 'F1.bak', backupType: 'full', firstLsn: '1000000000010000001', lastLsn: '1000000000020000001', at: '2024-03-01T10:00:00' });
  return [
    f1,
    rec({ name: 'L1.trn', backupType: 'log', firstLsn: '1000000000005000001', lastLsn: '1000000000030000001', at: '2024-03-01T11:00:00' }),
    rec({ name: 'L2.trn', backupType: 'log', firstLsn: '1000000000030000001', lastLsn: '1000000000040000001', at: '2024-03-01T12:00:00' }),
    rec({ name: 'D1.bak', backupType: 'differential', firstLsn: '1000000000045000001', lastLsn: '1000000000046000001', at: '2024-03-01T12:30:00', differentialBaseGuid: f1.backupSetGuid, differentialBaseLsn: f1.firstLsn }),
    rec({ name: 'L3.trn', backupType: 'log', firstLsn: '1000000000040000001', lastLsn: '1000000000050000001', at: '2024-03-01T13:00:00' }),
    rec({ name: 'L4.trn', backupType: 'log', firstLsn: '1000000000050000001', lastLsn: '1000000000060000001', at: '2024-03-01T14:00:00' }),
  ];
}

export const names = (steps: Array<{ set: BackupSetRecord }>) => steps.map((s) => s.set.devices.map((d) => d.split(/[\\/]/).pop()).join('+'));
