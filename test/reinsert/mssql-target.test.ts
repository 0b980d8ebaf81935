import { describe, expect, it } from 'vitest';
import { bulkShape } from '../../src/reinsert/mssql-target.js';
import { planReinsert } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

describe('bulk load shape (MssqlTarget bulkInsert declares column types from the batch\'s first row)', () => {
  it('a sql_variant row of another base type has another shape (its own INSERT); rows of plain columns share one', () => {
    const t: TargetTable = { schema: 'dbo', name: 'V', keyColumns: ['id'], columns: [c('id', 'int'), c('name', 'nvarchar', { maxLength: 100 }), c('v', 'sql_variant', { maxLength: 8016 })] };
    const plan = planReinsert([
      { id: 1, table: 'dbo.V', lsn: '0001', values: { id: 1, name: 'a', v: { baseType: 'varchar', value: 'plain' } } },
      { id: 2, table: 'dbo.V', lsn: '0002', values: { id: 2, name: 'bb', v: { baseType: 'int', value: 12345678 } } },
      { id: 3, table: 'dbo.V', lsn: '0003', values: { id: 3, name: 'ccc', v: { baseType: 'varchar', value: 'other' } } },
      { id: 4, table: 'dbo.V', lsn: '0004', values: { id: 4, name: 'dddd', v: { baseType: 'varchar', value: 'longer text' } } },
    ], new Map([['dbo.V', t]]), []);
    const rows = plan.batches.flatMap((b) => b.rows);
    expect(rows.map((r) => r.rowId)).toEqual([1, 2, 3, 4]);
    const [a, b, same, longer] = rows.map(bulkShape);
    expect(b).not.toBe(a); // int in the variant: declared varchar(5) it would have been sent as text
    expect(same).toBe(a); // same base type and length: one bulk load
    expect(longer).not.toBe(a); // varchar(11) declared varchar(5) would have been cut
    // plain columns: the values' lengths do not change the declared types
    const plain: TargetTable = { schema: 'dbo', name: 'P', keyColumns: ['id'], columns: [c('id', 'int'), c('name', 'nvarchar', { maxLength: 100 })] };
    const p = planReinsert([1, 2, 3].map((i) => ({ id: i, table: 'dbo.P', lsn: `000${i}`, values: { id: i, name: 'x'.repeat(i * 10) } })), new Map([['dbo.P', plain]]), []);
    expect(new Set(p.batches.flatMap((x) => x.rows).map(bulkShape)).size).toBe(1);
  });
});
