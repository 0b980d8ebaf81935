import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { replayTableAt, replayTablesAt, replayTablesOutcomes, sharedReplays, type ReplayTablesInputs } from '../../src/replay/point-in-time.js';
import type { RestoreTarget } from '../../src/restore/chain.js';
import { corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';

/**
 * Several tables replayed in one read of the chain (replayTablesAt) give, table by table, exactly
 * what `replayTableAt` of each alone gives: rows (values, origin, file, warnings, in order), layout,
 * columns, the chain, the counts, the notes (the chain's and the table's own, in order), the page
 * read counts (each table's reader forked after the one read of the metadata), the log notes; and a
 * refusal of one table is the one `replayTableAt` of it throws, the first in the order given. Real
 * bytes: TSQLV4.bak through its own log (HR.Employees 9 rows, Sales.Customers 91, Sales.Orders 830,
 * Sales.OrderDetails, with its namesake Sales.Orders for dbo.Orders), RestoreTimeClean's chains (one
 * table, given under two names differing in letter case, looked up each).
 */
describeCorpus('replayTablesAt: one pass, each table as replayTableAt gives it', () => {
  const TSQLV4 = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
  type Chain = Omit<ReplayTablesInputs, 'tables'>;
  const lsn = (l: string): RestoreTarget => ({ kind: 'lsn', lsn: l });
  const time = (t: string): RestoreTarget => ({ kind: 'time', time: t });
  const ownLog: Chain = { bak: [TSQLV4], trn: [], target: lsn('39000000375200001') };
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  const alone = async (x: Chain, tables: string[]) => {
    const out = [];
    for (const table of tables) out.push(await replayTableAt({ ...x, bak: [...x.bak], trn: [...x.trn], table }));
    return out;
  };
  const same = async (x: Chain, tables: string[]) => {
    const together = await replayTablesAt({ ...x, bak: [...x.bak], trn: [...x.trn], tables });
    const one = await alone(x, tables);
    expect(together.map((r) => r.table)).toEqual(one.map((r) => r.table));
    expect(together).toEqual(one);
    return together;
  };

  it('TSQLV4.bak through its own log: four tables, each as alone (rows, notes, page counts)', async () => {
    const rs = await same(ownLog, ['Sales.Orders', 'HR.Employees', 'Orders', 'Sales.Customers']);
    expect(rs.map((r) => r.table)).toEqual(['Sales.Orders', 'HR.Employees', 'dbo.Orders', 'Sales.Customers']);
    expect([rs[0]!.rows.length, rs[1]!.rows.length, rs[3]!.rows.length]).toEqual([830, 9, 91]);
    // a table's namesakes in other schemas ('Orders' is dbo's, Sales.Orders is in another schema) are
    // its own, carried as data for the command to word (not the others', not a sentence in its notes)
    expect(rs.map((r) => r.sameNameElsewhere)).toEqual([[], [], ['Sales.Orders'], []]);
    expect(rs.flatMap((r) => r.notes).some((n) => n.includes('the same name in another schema'))).toBe(false);
  });

  it('RestoreTimeClean: full + log backups (to a time, to an LSN), and full + differential + log backups, each as alone', async () => {
    const a = await same({ bak: [FULL], trn: LOGS.slice(0, 3), target: time('2017-06-01T13:06:30.500') }, ['dbo.steps', 'DBO.Steps']);
    expect(a.map((r) => r.rows.length)).toEqual([15, 15]);
    const b = await same({ bak: [FULL, DIFF], trn: LOGS, target: time('2017-06-01T13:21:00.000') }, ['dbo.steps', 'DBO.Steps']);
    expect(b.map((r) => r.rows.length)).toEqual([44, 44]);
    expect(b[0]!.stats.stoppedAt).not.toBeNull();
    const c = await same({ bak: [FULL], trn: LOGS, target: lsn('25000000019000001') }, ['dbo.steps', 'DBO.Steps']);
    expect(c[0]!.rows).toHaveLength(30);
  });

  it('a differential whose catalog page fails its checks (SYNTHETIC damage of a real copy): left out for each table, each replayed over the chain without it, as alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-pit-tables-diff-'));
    try {
      // 40 bytes in the middle of a copy of the differential, inside its page 1:48 (test/cli/dump-damaged-differential.test.ts)
      const b = Buffer.from(readFileSync(DIFF));
      const mid = Math.floor(b.length / 2);
      for (let i = 0; i < 40; i++) b[mid + i] = (i * 37 + 11) & 0xff;
      const damaged = join(dir, 'RestoreTimeClean2_damaged.bak');
      writeFileSync(damaged, b);
      const rs = await same({ bak: [FULL, damaged], trn: LOGS.slice(0, 5), target: time('2017-06-01T13:20:00.000') }, ['dbo.steps', 'DBO.Steps']);
      expect(rs.map((r) => r.rows.length)).toEqual([42, 42]);
      expect(rs[0]!.chain.steps.map((st) => st.role)).not.toContain('differential');
      expect(rs[0]!.notes.some((n) => n.startsWith(`the differential backup ${damaged}: page(s) 1:48 failed their checks`))).toBe(true);
      // without the log backups that bridge it: each table's refusal, the first thrown as alone
      const bare: Chain = { bak: [FULL, damaged], trn: LOGS.slice(3, 5), target: time('2017-06-01T13:20:00.000') };
      const one = await replayTableAt({ ...bare, table: 'dbo.steps' }).then(() => null, (e: unknown) => e as Error);
      expect(one).toMatchObject({ code: 'REPLAY_UNDECODABLE' });
      await expect(replayTablesAt({ ...bare, tables: ['dbo.steps', 'DBO.Steps'] })).rejects.toThrow(one!.message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refused table: the first refused in the order given is thrown, its message as alone; the tables after it are skipped', async () => {
    const tables = ['HR.Employees', 'dbo.Nope', 'Sales.Orders', 'dbo.Nope2'];
    const alone = await replayTableAt({ ...ownLog, trn: [], table: 'dbo.Nope' }).then(() => null, (e: unknown) => e as Error);
    expect(alone).toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
    await expect(replayTablesAt({ ...ownLog, trn: [], tables })).rejects.toThrow(alone!.message);
    const outcomes = await replayTablesOutcomes({ ...ownLog, trn: [], tables });
    expect(outcomes.map((o) => ('result' in o ? 'result' : 'error' in o ? 'error' : 'skipped'))).toEqual(['result', 'error', 'skipped', 'skipped']);
    // a chain refusal is every table's: thrown as for one table
    const late: Chain = { bak: [FULL], trn: LOGS.slice(0, 3), target: time('2017-06-01T13:35:00.000') };
    const one = await replayTableAt({ ...late, trn: [...late.trn], table: 'dbo.steps' }).then(() => null, (e: unknown) => e as Error);
    expect(one).toMatchObject({ code: 'INPUT_RESTORE_TOO_LATE' });
    await expect(replayTablesAt({ ...late, trn: [...late.trn], tables: ['dbo.steps', 'dbo.Nope'] })).rejects.toThrow(one!.message);
  });

  it('sharedReplays: each table its result or refusal as replayTableAt alone, the pass run once per chain', async () => {
    const replay = sharedReplays(['HR.Employees', 'Sales.Customers', 'dbo.Nope']);
    const [e, c] = [await replay({ ...ownLog, trn: [], table: 'HR.Employees' }), await replay({ ...ownLog, trn: [], table: 'Sales.Customers' })];
    expect([e, c]).toEqual(await alone(ownLog, ['HR.Employees', 'Sales.Customers']));
    await expect(replay({ ...ownLog, trn: [], table: 'dbo.Nope' })).rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
    // a table not given to it: replayed alone
    expect((await replay({ ...ownLog, trn: [], table: 'Sales.Shippers' })).table).toBe('Sales.Shippers');
  });
});
