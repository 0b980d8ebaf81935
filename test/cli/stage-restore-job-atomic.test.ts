/**
 * `diff --stage` / `restore run --stage` stage a comparison as one restore job (stageRestoreJob).
 * Its rows were committed 1,000 at a time, each batch its own transaction, after the job was
 * created `running`: a failure between two batches (a full disk: SQLITE_FULL) or a kill left a
 * `running` job holding part of the rows, which a service started on the file later lists as
 * resumable (a resume compares again, from the files at the spec's paths, maybe changed since,
 * and keys rows by their position in the comparison). The job is now staged in one transaction:
 * whole, or not at all.
 *
 * SYNTHETIC: a comparison of 2,500 missing rows of a made-up table dbo.T, written here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { stageRestoreJob } from '../../src/cli/stage-restore-job.js';
import { StagingError } from '../../src/errors.js';
import type { TableDiff } from '../../src/replay/table-diff.js';
import { StagingStore } from '../../src/staging/store.js';
import { col, table } from '../staging/fixtures.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-stage-atomic-')); });
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const diff: TableDiff = {
  table: 'dbo.T', columns: ['Id', 'Name'], key: ['Id'], keyNote: null,
  missing: Array.from({ length: 2500 }, (_, i) => ({ values: { Id: i + 1, Name: `row ${i + 1}` } })),
  changed: [], added: 0, same: 0, unsure: [],
};
const stage = (path: string) => stageRestoreJob(path, {
  spec: { bak: ['/evidence/db.bak'], table: 'dbo.T' }, description: 'dbo.T (SYNTHETIC)', diff,
  layout: table('dbo.T', [col('Id', 'int'), col('Name', 'nvarchar')]),
  source: { kind: 'bak', file: '/evidence/db.bak' } as never, audit: { action: 'diff.stage', details: {} }, sourceDatabase: null,
});

it('a failure part-way (the second batch of 1,000 rows) leaves no job, not a running one with 1,000 rows', () => {
  const path = join(dir, 'staging.db');
  const real = StagingStore.prototype.stageBatch;
  let calls = 0;
  vi.spyOn(StagingStore.prototype, 'stageBatch').mockImplementation(function (this: StagingStore, ...a: Parameters<StagingStore['stageBatch']>) {
    if (++calls === 2) throw new StagingError('STAGING_WRITE_FAILED', 'database or disk is full (SQLITE_FULL)');
    return real.apply(this, a);
  });
  expect(() => stage(path)).toThrow(/disk is full/);
  const store = new StagingStore(path);
  try {
    expect(store.listJobs({ limit: 10 }).map((j) => [j.state, j.rowsStaged])).toEqual([]);
    expect(store.recoverInterruptedJobs()).toEqual([]);
  } finally {
    store.close();
  }
});

it('staged whole: one succeeded job of 2,500 rows', () => {
  const path = join(dir, 'staging.db');
  const id = stage(path);
  const store = new StagingStore(path);
  try {
    expect(store.requireJob(id)).toMatchObject({ state: 'succeeded', rowsStaged: 2500 });
    expect(store.countRows(id, {})).toBe(2500);
  } finally {
    store.close();
  }
});
