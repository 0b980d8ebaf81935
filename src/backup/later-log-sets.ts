import { readBackupHeader, type BackupHeader } from './header.js';
import { readMtfLayout } from './mtf.js';

/**
 * The log backup sets of a file of several backup sets (BACKUP … WITH NOINIT appends them: a full
 * backup and the log backups after it in one file) whose LastLSN is past `reach` (a decimal LSN as
 * a bigint, the end of the log a read takes from elsewhere), in file order, each with its position
 * (RESTORE … WITH FILE = n) and header. [] for a file of one set, a file that cannot be laid out,
 * or none past `reach`; a set whose header cannot be read is passed over (the read that uses the
 * file says its damage). Reads the MTF layout and the set headers (SSET blocks) only; throws nothing.
 * Source: HEADERONLY's BackupType/LastLSN as backup/header.ts reads them (SCIN).
 */
export function logSetsEndingPast(file: string, reach: bigint): Array<{ position: number; header: BackupHeader }> {
  let layout: ReturnType<typeof readMtfLayout>;
  try {
    layout = readMtfLayout(file);
  } catch {
    return [];
  }
  const out: Array<{ position: number; header: BackupHeader }> = [];
  for (let position = 1; position <= layout.sets && layout.sets > 1; position++) {
    try {
      const header = readBackupHeader(file, layout, position);
      if (header.backupType === 'log' && BigInt(header.lastLsn.decimal) > reach) out.push({ position, header });
    } catch {
      // a set whose header cannot be read: not named here
    }
  }
  return out;
}

/** The set of `sets` ending last (by LastLSN); `sets` must not be empty. */
export function lastEnding<T extends { header: BackupHeader }>(sets: readonly T[]): T {
  return sets.reduce((m, l) => (BigInt(l.header.lastLsn.decimal) > BigInt(m.header.lastLsn.decimal) ? l : m));
}
