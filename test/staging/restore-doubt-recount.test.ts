import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROW_PROVENANCE } from '../../src/recover/recovered-row.js';
import { MIGRATIONS, migrate } from '../../src/staging/migrations.js';
import { StagingStore } from '../../src/staging/store.js';

/**
 * Restore jobs counted before the lines saying where a row came from stopped counting as doubt
 * (test/api/restore-job-provenance-not-doubt.test.ts) kept their count in the staging file: every
 * one of them read doubtful still. Staging migration 15 counts them again; other jobs keep theirs.
 * SYNTHETIC store: jobs and rows written in SQL at schema version 14.
 */
it('migration 15: a restore job of provenance lines alone counts 0, one with a caution counts it; a files job is left as counted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-doubt-recount-'));
  try {
    const path = join(dir, 'old.db');
    const db = new Database(path);
    migrate(db, MIGRATIONS.filter((m) => m.version < 15));
    const job = db.prepare("INSERT INTO jobs (kind, spec, description, tables, operations, state, created_by, created_at, incomplete, warnings, rows_with_warnings) VALUES (?, '{}', 'old', '[]', '[\"delete\"]', 'succeeded', 'op', '2026-01-01', '[]', '[]', ?)");
    const restore = Number(job.run('restore', 3).lastInsertRowid);
    const files = Number(job.run('files', 1).lastInsertRowid);
    const row = db.prepare("INSERT INTO rows (job_id, tbl, lsn, operation, transaction_id, vals, raw, warnings) VALUES (?, 'dbo.T', ?, 'delete', '', '{}', X'', ?)");
    row.run(restore, 'a', JSON.stringify([ROW_PROVENANCE.missing, `${ROW_PROVENANCE.earlier}F.bak as of 2017-06-01 13:20`]));
    row.run(restore, 'b', JSON.stringify([`${ROW_PROVENANCE.changed}Name`, `${ROW_PROVENANCE.earlier}F.bak as of 2017-06-01 13:20`]));
    row.run(restore, 'c', JSON.stringify([ROW_PROVENANCE.missing, 'whole rows were compared; … this row may have been changed rather than deleted', `${ROW_PROVENANCE.earlier}F.bak`]));
    row.run(files, 'd', JSON.stringify([`${ROW_PROVENANCE.earlier}not a comparison's line in a files job`]));
    db.close();
    const store = new StagingStore(path);
    try {
      expect(store.requireJob(restore).rowsWithWarnings).toBe(1);
      expect(store.requireJob(files).rowsWithWarnings).toBe(1);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
