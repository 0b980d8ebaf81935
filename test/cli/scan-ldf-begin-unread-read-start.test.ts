import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { ldfSink, writeSyntheticLog, type LogBlockSink } from '../support/synthetic-log.js';

/**
 * `scan --ldf --from` over an .ldf whose log read starts while transactions are open: their
 * LOP_BEGIN_XACT is in log no longer in the file (its VLF reused since), so their Begin Time is not
 * known. Each was first read before any log lost (there is none), so its begin has an LSN below every
 * record read: written before the read's first commit, whose End Time is where the log read starts in
 * time. A `--from` after that commit does not ask for them; before, the scan said "INCOMPLETE: N
 * committed delete(s) of M transaction(s) whose LOP_BEGIN_XACT is not in the log read … whether they
 * began in the window cannot be told" (exit 3 under --strict, `complete` false, a job's `incomplete`),
 * a false alarm over a result the log read holds whole (committed.ts beginUnreadPlacedByGaps,
 * `read.files`). A `--from` at that commit still may ask for them: INCOMPLETE as before.
 *
 * SYNTHETIC: an .ldf written by test/support/synthetic-log.ts (five transactions in flight at once,
 * one event a second from 2026-03-05 14:00:00), whose first VLF (sequence 40) is written as never
 * used, so the log read starts with sequence 41, inside transactions begun in 40. `scan` runs as a
 * process (bin/rowback.js: the compiled CLI when dist/ is built and newer than the source).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = 7308000; // 2026-03-05 14:00:00, seconds since 2025-12-11 (synthetic-log.ts `second`)
let dir: string;
let ldf: string;
let ddl: string;
type Row = { transactionId: string; beginTime: string | null; endTime: string | null; lsn: string };
const rowsOf = (out: string): Row[] => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
const incomplete = (s: string) => s.split('\n').filter((l) => l.includes('INCOMPLETE'));

/** The sink `to` with the VLF of sequence `seq` written as never used (its log gone), every other VLF as it is. */
function withoutVlf(to: LogBlockSink, seq: number): LogBlockSink {
  return {
    startVlf(s, size, at, parity) {
      if (s === seq) to.unusedVlf!(size, at, 0);
      else to.startVlf(s, size, at, parity);
    },
    block(bytes, s, id, at) {
      if (s !== seq) to.block(bytes, s, id, at);
    },
    close: () => to.close(),
  };
}

const scan = (...argv: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), 'scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--format', 'ndjson', ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ldf-read-start-'));
  ldf = join(dir, 'contact_log.ldf');
  writeSyntheticLog([withoutVlf(ldfSink(ldf), 40)], { targetBytes: 4 * 64 * 1024, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true, second: (n) => BASE + n }, { allocUnitId: CONTACT_AU, vlfSize: 64 * 1024 });
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --from over an .ldf whose log read starts inside open transactions (SYNTHETIC)', () => {
  /** The read's first commit (report's startCommitTime), and the commit times of the transactions whose begin is not read. */
  const facts = () => {
    const report = join(dir, 'all.json');
    const r = scan('--quiet', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const rows = rowsOf(r.stdout);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { counts: { startCommitTime?: string } };
    const unread = new Map<string, string>();
    for (const x of rows) if (x.beginTime === null && x.endTime) unread.set(x.transactionId, x.endTime);
    return { rows, start: rep.counts.startCommitTime!, unreadEnds: [...unread.values()].sort() };
  };

  it('a window starting after the log read\'s first commit: whole, exactly the rows begun in it; the placed count in the report and its notes', () => {
    const { rows, start, unreadEnds } = facts();
    expect(start).toMatch(/^2026-03-05T14:0\d:\d\d\.\d{3}$/);
    // several transactions open where the read starts, some committing after its first commit
    expect(unreadEnds.length).toBeGreaterThanOrEqual(2);
    expect(unreadEnds[unreadEnds.length - 1]! > start).toBe(true);
    const from = start.replace(/\.(\d{3})$/, (_, ms: string) => `.${String(Number(ms) + 1).padStart(3, '0')}`);
    const report = join(dir, 'r.json');
    // (not --strict: every tenth transaction of the generator inserts a row beside its deletes, and
    // some rows carry warnings, exit 3 under --strict whatever the window)
    const r = scan('--from', from, '--report', report);
    expect(incomplete(r.stderr), r.stderr).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
    // the rows of the transactions begun from `from` on, as the scan without a window gives them
    const want = rows.filter((x) => x.beginTime !== null && x.beginTime >= from);
    expect(want.length).toBeGreaterThan(0);
    expect(rowsOf(r.stdout)).toEqual(want);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; notes: string[]; counts: Record<string, unknown> };
    expect(rep.complete).toBe(true);
    expect(rep.counts.beginUnreadRowOps ?? 0).toBe(0);
    const placed = rows.filter((x) => x.beginTime === null && x.endTime !== null && x.endTime >= from).length;
    expect(placed).toBeGreaterThan(0);
    expect(rep.counts.beginUnreadPlacedBeforeReadRowOps).toBe(placed);
    expect(rep.counts.beginUnreadPlacedOutsideRowOps).toBe(placed);
    expect(rep.counts.beginUnreadPlacedBeforeReadBy).toBe(start);
    // not a gap's bound
    expect(rep.counts.beginUnreadPlacedOutsideBy).toBeUndefined();
    expect(rep.notes).toContainEqual(`${placed} more committed delete(s) on table data rows began outside the window (${placed} in transactions whose LOP_BEGIN_XACT is not in the log read, first read before any log lost or in no file given, so began before the log read, which starts at ${start} (the End Time of its first commit, the SQL Server's local time), before the window's start): not in this result; widen the window (or drop it) to see them`);
  }, 60_000);

  it('a window starting at the log read\'s first commit: INCOMPLETE as before (a transaction begun before the read may have begun then)', () => {
    const { start } = facts();
    const report = join(dir, 'at.json');
    const r = scan('--from', start, '--quiet', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(incomplete(r.stderr)).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/)]);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
    expect(rep.complete).toBe(false);
    expect(rep.counts.beginUnreadPlacedBeforeReadRowOps).toBeUndefined();
  }, 60_000);

  it('a files job says it alike: complete after the first commit, its rows the scan\'s; INCOMPLETE from it', async () => {
    const { rows, start } = facts();
    const from = start.replace(/\.(\d{3})$/, (_, ms: string) => `.${String(Number(ms) + 1).padStart(3, '0')}`);
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const metadata = { ddl: readFileSync(ddl, 'utf8'), allocUnit: CONTACT_AU };
      const after = w.submit({ kind: 'files', ldf, metadata, from }, 'op');
      const at = w.submit({ kind: 'files', ldf, metadata, from: start }, 'op');
      await w.idle();
      const a = store.requireJob(after.id);
      expect(a.error).toBeNull();
      expect(a.incomplete, JSON.stringify(a.incomplete)).toEqual([]);
      expect(a.complete).toBe(true);
      expect(a.rowsStaged).toBe(rows.filter((x) => x.beginTime !== null && x.beginTime >= from).length);
      const notes = store.audit({ jobId: after.id }).filter((x) => x.action === 'job.notes').flatMap((x) => x.details.notes as string[]);
      expect(notes).toContainEqual(expect.stringMatching(/^\d+ more committed delete\(s\) on table data rows began outside the window \(\d+ in transactions whose LOP_BEGIN_XACT is not in the log read, first read before any log lost or in no file given, so began before the log read, which starts at /));
      const b = store.requireJob(at.id);
      expect(b.complete).toBe(false);
      expect(b.incomplete, JSON.stringify(b.incomplete)).toContainEqual(expect.stringMatching(/^INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/));
    } finally {
      store.close();
    }
  }, 60_000);
});
