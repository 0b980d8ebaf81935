/**
 * A log read with a script of two tables, each given its AllocUnitId, and `--table` (a job's
 * `tables`) asking for one: the other table's deletes are outside what was asked, as with a data file.
 * Before, the table not asked for was dropped from the layouts, so its 3 deletes were said "on
 * allocation units the table metadata does not know … not in this result" (rows of a table the
 * metadata lacks) and its mapping "mistyped": "--alloc-unit maps dbo.Employee to 72057594043432960,
 * and no row of the log was on that unit, while 3 row operation(s) are on units no table names:
 * AllocUnitId 72057594043432960 ×3 … check the id" — the very unit it was given. Now it is kept known
 * and left out by the table filter: no such note, the same rows. REAL: AngularJs_CRUD
 * Database1_log.ldf (13 deletes of dbo.tblDept on unit 72057594043629568, 3 of dbo.Employee on
 * 72057594043432960, as test/api/incident-desk.test.ts reads them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { captureCli, cliWithOutFile } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';

const TWO = 'CREATE TABLE dbo.tblDept (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName varchar(150) NULL, DeptDesc varchar(500) NULL);\n'
  + 'CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(50) NULL, Emp_City varchar(50) NULL, Emp_Age int NULL)';
const DEPT_AU = '72057594043629568';
const EMP_AU = '72057594043432960';

describeCorpus('--alloc-unit for two tables, --table for one (real log)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-au-filter-'));
    writeFileSync(join(dir, 'two.sql'), TWO);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = cliWithOutFile(captureCli(), () => dir);
  const ldf = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const rows = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { table: string; lsn: string; values: unknown });

  it('scan: the table not asked for is neither "not in this result" nor "mistyped"; the rows are those of the two-table scan for that table', async () => {
    const args = ['scan', '--ldf', ldf(), '--ddl', join(dir, 'two.sql'), '--alloc-unit', `dbo.tblDept=${DEPT_AU}`, '--alloc-unit', `dbo.Employee=${EMP_AU}`];
    const all = await cli(...args);
    expect(all.code, all.stderr).toBe(0);
    const one = await cli(...args, '--table', 'dbo.tblDept');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).not.toContain('no row of the log was on that unit');
    expect(one.stderr).not.toContain('allocation units the table metadata does not know');
    expect(rows(one.stdout)).toHaveLength(13);
    expect(rows(one.stdout)).toEqual(rows(all.stdout).filter((r) => r.table === 'dbo.tblDept'));
    // a unit really mistyped (a digit off) is still said, with --table too
    const typo = await cli('scan', '--ldf', ldf(), '--ddl', join(dir, 'two.sql'), '--alloc-unit', `dbo.tblDept=72057594043629567`, '--alloc-unit', `dbo.Employee=${EMP_AU}`, '--table', 'dbo.tblDept');
    expect(typo.stderr).toContain(`--alloc-unit maps dbo.tblDept to 72057594043629567, and no row of the log was on that unit, while 13 row operation(s) are on units no table names: AllocUnitId ${DEPT_AU} ×13`);
  }, 60_000);

  describeCorpus('a files job', () => {
    let t: TestApp | undefined;
    afterEach(async () => { await t?.close(); t = undefined; });
    it('tables: [dbo.tblDept] with metadata.allocUnits for both: 13 rows staged, no note of the other table', async () => {
      t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
      const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: ldf(), tables: ['dbo.tblDept'], metadata: { ddl: TWO, allocUnits: { 'dbo.tblDept': DEPT_AU, 'dbo.Employee': EMP_AU } } } });
      expect(r.statusCode, r.body).toBe(201);
      await t.app.worker.idle();
      const job = t.store.requireJob(r.json().id);
      expect([job.state, job.rowsStaged]).toEqual(['succeeded', 13]);
      const notes = (t.store.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')?.details.notes ?? []) as string[];
      expect(notes.join('\n')).not.toContain('no row of the log was on that unit');
      expect(notes.join('\n')).not.toContain('allocation units the table metadata does not know');
      expect(job.rowsLeftOut).not.toBe(true);
    }, 60_000);
  });
});
