/**
 * Log lost at the end of a VLF where one log backup of a chain ends and the next starts.
 *
 * A log block's header u16 @10 names the size of the block written just before it
 * (ldf/reader.ts previousBlockSize). Inside one backup's stream the first block of VLF N + 1 is
 * compared with the last block read of VLF N (reader.ts rangeBlocks). When backup A of a chain ends
 * where VLF N ends — its LastLSN, and backup B's FirstLSN, is (N + 1):0x10:1 — B's first block is
 * that block 0x10, in another file: a lost last block of A's VLF N (zeroed, read as the VLF's unused
 * tail; torn) was not told. Here the two files are compared: B's first block names another size
 * than A's last block read of VLF N → FORMAT_LOG_GAP naming both files, the LSNs from where A's last
 * block read ends up to (N + 1):0x10:1.
 *
 * Only read for a pair that chains at a VLF boundary (B's FirstLSN is block 0x10, slot 1; no corpus
 * chain does: its backups end inside a VLF), so a chain cut inside VLFs reads nothing more.
 */
import type { LogChainGap } from './log-chain.js';
import { openBackupBytes } from './bytes.js';
import { openBackupLogStream } from './log-stream.js';
import { streamEdgeBlock, type StreamEdgeBlock } from '../logreader/ldf/reader.js';
import { VLF_FIRST_BLOCK_ID } from '../logreader/ldf/constants.js';
import { formatLsn, lsnFromDecimal, type Lsn } from '../logreader/lsn.js';

/** One log backup set of a chain, in chain order: its file, set, and header FirstLSN/LastLSN (decimal, as HEADERONLY). */
export interface ChainBoundarySet {
  file: string;
  position: number;
  firstLsn: string;
  lastLsn: string;
  /** `file` or `file (set n)`, as messages name it. */
  name?: string;
}

async function edge(s: ChainBoundarySet, which: 'first' | 'last', signal?: AbortSignal): Promise<StreamEdgeBlock | null> {
  let src: ReturnType<typeof openBackupBytes> | null = null;
  try {
    const stream = openBackupLogStream(s.file, 'trn', undefined, s.position);
    src = openBackupBytes(s.file);
    return await streamEdgeBlock(src, stream.ranges, which, signal);
  } catch {
    // a file that cannot be opened or read: its own read reports it
    return null;
  } finally {
    src?.close();
  }
}

/**
 * The FORMAT_LOG_GAP of each pair of consecutive sets of `sets` (chain order) where the first's log
 * ends at a VLF's end and the second's first block, (N + 1):0x10, names another size for the block
 * before it than the first's last block read of VLF N. `from`/`to` and the item's lsnRange: the
 * LSNs lost (fn_dblog form). Empty for pairs that do not meet at a VLF boundary.
 */
export async function chainVlfBoundaryGaps(sets: readonly ChainBoundarySet[], signal?: AbortSignal): Promise<LogChainGap[]> {
  const gaps: LogChainGap[] = [];
  for (let i = 1; i < sets.length; i++) {
    const a = sets[i - 1]!;
    const b = sets[i]!;
    if (a.lastLsn !== b.firstLsn) continue;
    let start: Lsn;
    try {
      start = lsnFromDecimal(b.firstLsn);
    } catch {
      continue;
    }
    if (start.block !== VLF_FIRST_BLOCK_ID || start.slot !== 1 || start.vlf <= 1) continue;
    if (signal?.aborted) break;
    const first = await edge(b, 'first', signal);
    if (!first || first.lsn.vlf !== start.vlf || first.lsn.block !== VLF_FIRST_BLOCK_ID || first.previousSize === 0) continue;
    const last = await edge(a, 'last', signal);
    if (!last || last.lsn.vlf !== start.vlf - 1 || last.size === first.previousSize) continue;
    const n = last.lsn.vlf;
    const lostFrom = formatLsn({ vlf: n, block: last.lsn.block + last.size / 512, slot: 1 });
    const upTo = formatLsn(first.lsn);
    const an = a.name ?? a.file;
    const bn = b.name ?? b.file;
    const endAt = last.offset + last.size;
    gaps.push({
      from: lostFrom,
      to: upTo,
      item: {
        code: 'FORMAT_LOG_GAP',
        reason: `log blocks are missing at the end of VLF 0x${n.toString(16)}, between two log backups: the first block of VLF 0x${start.vlf.toString(16)} in ${bn} (LSN ${upTo}, offset ${first.offset}) says the block written before it was ${first.previousSize} bytes, but the last block read of VLF 0x${n.toString(16)} in ${an} (offset ${last.offset}) is ${last.size} bytes, so VLF 0x${n.toString(16)}'s log went on after it: LSNs from ${lostFrom} up to ${upTo} could not be read (zeroed, torn, damaged or cut out after offset ${endAt} of ${an}); rows in that range are lost and transactions crossing it cannot be told committed`,
        location: { file: a.file, offset: endAt, lsn: lostFrom },
        lsnRange: { first: lostFrom, last: upTo },
      },
    });
  }
  return gaps;
}

/**
 * The LSN of the first record of a full or differential backup's log portion: its stream's first
 * whole block's first LSN. A database backup's log starts before its header's FirstLSN (the
 * checkpoint's or the oldest open transaction's LSN) as far back as the start of that block or
 * further (RestoreTimeClean2.bak: FirstLSN 19:ad:26, its log from 19:ad:1), so where the log
 * listed before it ends at or after this LSN nothing lies between them. Null when the stream cannot
 * be opened or holds no whole block (its own read reports why).
 */
export async function backupLogFirstLsn(file: string, position: number): Promise<Lsn | null> {
  let src: ReturnType<typeof openBackupBytes> | null = null;
  try {
    const stream = openBackupLogStream(file, 'bak', undefined, position);
    src = openBackupBytes(file);
    return (await streamEdgeBlock(src, stream.ranges, 'first'))?.lsn ?? null;
  } catch {
    return null;
  } finally {
    src?.close();
  }
}
