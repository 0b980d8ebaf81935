/**
 * The merged read of an .ldf and a chain of log backups (`scan --ldf X --trn …`, files.ts): both
 * read side by side and merged block by block in LSN order, with the bookkeeping that tells what
 * the merge lost and what it did not (runs of the .ldf's current log that span a break in the
 * chain; stretches the .ldf lost that the backups hold).
 *
 * An .ldf given with log backups usually still holds log they backed up (a log backup marks VLFs
 * reusable; their bytes stay until reused), so a log block can come from both; and the backups
 * may hold log the .ldf lacks (older, reused VLFs; a zeroed or torn stretch). An LSN names one
 * record of a database's log and a log block is written once, so a backup's block of which the
 * .ldf gave current (not stale) records at the same position (VLF sequence + block number: the
 * first 17 characters of a printed LSN, fixed-width lower-case hex, so positions compare as
 * strings) is the .ldf's block again, and is passed over; blocks the .ldf lacks come from the
 * backups at their place in LSN order, so a transaction whose records are split between the two
 * is seen in order.
 */
import { formatLsn, parseLsn } from '../../logreader/lsn.js';
import { openInput } from '../../util/input-open.js';
import { VLF_FIRST_BLOCK_ID } from '../../logreader/ldf/constants.js';
import { emptyLogScanStats, ldfStaleRuns, readLdfLayout, readLdfStaleBatches, type LogScanOptions, type LogScanStats, type RecordKeep, type StaleLogRun } from '../../logreader/ldf/reader.js';
import type { LogRecord } from '../../logreader/log-record.js';
import type { Lsn } from '../../logreader/lsn.js';
import type { SkippedItem } from '../source.js';
import { CHAIN_GAP_TAIL, type LogChainGap } from '../../backup/log-chain.js';
import { FormatError } from '../../errors.js';
import { fixupBlock } from '../../logreader/ldf/structures.js';

/**
 * One log block as the file source reads it: the records built of it (after a backup's repeat
 * check), its position (first 17 characters of its first LSN: VLF sequence + block number), its
 * length in 512-byte units, whether it is stale (log of a reused VLF's earlier use), and the
 * file it was read from.
 */
export interface PositionedLogBlock {
  records: LogRecord[];
  block: string;
  sectors: number;
  stale: boolean;
  kind: 'ldf' | 'trn' | 'bak';
  file: string;
  /** The block's file offset (an .ldf's blocks), when the reader gave it. */
  offset?: number;
}

/** An .ldf block's place: position (first 17 characters of its first LSN), length in 512-byte units, file offset. */
interface LdfBlockAt {
  block: string;
  sectors: number;
  offset?: number;
}

/**
 * The LSN positions of an .ldf's blocks read so far, to read each LSN once. An LSN is a VLF
 * sequence, a block number (the block's 512-byte offset from the start of the VLF it was written
 * in) and a slot in that block (FORMAT-NOTES §3), and a log block is written once: so a block of
 * one sequence whose block numbers [start, start + sectors) meet those of a block read before is
 * that log again — in a healthy .ldf never (each sequence is written in one VLF, and a stale run
 * is the log of an earlier sequence of the VLF it lies in), in a copied or damaged one where the
 * same old VLF's blocks survive in two places, a stale run copies current log, or two VLF headers
 * name one sequence. Kept as runs of consecutive blocks per sequence (a VLF's blocks are one run),
 * each with the file offset of its first block, so the earlier copy of any block can be found.
 */
export class LdfBlocksOnce {
  private readonly bySeq = new Map<number, Array<{ start: number; end: number; offset?: number }>>();

  /**
   * Takes the block at `b` when none of its LSNs was read before (returns null); else returns the
   * file offset of the earlier copy of its first block (undefined when not known) and takes nothing.
   */
  claim(b: LdfBlockAt): { offset: number | undefined } | null {
    const vlf = parseInt(b.block.slice(0, 8), 16);
    const start = parseInt(b.block.slice(9), 16);
    const end = start + b.sectors;
    let runs = this.bySeq.get(vlf);
    if (!runs) this.bySeq.set(vlf, (runs = []));
    for (const r of runs) {
      if (start < r.end && r.start < end) {
        const at = Math.max(start, r.start);
        return { offset: r.offset === undefined ? undefined : r.offset + (at - r.start) * 512 };
      }
    }
    const last = runs[runs.length - 1];
    // one run while the blocks follow each other in LSN and in the file (a VLF's blocks do)
    if (last && last.end === start && (last.offset === undefined ? b.offset === undefined : b.offset === last.offset + (start - last.start) * 512)) last.end = end;
    else runs.push({ start, end, ...(b.offset !== undefined ? { offset: b.offset } : {}) });
    return null;
  }
}

/**
 * What a merged read says about log an .ldf holds twice (LdfBlocksOnce): runs of blocks whose two
 * copies are the same bytes become one note each; a block whose copies differ (fixed-up bytes, read
 * again from the file) is FORMAT_LOG_SOURCES_DISAGREE (a log loss: the rows there may be of either
 * copy), consecutive ones reported once. The copy kept is the one read first: the current block
 * where a stale copy stands at the same position, else the one met first in LSN order (stale runs by their first LSN, VLFs of one sequence by file order).
 */
class HeldTwice {
  private run: { kind: 'same' | 'differ' | 'unknown'; from: string; to: { vlf: number; block: number }; kept?: number; dropped?: number } | null = null;
  constructor(private readonly ldf: string, private readonly notes: string[], private readonly skipped: SkippedItem[]) {}

  async add(dropped: LdfBlockAt, keptOffset: number | undefined): Promise<void> {
    const vlf = parseInt(dropped.block.slice(0, 8), 16);
    const block = parseInt(dropped.block.slice(9), 16);
    const same = await sameBlockBytes(this.ldf, keptOffset, dropped.offset, dropped.sectors);
    const kind = same === null ? 'unknown' : same ? 'same' : 'differ';
    const r = this.run;
    if (r && r.kind === kind && r.to.vlf === vlf && r.to.block === block) {
      r.to.block = block + dropped.sectors;
      return;
    }
    this.flush();
    this.run = { kind, from: dropped.block, to: { vlf, block: block + dropped.sectors }, ...(keptOffset !== undefined ? { kept: keptOffset } : {}), ...(dropped.offset !== undefined ? { dropped: dropped.offset } : {}) };
  }

  flush(): void {
    const r = this.run;
    if (!r) return;
    this.run = null;
    const from = `${r.from}:0001`;
    const upTo = formatLsn({ vlf: r.to.vlf, block: r.to.block, slot: 1 });
    const where = `at file offset ${r.kept ?? '?'} and at file offset ${r.dropped ?? '?'}`;
    if (r.kind === 'same') {
      this.notes.push(`${this.ldf}: the log blocks of LSNs ${from} up to ${upTo} are held twice in the file (${where}: a copied or damaged .ldf), the same bytes: read once, from file offset ${r.kept ?? '?'}`);
    } else if (r.kind === 'unknown') {
      this.notes.push(`${this.ldf}: the log blocks of LSNs ${from} up to ${upTo} are held twice in the file (a copied or damaged .ldf): read once, from the copy read first; whether the two copies are the same bytes could not be checked`);
    } else {
      this.skipped.push({
        code: 'FORMAT_LOG_SOURCES_DISAGREE',
        reason: `${this.ldf} holds two different copies of the log blocks of LSNs ${from} up to ${upTo} (${where}: a copied or damaged .ldf): the copy at file offset ${r.kept ?? '?'} was read (the current log where one copy is current); rows there may be of either copy`,
        location: { file: this.ldf, lsn: from, ...(r.dropped !== undefined ? { offset: r.dropped } : {}) },
        lsnRange: { first: from, last: upTo },
      });
    }
  }
}

/**
 * Whether the blocks of `sectors` × 512 bytes at file offsets `a` and `b` of `file` are the same log
 * once fixed up (the sector fix-up bytes restored, FORMAT-NOTES §3: parity aside, a stale copy in a
 * VLF of the other parity is the same log); false when one does not fix up; null when an offset is
 * not known or the file cannot be read there (nothing to compare).
 */
async function sameBlockBytes(file: string, a: number | undefined, b: number | undefined, sectors: number): Promise<boolean | null> {
  if (a === undefined || b === undefined) return null;
  let fh: Awaited<ReturnType<typeof openInput>>;
  try {
    fh = await openInput(file);
  } catch {
    return null;
  }
  try {
    const read = async (at: number): Promise<Uint8Array | string> => {
      const buf = Buffer.alloc(sectors * 512);
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      return bytesRead === buf.length ? fixupBlock(buf, 0, buf.length) : 'short';
    };
    const x = await read(a);
    const y = await read(b);
    if (x === 'short' || y === 'short') return null;
    return typeof x !== 'string' && typeof y !== 'string' && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(y);
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

/** A break in the chain of log backups: the earlier backup's LastLSN and the next one's FirstLSN (fn_dblog form), and the item reporting it. */
/** A break in the log-backup chain (backup/log-chain.ts). */
export type ChainGap = LogChainGap;

/**
 * The .ldf's lost stretches during a merged read (FORMAT_LOG_GAP, FORMAT_BAD_LOG_BLOCK), held
 * until the read ends, and the runs of blocks read from the backups. A FORMAT_LOG_GAP whose every
 * block [from, to) the backups' blocks read cover lost nothing (that log was read from them), nor
 * did the FORMAT_BAD_LOG_BLOCK runs inside its file range: `settle` turns them into a note naming
 * the .ldf range and the backup, and puts every other one in the skipped items where it was
 * reported. Coverage is judged on the blocks actually read, not on the backups' header ranges.
 * A gap the .ldf reader reports lies inside one VLF, whose LSN block numbers are 512-byte offsets
 * from the VLF's start (FORMAT-NOTES §3), so the gap's file range follows from its LSNs; one for a
 * VLF with no block of its own (from its first block 0x10) runs to the VLF's end, and is covered
 * only where the backups' blocks read reach that end.
 */
export class LdfHoles {
  /** `at`: the index in `skipped` the item would have had; `to`: the position of the .ldf's next block read (a gap's end). */
  private readonly held: Array<{ item: SkippedItem; at: number; to?: string }> = [];
  /** A backup's lost LSN range [from, to) (its stream short or missing), held as the .ldf's items are; `at` as there. */
  private readonly chainLost: Array<{ item: SkippedItem; at: number; from: Lsn; to: Lsn }> = [];
  /** Runs of the .ldf's current blocks read: VLF sequence, [start, end) in 512-byte blocks. */
  private readonly ldfBlocks: Array<{ vlf: number; start: number; end: number }> = [];
  /** Runs of consecutive blocks read from the backups: VLF sequence, [start, end) in 512-byte blocks, backup file. */
  private readonly chainBlocks: Array<{ vlf: number; start: number; end: number; file: string }> = [];

  /** `skipped`: the list uncovered items go to (the source's skipped items). */
  constructor(private readonly skipped: SkippedItem[]) {}

  /** Holds one of the .ldf's FORMAT_LOG_GAP / FORMAT_BAD_LOG_BLOCK items (others are not for it). */
  hold(item: SkippedItem): void {
    this.held.push({ item, at: this.skipped.length });
  }

  /** The .ldf's reader gave a (current) block at `block` (position), `sectors` long: the end of the gaps reported before it. */
  sawLdfBlock(block: string, sectors: number): void {
    for (let i = this.held.length - 1; i >= 0 && this.held[i].to === undefined; i--) this.held[i].to = block;
    const vlf = parseInt(block.slice(0, 8), 16);
    const start = parseInt(block.slice(9), 16);
    const last = this.ldfBlocks[this.ldfBlocks.length - 1];
    if (last && last.vlf === vlf && start >= last.start && start <= last.end) last.end = Math.max(last.end, start + sectors);
    else this.ldfBlocks.push({ vlf, start, end: start + sectors });
  }

  /**
   * Holds a log backup's item for an LSN range [from, to) its stream lacks (FORMAT_LOG_STREAM_SHORT,
   * FORMAT_LOG_STREAM_MISSING, FORMAT_LOG_GAP, and the FORMAT_BAD_LOG_BLOCK items inside such a
   * range): where the .ldf's current blocks read hold all of it, that log was read from the .ldf
   * and nothing was lost (`settle` makes it a note, one per range).
   */
  holdChainLoss(item: SkippedItem, from: Lsn, to: Lsn): void {
    this.chainLost.push({ item, at: this.skipped.length, from, to });
  }

  /** Whether runs `runs` cover blocks [from, to) of VLF `vlf` without a break (the files they came from, when they have them). */
  private static covers<R extends { vlf: number; start: number; end: number }>(runs: R[], vlf: number, from: number, to: number): R[] | null {
    const used: R[] = [];
    let at = from;
    for (const r of runs.filter((x) => x.vlf === vlf).sort((x, y) => x.start - y.start)) {
      if (at >= to || r.start > at) break;
      if (r.end > at) {
        at = r.end;
        used.push(r);
      }
    }
    return at >= to ? used : null;
  }

  /**
   * Whether the .ldf's current blocks read hold every record of LSNs [from, to): the blocks from
   * `from`'s up to `to`'s (its block too when `to` is not its first record), a VLF's blocks to its
   * end (its size, `vlfBlocks`) where the range goes on into the next VLF, from its first block 0x10.
   */
  private ldfHolds(from: Lsn, to: Lsn, vlfBlocks: ReadonlyMap<number, number>): boolean {
    const toEnd = to.slot > 1 ? to.block + 1 : to.block;
    if (from.vlf > to.vlf || (from.vlf === to.vlf && from.block >= toEnd)) return true;
    for (let v = from.vlf; v <= to.vlf; v++) {
      const start = v === from.vlf ? from.block : VLF_FIRST_BLOCK_ID;
      // a VLF the range goes on from: its log to where the .ldf's blocks of it end, where the .ldf
      // holds the next VLF's first block 0x10 (the .ldf's own read checks there that its last block
      // of the VLF is the one that block names, reader.ts ldfVlfEndLoss, and reports the loss
      // otherwise); else to the VLF's end
      const next = v === to.vlf ? undefined : this.ldfBlocks.find((r) => r.vlf === v + 1 && r.start === VLF_FIRST_BLOCK_ID);
      const ldfEnd = next ? this.ldfBlocks.filter((r) => r.vlf === v).reduce((m, r) => Math.max(m, r.end), 0) : 0;
      const end = v === to.vlf ? toEnd : ldfEnd > start ? ldfEnd : vlfBlocks.get(v);
      if (end === undefined) return false;
      if (start < end && !LdfHoles.covers(this.ldfBlocks, v, start, end)) return false;
    }
    return true;
  }

  /** A block read from a backup (yielded, or passed over as the .ldf's block again). */
  sawChainBlock(b: Pick<PositionedLogBlock, 'block' | 'sectors' | 'file'>): void {
    const vlf = parseInt(b.block.slice(0, 8), 16);
    const start = parseInt(b.block.slice(9), 16);
    const end = start + b.sectors;
    const last = this.chainBlocks[this.chainBlocks.length - 1];
    if (last && last.vlf === vlf && last.file === b.file && start >= last.start && start <= last.end) last.end = Math.max(last.end, end);
    else this.chainBlocks.push({ vlf, start, end, file: b.file });
  }

  /**
   * Whether the backups hold VLF `from.vlf`'s log from `from` to its end: one backup's blocks read
   * go on at (N + 1):0x10 (its own read checks there that its last block of N is the one that block
   * names, reader.ts previousBlockSize) and cover N from `from` up to where that backup's log of N
   * ends. A backup with no block of N (it starts at (N + 1):0x10) cannot say where N ended: false.
   */
  private chainHoldsVlfEnd(from: Lsn): boolean {
    const nextFirst = this.chainBlocks.find((r) => r.vlf === from.vlf + 1 && r.start === VLF_FIRST_BLOCK_ID);
    if (!nextFirst) return false;
    const runs = this.chainBlocks.filter((r) => r.vlf === from.vlf && r.file === nextFirst.file);
    if (!runs.length) return false;
    const last = runs.reduce((m, r) => Math.max(m, r.end), 0);
    return last <= from.block || this.chainHolds(from.vlf, from.block, last) !== null;
  }

  /** The backups whose blocks read cover blocks [from, to) of VLF `vlf` without a break, or null when some block of it was not read from them. */
  private chainHolds(vlf: number, from: number, to: number): Set<string> | null {
    const runs = LdfHoles.covers(this.chainBlocks, vlf, from, to);
    return runs ? new Set(runs.map((r) => r.file)) : null;
  }

  /**
   * Once the read ends: with `whole` (read to its end, reporting), the covered stretches become
   * notes (pushed to `notes`, naming `ldf`); every other held item goes into the skipped items at
   * the index it would have had. `vlfs`: the .ldf's VLFs (layout), for the end of a VLF with no
   * block of its own. A FORMAT_BAD_LOG_BLOCK is judged by the LSN range the reader gave it: covered
   * with the gap naming the same range (one loss), else where the backups' blocks read hold that
   * range. Empties the held list.
   */
  settle(whole: boolean, ldf: string, notes: string[], vlfs: ReadonlyArray<{ seq: number; offset: number; size: number }> = []): void {
    const vlfBlocks = new Map<number, number>();
    for (const v of vlfs) vlfBlocks.set(v.seq, v.size / 512);
    const covered = new Set<number>();
    if (whole) {
      const spans: Array<{ start: number; end: number }> = [];
      this.held.forEach((h, i) => {
        const { lsn, offset } = h.item.location;
        if (h.item.code !== 'FORMAT_LOG_GAP' || !lsn || offset === undefined) return;
        const from = parseLsn(lsn);
        const toVlf = h.to ? parseInt(h.to.slice(0, 8), 16) : null;
        const toBlock = h.to ? parseInt(h.to.slice(9), 16) : null;
        // the gap's end: the .ldf's next block read in the same VLF; for a VLF with no block of its
        // own (lost from its first block 0x10, the .ldf's next block in another VLF or none), the VLF's end
        let endBlock: number;
        let upTo: string;
        if (h.to && toVlf === from.vlf && toBlock! > from.block) {
          endBlock = toBlock!;
          upTo = `${h.to}:0001`;
        } else if (from.block === VLF_FIRST_BLOCK_ID && toVlf !== from.vlf && vlfBlocks.get(from.vlf) !== undefined && vlfBlocks.get(from.vlf)! > from.block) {
          endBlock = vlfBlocks.get(from.vlf)!;
          upTo = formatLsn({ vlf: from.vlf + 1, block: VLF_FIRST_BLOCK_ID, slot: 1 });
        } else if (h.item.lsnRange?.last === formatLsn({ vlf: from.vlf + 1, block: VLF_FIRST_BLOCK_ID, slot: 1 })) {
          // a VLF's last blocks lost (the next VLF's first block names another last block, reader.ts
          // previousBlockSize): held where one backup's blocks read run from `from` to where that
          // backup's log of the VLF ends and go on at (N + 1):0x10 — its own read checks that end so
          // (a backup whose log of the VLF ended sooner reports its own loss)
          const nextFirst = this.chainBlocks.find((r) => r.vlf === from.vlf + 1 && r.start === VLF_FIRST_BLOCK_ID);
          const last = this.chainBlocks.filter((r) => r.vlf === from.vlf && nextFirst && r.file === nextFirst.file).reduce((m, r) => Math.max(m, r.end), 0);
          if (!nextFirst || last <= from.block) return;
          endBlock = last;
          upTo = h.item.lsnRange.last;
        } else return;
        const files = this.chainHolds(from.vlf, from.block, endBlock);
        if (!files) return;
        // a range the reader widened back to where the VLF before ends (the .ldf lost the first
        // block of VLF N + 1, which names N's last block: N's last blocks may be lost too) is covered
        // only where a backup also holds N's end (chainHoldsVlfEnd); a backup starting at
        // (N + 1):0x10 covered the whole item and the loss at N's end went unsaid (breaker, session 21)
        const first = h.item.lsnRange ? parseLsn(h.item.lsnRange.first) : null;
        if (first && first.vlf === from.vlf - 1 && !this.chainHoldsVlfEnd(first)) return;
        covered.add(i);
        const end = offset + (endBlock - from.block) * 512;
        spans.push({ start: offset, end });
        notes.push(`${ldf}: log blocks from LSN ${lsn} up to ${upTo} (file offsets ${offset} to ${end}) are missing there (zeroed, torn, damaged or cut out) and were read from log backup ${[...files].join(', ')}: no log lost`);
      });
      // A damaged block carries the LSN range it lost (reader.ts): where a gap held beside it names
      // the same range (one loss, said by both), it is covered where that gap is; one no gap names
      // (an .ldf's VLF whose last bytes are damaged, no current block after them: the range of its
      // bytes' LSN positions, in one VLF) is covered where the backups' blocks read hold that range.
      this.held.forEach((h, i) => {
        const o = h.item.location.offset;
        const r = h.item.lsnRange;
        if (h.item.code !== 'FORMAT_BAD_LOG_BLOCK' || o === undefined || !r) return;
        const gap = this.held.findIndex((g) => g.item.code === 'FORMAT_LOG_GAP' && g.item.lsnRange?.first === r.first && g.item.lsnRange.last === r.last);
        if (gap >= 0) {
          if (covered.has(gap)) covered.add(i);
          return;
        }
        const first = parseLsn(r.first);
        const last = parseLsn(r.last);
        const end = last.slot > 1 ? last.block + 1 : last.block;
        if (first.vlf !== last.vlf || first.block >= end) return;
        const files = this.chainHolds(first.vlf, first.block, end);
        if (!files) return;
        covered.add(i);
        notes.push(`${ldf}: unreadable bytes at file offset ${o} (the log blocks of LSNs ${r.first} up to ${r.last}) were read from log backup ${[...files].join(', ')}: no log lost`);
      });
    }
    // A backup's lost range the .ldf's current blocks hold: read from the .ldf.
    const chainCovered = new Set<number>();
    if (whole) {
      this.chainLost.forEach((h, i) => {
        if (!this.ldfHolds(h.from, h.to, vlfBlocks)) return;
        chainCovered.add(i);
        // a bad block goes with the range lost around it, which its own note names
        if (h.item.code !== 'FORMAT_BAD_LOG_BLOCK') notes.push(`log backup ${h.item.location.file} lacks LSNs ${formatLsn(h.from)} up to ${formatLsn(h.to)} (${h.item.code}); ${ldf} holds that log and it was read from there: no log lost`);
      });
    }
    const back = [
      ...this.held.map((h, i) => ({ item: h.item, at: h.at, keep: !covered.has(i), n: i })),
      ...this.chainLost.map((h, i) => ({ item: h.item, at: h.at, keep: !chainCovered.has(i), n: this.held.length + i })),
    ].sort((x, y) => x.at - y.at || x.n - y.n);
    let inserted = 0;
    for (const h of back) {
      if (!h.keep) continue;
      this.skipped.splice(h.at + inserted, 0, h.item);
      inserted++;
    }
    this.held.length = 0;
    this.chainLost.length = 0;
  }
}

/** What a merged read needs besides its two streams. */
export interface MergedLogRead {
  /** The .ldf (its path), read again here for its stale blocks and its VLF layout. */
  ldf: string;
  /** The .ldf's current blocks, its VLFs by sequence number (read without its stale blocks). */
  ldfSide: AsyncGenerator<PositionedLogBlock>;
  /** The backups' blocks in LSN order, repeats among them already left out. */
  chainSide: AsyncGenerator<PositionedLogBlock>;
  /** Whether a backup set of the chain covers an LSN (fn_dblog form) by its header's [FirstLSN, LastLSN). */
  chainCovers: (lsn: string) => boolean;
  /** The pass's options: signal, log format, onSkipped (for the records of stale blocks). */
  scan: LogScanOptions;
  keep?: RecordKeep;
  /** The pass's stats: the stale blocks' records are added (their blocks and bytes the .ldf's read counted). */
  stats: LogScanStats;
  /** Whether this pass reports (the first read of a candidates() run). */
  reporting: boolean;
  holes: LdfHoles;
  /** The source's skipped items and notes, added to. */
  skipped: SkippedItem[];
  notes: string[];
  /** The chain's breaks: one the .ldf's current log spans is taken out (a note says so). */
  chainGaps: ChainGap[];
  /** Counts for the debug log, added to. */
  counts: { ldfDuplicates: number; staleCovered: number };
}

/**
 * The records of an .ldf and a chain of log backups, one array per log block, in LSN order:
 * three streams merged by position — the .ldf's current blocks, its stale blocks (log of a
 * reused VLF's earlier use, placed by their own LSNs: ldfStaleRuns, readLdfStaleBatches; read on
 * this thread whatever the other streams do), and the backups' blocks. At a position the .ldf's
 * current blocks and the backups both have, the .ldf's is read (FORMAT_LOG_SOURCES_DISAGREE, once,
 * where the two copies differ); a stale record a backup's header range covers is read from the
 * backup. When the read ends, the .ldf's lost stretches are settled (LdfHoles) and, read whole, a
 * break in the chain the .ldf's current log spans is a note instead of FORMAT_LOG_CHAIN_GAP.
 * Ends early, without settling anything as covered, when `scan.signal` aborts. Errors of the
 * streams are thrown as they come.
 */
export async function* mergeLdfWithChain(m: MergedLogRead): AsyncGenerator<LogRecord[]> {
  const { ldfSide, chainSide, chainCovers, scan, stats, reporting, holes, counts } = m;
  const signal = scan.signal;
  let disagreed = false;
  /** The position of the newest block yielded, and whether stale log came after it. */
  let newestYielded = '';
  let staleOutOfOrder = false;
  // The stale stream's own counts: its blocks and bytes were counted by the .ldf's read (which
  // passes them over); its records are added to the pass's stats at its end.
  const staleStats = emptyLogScanStats();
  const staleSide = (async function* (): AsyncGenerator<{ records: LogRecord[]; block: string; sectors: number; offset?: number }> {
    let runs: StaleLogRun[];
    try {
      runs = await ldfStaleRuns(m.ldf, { logFormat2IsSql2005: scan.logFormat2IsSql2005 ?? false, ...(signal ? { signal } : {}) });
    } catch (e) {
      // an .ldf that cannot be laid out (FormatError): its own read says why. Any other failure (a
      // read error) is thrown: passing it over dropped the stale log's rows with no word
      if (e instanceof FormatError || signal?.aborted) return;
      throw e;
    }
    try {
      for await (const b of readLdfStaleBatches(m.ldf, runs, { ...scan, includeStale: true }, staleStats, m.keep)) yield { records: b.records, block: b.firstLsn.slice(0, 17), sectors: b.sectors ?? 1, ...(b.offset !== undefined ? { offset: b.offset } : {}) };
    } finally {
      stats.records += staleStats.records;
      stats.staleRecords += staleStats.staleRecords;
      stats.skippedRecords += staleStats.skippedRecords;
    }
  })();
  // Runs of the .ldf's current blocks without a break between VLFs (VLF N's last block read,
  // then N + 1 from its first block 0x10); a break inside a VLF is reported by its reader.
  // `end`: the block after the run's last one (VLF sequence, block number); a VLF's blocks end
  // at its size / 512 (its layout), so VLF N + 1 continues a run only where N was read to its end.
  const ldfRuns: Array<{ start: string; end: { vlf: number; block: number } }> = [];
  const vlfBlocks = new Map<number, number>();
  let vlfs: Array<{ seq: number; offset: number; size: number }> = [];
  try {
    vlfs = (await readLdfLayout(m.ldf, { allowUnsupportedVersion: scan.logFormat2IsSql2005 ?? false })).vlfs;
    for (const v of vlfs) vlfBlocks.set(v.seq, v.size / 512);
  } catch {
    // the read reports why; no run then crosses a VLF's end
  }
  let readWhole = false;
  const once = new LdfBlocksOnce();
  const twice = new HeldTwice(m.ldf, m.notes, m.skipped);
  try {
    let a = await ldfSide.next();
    let s = await staleSide.next();
    let c = await chainSide.next();
    while (!a.done || !s.done || !c.done) {
      if (signal?.aborted) return;
      // A stale block at the position of a current block of the .ldf: the same log (an LSN
      // names one record), read from the current block.
      if (!s.done && !a.done && s.value.block === a.value.block) {
        counts.ldfDuplicates += s.value.records.length;
        if (reporting) await twice.add(s.value, a.value.offset);
        s = await staleSide.next();
        continue;
      }
      if (!a.done && (c.done || a.value.block <= c.value.block) && (s.done || a.value.block < s.value.block)) {
        const run = ldfRuns[ldfRuns.length - 1];
        const vlf = parseInt(a.value.block.slice(0, 8), 16);
        const block = parseInt(a.value.block.slice(9), 16);
        const end = { vlf, block: block + a.value.sectors };
        const e = run?.end;
        // the same VLF (a hole inside it is reported by its reader), or the next one from its
        // first block with the last one read to its end
        if (e && ((vlf === e.vlf && block >= e.block) || (vlf === e.vlf + 1 && block === VLF_FIRST_BLOCK_ID && e.block === vlfBlocks.get(e.vlf)))) run.end = end;
        else ldfRuns.push({ start: a.value.block, end });
        // the same block from a backup: passed over when the .ldf gave current records of it
        if (a.value.records.length > 0 && !c.done && a.value.block === c.value.block) {
          counts.ldfDuplicates += c.value.records.length;
          holes.sawChainBlock(c.value);
          // The two copies of a block must be the same log. Where they are not (an .ldf of the
          // database after a restore from these backups, a later recovery fork; or a damaged
          // copy) the .ldf's is read, and it is said once: rows around it may be of either history.
          if (reporting && !disagreed) {
            const differs = sameBlockDiffers(a.value.records, c.value.records);
            if (differs) {
              disagreed = true;
              m.skipped.push({
                code: 'FORMAT_LOG_SOURCES_DISAGREE',
                reason: `the .ldf and log backup ${c.value.file} hold different log at LSN ${differs}: the .ldf's block was read. They may be of different recovery forks (a restore between them) or one copy is damaged; rows read from the backups alone may belong to a history the .ldf's database does not have. Scan them apart to compare`,
                location: { file: c.value.file, lsn: differs },
              });
            }
          }
          c = await chainSide.next();
        }
        const earlier = once.claim(a.value);
        if (earlier) {
          // this log was read already from another place of the .ldf (LdfBlocksOnce)
          counts.ldfDuplicates += a.value.records.length;
          if (reporting) await twice.add(a.value, earlier.offset);
        } else if (a.value.records.length) {
          if (a.value.block > newestYielded) newestYielded = a.value.block;
          yield a.value.records;
        }
        a = await ldfSide.next();
        continue;
      }
      if (!s.done && (c.done || s.value.block <= c.value.block)) {
        // Where a backup of the chain covers a stale block's LSNs it holds the same records
        // (read at their place from it), so the stale copy is passed over; it would give each
        // of their rows twice. So is a stale block the backups' next block is again (the same
        // position: a log block is written once), records before its FirstLSN included: a backup
        // starts with the whole block its FirstLSN lies in, and reads all of it when the backup
        // before it is not given. The rest is read here, at its own place in LSN order.
        const again = !c.done && c.value.block === s.value.block;
        const earlier = again ? null : once.claim(s.value);
        if (earlier) {
          // the same log as a block of the .ldf read before (LdfBlocksOnce)
          counts.ldfDuplicates += s.value.records.length;
          if (reporting) await twice.add(s.value, earlier.offset);
          s = await staleSide.next();
          continue;
        }
        const records = again ? [] : s.value.records.filter((r) => !chainCovers(r['Current LSN']));
        counts.staleCovered += s.value.records.length - records.length;
        if (records.length) {
          // Stale runs of one earlier VLF sequence in two VLFs (a damaged or copied .ldf) can
          // overlap: then this log comes after newer log, which a transaction that began in it
          // and ended in that newer log would lack. Not known here whether one did: a note.
          if (!staleOutOfOrder && s.value.block < newestYielded) {
            staleOutOfOrder = true;
            m.notes.push(`stale log of a reused VLF in ${m.ldf} (from LSN ${records[0]!['Current LSN']}) that no log backup given holds was read after newer log: a transaction that began there and ended in newer log would lack its rows from it. Give the log backup that holds that log, or scan the .ldf alone to compare`);
          }
          if (s.value.block > newestYielded) newestYielded = s.value.block;
          yield records;
        }
        s = await staleSide.next();
        continue;
      }
      if (!c.done) {
        holes.sawChainBlock(c.value);
        if (c.value.records.length) {
          if (c.value.block > newestYielded) newestYielded = c.value.block;
          yield c.value.records;
        }
        c = await chainSide.next();
      }
    }
    readWhole = !signal?.aborted;
    twice.flush();
  } finally {
    await ldfSide.return(undefined);
    await staleSide.return(undefined);
    await chainSide.return(undefined);
    holes.settle(readWhole && reporting, m.ldf, m.notes, vlfs);
  }
  // A break in the chain the .ldf's current log spans (a run from the break's first block or
  // before to the block of the next backup's first LSN or after) lost nothing.
  const chainGaps = m.chainGaps;
  if (readWhole && reporting && chainGaps.length) {
    const spanned = (g: { from: string; to: string }) => {
      const to = parseLsn(g.to);
      return ldfRuns.some((r) => r.start <= g.from.slice(0, 17) && (r.end.vlf > to.vlf || (r.end.vlf === to.vlf && r.end.block > to.block)));
    };
    for (let i = chainGaps.length - 1; i >= 0; i--) {
      if (spanned(chainGaps[i])) {
        m.notes.push(`${chainGaps[i].item.reason.replace(CHAIN_GAP_TAIL, '')}: the log in between was read from ${m.ldf}`);
        chainGaps.splice(i, 1);
      }
    }
  }
}

/**
 * The first LSN at which a backup's copy of a log block (its records a repeat check left in)
 * differs from the .ldf's (LSN missing there, or another operation, transaction, previous LSN or
 * row image); null when they agree. Only records both built (the same `keep`) are compared.
 */
export function sameBlockDiffers(ldf: LogRecord[], backup: LogRecord[]): string | null {
  const byLsn = new Map<string, LogRecord>();
  for (const r of ldf) byLsn.set(r['Current LSN'], r);
  const bytesEqual = (x: Uint8Array | null | undefined, y: Uint8Array | null | undefined) => (x == null || y == null ? x == y : Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(y));
  for (const b of backup) {
    const l = byLsn.get(b['Current LSN']);
    if (!l || l.Operation !== b.Operation || l.Context !== b.Context || l['Transaction ID'] !== b['Transaction ID'] || (l['Previous LSN'] ?? null) !== (b['Previous LSN'] ?? null) || !bytesEqual(l['RowLog Contents 0'], b['RowLog Contents 0']) || !bytesEqual(l['RowLog Contents 1'], b['RowLog Contents 1'])) return b['Current LSN'];
  }
  return null;
}
