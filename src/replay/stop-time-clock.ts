/**
 * A stop time the server's clock passed twice. RESTORE … WITH STOPAT (and rowback's replay, which
 * stops where it does) stops at the first commit in the log whose End Time is later than the stop
 * time. When the server's clock was set back (the autumn daylight-saving change repeats an hour of
 * local time; a manual or NTP step), a local time in the repeated stretch names two moments: the
 * replay stops at the first, and a DBA who meant the second gets the table as it stood an hour
 * earlier, with nothing said. Commit End Times are written in log order, so a commit ending
 * markedly earlier than one before it (CommitClock, more than CLOCK_BACK_SECONDS) shows the step.
 *
 * The replay follows commit times up to the stop and on past it (StopTimeLookAhead) until a commit
 * ends more than STOP_LOOK_AHEAD_SECONDS after the stop time: a daylight-saving change sets the clock
 * back by one hour at most (30 minutes in a few zones), so a step after that cannot repeat the stop
 * time. A larger manual step later than that is not looked for; log past the stop that cannot be
 * read, or log backups not given, end the look-ahead where they are.
 */
import { openBackupLogStream } from '../backup/log-stream.js';
import { emptyLogScanStats, type RecordKeep } from '../logreader/ldf/reader.js';
import { LOP } from '../logreader/ldf/constants.js';
import { lsnToDecimal, parseLsn } from '../logreader/lsn.js';
import { LOP_COMMIT_XACT, type LogRecord } from '../logreader/log-record.js';
import { clockSetBackSentence, CommitClock, stepMayRepeat, type ClockBackwards } from '../recover/commit-clock.js';
import { beginTimeToIso } from '../recover/time-window.js';
import { lsnCmp, type BackupSetRecord } from '../restore/history.js';

/** The look-ahead's record filter in later log backups: commits only (reader.ts RecordKeep, by op code). */
const COMMITS_ONLY: RecordKeep = (op) => op === LOP.COMMIT_XACT;

/** Seconds past the stop time the look-ahead follows commit times: one daylight-saving hour. */
export const STOP_LOOK_AHEAD_SECONDS = 3600;

/**
 * Commit End Times read past the stop point, fed to the replay's CommitClock. `see` returns true
 * once the look-ahead is done: the clock was seen to step back, or a commit ended more than
 * STOP_LOOK_AHEAD_SECONDS after `stopTime` (rowback form `YYYY-MM-DDTHH:MM:SS.fff`, the server's
 * local time).
 */
export class StopTimeLookAhead {
  done = false;
  private readonly until: string;

  constructor(private readonly clock: CommitClock, private readonly stopTime: string) {
    this.until = new Date(Date.parse(`${stopTime}Z`) + STOP_LOOK_AHEAD_SECONDS * 1000).toISOString().slice(0, 23);
  }

  /** One record past the stop, in LSN order; true when the look-ahead is done. */
  see(r: LogRecord): boolean {
    if (this.done) return true;
    const end = r.Operation === LOP_COMMIT_XACT ? r['End Time'] : undefined;
    if (!end) return false;
    this.clock.see(r['Current LSN'], end);
    let iso: string | null;
    try {
      iso = beginTimeToIso(end);
    } catch {
      iso = null;
    }
    this.done = stopTimeStep(this.clock, this.stopTime) !== undefined || (iso !== null && iso > this.until);
    return this.done;
  }
}

/** A log backup set's identity in a list of sets: its file and position (several sets appended to one file WITH NOINIT). */
const setKey = (x: BackupSetRecord) => `${x.position}:${x.devices[0]}`;

/** Commit records of one log backup set, one array per log block (commits only built). */
function commitBatches(set: BackupSetRecord, signal?: AbortSignal) {
  const path = set.devices[0]!;
  // (the layout left to openBackupLogStream's default: the file's own, read there)
  return openBackupLogStream(path, 'trn', undefined, set.position).batches(signal ? { signal } : {}, emptyLogScanStats(), COMMITS_ONLY);
}

/**
 * Feeds `ahead` the records of the log backups given after `stoppedIn` (the set the replay or the
 * plan stopped in; a path names the file's first set, as the replay reads files of one set each):
 * the log sets of `sets` that continue the chain from it (each one's FirstLSN the previous one's
 * LastLSN, not marked damaged), in LSN order, until the look-ahead is done. Never throws but for an
 * aborted `signal`: a file that cannot be read ends the look-ahead; skipped blocks are passed over.
 */
export async function lookAheadInLaterLogBackups(ahead: StopTimeLookAhead, stoppedIn: string | BackupSetRecord, sets: BackupSetRecord[], signal?: AbortSignal): Promise<void> {
  const logs = sets.filter((x) => x.backupType === 'log' && !x.damaged).sort((a, b) => lsnCmp(a.firstLsn, b.firstLsn));
  let at = typeof stoppedIn === 'string' ? logs.find((x) => x.devices[0] === stoppedIn) : logs.find((x) => setKey(x) === setKey(stoppedIn)) ?? stoppedIn;
  // each set once: log backups of an idle database begin and end at one LSN (FirstLSN = LastLSN),
  // and two of them (or one given twice) lead from one to the other and back, for ever
  const read = new Set<string>(at ? [setKey(at)] : []);
  while (at && !ahead.done) {
    const from = at.lastLsn;
    const next = logs.find((x) => !read.has(setKey(x)) && lsnCmp(x.firstLsn, from) === 0);
    if (!next) return;
    read.add(setKey(next));
    try {
      // commit records alone are built (the others are passed over by their op code: a busy hour of log costs little)
      for await (const batch of commitBatches(next, signal)) {
        for (const r of batch.records) {
          // records before the point the look-ahead reached were read already (as the replay skips them)
          if (lsnCmp(lsnToDecimal(parseLsn(r['Current LSN'])), from) < 0) continue;
          if (ahead.see(r)) return;
        }
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      return;
    }
    at = next;
  }
}

/**
 * `restore plan` and `restore run` of a --stop-at (no replay: the server's RESTORE … WITH STOPAT
 * does the work): the same check from the log backups' commit records alone. `logSteps`: the plan's
 * log backups in chain order, the stop in the last; `sets`: every set of the backups given (the
 * look-ahead goes on into those after it). Only log backups whose commits can lie within an hour of
 * the stop time are read: a log backup that finished more than STOP_LOOK_AHEAD_SECONDS before it (by
 * its header's finish date, local time) ended before the clock could first reach the stop time, and
 * one that holds a set-back of at most that hour finished no earlier than that (its finish date is
 * then after the step). Sets read from msdb (devices on the server) are not read: undefined.
 * Returns the WARNING (stopTimeClockWarning's, of RESTORE), or undefined when the commits read ran
 * forwards. Never throws but for an aborted `signal`: a log backup that cannot be read ends the
 * check there (the plan said what damage it needs elsewhere).
 */
export async function restoreStopTimeClockWarning(logSteps: readonly BackupSetRecord[], sets: BackupSetRecord[], stopTime: string, signal?: AbortSignal): Promise<string | undefined> {
  if (!logSteps.length || logSteps.some((x) => x.source !== 'file' || x.devices.length !== 1)) return undefined;
  const earliest = new Date(Date.parse(`${stopTime}Z`) - STOP_LOOK_AHEAD_SECONDS * 1000).toISOString().slice(0, 19);
  const near = logSteps.findIndex((x) => x.backupFinishDate === null || x.backupFinishDate >= earliest);
  const clock = new CommitClock();
  let ahead: StopTimeLookAhead | null = null;
  let stoppedAt: string | null = null;
  try {
    steps: for (const set of logSteps.slice(near === -1 ? logSteps.length - 1 : near)) {
      for await (const batch of commitBatches(set, signal)) {
        for (const r of batch.records) {
          const end = r['End Time'];
          if (r.Operation !== LOP_COMMIT_XACT || !end) continue;
          if (ahead) {
            if (ahead.see(r)) break steps;
            continue;
          }
          clock.see(r['Current LSN'], end);
          let iso: string | null;
          try {
            iso = beginTimeToIso(end);
          } catch {
            iso = null;
          }
          if (iso !== null && iso > stopTime) {
            stoppedAt = r['Current LSN'];
            ahead = new StopTimeLookAhead(clock, stopTime);
          }
        }
      }
    }
  } catch (e) {
    if (signal?.aborted) throw e;
    return stopTimeClockWarning(clock, stopTime, stoppedAt, 'restore');
  }
  // no commit of the plan's log backups ended after the stop time (it lies between the last commit of
  // the last one and its end): the first that did is in the log backups after it, looked into as well
  ahead ??= new StopTimeLookAhead(clock, stopTime);
  if (!ahead.done) await lookAheadInLaterLogBackups(ahead, logSteps[logSteps.length - 1]!, sets, signal);
  return stopTimeClockWarning(clock, stopTime, stoppedAt, 'restore');
}

/**
 * The first backwards step of `clock` that can have made `stopTime` pass twice (stepMayRepeat, within
 * a daylight-saving hour of it): a step long before the stop (the chain read from a full backup taken
 * before the autumn change, a stop days later) repeats no time near it, and was said as if it did.
 */
function stopTimeStep(clock: CommitClock, stopTime: string): ClockBackwards | undefined {
  return clock.steps.find((c) => stepMayRepeat(c, stopTime, STOP_LOOK_AHEAD_SECONDS));
}

/**
 * The WARNING for a stop time when the commit times the replay read (up to the stop and past it)
 * ran backwards: names the two commits' LSNs and times, the stop time, where the replay stopped
 * (`stoppedAt`, the first commit after the stop time in the log), and the way to name the other
 * moment (--stop-before-lsn). `by`: who stops there, rowback's replay or the server's RESTORE (a
 * plan). Undefined when they ran forwards. Times in fn_dblog's form as the log
 * prints them (`yyyy/MM/dd HH:mm:ss:fff`), the stop time in rowback's.
 */
export function stopTimeClockWarning(clock: CommitClock, stopTime: string, stoppedAt: string | null, by: 'replay' | 'restore' = 'replay'): string | undefined {
  const c = stopTimeStep(clock, stopTime);
  if (!c) return undefined;
  const stops = by === 'replay'
    ? stoppedAt
      ? `the replay stopped at LSN ${stoppedAt}, at the first commit in the log that ended after it, as RESTORE … WITH STOPAT does`
      : 'the replay applied the log of the chain to its end, before the first commit in the log that ended after it, as RESTORE … WITH STOPAT stops there'
    : `RESTORE … WITH STOPAT stops at the first commit in the log that ended after it${stoppedAt ? ` (LSN ${stoppedAt})` : ''}`;
  return `${clockSetBackSentence(c)}, so the stop time ${stopTime} may name two moments; ${stops}: if the later moment was meant, name it by LSN (--stop-before-lsn, the first LSN not to apply)`;
}
