import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLog } from '../support/synthetic-log.js';
import { trnChainSink, type SyntheticTrnBackup } from '../support/synthetic-trn.js';

/**
 * A log backup left out of the chain (FORMAT_LOG_CHAIN_GAP) and a window starting after it: the
 * transactions open where the gap ends have no LOP_BEGIN_XACT in the log read (it is in the backup
 * left out, or earlier), and those committing in the window made the scan INCOMPLETE ("whose
 * LOP_BEGIN_XACT is not in the log read … whether they began in the window cannot be told"), exit 3
 * under --strict and `complete` false in --report, over the very rows the whole chain gives. Their first record read comes right after
 * the gap, so they began in it or before it: by the gap's `before` bound (the first transaction begun
 * past it; FileRecoverySource.chainGapTimes). A window starting after that bound does not ask for them
 * (committed.ts beginUnreadPlacedByGaps); one starting at or before it still may: INCOMPLETE as before.
 * Nor does a window between the read's first commit (a begin before the read began by then) and the
 * gap's `after` bound (a breaker's case: 14:00:30 to 14:00:40, before the gap, exit 3).
 *
 * SYNTHETIC: log backups written by test/support/synthetic-trn.ts from the log of
 * test/support/synthetic-log.ts, five transactions in flight at once (some open at every cut); the
 * log's clock runs 8 events a second from 14:00:30, so the log of backup 2 (left out) lies between
 * the start dates of backups 1 and 2 (14:01, 14:02), as a real chain's does; its first eight events
 * (the first transactions' begins and the read's first commit) at 12:00:00-07, so that a window after
 * 14:00:30 starts more than an hour after the read's first commit (committed.ts CLOCK_FOLD_MS: a
 * clock set back before it is not seen).
 */
const cli = captureCli();
let dir: string;
let backups: SyntheticTrnBackup[];
let ddl: string;
const BASE = 7308000; // 2026-03-05 14:00:00, seconds since 2025-12-11 (synthetic-log.ts `second`)
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const lsnText = (l: { vlf: number; block: number; slot: number }) => `${hex8(l.vlf)}:${hex8(l.block)}:${l.slot.toString(16).padStart(4, '0')}`;
type Row = { transactionId: string; beginTime: string | null; endTime: string | null; lsn: string };
const rowsOf = (out: string): Row[] => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
const incomplete = (s: string) => s.split('\n').filter((l) => l.includes('INCOMPLETE'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-chain-gap-unread-'));
  const chain = trnChainSink({ dir, backupBytes: 200 * 1024 });
  writeSyntheticLog([chain.sink], { targetBytes: 3 * 1024 * 1024, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true, second: (n) => (n < 8 ? BASE - 7200 + n : BASE + 30 + Math.floor(n / 8)) }, { allocUnitId: CONTACT_AU, vlfSize: 1024 * 1024 });
  backups = chain.backups;
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: a window after a missing log backup, transactions open across its end (SYNTHETIC)', () => {
  const dec = () => ['--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--format', 'ndjson'];
  const whole = () => backups.map((b) => b.file);
  // backup 2 left out
  const gapped = () => backups.filter((_, i) => i !== 1).map((b) => b.file);
  /** The commit times (ISO) of the transactions first read right after the gap whose begin is not read (beginTime null without a window). */
  const unreadCommits = async (): Promise<string[]> => {
    const r = await cli('scan', '--trn', ...gapped(), ...dec());
    const after = lsnText({ ...backups[2]!.firstLsn, slot: 0 });
    const ends = new Map<string, string>();
    for (const x of rowsOf(r.stdout)) if (x.beginTime === null && x.lsn >= after && x.endTime) ends.set(x.transactionId, x.endTime);
    return [...ends.values()].sort();
  };

  it('a window starting after the gap\'s bound: whole, the rows of the whole chain', async () => {
    expect(backups.length).toBeGreaterThanOrEqual(4);
    const ends = await unreadCommits();
    expect(ends.length).toBeGreaterThanOrEqual(2);
    // from the last of their commits: the first of them committed earlier, and the first transaction
    // begun past the gap (its `before` bound) began by then (one ends, the next begins)
    const from = ends[ends.length - 1]!;
    expect(ends[0]! < from).toBe(true);
    const w = ['--from', from, '--to', from.replace(/:(\d\d)\.\d+$/, (_, s: string) => `:${String(Math.min(59, Number(s) + 5)).padStart(2, '0')}.999`)];
    const full = await cli('scan', '--trn', ...whole(), ...dec(), '--strict', ...w);
    const report = join(dir, 'r.json');
    const gap = await cli('scan', '--trn', ...gapped(), ...dec(), '--strict', '--report', report, ...w);
    expect(incomplete(gap.stderr), gap.stderr).toEqual([]);
    expect(gap.stderr).toMatch(/^rowback scan: note: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\).*wholly outside that stretch/m);
    // the exit code of the whole chain's (under --strict, 3 there too when a row in the window carries a
    // warning: every tenth transaction of the generator inserts a row beside its deletes); no INCOMPLETE
    expect(gap.code, gap.stderr).toBe(full.code);
    expect(rowsOf(gap.stdout).length).toBeGreaterThan(0);
    expect(gap.stdout).toBe(full.stdout);
    const r = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
    expect(r.complete).toBe(true);
    expect(r.counts.beginUnreadRowOps ?? 0).toBe(0);
    expect(r.counts.beginUnreadPlacedOutsideTransactions).toBeGreaterThanOrEqual(1);
    expect(r.counts.beginUnreadPlacedOutsideBy).toBeDefined();
    expect(r.counts.beginUnreadPlaces).toBeUndefined();
  });

  it('a window between the log read\'s start and the gap: whole too; one reaching back to the read\'s first commit INCOMPLETE', async () => {
    const report = join(dir, 'r2.json');
    // more than an hour after the read's first commit (12:00:05; the others began from 14:00:30), ending before backup 1 began (14:01)
    const w = ['--from', '2026-03-05T14:00:40', '--to', '2026-03-05T14:00:50'];
    const full = await cli('scan', '--trn', ...whole(), ...dec(), '--strict', ...w);
    const gap = await cli('scan', '--trn', ...gapped(), ...dec(), '--strict', '--report', report, ...w);
    expect(incomplete(gap.stderr), gap.stderr).toEqual([]);
    expect(gap.code, gap.stderr).toBe(full.code);
    expect(rowsOf(gap.stdout).length).toBeGreaterThan(0);
    expect(gap.stdout).toBe(full.stdout);
    const r = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
    expect(r.complete).toBe(true);
    expect(r.counts.beginUnreadPlacedOutsideTransactions).toBeGreaterThanOrEqual(1);
    expect(r.counts.beginUnreadPlacedOutsideBy).toBeUndefined();
    // from the read's first commit: a transaction begun before the read may have begun then
    const first = String(r.counts.startCommitTime);
    const at = await cli('scan', '--trn', ...gapped(), ...dec(), '--strict', '--from', first, '--to', '2026-03-05T14:00:50');
    expect(at.code).toBe(3);
    expect(incomplete(at.stderr)).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/)]);
  });

  it('a files job says it alike: complete, its rows the whole chain\'s; INCOMPLETE from the bound', async () => {
    const ends = await unreadCommits();
    const from = ends[ends.length - 1]!;
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const metadata = { ddl: readFileSync(ddl, 'utf8'), allocUnit: CONTACT_AU };
      const after = w.submit({ kind: 'files', trn: gapped(), metadata, from }, 'op');
      const whole = w.submit({ kind: 'files', trn: backups.map((b) => b.file), metadata, from }, 'op');
      const at = w.submit({ kind: 'files', trn: gapped(), metadata, from: ends[0]! }, 'op');
      await w.idle();
      const a = store.requireJob(after.id);
      expect(a.error).toBeNull();
      expect(a.incomplete, JSON.stringify(a.incomplete)).toEqual([]);
      expect(a.complete).toBe(true);
      expect(a.rowsStaged).toBeGreaterThan(0);
      expect(a.rowsStaged).toBe(store.requireJob(whole.id).rowsStaged);
      const b = store.requireJob(at.id);
      expect(b.complete).toBe(false);
      expect(b.incomplete, JSON.stringify(b.incomplete)).toContainEqual(expect.stringMatching(/^INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/));
    } finally {
      store.close();
    }
  });

  it('a window starting at or before the bound: INCOMPLETE as before', async () => {
    const ends = await unreadCommits();
    // from the first of their commits: the first transaction begun past the gap may have begun then
    const from = ends[0]!;
    const gap = await cli('scan', '--trn', ...gapped(), ...dec(), '--strict', '--from', from);
    expect(gap.code).toBe(3);
    expect(incomplete(gap.stderr)).toContainEqual(expect.stringMatching(/^rowback scan: INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/));
  });
});
