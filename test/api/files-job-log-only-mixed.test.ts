import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A files job with no data file or backup (its table layout from `metadata`) whose log files are of
 * two databases: refused at creation, 400 INPUT_MIXED_DATABASES naming the field of the file that
 * differs, as a job with `mdf`/`bak` is (and as `scan --ldf A --trn B --ddl …` refuses it).
 * Before: the binding ids were compared only when the job's metadata was read from its files, so
 * this job was accepted (201) and failed when it ran. REAL files: AngularJs_CRUD Database1_log.ldf
 * (binding id 97C13D95-…) and StopAt_1.trn (database StopAt, 02A2883C-…), read where they are.
 */
describeCorpus('a log-only files job of two databases (real files)', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const LDF = corpusPath('AngularJs_CRUD/App_Data', 'Database1_log.ldf');
  const TRN = corpusPath('appveyor-lab/sql2008-backups/StopAt', 'StopAt_1.trn');
  const metadata = { ddl: 'CREATE TABLE dbo.Employee (Emp_Id int NOT NULL, Emp_Name varchar(max) NULL, Emp_City varchar(max) NULL, Emp_Age int NULL)', collation: 'SQL_Latin1_General_CP1_CI_AS', allocUnit: '72057594043432960' };
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const open = async () => (t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 }));

  it('ldf of one database, trn of another: 400 naming trn.0 and both binding ids', async () => {
    await open();
    const r = await post({ kind: 'files', ldf: LDF, trn: [TRN], metadata });
    expect([r.statusCode, r.json().code, r.json().field], r.body).toEqual([400, 'INPUT_MIXED_DATABASES', 'trn.0']);
    expect(r.json().message).toContain('97C13D95-088B-43ED-85E5-F9F10FED2D16 vs 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA');
  });

  it('the log file alone: accepted and staged (the check refuses only a mix)', async () => {
    await open();
    const r = await post({ kind: 'files', ldf: LDF, metadata });
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    expect(t!.store.requireJob(r.json().id).state).toBe('succeeded');
    expect(t!.store.requireJob(r.json().id).rowsStaged).toBe(3);
  });
});
