/**
 * A re-insert run resumes into the target it was planned and started for. Resumed with another
 * configured target, the batches left of a run planned for the side database went into the other
 * one (7 rows in 'side', 3 in 'prod'), the run still said 'side', the audit's `reinsert.resume`
 * named no target, and the other target's ledger, lacking the keys of batches committed in the first,
 * could not stop a batch going in twice. Now refused (400 INPUT_BAD_OPTION naming the field), and
 * the audit entries of a dry run, a start and a resume name the target (never its connection).
 * Rows: test/staging/fixtures.ts corpusRows; targets: FakeTarget (SQLite stand-ins).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, targetTables } from './fake-target.js';

describeCorpus('re-insert resume: the same target only', () => {
  let dir: string;
  let store: StagingStore;
  let side: FakeTarget;
  let prod: FakeTarget;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-resume-target-'));
    store = new StagingStore(join(dir, 'staging.db'));
    side = new FakeTarget(join(dir, 'side.db'), targetTables());
    prod = new FakeTarget(join(dir, 'prod.db'), targetTables());
  });
  afterEach(() => {
    store.close();
    side.dispose();
    prod.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A files job of the corpus rows with its 10 dbo.LogTestTrailNull rows approved. */
  function approvedJob(): { id: number } {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    store.stageBatch(job.id, corpusRows(60));
    store.saveJobTables(job.id, Object.values(LAYOUTS));
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    return job;
  }

  /**
   * A job of the corpus rows with its 10 dbo.LogTestTrailNull rows approved, and a real run of them
   * into 'side' (a connection given in the request, batches of 3) that failed at its second COMMIT.
   */
  async function failedRunIntoSide(): Promise<{ svc: ReinsertService; run: { id: number } }> {
    const job = approvedJob();
    let n = 0;
    const svc = new ReinsertService(store, { connect: () => side, hooks: { beforeCommit: () => { if (++n === 2) throw new Error('target went away'); } } });
    const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=side;Password=x' }, batchSize: 3 });
    await svc.wait(run.id);
    svc.hooks = undefined;
    expect(svc.getRun(run.id)!.state).toBe('failed');
    return { svc, run };
  }

  it('refuses another target, database or ledger; resumes with the same one; the audit names the target', async () => {
    const job = approvedJob();
    let n = 0;
    const svc = new ReinsertService(store, { connect: (t) => (t.name === 'prod' ? prod : side), hooks: { beforeCommit: () => { if (++n === 2) throw new Error('target went away'); } } });
    await svc.dryRun(job.id, 'rev', { target: { name: 'side', connectionString: 'Server=side;Password=x' } });
    const run = await svc.start(job.id, 'op', { dryRun: false, target: { name: 'side', connectionString: 'Server=side;Password=x' }, batchSize: 3 });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('failed');
    expect(side.counts().rows).toBe(7);
    svc.hooks = undefined;

    await expect(svc.resume(run.id, 'op2', { name: 'prod', connectionString: 'Server=prod;Password=y' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION', location: { field: 'targetName' }, message: expect.stringContaining("planned and started for target 'side'") });
    await expect(svc.resume(run.id, 'op2', { name: 'side', connectionString: 'Server=side;Password=x', database: 'CRM' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION', location: { field: 'target.database' } });
    await expect(svc.resume(run.id, 'op2', { name: 'side', connectionString: 'Server=side;Password=x', ledgerTable: 'dbo.other_ledger' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION', location: { field: 'target.ledgerTable' } });
    expect(prod.counts().rows).toBe(0);
    expect(svc.getRun(run.id)!.state).toBe('failed');

    await svc.resume(run.id, 'op2', { name: 'side', connectionString: 'Server=side;Password=x' });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
    expect(side.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
    expect(prod.counts().rows).toBe(0);

    const audit = store.audit({ jobId: job.id });
    const of = (action: string) => audit.filter((a) => a.action === action).map((a) => [a.actor, (a.details as { target?: unknown }).target]);
    expect(of('reinsert.dry-run')).toEqual([['rev', 'side']]);
    expect(of('reinsert.start')).toEqual([['op', 'side']]);
    expect(of('reinsert.resume')).toEqual([['op2', 'side']]);
    expect(JSON.stringify(audit)).not.toContain('Password');
  });
  it('a run whose connection named no database (the login\'s default) is not resumed into a database a connection names; a run recorded before the database was resolved still is', async () => {
    const { svc, run } = await failedRunIntoSide();
    expect(svc.getRun(run.id)!.target.database).toBeNull();
    await expect(svc.resume(run.id, 'op2', { connectionString: 'Server=side;Database=CRM_side;Password=x' })).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION', location: { field: 'target.database' } });
    expect(svc.getRun(run.id)!.state).toBe('failed');

    // recorded before runs kept the database their connection opens in: that database is not known, as before
    const t = JSON.parse((store.db.prepare('SELECT target FROM reinsert_runs WHERE id = ?').get(run.id) as { target: string }).target) as Record<string, unknown>;
    delete t.databaseResolved;
    store.db.prepare('UPDATE reinsert_runs SET target = ? WHERE id = ?').run(JSON.stringify(t), run.id);
    await svc.resume(run.id, 'op2', { connectionString: 'Server=side;Database=CRM_side;Password=x' });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
  });
  it('a run into the login\'s default database is not resumed once that connection opens in another (databaseUsed: where its catalog was read); the audit names the database', async () => {
    side.database = 'Tenant1';
    const { svc, run } = await failedRunIntoSide();
    expect((store.db.prepare('SELECT target FROM reinsert_runs WHERE id = ?').get(run.id) as { target: string }).target).toContain('"databaseUsed":"Tenant1"');
    // the login's default database changed (or another login's): the rest of the run would go there
    side.database = 'Tenant2';
    await expect(svc.resume(run.id, 'op2', { connectionString: 'Server=side;Password=x' })).rejects.toMatchObject({
      code: 'INPUT_BAD_OPTION', location: { field: 'target.database' }, message: expect.stringContaining('run 1 went into database Tenant1; this connection opens in database Tenant2'),
    });
    expect(svc.getRun(run.id)!.state).toBe('failed');
    // DB_NAME() gives a database's one spelling: 'TENANT1' is another database (a case-sensitive
    // server holds both), not Tenant1 said another way
    side.database = 'TENANT1';
    await expect(svc.resume(run.id, 'op2', { connectionString: 'Server=side;Password=x' })).rejects.toMatchObject({
      code: 'INPUT_BAD_OPTION', message: expect.stringContaining('run 1 went into database Tenant1; this connection opens in database TENANT1'),
    });
    side.database = 'Tenant1';
    await svc.resume(run.id, 'op2', { connectionString: 'Server=side;Password=x' });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
    const audit = store.audit({});
    expect(audit.filter((a) => a.action === 'reinsert.start').map((a) => (a.details as { database?: string }).database)).toEqual(['Tenant1']);
  });

  it('a connection string naming the server twice (Server= and Data Source=) is refused for a run and a resume: rowback kept the first, the driver dials the last', async () => {
    const job = approvedJob();
    let n = 0;
    const svc = new ReinsertService(store, { connect: () => side, hooks: { beforeCommit: () => { if (++n === 2) throw new Error('target went away'); } } });
    await expect(svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=side;Data Source=prod;Password=x' }, batchSize: 3 })).rejects.toMatchObject({ code: 'INPUT_BAD_CONNECTION' });
    const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=side;Password=x' }, batchSize: 3 });
    await svc.wait(run.id);
    svc.hooks = undefined;
    expect(svc.getRun(run.id)!.state).toBe('failed');
    // recorded server 'side'; the driver would dial prod
    await expect(svc.resume(run.id, 'op2', { connectionString: 'Server=side;Data Source=prod;Password=x' })).rejects.toMatchObject({ code: 'INPUT_BAD_CONNECTION' });
    expect(svc.getRun(run.id)!.state).toBe('failed');
  });

  it('resumes into the same server spelled otherwise (tcp:, default port, case); refuses another instance or port', async () => {
    const { svc, run } = await failedRunIntoSide();
    // the run ran against 'side': another instance, another port, another host are other servers
    for (const cs of ['Server=side\\inst;Password=x', 'Server=side,1500;Password=x', 'Server=side2;Password=x', 'Server=side.corp.example;Password=x']) {
      await expect(svc.resume(run.id, 'op2', { connectionString: cs }), cs).rejects.toMatchObject({ code: 'INPUT_BAD_OPTION', location: { field: 'target' }, message: expect.stringContaining('resumes only into the server it ran against (side)') });
    }
    expect(svc.getRun(run.id)!.state).toBe('failed');
    // the same server in another spelling: it was refused as "another" (its text differed)
    await svc.resume(run.id, 'op2', { connectionString: 'Data Source=tcp:SIDE,1433;Password=y' });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).toBe('succeeded');
  });
});
