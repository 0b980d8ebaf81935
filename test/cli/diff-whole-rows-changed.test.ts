/**
 * A comparison of whole rows (a heap and no key) cannot tell a deleted row from a changed one: the
 * changed row's earlier values are "missing", its new values one of the rows only the later state
 * holds. StDb2Sql.bak's 2009 and 2010 backups (corpus): students 80386 and 80484 moved (Address
 * changed), no one was deleted; `diff --stage` staged their 2009 rows as 2 deletes with the warning
 * "missing from the later state (rowback diff)" alone, and the re-insert dry run planned 2 INSERTs:
 * run, the two students were in the table twice (newcomer). Each such row now says it may be a
 * changed row and names the way to tell (a key); with `--key StudentID` they are changed rows, as
 * they are. A row missing while the later state holds no row of its own cannot be a changed row:
 * no such warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { diffAsRecoveredRows } from '../../src/replay/compare.js';
import { StagingStore } from '../../src/staging/store.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

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
    const ks = new StagingStore(keyed);
    try {
      const rows = [...ks.iterateRows(ks.listJobs({ limit: 1 })[0]!.id, {})];
      expect(rows.map((x) => x.operation)).toEqual(['update', 'update']);
      for (const row of rows) expect(row.warnings.join(' ')).not.toContain(MAYBE_CHANGED);
    } finally {
      ks.close();
    }
  }, 60_000);

  it('no row only in the later state: a missing row of whole rows is not said to be a changed one', () => {
    const rows = diffAsRecoveredRows({ table: 'dbo.t', columns: ['a'], key: null, keyNote: 'no key (a heap and no --key), so whole rows were compared: a changed row shows as a missing row', missing: [{ values: { a: 1 } }], changed: [], added: 0, same: 4 }, { kind: 'bak', file: 'x.bak' });
    expect(rows.map((x) => x.warnings)).toEqual([['missing from the later state (rowback diff)']]);
  });
});
