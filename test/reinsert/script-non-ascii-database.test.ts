import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';

/**
 * SYNTHETIC names. The warning on names beyond ASCII (3e24998) looked at tables and columns only: a
 * target database named beyond ASCII (Müller) is written as UTF-8 into the script's database check
 * (IF DB_NAME() ... <> N'Müller') or its three-part names ([Müller].[dbo].[K], the row ledger), and
 * read as code page 1252 (sqlcmd without -f 65001) the check stopped the script telling the DBA to
 * USE [MÃ¼ller] first, or the names failed (Msg 911), with no word of the file's encoding.
 */
describe('re-insert script: a database name beyond ASCII', () => {
  const t: TargetTable = { schema: 'dbo', name: 'K', keyColumns: ['Id'], columns: [
    { name: 'Id', type: 'int', maxLength: 4, precision: 10, scale: 0, nullable: false, identity: false, computed: false },
  ] };
  const rows = [{ id: 1, table: 'dbo.K', lsn: '0000002a:000001f0:0003', values: { Id: 1 } }];

  it('three-part names: the script and the undo warn before their first statement', () => {
    const plan = planReinsert(rows, new Map([['dbo.K', t]]), [], { database: 'Müller' });
    for (const s of [renderScript(plan), renderUndoScript(plan, {})]) {
      expect(s).toContain('[Müller].[dbo].[K]');
      const head = s.slice(0, s.indexOf('SET XACT_ABORT ON;'));
      expect(head).toContain('-- WARNING: names beyond ASCII ([Müller].[dbo].[K], row ledger [Müller].[dbo].[rowback_reinsert_ledger_rows]) are written as UTF-8');
    }
  });

  it('the database check of a script run in its database: warned', () => {
    const plan = planReinsert(rows, new Map([['dbo.K', t]]), []);
    const s = renderScript(plan, { database: { name: 'Müller', qualified: false } });
    expect(s).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'Müller'");
    expect(s.slice(0, s.indexOf('SET XACT_ABORT ON;'))).toContain('names beyond ASCII (database Müller)');
    // named once: a script planned with the database names it in three-part names as well
    const three = renderScript(planReinsert(rows, new Map([['dbo.K', t]]), [], { database: 'Müller' }), { database: { name: 'Müller', qualified: true } });
    expect(three).toContain('-- WARNING: names beyond ASCII (database Müller) are written as UTF-8');
  });

  it('a row ledger named beyond ASCII: warned; ASCII names: no warning', () => {
    const plan = planReinsert(rows, new Map([['dbo.K', t]]), [], { ledgerTable: 'dbo.Wiederherstellung_Übersicht' });
    expect(renderScript(plan)).toMatch(/names beyond ASCII \(row ledger \[dbo\]\.\[Wiederherstellung_Übersicht/);
    expect(renderScript(planReinsert(rows, new Map([['dbo.K', t]]), [], { database: 'Mueller' }))).not.toContain('names beyond ASCII');
  });
});
