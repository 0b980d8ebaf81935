/**
 * A copied or damaged .ldf can hold the same log twice: an old VLF's blocks surviving in two places
 * (two stale runs of one earlier sequence), a stale copy of log the current VLFs hold, or two VLFs
 * whose headers name the same sequence. An LSN names one log record (a log block is written once, at
 * its VLF sequence and block number: FORMAT-NOTES §3), so a scan must read each LSN once — a row
 * printed twice is re-inserted twice — and say so when the two copies differ in bytes.
 * SYNTHETIC: logs written by test/support/synthetic-log.ts, then damaged by copying VLF bytes.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_CHECKSUM_OFFSET } from '../../../src/logreader/ldf/constants.js';
import { ldfStaleRuns, readLdfLayout } from '../../../src/logreader/ldf/reader.js';
import { logBlockChecksum, parseBlockHeader } from '../../../src/logreader/ldf/structures.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { logLoss, type SkippedItem } from '../../../src/recover/source.js';
import { openFileSource, type FileSourceInputs } from '../../../src/recover/sources/files.js';
import { CONTACT_AU, contactLayout, contactRow } from '../../support/synthetic-contact.js';
import { ldfSink, writeSyntheticLog, type SyntheticTxn } from '../../support/synthetic-log.js';
import { trnChainSink, type SyntheticTrnChain } from '../../support/synthetic-trn.js';

const dir = mkdtempSync(join(tmpdir(), 'rowback-held-twice-'));
const VLF = 256 * 1024;
const PAGE = 8192;
const vlfAt = (i: number) => PAGE + i * VLF;
let base: string;
let want: string[];

/** Writes the log block checksum again of the block holding byte `at`, walking the blocks from `from`. */
function resealBlockAt(file: string, from: number, at: number): void {
  const b = readFileSync(file);
  let p = from;
  for (;;) {
    const { size } = parseBlockHeader(b, p);
    if (size === 0) throw new Error(`no block holds offset ${at}`);
    if (at < p + size) {
      b.writeUInt32LE(logBlockChecksum(b, p, size), p + BLOCK_CHECKSUM_OFFSET);
      writeFileSync(file, b);
      return;
    }
    p += size;
  }
}
let chain: SyntheticTrnChain;

beforeAll(() => {
  base = join(dir, 'base.ldf');
  const txns: SyntheticTxn[] = [];
  chain = trnChainSink({ dir, backupBytes: 100 * 1024 });
  // sequences 40-44 in file order, then two VLFs never used (sequence 0) to hold the copies; the
  // same log also written as a chain of log backups
  writeSyntheticLog([ldfSink(base), chain.sink], { targetBytes: Infinity, row: contactRow, rollbackShare: 0.2, concurrency: 5, finishAtEnd: true }, {
    allocUnitId: CONTACT_AU,
    vlfSize: VLF,
    vlfLayout: [{ seq: 40 }, { seq: 41 }, { seq: 42 }, { seq: 43 }, { seq: 44 }, { seq: 0 }, { seq: 0 }],
    onTxn: (t) => txns.push(t),
  });
  want = txns.filter((t) => t.outcome === 'commit').flatMap((t) => t.deletes.map((d) => Buffer.from(d).toString('hex'))).sort();
});

/** A copy of the base log with `edit` applied to its bytes. */
function damaged(name: string, edit: (b: Buffer) => void): string {
  const b = readFileSync(base);
  edit(b);
  const p = join(dir, name);
  writeFileSync(p, b);
  return p;
}

/** VLF `from`'s blocks (after its 8 KB header) copied over VLF `to`'s. */
const copyBody = (b: Buffer, from: number, to: number) => b.copy(b, vlfAt(to) + 0x2000, vlfAt(from) + 0x2000, vlfAt(from) + VLF);
const setSeq = (b: Buffer, i: number, seq: number, parity = 0x40) => {
  b.writeUInt32LE(seq, vlfAt(i) + 4);
  b[vlfAt(i) + 1] = parity;
};

async function scan(inputs: FileSourceInputs): Promise<{ rows: string[]; skipped: SkippedItem[]; notes: string[] }> {
  const files = openFileSource(inputs);
  const source = withMetadata(files, [contactLayout]);
  const rows: string[] = [];
  for await (const ev of recoverRows(source, { operations: ['delete'] })) if (ev.kind === 'row') rows.push(ev.row.raw.replace(/^0x/i, '').toLowerCase());
  await source.close();
  return { rows: rows.sort(), skipped: files.skipped(), notes: files.notes };
}

describe('SYNTHETIC .ldf holding the same log twice', () => {
  it('the undamaged log: every committed row once, nothing lost, no note', async () => {
    const r = await scan({ ldf: base });
    expect(want.length).toBeGreaterThan(100);
    expect(r.rows).toEqual(want);
    expect(r.skipped).toEqual([]);
    expect(r.notes).toEqual([]);
  });

  const shapes: Array<{ name: string; edit: (b: Buffer) => void; copies: [number, number] }> = [
    {
      // VLF 0 (sequence 40) reused as 46 (nothing written yet): its blocks are stale log of 40; the same blocks copied into VLF 5
      name: 'two stale runs of one earlier sequence (an old VLF\'s blocks in two places)',
      edit: (b) => {
        setSeq(b, 0, 46, 0x80);
        copyBody(b, 0, 5);
      },
      copies: [0, 5],
    },
    {
      // VLF 5 reused as 46 over a copy of VLF 1's blocks: stale copies of the current log of 41
      name: 'a stale run overlapping the current log',
      edit: (b) => {
        setSeq(b, 5, 46, 0x80);
        copyBody(b, 1, 5);
      },
      copies: [1, 5],
    },
    {
      // VLF 1 copied whole (header too) over VLF 5: two VLFs of sequence 41
      name: 'two VLFs whose headers name the same sequence',
      edit: (b) => b.copy(b, vlfAt(5), vlfAt(1), vlfAt(1) + VLF),
      copies: [1, 5],
    },
  ];

  it.each(shapes)('$name: each row once, a note that the log is held twice (identical), nothing reported lost', async ({ name, edit, copies }) => {
    const file = damaged(`${copies.join('-')}-${name.length}.ldf`, edit);
    for (const threads of [1, 2]) {
      const r = await scan({ ldf: file, threads, parallelMinBytes: 0, ldfVlfRanges: true });
      expect(r.rows, `threads ${threads}`).toEqual(want);
      expect(logLoss(r.skipped)).toEqual([]);
      const held = r.notes.filter((n) => n.includes('held twice'));
      expect(held.length, r.notes.join('\n')).toBeGreaterThan(0);
      expect(held.join('\n')).toContain(String(vlfAt(copies[1]) + 0x2000));
      expect(held.join('\n')).toContain(String(vlfAt(copies[0]) + 0x2000));
    }
  });

  it('the two copies differ in bytes (a row image changed in the copy): each LSN once, and FORMAT_LOG_SOURCES_DISAGREE names the LSN and both file offsets (a log loss: rows there may be of either copy)', async () => {
    const file = damaged('differ.ldf', (b) => {
      setSeq(b, 5, 46, 0x80);
      copyBody(b, 1, 5);
    });
    // change one byte of the first row image of VLF 1's log in the copy (VLF 5), away from a sector's first byte
    const img = Buffer.from(want.find((h) => readFileSync(file).subarray(vlfAt(1), vlfAt(2)).includes(Buffer.from(h, 'hex')))!, 'hex');
    const buf = readFileSync(file);
    const inCopy = buf.indexOf(img, vlfAt(5));
    expect(inCopy).toBeGreaterThan(vlfAt(5));
    let at = inCopy + 8;
    if (at % 512 === 0) at++;
    const fd = openSync(file, 'r+');
    const one = Buffer.alloc(1);
    readSync(fd, one, 0, 1, at);
    one[0] ^= 0xff;
    writeSync(fd, one, 0, 1, at);
    closeSync(fd);
    // as written, the changed block fails its log block checksum and is refused as damaged
    const refused = await scan({ ldf: file });
    expect(refused.rows).toEqual(want);
    const bad = refused.skipped.filter((s) => s.code === 'FORMAT_BAD_LOG_BLOCK');
    expect(bad.map((s) => s.reason).join('\n')).toMatch(/log block checksum 0x[0-9a-f]{8} stored, 0x[0-9a-f]{8} computed \(damaged block\)/);
    // a copy that differs yet is whole (its checksum sealed again, as a block without one would be)
    resealBlockAt(file, vlfAt(5) + 0x2000, at);
    const r = await scan({ ldf: file });
    // the current copy (VLF 1, sequence 41) is the one read: the rows are the original ones
    expect(r.rows).toEqual(want);
    const d = r.skipped.filter((s) => s.code === 'FORMAT_LOG_SOURCES_DISAGREE');
    expect(d).toHaveLength(1);
    expect(d[0].location.lsn).toMatch(/^00000029:/);
    const offsets = [...d[0].reason.matchAll(/file offset (\d+)/g)].map((m) => Number(m[1]));
    expect(offsets.some((o) => o >= vlfAt(1) && o < vlfAt(2)), d[0].reason).toBe(true);
    expect(offsets.some((o) => o >= vlfAt(5) && o <= inCopy), d[0].reason).toBe(true);
  });

  it('beside log backups that do not hold the old log (the first backup left out): the two stale runs of sequence 40 give each row once, with the held-twice note, nothing lost; the same on two threads', async () => {
    const file = damaged('merged-0-5.ldf', (b) => {
      setSeq(b, 0, 46, 0x80);
      copyBody(b, 0, 5);
    });
    expect(chain.backups.length).toBeGreaterThan(3);
    expect(chain.backups[1].firstLsn.vlf).toBe(40);
    const trn = chain.backups.slice(1).map((x) => x.file);
    for (const threads of [1, 2]) {
      const r = await scan({ ldf: file, trn, threads, parallelMinBytes: 0 });
      expect(r.rows, `threads ${threads}`).toEqual(want);
      expect(logLoss(r.skipped)).toEqual([]);
      expect(r.notes.filter((n) => n.includes('held twice')).length, r.notes.join('\n')).toBeGreaterThan(0);
    }
  });

  it('a stale copy with one damaged block: the stale runs stop at it and go on after it (the walk checksums stale blocks), its rows come from the current log, and the block is reported once', async () => {
    // the blocks of VLF 5 after copying VLF 0 (sequence 40) into it: find the third one, change a byte in it
    let target = 0;
    let targetEnd = 0;
    const file = damaged('stale-damaged.ldf', (b) => {
      copyBody(b, 0, 5);
      let p = vlfAt(5) + 0x2000;
      for (let i = 0; i < 2; i++) p += parseBlockHeader(b, p).size;
      target = p;
      targetEnd = p + parseBlockHeader(b, p).size;
      b[p + 200] ^= 0x10;
    });
    const runs = await ldfStaleRuns(file);
    const inVlf5 = runs.filter((r) => r.start >= vlfAt(5) && r.start < vlfAt(6));
    expect(inVlf5.map((r) => [r.start, r.end])).toEqual([[vlfAt(5) + 0x2000, target], [targetEnd, inVlf5[1]?.end]]);
    expect(inVlf5[1].end).toBeGreaterThan(targetEnd);
    expect(runs.every((r) => r.end <= target || r.start >= targetEnd)).toBe(true);
    const r = await scan({ ldf: file });
    expect(r.rows).toEqual(want);
    expect(r.skipped.filter((s) => s.code === 'FORMAT_BAD_LOG_BLOCK').map((s) => s.location.offset)).toEqual([target]);
  });

  it('the layout of the damaged copies is what the shapes say', async () => {
    const l = await readLdfLayout(damaged('layout.ldf', (b) => b.copy(b, vlfAt(5), vlfAt(1), vlfAt(1) + VLF)));
    expect(l.vlfs.map((v) => v.seq)).toEqual([40, 41, 42, 43, 44, 41, 0]);
  });
});

describe('LdfBlocksOnce', () => {
  it('takes each block position once per VLF sequence; a block meeting one read before returns the earlier copy\'s file offset of that position', async () => {
    const { LdfBlocksOnce } = await import('../../../src/recover/sources/merged-log.js');
    const once = new LdfBlocksOnce();
    // VLF 0x28's blocks 0x10 (8 sectors) and 0x18 (4 sectors) at file offsets 0x4000, 0x5000: one run
    expect(once.claim({ block: '00000028:00000010', sectors: 8, offset: 0x4000 })).toBeNull();
    expect(once.claim({ block: '00000028:00000018', sectors: 4, offset: 0x5000 })).toBeNull();
    // the same block numbers of another sequence are other LSNs
    expect(once.claim({ block: '00000029:00000010', sectors: 8, offset: 0x44000 })).toBeNull();
    // block 0x18 again (a copy elsewhere in the file): the earlier copy is at 0x4000 + 8 × 512
    expect(once.claim({ block: '00000028:00000018', sectors: 4, offset: 0x90000 })).toEqual({ offset: 0x5000 });
    // a block starting inside one read before (another history's block boundaries): its LSNs meet that log too
    expect(once.claim({ block: '00000028:00000012', sectors: 2, offset: 0x91000 })).toEqual({ offset: 0x4400 });
    // the next block after the run, at a file offset that does not follow: a run of its own, taken
    expect(once.claim({ block: '00000028:0000001c', sectors: 2, offset: 0x70000 })).toBeNull();
    expect(once.claim({ block: '00000028:0000001d', sectors: 1, offset: 0x92000 })).toEqual({ offset: 0x70200 });
    // offsets not known: positions still checked
    expect(once.claim({ block: '0000002a:00000010', sectors: 2 })).toBeNull();
    expect(once.claim({ block: '0000002a:00000010', sectors: 2 })).toEqual({ offset: undefined });
  });
});
