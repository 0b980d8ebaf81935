import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { withMetadata } from '../../src/recover/metadata-override.js';
import { recoverRows } from '../../src/recover/recover-rows.js';
import { openFileSource, type FileSourceInputs } from '../../src/recover/sources/files.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactLayout, contactRow } from '../support/synthetic-contact.js';
import { ldfSink, writeSyntheticLog } from '../support/synthetic-log.js';
import { trnChainSink, type SyntheticTrnBackup } from '../support/synthetic-trn.js';

/**
 * A chain of log backups where one ends exactly at a VLF's end (LastLSN (N+1):0x10:1) and the next
 * starts at the next VLF's first block. The last block of the earlier backup's VLF N zeroed reads as
 * the VLF's unused tail, and its own header's LastLSN cannot tell (the stream ends with VLF N either
 * way): `log A B` printed every record but that block's, exit 0, nothing said. The later backup's
 * first block names the size of the block written before it (header u16 @10): compared across the
 * two files (backup/chain-boundary.ts), a mismatch is FORMAT_LOG_GAP naming both files.
 *
 * SYNTHETIC throughout: the log backups are written by test/support/synthetic-trn.ts (`cutAt:
 * 'vlf-end'`, @10 written as SQL Server writes it) from the log of test/support/synthetic-log.ts; the
 * damage (one block zeroed) is made here. No corpus chain has this boundary: every corpus log
 * backup chain (RestoreTimeClean, RestoreTimeClean2, StopAt, db1) meets inside a VLF.
 */
const cli = captureCli();
let dir: string;
let chain: ReturnType<typeof trnChainSink>;
let ldf: string;
/** The pair used: backup `a` ends at VLF N's end, `b` starts at (N+1):0x10; `lost`: a's last block. */
let a: SyntheticTrnBackup;
let b: SyntheticTrnBackup;
let damaged: string;
let lost: { offset: number; size: number; lsn: string };
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-chain-vlf-boundary-'));
  const sub = join(dir, 'chain');
  mkdirSync(sub);
  ldf = join(sub, 'crm_log.ldf');
  chain = trnChainSink({ dir: sub, backupBytes: 300 * 1024, cutAt: 'vlf-end' });
  writeSyntheticLog([ldfSink(ldf), chain.sink], { targetBytes: 3 * 1024 * 1024, row: contactRow, rollbackShare: 0.2, concurrency: 5 }, { allocUnitId: CONTACT_AU, vlfSize: 192 * 1024 });
  // the first pair whose earlier backup's last two blocks differ in size (a lost last block of the
  // same size as the one before it cannot be told: docs/offline-log.md)
  for (let i = 0; i + 1 < chain.backups.length; i++) {
    const x = chain.backups[i]!;
    const bytes = readFileSync(x.file);
    const ranges = openBackupLogStream(x.file).ranges;
    const r = ranges[ranges.length - 1]!;
    const blocks: Array<{ at: number; size: number; block: number; vlf: number }> = [];
    for (let at = r.start; at + 512 <= r.end && bytes.readUInt16LE(at + 6) > 0;) {
      blocks.push({ at, size: bytes.readUInt16LE(at + 6), vlf: bytes.readUInt32LE(at + 12), block: bytes.readUInt32LE(at + 16) });
      at += bytes.readUInt16LE(at + 6);
    }
    const last = blocks[blocks.length - 1]!;
    const before = blocks[blocks.length - 2];
    if (!before || before.size === last.size) continue;
    a = x;
    b = chain.backups[i + 1]!;
    lost = { offset: last.at, size: last.size, lsn: `${hex8(last.vlf)}:${hex8(last.block)}:0001` };
    damaged = join(dir, 'A-last-block-zeroed.trn');
    const copy = Buffer.from(bytes);
    copy.fill(0, last.at, last.at + last.size);
    writeFileSync(damaged, copy);
    break;
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scanSkipped(inputs: FileSourceInputs): Promise<{ rows: number; skipped: SkippedItem[]; notes: string[] }> {
  const files = openFileSource(inputs);
  const source = withMetadata(files, [contactLayout]);
  let rows = 0;
  const skipped: SkippedItem[] = [];
  for await (const ev of recoverRows(source, { operations: ['delete'] })) {
    if (ev.kind === 'row') rows++;
    else skipped.push(ev.item);
  }
  await source.close();
  return { rows, skipped: [...skipped, ...files.skipped()], notes: files.notes };
}

describe('SYNTHETIC chain of log backups meeting at a VLF boundary', () => {
  it('the pair: A ends with the last block of VLF N (LastLSN (N+1):0x10:1), B starts at (N+1):0x10', () => {
    expect(a).toBeDefined();
    expect(a.lastLsn).toEqual({ vlf: b.firstLsn.vlf, block: 0x10, slot: 1 });
    expect(b.firstLsn.block).toBe(0x10);
    expect(lost.lsn.startsWith(hex8(b.firstLsn.vlf - 1))).toBe(true);
  });

  it('the damaged A read alone says nothing (its stream ends with VLF N either way): what the comparison across files adds', async () => {
    const skipped: SkippedItem[] = [];
    for await (const _ of openBackupLogStream(damaged).batches({ onSkipped: (x) => skipped.push(x) })) void _;
    expect(skipped).toEqual([]);
  });

  it('scan --trn A B: FORMAT_LOG_GAP from A\'s lost last block up to (N+1):0x10:1, naming both files (it was silent)', async () => {
    const upTo = `${hex8(b.firstLsn.vlf)}:00000010:0001`;
    const r = await scanSkipped({ trn: [damaged, b.file] });
    const gaps = r.skipped.filter((x) => x.code === 'FORMAT_LOG_GAP');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.lsnRange).toEqual({ first: lost.lsn, last: upTo });
    expect(gaps[0]!.location).toEqual({ file: damaged, offset: lost.offset, lsn: lost.lsn });
    expect(gaps[0]!.reason).toContain(damaged);
    expect(gaps[0]!.reason).toContain(b.file);
    expect(gaps[0]!.reason).toContain(`says the block written before it was ${lost.size} bytes`);
    expect(gaps[0]!.reason).toMatch(new RegExp(`end of VLF 0x${(b.firstLsn.vlf - 1).toString(16)}, between two log backups`));
    // given in reverse order: the chain is ordered by LSN, the same gap
    const rev = await scanSkipped({ trn: [b.file, damaged] });
    expect(rev.skipped.filter((x) => x.code === 'FORMAT_LOG_GAP').map((x) => x.lsnRange)).toEqual([{ first: lost.lsn, last: upTo }]);
  });

  it('beside the .ldf that holds the lost block: no loss (a note names the .ldf)', async () => {
    const r = await scanSkipped({ ldf, trn: [damaged, b.file] });
    expect(r.skipped.filter((x) => x.code === 'FORMAT_LOG_GAP')).toEqual([]);
    expect(r.notes.some((n) => n.includes(lost.lsn) && n.includes(ldf))).toBe(true);
  });

  it('`rowback log A B`: the record count falls short and stderr says FORMAT_LOG_GAP and INCOMPLETE naming both files; --strict exits 3', async () => {
    const whole = await cli('log', a.file, b.file, '--format', 'ndjson');
    expect(whole.code).toBe(0);
    expect(whole.stderr).not.toMatch(/FORMAT_LOG_GAP|INCOMPLETE/);
    const r = await cli('log', damaged, b.file, '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeLessThan(whole.stdout.trim().split('\n').length);
    expect(r.stderr).toMatch(/FORMAT_LOG_GAP/);
    expect(r.stderr).toMatch(/INCOMPLETE/);
    expect(r.stderr).toContain(`LSNs from ${lost.lsn} up to ${hex8(b.firstLsn.vlf)}:00000010:0001`);
    expect(r.stderr).toContain(damaged);
    expect(r.stderr).toContain(b.file);
    const strict = await cli('log', damaged, b.file, '--format', 'ndjson', '--strict');
    expect(strict.code).toBe(3);
  });

  it('no false alarm on the intact chain: every pair meeting at a VLF boundary agrees, scan and log say nothing', async () => {
    const files = chain.backups.map((x) => x.file);
    const r = await scanSkipped({ trn: files });
    expect(r.skipped).toEqual([]);
    const l = await cli('log', ...files, '--format', 'ndjson');
    expect(l.code).toBe(0);
    expect(l.stderr).not.toMatch(/FORMAT_LOG_GAP|INCOMPLETE|WARNING/);
  });
});
