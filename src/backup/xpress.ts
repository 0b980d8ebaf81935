/**
 * LZ77+Huffman decompression ("Xpress Huffman"), written from Microsoft's [MS-XCA] "Xpress
 * Compression Algorithm", §2.1 (format) and §2.2.4 (decompression processing). SQL Server's
 * backup compression (`BACKUP … WITH COMPRESSION`, algorithm MS_XPRESS) stores every chunk of
 * the backup in this format (see `compressed.ts`).
 *
 * Format facts used ([MS-XCA] §2.1/§2.2):
 * - A block starts with a 256-byte table of 512 four-bit code lengths: symbol 2i is the low
 *   nibble of byte i, symbol 2i+1 the high nibble; 0 = symbol unused, otherwise 1..15.
 * - Codes are canonical: ordered by (length, symbol), each the previous code + 1, shifted left
 *   when the length grows.
 * - The bit stream is a run of 16-bit little-endian words read most-significant bit first; the
 *   decoder starts with two words (32 bits) buffered, and refills one word whenever the buffer
 *   runs below 16 bits. Extra match-length bytes are read from the byte stream at the current
 *   input position (between the words), not from the bit buffer.
 * - Symbols 0..255 are literal bytes. A symbol s ≥ 256 is a match: (s − 256) mod 16 is the
 *   length code, (s − 256) div 16 the number of offset bits n; offset = 2^n + the next n bits.
 *   A length code of 15 means one more byte follows (length = 15 + byte), and a byte of 255
 *   means a 16-bit little-endian word holds the whole length; 3 is added to every length.
 * - Each block yields at most 65,536 output bytes; the next block (a new table) starts at the
 *   current input position, the buffered bits being dropped.
 * - Symbol 256 read when the input is used up and the output complete is the end marker.
 * Test vectors: [MS-XCA] §3.2 examples 1 and 2 (test/backup/xpress.test.ts).
 */
import { FormatError, type ErrorLocation } from '../errors.js';

const TABLE_BITS = 15;
const TABLE_SIZE = 1 << TABLE_BITS;
const BLOCK_OUTPUT = 65536;
const NO_SYMBOL = 0xffff;

/** Reusable scratch space: one decoding table (symbol << 4 | code length, per 15-bit prefix) and code lengths. */
export class XpressDecoder {
  private readonly table = new Uint16Array(TABLE_SIZE);
  private readonly lengths = new Uint8Array(512);

  /**
   * Decompresses `input[start, end)` into `out[0, outSize)` and returns how many input bytes
   * the decoder consumed (relative to `start`, including the 4 bytes of bits it reads ahead).
   * Bytes past `end` are never read: a stream that needs them is truncated.
   *
   * Throws FormatError FORMAT_BAD_COMPRESSED_DATA (with `where.offset` + the input position)
   * when the code-length table is not a valid prefix code, a code is not in the table, a match
   * reaches before the start of the output, or the input ends before `outSize` bytes are made.
   */
  decompress(input: Uint8Array, start: number, end: number, out: Uint8Array, outSize: number, where: ErrorLocation = {}): number {
    if (outSize > out.length) throw new RangeError(`output buffer of ${out.length} bytes is smaller than ${outSize}`);
    const fail = (at: number, why: string): never => {
      throw new FormatError('FORMAT_BAD_COMPRESSED_DATA', `Xpress (LZ77+Huffman) stream: ${why}`, { ...where, offset: (where.offset ?? 0) + (at - start) });
    };
    const table = this.table;
    let pos = start;
    let outPos = 0;
    while (outPos < outSize) {
      if (pos + 256 > end) fail(pos, `input ends where a Huffman table of 256 bytes should start (${outPos} of ${outSize} bytes made)`);
      this.buildTable(input, pos, fail);
      pos += 256;
      // Two words of bits buffered up front ([MS-XCA] §2.2.4).
      if (pos + 4 > end) fail(pos, 'input ends inside the first 32 bits of a block');
      let bits = ((input[pos] | (input[pos + 1] << 8)) << 16) | (input[pos + 2] | (input[pos + 3] << 8));
      bits >>>= 0;
      pos += 4;
      let extra = 16;
      const blockEnd = Math.min(outPos + BLOCK_OUTPUT, outSize);
      while (outPos < blockEnd) {
        const entry = table[bits >>> (32 - TABLE_BITS)];
        if (entry === NO_SYMBOL) fail(pos, 'a bit pattern that is no code of the table');
        const sym = entry >>> 4;
        const len = entry & 15;
        bits = (bits << len) >>> 0;
        extra -= len;
        if (extra < 0) {
          if (pos + 2 > end) fail(pos, `input ends inside the bit stream (${outPos} of ${outSize} bytes made)`);
          bits = (bits | ((input[pos] | (input[pos + 1] << 8)) << -extra)) >>> 0;
          extra += 16;
          pos += 2;
        }
        if (sym < 256) {
          out[outPos++] = sym;
          continue;
        }
        const m = sym - 256;
        let matchLength = m & 15;
        const offsetBits = m >>> 4;
        if (matchLength === 15) {
          if (pos + 1 > end) fail(pos, 'input ends inside a match length');
          matchLength = input[pos++];
          if (matchLength === 255) {
            if (pos + 2 > end) fail(pos, 'input ends inside a match length');
            matchLength = input[pos] | (input[pos + 1] << 8);
            pos += 2;
            if (matchLength < 15) fail(pos - 2, `16-bit match length ${matchLength} below 15`);
            matchLength -= 15;
          }
          matchLength += 15;
        }
        matchLength += 3;
        let offset = 1 << offsetBits;
        if (offsetBits > 0) {
          offset += bits >>> (32 - offsetBits);
          bits = (bits << offsetBits) >>> 0;
          extra -= offsetBits;
          if (extra < 0) {
            if (pos + 2 > end) fail(pos, `input ends inside the bit stream (${outPos} of ${outSize} bytes made)`);
            bits = (bits | ((input[pos] | (input[pos + 1] << 8)) << -extra)) >>> 0;
            extra += 16;
            pos += 2;
          }
        }
        if (offset > outPos) fail(pos, `match ${offset} bytes back at output position ${outPos}`);
        const stop = Math.min(outPos + matchLength, outSize);
        // Byte by byte: a match may overlap the bytes it produces (offset < length).
        for (let src = outPos - offset; outPos < stop; ) out[outPos++] = out[src++];
      }
    }
    return pos - start;
  }

  /** Canonical Huffman decoding table from the 256-byte length table at `at` ([MS-XCA] §2.1). */
  private buildTable(input: Uint8Array, at: number, fail: (at: number, why: string) => never): void {
    const lengths = this.lengths;
    const counts = new Uint16Array(16);
    for (let i = 0; i < 256; i++) {
      const b = input[at + i];
      lengths[2 * i] = b & 15;
      lengths[2 * i + 1] = b >>> 4;
      counts[b & 15]++;
      counts[b >>> 4]++;
    }
    const table = this.table;
    let code = 0;
    for (let len = 1; len <= 15; len++) {
      if (counts[len] === 0) {
        code <<= 1;
        continue;
      }
      const span = 1 << (TABLE_BITS - len);
      for (let sym = 0; sym < 512; sym++) {
        if (lengths[sym] !== len) continue;
        const first = code * span;
        if (first + span > TABLE_SIZE) fail(at, 'code lengths over-subscribe the code space (not a prefix code)');
        table.fill((sym << 4) | len, first, first + span);
        code++;
      }
      code <<= 1;
    }
    // Whatever no code reaches stays NO_SYMBOL: an incomplete table is legal, using the gap is not.
    // After length 15 `code` was shifted once more: the entries filled are code / 2.
    const used = code >>> 1;
    if (used < TABLE_SIZE) table.fill(NO_SYMBOL, used, TABLE_SIZE);
    if (counts.subarray(1).every((n) => n === 0)) fail(at, 'a Huffman table with no symbol');
  }
}

/** One-shot form of `XpressDecoder.decompress`: a new buffer of `outSize` bytes. */
export function xpressHuffmanDecompress(input: Uint8Array, outSize: number, where: ErrorLocation = {}): Uint8Array {
  const out = new Uint8Array(outSize);
  new XpressDecoder().decompress(input, 0, input.length, out, outSize, where);
  return out;
}
