/**
 * uniqueidentifier: 16 bytes; SQL Server prints the first three groups from little-endian
 * integers (bytes 3,2,1,0 - 5,4 - 7,6) and the last two in stored order, upper case
 * (lc-fixed-types.json: 78563412 3412 7856 9ABC… → 12345678-1234-5678-9ABC-…).
 */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

export function decodeUniqueidentifier(b: Uint8Array, o: number): string {
  return (
    HEX2[b[o + 3]] + HEX2[b[o + 2]] + HEX2[b[o + 1]] + HEX2[b[o]] + '-' +
    HEX2[b[o + 5]] + HEX2[b[o + 4]] + '-' +
    HEX2[b[o + 7]] + HEX2[b[o + 6]] + '-' +
    HEX2[b[o + 8]] + HEX2[b[o + 9]] + '-' +
    HEX2[b[o + 10]] + HEX2[b[o + 11]] + HEX2[b[o + 12]] + HEX2[b[o + 13]] + HEX2[b[o + 14]] + HEX2[b[o + 15]]
  );
}
