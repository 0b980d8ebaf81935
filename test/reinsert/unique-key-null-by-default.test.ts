/**
 * A unique key column the recovered row gives no value for (a side table's own column, a UNIQUE
 * column added after the delete) was "NOT CHECKED" (script head only): the row went to its INSERT.
 * When the column is nullable and has no default (the target's catalog says so), the INSERT leaves
 * it NULL, and a unique index takes NULL equal to NULL (Microsoft Learn, Create a unique index): a
 * row already holding NULL there, or a second recovered row, made the server refuse the INSERT
 * (Msg 2627) and roll back the whole batch on every resume. Its value is known, NULL, and is now
 * checked as such: a conflict naming the constraint, two such rows of one plan refused
 * (REINSERT_DUPLICATE_UNIQUE_KEY), a filter leaving NULLs out decided offline. A column whose default
 * is not known stays not checked. SYNTHETIC tables and values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import { runBatch } from '../../src/reinsert/execute.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable, UniqueKey } from '../../src/reinsert/target-table.js';
import { FakeTarget, type FakeUniqueIndex } from './fake-target.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'nvarchar' ? 100 : 4, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});
const contacts = (key: UniqueKey, hasDefault: boolean | undefined): Map<string, TargetTable> => new Map([['crm.Contacts', {
  schema: 'crm', name: 'Contacts', keyColumns: ['ContactId'], keyIndex: { name: 'PK_Contacts', primaryKey: true },
  columns: [column('ContactId', 'int', { nullable: false, hasDefault: false }), column('Email', 'nvarchar', { hasDefault: false }), column('ExternalRef', 'nvarchar', hasDefault === undefined ? {} : { hasDefault })],
  uniqueKeys: [key],
}]]);
const uq: UniqueKey = { name: 'UQ_Contacts_ExternalRef', columns: ['ExternalRef'], constraint: true };
const fakeUq: FakeUniqueIndex = { table: 'crm.Contacts', name: 'UQ_Contacts_ExternalRef', columns: ['ExternalRef'] };
const row = (id: number, email: string): PlanInputRow => ({ id, table: 'crm.Contacts', lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { ContactId: id, Email: email }, operation: 'delete', fromLog: true });

describe('re-insert: a unique key column the row leaves NULL (no value, no default) is checked as NULL', () => {
  let dir: string;
  let t: FakeTarget | undefined;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-nulldef-')); });
  afterEach(() => { t?.dispose(); t = undefined; rmSync(dir, { recursive: true, force: true }); });

  it('a row already holding NULL there: a conflict naming the constraint, not a failed batch', async () => {
    const tables = contacts(uq, false);
    t = new FakeTarget(join(dir, 'target.db'), tables, [], [fakeUq]);
    t.seed('crm.Contacts', [99], { ContactId: 99, Email: 'z@x.test', ExternalRef: null });
    const plan = planReinsert([row(1, 'a@x.test')], tables, []);
    expect(plan.problems).toEqual([]);
    const r = plan.batches[0]!.rows[0]!;
    expect(r.uniqueNotChecked).toBeUndefined();
    expect(r.uniqueChecks!.map((u) => u.script)).toEqual(['SELECT TOP (1) * FROM [crm].[Contacts] WITH (UPDLOCK, HOLDLOCK) WHERE [ExternalRef] IS NULL;']);
    const out = await runBatch(await t.session(), 1, 'k1', plan.batches[0]!, {});
    expect(out.inserted).toEqual([]);
    expect(out.conflicts.map((c) => [c.rowId, c.index])).toEqual([[1, 'UQ_Contacts_ExternalRef']]);
    expect(renderScript(plan)).not.toContain('NOT CHECKED');
  });

  it('two rows leaving it NULL: both refused by the plan, naming each other', () => {
    const plan = planReinsert([row(1, 'a@x.test'), row(2, 'b@x.test')], contacts(uq, false), []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_DUPLICATE_UNIQUE_KEY'], [2, 'REINSERT_DUPLICATE_UNIQUE_KEY']]);
    expect(plan.problems[0]!.message).toContain('ExternalRef = NULL (no value given, no default)');
  });

  it('filtered WHERE ExternalRef IS NOT NULL: the row is not in the index, nothing to check', () => {
    const plan = planReinsert([row(1, 'a@x.test'), row(2, 'b@x.test')], contacts({ ...uq, constraint: false, name: 'UX_Ref', filter: '([ExternalRef] IS NOT NULL)' }, false), []);
    expect(plan.problems).toEqual([]);
    expect(plan.batches[0]!.rows.map((r) => r.uniqueChecks)).toEqual([undefined, undefined]);
  });

  it('a default not known (planned without has_default) or present: not checked, said', () => {
    for (const hasDefault of [undefined, true]) {
      const plan = planReinsert([row(1, 'a@x.test')], contacts(uq, hasDefault), []);
      expect(plan.batches[0]!.rows[0]!.uniqueChecks).toBeUndefined();
      expect(plan.batches[0]!.rows[0]!.uniqueNotChecked!.map((n) => n.index)).toEqual(['UQ_Contacts_ExternalRef']);
    }
  });

  it('a filter naming a column the row leaves NULL: tested on the row as NULL (a typed NULL), not taken for a conflict', async () => {
    const eu: UniqueKey = { name: 'UX_Email_EU', columns: ['Email'], filter: "([ExternalRef]='EU')" };
    const tables = contacts(eu, false);
    t = new FakeTarget(join(dir, 'target.db'), tables, [], [{ table: 'crm.Contacts', name: 'UX_Email_EU', columns: ['Email'], filter: (v) => v.ExternalRef === 'EU' }]);
    t.seed('crm.Contacts', [99], { ContactId: 99, Email: 'a@x.test', ExternalRef: 'EU' });
    const plan = planReinsert([row(1, 'a@x.test')], tables, []);
    expect(plan.problems).toEqual([]);
    const u = plan.batches[0]!.rows[0]!.uniqueChecks![0]!;
    expect(u.filterNotOnRow).toBeUndefined();
    expect(u.script).toBe("SELECT TOP (1) * FROM [crm].[Contacts] WITH (UPDLOCK, HOLDLOCK) WHERE [Email] = @r1_p2 AND ([ExternalRef]='EU') AND EXISTS (SELECT 1 FROM (SELECT CONVERT(nvarchar(50), NULL) AS [ExternalRef]) AS [rowback_row] WHERE ([ExternalRef]='EU'));");
    const out = await runBatch(await t.session(), 1, 'k1', plan.batches[0]!, {});
    expect(out.conflicts).toEqual([]);
    expect(out.inserted).toEqual([1]);
    expect(renderScript(plan)).not.toContain('give no value for');
  });
});
