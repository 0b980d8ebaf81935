import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A files job whose `trn` is one file holding a full backup and the log backups after it (BACKUP
 * DATABASE then BACKUP LOG … WITH NOINIT to one file). Job validation let it through ("a full or
 * differential set beside them is left out with a note when the job runs"), and the run then failed:
 * INPUT_NOT_A_LOG_BACKUP 'give it in "bak", not "trn"'. Now the log backup sets are staged, as from
 * the one-set files, and the full set is named in a note. The file is a SYNTHETIC append of REAL
 * corpus files (appveyor-lab RestoreTimeClean.bak, _1.trn, _2.trn, _3.trn; test/support/appended-backup-set.ts).
 */
describeCorpus('a files job whose trn file holds a full backup set and log backup sets', () => {
  let t: TestApp | undefined;
  let dir: string;
  let all: string;
  const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-mixed-trn-'));
    all = join(dir, 'all.bak');
    writeFileSync(all, appendedBackupSet(RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const notesOf = (id: number) => t!.store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);

  it('stages the 30 inserts of the three log sets, the full set left out with a note; with bak naming it, no note', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await post({ kind: 'files', bak: [RTC('RestoreTimeClean.bak')], trn: [all], operations: ['insert'] });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(r.json().id)).toMatchObject({ state: 'succeeded', complete: true });
    expect(t.store.countRows(r.json().id, {})).toBe(30);
    expect(notesOf(r.json().id)).toContainEqual(expect.stringContaining(`${all} (backup set 1) is a full backup appended to the log backups' file, not a log backup: left out of the log chain`));
    const own = await post({ kind: 'files', bak: [all], position: 1, trn: [all], operations: ['insert'] });
    expect(own.statusCode, own.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(own.json().id)).toMatchObject({ state: 'succeeded', complete: true });
    expect(t.store.countRows(own.json().id, {})).toBe(30);
    expect(notesOf(own.json().id).filter((n) => n.includes('left out of the log chain'))).toEqual([]);
  });
});
