/**
 * `--key` in another letter case: `diff … --table STEPS` finds dbo.steps (a table name's case is
 * taken as SQL Server takes it under a case-insensitive collation: exact first, another case when
 * one table has it), but `--key STEP` was refused, "names column(s) STEP that dbo.steps does not
 * have (columns: step, dt)" (newcomer). A key column is now found the same way: exact first, else
 * the one column of that name in another case; the staged job keeps the column's own spelling.
 * A column named twice in two cases is refused. A restore job (API) typed `[DBO].[students]` with
 * key `studentid` is listed, once compared, under the table's own name (it stayed `[DBO].[students]`
 * in the job list and the page's title, over rows of dbo.Students). REAL: StDb2Sql.bak (2009 and 2010 backups, dbo.Students).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-key-case-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('diff --key in another letter case', () => {
  const S = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
  const diff = (...more: string[]) => cli('diff', '--bak', S, '--position', '1', '--after-bak', S, '--after-position', '2', '--table', 'STUDENTS', ...more);

  it('--key studentid matches on StudentID, as --key StudentID does', async () => {
    const stage = join(dir, 's.db');
    const r = await diff('--key', 'studentid', '--stage', stage, '--out', join(dir, 'k.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('0 missing from the later state, 2 changed, 1 only in the later state');
    expect(r.stderr).toContain('matched on --key (StudentID)');
    const store = new StagingStore(stage);
    try {
      const job = store.listJobs({ limit: 1 })[0]!;
      expect((job.spec as { key: string[] }).key).toEqual(['StudentID']);
    } finally {
      store.close();
    }
  }, 60_000);

  it('a column named twice in two cases, and a column the table lacks, are refused', async () => {
    expect(expectOneLineError(await diff('--key', 'StudentID,STUDENTID'), 'INPUT_BAD_OPTION')).toContain('--key names column StudentID twice');
    expect(expectOneLineError(await diff('--key', 'StudentNo'), 'INPUT_BAD_OPTION')).toContain('--key names column(s) StudentNo that dbo.Students does not have');
  }, 60_000);

  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('a restore job typed [DBO].[students], key studentid: matched on StudentID, listed as dbo.Students', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [S], position: 1, afterBak: [S], afterPosition: 2, table: '[DBO].[students]', key: ['studentid'] } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = (await t.app.inject({ url: `/api/jobs/${r.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    expect([job.state, job.rowsStaged, job.tables]).toEqual(['succeeded', 2, ['dbo.Students']]);
    expect(job.description).toBe(`dbo.Students (${S} (backup set 1)) against ${S} (backup set 2)`);
  }, 60_000);
});
