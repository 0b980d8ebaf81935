/**
 * A script planned without the target's catalog (the SQL export, `?format=sql`; a dry run with no
 * target) could not read the target's INSTEAD OF INSERT triggers, and its head did not say so (its
 * "not read" list names columns, keys, unique indexes, identity columns and foreign keys): run into a
 * table with an enabled one, SQL Server ran the trigger in place of each INSERT (the row changed,
 * elsewhere or not at all) while the script wrote the row into the target's row ledger as put back,
 * so no later run or script would put it back again. A run planned against the target refuses such
 * rows (REINSERT_INSTEAD_OF_TRIGGER); the offline script now looks for an enabled INSTEAD OF INSERT
 * trigger on each of its tables itself and stops before writing anything (RAISERROR naming the
 * trigger and the ALTER TABLE … DISABLE TRIGGER, then SET NOEXEC ON, as its database check does).
 * Read as T-SQL here (no SQL Server runs in this environment). SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, renderUndoScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'int' ? 4 : 80, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});
const contacts = (name: string, triggers?: TargetTable['insteadOfTriggers']): Map<string, TargetTable> => new Map([[`crm.${name}`, {
  schema: 'crm', name, keyColumns: ['Id'], keyIndex: { name: 'PK', primaryKey: true },
  columns: [column('Id', 'int', { nullable: false }), column('Email', 'nvarchar')], uniqueKeys: [],
  ...(triggers ? { insteadOfTriggers: triggers } : {}),
}]]);
const row = (id: number, table: string): PlanInputRow => ({ id, table, lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { Id: id, Email: `c${id}@x.test` }, operation: 'delete', fromLog: true });

describe('a re-insert script planned without the target\'s triggers', () => {
  it('looks for an enabled INSTEAD OF INSERT trigger on each table and stops before anything is written', () => {
    const script = renderScript(planReinsert([row(1, 'crm.Contacts'), row(2, 'crm.Contacts')], contacts('Contacts'), []));
    const lines = script.split('\n');
    const at = lines.findIndex((l) => l.startsWith('DECLARE @rowback_trigger1 '));
    expect(lines.slice(at - 1, at + 6)).toEqual([
      '-- INSTEAD OF INSERT triggers: looked for where the script runs (the catalog then, not at planning) on each of its tables; the script stops there, inserting nothing (such a trigger runs in place of the INSERT, and the row ledger would record the row put back whatever it did)',
      "DECLARE @rowback_trigger1 nvarchar(300) = (SELECT TOP (1) QUOTENAME(tr.name) FROM sys.triggers AS tr JOIN sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 1 WHERE tr.parent_id = OBJECT_ID(N'[crm].[Contacts]', N'U') AND tr.is_instead_of_trigger = 1 AND tr.is_disabled = 0 ORDER BY tr.name);",
      'IF @rowback_trigger1 IS NOT NULL',
      'BEGIN',
      "    RAISERROR(N'rowback: [crm].[Contacts] has an enabled INSTEAD OF INSERT trigger, %s, which SQL Server runs in place of this script''s INSERT (it may put the row in changed, elsewhere or not at all, and the row ledger would record it put back). Nothing was inserted. Disable it for the re-insert (ALTER TABLE [crm].[Contacts] DISABLE TRIGGER %s; ENABLE TRIGGER after) and run the script again, or re-insert into a side table (tableMap)', 16, 1, @rowback_trigger1, @rowback_trigger1);",
      '    SET NOEXEC ON;',
      'END',
    ]);
    // before the row ledger is created and the first transaction: nothing is written first
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('CREATE TABLE'))); // the row ledger's (the tables-seen checks before are IF OBJECT_ID too)
    expect(at).toBeLessThan(lines.indexOf('BEGIN TRANSACTION;'));
    expect(script.match(/DECLARE @rowback_trigger/g)).toHaveLength(1);
    // its SET NOEXEC ON is undone at the end, found or not: left ON, the session silently runs nothing more
    expect(script.trimEnd().endsWith('COMMIT TRANSACTION;\n\nSET NOEXEC OFF;')).toBe(true);
  });

  it('in a script naming its database, reads that database\'s catalog; a % in a name is not a RAISERROR format', () => {
    const script = renderScript(planReinsert([row(1, 'crm.Pct%s')], contacts('Pct%s'), [], { database: 'CRM' }));
    expect(script).toContain("FROM [CRM].sys.triggers AS tr JOIN [CRM].sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 1 WHERE tr.parent_id = OBJECT_ID(N'[CRM].[crm].[Pct%s]', N'U')");
    expect(script).toContain("RAISERROR(N'rowback: [CRM].[crm].[Pct%%s] has an enabled INSTEAD OF INSERT trigger, %s,");
    expect(script).toContain('(ALTER TABLE [CRM].[crm].[Pct%%s] DISABLE TRIGGER %s;');
  });

  it('its undo looks for an enabled INSTEAD OF DELETE trigger the same way and stops before deleting anything', () => {
    const undo = renderUndoScript(planReinsert([row(1, 'crm.Contacts')], contacts('Contacts'), []), { onlyLedgered: true });
    const lines = undo.split('\n');
    const at = lines.findIndex((l) => l.startsWith('DECLARE @rowback_trigger1 '));
    expect(lines[at]).toContain("JOIN sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 3 WHERE tr.parent_id = OBJECT_ID(N'[crm].[Contacts]', N'U')");
    expect(lines[at + 3]).toBe("    RAISERROR(N'rowback undo: [crm].[Contacts] has an enabled INSTEAD OF DELETE trigger, %s, which SQL Server runs in place of this script''s DELETE (it may leave the row there or delete others, while the script takes the row for deleted). Nothing was deleted. Disable it for the undo (ALTER TABLE [crm].[Contacts] DISABLE TRIGGER %s; ENABLE TRIGGER after) and run the script again', 16, 1, @rowback_trigger1, @rowback_trigger1);");
    expect(lines[at + 4]).toBe('    SET NOEXEC ON;');
    expect(at).toBeLessThan(lines.indexOf('BEGIN TRANSACTION;'));
    expect(undo.trimEnd().endsWith('SET NOEXEC OFF;')).toBe(true);
  });

  it("an undo planned against the target (its triggers read, none then) still looks where it runs: it is kept and run later, and a trigger made since runs in its DELETE's place", () => {
    const undo = renderUndoScript(planReinsert([row(1, 'crm.Contacts')], contacts('Contacts', { insert: [], delete: [] }), [], { database: 'CRM' }));
    const lines = undo.split('\n');
    const at = lines.findIndex((l) => l.startsWith('DECLARE @rowback_trigger1 '));
    expect(lines[at - 1]).toBe('-- INSTEAD OF DELETE triggers: looked for where the script runs (the catalog then, not at planning) on each of its tables, and the undo stops there, deleting nothing (such a trigger runs in place of the DELETE)');
    expect(lines[at]).toContain("FROM [CRM].sys.triggers AS tr JOIN [CRM].sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 3 WHERE tr.parent_id = OBJECT_ID(N'[CRM].[crm].[Contacts]', N'U') AND tr.is_instead_of_trigger = 1");
    expect(lines[at + 4]).toBe('    SET NOEXEC ON;');
    expect(at).toBeLessThan(lines.indexOf('BEGIN TRANSACTION;'));
    expect(undo.trimEnd().endsWith('SET NOEXEC OFF;')).toBe(true);
  });

  it('planned against the target (its triggers read, none then): still looks where it runs, since a dry run\'s script is run later, and a trigger made since runs in place of its INSERT', () => {
    const script = renderScript(planReinsert([row(1, 'crm.Contacts')], contacts('Contacts', { insert: [], delete: [] }), [], { database: 'CRM' }));
    const lines = script.split('\n');
    const at = lines.findIndex((l) => l.startsWith('DECLARE @rowback_trigger1 '));
    expect(lines[at]).toContain("FROM [CRM].sys.triggers AS tr JOIN [CRM].sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 1 WHERE tr.parent_id = OBJECT_ID(N'[CRM].[crm].[Contacts]', N'U') AND tr.is_instead_of_trigger = 1");
    expect(lines[at + 4]).toBe('    SET NOEXEC ON;');
    expect(at).toBeLessThan(lines.indexOf('BEGIN TRANSACTION;'));
    expect(script).toContain("DECLARE @rowback_after_insert1 nvarchar(300) = (SELECT TOP (1) QUOTENAME(tr.name) FROM [CRM].sys.triggers AS tr");
    expect(script.trimEnd().endsWith('SET NOEXEC OFF;')).toBe(true);
  });
});
