/**
 * Local times as rowback compares them: the SQL Server's local time (Begin Time, End Time, backup
 * dates, a window's bounds) carries no offset, so two of them are compared as if both were UTC.
 * Shared by the ends of the log read (window-past-log.ts, window-before-log.ts).
 */
import { datetimeTicksToMs } from '../reconstruct/types/datetime.js';
import { BRACKETED_NAME_SOURCE } from '../util/identifier-text.js';

export { localMs } from '../util/local-time.js';

/** A log time (fn_dblog form `2024/03/05 14:00:00:000`, an export header's bound as @FromText of sql/export-log-records.sql writes it, or ISO) as ISO local time to the millisecond; null when absent or not a time. */
export function exportTimeIso(text: string | null): string | null {
  if (!text) return null;
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.:](\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '0').padEnd(3, '0')}`;
}

/**
 * The latest datetime tick (as SQL Server shows a datetime: milliseconds .000, .003, .007, .010 …
 * .997, datetimeTicksToMs) before `ms` (a local time read as UTC milliseconds, localMs); `ms` - 1
 * when `ms` is no tick's shown time (then every millisecond before it may hold one).
 */
export function datetimeTickBefore(ms: number): number {
  const m = ((ms % 1000) + 1000) % 1000;
  const tick = Math.round((m * 3) / 10);
  if (tick >= 300 || datetimeTicksToMs(tick) !== m) return ms - 1;
  return tick === 0 ? ms - 1000 + datetimeTicksToMs(299) : ms - m + datetimeTicksToMs(tick - 1);
}

/**
 * The one form of a log time in rowback's own sentences (stderr's note, "why no rows", WARNING and
 * INCOMPLETE lines, --report, a job's notes): `2018-08-28T18:37:18.200`, the SQL Server's local time
 * to the millisecond, no zone, as --from/--to/--stop-at take it and rows' beginTime give it. `t` in
 * any form the log, an export or a header gives (fn_dblog's `2018/08/28 18:37:18:200`, the ISO form
 * with or without milliseconds); text that is no such time is returned as it is. The sentence
 * builders format each log time through it where they write it, so every outlet says one form;
 * isoLogTimesIn, which rewrites finished sentences at some outlets, is the older way and stays a
 * backstop there. Pure.
 */
export function logTimeText(t: string): string {
  return exportTimeIso(t) ?? t;
}

/** fn_dblog's Begin Time / End Time form, `2018/08/26 21:19:07:573` (yyyy/MM/dd HH:mm:ss:fff). */
const FN_DBLOG_TIME = /\b(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}):(\d{3})\b/g;

/**
 * Spans a sentence quotes as they are: a `code` span (T-SQL, a command), a '…' or "…" value, a
 * T-SQL literal N'…' (a file in `DISK = N'…'`: the N before the quote is no word of the sentence),
 * its quote doubled inside ('O''Brien …'), a [name] (its `]` doubled inside, as identifierText writes it:
 * `[a]]2018/08/26 21:19:07:573]` is one name). A '…' value with a lone quote inside reads as
 * ending there: the rest is taken as words.
 */
const QUOTED_SPAN = new RegExp('`[^`\\n]*`|' + String.raw`"(?:[^"\\\n]|\\.)*"|(?:(?<![\w'])|(?<=(?<![\w'])N))'(?:[^'\n]|'')*'(?![\w])|${BRACKETED_NAME_SOURCE}`, 'g');

/**
 * `text` (a sentence rowback writes: a note, a "why no rows" line, a WARNING, an INCOMPLETE line, a
 * job's note or error) with each time in fn_dblog's Begin Time form (`2018/08/26 21:19:07:573`, as
 * the log stores it and LogScanStats keeps it) written `2018-08-26T21:19:07.573`: the one form of
 * rowback's own sentences, of `--from`/`--to`, of rows' beginTime and of `--report` (REPORT_TIMES).
 * The same SQL Server local time, no zone added; only that exact shape is rewritten. Left as they
 * are, being data rather than rowback's words: every occurrence of a string of `keep` (values the
 * user gave: a `--from` typed in fn_dblog's form, a file name), and spans the sentence quotes (a
 * `…` code span such as T-SQL compared inside the server, '…', "…", […]). Pure.
 */
export function isoLogTimesIn(text: string, keep: readonly (string | undefined)[] = []): string {
  FN_DBLOG_TIME.lastIndex = 0;
  if (!FN_DBLOG_TIME.test(text)) return text;
  const kept: [number, number][] = [];
  for (const v of keep) {
    if (!v) continue;
    for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + 1)) kept.push([i, i + v.length]);
  }
  for (const m of text.matchAll(QUOTED_SPAN)) kept.push([m.index, m.index + m[0].length]);
  return text.replace(FN_DBLOG_TIME, (t: string, y: string, mo: string, d: string, h: string, mi: string, s: string, ms: string, at: number) =>
    kept.some(([a, b]) => a <= at && at + t.length <= b) ? t : `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}`);
}
