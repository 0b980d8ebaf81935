import { InputError } from '../errors.js';

/**
 * fn_dblog prints LOP_BEGIN_XACT's `Begin Time` and LOP_COMMIT_XACT's `End Time` as
 * nvarchar(24) `yyyy/MM/dd HH:mm:ss:fff` in the *server's local time*, with no zone. rowback
 * carries times as `YYYY-MM-DDTHH:MM:SS.fff` (same clock, no zone) and states the server's
 * UTC offset, fetched live with `DATENAME(TZOFFSET, SYSDATETIMEOFFSET())`, beside them.
 */

const LOG_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}):(\d{3})$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const TZ_OFFSET = /^[+-](?:0\d|1[0-4]):[0-5]\d$/;

/** Strict: exactly `yyyy/MM/dd HH:mm:ss:fff`, a real calendar date; the error quotes the text. */
export function parseBeginTime(text: string, what = 'Begin Time'): string {
  const m = LOG_TIME.exec(text);
  if (!m) throw new InputError('INPUT_BAD_TIME', `${what} '${text}' is not of the form yyyy/MM/dd HH:mm:ss:fff`);
  const [, y, mo, d, h, mi, s, f] = m;
  checkCalendar(text, what, +y, +mo, +d, +h, +mi, +s);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${f}`;
}

/** rowback's `YYYY-MM-DDTHH:MM:SS.fff` → fn_dblog's form, for comparing inside T-SQL. */
export function isoToLogTime(iso: string): string {
  const m = ISO_TIME.exec(iso);
  if (!m) throw new InputError('INPUT_BAD_TIME', `'${iso}' is not of the form YYYY-MM-DDTHH:MM:SS.fff`);
  const [, y, mo, d, h, mi, s, f] = m;
  checkCalendar(iso, 'time', +y, +mo, +d, +h, +mi, +s);
  return `${y}/${mo}/${d} ${h}:${mi}:${s}:${f}`;
}

/**
 * What the offset stated beside log times does not tell: fn_dblog's times are the server's wall
 * clock with no zone, and SYSDATETIMEOFFSET() gives the offset of the moment it runs (Microsoft
 * Learn, SYSDATETIMEOFFSET), so in a zone with daylight saving a log time from the other season was
 * at another offset. Said after the offset in the live and export notes on times.
 */
export const SEASON_CAVEAT = ": the log records no zone, so a time from the other side of a daylight-saving change was at that season's offset, not this one";

/** `+08:00` / `-05:30` as DATENAME(TZOFFSET, …) returns it; anything else is a source error upstream. */
export function isTzOffset(text: string): boolean {
  return TZ_OFFSET.test(text);
}

function checkCalendar(text: string, what: string, y: number, mo: number, d: number, h: number, mi: number, s: number): void {
  const daysInMonth = mo >= 1 && mo <= 12 ? new Date(Date.UTC(y, mo, 0)).getUTCDate() : 0;
  if (y < 1 || daysInMonth === 0 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) {
    throw new InputError('INPUT_BAD_TIME', `${what} '${text}' is not a real date and time`);
  }
}
