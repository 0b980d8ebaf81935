import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { fakeRecover, fakeSource } from './fake-source.js';

const here = dirname(fileURLToPath(import.meta.url));

describeCorpus('a job killed with SIGKILL mid-way', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-jobcrash-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is resumable after restart: nothing staged is lost, nothing is staged twice', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-child.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += String(d); });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child never got to row 250: ${out} ${err}`)), 60_000);
      child.stdout.on('data', (d) => {
        out += String(d);
        if (/row 250\n/.test(out)) { clearTimeout(t); child.kill('SIGKILL'); resolve(); }
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode).toBe('SIGKILL');

    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const [jobId] = store.recoverInterruptedJobs();
      const mid = store.requireJob(jobId);
      expect(mid.state).toBe('resumable');
      // batches of 25 committed whole: what was staged is exactly the first N rows, counters agree
      expect(mid.rowsStaged % 25).toBe(0);
      expect(mid.rowsStaged).toBeGreaterThanOrEqual(200);
      expect(mid.rowsStaged).toBeLessThan(600);
      expect(store.countRows(jobId, {})).toBe(mid.rowsStaged);
      expect(mid.lastLsn).toBe(corpusRows(mid.rowsStaged)[mid.rowsStaged - 1].lsn);

      const w = new JobWorker({ store, batchSize: 25, openSource: async () => fakeSource(), recover: fakeRecover({ rows: 600 }) });
      w.resume(jobId, 'op');
      await w.idle();
      const done = store.requireJob(jobId);
      expect(done.state).toBe('succeeded');
      expect(done.rowsStaged).toBe(600);
      const lsns = store.db.prepare('SELECT lsn FROM rows WHERE job_id = ? ORDER BY id').all(jobId) as { lsn: string }[];
      expect(lsns.map((r) => r.lsn)).toEqual(corpusRows(600).map((r) => r.lsn));
      expect(store.audit({ jobId }).map((a) => a.action)).toEqual(['job.create', 'job.interrupted', 'job.resume', 'job.succeeded']);
    } finally {
      store.close();
    }
  }, 180_000);
});
