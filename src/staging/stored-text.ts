import { hasUnpairedSurrogate } from '../util/surrogates.js';

/**
 * A text column of the staging file as SQLite holds it: the text itself (TEXT, UTF-8) or, for a
 * string holding an unpaired UTF-16 surrogate, its UTF-16LE code units (BLOB).
 *
 * Why: better-sqlite3 hands SQLite every JS string as UTF-8, which has no form for a lone surrogate
 * (src/util/surrogates.ts): a table name, login or transaction name cut between the two halves of a
 * pair (nvarchar holds such a value) came back as three U+FFFD, and a filter by the name the API had
 * shown matched nothing. A column of TEXT affinity keeps a BLOB as it is (SQLite "Datatypes In
 * SQLite", 3.1: no conversion of BLOBs), so the two forms never meet: a string without a lone
 * surrogate is stored as before (files staged earlier read the same), one with a lone surrogate as
 * bytes that decode to exactly its code units. `=`, `IN` and GROUP BY compare the stored form, so a
 * filter must bind `storedText(given)`, and every reader must pass what it reads through `readText`.
 */
export type StoredText = string | Buffer;

/** The form `s` is stored (and bound for `=` / `IN`) in: `s` itself, or its UTF-16LE bytes when it holds an unpaired surrogate. */
export function storedText(s: string): StoredText;
export function storedText(s: string | null): StoredText | null;
export function storedText(s: string | null): StoredText | null {
  return s !== null && hasUnpairedSurrogate(s) ? Buffer.from(s, 'utf16le') : s;
}

/** A stored text column read back: TEXT as it is, a BLOB (storedText's bytes) as its UTF-16 code units. */
export function readText(v: StoredText): string;
export function readText(v: StoredText | null): string | null;
export function readText(v: StoredText | null): string | null {
  return Buffer.isBuffer(v) ? v.toString('utf16le') : v;
}
