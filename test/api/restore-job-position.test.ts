/**
 * A restore job's `position` / `afterPosition` (as `rowback diff --position / --after-position`):
 * a backup file holding several sets (StDb2Sql.bak: full backups of 2009 and 2010) was refused at
 * creation ("a restore job replays files of one backup set each"), even with no replay over it, so
 * its two backups could not be compared. Now each side's position picks its set (with trn / afterTrn
 * too: the set the replay starts from); a position the file lacks, and one where nothing reads it
 * (with afterMdf), are refused naming the field. dbo.Students (a heap; key StudentID given): 80386 and 80484 moved between the two backups.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
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

  it('a position the file lacks, and one where nothing reads it (afterMdf), are refused naming the field', async () => {
    t = await realApp();
    const past = await post({ kind: 'restore', bak: [S], position: 3, afterBak: [S], afterPosition: 2, table: 'dbo.Students' });
    expect([past.statusCode, past.json().code, past.json().field]).toEqual([400, 'INPUT_BAD_OPTION', 'position']);
    expect(past.json().message).toContain(`position 3: ${S} holds 2 backup sets: give 1 to 2`);
    const withMdf = await post({ kind: 'restore', bak: [S], position: 1, afterMdf: [corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')], afterPosition: 1, table: 'dbo.Students' });
    expect([withMdf.json().code, withMdf.json().field]).toEqual(['INPUT_BAD_OPTION', 'afterPosition']);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
  });

  it('position with trn, and a trn file of several log backup sets (SYNTHETIC, from real single-set backups): the rows the one-set files give', async () => {
    // position / afterPosition with trn / afterTrn were refused ("reads files of one backup set each");
    // the earlier state replayed to 13:12 from a file of a differential and the full backup (position 2)
    // and a file of the three log backups (WITH NOINIT as test/support/appended-backup-set.ts writes it),
    // the later to 13:02: 20 rows staged (acceptOlderLater), as from the one-set files
    const dir = mkdtempSync(join(tmpdir(), 'rowback-job-sets-'));
    try {
      const fulls = join(dir, 'diff-full.bak');
      const logs = join(dir, 'logs.trn');
      writeFileSync(fulls, appendedBackupSet(RTC('RestoreTimeClean2.bak'), RTC('RestoreTimeClean.bak')));
      writeFileSync(logs, appendedBackupSet(RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn')));
      t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
      const later = { afterBak: [RTC('RestoreTimeClean.bak')], afterTrn: [RTC('RestoreTimeClean_1.trn')], afterStopAt: '2017-06-01 13:02', acceptOlderLater: true, table: 'dbo.steps' };
      const staged = async (payload: unknown) => {
        const r = await post(payload);
        expect(r.statusCode, r.body).toBe(201);
        await t!.app.worker.idle();
        const job = t!.store.requireJob(r.json().id);
        expect(job.state).toBe('succeeded');
        return (await t!.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t!.tokens.viewer) })).json().items.map((x: { values: unknown }) => JSON.stringify(x.values)).sort();
      };
      const one = await staged({ kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], trn: ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn'].map(RTC), stopAt: '2017-06-01 13:12', ...later });
      expect(one).toHaveLength(20);
      expect(await staged({ kind: 'restore', bak: [fulls], position: 2, trn: [logs], stopAt: '2017-06-01 13:12', ...later })).toEqual(one);
      // a trn file of no log backup set: refused naming the field
      const none = await post({ kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], trn: [fulls], stopAt: '2017-06-01 13:12', ...later });
      expect([none.json().code, none.json().field]).toEqual(['INPUT_NOT_A_LOG_BACKUP', 'trn.0']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
