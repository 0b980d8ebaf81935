/**
 * A NULL value for a column the target holds NOT NULL (breaker). An INSERT giving NULL to a NOT NULL
 * column is refused by SQL Server (Msg 515, "Cannot insert the value NULL into column …; column does
 * not allow nulls. INSERT fails."), a column DEFAULT notwithstanding (a default applies only to a
 * column the INSERT leaves out). The plan did not look at `nullable`: a recovered row holding NULL
 * where the target's column is now NOT NULL (altered since the delete, a side table made NOT NULL,
 * a column added later whose old rows decode as NULL) was planned like any other, the dry run naming
 * no problem, and the real run's batch failed with it: that row and every other row of its batch
 * (500 by default) not put back, again on every resume. Such a row is now a problem of its own
 * (REINSERT_BAD_VALUE naming the column), as values that do not fit their column are; the other
 * rows go back. SYNTHETIC tables and values; the session refuses NULL as SQL Server does.
 */
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/reinsert/execute.js';
import { planReinsert, type PlanInputRow } from '../../src/reinsert/plan.js';
import type { TargetSession } from '../../src/reinsert/target.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 100, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const customers: TargetTable = {
  schema: 'dbo', name: 'Customers', keyColumns: ['Id'],
  columns: [c('Id', 'int', { maxLength: 4, nullable: false }), c('Name', 'nvarchar'), c('Region', 'nvarchar', { nullable: false }), c('Flag', 'sql_variant', { nullable: false })],
};
const targets = new Map([['dbo.Customers', customers]]);
const row = (id: number, values: PlanInputRow['values']): PlanInputRow => ({ id, table: 'dbo.Customers', lsn: `0000002a:00000100:000${id}`, values });

/** A session that refuses NULL into a NOT NULL column, as SQL Server does (Msg 515), and records what went in. */
function notNullSession(t: TargetTable): { s: TargetSession; inserted: number[] } {
  const inserted: number[] = [];
  const s: TargetSession = {
    async begin() {}, async commit() {}, async rollback() { inserted.length = 0; },
    async ledgerGet() { return undefined; }, async ledgerPut() {},
    async rowLedgerGet() { return []; }, async rowLedgerPut() {},
    async setIdentityInsert() {}, async findExisting() { return undefined; }, async findUniqueHolder() { return undefined; },
    async insert(r) {
      for (const p of r.params) {
        if (p.value === null && !t.columns.find((x) => x.name === p.column)!.nullable) {
          throw new Error(`Cannot insert the value NULL into column '${p.column}', table '${r.table}'; column does not allow nulls. INSERT fails. (Msg 515)`);
        }
      }
      inserted.push(r.rowId);
    },
    async close() {},
  };
  return { s, inserted };
}

describe('a NULL for a column the target holds NOT NULL', () => {
  const rows = [
    row(1, { Id: 1, Name: 'Ann', Region: 'north', Flag: { baseType: 'int', value: 1 } }),
    row(2, { Id: 2, Name: 'Bo', Region: null, Flag: { baseType: 'int', value: 1 } }),
    row(3, { Id: 3, Name: null, Region: 'south', Flag: null }),
    row(4, { Id: 4, Name: null, Region: 'east', Flag: { baseType: 'int', value: 0 } }),
  ];

  it('is a problem of its own row, naming the column (Msg 515), and the other rows are planned', () => {
    const plan = planReinsert(rows, targets, []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[2, 'REINSERT_BAD_VALUE'], [3, 'REINSERT_BAD_VALUE']]);
    expect(plan.problems[0]!.message).toMatch(/column Region .*NOT NULL.*NULL.*Msg 515/);
    expect(plan.problems[1]!.message).toMatch(/column Flag .*NOT NULL/);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([1, 4]);
  });

  it("the run's batch goes in: the row holding NULL no longer fails it with the others", async () => {
    const plan = planReinsert(rows, targets, []);
    const { s, inserted } = notNullSession(customers);
    const outcome = await runBatch(s, 1, 'k1', plan.batches[0]!, {});
    expect(outcome.inserted).toEqual([1, 4]);
    expect(inserted).toEqual([1, 4]);
  });

  it('a nullable column takes NULL as before; a NOT NULL column the row has no value for is left to its default', () => {
    const plan = planReinsert([row(5, { Id: 5, Name: null, Region: 'west', Flag: { baseType: 'int', value: 1 } }), row(6, { Id: 6, Name: 'Cy' } as PlanInputRow['values'])], targets, []);
    expect(plan.problems).toEqual([]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([5, 6]);
  });
});
