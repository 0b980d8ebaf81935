import { beginTimeToIso } from './time-window.js';

/**
 * Seconds a commit's End Time may lie before an earlier commit's (in log order) before the clock is
 * said to have run backwards: commit records of concurrent transactions are written in the order
 * they commit, their times taken a moment before; a few seconds is far above that and far below the
 * hour a daylight-saving change repeats.
 */
export const CLOCK_BACK_SECONDS = 5;

/**
 * Where the commits' End Times, in log (LSN) order, first ran backwards by more than
 * CLOCK_BACK_SECONDS: `earlier` the commit with the latest End Time read before it (its LSN and
 * fn_dblog-form time, `yyyy/MM/dd HH:mm:ss:fff`, the server's local time), `later` the commit after
 * it in the log that ended `seconds` earlier.
 */
export interface ClockBackwards {
  earlierLsn: string;
  earlierTime: string;
  laterLsn: string;
  laterTime: string;
  seconds: number;
}

/**
 * Follows commit End Times in LSN order and keeps the first place they ran backwards
 * (`backwards`): commit records are written as transactions commit, so their times run forwards
 * unless the server's clock was set back (the autumn daylight-saving change repeats an hour of local
 * time; a manual or NTP step). One text compare per commit: fn_dblog's time form is fixed-width and
 * orders as text. Times that do not parse are passed over for the backwards check.
 */
export class CommitClock {
  private latest: string | null = null;
  private latestLsn = '';
  /** The latest End Time since the last step recorded in `steps` (the clock as it runs after a set-back). */
  private since: string | null = null;
  private sinceLsn = '';
  /** The first backwards step seen; undefined while the times ran forwards. */
  backwards: ClockBackwards | undefined;
  /**
   * Every backwards step seen, in log order (the first CLOCK_STEPS_KEPT): each measured from the
   * latest End Time since the step before it, so an hour repeated after a set-back is one step, and a
   * later set-back is told apart from an earlier one (a stop time is judged by the one near it).
   */
  readonly steps: ClockBackwards[] = [];

  /** One commit (`lsn` in rowback's form, `endTime` in fn_dblog's), in LSN order. */
  see(lsn: string, endTime: string): void {
    const latest = this.latest;
    if (latest === null || endTime >= latest) {
      this.latest = endTime;
      this.latestLsn = lsn;
    } else if (!this.backwards) {
      const back = secondsBetween(endTime, latest);
      if (back !== null && back > CLOCK_BACK_SECONDS) this.backwards = { earlierLsn: this.latestLsn, earlierTime: latest, laterLsn: lsn, laterTime: endTime, seconds: back };
    }
    const since = this.since;
    if (since === null || endTime >= since) {
      this.since = endTime;
      this.sinceLsn = lsn;
      return;
    }
    const back = secondsBetween(endTime, since);
    if (back === null || back <= CLOCK_BACK_SECONDS) return;
    if (this.steps.length < CLOCK_STEPS_KEPT) this.steps.push({ earlierLsn: this.sinceLsn, earlierTime: since, laterLsn: lsn, laterTime: endTime, seconds: back });
    this.since = endTime;
    this.sinceLsn = lsn;
  }
}

/** Backwards steps a CommitClock keeps (a clock stepping back and forth all day: the first ones). */
export const CLOCK_STEPS_KEPT = 1000;

/**
 * Whether a backwards step can have made some local time of the window `from`..`to` (rowback form,
 * `YYYY-MM-DDTHH:MM:SS.fff`, the server's local time; a missing bound is open) pass twice: the
 * window meets [later commit's End Time − slack, earlier commit's End Time + slack], the stretch
 * stepMayRepeat tells a single time by. Times that do not parse: true.
 */
export function stepMayRepeatInWindow(c: ClockBackwards, window: { from?: string; to?: string }, slackSeconds: number): boolean {
  const a = isoOrNull(c.earlierTime);
  const b = isoOrNull(c.laterTime);
  if (a === null || b === null) return true;
  const lo = Date.parse(`${b}Z`) - slackSeconds * 1000;
  const hi = Date.parse(`${a}Z`) + slackSeconds * 1000;
  const from = window.from !== undefined ? Date.parse(`${window.from}Z`) : -Infinity;
  const to = window.to !== undefined ? Date.parse(`${window.to}Z`) : Infinity;
  if (Number.isNaN(from) || Number.isNaN(to)) return true;
  return from <= hi && to >= lo;
}

/**
 * Whether a backwards step can have made `isoTime` (rowback form, `YYYY-MM-DDTHH:MM:SS.fff`, the
 * server's local time) pass twice: a clock reading R set back by s repeats [R − s, R]; R is at least
 * the earlier commit's End Time and at most the later's plus s, and s is the step seen give or take
 * the idle time around it, so a time passed twice lies within `slackSeconds` (a daylight-saving hour)
 * of [later commit's End Time, earlier commit's End Time]. A step days before (a chain spanning the
 * autumn change, a stop later that week) repeats none of it. Times that do not parse: true.
 */
export function stepMayRepeat(c: ClockBackwards, isoTime: string, slackSeconds: number): boolean {
  const a = isoOrNull(c.earlierTime);
  const b = isoOrNull(c.laterTime);
  const t = Date.parse(`${isoTime}Z`);
  if (a === null || b === null || Number.isNaN(t)) return true;
  return t >= Date.parse(`${b}Z`) - slackSeconds * 1000 && t <= Date.parse(`${a}Z`) + slackSeconds * 1000;
}

/**
 * The sentence naming where the clock went back, shared by the scan's and the replay's warnings:
 * "the log's commit times run backwards by N minutes|seconds: the transaction committed at LSN B ended
 * T1, after (in the log) the one at LSN A that ended T0: the SQL Server's clock was set back (a
 * daylight-saving change repeats an hour of local time)". Times in the one form of rowback's sentences,
 * `2020-05-12T13:29:20.000` (`c` holds fn_dblog's; the script head and JSON plan of `restore plan`,
 * which print this sentence beside stderr, said fn_dblog's `2020/05/12 13:29:20:000`).
 */
export function clockSetBackSentence(c: ClockBackwards): string {
  const mins = c.seconds >= 120 ? `${Math.round(c.seconds / 60)} minutes` : `${Math.round(c.seconds)} seconds`;
  return `the log's commit times run backwards by ${mins}: the transaction committed at LSN ${c.laterLsn} ended ${isoOrNull(c.laterTime) ?? c.laterTime}, after (in the log) the one at LSN ${c.earlierLsn} that ended ${isoOrNull(c.earlierTime) ?? c.earlierTime}: the SQL Server's clock was set back (a daylight-saving change repeats an hour of local time)`;
}

/** Seconds from fn_dblog time `a` to the later `b`; null when either does not parse. */
function secondsBetween(a: string, b: string): number | null {
  const x = isoOrNull(a);
  const y = isoOrNull(b);
  if (x === null || y === null) return null;
  return (Date.parse(`${y}Z`) - Date.parse(`${x}Z`)) / 1000;
}

function isoOrNull(t: string): string | null {
  try {
    return beginTimeToIso(t);
  } catch {
    return null;
  }
}
