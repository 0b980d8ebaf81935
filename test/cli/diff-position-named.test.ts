/**
 * The two backup sets of one file compared (`diff --position 1 --after-position 2`, a restore job's
 * `position` / `afterPosition`): everything that names the files named the file alone. The job list
 * read "dbo.Students (StDb2Sql.bak) against StDb2Sql.bak: 2 missing" — a file against itself —,
 * the notes "note (earlier state, StDb2Sql.bak) … note (later state, StDb2Sql.bak)", each staged row
 * "earlier state: StDb2Sql.bak as the backup holds it" with `source: {kind: 'bak', file}`, although
 * the file holds both the 2009 backup (Mark Mathews at 45 Fairfield) and the 2010 one (88 Burger
 * Street): a reviewer checking a row against "the backup" could not tell which (newcomer). Now each
 * names its backup set (RESTORE … WITH FILE = N), and a row's source carries `position`.
 * REAL: StDb2Sql.bak (corpus, SQL Server 2005, two full backups WITH NOINIT).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-position-named-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a file of two backup sets compared with itself: the sets are named, not the file alone', () => {
  const S = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');

  it('diff --stage: the job description, its notes and each row name the backup set', async () => {
    const stage = join(dir, 'cli.db');
    const r = await cli('diff', '--bak', S, '--position', '1', '--after-bak', S, '--after-position', '2', '--table', 'dbo.Students', '--stage', stage, '--out', join(dir, 'cli.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note (earlier state, ${S} (backup set 1))`);
    expect(r.stderr).toContain(`note (later state, ${S} (backup set 2))`);
    const store = new StagingStore(stage);
    try {
      const job = store.listJobs({ limit: 1 })[0]!;
      expect(job.description).toBe(`dbo.Students (${S} (backup set 1)) against ${S} (backup set 2): 2 missing, 0 changed`);
      // the database the rows were read from (backup set 1's header), for re-insert to compare with its target's
      expect(job.sourceDatabase).toEqual({ name: 'StDb2SQL', bindingId: '9806B29B-06E9-427F-B9C1-33AD25EBB639', familyGuid: '5CE131C5-A31D-4D20-A654-2F17A06044DC' });
      const rows = [...store.iterateRows(job.id, {})];
      expect(rows.map((x) => (x.values as Record<string, unknown>).Address).sort()).toEqual(['45 Fairfield', '57 Oracle Rd.']);
      for (const row of rows) {
        expect(row.meta.source).toEqual({ kind: 'bak', file: S, position: 1 });
        // as the service's restore job says it (a CLI-staged row said only "missing from the later state")
        expect(row.warnings).toContain(`earlier state: ${S} (backup set 1) as the backup holds it`);
      }
    } finally {
      store.close();
    }
  }, 60_000);

  it('diff --stage with relative paths: the job names its files by absolute paths (the service and its page read it from another folder)', async () => {
    const rel = relative(process.cwd(), S);
    expect(isAbsolute(rel)).toBe(false);
    const stage = join(dir, 'rel.db');
    const r = await cli('diff', '--bak', rel, '--position', '1', '--after-bak', rel, '--after-position', '2', '--table', 'dbo.Students', '--stage', stage, '--out', join(dir, 'rel.ndjson'), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const store = new StagingStore(stage);
    try {
      const job = store.listJobs({ limit: 1 })[0]!;
      expect(job.description).toBe(`dbo.Students (${S} (backup set 1)) against ${S} (backup set 2): 2 missing, 0 changed`);
      expect(job.spec).toMatchObject({ bak: [S], afterBak: [S], position: 1, afterPosition: 2 });
      for (const row of store.iterateRows(job.id, {})) expect(row.meta.source).toEqual({ kind: 'bak', file: S, position: 1 });
    } finally {
      store.close();
    }
  }, 60_000);

  it('diff --stage of a replayed earlier state: the description names its log backups, as the service\'s restore job does', async () => {
    const f = (x: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', x);
    const stage = join(dir, 'replayed.db');
    // the later state: the full backup alone, older than 13:01 (on purpose: a comparison with
    // nothing missing or changed stages no job, diff-stage-nothing.test.ts)
    const r = await cli('diff', '--bak', f('RestoreTimeClean.bak'), '--trn', f('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01 13:01', '--after-bak', f('RestoreTimeClean.bak'), '--accept-older-later', '--table', 'dbo.steps', '--stage', stage, '--out', join(dir, 'replayed.ndjson'), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const store = new StagingStore(stage);
    try {
      expect(store.listJobs({ limit: 1 })[0]!.description).toBe(`dbo.steps at 2017-06-01 13:01 (${f('RestoreTimeClean.bak')}, ${f('RestoreTimeClean_1.trn')}) against ${f('RestoreTimeClean.bak')}: 4 missing, 0 changed (4 of them inserted after the later state, which is older: compared on purpose, --accept-older-later; never re-insert them)`);
      expect(r.stderr).toMatch(new RegExp(`^rowback diff: staged as restore job 1 in ${stage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nrowback diff: warning: the later state `));
    } finally {
      store.close();
    }
  }, 60_000);

  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('a restore job (API): description, row warnings, sources and notes name the backup set', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [S], position: 1, afterBak: [S], afterPosition: 2, table: 'dbo.Students' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().description).toBe(`dbo.Students (${S} (backup set 1)) against ${S} (backup set 2)`);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect([job.state, job.rowsStaged]).toEqual(['succeeded', 2]);
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ warnings: string[]; meta: { source: unknown } }>;
    for (const row of rows) {
      expect(row.warnings).toContain(`earlier state: ${S} (backup set 1) as the backup holds it`);
      expect(row.meta.source).toEqual({ kind: 'bak', file: S, position: 1 });
    }
    const audit = (await t.app.inject({ url: `/api/audit?jobId=${job.id}&limit=100`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ action: string; details: { notes?: string[] } }>;
    const notes = audit.find((a) => a.action === 'job.notes')!.details.notes!;
    expect(notes.some((n) => n.startsWith(`note (earlier state, ${S} (backup set 1))`)), notes.join('\n')).toBe(true);
    expect(notes.some((n) => n.startsWith(`note (later state, ${S} (backup set 2))`)), notes.join('\n')).toBe(true);
  }, 60_000);
});
