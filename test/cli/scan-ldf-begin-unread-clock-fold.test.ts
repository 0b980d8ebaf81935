import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { ldfSink, withoutVlf, writeSyntheticLog } from '../support/synthetic-log.js';

/**
 * The read's start placing transactions whose LOP_BEGIN_XACT is not in the log read (2e9a9560)
 * relies on a clock that ran forward from their begin to the read's first commit: "not on a clock
 * set back" (stats.clockBackwards). But a step back before the first commit read shows in no commit
 * read: the autumn daylight-saving change sets the clock back an hour, and a log read starting just
 * after it holds only times after it. Transactions begun at 14:01:20-24 by the clock before the step,
 * the read's first commit at 13:01:25 after it, committing at 13:41 (the clock went on): `--from
 * 13:30`, a time of the repeated hour, left them out as "began before the log read, which starts at
 * 13:01:25" and said the result whole, while their Begin Time is in the window as rowback compares
 * it (a begin read would have been printed, with the clock's WARNING). Before 2e9a9560 their commit
 * (13:41, after --from) made them INCOMPLETE. Now the read's start places a transaction only when the
 * window starts more than an hour (CLOCK_FOLD_MS) after it.
 *
 * SYNTHETIC: an .ldf written by test/support/synthetic-log.ts whose first VLF (sequence 40) is written
 * as never used (its log gone, the read starting with 41 inside five open transactions); one event a
 * second from 2026-03-05 14:00:00, the clock set back an hour at the read's first commit (event 85)
 * and, six events on, forward 40 minutes. `scan` runs as a process (bin/rowback.js).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = 7308000; // 2026-03-05 14:00:00, seconds since 2025-12-11 (synthetic-log.ts `second`)
const STEP = 85; // the event of the read's first commit (the first VLF read starts there)
let dir: string;
let ldf: string;
let ddl: string;
type Row = { transactionId: string; beginTime: string | null; endTime: string | null; lsn: string };
const rowsOf = (out: string): Row[] => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

const scan = (...argv: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), 'scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--format', 'ndjson', '--quiet', ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ldf-clock-fold-'));
  ldf = join(dir, 'contact_log.ldf');
  writeSyntheticLog([withoutVlf(ldfSink(ldf), 40)], {
    targetBytes: 4 * 64 * 1024, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true,
    second: (n) => (n < STEP ? BASE + n : n < STEP + 6 ? BASE + n - 3600 : BASE + n - 1200),
  }, { allocUnitId: CONTACT_AU, vlfSize: 64 * 1024 });
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --from over an .ldf whose read starts just after the clock was set back (SYNTHETIC)', () => {
  it('the read starts after the step, inside transactions begun before it: no commit read shows the step', () => {
    const report = join(dir, 'all.json');
    const r = scan('--report', report);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { counts: { startCommitTime: string; clockBackwards?: unknown } };
    expect(rep.counts.startCommitTime).toBe('2026-03-05T13:01:25.000');
    expect(rep.counts.clockBackwards).toBeUndefined();
    // committing after 13:30 by the clock set back, their begin not read
    expect(rowsOf(r.stdout).filter((x) => x.beginTime === null && x.endTime! > '2026-03-05T13:30').length).toBeGreaterThan(0);
  }, 60_000);

  it('--from 13:30, in the hour the step repeats: INCOMPLETE over them, not left out as begun before the read', () => {
    const report = join(dir, 'w.json');
    const r = scan('--from', '2026-03-05T13:30', '--report', report);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
    expect(rep.counts.beginUnreadPlacedBeforeReadRowOps, r.stderr).toBeUndefined();
    expect(rep.complete).toBe(false);
    expect(r.stderr).toMatch(/INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/);
  }, 60_000);

  it('--from more than an hour after the read\'s first commit: placed before the read, whole', () => {
    const report = join(dir, 'late.json');
    const r = scan('--from', '2026-03-05T14:01:25.001', '--report', report);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect(rep.complete).toBe(true);
  }, 60_000);
});
