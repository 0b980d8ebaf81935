import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { assertJobFilesInRoots } from '../../src/worker/job-validate.js';
import type { ScanSourceOptions } from '../../src/recover/open-source.js';
import { fakeSource } from '../worker/fake-source.js';
import { bearer, testApp } from './helpers.js';

/**
 * docs/security.md: a job reads only files inside the file roots, links resolved. The roots were
 * checked when the job was created, but its files are opened when the queue reaches it (behind
 * other jobs: minutes or hours later): a file inside the roots replaced meanwhile by a link to one
 * outside them was opened and read (its bytes parsed; a text export's lines quoted in the job's
 * error). The worker now checks the roots again when the job starts; the job fails
 * INPUT_PATH_NOT_ALLOWED, naming the field, and opens nothing.
 */
it('a job file swapped for a link out of the roots while the job waits in the queue is not opened', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const opened: string[] = [];
  let first = true;
  const dir = mkdtempSync(join(tmpdir(), 'rowback-roots-'));
  const root = join(dir, 'evidence');
  const secret = join(dir, 'elsewhere', 'secret.ldf');
  mkdirSync(root);
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(secret, 'not evidence');
  writeFileSync(join(root, 'busy.ldf'), 'x');
  writeFileSync(join(root, 'crm.ldf'), 'x');
  const t = await testApp({
    concurrency: 1,
    fileRoots: [root],
    // the creation check as validateJobSpec makes it (the fake source reads no file)
    validateJob: async (spec, access) => assertJobFilesInRoots(spec, access),
    openSource: async (o: ScanSourceOptions) => {
      opened.push(String(o.ldf));
      if (first) { first = false; await gate; }
      return fakeSource();
    },
  });
  try {
    const create = (ldf: string) => t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf } });
    // outside the roots at creation: refused, as before
    expect((await create(secret)).json().code).toBe('INPUT_PATH_NOT_ALLOWED');
    const busy = await create(join(root, 'busy.ldf'));
    expect(busy.statusCode).toBe(201);
    const queued = await create(join(root, 'crm.ldf'));
    expect(queued.statusCode).toBe(201);
    // while it waits, the file becomes a link out of the roots
    rmSync(join(root, 'crm.ldf'));
    symlinkSync(secret, join(root, 'crm.ldf'));
    release();
    await t.app.worker.idle();
    expect(opened).toEqual([join(root, 'busy.ldf')]);
    const job = t.store.requireJob(queued.json().id);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('INPUT_PATH_NOT_ALLOWED');
    expect(job.error?.message).toMatch(/^ldf .* is outside the folders this service may read \(it is a link to a place outside them\)/);
    expect(job.error?.message).not.toContain('elsewhere');
    // the job that was running meanwhile is untouched
    expect(t.store.requireJob(busy.json().id).state).toBe('succeeded');
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
