/**
 * window-before-log.ts windowBeforeLogStartClause: a scan window starting before the first transaction
 * the log read holds (an .ldf whose older VLFs were reused, a chain whose first log backup is later)
 * is INCOMPLETE, judged from the database's creation when a data file or backup gives it.
 * Cases as bytes → expected: (window, first Begin Time, created) → clause or none.
 */
import { describe, expect, it } from 'vitest';
import { onlineLogStartClause, windowBeforeLogStartClause, type LogReadStartFacts } from '../../src/recover/window-before-log.js';

const ADD = 'add them';
const FIRST = '2018/08/26 21:19:07:573'; // fn_dblog's form, as LogScanStats keeps it

/** LogReadStartFacts from the first Begin Time, the creation, and (where a case needs them) the backup set the read begins with, where the .ldf is whole from, the first commit. */
const facts = (firstBeginTime: string | null, created: string | null, readStart?: LogReadStartFacts['readStart'], wholeFrom?: LogReadStartFacts['wholeFrom'], firstCommitTime?: string | null): LogReadStartFacts => ({ firstBeginTime, created, readStart, wholeFrom, firstCommitTime });

describe('windowBeforeLogStartClause', () => {
  it.each([
    ['no --from', {}, FIRST, null],
    ['--from at the first begin', { from: '2018-08-26T21:19:07.573' }, FIRST, null],
    ['--from after it', { from: '2018-08-27T00:00:00.000' }, FIRST, null],
    // Begin Times are datetime ticks (.570, .573): none lies in .571-.572, so no transaction can have begun there
    ['--from .572 or .571, no datetime tick before the first begin (.573)', { from: '2018-08-26T21:19:07.572' }, FIRST, null],
    ['--from .571', { from: '2018-08-26T21:19:07.571' }, FIRST, null],
    ['--from .998 of the second before a first begin at .000 (the tick before is .997)', { from: '2018-08-26T21:19:06.998' }, '2018/08/26 21:19:07:000', null],
    ['no begin in the log (the "why no rows" line says it)', { from: '2018-01-01T00:00:00.000' }, null, null],
  ])('none: %s', (_what, window, first, created) => {
    expect(windowBeforeLogStartClause(window, facts(first, created), ADD)).toBeUndefined();
  });

  it('--from at the datetime tick before the first begin (.570 against .573): INCOMPLETE naming it', () => {
    expect(windowBeforeLogStartClause({ from: '2018-08-26T21:19:06.997' }, facts('2018/08/26 21:19:07:000', null), ADD)).toMatch(/^the window starts at 2018-08-26T21:19:06\.997, before the log read begins/);
    expect(windowBeforeLogStartClause({ from: '2018-08-26T21:19:07.570' }, facts(FIRST, null), ADD)).toBe(
      "the window starts at 2018-08-26T21:19:07.570, before the log read begins: its first transaction began at 2018-08-26T21:19:07.573 (the SQL Server's local time), and transactions begun before that are in no file given (an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time): their rows are not in this result; add them",
    );
  });

  it('a window wholly before the first begin is said as such; the creation date is named', () => {
    const c = windowBeforeLogStartClause({ from: '2018-03-01T00:00:00.000', to: '2018-03-02T23:59:59.999' }, facts(FIRST, '2018-01-31T15:04:49.670'), ADD);
    expect(c).toMatch(/^the whole window \(from 2018-03-01T00:00:00\.000 to 2018-03-02T23:59:59\.999\) is before the log read begins: its first transaction began at 2018-08-26T21:19:07\.573 \(the SQL Server's local time; the database was created at 2018-01-31T15:04:49\.670\), /);
  });

  it('judged from the creation: a window before the database existed, or a log begun with it, is whole', () => {
    // the database created a minute or less before its log's first transaction: the log is whole from the start
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, facts('2017/06/01 12:59:40:000', '2017-06-01T12:59:12'), ADD)).toBeUndefined();
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, facts('2017/06/01 13:00:12:000', '2017-06-01T12:59:12'), ADD)).toBeUndefined();
    // a minute and a millisecond: the log may have lost what came between
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, facts('2017/06/01 13:00:12:001', '2017-06-01T12:59:12'), ADD)).toMatch(/^the window starts at 2000-01-01T00:00:00\.000, before the log read begins/);
    // a window ending before the database was created asks for nothing the log could hold
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000', to: '2000-01-02T00:00:00.000' }, facts(FIRST, '2018-01-31T15:04:49.670'), ADD)).toBeUndefined();
  });

  it('takes the ISO form of a Begin Time as well', () => {
    expect(windowBeforeLogStartClause({ from: '2018-08-26T00:00:00.000' }, facts('2018-08-26T21:19:07.573', null), ADD)).toMatch(/its first transaction began at 2018-08-26T21:19:07\.573/);
  });

  it('a creation date more than a minute after the log\'s first transaction is not this log\'s start: judged without it (it said nothing: "a log begun with it")', () => {
    // a database whose boot page dates its creation after transactions its log holds (a restore or attach may set it)
    const c = windowBeforeLogStartClause({ from: '2018-01-01T00:00:00.000', to: '2018-08-29T00:00:00.000' }, facts(FIRST, '2018-09-10T08:00:00.000'), ADD);
    expect(c).toBe(
      "the window starts at 2018-01-01T00:00:00.000, before the log read begins: its first transaction began at 2018-08-26T21:19:07.573 (the SQL Server's local time; the creation date its data file or backup gives, 2018-09-10T08:00:00.000, is after it, so it tells nothing of the log before), and transactions begun before that are in no file given (an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time): their rows are not in this result; add them",
    );
    // nor does a window before that "creation" say nothing
    expect(windowBeforeLogStartClause({ from: '2018-01-01T00:00:00.000', to: '2018-02-01T00:00:00.000' }, facts(FIRST, '2018-09-10T08:00:00.000'), ADD)).toMatch(/^the whole window \(from 2018-01-01T00:00:00\.000 to 2018-02-01T00:00:00\.000\) is before the log read begins/);
    // within the minute either side: the creation's own log
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, facts('2017/06/01 12:59:12:957', '2017-06-01T12:59:13.500'), ADD)).toBeUndefined();
  });

  it('no transaction begin in a backup-only read: judged by the first backup set\'s start (it said nothing)', () => {
    const start = { file: 'F.bak', position: 1, kind: 'full' as const, finished: '2025-01-19T02:33:47', started: '2025-01-19T02:33:47', lastLsn: '00000025:00000100:0001' };
    expect(windowBeforeLogStartClause({ from: '2025-01-19T02:15:00.000', to: '2025-01-19T02:20:59.999' }, facts(null, '2025-01-19T02:11:34.897', start), ADD)).toBe(
      "the whole window (from 2025-01-19T02:15:00.000 to 2025-01-19T02:20:59.999) is before the log read begins: the log read holds no transaction begin, and it begins with F.bak, a full backup begun at 2025-01-19T02:33:47 (the SQL Server's local time, to the second; the database was created at 2025-01-19T02:11:34.897), whose log starts then: transactions begun before that are in no file given (earlier log is in the log backups of that time): their rows are not in this result; add them",
    );
    // the start's second is not known to be read; from the next second on, nothing said
    expect(windowBeforeLogStartClause({ from: '2025-01-19T02:33:47.500' }, facts(null, null, start), ADD)).toMatch(/^the window starts at 2025-01-19T02:33:47\.500, before the log read begins: the log read holds no transaction begin/);
    expect(windowBeforeLogStartClause({ from: '2025-01-19T02:33:48.000' }, facts(null, null, start), ADD)).toBeUndefined();
    // a backup taken at the creation: whole; an .ldf (no set) with no begin: nothing known, nothing said
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, facts(null, '2025-01-19T02:33:30.000', start), ADD)).toBeUndefined();
    expect(windowBeforeLogStartClause({ from: '2000-01-01T00:00:00.000' }, facts(null, null, null), ADD)).toBeUndefined();
    // a log backup: its log starts at the one before it
    expect(windowBeforeLogStartClause({ from: '2025-01-19T00:00:00.000' }, facts(null, null, { ...start, file: 'L.trn', kind: 'log', position: 2 }), ADD)).toMatch(/begins with L\.trn \(backup set 2\), a log backup begun at 2025-01-19T02:33:47 \(the SQL Server's local time, to the second\), whose log starts then or at the log backup before it: /);
  });

  it('a commit read before the first begin: judged from it (the log read reaches back to it)', () => {
    expect(windowBeforeLogStartClause({ from: '2018-08-26T21:19:00.000' }, facts(FIRST, null, null, null, '2018/08/26 21:18:50:000'), ADD)).toBeUndefined();
    expect(windowBeforeLogStartClause({ from: '2018-08-26T21:18:40.000' }, facts(FIRST, null, null, null, '2018/08/26 21:18:50:000'), ADD)).toMatch(/^the window starts at 2018-08-26T21:18:40\.000, before the log read begins: its earliest time is 2018-08-26T21:18:50\.000, the commit of a transaction begun before it \(its begin is not in it; its first transaction began at 2018-08-26T21:19:07\.573\)/);
    // a commit after the first begin changes nothing
    expect(windowBeforeLogStartClause({ from: '2018-08-26T21:19:00.000' }, facts(FIRST, null, null, null, '2018/08/26 21:20:00:000'), ADD)).toMatch(/its first transaction began at 2018-08-26T21:19:07\.573/);
  });

  it('a backup-only read says where its log begins, not what an .ldf keeps', () => {
    const start = { file: 'X_2.trn', position: 1, kind: 'log' as const, finished: '2017-06-01T13:09:13', started: '2017-06-01T13:09:13', lastLsn: '00000019:000000a3:0001' };
    expect(windowBeforeLogStartClause({ from: '2017-06-01T13:00:00.000' }, facts('2017/06/01 13:04:43:000', null, start), ADD)).toBe(
      "the window starts at 2017-06-01T13:00:00.000, before the log read begins: its first transaction began at 2017-06-01T13:04:43.000 (the SQL Server's local time), and transactions begun before that are in no file given (the log read begins with X_2.trn, a log backup whose log starts where the one before it ended; earlier log is in the log backups taken before it): their rows are not in this result; add them",
    );
  });

  it('the way on of a window with only --to ends it later, not "start the window later" (it has no start); a files job\'s and a live job\'s field named alike', () => {
    const cli = 'add the log backups of that time with --trn, or start the window later';
    expect(windowBeforeLogStartClause({ to: '2018-08-25T23:59:59.999' }, facts(FIRST, null), cli)).toMatch(/; add the log backups of that time with --trn, or end the window later, into the log read$/);
    expect(windowBeforeLogStartClause({ from: '2018-08-25T00:00:00.000', to: '2018-08-25T23:59:59.999' }, facts(FIRST, null), cli)).toMatch(/; add the log backups of that time with --trn, or start the window later$/);
    expect(windowBeforeLogStartClause({ to: '2018-08-25T23:59:59.999' }, facts(FIRST, null), 'add them to the job (trn), or start the window later (from)')).toMatch(/; add them to the job \(trn\), or end the window later \(to\), into the log read$/);
    expect(onlineLogStartClause({ to: '2018-08-25T23:59:59.999' }, '2018-08-26T21:19:07.573', 'add them (logBackups), or start the window later (from)')).toMatch(/, or end the window later \(to\), into the log read$/);
    expect(onlineLogStartClause({ from: '2018-08-25T00:00:00.000' }, '2018-08-26T21:19:07.573', 'add them (logBackups), or start the window later (from)')).toMatch(/, or start the window later \(from\)$/);
  });

  it('a window with only --to: INCOMPLETE when it lies wholly before the log read (it said nothing: "0 row(s)", complete); nothing said when it reaches into it', () => {
    expect(windowBeforeLogStartClause({ to: '2018-08-25T23:59:59.999' }, facts(FIRST, null), ADD)).toBe(
      "the whole window (to 2018-08-25T23:59:59.999) is before the log read begins: its first transaction began at 2018-08-26T21:19:07.573 (the SQL Server's local time), and transactions begun before that are in no file given (an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time): their rows are not in this result; add them",
    );
    expect(windowBeforeLogStartClause({ to: '2018-08-27T00:00:00.000' }, facts(FIRST, null), ADD)).toBeUndefined();
    // before the database existed: nothing to miss
    expect(windowBeforeLogStartClause({ to: '2018-01-01T00:00:00.000' }, facts(FIRST, '2018-01-31T15:04:49.670'), ADD)).toBeUndefined();
    // a backup-only read with no transaction begin: by the first set's start
    const start = { file: 'F.bak', position: 1, kind: 'full' as const, finished: '2025-01-19T02:33:47', started: '2025-01-19T02:33:47', lastLsn: '00000025:00000100:0001' };
    expect(windowBeforeLogStartClause({ to: '2025-01-19T02:20:59.999' }, facts(null, '2025-01-19T02:11:34.897', start), ADD)).toMatch(/^the whole window \(to 2025-01-19T02:20:59\.999\) is before the log read begins: the log read holds no transaction begin, and it begins with F\.bak/);
    // the online log (a live scan's probe)
    expect(onlineLogStartClause({ to: '2024-03-05T13:00:00.000' }, '2024/03/05 14:05:00:000', ADD)).toMatch(/^the whole window \(to 2024-03-05T13:00:00\.000\) is before the online log begins: /);
    expect(onlineLogStartClause({ to: '2024-03-05T15:00:00.000' }, '2024/03/05 14:05:00:000', ADD)).toBeUndefined();
  });
});
