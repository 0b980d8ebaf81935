/**
 * Streaming log readers: the records of an .ldf (every VLF, active and inactive) and of any
 * contiguous run of log blocks (the MQTL stream of a .trn/.bak). Bounded memory: the file is
 * read in chunks (1 MB by default) through BlockScanner; nothing holds more than one chunk and
 * one block. One bad block or record is reported through `onSkipped` and the scan goes on.
 */
import { cutAgainstFileHeader, parseFileHeaderPage } from '../../datafile/file-header.js';
import { cutInsideFileHeader, cutInsideFileHeaderText } from '../../datafile/data-file-cut.js';
import { PAGE_SIZE } from '../../datafile/page-source.js';
import { verifyPage } from '../../datafile/page.js';
import { type FileHandle } from 'node:fs/promises';
import { readSync } from 'node:fs';
import { openInput } from '../../util/input-open.js';
import { FormatError } from '../../errors.js';
import { backupMagic } from '../../util/backup-magic.js';
import { logTextHint } from '../../util/log-text-kind.js';
import type { LogRecord, LogRecordSource } from '../log-record.js';
import { formatLsn, parseLsn, type Lsn } from '../lsn.js';
import type { SkippedItem } from '../../util/skipped-item.js';
import { BlockScanner, NEED_MORE, type BlockEvent } from './block-scanner.js';
import { LDF_FIRST_VLF_OFFSET, LOG_FORMAT_SQL2000, MAX_BLOCK_SIZE, SECTOR, VLF_FIRST_BLOCK_ID, VLF_FIRST_BLOCK_OFFSET } from './constants.js';
import { blockChecksumProblem, blockHeaderProblem, blockHoldsChecksum, blockParity, fixupBlock, formatLsnFast, parseBlockHeader, parseLogRecord, parseVlfHeader, recordProblem, recordSpanBounds, RECORD_HEADER_SIZE, VLF_HEADER_SIZE, type VlfHeader } from './structures.js';
import { OPERATION_NAMES, operationName } from './constants.js';
import { cutLoss } from './cut-loss.js';
import { BLOCK_NOTE_WORDS, listOf, uncheckedNote } from '../../util/unchecked-note.js';

export const DEFAULT_CHUNK = 1 << 20;

export interface LogScanOptions {
  /**
   * Called for every block or record passed over, with its reason and location. A damaged block
   * (FORMAT_BAD_LOG_BLOCK) is reported once the LSN range it lost is known (its `lsnRange`): just
   * before the next current block read (and before the FORMAT_LOG_GAP that block ends), at the end
   * of its .ldf VLF, or at the end of a backup's log stream (endLogStream); so after the records of
   * any stale block read between. An abort reports the blocks held, without a range.
   */
  onSkipped?: (item: SkippedItem) => void;
  /** Called after each chunk with the bytes read so far and the records yielded so far. */
  onProgress?: (p: { bytes: number; records: number }) => void;
  /** Yield records from stale blocks (reused VLFs), labelled `source.stale`; default true. */
  includeStale?: boolean;
  chunkSize?: number;
  signal?: AbortSignal;
  /**
   * Read a log whose VLFs say log format version 2 with the 2005+ record layout: version 2 is
   * written by SQL Server 2000 *and* 2005; the caller knows it is 2005's when the database's data
   * file (boot page dbi_version 611) says so.
   */
  logFormat2IsSql2005?: boolean;
  /**
   * The order an .ldf's VLFs are read in: 'file' (default: as they lie in the file) or 'sequence'
   * (by VLF sequence number, i.e. LSN order: the active log wraps around the file, so after a
   * wrap the oldest VLF is not the first one). Reading an .ldf beside log backups in LSN order
   * needs 'sequence' (files.ts).
   */
  vlfOrder?: 'file' | 'sequence';
}

export interface LogScanStats {
  bytes: number;
  blocks: number;
  /** Blocks read that carry a log block checksum (checked; constants.ts BLOCK_STATUS_CHECKSUM). */
  checksummedBlocks: number;
  records: number;
  staleRecords: number;
  skippedBlocks: number;
  skippedRecords: number;
  unwrittenBytes: number;
  /** Places where LSNs are missing inside a VLF (FORMAT_LOG_GAP items reported). */
  gaps: number;
  /** Where the highest block read ends: the (VLF, block) the next block would start at (block in 512-byte units). */
  end: { vlf: number; block: number } | null;
  firstLsn: Lsn | null;
  lastLsn: Lsn | null;
  /**
   * The first UNCHECKED_BLOCKS_KEPT blocks read without a log block checksum (where they lie and
   * their first LSN): with blocks − checksummedBlocks ≤ UNCHECKED_BLOCKS_NAMED it holds every one,
   * and uncheckedBlocksNote names them. Bounded: a scan of an unprotected log keeps no more.
   */
  uncheckedBlockList: UncheckedLogBlock[];
  /**
   * Records whose operation code (header byte @22) is none rowback knows (constants.ts
   * OPERATION_NAMES; printed as LOP_UNKNOWN_<n>): per code, how many were read and the first one
   * (file, offset, LSN). rowback reads only the header fields of such a record, so a listing may hide
   * what it does (unknownOperationsWarning).
   */
  unknownOps: UnknownOperation[];
}

/** Records of one unknown operation code read (LogScanStats.unknownOps). */
export interface UnknownOperation {
  op: number;
  count: number;
  firstLsn: string;
  file: string;
  offset: number;
}

/**
 * The WARNING line's text for unknown operation codes read (LogScanStats.unknownOps), one sentence
 * per code: how many records, the first one's LSN and file; null when there are none.
 */
export function unknownOperationsWarnings(ops: readonly UnknownOperation[]): string[] {
  return [...ops].sort((a, b) => a.op - b.op).map((u) => `${u.count} log record(s) of operation code ${u.op} (0x${u.op.toString(16).padStart(2, '0')}), printed as LOP_UNKNOWN_${u.op}, first at LSN ${u.firstLsn} (${u.file} offset ${u.offset}): rowback does not know this operation, so it reads only the record's header and does not know what it changes (it may delete, insert or modify rows that are not listed or recovered as such)`);
}

/** A log block read without a log block checksum. */
export interface UncheckedLogBlock {
  file: string;
  /** Byte offset of the block in its file (in the backup stream for a compressed backup). */
  offset: number;
  firstLsn: string;
}

/** Unchecked blocks a note names when they are this few (and some blocks carry a checksum). */
export const UNCHECKED_BLOCKS_NAMED = 3;
const UNCHECKED_BLOCKS_KEPT = UNCHECKED_BLOCKS_NAMED;

/**
 * The note for log blocks read without a log block checksum (LogScanStats.blocks −
 * checksummedBlocks of `blocks`): damage inside their records cannot be detected. Such blocks are
 * written while the database is not on PAGE_VERIFY CHECKSUM (SQL Server 2005's StDb2Sql.bak, most of
 * NORTHWND_log.ldf in the corpus; constants.ts BLOCK_STATUS_CHECKSUM).
 * With `list` (LogScanStats.uncheckedBlockList) and at most UNCHECKED_BLOCKS_NAMED such blocks among
 * blocks that carry one, the note names each (file, offset, first LSN): a lone block without a
 * checksum among checked ones is suspect — one changed status bit (0x2) turns the check off and
 * hides damage in its records — so the reader is told which block to compare.
 */
export function uncheckedBlocksNote(unchecked: number, blocks: number, list?: readonly UncheckedLogBlock[]): string {
  const named = list !== undefined && unchecked < blocks && unchecked <= UNCHECKED_BLOCKS_NAMED && list.length === unchecked
    ? listOf(list.map((b) => `the block at offset ${b.offset} of ${b.file} (first LSN ${b.firstLsn})`))
    : undefined;
  return uncheckedNote(BLOCK_NOTE_WORDS, unchecked, blocks, { named });
}

export function emptyLogScanStats(): LogScanStats {
  return { bytes: 0, blocks: 0, checksummedBlocks: 0, records: 0, staleRecords: 0, skippedBlocks: 0, skippedRecords: 0, unwrittenBytes: 0, gaps: 0, end: null, firstLsn: null, lastLsn: null, uncheckedBlockList: [], unknownOps: [] };
}

export interface LogRange {
  start: number;
  end: number;
  kind: LogRecordSource['kind'];
  file: string;
  /** The backup set (RESTORE … WITH FILE = n) of a backup file of several the range is of: each record's source names it. */
  position?: number;
  /** When set, a block is stale if its first LSN's VLF sequence differs or its parity differs. */
  vlf?: { seq: number; parity: number };
  /**
   * Shared by the consecutive ranges of one backup's log stream (one MQTL per VLF, in LSN order):
   * where the last block read ends, so the LSN continuity check also runs from one range into the
   * next (see rangeBlocks). Not for an .ldf, whose VLFs are read in file order.
   */
  stream?: LogStreamCursor;
  /**
   * An .ldf's VLF read from its first block (offset 0x2000 in the VLF, block 0x10): a VLF's log
   * starts there (FORMAT-NOTES §3; every used VLF of the corpus's seven .ldf files does), so a
   * first current block further on means the blocks before it were lost (FORMAT_LOG_GAP).
   */
  vlfStart?: boolean;
  /**
   * With vlfStart: the VLF must hold log, as a VLF of a later sequence in the same file exists
   * (SQL Server takes VLF N + 1 only once N is full, and writes a VLF's log from 0x10 as soon as its
   * header takes a new sequence; a VLF never used has sequence 0). One with no current block at
   * all lost its log from 0x10 to its end (FORMAT_LOG_GAP), as one whose first current block is
   * further on lost the blocks before it.
   */
  vlfHoldsLog?: boolean;
  /**
   * With vlfStart: the VLF of the file's lowest sequence (above 0), whose log is the oldest the
   * file holds. Where its first current block lies past 0x10 and everything before it in the VLF
   * was never written (sectors all 0x00 or all 0xC0, no other bytes), the file's log starts there:
   * a full or differential backup's log starts mid-VLF (every backup of the corpus: pubs.bak at
   * 86:1a8, StDb2Sql.bak at 1c:fc, …), and a database restored from it is given a log zeroed but
   * for what the backup held. Reported as LOG_STARTS_MID_VLF (not a loss), not FORMAT_LOG_GAP.
   */
  vlfOldest?: boolean;
  /**
   * A backup's log stream: its header's LastLSN (the first LSN not in the backup). Once the stream's
   * blocks reach it (every LSN before it read, as log-coverage.ts reachesLogPosition judges the
   * stream's end), bytes after that fail to read as log blocks only in the padding after the log
   * (zeros in every corpus backup): none of the backup's log is lost there, and such a run is
   * reported as LOG_PAST_END_DAMAGED (not a loss), not FORMAT_BAD_LOG_BLOCK.
   */
  endLsn?: Lsn;
  /**
   * A log backup's stream: its header's FirstLSN (the first LSN the backup holds). A damaged block
   * before the stream's first readable block lost the LSNs from it up to that block's first LSN
   * (the FORMAT_BAD_LOG_BLOCK's lsnRange). Unknown where the header cannot be read.
   */
  startLsn?: Lsn;
  /**
   * An .ldf's VLF read from its first block (vlfStart): where the VLF of the next sequence lies in
   * the file (offset, header parity), when the file holds one. Its first block (sequence + 1, block
   * 0x10) names the size of the last block of this VLF's log ({@link previousBlockSize}); one that
   * names another size than the last block read here proves this VLF's last blocks were lost (zeroed
   * like its unused tail, torn or cut out): FORMAT_LOG_GAP to the VLF's end (ldfVlfEndLoss). One that
   * agrees while this VLF's log ends before its end leaves a doubt: LOG_VLF_ENDS_EARLY (ldfVlfEndsEarly).
   */
  vlfNext?: { offset: number; parity: number };
  /**
   * An .ldf's VLF read from its first block (vlfStart): where the VLF of the previous sequence lies
   * in the file (offset, size, header parity), when the file holds one. This VLF's first block names
   * the size of that VLF's last block ({@link previousBlockSize}); when this VLF's log from 0x10 is
   * lost, nothing tells whether that VLF's last blocks were lost too (ldfVlfEndLoss reads this VLF's
   * block 0x10), so the range reported starts where that VLF's last block read ends (ldfVlfLogEnd),
   * as a backup stream's gap across a VLF boundary does: never less than may have been lost.
   */
  vlfPrev?: { offset: number; size: number; parity: number };
}

/**
 * The code of the item a backup's log stream read gives for bytes that do not read as log blocks
 * after the stream has reached its header's LastLSN (LogRange.endLsn): not a loss (not in
 * LOG_LOSS_CODES), a note.
 */
export const LOG_PAST_END_DAMAGED = 'LOG_PAST_END_DAMAGED';

/**
 * The code of the item a read gives where the file's oldest VLF's log starts past its first block
 * with nothing but never-written sectors before it (LogRange.vlfOldest): not a loss (not in
 * LOG_LOSS_CODES), a note in a scan.
 */
export const LOG_STARTS_MID_VLF = 'LOG_STARTS_MID_VLF';

/**
 * The code of the item an .ldf's read gives for a VLF whose log ends before the VLF does while the
 * VLF of the next sequence holds log (its block 0x10 read whole and current), where the sizes agree
 * (no FORMAT_LOG_GAP: the first block of the next VLF names the size of the last block read, u16 @10,
 * {@link previousBlockSize}) — the shape a zeroed last block as large as the one before it leaves.
 * Not proven a loss (not in LOG_LOSS_CODES): a WARNING (`scan`, `log`, `inspect`, files jobs'
 * `warnings`, exit 3 under --strict). The fact it rests on is measured, not documented: in every .ldf
 * and .trn of the corpus each VLF that has a next one holds log up to its very end (21 such VLFs in
 * the 6 .ldf files the reader reads, SQL Server 2005–2016, measured 2026-12-05 with ldfVlfCurrentEnd;
 * VLF 0x142 of SQL2008_db1_LOG_20170518_041831.trn); no public source says SQL Server always fills a
 * VLF. A backup's log stream records no VLF's size, so it is not judged there.
 * The item's `lsnRange` is what the unused tail would hold (from where the last block read ends up
 * to (N + 1):0x10:1), its location the file and the offset where the tail starts.
 */
export const LOG_VLF_ENDS_EARLY = 'LOG_VLF_ENDS_EARLY';

/** The way on a LOG_VLF_ENDS_EARLY reason ends with (ldfVlfEndsEarly), left out where a log backup given holds the range. */
const VLF_ENDS_EARLY_WAY_ON = '; give log backups covering that range (--trn) to read them';

/**
 * What is said of a LOG_VLF_ENDS_EARLY item `s` beside the log backups given (`sets`: each backup
 * set's file and first and last LSN, `00000029:00000178:0001` form): `{ note }` when one set holds
 * its whole LSN range (its blocks are read there: no doubt left), naming that set, the reason without
 * its way on and `held` after it (what the command does with that log: "its records there are
 * printed", "its log there is read"); else `{ warning }`, `file: reason`. `scan`/files jobs
 * (files.ts) and `log` say it alike. Pure.
 */
export function vlfEndsEarlySaid(s: SkippedItem, sets: ReadonlyArray<{ file: string; firstLsn: string; lastLsn: string }>, held: string): { note: string } | { warning: string } {
  const r = s.lsnRange;
  const t = r?.last ? sets.find((x) => x.firstLsn.toLowerCase() <= r.first.toLowerCase() && r.last!.toLowerCase() <= x.lastLsn.toLowerCase()) : undefined;
  const file = s.location.file ?? '';
  if (!t) return { warning: `${file}: ${s.reason}` };
  const reason = s.reason.endsWith(VLF_ENDS_EARLY_WAY_ON) ? s.reason.slice(0, -VLF_ENDS_EARLY_WAY_ON.length) : s.reason;
  return { note: `${file}: ${reason}; the log backup ${t.file} given holds that whole range (LSN ${t.firstLsn} to ${t.lastLsn}), and ${held}` };
}

/**
 * Where the last (non-stale) block of a log stream ends: VLF sequence, block number (512-byte
 * units), stream offset; `size`: that block's length in bytes and `at` its offset, which the next
 * VLF's first block names (its header's u16 @10, {@link previousBlockSize}).
 */
export interface LogStreamCursor {
  next: { vlf: number; block: number; offset: number; size?: number; at?: number } | null;
  /**
   * Damaged blocks read since the stream's last readable block, not reported yet: the LSNs they lost
   * are known only at the next readable block, which may lie in the next range (VLF) of the stream,
   * or at the stream's end ({@link endLogStream}).
   */
  held?: HeldBadBlock[];
}

/** A FORMAT_BAD_LOG_BLOCK item held until the LSN range it lost is known (rangeBlocks). */
interface HeldBadBlock {
  item: SkippedItem;
  /** Where its bytes lie (file or stream offset) and how many there are. */
  offset: number;
  length: number;
}

/**
 * Reports held FORMAT_BAD_LOG_BLOCK items (in the order read) with the LSN range they lost: `lost`
 * ({ first, last }, fn_dblog form; `last` is the first LSN not lost, "up to"), added to the item
 * (lsnRange) and to its reason; `note` (when given) is added to the reason after it. With `lost`
 * null, the item names no range (its reason says `note` only): nothing tells where its loss lies.
 */
function giveHeldBadBlocks(held: HeldBadBlock[], lost: { first: string; last: string } | null, note: string, opts: Pick<LogScanOptions, 'onSkipped'>): void {
  const run = held.length > 1 ? ` (one of ${held.length} damaged stretches between the same readable blocks)` : '';
  for (const h of held.splice(0)) {
    const item: SkippedItem = lost
      ? { ...h.item, reason: `${h.item.reason}; LSNs from ${lost.first} up to ${lost.last} could not be read${run}${note}`, lsnRange: { ...lost } }
      : { ...h.item, reason: `${h.item.reason}${note}` };
    opts.onSkipped?.(item);
  }
}

/** Whether LSN `a` comes before `b`. */
function lsnBefore(a: Lsn, b: Lsn): boolean {
  return a.vlf < b.vlf || (a.vlf === b.vlf && (a.block < b.block || (a.block === b.block && a.slot < b.slot)));
}

/**
 * Reports what a backup's log stream (read range by range through `stream`) still holds at its end:
 * damaged blocks after its last readable block (none read after them). They lost the LSNs from where
 * that block ends (or, with no block read, the header's FirstLSN `startLsn`) up to the header's
 * LastLSN `endLsn` (what the stream lacks of its header's range; log-coverage.ts reports it as
 * FORMAT_LOG_STREAM_SHORT too). With `endLsn` unknown (a header that cannot be read or whose copies
 * disagree), the item says its range's start and that its end is unknown, and carries no lsnRange.
 * With no block read and no `startLsn` (a full or differential backup, whose log may start before
 * its header's FirstLSN), it says the loss runs up to `endLsn` from a start not known (no lsnRange).
 * Called by the backup stream readers (log-stream.ts) after the last range, not on an abort.
 */
export function endLogStream(stream: LogStreamCursor, opts: Pick<LogScanOptions, 'onSkipped'>, startLsn?: Lsn, endLsn?: Lsn): void {
  const held = stream.held;
  if (!held || held.length === 0) return;
  const n = stream.next;
  const first = n ? { vlf: n.vlf, block: n.block, slot: 1 } : startLsn;
  if (first && endLsn && lsnBefore(first, endLsn)) {
    giveHeldBadBlocks(held, { first: formatLsn(first), last: formatLsn(endLsn) }, ": no readable block follows it in the stream, so it lost the log up to the backup header's LastLSN", opts);
    return;
  }
  // no block read and no FirstLSN to start from: a full or differential backup (whose log may start
  // before its header's FirstLSN), or a header that cannot be trusted; its LastLSN, where known, is
  // said (the header's range was said not known when only its start was)
  const none = endLsn
    ? `; no readable block of the stream is read: it lost the backup's log up to its header's LastLSN ${formatLsn(endLsn)}, from where that log starts, which is not known (a full or differential backup's log may start before its header's FirstLSN)`
    : '; no readable block of the stream is read and its header\'s LSN range is not known (its two copies disagree, or it cannot be read): which LSNs it lost is not known';
  giveHeldBadBlocks(held, null, first ? `; no readable block follows it in the stream: LSNs from ${formatLsn(first)} on could not be read, up to where the backup's log ends, which is not known (its header's LastLSN is not known: the header's two copies disagree, or it cannot be read)` : none, opts);
}

/** Block header u16 @10: the size in bytes of the log block written just before this one. */
export const BLOCK_PREVIOUS_SIZE_OFFSET = 10;

/**
 * The size of the log block written just before `block` (its header's u16 @10; not a sector's first
 * byte, so the same in a block as stored and fixed up). Found on the corpus, not documented: in
 * every pair of consecutive current blocks of the 27 .ldf, .trn and .bak files holding log blocks
 * (2,221 pairs, 2005–2025) it is the earlier block's size, 22 of them across a VLF boundary — the
 * first block of VLF N + 1 (N + 1:0x10) names the size of the last block of VLF N. So a first block
 * of VLF N + 1 naming another size than the last block read of VLF N proves that VLF N's log went
 * on after it: its last blocks were lost (zeroed like unwritten space, torn or cut out). A 0 there
 * names no block (no block is 0 bytes; a log written by another tool, the tests' SYNTHETIC writer,
 * leaves it so) and proves nothing.
 */
export function previousBlockSize(block: Uint8Array): number {
  return block[BLOCK_PREVIOUS_SIZE_OFFSET] | (block[BLOCK_PREVIOUS_SIZE_OFFSET + 1] << 8);
}

/** What `readLogRange` reads through: an open FileHandle, or any positioned reader of that shape (a backup's MTF stream). */
export interface PositionedReader {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** Chunk size of an .ldf read through {@link SyncFileReader}: small enough that the chunk and the block copied out of it stay in the core's cache. */
export const LDF_SYNC_CHUNK = 1 << 17;
/** A {@link SyncFileReader} lets the event loop turn (a signal, a timer, an output stream's callbacks) once per this many bytes. */
const SYNC_YIELD_BYTES = 1 << 20;

/**
 * An .ldf's FileHandle read with positioned synchronous reads (readSync on its descriptor), in
 * chunks of {@link LDF_SYNC_CHUNK}. Measured on a 256 MB log in the page cache: 1 MB reads through
 * the FileHandle (the thread pool, a promise each) cost 0.25 CPU-s more than node's start, 128 KB
 * synchronous reads 0.1 (the kernel's copy into a buffer that stays in cache, and no hand-over to
 * a pool thread). The event loop still turns every SYNC_YIELD_BYTES (setImmediate), as it did at
 * each read, so Ctrl-C, timers and output streams are served during a long read.
 */
export class SyncFileReader implements PositionedReader {
  private sinceYield = 0;
  constructor(private readonly fd: number) {}
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    const bytesRead = readSync(this.fd, buffer, offset, length, position);
    this.sinceYield += bytesRead;
    if (this.sinceYield < SYNC_YIELD_BYTES) return Promise.resolve({ bytesRead });
    this.sinceYield = 0;
    return new Promise((resolve) => setImmediate(() => resolve({ bytesRead })));
  }
}

/**
 * Records of the log blocks in [range.start, range.end) of an open file. Stats are updated in
 * place (so a caller can read them after the iteration ends).
 */
export async function* readLogRange(
  fh: PositionedReader,
  range: LogRange,
  opts: LogScanOptions = {},
  stats: LogScanStats = emptyLogScanStats(),
  keep?: RecordKeep,
): AsyncGenerator<LogRecord> {
  for await (const b of rangeBlocks(fh, range, opts, stats)) yield* blockRecords(b.ev, range, b.stale, opts, stats, keep);
}

/**
 * Which records a batch reader builds: called with a record's op code and context byte (the
 * bytes @22 and @23 of its header) before anything else of it is read. A record it refuses is
 * still checked (header, element array) and counted in the stats exactly as a built one —
 * malformed ones are reported through `onSkipped` the same way — but no LogRecord is made.
 */
export type RecordKeep = (op: number, ctx: number) => boolean;

/** The records of one log block that a batch reader built, and the printed LSN of the block's first well-formed record (built or refused by `keep`). */
export interface LogRecordBatch {
  records: LogRecord[];
  firstLsn: string;
  /** The block's length in 512-byte units (its LSN block number plus this is the next block's). */
  sectors?: number;
  /** The block's offset in the file (an .ldf) or in the log stream (a backup). */
  offset?: number;
}

/**
 * The same records as readLogRange, one array per log block (≤ 60 KB of log), so a consumer
 * pays the async-iteration cost once per block instead of once per record. `keep` (optional)
 * leaves out the records a consumer does not need without building them. Stats, skipped items
 * and their order are those of readLogRange.
 */
export async function* readLogRangeBatches(
  fh: PositionedReader,
  range: LogRange,
  opts: LogScanOptions = {},
  stats: LogScanStats = emptyLogScanStats(),
  keep?: RecordKeep,
): AsyncGenerator<LogRecordBatch> {
  for await (const b of rangeBlocks(fh, range, opts, stats)) {
    const out: LogRecord[] = [];
    const first = collectBlockRecords(b.ev, range, b.stale, opts, stats, out, keep);
    if (first !== null) yield { records: out, firstLsn: first, sectors: b.ev.bytes.length / 512, offset: b.ev.offset };
  }
}

/**
 * Why a log block whose sectors and checksum passed cannot be log of where it lies, or null. Its
 * header's first LSN names (FORMAT-NOTES §3):
 * - in an .ldf's VLF (`range.vlf`) of a sequence above 0, a VLF sequence **later** than the VLF
 *   header's: a VLF holds log of its own sequence or, stale, of an earlier use of its bytes — never
 *   of a later one (a VLF of sequence 0, never used or its header reset, is not judged: what its
 *   bytes hold is read as stale log, as before);
 * - in a VLF read from its first block (`range.vlfStart`), a block of the VLF's own sequence and
 *   parity (current log) whose block number is not its offset from the VLF's start in 512-byte
 *   units (a VLF's blocks lie at the block number their LSNs give; stale blocks are not judged, the
 *   VLF may have lain elsewhere in their use);
 * - in a backup's log stream (`range.endLsn`, no VLF header), a VLF sequence beyond the one after
 *   the header's LastLSN: a backup holds log up to LastLSN, and what follows it in its last VLF
 *   (or the next) is at most the log written on after it; or an LSN before where the block read
 *   before it ends (`after`): the stream holds its blocks in LSN order, so a block naming an
 *   earlier LSN is out of place (another block's bytes copied over the one there: both copies
 *   were read, their records printed twice).
 * Such a header was changed in ways its checksum does not see (SQL Server's block checksum is an
 * XOR of 32-bit words: damage that repeats over an even number of words cancels out) or the block
 * carries none; its records were printed as log (a breaker XOR-ed 40 bytes of StopAt_2.trn: an
 * insert and a commit at 5a5a5a49:5a5a5a9a:5a5c printed as real).
 */
function impossibleBlock(f: Lsn, offset: number, parity: number, range: LogRange, after: { vlf: number; block: number } | null = null): string | null {
  if (range.vlf !== undefined) {
    if (range.vlf.seq > 0 && f.vlf > range.vlf.seq) return `a log block whose first LSN ${formatLsn(f)} names VLF sequence 0x${f.vlf.toString(16)}, later than that of the VLF it lies in (0x${range.vlf.seq.toString(16)}): a VLF holds log of its own sequence or of an earlier use only, so its header is damaged and its records are not read`;
    if (range.vlfStart && f.vlf === range.vlf.seq && parity === range.vlf.parity) {
      const at = VLF_FIRST_BLOCK_ID + (offset - range.start) / SECTOR;
      if (f.block !== at) return `a log block whose first LSN ${formatLsn(f)} names block 0x${f.block.toString(16)} of its VLF, where it lies at block 0x${at.toString(16)}: a VLF's blocks lie where their LSNs say, so its header is damaged and its records are not read`;
    }
    return null;
  }
  // a backup's stream holds its blocks in LSN order: one naming an LSN before where the block read
  // before it ends is out of place (a block copied over another, or its header damaged); read, its
  // records were printed twice (the block it repeats read again at its own place) or out of order
  if (after && (f.vlf < after.vlf || (f.vlf === after.vlf && f.block < after.block))) return `a log block whose first LSN ${formatLsn(f)} lies before where the log block read before it ends (${formatLsn({ ...after, slot: 1 })}): a backup's log stream holds its blocks in LSN order, so this one is out of place (another block's bytes copied over it, or its header damaged) and its records are not read`;
  const end = range.endLsn;
  if (end !== undefined && f.vlf > end.vlf + 1) return `a log block whose first LSN ${formatLsn(f)} names VLF sequence 0x${f.vlf.toString(16)}, past the backup's log (its header's LastLSN is ${formatLsn(end)}) by more than one VLF: its header is damaged and its records are not read`;
  return null;
}

/**
 * The fixed-up blocks of a range that a scan should read (stale ones left out when includeStale is
 * false), with the block-level stats and gap reports. Damaged blocks are held until the LSN range
 * they lost is known (LogScanOptions.onSkipped; a backup stream's on `range.stream`, across ranges). `headersOnly`: the blocks as stored, sectors
 * checked but not fixed up, copied or checksummed (BlockScanner's headersOnly), for walks that
 * read the blocks they keep again.
 */
async function* rangeBlocks(
  fh: PositionedReader,
  range: LogRange,
  opts: LogScanOptions,
  stats: LogScanStats,
  headersOnly = false,
): AsyncGenerator<{ ev: BlockEvent; stale: boolean }> {
  const chunkSize = opts.chunkSize ?? (fh instanceof SyncFileReader ? LDF_SYNC_CHUNK : DEFAULT_CHUNK);
  const scanner = new BlockScanner(range.start, headersOnly);
  // Read straight into the scanner's buffer (reserve/commit), no larger than the range: a log
  // backup has one range per VLF (often 64–256 KB), and a 1 MB buffer for each was most of the cost
  // of reading a .trn chain.
  let at = range.start;
  const includeStale = opts.includeStale ?? true;
  // LSN continuity: within one VLF, a block's LSN block number is its offset from the VLF start
  // in 512-byte units, so the next block of the same VLF starts where this one ends. A later start
  // means blocks in between were zeroed, torn, damaged or cut out: LSNs that cannot be read.
  // Across the ranges of one backup stream (range.stream), VLF N's blocks are followed by those of
  // VLF N + 1 from its first block, 0x2000 / 512 = 0x10 (FORMAT-NOTES §3; the corpus's
  // SQL2008_db1_LOG_20170518_041831.trn goes from 142:1ef to 143:10): a later start, or a VLF
  // sequence skipped, means log that is not in the stream. Block numbers of different VLFs never
  // compare (backup/log-coverage.ts); where VLF N ended is unknown (its size is not in a backup).
  let next: LogStreamCursor['next'] = range.stream?.next ?? (range.vlfStart && range.vlf ? { vlf: range.vlf.seq, block: VLF_FIRST_BLOCK_ID, offset: range.start } : null);
  let sawCurrent = false;
  // Before the first current block: only never-written sectors so far (no bad run, no stale block).
  let headUnwritten = true;
  // Damaged blocks since the last current block, reported once the LSNs they lost are known: at the
  // next current block (the range up to its first LSN), or at the range's end (a backup stream's:
  // at the next range's first current block or the stream's end, endLogStream).
  const held: HeldBadBlock[] = range.stream ? (range.stream.held ??= []) : [];
  for (;;) {
    const ev = scanner.next();
    if (ev === null) break;
    if (ev === NEED_MORE) {
      if (opts.signal?.aborted) {
        // an abort: what was read is said, where its loss lies is not known
        giveHeldBadBlocks(held, null, '', opts);
        return;
      }
      if (at >= range.end) {
        scanner.end();
        continue;
      }
      const n = Math.min(chunkSize, range.end - at);
      const into = scanner.reserve(n);
      const { bytesRead } = await fh.read(scanner.buffer, into, n, at);
      if (bytesRead <= 0) {
        scanner.end();
        continue;
      }
      scanner.commit(bytesRead);
      at += bytesRead;
      // A backup's bytes are read synchronously (backup/bytes.ts), so without this turn of the event
      // loop a scan of .trn/.bak files never lets the abort's timer or event run until it ends.
      if (opts.signal && !(fh instanceof SyncFileReader)) await new Promise<void>((resolve) => setImmediate(resolve));
      stats.bytes += bytesRead;
      opts.onProgress?.({ bytes: stats.bytes, records: stats.records });
      continue;
    }
    // A block whose header passed its checks (sectors, checksum) but whose first LSN cannot be where
    // it lies: read as bad bytes, its records never printed (impossibleBlock).
    const impossible = ev.kind === 'bad' ? null : impossibleBlock(ev.header.firstLsn, ev.offset, ev.parity, range, next);
    if (ev.kind === 'bad' || impossible !== null) {
      const length = ev.kind === 'bad' ? ev.length : ev.bytes.length;
      const why = ev.kind === 'bad' ? ev.reason : impossible!;
      headUnwritten = false;
      const end = range.endLsn;
      // past the backup's log: the blocks read reach its LastLSN, so every LSN before it was read:
      // a block of a later VLF, or of its VLF ending at or after its block (at it only when LastLSN
      // is the block's first record, slot 1). Not where the stream ends at a VLF's end and LastLSN
      // is the next VLF's first block, as log-coverage.ts's end check allows: the bad bytes may be
      // the rest of that VLF (its size is not in a backup).
      const reached = (n: { vlf: number; block: number }, e: Lsn) => n.vlf > e.vlf || (n.vlf === e.vlf && (n.block > e.block || (n.block === e.block && e.slot <= 1)));
      if (end && next && reached(next, end)) {
        opts.onSkipped?.({
          code: LOG_PAST_END_DAMAGED,
          reason: `${length} bytes after the end of the backup's log do not read as log blocks (${why}): the log stream had reached its header's LastLSN ${formatLsn(end)} before them, so none of the backup's log is there; no record is lost`,
          location: { file: range.file, offset: ev.offset },
        });
        continue;
      }
      stats.skippedBlocks++;
      held.push({ item: { code: 'FORMAT_BAD_LOG_BLOCK', reason: `${length} bytes skipped: ${why}`, location: { file: range.file, offset: ev.offset } }, offset: ev.offset, length });
      continue;
    }
    stats.blocks++;
    // Checked when read (fixupBlock): blocks flagging a checksum, and those holding one at @24 without
    // the flag (verified all the same; a block reading 0 there with no flag is the unchecked kind).
    if (blockHoldsChecksum(ev.bytes, 0)) stats.checksummedBlocks++;
    else if (stats.uncheckedBlockList.length < UNCHECKED_BLOCKS_KEPT) stats.uncheckedBlockList.push({ file: range.file, offset: ev.offset, firstLsn: formatLsn(ev.header.firstLsn) });
    const stale = range.vlf !== undefined && (ev.header.firstLsn.vlf !== range.vlf.seq || ev.parity !== range.vlf.parity);
    if (stale) headUnwritten = false;
    else {
      const firstCurrent = !sawCurrent;
      sawCurrent = true;
      const f = ev.header.firstLsn;
      // the FORMAT_LOG_GAP this block ends, reported after the damaged blocks held before it
      let gap: SkippedItem | null = null;
      if (next && f.vlf === next.vlf && f.block > next.block && range.vlfOldest && firstCurrent && headUnwritten) {
        opts.onSkipped?.({
          code: LOG_STARTS_MID_VLF,
          reason: `the log this file holds starts at LSN ${formatLsn(f)}, inside its oldest VLF (sequence 0x${f.vlf.toString(16)}): the ${ev.offset - next.offset} bytes before it in that VLF were never written (as in a database restored from a backup, whose log starts mid-VLF), so no log older than that is in the file`,
          location: { file: range.file, offset: ev.offset, lsn: formatLsn(f) },
        });
      }
      else if (next && f.vlf === next.vlf && f.block > next.block) {
        stats.gaps++;
        // this VLF's block 0x10 lost: whether the previous sequence's VLF lost its last blocks cannot be told
        const prevEnd = firstCurrent && next.block === VLF_FIRST_BLOCK_ID ? await ldfVlfLogEnd(fh, range, opts) : null;
        gap = {
          code: 'FORMAT_LOG_GAP',
          reason: `log blocks are missing: LSNs from ${formatLsn({ vlf: next.vlf, block: next.block, slot: 1 })} up to ${formatLsn(f)} could not be read (${ev.offset > next.offset ? `${ev.offset - next.offset} bytes zeroed, torn, damaged or cut out` : `no bytes are missing there: the block at offset ${ev.offset} names a later LSN than the log before it reaches, so the blocks between were cut out or it is another block's bytes copied over the one there`})${prevEndNote(prevEnd)}; rows in that range are lost and transactions crossing it cannot be told committed`,
          location: { file: range.file, offset: next.offset, lsn: formatLsn({ vlf: next.vlf, block: next.block, slot: 1 }) },
          lsnRange: { first: formatLsn(prevEnd ?? { vlf: next.vlf, block: next.block, slot: 1 }), last: formatLsn(f) },
        };
      }
      else if (next && next.size !== undefined && f.vlf === next.vlf + 1 && f.block === VLF_FIRST_BLOCK_ID && previousBlockSize(ev.bytes) !== 0 && previousBlockSize(ev.bytes) !== next.size) {
        // VLF N's log looked whole (its unused tail reads as never written), but the first block of
        // N + 1 says the block before it was of another size than the last one read of N: the
        // blocks after that one were lost (previousBlockSize)
        const lostFrom = { vlf: next.vlf, block: next.block, slot: 1 };
        stats.gaps++;
        gap = {
          code: 'FORMAT_LOG_GAP',
          reason: `log blocks are missing at the end of VLF 0x${next.vlf.toString(16)}: the first block of VLF 0x${f.vlf.toString(16)} (LSN ${formatLsn(f)}, offset ${ev.offset}) says the block written before it was ${previousBlockSize(ev.bytes)} bytes, but the last block read of VLF 0x${next.vlf.toString(16)} (offset ${next.at ?? next.offset - next.size}) is ${next.size} bytes, so VLF 0x${next.vlf.toString(16)}'s log went on after it: LSNs from ${formatLsn(lostFrom)} up to ${formatLsn(f)} could not be read (zeroed, torn, damaged or cut out after offset ${next.offset}); rows in that range are lost and transactions crossing it cannot be told committed`,
          location: { file: range.file, offset: next.offset, lsn: formatLsn(lostFrom) },
          lsnRange: { first: formatLsn(lostFrom), last: formatLsn(f) },
        };
      }
      else if (next && f.vlf > next.vlf && !(f.vlf === next.vlf + 1 && f.block === VLF_FIRST_BLOCK_ID)) {
        const from = { vlf: next.vlf + 1, block: VLF_FIRST_BLOCK_ID, slot: 1 };
        // the range from where VLF next.vlf's last block read ends: its blocks after it, if it had
        // any, are lost as well (a stream's size in a VLF is not known: a zeroed last block of it reads
        // as unwritten), so the range never names less than was lost
        const lostFrom = { vlf: next.vlf, block: next.block, slot: 1 };
        stats.gaps++;
        gap = {
          code: 'FORMAT_LOG_GAP',
          reason: `log blocks are missing: the stream goes from VLF 0x${next.vlf.toString(16)} to ${formatLsn(f)}, so LSNs from ${formatLsn(from)} up to ${formatLsn(f)} could not be read (not in the backup, or zeroed, torn, damaged or cut out), and any of VLF 0x${next.vlf.toString(16)} after ${formatLsn(lostFrom)}; rows in that range are lost and transactions crossing it cannot be told committed`,
          location: { file: range.file, offset: ev.offset, lsn: formatLsn(from) },
          lsnRange: { first: formatLsn(lostFrom), last: formatLsn(f) },
        };
      }
      if (held.length) {
        // the LSNs the damaged blocks before this one lost: the gap's range, else from where the last
        // current block read ends (or, at a backup stream's start, its header's FirstLSN) up to this
        // block's first LSN
        const from = next ? { vlf: next.vlf, block: next.block, slot: 1 } : range.startLsn;
        const lost = gap?.lsnRange ?? (from && lsnBefore(from, f) ? { first: formatLsn(from), last: formatLsn(f) } : null);
        giveHeldBadBlocks(held, lost, lost ? '' : next ? `; the readable block after it (LSN ${formatLsn(f)}) goes on where the one before it ends, so which LSNs it held is not known` : `; the readable block after it starts at LSN ${formatLsn(f)}, and where the log before it starts is not known`, opts);
      }
      if (gap) opts.onSkipped?.(gap);
      next = { vlf: f.vlf, block: f.block + ev.bytes.length / 512, offset: ev.offset + ev.bytes.length, size: ev.bytes.length, at: ev.offset };
      if (range.stream) range.stream.next = next;
      if (!stats.end || f.vlf > stats.end.vlf || (f.vlf === stats.end.vlf && next.block > stats.end.block)) stats.end = { vlf: next.vlf, block: next.block };
    }
    if (stale && !includeStale) continue;
    yield { ev, stale };
  }
  stats.unwrittenBytes += scanner.unwrittenBytes;
  // the loss at this range's end (a FORMAT_LOG_GAP), reported after the damaged blocks held before it
  let endGap: SkippedItem | null = null;
  // VLF N's log read ends before the VLF does, N + 1's first block current: a loss when that block
  // names another size for the block before it (ldfVlfEndLoss), else a doubt (ldfVlfEndsEarly)
  let endsEarly: SkippedItem | null = null;
  // the next VLF's first block, when whole and current: the log went on past this VLF's end
  let nextFirst: NextVlfFirstBlock | null = null;
  if (range.vlfNext && range.vlf && sawCurrent && next?.size !== undefined && !opts.signal?.aborted) {
    nextFirst = await ldfNextVlfFirstBlock(fh, range);
    const lost = nextFirst ? ldfVlfEndLoss(range, next, nextFirst) : null;
    if (lost) {
      stats.gaps++;
      endGap = lost;
    } else if (nextFirst && held.length === 0) endsEarly = ldfVlfEndsEarly(range, next, nextFirst);
  }
  if (range.vlfStart && range.vlfHoldsLog && range.vlf && !sawCurrent && !opts.signal?.aborted) {
    const from = { vlf: range.vlf.seq, block: VLF_FIRST_BLOCK_ID, slot: 1 };
    stats.gaps++;
    const prevEnd = await ldfVlfLogEnd(fh, range, opts);
    endGap = {
      code: 'FORMAT_LOG_GAP',
      reason: `log blocks are missing: VLF 0x${range.vlf.seq.toString(16)} holds no log block of its own (${range.end - range.start} bytes zeroed, torn, damaged, cut out or of an earlier use), though a VLF of a later sequence holds log, so LSNs from ${formatLsn(from)} up to ${formatLsn({ vlf: range.vlf.seq + 1, block: VLF_FIRST_BLOCK_ID, slot: 1 })} could not be read${prevEndNote(prevEnd)}; rows in that range are lost and transactions crossing it cannot be told committed`,
      location: { file: range.file, offset: range.start, lsn: formatLsn(from) },
      lsnRange: { first: formatLsn(prevEnd ?? from), last: formatLsn({ vlf: range.vlf.seq + 1, block: VLF_FIRST_BLOCK_ID, slot: 1 }) },
    };
  }
  if (held.length && opts.signal?.aborted) giveHeldBadBlocks(held, null, '', opts);
  else if (held.length && endGap) giveHeldBadBlocks(held, endGap.lsnRange ?? null, '', opts);
  else if (held.length && !range.stream) {
    // An .ldf's VLF whose last bytes are damaged, no current block after them: no later block says
    // where its log ended. A block's number is its 512-byte offset from the VLF's start (FORMAT-NOTES
    // §3), so the LSN positions their bytes hold are known: from where the last current block read
    // ends up to the end of the last damaged stretch (log past it would lie in bytes read as
    // unwritten, or in the next VLF, read on its own).
    const last = held[held.length - 1]!;
    const from = next ? { vlf: next.vlf, block: next.block, slot: 1 } : null;
    // The next VLF's first block whole and current (nextFirst) says the log went on to this VLF's
    // end: whatever lies after the damaged bytes (a zeroed last block reads as unwritten) was lost
    // with them, up to that block's first LSN. Named only up to the damaged bytes, a zeroed last
    // block as large as the one before it fell outside every range told lost, and a log backup
    // covering the range named made the merged read call the hole covered, complete: true with its
    // rows missing (SYNTHETIC test/logreader/ldf/vlf-end-torn-then-zeroed.test.ts).
    const to = range.vlfStart && range.vlf ? { vlf: range.vlf.seq, block: VLF_FIRST_BLOCK_ID + Math.ceil((last.offset + last.length - range.start) / SECTOR), slot: 1 } : null;
    if (from && nextFirst && lsnBefore(from, nextFirst.lsn)) giveHeldBadBlocks(held, { first: formatLsn(from), last: formatLsn(nextFirst.lsn) }, ` (the damaged bytes and any log after them in VLF 0x${from.vlf.toString(16)}: VLF 0x${nextFirst.lsn.vlf.toString(16)} after it holds log from ${formatLsn(nextFirst.lsn)}, so this VLF's log went on to its end)`, opts);
    else if (from && to && lsnBefore(from, to)) giveHeldBadBlocks(held, { first: formatLsn(from), last: formatLsn(to) }, ` (the LSN positions of the damaged bytes: no readable block of VLF 0x${to.vlf.toString(16)} follows them, so whether its log went on into them, and how far, is not known)`, opts);
    else giveHeldBadBlocks(held, null, '', opts);
  }
  // a backup stream's held blocks wait for its next range's first current block, or its end (endLogStream)
  if (endGap) opts.onSkipped?.(endGap);
  if (endsEarly) opts.onSkipped?.(endsEarly);
}

/** A whole current block of a backup's log stream (sectors and checksum checked): its first LSN, size, stream offset and the size its header says the block before it had ({@link previousBlockSize}). */
export interface StreamEdgeBlock {
  lsn: Lsn;
  size: number;
  offset: number;
  previousSize: number;
}

/**
 * The first (`which` 'first') or last ('last') whole block of a backup's log stream (its MQTL
 * ranges, read in order; for 'last' from the last range back to the first that holds a block).
 * Reads no record and reports nothing (the stream's own read reports its damage); null when no
 * block reads whole. Used across the files of a chain of log backups (backup/chain-boundary.ts):
 * the next backup's first block names the size of this one's last block.
 */
export async function streamEdgeBlock(fh: PositionedReader, ranges: readonly LogRange[], which: 'first' | 'last', signal?: AbortSignal): Promise<StreamEdgeBlock | null> {
  const order = which === 'first' ? ranges : [...ranges].reverse();
  for (const r of order) {
    let found: StreamEdgeBlock | null = null;
    const plain: LogRange = { start: r.start, end: r.end, kind: r.kind, file: r.file };
    for await (const b of rangeBlocks(fh, plain, signal ? { signal } : {}, emptyLogScanStats())) {
      if (b.stale) continue;
      found = { lsn: b.ev.header.firstLsn, size: b.ev.bytes.length, offset: b.ev.offset, previousSize: previousBlockSize(b.ev.bytes) };
      if (which === 'first') return found;
    }
    if (signal?.aborted) return null;
    if (found) return found;
  }
  return null;
}

/** The first block of the VLF after an .ldf's VLF (LogRange.vlfNext) as ldfNextVlfFirstBlock reads it: its first LSN, file offset and the size it names for the block before it. */
interface NextVlfFirstBlock {
  lsn: Lsn;
  offset: number;
  /** Its header's u16 @10 ({@link previousBlockSize}): the size in bytes of the block written before it; 0 names none. */
  said: number;
}

/**
 * The first block of the VLF of the next sequence (range.vlfNext) of an .ldf's VLF `range`, read
 * here (one block), when it is that VLF's own block 0x10 (sequence + 1, block 0x10, its header's
 * parity: current log) and whole (sectors and checksum); null otherwise (missing, damaged or stale:
 * its own VLF's read reports it). Never throws on bad bytes.
 */
async function ldfNextVlfFirstBlock(fh: PositionedReader, range: LogRange): Promise<NextVlfFirstBlock | null> {
  const vlf = range.vlf!;
  const nextVlf = range.vlfNext!;
  const at = nextVlf.offset + VLF_FIRST_BLOCK_OFFSET;
  const head = Buffer.alloc(SECTOR);
  if ((await fh.read(head, 0, SECTOR, at)).bytesRead < SECTOR || blockHeaderProblem(head, 0) !== null) return null;
  const h = parseBlockHeader(head, 0);
  if (h.firstLsn.vlf !== vlf.seq + 1 || h.firstLsn.block !== VLF_FIRST_BLOCK_ID || blockParity(head, 0) !== nextVlf.parity) return null;
  const block = Buffer.alloc(h.size);
  if ((await fh.read(block, 0, h.size, at)).bytesRead < h.size || typeof fixupBlock(block, 0, h.size) === 'string') return null;
  return { lsn: h.firstLsn, offset: at, said: previousBlockSize(block) };
}

/**
 * Whether an .ldf's VLF (`range`, whose last current block read ends at `end`) lost its last
 * blocks: the first block of the VLF of the next sequence (`first`, {@link ldfNextVlfFirstBlock})
 * names the size of the block written before it ({@link previousBlockSize}). Not the size of the
 * last block read: the log went on after it in this VLF, and LSNs from where it ends up to
 * (sequence + 1):0x10:1 are lost (FORMAT_LOG_GAP). Null when they agree, or when it names none (0).
 */
function ldfVlfEndLoss(range: LogRange, end: NonNullable<LogStreamCursor['next']>, first: NextVlfFirstBlock): SkippedItem | null {
  const { said, offset: at } = first;
  if (said === 0 || said === end.size) return null;
  const lostFrom = formatLsn({ vlf: end.vlf, block: end.block, slot: 1 });
  const upTo = formatLsn(first.lsn);
  return {
    code: 'FORMAT_LOG_GAP',
    reason: `log blocks are missing at the end of VLF 0x${end.vlf.toString(16)}: the first block of VLF 0x${first.lsn.vlf.toString(16)} (LSN ${upTo}, offset ${at}) says the block written before it was ${said} bytes, but the last block read of VLF 0x${end.vlf.toString(16)} (offset ${end.at ?? end.offset - (end.size ?? 0)}) is ${end.size} bytes, so VLF 0x${end.vlf.toString(16)}'s log went on after it: LSNs from ${lostFrom} up to ${upTo} could not be read (zeroed, torn, damaged or cut out after offset ${end.offset}); rows in that range are lost and transactions crossing it cannot be told committed`,
    location: { file: range.file, offset: end.offset, lsn: lostFrom },
    lsnRange: { first: lostFrom, last: upTo },
  };
}

/**
 * The LOG_VLF_ENDS_EARLY item for an .ldf's VLF N (`range`, read from its first block) whose last
 * current block read ends (`end`: file offset, LSN position) before the VLF's end (range.end) while
 * the VLF of sequence N + 1 holds log (`first`: its block 0x10, whole and current) and no loss was
 * told there (ldfVlfEndLoss null): the tail from `end.offset` to the VLF's end (bytes, > 0) holds no
 * current block. Every VLF with a next one in the corpus's .ldf and .trn files is filled to its end
 * (21 such VLFs in the 6 .ldf files the reader reads; measured, not documented: LOG_VLF_ENDS_EARLY), so its last block(s) may have
 * been lost (zeroed like unwritten space, the same size as the block before them: the next VLF's
 * first block then agrees). Null when the log reaches the VLF's end. Not a proven loss: a WARNING.
 */
function ldfVlfEndsEarly(range: LogRange, end: NonNullable<LogStreamCursor['next']>, first: NextVlfFirstBlock): SkippedItem | null {
  const tail = range.end - end.offset;
  if (tail <= 0) return null;
  const from = formatLsn({ vlf: end.vlf, block: end.block, slot: 1 });
  const upTo = formatLsn(first.lsn);
  return {
    code: LOG_VLF_ENDS_EARLY,
    reason: `VLF 0x${end.vlf.toString(16)}'s log ends at offset ${end.offset}, ${tail} bytes before the VLF does (no current log block in them: zeros, 0xC0 or stale blocks), though VLF 0x${first.lsn.vlf.toString(16)} after it holds log; every VLF with a next one in the .ldf and .trn files seen is filled to its end, so its last log block(s) may be lost (zeroed, of the size of the block before them, which the next VLF's first block cannot tell): LSNs from ${from} up to ${upTo} may be missing, and rows in them would be missing from this result${VLF_ENDS_EARLY_WAY_ON}`,
    location: { file: range.file, offset: end.offset, lsn: from },
    lsnRange: { first: from, last: upTo },
  };
}

/**
 * Where the log of the VLF of the sequence before `range`'s (range.vlfPrev) ends: the position
 * (sequence, block, slot 1) just past its last current block, found by reading its block headers
 * (only when `range`'s own log from 0x10 is lost: its block 0x10 named the size of that VLF's last
 * block, so whether that VLF lost its last blocks cannot be told). Null when the file holds no such
 * VLF or it holds no current block (its own read reports that loss).
 */
async function ldfVlfLogEnd(fh: PositionedReader, range: LogRange, opts: LogScanOptions): Promise<Lsn | null> {
  const p = range.vlfPrev;
  if (!p || !range.vlf || range.vlf.seq <= 1) return null;
  const seq = range.vlf.seq - 1;
  const stats = emptyLogScanStats();
  const prev: LogRange = { start: p.offset + VLF_FIRST_BLOCK_OFFSET, end: p.offset + p.size, kind: range.kind, file: range.file, vlf: { seq, parity: p.parity } };
  // blocks checked whole (sectors and checksum), not headers only: a torn last block is not log read
  for await (const _ of rangeBlocks(fh, prev, { chunkSize: opts.chunkSize, signal: opts.signal, includeStale: false }, stats)) void _;
  if (opts.signal?.aborted) return null;
  return stats.end && stats.end.vlf === seq ? { vlf: seq, block: stats.end.block, slot: 1 } : null;
}

/** The words a FORMAT_LOG_GAP at a VLF's first block adds when its range starts in the VLF before (ldfVlfLogEnd). */
function prevEndNote(prevEnd: Lsn | null): string {
  return prevEnd
    ? `, and any of VLF 0x${prevEnd.vlf.toString(16)} after ${formatLsn(prevEnd)} (the lost first block of the next VLF was what named the size of VLF 0x${prevEnd.vlf.toString(16)}'s last block, so whether its last blocks were lost cannot be told)`
    : '';
}

/**
 * Where the VLF of sequence `v.seq` - 1 lies in an .ldf (LogRange.vlfPrev), when the layout holds
 * it (one VLF of that sequence).
 */
export function prevVlfOf(layout: Pick<LdfLayout, 'vlfs'>, v: VlfInfo): { offset: number; size: number; parity: number } | undefined {
  if (v.seq <= 1) return undefined;
  const n = layout.vlfs.filter((x) => x.seq === v.seq - 1);
  return n.length === 1 ? { offset: n[0].offset, size: n[0].size, parity: n[0].parity } : undefined;
}

/**
 * Where the VLF of sequence `v.seq` + 1 lies in an .ldf (LogRange.vlfNext), when the layout holds
 * it (one VLF of that sequence; none for a VLF never used).
 */
export function nextVlfOf(layout: Pick<LdfLayout, 'vlfs'>, v: VlfInfo): { offset: number; parity: number } | undefined {
  if (v.seq <= 0) return undefined;
  const n = layout.vlfs.filter((x) => x.seq === v.seq + 1);
  return n.length === 1 ? { offset: n[0].offset, parity: n[0].parity } : undefined;
}

/** The records of one fixed-up block, built one at a time as they are asked for. */
export function* blockRecords(
  ev: BlockEvent,
  range: Pick<LogRange, 'kind' | 'file' | 'position'>,
  stale: boolean,
  opts: Pick<LogScanOptions, 'onSkipped'> = {},
  stats: LogScanStats = emptyLogScanStats(),
  keep?: RecordKeep,
): Generator<LogRecord> {
  const spans = recordSpanBounds(ev.bytes, ev.header);
  const v = new DataView(ev.bytes.buffer, ev.bytes.byteOffset, ev.bytes.byteLength);
  const h = ev.header.firstLsn;
  for (let i = 0; i < spans.length >> 1; i++) {
    const before = stats.records;
    // keep: asked record by record, as each is reached (a consumer may change its answer between two records)
    const r = recordAt(ev, spans[2 * i], spans[2 * i + 1], i, v, range, stale, opts, stats, keep);
    if (!stale && stats.records > before) noteLsnRange(stats, h.vlf, h.block, h.slot + i, h.slot + i);
    if (r) yield r;
  }
}

/**
 * Appends the records of one fixed-up block that `keep` accepts (all when not given) to `out`;
 * returns the printed LSN of its first well-formed record, null when it has none.
 */
function collectBlockRecords(
  ev: BlockEvent,
  range: Pick<LogRange, 'kind' | 'file' | 'position'>,
  stale: boolean,
  opts: Pick<LogScanOptions, 'onSkipped'>,
  stats: LogScanStats,
  out: LogRecord[],
  keep?: RecordKeep,
): string | null {
  const spans = recordSpanBounds(ev.bytes, ev.header);
  const v = new DataView(ev.bytes.buffer, ev.bytes.byteOffset, ev.bytes.byteLength);
  const h = ev.header.firstLsn;
  let first: string | null = null;
  // the lowest and highest slot counted: the stats' LSN range is moved once per block, not per record
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < spans.length >> 1; i++) {
    const before = stats.records;
    const r = recordAt(ev, spans[2 * i], spans[2 * i + 1], i, v, range, stale, opts, stats, keep);
    if (r) out.push(r);
    if (stats.records > before) {
      if (lo < 0) lo = i;
      hi = i;
      if (first === null) first = r ? r['Current LSN'] : formatLsnFast(h.vlf, h.block, h.slot + i);
    }
  }
  if (!stale && lo >= 0) noteLsnRange(stats, h.vlf, h.block, h.slot + lo, h.slot + hi);
  return first;
}

/**
 * Widens the stats' first/last LSN to the records of one block from slot `lo` to slot `hi`
 * (both counted, not stale).
 */
function noteLsnRange(stats: LogScanStats, vlf: number, block: number, lo: number, hi: number): void {
  const f = stats.firstLsn;
  if (!f || vlf < f.vlf || (vlf === f.vlf && (block < f.block || (block === f.block && lo < f.slot)))) stats.firstLsn = { vlf, block, slot: lo };
  const l = stats.lastLsn;
  if (!l || vlf > l.vlf || (vlf === l.vlf && (block > l.block || (block === l.block && hi > l.slot)))) stats.lastLsn = { vlf, block, slot: hi };
}

/** 1 for each operation code rowback knows (OPERATION_NAMES), by code: one lookup per record. */
const KNOWN_OPERATION = (() => {
  const t = new Uint8Array(256);
  for (const op of OPERATION_NAMES.keys()) if (op >= 0 && op < 256) t[op] = 1;
  return t;
})();

function noteUnknownOperation(stats: LogScanStats, op: number, file: string, offset: number, lsn: string): void {
  const u = stats.unknownOps.find((x) => x.op === op);
  if (u) u.count++;
  else stats.unknownOps.push({ op, count: 1, firstLsn: lsn, file, offset });
}

/**
 * Record `i` of a block (span [s, e)): the LogRecord, or null when it is malformed (reported
 * through onSkipped) or refused by `keep` (checked as parseLogRecord would, counted, not built).
 * Updates the record counts (the caller the first/last LSN, noteLsnRange).
 */
function recordAt(
  ev: BlockEvent,
  s: number,
  e: number,
  i: number,
  v: DataView,
  range: Pick<LogRange, 'kind' | 'file' | 'position'>,
  stale: boolean,
  opts: Pick<LogScanOptions, 'onSkipped'>,
  stats: LogScanStats,
  keep?: RecordKeep,
): LogRecord | null {
  const bytes = ev.bytes;
  const h = ev.header.firstLsn;
  const vlf = h.vlf;
  const block = h.block;
  const slot = h.slot + i;
  let record: LogRecord | null = null;
  let problem: string | null = null;
  let badElements = false;
  if (s < 0 || e > bytes.length || s >= e) problem = `record slot ${i} points outside the block (${s}..${e})`;
  else if (keep && e - s >= RECORD_HEADER_SIZE && !keep(bytes[s + 22], bytes[s + 23])) {
    // Not built: only what parseLogRecord would have found wrong with it is checked.
    const p = recordProblem(bytes, s, e, v);
    if (p === 'elements') badElements = true;
    else problem = p;
  } else {
    const source: LogRecordSource = { kind: range.kind, file: range.file, offset: ev.offset + s };
    if (range.position !== undefined) source.position = range.position;
    if (stale) source.stale = true;
    const parsed = parseLogRecord(bytes, s, e, { vlf, block, slot }, source, v);
    if (typeof parsed === 'string') problem = parsed;
    else {
      record = parsed.record;
      badElements = parsed.extra.badElements;
    }
  }
  if (problem !== null) {
    stats.skippedRecords++;
    opts.onSkipped?.({ code: 'FORMAT_BAD_LOG_RECORD', reason: problem, location: { file: range.file, offset: ev.offset + Math.max(0, s), lsn: formatLsnFast(vlf, block, slot) } });
    return null;
  }
  if (badElements) {
    stats.skippedRecords++;
    opts.onSkipped?.({
      code: 'FORMAT_BAD_LOG_RECORD',
      reason: `${operationName(bytes[s + 22])}: element lengths run past the record; kept without RowLog Contents`,
      location: { file: range.file, offset: ev.offset + s, lsn: formatLsnFast(vlf, block, slot) },
    });
  }
  stats.records++;
  if (stale) stats.staleRecords++;
  if (KNOWN_OPERATION[bytes[s + 22]!] === 0) noteUnknownOperation(stats, bytes[s + 22]!, range.file, ev.offset + s, formatLsnFast(vlf, block, slot));
  return record;
}

// ---------------------------------------------------------------------------------------------
// .ldf files

export interface VlfInfo extends VlfHeader {
  index: number;
  /** File offset of the VLF. */
  offset: number;
}

export interface LdfLayout {
  file: string;
  size: number;
  /** Log format version of the first VLF. */
  version: number;
  vlfs: VlfInfo[];
  /** Problems found while walking the VLF headers. */
  problems: SkippedItem[];
}

/** Page type 15 = file header page (the .ldf's first 8 KB, like a data file's page 0). */
const FILE_HEADER_PAGE_TYPE = 15;
/** Page type 11 = PFS page: a data file's page 1, at 0x2000 where a log file's first VLF starts. */
const PFS_PAGE_TYPE = 11;

/**
 * The file header and VLF chain of an .ldf. Throws FORMAT_NOT_A_LOG_FILE when the file has
 * neither a file-header page nor a VLF at 0x2000, and FORMAT_UNSUPPORTED_LOG_VERSION for the
 * log format version 2 unless `allowUnsupportedVersion` (SQL Server 2000's record header is different;
 * SQL Server 2005 writes version 2 with the 2005+ record header — callers that know the database is
 * 2005's, from its data file, allow it).
 */
export async function readLdfLayout(path: string, opts: { allowUnsupportedVersion?: boolean } = {}): Promise<LdfLayout> {
  const fh = await openInput(path);
  try {
    return await layoutOf(fh, path, opts.allowUnsupportedVersion ?? false);
  } finally {
    await fh.close();
  }
}

/**
 * Where the log of one VLF of an .ldf ends: the position (sequence, block in 512-byte units, slot 1)
 * just past its last current block (its sequence and parity; blocks checked whole, sectors and
 * checksum), as the VLF's own read finds it. `damaged`: bytes of the VLF did not read as log blocks
 * (torn, damaged or stale: where its log ends cannot be told from its current blocks alone; the log
 * reader reports them). `end` null: no current block of its own. Reads only that VLF's bytes.
 */
export async function ldfVlfCurrentEnd(path: string, v: Pick<VlfInfo, 'seq' | 'parity' | 'offset' | 'size'>, holdsBlock?: number): Promise<{ end: Lsn | null; damaged: boolean }> {
  const fh = await openInput(path);
  try {
    const sync = new SyncFileReader(fh.fd);
    // `holdsBlock`: the caller asks only whether the log reaches past that block. A current block
    // starting there (a block's number is its 512-byte offset in the VLF) answers it reading that
    // block alone, not the whole VLF (often tens of MB): its end is returned.
    if (holdsBlock !== undefined && holdsBlock >= VLF_FIRST_BLOCK_ID && v.offset + holdsBlock * SECTOR < v.offset + v.size) {
      const start = v.offset + holdsBlock * SECTOR;
      const at: LogRange = { start, end: Math.min(v.offset + v.size, start + MAX_BLOCK_SIZE), kind: 'ldf', file: path, vlf: { seq: v.seq, parity: v.parity } };
      for await (const b of rangeBlocks(sync, at, { includeStale: true }, emptyLogScanStats())) {
        const f = b.ev.header.firstLsn;
        if (!b.stale && f.vlf === v.seq && f.block === holdsBlock) return { end: { vlf: v.seq, block: f.block + b.ev.bytes.length / SECTOR, slot: 1 }, damaged: false };
        break;
      }
    }
    const stats = emptyLogScanStats();
    let damaged = false;
    const range: LogRange = { start: v.offset + VLF_FIRST_BLOCK_OFFSET, end: v.offset + v.size, kind: 'ldf', file: path, vlf: { seq: v.seq, parity: v.parity } };
    for await (const _ of rangeBlocks(sync, range, { includeStale: false, onSkipped: () => { damaged = true; } }, stats)) void _;
    return { end: stats.end && stats.end.vlf === v.seq ? { vlf: v.seq, block: stats.end.block, slot: 1 } : null, damaged: damaged || stats.skippedBlocks > 0 };
  } finally {
    await fh.close();
  }
}

async function layoutOf(fh: FileHandle, path: string, allowUnsupported = false): Promise<LdfLayout> {
  const size = (await fh.stat()).size;
  const head = Buffer.alloc(VLF_HEADER_SIZE + 22);
  await fh.read(head, 0, 8, 0);
  const pageType = head[1];
  // A backup given where a log file was expected (a .trn as --ldf): say so and where it goes.
  const magic = backupMagic(head);
  const backupHint = magic ? `: it is a backup (starts with ${magic}); give a log backup with --trn, a full or differential backup with --bak` : '';
  await fh.read(head, 0, head.length, LDF_FIRST_VLF_OFFSET);
  const first = size >= LDF_FIRST_VLF_OFFSET + head.length ? parseVlfHeader(head, 0) : null;
  // A data file given where a log file was expected (--ldf X.mdf): its page 0 is a file header
  // page too, but at 0x2000 it has page 1, a PFS page (header version 1, type 11), not a VLF —
  // the same test as the opposite mistake's (datafile/metadata.ts INPUT_NOT_A_DATA_FILE).
  const dataFileHint = pageType === FILE_HEADER_PAGE_TYPE && !first && head[0] === 1 && head[1] === PFS_PAGE_TYPE ? ': it is a data file (.mdf/.ndf: a PFS page at 0x2000, where a log has its first VLF); give it with --mdf' : '';
  // Cut at (or just past) the end of its file header page: no VLF header left to find, but the file
  // header page says how large the file was (it said FORMAT_NOT_A_LOG_FILE, "no file header page (type
  // 15) with a VLF header", while a cut 800 bytes later said FORMAT_LOG_FILE_CUT plainly).
  if (pageType === FILE_HEADER_PAGE_TYPE && !first && size < LDF_FIRST_VLF_OFFSET + head.length) {
    const cut = cutAgainstFileHeader(path);
    if (cut) {
      throw new FormatError(
        'FORMAT_LOG_FILE_CUT',
        `the log file is cut short: its file header says ${cut.statedBytes} bytes, the file holds ${size} (${size <= LDF_FIRST_VLF_OFFSET ? 'its file header page only' : 'its file header page and part of its first VLF header'}): its first VLF, at offset ${LDF_FIRST_VLF_OFFSET}, and all its log are missing; copy the whole .ldf again (with SQL Server stopped or the database detached), or give the log backups with --trn`,
        { file: path, offset: size },
      );
    }
  }
  // cut inside page 0 itself (its first bytes a file header page's): said as cut, not as no log file
  if (size < PAGE_SIZE) {
    const whole = Buffer.alloc(size);
    const { bytesRead } = await fh.read(whole, 0, size, 0);
    if (cutInsideFileHeader(whole.subarray(0, bytesRead))) throw new FormatError('FORMAT_FILE_CUT', cutInsideFileHeaderText(path, bytesRead), { file: path, offset: bytesRead });
  }
  if (pageType !== FILE_HEADER_PAGE_TYPE || !first) {
    throw new FormatError('FORMAT_NOT_A_LOG_FILE', `not a SQL Server log file: no file header page (type 15) with a VLF header (0xAB) at 0x2000${backupHint || dataFileHint || logTextHint(path)}`, { file: path, offset: first ? 0 : LDF_FIRST_VLF_OFFSET });
  }
  if (first.version === LOG_FORMAT_SQL2000 && !allowUnsupported) {
    throw new FormatError(
      'FORMAT_UNSUPPORTED_LOG_VERSION',
      'this log has log format version 2, written by SQL Server 2000 and 2005: a SQL Server 2000 log\'s records use an older header that rowback does not decode (attach it to SQL Server 2005+ or read it with fn_dblog); a SQL Server 2005 log is read when its data file (boot page dbi_version 611) is given with --mdf/--bak',
      { file: path, offset: LDF_FIRST_VLF_OFFSET },
    );
  }
  const vlfs: VlfInfo[] = [];
  const problems: SkippedItem[] = [];
  let off = LDF_FIRST_VLF_OFFSET;
  // The VLF the end of the file cuts through, and the clause naming the log it lost.
  let cutVlf: string | null = null;
  let cutFirst: Lsn | null = null;
  while (off + head.length <= size) {
    await fh.read(head, 0, head.length, off);
    const h = parseVlfHeader(head, 0);
    if (!h) {
      problems.push({ code: 'FORMAT_BAD_VLF_HEADER', reason: 'no VLF header marker 0xAB where the previous VLF ends; the rest of the file is not read', location: { file: path, offset: off } });
      break;
    }
    if (h.size < VLF_FIRST_BLOCK_OFFSET) {
      problems.push({ code: 'FORMAT_BAD_VLF_HEADER', reason: `VLF size ${h.size} is smaller than a VLF header; the rest of the file is not read`, location: { file: path, offset: off } });
      break;
    }
    if (off + h.size > size) {
      // A partial copy: keep what the file holds of the last VLF. A block's LSN block number is its
      // offset from the VLF start in 512-byte units (FORMAT-NOTES §3), so the log the cut took is
      // named by LSN: from the first whole sector missing to the VLF's end.
      const kept = Math.floor((size - off) / 512);
      const from = h.seq > 0 ? formatLsn({ vlf: h.seq, block: kept, slot: 1 }) : null;
      const lostRange = from !== null
        ? `: VLF sequence 0x${h.seq.toString(16)} lost its log from LSN ${from} (its block ${kept}, file offset ${off + kept * 512}) to its end (LSN ${formatLsn({ vlf: h.seq, block: h.size / 512 - 1, slot: 0xffff })}), if it held log that far`
        : ' (a VLF never used: no log lost in it)';
      if (from !== null) {
        cutVlf = `VLF sequence 0x${h.seq.toString(16)}, cut at offset ${size}, lost its log from LSN ${from} to its end, if it held log that far`;
        cutFirst = { vlf: h.seq, block: kept, slot: 1 };
      }
      // the range: up to where the log goes on once this VLF is closed (log-coverage.ts): the first
      // block of the lowest sequence above it that a VLF before the cut holds; the sequences between
      // were in the part cut off, lost whole (School_Log.ldf cut inside sequence 40, with 42 before
      // it: the range ended at 41's first block, and 41's log, lost too, was left out of it). With
      // none above it present, its next sequence's first block (the log after may be lost too:
      // FORMAT_LOG_FILE_CUT says so).
      const above = vlfs.reduce((m, v) => (v.seq > h.seq && (m === 0 || v.seq < m) ? v.seq : m), 0);
      const upTo = formatLsn({ vlf: above || h.seq + 1, block: VLF_FIRST_BLOCK_ID, slot: 1 });
      problems.push({ code: 'FORMAT_BAD_VLF_HEADER', reason: `VLF of ${h.size} bytes is cut short by the end of the file (${size - off} bytes present)${lostRange}`, location: { file: path, offset: off, ...(from !== null ? { lsn: from } : {}) }, ...(from !== null ? { lsnRange: { first: from, last: upTo } } : {}) });
      vlfs.push({ ...h, size: size - off, index: vlfs.length, offset: off });
      break;
    }
    vlfs.push({ ...h, index: vlfs.length, offset: off });
    off += h.size;
  }
  // Cut short at a VLF boundary: the VLF chain ends cleanly, but the file header page (page 0,
  // variable column 4) still says how large SQL Server made the file.
  const headerPage = Buffer.alloc(8192);
  if ((await fh.read(headerPage, 0, 8192, 0)).bytesRead === 8192) {
    let sizePages: number | null = null;
    try {
      sizePages = parseFileHeaderPage(verifyPage(headerPage, { fileId: headerPage.readUInt16LE(36) || 2, pageId: 0 }).bytes).sizePages;
    } catch {
      // a damaged header page: the size stays unknown (the VLF walk still reports what it finds)
    }
    if (sizePages !== null && sizePages * 8192 > size) {
      const loss = cutLoss(vlfs.map((v) => v.seq));
      problems.push({
        code: 'FORMAT_LOG_FILE_CUT',
        reason: `the log file is cut short: its file header says ${sizePages * 8192} bytes, the file holds ${size}; ${cutVlf ? `${cutVlf}, and the VLFs after it are missing` : `the VLFs after offset ${size} are missing`}: ${loss.text}`,
        // the first LSN lost: the cut VLF's when it comes before the first sequence lost whole
        location: { file: path, offset: size, ...(cutFirst && (!loss.firstLsn || cutFirst.vlf < parseLsn(loss.firstLsn).vlf) ? { lsn: formatLsn(cutFirst) } : loss.firstLsn ? { lsn: loss.firstLsn } : {}) },
      });
    }
  }
  return { file: path, size, version: first.version, vlfs, problems };
}

/** The highest VLF sequence of an .ldf's layout (0 when it has none). */
function lastSeq(layout: LdfLayout): number {
  let m = 0;
  for (const v of layout.vlfs) if (v.seq > m) m = v.seq;
  return m;
}

/** The lowest VLF sequence above 0 of an .ldf's layout (0 when it has none): its oldest log (LogRange.vlfOldest). */
function firstSeq(layout: LdfLayout): number {
  let m = 0;
  for (const v of layout.vlfs) if (v.seq > 0 && (m === 0 || v.seq < m)) m = v.seq;
  return m;
}

/** Whether a VLF must hold log of its own (LogRange.vlfHoldsLog): used (sequence above 0) and below the file's highest sequence. */
function holdsLog(v: VlfInfo, last: number): boolean {
  return v.seq > 0 && v.seq < last;
}

/** Every record of an .ldf, VLF by VLF in file order; records from stale blocks carry source.stale. */
export async function* readLdfRecords(path: string, opts: LogScanOptions = {}, stats: LogScanStats = emptyLogScanStats()): AsyncGenerator<LogRecord> {
  const fh = await openInput(path);
  const sync = new SyncFileReader(fh.fd);
  try {
    const layout = await layoutOf(fh, path, opts.logFormat2IsSql2005 ?? false);
    for (const p of layout.problems) opts.onSkipped?.(p);
    const last = lastSeq(layout);
    const first = firstSeq(layout);
    for (const v of opts.vlfOrder === 'sequence' ? [...layout.vlfs].sort((a, b) => a.seq - b.seq || a.index - b.index) : layout.vlfs) {
      if (opts.signal?.aborted) return;
      yield* readLogRange(sync, { start: v.offset + VLF_FIRST_BLOCK_OFFSET, end: v.offset + v.size, kind: 'ldf', file: path, vlf: { seq: v.seq, parity: v.parity }, vlfStart: true, vlfHoldsLog: holdsLog(v, last), vlfOldest: v.seq === first, vlfNext: nextVlfOf(layout, v), vlfPrev: prevVlfOf(layout, v) }, opts, stats);
    }
  } finally {
    await fh.close();
  }
}

/** VLFs `from` up to (not including) `to`, by index in the layout's VLF list (file order). */
export interface VlfIndexRange {
  from: number;
  to: number;
}

/**
 * Every record of an .ldf as readLdfRecords yields them, one array per log block, built only
 * when `keep` accepts the record's op code and context (see readLogRangeBatches). With `vlfs`,
 * only those VLFs are read, and the layout's problems are reported only by the range starting
 * at VLF 0: reading consecutive ranges one after another gives what one read of the whole file
 * gives (the parallel reader hands the ranges of one large .ldf to several workers).
 */
export async function* readLdfRecordBatches(path: string, opts: LogScanOptions = {}, stats: LogScanStats = emptyLogScanStats(), keep?: RecordKeep, vlfs?: VlfIndexRange): AsyncGenerator<LogRecordBatch> {
  const fh = await openInput(path);
  const sync = new SyncFileReader(fh.fd);
  try {
    const layout = await layoutOf(fh, path, opts.logFormat2IsSql2005 ?? false);
    if (!vlfs || vlfs.from === 0) for (const p of layout.problems) opts.onSkipped?.(p);
    const chosen = vlfs ? layout.vlfs.slice(vlfs.from, vlfs.to) : layout.vlfs;
    const last = lastSeq(layout);
    const first = firstSeq(layout);
    for (const v of opts.vlfOrder === 'sequence' ? [...chosen].sort((a, b) => a.seq - b.seq || a.index - b.index) : chosen) {
      if (opts.signal?.aborted) return;
      yield* readLogRangeBatches(sync, { start: v.offset + VLF_FIRST_BLOCK_OFFSET, end: v.offset + v.size, kind: 'ldf', file: path, vlf: { seq: v.seq, parity: v.parity }, vlfStart: true, vlfHoldsLog: holdsLog(v, last), vlfOldest: v.seq === first, vlfNext: nextVlfOf(layout, v), vlfPrev: prevVlfOf(layout, v) }, opts, stats, keep);
    }
  } finally {
    await fh.close();
  }
}

/**
 * One run of stale log blocks of an .ldf (log of an earlier use of a reused VLF, whose blocks
 * were not yet overwritten): consecutive blocks in the file, of one earlier VLF sequence, in
 * ascending LSN. `start`/`end`: file offsets [start, end) of its blocks; `vlf`: the sequence and
 * parity of the VLF it lies in (its header's), by which its blocks read as stale; `first`: the
 * LSN position (VLF sequence, block number in 512-byte units) of its first block.
 */
export interface StaleLogRun {
  start: number;
  end: number;
  vlf: { seq: number; parity: number };
  first: { vlf: number; block: number };
}

/**
 * The runs of stale log blocks of an .ldf, in LSN order of their first blocks (by VLF sequence,
 * then block number). Found by one pass over every VLF at the block level (block headers and
 * sector bytes are checked; blocks are not copied, fixed up or checksummed, and their records are
 * not parsed): a block is stale when its first LSN's VLF
 * sequence or its parity differs from its VLF header's (as readLogRange tells them); stale blocks
 * alone are checksummed, in place. A bad or unwritten stretch, another earlier sequence or an LSN
 * going back ends a run. Nothing is reported: the reader of the whole file reports the bad blocks.
 * Throws as readLdfLayout.
 */
export async function ldfStaleRuns(path: string, opts: Pick<LogScanOptions, 'logFormat2IsSql2005' | 'signal' | 'chunkSize'> = {}): Promise<StaleLogRun[]> {
  const fh = await openInput(path);
  const sync = new SyncFileReader(fh.fd);
  const runs: StaleLogRun[] = [];
  try {
    const layout = await layoutOf(fh, path, opts.logFormat2IsSql2005 ?? false);
    const quiet: LogScanOptions = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}) };
    for (const v of layout.vlfs) {
      if (opts.signal?.aborted) break;
      const vlf = { seq: v.seq, parity: v.parity };
      let run: (StaleLogRun & { next: number }) | null = null;
      for await (const b of rangeBlocks(sync, { start: v.offset + VLF_FIRST_BLOCK_OFFSET, end: v.offset + v.size, kind: 'ldf', file: path, vlf }, quiet, emptyLogScanStats(), true)) {
        // a stale block failing its checksum is bad, as the whole read finds it: it ends the run
        if (!b.stale || blockChecksumProblem(b.ev.bytes, 0, b.ev.bytes.length) !== null) {
          run = null;
          continue;
        }
        const f = b.ev.header.firstLsn;
        const end = b.ev.offset + b.ev.bytes.length;
        if (run && b.ev.offset === run.end && f.vlf === run.first.vlf && f.block >= run.next) {
          run.end = end;
          run.next = f.block + b.ev.bytes.length / SECTOR;
        } else {
          run = { start: b.ev.offset, end, vlf, first: { vlf: f.vlf, block: f.block }, next: f.block + b.ev.bytes.length / SECTOR };
          runs.push(run);
        }
      }
    }
  } finally {
    await fh.close();
  }
  return runs
    .map(({ start, end, vlf, first }) => ({ start, end, vlf, first }))
    .sort((a, b) => a.first.vlf - b.first.vlf || a.first.block - b.first.block || a.start - b.start);
}

/**
 * The records of an .ldf's stale log blocks (`runs`, from ldfStaleRuns), one array per block,
 * run by run in the order given: placed by their own LSNs, not by the VLF they lie in (whose
 * header sequence is that of its later use). Records carry source.stale; only those `keep`
 * accepts are built. Holds one chunk and one block at a time. A record that cannot be parsed is
 * reported through `onSkipped` (the blocks themselves were read well by ldfStaleRuns).
 */
export async function* readLdfStaleBatches(path: string, runs: StaleLogRun[], opts: LogScanOptions = {}, stats: LogScanStats = emptyLogScanStats(), keep?: RecordKeep): AsyncGenerator<LogRecordBatch> {
  if (runs.length === 0) return;
  const fh = await openInput(path);
  const sync = new SyncFileReader(fh.fd);
  try {
    for (const r of runs) {
      if (opts.signal?.aborted) return;
      for await (const b of readLogRangeBatches(sync, { start: r.start, end: r.end, kind: 'ldf', file: path, vlf: r.vlf }, { ...opts, includeStale: true }, stats, keep)) yield b;
    }
  } finally {
    await fh.close();
  }
}
