/**
 * T-SQL text helpers for generated statements. Identifiers go through `quoteName` (what
 * QUOTENAME does: bracket-quote, double every `]`); values are always parameters, never text.
 * The only literals rowback writes into T-SQL are its own constants (operation and context
 * names), through `nstring`, so a stray quote can never escape even there.
 */

/** sysname is nvarchar(128): QUOTENAME refuses longer input, and so do we. */
import { InputError } from '../errors.js';
import { echoInput, escapeUnprintable } from './echo.js';
import { bracketed, identifierWord, splitNameParts, tableText } from './identifier-text.js';
import { splitTableList } from './table-list.js';

export { columnText, identifierText, identifierWord, isReservedKeyword, nameText, splitNameParts, tableText } from './identifier-text.js';

export const SYSNAME_MAX = 128;

/**
 * QUOTENAME: `[name]` with every `]` doubled. Throws InputError `INPUT_BAD_IDENTIFIER` (naming the
 * identifier, cut to 40 characters) for an empty name or one longer than sysname's 128
 * characters, which SQL Server itself would refuse.
 */
export function quoteName(identifier: string): string {
  if (identifier.length === 0 || identifier.length > SYSNAME_MAX) {
    const shown = identifier.length > 40 ? `${identifier.slice(0, 40)}…` : identifier;
    throw new InputError('INPUT_BAD_IDENTIFIER', `identifier '${shown}' must be 1–${SYSNAME_MAX} characters (sysname), got ${identifier.length}`, { column: shown });
  }
  return bracketed(identifier);
}

/**
 * tableText of a table name given as text (stagedTableName's form, `schema.name`, `[schema].[name]`,
 * or one part, dbo's), for a message listing names it holds as text: `[dbo].[Order.Items]` →
 * `dbo.[Order.Items]`, `dbo.Order Details` → `dbo.[Order Details]`. Text that is no one- or two-part
 * name (splitQualifiedName refuses it: `dbo.Order.Items`, an unpaired bracket) is returned as it
 * is. Pure; never throws.
 */
export function tableNameText(text: string): string {
  try {
    return tableText(splitQualifiedName(text));
  } catch {
    return text;
  }
}

/**
 * tableNameText's form of a table name given as text, every character kept as it is
 * (identifierWord): the `--table` value a command line gives for it (`dbo.[Order Details]`,
 * `dbo.[a<LF>b]`), which util/shell-word.ts shellWord then quotes for the shell. Text that is no
 * one- or two-part name is returned as it is. Pure; never throws.
 */
export function tableNameWord(text: string): string {
  try {
    const t = splitQualifiedName(text);
    return `${identifierWord(t.schema)}.${identifierWord(t.name)}`;
  } catch {
    return text;
  }
}

/**
 * Table names (texts tableNameText reads) as a message lists them: each through tableNameText,
 * joined by `, `, so that the list reads as as many tables as it holds (`dbo.[a,b], dbo.c`; listed
 * bare, `dbo.a,b, dbo.c` read as three, and `--table` would take it as three). Pure; never throws.
 */
export function tableListText(names: Iterable<string>): string {
  return [...names].map(tableNameText).join(', ');
}

/** `[schema].[name]` from a two-part name. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteName(schema)}.${quoteName(name)}`;
}

/** An N'…' literal with quotes doubled — only for rowback's own constants. */
export function nstring(value: string): string {
  return `N'${value.replace(/'/g, "''")}'`;
}

/**
 * A table's name as rowback stages, keys and gives it out (a row's `table`, the staging store's
 * `tbl`, the API's table names, a plan's tables, a target catalog's keys): `schema.name` when each
 * part reads back as itself through splitQualifiedName (not empty, no `.`, no leading `[` or `"`, no
 * leading or trailing white space), else `[schema].[name]`, each part bracket-quoted with `]`
 * doubled (QUOTENAME's form; no length check). splitQualifiedName reads either form back as the two
 * parts, so two tables never share one name: dbo.[Order.Items] is `[dbo].[Order.Items]` and
 * [dbo.Order].Items `[dbo.Order].[Items]`, which were both `dbo.Order.Items` and staged under one
 * name (test/staging/dotted-table-names.test.ts). A plain name is the text it always was: staging
 * files of before hold it unchanged (migration 19 renames the others).
 */
export function stagedTableName(t: { schema: string; name: string }): string {
  return plainPart(t.schema) && plainPart(t.name) ? `${t.schema}.${t.name}` : `[${t.schema.replace(/\]/g, ']]')}].[${t.name.replace(/\]/g, ']]')}]`;
}

/** Whether `part` reads back as itself unquoted in a two-part name (splitQualifiedName). */
function plainPart(part: string): boolean {
  return part.length > 0 && !part.includes('.') && part[0] !== '[' && part[0] !== '"' && part === part.trim();
}

/**
 * A table name as a user gives it (`--table`, a job's `tables`), in rowback's form: `text`'s one or
 * two parts (splitQualifiedName) as stagedTableName writes them; or that text trimmed, for the
 * metadata's tables to decide, when it is
 * - plain text of three or more dotted parts with no bracket, quote or comma and no empty part
 *   (`dbo.Order.Items`): the table whose `schema.name` text it is (names.ts findTableName: one, or
 *   refused naming both);
 * - a three- or four-part name in any form (multiPartTableName: `[CRM].[dbo].[Customer]`,
 *   `CRM..Customer`, `[SRV].[CRM].[dbo].[Customer]`): it names no table by itself, and the refusal
 *   of it (names.ts unknownTableHint) names the table of the files or database read that it may
 *   mean, or says that none is. It was refused here, before any table was known, "give the table
 *   as dbo.Nope" for `[CRM].[dbo].[Nope]`, a table that is nowhere.
 * `multiPart` false (a caller that reads no tables before the name must be taken, as a restore job's
 * creation) refuses the second kind: nothing could name the table meant.
 * Throws splitQualifiedName's RangeError otherwise.
 */
export function tableNameOrText(text: string, multiPart = true): string {
  try {
    return stagedTableName(splitQualifiedName(text));
  } catch (e) {
    const t = text.trim();
    // a comma is no part of an unbracketed name: `dbo.Customer,dbo.Contact` is a list
    if (!/[[\]",]/.test(t) && t.split('.').length > 2 && t.split('.').every((p) => p.trim() !== '')) return t;
    if (multiPart && multiPartTableName(t)) return t;
    throw e;
  }
}

/**
 * Whether `text` is a three- or four-part name whose last part is not empty, as T-SQL writes an
 * object with its database (and server): `CRM.dbo.Customer`, `[CRM].[dbo].[Customer]`,
 * `CRM..Customer` (schema left empty: dbo), `SRV.CRM.dbo.Customer`; or fn_dblog's AllocUnitName of
 * an index, `schema.table.index` (Microsoft, "Transact-SQL syntax conventions": multipart names).
 * False for a comma outside brackets and quotes (`CRM.dbo.A,dbo.B` is a list: util/table-list.ts)
 * and for text splitNameParts refuses. Pure; throws nothing.
 */
export function multiPartTableName(text: string): boolean {
  if (splitTableList(text).length !== 1) return false;
  let parts: string[];
  try {
    parts = splitNameParts(text);
  } catch {
    return false;
  }
  return (parts.length === 3 || parts.length === 4) && parts[parts.length - 1] !== '';
}

/** jobTableText's refusal of a text that is the `schema.name` text of two of the job's tables (dbo.[Order.Items] and [dbo.Order].Items). */
export class AmbiguousTableTextError extends RangeError {}

/**
 * `text`, a table name given to the API, as one of a job's tables `known` (each `schema.name`, as
 * the API gives them out: GET …/tables, the blast radius, the review page's Table filter): its
 * splitQualifiedName form (`schema.name`; dbo when no schema); or, when it does not parse as a one-
 * or two-part name, `text` itself if it is one of `known` (exactly, else in any letter case when
 * one table alone has it; `known` read only then when a function). A name holding a dot (dbo.[Order.Items], given out as
 * `dbo.Order.Items`) or an unpaired bracket parses as no table, and such a table could not be
 * named back in the form the API gave it. Throws AmbiguousTableTextError when `text` is the
 * `schema.name` text of two of them, splitQualifiedName's RangeError when of none.
 */
export function jobTableText(text: string, known: readonly string[] | (() => readonly string[])): string {
  try {
    return stagedTableName(splitQualifiedName(text));
  } catch (e) {
    const own = typeof known === 'function' ? known() : known;
    if (own.includes(text)) return text;
    const folded = own.filter((t) => t.toLowerCase() === text.toLowerCase());
    if (folded.length === 1) return folded[0]!;
    // the unquoted `schema.name` rowback gave out before (`dbo.Order.Items` of dbo.[Order.Items]):
    // the one table it is the text of; two (dbo.[Order.Items] and [dbo.Order].Items) are refused by name
    const plain = (t: string): string | null => {
      try {
        const p = splitQualifiedName(t);
        return `${p.schema}.${p.name}`;
      } catch {
        return null;
      }
    };
    for (const same of [(t: string) => plain(t) === text, (t: string) => plain(t)?.toLowerCase() === text.toLowerCase()]) {
      const hits = [...new Set(own.filter(same))];
      if (hits.length === 1) return hits[0]!;
      if (hits.length > 1) throw new AmbiguousTableTextError(`'${echoInput(text)}' is the schema.name text of ${hits.map(escapeUnprintable).join(' and ')}: give one of them in brackets`);
    }
    throw e;
  }
}

/**
 * The table (stagedTableName form) a three-part name names when read as fn_dblog's AllocUnitName of
 * an index's allocation unit, `schema.table.index` (`dbo.Employee.PK_Employee`, as `rowback log`
 * and fn_dblog print it); undefined for another count of parts or an empty schema or table part
 * (`db..T` is a database's table only). `parts`: splitNameParts' answer.
 */
export function allocUnitNameTable(parts: readonly string[]): string | undefined {
  return parts.length === 3 && parts[0] && parts[1] && parts[2] ? stagedTableName({ schema: parts[0], name: parts[1] }) : undefined;
}

/**
 * Splits `schema.name`, `[sch.ema].[na]]me]`, `"sch.ema"."na""me"`, or `name` (schema defaults
 * to dbo) the way PARSENAME would for two parts, honouring brackets with doubled `]` and double
 * quotes (T-SQL quoted identifiers) with doubled `"`. Throws RangeError for an unterminated
 * bracket or quote, stray text after one, or more than two parts.
 */
export function splitQualifiedName(text: string, defaultSchema = 'dbo'): { schema: string; name: string } {
  const parts = splitNameParts(text);
  if (parts.length === 1) return { schema: defaultSchema, name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { schema: parts[0], name: parts[1] };
  // database.schema.table (or server.database.schema.table; `db..T` is dbo's), a DBA's habit, or
  // fn_dblog's AllocUnitName of an index (schema.table.index): no table is known here, so none is
  // named (`[CRM].[dbo].[Nope]` was told "give the table as dbo.Nope", a table that is nowhere);
  // where the tables are known the name is kept as text and the refusal names the table meant
  // (tableNameOrText; names.ts unknownTableHint)
  if ((parts.length === 3 || parts.length === 4) && parts[parts.length - 1]) {
    throw new RangeError(`'${echoInput(text)}' is not a one- or two-part table name: a ${parts.length === 4 ? 'server or ' : ''}database part${allocUnitNameTable(parts) ? " (or an index part, as fn_dblog's AllocUnitName schema.table.index has)" : ''} is no part of a table's name here`);
  }
  throw new RangeError(`'${echoInput(text)}' is not a one- or two-part table name`);
}

/**
 * Text for a `--` comment line: every character that could end the comment or confuse a reader
 * written as `\u{…}`, so nothing taken from data (table names, LSNs, messages, actors) can start a
 * statement of its own: util/echo.ts escapeUnprintable (CR, LF and every other control character,
 * U+2028/U+2029, the format characters (U+FEFF, a byte-order mark to an editor or sqlcmd reading the
 * script, in the middle of a line; U+202E, which showed the comment's rest reversed; U+200B), and an
 * unpaired UTF-16 surrogate, which the UTF-8 script would write as U+FFFD: a comment naming table
 * `T\ud83d` read `T\ufffd`, another name), and besides `$(`, which sqlcmd replaces by a scripting
 * variable even inside a comment, as `$\u{28}`.
 */
export function commentText(text: string): string {
  return escapeUnprintable(String(text)).replace(/\$\(/g, '$\\u{28}');
}

/**
 * Text sqlcmd and SSMS would act on before SQL Server sees it, were it written into a script: a
 * line break (a line `GO`, `:!! cmd`, `:r file` after it is a command of theirs; go-sqlcmd does not
 * track […] and takes `\\` as an escape inside '…') or `$(` (a scripting variable, replaced
 * anywhere). Generated scripts write neither inside a name or a value.
 */
export const SQLCMD_UNSAFE = /[\r\n]|\$\(/;

/**
 * Characters a script's literal cannot carry as they are, each written as its own piece instead:
 * CR and LF (SQLCMD_UNSAFE), every other C0 control but TAB (NUL: sqlcmd and editors take the file
 * for binary or end the line there; Ctrl-Z ends a text-mode read on Windows).
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f]/;

/**
 * Any character beyond ASCII (U+0080 and up, UTF-16 surrogates paired or not): written as the
 * UTF-16LE bytes of its run, `CONVERT(nvarchar(max), 0x…)`, so that a script's values are ASCII.
 * The script is UTF-8 without a byte-order mark, and the code page its bytes are read in is the
 * runner's choice: sqlcmd takes it from `-f codepage` (Microsoft Learn, "sqlcmd utility"; go-sqlcmd
 * PR #627 added the same `-f` for input files), and rowback's own docs/live.md passes `-f 65001` for
 * its script. Read as code page 1252, N'Müller' (C3 BC in the file) is N'MÃ¼ller': the row went in
 * with a value that looks nearly right, with no error. ASCII reads the same in every code page a client uses for a file, and
 * a binary constant converted to nvarchar is its UTF-16LE code units whatever the collation (so an
 * unpaired surrogate, which UTF-8 has no form for, is kept too). U+0085, U+2028 and U+2029 (line
 * ends to SSMS's editor) are among them. Names (identifiers, comments) are not values: a name
 * misread names no table and the statement fails.
 */
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * A string as a T-SQL literal for a script (`N'…'`, or `'…'` with `unicode` false), quotes doubled,
 * written on one line, in ASCII, and without `$(` (SQLCMD_UNSAFE): CR, LF and the other CONTROL
 * characters as NCHAR(n) (CHAR(n) for '…'), each run of characters beyond ASCII as
 * CONVERT(nvarchar(max), 0x…) of its UTF-16LE bytes (NON_ASCII), `$(` split between two literals,
 * the pieces joined by `+` after a CAST to (max) so that nothing is cut at 4000 / 8000 characters.
 * A line break was written as it is: inside a literal T-SQL drops one that follows a backslash (line
 * continuation), and a line of the value could be a command of sqlcmd's. Throws RangeError for a
 * `'…'` (varchar) value beyond ASCII: it has no code-page-free form (sql-types.ts variantTextParam
 * refuses such values before).
 */
export function scriptLiteral(value: string, unicode = true): string {
  const q = (t: string) => `${unicode ? 'N' : ''}'${t.replace(/'/g, "''")}'`;
  if (!SQLCMD_UNSAFE.test(value) && !CONTROL.test(value) && !NON_ASCII.test(value)) return q(value);
  const parts: string[] = [];
  let buf = '';
  const flush = () => {
    if (buf) parts.push(q(buf));
    buf = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const code = c.charCodeAt(0);
    if (code > 0x7f) {
      if (!unicode) throw new RangeError('a character beyond ASCII has no code-page-free varchar form');
      flush();
      let j = i + 1;
      while (j < value.length && value.charCodeAt(j) > 0x7f) j++;
      parts.push(`CONVERT(nvarchar(max), 0x${Buffer.from(value.slice(i, j), 'utf16le').toString('hex').toUpperCase()})`);
      i = j - 1;
    } else if (CONTROL.test(c)) {
      flush();
      parts.push(`${unicode ? 'NCHAR' : 'CHAR'}(${code})`);
    } else if (c === '$' && value[i + 1] === '(') {
      buf += c;
      flush();
    } else buf += c;
  }
  flush();
  // a value of characters beyond ASCII alone is one CONVERT, (max) already
  if (parts.length === 1 && parts[0]!.startsWith('CONVERT(nvarchar(max), ')) return parts[0]!;
  return joinMax(parts, unicode ? 'nvarchar' : 'varchar');
}

/**
 * Most terms one `a + b + …` chain of a script literal holds. SQL Server binds a chain of `+` as
 * nested two-input additions, one level per term, and a DECLARE/SET of a few thousand terms fails
 * with Msg 8631 "Server stack limit has been reached" (Paul White's repro: 3,410; it varies with
 * memory): pubs' pr_info, 65,071 characters with 1,896 line-break characters, came to about 2,800.
 */
const CHAIN = 32;

/**
 * Pieces joined as one (max) string, in parenthesised groups of at most CHAIN terms (a tree of depth
 * log₃₂ n): each group begins with a CAST to (max), so no group is cut at 4000 / 8000 characters.
 */
function joinMax(parts: string[], type: 'nvarchar' | 'varchar'): string {
  const chain = (ts: string[]) => [`CAST(${ts[0]} AS ${type}(max))`, ...ts.slice(1)].join(' + ');
  let level = parts;
  while (level.length > CHAIN) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += CHAIN) next.push(`(${chain(level.slice(i, i + CHAIN))})`);
    level = next;
  }
  return chain(level);
}
