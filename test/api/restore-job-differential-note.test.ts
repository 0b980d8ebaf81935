/**
 * A differential set appended to a log backup file (`"trn": [L]`, L = RestoreTimeClean_1/_2/_3.trn,
 * RestoreTimeClean2.bak and RestoreTimeClean2_1.trn in one file) is skipped by the replay, and a
 * restore job's note said so in many words and in another command's name: "(a differential backup
 * neither breaks nor joins the log chain, so no log is lost; the replay does not start from it: a
 * differential is read only beside its full backup; rowback dump starts from it given both with a set
 * number each, …)". Now one plain sentence, in the job's own fields: "L (FILE = 4) is a differential
 * backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it
 * after its full backup: "bak": [FULL, L], "position": [1, 4]" (diff and dump say it with their flags).
 *
 * SYNTHETIC file made at test time from REAL corpus bytes (appendedBackupSet). Never in the repo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore job: the differential set the replay skips is said in one plain sentence, in the job\'s fields', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let dir: string;
  let L: string;
  let t: TestApp | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-diff-note-'));
    L = join(dir, 'logs-diff.trn');
    writeFileSync(L, appendedBackupSet(RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn'), RTC('RestoreTimeClean2.bak'), RTC('RestoreTimeClean2_1.trn')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });

  it('the note names the arrays that start from it, and no other command', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], trn: [L], stopAt: '2017-06-01 13:17', afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], acceptOlderLater: true, table: 'dbo.steps' } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const notes = t.store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
    const said = notes.filter((n) => n.includes(`${L} (FILE = 4)`));
    expect(said, notes.join('\n')).toHaveLength(1);
    expect(said[0]).toContain(`${L} (FILE = 4) is a differential backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it after its full backup: "bak": ${JSON.stringify([RTC('RestoreTimeClean.bak'), L]).replace(',', ', ')}, "position": [1, 4]`);
    expect(said[0]).not.toContain('rowback dump');
  }, 60_000);
});
