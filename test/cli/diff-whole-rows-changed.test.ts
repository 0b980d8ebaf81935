/**
 * A comparison of whole rows (a heap and no key) cannot tell a deleted row from a changed one: the
 * changed row's earlier values are "missing", its new values one of the rows only the later state
 * holds. StDb2Sql.bak's 2009 and 2010 backups (corpus): students 80386 and 80484 moved (Address
 * changed), no one was deleted; `diff --stage` staged their 2009 rows as 2 deletes with the warning
 * "missing from the later state (rowback diff)" alone, and the re-insert dry run planned 2 INSERTs:
 * run, the two students were in the table twice (newcomer). Each such row now says it may be a
 * changed row and names the way to tell (a key); with `--key StudentID` they are changed rows, as
 * they are. A row missing while the later state holds no row of its own cannot be a changed row:
 * no such warning. The re-insert dry run and the SQL export say it in their header, naming the rows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { diffAsRecoveredRows } from '../../src/replay/compare.js';
import { StagingStore } from '../../src/staging/store.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-whole-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MAYBE_CHANGED = 'so this row may have been changed rather than deleted';

describeCorpus('diff of whole rows: a missing row that may be a changed one says so', () => {
  const S = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');

  it('StDb2Sql.bak 2009 against 2010 (heap, no key): each staged "delete" warns that it may be a changed row', async () => {
    const stage = join(dir, 'whole.db');
    const r = await cli('diff', '--bak', S, '--position', '1', '--after-bak', S, '--after-position', '2', '--table', 'dbo.Students', '--stage', stage, '--out', join(dir, 'whole.ndjson'), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    // the printed lines say it too, where a script reads them
    const printed = readFileSync(join(dir, 'whole.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(printed.map((x) => [x.change, x.mayBeChanged])).toEqual([['missing', true], ['missing', true]]);
    const store = new StagingStore(stage);
    try {
      const job = store.listJobs({ limit: 1 })[0]!;
      const rows = [...store.iterateRows(job.id, {})];
      expect(rows.map((x) => [x.operation, (x.values as Record<string, unknown>).StudentID]).sort()).toEqual([['delete', 80386], ['delete', 80484]]);
      for (const row of rows) {
        expect(row.warnings[0]).toBe('missing from the later state (rowback diff)');
        expect(row.warnings[1]).toContain('no key (a heap and no --key), so whole rows were compared');
        expect(row.warnings[1]).toContain(`the later state holds 3 row(s) the earlier one lacks, ${MAYBE_CHANGED}`);
        expect(row.warnings[1]).toContain('--key COLUMN');
      }
    } finally {
      store.close();
    }
    // by the key: the same two are changed rows (no delete staged)
    const keyed = join(dir, 'keyed.db');
    const k = await cli('diff', '--bak', S, '--position', '1', '--after-bak', S, '--after-position', '2', '--table', 'dbo.Students', '--key', 'StudentID', '--stage', keyed, '--out', join(dir, 'keyed.ndjson'), '--quiet');
    expect(k.code, k.stderr).toBe(0);
    expect(readFileSync(join(dir, 'keyed.ndjson'), 'utf8')).not.toContain('mayBeChanged');
    const ks = new StagingStore(keyed);
    try {
      const rows = [...ks.iterateRows(ks.listJobs({ limit: 1 })[0]!.id, {})];
      expect(rows.map((x) => x.operation)).toEqual(['update', 'update']);
      for (const row of rows) expect(row.warnings.join(' ')).not.toContain(MAYBE_CHANGED);
    } finally {
      ks.close();
    }
  }, 60_000);

  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('a restore job of them approved: the dry run and the SQL export warn in their header, naming the rows', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const created = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [S], position: 1, afterBak: [S], afterPosition: 2, table: 'dbo.Students' } });
    expect(created.statusCode, created.body).toBe(201);
    await t.app.worker.idle();
    const id = created.json().id as number;
    const decided = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'checked', all: true } });
    expect(decided.json().rows).toBe(2);
    const rowIds = ((await t.app.inject({ url: `/api/jobs/${id}/rows?limit=10`, headers: bearer(t.tokens.viewer) })).json().items as Array<{ id: number }>).map((x) => x.id);
    const want = `WARNING: 2 row(s) of dbo.Students (rows ${rowIds[0]}-${rowIds[1]}) were found by comparing whole rows (no key), and the later state holds rows the earlier one lacks: each ${MAYBE_CHANGED.replace('so this row ', '')}`;
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().script).toContain(want);
    const sql = await t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(sql.body).toContain(want);
  }, 60_000);

  it('no row only in the later state: a missing row of whole rows is not said to be a changed one', () => {
    const rows = diffAsRecoveredRows({ table: 'dbo.t', columns: ['a'], key: null, keyNote: 'no key (a heap and no --key), so whole rows were compared: a changed row shows as a missing row', missing: [{ values: { a: 1 } }], changed: [], added: 0, same: 4, unsure: [] }, { kind: 'bak', file: 'x.bak' });
    expect(rows.map((x) => x.warnings)).toEqual([['missing from the later state (rowback diff)']]);
  });
});
