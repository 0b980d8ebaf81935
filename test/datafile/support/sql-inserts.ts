/**
 * Test helper: the INSERT statements of a T-SQL script (northwind-script/instnwnd.sql), parsed
 * into rows. Handles `INSERT [INTO] "Table" [(cols)] VALUES (…)` over several lines, N'…' and
 * '…' strings with '' escapes, numbers, NULL and 0x… binary literals. Not a T-SQL parser: just
 * enough for the script's literal INSERTs.
 */
export type ScriptValue = { kind: 'null' } | { kind: 'string'; value: string } | { kind: 'number'; text: string } | { kind: 'binary'; hex: string };

export interface ScriptInsert {
  table: string;
  columns: string[] | null;
  values: ScriptValue[];
  line: number;
}

export function parseInserts(sql: string, table?: string): ScriptInsert[] {
  const out: ScriptInsert[] = [];
  const re = /^\s*INSERT\s+(?:INTO\s+)?(?:"([^"]+)"|\[([^\]]+)\]|([A-Za-z_][\w.]*))/gim;
  let m: RegExpExecArray | null;
  while ((m = re.exec(sql))) {
    const name = m[1] ?? m[2] ?? m[3];
    if (table && name.toLowerCase() !== table.toLowerCase()) continue;
    let p = re.lastIndex;
    const line = sql.slice(0, m.index).split('\n').length;
    p = skipWs(sql, p);
    let columns: string[] | null = null;
    if (sql[p] === '(') {
      const close = sql.indexOf(')', p);
      columns = sql
        .slice(p + 1, close)
        .split(',')
        .map((c) => c.trim().replace(/^["[]|["\]]$/g, ''));
      p = skipWs(sql, close + 1);
    }
    if (!/^VALUES/i.test(sql.slice(p, p + 6))) continue;
    p = skipWs(sql, p + 6);
    if (sql[p] !== '(') throw new Error(`line ${line}: expected ( after VALUES`);
    p++;
    const values: ScriptValue[] = [];
    for (;;) {
      p = skipWs(sql, p);
      const c = sql[p];
      if (c === "'" || ((c === 'N' || c === 'n') && sql[p + 1] === "'")) {
        if (c !== "'") p++;
        let s = '';
        p++;
        for (;;) {
          const q = sql.indexOf("'", p);
          if (q < 0) throw new Error(`line ${line}: unterminated string`);
          s += sql.slice(p, q);
          if (sql[q + 1] === "'") {
            s += "'";
            p = q + 2;
          } else {
            p = q + 1;
            break;
          }
        }
        values.push({ kind: 'string', value: s });
      } else if (/^NULL\b/i.test(sql.slice(p, p + 5))) {
        values.push({ kind: 'null' });
        p += 4;
      } else if (/^0x/i.test(sql.slice(p, p + 2))) {
        const mm = /^0x([0-9A-Fa-f]*)/.exec(sql.slice(p, p + 10_000_000))!;
        values.push({ kind: 'binary', hex: mm[1].toUpperCase() });
        p += mm[0].length;
      } else {
        const mm = /^[-+]?\d+(?:\.\d+)?/.exec(sql.slice(p, p + 64));
        if (!mm) throw new Error(`line ${line}: unexpected ${JSON.stringify(sql.slice(p, p + 20))}`);
        values.push({ kind: 'number', text: mm[0] });
        p += mm[0].length;
      }
      p = skipWs(sql, p);
      if (sql[p] === ',') {
        p++;
        continue;
      }
      if (sql[p] === ')') break;
      throw new Error(`line ${line}: expected , or ) but found ${JSON.stringify(sql.slice(p, p + 20))}`);
    }
    out.push({ table: name, columns, values, line });
  }
  return out;
}

function skipWs(s: string, p: number): number {
  while (p < s.length && /\s/.test(s[p])) p++;
  return p;
}

/** `m/d/yyyy` (the script's date literals) → the decoder's datetime text at midnight. */
export function scriptDate(s: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (!m) return s;
  return `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}T00:00:00.000`;
}
