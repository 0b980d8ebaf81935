import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { yieldToEventLoop } from '../reinsert/plan.js';
import { hasNegativeZero, stringifyKeepingNegativeZero } from '../util/negative-zero.js';

/** Characters of a long string written between two turns of the event loop (about 1 MB of JSON). */
const SLICE = 1 << 20;

/** A value written a piece at a time: an async iterable of strings (run-texts.ts runTextPieces). */
function isPieces(v: unknown): v is AsyncIterable<string> {
  return typeof v === 'object' && v !== null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * `value` (a plain object) as the JSON text fastify would answer for it (JSON.stringify; a -0
 * anywhere kept as `-0`, as the app's serializer keeps it), streamed, with its top-level string
 * fields `keys` (a dry run's `script` and `undoScript`, 86 MB each at 100,000 rows) written a slice
 * of SLICE characters at a time with a turn of the event loop between slices. JSON.stringify of
 * the whole answer held the service's event loop ~1.5 s at 100,000 rows (every request waited).
 * A slice never ends between the two halves of a surrogate pair, so the text is exactly
 * JSON.stringify's. A field of `keys` may also be an async iterable of strings (a run's script kept
 * in pieces: run-texts.ts runTextPieces), written as the one JSON string of the pieces joined, never
 * joined here (past V8's longest string, 2^29 - 24 characters, a join failed). Keys absent or
 * neither are serialized as they are.
 */
export function jsonWithLongStrings(value: Record<string, unknown>, keys: readonly string[]): Readable {
  const long = keys.filter((k) => typeof value[k] === 'string' || isPieces(value[k]));
  const marks = long.map(() => `rowback-long-string-${randomUUID()}`);
  const skeleton = { ...value, ...Object.fromEntries(long.map((k, i) => [k, marks[i]])) };
  const text = hasNegativeZero(skeleton) ? stringifyKeepingNegativeZero(skeleton) : JSON.stringify(skeleton);
  // each string's place in the text, in the text's order (the object's own key order)
  const places = long.map((k, i) => ({ s: value[k] as string | AsyncIterable<string>, mark: JSON.stringify(marks[i]), where: text.indexOf(JSON.stringify(marks[i])) })).sort((a, b) => a.where - b.where);
  return Readable.from((async function* () {
    let at = 0;
    for (const { s, mark, where } of places) {
      yield text.slice(at, where);
      at = where + mark.length;
      yield '"';
      // a high surrogate that ended a piece: written with the next piece's first unit (a pair split
      // between pieces is one character: JSON.stringify of either half alone writes it as \udXXX)
      let carry = '';
      for await (const piece of typeof s === 'string' ? [s] : s) {
        const p = carry + piece;
        carry = '';
        let end = p.length;
        if (typeof s !== 'string' && end > 0 && p.charCodeAt(end - 1) >= 0xd800 && p.charCodeAt(end - 1) <= 0xdbff) { carry = p.slice(end - 1); end--; }
        for (let from = 0; from < end;) {
          let to = Math.min(from + SLICE, end);
          // a high surrogate last: its pair's low half goes with it into the next slice
          if (to < end && p.charCodeAt(to - 1) >= 0xd800 && p.charCodeAt(to - 1) <= 0xdbff) to--;
          yield JSON.stringify(p.slice(from, to)).slice(1, -1);
          from = to;
          await yieldToEventLoop();
        }
      }
      if (carry) yield JSON.stringify(carry).slice(1, -1);
      yield '"';
    }
    yield text.slice(at);
  })(), { objectMode: false });
}
