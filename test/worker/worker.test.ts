import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { createLogger } from '../../src/util/logger.js';
import { JobSpec, filterOf, sourceOptionsOf, type ScanJobSpec } from '../../src/worker/job-spec.js';
import { oneBackupAdvice } from '../../src/recover/source-identity.js';
import { describeCorpus } from '../support/corpus.js';
import { fakeRecover, fakeSource, progressScan } from './fake-source.js';
import { corpusRows } from '../staging/fixtures.js';
import type { ScanSourceOptions } from '../../src/recover/open-source.js';

describeCorpus('JobWorker', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-worker-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const spec: JobSpec = { kind: 'files', ldf: '/evidence/crm.ldf', from: '2024-03-01 09:00', to: '2024-03-01 10:00' };

  it('runs a job, stages every row and skipped item, saves its table layouts', async () => {
    const opened: ScanSourceOptions[] = [];
    const w = new JobWorker({ store, batchSize: 64, openSource: async (o) => { opened.push(o); return fakeSource(); }, recover: fakeRecover({ rows: 500, skipEvery: 100 }) });
    const job = w.submit(spec, 'op');
    await w.idle();
    const done = store.requireJob(job.id);
    expect(opened).toEqual([{ ldf: '/evidence/crm.ldf', mdf: undefined, bak: undefined, position: undefined, trn: undefined, backupAdvice: oneBackupAdvice('job') }]);
    expect(done.state).toBe('succeeded');
    expect(done.rowsStaged).toBe(495);
    expect(done.skippedCount).toBe(5);
    expect(store.skippedItems(job.id)[0].code).toBe('DECODE_TRUNCATED');
    expect(store.jobTables(job.id).length).toBeGreaterThan(0);
    expect(store.audit({ jobId: job.id }).map((a) => a.action)).toEqual(['job.create', 'job.succeeded']);
  });

  it('a scan whose pairing of undone rows ran out of room says UNCHECKED in the job notes, as the CLI says it on stderr', async () => {
    const { emptyStats } = await import('../../src/recover/committed.js');
    const w = new JobWorker({ store, openSource: async () => ({ ...fakeSource(), committedStats: () => ({ ...emptyStats(), undoneUncheckedTransactions: 2 }) }), recover: fakeRecover({ rows: 5 }) });
    const job = w.submit(spec, 'op');
    await w.idle();
    expect(store.requireJob(job.id).state).toBe('succeeded');
    const notes = store.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')?.details.notes as string[] | undefined;
    expect(notes).toEqual([expect.stringMatching(/^UNCHECKED: 2 transaction\(s\) also logged more of the opposite operation .* check those rows against the database before re-inserting them$/)]);
  });

  it('logs through pino child loggers bound to the job id', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info' }, { write: (l: string) => { lines.push(JSON.parse(l)); } });
    const w = new JobWorker({ store, logger, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 5 }) });
    const job = w.submit(spec, 'op');
    await w.idle();
    const mine = lines.filter((l) => l.jobId === job.id);
    expect(mine.map((l) => l.msg)).toEqual(['job started', 'job succeeded']);
    expect(mine.every((l) => l.component === 'worker' && l.kind === 'files')).toBe(true);
  });

  it('progress is visible while the job runs', async () => {
    const seen: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const w = new JobWorker({
      store, batchSize: 50, openSource: async () => fakeSource(),
      recover: fakeRecover({ rows: 300, beforeRow: async (i) => { if (i === 150) await gate; } }),
    });
    const job = w.submit(spec, 'op');
    while (store.requireJob(job.id).rowsStaged < 150) await new Promise((r) => setTimeout(r, 5));
    const mid = store.requireJob(job.id);
    seen.push(mid.rowsStaged);
    expect(mid.state).toBe('running');
    release();
    await w.idle();
    expect(seen[0]).toBe(150);
    expect(store.requireJob(job.id).rowsStaged).toBe(300);
  });

  it('scan progress: the source\'s bytes/records/pass are sampled while no row is staged yet, at most once a second', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const TOTAL = 1_288_490_188; // a 1.2 GB log
    const scan = progressScan({ rows: 120, total: TOTAL, records: 3_402_118, betweenPasses: () => gate });
    const w = new JobWorker({ store, batchSize: 50, openSource: async () => scan.source, recover: scan.recover });
    const writes: { at: number; p: unknown }[] = [];
    const real = store.setScanProgress.bind(store);
    store.setScanProgress = (id, p) => { writes.push({ at: Date.now(), p }); real(id, p); };
    const job = w.submit(spec, 'op');
    expect(store.requireJob(job.id).scan).toBeNull();
    // pass 1 has read the whole log and found nothing yet: the job still shows movement
    await expect.poll(() => store.requireJob(job.id).scan, { timeout: 5000, interval: 50 }).toMatchObject({ pass: 1, bytesRead: TOTAL });
    const mid = store.requireJob(job.id);
    expect(mid.state).toBe('running');
    expect(mid.rowsStaged).toBe(0);
    expect(mid.scan).toMatchObject({ bytesRead: TOTAL, bytesTotal: TOTAL, recordsRead: 3_402_118, pass: 1, passes: 2 });
    expect(Date.parse(mid.scan!.sampledAt)).toBeGreaterThan(Date.now() - 5000);
    // wait for one more timer sample, then let pass 2 run
    await new Promise((r) => setTimeout(r, 1100));
    release();
    await w.idle();
    const done = store.requireJob(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.rowsStaged).toBe(120);
    // the final sample, taken when the scan ended
    expect(done.scan).toMatchObject({ bytesRead: TOTAL, bytesTotal: TOTAL, recordsRead: 3_402_118, pass: 2, passes: 2 });
    // timer samples are a second apart or more (the last write is the end-of-scan sample)
    const samples = writes.filter((x) => x.p !== null);
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < samples.length - 1; i++) expect(samples[i].at - samples[i - 1].at).toBeGreaterThanOrEqual(990);
  });

  it('scan progress: none for a source without progress(); a failing progress() does not fail the job; a resumed job starts over', async () => {
    const w = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 10 }) });
    const plain = w.submit(spec, 'op');
    await w.idle();
    expect(store.requireJob(plain.id)).toMatchObject({ state: 'succeeded', scan: null });
    const broken = { ...fakeSource(), progress: () => { throw new Error('counter gone'); } };
    const w2 = new JobWorker({ store, openSource: async () => broken, recover: fakeRecover({ rows: 10 }) });
    const b = w2.submit(spec, 'op');
    await w2.idle();
    expect(store.requireJob(b.id)).toMatchObject({ state: 'succeeded', rowsStaged: 10, scan: null });
    // a job with a sample, resumed: the old sample is cleared when it starts again
    const scan = progressScan({ rows: 5, total: 1000, records: 50 });
    const w3 = new JobWorker({ store, openSource: async () => scan.source, recover: scan.recover });
    const j = w3.submit(spec, 'op');
    await w3.idle();
    expect(store.requireJob(j.id).scan).toMatchObject({ bytesRead: 1000, pass: 2 });
    store.setJobState(j.id, 'failed');
    const w4 = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 5 }) });
    w4.resume(j.id, 'op');
    await w4.idle();
    expect(store.requireJob(j.id)).toMatchObject({ state: 'succeeded', scan: null });
  });

  it('a failed job resumes after its last staged LSN without staging a row twice', async () => {
    const w1 = new JobWorker({ store, batchSize: 40, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 300, failAfter: 130 }) });
    const job = w1.submit(spec, 'op');
    await w1.idle();
    const failed = store.requireJob(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('STAGING_JOB_FAILED');
    expect(failed.rowsStaged).toBe(130);
    const w2 = new JobWorker({ store, batchSize: 40, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 300 }) });
    w2.resume(job.id, 'op');
    await w2.idle();
    const done = store.requireJob(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.rowsStaged).toBe(300);
    expect(store.countRows(job.id, {})).toBe(300);
    expect(done.attempts).toBe(2);
  });

  it('resuming a scan whose rows come in commit (not LSN) order loses nothing', async () => {
    const w1 = new JobWorker({ store, batchSize: 40, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 300, failAfter: 130, commitOrder: true, skipEvery: 50 }) });
    const job = w1.submit(spec, 'op');
    await w1.idle();
    const failed = store.requireJob(job.id);
    expect(failed.state).toBe('failed');
    // the last staged LSN is not an upper bound of what is staged any more: rows below it are missing
    expect(failed.lastLsn! > corpusRows(300)[250].lsn).toBe(true);
    const w2 = new JobWorker({ store, batchSize: 40, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 300, commitOrder: true, skipEvery: 50 }) });
    w2.resume(job.id, 'op');
    await w2.idle();
    const done = store.requireJob(job.id);
    expect(done.state).toBe('succeeded');
    expect([done.rowsStaged, done.skippedCount]).toEqual([294, 6]);
    expect(store.skippedItems(job.id)).toHaveLength(6);
    const staged = new Set((store.db.prepare('SELECT lsn FROM rows WHERE job_id = ?').all(job.id) as { lsn: string }[]).map((r) => r.lsn));
    expect(staged.size).toBe(294);
    expect(done.lastLsn).toBe(corpusRows(300)[299].lsn);
  });

  it('refuses to resume a succeeded job; a live job needs its connection again', async () => {
    const w = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 3 }) });
    const job = w.submit(spec, 'op');
    await w.idle();
    expect(() => w.resume(job.id, 'op')).toThrow(/only interrupted, resumable, failed or cancelled/);
    const live = w.submit({ kind: 'live', server: 'Server=x;Password=secret', database: 'CRM' }, 'op');
    await w.idle();
    expect(JSON.stringify(store.requireJob(live.id).spec)).not.toContain('secret');
    store.setJobState(live.id, 'resumable');
    expect(() => w.resume(live.id, 'op')).toThrow(/connection again/);
  });

  it('a spec sent to resume must be the job\'s own (its connection given back): another kind, file, table or database is refused before anything runs', async () => {
    const w = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 3 }) });
    const job = w.submit(spec, 'op');
    await w.idle();
    store.setJobState(job.id, 'failed');
    const refusals: JobSpec[] = [
      { ...spec, ldf: '/evidence/other.ldf' },
      { kind: 'live', server: 'Server=x;Password=secret', database: 'CRM' },
      { ...spec, tables: ['dbo.Other'] },
    ];
    for (const other of refusals) {
      expect(() => w.resume(job.id, 'op', other)).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION', message: expect.stringContaining('differs from the job') }));
    }
    expect(store.requireJob(job.id).state).toBe('failed');
    // the same spec, keys in another order, resumes
    const reordered = Object.fromEntries(Object.entries(spec).reverse()) as JobSpec;
    w.resume(job.id, 'op', reordered);
    await w.idle();
    expect(store.requireJob(job.id).state).toBe('succeeded');
    // a live job: the connection is given back (it was never stored); another database is refused
    const live = w.submit({ kind: 'live', server: 'Server=x;Password=secret', database: 'CRM' }, 'op');
    await w.idle();
    store.setJobState(live.id, 'resumable');
    expect(() => w.resume(live.id, 'op', { kind: 'live', server: 'Server=x;Password=secret', database: 'HR' })).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION', message: expect.stringContaining('database') }));
    w.resume(live.id, 'op', { kind: 'live', server: 'Server=x;Password=new-secret', database: 'CRM' });
    await w.idle();
    expect(store.requireJob(live.id).state).toBe('succeeded');
  });

  it("a restore job (staged whole by rowback diff) is never resumed by the worker, even when a crash left it resumable", () => {
    const w = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 3 }) });
    const job = store.createJob({ kind: 'restore', spec: { bak: ['/x.bak'], table: 'dbo.T' }, description: 'diff', createdBy: 'cli' });
    store.setJobState(job.id, 'resumable');
    expect(() => w.resume(job.id, 'op')).toThrow(expect.objectContaining({ code: 'STAGING_JOB_NOT_RESUMABLE', message: expect.stringContaining('restore job') }));
    // the API's caller reads the command to run, in backticks: no flag of a request (job-wording.ts)
    expect(() => w.resume(job.id, 'op')).toThrow(expect.objectContaining({ message: expect.stringContaining('`rowback diff --stage` stages it whole') }));
    expect(store.requireJob(job.id).state).toBe('resumable');
  });

  it('shutdown: the running job becomes interrupted after its batch, queued jobs resumable', async () => {
    let reached!: () => void;
    const atRow = new Promise<void>((r) => { reached = r; });
    const w = new JobWorker({
      store, concurrency: 1, batchSize: 10, openSource: async () => fakeSource(),
      recover: fakeRecover({ rows: 1000, beforeRow: async (i) => { if (i === 35) reached(); await new Promise((r) => setTimeout(r, 1)); } }),
    });
    const a = w.submit(spec, 'op');
    const b = w.submit(spec, 'op');
    await atRow;
    await w.stop();
    const ja = store.requireJob(a.id);
    expect(ja.state).toBe('interrupted');
    expect(ja.rowsStaged).toBeGreaterThanOrEqual(30);
    expect(ja.rowsStaged).toBeLessThan(1000);
    expect(store.requireJob(b.id).state).toBe('resumable');
    const w2 = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 1000 }) });
    w2.resume(a.id, 'op');
    w2.resume(b.id, 'op');
    await w2.idle();
    expect([store.requireJob(a.id).rowsStaged, store.requireJob(b.id).rowsStaged]).toEqual([1000, 1000]);
  });

  it('runs jobs concurrently up to the configured limit', async () => {
    let active = 0;
    let peak = 0;
    const w = new JobWorker({
      store, concurrency: 2, openSource: async () => fakeSource(),
      recover: fakeRecover({ rows: 20, beforeRow: async (i) => { if (i === 0) { active++; peak = Math.max(peak, active); } await new Promise((r) => setTimeout(r, 1)); if (i === 19) active--; } }),
    });
    for (let i = 0; i < 4; i++) w.submit(spec, 'op');
    await w.idle();
    expect(peak).toBe(2);
    expect(store.listJobs().every((j) => j.state === 'succeeded')).toBe(true);
  });
});

it('job specs: every source kind, windows normalised, invalid specs name the field', () => {
  expect(sourceOptionsOf(JobSpec.parse({ kind: 'export', file: 'x.json' }) as ScanJobSpec)).toEqual({ export: 'x.json' });
  expect(sourceOptionsOf(JobSpec.parse({ kind: 'log-backup', server: 's', database: 'd', logBackups: ['a.trn'] }) as ScanJobSpec)).toEqual({ server: 's', database: 'd', logBackup: ['a.trn'] });
  expect(filterOf({ from: '2024-03-01 09:00', to: '2024-03-01 09:30' })).toEqual({ from: '2024-03-01T09:00:00.000', to: '2024-03-01T09:30:59.999', tables: [], operations: ['delete'] });
  const bad = JobSpec.safeParse({ kind: 'files', mdf: 'x.mdf' });
  expect(bad.success).toBe(false);
});
