/**
 * The date and time decoders against an independent reference (JavaScript's proleptic Gregorian
 * Date for the calendar, BigInt for the units), on SYNTHETIC bytes written from the storage facts
 * (types/datetime.ts; MS Learn date, time, datetime2, datetimeoffset, datetime, smalldatetime):
 * every scale 0–7 (time parts of 3, 4, 5 bytes), the range ends 0001-01-01 / 9999-12-31, the last
 * unit of the day, offsets −14:00…+14:00 crossing midnight and the range ends (refused there),
 * datetime's 1/300-s ticks shown as .000/.003/.007 from 1753 to 9999, smalldatetime to 2079-06-06.
 * Seeded loop (test/support/rng.ts): a failure names a reproducible case.
 */
import { describe, expect, it } from 'vitest';
import { decodeDatetime, decodeDatetime2, decodeDatetimeoffset, decodeSmalldatetime, decodeTime } from '../../../src/reconstruct/types/datetime.js';
import { rng } from '../../support/rng.js';

const pad = (n: number | bigint, w: number): string => String(n).padStart(w, '0');
const base0001 = ((): number => { const d = new Date(0); d.setUTCFullYear(1, 0, 1); return d.getTime(); })();
/** YYYY-MM-DD of a day number since 0001-01-01 (the reference calendar). */
function ymd(days: number): string {
  const d = new Date(base0001 + days * 86400000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}
function hms(units: bigint, scale: number): string {
  const per = 10n ** BigInt(scale);
  const secs = units / per;
  const frac = units % per;
  return `${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}${scale ? '.' + pad(frac, scale) : ''}`;
}
const timeBytes = (s: number): number => (s <= 2 ? 3 : s <= 4 ? 4 : 5);
const DAYS_1900 = 693595; // 1900-01-01 since 0001-01-01
const MAX_DAY = 3652058; // 9999-12-31

describe('date/time decoders = independent reference (SYNTHETIC bytes)', () => {
  it('datetime2(n), time(n), datetimeoffset(n) at every scale', () => {
    const next = rng(2026);
    const b = Buffer.alloc(16);
    for (let k = 0; k < 40000; k++) {
      const scale = k % 8;
      const per = 10n ** BigInt(scale);
      const r = next();
      const days = r < 0.05 ? 0 : r < 0.1 ? MAX_DAY : Math.floor(next() * (MAX_DAY + 1));
      const units = next() < 0.1 ? 86400n * per - 1n : BigInt(Math.floor(next() * 86400)) * per + BigInt(Math.floor(next() * Number(per)));
      const L = timeBytes(scale);
      b.fill(0);
      for (let i = 0; i < L; i++) b[i] = Number((units >> BigInt(8 * i)) & 255n);
      b.writeUIntLE(days, L, 3);
      expect(decodeTime(b, 0, scale)).toBe(hms(units, scale));
      expect(decodeDatetime2(b, 0, scale)).toBe(`${ymd(days)}T${hms(units, scale)}`);
      const off = Math.floor(next() * 1681) - 840;
      b.writeInt16LE(off, L + 3);
      const local = BigInt(days) * 86400n * per + units + BigInt(off) * 60n * per;
      const dayLen = 86400n * per;
      const inRange = local >= 0n && local / dayLen <= BigInt(MAX_DAY);
      const sign = off < 0 ? '-' : '+';
      const want = inRange ? `${ymd(Number(local / dayLen))}T${hms(local % dayLen, scale)}${sign}${pad(Math.floor(Math.abs(off) / 60), 2)}:${pad(Math.abs(off) % 60, 2)}` : null;
      expect(decodeDatetimeoffset(b, 0, scale)).toBe(want);
    }
  });

  it('a time of 24:00:00 or later, a day past 9999-12-31 and an offset past ±14:00 are refused (null)', () => {
    for (let scale = 0; scale <= 7; scale++) {
      const L = timeBytes(scale);
      const b = Buffer.alloc(16);
      b.writeUIntLE(86400 * 10 ** scale, 0, L);
      expect(decodeTime(b, 0, scale)).toBeNull();
      expect(decodeDatetime2(b, 0, scale)).toBeNull();
      b.fill(0);
      b.writeUIntLE(MAX_DAY + 1, L, 3);
      expect(decodeDatetime2(b, 0, scale)).toBeNull();
      b.fill(0);
      b.writeInt16LE(841, L + 3);
      expect(decodeDatetimeoffset(b, 0, scale)).toBeNull();
      b.writeInt16LE(-841, L + 3);
      expect(decodeDatetimeoffset(b, 0, scale)).toBeNull();
    }
  });

  it('datetime: 1/300-s ticks rounded to the millisecond (.000/.003/.007), 1753-01-01 … 9999-12-31', () => {
    const next = rng(300);
    const b = Buffer.alloc(8);
    for (let k = 0; k < 40000; k++) {
      const days = Math.floor(next() * (2958463 + 53690 + 1)) - 53690;
      const ticks = next() < 0.05 ? 25919999 : Math.floor(next() * 25920000);
      b.writeUInt32LE(ticks, 0);
      b.writeInt32LE(days, 4);
      const ms = BigInt(Math.round((ticks * 10) / 3));
      expect(decodeDatetime(b, 0)).toBe(`${ymd(days + DAYS_1900)}T${hms(ms, 3)}`);
      expect(['0', '3', '7']).toContain(String(ms % 10n));
    }
    for (const [days, ticks] of [[-53691, 0], [2958464, 0], [0, 25920000]] as const) {
      b.writeUInt32LE(ticks, 0);
      b.writeInt32LE(days, 4);
      expect(decodeDatetime(b, 0)).toBeNull();
    }
  });

  it('smalldatetime: every day 1900-01-01 … 2079-06-06, minutes < 1440', () => {
    const b = Buffer.alloc(4);
    for (let days = 0; days <= 65535; days += 7) {
      const minutes = (days * 37) % 1440;
      b.writeUInt16LE(minutes, 0);
      b.writeUInt16LE(days, 2);
      expect(decodeSmalldatetime(b, 0)).toBe(`${ymd(days + DAYS_1900)}T${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}:00`);
    }
    b.writeUInt16LE(1439, 0);
    b.writeUInt16LE(65535, 2);
    expect(decodeSmalldatetime(b, 0)).toBe('2079-06-06T23:59:00');
    b.writeUInt16LE(1440, 0);
    expect(decodeSmalldatetime(b, 0)).toBeNull();
  });
});
