/**
 * A key-less table (a heap: no primary key, no unique clustered index) with a UNIQUE constraint or
 * unique index: each recovered row is looked for by that index before its INSERT (uniqueChecks), so
 * a row still in the table is a conflict there. The script's head said of every such row "WARNING:
 * N row(s) of dbo.Log have no key to look for …: they are inserted with no conflict check, so a row
 * still in the table is inserted again; check the target before running", which the script below it
 * disproves (its `ELSE IF EXISTS (… WHERE [Id] = @r1_p1) PRINT N'… UNIQUE constraint [UQ_Log_Id] …'`):
 * a DBA told to check the whole target by hand for what the script checks itself. The head now says
 * which unique key each such table's rows are looked for by; the WARNING stays for rows checked by
 * none. SYNTHETIC tables and values; the run is the fake target's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import { runBatch } from '../../src/reinsert/execute.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';
import { FakeTarget } from './fake-target.js';

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'int' ? 4 : 80, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});

/** dbo.Log (Id int NOT NULL UNIQUE, Msg nvarchar(40)), a heap; dbo.Raw (Id int, Msg nvarchar(40)), a heap with no unique key. */
const tables = (): Map<string, TargetTable> => new Map([
  ['dbo.Log', { schema: 'dbo', name: 'Log', keyColumns: [], columns: [column('Id', 'int', { nullable: false }), column('Msg', 'nvarchar')], uniqueKeys: [{ name: 'UQ_Log_Id', columns: ['Id'], constraint: true }] }],
  ['dbo.Raw', { schema: 'dbo', name: 'Raw', keyColumns: [], columns: [column('Id', 'int'), column('Msg', 'nvarchar')], uniqueKeys: [] }],
]);
const row = (id: number, table: string, values: PlanInputRow['values']): PlanInputRow => ({ id, table, lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values, operation: 'delete', fromLog: true });

describe('re-insert script head: a key-less table with a unique key', () => {
  it('names the unique key its rows are looked for by, not "inserted with no conflict check"; a table with none keeps the WARNING', async () => {
    const plan = planReinsert([row(1, 'dbo.Log', { Id: 1, Msg: 'a' }), row(2, 'dbo.Log', { Id: 2, Msg: 'b' }), row(3, 'dbo.Raw', { Id: 3, Msg: 'c' })], tables(), []);
    expect(plan.problems).toEqual([]);
    const head = renderScript(plan).split('\n').filter((l) => l.startsWith('-- '));
    expect(head.filter((l) => l.includes('dbo.Log') && /no key to look for|no conflict check|is inserted again/.test(l))).toEqual([]);
    expect(head).toContain('-- NOTE: 2 row(s) of dbo.Log have no key (no primary key or clustered index key in the table metadata, or a key column NULL): each is looked for by UNIQUE constraint [UQ_Log_Id] (Id) instead, so a row still in the table is a conflict there, not inserted again');
    expect(head.filter((l) => l.includes('dbo.Raw'))).toContain('-- WARNING: 1 row(s) of dbo.Raw have no key to look for (no primary key or clustered index key in the table metadata, or a key column NULL): they are inserted with no conflict check, so a row still in the table is inserted again; check the target before running');

    // what the NOTE says, run: the row still in dbo.Log is a conflict on UQ_Log_Id, the other goes in
    const dir = mkdtempSync(join(tmpdir(), 'rowback-unkeyed-'));
    const t = new FakeTarget(join(dir, 'target.db'), tables(), [], [{ table: 'dbo.Log', name: 'UQ_Log_Id', columns: ['Id'] }]);
    try {
      t.seed('dbo.Log', [], { Id: 1, Msg: 'a' });
      const log = plan.batches.find((b) => b.table === 'dbo.Log')!;
      const out = await runBatch(await t.session(), 1, 'k1', log, {});
      expect(out.inserted).toEqual([2]);
      expect(out.conflicts.map((c) => [c.rowId, c.index])).toEqual([[1, 'UQ_Log_Id']]);
    } finally {
      t.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
