import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedJob, storeAndTarget, targetTables } from './fake-target.js';
import { appWithFakeTarget, bearer, fakeFilesJob } from '../api/helpers.js';

/**
 * The side table a DBA makes to look at rows first is often a heap (SELECT TOP (0) * INTO
 * recovery.T_check FROM dbo.T keeps no primary key). A run into it plans from the target's catalog:
 * no key, so its undo deletes each row TOP (1) matching every value. When a later run records a
 * batch of that run from the target's ledger (a crash after its COMMIT), its undo is written again
 * (aa6e0c2e), and the undo export plans likewise, from the job's staged layouts, where the side
 * table was assumed to have its source table's key: the undo then deleted by the key alone
 * (DELETE FROM … WHERE [Id] = …), and in a heap that takes any row of that Id, one the DBA loaded
 * there beside it (the row as it stands in dbo.T now, to compare) once rowback's copy is gone: a
 * row rowback never put in, deleted with @@ROWCOUNT 1. Offline, a side table's key is not known:
 * an undo planned so matches every value (as a heap's), deleting only rowback's copy.
 * Rows: the corpus examples (test/staging/fixtures.ts), 10 of dbo.T (key Id) per 60.
 */
describeCorpus('re-insert: an undo planned offline into a side table matches every value', () => {
  const env = storeAndTarget('rowback-undo-heap-side-', () => {
    const m = targetTables();
    // the side table a heap: the source's columns, no key
    m.set('dbo.T_check', { ...m.get('dbo.T')!, schema: 'dbo', name: 'T_check', keyColumns: [] });
    return m;
  });
  const spec = { connectionString: 'Server=fake', database: 'CRM' };
  const tableMap = { 'dbo.T': 'dbo.T_check' };
  const undoDeletes = (undo: string) => undo.split('\n').filter((l) => /^DELETE (TOP \(1\) )?FROM \[CRM\]\.\[dbo\]\.\[T_check\]/.test(l));

  it("the undo written again after a later run recorded an earlier run's batch deletes from a heap side table by every value", async () => {
    let crash = true;
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: { afterTargetCommit: () => { if (crash) { crash = false; throw new Error('the service stopped'); } } } });
    const job = approvedJob(env.store, corpusRows(60), 'dbo.T');
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const b = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap, batchSize: 4 });
    await svc.wait(b.id);
    expect(svc.getRun(a.id)!.outcomes.inserted).toBe(4);
    // run B's own undo, planned from the target's catalog: TOP (1), every value
    const own = undoDeletes(svc.script(b.id)!.undoScript!);
    expect(own).toHaveLength(6);
    expect(own.every((l) => l.startsWith('DELETE TOP (1) FROM [CRM].[dbo].[T_check] WHERE [Id] = ') && l.includes('[Name]')), own.join('\n')).toBe(true);
    // run A's, written again: the same form, never the key alone
    const undo = svc.script(a.id)!.undoScript!;
    expect(undo).toContain(`written again after re-insert run ${b.id}`);
    const lines = undoDeletes(undo);
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.startsWith('DELETE TOP (1) FROM [CRM].[dbo].[T_check] WHERE [Id] = ') && l.includes('[Name]')), lines.join('\n')).toBe(true);
  });
});

describeCorpus('re-insert: the undo export of a run into a heap side table', () => {
  const env = appWithFakeTarget();
  it("the job's undo export (format=undo-sql, planned from the staged layouts) deletes from a heap side table by every value, as the run's own undo", async () => {
    const { t } = env;
    const jobId = await fakeFilesJob(t);
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.T' } } })).statusCode).toBe(200);
    const tables = targetTables();
    tables.set('recovery.T_check', { ...tables.get('dbo.T')!, schema: 'recovery', name: 'T_check', keyColumns: [] });
    (env.target as unknown as { tables: unknown }).tables = tables;
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=fake', database: 'CRM' }, tableMap: { 'dbo.T': 'recovery.T_check' } } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    const own = (t.app.reinsert.script(run.json().id)!.undoScript!).split('\n').filter((l) => l.startsWith('DELETE') && l.includes('[T_check]'));
    expect(own.length).toBe(20);
    expect(own.every((l) => l.startsWith('DELETE TOP (1) FROM [CRM].[recovery].[T_check] WHERE [Id] = ') && l.includes('[Name]')), own.join('\n')).toBe(true);
    const undo = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) });
    expect(undo.statusCode).toBe(200);
    const lines = undo.body.split('\n').filter((l) => l.startsWith('DELETE') && l.includes('[T_check]'));
    expect(lines.length).toBe(20);
    expect(lines.every((l) => l.startsWith('DELETE TOP (1) FROM [CRM].[recovery].[T_check] WHERE [Id] = ') && l.includes('[Name]')), lines.join('\n')).toBe(true);
  });
});
