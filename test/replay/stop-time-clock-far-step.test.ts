import { describe, expect, it } from 'vitest';
import { CommitClock } from '../../src/recover/commit-clock.js';
import { LOP_COMMIT_XACT, type LogRecord } from '../../src/logreader/log-record.js';
import { StopTimeLookAhead, stopTimeClockWarning } from '../../src/replay/stop-time-clock.js';

/**
 * A stop time judged by a clock set back near it, not by any set-back the chain holds. The replay
 * reads commit End Times from the full backup on: a chain begun before the autumn daylight-saving
 * change (02:00 back to 01:00) and a stop days later got the WARNING that the stop time "may name two
 * moments" (and the advice to name it by LSN), though the clock passed it once; and when such an
 * early set-back was seen, the look-ahead past the stop ended at once, so a set-back right after the
 * stop went unsaid as such (the warning named the old one). SYNTHETIC commit times, in fn_dblog's form.
 */
const commit = (n: number, end: string): LogRecord => ({ 'Current LSN': `00000020:${n.toString(16).padStart(8, '0')}:0001`, Operation: LOP_COMMIT_XACT, 'End Time': end }) as unknown as LogRecord;

/** Commits every 10 minutes from `from` (ISO, local) for `count`, numbered from `n`. */
function every10(from: string, count: number, n: number): LogRecord[] {
  const t0 = Date.parse(`${from}Z`);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(t0 + i * 600_000).toISOString();
    return commit(n + i, `${d.slice(0, 10).replace(/-/g, '/')} ${d.slice(11, 19)}:000`);
  });
}

/** The replay's way: commits up to the first that ended after the stop, then the look-ahead. */
function judge(records: LogRecord[], stopTime: string): string | undefined {
  const clock = new CommitClock();
  let ahead: StopTimeLookAhead | null = null;
  let stoppedAt: string | null = null;
  for (const r of records) {
    if (ahead) {
      if (ahead.see(r)) break;
      continue;
    }
    clock.see(r['Current LSN'], r['End Time']!);
    const iso = r['End Time']!.replace(/\//g, '-').replace(' ', 'T').replace(/:(\d{3})$/, '.$1');
    if (iso > stopTime) {
      stoppedAt = r['Current LSN'];
      ahead = new StopTimeLookAhead(clock, stopTime);
    }
  }
  return stopTimeClockWarning(clock, stopTime, stoppedAt);
}

// 2024-11-03: 00:00 … 01:50 (EDT), back to 01:00 (EST) … days on
const fold = [...every10('2024-11-03T00:00:00', 12, 1), ...every10('2024-11-03T01:00:00', 600, 100)];

describe('a stop time and a clock set back far from it', () => {
  it('a set-back days before the stop: no WARNING (the stop time came once)', () => {
    expect(judge(fold, '2024-11-05T10:05:00.000')).toBeUndefined();
  });

  it('a stop time in the repeated hour, or just after it: the WARNING, naming the set-back', () => {
    for (const t of ['2024-11-03T01:25:00.000', '2024-11-03T02:30:00.000']) {
      const w = judge(fold, t);
      expect(w, t).toContain('the transaction committed at LSN 00000020:00000064:0001 ended 2024-11-03T01:00:00.000, after (in the log) the one at LSN 00000020:0000000c:0001 that ended 2024-11-03T01:50:00.000');
    }
  });

  it('an old set-back before, a new one right after the stop: the WARNING names the new one', () => {
    // a week later, at 2024-11-10 09:00:00, the clock is set back 40 minutes (a manual step)
    const later = [...fold.filter((r) => r['End Time']! < '2024/11/07'), ...every10('2024-11-10T08:00:00', 7, 2000), ...every10('2024-11-10T08:20:00', 10, 3000)];
    const w = judge(later, '2024-11-10T08:35:00.000');
    expect(w).toContain('ended 2024-11-10T08:20:00.000, after (in the log) the one at LSN 00000020:000007d6:0001 that ended 2024-11-10T09:00:00.000');
    expect(w).toContain('so the stop time 2024-11-10T08:35:00.000 may name two moments');
  });
});
