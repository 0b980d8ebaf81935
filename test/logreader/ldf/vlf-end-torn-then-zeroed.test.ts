/**
 * An .ldf VLF whose second-to-last log block is torn and whose last block is zeroed, both 60 KB
 * (as large as each other): the next VLF holds log (its block 0x10 whole and current) and its first
 * block names 61440 bytes for the block before it, which agrees with the last block read, so no
 * FORMAT_LOG_GAP is told, and the VLF-ends-early WARNING is not said beside damage (held blocks).
 * The torn block's FORMAT_BAD_LOG_BLOCK then named the LSN positions of the torn bytes only
 * (29:100 .. 29:178): "whether its log went on into them, and how far, is not known". The next
 * VLF's current first block says the log went on to the VLF's end, so the zeroed last block's
 * LSNs (29:178 .. 2a:10) were lost outside every range named: a log backup covering the range named
 * made the merged read call the hole covered (complete: true) while the zeroed block's rows were
 * still missing. The range must run up to the next VLF's first LSN.
 *
 * SYNTHETIC: an .ldf written by test/support/synthetic-log.ts (VLFs of 8 KB + 4 blocks of 60 KB,
 * every block 60 KB), damaged in a copy at test time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readLdfRecordBatches, readLdfRecords } from '../../../src/logreader/ldf/reader.js';
import type { SkippedItem } from '../../../src/recover/source.js';
import { copyWith, writeFilledVlfLdf } from '../../support/synthetic-contact.js';

let dir: string;
let damaged: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-vlf-end-torn-'));
  const intact = join(dir, 'contact_log.ldf');
  damaged = join(dir, 'contact_log_torn_then_zeroed.ldf');
  const { beforeLast41: torn, last41: last } = writeFilledVlfLdf(intact);
  copyWith(intact, damaged, (b) => {
    b[torn.at + 3 * 512 + 100] ^= 0xff; // one byte flipped mid-block: its checksum fails
    b.fill(0, last.at, last.at + last.size);
  });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function items(): Promise<SkippedItem[][]> {
  const a: SkippedItem[] = [];
  for await (const _ of readLdfRecords(damaged, { onSkipped: (x) => a.push(x) })) void _;
  const b: SkippedItem[] = [];
  for await (const _ of readLdfRecordBatches(damaged, { onSkipped: (x) => b.push(x) }, undefined, () => false)) void _;
  return [a, b];
}

it('the torn block\'s lost range runs to the next VLF\'s first LSN, the zeroed last block inside it (SYNTHETIC)', async () => {
  for (const list of await items()) {
    const bad = list.filter((s) => s.code === 'FORMAT_BAD_LOG_BLOCK' || s.code === 'FORMAT_LOG_GAP');
    expect(bad.length, JSON.stringify(list)).toBeGreaterThan(0);
    // every LSN from the torn block up to the next VLF's first is inside a range named lost
    const ranges = bad.map((s) => s.lsnRange).filter((r): r is { first: string; last: string } => r !== undefined);
    const covers = (lsn: string) => ranges.some((r) => r.first.toLowerCase() <= lsn && lsn < r.last.toLowerCase());
    expect(covers('00000029:00000100:0001'), JSON.stringify(ranges)).toBe(true);
    expect(covers('00000029:00000178:0001'), JSON.stringify(ranges)).toBe(true);
    expect(covers('00000029:000001f0:0001'), JSON.stringify(ranges)).toBe(true);
    expect(ranges.some((r) => r.last.toLowerCase() === '0000002a:00000010:0001'), JSON.stringify(ranges)).toBe(true);
  }
}, 60_000);
