/**
 * A recovered row was checked for a conflict on its table's key only. A row whose value in another
 * unique index or UNIQUE constraint another row now holds (a CRM contact re-created with the same
 * e-mail after the delete) went to its INSERT, which SQL Server refused (Msg 2601 / 2627), rolling
 * back the row's whole batch on every resume, the dry run naming nothing; under IGNORE_DUP_KEY ON
 * the server dropped the row with a warning only, and rowback recorded it inserted. Each unique key
 * is now looked for before the INSERT: a conflict naming the index, the batch's other rows going in.
 * The fake target enforces unique indexes as SQL Server does (fake-target.ts FakeUniqueIndex).
 * SYNTHETIC tables and values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import { runBatch, sharesKey } from '../../src/reinsert/execute.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable, UniqueKey } from '../../src/reinsert/target-table.js';
import { FakeTarget, type FakeUniqueIndex } from './fake-target.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'nvarchar' ? 400 : type === 'varchar' ? 20 : 4, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});

/** crm.Contacts (ContactId int PRIMARY KEY, Email nvarchar(200) NULL, Active bit NOT NULL, Code varchar(20) NULL, Domain AS … computed) with `uniqueKeys`. */
const contacts = (uniqueKeys: UniqueKey[] | undefined): Map<string, TargetTable> => new Map([['crm.Contacts', {
  schema: 'crm', name: 'Contacts', keyColumns: ['ContactId'], keyIndex: { name: 'PK_Contacts', primaryKey: true },
  columns: [column('ContactId', 'int', { nullable: false }), column('Email', 'nvarchar'), column('Active', 'bit', { nullable: false }), column('Code', 'varchar'), column('Domain', 'nvarchar', { computed: true })],
  ...(uniqueKeys ? { uniqueKeys } : {}),
}]]);

const active = (v: Record<string, unknown>): boolean => v.Active === true || v.Active === 1;
const row = (id: number, values: PlanInputRow['values']): PlanInputRow => ({ id, table: 'crm.Contacts', lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values, operation: 'delete', fromLog: true });

describe('re-insert: unique indexes other than the key', () => {
  let dir: string;
  const targets: FakeTarget[] = [];
  const target = (indexes: FakeUniqueIndex[], tables: Map<string, TargetTable>): FakeTarget => {
    const t = new FakeTarget(join(dir, `target${targets.length}.db`), tables, [], indexes);
    targets.push(t);
    return t;
  };
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-unique-')); });
  afterEach(() => { for (const t of targets.splice(0)) t.dispose(); rmSync(dir, { recursive: true, force: true }); });

  const emailIndex: UniqueKey = { name: 'UX_Contacts_Email', columns: ['Email'] };
  const fakeEmail: FakeUniqueIndex = { table: 'crm.Contacts', name: 'UX_Contacts_Email', columns: ['Email'] };

  it('a row whose e-mail another contact holds now is a conflict naming the index and that row; the batch\'s other rows go in', async () => {
    const tables = contacts([emailIndex]);
    const t = target([fakeEmail], tables);
    t.seed('crm.Contacts', [99], { ContactId: 99, Email: 'ann@example.test', Active: 1, Code: null });
    const plan = planReinsert([row(1, { ContactId: 1, Email: 'ANN@example.test ', Active: true }), row(2, { ContactId: 2, Email: 'bob@example.test', Active: true })], tables, []);
    expect(plan.problems).toEqual([]);
    const outcome = await runBatch(await t.session(), 1, 'k1', plan.batches[0]!, {});
    expect(outcome.inserted).toEqual([2]);
    expect(outcome.conflicts).toEqual([{ rowId: 1, existing: { ContactId: 99, Email: 'ann@example.test', Active: 1, Code: null }, index: 'UX_Contacts_Email', indexColumns: ['Email'] }]);
    expect(t.counts()).toEqual({ rows: 1, distinctRows: 1, duplicates: 0 });
    // the run's statement: the existing row's columns, locked, by the index's key
    expect(plan.batches[0]!.rows[0]!.uniqueChecks!.map((u) => u.sql.replace(/^SELECT TOP \(1\) .* FROM /, 'SELECT … FROM '))).toEqual(['SELECT … FROM [crm].[Contacts] WITH (UPDLOCK, HOLDLOCK) WHERE [Email] = @p2;']);
  });

  // rows -> which of them go in, by how SQL Server's unique indexes take NULLs and filters
  const table: { name: string; key: UniqueKey; fake: FakeUniqueIndex; existing: Record<string, unknown>; recovered: PlanInputRow['values']; conflict: boolean }[] = [
    { name: 'NULL equals NULL in an unfiltered index', key: { name: 'UX_Code', columns: ['Code'] }, fake: { table: 'crm.Contacts', name: 'UX_Code', columns: ['Code'] }, existing: { ContactId: 99, Code: null, Active: 1 }, recovered: { ContactId: 1, Code: null, Active: true }, conflict: true },
    { name: 'a NULL and a value differ', key: { name: 'UX_Code', columns: ['Code'] }, fake: { table: 'crm.Contacts', name: 'UX_Code', columns: ['Code'] }, existing: { ContactId: 99, Code: null, Active: 1 }, recovered: { ContactId: 1, Code: 'A1', Active: true }, conflict: false },
    { name: 'WHERE Email IS NOT NULL leaves NULLs out', key: { name: 'UX_Email_NN', columns: ['Email'], filter: '([Email] IS NOT NULL)' }, fake: { table: 'crm.Contacts', name: 'UX_Email_NN', columns: ['Email'], filter: (v) => v.Email !== null && v.Email !== undefined }, existing: { ContactId: 99, Email: null, Active: 1 }, recovered: { ContactId: 1, Email: null, Active: true }, conflict: false },
    { name: 'filtered: both rows in the index', key: { name: 'UX_Email_Active', columns: ['Email'], filter: '([Active]=(1))' }, fake: { table: 'crm.Contacts', name: 'UX_Email_Active', columns: ['Email'], filter: active }, existing: { ContactId: 99, Email: 'c@x.test', Active: 1 }, recovered: { ContactId: 1, Email: 'c@x.test', Active: true }, conflict: true },
    { name: 'filtered: the existing row is not in the index', key: { name: 'UX_Email_Active', columns: ['Email'], filter: '([Active]=(1))' }, fake: { table: 'crm.Contacts', name: 'UX_Email_Active', columns: ['Email'], filter: active }, existing: { ContactId: 99, Email: 'c@x.test', Active: 0 }, recovered: { ContactId: 1, Email: 'c@x.test', Active: true }, conflict: false },
    { name: 'filtered: the recovered row is not in the index', key: { name: 'UX_Email_Active', columns: ['Email'], filter: '([Active]=(1))' }, fake: { table: 'crm.Contacts', name: 'UX_Email_Active', columns: ['Email'], filter: active }, existing: { ContactId: 99, Email: 'c@x.test', Active: 1 }, recovered: { ContactId: 1, Email: 'c@x.test', Active: false }, conflict: false },
    { name: 'IGNORE_DUP_KEY ON: the server would drop the row unsaid', key: { name: 'UX_Email_Ign', columns: ['Email'], ignoreDupKey: true }, fake: { table: 'crm.Contacts', name: 'UX_Email_Ign', columns: ['Email'], ignoreDupKey: true }, existing: { ContactId: 99, Email: 'd@x.test', Active: 1 }, recovered: { ContactId: 1, Email: 'd@x.test', Active: true }, conflict: true },
    { name: 'a UNIQUE constraint of two columns', key: { name: 'UQ_Code_Email', columns: ['Code', 'Email'], constraint: true }, fake: { table: 'crm.Contacts', name: 'UQ_Code_Email', columns: ['Code', 'Email'] }, existing: { ContactId: 99, Code: 'A1', Email: null, Active: 1 }, recovered: { ContactId: 1, Code: 'A1', Email: null, Active: true }, conflict: true },
  ];
  for (const c of table) {
    it(`${c.name}: ${c.conflict ? 'a conflict' : 'inserted'}, and so into the fake target`, async () => {
      const tables = contacts([c.key]);
      const t = target([c.fake], tables);
      t.seed('crm.Contacts', [99], c.existing);
      const plan = planReinsert([row(1, c.recovered), row(2, { ContactId: 2, Email: 'other@x.test', Code: 'Z9', Active: true })], tables, []);
      expect(plan.problems).toEqual([]);
      const outcome = await runBatch(await t.session(), 1, 'k', plan.batches[0]!, {});
      expect(outcome.conflicts.map((x) => [x.rowId, x.index])).toEqual(c.conflict ? [[1, c.key.name]] : []);
      expect(outcome.inserted).toEqual(c.conflict ? [2] : [1, 2]);
      // nothing dropped unsaid: every row recorded inserted is in the target
      expect(t.warnings).toEqual([]);
      expect(t.counts().rows).toBe(outcome.inserted.length);
    });
  }

  it('a filter naming a column the row gives no value for: checked against existing rows only, and said in the script', async () => {
    const key: UniqueKey = { name: 'UX_Email_Active', columns: ['Email'], filter: '([Active]=(1))' };
    const tables = contacts([key]);
    const t = target([{ table: 'crm.Contacts', name: 'UX_Email_Active', columns: ['Email'], filter: active }], tables);
    t.seed('crm.Contacts', [99], { ContactId: 99, Email: 'e@x.test', Active: 1 });
    const plan = planReinsert([row(1, { ContactId: 1, Email: 'e@x.test' })], tables, []);
    const check = plan.batches[0]!.rows[0]!.uniqueChecks![0]!;
    expect(check.filterNotOnRow).toEqual(['Active']);
    expect(check.sql).not.toContain('EXISTS');
    expect(check.sql).toMatch(/WHERE \[Email\] = @p2 AND \(\[Active\]=\(1\)\);$/);
    const outcome = await runBatch(await t.session(), 1, 'k', plan.batches[0]!, {});
    expect(outcome.conflicts.map((x) => x.index)).toEqual(['UX_Email_Active']);
    expect(renderScript(plan)).toContain("-- NOTE: crm.Contacts's filtered unique index [UX_Email_Active] names Active in its filter, which 1 row(s) give no value for");
  });

  it('a row a filter decided here leaves out of the index is not looked for there (no query, no row-by-row load)', () => {
    const tables = contacts([{ name: 'UX_Email_NN', columns: ['Email'], filter: '([Email] IS NOT NULL)' }]);
    const plan = planReinsert([row(1, { ContactId: 1, Email: null, Active: true }), row(2, { ContactId: 2, Email: null, Active: true }), row(3, { ContactId: 3, Email: 'w@x.test', Active: true })], tables, []);
    expect(plan.batches[0]!.rows.map((r) => (r.uniqueChecks ?? []).map((u) => u.index))).toEqual([[], [], ['UX_Email_NN']]);
    expect(sharesKey(plan.batches[0]!.rows)).toBe(false);
  });

  it('the filter is evaluated on the row\'s own values inside EXISTS, verbatim, in the run and in the script', () => {
    const tables = contacts([{ name: 'UX_Email_Active', columns: ['Email'], filter: '([Active]=(1))' }]);
    const plan = planReinsert([row(7, { ContactId: 7, Email: 'f@x.test', Active: true })], tables, []);
    const check = plan.batches[0]!.rows[0]!.uniqueChecks![0]!;
    expect(check.sql.slice(check.sql.indexOf(' WHERE '))).toBe(' WHERE [Email] = @p2 AND ([Active]=(1)) AND EXISTS (SELECT 1 FROM (SELECT @p3 AS [Active]) AS [rowback_row] WHERE ([Active]=(1)));');
    expect(check.script).toBe('SELECT TOP (1) * FROM [crm].[Contacts] WITH (UPDLOCK, HOLDLOCK) WHERE [Email] = @r7_p2 AND ([Active]=(1)) AND EXISTS (SELECT 1 FROM (SELECT @r7_p3 AS [Active]) AS [rowback_row] WHERE ([Active]=(1)));');
  });

  it('a text column the filter names keeps its own collation in the derived table (a parameter\'s would be the database default)', () => {
    const tables = contacts([{ name: 'UX_Email_EU', columns: ['Email'], filter: "([Code]='EU')" }]);
    const t = tables.get('crm.Contacts')!;
    t.columns = t.columns.map((c) => (c.name === 'Code' ? { ...c, collation: 'Latin1_General_CS_AS' } : c));
    const plan = planReinsert([row(8, { ContactId: 8, Email: 'x@x.test', Code: 'eu', Active: true })], tables, []);
    expect(plan.batches[0]!.rows[0]!.uniqueChecks![0]!.script).toContain("EXISTS (SELECT 1 FROM (SELECT @r8_p4 COLLATE Latin1_General_CS_AS AS [Code]) AS [rowback_row] WHERE ([Code]='EU'))");
  });

  it('IGNORE_DUP_KEY: the old check let the server drop the row and recorded it inserted; now a conflict', async () => {
    const tables = contacts([{ name: 'UX_Email_Ign', columns: ['Email'], ignoreDupKey: true }]);
    const t = target([{ table: 'crm.Contacts', name: 'UX_Email_Ign', columns: ['Email'], ignoreDupKey: true }], tables);
    t.seed('crm.Contacts', [99], { ContactId: 99, Email: 'g@x.test', Active: 1 });
    const plan = planReinsert([row(1, { ContactId: 1, Email: 'g@x.test', Active: true })], tables, []);
    const outcome = await runBatch(await t.session(), 1, 'k', plan.batches[0]!, {});
    expect(outcome).toMatchObject({ inserted: [], conflicts: [{ rowId: 1, index: 'UX_Email_Ign' }] });
    expect(t.warnings).toEqual([]);
  });

  it('a key with a computed column, or one the row gives no value for, is not checked: said once per table; under IGNORE_DUP_KEY the row is refused', () => {
    const tables = contacts([{ name: 'UX_Domain', columns: ['Domain'] }, { name: 'UX_Code', columns: ['Code'] }]);
    const plan = planReinsert([row(1, { ContactId: 1, Email: 'h@x.test', Active: true }), row(2, { ContactId: 2, Email: 'i@x.test', Active: true })], tables, []);
    expect(plan.problems).toEqual([]);
    expect(plan.batches[0]!.rows[0]!.uniqueNotChecked!.map((n) => n.index)).toEqual(['UX_Domain', 'UX_Code']);
    const head = renderScript(plan).split('\n').filter((l) => l.includes('NOT CHECKED'));
    expect(head).toEqual([
      '-- WARNING: 2 row(s) of crm.Contacts are NOT CHECKED against its unique index or constraint [UX_Domain]: its key includes the computed column Domain, whose value the server computes: it cannot be looked for from the row; if another row holds the same value there, the INSERT fails its whole batch (Msg 2601 / 2627)',
      '-- WARNING: 2 row(s) of crm.Contacts are NOT CHECKED against its unique index or constraint [UX_Code]: the row gives no value for its key column Code (the target\'s default or the server puts one there, not known here); if another row holds the same value there, the INSERT fails its whole batch (Msg 2601 / 2627)',
    ]);
    const ign = planReinsert([row(1, { ContactId: 1, Email: 'h@x.test', Active: true })], contacts([{ name: 'UX_Domain', columns: ['Domain'], ignoreDupKey: true }]), []);
    expect(ign.batches).toEqual([]);
    expect(ign.problems.map((p) => p.code)).toEqual(['REINSERT_UNIQUE_KEY_UNCHECKED']);
    expect(ign.problems[0]!.message).toContain('IGNORE_DUP_KEY is ON for it');
  });

  it('unique indexes not read (planned without the target\'s catalog): the script says so', () => {
    const script = renderScript(planReinsert([row(1, { ContactId: 1, Email: 'j@x.test', Active: true })], contacts(undefined), []));
    expect(script).toContain('-- unique indexes: not read for crm.Contacts (planned without the target\'s catalog)');
    const read = renderScript(planReinsert([row(1, { ContactId: 1, Email: 'j@x.test', Active: true })], contacts([]), []));
    expect(read).not.toContain('unique indexes: not read');
  });

  it('a unique clustered conflict key holding NULL is looked for as a unique key (NULL equal), no longer "no key to look for"', async () => {
    const tables = new Map([['crm.Codes', { schema: 'crm', name: 'Codes', keyColumns: ['Code'], keyIndex: { name: 'CX_Codes', ignoreDupKey: true }, uniqueKeys: [], columns: [column('Code', 'varchar'), column('Label', 'nvarchar')] } satisfies TargetTable]]);
    const t = target([{ table: 'crm.Codes', name: 'CX_Codes', columns: ['Code'], ignoreDupKey: true }], tables);
    t.seed('crm.Codes', [null], { Code: null, Label: 'there' });
    const plan = planReinsert([{ id: 1, table: 'crm.Codes', lsn: '0000002a:00000100:0001', values: { Code: null, Label: 'back' }, operation: 'delete' }], tables, []);
    const r = plan.batches[0]!.rows[0]!;
    expect(r.existsSql).toBeNull();
    expect(r.uniqueChecks!.map((u) => [u.index, u.conflictKey, u.script])).toEqual([['CX_Codes', true, 'SELECT TOP (1) * FROM [crm].[Codes] WITH (UPDLOCK, HOLDLOCK) WHERE [Code] IS NULL;']]);
    expect(renderScript(plan)).not.toContain('have no key to look for');
    const outcome = await runBatch(await t.session(), 1, 'k', plan.batches[0]!, {});
    expect(outcome.conflicts.map((c) => c.index)).toEqual(['CX_Codes']);
    expect(t.warnings).toEqual([]);
  });

  it('the script looks for each unique key after the key, each PRINT naming it; names quoted, values declared', () => {
    const tables = contacts([{ name: "UX_E]mail'; --", columns: ['Email'] }]);
    const script = renderScript(planReinsert([row(3, { ContactId: 3, Email: "o'neil@x.test", Active: true })], tables, []));
    const lines = script.split('\n');
    const at = lines.findIndex((l) => l.startsWith('IF EXISTS (SELECT 1 FROM [dbo].[rowback_reinsert_ledger_rows]'));
    expect(lines.slice(at, at + 8)).toEqual([
      "IF EXISTS (SELECT 1 FROM [dbo].[rowback_reinsert_ledger_rows] WITH (UPDLOCK, HOLDLOCK) WHERE row_key = N'crm.contacts|0000002a:00000100:0003')",
      "    PRINT N'row 3: already put back into crm.Contacts (the row ledger holds its delete, LSN 0000002a:00000100:0003): not inserted again';",
      'ELSE IF EXISTS (SELECT TOP (1) * FROM [crm].[Contacts] WITH (UPDLOCK, HOLDLOCK) WHERE [ContactId] = @r3_p1)',
      "    PRINT N'row 3: key already exists: conflict, not inserted';",
      'ELSE IF EXISTS (SELECT TOP (1) * FROM [crm].[Contacts] WITH (UPDLOCK, HOLDLOCK) WHERE [Email] = @r3_p2)',
      "    PRINT N'row 3: crm.Contacts''s unique index [UX_E]]mail''; --] (Email) already holds its value in another row: conflict, not inserted';",
      'ELSE',
      'BEGIN',
    ]);
    // the value is declared once, never written into the check
    expect(script).not.toContain("WHERE [Email] = N'o");
    expect(script.match(/DECLARE @r3_p1 /g)).toHaveLength(1);
  });

  it('within the plan: two deleted rows of one e-mail are both named (NULLs equal; a filter that holds decided here; one it cannot decide left to the run)', async () => {
    const tables = contacts([emailIndex, { name: 'UX_Code', columns: ['Code'] }]);
    const plan = planReinsert([
      row(1, { ContactId: 1, Email: 'k@x.test', Code: 'A', Active: true }),
      row(2, { ContactId: 2, Email: 'K@x.test ', Code: 'B', Active: true }),
      row(3, { ContactId: 3, Email: 'l@x.test', Code: null, Active: true }),
      row(4, { ContactId: 4, Email: 'm@x.test', Code: null, Active: true }),
      row(5, { ContactId: 5, Email: 'n@x.test', Code: 'C', Active: true }),
    ], tables, []);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([5]);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_DUPLICATE_UNIQUE_KEY'], [2, 'REINSERT_DUPLICATE_UNIQUE_KEY'], [3, 'REINSERT_DUPLICATE_UNIQUE_KEY'], [4, 'REINSERT_DUPLICATE_UNIQUE_KEY']]);
    expect(plan.problems[0]!.message).toContain("crm.Contacts's unique index [UX_Contacts_Email] (Email) (Email = N'k@x.test') as approved row(s) 2 (LSN 0000002a:00000100:0002)");

    // filtered: WHERE Email IS NOT NULL holds for neither NULL (both go back); WHERE Active = 1 holds for both (named)
    const nn = planReinsert([row(1, { ContactId: 1, Email: null, Active: true }), row(2, { ContactId: 2, Email: null, Active: true })], contacts([{ name: 'UX_NN', columns: ['Email'], filter: '([Email] IS NOT NULL)' }]), []);
    expect(nn.problems).toEqual([]);
    const act = planReinsert([row(1, { ContactId: 1, Email: 'p@x.test', Active: true }), row(2, { ContactId: 2, Email: 'p@x.test', Active: true }), row(3, { ContactId: 3, Email: 'p@x.test', Active: false })], contacts([{ name: 'UX_A', columns: ['Email'], filter: '([Active]=(1))' }]), []);
    expect(act.problems.map((p) => p.rowId)).toEqual([1, 2]);
    expect(act.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([3]);

    // a filter not decided here (a text comparison): both planned, the run makes the second a conflict
    const key: UniqueKey = { name: 'UX_EU', columns: ['Email'], filter: "([Code]='EU')" };
    const eu = contacts([key]);
    const undecided = planReinsert([row(1, { ContactId: 1, Email: 'q@x.test', Code: 'EU', Active: true }), row(2, { ContactId: 2, Email: 'q@x.test', Code: 'EU', Active: true })], eu, []);
    expect(undecided.problems).toEqual([]);
    expect(sharesKey(undecided.batches[0]!.rows)).toBe(true);
    const t = target([{ table: 'crm.Contacts', name: 'UX_EU', columns: ['Email'], filter: (v) => v.Code === 'EU' }], eu);
    const outcome = await runBatch(await t.session(), 1, 'k', undecided.batches[0]!, {});
    expect(outcome.inserted).toEqual([1]);
    expect(outcome.conflicts.map((c) => [c.rowId, c.index])).toEqual([[2, 'UX_EU']]);
  });

  it('a large group of one value (NULLs of one column) names 10 others and how many more in each problem, not the whole group', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row(i + 1, { ContactId: i + 1, Email: `z${i}@x.test`, Code: null, Active: true }));
    const t0 = performance.now();
    const plan = planReinsert(rows, contacts([{ name: 'UX_Code', columns: ['Code'] }]), []);
    const ms = performance.now() - t0;
    expect(plan.problems).toHaveLength(2000);
    expect(plan.problems[0]!.message).toContain('as approved row(s) 2 (LSN 0000002a:00000100:0002), ');
    expect(plan.problems[0]!.message).toContain(' and 1989 more: only one of them can go back');
    expect(Math.max(...plan.problems.map((p) => p.message.length))).toBeLessThan(1000);
    expect(ms).toBeLessThan(20_000);
  });

  it('the bulk path checks every row first and goes row by row when two rows share a unique value', async () => {
    const tables = contacts([emailIndex]);
    const t = target([fakeEmail], tables);
    t.seed('crm.Contacts', [99], { ContactId: 99, Email: 'r@x.test', Active: 1 });
    const s = await t.session();
    let bulked = 0;
    const withBulk = { ...s, bulkInsert: async (_b: unknown, rows: Parameters<typeof s.insert>[0][]) => { bulked++; for (const r of rows) await s.insert(r); } };
    const plan = planReinsert([row(1, { ContactId: 1, Email: 'r@x.test', Active: true }), row(2, { ContactId: 2, Email: 's@x.test', Active: true }), row(3, { ContactId: 3, Email: 'u@x.test', Active: true })], tables, []);
    const out = await runBatch(withBulk, 1, 'k1', plan.batches[0]!, { bulkThreshold: 2 });
    expect(bulked).toBe(1);
    expect(out.inserted).toEqual([2, 3]);
    expect(out.conflicts.map((c) => [c.rowId, c.index])).toEqual([[1, 'UX_Contacts_Email']]);
    // two rows of one value in a batch (a filter the plan cannot decide): row by row, the second a conflict
    const eu = contacts([{ name: 'UX_EU', columns: ['Email'], filter: "([Code]='EU')" }]);
    const t2 = target([{ table: 'crm.Contacts', name: 'UX_EU', columns: ['Email'], filter: (v) => v.Code === 'EU' }], eu);
    const s2 = await t2.session();
    const plan2 = planReinsert([row(4, { ContactId: 4, Email: 'v@x.test', Code: 'EU', Active: true }), row(5, { ContactId: 5, Email: 'v@x.test', Code: 'EU', Active: true })], eu, []);
    const out2 = await runBatch({ ...s2, bulkInsert: async () => { bulked++; } }, 1, 'k2', plan2.batches[0]!, { bulkThreshold: 2 });
    expect(bulked).toBe(1);
    expect(out2.inserted).toEqual([4]);
    expect(out2.conflicts.map((c) => c.rowId)).toEqual([5]);
  });
});
