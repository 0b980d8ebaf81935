/**
 * The log inside a backup: every MQTL stream (one per VLF, after its MSTL DBLK) is a run of log
 * blocks starting at the 512-aligned start of the stream payload; the same block scanner and
 * record parser as for an .ldf read it, the LSN continuity check running from each VLF's stream
 * into the next (reader.ts LogRange.stream). A full or differential backup carries the log needed to
 * make it consistent; a log backup carries the whole backed-up log.
 */
import type { LogRecord } from '../logreader/log-record.js';
import { emptyLogScanStats, endLogStream, readLogRange, readLogRangeBatches, type LogRange, type LogScanOptions, type LogScanStats, type RecordKeep, type LogRecordBatch, type LogStreamCursor } from '../logreader/ldf/reader.js';
import { openBackupBytes } from './bytes.js';
import { readBackupHeader, refuseEncrypted } from './header.js';
import { parseLsn, type Lsn } from '../logreader/lsn.js';
import { requireWholeMediaSet } from './page-source.js';
import { headerCopiesProblem, payloadRange, readMtfLayout, streamsOfSet, type MtfLayout } from './mtf.js';

export interface BackupLogStream {
  file: string;
  ranges: LogRange[];
  /** Total bytes of log payload. */
  bytes: number;
  /**
   * Every record in LSN order, skipped items said through `opts.onSkipped` where they lie among
   * them; `keep` (reader.ts RecordKeep), asked as each record is reached, leaves out the records it
   * refuses without building them (checked and counted all the same).
   */
  records(opts?: LogScanOptions, stats?: LogScanStats, keep?: RecordKeep): AsyncGenerator<LogRecord>;
  /** The same records, one array per log block, built only when `keep` accepts them (reader.ts readLogRangeBatches). */
  batches(opts?: LogScanOptions, stats?: LogScanStats, keep?: RecordKeep): AsyncGenerator<LogRecordBatch>;
}

/**
 * The log stream of backup set `position` (RESTORE … WITH FILE = n, 1 by default) of a .bak/.trn,
 * compressed or not: its MQTL payload ranges (offsets in the MTF stream) and a reader of their
 * records. Throws FormatError FORMAT_NO_SUCH_BACKUP_SET for a position the file does not hold,
 * FORMAT_ENCRYPTED_BACKUP (naming the certificate thumbprint) for a TDE-encrypted database,
 * FORMAT_INCOMPLETE_MEDIA_SET for one stripe of a striped backup (its log may be spread over the
 * stripes) unless `opts.partialMediaSet` (inspect describes what the one file holds).
 */
export function openBackupLogStream(
  path: string,
  kind: 'trn' | 'bak' = /\.bak$/i.test(path) ? 'bak' : 'trn',
  layout: MtfLayout = readMtfLayout(path),
  position = 1,
  opts: { partialMediaSet?: boolean } = {},
): BackupLogStream {
  refuseEncrypted(path, layout, position);
  // the advice for a log: no command joins stripes for the log (only for pages, docs/offline-log.md)
  if (!opts.partialMediaSet) requireWholeMediaSet([{ path, layout }], { incompleteMediaSet: "rowback does not read a striped backup's log yet (it may be spread over the stripes); `rowback dump --bak a.bak b.bak …` reads its pages with every stripe" });
  // the header's LastLSN: damage after the stream reaches it loses none of the backup's log
  // (LogRange.endLsn); unknown where the header cannot be read (its read reports that)
  // unknown too where the set's two header copies disagree and neither is known right
  // (FORMAT_BAD_BACKUP_HEADER): a LastLSN damaged early made the lost last block 'past the end, no
  // record is lost'
  // and a log backup's FirstLSN: a damaged block before the stream's first readable block lost the
  // log from it (LogRange.startLsn), unknown in the same cases
  let endLsn: Lsn | undefined;
  let startLsn: Lsn | undefined;
  try {
    if (!headerCopiesProblem(layout, position)) {
      const h = readBackupHeader(path, layout, position);
      endLsn = parseLsn(h.lastLsn.lsn);
      // a log backup's FirstLSN is its first record's (log-coverage.ts); a full or differential
      // backup's log may start before it
      if (h.backupType === 'log') startLsn = parseLsn(h.firstLsn.lsn);
    }
  } catch {
    endLsn = undefined;
    startLsn = undefined;
  }
  const ranges: LogRange[] = streamsOfSet(layout, position)
    .filter((s) => s.id === 'MQTL' && s.length > 0)
    // a set of a file of several: each record's source names it (a row read from it named the file alone)
    .map((s) => ({ ...payloadRange(s), kind, file: path, ...(layout.sets > 1 ? { position } : {}), ...(endLsn ? { endLsn } : {}), ...(startLsn ? { startLsn } : {}) }));
  return {
    file: path,
    ranges,
    bytes: ranges.reduce((n, r) => n + (r.end - r.start), 0),
    async *records(opts: LogScanOptions = {}, stats: LogScanStats = emptyLogScanStats(), keep?: RecordKeep) {
      const src = openBackupBytes(path);
      const stream: LogStreamCursor = { next: null };
      try {
        for (const r of ranges) {
          if (opts.signal?.aborted) return;
          yield* readLogRange(src, { ...r, stream }, opts, stats, keep);
        }
        // damaged blocks after the stream's last readable block: said with the range they lost
        if (!opts.signal?.aborted) endLogStream(stream, opts, startLsn, endLsn);
      } finally {
        src.close();
      }
    },
    async *batches(opts: LogScanOptions = {}, stats: LogScanStats = emptyLogScanStats(), keep?: RecordKeep) {
      const src = openBackupBytes(path);
      const stream: LogStreamCursor = { next: null };
      try {
        for (const r of ranges) {
          if (opts.signal?.aborted) return;
          yield* readLogRangeBatches(src, { ...r, stream }, opts, stats, keep);
        }
        if (!opts.signal?.aborted) endLogStream(stream, opts, startLsn, endLsn);
      } finally {
        src.close();
      }
    },
  };
}
