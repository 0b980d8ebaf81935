/**
 * window-past-log.ts windowBeforeLogStartClause: a scan window starting before the first transaction
 * the log read holds (an .ldf whose older VLFs were reused, a chain whose first log backup is later)
 * is INCOMPLETE, judged from the database's creation when a data file or backup gives it.
 * Cases as bytes → expected: (window, first Begin Time, created) → clause or none.
 */
import { describe, expect, it } from 'vitest';
import { windowBeforeLogStartClause } from '../../src/recover/window-past-log.js';

const ADD = 'add them';
const FIRST = '2018/08/26 21:19:07:573'; // fn_dblog's form, as LogScanStats keeps it

describe('windowBeforeLogStartClause', () => {
  it.each([
    ['no --from', {}, FIRST, null],
    ['--from at the first begin', { from: '2018-08-26T21:19:07.573' }, FIRST, null],
    ['--from after it', { from: '2018-08-27T00:00:00.000' }, FIRST, null],
    ['no begin in the log (the "why no rows" line says it)', { from: '2018-01-01T00:00:00.000' }, null, null],
  ])('none: %s', (_what, window, first, created) => {
    expect(windowBeforeLogStartClause(window, first, created, ADD)).toBeUndefined();
  });

  it('--from a millisecond before the first begin: INCOMPLETE naming it', () => {
    expect(windowBeforeLogStartClause({ from: '2018-08-26T21:19:07.572' }, FIRST, null, ADD)).toBe(
      "the window starts at 2018-08-26T21:19:07.572, before the log read begins: its first transaction began at 2018-08-26T21:19:07.573 (the SQL Server's local time), and transactions begun before that are in no file given (an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time): their rows are not in this result; add them",
    );
  });

  it('a window wholly before the first begin is said as such; the creation date is named', () => {
    const c = windowBeforeLogStartClause({ from: '2018-03-01T00:00:00.000', to: '2018-03-02T23:59:59.999' }, FIRST, '2018-01-31T15:04:49.670', ADD);
    expect(c).toMatch(/^the whole window \(from 2018-03-01T00:00:00\.000 to 2018-03-02T23:59:59\.999\) is before the log read begins: its first transaction began at 2018-08-26T21:19:07\.573 \(the SQL Server's local time; the database was created at 2018-01-31T15:04:49\.670\), /);
  });

  it('judged from the creation: a window before the database existed, or a log begun with it, is whole', () => {
    // the database created a minute or less before its log's first transaction: the log is whole from the start
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, '2017/06/01 12:59:40:000', '2017-06-01T12:59:12', ADD)).toBeUndefined();
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, '2017/06/01 13:00:12:000', '2017-06-01T12:59:12', ADD)).toBeUndefined();
    // a minute and a millisecond: the log may have lost what came between
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, '2017/06/01 13:00:12:001', '2017-06-01T12:59:12', ADD)).toMatch(/^the window starts at 2000-01-01T00:00:00\.000, before the log read begins/);
    // a window ending before the database was created asks for nothing the log could hold
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000', to: '2000-01-02T00:00:00.000' }, FIRST, '2018-01-31T15:04:49.670', ADD)).toBeUndefined();
  });

  it('takes the ISO form of a Begin Time as well', () => {
    expect(windowBeforeLogStartClause({ from: '2018-08-26T00:00:00.000' }, '2018-08-26T21:19:07.573', null, ADD)).toMatch(/its first transaction began at 2018-08-26T21:19:07\.573/);
  });
});
