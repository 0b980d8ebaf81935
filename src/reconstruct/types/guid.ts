/**
 * uniqueidentifier: 16 bytes; SQL Server prints the first three groups from little-endian
 * integers (bytes 3,2,1,0 - 5,4 - 7,6) and the last two in stored order, upper case
 * (lc-fixed-types.json: 78563412 3412 7856 9ABC… → 12345678-1234-5678-9ABC-…).
 */
const HEX_DIGITS = '0123456789ABCDEF';
/** PAIR[v] = the two upper-case hex character codes of byte v: first in the low byte, second in the high byte. */
const PAIR = new Uint16Array(256);
for (let v = 0; v < 256; v++) PAIR[v] = HEX_DIGITS.charCodeAt(v >> 4) | (HEX_DIGITS.charCodeAt(v & 15) << 8);
/** One reused 36-byte scratch Buffer (dashes at 8, 13, 18, 23 stay); its native latin1 slice makes one flat string. */
const OUT = Buffer.alloc(36, 45 /* '-' */);
/** Buffer#latin1Slice (what toString('latin1') ends in) when this Node has it: skips the encoding lookup. */
const SLICE = (Buffer.prototype as unknown as { latin1Slice?: (this: Buffer, s: number, e: number) => string }).latin1Slice;

function put(out: Buffer, p: number, v: number): void {
  const h = PAIR[v];
  out[p] = h;
  out[p + 1] = h >> 8;
}

export function decodeUniqueidentifier(b: Uint8Array, o: number): string {
  // Unrolled (measured on Node 20: ~1.7x the 36-code String.fromCharCode.apply it replaces).
  const out = OUT;
  put(out, 0, b[o + 3]);
  put(out, 2, b[o + 2]);
  put(out, 4, b[o + 1]);
  put(out, 6, b[o]);
  put(out, 9, b[o + 5]);
  put(out, 11, b[o + 4]);
  put(out, 14, b[o + 7]);
  put(out, 16, b[o + 6]);
  put(out, 19, b[o + 8]);
  put(out, 21, b[o + 9]);
  put(out, 24, b[o + 10]);
  put(out, 26, b[o + 11]);
  put(out, 28, b[o + 12]);
  put(out, 30, b[o + 13]);
  put(out, 32, b[o + 14]);
  put(out, 34, b[o + 15]);
  return SLICE !== undefined ? SLICE.call(out, 0, 36) : out.toString('latin1', 0, 36);
}
