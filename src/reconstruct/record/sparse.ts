import { DecodeError } from '../../errors.js';
import { readU16 } from '../types/integer.js';

/**
 * Sparse vector (improve.dk "Sparse column storage – the sparse vector"; text-examples/improvedk-sparse-vector.json):
 *   u16 complex column id = 5, u16 count n, u16[n] column ids (sys.columns.column_id),
 *   u16[n] end offsets relative to the vector start, then the values back to back (uncompressed storage form).
 * The vector is its header and its values exactly: the last end offset (the header's end when n = 0)
 * is the vector's length, as on every real vector (improve.dk's two-column vector, 20 bytes, ends 16
 * and 20; the one-column vectors of field case improvedk-nullbitmap-sparse-only, 12 bytes, end 12).
 * Bytes past it mean a damaged count or end offset: a count lowered from 1 to 0 printed the sparse
 * column NULL with no word (breaker, wt-B), so it is DECODE_BAD_RECORD.
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
  if (s + prev !== e) {
    throw fail(`of ${e - s} bytes ends at ${prev} by its ${n} entr${n === 1 ? 'y' : 'ies'} (header and values): its column count or an end offset is damaged, so a sparse value would be lost (read as NULL) or cut short`, n === 0 ? s + 2 : s + 4 + 2 * n + 2 * (n - 1));
  }
  return out;
}
