import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLog, type LogBlockSink } from '../support/synthetic-log.js';
import { trnChainSink, type SyntheticTrnBackup } from '../support/synthetic-trn.js';

/**
 * A transaction whose LOP_BEGIN_XACT is not in the log read, first read after a missing log backup
 * (FORMAT_LOG_CHAIN_GAP), was placed by the gap's `before` bound (the first transaction begun past
 * it) as begun in the gap or before it (committed.ts beginUnreadPlacedByGaps, by0). But log lost
 * between the gap's end and its first record read is not always seen: a VLF whose last block was
 * zeroed, as large as the block before it, reads as the VLF's unused tail (docs/offline-log.md, "What
 * cannot be told from the bytes"). Transactions begun in that lost tail at 14:22:33-37, first read in
 * the next VLF, were left out of `--from 14:22` as "began by 14:03:00", and the scan said whole
 * (`complete: true`, no INCOMPLETE). A stretch places a transaction only when no VLF boundary lies
 * between the stretch's end and its first record read (or, by the read's start, between the read's
 * first commit and it) that a stretch known lost does not cover.
 *
 * SYNTHETIC: log backups written by test/support/synthetic-trn.ts from the log of
 * test/support/synthetic-log.ts (VLFs of 8 KB + four 60 KB blocks, one event a second from
 * 2026-03-05 14:00:00); backup 2 left out, and in backup 4 the last block of VLF 0x2b zeroed.
 */
const cli = captureCli();
const BASE = 7308000; // 2026-03-05 14:00:00, seconds since 2025-12-11 (synthetic-log.ts `second`)
let dir: string;
let backups: SyntheticTrnBackup[];
let zeroed: string;
let ddl: string;
type Row = { transactionId: string; beginTime: string | null; lsn: string };
const rowsOf = (out: string): Row[] => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-gap-vlf-tail-'));
  const chain = trnChainSink({ dir, backupBytes: 200 * 1024 });
  let victim: Uint8Array | null = null;
  const sink: LogBlockSink = {
    startVlf: (...a) => chain.sink.startVlf(...a),
    block(bytes, seq, id, at) {
      if (seq === 0x2b && id === 376) victim = bytes;
      chain.sink.block(bytes, seq, id, at);
    },
    close: () => chain.sink.close(),
  };
  writeSyntheticLog([sink], { targetBytes: 8 * (8192 + 4 * 61440), row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true, second: (n) => BASE + n }, { allocUnitId: CONTACT_AU, vlfSize: 8192 + 4 * 61440 });
  backups = chain.backups;
  // VLF 0x2b's last block, 60 KB as the one before it, zeroed where backup 4 holds it
  const b = Buffer.from(readFileSync(backups[3]!.file));
  const at = b.indexOf(Buffer.from(victim!.subarray(0, 512)));
  expect(at).toBeGreaterThan(0);
  b.fill(0, at, at + victim!.length);
  zeroed = join(dir, 'SYNTHETIC_log_4_zeroed.trn');
  writeFileSync(zeroed, b);
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --from after a missing log backup, with a VLF\'s last block lost unseen past it (SYNTHETIC)', () => {
  const dec = () => ['--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--format', 'ndjson'];
  it('transactions begun in the lost tail, inside the window, are not placed by the gap\'s bound: INCOMPLETE over them', async () => {
    const from = '2026-03-05T14:22:00';
    const all = rowsOf((await cli('scan', '--trn', ...backups.map((b) => b.file), ...dec())).stdout);
    const files = [backups[0]!.file, backups[2]!.file, zeroed, ...backups.slice(4).map((b) => b.file)];
    const report = join(dir, 'r.json');
    const r = await cli('scan', '--trn', ...files, ...dec(), '--from', from, '--report', report);
    const got = new Set(rowsOf(r.stdout).map((x) => x.lsn));
    const missing = all.filter((x) => x.beginTime !== null && x.beginTime >= from && !got.has(x.lsn));
    expect(missing.length).toBeGreaterThan(0);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; counts: Record<string, unknown> };
    expect(rep.complete, `${missing.length} row(s) begun in the window missing; ${r.stderr}`).toBe(false);
    expect(r.stderr).toMatch(/INCOMPLETE: \d+ committed delete\(s\) of 5 transaction\(s\) whose LOP_BEGIN_XACT is not in the log read/);
  }, 120_000);

  it('the same files but backup 4 intact: whole, exactly the rows begun in the window', async () => {
    const from = '2026-03-05T14:22:00';
    const all = rowsOf((await cli('scan', '--trn', ...backups.map((b) => b.file), ...dec())).stdout);
    const files = backups.filter((_, i) => i !== 1).map((b) => b.file);
    const report = join(dir, 'i.json');
    const r = await cli('scan', '--trn', ...files, ...dec(), '--from', from, '--report', report);
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect((JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean }).complete).toBe(true);
    expect(rowsOf(r.stdout)).toEqual(all.filter((x) => x.beginTime !== null && x.beginTime >= from));
  }, 120_000);
});
