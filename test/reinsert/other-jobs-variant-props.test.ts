import { describe, expect, it } from 'vitest';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { fromLayout, type TargetTable } from '../../src/reinsert/target-table.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { col, table } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

/**
 * Never twice across jobs, for a row of a backup comparison (matched by its values: no delete LSN)
 * holding a sql_variant: since rowback reads a variant's property bytes, a char/varchar/nchar/
 * nvarchar/binary value carries `maxLength` (and `collation`), which rows staged before that change
 * lack. The same deleted row staged by a job before the change (re-inserted) and by a job after it
 * had two different `vals` texts, so the second job put it back again into a key-less table.
 *
 * SYNTHETIC: the table dbo.VarHeap (Id int, V sql_variant, no key) and its values are test data, no
 * bytes are read; the two value forms are the two forms rowback stages (types/variant.ts before
 * and after the property bytes were read).
 */
const LAYOUT = table('dbo.VarHeap', [col('Id', 'int', { nullable: false }), col('V', 'sql_variant', { maxLength: 8016 })]);
const tables = (): Map<string, TargetTable> => new Map([['dbo.VarHeap', fromLayout(LAYOUT)]]);

describe('re-insert: a comparison row holding a sql_variant, staged before and after variants carried their MaxLength and collation, goes back once', () => {
  const env = storeAndTarget('rowback-other-jobs-variant-', tables);

  /** A comparison row (no transaction, a `state:` tag) of dbo.VarHeap. */
  const row = (i: number, v: SqlValue): RecoveredRow => ({
    table: 'dbo.VarHeap', lsn: `state:${String(i).padStart(8, '0')}`, operation: 'delete', transactionId: '', beginTime: null, endTime: null,
    login: null, sid: null, spid: null, transactionName: null, allocUnitId: null, pageId: null, slotId: null,
    values: { Id: i, V: v }, raw: '', warnings: [], source: { kind: 'bak', file: '/incident/Sales.bak' },
  });
  const job = (rows: RecoveredRow[]): number => {
    const j = env.store.createJob({ kind: 'restore', spec: {}, description: 't', createdBy: 'op' });
    env.store.stageBatch(j.id, rows);
    env.store.saveJobTables(j.id, [LAYOUT]);
    env.store.decide(j.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.VarHeap' } });
    return j.id;
  };
  const spec = { connectionString: 'Server=fake;Password=never-stored' };
  /** The values as staged before the property bytes were read, and after. */
  const before: SqlValue[] = [{ baseType: 'varchar', value: 'abc' }, { baseType: 'nvarchar', value: 'xyz' }, { baseType: 'varbinary', value: '0x0102' }];
  const after: SqlValue[] = [
    { baseType: 'varchar', maxLength: 10, collation: 'SQL_Latin1_General_CP1_CI_AS', value: 'abc' },
    { baseType: 'nvarchar', maxLength: 40, collation: 'Latin1_General_CI_AS', value: 'xyz' },
    { baseType: 'varbinary', maxLength: 16, value: '0x0102' },
  ];

  for (const [name, first, second] of [['staged before, then after', before, after], ['staged after, then before', after, before]] as const) {
    it(`${name}: the second job's rows are held back (REINSERT_ALREADY_REINSERTED)`, async () => {
      const a = job(first.map((v, i) => row(i + 1, v)));
      const svc = new ReinsertService(env.store, { connect: env.connect });
      const runA = await svc.start(a, 'op', { dryRun: false, target: spec });
      await svc.wait(runA.id);
      expect(svc.getRun(runA.id)!.state).toBe('succeeded');
      const b = job(second.map((v, i) => row(i + 1, v)));
      const dry = await svc.dryRun(b, 'op', { target: spec });
      expect(dry.plan.batches.flatMap((x) => x.rows)).toHaveLength(0);
      expect(dry.plan.problems.map((p) => p.code)).toEqual(Array(3).fill('REINSERT_ALREADY_REINSERTED'));
      await expect(svc.start(b, 'op', { dryRun: false, target: spec })).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
    });
  }

  it('values whose MaxLength or collation differ (both read) are other rows: not held back', async () => {
    const a = job(after.map((v, i) => row(i + 1, v)));
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec });
    await svc.wait(runA.id);
    const other: SqlValue[] = [
      { baseType: 'varchar', maxLength: 10, collation: 'Cyrillic_General_CI_AS', value: 'abc' },
      { baseType: 'nvarchar', maxLength: 20, collation: 'Latin1_General_CI_AS', value: 'xyz' },
      { baseType: 'varbinary', maxLength: 2, value: '0x0102' },
    ];
    const b = job(other.map((v, i) => row(i + 1, v)));
    const dry = await svc.dryRun(b, 'op', { target: spec });
    expect(dry.plan.problems).toEqual([]);
    expect(dry.plan.batches.flatMap((x) => x.rows)).toHaveLength(3);
  });
});
