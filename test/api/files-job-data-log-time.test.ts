import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A files job's data file and .ldf of one database but of different times: the job's notes say so
 * as `scan` does (test/recover/data-file-log-time.test.ts; source-identity.ts dataFileLogTimeNote).
 * REAL log: AngularJs_CRUD Database1_log.ldf (VLFs 35–37). SYNTHETIC data file: a copy of
 * Database1.mdf written here whose boot page dbi_checkptLSN is moved to VLF 38 (newer than the log),
 * checksum flag dropped so the page verifies.
 */
describeCorpus('a files job whose data file is newer than its log file (real worker)', () => {
  let t: TestApp | undefined;
  let dir: string;
  let newer: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-data-log-time-'));
    const b = Buffer.from(readFileSync(corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf')));
    const boot = 9 * 8192;
    b.writeUInt16LE(b.readUInt16LE(boot + 4) & ~0x0300, boot + 4);
    b.writeUInt32LE(0, boot + 60);
    b.writeUInt32LE(0x26, boot + 444);
    newer = join(dir, 'newer.mdf');
    writeFileSync(newer, b);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const LDF = corpusPath('AngularJs_CRUD/App_Data', 'Database1_log.ldf');
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const notesOf = (id: number) => t!.store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);

  it('staged, and the job notes name both files and the checkpoint; its own data file: nothing said', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await post({ kind: 'files', mdf: newer, ldf: LDF });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(r.json().id).state).toBe('succeeded');
    expect(notesOf(r.json().id).join('\n')).toContain(`data file ${newer} and log file ${LDF} are of different times: the data file's last checkpoint at LSN 00000026:00000036:0002`);
    const own = await post({ kind: 'files', mdf: corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf'), ldf: LDF });
    expect(own.statusCode, own.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(own.json().id).state).toBe('succeeded');
    expect(notesOf(own.json().id).join('\n')).not.toContain('different times');
  });
});
