import { InputError } from '../errors.js';
import { echoInput } from '../util/echo.js';
import { lsnToDecimal, parseAnyLsn } from '../logreader/lsn.js';
import { parseWindowTime } from '../recover/time-window.js';
import type { RestoreTarget } from './chain.js';

/**
 * A stop point from its two spellings: a time (`YYYY-MM-DD[THH:MM[:SS[.fff]]]`, the SQL Server's
 * local time, RESTORE … STOPAT) or an LSN in any form rowback reads (STOPBEFOREMARK = 'lsn:…',
 * kept as the decimal numeric(25,0) form). `names` are the option or field names used in messages.
 * Throws InputError INPUT_BAD_OPTION unless exactly one is given, INPUT_BAD_TIME / INPUT_BAD_LSN
 * for bad values. A time is rounded as SQL Server rounds STOPAT's datetime (stopTimeAsDatetime).
 */
export function parseStopTarget(o: { stopAt?: string; stopBeforeLsn?: string }, names: { stopAt: string; stopBeforeLsn: string } = { stopAt: '--stop-at', stopBeforeLsn: '--stop-before-lsn' }): RestoreTarget {
  // Neither given: say what a stop point is and how to learn the times the backups reach (a
  // newcomer's first `restore plan --backups DIR` was told only "give exactly one of …", and had no
  // range to pick a time from); both given: say that one is too many.
  if (o.stopAt === undefined && o.stopBeforeLsn === undefined) {
    throw new InputError('INPUT_BAD_OPTION', `a stop point is needed: ${names.stopAt} TIME (the SQL Server's local time, YYYY-MM-DD HH:MM[:SS[.fff]], as the backups' dates are) or ${names.stopBeforeLsn} LSN; a point the backups do not reach is refused naming the range they reach`, { field: names.stopAt });
  }
  if (o.stopAt !== undefined && o.stopBeforeLsn !== undefined) {
    throw new InputError('INPUT_BAD_OPTION', `${names.stopAt} and ${names.stopBeforeLsn} are both given: give exactly one of ${names.stopAt} TIME or ${names.stopBeforeLsn} LSN`, { field: names.stopAt });
  }
  const field = o.stopAt !== undefined ? names.stopAt : names.stopBeforeLsn;
  try {
    if (o.stopAt !== undefined) {
      const time = stopTimeAsDatetime(parseWindowTime(o.stopAt, 'stop', names.stopAt), names.stopAt, o.stopAt);
      // a date alone (its midnight): said as such where a refusal would read it as a time of day (chain.ts zoneHint)
      return /^\s*\d{4}[-/]\d{2}[-/]\d{2}\s*$/.test(o.stopAt) ? { kind: 'time', time, dateOnly: true } : { kind: 'time', time };
    }
    return { kind: 'lsn', lsn: lsnToDecimal(parseAnyLsn(o.stopBeforeLsn!)) };
  } catch (e) {
    if (e instanceof InputError) (e.location as { field?: string }).field ??= field;
    throw e;
  }
}

/**
 * `diff`'s two points (and a restore job's): the later state's stop must not come before the
 * earlier state's, or the rows added between them read as "missing from the later state" and
 * re-inserting them duplicates rows that exist. Compared when both are times or both LSNs.
 * Throws InputError INPUT_BAD_WINDOW naming both, with `field` the later one. Callers skip it when
 * asked to compare them on purpose (the comparison's LSN check then says so, compare.ts).
 */
export function assertStopsInOrder(before: RestoreTarget, after: RestoreTarget, said: { before: string; after: string; field: string; accept: string }): void {
  const reversed = before.kind === 'time' && after.kind === 'time' ? after.time < before.time : before.kind === 'lsn' && after.kind === 'lsn' ? BigInt(after.lsn) < BigInt(before.lsn) : false;
  if (reversed) {
    // `accept`: how the caller compares them on purpose (--accept-older-later, acceptOlderLater: true),
    // named as the refusal of a later backup older than the earlier state names it
    throw new InputError('INPUT_BAD_WINDOW', `${said.after} is before ${said.before}: a comparison lists what the later state lacks, so the later point must be the later one; swap them (to list the rows added between them on purpose, ${said.accept})`, { field: said.field });
  }
}

/**
 * A stop time as RESTORE … STOPAT takes it: STOPAT is a `datetime` (Microsoft Learn, RESTORE
 * arguments: "STOPAT = { 'datetime' | @datetime_var }"), and a datetime holds 1/300-second ticks,
 * so the milliseconds of the text round to .000/.003/.007 (.979 → .980, .995 → .997, .999 → the
 * next second; Microsoft Learn "datetime (Transact-SQL)", "Rounding of datetime fractional second
 * precision"). Commit End Times in the log are datetime ticks too, so a stop compared after this
 * rounding includes exactly the commits a real STOPAT of the same text does.
 * `iso`: `YYYY-MM-DDTHH:MM:SS.fff` (server local time); returns the same form.
 * Throws InputError INPUT_BAD_TIME when the rounded time lies outside datetime's range
 * (1753-01-01T00:00:00.000 to 9999-12-31T23:59:59.997, Microsoft Learn "datetime (Transact-SQL)"),
 * where STOPAT fails its conversion: 9999-12-31T23:59:59.999 rounds past the year 9999 (it printed
 * `+010000-01-01T00:00`), and a year before 1753 is no datetime at all. `typed`: the time as the
 * user gave it, named in that refusal (`.9999` was named as the `.999` it is read as).
 */
export function stopTimeAsDatetime(iso: string, field = '--stop-at', typed?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d, h, mi, sec, f] = m;
  const ticks = Math.round((Number(f) * 3) / 10); // 0..300
  // setUTCFullYear: Date.UTC reads years 0-99 as 1900-1999
  const at = new Date(Date.UTC(2000, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)));
  at.setUTCFullYear(Number(y));
  const whole = at.getTime() + (ticks === 300 ? 1000 : 0);
  const ms = ticks === 300 ? 0 : Math.round((ticks * 10) / 3);
  const year = new Date(whole).getUTCFullYear();
  if (year < 1753 || year > 9999) {
    const named = typed !== undefined && typed.trim() !== iso ? `${echoInput(typed.trim())} (read as ${iso})` : iso;
    throw new InputError('INPUT_BAD_TIME', `${field} ${named} is outside the range of STOPAT's datetime (1753-01-01T00:00:00.000 to 9999-12-31T23:59:59.997, in 1/300-second ticks${year > 9999 ? `: ${iso} rounds to the year 10000` : ''}); RESTORE … STOPAT would refuse it`, { field });
  }
  return `${new Date(whole).toISOString().slice(0, 19)}.${String(ms).padStart(3, '0')}`;
}

/** A target with its time rounded as STOPAT rounds it (stopTimeAsDatetime); LSN targets as they are. */
export function asStopAtTarget(t: RestoreTarget): RestoreTarget {
  return t.kind === 'time' ? { ...t, time: stopTimeAsDatetime(t.time) } : t;
}
