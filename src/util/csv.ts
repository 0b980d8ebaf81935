/**
 * CSV cells for spreadsheets. A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is read by Excel, LibreOffice and Google Sheets as a formula, so a recovered value such
 * as `=HYPERLINK(…)` or `@SUM(…)` would run when a reviewer opens the export (CSV injection).
 * Following OWASP's "CSV Injection" guidance such a cell is prefixed with a single quote, which
 * spreadsheets show as text; plain numbers (`-12.50`, `+3`, `-1e5`) are left alone since they
 * cannot be formulas. A value that itself starts with `'` gets one more (`'=x` → `''=x`, `'a` →
 * `''a`): otherwise the value `'=x` and the guarded value `=x` were the same cell, and a reader
 * could not tell which the database held. So in a guarded cell a leading `'` is always the guard's:
 * drop exactly one to get the value back. `raw` output (CLI `--csv-raw`, API `csvRaw=true`) writes cells unchanged
 * for programs that read the CSV as data. Quoting of commas, quotes and line breaks is
 * csv-stringify's.
 */
import { stringify } from 'csv-stringify/sync';
import type { SqlValue } from '../reconstruct/values.js';
import { firstUnpairedSurrogate } from './surrogates.js';
import { identifierText } from './identifier-text.js';
import { stringifyKeepingNegativeZero, valuesHaveNegativeZero } from './negative-zero.js';

const FORMULA_START = /^[=+\-@\t\r']/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The text of one cell, neutralised for spreadsheets unless `raw`: a leading `'` added to text
 * starting with `=`, `+`, `-`, `@`, tab, CR (plain numbers excepted) or `'` itself, so one leading
 * `'` dropped from a guarded cell that has one gives the text back.
 */
export function spreadsheetSafe(text: string, raw = false): string {
  if (raw || !FORMULA_START.test(text) || PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

/**
 * A value as CSV cell text: NULL (and an absent value) is `null`, which `csvRecord` writes as an
 * empty unquoted cell, while the empty string is written quoted (`""`), so a reader can tell them
 * apart (csv-parse: `cast: (v, ctx) => (ctx.quoting || v !== '' ? v : null)`); spreadsheets show
 * both as an empty cell. Objects (binary, off-row markers, variants) are JSON.
 */
export function csvCell(v: SqlValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'object') return valuesHaveNegativeZero({ v }) ? stringifyKeepingNegativeZero(v) : JSON.stringify(v);
  // String(-0) is '0': SQL Server keeps a float's negative zero (CONVERT gives '-0'), so does the cell
  if (v === 0 && 1 / v < 0) return '-0';
  return String(v);
}

/**
 * One CSV record (line ending included), every cell through `spreadsheetSafe`. `null`/`undefined`
 * is an empty unquoted cell (NULL, or nothing); an empty string is `""` (quoted), so the two read
 * back differently; other cells are quoted as csv-stringify quotes them.
 */
export function csvRecord(cells: Array<string | number | null | undefined>, raw = false): string {
  const parts = cells.map((c) => {
    if (c === null || c === undefined) return '';
    const text = spreadsheetSafe(String(c), raw);
    return text === '' ? '""' : stringify([[text]]).slice(0, -1);
  });
  return parts.join(',') + '\n';
}

/**
 * CSV header names of a table's value columns beside the output's own columns (`reserved`): a
 * value column is named as it is, unless its name equals one of `reserved` (case-insensitively),
 * starts with `[` or `'`, or starts with `after.` (case-insensitively: scan's after-image columns are
 * `after.<header>`); such a name is written as its T-SQL quoted identifier, `[name]` with `]`
 * doubled (`table` → `[table]`, `[x]` → `[[x]]]`). So a header cell starting with `[` is always a
 * quoted value column name, one equal to a reserved name is always the output's own column, and
 * no two header cells are the same.
 */
export function csvValueHeaders(names: readonly string[], reserved: readonly string[]): string[] {
  const own = new Set(reserved.map((r) => r.toLowerCase()));
  // a name starting with ' too: a header cell written through spreadsheetSafe gains a leading '
  // (`=x` → `'=x`), which a column named `'=x` would otherwise read the same as
  return names.map((n) => (own.has(n.toLowerCase()) || n.startsWith('[') || n.startsWith("'") || n.toLowerCase().startsWith('after.') ? `[${n.replace(/]/g, ']]')}]` : n));
}

/**
 * The warnings a CSV row carries (in its `warnings` cell) for its value cells that UTF-8 cannot
 * write: a text value holding an unpaired UTF-16 surrogate (nvarchar holds one, e.g. a value cut
 * between the two halves of an emoji). The CSV is UTF-8, which has no form for it, so the stream
 * writes U+FFFD there: the cell shows a character the database does not hold, while the NDJSON and
 * JSON outputs keep the value (`"\ud83d"`). One warning per such cell, naming the column (`prefix`
 * before it: `after.` for an update's after image), the first unit (U+D83D) and its offset (UTF-16
 * units). `names` are the value columns written one per cell; values written inside a JSON cell
 * (the `values` column of a many-table CSV, sql_variant objects) need none: JSON escapes them. The
 * column is named as a row warning names it (identifierText: `column [Unit Price]: …`,
 * `column after.[Unit Price]: …`; an unpaired surrogate in the name escaped, `\u{d83d}`).
 */
export function csvUnwritableValueWarnings(names: readonly string[] | undefined, values: Record<string, SqlValue> | null | undefined, prefix = ''): string[] {
  if (!names || !values) return [];
  const out: string[] = [];
  for (const name of names) {
    const v = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (typeof v !== 'string') continue;
    const u = firstUnpairedSurrogate(v);
    if (u) out.push(`column ${prefix}${identifierText(name)}: its value holds an unpaired UTF-16 surrogate (${u.unit} at offset ${u.offset}), which this UTF-8 CSV cannot carry: the cell shows U+FFFD there, not the stored value; the NDJSON/JSON output keeps it`);
  }
  return out;
}

/**
 * The same warnings for rowback's own text cells of a row (`table`, `login`, `dbUser`,
 * `transactionName`, …: `names` of `own`, the row's fields): a transaction named by a user or a
 * login name holding an unpaired surrogate is written as U+FFFD as a value is. Worded
 * `rowback's column transactionName: …` so it is not taken for a table column of that name.
 */
export function csvUnwritableOwnWarnings(names: readonly string[], own: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const name of names) {
    const v = own[name];
    if (typeof v !== 'string') continue;
    const u = firstUnpairedSurrogate(v);
    if (u) out.push(`rowback's column ${name}: its text holds an unpaired UTF-16 surrogate (${u.unit} at offset ${u.offset}), which this UTF-8 CSV cannot carry: the cell shows U+FFFD there, not the text the log holds; the NDJSON/JSON output keeps it`);
  }
  return out;
}

const headerWarnings = new WeakMap<readonly string[], string[]>();

/**
 * The warnings for the header cells of the value columns `names` (one per cell) whose name holds an
 * unpaired UTF-16 surrogate: a column named so (sysname is nvarchar, cut between the halves of a
 * pair) has its header cell written U+FFFD, so the CSV names a column the table does not have, and
 * the NDJSON/JSON output (JSON escapes it) is the only place its name is whole (an update's
 * `after.<name>` header cell the same). The warning names the column through identifierText
 * (`([Na\u{d83d}me])`): written raw, its half was U+FFFD here too, and
 * the warning named the column as the header cell did. Said in every row's warnings cell
 * (a reader of any row, or of a row cut from the file, sees it; the rows count as carrying
 * warnings). Worked out once per `names` array.
 */
export function csvUnwritableHeaderWarnings(names: readonly string[] | undefined): string[] {
  if (!names) return [];
  let out = headerWarnings.get(names);
  if (!out) {
    out = [];
    names.forEach((name, i) => {
      const u = firstUnpairedSurrogate(name);
      if (u) out!.push(`the header of value column ${i + 1} (${identifierText(name)}): the column's name holds an unpaired UTF-16 surrogate (${u.unit} at offset ${u.offset}), which this UTF-8 CSV cannot carry: the header cell shows U+FFFD there, not the name the table has; the NDJSON/JSON output keeps it`);
    });
    headerWarnings.set(names, out);
  }
  return out;
}

/**
 * The `warnings` cell of a CSV row: the row's own warnings, then csvUnwritableHeaderWarnings of
 * the value columns' names, csvUnwritableValueWarnings of its values and after image, then
 * csvUnwritableOwnWarnings of rowback's own cells (`own`: their names and the row holding them);
 * null when none.
 */
export function csvWarningsCell(warnings: readonly string[], names: readonly string[] | undefined, values: Record<string, SqlValue> | null | undefined, after?: Record<string, SqlValue> | null, own?: { names: readonly string[]; row: Record<string, unknown> }): string | null {
  const all = [...warnings, ...csvUnwritableHeaderWarnings(names), ...csvUnwritableValueWarnings(names, values), ...csvUnwritableValueWarnings(names, after, 'after.'), ...(own ? csvUnwritableOwnWarnings(own.names, own.row) : [])];
  return all.length ? all.join('; ') : null;
}
