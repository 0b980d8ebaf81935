import { InputError } from '../errors.js';

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
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw new InputError('INPUT_BAD_OPTION', `${flag} must be a backup set number (a whole number from 1, as RESTORE … WITH FILE = n), not '${text}'`);
  return n;
}
