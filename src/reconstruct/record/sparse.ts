import { DecodeError } from '../../errors.js';
import { readU16 } from '../types/integer.js';

/**
 * Sparse vector (improve.dk "Sparse column storage – the sparse vector"; text-examples/improvedk-sparse-vector.json):
 *   u16 complex column id = 5, u16 count n, u16[n] column ids (sys.columns.column_id),
 *   u16[n] end offsets relative to the vector start, then the values back to back (uncompressed storage form).
 * Returns column id → [start, end) absolute offsets.
 */
export function parseSparseVector(b: Uint8Array, s: number, e: number): Map<number, [number, number]> {
  const fail = (why: string, at: number) => new DecodeError('DECODE_BAD_RECORD', `sparse vector ${why}`, { offset: at });
  if (e - s < 4) throw fail('is shorter than its header', s);
  if (readU16(b, s) !== 5) throw fail('does not start with complex id 5', s);
  const n = readU16(b, s + 2);
  const header = 4 + 4 * n;
  if (s + header > e) throw fail(`header for ${n} columns runs past its end`, s + 2);
  const out = new Map<number, [number, number]>();
  let prev = header;
  for (let i = 0; i < n; i++) {
    const id = readU16(b, s + 4 + 2 * i);
    const end = readU16(b, s + 4 + 2 * n + 2 * i);
    if (end < prev || s + end > e) throw fail(`entry ${i} ends at ${end}, outside ${prev}..${e - s}`, s + 4 + 2 * n + 2 * i);
    // one entry per column: a second one would silently replace the first's value
    if (out.has(id)) throw fail(`names column id ${id} twice (entries ${[...out.keys()].indexOf(id)} and ${i})`, s + 4 + 2 * i);
    out.set(id, [s + prev, s + end]);
    prev = end;
  }
  return out;
}
