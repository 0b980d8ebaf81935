/**
 * A target column the row has no value for, NOT NULL and without a default (breaker, the other side
 * of null-into-not-null.test.ts). The plan leaves a column the recovered row lacks out of the INSERT
 * ("the target's default applies"); but a NOT NULL column with no default takes no row an INSERT
 * leaves it out of (Msg 515, "Cannot insert the value NULL into column …; column does not allow
 * nulls. INSERT fails."): a side table with a column of its own (RecoveredBy nvarchar NOT NULL), or a
 * table emptied by the incident and then given a NOT NULL column, failed the real run's whole batch
 * on every resume, the dry run naming no problem. The target's catalog now says which columns have a
 * default (sys.columns.default_object_id, 0 for none: Microsoft Learn, sys.columns), and such a row is
 * a problem of its own (REINSERT_COLUMN_MISSING naming the column); the other rows go back. Planned
 * without the target's catalog (defaults not known) nothing changes. SYNTHETIC catalog rows.
 */
import { describe, expect, it } from 'vitest';
import { tablesFromCatalog, targetColumnsSql } from '../../src/reinsert/mssql-target.js';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';

const col = (table: string, column: string, type_name: string, extra: Record<string, unknown> = {}) => ({
  schema: 'recovery', table, column, column_id: 0, type_name, max_length: 100, precision: 0, scale: 0, is_nullable: true, is_identity: false, is_computed: false, key_ordinal: 0, generated_always_type: 0, ...extra,
});
const rows = (table: string): PlanInputRow[] => [
  { id: 1, table: `recovery.${table}`, lsn: '0000002a:00000100:0001', values: { Id: 1, Name: 'Ann' } },
  { id: 2, table: `recovery.${table}`, lsn: '0000002a:00000100:0002', values: { Id: 2, Name: 'Bo', RecoveredBy: 'olga' } },
];

describe('a NOT NULL column without a default the row has no value for', () => {
  const tables = tablesFromCatalog([
    col('Side', 'Id', 'int', { max_length: 4, is_nullable: false, key_ordinal: 1, has_default: false }),
    col('Side', 'Name', 'nvarchar', { has_default: false }),
    col('Side', 'RecoveredBy', 'nvarchar', { is_nullable: false, has_default: false }),
    col('Side', 'Stamp', 'timestamp', { max_length: 8, is_nullable: false, has_default: false }),
    col('Side', 'Seq', 'int', { max_length: 4, is_nullable: false, is_identity: true, has_default: false }),
    col('Side', 'Total', 'int', { max_length: 4, is_nullable: false, is_computed: true, has_default: false }),
    col('Side', 'At', 'datetime2', { max_length: 8, scale: 7, is_nullable: false, generated_always_type: 1, has_default: false }),
    col('Dflt', 'Id', 'int', { max_length: 4, is_nullable: false, key_ordinal: 1, has_default: false }),
    col('Dflt', 'Name', 'nvarchar', { has_default: false }),
    col('Dflt', 'RecoveredBy', 'nvarchar', { is_nullable: false, has_default: true }),
  ]);

  it('is a problem of the row lacking it, naming the column; a row giving it goes back', () => {
    const plan = planReinsert(rows('Side'), tables, []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_COLUMN_MISSING']]);
    expect(plan.problems[0]!.message).toMatch(/RecoveredBy\b.*NOT NULL.*no default.*Msg 515/);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([2]);
    expect(renderScript(plan)).toContain('NOT INCLUDED: row 1');
  });

  it('a column with a default, an identity, computed, rowversion or GENERATED ALWAYS column is left to the server as before', () => {
    expect(planReinsert(rows('Dflt'), tables, []).problems).toEqual([]);
    // Side's Stamp, Seq, Total and At raise nothing for row 2 (only RecoveredBy was named for row 1)
    expect(planReinsert(rows('Side').slice(1), tables, []).problems).toEqual([]);
  });

  it('a catalog that does not say (an older caller, a plan from the staged layouts) refuses nothing', () => {
    const unknown = tablesFromCatalog([
      col('Side', 'Id', 'int', { max_length: 4, is_nullable: false, key_ordinal: 1 }),
      col('Side', 'Name', 'nvarchar'),
      col('Side', 'RecoveredBy', 'nvarchar', { is_nullable: false }),
    ]);
    expect(planReinsert(rows('Side'), unknown, []).problems).toEqual([]);
  });

  it("the target's column query reads whether each column has a default", () => {
    expect(targetColumnsSql(1)).toContain('CONVERT(bit, CASE WHEN c.default_object_id <> 0 THEN 1 ELSE 0 END) AS has_default');
  });
});
