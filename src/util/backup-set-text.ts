/**
 * How rowback names a backup file together with the backup set read from it, in every message,
 * note and place: `F (backup set 2)`, the set as RESTORE … WITH FILE = 2 and RESTORE HEADERONLY's
 * Position number it (MS Learn, RESTORE Arguments: "FILE = { backup_set_file_number }"). One phrase,
 * written in one place: ~40 places composed it inline.
 */

/**
 * `file` and the backup set `set` of it: `F (backup set N)`; `file` alone when `set` is undefined.
 * `file`: a path as the caller names it (echoed or not), or the text naming several files read at
 * one set (`A.bak, B.bak`: each stripe of a media set). The caller decides when the set is said
 * (a file of several sets, a set past the first, a set given): pass undefined otherwise. Pure.
 */
export function fileAndSet(file: string, set: number | undefined): string {
  return set === undefined ? file : `${file} (backup set ${set})`;
}
