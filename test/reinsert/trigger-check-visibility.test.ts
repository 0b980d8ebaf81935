/**
 * The scripts look, where they run, for triggers on their tables (INSTEAD OF INSERT in the re-insert
 * script, dry-run script and SQL export; AFTER INSERT notices; the undo's INSTEAD OF and AFTER
 * DELETE triggers and cascading foreign keys), each by `tr.parent_id = OBJECT_ID(N'<table>', N'U')`.
 * Catalog views and OBJECT_ID show only what the login owns or holds some permission on (Microsoft
 * Learn, "Metadata visibility configuration"): a login granted INSERT on the table with VIEW
 * DEFINITION denied on it or its schema inserts into it and sees nothing of it, OBJECT_ID is NULL,
 * no trigger row matches, and the check passed unsaid; the INSERT then ran an INSTEAD OF INSERT
 * trigger in its place while the row ledger recorded the row put back. Each script now checks first
 * that the login sees each of its tables (a table's triggers are seen with it: the same page,
 * "Visibility of subcomponent metadata") and stops before anything is written, naming the table.
 * Read as T-SQL here, not run (no SQL Server runs in this environment). SYNTHETIC tables and values.
 */
import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, renderUndoScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'int' ? 4 : 80, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});
const table = (name: string, triggers?: TargetTable['insteadOfTriggers']): [string, TargetTable] => [`crm.${name}`, {
  schema: 'crm', name, keyColumns: ['Id'], keyIndex: { name: `PK_${name}`, primaryKey: true },
  columns: [column('Id', 'int', { nullable: false }), column('Name', 'nvarchar')], uniqueKeys: [],
  ...(triggers ? { insteadOfTriggers: triggers } : {}),
}];
const row = (id: number, t: string): PlanInputRow => ({ id, table: t, lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { Id: id, Name: `n${id}` }, operation: 'delete', fromLog: true });

const seenInsert = (t: string) => `IF OBJECT_ID(N'${t}', N'U') IS NULL BEGIN RAISERROR(N'rowback: this login does not see ${t} in the catalog where the script runs (no such table, not a table, or no permission on it that shows its metadata: VIEW DEFINITION denied?), so the check for an INSTEAD OF INSERT trigger there, which SQL Server would run in place of the INSERT while the row ledger records the row put back, cannot see one. Nothing was inserted. Run the script in the database it was made for as a login that sees the table (a permission on it such as INSERT, VIEW DEFINITION not denied; db_owner)', 16, 1); RETURN; END`;

describe('the scripts\' trigger and key checks and what the login may see', () => {
  for (const [how, read] of [['planned without the target', false], ['planned against the target (its triggers read, none then)', true]] as const) {
    it(`re-insert script, ${how}: stops before the first write where the login does not see a table, naming it, before its trigger checks`, () => {
      const triggers = read ? { insert: [], delete: [] } : undefined;
      const plan = planReinsert([row(1, 'crm.Customers'), row(2, 'crm.Orders')], new Map([table('Customers', triggers), table('Orders', triggers)]), []);
      const script = renderScript(plan);
      const lines = script.split('\n');
      const first = lines.indexOf(seenInsert('[crm].[Customers]'));
      const second = lines.indexOf(seenInsert('[crm].[Orders]'));
      expect(first).toBeGreaterThan(0);
      expect(second).toBe(first + 1);
      expect(lines[first - 1]).toBe("-- tables seen: each of the script's tables looked for in the catalog where it runs, and the script stops there, inserting nothing, if the login does not see one (its triggers are hidden from the checks below with it)");
      // before every trigger check (which would find none on a table it does not see), the row
      // ledger's creation and the first transaction
      for (const [i, l] of lines.entries()) if (/^DECLARE @rowback_(trigger|after_insert)\d/.test(l)) expect(i).toBeGreaterThan(second);
      expect(second).toBeLessThan(lines.findIndex((l) => l.startsWith('CREATE TABLE')));
      expect(second).toBeLessThan(lines.indexOf('BEGIN TRANSACTION;'));
      expect(script.match(/RETURN; END/g)).toHaveLength(2);
    });
  }

  it('re-insert script: before the IDENTITY_INSERT OFF of an identity table too (Msg 1088 there, on a table the login does not see, said less)', () => {
    const [k, t] = table('Customers');
    const identity: TargetTable = { ...t, columns: t.columns.map((c) => c.name === 'Id' ? { ...c, identity: true } : c) };
    const script = renderScript(planReinsert([row(1, 'crm.Customers')], new Map([[k, identity]]), []));
    const lines = script.split('\n');
    const off = lines.indexOf('SET IDENTITY_INSERT [crm].[Customers] OFF;');
    expect(off).toBeGreaterThan(0);
    expect(lines.indexOf(seenInsert('[crm].[Customers]'))).toBeGreaterThan(0);
    expect(lines.indexOf(seenInsert('[crm].[Customers]'))).toBeLessThan(off);
  });

  it('a script naming its database asks of that database\'s table; a % in a name is no RAISERROR format', () => {
    const script = renderScript(planReinsert([row(1, 'crm.Pct%s')], new Map([table('Pct%s')]), [], { database: 'CRM' }));
    expect(script).toContain("IF OBJECT_ID(N'[CRM].[crm].[Pct%s]', N'U') IS NULL BEGIN RAISERROR(N'rowback: this login does not see [CRM].[crm].[Pct%%s] in the catalog where the script runs");
  });

  it('undo: stops before deleting anything where the login does not see a table, before its trigger and foreign key checks (VIEW DEFINITION on the database does not show a table denied to it)', () => {
    const plan = planReinsert([row(1, 'crm.Customers'), row(2, 'crm.Orders')], new Map([table('Customers'), table('Orders')]), []);
    for (const undo of [renderUndoScript(plan), renderUndoScript(plan, { onlyLedgered: true })]) {
      const lines = undo.split('\n');
      const at = lines.findIndex((l) => l.startsWith("IF OBJECT_ID(N'[crm].[Customers]', N'U') IS NULL BEGIN"));
      expect(lines[at]).toBe("IF OBJECT_ID(N'[crm].[Customers]', N'U') IS NULL BEGIN RAISERROR(N'rowback undo: this login does not see [crm].[Customers] in the catalog where the script runs (no such table, not a table, or no permission on it that shows its metadata: VIEW DEFINITION denied?), so the checks for an INSTEAD OF or AFTER DELETE trigger and a cascading foreign key there cannot see one. Nothing was deleted. Run the script in the database the rows were put back into as a login that sees the table (a permission on it such as DELETE, VIEW DEFINITION not denied; db_owner)', 16, 1); RETURN; END");
      expect(lines[at + 1]).toMatch(/^IF OBJECT_ID\(N'\[crm\]\.\[Orders\]', N'U'\) IS NULL BEGIN RAISERROR\(N'rowback undo: this login does not see \[crm\]\.\[Orders\]/);
      for (const [i, l] of lines.entries()) if (/^(DECLARE @rowback_|IF ISNULL\(HAS_PERMS_BY_NAME)/.test(l)) expect(i).toBeGreaterThan(at + 1);
      expect(at).toBeLessThan(lines.indexOf('BEGIN TRANSACTION;'));
    }
  });
});
