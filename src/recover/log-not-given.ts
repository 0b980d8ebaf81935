/**
 * A stretch of the database's log that the files given show to exist and that none of them holds:
 * a data file or backup newer than the .ldf given with it, a data file newer than the log backups
 * given with it, the log between a full backup's end and the first log backup when a differential
 * sits between (`scan --bak FULL DIFF --trn …`), a chain of log backups ending before a full or
 * differential backup given ends. Each was a note, said even with --quiet, while the summary,
 * `--report`'s `complete` and `--strict`'s exit said the result was whole: "0 row(s) recovered"
 * read as "nothing was deleted" when the deletes were in that stretch. A scan (and a files job)
 * now says INCOMPLETE for a stretch its window or LSN range may reach, and keeps the note only when
 * the window or range provably lies wholly outside it.
 */

import { compareLsn, parseLsn, type Lsn } from '../logreader/lsn.js';
import { localMs } from './log-local-time.js';
import { isChainOverlap, logLossClause, lossPlaces } from './source.js';
import { beginUnreadPlacedByGaps, type CommittedScanStats } from './committed.js';
import type { SkippedItem } from '../util/skipped-item.js';
import type { LogWholeFrom } from './sources/files.js';
import type { VerdictSourceKind } from './incomplete-verdict.js';

/**
 * One stretch of log in no file given (FileRecoverySource.logNotGiven).
 * - `clause`: the sentence said of it (the note's text, the INCOMPLETE line's clause): which files,
 *   which LSNs, what to add.
 * - `lsnRange`: its LSNs in fn_dblog form, `first` the first LSN it may hold (the first LSN the log
 *   read does not hold), `last` the first LSN after it (a backup's LastLSN, a log backup's FirstLSN),
 *   absent when its end is not known (a data file's: the database went on after its checkpoint).
 * - `after`: a time, the SQL Server's local time (`YYYY-MM-DDTHH:MM:SS` or `…SS.fff`), that every
 *   transaction begun in the stretch began after (the log read's last Begin Time, a log backup's
 *   BackupStartDate: its log was cut after it); absent when not known.
 * - `before`: the same, a time every transaction begun in the stretch began before (a backup's
 *   BackupFinishDate, the first log backup's BackupStartDate); without milliseconds it stands for its
 *   whole second (HEADERONLY dates are truncated). Absent when not known.
 * As window-past-log.ts does, a transaction begun before the stretch and still open when it starts
 * is taken as the log read's (its begin is there, and it has no commit there: counted as "in
 * transactions with no commit in this log").
 */
export interface LogNotGiven {
  clause: string;
  lsnRange?: { first: string; last?: string };
  after?: string;
  before?: string;
  /** A time every transaction begun before the stretch (below its first LSN) began at or before (a backup's BackupFinishDate: whole second); absent when not known (readEdgesSaid). */
  priorBy?: string;
  /** A time every transaction begun after the stretch (at or past its last LSN) began at or after (the BackupStartDate of the backup whose log it ends at); absent when not known. */
  laterFrom?: string;
}

/** A time of LogNotGiven as ms (localMs), a time without milliseconds taken at its second's `end` or start; NaN when not a time. */
function boundMs(t: string, end: boolean): number {
  const ms = localMs(t);
  return end && !/\.\d+$/.test(t) ? ms + 999 : ms;
}

/**
 * Whether a scan's window (`window`: --from/--to as parseWindowTime returns them, ISO local time to
 * the millisecond; either may be absent) and LSN range (`range`: --from-lsn/--to-lsn, null bounds
 * absent) may ask for rows of stretch `s`: true unless they provably lie wholly outside it as far
 * as its times and LSNs are known — `--to` before its `after`, `--from` after its `before`,
 * `--to-lsn` before its first LSN, `--from-lsn` at or after its end. No window and no range: true.
 * `pendingInWindow`: row operations the window and range ask for are in transactions with no
 * commit or abort in the log read (committedPending): they may have committed in the stretch, so a
 * window or range ending before it does not leave it out (`--to-lsn` below a missing log backup's
 * first LSN printed nothing of a transaction whose deletes were below it and whose commit was in it).
 */
export function logNotGivenReached(s: LogNotGiven, window: { from?: string; to?: string }, range?: { fromLsn: Lsn | null; toLsn: Lsn | null } | null, pendingInWindow = false): boolean {
  if (range && s.lsnRange) {
    if (range.toLsn && !pendingInWindow && compareLsn(range.toLsn, parseLsn(s.lsnRange.first)) < 0) return false;
    if (range.fromLsn && s.lsnRange.last && compareLsn(range.fromLsn, parseLsn(s.lsnRange.last)) >= 0) return false;
  }
  if (window.to && s.after && !pendingInWindow) {
    const to = localMs(window.to);
    const after = boundMs(s.after, false);
    if (Number.isFinite(to) && Number.isFinite(after) && to < after) return false;
  }
  if (window.from && s.before) {
    const from = localMs(window.from);
    const before = boundMs(s.before, true);
    if (Number.isFinite(from) && Number.isFinite(before) && from > before) return false;
  }
  return true;
}

/**
 * The stretches split by {@link logNotGivenReached}: `incomplete`, the clauses of those the window
 * or range may reach (said as INCOMPLETE: `complete` false, exit 3 under --strict), and `noteOnly`,
 * the clauses of the others (kept as the notes they were). Each clause is in one list only.
 */
export function splitLogNotGiven(stretches: readonly LogNotGiven[], window: { from?: string; to?: string }, range?: { fromLsn: Lsn | null; toLsn: Lsn | null } | null, pendingInWindow = false): { incomplete: string[]; noteOnly: string[] } {
  const incomplete: string[] = [];
  const noteOnly: string[] = [];
  for (const s of stretches) {
    const list = logNotGivenReached(s, window, range, pendingInWindow) ? incomplete : noteOnly;
    if (!incomplete.includes(s.clause) && !noteOnly.includes(s.clause)) list.push(s.clause);
  }
  return { incomplete, noteOnly };
}

/**
 * The log lost (logLoss's items) split by whether a window and LSN range may reach it: `outside`,
 * the FORMAT_LOG_CHAIN_GAP items of log in no file given (a log backup missing from the chain, the
 * stretch between two backups' own logs; not two log backups that overlap) whose LSN range, and the
 * times `bounds` gives for them (the SQL Server's local times every transaction begun there began
 * after / before, as LogNotGiven's), lie provably wholly outside what was asked for; `reached`, the
 * rest (damage is always reached: where its records lay is not known to the LSN). A chain gap was
 * INCOMPLETE whatever the window: `scan --trn _1.trn _3.trn --to-lsn` below _1.trn's end, or
 * `--to` before _1.trn's backup began, exit 3 under --strict over a result the files given hold
 * whole, while the same stretch after a differential (logNotGivenReached) was a note there.
 */
export function splitLostByReach<T extends { code: string; lsnRange?: { first: string; last: string } }>(
  lost: readonly T[],
  window: { from?: string; to?: string },
  range?: { fromLsn: Lsn | null; toLsn: Lsn | null } | null,
  bounds?: (item: T) => { after?: string; before?: string } | undefined,
  pendingInWindow = false,
): { reached: T[]; outside: T[] } {
  const reached: T[] = [];
  const outside: T[] = [];
  for (const s of lost) {
    let out = false;
    if (s.code === 'FORMAT_LOG_CHAIN_GAP' && s.lsnRange && (window.from || window.to || range?.fromLsn || range?.toLsn)) {
      try {
        const first = parseLsn(s.lsnRange.first);
        const last = parseLsn(s.lsnRange.last);
        // two log backups that overlap (their range runs backwards): no stretch to place
        if (compareLsn(first, last) < 0) out = !logNotGivenReached({ clause: '', lsnRange: s.lsnRange, ...(bounds?.(s) ?? {}) }, window, range, pendingInWindow);
      } catch {
        out = false;
      }
    }
    (out ? outside : reached).push(s);
  }
  return { reached, outside };
}

/**
 * The note said of splitLostByReach's `outside` items (said even with --quiet, as a log-not-given
 * note is): what is in no file given and where, that what was asked for (`lies`: e.g. "the window
 * or LSN range asked for lies") is wholly outside it, that nothing asked for can be in it (`holds`: other stretches may still be INCOMPLETE), and
 * the way to read that stretch all the same (`wayOn`); `by`: what tells it is outside.
 */
export function outsideAskedNote(items: readonly SkippedItem[], lies: string, holds: string, wayOn: string, by = 'by its LSNs, the times of the backups on each side and of the first transaction read past it'): string {
  return `${logLossClause(items)}${lossPlaces(items)}, and ${lies} wholly outside that stretch (${by}): ${holds}; ${wayOn} to read that stretch`;
}

/**
 * Whether row operations a scan kept (in its window and of its operations) are in transactions with
 * no commit or abort in the log read (committed.ts: uncommittedRowOps, which counts the rolled-back
 * ones too): logNotGivenReached's `pendingInWindow`.
 */
export function committedPending(stats: { uncommittedRowOps: number; rolledBackRowOps: number } | undefined | null): boolean {
  return stats ? stats.uncommittedRowOps - stats.rolledBackRowOps > 0 : false;
}

/**
 * Which of the INCOMPLETE lines about the edges of the log read a stretch of log in no file given
 * the window reaches already says, so that each is said once: `scan --bak FULL DIFF --trn 2_1.trn
 * --from 13:14:13` said both "the window starts …, before the log read begins" and "the log from the
 * end of FULL.bak … to the first log backup given … is in no file given" of the one stretch before
 * 2_1.trn; `--to` before DIFF.bak began over a chain ending before it, "the window runs … past the
 * end of the log given" and "DIFF.bak holds the database up to LSN …". `stretches`: those reached
 * (LogNotGiven's, and chain gaps' with chainGapTimes'); `read`: the first LSN of the first set read
 * and the LastLSN of the last (no .ldf). A stretch ending where the read begins says the window's
 * start when `--from` is after every transaction begun before the stretch (`priorBy`), and the LSN
 * range's when `--from-lsn` is at or past its first LSN: all the window or range asks for before
 * the read is then in it. One beginning where the read ends says the window's end when `--to` is
 * before every transaction begun after it (`laterFrom`), and the range's when `--to-lsn` is below
 * its last LSN. Unknown bounds say nothing (both lines are said).
 */
export function readEdgesSaid(
  stretches: ReadonlyArray<{ lsnRange?: { first: string; last?: string }; priorBy?: string; laterFrom?: string }>,
  read: { firstLsn?: string | null; lastLsn?: string | null },
  window: { from?: string; to?: string },
  range?: { fromLsn: Lsn | null; toLsn: Lsn | null } | null,
): { windowStart: boolean; lsnStart: boolean; windowEnd: boolean; lsnEnd: boolean } {
  const said = { windowStart: false, lsnStart: false, windowEnd: false, lsnEnd: false };
  const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
  for (const s of stretches) {
    if (!s.lsnRange) continue;
    try {
      if (same(s.lsnRange.last, read.firstLsn)) {
        if (window.from && s.priorBy && localMs(window.from) > boundMs(s.priorBy, true)) said.windowStart = true;
        if (range?.fromLsn && compareLsn(range.fromLsn, parseLsn(s.lsnRange.first)) >= 0) said.lsnStart = true;
      }
      if (same(s.lsnRange.first, read.lastLsn) && s.lsnRange.last) {
        if (window.to && s.laterFrom && localMs(window.to) < boundMs(s.laterFrom, false)) said.windowEnd = true;
        if (range?.toLsn && compareLsn(range.toLsn, parseLsn(s.lsnRange.last)) < 0) said.lsnEnd = true;
      }
    } catch {
      // an LSN that does not parse: nothing said
    }
  }
  return said;
}

/**
 * The scan's committed-filter counts with the transactions whose LOP_BEGIN_XACT is not in the log
 * read that provably began before the window's start taken out of the INCOMPLETE count
 * (committed.ts beginUnreadPlacedByGaps): placed by the log lost (`lost`: logLoss's items, a chain
 * gap with its `before` bound from `bounds`, FileRecoverySource.chainGapTimes; the others with none)
 * and the stretches in no file given (`notGiven`) before their first record read, or, read from
 * files, by the log read's start when none lies before it. `source`: the source's kind, as
 * incomplete-verdict.ts takes it (only 'files' places by the read's start: an export's record set
 * may skip LSNs, and a live or log-backup job's records come through the server's fn_dblog /
 * fn_dump_dblog, whose start is estimated and which may be given the window), and for files with an .ldf where its log
 * read is whole from (FileRecoverySource.logWholeFrom; null or absent when unbroken). `scan` and a
 * job call it alike; without a window start, `stats` as it is.
 */
export function placeBeginUnread(
  stats: CommittedScanStats,
  window: { from?: string; to?: string },
  lost: readonly SkippedItem[],
  bounds?: (item: SkippedItem) => { before?: string; after?: string } | undefined,
  notGiven: readonly LogNotGiven[] = [],
  source?: { kind: VerdictSourceKind; wholeFrom?: LogWholeFrom | null },
): CommittedScanStats {
  if (!window.from || !stats.beginUnreadRowOps) return stats;
  const losses = [
    ...lost.map((s) => {
      const b = s.code === 'FORMAT_LOG_CHAIN_GAP' && !isChainOverlap(s) ? bounds?.(s) : undefined;
      return { ...(s.lsnRange ? { lsnRange: s.lsnRange } : {}), ...(b?.before ? { before: b.before } : {}), ...(b?.after ? { after: b.after } : {}) };
    }),
    ...notGiven.map((x) => ({ ...(x.lsnRange ? { lsnRange: x.lsnRange } : {}), ...(x.before ? { before: x.before } : {}), ...(x.after ? { after: x.after } : {}) })),
  ];
  const files = source?.kind === 'files';
  const read = { files, ...(files && source?.wholeFrom ? { wholeFromCommit: source.wholeFrom.firstCommitTime, wholeFromCommitSeq: source.wholeFrom.firstCommitSeq ?? null } : {}) };
  return beginUnreadPlacedByGaps(stats, window.from, losses, window.to, read);
}
