/**
 * Restore jobs through the API (issue 11, "Service"): an operator creates one over real backups
 * (RestoreTimeClean: full, differential, log chain), the worker replays the earlier state to a
 * point in time and compares it with the later state, and the missing rows are staged like any
 * job's rows: reviewable, with the chain in the job's notes, ready for the dry-run re-insert.
 */
import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore jobs (API, real backups)', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const realApp = () => testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
  const post = (payload: unknown, token = t!.tokens.operator) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(token), payload: payload as Record<string, unknown> });

  it('the table at 13:20 against the differential (older, compared as asked): the 12 rows committed in between are staged as inserts, never planned for re-insert, with the chain in the notes', async () => {
    t = await realApp();
    // without acceptOlderLater the older later state is refused: the job fails naming both, nothing staged
    const refused = await post({ kind: 'restore', bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps' });
    expect(refused.statusCode).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(refused.json().id)).toMatchObject({ state: 'failed', rowsStaged: 0, error: { code: 'INPUT_BAD_WINDOW', message: expect.stringMatching(/is older than the earlier state .*acceptOlderLater: true/) } });
    // in the job's words: no command (it said "diff prints what the later state lacks" of a job)
    expect(t.store.requireJob(refused.json().id).error?.message).not.toMatch(/\bdiff\b/);
    const r = await post({ kind: 'restore', bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps', acceptOlderLater: true });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'restore', tables: ['dbo.steps'], operations: ['delete', 'update'] });
    expect(r.json().description).toMatch(/^dbo\.steps at 2017-06-01 13:20 \(.*RestoreTimeClean\.bak, .*RestoreTimeClean_1\.trn.*\) against .*RestoreTimeClean\.bak, .*RestoreTimeClean2\.bak$/);
    await t.app.worker.idle();
    const job = (await t.app.inject({ url: `/api/jobs/${r.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    expect([job.state, job.rowsStaged]).toEqual(['succeeded', 12]);
    // once the comparison is known reversed, the job says its rows are inserts (it kept ['delete', 'update']
    // from creation while every row was an insert; the CLI-staged job said insert)
    expect(job.operations).toEqual(['insert', 'update']);
    // a comparison is whole or refused: nothing in it says INCOMPLETE
    expect([job.complete, job.incomplete]).toEqual([true, []]);
    // the database the rows were read from (the earlier state's backup header), for re-insert to compare with its target's
    expect(job.sourceDatabase).toEqual({ name: 'RestoreTimeClean', nameText: 'RestoreTimeClean', bindingId: expect.stringMatching(/^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/), familyGuid: expect.stringMatching(/^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/) });
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items;
    expect(rows.map((x: { values: { step: number } }) => x.values.step).sort((a: number, b: number) => a - b)).toEqual([...Array(12).keys()]);
    // the differential (13:14:13) is older than 13:20, compared as asked (acceptOlderLater): every row says its rows were inserted between the two
    // and they are staged as inserts, which the re-insert plan leaves out (they were deletes, planned for re-insert)
    expect(rows.every((x: { operation: string; warnings: string[] }) => x.operation === 'insert' && x.warnings.some((w) => w.startsWith('earlier state: ') && w.includes('as of 2017-06-01 13:20; the later state (afterBak ') && w.endsWith('never re-insert them')))).toBe(true);
    // in the job's words: the option is the request's field, not a command line ("(rowback diff acceptOlderLater: true)")
    expect(rows.map((x: { warnings: string[] }) => x.warnings[0])).toEqual(Array(12).fill('missing from the later state, which is older (compared as asked, acceptOlderLater: true): inserted between the two states, not deleted'));
    // each row's source is the log backup whose LSN range holds the record that wrote it (every row said the full backup)
    const { readBackupHeader } = await import('../../src/backup/header.js');
    const { readMtfLayout } = await import('../../src/backup/mtf.js');
    const { lsnToDecimal, parseLsn } = await import('../../src/logreader/lsn.js');
    for (const x of rows as Array<{ lsn: string; meta: { source: { kind: string; file: string } } }>) {
      expect(x.meta.source.kind).toBe('trn');
      const h = readBackupHeader(x.meta.source.file, readMtfLayout(x.meta.source.file));
      const at = BigInt(lsnToDecimal(parseLsn(x.lsn)));
      expect(BigInt(h.firstLsn.decimal) <= at && at < BigInt(h.lastLsn.decimal)).toBe(true);
    }
    const notes = t.store.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')!.details.notes as string[];
    expect(notes.some((n) => /^earlier state: chain: full .*RestoreTimeClean\.bak → /.test(n))).toBe(true);
    expect(notes.at(-2)).toMatch(/^dbo\.steps: earlier 42 row\(s\), later 30; 12 missing from the later state, 0 changed/);
    expect(notes.at(-1)).toMatch(/^warning: the later state \(afterBak .* is older than the earlier state/);
    // the rows go through the same review and re-insert path
    await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'rows lost after the differential', all: true } });
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.json().script.match(/INSERT INTO \[dbo\]\.\[steps\]/g)).toBeNull();
    expect(dry.json().script.match(/-- NOT INCLUDED: row \d+ \(dbo\.steps, .*REINSERT_NOT_A_DELETE: row \d+ was recovered from an insert/g)).toHaveLength(12);
    // resuming compares again and stages nothing twice
    t.store.setJobState(job.id, 'failed', { error: { code: 'X', message: 'pretend' } });
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/resume`, headers: bearer(t.tokens.operator), payload: {} })).statusCode).toBe(200);
    await t.app.worker.idle();
    expect(t.store.requireJob(job.id)).toMatchObject({ state: 'succeeded', rowsStaged: 12 });
  });

  it('a cancel asked while the replay runs ends the job cancelled with nothing staged (not succeeded after answering cancelled); resuming it stages the rows', async () => {
    t = await realApp();
    const spec = { kind: 'restore' as const, bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps', acceptOlderLater: true };
    const job = t.app.worker.submit(spec, 'olga');
    // asked while the job runs (the API's cancel route calls exactly this)
    expect(t.app.worker.cancel(job.id, 'olga')).toBe(true);
    await t.app.worker.idle();
    expect(t.store.requireJob(job.id)).toMatchObject({ state: 'cancelled', rowsStaged: 0 });
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/resume`, headers: bearer(t.tokens.operator), payload: {} })).statusCode).toBe(200);
    await t.app.worker.idle();
    expect(t.store.requireJob(job.id)).toMatchObject({ state: 'succeeded', rowsStaged: 12 });
  });

  it('refusals: checked at creation naming the field, or failing the job with the replay\'s reason', async () => {
    t = await realApp();
    const noLater = await post({ kind: 'restore', bak: [FULL], table: 'dbo.steps' });
    expect([noLater.statusCode, noLater.json().code, noLater.json().field]).toEqual([400, 'INPUT_BAD_OPTION', 'afterMdf']);
    const stopWithoutLogs = await post({ kind: 'restore', bak: [FULL], stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps', acceptOlderLater: true });
    expect([stopWithoutLogs.statusCode, stopWithoutLogs.json().field]).toEqual([400, 'trn']);
    const badTime = await post({ kind: 'restore', bak: [FULL], trn: LOGS, stopAt: 'tuesday', afterBak: [FULL, DIFF], table: 'dbo.steps' });
    expect([badTime.statusCode, badTime.json().code, badTime.json().field]).toEqual([400, 'INPUT_BAD_TIME', 'stopAt']);
    const outside = await post({ kind: 'restore', bak: ['/etc/passwd'], afterBak: [FULL], table: 'dbo.steps' });
    expect([outside.statusCode, outside.json().field]).toEqual([400, 'bak.0']);
    // one path as a string, as a files job's bak takes it (it was 400 "expected array, received string")
    const outsideOne = await post({ kind: 'restore', bak: '/etc/passwd', afterBak: FULL, table: 'dbo.steps' });
    expect([outsideOne.statusCode, outsideOne.json().field]).toEqual([400, 'bak.0']);
    const mixed = await post({ kind: 'restore', bak: [FULL], afterMdf: [corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')], table: 'dbo.steps' });
    expect([mixed.statusCode, mixed.json().code]).toEqual([400, 'INPUT_MIXED_DATABASES']);
    const byReviewer = await post({ kind: 'restore', bak: [FULL], afterBak: [FULL, DIFF], table: 'dbo.steps' }, t.tokens.reviewer);
    expect(byReviewer.statusCode).toBe(403);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
    const onePath = await post({ kind: 'restore', bak: FULL, afterBak: [FULL, DIFF], table: 'dbo.steps' });
    expect(onePath.statusCode, onePath.body).toBe(201);
    expect((await t.app.inject({ url: `/api/jobs/${onePath.json().id}`, headers: bearer(t.tokens.operator) })).json().spec).toMatchObject({ bak: [FULL], afterBak: [FULL, DIFF] });
    // a key column the table lacks fails the job, named as the API field it came from
    const badKey = await post({ kind: 'restore', bak: [FULL], afterBak: [FULL, DIFF], table: 'dbo.steps', key: ['nope'] });
    expect(badKey.statusCode).toBe(201);
    await t.app.worker.idle();
    const keyJob = (await t.app.inject({ url: `/api/jobs/${badKey.json().id}`, headers: bearer(t.tokens.operator) })).json();
    expect([keyJob.state, keyJob.error.code]).toEqual(['failed', 'INPUT_BAD_OPTION']);
    expect(keyJob.error.message).toMatch(/^key names column\(s\) nope that dbo\.steps does not have \(columns: step, dt\)/);
    // a stop before the first backup finished: the chain refusal, with the reachable range, fails the job
    const early = await post({ kind: 'restore', bak: [FULL], trn: LOGS, stopAt: '2017-06-01 12:00', afterBak: [FULL, DIFF], table: 'dbo.steps' });
    expect(early.statusCode).toBe(201);
    await t.app.worker.idle();
    const failed = (await t.app.inject({ url: `/api/jobs/${early.json().id}`, headers: bearer(t.tokens.operator) })).json();
    expect(failed.state).toBe('failed');
    expect(failed.error.message).toContain('12:59:13.000');
  });

  // A restore job's refusals named `rowback diff`'s flags: a full backup in trn failed the job "give it
  // with --bak", a two-set file was refused "choose one with --position N" (a restore job has no such
  // field, nor does diff), and a stop past the chain said "--stop-at …, which no --stop-at or
  // --stop-before-lsn reaches". Now the backups are checked at creation naming the field, and the
  // replay's reasons name the job's fields.
  it('refusals name the job\'s fields, not the CLI\'s flags', async () => {
    t = await realApp();
    const L1 = RTC('RestoreTimeClean_1.trn');
    const fullInTrn = await post({ kind: 'restore', bak: [FULL], trn: [FULL], stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps' });
    expect([fullInTrn.statusCode, fullInTrn.json().code, fullInTrn.json().field]).toEqual([400, 'INPUT_NOT_A_LOG_BACKUP', 'trn.0']);
    expect(fullInTrn.json().message).toMatch(/RestoreTimeClean\.bak is a full backup, not a log backup: give it in "bak"$/);
    const logInAfterBak = await post({ kind: 'restore', bak: [FULL], afterBak: [L1], table: 'dbo.steps' });
    expect([logInAfterBak.json().code, logInAfterBak.json().field]).toEqual(['INPUT_NOT_A_DATABASE_BACKUP', 'afterBak.0']);
    expect(logInAfterBak.json().message).toMatch(/is a log backup: give it in "afterTrn", and a full backup in "afterBak"$/);
    const twoSets = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    // replayed (trn) or read as it is, a file of several sets takes "position" (test/api/restore-job-position.test.ts)
    const several = await post({ kind: 'restore', bak: [twoSets], trn: [L1], stopAt: '2017-06-01 13:20', afterBak: [twoSets], afterPosition: 2, table: 'dbo.x' });
    expect([several.json().code, several.json().field]).toEqual(['INPUT_SEVERAL_BACKUP_SETS', 'bak.0']);
    expect(several.json().message).toContain('choose one with "position": N (RESTORE … WITH FILE = N), the full backup set the replay over "trn" starts from');
    expect(several.json().message).not.toContain('--position');
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
    const late = await post({ kind: 'restore', bak: [FULL], trn: [L1], stopAt: '2030-06-01 13:20', afterBak: [FULL, DIFF], table: 'dbo.steps' });
    expect(late.statusCode).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(late.json().id);
    expect(job.error?.code).toBe('INPUT_RESTORE_TOO_LATE');
    expect(job.error!.message).toMatch(/^stopAt 2030-06-01T13:20:00\.000 is after the last point/);
    expect(job.error!.message).toContain('which no stopAt or stopBeforeLsn reaches');
    expect(job.error!.message).not.toMatch(/(^|[^`\w-])--[a-z]/);
  });
});
