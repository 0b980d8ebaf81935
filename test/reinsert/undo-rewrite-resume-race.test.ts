/**
 * One writer of a run's undo at a time (service.ts undoWrite). Run A fails with its first batch
 * committed in the target unrecorded; run B (into a side table, tableMap: the rows stay approved)
 * records that batch from the target's ledger and, when it ends, writes A's undo again (rewriteUndo).
 * While that undo was being written (its ledger read, its pieces going in with turns of the event
 * loop: a long write at 500,000 rows), A was resumed, put its other 6 rows into their own table and
 * wrote its own undo when it ended; the rewrite, ending last, kept its own: an undo deleting the 4
 * rows A had when the rewrite read its ledger, of the 10 A inserted. Run by hand (GET
 * /api/reinsert-runs/:id/script), it left 6 rows in the table. The two writes' pieces could also go
 * in among each other (seq taken twice; each deleting the other's). The test holds the rewrite after
 * its ledger read (a SYNTHETIC delay standing for the long write). Rows: the corpus examples
 * (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull (no key) per 60.
 */
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, stopOnceAfterTargetCommit, storeAndTarget, targetTables } from './fake-target.js';

describeCorpus('re-insert: an earlier run\'s undo written again while that run is resumed', () => {
  const env = storeAndTarget('rowback-undo-rewrite-race-', () => {
    const m = targetTables();
    m.set('dbo.Trail_check', { ...m.get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'Trail_check' });
    return m;
  });
  const spec = { connectionString: 'Server=fake', database: 'CRM' };
  const deletes = (undo: string) => undo.split('\n').filter((l) => l.startsWith('DELETE TOP (1) FROM'));
  const until = async (cond: () => boolean, turns = 300): Promise<boolean> => {
    for (let i = 0; i < turns && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    return cond();
  };

  it('the resumed run\'s undo deletes every row it inserted; the rewrite read before the resume is not kept over it', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: stopOnceAfterTargetCommit() });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    // the rewrite of A's undo (its note names run B) held once its ledger is read
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const s = svc as unknown as { undoChunksFromLedger: (...args: unknown[]) => Promise<unknown> };
    const render = s.undoChunksFromLedger.bind(svc);
    let held = false;
    s.undoChunksFromLedger = async (...args: unknown[]) => {
      const chunks = await render(...args);
      if (args[0] === a.id && args[3] !== undefined) { held = true; await gate; }
      return chunks;
    };
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Trail_check' }, batchSize: 4 });
    expect(await until(() => held)).toBe(true);
    expect(svc.getRun(a.id)!.outcomes.inserted).toBe(4);
    await svc.resume(a.id, 'op', spec);
    expect(await until(() => svc.getRun(a.id)!.outcomes.inserted === 10)).toBe(true);
    // the resumed run's end given its time (it ended here before the fix)
    await until(() => svc.getRun(a.id)!.state !== 'running', 30);
    release();
    await svc.wait(b.id);
    await svc.wait(a.id);
    await until(() => false, 5);
    expect(svc.getRun(a.id)!.state).toBe('succeeded');
    const undo = svc.script(a.id)!.undoScript!;
    expect(deletes(undo)).toHaveLength(10);
    expect(undo).not.toContain(`written again after re-insert run ${b.id}`);
  });
});
