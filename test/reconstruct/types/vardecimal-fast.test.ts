/**
 * decodeVardecimal's short-value path (≤ 7 bytes: mantissa in one exact integer) against the digit-string
 * algorithm it replaced (kept here as the reference, verbatim): every outcome — value text or error
 * message — on every 2-byte input, random 3–7-byte inputs and SYNTHETIC encodings of random decimals
 * at every precision and scale. Self-consistency only (the published vectors are in cd-types.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeVardecimal, placeScale, type VardecimalResult } from '../../../src/reconstruct/types/index.js';
import { encodeVardecimal } from '../../support/synthetic-encoder.js';
import { rng } from '../../support/rng.js';

/** The digit-string algorithm (decodeVardecimal before the short-value path), with the leading-zero refusal both paths make since. */
function reference(b: Uint8Array, start: number, end: number, precision: number, scale: number): VardecimalResult {
  const n = end - start;
  if (n === 0) return { value: placeScale('0', scale, false), error: undefined };
  if (n < 2) return { error: 'has 1 byte; a vardecimal has at least 2 (sign/exponent byte and mantissa)' };
  if (n > 20) return { error: `has ${n} bytes; a vardecimal has at most 20` };
  const head = b[start];
  const negative = (head & 0x80) === 0;
  const exponent = (head & 0x7f) - 64;
  let digits = '';
  let acc = 0;
  let held = 0;
  for (let i = start + 1; i <= end; i++) {
    if (i < end) {
      acc = (acc << 8) | b[i];
      held += 8;
    } else if (held > 0) {
      acc <<= 10 - held;
      held = 10;
    }
    while (held >= 10) {
      held -= 10;
      const v = (acc >> held) & 0x3ff;
      acc &= (1 << held) - 1;
      if (v > 999) return { error: `has a mantissa chunk of ${v} (a chunk holds 3 decimal digits, 0–999)` };
      digits += v < 10 ? '00' + v : v < 100 ? '0' + v : String(v);
    }
  }
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  let j = digits.length;
  while (j > i && digits.charCodeAt(j - 1) === 48) j--;
  if (i === j) return { error: 'has a zero mantissa (zero is stored with no bytes)' };
  // since 2026-12-06 (vardecimal-leading-zero.test.ts): a mantissa starting with a zero digit is refused, as the long path does
  if (i > 0) return { error: `has a mantissa starting with a zero digit (first chunk ${digits.slice(0, 3)}): SQL Server starts it with the value's first significant digit, so the exponent is not that of these digits and the value is not known` };
  const sig = digits.slice(i, j);
  const shift = exponent + 1 - sig.length + scale;
  if (shift < 0) return { error: `needs ${sig.length - exponent - 1} decimal places, more than the column's scale ${scale}` };
  const unscaled = sig + '0'.repeat(shift);
  if (unscaled.length > Math.max(precision, 1)) return { error: `has ${unscaled.length} digits, more than the column's precision ${precision}` };
  return { value: placeScale(unscaled, scale, negative), error: undefined };
}

const SHAPES: [number, number][] = [[1, 0], [5, 2], [9, 9], [18, 2], [18, 0], [19, 4], [28, 10], [38, 0], [38, 19], [38, 38]];
const SHAPES_2: [number, number][] = [[1, 0], [5, 2], [18, 2], [38, 19]];

describe('vardecimal short-value path = digit-string reference', () => {
  it('every 2-byte input at several precisions/scales', () => {
    const b = new Uint8Array(3);
    for (let x = 0; x < 65536; x++) {
      b[1] = x >> 8;
      b[2] = x & 0xff;
      for (const [p, s] of SHAPES_2) expect(decodeVardecimal(b, 1, 3, p, s)).toEqual(reference(b, 1, 3, p, s));
    }
  });
  it('200,000 random 3–7-byte inputs (exponents near the usual range and anywhere)', () => {
    const next = rng(99);
    const b = new Uint8Array(9);
    for (let k = 0; k < 200000; k++) {
      const n = 3 + Math.floor(next() * 5);
      for (let i = 0; i < 9; i++) b[i] = Math.floor(next() * 256);
      if (next() < 0.7) b[1] = (b[1] & 0x80) | (60 + Math.floor(next() * 30));
      const [p, s] = SHAPES[k % SHAPES.length];
      expect(decodeVardecimal(b, 1, 1 + n, p, s)).toEqual(reference(b, 1, 1 + n, p, s));
    }
  });
  it('SYNTHETIC encodings of random decimals at every precision/scale round-trip identically', () => {
    const next = rng(5);
    for (let p = 1; p <= 38; p++) {
      for (let s = 0; s <= p; s++) {
        for (let k = 0; k < 40; k++) {
          const digits = Array.from({ length: 1 + Math.floor(next() * p) }, () => Math.floor(next() * 10)).join('');
          const text = placeScale(BigInt(digits).toString(), s, next() < 0.5);
          const bytes = Uint8Array.from(encodeVardecimal(text));
          const got = decodeVardecimal(bytes, 0, bytes.length, p, s);
          expect(got).toEqual(reference(bytes, 0, bytes.length, p, s));
          expect(got.value).toBe(text === placeScale('0', s, true) ? placeScale('0', s, false) : text);
        }
      }
    }
  });
});
