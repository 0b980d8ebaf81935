import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import Database from 'better-sqlite3';
import { StagingStore } from '../../src/staging/store.js';
import { migrate, MIGRATIONS } from '../../src/staging/migrations.js';
import { corpusRows } from './fixtures.js';

/**
 * Free text (`q`) is documented as "whole words of the values", and the FTS index was filled with
 * the row's values JSON as stored: its keys, the column names, were words of every row. `q=Name`
 * matched every dbo.T row (its values are 'hi'), `q=ColA` every LogTestTrailNull row, `q=Id` every
 * row of the job; a bulk decision by such a q decided every row of those tables, and a search for
 * a value that is also a column name ("Name", "Small", "Id") could not find the rows holding it.
 * Rows from REAL row images (corpus text-examples, fixtures.ts).
 */
describeCorpus('free text matches values, not column names', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-fts-keys-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a column name is no word of a row; its values are, before and after the worker indexes', () => {
    const j = store.createJob({ kind: 'files', spec: {}, createdBy: 't' } as never);
    store.stageBatch(j.id, corpusRows(60));
    const counts = () => ['Name', 'ColA', 'Id', 'D7default', 'Small', 'hi', 'trailing', '123.45'].map((q) => [q, store.countRows(j.id, { q })]);
    const want = [['Name', 0], ['ColA', 0], ['Id', 0], ['D7default', 0], ['Small', 0], ['hi', 10], ['trailing', 10], ['123.45', 20]];
    expect(counts()).toEqual(want);
    store.stageBatch(j.id, corpusRows(60, 60));
    store.indexPending();
    expect(counts()).toEqual(want.map(([q, n]) => [q, (n as number) * 2]));
  });

  it('migration 9: a version-7 file indexed with the column names answers by values alone', () => {
    const file = join(dir, 'v7.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 7));
    old.close();
    // rows staged and indexed as a version-7 rowback did (the values JSON, keys and all)
    const o = new Database(file);
    o.prepare(`INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'old job', 'succeeded', 'op', 'x')`).run();
    const ins = o.prepare(`INSERT INTO rows (job_id, tbl, lsn, operation, transaction_id, vals, raw) VALUES (1, 'dbo.T', ?, 'delete', '0000:1', ?, x'00')`);
    ins.run('1', JSON.stringify({ Id: 1, Name: 'hi' }));
    ins.run('2', JSON.stringify({ Id: 2, Name: 'Name' }));
    o.prepare('INSERT INTO rows_fts (rowid, vals) SELECT id, vals FROM rows').run();
    o.prepare('UPDATE fts_state SET indexed_upto = 2').run();
    expect((o.prepare(`SELECT count(*) AS n FROM rows_fts WHERE rows_fts MATCH '"Name"'`).get() as { n: number }).n).toBe(2);
    o.close();
    const s = new StagingStore(file);
    try {
      expect([s.countRows(1, { q: 'Name' }), s.countRows(1, { q: 'Id' }), s.countRows(1, { q: 'hi' }), s.countRows(1, { q: '2' })]).toEqual([1, 0, 1, 1]);
    } finally {
      s.close();
    }
  });
});
