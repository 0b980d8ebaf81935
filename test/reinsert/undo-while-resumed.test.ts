/**
 * A resumed run's undo while it runs again. Its undo, written when it first ended, was served for the
 * whole resumed run (GET /api/reinsert-runs/:id/script, the review page) and kept if the service
 * stopped during it: a script deleting the rows the run had recorded then and naming every batch the
 * resume goes on to insert "its batch did not run". Run by hand meanwhile, or after a stop, it left
 * those rows in the table while reading as the run's undo. The run's first batch here committed in
 * the target unrecorded (a SYNTHETIC stop after its COMMIT): its undo deleted none; the resume records
 * it from the target's ledger and inserts the next; held before its third batch's COMMIT (a
 * SYNTHETIC hold), 8 rows are in and recorded while the undo served deleted 0. Now the undo refuses
 * to run until the resumed run ends, naming the job's undo export, as an earlier run's undo being
 * written again does (execute.ts undoBeingWrittenAgain). Rows: the corpus examples
 * (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull (no key) per 60.
 */
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget } from './fake-target.js';

describeCorpus('re-insert: the undo of a run while it is resumed', () => {
  const env = storeAndTarget('rowback-undo-resumed-');
  const spec = { connectionString: 'Server=fake', database: 'CRM' };
  const deletes = (undo: string) => undo.split('\n').filter((l) => l.startsWith('DELETE TOP (1) FROM'));

  /**
   * A run stopped after its first batch's COMMIT (SYNTHETIC), its undo deleting none, then resumed and
   * held before its third batch's COMMIT until `hold` settles: the service, the job and the run.
   */
  const resumedAndHeld = async (hold: Promise<void>) => {
    let stop = true;
    let holding: Promise<void> | undefined;
    let held = false;
    const svc = new ReinsertService(env.store, {
      connect: env.connect,
      hooks: {
        afterTargetCommit: () => { if (stop) { stop = false; throw new Error('the service stopped'); } },
        beforeCommit: async (b) => { if (b.batchNo === 3 && holding) { held = true; await holding; } },
      },
    });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    expect(deletes(svc.script(a.id)!.undoScript!)).toHaveLength(0);
    holding = hold;
    await svc.resume(a.id, 'op', spec);
    for (let i = 0; i < 300 && !held; i++) await new Promise((r) => setTimeout(r, 10));
    expect(held).toBe(true);
    return { svc, job, a };
  };

  it('refuses to run while the resumed run goes on, names the undo export; the run\'s end writes the whole undo', async () => {
    let release!: () => void;
    const { svc, job, a } = await resumedAndHeld(new Promise<void>((r) => { release = r; }));
    expect(svc.getRun(a.id)!.outcomes.inserted).toBe(8);
    const meanwhile = svc.script(a.id)!.undoScript!;
    expect(deletes(meanwhile)).toHaveLength(0);
    expect(meanwhile).toContain(`RAISERROR(N'rowback: re-insert run ${a.id} was resumed`);
    expect(meanwhile).toContain(`GET /api/jobs/${job}/export?format=undo-sql`);
    release();
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('succeeded');
    const undo = svc.script(a.id)!.undoScript!;
    expect(undo).not.toContain('was resumed');
    expect(deletes(undo)).toHaveLength(10);
  });

  it('a resumed run stopped by the service keeps the refusing undo, not its first end\'s', async () => {
    const { a } = await resumedAndHeld(new Promise<void>(() => undefined));
    // the service restarts (a second service over the same staging file)
    const next = new ReinsertService(env.store, { connect: env.connect });
    expect(next.recoverInterruptedRuns()).toContain(a.id);
    const undo = next.script(a.id)!.undoScript!;
    expect(undo).toContain(`RAISERROR(N'rowback: re-insert run ${a.id} was resumed`);
    expect(deletes(undo)).toHaveLength(0);
  });
});
