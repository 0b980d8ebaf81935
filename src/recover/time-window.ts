import { InputError } from '../errors.js';
import { isoToLogTime } from '../logreader/begin-time.js';
import { echoInput } from '../util/echo.js';

/**
 * Times in rowback are SQL Server *local* times (fn_dblog's Begin Time has no zone), carried as
 * `YYYY-MM-DDTHH:MM:SS.fff`. Fixed width, so windows compare as strings.
 */

/** fn_dblog's `yyyy/MM/dd HH:mm:ss:fff` → `YYYY-MM-DDTHH:MM:SS.fff` (strict, calendar-checked). */
export { parseBeginTime as beginTimeToIso } from '../logreader/begin-time.js';

const USER_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;
/** fn_dblog's Begin Time form, as rowback's "why no rows" line and report print it: `2018/08/26 21:19:07:573`. */
const FN_DBLOG_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}):(\d{3})$/;

/**
 * A window bound as a user types it (`2017-06-01`, `2017-06-01 12:59`, `2017-06-01T12:59:12.5`),
 * or as fn_dblog and rowback's own "why no rows" line print a Begin Time (`2017/06/01 12:59:12:500`)
 * → `YYYY-MM-DDTHH:MM:SS.fff`. `end` rounds a partial bound up (a `--to` of `12:59` includes 12:59:59.999,
 * of `12:59:12` 12:59:12.999); more than 3 fractional digits round a start up and an end down to the millisecond.
 */
export function parseWindowTime(text: string, bound: 'start' | 'end', what = '--from'): string {
  const t = text.trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(t) && /T|\s/.test(t)) {
    throw new InputError('INPUT_BAD_TIME', `${what} '${echoInput(text)}' has a time zone; give the SQL Server's local time without one (log times carry no zone)`);
  }
  const m = USER_TIME.exec(t) ?? FN_DBLOG_TIME.exec(t);
  if (!m) throw new InputError('INPUT_BAD_TIME', `${what} '${echoInput(text)}' is not a time of the form YYYY-MM-DD[THH:MM[:SS[.fff]]] (or fn_dblog's yyyy/MM/dd HH:mm:ss:fff)`);
  const [, y, mo, d, h, mi, s, f] = m;
  const hh = h ?? (bound === 'start' ? '00' : '23');
  const mm = mi ?? (bound === 'start' ? '00' : '59');
  const ss = s ?? (bound === 'start' ? '00' : '59');
  // A bound covers what its precision names: `--to` to the day, minute or second ends at that
  // unit's last millisecond (log times have milliseconds); a fraction is a point in time. Finer
  // than milliseconds (datetime2 text pasted in): the window keeps exactly the log times (ms) it
  // contains, so a start rounds up and an end down (a --from of .0275 must not take .027).
  const frac = f === undefined ? (bound === 'start' ? '000' : '999') : f.length >= 3 ? f.slice(0, 3) : f.padEnd(3, '0');
  const iso = `${y}-${mo}-${d}T${hh}:${mm}:${ss}.${frac}`;
  try {
    isoToLogTime(iso); // the same calendar check the log times get
  } catch {
    throw new InputError('INPUT_BAD_TIME', `${what} '${echoInput(text)}' is not a real date and time`);
  }
  if (bound === 'start' && f !== undefined && /[1-9]/.test(f.slice(3))) {
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm), Number(ss), Number(frac)) + 1;
    return new Date(ms).toISOString().slice(0, 23);
  }
  return iso;
}

export function inWindow(iso: string | null, from?: string, to?: string): boolean {
  if (!from && !to) return true;
  if (iso === null) return false;
  if (from && iso < from) return false;
  if (to && iso > to) return false;
  return true;
}
