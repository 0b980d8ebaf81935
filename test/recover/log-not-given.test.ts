import { describe, expect, it } from 'vitest';
import { committedPending, logNotGivenReached, splitLogNotGiven, type LogNotGiven } from '../../src/recover/log-not-given.js';
import { parseLsn } from '../../src/logreader/lsn.js';

/**
 * recover/log-not-given.ts: whether a scan's window or LSN range may reach a stretch of log in no
 * file given. SYNTHETIC stretches with the times and LSNs of appveyor-lab RestoreTimeClean (the
 * full backup's log to 19:84:1, started 12:59:12; the first log backup given from 19:ad:1, its
 * first transaction begun 13:14:13.100).
 */
describe('logNotGivenReached', () => {
  const s: LogNotGiven = { clause: 'x', lsnRange: { first: '00000019:00000084:0001', last: '00000019:000000ad:0001' }, after: '2017-06-01T12:59:12', before: '2017-06-01T13:14:13.100' };
  const lsn = (t: string) => parseLsn(t);
  it.each([
    [{}, null, true],
    [{ to: '2017-06-01T12:59:11.999' }, null, false],
    [{ to: '2017-06-01T12:59:12.000' }, null, true],
    [{ from: '2017-06-01T13:14:13.100' }, null, true],
    [{ from: '2017-06-01T13:14:13.101' }, null, false],
    [{ from: '2017-06-01T13:00:00.000', to: '2017-06-01T13:05:00.000' }, null, true],
    [{}, { fromLsn: null, toLsn: lsn('00000019:00000084:0000') }, false],
    [{}, { fromLsn: null, toLsn: lsn('00000019:00000084:0001') }, true],
    [{}, { fromLsn: lsn('00000019:000000ad:0001'), toLsn: null }, false],
    [{}, { fromLsn: lsn('00000019:000000ac:0001'), toLsn: null }, true],
  ] as const)('window %j, LSN range %j: %s', (window, range, reached) => {
    expect(logNotGivenReached(s, window, range)).toBe(reached);
  });

  it('a time without milliseconds stands for its whole second as `before`; unknown times and an open LSN end are never outside', () => {
    const b: LogNotGiven = { clause: 'y', before: '2017-06-01T13:14:13' };
    expect(logNotGivenReached(b, { from: '2017-06-01T13:14:13.999' })).toBe(true);
    expect(logNotGivenReached(b, { from: '2017-06-01T13:14:14.000' })).toBe(false);
    const open: LogNotGiven = { clause: 'z', lsnRange: { first: '00000013:000000b7:0001' } };
    expect(logNotGivenReached(open, { to: '2000-01-01T00:00:00.000' }, { fromLsn: lsn('7fffffff:00000000:0001'), toLsn: null })).toBe(true);
  });

  // Rows asked for in transactions with no commit or abort in the log read may have committed in a
  // stretch after it: a window or range ending before the stretch does not leave it out then (a
  // chain ending before a backup given ends, --to-lsn below its end: the note, exit 0, rows missing).
  // The start side still does: a transaction begun in the stretch began outside the window.
  it('pendingInWindow: --to and --to-lsn before the stretch no longer leave it out; --from and --from-lsn after it still do', () => {
    expect(logNotGivenReached(s, { to: '2017-06-01T12:59:11.999' }, null, true)).toBe(true);
    expect(logNotGivenReached(s, {}, { fromLsn: null, toLsn: lsn('00000019:00000084:0000') }, true)).toBe(true);
    expect(logNotGivenReached(s, { from: '2017-06-01T13:14:13.101' }, null, true)).toBe(false);
    expect(logNotGivenReached(s, {}, { fromLsn: lsn('00000019:000000ad:0001'), toLsn: null }, true)).toBe(false);
    expect(splitLogNotGiven([{ clause: 'a', after: '2017-06-01T13:00:00' }], { to: '2017-06-01T12:00:00.000' }, null, true)).toEqual({ incomplete: ['a'], noteOnly: [] });
    expect(committedPending({ uncommittedRowOps: 3, rolledBackRowOps: 3 })).toBe(false);
    expect(committedPending({ uncommittedRowOps: 4, rolledBackRowOps: 3 })).toBe(true);
  });

  it('splitLogNotGiven: each clause once, in one list', () => {
    const a: LogNotGiven = { clause: 'a', after: '2017-06-01T13:00:00' };
    const out = splitLogNotGiven([a, a, { clause: 'b' }], { to: '2017-06-01T12:00:00.000' });
    expect(out).toEqual({ incomplete: ['b'], noteOnly: ['a'] });
  });
});
