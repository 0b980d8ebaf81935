/**
 * Restore chain selection: for a target point (a local time or "just before LSN X"), the newest
 * usable full backup, the newest differential based on it, and every log backup from there
 * through the one holding the target — or a typed refusal naming the missing piece and what
 * *can* be reached.
 *
 * Rules and their sources (Microsoft Learn):
 * - backupset (Transact-SQL): `last_lsn` is the LSN of the next log record after the backup set,
 *   so a backup covers [first_lsn, last_lsn); a restored full or differential leaves the database
 *   at its last_lsn. `differential_base_guid`/`differential_base_lsn` name the full backup a
 *   differential is based on (= that full's backup_set_uuid / checkpoint LSN).
 * - "Log sequence numbers and restore planning", "Apply transaction log backups": log backups are
 *   applied in sequence; the next log backup's first_lsn must be ≤ the LSN the database was
 *   restored to, and its last_lsn must be greater (else it is too early / already covered); a gap
 *   (no log backup whose range holds that LSN) ends the chain.
 * - "Copy-only backups": a copy-only backup does not affect the sequence of regular backups — a
 *   copy-only full backup does not reset the differential base (no differential names it), and a
 *   copy-only log backup does not truncate the log, so the regular log chain continues past it.
 *   The planner uses a copy-only full as a base, prefers a regular log backup over an overlapping
 *   copy-only one, and uses a copy-only log only where it is the sole continuation.
 * - "Recovery paths" / "Recovery forks": a log backup applies only on the fork the database is on
 *   (first_recovery_fork_guid = current fork; after it the fork is its last_recovery_fork_guid).
 *   Offline headers give no fork id here, so where two log backups could both continue the chain
 *   and their ranges differ, the planner refuses rather than guess a fork.
 * - File and partial backups are not planned (listed as skipped); the planner restores whole
 *   databases only.
 *
 * Times: the SQL Server's local time (STOPAT takes local time); backup dates are whole seconds,
 * so a backup is "certainly finished before T" only when T is after the last millisecond of its
 * finish second, and a log backup certainly holds every record before its start second.
 */
import { InputError } from '../errors.js';
import { formatLsn, lsnFromDecimal } from '../logreader/lsn.js';
import { backupSetName, lsnCmp, type BackupSetRecord, type BackupHistory, type SkippedBackup } from './history.js';
import { sameIdOtherNames, sameIdOtherServers } from '../recover/source-identity.js';
import { appendTo } from '../util/append-all.js';
import { fileAndSet } from '../util/backup-set-text.js';
import { shellPath, shellWord } from '../util/shell-word.js';

/**
 * Where the restore stops. `time`: the SQL Server's local time, `YYYY-MM-DDTHH:MM:SS.fff` (as
 * `parseWindowTime` gives it; no zone), rendered as STOPAT. `lsn`: numeric(25,0) decimal string
 * (`lsnToDecimal`), rendered as STOPBEFOREMARK = 'lsn:…' — the record at that LSN is not applied.
 */
/** `dateOnly`: the time was typed as a date alone (`--stop-at 2017-06-01`), read as its midnight (parseStopTarget). */
export type RestoreTarget = { kind: 'time'; time: string; dateOnly?: boolean } | { kind: 'lsn'; lsn: string };

export interface ChainStep {
  role: 'full' | 'differential' | 'log';
  set: BackupSetRecord;
}

export interface RestoreChain {
  databaseName: string;
  target: RestoreTarget;
  steps: ChainStep[];
  /** Backups looked at and not used, with why (newer base unusable, damaged, skipped files…). */
  notes: string[];
  reachable: ReachableRange[];
  skipped: SkippedBackup[];
}

/** A stretch of time and LSNs a restore can stop in, from one full backup's chain. */
export interface ReachableRange {
  /** Earliest STOPAT time (local, ms) and earliest stop-before LSN. */
  fromTime: string | null;
  /** Latest STOPAT time certainly reached by the headers: the last log backup's start second (it holds every record before it). */
  toTime: string | null;
  /**
   * When the last log backup's own log was read (`logCommits`, backup/log-commits.ts) and records a
   * commit later than `toTime`: that commit's time, every --stop-at before which is placed in it
   * (placeByCommits: the stop falls at that commit or an earlier one). Null otherwise.
   */
  toBeforeTime: string | null;
  fromLsn: string;
  /** Latest stop-before LSN that lies inside a log backup (the last log's last_lsn is exclusive). */
  toLsn: string;
  full: BackupSetRecord;
  /** The differential the range starts from, when it starts after the full backup's own log chain breaks. */
  differential?: BackupSetRecord;
  /**
   * Times inside the range a --stop-at cannot be planned for: after a log backup whose finish date
   * is unknown started, up to the next one's start (whether that moment's records are in it or the
   * next cannot be told: walkLogs refuses them as INPUT_RESTORE_TARGET_AT_BOUNDARY). An LSN there can.
   */
  unplaceable: Array<{ after: string; upTo: string; file: string }>;
  /**
   * Log backups of the range holding bulk-logged changes (BackupSetRecord.logDataPages), with the
   * times whose stop falls inside them (after the backup before it finished, up to its own start:
   * walkLogs' rule): no stop there (assertNotInsideBulkLoggedLog). Null times where a date is unknown.
   */
  bulkLogged: Array<{ file: string; after: string | null; upTo: string | null }>;
}

const fileOf = (s: BackupSetRecord) => backupSetName(s);
const endSecond = (d: string) => `${d}.999`;
const startSecond = (d: string) => `${d}.000`;

function addSecond(d: string): string {
  const t = new Date(`${d}Z`);
  t.setUTCSeconds(t.getUTCSeconds() + 1);
  return t.toISOString().slice(0, 23);
}

/** True when the base (full or differential) certainly ends before the target. */
function baseBefore(b: BackupSetRecord, t: RestoreTarget): boolean {
  if (t.kind === 'lsn') return lsnCmp(b.lastLsn, t.lsn) <= 0;
  return b.backupFinishDate !== null && t.time > endSecond(b.backupFinishDate);
}

/**
 * A full or differential backup whose backup finish date is unknown (its closing blocks damaged:
 * FORMAT_BAD_MTF_TRAILER, planned with a caveat) and that started before the second of `t`: whether
 * it ended before `t` cannot be told from its headers (baseBefore says no). Such a backup made every
 * --stop-at "before any restorable point" (INPUT_RESTORE_TOO_EARLY, "finished at (no date)"), a stop
 * years after it included, and the reachable range began at "?".
 */
function finishUnknownBefore(b: BackupSetRecord, t: RestoreTarget): boolean {
  return t.kind === 'time' && b.backupFinishDate === null && b.backupStartDate !== null && t.time > startSecond(b.backupStartDate);
}

type LogWalk =
  | { ok: true; logs: BackupSetRecord[] }
  | { ok: false; logs: BackupSetRecord[]; why: string; code: string; at: BackupSetRecord; /** The first LSN no log backup given holds, for a gap. */ missing?: string };

/**
 * Where a --stop-at `time` after log backup `l` started lies, from the commit times of its own log
 * records (`l.logCommits`, backup/log-commits.ts; the rule is its module comment: the stop falls at
 * the first commit later than the time, RESTORE STOPAT's and the replay's rule). Used whether its
 * finish date is unknown (ESET damaged or cut) or known and the time falls while it ran (its start
 * to its finish, whole seconds), where the headers alone cannot tell which log backup holds the
 * records of that moment: 'in' when it holds a commit later than `time` (the stop falls in it; that
 * commit is read, so this holds even when part of its log was lost); 'after' when its whole log was
 * read and no commit of it is later (the stop falls after it: in the next log backup, as after one
 * whose finish date is before the time); null when that cannot be told (not read: msdb, a striped
 * set, no file at hand; or part of its log lost).
 */
function placeByCommits(l: BackupSetRecord, time: string): 'in' | 'after' | null {
  const c = l.logCommits;
  if (!c) return null;
  if (c.last !== null && time < c.last) return 'in';
  return c.whole ? 'after' : null;
}

/** What `l`'s log records said of its commits, for a refusal: '' when its log was not read. */
function commitsSaid(l: BackupSetRecord): string {
  const c = l.logCommits;
  if (!c) return '';
  const last = c.last === null ? 'holds no transaction commit' : `records its last commit at ${c.last}`;
  return `; its log, read ${c.whole ? 'whole' : `only in part (${c.why ?? 'log lost'})`}, ${last}`;
}

/**
 * Why a time cannot be placed after log backup `l` started when its finish date is unknown (its
 * closing blocks damaged, FORMAT_BAD_MTF_TRAILER, or none recorded) and its log's commit times do
 * not place it (placeByCommits): the records of that moment may be in it or in the next log backup
 * (`next`, when there is one). With a next one, an LSN places the stop (--stop-before-lsn). Without
 * one (the last of the chain), a moment after `l` is in log that none of the files given holds, which no LSN reaches
 * either: the advice is what is certainly reached, its start by time and its end by LSN.
 */
function finishUnknown(l: BackupSetRecord, time: string, next: BackupSetRecord | null): string {
  const why = l.caveat ? 'its closing blocks are damaged: FORMAT_BAD_MTF_TRAILER' : 'none is recorded';
  const head = `${time} falls after log backup ${fileOf(l)} started (${l.backupStartDate})${next ? ` and before ${fileOf(next)} started (${next.backupStartDate})` : ''}, and its backup finish date is unknown (${why}${commitsSaid(l)})`;
  if (next) return `${head}: whether the records of that moment are in it or in the next log backup cannot be told; stop before an LSN (--stop-before-lsn) instead, which its log records place`;
  return `${head}: whether the records of that moment are in it or after it, in log that none of the files given holds, cannot be told, and after it no --stop-at or --stop-before-lsn reaches them; the latest point these backups reach is the end of it: ${endOf(l)}${l.logCommits ? '' : '; given its file, its log records\' commit times can place the time'}`;
}

/**
 * The end of the last log backup `l` of a chain, as a stop: by LSN (its last_lsn is the next
 * record's, so stopping before last_lsn − 1 applies every record it holds), and by time the latest
 * --stop-at placed in it (before its last commit, when that is after its start; else its start:
 * it holds every record before its start second).
 */
function endOf(l: BackupSetRecord): string {
  const lsn = (BigInt(l.lastLsn) - 1n).toString();
  const start = l.backupStartDate ? startSecond(l.backupStartDate) : null;
  const last = l.logCommits?.last ?? null;
  const byTime = last !== null && (start === null || last > start) ? `any --stop-at before ${last}` : start !== null ? `--stop-at ${start}` : null;
  const partial = l.logCommits && !l.logCommits.whole ? ' (as its header says: its log was read only in part, and a replay that stops in log it lacks is refused)' : '';
  return `--stop-before-lsn ${lsn} (every record it holds)${byTime ? ` or, by time, ${byTime}` : ''}${partial}`;
}

/** Candidate log backups that continue the chain at `cur` on `fork`. */
function nextLogs(logs: BackupSetRecord[], cur: string, fork: string | null): BackupSetRecord[] {
  return logs.filter((l) => lsnCmp(l.firstLsn, cur) <= 0 && lsnCmp(cur, l.lastLsn) < 0 && (fork === null || l.firstRecoveryForkGuid === null || l.firstRecoveryForkGuid === fork));
}

/**
 * Pick one of several log backups that all continue the chain. Known copy-only ones give way to
 * regular ones; when forks are known, candidates on the current fork only are offered. If
 * candidates with different ranges remain and nothing tells a copy-only backup from another
 * fork, null (the caller refuses).
 */
/**
 * Of copies of one backup (the same LSNs), how flawed one is where it still serves: its closing
 * blocks damaged (caveat) and one copy of its header damaged (headerWarnings, BACKUP_HEADER_WARNING)
 * each count one. Full backups of the same end are taken in this order, an intact copy first (the
 * first given was taken: RESTORE DATABASE … FROM the copy whose header is damaged, with a WARNING,
 * an intact copy beside it).
 */
function flawRank(s: BackupSetRecord): number {
  return (s.caveat ? 1 : 0) + (s.headerWarnings?.length ? 1 : 0);
}

function pickLog(c: BackupSetRecord[]): BackupSetRecord | null {
  if (c.length === 1) return c[0];
  const regular = c.filter((l) => l.copyOnly === false);
  const copyOnlyKnown = c.every((l) => l.copyOnly !== null);
  if (copyOnlyKnown && regular.length === 1) return regular[0];
  const sameRange = c.every((l) => l.firstLsn === c[0].firstLsn && l.lastLsn === c[0].lastLsn);
  // the same log backup in two places (a copy of the file): either one, a copy whose closing blocks
  // are whole first (the first given was taken: RESTORE … FROM a file with a damaged ESET, and a
  // --stop-at placed without its finish date, while a whole copy was in the folder)
  // and one whose log reads whole (logCommits, read for every copy from files: restore/history.ts
  // addLogCommitTimes) before one with damaged log blocks (the first given was taken: restore plan
  // printed RESTORE … FROM the copy whose log is damaged, unsaid, and the replay refused it as
  // REPLAY_LOG_DAMAGED, with a whole copy in the folder)
  if (sameRange) return c.find((l) => flawRank(l) === 0 && l.logCommits?.whole !== false) ?? c.find((l) => !l.caveat && l.logCommits?.whole !== false) ?? c.find((l) => l.logCommits?.whole !== false) ?? c.find((l) => !l.caveat) ?? c[0];
  // Forks known on every candidate and only one reaches further on the same fork: not ambiguous.
  if (copyOnlyKnown) {
    // Several regular ones (or only copy-only ones): take the one reaching furthest if their forks are known and equal.
    const forks = new Set(c.map((l) => l.lastRecoveryForkGuid));
    if (!forks.has(null) && forks.size === 1) return [...c].sort((a, b) => lsnCmp(b.lastLsn, a.lastLsn))[0];
  }
  return null;
}

/**
 * The other way across a gap in the log backups: a differential backup based on `full` that ends at
 * or after the first LSN the log backup after the gap (`later`) holds, and before the stop point,
 * lets the chain go on from it (full + differential + the log backups after it: MS Learn "Restore a
 * differential database backup", "Differential backups (SQL Server)": a differential holds every
 * change since its base, so no log backup before it is needed). '' when no stop point can lie past
 * the gap (a --stop-before-lsn before `later` starts). The clause names how msdb finds it: backupset
 * type I, differential_base_guid the full backup's backup_set_uuid (or differential_base_lsn its
 * checkpoint_lsn when its GUID is not known), last_lsn at or after `later.firstLsn` and, bounded by the
 * stop point, last_lsn at or before a stop LSN or backup_finish_date at or before a stop time (it
 * named no upper bound: a differential taken after the stop point, which restores the database past
 * it, fitted the query as given). '' too for a
 * copy-only full (`copyOnly` true, from msdb), which no differential is based on.
 * (newcomer C, session 42: the refusal named only the missing log backups, while a later differential
 * the DBA holds reaches the stop point.)
 */
function bridgingDifferentialAdvice(full: BackupSetRecord, later: BackupSetRecord, target: RestoreTarget | null): string {
  if (full.backupType !== 'full') return '';
  // a copy-only full backup is no differential base (MS Learn "Copy-only backups": differentials
  // stay based on the last regular full), so no differential of it exists to name (msdb says so:
  // is_copy_only; a file's header here does not, copyOnly null)
  if (full.copyOnly === true) return '';
  if (target?.kind === 'lsn' && lsnCmp(target.lsn, later.firstLsn) < 0) return '';
  const base = full.backupSetGuid ? `differential_base_guid ${full.backupSetGuid}` : full.checkpointLsn ? `differential_base_lsn ${full.checkpointLsn}` : null;
  if (base === null) return '';
  // and ending before the stop point, said in msdb's terms too: a differential restores the database
  // as at its end (its last_lsn: the next LSN after what it holds, MS Learn "backupset"), and no log
  // backup takes it back, so one taken after the stop point reaches past it. By LSN: last_lsn at or
  // before the --stop-before-lsn (RESTORE … STOPBEFOREMARK stops before that record, and the
  // differential holds records before its last_lsn). By time: backup_finish_date at or before the
  // --stop-at (both the server's local time; the differential's end lies before its finish), a bound
  // that may leave out one finished moments after whose end precedes the stop time: the safe side
  const until = target === null ? '' : target.kind === 'lsn' ? `, last_lsn at or before ${target.lsn}` : `, backup_finish_date at or before ${target.time}`;
  return `, or a differential backup of ${fileOf(full)} taken after them, ending before the stop point (msdb.dbo.backupset: type I, ${base}, last_lsn at or after ${later.firstLsn}${until}), with the log backups after it`;
}

/** Walk log backups from `start` (the base's last LSN) until `done` says the target is held, or as far as they go (`done` absent). */
function walkLogs(logs: BackupSetRecord[], start: string, fork: string | null, target: RestoreTarget | null, after: BackupSetRecord, full: BackupSetRecord = after): LogWalk {
  const chosen: BackupSetRecord[] = [];
  let cur = start;
  let prevFinish = after.backupFinishDate;
  let prev = after;
  /** The log backup just chosen when its finish date is unknown: a time after its start may lie in it or after it. */
  let prevUnknown: BackupSetRecord | null = null;
  for (;;) {
    const c = nextLogs(logs, cur, fork);
    if (c.length === 0) {
      if (target === null) return { ok: true, logs: chosen };
      if (prevUnknown && target.kind === 'time') return { ok: false, logs: chosen, code: 'INPUT_RESTORE_TARGET_AT_BOUNDARY', at: prevUnknown, why: finishUnknown(prevUnknown, target.time, null) };
      const later = logs.filter((l) => lsnCmp(l.firstLsn, cur) > 0).sort((a, b) => lsnCmp(a.firstLsn, b.firstLsn))[0];
      const missing = later
        ? `log backups covering LSN ${cur} up to ${later.firstLsn} are missing (after ${fileOf(prev)}, before ${fileOf(later)}): find the log backup${(prev.backupFinishDate ?? prev.backupStartDate) && later.backupStartDate ? `(s) taken between ${prev.backupFinishDate ?? prev.backupStartDate} and ${later.backupStartDate}` : '(s) taken between them'} (msdb.dbo.backupset: type L, first_lsn ${cur}) and give them with the others${bridgingDifferentialAdvice(full, later, target)}`
        : `no log backup starts at or before LSN ${cur} and ends after it (the chain ends with ${fileOf(prev)})`;
      return { ok: false, logs: chosen, code: later ? 'INPUT_RESTORE_CHAIN_BROKEN' : 'INPUT_RESTORE_TARGET_UNREACHABLE', why: missing, at: prev, missing: cur };
    }
    const l = pickLog(c);
    if (!l) {
      return { ok: false, logs: chosen, code: 'INPUT_RESTORE_AMBIGUOUS_CHAIN', at: c[0], why: `after LSN ${cur} several log backups continue the chain with different ranges (${c.map((x) => `${fileOf(x)}: ${x.firstLsn}..${x.lastLsn}`).join('; ')}) and their headers do not tell a copy-only backup from another recovery fork; move the ones that do not belong out of the folders, or plan from msdb (--server)` };
    }
    chosen.push(l);
    /** Where the time lies by `l`'s own commit times, when it falls after `l` started and they tell (placeByCommits). */
    let placed: 'in' | 'after' | null = null;
    if (target) {
      if (target.kind === 'lsn' && lsnCmp(target.lsn, l.lastLsn) < 0) return { ok: true, logs: chosen };
      if (target.kind === 'time') {
        if (l.backupStartDate === null) return { ok: false, logs: chosen, code: 'INPUT_RESTORE_TARGET_UNREACHABLE', at: l, why: `${fileOf(l)} has no backup start date, so whether it holds ${target.time} cannot be told` };
        if (target.time <= startSecond(l.backupStartDate)) {
          if (prevUnknown) return { ok: false, logs: chosen, code: 'INPUT_RESTORE_TARGET_AT_BOUNDARY', at: prevUnknown, why: finishUnknown(prevUnknown, target.time, l) };
          if (prevFinish === null || target.time > endSecond(prevFinish)) return { ok: true, logs: chosen };
        } else {
          // after it started (its finish date unknown, or known and the time while it ran): its own
          // log's commit times may place the time (a breaker: 13:29:34.600 was refused on StopAt_1.trn
          // as the corpus holds it, finished 13:29:34, and placed on a copy whose ESET was damaged)
          placed = placeByCommits(l, target.time);
          if (placed === 'in') return { ok: true, logs: chosen };
        }
        if (placed === null && l.backupFinishDate === null && target.time <= endSecond(l.backupStartDate)) return { ok: false, logs: chosen, code: 'INPUT_RESTORE_TARGET_AT_BOUNDARY', at: l, why: finishUnknown(l, target.time, null) };
        const finish = l.backupFinishDate ?? l.backupStartDate;
        if (placed === null && target.time <= endSecond(finish)) {
          return {
            ok: false,
            logs: chosen,
            code: 'INPUT_RESTORE_TARGET_AT_BOUNDARY',
            at: l,
            why: `${target.time} falls while log backup ${fileOf(l)} was running (${l.backupStartDate} to ${finish}, whole seconds): whether the records of that moment are in it or in the next log backup cannot be told from the headers${l.logCommits ? commitsSaid(l) : l.source === 'file' ? '' : ' (given its file, its log records\' commit times can place the time)'}; choose a time outside that span or stop before an LSN (--stop-before-lsn)`,
          };
        }
      }
    }
    cur = l.lastLsn;
    fork = l.lastRecoveryForkGuid ?? fork;
    // placed after it: the time is past its records, as past a known finish date before it
    prevFinish = placed === 'after' ? null : (l.backupFinishDate ?? l.backupStartDate);
    prevUnknown = l.backupFinishDate === null && placed !== 'after' ? l : null;
    prev = l;
  }
}

function sameDatabase(a: BackupSetRecord, b: BackupSetRecord): boolean {
  if (a.bindingId && b.bindingId) return a.bindingId === b.bindingId;
  if (a.databaseGuid && b.databaseGuid) return a.databaseGuid === b.databaseGuid;
  return a.databaseName === b.databaseName;
}

/** Differentials usable on full `f` (based on it, same database), newest first. */
function diffsOf(sets: BackupSetRecord[], f: BackupSetRecord): BackupSetRecord[] {
  if (!f.backupSetGuid) return [];
  return sets
    .filter((d) => d.backupType === 'differential' && d.differentialBaseGuid === f.backupSetGuid && sameDatabase(d, f) && !d.damaged)
    .sort((a, b) => lsnCmp(b.lastLsn, a.lastLsn));
}

/**
 * The ranges a restore can stop in: for each full backup, and each differential based on it, from
 * its end through the furthest log backup reached without a gap from it; the ranges of one full
 * backup that meet or overlap are one (a differential whose logs continue the full's). A gap in the
 * full backup's own log chain before a differential leaves the stretch between them out: it was one
 * range from the full's end to the differential's furthest log, "reachable" across the gap
 * (newcomer: RestoreTimeClean without _2.trn, --stop-at 13:10 refused CHAIN_BROKEN saying 12:59:13
 * to 13:29:13 was reachable). Sorted by LSN.
 */
export function reachableRanges(sets: BackupSetRecord[]): ReachableRange[] {
  const logs = sets.filter((s) => s.backupType === 'log' && !s.damaged);
  const out: ReachableRange[] = [];
  for (const f of sets.filter((s) => s.backupType === 'full' && !s.damaged)) {
    const myLogs = logs.filter((l) => sameDatabase(l, f));
    const segments: Array<{ base: BackupSetRecord; logs: BackupSetRecord[] }> = [];
    for (const b of [f, ...diffsOf(sets, f)]) {
      const w = walkLogs(myLogs, b.lastLsn, f.lastRecoveryForkGuid, null, b);
      if (w.logs.length) segments.push({ base: b, logs: w.logs });
    }
    // a full backup alone gives no point in time to stop at
    segments.sort((a, b) => lsnCmp(a.base.lastLsn, b.base.lastLsn));
    const merged: Array<{ base: BackupSetRecord; logs: BackupSetRecord[] }> = [];
    for (const seg of segments) {
      const prev = merged[merged.length - 1];
      // the earlier range reaches this base's end: one range, through the furthest log of either
      if (prev && lsnCmp(seg.base.lastLsn, prev.logs[prev.logs.length - 1]!.lastLsn) <= 0) {
        if (lsnCmp(seg.logs[seg.logs.length - 1]!.lastLsn, prev.logs[prev.logs.length - 1]!.lastLsn) > 0) {
          prev.logs = [...prev.logs.filter((l) => lsnCmp(l.lastLsn, seg.base.lastLsn) <= 0), ...seg.logs];
        }
        continue;
      }
      merged.push({ base: seg.base, logs: [...seg.logs] });
    }
    for (const { base, logs: best } of merged) {
      const last = best[best.length - 1]!;
      const unplaceable: ReachableRange['unplaceable'] = [];
      for (let i = 0; i < best.length; i++) {
        const l = best[i]!;
        if (l.backupFinishDate !== null || l.backupStartDate === null) continue;
        // its log read whole places every time after its start (placeByCommits); read in part, the
        // times before its last commit read are placed in it
        if (l.logCommits?.whole) continue;
        const next = best[i + 1];
        const from = l.logCommits?.last && l.logCommits.last > startSecond(l.backupStartDate) ? l.logCommits.last : startSecond(l.backupStartDate);
        // the last one's own run lies after toTime already
        if (next?.backupStartDate && from < startSecond(next.backupStartDate)) unplaceable.push({ after: from, upTo: startSecond(next.backupStartDate), file: fileOf(l) });
      }
      const bulkLogged: ReachableRange['bulkLogged'] = [];
      for (let i = 0; i < best.length; i++) {
        const l = best[i]!;
        if (!l.logDataPages) continue;
        const before = i === 0 ? base : best[i - 1]!;
        bulkLogged.push({ file: fileOf(l), after: before.backupFinishDate ? endSecond(before.backupFinishDate) : null, upTo: l.backupStartDate ? startSecond(l.backupStartDate) : null });
      }
      out.push({
        unplaceable,
        bulkLogged,
        fromTime: base.backupFinishDate ? addSecond(base.backupFinishDate) : null,
        toTime: last.backupStartDate ? startSecond(last.backupStartDate) : null,
        toBeforeTime: last.logCommits?.last && last.backupStartDate && last.logCommits.last > startSecond(last.backupStartDate) ? last.logCommits.last : null,
        fromLsn: base.lastLsn,
        toLsn: (BigInt(last.lastLsn) - 1n).toString(),
        full: f,
        ...(base !== f ? { differential: base } : {}),
      });
    }
  }
  return out.sort((a, b) => lsnCmp(a.fromLsn, b.fromLsn));
}

/**
 * A decimal LSN (HEADERONLY's and msdb's form) with fn_dblog's beside it, `25000000013200001
 * (00000019:00000084:0001)`, as `inspect` prints both: a user who typed --stop-before-lsn in fn_dblog's
 * form read the reachable range in the other one only.
 */
export function bothForms(decimal: string): string {
  try {
    return `${decimal} (${formatLsn(lsnFromDecimal(decimal))})`;
  } catch {
    return decimal;
  }
}

/** One line: the ranges that can be reached, or that none can. */
export function describeReachable(r: ReachableRange[], kind: RestoreTarget['kind']): string {
  if (r.length === 0) return 'nothing can be restored to a point in time from these backups';
  const one = (x: ReachableRange) =>
    kind === 'time'
      ? `${x.fromTime ?? `the end of ${fileOf(x.full)} (its backup finish date is unknown: by LSN, ${bothForms(x.fromLsn)})`} to ${x.toBeforeTime ? `just before ${x.toBeforeTime} (the last commit in its last log backup's log)` : (x.toTime ?? '?')} (from full backup ${fileOf(x.full)}${x.differential ? ` and differential ${fileOf(x.differential)}` : ''}${x.unplaceable.map((u) => `; except after ${u.after} up to ${u.upTo}: the finish date of ${u.file} is unknown, so stop before an LSN there`).join('')}${x.bulkLogged.map((b) => `; except after ${b.after ?? '?'} up to ${b.upTo ?? '?'}: inside ${b.file}, which holds bulk-logged changes (no stop inside it)`).join('')})`
      : `LSN ${bothForms(x.fromLsn)} to ${bothForms(x.toLsn)} (from full backup ${fileOf(x.full)}${x.differential ? ` and differential ${fileOf(x.differential)}` : ''}${x.bulkLogged.map((b) => `; except inside ${b.file}, which holds bulk-logged changes (no stop inside it)`).join('')})`;
  return `reachable with these backups: ${r.map(one).join('; ')}`;
}

/**
 * UTC offsets, in minutes, that local times of the world differ by: every whole hour 1 to 14, and the
 * zones off the hour (IANA tz database: -9:30 Marquesas, -3:30/-2:30 Newfoundland, +3:30 Iran, +4:30
 * Afghanistan, +5:30 India, +5:45 Nepal, +6:30 Myanmar, +8:45 Eucla, +9:30/+10:30 central Australia
 * and Lord Howe, +12:45/+13:45 Chatham), smallest first. Either sign is tried: the time may have been
 * given in the server's zone's UTC or the server's time in another zone.
 */
const ZONE_OFFSET_MINUTES = [
  ...Array.from({ length: 14 }, (_, i) => (i + 1) * 60),
  150, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825,
].sort((a, b) => a - b);

/**
 * For a --stop-at refused as too early or too late while a range is reachable: that the time is the SQL Server's local time
 * (the backups' dates are), and, when the time moved by a difference between time zones (ZONE_OFFSET_MINUTES,
 * either way: another time zone, UTC given for local time) falls in a reachable range, the nearest such time.
 * A UTC time given at 3 a.m. was refused with the range alone, the hours it was off by left to be worked
 * out; a server in India (UTC+5:30) was given no hint, only whole hours being tried.
 */
function zoneHint(t: RestoreTarget, ranges: readonly ReachableRange[]): string {
  // nothing reachable at all: the refusal is about the backups (a gap, no log backup), not the time
  if (t.kind !== 'time' || !ranges.some((r) => r.fromTime !== null)) return '';
  // a date alone is its midnight, no time meant: moved by a zone's hours it named a time of day as
  // "the time meant" (`--stop-at 2017-06-01`: "the server's clock runs 13 hours ahead of it, the time
  // meant is --stop-at 2017-06-01T13:00:00.000"), an hour nobody gave
  if (t.dateOnly) return ` (--stop-at is the SQL Server's local time, as the backups' dates are; a date alone is its midnight, ${t.time}: give the time of day too, --stop-at 'YYYY-MM-DD HH:MM[:SS[.fff]]')`;
  const at = Date.parse(`${t.time}Z`);
  const inRange = (x: string) => ranges.some((r) => r.fromTime !== null && x >= r.fromTime && (r.toBeforeTime !== null ? x < r.toBeforeTime : r.toTime !== null && x <= r.toTime));
  for (const minutes of Number.isFinite(at) ? ZONE_OFFSET_MINUTES : []) {
    for (const sign of [1, -1]) {
      const moved = new Date(at + sign * minutes * 60_000).toISOString().slice(0, 23);
      const h = Math.floor(minutes / 60);
      const by = `${h} hour${h === 1 ? '' : 's'}${minutes % 60 ? ` ${minutes % 60} minutes` : ''}`;
      // the time said back and the one to give, both in full: a DBA copies the latter
      if (inRange(moved)) return ` (--stop-at is the SQL Server's local time, as the backups' dates are; if ${t.time} was given in another time zone (UTC, or your own) and the server's clock runs ${by} ${sign > 0 ? 'ahead of' : 'behind'} it, the time meant is --stop-at ${moved}, in the reachable range)`;
    }
  }
  return " (--stop-at is the SQL Server's local time, as the backups' dates are)";
}

/**
 * For backups with no log backup: the full backup to use for the target — the latest that ended
 * before it, named with its finish date and, for a file of several backup sets, its position — and
 * the dump that prints its rows. The advice said `rowback dump --bak FILE --table T` whichever full
 * backup: StDb2Sql.bak holds the 2009 and the 2010 one, and that dump is refused without --position
 * (newcomer: --stop-at 2010-01-01 wants set 1).
 */
function fullToUse(usable: readonly BackupSetRecord[], target: RestoreTarget): string {
  const fulls = usable.filter((s) => s.backupType === 'full').sort((a, b) => lsnCmp(b.lastLsn, a.lastLsn) || flawRank(a) - flawRank(b));
  const f = fulls.find((x) => baseBefore(x, target)) ?? fulls.find((x) => finishUnknownBefore(x, target));
  if (!f) return ', and `rowback dump --bak FILE --table T` prints its rows as of then';
  const several = f.position > 1 || usable.some((x) => x !== f && x.devices[0] === f.devices[0]);
  const at = target.kind === 'time' ? target.time : `LSN ${target.lsn}`;
  return `: the latest full backup before ${at} is ${fileAndSet(f.devices.join(' + '), several ? f.position : undefined)}, ${f.backupFinishDate !== null ? `finished at ${f.backupFinishDate}` : `started at ${f.backupStartDate} (its backup finish date is unknown: its closing blocks are damaged)`}, and \`rowback dump --bak ${f.devices.map((d) => shellPath(d)).join(' ')}${several ? ` --position ${f.position}` : ''} --table T\` prints its rows as of then`;
}

function describeTarget(t: RestoreTarget): string {
  // both LSN forms, as the reachable range beside it is named: the fn_dblog form typed was read back only as a decimal
  return t.kind === 'time' ? `--stop-at ${t.time}` : `--stop-before-lsn ${bothForms(t.lsn)}`;
}

/**
 * The database the history is about: the sets of the names in `wanted` (matched case-insensitively;
 * several names for one database renamed between its backups, ALTER DATABASE … MODIFY NAME), else
 * the only database there. Sets of another name that carry the binding id of the chosen ones are
 * NOT taken: a database attached from copies of another's files keeps that binding id under its own
 * name, so offline nothing tells its backups from those of the same database renamed, and planning
 * from them restores the copy's data as the original's; `otherNameSets` finds them for the hint.
 * Throws InputError INPUT_RESTORE_NO_DATABASE when a wanted name has no backups,
 * INPUT_RESTORE_SEVERAL_DATABASES naming them (those of one binding id together, with the way to
 * plan across a rename) when the folders hold several and no name is given.
 */
export function chooseDatabase(history: BackupHistory, wanted?: string | readonly string[]): BackupSetRecord[] {
  const names = [...new Set(history.sets.map((s) => s.databaseName))];
  const wantedNames = wanted === undefined ? [] : typeof wanted === 'string' ? [wanted] : [...wanted];
  if (wantedNames.length) {
    for (const w of wantedNames) {
      if (!history.sets.some((s) => s.databaseName.toLowerCase() === w.toLowerCase())) throw new InputError('INPUT_RESTORE_NO_DATABASE', `no usable backup of database ${w} in ${history.origin} (databases found: ${namesByBindingId(history.sets).join(', ') || 'none'})`);
    }
    const lower = new Set(wantedNames.map((w) => w.toLowerCase()));
    return history.sets.filter((s) => lower.has(s.databaseName.toLowerCase()));
  }
  if (names.length === 0) {
    const why = history.skipped.map((s) => `${s.file}: ${s.code}: ${s.reason}`).join('; ');
    throw new InputError('INPUT_NO_BACKUPS', `no usable backup set in ${history.origin}${why ? ` (${why})` : ''}`);
  }
  if (names.length > 1) {
    const groups = namesByBindingId(history.sets);
    const renamed = groups.find((g) => g.includes(' = '));
    const hint = renamed ? `; backups of one binding id under several names are one database renamed between them (give each name: ${renamed.split(' (')[0]!.split(' = ').map((n) => `--database ${shellWord(n)}`).join(' ')}) or a database attached from copies of another's files (give the one name)` : '';
    throw new InputError('INPUT_RESTORE_SEVERAL_DATABASES', `backups of several databases are in ${history.origin} (${groups.join(', ')}); name one with --database${hint}`);
  }
  return history.sets;
}

/**
 * The sets of `all` under another name than `chosen`'s that carry a binding id of `chosen` (the
 * same database renamed, or one attached from copies of its files), in `all`'s order. Sets of no
 * binding id (msdb history) are never such.
 */
export function otherNameSets(all: readonly BackupSetRecord[], chosen: readonly BackupSetRecord[]): BackupSetRecord[] {
  const ids = new Set(chosen.map((s) => s.bindingId).filter((b): b is string => b !== null));
  const names = new Set(chosen.map((s) => s.databaseName.toLowerCase()));
  return all.filter((s) => s.bindingId !== null && ids.has(s.bindingId) && !names.has(s.databaseName.toLowerCase()));
}

/**
 * The sentence said with a plan (or appended to its refusal) when `others` (otherNameSets) exist:
 * which names share the binding id, a file of each, and the two readings with what to give for each.
 */
export function otherNamesHint(chosen: readonly BackupSetRecord[], others: readonly BackupSetRecord[]): string {
  const firstOf = new Map<string, BackupSetRecord>();
  for (const s of others) if (!firstOf.has(s.databaseName.toLowerCase())) firstOf.set(s.databaseName.toLowerCase(), s);
  const chosenNames = [...new Set(chosen.map((s) => s.databaseName))];
  const otherNames = [...firstOf.values()].map((s) => s.databaseName);
  const all = [...chosenNames, ...otherNames];
  return `backups of ${otherNames.join(', ')} (${[...firstOf.values()].map(fileOf).join(', ')}) carry the binding id of ${chosenNames.join(', ')} (${bindingOf(chosen)}) and were left out: if the database was renamed between its backups (ALTER DATABASE … MODIFY NAME), plan across the rename with ${all.map((n) => `--database ${shellWord(n)}`).join(' ')}; if ${otherNames.length === 1 ? 'it is a database' : 'they are databases'} attached from copies of its files, leave ${otherNames.length === 1 ? 'it' : 'them'} out`;
}

function bindingOf(sets: readonly BackupSetRecord[]): string {
  return `binding id ${sets.find((s) => s.bindingId !== null)?.bindingId ?? '?'}`;
}

/**
 * The database names of `sets`, those of one binding id joined as one entry (`A = B (one binding
 * id: renamed, or attached from copies of the other's files)`); names compared case-insensitively,
 * each group in first-seen order. Source of the fact: source-identity.ts sameIdOtherNames.
 */
function namesByBindingId(sets: readonly BackupSetRecord[]): string[] {
  // union of names through shared binding ids (a name may carry several ids: then MIXED is planChain's)
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const shown = new Map<string, string>();
  for (const s of sets) {
    const k = s.databaseName.toLowerCase();
    if (!parent.has(k)) {
      parent.set(k, k);
      shown.set(k, s.databaseName);
    }
  }
  const byId = new Map<string, string>();
  for (const s of sets) {
    if (s.bindingId === null) continue;
    const k = s.databaseName.toLowerCase();
    const other = byId.get(s.bindingId);
    if (other === undefined) byId.set(s.bindingId, k);
    else if (find(other) !== find(k)) parent.set(find(k), find(other));
  }
  const groups = new Map<string, string[]>();
  for (const k of shown.keys()) {
    const root = find(k);
    appendTo(groups, root, shown.get(k)!);
  }
  return [...groups.values()].map((g) => (g.length === 1 ? g[0]! : `${g.join(' = ')} (one binding id: one database renamed, or attached from copies of the other's files)`));
}

/**
 * Notes on the chosen sets (chooseDatabase: several --database names) stating more than one database
 * name under one binding id: source-identity.ts sameIdOtherNames' sentence, one per name after the
 * first; and taken on more than one server (HEADERONLY ServerName): sameIdOtherServers' sentence, one
 * per server after the first. Said even with --quiet, as scan and log say them; empty when they agree.
 */
export function renamedNotes(sets: readonly BackupSetRecord[]): string[] {
  const ids = sets.map((s) => ({ file: s.devices[0] ?? '?', role: s.backupType === 'log' ? ('trn' as const) : ('bak' as const), bindingId: s.bindingId, databaseName: s.databaseName, serverName: s.serverName, ...(s.position > 1 ? { set: s.position } : {}) }));
  // and backups of it taken on other servers (sameIdOtherServers: a copy attached under its name elsewhere, or replicas)
  return [...sameIdOtherNames(ids), ...sameIdOtherServers(ids)];
}

/**
 * Plan the chain to `target` for one database's backup sets (see `chooseDatabase`). Tries full
 * backups newest first; for each, differentials based on it newest first, then the full alone;
 * the first base whose log backups reach the target without a gap wins.
 *
 * Throws InputError (exit 2), each message one sentence naming the missing piece and closing
 * with the reachable ranges:
 * - INPUT_RESTORE_NO_FULL: no full backup at all (names the full backup GUID and checkpoint LSN
 *   the differentials/logs are based on);
 * - INPUT_RESTORE_TOO_EARLY / INPUT_RESTORE_TOO_LATE: target before the first full backup's end
 *   or after the last log backup;
 * - INPUT_RESTORE_CHAIN_BROKEN: a gap in the log backups (names the missing LSN range);
 * - INPUT_RESTORE_TARGET_AT_BOUNDARY: the time falls inside a backup's own run;
 * - INPUT_RESTORE_AMBIGUOUS_CHAIN: two log backups could continue the chain.
 * - INPUT_RESTORE_MIXED_DATABASES: sets of one name with different binding ids.
 */
export function planChain(sets: BackupSetRecord[], target: RestoreTarget, skipped: SkippedBackup[] = []): RestoreChain {
  let chain: RestoreChain;
  try {
    chain = planChainOf(sets, target, skipped);
  } catch (e) {
    // A backup left out as damaged (an MTF block zeroed, a cut copy) is named in a refusal: "there is
    // no log backup after the full backup" with the log backup given (damaged) read as a wrong list.
    // a set whose SSET data set number is not its place in the file is whole, left out because FILE = n
    // cannot name it for sure: said with its reason (it read "damaged …, `rowback inspect` says where",
    // and inspect reports no damage in such a file)
    const misnumbered = skipped.filter((s) => s.code === 'FORMAT_BAD_MTF' && s.reason.includes('(SSET data set number)'));
    const damaged = [...sets.filter((s) => s.damaged).map(fileOf), ...skipped.filter((s) => (s.code === 'FORMAT_BAD_MTF' || s.code === 'FORMAT_BAD_COMPRESSED_DATA' || s.code === 'FORMAT_BAD_BACKUP_HEADER') && !misnumbered.includes(s)).map((s) => s.file)];
    // a 0-byte file named as a backup (a copy that never got its bytes) is as likely the missing piece
    const empty = skipped.filter((s) => s.code === 'INPUT_EMPTY_FILE').map((s) => s.file);
    // a file named as a backup that is not one (a data file renamed .trn): as likely the missing piece
    const misnamed = skipped.filter((s) => s.code === 'INPUT_UNKNOWN_FILE_KIND');
    // every other file left out, with its code and reason: a compressed backup cut short
    // (FORMAT_COMPRESSED_BACKUP), one stripe of a striped backup (FORMAT_INCOMPLETE_MEDIA_SET), a
    // TDE-encrypted set, a file that could not be read: each may be the missing piece, and the
    // refusal named none of them (the plan, when it succeeds, lists them all as skipped)
    const said0 = new Set([...damaged, ...empty]);
    const other = skipped.filter((s) => !misnumbered.includes(s) && !misnamed.includes(s) && !said0.has(s.file));
    if ((damaged.length || empty.length || misnumbered.length || misnamed.length || other.length) && e instanceof InputError && e.code.startsWith('INPUT_RESTORE_')) {
      const said = [
        damaged.length ? `left out as damaged (cut, unreadable, or its header's two copies disagree; \`rowback inspect\` says where): ${[...new Set(damaged)].join(', ')}` : '',
        ...misnumbered.map((m) => `left out: ${m.file}: ${m.reason}`),
        empty.length ? `left out as empty (0 bytes: a copy that did not finish?): ${[...new Set(empty)].join(', ')}` : '',
        ...misnamed.map((m) => `left out: ${m.file}: ${m.reason}`),
        ...other.map((m) => `left out: ${m.file}: ${m.code}: ${m.reason}`),
      ].filter(Boolean).join('; ');
      throw new InputError(e.code, `${e.message}; ${said}`, e.location);
    }
    throw e;
  }
  assertNotInsideBulkLoggedLog(chain);
  return chain;
}

/**
 * Refuses (InputError INPUT_RESTORE_BULK_LOGGED) a stop that falls inside a log backup holding data
 * pages (restore/history.ts logDataPages: taken under BULK_LOGGED after minimally logged
 * operations): point-in-time recovery is not supported inside a log backup with bulk-logged changes,
 * RESTORE LOG … STOPAT / STOPBEFOREMARK there fails (Microsoft Learn, "Recovery models",
 * bulk-logged: "Point-in-time recovery is not supported"), and its rows are in those extents, not in
 * its log records, so no replay reaches them either. Names the file and the points around it.
 */
function assertNotInsideBulkLoggedLog(chain: RestoreChain): void {
  const last = chain.steps[chain.steps.length - 1];
  if (!last || last.role !== 'log' || !last.set.logDataPages) return;
  const l = last.set;
  const prev = chain.steps[chain.steps.length - 2];
  // before it: the end of the log backup before it (as endOf says it), else only the base's own end
  const before = prev?.role === 'log' ? `stop before it (--stop-before-lsn ${bothForms((BigInt(l.firstLsn) - 1n).toString())}, the end of ${fileOf(prev.set)})` : `before it only the end of ${fileOf(prev?.set ?? l)} is reached (RESTORE … WITH RECOVERY of it)`;
  throw new InputError(
    'INPUT_RESTORE_BULK_LOGGED',
    `${describeTarget(chain.target)} falls inside log backup ${fileOf(l)} (LSN ${bothForms(l.firstLsn)} to ${bothForms(l.lastLsn)}), which holds data pages: taken under the BULK_LOGGED recovery model after minimally logged operations, it carries the extents they changed, whose rows its log records do not hold; a restore cannot stop inside it (RESTORE LOG … STOPAT or STOPBEFOREMARK there fails: no point-in-time recovery in a log backup with bulk-logged changes) and no replay reads those rows; ${before}, or stop after it, in a later log backup (a restore on a SQL Server applies it whole; a replay refuses it)`,
    { file: l.devices[0] },
  );
}

/**
 * Sets without a binding id (msdb history) of more than one database family are refused,
 * INPUT_RESTORE_MIXED_DATABASES, naming each family_guid with its sets' count, servers, dates and a
 * file. msdb.dbo.backupset is read by database_name, and holds, besides this server's own backups,
 * a row for each backup set a RESTORE read (restorehistory.backup_set_id references it) under the
 * database name in that backup: another server's database of the same name restored here as a copy
 * puts its backups in the same name's history, as does a database dropped and created again under
 * the name. family_guid is "the original database_guid when the database was first created" and
 * stays the same when it is restored, where database_guid changes (Patrick Keisler, "Database
 * Restore Fails with Msg 3154", 2016; Microsoft Learn, RESTORE HEADERONLY: BindingID / FamilyGUID),
 * so two families are two databases. Planned together, full backups were tried newest first by LSN
 * across both, and a chain of the other database that reached the stop point was printed as this
 * one's: the RESTORE ran, and its rows were another database's. Sets whose family is not known
 * (null: not read) are not counted. Pure.
 */
function assertOneFamily(usable: readonly BackupSetRecord[], databaseName: string): void {
  const families = new Map<string, BackupSetRecord[]>();
  for (const s of usable) if (s.familyGuid) appendTo(families, s.familyGuid.toUpperCase(), s);
  if (families.size < 2) return;
  const said = [...families].map(([f, sets]) => {
    const servers = [...new Set(sets.map((s) => s.serverName).filter((n): n is string => Boolean(n)))];
    const dates = sets.map((s) => s.backupStartDate).filter((d): d is string => d !== null).sort();
    return `family_guid ${f}: ${sets.length} backup set${sets.length === 1 ? '' : 's'}${servers.length ? ` taken on ${servers.join(', ')}` : ''}${dates.length ? ` from ${dates[0]} to ${dates[dates.length - 1]}` : ''} (e.g. ${fileOf(sets[0]!)})`;
  });
  throw new InputError(
    'INPUT_RESTORE_MIXED_DATABASES',
    `the backup history of ${databaseName} holds backups of ${families.size} different databases (${said.join('; ')}): msdb lists backups by database name, and a RESTORE here of another server's database of that name records the backups it read under it, as does a database dropped and created again under the name; a plan over both could restore the other database's backups as this one's. Give the backup files of the database to restore with --backups FOLDER (only that database's files)`,
    { file: families.values().next().value![0]!.devices[0] },
  );
}

function planChainOf(sets: BackupSetRecord[], target: RestoreTarget, skipped: SkippedBackup[]): RestoreChain {
  // the name of the newest set: a database renamed between its backups (chooseDatabase) has it now
  const databaseName = [...sets].sort((a, b) => lsnCmp(b.lastLsn, a.lastLsn))[0]?.databaseName ?? '?';
  const usable = sets.filter((s) => !s.damaged && (s.backupType === 'full' || s.backupType === 'differential' || s.backupType === 'log'));
  const notes: string[] = [];
  for (const s of sets) if (!usable.includes(s)) notes.push(`${fileOf(s)}: ${s.damaged ? 'damaged' : `a ${s.backupType} backup`}, not used`);
  const bindings = new Set(usable.map((s) => s.bindingId).filter((b) => b !== null));
  if (bindings.size > 1) {
    // every set of each binding id counted, its files named (the first 3 and how many more past 5):
    // the list stopped at 3 unsaid, and a folder sorted by it kept the unnamed ones (newcomer)
    const groups = [...bindings].map((b) => ({ b, files: usable.filter((s) => s.bindingId === b).map(fileOf) })).sort((x, y) => y.files.length - x.files.length);
    const list = (f: string[]) => (f.length <= 5 ? f.join(', ') : `${f.slice(0, 3).join(', ')} and ${f.length - 3} more`);
    const by = groups.map((g) => `${g.b} (${g.files.length} backup set${g.files.length === 1 ? '' : 's'}): ${list(g.files)}`);
    const odd = groups.length === 2 && groups[1]!.files.length < groups[0]!.files.length ? groups[1]! : undefined;
    const hint = odd ? `: the backups of binding id ${odd.b} (${list(odd.files)}) are of another database than the other ${groups[0]!.files.length} (a database restored as a new one, or another server's of the same name): move them out, or keep only the backups of the database to restore` : '';
    throw new InputError('INPUT_RESTORE_MIXED_DATABASES', `backups named ${databaseName} belong to different databases (binding ids ${by.join('; ')}); put each database's backups in its own folder${hint}`, { file: (odd ? usable.find((s) => s.bindingId === odd.b)! : usable[0]!).devices[0] });
  }
  if (bindings.size === 0) assertOneFamily(usable, databaseName);
  const reachable = reachableRanges(usable);
  // a full backup with no log backup at all: it still restores to its own end (a dead end before: newcomer)
  const fullAlone = reachable.length === 0 && usable.some((s) => s.backupType === 'full') && !usable.some((s) => s.backupType === 'log');
  const reach = describeReachable(reachable, target.kind) + (fullAlone
    ? ` (no log backup is among them); a full backup alone restores to its own end (RESTORE DATABASE … WITH RECOVERY)${fullToUse(usable, target)}`
    : '');
  const fulls = usable.filter((s) => s.backupType === 'full').sort((a, b) => lsnCmp(b.lastLsn, a.lastLsn) || flawRank(a) - flawRank(b));
  const where = (s: BackupSetRecord) => ({ file: s.devices[0] });

  if (fulls.length === 0) {
    const dependent = usable.find((s) => s.backupType === 'differential') ?? usable.find((s) => s.backupType === 'log');
    const guid = dependent?.differentialBaseGuid ?? usable.find((s) => s.differentialBaseGuid)?.differentialBaseGuid ?? null;
    const lsn = dependent?.differentialBaseLsn ?? dependent?.databaseBackupLsn ?? null;
    const need = guid || lsn ? `the full backup${guid ? ` with BackupSetGUID ${guid}` : ''}${lsn ? ` (checkpoint LSN ${lsn})` : ''}` : 'a full backup';
    throw new InputError(
      'INPUT_RESTORE_NO_FULL',
      `${describeTarget(target)} cannot be reached for ${databaseName}: ${need}${dependent ? `, which ${fileOf(dependent)} is based on,` : ''} is missing (no full backup among the ${usable.length} backup set(s) found)${guid ? `: find it (msdb.dbo.backupset.backup_set_uuid, or RESTORE HEADERONLY's BackupSetGUID, names it) and give it with the others` : ''}; ${reach}`,
      dependent ? where(dependent) : {},
    );
  }

  const logs = usable.filter((s) => s.backupType === 'log');
  let firstFailure: { code: string; why: string; at: BackupSetRecord; missing?: string } | null = null;
  // A gap a backup left out as damaged would have filled is that backup's problem: the refusal names
  // it as the location (it named the backup before the gap, e.g. the full backup).
  const damagedRanges = [
    ...sets.filter((s) => s.damaged).map((s) => ({ file: s.devices[0], firstLsn: s.firstLsn, lastLsn: s.lastLsn })),
    ...skipped.flatMap((s) => (s.firstLsn !== undefined && s.lastLsn !== undefined ? [{ file: s.file, firstLsn: s.firstLsn, lastLsn: s.lastLsn }] : [])),
  ];
  const gapAt = (missing: string | undefined, fallback: BackupSetRecord) => {
    const d = missing === undefined ? undefined : damagedRanges.find((x) => lsnCmp(x.firstLsn, missing) <= 0 && lsnCmp(missing, x.lastLsn) < 0);
    return d ? { file: d.file } : where(fallback);
  };
  for (const f of fulls) {
    if (!baseBefore(f, target)) {
      notes.push(`full backup ${fileOf(f)} ends ${target.kind === 'time' ? (f.backupFinishDate !== null ? `at ${f.backupFinishDate}` : 'at a time not known (its backup finish date is unknown: its closing blocks are damaged)') : `at LSN ${f.lastLsn}`}, not ${f.backupFinishDate !== null || target.kind === 'lsn' ? '' : 'known to be '}before the target`);
      continue;
    }
    const myLogs = logs.filter((l) => sameDatabase(l, f));
    const bases = [...diffsOf(usable, f).filter((d) => baseBefore(d, target)), f];
    for (const b of bases) {
      const w = walkLogs(myLogs, b.lastLsn, f.lastRecoveryForkGuid, target, b, f);
      if (w.ok) {
        const steps: ChainStep[] = [{ role: 'full', set: f }];
        if (b !== f) steps.push({ role: 'differential', set: b });
        for (const l of w.logs) steps.push({ role: 'log', set: l });
        // a set used despite damage that loses nothing (a damaged MTF trailer) is said with the plan
        for (const st of steps) if (st.set.caveat) notes.push(st.set.caveat);
        return { databaseName, target, steps, notes, reachable, skipped };
      }
      notes.push(`from ${b.backupType} backup ${fileOf(b)}: ${w.why}`);
      if (!firstFailure || w.code === 'INPUT_RESTORE_TARGET_AT_BOUNDARY') firstFailure = { code: w.code, why: w.why, at: w.at, missing: w.missing };
    }
  }

  // Nothing works: say why in one sentence.
  const earliestFull = fulls[fulls.length - 1];
  if (!fulls.some((f) => baseBefore(f, target))) {
    const unsure = fulls.find((f) => finishUnknownBefore(f, target));
    if (unsure && target.kind === 'time') {
      const mine = logs.filter((l) => sameDatabase(l, unsure) && lsnCmp(l.lastLsn, unsure.lastLsn) > 0);
      const why = `the full backup ${fileOf(unsure)} started at ${unsure.backupStartDate} and its backup finish date is unknown (its closing blocks are damaged), so whether it ended before ${target.time} cannot be told from the backups' headers`;
      if (!mine.length) {
        throw new InputError('INPUT_RESTORE_TOO_LATE', `${describeTarget(target)} is after the last point the backups of ${databaseName} reach: there is no log backup after the full backup (${why}); ${reach}${zoneHint(target, reachable)}`, where(unsure));
      }
      const lastLog = mine.reduce((a, l) => (lsnCmp(l.lastLsn, a.lastLsn) > 0 ? l : a));
      const end = lastLog.lastLsn;
      const lastEnd = lastLog.backupFinishDate ?? lastLog.backupStartDate;
      if (lastEnd !== null && target.time > endSecond(lastEnd)) {
        throw new InputError('INPUT_RESTORE_TOO_LATE', `${describeTarget(target)} is after the last point the backups of ${databaseName} reach: the last log backup, ${fileOf(lastLog)}, ${lastLog.backupFinishDate !== null ? `finished at ${lastLog.backupFinishDate}` : `started at ${lastLog.backupStartDate}`} (besides, ${why}: a stop by time before that is refused, --stop-before-lsn ${bothForms(unsure.lastLsn)} to ${bothForms(end)} reaches it); ${reach}${zoneHint(target, reachable)}`, where(lastLog));
      }
      throw new InputError('INPUT_RESTORE_TARGET_AT_BOUNDARY', `${describeTarget(target)} cannot be placed for ${databaseName}: ${why}; it ends at LSN ${bothForms(unsure.lastLsn)}: name the stop by LSN instead (--stop-before-lsn, from ${bothForms(unsure.lastLsn)} up to ${bothForms(end)}, the end of the log backups given; \`rowback scan\` of them prints each row's LSN and time), or add a whole copy of ${fileOf(unsure)} and run the command again; ${reach}`, where(unsure));
    }
    // A stop inside the second the full backup finished in (13:28:44.500 against "finished at
    // 13:28:44") read as after it, refused with no word why; backup dates are whole seconds, so it may
    // have finished as late as .999: said, with the first stop sure to follow it, and no time-zone
    // guess (an hour's shift is not what half a second early means).
    const finish = earliestFull.backupFinishDate;
    const inFinishSecond = target.kind === 'time' && finish !== null && target.time >= startSecond(finish) && target.time <= endSecond(finish);
    const secondClause = inFinishSecond ? ` (backup dates are whole seconds: it may have finished as late as ${endSecond(finish)}, so the first stop sure to follow it is ${addSecond(finish)})` : '';
    const when = target.kind === 'time' ? `the earliest full backup, ${fileOf(earliestFull)}, ${finish !== null ? `finished at ${finish}${secondClause}` : `started at ${earliestFull.backupStartDate ?? '(no date)'} (its backup finish date is unknown: its closing blocks are damaged)`}` : `the earliest full backup, ${fileOf(earliestFull)}, ends at LSN ${earliestFull.lastLsn}`;
    const hint = inFinishSecond ? " (--stop-at is the SQL Server's local time, as the backups' dates are)" : zoneHint(target, reachable);
    throw new InputError('INPUT_RESTORE_TOO_EARLY', `${describeTarget(target)} is before any restorable point of ${databaseName}: ${when}; ${reach}${hint}`, where(earliestFull));
  }
  const latest = reachable.length ? reachable[reachable.length - 1] : null;
  // A log backup whose finish date is unknown may hold any time after its start, unless a log backup
  // after it (by LSN) started before that time: then the time is past it (reviewer: a damaged trailer
  // in the middle of a chain turned every late target into a boundary refusal, TOO_LATE never said).
  // Its own log's commit times, when read, place a time after its start in it or past it
  // (placeByCommits), whether its finish date is known or not.
  const mayHold = (l: BackupSetRecord, t: string): boolean => {
    const placed = l.backupStartDate !== null && t > startSecond(l.backupStartDate) ? placeByCommits(l, t) : null;
    if (placed !== null) return placed === 'in';
    return l.backupFinishDate !== null
      ? t <= endSecond(l.backupFinishDate)
      : !logs.some((m) => m !== l && lsnCmp(m.firstLsn, l.lastLsn) >= 0 && m.backupStartDate !== null && startSecond(m.backupStartDate) < t);
  };
  const beyond = latest && (target.kind === 'time' ? latest.toTime !== null && target.time > latest.toTime && !logs.some((l) => l.backupStartDate && mayHold(l, target.time)) : lsnCmp(target.lsn, latest.toLsn) > 0 && !logs.some((l) => lsnCmp(target.lsn, l.lastLsn) < 0));
  if (beyond || (!latest && logs.every((l) => (target.kind === 'time' ? !l.backupStartDate || target.time > endSecond(l.backupFinishDate ?? l.backupStartDate) : lsnCmp(target.lsn, l.lastLsn) >= 0)))) {
    const lastLog = [...logs].sort((a, b) => lsnCmp(b.lastLsn, a.lastLsn))[0];
    // past every commit of a last log backup (its log read whole; its finish date unknown, or known
    // and the time after its start): the moment is in log that none of the files given holds, which no LSN reaches
    // either; what is reached is said
    const pastCommits = lastLog && target.kind === 'time' && lastLog.backupStartDate !== null && target.time > startSecond(lastLog.backupStartDate) && placeByCommits(lastLog, target.time) === 'after';
    // the last log backup given, past a gap (a log backup between missing): no chain from a full
    // backup reaches it, so its end is no point these backups reach (newcomer E: the refusal advised
    // `--stop-at` its end, which the same command then refused INPUT_RESTORE_CHAIN_BROKEN)
    const pastGap = latest !== null && lastLog !== undefined && BigInt(lastLog.lastLsn) - 1n > BigInt(latest.toLsn);
    const gapWhy = pastGap ? (firstFailure?.code === 'INPUT_RESTORE_CHAIN_BROKEN' ? firstFailure.why : 'the log backups given do not chain up to it') : '';
    const what = lastLog
      ? target.kind === 'time'
        ? `the last log backup, ${fileOf(lastLog)}, started at ${lastLog.backupStartDate ?? '(no date)'}${
            pastCommits
              ? ` (${lastLog.backupFinishDate === null ? 'its backup finish date is unknown' : `finished at ${lastLog.backupFinishDate}`}) and its log, read whole, ${lastLog.logCommits!.last === null ? 'holds no transaction commit' : `records its last commit at ${lastLog.logCommits!.last}`}: the records of ${target.time} are after it, in log that none of the files given holds (a later log backup, or log not backed up yet), which no --stop-at or --stop-before-lsn reaches; ${pastGap ? `nor is its end reached: ${gapWhy}; the latest point these backups reach is the end of the range below` : `the latest point these backups reach is the end of it: ${endOf(lastLog)}`}`
              : ''
          }`
        : `the last log backup, ${fileOf(lastLog)}, ends before LSN ${lastLog.lastLsn}`
      : 'there is no log backup after the full backup';
    // no point reachable at all because the log backups do not chain to a full backup: say where
    // (it said only "nothing can be restored", and an earlier target then named the gap)
    const gap = !latest && firstFailure?.code === 'INPUT_RESTORE_CHAIN_BROKEN' ? `: ${firstFailure.why}` : '';
    throw new InputError('INPUT_RESTORE_TOO_LATE', `${describeTarget(target)} is after the last point the backups of ${databaseName} reach: ${what}; ${reach}${gap}${zoneHint(target, reachable)}`, gapAt(firstFailure?.missing, lastLog ?? fulls[0]));
  }
  const f = firstFailure!;
  throw new InputError(f.code, `${describeTarget(target)} cannot be reached for ${databaseName}: ${f.why}; ${reach}`, gapAt(f.missing, f.at));
}
