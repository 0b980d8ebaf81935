import { TextDecoder } from 'node:util';

/**
 * Collation → code page of char/varchar/text data, and one cached decoder per code page.
 *
 * Facts (Microsoft docs "SQL Server Collation Name" and "Windows Collation Name"):
 *  - SQL collations are `SQL_<SortRules>[_Pref]_CP<codepage>_<style>`; `CP1` means 1252, every
 *    other number is the code page itself (CP437, CP850, CP1250 … CP1257, CP874).
 *  - A Windows collation's designator carries the Windows ANSI code page of its locale
 *    ("Latin1_General or French: both use code page 1252. Turkish: uses code page 1254").
 *    The table below is the ANSI code page of each designator's locale; it is what
 *    `COLLATIONPROPERTY(name, 'CodePage')` returns.
 *  - `_UTF8` collations (SQL Server 2019+) store varchar as UTF-8 (code page 65001).
 *  - Unicode-only collations (Hindi, Bengali, …) have code page 0: they cannot hold varchar
 *    data, so we return null.
 */

/** Windows collation designator (the part before the comparison style) → ANSI code page. Longest prefix wins. */
const DESIGNATOR_CODE_PAGES: ReadonlyArray<readonly [string, number]> = [
  // 1252 — Western European
  ['Latin1_General', 1252], ['French', 1252], ['German_PhoneBook', 1252], ['Danish_Norwegian', 1252],
  ['Danish_Greenlandic', 1252], ['Finnish_Swedish', 1252], ['Icelandic', 1252], ['Modern_Spanish', 1252],
  ['Traditional_Spanish', 1252], ['Mexican_Trad_Spanish', 1252], ['Norwegian', 1252], ['Frisian', 1252],
  ['Sami_Norway', 1252], ['Sami_Sweden_Finland', 1252], ['Indonesian', 1252], ['Mohawk', 1252], ['Welsh', 1252],
  ['Upper_Sorbian', 1252], ['Romansh', 1252], ['Corsican', 1252], ['Breton', 1252], ['Mapudungan', 1252],
  // 1257 — Baltic
  ['Latvian', 1257], ['Lithuanian', 1257], ['Estonian', 1257],
  // 1250 — Central European
  ['Albanian', 1250], ['Croatian', 1250], ['Czech', 1250], ['Hungarian', 1250], ['Polish', 1250],
  ['Romanian', 1250], ['Slovak', 1250], ['Slovenian', 1250], ['Bosnian_Latin', 1250], ['Serbian_Latin', 1250],
  ['Turkmen', 1250],
  // 1251 — Cyrillic
  ['Cyrillic_General', 1251], ['Ukrainian', 1251], ['Macedonian', 1251], ['Kazakh', 1251], ['Tatar', 1251],
  ['Azeri_Cyrillic', 1251], ['Bashkir', 1251], ['Bosnian_Cyrillic', 1251], ['Serbian_Cyrillic', 1251],
  ['Yakut', 1251],
  // 1253 Greek, 1254 Turkish (and Latin-script Turkic), 1255 Hebrew, 1256 Arabic script, 1258 Vietnamese, 874 Thai
  ['Greek', 1253],
  ['Turkish', 1254], ['Azeri_Latin', 1254], ['Uzbek_Latin', 1254],
  ['Hebrew', 1255],
  ['Arabic', 1256], ['Persian', 1256], ['Urdu', 1256], ['Uighur', 1256], ['Dari', 1256], ['Pashto', 1256],
  ['Vietnamese', 1258],
  ['Thai', 874],
  // DBCS: 932 Japanese (Shift-JIS), 936 Simplified Chinese (GBK), 949 Korean, 950 Traditional Chinese (Big5)
  ['Japanese', 932],
  ['Chinese_PRC', 936], ['Chinese_Simplified', 936],
  ['Chinese_Taiwan', 950], ['Chinese_Hong_Kong', 950], ['Chinese_Traditional', 950],
  ['Korean', 949],
];

/** Code page of a collation's varchar data; null when unknown, not a character collation, or Unicode-only. */
export function codePageForCollation(name: string | null | undefined): number | null {
  if (!name) return null;
  const n = name.trim();
  if (/_UTF8$/i.test(n)) return 65001;
  if (/^SQL_/i.test(n)) {
    const m = /_CP(\d+)(?:_|$)/i.exec(n);
    if (m) return m[1] === '1' ? 1252 : Number(m[1]);
    // SQL_*_Pref_CP1… is matched above; the only SQL collations without a CP tag are EBCDIC/legacy ones we do not know.
    return null;
  }
  const lower = n.toLowerCase();
  let best: number | null = null;
  let bestLen = 0;
  for (const [designator, cp] of DESIGNATOR_CODE_PAGES) {
    const d = designator.toLowerCase();
    if (d.length > bestLen && lower.startsWith(d) && (lower.length === d.length || lower[d.length] === '_')) {
      best = cp;
      bestLen = d.length;
    }
  }
  return best;
}

/**
 * Code page 1252's bytes 0x80–0x9F, as Microsoft's table (unicode.org MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT,
 * bestfit1252.txt; WHATWG Encoding's index-windows-1252 is the same, and gives the five bytes the
 * table leaves undefined, 0x81 0x8D 0x8F 0x90 0x9D, as the C1 controls of their value, as SQL Server
 * converts them to nvarchar): € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ. Node 20.20's
 * TextDecoder('windows-1252') decodes these bytes as Latin-1 (the C1 controls U+0080–U+009F:
 * nodejs/node#56542, #60888, since 20.18.3/22.13.0), so the decoding table built from it printed
 * every € and smart quote of the commonest collation as an invisible control character, and what
 * rowback printed depended on the Node version. Bytes 0xA0–0xFF are Latin-1 in 1252 and ICU's
 * decoding of them is right.
 */
export const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** WHATWG encoding label Node's TextDecoder (full ICU) understands, per Windows code page. */
const ENCODING_LABELS: Record<number, string> = {
  874: 'windows-874',
  932: 'shift_jis',
  936: 'gbk',
  949: 'euc-kr',
  950: 'big5',
  1250: 'windows-1250',
  1251: 'windows-1251',
  1252: 'windows-1252',
  1253: 'windows-1253',
  1254: 'windows-1254',
  1255: 'windows-1255',
  1256: 'windows-1256',
  1257: 'windows-1257',
  1258: 'windows-1258',
  65001: 'utf-8',
  866: 'ibm866',
};

/**
 * OEM code pages 437 and 850 (SQL_Latin1_General_CP437_*, *_CP850_*) are not in the WHATWG
 * encoding set, so TextDecoder cannot do them. Their upper halves (0x80..0xFF) below were
 * generated from glibc iconv's CP437/CP850 tables; the lower half is ASCII.
 */
const CP437_HIGH =
  '\u00c7\u00fc\u00e9\u00e2\u00e4\u00e0\u00e5\u00e7\u00ea\u00eb\u00e8\u00ef\u00ee\u00ec\u00c4\u00c5\u00c9\u00e6\u00c6\u00f4\u00f6\u00f2\u00fb\u00f9\u00ff\u00d6\u00dc\u00a2\u00a3\u00a5\u20a7\u0192\u00e1\u00ed\u00f3\u00fa\u00f1\u00d1\u00aa\u00ba\u00bf\u2310\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255d\u255c\u255b\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580\u03b1\u00df\u0393\u03c0\u03a3\u03c3\u00b5\u03c4\u03a6\u0398\u03a9\u03b4\u221e\u03c6\u03b5\u2229\u2261\u00b1\u2265\u2264\u2320\u2321\u00f7\u2248\u00b0\u2219\u00b7\u221a\u207f\u00b2\u25a0\u00a0';
const CP850_HIGH =
  '\u00c7\u00fc\u00e9\u00e2\u00e4\u00e0\u00e5\u00e7\u00ea\u00eb\u00e8\u00ef\u00ee\u00ec\u00c4\u00c5\u00c9\u00e6\u00c6\u00f4\u00f6\u00f2\u00fb\u00f9\u00ff\u00d6\u00dc\u00f8\u00a3\u00d8\u00d7\u0192\u00e1\u00ed\u00f3\u00fa\u00f1\u00d1\u00aa\u00ba\u00bf\u00ae\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb\u2591\u2592\u2593\u2502\u2524\u00c1\u00c2\u00c0\u00a9\u2563\u2551\u2557\u255d\u00a2\u00a5\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u00e3\u00c3\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u00a4\u00f0\u00d0\u00ca\u00cb\u00c8\u0131\u00cd\u00ce\u00cf\u2518\u250c\u2588\u2584\u00a6\u00cc\u2580\u00d3\u00df\u00d4\u00d2\u00f5\u00d5\u00b5\u00fe\u00de\u00da\u00db\u00d9\u00fd\u00dd\u00af\u00b4\u00ad\u00b1\u2017\u00be\u00b6\u00a7\u00f7\u00b8\u00b0\u00a8\u00b7\u00b9\u00b3\u00b2\u25a0\u00a0';

/** Decodes bytes of one code page to a string. */
export interface CodePageDecoder {
  readonly codePage: number;
  /** The text of bytes [start, end) of this code page (ICU's replacement character where ICU gives one). */
  decode(bytes: Uint8Array, start: number, end: number): string;
  /**
   * `decode`, and sets {@link nul} for the string it returns: the FixedVar generated reader's varchar
   * NUL check (plan.ts judgeLimit) reads it instead of searching the string for U+0000 (a two-byte
   * string's `indexOf('\0')` costs V8 a call into C++: 2–5 % of a CRM row's decode).
   */
  decodeNoting(bytes: Uint8Array, start: number, end: number): string;
  /**
   * After `decodeNoting`, bits: {@link NOTE_NUL} when the string it returned holds U+0000;
   * {@link NOTE_UNDEFINED} when a byte or byte pair the code page does not define (or, in UTF-8, an
   * invalid sequence) was read as U+FFFD; 0 when neither. NOTE_NUL is exact: a table-driven code
   * page maps no byte but 0x00 to U+0000 (checked when its tables are built: such a byte would take
   * the ICU path, where the string itself is searched), so there it is "a 0x00 byte was read as a
   * character". NOTE_UNDEFINED rides the same pass: the tables set it where they write U+FFFD, the
   * ICU paths (UTF-8, a DBCS value ICU decodes) where ICU gave one for bad bytes. Only valid until
   * the next call on this decoder (decoding is synchronous).
   */
  nul: number;
  /**
   * Where `decode` of bytes [start, end) reads a byte or pair the code page does not define (or
   * invalid UTF-8): [offset from start, byte count] per U+FFFD it writes for bad bytes. A scan of
   * its own, for the warning only: called when `nul` has NOTE_UNDEFINED, never per value.
   */
  undefinedSpans(bytes: Uint8Array, start: number, end: number): Array<[number, number, UndefinedKind]>;
  /**
   * Every byte string is text of this code page (every byte one character: 1252, 1250, 1251, 1254,
   * 1256, 1258, 874, 437, 850): `nul` never has NOTE_UNDEFINED, so the row decoders' generated code
   * leaves its test out for such a column (the commonest collations pay nothing for the note).
   */
  readonly definesEveryByte: boolean;
}

/** What a span of `undefinedSpans` is: a byte the code page does not define, a DBCS lead byte with no trail after it (or an ASCII one, read again), a lead and trail that make no character, bytes that are not UTF-8. */
export type UndefinedKind = 'byte' | 'lead' | 'pair' | 'utf8';

/** `nul` bit: the decoded string holds U+0000 (a 0x00 byte). */
export const NOTE_NUL = 1;
/**
 * `nul` bit: a byte or pair the code page does not define (invalid UTF-8 in 65001) was read as U+FFFD.
 *
 * Which bytes are undefined: those ICU (Node's TextDecoder, fatal) refuses, plus 1253's 0xAA — compared
 * byte by byte with Microsoft's tables (unicode.org MAPPINGS/VENDORS/MICSFT/WINDOWS/CPxxxx.TXT,
 * "#UNDEFINED") and glibc iconv here (`iconv -f CP1253` refuses 0xAA 0xD2 0xFF):
 *  - undefined in all three: 1253 0xD2 0xFF; 1255 0xCA 0xD9–0xDF 0xFB 0xFC 0xFF; 1257 0xA1 0xA5;
 *    932 0x80 0xA0 0xFD–0xFF; 936/949/950/932 a lead byte whose next byte makes no character; 949 0xFF;
 *  - 1253 0xAA: undefined in CP1253.TXT and glibc, U+00AA in Node 20.20's ICU: undefined here;
 *  - defined here though CPxxxx.TXT says UNDEFINED: the 0x80–0x9F holes of 1250–1258 (1252's 0x81
 *    0x8D 0x8F 0x90 0x9D, 1250's 0x81 0x83 0x88 0x90 0x98, …) and 949's 0x80 read as the C1 control of
 *    their value, as ICU/WHATWG do and as Windows' own conversion does (CP1252_80_9F; an nls table
 *    generated from Windows gives 1250's 0x81 → U+0081 too): one byte, one character, kept;
 *  - 874 0xDB–0xDE 0xFC–0xFF, 936 and 950 0xFF and the user-defined pairs read as private-use
 *    characters (ICU's mapping, Windows' best fit; glibc refuses most): kept, one to one.
 * No code page maps a byte or pair to U+FFFD (checked over ICU's every byte and pair), so in every
 * code page but UTF-8 a U+FFFD in the text is always such a byte (reinsert/service.ts undefinedBytesText).
 */
export const NOTE_UNDEFINED = 2;
/** decodeUnits' mark in `nul`: its ASCII path ran (NOTE_NUL to be found by a search, never NOTE_UNDEFINED). */
const NOTES_ASCII = -1;
/** decodeUnits' mark in `nul`: ICU decoded the value (both notes to be found by a search). */
const NOTES_ICU = -2;

/** `s` holds U+0000: NOTE_NUL, else 0. */
function nulIn(s: string): number {
  return s.indexOf('\0') >= 0 ? NOTE_NUL : 0;
}

/** `nul` of a string ICU decoded from a code page where no byte or pair means U+FFFD (every Windows code page): both notes, by search. */
function icuNotes(s: string): number {
  return nulIn(s) | (s.indexOf('\ufffd') >= 0 ? NOTE_UNDEFINED : 0);
}

/**
 * UTF-8 (the `_UTF8` collations). U+FFFD is a character UTF-8 can hold (EF BF BD), so a U+FFFD in
 * the text is not itself a note: the value is decoded with a fatal decoder first, and only bytes it
 * refuses (not UTF-8: WHATWG Encoding's UTF-8 decoder, one U+FFFD per maximal bad subpart) are read
 * by the replacing decoder and noted NOTE_UNDEFINED.
 */
class TextDecoderCodePage implements CodePageDecoder {
  private readonly td: TextDecoder;
  private readonly fatal: TextDecoder;
  nul = 0;
  readonly definesEveryByte = false;
  constructor(readonly codePage: number, label: string) {
    // ignoreBOM: a value's leading EF BB BF is its character U+FEFF, stored as given; TextDecoder's
    // default (WHATWG "BOM sniffing") dropped it, and the value printed and went back without it
    this.td = new TextDecoder(label, { ignoreBOM: true });
    this.fatal = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  }
  decode(bytes: Uint8Array, start: number, end: number): string {
    // Pure ASCII is the same in every supported code page: skip the ICU converter.
    if (isAscii(bytes, start, end)) return latin1(bytes, start, end);
    return this.td.decode(bytes.subarray(start, end));
  }
  decodeNoting(bytes: Uint8Array, start: number, end: number): string {
    if (isAscii(bytes, start, end)) {
      const a = latin1(bytes, start, end);
      this.nul = nulIn(a);
      return a;
    }
    let s: string;
    let undef = 0;
    try {
      s = this.fatal.decode(bytes.subarray(start, end));
    } catch {
      s = this.td.decode(bytes.subarray(start, end));
      undef = NOTE_UNDEFINED;
    }
    this.nul = nulIn(s) | undef;
    return s;
  }
  undefinedSpans(bytes: Uint8Array, start: number, end: number): Array<[number, number, UndefinedKind]> {
    // Each bad sequence on its own: the longest prefix from i that is a valid character or a valid start of one.
    const out: Array<[number, number, UndefinedKind]> = [];
    let i = start;
    while (i < end) {
      const n = utf8Length(bytes, i, end);
      if (n > 0) { i += n; continue; }
      const bad = -n;
      out.push([i - start, bad, 'utf8']);
      i += bad;
    }
    return out;
  }
}

/**
 * The UTF-8 character at i: its byte count (> 0), or −k for k bytes read as one U+FFFD (WHATWG
 * Encoding's UTF-8 decoder: a bad lead is one byte; a valid lead whose sequence stops early is the
 * lead and the continuation bytes it took, the byte that broke it not included).
 */
function utf8Length(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
  else return -1;
  let k = 1;
  for (; k <= need; k++) {
    if (i + k >= end) return -k;
    const t = b[i + k];
    if (t < lo || t > hi) return -k;
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}

/**
 * Table-driven decoder for a single- or double-byte Windows code page, built once from ICU's own
 * mapping (every byte and every lead/trail pair decoded through TextDecoder at first use), so that
 * hot loops avoid one ICU call per value. Sequences the tables cannot map (invalid pairs, pairs that
 * ICU maps to more than one UTF-16 unit) fall back to TextDecoder for the whole value, which keeps
 * ICU's exact replacement behaviour — except for code page 949, whose tables are completed here
 * (`addUhcExtension`) because Node's decoder lacks part of it: 949 values never go to TextDecoder.
 */
class TableDrivenCodePage implements CodePageDecoder {
  /**
   * byte → UTF-16 unit; 0xFFFF = lead byte of a pair (or unmapped). Only byte 0x00 maps to 0 (a
   * byte ICU decodes to U+0000 otherwise would be marked unmapped: none does, and `nul` relies on it).
   */
  private readonly single = new Uint16Array(256);
  /** (lead << 8 | trail) → UTF-16 unit; 0 = not mapped. */
  private readonly double: Uint16Array | null;
  /**
   * A single-byte code page whose every byte is one character (1252, 1250, 1251, 1254, 1256, 1258,
   * 874): a value of up to {@link SBCS_FROM_MAX} bytes is its bytes mapped through `single`, in one
   * fixed-arity String.fromCharCode call, with no ASCII test first (SBCS_FROM).
   */
  private readonly total: boolean;
  readonly definesEveryByte: boolean;
  private readonly fallback: TextDecoder;
  nul = 0;
  /**
   * Every value decoded through the tables, never TextDecoder (949: see addUhcExtension; 1252:
   * CP1252_80_9F; every single-byte code page, whose table is ICU's byte for byte); a byte or pair
   * the tables do not map gives U+FFFD and NOTE_UNDEFINED.
   */
  private readonly complete: boolean;
  private readonly dbcs: boolean;
  constructor(readonly codePage: number, label: string, dbcs: boolean) {
    this.fallback = new TextDecoder(label);
    // never TextDecoder for these: Node's is wrong for part of each (addUhcExtension, CP1252_80_9F);
    // a single-byte code page's table is ICU's own byte for byte, U+FFFD (noted) where ICU has none
    this.complete = codePage === 949 || codePage === 1252 || !dbcs;
    this.dbcs = dbcs;
    const fatal = new TextDecoder(label, { fatal: true });
    const one = new Uint8Array(1);
    for (let b = 0; b < 256; b++) {
      one[0] = b;
      let s: string | null = null;
      try {
        s = fatal.decode(one);
      } catch {
        s = null;
      }
      this.single[b] = s !== null && s.length === 1 && (b === 0 || s.charCodeAt(0) !== 0) ? s.charCodeAt(0) : 0xffff;
    }
    // Code page 949: every byte 0x81–0xFE leads a pair (Node's 'euc-kr' reads 0x81–0xA0 as C1 controls).
    if (codePage === 949) for (let b = 0x81; b <= 0xfe; b++) this.single[b] = 0xffff;
    // Code page 1253: 0xAA is UNDEFINED in Microsoft's CP1253.TXT (as 0xD2 and 0xFF are) and in glibc
    // iconv's CP1253; Node 20.20's ICU reads it as U+00AA 'ª', a character a Greek row never held.
    if (codePage === 1253) this.single[0xaa] = 0xffff;
    // Code page 1252: Microsoft's characters at 0x80–0x9F, whatever this Node's decoder says (CP1252_80_9F)
    if (codePage === 1252) for (let b = 0x80; b <= 0x9f; b++) this.single[b] = CP1252_80_9F.charCodeAt(b - 0x80);
    // after the tables' own corrections (a byte they map that ICU did not counts as mapped)
    this.total = !dbcs && this.single.every((c) => c !== 0xffff);
    this.definesEveryByte = this.total;
    this.double = dbcs ? new Uint16Array(65536) : null;
    if (this.double) {
      const two = new Uint8Array(2);
      for (let lead = 0x81; lead <= 0xfe; lead++) {
        if (this.single[lead] !== 0xffff) continue;
        two[0] = lead;
        for (let trail = 0x40; trail <= 0xfe; trail++) {
          two[1] = trail;
          try {
            const s = fatal.decode(two);
            if (s.length === 1) this.double[(lead << 8) | trail] = s.charCodeAt(0);
          } catch {
            /* not a valid pair */
          }
        }
      }
      if (codePage === 949) addUhcExtension(this.double);
    }
  }
  decode(bytes: Uint8Array, start: number, end: number): string {
    if (this.total && end - start <= SBCS_FROM_MAX) return SBCS_FROM[end - start](this.single, bytes, start, SBCS_NUL);
    return this.decodeUnits(bytes, start, end);
  }
  decodeNoting(bytes: Uint8Array, start: number, end: number): string {
    if (this.total && end - start <= SBCS_FROM_MAX) {
      const s = SBCS_FROM[end - start](this.single, bytes, start, SBCS_NUL);
      this.nul = SBCS_NUL[0];
      return s;
    }
    // decodeUnits sets `nul` on its table path; its ASCII and ICU paths mark it to be found by search
    const s = this.decodeUnits(bytes, start, end);
    if (this.nul < 0) this.nul = this.nul === NOTES_ASCII ? nulIn(s) : icuNotes(s);
    return s;
  }
  undefinedSpans(bytes: Uint8Array, start: number, end: number): Array<[number, number, UndefinedKind]> {
    // decodeUnits' table walk (a DBCS value ICU decodes: the same leads, pairs and WHATWG rule; a pair
    // ICU maps to two UTF-16 units is not in `double` but is defined, and is not listed)
    const out: Array<[number, number, UndefinedKind]> = [];
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b < 0x80 || this.single[b] !== 0xffff) continue;
      if (this.double !== null && i + 1 < end && this.double[(b << 8) | bytes[i + 1]] !== 0) { i++; continue; }
      if (this.double !== null && !this.complete && i + 1 < end && this.pairOfIcu(b, bytes[i + 1])) { i++; continue; }
      const lead = this.leads(b);
      const pair = lead && i + 1 < end && bytes[i + 1] >= 0x80;
      out.push([i - start, pair ? 2 : 1, pair ? 'pair' : lead ? 'lead' : 'byte']);
      if (pair) i++;
    }
    return out;
  }
  /**
   * A DBCS lead byte: a broken pair takes its trail. 932: 0x81–0x9F, 0xE0–0xFC (CP932.TXT's
   * DBCS LEAD BYTEs); 936, 949, 950: 0x81–0xFE (CP936.TXT, CP949.TXT, CP950.TXT).
   */
  leads(b: number): boolean {
    if (!this.dbcs) return false;
    return this.codePage === 932 ? (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc) : b >= 0x81 && b <= 0xfe;
  }
  /** ICU decodes lead+trail to something without U+FFFD (a pair the one-unit table leaves out). */
  private pairOfIcu(lead: number, trail: number): boolean {
    return this.fallback.decode(Uint8Array.of(lead, trail)).indexOf('\ufffd') < 0;
  }
  /** decode's path for a DBCS code page, an SBCS with unmapped bytes, and values longer than SBCS_FROM_MAX. */
  private decodeUnits(bytes: Uint8Array, start: number, end: number): string {
    // ASCII text in a Buffer: Node's native latin1 slice is the fastest path there is.
    if (end - start > 8 && isAscii(bytes, start, end)) {
      this.nul = NOTES_ASCII;
      return latin1(bytes, start, end);
    }
    // Collect UTF-16 units into a preallocated array of exactly the right length, then one
    // String.fromCharCode.apply: measured ~2x faster than concatenation from 10 characters on.
    if (end - start > MAX_SHORT) {
      if (this.complete) return this.decodeLong(bytes, start, end);
      this.nul = NOTES_ICU;
      return this.fallback.decode(bytes.subarray(start, end));
    }
    let n = 0;
    let nul = 0;
    let undef = 0;
    const u = UNITS;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b < 0x80) {
        // the only byte read as U+0000 here (`single` maps no other byte to 0, `double` never gives 0)
        if (b === 0) nul = 1;
        u[n++] = b;
        continue;
      }
      const c = this.single[b];
      if (c !== 0xffff) {
        u[n++] = c;
        continue;
      }
      const d = this.double !== null && i + 1 < end ? this.double[(b << 8) | bytes[i + 1]] : 0;
      if (d === 0) {
        if (!this.complete) {
          this.nul = NOTES_ICU;
          return this.fallback.decode(bytes.subarray(start, end));
        }
        // A byte the code page does not define (Microsoft's CPxxxx.TXT UNDEFINED, ICU's table
        // likewise), or a lead byte without a trail that makes a pair with it: U+FFFD, noted.
        // WHATWG's rule for a broken pair: a non-ASCII trail goes with the lead, an ASCII one is read again.
        u[n++] = 0xfffd;
        undef = NOTE_UNDEFINED;
        if (this.leads(b) && i + 1 < end && bytes[i + 1] >= 0x80) i++;
        continue;
      }
      u[n++] = d;
      i++;
    }
    this.nul = nul | undef;
    return unitsToString(u, n);
  }
  /** `decode` for a value longer than MAX_SHORT bytes of a `complete` code page: the same tables, in slices of whole characters. */
  private decodeLong(bytes: Uint8Array, start: number, end: number): string {
    let out = '';
    let nul = 0;
    let from = start;
    while (from < end) {
      let to = Math.min(end, from + MAX_SHORT);
      // never cut a pair: step back to a position reached from `from` character by character
      if (to < end) {
        let i = from;
        while (i < to) i += this.leads(bytes[i]) && this.single[bytes[i]] === 0xffff && i + 1 < end ? 2 : 1;
        to = i > to ? i - 2 : i;
      }
      // each slice sets `nul` on the table path only (decodeNoting's rule): a note in any slice counts
      // (the SBCS_FROM path of a short last slice leaves NOTES_ASCII: a total code page has no undefined byte)
      this.nul = NOTES_ASCII;
      const part = this.decode(bytes, from, to);
      if (this.nul < 0) this.nul = this.nul === NOTES_ASCII ? nulIn(part) : icuNotes(part);
      nul |= this.nul;
      out += part;
      from = to;
    }
    this.nul = nul;
    return out;
  }
}

/**
 * Code page 949 (Korean_*, Unified Hangul Code) is EUC-KR (KS X 1001, leads 0xA1–0xFE with trails
 * 0xA1–0xFE: 2,350 Hangul syllables among them) plus 8,822 more Hangul syllables: every precomposed
 * syllable U+AC00–U+D7A3 that KS X 1001 lacks, in Unicode order, at leads 0x81–0xA0 (trails
 * 0x41–0x5A, 0x61–0x7A, 0x81–0xFE) then leads 0xA1–0xC6 (trails 0x41–0x5A, 0x61–0x7A, 0x81–0xA0),
 * ending at 0xC652 = U+D7A3 (Microsoft's code page 949 table; WHATWG Encoding "EUC-KR", whose index
 * is windows-949). Node's 'euc-kr' TextDecoder (ICU 78) has only the EUC-KR part: 0x81 0x41 (U+AC02
 * '갂') came out as U+0081 'A', 0xC6 0x52 (U+D7A3 '힣') as U+FFFD 'R', so Korean text read as
 * Korean text with stray letters. Checked pair by pair against glibc iconv's CP949 (all 23,940
 * pairs of leads 0x81–0xFE, trails 0x40–0xFE: the same character wherever both map one; iconv maps
 * none that this table does not, and this one maps only the user-defined 0xC9xx/0xFExx pairs, to
 * the private use area, as ICU does).
 * Fills `double` from the KS X 1001 syllables it already holds, and the two symbols Microsoft's
 * table adds to KS X 1001 (0xA2E6 €, 0xA2E7 ®; glibc CP949 has them too), which Node's lacks.
 */
function addUhcExtension(double: Uint16Array): void {
  double[0xa2e6] = 0x20ac;
  double[0xa2e7] = 0x00ae;
  const inKs = new Uint8Array(0xd7a4 - 0xac00);
  for (let lead = 0xb0; lead <= 0xc8; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      const c = double[(lead << 8) | trail];
      if (c >= 0xac00 && c <= 0xd7a3) inKs[c - 0xac00] = 1;
    }
  }
  let c = 0xac00;
  const next = (): number => {
    while (c <= 0xd7a3 && inKs[c - 0xac00] === 1) c++;
    return c <= 0xd7a3 ? c++ : 0;
  };
  for (let lead = 0x81; lead <= 0xc6; lead++) {
    const ranges: Array<[number, number]> = lead <= 0xa0 ? [[0x41, 0x5a], [0x61, 0x7a], [0x81, 0xfe]] : [[0x41, 0x5a], [0x61, 0x7a], [0x81, 0xa0]];
    for (const [lo, hi] of ranges) {
      for (let trail = lo; trail <= hi; trail++) {
        const u = next();
        if (u === 0) return;
        double[(lead << 8) | trail] = u;
      }
    }
  }
}

/** Longest value (bytes) SBCS_FROM reads: beyond, the native latin1 slice or the units path. */
const SBCS_FROM_MAX = 32;
/** Where SBCS_FROM writes whether the bytes held a 0x00 (1) or not (0). */
const SBCS_NUL = new Int32Array(1);
/**
 * SBCS_FROM[n](t, a, s, z) = the n bytes at a[s…] mapped through the 256-entry table t, as one
 * String.fromCharCode call with n fixed arguments (one flat string, one read of each byte, no ASCII
 * test), and z[0] = 1 when one of the bytes is 0x00 (a byte b is 0 exactly when b − 1 is negative).
 * Measured on Node 20, 15–19 ASCII bytes of 1252: 39–43 ns against 45–53 ns for the ASCII test and
 * FROM_CODES it replaces for total single-byte code pages.
 */
const SBCS_FROM: Array<(t: Uint16Array, a: Uint8Array, s: number, z: Int32Array) => string> = Array.from(
  { length: SBCS_FROM_MAX + 1 },
  (_, n) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    const body = n === 0
      ? 'z[0] = 0; return \'\';'
      : `${idx.map((i) => `const b${i} = a[s + ${i}];`).join(' ')} z[0] = (${idx.map((i) => `(b${i} - 1)`).join(' | ')}) < 0 ? 1 : 0; return String.fromCharCode(${idx.map((i) => `t[b${i}]`).join(', ')});`;
    return new Function('t', 'a', 's', 'z', body) as (t: Uint16Array, a: Uint8Array, s: number, z: Int32Array) => string;
  },
);

/** Longest value (bytes) the table-driven decoders handle themselves; longer ones go to TextDecoder. */
const MAX_SHORT = 256;
/**
 * The decoded UTF-16 units, in a Buffer of its own: on a little-endian machine its native UTF-16LE
 * slice turns them into one flat string with no copy through a JS array (measured on Node 20:
 * ~2x `String.fromCharCode.apply` for 10–30 characters).
 */
const UNITS_BUF = Buffer.alloc(2 * MAX_SHORT);
const UNITS = new Uint16Array(UNITS_BUF.buffer, UNITS_BUF.byteOffset, MAX_SHORT);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** BY_LENGTH[n] is an array of exactly n slots (never resized, so V8 keeps it packed). */
const BY_LENGTH: number[][] = Array.from({ length: MAX_SHORT + 1 }, (_, n) => new Array<number>(n).fill(0));
type Slice = (this: Buffer, start: number, end: number) => string;
/** Buffer#latin1Slice / #ucs2Slice (what toString ends in) when this Node has them: no encoding lookup per call. */
const LATIN1_SLICE = (Buffer.prototype as unknown as { latin1Slice?: Slice }).latin1Slice;
const UCS2_SLICE = (Buffer.prototype as unknown as { ucs2Slice?: Slice }).ucs2Slice;

function latin1Slice(b: Buffer, start: number, end: number): string {
  return LATIN1_SLICE !== undefined ? LATIN1_SLICE.call(b, start, end) : b.toString('latin1', start, end);
}

/**
 * FROM_CODES[n](a, s) = String.fromCharCode(a[s], a[s + 1], …, a[s + n − 1]): one call with n fixed
 * arguments makes one flat string without crossing into C++. Measured on Node 20 for 9–24
 * characters: ~1.5–2x a Buffer's native latin1/UTF-16 slice (whose call overhead dominates short
 * values) and a char-by-char concatenation; from ~32 characters on the native slice wins.
 */
const FROM_CODES_MAX = 32;
const FROM_CODES: Array<(a: ArrayLike<number>, s: number) => string> = Array.from(
  { length: FROM_CODES_MAX + 1 },
  (_, n) => new Function('a', 's', `return String.fromCharCode(${Array.from({ length: n }, (_, i) => `a[s + ${i}]`).join(', ')});`) as (a: ArrayLike<number>, s: number) => string,
);

function unitsToString(u: Uint16Array, n: number): string {
  if (n <= FROM_CODES_MAX) return FROM_CODES[n](u, 0);
  if (LITTLE_ENDIAN) return UCS2_SLICE !== undefined ? UCS2_SLICE.call(UNITS_BUF, 0, 2 * n) : UNITS_BUF.toString('utf16le', 0, 2 * n);
  const a = BY_LENGTH[n];
  for (let i = 0; i < n; i++) a[i] = u[i];
  return String.fromCharCode.apply(null, a);
}

/** OEM code pages 437/850: a 128-entry table for the upper half. */
class TableCodePage implements CodePageDecoder {
  nul = 0;
  readonly definesEveryByte = true;
  constructor(readonly codePage: number, private readonly high: string) {}
  decode(bytes: Uint8Array, start: number, end: number): string {
    if (isAscii(bytes, start, end)) return latin1(bytes, start, end);
    let s = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      s += b < 0x80 ? String.fromCharCode(b) : this.high[b - 0x80];
    }
    return s;
  }
  decodeNoting(bytes: Uint8Array, start: number, end: number): string {
    const s = this.decode(bytes, start, end);
    this.nul = nulIn(s);
    return s;
  }
  /** 437 and 850 define every byte. */
  undefinedSpans(): Array<[number, number, UndefinedKind]> {
    return [];
  }
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  // Four bytes per test (measured on Node 20: 17 → 14 ns for 19 bytes), then the rest one by one.
  let i = start;
  for (; i + 4 <= end; i += 4) if (((bytes[i] | bytes[i + 1] | bytes[i + 2] | bytes[i + 3]) & 0x80) !== 0) return false;
  for (; i < end; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

/**
 * Latin-1 / ASCII bytes to a string. Measured on Node 20: one fixed-arity String.fromCharCode up to
 * 32 bytes (FROM_CODES); beyond that the native latin1 slice when the bytes already are a Buffer (decodeRow makes sure of
 * that for layouts with several string columns), else `String.fromCharCode.apply` over the bytes.
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= FROM_CODES_MAX) return FROM_CODES[n](bytes, start);
  if (bytes instanceof Buffer) return latin1Slice(bytes, start, end);
  if (n <= 1024) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, n).toString('latin1');
}

/**
 * Whether `codePage` is one of the double-byte (DBCS) code pages SQL Server gives char/varchar data:
 * 932 Japanese (Shift-JIS), 936 Simplified Chinese (GBK), 949 Korean, 950 Traditional Chinese
 * (Big5), where a lead byte and the byte after it make one character (Microsoft's CP932.TXT,
 * CP936.TXT, CP949.TXT, CP950.TXT at unicode.org). The one list the decoders here and the
 * re-insert code-page checks (reinsert/code-page-fit.ts) share.
 */
export function isDbcsCodePage(codePage: number): boolean {
  return codePage === 932 || codePage === 936 || codePage === 949 || codePage === 950;
}

const decoders = new Map<number, CodePageDecoder | null>();

/** The cached decoder of a code page; null when the code page is not supported. */
export function decoderForCodePage(codePage: number): CodePageDecoder | null {
  let d = decoders.get(codePage);
  if (d !== undefined) return d;
  if (codePage === 437) d = new TableCodePage(437, CP437_HIGH);
  else if (codePage === 850) d = new TableCodePage(850, CP850_HIGH);
  else {
    const label = ENCODING_LABELS[codePage];
    d = null;
    if (label) {
      try {
        // UTF-8 stays with TextDecoder (already native-fast); Windows code pages get tables.
        d = codePage === 65001 ? new TextDecoderCodePage(codePage, label) : new TableDrivenCodePage(codePage, label, isDbcsCodePage(codePage));
      } catch {
        d = null; // Node built without full ICU
      }
    }
  }
  decoders.set(codePage, d);
  return d;
}

/** Shorthand: the cached TextDecoder-backed decoder for a collation, falling back to 1252 when unknown. */
export function decoderForCollation(name: string | null): CodePageDecoder {
  const cp = codePageForCollation(name);
  return (cp !== null ? decoderForCodePage(cp) : null) ?? (decoderForCodePage(1252) as CodePageDecoder);
}
