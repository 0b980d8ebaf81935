/**
 * Names as rowback writes them in text a person or a script reads (messages, notes, warnings, the
 * `(…)` location of a one-line error): identifierText, tableText, nameText, and splitNameParts,
 * which reads every form they write back. Pure, importing util/echo.ts alone (itself free of imports):
 * errors.ts formatLocation uses it, and every command (`rowback --version` too) loads errors.ts.
 * util/tsql.ts re-exports it.
 */
import { echoInput, escapeUnprintable } from './echo.js';

/** QUOTENAME's form without its length check: `[name]`, every `]` doubled. */
export function bracketed(identifier: string): string {
  return `[${identifier.replace(/\]/g, ']]')}]`;
}

/**
 * The regular-expression source of one name as identifierText writes it inside a line of text:
 * `[` … `]`, every `]` of the name doubled, no line break (identifierText escapes those), and no
 * `]` straight after it (so `[x]]--ddl y]` is one name, `x]--ddl y`, never `[x]` then text). The
 * one source of that notation for readers that must leave a name as it is while they rewrite the
 * words around it (worker/job-wording.ts, recover/log-local-time.ts); combine it into a pattern
 * with `new RegExp(…)`. Its form is QUOTENAME's (Microsoft Learn, "QUOTENAME (Transact-SQL)").
 */
export const BRACKETED_NAME_SOURCE = String.raw`\[(?:[^\]\n]|\]\])*\](?!\])`;

/**
 * The shape of a regular identifier of T-SQL (Microsoft, "Database identifiers"): a letter or `_`
 * first, then letters, decimal digits, `@`, `$`, `#` or `_`. A reserved keyword has this shape and
 * is still no regular identifier (RESERVED_KEYWORDS), nor is a name holding a supplementary
 * character (SUPPLEMENTARY).
 */
const REGULAR_IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_@$#]*$/u;

/**
 * A supplementary character (U+10000 and up: a UTF-16 surrogate pair), which "Database identifiers"
 * (Microsoft Learn) allows in no regular identifier, letter or not: `dbo.𝒜bc` (U+1D49C, a letter to
 * `\p{L}`) does not parse unquoted, `dbo.[𝒜bc]` does.
 */
const SUPPLEMENTARY = /[\u{10000}-\u{10FFFF}]/u;

/**
 * SQL Server's reserved keywords, upper case (Microsoft Learn, "Reserved Keywords (Transact-SQL)",
 * https://learn.microsoft.com/sql/t-sql/language-elements/reserved-keywords-transact-sql: the list of
 * SQL Server and Azure Synapse Analytics; its `WITHIN GROUP` holds a space, which brackets a name
 * anyway). A name that is one of them, in any letter case, can be used only as a delimited
 * identifier: `SELECT Order FROM dbo.User` does not parse, `SELECT [Order] FROM dbo.[User]` does.
 * The ODBC and future keywords the page lists too are not reserved by SQL Server and are left out.
 */
const RESERVED_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK BROWSE BULK BY CASCADE CASE ' +
    'CHECK CHECKPOINT CLOSE CLUSTERED COALESCE COLLATE COLUMN COMMIT COMPUTE CONSTRAINT CONTAINS ' +
    'CONTAINSTABLE CONTINUE CONVERT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP ' +
    'CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE DECLARE DEFAULT DELETE DENY DESC DISK DISTINCT ' +
    'DISTRIBUTED DOUBLE DROP DUMP ELSE END ERRLVL ESCAPE EXCEPT EXEC EXECUTE EXISTS EXIT EXTERNAL FETCH ' +
    'FILE FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE FROM FULL FUNCTION GOTO GRANT GROUP HAVING ' +
    'HOLDLOCK IDENTITY IDENTITY_INSERT IDENTITYCOL IF IN INDEX INNER INSERT INTERSECT INTO IS JOIN KEY ' +
    'KILL LEFT LIKE LINENO LOAD MERGE NATIONAL NOCHECK NONCLUSTERED NOT NULL NULLIF OF OFF OFFSETS ON ' +
    'OPEN OPENDATASOURCE OPENQUERY OPENROWSET OPENXML OPTION OR ORDER OUTER OVER PERCENT PIVOT PLAN ' +
    'PRECISION PRIMARY PRINT PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE REFERENCES ' +
    'REPLICATION RESTORE RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE ' +
    'SCHEMA SECURITYAUDIT SELECT SEMANTICKEYPHRASETABLE SEMANTICSIMILARITYDETAILSTABLE ' +
    'SEMANTICSIMILARITYTABLE SESSION_USER SET SETUSER SHUTDOWN SOME STATISTICS SYSTEM_USER TABLE ' +
    'TABLESAMPLE TEXTSIZE THEN TO TOP TRAN TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL UNION UNIQUE ' +
    'UNPIVOT UPDATE UPDATETEXT USE USER VALUES VARYING VIEW WAITFOR WHEN WHERE WHILE WITH WRITETEXT'
  ).split(' '),
);

/**
 * Whether `identifier` is one of SQL Server's reserved keywords (RESERVED_KEYWORDS) in any letter
 * case (`Order`, `user`, `KEY`). Pure.
 */
export function isReservedKeyword(identifier: string): boolean {
  return RESERVED_KEYWORDS.has(identifier.toUpperCase());
}

/**
 * `identifier` as a note or message names it: as it is when it is a regular identifier
 * (`DeptName`), else bracket-quoted as QUOTENAME writes it (`[Dept Name]`, `[x]]y]`, `[]` for an
 * empty one, `[Order]` and `[user]` for a reserved keyword in any case, `[𝒜bc]` for a supplementary
 * character; a control character or an unpaired surrogate in it as `\u{a}`, util/echo.ts
 * escapeUnprintable), so that a name holding a space, a dot or a `]` reads as one name on one line
 * and a name that is a keyword can be pasted into T-SQL (`dbo.Orders.[Order]`; `dbo.Orders.Order`
 * does not parse). A name is data a file or script holds: a table `a<LF>b` broke a one-line refusal
 * in two (`known tables: dbo.[a` / `b], …`), and could print a line of its own that reads as
 * rowback's (`rowback scan: note: …`); an unpaired surrogate has no UTF-8 form and printed as
 * U+FFFD, another name. Pure; never throws (no sysname length check: a note names what a script
 * declared).
 */
export function identifierText(identifier: string): string {
  // a name of a sysname's length is looked up first: a table's few column names are written once
  // per warning, and rows of a column with undefined bytes each carry one (SHOWN)
  const known = identifier.length <= SYSNAME_LENGTH ? SHOWN.get(identifier) : undefined;
  if (known !== undefined) return known;
  const shown = escapeUnprintable(identifierWord(identifier));
  if (identifier.length <= SYSNAME_LENGTH) {
    if (SHOWN.size >= SHOWN_MAX) SHOWN.clear();
    SHOWN.set(identifier, shown);
  }
  return shown;
}

/**
 * `identifier` as identifierText writes it, every character kept as it is (no `\u{…}`): the name
 * itself, for a word a command line gives (`--table`, through util/shell-word.ts shellWord), never
 * for a line printed alone. identifierText's escaping is for display: `--table 'dbo.[a\u{a}b]'`
 * pasted named the table `a\u{a}b`, not the table `a<LF>b` the note meant. Pure; never throws.
 */
export function identifierWord(identifier: string): string {
  return REGULAR_IDENTIFIER.test(identifier) && !SUPPLEMENTARY.test(identifier) && !isReservedKeyword(identifier) ? identifier : bracketed(identifier);
}

/** sysname's length in characters (nvarchar(128)): no longer name is kept in SHOWN. */
const SYSNAME_LENGTH = 128;
/** How many names SHOWN keeps before it starts over (at most 4,096 × 128 characters). */
const SHOWN_MAX = 4096;
/**
 * identifierText's answers by name, for names up to SYSNAME_LENGTH characters: a many-warnings decode
 * (6 columns of bytes their code page does not define, every row) ran 25% slower with each warning's
 * name tested against the regular-identifier shape, the reserved keywords and escapeUnprintable
 * again (docs/performance.md). Emptied when full, so it holds at most SHOWN_MAX names.
 */
const SHOWN = new Map<string, string>();

/** `schema.table.column` as a note names a column, each part through identifierText (`dbo.tblDept.[Dept Name]`). */
export function columnText(schema: string, table: string, column: string): string {
  return `${identifierText(schema)}.${identifierText(table)}.${identifierText(column)}`;
}

/**
 * A table's `schema.name` as a note, message or header names it for a reader, each part through
 * identifierText: bare when a regular identifier (`dbo.Customers`, as before), else bracketed as
 * QUOTENAME writes it (`dbo.[Order Details]`, `dbo.[Order.Items]`, `[dbo.Order].Items`, `dbo.[a,b]`,
 * `dbo.[User]`), so that a name holding a dot, a space, a comma or a `]`, or one that is a reserved
 * keyword, reads as one name and can be given back to `--table` or pasted into T-SQL (a comma-named
 * table listed bare read as two tables in a list of them; splitTableList and splitQualifiedName read
 * every form this writes). Display only: the name a table is staged and keyed under is
 * stagedTableName's. Pure; never throws.
 */
export function tableText(t: { schema: string; name: string }): string {
  return `${identifierText(t.schema)}.${identifierText(t.name)}`;
}

/**
 * The dot-separated parts of a multi-part T-SQL name (`server.database.schema.object`, each part plain,
 * `[bracketed]` with `]` doubled or `"quoted"` with `"` doubled; white space around a dot allowed),
 * in order, a part left empty as T-SQL allows (`db..T`: `['db', '', 'T']`). Any count of parts;
 * splitQualifiedName takes one or two. Throws RangeError for an unterminated bracket or quote, or
 * stray text after one. Source: Microsoft, "Transact-SQL syntax conventions" (multipart names).
 */
export function splitNameParts(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i <= s.length) {
    if (s[i] === '[' || s[i] === '"') {
      // [bracketed] or "quoted" (QUOTED_IDENTIFIER ON): the closing character doubled is itself.
      const close = s[i] === '[' ? ']' : '"';
      let j = i + 1;
      let part = '';
      for (;;) {
        if (j >= s.length) throw new RangeError(`unterminated ${s[i]} in '${echoInput(text)}'`);
        if (s[j] === close) {
          if (s[j + 1] === close) {
            part += close;
            j += 2;
            continue;
          }
          break;
        }
        part += s[j++];
      }
      parts.push(part);
      i = j + 1;
      while (s[i] === ' ') i++;
    } else {
      const dot = s.indexOf('.', i);
      const end = dot < 0 ? s.length : dot;
      parts.push(s.slice(i, end).trim());
      i = end;
    }
    if (i >= s.length) break;
    if (s[i] !== '.') throw new RangeError(`unexpected '${escapeUnprintable(s[i]!)}' in '${echoInput(text)}'`);
    i++;
    // T-SQL allows spaces after the dot as before it (`[dbo] . [T]`): a bracket after them opens a
    // part (it was read as a plain part holding the brackets, `[T]`, and no table had that name)
    while (s[i] === ' ') i++;
  }
  return parts;
}

/**
 * A table's name held as text (a location's `table`: stagedTableName's `schema.name` or
 * `[schema].[name]`, quoteQualified's `[dbo].[T]`, tableText's display form, or a name as a user
 * typed it) as a one-line error names it: each of its dot-separated parts (splitNameParts) through
 * identifierText, as many parts as the text has (`Orders` stays one part: no schema is added), an
 * empty part left empty (`CRM..T`): `dbo.Order Details` → `dbo.[Order Details]`, `[dbo].[Order.Items]`
 * → `dbo.[Order.Items]`; tableText's own form is written as it is (no bracket twice). Text that is no
 * multi-part name (an unpaired bracket: `[dbo`) is written whole as one name, `[[dbo]`, which reads
 * back as that text. So a name holding a space, a dot, a comma or a `]` reads as one name, and a
 * name `a, column b` does not read as a second part of the location. Pure; never throws.
 */
export function nameText(text: string): string {
  let parts: string[];
  try {
    parts = splitNameParts(text);
  } catch {
    return identifierText(text);
  }
  return parts.map((p, i) => (p === '' && parts.length > 1 && i < parts.length - 1 ? '' : identifierText(p))).join('.');
}
