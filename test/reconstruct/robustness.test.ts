/**
 * Robustness: every real row image in text-examples (FixedVar images with their layouts, and the
 * CD vectors), truncated at every length and with random bit flips, either decodes or throws
 * DecodeError. Nothing else escapes (no RangeError/TypeError), and DECODE_INTERNAL (a decoder defect
 * caught by the last-resort wrapper) never appears.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { SqlTypeName, TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../src/util/hex.js';
import { describeCorpus, listCorpus, readCorpusJson } from '../support/corpus.js';
import { EXAMPLE_LAYOUTS, exampleImages } from './record/example-layouts.js';
import { fixed, table } from './record/layout-builder.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';

function outcome(image: Uint8Array, layout: TableLayout): string {
  try {
    const r = decodeRow(image, layout, { lsn: '00000001:00000002:0003' });
    JSON.stringify(r); // the result must be serialisable
    return 'ok';
  } catch (e) {
    if (!(e instanceof DecodeError)) throw new Error(`non-DecodeError escaped: ${(e as Error)?.name}: ${(e as Error)?.message}`);
    if (e.code === 'DECODE_INTERNAL') throw new Error(`decoder defect: ${e.message}`, { cause: e.cause });
    expect(e.location.lsn).toBe('00000001:00000002:0003');
    return e.code;
  }
}

describeCorpus('robustness on real row images', () => {
  const cases: { id: string; image: Uint8Array; layout: TableLayout }[] = [];
  for (const [id, layout] of Object.entries(EXAMPLE_LAYOUTS)) {
    const ex = readCorpusJson<{ hex: string | string[] }>('text-examples', `${id}.json`);
    for (const image of exampleImages(ex.hex)) cases.push({ id, image, layout });
  }
  const ints = readCorpusJson<{ vectors: Record<string, [string, string][]> }>('text-examples', 'orcamdf-rowcompressed-integers.json');
  for (const [type, vs] of Object.entries(ints.vectors)) {
    for (const [, hex] of vs) cases.push({ id: `cd-${type}`, image: parseHex(hex), layout: table(type, [fixed('c', type as SqlTypeName, 4)], 'ROW') });
  }
  const dts = readCorpusJson<{ vectors: [string, string][] }>('text-examples', 'orcamdf-rowcompressed-datetime.json');
  for (const [, hex] of dts.vectors) cases.push({ id: 'cd-datetime', image: parseHex(hex), layout: table('dt', [fixed('c', 'datetime', 4)], 'ROW') });

  it('uses every row image the corpus has (sanity)', () => {
    expect(listCorpus('text-examples').length).toBeGreaterThanOrEqual(22);
    expect(cases.length).toBeGreaterThanOrEqual(18 + 27 + 10);
  });

  it('truncated at every length: decodes or throws DecodeError', () => {
    const codes = new Map<string, number>();
    for (const { image, layout } of cases) {
      for (let len = 0; len < image.length; len++) {
        const code = outcome(image.subarray(0, len), layout);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    // Most truncations must be detected as such.
    expect(codes.get('DECODE_TRUNCATED') ?? 0).toBeGreaterThan(500);
  });

  it('random bit flips (1–8 bits): decodes or throws DecodeError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cases.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (ci, flips) => {
        const { image, layout } = cases[ci];
        const copy = image.slice();
        for (const f of flips) copy[(f >> 3) % copy.length] ^= 1 << (f & 7);
        outcome(copy, layout);
      }),
      { numRuns: 20000 },
    );
  });

  it('random bytes appended or overwritten: decodes or throws DecodeError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cases.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.nat(), (ci, junk, at) => {
        const { image, layout } = cases[ci];
        const copy = image.slice();
        copy.set(junk.subarray(0, Math.max(0, copy.length - (at % copy.length))), at % copy.length);
        outcome(copy, layout);
        const longer = new Uint8Array(image.length + junk.length);
        longer.set(image);
        longer.set(junk, image.length);
        outcome(longer, layout);
      }),
      { numRuns: 5000 },
    );
  });
});

// SYNTHETIC images (test/support/synthetic-encoder.ts) exercise structures the real samples do not
// have: long-data regions, 30-column clusters, 2-byte CD column counts, sparse vectors, versioning tags.

describe('robustness on SYNTHETIC images (wide, compressed, sparse, versioned)', () => {
  const wideCd = buildLayout('wide', Array.from({ length: 140 }, (_, i) => ({ name: `c${i}`, type: (['int', 'varchar', 'bit', 'bigint', 'datetime', 'uniqueidentifier'] as const)[i % 6], maxLength: 40 })), 'ROW');
  const wideRow = Object.fromEntries(wideCd.columns.map((c, i) => [c.name, i % 7 === 0 ? null : ({ int: i * 1000, varchar: `value number ${i}`, bit: i % 2 === 0, bigint: String(2n ** 40n + BigInt(i)), datetime: '2026-05-17T13:45:30.123', uniqueidentifier: '12345678-1234-5678-9ABC-123456789ABC' } as Record<string, unknown>)[c.type] as never]));
  const sparse = buildLayout('sp', [{ name: 'id', type: 'int' }, { name: 'a', type: 'int', sparse: true }, { name: 'b', type: 'nvarchar', maxLength: 20, sparse: true }, { name: 'n', type: 'nvarchar', maxLength: 20 }]);
  const images: { image: Uint8Array; layout: TableLayout }[] = [
    { image: encodeRow(wideCd, wideRow, { versioningTag: new Uint8Array(14).fill(7) }), layout: wideCd },
    { image: encodeRow(sparse, { id: 1, a: 5, b: 'xyz', n: 'q' }, { versioningTag: new Uint8Array(14).fill(9) }), layout: sparse },
  ];
  it('every truncation and 10,000 random corruptions decode or throw DecodeError', () => {
    for (const { image, layout } of images) {
      expect(outcome(image, layout)).toBe('ok');
      for (let len = 0; len < image.length; len++) outcome(image.subarray(0, len), layout);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: images.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), (ci, flips) => {
        const copy = images[ci].image.slice();
        for (const f of flips) copy[(f >> 3) % copy.length] ^= 1 << (f & 7);
        outcome(copy, images[ci].layout);
      }),
      { numRuns: 10000 },
    );
  });
});
