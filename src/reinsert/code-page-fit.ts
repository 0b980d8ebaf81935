/**
 * Whether text fits a target column's code page: the facts re-insert planning (sql-types.ts
 * assertCodePageHolds, assertBytesFit) judges a char/varchar/text value by before it goes into a
 * column whose collation is not the one it was decoded from. Pure functions of a code page number
 * (COLLATIONPROPERTY(…, 'CodePage'), Microsoft Learn) and a string; the messages and refusals stay
 * with planning. Encoding is iconv-lite's (the library tedious itself encodes varchar parameters
 * with), checked against rowback's own decoders (reconstruct/collation.ts).
 */
import iconv from 'iconv-lite';
import { decoderForCodePage, isDbcsCodePage } from '../reconstruct/collation.js';
import { firstUnpairedSurrogate } from '../util/surrogates.js';

/**
 * The iconv-lite codec of a code page SQL Server gives char/varchar data (COLLATIONPROPERTY
 * 'CodePage'): `cp<n>` for the Windows ANSI and OEM code pages (437, 850, 874, 932, 936, 949, 950,
 * 1250–1258: iconv-lite's own tables. Compared character by character with rowback's decoders
 * (collation.ts, every byte and DBCS pair, 2026-12-05) they differ on the C1 controls and private-use
 * characters the decoders give bytes Microsoft's tables leave undefined and user-defined pairs, which
 * iconv-lite lacks (judged not to fit: a refusal, never a changed value), and on two iconv-lite
 * holds that the decoders do not (1255's U+05BA, 932's U+0080): judged not to fit either, by
 * rowbackHolds), `utf8`
 * for 65001 (`_UTF8` collations); null for a code page iconv-lite has no codec for (0, a
 * Unicode-only collation, which cannot be a char/varchar column's).
 */
export function iconvCodec(codePage: number): string | null {
  if (codePage === 65001) return 'utf8';
  const name = `cp${codePage}`;
  return iconv.encodingExists(name) ? name : null;
}

/** Text of ASCII characters only (U+0000–U+007F): the same bytes, one each, in every code page SQL Server uses for char/varchar, UTF-8 included. */
export const ASCII_ONLY = /^[\u0000-\u007f]*$/;

const decodedByRowback = new Map<number, ReadonlySet<string> | null>();

/**
 * Every character beyond ASCII rowback's own decoder (collation.ts) gives for a byte or DBCS pair of
 * code page `cp` (cached); null when rowback has no decoder for it. iconv-lite's tables hold two
 * characters rowback's decoders read no byte as (932's U+0080, 1255's U+05BA: rowback takes 932's
 * 0x80 and 1255's 0xCA for undefined bytes, U+FFFD, and holds such values back as
 * REINSERT_UNDEFINED_BYTES): judged by iconv-lite alone, U+0080 of a 949 or 950 value was let into a
 * 932 column, where by rowback's own table it has no byte. A character fits a code page only when
 * both say so.
 */
function rowbackChars(cp: number): ReadonlySet<string> | null {
  let set = decodedByRowback.get(cp);
  if (set !== undefined) return set;
  const d = decoderForCodePage(cp);
  if (d === null) {
    set = null;
  } else {
    const chars = new Set<string>();
    const dbcs = isDbcsCodePage(cp);
    const one = new Uint8Array(1);
    const two = new Uint8Array(2);
    for (let b = 0x80; b <= 0xff; b++) {
      one[0] = b;
      const s = d.decode(one, 0, 1);
      if (s.length === 1 && s !== '\ufffd') chars.add(s);
      if (dbcs) {
        two[0] = b;
        for (let t = 0x40; t <= 0xfe; t++) {
          two[1] = t;
          const p = d.decode(two, 0, 2);
          if (p.length === 1 && p !== '\ufffd' && p.charCodeAt(0) > 0x7f) chars.add(p);
        }
      }
    }
    set = chars;
  }
  decodedByRowback.set(cp, set);
  return set;
}

/** Whether every character of `text` beyond ASCII is one rowback's decoder of `cp` gives for some byte or pair (true when it has none for `cp`: iconv-lite alone judges). */
function rowbackHolds(cp: number, text: string): boolean {
  const set = rowbackChars(cp);
  if (set === null) return true;
  for (const ch of text) if (ch.charCodeAt(0) > 0x7f && !set.has(ch)) return false;
  return true;
}

/** Whether `text` comes back from code page `codec` as itself (encoded, then decoded), U+FFFD aside. */
function roundTrips(codec: string, text: string): boolean {
  // iconv-lite decodes a byte its table leaves undefined as U+FFFD, so its encoder gives such a byte
  // for U+FFFD, which decodes back to U+FFFD; no Windows code page defines U+FFFD (collation.ts), and
  // SQL Server writes '?' for it: never held, but in UTF-8 (EF BF BD)
  if (codec !== 'utf8' && text.includes('\ufffd')) return false;
  return iconv.decode(iconv.encode(text, codec), codec) === text;
}

/**
 * The first character of `text` code page `codePage` cannot hold exactly: the character (a whole
 * code point; an unpaired surrogate as itself) and its offset in UTF-16 units; null when every one
 * fits. ASCII (U+0000–U+007F) is the same bytes in every code page SQL Server uses for char/varchar,
 * UTF-8 included; UTF-8 holds every character but an unpaired surrogate (the server writes '?' for
 * it); any other code page is judged by encoding with iconv-lite and decoding back (tedious itself
 * encodes varchar parameters with iconv-lite): a character that comes back as another (iconv-lite's
 * '?' for a character its table lacks) does not fit. A code page iconv-lite does not know holds no
 * character beyond ASCII here: not checked, so not claimed.
 */
export function firstCharNotHeld(codePage: number, text: string): { char: string; at: number } | null {
  if (ASCII_ONLY.test(text)) return null;
  if (codePage === 65001) {
    const u = firstUnpairedSurrogate(text);
    return u ? { char: text[u.offset]!, at: u.offset } : null;
  }
  const codec = iconvCodec(codePage);
  if (codec !== null && roundTrips(codec, text) && rowbackHolds(codePage, text)) return null;
  let at = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) > 0x7f && (codec === null || !roundTrips(codec, ch) || !rowbackHolds(codePage, ch))) return { char: ch, at };
    at += ch.length;
  }
  // the whole did not come back though each character does (a codec with state): its first non-ASCII one
  const m = /[^\u0000-\u007f]/.exec(text)!;
  return { char: m[0], at: m.index };
}

/**
 * The bytes of `text` in code page `cp` (iconv-lite codec `codec`). A character iconv-lite's table
 * lacks but rowback's decoder gives (a value decoded from this same code page, not judged by
 * assertCodePageHolds: a C1 control of an undefined byte, a private-use character of a DBCS
 * user-defined pair) comes out of iconv-lite as one '?': counted as its own bytes instead, 2 for a
 * DBCS code page's private-use characters U+E000–U+F8EF (user-defined pairs; U+F8F0 and up are single
 * bytes there: 932's 0xA0/0xFD–0xFF, 936's 0xFF, 950's 0xFF), else 1.
 */
function codePageBytes(codec: string, cp: number, text: string): number {
  const b = iconv.encode(text, codec);
  let q = 0;
  for (const x of b) if (x === 0x3f) q++;
  if (q === (text.match(/\?/g)?.length ?? 0)) return b.length;
  const dbcs = isDbcsCodePage(cp);
  let n = 0;
  for (const ch of text) {
    const e = iconv.encode(ch, codec);
    n += e.length === 1 && e[0] === 0x3f && ch !== '?' ? (dbcs && ch >= '\ue000' && ch < '\uf8f0' ? 2 : 1) : e.length;
  }
  return n;
}

/**
 * How many bytes `text` takes in code page `codePage` (a char/varchar column's n counts bytes):
 * UTF-8's own count for 65001; otherwise iconv-lite's encoding, a character its table lacks but
 * rowback's decoder gives counted as below (codePageBytes). null when iconv-lite has no codec for
 * the code page: not counted, so not claimed.
 */
export function bytesInCodePage(codePage: number, text: string): number | null {
  const codec = iconvCodec(codePage);
  if (codec === null) return null;
  return codec === 'utf8' ? Buffer.byteLength(text, 'utf8') : codePageBytes(codec, codePage, text);
}
