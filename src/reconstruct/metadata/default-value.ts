import { SchemaError } from '../../errors.js';
import type { SqlValue } from '../values.js';
import type { ColumnLayout } from './table-layout.js';
import { shortestFloat32 } from '../types/float.js';
import { formatDatetime } from '../types/datetime.js';

/**
 * Whether a default given as text can be turned into the column's value (defaultValueFromText).
 * Not for sql_variant: its value is `{ baseType, value }`, and the text names no base type — a
 * catalog's default_value is CONVERT(nvarchar(4000), …, 1) of it, and a DDL literal's base type
 * follows T-SQL's constant typing (5 int, 5.0 numeric(2,1), '5' varchar(1), N'5' nvarchar), which
 * rowback does not model. Before, a row predating `ADD v sql_variant NOT NULL DEFAULT 5` printed
 * v: "5", a string where every other row of the column prints a variant (its base type int lost).
 * Such a default is left unknown: the row's warning says the value the ADD gave is not known.
 */
export function defaultTextGivesValue(type: ColumnLayout['type']): boolean {
  return type !== 'sql_variant';
}

/**
 * A column default written as text (catalog `default_value`, or a literal DEFAULT in DDL) →
 * the value in rowback's output form for the column's type (README "Types and their output form").
 * Used for rows written before the column was added, which hold no bytes for it.
 * Text that does not fit the type is a SchemaError SCHEMA_BAD_DEFAULT, never a guessed value.
 */
export function defaultValueFromText(raw: string | null | undefined, col: Pick<ColumnLayout, 'name' | 'type' | 'scale'> & Partial<Pick<ColumnLayout, 'maxLength' | 'precision'>>): SqlValue {
  if (raw === null || raw === undefined) return null;
  let text = raw.trim();
  // sys.default_constraints style `((0))` / `(N'x')`.
  while (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim();
  const quoted = /^N?'.*'$/s.test(text);
  if (quoted) text = text.replace(/^N?'/, '').slice(0, -1).replace(/''/g, "'");
  else if (text.toUpperCase() === 'NULL') return null;
  const bad = (): never => {
    throw new SchemaError('SCHEMA_BAD_DEFAULT', `default '${raw}' is not a valid ${col.type} value`, { column: col.name });
  };
  switch (col.type) {
    case 'tinyint': case 'smallint': case 'int': {
      if (!/^[+-]?\d+$/.test(text)) bad();
      // within the type's range: SQL Server refuses the rest (arithmetic overflow), never wraps them
      const [lo, hi] = col.type === 'tinyint' ? [0, 255] : col.type === 'smallint' ? [-32768, 32767] : [-2147483648, 2147483647];
      const v = Number(text);
      if (v < lo || v > hi) bad();
      return v === 0 ? 0 : v;
    }
    case 'bigint': {
      if (!/^[+-]?\d+$/.test(text)) bad();
      const v = BigInt(text);
      if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) bad();
      return v.toString();
    }
    case 'bit': {
      const u = text.toUpperCase();
      if (u === '1' || u === 'TRUE') return true;
      if (u === '0' || u === 'FALSE') return false;
      if (/^[+-]?\d+(\.\d+)?$/.test(u)) return Number(u) !== 0; // any non-zero number converts to 1
      return bad();
    }
    case 'real': case 'float': {
      // sql/table-metadata.sql gives a float/real default as its 8 IEEE-754 bytes, big-endian
      // (CONVERT(varbinary(8), CONVERT(float, v)), as SQL Server converts float to binary): exact.
      // Its text form (CONVERT(nvarchar, v), style 0) has 6 significant digits: 3.14159265358979
      // came out as 3.14159. Number() would read that hex as an integer (4.6e18), so it is parsed here.
      let n: number;
      if (/^0x[0-9a-f]{16}$/i.test(text)) n = Buffer.from(text.slice(2), 'hex').readDoubleBE(0);
      else if (/^0x/i.test(text)) return bad();
      else n = Number(text);
      if (text === '' || !Number.isFinite(n)) bad();
      // real: the float32 the column stores, in the decoder's output form (types/float.ts)
      return col.type === 'real' || col.maxLength === 4 ? shortestFloat32(Math.fround(n)) : n;
    }
    case 'decimal': case 'numeric': case 'money': case 'smallmoney':
      // a money constant's currency symbol, after its sign or before it (`$5`, `-$5`, `£12.50`), and
      // thousands separators, which a money string may carry (CONVERT(money, '1,000.50'))
      {
        const v = fixedScale(text.replace(/^([+-]?)\p{Sc}/u, '$1').replace(/,/g, ''), col.type === 'money' || col.type === 'smallmoney' ? 4 : col.scale) ?? bad();
        // within the type's range (money ±922,337,203,685,477.5807, smallmoney ±214,748.3647,
        // decimal(p,s) p-s integer digits): SQL Server refuses the rest (arithmetic overflow)
        const units = BigInt(v.replace('.', ''));
        const abs = units < 0n ? -units : units;
        if (col.type === 'money' && (units > 9223372036854775807n || units < -9223372036854775808n)) bad();
        if (col.type === 'smallmoney' && (units > 2147483647n || units < -2147483648n)) bad();
        if ((col.type === 'decimal' || col.type === 'numeric') && col.precision !== undefined && col.precision > 0 && abs >= 10n ** BigInt(col.precision)) bad();
        return v;
      }
    case 'date': case 'datetime': case 'smalldatetime': case 'datetime2': case 'datetimeoffset':
      // ISO 8601's basic (unseparated) date, 'YYYYMMDD[ time]', which SQL Server reads the same under
      // every SET DATEFORMAT and language (Microsoft Learn "datetime (Transact-SQL)", "Unseparated
      // string format") and SSMS scripts defaults in: as the separated form. Other forms
      // ('01/02/2020') depend on those settings and stay refused.
      // Only a string: the number 20200101 is no date (datetime reads it as days since 1900).
      if (quoted) text = text.replace(/^(\d{4})(\d{2})(\d{2})(?=$|[ T])/, '$1-$2-$3');
      break;
  }
  // a date or time that is not one (2020-02-30, 25:00, month 13, an offset past 14:00), or outside
  // the type's range (datetime from 1753, smalldatetime 1900-01-01 to 2079-06-06): SQL Server
  // refuses it (out-of-range conversion), never reads it as another
  if (['date', 'datetime', 'smalldatetime', 'datetime2', 'datetimeoffset', 'time'].includes(col.type) && !dateTimeTextValid(text, col.type)) bad();
  switch (col.type) {
    case 'date': {
      // sql/table-metadata.sql gives date defaults as datetime2(7) text (2020-01-01T00:00:00.0000000):
      // a date is that text's day when its time is midnight.
      const m = /^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0{1,7})?)?)?$/.exec(text);
      return m ? m[1] : bad();
    }
    case 'time': {
      const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(text);
      if (!m) return bad();
      try {
        return `${m[1]}:${m[2]}:${m[3]}${fraction(m[4], col.scale)}`;
      } catch {
        return bad();
      }
    }
    case 'datetime': {
      // put on datetime's 1/300-second ticks and printed as the decoder prints a stored datetime
      // (.997, .000 of the next second for .999): the value SQL Server keeps, not the text typed
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,7}))?)?$/.exec(text);
      if (!m) return bad();
      let days = Math.round((Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - Date.UTC(1900, 0, 1)) / 86400000);
      let ticks = (Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0)) * 300 + Math.round(Number(`0.${m[7] ?? '0'}`) * 300);
      if (ticks >= 25920000) { days++; ticks -= 25920000; }
      return formatDatetime(days, ticks) ?? bad();
    }
    case 'smalldatetime': case 'datetime2': case 'datetimeoffset': {
      const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,7}))?)?\s*([+-]\d{2}:\d{2})?$/.exec(text);
      if (!m) return bad();
      const digits = col.type === 'smalldatetime' ? 0 : col.scale;
      if (col.type === 'smalldatetime' && (m[4] ?? '00') !== '00') return bad();
      let frac: string;
      try {
        frac = fraction(col.type === 'smalldatetime' ? undefined : m[5], digits);
      } catch {
        return bad();
      }
      const base = `${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}${frac}`;
      return col.type === 'datetimeoffset' ? `${base}${m[6] ?? '+00:00'}` : base;
    }
    case 'uniqueidentifier':
      if (!/^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(text)) bad();
      return text.replace(/[{}]/g, '').toUpperCase();
    case 'binary': case 'varbinary': case 'image': case 'timestamp': {
      if (!/^0x[0-9a-f]*$/i.test(text)) bad();
      const hex = text.slice(2).toUpperCase();
      // binary(n) holds n bytes, a shorter value padded with zeros, as a stored row of it reads
      // (MS Learn "binary and varbinary": padded; the decoder prints its fixed slot whole)
      const n = col.type === 'binary' ? (col.maxLength ?? 0) : 0;
      return `0x${n > 0 && hex.length < 2 * n ? hex.padEnd(2 * n, '0') : hex}`;
    }
  }
  switch (col.type) {
    case 'char': case 'nchar': {
      // char(n)/nchar(n) hold n characters, a shorter value padded with blanks, as a stored row of it
      // reads (MS Learn "char and varchar": fixed size, padded; the decoder prints its slot whole): a
      // row predating an ADD … char(5) DEFAULT 'ab' reads 'ab   ' in SQL Server. nchar(n): n UTF-16
      // units; char(n): n bytes, so only a default of one-byte characters is padded here.
      const n = col.maxLength === undefined || col.maxLength <= 0 ? 0 : col.type === 'nchar' ? col.maxLength >> 1 : col.maxLength;
      return n > text.length && (col.type === 'nchar' || /^[\x00-\x7f]*$/.test(text)) ? text.padEnd(n, ' ') : text;
    }
    default:
      return text;
  }
}

/**
 * `n` fraction digits. Extra digits are rounded half up: a datetime default arrives as datetime2(7)
 * text (…59.9966667 for the 1/300-s tick SQL Server shows as .997). A carry into the seconds
 * cannot come from a valid datetime tick and is refused by the caller's pattern.
 */
function fraction(digits: string | undefined, n: number): string {
  const d = (digits ?? '').padEnd(n, '0');
  if (d.length <= n) return n > 0 ? `.${d}` : '';
  const kept = d.slice(0, n);
  const roundUp = d.charCodeAt(n) >= 53; // '5'
  if (!roundUp) return n > 0 ? `.${kept}` : '';
  if (n === 0 || /^9+$/.test(kept)) throw new RangeError('fraction rounds into the seconds');
  const up = (BigInt(kept) + 1n).toString().padStart(n, '0');
  return `.${up}`;
}

/** Exact decimal text with exactly `scale` fraction digits (no float round trip); null when not a number. */
function fixedScale(text: string, scale: number): string | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return null;
  const intPart = (m[2] || '0').replace(/^0+(?=\d)/, '');
  const sign = m[1] === '-' && (/[1-9]/.test(intPart) || /[1-9]/.test(frac)) ? '-' : '';
  return scale > 0 ? `${sign}${intPart}.${frac.padEnd(scale, '0')}` : `${sign}${intPart}`;
}

/**
 * Whether the date and time parts of a default's text (`YYYY-MM-DD[ T]hh:mm[:ss[.f]][ ±hh:mm]`, or a
 * time alone for `time`) name a real day and time within `type`'s range. Text of another shape is
 * true here (the caller's pattern refuses it).
 */
function dateTimeTextValid(text: string, type: string): boolean {
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (d) {
    const [y, mo, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    if (mo < 1 || mo > 12 || day < 1) return false;
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (day > [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!) return false;
    if (y < 1 || (type === 'datetime' && y < 1753)) return false;
    const ymd = y * 10000 + mo * 100 + day;
    if (type === 'smalldatetime' && (ymd < 19000101 || ymd > 20790606)) return false;
  }
  const t = /(?:^|[ T])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (t && (Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3] ?? 0) > 59)) return false;
  const o = /([+-])(\d{2}):(\d{2})$/.exec(text);
  if (o && type === 'datetimeoffset' && (Number(o[3]) > 59 || Number(o[2]) * 60 + Number(o[3]) > 14 * 60)) return false;
  return true;
}
