import tedious from 'tedious';
import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import { type ParamPlan } from '../../src/reinsert/param-type.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * Every parameter a re-insert sends as a driver-typed value (not text + CONVERT) must reach SQL
 * Server as exactly the value recovered. The planner hands numbers and dates to tedious, which
 * encodes them itself; here each planned value is put through tedious's own encoder for its type
 * (validate, then generateParameterData, as a Request does) and the TDS bytes are read back.
 *
 * Found: tedious encodes money as `value * 10000` truncated (`& -1`, writeInt32LE), so 19.99
 * (pubs titles.price) went in as 19.9899 and 0.57 as 0.5699, with nothing said.
 */

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 8, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const TYPES = (tedious as unknown as { TYPES: Record<string, { validate(v: unknown, coll?: unknown, o?: unknown): unknown; generateParameterData(p: object, o: object): Iterable<Buffer> }> }).TYPES;

/** The bytes tedious would send for a planned parameter. */
function wire(p: ParamPlan): Buffer {
  const t = TYPES[p.type.name];
  const options = { useUTC: true };
  const value = t.validate(p.value, undefined, options);
  const param = { value, ...(p.type as object) };
  return Buffer.concat([...t.generateParameterData(param, options)]);
}

function le(b: Buffer, o: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[o + i]);
  return v;
}

function scaled(text: string, scale: number): bigint {
  const neg = text.startsWith('-');
  const [i, f = ''] = text.replace('-', '').split('.');
  const v = BigInt(i + f.padEnd(scale, '0').slice(0, scale));
  return neg ? -v : v;
}

/** The exact value SQL Server receives, as a scaled integer (null when the value goes as text). */
function received(p: ParamPlan, scale: number): bigint | null {
  if (p.wrap) return null;
  const b = wire(p);
  switch (p.type.name) {
    case 'Money': return (BigInt(b.readInt32LE(0)) << 32n) + BigInt(b.readUInt32LE(4));
    case 'SmallMoney': return BigInt(b.readInt32LE(0));
    case 'Decimal': case 'Numeric': {
      const m = le(b, 1, b.length - 1);
      void scale;
      return b[0] === 1 ? m : -m;
    }
    default: throw new Error(`not a numeric parameter: ${p.type.name}`);
  }
}

/** What goes through text + CONVERT is exact by construction: the text is the recovered value. */
function sent(col: TargetColumn, text: string, scale: number): void {
  const p = planParam(col, text);
  if (p.wrap) {
    expect(p.value, `${col.type} ${text}`).toBe(text);
    return;
  }
  expect(received(p, scale), `${col.type}(${col.precision},${col.scale}) ${text}`).toBe(scaled(text, scale));
}

describe('numeric parameters reach the server exactly as recovered (tedious encoder)', () => {
  it('money: every cent from 0.00 to 99.99, both signs, and large amounts (pubs titles.price 19.99 went in as 19.9899)', () => {
    const col = c('price', 'money');
    for (let cents = 0; cents < 10000; cents++) {
      const t = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}00`;
      sent(col, t, 4);
      if (cents) sent(col, `-${t}`, 4);
    }
    for (const t of ['19.9900', '0.5700', '922337203685477.5807', '-922337203685477.5808', '123456.7890', '0.0001', '-0.0001', '4503599627370.4961']) sent(col, t, 4);
  });

  it('smallmoney: every cent from 0.00 to 99.99, both signs, and its bounds', () => {
    const col = c('p', 'smallmoney', { maxLength: 4 });
    for (let cents = 0; cents < 10000; cents++) {
      const t = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}00`;
      sent(col, t, 4);
      if (cents) sent(col, `-${t}`, 4);
    }
    for (const t of ['214748.3647', '-214748.3648', '0.0001']) sent(col, t, 4);
  });

  it('decimal/numeric: the value as the target column scales it, also when the target has a larger scale than the text', () => {
    // a value recovered from decimal(18,2) going into a decimal(19,6) target: the driver multiplies by 10^6
    const cases: [number, number, string][] = [
      [19, 6, '12345678901.2345'], [19, 6, '1234567890123.45'], [18, 2, '1234567890123.45'],
      [38, 20, '1.5'], [38, 20, '123456789012345'], [9, 4, '19.9900'], [5, 2, '0.57'], [38, 10, '99999.9999999999'],
      [28, 12, '0.000000000001'], [19, 8, '-12345678.12345678'],
    ];
    for (const [precision, scale, t] of cases) {
      sent(c('d', 'decimal', { precision, scale, maxLength: 17 }), t, scale);
      sent(c('n', 'numeric', { precision, scale, maxLength: 17 }), t, scale);
    }
    for (let i = 0; i < 2000; i++) {
      const t = `${Math.floor(i * 7919.37) % 100000}.${String((i * 104729) % 10000).padStart(4, '0')}`;
      sent(c('d', 'decimal', { precision: 19, scale: 4, maxLength: 9 }), t, 4);
      sent(c('d', 'decimal', { precision: 19, scale: 8, maxLength: 9 }), t, 8);
    }
  });
});
