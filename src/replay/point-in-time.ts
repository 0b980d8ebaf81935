/**
 * Offline point-in-time of one table from backup files alone: the table as it stood at a stop
 * point (a local time, STOPAT, or just before an LSN, STOPBEFOREMARK), built the way RESTORE …
 * WITH STOPAT builds it, without a SQL Server. Several tables at one point (replayTablesAt) read
 * the chain once: the headers planned, the base pages opened and the metadata read once, and one
 * pass over the log records feeds each table's replay (its own rows, counts and refusals).
 *
 * 1. Chain: the given backups' own headers (src/restore/history.ts) are planned with
 *    `planChain` (src/restore/chain.ts): the full backup, the differential based on it when one
 *    ends before the stop point, and the unbroken run of log backups that reaches it. Gaps,
 *    a stop point outside the reachable range and boundaries a header cannot settle are refused
 *    there, naming the reachable range. Every file must be of one database (binding id,
 *    src/recover/source-identity.ts).
 * 2. Base: the table's rows on the base's pages (full backup, differential pages over it), read
 *    by `readTableRows` (src/datafile/table-rows.ts).
 * 3. Log: the base backup's own log portion (its first_lsn to last_lsn: the part RESTORE redoes to
 *    make the copied pages consistent, FORMAT-NOTES §MTF, Microsoft Learn "Full database backups":
 *    "enough of the transaction log is backed up to allow recovering the database"), then each log
 *    backup's records from where the previous file ended, in LSN order, up to the stop point:
 *    - time: RESTORE STOPAT stops at the first LOP_COMMIT_XACT whose End Time is later than T;
 *      nothing from that record on is applied (so, with commit times rising through the log, a
 *      transaction counts iff its commit time is ≤ T);
 *    - LSN: records at and after the LSN are not applied.
 * 4. Redo/undo, as crash recovery does: a row operation of the table that is not yet on the base
 *    pages (every log-backup record; a record of the base's own log portion whose LSN is later
 *    than its page's m_lsn in the backup) is redone when its transaction committed before the stop
 *    point; a row operation already on the base pages whose transaction had not committed by the
 *    stop point (an uncommitted change the backup copied) is undone. Transactions that rolled back
 *    (LOP_ABORT_XACT) are complete in the log: their compensation records are redone with them.
 *
 * Rows are kept by content (row-state.ts), so page splits and moved rows need no bookkeeping (the
 * row operations of a 'SplitPage' transaction only move rows and are not replayed);
 * every redone delete and every undone insert must find its row, or the replay refuses (it has
 * diverged from the real table).
 *
 * Refused with ReplayError (exit 2), naming the LSN, the operation and the reason — never a
 * possibly wrong table:
 * - REPLAY_UNSUPPORTED_OPERATION: an operation code the log reader does not know (LOP_UNKNOWN_n: its
 *   record names no page or allocation unit, so it may be the table's), an operation on the table's
 *   data pages whose effect on rows is
 *   not known (not insert/delete/modify or a page-structure operation), or on its LOB/row-overflow
 *   pages, or a transaction named like DDL or a bulk operation (TRUNCATE, ALTER, DROP, BULK…)
 *   touching the table's pages or writing catalog rows that hold the table's object, partition or
 *   allocation unit id: such changes move or drop rows without row records (DDL naming none of
 *   them is listed in ReplayStats.ddlElsewhere);
 * - REPLAY_NO_FULL_IMAGE: LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS whose full before image the page
 *   model (src/recover/page-model.ts) cannot supply;
 * - REPLAY_UNSUPPORTED_RECORD: a logged image that is not a primary FixedVar record (a forwarded
 *   record, a row-compressed CD record), or a value kept off-row (its LOB pages are not followed);
 * - REPLAY_ROW_NOT_FOUND: a delete or undo whose row is not in the replayed table;
 * - REPLAY_UNDECODABLE: a row of the base or of the log that does not decode against the layout;
 * - REPLAY_BASE_PAGE_UNKNOWN: a record of the base's own log portion whose page is not in the backup;
 * - REPLAY_LOG_OUT_OF_ORDER: records not in rising LSN order (every rule above depends on it);
 * - REPLAY_LOG_DAMAGED: log the replay reads that could not be read (a torn, zeroed or cut block, an
 *   LSN gap, a stream shorter than its header): the lost records may be the table's.
 */
import { otherSchemaNamesakes, unknownTableHint } from '../reconstruct/metadata/names.js';
import { FormatError, InputError, ReplayError, SchemaError, isRowbackError, rewordMessage, type RowbackError } from '../errors.js';
import { LOP } from '../logreader/ldf/constants.js';
import { openBackupLogStream } from '../backup/log-stream.js';
import { chainVlfBoundaryGaps } from '../backup/chain-boundary.js';
import { openBackupPages, choosePosition, sameBackupSetTwice } from '../backup/open.js';
import { readBackupHeader } from '../backup/header.js';
import { lastEnding, logSetsEndingPast } from '../backup/later-log-sets.js';
import { BACKUP_HEADER_WARNING, headerCopiesProblem, headerWarnings, readMtfLayout, type MtfLayout } from '../backup/mtf.js';
import { readDataFileMetadata } from '../datafile/metadata.js';
import { PageReader, pageFileOf, pageFromMemo, type PageReadStats } from '../datafile/page-reader.js';
import type { PageSource } from '../datafile/page-source.js';
import { parsePageHeader } from '../datafile/page.js';
import { RecordType, recordTypeOf } from '../datafile/record.js';
import { findTable, readTableRows } from '../datafile/table-rows.js';
import {
  LCX_CLUSTERED, LCX_HEAP, LCX_MARK_AS_GHOST, LOP_ABORT_XACT, LOP_BEGIN_XACT, LOP_COMMIT_XACT, LOP_DELETE_ROWS, LOP_INSERT_ROWS,
  LOP_DELETE_SPLIT, LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW, type LogRecord,
} from '../logreader/log-record.js';
import { formatLsn, lsnFromDecimal, lsnToDecimal, parseLsn } from '../logreader/lsn.js';
import { decodeRow } from '../reconstruct/decode-row.js';
import { hasDriftWarning } from '../reconstruct/record/layout-warnings.js';
import { visibleColumns, type TableLayout } from '../reconstruct/metadata/table-layout.js';
import { isPagedOffRow, type SqlValue } from '../reconstruct/values.js';
import { PageSlotModel } from '../recover/page-model.js';
import { columnKeysOf, LayoutChangeWatch, SQL2005_CATALOG_DBI_VERSION } from '../recover/layout-changes.js';
import { pageSlots, readPageById } from '../recover/page-model-anchor.js';
import { assertBackupSet, assertOneDatabase, ofAnotherDatabase, otherDatabaseSetsNotes } from '../recover/source-identity.js';
import { beginTimeToIso } from '../recover/time-window.js';
import { CommitClock } from '../recover/commit-clock.js';
import { lookAheadInLaterLogBackups, StopTimeLookAhead, stopTimeClockWarning } from './stop-time-clock.js';
import type { UpdateRebuild } from '../recover/update-rebuild.js';
import { addLogCommitTimes, backupSetName, isTrailerOnlyDamage, lsnCmp, recordFromHeader, type BackupSetRecord } from '../restore/history.js';

/** A backup set's identity among those given: its file and position (several sets appended to one file WITH NOINIT). */
const setKey = (x: BackupSetRecord): string => `${x.devices[0]}#${x.position}`;
import { asStopAtTarget } from '../restore/target.js';
import { copiesNote } from '../restore/copies-note.js';
import { planChain, type ChainStep, type RestoreChain, type RestoreTarget } from '../restore/chain.js';
import { catalogDamage, catalogDamageSubject, LOG_LOSS_CODES, type SkippedItem } from '../recover/source.js';
import { backupLogCoverage, cutLogStream, judgeCutLogStream } from '../backup/log-coverage.js';
import { oneNumberForEveryFile, positionOf } from '../backup/set-position.js';
import { emptyLogScanStats, UNCHECKED_BLOCKS_NAMED, uncheckedBlocksNote, type UncheckedLogBlock } from '../logreader/ldf/reader.js';
import { RowState, type ReplayRow } from './row-state.js';
import { pickOwn } from '../util/own-keys.js';
import { realPath } from '../util/files.js';
import { appendAll } from '../util/append-all.js';
import { stagedTableName, tableListText } from '../util/tsql.js';
import { shellPath } from '../util/shell-word.js';

export interface ReplayInputs {
  /** Full backup, optionally followed by differential backups based on it (.bak; the set `position` picks in each, or its only one). */
  bak: string[];
  /**
   * The backup set of each `bak` file to read (RESTORE … WITH FILE = n; 1-based): needed for a file of
   * several sets (appended WITH NOINIT), which is refused without it (INPUT_SEVERAL_BACKUP_SETS).
   */
  position?: number | readonly number[];
  /** The option that gave `position`, as refusals name it (`--position`, diff's `--after-position`). */
  positionFlag?: string;
  /** Log backups (.trn), any order: every log backup set of each file (several appended WITH NOINIT) is a member of the chain planned from their headers. */
  trn: string[];
  /** `schema.name`. */
  table: string;
  target: RestoreTarget;
  /** Aborted (Ctrl-C): the log reading stops and the replay throws the signal's reason, never a table from part of the log. */
  signal?: AbortSignal;
}

/** A ReplayStats with nothing counted yet and `baseRows` rows on the base pages (the replay's and the base's own-log check's start). */
export function emptyReplayStats(baseRows: number): ReplayStats {
  return { baseRows, redone: { insert: 0, delete: 0, update: 0 }, undone: 0, committedTransactions: 0, openAtStop: 0, lastCommitTime: null, stoppedAt: null, records: 0, baseLogOps: { total: 0, inBase: 0 }, ddlElsewhere: [], movedRows: 0 };
}

/**
 * The m_lsn (`n:n:n` hex, as parsePageHeader gives it) of a page of the base backup `pages` by page
 * id (`file:page`), null when the backup holds no such page; each page read once (a Map per call).
 * The redo rule's "already on the copied page" (LogReplay) is judged by it.
 */
export function basePageLsnMemo(pages: PageSource): (pageId: string) => string | null {
  const pageLsn = new Map<string, string | null>();
  return (pageId) => {
    if (!pageLsn.has(pageId)) {
      const raw = readPageById(pages, pageId);
      pageLsn.set(pageId, raw ? parsePageHeader(raw).lsn : null);
    }
    return pageLsn.get(pageId)!;
  };
}

export interface ReplayStats {
  /** Rows of the table on the base backup's pages. */
  baseRows: number;
  /** Row operations of the table redone (not on the base pages, committed before the stop point), by kind. */
  redone: { insert: number; delete: number; update: number };
  /** Row operations on the base pages undone (their transaction had not committed by the stop point). */
  undone: number;
  /** Transactions that changed the table and committed before the stop point. */
  committedTransactions: number;
  /** Transactions that changed the table and had not committed (nor rolled back) at the stop point. */
  openAtStop: number;
  /**
   * Of a stop time: transactions that changed the table, began after the stop time and had not
   * committed when the replay stopped (at the first commit after the stop time); not applied. They
   * were counted as open at the stop, which they never were.
   */
  begunAfterStop?: number;
  /** Commit time (local, `YYYY-MM-DDTHH:MM:SS.fff`) of the last transaction that counted, null when none. */
  lastCommitTime: string | null;
  /** LSN of the first record not applied (the stop), null when the chain's records ran out first. */
  stoppedAt: string | null;
  /** Log records read (base log portion and log backups). */
  records: number;
  /**
   * Row operations of the table inside the base backup's own log portion (changes made while the
   * backup ran), of which `inBase` were already on the copied pages. None occur in the corpus: this
   * path follows RESTORE's redo rule (apply when the page's m_lsn is older) but is unverified on real bytes.
   */
  baseLogOps: { total: number; inBase: number };
  /**
   * Transactions named like DDL or a bulk operation in the replayed range that touched neither the
   * table's pages nor catalog rows naming it (its object, partition or allocation unit ids): another
   * table's DDL, most likely. Listed so the summary can name them; the replay does not depend on them.
   */
  ddlElsewhere: Array<{ lsn: string; transaction: string; name: string }>;
  /** LOP_INSERT_ROWS records of page splits (rows moved to a new page, not new rows): not replayed. */
  movedRows: number;
}

export interface ReplayResult {
  table: string;
  /** The table's layout in the chain's base backup: the one every row was decoded with. */
  layout: TableLayout;
  columns: string[];
  rows: ReplayRow[];
  chain: RestoreChain;
  stats: ReplayStats;
  /**
   * The note for log blocks the replay read without a log block checksum (uncheckedBlocksNote: the
   * few among checked ones named by file, offset and first LSN), or null when every block carried
   * one: a value changed inside such a block cannot be detected, and the replay's rows rest on it.
   */
  uncheckedLog: string | null;
  /**
   * Notes on log read that lost nothing the replay needs: a log backup cut short inside its log
   * stream after the last LSN the replay needed from it (log-coverage.ts judgeCutLogStream, worded
   * as scan and `log` word it). Empty when there is none.
   */
  notes: string[];
  /**
   * Of a table read in schema dbo: the tables of the base backup's catalog (`schema.name`) of the same
   * name in other schemas (names.ts otherSchemaNamesakes), for the command to word with
   * sameNameElsewhereNote once it knows which tables it reads (a dump of several leaves out the ones it
   * reads too). Empty when there is none; absent from replays made by other means (tests' fakes).
   */
  sameNameElsewhere?: string[];
  /**
   * WARNINGs on the headers of the backups the replay used (mtf.ts BACKUP_HEADER_WARNING: one header
   * copy damaged in a field no restore reads, or in LSNs the log stream settled), `file: code: reason
   * (offset n)`: said even with --quiet, exit 3 under --strict. Absent or empty when there is none.
   */
  warnings?: string[];
  /**
   * Notes on the backups' identity said even with --quiet: backups of one binding id whose headers
   * name two databases (source-identity.ts sameIdOtherNames). Absent when there is none.
   */
  identityNotes?: string[];
  /** Reads of the base backup's pages, by check kind (for a note on pages with no page checksum: uncheckedPagesNote). */
  pageStats?: PageReadStats;
  /**
   * Of a stop time: the WARNING that the server's clock was set back around it (stopTimeClockWarning),
   * said even with --quiet (as scan says its window's); absent when the commit times read ran forwards.
   */
  clockWarning?: string;
}

/** Contexts of data-row records (heap, clustered index leaf, ghosting delete). */
const DATA_CONTEXTS = new Set([LCX_HEAP, LCX_CLUSTERED, LCX_MARK_AS_GHOST]);
const ROW_OPS = new Set([LOP_INSERT_ROWS, LOP_DELETE_ROWS, LOP_MODIFY_ROW, LOP_MODIFY_COLUMNS]);
/**
 * Operations on the table's data pages that change no row's content: allocating and formatting a
 * page, a page split (the moved rows are logged with the new page's LOP_FORMAT_PAGE and removed
 * by LOP_DELETE_SPLIT: the table's content is unchanged), ghost cleanup of rows already deleted
 * (LOP_EXPUNGE_ROWS), page-header and root changes.
 */
const NEUTRAL_DATA_OPS = new Set(['LOP_FORMAT_PAGE', LOP_DELETE_SPLIT, 'LOP_EXPUNGE_ROWS', 'LOP_MODIFY_HEADER', 'LOP_ROOT_CHANGE', 'LOP_SET_BITS', 'LOP_SET_FREE_SPACE']);
/**
 * Log Record Length (bytes) from which a LOP_FORMAT_PAGE carries page content: a page formatted
 * empty is a header's worth (84 bytes in fn_dblog, sqlfascination.com "A Strange Case of a Very
 * Large LOP_FORMAT_PAGE", 2010; 88 in every one of the corpus's .ldf and .trn files), one logged
 * with its image, rows and all, 8,276 (the same post: a bulk load not minimally logged). Only the
 * .ldf/.trn reader sets the length (structures.ts); records without it are not judged.
 */
const FORMAT_PAGE_IMAGE_MIN = 1024;
/** Contexts of allocation and index-structure pages: no row content of the table lives there. */
const STRUCTURE_CONTEXTS = new Set(['LCX_NULL', 'LCX_GAM', 'LCX_SGAM', 'LCX_IAM', 'LCX_PFS', 'LCX_DIFF_MAP', 'LCX_ML_MAP', 'LCX_INDEX_INTERIOR', 'LCX_NONSYS_SPLIT']);
/**
 * Transaction names of statements that change a table's rows without row records (or move them to
 * new allocation units). Exported for base-own-log.ts, which hands a base backup's own log holding
 * one to LogReplay for every table read (its catalog rows may name a table no row record does).
 */
export const DDL_NAMES = /truncate|alter|drop|bulk|rebuild|switch|select into|create index|reorg|deferred|shrink|swappage|index build|^move/i;
/**
 * System transactions that only move rows between pages. A page split logs the rows it moves as
 * LOP_INSERT_ROWS on the new page and removes them from the old one with LOP_DELETE_SPLIT (seen in
 * NORTHWND_log.ldf, transaction 0000:000010c2 'SplitPage': LOP_FORMAT_PAGE, LOP_INSERT_ROWS
 * LCX_CLUSTERED on the new page, LOP_DELETE_SPLIT, the parent's LCX_INDEX_INTERIOR entry): the
 * table holds the same rows before and after, so its row operations are not replayed — replaying the
 * insert would count every moved row twice.
 */
const MOVE_NAMES = /^SplitPage$/;

/**
 * A page split's transaction (a LOP_DELETE_SPLIT read in it) at its commit: its held inserts are
 * rows moved to a new page, not replayed (ReplayStats.movedRows); replaying them would count each
 * moved row twice. Inserts of a transaction named SplitPage without one stay: a user's.
 */
/**
 * The inserts of a transaction named SplitPage that holds no LOP_DELETE_SPLIT (a user's, BEGIN TRAN
 * SplitPage), at its end or the stop: judged on the base pages as any other transaction's were when
 * read (a page the base backup does not hold refused, but at the stop: `refuseUnknownPage` false;
 * counted in baseLogOps). Held leniently until then, as a split's move, whose new page the backup often lacks.
 */
function namedSplitInserts(t: Txn, stats: ReplayStats, refuseUnknownPage = true): void {
  for (const o of t.ops) {
    if (!o.splitInsert || !o.baseLog) continue;
    if (!o.baseLog.pageKnown && refuseUnknownPage) refuse('REPLAY_BASE_PAGE_UNKNOWN', o.record, `a change inside the base backup whose page is not in ${o.baseLog.from}, so whether the copied page holds it cannot be told`);
    stats.baseLogOps.total++;
    if (o.inBase) stats.baseLogOps.inBase++;
    delete o.baseLog;
  }
}

function dropSplitMoves(t: Txn, stats: ReplayStats): void {
  const kept = t.ops.filter((o) => !o.splitInsert);
  stats.movedRows += t.ops.length - kept.length;
  // a split rolled back: its compensation records undo the moves left out (a compensating delete of a
  // moved row, replayed alone, removed a row the split never moved away); it changed nothing, so none
  // of its row operations is replayed
  t.ops = t.state === 'aborted' ? [] : kept;
}


/** A row operation `LogReplay.pending` names: its LSN (fn_dblog form) and kind. */
export interface PendingOp {
  lsn: string;
  kind: 'insert' | 'delete' | 'update';
}

interface ReplayOp {
  record: LogRecord;
  kind: 'insert' | 'delete' | 'update';
  /** Already on the base pages (a record of the base's own log portion not later than its page's m_lsn). */
  inBase: boolean;
  rebuild?: UpdateRebuild;
  /** An insert of a transaction named as a page split's: a row moved, if the transaction holds a LOP_DELETE_SPLIT (Txn.deleteSplit). */
  splitInsert?: true;
  /**
   * Of a splitInsert read in the base backup's own log: the base backup (`fromBase`), and whether its
   * page is one the backup holds. Judged as any other row operation's once the transaction turns out
   * no split (namedSplitInserts): a page it does not hold is refused, REPLAY_BASE_PAGE_UNKNOWN.
   */
  baseLog?: { from: string; pageKnown: boolean };
}

interface Txn {
  ops: ReplayOp[];
  /** Listed in ReplayStats.ddlElsewhere already. */
  ddlNoted?: boolean;
  name: string | null;
  state: 'open' | 'committed' | 'aborted';
  commitTime: string | null;
  /** Its Begin Time (local, as the window's), when its LOP_BEGIN_XACT was read. */
  beginTime?: string | null;
  /** A LOP_DELETE_SPLIT was read in it: a page split's system transaction, its inserts rows moved. */
  deleteSplit?: true;
}

function refuse(code: string, r: LogRecord, what: string): never {
  throw new ReplayError(code, `LSN ${r['Current LSN']} ${r.Operation} (${r.Context}${r['Page ID'] ? `, page ${r['Page ID']}` : ''}${r['Slot ID'] !== null && r['Slot ID'] !== undefined ? ` slot ${r['Slot ID']}` : ''}): ${what}; the table at the stop point cannot be told exactly, so it is not printed`, { lsn: r['Current LSN'], page: r['Page ID'] ?? undefined, file: r.source?.file });
}

/** One backup set the replay was given: its record, the option that gave it, and what its MTF walk says of it (`setsOf`). */
/**
 * For each `--bak` differential set of `read` whose full backup (HEADERONLY DifferentialBaseGUID =
 * the full set's BackupSetGUID) is not among `sets` but is another set of the same file: the
 * sentence naming it and the list form that reads both (`--bak F F --position 1,2`; RESTORE … WITH
 * FILE = 1, NORECOVERY, then FILE = 2). `flag`: the caller's position option (diff's later side
 * `--after-position`, whose files are `--after-bak`). Headers that cannot be read give nothing.
 */
function fullSetsInSameFile(read: readonly GivenSet[], sets: readonly BackupSetRecord[], flag: string): string[] {
  const out: string[] = [];
  for (const x of read) {
    const d = x.set;
    if (x.role !== 'bak' || d.backupType !== 'differential' || !d.differentialBaseGuid) continue;
    if (sets.some((s) => s.backupType === 'full' && s.backupSetGuid === d.differentialBaseGuid)) continue;
    const file = d.devices[0]!;
    try {
      const layout = readMtfLayout(file);
      for (let p = 1; p <= layout.sets; p++) {
        const h = readBackupHeader(file, layout, p);
        if (h.backupType !== 'full' || h.backupSetGuid !== d.differentialBaseGuid) continue;
        out.push(`the full backup ${file} (FILE = ${d.position}) is based on is backup set ${p} of the same file: give the file twice with a set number each, full backup first: ${flag === '--after-position' ? '--after-bak' : '--bak'} ${shellPath(file)} ${shellPath(file)} ${flag} ${p},${d.position} (RESTORE … WITH FILE = ${p}, NORECOVERY, then WITH FILE = ${d.position})`);
        break;
      }
    } catch {
      // a header that cannot be read: nothing to add
    }
  }
  return out;
}

/**
 * The `--bak FULL DIFF --position N,M` form that reads the differential set `p` of the --trn file
 * `path` beside its full backup (HEADERONLY DifferentialBaseGUID = the full's BackupSetGUID): the
 * --bak set that is that full backup (its file and set number, from `bakSets`' `file#position`
 * keys), else a full set of `path` itself, else `FULL.bak` standing for a file not given. It advised
 * `--bak FULL.bak F --position 1,N` whatever was at hand: with the full backup set 1 of F, or the
 * --bak file given, a file the DBA does not have. `flag`: the caller's position option (diff's later
 * side `--after-position`, whose files are `--after-bak`). A header that cannot be read is skipped.
 */
function differentialListAdvice(path: string, layout: MtfLayout, p: number, baseGuid: string | null, bakSets: ReadonlyMap<string, { file: string; backupSetGuid: string | null }>, flag: string): string {
  const bak = flag === '--after-position' ? '--after-bak' : '--bak';
  const form = (file: string, q: number | string) => `${bak} ${shellPath(file)} ${shellPath(path)} ${flag} ${q},${p}`;
  if (baseGuid) {
    for (const [key, b] of bakSets) {
      if (b.backupSetGuid?.toUpperCase() === baseGuid.toUpperCase()) return form(b.file, Number(key.slice(key.lastIndexOf('#') + 1)) || 1);
    }
    for (let q = 1; q <= layout.sets; q++) {
      try {
        const f = readBackupHeader(path, layout, q);
        if (f.backupType === 'full' && f.backupSetGuid?.toUpperCase() === baseGuid.toUpperCase()) return `${form(path, q)} (its full backup is backup set ${q} of the same file)`;
      } catch {
        // a header that cannot be read: not this one
      }
    }
  }
  return `${form('FULL.bak', 'N')}, FULL.bak the full backup it is based on${baseGuid ? ` (BackupSetGUID ${baseGuid})` : ''}`;
}

interface GivenSet {
  set: BackupSetRecord;
  /** `--bak` (a full or differential backup to start from) or `--trn` (a log backup of the chain). */
  role: 'bak' | 'trn';
  cut: SkippedItem | null;
  trailer: string[];
  warnings: string[];
}

/**
 * The backup sets the replay reads of one file given with `role`, and the MTF walk's item for a log
 * stream the end of the file cuts short (log-coverage.ts cutLogStream: the file's last set only, its
 * one or the last of several), each as a GivenSet:
 * - `--bak`: the one set `position` picks (RESTORE … WITH FILE = n; `positionFlag` names the option
 *   in refusals), the file's only set without one. A file of several sets without a position is
 *   refused by `choosePosition` (INPUT_SEVERAL_BACKUP_SETS, listing every set), as `dump --bak` is.
 * - `--trn`: every log backup set of the file (a file written WITH NOINIT holds several: each is a
 *   member of the chain, ordered by its LSNs as planChain orders every log backup given, as `scan
 *   --trn` reads every set). A set of it that is not a log backup (a full or differential backup
 *   appended to the same file) is no member of a log chain (MS Learn, "Transaction log backups": the
 *   chain is the unbroken sequence of log backups; a database backup taken between two of them neither
 *   breaks nor joins it: the corpus's RestoreTimeClean_3.trn ends at the LSN RestoreTimeClean2_1.trn
 *   starts at, 25000000017300001, with RestoreTimeClean2.bak taken between), so leaving it out loses
 *   no log: it is left out with a note in `skippedNotes` (naming the file and set), unless
 *   `--bak` reads that very set. A file none of whose sets is a log backup gives them all (the caller
 *   refuses them: "give it with --bak").
 * A log backup whose only damage is that cut is not recorded as damaged: the replay reads its log
 * itself, so the cut loses something only if the log read falls short of what the replay needs,
 * which its read judges (judgeCutLogStream) — a RESTORE, which reads the whole file, would still
 * fail on it, so `restore plan` keeps it damaged (restore/history.ts). Damage in its closing blocks
 * only (isTrailerOnlyDamage, the rule `restore plan` applies: every log record read whole) does not
 * leave it out either (it did: a replay refused what `restore plan` planned); it is said in `trailer`.
 * A WARNING on its header (BACKUP_HEADER_WARNING) does not either; it is said in `warnings`. In a file
 * of several sets: MTF damage marks every set damaged (it may lie in any of them) but those closed
 * (their ESET read) before it, whose blocks were all read first (`restore plan` leaves them all out,
 * restore/history.ts readFolderHistory; the replay judges each set's log by its own read), a disagreeing header copy
 * (FORMAT_BAD_BACKUP_HEADER) only its own set, a WARNING only its own set's.
 * Throws what readMtfLayout, choosePosition and readBackupHeader throw.
 */
function setsOf(path: string, role: 'bak' | 'trn', position: number | undefined, positionFlag: string, bakSets: ReadonlyMap<string, { file: string; backupSetGuid: string | null; bindingId?: string | null; familyGuid?: string | null }>, skippedNotes: string[], hidden: string[], otherDatabaseNotes: string[] = skippedNotes, differentialNotes: string[] = []): GivenSet[] {
  const layout = readMtfLayout(path);
  let positions: number[];
  if (role === 'bak' || layout.sets <= 1) {
    try {
      positions = [choosePosition(path, layout, role === 'bak' ? position : undefined, { position: positionFlag })];
    } catch (e) {
      // damage that may hide further sets: the set read before it is recorded as damaged, and the
      // plan leaves the file out naming it (as for any damaged backup), rather than stopping here
      if (!(e instanceof FormatError && e.code === 'FORMAT_BAD_MTF' && layout.sets >= 1 && (role === 'trn' || position === undefined))) throw e;
      // more of a backup lies after the damage: a further log backup set appended to the file may be
      // there, unread; said with the chain's refusal (whose "log that none of the files given holds"
      // would otherwise send the DBA away from this file) and among the notes
      if (role === 'trn') hidden.push(`${path}: ${e.message.replace(/ \(--position N reads set N of the \d+ before it\)/, '')} (a log backup set appended to it after the damage, if any, is not read)`);
      positions = [1];
    }
  } else {
    positions = Array.from({ length: layout.sets }, (_, i) => i + 1);
    // the walk stopped at damage with more of a backup after it (choosePosition's check): a further
    // set may lie there, unread; said as for a file of one set
    try {
      choosePosition(path, layout, undefined, { position: positionFlag });
    } catch (e) {
      if (!(e instanceof InputError && e.code === 'INPUT_SEVERAL_BACKUP_SETS')) {
        if (!(e instanceof FormatError && e.code === 'FORMAT_BAD_MTF')) throw e;
        hidden.push(`${path}: ${e.message.replace(/ \(--position N reads set N of the \d+ before it\)/, '')} (a log backup set appended to it after the damage, if any, is not read)`);
      }
    }
  }
  const several = layout.sets > 1;
  const headers = positions.map((p) => readBackupHeader(path, layout, p));
  const hasLog = headers.some((h) => h.backupType === 'log');
  const out: GivenSet[] = [];
  for (const h of headers) {
    const p = positions[headers.indexOf(h)]!;
    if (role === 'trn' && several && hasLog && h.backupType !== 'log') {
      if (bakSets.has(`${realPath(path)}#${p}`)) continue;
      const lead = `${path} (FILE = ${p}) is a ${h.backupType} backup appended to the log backups' file, not a log backup: left out of the chain`;
      // the same backup read from another --bak file (a copy: its BackupSetGUID): said so, not "give it with --bak"
      const copy = h.backupSetGuid ? [...bakSets.values()].find((b) => b.backupSetGuid === h.backupSetGuid) : undefined;
      // a backup of ANOTHER database than the --bak sets' (BindingID and FamilyGUID both differ): no
      // base of this replay; it was advised 'give it with --bak F --position N to start from it'
      // (said even with --quiet, in otherDatabaseNotes: a file mixing two databases' backups never passes without a word)
      const base = [...bakSets.values()][0];
      const other = base !== undefined && ofAnotherDatabase(h, base);
      if (copy) skippedNotes.push(`${lead}; the same backup (BackupSetGUID ${h.backupSetGuid}) is read from --bak ${shellPath(copy.file)}`);
      else if (other) otherDatabaseNotes.push(`${lead} (a ${h.backupType} backup of another database, ${h.databaseName}: none of this replay's backups, nothing of it read; check that ${path} is the file meant: one backup device shared by several databases)`);
      // a differential: the replay goes from the full backup through the log backups without it, and
      // as a base it needs its full backup beside it (`--bak F --position N` of it alone is refused
      // INPUT_DIFFERENTIAL_WITHOUT_FULL); dump, diff and restore jobs take a set number per --bak file
      // (`--position 1,N`). One plain sentence, in no command's name: diff and restore jobs said
      // "rowback dump starts from it given both with a set number each, …", which named another command
      else if (h.backupType === 'differential') {
        const note = `${path} (FILE = ${p}) is a differential backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it after its full backup: ${differentialListAdvice(path, layout, p, h.differentialBaseGuid, bakSets, positionFlag)}`;
        skippedNotes.push(note);
        differentialNotes.push(note);
      }
      else skippedNotes.push(`${lead} (a full backup neither breaks nor joins the log chain, so no log is lost; give it with --bak ${shellPath(path)} --position ${p} to start from it)`);
      continue;
    }
    // MTF damage after the set's ESET (a later set's blocks) is not the set's: its blocks were all read before it
    const closedBefore = (x: SkippedItem) => x.location.offset !== undefined && layout.dblks.some((d) => d.type === 'ESET' && d.set === p && d.offset < x.location.offset!);
    // a log stream cut short, or damage in the closing blocks only, of a file's last set (its only
    // one, or the last of several: the damage stops the walk there) is judged as for a file of one
    // set; a file of several sets cut in its last log set was refused where the one-set copy was read
    const last = p === Math.max(1, layout.sets);
    const cut = last && h.backupType === 'log' ? cutLogStream(layout, p) : null;
    const trailer = last ? layout.problems.filter((x) => !closedBefore(x) && isTrailerOnlyDamage(path, x)) : [];
    // one header copy damaged where the set is used all the same (mtf.ts BACKUP_HEADER_WARNING): no damage, a WARNING
    const warned = several ? headerWarnings(layout, p) : layout.problems.filter((x) => x.code === BACKUP_HEADER_WARNING);
    const damaged = several
      ? layout.problems.some((x) => x.code !== BACKUP_HEADER_WARNING && x.code !== 'FORMAT_BAD_BACKUP_HEADER' && x !== cut && !trailer.includes(x) && !closedBefore(x)) || headerCopiesProblem(layout, p) !== undefined
      : layout.problems.some((x) => x !== cut && !trailer.includes(x) && !warned.includes(x));
    const name = several ? `${path} (FILE = ${p})` : path;
    const set = recordFromHeader(h, [path], damaged);
    if (several) set.setsInFile = layout.sets;
    out.push({
      set,
      role,
      cut,
      trailer: trailer.map((x) => `${name}: ${x.code}: ${x.reason} (offset ${x.location.offset})`),
      warnings: warned.map((x) => `${name}: ${x.code}: ${x.reason} (offset ${x.location.offset})`),
    });
  }
  return out;
}

/**
 * Which of several files holding one log backup the replay read, and why each other was left
 * (`restore plan` says the same of its plan; a point-in-time dump or diff chose without a word):
 * one note per log backup of the chain (`used`) given in two or more files, the same first and last
 * LSN and, where both headers give it, the same BackupSetGUID: `log backup LSN F..L (backup set G) is
 * in N files: used A (why); left B (why), …`. Why: cut short in its log stream (the cut's code and
 * offset), its closing blocks damaged, damaged elsewhere, its log not reading whole (its commit times'
 * read, restore/history.ts logCommits), one header copy damaged; else whole, and of two whole copies
 * either serves (the chain takes the first given, chain.ts pickLog).
 */
function logCopiesNotes(all: GivenSet[], used: readonly BackupSetRecord[]): string[] {
  const notes: string[] = [];
  const why = (x: GivenSet): string =>
    x.cut ? `cut short in its log stream: ${x.cut.code}${x.cut.location.offset !== undefined ? ` at offset ${x.cut.location.offset}` : ''}`
      : x.trailer.length ? 'its closing blocks are damaged'
        : x.set.damaged ? 'damaged (`rowback inspect` says where)'
          : x.set.logCommits?.whole === false ? `its log does not read whole${x.set.logCommits.why ? `: ${x.set.logCommits.why}` : ''}`
            : x.warnings.length ? 'one copy of its header is damaged'
              : 'whole';
  for (const u of used) {
    const mine = all.find((x) => x.set === u);
    if (!mine) continue;
    const others = all.filter((x) => x !== mine && x.set.backupType === 'log' && x.set.firstLsn === u.firstLsn && x.set.lastLsn === u.lastLsn
      && (x.set.backupSetGuid === null || u.backupSetGuid === null || x.set.backupSetGuid === u.backupSetGuid)
      && realPath(x.set.devices[0]!) !== realPath(u.devices[0]!))
      // a file given twice is one file
      .filter((x, i, a) => a.findIndex((y) => realPath(y.set.devices[0]!) === realPath(x.set.devices[0]!)) === i);
    if (!others.length) continue;
    const usedWhy = why(mine);
    const left = others.map((x) => {
      const w = why(x);
      return { file: x.set.devices[0]!, why: w === 'whole' && usedWhy === 'whole' ? 'whole too: either serves, the first given was kept' : w };
    });
    notes.push(copiesNote('log', u, { file: u.devices[0]!, why: usedWhy }, left));
  }
  return notes;
}

/**
 * Replays the table to `inputs.target` (see the file comment for the rules and every refusal):
 * `replayTablesAt` of the one table. Throws InputError for the chain (INPUT_RESTORE_TOO_EARLY /
 * _TOO_LATE / _CHAIN_BROKEN / _TARGET_AT_BOUNDARY / _NO_FULL …, each naming the reachable range),
 * INPUT_MIXED_DATABASES, INPUT_UNKNOWN_TABLE; SchemaError SCHEMA_COLUMNS_UNREADABLE; ReplayError
 * REPLAY_*; `inputs.signal`'s reason once it is aborted. Memory: the table's rows, plus every row
 * operation of the table in the replayed range (held until the end of the log read: redo runs in
 * LSN order at the end, committed ones too; about 1.4 KB each, `kept`).
 */
export async function replayTableAt(inputs: ReplayInputs): Promise<ReplayResult> {
  const { table, ...rest } = inputs;
  return (await replayTablesAt({ ...rest, tables: [table] }))[0]!;
}

/** `ReplayInputs` for several tables replayed to one point over one chain. */
export interface ReplayTablesInputs extends Omit<ReplayInputs, 'table'> {
  /** `schema.name` each (as `--table` takes them), in the order the results come in; names may find one table twice. */
  tables: string[];
}

/**
 * One table's part of a replay of several (replayTablesOutcomes): its result; or the error
 * `replayTableAt` of that table alone throws; or `skipped` when a table before it (in the order
 * given) was refused, so that its outcome is never the one said (the first refusal in order is).
 */
export type TableReplayOutcome = { table: string; result: ReplayResult } | { table: string; error: unknown } | { table: string; skipped: true };

/**
 * The tables of `inputs.tables` replayed to `inputs.target`, each as `replayTableAt` gives it, in
 * the order given (a name given twice, or two names of one table, give a result each). The chain is
 * read once for all of them: the backups' headers planned once, the base backup's pages opened and
 * its metadata read once, and one pass over the log records (the base backup's own log, then each
 * log backup) feeds every table's replay. A table whose base pages are damaged in a differential
 * (the differential left out, replayed from the full backup) is replayed again over the chain
 * without it, with the other tables left out of that pass. Throws what `replayTableAt` of the first
 * table (in the order given) that is refused throws: the same error, the same message; nothing of
 * the others is returned then. Memory: every table's rows, plus every row operation of every table
 * in the replayed range, all held at once until the end of the log read (tables replayed one after
 * the other held one table's at a time: N busy tables hold N times that).
 */
export async function replayTablesAt(inputs: ReplayTablesInputs): Promise<ReplayResult[]> {
  const out: ReplayResult[] = [];
  for (const o of await replayTablesOutcomes(inputs)) {
    if ('error' in o) throw o.error;
    if ('result' in o) out.push(o.result);
  }
  return out;
}

/**
 * For each `--bak` file not also given with `--trn`: the log backup sets it holds (a file written
 * WITH NOINIT) that end past every set read (`sets`, LastLSN compared as decimal LSNs), named in one
 * sentence with the way to read them (`--trn FILE`); [] when none. A file that cannot be laid out,
 * or a set whose header cannot be read, is passed over (the read itself says its damage).
 */
function laterLogSetsInBakFiles(bakFiles: readonly string[], trnFiles: readonly string[], sets: readonly BackupSetRecord[]): string[] {
  const reach = sets.reduce((m, x) => (BigInt(x.lastLsn) > m ? BigInt(x.lastLsn) : m), 0n);
  const trnPaths = new Set(trnFiles.map(realPath));
  const out: string[] = [];
  for (const f of new Set(bakFiles)) {
    if (trnPaths.has(realPath(f))) continue;
    // the database read: every set read is of it (checked when the sets were read)
    const later = sets.length ? logSetsEndingPast(f, reach, sets[0]!) : [];
    if (!later.length) continue;
    const end = lastEnding(later);
    out.push(`${f} (given with --bak) also holds log backup set${later.length > 1 ? 's' : ''} ${later.map((l) => l.position).join(', ')}, going on to LSN ${end.header.lastLsn.lsn}, which ${later.length > 1 ? 'are' : 'is'} not read: add --trn ${shellPath(f)} to replay through ${later.length > 1 ? 'them' : 'it'}`);
  }
  return out;
}

/** A table of a replay of several, as it goes: its notes (the chain's first), the chain it is replayed over, and at the end its outcome. */
interface TableSlot {
  index: number;
  table: string;
  notes: string[];
  /** The differentials left out for it (damaged where its replay reads), for its refusal's message. */
  leftOut: string[];
  chain: RestoreChain;
  planned: BackupSetRecord[];
  /** Tables of its name in other schemas of the base's catalog (ReplayResult.sameNameElsewhere). */
  sameNameElsewhere?: string[];
  outcome?: { result: ReplayResult } | { error: unknown } | { skipped: true };
}

/**
 * `replayTablesAt`, each table's outcome apart (TableReplayOutcome): the first `error` in the order
 * given is what `replayTablesAt` throws; the tables after it are `skipped` (not read further).
 * Errors that concern the chain before any table is looked at (an unreadable or mixed file, the
 * chain's refusals) are thrown, as `replayTableAt` of the first table throws them. Throws
 * INPUT_BAD_OPTION when no table is given.
 */
export async function replayTablesOutcomes(inputs: ReplayTablesInputs): Promise<TableReplayOutcome[]> {
  if (inputs.bak.length === 0) throw new InputError('INPUT_BAD_OPTION', 'a point-in-time dump needs a full backup: --bak FULL.bak [DIFF.bak] --trn LOG.trn…');
  if (inputs.tables.length === 0) throw new InputError('INPUT_BAD_OPTION', 'a point-in-time replay needs a table: --table schema.name');
  // --bak: the set --position picks (each file's only set without it); --trn: every log backup set of
  // each file (several in a file written WITH NOINIT), each a member of the chain planned below
  const flag = inputs.positionFlag ?? '--position';
  const skippedSets: string[] = [];
  const otherDatabaseSets: string[] = [];
  const hidden: string[] = [];
  const bakPer = inputs.bak.map((f, i) => {
    try {
      return setsOf(f, 'bak', positionOf(inputs.position, i), flag, new Map(), skippedSets, hidden);
    } catch (e) {
      // one number for several files, one lacking that set: the list form named (its "leave --position out" looped)
      if (typeof inputs.position === 'number' && inputs.bak.length > 1 && inputs.position > 1 && e instanceof InputError && e.code === 'INPUT_BAD_OPTION' && / holds \d+ backup sets?: /.test(e.message)) {
        rewordMessage(e, { suffix: oneNumberForEveryFile(flag, inputs.position, inputs.bak, flag === '--after-position' ? '--after-bak' : '--bak') });
      }
      throw e;
    }
  });
  const baks = bakPer.flat();
  // one backup set given twice (`--bak F F G --position 1,2,2`, G a copy of F): refused naming both
  // items, as dump/diff of the pages refuse it (open.ts sameBackupSetTwice); the stripes of one media
  // set, one backup, are named once
  const stripeSeen = new Set<string>();
  const twice = sameBackupSetTwice(inputs.bak, inputs.position, bakPer.flatMap((g, index) => g.flatMap((x) => {
    let media: { mediaSetGuid: string; familyCount: number } | null = null;
    try {
      media = readMtfLayout(inputs.bak[index]!).mediaSet;
    } catch {
      // read by setsOf already
    }
    if (media && media.familyCount > 1) {
      const key = `${media.mediaSetGuid}#${x.set.position}`;
      if (stripeSeen.has(key)) return [];
      stripeSeen.add(key);
    }
    return [{ index, position: x.set.position, backupSetGuid: x.set.backupSetGuid, setsInFile: x.set.setsInFile ?? 1 }];
  })), { position: flag, bakOption: flag === '--after-position' ? '--after-bak' : '--bak' });
  if (twice) throw twice;
  // a --bak set picked by number in a file holding another database's sets too: said (identityNotes),
  // unless the file is given with --trn as well, whose other database's sets are said as left out
  const picked = inputs.bak.flatMap((f, i) => (inputs.trn.some((t) => realPath(t) === realPath(f)) ? [] : [{ f, p: positionOf(inputs.position, i) }]));
  appendAll(otherDatabaseSets, otherDatabaseSetsNotes(picked.map((x) => x.f), picked.some((x) => x.p === undefined) ? undefined : picked.map((x) => x.p!)));
  const bakSets = new Map(baks.map((x) => [`${realPath(x.set.devices[0]!)}#${x.set.position}`, { file: x.set.devices[0]!, backupSetGuid: x.set.backupSetGuid, bindingId: x.set.bindingId, familyGuid: x.set.familyGuid }] as const));
  // differential sets of the --trn files, left out of the chain: said with a refusal of the chain too
  // (a gap the differential bridges was refused 'find the log backups … or a differential backup …
  // (msdb.dbo.backupset: type I …)' with that differential in the file given, unsaid)
  const differentialSets: string[] = [];
  const all = [...baks, ...inputs.trn.flatMap((f) => setsOf(f, 'trn', undefined, flag, bakSets, skippedSets, hidden, otherDatabaseSets, differentialSets))];
  // A log backup given twice, one copy cut short in its log stream or with damaged closing blocks
  // and one whole: the whole one is read. The chain takes either of two copies of one LSN range
  // (chain.ts pickLog: the first given), and once a cut copy was no longer left out as damaged it was
  // taken, refusing the replay as REPLAY_LOG_DAMAGED (or noting damage) with the whole copy at hand.
  const flawed = (x: (typeof all)[number]): boolean => x.cut !== null || x.trailer.length > 0 || x.set.damaged;
  const read = all.filter(
    (x) => !(x.set.backupType === 'log' && flawed(x) && all.some((y) => y !== x && y.set.backupType === 'log' && !flawed(y) && y.set.firstLsn === x.set.firstLsn && y.set.lastLsn === x.set.lastLsn && y.set.backupSetGuid === x.set.backupSetGuid)),
  );
  const sets = read.map((x) => x.set);
  const cuts = new Map(read.flatMap((x) => (x.cut ? [[setKey(x.set), x.cut] as const] : [])));
  const notes: string[] = [...skippedSets, ...hidden];
  // backups of one binding id under two database names (an attached copy of the files, or a rename):
  // said even with --quiet (identityNotes), as scan and log say them
  // every set of a file of several named by its position (two databases' backups appended to one file
  // are refused naming the set: INPUT_MIXED_DATABASES)
  const identityNotes = [...new Set(otherDatabaseSets)];
  appendAll(identityNotes, assertOneDatabase(sets.map((s) => ({ file: s.devices[0], role: s.backupType === 'log' ? ('trn' as const) : ('bak' as const), bindingId: s.bindingId, databaseName: s.databaseName, serverName: s.serverName, ...((s.setsInFile ?? 1) > 1 ? { set: s.position } : {}) }))).otherNames);
  for (const x of read) {
    const s = x.set;
    if (x.role === 'trn' && s.backupType !== 'log') throw new InputError('INPUT_BAD_OPTION', `--trn ${backupSetName(s)} is a ${s.backupType} backup, not a log backup: give it with --bak${(s.setsInFile ?? 1) > 1 ? ` ${shellPath(s.devices[0]!)} ${flag} ${s.position}` : ''}`, { file: s.devices[0] });
    if (x.role === 'bak' && s.backupType === 'log') throw new InputError('INPUT_NOT_A_DATABASE_BACKUP', `--bak ${backupSetName(s)} is a log backup: give it with --trn${(s.setsInFile ?? 1) > 1 ? ` (every log backup set of a --trn file is read), and pick the full backup set of --bak with ${flag} N` : ''}`, { file: s.devices[0] });
  }
  // STOPAT's datetime rounding (.979 → .980): the replay stops where a real RESTORE of the same text does
  const target = asStopAtTarget(inputs.target);
  // a log backup whose finish date is unknown (its ESET damaged or cut), or that was running at the
  // time: its own commit times place a time after its start (restore/history.ts addLogCommitTimes);
  // a log backup given in two files (a copy): each read, so the chain takes one whose log reads whole
  await addLogCommitTimes(sets, target.kind === 'time' ? target.time : undefined);
  let chain: RestoreChain;
  try {
    chain = inputs.trn.length === 0 ? baseEndChain(sets, target) : planChain(sets, target);
  } catch (e) {
    // a --trn file whose walk stopped at damage with more after it: the log the refusal misses may be
    // there; a --bak file holding log backup sets past the log given (`--bak ALL.bak --position 1`,
    // everything appended to one file): the refusal's "log that none of the files given holds" was
    // untrue of that very file
    const more = isRowbackError(e) ? laterLogSetsInBakFiles(inputs.bak, inputs.trn, sets) : [];
    // a differential given alone whose full backup is another set of its own file (WITH NOINIT): the
    // refusal said "find it and give it with the others", the DBA sent looking elsewhere for a backup
    // at hand; the way is the file twice, a set number each
    if (isRowbackError(e) && e.code === 'INPUT_RESTORE_NO_FULL') appendAll(more, fullSetsInSameFile(read, sets, flag));
    if (isRowbackError(e)) appendAll(more, differentialSets);
    if ((hidden.length || more.length) && isRowbackError(e)) rewordMessage(e, { suffix: `; note: ${[...hidden, ...more].join('; ')}` });
    throw e;
  }
  // backups the chain planner left out (damaged MTF blocks, file backups): said, as `restore plan` lists them
  appendAll(notes, chain.notes.filter((n) => / not used$/.test(n)));
  // the damaged closing blocks of a backup the replay uses: said, as scan and log say them
  for (const x of read) if (chain.steps.some((st) => st.set === x.set)) appendAll(notes, x.trailer);
  // Every table starts on the planned chain, with the chain's notes. A differential whose pages fail
  // their checks where a table's replay reads them (the catalog, the table) is left out for that
  // table when the full backup and the log backups reach the target without it: that table is
  // replayed again from the full backup (RESTORE would fail on the differential too), in a pass of
  // its own over that chain (with the other tables left out for the same reason). It was read as it
  // was: a damaged catalog page of the differential refused the replay as "table not in the backup;
  // known tables: (none)", the chain around it whole. (Each retry marks one more differential
  // damaged, in `planned`: the loop ends.)
  const slots: TableSlot[] = inputs.tables.map((table, index) => ({ index, table, notes: [...notes], leftOut: [], chain, planned: sets }));
  for (;;) {
    const pending = slots.filter((s) => !s.outcome);
    if (pending.length === 0) break;
    const group = pending.filter((s) => s.chain === pending[0]!.chain);
    await replayGroupOnChain(inputs, group, group[0]!.chain, target, group[0]!.planned, cuts);
    // a table refused: what is said is the first refusal in the order given, so the tables after it are not needed
    const failed = slots.find((s) => s.outcome && 'error' in s.outcome);
    if (failed) for (const s of slots) if (s.index > failed.index && !s.outcome) s.outcome = { skipped: true };
  }
  return slots.map((s): TableReplayOutcome => {
    const o = s.outcome!;
    if (!('result' in o)) return 'error' in o ? { table: s.table, error: o.error } : { table: s.table, skipped: true };
    const r = o.result;
    const used = new Set(r.chain.steps.map((st) => st.set));
    appendAll(r.notes, logCopiesNotes(all, r.chain.steps.filter((st) => st.role === 'log').map((st) => st.set)));
    const warnings = all.filter((x) => used.has(x.set)).flatMap((x) => x.warnings);
    const result = identityNotes.length ? { ...r, identityNotes } : r;
    return { table: s.table, result: warnings.length ? { ...result, warnings } : result };
  });
}

/**
 * `e` as a table's refusal after the differentials `leftOut` were left out for it: its message says
 * so (`; replayed without …, which failed its checks`), on a copy when it is a RowbackError (one
 * error of the chain may be several tables' refusal, each with its own differential pages named).
 */
function withLeftOut(e: unknown, leftOut: readonly string[]): unknown {
  if (!leftOut.length || !isRowbackError(e)) return e;
  const copy = Object.create(Object.getPrototypeOf(e) as object) as RowbackError;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(e));
  rewordMessage(copy, { suffix: `; replayed without ${leftOut.join(' and without ')}, which failed its checks` });
  return copy;
}

/**
 * The allocation units of every user table in `md` but the one replayed (whose allocation units,
 * of every partition, `own` lists): LogReplayContext.otherTablesAllocUnits. Pure.
 */
export function otherTablesAllocUnits(md: { tables: readonly TableLayout[] }, own: ReadonlyArray<{ allocUnitIds: readonly string[] }>): Set<string> {
  const mine = new Set(own.flatMap((p) => p.allocUnitIds));
  const out = new Set<string>();
  for (const t of md.tables) for (const a of t.allocUnits ?? []) if (!mine.has(a.allocUnitId)) out.add(a.allocUnitId);
  return out;
}

/**
 * The chain of a replay given no log backup (`dump --bak FULL [DIFF] --stop-before-lsn END`, no
 * --trn): the full backup and, when the last backup given is a differential based on it, that
 * differential, replayed through the last backup's own log alone to its end (`END`, its last LSN):
 * the table RESTORE … WITH RECOVERY of that backup gives (what the WARNING of a dump of its pages
 * points to, base-own-log.ts; it named a log backup after it, which a backup that is the last one
 * taken has not). Any other stop point, or backups that do not layer so (damaged, a differential of
 * another full backup), goes to `planChain`, which refuses it naming what the backups reach.
 */
function baseEndChain(sets: BackupSetRecord[], target: RestoreTarget): RestoreChain {
  // the backup RESTORE applies last, whatever the order given (--bak DIFF FULL is layered all the same)
  const diffs = sets.filter((s) => s.backupType === 'differential').sort((a, b) => (BigInt(a.lastLsn) < BigInt(b.lastLsn) ? -1 : BigInt(a.lastLsn) > BigInt(b.lastLsn) ? 1 : 0));
  const last = diffs[diffs.length - 1] ?? sets[sets.length - 1];
  const full = last?.backupType === 'full' ? last : sets.find((s) => s.backupType === 'full' && s.backupSetGuid !== null && s.backupSetGuid === last?.differentialBaseGuid);
  if (!last || target.kind !== 'lsn' || BigInt(target.lsn) !== BigInt(last.lastLsn)) {
    // a differential without its full backup: planChain's refusal names the full backup missing (the
    // advice below named a --stop-before-lsn that was refused next for it, newcomer E)
    if (last && last.backupType !== 'log' && full) {
      const end = formatLsn(lsnFromDecimal(last.lastLsn));
      throw new InputError('INPUT_BAD_OPTION', `without --trn the replay reaches only the end of ${last.devices[0]} (--stop-before-lsn ${end}, its last LSN: the table RESTORE … WITH RECOVERY of it gives, through its own log); ${target.kind === 'lsn' ? `--stop-before-lsn ${target.lsn}` : '--stop-at'} needs the log backups: --trn LOG.trn…`);
    }
    return planChain(sets, target);
  }
  if (!full || (last.backupType !== 'full' && last.backupType !== 'differential') || full.damaged || last.damaged) return planChain(sets, target);
  const steps: ChainStep[] = full === last ? [{ role: 'full', set: full }] : [{ role: 'full', set: full }, { role: 'differential', set: last }];
  return { databaseName: last.databaseName, target, steps, notes: [], reachable: [], skipped: [] };
}

/**
 * The replay of the tables of `group` over one planned chain, in one pass: the base pages opened and
 * the metadata read once, each table's base rows read (with a reader of its own, forked after the
 * metadata: its page counts and skipped pages are those of the metadata and its own pages, as a
 * replay of it alone reads them), then every log record fed to each table's LogReplay. Sets each
 * slot's outcome (a result or its refusal), or, when a differential of its base is damaged where
 * that table's replay reads it and a chain without it reaches the target, moves the slot to that
 * chain (`sets` with the differential marked damaged; the slot's note says so) for a pass of its
 * own. A table refused is dropped from the pass, with every table after it in the order given; an
 * error of the chain (log that cannot be read, the signal) is the refusal of every table still
 * replayed. Once no table is left, nothing more is read.
 */
async function replayGroupOnChain(
  inputs: ReplayTablesInputs,
  group: TableSlot[],
  chain: RestoreChain,
  target: RestoreTarget,
  sets: BackupSetRecord[],
  cuts: Map<string, SkippedItem>,
): Promise<void> {
  const baseSteps = chain.steps.filter((s) => s.role !== 'log');
  const logSteps = chain.steps.filter((s) => s.role === 'log');
  const base = baseSteps[baseSteps.length - 1].set;
  interface Live {
    slot: TableSlot;
    qualified: string;
    layout: TableLayout;
    columns: string[];
    state: RowState;
    stats: ReplayStats;
    replay: LogReplay;
    reader: PageReader;
  }
  let live: Live[] = [];
  let starting = [...group];
  // a table refused: it and the tables after it (in the order given) leave the pass
  const fail = (slot: TableSlot, e: unknown): void => {
    slot.outcome = { error: withLeftOut(e, slot.leftOut) };
    for (const s of group) if (s.index > slot.index && !s.outcome) s.outcome = { skipped: true };
    live = live.filter((x) => !x.slot.outcome);
    starting = starting.filter((x) => !x.outcome);
  };
  // an error of the chain: the refusal of every table still replayed (the first in order is said)
  const failAll = (e: unknown): void => {
    const first = [...starting, ...live.map((x) => x.slot)].sort((a, b) => a.index - b.index)[0];
    if (first) fail(first, e);
  };

  // A log backup of the chain holding data pages (BULK_LOGGED after minimally logged operations:
  // restore/history.ts logDataPages): the rows those operations added are in its extents, not in
  // its log records, and the replay reads log records only; the table printed without them.
  const bulk = logSteps.find((l) => l.set.logDataPages);
  if (bulk) {
    failAll(new ReplayError('REPLAY_UNSUPPORTED_OPERATION', `log backup ${backupSetName(bulk.set)} holds data pages: taken under the BULK_LOGGED recovery model after minimally logged operations (a bulk load, SELECT INTO, an index build), it carries the extents they changed, whose rows its log records do not hold, and the replay reads log records only; RESTORE cannot stop inside it either (no point-in-time recovery in a log backup with bulk-logged changes): restore the chain on a SQL Server to the end of this log backup or before it (\`rowback restore plan\`) and read the table there`, { file: bulk.set.devices[0] }));
    return;
  }
  let pages: ReturnType<typeof openBackupPages>;
  try {
    // the set each --bak file was read at (--position, setsOf): the same in every file
    // a set number per --bak file given (a full and a differential of one file): the sets the plan took
    pages = openBackupPages(baseSteps.map((s) => s.set.devices[0]), Array.isArray(inputs.position) ? baseSteps.map((s) => s.set.position) : inputs.position, assertBackupSet, inputs.positionFlag ? { position: inputs.positionFlag } : {});
  } catch (e) {
    failAll(e);
    return;
  }
  try {
    const mdReader = new PageReader(pages);
    let md: ReturnType<typeof readDataFileMetadata>;
    try {
      md = readDataFileMetadata(pages, mdReader);
    } catch (e) {
      failAll(e);
      return;
    }
    // the chain without a damaged differential, planned once for the tables that need it
    let alt: { chain: RestoreChain; sets: BackupSetRecord[] } | { error: unknown } | undefined;
    const basePageLsn = basePageLsnMemo(pages);
    // The page model is fed every record in log order by each table's replay alike (LogReplay.feed,
    // past the stop check, which every table passes alike): one model, each record applied once and
    // its rebuild (or its error) given to every table.
    const model = new PageSlotModel({ seed: (id: string) => pageSlots(readPageById(pages, id), id) });
    let lastRecord: LogRecord | null = null;
    let lastRebuild: { value: UpdateRebuild | undefined } | { error: unknown } = { value: undefined };
    const rebuild = (r: LogRecord): UpdateRebuild | undefined => {
      if (r !== lastRecord) {
        lastRecord = r;
        try {
          lastRebuild = { value: model.apply(r) };
        } catch (e) {
          lastRebuild = { error: e };
        }
      }
      if ('error' in lastRebuild) throw lastRebuild.error;
      return lastRebuild.value;
    };
    for (const slot of [...starting]) {
      if (slot.outcome) continue;
      const notes = slot.notes;
      const reader = mdReader.fork();
      const rowSkipped: SkippedItem[] = [];
      // the differential's pages among those that failed: left out, or the refusal names them
      const withoutDamagedDifferential = (refusal: Error): 'retry' => {
        const diff = baseSteps.find((st) => st.role === 'differential')?.set;
        const file = diff?.devices[0];
        const damaged = file === undefined ? [] : [...reader.skipped, ...rowSkipped].filter((x) => x.location.page !== undefined && pageFileOf(pages, x.location.page) === file);
        if (!diff || damaged.length === 0) throw refusal;
        const pagesSaid = [...new Set(damaged.map((x) => x.location.page))];
        const what = `the differential backup ${file}: page(s) ${pagesSaid.slice(0, 5).join(', ')}${pagesSaid.length > 5 ? ' …' : ''} failed their checks (first: ${damaged[0]!.code}: ${damaged[0]!.reason})`;
        if (!alt) {
          const without = sets.map((x) => (x === diff ? { ...x, damaged: true } : x));
          try {
            alt = { chain: planChain(without, target), sets: without };
          } catch (e) {
            alt = { error: e };
          }
        }
        if ('error' in alt) {
          const e = alt.error;
          if (!isRowbackError(e)) throw e;
          throw new ReplayError('REPLAY_UNDECODABLE', `${refusal.message}; the cause: ${what}, and without it the log backups given do not reach the stop point (${e.message})`, { file, page: pagesSaid[0] });
        }
        notes.push(`${what}: left out; replayed from ${alt.chain.steps.filter((st) => st.role !== 'log').map((st) => st.set.devices[0]).join(' + ')} and the log backups after it instead`);
        slot.leftOut.push(`the differential backup ${file} (page(s) ${pagesSaid.slice(0, 5).join(', ')}${pagesSaid.length > 5 ? ' …' : ''})`);
        slot.chain = alt.chain;
        slot.planned = alt.sets;
        return 'retry';
      };
      try {
        const detail = findTable(md, slot.table);
        if (!detail) {
          const names = md.tables.map((t) => stagedTableName(t));
          const known = tableListText(names) || '(none)';
          const damage = catalogDamage(md.skipped);
          // the table most likely meant (a database part, fn_dblog's schema.table.index, another
          // schema), as dump of the pages and every other command says it: the replay said none
          const hint = unknownTableHint(slot.table, names, md.database?.name);
          withoutDamagedDifferential(new InputError('INPUT_UNKNOWN_TABLE', damage.length
            ? `table ${slot.table} is not named in ${baseSteps.map((st) => st.set.devices[0]).join(' + ')} (the base of the restore); known tables: ${known}; its catalog is damaged (${catalogDamageSubject(damage)}), so ${slot.table} may be there, unnamed${hint}`
            : `table ${slot.table} is not in ${base.devices[0]} (the base of the restore); known tables: ${known}${hint}`, { table: slot.table, file: base.devices[0] }));
          continue;
        }
        const layout = detail.layout;
        const qualified = stagedTableName(layout);
        slot.sameNameElsewhere = otherSchemaNamesakes(md.details.keys(), qualified);
        if (layout.unreadable) {
          // which backup the damaged catalog pages were read from (a full and a differential layered: the refusal named no file)
          const damagedFiles = [...new Set(catalogDamage(md.skipped).flatMap((x) => (x.location.page === undefined ? [] : [pageFileOf(pages, x.location.page)])).filter((f): f is string => f !== undefined))];
          const inFiles = baseSteps.map((st) => st.set.devices[0]).join(' + ');
          withoutDamagedDifferential(new SchemaError('SCHEMA_COLUMNS_UNREADABLE', `${qualified} in ${inFiles} (the base of the restore): its columns could not be established: ${layout.unreadable}${damagedFiles.length ? `; those pages are read from ${damagedFiles.join(', ')}` : ''}`, { table: qualified, file: damagedFiles[0] ?? base.devices[0] }));
          continue;
        }
        const columns = visibleColumns(layout).map((c) => c.name);
        const state = new RowState(columns);
        // the file and, of a file of several, the set the page came from (`--bak F F --position 1,2`: both layers are F)
        const fromOf = pageFromMemo(pages);
        for (const r of readTableRows(pages, md, qualified, { reader, skipped: rowSkipped, checkRowCount: false })) {
          const { file, set: fileSet } = fromOf(r.page);
          state.add({ values: pick(r.values, columns), origin: 'backup', ...(file !== undefined ? { file } : {}), ...(fileSet !== undefined ? { fileSet } : {}), warnings: r.warnings });
        }
        if (rowSkipped.length) {
          const s = rowSkipped[0];
          withoutDamagedDifferential(new ReplayError('REPLAY_UNDECODABLE', `${rowSkipped.length} row(s) or page(s) of ${qualified} in ${base.devices[0]} could not be read (first: ${s.code}: ${s.reason}); the table at the stop point cannot be told exactly`, { table: qualified, file: base.devices[0] }));
          continue;
        }
        const stats = emptyReplayStats(state.size);
        const partitions = detail.partitions.map((p) => ({ partitionId: p.partitionId, allocUnitIds: p.allocUnits.map((a) => a.allocUnitId), layout: p.layout }));
        const replay = new LogReplay({ layout, columns, target, basePageLsn, rebuild, stats, partitions, otherTablesAllocUnits: otherTablesAllocUnits(md, partitions), sqlServer2005: md.database.version === SQL2005_CATALOG_DBI_VERSION });
        live.push({ slot, qualified, layout, columns, state, stats, replay, reader });
      } catch (e) {
        fail(slot, e);
      }
    }
    starting = [];
    // moved to a chain without a damaged differential: not in this pass any more
    live = live.filter((x) => x.slot.chain === chain && !x.slot.outcome);
    if (live.length === 0) return;
    const baseEnd = BigInt(base.lastLsn);
    // each stream a backup set: its file, its position in the file (several sets appended WITH NOINIT), and its name in messages
    const streams: Array<{ path: string; set: BackupSetRecord; name: string; kind: 'bak' | 'trn'; from: bigint }> = [{ path: base.devices[0], set: base, name: backupSetName({ ...base, devices: [base.devices[0]] }), kind: 'bak', from: 0n }];
    let cursor = baseEnd;
    for (const l of logSteps) {
      streams.push({ path: l.set.devices[0], set: l.set, name: backupSetName(l.set), kind: 'trn', from: cursor });
      cursor = BigInt(l.set.lastLsn);
    }
    let stopped = false;
    // the stop is the chain's (LogReplay.feed stops every table at one record): said by any table still replayed
    const stoppedAt = (): string | null => live[0]?.stats.stoppedAt ?? null;
    // --stop-before-lsn: no record at or after it is applied, so log lost from it on is not needed
    const stopLsn = target.kind === 'lsn' ? BigInt(target.lsn) : null;
    const logBlocks = { blocks: 0, checked: 0, list: [] as UncheckedLogBlock[] };
    // Of a stop time: commit End Times in log order, up to the stop and on past it (ahead), to tell a
    // stop time the server's clock passed twice (stopTimeClockWarning)
    const clock = target.kind === 'time' ? new CommitClock() : null;
    let ahead: StopTimeLookAhead | null = null;
    try {
      // two log backups meeting where a VLF ends: a lost last block of the earlier one's VLF, told by
      // the later one's first block (chain-boundary.ts), is a loss of the earlier file, judged after
      // its read (a replay that stops inside it never needs that log)
      const boundary = logSteps.length > 1 ? await chainVlfBoundaryGaps(logSteps.map((l) => ({ file: l.set.devices[0]!, position: l.set.position, name: backupSetName(l.set), firstLsn: l.set.firstLsn, lastLsn: l.set.lastLsn })), inputs.signal) : [];
      let aheadFrom: (typeof streams)[number] | null = null;
      for (const s of streams) {
        if (stopped) break;
        // Log the reader could not read (a torn or zeroed block, a gap, a cut stream) may hold the
        // table's row operations: refused when it lies where this replay reads (a zeroed block of a
        // log backup left a row out of the table at the stop point, unsaid).
        const lost = new LostLog(s.name, s.from, s.kind === 'bak' ? baseEnd : stopLsn, s.kind === 'trn' && stopLsn !== null, s.path);
        const scan = emptyLogScanStats();
        // the reader's counts when the replay stopped: the look-ahead's blocks are not the replay's
        let atStop: { blocks: number; checksummedBlocks: number; unchecked: number } | null = null;
        try {
          // with a signal, the reader gives the event loop a turn now and then: Ctrl-C is heard during the replay
          // past the stop, commit records alone are built (the look-ahead's: by op code, asked as each
          // record is reached, before anything else of it is read)
          for await (const r of openBackupLogStream(s.path, s.kind, undefined, s.set.position).records({ ...(inputs.signal ? { signal: inputs.signal } : {}), onSkipped: (x) => {
            if (!ahead) lost.items.push(x);
          } }, scan, (op) => ahead === null || op === LOP.COMMIT_XACT)) {
            if (ahead) {
              if (ahead.see(r)) break;
              continue;
            }
            const lsn = BigInt(lsnToDecimal(parseLsn(r['Current LSN'])));
            lost.check(false);
            if (s.kind === 'bak' && lsn >= baseEnd) continue; // past the backup's last_lsn: not part of it
            if (lsn < s.from) continue; // already read from the base or the previous log backup
            // every table's replay is fed the record; one refused leaves the pass (and the tables after it)
            let fedStop = false;
            for (const x of [...live]) {
              if (x.slot.outcome) continue;
              try {
                if (x.replay.feed(r, s.kind === 'bak' ? s.path : null) === 'stop') fedStop = true;
              } catch (e) {
                fail(x.slot, e);
              }
            }
            // every table refused: nothing more is read
            if (live.length === 0) return;
            if (clock && r.Operation === LOP_COMMIT_XACT && r['End Time']) clock.see(r['Current LSN'], r['End Time']);
            if (fedStop) {
              stopped = true;
              if (!clock || target.kind !== 'time') break;
              // on past the stop, commit times only: nothing more is applied or judged
              ahead = new StopTimeLookAhead(clock, target.time);
              aheadFrom = s;
              atStop = { blocks: scan.blocks, checksummedBlocks: scan.checksummedBlocks, unchecked: scan.uncheckedBlockList.length };
            }
          }
        } catch (e) {
          // log past the stop that cannot be read costs only the look-ahead
          if (!ahead || inputs.signal?.aborted) throw e;
          ahead.done = true;
        }
        if (atStop) {
          scan.blocks = atStop.blocks;
          scan.checksummedBlocks = atStop.checksummedBlocks;
          scan.uncheckedBlockList.length = atStop.unchecked;
        }
        inputs.signal?.throwIfAborted();
        // a boundary loss is the earlier set's: the one whose LSN range holds where the loss starts
        if (!stopped && s.kind === 'trn') appendAll(lost.items, boundary.filter((g) => g.item.location.file === s.path && inSet(s.set, g.from)).map((g) => g.item));
        logBlocks.blocks += scan.blocks;
        logBlocks.checked += scan.checksummedBlocks;
        for (const b of scan.uncheckedBlockList) if (logBlocks.list.length < UNCHECKED_BLOCKS_NAMED) logBlocks.list.push(b);
        // the stream against its header: its start always; its end when it was read to the end
        const set = s.set;
        const kind = set.backupType === 'log' ? 'log' : set.backupType === 'differential' ? 'differential' : 'full';
        const last = lsnFromDecimal(set.lastLsn);
        const bounds = { file: s.name, backupType: kind, firstLsn: lsnFromDecimal(set.firstLsn), lastLsn: last } as const;
        let short = backupLogCoverage(bounds, scan.firstLsn, stopped ? { vlf: last.vlf, block: last.block } : scan.end);
        appendAll(lost.items, short);
        // A --stop-before-lsn at or before the end of what a stream cut short (or otherwise short at
        // its end) holds: no record at or after the target was there to stop at, yet every record
        // before it was read (the stream's end, the next block's first slot, is not before it). The
        // replay stops there: the log lost lies past the stop (LostLog ignores it), and the cut is
        // judged up to the stop point, as when a record stops it (it was refused REPLAY_LOG_DAMAGED,
        // compared with the header's LastLSN, not the target).
        if (!stopped && stopLsn !== null && s.kind === 'trn' && scan.end !== null && BigInt(lsnToDecimal({ ...scan.end, slot: 1 })) >= stopLsn && short.some((x) => x.location.lsn !== undefined && BigInt(lsnToDecimal(parseLsn(x.location.lsn))) >= stopLsn)) {
          stopped = true;
          for (const x of live) x.stats.stoppedAt = formatLsn(lsnFromDecimal(stopLsn.toString()));
          short = short.filter((x) => x.location.lsn === undefined || BigInt(lsnToDecimal(parseLsn(x.location.lsn))) < stopLsn);
        }
        // a log stream cut short: a note when the log read holds every LSN needed (its header's
        // range, or up to the stop point when the replay stopped in it), else a loss beside `short`
        const cut = cuts.get(setKey(s.set));
        if (cut) {
          const verdict = judgeCutLogStream(cut, bounds, short, stopped ? stoppedAt() ?? undefined : undefined);
          if (verdict.note !== null) for (const x of live) x.slot.notes.push(verdict.note);
          else lost.items.push(verdict.loss);
        }
        lost.check(true);
        const pastStop = lost.pastStopNotes();
        for (const x of live) appendAll(x.slot.notes, pastStop);
      }
      inputs.signal?.throwIfAborted();
      // the chain read to its end with no commit past the stop time (it lies after the last commit of the
      // last log backup planned, before that backup's end): the first commit past it, and a clock set
      // back after it, are in the log backups given after that one; looked into as well
      const lastLog = streams[streams.length - 1];
      if (clock && target.kind === 'time' && !stopped && !ahead && lastLog?.kind === 'trn') {
        ahead = new StopTimeLookAhead(clock, target.time);
        aheadFrom = lastLog;
      }
      // the look-ahead goes on into the log backups given after the one the replay stopped in
      const looking = ahead as StopTimeLookAhead | null;
      // (from a log backup set: a stop inside the base backup's own log looks no further, as before)
      if (looking && !looking.done && aheadFrom && aheadFrom.kind === 'trn') await lookAheadInLaterLogBackups(looking, aheadFrom.set, sets, inputs.signal);
    } catch (e) {
      failAll(e);
      return;
    }
    const unchecked = logBlocks.blocks - logBlocks.checked;
    const uncheckedLog = unchecked > 0 ? uncheckedBlocksNote(unchecked, logBlocks.blocks, logBlocks.list) : null;
    for (const x of [...live]) {
      if (x.slot.outcome) continue;
      try {
        x.replay.finish(x.state);
      } catch (e) {
        fail(x.slot, e);
        continue;
      }
      const clockWarning = clock && target.kind === 'time' ? stopTimeClockWarning(clock, target.time, x.stats.stoppedAt) : undefined;
      x.slot.outcome = { result: { table: x.qualified, layout: x.layout, columns: x.columns, rows: [...x.state.rows()], chain, stats: x.stats, uncheckedLog, notes: x.slot.notes, sameNameElsewhere: x.slot.sameNameElsewhere ?? [], pageStats: x.reader.stats, ...(clockWarning ? { clockWarning } : {}) } };
    }
  } finally {
    pages.close();
  }
}

/** Whether `lsn` (fn_dblog form) lies in `set`'s LSN range, its FirstLSN up to (not including) its LastLSN. */
function inSet(set: BackupSetRecord, lsn: string): boolean {
  const at = BigInt(lsnToDecimal(parseLsn(lsn)));
  return at >= BigInt(set.firstLsn) && at < BigInt(set.lastLsn);
}

const LSN_TEXT = /([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4})/gi;

/**
 * What the log reader skipped in one file, judged where the replay reads: LSNs from `from` on, and
 * before `upTo` (in the base backup's own log its last LSN; in a log backup, a --stop-before-lsn
 * target: no record from it on is applied). An item's LSN range is its `lsnRange` where the reader
 * gave one, else its location's LSN up to the last LSN its reason names ("LSNs A up to B are lost"). An item naming no LSN (a damaged
 * block whose range the reader could not tell, FORMAT_BAD_MTF) is kept aside and counts only when
 * no range item accounts for it (`final`). Throws ReplayError REPLAY_LOG_DAMAGED for the first item that lies there.
 */
class LostLog {
  readonly items: SkippedItem[] = [];
  /** Losses read that lie wholly at or past `upTo` when it is the stop LSN: not needed by this replay, said in a note (pastStopNotes). */
  readonly pastStop: SkippedItem[] = [];
  private unplaced: SkippedItem[] = [];
  private ranged = false;

  /** `upToIsStop`: `upTo` is the --stop-before-lsn target (a log backup's stream), not the base backup's last LSN. */
  /** `file`: the backup set as messages name it (`F (FILE = n)` in a file of several); `path`: its file (the error's location), `file` by default. */
  constructor(private readonly file: string, private readonly from: bigint, private readonly upTo: bigint | null, private readonly upToIsStop = false, private readonly path = file) {}

  check(final: boolean): void {
    // called once per log record: nothing to look at (the usual case) costs no array
    if (this.items.length !== 0) for (const x of this.items.splice(0)) {
      if (!LOG_LOSS_CODES.has(x.code)) continue;
      // its range where the reader gave it (SkippedItem.lsnRange), else the LSNs its location and reason name
      const named = (x.lsnRange ? [x.lsnRange.first, x.lsnRange.last] : [...(x.location.lsn ? [x.location.lsn] : []), ...(x.reason.match(LSN_TEXT) ?? [])]).map((l) => BigInt(lsnToDecimal(parseLsn(l))));
      if (named.length === 0) {
        this.unplaced.push(x);
        continue;
      }
      this.ranged = true;
      const lo = named.reduce((a, b) => (a < b ? a : b));
      const hi = named.reduce((a, b) => (a > b ? a : b));
      if (named.length > 1 ? hi <= this.from : hi < this.from) continue; // before what this file adds
      if (this.upTo !== null && lo >= this.upTo) {
        // past the base backup's last LSN, or the stop LSN: not read for this replay
        if (this.upToIsStop) this.pastStop.push(x);
        continue;
      }
      this.refuse(x);
    }
    if (final && !this.ranged && this.unplaced.length) this.refuse(this.unplaced[0]!);
  }

  /**
   * One note per loss read past the stop point (a --stop-before-lsn replay reads on to the first
   * record at or past it, so damage between the two is met): not needed, but a later stop point
   * would be refused, and the summary's "stopped at LSN" names the first record read after it.
   */
  pastStopNotes(): string[] {
    // one loss said by two items (a damaged block and the gap it leaves, same range): one note
    const byPlace = new Map<string, { codes: string[]; where: string }>();
    for (const x of this.pastStop) {
      const where = `${x.lsnRange ? `LSNs from ${x.lsnRange.first} up to ${x.lsnRange.last}` : x.location.lsn ? `at LSN ${x.location.lsn}` : 'LSNs not known'}${x.location.offset !== undefined ? `, offset ${x.location.offset}` : ''}`;
      const key = x.lsnRange ? `${x.lsnRange.first}|${x.lsnRange.last}` : where;
      const at = byPlace.get(key);
      if (!at) byPlace.set(key, { codes: [x.code], where });
      else if (!at.codes.includes(x.code)) at.codes.push(x.code);
    }
    return [...byPlace.values()].map((p) => `${this.file}: log past the stop point could not be read (${p.codes.join(', ')}: ${p.where}): this replay applies no record from the stop point on, so it does not need that log; a later stop point would be refused, as that log may hold changes of the table`);
  }

  private refuse(x: SkippedItem): never {
    const where = [x.location.lsn ? `LSN ${x.location.lsn}` : '', x.location.offset !== undefined ? `offset ${x.location.offset}` : ''].filter(Boolean).join(', ');
    throw new ReplayError('REPLAY_LOG_DAMAGED', `${this.file}: log records could not be read (${x.code}: ${x.reason}${where ? `; ${where}` : ''}); they may hold row operations of the table, so the table at the stop point cannot be told exactly`, { file: this.path, ...(x.location.lsn ? { lsn: x.location.lsn } : {}), ...(x.location.offset !== undefined ? { offset: x.location.offset } : {}) });
  }
}

export interface LogReplayContext {
  layout: TableLayout;
  /** Visible columns, in order: the row identity of RowState. */
  columns: string[];
  target: RestoreTarget;
  /** m_lsn of a page in the base backup (`file:page` hex as fn_dblog prints Page ID), null when the backup does not hold it. */
  basePageLsn: (pageId: string) => string | null;
  /** The page model: fed every record in log order; returns the full images of a modify (update-rebuild.ts). */
  rebuild: (r: LogRecord) => UpdateRebuild | undefined;
  stats: ReplayStats;
  /**
   * The table's partitions in the base backup, each with its own layout (a partition may differ in
   * compression or physical columns: REBUILD PARTITION = n, DATA_COMPRESSION … ON PARTITIONS). A
   * log record is decoded with the layout of the partition its allocation unit belongs to; without
   * this list, or for an allocation unit none lists, `layout`.
   */
  partitions?: Array<{ partitionId: string; allocUnitIds: string[]; layout: TableLayout }>;
  /**
   * Allocation units of the database's other user tables (from the base's catalog). Their records
   * hold those tables' rows, never catalog rows, so the search of a DDL transaction's records for
   * this table's ids (mentionsTable) passes them by: an index rebuild or bulk load of another table
   * logs its rows, and a 4-byte value there equal to this table's object id (an int column: a
   * number, a Unix time) refused this table's replay, or warned of it beside a dump, for nothing.
   */
  otherTablesAllocUnits?: ReadonlySet<string>;
  /**
   * The base backup is SQL Server 2005's (boot page dbi_version 611): its columns are in
   * sysrowsetcolumns and syshobtcolumns, not sysrscols, and the layout watch reads those
   * (recover/layout-changes.ts).
   */
  sqlServer2005?: boolean;
}

/**
 * The record-by-record part of a replay, apart from any file: `feed` takes the log records in LSN
 * order (the base backup's own log portion first, flagged by `fromBase`), keeps the table's row
 * operations per transaction and refuses what cannot be applied exactly; `finish` applies them to
 * the base rows (redo what committed and is not on the base pages, then undo what the base pages
 * hold uncommitted). See the file comment for the rules.
 */
export class LogReplay {
  private readonly txns = new Map<string, Txn>();
  private lastLsn = -1n;
  private readonly dataAus: Set<string>;
  private readonly otherAus: Set<string>;
  private readonly table: string;
  /** Each partition's layout by its allocation unit ids (ctx.partitions). */
  private readonly layoutByAu = new Map<string, TableLayout>();
  /** The table's ids as they appear in catalog rows: allocation unit and partition ids (bigint LE), object id (int LE). */
  private readonly idBytes: Uint8Array[];
  /**
   * Changes of the table's columns (its sys.sysrscols / sys.syscolpars rows inserted or deleted,
   * recover/layout-changes.ts), whatever the transaction's name: an ALTER TABLE inside a user's
   * transaction (an application's schema migration: BEGIN TRAN … ALTER TABLE … COMMIT, named
   * user_transaction as Database1_log.ldf's CREATE PROCEDUREs are) passed DDL_NAMES by, and the rows
   * logged after it were applied and decoded with the base backup's layout.
   */
  private readonly layoutWatch: LayoutChangeWatch;

  constructor(private readonly ctx: LogReplayContext) {
    const aus = ctx.layout.allocUnits ?? [];
    this.dataAus = new Set(aus.filter((a) => a.type === 'IN_ROW_DATA').map((a) => a.allocUnitId));
    this.otherAus = new Set(aus.filter((a) => a.type !== 'IN_ROW_DATA').map((a) => a.allocUnitId));
    this.table = stagedTableName(ctx.layout);
    const big = (v: string) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v));
      return new Uint8Array(b);
    };
    for (const p of ctx.partitions ?? []) for (const au of p.allocUnitIds) this.layoutByAu.set(au, p.layout);
    const partitionIds = new Set([...(ctx.layout.partitionId ? [ctx.layout.partitionId] : []), ...(ctx.partitions ?? []).map((p) => p.partitionId)]);
    this.idBytes = [...aus.map((a) => big(a.allocUnitId)), ...[...partitionIds].map(big)];
    if (ctx.layout.objectId) {
      const b = Buffer.alloc(4);
      b.writeInt32LE(ctx.layout.objectId);
      this.idBytes.push(new Uint8Array(b));
    }
    // (the base backup's catalog: a change it already holds, logged before its pages were copied, is not one)
    const parts = ctx.partitions?.length ? ctx.partitions : ctx.layout.partitionId ? [{ partitionId: ctx.layout.partitionId, layout: ctx.layout }] : [];
    this.layoutWatch = new LayoutChangeWatch([{ table: this.table, ...(ctx.layout.objectId ? { objectId: ctx.layout.objectId } : {}), partitionIds: [...partitionIds], ...(parts.length ? { columnKeys: columnKeysOf(ctx.layout, parts) } : {}) }], null, false, ctx.sqlServer2005 === true);
    if (this.dataAus.size === 0) throw new ReplayError('REPLAY_UNSUPPORTED_OPERATION', `${this.table}: its allocation units are not known from the base backup, so its log records cannot be told apart`, { table: this.table });
  }

  /**
   * One record, in LSN order. `fromBase`: the base backup's path when the record is part of its own
   * log portion (its change may already be on the copied pages), else null. Returns 'stop' at the
   * stop point (the record is not applied). Records must come in rising LSN order
   * (REPLAY_LOG_OUT_OF_ORDER otherwise). Throws ReplayError REPLAY_* (file comment).
   */
  feed(r: LogRecord, fromBase: string | null): 'stop' | 'ok' {
    const { stats, target } = this.ctx;
    const lsn = BigInt(lsnToDecimal(parseLsn(r['Current LSN'])));
    // Redo, undo and the stop all follow LSN order: a record out of order (a log read in file
    // order across wrapped VLFs, a damaged stream) would apply changes in the wrong order.
    if (lsn <= this.lastLsn) refuse('REPLAY_LOG_OUT_OF_ORDER', r, `it comes after a record with a later or equal LSN, so the log is not in LSN order`);
    this.lastLsn = lsn;
    if (target.kind === 'lsn' && lsn >= BigInt(target.lsn)) {
      stats.stoppedAt = r['Current LSN'];
      return 'stop';
    }
    const op = r.Operation;
    const id = r['Transaction ID'];
    if (op === LOP_COMMIT_XACT && target.kind === 'time') {
      const end = r['End Time'] ? beginTimeToIso(r['End Time']) : null;
      if (end === null) refuse('REPLAY_UNSUPPORTED_OPERATION', r, 'a commit with no End Time: whether it is before the stop time cannot be told');
      if (end > target.time) {
        stats.stoppedAt = r['Current LSN'];
        return 'stop';
      }
    }
    stats.records++;
    const rebuild = this.ctx.rebuild(r);
    if (op === LOP_BEGIN_XACT) {
      this.layoutWatch.abort(id);
      this.txns.set(id, { ops: [], name: r['Transaction Name'] ?? null, state: 'open', commitTime: null, beginTime: r['Begin Time'] ? beginTimeToIso(r['Begin Time']) : null });
      return 'ok';
    }
    if (op === LOP_COMMIT_XACT || op === LOP_ABORT_XACT) {
      const t = this.txns.get(id);
      if (op === LOP_ABORT_XACT) this.layoutWatch.abort(id);
      else {
        const changed = this.layoutWatch.commit(id, { name: t?.name ?? null, endTime: r['End Time'] ?? null, pageMove: t?.deleteSplit === true });
        if (changed.length) refuse('REPLAY_UNSUPPORTED_OPERATION', r, `transaction ${id}${t?.name ? ` ('${t.name}')` : ''} changed ${this.table}'s columns (it inserted or deleted the table's rows of ${changed[0]!.catalogTables}, the first at LSN ${changed[0]!.lsn}: a column added, dropped or altered), so the rows logged after it are in another layout than the base backup's and would be applied and decoded with the wrong one`);
      }
      if (t) {
        t.state = op === LOP_COMMIT_XACT ? 'committed' : 'aborted';
        t.commitTime = r['End Time'] ? beginTimeToIso(r['End Time']) : null;
        if (t.deleteSplit) dropSplitMoves(t, stats);
        else namedSplitInserts(t, stats);
        if (t.ops.length === 0) this.txns.delete(id);
      }
      return 'ok';
    }
    // An operation code the log reader does not know (LOP_UNKNOWN_n: a newer SQL Server's, or a damaged
    // record): only its header is read, so it names no allocation unit or page, and it was passed by
    // as another table's; the table was printed without the change it may have made (a row inserted
    // by it was missing, exit 0, no word).
    if (op.startsWith('LOP_UNKNOWN_')) refuse('REPLAY_UNSUPPORTED_OPERATION', r, `an operation rowback does not know (operation code ${op.slice('LOP_UNKNOWN_'.length)}: a newer SQL Server's, or a damaged record): only its header is read, so whether it changes ${this.table}'s rows, and how, cannot be told (\`rowback log\` lists it)`);
    if (op === LOP_DELETE_SPLIT) {
      // a page split's system transaction (the record carries no AllocUnitId in the .ldf reader's
      // records): its inserts, held, are rows moved (dropSplitMoves)
      let t = this.txns.get(id);
      if (!t) this.txns.set(id, (t = { ops: [], name: null, state: 'open', commitTime: null }));
      t.deleteSplit = true;
    }
    const au = r.AllocUnitId ?? null;
    if (au === null || (!this.dataAus.has(au) && !this.otherAus.has(au))) {
      // the table's column catalog rows, in a transaction of any name: judged at its commit
      if ((op === LOP_INSERT_ROWS || op === LOP_DELETE_ROWS) && this.layoutWatch.watches(r) && DATA_CONTEXTS.has(r.Context)) this.layoutWatch.see(r, op === LOP_INSERT_ROWS);
      // DDL elsewhere in the database: refused when its records name this table's ids (TRUNCATE,
      // ALTER, a rebuild rewrite the table's catalog rows: sysallocunits, sysrowsets, syscolpars…).
      const t = this.txns.get(id);
      if (t?.name && DDL_NAMES.test(t.name)) {
        if (this.mentionsTable(r)) refuse('REPLAY_UNSUPPORTED_OPERATION', r, `transaction '${t.name}' (${id}) changes catalog rows naming ${this.table} (its object, partition or allocation unit id is in this record): the table's rows or layout change without row records`);
        if (!t.ddlNoted) {
          t.ddlNoted = true;
          stats.ddlElsewhere.push({ lsn: r['Current LSN'], transaction: id, name: t.name });
        }
      }
      return 'ok';
    }
    const table = this.table;
    let t = this.txns.get(id);
    if (!t) this.txns.set(id, (t = { ops: [], name: null, state: 'open', commitTime: null }));
    if (t.name && DDL_NAMES.test(t.name)) refuse('REPLAY_UNSUPPORTED_OPERATION', r, `transaction '${t.name}' (${id}) changes ${table} with a statement that moves or drops rows without row records`);
    if (t.name && MOVE_NAMES.test(t.name) && op === LOP_INSERT_ROWS && DATA_CONTEXTS.has(r.Context)) {
      // A split's moved row, or a row a user's transaction named SplitPage (BEGIN TRAN SplitPage)
      // inserted: held, told at its commit by a LOP_DELETE_SPLIT in it (dropSplitMoves). Its page is
      // often new (not in a base backup): not on the base pages when not known there.
      const pid = r['Page ID'];
      const pl = fromBase !== null && pid ? this.ctx.basePageLsn(pid) : null;
      const inBase = pl !== null && lsn <= BigInt(lsnToDecimal(parseLsn(pl)));
      const baseLog = fromBase !== null ? { baseLog: { from: fromBase, pageKnown: pl !== null } } : {};
      t.ops.push(rebuild ? { record: kept(r, 'insert'), kind: 'insert', inBase, rebuild, splitInsert: true, ...baseLog } : { record: kept(r, 'insert'), kind: 'insert', inBase, splitInsert: true, ...baseLog });
      return 'ok';
    }
    // (a split logs no other row operation on data pages: a delete or update in a transaction so named
    // is a user's, replayed as any other)
    if (t.name && MOVE_NAMES.test(t.name) && !(DATA_CONTEXTS.has(r.Context) && ROW_OPS.has(op)) && (NEUTRAL_DATA_OPS.has(op) || STRUCTURE_CONTEXTS.has(r.Context) || ROW_OPS.has(op))) {
      return 'ok';
    }
    if (this.otherAus.has(au)) {
      if (STRUCTURE_CONTEXTS.has(r.Context)) return 'ok';
      refuse('REPLAY_UNSUPPORTED_OPERATION', r, `a change to ${table}'s LOB/row-overflow pages (off-row values are not replayed)`);
    }
    if (!DATA_CONTEXTS.has(r.Context)) {
      if (STRUCTURE_CONTEXTS.has(r.Context)) return 'ok';
      refuse('REPLAY_UNSUPPORTED_OPERATION', r, `context ${r.Context} on ${table}'s pages: its effect on the rows is not known`);
    }
    // A page of the table logged whole: a bulk load logged by pages (INSERT … SELECT WITH (TABLOCK)
    // into a heap, BULK INSERT, bcp) writes its rows in LOP_FORMAT_PAGE page images, no row records
    // (FORMAT_PAGE_IMAGE_MIN); passed as a page formatted empty, they were missing from the table at
    // any point after it. A split's page (MOVE_NAMES) was let through above: its rows moved.
    if (op === 'LOP_FORMAT_PAGE' && (r['Log Record Length'] ?? 0) >= FORMAT_PAGE_IMAGE_MIN) {
      refuse('REPLAY_UNSUPPORTED_OPERATION', r, `a LOP_FORMAT_PAGE of ${r['Log Record Length']} bytes on ${table}'s page ${r['Page ID'] ?? '?'}, in transaction ${t.name ? `'${t.name}' ` : ''}(${id}): the page image logged whole, the rows of a bulk load logged by pages (INSERT … SELECT WITH (TABLOCK), BULK INSERT, bcp) and not as row records, which the replay reads`);
    }
    if (!ROW_OPS.has(op)) {
      if (NEUTRAL_DATA_OPS.has(op)) return 'ok';
      refuse('REPLAY_UNSUPPORTED_OPERATION', r, `its effect on ${table}'s rows is not known`);
    }
    let inBase = false;
    if (fromBase !== null) {
      const pid = r['Page ID'];
      const pl = pid ? this.ctx.basePageLsn(pid) : null;
      if (!pid || pl === null) refuse('REPLAY_BASE_PAGE_UNKNOWN', r, `a change inside the base backup whose page is not in ${fromBase}, so whether the copied page holds it cannot be told`);
      inBase = lsn <= BigInt(lsnToDecimal(parseLsn(pl)));
      stats.baseLogOps.total++;
      if (inBase) stats.baseLogOps.inBase++;
    }
    const kind = op === LOP_INSERT_ROWS ? 'insert' : op === LOP_DELETE_ROWS ? 'delete' : 'update';
    t.ops.push(rebuild ? { record: kept(r, kind), kind, inBase, rebuild } : { record: kept(r, kind), kind, inBase });
    return 'ok';
  }

  /**
   * What `finish` would apply, by the same rule, without applying it: the row operations it would redo (their transaction committed or rolled back, not on the base pages)
   * and undo (on the base pages, their transaction open at the stop), and the LSNs of every row
   * operation kept, in LSN order.
   * For a base backup read alone (dump --bak without --trn, base-own-log.ts): `redo` are changes the
   * copied pages lack, `undo` uncommitted changes they show, compared with RESTORE … WITH RECOVERY.
   */
  pending(): { redo: PendingOp[]; undo: PendingOp[]; all: string[] } {
    const { redo, undo } = this.chosen();
    const all = [...this.txns.values()].flatMap((t) => t.ops.map((o) => o.record['Current LSN'])).sort((a, b) => lsnCmp(lsnToDecimal(parseLsn(a)), lsnToDecimal(parseLsn(b))));
    const said = (o: ReplayOp): PendingOp => ({ lsn: o.record['Current LSN'], kind: o.kind });
    return { redo: redo.map(said), undo: undo.map(said), all };
  }

  /** The row operations finish applies: redo in LSN order, undo newest first (see finish). */
  private chosen(): { redo: ReplayOp[]; undo: ReplayOp[] } {
    const redo: ReplayOp[] = [];
    const undo: ReplayOp[] = [];
    for (const t of this.txns.values()) {
      const counts = t.state !== 'open';
      for (const o of t.ops) {
        // (a split's move is never undone: undoing it puts the same row back on its old page)
        if (o.splitInsert && t.deleteSplit) continue;
        if (counts && !o.inBase) redo.push(o);
        // an insert of a transaction named SplitPage with no LOP_DELETE_SPLIT read, open at the stop, is
        // undone as any other: a user's (BEGIN TRAN SplitPage), or a split cut before its old page lost
        // the rows (that LOP_DELETE_SPLIT not reached), whose moved copy the base pages hold twice
        if (!counts && o.inBase) undo.push(o);
      }
    }
    const byLsn = (a: ReplayOp, b: ReplayOp) => lsnCmp(lsnToDecimal(parseLsn(a.record['Current LSN'])), lsnToDecimal(parseLsn(b.record['Current LSN'])));
    redo.sort(byLsn);
    undo.sort(byLsn).reverse();
    return { redo, undo };
  }

  private mentionsTable(r: LogRecord): boolean {
    if (r.AllocUnitId && this.ctx.otherTablesAllocUnits?.has(r.AllocUnitId)) return false;
    for (const k of ['RowLog Contents 0', 'RowLog Contents 1', 'RowLog Contents 2', 'RowLog Contents 3', 'RowLog Contents 4', 'Log Record'] as const) {
      const v = r[k];
      if (!(v instanceof Uint8Array)) continue;
      const buf = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      for (const id of this.idBytes) if (buf.indexOf(id) >= 0) return true;
    }
    return false;
  }

  /**
   * Applies what was fed to `state` (the base rows): redo, in LSN order, the row operations of
   * transactions that committed or rolled back (their compensation records undo them) and are not
   * on the base pages; then undo, newest first, those on the base pages whose transaction was
   * still open at the stop. Throws ReplayError REPLAY_ROW_NOT_FOUND / _NO_FULL_IMAGE / _UNSUPPORTED_RECORD / _UNDECODABLE.
   */
  finish(state: RowState): void {
    const { stats, layout, columns } = this.ctx;
    for (const t of this.txns.values()) {
      if (t.ops.length === 0) continue;
      if (t.state === 'committed') {
        stats.committedTransactions++;
        if (t.commitTime && (!stats.lastCommitTime || t.commitTime > stats.lastCommitTime)) stats.lastCommitTime = t.commitTime;
      }
      if (t.state === 'open') {
        // (open at the stop, a page the base backup lacks is no doubt: it cannot hold the row, nothing to
        // undo; so a split cut before its LOP_DELETE_SPLIT, its new page not copied, is not refused)
        if (!t.deleteSplit) namedSplitInserts(t, stats, false);
        const target = this.ctx.target;
        if (target.kind === 'time' && t.beginTime && t.beginTime > target.time) stats.begunAfterStop = (stats.begunAfterStop ?? 0) + 1;
        else stats.openAtStop++;
      }
    }
    const { redo, undo } = this.chosen();
    const layoutOf = (o: ReplayOp): TableLayout => (o.record.AllocUnitId ? this.layoutByAu.get(o.record.AllocUnitId) : undefined) ?? layout;
    for (const o of redo) {
      apply(o, 'redo', state, layoutOf(o), columns, this.table);
      stats.redone[o.kind]++;
    }
    for (const o of undo) {
      apply(o, 'undo', state, layoutOf(o), columns, this.table);
      stats.undone++;
    }
  }
}

function pick(values: Record<string, SqlValue>, columns: string[]): Record<string, SqlValue> {
  return pickOwn(values, columns) as Record<string, SqlValue>;
}

/** The decoded values of a full row image logged by `r`, or a refusal. */
function decodeImage(r: LogRecord, image: Uint8Array | null | undefined, layout: TableLayout, columns: string[], what: string): { values: Record<string, SqlValue>; warnings: string[] } {
  if (!image || image.length === 0) refuse('REPLAY_NO_FULL_IMAGE', r, `no ${what} row image`);
  if (image[0] & 1) refuse('REPLAY_UNSUPPORTED_RECORD', r, `the ${what} image is a row-compressed (CD) record, which the replay does not handle`);
  const type = recordTypeOf(image[0]);
  if (type !== RecordType.PRIMARY && type !== RecordType.GHOST_DATA) refuse('REPLAY_UNSUPPORTED_RECORD', r, `the ${what} image is a record of type ${type} (1 forwarded, 2 forwarding stub), not a primary row: heap row moves are not replayed`);
  let d;
  try {
    d = decodeRow(image, layout, { lsn: r['Current LSN'], file: r.source?.file });
  } catch (e) {
    if (isRowbackError(e)) refuse('REPLAY_UNDECODABLE', r, `the ${what} image does not decode: ${e.code}: ${e.message}`);
    throw e;
  }
  // Any warning that says the row does not fit its layout (the scan's layout check counts the same ones).
  const drift = d.warnings.find((w) => hasDriftWarning([w]));
  if (drift) refuse('REPLAY_UNDECODABLE', r, `the ${what} image does not fit the table's layout in the base backup (${drift}): the table was altered in the log`);
  const values = pick(d.values, columns);
  // a FILESTREAM column's marker (its file is on no page) goes through with the row's warning, as a dump prints it
  for (const [c, v] of Object.entries(values)) if (isPagedOffRow(v)) refuse('REPLAY_UNSUPPORTED_RECORD', r, `column ${c} of the ${what} image is stored off-row; LOB pages are not replayed`);
  return { values, warnings: d.warnings };
}

function apply(o: ReplayOp, dir: 'redo' | 'undo', state: RowState, layout: TableLayout, columns: string[], table: string): void {
  const r = o.record;
  // the page the record wrote (fn_dblog `Page ID`, ffff:pppppppp): a later data file's copy of that
  // page tells whether the file has seen this record (compare.ts, staleLaterRows)
  const origin = { lsn: r['Current LSN'], ...(r['Page ID'] ? { page: r['Page ID'] } : {}) };
  const add = (img: { values: Record<string, SqlValue>; warnings: string[] }) => state.add({ values: img.values, origin, warnings: img.warnings });
  const remove = (img: { values: Record<string, SqlValue>; warnings: string[] }, why: string) => {
    if (!state.remove(img.values, img.warnings)) refuse('REPLAY_ROW_NOT_FOUND', r, `${why}: ${table} holds no row ${JSON.stringify(img.values)} at this point, so the replay has diverged from the real table`);
  };
  if (o.kind === 'insert' || o.kind === 'delete') {
    const img = decodeImage(r, r['RowLog Contents 0'], layout, columns, o.kind === 'insert' ? 'inserted' : 'deleted');
    const adds = (o.kind === 'insert') === (dir === 'redo');
    if (adds) add(img);
    else remove(img, dir === 'redo' ? 'deleting a row' : 'undoing an uncommitted insert');
    return;
  }
  const rb = o.rebuild;
  if (!rb || rb.kind !== 'rebuilt') refuse('REPLAY_NO_FULL_IMAGE', r, `the update logs only its changed bytes and no full row image could be rebuilt for it${rb && rb.kind === 'skipped' ? ` (${rb.code}: ${rb.reason})` : ''}`);
  const before = decodeImage(r, rb.before, layout, columns, 'before');
  const after = decodeImage(r, rb.after, layout, columns, 'after');
  if (dir === 'redo') {
    remove(before, 'updating a row');
    add(after);
  } else {
    remove(after, 'undoing an uncommitted update');
    add(before);
  }
}

/**
 * What a row operation held until `finish` keeps of its log record: the fields `finish`, `pending`
 * and a refusal read (its LSN, operation, context, transaction, allocation unit, page and slot, the
 * file it came from) and, of an insert or delete, its row image (`RowLog Contents 0`, copied: no view
 * into a log block kept alive); an update's images are its rebuild's. Every row operation of the
 * replayed range is held until the end of the log read (a committed one too: redo runs in LSN order
 * at the end), those of every table replayed in one pass at once, so each byte kept counts: the whole
 * record was copied, with its other images (`RowLog Contents 1`…, `Log Record`) and fields no one
 * reads again, about 2 KB an insert of a two-column row (test/replay/log-replay-held-memory.test.ts).
 */
function kept(r: LogRecord, kind: ReplayOp['kind']): LogRecord {
  const out: LogRecord = { 'Current LSN': r['Current LSN'], Operation: r.Operation, Context: r.Context, 'Transaction ID': r['Transaction ID'] };
  if (r.AllocUnitId !== undefined) out.AllocUnitId = r.AllocUnitId;
  if (r['Page ID'] !== undefined) out['Page ID'] = r['Page ID'];
  if (r['Slot ID'] !== undefined) out['Slot ID'] = r['Slot ID'];
  if (r.source?.file !== undefined) out.source = { kind: r.source.kind, file: r.source.file };
  const image = r['RowLog Contents 0'];
  if (kind !== 'update' && image !== undefined) out['RowLog Contents 0'] = image instanceof Uint8Array ? image.slice() : image;
  return out;
}

/**
 * A `replayTableAt` for a run that replays the tables `tables` over the same chains one table after
 * the other (a restore job of several tables: each table compared on its own), reading each chain
 * once: its first call for a chain (the same `bak`, `trn` and `target`) replays every table of
 * `tables` in one pass (replayTablesOutcomes) and keeps each one's outcome; a call for a table among
 * them gives its result, or throws its refusal, as `replayTableAt` of it alone does (a refusal of
 * the chain itself, thrown before any table is looked at, is thrown for each). A table not among
 * them, or `skipped` there (a table before it was refused, so the run, which stops at that refusal,
 * does not ask for it), is replayed alone. The first call's `signal` is the pass's. The results are
 * shared, not copied: callers must not change them.
 */
export function sharedReplays(tables: readonly string[]): (inputs: ReplayInputs) => Promise<ReplayResult> {
  const passes = new Map<string, Promise<TableReplayOutcome[]>>();
  return async (inputs) => {
    if (!tables.includes(inputs.table)) return replayTableAt(inputs);
    const key = JSON.stringify([inputs.bak, inputs.position ?? null, inputs.positionFlag ?? null, inputs.trn, inputs.target]);
    let pass = passes.get(key);
    if (!pass) {
      const { table: _t, ...rest } = inputs;
      pass = replayTablesOutcomes({ ...rest, tables: [...tables] });
      // a refusal of the chain is each table's; awaited by each call (no unhandled rejection meanwhile)
      pass.catch(() => undefined);
      passes.set(key, pass);
    }
    const o = (await pass)[tables.indexOf(inputs.table)]!;
    if ('error' in o) throw o.error;
    if ('result' in o) return o.result;
    return replayTableAt(inputs);
  };
}
