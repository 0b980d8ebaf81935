import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

// The whole path on real files, no fakes: a `files` job over a real .bak + .trn (the corpus's
// RestoreTimeClean: one row inserted every 30 s from 2017-06-01 12:59:12.970) is scanned by the
// real source and recoverRows, staged, approved, and planned for re-insert.
describeCorpus('a real files job: .bak + .trn from the corpus', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-realjob-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stages the inserted rows with their values, LSNs and times; the dry run re-inserts them typed', async () => {
    const d = corpusPath('appveyor-lab', 'RestoreTimeClean');
    const w = new JobWorker({ store, batchSize: 7 });
    const job = w.submit({ kind: 'files', bak: join(d, 'RestoreTimeClean.bak'), trn: [join(d, 'RestoreTimeClean_1.trn')], operations: ['insert'] }, 'op');
    await w.idle();
    const done = store.requireJob(job.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');
    expect(done.rowsStaged).toBeGreaterThan(0);
    const rows = store.listRows(job.id, { table: 'dbo.steps' }, { limit: 1000 }).items;
    expect(rows.length).toBe(done.rowsStaged);
    expect(rows[0].values).toEqual({ step: 0, dt: '2017-06-01T12:59:12.9700000' });
    expect(rows[0].beginTime).toBe('2017-06-01T12:59:12.970');
    rows.forEach((r, i) => expect(r.values.step).toBe(i));
    expect(store.getRow(job.id, rows[0].id)!.raw.length).toBeGreaterThan(0);
    expect(store.jobTables(job.id).map((t) => `${t.schema}.${t.name}`)).toContain('dbo.steps');

    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'restore test', all: true });
    const svc = new ReinsertService(store);
    // these rows were recovered from inserts: by default they are not re-inserted
    const refused = await svc.dryRun(job.id, 'rev', {});
    expect(refused.plan.batches).toEqual([]);
    expect(new Set(refused.plan.problems.map((p) => p.code))).toEqual(new Set(['REINSERT_NOT_A_DELETE']));
    // asked for on purpose, into a side table
    const dry = await svc.dryRun(job.id, 'rev', { operations: ['insert'], tableMap: { 'dbo.steps': 'recovery.steps_copy' } });
    expect(dry.plan.problems).toEqual([]);
    expect(dry.script).toMatch(/INSERT INTO \[recovery\]\.\[steps_copy\] \(\[step\], \[dt\]\) VALUES \(@r\d+_p1, @r\d+_p2\);/);
    expect(dry.script).toMatch(/@r\d+_p2 datetime2\(7\) = '2017-06-01T12:59:12\.9700000'/);
  });

  it('a .bak holding two backup sets: the job reads the set its position names; without one it fails naming the field, not a CLI flag', async () => {
    // StDb2Sql.bak (SQL Server 2005): two full backups appended; the job spec had no way to choose
    const bak = corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');
    const w = new JobWorker({ store });
    const unchosen = w.submit({ kind: 'files', bak }, 'op');
    const chosen = w.submit({ kind: 'files', bak, position: 2, operations: ['insert', 'delete'] }, 'op');
    await w.idle();
    const failed = store.requireJob(unchosen.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'INPUT_SEVERAL_BACKUP_SETS' });
    expect(failed.error!.message).toContain('choose one with "position": N');
    const done = store.requireJob(chosen.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');
    expect(store.jobTables(chosen.id).length).toBeGreaterThan(0);
  });
});
