/**
 * A time window (`scan --from/--to`, the SQL Server's local time) that runs past the end of the log
 * read from backups alone. Log backups hold the log up to the moment each was taken; what the
 * database did after the last one given (its BackupFinishDate, HEADERONLY) is in later log backups or
 * the .ldf, none of them given. A window ending after that moment asks for transactions no file given
 * can hold: "0 row(s) recovered", exit 0 even under --strict, read as "nothing deleted then"
 * (`--trn _1.trn --from 13:20 --to 13:25` over RestoreTimeClean, whose _1.trn finished 13:04:13).
 *
 * The start of the log read (a window or LSN range starting before it) is window-before-log.ts's.
 */

import type { ExportLogRead } from '../logreader/export/export-file.js';
import { compareLsn, formatLsn, parseLsn, type Lsn } from '../logreader/lsn.js';
import { datetimeTickBefore, exportTimeIso, localMs } from './log-local-time.js';
import type { LogReadEnd } from './sources/files.js';
import { minOf } from '../util/append-all.js';
import { fileAndSet } from '../util/backup-set-text.js';

/**
 * The INCOMPLETE sentence for a window that runs past the end of the log read, or undefined.
 * `window`: the bounds as parseWindowTime returns them (ISO local time to the millisecond), `end`:
 * FileRecoverySource.logReadEnd (null with an .ldf, whose log goes on to the file's end: nothing said).
 * The last backup's log ends where BACKUP LOG cut it (its LastLSN), some moment between its start
 * and its finish date (HEADERONLY BackupStartDate/BackupFinishDate, whole seconds, truncated): a
 * transaction begun after that moment is in the next log backup. So the window may run past the end
 * once `--to` (or, without one, `--from`) reaches the start's second (RestoreTimeClean_1.trn started
 * and finished 13:04:13; step 10, begun 13:04:13.023, is in _2.trn: `--to 13:04:13.500` missed it),
 * unless the log read holds a transaction begun after the bound (`lastBeginTime`, the log's last
 * Begin Time in fn_dblog's or ISO form): every transaction begun before it then began at an earlier
 * LSN, in the log read (a clock set back is warned of apart). Without a start date, the finish's
 * second. A window without a bound (or with only a `--from` before the end) asks for nothing beyond
 * the log given more than a scan without one does: nothing said.
 * `names`: the window's end as the caller names it and the advice (a job's fields, not the flags).
 */
export function windowPastLogEndClause(window: { from?: string; to?: string }, end: LogReadEnd | null | undefined, names: { to: string; add: string } = { to: '--to', add: 'add the log backups taken after it with --trn (or the .ldf with --ldf)' }, lastBeginTime?: string | null): string | undefined {
  if (!end || !end.finished) return undefined;
  const bound = window.to ?? window.from;
  if (!bound) return undefined;
  const finishedMs = localMs(end.finished);
  const startedMs = end.started ? localMs(end.started) : Number.NaN;
  // the earliest the log can have been cut: the start's second (or the finish's, with no start)
  const cutFromMs = Number.isFinite(startedMs) && startedMs <= finishedMs ? startedMs : finishedMs;
  const boundMs = localMs(bound);
  if (!Number.isFinite(finishedMs) || !Number.isFinite(boundMs) || boundMs < cutFromMs) return undefined;
  // a transaction of the log read began after the bound: those begun before it are all read
  const lastBegin = lastBeginTime ? exportTimeIso(lastBeginTime) : null;
  if (lastBegin !== null && localMs(lastBegin) > boundMs) return undefined;
  const set = fileAndSet(end.file, end.position > 1 ? end.position : undefined);
  const what = end.kind === 'log' ? 'the last log backup given' : `the ${end.kind} backup whose own log is read last`;
  // wholly after only from the end of the finish second on (a --from during the backup may still hold some of it)
  const beyond = window.from !== undefined && localMs(window.from) >= finishedMs + 999
    ? `the whole window (from ${window.from}${window.to ? ` to ${window.to}` : ''}) is after the end of the log given`
    : window.to === undefined
      ? `the window from ${window.from} (open-ended) runs past the end of the log given`
      : `the window runs to ${window.to} (${names.to}), past the end of the log given`;
  const started = end.started && end.started !== end.finished ? `; begun at ${end.started}` : '';
  return `${beyond}: ${what}, ${set}, finished at ${end.finished} (the SQL Server's local time, to the second${started}; its log ends at LSN ${end.lastLsn}, where it was cut during the backup), and transactions begun after that are in later log backups or the .ldf, in no file given: their rows are not in this result; ${names.add}`;
}

/**
 * The same for an LSN range (`scan --from-lsn/--to-lsn`): the INCOMPLETE sentence when `--to-lsn`
 * (or, without one, `--from-lsn`) is at or past the LastLSN of the backup set the log read ends with
 * (HEADERONLY LastLSN: the first LSN that set does not hold), else undefined. LSNs are exact, so no
 * margin: `--to-lsn 00000019:000000a0:0001` over RestoreTimeClean_1.trn (LastLSN 00000019:00000099:0001)
 * asks for log that is in _2.trn.
 */
export function lsnRangePastLogEndClause(range: { fromLsn: Lsn | null; toLsn: Lsn | null }, end: LogReadEnd | null | undefined, add = 'add the log backups taken after it with --trn (or the .ldf with --ldf)'): string | undefined {
  if (!end) return undefined;
  const bound = range.toLsn ?? range.fromLsn;
  if (!bound) return undefined;
  const last = parseLsn(end.lastLsn);
  if (compareLsn(bound, last) < 0) return undefined;
  const set = fileAndSet(end.file, end.position > 1 ? end.position : undefined);
  const what = end.kind === 'log' ? 'the last log backup given' : `the ${end.kind} backup whose own log is read last`;
  const beyond = range.toLsn === null || (range.fromLsn !== null && compareLsn(range.fromLsn, last) >= 0)
    ? `the whole LSN range (from ${formatLsn(range.fromLsn ?? bound)}${range.toLsn ? ` to ${formatLsn(range.toLsn)}` : ''}) is past the end of the log given`
    : `the LSN range runs to ${formatLsn(range.toLsn!)} (--to-lsn), past the end of the log given`;
  return `${beyond}: ${what}, ${set}, holds the log up to LSN ${end.lastLsn} (its LastLSN, the first LSN it does not hold), and the log from there is in later log backups or the .ldf, in no file given: rows of that stretch are not in this result; ${add}`;
}

/**
 * What a `scan --export FILE` asks for beyond what the export holds, as INCOMPLETE sentences (none
 * when it asks for nothing more). sql/export-log-records.sql exports the transactions that began in
 * its window (and those whose begin it did not read), and of their row operations only those of its
 * @Operations (deletes and inserts each bring the other, for pairing): its header keeps both
 * (`window.from`/`window.to` in fn_dblog's text form, `operations` as typed). A scan whose
 * `--from` is before the export's window start or whose `--to` is after its end, or that asks for an
 * operation the export left out (`--op update` of a delete export), printed "0 row(s) recovered"
 * (`it holds no updates on table data rows`) or the rows of the export's window as the whole answer.
 * `filter`: the scan's bounds (ISO, as parseWindowTime returns them) and operations; `header`: the
 * export's (ExportHeader); `file`: named in the sentences; `names`: the bounds as the caller names
 * them (a job's fields `from`/`to`). A header without a window or operations
 * (an older or hand-made export) is taken to hold everything. Also said: a `--to` (or lone `--from`)
 * after the header's `exportedAt` (the export cannot hold what began after it ran; a bound between
 * fn_dblog's read and exportedAt, seconds apart, is not told).
 * From the header's `logRead` (version 2: where the log the script read begins and ends, of all its
 * transactions): exportLogReadClauses' sentences, after these.
 */
export function exportScopeClauses(filter: { from?: string; to?: string; operations?: readonly string[] }, header: { window: { from: string | null; to: string | null }; operations: string | null; exportedAt?: string | null; serverTimeZone?: string | null; logSource?: string | null; logBackup?: string | null; logBackupSet?: number | null; logRead?: ExportLogRead | null }, file: string, names: { from: string; to: string } = { from: '--from', to: '--to' }): string[] {
  return [...exportWindowClauses(filter, header, file, names), ...exportLogReadClauses(filter, header, file, names)];
}

/** exportScopeClauses' sentences from the header's window, exportedAt and operations. */
function exportWindowClauses(filter: { from?: string; to?: string; operations?: readonly string[] }, header: { window: { from: string | null; to: string | null }; operations: string | null; exportedAt?: string | null; serverTimeZone?: string | null }, file: string, names: { from: string; to: string }): string[] {
  const out: string[] = [];
  // The export holds the log as fn_dblog read it before `exportedAt` (SYSDATETIMEOFFSET() of its
  // final SELECT, `2024-03-05T14:30:12.1234567+01:00`: the server's local time, then its offset): a
  // window whose --to (or lone --from) is after that moment asks for transactions not begun yet when
  // it ran (@To set later than the export's run, a window "until now"), whatever @From/@To say.
  // (a `Z` form, not the script's, is UTC: compared only when the server's zone is UTC)
  const utc = header.exportedAt ? /Z$/i.test(header.exportedAt.trim()) : false;
  const taken = header.exportedAt && (!utc || header.serverTimeZone === '+00:00') ? exportTimeIso(header.exportedAt.trim().replace(/(\.\d{3})\d*/, '$1').replace(/(?:Z|[+-]\d{2}:\d{2})$/i, '')) : null;
  const bound = filter.to ?? filter.from;
  if (taken !== null && bound !== undefined && localMs(bound) > localMs(taken)) {
    const flag = filter.to !== undefined ? names.to : names.from;
    out.push(`the window asked for (${flag} ${bound}) runs past the moment ${file} was exported (exportedAt ${header.exportedAt}, the server's local time): transactions begun after it are not in it, and their rows are not in this result; export again after the window's end`);
  }
  const from = exportTimeIso(header.window.from);
  const to = exportTimeIso(header.window.to);
  // log times are datetime ticks, 1/300 s apart: a bound nearer than 3 ms holds no other tick
  // (`--to 2018-08-28`, ending .999, against an export ending 23:59:59:997, the day's last tick)
  const TICK_MS = 3;
  const before = filter.from !== undefined && from !== null && localMs(from) - localMs(filter.from) >= TICK_MS;
  const after = filter.to !== undefined && to !== null && localMs(filter.to) - localMs(to) >= TICK_MS;
  if (before || after) {
    const asked = [before ? `${names.from} ${filter.from}` : '', after ? `${names.to} ${filter.to}` : ''].filter(Boolean).join(' and ');
    out.push(`the window asked for (${asked}) runs outside the export's own window (${header.window.from ?? 'no start'} to ${header.window.to ?? 'no end'}, the server's local time, as sql/export-log-records.sql's @From/@To took it): transactions that began outside it are not in ${file} and their rows are not in this result; export again with @From/@To covering the window`);
  }
  if (header.operations && filter.operations?.length) {
    const exported = new Set(header.operations.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean));
    // deletes and inserts each bring the other (the script pairs them: a transaction taking its own rows back)
    if (exported.has('delete') || exported.has('insert')) { exported.add('delete'); exported.add('insert'); }
    const missing = filter.operations.filter((o) => !exported.has(o));
    if (missing.length) out.push(`${file} holds the row operations of @Operations '${header.operations}' only: no ${missing.join('/')} was exported, so none can be in this result (it is not that the log holds none); export again with @Operations listing ${missing.join(', ')}`);
  }
  return out;
}

/**
 * What an export's `logRead` (sql/export-log-records.sql version 2: the first/last Begin Time and the
 * last End Time of ALL the transactions in the log it read, before its window) says of a scan's
 * window, as INCOMPLETE sentences (none when the header has no logRead: a version 1 export).
 *
 * - The end, for an export of a log backup (`logSource` fn_dump_dblog, @LogBackup): the backup holds
 *   the log up to where BACKUP LOG cut it, which the header's window (@From/@To) does not tell. Every
 *   transaction begun before that cut is in it (its LOP_BEGIN_XACT with it), so none began after
 *   max(lastBeginTime, lastEndTime) but those of later log: a window whose end — `--to`, else a lone
 *   `--from`, else (no window) the export's own @To — is at or after it asks for transactions the file
 *   cannot hold (`--to 14:59` over a backup taken at 14:30 printed the rows up to 14:30 as the whole
 *   answer). With no transaction in the log read at all, where it ends is not known: said too.
 *   Not for the online log (fn_dblog), which runs to the export's run (exportedAt, judged above).
 * - The start, for either source: the log read begins at some point before its first Begin Time
 *   (a log backup: where the one before it ended; the online log: its last truncation; @StartLsn),
 *   and a transaction begun and ended before that is in no part of it. A window whose start — the
 *   later of `--from` and the export's @From, else whichever there is — is at or before firstBeginTime
 *   may miss them (one begun before it but ended after is said apart, as begun outside the log read).
 * `filter`, `file`, `names` as exportScopeClauses'. Pure.
 */
export function exportLogReadClauses(filter: { from?: string; to?: string }, header: { window: { from: string | null; to: string | null }; logSource?: string | null; logBackup?: string | null; logBackupSet?: number | null; logRead?: ExportLogRead | null }, file: string, names: { from: string; to: string } = { from: '--from', to: '--to' }): string[] {
  const read = header.logRead;
  if (!read) return [];
  const out: string[] = [];
  const backup = header.logSource === 'fn_dump_dblog';
  const what = backup
    ? `the log backup ${fileAndSet(header.logBackup ?? '(not named)', header.logBackupSet && header.logBackupSet > 1 ? header.logBackupSet : undefined)} that sql/export-log-records.sql read for ${file} (@LogBackup, fn_dump_dblog)`
    : `the online log that sql/export-log-records.sql read for ${file} (fn_dblog)`;
  const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : localMs(a) >= localMs(b) ? a : b);
  // the end: a log backup's (the online log runs to the export's run: exportedAt)
  const windowTo = exportTimeIso(header.window.to);
  const end = filter.to !== undefined ? { at: filter.to, said: `${names.to} ${filter.to}` } : filter.from !== undefined ? { at: filter.from, said: `${names.from} ${filter.from}, open-ended` } : windowTo !== null ? { at: windowTo, said: `no ${names.to}: the export's own @To, ${header.window.to}` } : null;
  if (backup && end) {
    const lastBegin = exportTimeIso(read.lastBeginTime);
    const lastEnd = exportTimeIso(read.lastEndTime);
    const last = later(lastBegin, lastEnd);
    if (last === null) {
      out.push(`the window asked for (${end.said}) cannot be checked against the end of ${what}: it holds no transaction record, so where its log ends in time is not known, and transactions of the window may be in the log backups before or after it, not in ${file}: their rows are not in this result; export from the log backups of the window's time (@LogBackup), or from the online log (@LogBackup = NULL)`);
    } else if (localMs(end.at) >= localMs(last)) {
      const whenText = last === lastBegin ? `its last transaction began at ${lastBegin}` : `its last transaction record ended at ${lastEnd}`;
      out.push(`the window asked for (${end.said}) runs past the end of ${what}: ${whenText} (the server's local time${read.lastLsn ? `; its last transaction record is at LSN ${read.lastLsn}` : ''}), and transactions begun after that are in the log backups taken after it or the online log, not in ${file}: their rows are not in this result; export again from the next log backup too (@LogBackup), or from the online log (@LogBackup = NULL)`);
    }
  }
  // the start, either source
  const windowFrom = exportTimeIso(header.window.from);
  const startAt = later(filter.from ?? null, windowFrom);
  if (startAt !== null) {
    const said = filter.from !== undefined && startAt === filter.from ? `${names.from} ${filter.from}` : `${filter.from === undefined ? `no ${names.from}: ` : ''}the export's own @From, ${header.window.from}`;
    const firstBegin = exportTimeIso(read.firstBeginTime);
    // a commit or abort read before the first begin (of a transaction begun before the read): the
    // log read reaches back at least to it, and every transaction begun since has its begin in it
    // (as windowBeforeLogStartClause judges an .ldf)
    const firstEnd = exportTimeIso(read.firstEndTime ?? null);
    const startMs = minOf([firstBegin, firstEnd].filter((t): t is string => t !== null).map(localMs));
    const advice = backup ? 'export again from the log backup before it too (@LogBackup), or start the window later' : 'export from the log backups of that time (@LogBackup), or start the window later';
    if (firstBegin === null) {
      out.push(`the window asked for (${said}) cannot be checked against the start of ${what}: it holds no transaction begin, so where its log begins in time is not known, and transactions of the window begun and ended before it are not in ${file}: their rows are not in this result; ${advice}`);
    } else if (localMs(startAt) < startMs && localMs(startAt) <= datetimeTickBefore(startMs)) {
      // Begin and End Times are datetime ticks (.570, .573 …): a window starting after the tick
      // before the log read's first time asks for nothing before it (it said INCOMPLETE of a window
      // starting at the first begin itself)
      out.push(`the window asked for (${said}) starts before ${what} is known to begin: ${firstEnd !== null && localMs(firstEnd) < localMs(firstBegin) ? `its earliest time is ${firstEnd}, the end of a transaction begun before it (its first transaction began at ${firstBegin})` : `its first transaction began at ${firstBegin}`} (the server's local time${read.firstLsn ? `; its first transaction record is at LSN ${read.firstLsn}` : ''}), and transactions begun and ended before its log starts are in earlier log, not in ${file}: their rows are not in this result; ${advice}`);
    }
  }
  return out;
}
