import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSource as realOpenSource, type ScanSourceOptions } from '../../src/recover/open-source.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import type { Logger } from '../../src/util/logger.js';
import { bearer, testApp } from './helpers.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';

/**
 * docs/security.md: the worker checks a job's files against the roots when the job starts, but each
 * reader opens its file by path afterwards; a file swapped for a link out of the roots in between
 * (milliseconds) was still read. Every open now checks the descriptor it got (util/input-open.ts).
 * The swap is made deterministically: by the job's source opener, after the worker's check and
 * before the real readers open anything. The file outside is a copy of the job's own log, so the
 * old code read it without a complaint and the job succeeded with rows from outside the roots.
 */
const DIR = 'AngularJs_CRUD/App_Data';
it.skipIf(!corpusAvailable)('a job file swapped for a link out of the roots between the worker\'s check and the open is not read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-open-race-'));
  const root = join(dir, 'evidence');
  const secret = join(dir, 'elsewhere', 'secret.ldf');
  mkdirSync(root);
  mkdirSync(join(dir, 'elsewhere'));
  copyFileSync(corpusPath(`${DIR}/Database1.mdf`), join(root, 'db.mdf'));
  copyFileSync(corpusPath(`${DIR}/Database1_log.ldf`), join(root, 'db.ldf'));
  copyFileSync(corpusPath(`${DIR}/Database1_log.ldf`), secret);
  let swapped = false;
  const t = await testApp({
    concurrency: 1,
    fileRoots: [root],
    validateJob: validateJobSpec,
    recover: undefined,
    openSource: async (o: ScanSourceOptions, logger?: Logger) => {
      // after the worker's check of the roots, before any reader opens the log
      rmSync(join(root, 'db.ldf'));
      symlinkSync(secret, join(root, 'db.ldf'));
      swapped = true;
      return realOpenSource(o, logger);
    },
  });
  try {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf: join(root, 'db.mdf'), ldf: join(root, 'db.ldf') } });
    expect(r.statusCode).toBe(201);
    await t.app.worker.idle();
    expect(swapped).toBe(true);
    const job = t.store.requireJob(r.json().id);
    expect(job.state).toBe('failed');
    expect(job.rowsStaged).toBe(0);
    expect(job.error?.code).toBe('INPUT_PATH_NOT_ALLOWED');
    expect(job.error?.message).toMatch(/^ldf .*db\.ldf is outside the folders this service may read \(it is a link to a place outside them\)/);
    expect(job.error?.message).not.toContain('elsewhere');
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
