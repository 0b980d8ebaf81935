/**
 * The sentence saying which of several files holding one backup set (copies: the same type, first
 * and last LSN and, where both headers give it, backup set GUID) a step read, and why the others
 * were left. One wording for `restore plan` (cli/commands/restore.ts planLogDamage: log and base
 * backups) and the replay (`dump --trn`, `diff`: replay/point-in-time.ts), which each wrote it out.
 */

/** The backup set the copies hold: its LSN range (HEADERONLY FirstLSN/LastLSN, decimal) and BackupSetGUID, null when unread. */
export interface CopiedSet {
  firstLsn: string;
  lastLsn: string;
  backupSetGuid: string | null;
}

/** `log backup LSN F..L (backup set G) is in N files`: the head of copiesNote, also of a refusal naming copies none of which was used. */
export function copiesHead(kind: 'log' | 'full' | 'differential' | string, set: CopiedSet, files: number): string {
  return `${kind} backup LSN ${set.firstLsn}..${set.lastLsn}${set.backupSetGuid ? ` (backup set ${set.backupSetGuid})` : ''} is in ${files} files`;
}

/**
 * `log backup LSN F..L (backup set G) is in N files: used FILE (why); left FILE (why), …`, N the
 * copy used and those left. Pure.
 */
export function copiesNote(kind: string, set: CopiedSet, used: { file: string; why: string }, left: ReadonlyArray<{ file: string; why: string }>): string {
  return `${copiesHead(kind, set, left.length + 1)}: used ${used.file} (${used.why}); left ${copiesLeftText(left)}`;
}

/** The copies left, `FILE (why), FILE (why)`, as copiesNote lists them. */
export function copiesLeftText(left: ReadonlyArray<{ file: string; why: string }>): string {
  return left.map((l) => `${l.file} (${l.why})`).join(', ');
}
