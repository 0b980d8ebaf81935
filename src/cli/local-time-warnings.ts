import type { Writable } from 'node:stream';
import { localTimeWarnings } from '../recover/time-window.js';
import { sayLines } from './stderr-lines.js';

/**
 * One `rowback <command>: warning:` line on `stderr` for each time option whose local time is
 * ambiguous (the autumn fold) or does not exist (the spring gap) in this machine's time zone (TZ):
 * recover/time-window.ts localTimeWarnings, which names the two instants or the gap. `times`:
 * [flag, text as given, which end of a range a date alone stands for]. Said even with --quiet, as it
 * changes which rows a window takes or where a replay stops. Returns the lines written.
 */
export function warnLocalTimes(command: string, times: ReadonlyArray<readonly [flag: string, text: string | undefined | null, bound: 'start' | 'end']>, stderr: Pick<Writable, 'write'> = process.stderr): string[] {
  const lines = localTimeWarnings(times, "this machine's").map((w) => `rowback ${command}: warning: ${w}`);
  sayLines(lines, stderr);
  return lines;
}
