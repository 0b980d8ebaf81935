/**
 * Restore and files jobs whose `position` picks a set of a backup file that holds backup sets of
 * ANOTHER database too (one backup device shared by several databases): the set is read, as
 * `rowback dump/scan --bak G --position 2` reads it, and the job's notes say the file holds sets of
 * two databases, naming both (name, binding id, FamilyGUID) and the set read (test/cli/
 * position-other-database-set.test.ts); it was read without a word.
 *
 * SYNTHETIC file made at test time from REAL corpus bytes (appendedBackupSet: StopAt.bak whole, then
 * RestoreTimeClean.bak from its SSET block on, as set 2). Never in the repo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('jobs: a set picked by position from a file of two databases is read, and said', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let dir: string;
  let mixed: string;
  let t: TestApp | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-other-db-'));
    mixed = join(dir, 'stopat-full-rtc-full.bak');
    writeFileSync(mixed, appendedBackupSet(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak'), RTC('RestoreTimeClean.bak')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const app = () => testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const notesOf = (id: number) => t!.store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
  const run = async (payload: Record<string, unknown>) => {
    const r = await post(payload);
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    const job = t!.store.requireJob(r.json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    return { job, notes: notesOf(job.id) };
  };
  const said = (notes: string[]) => {
    const lines = notes.filter((n) => n.includes(`${mixed} holds backup sets of two databases`));
    expect(lines, notes.join('\n')).toHaveLength(1);
    expect(lines[0]).toContain('set 2, a full backup of RestoreTimeClean (binding id F784761B-0032-4636-9A07-202706D9F791, FamilyGUID E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9), is read');
    expect(lines[0]).toContain('set 1, a full backup of another database, StopAt (binding id 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA, FamilyGUID 8A118155-C949-42C1-BCE2-EFF2A9F9ED28), is not read');
  };

  it('restore job (read as it is, and replayed) and files job', async () => {
    t = await app();
    const later = { afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], table: 'dbo.steps' };
    said((await run({ kind: 'restore', bak: [mixed], position: 2, ...later })).notes);
    said((await run({ kind: 'restore', bak: [mixed], position: 2, trn: [RTC('RestoreTimeClean_1.trn')], stopAt: '2017-06-01 13:02', ...later })).notes);
    said((await run({ kind: 'files', bak: [mixed], position: 2, trn: [RTC('RestoreTimeClean_1.trn')], operations: ['insert'] })).notes);
  }, 120_000);
});
