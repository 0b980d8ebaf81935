import type { Writable } from 'node:stream';
import { parseWindowTime, windowTimeWarning } from '../recover/time-window.js';

/**
 * One `rowback <command>: warning:` line on `stderr` for each time option whose local time is
 * ambiguous (the autumn fold) or does not exist (the spring gap) in this machine's time zone (TZ,
 * Intl's resolved zone): recover/time-window.ts windowTimeWarning names the two instants or the gap.
 * `times`: [flag, text as given, which end of a range a date alone stands for]; options not given
 * and text that does not parse (the command refuses it on its own) are passed over. Said even with
 * --quiet, as it changes which rows a window takes or where a replay stops. The SQL Server's zone
 * is not in the files, so only this machine's is known; the line says so. Returns the lines written.
 */
export function warnLocalTimes(command: string, times: ReadonlyArray<readonly [flag: string, text: string | undefined | null, bound: 'start' | 'end']>, stderr: Pick<Writable, 'write'> = process.stderr): string[] {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const said: string[] = [];
  for (const [flag, text, bound] of times) {
    if (!text) continue;
    let iso: string;
    try {
      iso = parseWindowTime(text, bound, flag);
    } catch {
      continue;
    }
    const w = windowTimeWarning(flag, text, iso, zone);
    if (!w) continue;
    const line = `rowback ${command}: warning: ${w} (${zone} is this machine's time zone, TZ; the SQL Server's may differ)`;
    stderr.write(`${line}\n`);
    said.push(line);
  }
  return said;
}
