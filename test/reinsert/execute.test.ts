import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, targetTables } from './fake-target.js';

const here = dirname(fileURLToPath(import.meta.url));

describeCorpus('re-insert runs against a transactional target', () => {
  let dir: string;
  let store: StagingStore;
  let target: FakeTarget;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-reinsert-'));
    store = new StagingStore(join(dir, 'staging.db'));
    target = new FakeTarget(join(dir, 'target.db'), targetTables());
  });
  afterEach(() => {
    store.close();
    target.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const stage = (n: number) => {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    store.stageBatch(job.id, corpusRows(n));
    store.saveJobTables(job.id, Object.values(LAYOUTS));
    return job.id;
  };
  const spec = { connectionString: 'Server=fake;Password=never-stored' };

  it('inserts approved rows once, marks existing keys as conflicts with the existing row, records everything', async () => {
    const jobId = stage(60);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.T' } });
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    target.seed('dbo.T', [1], { Id: 1, Name: 'already here' });
    const svc = new ReinsertService(store, { connect: () => target });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(run.id);
    const done = svc.getRun(run.id)!;
    expect(done.state).toBe('succeeded');
    // dbo.T: 10 rows, all Id = 1 (the same real row image) — all conflict with the seeded row
    expect(done.outcomes).toEqual({ inserted: 10, conflict: 10, error: 0 });
    expect(store.countRows(jobId, { status: 'conflict', table: 'dbo.T' })).toBe(10);
    expect(store.countRows(jobId, { status: 'reinserted', table: 'dbo.LogTestTrailNull' })).toBe(10);
    const conflict = svc.outcomes(run.id).find((o) => o.outcome === 'conflict')!;
    expect(conflict.detail).toEqual({ existing: { Id: 1, Name: 'already here' } });
    expect(target.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
    expect(JSON.stringify(store.db.prepare('SELECT * FROM reinsert_runs').all())).not.toContain('never-stored');
    const actions = store.audit({ jobId }).map((a) => a.action);
    expect(actions).toContain('reinsert.start');
    expect(actions).toContain('reinsert.succeeded');
    expect(actions.filter((a) => a === 'reinsert.batch')).toHaveLength(6); // 10 + 10 rows in batches of 4, one table per batch
  });

  it('the undo script deletes only what the run inserted: never the rows that already existed (conflicts), and says so', async () => {
    const jobId = stage(60);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.T' } });
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    target.seed('dbo.T', [1], { Id: 1, Name: 'already here' });
    const svc = new ReinsertService(store, { connect: () => target });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 4 });
    expect(svc.script(run.id)!.undoScript).toBeNull(); // not before the ledger says what was inserted
    await svc.wait(run.id);
    const undo = svc.script(run.id)!.undoScript!;
    const outcomes = svc.outcomes(run.id);
    const inserted = outcomes.filter((o) => o.outcome === 'inserted').map((o) => o.rowId);
    const conflicts = outcomes.filter((o) => o.outcome === 'conflict').map((o) => o.rowId);
    expect(inserted).toHaveLength(10);
    expect(conflicts).toHaveLength(10);
    // the pre-existing dbo.T row is never targeted: no DELETE of [dbo].[T] at all
    expect(undo).not.toMatch(/DELETE[^\n]*\[dbo\]\.\[T\]/);
    expect(undo.match(/^DELETE /gm)).toHaveLength(10);
    for (const id of inserted) expect(undo).toContain(`-- row ${id}, LSN`);
    for (const id of conflicts) expect(undo).toMatch(new RegExp(`-- NOT TOUCHED: row ${id} \\(dbo\\.T, LSN [^)]*\\): its key already existed`));
    expect(undo).toContain(`undo for rowback re-insert run ${run.id} (job ${jobId}), from the run's ledger (10 row(s) it inserted)`);
    // every delete is guarded: more or fewer than one row rolls the whole undo back
    expect(undo.match(/^IF @@ROWCOUNT <> 1 BEGIN ROLLBACK TRANSACTION; RAISERROR/gm)).toHaveLength(10);
  });

  it('a crash after the target committed but before staging recorded it: resume records the ledger outcome, inserts nothing twice', async () => {
    const jobId = stage(60);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    let n = 0;
    const svc = new ReinsertService(store, { connect: () => target, hooks: { afterTargetCommit: () => { if (++n === 2) throw new Error('crash'); } } });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('failed');
    expect(target.counts().rows).toBe(6);
    svc.hooks = undefined;
    await svc.resume(run.id, 'op', spec);
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
    expect(target.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
    expect(store.countRows(jobId, { status: 'reinserted' })).toBe(10);
  });

  it('a crash after the target committed but before staging recorded it, then a NEW run (not a resume): the earlier batch is found in the ledger and nothing goes in twice', async () => {
    const jobId = stage(60);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    let n = 0;
    const svc = new ReinsertService(store, { connect: () => target, hooks: { afterTargetCommit: () => { if (++n === 2) throw new Error('crash'); } } });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('failed');
    expect(target.counts().rows).toBe(6);
    svc.hooks = undefined;
    // batch 2's rows went in, and staging still has them approved: a new run planned them again
    const again = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(again.id);
    expect(target.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
    expect(store.countRows(jobId, { status: 'reinserted' })).toBe(10);
    // the new run's batch of those rows was refused, naming them as no longer approved
    expect(svc.getRun(again.id)!.outcomes.error).toBe(3);
    expect(svc.getRun(run.id)!.outcomes.inserted).toBe(6);
  });

  it('a batch that fails before COMMIT rolls back whole and is redone on resume', async () => {
    const jobId = stage(60);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    let n = 0;
    const svc = new ReinsertService(store, { connect: () => target, hooks: { beforeCommit: () => { if (++n === 2) throw new Error('target went away'); } } });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(run.id);
    const failed = svc.getRun(run.id)!;
    expect(failed.state).toBe('failed');
    expect(failed.outcomes.error).toBe(3);
    expect(target.counts().rows).toBe(7);
    svc.hooks = undefined;
    await svc.resume(run.id, 'op', spec);
    await svc.wait(run.id);
    expect(target.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
  });

  it('dry run: the script, nothing touched, recorded as a run and in the audit log', async () => {
    const jobId = stage(12);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', all: true });
    const svc = new ReinsertService(store, { connect: () => target });
    const d = await svc.dryRun(jobId, 'rev', {});
    expect(d.script).toContain("INSERT INTO [dbo].[T] ([Id], [Name]) VALUES (@r1_p1, @r1_p2);");
    expect(d.script).toContain("a re-insert script's table order line says what ordered its tables");
    expect(target.counts().rows).toBe(0);
    expect(svc.getRun(d.run.id)!.dryRun).toBe(true);
    expect(store.audit({ jobId }).map((a) => a.action)).toContain('reinsert.dry-run');
  });

  it.each([
    ['in-transaction', 21],
    ['after-target-commit', 28],
  ])('kill -9 %s on batch 4, restart, resume: nothing lost, nothing inserted twice', async (mode, inTargetAtCrash) => {
    const jobId = stage(600);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    store.close();
    target.dispose();
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-child.ts'), dir, String(jobId), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode, out + err).toBe('SIGKILL');
    expect(out).not.toContain('finished');

    store = new StagingStore(join(dir, 'staging.db'));
    target = new FakeTarget(join(dir, 'target.db'), targetTables());
    // batches of 7: a crash inside batch 4's transaction leaves 3 batches; after its commit, 4
    expect(target.counts().rows).toBe(inTargetAtCrash);
    const svc = new ReinsertService(store, { connect: () => target });
    const [runId] = svc.recoverInterruptedRuns();
    expect(svc.getRun(runId)!.state).toBe('interrupted');
    // the staging store has recorded 3 batches either way
    expect(svc.getRun(runId)!.outcomes.inserted).toBe(21);
    await svc.resume(runId, 'op', spec);
    await svc.wait(runId);
    expect(svc.getRun(runId)!.state).toBe('succeeded');
    expect(target.counts()).toEqual({ rows: 100, distinctRows: 100, duplicates: 0 });
    expect(store.countRows(jobId, { status: 'reinserted' })).toBe(100);
    expect(svc.getRun(runId)!.outcomes.inserted).toBe(100);
  }, 180_000);
});
