/**
 * Row-compressed (CD) records: the real single-column records captured by OrcaMDF's tests
 * (text-examples/orcamdf-rowcompressed-*.json). Each vector string is fixed width and carries
 * trailing bytes past the record end, which the decoder must ignore.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { DecodeError } from '../../../src/errors.js';
import type { SqlTypeName } from '../../../src/reconstruct/metadata/table-layout.js';
import { readFlippedBE } from '../../../src/reconstruct/record/cd.js';
import { parseHex } from '../../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../../support/corpus.js';
import { fixed, table } from './layout-builder.js';

type Vec = [string, string];

function oneColumn(type: SqlTypeName) {
  return table(`cd_${type}`, [fixed('c', type, 4)], 'ROW');
}

function expectedInt(type: string, text: string): unknown {
  if (text === 'NULL') return null;
  return type === 'bigint' ? text : Number(text);
}

describeCorpus('CD records: orcamdf-rowcompressed-integers.json', () => {
  const file = readCorpusJson<{ vectors: Record<string, Vec[]> }>('text-examples', 'orcamdf-rowcompressed-integers.json');
  for (const [type, vectors] of Object.entries(file.vectors)) {
    for (const [value, hex] of vectors) {
      it(`${type} ${value}`, () => {
        const row = decodeRow(parseHex(hex), oneColumn(type as SqlTypeName));
        expect(row.format).toBe('cd');
        expect(row.columnCount).toBe(1);
        expect(row.recordType).toBe('primary');
        expect(row.values).toEqual({ c: expectedInt(type, value) });
      });
    }
  }
});

describeCorpus('CD records: orcamdf-rowcompressed-datetime.json', () => {
  const file = readCorpusJson<{ vectors: Vec[] }>('text-examples', 'orcamdf-rowcompressed-datetime.json');
  for (const [value, hex] of file.vectors) {
    it(value, () => {
      const row = decodeRow(parseHex(hex), oneColumn('datetime'));
      expect(row.values).toEqual({ c: value === 'NULL' ? null : value.replace(' ', 'T') });
    });
  }
});

describe('CD records: structure', () => {
  it('sign-flipped big-endian integers of 0..8 bytes', () => {
    const b = (h: string) => parseHex(h);
    expect(readFlippedBE(b('7f'), 0, 1)).toEqual({ lo: 0xffffffff, hi: -1 });
    expect(readFlippedBE(b('ff'), 0, 1)).toEqual({ lo: 127, hi: 0 });
    expect(readFlippedBE(b('0000'), 0, 2)).toEqual({ lo: (-32768) >>> 0, hi: -1 });
    expect(readFlippedBE(b('7fffffffffffffff'), 0, 8)).toEqual({ lo: 0xffffffff, hi: -1 });
    expect(readFlippedBE(b(''), 0, 0)).toEqual({ lo: 0, hi: 0 });
  });

  it('a page-dictionary symbol cannot be resolved from one row: DECODE_PAGE_DICTIONARY', () => {
    // SYNTHETIC bytes (built by hand from the documented layout): header 0x01, 1 column, CD = 12.
    const img = parseHex('01010c');
    expect(() => decodeRow(img, oneColumn('int'))).toThrowError(DecodeError);
    try {
      decodeRow(img, oneColumn('int'));
    } catch (e) {
      expect((e as DecodeError).code).toBe('DECODE_PAGE_DICTIONARY');
      expect((e as DecodeError).location.column).toBe('c');
    }
  });

  it('a FixedVar record given to a ROW-compressed layout is refused (no CD bit)', () => {
    expect(() => decodeRow(parseHex('30000800010000000100'), oneColumn('int'))).toThrowError(/CD-format bit/);
  });
});

// CD header bits 2-4 carry the record type in OrcaMDF's CompressedRecordType numbering, not the
// FixedVar one. Base bytes: the real OrcaMDF vector "tinyint 1" (01011201…); only the header byte is
// edited here (SYNTHETIC variation of a real record).
describe('CD record types (header bits 2-4, OrcaMDF numbering)', () => {
  const base = parseHex('0101120100000000 00');
  const withType = (code: number): Uint8Array => {
    const b = Uint8Array.from(base);
    b[0] = (b[0] & ~0x1c) | (code << 2);
    return b;
  };
  it.each([
    [0, 'primary', false],
    [1, 'ghost-data', true],
    [3, 'ghost-data', true],
    [4, 'forwarded', false],
    [5, 'forwarded', true],
  ] as const)('code %i → %s (ghost %s), values still decoded', (code, type, ghost) => {
    const row = decodeRow(withType(code), oneColumn('tinyint'));
    expect(row.recordType).toBe(type);
    expect(row.ghost).toBe(ghost);
    expect(row.values).toEqual({ c: 1 });
  });
  it.each([2, 6, 7])('code %i (forwarding stub / index / ghost index) is refused as not a data row', (code) => {
    expect(() => decodeRow(withType(code), oneColumn('tinyint'))).toThrow(DecodeError);
    expect(() => decodeRow(withType(code), oneColumn('tinyint'))).toThrow(/DECODE_UNSUPPORTED|not decoded/);
  });
});
