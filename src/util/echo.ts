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
 * U+2028 and U+2029 (a line and a paragraph end to JavaScript and to editors), and an unpaired UTF-16
 * surrogate (surrogates.ts; a pair stays whole: it is one character).
 * - A line break in a path or name broke a one-line refusal, note or WARNING in two, and its second
 *   half read as a line of its own (a file named `x<LF>rowback: note: …`); ESC starts a terminal's
 *   control sequence; the other controls are invisible or move the cursor.
 * - An unpaired surrogate has no UTF-8 form (The Unicode Standard §3.9 D92): stderr and any UTF-8 file
 *   write U+FFFD there, which names another table or file, while JSON writes `\ud83d`; written as its
 *   code unit it reads the same in both.
 */
const UNPRINTABLE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]|${UNPAIRED_SURROGATE_SOURCE}`, 'g');

/** `c` (one character or one unpaired surrogate) as `\u{…}`: its code point in lower-case hex, no leading zeros (`\u{a}`, `\u{2028}`, `\u{d83d}`). */
export function codePointText(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

/**
 * `text` with every UNPRINTABLE character written `\u{…}` (codePointText): `a<LF>b` → `a\u{a}b`,
 * `T<U+D83D>` → `T\u{d83d}`; a surrogate pair (`😀`) and every other character as they are. Whole
 * (no length cut); pure. The one escaper: oneLineText, identifierText and commentText are it.
 */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, codePointText);
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
 * the name) nor between the two halves of a surrogate pair (its high half alone printed as U+FFFD).
 * `clean` whole when it is no longer. echoInput's cut and the progress line's (cli/progress.ts). Pure.
 */
export function cutOneLineText(clean: string, max: number): string {
  if (clean.length <= max) return clean;
  let end = max;
  for (const m of clean.matchAll(/\\u\{[0-9a-f]+\}/g)) {
    if (m.index >= max) break;
    if (m.index + m[0].length > max) end = m.index;
  }
  if (end === max && /[\ud800-\udbff]/.test(clean[max - 1] ?? '')) end = max - 1;
  return clean.slice(0, end);
}

/**
 * `text` made one line for a line rowback writes (a refusal, a note, a WARNING; the CLI's
 * stderr-lines.ts writes every line through it): escapeUnprintable, whole (no length cut). Pure.
 *
 * It takes what escapeUnprintable takes, unpaired surrogates included, and not U+FEFF (which
 * commentText takes as well). The reader of such a line is a terminal, a log or a script reading
 * stderr, or a JSON reader of the refusal (the API's message, `--report`'s `failed`):
 * - An unpaired surrogate reaches the terminal as U+FFFD (stderr is UTF-8) and the JSON reader as
 *   `\ud83d`: two names for one file, neither the one shown. Written `\u{d83d}`, both read the same,
 *   and it is the unit the name holds.
 * - U+FEFF (a byte-order mark, or a zero-width no-break space) ends no line, UTF-8 and JSON both
 *   carry it, and a line rowback writes never starts with data. It is one of several invisible
 *   format characters (U+200B, U+200E, U+202E, …): escaping it alone would promise what the line does
 *   not keep, so none of them is escaped. A script comment takes it for its own reader, an editor or
 *   sqlcmd, to which it marks where a file's text begins.
 */
export function oneLineText(text: string): string {
  return escapeUnprintable(text);
}
