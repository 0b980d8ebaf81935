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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { stripeOfBackup } from '../support/striped-backup.js';
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

  it('the differential set alone is advised the array form; the stripes of one media set at two numbers are refused naming the item', async () => {
    t = await app();
    const alone = await post({ kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], afterBak: [both], afterPosition: 2, table: 'dbo.steps' });
    expect([alone.statusCode, alone.json().code, alone.json().field]).toEqual([400, 'INPUT_DIFFERENTIAL_WITHOUT_FULL', 'afterBak.0']);
    expect(alone.json().message).toContain(`"afterBak": [${JSON.stringify(both)}, ${JSON.stringify(both)}], "afterPosition": [1, 2]`);
    // SYNTHETIC: REAL pubs.bak split into two stripes (alternate extents, the RAID stream's family
    // count and sequence set, as dump-position-per-file.test.ts makes them), each stripe's set
    // appended to itself as set 2: a media set of two stripes holding two sets
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const stripe = (seq: number) => {
      const two = join(dir, `pubs-stripe${seq}.bak`);
      writeFileSync(two, stripeOfBackup(pubs, seq, { appendAsSet2: true }));
      return two;
    };
    const [s1, s2] = [stripe(1), stripe(2)];
    // the stripes at one number are one full backup: not refused as two (the job runs)
    const whole = await post({ kind: 'restore', bak: [s1, s2], position: [1, 1], afterBak: [pubs], table: 'dbo.titles' });
    expect(whole.statusCode, whole.body).toBe(201);
    await t.app.worker.idle();
    // two full backups read as they are (a copy of the file, set 1 of each): refused at creation naming
    // the field; it was accepted (201) and the job failed when it ran. One backup set (BackupSetGUID)
    // twice: said as such (restore-job-same-set-twice.test.ts), not as two full backups
    const copy = join(dir, 'copy.bak');
    writeFileSync(copy, readFileSync(both));
    const twoFulls = await post({ kind: 'restore', bak: [both, copy], position: [1, 1], afterBak: [RTC('RestoreTimeClean.bak')], table: 'dbo.steps' });
    expect([twoFulls.statusCode, twoFulls.json().code, twoFulls.json().field]).toEqual([400, 'INPUT_BAD_OPTION', 'bak.1']);
    expect(twoFulls.json().message).toContain(`bak.0 and bak.1, ${both} (backup set 1) and ${copy} (backup set 1), are the same backup set`);
    const mixed = await post({ kind: 'restore', bak: [s1, s2], position: [1, 2], afterBak: [s1, s2], afterPosition: 2, table: 'dbo.titles' });
    expect([mixed.statusCode, mixed.json().code, mixed.json().field]).toEqual([400, 'INPUT_BAD_OPTION', 'position.1']);
    expect(mixed.json().message).toContain('a backup set is read from every stripe of its media set; give each stripe the same number');
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(1);
  }, 60_000);
});
