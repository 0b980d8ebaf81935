import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { yieldToEventLoop } from '../reinsert/plan.js';
import { hasNegativeZero, stringifyKeepingNegativeZero } from '../util/negative-zero.js';

/** Characters of a long string written between two turns of the event loop (about 1 MB of JSON). */
const SLICE = 1 << 20;

/** A long string given as its pieces in order (a run's script kept in pieces: run-texts.ts), written as one JSON string. */
export type StringPieces = AsyncIterable<string>;

function isPieces(v: unknown): v is StringPieces {
  return typeof v === 'object' && v !== null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * `value` (a plain object) as the JSON text fastify would answer for it (JSON.stringify; a -0
 * anywhere kept as `-0`, as the app's serializer keeps it), streamed, with its top-level string
 * fields `keys` (a dry run's `script` and `undoScript`, 86 MB each at 100,000 rows) written a slice
 * of SLICE characters at a time with a turn of the event loop between slices. JSON.stringify of
 * the whole answer held the service's event loop ~1.5 s at 100,000 rows (every request waited).
 * A key of `keys` may also hold the string as its pieces (StringPieces: an async iterable of
 * strings, joined they are the text), written as they come, never joined: a run's undo past V8's
 * string length. A slice never ends between the two halves of a surrogate pair (a pair split
 * between two pieces is written whole with the later one), so the text is exactly JSON.stringify's
 * of the joined string. Keys absent or neither are serialized as they are. An error a piece source
 * throws destroys the stream (the answer cut short: its headers are sent).
 */
export function jsonWithLongStrings(value: Record<string, unknown>, keys: readonly string[]): Readable {
  const long = keys.filter((k) => typeof value[k] === 'string' || isPieces(value[k]));
  const marks = long.map(() => `rowback-long-string-${randomUUID()}`);
  const skeleton = { ...value, ...Object.fromEntries(long.map((k, i) => [k, marks[i]])) };
  const text = hasNegativeZero(skeleton) ? stringifyKeepingNegativeZero(skeleton) : JSON.stringify(skeleton);
  // each string's place in the text, in the text's order (the object's own key order)
  const places = long.map((k, i) => ({ s: value[k] as string | StringPieces, mark: JSON.stringify(marks[i]), where: text.indexOf(JSON.stringify(marks[i])) })).sort((a, b) => a.where - b.where);
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

/**
 * `pieces` with every `from` replaced by `to`, also where `from` spans two pieces: each piece's last
 * `from.length - 1` characters wait for the next (moved back off a high surrogate, so a pair is
 * never split by the cut). For a text's hidden words streamed in pieces (hideJobWarning's, of a
 * run's script header). `from` must be non-empty.
 */
export async function* replaceInPieces(pieces: StringPieces, from: string, to: string): AsyncGenerator<string> {
  let carry = '';
  for await (const p of pieces) {
    const s = carry + p;
    let cut = Math.max(0, s.length - (from.length - 1));
    if (cut > 0 && cut < s.length && s.charCodeAt(cut - 1) >= 0xd800 && s.charCodeAt(cut - 1) <= 0xdbff) cut--;
    let out = '';
    let i = 0;
    for (let j = s.indexOf(from, i); j !== -1 && j < cut; j = s.indexOf(from, i)) {
      out += s.slice(i, j) + to;
      i = j + from.length;
    }
    const end = Math.max(i, cut);
    out += s.slice(i, end);
    carry = s.slice(end);
    if (out) yield out;
  }
  if (carry) yield carry.split(from).join(to);
}

/**
 * The start of a text (`src`: the text, or its pieces in order) of at most `maxBytes` bytes of
 * UTF-8 (never a character split: TextEncoder.encodeInto writes whole characters only; an unpaired
 * surrogate counts as U+FFFD's 3 bytes, as it is written), ended after its last line break when one
 * is in the second half of it, and `cut`: whether the text goes on past it. Reads `src` only as far
 * as the preview needs (the rest of a run's script, hundreds of MB, is never read); a piece source
 * is closed when left early. For a bounded preview of a script (the review page shows the first
 * 1 MiB; the whole is downloaded).
 */
export async function textPreview(src: string | StringPieces, maxBytes: number): Promise<{ text: string; cut: boolean }> {
  const buf = new Uint8Array(Math.max(0, maxBytes));
  const enc = new TextEncoder();
  let used = 0;
  let text = '';
  let cut = false;
  for await (const piece of typeof src === 'string' ? [src] : src) {
    const { read, written } = enc.encodeInto(piece, buf.subarray(used));
    used += written;
    text += piece.slice(0, read);
    if (read < piece.length) { cut = true; break; }
  }
  if (cut) {
    const nl = text.lastIndexOf('\n');
    if (nl >= 0 && nl + 1 >= text.length / 2) text = text.slice(0, nl + 1);
  }
  return { text, cut };
}
