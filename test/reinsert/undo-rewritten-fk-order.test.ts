import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedJob, storeAndTarget } from './fake-target.js';

/**
 * A run's undo written again after a later run recorded its batch from the ledger (aa6e0c2e) is
 * planned offline, without the target's foreign keys: its tables came by name, and the undo (last
 * batch first) deleted the parent table's rows (dbo.T2) before its child's (dbo.DecimalTest, whose
 * name sorts first): SQL Server refuses that delete (Msg 547) and the whole undo rolls back. The
 * undo export had the same fault and deletes in the reverse of the order the runs put the rows in
 * (inInsertionOrder); the rewritten undo now does too. Rows: real corpus row images
 * (test/staging/fixtures.ts) into the SQLite stand-in target, given a SYNTHETIC foreign key.
 */
describeCorpus('re-insert: the undo written again deletes children before parents', () => {
  const env = storeAndTarget('rowback-undo-fk-', undefined, [{ name: 'FK_DecimalTest_T2', child: 'dbo.DecimalTest', parent: 'dbo.T2' }]);
  const spec = { connectionString: 'Server=fake', database: 'CRM' };

  it('the child table\'s rows first, as the run went parents first', async () => {
    let crash = true;
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: { afterTargetCommit: (batch) => { if (crash && batch.rows.some((r) => r.table === 'dbo.DecimalTest')) { crash = false; throw new Error('the service stopped'); } } } });
    const job = approvedJob(env.store, corpusRows(60), 'dbo.T2');
    env.store.decide(job, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.DecimalTest' } });
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    expect(svc.getRun(a.id)!.summary!.tableOrder).toEqual(['dbo.T2', 'dbo.DecimalTest']);
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(b.id);
    const undo = svc.script(a.id)!.undoScript!;
    expect(undo).toContain('written again after re-insert run');
    const child = undo.search(/DELETE FROM \[CRM\]\.\[dbo\]\.\[DecimalTest\]/);
    const parent = undo.search(/DELETE FROM \[CRM\]\.\[dbo\]\.\[T2\]/);
    expect(child).toBeGreaterThan(-1);
    expect(parent).toBeGreaterThan(-1);
    expect(child).toBeLessThan(parent);
  });
});
