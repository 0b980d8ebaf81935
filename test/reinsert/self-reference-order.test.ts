/**
 * Rows of a table with a foreign key to itself (Northwind's Employees.ReportsTo → EmployeeID) are
 * planned parents first. The planner kept LSN order within a table ("rows of a self-referencing
 * table are ordered by the caller", order.ts, and no caller did): a mass delete that took a report
 * before its manager put the report back first, its INSERT refused by the constraint (Msg 547), the
 * batch failed and failed again on every resume, while the dry run named no problem. The target's
 * catalog query now reads a self-reference's column pairs (targetFksSql) and the plan orders the
 * table's rows by them, LSN order kept otherwise. SQL Server itself is not here: the catalog
 * query's text and the rows it is read from are checked. SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import { addForeignKey, MssqlTarget, targetFksSql } from '../../src/reinsert/mssql-target.js';
import type { ForeignKey, TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const employees: TargetTable = {
  schema: 'dbo', name: 'Employees', keyColumns: ['EmployeeID'],
  columns: [c('EmployeeID', 'int', { identity: true, nullable: false }), c('LastName', 'nvarchar', { maxLength: 40 }), c('ReportsTo', 'int')],
};
const targets = new Map([['dbo.Employees', employees]]);
const selfFk: ForeignKey = { name: 'FK_Employees_Employees', child: 'dbo.Employees', parent: 'dbo.Employees', columns: [{ child: 'ReportsTo', parent: 'EmployeeID' }] };
const lsn = (n: number) => `0000002a:00000100:${n.toString(16).padStart(4, '0')}`;
const emp = (id: number, n: number, employeeId: number, reportsTo: number | null): PlanInputRow =>
  ({ id, table: 'dbo.Employees', lsn: lsn(n), values: { EmployeeID: employeeId, LastName: `E${employeeId}`, ReportsTo: reportsTo } });

describe('rows of a self-referencing table', () => {
  // deleted in this (LSN) order: reports before their managers
  const rows = [emp(1, 1, 5, 2), emp(2, 2, 7, 5), emp(3, 3, 2, 9), emp(4, 4, 3, null), emp(5, 5, 9, null)];

  it('go back parents first, LSN order kept where no row references another', () => {
    const plan = planReinsert(rows, targets, [selfFk]);
    expect(plan.problems).toEqual([]);
    const order = plan.batches.flatMap((b) => b.rows.map((r) => r.params[0]!.value));
    expect(order).toEqual([3, 9, 2, 5, 7]);
    // in every batch cut too, and in the script's INSERTs
    const small = planReinsert(rows, targets, [selfFk], { batchSize: 2 });
    expect(small.batches.map((b) => b.rows.map((r) => r.params[0]!.value))).toEqual([[3, 9], [2, 5], [7]]);
    const script = renderScript(plan);
    const at = (rowId: number) => script.indexOf(`VALUES (@r${rowId}_p1, @r${rowId}_p2, @r${rowId}_p3);`);
    expect(at(5)).toBeLessThan(at(3));
    expect(at(3)).toBeLessThan(at(1));
    expect(at(1)).toBeLessThan(at(2));
  });

  it('a row referencing itself goes in; rows in a cycle are held back (self-reference-cycle.test.ts)', () => {
    const cyc = [emp(1, 1, 20, 21), emp(2, 2, 21, 20), emp(3, 3, 22, 22), emp(4, 4, 23, null)];
    const plan = planReinsert(cyc, targets, [selfFk]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.params[0]!.value))).toEqual([22, 23]);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_FOREIGN_KEY_CYCLE'], [2, 'REINSERT_FOREIGN_KEY_CYCLE']]);
  });

  it('a foreign key without its columns (no catalog read) leaves LSN order', () => {
    const plan = planReinsert(rows, targets, [{ name: 'FK_Employees_Employees', child: 'dbo.Employees', parent: 'dbo.Employees' }]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.params[0]!.value))).toEqual([5, 7, 2, 3, 9]);
  });

  it("the target's catalog query reads a self-reference's column pairs in key order, other keys once", async () => {
    const text = targetFksSql(2);
    expect(text).toContain('LEFT JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id AND fk.parent_object_id = fk.referenced_object_id');
    expect(text).toContain('cc.name AS child_column, rc.name AS parent_column');
    expect(text).toContain('ORDER BY fk.name, fkc.constraint_column_id;');
    expect(text).toContain('IN (@n0, @n1)');
    expect(text).not.toMatch(/OPENJSON|CONCAT|STRING_AGG/i);

    const fks = new Map<string, ForeignKey>();
    addForeignKey(fks, { name: 'FK_Orders_Customers', child: 'dbo.Orders', parent: 'dbo.Customers', child_column: null, parent_column: null });
    addForeignKey(fks, { name: 'FK_Node_Parent', child: 'dbo.Node', parent: 'dbo.Node', child_column: 'ParentTenant', parent_column: 'Tenant' });
    addForeignKey(fks, { name: 'FK_Node_Parent', child: 'dbo.Node', parent: 'dbo.Node', child_column: 'ParentId', parent_column: 'Id' });
    addForeignKey(fks, { name: 'FK_Orders_Customers', child: 'dbo.Orders', parent: 'dbo.Customers', child_column: null, parent_column: null });
    expect([...fks.values()]).toEqual([
      { name: 'FK_Orders_Customers', child: 'dbo.Orders', parent: 'dbo.Customers' },
      { name: 'FK_Node_Parent', child: 'dbo.Node', parent: 'dbo.Node', columns: [{ child: 'ParentTenant', parent: 'Tenant' }, { child: 'ParentId', parent: 'Id' }] },
    ]);

    // loadTables hands them to the plan with their columns
    const fakePool = {
      request() {
        const r = {
          input() { return r; },
          async query(q: string) {
            if (q.includes('sys.foreign_keys')) return { recordset: [{ name: 'FK_Employees_Employees', child: 'dbo.Employees', parent: 'dbo.Employees', child_column: 'ReportsTo', parent_column: 'EmployeeID' }] };
            if (q.includes('DB_NAME()')) return { recordset: [{ db: 'CRM' }] };
            return { recordset: [] };
          },
        };
        return r;
      },
    };
    const target = new MssqlTarget({ connectionString: 'Server=nowhere;Database=CRM' });
    (target as unknown as { pool: unknown }).pool = fakePool;
    const loaded = await target.loadTables(['dbo.Employees']);
    expect(loaded.fks).toEqual([selfFk]);
  });
});
