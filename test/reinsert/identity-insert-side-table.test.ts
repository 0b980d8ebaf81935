/**
 * IDENTITY_INSERT is set ON for a batch only when its rows give the identity column a value. A
 * side table with an identity column of its own (a surrogate key: `recovery.Orders_back
 * (RecoveryId int IDENTITY, OrderId, Total)`, tableMap from dbo.Orders) gets no value for it, and
 * SQL Server refuses an INSERT that leaves the identity column out while IDENTITY_INSERT is ON
 * (Msg 545, "Explicit value must be specified for identity column … when IDENTITY_INSERT is set to
 * ON"): every batch of the run and of the script failed, though the plan named no problem. Rows
 * that give it and rows that do not (two source tables into one side table) go in separate batches,
 * each with the setting its rows need, in LSN order. SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const side: TargetTable = {
  schema: 'recovery', name: 'Orders_back', keyColumns: ['RecoveryId'],
  columns: [c('RecoveryId', 'int', { identity: true, nullable: false }), c('OrderId', 'int'), c('Total', 'int')],
};
const targets = new Map([['recovery.Orders_back', side]]);
const lsn = (n: number) => `0000002a:00000100:${n.toString(16).padStart(4, '0')}`;

describe('IDENTITY_INSERT for rows that give no identity value', () => {
  it('a side table with its own identity column: not set ON, the server numbers the rows', () => {
    const rows: PlanInputRow[] = [1, 2, 3].map((i) => ({ id: i, table: 'dbo.Orders', lsn: lsn(i), values: { OrderId: 10 + i, Total: i } }));
    const plan = planReinsert(rows, targets, [], { tableMap: { 'dbo.Orders': 'recovery.Orders_back' } });
    expect(plan.problems).toEqual([]);
    expect(plan.batches.map((b) => b.identityInsert)).toEqual([false]);
    expect(plan.batches[0]!.rows[0]!.insertSql).toBe('INSERT INTO [recovery].[Orders_back] ([OrderId], [Total]) VALUES (@p1, @p2);');
    const script = renderScript(plan);
    expect(script).not.toMatch(/SET IDENTITY_INSERT \[recovery\]\.\[Orders_back\] ON;/);
    expect(script).toContain('INSERT INTO [recovery].[Orders_back] ([OrderId], [Total]) VALUES (@r1_p1, @r1_p2);');
  });

  it('rows that give it and rows that do not, into one table: separate batches, each set as its rows need, LSN order kept', () => {
    const rows: PlanInputRow[] = [
      { id: 1, table: 'dbo.Orders', lsn: lsn(1), values: { OrderId: 11, Total: 1 } },
      { id: 2, table: 'dbo.Orders', lsn: lsn(2), values: { OrderId: 12, Total: 2 } },
      { id: 3, table: 'archive.Orders', lsn: lsn(3), values: { RecoveryId: 7, OrderId: 13, Total: 3 } },
      { id: 4, table: 'dbo.Orders', lsn: lsn(4), values: { OrderId: 14, Total: 4 } },
    ];
    const plan = planReinsert(rows, targets, [], { tableMap: { 'dbo.Orders': 'recovery.Orders_back', 'archive.Orders': 'recovery.Orders_back' } });
    expect(plan.problems).toEqual([]);
    expect(plan.batches.map((b) => [b.identityInsert, b.rows.map((r) => r.rowId)])).toEqual([[false, [1, 2]], [true, [3]], [false, [4]]]);
    for (const b of plan.batches) {
      for (const r of b.rows) expect(r.params.some((p) => p.column === 'RecoveryId')).toBe(b.identityInsert);
    }
    const script = renderScript(plan);
    const on = script.indexOf('SET IDENTITY_INSERT [recovery].[Orders_back] ON;');
    expect(on).toBeGreaterThan(script.indexOf('VALUES (@r2_p1, @r2_p2);'));
    expect(on).toBeLessThan(script.indexOf('VALUES (@r3_p1, @r3_p2, @r3_p3);'));
    expect(script.match(/SET IDENTITY_INSERT \[recovery\]\.\[Orders_back\] ON;/g)).toHaveLength(1);
  });

  it('batch size still cuts batches of one kind', () => {
    const rows: PlanInputRow[] = [1, 2, 3, 4, 5].map((i) => ({ id: i, table: 'dbo.Orders', lsn: lsn(i), values: { OrderId: 10 + i, Total: i } }));
    const plan = planReinsert(rows, targets, [], { tableMap: { 'dbo.Orders': 'recovery.Orders_back' }, batchSize: 2 });
    expect(plan.batches.map((b) => b.rows.map((r) => r.rowId))).toEqual([[1, 2], [3, 4], [5]]);
  });
});
