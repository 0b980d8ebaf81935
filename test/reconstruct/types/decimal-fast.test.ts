/**
 * decodeDecimal's arithmetic path (magnitude below 2^52, precision ≤ 19, scale ≤ 9) gives the text of
 * the digit path it skips (placeScale of magnitudeDigits, the code before it), on SYNTHETIC bytes:
 * every storage length 5/9/13/17 and scale 0–38, random magnitudes of every size (around 2^32, 2^52,
 * 2^53 and 2^64 too), zero and negative zero, and sign bytes other than 0/1 (null).
 */
import { describe, expect, it } from 'vitest';
import { decodeDecimal, magnitudeDigits, placeScale } from '../../../src/reconstruct/types/index.js';
import { rng } from '../../support/rng.js';

function reference(b: Uint8Array, o: number, len: number, scale: number): string | null {
  const sign = b[o];
  if (sign > 1) return null;
  return placeScale(magnitudeDigits(b, o + 1, len - 1), scale, sign === 0);
}

function magnitudeBytes(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

describe('decodeDecimal arithmetic path = digit path', () => {
  it('random and boundary magnitudes, every length and scale, both signs, at offsets', () => {
    const next = rng(0xdec1a1);
    const edges = [0n, 1n, 9n, 10n, 99n, 100n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 52n - 1n, 2n ** 52n, 2n ** 52n + 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 10n ** 18n, 10n ** 19n - 1n];
    let fast = 0;
    let n = 0;
    for (const len of [5, 9, 13, 17]) {
      const bytes = len - 1;
      for (let scale = 0; scale <= 38; scale++) {
        const values: bigint[] = edges.filter((v) => v < 2n ** BigInt(8 * bytes));
        for (let k = 0; k < 300; k++) {
          const bits = 1 + Math.floor(next() * 8 * bytes);
          let v = 0n;
          for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(next() * 65536));
          values.push(v & ((1n << BigInt(bits)) - 1n));
        }
        for (const v of values) {
          for (const sign of [0, 1, 2 + Math.floor(next() * 254)]) {
            const pad = Math.floor(next() * 3);
            const b = Uint8Array.from([...Array<number>(pad).fill(0xee), sign, ...magnitudeBytes(v, bytes), 0xee]);
            const got = decodeDecimal(b, pad, len, scale);
            expect(got).toBe(reference(b, pad, len, scale));
            if (len <= 9 && scale <= 9 && v < 2n ** 52n && sign <= 1) fast++;
            n++;
          }
        }
      }
    }
    expect(fast).toBeGreaterThan(5000);
    expect(n).toBeGreaterThan(40000);
  });

  it('known texts', () => {
    const d = (hex: string, scale: number) => decodeDecimal(Buffer.from(hex, 'hex'), 0, hex.length / 2, scale);
    expect(d('0139300000', 2)).toBe('123.45');
    expect(d('0005000000', 3)).toBe('-0.005');
    expect(d('0000000000', 2)).toBe('0.00');
    expect(d('0100000000', 0)).toBe('0');
    expect(d('0000000000', 0)).toBe('0');
    expect(d('0001000000', 9)).toBe('-0.000000001');
    expect(d('01ffffffffffff0f00', 4)).toBe('450359962737.0495');
  });
});
