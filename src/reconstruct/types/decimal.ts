import { int64ToString, readI32, readU32 } from './integer.js';

/**
 * decimal/numeric: 1 sign byte (1 = positive, 0 = negative) then the magnitude as a
 * little-endian unsigned integer of 4, 8, 12 or 16 bytes (precision 1–9, 10–19, 20–28, 29–38).
 * The value is magnitude / 10^scale. Source: OrcaMDF SqlDecimal; vectors in
 * text-examples/orcamdf-column-value-vectors.json and lc-decimal-*.json.
 *
 * money / smallmoney: signed little-endian int64 / int32 of 1/10000 units (OrcaMDF SqlMoney:
 * `ToInt64 / 10000`; lc-fixed-types.json MoneyCol). Output always carries 4 decimals.
 */

/** Storage bytes of decimal(p, s) in an uncompressed record. */
export function decimalStorageLength(precision: number): number {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}

/** Places the decimal point `scale` digits from the right of an unsigned digit string. */
export function placeScale(digits: string, scale: number, negative: boolean): string {
  let s: string;
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    s = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  } else s = digits;
  return negative && /[1-9]/.test(digits) ? '-' + s : s;
}

/** Unsigned little-endian magnitude of `n` bytes (multiple of 4) → decimal digit string. */
export function magnitudeDigits(b: Uint8Array, o: number, n: number): string {
  // Fast path: up to 2^53 in a double.
  let high = 0;
  for (let i = 8; i < n; i++) high |= b[o + i];
  if (high === 0) {
    const lo = readU32(b, o);
    const hi = n >= 8 ? readU32(b, o + 4) : 0;
    if (hi < 0x200000) return String(hi * 4294967296 + lo);
  }
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[o + i]);
  return v.toString();
}

/**
 * decimal/numeric value of `len` bytes (sign byte included) at `o`; null when the sign byte is
 * neither 0 nor 1 (the caller raises DECODE_BAD_VALUE).
 */
export function decodeDecimal(b: Uint8Array, o: number, len: number, scale: number): string | null {
  const sign = b[o];
  if (sign > 1) return null;
  if (len <= 9 && scale <= 9) {
    // decimal(p ≤ 19): a magnitude below 2^52 split by arithmetic (what placeScale does to its digits:
    // the integer part without leading zeros, '0' when none, then `scale` digits; '-' unless zero).
    // Exact: v + 10^scale < 2^53, so the quotient's floor and the remainder are exact in a double.
    const lo = readU32(b, o + 1);
    const hi = len === 9 ? readU32(b, o + 5) : 0;
    if (hi < 0x100000) {
      const v = hi * 4294967296 + lo;
      let text: string;
      if (scale === 0) text = String(v);
      else {
        const p = POW10[scale];
        const ip = Math.floor(v / p);
        const f = String(v - ip * p);
        text = String(ip) + '.' + (f.length < scale ? ZEROS.slice(0, scale - f.length) + f : f);
      }
      return sign === 0 && v !== 0 ? '-' + text : text;
    }
  }
  return placeScale(magnitudeDigits(b, o + 1, len - 1), scale, sign === 0);
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];
const ZEROS = '000000000';

export function decodeMoney(b: Uint8Array, o: number): string {
  return scaledInt64(readU32(b, o), readI32(b, o + 4), 4);
}

export function decodeSmallmoney(b: Uint8Array, o: number): string {
  const v = readI32(b, o);
  return placeScale(String(Math.abs(v)), 4, v < 0);
}

/** A signed int64 (two LE halves) divided by 10^scale, as an exact decimal string. */
export function scaledInt64(lo: number, hi: number, scale: number): string {
  const s = int64ToString(lo, hi);
  return s.startsWith('-') ? placeScale(s.slice(1), scale, true) : placeScale(s, scale, false);
}
