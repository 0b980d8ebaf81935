/**
 * An undo script deletes the rows a re-insert put back, each DELETE guarded by `@@ROWCOUNT <> 1`
 * (roll back whole rather than delete more: docs/security.md). A foreign key with ON DELETE
 * CASCADE (or SET NULL, SET DEFAULT) referencing the table defeats that: SQL Server deletes (or
 * changes) the referencing rows with the row (Microsoft Learn, "Primary and foreign key
 * constraints", cascading referential integrity), and @@ROWCOUNT counts the one row deleted. A
 * customer put back, then given new orders by the application, then undone: the undo deleted the
 * customer and, unsaid, every order the application had added since, rows rowback never put in.
 * Nothing in rowback read a foreign key's delete action. The undo now looks, where it runs, for an
 * enabled foreign key with a delete action referencing each table it deletes from, and stops before
 * deleting anything (RAISERROR naming the table, the foreign key and its action, then SET NOEXEC ON,
 * as its INSTEAD OF DELETE trigger check does). Read as T-SQL here (no SQL Server runs in this
 * environment). SYNTHETIC tables and values.
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

describe("an undo script and the foreign keys that would delete or change other rows with its rows", () => {
  it('looks for one on each table it deletes from and stops before deleting anything', () => {
    const plan = planReinsert([row(1, 'crm.Customers'), row(2, 'crm.Orders')], new Map([table('Customers'), table('Orders')]), [{ name: 'FK_Orders_Customers', child: 'crm.Orders', parent: 'crm.Customers' }]);
    const undo = renderUndoScript(plan);
    const lines = undo.split('\n');
    const at = lines.findIndex((l) => l.startsWith('DECLARE @rowback_cascade1 '));
    expect(lines[at - 6]).toBe('-- foreign keys with ON DELETE CASCADE, SET NULL or SET DEFAULT referencing a table this undo deletes from: looked for on each, and the undo stops there, deleting nothing (such a DELETE also deletes or changes the rows that reference the row, rows this undo does not know, while it counts one row deleted)');
    expect(lines.slice(at, at + 6)).toEqual([
      "DECLARE @rowback_cascade1 nvarchar(1000) = (SELECT TOP (1) QUOTENAME(sc.name) + N'.' + QUOTENAME(ob.name) + N' (foreign key ' + QUOTENAME(fk.name) + N', ON DELETE ' + fk.delete_referential_action_desc + N')' FROM sys.foreign_keys AS fk JOIN sys.objects AS ob ON ob.object_id = fk.parent_object_id JOIN sys.schemas AS sc ON sc.schema_id = ob.schema_id WHERE fk.referenced_object_id = OBJECT_ID(N'[crm].[Customers]', N'U') AND fk.delete_referential_action <> 0 AND fk.is_disabled = 0 ORDER BY sc.name, ob.name, fk.name);",
      'IF @rowback_cascade1 IS NOT NULL',
      'BEGIN',
      "    RAISERROR(N'rowback undo: [crm].[Customers] is referenced by %s: deleting a row of it there also deletes, or sets to NULL or the default, the rows of that table that reference the row, rows this undo does not know (added since the re-insert), while it counts one row deleted. Nothing was deleted. Look at the rows referencing the rows this undo would delete and deal with them first, then delete the re-inserted rows by hand, or run this script once that foreign key is NO ACTION (a referencing row then fails the DELETE, Msg 547, and the undo rolls back whole)', 16, 1, @rowback_cascade1);",
      '    SET NOEXEC ON;',
      'END',
    ]);
    // each table once, and every check before the transaction: nothing is deleted first
    expect(undo.match(/DECLARE @rowback_cascade\d+ /g)).toHaveLength(2);
    expect(undo).toContain("WHERE fk.referenced_object_id = OBJECT_ID(N'[crm].[Orders]', N'U')");
    const begin = lines.indexOf('BEGIN TRANSACTION;');
    for (const [i, l] of lines.entries()) if (l.startsWith('DECLARE @rowback_cascade')) expect(i).toBeLessThan(begin);
    expect(lines.findIndex((l) => l.startsWith('DELETE FROM [crm]'))).toBeGreaterThan(begin);
    // its SET NOEXEC ON is undone at the end, found or not: left ON, the session silently runs nothing more
    expect(undo.trimEnd().endsWith('COMMIT TRANSACTION;\n\nSET NOEXEC OFF;')).toBe(true);
  });

  it("in a script naming its database, reads that database's catalog; a % in a name is not a RAISERROR format", () => {
    const undo = renderUndoScript(planReinsert([row(1, 'crm.Pct%s')], new Map([table('Pct%s')]), [], { database: 'CRM' }));
    expect(undo).toContain("FROM [CRM].sys.foreign_keys AS fk JOIN [CRM].sys.objects AS ob ON ob.object_id = fk.parent_object_id JOIN [CRM].sys.schemas AS sc ON sc.schema_id = ob.schema_id WHERE fk.referenced_object_id = OBJECT_ID(N'[CRM].[crm].[Pct%s]', N'U')");
    expect(undo).toContain("RAISERROR(N'rowback undo: [CRM].[crm].[Pct%%s] is referenced by %s:");
  });

  it('stops first where the login may not see every foreign key of the database (no VIEW DEFINITION): sys.foreign_keys would hide the key of a table it has no permission on', () => {
    // SYNTHETIC tables. Metadata visibility (Microsoft Learn, "Metadata visibility configuration"):
    // sys.foreign_keys shows a key only to a login with some permission on its table; a login with
    // DELETE on crm.Customers alone saw no FK_Orders_Customers, the check passed, and the cascade
    // deleted the orders all the same
    const plan = planReinsert([row(1, 'crm.Customers'), row(2, 'crm.Orders')], new Map([table('Customers'), table('Orders')]), []);
    const lines = renderUndoScript(plan).split('\n');
    const at = lines.findIndex((l) => l.startsWith('IF ISNULL(HAS_PERMS_BY_NAME('));
    expect(lines.slice(at, at + 5)).toEqual([
      "IF ISNULL(HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'VIEW DEFINITION'), 0) = 0",
      'BEGIN',
      "    RAISERROR(N'rowback undo: this login may not see every foreign key of the database this session is in (no VIEW DEFINITION there): a foreign key ON DELETE CASCADE, SET NULL or SET DEFAULT of a table it has no permission on would delete or change that table''s rows with each row this undo deletes, and the check for one cannot see it. Nothing was deleted. Run this script as a login with VIEW DEFINITION on the database (db_owner has it)', 16, 1);",
      '    SET NOEXEC ON;',
      'END',
    ]);
    // once per database, before the keys are looked for and before the transaction
    expect(lines.filter((l) => l.startsWith('IF ISNULL(HAS_PERMS_BY_NAME('))).toHaveLength(1);
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('DECLARE @rowback_cascade1 ')));
    // a script naming its database asks of that database, by name (a % in it is no RAISERROR format)
    const named = renderUndoScript(planReinsert([row(1, 'crm.Customers')], new Map([table('Customers')]), [], { database: 'C]R%M' }));
    expect(named).toContain("IF ISNULL(HAS_PERMS_BY_NAME(N'C]R%M', N'DATABASE', N'VIEW DEFINITION'), 0) = 0");
    expect(named).toContain('may not see every foreign key of database C]R%%M (no VIEW DEFINITION there)');
  });

  it('a table none of whose rows the undo deletes is not looked at', () => {
    const plan = planReinsert([row(1, 'crm.Customers'), row(2, 'crm.Orders')], new Map([table('Customers'), table('Orders')]), []);
    const undo = renderUndoScript(plan, { rowIds: new Set([2]) });
    expect(undo.match(/DECLARE @rowback_cascade\d+ /g)).toHaveLength(1);
    expect(undo).toContain("WHERE fk.referenced_object_id = OBJECT_ID(N'[crm].[Orders]', N'U')");
    expect(undo).not.toContain("OBJECT_ID(N'[crm].[Customers]', N'U') AND fk.delete_referential_action");
  });
});
