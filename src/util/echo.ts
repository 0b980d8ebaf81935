/**
 * Text rowback shows a reader that it did not write itself (a path, a typed value, a table or
 * column name, a database name a file holds), made one line: rowback's one escaper of unprintable
 * characters (escapeUnprintable) and its one notation for them, `\u{…}`. A refusal, a note or a
 * WARNING naming such text stays one line on stderr and one readable field in the API's answer and
 * in `--report`; T-SQL comments (util/tsql.ts commentText) and names in messages (identifierText)
 * write the same characters the same way. Kept small and free of imports: the CLI loads it for every
 * command, `rowback --version` included.
 */
/**
 * An unpaired UTF-16 surrogate, as a RegExp source: a high one (U+D800–U+DBFF) not followed by a low
 * one, or a low one (U+DC00–U+DFFF) not after a high one (surrogates.ts, which re-exports it, says
 * where they come from). Defined here, not there, so that the CLI's start-up loads one module for it.
 */
export const UNPAIRED_SURROGATE_SOURCE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/**
 * The characters escapeUnprintable writes as `\u{…}`: the C0 controls (U+0000–U+001F: LF, CR, TAB,
 * ESC, …), DEL (U+007F), the C1 controls (U+0080–U+009F: U+0085 NEL is a line end to some readers),
 * U+2028 and U+2029 (a line and a paragraph end to JavaScript and to editors), every format
 * character (Unicode general category Cf) but those keptFormat keeps, and an unpaired UTF-16
 * surrogate (a pair stays whole: it is one character; in a `u` RegExp `\p{Cs}` matches only a half
 * alone).
 * - A line break in a path or name broke a one-line refusal, note or WARNING in two, and its second
 *   half read as a line of its own (a file named `x<LF>rowback: note: …`); ESC starts a terminal's
 *   control sequence; the other controls are invisible or move the cursor.
 * - The format characters are invisible, or reorder what follows them: the bidirectional controls
 *   (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) make a terminal show a name reversed (a
 *   file `x<U+202E>kab.sql` reads as `xlqs.bak`), and the zero-width ones (U+200B, U+2060, U+FEFF,
 *   U+00AD, U+2061–U+2064, the tag characters U+E0000–U+E007F, …) make two different names print
 *   alike: `dbo.Orders` and `dbo.Ord<U+200B>ers`, a wrong answer that looks right (Unicode Technical
 *   Report #36, "Unicode Security Considerations", 2.3 and 2.4).
 * - An unpaired surrogate has no UTF-8 form (The Unicode Standard §3.9 D92): stderr and any UTF-8 file
 *   write U+FFFD there, which names another table or file, while JSON writes `\ud83d`; written as its
 *   code unit it reads the same in both.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]|\p{Cs}/gu;

/** The prepended concatenation marks (keptFormat): drawn, over the digits after them. */
const PREPENDED_MARK = /^[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u{110bd}\u{110cd}]$/u;

/** The scripts whose letters ZWNJ and ZWJ shape (cursive joining or conjuncts), as Script_Extensions values. */
const JOINER_SCRIPTS = ['Arabic', 'Syriac', 'Nko', 'Mongolian', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Tibetan', 'Myanmar', 'Khmer'];

/**
 * The RegExps keptFormat tests a joiner's neighbours with: one letter or mark of each JOINER_SCRIPTS
 * script, and the emoji an emoji ZWJ sequence joins (a pictograph, `👩`; before the joiner its emoji
 * presentation selector or skin-tone modifier too). Made on first use: compiling them took ~7 ms,
 * paid by every command (`rowback --version` too) though few texts hold a joiner.
 */
let joinerTests: { scripts: RegExp[]; emojiBefore: RegExp; emojiAfter: RegExp } | undefined;
function joinerRegExps(): { scripts: RegExp[]; emojiBefore: RegExp; emojiAfter: RegExp } {
  joinerTests ??= {
    scripts: JOINER_SCRIPTS.map((sc) => new RegExp(`^(?=[\\p{L}\\p{M}])\\p{scx=${sc}}$`, 'u')),
    emojiBefore: /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]$/u,
    emojiAfter: /^\p{Extended_Pictographic}$/u,
  };
  return joinerTests;
}

/** The character (a code point, a surrogate pair whole) ending just before `at` in `text`, '' at the start. */
function charBefore(text: string, at: number): string {
  const low = text.charCodeAt(at - 1);
  const high = text.charCodeAt(at - 2);
  if (at >= 2 && low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff) return text.slice(at - 2, at);
  return at >= 1 ? text[at - 1]! : '';
}

/** The character (a code point, a surrogate pair whole) starting at `at` in `text`, '' at the end. */
function charAt(text: string, at: number): string {
  const cp = text.codePointAt(at);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/**
 * Whether the format character `c` at `at` in `text` is one of those a name of a real script holds
 * and that print as part of it, left as they are:
 * - the prepended concatenation marks (U+0600–U+0605, U+06DD, U+070F, U+0890, U+0891, U+08E2,
 *   U+110BD, U+110CD: the Arabic number sign and its kin), which are drawn, over the digits after them;
 * - ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D) between two letters or marks of
 *   one script they shape (JOINER_SCRIPTS): ZWNJ is part of Persian spelling (`می‌خواهم`) and of
 *   Indic orthography, ZWJ picks a Devanagari or Malayalam conjunct form; there they change what is
 *   drawn, so the name reads as itself (The Unicode Standard §23.2, "Layout Controls");
 * - ZWJ between two emoji (an emoji ZWJ sequence, `👩‍💻`, Unicode Technical Standard #51 §2.3): drawn
 *   as one emoji, or as its two parts where the terminal lacks it.
 * Anywhere else (`Ord<U+200C>ers`, a joiner at the end, between Latin letters) they are written
 * `\u{200c}`: invisible there, and the name would print as another. The choice costs some exactness
 * both ways: a ZWNJ after a Persian letter that never joins (`ر`) is invisible still, and an emoji
 * tag sequence (a subdivision flag, U+1F3F4 then tag characters) prints as the black flag then
 * `\u{e0067}…`; a sysname rarely holds either.
 */
function keptFormat(c: string, at: number, text: string): boolean {
  if (c !== '\u200c' && c !== '\u200d') return PREPENDED_MARK.test(c);
  const before = charBefore(text, at);
  const after = charAt(text, at + 1);
  // the answer depends on these three characters alone: looked up, not tested again (17 Script_Extensions
  // RegExps per joiner made a text of Persian words escape ~20 times slower than before they were)
  const key = before + c + after;
  const known = JOINER_KEPT.get(key);
  if (known !== undefined) return known;
  const { scripts, emojiBefore, emojiAfter } = joinerRegExps();
  const kept = scripts.some((sc) => sc.test(before) && sc.test(after)) || (c === '\u200d' && emojiBefore.test(before) && emojiAfter.test(after));
  if (JOINER_KEPT.size >= JOINER_KEPT_MAX) JOINER_KEPT.clear();
  JOINER_KEPT.set(key, kept);
  return kept;
}

/** keptFormat's answers by `before + joiner + after` (each at most 5 UTF-16 units), emptied when full. */
const JOINER_KEPT = new Map<string, boolean>();
const JOINER_KEPT_MAX = 4096;

/** `c` (one character or one unpaired surrogate) as `\u{…}`: its code point in lower-case hex, no leading zeros (`\u{a}`, `\u{2028}`, `\u{d83d}`). */
export function codePointText(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

/**
 * `text` with each character escapeUnprintable writes `\u{…}` (UNPRINTABLE, less what
 * keptFormat keeps there) replaced by `write(c)`: the one reading of which characters those
 * are, for escapeUnprintable and for util/shell-word.ts shellWord, which quotes the same characters
 * in its own notation (so an advised word stays as it is through a line's escaping). `c` is one
 * character, a surrogate pair whole, or an unpaired surrogate. Pure.
 */
export function replaceUnprintable(text: string, write: (c: string) => string): string {
  // matchAll, not replace with a callback: a text of Persian words (a ZWNJ kept every few letters)
  // escaped 7–20 times slower through replace's callback, each kept joiner a match put back as it was
  let out = '';
  let from = 0;
  for (const m of text.matchAll(UNPRINTABLE)) {
    const c = m[0];
    if (keptFormat(c, m.index, text)) continue;
    out += text.slice(from, m.index) + write(c);
    from = m.index + c.length;
  }
  return from === 0 && out === '' ? text : out + text.slice(from);
}

/**
 * `text` with every UNPRINTABLE character written `\u{…}` (codePointText): `a<LF>b` → `a\u{a}b`,
 * `T<U+D83D>` → `T\u{d83d}`, `x<U+202E>kab` → `x\u{202e}kab`, `Ord<U+200B>ers` → `Ord\u{200b}ers`;
 * a surrogate pair (`😀`), ZWNJ and ZWJ where they shape a name (keptFormat) and every other
 * character as they are. Whole (no length cut); pure. The one escaper: oneLineText, identifierText
 * and commentText are it.
 */
export function escapeUnprintable(text: string): string {
  return replaceUnprintable(text, codePointText);
}

/**
 * User input quoted back in an error message: at most `max` characters (a 10,000-character
 * "time" is not repeated whole) and no line breaks or other control characters (every refusal
 * stays one line on stderr and one readable field in the API's answer): oneLineText. The cut falls
 * between characters as written: never inside a `\u{…}` (a `\u{` left at the end read as a
 * character of the value) nor between the two halves of a surrogate pair (its high half, alone,
 * printed as U+FFFD).
 */
export function echoInput(text: string, max = 80): string {
  const clean = oneLineText(String(text));
  if (clean.length <= max) return clean;
  return `${cutOneLineText(clean, max)}… (${text.length} characters)`;
}

/**
 * The first at most `max` UTF-16 code units of `clean` (a text oneLineText made one line), cut
 * between characters as written: never inside a `\u{…}` (a `\u{2` left at the end reads as part of
 * the name) nor between the two halves of a surrogate pair (its high half alone printed as U+FFFD),
 * nor just after a ZWNJ/ZWJ escapeUnprintable kept between letters (cut there, it joins nothing and
 * oneLineText, which every line goes through, writes it `\u{200c}`: the cut is oneLineText's fixed
 * point). `clean` whole when it is no longer. echoInput's cut and the progress line's (cli/progress.ts). Pure.
 */
export function cutOneLineText(clean: string, max: number): string {
  if (clean.length <= max) return clean;
  let end = max;
  for (const m of clean.matchAll(/\\u\{[0-9a-f]+\}/g)) {
    if (m.index >= max) break;
    if (m.index + m[0].length > max) end = m.index;
  }
  if (end === max && /[\ud800-\udbff]/.test(clean[max - 1] ?? '')) end = max - 1;
  // nor after a ZWNJ or ZWJ kept between two letters or emoji (keptFormat): at the cut's end it joins
  // nothing, and a line writing the cut text again wrote it `\u{200c}`, where the API's answer held it raw
  while (end > 0 && (clean[end - 1] === '\u200c' || clean[end - 1] === '\u200d')) end--;
  return clean.slice(0, end);
}

/**
 * `text` made one line for a line rowback writes (a refusal, a note, a WARNING; the CLI's
 * stderr-lines.ts writes every line through it): escapeUnprintable, whole (no length cut). Pure.
 *
 * It takes what escapeUnprintable takes, unpaired surrogates and format characters included. The
 * reader of such a line is a terminal, a log or a script reading stderr, or a JSON reader of the
 * refusal (the API's message, `--report`'s `failed`):
 * - An unpaired surrogate reaches the terminal as U+FFFD (stderr is UTF-8) and the JSON reader as
 *   `\ud83d`: two names for one file, neither the one shown. Written `\u{d83d}`, both read the same,
 *   and it is the unit the name holds.
 * - A bidirectional control (U+202E) showed the rest of the line reversed, and a zero-width
 *   character (U+200B, U+FEFF) made two names print alike; written `\u{202e}`, each reads as what it
 *   is. ZWNJ and ZWJ are kept where they shape a name's letters (keptFormat).
 */
export function oneLineText(text: string): string {
  return escapeUnprintable(text);
}
