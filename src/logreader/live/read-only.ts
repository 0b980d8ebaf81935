import { SourceError } from '../../errors.js';
import { TRACE_FLAG_INACTIVE_LOG } from './sql.js';

/**
 * The live path reads; it never writes. Every batch the worker sends passes this guard, which
 * looks at the batch's words outside string literals, bracketed/quoted identifiers and
 * comments: the batch must start with SELECT, WITH or DECLARE, and no word that changes data,
 * schema, settings or server state may appear anywhere in it. `DBCC TRACEON(2537)` is the one
 * exception, allowed only as the batch's first statement and only when the user asked for the
 * inactive log; `RESTORE HEADERONLY FROM DISK = @name` the other, allowed only as the whole batch and
 * only when the caller says it sends one (it lists a backup file's sets: Microsoft's RESTORE
 * HEADERONLY "returns a result set containing all the backup header information for all backup sets
 * on a particular backup device"; it restores nothing).
 */

/** Words that make a batch something other than a read. */
export const FORBIDDEN_WORDS: ReadonlySet<string> = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'DROP', 'ALTER', 'CREATE', 'EXEC', 'EXECUTE',
  'GRANT', 'REVOKE', 'DENY', 'BACKUP', 'RESTORE', 'SHUTDOWN', 'KILL', 'USE', 'DBCC', 'INTO', 'SET',
  'RECONFIGURE', 'CHECKPOINT', 'BULK', 'OPENROWSET', 'OPENDATASOURCE', 'OPENQUERY', 'WRITETEXT',
  'UPDATETEXT', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVE', 'WAITFOR', 'RAISERROR', 'THROW', 'GOTO',
]);

const START_WORDS: ReadonlySet<string> = new Set(['SELECT', 'WITH', 'DECLARE']);

/** The one RESTORE a read may send: the header listing of one backup file named by a parameter (ASCII blanks only, no comment). */
const HEADERONLY_BATCH = /^[ \t\r\n]*RESTORE[ \t\r\n]+HEADERONLY[ \t\r\n]+FROM[ \t\r\n]+DISK[ \t\r\n]*=[ \t\r\n]*@[A-Za-z_][A-Za-z0-9_]*[ \t\r\n]*;?[ \t\r\n]*$/i;

const TRACEON_PREFIX = new RegExp(`^\\s*DBCC\\s+TRACEON\\s*\\(\\s*${TRACE_FLAG_INACTIVE_LOG}\\s*\\)\\s*(?:WITH\\s+NO_INFOMSGS\\s*)?;`, 'i');

export interface ReadOnlyOptions {
  /** The user asked for the inactive log (--inactive-log): allow the DBCC TRACEON(2537) prefix. */
  allowInactiveLogTraceFlag?: boolean;
  /** The batch lists a backup file's sets (`RESTORE HEADERONLY FROM DISK = @file`, nothing else): allowed whole. */
  allowHeaderOnly?: boolean;
}

/** Throws SOURCE_NOT_READ_ONLY naming the offending word; returns the words it checked. */
export function assertReadOnly(text: string, options: ReadOnlyOptions = {}): void {
  if (options.allowHeaderOnly) {
    // the raw text, comments and all: sql.ts sends none, and no comment need be let through here
    if (HEADERONLY_BATCH.test(text)) return;
    throw notReadOnly('a backup header listing is sent alone, as RESTORE HEADERONLY FROM DISK = @parameter');
  }
  let body = text;
  const prefix = TRACEON_PREFIX.exec(stripComments(text));
  if (prefix) {
    if (!options.allowInactiveLogTraceFlag) {
      throw notReadOnly(`DBCC TRACEON(${TRACE_FLAG_INACTIVE_LOG}) is sent only when the inactive log was asked for (--inactive-log)`);
    }
    body = stripComments(text).slice(prefix[0].length);
  }
  const words = codeWords(body);
  if (words.length === 0) throw notReadOnly('empty batch');
  if (!START_WORDS.has(words[0])) throw notReadOnly(`a read batch starts with SELECT, WITH or DECLARE, not ${words[0]}`);
  for (const w of words) {
    if (FORBIDDEN_WORDS.has(w)) throw notReadOnly(`'${w}' is not allowed in a read-only scan`);
  }
  if (words[0] === 'DECLARE' && !words.includes('SELECT')) throw notReadOnly('a DECLARE batch must end in a SELECT');
}

function notReadOnly(why: string): SourceError {
  return new SourceError('SOURCE_NOT_READ_ONLY', `refused to send a statement to the server: ${why}`);
}

/** Every character a `--` comment might end at (see scan). */
const LINE_END = /[\r\n\u0085\u2028\u2029]/g;

function stripComments(text: string): string {
  return scan(text, true);
}

/** Upper-cased words of the batch outside literals, quoted identifiers and comments. */
export function codeWords(text: string): string[] {
  return scan(text, false).toUpperCase().match(/[A-Z_@#][A-Z0-9_@#$]*/g) ?? [];
}

/**
 * One pass over T-SQL text. With keepLiterals the result is the text without comments; without,
 * literals and quoted identifiers are blanked too. An unterminated literal or comment blanks the
 * rest, which can only make the guard stricter (the batch then fails its start-word test).
 */
function scan(text: string, keepLiterals: boolean): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      // A `--` comment runs to the end of the line. Microsoft's docs say only "end of line"; which
      // characters the server's lexer takes as one is not documented (CR, LF, NEL, LINE/PARAGRAPH
      // SEPARATOR could be). Ending the comment at the first of them is not stricter: text the
      // server may read as comment is then read as code, and a quote or `/*` there opens a literal
      // or comment that hides what follows the LF (`SELECT 1 --x\r' \nDROP TABLE t --'` passed as
      // SELECT 1 and a literal, while a server ending the comment at LF alone runs DROP TABLE);
      // ending it at LF alone let `--x\rDROP TABLE t` pass if the server ends it at a lone CR. So
      // text between such a character and the next LF is refused: where the comment ends is then
      // not known. A CRLF (or a line end followed only by line ends and blanks) is the same either way.
      LINE_END.lastIndex = i;
      const end = LINE_END.exec(text);
      const lf = text.indexOf('\n', i);
      const stop = lf < 0 ? text.length : lf;
      if (end !== null && end.index < stop && /[^\s\u0085\u2028\u2029]/.test(text.slice(end.index, stop))) {
        throw notReadOnly(`a -- comment is followed by a line end other than LF (U+${text.charCodeAt(end.index).toString(16).toUpperCase().padStart(4, '0')}) and more text before the next LF: whether the server ends the comment there is not documented, so what it runs is not known`);
      }
      i = end === null ? text.length : end.index;
      out += ' ';
    } else if (c === '/' && next === '*') {
      // T-SQL block comments nest.
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text[j] === '/' && text[j + 1] === '*') (depth++, (j += 2));
        else if (text[j] === '*' && text[j + 1] === '/') (depth--, (j += 2));
        else j++;
      }
      i = j;
      out += ' ';
    } else if (c === "'" || c === '[' || c === '"') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        if (j >= text.length) break;
        if (text[j] === close) {
          if (text[j + 1] === close) {
            j += 2;
            continue;
          }
          j++;
          break;
        }
        j++;
      }
      out += keepLiterals ? text.slice(i, j) : ' ';
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
