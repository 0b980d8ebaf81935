import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/reinsert/execute.js';
import { planReinsert } from '../../src/reinsert/plan.js';
import type { BatchOutcome, TargetSession } from '../../src/reinsert/target.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/**
 * SET IDENTITY_INSERT is a session setting: a ROLLBACK leaves it as it is, and a session holds it ON
 * for one table at a time (Microsoft Learn, SET IDENTITY_INSERT, Remarks). A batch into a table
 * with an identity that failed after its `SET IDENTITY_INSERT … ON` left it ON: the next batch of
 * the run into another identity table failed at its own ON (error 8107), and the pooled connection
 * kept the setting. SYNTHETIC tables; the session records what it is sent.
 */
describe('a failed batch into a table with an identity sets IDENTITY_INSERT OFF again', () => {
  const orders: TargetTable = { schema: 'dbo', name: 'Orders', keyColumns: ['OrderId'], columns: [c('OrderId', 'int', { identity: true, nullable: false }), c('Total', 'int')] };
  const lines: TargetTable = { schema: 'dbo', name: 'Lines', keyColumns: ['LineId'], columns: [c('LineId', 'int', { identity: true, nullable: false }), c('Qty', 'int')] };
  const plan = planReinsert([
    { id: 1, table: 'dbo.Orders', lsn: '0001', values: { OrderId: 7, Total: 10 } },
    { id: 2, table: 'dbo.Lines', lsn: '0002', values: { LineId: 9, Qty: 1 } },
  ], new Map([['dbo.Orders', orders], ['dbo.Lines', lines]]), []);

  /** A session like one SQL Server connection: one table's IDENTITY_INSERT ON at a time, kept across ROLLBACK. */
  function session(failInsertInto: string) {
    const sent: string[] = [];
    let on: string | null = null;
    const s: TargetSession = {
      async begin() { sent.push('BEGIN'); },
      async commit() { sent.push('COMMIT'); },
      async rollback() { sent.push('ROLLBACK'); },
      async ledgerGet() { return undefined; },
      async ledgerPut() {},
      async rowLedgerGet() { return []; },
      async rowLedgerPut() {},
      async setIdentityInsert(target, value) {
        if (value && on !== null && on !== target) throw new Error(`IDENTITY_INSERT is already ON for table '${on}'. Cannot perform SET operation for table '${target}'.`);
        on = value ? target : null;
        sent.push(`SET IDENTITY_INSERT ${target} ${value ? 'ON' : 'OFF'}`);
      },
      async findExisting() { return undefined; }, async findUniqueHolder() { return undefined; },
      async insert(r) {
        if (r.table === failInsertInto) throw new Error('The INSERT statement conflicted with the FOREIGN KEY constraint');
        sent.push(`INSERT ${r.table}`);
      },
      async close() {},
    };
    return { s, sent, on: () => on };
  }

  it('sets it OFF before the rollback, so the next identity table of the run goes in', async () => {
    const [first, second] = plan.batches;
    const { s, sent, on } = session(first!.table);
    expect(first!.identityInsert && second!.identityInsert).toBe(true);
    await expect(runBatch(s, 1, 'k1', first!, {})).rejects.toThrow(/FOREIGN KEY/);
    expect(on()).toBeNull();
    expect(sent).toEqual(['BEGIN', `SET IDENTITY_INSERT ${first!.target} ON`, `SET IDENTITY_INSERT ${first!.target} OFF`, 'ROLLBACK']);
    const outcome: BatchOutcome = await runBatch(s, 1, 'k2', second!, {});
    expect(outcome.inserted).toEqual([second!.rows[0]!.rowId]);
    expect(on()).toBeNull();
  });

  it('a batch that fails before its ON sends no OFF', async () => {
    const { s, sent } = session('none');
    s.rowLedgerGet = async () => { throw new Error('lock request time out period exceeded'); };
    const keyed = planReinsert([{ id: 1, table: 'dbo.Orders', lsn: '0001', values: { OrderId: 7, Total: 10 }, fromLog: true }], new Map([['dbo.Orders', orders]]), []);
    await expect(runBatch(s, 1, 'k1', keyed.batches[0]!, {})).rejects.toThrow(/time out/);
    expect(sent).toEqual(['BEGIN', 'ROLLBACK']);
  });
});
