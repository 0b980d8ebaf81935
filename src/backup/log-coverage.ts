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
 */
import type { Lsn } from '../logreader/lsn.js';
import { formatLsn } from '../logreader/lsn.js';
import type { SkippedItem } from '../recover/source.js';

export interface BackupLogBounds {
  file: string;
  backupType: 'full' | 'differential' | 'log';
  /** HEADERONLY FirstLSN / LastLSN, as the header reader returns them. */
  firstLsn: Lsn;
  lastLsn: Lsn;
}

const before = (a: { vlf: number; block: number }, b: { vlf: number; block: number }) => a.vlf < b.vlf || (a.vlf === b.vlf && a.block < b.block);

/**
 * Compare what was read of one backup's log stream with its header. `firstRead`: the first
 * record's LSN read from this file (null when none); `end`: where the highest block read ends.
 * Returns the skipped items describing each missing LSN range (FORMAT_LOG_STREAM_MISSING when
 * nothing was read, FORMAT_LOG_STREAM_SHORT for a missing start or end); an empty list when the
 * stream covers the header's range. Never throws.
 */
export function backupLogCoverage(b: BackupLogBounds, firstRead: Lsn | null, end: { vlf: number; block: number } | null): SkippedItem[] {
  const first = formatLsn(b.firstLsn);
  const last = formatLsn(b.lastLsn);
  if (!before(b.firstLsn, b.lastLsn)) return [];
  if (!firstRead || !end) {
    return [{ code: 'FORMAT_LOG_STREAM_MISSING', reason: `the backup's header covers LSNs ${first} to ${last}, but its log stream holds no readable log record: that whole range is lost`, location: { file: b.file, lsn: first } }];
  }
  const out: SkippedItem[] = [];
  if (b.backupType === 'log' && before(b.firstLsn, firstRead)) {
    out.push({ code: 'FORMAT_LOG_STREAM_SHORT', reason: `the log stream starts at LSN ${formatLsn(firstRead)}, but the backup's header says it starts at ${first}: LSNs ${first} up to ${formatLsn(firstRead)} are lost`, location: { file: b.file, lsn: first } });
  }
  if (before(end, b.lastLsn)) {
    const stop = formatLsn({ ...end, slot: 1 });
    out.push({ code: 'FORMAT_LOG_STREAM_SHORT', reason: `the log stream ends at LSN ${stop}, but the backup's header says it runs to ${last}: LSNs ${stop} up to ${last} are lost`, location: { file: b.file, lsn: stop } });
  }
  return out;
}
