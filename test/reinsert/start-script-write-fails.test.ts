import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget } from './fake-target.js';

/**
 * A real run whose script cannot be kept (the staging file full while its pieces or its row are
 * written: src/staging/run-texts.ts, migration 16) was left 'running', launched never: every later
 * run or resume of the job was refused REINSERT_RUN_ACTIVE ("wait for it to end") until the service
 * restarted, and the pieces written before the failure stayed. Now the run is failed with the error,
 * nothing inserted, its pieces deleted, and the next run of the job goes ahead. SYNTHETIC rows (the
 * corpus examples' layouts), a fake target; the failure simulated at the run's script write.
 */
describeCorpus('a real run whose script write fails', () => {
  const env = storeAndTarget('rowback-start-write-');
  const spec = { connectionString: 'Server=fake;Password=never-stored' };

  it('is failed, not left running: nothing inserted, no piece kept, the next run goes ahead', async () => {
    const jobId = approvedTrailJob(env.store, corpusRows(60, 0));
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const db = env.store.db;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      if (/^UPDATE reinsert_runs SET script = \?, script_pieces = \?/.test(sql)) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      await expect(svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 })).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    } finally {
      db.prepare = prepare;
    }
    const run = db.prepare('SELECT id, state, error FROM reinsert_runs WHERE job_id = ? ORDER BY id').get(jobId) as { id: number; state: string; error: string | null };
    expect(run.state).toBe('failed');
    expect(JSON.parse(run.error!)).toMatchObject({ code: 'SQLITE_FULL', message: expect.stringMatching(/before its script was kept.*nothing was inserted/) });
    expect(db.prepare('SELECT count(*) FROM reinsert_run_texts WHERE run_id = ?').pluck().get(run.id)).toBe(0);
    expect(env.target.counts().rows).toBe(0);
    // nothing of it ran: a resume is refused (it planned no row and ended 'succeeded' with 0 rows)
    await expect(svc.resume(run.id, 'op', spec)).rejects.toMatchObject({ code: 'REINSERT_RUN_NOT_RESUMABLE', message: expect.stringMatching(new RegExp(`run ${run.id} is failed before any batch of it was recorded: nothing of it ran.*start a new run of job ${jobId}`)) });
    expect(svc.getRun(run.id)!.state).toBe('failed');
    const next = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(next.id);
    expect(svc.getRun(next.id)!.state).toBe('succeeded');
    expect(env.target.counts()).toMatchObject({ rows: 10, duplicates: 0 });
  });
});
