/**
 * Date and time values into re-insert parameters (planParam's date, datetime, smalldatetime,
 * datetime2, time and datetimeoffset columns): the fraction a target type holds as written, the
 * 1/300 s tick of a datetime and how the server converts one, the +00:00 of a value without an offset.
 */
import type { SqlValue } from '../reconstruct/values.js';
import { datetimeTicksToMs } from '../reconstruct/types/datetime.js';
import type { TargetColumn } from './target-table.js';
import { ReinsertError } from '../errors.js';
import { bad, declaration, elsewhere, type ParamPlan, type ParamType, type SourceText } from './param-type.js';
import { identifierText } from '../util/identifier-text.js';

export const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
const DTO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?\s?([+-]\d{2}:\d{2})$/;

/**
 * A time value the target column cannot hold as it is: the server rounds it and refuses none
 * (datetime2(0) given '…:00.5' took the next second, smalldatetime given '10:00:31' 10:01, datetime
 * given '.002' .003). A target altered since or another database's table: refused, naming it.
 */
function assertTimeFits(c: TargetColumn, type: ParamType, text: string, frac: string, seconds: string): void {
  const kept = frac.replace(/0+$/, '');
  const round = (why: string) => bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) ${why}: ${text} would go in rounded: ${elsewhere('of finer precision, datetime2(7)')}`);
  if (type.name === 'SmallDateTime') {
    if (seconds !== '00' || kept) throw round('keeps whole minutes');
  } else if (type.name === 'DateTime') {
    // 1/300 s ticks: the text must name its tick exactly (datetimeTickMs)
    if (datetimeTickMs(frac) === null) throw round('keeps 1/300 s ticks (.000, .003, .007, .010 …)');
  } else {
    const scale = (type as { scale?: number }).scale ?? 7;
    if (kept.length > scale) throw round(`keeps ${scale} fractional digit(s) of a second`);
  }
}

/**
 * The milliseconds (0–999) of the datetime tick (1/300 s) a fraction of a second names, or null
 * when it names none. `frac`: the value's fractional digits (0–7, no point). Two writings of a tick
 * are taken, and only they:
 *  - at most 3 digits once trailing zeros go, equal to the tick's milliseconds as SQL Server shows
 *    a datetime (datetimeTicksToMs: .000, .003, .007, .010 … .997; .333 is tick 100), the form
 *    rowback stages a datetime in and the form a datetime converts to datetime2 below compatibility
 *    level 130 (.3330000);
 *  - 4 to 7 digits equal to the tick's exact value rounded to that many digits (.3333333, .0033,
 *    .9966667), the form a datetime converts to datetime2/time under compatibility level 130 and
 *    later (the raw tick, rounded once to the target's scale: Dan Guzman, dbdelta.com "SQL Server
 *    2016 and Azure SQL Database V12 Breaking Change"; dba.stackexchange.com question 302362).
 * Anything else (.002, .0034, .3334999, .999) is not a datetime's value: the server would round it
 * to a tick, another value. Integer arithmetic only.
 */
export function datetimeTickMs(frac: string): number | null {
  const kept = frac.replace(/0+$/, '');
  if (kept.length <= 3) {
    const ms = Number(kept.padEnd(3, '0'));
    const tick = Math.round((ms * 3) / 10);
    return tick < 300 && datetimeTicksToMs(tick) === ms ? ms : null;
  }
  const n = kept.length;
  const units = Number(kept);
  const per = 10 ** n;
  const tick = Math.round((units * 300) / per);
  // tick * 10^n / 300 has a remainder of thirds: never a tie
  return tick < 300 && Math.round((tick * per) / 300) === units ? datetimeTicksToMs(tick) : null;
}

/**
 * Whether a value written without an offset, `frac` its fractional digits, may be a datetime's (a
 * tick's milliseconds, datetimeTickMs, of three digits ending in 3 or 7: a tick that is no whole
 * number of hundredths, such as .333, 1/3 s, or .007) whose value, converted by the server to a
 * type of `scale` > 3 digits, is not its text: .333 of a datetime is .3333333 in a datetime2(7)
 * under compatibility level 130 and later, .3330000 below. A fraction of whole hundredths (.120,
 * .5) is the same value either way; a datetime is staged with three digits (types/datetime.ts).
 */
function mayBeDatetimeTick(frac: string, scale: number): boolean {
  return scale > 3 && /^\d\d[37]$/.test(frac) && datetimeTickMs(frac) !== null;
}

/**
 * A datetime source value (`m`: its DATETIME match; `source.type` 'datetime') into a datetime2 or
 * datetimeoffset column (`type`): sent as a typed datetime parameter (its tick, datetimeTickMs) and
 * converted by the server in the statement, `CONVERT(datetime2(n), @p)`, so the column gets what SQL
 * Server's own conversion of that datetime gives at the target database's compatibility level (the
 * level the statement runs under): a datetime's .333 is 1/3 s (tick 100), which the server converts
 * to .3333333 in a datetime2(7) at level 130 and later and to .3330000 below (the SQL Server 2016
 * / compatibility-level 130 breaking change, datetimeTickMs's sources; a target of 3 digits or
 * fewer gets the same either way), the value ALTER COLUMN
 * datetime → datetime2 gave the table's other rows. Sent as text before, it went in as .3330000
 * whatever the level. A datetimeoffset gets +00:00 (the offset the server gives a value without
 * one). The script's DECLARE @p datetime = '…T10:00:00.333' names the same tick (an ISO 8601
 * datetime literal, read alike under every DATEFORMAT and language), so the script and the run store
 * one value. A column of fewer than 3 fractional digits that cannot hold the tick's milliseconds
 * (.997 into datetime2(2) would round to the next second) is refused (assertTimeFits), as is a
 * fraction that names no tick. @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
function datetimeAsServerConverts(c: TargetColumn, type: ParamType, m: RegExpExecArray): ParamPlan {
  const frac = m[7] ?? '';
  const text = m[0];
  const ms = datetimeTickMs(frac);
  if (ms === null) throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) got ${text}, a datetime column's value whose fraction names no 1/300 s tick: not a datetime's value as rowback stages one: re-insert this row by hand`);
  assertTimeFits(c, type, text, frac, m[6]);
  const f = String(ms).padStart(3, '0');
  return {
    type: { name: 'DateTime' },
    wrap: `CONVERT(${declaration(type)}, @)`,
    value: utcDate(m[1], m[2], m[3], m[4], m[5], m[6], f),
    literal: `'${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${f}'`,
  };
}

/** A Date carrying the value's UTC parts (mssql sends UTC parts by default) plus sub-millisecond digits. */
export function utcDate(y: string, mo: string, d: string, h = '0', mi = '0', s = '0', frac = ''): Date {
  const f = frac.padEnd(7, '0');
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +f.slice(0, 3))) as Date & { nanosecondDelta?: number };
  // tedious adds nanosecondDelta (in seconds) for digits beyond the millisecond (datetime2/time).
  const rest = +f.slice(3);
  if (rest) date.nanosecondDelta = rest / 1e7;
  if (+y < 100) date.setUTCFullYear(+y);
  return date;
}

/**
 * A datetimeoffset column's value: `s` as it is when it names its offset; a date, datetime2 or
 * smalldatetime value (no offset: a column altered datetime2 → datetimeoffset since, a side table)
 * with `+00:00` appended, as SQL Server converts one (Microsoft Learn, datetimeoffset, "Converting
 * string literals to datetimeoffset": DATE + TIME, "The TIMEZONE defaults to +00:00"; DATE only,
 * the time 00:00:00 and +00:00; a datetime2 value assigned to a datetimeoffset keeps its date and
 * time and takes +00:00, database.guide "Convert datetime2 to datetimeoffset", as ALTER COLUMN gave
 * the table's other rows). The digits of the value stay as they are. A datetime source value does
 * not come here (datetimeAsServerConverts: its fraction is a 1/300 s tick, which the server converts
 * by the target's compatibility level). With the source column's type not known, a value that may
 * be a datetime's whose conversion is not its text (mayBeDatetimeTick: .333 into a scale above 3)
 * is refused naming the column (mayBeDatetime). Other text is returned as it is (refused by the caller).
 */
function noOffsetAsUtc(c: TargetColumn, s: string, source?: SourceText): string {
  if (DTO.test(s)) return s;
  const m = DATETIME.exec(DATE.test(s) ? `${s}T00:00:00` : s);
  if (!m) return s;
  const frac = m[7] ?? '';
  if (!sourceTypeKnown(source) && mayBeDatetimeTick(frac, c.scale)) throw mayBeDatetime(c, { name: 'DateTimeOffset', scale: c.scale }, s);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac ? `.${frac}` : ''}+00:00`;
}

/**
 * Whether `source` says what the value's source column was: a date type (SourceText.type), real, or
 * char/varchar/text (a code page: its text converts as written). Not known: no SourceText (a table
 * staged without its layout, or a column of another type sourceTextColumns does not list).
 */
function sourceTypeKnown(source: SourceText | undefined): boolean {
  return source !== undefined && (source.type !== undefined || source.real === true || source.codePage > 0);
}

/**
 * The refusal of a value written without an offset whose source column's type is not known (a
 * table staged without its layout) and which may be a datetime's (mayBeDatetimeTick), into a
 * datetime2 or datetimeoffset column of more than 3 fractional digits: as a datetime2(3) value
 * .333 goes in as .3330000, as a datetime's (1/3 s) the server would give .3333333; which one it
 * is cannot be told.
 */
function mayBeDatetime(c: TargetColumn, type: ParamType, text: string): ReinsertError {
  return bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) got ${text}, a value whose source column type is not known and which may be a datetime's: a datetime's fraction is a 1/300 s tick, which SQL Server converts to ${declaration(type)} by its value (.333 is 1/3 s: .3333333 at database compatibility level 130 and later), not as written (.3330000): re-insert the row into a column of type datetime (a side table, tableMap), or by hand`);
}

/**
 * A date column's value (planParam): `yyyy-mm-dd`, sent as a Date of its UTC parts.
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
export function dateParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>): ParamPlan {
  const m = DATE.exec(String(v));
  if (!m) throw bad(c.name, `column ${identifierText(c.name)} (date) got ${JSON.stringify(v)}`);
  return { type, value: utcDate(m[1], m[2], m[3]), literal: `'${m[0]}'` };
}

/**
 * A datetime/smalldatetime/datetime2 column's value (planParam): a date, or a date and time, within
 * the type's range whose fraction the type holds as written (assertTimeFits); a datetime source value
 * into datetime2 as the server converts it (datetimeAsServerConverts); with the source type not
 * known, a fraction that may be a datetime tick's into a scale above 3 is refused (mayBeDatetime).
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
export function datetimeParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>, source?: SourceText): ParamPlan {
  // a date column's value (a column altered date -> datetime2 since, a side table) is its
  // midnight, as SQL Server converts it: refused 'got "2020-01-01"' before
  const m = DATETIME.exec(DATE.test(String(v)) ? `${String(v)}T00:00:00` : String(v));
  if (!m) throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got ${JSON.stringify(v)}`);
  const frac = m[7] ?? '';
  // datetime begins at 1753-01-01, smalldatetime holds 1900-01-01 to 2079-06-06 23:59: a datetime2
  // value beyond them (a column altered since, a side table) made the script's DECLARE and the
  // run's INSERT fail (out-of-range conversion, Msg 242) with the whole batch, on every resume
  const at = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  const [from, to] = type.name === 'DateTime' ? ['1753-01-01T00:00:00', '9999-12-31T23:59:59'] : type.name === 'SmallDateTime' ? ['1900-01-01T00:00:00', '2079-06-06T23:59:00'] : ['', '~'];
  if (at < from || at > to) throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) holds ${from.replace('T', ' ')} to ${to.replace('T', ' ')}: ${String(v)} does not fit, and its INSERT would fail (out-of-range conversion, Msg 242) with its whole batch: ${elsewhere('of type datetime2')}`);
  // a datetime value into a datetime2 column: the server's own conversion of its 1/300 s tick
  if (type.name === 'DateTime2' && source?.type === 'datetime') return datetimeAsServerConverts(c, type, m);
  if (type.name === 'DateTime2' && !sourceTypeKnown(source) && mayBeDatetimeTick(frac, type.scale)) throw mayBeDatetime(c, type, String(v));
  assertTimeFits(c, type, String(v), frac, m[6]);
  // A datetime / smalldatetime literal takes at most 3 fractional digits: '…T10:00:00.3330000'
  // (a datetime2(7) value) in the script's DECLARE @p datetime failed the script (Msg 241,
  // conversion failed), where the driver's parameter went in. Written as the tick it names
  // (datetimeTickMs), and the driver is handed that same millisecond.
  const f = type.name === 'DateTime' ? String(datetimeTickMs(frac)).padStart(3, '0') : type.name === 'SmallDateTime' ? '' : frac;
  const text = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${f ? '.' + f : ''}`;
  return { type, value: utcDate(m[1], m[2], m[3], m[4], m[5], m[6], f), literal: `'${text}'` };
}

/**
 * A time column's value (planParam): `hh:mm:ss[.fffffff]` of at most the column's scale.
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
export function timeParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>): ParamPlan {
  const m = TIME.exec(String(v));
  if (!m) throw bad(c.name, `column ${identifierText(c.name)} (time) got ${JSON.stringify(v)}`);
  assertTimeFits(c, type, m[0], m[4] ?? '', m[3]);
  return { type, value: utcDate('1970', '01', '01', m[1], m[2], m[3], m[4] ?? ''), literal: `'${m[0]}'` };
}

/**
 * A datetimeoffset column's value (planParam): sent as text the server converts (tedious keeps the
 * instant, not the offset); a value without an offset takes +00:00 (noOffsetAsUtc); a datetime source
 * value as the server converts it (datetimeAsServerConverts).
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
export function datetimeoffsetParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>, source?: SourceText): ParamPlan {
  // a datetime value: the server's own conversion of its 1/300 s tick, +00:00
  const dt = source?.type === 'datetime' ? DATETIME.exec(DATE.test(String(v)) ? `${String(v)}T00:00:00` : String(v)) : null;
  if (dt) return datetimeAsServerConverts(c, type, dt);
  const s = noOffsetAsUtc(c, String(v), source);
  const m = DTO.exec(s);
  if (!m) throw bad(c.name, `column ${identifierText(c.name)} (datetimeoffset) got ${JSON.stringify(v)}`);
  assertTimeFits(c, type, s, m[7] ?? '', m[6]);
  return { type: { name: 'VarChar', length: 40 }, wrap: `CONVERT(${declaration(type)}, @)`, value: s.replace(' +', '+').replace(' -', '-'), literal: `'${s}'` };
}
