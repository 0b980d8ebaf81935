import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sectorChecksum } from '../../src/util/sector-checksum.js';

/** The algorithm as documented (util/sector-checksum.ts), one word at a time, the checksum word left out by position. */
function reference(b: Uint8Array, offset: number, size: number, skipOffset: number): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sectors = size / 512;
  let sum = 0;
  for (let s = 0; s < sectors; s++) {
    let x = 0;
    for (let o = offset + s * 512; o < offset + (s + 1) * 512; o += 4) if (s !== 0 || o !== offset + skipOffset) x ^= v.getUint32(o, true);
    const r = (sectors - 1 - s) & 31;
    sum ^= r === 0 ? x : (x << r) | (x >>> (32 - r));
  }
  return sum >>> 0;
}

describe('sectorChecksum', () => {
  it('gives the one-word-at-a-time checksum for any bytes, size (1-120 sectors), offset (aligned or not) and skipped word', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom(24, 60, 0, 508),
        fc.integer({ min: 0, max: 0xffffffff }),
        (sectors, lead, skip, seed) => {
          const size = sectors * 512;
          const b = new Uint8Array(lead + size + 3);
          let x = seed | 1;
          for (let i = 0; i < b.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = x & 0xff;
          }
          expect(sectorChecksum(b, lead, size, skip)).toBe(reference(b, lead, size, skip));
          // the same bytes as a view at a non-zero byteOffset
          const view = new Uint8Array(b.buffer, lead, size);
          expect(sectorChecksum(view, 0, size, skip)).toBe(reference(b, lead, size, skip));
        },
      ),
      { numRuns: 300 },
    );
  });
});
