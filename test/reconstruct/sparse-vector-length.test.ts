/**
 * A sparse vector is its header and its values exactly (record/sparse.ts): the last end offset is
 * the vector's length. One changed byte of its column count (1 to 0) left the vector's column id,
 * end offset and value unread, and the sparse column printed NULL with no word (breaker, wt-B:
 * field case improvedk-nullbitmap-sparse-only, A = 5 shown as NULL). Now DECODE_BAD_RECORD.
 *
 * REAL bytes: the field case's records (main record and variants) and the corpus text example
 * improvedk-sparse-vector, read at test time; the damage (count byte set to 0, a byte appended) is
 * SYNTHETIC.
 */
import { expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { parseSparseVector } from '../../src/reconstruct/record/sparse.js';
import { parseHex } from '../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../support/corpus.js';
import { describeFieldCases, readFieldCase } from '../support/field-cases.js';

/** Offset of the sparse vector (complex id 5, u16 @0 = 5) in a FixedVar record: its variable-column entry with the 0x8000 bit. */
function vectorStart(rec: Uint8Array): number {
  const v = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  let p = v.getUint16(2, true);
  if (rec[0] & 0x10) p += 2 + ((v.getUint16(p, true) + 7) >> 3);
  const nvar = v.getUint16(p, true);
  let start = p + 2 + 2 * nvar;
  for (let k = 0; k < nvar; k++) {
    const raw = v.getUint16(p + 2 + 2 * k, true);
    if (raw & 0x8000 && v.getUint16(start, true) === 5) return start;
    start = raw & 0x7fff;
  }
  throw new Error('no sparse vector in the record');
}

describeFieldCases('a sparse vector whose entries do not reach its end (field case improvedk-nullbitmap-sparse-only)', () => {
  it('every record of the case holding a vector, its column count set to 0: DECODE_BAD_RECORD, not the sparse column as NULL', () => {
    const fc = readFieldCase('improvedk-nullbitmap-sparse-only.json');
    const records = [{ name: 'main record', ddl: fc.ddl!, hex: fc.hex!, expected: fc.expected as Record<string, unknown> }, ...fc.variants!.map((v) => ({ name: v.name, ddl: v.ddl ?? fc.ddl!, hex: v.hex, expected: v.expected }))];
    expect(records.length).toBe(5);
    for (const r of records) {
      const layout = layoutsFromDdl(r.ddl).find((t) => t.name === 'OnlyFixedSparse')!;
      const rec = parseHex(r.hex);
      expect(decodeRow(rec, layout).values, r.name).toEqual(r.expected); // the real record as the source states it
      const at = vectorStart(rec);
      expect(new DataView(rec.buffer, rec.byteOffset).getUint16(at + 2, true), r.name).toBe(1); // one sparse column
      const damaged = rec.slice();
      damaged[at + 2] = 0;
      let err: unknown;
      try {
        const row = decodeRow(damaged, layout);
        err = new Error(`${r.name}: decoded ${JSON.stringify(row.values)} with warnings ${JSON.stringify(row.warnings)}`);
      } catch (e) {
        err = e;
      }
      expect(err, r.name).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).code, r.name).toBe('DECODE_BAD_RECORD');
      expect((err as DecodeError).message, r.name).toMatch(/sparse vector of 12 bytes ends at 4 by its 0 entries/);
    }
  });
});

describeCorpus('a sparse vector whose entries do not reach its end (text example improvedk-sparse-vector)', () => {
  it('the real two-column vector reads whole; with a byte after its last value it is refused', () => {
    const ex = readCorpusJson<{ hex: string }>('text-examples', 'improvedk-sparse-vector.json');
    const v = parseHex(ex.hex);
    const m = parseSparseVector(v, 0, v.length);
    expect([...m.entries()]).toEqual([[3, [12, 16]], [6, [16, 20]]]);
    const longer = new Uint8Array([...v, 0]);
    expect(() => parseSparseVector(longer, 0, longer.length)).toThrow(/sparse vector of 21 bytes ends at 20 by its 2 entries/);
  });
});
