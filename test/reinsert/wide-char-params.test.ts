import sql from 'mssql';
import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { declaration, toMssqlType } from '../../src/reinsert/param-type.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * char/varchar values go to the server as Unicode parameters (the server converts them to the
 * column's code page). nchar/nvarchar declare at most 4000 characters (Microsoft Learn, "nchar and
 * nvarchar (Transact-SQL)": n from 1 through 4,000; larger is Msg 2717/131): a char(5000) or
 * varchar(6000) column's value was declared nchar(5000) / nvarchar(6000), so every script holding
 * such a row failed at its DECLARE, and the driver's own `nchar (5000)` failed the re-insert.
 */
const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/** Every `nchar(n)`/`nvarchar(n)`/`varchar(n)`/`char(n)` size a T-SQL text declares, with its type. */
function declaredSizes(text: string): Array<[string, number]> {
  return [...text.matchAll(/\b(n?(?:var)?char)\((\d+)\)/gi)].map((m) => [m[1]!.toLowerCase(), Number(m[2])]);
}

describe('char/varchar columns wider than 4000 bytes', () => {
  const cases: Array<[TargetColumn, string]> = [
    [c('c', 'char', { maxLength: 5000 }), 'x'.padEnd(5000)],
    [c('v', 'varchar', { maxLength: 6000 }), 'hello'],
    [c('v8', 'varchar', { maxLength: 8000 }), 'y'.repeat(8000)],
  ];
  it.each(cases)('%s: nvarchar(max), never nchar/nvarchar beyond 4000', (col, value) => {
    const p = planParam(col, value);
    expect(declaration(p.type)).toBe('nvarchar(max)');
    expect(p.value).toBe(value);
    const t = toMssqlType(p.type) as unknown as { type: unknown; length: number };
    expect(t.type).toBe(sql.NVarChar);
    expect(t.length).toBe(sql.MAX);
  });

  it('up to 4000 keeps the column length (char(4000) → nchar(4000), varchar(4000) → nvarchar(4000))', () => {
    expect(declaration(planParam(c('c', 'char', { maxLength: 4000 }), 'a'.padEnd(4000)).type)).toBe('nchar(4000)');
    expect(declaration(planParam(c('v', 'varchar', { maxLength: 4000 }), 'a').type)).toBe('nvarchar(4000)');
  });

  it('the script declares no Unicode variable beyond 4000 characters', () => {
    const t: TargetTable = { schema: 'dbo', name: 'Wide', keyColumns: ['id'], columns: [c('id', 'int'), ...cases.map(([col]) => col)] };
    const values = Object.fromEntries([['id', 1], ...cases.map(([col, v]) => [col.name, v])]);
    const plan = planReinsert([{ id: 1, table: 'dbo.Wide', lsn: '00000010:00000020:0001', operation: 'delete', values }], new Map([['dbo.Wide', t]]), []);
    expect(plan.problems).toEqual([]);
    const script = renderScript(plan);
    for (const [type, n] of declaredSizes(script)) {
      expect(n, `${type}(${n}) in the script`).toBeLessThanOrEqual(type.startsWith('n') ? 4000 : 8000);
    }
    expect(script).toMatch(/@r1_p2 nvarchar\(max\) = /);
  });
});
