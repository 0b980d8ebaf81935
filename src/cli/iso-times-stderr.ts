import { Writable } from 'node:stream';
import { isoLogTimesIn } from '../recover/log-local-time.js';

/**
 * `stderr` as a command's sentences reach it: each chunk written with every time in fn_dblog's form
 * (`2020/05/12 13:29:20:000`) given as `2020-05-12T13:29:20.000`, the one form of rowback's own
 * sentences, `--report`, `--from`/`--to`/`--stop-at` and rows' beginTime (log-local-time.ts
 * isoLogTimesIn: strings of `keep`, the values the user typed, and quoted spans are left as they
 * are). For the commands whose lines are written to a `stderr` they are given (dump, diff, restore):
 * their notes and WARNING lines said fn_dblog's form beside scan's ISO. Each write is passed on at
 * once, in order (no buffering: a caller reads what was said as soon as the write returns).
 */
export function isoTimesStderr(stderr: Writable, keep: readonly (string | undefined)[] = []): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done): void {
      stderr.write(isoLogTimesIn(typeof chunk === 'string' ? chunk : chunk.toString('utf8'), keep));
      done();
    },
  });
}
