import { InputError } from '../errors.js';
import { isoToLogTime } from '../logreader/begin-time.js';
import { echoInput } from '../util/echo.js';
import { localMs } from '../util/local-time.js';
import { utcOffsetText } from '../util/utc-offset.js';

/**
 * Times in rowback are SQL Server *local* times (fn_dblog's Begin Time has no zone), carried as
 * `YYYY-MM-DDTHH:MM:SS.fff`. Fixed width, so windows compare as strings.
 */

/** fn_dblog's `yyyy/MM/dd HH:mm:ss:fff` → `YYYY-MM-DDTHH:MM:SS.fff` (strict, calendar-checked). */
export { parseBeginTime as beginTimeToIso } from '../logreader/begin-time.js';

const USER_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;
/** fn_dblog's Begin Time form, as rowback's "why no rows" line on stderr prints it: `2018/08/26 21:19:07:573` (`scan --report` writes `YYYY-MM-DDTHH:MM:SS.fff`). */
const FN_DBLOG_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}):(\d{3})$/;

/**
 * A window bound as a user types it (`2017-06-01`, `2017-06-01 12:59`, `2017-06-01T12:59:12.5`),
 * or as fn_dblog and rowback's own "why no rows" line print a Begin Time (`2017/06/01 12:59:12:500`)
 * → `YYYY-MM-DDTHH:MM:SS.fff`. `end` rounds a partial bound up (a `--to` of `12:59` includes 12:59:59.999,
 * of `12:59:12` 12:59:12.999); `stop` (a restore's STOPAT) is a point, a partial one its unit's start.
 *
 * Log times are SQL Server `datetime` values: ticks of 1/300 s, printed to the millisecond as
 * fn_dblog rounds them (`.027` is 8 ticks, 0.0266667 s). Up to 3 fractional digits name a time as
 * printed. More digits (datetime2 text, .NET's `.0266667`) name an instant, which is put on the tick
 * grid exactly: a start takes the first tick at or after it, an end the last tick at or before it,
 * a stop the nearest tick (half up, as CAST(datetime2 AS datetime) and STOPAT round), each returned
 * as that tick is printed. Rounding the fraction to the millisecond instead left out a transaction
 * of `--to …24.0266667` (its own time: .026 < .027) and refused `--from X --to X` as reversed.
 */
export function parseWindowTime(text: string, bound: 'start' | 'end' | 'stop', what = '--from'): string {
  const t = text.trim();
  // a zone after a time (`…T10:00Z`, `… 10:00-0500`), after a date alone (`2018-09-01Z`,
  // `2018-09-01+02:00`: a date's own `-01` is no offset), or named (`… UTC`, `… GMT+2`): the last two
  // were "not a time of the form …", which did not say the zone is what is wrong
  if ((/(Z|[+-]\d{2}:?\d{2})$/i.test(t) && /T|\s/.test(t)) || /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})$/i.test(t) || /\d\s*(UTC|GMT)([+-]\d{1,2}(:?\d{2})?)?$/i.test(t)) {
    throw new InputError('INPUT_BAD_TIME', `${what} '${echoInput(text)}' has a time zone; give the SQL Server's local time without one (log times carry no zone): convert it to the server's time zone first`);
  }
  const m = USER_TIME.exec(t) ?? FN_DBLOG_TIME.exec(t);
  if (!m) throw new InputError('INPUT_BAD_TIME', `${what} '${echoInput(text)}' is not a time of the form YYYY-MM-DD[THH:MM[:SS[.fffffff]]] (the year first, a space for T; or fn_dblog's yyyy/MM/dd HH:mm:ss:fff)`);
  const [, y, mo, d, h, mi, s, f] = m;
  const upper = bound === 'end';
  const hh = h ?? (upper ? '23' : '00');
  const mm = mi ?? (upper ? '59' : '00');
  const ss = s ?? (upper ? '59' : '00');
  // A bound covers what its precision names: `--to` to the day, minute or second ends at that
  // unit's last millisecond (log times are printed to the millisecond); a fraction is a point in time.
  const frac = f === undefined ? (upper ? '999' : '000') : f.length >= 3 ? f.slice(0, 3) : f.padEnd(3, '0');
  const iso = `${y}-${mo}-${d}T${hh}:${mm}:${ss}.${frac}`;
  try {
    isoToLogTime(iso); // the same calendar check the log times get
  } catch {
    throw new InputError('INPUT_BAD_TIME', `${what} '${echoInput(text)}' is not a real date and time`);
  }
  if (f === undefined || f.length <= 3) return iso;
  // Finer than milliseconds: the instant, on the tick grid the log's datetime values lie on.
  const ticks = onTickGrid(f, bound === 'start' ? 'up' : bound === 'end' ? 'down' : 'nearest');
  const at = new Date(0);
  at.setUTCFullYear(Number(y), Number(mo) - 1, Number(d)); // not Date.UTC, which reads years 0–99 as 1900–1999
  at.setUTCHours(Number(hh), Number(mm), Number(ss), 0);
  const out = new Date(at.getTime() + tickMilliseconds(ticks));
  // a start after 9999-12-31 23:59:59.997, the last datetime: after every log time all the same
  if (out.getUTCFullYear() > 9999) return '9999-12-31T23:59:59.999';
  return `${String(out.getUTCFullYear()).padStart(4, '0')}${out.toISOString().slice(out.toISOString().indexOf('-', 1), 23)}`;
}

/** datetime's ticks per second (1/300 s each). */
const TICKS_PER_SECOND = 300;

/**
 * The tick (0…300; 300 is the next second's first) of a fraction of a second given as its digits
 * (up to 7, datetime2's 100 ns units), compared as SQL Server compares a datetime with a datetime2:
 * the tick as datetime2(7) (CAST: 8 ticks are .0266667). `up`: the first tick at or after it
 * (`.0266667` → 8, `.0267` → 9), `down`: the last at or before it (`.0266667` → 8, `.0266` → 7),
 * `nearest`: half up, as CAST(datetime2 AS datetime) and STOPAT round (`.0249` → 7).
 */
function onTickGrid(digits: string, how: 'up' | 'down' | 'nearest'): number {
  const units = Number(digits.padEnd(7, '0')); // 100 ns units, 0…9,999,999
  const asUnits = (t: number) => Math.round((t * 100_000) / 3); // never a tie: t·10^5/3 is whole or ends in .33…/.66…
  const near = Math.floor((units * 3) / 100_000);
  if (how === 'nearest') return Math.floor((units * 3) / 100_000 + 0.5);
  const around = [near - 1, near, near + 1, near + 2].filter((t) => t >= 0 && t <= TICKS_PER_SECOND);
  return how === 'up' ? around.find((t) => asUnits(t) >= units)! : around.reverse().find((t) => asUnits(t) <= units)!;
}

/** A tick's milliseconds as fn_dblog prints them (ticks × 10 / 3, rounded; formatSqlDateTime). */
function tickMilliseconds(ticks: number): number {
  return ticks >= TICKS_PER_SECOND ? 1000 : Math.round((ticks * 10) / 3);
}

/**
 * A window bound as an exact instant, for telling a window given in reverse from one that merely
 * holds no log time: `YYYY-MM-DDTHH:MM:SS.fffffff` (7 digits; a bound without a fraction at its
 * unit's first or last instant). Undefined for text parseWindowTime refuses.
 */
function typedInstant(text: string, bound: 'start' | 'end'): string | undefined {
  const t = text.trim();
  const m = USER_TIME.exec(t) ?? FN_DBLOG_TIME.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, f] = m;
  const end = bound === 'end';
  const frac = f === undefined ? (end ? '9999999' : '0000000') : f.padEnd(7, '0');
  return `${y}-${mo}-${d}T${h ?? (end ? '23' : '00')}:${mi ?? (end ? '59' : '00')}:${s ?? (end ? '59' : '00')}.${frac}`;
}

/**
 * The refusal of a window whose start, as parseWindowTime put it on the log's times, is after its
 * end: INPUT_BAD_WINDOW naming both (`field`: where the end was given). Given in order but with no
 * log time between them (`--from …24.0271 --to …24.0275`: datetime has .027, then .030), it says
 * that, not that the start is after the end (which named bounds the user did not type). Nothing
 * when the window is in order.
 */
export function assertWindowInOrder(
  from: { name: string; text: string; iso: string },
  to: { name: string; text: string; iso: string },
  field?: string,
): void {
  if (from.iso <= to.iso) return;
  const a = typedInstant(from.text, 'start');
  const b = typedInstant(to.text, 'end');
  const location = field === undefined ? {} : { field };
  if (a !== undefined && b !== undefined && a <= b) {
    throw new InputError('INPUT_BAD_WINDOW', `${from.name} '${echoInput(from.text)}' to ${to.name} '${echoInput(to.text)}' holds no time a log can carry: log times are SQL Server datetime values, in steps of 1/300 second (printed .000, .003, .007, .010, …), and none lies between them (the nearest are ${to.iso} and ${from.iso}); widen the window`, location);
  }
  throw new InputError('INPUT_BAD_WINDOW', `${from.name} ${from.iso} is after ${to.name} ${to.iso}`, location);
}

/**
 * The minutes a zone is ahead of UTC at `at` (e.g. 60 for Europe/Berlin in winter), from Intl:
 * the zone's wall clock read back as if it were UTC, minus the instant (to the second).
 * `timeZone` is an IANA name; Intl throws RangeError for one it does not know. Any year: Intl
 * names a year before 1 as `1 BC` (year 0), and a year 0–99 is that year, not Date.UTC's 1900–1999
 * (`--from 0001-01-01` was warned to 'not exist in UTC: the clocks went forward from 1902-01-01
 * 00:00 to 1901-01-01 00:00 (UTC+16663800:00 …)', the day before it read as 1901 years off).
 */
export function zoneOffsetMinutes(timeZone: string, at: Date = new Date()): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', era: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at).map((p) => [p.type, p.value]));
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const wallDate = new Date(0);
  wallDate.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  wallDate.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return Math.round((wallDate.getTime() - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * What is wrong with a local wall-clock time in a zone that changes its offset (daylight saving):
 * - `ambiguous`: the time happened twice (the autumn fold, clocks set back): `instants` are both,
 *   as UTC ISO strings, earlier first, with the zone's offset then (minutes ahead of UTC);
 * - `gap`: the time never happened (the spring gap, clocks set forward): `from`/`to` are the local
 *   wall-clock times the clocks jumped between (`HH:MM`; `YYYY-MM-DD HH:MM` when the jump crosses
 *   midnight), with the offsets before and after.
 */
export type LocalTimeProblem =
  | { kind: 'ambiguous'; instants: [{ utc: string; offsetMinutes: number }, { utc: string; offsetMinutes: number }] }
  | { kind: 'gap'; from: string; to: string; offsetBefore: number; offsetAfter: number };

/**
 * Whether the local time `iso` (`YYYY-MM-DDTHH:MM:SS.fff`, as parseWindowTime returns it) is
 * ambiguous or does not exist in `timeZone` (an IANA name; Intl's RangeError for an unknown one).
 * Undefined when it names exactly one instant. Offsets come from Intl (the ICU time zone data);
 * transitions are looked for within a day of the time (no zone changes its offset twice in two days).
 */
export function localTimeProblem(iso: string, timeZone: string): LocalTimeProblem | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(iso);
  if (!m) throw new RangeError(`localTimeProblem: '${iso}' is not YYYY-MM-DDTHH:MM:SS.fff`);
  const wall = localMs(iso);
  const day = 86_400_000;
  const before = zoneOffsetMinutes(timeZone, new Date(wall - day));
  const after = zoneOffsetMinutes(timeZone, new Date(wall + day));
  if (before === after) return undefined;
  // the instants that read as `wall` in the zone: one per offset that holds at that instant
  const valid = [before, after].filter((o) => zoneOffsetMinutes(timeZone, new Date(wall - o * 60_000)) === o);
  if (valid.length === 1) return undefined;
  if (valid.length === 2) {
    const [a, b] = valid.map((o) => ({ utc: new Date(wall - o * 60_000).toISOString(), offsetMinutes: o })).sort((x, y) => (x.utc < y.utc ? -1 : 1));
    return { kind: 'ambiguous', instants: [a!, b!] };
  }
  // a gap: the transition instant, to the minute, by bisection between a day before and a day after
  let lo = wall - day;
  let hi = wall + day;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (zoneOffsetMinutes(timeZone, new Date(mid)) === before) lo = mid;
    else hi = mid;
  }
  const fromMs = hi + before * 60_000;
  const toMs = hi + after * 60_000;
  // `HH:MM`, with the dates when the jump crosses midnight (Pacific/Apia skipped 2011-12-30 whole)
  const oneDay = new Date(fromMs).toISOString().slice(0, 10) === new Date(toMs).toISOString().slice(0, 10);
  const text = (ms: number) => new Date(ms).toISOString().slice(oneDay ? 11 : 0, 16).replace('T', ' ');
  return { kind: 'gap', from: text(fromMs), to: text(toMs), offsetBefore: before, offsetAfter: after };
}

/**
 * The one-line warning for a window bound (`--from`/`--to`) whose local time is ambiguous or does
 * not exist in `timeZone` (localTimeProblem), naming the value as given, the zone, and the two
 * instants or the gap; undefined when the time is one instant. `iso` is parseWindowTime's result for
 * `text`. Log times are the SQL Server's local time with no zone, so a window or a stop compares them
 * as written: it cannot tell the two passes of a fold apart, and no log time falls in a gap.
 */
export function windowTimeWarning(what: string, text: string, iso: string, timeZone: string): string | undefined {
  const p = localTimeProblem(iso, timeZone);
  if (!p) return undefined;
  const utcOffset = (o: number) => `UTC${utcOffsetText(o)}`;
  const value = `${what} '${echoInput(text)}'`;
  if (p.kind === 'ambiguous') {
    const [a, b] = p.instants;
    return `${value} is ambiguous in ${timeZone}: the clocks went back that night, so ${iso.slice(11, 16)} happened twice, at ${a.utc} (${utcOffset(a.offsetMinutes)}) and at ${b.utc} (${utcOffset(b.offsetMinutes)}); log times carry no zone, so they are compared with it as written and the two cannot be told apart`;
  }
  return `${value} does not exist in ${timeZone}: the clocks went forward from ${p.from} to ${p.to} that night (${utcOffset(p.offsetBefore)} to ${utcOffset(p.offsetAfter)}), so no log time falls in that gap; log times are compared with it as written`;
}

/**
 * windowTimeWarning for several time options at once, each sentence closed by which zone it was
 * judged in: `(Europe/Berlin is ${whose} time zone, TZ; the SQL Server's may differ)`. `times`:
 * [name as the user gave it (a flag, a field), text as given, which end of a range a date alone
 * stands for]; those not given and text that does not parse (refused by its command on its own)
 * are passed over. `timeZone`: default Intl's resolved zone (TZ). The SQL Server's zone is not in
 * the files, so only the zone rowback runs in is known. Pure but for reading the default zone.
 */
export function localTimeWarnings(
  times: ReadonlyArray<readonly [name: string, text: string | undefined | null, bound: 'start' | 'end']>,
  whose: string,
  zone?: string,
): string[] {
  const out: string[] = [];
  // No time given (most commands, most scans): the zone is not asked for. Intl's first use costs a
  // process 20–30 ms of CPU (its zone data), every command calls this, and none else needed Intl.
  if (!times.some(([, text]) => text)) return out;
  const timeZone = zone ?? runningTimeZone();
  // a zone Intl does not know (TZ set empty: 'Etc/Unknown') gives no warning, never an error
  if (!timeZone || !knownTimeZone(timeZone)) return out;
  for (const [name, text, bound] of times) {
    if (!text) continue;
    let iso: string;
    try {
      iso = parseWindowTime(text, bound, name);
    } catch {
      continue;
    }
    const w = windowTimeWarning(name, text, iso, timeZone);
    if (w) out.push(`${w} (${timeZone} is ${whose} time zone, TZ; the SQL Server's may differ)`);
  }
  return out;
}

/** Whether Intl can compute offsets in `timeZone` (an IANA name or an offset it accepts). */
export function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone this process runs in (TZ) as Intl names it, or undefined when Intl cannot use it: with
 * TZ set empty Intl reports 'Etc/Unknown' and throws RangeError for it (every command that warned of
 * a daylight-saving fold died 'INTERNAL: Invalid time zone specified: Etc/Unknown').
 */
export function runningTimeZone(): string | undefined {
  const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return z && knownTimeZone(z) ? z : undefined;
}

export function inWindow(iso: string | null, from?: string, to?: string): boolean {
  if (!from && !to) return true;
  if (iso === null) return false;
  if (from && iso < from) return false;
  if (to && iso > to) return false;
  return true;
}
