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
  /** The first backwards step seen; undefined while the times ran forwards. */
  backwards: ClockBackwards | undefined;

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
  }
}

/**
 * The sentence naming where the clock went back, shared by the scan's and the replay's warnings:
 * "the log's commit times run backwards by N minutes|seconds: the transaction committed at LSN B ended
 * T1, after (in the log) the one at LSN A that ended T0: the SQL Server's clock was set back (a
 * daylight-saving change repeats an hour of local time)". Times as `c` holds them (fn_dblog's form).
 */
export function clockSetBackSentence(c: ClockBackwards): string {
  const mins = c.seconds >= 120 ? `${Math.round(c.seconds / 60)} minutes` : `${Math.round(c.seconds)} seconds`;
  return `the log's commit times run backwards by ${mins}: the transaction committed at LSN ${c.laterLsn} ended ${c.laterTime}, after (in the log) the one at LSN ${c.earlierLsn} that ended ${c.earlierTime}: the SQL Server's clock was set back (a daylight-saving change repeats an hour of local time)`;
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
