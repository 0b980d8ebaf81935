import { decoderForCodePage, NOTE_UNDEFINED, type CodePageDecoder } from '../collation.js';
import { toHex0x } from '../../util/hex.js';
import { identifierText } from '../../util/identifier-text.js';

/**
 * Character types. char/varchar/text hold bytes of the collation's code page (UTF-8 for
 * `_UTF8` collations); nchar/nvarchar/ntext hold UTF-16LE. Fixed char/nchar keep their padding.
 * binary/varbinary/image and the CLR/opaque types are printed as `0x…` upper-case hex.
 */

/** varchar bytes in code page `codePage` (1252 when the code page is unknown or unsupported). */
export function decodeVarchar(b: Uint8Array, start: number, end: number, codePage: number | null = 1252): string {
  const d: CodePageDecoder | null = decoderForCodePage(codePage ?? 1252) ?? decoderForCodePage(1252);
  return (d as CodePageDecoder).decode(b, start, end);
}

/**
 * The warnings of bytes a code page does not define met while decoding the current row
 * (decodeCharsNoting, the generated readers): decodeRow empties it before a row and moves what it
 * holds into the row's warnings after (decoding is synchronous and never re-entered). The bound
 * value decoders have no warnings list of their own; this one is shared by every path that decodes
 * char/varchar/text for a row value (FixedVar generic and generated, CD generic and generated,
 * sparse columns, text inside sql_variant).
 */
export const ROW_TEXT_NOTES: string[] = [];

/**
 * `d.decodeNoting`, and when it read bytes its code page does not define (NOTE_UNDEFINED), the
 * warning naming them on ROW_TEXT_NOTES (undefinedBytesWarning: `column`, the column's name;
 * `inside`, what the text is inside it). No extra work when every byte is defined.
 */
export function decodeCharsNoting(d: CodePageDecoder, b: Uint8Array, start: number, end: number, column: string, hold?: string, inside?: string): string {
  const v = d.decodeNoting(b, start, end);
  if ((d.nul & NOTE_UNDEFINED) !== 0) ROW_TEXT_NOTES.push(undefinedBytesWarning(column, d, b, start, end, hold, inside));
  return v;
}

/** How many bad spans a warning names before "and N more". */
const SPANS_NAMED = 8;

/**
 * The warning for a char/varchar/text value of `column` whose bytes [start, end) hold bytes code
 * page `d.codePage` does not define (or invalid UTF-8): each span's bytes in hex and offset in the
 * value, what was printed (U+FFFD), and that a re-insert would not write the bytes back (the
 * re-insert holds such a row: `hold`, REINSERT_UNDEFINED_BYTES, or REINSERT_VARIANT_TEXT for text
 * inside a sql_variant; for UTF-8, where U+FFFD is a character, it would write EF BF BD).
 * `column` is the column's name, written through identifierText (`column [Unit Price]: …`: a reader
 * takes the warning back to its column by it, util/warning-column.ts), then `inside` in parentheses
 * when the text is part of its value (`a varchar value inside the sql_variant`).
 */
export function undefinedBytesWarning(column: string, d: CodePageDecoder, b: Uint8Array, start: number, end: number, hold = 'REINSERT_UNDEFINED_BYTES', inside?: string): string {
  const spans = d.undefinedSpans(b, start, end);
  const utf8 = d.codePage === 65001;
  const named = spans.slice(0, SPANS_NAMED).map(([o, n, kind]) => {
    const hex = Array.from(b.subarray(start + o, start + o + n), (x) => `0x${x.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
    return `${hex} at offset ${o}${kind === 'pair' ? ' (a lead byte whose trail makes no character)' : kind === 'lead' ? ' (a lead byte not followed by a trail byte)' : ''}`;
  });
  const more = spans.length > SPANS_NAMED ? ` and ${spans.length - SPANS_NAMED} more` : '';
  const what = spans.length === 0 ? 'bytes' : named.join(', ') + more;
  const name = `${identifierText(column)}${inside !== undefined ? ` (${inside})` : ''}`;
  if (utf8) {
    return `column ${name}: ${what} of its ${end - start}-byte value are not valid UTF-8 (its collation is UTF-8): printed as U+FFFD '\ufffd', which is not the stored bytes; a re-insert would write U+FFFD's own bytes (EF BF BD) there, so put the original bytes back by hand (CONVERT(varbinary, …) of the value in a backup)`;
  }
  return `column ${name}: ${what} of its ${end - start}-byte value ${spans.length === 1 && spans[0][1] === 1 ? 'is' : 'are'} not defined in code page ${d.codePage} (SQL Server stores such bytes unchecked): printed as U+FFFD '\ufffd', which is not the stored byte; a re-insert would write '?' there, so rowback holds this row back from re-insert (${hold}): re-insert it by hand with the original bytes`;
}

/**
 * UTF16_FROM[n](b, s) = the n UTF-16LE code units at b[s…] as a string, by one String.fromCharCode
 * call with n fixed arguments (one flat string, no call into C++).
 */
const UTF16_FROM_MAX = 32;
const UTF16_FROM: Array<(b: Uint8Array, s: number) => string> = Array.from(
  { length: UTF16_FROM_MAX + 1 },
  (_, n) => new Function('b', 's', `return String.fromCharCode(${Array.from({ length: n }, (_, i) => `b[s + ${2 * i}] | (b[s + ${2 * i + 1}] << 8)`).join(', ')});`) as (b: Uint8Array, s: number) => string,
);

/** UTF-16LE; an odd trailing byte is not valid nvarchar data — callers check the length first. */
export function decodeNvarchar(b: Uint8Array, start: number, end: number): string {
  // Measured on Node 20: up to 32 characters one fixed-arity String.fromCharCode (UTF16_FROM);
  // beyond, Buffer's native UTF-16 slice (free when the bytes already are a Buffer).
  const units = (end - start) >> 1;
  if (units <= UTF16_FROM_MAX) return UTF16_FROM[units](b, start);
  if (end - start > 16) {
    if (b instanceof Buffer) return b.toString('utf16le', start, end);
    return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf16le');
  }
  let s = '';
  for (let i = start; i + 1 < end; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8));
  return s;
}

export function decodeBinary(b: Uint8Array, start: number, end: number): string {
  return toHex0x(b, start, end);
}
