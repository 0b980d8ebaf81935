import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { isDoubtWarning, ROW_PROVENANCE } from '../../src/recover/recovered-row.js';
import { StagingStore } from '../../src/staging/store.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { backupAsDataFile, ghostRowInDataFile } from '../support/backup-as-data-file.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A row staged from a comparison (a restore job, `diff --stage`) carries where it came from in its
 * `warnings`: "missing from the later state (rowback diff)" (or "changed in the later state: …") and
 * "earlier state: FILES as of T". Those are provenance, not doubt: nothing in them says a value may
 * be wrong. They were counted as "rows with warnings" all the same, so every restore job, however
 * clean, read as doubtful: `rowsWithWarnings` equal to its rows, the review page's "This job's result is
 * doubtful: 3 row(s) with warnings: a value may be wrong or missing", and every dry run, real run and
 * SQL export headed "WARNING: job N's result is doubtful: 3 of its rows carry warnings of their own"
 * (newcomer DBA, incident 1: three rows missing from a later data file, nothing in doubt). A real
 * caution on such a row (whole rows compared: the row may have been changed rather than deleted) is
 * still counted.
 * REAL files: RestoreTimeClean's full backup and first three log backups (the earlier state replayed
 * to 13:13:50), and its full + differential backups laid out as a data file with three dbo.steps
 * rows (steps 5, 6, 7) deleted as a data file holds a delete (ghostRowInDataFile: a SYNTHETIC change
 * of SQL Server's own page standing for a delete); StDb2Sql.bak's two backup sets (two students who
 * moved, whole rows compared: each staged row says it may have been changed).
 */
const cli = captureCli();

describeCorpus('restore jobs: where a row came from is not a warning of doubt', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  const STDB = corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');
  let dir: string;
  let later: string;
  let t: TestApp | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-provenance-'));
    backupAsDataFile([FULL, DIFF], join(dir, 'l0.mdf'));
    ghostRowInDataFile(join(dir, 'l0.mdf'), join(dir, 'l1.mdf'), 0x99, 5);
    ghostRowInDataFile(join(dir, 'l1.mdf'), join(dir, 'l2.mdf'), 0x99, 6);
    later = join(dir, 'later.mdf');
    ghostRowInDataFile(join(dir, 'l2.mdf'), later, 0x99, 7);
  });
  afterEach(async () => { await t?.close(); t = undefined; });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a clean comparison: rowsWithWarnings 0, no "doubtful" in the dry run or the export; the rows keep their provenance', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [FULL], trn: LOGS.slice(0, 3), stopAt: '2017-06-01 13:13:50', afterMdf: [later], table: 'dbo.steps' } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = (await t.app.inject({ url: `/api/jobs/${r.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(job).toMatchObject({ state: 'succeeded', rowsStaged: 3, complete: true, incomplete: [], warnings: [], rowsWithWarnings: 0 });
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ id: number; values: { step: number }; warnings: string[] }>;
    expect(rows.map((x) => x.values.step)).toEqual([5, 6, 7]);
    for (const row of rows) {
      expect(row.warnings[0]).toBe('missing from the later state (rowback diff)');
      expect(row.warnings[1]).toMatch(/^earlier state: .*RestoreTimeClean\.bak.* as of 2017-06-01 13:13:50$/);
    }
    const ids = rows.map((x) => x.id);
    const ok = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'owner confirmed', ids } });
    expect(ok.statusCode, ok.body).toBe(200);
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().jobDoubt).toBeNull();
    expect(dry.json().script).not.toContain('is doubtful');
    expect(dry.json().rowIds).toEqual(ids);
    const sql = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(sql.headers['x-rowback-rows-with-warnings']).toBe('0');
    expect(sql.body).not.toContain('is doubtful');
  });

  it('diff --stage: the same job, rowsWithWarnings 0', async () => {
    const db = join(dir, 'staged.db');
    const d = await cli('diff', '--bak', FULL, '--trn', ...LOGS.slice(0, 3), '--stop-at', '2017-06-01 13:13:50', '--after-mdf', later, '--table', 'dbo.steps', '--stage', db, '--quiet', '--out', join(dir, 'changes.ndjson'));
    expect(d.code, d.stderr).toBe(0);
    const store = new StagingStore(db);
    try {
      expect(store.listJobs()[0]).toMatchObject({ kind: 'restore', rowsStaged: 3, complete: true, warnings: [], rowsWithWarnings: 0 });
    } finally {
      store.close();
    }
  });

  it('a real caution on such a row is still counted: whole rows compared, the later state holding rows of its own', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [STDB], position: 1, afterBak: [STDB], afterPosition: 2, table: 'dbo.Students' } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = (await t.app.inject({ url: `/api/jobs/${r.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    expect(job).toMatchObject({ state: 'succeeded', rowsStaged: 2, rowsWithWarnings: 2 });
  });
});

it("the review page tells provenance from doubt by the same texts (no ⚠ on a clean restore job's rows)", () => {
  const app = readFileSync(new URL('../../web/app.js', import.meta.url), 'utf8');
  const fn = /function isDoubtWarning\(w\) \{[\s\S]*?\n\}/.exec(app)?.[0];
  expect(fn).toBeDefined();
  for (const text of Object.values(ROW_PROVENANCE)) expect(fn).toContain(`'${text}'`);
  // eslint-disable-next-line no-new-func -- the page's own function, run on the lines src judges
  const page = new Function(`${fn}; return isDoubtWarning;`)() as (w: string) => boolean;
  const lines = [ROW_PROVENANCE.missing, `${ROW_PROVENANCE.changed}Name`, `${ROW_PROVENANCE.earlier}/x/full.bak as of 2017-06-01 13:20`, 'column Name: value cut at 8 bytes', 'whole rows were compared; … may have been changed rather than deleted'];
  expect(lines.map(page)).toEqual(lines.map(isDoubtWarning));
  expect(lines.map(isDoubtWarning)).toEqual([false, false, false, true, true]);
  expect(app).toContain('.filter(isDoubtWarning)');
});
