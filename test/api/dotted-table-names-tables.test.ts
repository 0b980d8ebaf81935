import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A job's `tables` names tables by their parts, as `scan --table` does. The metadata (SYNTHETIC DDL)
 * holds dbo.[tbl.Dept] (tblDept's columns, mapped to the REAL log's tblDept unit) and
 * [dbo.tbl].Dept (another table of the same `schema.name` text, mapped to a SYNTHETIC unit id): the
 * script was refused as one table created twice, `tables` was matched by text, and a plain
 * `dbo.tbl.Dept` could not say which table it meant. Now `[dbo].[tbl.Dept]` stages tblDept's 13
 * deletes under that name, `[dbo.tbl].[Dept]` none, and `dbo.tbl.Dept` is a 400 naming both in
 * brackets. REAL log: AngularJs_CRUD Database1_log.ldf (tblDept's 13 deletes on unit 72057594043629568).
 */
describeCorpus('a job\'s tables naming a table whose name holds a dot (real worker)', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const LDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const DDL = 'CREATE TABLE dbo.[tbl.Dept] (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL);\nCREATE TABLE [dbo.tbl].Dept (Id int NOT NULL PRIMARY KEY, Other int NULL)';
  const allocUnits = { '[dbo].[tbl.Dept]': '72057594043629568', '[dbo.tbl].[Dept]': '72057594049999872' };

  it.each([
    ['[dbo].[tbl.Dept]', 13],
    ['dbo.[tbl.Dept]', 13],
    ['[dbo.tbl].[Dept]', 0],
  ])('tables: [%s] stages %i rows, each under its own table', async (table, n) => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: LDF(), tables: [table], metadata: { ddl: DDL, allocUnits } } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.error?.message ?? null, job.rowsStaged]).toEqual(['succeeded', null, n]);
    if (n) expect(t.store.countRows(job.id, { table: '[dbo].[tbl.Dept]' })).toBe(n);
  });

  it('tables: [dbo.tbl.Dept], the schema.name text of both, is refused in one line naming both in brackets', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: LDF(), tables: ['dbo.tbl.Dept'], metadata: { ddl: DDL, allocUnits } } });
    expect([r.statusCode, r.json().code]).toEqual([400, 'INPUT_AMBIGUOUS_NAME']);
    expect(r.json().message).toContain('[dbo].[tbl.Dept] and [dbo.tbl].[Dept]: give the one meant in brackets');
  });

  it('tables naming a dotted table the job\'s metadata.ddl gives beside its mdf is accepted (it was refused as not in the data file: the metadata\'s names were compared as text)', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const mdf = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf, ldf: LDF(), tables: ['[dbo].[tbl.Dept]'], metadata: { ddl: DDL } } });
    expect(r.json().code, r.body).not.toBe('INPUT_UNKNOWN_TABLE');
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
  });
});
