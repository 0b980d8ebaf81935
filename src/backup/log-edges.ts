/**
 * Where a backup set's log stream starts and ends, read from its first and last log block only.
 *
 * Used to tell which copy of a backup set's header (config-stream.ts) holds the backup's own LSNs
 * when the two copies disagree on them. Corpus fact (all 24 sets of the 22 backups, SQL Server
 * 2005–2025, full, differential and log backups, measured on 2026-12-03): the first block of the
 * log stream starts at the (VLF, block) of the header's FirstLSN (its slot lies in that block), and
 * the last block ends exactly at the (VLF, block) of the header's LastLSN (slot 1), or at the end of
 * VLF N when LastLSN is (N + 1):0x10:1 (StDb2Sql.bak set 2). A full or differential backup's
 * CheckpointLSN lies in that range.
 *
 * Cost: the first block is the first one the stream's first range holds, read alone where the
 * range starts with it (every corpus stream; else the range is scanned up to it); the last is found by hopping from the first block of the last range (one VLF) from block
 * header to block header (one 512-byte read per block, the blocks of a VLF lying end to end in the
 * stream), and only that last block is read whole. A hop that meets bytes that are neither the next
 * block nor never-written sectors (a damaged block) scans the rest of that range block by block.
 */
import { BlockScanner, NEED_MORE, type BlockEvent } from '../logreader/ldf/block-scanner.js';
import { SECTOR, VLF_FIRST_BLOCK_ID } from '../logreader/ldf/constants.js';
import { blockHeaderProblem, blockParity, fixupBlock, parseBlockHeader } from '../logreader/ldf/structures.js';
import type { Lsn } from '../logreader/lsn.js';
import type { BackupBytes } from './bytes.js';

export interface LogStreamEdges {
  /** The first LSN of the first whole block of the stream (slot 1 of that block, as the block header says). */
  first: Lsn;
  /** Records in that first block: the slots first.slot .. first.slot + firstRecords - 1 lie in it. */
  firstRecords: number;
  /** Where the last whole block ends: its VLF and the block number the next block would have. */
  end: { vlf: number; block: number };
}

const CHUNK = 1 << 16;

/**
 * The first and last whole log block of a backup set's log stream (`ranges`: the payload ranges of
 * its MQTL streams in file order, MTF-stream offsets, log-stream.ts), read through `src`. Returns a
 * one-line reason instead when the stream holds no whole block, or its first block (the first
 * range's first bytes, when written) or its last block does not read whole (a torn or damaged
 * block: where the stream starts or ends is not known). Never throws on bad bytes; throws as
 * `src.readSync` does.
 */
export function readLogStreamEdges(src: BackupBytes, ranges: ReadonlyArray<{ start: number; end: number }>): LogStreamEdges | string {
  let first: BlockEvent | null = null;
  for (const r of ranges) {
    first = firstBlockIn(src, r.start, r.end);
    if (first) break;
  }
  if (!first) return ranges.length ? 'its log stream holds no whole log block' : 'the backup set has no log stream';
  // the stream's first bytes written but not a whole block: its first block is damaged, so where the
  // stream starts is not known (the block after it was taken as the first: a closing header copy whose
  // FirstLSN was raised to that block was then read silently, as the later copy of a 2019+ backup)
  const head = ranges[0]!;
  if (first.offset !== head.start) {
    const why = firstBlockProblem(src, head.start, head.end);
    if (why !== null) return `its first log block (offset ${head.start}) does not read whole: ${why}`;
  }
  const firstRange = ranges.find((r) => first!.offset >= r.start && first!.offset < r.end);
  for (const r of [...ranges].reverse()) {
    // the stream's first range (one VLF: every corpus full backup) starts at the block already read
    const start = r === firstRange ? first : firstBlockIn(src, r.start, r.end);
    if (!start) continue;
    const last = lastBlockFrom(src, start, r.end);
    if (typeof last === 'string') return last;
    return {
      first: first.header.firstLsn,
      firstRecords: first.header.recordCount,
      end: { vlf: last.lsn.vlf, block: last.lsn.block + last.size / SECTOR },
    };
  }
  return 'its log stream holds no whole log block';
}

/** The first whole block between stream offsets `start` and `end`, or null: read alone when it starts at `start` (every corpus stream), else found by a scan. */
function firstBlockIn(src: BackupBytes, start: number, end: number): BlockEvent | null {
  const at = wholeBlockAt(src, start, end);
  if (at) return at;
  let found: BlockEvent | null = null;
  scan(src, start, end, (ev) => {
    found = ev;
    return false;
  });
  return found;
}

/** The block starting at `at` when one does (header, sectors and checksum checked), read alone; else null. */
function wholeBlockAt(src: BackupBytes, at: number, end: number): BlockEvent | null {
  const sector = Buffer.alloc(SECTOR);
  if (at + SECTOR > end || src.readSync(sector, 0, SECTOR, at) < SECTOR || blockHeaderProblem(sector, 0) !== null) return null;
  const h = parseBlockHeader(sector, 0);
  if (at + h.size > end) return null;
  const block = Buffer.alloc(h.size);
  if (src.readSync(block, 0, h.size, at) < h.size) return null;
  const fixed = fixupBlock(block, 0, h.size);
  if (typeof fixed === 'string') return null;
  return { kind: 'block', offset: at, header: parseBlockHeader(fixed, 0), parity: blockParity(sector, 0), bytes: fixed };
}

/** Why the bytes at `at` are not a whole block, or null when they were never written (zeros or 0xc0: no block begins there). */
function firstBlockProblem(src: BackupBytes, at: number, end: number): string | null {
  const sector = Buffer.alloc(SECTOR);
  if (at + SECTOR > end || src.readSync(sector, 0, SECTOR, at) < SECTOR) return 'cut short';
  if (sector.every((x) => x === 0) || sector.every((x) => x === 0xc0)) return null;
  const bad = blockHeaderProblem(sector, 0);
  if (bad !== null) return bad;
  const size = parseBlockHeader(sector, 0).size;
  if (at + size > end) return 'cut short';
  const block = Buffer.alloc(size);
  if (src.readSync(block, 0, size, at) < size) return 'cut short';
  const fixed = fixupBlock(block, 0, size);
  return typeof fixed === 'string' ? fixed : 'it does not read as a block';
}

/** Runs a block scanner over [start, end) and hands each whole block to `take` until it returns false. */
function scan(src: BackupBytes, start: number, end: number, take: (ev: BlockEvent) => boolean): void {
  const scanner = new BlockScanner(start);
  let at = start;
  for (;;) {
    const ev = scanner.next();
    if (ev === null) return;
    if (ev === NEED_MORE) {
      if (at >= end) {
        scanner.end();
        continue;
      }
      const n = Math.min(CHUNK, end - at);
      const into = scanner.reserve(n);
      const got = src.readSync(scanner.buffer, into, n, at);
      if (got <= 0) scanner.end();
      else {
        scanner.commit(got);
        at += got;
      }
      continue;
    }
    if (ev.kind === 'block' && !take(ev)) return;
  }
}

/** The last block of one VLF's range from its first block `b` on (module comment); a reason when it does not read whole. */
function lastBlockFrom(src: BackupBytes, b: BlockEvent, end: number): { lsn: Lsn; size: number } | string {
  let cur = { lsn: b.header.firstLsn, size: b.header.size, offset: b.offset, whole: true };
  const sector = Buffer.alloc(SECTOR);
  for (;;) {
    const at = cur.offset + cur.size;
    const next = { vlf: cur.lsn.vlf, block: cur.lsn.block + cur.size / SECTOR };
    if (at + SECTOR > end || src.readSync(sector, 0, SECTOR, at) < SECTOR) break;
    if (sector.every((x) => x === 0) || sector.every((x) => x === 0xc0)) break; // never written: the log ends here
    if (blockHeaderProblem(sector, 0) === null) {
      const h = parseBlockHeader(sector, 0);
      if (h.firstLsn.vlf === next.vlf && h.firstLsn.block === next.block && at + h.size <= end) {
        cur = { lsn: h.firstLsn, size: h.size, offset: at, whole: false };
        continue;
      }
    }
    // neither the next block nor never-written bytes: damage; the rest of the range is scanned
    let later: BlockEvent | null = null;
    scan(src, at, end, (ev) => {
      const l = ev.header.firstLsn;
      if (l.vlf === next.vlf && l.block >= next.block) later = ev;
      return true;
    });
    if (!later) {
      // no whole block after the damaged bytes: they are the stream's last block, torn or damaged
      // (its header unreadable), so where the stream ends is not known. Taking the block before
      // them as the last put the end a block early, and a header copy whose LastLSN was lowered to
      // that block was then chosen over the intact one (its records then read as 'none lost').
      const problem = blockHeaderProblem(sector, 0) ?? 'its header is not the next block\'s';
      return `its last log block (offset ${at}, where ${next.vlf.toString(16)}:${next.block.toString(16)} was due) does not read whole: ${problem}`;
    }
    const ev: BlockEvent = later;
    cur = { lsn: ev.header.firstLsn, size: ev.header.size, offset: ev.offset, whole: true };
    break;
  }
  if (!cur.whole) {
    const block = Buffer.alloc(cur.size);
    if (src.readSync(block, 0, cur.size, cur.offset) < cur.size) return `its last log block (offset ${cur.offset}) is cut short`;
    const fixed = fixupBlock(block, 0, cur.size);
    if (typeof fixed === 'string') return `its last log block (offset ${cur.offset}, LSN ${cur.lsn.vlf.toString(16)}:${cur.lsn.block.toString(16)}) does not read whole: ${fixed}`;
  }
  return { lsn: cur.lsn, size: cur.size };
}

/** True when log read up to `end` reaches `lsn` exactly: the same VLF and block, or `end` at the end of VLF N and `lsn` (N + 1):0x10:1 (log-coverage.ts). */
export function endsAt(end: { vlf: number; block: number }, lsn: Lsn): boolean {
  if (lsn.slot !== 1) return false;
  if (end.vlf === lsn.vlf) return end.block === lsn.block;
  return lsn.vlf === end.vlf + 1 && lsn.block === VLF_FIRST_BLOCK_ID;
}
