/**
 * A time window or LSN range that starts before the log read begins: an .ldf keeps the log back to
 * its oldest VLF not yet reused, log backups the log from the first one given, a full backup its
 * own log from its oldest active transaction, and the online log back to its last truncation. What
 * began earlier is in no file given, and a scan printing the log's rows as the whole window was a
 * wrong answer that looked right (AngularJs_CRUD's .ldf, whose oldest VLF is sequence 0x23). The
 * end of the log read is window-past-log.ts's.
 */
import { compareLsn, formatLsn, parseLsn, type Lsn } from '../logreader/lsn.js';
import { datetimeTickBefore, exportTimeIso, localMs } from './log-local-time.js';
import type { CommittedScanStats } from './committed.js';
import type { LogReadEnd, LogWholeFrom } from './sources/files.js';
import { minOf } from '../util/append-all.js';
import { fileAndSet } from '../util/backup-set-text.js';

/**
 * The same for an LSN range starting before the log read begins (`--from-lsn`, or a lone
 * `--to-lsn`, below the FirstLSN of the backup set the log read begins with, when no .ldf is given):
 * the INCOMPLETE sentence, else undefined. `log RestoreTimeClean_2.trn --from-lsn 00000019:00000050:0001`
 * (_2.trn holds 00000019:00000099:0001 on; 19:50 is in _1.trn) printed _2's records as the whole
 * range, exit 0 under --strict. No margin but the FirstLSN's own log block, which the set holds whole. `start`: the set the read begins with
 * (its firstLsn given). `add`: the way on, as the caller names its inputs.
 */
export function lsnRangeBeforeLogStartClause(range: { fromLsn: Lsn | null; toLsn: Lsn | null }, start: LogReadEnd | null | undefined, add = 'add the log backups taken before it with --trn (or the .ldf with --ldf)'): string | undefined {
  if (!start?.firstLsn) return undefined;
  const bound = range.fromLsn ?? range.toLsn;
  if (!bound) return undefined;
  // a backup holds the whole log block its FirstLSN is in (records of that block before it too:
  // RestoreTimeClean.bak's log starts at 00000019:0000003e:0001, its FirstLSN 00000019:0000003e:00aa)
  const first = { ...parseLsn(start.firstLsn), slot: 0 };
  if (compareLsn(bound, first) >= 0) return undefined;
  const set = fileAndSet(start.file, start.position > 1 ? start.position : undefined);
  const what = start.kind === 'log' ? 'the first log backup given' : `the ${start.kind} backup whose own log is read first`;
  const whole = range.toLsn !== null && compareLsn(range.toLsn, first) < 0;
  const asked = whole
    ? `the whole LSN range (${range.fromLsn ? `from ${formatLsn(range.fromLsn)} ` : ''}to ${formatLsn(range.toLsn!)}) is before the log given`
    : `the LSN range starts at ${formatLsn(bound)} (--from-lsn), before the log given`;
  return `${asked}: ${what}, ${set}, holds the log from LSN ${start.firstLsn} (its FirstLSN; from the start of that log block) on, and the log before it is in earlier log backups (or the .ldf), in no file given: rows of that stretch are not in this result; ${add}`;
}

/**
 * The same for an .ldf read alone (no log backup beside it): an LSN range (`--from-lsn`, or a lone
 * `--to-lsn`) starting below the log the file holds. `scan --ldf Database1_log.ldf --from-lsn
 * 00000022:00000010:0001` (AngularJs_CRUD: VLFs 0x23–0x25, 0x01–0x22 reused) printed the rows of
 * 0x23 on as the whole range, exit 0 under --strict; `log Database1_log.ldf --from-lsn …` the same.
 * `seqs`: the sequence numbers of the file's VLFs (readLdfLayout; 0 = never used, left out). Judged
 * by whole VLFs, so an LSN inside the oldest VLF says nothing (no false alarm where its log starts
 * mid-VLF, as a restored database's does: an LSN there before that start is not told). Where the
 * file holds older log cut off from the rest (a sequence between reused since, as logWholeFrom),
 * a range starting in the older log or the gap is told too, unless it ends (--to-lsn) before the gap.
 * `file`: named in the sentence; `add`: the way on.
 */
export function lsnRangeBeforeLdfClause(range: { fromLsn: Lsn | null; toLsn: Lsn | null }, file: string, seqs: readonly number[], add = 'add the log backups of before it with --trn'): string | undefined {
  const bound = range.fromLsn ?? range.toLsn;
  const used = [...new Set(seqs.filter((q) => q > 0))].sort((a, b) => a - b);
  if (!bound || used.length === 0) return undefined;
  let lo = used[used.length - 1]!;
  const has = new Set(used);
  while (has.has(lo - 1)) lo--;
  if (bound.vlf >= lo) return undefined;
  const hex = (q: number) => `0x${q.toString(16)}`;
  const oldest = used[0]!;
  const startLsn = (q: number) => formatLsn({ vlf: q, block: 0, slot: 0 });
  const asked = range.fromLsn ? `the LSN range starts at ${formatLsn(bound)} (--from-lsn)` : `the whole LSN range (to ${formatLsn(bound)}) is`;
  if (bound.vlf < oldest) {
    const whole = range.toLsn !== null && range.toLsn.vlf < oldest;
    const what = whole ? `the whole LSN range (${range.fromLsn ? `from ${formatLsn(range.fromLsn)} ` : ''}to ${formatLsn(range.toLsn!)}) is before the log given` : `${asked}, before the log given`;
    return `${what}: ${file} holds the log from its oldest VLF, sequence ${hex(oldest)} (LSN ${startLsn(oldest)} on), and the log before it was in VLFs reused since, in no file given: rows of that stretch are not in this result; ${add}`;
  }
  // in the older log the file keeps, or in the gap after it: whole only from `lo` on
  const older = used.filter((q) => q < lo);
  // the first sequence at or past the bound the file does not hold, and the run of them after it
  let gapFrom = bound.vlf;
  while (has.has(gapFrom)) gapFrom++;
  let gapTo = gapFrom;
  while (!has.has(gapTo + 1)) gapTo++;
  if (has.has(bound.vlf) && range.toLsn !== null && range.toLsn.vlf < gapFrom) return undefined;
  const gap = gapFrom === gapTo ? `sequence ${hex(gapFrom)}` : `sequences ${hex(gapFrom)}–${hex(gapTo)}`;
  const head = range.fromLsn ? `the LSN range starts at ${formatLsn(bound)} (--from-lsn), before the log ${file} holds is whole` : `the LSN range (to ${formatLsn(bound)}, --to-lsn) reaches below where the log ${file} holds is whole`;
  return `${head}: it is whole only from VLF sequence ${hex(lo)} (LSN ${startLsn(lo)}) on; the older log it keeps (VLF sequence${older.length > 1 ? 's' : ''} ${older.map(hex).join(', ')}) is cut off from it by ${gap}, reused since and in no file given: rows of that stretch are not in this result; ${add}`;
}

/**
 * The same for an .ldf read together with log backups (`scan --ldf L --trn A --trn B`, `log L A B`):
 * an LSN range (`--from-lsn`, or a lone `--to-lsn`) starting below both the first log backup given
 * (its FirstLSN's log block) and the .ldf's oldest VLF. The log before both is in earlier log
 * backups, in no file given; scan said nothing (the .ldf's check ran with the .ldf alone, the
 * backups' without an .ldf) and printed the rows from the first backup on as the whole range, exit
 * 0 under --strict. A stretch missing between the backups and the .ldf is a chain gap, told apart.
 * `ldf`: the file and its VLFs' sequence numbers (readLdfLayout; 0 = never used); `start`: the first
 * log backup set (FileRecoverySource.logBackupsStart, with its firstLsn); `add`: the way on.
 * Undefined when the range starts in the log given, or either is unknown.
 */
export function lsnRangeBeforeLdfAndBackupsClause(range: { fromLsn: Lsn | null; toLsn: Lsn | null }, ldf: { file: string; seqs: readonly number[] }, start: LogReadEnd | null | undefined, add = 'add the log backups taken before it with --trn'): string | undefined {
  const bound = range.fromLsn ?? range.toLsn;
  const used = ldf.seqs.filter((q) => q > 0);
  if (!bound || !start?.firstLsn || used.length === 0) return undefined;
  // minOf, not Math.min(...used): an .ldf grown in small steps can have more VLFs than V8 takes arguments (~120,000)
  const oldest = minOf(used);
  const first = { ...parseLsn(start.firstLsn), slot: 0 };
  if (bound.vlf >= oldest || compareLsn(bound, first) >= 0) return undefined;
  const ldfStart = { vlf: oldest, block: 0, slot: 0 };
  const begins = compareLsn(first, ldfStart) <= 0 ? first : ldfStart;
  const whole = range.toLsn !== null && compareLsn(range.toLsn, begins) < 0;
  const asked = whole
    ? `the whole LSN range (${range.fromLsn ? `from ${formatLsn(range.fromLsn)} ` : ''}to ${formatLsn(range.toLsn!)}) is before the log given`
    : `the LSN range starts at ${formatLsn(bound)} (--from-lsn), before the log given`;
  const set = fileAndSet(start.file, start.position > 1 ? start.position : undefined);
  return `${asked}: the first log backup given, ${set}, holds the log from LSN ${start.firstLsn} (its FirstLSN; from the start of that log block) on, and ${ldf.file} from its oldest VLF, sequence 0x${oldest.toString(16)} (LSN ${formatLsn(ldfStart)}) on; the log before both is in earlier log backups, in no file given: rows of that stretch are not in this result; ${add}`;
}

/**
 * What windowBeforeLogStartClause judges where the log read begins by (each field as its docstring
 * there says): the first Begin Time and commit End Time read in log order (fn_dblog or ISO form),
 * the earliest of the two read anywhere (`earliestTime`: a clock set back later in the log), the
 * database's creation (boot page dbi_crdate, ISO local), the backup set the read begins with (no
 * .ldf) and where an .ldf's log is whole from.
 */
export interface LogReadStartFacts {
  firstBeginTime: string | null | undefined;
  firstCommitTime?: string | null | undefined;
  earliestTime?: string | null | undefined;
  created: string | null | undefined;
  readStart?: LogReadEnd | null | undefined;
  wholeFrom?: LogWholeFrom | null | undefined;
  /**
   * The log read begins right after log in no file given (a FORMAT_LOG_CHAIN_GAP ending where the
   * first set read starts: `--bak FULL --trn _2.trn`, _1.trn left out): its first transaction then
   * tells nothing of the log since the creation, however close to it (see `created`).
   */
  gapBeforeRead?: boolean;
}

/**
 * LogReadStartFacts of a scan: from its counts (CommittedScanStats: the first Begin Time and commit
 * End Time in log order, `startBeginTime`/`startCommitTime`, else the earliest read; the earliest of
 * all as `earliestTime`) and what its source knows (RecoverySource accessors: databaseCreated,
 * logReadStart, logWholeFrom; absent or null where the source has none). The one place `rowback scan`
 * and a worker's job build them, so both judge a window alike. Throws nothing.
 */
export function logReadStartFacts(
  stats: Pick<CommittedScanStats, 'firstBeginTime' | 'firstCommitTime' | 'startBeginTime' | 'startCommitTime'>,
  source: { databaseCreated?: (() => string | null) | undefined; logReadStart?: (() => LogReadEnd | null) | undefined; logWholeFrom?: (() => LogWholeFrom | null) | undefined },
  lost: ReadonlyArray<{ code: string; lsnRange?: { first: string; last: string } }> = [],
): LogReadStartFacts {
  const readFirst = source.logReadStart?.()?.firstLsn?.toLowerCase();
  return {
    gapBeforeRead: readFirst !== undefined && lost.some((s) => s.code === 'FORMAT_LOG_CHAIN_GAP' && s.lsnRange?.last.toLowerCase() === readFirst),
    firstBeginTime: stats.startBeginTime ?? stats.firstBeginTime,
    firstCommitTime: stats.startCommitTime ?? stats.firstCommitTime,
    earliestTime: [stats.firstBeginTime, stats.firstCommitTime].filter((t): t is string => !!t).sort()[0],
    created: source.databaseCreated?.() ?? null,
    readStart: source.logReadStart?.() ?? null,
    wholeFrom: source.logWholeFrom?.() ?? null,
  };
}

/**
 * The way on said of a window wholly before the log read: the caller's (`add`) names "start the
 * window later", which a window of `--to` alone has nothing to start; it is told to end later
 * instead (a `--to` reaching into the log read is judged as no window is), the field named alike
 * ("(from)" becomes "(to)").
 */
export function beforeLogWayOn(window: { from?: string }, add: string): string {
  if (window.from !== undefined) return add;
  return add.replace(/start the window later( \(from\))?/, (_m, field: string | undefined) => `end the window later${field ? ' (to)' : ''}, into the log read`);
}

/**
 * The INCOMPLETE sentence for a window that starts before the log read begins, or undefined. An
 * .ldf holds the log back to its oldest VLF not yet reused (a log backup, or a checkpoint under
 * SIMPLE recovery, lets SQL Server reuse the VLFs before it), log backups the log from the first one
 * given, a full backup its own log from its oldest active transaction: a transaction begun before
 * the first one the log read holds is in no file given. A window starting earlier printed what the
 * log held (or "0 row(s) recovered") as the whole window, exit 0 also under --strict: `--mdf
 * Database1.mdf --ldf Database1_log.ldf --from 2018-03-01 --to 2018-08-29` over AngularJs_CRUD,
 * whose log's first transaction began 2018-08-26 21:19:07.573 (its oldest VLF is sequence 0x23:
 * 0x01–0x22 were reused), printed 11 rows, complete.
 *
 * `window`: the bounds as parseWindowTime returns them (ISO local time to the millisecond); `facts`
 * (LogReadStartFacts, built by logReadStartFacts from the scan's counts and its source):
 * `firstBeginTime`: the log read's first Begin Time (LogScanStats, fn_dblog's or ISO form; null:
 * the log holds no begin); `created`: the database's creation time when a data file or backup gives
 * it (boot page dbi_crdate, ISO local time), so a window starting before the database existed is
 * judged from its creation, and a log whose first transaction began within a minute of it (the log
 * held from the start: CREATE DATABASE itself logs) is whole. A creation more than that minute
 * after the log's first transaction is no creation of this log (the log holds transactions of
 * before it): the window is judged without it, and the sentence says so. With --ddl/--schema beside
 * a data file or backup the files' metadata is still read (withMetadata merges it), so the creation
 * is known there too (test/cli/scan-window-created-metadata-override.test.ts). Never taken from a
 * backup header's DatabaseCreationDate (a --trn alone): it is not the boot page's, and can be later
 * (SQL2008_db1's differential and log backups say 2017-02-06 11:58:23, its boot page 2016-08-30
 * 00:46:38.267: a restore or attach resets it), which would pass a window of the database's older
 * log as complete. `add`: the way on, as the
 * caller names its inputs. `readStart`: without an .ldf, the backup set the log read begins with
 * (FileRecoverySource.logReadStart): when the log read holds no transaction begin, the read begins
 * by that set's BackupStartDate (to the second: taken as its last millisecond) — `scan --bak
 * FinancialCrmDb202501190233.bak --from 2025-01-19T02:15 --to 02:20`, a backup begun 02:33:47 of a
 * database created 02:11:34 whose log held no transaction, printed "0 row(s) recovered", exit 0.
 * `wholeFrom`: with an .ldf whose log read holds older log cut off from the rest (FileRecoverySource.logWholeFrom:
 * VLFs not reused since, below a sequence no VLF holds any more), the window is judged from the
 * first transaction past the break: the earliest Begin Time read was one of that older log, and a
 * window starting there said nothing though the stretch between was in no file given.
 * `firstCommitTime`: the earliest commit End Time read (CommittedScanStats.firstCommitTime): when
 * it is before the first Begin Time, the log read reaches back to it (a transaction begun before
 * the read committed then), and the window is judged from it.
 */
export function windowBeforeLogStartClause(window: { from?: string; to?: string }, facts: LogReadStartFacts, wayOn: string): string | undefined {
  const add = beforeLogWayOn(window, wayOn);
  // a window with no start is judged only when it lies wholly before the log read (what it asks for
  // is all in no file given; one reaching into the log read is judged as no window is: not at all)
  const noStart = !window.from;
  if (noStart && !window.to) return undefined;
  const windowFrom = window.from ?? '1753-01-01T00:00:00.000';
  const { created, readStart, wholeFrom, earliestTime, gapBeforeRead } = facts;
  let { firstBeginTime, firstCommitTime } = facts;
  // older log cut off from the rest (VLFs below a sequence reused since): the log is whole from past the break only
  if (wholeFrom) {
    firstBeginTime = wholeFrom.firstBeginTime;
    firstCommitTime = wholeFrom.firstCommitTime;
  }
  let first = firstBeginTime ? exportTimeIso(firstBeginTime) : null;
  let firstMs = first === null ? Number.NaN : localMs(first);
  // a commit read before the first begin (of a transaction begun before the log read, its begin not
  // in it): the log read reaches back at least to that commit, so every transaction begun since has
  // its begin in it (CRUD-.NET's Database2_log.ldf: a commit at 14:34:01.567, its first begin at
  // 14:34:24.010; `--from 14:34:10` was said to start before the log read)
  const commit = firstCommitTime ? exportTimeIso(firstCommitTime) : null;
  const byCommit = commit !== null && (first === null || localMs(commit) < firstMs);
  // no transaction begin read: a backup-only read begins by its first set's start
  const backupStart = !firstBeginTime && !byCommit && readStart ? exportTimeIso(readStart.started ?? readStart.finished) : null;
  if (byCommit) firstMs = localMs(commit);
  if (backupStart !== null) {
    first = backupStart;
    firstMs = localMs(backupStart) + 999;
  }
  if (first === null && !byCommit) return undefined;
  const fromMs = localMs(windowFrom);
  if (!Number.isFinite(firstMs) || !Number.isFinite(fromMs) || fromMs >= firstMs) return undefined;
  // Begin and End Times are datetimes, 1/300 s ticks (.570, .573, .577 …): no transaction can have
  // begun between `--from` and the first time read when no tick lies between them (`--from .572`
  // against a first begin at .573 was INCOMPLETE)
  if (backupStart === null && fromMs > datetimeTickBefore(firstMs)) return undefined;
  let createdMs = created ? localMs(created.slice(0, 23)) : Number.NaN;
  // a creation after the log's first transaction is not this log's start (a restore or attach may
  // set it): judged without it
  const createdAfter = Number.isFinite(createdMs) && createdMs - firstMs > CREATED_LOG_SLACK_MS;
  if (createdAfter) createdMs = Number.NaN;
  if (Number.isFinite(createdMs)) {
    // the database did not exist before its creation; a log begun with it is whole
    // (not when log in no file given comes before the read: the read does not begin with the log)
    if (firstMs - createdMs <= CREATED_LOG_SLACK_MS && !gapBeforeRead) return undefined;
    if (window.to !== undefined && localMs(window.to) < createdMs) return undefined;
  }
  const to = window.to !== undefined ? localMs(window.to) : Number.NaN;
  // a clock set back later in the log: times before the first one read are in the log too, and
  // name moments of before the log read as well (the window is not wholly before it)
  const earliest = earliestTime ? exportTimeIso(earliestTime) : null;
  const setBack = !wholeFrom && earliest !== null && localMs(earliest) < firstMs;
  const whole = Number.isFinite(to) && to < firstMs && !setBack;
  if (noStart && !whole) return undefined;
  const span = noStart ? `to ${window.to}` : `from ${window.from} to ${window.to}`;
  const since = (createdAfter
    ? `; the creation date its data file or backup gives, ${created!.slice(0, 23)}, is after it, so it tells nothing of the log before`
    : Number.isFinite(createdMs) ? `; the database was created at ${created!.slice(0, 23)}` : '') +
    (setBack ? `; its clock was set back later in the log, whose earliest time, ${earliest}, comes after it: the rows of the window the log holds are printed, and a time before the log read's first one also names moments before the log read began` : '');
  const what = whole
    ? `the whole window (${span}) is before the log read begins`
    : `the window starts at ${window.from}, before the log read begins`;
  // log before the read partly in a backup given whose own log is not read (`--bak FULL --trn` later ones)
  const unread = readStart?.ownLogNotRead?.length ? readStart.ownLogNotRead : null;
  const nowhere = unread ? `in no file read (the own log of ${unread.join(', ')}, a backup given, is not read when log backups are given, and may hold some of them)` : 'in no file given';
  if (backupStart !== null) {
    const set = fileAndSet(readStart!.file, readStart!.position > 1 ? readStart!.position : undefined);
    const kind = readStart!.kind === 'log' ? 'a log backup' : `a ${readStart!.kind} backup`;
    return `${what}: the log read holds no transaction begin, and it begins with ${set}, ${kind} begun at ${backupStart.slice(0, 19)} (the SQL Server's local time, to the second${since}), whose log starts then${readStart!.kind === 'log' ? ' or at the log backup before it' : ''}: transactions begun before that are ${nowhere} (earlier log is in the log backups of that time): their rows are not in this result; ${add}`;
  }
  if (wholeFrom) {
    const hex = (q: number) => `0x${q.toString(16)}`;
    const gap = wholeFrom.older[wholeFrom.older.length - 1]! + 1 === wholeFrom.seq - 1 ? `sequence ${hex(wholeFrom.seq - 1)}` : `sequences ${hex(wholeFrom.older[wholeFrom.older.length - 1]! + 1)}–${hex(wholeFrom.seq - 1)}`;
    const cut = whole ? `the whole window (${span}) is before the log read is whole` : `the window starts at ${window.from}, before the log read is whole`;
    const from = byCommit ? `whose earliest time is ${commit}, the commit of a transaction begun before it (its first transaction begun in it began at ${first ?? 'no time read'})` : `whose first transaction began at ${first}`;
    const at = byCommit ? commit : first;
    return `${cut}: it is whole only from VLF sequence ${hex(wholeFrom.seq)} on, ${from} (the SQL Server's local time${since}); the older log it holds (VLF sequence${wholeFrom.older.length > 1 ? 's' : ''} ${wholeFrom.older.map(hex).join(', ')}, not reused since) is cut off from it by ${gap}, reused since and in no file given: transactions of that stretch are missing, and those begun before ${at} may be among them: their rows are not in this result; ${add}`;
  }
  // why the log read begins there, as its input is: an .ldf, or the backups read from the first set
  const why = readStart
    ? `the log read begins with ${fileAndSet(readStart.file, readStart.position > 1 ? readStart.position : undefined)}, ${readStart.kind === 'log' ? 'a log backup whose log starts where the one before it ended' : `a ${readStart.kind} backup whose own log starts when it began`}; earlier log is in the log backups taken before it`
    : 'an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time';
  if (byCommit) return `${what}: its earliest time is ${commit}, the commit of a transaction begun before it (its begin is not in it; its first transaction began ${first === null ? 'at no time read' : `at ${first}`}) (the SQL Server's local time${since}), and transactions begun before that commit are ${nowhere} (${why}): their rows are not in this result; ${add}`;
  return `${what}: its first transaction began at ${first} (the SQL Server's local time${since}), and transactions begun before that are ${nowhere} (${why}): their rows are not in this result; ${add}`;
}

/** How long after a database's creation its log's first transaction may begin for the log to count as held from the start. */
const CREATED_LOG_SLACK_MS = 60_000;

/**
 * The INCOMPLETE sentence of a live scan whose window starts before the online log begins, or
 * undefined. The server filters a live scan's log to the window (its counts' first Begin Time is
 * never before `--from`: windowBeforeLogStartClause does not judge them), so where the online log
 * begins comes from the live source's window probe (RecoverySource.logStartsAfterWindow: the first
 * transaction of its oldest VLF began after `--from`; only when no log backup is read beside it). It
 * was a note, exit 0 under --strict, while the rows of the window's first stretch were in log
 * backups no one gave. `startsAt`: that Begin Time (ISO local); `add`: the way on, as the caller names its inputs.
 */
export function onlineLogStartClause(window: { from?: string; to?: string }, startsAt: string | null | undefined, wayOn: string): string | undefined {
  const add = beforeLogWayOn(window, wayOn);
  if ((!window.from && !window.to) || !startsAt) return undefined;
  const first = exportTimeIso(startsAt);
  // a window with only --to: told when it lies wholly before the online log (as windowBeforeLogStartClause)
  if (first === null || !(window.from === undefined || localMs(window.from) < localMs(first))) return undefined;
  const whole = window.to !== undefined && localMs(window.to) < localMs(first);
  if (window.from === undefined && !whole) return undefined;
  const what = whole
    ? `the whole window (${window.from === undefined ? '' : `from ${window.from} `}to ${window.to}) is before the online log begins`
    : `the window starts at ${window.from}, before the online log begins`;
  return `${what}: its first transaction began at ${first} (the SQL Server's local time), and transactions begun before that are only in log backups (the log was truncated by a log backup, or a checkpoint under SIMPLE recovery): their rows are not in this result; ${add}`;
}
