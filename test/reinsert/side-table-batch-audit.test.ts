import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

/**
 * A `reinsert.batch` audit entry says where the batch's inserts went: how many into each side table
 * (the run's tableMap), the rest into their own tables. It carried counts only, so the trail of a run
 * mixing dbo.LogTestTrailNull's own rows and dbo.TrailOld's (sent to dbo.LogTestTrailNull) read as if
 * every row were back in its own table (C's left-out). Rows: the corpus examples (test/staging/fixtures.ts).
 */
describeCorpus('re-insert: the batch audit names side-table inserts', () => {
  const env = storeAndTarget('rowback-side-audit-');

  it('reinsert.batch carries insertedIntoSideTables for a batch with side-table rows, and nothing extra without', async () => {
    const own = corpusRows(60).filter((r) => r.table === 'dbo.LogTestTrailNull');
    const old = corpusRows(60, 60).filter((r) => r.table === 'dbo.LogTestTrailNull').map((r) => ({ ...r, table: 'dbo.TrailOld' }));
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' }).id;
    env.store.stageBatch(job, [...own, ...old]);
    env.store.saveJobTables(job, [LAYOUTS['dbo.LogTestTrailNull']!, { ...LAYOUTS['dbo.LogTestTrailNull']!, name: 'TrailOld' }]);
    env.store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', all: true });
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const run = await svc.start(job, 'op', { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM' }, tableMap: { 'dbo.TrailOld': 'dbo.LogTestTrailNull' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
    const batches = env.store.audit({ jobId: job }).filter((a) => a.action === 'reinsert.batch').map((a) => a.details as { runId: number; inserted: number; insertedIntoSideTables?: Record<string, number> });
    expect(batches.length).toBeGreaterThan(0);
    const side = batches.reduce((n, b) => n + Object.values(b.insertedIntoSideTables ?? {}).reduce((x, y) => x + y, 0), 0);
    expect(side).toBe(old.length);
    expect(new Set(batches.flatMap((b) => Object.keys(b.insertedIntoSideTables ?? {})))).toEqual(new Set(['dbo.LogTestTrailNull']));
    expect(batches.reduce((n, b) => n + b.inserted, 0)).toBe(own.length + old.length);

    // a run into the own tables: no side-table field
    const job2 = env.store.createJob({ kind: 'files', spec: {}, description: 't2', createdBy: 'op' }).id;
    env.store.stageBatch(job2, own);
    env.store.saveJobTables(job2, [LAYOUTS['dbo.LogTestTrailNull']!]);
    env.store.decide(job2, { actor: 'rev', decision: 'approve', reason: 'r', all: true });
    const run2 = await svc.start(job2, 'op', { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM2' } });
    await svc.wait(run2.id);
    const b2 = env.store.audit({ jobId: job2 }).filter((a) => a.action === 'reinsert.batch').map((a) => a.details);
    expect(b2.length).toBeGreaterThan(0);
    for (const d of b2) expect(d).not.toHaveProperty('insertedIntoSideTables');
  });
});
