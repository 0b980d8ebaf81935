/**
 * Exact integer types as stored in a FixedVar record: little-endian two's complement
 * (tinyint is unsigned). Output: numbers, except bigint → decimal string (not exact as a JSON number).
 */

export function readU16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
export function readI16(b: Uint8Array, o: number): number {
  return ((b[o] | (b[o + 1] << 8)) << 16) >> 16;
}
export function readI32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}
export function readU32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
/** Unsigned little-endian integer of 1..6 bytes (exact in a double). */
export function readUIntLE(b: Uint8Array, o: number, n: number): number {
  let v = 0;
  let m = 1;
  for (let i = 0; i < n; i++) {
    v += b[o + i] * m;
    m *= 256;
  }
  return v;
}

export function decodeTinyint(b: Uint8Array, o: number): number {
  return b[o];
}
export function decodeSmallint(b: Uint8Array, o: number): number {
  return readI16(b, o);
}
export function decodeInt(b: Uint8Array, o: number): number {
  return readI32(b, o);
}

const TWO_32 = 4294967296;

/** Signed 64-bit from its two little-endian 32-bit halves, as a decimal string. */
export function int64ToString(lo: number, hi: number): string {
  // |value| < 2^53 is exact in a double: avoid BigInt on the hot path.
  if (hi >= -0x200000 && hi < 0x200000) {
    return String(hi * TWO_32 + lo);
  }
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

export function decodeBigint(b: Uint8Array, o: number): string {
  return int64ToString(readU32(b, o), readI32(b, o + 4));
}

/** bit: one bit of a byte shared by up to 8 bit columns (sys.system_internals_partition_columns.leaf_bit_position). */
export function decodeBit(b: Uint8Array, o: number, bitPosition = 0): boolean {
  return (b[o] & (1 << bitPosition)) !== 0;
}
