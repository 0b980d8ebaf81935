/**
 * uniqueidentifier: 16 bytes; SQL Server prints the first three groups from little-endian
 * integers (bytes 3,2,1,0 - 5,4 - 7,6) and the last two in stored order, upper case
 * (lc-fixed-types.json: 78563412 3412 7856 9ABC… → 12345678-1234-5678-9ABC-…).
 */
/** Character codes of the upper-case hex digits. */
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70];
const DASH = 45;
/** Stored byte order of the 16 bytes as printed (first three groups are little-endian integers). */
const ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const CODES: number[] = new Array<number>(36).fill(DASH);

export function decodeUniqueidentifier(b: Uint8Array, o: number): string {
  // One flat string from 36 character codes: no intermediate concatenations on the hot path.
  let p = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) p++; // dash positions 8, 13, 18, 23 stay '-'
    const v = b[o + ORDER[i]];
    CODES[p++] = HEX[v >> 4];
    CODES[p++] = HEX[v & 15];
  }
  return String.fromCharCode.apply(null, CODES);
}
