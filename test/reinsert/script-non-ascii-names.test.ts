import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';

/**
 * Values in a re-insert script are ASCII (CONVERT(nvarchar(max), 0x…)), and docs/service.md said
 * "Scripts are ASCII"; but a table or column name beyond ASCII cannot be written so: [dbo].[Kündigung]
 * and [Straße] were written as UTF-8 with no word, and sqlcmd without -f 65001 (code page 1252) reads
 * [KÃ¼ndigung] (Msg 208) and another row-ledger key. The script and undo heads now warn, naming them
 * and how to run the file. SYNTHETIC table.
 */
describe('re-insert script: names beyond ASCII', () => {
  const t: TargetTable = { schema: 'dbo', name: 'Kündigung', keyColumns: ['Id'], columns: [
    { name: 'Id', type: 'int', maxLength: 4, precision: 10, scale: 0, nullable: false, identity: false, computed: false },
    { name: 'Straße', type: 'nvarchar', maxLength: 100, precision: 0, scale: 0, nullable: true, identity: false, computed: false },
  ] };
  const plan = planReinsert([{ id: 1, table: 'dbo.Kündigung', lsn: '0000002a:000001f0:0003', values: { Id: 1, Straße: 'Hauptstraße' } }], new Map([['dbo.Kündigung', t]]), []);
  const warning = '-- WARNING: names beyond ASCII (dbo.Kündigung, dbo.Kündigung.Straße) are written as UTF-8 (values are ASCII, names cannot be): run this file as UTF-8 (sqlcmd -f 65001 -i FILE;';

  it('the script and the undo say so before their first statement', () => {
    for (const s of [renderScript(plan), renderUndoScript(plan, {})]) {
      const head = s.slice(0, s.indexOf('SET XACT_ABORT ON;'));
      expect(head).toContain(warning);
    }
    // the value itself stays ASCII
    expect(renderScript(plan)).toContain("CAST(N'Hauptstra' AS nvarchar(max)) + CONVERT(nvarchar(max), 0xDF00) + N'e'");
  });

  it('ASCII names: no warning', () => {
    const ascii = planReinsert([{ id: 1, table: 'dbo.K', lsn: '0000002a:000001f0:0003', values: { Id: 1, Strasse: 'Hauptstraße' } }], new Map([['dbo.K', { ...t, name: 'K', columns: [t.columns[0]!, { ...t.columns[1]!, name: 'Strasse' }] }]]), []);
    expect(renderScript(ascii)).not.toContain('names beyond ASCII');
  });
});
