/**
 * How a key value compares under its column's collation, for every check of a re-insert that asks
 * "are these two values one key": the plan's duplicate-key and unique-key checks (plan.ts
 * refuseSharedKeys, refuseSharedUniqueKeys), the self-reference order (plan.ts parentsFirst) and
 * the notes about referenced rows a script leaves out (source-keys.ts referenceKeys). They folded
 * text two ways (JavaScript's `toLowerCase` in the plan, Turkish-aware folds in the notes), so under
 * Turkish_CI_AS the plan refused 'ILKER' and 'iLKER' as one key, which the server takes as two, and
 * let 'ILKER' and 'ılker', which it takes as one, both go to the run: the older went back and the
 * newer, the state just before the last delete, became a "conflict" with it.
 *
 * Two folds: `same` gives two texts one key only where the collation surely takes them as one
 * (documented rules: letter case unless _CS or binary, Turkish/Azeri case pairs, Latin1_General _AI
 * marks, trailing spaces); `maybe` also folds what the collation may take as one (width, kana, marks
 * under any _AI, 'ß'/'ss', 'æ'/'ae', 'œ'/'oe', Greek final sigma, characters it may not weigh), never
 * giving two texts to values `same` makes one. Which check takes which: the refusals (duplicate key,
 * unique value) group by `maybe` and say when a group is one key only maybe (a pair let through as
 * two that the server takes as one put the older version back and the newer as a conflict); the
 * self-reference order adds an edge by `maybe`; the notes take a parent as planned by `same` and look
 * for a left-out one by `maybe`: a wrong fold adds a refusal, an edge or a note, never hides one. Sources: Microsoft Learn, "Collation and Unicode support" (the _CS, _AI, _KS,
 * _WS and _BIN suffixes); Microsoft, Qingsong Yao, "Introduce the Turkish I issue" (2009): "even we
 * do case insensitive comparison, i and I are not equal" under a Turkish collation; Microsoft Learn,
 * "How SQL Server compares strings with trailing spaces" (ANSI padding: `=` ignores trailing spaces
 * under every collation).
 */

/** What a collation name says of how its text compares (the suffixes of Microsoft Learn, "Collation and Unicode support"). */
export interface CollationFolds {
  /** _BIN or _BIN2: code points compared, nothing folded but trailing spaces. */
  binary: boolean;
  /** _CS or binary: letter case kept. */
  caseSensitive: boolean;
  /** _AI, in any language (not binary). */
  accentInsensitive: boolean;
  /** _AI of a Latin1_General or SQL_Latin1_General collation: marks surely dropped. In others a letter with a mark can be a letter of its own even under _AI (Danish_Norwegian's 'å'). */
  latinAccentInsensitive: boolean;
  /** Turkish or Azeri: 'I'/'ı' and 'İ'/'i' are the case pairs, never 'I'/'i'. */
  turkic: boolean;
  /** No _KS (not binary): hiragana and katakana compare equal. */
  kanaInsensitive: boolean;
  /** No _WS (not binary): a full-width character and its half-width form compare equal. */
  widthInsensitive: boolean;
  /**
   * A SQL Server collation (SQL_…) of a char/varchar/text column: compared by its code page's
   * simple mapping, character by character, with no expansions: varchar 'ß' = 'ss' is false under
   * SQL_Latin1_General_CP1_CI_AS while nvarchar N'ß' = 'ss' is true (dba.stackexchange.com question
   * 335859, run on SQL Server 2019; Microsoft Learn, "Collation and Unicode support": a SQL Server
   * collation's non-Unicode sort order differs from its Unicode one). Set by columnFolds (the
   * column's type); absent for a collation name alone.
   */
  sqlNonUnicode?: boolean;
}

/**
 * The folds of collation `name` (e.g. `Turkish_100_CI_AI_SC_UTF8`, `SQL_Latin1_General_CP1_CI_AS`);
 * null for a null or empty name (not a text column, or its collation not known). Never throws.
 */
export function collationFolds(name: string | null | undefined): CollationFolds | null {
  if (typeof name !== 'string' || name === '') return null;
  const binary = /_BIN2?(_|$)/i.test(name);
  return {
    binary,
    caseSensitive: binary || /_CS(_|$)/i.test(name),
    accentInsensitive: !binary && /_AI(_|$)/i.test(name),
    latinAccentInsensitive: !binary && /^(SQL_)?Latin1_General_.*_AI(_|$)/i.test(name),
    turkic: /^(Turkish|Azeri)_/i.test(name),
    kanaInsensitive: !binary && !/_KS(_|$)/i.test(name),
    widthInsensitive: !binary && !/_WS(_|$)/i.test(name),
  };
}

/**
 * The folds of column `name` of table `t` (its `collation`, as a target's catalog or a layout gives
 * it; the name matched exactly, else in any case); null when the column is not found or has no collation.
 */
export function columnFolds(t: { columns: readonly { name: string; collation?: string | null; type?: string }[] }, name: string): CollationFolds | null {
  const c = t.columns.find((x) => x.name === name) ?? t.columns.find((x) => x.name.toLowerCase() === name.toLowerCase());
  const f = collationFolds(c?.collation);
  return f && /^SQL_/i.test(c!.collation!) && ['char', 'varchar', 'text'].includes(c!.type ?? '') ? { ...f, sqlNonUnicode: true } : f;
}

/**
 * The folds assumed for text whose collation is not known: a case-insensitive, accent-sensitive
 * collation, SQL Server's default (SQL_Latin1_General_CP1_CI_AS). Folding case there makes two rows
 * differing only in case one key: a refusal the reviewer reads, never a second row unsaid.
 */
export const UNKNOWN_COLLATION_FOLDS: CollationFolds = collationFolds('SQL_Latin1_General_CP1_CI_AS')!;

/**
 * The folds a comparison may make of text whose collation is not known, for the checks that refuse
 * what may be one key (plan.ts refuseSharedKeys, refuseSharedUniqueKeys with `maybe`): case, accents,
 * width and kana, as the loosest of the usual collations (an _CI_AI one) compares. With
 * UNKNOWN_COLLATION_FOLDS alone (accent-sensitive) 'José' and 'Jose' went to the run as two keys,
 * one key under any _AI collation the target may have.
 */
export const UNKNOWN_COLLATION_MAYBE_FOLDS: CollationFolds = collationFolds('Latin1_General_CI_AI')!;

const dropMarks = (t: string): string => t.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
const trimEnd = (t: string): string => t.replace(/ +$/, '');

/**
 * The text SQL Server surely compares `v` as under `f` (equal texts: surely one key): marks dropped
 * under a Latin1_General _AI collation, letter case folded unless case-sensitive (Turkish/Azeri by
 * their own pairs), trailing spaces (U+0020) left out. No folds (null): the text as it is, trailing
 * spaces left out.
 */
export function sameKeyText(v: string, f: CollationFolds | null): string {
  if (!f) return trimEnd(v);
  const t = f.latinAccentInsensitive ? dropMarks(v) : v;
  if (f.caseSensitive) return trimEnd(t);
  return trimEnd(f.turkic ? t.toLocaleLowerCase('tr') : t.toLowerCase());
}

const KATAKANA = /[\u30a1-\u30f6]/g;

/**
 * A text at least as coarse as sameKeyText (every two values it makes one stay one): further folds
 * a comparison under `f` may make, so that no pair the server may take as one key is told apart:
 * full-width and half-width forms (NFKC, which folds some other compatibility forms too), katakana
 * to hiragana, marks of every _AI collation, the expansions 'ß'/'ss', 'æ'/'ae', 'œ'/'oe' and Greek
 * final sigma 'ς'/'σ' of case-insensitive comparisons, and characters the collation may not weigh
 * (control, format and unassigned code points) left out. Binary or no folds: sameKeyText.
 */
export function maybeKeyText(v: string, f: CollationFolds | null): string {
  if (!f || f.binary) return sameKeyText(v, f);
  let t = v;
  if (f.widthInsensitive) t = t.normalize('NFKC');
  if (f.kanaInsensitive) t = t.replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
  t = sameKeyText(t, f);
  if (f.accentInsensitive) t = dropMarks(t);
  if (!f.caseSensitive && !f.sqlNonUnicode) t = t.replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/œ/g, 'oe').replace(/ς/g, 'σ');
  // characters a non-binary collation may have no weight for, ignored in comparisons: control and
  // format characters (NCHAR(0), a zero-width space, a soft hyphen) and code points Unicode does not
  // assign (Microsoft, "Sorting undefined characters in Unicode and/or Windows collation", 2006:
  // "undefined characters are ignored during string comparison", a unique index refusing
  // NCHAR(13144) after NCHAR(0x0000) as a duplicate key)
  t = t.replace(/[\p{Cc}\p{Cf}\p{Cn}]/gu, '');
  return trimEnd(t);
}

/**
 * A planned key value (a driver parameter's `value` and its script `literal`) as text that is equal
 * for two values of one key: text by sameKeyText under `folds` (UNKNOWN_COLLATION_FOLDS when not
 * given or null: case folded), or by maybeKeyText when `how` is 'maybe'; bytes as `=` compares them, trailing
 * zero bytes aside (0x01 = 0x0100); any other value by its script literal in lower case, a trailing
 * space inside its quotes left out. Prefixed by kind (`t:`, `b:`, `l:`) so no text equals a literal.
 *
 * The literal alone was compared once: text beyond ASCII is written as its UTF-16LE bytes
 * (`CONVERT(nvarchar(max), 0xC400…)`, util/tsql.ts scriptLiteral), whose hex keeps no letter case,
 * so 'ÄRGER' and 'ärger' were two keys (test/reinsert/key-text-beyond-ascii.test.ts).
 */
export function keyCompareText(p: { value: unknown; literal: string }, folds?: CollationFolds | null, how: 'same' | 'maybe' = 'same'): string {
  if (typeof p.value === 'string') {
    const f = folds ?? UNKNOWN_COLLATION_FOLDS;
    return `t:${how === 'maybe' ? maybeKeyText(p.value, f) : sameKeyText(p.value, f)}`;
  }
  if (Buffer.isBuffer(p.value)) return `b:${p.value.toString('hex').replace(/(?:00)+$/, '')}`;
  return `l:${p.literal.toLowerCase().replace(/ +'$/, "'")}`;
}

/**
 * A binary or varbinary value as staged (`0x…` hex, src/reconstruct/values.ts) as text equal for two
 * values `=` takes as one: without its trailing zero bytes, in upper case (0x01 = 0x0100: dba.stackexchange.com
 * question 48660, "Comparing binary 0x and 0x00 turns out to be equal", quoting Microsoft on its Connect
 * item: values differing only by trailing 0x00 "We treat it as equal"; keyCompareText compares bytes so too). A text that is not
 * `0x` hex comes back as it is.
 */
export function binaryKeyText(hex: string): string {
  return /^0x(?:[0-9a-f]{2})*$/i.test(hex) ? `0x${hex.slice(2).replace(/(?:00)+$/, '').toUpperCase()}` : hex;
}
