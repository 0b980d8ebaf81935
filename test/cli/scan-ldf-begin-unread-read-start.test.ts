import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { ldfSink, withoutVlf, writeSyntheticLog } from '../support/synthetic-log.js';
import { trnChainSink } from '../support/synthetic-trn.js';

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
 * With an .ldf whose log read also holds older log cut off from the rest (FileRecoverySource.logWholeFrom:
 * the sequence between reused since, its log lost with no LSN range among the losses), a transaction
 * first read past the break may have begun in that lost stretch: the read's start is then the first
 * commit past the break. A chain of log backups starting at a later one (no full backup given) starts
 * inside open transactions as the .ldf does.
 *
 * SYNTHETIC: .ldf files and log backups written by test/support/synthetic-log.ts and synthetic-trn.ts
 * (five transactions in flight at once, one event a second from 2026-03-05 14:00:00, two hours on
 * past the read's first commit, so that the transactions open there commit more than an hour after
 * it: the read's start places only for a window starting more than an hour after it, committed.ts
 * CLOCK_FOLD_MS); in the first
 * .ldf the first VLF (sequence 40) is written as never used, so the log read starts with sequence 41,
 * inside transactions begun in 40; in the second, sequence 39 between the older 37, 38 and 40 on is.
 * `scan` runs as a process (bin/rowback.js: the compiled CLI when dist/ is built and newer than the
 * source).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = 7308000; // 2026-03-05 14:00:00, seconds since 2025-12-11 (synthetic-log.ts `second`)
let dir: string;
let ldf: string;
let ddl: string;
type Row = { transactionId: string; beginTime: string | null; endTime: string | null; lsn: string };
const rowsOf = (out: string): Row[] => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
const incomplete = (s: string) => s.split('\n').filter((l) => l.includes('INCOMPLETE'));


const scanOf = (input: string[], ...argv: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), 'scan', ...input, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--format', 'ndjson', ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};
const scan = (...argv: string[]) => scanOf(['--ldf', ldf], ...argv);
/** An ISO time a millisecond later (no carry: the times here end in .000). */
const plus1ms = (t: string) => t.replace(/\.(\d{3})$/, (_, ms: string) => `.${String(Number(ms) + 1).padStart(3, '0')}`);
/**
 * An ISO time an hour and a millisecond later: the read's start places a transaction only for a
 * window starting more than an hour after it (committed.ts CLOCK_FOLD_MS: a clock set back before
 * the read's first commit is not seen).
 */
const plusHour1ms = (t: string) => new Date(Date.parse(`${t}Z`) + 3_600_001).toISOString().slice(0, 23);
/** The event (synthetic-log.ts `second`, one a second from BASE) of an ISO time of the clock before any jump. */
const eventAt = (t: string) => (Date.parse(`${t}Z`) - Date.parse('2026-03-05T14:00:00Z')) / 1000;
/** One event a second from BASE, and two hours later past event `e`: the transactions open at the read's start commit more than an hour after it. */
const jumpAfter = (e: number) => (n: number) => BASE + n + (n > e ? 7200 : 0);
/** The commit times (ISO) of the transactions whose begin is not read, from a scan without a window. */
const unreadEnds = (out: string) => {
  const m = new Map<string, string>();
  for (const x of rowsOf(out)) if (x.beginTime === null && x.endTime) m.set(x.transactionId, x.endTime);
  return [...m.values()].sort();
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ldf-read-start-'));
  ldf = join(dir, 'contact_log.ldf');
  // the read's first commit is event 85 (14:01:25), the first of sequence 41
  writeSyntheticLog([withoutVlf(ldfSink(ldf), 40)], { targetBytes: 4 * 64 * 1024, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true, second: jumpAfter(85) }, { allocUnitId: CONTACT_AU, vlfSize: 64 * 1024 });
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
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { counts: { startCommitTime?: string } };
    return { rows: rowsOf(r.stdout), start: rep.counts.startCommitTime!, unreadEnds: unreadEnds(r.stdout) };
  };

  it('a window starting more than an hour after the log read\'s first commit: whole, exactly the rows begun in it; the placed count in the report and its notes', () => {
    const { rows, start, unreadEnds } = facts();
    expect(start).toMatch(/^2026-03-05T14:0\d:\d\d\.\d{3}$/);
    // several transactions open where the read starts, some committing after its first commit
    expect(unreadEnds.length).toBeGreaterThanOrEqual(2);
    expect(unreadEnds[unreadEnds.length - 1]! > start).toBe(true);
    const from = plusHour1ms(start);
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
    const from = plusHour1ms(start);
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

describe('scan --from over an .ldf holding older log cut off from the rest, and over a chain starting at a later log backup (SYNTHETIC)', () => {
  let cut: string;
  let trn: string[];
  beforeAll(() => {
    // sequences 37, 38 (older), 39 reused since (written as never used here), 40-42 and 43 (wrapped round);
    // written once with the clock one event a second to find the first commit past the break, then
    // again with the clock two hours on past it (the same records, LSNs and VLFs)
    const writeCut = (path: string, second: (n: number) => number) => writeSyntheticLog([withoutVlf(ldfSink(path), 39)], { targetBytes: Infinity, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true, second }, { allocUnitId: CONTACT_AU, vlfSize: 64 * 1024, vlfLayout: [{ seq: 43, parity: 0x80 }, { seq: 40 }, { seq: 37 }, { seq: 38 }, { seq: 39 }, { seq: 41 }, { seq: 42 }] });
    writeCut(join(dir, 'cut0_log.ldf'), (n) => BASE + n);
    const firstPast = unreadEnds(scanOf(['--ldf', join(dir, 'cut0_log.ldf')], '--quiet').stdout)[0]!;
    cut = join(dir, 'cut_log.ldf');
    writeCut(cut, jumpAfter(eventAt(firstPast)));
    // the first log backup left out: the chain read starts at the second, inside open transactions (its first commit found as above)
    const writeChain = (to: string, second: (n: number) => number) => {
      mkdirSync(to, { recursive: true });
      const chain = trnChainSink({ dir: to, backupBytes: 200 * 1024 });
      writeSyntheticLog([chain.sink], { targetBytes: 3 * 1024 * 1024, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true, second }, { allocUnitId: CONTACT_AU, vlfSize: 1024 * 1024 });
      return chain.backups.slice(1).map((b) => b.file);
    };
    const trn0 = writeChain(join(dir, 'chain0'), (n) => BASE + n);
    scanOf(['--trn', ...trn0], '--quiet', '--report', join(dir, 'chain0.json'));
    const start0 = (JSON.parse(readFileSync(join(dir, 'chain0.json'), 'utf8')) as { counts: { startCommitTime: string } }).counts.startCommitTime;
    trn = writeChain(join(dir, 'chain'), jumpAfter(eventAt(start0)));
  }, 120_000);

  it('an .ldf with older log cut off: judged by the first commit past the break, not the read\'s first commit', () => {
    const all = scanOf(['--ldf', cut], '--quiet', '--report', join(dir, 'cut-all.json'));
    const rep = JSON.parse(readFileSync(join(dir, 'cut-all.json'), 'utf8')) as { counts: { startCommitTime: string } };
    const ends = unreadEnds(all.stdout);
    // the transactions open across the break: first read past it, their begins in sequence 39 or before
    expect(ends.length).toBeGreaterThanOrEqual(2);
    const readStart = rep.counts.startCommitTime;
    const firstPast = ends[0]!;
    expect(readStart < firstPast).toBe(true);
    // after the read's first commit (in sequence 37), before the first commit past the break: they may
    // have begun in the lost sequence 39, in the window: INCOMPLETE over them still; and within an
    // hour after that commit (a clock set back before it is not seen)
    for (const from of [plus1ms(readStart), firstPast, plus1ms(firstPast)]) {
      const r = scanOf(['--ldf', cut], '--quiet', '--from', from, '--report', join(dir, 'cut-w.json'));
      expect(incomplete(r.stderr), `${from}: ${r.stderr}`).toContainEqual(expect.stringMatching(/^rowback scan: INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/));
      const w = JSON.parse(readFileSync(join(dir, 'cut-w.json'), 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
      expect(w.complete).toBe(false);
      expect(w.counts.beginUnreadPlacedBeforeReadRowOps).toBeUndefined();
    }
    // more than an hour after the first commit past the break (the first of theirs here): whole, said by that commit
    const from = plusHour1ms(firstPast);
    const report = join(dir, 'cut-r.json');
    const r = scanOf(['--ldf', cut], '--from', from, '--report', report);
    expect(incomplete(r.stderr), r.stderr).toEqual([]);
    const w = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; notes: string[]; counts: Record<string, unknown> };
    expect(w.complete).toBe(true);
    expect(w.counts.beginUnreadPlacedBeforeReadBy).toBe(firstPast);
    expect(w.counts.beginUnreadPlacedBeforeReadRowOps).toBeGreaterThan(0);
    expect(w.notes).toContainEqual(expect.stringContaining(`so began before the log read is whole from, at ${firstPast} (the End Time of its first commit past the older log cut off from it, the SQL Server's local time), before the window's start`));
    expect(rowsOf(r.stdout)).toEqual(rowsOf(all.stdout).filter((x) => x.beginTime !== null && x.beginTime >= from));
  }, 60_000);

  it('a chain of log backups starting at a later one: whole after the read\'s first commit, INCOMPLETE from it', () => {
    const report = join(dir, 'trn-all.json');
    const all = scanOf(['--trn', ...trn], '--quiet', '--report', report);
    const start = (JSON.parse(readFileSync(report, 'utf8')) as { counts: { startCommitTime: string } }).counts.startCommitTime;
    const ends = unreadEnds(all.stdout);
    expect(ends.length).toBeGreaterThanOrEqual(2);
    expect(ends[ends.length - 1]! > start).toBe(true);
    const from = plusHour1ms(start);
    const r = scanOf(['--trn', ...trn], '--quiet', '--from', from, '--report', join(dir, 'trn-r.json'));
    expect(incomplete(r.stderr), r.stderr).toEqual([]);
    const w = JSON.parse(readFileSync(join(dir, 'trn-r.json'), 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
    expect(w.complete).toBe(true);
    expect(w.counts.beginUnreadPlacedBeforeReadBy).toBe(start);
    expect(rowsOf(r.stdout)).toEqual(rowsOf(all.stdout).filter((x) => x.beginTime !== null && x.beginTime >= from));
    const at = scanOf(['--trn', ...trn], '--quiet', '--from', start);
    expect(incomplete(at.stderr)).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/)]);
  }, 60_000);
});
