import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget } from './fake-target.js';

/**
 * Run B records a batch of run A from the target's ledger (A stopped after its COMMIT) before its own
 * batches, and A's undo is written again when B ends (aa6e0c2e). Meanwhile, for the whole of B (a
 * large run takes minutes), A's answer counted the batch's rows inserted while its undo, read then,
 * still said "its batch did not run" and deleted none of them: run by hand, it left them in the
 * table. From the moment B records the batch until A's undo is written again, A's undo is a script
 * that refuses to run (RAISERROR 16, SET NOEXEC ON) saying why and where the undo is.
 * Rows: the corpus examples (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull (no key) per 60.
 */
describeCorpus('re-insert: the undo of an earlier run while a later run that recorded its batch still runs', () => {
  const env = storeAndTarget('rowback-undo-meanwhile-');
  const spec = { connectionString: 'Server=fake', database: 'CRM' };

  it("refuses to run, saying it is being written again, until the later run ends; then deletes the batch's rows", async () => {
    let crash = true;
    let seenDuringB: string | null | undefined;
    let runA = 0;
    const svc = new ReinsertService(env.store, {
      connect: env.connect,
      hooks: {
        afterTargetCommit: () => { if (crash) { crash = false; throw new Error('the service stopped'); } },
        // run B's first batch of its own, after it recorded A's from the ledger
        beforeCommit: () => { if (!crash && seenDuringB === undefined && runA && svc.getRun(runA)!.outcomes.inserted === 4) seenDuringB = svc.script(runA)!.undoScript; },
      },
    });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    runA = a.id;
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(b.id);
    expect(seenDuringB).toBeDefined();
    expect(seenDuringB!.split('\n').filter((l) => l.startsWith('DELETE'))).toHaveLength(0);
    expect(seenDuringB).toContain(`RAISERROR(N'rowback: the undo of re-insert run ${a.id} is being written again: run ${b.id} found batches of it committed in the target`);
    // a refusal that leaves the session as it was (plan.ts refusalScript): no SET NOEXEC ON left behind
    expect(seenDuringB).toContain('16, 1);\nRETURN;');
    expect(seenDuringB).not.toContain('NOEXEC');
    const undo = svc.script(a.id)!.undoScript!;
    expect(undo.split('\n').filter((l) => l.startsWith('DELETE TOP (1) FROM'))).toHaveLength(4);
    expect(undo).not.toContain('being written again');
  });
});
