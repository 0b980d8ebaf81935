/**
 * Whether two states of a comparison are read from the same backups: `diff --bak X --after-bak X`,
 * or a restore job whose `bak` and `afterBak` are one backup. One state compared with itself has
 * nothing missing, and "0 missing from the later state" reads as "nothing was deleted" whatever was
 * (a slip of the shell's completion, a form filled twice). The one rule behind `diff`'s refusal
 * (replay/compare.ts) and a restore job's at creation (worker/job-validate.ts); each words it in its
 * own terms (CLI flags, request fields).
 */
import { readBackupHeader } from './header.js';
import { realPath } from '../util/files.js';
import { positionOf, type BackupSetPositions } from './set-position.js';

/**
 * One side: its full/differential backup files and the backup set read of them (undefined: set 1,
 * the only one a file read without a position may hold; a list: the set of each file in order, as
 * `diff --bak F F --position 1,2` reads a full and a differential that are two sets of one file).
 */
export interface BackupSide {
  files: string[];
  position: BackupSetPositions | undefined;
}

/**
 * What two sides share:
 * - `same-files`: the same files (by real path: as written, resolved or through a symbolic link)
 *   at the same backup set (a position left out is set 1), or at positions whose sets carry the same
 *   BackupSetGUIDs (equal GUIDs in one file are one set): one state;
 * - `copies`: other files holding backups of the same BackupSetGUIDs: two copies of one state, so
 *   rows missing or changed between them are what one copy lost or holds damaged;
 * - null: different backups, or a header that cannot be read (left to the read of its pages) where
 *   the files differ.
 * `guids`: the sorted distinct BackupSetGUIDs of the earlier side (HEADERONLY BackupSetGUID, SCIN;
 * src/backup/header.ts), empty when a header could not be read. Never throws: a header that cannot
 * be read only leaves the GUIDs unknown.
 */
export function sameBackups(before: BackupSide, after: BackupSide): { kind: 'same-files' | 'copies'; guids: string[] } | null {
  const b = setGuids(before);
  const a = setGuids(after);
  const sameGuids = b !== null && a !== null && b.join() === a.join();
  // compared as lists of paths (JSON text of the sorted list), never as paths joined with line
  // breaks: a path may hold one (files k and k2 read as the one file `k<LF>1<LF>…/k2`)
  const files = (s: BackupSide) => JSON.stringify([...new Set(s.files.map((f) => realPath(f)))].sort());
  // each file with the set read of it (a position left out is set 1): the same sets of the same files, in any order
  const sets = (s: BackupSide) => JSON.stringify([...new Set(s.files.map((f, i) => JSON.stringify([realPath(f), positionOf(s.position, i) ?? 1])))].sort());
  if (before.files.length && (sets(before) === sets(after) || (sameGuids && files(before) === files(after)))) {
    return { kind: 'same-files', guids: b ?? [] };
  }
  return sameGuids ? { kind: 'copies', guids: b } : null;
}

/** The sorted distinct BackupSetGUIDs of a side's files at its position; null when one cannot be read. */
function setGuids(side: BackupSide): string[] | null {
  const out: string[] = [];
  for (const [i, f] of side.files.entries()) {
    let g: string | null;
    try {
      g = readBackupHeader(f, undefined, positionOf(side.position, i)).backupSetGuid;
    } catch {
      return null;
    }
    if (g === null) return null;
    out.push(g);
  }
  return out.length ? [...new Set(out)].sort() : null;
}
