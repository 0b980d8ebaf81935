import { describe, expect, it } from 'vitest';
import { XpressDecoder, xpressHuffmanDecompress } from '../../src/backup/xpress.js';

/**
 * [MS-XCA] §3.2 "LZ77+Huffman Compression Examples": the two published input/output pairs. The
 * 256-byte code-length tables are given by their non-zero bytes (byte index → value); the bit
 * streams follow the table.
 */
function table(nonZero: Record<number, number>): Buffer {
  const t = Buffer.alloc(256);
  for (const [i, v] of Object.entries(nonZero)) t[Number(i)] = v;
  return t;
}

// Example 1: "abcdefghijklmnopqrstuvwxyz" (literals only; symbol 256 ends the stream).
const EXAMPLE_1 = Buffer.concat([
  table({ 48: 0x50, 49: 0x55, 50: 0x55, 51: 0x55, 52: 0x55, 53: 0x55, 54: 0x55, 55: 0x55, 56: 0x55, 57: 0x55, 58: 0x55, 59: 0x45, 60: 0x44, 61: 0x04, 128: 0x04 }),
  Buffer.from('d8523ed794115be9195ff9d67cdf8d0400000000', 'hex'),
]);
// Example 2: "abc" × 100 (three literals, then one match of 297 bytes at distance 3 whose length
// takes the 0xFF escape and a 16-bit length).
const EXAMPLE_2 = Buffer.concat([table({ 48: 0x30, 49: 0x23, 128: 0x02, 143: 0x20 }), Buffer.from('a8dc0000ff2601', 'hex')]);

describe('Xpress LZ77+Huffman ([MS-XCA] §3.2 examples)', () => {
  it('example 1: 26 literals', () => {
    expect(Buffer.from(xpressHuffmanDecompress(EXAMPLE_1, 26)).toString('latin1')).toBe('abcdefghijklmnopqrstuvwxyz');
  });

  it('example 2: a long overlapping match with the 16-bit length escape', () => {
    expect(Buffer.from(xpressHuffmanDecompress(EXAMPLE_2, 300)).toString('latin1')).toBe('abc'.repeat(100));
  });

  it('reports how much input it used, and decodes from an offset inside a larger buffer', () => {
    const input = Buffer.concat([Buffer.from('junk'), EXAMPLE_2, Buffer.from('more junk')]);
    const out = new Uint8Array(300);
    const used = new XpressDecoder().decompress(input, 4, 4 + EXAMPLE_2.length, out, 300);
    expect(Buffer.from(out).toString('latin1')).toBe('abc'.repeat(100));
    expect(used).toBe(EXAMPLE_2.length);
  });

  it('a shorter output stops inside a match (a chunk boundary is not a symbol boundary)', () => {
    expect(Buffer.from(xpressHuffmanDecompress(EXAMPLE_2, 10)).toString('latin1')).toBe('abcabcabca');
  });
});

describe('Xpress: bad input is one typed error with an offset, never garbage', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { code?: string; location?: { offset?: number } }).code;
    }
    return 'no error';
  };

  it('truncated anywhere: FORMAT_BAD_COMPRESSED_DATA (table, first bits, bit stream, length escape)', () => {
    for (let n = 0; n < EXAMPLE_2.length; n++) {
      expect(code(() => xpressHuffmanDecompress(EXAMPLE_2.subarray(0, n), 300)), `cut at ${n}`).toBe('FORMAT_BAD_COMPRESSED_DATA');
    }
    for (let n = 0; n < EXAMPLE_1.length - 4; n++) {
      expect(code(() => xpressHuffmanDecompress(EXAMPLE_1.subarray(0, n), 26)), `cut at ${n}`).toBe('FORMAT_BAD_COMPRESSED_DATA');
    }
  });

  it('asking for more output than the stream holds fails instead of inventing bytes', () => {
    expect(code(() => xpressHuffmanDecompress(EXAMPLE_1, 27 + 64))).toBe('FORMAT_BAD_COMPRESSED_DATA');
  });

  it('over-subscribed code lengths (not a prefix code) are refused', () => {
    const bad = Buffer.from(EXAMPLE_1);
    bad[0] = 0x11; // two more 1-bit codes
    expect(code(() => xpressHuffmanDecompress(bad, 26))).toBe('FORMAT_BAD_COMPRESSED_DATA');
  });

  it('an all-zero table (no symbol) is refused', () => {
    expect(code(() => xpressHuffmanDecompress(Buffer.alloc(300), 1))).toBe('FORMAT_BAD_COMPRESSED_DATA');
  });

  it('a match reaching before the start of the output is refused', () => {
    // Example 2's stream begins "a b c <match>"; starting with the match symbol's bits instead
    // (287 = code 10, then the distance bit) asks for bytes 3 back at output position 0.
    const bad = Buffer.from(EXAMPLE_2);
    bad[256] = 0x00;
    bad[257] = 0xa0; // first word 0xa000: 10 1 ...
    expect(code(() => xpressHuffmanDecompress(bad, 300))).toBe('FORMAT_BAD_COMPRESSED_DATA');
  });

  it('the error names the offset given by the caller plus the input position', () => {
    try {
      xpressHuffmanDecompress(EXAMPLE_2.subarray(0, 100), 300, { file: 'x.bak', offset: 1000 });
      expect.unreachable();
    } catch (e) {
      expect((e as { location: { file: string; offset: number } }).location).toEqual({ file: 'x.bak', offset: 1000 });
    }
  });
});
