import { placeScale } from './decimal.js';

/**
 * vardecimal: the storage form of decimal/numeric in ROW/PAGE-compressed partitions (and in tables
 * with the SQL Server 2005 SP2 'vardecimal storage format' option).
 *
 * Facts and their sources:
 *  - MS Learn "Row Compression Implementation": decimal/numeric storage under row compression "is
 *    exactly same as the vardecimal storage format"; NULL and 0 take no bytes (CD 1, zero length).
 *  - improve.dk "The Anatomy of Vardecimals" (2011-12-13, permalink how-are-vardecimals-stored):
 *      byte 0, bit 7: sign (1 = positive, 0 = negative);
 *      byte 0, bits 0–6: the base-10 exponent of the value in scientific notation, biased by 64;
 *      bytes 1…: the mantissa digits as a big-endian bit stream (most significant bit of each byte
 *        first) of 10-bit chunks, each chunk holding three decimal digits (0–999), most significant
 *        chunk first; the mantissa has its decimal point after its first digit; bits missing at the
 *        end of the last byte (truncated zero bytes included) read as 0;
 *      a value has at least 2 bytes (and at most 20).
 *    Published vector: decimal(5,2) 123.45 = 0xC21EDC20 (test/reconstruct/types/cd-types.test.ts).
 *  - OrcaMDF SqlDecimal.GetValue (vardecimal branch) reads the same fields (a sum of chunk × 1000^k,
 *    normalised by 10^floor(log10)); its system tests (Features/Vardecimal, Features/Compression/
 *    DataTypeTests.DecimalTests) cover negatives (−4892384.382090, −1) with the sign bit alone.
 *
 * The value is sign × 0.D × 10^(exponent + 1), D the mantissa digits without leading zeros.
 */

/** The decoded value (exact decimal string at the column's scale), or why the bytes are not a valid vardecimal. */
/** One object shape for both outcomes (the hot path tests `error === undefined`). */
export type VardecimalResult = { value: string; error?: undefined } | { value?: undefined; error: string };

export function decodeVardecimal(b: Uint8Array, start: number, end: number, precision: number, scale: number): VardecimalResult {
  const n = end - start;
  if (n === 0) return { value: placeScale('0', scale, false), error: undefined };
  if (n < 2) return { error: 'has 1 byte; a vardecimal has at least 2 (sign/exponent byte and mantissa)' };
  if (n > 20) return { error: `has ${n} bytes; a vardecimal has at most 20` };
  const head = b[start];
  const negative = (head & 0x80) === 0;
  const exponent = (head & 0x7f) - 64;
  if (n <= SMALL_MAX_BYTES) return smallVardecimal(b, start, end, precision, scale, negative, exponent);
  // Mantissa: 10-bit chunks from a big-endian bit stream, read through a bit accumulator (at most
  // 17 bits held); a last partial chunk is padded with zero bits.
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
  // Significant digits S (no leading/trailing zeros): value = S × 10^(exponent + 1 − len(S)).
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  let j = digits.length;
  while (j > i && digits.charCodeAt(j - 1) === 48) j--;
  if (i === j) return { error: 'has a zero mantissa (zero is stored with no bytes)' };
  if (i > 0) return { error: leadingZeroError(digits.slice(0, 3)) };
  const sig = digits.slice(i, j);
  const shift = exponent + 1 - sig.length + scale; // power of ten of the unscaled integer at the column's scale
  if (shift < 0) return { error: `needs ${sig.length - exponent - 1} decimal places, more than the column's scale ${scale}` };
  const unscaled = sig + '0'.repeat(shift);
  if (unscaled.length > Math.max(precision, 1)) return { error: `has ${unscaled.length} digits, more than the column's precision ${precision}` };
  return { value: placeScale(unscaled, scale, negative), error: undefined };
}

/**
 * The refusal of a mantissa whose first digit is 0 (its first chunk below 100). SQL Server writes the
 * value in scientific notation: the exponent is that of the first significant digit and the mantissa
 * starts with it (improve.dk: the decimal point goes after the mantissa's first digit; every real
 * vardecimal of field case bcdb-typeprobe-cd-cells starts with a non-zero digit: c019, c032, be19,
 * c4f9fde0 …). Leading zero digits make two readings of the same bytes — the documented one (point
 * after the first digit, a 0: 10^k times smaller) and the normalised one this decoder used to apply
 * (leading zeros skipped, as OrcaMDF's log10 normalisation does) — and SQL Server writes neither, so
 * the bytes are not a vardecimal it wrote: `C800 19` (chunks 000, 400) printed 4 × 10^8.
 */
function leadingZeroError(chunk: string): string {
  return `has a mantissa starting with a zero digit (first chunk ${chunk}): SQL Server starts it with the value's first significant digit, so the exponent is not that of these digits and the value is not known`;
}

/**
 * Longest vardecimal (bytes, sign/exponent byte included) whose mantissa fits a double exactly:
 * 6 mantissa bytes = 48 bits = at most 5 chunks (the last one padded) = 15 digits < 2^53.
 */
const SMALL_MAX_BYTES = 7;

/**
 * decodeVardecimal for at most SMALL_MAX_BYTES bytes: the same chunks, checks, messages and text,
 * with the mantissa digits held in one exact integer instead of a digit string (its significant
 * digits are `String(m)` once the trailing zeros are divided out).
 */
function smallVardecimal(b: Uint8Array, start: number, end: number, precision: number, scale: number, negative: boolean, exponent: number): VardecimalResult {
  let m = 0;
  let first = -1;
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
      if (first < 0) first = v;
      m = m * 1000 + v;
    }
  }
  if (m === 0) return { error: 'has a zero mantissa (zero is stored with no bytes)' };
  if (first < 100) return { error: leadingZeroError(first < 10 ? '00' + first : '0' + first) };
  while (m % 10 === 0) m /= 10;
  const sig = String(m);
  const shift = exponent + 1 - sig.length + scale;
  if (shift < 0) return { error: `needs ${sig.length - exponent - 1} decimal places, more than the column's scale ${scale}` };
  const unscaled = shift === 0 ? sig : sig + '0'.repeat(shift);
  if (unscaled.length > Math.max(precision, 1)) return { error: `has ${unscaled.length} digits, more than the column's precision ${precision}` };
  return { value: placeScale(unscaled, scale, negative), error: undefined };
}
