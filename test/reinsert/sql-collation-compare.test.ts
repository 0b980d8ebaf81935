/**
 * A char/varchar column of a SQL Server collation (SQL_Latin1_General_CP1_CI_AS, the default of an
 * English-US install) was compared with the row's value as sent, an nvarchar parameter:
 * `[Code] = @p1`. SQL Server then converts the column to nvarchar and compares by the Unicode rules,
 * which for a SQL Server collation are not the column's (Microsoft Learn, "Using SQL Server
 * Collations": "Sorts and comparisons might be different for Unicode and non-Unicode characters"):
 * the key's existence check, the undo by key and each unique key's check could find a row the
 * column's own index holds distinct (a conflict the server would not have had; an undo deleting a
 * second row), and the column, converted, cannot be sought in its index (a scan per check). Each is
 * now compared in the column's own type and collation. Windows collations and nvarchar columns are
 * left as they were. SYNTHETIC tables and values.
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

const SQL = 'SQL_Latin1_General_CP1_CI_AS';
const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'int' ? 4 : 40, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});

/** ref.Streets (Code varchar(40) SQL_ PRIMARY KEY, Name varchar(40) SQL_ UNIQUE, Region char(40) SQL_, Label nvarchar, Alias varchar(40) Latin1_General_CI_AS UNIQUE, WHERE Region = 'EU'). */
const streets = (): Map<string, TargetTable> => new Map([['ref.Streets', {
  schema: 'ref', name: 'Streets', keyColumns: ['Code'], keyIndex: { name: 'PK_Streets', primaryKey: true },
  columns: [
    column('Code', 'varchar', { nullable: false, collation: SQL, codePage: 1252 }),
    column('Name', 'varchar', { collation: SQL, codePage: 1252 }),
    column('Region', 'char', { collation: SQL, codePage: 1252 }),
    column('Label', 'nvarchar', { collation: SQL, maxLength: 80 }),
    column('Alias', 'varchar', { collation: 'Latin1_General_CI_AS', codePage: 1252 }),
  ],
  uniqueKeys: [
    { name: 'UQ_Streets_Name', columns: ['Name'], constraint: true },
    { name: 'UX_Streets_Label', columns: ['Label'] },
    { name: 'UX_Streets_Alias_EU', columns: ['Alias'], filter: "([Region]='EU')" },
  ],
}]]);

const row = (id: number, values: PlanInputRow['values']): PlanInputRow => ({ id, table: 'ref.Streets', lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values, operation: 'delete', fromLog: true });

describe('re-insert: a char/varchar column of a SQL Server collation is compared in its own type', () => {
  it('the key check, the undo by key, each unique key check and a filter on the row\'s values convert the value, not the column', () => {
    const plan = planReinsert([row(1, { Code: 'S1', Name: 'Straße', Region: 'EU', Label: 'x', Alias: 'strasse' })], streets(), []);
    expect(plan.problems).toEqual([]);
    const r = plan.batches[0]!.rows[0]!;
    const conv = (n: number, type = 'varchar') => `CONVERT(${type}(40), @p${n} COLLATE ${SQL})`;
    expect(r.existsSql).toMatch(new RegExp(`WHERE \\[Code\\] = ${conv(1).replace(/[()]/g, '\\$&')};$`));
    expect(r.undoSql).toBe(`DELETE FROM [ref].[Streets] WHERE [Code] = ${conv(1)};`);
    expect(r.script.exists).toBe(`SELECT TOP (1) * FROM [ref].[Streets] WITH (UPDLOCK, HOLDLOCK) WHERE [Code] = CONVERT(varchar(40), @r1_p1 COLLATE ${SQL});`);
    const checks = Object.fromEntries(r.uniqueChecks!.map((u) => [u.index, u.sql.replace(/^SELECT TOP \(1\) .*? FROM \[ref\]/, 'SELECT … FROM [ref]')]));
    expect(checks).toEqual({
      UQ_Streets_Name: `SELECT … FROM [ref].[Streets] WITH (UPDLOCK, HOLDLOCK) WHERE [Name] = ${conv(2)};`,
      // an nvarchar column and a Windows collation's varchar: as before
      UX_Streets_Label: 'SELECT … FROM [ref].[Streets] WITH (UPDLOCK, HOLDLOCK) WHERE [Label] = @p4;',
      UX_Streets_Alias_EU: `SELECT … FROM [ref].[Streets] WITH (UPDLOCK, HOLDLOCK) WHERE [Alias] = @p5 AND ([Region]='EU') AND EXISTS (SELECT 1 FROM (SELECT ${conv(3, 'char')} COLLATE ${SQL} AS [Region]) AS [rowback_row] WHERE ([Region]='EU'));`,
    });
    // the script as SQL Server reads it: the same conversions of the DECLAREd nvarchar variables
    const script = renderScript(plan);
    expect(script).toContain(`[Name] = CONVERT(varchar(40), @r1_p2 COLLATE ${SQL})`);
  });

  it('runs as before in the fake target: a conflict on the key found, the other row inserted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-sqlcoll-'));
    const t = new FakeTarget(join(dir, 'target.db'), streets(), [], []);
    try {
      t.seed('ref.Streets', ['S1'], { Code: 'S1', Name: 'Old', Region: 'EU', Label: 'o', Alias: 'o' });
      const plan = planReinsert([row(1, { Code: 'S1', Name: 'Straße' }), row(2, { Code: 'S2', Name: 'Strasse' })], streets(), []);
      const out = await runBatch(await t.session(), 1, 'k1', plan.batches[0]!, {});
      expect(out.inserted).toEqual([2]);
      expect(out.conflicts.map((c) => c.rowId)).toEqual([1]);
    } finally {
      t.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
