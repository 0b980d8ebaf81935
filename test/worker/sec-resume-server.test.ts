import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import type { JobSpec } from '../../src/worker/job-spec.js';
import { describeCorpus } from '../support/corpus.js';
import { fakeRecover, fakeSource } from './fake-source.js';

/**
 * A live job's connection string is never stored, so the spec sent to resume it was compared with
 * the stored one with `server` blanked on both sides: a resume naming another server passed, and
 * that server's rows were staged into the job (those of an LSN already staged silently dropped)
 * as if they came from the first. The server's host (no secret) is kept and compared.
 */
describeCorpus('resuming a live job with another server', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-resume-server-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused naming server; the same server with a new password resumes; no secret is stored', async () => {
    const w = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 3 }) });
    for (const kind of ['live', 'log-backup'] as const) {
      const first: JobSpec = kind === 'live'
        ? { kind, server: 'Server=tcp:prod-sql-07,1433;User Id=sa;Password=s3cret!', database: 'CRM' }
        : { kind, server: 'Data Source=prod-sql-07;Pwd={s3cret!}', database: 'CRM', logBackups: ['D:\\b\\crm.trn'] };
      if (first.kind !== 'live' && first.kind !== 'log-backup') throw new Error('unreachable');
      const job = w.submit(first, 'op');
      await w.idle();
      expect(JSON.stringify(store.requireJob(job.id).spec)).not.toContain('s3cret');
      store.setJobState(job.id, 'resumable');
      const other = { ...first, server: 'Server=evil-sql,1433;User Id=sa;Password=s3cret!' };
      expect(() => w.resume(job.id, 'op', other), kind).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION', message: expect.stringContaining('differs from the job\'s own in server') }));
      expect(store.requireJob(job.id).state).toBe('resumable');
      w.resume(job.id, 'op', { ...first, server: first.server.replace('s3cret!', 'rotated-2') });
      await w.idle();
      expect(store.requireJob(job.id).state, kind).toBe('succeeded');
      expect(JSON.stringify(store.requireJob(job.id).spec)).not.toMatch(/s3cret|rotated/);
    }
  });

  it('a job stored before the host was kept resumes with any server, as it did', async () => {
    const w = new JobWorker({ store, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 3 }) });
    const job = store.createJob({ kind: 'live', spec: { kind: 'live', database: 'CRM' }, description: 'old', createdBy: 'op' });
    store.db.prepare('UPDATE jobs SET spec = ? WHERE id = ?').run(JSON.stringify({ kind: 'live', server: '[redacted]', database: 'CRM' }), job.id);
    store.setJobState(job.id, 'resumable');
    w.resume(job.id, 'op', { kind: 'live', server: 'Server=any;Password=x1', database: 'CRM' });
    await w.idle();
    expect(store.requireJob(job.id).state).toBe('succeeded');
  });
});

describeCorpus('the live job\'s server host in its spec', () => {
  it('is shown to operators only', async () => {
    const { testApp, bearer } = await import('../api/helpers.js');
    const t = await testApp();
    try {
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'live', server: 'Server=prod-sql-07;User Id=sa;Password=s3cret!', database: 'CRM' } });
      expect(r.statusCode).toBe(201);
      await t.app.worker.idle();
      const id = r.json().id;
      const op = (await t.app.inject({ url: `/api/jobs/${id}`, headers: bearer(t.tokens.operator) })).json();
      expect(op.spec.server).toBe('[redacted] (server prod-sql-07)');
      for (const who of ['viewer', 'reviewer'] as const) {
        const v = await t.app.inject({ url: `/api/jobs/${id}`, headers: bearer(t.tokens[who]) });
        expect(v.json().spec.server).toBe('[redacted]');
        const list = await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens[who]) });
        expect(list.body).not.toContain('prod-sql-07');
      }
    } finally {
      await t.close();
    }
  });
});
