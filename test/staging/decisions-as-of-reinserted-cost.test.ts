/**
 * A decision sent with `asOf` looks for rows a re-insert run put back since the read (store.ts
 * refuseChangedSince, reinsertedSince: the `reinsert.batch` audit entries after the token's, then
 * each batch's rows). That query joined the batches' keys (json_each, no index) with the job's rows,
 * and SQLite chose the rows outermost: at 100,000 rows and 2,000 batches recorded since, one
 * `all: true` decision took 88 s inside decide's write transaction (the staging store, so the whole
 * service, held meanwhile); 0.7 s with the keys outermost. Here 30,000 rows and 600 batches: ~8 s
 * before, well under a second now. Judged by the query plan SQLite chooses (EXPLAIN QUERY PLAN: the
 * keys outermost, the rows sought by primary key), not by a timing; the 30,000-row case checks the
 * answer at size.
 * Rows: test/staging/fixtures.ts corpusRows (REAL corpus row images); the run is SYNTHETIC, written
 * into the store as execute.ts recordOutcome records a batch (outcomes, statuses, its audit entry).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { reinsertedSinceSql, StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from './fixtures.js';

describeCorpus('asOf and the batches a run recorded since, at size', () => {
  it('30,000 rows, 600 batches recorded since the read: refused, naming the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-asof-cost-'));
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
      for (let i = 0; i < 30_000; i += 10_000) store.stageBatch(job.id, corpusRows(10_000, i));
      store.saveJobTables(job.id, Object.values(LAYOUTS));
      store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', all: true });
      const asOf = store.decisionSnapshot(job.id, {}, store.countRows(job.id, {}));
      const ids = (store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND status = 'approved' ORDER BY id").all(job.id) as { id: number }[]).map((r) => r.id);
      const runId = Number(store.db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'olga', ?, 0, '{}', 'succeeded', 50)").run(job.id, new Date().toISOString()).lastInsertRowid);
      const batch = store.db.prepare("INSERT INTO reinsert_batches (run_id, batch_no, batch_key, row_ids, state) VALUES (?, ?, ?, ?, 'committed')");
      const outcome = store.db.prepare("INSERT INTO reinsert_outcomes (run_id, row_id, batch_no, outcome, detail, side_table) VALUES (?, ?, ?, 'inserted', NULL, NULL)");
      const status = store.db.prepare("UPDATE rows SET status = 'reinserted' WHERE id = ?");
      store.db.transaction(() => {
        for (let b = 0; b < 600; b++) {
          const rows = ids.slice(b * 50, b * 50 + 50);
          batch.run(runId, b + 1, `synthetic-${runId}-${b + 1}`, JSON.stringify(rows));
          for (const id of rows) {
            outcome.run(runId, id, b + 1);
            status.run(id);
          }
          store.appendAudit('system', 'reinsert.batch', job.id, { runId, batchNo: b + 1, inserted: rows.length, conflicts: 0 });
        }
      })();
      let err: (Error & { code?: string }) | undefined;
      try {
        store.decide(job.id, { actor: 'rev', decision: 'reject', reason: 'r', all: true, asOf });
      } catch (e) {
        err = e as Error & { code?: string };
      }
      expect(err?.code).toBe('STAGING_DECISION_STALE');
      expect(err?.message).toContain(`were re-inserted since (reinserted now: put back into its table by run ${runId} of olga)`);
      // the plan of the query, for the two kinds of rows it is narrowed to (store.ts: a decision by
      // ids; by filter or all: true), on this store with its rows and statistics
      const keys = JSON.stringify([[runId, 1]]);
      for (const [among, args] of [['r.job_id = ? AND r.id <= ? AND r.id IN (SELECT value FROM json_each(?))', [job.id, 1e9, JSON.stringify(ids.slice(0, 5))]], ['r.job_id = ? AND r.id <= ?', [job.id, 1e9]]] as const) {
        const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${reinsertedSinceSql(among)}`).all(keys, ...args) as { detail: string }[]).map((p) => p.detail);
        // the batches' keys outermost; the job's rows never scanned, each sought by its primary key
        expect(plan[0]).toMatch(/^SCAN j\b/);
        const rows = plan.filter((d) => /^(SCAN|SEARCH) r\b/.test(d));
        expect(rows).toHaveLength(1);
        // sought by its id (the primary key, or an index holding it: rows_job_status … id=?)
        expect(rows[0]).toMatch(/^SEARCH r USING (INTEGER PRIMARY KEY \(rowid=\?\)|(COVERING )?INDEX \w+ \([^)]*\bid=\?)/);
      }
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
