import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A table with an indexed view, an index on a computed column or a filtered index takes an INSERT
 * or DELETE only under ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL,
 * QUOTED_IDENTIFIER ON and NUMERIC_ROUNDABORT OFF (Microsoft Learn, "Create indexed views"), else
 * Msg 1934. The re-insert script set only ANSI_WARNINGS; the undo script set none, so its DELETE
 * under sqlcmd (QUOTED_IDENTIFIER OFF without -I) or a legacy session failed there and the whole undo
 * rolled back; and under CONCAT_NULL_YIELDS_NULL OFF a key-less undo's text match took a NULL for
 * ''. Both scripts now set all seven before their first statement on a table. SYNTHETIC tables.
 */

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 10, scale: 0, nullable: true, identity: false, computed: false, ...o });

const SETS = [
  'SET ANSI_NULLS ON;', 'SET ANSI_PADDING ON;', 'SET ANSI_WARNINGS ON;', 'SET ARITHABORT ON;',
  'SET CONCAT_NULL_YIELDS_NULL ON;', 'SET QUOTED_IDENTIFIER ON;', 'SET NUMERIC_ROUNDABORT OFF;',
];

/** Each SET on its own line, before `first` (the first statement touching a table); none set the other way. */
function expectSetsBefore(script: string, first: string): void {
  const at = script.indexOf(first);
  expect(at).toBeGreaterThan(0);
  for (const s of SETS) {
    const i = script.indexOf(`\n${s}\n`);
    expect(i, s).toBeGreaterThan(0);
    expect(i, s).toBeLessThan(at);
  }
  for (const s of ['ANSI_NULLS OFF', 'ANSI_PADDING OFF', 'ANSI_WARNINGS OFF', 'ARITHABORT OFF', 'CONCAT_NULL_YIELDS_NULL OFF', 'QUOTED_IDENTIFIER OFF', 'NUMERIC_ROUNDABORT ON']) expect(script).not.toContain(s);
}

describe('re-insert and undo scripts set the options indexed views require', () => {
  const keyed: TargetTable = { schema: 'dbo', name: 'Orders', keyColumns: ['Id'], columns: [c('Id', 'int', { nullable: false }), c('Note', 'nvarchar', { maxLength: 100 })] };
  const heap: TargetTable = { schema: 'dbo', name: 'Notes', keyColumns: [], columns: [c('Note', 'nvarchar', { maxLength: 100 }), c('Tag', 'varchar', { maxLength: 10 })] };
  const plan = planReinsert([
    { id: 1, table: 'dbo.Orders', lsn: '0000002a:000001f0:0003', values: { Id: 1, Note: 'SYNTHETIC' } },
    { id: 2, table: 'dbo.Notes', lsn: '0000002a:000001f0:0004', values: { Note: '', Tag: 'x' } },
  ], new Map([['dbo.Orders', keyed], ['dbo.Notes', heap]]), []);

  it('the undo script sets them before its first DELETE (it set none: Msg 1934 under sqlcmd or a legacy session)', () => {
    const undo = renderUndoScript(plan);
    expectSetsBefore(undo, '\nDELETE ');
    expect(undo.indexOf('SET QUOTED_IDENTIFIER ON;')).toBeLessThan(undo.indexOf('BEGIN TRANSACTION;'));
    // the key-less row's empty text is matched by concatenation, which CONCAT_NULL_YIELDS_NULL ON keeps from matching a NULL
    expect(undo).toContain("(CONVERT(nvarchar(max), [Note]) + N'.')");
    expect(undo).toMatch(/they stay set for this session after the script/);
  });

  it('the re-insert script sets them before its first INSERT (it set ANSI_WARNINGS only)', () => {
    const script = renderScript(plan);
    expectSetsBefore(script, 'INSERT INTO [dbo].');
  });

  it('with a database check, they come after it and the undo still ends with SET NOEXEC OFF', () => {
    const undo = renderUndoScript(plan, { database: { name: 'CRM', qualified: false } });
    expect(undo.indexOf('IF DB_NAME()')).toBeLessThan(undo.indexOf('SET ANSI_NULLS ON;'));
    expectSetsBefore(undo, '\nDELETE ');
    expect(undo.trimEnd().endsWith('SET NOEXEC OFF;')).toBe(true);
  });
});
