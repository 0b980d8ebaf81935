/**
 * An undo script deletes the rows a re-insert put back, each DELETE guarded by `@@ROWCOUNT <> 1`,
 * and stops for INSTEAD OF DELETE triggers and for foreign keys ON DELETE CASCADE / SET NULL / SET
 * DEFAULT. An enabled AFTER DELETE trigger on a table it deletes from runs too (Microsoft Learn,
 * CREATE TRIGGER), and may delete or change other rows (a cascade written by hand, an archive, a
 * soft-delete's bookkeeping): rows rowback never put in, which the DELETE's own row count does not
 * show. The undo looked for none and said nothing. It now looks, where it runs (sys.triggers with
 * is_instead_of_trigger = 0, enabled, with a DELETE sys.trigger_events row), on each table it
 * deletes from, and stops before deleting anything (RAISERROR naming the table and the trigger with
 * the ALTER TABLE … DISABLE TRIGGER that lets it through, then SET NOEXEC ON), as its cascade check
 * does. Read as T-SQL here (no SQL Server runs in this environment). SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, renderUndoScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'int' ? 4 : 80, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});
const table = (name: string): [string, TargetTable] => [`crm.${name}`, {
  schema: 'crm', name, keyColumns: ['Id'], keyIndex: { name: `PK_${name}`, primaryKey: true },
  columns: [column('Id', 'int', { nullable: false }), column('Name', 'nvarchar')], uniqueKeys: [], insteadOfTriggers: { insert: [], delete: [] },
}];
const row = (id: number, t: string): PlanInputRow => ({ id, table: t, lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { Id: id, Name: `n${id}` }, operation: 'delete', fromLog: true });

describe('an undo script and the AFTER DELETE triggers of the tables it deletes from', () => {
  it('looks for one on each table and stops before deleting anything, naming it and the way on', () => {
    const plan = planReinsert([row(1, 'crm.Customers'), row(2, 'crm.Orders')], new Map([table('Customers'), table('Orders')]), [{ name: 'FK_Orders_Customers', child: 'crm.Orders', parent: 'crm.Customers' }]);
    const undo = renderUndoScript(plan);
    const lines = undo.split('\n');
    const at = lines.findIndex((l) => l.startsWith('DECLARE @rowback_after_delete1 '));
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toBe('-- AFTER DELETE triggers on a table this undo deletes from: looked for on each, and the undo stops there, deleting nothing (SQL Server runs such a trigger with each DELETE, and it may delete or change other rows, rows this undo does not know, while it counts one row deleted)');
    expect(lines.slice(at, at + 6)).toEqual([
      "DECLARE @rowback_after_delete1 nvarchar(300) = (SELECT TOP (1) QUOTENAME(tr.name) FROM sys.triggers AS tr JOIN sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 3 WHERE tr.parent_class = 1 AND tr.parent_id = OBJECT_ID(N'[crm].[Customers]', N'U') AND tr.is_instead_of_trigger = 0 AND tr.is_disabled = 0 ORDER BY tr.name);",
      'IF @rowback_after_delete1 IS NOT NULL',
      'BEGIN',
      "    RAISERROR(N'rowback undo: [crm].[Customers] has an enabled AFTER DELETE trigger, %s, which SQL Server runs with this script''s DELETE: it may delete or change other rows (a cascade by hand into other tables, an archive, a soft-delete''s bookkeeping), rows this undo does not know, while it counts one row deleted. Nothing was deleted. Read the trigger first; if what it does to a deleted row is wanted, or nothing, disable it for the undo (ALTER TABLE [crm].[Customers] DISABLE TRIGGER %s; ENABLE TRIGGER after) and run the script again, else delete the re-inserted rows by hand', 16, 1, @rowback_after_delete1, @rowback_after_delete1);",
      '    SET NOEXEC ON;',
      'END',
    ]);
    // each table once, every check after the VIEW DEFINITION check and before the transaction
    expect(undo.match(/DECLARE @rowback_after_delete\d+ /g)).toHaveLength(2);
    expect(undo).toContain("tr.parent_id = OBJECT_ID(N'[crm].[Orders]', N'U') AND tr.is_instead_of_trigger = 0");
    const begin = lines.indexOf('BEGIN TRANSACTION;');
    const visible = lines.findIndex((l) => l.startsWith('IF ISNULL(HAS_PERMS_BY_NAME('));
    for (const [i, l] of lines.entries()) if (l.startsWith('DECLARE @rowback_after_delete')) { expect(i).toBeLessThan(begin); expect(i).toBeGreaterThan(visible); }
    expect(undo.trimEnd().endsWith('COMMIT TRANSACTION;\n\nSET NOEXEC OFF;')).toBe(true);
  });

  it("in a script naming its database (three-part names), reads that database's catalog; quotes and % in names are safe", () => {
    const undo = renderUndoScript(planReinsert([row(1, "crm.O'k]%s")], new Map([table("O'k]%s")]), [], { database: 'C]RM' }));
    expect(undo).toContain("FROM [C]]RM].sys.triggers AS tr JOIN [C]]RM].sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 3 WHERE tr.parent_class = 1 AND tr.parent_id = OBJECT_ID(N'[C]]RM].[crm].[O''k]]%s]', N'U')");
    expect(undo).toContain("RAISERROR(N'rowback undo: [C]]RM].[crm].[O''k]]%%s] has an enabled AFTER DELETE trigger, %s,");
    expect(undo).toContain("(ALTER TABLE [C]]RM].[crm].[O''k]]%%s] DISABLE TRIGGER %s;");
  });

  it('a side table (tableMap) is looked at, not the source table', () => {
    const plan = planReinsert([row(1, 'crm.Customers')], new Map([table('Customers'), table('Customers_back')]), [], { tableMap: { 'crm.Customers': 'crm.Customers_back' } });
    const undo = renderUndoScript(plan);
    expect(undo).toContain("tr.parent_id = OBJECT_ID(N'[crm].[Customers_back]', N'U') AND tr.is_instead_of_trigger = 0");
    expect(undo).not.toContain("tr.parent_id = OBJECT_ID(N'[crm].[Customers]', N'U') AND tr.is_instead_of_trigger = 0");
  });
});
