/**
 * A live job's window and the "before the log read begins" check (ba0a4628): a live server returns
 * only the transactions begun in the window (sql.ts scanSql tests Begin Time >= @fromTime), so the
 * counts' firstBeginTime is never before `from`, and every live job (and `scan --server --from`)
 * that returned a row after its `from` was INCOMPLETE, 'the window starts at …, before the log read
 * begins: its first transaction began at …' (the first row's own transaction). The live source says
 * where the online log begins itself (its note, from the window probe). SYNTHETIC answers shaped like
 * the server's (test/recover/sources/live-progress.test.ts); no server here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LiveSource } from '../../src/recover/sources/live.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { OneDeleteLiveRunner } from '../support/fake-live-customers.js';


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-live-before-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a live job with from before its one transaction (begun 14:07:09.123) is not said to start before the log read', async () => {
  const store = new StagingStore(join(dir, 'staging.db'));
  try {
    // the online log's VLF list is not asked for (the probe is passed over with startLsn given)
    const w = new JobWorker({ store, openSource: async () => new LiveSource({ database: 'CRM', runner: new OneDeleteLiveRunner(), startLsn: { vlf: 0x2a, block: 0x1f0, slot: 1 } }) });
    const job = w.submit({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', from: '2024-03-05T14:00' }, 'op');
    await w.idle();
    const done = store.requireJob(job.id);
    expect(done.error).toBeNull();
    expect(store.countRows(job.id, {})).toBe(1);
    expect((done.incomplete ?? []).filter((n) => n.includes('before the log read begins'))).toEqual([]);
  } finally {
    store.close();
  }
}, 60_000);

/**
 * The other side: the online log itself begins after `from` (its oldest VLF's first transaction,
 * found by the window probe, began 14:07:09.123; the log before it was truncated), and no log
 * backup is read: the window's first stretch is in no log read. It was a note ("the online log
 * begins with a transaction at …"), the job complete and `scan --server --strict` exit 0. Now
 * INCOMPLETE (RecoverySource.logStartsAfterWindow, window-before-log.ts onlineLogStartClause).
 */
it('a live job whose window starts before the online log begins (the probe) is INCOMPLETE; from after it is not', async () => {
  const store = new StagingStore(join(dir, 'staging-probe.db'));
  try {
    const w = new JobWorker({ store, openSource: async () => new LiveSource({ database: 'CRM', runner: new OneDeleteLiveRunner() }) });
    const early = w.submit({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', from: '2024-03-05T14:00' }, 'op');
    await w.idle();
    const done = store.requireJob(early.id);
    expect(done.error).toBeNull();
    expect(store.countRows(early.id, {})).toBe(1);
    expect(done.complete).toBe(false);
    expect((done.incomplete ?? []).filter((n) => n.includes('before the online log begins'))).toEqual([
      "INCOMPLETE: the window starts at 2024-03-05T14:00:00.000, before the online log begins: its first transaction began at 2024-03-05T14:07:09.123 (the SQL Server's local time), and transactions begun before that are only in log backups (the log was truncated by a log backup, or a checkpoint under SIMPLE recovery): their rows are not in this result; add the log backups of that time (a log-backup job, logBackups), or start the window later (from)",
    ]);
    const late = w.submit({ kind: 'live', server: 'Server=fake;Database=CRM', database: 'CRM', from: '2024-03-05T14:07:09.123' }, 'op');
    await w.idle();
    expect((store.requireJob(late.id).incomplete ?? []).filter((n) => n.includes('before the online log begins'))).toEqual([]);
  } finally {
    store.close();
  }
}, 60_000);
