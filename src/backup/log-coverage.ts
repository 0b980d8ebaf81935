/**
 * Does a backup's log stream hold all the log its header says it covers?
 *
 * A backup's HEADERONLY FirstLSN/LastLSN bound the log it carries. Measured on every backup of
 * the corpus (2008 R2 log/differential/full backups, 2012 pubs, 2019 FinancialCrm, 2025 Chinook):
 * - a log backup's stream starts at FirstLSN's (VLF, block) and its last block ends exactly at
 *   LastLSN's (VLF, block);
 * - a full or differential backup's stream ends at or past LastLSN (it also carries the log
 *   written while the data was copied), but need not start at FirstLSN: FinancialCrm (2019) and
 *   Chinook (2025) start 0x68 and 0x40 blocks later, while the 2008 R2 and 2012 ones start there.
 *   Only their end is checked. Block numbers count 512-byte units
 * from the VLF start, so "where a block ends" is its first LSN's block + its length / 512
 * (`LogScanStats.end`). A stream that starts later or ends sooner lost LSNs: a missing, cut,
 * zeroed or unreadable log stream. That is reported, never passed over.
 *
 * Positions in different VLFs are not block numbers on one scale: an LSN is VLF sequence :
 * block : slot, the block counted from its own VLF's start, and the first block of every VLF is
 * at 0x2000 / 512 = 0x10 (FORMAT-NOTES §3). When SQL Server closes VLF N (its next block would
 * not fit), the log goes on at (N + 1):0x10:1, so a stream whose last block is the last one of
 * VLF N ends *at* (N + 1):0x10 — whatever the size of VLF N, which a backup does not record.
 * Seen in the corpus: StDb2Sql.bak (2005) backup set 2 ends at 25:1f0, its header's LastLSN is
 * 26:10:1; SQL2008_db1_LOG_20170518_041831.trn holds VLF 0x142 up to block 0x1f0 and goes on at
 * 143:10:1. `reachesLogPosition` is that rule; every end-versus-target comparison here uses it.
 */
import { VLF_FIRST_BLOCK_ID } from '../logreader/ldf/constants.js';
import type { Lsn } from '../logreader/lsn.js';
import { formatLsn } from '../logreader/lsn.js';
import type { SkippedItem } from '../util/skipped-item.js';
import { blocksAfterDamage } from './mtf.js';

export { VLF_FIRST_BLOCK_ID };

export interface BackupLogBounds {
  file: string;
  backupType: 'full' | 'differential' | 'log';
  /** HEADERONLY FirstLSN / LastLSN, as the header reader returns them. */
  firstLsn: Lsn;
  lastLsn: Lsn;
}

/** A place in the log: VLF sequence number and block number (512-byte units from that VLF's start). */
export interface LogPosition {
  vlf: number;
  block: number;
}

const before = (a: LogPosition, b: LogPosition) => a.vlf < b.vlf || (a.vlf === b.vlf && a.block < b.block);

/**
 * Does log read up to `end` (the position the next block would start at, in `end.vlf`) hold
 * everything before `target`? Within one VLF: `end.block >= target.block`. Across VLFs, block
 * numbers do not compare: `end` in VLF N also reaches (N + 1):0x10, the first block of the next
 * VLF, because the log goes on there once VLF N is closed (module header); any later target —
 * a block past 0x10 of VLF N + 1, or VLF N + 2 on — lies beyond log that was not read. The size
 * of VLF N is unknown in a backup, so a stream that lost blocks at the very end of VLF N (zeroed
 * like the MQTL padding after them) cannot be told here from one that ends with the VLF; where
 * the stream goes on into VLF N + 1, the block reader tells it by the size the first block of N + 1
 * gives the block before it (reader.ts previousBlockSize); lost or bad blocks anywhere else are
 * reported by the block reader.
 */
export function reachesLogPosition(end: LogPosition, target: LogPosition): boolean {
  if (!before(end, target)) return true;
  return target.vlf === end.vlf + 1 && target.block <= VLF_FIRST_BLOCK_ID;
}

/**
 * Compare what was read of one backup's log stream with its header. `firstRead`: the first
 * record's LSN read from this file (null when none); `end`: where the highest block read ends.
 * Returns the skipped items describing each missing LSN range (FORMAT_LOG_STREAM_MISSING when
 * nothing was read, FORMAT_LOG_STREAM_SHORT for a missing start or end); an empty list when the
 * stream covers the header's range. Never throws.
 */
export function backupLogCoverage(b: BackupLogBounds, firstRead: Lsn | null, end: LogPosition | null): SkippedItem[] {
  const first = formatLsn(b.firstLsn);
  const last = formatLsn(b.lastLsn);
  if (!before(b.firstLsn, b.lastLsn)) return [];
  if (!firstRead || !end) {
    return [{ code: 'FORMAT_LOG_STREAM_MISSING', reason: `the backup's header covers LSNs ${first} to ${last}, but its log stream holds no readable log record: that whole range is lost`, location: { file: b.file, lsn: first }, lsnRange: { first, last } }];
  }
  const out: SkippedItem[] = [];
  // FirstLSN names a record the backup holds (a record of VLF N lies in VLF N), so a stream
  // starting in a later block — of the same VLF or a later one — lost the log in between.
  if (b.backupType === 'log' && before(b.firstLsn, firstRead)) {
    out.push({ code: 'FORMAT_LOG_STREAM_SHORT', reason: `the log stream starts at LSN ${formatLsn(firstRead)}, but the backup's header says it starts at ${first}: LSNs ${first} up to ${formatLsn(firstRead)} are lost`, location: { file: b.file, lsn: first }, lsnRange: { first, last: formatLsn(firstRead) } });
  }
  if (!reachesLogPosition(end, b.lastLsn)) {
    const stop = formatLsn({ ...end, slot: 1 });
    out.push({ code: 'FORMAT_LOG_STREAM_SHORT', reason: `the log stream ends at LSN ${stop}, but the backup's header says it runs to ${last}: LSNs ${stop} up to ${last} are lost`, location: { file: b.file, lsn: stop }, lsnRange: { first: stop, last } });
  }
  return out;
}

/** The parts of an MTF walk (mtf.ts readMtfLayout) the cut-stream rule looks at. */
export interface CutStreamLayout {
  sets: number;
  /** `set`: the 1-based backup set the stream belongs to (mtf.ts StreamHeader). */
  streams: ReadonlyArray<{ id: string; offset: number; set?: number; truncated?: boolean }>;
  problems: readonly SkippedItem[];
}

/**
 * The MTF walk's FORMAT_BAD_MTF item for backup set `position` of a file (default: its last set seen)
 * whose walk stopped at or after the start of that set's log stream (MQTL): the end of the file cuts
 * the stream short (mtf.ts marks it `truncated` and reports it at the stream's offset), or the damage or
 * cut lies in the blocks after it (a damaged MSTL block header right after a complete stream, a copy
 * cut at a block boundary there), or null. Such damage loses log only when what is read of the stream
 * falls short of the LSN range its header names: RestoreTimeClean_2.trn (82,432 bytes) holds all its
 * log in its first 20,000 (the rest is MQTL padding and the closing blocks). The item is held until
 * the stream has been read and then judged with {@link judgeCutLogStream}: the LSN coverage decides,
 * as for any cut stream (it said INCOMPLETE naming no LSN range, and the replay left the copy out as
 * damaged, for a flipped MSTL byte after a log stream read whole). In a file of several sets (BACKUP
 * … WITH NOINIT) only its last set seen can be so cut (the walk stops at the damage: the sets before
 * it were closed, their ESET read, before it), so null for any other `position`; the last set's cut
 * is judged as a one-set file's is (it was null for every set of such a file: `dump --bak ALL.bak
 * --position 1 --trn ALL.bak` of a copy cut in its last log set refused the stop the one-set cut
 * file reached, and scan and log said INCOMPLETE with no log lost). Whether further sets hide after
 * the damage is the readers' check (open.ts choosePosition), as for a one-set file. Null for damage
 * before the log stream and for damage in the closing blocks only (FORMAT_BAD_MTF_TRAILER, a note
 * already). A cut copy of a file that had further sets lost those sets as a missing file would:
 * they are in no file given, which the chain check says. `path`, when given: the file, read after the
 * damage; a block holding backup content there (a further set) keeps the damage a loss (null): scan and
 * log give it (they read no further); the replay does not, it reads the set and says what lies after
 * the damage in its refusal and notes (point-in-time.ts setsOf, choosePosition's check). Never throws.
 */
export function cutLogStream(layout: CutStreamLayout, position: number = Math.max(1, layout.sets), path?: string): SkippedItem | null {
  if (position !== Math.max(1, layout.sets)) return null;
  const log = layout.streams.find((s) => s.id === 'MQTL' && (layout.sets <= 1 || s.set === position));
  if (!log) return null;
  const cut = layout.problems.find((p) => p.code === 'FORMAT_BAD_MTF' && p.location.offset !== undefined && p.location.offset >= log.offset) ?? null;
  // More backup content after the damage (a further set's SSET, more of this set's blocks): the walk
  // stopped there, so what follows is not read; the damage stays a loss, not judged by this set's log
  // alone. (A 3-set log backup file with set 1's closing MSTL damaged printed set 1's records with
  // 'no log is lost' and exit 0 under --strict, sets 2 and 3 unread and unsaid.)
  if (cut && path !== undefined && contentAfter(path, cut.location.offset!)) return null;
  return cut;
}

/** Whether a well-formed block holding backup content follows MTF damage at `offset` of `path` (mtf.ts blocksAfterDamage); true when that cannot be read. */
function contentAfter(path: string, offset: number): boolean {
  try {
    return blocksAfterDamage(path, offset).content !== null;
  } catch {
    return true;
  }
}

/**
 * The verdict on a log stream cut short (`cut`: {@link cutLogStream}'s item) once it was read:
 * `lost` are {@link backupLogCoverage}'s items for that read (the header's range against what was
 * read). No loss in a log backup: `{ note }`, a note naming the file, the cut's offset and the
 * LSN range read (a scan, `log` and the replay word it alike); a loss, or a backup other than a log
 * backup (a full/differential backup's stream need not start at its FirstLSN, so its read does not
 * prove the range): `{ loss: cut }`, reported beside `lost`'s items, which name the LSN range lost.
 * `stoppedAt`: the replay stopped at this LSN inside the stream, before its end: only the LSNs up to
 * it are needed, and the note says so. Never throws.
 */
export function judgeCutLogStream(cut: SkippedItem, b: BackupLogBounds, lost: readonly SkippedItem[], stoppedAt?: string): { note: string; loss: null } | { note: null; loss: SkippedItem } {
  if (b.backupType !== 'log' || lost.length) return { note: null, loss: cut };
  const what = `${b.file}: ${cut.code}: ${cut.reason} (offset ${cut.location.offset})`;
  // a cut file (a stream cut short, a file ending before its closing blocks) or damage read past
  const at = /cut short|cut-short/.test(cut.reason) ? 'cut' : 'damage';
  if (stoppedAt !== undefined) return { note: `${what}; every LSN the replay needs from it (${formatLsn(b.firstLsn)} up to the stop point, ${stoppedAt}) was read before the ${at}: no log it replays is lost`, loss: null };
  return { note: `${what}; every LSN its header names (${formatLsn(b.firstLsn)} up to ${formatLsn(b.lastLsn)}) was read before the ${at}: no log is lost (its closing blocks are)`, loss: null };
}
