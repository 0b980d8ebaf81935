import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

/**
 * One batch goes into one target table, and may hold rows of two source tables: dbo.LogTestTrailNull's
 * own rows and dbo.TrailOld's, which the run's tableMap sends to dbo.LogTestTrailNull (a side table for
 * them). The check before a batch runs (never twice into one side table, execute.ts) looked at the
 * batch's first row only: a batch beginning with an own-table row was not checked, and a resumed run
 * put dbo.TrailOld rows into dbo.LogTestTrailNull a second time after another run (with another
 * ledger table, so the target's row ledger did not hold them) had put them there. Every row is checked.
 * Rows: the corpus examples (test/staging/fixtures.ts), dbo.LogTestTrailNull has no key.
 */
describeCorpus('re-insert: a batch holding own-table and side-table rows', () => {
  const env = storeAndTarget('rowback-side-mixed-');
  const spec = { connectionString: 'Server=fake', database: 'CRM' };
  const tableMap = { 'dbo.TrailOld': 'dbo.LogTestTrailNull' };

  it('a resumed run does not put a side-table row in twice behind an own-table row of its batch', async () => {
    const own = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    const old = corpusRows(60, 60).filter((r) => r.table === 'dbo.LogTestTrailNull').map((r) => ({ ...r, table: 'dbo.TrailOld' }));
    expect([own.length, old.length]).toEqual([10, 10]);
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' }).id;
    env.store.stageBatch(job, [...own, ...old]);
    env.store.saveJobTables(job, [LAYOUTS['dbo.LogTestTrailNull']!, { ...LAYOUTS['dbo.LogTestTrailNull']!, name: 'TrailOld' }]);
    env.store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', all: true });
    const idsOf = (tbl: string) => (env.store.db.prepare('SELECT id FROM rows WHERE job_id = ? AND tbl = ? ORDER BY id').all(job, tbl) as { id: number }[]).map((r) => r.id);
    const oldIds = idsOf('dbo.TrailOld');

    let failOnce = true;
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: { beforeCommit: (b) => { if (b.batchNo === 3 && failOnce) { failOnce = false; throw new Error('connection reset'); } } } });
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const batch3 = JSON.parse((env.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND batch_no = 3').get(a.id) as { row_ids: string }).row_ids) as number[];
    const sideInBatch3 = batch3.filter((id) => oldIds.includes(id));
    // the failed batch: own-table rows first, then dbo.TrailOld's
    expect(oldIds.includes(batch3[0]!)).toBe(false);
    expect(sideInBatch3.length).toBeGreaterThan(0);

    // another run, with its own ledger table, puts those dbo.TrailOld rows into dbo.LogTestTrailNull
    const b = await svc.start(job, 'op', { dryRun: false, target: { ...spec, ledgerTable: 'dbo.other_ledger' }, tableMap, rowIds: sideInBatch3 });
    await svc.wait(b.id);
    expect(svc.getRun(b.id)!.outcomes.inserted).toBe(sideInBatch3.length);

    await svc.resume(a.id, 'op', spec);
    await svc.wait(a.id);
    const copies = env.target.db.prepare('SELECT row_id, count(*) AS n FROM target_rows WHERE row_id IN (SELECT value FROM json_each(?)) GROUP BY row_id').all(JSON.stringify(sideInBatch3)) as { row_id: number; n: number }[];
    expect(copies.map((c) => c.n)).toEqual(sideInBatch3.map(() => 1));
    const failed = svc.outcomes(a.id).filter((o) => o.outcome === 'error');
    expect(failed.map((o) => o.rowId).sort()).toEqual([...batch3].sort());
    expect((failed[0]!.detail as { code: string }).code).toBe('REINSERT_ALREADY_REINSERTED');
  });
});
