import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget, targetTables } from './fake-target.js';

/**
 * A tableMap to the row's own table in another letter case (`dbo.LogTestTrailNull` →
 * `dbo.logtesttrailnull`) is taken for the own table (run-target.ts sideTableOf): the run marks its
 * rows reinserted. On a case-sensitive target database holding both names as two tables the rows
 * went into the other one, were marked back in their own table, and no run would put them there
 * (REINSERT_NOTHING_TO_DO saying they were re-inserted into their own table). Refused, naming it;
 * on a database with the one table (case-insensitive) the map is the own table, as before.
 * Rows: the corpus examples (test/staging/fixtures.ts); the fake target compares names exactly, as a
 * case-sensitive catalog does.
 */
describeCorpus('re-insert: a tableMap to the own table in another letter case', () => {
  const env = storeAndTarget('rowback-side-case-', () => {
    const m = targetTables();
    m.set('dbo.logtesttrailnull', { ...m.get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'logtesttrailnull' });
    return m;
  });
  const spec = { connectionString: 'Server=fake', database: 'CRM' };
  const tableMap = { 'dbo.LogTestTrailNull': 'dbo.logtesttrailnull' };

  it('refused when the target holds both tables; nothing inserted, the rows still approved', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    for (const p of [svc.dryRun(job, 'op', { target: spec, tableMap }), svc.start(job, 'op', { dryRun: false, target: spec, tableMap })]) {
      await expect(p).rejects.toMatchObject({ code: 'INPUT_AMBIGUOUS_NAME' });
      await expect(p).rejects.toThrow('tableMap sends dbo.LogTestTrailNull to dbo.logtesttrailnull, another table of the target\'s database that differs from it only in letter case');
    }
    await svc.idle();
    expect(env.target.counts().rows).toBe(0);
    expect(env.store.db.prepare("SELECT DISTINCT status FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull'").all(job)).toEqual([{ status: 'approved' }]);
  });

  it('a map to the table itself (brackets): the rows\' own table, not refused', async () => {
    const svc = new ReinsertService(env.store, { connect: () => env.connectWith(targetTables()) });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const run = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap: { 'dbo.LogTestTrailNull': '[dbo].[LogTestTrailNull]' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes.inserted).toBe(10);
    expect(svc.getRun(run.id)!.sideTables).toEqual([]);
    expect(env.store.db.prepare("SELECT DISTINCT status FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull'").all(job)).toEqual([{ status: 'reinserted' }]);
  });
});
