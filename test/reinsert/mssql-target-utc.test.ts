import tedious from 'tedious';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetPoolConfig } from '../../src/reinsert/mssql-target.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import { type ParamPlan } from '../../src/reinsert/param-type.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * A re-insert target's date and time parameters are JavaScript Dates holding the value in their
 * UTC parts (sql-types.ts utcDate); tedious reads those parts only when the connection's useUTC is
 * true. mssql takes `UseUTC=false` from a connection string, and a target configured on the server
 * (serve's `targets`) reached the driver with it: every date/time value went in shifted by the time
 * zone rowback ran in. Here the planned parameters go through tedious's own encoder with the options
 * MssqlTarget connects with, in a time zone east of UTC (Asia/Kolkata, +05:30), and the bytes are
 * read back. Values SYNTHETIC.
 */

const c = (type: TargetColumn['type'], scale = 0): TargetColumn =>
  ({ name: 'v', type, maxLength: 8, precision: 0, scale, nullable: true, identity: false, computed: false });

const TYPES = (tedious as unknown as { TYPES: Record<string, { validate(v: unknown, coll?: unknown, o?: unknown): unknown; generateParameterData(p: object, o: object): Iterable<Buffer> }> }).TYPES;

/** The bytes tedious sends for a planned parameter under the connection options `options`. */
function wire(p: ParamPlan, options: { useUTC: boolean }): Buffer {
  const t = TYPES[p.type.name];
  const value = t.validate(p.value, undefined, options);
  return Buffer.concat([...t.generateParameterData({ value, ...(p.type as object) }, options)]);
}

function le(b: Buffer, o: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[o + i]!;
  return v;
}

/** datetime2(7) bytes → `YYYY-MM-DDTHH:MM:SS.fffffff` (5 bytes of 100 ns units, 3 of days since 0001-01-01). */
function datetime2Text(b: Buffer): string {
  const units = le(b, 0, 5);
  const day = le(b, 5, 3);
  const date = new Date(Date.UTC(2000, 0, 1) + (day - 730119) * 86400000).toISOString().slice(0, 10);
  const s = Math.floor(units / 1e7);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((x) => String(x).padStart(2, '0')).join(':');
  return `${date}T${hms}.${String(units % 1e7).padStart(7, '0')}`;
}

/** datetime bytes → days since 1900-01-01 and 1/300 s ticks. */
function datetimeParts(b: Buffer): { days: number; ticks: number } {
  return { days: b.readInt32LE(0), ticks: b.readUInt32LE(4) };
}

describe('a re-insert target connects with useUTC on, whatever its connection string says (date/time parameters)', () => {
  const tz = process.env.TZ;
  beforeAll(() => { process.env.TZ = 'Asia/Kolkata'; });
  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('UseUTC=false (and no, 0) in a configured target\'s string is overridden; the rest of the string is kept', () => {
    for (const s of ['UseUTC=false', 'useutc=no', 'UseUTC=0']) {
      const config = targetPoolConfig(`Server=db1,1444;Database=CRM;User Id=u;Password=p;Encrypt=true;${s}`);
      expect(config.options?.useUTC).toBe(true);
      expect(config).toMatchObject({ server: 'db1', port: 1444, database: 'CRM', user: 'u', password: 'p', options: { encrypt: true } });
    }
    expect(targetPoolConfig('Server=db1;Database=CRM').options?.useUTC).toBe(true);
  });

  it('datetime2, datetime, date and time values reach the server as recovered under the options MssqlTarget uses', () => {
    const options = { useUTC: targetPoolConfig('Server=db1;Database=CRM;UseUTC=false').options!.useUTC! };
    expect(datetime2Text(wire(planParam(c('datetime2', 7), '2024-01-02T10:00:00.1234567'), options))).toBe('2024-01-02T10:00:00.1234567');
    expect(datetime2Text(wire(planParam(c('datetime2', 7), '2024-01-02T00:10:00.0000000'), options))).toBe('2024-01-02T00:10:00.0000000');
    // datetime 2024-01-02 23:59:59.997: day 45291, tick 25919999
    expect(datetimeParts(wire(planParam(c('datetime'), '2024-01-02T23:59:59.997'), options))).toEqual({ days: 45291, ticks: 25919999 });
    // date 2024-01-02: day 738886 since 0001-01-01
    expect(le(wire(planParam(c('date'), '2024-01-02'), options), 0, 3)).toBe(738886);
    // time(7) 00:10:00: 6,000,000,000 units of 100 ns
    expect(le(wire(planParam(c('time', 7), '00:10:00.0000000'), options), 0, 5)).toBe(6_000_000_000);
    // what the string's own UseUTC=false gave: the Date's local parts, 05:30 later
    expect(datetime2Text(wire(planParam(c('datetime2', 7), '2024-01-02T00:10:00.0000000'), { useUTC: false }))).toBe('2024-01-02T05:40:00.0000000');
  });
});
