import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';

/**
 * SET ANSI_WARNINGS OFF (a session's setting, or the database's where the client sets none; Microsoft
 * Learn, SET ANSI_WARNINGS: "When OFF, data is truncated to the size of the column and the statement
 * succeeds") makes an INSERT of a value longer than its column cut the value without an error. A
 * script planned without the target's catalog (the SQL export, an offline dry run, a side table
 * through tableMap) cannot compare values with the target's widths, so it relied on the session's
 * setting. It now sets ANSI_WARNINGS ON before its first INSERT. SYNTHETIC table.
 */
describe('re-insert script: ANSI_WARNINGS', () => {
  it('is set ON before the first INSERT', () => {
    const t: TargetTable = { schema: 'dbo', name: 'Contacts', keyColumns: ['Id'], columns: [
      { name: 'Id', type: 'int', maxLength: 4, precision: 10, scale: 0, nullable: false, identity: false, computed: false },
      { name: 'Name', type: 'nvarchar', maxLength: 100, precision: 0, scale: 0, nullable: true, identity: false, computed: false },
    ] };
    const plan = planReinsert([{ id: 1, table: 'dbo.Contacts', lsn: '0000002a:000001f0:0003', values: { Id: 1, Name: 'Ann' } }], new Map([['dbo.Contacts', t]]), []);
    const script = renderScript(plan);
    const on = script.indexOf('\nSET ANSI_WARNINGS ON;\n');
    expect(on).toBeGreaterThan(0);
    expect(on).toBeLessThan(script.indexOf('INSERT INTO [dbo].[Contacts]'));
    expect(script).not.toMatch(/ANSI_WARNINGS OFF/);
  });
});
