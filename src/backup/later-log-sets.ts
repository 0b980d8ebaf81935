import { readBackupHeader, type BackupHeader } from './header.js';
import { readMtfLayout, type MtfLayout } from './mtf.js';

/**
 * The log backup sets of a file of several backup sets (BACKUP … WITH NOINIT appends them: a full
 * backup and the log backups after it in one file) whose LastLSN is past `reach` (a decimal LSN as
 * a bigint, the end of the log a read takes from elsewhere), in file order, each with its position
 * (RESTORE … WITH FILE = n) and header. [] for a file of one set, a file that cannot be laid out,
 * or none past `reach`; a set whose header cannot be read is passed over (the read that uses the
 * file says its damage). Only sets of the database `of` names (the set read: HEADERONLY BindingID or
 * FamilyGUID the same; a restored copy keeps FamilyGUID): a log backup of ANOTHER database appended
 * to the file is no log of this one, its LSNs compare with nothing here, and `--trn FILE` would be
 * refused INPUT_MIXED_DATABASES (before: named as "the rows deleted or changed after backup set 1").
 * When `of` gives neither id, or a set's header gives neither, the set is kept. `walked`: the file's
 * MTF layout when the caller has walked it already (else walked here). Reads the MTF layout
 * and the set headers (SSET blocks) only; throws nothing.
 * Source: HEADERONLY's BackupType/LastLSN/BindingID/FamilyGUID as backup/header.ts reads them (SCIN).
 */
export function logSetsEndingPast(file: string, reach: bigint, of: DatabaseIds, walked?: MtfLayout): Array<{ position: number; header: BackupHeader }> {
  let layout: MtfLayout;
  try {
    layout = walked ?? readMtfLayout(file);
  } catch {
    return [];
  }
  const out: Array<{ position: number; header: BackupHeader }> = [];
  for (let position = 1; position <= layout.sets && layout.sets > 1; position++) {
    try {
      const header = readBackupHeader(file, layout, position);
      if (header.backupType === 'log' && BigInt(header.lastLsn.decimal) > reach && sameDatabase(header, of)) out.push({ position, header });
    } catch {
      // a set whose header cannot be read: not named here
    }
  }
  return out;
}

/** The ids a backup set names its database by (HEADERONLY BindingID, FamilyGUID); null where not read. */
export interface DatabaseIds {
  bindingId: string | null;
  familyGuid?: string | null;
}

/**
 * Whether `h` is a set of the database `of` names: the same BindingID, or the same FamilyGUID (a
 * database restored as a new one keeps its FamilyGUID: source-identity.ts tells two databases only
 * when both differ). True when either side names neither id (not known to differ).
 */
function sameDatabase(h: DatabaseIds, of: DatabaseIds): boolean {
  const eq = (a: string | null | undefined, b: string | null | undefined) => (a && b ? a.toUpperCase() === b.toUpperCase() : null);
  const binding = eq(h.bindingId, of.bindingId);
  const family = eq(h.familyGuid, of.familyGuid);
  if (binding === null && family === null) return true;
  return binding === true || family === true;
}

/** The set of `sets` ending last (by LastLSN); `sets` must not be empty. */
export function lastEnding<T extends { header: BackupHeader }>(sets: readonly T[]): T {
  return sets.reduce((m, l) => (BigInt(l.header.lastLsn.decimal) > BigInt(m.header.lastLsn.decimal) ? l : m));
}
