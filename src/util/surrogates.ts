/**
 * Unpaired UTF-16 surrogates: a high one (U+D800–U+DBFF) not followed by a low one, or a low one
 * (U+DC00–U+DFFF) not after a high one. nvarchar holds them (SQL Server stores UTF-16 code units
 * unchecked: a value cut between the two halves of a pair); UTF-8 has no form for them (The Unicode
 * Standard, §3.9 D92: surrogate code points are not Unicode scalar values), so any text that goes
 * out as UTF-8 writes U+FFFD there. The pattern's source (UNPAIRED_SURROGATE_SOURCE) is defined in
 * echo.ts, whose escaper of unprintable characters every CLI command loads (`rowback --version` too:
 * one module fewer to load than importing it from here), and re-exported here.
 */
import { UNPAIRED_SURROGATE_SOURCE } from './echo.js';

export { UNPAIRED_SURROGATE_SOURCE };

const ONE = new RegExp(UNPAIRED_SURROGATE_SOURCE);

/** The first unpaired surrogate of `s`: its code unit as `U+D83D` and its offset in UTF-16 units; null when none. */
export function firstUnpairedSurrogate(s: string): { unit: string; offset: number } | null {
  const m = ONE.exec(s);
  return m ? { unit: `U+${m[0].charCodeAt(0).toString(16).toUpperCase()}`, offset: m.index } : null;
}

/**
 * Whether `s` holds an unpaired surrogate: `String.prototype.isWellFormed` (ES2024, native in Node
 * 20; not in this project's ES2023 lib, hence the cast), for hot paths that only need yes or no (a
 * staged row's names: src/staging/stored-text.ts) — no match object, no regular expression.
 */
export function hasUnpairedSurrogate(s: string): boolean {
  return !(s as string & { isWellFormed(): boolean }).isWellFormed();
}

const ALL = new RegExp(UNPAIRED_SURROGATE_SOURCE, 'g');

/**
 * `s` as UTF-8 carries it: each unpaired surrogate replaced by U+FFFD (what a URL query string, a
 * browser's URLSearchParams or a UTF-8 file makes of it). A filter typed from such a copy compares
 * by this form after the exact one (src/staging/store.ts spellingsOf).
 */
export function wellFormed(s: string): string {
  return s.replace(ALL, '\ufffd');
}

/**
 * The cells of a text output line (`names[i]` holding `values[i]`) whose text holds an unpaired
 * surrogate, each as `NAME (U+D83D at offset 5)` (offset in UTF-16 units); [] when none. A UTF-8
 * output (CSV, the table format) writes U+FFFD there: the caller says so, naming the record.
 */
export function unpairedSurrogateCells(names: readonly string[], values: readonly unknown[]): string[] {
  const out: string[] = [];
  names.forEach((name, i) => {
    const v = values[i];
    const u = typeof v === 'string' ? firstUnpairedSurrogate(v) : null;
    if (u) out.push(`${name} (${u.unit} at offset ${u.offset})`);
  });
  return out;
}
