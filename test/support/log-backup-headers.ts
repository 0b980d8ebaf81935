/**
 * Test-only: every backup set header of `.trn` files read from the files, as the scan's file source
 * reads them when it opens (FileRecoverySource.logBackupHeaders), for tests of
 * recover/database-default-collation.ts logBackupHeadersCollation that start from files. A file or
 * set that cannot be read is passed over, as the source leaves it to the log read to say why.
 */
import { readBackupHeader } from '../../src/backup/header.js';
import { readMtfLayout, type MtfLayout } from '../../src/backup/mtf.js';
import { logBackupHeadersCollation, type LogBackupHeaderRead } from '../../src/recover/database-default-collation.js';

/** Every readable set header of each of `trn` (a file given twice read once). */
export function readLogBackupHeaders(trn: readonly string[]): LogBackupHeaderRead[] {
  const read: LogBackupHeaderRead[] = [];
  for (const file of new Set(trn)) {
    let layout: MtfLayout;
    try {
      layout = readMtfLayout(file);
    } catch {
      continue;
    }
    for (let position = 1; position <= Math.max(1, layout.sets); position++) {
      try {
        read.push({ file, position, sets: layout.sets, header: readBackupHeader(file, layout, position) });
      } catch {
        // a set that cannot be read names nothing
      }
    }
  }
  return read;
}

/** The database's default collation the headers of `trn` tell (logBackupHeadersCollation over readLogBackupHeaders). */
export function logBackupsDefaultCollation(trn: readonly string[]): ReturnType<typeof logBackupHeadersCollation> {
  return logBackupHeadersCollation(readLogBackupHeaders(trn));
}
