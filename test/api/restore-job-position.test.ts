/**
 * A restore job's `position` / `afterPosition` (as `rowback diff --position / --after-position`):
 * a backup file holding several sets (StDb2Sql.bak: full backups of 2009 and 2010) was refused at
 * creation ("a restore job replays files of one backup set each"), even with no replay over it, so
 * its two backups could not be compared. Now each side's position picks its set; a position the file
 * lacks, and one where nothing reads it (with trn / afterTrn, with afterMdf), are refused naming the
 * field. dbo.Students (a heap; key StudentID given): 80386 and 80484 moved between the two backups.
 */
import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore jobs: position / afterPosition (a file of several backup sets)', () => {
  const S = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const realApp = () => testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
  const post = (payload: unknown) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: payload as Record<string, unknown> });

  it('2009 (position 1) against 2010 (afterPosition 2): the two moved students staged as changed rows', async () => {
    t = await realApp();
    const r = await post({ kind: 'restore', bak: [S], position: 1, afterBak: [S], afterPosition: 2, table: 'dbo.Students', key: ['StudentID'] });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.rowsStaged]).toEqual(['succeeded', 2]);
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ operation: string; values: Record<string, unknown> }>;
    expect(rows.map((x) => [x.operation, x.values.StudentID, x.values.Address]).sort()).toEqual([['update', 80386, '45 Fairfield'], ['update', 80484, '57 Oracle Rd.']]);
  }, 60_000);

  it('a two-set file read as it is, without a position: refused advising the field', async () => {
    t = await realApp();
    const r = await post({ kind: 'restore', bak: [S], position: 1, afterBak: [S], table: 'dbo.Students' });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'INPUT_SEVERAL_BACKUP_SETS', 'afterBak.0']);
    expect(r.json().message).toContain('choose one with "afterPosition": N');
  });

  it('a position the file lacks, and one where nothing reads it, are refused naming the field', async () => {
    t = await realApp();
    const past = await post({ kind: 'restore', bak: [S], position: 3, afterBak: [S], afterPosition: 2, table: 'dbo.Students' });
    expect([past.statusCode, past.json().code, past.json().field]).toEqual([400, 'INPUT_BAD_OPTION', 'position']);
    expect(past.json().message).toContain(`position 3: ${S} holds 2 backup sets: give 1 to 2`);
    const withTrn = await post({ kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], position: 1, trn: [RTC('RestoreTimeClean_1.trn')], stopAt: '2017-06-01 13:05', afterBak: [RTC('RestoreTimeClean2.bak')], table: 'dbo.steps' });
    expect([withTrn.json().code, withTrn.json().field]).toEqual(['INPUT_BAD_OPTION', 'position']);
    const withMdf = await post({ kind: 'restore', bak: [S], position: 1, afterMdf: [corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')], afterPosition: 1, table: 'dbo.Students' });
    expect([withMdf.json().code, withMdf.json().field]).toEqual(['INPUT_BAD_OPTION', 'afterPosition']);
    const withAfterTrn = await post({ kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], afterBak: [RTC('RestoreTimeClean.bak')], afterPosition: 1, afterTrn: [RTC('RestoreTimeClean_1.trn')], afterStopAt: '2017-06-01 13:05', table: 'dbo.steps' });
    expect([withAfterTrn.json().code, withAfterTrn.json().field]).toEqual(['INPUT_BAD_OPTION', 'afterPosition']);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
  });
});
