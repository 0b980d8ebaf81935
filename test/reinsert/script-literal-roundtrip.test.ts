import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * The script's value form (DECLARE @p … = <literal>) must give back the exact value once the script
 * is a UTF-8 file run by sqlcmd / SSMS. SYNTHETIC values. An nvarchar value holding a UTF-16
 * surrogate without its pair (a value cut between the halves of an emoji; nvarchar stores it, the
 * decoder keeps it) was written raw into N'…': UTF-8 has no form for it, so the file held U+FFFD and
 * the row went in changed, looking right. NUL and the other C0 controls, U+0085, U+2028 and U+2029
 * (line ends to SSMS's editor) were written raw too. Now each is its own piece (NCHAR(n), or
 * CONVERT(nvarchar(1), 0x…) for a lone surrogate). This test evaluates the literal as SQL Server
 * would (N'…' with '' doubled, NCHAR, CHAR, CONVERT(nvarchar(1), 0xLLHH), CAST(… AS (n)varchar(max)),
 * +) after the script went through UTF-8, for every value.
 */
function evaluate(expr: string): string {
  return evaluateChains(expr).value;
}

/**
 * The value, and the longest `+` chain at any one parenthesis level (SQL Server nests one level per
 * term). Typed as SQL Server types it: a sum of two non-(max) strings is cut at 4000 characters
 * (nvarchar; 8000 for varchar), so a group that does not begin (max) loses text here as there.
 */
function evaluateChains(expr: string): { value: string; longestChain: number } {
  type V = { v: string; max: boolean; limit: number };
  let i = 0;
  let longestChain = 0;
  const expect_ = (t: string) => {
    if (!expr.startsWith(t, i)) throw new Error(`expected ${JSON.stringify(t)} at ${i} of ${JSON.stringify(expr.slice(0, 200))}`);
    i += t.length;
  };
  const chain = (): V => {
    let acc = term();
    let n = 1;
    while (expr.startsWith(' + ', i)) {
      i += 3;
      const t = term();
      const max = acc.max || t.max;
      const limit = Math.min(acc.limit, t.limit);
      acc = { v: max ? acc.v + t.v : (acc.v + t.v).slice(0, limit), max, limit };
      n++;
    }
    longestChain = Math.max(longestChain, n);
    return acc;
  };
  const term = (): V => {
    if (expr[i] === '(') {
      i++;
      const v = chain();
      expect_(')');
      return v;
    }
    if (expr.startsWith('CAST(', i)) {
      i += 5;
      const v = term();
      if (expr.startsWith(' AS nvarchar(max))', i)) i += 18;
      else expect_(' AS varchar(max))');
      return { ...v, max: true };
    }
    if (expr.startsWith("N'", i) || expr[i] === "'") {
      const limit = expr[i] === 'N' ? 4000 : 8000;
      i += expr[i] === 'N' ? 2 : 1;
      let s = '';
      for (;;) {
        const j = expr.indexOf("'", i);
        if (j < 0) throw new Error('unterminated literal');
        s += expr.slice(i, j);
        i = j + 1;
        if (expr[i] === "'") {
          s += "'";
          i++;
        } else return { v: s, max: s.length > limit, limit };
      }
    }
    // a binary constant converted to nvarchar: its bytes as UTF-16LE code units, whatever the collation
    const hex = /^CONVERT\(nvarchar\(max\), 0x((?:[0-9A-F]{4})*)\)/.exec(expr.slice(i));
    if (hex) {
      i += hex[0].length;
      return { v: Buffer.from(hex[1]!, 'hex').toString('utf16le'), max: true, limit: 4000 };
    }
    const m = /^(NCHAR|CHAR)\((\d+)\)|^CONVERT\(nvarchar\(1\), 0x([0-9A-F]{4})\)/.exec(expr.slice(i, i + 40));
    if (!m) throw new Error(`unknown term at ${i} of ${JSON.stringify(expr.slice(0, 200))}`);
    i += m[0].length;
    if (m[3]) return { v: Buffer.from(m[3], 'hex').toString('utf16le'), max: false, limit: 4000 };
    return { v: String.fromCharCode(Number(m[2])), max: false, limit: m[1] === 'NCHAR' ? 4000 : 8000 };
  };
  const value = chain();
  if (i !== expr.length) throw new Error(`trailing text at ${i} of ${JSON.stringify(expr.slice(0, 200))}`);
  return { value: value.v, longestChain };
}

const col = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn => ({ name, type, maxLength: -1, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const values = [
  '',
  'plain',
  "it's",
  '\n',
  '\r\n\r\n',
  '\u0000',
  'a\u0000b',
  '\t tab kept',
  'x\u001ay',
  'line\u2028sep\u2029para\u0085nel',
  '😀 pair',
  'cut \ud83d',
  '\ude00 low first',
  '\udc00\ud800 reversed',
  'Müller',
  '张三 and Привет, mixed',
  '\u00a0nbsp\u00a0',
  '$(SQLCMDPASSWORD)',
  'a\\\nb',
  'x'.repeat(4001),
  'é'.repeat(9000) + '\n' + '\ud800',
];

describe('script literals round-trip every value exactly through a UTF-8 file', () => {
  for (const type of ['nvarchar', 'nchar', 'varchar', 'ntext', 'xml'] as const) {
    it(`${type}`, () => {
      for (const v of values) {
        const p = planParam(col('c', type, type === 'nchar' ? { maxLength: 2 * Math.max(1, v.length) } : {}), v);
        const file = Buffer.from(p.literal, 'utf8').toString('utf8');
        expect(file, JSON.stringify(v)).toBe(p.literal);
        // ASCII: read in any code page (sqlcmd without -f 65001 reads the file in another), the same text
        expect(p.literal, JSON.stringify(v)).toMatch(/^[\u0000-\u007f]*$/);
        expect(Buffer.from(p.literal, 'utf8').toString('latin1'), JSON.stringify(v)).toBe(p.literal);
        expect(p.literal, JSON.stringify(v)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u0085\u2028\u2029]/);
        expect(evaluate(file), JSON.stringify(v)).toBe(v);
      }
    });
  }

  it('a value of thousands of lines is written as parenthesised chains of at most 32 terms, each group CAST to max (one chain of ~2,800 terms for pubs\' pr_info: Msg 8631, server stack limit)', () => {
    for (const v of [Array.from({ length: 5000 }, (_, k) => `line ${k}`).join('\r\n'), '\n'.repeat(40_000), ('x'.repeat(3000) + '\n').repeat(100)]) {
      for (const type of ['nvarchar', 'varchar'] as const) {
        const p = planParam(col('c', type), v);
        const { value, longestChain } = evaluateChains(p.literal);
        expect(value).toBe(v);
        expect(longestChain).toBeLessThanOrEqual(32);
      }
    }
  });

  it('the whole script is the same text after UTF-8, and holds no control character but LF between lines', () => {
    const table: TargetTable = { schema: 'dbo', name: 'Notes', columns: [col('Id', 'int', { nullable: false, maxLength: 4 }), col('Body', 'nvarchar')], keyColumns: ['Id'] };
    const rows = values.map((v, i) => ({ id: i + 1, table: 'dbo.Notes', lsn: `l${i}`, values: { Id: i + 1, Body: v } }));
    const plan = planReinsert(rows, new Map([['dbo.Notes', table]]), []);
    expect(plan.problems).toEqual([]);
    const script = renderScript(plan);
    expect(Buffer.from(script, 'utf8').toString('utf8')).toBe(script);
    expect(script).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u0085\u2028\u2029]/);
    expect(script).toContain("CAST(N'cut ' AS nvarchar(max)) + CONVERT(nvarchar(max), 0x3DD8)");
    // read as code page 1252 (sqlcmd without -f 65001), the script is the same text: N'Müller' was
    // C3 BC in the file, read N'MÃ¼ller', and went in so, looking nearly right
    expect(script).toMatch(/^[\u0000-\u007f]*$/);
    expect(Buffer.from(script, 'utf8').toString('latin1')).toBe(script);
  });
});
