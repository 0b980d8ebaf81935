import { InputError } from '../errors.js';
import { shellPath } from '../util/shell-word.js';

/**
 * A backup set's position as a user types it (`--position N`, RESTORE … WITH FILE = N: an int, the
 * first set 1; MS Learn, RESTORE Arguments, "FILE = { backup_set_file_number }"), or undefined when
 * not given. Only decimal digits (spaces around allowed) from 1 to 2,147,483,647: `Number()` took
 * `0x1`, `1e0`, `1.0` and `0b1` as set 1 (breaker N, session 44), and each command parsed it its own
 * way (diff alone strictly). Throws InputError INPUT_BAD_OPTION naming `flag` and the value.
 */
export function parseBackupSetPosition(flag: string, v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const text = String(v);
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  // a list (one per --bak file) where one number is read: said so, not "not a set number"
  if (/^\s*\d+\s*(,\s*\d+\s*)+$/.test(text)) throw new InputError('INPUT_BAD_OPTION', `${flag} takes one backup set number here, not a list ('${text}'); a list of one per --bak file (a full and a differential that are two sets of one file: --bak ALL.bak ALL.bak --position 1,2) is read by rowback dump and rowback diff`);
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw new InputError('INPUT_BAD_OPTION', `${flag} must be a backup set number (a whole number from 1, as RESTORE … WITH FILE = n), not '${text}'`);
  return n;
}

/**
 * The backup set of each of `files` (the `--bak` files, in the order given) as a user types it:
 * `N` (one number, the set of every file, as `parseBackupSetPosition`), or `N,M,…`, one number per
 * file in order, so that a full backup and a differential that are two sets of ONE file (BACKUP …
 * WITH NOINIT) can be read together: `--bak ALL.bak ALL.bak --position 1,2` is RESTORE DATABASE …
 * FROM DISK = 'ALL.bak' WITH FILE = 1, NORECOVERY, then FROM DISK = 'ALL.bak' WITH FILE = 2 (MS
 * Learn, RESTORE Arguments: FILE = n picks one backup set per RESTORE statement). Returns undefined
 * when not given, a number for one number, an array of `files.length` numbers for a list. Throws
 * InputError INPUT_BAD_OPTION for a number that is not a set number (each as parseBackupSetPosition),
 * an empty item (`1,,2`), or a list whose length is not the number of files (naming both).
 */
export function parseBackupSetPositions(flag: string, v: number | string | undefined, files: readonly string[], filesFlag = '--bak'): number | number[] | undefined {
  if (v === undefined) return undefined;
  const text = String(v);
  if (!text.includes(',')) return parseBackupSetPosition(flag, text);
  const items = text.split(',');
  const list = items.map((x) => {
    if (x.trim() === '') throw new InputError('INPUT_BAD_OPTION', `${flag} '${text}' has an empty item: give one backup set number per ${filesFlag} file, in order (${flag} 1,2 for ${filesFlag} ALL.bak ALL.bak)`);
    return parseBackupSetPosition(flag, x)!;
  });
  if (list.length !== files.length) {
    throw new InputError('INPUT_BAD_OPTION', `${flag} ${text} gives ${list.length} backup set numbers for ${files.length} ${filesFlag} file${files.length === 1 ? '' : 's'} (${files.join(' ')}): give one number per ${filesFlag} file in the order given (a file holding the full and the differential backup given twice: ${filesFlag} ALL.bak ALL.bak ${flag} 1,2), or one number for every file`);
  }
  return list;
}

/** One set number for every backup file, or one per file in order (parseBackupSetPositions' answer, a job's `position`). */
export type BackupSetPositions = number | readonly number[];

/** `position` as typed back in a command or message: `2`, or `1,2` for a list. */
export function positionsText(position: BackupSetPositions): string {
  return typeof position === 'number' ? String(position) : position.join(',');
}

/** The set `position` (parseBackupSetPositions' answer) picks in the `i`-th --bak file: the one number, the list's i-th, or undefined. */
export function positionOf(position: number | readonly number[] | undefined, i: number): number | undefined {
  return typeof position === 'number' || position === undefined ? position : position[i];
}

/**
 * What a refusal of one set number that a file lacks adds when that number was given for several
 * backup files (`--bak FULL.bak ALL.bak --position 2`: FULL.bak holds one set): its "leave
 * --position out" led to ALL.bak's refusal for want of a number, a loop. Names the way out: one number
 * per file in order (`--position 1,2`). `flag` as the caller names it; `files` the side's files.
 */
export function oneNumberForEveryFile(flag: string, position: number, files: readonly string[], filesFlag = '--bak'): string {
  return `; one number picks the set of every ${filesFlag} file (${files.length} given): to read set ${position} of one file and another set of another, give one number per file in order (${flag} ${files.map((_, i) => (i === files.length - 1 ? position : 1)).join(',')} for ${filesFlag} ${files.map((f) => shellPath(f)).join(' ')}, if those are the sets)`;
}
