/**
 * LdfHoles (merged .ldf + log backups): a FORMAT_LOG_GAP the .ldf reader widened back into the VLF
 * before (the .ldf lost the first block of VLF N + 1, which names N's last block, so N's last blocks
 * may be lost as well: lsnRange from N's end, location at (N + 1):0x10) was judged on its location
 * alone: a backup whose blocks start at (N + 1):0x10 made it a note, "no log lost", though nothing
 * holds N's end. Now it stays a loss unless one backup's blocks hold N's end and go on at (N + 1):0x10.
 * SYNTHETIC: items and block runs made up here (LSNs of a 256 KB VLF: blocks 0x10 to 0x200).
 */
import { describe, expect, it } from 'vitest';
import type { SkippedItem } from '../../../src/recover/source.js';
import { LdfHoles } from '../../../src/recover/sources/merged-log.js';

const gap = (): SkippedItem => ({
  code: 'FORMAT_LOG_GAP',
  reason: 'log blocks are missing: VLF 0x29 holds no log block of its own (SYNTHETIC)',
  // the .ldf read VLF 0x28 up to block 0x1c0; lost: 28:1c0 up to 29:80 (located at 29:10)
  location: { file: 'crm.ldf', offset: 0x2000 + 0x40000 + 0x2000, lsn: '00000029:00000010:0001' },
  lsnRange: { first: '00000028:000001c0:0001', last: '00000029:00000080:0001' },
});

function settle(chain: Array<{ block: string; sectors: number; file: string }>): { skipped: SkippedItem[]; notes: string[] } {
  const skipped: SkippedItem[] = [];
  const holes = new LdfHoles(skipped);
  holes.sawLdfBlock('00000028:00000010', 0x1b0);
  const item = gap();
  holes.hold(item);
  holes.sawLdfBlock('00000029:00000080', 0x10);
  for (const b of chain) holes.sawChainBlock(b);
  const notes: string[] = [];
  holes.settle(true, 'crm.ldf', notes, [{ seq: 0x28, offset: 0x2000, size: 0x40000 }, { seq: 0x29, offset: 0x42000, size: 0x40000 }]);
  return { skipped, notes };
}

describe('SYNTHETIC LdfHoles: a gap widened to the end of the VLF before', () => {
  it('a backup starting at (N + 1):0x10 does not cover the loss at N\'s end: it stays a loss', () => {
    const r = settle([{ block: '00000029:00000010', sectors: 0x100, file: 'b2.trn' }]);
    expect(r.notes).toEqual([]);
    expect(r.skipped.map((x) => x.code)).toEqual(['FORMAT_LOG_GAP']);
  });

  it('one backup holding N from where the .ldf stopped to its end and going on at (N + 1):0x10: a note, no loss', () => {
    const r = settle([
      { block: '00000028:00000100', sectors: 0xf8, file: 'b1.trn' },
      { block: '00000029:00000010', sectors: 0x100, file: 'b1.trn' },
    ]);
    expect(r.skipped).toEqual([]);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toContain('were read from log backup b1.trn');
  });

  it('N\'s end held by another backup than the one going on at (N + 1):0x10 (nothing ties the two): a loss', () => {
    const r = settle([
      { block: '00000028:00000100', sectors: 0xf8, file: 'b1.trn' },
      { block: '00000029:00000010', sectors: 0x100, file: 'b2.trn' },
    ]);
    expect(r.skipped.map((x) => x.code)).toEqual(['FORMAT_LOG_GAP']);
  });
});
