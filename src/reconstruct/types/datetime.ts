import { readI16, readI32, readU16, readU32, readUIntLE } from './integer.js';

/**
 * Date and time types (uncompressed storage):
 *  - date: 3-byte unsigned LE day number since 0001-01-01.
 *  - time(n): LE unsigned count of 10^-n second units since midnight, 3 bytes (n 0–2), 4 (3–4), 5 (5–7).
 *  - datetime2(n): time(n) bytes then the 3-byte date.
 *  - datetimeoffset(n): datetime2(n) in UTC then a signed 16-bit offset in minutes; shown as local time + offset.
 *  - datetime: u32 ticks of 1/300 s since midnight, then i32 days since 1900-01-01.
 *  - smalldatetime: u16 minutes since midnight, then u16 days since 1900-01-01.
 * Sources: OrcaMDF SqlDate/SqlTime/SqlDateTime/SqlSmallDateTime; vectors in
 * text-examples/orcamdf-column-value-vectors.json, lc-datetime2-scale0-7.json, lc-fixed-types.json.
 *
 * Output: `YYYY-MM-DD`, `HH:MM:SS[.f{n}]`, `YYYY-MM-DDTHH:MM:SS[.f…]`, `…±HH:MM`.
 * datetime shows 3 fraction digits rounded from 1/300 s ticks as SQL Server prints them
 * (.000/.003/.007); smalldatetime shows no fraction (its seconds are always 00).
 */

/** 0001-01-01 relative to 1970-01-01, in days. */
const DAY0001_TO_EPOCH = -719162;
/** 1900-01-01 relative to 1970-01-01, in days. */
const DAY1900_TO_EPOCH = -25567;

const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

function pad4(n: number): string {
  return n >= 1000 ? String(n) : n >= 100 ? '0' + n : n >= 10 ? '00' + n : '000' + n;
}

/**
 * A direct-mapped cache of formatted days: rows of one stream share few dates, and formatting a
 * date is the costliest part of a datetime2. Caching is safe: the mapping day → text never changes.
 */
const DAY_CACHE_SIZE = 1024;
const dayCacheKey = new Float64Array(DAY_CACHE_SIZE).fill(NaN);
const dayCacheText: string[] = new Array<string>(DAY_CACHE_SIZE).fill('');

/** Civil date of a day number relative to 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil inverse). */
export function formatEpochDay(z: number): string {
  const slot = z & (DAY_CACHE_SIZE - 1);
  if (dayCacheKey[slot] === z) return dayCacheText[slot];
  const text = formatEpochDayUncached(z);
  dayCacheKey[slot] = z;
  dayCacheText[slot] = text;
  return text;
}

function formatEpochDayUncached(z: number): string {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return pad4(y) + '-' + TWO[m] + '-' + TWO[d];
}

/** Day number relative to 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
export function epochDayOf(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Bytes of time(n) / the time part of datetime2(n) and datetimeoffset(n). */
export function timeStorageLength(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000];

/**
 * A direct-mapped cache of `HH:MM:SS` and `HH:MM:SS.` by second of the day (same idea as the day
 * cache): building the text from numbers costs more than the rest of a time value.
 */
const HMS_CACHE_SIZE = 4096;
const hmsCacheKey = new Int32Array(HMS_CACHE_SIZE).fill(-1);
const hmsCacheText: string[] = new Array<string>(HMS_CACHE_SIZE).fill('');
const hmsCacheTextDot: string[] = new Array<string>(HMS_CACHE_SIZE).fill('');

/** Slot of second `secs` (0 … 86399) in the time-of-day cache, filled on a miss. */
function hmsSlot(secs: number): number {
  const slot = secs & (HMS_CACHE_SIZE - 1);
  if (hmsCacheKey[slot] !== secs) {
    const h = Math.floor(secs / 3600);
    const rest = secs - h * 3600;
    const mi = Math.floor(rest / 60);
    const text = TWO[h] + ':' + TWO[mi] + ':' + TWO[rest - mi * 60];
    hmsCacheKey[slot] = secs;
    hmsCacheText[slot] = text;
    hmsCacheTextDot[slot] = text + '.';
  }
  return slot;
}

/** The `scale` fraction digits of `frac` (0 ≤ frac < 10^scale), zero-padded on the left. */
function fractionDigits(frac: number, scale: number): string {
  const f = String(frac);
  return f.length < scale ? '0000000'.slice(0, scale - f.length) + f : f;
}

/** `HH:MM:SS[.fff…]` from a count of 10^-scale units since midnight; null when ≥ 24 h. */
export function formatTimeUnits(units: number, scale: number): string | null {
  const per = POW10[scale];
  const secs = Math.floor(units / per);
  if (secs >= 86400) return null;
  const slot = hmsSlot(secs);
  if (scale === 0) return hmsCacheText[slot];
  return hmsCacheTextDot[slot] + fractionDigits(units - secs * per, scale);
}

/** `YYYY-MM-DDT` of a day number relative to 1970-01-01 (a direct-mapped cache like the day cache). */
const dayTCacheKey = new Float64Array(DAY_CACHE_SIZE).fill(NaN);
const dayTCacheText: string[] = new Array<string>(DAY_CACHE_SIZE).fill('');
function formatEpochDayT(z: number): string {
  const slot = z & (DAY_CACHE_SIZE - 1);
  if (dayTCacheKey[slot] === z) return dayTCacheText[slot];
  const text = formatEpochDay(z) + 'T';
  dayTCacheKey[slot] = z;
  dayTCacheText[slot] = text;
  return text;
}

/** Last valid day number of date/datetime2 (9999-12-31 since 0001-01-01). */
export const MAX_DATE_DAY = 3652058;

/** date at `o`; null past 9999-12-31. */
export function decodeDate(b: Uint8Array, o: number): string | null {
  const day = readUIntLE(b, o, 3);
  return day > MAX_DATE_DAY ? null : formatEpochDay(day + DAY0001_TO_EPOCH);
}

/** time(scale) at `o`; null when the stored value is not a valid time of day. */
export function decodeTime(b: Uint8Array, o: number, scale: number): string | null {
  return formatTimeUnits(readUIntLE(b, o, timeStorageLength(scale)), scale);
}

/** The little-endian unsigned time units of `tl` (3, 4 or 5) bytes at `o`: readUIntLE unrolled (exact: below 2^40). */
function timeUnits(b: Uint8Array, o: number, tl: number): number {
  const low = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
  return tl === 3 ? low : tl === 4 ? low + b[o + 3] * 16777216 : low + b[o + 3] * 16777216 + b[o + 4] * 4294967296;
}

export function decodeDatetime2(b: Uint8Array, o: number, scale: number): string | null {
  const tl = timeStorageLength(scale);
  const units = timeUnits(b, o, tl);
  const day = b[o + tl] | (b[o + tl + 1] << 8) | (b[o + tl + 2] << 16);
  const per = POW10[scale];
  const secs = Math.floor(units / per);
  if (secs >= 86400 || day > MAX_DATE_DAY) return null;
  // Two cached pieces and the fraction: `YYYY-MM-DDT` + `HH:MM:SS.` + `fffffff`.
  const slot = hmsSlot(secs);
  const dt = formatEpochDayT(day + DAY0001_TO_EPOCH);
  if (scale === 0) return dt + hmsCacheText[slot];
  return dt + hmsCacheTextDot[slot] + fractionDigits(units - secs * per, scale);
}

export function decodeDatetimeoffset(b: Uint8Array, o: number, scale: number): string | null {
  const tl = timeStorageLength(scale);
  const offsetMin = readI16(b, o + tl + 3);
  if (offsetMin < -840 || offsetMin > 840) return null;
  return datetimeoffsetFromUtc(readUIntLE(b, o, tl), readUIntLE(b, o + tl, 3), offsetMin, scale);
}

/** Formats a UTC datetimeoffset (time units, day since 0001-01-01, offset minutes) as local time + offset. */
export function datetimeoffsetFromUtc(units: number, day: number, offsetMin: number, scale: number): string | null {
  const per = POW10[scale];
  const perDay = 86400 * per;
  if (units >= perDay || day > MAX_DATE_DAY) return null;
  let local = units + offsetMin * 60 * per;
  let d = day;
  if (local < 0) {
    local += perDay;
    d -= 1;
  } else if (local >= perDay) {
    local -= perDay;
    d += 1;
  }
  if (d < 0 || d > MAX_DATE_DAY) return null;
  const t = formatTimeUnits(local, scale) as string;
  const a = Math.abs(offsetMin);
  return formatEpochDay(d + DAY0001_TO_EPOCH) + 'T' + t + (offsetMin < 0 ? '-' : '+') + TWO[Math.floor(a / 60)] + ':' + TWO[a % 60];
}

/** Milliseconds shown for 1/300 s ticks (SQL Server rounds to .000/.003/.007). */
export function datetimeTicksToMs(ticks: number): number {
  return Math.round((ticks * 10) / 3);
}

/** datetime from its two parts; null when the ticks exceed a day or the date leaves 1753–9999. */
export function formatDatetime(days1900: number, ticks: number): string | null {
  if (ticks > 25919999 || days1900 < -53690 || days1900 > 2958463) return null;
  const ms = datetimeTicksToMs(ticks);
  let secs = Math.floor(ms / 1000);
  const frac = ms - secs * 1000;
  const h = Math.floor(secs / 3600);
  secs -= h * 3600;
  const mi = Math.floor(secs / 60);
  return (
    formatEpochDay(days1900 + DAY1900_TO_EPOCH) + 'T' + TWO[h] + ':' + TWO[mi] + ':' + TWO[secs - mi * 60] + '.' +
    (frac < 10 ? '00' : frac < 100 ? '0' : '') + frac
  );
}

export function decodeDatetime(b: Uint8Array, o: number): string | null {
  return formatDatetime(readI32(b, o + 4), readU32(b, o));
}

/**
 * smalldatetime: u16 minutes since midnight, then u16 days since 1900-01-01 (OrcaMDF SqlSmallDateTime).
 * Its range is 1900-01-01 through 2079-06-06 (MS Learn "smalldatetime (Transact-SQL)"), and
 * 2079-06-06 is day 65535, so every day count is valid; null only for minutes ≥ 1440. (Day 65378,
 * 2078-12-31, was taken for the end before: valid values of 2079 were refused as out of range.)
 */
export function decodeSmalldatetime(b: Uint8Array, o: number): string | null {
  const minutes = readU16(b, o);
  const days = readU16(b, o + 2);
  if (minutes >= 1440) return null;
  return formatEpochDay(days + DAY1900_TO_EPOCH) + 'T' + TWO[Math.floor(minutes / 60)] + ':' + TWO[minutes % 60] + ':00';
}

export { DAY0001_TO_EPOCH, DAY1900_TO_EPOCH };
