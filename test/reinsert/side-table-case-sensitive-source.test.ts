import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { storeAndTarget, targetTables } from './fake-target.js';

/**
 * A job of a case-sensitive database holding dbo.LogTestTrailNull and dbo.logtesttrailnull, two
 * tables; the run's tableMap sends the first to dbo.Trail_check. The plan put dbo.logtesttrailnull's
 * rows into their own table, but the run's map as read back (run-target.ts resolvedTableMap) also
 * answered for the key in lower case, so those rows were recorded as put into the side table:
 * left approved (a later run put them in again, stopped only by the target's row ledger), the row
 * and run answers naming dbo.Trail_check. A key in lower case stands for its table only when no
 * other table of the job has that name in another case.
 * Rows: the corpus examples (test/staging/fixtures.ts), dbo.LogTestTrailNull has no key.
 */
describeCorpus('re-insert: a side table of one of two tables whose names differ only in case', () => {
  const env = storeAndTarget('rowback-side-cs-', () => {
    const m = targetTables();
    const t = m.get('dbo.LogTestTrailNull')!;
    m.set('dbo.logtesttrailnull', { ...t, name: 'logtesttrailnull' });
    m.set('dbo.Trail_check', { ...t, name: 'Trail_check' });
    return m;
  });
  const spec = { connectionString: 'Server=fake', database: 'CRM' };

  it("the other table's rows go into their own table and are recorded so", async () => {
    const upper = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    const lowerRows = corpusRows(60, 60).filter((r) => r.table === 'dbo.LogTestTrailNull').map((r) => ({ ...r, table: 'dbo.logtesttrailnull' }));
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' }).id;
    env.store.stageBatch(job, [...upper, ...lowerRows]);
    env.store.saveJobTables(job, [LAYOUTS['dbo.LogTestTrailNull']!, { ...LAYOUTS['dbo.LogTestTrailNull']!, name: 'logtesttrailnull' }]);
    env.store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', all: true });
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const run = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Trail_check' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes.inserted).toBe(20);
    const where = env.target.db.prepare('SELECT tbl, count(*) AS n FROM target_rows WHERE row_id IS NOT NULL GROUP BY tbl ORDER BY tbl').all();
    expect(where).toEqual([{ tbl: 'dbo.Trail_check', n: 10 }, { tbl: 'dbo.logtesttrailnull', n: 10 }]);
    const st = env.store.db.prepare('SELECT w.tbl, w.status, o.side_table AS side, count(*) AS n FROM rows w JOIN reinsert_outcomes o ON o.row_id = w.id WHERE o.run_id = ? GROUP BY w.tbl, w.status, o.side_table ORDER BY w.tbl').all(run.id);
    expect(st).toEqual([
      { tbl: 'dbo.LogTestTrailNull', status: 'approved', side: 'dbo.Trail_check', n: 10 },
      { tbl: 'dbo.logtesttrailnull', status: 'reinserted', side: null, n: 10 },
    ]);
    expect(svc.getRun(run.id)!.sideTables).toEqual([{ table: 'dbo.Trail_check', inserted: 10, conflict: 0, error: 0, leftApproved: true }]);
  });

  it('the map keyed by the lower-case table: the other (dbo.LogTestTrailNull) goes into its own table, recorded so, and a second run into the side table holds back only the mapped rows', async () => {
    const upper = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    const lowerRows = corpusRows(60, 60).filter((r) => r.table === 'dbo.LogTestTrailNull').map((r) => ({ ...r, table: 'dbo.logtesttrailnull' }));
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' }).id;
    env.store.stageBatch(job, [...upper, ...lowerRows]);
    env.store.saveJobTables(job, [LAYOUTS['dbo.LogTestTrailNull']!, { ...LAYOUTS['dbo.LogTestTrailNull']!, name: 'logtesttrailnull' }]);
    env.store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.logtesttrailnull' } });
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const tableMap = { 'dbo.logtesttrailnull': 'dbo.Trail_check' };
    const run = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.sideTables).toEqual([{ table: 'dbo.Trail_check', inserted: 10, conflict: 0, error: 0, leftApproved: true }]);
    // dbo.LogTestTrailNull's rows approved now: the same map sends them to their own table, planned
    env.store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    const dry = await svc.dryRun(job, 'op', { target: spec, tableMap });
    expect(dry.plan.batches.flatMap((b) => b.rows.map((r) => r.table))).toEqual(Array(10).fill('dbo.LogTestTrailNull'));
    expect(dry.plan.problems.map((p) => p.code)).toEqual(Array(10).fill('REINSERT_ALREADY_REINSERTED'));
    const second = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap });
    await svc.wait(second.id);
    const st = env.store.db.prepare('SELECT w.tbl, w.status, o.side_table AS side, count(*) AS n FROM rows w JOIN reinsert_outcomes o ON o.row_id = w.id WHERE o.run_id = ? GROUP BY w.tbl, w.status, o.side_table').all(second.id);
    expect(st).toEqual([{ tbl: 'dbo.LogTestTrailNull', status: 'reinserted', side: null, n: 10 }]);
    expect(svc.getRun(second.id)!.sideTables).toEqual([]);
  });
});
