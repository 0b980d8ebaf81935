import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/**
 * The re-insert script is one batch under XACT_ABORT: a failing INSERT stops it with its table's
 * IDENTITY_INSERT still ON in the session (a ROLLBACK leaves SET options; one table per session at
 * a time: Microsoft Learn, SET IDENTITY_INSERT). Run again in the same SSMS window, it failed at
 * the first other identity table's ON (error 8107). The script sets every identity table of its
 * own OFF first. SYNTHETIC tables; that OFF is harmless when not ON needs a real server
 * (test/integration/reinsert.test.ts runs the script twice in one session).
 */
describe('the re-insert script sets IDENTITY_INSERT OFF for its identity tables before its first batch', () => {
  const a: TargetTable = { schema: 'dbo', name: 'A', keyColumns: ['Id'], columns: [c('Id', 'int', { identity: true, nullable: false }), c('Qty', 'int')] };
  const b: TargetTable = { schema: 'dbo', name: 'B', keyColumns: ['Id'], columns: [c('Id', 'int', { identity: true, nullable: false })] };
  const h: TargetTable = { schema: 'dbo', name: 'H', keyColumns: [], columns: [c('Note', 'int')] };
  const plan = planReinsert([
    { id: 1, table: 'dbo.A', lsn: '1', values: { Id: 1, Qty: 2 } },
    { id: 2, table: 'dbo.B', lsn: '2', values: { Id: 5 } },
    { id: 3, table: 'dbo.H', lsn: '3', values: { Note: 7 } },
  ], new Map([['dbo.A', a], ['dbo.B', b], ['dbo.H', h]]), [], { database: 'Side' });

  it('OFF for each identity table, once, after XACT_ABORT and before any BEGIN TRANSACTION', () => {
    const script = renderScript(plan);
    const offA = script.indexOf('SET IDENTITY_INSERT [Side].[dbo].[A] OFF;');
    const offB = script.indexOf('SET IDENTITY_INSERT [Side].[dbo].[B] OFF;');
    expect(offA).toBeGreaterThan(script.indexOf('SET XACT_ABORT ON;'));
    expect(offB).toBeGreaterThan(offA);
    expect(offB).toBeLessThan(script.indexOf('BEGIN TRANSACTION;'));
    expect(script).not.toContain('SET IDENTITY_INSERT [Side].[dbo].[H]');
    // and each batch still sets its own ON and OFF
    expect(script.match(/SET IDENTITY_INSERT \[Side\]\.\[dbo\]\.\[A\] (ON|OFF);/g)).toEqual(['SET IDENTITY_INSERT [Side].[dbo].[A] OFF;', 'SET IDENTITY_INSERT [Side].[dbo].[A] ON;', 'SET IDENTITY_INSERT [Side].[dbo].[A] OFF;']);
  });

  it('no identity table: no such lines', () => {
    const only = planReinsert([{ id: 3, table: 'dbo.H', lsn: '3', values: { Note: 7 } }], new Map([['dbo.H', h]]), []);
    expect(renderScript(only)).not.toContain('IDENTITY_INSERT');
  });
});
