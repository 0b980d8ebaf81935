import { SchemaError } from '../../errors.js';

/**
 * Tokenizer for T-SQL DDL scripts as SSMS, sqlpackage and hand-written migrations produce them.
 * T-SQL corners handled here (Microsoft Learn, "Database identifiers", "Comments", "GO"):
 *  - `[bracketed]` identifiers with `]]` escaping, `"quoted"` identifiers with `""` escaping;
 *  - `'strings'` with `''` escaping and the `N'…'` prefix;
 *  - `--` line comments and `/* … *\/` block comments, which NEST in T-SQL;
 *  - `GO [count]` alone on its line is a batch separator, not a keyword.
 */

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'binary' | 'punct' | 'go' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier text (unescaped for quoted identifiers), string contents, number text, or punctuation. */
  text: string;
  /** Upper-cased `text` for unquoted identifiers (keyword tests), else the text. */
  upper: string;
  line: number;
  col: number;
}

const IDENT_START = /[A-Za-z_@#\u0080-\uFFFF]/;
const IDENT_PART = /[A-Za-z0-9_@#$\u0080-\uFFFF]/;

export function parseError(message: string, line: number, col: number): SchemaError {
  return new SchemaError('SCHEMA_DDL_PARSE', `line ${line}, column ${col}: ${message}`, { line });
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = sql.length;
  const push = (kind: TokenKind, text: string, start: number, startLine: number, startCol: number): void => {
    void start;
    out.push({ kind, text, upper: kind === 'ident' ? text.toUpperCase() : text, line: startLine, col: startCol });
  };
  const newline = (at: number): void => {
    line++;
    lineStart = at + 1;
  };

  while (i < n) {
    const c = sql[i]!;
    const col = i - lineStart + 1;
    if (c === '\n') { newline(i); i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const startLine = line;
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; continue; }
        if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; continue; }
        if (sql[i] === '\n') newline(i);
        i++;
      }
      if (depth > 0) throw parseError('unterminated /* comment', startLine, col);
      continue;
    }
    // [ident], "ident" and 'string' / N'string': delimited, the closing delimiter doubled to escape it.
    const delimited =
      c === '[' ? { close: ']', kind: 'quoted' as const, what: '[identifier]', from: i + 1 }
      : c === '"' ? { close: '"', kind: 'quoted' as const, what: '"identifier"', from: i + 1 }
      : c === "'" ? { close: "'", kind: 'string' as const, what: 'string literal', from: i + 1 }
      : (c === 'N' || c === 'n') && sql[i + 1] === "'" ? { close: "'", kind: 'string' as const, what: 'string literal', from: i + 2 }
      : null;
    if (delimited) {
      const startLine = line;
      let j = delimited.from;
      let text = '';
      for (;;) {
        if (j >= n) throw parseError(`unterminated ${delimited.what}`, startLine, col);
        if (sql[j] === delimited.close) {
          if (sql[j + 1] === delimited.close) { text += delimited.close; j += 2; continue; }
          break;
        }
        if (sql[j] === '\n') newline(j);
        text += sql[j];
        j++;
      }
      push(delimited.kind, text, i, startLine, col);
      i = j + 1;
      continue;
    }
    if (c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
      let j = i + 2;
      while (j < n && /[0-9A-Fa-f]/.test(sql[j]!)) j++;
      push('binary', sql.slice(i, j), i, line, col);
      i = j;
      continue;
    }
    // A money constant: a currency symbol, then a number (`DEFAULT ($5)`, `£12.50`; Microsoft Learn
    // "Constants (Transact-SQL)", money constants: "an optional currency symbol as a prefix"): one
    // number token whose text keeps the symbol (default-value.ts reads it for money columns).
    const money = /\p{Sc}/u.test(c) && /[0-9.]/.test(sql[i + 1] ?? '');
    if (money || /[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      let j = money ? i + 1 : i;
      while (j < n && /[0-9]/.test(sql[j]!)) j++;
      if (sql[j] === '.') { j++; while (j < n && /[0-9]/.test(sql[j]!)) j++; }
      if ((sql[j] === 'e' || sql[j] === 'E') && /[0-9+-]/.test(sql[j + 1] ?? '')) {
        j += 2;
        while (j < n && /[0-9]/.test(sql[j]!)) j++;
      }
      push('number', sql.slice(i, j), i, line, col);
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      // GO is a batch separator only when it stands alone on its line (optionally with a count).
      if (word.toUpperCase() === 'GO' && isGoLine(sql, lineStart, j)) {
        push('go', 'GO', i, line, col);
        while (j < n && sql[j] !== '\n') j++;
        i = j;
        continue;
      }
      push('ident', word, i, line, col);
      i = j;
      continue;
    }
    if ('(),;.=+-*/%<>!&|^~:'.includes(c)) {
      push('punct', c, i, line, col);
      i++;
      continue;
    }
    throw parseError(`unexpected character '${c}'`, line, col);
  }
  out.push({ kind: 'eof', text: '', upper: '', line, col: n - lineStart + 1 });
  return out;
}

/** True when the line holds only `GO`, an optional repeat count and an optional comment. */
function isGoLine(sql: string, lineStart: number, afterGo: number): boolean {
  const before = sql.slice(lineStart, afterGo - 2);
  if (before.trim() !== '') return false;
  const end = sql.indexOf('\n', afterGo);
  const rest = sql.slice(afterGo, end < 0 ? sql.length : end);
  return /^\s*(\d+)?\s*(--.*)?\r?$/.test(rest);
}
