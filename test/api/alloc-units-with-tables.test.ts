import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * `scan --ldf LOG --ddl two-tables.sql --table dbo.tblDept --alloc-unit ID` scans the one table named
 * (an id alone maps the one --table names; with --table only the tables it names are taken from the
 * script). The same job through the API, `tables: ['dbo.tblDept']` with `metadata.allocUnit` or with
 * `metadata.allocUnits` naming tblDept alone, was refused or failed for the table it did not ask for.
 * REAL log: AngularJs_CRUD Database1_log.ldf (tblDept's 13 deletes on unit 72057594043629568).
 */
describeCorpus('a log-only job of one table of a two-table script (real worker)', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const LDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const TWO = 'CREATE TABLE dbo.tblDept (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL);\nCREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(50) NULL, Emp_City varchar(50) NULL, Emp_Age int NULL)';
  const AU = '72057594043629568';

  it.each([
    ['allocUnit', { allocUnit: AU }],
    ['allocUnits naming it alone', { allocUnits: { tblDept: AU } }],
  ])('tables: [dbo.tblDept] with metadata.%s stages its 13 deletes, as scan --table does', async (_, ids) => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: LDF(), tables: ['dbo.tblDept'], metadata: { ddl: TWO, ...ids } } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.error?.message ?? null, job.rowsStaged]).toEqual(['succeeded', null, 13]);
  });

  it('a log-only job leaving a table of its script unmapped is refused at creation, naming metadata.allocUnits (it was accepted, then failed in the CLI\'s words)', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: LDF(), metadata: { ddl: TWO, allocUnits: { tblDept: AU } } } });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'INPUT_NO_ALLOC_UNIT', 'metadata.allocUnits']);
    expect(r.json().message).toContain('nothing maps dbo.Employee to one; give metadata.allocUnits');
    expect(r.json().message).not.toContain('--alloc-unit');
  });
  it('metadata.allocUnits keyed by a database-qualified name: refused naming the table meant, or saying none is (no table named that the script lacks)', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const post = (key: string) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload: { kind: 'files', ldf: LDF(), tables: ['dbo.tblDept'], metadata: { ddl: TWO, allocUnits: { [key]: AU } } } });
    // it was refused INPUT_BAD_IDENTIFIER before the script's tables were read, "names the table dbo.Nope"
    const meant = await post('[Database1].[dbo].[tblDept]');
    expect([meant.statusCode, meant.json().code, meant.json().field], meant.body).toEqual([400, 'INPUT_UNKNOWN_TABLE', 'metadata.allocUnits.[Database1].[dbo].[tblDept]']);
    expect(meant.json().message).toContain('so give the table as dbo.tblDept');
    const none = await post('[Database1].[dbo].[Nope]');
    expect([none.statusCode, none.json().code], none.body).toEqual([400, 'INPUT_UNKNOWN_TABLE']);
    expect(none.json().message).toContain('would be dbo.Nope or Database1.dbo, neither of which is among the tables read');
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
  });
});
