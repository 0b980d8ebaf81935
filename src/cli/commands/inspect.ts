import { skippedLines } from '../skipped-lines.js';
import { identifierText, tableNameText } from '../../util/tsql.js';
import { assertRegularFile } from '../files.js';
import { relativePathAdvice, unreadableWhy } from '../../util/files.js';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { exitIncomplete, INCOMPLETE_EXIT_CODE } from '../strict.js';
import { choiceOption } from '../options.js';
import { createProgress } from '../progress.js';
import { catchInterrupts, letSignalsIn, sayInterrupted } from '../interrupt.js';
import { FormatError, InputError } from '../../errors.js';
import { cutAgainstFileHeader } from '../../datafile/file-header.js';
import { cutInsideFileHeader, cutInsideFileHeaderText, dataFileCutText } from '../../datafile/data-file-cut.js';
import { listBackupSets, readBackupHeader, type BackupHeader, type BackupSetSummary } from '../../backup/header.js';
import { openBackupLogStream } from '../../backup/log-stream.js';
import { backupStart, BACKUP_HEADER_WARNING, readMtfLayout, COMMON_HEADER_SIZE, MTF_TRAILER_DAMAGED, type MediaSet } from '../../backup/mtf.js';
import { backupLogCoverage } from '../../backup/log-coverage.js';
import { openBackupPageSource, openOneStripePageSource, requireWholeMediaSet } from '../../backup/page-source.js';
import { RowbackError } from '../../errors.js';
import { LDF_FIRST_VLF_OFFSET, LOG_FORMAT_SQL2000, VLF_FIRST_BLOCK_OFFSET, VLF_HEADER_MARKER } from '../../logreader/ldf/constants.js';
import { emptyLogScanStats, LOG_STARTS_MID_VLF, LOG_VLF_ENDS_EARLY, nextVlfOf, prevVlfOf, readLdfLayout, readLogRange, SyncFileReader, uncheckedBlocksNote, type LogScanOptions, type LogScanStats } from '../../logreader/ldf/reader.js';
import type { LogRecord } from '../../logreader/log-record.js';
import { formatLsn, parseLsn } from '../../logreader/lsn.js';
import type { SkippedItem } from '../../recover/source.js';
import { productForVersion, readBootPage } from '../../datafile/boot-page.js';
import { collationNameForId } from '../../reconstruct/collation-ids.js';
import { logTextHint } from '../../util/log-text-kind.js';
import type { DataFileDescription } from '../../datafile/describe.js';
import type { PageSource } from '../../datafile/page-source.js';
import { appendAll, maxOf, minOf } from '../../util/append-all.js';
import { parseBackupSetPosition } from '../../backup/set-position.js';
import { sayLine, sayLines } from '../stderr-lines.js';
import { oneLineText } from '../../util/echo.js';

/**
 * `rowback inspect FILE`: what the file is and its header facts.
 * - backup (.bak/.trn, MTF, starts with TAPE): RESTORE HEADERONLY + FILELISTONLY fields, the data
 *   pages it holds, and a summary of the log inside it;
 * - data file (.mdf/.ndf: page 0 is a file header page, page 9 a boot page): version, database
 *   name, tables with row counts (through src/datafile);
 * - log file (.ldf: file header page, VLF header 0xAB at 0x2000): VLFs, LSN range, record counts
 *   by operation.
 * Anything else is INPUT_UNKNOWN_FILE_KIND.
 */

export type FileKind = 'backup' | 'data-file' | 'log';

export interface LogSummary {
  bytes: number;
  blocks: number;
  /** Blocks carrying a log block checksum (checked when read); the rest cannot show damage inside their records. */
  checksummedBlocks: number;
  records: number;
  staleRecords: number;
  firstLsn: string | null;
  lastLsn: string | null;
  countsByOperation: Record<string, number>;
  skipped: SkippedItem[];
}

export interface VlfSummary {
  index: number;
  seq: number;
  offset: number;
  size: number;
  parity: number;
  /**
   * What the file shows: `unused` (no log block), `current` (highest sequence number: where the
   * log ends), `used` (holds blocks of its sequence). Whether a used VLF is still *active* depends
   * on the database's MinLSN, which the .ldf alone does not record.
   */
  status: 'unused' | 'used' | 'current';
  records: number;
  staleRecords: number;
  firstLsn: string | null;
  lastLsn: string | null;
}

export type InspectResult =
  | {
      file: string;
      kind: 'backup';
      header: BackupHeader;
      /** Every backup set in the file (RESTORE HEADERONLY lists one row per set), by position. */
      sets: BackupSetSummary[];
      /** The set described: its place in the file (--position, 1 by default); `header.position` is the number its SSET block gives itself. */
      shown: number;
      /** Media set fields (RESTORE LABELONLY); familyCount > 1 for a striped backup. */
      mediaSet: MediaSet | null;
      /** Set when the file's pages cannot be read on their own: one stripe of a media set (the log is still read), or a TDE-encrypted database (nor its log). */
      incomplete: { code: string; reason: string } | null;
      dataPages: BackupPages | null;
      /**
       * The tables inside a full backup's data pages, as a data file's `tables` (the same shape, so
       * `.tables[]` reads either); null when not listed: no data pages read (a log backup, a stripe
       * alone), a differential, or its metadata unreadable — `tablesNote` says which.
       */
      tables: DataFileDescription['tables'] | null;
      tablesNote: string | null;
      /** What reading the backup's metadata warned of, and the damage it met (counted in INCOMPLETE). */
      metadataWarnings: string[];
      metadataSkipped: SkippedItem[];
      /**
       * WARNINGs on the set's header (BACKUP_HEADER_WARNING: one copy damaged in a field no restore
       * reads, or in LSNs the log stream settled), `CODE: reason (offset n)`; the set is still used
       * by the other commands. Said on stderr (also with --quiet); inspect exits 3 for them, as for damage.
       */
      headerWarnings: string[];
      /**
       * The database's default collation (the boot page's dbi_collation, by name: `Turkish_CI_AS`), as
       * a data file's `collation`: what a CREATE TABLE script's char/varchar/text columns without
       * COLLATE take (`scan --ldf … --ddl … --collation NAME`). With no boot page read (a log backup,
       * a stripe without it), the set header's (`header.collation`: SCIN @216, its TDS form; a `_90`
       * or `_100` name may be its `_SC` form, `header.collation.known.variantUnknown`). Null when
       * neither names one rowback knows (`dataPages.bootPage.collationId`, `header.collation.tds`).
       */
      collation: string | null;
      /** One stripe of several (data pages not read): the boot page when this stripe holds it, for `collation`; else null. */
      stripeBootPage: BackupPages['bootPage'];
      log: LogSummary;
    }
  | DataFileDescription
  | { file: string; kind: 'log'; logFormatVersion: number; size: number; /** Page 0's binding id (null when unreadable): the data file and backups of its database carry the same. */ bindingId: string | null; vlfs: VlfSummary[]; log: LogSummary | null; unsupported?: { code: string; reason: string } };

/** The user tables of a backup's data pages (inspect): `list` null when not read, with `note` saying why. */
export interface BackupTables {
  list: DataFileDescription['tables'] | null;
  note?: string;
  warnings: string[];
  /** Damage met reading the metadata (a page that failed its check, a missing system page). */
  skipped: SkippedItem[];
}

export interface BackupPages {
  pages: number;
  /** Page images not placed (never-formatted or stale slots of allocated extents). */
  unplacedPages: number;
  /** Page ids held more than once (an online backup's second copy); the later copy is read. */
  duplicatePages: number;
  fileIds: number[];
  /** From the boot page (1:9) inside the backup: the version the data pages are in. */
  bootPage: { version: number; product: string; databaseName: string; /** dbi_collation by name (collation-ids.ts), null when the id has none known. */ collation: string | null; /** dbi_collation as stored (COLLATIONPROPERTY(name, 'CollationID')). */ collationId: number } | null;
}

export interface InspectOptions {
  onProgress?: LogScanOptions['onProgress'];
  /** Backup set to describe in a file holding several (RESTORE … WITH FILE = n); 1 by default. */
  position?: number;
  /** Aborted (Ctrl-C): the log reading stops where it is; the result is then partial and must not be printed. */
  signal?: AbortSignal;
}

/** Detects the kind from the bytes, never the extension. */
export function detectFileKind(path: string): FileKind {
  assertRegularFile('', path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `cannot open ${path}: ${unreadableWhy(e)}`, { file: path });
  }
  try {
    const head = Buffer.alloc(COMMON_HEADER_SIZE);
    const n = readSync(fd, head, 0, head.length, 0);
    // a TAPE block with damaged type bytes is a backup too: reading it says what is damaged (FORMAT_BAD_MTF)
    if (backupStart(head.subarray(0, n))) return 'backup';
    // Page 0 of a data or log file: header version 1, page type 15 (file header page).
    if (n >= 2 && head[0] === 1 && head[1] === 15) {
      const vlf = Buffer.alloc(1);
      if (readSync(fd, vlf, 0, 1, LDF_FIRST_VLF_OFFSET) === 1 && vlf[0] === VLF_HEADER_MARKER) return 'log';
      const boot = Buffer.alloc(2);
      if (readSync(fd, boot, 0, 2, 9 * 8192) === 2 && boot[0] === 1 && boot[1] === 13) return 'data-file';
      // Cut before either mark (an .ldf cut to its header page, an .mdf before its boot page): said
      // as cut, with the size its file header page states (it said INPUT_UNKNOWN_FILE_KIND).
      const cut = cutAgainstFileHeader(path);
      if (cut) throw new FormatError('FORMAT_FILE_CUT', dataFileCutText(cut, { as: 'kind-unknown', subject: path }), { file: path, offset: cut.heldBytes });
      // cut inside page 0 itself: no size to compare (it said "is not a … data file … or log file")
      const size = fstatSync(fd).size;
      if (size < 8192) {
        const whole = Buffer.alloc(size);
        if (cutInsideFileHeader(whole.subarray(0, readSync(fd, whole, 0, size, 0)))) throw new FormatError('FORMAT_FILE_CUT', cutInsideFileHeaderText(path, size), { file: path, offset: size });
      }
    }
  } finally {
    closeSync(fd);
  }
  // log records as text (an export, a saved fn_dblog grid): named, with where they are read
  throw new InputError('INPUT_UNKNOWN_FILE_KIND', `${path} is not a SQL Server backup (TAPE), data file (file header + boot page) or log file (file header + VLF 0xAB)${logTextHint(path)}`, { file: path });
}

/**
 * What `path` is (detectFileKind, from its bytes) and its header facts, its log summarised. With
 * `opts.signal` aborted the log reading stops where it is and the result is partial: the caller
 * must not print it as the file's description.
 */
export async function inspectFile(path: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const kind = detectFileKind(path);
  if (kind === 'backup') return inspectBackup(path, opts);
  // a backup set number given for a file holding none was ignored unsaid
  if (opts.position !== undefined) throw new InputError('INPUT_BAD_OPTION', `--position picks a backup set, and ${path} is a ${kind === 'log' ? 'transaction log file' : 'data file'}, which holds none: leave --position out`, { file: path });
  if (kind === 'log') return inspectLog(path, opts);
  return inspectDataFile(path);
}

function summarize(stats: LogScanStats, counts: Record<string, number>, skipped: SkippedItem[]): LogSummary {
  return {
    bytes: stats.bytes,
    blocks: stats.blocks,
    checksummedBlocks: stats.checksummedBlocks,
    records: stats.records,
    staleRecords: stats.staleRecords,
    firstLsn: stats.firstLsn ? formatLsn(stats.firstLsn) : null,
    lastLsn: stats.lastLsn ? formatLsn(stats.lastLsn) : null,
    // ties by name, code unit order (localeCompare's first call loads ICU's collation: 7–30 ms of a
    // 250 ms inspect; the names are ASCII LOP_ codes)
    countsByOperation: Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
    skipped,
  };
}

function count(counts: Record<string, number>, r: LogRecord): void {
  counts[r.Operation] = (counts[r.Operation] ?? 0) + 1;
}

/** Why a backup's data pages were not read, by the code of `incomplete` (the data pages line). The TDE case read "incomplete media set". */
const NOT_READ_BECAUSE: Record<string, string> = {
  FORMAT_INCOMPLETE_MEDIA_SET: 'incomplete media set',
  FORMAT_ENCRYPTED_BACKUP: 'encrypted database',
  FORMAT_BAD_COMPRESSED_DATA: 'a damaged compressed chunk',
};

async function inspectBackup(path: string, opts: InspectOptions): Promise<InspectResult> {
  const layout = readMtfLayout(path);
  const position = opts.position ?? 1;
  const header = readBackupHeader(path, layout, position);
  const sets = listBackupSets(path, layout);
  let incomplete: { code: string; reason: string } | null = null;
  try {
    // inspect takes one file: the advice names the command that reads every stripe
    requireWholeMediaSet([{ path, layout }], { incompleteMediaSet: 'inspect describes this one file, its log summarised and its pages not read (`rowback dump --bak a.bak b.bak …` reads every stripe)' });
  } catch (e) {
    if (!(e instanceof RowbackError)) throw e;
    incomplete = { code: e.code, reason: e.message };
  }
  if (header.encryption) {
    incomplete = { code: 'FORMAT_ENCRYPTED_BACKUP', reason: `the database is encrypted (TDE): its pages and log need the certificate with thumbprint ${header.encryption.certificateThumbprint}; rowback does not decrypt` };
  }
  let dataPages: BackupPages | null = null;
  let tables: BackupTables | null = null;
  let p: ReturnType<typeof openBackupPageSource> | undefined;
  if (!incomplete && layout.streams.some((s) => s.id === 'MQDA' && s.length > 0 && s.set === position)) {
    try {
      p = openBackupPageSource(path, layout, position);
    } catch (e) {
      // A compressed chunk of the data stream fails its check value (or does not decompress): the
      // pages are indexed from the whole stream, so none is; the header, the files and the log are
      // still described, the damage named (exit 3), as for one stripe of several. It refused
      // inspect whole (exit 2, nothing printed), though the header and the log are readable.
      if (!(e instanceof FormatError) || e.code !== 'FORMAT_BAD_COMPRESSED_DATA') throw e;
      incomplete = { code: e.code, reason: `${e.message} (file offset ${e.location.offset ?? 'unknown'}, in the backup's data stream): its data pages are not indexed, so none is read and no table is listed; dump refuses this copy: read another copy of the backup` };
    }
  }
  if (p) {
    try {
      let bootPage: BackupPages['bootPage'] = null;
      if (p.readPage(1, 9)) {
        const b = readBootPage(p);
        bootPage = { version: b.version, product: b.product, databaseName: b.databaseName, collation: collationNameForId(b.collationId), collationId: b.collationId };
      }
      dataPages = { pages: p.stats.pages, unplacedPages: p.stats.unplacedPages, duplicatePages: p.stats.duplicatePages, fileIds: p.fileIds(), bootPage };
      tables = await backupTables(p, header.backupType);
    } finally {
      p.close();
    }
  }
  // One stripe of several: its pages are not read (a stripe holds part of the extents), but the
  // boot page, when this stripe holds it, still says the database's default collation (the same in
  // every copy: openOneStripePageSource); Chinook.bak (stripe 1 of 2) printed none
  let stripeBootPage: BackupPages['bootPage'] = null;
  if (!dataPages && incomplete?.code === 'FORMAT_INCOMPLETE_MEDIA_SET' && layout.streams.some((s) => s.id === 'MQDA' && s.length > 0 && s.set === position)) {
    let one: ReturnType<typeof openOneStripePageSource> | undefined;
    try {
      one = openOneStripePageSource(path, layout, position);
      if (one.readPage(1, 9)) {
        const b = readBootPage(one);
        stripeBootPage = { version: b.version, product: b.product, databaseName: b.databaseName, collation: collationNameForId(b.collationId), collationId: b.collationId };
      }
    } catch (e) {
      if (!(e instanceof RowbackError)) throw e; // a damaged or absent boot page: no collation said
    } finally {
      one?.close();
    }
  }
  const stats = emptyLogScanStats();
  const counts: Record<string, number> = {};
  const skipped: SkippedItem[] = layout.problems.filter((p) => p.code !== BACKUP_HEADER_WARNING);
  const headerWarnings = layout.problems.filter((p) => p.code === BACKUP_HEADER_WARNING).map((p) => `${p.code}: ${p.reason} (offset ${p.location.offset})`);
  const kind = header.backupType === 'log' ? 'trn' : 'bak';
  if (!header.encryption) {
    for await (const r of openBackupLogStream(path, kind, layout, position, { partialMediaSet: true }).records({ onSkipped: (s) => skipped.push(s), onProgress: opts.onProgress, signal: opts.signal }, stats)) count(counts, r);
    // The header's LSN range against the log read (as scan, log and restore plan check it): a stream
    // short of its header (log lost, or a damaged LSN in both header copies alike: where the copies
    // differ, the one the stream agrees with is read, config-stream.ts) printed the header's
    // LSNs and exit 0. Not for a file whose walk stopped at damage (said already: the cut stream is
    // judged by the readers) nor for one stripe of several (its log may be in the others).
    const walkStopped = layout.problems.some((p) => p.code === 'FORMAT_BAD_MTF' || p.code === MTF_TRAILER_DAMAGED);
    if (!opts.signal?.aborted && !walkStopped && (layout.mediaSet?.familyCount ?? 1) <= 1) {
      appendAll(skipped, backupLogCoverage({ file: path, backupType: header.backupType, firstLsn: parseLsn(header.firstLsn.lsn), lastLsn: parseLsn(header.lastLsn.lsn) }, stats.firstLsn, stats.end));
    }
  }
  return {
    file: path, kind: 'backup', header, sets, shown: position, mediaSet: layout.mediaSet, incomplete, dataPages,
    tables: tables?.list ?? null, tablesNote: tables ? tables.note ?? null : incomplete?.code === 'FORMAT_BAD_COMPRESSED_DATA' ? 'not listed: a compressed chunk of the data pages is damaged (above)' : 'not listed: the backup set holds no data pages read here (a log backup, one stripe of several, or an encrypted database)',
    metadataWarnings: tables?.warnings ?? [], metadataSkipped: tables?.skipped ?? [],
    headerWarnings,
    collation: (dataPages?.bootPage ?? stripeBootPage) ? (dataPages?.bootPage ?? stripeBootPage)!.collation : header.collation?.known && !header.collation.known.utf8Unknown ? header.collation.known.name : null,
    stripeBootPage,
    log: summarize(stats, counts, skipped),
  };
}

/**
 * The user tables a full backup's data pages hold, as `inspect` lists a data file's (the metadata's
 * row counts, read from the system tables inside the backup: the table as of the backup's end, not
 * counted from its pages). A differential backup holds only the extents changed since its full, so
 * its system tables may be partial: not listed, and `note` says how to see them. A metadata read
 * that fails (a damaged boot or catalog page) is a skipped item, never a throw: the header and log
 * facts are still printed.
 */
async function backupTables(pages: PageSource, backupType: BackupHeader['backupType']): Promise<BackupTables> {
  if (backupType !== 'full') {
    return { list: null, note: 'not listed: a differential backup holds only the extents changed since its full backup (`rowback dump --bak FULL DIFF --all` reads them together)', warnings: [], skipped: [] };
  }
  const [{ readDataFileMetadata }, { PageReader }, { tableSummaries }] = await Promise.all([
    import('../../datafile/metadata.js'), import('../../datafile/page-reader.js'), import('../../datafile/describe.js')]);
  try {
    const md = readDataFileMetadata(pages, new PageReader(pages));
    return { list: tableSummaries(md), warnings: md.warnings, skipped: md.skipped };
  } catch (e) {
    if (!(e instanceof RowbackError)) throw e;
    return { list: null, note: 'not listed: the metadata inside the backup could not be read', warnings: [], skipped: [{ code: e.code, reason: e.message, location: { ...e.location } }] };
  }
}

async function inspectLog(path: string, opts: InspectOptions): Promise<InspectResult> {
  const layout = await readLdfLayout(path, { allowUnsupportedVersion: true });
  if (layout.version === LOG_FORMAT_SQL2000) {
    // The VLF chain is the same; the records use the SQL 2000 header, which rowback does not decode.
    const vlfs: VlfSummary[] = layout.vlfs.map((v) => ({ index: v.index, seq: v.seq, offset: v.offset, size: v.size, parity: v.parity, status: 'used', records: 0, staleRecords: 0, firstLsn: null, lastLsn: null }));
    return {
      file: path, kind: 'log', logFormatVersion: layout.version, size: layout.size, bindingId: await logBindingId(path), vlfs, log: null,
      unsupported: { code: 'FORMAT_UNSUPPORTED_LOG_VERSION', reason: 'log format version 2 (SQL Server 2000, or 2005): VLFs listed, records not decoded here; a SQL Server 2005 log is read by `scan` when its data file (dbi_version 611) is given with --mdf/--bak' },
    };
  }
  const skipped: SkippedItem[] = [...layout.problems];
  const total = emptyLogScanStats();
  const counts: Record<string, number> = {};
  const vlfs: VlfSummary[] = [];
  const maxSeq = maxOf(layout.vlfs.map((v) => v.seq), 0);
  const minSeq = minOf(layout.vlfs.filter((v) => v.seq > 0).map((v) => v.seq));
  const fh = await open(path, 'r');
  // positioned synchronous reads (reader.ts SyncFileReader): a read through the thread pool per
  // block left the process idle more than it worked on a small log
  const sync = new SyncFileReader(fh.fd);
  try {
    for (const v of layout.vlfs) {
      if (opts.signal?.aborted) break;
      const s = emptyLogScanStats();
      const range = { start: v.offset + VLF_FIRST_BLOCK_OFFSET, end: v.offset + v.size, kind: 'ldf' as const, file: path, vlf: { seq: v.seq, parity: v.parity }, vlfStart: true, vlfHoldsLog: v.seq > 0 && v.seq < maxSeq, vlfOldest: v.seq === minSeq, vlfNext: nextVlfOf(layout, v), vlfPrev: prevVlfOf(layout, v) };
      const progress = opts.onProgress ? (p: { bytes: number; records: number }) => opts.onProgress!({ bytes: total.bytes + p.bytes, records: total.records + p.records }) : undefined;
      for await (const r of readLogRange(sync, range, { onSkipped: (x) => skipped.push(x), onProgress: progress, signal: opts.signal }, s)) count(counts, r);
      vlfs.push({
        index: v.index, seq: v.seq, offset: v.offset, size: v.size, parity: v.parity,
        status: s.blocks === 0 ? 'unused' : v.seq === maxSeq ? 'current' : 'used',
        records: s.records, staleRecords: s.staleRecords,
        firstLsn: s.firstLsn ? formatLsn(s.firstLsn) : null, lastLsn: s.lastLsn ? formatLsn(s.lastLsn) : null,
      });
      total.bytes += s.bytes;
      total.blocks += s.blocks;
      total.checksummedBlocks += s.checksummedBlocks;
      total.records += s.records;
      total.staleRecords += s.staleRecords;
      if (s.firstLsn && (!total.firstLsn || cmp(s.firstLsn, total.firstLsn) < 0)) total.firstLsn = s.firstLsn;
      if (s.lastLsn && (!total.lastLsn || cmp(s.lastLsn, total.lastLsn) > 0)) total.lastLsn = s.lastLsn;
    }
  } finally {
    await fh.close();
  }
  return { file: path, kind: 'log', logFormatVersion: layout.version, size: layout.size, bindingId: await logBindingId(path), vlfs, log: summarize(total, counts, skipped) };
}

/** A log file's page-0 binding id, as the check of files given together reads it (null when unreadable). */
async function logBindingId(path: string): Promise<string | null> {
  const { readSourceIdentity } = await import('../../recover/source-identity.js');
  return (await readSourceIdentity(path, 'ldf')).bindingId;
}

function cmp(a: { vlf: number; block: number; slot: number }, b: { vlf: number; block: number; slot: number }): number {
  return a.vlf - b.vlf || a.block - b.block || a.slot - b.slot;
}

async function inspectDataFile(path: string): Promise<InspectResult> {
  // Loaded on demand: inspecting a backup or a log does not need the data-file reader.
  const { describeDataFile } = await import('../../datafile/describe.js');
  return describeDataFile(path);
}

// ---------------------------------------------------------------------------------------------

/**
 * inspect's text form on stdout: the file's path, then a `field  value` line each, the tables, the
 * log's summary and what was skipped; every line one line (oneLineText: a name's line break as
 * `\u{a}`), its values as JSON's are only in `--format json`. Pure.
 */
export function renderText(r: InspectResult): string {
  const out: string[] = [];
  const kv = (k: string, v: unknown) => out.push(`${k.padEnd(24)} ${v === null || v === undefined ? '-' : String(v)}`);
  // a header's or boot page's date is the SQL Server's local time with no zone (RESTORE HEADERONLY
  // shows it so); said beside it, as dump and restore plan say theirs: bare, it read as UTC
  const local = (t: string | null | undefined) => (t ? `${t} (SQL Server local time)` : t);
  out.push(`${r.file}`);
  if (r.kind === 'backup') {
    const h = r.header;
    kv('kind', `backup (${h.backupType}, HEADERONLY BackupType ${h.backupTypeCode})${h.compressed ? ', compressed (MSSQLBAK)' : ''}`);
    if (r.mediaSet) kv('media set', `${r.mediaSet.mediaSetGuid}, family ${r.mediaSet.familySequence} of ${r.mediaSet.familyCount}`);
    if (r.incomplete) out.push(`${r.incomplete.code}: ${r.incomplete.reason}`);
    if (h.backupSets > 1) {
      // the set's place in the file, as --position and FILE = n name it; its SSET's own number beside it when they differ
      const own = h.position !== r.shown ? ` (its SSET block numbers it ${h.position}: RESTORE … WITH FILE = ${r.shown} may not name it, and restore plan leaves it out)` : '';
      kv('backup sets', `${h.backupSets} in this file; set ${r.shown} shown${own} (choose with --position N); start and finish below in the SQL Server's local time${r.sets.some((x) => x.utcOffset) ? ', with its offset from UTC at the start as each set\'s header gives it' : ''}`);
      const offsets = r.sets.some((x) => x.utcOffset);
      out.push(`  pos  type          start                finish               first LSN                 last LSN${offsets ? '                  start\'s UTC offset' : ''}`);
      for (const x of r.sets) {
        if (x.error) out.push(`  ${String(x.position).padEnd(4)} ${x.error}`);
        else out.push(`  ${String(x.position).padEnd(4)} ${x.backupType!.padEnd(13)} ${(x.backupStartDate ?? '-').padEnd(20)} ${(x.backupFinishDate ?? '-').padEnd(20)} ${x.firstLsn!.decimal.padEnd(25)} ${offsets ? `${x.lastLsn!.decimal.padEnd(25)} ${x.utcOffset ? `UTC${x.utcOffset}` : '-'}` : x.lastLsn!.decimal}`);
      }
    }
    kv('database', h.databaseName);
    // what the check of files given together compares (INPUT_MIXED_DATABASES), shown so a user can see which files belong together
    kv('binding id', h.bindingId);
    kv('family GUID', h.familyGuid);
    kv('server', h.serverName);
    kv('user', h.userName);
    kv('database version', `${h.databaseVersion} (${productForVersion(h.databaseVersion)})`);
    kv('SQL Server version', h.softwareVersion);
    kv('first LSN', `${h.firstLsn.decimal} (${h.firstLsn.lsn})`);
    kv('last LSN', `${h.lastLsn.decimal} (${h.lastLsn.lsn})`);
    kv('checkpoint LSN', `${h.checkpointLsn.decimal} (${h.checkpointLsn.lsn})`);
    kv('database backup LSN', h.databaseBackupLsn ? `${h.databaseBackupLsn.decimal} (${h.databaseBackupLsn.lsn})` : null);
    kv('differential base LSN', h.differentialBaseLsn ? `${h.differentialBaseLsn.decimal} (${h.differentialBaseLsn.lsn})` : null);
    kv('differential base GUID', h.differentialBaseGuid);
    kv('backup set GUID', h.backupSetGuid);
    kv('base full backup GUID', h.baseBackupSetGuid);
    kv('database created', local(h.databaseCreationDate));
    // the set header's own offset from UTC at its start (SSET Time Zone, header.ts), and the start
    // in UTC with it; not the finish's nor the creation's (a daylight-saving change may lie between)
    kv('backup start', h.backupStartDate && h.utcOffset && h.backupStartDateUtc ? `${h.backupStartDate} (SQL Server local time, UTC${h.utcOffset} by the backup header: ${h.backupStartDateUtc})` : local(h.backupStartDate));
    kv('backup finish', local(h.backupFinishDate));
    kv('backup size', h.compressed ? `${h.backupSize} (${h.compressedBackupSize} compressed)` : h.backupSize);
    out.push('files:');
    for (const f of h.files) out.push(`  ${f.type} ${String(f.fileId).padStart(3)} ${f.logicalName.padEnd(24)} ${f.physicalName}${f.fileGroupName ? ` [${f.fileGroupName}]` : ''}`);
    kv('data pages', r.dataPages ? `${r.dataPages.pages} (files ${r.dataPages.fileIds.join(', ')})${r.dataPages.duplicatePages ? `, ${r.dataPages.duplicatePages} held twice (later copy read)` : ''}${r.dataPages.unplacedPages ? `, ${r.dataPages.unplacedPages} unformatted slot(s) ignored` : ''}` : r.incomplete ? `not read (${NOT_READ_BECAUSE[r.incomplete.code] ?? r.incomplete.code})` : 'none');
    if (r.dataPages?.bootPage) kv('boot page version', `${r.dataPages.bootPage.version} (${r.dataPages.bootPage.product})`);
    // the database's default collation, as a data file's inspect prints it: what a script's columns
    // without COLLATE take, for a scan of a log alone with --ddl (--collation); it was not printed
    kv('collation', backupCollationText(r));
    if (r.tables) {
      out.push('tables (rows):');
      renderTables(r.tables, out);
    } else if (r.header.backupType !== 'log' && r.tablesNote) kv('tables', r.tablesNote);
    for (const w of r.metadataWarnings) out.push(`warning: ${w}`);
    for (const w of r.headerWarnings) out.push(`WARNING: ${w}`);
    appendAll(out, inspectSkippedLines(r.metadataSkipped));
    renderLog(r.log, out, kv);
  } else if (r.kind === 'log') {
    kv('kind', `log file (log format version ${r.logFormatVersion})`);
    kv('binding id', r.bindingId);
    kv('size', r.size);
    // seq in hex, as the LSNs beside it and every message name a VLF (it printed 37 beside 00000025:…)
    out.push('VLFs:');
    out.push('  #    seq        offset        size  parity  status   records  first LSN               last LSN');
    for (const v of r.vlfs) {
      if (r.unsupported) {
        out.push(`  ${String(v.index).padEnd(4)} ${('0x' + v.seq.toString(16)).padEnd(8)} ${('0x' + v.offset.toString(16)).padStart(12)} ${String(v.size).padStart(10)}  0x${v.parity.toString(16)}`);
        continue;
      }
      out.push(`  ${String(v.index).padEnd(4)} ${('0x' + v.seq.toString(16)).padEnd(8)} ${('0x' + v.offset.toString(16)).padStart(12)} ${String(v.size).padStart(10)}  0x${v.parity.toString(16)}    ${v.status.padEnd(8)} ${String(v.records).padStart(7)}  ${(v.firstLsn ?? '-').padEnd(22)}  ${v.lastLsn ?? '-'}`);
    }
    if (r.log) renderLog(r.log, out, kv);
    if (r.unsupported) out.push(`${r.unsupported.code}: ${r.unsupported.reason}`);
  } else {
    kv('kind', `data file (file id ${r.fileId}, ${r.pages} pages${r.statedPages !== null && r.statedPages > r.pages ? ` of the ${r.statedPages} its file header page gives: cut short` : ''})`);
    kv('database', r.name);
    kv('binding id', r.bindingId);
    // the version it was created in named as the one it is in (it printed 'created as 539' alone)
    kv('version', `${r.version} (${r.product}), created as ${r.createVersion} (${r.createProduct})`);
    kv('compatibility level', r.compatibilityLevel);
    kv('created', local(r.created));
    // an id with no known name printed '-' alone, as if the data file held none
    kv('collation', r.collation ?? unnamedCollationText(r.collationId, r.name));
    kv('checkpoint LSN', r.checkpointLsn);
    out.push('tables (rows):');
    renderTables(r.tables, out);
    for (const w of r.warnings) out.push(`warning: ${w}`);
    appendAll(out, inspectSkippedLines(r.skipped));
  }
  // each line one line (util/echo.ts oneLineText): the file's path, a database, server or table name
  // holding a line break printed a line of its own, one that reads as a field (a file named
  // `x<LF>kind  backup (log, …)` put a `kind` line saying log before the real one, a full backup's)
  return out.map((l) => oneLineText(l)).join('\n') + '\n';
}

/** inspect's `collation` line for a boot page's dbi_collation `id` with no known name (collation-ids.ts), of database `name`. */
function unnamedCollationText(id: number, name: string): string {
  return `- (collation id ${id}: a name rowback does not know; SELECT DATABASEPROPERTYEX(N'${name.replace(/'/g, "''")}', 'Collation') on a server that has the database gives it)`;
}

/** inspect's `collation` line of a backup: the boot page's default collation, or why it is not known. */
function backupCollationText(r: Extract<InspectResult, { kind: 'backup' }>): string {
  const b = r.dataPages?.bootPage ?? r.stripeBootPage;
  if (b) return b.collation ?? unnamedCollationText(b.collationId, b.databaseName);
  // no boot page: the set header's (SCIN @216, TDS form), which equals it wherever the corpus holds both
  const h = r.header.collation;
  if (h?.known?.utf8Unknown) return `${h.known.name}, or its _UTF8 form (varchar in UTF-8, code page 65001), from the backup header (a SQL Server 2019+ header is not known to tell them apart${r.header.backupType === 'log' ? '; a log backup holds no boot page: inspect the full backup or the data file of the database' : ''})`;
  if (h?.known) return `${h.known.name}${h.known.variantUnknown ? ` (or ${h.known.name}_SC${/^Japanese_.*_140_/.test(h.known.name) ? '/_VSS' : ''}: the header does not tell them apart; same code page)` : ''} (from the backup header${r.header.backupType === 'log' ? ': a log backup holds no boot page' : ''})`;
  if (h) return `- (the backup header's collation, TDS form ${h.tds}, is one rowback does not know; SELECT DATABASEPROPERTYEX(N'${r.header.databaseName.replace(/'/g, "''")}', 'Collation') on a server that has the database gives it)`;
  return r.header.backupType === 'log'
    ? '- (a log backup holds no boot page: inspect the full backup or the data file of the database)'
    : '- (no boot page read in this backup set)';
}

/**
 * `skipped: CODE: reason` lines, runs of consecutive pages of one cause as one line (skippedLines:
 * a data file cut short listed every page its IAMs name beyond the cut, one line each), at most 40
 * lines; `--format json` lists every item.
 */
function inspectSkippedLines(items: readonly SkippedItem[]): string[] {
  return skippedLines(items, 40, ' (--format json lists every item)', false).map((l) => `skipped: ${l.slice(2)}`);
}

function renderTables(tables: DataFileDescription['tables'], out: string[]): void {
  for (const t of tables) out.push(`  ${tableNameText(t.name).padEnd(40)} ${String(t.rows).padStart(9)}  ${t.indexId === 0 ? 'heap' : 'clustered'}, ${t.columns} columns${t.partitions > 1 ? `, ${t.partitions} partitions` : ''}${t.compression !== 'NONE' ? `, ${t.compression}` : ''}`);
  // the catalog's foreign keys (what a re-insert without a target orders the tables by), when any
  const fks = tables.flatMap((t) => (t.foreignKeys ?? []).map((k) => `  ${tableNameText(t.name)} (${k.columns.map(identifierText).join(', ')}) -> ${tableNameText(k.references)} (${k.referencedColumns.map(identifierText).join(', ')})  ${identifierText(k.name)}`));
  if (fks.length) appendAll(out, ['foreign keys (referencing -> referenced):', ...fks]);
}

function renderLog(l: LogSummary, out: string[], kv: (k: string, v: unknown) => void): void {
  kv('log bytes', l.bytes);
  kv('log blocks', l.blocks && `${l.blocks} (${l.checksummedBlocks === l.blocks ? 'each with' : `${l.checksummedBlocks} with`} a log block checksum)`);
  if (l.blocks > l.checksummedBlocks) out.push(`note: ${uncheckedBlocksNote(l.blocks - l.checksummedBlocks, l.blocks)}`);
  kv('log records', `${l.records}${l.staleRecords ? ` (${l.staleRecords} from stale blocks)` : ''}`);
  kv('LSN range', l.firstLsn ? `${l.firstLsn} .. ${l.lastLsn}` : null);
  out.push('records by operation:');
  for (const [op, n] of Object.entries(l.countsByOperation)) out.push(`  ${op.padEnd(28)} ${n}`);
  // where the log starts inside the oldest VLF is no loss: a note, not something skipped; a header
  // whose two copies disagree skips nothing (every block is read): a WARNING, as the other commands say it
  for (const s of l.skipped) out.push(`${s.code === LOG_STARTS_MID_VLF ? 'note' : s.code === BAD_HEADER || s.code === LOG_VLF_ENDS_EARLY ? 'WARNING' : 'skipped'}: ${s.code}: ${s.reason} (${[s.location.file, s.location.offset !== undefined ? `offset ${s.location.offset}` : '', s.location.lsn ? `LSN ${s.location.lsn}` : ''].filter(Boolean).join(', ')})`);
}

export function register(program: Command): void {
  program
    .command('inspect')
    .summary(`What a SQL Server file is and its header facts: backups (.bak/.trn), data files (.mdf/.ndf), logs (.ldf); exit ${INCOMPLETE_EXIT_CODE} when it finds damage (inspect --help)`)
    .description(`What a SQL Server file is and its header facts: backups (.bak/.trn), data files (.mdf/.ndf), logs (.ldf); exit ${INCOMPLETE_EXIT_CODE} when it finds damage in what it reads (descriptor and log blocks, VLF headers, a data file's header, boot and catalog pages: not every data page, which dump --all checks), everything readable still printed, INCOMPLETE on stderr (WARNING for a backup's header whose two copies disagree, FORMAT_BAD_BACKUP_HEADER / BACKUP_HEADER_WARNING); exit 2 when the damage leaves nothing to describe`)
    .argument('<file>', 'the file to inspect')
    .addOption(choiceOption('--format <format>', 'output format', ['json', 'text'] as const, 'text'))
    // No commander default: a default shown as `(default: "1")` read as if `--position 1` were
    // always fine, yet a data or log file refuses it given (it holds no backup set).
    .option('--position <n>', 'backup set to describe when a backup file holds several (RESTORE … WITH FILE = n); backups: the first set when not given; data and log files hold none and refuse it')
    .option('--quiet', 'no progress on stderr; still said: INCOMPLETE, WARNING and INTERRUPTED')
    .addOption(new Option('--strict', `accepted as scan, dump, log, diff and decode take it; inspect exits ${INCOMPLETE_EXIT_CODE} when it finds damage (INCOMPLETE on stderr: a bad MTF header, page or log block, a stripe of a media set alone) with or without it, everything it could read printed all the same`))
    .action(async (file: string, opts: { format: 'json' | 'text'; quiet?: boolean; position?: string; strict?: boolean }) => {
      const position = parseBackupSetPosition('--position', opts.position);
      statSync(file, { throwIfNoEntry: false }) ?? (() => {
        throw new InputError('INPUT_FILE_UNREADABLE', `${file}: no such file${relativePathAdvice(file)}`, { file });
      })();
      // Ctrl-C / SIGTERM: the reading stops where it is and nothing is printed (a partial
      // description would pass for the file's), one INTERRUPTED line, exit 130 / 143 (interrupt.ts)
      const interrupt = catchInterrupts();
      const started = Date.now();
      const progress = createProgress({ quiet: opts.quiet });
      const onProgress = (p: { bytes: number; records: number }) =>
        progress.update(() => {
          const s = (Date.now() - started) / 1000;
          return `rowback inspect: ${(p.bytes / 1048576).toFixed(1)} MiB of log, ${p.records} records (${Math.round(p.records / s)} records/s, ${(p.bytes / 1048576 / s).toFixed(1)} MiB/s)`;
        });
      let result: InspectResult;
      try {
        result = await inspectFile(file, { onProgress, position, signal: interrupt.signal });
        // a signal during synchronous reading (pages, a data file) is heard now
        await letSignalsIn();
        if (interrupt.by) {
          sayInterrupted('inspect', interrupt.by, `${file} was not read to its end; nothing was printed`);
          return;
        }
      } finally {
        progress.done();
        interrupt.release();
      }
      // JSON: `complete` and `damage` (what the INCOMPLETE line and exit 3 say) for every kind of file;
      // a backup's `incomplete` names only a stripe alone or TDE, so a damaged log block showed
      // `"incomplete": null` beside exit 3, and an .ldf had no such key (newcomer)
      const damage = inspectDamage(result);
      process.stdout.write(opts.format === 'json' ? JSON.stringify(inspectJson(result, damage), jsonReplacer, 2) + '\n' : renderText(result));
      // Damage found: said on stderr (also with --quiet) and exit 3, --strict or not: finding damage
      // is what inspect is run for, and a script must not read a damaged file's description as a
      // whole file's (it exited 0 with a bad page, log block or MTF header listed)
      // a WARNING on the backup's header (one copy damaged, the set still used elsewhere): said as
      // damage is, on stderr also with --quiet, exit 3
      const warned = result.kind === 'backup' ? result.headerWarnings : [];
      for (const w of warned) sayLine(`rowback inspect: WARNING: ${result.file}: ${w}`);
      if (warned.length) exitIncomplete(true);
      // a header that cannot be trusted (FORMAT_BAD_BACKUP_HEADER): said as scan and log say it, not
      // as INCOMPLETE ("1 item(s) damaged or not read" read as if some pages or log were missing,
      // where the whole file was read and it is the header restore plan and the replays refuse); exit 3
      const untrusted = untrustedHeaderLines(result);
      sayLines(untrusted);
      if (untrusted.length) exitIncomplete(true);
      // an .ldf VLF whose log ends before the VLF does while the next VLF holds log: a WARNING, exit 3
      const early = vlfEndsEarlyLines(result);
      sayLines(early);
      if (early.length) exitIncomplete(true);
      const line = incompleteLine(result);
      if (line) {
        sayLine(line);
        exitIncomplete(true);
      }
    });
}

/**
 * What the dates of inspect's JSON are: the SQL Server's local time with no zone (RESTORE
 * HEADERONLY's and the boot page's dates: a backup's start, finish and database creation, a data
 * file's `created`), the value restore plan's JSON gives its stop time (`target.timeZone`). The
 * text form says it beside each date; the JSON said it nowhere, and a bare `2017-06-01T12:59:12`
 * reads as UTC to most JSON readers.
 */
export const INSPECT_TIME_ZONE = 'SQL Server local time';

/**
 * inspect's `--format json` object: the description, `complete` and `damage` (what the INCOMPLETE
 * line and exit 3 say), and for a backup or data file `timeZone` (INSPECT_TIME_ZONE: what its dates
 * are; a backup header's own offset at the set's start is `header.utcOffset`, with
 * `header.backupStartDateUtc`, and each set's in `sets[]`).
 */
export function inspectJson(r: InspectResult, damage: ReturnType<typeof inspectDamage>): Record<string, unknown> {
  return { ...r, ...(r.kind === 'log' ? {} : { timeZone: INSPECT_TIME_ZONE }), complete: damage.length === 0, damage };
}

/**
 * What inspect found damaged or could not read, as items: the MTF walk's and log reading's skipped
 * items (a bad MTF header, log block, VLF header; not LOG_STARTS_MID_VLF, which is where the log
 * starts, no loss, nor LOG_VLF_ENDS_EARLY, a doubt said by vlfEndsEarlyLines), a data file's skipped pages, and a backup whose pages could not be read on
 * their own (one stripe of a media set, a TDE-encrypted database). Empty for a whole file.
 */
export function inspectDamage(r: InspectResult): Array<{ code: string; reason: string; where: string }> {
  const where = (s: SkippedItem) => [s.location.file, s.location.offset !== undefined ? `offset ${s.location.offset}` : '', s.location.lsn ? `LSN ${s.location.lsn}` : '', s.location.page ? `page ${s.location.page}` : ''].filter(Boolean).join(', ');
  const items = (list: SkippedItem[]) => list.filter((s) => s.code !== LOG_STARTS_MID_VLF && s.code !== LOG_VLF_ENDS_EARLY).map((s) => ({ code: s.code, reason: s.reason, where: where(s) }));
  if (r.kind === 'backup') return [...(r.incomplete ? [{ ...r.incomplete, where: r.file }] : []), ...items(r.metadataSkipped), ...items(r.log.skipped)];
  if (r.kind === 'log') return r.log ? items(r.log.skipped) : [];
  return items(r.skipped);
}

/** Code of a backup set whose two header copies disagree where neither can be told right (mtf.ts readMtfLayout). */
const BAD_HEADER = 'FORMAT_BAD_BACKUP_HEADER';

/**
 * One `rowback inspect: WARNING: FILE: FORMAT_BAD_BACKUP_HEADER: reason (offset n)` line per
 * backup set header that cannot be trusted (its two copies disagree and neither is known right:
 * the reason names the field, both values and both offsets, and that restore plan and the
 * point-in-time replays leave the set out; the offset is the field in the copy not shown), the
 * form scan and log say it in, each without its line end (stderr-lines.ts writes it); [] for other
 * files. Not part of incompleteLine: nothing was left unread.
 */
export function untrustedHeaderLines(r: InspectResult): string[] {
  if (r.kind !== 'backup') return [];
  return r.log.skipped.filter((s) => s.code === BAD_HEADER).map((s) => `rowback inspect: WARNING: ${s.location.file ?? r.file}: ${s.code}: ${s.reason}${s.location.offset !== undefined ? ` (offset ${s.location.offset})` : ''}`);
}

/**
 * One `rowback inspect: WARNING: FILE: reason` line per .ldf VLF whose log ends before the VLF does
 * while the next VLF holds log (reader.ts LOG_VLF_ENDS_EARLY: its last log blocks may be lost,
 * which the bytes cannot prove), as scan and log say it, each without its line end; [] for other
 * files and whole logs. Not
 * part of incompleteLine or inspectDamage (`complete` in json): nothing is known lost.
 */
export function vlfEndsEarlyLines(r: InspectResult): string[] {
  if (r.kind !== 'log' || !r.log) return [];
  return r.log.skipped.filter((s) => s.code === LOG_VLF_ENDS_EARLY).map((s) => `rowback inspect: WARNING: ${s.location.file ?? r.file}: ${s.reason}`);
}

/**
 * The `rowback inspect: INCOMPLETE: …` line (one line, without its line end: how many, the first
 * named with its file and offset), or '' when nothing is damaged or not read. A header that cannot
 * be trusted is not
 * counted: untrustedHeaderLines says it.
 */
export function incompleteLine(r: InspectResult): string {
  // a VLF ending early is a doubt, not damage: its `WARNING:` line says it (reader.ts LOG_VLF_ENDS_EARLY)
  const d = inspectDamage(r).filter((x) => x.code !== BAD_HEADER && x.code !== LOG_VLF_ENDS_EARLY);
  if (!d.length) return '';
  const codes = [...new Set(d.map((x) => x.code))].join(', ');
  return `rowback inspect: INCOMPLETE: ${d.length} item(s) of ${r.file} damaged or not read (${codes}); first: ${d[0].code}: ${d[0].reason} (${d[0].where})`;
}

function jsonReplacer(_k: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return '0x' + Buffer.from(v).toString('hex').toUpperCase();
  if (typeof v === 'bigint') return v.toString();
  return v;
}
