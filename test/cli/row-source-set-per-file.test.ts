/**
 * A side read from a full backup and a differential that are two sets of ONE file (`--bak F F
 * --position 1,2`, a restore job's `"bak": [F, F], "position": [1, 2]`): each staged row's source
 * named the file alone, `{kind: 'bak', file: F}`, where F holds both backups (comparisonRowSource
 * named no set rather than guess which of the two the row's page came from). The page source now
 * says the set each page is read from (pageSet), and the row's source names it: `position: 2` for
 * the rows of the differential's pages, read as they are or as the replay's base. A row scan read
 * from a log backup set of a file of several (`scan --trn L`, L = RestoreTimeClean_1.trn with
 * RestoreTimeClean_2.trn appended) named the file and a byte offset alone; its source now names the
 * set too (`position`), on one decode thread or several alike. Files of one set are unchanged:
 * `{kind: 'bak', file: RestoreTimeClean2.bak}`, no position.
 *
 * SYNTHETIC file made at test time from REAL corpus bytes (appendedBackupSet: RestoreTimeClean.bak
 * whole, then RestoreTimeClean2.bak, its differential, from its SSET block on). Never in the repo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';
import { captureCli } from '../support/cli.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
let F: string;
let L: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-row-source-set-'));
  F = join(dir, 'full-diff.bak');
  writeFileSync(F, appendedBackupSet(RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')));
  L = join(dir, 'log-log.trn');
  writeFileSync(L, appendedBackupSet(RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each distinct source of the rows of the last job staged in `db`, with how many rows have it. */
function sourcesOf(db: string): Record<string, number> {
  const store = new StagingStore(db);
  try {
    const job = store.listJobs({ limit: 1 })[0]!;
    const out: Record<string, number> = {};
    for (const row of store.iterateRows(job.id, {})) {
      const k = JSON.stringify(row.meta.source);
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  } finally {
    store.close();
  }
}

describeCorpus('a row read from a file of several sets names its set in its source', () => {
  const later = ['--after-bak', RTC('RestoreTimeClean.bak'), '--accept-older-later', '--table', 'dbo.steps', '--quiet'];
  let staged = 0;
  const stage = async (...argv: string[]) => {
    const db = join(dir, `stage-${++staged}.db`);
    const r = await cli('diff', ...argv, ...later, '--stage', db, '--out', join(dir, `out-${staged}.ndjson`));
    expect(r.code, r.stderr).toBe(0);
    return sourcesOf(db);
  };

  it('diff --stage, read as it is: the differential\'s set (2); one-set files unchanged', async () => {
    expect(await stage('--bak', F, F, '--position', '1,2')).toEqual({ [JSON.stringify({ kind: 'bak', file: F, position: 2 })]: 30 });
    expect(await stage('--bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'))).toEqual({ [JSON.stringify({ kind: 'bak', file: RTC('RestoreTimeClean2.bak') })]: 30 });
  }, 60_000);

  it('diff --stage, replayed: the base rows name the set, the log rows their log backup', async () => {
    const replay = ['--trn', RTC('RestoreTimeClean2_1.trn'), '--stop-at', '2017-06-01T13:17'];
    expect(await stage('--bak', F, F, '--position', '1,2', ...replay)).toEqual({
      [JSON.stringify({ kind: 'bak', file: F, position: 2 })]: 30,
      [JSON.stringify({ kind: 'trn', file: RTC('RestoreTimeClean2_1.trn') })]: 6,
    });
  }, 60_000);
});

describeCorpus('scan: a row read from a log backup set of a file of several names the set', () => {
  it('scan --trn L: position 1 and 2, as RestoreTimeClean_1.trn and _2.trn give the rows; one-set files unchanged', async () => {
    const sources = async (threads: string, ...trn: string[]) => {
      const r = await cli('scan', '--bak', RTC('RestoreTimeClean.bak'), '--trn', ...trn, '--op', 'insert', '--table', 'dbo.steps', '--decode-threads', threads, '--quiet');
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim().split('\n').map((l) => { const s = (JSON.parse(l) as { source: Record<string, unknown> }).source; delete s.offset; return JSON.stringify(s); });
    };
    const one = await sources('1', RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'));
    expect(one).toHaveLength(20);
    expect(one.every((x) => !x.includes('position'))).toBe(true);
    const several = await sources('1', L);
    expect(several).toEqual([...Array(10).fill(JSON.stringify({ kind: 'trn', file: L, position: 1 })), ...Array(10).fill(JSON.stringify({ kind: 'trn', file: L, position: 2 }))]);
    expect(await sources('3', L)).toEqual(several);
  }, 60_000);
});

describeCorpus('a restore job\'s rows read from a file of several sets name the set', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('bak [F, F], position [1, 2], read as it is: source position 2', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [F, F], position: [1, 2], afterBak: [RTC('RestoreTimeClean.bak')], acceptOlderLater: true, table: 'dbo.steps' } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const rows = (await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=100`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ meta: { source: unknown } }>;
    expect(rows).toHaveLength(30);
    for (const row of rows) expect(row.meta.source).toEqual({ kind: 'bak', file: F, position: 2 });
  }, 60_000);
});
