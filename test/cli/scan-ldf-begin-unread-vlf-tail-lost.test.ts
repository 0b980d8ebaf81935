import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_AU, CONTACT_DDL, copyWith, writeFilledVlfLdf } from '../support/synthetic-contact.js';

/**
 * The read's start placing transactions whose LOP_BEGIN_XACT is not in the log read (2e9a9560,
 * committed.ts beginUnreadPlacedByGaps `read.files`) took "first read before any log lost" as "its
 * begin is below every record read". But an .ldf VLF whose last blocks were lost (zeroed, torn) is
 * told from one whose log simply ended there only by the size the next VLF's first block names for
 * the block before it (reader.ts ldfVlfEndLoss): when the last block read is as large as the lost
 * last block (60 KB blocks, as a bulk delete writes them), no loss is reported. A transaction begun
 * in that lost tail, inside the window, first read in the next VLF, was left out as "began before
 * the log read, which starts at 14:00:05" while it began at 16:11:21: the scan said whole
 * (`complete: true`, no INCOMPLETE) with 13 rows of 5 transactions begun in the window missing. Now
 * a transaction is placed by the read's start only when its first record read lies in a VLF no later
 * than that of the commit the read's start is (a lost VLF tail before it lies below that commit).
 *
 * SYNTHETIC: an .ldf written by test/support/synthetic-log.ts (VLFs of 8 KB + 4 blocks of 60 KB,
 * every block 60 KB; one event a second from 2026-03-05 14:00:00, two hours on after the read's
 * first commit at 14:00:05, so that the window starts more than an hour after it), then the last block of VLF 41
 * zeroed in a copy. `scan` runs as a process (bin/rowback.js).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = 7308000; // 2026-03-05 14:00:00, seconds since 2025-12-11 (synthetic-log.ts `second`)
let dir: string;
let intact: string;
let zeroed: string;
let ddl: string;
type Row = { transactionId: string; beginTime: string | null; endTime: string | null; lsn: string };
const rowsOf = (out: string): Row[] => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

const scan = (ldf: string, ...argv: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), 'scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--format', 'ndjson', '--quiet', ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-vlf-tail-'));
  intact = join(dir, 'contact_log.ldf');
  zeroed = join(dir, 'contact_log_tail_zeroed.ldf');
  // the last two blocks of VLF 41 as large as each other: the last one lost cannot be told by size
  const { last41: last } = writeFilledVlfLdf(intact, { second: (n) => BASE + n + (n > 5 ? 7200 : 0) });
  copyWith(intact, zeroed, (b) => b.fill(0, last.at, last.at + last.size));
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, CONTACT_DDL);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --from over an .ldf whose VLF lost its last block unseen (SYNTHETIC)', () => {
  it('transactions begun in the lost tail, inside the window, are not placed before the log read: INCOMPLETE over them', () => {
    const all = rowsOf(scan(intact).stdout);
    const from = '2026-03-05T16:11:00';
    const report = join(dir, 'r.json');
    const r = scan(zeroed, '--from', from, '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const got = rowsOf(r.stdout);
    const ids = new Set(got.map((x) => x.transactionId));
    // transactions begun in the window whose rows the zeroed copy gives none or only some of
    const wanted = all.filter((x) => x.beginTime !== null && x.beginTime >= from);
    const missing = wanted.filter((x) => !got.some((y) => y.lsn === x.lsn));
    const begunInTail = new Set(missing.map((x) => x.transactionId).filter((t) => !ids.has(t)));
    expect(missing.length).toBeGreaterThan(0);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; incomplete: string[]; counts: Record<string, unknown> };
    // the result lacks rows of transactions begun in the window: never said whole
    expect(rep.complete, `${missing.length} row(s) of ${begunInTail.size} transaction(s) begun in the window missing`).toBe(false);
    expect(r.stderr).toMatch(/INCOMPLETE: \d+ committed delete\(s\) of \d+ transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/);
    expect(rep.counts.beginUnreadPlacedBeforeReadRowOps).toBeUndefined();
  }, 120_000);

  it('the intact .ldf: the same window is whole, exactly the rows begun in it', () => {
    const all = rowsOf(scan(intact).stdout);
    const from = '2026-03-05T16:11:00';
    const report = join(dir, 'i.json');
    const r = scan(intact, '--from', from, '--report', report);
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect((JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean }).complete).toBe(true);
    expect(rowsOf(r.stdout)).toEqual(all.filter((x) => x.beginTime !== null && x.beginTime >= from));
  }, 120_000);
});
