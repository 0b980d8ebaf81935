import { closeSync, readSync } from 'node:fs';
import { openInputSync } from './input-open.js';
import { shellPath } from './shell-word.js';

/**
 * What a text file given where rowback expected log records is, from its first bytes: a rowback
 * export (sql/export-log-records.sql: a JSON object holding `"format": "rowback-export"`, or the
 * sectioned CSV whose first line starts with `#`), or a plain fn_dblog result — the grid of
 * `SELECT * FROM fn_dblog(NULL, NULL)` saved from SSMS ("Save Results As…", CSV or tab-separated),
 * `sqlcmd` output with its column header, or `FOR JSON` output: its first line (or first object)
 * names fn_dblog's own columns `Current LSN` and `Operation` (Microsoft's fn_dblog column names, as
 * in the export script's record fields).
 *
 * A plain result is refused by the readers, naming why (PLAIN_FN_DBLOG_ADVICE): it holds no catalog,
 * no logins and no server time zone, and SSMS writes CSV fields unquoted, so a `Description` holding
 * a comma shifts every later column of its row — values read from such a file could land in the
 * wrong fields without a word.
 */

/** `rowback-export` (JSON or CSV), `fn_dblog` (a plain result), or null (neither). */
export type LogTextKind = 'rowback-export' | 'fn_dblog' | null;

/**
 * Classifies the first bytes (a few KB are enough) of a file as text. `head` is decoded as UTF-8,
 * or UTF-16LE when it starts with its BOM (sqlcmd -u, SSMS's Unicode saves).
 */
export function logTextKind(head: Uint8Array): LogTextKind {
  let text: string;
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) text = new TextDecoder('utf-16le').decode(head.subarray(2));
  else if (isUtf16leWithoutBom(head)) text = new TextDecoder('utf-16le').decode(head);
  else text = new TextDecoder('utf-8').decode(head);
  return logTextKindOfText(text);
}

/** logTextKind of text already decoded (the file's first chunk or more). */
export function logTextKindOfText(decoded: string): LogTextKind {
  const text = decoded.replace(/^\uFEFF/, '').trimStart();
  if (!text) return null;
  if (text[0] === '#' && /^#\s*rowback-export/i.test(text)) return 'rowback-export';
  // line breaks aside: a client may wrap the export's one long JSON value anywhere, even inside a
  // token (export-stream.ts jsonText drops them), and a wrapped export is still the export, never
  // taken for a plain fn_dblog object by its records' "Current LSN" further on
  if (text[0] === '{' && /"format"\s*:\s*"rowback-export"/.test(text.slice(0, 4096).replace(/[\r\n]/g, ''))) return 'rowback-export';
  let [firstLine, secondLine = ''] = text.split(/\r?\n/, 2) as [string, string?];
  // PowerShell's Export-Csv begins with its type line (`#TYPE System.Data.DataRow`) unless -NoTypeInformation
  if (/^#TYPE /.test(firstLine)) firstLine = secondLine;
  const names = (s: string) => /(^|[\s,;\t"[{])Current LSN([\s,;\t"\]:]|$)/i.test(s) && /(^|[\s,;\t"[{])Operation([\s,;\t"\]:]|$)/i.test(s);
  if (names(firstLine)) return 'fn_dblog';
  // no column header (SSMS saves none by default; bcp never): a record, its LSN then its LOP_ operation
  if (/^"?(?:0x)?[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}"?[,;\t|]"?LOP_[A-Z0-9_]+/i.test(firstLine)) return 'fn_dblog';
  // FOR JSON output, an array of objects (Azure Data Studio, ConvertTo-Json) or one object
  // (ConvertTo-Json of one row), whose first names fn_dblog's columns
  if ((text[0] === '[' || text[0] === '{') && names(text.slice(0, 4096))) return 'fn_dblog';
  return null;
}

/**
 * Whether `head` looks like UTF-16LE text without its BOM (bcp -w, some PowerShell and .NET
 * writers): its first two characters ASCII (a NUL high byte each, a non-NUL low byte), which no
 * UTF-8 text has.
 */
export function isUtf16leWithoutBom(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0;
}

/**
 * What to add to a "not a SQL Server file" refusal of `path` when it holds log records as text:
 * `: it is a rowback export …` / `: it is a plain fn_dblog result …`, or '' (also when it cannot be
 * read: the caller's own refusal stands). Reads the first 8 KB.
 */
export function logTextHint(path: string): string {
  let kind: LogTextKind = null;
  try {
    const fd = openInputSync(path);
    try {
      const head = Buffer.alloc(8192);
      kind = logTextKind(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
  if (kind === 'rowback-export') return `: it is a rowback export of log records (sql/export-log-records.sql), not a SQL Server file; read it with \`rowback scan --export ${shellPath(path)}\``;
  if (kind === 'fn_dblog') return `: it ${PLAIN_FN_DBLOG_ADVICE}`;
  return '';
}

/** Why a plain fn_dblog result is not read, and what to do instead (one clause, no file name). */
export const PLAIN_FN_DBLOG_ADVICE =
  "is a plain fn_dblog result (its first line names fn_dblog's columns Current LSN, Operation, …, or is a record of them), not a rowback export: " +
  'rowback reads fn_dblog output only as sql/export-log-records.sql writes it, with the tables\' catalog, the logins and the server\'s time zone ' +
  '(a grid saved from SSMS has none of them, and leaves fields unquoted, so a Description holding a comma would shift the columns after it); ' +
  'run that script in the database (docs/live.md, "Export for responders") and give its output to `rowback scan --export`, or give rowback the .ldf/.trn files themselves';
