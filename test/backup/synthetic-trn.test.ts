import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { emptyLogScanStats, ldfStaleRuns } from '../../src/logreader/ldf/reader.js';
import { withMetadata } from '../../src/recover/metadata-override.js';
import { recoverRows } from '../../src/recover/recover-rows.js';
import { openFileSource, type FileSourceInputs } from '../../src/recover/sources/files.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { encodeRow } from '../support/synthetic-encoder.js';
import { ldfSink, writeSyntheticLog, type SyntheticTxn } from '../support/synthetic-log.js';
import { trnChainSink } from '../support/synthetic-trn.js';
import { CONTACT_AU, contactLayout, contactRow } from '../support/synthetic-contact.js';

// SYNTHETIC throughout: log backups written by test/support/synthetic-trn.ts from the log of
// test/support/synthetic-log.ts, rows by the test encoder.
const dir = mkdtempSync(join(tmpdir(), 'rowback-synth-trn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AU = CONTACT_AU;
const layout = contactLayout;
const row = contactRow;

async function committedDeletes(inputs: FileSourceInputs): Promise<{ rows: string[]; skipped: SkippedItem[] }> {
  const source = withMetadata(openFileSource(inputs), [layout]);
  const rows: string[] = [];
  const skipped: SkippedItem[] = [];
  for await (const ev of recoverRows(source, { operations: ['delete'] })) {
    if (ev.kind === 'row') rows.push(ev.row.raw.replace(/^0x/i, '').toLowerCase());
    else skipped.push(ev.item);
  }
  await source.close();
  // what the source reports itself (broken chain, lost LSN ranges, bad blocks) besides the row events
  return { rows, skipped: [...skipped, ...source.skipped()] };
}

/**
 * The committed deletes' row images of a scan, with what the file source itself says: its skipped
 * items (not the row events' ones) and its notes, read after the scan ends.
 */
async function scanWithNotes(inputs: FileSourceInputs): Promise<{ rows: string[]; skipped: () => SkippedItem[]; notes: string[] }> {
  const files = openFileSource(inputs);
  const source = withMetadata(files, [layout]);
  const rows: string[] = [];
  for await (const ev of recoverRows(source, { operations: ['delete'] })) if (ev.kind === 'row') rows.push(ev.row.raw.replace(/^0x/i, '').toLowerCase());
  await source.close();
  return { rows, skipped: () => files.skipped(), notes: files.notes };
}

describe.each([
  { name: 'cut at block boundaries', shareBoundaryBlock: false, cutAt: 'block' as const, vlfSize: 1024 * 1024 },
  { name: 'consecutive backups sharing their boundary block', shareBoundaryBlock: true, cutAt: 'block' as const, vlfSize: 1024 * 1024 },
  // each backup ends with the last block of a VLF; its LastLSN is the next VLF's first block, (N+1):0x10:1
  { name: 'cut exactly where a VLF ends', shareBoundaryBlock: false, cutAt: 'vlf-end' as const, vlfSize: 192 * 1024 },
])('SYNTHETIC .trn chain, $name', ({ shareBoundaryBlock, cutAt, vlfSize }) => {
  const sub = join(dir, cutAt === 'vlf-end' ? 'vlf-end' : shareBoundaryBlock ? 'shared' : 'cut');
  const txns: SyntheticTxn[] = [];
  let chain: ReturnType<typeof trnChainSink>;
  const ldf = () => join(sub, 'crm_log.ldf');
  const setup = () => {
    if (txns.length) return;
    mkdirSync(sub, { recursive: true });
    chain = trnChainSink({ dir: sub, backupBytes: 300 * 1024, shareBoundaryBlock, cutAt });
    writeSyntheticLog([ldfSink(ldf()), chain.sink], { targetBytes: 3 * 1024 * 1024, row, rollbackShare: 0.2, concurrency: 5 }, { allocUnitId: AU, vlfSize, onTxn: (t) => txns.push(t) });
  };

  it('rowback reads what it writes: MTF layout without problems, a log-backup header labelled SYNTHETIC, linked LSNs, one binding id', () => {
    setup();
    const backups = chain.backups;
    expect(backups.length).toBeGreaterThanOrEqual(6);
    let prevLast: string | null = null;
    for (const b of backups) {
      const l = readMtfLayout(b.file);
      expect(l.problems).toEqual([]);
      expect(l.sets).toBe(1);
      expect(l.mediaSet?.familyCount).toBe(1);
      const h = readBackupHeader(b.file, l);
      expect(h.backupType).toBe('log');
      expect(h.databaseName).toContain('SYNTHETIC');
      expect(h.serverName).toContain('SYNTHETIC');
      expect(h.softwareName).toContain('SYNTHETIC');
      expect(h.bindingId).toBe(readBackupHeader(backups[0].file).bindingId);
      expect(h.familyGuid).toBe(readBackupHeader(backups[0].file).familyGuid);
      expect(h.encryption).toBeNull();
      if (prevLast) {
        expect(h.firstLsn.decimal).toBe(prevLast);
        // shared boundary block: the boundary LSN is a record inside a block both backups hold
        expect(h.firstLsn.lsn.endsWith(':0001')).toBe(!shareBoundaryBlock);
      }
      if (cutAt === 'vlf-end' && b !== backups[backups.length - 1]) {
        // ends with the last block of VLF N (it holds two VLFs: several MQTL streams), LastLSN = (N+1):00000010:0001
        expect(b.lastLsn.block).toBe(0x10);
        expect(h.lastLsn.lsn).toBe(`${b.lastLsn.vlf.toString(16).padStart(8, '0')}:00000010:0001`);
        expect(openBackupLogStream(b.file, 'trn', l).ranges.length).toBe(2);
      }
      prevLast = h.lastLsn.decimal;
      // the MQTL payload is exactly the log blocks the writer put in
      const s = openBackupLogStream(b.file, 'trn', l);
      expect(s.bytes).toBe(b.logBytes);
    }
    // no repeats with cuts at block boundaries: the backups' log bytes are the .ldf's blocks
    const total = backups.reduce((n, b) => n + b.logBytes, 0);
    if (!shareBoundaryBlock) expect(total).toBeLessThan(readFileSync(ldf()).length);
  });

  it('each backup reads without skipped items, gaps or lost LSNs', async () => {
    setup();
    for (const b of chain.backups) {
      const skipped: SkippedItem[] = [];
      const st = emptyLogScanStats();
      let n = 0;
      for await (const batch of openBackupLogStream(b.file).batches({ onSkipped: (x) => skipped.push(x) }, st)) n += batch.records.length;
      expect(skipped).toEqual([]);
      expect(st.gaps).toBe(0);
      expect(n).toBeGreaterThan(0);
      expect(st.skippedBlocks + st.skippedRecords).toBe(0);
    }
  });

  it('property: the committed deletes decoded from the chain are exactly the rows the writer put in, and the same as from the one .ldf holding the same records', async () => {
    setup();
    const want = txns.filter((t) => t.outcome === 'commit').flatMap((t) => t.deletes.map((d) => Buffer.from(d).toString('hex')));
    expect(txns.some((t) => t.outcome === 'abort')).toBe(true);
    expect(txns.some((t) => t.outcome === 'open')).toBe(true);
    // given in shuffled order: rowback orders the chain by LSN
    const files = chain.backups.map((b) => b.file);
    const shuffled = [...files.slice(1).reverse(), files[0]];
    const fromTrn = await committedDeletes({ trn: shuffled });
    expect(fromTrn.skipped).toEqual([]);
    expect([...fromTrn.rows].sort()).toEqual([...want].sort());
    const fromLdf = await committedDeletes({ ldf: ldf() });
    expect(fromLdf.skipped).toEqual([]);
    expect(fromTrn.rows).toEqual(fromLdf.rows); // same order too
  });

  it('the .ldf given with the log backups that hold the same log: each row once (it was printed twice), the same rows in the same order as the .ldf alone', async () => {
    setup();
    const files = chain.backups.map((b) => b.file);
    const both = await committedDeletes({ ldf: ldf(), trn: files });
    const fromLdf = await committedDeletes({ ldf: ldf() });
    expect(both.skipped).toEqual([]);
    expect(both.rows).toEqual(fromLdf.rows);
  });

  // Only the chain cut at VLF ends has a backup spanning two VLFs; defined for it alone (not a skip in the others).
  if (cutAt === 'vlf-end') it('a backup lacking the first block of its second VLF (zeroed: it read as unwritten, silently) is FORMAT_LOG_GAP from (N+1):0x10', async () => {
    setup();
    const b = chain.backups[1];
    const s = openBackupLogStream(b.file);
    expect(s.ranges.length).toBe(2);
    const bytes = readFileSync(b.file);
    const at = s.ranges[1].start;
    const vlf = bytes.readUInt32LE(at + 12); // block header: first LSN's VLF sequence @12, block id @16
    expect(vlf).toBe(b.firstLsn.vlf + 1);
    expect(bytes.readUInt32LE(at + 16)).toBe(0x10);
    const size = bytes.readUInt16LE(at + 6); // block size @6
    bytes.fill(0, at, at + size);
    const damaged = join(sub, 'damaged-second-vlf.trn');
    writeFileSync(damaged, bytes);
    try {
      const skipped: SkippedItem[] = [];
      for await (const _ of openBackupLogStream(damaged).batches({ onSkipped: (x) => skipped.push(x) })) void _;
      expect(skipped.map((x) => [x.code, x.location?.lsn])).toEqual([['FORMAT_LOG_GAP', `${vlf.toString(16).padStart(8, '0')}:00000010:0001`]]);
      // and in a scan of the chain it makes the result incomplete rather than silently short
      const files = chain.backups.map((x) => (x === b ? damaged : x.file));
      const r = await committedDeletes({ trn: files });
      expect(r.skipped.map((x) => x.code)).toContain('FORMAT_LOG_GAP');
    } finally {
      rmSync(damaged, { force: true });
    }
  });

  // The last block of its first VLF and the first of its second zeroed (read as unwritten): the gap's
  // range named (N+1):0x10 on, not the first VLF's lost last block (the INCOMPLETE line and the
  // replay's loss test read the range). Its location stays the second VLF's first block, as above.
  if (cutAt === 'vlf-end') it('a backup lacking the last block of its first VLF and the first of its second: the gap\'s range starts at the lost block', async () => {
    setup();
    const b = chain.backups[1];
    const s = openBackupLogStream(b.file);
    expect(s.ranges.length).toBe(2);
    const bytes = readFileSync(b.file);
    // the first VLF's blocks: walk their headers (size @6, block id @16) to the last one
    let at = s.ranges[0].start;
    let last = at;
    while (at < s.ranges[0].end && bytes.readUInt16LE(at + 6) > 0 && bytes.readUInt32LE(at + 12) === b.firstLsn.vlf) {
      last = at;
      at += bytes.readUInt16LE(at + 6);
    }
    const lastId = bytes.readUInt32LE(last + 16);
    const lostFirst = `${b.firstLsn.vlf.toString(16).padStart(8, '0')}:${lastId.toString(16).padStart(8, '0')}:0001`;
    const second = s.ranges[1].start;
    const copy = Buffer.from(bytes);
    copy.fill(0, last, last + bytes.readUInt16LE(last + 6));
    copy.fill(0, second, second + bytes.readUInt16LE(second + 6));
    const damaged = join(sub, 'damaged-first-vlf-end.trn');
    writeFileSync(damaged, copy);
    try {
      const skipped: SkippedItem[] = [];
      for await (const _ of openBackupLogStream(damaged).batches({ onSkipped: (x) => skipped.push(x) })) void _;
      const gaps = skipped.filter((x) => x.code === 'FORMAT_LOG_GAP');
      expect(gaps).toHaveLength(1);
      expect(gaps[0].lsnRange?.first).toBe(lostFirst);
      expect(gaps[0].location.lsn).toBe(`${(b.firstLsn.vlf + 1).toString(16).padStart(8, '0')}:00000010:0001`);
    } finally {
      rmSync(damaged, { force: true });
    }
  });

  it('a backup left out of the chain is reported as a gap, never passed over', async () => {
    setup();
    const files = chain.backups.map((b) => b.file);
    const r = await committedDeletes({ trn: [files[0], ...files.slice(2)] });
    expect(r.skipped.some((s) => s.code === 'FORMAT_LOG_CHAIN_GAP')).toBe(true);
  });
});


describe('SYNTHETIC .ldf beside the chain, read in LSN order block by block', () => {
  // 6 VLFs of 256 KB; every transaction finishes, so every committed row is in the log.
  const sub = join(dir, 'merge');
  const txns: SyntheticTxn[] = [];
  let chain: ReturnType<typeof trnChainSink>;
  const ldf = () => join(sub, 'crm_log.ldf');
  const VLF = 256 * 1024;
  const setup = () => {
    if (txns.length) return;
    mkdirSync(sub, { recursive: true });
    chain = trnChainSink({ dir: sub, backupBytes: 200 * 1024 });
    writeSyntheticLog([ldfSink(ldf()), chain.sink], { targetBytes: 6 * VLF, row, rollbackShare: 0.2, concurrency: 5, finishAtEnd: true }, { allocUnitId: AU, vlfSize: VLF, onTxn: (t) => txns.push(t) });
  };
  /** A copy of the .ldf with the byte ranges [from, to) zeroed (log blocks lost: read as unwritten or torn; VLF headers kept). */
  const holed = (name: string, holes: Array<[number, number]>) => {
    const b = readFileSync(ldf());
    for (const [from, to] of holes) b.fill(0, from, to);
    const p = join(sub, name);
    writeFileSync(p, b);
    return p;
  };
  const vlfAt = (i: number) => 0x2000 + i * VLF; // file offset of VLF i (after the 8 KB file header page)

  it.each([
    // older log only in the backups: transactions begun there are committed in the .ldf
    {
      name: 'begun in log only the backups hold (the .ldf lost the log blocks of its oldest VLF and half the next), committed in the .ldf',
      holes: [[vlfAt(0) + 0x2000, vlfAt(1)], [vlfAt(1) + 0x2000, vlfAt(1) + VLF / 2]] as Array<[number, number]>,
    },
    // a hole of the .ldf the backups fill: transactions begun in the .ldf are committed in it, and the reverse
    { name: 'begun in the .ldf, committed in a hole of the .ldf that only the backups hold (and the reverse)', holes: [[vlfAt(2) + 0x2000 + 64 * 1024, vlfAt(2) + 0x2000 + 96 * 1024]] as Array<[number, number]> },
  ])('$name: each committed row exactly once, in the order of the whole .ldf', async ({ holes }) => {
    setup();
    const want = txns.filter((t) => t.outcome === 'commit').flatMap((t) => t.deletes.map((d) => Buffer.from(d).toString('hex')));
    const p = holed(`holed-${holes[0][0]}.ldf`, holes);
    try {
      const whole = await committedDeletes({ ldf: ldf() });
      expect([...whole.rows].sort()).toEqual([...want].sort());
      // not vacuous: the holed .ldf alone misses rows, and some transaction straddles the hole's edge
      const alone = await committedDeletes({ ldf: p });
      expect(alone.rows.length).toBeLessThan(want.length);
      expect(alone.rows.length).toBeGreaterThan(want.length / 3); // the .ldf's VLFs after the hole are read
      const both = await committedDeletes({ ldf: p, trn: chain.backups.map((b) => b.file) });
      expect(both.skipped).toEqual([]); // the backups hold what the .ldf lost: no log loss
      expect(new Set(both.rows).size).toBe(both.rows.length);
      expect(both.rows).toEqual(whole.rows);
      // the same with the files parsed on workers (two parallel readers, merged here)
      const two = await committedDeletes({ ldf: p, trn: chain.backups.map((b) => b.file), threads: 2, parallelMinBytes: 0 });
      expect(two.rows).toEqual(both.rows);
      expect(two.skipped).toEqual(both.skipped);
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('a log backup whose first block is torn, beside the whole .ldf: the .ldf holds the LSNs the block lost (its lsnRange, from the header\'s FirstLSN), so no loss is left; it stayed FORMAT_BAD_LOG_BLOCK (no gap followed it to pair it with), INCOMPLETE with no row missing', async () => {
    setup();
    const files = chain.backups.map((b) => b.file);
    const src = files[1]!;
    let first: { offset: number; sectors: number } | null = null;
    for await (const b of openBackupLogStream(src, 'trn').batches({}, undefined, () => false)) {
      first = { offset: b.offset!, sectors: b.sectors! };
      break;
    }
    expect(first!.sectors).toBeGreaterThan(1); // a sector after the block's first to tear
    const b = readFileSync(src);
    b[first!.offset + 512] ^= 0xff; // its second sector's first byte: no longer the block's fix-up value (torn)
    const torn = join(sub, 'torn-first.trn');
    writeFileSync(torn, b);
    try {
      const items: SkippedItem[] = [];
      for await (const _ of openBackupLogStream(torn, 'trn').records({ onSkipped: (x) => items.push(x) })) void _;
      expect(items.map((x) => [x.code, x.location.offset, x.lsnRange?.first])).toEqual([['FORMAT_BAD_LOG_BLOCK', first!.offset, readBackupHeader(torn).firstLsn.lsn]]);
      const whole = await committedDeletes({ ldf: ldf() });
      const chainFiles = [files[0]!, torn, ...files.slice(2)];
      for (const threads of [1, 2]) {
        const all = await scanWithNotes({ ldf: ldf(), trn: chainFiles, threads, parallelMinBytes: 0 });
        expect(all.skipped()).toEqual([]);
        expect(all.rows).toEqual(whole.rows);
        expect(all.notes.some((n) => n.includes(`log backup ${torn} lacks LSNs ${readBackupHeader(torn).firstLsn.lsn}`) && n.includes('no log lost'))).toBe(true);
      }
    } finally {
      rmSync(torn, { force: true });
    }
  });

  it('an .ldf whose log wrapped (VLFs not in sequence order in the file) beside the chain: read by sequence number, each row once', async () => {
    setup();
    // swap VLFs 1 and 3 (same size) with their headers' file offsets (@24): sequence 41 now lies after 43
    const b = readFileSync(ldf());
    const one = Buffer.from(b.subarray(vlfAt(1), vlfAt(2)));
    b.copy(b, vlfAt(1), vlfAt(3), vlfAt(4));
    one.copy(b, vlfAt(3));
    b.writeBigUInt64LE(BigInt(vlfAt(1)), vlfAt(1) + 24);
    b.writeBigUInt64LE(BigInt(vlfAt(3)), vlfAt(3) + 24);
    expect([b.readUInt32LE(vlfAt(1) + 4), b.readUInt32LE(vlfAt(3) + 4)]).toEqual([43, 41]); // VLF header: sequence u32 @4
    const p = join(sub, 'wrapped.ldf');
    writeFileSync(p, b);
    try {
      const whole = await committedDeletes({ ldf: ldf() });
      const files = chain.backups.map((x) => x.file);
      const both = await committedDeletes({ ldf: p, trn: files });
      expect(both.skipped).toEqual([]);
      expect(both.rows).toEqual(whole.rows);
      // split into VLF ranges on workers: a wrapped .ldf beside backups stays whole, same rows
      const many = await committedDeletes({ ldf: p, trn: files, threads: 2, parallelMinBytes: 0, ldfVlfRanges: true });
      expect(many.rows).toEqual(whole.rows);
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('a log backup given twice (and the chain out of order on the command line), with the .ldf and without: read once, no chain gap reported (it was FORMAT_LOG_CHAIN_GAP, a log loss), a note says so', async () => {
    setup();
    const files = chain.backups.map((x) => x.file);
    const copy = join(sub, 'copy-of-2.trn');
    writeFileSync(copy, readFileSync(files[2]));
    try {
      const given = [files[3], files[1], copy, ...files.slice().reverse()];
      for (const inputs of [{ trn: files }, { ldf: ldf(), trn: files }]) {
        const want = await committedDeletes(inputs);
        const got = await committedDeletes({ ...inputs, trn: given });
        expect(got.skipped).toEqual([]);
        expect(got.rows).toEqual(want.rows);
        const two = await committedDeletes({ ...inputs, trn: given, threads: 2, parallelMinBytes: 0 });
        expect(two.rows).toEqual(want.rows);
        expect(two.skipped).toEqual([]);
      }
      const src = openFileSource({ trn: given });
      expect(src.notes.filter((n) => /holds the same log as .*read once/.test(n))).toHaveLength(3);
      await src.close();
    } finally {
      rmSync(copy, { force: true });
    }
  });

  it('a chain with a backup left out beside an .ldf whose current log spans the break: no FORMAT_LOG_CHAIN_GAP (the log was read, a note says from where; it was reported as a log loss); kept where the .ldf lacks that log', async () => {
    setup();
    const files = chain.backups.map((x) => x.file);
    const whole = await committedDeletes({ ldf: ldf() });
    const cut = files.filter((_, i) => i !== 2);
    for (const threads of [1, 2]) {
      const src = await scanWithNotes({ ldf: ldf(), trn: cut, threads, parallelMinBytes: 0 });
      const rows = src.rows;
      expect(src.skipped()).toEqual([]);
      expect(rows).toEqual(whole.rows);
      expect(src.notes.filter((n) => /^log backups do not chain: .* the log in between was read from .*crm_log\.ldf$/.test(n))).toHaveLength(1);
    }
    // the .ldf lost the log blocks of the VLF the break lies in: the break is a loss, said as before
    const { firstLsn } = chain.backups[2];
    const p = holed('no-break-log.ldf', [[vlfAt(firstLsn.vlf - 40) + 0x2000, vlfAt(firstLsn.vlf - 40 + 1)]]);
    try {
      const r = await committedDeletes({ ldf: p, trn: cut });
      expect(r.skipped.map((x) => x.code)).toContain('FORMAT_LOG_CHAIN_GAP');
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('an .ldf and a chain holding different log at the same LSNs (another history: the same workload with other row values): FORMAT_LOG_SOURCES_DISAGREE, a log loss, once (it read the .ldf\'s blocks silently); the same log is no disagreement', async () => {
    setup();
    const fork = join(sub, 'fork');
    mkdirSync(fork, { recursive: true });
    try {
      // the same transactions and sizes, other Balance digits: every LSN the same, the row images not
      const other = (t: number, r: number) => encodeRow(layout, { ContactId: t * 10000 + r, Name: `名字${t}-${r}`, Email: `c${t}.${r}@example.com`, Balance: `${t}.${String((r + 7) % 100).padStart(2, '0')}` });
      const forkChain = trnChainSink({ dir: fork, backupBytes: 200 * 1024 });
      writeSyntheticLog([forkChain.sink], { targetBytes: 6 * VLF, row: (t, r) => (t % 2 ? other(t, r) : row(t, r)), rollbackShare: 0.2, concurrency: 5, finishAtEnd: true }, { allocUnitId: AU, vlfSize: VLF });
      const files = forkChain.backups.map((x) => x.file);
      expect(forkChain.backups.map((x) => x.firstLsn)).toEqual(chain.backups.map((x) => x.firstLsn));
      for (const threads of [1, 2]) {
        const r = await committedDeletes({ ldf: ldf(), trn: files, threads, parallelMinBytes: 0 });
        expect(r.skipped.map((x) => x.code)).toEqual(['FORMAT_LOG_SOURCES_DISAGREE']);
        expect(r.skipped[0].location.file).toBe(files[0]);
      }
      const same = await committedDeletes({ ldf: ldf(), trn: chain.backups.map((x) => x.file) });
      expect(same.skipped).toEqual([]);
    } finally {
      rmSync(fork, { recursive: true, force: true });
    }
  });

  // The .ldf's VLFs are read by header sequence number; a reused VLF's stale blocks (older log) are
  // read as a stream of their own, placed by their own LSNs. They came after all current log: where
  // no backup held them, a transaction begun in them and committed in later log lost its rows,
  // silently (11 of 6,280 here, nothing skipped; a note said so from bbcb218 on).
  it('an .ldf with a reused VLF beside a chain that starts inside that VLF\'s old log: the stale log no backup holds is read in LSN order, no row lost (11 of 6,280 were), no note; the same on two threads', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    const b = readFileSync(ldf());
    b.writeUInt32LE(46, vlfAt(0) + 4); // VLF 0 (sequence 40) reused as 46: its blocks are stale
    const p = join(sub, 'reused-uncovered.ldf');
    writeFileSync(p, b);
    try {
      // the first backup (40:10 to 40:1f0) left out: that stale log is only in the .ldf, older than
      // all current log and than the chain's start, and the rest of it is in the second backup
      const trn = chain.backups.slice(1).map((x) => x.file);
      expect(chain.backups[1].firstLsn.vlf).toBe(40);
      // the stale stream: VLF 0's blocks from its first one, all of sequence 40, in file order
      const runs = await ldfStaleRuns(p);
      expect(runs.length).toBeGreaterThan(0);
      expect(runs[0]).toMatchObject({ start: vlfAt(0) + 0x2000, vlf: { seq: 46 }, first: { vlf: 40, block: 0x10 } });
      expect(runs.every((r) => r.first.vlf === 40 && r.start >= vlfAt(0) && r.end <= vlfAt(1))).toBe(true);
      expect(runs.every((r, i) => i === 0 || r.start >= runs[i - 1].end)).toBe(true);
      for (const threads of [1, 2]) {
        const files = await scanWithNotes({ ldf: p, trn, threads, parallelMinBytes: 0 });
        const rows = files.rows;
        expect(files.skipped()).toEqual([]);
        expect(new Set(rows).size).toBe(rows.length);
        expect(rows).toEqual(whole.rows); // the order of the whole .ldf too
        expect(files.notes.filter((n) => n.includes('stale log of a reused VLF'))).toEqual([]);
      }
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('an .ldf whose reused VLF\'s stale log lies between current log (older VLFs not reused) beside a chain that ends before it: read at its place, no row lost, the same on two threads', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    const b = readFileSync(ldf());
    b.writeUInt32LE(47, vlfAt(2) + 4); // VLF 2 (sequence 42) reused as 47: stale log 42 between current 41 and 43
    const p = join(sub, 'reused-middle.ldf');
    writeFileSync(p, b);
    try {
      // only the backups ending before VLF 42: its log is in the .ldf alone, as stale log
      const trn = chain.backups.filter((x) => x.lastLsn.vlf < 42).map((x) => x.file);
      expect(trn.length).toBeGreaterThan(0);
      expect(trn.length).toBeLessThan(chain.backups.length);
      // the .ldf alone (file order) gives every row; beside this chain, with the stale log read
      // after all current log, 9 of 6,280 were lost (transactions begun in 42 and ended in 43)
      const alone = await committedDeletes({ ldf: p });
      expect(alone.rows).toEqual(whole.rows);
      for (const threads of [1, 2]) {
        const r = await committedDeletes({ ldf: p, trn, threads, parallelMinBytes: 0 });
        expect(r.skipped).toEqual([]);
        expect(r.rows).toEqual(whole.rows);
      }
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('a hole in the .ldf (zeroed log blocks inside a VLF) that the backups given hold: no FORMAT_LOG_GAP or FORMAT_BAD_LOG_BLOCK (it made the scan INCOMPLETE with no row missing), a note names the .ldf range and the backup; the same on two threads', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    const p = holed('hole-covered.ldf', [[vlfAt(2) + 0x2000 + 64 * 1024, vlfAt(2) + 0x2000 + 96 * 1024]]);
    try {
      // not vacuous: the .ldf alone reports the hole as lost log
      const alone = await committedDeletes({ ldf: p });
      expect(alone.skipped.map((x) => x.code)).toContain('FORMAT_LOG_GAP');
      expect(alone.skipped.map((x) => x.code)).toContain('FORMAT_BAD_LOG_BLOCK');
      const trn = chain.backups.map((b) => b.file);
      for (const threads of [1, 2]) {
        const files = await scanWithNotes({ ldf: p, trn, threads, parallelMinBytes: 0 });
        const rows = files.rows;
        expect(files.skipped()).toEqual([]);
        expect(rows).toEqual(whole.rows);
        const said = files.notes.filter((n) => n.includes('were read from log backup'));
        expect(said).toHaveLength(1);
        expect(said[0]).toContain('hole-covered.ldf');
        expect(said[0]).toMatch(/LSN 0000002a:00000088:0001 up to 0000002a:00000100:0001/);
        expect(said[0]).toMatch(/offsets 602112 to 663552/);
        expect(chain.backups.some((b) => said[0].includes(b.file))).toBe(true);
      }
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('a hole in the .ldf the backups given hold only in part, or not at all: still FORMAT_LOG_GAP (rows there are lost), no note claiming it was read; the same on two threads', async () => {
    setup();
    // VLF 42's blocks 0x100 and 0x178 (120 sectors each) zeroed: the .ldf lacks 42:100 up to 42:1f0
    const p = holed('hole-part.ldf', [[vlfAt(2) + 0x100 * 512, vlfAt(2) + 0x1f0 * 512]]);
    // backup 2 (41:1f0 to 42:1f0) holds that log; a copy of it lacking block 42:178 holds half of it
    expect([chain.backups[2].firstLsn, chain.backups[2].lastLsn].map((l) => `${l.vlf}:${l.block}`)).toEqual(['41:496', '42:496']);
    const b2 = readFileSync(chain.backups[2].file);
    const r2 = openBackupLogStream(chain.backups[2].file).ranges;
    let zeroed = 0;
    for (const r of r2) {
      for (let at = r.start; at < r.end && b2.readUInt16LE(at + 6); ) {
        const size = b2.readUInt16LE(at + 6); // block header: size @6, first LSN's VLF sequence @12, block @16
        if (b2.readUInt32LE(at + 12) === 42 && b2.readUInt32LE(at + 16) === 0x178) {
          b2.fill(0, at, at + size);
          zeroed++;
        }
        at += size;
      }
    }
    expect(zeroed).toBe(1);
    const half = join(sub, 'half-of-2.trn');
    writeFileSync(half, b2);
    try {
      const alone = await committedDeletes({ ldf: p });
      const lost = alone.skipped.filter((x) => x.code === 'FORMAT_LOG_GAP' || x.code === 'FORMAT_BAD_LOG_BLOCK');
      expect(lost.map((x) => [x.code, x.location.lsn])).toEqual([['FORMAT_LOG_GAP', '0000002a:00000100:0001']]);
      const files = chain.backups.map((b) => b.file);
      const chains = [
        files.slice(3), // starts where the hole ends (42:1f0)
        files.slice(0, 2), // ends before it (41:1f0)
        files.map((f, i) => (i === 2 ? half : f)), // holds 42:100 to 42:178, not 42:178 to 42:1f0
      ];
      for (const trn of chains) {
        for (const threads of [1, 2]) {
          const src = openFileSource({ ldf: p, trn, threads, parallelMinBytes: 0 });
          const source = withMetadata(src, [layout]);
          for await (const _ of recoverRows(source, { operations: ['delete'] })) void _;
          await source.close();
          // the .ldf's items as the .ldf alone gives them
          expect(src.skipped().filter((x) => x.location?.file === p)).toEqual(lost);
          expect(src.notes.filter((n) => n.includes('were read from log backup'))).toEqual([]);
        }
      }
      // and with the whole chain the same hole is no loss
      const all = await committedDeletes({ ldf: p, trn: files });
      expect(all.skipped).toEqual([]);
      expect(all.rows).toEqual((await committedDeletes({ ldf: ldf() })).rows);
    } finally {
      rmSync(p, { force: true });
      rmSync(half, { force: true });
    }
  });

  it('log lost at the start of a VLF of the .ldf (its first blocks zeroed): FORMAT_LOG_GAP from the VLF\'s first block 0x10 (the .ldf alone was silently short); beside backups that hold it a note, beside ones that do not still a loss', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    // VLF 41's blocks 0x10 and 0x88 zeroed: its first block read is 41:100
    const p = holed('vlf-start.ldf', [[vlfAt(1) + 0x2000, vlfAt(1) + 0x100 * 512]]);
    try {
      const alone = await committedDeletes({ ldf: p });
      expect(alone.rows.length).toBeLessThan(whole.rows.length);
      const lost = alone.skipped.filter((x) => x.code === 'FORMAT_LOG_GAP' || x.code === 'FORMAT_BAD_LOG_BLOCK');
      expect(lost.map((x) => [x.code, x.location.lsn, x.location.offset])).toEqual([['FORMAT_LOG_GAP', '00000029:00000010:0001', vlfAt(1) + 0x2000]]);
      const files = chain.backups.map((b) => b.file);
      for (const threads of [1, 2]) {
        const all = await scanWithNotes({ ldf: p, trn: files, threads, parallelMinBytes: 0 });
        const rows = all.rows;
        expect(all.skipped()).toEqual([]);
        expect(rows).toEqual(whole.rows);
        expect(all.notes.filter((n) => n.includes('00000029:00000010:0001 up to 00000029:00000100:0001') && n.includes(files[1]))).toHaveLength(1);
        for (const trn of [files.slice(2), files.slice(0, 1)]) {
          const r = await committedDeletes({ ldf: p, trn, threads, parallelMinBytes: 0 });
          expect(r.skipped.filter((x) => x.location?.file === p)).toEqual(lost);
        }
      }
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('a VLF of the .ldf whose every log block is lost (zeroed, its header kept) while a VLF of a later sequence holds log: FORMAT_LOG_GAP for it (1,273 of 6,280 rows were missing, nothing reported; 55 beside a chain ending inside it); beside backups holding all of it a note, beside ones holding part of it still a loss; the same on two threads', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    // VLF 1 (sequence 41): every block from 0x10 to its end zeroed; VLFs 42 to 45 hold log
    const p = holed('vlf-empty.ldf', [[vlfAt(1) + 0x2000, vlfAt(2)]]);
    try {
      const alone = await committedDeletes({ ldf: p });
      expect(alone.rows.length).toBeLessThan(whole.rows.length);
      const lost = alone.skipped.filter((x) => x.code === 'FORMAT_LOG_GAP' || x.code === 'FORMAT_BAD_LOG_BLOCK');
      expect(lost.map((x) => [x.code, x.location.lsn, x.location.offset])).toEqual([['FORMAT_LOG_GAP', '00000029:00000010:0001', vlfAt(1) + 0x2000]]);
      const files = chain.backups.map((b) => b.file);
      for (const threads of [1, 2]) {
        const all = await scanWithNotes({ ldf: p, trn: files, threads, parallelMinBytes: 0 });
        const rows = all.rows;
        expect(all.skipped()).toEqual([]);
        expect(rows).toEqual(whole.rows);
        const said = all.notes.filter((n) => n.includes('were read from log backup'));
        expect(said).toHaveLength(1);
        expect(said[0]).toContain(`LSN 00000029:00000010:0001 up to 0000002a:00000010:0001 (file offsets ${vlfAt(1) + 0x2000} to ${vlfAt(2)})`);
        // the .ldf split into ranges of VLFs on workers: the same
        const split = await committedDeletes({ ldf: p, trn: files, threads, parallelMinBytes: 0, ldfVlfRanges: true });
        expect(split.skipped).toEqual([]);
        expect(split.rows).toEqual(whole.rows);
        expect((await committedDeletes({ ldf: p, threads, parallelMinBytes: 0, ldfVlfRanges: true })).skipped.filter((x) => x.code === 'FORMAT_LOG_GAP')).toEqual(lost);
        // a chain ending inside VLF 41 (at 41:1f0), or starting after it: the rest of 41 is lost, and said
        for (const trn of [files.slice(0, 2), files.slice(3)]) {
          const r = await committedDeletes({ ldf: p, trn, threads, parallelMinBytes: 0 });
          expect(r.rows.length).toBeLessThan(whole.rows.length);
          expect(r.skipped.filter((x) => x.location?.file === p)).toEqual(lost);
        }
      }
    } finally {
      rmSync(p, { force: true });
    }
  });

  it('a hole in the .ldf at a VLF\'s end (torn mid-block, zeroed to the VLF\'s end), alone or spanning into the next VLF\'s first blocks, that the backups hold: no FORMAT_BAD_LOG_BLOCK left (it made the scan INCOMPLETE with no row missing), a note names it; beside a chain lacking it still a loss; the same on two threads', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    const files = chain.backups.map((b) => b.file);
    const cases = [
      { name: 'vlf-tail.ldf', holes: [[vlfAt(2) + 0x180 * 512, vlfAt(3)]] as Array<[number, number]> },
      { name: 'vlf-span.ldf', holes: [[vlfAt(2) + 0x180 * 512, vlfAt(3)], [vlfAt(3) + 0x2000, vlfAt(3) + 0x100 * 512]] as Array<[number, number]> },
    ];
    for (const { name, holes } of cases) {
      const p = holed(name, holes);
      try {
        const alone = await committedDeletes({ ldf: p });
        expect(alone.rows.length).toBeLessThan(whole.rows.length);
        const bad = alone.skipped.filter((x) => x.code === 'FORMAT_BAD_LOG_BLOCK');
        expect(bad).toHaveLength(1); // the block the hole starts in, torn
        for (const threads of [1, 2]) {
          const all = await scanWithNotes({ ldf: p, trn: files, threads, parallelMinBytes: 0 });
          const rows = all.rows;
          expect(all.skipped()).toEqual([]);
          expect(rows).toEqual(whole.rows);
          // named by its own note, or (the next VLF's first block naming another last block: a
          // FORMAT_LOG_GAP to the VLF's end) by the gap's note, whose file range holds it
          expect(all.notes.filter((n) => (n.includes(`unreadable bytes at file offset ${bad[0].location.offset}`) || n.includes(`(file offsets ${bad[0].location.offset} to `)) && n.includes('were read from log backup'))).toHaveLength(1);
          // a chain ending before VLF 42: the torn block is lost log, said as the .ldf alone says it
          const r = await committedDeletes({ ldf: p, trn: files.slice(0, 2), threads, parallelMinBytes: 0 });
          expect(r.skipped.filter((x) => x.code === 'FORMAT_BAD_LOG_BLOCK')).toEqual(bad);
        }
      } finally {
        rmSync(p, { force: true });
      }
    }
  });

  it('stale log of a reused VLF beside a chain whose first backup starts inside a log block it shares with the backup before it (that one not given): each row once (the records of that block before the backup\'s FirstLSN were given twice: from the stale copy and from the backup), the same on two threads', async () => {
    // its own SYNTHETIC log: consecutive backups share their boundary block, FirstLSN a record inside it
    const sub2 = join(dir, 'merge-shared');
    mkdirSync(sub2, { recursive: true });
    const ldf2 = join(sub2, 'crm_log.ldf');
    const shared = trnChainSink({ dir: sub2, backupBytes: 200 * 1024, shareBoundaryBlock: true });
    writeSyntheticLog([ldfSink(ldf2), shared.sink], { targetBytes: 6 * VLF, row, rollbackShare: 0.2, concurrency: 5, finishAtEnd: true }, { allocUnitId: AU, vlfSize: VLF });
    const whole = await committedDeletes({ ldf: ldf2 });
    const b = readFileSync(ldf2);
    b.writeUInt32LE(46, vlfAt(0) + 4); // VLF 0 (sequence 40) reused as 46: its blocks are stale
    const p = join(sub2, 'reused-shared.ldf');
    writeFileSync(p, b);
    try {
      const first = shared.backups[1].firstLsn;
      expect(first.vlf).toBe(40);
      expect(first.slot).toBeGreaterThan(1); // the block holding FirstLSN holds records before it too
      const trn = shared.backups.slice(1).map((x) => x.file);
      for (const threads of [1, 2]) {
        const r = await committedDeletes({ ldf: p, trn, threads, parallelMinBytes: 0 });
        expect(r.skipped).toEqual([]);
        expect(r.rows.length - new Set(r.rows).size).toBe(0);
        expect(r.rows).toEqual(whole.rows);
      }
    } finally {
      rmSync(sub2, { recursive: true, force: true });
    }
  });

  it('a backup whose stream lost its last block: FORMAT_LOG_STREAM_SHORT alone and beside an .ldf lacking that block too; beside an .ldf whose current log holds it a note, no loss (it made the scan INCOMPLETE with every row there); the same for one thread and two', async () => {
    setup();
    const k = 2;
    const b = readFileSync(chain.backups[k].file);
    const ranges = openBackupLogStream(chain.backups[k].file).ranges;
    // walk the last MQTL's blocks (block size u16 @6) to the last one, and zero it
    let at = ranges[ranges.length - 1].start;
    let last = at;
    while (at < ranges[ranges.length - 1].end && b[at + 6] | b[at + 7]) {
      last = at;
      at += b.readUInt16LE(at + 6);
    }
    // its LSN position (block header: first LSN's VLF sequence @12, block @16), for an .ldf lacking it
    const lostVlf = b.readUInt32LE(last + 12);
    const lostBlock = b.readUInt32LE(last + 16);
    const lostBytes = at - last;
    b.fill(0, last, at);
    const p = join(sub, 'short-end.trn');
    writeFileSync(p, b);
    const lacking = holed('lacks-short-end.ldf', [[vlfAt(lostVlf - 40) + lostBlock * 512, vlfAt(lostVlf - 40) + lostBlock * 512 + lostBytes]]);
    try {
      const files = chain.backups.map((x, i) => (i === k ? p : x.file));
      const short = (r: { skipped: SkippedItem[] }) => r.skipped.filter((x) => x.code === 'FORMAT_LOG_STREAM_SHORT').map((x) => x.location?.file);
      expect(short(await committedDeletes({ trn: files }))).toEqual([p]);
      const whole = await committedDeletes({ ldf: ldf() });
      for (const threads of [1, 2]) {
        const src = await scanWithNotes({ ldf: ldf(), trn: files, threads, parallelMinBytes: 0 });
        const rows = src.rows;
        // the .ldf holds that block: no row is missing, and no loss is said
        expect(src.skipped()).toEqual([]);
        expect(rows).toEqual(whole.rows);
        expect(src.notes.filter((n) => n.startsWith(`log backup ${p} lacks LSNs `) && n.includes('FORMAT_LOG_STREAM_SHORT') && n.includes(`${ldf()} holds that log`))).toHaveLength(1);
        // an .ldf lacking that block too: the backup's loss stays, with the .ldf's own
        const r = await committedDeletes({ ldf: lacking, trn: files, threads, parallelMinBytes: 0 });
        expect(short(r)).toEqual([p]);
      }
    } finally {
      rmSync(p, { force: true });
      rmSync(lacking, { force: true });
    }
  });

  it('a backup whose stream lost a block inside it (FORMAT_LOG_GAP in the backup): beside an .ldf whose current log holds that block a note, no loss (it made the scan INCOMPLETE with every row there); alone and beside an .ldf lacking it still a loss; the same for one thread and two', async () => {
    setup();
    const k = 2;
    const b = readFileSync(chain.backups[k].file);
    // zero backup 2's block 42:100 (block header: size u16 @6, first LSN's VLF sequence @12, block @16)
    let zeroed = 0;
    for (const r of openBackupLogStream(chain.backups[k].file).ranges) {
      for (let at = r.start; at < r.end && b.readUInt16LE(at + 6); ) {
        const size = b.readUInt16LE(at + 6);
        if (b.readUInt32LE(at + 12) === 42 && b.readUInt32LE(at + 16) === 0x100) {
          b.fill(0, at, at + size);
          zeroed++;
          break;
        }
        at += size;
      }
    }
    expect(zeroed).toBe(1);
    const p = join(sub, 'mid-hole.trn');
    writeFileSync(p, b);
    const lacking = holed('lacks-mid-hole.ldf', [[vlfAt(2) + 0x100 * 512, vlfAt(2) + 0x178 * 512]]);
    try {
      const files = chain.backups.map((x, i) => (i === k ? p : x.file));
      const gaps = (r: { skipped: SkippedItem[] }) => r.skipped.filter((x) => x.code === 'FORMAT_LOG_GAP' && x.location?.file === p).map((x) => x.location.lsn);
      expect(gaps(await committedDeletes({ trn: files }))).toEqual(['0000002a:00000100:0001']);
      const whole = await committedDeletes({ ldf: ldf() });
      for (const threads of [1, 2]) {
        const src = await scanWithNotes({ ldf: ldf(), trn: files, threads, parallelMinBytes: 0 });
        const rows = src.rows;
        expect(src.skipped()).toEqual([]);
        expect(rows).toEqual(whole.rows);
        expect(src.notes.filter((n) => n.startsWith(`log backup ${p} lacks LSNs 0000002a:00000100:0001 up to 0000002a:00000178:0001 (FORMAT_LOG_GAP)`))).toHaveLength(1);
        const r = await committedDeletes({ ldf: lacking, trn: files, threads, parallelMinBytes: 0 });
        expect(gaps(r)).toEqual(['0000002a:00000100:0001']);
      }
    } finally {
      rmSync(p, { force: true });
      rmSync(lacking, { force: true });
    }
  });

  it('progress moves while a one-thread scan reads inside a backup (its stats are its own until its read ends)', async () => {
    setup();
    const file = openFileSource({ trn: chain.backups.map((b) => b.file) });
    const src = withMetadata(file, [layout]);
    let atFirstRow = -1;
    for await (const ev of recoverRows(src, { operations: ['delete'] })) if (ev.kind === 'row' && atFirstRow < 0) atFirstRow = file.progress().bytesRead;
    await src.close();
    expect(atFirstRow).toBeGreaterThan(0);
    expect(atFirstRow).toBeLessThan(chain.backups[0].logBytes + 1024 * 1024);
    expect(file.progress().bytesRead).toBeGreaterThan(atFirstRow);
  });

  it('a chain covering only the older part of the log and an .ldf holding all of it: the rows of the .ldf alone, once', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    const both = await committedDeletes({ ldf: ldf(), trn: chain.backups.slice(0, 3).map((b) => b.file) });
    expect(both.skipped).toEqual([]);
    expect(both.rows).toEqual(whole.rows);
  });
  it('an .ldf with a reused VLF (its blocks stale: log of an earlier use the chain holds) beside the chain: each row once, in LSN order (1,272 rows were given twice, the stale copies at the end), the same on two threads', async () => {
    setup();
    const whole = await committedDeletes({ ldf: ldf() });
    const b = readFileSync(ldf());
    // VLF 0 (sequence 40) taken again as sequence 46 before anything was written in it: its blocks hold the log of 40
    expect([0, 1, 2, 3, 4, 5].map((i) => b.readUInt32LE(vlfAt(i) + 4))).toEqual([40, 41, 42, 43, 44, 45]);
    b.writeUInt32LE(46, vlfAt(0) + 4);
    const p = join(sub, 'reused.ldf');
    writeFileSync(p, b);
    try {
      const files = chain.backups.map((x) => x.file);
      // not vacuous: the .ldf alone gives the stale log (it is the only copy there)
      expect((await committedDeletes({ ldf: p })).rows.length).toBe(whole.rows.length);
      const both = await committedDeletes({ ldf: p, trn: files });
      expect(both.skipped).toEqual([]);
      expect(both.rows).toEqual(whole.rows);
      const two = await committedDeletes({ ldf: p, trn: files, threads: 2, parallelMinBytes: 0 });
      expect(two.rows).toEqual(whole.rows);
    } finally {
      rmSync(p, { force: true });
    }
  });
});
