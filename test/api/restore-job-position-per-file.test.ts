/**
 * A restore job's `position` / `afterPosition` took one number (400 "expected number" for an array),
 * so a full backup and a differential that are two sets of ONE file (BACKUP … WITH NOINIT) could be
 * the base of `rowback dump --bak F F --position 1,2` but of neither state of a restore job. Each now
 * takes a number (every file) or an array of one per file of its side in order, with the CLI's
 * refusals, each naming the field (`position`, `position.1`); the rows staged are those of the same
 * backups given as one-set files.
 *
 * SYNTHETIC files made at test time from REAL corpus bytes (appendedBackupSet: RestoreTimeClean.bak
 * whole, then RestoreTimeClean2.bak, its differential, from its SSET block on). Never in the repo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore jobs: position / afterPosition as an array, one set per file (a full and a differential of one file)', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let dir: string;
  let both: string;
  let t: TestApp | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-positions-'));
    both = join(dir, 'full-diff.bak');
    writeFileSync(both, appendedBackupSet(RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const app = () => testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
  const post = (payload: unknown) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: payload as Record<string, unknown> });
  const staged = async (payload: unknown) => {
    const r = await post(payload);
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    const job = t!.store.requireJob(r.json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const rows = (await t!.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t!.tokens.viewer) })).json().items as Array<{ values: unknown }>;
    return { job, values: rows.map((x) => JSON.stringify(x.values)).sort() };
  };

  it('either state from the two sets of one file (replayed, or read as it is): the rows of the one-set files', async () => {
    t = await app();
    const T = '2017-06-01 13:17';
    const files = [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')];
    const one = await staged({ kind: 'restore', bak: files, trn: [RTC('RestoreTimeClean2_1.trn')], stopAt: T, afterBak: files, acceptOlderLater: true, table: 'dbo.steps' });
    expect(one.values).toHaveLength(6);
    const sets = await staged({ kind: 'restore', bak: [both, both], position: [1, 2], trn: [RTC('RestoreTimeClean2_1.trn')], stopAt: T, afterBak: [both, both], afterPosition: [2, 1], acceptOlderLater: true, table: 'dbo.steps' });
    expect(sets.values).toEqual(one.values);
    expect(sets.job.description).toContain(`against ${both} (backup set 2), ${both} (backup set 1)`);
    // the later state replayed from them, the earlier read as it is: 30 rows against 36, nothing missing
    const r = await post({ kind: 'restore', bak: [both, both], position: [1, 2], afterBak: [both, both], afterPosition: [1, 2], afterTrn: [RTC('RestoreTimeClean2_1.trn')], afterStopAt: T, table: 'dbo.steps' });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.rowsStaged]).toEqual(['succeeded', 0]);
  }, 120_000);

  it('refused at creation, naming the field: an array of the wrong length, a set given twice, a set the file lacks, not a set number', async () => {
    t = await app();
    const later = { afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], table: 'dbo.steps' };
    const refused = async (payload: unknown) => {
      const r = await post(payload);
      expect(r.statusCode, r.body).toBe(400);
      return r.json() as { code: string; field: string; message: string };
    };
    const len = await refused({ kind: 'restore', bak: [both], position: [1, 2], ...later });
    expect([len.code, len.field]).toEqual(['INPUT_BAD_OPTION', 'position']);
    expect(len.message).toContain('position gives 2 backup set numbers for 1 bak file');
    const twice = await refused({ kind: 'restore', bak: [both, both], position: [2, 2], ...later });
    expect([twice.code, twice.field]).toEqual(['INPUT_BAD_OPTION', 'position.1']);
    expect(twice.message).toContain('with the same backup set number (2)');
    const past = await refused({ kind: 'restore', bak: [both, both], position: [1, 3], ...later });
    expect([past.code, past.field]).toEqual(['INPUT_BAD_OPTION', 'position.1']);
    expect(past.message).toContain(`position.1 3: ${both} holds 2 backup sets: give 1 to 2`);
    const zero = await refused({ kind: 'restore', bak: [both, both], position: [1, 0], ...later });
    expect(zero.field).toMatch(/position\.1$/);
    const text = await refused({ kind: 'restore', bak: [both, both], position: '1,2', ...later });
    expect(text.field).toMatch(/position$/);
    expect(text.message).toContain('an array of one per file in order');
    const afterLen = await refused({ kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], afterBak: [both, both], afterPosition: [1], table: 'dbo.steps' });
    expect([afterLen.code, afterLen.field]).toEqual(['INPUT_BAD_OPTION', 'afterPosition']);
    // the same sets on both sides, in another order: one state
    const same = await refused({ kind: 'restore', bak: [both, both], position: [1, 2], afterBak: [both, both], afterPosition: [2, 1], table: 'dbo.steps' });
    expect(same.message).toContain('are the same backup files');
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
  }, 60_000);
});
