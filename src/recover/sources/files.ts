/**
 * The file RecoverySource: table metadata from a data file (.mdf) or a full/differential
 * backup (.bak), row operations from the log of an .ldf, a chain of log backups (.trn), or —
 * when no log file is given — the log inside the .bak. Nothing needs a SQL Server.
 *
 * Candidates come from the shared one-pass filter (`committedCandidates`): row operations are held
 * per open transaction until its commit or abort, within a memory budget (spilled to a temporary
 * file beyond it); the log is streamed once. Offline, the login of a transaction is unknown
 * (login = null); its SID is kept.
 */
import type { Logger } from 'pino';
import { InputError } from '../../errors.js';
import type { PageSource } from '../../datafile/page-source.js';
import { readBackupHeader, type BackupHeader, type BackupType } from '../../backup/header.js';
import { backupLogCoverage, cutLogStream, judgeCutLogStream } from '../../backup/log-coverage.js';
import { formatLsn, lsnToDecimal, parseLsn } from '../../logreader/lsn.js';
import { openBackupLogStream } from '../../backup/log-stream.js';
import { backupLogFirstLsn, chainVlfBoundaryGaps } from '../../backup/chain-boundary.js';
import { assertEachBackupOnce, choosePosition, openBackupPages } from '../../backup/open.js';
import { requireWholeMediaSet, type BackupAdvice } from '../../backup/page-source.js';
import { BACKUP_HEADER_WARNING, MTF_TRAILER_DAMAGED, readMtfLayout, type MtfLayout } from '../../backup/mtf.js';
import { lastEnding, logSetsEndingPast } from '../../backup/later-log-sets.js';
import type { LogBackupHeaderRead } from '../database-default-collation.js';
import { VLF_FIRST_BLOCK_OFFSET } from '../../logreader/ldf/constants.js';
import { LOG_STARTS_MID_VLF, LOG_VLF_ENDS_EARLY, vlfEndsEarlySaid, readLdfLayout, readLdfRecordBatches, emptyLogScanStats, uncheckedBlocksNote, type LogScanOptions, type LogScanStats, type RecordKeep } from '../../logreader/ldf/reader.js';
import { LOP_ABORT_XACT, LOP_BEGIN_XACT, LOP_COMMIT_XACT, type LogRecord } from '../../logreader/log-record.js';
import { mergeLogScanStats, readLogFilesInParallel, type LogFileEvent, type LogFileInput } from '../../logreader/parallel/parallel-reader.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import { columnstoreTables, type CatalogChanges } from '../rebuilt-tables.js';
import type { SqlValue } from '../../reconstruct/values.js';
import type { RecoveredRow } from '../recovered-row.js';
import { realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LdfHoles, mergeLdfWithChain, type ChainGap, type PositionedLogBlock } from './merged-log.js';
import { logBackupChain, setName, type LogBackupSet } from '../../backup/log-chain.js';
import { CANDIDATE_BATCH, committedCandidateBatches, emptyStats, type CommittedScanStats } from '../committed.js';
import { layoutChangeReason, type LayoutChange } from '../layout-changes.js';
import { PageSlotModel } from '../page-model.js';
import { anchorOnDataFile, pageSlots, readPageById } from '../page-model-anchor.js';
import { RECOVER_UPDATE_NO_BASE, type RebuildCandidate } from '../update-rebuild.js';
import type { LogNotGiven } from '../log-not-given.js';
import { exportTimeIso, localMs } from '../log-local-time.js';
import { assertBackupSet, assertOneDatabase, dataFileLogTime, ofAnotherDatabase, otherDatabaseSetsNote, readSourceIdentities, withoutOtherDatabaseSets, readSourceIdentity, uncheckedIdentityNote, type SourceFileIdentity } from '../source-identity.js';

/**
 * What to do when files give no table layout (a log alone: `scan --ldf X.ldf`). "give --mdf FILE or
 * --bak FILE (or --schema/--ddl)" left a newcomer whose data file is gone with nothing to try.
 */
const NO_METADATA_ADVICE = "give the database's data file (--mdf FILE.mdf) or a full backup (--bak FILE.bak); with the log alone, give the tables' layout (--ddl CREATE-TABLE.sql --alloc-unit ID, or --schema CATALOG.json: docs/metadata.md), or list its records undecoded with rowback log FILE";

/** Boot-page dbi_version of SQL Server 2005 (corpus README). */
/** Boot-page dbi_version of SQL Server 2005 (corpus StDb2005, Tractis aspnetdb): its log has format version 2. */
export const SQL2005_DBI_VERSION = 611;

/** Updates held for the data-file anchor at most (each keeps its log record, a view into one log block). */
const MAX_ANCHORED_UPDATES = 1000;
import { catalogFromLayouts, type MetadataCatalog, type RecoverySource, type RowCandidate, type ScanFilter, type SkippedItem, type SourceProgress } from '../source.js';
import { appendAll, maxOf } from '../../util/append-all.js';
import { fileAndSet } from '../../util/backup-set-text.js';
import { shellPath } from '../../util/shell-word.js';

export interface FileSourceInputs {
  /** The database's data files: its .mdf, with its .ndf files when it has several (openDataFiles). */
  mdf?: string | string[];
  /**
   * A full backup — every stripe of a striped one — optionally followed by differential backups
   * based on it (openBackupPages: a page comes from the newest backup holding it), for the table
   * metadata, off-row values and update anchors; and, when no .ldf or .trn is given, the log their
   * backup sets hold (not a striped backup's: refused).
   */
  bak?: string | string[];
  /** What the caller accepts instead when `bak` is refused (a differential alone, one stripe); by default `--bak FULL DIFF…` / every stripe. */
  backupAdvice?: BackupAdvice;
  /** Backup set of the `bak` files to read when a file holds several (RESTORE … WITH FILE = n); required then. */
  position?: number;
  ldf?: string;
  /** Log backups. Every log backup set of each file is read (several appended to one file included), in LSN order. */
  trn?: string[];
  /**
   * Log backup sets of `trn` held in two or more files whose log does not read whole, keyed
   * `${file}#${position}` → why (backup/log-commits.ts damagedLogCopies, which is async and so is
   * read before this opens): the chain reads another copy of the same log instead.
   */
  logCopyDamage?: ReadonlyMap<string, string>;
  /** How many log records each copy in `logCopyDamage`'s read gave (damagedLogCopies `recordsRead`): of two damaged copies the one that read more is read. */
  logCopyRecords?: ReadonlyMap<string, number>;
  /**
   * Worker threads for reading several log files (an .ldf, .trn files, backup sets) at once;
   * default 1 (no workers). The output is the same for every value (parallel-reader.ts).
   */
  threads?: number;
  /**
   * Workers are used only when the log files total at least this many bytes (default
   * PARALLEL_MIN_BYTES): starting a worker costs ~0.1–0.2 s, more than parsing a few small log backups.
   */
  parallelMinBytes?: number;
  /**
   * With `threads` > 1: also read one .ldf as ranges of its VLFs on several workers (splitLdfs);
   * the output is the same. Off by default: on the project's 2-core machine (shared, load ~5) it
   * made a 256 MB .ldf scan about half as fast (0.44–0.53×: records cross threads by structured
   * clone, and parsing is ~15 % of a scan; docs/performance.md).
   */
  ldfVlfRanges?: boolean;
  /**
   * The committed filter's memory for rows of open transactions, in bytes (default
   * DEFAULT_HOLD_BUDGET, 64 MB), and the folder its temporary files go to beyond it (default the
   * OS temporary folder). committed.ts.
   */
  holdBudgetBytes?: number;
  spillDir?: string;
}

/** Log bytes below which several log files are read on this thread whatever `threads` says. */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

export interface FileRecoverySource extends RecoverySource {
  /** Counts from the last candidates() run: log bytes/records and the committed-filter figures. */
  readonly logStats: LogScanStats;
  readonly scanStats: CommittedScanStats;
  /** Bytes/records read by the pass running (the anchor pass included), which pass, and the bytes a pass reads. */
  progress(): SourceProgress;
  /** What the user must be told besides skipped items (e.g. a file whose database could not be checked). */
  readonly notes: string[];
  /**
   * Of `notes`, those said even with --quiet: a file whose binding id could not be read, so that
   * it belongs to the same database as the others is unchecked (its rows may be another database's).
   */
  readonly identityNotes: string[];
  /**
   * WARNINGs on the backups' headers, `file: code: reason (offset n)`: mtf.ts BACKUP_HEADER_WARNING
   * (one copy of a set's header damaged where the set is still read whole) and FORMAT_BAD_BACKUP_HEADER
   * (damaged in a field a restore reads; also a skipped item); said even with --quiet, in json, and
   * exit 3 under --strict.
   */
  readonly headerWarnings: string[];
  /**
   * WARNINGs on the .ldf's log read, `file: reason`: a VLF whose log ends before the VLF does while
   * the next VLF holds log (reader.ts LOG_VLF_ENDS_EARLY: its last block(s) may be lost unseen), once
   * each, from a scan's first read. Not a proven loss: said (scan's `WARNING:` lines, --report's
   * `warnings`, a files job's `warnings`) and exit 3 under --strict, not INCOMPLETE. Beside log
   * backups (--trn) one of whose sets holds that whole LSN range it is a note (in `notes`) instead.
   */
  readonly logWarnings: string[];
  /** The data file's or backup's boot-page dbi_version once metadata() has read it (611: SQL Server 2005), else null. */
  readonly databaseVersion: number | null;
  /**
   * The data file's or backup's boot-page dbi_crdate (the database's creation, `YYYY-MM-DDTHH:MM:SS.fff`,
   * the SQL Server's local time) once metadata() has read it, else null (no data file or backup, a
   * catalog given as --schema): window-before-log.ts windowBeforeLogStartClause judges a window from it.
   */
  readonly databaseCreated: string | null;
  /**
   * The database's default collation (boot page dbi_collation, as its name: `Turkish_CI_AS`) once
   * metadata() has read the data file or backup, else null (none given, or an id with no known name).
   * What a CREATE TABLE script's char/varchar/text columns without COLLATE take (scan --ddl).
   */
  readonly databaseCollation: string | null;
  /**
   * The boot page's dbi_collation as read (the id databaseCollation names) once metadata() has read
   * the data file or backup, else null: with databaseCollation null, an id rowback has no name for.
   */
  readonly databaseCollationId: number | null;
  /**
   * The boot page's dbi_checkptLSN (`00000019:0000009d:0003`) once metadata() has read the data
   * file or backup, else null: the point in the log the boot page's databaseCollation is of.
   */
  readonly databaseCheckpointLsn: string | null;
  /**
   * Every backup set of every --trn file as read when the source was opened (file, position, the
   * file's set count, its header), in the order given: what the log backups' default collation is
   * judged from (database-default-collation.ts logBackupHeadersCollation) without reading them again.
   */
  readonly logBackupHeaders: readonly LogBackupHeaderRead[];
  /**
   * When no .ldf is given: the backup set whose log is read last (the log backup of the chain with
   * the highest LastLSN, else the --bak backup whose own log is read last) and its finish date as its
   * header holds it (HEADERONLY BackupFinishDate: the SQL Server's local time, to the second,
   * `YYYY-MM-DDTHH:MM:SS`; null when the header has none). The log read ends there: a transaction
   * begun after that time is in a later log backup or the .ldf, in no file given
   * (window-past-log.ts). Null with an .ldf (the log goes on to the file's end).
   */
  readonly logReadEnd: LogReadEnd | null;
  /**
   * When no .ldf is given: the backup set whose log is read first (the log backup of the chain with
   * the lowest FirstLSN, else the --bak backup whose own log is read first), as logReadEnd names a
   * set. Its BackupStartDate bounds when the log read begins (a full or differential backup's own
   * log starts at the checkpoint it takes when it starts, or at a transaction then open, whose begin
   * it holds; a log backup's at the previous one's end): window-before-log.ts
   * windowBeforeLogStartClause judges a window by it when the log read holds no transaction begin.
   * Null with an .ldf.
   */
  readonly logReadStart: LogReadEnd | null;
  /**
   * With an .ldf and log backups (--trn) given together: the log backup set with the lowest FirstLSN
   * (named as logReadStart names a set), where the log read begins unless the .ldf's oldest VLF is
   * older (window-before-log.ts lsnRangeBeforeLdfAndBackupsClause). Null otherwise.
   */
  readonly logBackupsStart: LogReadEnd | null;
  /**
   * With an .ldf, after a scan's read: where its log is whole from, when the log read also holds
   * older log cut off from it: VLFs not reused since whose sequences run below one no VLF holds (the
   * file grew while the next VLF was still active, and the log skipped it; the sequence between was
   * reused since: its log is in no file given, nor in a log backup given). `seq`: the lowest VLF
   * sequence of the unbroken run ending at the newest; `firstBeginTime`: the first Begin Time read
   * at or past it (fn_dblog form; null when none); `older`: the sequences below the break that were
   * read. Null when the log read is unbroken (or no .ldf). window-before-log.ts
   * windowBeforeLogStartClause judges a window from it instead of the earliest Begin Time read.
   */
  readonly logWholeFrom: LogWholeFrom | null;
  /**
   * The identity (binding id) of every file and backup set read, read once and checked to be of one
   * database (throws InputError INPUT_MIXED_DATABASES as the scan would): what a `--schema` catalog's
   * database is compared with (source-identity.ts checkCatalogDatabase).
   */
  fileIdentities(): Promise<SourceFileIdentity[]>;
  /**
   * Stretches of the database's log that the files given show to exist and that none of them holds
   * (log-not-given.ts LogNotGiven: the clause, LSNs, and the SQL Server's local times it lies
   * between as far as the files tell): a data file or backup newer than the .ldf (known once
   * metadata() has read it), a data file newer than the log backups given, the log between a full
   * backup's end and the first log backup when a differential sits between, a chain of log backups
   * ending before a full or differential backup given ends. Each clause is also among `notes` and
   * `identityNotes`; the times that depend on the log read (its last or first Begin Time) are those
   * of the last scan read. Empty when none.
   */
  logNotGiven(): LogNotGiven[];
  /**
   * The SQL Server's local times a FORMAT_LOG_CHAIN_GAP item's stretch lies between, as far as the
   * backups on each side tell (LogNotGiven's `after` / `before`): after the BackupStartDate of the
   * backup whose log ends where it starts (its log was cut during it), before the BackupStartDate of
   * the log backup whose log starts where it ends (its log was cut before it began), or the
   * BackupFinishDate of such a full or differential backup. Undefined for other items, and either
   * time absent when no backup given ends or starts there (a break found inside a log backup).
   */
  chainGapTimes(item: SkippedItem): { after?: string; before?: string; priorBy?: string; laterFrom?: string } | undefined;
}

/** FileRecoverySource.logWholeFrom. */
export interface LogWholeFrom {
  seq: number;
  firstBeginTime: string | null;
  /** The End Time of the first commit read at or past `seq`, in log order (fn_dblog form; null when none). */
  firstCommitTime: string | null;
  /** The VLF sequence that commit is in (null when none): committed.ts beginUnreadPlacedByGaps places by it only what was first read in it or before. */
  firstCommitSeq: number | null;
  older: number[];
}

/** The backup set a scan's log read ends with, when no .ldf is given (FileRecoverySource.logReadEnd). */
export interface LogReadEnd {
  file: string;
  /** 1-based backup set in the file (RESTORE … WITH FILE = n). */
  position: number;
  kind: BackupType;
  /** HEADERONLY BackupFinishDate, `YYYY-MM-DDTHH:MM:SS`, the SQL Server's local time; null when unknown. */
  finished: string | null;
  /** HEADERONLY BackupStartDate, same form: the log was cut (LastLSN) between it and `finished`; null when unknown. */
  started: string | null;
  /** HEADERONLY LastLSN in fn_dblog form: the first LSN after the log the set holds. */
  lastLsn: string;
  /** HEADERONLY FirstLSN in fn_dblog form (the first LSN the set holds), where the caller needs it (logReadStart). */
  firstLsn?: string;
  /**
   * logReadStart only: the full or differential backups given (--bak) whose own log begins before
   * the log read does and is not read, log backups being given (`--bak FULL --trn` later ones): the
   * log before the read is then partly in a file given (windowBeforeLogStartClause says "in no file
   * read", not "in no file given"). Absent when none.
   */
  ownLogNotRead?: string[];
}

/** The part of src/datafile this source needs, loaded when metadata is first asked for. */
interface DatafileApi {
  readDataFileMetadata(source: PageSource): { tables: TableLayout[]; partitionLayouts: TableLayout[]; otherAllocUnits?: ReadonlySet<string>; skipped?: SkippedItem[]; warnings?: string[]; database?: { name?: string; version: number; checkpointLsn?: string; created?: string | null; collation?: string | null; collationId?: number }; principals?: Array<{ name: string; type: string; sid: string | null }> | null };
  /** The .mdf and its .ndf files as one page source (open-data-files.ts). */
  openDataFiles(paths: string[]): PageSource;
  /** Off-row values of logged row images from the pages (table-rows.ts). */
  lobResolver(source: PageSource): (image: Uint8Array, layout: TableLayout, values: Record<string, SqlValue>, warnings: string[], pagesName: string, rowLsn?: string) => Record<string, SqlValue>;
}

async function loadDatafile(): Promise<DatafileApi> {
  const [meta, mdf, rows, pr] = await Promise.all([
    import('../../datafile/metadata.js'),
    import('../open-data-files.js'),
    import('../../datafile/table-rows.js'),
    import('../../datafile/page-reader.js'),
  ]);
  return {
    readDataFileMetadata: meta.readDataFileMetadata as DatafileApi['readDataFileMetadata'],
    openDataFiles: mdf.openDataFiles,
    lobResolver: (source) => {
      const reader = new pr.PageReader(source);
      return (image, layout, values, warnings, pagesName, rowLsn) => rows.resolveLoggedRowLobs(reader, image, layout, values, warnings, pagesName, rowLsn);
    },
  };
}

export function openFileSource(inputs: FileSourceInputs, logger?: Logger): FileRecoverySource {
  const trn = inputs.trn ?? [];
  // the log files' names where a note says to add some: the CLI's flags, a job's fields
  const { trn: TRN, ldf: LDF } = inputs.backupAdvice?.logFiles ?? { trn: '--trn', ldf: '--ldf' };
  const mdfs = inputs.mdf === undefined ? [] : Array.isArray(inputs.mdf) ? inputs.mdf : [inputs.mdf];
  const baks = inputs.bak === undefined ? [] : Array.isArray(inputs.bak) ? inputs.bak : [inputs.bak];
  const threads = Math.max(1, Math.floor(inputs.threads ?? 1));
  if (!inputs.ldf && trn.length === 0 && baks.length === 0) {
    throw new InputError('INPUT_NO_LOG', `no log to scan: ${inputs.backupAdvice?.noLog ?? 'give --ldf FILE, --trn FILE… or a --bak whose log portion is read'}`);
  }
  const skipped: SkippedItem[] = [];
  let pageSource: PageSource | null = null;
  let lobs: ReturnType<DatafileApi['lobResolver']> | null = null;
  /**
   * The data file's / backup's boot-page dbi_version, once metadata was read. A log whose VLFs say
   * log format version 2 is read with the 2005+ record layout only when this says 611 (SQL Server
   * 2005): version 2 is also SQL Server 2000's format, whose record header differs. Checked on
   * Tractis aspnetdb_log.ldf (+ aspnetdb.mdf, 611): every one of its ~2,100 records parses with no
   * skipped block, and the 3 aspnet_SchemaVersions rows it inserts decode to the values on the pages.
   */
  let dbiVersion: number | null = null;
  /** The data file's or backup's database name (boot page dbi_dbname: RecoverySource.databaseName); null before metadata() or with no data file. */
  let databaseName: string | null = null;
  let databaseCreated: string | null = null;
  let databaseCollation: string | null = null;
  let databaseCollationId: number | null = null;
  let databaseCheckpointLsn: string | null = null;
  /** Of the tables the last candidates() read, the clustered columnstore ones; null before a scan. */
  let readColumnstore: string[] | null = null;
  let catalog: MetadataCatalog | null = null;
  /** The data file's or backup's last checkpoint LSN (boot page dbi_checkptLSN): its catalog is as of it or earlier (committed.ts layoutsAsOf). */
  let catalogAsOf: string | null = null;
  /** Database principals of the data file / backup (sysowners) by SID hex (upper case, 0X prefix). */
  const principals = new Map<string, { name: string; type: string }>();
  let logStats = emptyLogScanStats();
  let scanStats = emptyStats();
  let pass = 0;
  // Progress of the running candidates() call: the stats of the pass being read (the anchor
  // pass included), which of its passes that is, and the bytes one pass reads (when known).
  let current: LogScanStats = emptyLogScanStats();
  /** The stats of the backup being read on this thread, merged into `current` when its read ends (counted in progress meanwhile). */
  let inFlight: LogScanStats | null = null;
  let runPass = 0;
  let runPasses = 2;
  let bytesPerPass: number | undefined;
  // With an .ldf: the VLF sequences the log read covers (the .ldf's used VLFs, the log backups' LSN
  // ranges) and the first Begin Time read in each (FileRecoverySource.logWholeFrom), of the scan pass
  let coveredSeqs: Set<number> | null = null;
  let beginBySeq: Map<number, string> | null = null;
  let commitBySeq: Map<number, string> | null = null;

  // A cut-short backup is still read up to where it ends; say so once.
  // Damage in a set's closing blocks only (after every data and log stream, mtf.ts trailerOnly)
  // loses nothing the scan reads: a note naming it, not a skipped item (it made the scan INCOMPLETE).
  const trailerNotes: string[] = [];
  const laterSetDamageNotes: string[] = [];
  const headerWarnings: string[] = [];
  const logWarnings: string[] = [];
  // A log backup cut short inside its log stream (MQTL) loses log only if what was read falls short
  // of the LSN range its header states: held until that file's read compares them (a cut copy whose
  // log was all read printed INCOMPLETE, naming no LSN: newcomer trial), reported as before otherwise.
  // (the rule: log-coverage.ts cutLogStream / judgeCutLogStream, shared with `log` and the replay)
  // by `${file}#${position}`: the file's last set (its one, or the last of several: cutLogStream)
  const cutLogStreams = new Map<string, SkippedItem>();
  const cutKeysOf = (f: string): string[] => [...cutLogStreams.keys()].filter((k) => k.slice(0, k.lastIndexOf('#')) === f);
  // each file once: a file given twice had its MTF damage counted twice (FORMAT_BAD_MTF ×2)
  // each backup file's MTF layout, walked once here and used by every later step (they walked it
  // again: the log backups' headers, the backups' sets, the backup whose own log is read)
  const layouts = new Map<string, MtfLayout>();
  const layoutOf = (f: string): MtfLayout => {
    let l = layouts.get(f);
    if (!l) layouts.set(f, (l = readMtfLayout(f)));
    return l;
  };
  for (const b of new Set([...baks, ...trn])) {
    const layout = layoutOf(b);
    const cut = trn.includes(b) && cutKeysOf(b).length === 0 ? cutLogStream(layout, undefined, b) : null;
    if (cut) cutLogStreams.set(`${b}#${Math.max(1, layout.sets)}`, cut);
    // a --bak file of several sets read for one (--position N), not given with --trn: damage after
    // that set's ESET lies in a later set this scan does not read (its blocks were all read before
    // it), as the replay judges it (point-in-time.ts setsOf closedBefore); it made `scan --bak ALL.bak
    // --position 1` INCOMPLETE for a cut set 3
    const chosenEnd = layout.sets > 1 && inputs.position !== undefined && !trn.includes(b)
      ? layout.dblks.find((d) => d.type === 'ESET' && d.set === inputs.position)?.offset
      : undefined;
    for (const p of layout.problems) {
      if (p === cut) continue;
      if (chosenEnd !== undefined && p.location.offset !== undefined && p.location.offset > chosenEnd) {
        laterSetDamageNotes.push(`${b}: ${p.code} after backup set ${inputs.position}, which this scan reads whole (its end block at offset ${chosenEnd}), in a later set it does not read: ${p.reason} (offset ${p.location.offset})`);
        continue;
      }
      if (p.code === MTF_TRAILER_DAMAGED) trailerNotes.push(`${b}: ${p.code}: ${p.reason} (offset ${p.location.offset})`);
      else if (p.code === BACKUP_HEADER_WARNING) headerWarnings.push(`${b}: ${p.code}: ${p.reason} (offset ${p.location.offset})`);
      else {
        // a copy damaged in a field a restore reads: listed as skipped, and said as a WARNING (even with --quiet)
        if (p.code === 'FORMAT_BAD_BACKUP_HEADER') headerWarnings.push(`${b}: ${p.code}: ${p.reason} (offset ${p.location.offset})`);
        skipped.push(p);
      }
    }
  }

  // Every --trn must hold log backups; each log backup set of each file is read, in LSN order (a
  // file written WITH NOINIT holds several). A broken chain is reported (rows between the gaps
  // cannot be told committed or not).
  const backupHeaders = new Map<string, BackupHeader>(); // by `${file}#${position}`
  const given: LogBackupSet[] = [];
  // A full or differential set appended to a file of log backups (BACKUP DATABASE and BACKUP LOG
  // … WITH NOINIT to one file) is left out of the chain with a note, as the point-in-time replay
  // leaves it out (replay/point-in-time.ts setsOf): the log chain is the unbroken sequence of log
  // backups (Microsoft Learn, "Transaction log backups": a full backup neither breaks nor joins it);
  // in the corpus RestoreTimeClean_3.trn's LastLSN is RestoreTimeClean2_1.trn's FirstLSN
  // (25000000017300001) with the differential RestoreTimeClean2.bak taken between. So no log record
  // of the window is lost. A file with no log set at all is refused as before.
  const leftOutSetNotes: string[] = [];
  const leftOutSets: LogBackupSet[] = [];
  // those of ANOTHER database than their file's log backup sets (one device shared by several
  // databases, WITH NOINIT): by `file#position`, the other database's name (source-identity.ts ofAnotherDatabase)
  const otherDatabaseSets = new Map<string, string>();
  const otherDatabaseNotes: string[] = [];
  // every log backup set's header as read, for the default collation their headers name (scan --trn
  // --ddl: database-default-collation.ts logBackupHeadersCollation), which read them all again
  const logBackupHeaders: LogBackupHeaderRead[] = [];
  for (const t of trn) {
    const layout = layoutOf(t);
    const sets = Math.max(1, layout.sets);
    const headers: BackupHeader[] = [];
    for (let position = 1; position <= sets; position++) {
      const h = readBackupHeader(t, layout, position);
      backupHeaders.set(`${t}#${position}`, h);
      headers.push(h);
      if (h.backupType === 'log') logBackupHeaders.push({ file: t, position, sets: layout.sets, header: h });
    }
    const hasLog = headers.some((h) => h.backupType === 'log');
    headers.forEach((h, i) => {
      const position = i + 1;
      if (h.backupType === 'log') { given.push({ file: t, position, header: h }); return; }
      if (!hasLog) {
        // the file given with --bak too (`--bak ALL.bak --position 1 --trn ALL.bak`, as the README
        // lays it out): "give it with --bak" named what was done; a copy cut short before its log
        // backup sets was told so nowhere. Say it holds no log backup set, where it is cut, the way on.
        // (the CLI's words: a service job, whose advice names its request's fields, keeps its own)
        if (!inputs.backupAdvice?.notALogBackup && baks.some((b) => sameFile(b, t))) {
          const cut = layout.problems.find((p) => p.location.offset !== undefined && /cut short|end of the file/.test(p.reason));
          throw new InputError('INPUT_NOT_A_LOG_BACKUP', `${t} holds no log backup set: ${layout.sets > 1 ? `its ${layout.sets} backup sets are` : 'its one backup set is a'} ${[...new Set(headers.map((x) => x.backupType))].join('/')} backup${layout.sets > 1 ? 's' : ''}, read with --bak ${shellPath(t)}${cut ? `; the file is cut short (${cut.code} at offset ${cut.location.offset}): log backup sets appended after it are not in this copy, give a whole copy of it` : ''}; to read the database backup alone, leave out --trn ${shellPath(t)}`, { file: t });
        }
        throw new InputError('INPUT_NOT_A_LOG_BACKUP', `${fileAndSet(t, layout.sets > 1 ? position : undefined)} is a ${h.backupType} backup, not a log backup; ${inputs.backupAdvice?.notALogBackup ?? 'give it with --bak'}`, { file: t });
      }
      // read by --bak as well (`--bak ALL.bak --position 1 --trn ALL.bak`): nothing to say
      if (baks.some((b) => sameFile(b, t)) && (inputs.position ?? 1) === position) return;
      leftOutSets.push({ file: t, position, header: h });
      const logs = headers.filter((x) => x.backupType === 'log');
      if (logs.every((x) => ofAnotherDatabase(h, x))) otherDatabaseSets.set(`${t}#${position}`, h.databaseName || 'name unknown');
    });
  }
  // In LSN order; a log backup given twice (the same file, or a copy: the same LSN range of the one
  // database the binding ids are checked to be) is read once, not a break in the chain. Breaks are
  // reported with what is skipped (before the other items). Beside an .ldf, one its current log
  // spans from before the break's start to past its end is no loss: the merged read gives that log
  // from the .ldf, and passes the break over (mergeLdfWithChain, merged-log.ts).
  // a copy cut short in its log stream or with MTF damage gives way to a whole copy of the same log
  const damagedFiles = new Set([...[...cutLogStreams.keys()].map((k) => k.slice(0, k.lastIndexOf('#'))), ...skipped.flatMap((p) => (p.location.file !== undefined && trn.includes(p.location.file) ? [p.location.file] : []))]);
  const logDamaged = (s: LogBackupSet) => inputs.logCopyDamage?.get(`${s.file}#${s.position}`);
  // of two copies both damaged: the one whose log read gave more records (it lost less); a copy with
  // MTF damage or cut short (damagedFiles) is not measured so: the first given stays read then
  const readOf = (s: LogBackupSet) => (damagedFiles.has(s.file) ? undefined : inputs.logCopyRecords?.get(`${s.file}#${s.position}`));
  const lessLost = (a: LogBackupSet, b: LogBackupSet) => {
    const ra = readOf(a);
    const rb = readOf(b);
    return ra !== undefined && rb !== undefined && logDamaged(a) !== undefined && logDamaged(b) !== undefined && ra > rb;
  };
  const chain = logBackupChain(given, (s) => damagedFiles.has(s.file) || logDamaged(s) !== undefined, lessLost);
  // A file none of whose sets is read (each a repeat of a copy read instead): its damage loses
  // nothing of the result, said as a note (it made the scan INCOMPLETE with the whole copy read)
  const readFiles = new Set(chain.sets.map((s) => s.file));
  const logDamagedFiles = new Map(chain.passedOver.flatMap((s) => { const why = logDamaged(s); return why === undefined ? [] : [[s.file, why] as const]; }));
  const unread = new Set(chain.passedOver.map((s) => s.file).filter((f) => !readFiles.has(f) && (damagedFiles.has(f) || logDamagedFiles.has(f))));
  const unreadNotes: string[] = [];
  // said even with --quiet (identityNotes): a copy not read that may hold what the copy read lost
  const unreadLoudNotes: string[] = [];
  // Log the files show to exist and none holds (FileRecoverySource.logNotGiven): each also a loud
  // note (the scan says it INCOMPLETE instead when its window may reach it). `afterLastBegin`: the
  // stretch is also after the log read's last Begin Time; `beforeFirstBegin`: before its first.
  const notGiven: Array<LogNotGiven & { afterLastBegin?: boolean; beforeFirstBegin?: boolean }> = [];
  if (unread.size) {
    const sameRange = (a: LogBackupSet, b: LogBackupSet) => a.header.firstLsn.decimal === b.header.firstLsn.decimal && a.header.lastLsn.decimal === b.header.lastLsn.decimal;
    for (const f of unread) {
      const cutKey = cutKeysOf(f)[0];
      const cut = cutKey === undefined ? undefined : cutLogStreams.get(cutKey);
      if (cutKey !== undefined) cutLogStreams.delete(cutKey);
      const items = [...(cut ? [cut] : []), ...skipped.filter((p) => p.location.file === f)].map((p) => `${p.code}: ${p.reason}`);
      const inLog = logDamagedFiles.get(f);
      if (inLog !== undefined && !items.length) items.push(inLog);
      // the copy read in its place damaged as well (each copy damaged elsewhere): this one's damage
      // may lose nothing, but the log the copy read lost may be whole here ("loses nothing" was
      // said of the copy holding the very rows the INCOMPLETE result lacked)
      const readInstead = chain.passedOver.filter((p) => p.file === f).map((p) => chain.sets.find((s) => sameRange(s, p))).find((s) => s !== undefined && (damagedFiles.has(s.file) || logDamaged(s) !== undefined));
      // not for the same file given twice (two spellings of its path), nor a copy damaged alike
      // (the same first loss, said of each file): it holds nothing the copy read lost
      const whyRead = readInstead ? logDamaged(readInstead) : undefined;
      const alike = readInstead !== undefined && (sameFile(f, readInstead.file)
        || (whyRead !== undefined && inLog !== undefined && whyRead.split(readInstead.file).join('') === inLog.split(f).join('')));
      if (readInstead && !alike) {
        const note = `${f}: not read: the copy read instead, ${setName(readInstead)}, is damaged too (this one: ${items.join('; ')}); the log it lost may be whole in this one: scan again with this file given in its place and compare the rows of the LSN ranges each lost`;
        unreadNotes.push(note);
        unreadLoudNotes.push(note);
        continue;
      }
      unreadNotes.push(`${f}: not read, a copy of log read from another file given (${items.join('; ')}): its damage loses nothing of this result`);
    }
    for (let i = skipped.length - 1; i >= 0; i--) if (skipped[i]!.location.file !== undefined && unread.has(skipped[i]!.location.file!)) skipped.splice(i, 1);
  }
  const trnSets = chain.sets.map(({ file, position, header: h }) => ({ file, position, first: h.firstLsn.decimal, last: h.lastLsn.decimal, firstLsn: h.firstLsn.lsn, lastLsn: h.lastLsn.lsn, started: h.backupStartDate, finished: h.backupFinishDate }));
  const givenTwice = chain.repeats;
  const chainGaps: ChainGap[] = chain.gaps;
  // fn_dblog's Begin Time of the first transaction begun at or past a chain gap's end (its lsnRange.last, lower case), as read
  const firstBeginPast = new Map<string, string>();
  // the earliest Begin Time (fn_dblog form) of the transactions open (begun, no commit or abort read)
  // where the read crosses each chain gap (its lsnRange.last, lower case; null: none open) and where
  // it ends (undefined: the last read did not end): they may have row operations in the stretch, so
  // it holds transactions begun from then on, not only after the backup before it (chainGapTimes,
  // logNotGiven's `after`)
  const openAtGap = new Map<string, string | null>();
  let openAtEnd: string | null | undefined;
  let boundaryChecked = false;

  // The chain must start within the full (or differential) backup's log: a first log backup
  // starting after the log the backup holds ends means a log backup between them is missing, and
  // the rows of that stretch with it (RestoreTimeClean.bak ends at 19:84:1; given with _2.trn,
  // which starts at 19:99:1, _1.trn's 10 steps were missing from a result that said complete).
  // The --bak backup sets, one per backup (the stripes of one media set share it), in LSN order;
  // a backup whose set or header cannot be read is left out here and reported by the metadata read.
  const bakSets: Array<{ file: string; files: string[]; mediaSet: string | null; position: number; header: BackupHeader }> = [];
  const bakProblems: unknown[] = [];
  // one backup file given twice, or two copies of one stripe: refused as such (they were called "the
  // stripes of one backup" below, when the log was to be read from the backups themselves)
  assertEachBackupOnce(baks, inputs.position, inputs.backupAdvice);
  for (const b of baks) {
    try {
      const layout = layoutOf(b);
      const guid = layout.mediaSet && layout.mediaSet.familyCount > 1 ? layout.mediaSet.mediaSetGuid : null;
      const same = guid ? bakSets.find((x) => x.mediaSet === guid) : undefined;
      if (same) {
        same.files.push(b);
        continue;
      }
      const position = choosePosition(b, layout, inputs.position, inputs.backupAdvice);
      bakSets.push({ file: b, files: [b], mediaSet: guid, position, header: readBackupHeader(b, layout, position) });
      // the set picked by number in a file holding another database's sets too: said, even with
      // --quiet (a file also given with --trn has its other database's sets said as left out, above)
      const other = trn.some((t) => sameFile(t, b)) ? null : otherDatabaseSetsNote(b, [position]);
      if (other && !otherDatabaseNotes.includes(other)) otherDatabaseNotes.push(other);
    } catch (e) {
      // reported by the metadata read (openBackupPages), or below when the backups' own log is read
      bakProblems.push(e);
    }
  }
  bakSets.sort((a, b) => (BigInt(a.header.firstLsn.decimal) < BigInt(b.header.firstLsn.decimal) ? -1 : 1));
  // The backup the log backups start from, as RESTORE LOG takes them: the full backup when the first
  // starts within its log (a differential given too then only adds pages), else a differential whose
  // log the first starts within and the chain runs past (FirstLSN ≤ its LastLSN < the chain's end).
  // When none is, the log from the newest backup that ends before the first log backup to that log
  // backup is in no file given. Anchoring on the newest backup alone (the differential) passed
  // `--bak FULL.bak DIFF.bak --trn _2.trn` (RestoreTimeClean: full to 19:84:1, _2.trn 19:99:1 to
  // 19:a3:1, differential 19:ad:26 to 19:be:1) as complete, without _1.trn's 10 steps.
  const chainEnd = trnSets.reduce((m, t) => (BigInt(t.last) > m ? BigInt(t.last) : m), 0n);
  // A --bak set chosen from a file of several (`--bak ALL.bak --position 1`) whose file holds log
  // backup sets going on past what the log read reaches, the file not given with --trn: its later
  // log is right there and not read. Without a window the scan said only "0 row(s)", "why no rows",
  // for a delete made after the full backup; with one, "add the log backups … with --trn", not that
  // they are in the very file given. Said even with --quiet.
  for (const x of inputs.ldf ? [] : bakSets) {
    if (x.files.length > 1 || trn.some((t) => sameFile(t, x.file))) continue;
    const reach = BigInt(x.header.lastLsn.decimal) > chainEnd ? BigInt(x.header.lastLsn.decimal) : chainEnd;
    const later = logSetsEndingPast(x.file, reach, x.header, layoutOf(x.file)).filter((l) => l.position !== x.position);
    if (!later.length) continue;
    const lastSet = lastEnding(later);
    const note = `${x.file} also holds log backup set${later.length > 1 ? 's' : ''} ${later.map((l) => l.position).join(', ')}, going on to LSN ${lastSet.header.lastLsn.lsn}${lastSet.header.backupStartDate ? ` (backup set ${lastSet.position} started ${lastSet.header.backupStartDate}, the SQL Server's local time)` : ''}, past the log this scan reads: ${later.length > 1 ? 'they are' : 'it is'} not read; add --trn ${shellPath(x.file)} to read the rows deleted or changed after backup set ${x.position}`;
    unreadNotes.push(note);
    unreadLoudNotes.push(note);
  }
  const startsFrom = (x: (typeof bakSets)[number], k: number): boolean =>
    trnSets.length > 0 && BigInt(trnSets[0]!.first) <= BigInt(x.header.lastLsn.decimal) && (k === 0 || chainEnd > BigInt(x.header.lastLsn.decimal));
  const anchored = bakSets.some((x, k) => x.header.backupType !== 'log' && startsFrom(x, k));
  const latestBak = anchored
    ? null
    : bakSets.reduce<(typeof bakSets)[number] | null>((m, x) => (trnSets.length && BigInt(x.header.lastLsn.decimal) < BigInt(trnSets[0]!.first) && (!m || BigInt(x.header.lastLsn.decimal) > BigInt(m.header.lastLsn.decimal)) ? x : m), null);
  if (latestBak && trnSets.length) {
    const bakHeader = latestBak.header;
    const first = trnSets[0];
    if (bakHeader.backupType !== 'log' && BigInt(first.first) > BigInt(bakHeader.lastLsn.decimal)) {
      chainGaps.unshift({
        from: bakHeader.lastLsn.lsn,
        to: first.firstLsn,
        item: {
          code: 'FORMAT_LOG_CHAIN_GAP',
          reason: `log backups do not chain to the ${bakHeader.backupType} backup: ${latestBak.file} holds log up to LSN ${bakHeader.lastLsn.decimal} (${bakHeader.lastLsn.lsn}), the first log backup given, ${first.file}${first.position > 1 ? ` (set ${first.position})` : ''}, starts at ${first.first} (${first.firstLsn}): the log backup(s) in between are missing, and the rows of that stretch with them`,
          location: { file: first.file, lsn: first.firstLsn },
          lsnRange: { first: bakHeader.lastLsn.lsn, last: first.firstLsn },
        },
      });
    }
  }

  // Log that lies between backups given and that no file read holds, though the chain is whole as
  // RESTORE takes it (no FORMAT_LOG_CHAIN_GAP): a stretch of logNotGiven, which scan and files jobs
  // say INCOMPLETE when their window may reach it and a note (even with --quiet) otherwise. A chain starting within a differential's log
  // leaves out the stretch from the full backup's end (the differential holds the pages changed,
  // not the rows deleted or changed then); a chain ending before a full or differential backup given
  // ends leaves out the stretch up to it (with --trn the backups' own log is not read).
  // `--bak RestoreTimeClean.bak RestoreTimeClean2.bak --trn RestoreTimeClean2_1.trn` printed 10 steps
  // and nothing of the 30 of _1-_3.trn, while `log` of the same files said INCOMPLETE; then a note
  // only, exit 0 under --strict.
  if (trnSets.length && anchored) {
    const full = bakSets.find((x) => x.header.backupType === 'full');
    const first = trnSets[0]!;
    if (full && BigInt(first.first) > BigInt(full.header.lastLsn.decimal)) {
      const note = `the log from the end of ${full.file} (LSN ${full.header.lastLsn.lsn}) to the first log backup given, ${first.file} (starts at ${first.firstLsn}), is in no file given: a differential backup holds the pages changed since the full backup, not the rows deleted or changed in that stretch, and they are not in this result; add the log backups taken between them with ${TRN} to see them`;
      unreadNotes.push(note);
      unreadLoudNotes.push(note);
      // after the full backup's log was cut (during it: after its start), before the first log
      // backup given began (its log starts at the end of the one before it) and, without an .ldf
      // that may hold older log, before the first transaction the log read begins with
      notGiven.push({ clause: note, lsnRange: { first: full.header.lastLsn.lsn, last: first.firstLsn }, ...(full.header.backupStartDate ? { after: full.header.backupStartDate } : {}), ...(first.started ? { before: first.started } : {}), ...(full.header.backupFinishDate ? { priorBy: full.header.backupFinishDate } : {}), beforeFirstBegin: !inputs.ldf });
    }
    const last = trnSets.reduce((m, t) => (BigInt(t.last) > BigInt(m.last) ? t : m), trnSets[0]!);
    // (an --ldf given goes on where the log backups end)
    for (const x of inputs.ldf ? [] : bakSets) {
      if (x.header.backupType === 'log' || BigInt(x.header.lastLsn.decimal) <= chainEnd) continue;
      const note = `${x.file} holds the database up to LSN ${x.header.lastLsn.lsn}, and the log backups given end at ${last.lastLsn} (${last.file}): the rows deleted or changed between are not in this result (with ${TRN} the backups' own log is not read); add the later log backups with ${TRN} to see them`;
      unreadNotes.push(note);
      unreadLoudNotes.push(note);
      // after the last log backup's log was cut (after its start, and after the log read's last
      // begin), before the backup given finished
      notGiven.push({ clause: note, lsnRange: { first: last.lastLsn, last: x.header.lastLsn.lsn }, ...(last.started ? { after: last.started } : {}), ...(x.header.backupFinishDate ? { before: x.header.backupFinishDate } : {}), ...(last.finished ? { priorBy: last.finished } : {}), ...(x.header.backupStartDate ? { laterFrom: x.header.backupStartDate } : {}), afterLastBegin: true });
    }
  }

  // A full or differential set left out of a --trn file (above) whose log goes on past the chain's
  // end (appended after the last log backup): that stretch is read from no file, said as for a --bak
  // that ends later (INCOMPLETE when the window may reach it), unless a --bak set says it already
  for (const x of leftOutSets) {
    // a backup of another database appended to the file: nothing of it is read, and it is no way on
    // (it was refused INPUT_MIXED_DATABASES, while dump and log read the log sets with this note)
    const other = otherDatabaseSets.get(`${x.file}#${x.position}`);
    if (other !== undefined) {
      // said even with --quiet (identityNotes): a file mixing two databases' backups never passes without a word
      otherDatabaseNotes.push(`${fileAndSet(x.file, x.position)} is a ${x.header.backupType} backup of another database (${other}) appended to the log backups' file, not a log backup: left out of the log chain, nothing of it read; only the file's log backup sets are read (check that ${x.file} is the file meant: one backup device shared by several databases)`);
      continue;
    }
    // the same backup given with --bak from another file (a copy of it): read there, said so
    const copy = x.header.backupSetGuid ? bakSets.find((b) => b.header.backupSetGuid === x.header.backupSetGuid) : undefined;
    if (copy) {
      leftOutSetNotes.push(`${fileAndSet(x.file, x.position)} is a ${x.header.backupType} backup appended to the log backups' file, not a log backup: left out of the log chain; the same backup (BackupSetGUID ${x.header.backupSetGuid}) is read from --bak ${shellPath(copy.file)}`);
      continue;
    }
    // A differential is read as the database backup only beside its full backup, and one --position
    // picks the set of every --bak file: `--bak F --position N` of it is refused
    // INPUT_DIFFERENTIAL_WITHOUT_FULL, whose `--bak FULL.bak F` is then refused for --position.
    // The advice names the full backup it is based on (or says it is read already).
    if (x.header.backupType === 'differential') {
      const base = x.header.differentialBaseGuid;
      const full = base ? bakSets.find((b) => b.header.backupType === 'full' && b.header.backupSetGuid === base) : undefined;
      leftOutSetNotes.push(`${fileAndSet(x.file, x.position)} is a differential backup appended to the log backups' file, not a log backup: left out of the log chain (a differential backup neither breaks nor joins it); ${full ? `its full backup is read from --bak ${shellPath(full.file)}` : `a differential is read only beside its full backup, which --bak ${shellPath(x.file)} --position ${x.position} cannot give with it: for the table metadata give its full backup${base ? ` (BackupSetGUID ${base})` : ''} with --bak`}`);
      continue;
    }
    leftOutSetNotes.push(`${fileAndSet(x.file, x.position)} is a ${x.header.backupType} backup appended to the log backups' file, not a log backup: left out of the log chain (a ${x.header.backupType} backup neither breaks nor joins it); to read it as the database backup, give --bak ${shellPath(x.file)} --position ${x.position}`);
  }
  if (trnSets.length && !inputs.ldf) {
    const last = trnSets.reduce((m, t) => (BigInt(t.last) > BigInt(m.last) ? t : m), trnSets[0]!);
    for (const x of leftOutSets) {
      // another database's LSNs say nothing of this database's log
      if (otherDatabaseSets.has(`${x.file}#${x.position}`)) continue;
      if (BigInt(x.header.lastLsn.decimal) <= chainEnd) continue;
      if (anchored && bakSets.some((b) => b.header.backupType !== 'log' && b.header.lastLsn.decimal === x.header.lastLsn.decimal)) continue;
      const note = `${fileAndSet(x.file, x.position)}, a ${x.header.backupType} backup left out of the log chain, holds log up to LSN ${x.header.lastLsn.lsn}, and the log backups given end at ${last.lastLsn} (${last.file}${last.position > 1 ? `, set ${last.position}` : ''}): the rows deleted or changed between are not in this result; add the later log backups with ${TRN} to see them`;
      unreadNotes.push(note);
      unreadLoudNotes.push(note);
      notGiven.push({ clause: note, lsnRange: { first: last.lastLsn, last: x.header.lastLsn.lsn }, ...(last.started ? { after: last.started } : {}), ...(x.header.backupFinishDate ? { before: x.header.backupFinishDate } : {}), ...(last.finished ? { priorBy: last.finished } : {}), ...(x.header.backupStartDate ? { laterFrom: x.header.backupStartDate } : {}), afterLastBegin: true });
    }
  }

  // Breaks between the backups' own logs as their headers say (FirstLSN); a full or differential
  // backup's log starts earlier (chain-boundary.ts backupLogFirstLsn), which its stream's first block
  // tells when the log is first read (readAllBatches): the break then ends there, or is none.
  const ownLogGaps: Array<{ gap: ChainGap; file: string; position: number; prevLast: bigint; headerFirst: bigint; restate: (start: { decimal: string; lsn: string }) => ChainGap['item'] }> = [];
  const logFiles: Array<{ kind: 'ldf' | 'trn' | 'bak'; file: string; position: number }> = [];
  if (inputs.ldf) logFiles.push({ kind: 'ldf', file: inputs.ldf, position: 1 });
  for (const t of trnSets) logFiles.push({ kind: 'trn', file: t.file, position: t.position });
  if (logFiles.length === 0 && baks.length === 1) logFiles.push({ kind: 'bak', file: baks[0]!, position: choosePosition(baks[0]!, layoutOf(baks[0]!), inputs.position, inputs.backupAdvice) });
  else if (logFiles.length === 0) {
    // The log the backups hold (a full backup's and each differential's: what was written while
    // each ran), in LSN order; between them the log is in no file given, which is said (INCOMPLETE).
    // every backup's log is read, or none: a backup whose set or header cannot be read is refused now
    if (bakProblems.length) throw bakProblems[0];
    const striped = bakSets.find((x) => x.files.length > 1);
    if (striped) {
      // two copies of one stripe, or a stripe missing: said as such, not as a striped backup's log
      requireWholeMediaSet(striped.files.map((path) => ({ path, layout: layoutOf(path) })), inputs.backupAdvice);
      throw new InputError('INPUT_NO_LOG', `${striped.files.join(', ')} are the stripes of one backup: rowback does not read a striped backup's log portion (it may be spread over the stripes); give the log with --ldf FILE or --trn FILE… (the stripes still give the table metadata)`, { file: striped.file });
    }
    let prev: (typeof bakSets)[number] | null = null;
    for (const x of bakSets) {
      if (prev && BigInt(x.header.firstLsn.decimal) > BigInt(prev.header.lastLsn.decimal)) {
        const p = prev;
        const ownGap = (start: { decimal: string; lsn: string }): ChainGap['item'] => ({
          code: 'FORMAT_LOG_CHAIN_GAP',
          reason: `the backups' own log does not chain: ${p.file} holds log up to LSN ${p.header.lastLsn.decimal} (${p.header.lastLsn.lsn}), ${x.file} starts at ${start.decimal} (${start.lsn}): the log between them is in no file given (give the log backups taken between them with ${TRN}, or the .ldf with ${LDF})`,
          location: { file: x.file, lsn: start.lsn },
          lsnRange: { first: p.header.lastLsn.lsn, last: start.lsn },
        });
        const gap: ChainGap = { from: prev.header.lastLsn.lsn, to: x.header.firstLsn.lsn, item: ownGap(x.header.firstLsn) };
        chainGaps.push(gap);
        ownLogGaps.push({ gap, file: x.file, position: x.position, prevLast: BigInt(prev.header.lastLsn.decimal), headerFirst: BigInt(x.header.firstLsn.decimal), restate: ownGap });
      }
      logFiles.push({ kind: 'bak', file: x.file, position: x.position });
      prev = x;
    }
  }

  // The set the log read ends with when no .ldf goes on past the backups (FileRecoverySource.logReadEnd)
  const lastOf = <T extends { header: BackupHeader }>(sets: T[]): T | undefined => sets.reduce<T | undefined>((m, x) => (!m || BigInt(x.header.lastLsn.decimal) > BigInt(m.header.lastLsn.decimal) ? x : m), undefined);
  const endSet = inputs.ldf ? undefined : trnSets.length ? lastOf(chain.sets) : lastOf(bakSets.filter((x) => logFiles.some((l) => l.kind === 'bak' && l.file === x.file && l.position === x.position)));
  const logReadEnd: LogReadEnd | null = endSet ? { file: endSet.file, position: endSet.position, kind: endSet.header.backupType, finished: endSet.header.backupFinishDate, started: endSet.header.backupStartDate, lastLsn: endSet.header.lastLsn.lsn } : null;
  // and the set it begins with (FileRecoverySource.logReadStart)
  const firstOf = <T extends { header: BackupHeader }>(sets: T[]): T | undefined => sets.reduce<T | undefined>((m, x) => (!m || BigInt(x.header.firstLsn.decimal) < BigInt(m.header.firstLsn.decimal) ? x : m), undefined);
  const startSet = inputs.ldf ? undefined : trnSets.length ? firstOf(chain.sets) : firstOf(bakSets.filter((x) => logFiles.some((l) => l.kind === 'bak' && l.file === x.file && l.position === x.position)));
  const setRef = (x: { file: string; position: number; header: BackupHeader }): LogReadEnd => ({ file: x.file, position: x.position, kind: x.header.backupType, finished: x.header.backupFinishDate, started: x.header.backupStartDate, lastLsn: x.header.lastLsn.lsn, firstLsn: x.header.firstLsn.lsn });
  // (full and differential backups given whose own log, not read beside log backups, begins before it)
  const ownLogNotRead = startSet && trnSets.length ? bakSets.filter((x) => x.header.backupType !== 'log' && BigInt(x.header.firstLsn.decimal) < BigInt(startSet.header.firstLsn.decimal)).map((x) => x.file) : [];
  const logReadStart: LogReadEnd | null = startSet ? { ...setRef(startSet), ...(ownLogNotRead.length ? { ownLogNotRead } : {}) } : null;
  // with an .ldf beside log backups: the first log backup set (FileRecoverySource.logBackupsStart)
  const backupsStartSet = inputs.ldf && trnSets.length ? firstOf(chain.sets) : undefined;
  const logBackupsStart: LogReadEnd | null = backupsStartSet ? setRef(backupsStartSet) : null;

  // Every file must belong to one database (binding id), checked once before anything is decoded.
  const notes: string[] = [...otherDatabaseNotes, ...leftOutSetNotes, ...givenTwice, ...unreadNotes, ...trailerNotes, ...laterSetDamageNotes];
  const identityNotes: string[] = [...otherDatabaseNotes, ...unreadLoudNotes];
  let identity: Promise<void> | null = null;
  const ids: SourceFileIdentity[] = [];
  const ensureOneDatabase = (): Promise<void> =>
    (identity ??= (async () => {
      for (const f of mdfs) ids.push(await readSourceIdentity(f, 'mdf'));
      // each backup set read: --bak's chosen one, every set of a --trn file (one may hold several databases' log backups)
      for (const f of baks) appendAll(ids, (await readSourceIdentities(f, 'bak', inputs.position)));
      if (inputs.ldf) ids.push(await readSourceIdentity(inputs.ldf, 'ldf'));
      for (const t of trn) appendAll(ids, (await readSourceIdentities(t, 'trn')));
      // a full/differential set of another database in a --trn file is left out (noted above), not checked
      const check = assertOneDatabase(withoutOtherDatabaseSets(ids).kept);
      if (ids.length > 1) {
        const unchecked = [...check.unchecked.map(uncheckedIdentityNote), ...check.otherNames];
        appendAll(identityNotes, unchecked);
        appendAll(notes, unchecked);
      }
    })());

  const description = [
    mdfs.length > 0 && `data file${mdfs.length > 1 ? 's' : ''} ${mdfs.join(', ')}`,
    baks.length > 0 && `backup ${baks.join(' + ')}`,
    ...logFiles.map((l) => `${l.kind} ${l.file}`),
  ].filter(Boolean).join(', ');

  /** Bytes of the distinct log files on disk (0 for a file that cannot be stat'ed: the read reports it). */
  function logFileBytes(): number {
    let n = 0;
    for (const f of new Set(logFiles.map((l) => l.file))) {
      try {
        n += statSync(f).size;
      } catch {
        // reported by the read itself
      }
    }
    return n;
  }

  /** `extra`: a further read (the update anchor's pass): counts and bad blocks stay those of the scan pass. */
  async function* readAll(signal?: AbortSignal, extra = false): AsyncGenerator<LogRecord> {
    for await (const batch of readAllBatches(signal, extra)) yield* batch;
  }

  /**
   * The log records of every log file in LSN order, one array per log block; only those `keep`
   * accepts are built (all when not given). `extra` as readAll.
   */
  /**
   * The log read's batches as they are, noting where the read crosses each chain gap the transactions
   * open then (openAtGap) and the first one begun past it (firstBeginPast), and where a read that
   * ends ends the transactions still open (openAtEnd).
   */
  async function* trackOpen(batches: AsyncIterable<LogRecord[]>): AsyncGenerator<LogRecord[]> {
    const openTxns = new Map<string, string>();
    const earliestOpen = (): string | null => [...openTxns.values()].sort()[0] ?? null;
    for await (const batch of batches) {
      for (const r of batch) {
        if (r.source?.stale) continue;
        if (chainGaps.length && (firstBeginPast.size < chainGaps.length || openAtGap.size < chainGaps.length)) {
          const at = r['Current LSN'].toLowerCase();
          for (const g of chainGaps) {
            const end = g.item.lsnRange?.last.toLowerCase();
            if (!end || at < end) continue;
            if (!openAtGap.has(end)) openAtGap.set(end, earliestOpen());
            if (!firstBeginPast.has(end) && r.Operation === LOP_BEGIN_XACT && r['Begin Time']) firstBeginPast.set(end, r['Begin Time']);
          }
        }
        if (r.Operation === LOP_BEGIN_XACT && r['Begin Time']) openTxns.set(r['Transaction ID'], r['Begin Time']);
        else if (r.Operation === LOP_COMMIT_XACT || r.Operation === LOP_ABORT_XACT) openTxns.delete(r['Transaction ID']);
      }
      yield batch;
    }
    openAtEnd = earliestOpen();
  }

  async function* readAllBatches(signal?: AbortSignal, extra = false, keep?: RecordKeep): AsyncGenerator<LogRecord[]> {
    if (!extra) pass++;
    const thisPass = pass;
    const stats = emptyLogScanStats();
    if (!extra) logStats = stats;
    current = stats;
    runPass++;
    if (runPass > runPasses) runPasses = runPass;
    // Bad blocks and lost LSN ranges are reported once per candidates() run: by its first read.
    const reporting = !extra && runPass === 1;
    // Two log backups meeting where a VLF ends: the later one's first block names the size of the
    // earlier one's last block of that VLF (chain-boundary.ts); a lost last block there is told
    // once, with the chain's breaks (beside an .ldf holding that log, a note: mergeLdfWithChain)
    if (reporting && !boundaryChecked && trnSets.length > 1) {
      boundaryChecked = true;
      appendAll(chainGaps, (await chainVlfBoundaryGaps(chain.sets.map((x) => ({ file: x.file, position: x.position, firstLsn: x.header.firstLsn.decimal, lastLsn: x.header.lastLsn.decimal, name: setName(x) })), signal)));
    }
    // a break between the backups' own logs said up to the later backup's FirstLSN, where its log
    // starts before it: RestoreTimeClean2.bak's FirstLSN is 19:ad:26, its log (read and scanned) from
    // 19:ad:1, and `--bak FULL DIFF` said 19:84:1 up to 19:ad:26 lost
    if (reporting && ownLogGaps.length) {
      for (const g of ownLogGaps.splice(0)) {
        const start = await backupLogFirstLsn(g.file, g.position);
        if (!start) continue;
        const at = BigInt(lsnToDecimal(start));
        if (at >= g.headerFirst) continue;
        const i = chainGaps.indexOf(g.gap);
        if (i < 0) continue;
        if (at <= g.prevLast) chainGaps.splice(i, 1);
        else chainGaps[i] = { from: g.gap.from, to: formatLsn(start), item: g.restate({ decimal: lsnToDecimal(start), lsn: formatLsn(start) }) };
      }
    }
    const opts: LogScanOptions = {
      signal,
      logFormat2IsSql2005: dbiVersion === SQL2005_DBI_VERSION,
      onSkipped: (s) => {
        if (reporting) skipped.push(s);
      },
    };
    // Consecutive log backups may both hold the block at their common LSN boundary: a record
    // at or below the highest LSN of the earlier backups is a repeat and is passed over.
    // (Printed LSNs are fixed-width lower-case hex, so they compare as strings.)
    let highest = '';
    let repeats = 0;
    // An .ldf (alone, or given with log backups: merged with them) is read block by block in LSN
    // order (mergeLdfWithChain, merged-log.ts); its counts of blocks read once though given twice.
    const counts = { ldfDuplicates: 0, staleCovered: 0 };
    /** An LSN within a backup set of the chain ([FirstLSN, LastLSN): LastLSN is the next backup's first). */
    const chainCovers = (lsn: string): boolean => trnSets.some((t) => t.firstLsn <= lsn && lsn < t.lastLsn);
    const ldfInput = logFiles.find((f) => f.kind === 'ldf');
    // An .ldf alone is read the same way, with no backups: in LSN order (its current blocks by VLF
    // sequence number, its stale blocks at their own LSNs), each LSN once. In file order, a log that
    // wrapped around the file (the oldest VLF not the first; every VLF reused once) gave the commit
    // of a transaction crossing the wrap before its rows, which then never committed: rows lost
    // with nothing said (SYNTHETIC test/logreader/ldf/vlf-sequences.test.ts); and log held twice
    // in a copied or damaged .ldf gave its rows twice (log-held-twice.test.ts).
    const merged = ldfInput !== undefined;
    // Merged read: the .ldf's lost stretches are held until the read ends (merged-log.ts: one the
    // backups' blocks read cover lost nothing).
    const holes = new LdfHoles(skipped);
    const onLdfSkipped = (s: SkippedItem): void => {
      if (!reporting) return;
      // where the file's log starts inside its oldest VLF (a restored database's): said, no loss
      if (s.code === LOG_STARTS_MID_VLF) notes.push(`${s.location.file ?? ''}: ${s.reason}`);
      // a VLF ending early (its last blocks may be lost unseen): a WARNING, a note where a log backup
      // given holds that whole LSN range (its blocks are read in the merged read)
      else if (s.code === LOG_VLF_ENDS_EARLY) {
        const said = vlfEndsEarlySaid(s, trnSets, 'its log there is read');
        const [into, line] = 'note' in said ? [notes, said.note] : [logWarnings, said.warning];
        if (!into.includes(line)) into.push(line);
      }
      else if (merged && (s.code === 'FORMAT_LOG_GAP' || s.code === 'FORMAT_BAD_LOG_BLOCK')) holes.hold(s);
      else skipped.push(s);
    };
    // Several log files: each is parsed on a worker thread (up to `threads` at once) and consumed
    // here in the same order, so everything below sees what the one-thread reader gives.
    // With ldfVlfRanges, one large .ldf is split into ranges of VLFs, each read by its own worker
    // (splitLdfs; beside backups only when its VLFs lie in the file in sequence order, since the
    // merge reads them by sequence number and the ranges are consecutive in the file).
    const split = inputs.ldfVlfRanges === true;
    const parallel = !extra && threads > 1 && (logFiles.length > 1 || (split && logFiles[0]?.kind === 'ldf')) && logFileBytes() >= (inputs.parallelMinBytes ?? PARALLEL_MIN_BYTES);
    const vlfOrder = merged ? ('sequence' as const) : undefined;
    // A backup's stats are its own until its read ends (as a worker's are), so the coverage check
    // sees where this backup's stream ends, not the .ldf's or another file's.
    const localEvents = async function* (l: LogFileInput): AsyncGenerator<LogFileEvent> {
      if (l.kind === 'ldf') {
        for await (const batch of readLdfRecordBatches(l.file, { ...opts, onSkipped: onLdfSkipped, ...(l.vlfOrder ? { vlfOrder: l.vlfOrder } : {}), ...(l.includeStale !== undefined ? { includeStale: l.includeStale } : {}) }, stats, keep, l.vlfs)) yield { type: 'batch', batch };
        return;
      }
      const own = emptyLogScanStats();
      let handedOver = false;
      inFlight = own;
      try {
        // its skipped items as events, in their place before the block that follows them (as a
        // worker posts them), so fileBatches sees them as it sees a worker's
        const queued: SkippedItem[] = [];
        for await (const batch of openBackupLogStream(l.file, l.kind, undefined, l.position).batches({ ...opts, onSkipped: (x) => queued.push(x) }, own, keep)) {
          for (const item of queued.splice(0)) yield { type: 'skipped', item };
          yield { type: 'batch', batch };
        }
        for (const item of queued.splice(0)) yield { type: 'skipped', item };
        inFlight = null;
        yield { type: 'done', stats: own };
        handedOver = true;
      } finally {
        if (inFlight === own) inFlight = null;
        // ended early (an abort, a stop): what was read still counts in the pass's stats
        if (!handedOver) mergeLogScanStats(stats, own);
      }
    };
    const open = (list: LogFileInput[]): AsyncGenerator<{ input: LogFileInput; events: AsyncIterable<LogFileEvent> }> =>
      parallel
        ? readLogFilesInParallel(list, threads, { keep, logFormat2IsSql2005: opts.logFormat2IsSql2005, signal })
        : (async function* () {
            for (const l of list) yield { input: l, events: localEvents(l) };
          })();

    /**
     * The batches of each file in turn, with its skipped items and stats taken in, and for a
     * backup the repeat check against the backups before it and, at its end, the check that its
     * stream covers its header's LSN range. Yields each block's built records with the block's
     * position (first 17 characters of its first LSN) and whether they are stale.
     */
    async function* fileBatches(files: AsyncGenerator<{ input: LogFileInput; events: AsyncIterable<LogFileEvent> }>): AsyncGenerator<PositionedLogBlock> {
      for await (const { input: l, events } of files) {
        if (signal?.aborted) return;
        logger?.debug({ file: l.file, kind: l.kind, pass: thisPass, threads: parallel ? threads : 1, ...(l.vlfs ? { vlfs: l.vlfs } : {}) }, 'reading log');
        const floor = highest;
        let firstRead: string | null = null;
        let fileEnd: LogScanStats['end'] = null;
        // Beside an .ldf, a backup's lost blocks (FORMAT_BAD_LOG_BLOCK, then the FORMAT_LOG_GAP from
        // the end of the block before them up to the next block read) are held until that next
        // block: the range they lost is then known, and the .ldf's current log may hold it (LdfHoles).
        // A damaged block no gap follows (the stream's first block) is held by the range the reader
        // gave it (from the header's FirstLSN up to the first block read).
        const pending: SkippedItem[] = [];
        const holdPending = (to: string | null): void => {
          const gap = pending.find((x) => x.code === 'FORMAT_LOG_GAP' && x.location.lsn);
          for (const x of pending) {
            // from where the gap's range starts (reader.ts widens it back to where the last block read
            // ends: VLF N's tail when the stream jumps to (N + 1) past 0x10, or when it lost (N + 1):0x10),
            // not its location (N + 1):0x10, which left N's tail out and an .ldf lacking it "held" it
            if (gap && to) holes.holdChainLoss(x, parseLsn(gap.lsnRange?.first ?? gap.location.lsn!), parseLsn(`${to}:0001`));
            else if (x.code === 'FORMAT_BAD_LOG_BLOCK' && x.lsnRange) holes.holdChainLoss(x, parseLsn(x.lsnRange.first), parseLsn(x.lsnRange.last));
            else skipped.push(x);
          }
          pending.length = 0;
        };
        try {
          for await (const ev of events) {
            // An abort ends the read here as it does inside the one-thread reader (workers stopped on the way out).
            if (signal?.aborted) return;
            if (ev.type === 'skipped') {
              if (l.kind === 'ldf') onLdfSkipped(ev.item);
              else if (merged && reporting && (ev.item.code === 'FORMAT_LOG_GAP' || ev.item.code === 'FORMAT_BAD_LOG_BLOCK')) pending.push(ev.item);
              else opts.onSkipped?.(ev.item);
              continue;
            }
            if (ev.type === 'done') {
              fileEnd = ev.stats.end;
              mergeLogScanStats(stats, ev.stats);
              continue;
            }
            const batch = ev.batch;
            const block = batch.firstLsn.slice(0, 17);
            if (l.kind === 'ldf') {
              holes.sawLdfBlock(block, batch.sectors ?? 0);
              yield { records: batch.records, block, sectors: batch.sectors ?? 0, stale: batch.records[0]?.source?.stale === true, kind: l.kind, file: l.file, ...(batch.offset !== undefined ? { offset: batch.offset } : {}) };
              continue;
            }
            if (pending.length) holdPending(block);
            firstRead ??= batch.firstLsn;
            // A record `keep` refused is refused again where a later backup repeats it, so the repeat
            // check over the built records alone drops the same records as one over all of them.
            let kept = batch.records;
            if (floor) {
              kept = [];
              for (const r of batch.records) {
                if (r['Current LSN'] <= floor) repeats++;
                else kept.push(r);
              }
            }
            // the highest LSN read from the backups, the records passed over among them included
            for (const r of batch.records) if (r['Current LSN'] > highest) highest = r['Current LSN'];
            yield { records: kept, block, sectors: batch.sectors ?? 0, stale: false, kind: l.kind, file: l.file };
          }
        } finally {
          // a read ended early (an abort, the consumer stopping): what is still held is a loss, as it was reported
          if (pending.length) appendAll(skipped, pending.splice(0));
        }
        if (l.kind === 'ldf') continue;
        // The stream must cover the LSN range its header states; what it lacks is reported once.
        // Bad blocks at the stream's end (no block read after them): held by the range the reader
        // gave them (from where the stream's last block ends up to the header's LastLSN).
        const badAtEnd = pending.splice(0);
        if (reporting && !signal?.aborted) {
          const key = `${l.file}#${l.position}`;
          let h = backupHeaders.get(key);
          if (!h) backupHeaders.set(key, (h = readBackupHeader(l.file, layoutOf(l.file), l.position)));
          const first = parseLsn(h.firstLsn.lsn);
          const last = parseLsn(h.lastLsn.lsn);
          const lost = backupLogCoverage({ file: l.file, backupType: h.backupType, firstLsn: first, lastLsn: last }, firstRead ? parseLsn(firstRead) : null, fileEnd);
          const cut = cutLogStreams.get(key);
          if (cut) {
            cutLogStreams.delete(key);
            // named with its set when the file holds several (the cut is its last set's: cutLogStream)
            const named = fileAndSet(l.file, layoutOf(l.file).sets > 1 ? l.position : undefined);
            const verdict = judgeCutLogStream(cut, { file: named, backupType: h.backupType, firstLsn: first, lastLsn: last }, lost);
            if (verdict.note !== null) notes.push(verdict.note);
            else skipped.push(verdict.loss);
          }
          for (const x of lost) {
            // Beside an .ldf, a range the .ldf's current log holds was read from it (merged-log.ts,
            // LdfHoles): held until the read ends. The range: the whole header's when nothing was
            // read, its start up to the first record read, or from where the stream ends to LastLSN.
            if (!merged) skipped.push(x);
            else if (x.code === 'FORMAT_LOG_STREAM_MISSING' || !firstRead) holes.holdChainLoss(x, first, last);
            else if (x.reason.startsWith('the log stream starts at')) holes.holdChainLoss(x, first, parseLsn(firstRead));
            else holes.holdChainLoss(x, parseLsn(x.location.lsn!), last);
          }
          for (const y of badAtEnd.splice(0)) {
            if (merged && y.lsnRange) holes.holdChainLoss(y, parseLsn(y.lsnRange.first), parseLsn(y.lsnRange.last));
            else skipped.push(y);
          }
        }
        appendAll(skipped, badAtEnd);
      }
    }

    if (!merged) {
      const all = split && parallel ? await splitLdfs(logFiles, threads, opts.logFormat2IsSql2005 ?? false, false) : logFiles;
      yield* trackOpen((async function* () {
        for await (const b of fileBatches(open(all))) if (b.records.length) yield b.records;
      })());
    } else {
      // Block by block in LSN order (merged-log.ts): the .ldf's current blocks (its VLFs by
      // sequence number, parsed where `threads` says), its stale blocks at their own LSNs, the backups' blocks.
      const ldfInputs: LogFileInput[] = [{ ...ldfInput, vlfOrder, includeStale: false }];
      const ldfSide = fileBatches(open(split && parallel ? await splitLdfs(ldfInputs, threads, opts.logFormat2IsSql2005 ?? false, true) : ldfInputs));
      const chainSide = fileBatches(open(logFiles.filter((f) => f.kind !== 'ldf')));
      const merging = trackOpen(mergeLdfWithChain({ ldf: ldfInput.file, ldfSide, chainSide, chainCovers, scan: opts, ...(keep ? { keep } : {}), stats, reporting, holes, skipped, notes, chainGaps, counts }));
      if (!reporting) yield* merging;
      else {
        // where the log read is whole from (logWholeFrom): the sequences covered, the first begin of each
        coveredSeqs = null;
        const seen = (beginBySeq = new Map<number, string>());
        const commits = (commitBySeq = new Map<number, string>());
        try {
          const layout = await readLdfLayout(ldfInput.file, { allowUnsupportedVersion: dbiVersion === SQL2005_DBI_VERSION });
          const covered = new Set(layout.vlfs.filter((v) => v.seq > 0).map((v) => v.seq));
          for (const t of trnSets) for (let q = parseInt(t.firstLsn.slice(0, 8), 16), end = parseInt(t.lastLsn.slice(0, 8), 16); q <= end; q++) covered.add(q);
          coveredSeqs = covered;
        } catch {
          // a layout the read itself reports as damaged: nothing judged here
        }
        for await (const batch of merging) {
          for (const r of batch) {
            if (r.source?.stale) continue;
            if (r.Operation === LOP_BEGIN_XACT && r['Begin Time']) {
              const q = parseInt(r['Current LSN'].slice(0, 8), 16);
              if (!seen.has(q)) seen.set(q, r['Begin Time']);
            } else if (r.Operation === LOP_COMMIT_XACT && r['End Time']) {
              const q = parseInt(r['Current LSN'].slice(0, 8), 16);
              if (!commits.has(q)) commits.set(q, r['End Time']);
            }
          }
          yield batch;
        }
      }
    }
    logger?.debug({ pass: thisPass, records: stats.records, bytes: stats.bytes, repeats, ...counts }, 'log read');
    // blocks with no log block checksum: damage inside them cannot be seen, and the DBA is told so
    if (reporting && stats.blocks > stats.checksummedBlocks) {
      const note = uncheckedBlocksNote(stats.blocks - stats.checksummedBlocks, stats.blocks, stats.uncheckedBlockList);
      if (!notes.includes(note)) notes.push(note);
    }
  }

  /**
   * The bytes one pass reads: what readLogRange covers — every VLF after its header (.ldf), the
   * MQTL payload ranges (.trn/.bak). Unknown (undefined) when a file cannot be laid out; the
   * scan itself then reports why.
   */
  async function logBytesPerPass(): Promise<number | undefined> {
    try {
      let total = 0;
      for (const l of logFiles) {
        if (l.kind === 'ldf') {
          const layout = await readLdfLayout(l.file, { allowUnsupportedVersion: dbiVersion === SQL2005_DBI_VERSION });
          for (const v of layout.vlfs) total += Math.max(0, v.size - VLF_FIRST_BLOCK_OFFSET);
        } else {
          total += openBackupLogStream(l.file, l.kind, undefined, l.position).bytes;
        }
      }
      return total;
    } catch {
      return undefined;
    }
  }

  return {
    description,
    // metadata() reads the data files when given, else the backup (a .bak given beside --mdf is read for its log)
    ...(mdfs.length ? { catalogOwner: "the data file's" } : baks.length ? { catalogOwner: "the backup's" } : {}),
    progress(): SourceProgress {
      return {
        bytesRead: current.bytes + (inFlight?.bytes ?? 0),
        ...(bytesPerPass !== undefined ? { bytesTotal: bytesPerPass } : {}),
        recordsRead: current.records + (inFlight?.records ?? 0),
        pass: runPass,
        passes: runPasses,
      };
    },
    get logStats() {
      return logStats;
    },
    get scanStats() {
      return scanStats;
    },
    committedStats: () => scanStats,
    notes,
    identityNotes,
    headerWarnings,
    logWarnings,
    chainGapTimes(item: SkippedItem): { after?: string; before?: string; priorBy?: string; laterFrom?: string } | undefined {
      if (item.code !== 'FORMAT_LOG_CHAIN_GAP' || !item.lsnRange) return undefined;
      const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
      const { first, last } = item.lsnRange;
      const prevTrn = trnSets.find((t) => same(t.lastLsn, first));
      const prevBak = prevTrn ? undefined : bakSets.find((x) => same(x.header.lastLsn.lsn, first));
      // A clock set back: a log read whose commit times run backwards, or whose first transaction
      // begun past the stretch began before the backup before it did (its log was cut after that
      // start, so only a clock stepped back in the stretch puts it earlier). The stretch's times, the
      // backups' dates and the read's own are then of a clock that may have stepped there: no time
      // bounds it (its LSNs still do). A window of the times repeated after a step of 60 seconds in a
      // missing log backup, before the backup before it began, was judged wholly outside the gap
      // holding its rows: printed as whole (SYNTHETIC: chain-gap-clock-back.test.ts)
      const startedAt = prevTrn?.started ?? prevBak?.header.backupStartDate ?? undefined;
      const pastAt = exportTimeIso(firstBeginPast.get(last.toLowerCase()) ?? null);
      if (scanStats.clockBackwards || (startedAt !== undefined && pastAt !== null && localMs(pastAt) < localMs(startedAt))) return {};
      // transactions begun before the backup before it and open when the read crossed it may have row
      // operations in the stretch too: after the earliest of those (none known: no time bound)
      const open = openAtGap.get(last.toLowerCase());
      const started = prevTrn?.started ?? prevBak?.header.backupStartDate ?? undefined;
      const openSince = open ? exportTimeIso(open) ?? undefined : undefined;
      const after = open === undefined || started === undefined ? undefined : openSince !== undefined && localMs(openSince) < localMs(started) ? openSince : started;
      // every transaction begun before the stretch began by the end of the backup before it
      const priorBy = prevTrn?.finished ?? prevBak?.header.backupFinishDate ?? undefined;
      const nextTrn = trnSets.find((t) => same(t.firstLsn, last));
      // a full or differential backup's log starts before its header's FirstLSN (the break then ends
      // where its stream's first block starts, the item naming that backup)
      const nextBak = nextTrn ? undefined : bakSets.find((x) => x.header.backupType !== 'log' && (same(x.header.firstLsn.lsn, last) || x.file === item.location.file));
      const given = nextTrn ? nextTrn.started ?? undefined : nextBak?.header.backupFinishDate ?? undefined;
      // every transaction begun in the stretch began at or before the first one begun past it (the log read's, in LSN order)
      // (not on a log read whose clock was set back: a stretch's times may then be later than it)
      const firstPast = scanStats.clockBackwards ? undefined : exportTimeIso(firstBeginPast.get(last.toLowerCase()) ?? null) ?? undefined;
      const before = given === undefined ? firstPast : firstPast === undefined ? given : localMs(firstPast) < localMs(given) ? firstPast : given;
      return { ...(after ? { after } : {}), ...(before ? { before } : {}), ...(priorBy ? { priorBy } : {}), ...(firstPast ? { laterFrom: firstPast } : {}) };
    },
    logNotGiven(): LogNotGiven[] {
      const later = (a: string | undefined, b: string | null): string | undefined => (b === null || (a !== undefined && !(localMs(b) > localMs(a))) ? a : b);
      const earlier = (a: string | undefined, b: string | null): string | undefined => (b === null || (a !== undefined && !(localMs(b) < localMs(a))) ? a : b);
      // a log read whose clock was set back: no time bounds a stretch (chainGapTimes); the one after
      // the read took its start from the largest Begin Time read, not the last in log order
      if (scanStats.clockBackwards) return notGiven.map((s) => ({ clause: s.clause, ...(s.lsnRange ? { lsnRange: s.lsnRange } : {}) }));
      return notGiven.map(({ afterLastBegin, beforeFirstBegin, ...s }) => {
        // (and before the earliest begin of the transactions still open where the read ended: they may
        // have row operations in the stretch; the read not ended: no time bound)
        const after = afterLastBegin ? (openAtEnd === undefined ? undefined : earlier(later(s.after, exportTimeIso(scanStats.lastBeginTime)), exportTimeIso(openAtEnd))) : s.after;
        const before = beforeFirstBegin ? earlier(s.before, exportTimeIso(scanStats.startBeginTime ?? null)) : s.before;
        return { clause: s.clause, ...(s.lsnRange ? { lsnRange: s.lsnRange } : {}), ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}), ...(s.priorBy ? { priorBy: s.priorBy } : {}), ...(s.laterFrom ? { laterFrom: s.laterFrom } : {}) };
      });
    },
    async fileIdentities(): Promise<SourceFileIdentity[]> {
      await ensureOneDatabase();
      return ids;
    },
    get databaseVersion() {
      return dbiVersion;
    },
    get databaseCreated() {
      return databaseCreated;
    },
    get databaseCollation() {
      return databaseCollation;
    },
    get databaseCollationId() {
      return databaseCollationId;
    },
    get databaseCheckpointLsn() {
      return databaseCheckpointLsn;
    },
    logBackupHeaders,
    /**
     * RecoverySource.catalogChanges for files: only `columnstore` (the clustered columnstore tables
     * the last candidates() read); no modify dates (the catalog is the data file's snapshot, not the
     * server's now: rebuilt tables are judged otherwise). Null before a scan.
     */
    catalogChanges(): CatalogChanges | null {
      return readColumnstore === null ? null : { tables: [], logReadFrom: null, ...(readColumnstore.length ? { columnstore: readColumnstore } : {}) };
    },
    logReadEnd,
    logReadStart,
    logBackupsStart,
    get logWholeFrom(): LogWholeFrom | null {
      if (!coveredSeqs || !beginBySeq || coveredSeqs.size === 0) return null;
      // maxOf, not Math.max(...coveredSeqs): more VLFs than V8 takes arguments (~120,000) threw RangeError
      let lo = maxOf(coveredSeqs);
      while (coveredSeqs.has(lo - 1)) lo--;
      const older = [...coveredSeqs].filter((q) => q < lo).sort((a, b) => a - b);
      if (!older.length) return null;
      // the first begin and the first commit past the break in log order (each map keeps a
      // sequence's first, read in LSN order), not the smallest times: on a log whose clock was set
      // back later, the smallest commit (a transaction after the step) was taken as where the log
      // read is whole, and a window starting between it and the first transaction past the break
      // said nothing (test/cli/scan-window-whole-log-clock-back.test.ts)
      const firstSeq = (m: Map<number, string> | null): number | null => {
        let f: number | null = null;
        for (const q of m?.keys() ?? []) if (q >= lo && (f === null || q < f)) f = q;
        return f;
      };
      const first = firstSeq(beginBySeq);
      const commit = firstSeq(commitBySeq);
      return { seq: lo, firstBeginTime: first === null ? null : beginBySeq.get(first)!, firstCommitTime: commit === null ? null : commitBySeq!.get(commit)!, firstCommitSeq: commit, older };
    },
    async metadata(): Promise<MetadataCatalog> {
      if (catalog) return catalog;
      await ensureOneDatabase();
      if (mdfs.length === 0 && baks.length === 0) {
        // a full backup set left out of a --trn file (everything appended to one file) is the
        // metadata at hand: named first, as the way on the CLI takes (--bak F --position N)
        const full = inputs.backupAdvice?.noMetadata === undefined ? leftOutSets.find((x) => x.header.backupType === 'full' && !otherDatabaseSets.has(`${x.file}#${x.position}`)) : undefined;
        const atHand = full ? `${fileAndSet(full.file, full.position)} is a full backup of this database: give --bak ${shellPath(full.file)} --position ${full.position} beside --trn; or ` : '';
        throw new InputError('INPUT_NO_METADATA', `no table metadata: ${atHand}${inputs.backupAdvice?.noMetadata ?? NO_METADATA_ADVICE}`);
      }
      const api = await loadDatafile();
      pageSource = mdfs.length ? api.openDataFiles(mdfs) : openBackupPages(baks, inputs.position, assertBackupSet, inputs.backupAdvice);
      // a data file cut short where the catalog does not reach: said, as inspect says it (a page past the cut is a skipped item)
      appendAll(notes, pageSource.cutShortNotes?.() ?? []);
      lobs = api.lobResolver(pageSource);
      const meta = api.readDataFileMetadata(pageSource);
      dbiVersion = meta.database?.version ?? null;
      databaseName = meta.database?.name ?? null;
      databaseCreated = meta.database?.created ?? null;
      databaseCollation = meta.database?.collation ?? null;
      databaseCollationId = meta.database?.collationId ?? null;
      databaseCheckpointLsn = meta.database?.checkpointLsn ?? null;
      // a data file (or backup) and an .ldf of one database but of different times: said even with
      // --quiet (identityNotes), as a file whose database could not be checked is
      // (the .ldf as the only log: log backups given beside it may cover what it lacks)
      if (inputs.ldf && trn.length === 0 && meta.database) {
        const time = await dataFileLogTime({ file: mdfs[0] ?? baks[0]!, role: mdfs.length ? 'mdf' : 'bak', checkpointLsn: meta.database.checkpointLsn }, inputs.ldf, { allowLogVersion2: dbiVersion === SQL2005_DBI_VERSION });
        const timeNote = time?.note;
        if (timeNote && !identityNotes.includes(timeNote)) {
          identityNotes.push(timeNote);
          notes.push(timeNote);
          // the data file or backup newer: the stretch from the log file's end (after its last
          // Begin Time) to the data file's time (a backup's: before it finished; a data file's: not known)
          if (time.newerFrom !== null) {
            const bak = mdfs.length ? undefined : bakSets.reduce<(typeof bakSets)[number] | undefined>((m, x) => (x.header.backupType !== 'log' && (!m || BigInt(x.header.lastLsn.decimal) > BigInt(m.header.lastLsn.decimal)) ? x : m), undefined);
            notGiven.push({ clause: timeNote, lsnRange: { first: time.newerFrom, ...(bak ? { last: bak.header.lastLsn.lsn } : {}) }, ...(bak?.header.backupFinishDate ? { before: bak.header.backupFinishDate } : {}), afterLastBegin: true });
          }
        }
      }
      // A data file newer than the log backups given with it (no .ldf): its last checkpoint is past
      // the chain's end (LastLSN: the first LSN not in the last log backup), so the database went on
      // after the log read ends, and what it did then, deletes among them, is in no file given. A
      // newer --bak is said so (unreadNotes above); `--mdf DATA.mdf --trn` of last night's log
      // backups beside this morning's data file said nothing, and printed last night's rows as the
      // whole answer.
      if (!inputs.ldf && trnSets.length && mdfs.length && meta.database?.checkpointLsn) {
        let ck: bigint | null = null;
        try {
          ck = BigInt(lsnToDecimal(parseLsn(meta.database.checkpointLsn)));
        } catch {
          ck = null;
        }
        const last = trnSets.reduce((m, t) => (BigInt(t.last) > BigInt(m.last) ? t : m), trnSets[0]!);
        const first = trnSets.reduce((m, t) => (BigInt(t.first) < BigInt(m.first) ? t : m), trnSets[0]!);
        // A data file older than every log backup given: its last checkpoint before the chain's
        // FirstLSN. Its table layouts are of before what the log records (a table created, altered
        // or rebuilt since is not as it describes it), as an .ldf beside an older data file is said
        // (dataFileLogTime); with log backups it was not: `--mdf LAST-MONTH.mdf --trn` of this week's
        // log backups said nothing. A note: nothing of the log is missing.
        if (ck !== null && ck > 0n && ck < BigInt(first.first)) {
          const note = `data file ${mdfs[0]} and the log backups given are of different times: the data file's last checkpoint at LSN ${meta.database.checkpointLsn} (boot page dbi_checkptLSN) is before every record they hold (${first.file} starts at ${first.firstLsn}), so the data file is older than the log (a copy of another time): its table layouts and pages are of before what the log records (a table created, altered or rebuilt since is not as the data file describes it); give the data file of the same time as the log, or a full backup of that time with --bak`;
          if (!identityNotes.includes(note)) {
            identityNotes.push(note);
            notes.push(note);
          }
        }
        if (ck !== null && ck > 0n && ck >= chainEnd) {
          const note = `data file ${mdfs[0]} holds the database up to its last checkpoint at LSN ${meta.database.checkpointLsn} (boot page dbi_checkptLSN), after the end of the log backups given (${last.file} ends at ${last.lastLsn}): the rows deleted or changed between are in no file given and not in this result; add the later log backups with ${TRN}, or the .ldf with ${LDF}, to see them`;
          if (!identityNotes.includes(note)) {
            identityNotes.push(note);
            notes.push(note);
            // after the last log backup's log was cut (after its start and the log read's last begin); its end not known
            notGiven.push({ clause: note, lsnRange: { first: last.lastLsn }, ...(last.started ? { after: last.started } : {}), afterLastBegin: true });
          }
        }
      }
      for (const p of meta.principals ?? []) if (p.sid && p.sid !== '0x00') principals.set(p.sid.toUpperCase(), { name: p.name, type: p.type });
      for (const s of meta.skipped ?? []) skipped.push(s);
      catalogAsOf = meta.database?.checkpointLsn ?? null;
      // Per partition: a row is decoded with its own partition's layout (compression may differ).
      catalog = catalogFromLayouts(meta.partitionLayouts);
      // units the catalog names for no table's data (indexes, internal tables): not a table it lacks
      const other = meta.otherAllocUnits;
      if (other) catalog = { ...catalog, namesOtherUnit: (id) => other.has(id) };
      logger?.debug({ tables: meta.tables.length }, 'metadata read');
      return catalog;
    },
    /**
     * `catalogOverride`: metadata given by the user (--schema/--ddl) instead of the files'; needed
     * when only log files are given, since the row operations are matched to tables through it.
     */
    candidates(filter: ScanFilter, signal?: AbortSignal, catalogOverride?: MetadataCatalog): AsyncIterable<RowCandidate> {
      const self = this;
      return (async function* () {
        for await (const batch of self.candidateBatches!(filter, signal, catalogOverride)) yield* batch;
      })();
    },
    /** {@link candidates} in arrays (committedCandidateBatches: a log block's commits at a time). */
    candidateBatches(filter: ScanFilter, signal?: AbortSignal, catalogOverride?: MetadataCatalog): AsyncIterable<RowCandidate[]> {
      const self = this;
      return (async function* () {
        await ensureOneDatabase();
        const cat = catalogOverride ?? (await self.metadata());
        // the clustered columnstore tables read, for the verdict (rebuilt-tables.ts columnstoreTablesClause)
        readColumnstore = columnstoreTables(filter.tables?.length ? filter.tables.map((t) => cat.byName(t)).filter((t): t is TableLayout => t !== undefined) : cat.tables());
        scanStats = emptyStats();
        current = emptyLogScanStats();
        runPass = 0;
        runPasses = 1; // committedCandidates reads the log once (the update anchor may add a pass)
        bytesPerPass ??= await logBytesPerPass();
        // --op update: follow every touched page's slots over pass 2 so each modify gets its base row.
        const wantsUpdates = filter.operations.includes('update');
        if (wantsUpdates && !pageSource && (mdfs.length || baks.length)) await self.metadata();
        // A page the log first touches right after the state the data file/backup holds starts known.
        const pages = pageSource;
        const seed = pages ? (id: string) => pageSlots(readPageById(pages, id), id) : undefined;
        const model = wantsUpdates ? new PageSlotModel(seed ? { seed } : {}) : null;
        // Updates with no base in the log wait for a third pass anchored on the data file's pages
        // (page-model-anchor.ts); they are yielded after the others. Bounded: each holds its record.
        const pending: RebuildCandidate[] = [];
        // Rows logged after an ALTER of their table that the catalog predates are refused
        // (layout-changes.ts): the files' own catalog, as of its last checkpoint; a --schema one
        // (of no known time) when it evidently lacks the change's column ids (a --ddl script names
        // no object or partition id: never so judged)
        const asOf = !catalogOverride ? catalogAsOf : null;
        const catalogOf = catalogOverride ? (inputs.backupAdvice?.layoutInputs ? 'the catalog given in "metadata"' : 'the catalog given with --schema') : `the catalog of ${basename(mdfs[0] ?? baks[0] ?? '')}`;
        const layoutWatch = {
          layoutsAsOf: asOf,
          layoutsSqlServer2005: dbiVersion === SQL2005_DBI_VERSION,
          onLayoutChanged: (c: RowCandidate, change: LayoutChange) => {
            const img = c.record['RowLog Contents 0'];
            skipped.push({
              code: 'SOURCE_SCHEMA_DRIFT',
              reason: layoutChangeReason(change, c.record['Current LSN'], catalogOf, asOf, inputs.backupAdvice?.layoutInputs),
              location: { ...(c.record.source?.file ? { file: c.record.source.file } : {}), ...(c.record.source?.offset !== undefined ? { offset: c.record.source.offset } : {}), lsn: c.record['Current LSN'], table: change.table },
              ...(img ? { raw: Buffer.from(img).toString('hex').toUpperCase() } : {}),
              layoutChange: { lsn: change.lsn, transactionId: change.transactionId, endTime: change.endTime },
            });
          },
        };
        for await (const batch of committedCandidateBatches((keep) => readAllBatches(signal, false, keep), filter, cat, { stats: scanStats, holdBudgetBytes: inputs.holdBudgetBytes, spillDir: inputs.spillDir, ...layoutWatch, ...(model ? { onRecord: (r: LogRecord) => model.apply(r) } : {}) })) {
          if (!model) {
            yield batch;
            continue;
          }
          const now: RowCandidate[] = [];
          for (const c of batch) {
            const rb = (c as RebuildCandidate).rebuild;
            if (pageSource && rb?.kind === 'skipped' && rb.code === RECOVER_UPDATE_NO_BASE && pending.length < MAX_ANCHORED_UPDATES) pending.push(c);
            else now.push(c);
          }
          if (now.length) yield now;
        }
        if (pending.length && pageSource && !signal?.aborted) {
          logger?.debug({ updates: pending.length }, 'anchoring updates on the data file');
          const anchored = await anchorOnDataFile(pending, () => readAll(signal, true), pageSource);
          for (let i = 0; i < anchored.length; i += CANDIDATE_BATCH) yield anchored.slice(i, i + CANDIDATE_BATCH);
        } else {
          for (let i = 0; i < pending.length; i += CANDIDATE_BATCH) yield pending.slice(i, i + CANDIDATE_BATCH);
        }
      })();
    },
    // a cut log stream whose file's read never reached its coverage check (aborted, or not read): a loss
    skipped: () => {
      const all = cutLogStreams.size ? [...skipped, ...cutLogStreams.values()] : skipped;
      return chainGaps.length ? [...chainGaps.map((g) => g.item), ...all] : all;
    },
    databaseName(): string | null {
      return databaseName;
    },
    databasePrincipalOf(sid: Uint8Array): { name: string; type: string } | null {
      if (principals.size === 0) return null;
      return principals.get('0X' + Buffer.from(sid).toString('hex').toUpperCase()) ?? null;
    },
    resolveOffRow(row: RecoveredRow, table: TableLayout): RecoveredRow {
      if (!lobs || !pageSource) return row;
      const pagesName = basename(mdfs[0] ?? baks[0]!);
      const warnings = [...row.warnings];
      // An insert writes its LOB fragments just before its row (same transaction): the root page's m_lsn
      // being lower than the row's LSN says nothing there (Database2: LOB at …:0250:0004, row at …:0250:0005).
      const since = row.operation === 'insert' ? undefined : row.lsn;
      const values = lobs(Buffer.from(row.raw, 'hex'), table, row.values, warnings, pagesName, since);
      const after = row.after && row.rawAfter ? lobs(Buffer.from(row.rawAfter, 'hex'), table, row.after, warnings, pagesName, since) : row.after;
      if (values === row.values && after === row.after) return row;
      return { ...row, values, ...(after ? { after } : {}), warnings };
    },
    async close(): Promise<void> {
      pageSource?.close();
      pageSource = null;
      lobs = null;
    },
  };
}

/**
 * The log files for the parallel reader, each .ldf of two VLFs or more split into up to
 * 2 × `threads` consecutive ranges of VLFs of about equal bytes (file order, as readLdfRecordBatches
 * reads them), so one large .ldf is parsed on several workers; read one after another, the ranges
 * give what one read of the file gives. With `sequenceOrderOnly` (an .ldf read by VLF sequence
 * number), an .ldf whose VLFs are not in sequence order in the file (the log wrapped) stays
 * whole. An .ldf whose layout cannot be read stays whole: its reader reports why, as the
 * one-thread scan does.
 */
async function splitLdfs(files: LogFileInput[], threads: number, logFormat2IsSql2005: boolean, sequenceOrderOnly: boolean): Promise<LogFileInput[]> {
  const out: LogFileInput[] = [];
  for (const f of files) {
    if (f.kind !== 'ldf') {
      out.push(f);
      continue;
    }
    let sizes: number[];
    try {
      const vlfs = (await readLdfLayout(f.file, { allowUnsupportedVersion: logFormat2IsSql2005 })).vlfs;
      // read by sequence number (beside backups): ranges of the file are that order only when the file is
      if (sequenceOrderOnly && vlfs.some((v, i) => i > 0 && v.seq <= vlfs[i - 1].seq)) {
        out.push(f);
        continue;
      }
      sizes = vlfs.map((v) => v.size);
    } catch {
      out.push(f);
      continue;
    }
    const groups = Math.min(sizes.length, 2 * threads);
    if (groups < 2) {
      out.push(f);
      continue;
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    let from = 0;
    let acc = 0;
    let made = 0;
    for (let i = 0; i < sizes.length; i++) {
      acc += sizes[i];
      // cut once this range holds its share of the bytes; the last range takes the rest
      if (i === sizes.length - 1 || (made < groups - 1 && acc >= total / groups)) {
        out.push({ ...f, vlfs: { from, to: i + 1 } });
        made++;
        from = i + 1;
        acc = 0;
      }
    }
  }
  return out;
}

/** Whether two paths name one file (two spellings of a path, a link): by real path, else as written. */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
