/**
 * One formatter for a log time in rowback's sentences (recover/log-local-time.ts logTimeText): the
 * sentence builders wrote the log's own fn_dblog form (`2024/01/02 13:45:10:123`, as LogScanStats
 * and an export's header keep it) and each outlet (scan's and log's stderr, dump/diff/restore's
 * wrapped stderr, the worker's notes) rewrote finished sentences (isoLogTimesIn); a sentence reaching
 * an outlet without the rewrite said fn_dblog's form beside the ISO of the rest. Now the builders
 * write `2024-01-02T13:45:10.123` themselves: the transactions rowless removals name (scanStatsNotes),
 * an export's log read against the window (exportScopeClauses), as explainNoRows' span
 * (no-rows-and-incomplete.test.ts). SYNTHETIC stats and export headers.
 */
import { describe, expect, it } from 'vitest';
import { emptyStats, scanStatsNotes } from '../../src/recover/committed.js';
import { logTimeText } from '../../src/recover/log-local-time.js';
import { exportScopeClauses } from '../../src/recover/window-past-log.js';
import { parseWindowTime } from '../../src/recover/time-window.js';

const FN_DBLOG = /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}:\d{3}/;

describe('logTimeText: the one form of a log time in a sentence', () => {
  it.each([
    ['2024/01/02 13:45:10:123', '2024-01-02T13:45:10.123'],
    ['2024-01-02T13:45:10.123', '2024-01-02T13:45:10.123'],
    ['2024-01-02 13:45:10', '2024-01-02T13:45:10.000'],
    ['not a time', 'not a time'],
  ])('%s → %s', (t, iso) => expect(logTimeText(t)).toBe(iso));

  it('--from/--to still take both forms (the one said, and the log\'s own)', () => {
    expect(parseWindowTime('2024/01/02 13:45:10:123', 'start', '--from')).toBe(parseWindowTime('2024-01-02T13:45:10.123', 'start', '--from'));
  });
});

describe('the sentence builders write log times in it', () => {
  it('a TRUNCATE TABLE transaction named by scanStatsNotes: its Begin Time', () => {
    const stats = { ...emptyStats(), rowlessRemovals: 1, rowlessRemovalList: [{ kind: 'TRUNCATE TABLE', transactionId: '0000:000004d2', beginLsn: '00000019:00000090:0001', beginTime: '2024/01/02 13:45:10:123', spid: 55, sid: null }] };
    const { removals } = scanStatsNotes(stats as never, ['delete'], false);
    expect(removals[0]).toContain('(began 2024-01-02T13:45:10.123, SPID 55)');
    expect(removals[0]).not.toMatch(FN_DBLOG);
  });

  it("an export's log read against the window: its first and last times", () => {
    const header = { window: { from: null, to: null }, operations: null, logSource: 'fn_dump_dblog', logBackup: 'L.trn', logBackupSet: 1, logRead: { firstLsn: '00000019:00000010:0001', lastLsn: '00000019:00000090:0001', firstBeginTime: '2024/01/02 10:00:00:000', lastBeginTime: '2024/01/02 11:00:00:000', firstEndTime: '2024/01/02 09:59:00:000', lastEndTime: '2024/01/02 10:59:00:000' } };
    const c = exportScopeClauses({ from: '2024-01-02T08:00:00.000', to: '2024-01-02T12:00:00.000' }, header, 'x.json');
    const text = c.join('\n');
    expect(text).toContain('its last transaction began at 2024-01-02T11:00:00.000');
    expect(text).toContain('its earliest time is 2024-01-02T09:59:00.000, the end of a transaction begun before it (its first transaction began at 2024-01-02T10:00:00.000)');
    expect(text).not.toMatch(FN_DBLOG);
  });
});
