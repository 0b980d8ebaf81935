/**
 * The commit times a log backup's own log records give, for placing a point in time after a log
 * backup started where its headers cannot: its backup finish date unknown (its ESET damaged or
 * cut), or the time falling while it ran (restore/chain.ts placeByCommits).
 *
 * A point-in-time stop (RESTORE … WITH STOPAT, and rowback's replay, replay/point-in-time.ts
 * LogReplay.feed) reads the log in LSN order and stops at the first LOP_COMMIT_XACT whose End Time
 * is later than the target: commits at or before it are applied, the one after it and everything
 * after that are not. So, of the log backups of a chain walked in order, the stop point lies in the
 * first that holds a commit later than the target; a backup whose whole log was read and holds no
 * such commit cannot hold the stop point. Only commit times decide this (a begin time, LOP_BEGIN_XACT,
 * is not where the stop falls). Times are fn_dblog's End Time, the server's local time to the
 * millisecond (logreader/begin-time.ts), compared with the target as `YYYY-MM-DDTHH:MM:SS.fff`.
 */
import { readBackupHeader, type BackupHeader } from './header.js';
import { backupLogCoverage, cutLogStream, judgeCutLogStream } from './log-coverage.js';
import { openBackupLogStream } from './log-stream.js';
import { readMtfLayout, type MtfLayout } from './mtf.js';
import { parseBeginTime } from '../logreader/begin-time.js';
import { LOP_COMMIT_XACT } from '../logreader/log-record.js';
import { emptyLogScanStats, LOG_PAST_END_DAMAGED, type LogScanStats } from '../logreader/ldf/reader.js';
import { parseLsn } from '../logreader/lsn.js';
import type { SkippedItem } from '../util/skipped-item.js';

/** What a log backup's log says of its commits (see the module comment). */
export interface LogCommitTimes {
  /** The latest End Time of its LOP_COMMIT_XACT records (`YYYY-MM-DDTHH:MM:SS.fff`, local), null when it holds none. */
  last: string | null;
  /**
   * Every LSN its header names was read (backupLogCoverage found nothing lost; a stream cut short
   * after its last LSN counts as read: judgeCutLogStream), no block or record was skipped, and every
   * commit carried a readable End Time: then no commit of it is later than `last`. False otherwise:
   * `last` is still a commit it holds, so a target before it is still placed in it.
   */
  whole: boolean;
  /** Why it is not whole (the first item the read skipped or lost), for a refusal to name. */
  why?: string;
}

/**
 * Reads the log of backup set `position` of log backup `file` and returns its commit times.
 * Never throws: a file that cannot be read at all gives `{ last: null, whole: false, why }`.
 * Memory: constant (records are streamed); time: one read of the backup's log stream.
 */
export async function readLogCommitTimes(file: string, position = 1): Promise<LogCommitTimes> {
  const { records: _records, ...times } = await readLogCommitTimesCounted(file, position);
  return times;
}

/** readLogCommitTimes with the number of log records read (0 for a file that could not be read): of two damaged copies, the one that lost less reads more. */
async function readLogCommitTimesCounted(file: string, position: number): Promise<LogCommitTimes & { records: number }> {
  try {
    const layout = readMtfLayout(file);
    const h = readBackupHeader(file, layout, position);
    const skipped: SkippedItem[] = [];
    const stats = emptyLogScanStats();
    let last: string | null = null;
    let unreadable: string | undefined;
    for await (const r of openBackupLogStream(file, 'trn', layout, position).records({ onSkipped: (x) => skipped.push(x) }, stats)) {
      if (r.Operation !== LOP_COMMIT_XACT) continue;
      let t: string | null = null;
      try {
        t = r['End Time'] ? parseBeginTime(r['End Time'], 'End Time') : null;
      } catch {
        t = null;
      }
      if (t === null) unreadable ??= `the commit at LSN ${r['Current LSN']} has no readable End Time`;
      else if (last === null || t > last) last = t;
    }
    const first = streamLosses(file, layout, h, skipped, stats)[0];
    const why = first ? `${first.code}: ${first.reason}` : unreadable;
    return { last, whole: why === undefined, ...(why !== undefined ? { why } : {}), records: stats.records };
  } catch (e) {
    return { last: null, whole: false, why: (e as Error)?.message ?? String(e), records: 0 };
  }
}

/**
 * Of the log backup sets in `files` that are held by more than one file (copies: the same FirstLSN
 * and LastLSN), those whose log does not read whole (readLogCommitTimes: a damaged log block, a
 * record skipped, log lost before its LastLSN), keyed `${file}#${position}` → why. A damaged log
 * block inside a copy whose MTF structure is whole is found only by reading its log, and the chain
 * is chosen before the scan reads: without this, `scan --trn damaged-copy.trn whole.trn` read the
 * damaged copy (INCOMPLETE, 41 rows of 42) with the whole one given (log-chain.ts `flawed`).
 * Reads each copy's log stream once; a list without copies reads nothing. Never throws: a file
 * whose header cannot be read is left out (the scan refuses or reports it as before).
 * `recordsRead`, when given, is filled with how many log records each copy read (`${file}#${position}`):
 * of two damaged copies, the chain reads the one that read more (log-chain.ts `lessLost`).
 */
export async function damagedLogCopies(files: readonly string[], recordsRead?: Map<string, number>): Promise<Map<string, string>> {
  const sets: { file: string; position: number; range: string }[] = [];
  for (const file of new Set(files)) {
    try {
      const layout = readMtfLayout(file);
      for (let position = 1; position <= Math.max(1, layout.sets); position++) {
        const h = readBackupHeader(file, layout, position);
        if (h.backupType === 'log') sets.push({ file, position, range: `${h.firstLsn.decimal}-${h.lastLsn.decimal}` });
      }
    } catch {
      // left to the scan, which names what is wrong with the file
    }
  }
  const out = new Map<string, string>();
  for (const s of sets) {
    if (!sets.some((o) => o !== s && o.range === s.range)) continue;
    const read = await readLogCommitTimesCounted(s.file, s.position);
    if (!read.whole) out.set(`${s.file}#${s.position}`, read.why ?? 'its log does not read whole');
    recordsRead?.set(`${s.file}#${s.position}`, read.records);
  }
  return out;
}

/**
 * What a log backup's log loses, read block by block (no record built; memory bounded by one
 * block, as every log read): damaged or torn blocks, LSN gaps, records that do not parse, a stream
 * short of its header's LSN range, a cut stream that loses log, MTF damage that stops the walk before
 * its log. The items as a scan reports them (LOG_LOSS_CODES); empty for a backup whose log reads
 * whole. Bytes past the log's end that do not read as log (LOG_PAST_END_DAMAGED) lose nothing and
 * are left out. Never throws: a file that cannot be read gives one FORMAT_BAD_MTF item naming why.
 * For `restore plan`, which otherwise reads headers only (cli/commands/restore.ts).
 */
export async function logBackupLoss(file: string, position = 1, signal?: AbortSignal): Promise<SkippedItem[]> {
  try {
    const layout = readMtfLayout(file);
    const h = readBackupHeader(file, layout, position);
    const skipped: SkippedItem[] = [];
    const stats = emptyLogScanStats();
    for await (const _ of openBackupLogStream(file, 'trn', layout, position).batches({ onSkipped: (x) => skipped.push(x), ...(signal ? { signal } : {}) }, stats, () => false)) void _;
    if (signal?.aborted) return [];
    return streamLosses(file, layout, h, skipped, stats);
  } catch (e) {
    return [{ code: 'FORMAT_BAD_MTF', reason: `its log could not be read: ${(e as Error)?.message ?? String(e)}`, location: { file } }];
  }
}

/**
 * What one read of a log backup set's stream lost, in the order its first item is named: the items
 * the read skipped (bytes past the log's end that do not read as log, reader.ts
 * LOG_PAST_END_DAMAGED, lose no record and are left out), the header's LSN range against what was
 * read (backupLogCoverage), a stream cut short that loses log (judgeCutLogStream), MTF damage.
 * Shared by readLogCommitTimes and logBackupLoss (they wrote it each).
 */
function streamLosses(file: string, layout: MtfLayout, h: BackupHeader, skipped: readonly SkippedItem[], stats: LogScanStats): SkippedItem[] {
  const bounds = { file, backupType: h.backupType, firstLsn: parseLsn(h.firstLsn.lsn), lastLsn: parseLsn(h.lastLsn.lsn) };
  const lost = backupLogCoverage(bounds, stats.firstLsn, stats.end);
  // a stream cut short in the file's last set (its one, or the last of several) is judged by what was
  // read; MTF damage after this set's ESET is a later set's (its blocks were all read before it)
  const cut = cutLogStream(layout, h.position);
  const closedBefore = (p: SkippedItem) => layout.sets > 1 && p.location.offset !== undefined && layout.dblks.some((d) => d.type === 'ESET' && d.set === h.position && d.offset < p.location.offset!);
  const mtf = layout.problems.filter((p) => p !== cut && p.code === 'FORMAT_BAD_MTF' && !closedBefore(p));
  if (cut && judgeCutLogStream(cut, bounds, lost).loss) lost.push(cut);
  return [...skipped.filter((x) => x.code !== LOG_PAST_END_DAMAGED), ...lost, ...mtf];
}

/**
 * Where a RESTORE … WITH STOPAT = `time` stops inside log backup set `position` of `file`: the LSN
 * (fn_dblog text form `vvvvvvvv:bbbbbbbb:ssss`) of its first LOP_COMMIT_XACT, in LSN order, whose
 * End Time is later than `time` (`YYYY-MM-DDTHH:MM:SS.fff`, the server's local time): that commit
 * and every record after it are not applied, every record before it is (the module comment's rule,
 * STOPAT's). Records that do not read are skipped, so with log lost before the LSN returned the true
 * stop may lie inside the loss: the caller compares the loss with it (a loss that starts before
 * it is at or before the stop point). null when no readable commit is later than `time` (the stop is
 * past every record read), or the file cannot be read. Never throws. Memory: constant (records
 * streamed); time: one read of the backup's log stream, stopped at that commit.
 */
export async function stopAtLsn(file: string, position: number, time: string, signal?: AbortSignal): Promise<string | null> {
  try {
    const layout = readMtfLayout(file);
    for await (const r of openBackupLogStream(file, 'trn', layout, position).records({ onSkipped: () => {}, ...(signal ? { signal } : {}) })) {
      if (r.Operation !== LOP_COMMIT_XACT || !r['End Time']) continue;
      let t: string | null = null;
      try {
        t = parseBeginTime(r['End Time'], 'End Time');
      } catch {
        t = null;
      }
      if (t !== null && t > time) return r['Current LSN'];
    }
    return null;
  } catch {
    return null;
  }
}
