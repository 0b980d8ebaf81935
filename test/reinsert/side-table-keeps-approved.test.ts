import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { runRemaining } from '../../src/api/run-details.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget, targetTables } from './fake-target.js';

/**
 * A run into a side table (tableMap dbo.LogTestTrailNull → dbo.Trail_check, the DBA's look at the
 * rows first) leaves its rows approved: only a run into their own table makes them `reinserted`. It
 * marked them re-inserted, so the run into the real table planned nothing and the rows could go
 * back only by a script run by hand. Never twice holds per table: a second run into the same side
 * table plans none of them, and a resumed run whose rows another run put into its side table since
 * fails that batch. dbo.LogTestTrailNull has no key: nothing in the target stops a second copy.
 * Rows: the corpus examples (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull per 60.
 */
describeCorpus('re-insert: a run into a side table leaves its rows approved', () => {
  const tables = () => {
    const m = targetTables();
    m.set('dbo.Trail_check', { ...m.get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'Trail_check' });
    return m;
  };
  const env = storeAndTarget('rowback-side-approved-', tables);
  const spec = { connectionString: 'Server=fake;Password=never-stored', database: 'CRM' };
  const tableMap = { 'dbo.LogTestTrailNull': 'dbo.Trail_check' };
  /** Copies of each staged row in target table `tbl` (as the fake target records it), by row id. */
  const copiesIn = (tbl: string): number[] => (env.target.db.prepare('SELECT count(*) AS n FROM target_rows WHERE row_id IS NOT NULL AND tbl LIKE ? GROUP BY row_id ORDER BY row_id').all(`%${tbl}%`) as { n: number }[]).map((r) => r.n);
  const statuses = (jobId: number): string[] => [...new Set((env.store.db.prepare("SELECT status FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull'").all(jobId) as { status: string }[]).map((r) => r.status))];

  it('side table, then the real table: each row planned and inserted once into each, approved until it is back in its own table', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const side = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
    await svc.wait(side.id);
    const sideRun = svc.getRun(side.id)!;
    expect(sideRun.state).toBe('succeeded');
    expect(sideRun.outcomes.inserted).toBe(10);
    expect(sideRun.sideTables).toEqual([{ table: 'dbo.Trail_check', inserted: 10, conflict: 0, error: 0, leftApproved: true }]);
    expect(statuses(job)).toEqual(['approved']);
    expect(copiesIn('Trail_check')).toEqual(Array(10).fill(1));

    const dry = await svc.dryRun(job, 'op', { target: spec });
    expect(dry.plan.batches.flatMap((b) => b.rows)).toHaveLength(10);
    expect(dry.script).not.toContain('NOTHING PLANNED');
    const real = await svc.start(job, 'op', { dryRun: false, target: spec });
    await svc.wait(real.id);
    const realRun = svc.getRun(real.id)!;
    expect(realRun.state).toBe('succeeded');
    expect(realRun.outcomes.inserted).toBe(10);
    expect(realRun.sideTables).toEqual([]);
    expect(statuses(job)).toEqual(['reinserted']);
    expect(copiesIn('LogTestTrailNull')).toEqual(Array(10).fill(1));
    expect(copiesIn('Trail_check')).toEqual(Array(10).fill(1));
    // and now truly back: refused, naming the run that put them into their own table, no hand-run export offered
    const again = svc.start(job, 'op', { dryRun: false, target: spec });
    await expect(again).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
    await expect(again).rejects.toThrow(`10 approved row(s) of job ${job} were already re-inserted into their own table(s) by its runs (run ${real.id}: 10 row(s) into database CRM) and are not planned again (never twice by rowback's runs)`);
    await expect(again).rejects.not.toThrow('status=reinserted');
  });

  it('the same side table twice: the second run plans none of its rows, says why, and inserts nothing', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const first = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap });
    await svc.wait(first.id);
    expect(svc.getRun(first.id)!.outcomes.inserted).toBe(10);
    // the same side table spelled otherwise is the same table
    for (const map of [tableMap, { LogTestTrailNull: '[dbo].[trail_check]' }] as Record<string, string>[]) {
      const dry = await svc.dryRun(job, 'op', { target: spec, tableMap: map });
      expect(dry.plan.batches, JSON.stringify(map)).toHaveLength(0);
      expect(dry.plan.problems.map((p) => p.code)).toEqual(Array(10).fill('REINSERT_ALREADY_REINSERTED'));
      const id = dry.plan.problems[0]!.rowId;
      expect(dry.plan.problems[0]!.message).toBe(`row ${id} was already put into side table dbo.Trail_check in database CRM by re-insert run ${first.id} of job ${job}: never twice into one table (the row stays approved: a run into its own table still puts it back); staging records what rowback's runs put in, not what was deleted by hand since: after run ${first.id}'s undo script was run, the row still counts as in that table here, so put it into a side table of another name`);
    }
    const twice = svc.start(job, 'op', { dryRun: false, target: spec, tableMap });
    await expect(twice).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
    await expect(twice).rejects.toThrow(`job ${job} has no approved rows that can be re-inserted: 10 held back (REINSERT_ALREADY_REINSERTED)`);
    expect(copiesIn('Trail_check')).toEqual(Array(10).fill(1));
    expect(statuses(job)).toEqual(['approved']);
    // the same side table in another database is another place: planned
    expect((await svc.dryRun(job, 'op', { target: { ...spec, database: 'CRM_side' }, tableMap })).plan.batches.flatMap((b) => b.rows)).toHaveLength(10);
  });

  it('a failed side-table run resumed after another run put its rows into that side table: the batch fails, nothing twice', async () => {
    let failOnce = true;
    const svc = new ReinsertService(env.store, {
      connect: env.connect,
      hooks: { beforeCommit: (b) => { if (b.batchNo === 2 && failOnce) { failOnce = false; throw new Error('connection reset'); } } },
    });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    expect(svc.getRun(a.id)!.outcomes.inserted).toBe(6);
    // a new run into the same side table takes the failed batch's 4 rows (still approved, not in it)
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap });
    await svc.wait(b.id);
    expect(svc.getRun(b.id)!.outcomes.inserted).toBe(4);
    // the run's page says so before a Resume is offered
    expect(await runRemaining(env.store, a.id)).toEqual({ batches: 1, rows: 4, notApproved: 0, elsewhere: 0, inSideTable: 4, mayBeIn: { batches: [], rows: 0 }, mayBeInSideTable: { batches: [], rows: 0, tables: [] } });
    await svc.resume(a.id, 'op', spec);
    await svc.wait(a.id);
    const batch = svc.outcomes(a.id).filter((o) => o.outcome === 'error');
    expect(batch).toHaveLength(4);
    expect((batch[0]!.detail as { code: string; message: string }).code).toBe('REINSERT_ALREADY_REINSERTED');
    expect((batch[0]!.detail as { message: string }).message).toContain(`by re-insert run ${b.id} of job ${job}: never twice into one table`);
    expect(copiesIn('Trail_check')).toEqual(Array(10).fill(1));
  });

  it('a side-table batch committed in the target but not recorded (a crash): the next run into that side table records it and does not put its rows in again', async () => {
    let crash = true;
    const svc = new ReinsertService(env.store, {
      connect: env.connect,
      hooks: { afterTargetCommit: () => { if (crash) { crash = false; throw new Error('the service stopped'); } } },
    });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    expect(copiesIn('Trail_check')).toEqual(Array(4).fill(1));
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
    await svc.wait(b.id);
    // run A's batch 1 recorded from the ledger (its rows stay approved), run B's batch holding them refused
    expect(svc.getRun(a.id)!.sideTables).toEqual([{ table: 'dbo.Trail_check', inserted: 4, conflict: 0, error: 0, leftApproved: true }]);
    const failed = svc.outcomes(b.id).filter((o) => o.outcome === 'error');
    expect(failed).toHaveLength(4);
    expect((failed[0]!.detail as { code: string; message: string }).message).toContain(`by re-insert run ${a.id} of job ${job}: never twice into one table`);
    expect(svc.getRun(b.id)!.outcomes.inserted).toBe(6);
    expect(copiesIn('Trail_check')).toEqual(Array(10).fill(1));
    expect(statuses(job)).toEqual(['approved']);
  });

  it('a job of two tables, one mapped to a side table: only the mapped rows stay approved', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    env.store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.T' } });
    const ownIds = (env.store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND tbl = 'dbo.T'").all(job) as { id: number }[]).map((r) => r.id);
    expect(ownIds.length).toBeGreaterThan(0);
    const run = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap });
    await svc.wait(run.id);
    expect(statuses(job)).toEqual(['approved']);
    const own = env.store.db.prepare("SELECT status, count(*) AS n FROM rows WHERE job_id = ? AND tbl = 'dbo.T' GROUP BY status").all(job) as { status: string; n: number }[];
    expect(own.every((r) => r.status === 'reinserted' || r.status === 'conflict'), JSON.stringify(own)).toBe(true);
    expect(svc.getRun(run.id)!.sideTables).toEqual([{ table: 'dbo.Trail_check', inserted: 10, conflict: 0, error: 0, leftApproved: true }]);
    const sides = env.store.db.prepare('SELECT DISTINCT side_table AS s FROM reinsert_outcomes WHERE run_id = ? AND row_id IN (SELECT value FROM json_each(?))').all(run.id, JSON.stringify(ownIds)) as { s: string | null }[];
    expect(sides).toEqual([{ s: null }]);
    // the next run: the mapped table's rows into their own table, nothing of dbo.T again
    const dry = await svc.dryRun(job, 'op', { target: spec });
    expect(dry.plan.batches.flatMap((b) => b.rows).map((r) => r.table)).toEqual(Array(10).fill('dbo.LogTestTrailNull'));
  });

  it("undo: the side-table run's undo deletes from the side table only, the real-table run's from the real table only", async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const side = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap });
    await svc.wait(side.id);
    const real = await svc.start(job, 'op', { dryRun: false, target: spec });
    await svc.wait(real.id);
    const sideUndo = svc.script(side.id)!.undoScript!;
    const realUndo = svc.script(real.id)!.undoScript!;
    expect(sideUndo).toContain('(10 row(s) it inserted)');
    expect(sideUndo).toMatch(/DELETE TOP \(1\) FROM (\[CRM\]\.)?\[dbo\]\.\[Trail_check\]/);
    expect(sideUndo).not.toMatch(/DELETE[^\n]*\[LogTestTrailNull\]/);
    expect(realUndo).toContain('(10 row(s) it inserted)');
    expect(realUndo).toMatch(/DELETE TOP \(1\) FROM (\[CRM\]\.)?\[dbo\]\.\[LogTestTrailNull\]/);
    expect(realUndo).not.toContain('Trail_check');
  });

  it("another job's run into a side table does not hold the rows back from their own table", async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const a = approvedTrailJob(env.store, corpusRows(60));
    const b = approvedTrailJob(env.store, corpusRows(60));
    const side = await svc.start(a, 'op', { dryRun: false, target: spec, tableMap });
    await svc.wait(side.id);
    const dry = await svc.dryRun(b, 'op', { target: spec });
    expect(dry.plan.problems).toEqual([]);
    expect(dry.plan.batches.flatMap((x) => x.rows)).toHaveLength(10);
    // and job A's own rows go to their own table too; then job B's are the same deleted rows, held back there
    const realA = await svc.start(a, 'op', { dryRun: false, target: spec });
    await svc.wait(realA.id);
    expect(svc.getRun(realA.id)!.outcomes.inserted).toBe(10);
    expect((await svc.dryRun(b, 'op', { target: spec })).plan.problems.map((p) => p.code)).toEqual(Array(10).fill('REINSERT_ALREADY_REINSERTED'));
    // job B into job A's side table: the same deleted rows are there, held back
    expect((await svc.dryRun(b, 'op', { target: spec, tableMap })).plan.batches).toHaveLength(0);
  });
});
