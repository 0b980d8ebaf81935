/**
 * Foreign keys between target tables whose names hold a dot. The target's catalog query gave each
 * key's tables as `schema.name` text (SCHEMA_NAME + '.' + name), `dbo.Order.Lines` for both
 * dbo.[Order.Lines] and [dbo.Order].Lines, while the plan keys its tables by their parts
 * (stagedTableName: `[dbo].[Order.Lines]`): no key between such tables matched a table of the plan,
 * so the child's rows went first by name (Msg 547, on every resume) and a self-reference's rows in
 * LSN order (a report before its manager). The query now reads each table's parts too
 * (targetFksSql child_schema/child_table/parent_schema/parent_table) and addForeignKey keys the
 * key by them. A namesake's key ([dbo.Z].[Parent] → dbo.[A.Child], of the same text as the plan's
 * dbo.[Z.Parent]) is read too (the WHERE compares the text) and must order nothing.
 * SQL Server is not here: the catalog's rows are given as the query's select list names them
 * (a stand-in pool, as target-catalog-sql.test.ts). SYNTHETIC tables, keys and values.
 */
import { describe, expect, it } from 'vitest';
import { MssqlTarget } from '../../src/reinsert/mssql-target.js';
import { planReinsert, type PlanInputRow } from '../../src/reinsert/plan.js';

const col = (schema: string, table: string, column: string, column_id: number, key_ordinal = 0) => ({
  schema, table, column, column_id, type_name: 'int', max_length: 4, precision: 10, scale: 0, is_nullable: key_ordinal === 0, is_identity: false, is_computed: false, key_ordinal,
});
const fkRow = (name: string, cs: string, ct: string, ps: string, pt: string, child_column: string | null = null, parent_column: string | null = null) =>
  ({ name, child: `${cs}.${ct}`, parent: `${ps}.${pt}`, child_schema: cs, child_table: ct, parent_schema: ps, parent_table: pt, child_column, parent_column });

/** A MssqlTarget whose connection answers the catalog queries with `columns` and `fks` (SYNTHETIC). */
function catalogTarget(columns: ReturnType<typeof col>[], fks: ReturnType<typeof fkRow>[]): MssqlTarget {
  const pool = {
    request() {
      const r = {
        input() { return r; },
        async query(q: string) {
          if (q.includes('sys.foreign_keys')) return { recordset: fks };
          if (q.includes('sys.columns c ON c.object_id = t.object_id')) return { recordset: columns };
          if (q.includes('DB_NAME()')) return { recordset: [{ db: 'CRM' }] };
          return { recordset: [] };
        },
      };
      return r;
    },
  };
  const target = new MssqlTarget({ connectionString: 'Server=nowhere;Database=CRM' });
  (target as unknown as { pool: unknown }).pool = pool;
  return target;
}

const lsn = (n: number) => `0000002a:00000100:${n.toString(16).padStart(4, '0')}`;

describe('foreign keys between tables whose names hold a dot', () => {
  it('order the parent table first, and a namesake\'s key orders nothing', async () => {
    const target = catalogTarget(
      [col('dbo', 'A.Child', 'Id', 1, 1), col('dbo', 'A.Child', 'ParentId', 2), col('dbo', 'Z.Parent', 'Id', 1, 1), col('dbo.Z', 'Parent', 'Id', 1, 1)],
      [fkRow('FK_Child_Parent', 'dbo', 'A.Child', 'dbo', 'Z.Parent'), fkRow('FK_trap', 'dbo.Z', 'Parent', 'dbo', 'A.Child')],
    );
    const loaded = await target.loadTables(['[dbo].[A.Child]', '[dbo].[Z.Parent]']);
    expect(loaded.fks.map((f) => [f.name, f.child, f.parent])).toEqual([
      ['FK_Child_Parent', '[dbo].[A.Child]', '[dbo].[Z.Parent]'],
      ['FK_trap', '[dbo.Z].[Parent]', '[dbo].[A.Child]'],
    ]);
    const rows: PlanInputRow[] = [
      { id: 1, table: '[dbo].[A.Child]', lsn: lsn(1), values: { Id: 10, ParentId: 1 } },
      { id: 2, table: '[dbo].[Z.Parent]', lsn: lsn(2), values: { Id: 1 } },
    ];
    const plan = planReinsert(rows, loaded.tables, loaded.fks);
    expect(plan.problems).toEqual([]);
    expect(plan.cycles).toEqual([]);
    expect(plan.tableOrder).toEqual(['[dbo].[Z.Parent]', '[dbo].[A.Child]']);
    expect(plan.batches.map((b) => b.target)).toEqual(['[dbo].[Z.Parent]', '[dbo].[A.Child]']);
  });

  it('a self-reference of such a table puts a manager before the reports', async () => {
    const target = catalogTarget(
      [col('hr.v2', 'Emp.Tree', 'Id', 1, 1), col('hr.v2', 'Emp.Tree', 'Boss', 2)],
      [fkRow('FK_Emp_Boss', 'hr.v2', 'Emp.Tree', 'hr.v2', 'Emp.Tree', 'Boss', 'Id')],
    );
    const loaded = await target.loadTables(['[hr.v2].[Emp.Tree]']);
    // deleted report first, manager after (LSN order)
    const rows: PlanInputRow[] = [
      { id: 1, table: '[hr.v2].[Emp.Tree]', lsn: lsn(1), values: { Id: 7, Boss: 5 } },
      { id: 2, table: '[hr.v2].[Emp.Tree]', lsn: lsn(2), values: { Id: 5, Boss: null } },
    ];
    const plan = planReinsert(rows, loaded.tables, loaded.fks);
    expect(plan.problems).toEqual([]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([2, 1]);
  });
});
