/**
 * A strict T-SQL tokenizer for tests of generated scripts (Microsoft Learn: "Database
 * identifiers" — bracket identifiers close at `]`, `]]` is a literal `]`; "Comments" — `--` runs
 * to the end of the line (CR or LF), `/* … *\/` nests; string literals `'…'`/`N'…'` double `'`).
 * It throws on anything it does not know (an unterminated literal or identifier, a stray
 * character), so a test that tokenizes a script proves the script has exactly the tokens it
 * shows, and nothing from data can have become live T-SQL.
 */
export type TsqlToken =
  | { kind: 'ws' }
  | { kind: 'line-comment'; text: string }
  | { kind: 'block-comment'; text: string }
  | { kind: 'ident'; value: string } // [bracketed], value unescaped
  | { kind: 'qident'; value: string } // "quoted"
  | { kind: 'string'; value: string; unicode: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'word'; text: string }
  | { kind: 'punct'; text: string };

const PUNCT = new Set(['(', ')', ',', ';', '.', '=', '<', '>', '*', '+', '-', '/', '%']);

export function tokenizeTsql(sql: string): TsqlToken[] {
  const out: TsqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const fail = (why: string): never => {
    throw new Error(`T-SQL tokenizer: ${why} at offset ${i}: ${JSON.stringify(sql.slice(Math.max(0, i - 20), i + 20))}`);
  };
  while (i < n) {
    const c = sql[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      while (i < n && /[ \t\r\n]/.test(sql[i])) i++;
      out.push({ kind: 'ws' });
    } else if (c === '-' && sql[i + 1] === '-') {
      let j = i + 2;
      while (j < n && sql[j] !== '\n' && sql[j] !== '\r') j++;
      out.push({ kind: 'line-comment', text: sql.slice(i + 2, j) });
      i = j;
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        if (j >= n) fail('unterminated /* comment');
        if (sql[j] === '/' && sql[j + 1] === '*') (depth++, (j += 2));
        else if (sql[j] === '*' && sql[j + 1] === '/') (depth--, (j += 2));
        else j++;
      }
      out.push({ kind: 'block-comment', text: sql.slice(i + 2, j - 2) });
      i = j;
    } else if (c === '[') {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) fail('unterminated [identifier');
        if (sql[j] === ']') {
          if (sql[j + 1] === ']') (v += ']', (j += 2));
          else break;
        } else v += sql[j++];
      }
      out.push({ kind: 'ident', value: v });
      i = j + 1;
    } else if (c === '"') {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) fail('unterminated "identifier');
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') (v += '"', (j += 2));
          else break;
        } else v += sql[j++];
      }
      out.push({ kind: 'qident', value: v });
      i = j + 1;
    } else if (c === "'" || ((c === 'N' || c === 'n') && sql[i + 1] === "'")) {
      const unicode = c !== "'";
      let j = i + (unicode ? 2 : 1);
      let v = '';
      for (;;) {
        if (j >= n) fail('unterminated string literal');
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") (v += "'", (j += 2));
          else break;
        } else v += sql[j++];
      }
      out.push({ kind: 'string', value: v, unicode });
      i = j + 1;
    } else if (c === '@') {
      let j = i + 1;
      if (sql[j] === '@') j++;
      while (j < n && /[A-Za-z0-9_#$@]/.test(sql[j])) j++;
      if (j === i + 1) fail('bare @');
      out.push({ kind: 'variable', name: sql.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '0' && sql[i + 1] === 'x')) {
      let j = i;
      if (c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
        j += 2;
        while (j < n && /[0-9A-Fa-f]/.test(sql[j])) j++;
      } else {
        while (j < n && /[0-9.eE]/.test(sql[j])) j++;
      }
      out.push({ kind: 'number', text: sql.slice(i, j) });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_]/.test(sql[j])) j++;
      out.push({ kind: 'word', text: sql.slice(i, j) });
      i = j;
    } else if (c === '<' && sql[i + 1] === '>') {
      out.push({ kind: 'punct', text: '<>' });
      i += 2;
    } else if (PUNCT.has(c)) {
      out.push({ kind: 'punct', text: c });
      i++;
    } else {
      fail(`unexpected character U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
    }
  }
  return out;
}
