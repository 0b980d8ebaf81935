import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { stagedTableName } from '../util/tsql.js';
import type { LogRecord } from '../logreader/log-record.js';
import { compareLsn, parseLsn, type Lsn } from '../logreader/lsn.js';
import {
  LOP_ABORT_XACT, LOP_BEGIN_XACT, LOP_COMMIT_XACT, LOP_DELETE_ROWS, LOP_DELETE_SPLIT, LOP_INSERT_ROWS,
  LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW, LCX_CLUSTERED, LCX_HEAP, LCX_MARK_AS_GHOST,
} from '../logreader/log-record.js';
import { contextName, operationName } from '../logreader/ldf/constants.js';
import type { RecordKeep } from '../logreader/ldf/reader.js';
import { hexToBytesLoose } from './bytes.js';
import { HeldCandidates } from './held-candidates.js';
import type { MetadataCatalog, RowCandidate, ScanFilter, SkippedItem, TransactionInfo } from './source.js';
import { OPERATIONS_FOR, pairOperationFor } from '../logreader/scan-operations.js';
export { OPERATIONS_FOR, pairOperationFor } from '../logreader/scan-operations.js';
import { beginTimeToIso, inWindow } from './time-window.js';
import { localMs, logTimeText } from './log-local-time.js';
import { CLOCK_STEPS_KEPT, clockSetBackSentence, CommitClock, stepMayRepeatInWindow, type ClockBackwards } from './commit-clock.js';
import type { RebuildCandidate, UpdateRebuild } from './update-rebuild.js';
import { LayoutChangeWatch, watchedTables, type LayoutChange } from './layout-changes.js';
import { forwardedHomeSlot, forwardingStubTarget, isForwardedRecordImage, isIndexRecordImage } from '../reconstruct/record/status.js';
import {
  CD_RECORD_FORMAT, CD_RECORD_LONG_DATA, CD_RECORD_VERSIONING, RECORD_NULL_BITMAP, RECORD_VARIABLE_COLUMNS,
  RECORD_VERSIONING_TAG, VERSIONING_TAG_SIZE,
} from '../reconstruct/record/status.js';
import { appendAll } from '../util/append-all.js';

/**
 * Contexts of data-row operations on a heap or clustered index. LCX_MARK_AS_GHOST is what a
 * clustered-index delete logs; nonclustered index deletes log it too, which is why the
 * allocation unit must also belong to a heap/clustered partition in the catalog.
 */
export const DATA_ROW_CONTEXTS: ReadonlySet<string> = new Set([LCX_HEAP, LCX_CLUSTERED, LCX_MARK_AS_GHOST]);

export interface CommittedScanStats {
  /** Transactions begun in the scanned log (LOP_BEGIN_XACT records). */
  transactions: number;
  /**
   * LOP_COMMIT_XACT records read, including commits of transactions begun before the scanned log
   * starts (their BEGIN is not in it): so `committed` can exceed `transactions`.
   */
  committed: number;
  /** LOP_ABORT_XACT records read (rolled back), counted as `committed` is. */
  aborted: number;
  /**
   * Row operations of the wanted kinds on heap/clustered-index data rows, before any other
   * filter (the denominator of the counts below).
   */
  rowOps: number;
  /** Row operations of the wanted kinds whose transaction never committed in the scanned log. */
  uncommittedRowOps: number;
  /** …of those, in transactions that rolled back (LOP_ABORT_XACT). */
  rolledBackRowOps: number;
  /** Row operations of committed transactions whose Begin Time is outside the window. */
  outsideWindowRowOps: number;
  /**
   * The earliest and latest Begin Time (fn_dblog form) of the transactions of those row operations:
   * "why no rows" says when they began, so a window given in another time zone (UTC, the analyst's
   * own) than the server's local time is seen for what it is. Absent when none was counted.
   */
  outsideWindowFirstBegin?: string;
  outsideWindowLastBegin?: string;
  /**
   * …of outsideWindowRowOps, by side of the window: those of transactions begun before its start
   * (`--from`; with those of outsideWindowBeginUnreadRowOps, which committed before it, so began
   * before it) and after its end (`--to`), with the earliest and latest Begin Time (fn_dblog form) of
   * each side's transactions whose LOP_BEGIN_XACT was read. Before, one span was said of all of them:
   * with some begun before the window and some after, it held the window itself and told nobody which
   * end to move (RestoreTimeClean's six log backups, --from 13:10 --to 13:20: "they began from
   * 2017/06/01 12:59:12:970 to 2017/06/01 13:28:43:320").
   * A Begin Time on neither side (a live server's row with none) is in neither count. Absent when 0.
   */
  outsideWindowBeforeRowOps?: number;
  outsideWindowBeforeFirstBegin?: string;
  outsideWindowBeforeLastBegin?: string;
  outsideWindowAfterRowOps?: number;
  outsideWindowAfterFirstBegin?: string;
  outsideWindowAfterLastBegin?: string;
  /**
   * …of outsideWindowRowOps, those of transactions whose LOP_BEGIN_XACT is not in the log read that
   * committed before the window's start (so began before it), and the latest End Time of their
   * commits: their Begin Time is in no span above. Before, "why no rows" said all the row operations
   * counted outside "began from A to B", a span that did not hold them (one committed before A).
   * Absent when none.
   */
  outsideWindowBeginUnreadRowOps?: number;
  outsideWindowBeginUnreadLastCommit?: string;
  /**
   * With a window: row operations of committed transactions whose LOP_BEGIN_XACT is not in the log
   * read (they began before it, or in log that could not be read), that committed at or after the
   * window's start. Their Begin Time is not known, so whether they began in the window cannot be
   * told: they are left out, and said (beginUnreadClause: INCOMPLETE). Those that committed before the
   * window's start began before it too, and are counted in outsideWindowRowOps; with no start and an
   * end, those that committed by the end began by it, inside the window: returned. Before, all of them
   * were counted outside, and "why no rows" said they "began outside the window" (newcomer: a mass
   * delete begun before the .trn given, committed in the window, was lost with that reason).
   */
  beginUnreadRowOps?: number;
  /**
   * With a window: transactions whose LOP_BEGIN_XACT was read but carries no Begin Time that can be
   * read (none, or not a datetime), and the LSN of the first. Counted with those whose begin was not
   * read (beginUnreadRowOps: placed by their commit where it can be, else INCOMPLETE); they were taken
   * as begun outside the window, their rows left out with "began outside the window" and exit 0.
   */
  beginTimeUnknownTransactions?: number;
  beginTimeUnknownFirstLsn?: string;
  /** …the transactions they belong to. */
  beginUnreadTransactions?: number;
  /** The earliest and latest End Time (fn_dblog form) of those transactions' commits; absent when none. */
  beginUnreadFirstCommit?: string;
  beginUnreadLastCommit?: string;
  /**
   * Of each transaction counted in beginUnreadRowOps, the LSN of its first record read, its row
   * operations and its commit's End Time (fn_dblog form): placed after the read by the log lost or in
   * no file given before it (beginUnreadPlacedByGaps). At most BEGIN_UNREAD_PLACES_KEPT; past them
   * `beginUnreadPlacesOverflow` and none is placed (kept INCOMPLETE).
   */
  beginUnreadPlaces?: Array<{ firstLsn: string | null; rowOps: number; endTime: string | null }>;
  beginUnreadPlacesOverflow?: true;
  /**
   * Set by beginUnreadPlacedByGaps: row operations (and their transactions) taken out of
   * beginUnreadRowOps because their transaction's first record read comes right after a log backup
   * missing from the chain (FORMAT_LOG_CHAIN_GAP) or a stretch in no file given, so it began by that
   * stretch's `before` bound (`beginUnreadPlacedOutsideBy`, the latest such, ISO local time), before
   * the window's start; or because the window starts after the log read's first commit (a begin not
   * read that is before the read began by then) and misses each such stretch before that record (ends
   * before its `after` or starts after its `before`): provably not asked for; or, the log read from
   * files, because their first record read comes before any such stretch and the window starts after
   * the read's first commit (counted again in beginUnreadPlacedBeforeReadRowOps). A breaker's SYNTHETIC
   * chain with backup 2 left out and a window on either side of it was INCOMPLETE (exit 3 under
   * --strict) over the rows the whole chain gives.
   */
  beginUnreadPlacedOutsideRowOps?: number;
  beginUnreadPlacedOutsideTransactions?: number;
  beginUnreadPlacedOutsideBy?: string;
  /**
   * …of beginUnreadPlacedOutsideRowOps (and its transactions), those placed by where the log read
   * starts alone (beginUnreadPlacedByGaps, `read.files`): read from files (an .ldf, log backups, a
   * backup's own log), which hold every record from the read's first LSN on but for the log lost or in
   * no file given, and first read before any such stretch, so their LOP_BEGIN_XACT has an LSN below
   * every record read: it was written before the read's first commit, whose End Time
   * (`beginUnreadPlacedBeforeReadBy`, ISO local time; with an .ldf holding older log cut off from the
   * rest, the first commit past the break when later) is before the window's start. Before, a scan of
   * an .ldf (or a chain starting at a later log backup) with `--from` after the transactions open at
   * its start had begun said INCOMPLETE over them (exit 3 under --strict), a false alarm. Absent when none.
   */
  beginUnreadPlacedBeforeReadRowOps?: number;
  beginUnreadPlacedBeforeReadTransactions?: number;
  beginUnreadPlacedBeforeReadBy?: string;
  /** Row operations on tables the metadata knows but the --table filter left out. */
  otherTableRowOps: number;
  /**
   * The first place where the commits' End Times, in log (LSN) order, run backwards by more than
   * CLOCK_BACK_SECONDS (commit-clock.ts): `earlier` is the commit with the latest End Time read before it (LSN, fn_dblog
   * form time), `later` the commit after it in the log that ended `seconds` earlier. Commit records
   * are written as the transactions commit, so their times run forwards unless the server's clock was
   * set back (the autumn daylight-saving change repeats an hour of local time; a manual or NTP step).
   * Then a local time in the repeated stretch names two moments, and a --from/--to window or a stop
   * time in it may be ambiguous (clockBackwardsWarning). Begin Times are not compared: a
   * transaction's LOP_BEGIN_XACT is logged at its first change, after other transactions' records,
   * with the time it began. Absent when the times never ran backwards so far.
   */
  clockBackwards?: ClockBackwards;
  /** Every backwards step of the commit times in log order (CommitClock.steps, the first CLOCK_STEPS_KEPT): windowClockStep judges a window by the one it can reach. */
  clockSteps?: readonly ClockBackwards[];
  /** The earliest and latest Begin Time of the scanned log's transactions (fn_dblog form), null when none. */
  firstBeginTime: string | null;
  lastBeginTime: string | null;
  /**
   * The earliest End Time of the commits read (fn_dblog form), absent when none: a commit read before
   * the first begin (of a transaction whose begin is not in the log read) shows the log read reaches
   * back to it (window-before-log.ts windowBeforeLogStartClause).
   */
  firstCommitTime?: string;
  /**
   * The Begin Time of the first transaction begin read, and the End Time of the first commit read, in
   * log (LSN) order (fn_dblog form), absent when none: where the log read begins in time. The same as
   * firstBeginTime/firstCommitTime on a log whose clock ran forward (every .ldf and log backup of the
   * corpus); on one whose clock was set back the earliest times are later in the log, and a window
   * starting between them and the log's first was taken as inside the log read
   * (window-before-log.ts windowBeforeLogStartClause is given these).
   */
  startBeginTime?: string;
  startCommitTime?: string;
  /**
   * The LSN of that first commit (startCommitTime's), absent when none: beginUnreadPlacedByGaps
   * places by the read's start only transactions first read in a VLF no later than its.
   */
  startCommitLsn?: string;
  /** Row operations on allocation units the metadata does not know (system tables, other tables), index records not counted. */
  unknownAllocUnitRowOps: number;
  /**
   * Row operations of the wanted kinds whose image is an index record (isIndexRecordImage) on an
   * allocation unit the metadata does not know: nonclustered index rows, not counted in `rowOps`.
   */
  indexRowOps?: number;
  /**
   * Row operations of the wanted kinds on allocation units the data file's catalog names for no
   * user table's data (MetadataCatalog.namesOtherUnit: a nonclustered, XML or columnstore index, an
   * internal table such as change tracking's or a Service Broker queue's), not counted in `rowOps`.
   */
  otherUnitRowOps?: number;
  /**
   * Of `unknownAllocUnitRowOps`, the count per AllocUnitId (decimal), for the first
   * UNKNOWN_ALLOC_UNITS_KEPT distinct units (later ones are only in the total): explainNoRows names
   * the most frequent. Updated only on the unknown-allocation-unit path. Absent in stats built by
   * hand (emptyStats has it).
   */
  unknownAllocUnits?: Map<string, number>;
  /**
   * Where a reader finds the records of `unknownAllocUnits` (unknownAllocUnitsClause's last words);
   * absent: `rowback log --alloc-unit ID`, which reads log files. An export scan sets its own: `rowback
   * log` refuses export files, and the advice sent a responder to a command that could not run.
   */
  unknownAllocUnitsListedBy?: string;
  /**
   * Of `unknownAllocUnitRowOps`, those on SQL Server's own system base tables, told by the
   * allocation unit id (isSystemBaseTableAllocUnit). Absent in stats built by hand.
   */
  systemTableRowOps?: number;
  compensationRowOps: number;
  /**
   * Row operations of a page split: SQL Server moves the rows after the split point to a new page
   * in a system transaction of its own (named `SplitPage`), logging each moved row as
   * LOP_INSERT_ROWS on the new page and their removal from the old page as LOP_DELETE_SPLIT. Those
   * rows were inserted before (in NORTHWND_log.ldf 23 of the 40 such inserts are byte for byte a row
   * image an earlier INSERT logged), so they are not inserts and are not returned: a scan printed
   * each as an insert of the split's time and SPID. Told by the transaction's name or by a
   * LOP_DELETE_SPLIT in it (its LOP_BEGIN_XACT may not be in the log read). Absent in stats built by hand.
   */
  pageMoveRowOps?: number;
  /**
   * Row operations returned from transactions named `SplitPage` that hold no LOP_DELETE_SPLIT in the
   * log read: a user's transaction so named (BEGIN TRAN SplitPage), or a split whose LOP_DELETE_SPLIT
   * the source left out (an export made by an earlier sql/export-log-records.sql); said in a note, with
   * the LOP_BEGIN_XACT LSN of the first. Absent in stats built by hand.
   */
  splitNamedRowOps?: number;
  /** The Transaction IDs of the first few page splits whose inserts were left out (pageMoveRowOps), for their note (one more than it names, when there are more). */
  pageMoveTransactions?: string[];
  /** The Current LSN of the first few forwarded inserts left out (forwardedInsertRowOps), for their note. */
  forwardedInsertLsns?: string[];
  splitNamedFirstLsn?: string;
  /**
   * Inserts whose image is a forwarded record (isForwardedRecordImage): a heap row an UPDATE grew,
   * moved to another page (its home slot keeps a forwarding stub, the record a back pointer to it).
   * The row existed before; not returned as an insert (a scan printed it as one, with the UPDATE's
   * time and SPID and the row's new values). Absent in stats built by hand.
   */
  forwardedInsertRowOps?: number;
  /**
   * Deletes (a delete-only scan) of a forwarded record whose own transaction inserted a forwarded
   * record naming the same home slot in its back pointer: the row moved to another page (an UPDATE
   * that grew it again), it was not deleted; not returned. Absent in stats built by hand.
   */
  forwardedMoveRowOps?: number;
  /** The Current LSN of the first few of those deletes (FORWARDED_MOVE_LSNS_KEPT), named in the note so they can be checked. */
  forwardedMoveLsns?: string[];
  /**
   * Row operations of the wanted kind (delete or insert) a committed transaction undid itself: the
   * same transaction also logged the opposite operation with the same row (same allocation unit,
   * same row image but for its status and versioning bytes), as a rolled-back statement or savepoint
   * writes (its compensation records), or as deleting a row and inserting it again. Not returned:
   * the row is where it was before the transaction. See {@link committedCandidateBatches}.
   */
  undoneInTransactionRowOps: number;
  /**
   * Committed transactions that logged more opposite operations (inserts beside a delete scan's
   * deletes, or deletes beside an insert scan's inserts) on a table than PAIR_BUDGET_BYTES holds,
   * and returned rows of that table: some of those rows may have been undone in the transaction
   * (the scan says so on stderr, even with --quiet).
   */
  undoneUncheckedTransactions: number;
  /**
   * Committed transactions (in the window) that removed rows without logging them one by one:
   * TRUNCATE TABLE and DROP TABLE (SQL Server names their transactions `TRUNCATE TABLE` and
   * `DROPOBJ`; databasejournal.com "How to read a transaction log backup" finds a dropped table by
   * `[Transaction Name] = 'DROPOBJ'`). Their rows are in no log record: only a backup holds them.
   */
  rowlessRemovals: number;
  /** The first RowlessRemoval.MAX_KEPT of them, in commit order. */
  rowlessRemovalList: RowlessRemoval[];
  candidates: number;
  /**
   * Of `candidates`, those the source then left out as SOURCE_SCHEMA_DRIFT (a live or export scan:
   * the row's table was altered after its transaction began; a files scan: logged after a change of
   * its table's columns that the data file's or backup's catalog predates, `schemaDriftInLog`):
   * said by explainNoRows, which said 'none kept' of rows it had passed on.
   */
  schemaDriftRowOps?: number;
  /** schemaDriftRowOps were told by the log's own catalog records (CommittedOnePassOptions.layoutsAsOf), not by a catalog's modify_date. */
  schemaDriftInLog?: true;
  /**
   * Set by a source whose server already kept only committed transactions, begun in the window,
   * with a wanted row operation on the tables (or a TRUNCATE TABLE / DROP TABLE): the live query
   * (logreader/live/sql.ts scanSql). The counts then describe what the server returned, not the
   * log, and explainNoRows says so instead of describing the log's transactions.
   */
  serverFiltered?: true;
}

/** A TRUNCATE TABLE or DROP TABLE transaction the scan saw commit (CommittedScanStats.rowlessRemovals). */
export interface RowlessRemoval {
  kind: 'TRUNCATE TABLE' | 'DROP TABLE';
  transactionId: string;
  /** LSN of its LOP_BEGIN_XACT (fn_dblog form): `dump --stop-before-lsn` gives the table as it stood before it. */
  beginLsn: string | null;
  /** fn_dblog form, server local time. */
  beginTime: string | null;
  spid: number | null;
  /** Transaction SID, 0x hex. */
  sid: string | null;
}
const ROWLESS_KEPT = 20;
/** Distinct unknown allocation units counted one by one (CommittedScanStats.unknownAllocUnits). */
export const UNKNOWN_ALLOC_UNITS_KEPT = 1000;
/** How many of them explainNoRows names, most frequent first. */
const UNKNOWN_ALLOC_UNITS_NAMED = 5;

/** The kind of row removal a transaction name stands for, or null (see CommittedScanStats.rowlessRemovals). */
export function rowlessRemovalKind(name: string | null | undefined): RowlessRemoval['kind'] | null {
  // every commit asks: a name shorter than the shorter of the two is neither (no text made for it)
  if (!name || name.length < 7) return null;
  const n = name.trim().toUpperCase();
  if (n === 'TRUNCATE TABLE') return 'TRUNCATE TABLE';
  if (n === 'DROPOBJ') return 'DROP TABLE';
  return null;
}

export interface CommittedOptions {
  stats?: CommittedScanStats;
  /**
   * Called with every row-bearing record, in log order, before any filtering (all transactions:
   * the page model of `--op update` must see every change to a page). What it returns for a
   * LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS record travels with that record's candidate as `rebuild`.
   */
  onRecord?: (r: LogRecord) => UpdateRebuild | undefined;
}

export function emptyStats(): CommittedScanStats {
  return {
    transactions: 0,
    committed: 0,
    aborted: 0,
    rowOps: 0,
    uncommittedRowOps: 0,
    rolledBackRowOps: 0,
    outsideWindowRowOps: 0,
    otherTableRowOps: 0,
    unknownAllocUnitRowOps: 0,
    indexRowOps: 0,
    otherUnitRowOps: 0,
    systemTableRowOps: 0,
    unknownAllocUnits: new Map(),
    compensationRowOps: 0,
    undoneInTransactionRowOps: 0,
    undoneUncheckedTransactions: 0,
    rowlessRemovals: 0,
    rowlessRemovalList: [],
    candidates: 0,
    firstBeginTime: null,
    lastBeginTime: null,
  };
}

interface TxnState extends TransactionInfo {
  /** Whether the transaction's rows can be kept at all (its Begin Time is in the window). */
  inWindow: boolean;
  /**
   * With a window, a transaction whose LOP_BEGIN_XACT was not read: held as if inside the window
   * (`inWindow` true) until its commit tells where its Begin Time lies, as far as it can
   * (CommittedScanStats.beginUnreadRowOps).
   */
  beginUnread?: true;
  /** …and the LSN of its first record read (CommittedScanStats.beginUnreadPlaces). */
  firstLsn?: string;
  /** Candidates held until the commit or abort is seen (as bytes; in a temporary file beyond the budget). */
  held: HeldCandidates<HeldCandidate> | null;
  /**
   * The transaction's opposite operations on the wanted tables, by pair key (pairKey), counted:
   * each cancels one held candidate with the same key at the commit. Null until the first one.
   */
  pairs: Map<string, number> | null;
  /** Bytes of `pairs`' keys (counted against PAIR_BUDGET_BYTES). */
  pairBytes: number;
  /** Allocation units whose opposite operations could not all be kept (the budget ran out). */
  pairsLost: Set<string> | null;
  /** LSN of its LOP_BEGIN_XACT, when read. */
  beginLsn: string | null;
  /**
   * Its wanted row operations on allocation units the catalog does not name (not a system base
   * table's), by unit: counted in `unknownAllocUnitRowOps` at its commit, as uncommitted or rolled
   * back otherwise. Null until the first one.
   */
  unknown?: Map<string, number> | null;
  /** A LOP_DELETE_SPLIT was read in it: a page split's system transaction (CommittedScanStats.pageMoveRowOps). */
  pageMove?: true;
}

/**
 * The name SQL Server gives the system transaction of a page split (NORTHWND_log.ldf, School_Log.ldf:
 * every transaction holding a LOP_DELETE_SPLIT whose LOP_BEGIN_XACT was read is named so). Its row
 * operations move rows between pages (CommittedScanStats.pageMoveRowOps); replay/point-in-time.ts
 * leaves them out of a replay for the same reason.
 */
export function isPageMoveTransaction(name: string | null | undefined): boolean {
  return name === 'SplitPage';
}


interface HeldCandidate {
  record: LogRecord;
  rebuild?: UpdateRebuild;
}

/**
 * Default memory budget for candidates held for open transactions: bytes of their encoded form
 * (held-candidates.ts), counted exactly, outside V8's heap.
 */
export const DEFAULT_HOLD_BUDGET = 64 * 1024 * 1024;

/**
 * Bytes of opposite operations' pair keys kept across open transactions (committedCandidateBatches):
 * beyond it a transaction's further ones are not kept, and when it returns rows of that table the
 * scan says they were not checked (undoneUncheckedTransactions).
 */
export const PAIR_BUDGET_BYTES = 32 * 1024 * 1024;

/**
 * What a scan says when `undoneUncheckedTransactions` is not 0 (the CLI on stderr even with --quiet,
 * a staging job in its notes): some printed rows may have been taken back by their own transaction.
 */
export function undoneUncheckedNote(transactions: number): string {
  return `UNCHECKED: ${transactions} transaction(s) also logged more of the opposite operation on a table than rowback keeps to compare (${PAIR_BUDGET_BYTES / (1024 * 1024)} MiB): whether some of their printed rows were taken back by the same transaction (a rolled-back statement or savepoint) was not checked; check those rows against the database before re-inserting them`;
}

export interface CommittedOnePassOptions extends CommittedOptions {
  /** Bytes of candidates held for open transactions (encoded, exact) before the largest holder is spilled to a temporary file. */
  holdBudgetBytes?: number;
  /** Folder for spill files (default: the OS temporary folder). */
  spillDir?: string;
  /** Bytes of pair keys kept across open transactions (default PAIR_BUDGET_BYTES). */
  pairBudgetBytes?: number;
  /**
   * The LSN (fn_dblog form) the catalog's layouts are as of, when the catalog is a data file's or
   * backup's own (its boot page dbi_checkptLSN). With it, a row operation of a table logged after a
   * committed change of that table's columns past this LSN (layout-changes.ts: its sysrscols or
   * syscolpars rows inserted or deleted) is not returned: it is counted in schemaDriftRowOps and
   * handed to `onLayoutChanged`, since the catalog does not describe the layout it was written in.
   * null: a catalog of no known time (catalog JSON given with --schema): only a change it evidently
   * predates counts (none of the column ids the change added is in it).
   */
  layoutsAsOf?: string | null;
  /** With layoutsAsOf: the database is SQL Server 2005's (dbi_version 611), whose column catalog is sysrowsetcolumns + syshobtcolumns (layout-changes.ts). */
  layoutsSqlServer2005?: boolean;
  /** Each row operation left out by `layoutsAsOf`, with the change that came before it. */
  onLayoutChanged?: (c: RowCandidate, change: LayoutChange) => void;
}

/**
 * One pass over a log stream: row operations are held per open transaction until its
 * LOP_COMMIT_XACT (then yielded, in log order within the transaction, transactions in commit order)
 * or its LOP_ABORT_XACT (then dropped).
 *
 * Undone inside the transaction: a committed transaction can take back some of its own row
 * operations — a statement that fails midway is rolled back alone (a DELETE stopped by a foreign key
 * at its 500th row leaves 499 deletes and their compensation inserts in a transaction that goes on
 * and commits), as are ROLLBACK TRANSACTION to a savepoint and an application that deletes a row and
 * inserts it again. Printing those deletes would hand the DBA rows that still exist. So when the
 * filter asks for deletes (or for inserts) but not both, the transaction's opposite operations on
 * the wanted tables are kept as pair keys ({@link pairKey}: allocation unit + row image without its
 * status and versioning bytes, compared exactly), and at the commit each cancels one held
 * candidate with the same key, the earliest first: it is not returned and is counted in
 * `undoneInTransactionRowOps`. The rollback's compensation records are recognised by this
 * pairing, whether or not the source marks them (the offline reader cannot: structures.ts).
 * Keys are kept within PAIR_BUDGET_BYTES across open transactions; a transaction past it that
 * returns rows of such a table is counted in `undoneUncheckedTransactions`. Memory: the transaction facts, plus the held candidates,
 * encoded as bytes (held-candidates.ts: no object per held candidate, nothing kept viewing a log
 * block) within `holdBudgetBytes`; beyond it the transaction holding the most is written to a
 * temporary file and read back at its commit, so a transaction deleting 10 M rows runs in flat
 * memory. Each candidate yielded is a new record equal to the one the reader built.
 *
 * A transaction whose LOP_BEGIN_XACT is not in the scanned log has no Begin Time: it is kept only
 * when the filter has no window (its rows cannot be placed in one). A transaction with no commit
 * or abort in the log is counted in `uncommittedRowOps`, never returned.
 *
 * `open` may yield records one by one or in arrays (a log block's records); it is given a
 * RecordKeep naming the records this filter looks at (transaction begin/commit/abort and the
 * wanted row operations on data-row contexts; undefined when `onRecord` must see every record), so
 * a log reader can leave the others unbuilt. Sources that cannot skip records ignore it.
 */
export async function* committedCandidates(
  open: (keep?: RecordKeep) => AsyncIterable<LogRecord | LogRecord[]>,
  filter: ScanFilter,
  catalog: MetadataCatalog,
  options: CommittedOnePassOptions = {},
): AsyncIterable<RowCandidate> {
  for await (const batch of committedCandidateBatches(open, filter, catalog, options)) yield* batch;
}

/**
 * Candidates handed out at most this many at a time by {@link committedCandidateBatches}: a large
 * transaction's rows are not all turned into objects at once (a held transaction may be tens of MB
 * encoded).
 */
export const CANDIDATE_BATCH = 512;

/**
 * {@link committedCandidates}, the same candidates in the same order, handed out in arrays: the
 * candidates a commit in one input item (a log block's records) released, up to
 * {@link CANDIDATE_BATCH} per array (never empty). One async step per array instead of one per
 * candidate: measured on a SYNTHETIC 256 MB CRM log (838,013 committed deletes), the per-candidate
 * promise hops of the source → filter → recoverRows chain cost more CPU than decoding the rows.
 */
export async function* committedCandidateBatches(
  open: (keep?: RecordKeep) => AsyncIterable<LogRecord | LogRecord[]>,
  filter: ScanFilter,
  catalog: MetadataCatalog,
  options: CommittedOnePassOptions = {},
): AsyncIterable<RowCandidate[]> {
  const stats = options.stats ?? emptyStats();
  const wantedOps = new Set(filter.operations.flatMap((o) => OPERATIONS_FOR[o]));
  const wantedTables = filter.tables?.length
    ? // the catalog's exact names (byName matches another case only when one table has it: a
      // case-sensitive database may hold dbo.T and dbo.t, and --table dbo.t is not dbo.T)
      // each by its parts (stagedTableName): dbo.[Order.Items] and [dbo.Order].Items were one `schema.name` text, and --table of either scanned both
      new Set(filter.tables.map((t) => {
        const l = catalog.byName(t);
        return l ? stagedTableName(l) : t;
      }))
    : null;
  // a table's key, once per layout object (the hot loop asks it per row operation)
  const keys = new WeakMap<TableLayout, string>();
  const keyOf = (t: TableLayout): string => {
    const had = keys.get(t);
    if (had !== undefined) return had;
    const k = stagedTableName(t);
    keys.set(t, k);
    return k;
  };
  const hasWindow = Boolean(filter.from || filter.to);
  const budget = options.holdBudgetBytes ?? DEFAULT_HOLD_BUDGET;
  const txns = new Map<string, TxnState>();
  let heldTotal = 0;
  // isSystemBaseTableAllocUnit per distinct unknown unit, not per row operation (a BigInt parse each)
  const systemUnit = new Map<string, boolean>();

  // Undone inside the transaction (see the docstring): pairs are looked for when the scan asks for
  // deletes or for inserts, not both (then both are printed: each happened).
  const pairOp = pairOperationFor(filter.operations);
  // The wanted operation a pair key cancels (never an update held beside it: its RowLog Contents 0 is a slice of a row).
  const pairedOp = pairOp === null ? null : pairOp === LOP_INSERT_ROWS ? LOP_DELETE_ROWS : LOP_INSERT_ROWS;
  let pairTotal = 0;
  const pairBudget = options.pairBudgetBytes ?? PAIR_BUDGET_BYTES;
  const dropPairs = (t: TxnState): void => {
    pairTotal -= t.pairBytes;
    t.pairBytes = 0;
    t.pairs = null;
  };

  /**
   * The ordinals of a transaction's held candidates that its opposite operations (`pairs`, used up
   * as they match) took back: a first pass over them (peeked, not drained).
   */
  const pairedAway = async (held: HeldCandidates<HeldCandidate>, pairs: Map<string, number>, exclude: ReadonlySet<number> | null = null): Promise<Set<number>> => {
    const taken = new Set<number>();
    // A forwarded record's delete is a move only while its home slot still holds the row: a row really
    // deleted loses its home slot's record (the forwarding stub) too. Per home slot, the forwarded
    // deletes that may be moves are those beyond the home slot records deleted: a row forwarded by an
    // UPDATE then deleted in the same transaction, or deleted with its slot reused by a row the
    // transaction inserted then grew (a forwarded insert naming the same home slot), is deleted.
    // A forwarding stub deleted names the forwarded record it pointed at: that record's delete, at that
    // place, is the row's own (deleted), whatever the counts say (stubTargets, by place).
    const forwardedDeletes = new Map<string, number>();
    const homeDeletes = new Map<string, number>();
    const stubTargets = new Map<string, number>();
    if (forwardedMovesPossible(pairs)) {
      const count = (h: HeldCandidate): void => {
        if (h.record.Operation !== LOP_DELETE_ROWS) return;
        const au = h.record.AllocUnitId ?? '';
        const home = forwardedHomeSlot(h.record['RowLog Contents 0']);
        if (home !== null) forwardedDeletes.set(forwardedKey(au, home), (forwardedDeletes.get(forwardedKey(au, home)) ?? 0) + 1);
        const slot = homeSlotOf(h.record['Page ID'], h.record['Slot ID']);
        if (slot !== null && !isForwardedRecordImage(h.record['RowLog Contents 0'])) {
          homeDeletes.set(forwardedKey(au, slot), (homeDeletes.get(forwardedKey(au, slot)) ?? 0) + 1);
          const target = forwardingStubTarget(h.record['RowLog Contents 0']);
          if (target !== null) stubTargets.set(forwardedKey(au, target), (stubTargets.get(forwardedKey(au, target)) ?? 0) + 1);
        }
      };
      if (held.spilled) for await (const h of held.peek()) count(h);
      else for (const h of held.peekInMemory()) count(h);
    }
    const moves = new Map<string, number>();
    for (const [k, d] of forwardedDeletes) moves.set(k, Math.max(0, d - (homeDeletes.get(k) ?? 0)));
    let i = 0;
    const look = (h: HeldCandidate): void => {
      const op = h.record.Operation;
      if ((op !== pairedOp && op !== LOP_DELETE_ROWS) || exclude?.has(i)) {
        i++;
        return;
      }
      const au = h.record.AllocUnitId ?? '';
      const key = op === pairedOp ? pairKey(au, h.record['RowLog Contents 0'], catalog.byAllocUnit(au)?.compression, h.record['Page ID']) : null;
      if (key !== null && takePair(pairs, key) !== 'none') taken.add(i);
      else if (op === LOP_DELETE_ROWS) {
        // (also in a scan for deletes and inserts, where forwarded inserts are kept by this key alone)
        // a forwarded record deleted where its transaction inserted one naming the same home slot, that
        // slot's record not deleted: moved
        const home = forwardedHomeSlot(h.record['RowLog Contents 0']);
        const fk = home === null ? null : forwardedKey(au, home);
        const here = fk === null ? null : homeSlotOf(h.record['Page ID'], h.record['Slot ID']);
        const stubbed = here === null ? 0 : (stubTargets.get(forwardedKey(au, here)) ?? 0);
        if (stubbed > 0) stubTargets.set(forwardedKey(au, here!), stubbed - 1); // the row's own delete: printed
        else if (fk !== null && (moves.get(fk) ?? 0) > 0 && takePair(pairs, fk) !== 'none') {
          moves.set(fk, moves.get(fk)! - 1);
          taken.add(i);
          stats.forwardedMoveRowOps = (stats.forwardedMoveRowOps ?? 0) + 1;
          if (stats.forwardedMoveLsns === undefined) stats.forwardedMoveLsns = [];
          if (stats.forwardedMoveLsns.length < FORWARDED_MOVE_LSNS_KEPT) stats.forwardedMoveLsns.push(h.record['Current LSN']);
          stats.undoneInTransactionRowOps--; // counted as moved, not as taken back (the caller adds taken.size)
        }
      }
      i++;
    };
    if (held.spilled) for await (const h of held.peek()) look(h);
    else for (const h of held.peekInMemory()) look(h);
    return taken;
  };

  /**
   * Keeps one count of pair key `k` (an opposite operation's, or a forwarded insert's home slot) in
   * the transaction's pair keys, within the pair budget; past it, `au` is marked as having lost some.
   */
  const keepPair = (t: TxnState, k: string, au: string): void => {
    const m = (t.pairs ??= new Map());
    const had = m.get(k);
    if (had !== undefined) m.set(k, had + 1);
    else if (pairTotal + k.length <= pairBudget) {
      m.set(k, 1);
      t.pairBytes += k.length;
      pairTotal += k.length;
    } else (t.pairsLost ??= new Set()).add(au);
  };

  /** The ordinals of a transaction's held candidates that are inserts (a page split's moved rows). */
  const heldInserts = async (held: HeldCandidates<HeldCandidate>): Promise<Set<number>> => {
    const found = new Set<number>();
    let i = 0;
    const look = (h: HeldCandidate): void => {
      if (h.record.Operation === LOP_INSERT_ROWS) found.add(i);
      i++;
    };
    if (held.spilled) for await (const h of held.peek()) look(h);
    else for (const h of held.peekInMemory()) look(h);
    return found;
  };

  const newTxn = (id: string, r: LogRecord | null, at?: string): TxnState => {
    const beginTime = r ? r['Begin Time'] ?? null : null;
    // a LOP_BEGIN_XACT read whose Begin Time is not known (none, or not a datetime: a damaged record of
    // a block without a checksum, an edited export): where it began cannot be told, as for one not read
    // (beginTimeUnknownTransactions); it was counted as begun outside the window, with nothing said
    const timeless = r !== null && hasWindow && (beginTime === null || safeIso(beginTime) === null);
    if (timeless) {
      stats.beginTimeUnknownTransactions = (stats.beginTimeUnknownTransactions ?? 0) + 1;
      stats.beginTimeUnknownFirstLsn ??= r['Current LSN'];
    }
    const t: TxnState = {
      transactionId: id,
      beginTime,
      endTime: null,
      name: r ? r['Transaction Name'] ?? null : null,
      sid: r ? toBytes(r['Transaction SID']) : null,
      login: null,
      spid: r ? r.SPID ?? null : null,
      // no begin read, with a window: held until its commit says more (beginUnread)
      inWindow: !hasWindow || r === null || timeless || (beginTime !== null && inWindow(safeIso(beginTime), filter.from, filter.to)),
      held: null,
      pairs: null,
      pairBytes: 0,
      pairsLost: null,
      beginLsn: r ? r['Current LSN'] ?? null : null,
    };
    if ((!r || timeless) && hasWindow) {
      t.beginUnread = true;
      // (a timeless begin read has no first LSN kept: it began where its begin lies, not before the
      // read, so the log lost before it places nothing: beginUnreadPlacedByGaps)
      if (at && !r) t.firstLsn = at;
    }
    txns.set(id, t);
    return t;
  };
  /** A row operation of a transaction outside the window: counted, not held. */
  const leftOutOfWindow = (t: TxnState): void => {
    stats.outsideWindowRowOps++;
    outsideBegan(t.beginTime);
    if (outsideSide === 'before') stats.outsideWindowBeforeRowOps = (stats.outsideWindowBeforeRowOps ?? 0) + 1;
    else if (outsideSide === 'after') stats.outsideWindowAfterRowOps = (stats.outsideWindowAfterRowOps ?? 0) + 1;
  };
  /**
   * Where the Begin Time of a transaction whose LOP_BEGIN_XACT was not read lies, from its commit's
   * End Time `iso` (ISO form, null when unknown; it began before that): 'outside' when it committed before the window's start, 'inside'
   * when the window has no start and it committed by the window's end, else 'unknown'.
   */
  const unreadVerdict = (iso: string | null): 'inside' | 'outside' | 'unknown' => {
    if (iso === null) return 'unknown';
    if (filter.from) return iso < filter.from ? 'outside' : 'unknown';
    return inWindow(iso, undefined, filter.to) ? 'inside' : 'unknown';
  };
  // the End Time span of the commits of transactions whose begin was not read (stats.beginUnreadFirstCommit)
  let unreadFirstIso: string | null = null;
  let unreadLastIso: string | null = null;
  // the latest End Time of those that committed before the window's start (stats.outsideWindowBeginUnreadLastCommit)
  let outsideUnreadLastIso: string | null = null;
  /** At the commit of a transaction whose begin was not read, not placed in the window: its `k` row operations counted, `iso` its commit's End Time in ISO form (CommittedScanStats.beginUnreadRowOps). */
  const settleBeginUnread = (t: TxnState, iso: string | null, k: number): void => {
    stats.beginUnreadRowOps = (stats.beginUnreadRowOps ?? 0) + k;
    stats.beginUnreadTransactions = (stats.beginUnreadTransactions ?? 0) + 1;
    // where it was first read, for the log lost before it to place (beginUnreadPlacedByGaps)
    if (!stats.beginUnreadPlacesOverflow) {
      const places = (stats.beginUnreadPlaces ??= []);
      if (places.length < BEGIN_UNREAD_PLACES_KEPT) places.push({ firstLsn: t.firstLsn ?? null, rowOps: k, endTime: t.endTime });
      else {
        stats.beginUnreadPlacesOverflow = true;
        delete stats.beginUnreadPlaces;
      }
    }
    if (iso === null || t.endTime === null) return;
    if (unreadFirstIso === null || iso < unreadFirstIso) {
      unreadFirstIso = iso;
      stats.beginUnreadFirstCommit = t.endTime;
    }
    if (unreadLastIso === null || iso > unreadLastIso) {
      unreadLastIso = iso;
      stats.beginUnreadLastCommit = t.endTime;
    }
  };
  // the Begin Time span of the row operations left outside the window (stats.outsideWindowFirstBegin)
  let outsideFirstIso: string | null = null;
  let outsideLastIso: string | null = null;
  // the last Begin Time seen here: a transaction's row operations come one after another, so its
  // time is parsed once, not per row (with a narrow window most row operations of a log land here)
  let outsideSeen: string | null = null;
  // the side of the window that Begin Time is on (null: neither, or not known)
  let outsideSide: 'before' | 'after' | null = null;
  // each side's Begin Time span (stats.outsideWindowBeforeFirstBegin, …AfterFirstBegin)
  const sideIso = { before: { first: null as string | null, last: null as string | null }, after: { first: null as string | null, last: null as string | null } };
  const outsideBegan = (beginTime: string | null): void => {
    if (beginTime === outsideSeen) return;
    outsideSeen = beginTime;
    outsideSide = null;
    const iso = beginTime === null ? null : safeIso(beginTime);
    if (iso === null || beginTime === null) return;
    if (outsideFirstIso === null || iso < outsideFirstIso) {
      outsideFirstIso = iso;
      stats.outsideWindowFirstBegin = beginTime;
    }
    if (outsideLastIso === null || iso > outsideLastIso) {
      outsideLastIso = iso;
      stats.outsideWindowLastBegin = beginTime;
    }
    outsideSide = windowSide(iso, filter.from, filter.to);
    if (outsideSide === null) return;
    const span = sideIso[outsideSide];
    if (span.first === null || iso < span.first) {
      span.first = iso;
      if (outsideSide === 'before') stats.outsideWindowBeforeFirstBegin = beginTime;
      else stats.outsideWindowAfterFirstBegin = beginTime;
    }
    if (span.last === null || iso > span.last) {
      span.last = iso;
      if (outsideSide === 'before') stats.outsideWindowBeforeLastBegin = beginTime;
      else stats.outsideWindowAfterLastBegin = beginTime;
    }
  };
  const unknownCount = (t: TxnState): number => {
    let n = 0;
    for (const k of t.unknown?.values() ?? []) n += k;
    return n;
  };
  const info = (t: TxnState): TransactionInfo => ({ transactionId: t.transactionId, beginTime: t.beginTime, endTime: t.endTime, name: t.name, sid: t.sid, login: t.login, spid: t.spid });

  // the catalog's own column rows changed in the log read after the catalog was taken (layout-changes.ts)
  const watch = options.layoutsAsOf !== undefined ? new LayoutChangeWatch(watchedTables(catalog), options.layoutsAsOf, options.layoutsAsOf === null, options.layoutsSqlServer2005 === true) : null;
  const keepOps = new Set([...wantedOps, ...(pairOp ? [pairOp] : []), ...(watch ? [LOP_INSERT_ROWS, LOP_DELETE_ROWS] : [])]);
  const keep = options.onRecord ? undefined : recordKeep(keepOps);
  /** A held candidate to hand out, or null when its table's columns changed before it (layoutsAsOf). */
  const changedBefore = (record: LogRecord): LayoutChange | null => {
    if (!watch?.any || !record.AllocUnitId) return null;
    const tb = catalog.byAllocUnit(record.AllocUnitId);
    return tb ? watch.changeFor(keyOf(tb), record['Current LSN'], tb.partitionId) : null;
  };
  let out: RowCandidate[] = [];
  // commit End Times in log order (stats.clockBackwards)
  const clock = new CommitClock();
  try {
    for await (const item of open(keep)) {
     const batch = Array.isArray(item) ? item : [item];
     for (const r of batch) {
      const op = r.Operation;
      const rebuild = options.onRecord?.(r);
      if (op === LOP_BEGIN_XACT) {
        stats.transactions++;
        const bt = r['Begin Time'];
        if (bt) {
          // fn_dblog's `yyyy/MM/dd HH:mm:ss:fff` is fixed-width: it orders as text.
          if (!stats.firstBeginTime || bt < stats.firstBeginTime) stats.firstBeginTime = bt;
          stats.startBeginTime ??= bt;
          if (!stats.lastBeginTime || bt > stats.lastBeginTime) stats.lastBeginTime = bt;
        }
        const prior = txns.get(r['Transaction ID']);
        watch?.abort(r['Transaction ID']);
        if (prior) dropPairs(prior);
        if (prior?.unknown && prior.inWindow) stats.uncommittedRowOps += unknownCount(prior);
        if (prior?.held) {
          // A second BEGIN for a transaction still open here (a stale record of a reused VLF, or
          // overlapping inputs): what it held never committed in this log. Before, the map entry was
          // replaced and its candidates forgotten: counted in no bucket, their bytes left in heldTotal
          // for good and their spill file never removed.
          heldTotal -= prior.held.memoryBytes;
          if (prior.inWindow) stats.uncommittedRowOps += prior.held.count;
          await prior.held.discard();
        }
        newTxn(r['Transaction ID'], r);
        continue;
      }
      if (op === LOP_COMMIT_XACT || op === LOP_ABORT_XACT) {
        // commit times in log order: one text compare a commit (fn_dblog's form orders as text)
        const et = op === LOP_COMMIT_XACT ? r['End Time'] : undefined;
        if (et) {
          clock.see(r['Current LSN'], et);
          if (stats.firstCommitTime === undefined || et < stats.firstCommitTime) stats.firstCommitTime = et;
          if (stats.startCommitTime === undefined) {
            stats.startCommitTime = et;
            stats.startCommitLsn = r['Current LSN'];
          }
          if (clock.backwards && !stats.clockBackwards) stats.clockBackwards = clock.backwards;
          if (clock.steps.length && !stats.clockSteps) stats.clockSteps = clock.steps;
        }
        const id = r['Transaction ID'];
        const t = txns.get(id);
        txns.delete(id);
        if (op === LOP_COMMIT_XACT) stats.committed++;
        else stats.aborted++;
        // (before its own rows go out: a transaction that alters a table and then deletes from it)
        if (watch) {
          if (op === LOP_COMMIT_XACT) watch.commit(id, { name: t?.name ?? null, endTime: r['End Time'] ?? null, pageMove: t?.pageMove === true });
          else watch.abort(id);
        }
        if (!t) continue;
        const held = t.held;
        let n = held?.count ?? 0;
        if (held) heldTotal -= held.memoryBytes;
        const pairs = t.pairs;
        const pairsLost = t.pairsLost;
        dropPairs(t);
        // operations on units the catalog does not name: missing from the result only when committed
        const unknownN = t.unknown ? unknownCount(t) : 0;
        if (op === LOP_ABORT_XACT) {
          stats.uncommittedRowOps += n + unknownN;
          stats.rolledBackRowOps += n + unknownN;
          await held?.discard();
          continue;
        }
        // A page split (a LOP_DELETE_SPLIT read in it; not its name alone: BEGIN TRAN SplitPage names a
        // user's transaction so): its inserts are rows moved to a new page, inserted long before
        // (pageMoveRowOps). Only its inserts: any other row operation in it is returned as usual.
        let moved: Set<number> | null = null;
        if (t.pageMove) {
          moved = held ? await heldInserts(held) : new Set<number>();
          if (moved.size + unknownN > 0) {
            stats.pageMoveRowOps = (stats.pageMoveRowOps ?? 0) + moved.size + unknownN;
            const ids = (stats.pageMoveTransactions ??= []);
            // (one more than named: the note's '…' says there are more, not that the list is full)
            if (ids.length <= FORWARDED_MOVE_LSNS_KEPT) ids.push(t.transactionId);
          }
          t.unknown = null;
          if (moved.size === n) {
            await held?.discard();
            continue;
          }
          n -= moved.size;
        }
        if (t.beginUnread && (n > 0 || unknownN > 0)) {
          // its begin not read: placed by its commit time where it can be; its rows are returned only
          // when it surely began in the window
          t.endTime = r['End Time'] ?? null;
          const endIso = t.endTime === null ? null : safeIso(t.endTime);
          const verdict = unreadVerdict(endIso);
          if (verdict !== 'inside') {
            // its own transaction took some back (the same row inserted again): not rows left out by
            // the window, whatever its Begin Time; counted as such, as they would be with it read
            if (pairs !== null && held) {
              const undone = (await pairedAway(held, pairs, moved)).size;
              stats.undoneInTransactionRowOps += undone;
              n -= undone;
            }
            await held?.discard();
            t.unknown = null;
            if (n + unknownN === 0) continue;
            if (verdict === 'outside') {
              stats.outsideWindowRowOps += n + unknownN;
              stats.outsideWindowBeginUnreadRowOps = (stats.outsideWindowBeginUnreadRowOps ?? 0) + n + unknownN;
              // committed before the window's start, so began before it: the "before" side
              stats.outsideWindowBeforeRowOps = (stats.outsideWindowBeforeRowOps ?? 0) + n + unknownN;
              if (endIso !== null && t.endTime !== null && (outsideUnreadLastIso === null || endIso > outsideUnreadLastIso)) {
                outsideUnreadLastIso = endIso;
                stats.outsideWindowBeginUnreadLastCommit = t.endTime;
              }
            } else settleBeginUnread(t, endIso, n + unknownN);
            continue;
          }
        }
        if (t.unknown) {
          stats.unknownAllocUnitRowOps += unknownN;
          const units = stats.unknownAllocUnits;
          if (units) {
            for (const [au, k] of t.unknown) {
              if (au === '') continue;
              const had = units.get(au);
              if (had !== undefined) units.set(au, had + k);
              else if (units.size < UNKNOWN_ALLOC_UNITS_KEPT) units.set(au, k);
            }
          }
          t.unknown = null;
        }
        t.endTime = r['End Time'] ?? null;
        // (a begin read with no Begin Time that can be read is placed by its commit, as its rows are: one
        // committed before the window began outside it)
        const placedOutside = t.beginUnread && unreadVerdict(t.endTime === null ? null : safeIso(t.endTime)) === 'outside';
        const rowless = t.inWindow && !placedOutside ? rowlessRemovalKind(t.name) : null;
        if (rowless) {
          stats.rowlessRemovals++;
          if (stats.rowlessRemovalList.length < ROWLESS_KEPT) {
            stats.rowlessRemovalList.push({
              kind: rowless, transactionId: t.transactionId, beginLsn: t.beginLsn, beginTime: t.beginTime !== null && safeIso(t.beginTime) !== null ? t.beginTime : null, spid: t.spid,
              sid: t.sid ? `0x${Buffer.from(t.sid).toString('hex').toUpperCase()}` : null,
            });
          }
        }
        // Nothing held (most transactions of a log: no wanted row operation): nothing to return.
        if (!held) continue;
        const txn = info(t);
        stats.candidates += n;
        // A held candidate whose row the transaction's opposite operation put back (or took away
        // again) is not returned. A first pass over the held candidates (kept) finds them, so the
        // opposite operations left unpaired are known before any row goes out (txn.opposite).
        let cancelled: Set<number> | null = moved;
        if (pairs !== null && held) {
          const taken = await pairedAway(held, pairs, moved);
          stats.undoneInTransactionRowOps += taken.size;
          stats.candidates -= taken.size;
          if (moved) for (const o of moved) taken.add(o);
          cancelled = taken;
        }
        // named as a split's, with no LOP_DELETE_SPLIT read: returned, and said (splitNamedRowOps); the
        // rows returned, not those its own transaction took back (nothing printed was said printed)
        const splitNamed = !t.pageMove && isPageMoveTransaction(t.name) ? n - (cancelled?.size ?? 0) : 0;
        if (splitNamed > 0) {
          stats.splitNamedRowOps = (stats.splitNamedRowOps ?? 0) + splitNamed;
          stats.splitNamedFirstLsn ??= t.beginLsn ?? undefined;
        }
        if (pairs !== null && pairs.size !== 0 && pairOp !== null) {
          const perAllocUnit = new Map<string, number>();
          for (const [key, count] of pairs) {
            if (key.startsWith(FORWARDED_KEY)) continue; // a forwarded insert: a row moved, not one inserted
            const au = key.slice(0, key.indexOf('\u0000'));
            perAllocUnit.set(au, (perAllocUnit.get(au) ?? 0) + count);
          }
          txn.opposite = { operation: pairOp === LOP_INSERT_ROWS ? 'insert' : 'delete', perAllocUnit };
        }
        // `unchecked` once a returned row's table lost some of its opposite operations (the budget).
        let unchecked = false;
        let ordinal = 0;
        /** Left out (counted, handed to onLayoutChanged) when its table's columns changed before it after the catalog was taken. */
        const layoutChanged = (h: HeldCandidate, txn: TransactionInfo): boolean => {
          const change = changedBefore(h.record);
          if (change === null) return false;
          stats.schemaDriftRowOps = (stats.schemaDriftRowOps ?? 0) + 1;
          stats.schemaDriftInLog = true;
          options.onLayoutChanged?.({ record: h.record, txn }, change);
          return true;
        };
        const skip = (h: HeldCandidate): boolean => {
          if (h.record.Operation === pairedOp && pairsLost?.has(h.record.AllocUnitId ?? '')) unchecked = true;
          return cancelled !== null && cancelled.has(ordinal++);
        };
        const check = cancelled !== null || pairsLost !== null;
        if (held?.spilled) {
          for await (const h of held.drain()) {
            if (check && skip(h)) continue;
            if (layoutChanged(h, txn)) continue;
            out.push(h.rebuild ? ({ record: h.record, txn, rebuild: h.rebuild } as RebuildCandidate) : { record: h.record, txn });
            if (out.length >= CANDIDATE_BATCH) {
              yield out;
              out = [];
            }
          }
        } else if (held) {
          for (const h of held.takeInMemory()) {
            if (check && skip(h)) continue;
            if (layoutChanged(h, txn)) continue;
            out.push(h.rebuild ? ({ record: h.record, txn, rebuild: h.rebuild } as RebuildCandidate) : { record: h.record, txn });
            if (out.length >= CANDIDATE_BATCH) {
              yield out;
              out = [];
            }
          }
        }
        if (unchecked) stats.undoneUncheckedTransactions++;
        continue;
      }
      if (watch && (op === LOP_INSERT_ROWS || op === LOP_DELETE_ROWS) && watch.watches(r) && DATA_ROW_CONTEXTS.has(r.Context)) {
        // a row of sysrscols/syscolpars: kept against its transaction when it names a table of the
        // catalog; then counted as any system table's row operation below
        watch.see(r, op === LOP_INSERT_ROWS);
      }
      if (op === LOP_DELETE_SPLIT) {
        // only a page split's system transaction writes it: its rows are moved, not inserted
        const id = r['Transaction ID'];
        (txns.get(id) ?? newTxn(id, null, r['Current LSN'])).pageMove = true;
        continue;
      }
      if (op === pairOp && DATA_ROW_CONTEXTS.has(r.Context)) {
        // The opposite operation: kept (as its pair key) only to cancel a held candidate at the commit.
        // A compensation record is what a rollback inside the transaction writes: it counts too.
        const au = r.AllocUnitId;
        const table = au ? catalog.byAllocUnit(au) : undefined;
        if (au && table && (!wantedTables || wantedTables.has(keyOf(table)))) {
          const id = r['Transaction ID'];
          const t = txns.get(id) ?? newTxn(id, null, r['Current LSN']);
          const key = t.inWindow ? pairKey(au, r['RowLog Contents 0'], table.compression, r['Page ID']) : null;
          // a forwarded record inserted (a heap row moved by an UPDATE) is kept by the home slot its back
          // pointer names: a forwarded record of that slot deleted in the transaction moved (forwardedMoveRowOps)
          const home = t.inWindow && pairOp === LOP_INSERT_ROWS && r.Context === LCX_HEAP ? forwardedHomeSlot(r['RowLog Contents 0']) : null;
          // (by that key alone: one insert cancels at most one delete, and a forwarded record's image,
          // back pointer and all, is no other row's)
          const k = home !== null ? forwardedKey(au, home) : key;
          if (k !== null) keepPair(t, k, au);
        }
        continue; // pairOp is never one of wantedOps
      }
      if (!wantedOps.has(op)) continue;
      if (!DATA_ROW_CONTEXTS.has(r.Context)) continue;
      const table = r.AllocUnitId ? catalog.byAllocUnit(r.AllocUnitId) : undefined;
      // An index record on a unit the metadata does not know is a nonclustered index's row (its
      // deletes log LCX_MARK_AS_GHOST as a clustered index's do), not a table's data row: counted
      // apart ("deletes on other tables (missing from the metadata)" counted them; corpus aspnetdb)
      // (a system base table's units are counted as the system's, whatever the record)
      let system = false;
      if (!table && r.AllocUnitId) {
        const known = systemUnit.get(r.AllocUnitId);
        if (known !== undefined) system = known;
        else {
          if (systemUnit.size >= 4096) systemUnit.clear();
          systemUnit.set(r.AllocUnitId, (system = isSystemBaseTableAllocUnit(r.AllocUnitId)));
        }
      }
      // only an insert's or a delete's image is a whole record: an update logs the changed bytes
      // (a column's value at an offset), whose first byte is no record header
      if (!table && !system && (op === LOP_INSERT_ROWS || op === LOP_DELETE_ROWS) && isIndexRecordImage(r['RowLog Contents 0'])) {
        stats.indexRowOps = (stats.indexRowOps ?? 0) + 1;
        continue;
      }
      // a unit the data file's catalog names, but for no table's data (an internal table's rows are
      // data records: change tracking, a Service Broker queue, an XML index's node table): not a
      // table created or dropped since, which the INCOMPLETE below is for
      if (!table && !system && r.AllocUnitId && catalog.namesOtherUnit?.(r.AllocUnitId)) {
        stats.otherUnitRowOps = (stats.otherUnitRowOps ?? 0) + 1;
        continue;
      }
      stats.rowOps++;
      if (!table && !system) {
        // a table the catalog does not name: its rows are missing from the result only when the
        // operation committed, in the window, and undid nothing (they were counted as read: a
        // rolled-back, uncommitted or out-of-window delete was an INCOMPLETE "committed delete")
        if (r.compensation || (r.Description ?? '').includes('COMPENSATION')) {
          stats.compensationRowOps++;
          continue;
        }
        const t = txns.get(r['Transaction ID']) ?? newTxn(r['Transaction ID'], null, r['Current LSN']);
        if (!t.inWindow) {
          leftOutOfWindow(t);
          continue;
        }
        const u = (t.unknown ??= new Map());
        const au = r.AllocUnitId ?? '';
        u.set(au, (u.get(au) ?? 0) + 1);
        continue;
      }
      if (!table) {
        stats.unknownAllocUnitRowOps++;
        if (stats.systemTableRowOps !== undefined && system) stats.systemTableRowOps++;
        const units = stats.unknownAllocUnits;
        if (units && r.AllocUnitId) {
          const had = units.get(r.AllocUnitId);
          if (had !== undefined) units.set(r.AllocUnitId, had + 1);
          else if (units.size < UNKNOWN_ALLOC_UNITS_KEPT) units.set(r.AllocUnitId, 1);
        }
        continue;
      }
      if (wantedTables && !wantedTables.has(keyOf(table))) {
        stats.otherTableRowOps++;
        continue;
      }
      if (r.compensation || (r.Description ?? '').includes('COMPENSATION')) {
        stats.compensationRowOps++;
        // A marked compensation record of the wanted operation undoes an earlier opposite operation
        // of its transaction (a delete undoing an insert): that operation's pair key is used up here,
        // or it would cancel another delete of an identical row (a heap's duplicate) that stood.
        const t = op === pairedOp ? txns.get(r['Transaction ID']) : undefined;
        const key = t?.pairs ? pairKey(r.AllocUnitId!, r['RowLog Contents 0'], table.compression, r['Page ID']) : null;
        if (key !== null && takePair(t!.pairs!, key) === 'last') {
          t!.pairBytes -= key.length;
          pairTotal -= key.length;
        }
        continue;
      }
      // (a heap's only: a clustered index has no forwarded records, so such an image there is no move:
      // damage, or a misread; it is decoded and printed as any other insert)
      if (op === LOP_INSERT_ROWS && r.Context === LCX_HEAP && isForwardedRecordImage(r['RowLog Contents 0'])) {
        // a heap row moved off its page by an UPDATE that grew it: not a new row (forwardedInsertRowOps)
        stats.forwardedInsertRowOps = (stats.forwardedInsertRowOps ?? 0) + 1;
        const fl = (stats.forwardedInsertLsns ??= []);
        if (fl.length < FORWARDED_MOVE_LSNS_KEPT) fl.push(r['Current LSN']);
        // a scan for deletes too: kept by its home slot, so the delete of the copy it replaced is told
        // moved (forwardedMoveRowOps), as in a scan for deletes alone
        const home = wantedOps.has(LOP_DELETE_ROWS) ? forwardedHomeSlot(r['RowLog Contents 0']) : null;
        if (home !== null && r.AllocUnitId) {
          const id = r['Transaction ID'];
          const t = txns.get(id) ?? newTxn(id, null, r['Current LSN']);
          if (t.inWindow) keepPair(t, forwardedKey(r.AllocUnitId, home), r.AllocUnitId);
        }
        continue;
      }
      const id = r['Transaction ID'];
      const t = txns.get(id) ?? newTxn(id, null, r['Current LSN']);
      if (!t.inWindow) {
        leftOutOfWindow(t);
        continue;
      }
      const held = (t.held ??= new HeldCandidates<HeldCandidate>());
      const before = held.memoryBytes;
      if (held.add(rebuild ? { record: r, rebuild } : { record: r })) await held.flushed();
      heldTotal += held.memoryBytes - before;
      if (heldTotal > budget) {
        // Spill the transaction holding the most; its later candidates go to its file as its chunks fill.
        let biggest: HeldCandidates<HeldCandidate> | null = null;
        for (const x of txns.values()) if (x.held && (!biggest || x.held.memoryBytes > biggest.memoryBytes)) biggest = x.held;
        if (biggest) {
          const was = biggest.memoryBytes;
          await biggest.spill(options.spillDir);
          heldTotal -= was - biggest.memoryBytes;
        }
      }
     }
     if (out.length) {
       yield out;
       out = [];
     }
    }
    // No commit or abort in the log: the rows cannot be told committed.
    for (const t of txns.values()) {
      if (t.inWindow) stats.uncommittedRowOps += (t.held?.count ?? 0) + (t.unknown ? unknownCount(t) : 0);
    }
  } finally {
    for (const t of txns.values()) await t.held?.discard();
  }
}

/**
 * The op codes / context bytes of the records committedCandidates looks at (fn_dblog names mapped
 * back through the reader's tables): transaction begin, commit and abort, and the wanted row
 * operations on heap / clustered-index contexts, and LOP_DELETE_SPLIT (a page split's transaction:
 * pageMoveRowOps). Everything else it passes over unread.
 */
function recordKeep(wantedOps: ReadonlySet<string>): RecordKeep {
  const ops = new Uint8Array(256);
  const ctxs = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const name = operationName(i);
    if (name === LOP_BEGIN_XACT || name === LOP_COMMIT_XACT || name === LOP_ABORT_XACT || name === LOP_DELETE_SPLIT) ops[i] = 2;
    else if (wantedOps.has(name)) ops[i] = 1;
    if (DATA_ROW_CONTEXTS.has(contextName(i))) ctxs[i] = 1;
  }
  return (op, ctx) => ops[op] === 2 || (ops[op] === 1 && ctxs[ctx] === 1);
}

/** How many LSNs of forwarded deletes told moved the stats keep (CommittedScanStats.forwardedMoveLsns). */
const FORWARDED_MOVE_LSNS_KEPT = 5;

/** Whether a transaction's pair keys hold a forwarded insert's (forwardedKey): only then may a forwarded delete be a move. */
function forwardedMovesPossible(pairs: Map<string, number>): boolean {
  for (const k of pairs.keys()) if (k.startsWith(FORWARDED_KEY)) return true;
  return false;
}

/**
 * The slot a row operation's record is on, in forwardedHomeSlot's form (`page:file:slot`, decimal),
 * from fn_dblog's `Page ID` (`ffff:pppppppp`, hex) and `Slot ID`; null when either is missing or not so.
 */
function homeSlotOf(pageId: string | null | undefined, slot: number | null | undefined): string | null {
  if (!pageId || slot === null || slot === undefined || !Number.isInteger(slot)) return null;
  const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,8})$/.exec(pageId);
  if (!m) return null;
  return `${parseInt(m[2]!, 16)}:${parseInt(m[1]!, 16)}:${slot}`;
}

/** The first character of forwardedKey's keys (never the first of an allocation unit id's digits). */
const FORWARDED_KEY = '\u0001';
/** A pair key of a forwarded record by the home slot its back pointer names (forwardedHomeSlot). */
function forwardedKey(allocUnit: string, home: string): string {
  return `${FORWARDED_KEY}${allocUnit}\u0000${home}`;
}

/** Uses up one count of `key` in a transaction's pair keys: 'last' when that was its last (the key is gone), 'one' when some remain, 'none' when it had none. */
function takePair(pairs: Map<string, number>, key: string): 'none' | 'one' | 'last' {
  const left = pairs.get(key);
  if (left === undefined) return 'none';
  if (left === 1) {
    pairs.delete(key);
    return 'last';
  }
  pairs.set(key, left - 1);
  return 'one';
}

/**
 * What makes two row operations of one transaction the same row for committedCandidateBatches'
 * pairing: the allocation unit and the row image without the bytes a delete, its undo or a fresh
 * insert of the same row may write differently — the record type / ghost bits and the 14-byte
 * versioning tag (FixedVar: status byte A but its null-bitmap and variable-column bits, status
 * byte B; CD: the header byte but its format and long-data bits; status.ts documents each bit).
 * Exact otherwise: two rows that differ in any column byte never pair. Null when there is no image.
 * PAGE compression: a row image may hold page-dictionary symbols and anchor prefixes, which mean
 * other values on another page, so the page (`page`, the record's Page ID) is part of the key; an
 * image of a PAGE-compressed table without a page pairs with nothing (null).
 * The key is text (one character per byte): Map lookups compare it whole, never by a hash.
 */
export function pairKey(allocUnit: string, image: Uint8Array | null | undefined, compression: string | undefined, page?: string | null): string | null {
  if (!image || image.length < 2) return null;
  if (compression === 'PAGE') {
    if (!page) return null;
    allocUnit = `${allocUnit}@${page}`;
  }
  const h = image[0];
  const cd = compression === 'ROW' || compression === 'PAGE';
  const flags = cd ? h & (CD_RECORD_FORMAT | CD_RECORD_LONG_DATA) : h & (RECORD_NULL_BITMAP | RECORD_VARIABLE_COLUMNS);
  const tagged = cd ? (h & CD_RECORD_VERSIONING) !== 0 : (h & RECORD_VERSIONING_TAG) !== 0;
  const start = cd ? 1 : 2;
  const end = image.length - (tagged ? VERSIONING_TAG_SIZE : 0);
  if (end < start) return null;
  return `${allocUnit}\u0000${String.fromCharCode(flags)}${Buffer.from(image.buffer, image.byteOffset + start, end - start).toString('latin1')}`;
}

/**
 * The backwards step of the log's commit times that a local-time window (`from`/`to` as
 * parseWindowTime gives them; either may be missing) can reach: one whose repeated stretch lies
 * within a daylight-saving hour (STOP_LOOK_AHEAD_SECONDS' 3,600 s, as a stop time is judged) of the
 * window, as `{ clockBackwards }` for clockBackwardsWarning and selectionEndsBeforeClockWentBack;
 * undefined when the clock never went back or no step is near the window (a log spanning the autumn
 * change, a window days later: each of its times names one moment). More steps than a CommitClock
 * keeps, or none kept: the first step, as before (said for any window).
 */
export function windowClockStep(stats: Pick<CommittedScanStats, 'clockBackwards' | 'clockSteps'>, window: { from?: string; to?: string }): Pick<CommittedScanStats, 'clockBackwards'> | undefined {
  const first = stats.clockBackwards;
  if (!first) return undefined;
  const steps = stats.clockSteps;
  if (!steps || steps.length === 0 || steps.length >= CLOCK_STEPS_KEPT) return { clockBackwards: first };
  const near = steps.find((c) => stepMayRepeatInWindow(c, window, 3600));
  return near ? { clockBackwards: near } : undefined;
}

/**
 * Whether the rows selected end before the clock went back: a selection bounded by `--to-lsn` before
 * the commit with the latest time (`clockBackwards.earlierLsn`) holds row operations of transactions
 * that began, and took their Begin Time, before the clock was set back, so a local-time window over
 * them names one moment each and the warning does not apply. The warning itself advises bounding
 * the scan by LSN; a scan so bounded was warned the same.
 */
export function selectionEndsBeforeClockWentBack(stats: Pick<CommittedScanStats, 'clockBackwards'>, toLsn: Lsn | null | undefined): boolean {
  const c = stats.clockBackwards;
  if (!c || !toLsn) return false;
  try {
    return compareLsn(toLsn, parseLsn(c.earlierLsn)) < 0;
  } catch {
    return false;
  }
}

/**
 * The warning for a scan or replay given local times (`what`: `--from/--to`, `--stop-at`) over a
 * log whose commit times ran backwards (stats.clockBackwards), naming the two commits' LSNs and
 * times; undefined when they did not. Times in fn_dblog's form, as the log prints them. `lsnBounds`:
 * the options that bound the same command by LSN (`--from-lsn/--to-lsn`), suggested when given.
 */
export function clockBackwardsWarning(stats: Pick<CommittedScanStats, 'clockBackwards'>, what: string, lsnBounds?: string): string | undefined {
  const c = stats.clockBackwards;
  if (!c) return undefined;
  return `${clockSetBackSentence(c)}, so a local time in the repeated stretch names two moments and ${what} may be ambiguous: compare the rows' times and LSNs with the window${lsnBounds ? `, or bound it by LSN (${lsnBounds})` : ''}`;
}

/**
 * The side of the window (`from`, `to`: ISO local time, inclusive, as inWindow takes them) a Begin
 * Time `iso` (ISO local time) outside it is on: 'before' its start, 'after' its end, null when
 * neither (it is inside, or the window has no such end).
 */
export function windowSide(iso: string, from: string | undefined, to: string | undefined): 'before' | 'after' | null {
  if (from && iso < from) return 'before';
  if (to && iso > to) return 'after';
  return null;
}

function safeIso(beginTime: string): string | null {
  try {
    return beginTimeToIso(beginTime);
  } catch {
    return null;
  }
}

function toBytes(v: Uint8Array | string | null | undefined): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return hexToBytesLoose(v);
  return v;
}

/**
 * What a scan's committed filter saw that its user must be told beside the rows (scan's stderr, a
 * staged job's notes): in `removals`, each committed TRUNCATE TABLE / DROP TABLE (their rows are in no
 * log record: scan says them even with --quiet, since the rows it prints are then not all that was
 * removed); in `notes`, how many rows were left out because their own transaction took them back
 * (unless `noRowsSaid`: explainNoRows, said instead, counts them); in `unchecked`, the transactions
 * whose rows could not be checked for that (said even with --quiet: rows printed may still exist in
 * the database). `ops`: the operations asked for, for the wording. Pure.
 */
export function scanStatsNotes(stats: CommittedScanStats, ops: string[], noRowsSaid: boolean, unknownTablesSaid = false): { removals: string[]; notes: string[]; unchecked?: string } {
  const notes: string[] = [];
  const removals: string[] = [];
  for (const x of stats.rowlessRemovalList) {
    removals.push(
      `a ${x.kind} transaction ${x.transactionId} committed (began ${x.beginTime !== null ? logTimeText(x.beginTime) : (x.beginLsn ? `at LSN ${x.beginLsn}, its Begin Time not readable` : 'before this log')}${x.spid !== null ? `, SPID ${x.spid}` : ''}${x.sid ? `, SID ${x.sid}` : ''}): ` +
        `it removes rows without logging them one by one, so no log scan gives them back; a backup taken before it has them: ` +
        `rowback dump --bak FULL.bak --trn LOG.trn … --table SCHEMA.TABLE${x.beginLsn ? ` --stop-before-lsn ${x.beginLsn}` : ''} (docs/restore.md)`,
    );
  }
  if (stats.rowlessRemovals > stats.rowlessRemovalList.length) {
    removals.push(`${stats.rowlessRemovals - stats.rowlessRemovalList.length} more TRUNCATE TABLE / DROP TABLE transaction(s) (the report lists the first ${stats.rowlessRemovalList.length})`);
  }
  if (!noRowsSaid && stats.undoneInTransactionRowOps) {
    const insertOnly = ops.length === 1 && ops[0] === 'insert';
    notes.push(`${stats.undoneInTransactionRowOps} ${insertOnly ? 'insert' : 'delete'}(s) not printed: their own transaction took them back (a statement rolled back by itself, a rollback to a savepoint, or the same row ${insertOnly ? 'deleted' : 'inserted'} again), so those rows are as they were before it`);
  }
  if (stats.beginTimeUnknownTransactions) {
    notes.push(`${stats.beginTimeUnknownTransactions} transaction(s) of the log read have a LOP_BEGIN_XACT with no Begin Time that can be read (the first at LSN ${stats.beginTimeUnknownFirstLsn}): whether they began in the window cannot be told from it, so they are placed by their commit's End Time where it can, and counted with the transactions whose LOP_BEGIN_XACT is not in the log read`);
  }
  if (!noRowsSaid && stats.pageMoveRowOps) notes.push(`${pageMoveNote(stats.pageMoveRowOps)}${listed('transaction', stats.pageMoveTransactions, stats.pageMoveRowOps, false)}`);
  if (stats.splitNamedRowOps) notes.push(`${stats.splitNamedRowOps.toLocaleString('en-US')} row operation(s) printed are in transaction(s) named SplitPage holding no LOP_DELETE_SPLIT in the log read (the first begun at LSN ${stats.splitNamedFirstLsn ?? 'not read'}): a user's transaction so named (BEGIN TRAN SplitPage), printed as any other; or a page split whose LOP_DELETE_SPLIT the source left out (an export made by an sql/export-log-records.sql older than this rowback), whose inserts are rows moved to a new page, not inserted: check them with rowback log --transaction`);
  if (!noRowsSaid && stats.forwardedInsertRowOps) notes.push(`${forwardedInsertNote(stats.forwardedInsertRowOps)}${listed('LOP_INSERT_ROWS at', stats.forwardedInsertLsns, stats.forwardedInsertRowOps, true)}`);
  // (said with rows or without: the LSNs are named so the deletes left out can be checked with `rowback log`)
  if (stats.forwardedMoveRowOps) notes.push(`${stats.forwardedMoveRowOps.toLocaleString('en-US')} delete(s) not printed: forwarded records (heap rows an UPDATE had moved off their page) that their own transaction moved again, inserting a forwarded record for the same home slot elsewhere, that slot's record not deleted: those rows still exist (${forwardedMoveLsnsText(stats)})`);
  // Rows were printed, and row operations fell on allocation units the metadata does not know and
  // that are not SQL Server's own system tables: rows of tables the metadata lacks, not in this
  // result. "Why no rows" says it when there are none; with rows it was said only in --report's
  // counts (newcomer: aspnetdb's 2 deletes on one unknown unit beside the rows printed).
  const others = stats.unknownAllocUnitRowOps - (stats.systemTableRowOps ?? 0);
  if (!noRowsSaid && !unknownTablesSaid && others > 0) {
    const what = ops.length === 1 ? `${ops[0]}(s)` : `row operation(s) (${ops.join('/')})`;
    notes.push(`${others.toLocaleString('en-US')} committed ${what} on allocation units the table metadata does not know (not SQL Server's own system tables) are not in this result: rows of tables the metadata lacks (created, re-created or rebuilt after it was read, dropped, or left out of --ddl/--schema)${unknownAllocUnitsClause(stats, true)}`);
  }
  // Rows were printed, and more row operations fell outside the window: "why no rows" names them
  // only when there are none, so a window typed in UTC or the analyst's own zone that caught some
  // of the deletes looked like the whole answer (newcomer: 3 rows printed, 13 more left out unsaid).
  if (!noRowsSaid && stats.outsideWindowRowOps > 0) {
    const what = ops.length === 1 ? `${ops[0]}(s)` : `row operation(s) (${ops.join('/')})`;
    notes.push(`${stats.outsideWindowRowOps.toLocaleString('en-US')} more ${what} on table data rows are in transactions that began outside the window${outsideSpan(stats)}: not in this result; widen the window (or drop it) to see them`);
  }
  // Rows were printed, and row operations of transactions whose begin is not in the log read were
  // placed outside the window (beginUnreadPlacedByGaps): "why no rows" names them only when there are none
  if (!noRowsSaid && (stats.beginUnreadPlacedOutsideRowOps ?? 0) > 0) {
    const what = ops.length === 1 ? `${ops[0]}(s)` : `row operation(s) (${ops.join('/')})`;
    notes.push(`${(stats.beginUnreadPlacedOutsideRowOps ?? 0).toLocaleString('en-US')} more committed ${what} on table data rows began outside the window (${placedOutsideParts(stats).join('; ')}): not in this result; widen the window (or drop it) to see them`);
  }
  // Rows were printed, and more row operations are in transactions with no commit or rollback in the
  // log read: "why no rows" names them only when there are none, so a DELETE still running when the
  // .ldf was copied, or committed after the last log backup given, went unsaid beside the rows printed.
  const open = stats.uncommittedRowOps - stats.rolledBackRowOps;
  if (!noRowsSaid && open > 0) {
    const what = ops.length === 1 ? `${ops[0]}(s)` : `row operation(s) (${ops.join('/')})`;
    notes.push(`${open.toLocaleString('en-US')} more ${what} on table data rows are in transactions with no commit or rollback in the log read (open where it ends, or ended in log not read): not in this result; a transaction that committed after the log read ends (in a later log backup, or the database's log now) made those changes too: scan with that log to see them`);
  }
  const unchecked = stats.undoneUncheckedTransactions ? undoneUncheckedNote(stats.undoneUncheckedTransactions) : undefined;
  return unchecked ? { removals, notes, unchecked } : { removals, notes };
}

/**
 * For "why no rows" of a selection (--transaction, --login, --sid, --db-user, --from-lsn/--to-lsn)
 * inside a window: the row operations of transactions begun outside the window, where the rows the
 * selection asks for may be (a transaction id copied from `rowback log`, scanned with the window
 * still on, was told only "scan without --transaction"). '' when none fell outside.
 */
export function outsideWindowSelectionClause(stats: CommittedScanStats, ops: string[], described: string): string {
  if (!(stats.outsideWindowRowOps > 0)) return '';
  const what = ops.length === 1 ? `${ops[0]}(s)` : `row operation(s) (${ops.join('/')})`;
  return `; ${stats.outsideWindowRowOps.toLocaleString('en-US')} more ${what} on table data rows are in transactions that began outside the window${outsideSpan(stats)}, and the rows ${described} asks for may be among them: widen the window (or drop --from/--to) to see them`;
}

/**
 * When the transactions of the row operations left outside the window began, and that it is the
 * server's local time, as --from/--to are (a window given in UTC or the analyst's own zone misses
 * them by the offset): ` (they began from A to B, the SQL Server's local time, as --from/--to are)`.
 * With some begun before the window's start and some after its end (outsideWindowBeforeRowOps,
 * outsideWindowAfterRowOps), each side with its count and span: ` (8 began before the window's
 * start, from A to B; 16 after its end, from C to D; the SQL Server's local time, as --from/--to
 * are)`, those whose LOP_BEGIN_XACT was not read on the "before" side (they committed before the
 * start). '' when unknown.
 */
function outsideSpan(stats: CommittedScanStats): string {
  const before = stats.outsideWindowBeforeRowOps ?? 0;
  const after = stats.outsideWindowAfterRowOps ?? 0;
  if (before > 0 && after > 0) return outsideSides(stats, before, after);
  const a = stats.outsideWindowFirstBegin;
  const b = stats.outsideWindowLastBegin;
  const k = stats.outsideWindowBeginUnreadRowOps ?? 0;
  // those of transactions whose begin was not read are in no Begin Time span: said apart, by their commit
  const c = stats.outsideWindowBeginUnreadLastCommit;
  const unread = k > 0
    ? `${k === stats.outsideWindowRowOps ? 'all' : `${k.toLocaleString('en-US')} of them`} in transactions whose LOP_BEGIN_XACT is not in the log read, which committed ${c !== undefined ? `by ${c}, ` : ''}before the window's start, so began before it`
    : '';
  const span = a === undefined || b === undefined ? '' : `${k > 0 ? 'the others' : a === b ? 'it' : 'they'} began ${a === b ? `at ${a}` : `from ${a} to ${b}`}`;
  if (!span && !unread) return '';
  return ` (${[unread, span].filter(Boolean).join('; ')}, the SQL Server's local time, as --from/--to are)`;
}

/**
 * outsideSpan's clause when row operations were left out on both sides of the window: `before` of
 * them began before its start (outsideWindowBeforeRowOps: Begin Time read, or LOP_BEGIN_XACT not read
 * and committed before the start), `after` after its end; any others (a live server's row with no
 * Begin Time) said apart.
 */
function outsideSides(stats: CommittedScanStats, before: number, after: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const when = (a: string | undefined, b: string | undefined) => (a === undefined || b === undefined ? '' : a === b ? `at ${a}` : `from ${a} to ${b}`);
  const k = stats.outsideWindowBeginUnreadRowOps ?? 0;
  const c = stats.outsideWindowBeginUnreadLastCommit;
  const read = when(stats.outsideWindowBeforeFirstBegin, stats.outsideWindowBeforeLastBegin);
  let early = `${n(before)} began before the window's start`;
  if (k > 0) {
    const unread = `in transactions whose LOP_BEGIN_XACT is not in the log read, which committed ${c !== undefined ? `by ${c}, ` : ''}before it`;
    early += k >= before || !read ? `: ${k >= before ? 'all' : n(k)} ${unread}` : `: ${n(k)} ${unread}, and ${n(before - k)} ${read}`;
  } else if (read) early += `, ${read}`;
  const lateWhen = when(stats.outsideWindowAfterFirstBegin, stats.outsideWindowAfterLastBegin);
  const late = `${n(after)} after its end${lateWhen ? `, ${lateWhen}` : ''}`;
  const rest = stats.outsideWindowRowOps - before - after;
  return ` (${[early, late, ...(rest > 0 ? [`${n(rest)} whose Begin Time is not known`] : [])].join('; ')}; the SQL Server's local time, as --from/--to are)`;
}

/** ` (they committed from A to B, the SQL Server's local time)` of the transactions counted in beginUnreadRowOps; '' when unknown. */
function unreadCommitSpan(stats: CommittedScanStats): string {
  const when = unreadCommitWhen(stats);
  return when ? ` (${when})` : '';
}

/** `it committed at A, the SQL Server's local time` / `they committed from A to B, …`; '' when unknown. */
function unreadCommitWhen(stats: CommittedScanStats): string {
  const a = stats.beginUnreadFirstCommit;
  const b = stats.beginUnreadLastCommit;
  if (a === undefined || b === undefined) return '';
  return `${a === b ? `it committed at ${a}` : `they committed from ${a} to ${b}`}, the SQL Server's local time`;
}

/**
 * What "why no rows" and the notes say of the row operations beginUnreadPlacedByGaps took out
 * (CommittedScanStats.beginUnreadPlacedOutsideRowOps), by why each was placed: first read right
 * after log lost or in no file given (began by that stretch's bound, or before the read or in that
 * log, whose times the window misses), or first read before any such stretch in a log read from
 * files (began before the log read, which starts at its first commit: beginUnreadPlacedBeforeReadBy;
 * "whose whole part … starts at" when that is the first commit past older log cut off from it).
 * Each `N in transactions whose LOP_BEGIN_XACT is not in the log read, …`; [] when none.
 */
function placedOutsideParts(stats: CommittedScanStats): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const all = stats.beginUnreadPlacedOutsideRowOps ?? 0;
  const read = stats.beginUnreadPlacedBeforeReadRowOps ?? 0;
  const parts: string[] = [];
  if (all - read > 0) parts.push(`${n(all - read)} in transactions whose LOP_BEGIN_XACT is not in the log read, first read right after log lost or in no file given, so began ${stats.beginUnreadPlacedOutsideBy ? `by ${stats.beginUnreadPlacedOutsideBy}, before the window's start` : 'outside the window (before the log read or in that log, whose times the window misses)'}`);
  if (read > 0) {
    const by = stats.beginUnreadPlacedBeforeReadBy;
    const start = stats.startCommitTime === undefined ? null : safeIso(stats.startCommitTime);
    const where = by === undefined ? 'the log read, before the window\'s start'
      : by === start ? `the log read, which starts at ${by} (the End Time of its first commit, the SQL Server's local time), before the window's start`
      : `the log read is whole from, at ${by} (the End Time of its first commit past the older log cut off from it, the SQL Server's local time), before the window's start`;
    parts.push(`${n(read)} in transactions whose LOP_BEGIN_XACT is not in the log read, first read before any log lost or in no file given, so began before ${where}`);
  }
  return parts;
}

/**
 * How far a server's clock may have been set back unseen before the log read's first commit: the
 * autumn daylight-saving change (an hour). A step there shows in no commit read (stats.clockBackwards
 * sees steps between commits read), and a transaction begun before it, its begin not read, has a
 * Begin Time up to that much after the read's first commit. beginUnreadPlacedByGaps places by the
 * read's start only a window starting more than this after it: with the clock set back an hour just
 * before the read's first commit (13:01:25), transactions begun at 14:01:20 by the clock before,
 * committing at 13:41, were left out of --from 13:30 as begun before the read, the result said whole
 * (test/cli/scan-ldf-begin-unread-clock-fold.test.ts). A larger step (set by hand) is not seen.
 */
export const CLOCK_FOLD_MS = 3_600_000;

/** CommittedScanStats.beginUnreadPlaces kept at most (a few facts each). */
export const BEGIN_UNREAD_PLACES_KEPT = 10_000;

/**
 * How the log read was made, for beginUnreadPlacedByGaps.
 * - `files`: from files (an .ldf, log backups, a full or differential backup's own log), read whole
 *   from the read's first LSN on but for the stretches lost or in no file given (logLoss's items,
 *   LogNotGiven): a begin not read that lies before every such stretch lies below every record read.
 *   False for an export (a file of fn_dblog rows: its record set may skip LSNs, as one with a record
 *   taken out does) and for a live server's fn_dblog (its start is estimated, and it may be given a
 *   window).
 * - `wholeFromCommit`: with an .ldf whose log read also holds older log cut off from the rest
 *   (FileRecoverySource.logWholeFrom non-null: the sequence between was reused since, and its log is
 *   lost with no LSN range among the losses), the End Time (fn_dblog form) of the first commit read
 *   past the break, in log order; null when none was read there (then nothing is placed by the read's
 *   start). Absent when the .ldf's log read is unbroken, or no .ldf was read.
 */
export interface BeginUnreadRead {
  files: boolean;
  wholeFromCommit?: string | null;
  /** The VLF sequence that commit past the break is in (LogWholeFrom.firstCommitSeq); absent or null when not known (then nothing is placed by the read's start past the break). */
  wholeFromCommitSeq?: number | null;
}

/**
 * `stats` with the transactions of beginUnreadRowOps that provably began outside the window
 * (`from`, `to`: ISO local time) taken out (into beginUnreadPlacedOutsideRowOps). Such a transaction
 * began before the log read or in a stretch of log lost or in no file given before its first record
 * read (`losses`: logLoss's items and LogNotGiven's, with their LSN range and time bounds, `after`
 * and `before`: FileRecoverySource.chainGapTimes). Taken out when the nearest such stretch before
 * that record ends before it and its `before` (every transaction begun in it, or before it, began
 * by then) is before `from` (a damaged stretch nearer, with no bound, may hold its begin: kept); or
 * when `from` is after the read's first commit (stats.startCommitTime: a begin written before the
 * read began by then) and the window misses every stretch before that record (`to` before its
 * `after`, or `from` after its `before`); or, the log read from files (`read.files`), when no such
 * stretch lies before that record at all and `from` is after the read's first commit: its begin,
 * not read, has an LSN below every record read, so it was written before that commit (SQL Server
 * writes the log in LSN order; a commit record's End Time is when it was written), and its Begin
 * Time, when it began, is no later (beginUnreadPlacedBeforeReadRowOps). With an .ldf holding older
 * log cut off from the rest (`read.wholeFromCommit`), the read's start is taken as the first commit
 * past the break, when later, for every such transaction: one first read past the break may have
 * begun in the log lost there, and the older sequences read may have breaks of their own. A loss with
 * no LSN range, unknown bounds (a clock set back: stats.clockBackwards; none are given), an overlap,
 * a first record not known, or places not all kept: `stats` as it is (INCOMPLETE, the safe side).
 * Pure.
 */
export function beginUnreadPlacedByGaps(
  stats: CommittedScanStats,
  from: string | undefined,
  losses: ReadonlyArray<{ lsnRange?: { first: string; last?: string }; before?: string; after?: string }>,
  to?: string,
  read?: BeginUnreadRead,
): CommittedScanStats {
  const places = stats.beginUnreadPlaces;
  if (!from || !places?.length || stats.beginUnreadPlacesOverflow) return stats;
  // no loss: only the start of a log read from files can place them (below)
  if (!losses.length && !read?.files) return stats;
  const fromMs = localMs(from.length === 16 ? `${from}:00` : from);
  if (Number.isNaN(fromMs)) return stats;
  const toMs = to ? localMs(to.length === 16 ? `${to}:00` : to) : Number.NaN;
  // A begin written before the log read's first LSN was written before its first commit read, whose
  // End Time is when it was written: such a transaction began by then (not on a clock set back).
  // With an .ldf whose older log is cut off, by the first commit past the break when later (the log
  // lost there has no LSN range): NaN, nothing placed by it, when that is not known
  const startIso = stats.clockBackwards || stats.startCommitTime === undefined ? null : safeIso(stats.startCommitTime);
  const wholeIso = read?.wholeFromCommit === undefined ? startIso : read.wholeFromCommit === null ? null : safeIso(read.wholeFromCommit);
  const startMs = startIso === null ? Number.NaN : localMs(startIso);
  const wholeMs = wholeIso === null ? Number.NaN : localMs(wholeIso);
  const readStartMs = Math.max(startMs, wholeMs);
  const readStartIso = Number.isNaN(readStartMs) ? undefined : wholeMs > startMs ? wholeIso! : startIso!;
  // …and the VLF sequence of that commit: placed by the read's start alone only what was first read
  // in it or before. Log lost in the read is not always seen: an .ldf VLF whose last blocks were
  // zeroed or torn is told from one whose log ended there only by the size the next VLF's first block
  // names for the block before it (reader.ts ldfVlfEndLoss), the same as the last block read's when
  // the blocks are all 60 KB (a bulk delete's), and a transaction begun in that lost tail, in the
  // window, first read in the next VLF, was left out as begun before the read
  // (test/cli/scan-ldf-begin-unread-vlf-tail-lost.test.ts). A begin unread below a record of a VLF no
  // later than the commit's lies below the commit, lost unseen or not (a VLF's own blocks are read
  // in one run, a block missing among them a FORMAT_LOG_GAP): written before it, so began by then.
  const startSeq = (() => {
    try {
      return stats.startCommitLsn === undefined ? Number.NaN : parseLsn(stats.startCommitLsn).vlf;
    } catch {
      return Number.NaN;
    }
  })();
  const wholeSeq = read?.wholeFromCommit === undefined ? startSeq : typeof read.wholeFromCommitSeq === 'number' ? read.wholeFromCommitSeq : Number.NaN;
  const readStartSeq = Number.isNaN(readStartMs) ? Number.NaN : wholeMs > startMs ? wholeSeq : startSeq;
  let parsed: Array<{ first: Lsn; last: Lsn | null; beforeMs: number; afterMs: number; before?: string }>;
  try {
    parsed = losses.map((l) => {
      if (!l.lsnRange) throw new Error('no LSN range');
      // a bound without milliseconds (a backup's date: whole second) taken at its second's end (`before`) or start, as logNotGivenReached does
      const beforeMs = l.before ? localMs(l.before) + (/\.\d+$/.test(l.before) ? 0 : 999) : Number.NaN;
      const afterMs = l.after ? localMs(l.after) : Number.NaN;
      return { first: parseLsn(l.lsnRange.first), last: l.lsnRange.last ? parseLsn(l.lsnRange.last) : null, beforeMs, afterMs, ...(l.before ? { before: l.before } : {}) };
    });
  } catch {
    return stats;
  }
  // Log lost unseen: an .ldf VLF's or a backup stream's VLF whose last blocks were zeroed reads as
  // the VLF's unused tail when the last block read is as large as the lost last one (the next VLF's
  // first block names that size: reader.ts ldfVlfEndLoss; docs/offline-log.md "What cannot be told
  // from the bytes"), so a begin not read may lie at the end of any VLF before the first record read
  // that no stretch known lost covers. Inside one VLF the blocks are read in one run (a block missing
  // among them is a FORMAT_LOG_GAP). `tailUnseen(lo, hi)`: some VLF from `lo` up to `hi` - 1 has its
  // end in no stretch known lost (a begin there, read neither, has no time bound); `lo` unknown: true.
  // Each rule below places a transaction only when no such VLF end lies where a begin after its
  // bound could hide: a transaction begun in VLF 0x2b's lost tail at 14:22:33, first read in 0x2c,
  // past a missing log backup whose bound was 14:03, was left out of --from 14:22 as begun by 14:03
  // (test/cli/scan-chain-gap-begin-unread-vlf-tail-lost.test.ts), one past no stretch by the
  // read's start (test/cli/scan-ldf-begin-unread-vlf-tail-lost.test.ts)
  const covered: Array<[number, number]> = [];
  for (const l of parsed) if (l.last !== null && compareLsn(l.first, l.last) < 0 && l.last.vlf > l.first.vlf) covered.push([l.first.vlf, l.last.vlf - 1]);
  const tailUnseen = (lo: number, hi: number): boolean => {
    if (Number.isNaN(lo)) return true;
    // the VLF ends lo … hi - 1, each in some stretch's [first.vlf, last.vlf - 1]
    for (let w = lo; w < hi;) {
      let reach = -1;
      for (const [a, b] of covered) if (a <= w && b >= w && b > reach) reach = b;
      if (reach < 0) return true;
      w = reach + 1;
    }
    return false;
  };
  const kept: typeof places = [];
  let k = 0;
  let t = 0;
  // of k and t, those placed by the read's start alone
  let kr = 0;
  let tr = 0;
  let by: string | undefined;
  let byMs = Number.NEGATIVE_INFINITY;
  for (const p of places) {
    let at: Lsn | null = null;
    try {
      at = p.firstLsn ? parseLsn(p.firstLsn) : null;
    } catch {
      at = null;
    }
    // the loss starting nearest before its first record (an overlap, whose range runs backwards, places nothing)
    let near: (typeof parsed)[number] | undefined;
    if (at) for (const l of parsed) if (compareLsn(l.first, at) < 0 && (!near || compareLsn(l.first, near.first) > 0)) near = l;
    // the nearest stretch before it whose `before` is before the window's start: it began by then
    // (no VLF end lost unseen between its end and that record: tailUnseen)
    const by0 = at && near && near.last && compareLsn(near.first, near.last) < 0 && compareLsn(near.last, at) <= 0 && near.beforeMs < fromMs && !tailUnseen(near.last.vlf, at.vlf) ? near : undefined;
    // …or it began before the read (by its first commit), or in one of the stretches before its first
    // record read: a window after the read's start that misses each of those stretches (ending before
    // its `after`, or starting after its `before`) does not ask for it
    // (no VLF end lost unseen between the read's first commit and that record: tailUnseen)
    // (a window starting more than CLOCK_FOLD_MS after the read's start: a clock set back before it is not seen)
    const missed = at !== null && near !== undefined && readStartMs + CLOCK_FOLD_MS < fromMs && !tailUnseen(readStartSeq, at.vlf)
      && parsed.every((l) => compareLsn(l.first, at) >= 0 || (l.last !== null && compareLsn(l.first, l.last) < 0 && compareLsn(l.last, at) <= 0 && (toMs < l.afterMs || l.beforeMs < fromMs)));
    // …or, read from files and first read before any stretch lost or in no file given: its begin is
    // below every record read, so it began by the read's first commit (beginUnreadPlacedBeforeReadRowOps)
    // (and first read in a VLF no later than the read's start's commit: readStartSeq, tailUnseen)
    const beforeRead = !by0 && !missed && read?.files === true && at !== null && near === undefined && readStartMs + CLOCK_FOLD_MS < fromMs && !tailUnseen(readStartSeq, at.vlf);
    if (by0 || missed || beforeRead) {
      k += p.rowOps;
      t++;
      if (beforeRead) {
        kr += p.rowOps;
        tr++;
      }
      if (by0 && by0.beforeMs > byMs) {
        byMs = by0.beforeMs;
        by = by0.before;
      }
    } else kept.push(p);
  }
  if (t === 0) return stats;
  // the commit span of those left, as settleBeginUnread keeps it
  let first: string | undefined;
  let last: string | undefined;
  let firstIso: string | null = null;
  let lastIso: string | null = null;
  for (const p of kept) {
    const iso = p.endTime === null ? null : safeIso(p.endTime);
    if (iso === null || p.endTime === null) continue;
    if (firstIso === null || iso < firstIso) [firstIso, first] = [iso, p.endTime];
    if (lastIso === null || iso > lastIso) [lastIso, last] = [iso, p.endTime];
  }
  const { beginUnreadFirstCommit: _f, beginUnreadLastCommit: _l, ...rest } = stats;
  return {
    ...rest,
    beginUnreadRowOps: (stats.beginUnreadRowOps ?? 0) - k,
    beginUnreadTransactions: (stats.beginUnreadTransactions ?? 0) - t,
    ...(first !== undefined ? { beginUnreadFirstCommit: first } : {}),
    ...(last !== undefined ? { beginUnreadLastCommit: last } : {}),
    beginUnreadPlaces: kept,
    beginUnreadPlacedOutsideRowOps: k,
    beginUnreadPlacedOutsideTransactions: t,
    ...(by !== undefined ? { beginUnreadPlacedOutsideBy: by } : {}),
    ...(tr > 0 ? { beginUnreadPlacedBeforeReadRowOps: kr, beginUnreadPlacedBeforeReadTransactions: tr, ...(readStartIso !== undefined ? { beginUnreadPlacedBeforeReadBy: readStartIso } : {}) } : {}),
  };
}

/**
 * The INCOMPLETE clause for committed row operations a window left out because their transaction's
 * LOP_BEGIN_XACT is not in the log read and it committed at or after the window's start
 * (CommittedScanStats.beginUnreadRowOps): whether they began in the window cannot be told, so the
 * rows asked for may be among them. '' when there are none. `done`: 'printed' or 'staged'; `how`:
 * what to do in the caller's words (the CLI's options, a job's fields).
 */
export function beginUnreadClause(stats: CommittedScanStats, ops: string[], done: 'printed' | 'staged', how: string): string {
  const k = stats.beginUnreadRowOps ?? 0;
  if (k <= 0) return '';
  const what = ops.length === 1 ? `${ops[0]}(s)` : `row operation(s) (${ops.join('/')})`;
  const t = stats.beginUnreadTransactions ?? 0;
  return `${k.toLocaleString('en-US')} committed ${what} of ${t.toLocaleString('en-US')} transaction(s) whose LOP_BEGIN_XACT is not in the log read (they began before it, or in log that could not be read${unreadCommitWhen(stats) ? `; ${unreadCommitWhen(stats)}` : ''}) are not ${done}: their Begin Time is not known, so whether they began in the window cannot be told; ${how}`;
}

/** The note for CommittedScanStats.pageMoveRowOps (said when rows were printed; explainNoRows counts them otherwise). */
export function pageMoveNote(n: number): string {
  return `${n.toLocaleString('en-US')} insert(s) not printed: rows a page split moved to a new page (a SplitPage system transaction: each moved row logged as LOP_INSERT_ROWS on the new page, their removal from the old one as LOP_DELETE_SPLIT), not rows inserted then: they were inserted before, by another transaction`;
}

/** ` (what a, b and N more)` for a note: the first few of what it left out, to check with rowback log. */
function listed(what: string, kept: string[] | undefined, total: number, exact: boolean): string {
  if (!kept || kept.length === 0) return '';
  const more = total - kept.length;
  // not exact: `kept` holds one more than it names when there are more (the count is of another thing)
  const named = exact ? kept : kept.slice(0, FORWARDED_MOVE_LSNS_KEPT);
  return ` (${what} ${named.join(', ')}${exact && more > 0 ? ` and ${more.toLocaleString('en-US')} more` : !exact && kept.length > named.length ? ', …' : ''})`;
}

/** The LSNs of the forwarded deletes told moved (CommittedScanStats.forwardedMoveLsns), for their note. */
function forwardedMoveLsnsText(stats: CommittedScanStats): string {
  const l = stats.forwardedMoveLsns ?? [];
  const more = (stats.forwardedMoveRowOps ?? 0) - l.length;
  return `LOP_DELETE_ROWS at ${l.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}`;
}

/** The note for CommittedScanStats.forwardedInsertRowOps (said when rows were printed; explainNoRows counts them otherwise). */
export function forwardedInsertNote(n: number): string {
  return `${n.toLocaleString('en-US')} insert(s) not printed: forwarded records, heap rows an UPDATE grew and moved to another page (the row's home slot keeps a forwarding stub pointing at it), not rows inserted then: the rows existed before`;
}

/**
 * Why a scan found no rows, in one sentence built from its counts: the log's time span, how many
 * row operations of the wanted kinds it holds and where they went (unknown allocation units such
 * as system tables, other tables, outside the window, rolled back, never committed). `ops`: the
 * operations asked for, for the wording. Pure; never throws.
 */
export function explainNoRows(stats: CommittedScanStats, ops: string[]): string {
  const what = ops.length === 1 ? `${ops[0]}s` : `row operations (${ops.join('/')})`;
  const n = (x: number) => x.toLocaleString('en-US');
  if (stats.serverFiltered) {
    // The server kept only committed transactions begun in the window (or whose begin it did not read) with rows of the tables:
    // the log's own span and its other transactions were never seen here.
    const removed = stats.rowlessRemovals
      ? `; but ${n(stats.rowlessRemovals)} committed TRUNCATE TABLE / DROP TABLE transaction(s) in it, whose rows no log record holds (see the notes above; only a backup has them)`
      : '';
    const head = 'the server\'s log read (fn_dblog / fn_dump_dblog, which, given a window, keeps only the committed transactions begun in it or whose LOP_BEGIN_XACT it did not read, and counts the row operations of the others)';
    if (stats.rowOps === 0) return `${head} returned no ${what} on the tables' data rows${removed}`;
    const kept: string[] = [];
    if (stats.compensationRowOps) kept.push(`${n(stats.compensationRowOps)} undone by a rollback inside their transaction`);
    if (stats.undoneInTransactionRowOps) kept.push(`${n(stats.undoneInTransactionRowOps)} taken back by their own transaction (a rolled-back statement or savepoint, or the same row ${ops.length === 1 && ops[0] === 'insert' ? 'deleted' : 'inserted'} again)`);
    if (stats.pageMoveRowOps) kept.push(`${n(stats.pageMoveRowOps)} rows a page split moved to a new page (SplitPage; not inserts)`);
    if (stats.forwardedInsertRowOps) kept.push(`${n(stats.forwardedInsertRowOps)} forwarded records (heap rows an UPDATE moved to another page; not inserts)`);
    if (stats.forwardedMoveRowOps) kept.push(`${n(stats.forwardedMoveRowOps)} forwarded records their own transaction moved to another page (not deletes)`);
    if (stats.unknownAllocUnitRowOps) kept.push(unknownPart(stats, false, 'a table created or rebuilt after the metadata was read'));
    if (stats.otherTableRowOps) kept.push(`${n(stats.otherTableRowOps)} on tables --table left out`);
    if (stats.outsideWindowRowOps) kept.push(`${n(stats.outsideWindowRowOps)} in transactions that began outside the window${outsideSpan(stats)}`);
    if (stats.beginUnreadRowOps) kept.push(`${n(stats.beginUnreadRowOps)} in transactions whose LOP_BEGIN_XACT is not in the log read${unreadCommitSpan(stats)}: whether they began in the window cannot be told (said as INCOMPLETE)`);
    // counted by the server (sql.ts LEFT_OUT), as the lines below say them of a log read from files
    if (stats.rolledBackRowOps) kept.push(`${n(stats.rolledBackRowOps)} in transactions that rolled back`);
    const open = stats.uncommittedRowOps - stats.rolledBackRowOps;
    if (open) kept.push(`${n(open)} in transactions with no commit in the log read (open where it ends)`);
    if (stats.schemaDriftRowOps) kept.push(schemaDriftPart(stats));
    return `${head} returned ${n(stats.rowOps)} ${what} on the tables' data rows: ${kept.join(', ') || 'none kept'}${removed}`;
  }
  const span = stats.firstBeginTime ? `the log's transactions began from ${logTimeText(stats.firstBeginTime)} to ${stats.lastBeginTime ? logTimeText(stats.lastBeginTime) : '?'}` : 'the log holds no transaction begin (no Begin Time)';
  const rowless = stats.rowlessRemovals
    ? `; but ${n(stats.rowlessRemovals)} committed TRUNCATE TABLE / DROP TABLE transaction(s), whose rows no log record holds (see the notes above; only a backup has them)`
    : '';
  const index = (stats.indexRowOps ? `; ${n(stats.indexRowOps)} more on index rows of indexes the metadata does not know (nonclustered indexes: not table data, their tables' rows are counted on the data rows)` : '')
    + (stats.otherUnitRowOps ? `; ${n(stats.otherUnitRowOps)} more on allocation units the catalog names for no table's data (nonclustered, XML or columnstore indexes; internal tables: change tracking, Service Broker queues, full-text)` : '');
  if (stats.rowOps === 0) return `${span}; it holds no ${what} on table data rows (heap or clustered index)${index}${rowless}`;
  const parts: string[] = [];
  if (stats.unknownAllocUnitRowOps) {
    parts.push(unknownPart(stats, stats.unknownAllocUnitRowOps === stats.rowOps, 'system tables, or tables missing from the metadata', 'missing from the metadata'));
  }
  if (stats.otherTableRowOps) parts.push(`${n(stats.otherTableRowOps)} on tables --table left out`);
  if (stats.outsideWindowRowOps) parts.push(`${n(stats.outsideWindowRowOps)} in transactions that began outside the window${outsideSpan(stats)}`);
  if (stats.beginUnreadRowOps) parts.push(`${n(stats.beginUnreadRowOps)} in transactions whose LOP_BEGIN_XACT is not in the log read${unreadCommitSpan(stats)}: whether they began in the window cannot be told (said as INCOMPLETE)`);
  appendAll(parts, placedOutsideParts(stats));
  if (stats.rolledBackRowOps) parts.push(`${n(stats.rolledBackRowOps)} in transactions that rolled back`);
  const neverCommitted = stats.uncommittedRowOps - stats.rolledBackRowOps;
  if (neverCommitted) parts.push(`${n(neverCommitted)} in transactions with no commit in this log`);
  if (stats.compensationRowOps) parts.push(`${n(stats.compensationRowOps)} undone by a rollback inside their transaction`);
  if (stats.undoneInTransactionRowOps) parts.push(`${n(stats.undoneInTransactionRowOps)} taken back by their own transaction (a rolled-back statement or savepoint, or the same row ${ops.length === 1 && ops[0] === 'insert' ? 'deleted' : 'inserted'} again)`);
  if (stats.pageMoveRowOps) parts.push(`${n(stats.pageMoveRowOps)} rows a page split moved to a new page (SplitPage; not inserts)`);
  if (stats.forwardedInsertRowOps) parts.push(`${n(stats.forwardedInsertRowOps)} forwarded records (heap rows an UPDATE moved to another page; not inserts)`);
  if (stats.forwardedMoveRowOps) parts.push(`${n(stats.forwardedMoveRowOps)} forwarded records their own transaction moved to another page (not deletes)`);
  if (stats.schemaDriftRowOps) parts.push(schemaDriftPart(stats));
  return `${span}; it holds ${n(stats.rowOps)} ${what} on table data rows: ${parts.join(', ') || 'none kept'}${index}${rowless}`;
}

/**
 * The most frequent unknown allocation units with their counts, and how to look at their records,
 * said inside the parenthesis after "allocation units the table metadata does not know" (no
 * semicolon: the line's parts are separated by commas, its clauses by semicolons):
 * `: AllocUnitId 72057594043695104 ×1,200, 281474980642816 ×300 and 4 more, listed by rowback log
 * --alloc-unit ID`. '' when none was counted by id.
 */
/**
 * Whether an allocation unit id (decimal) is one of SQL Server's system base tables': their ids
 * are `index_id << 48 | object_id << 16` (Paul Randal, "Inside the Storage Engine: how are allocation
 * unit IDs calculated?"), and system base tables have object ids below 100; user tables' units since
 * SQL Server 2005 are 72057594037927936 (1 << 56) and up. Seen in the corpus logs: 262144 (object 4),
 * 196608 (object 3, sysrscols). A 2000-upgraded database keeps its user tables in the shifted form
 * too, with object ids far above 100 (NORTHWND.MDF dbo.Employees).
 */
export function isSystemBaseTableAllocUnit(id: string): boolean {
  if (!/^\d+$/.test(id)) return false;
  const v = BigInt(id);
  return v < 1n << 56n && (v & 0xffffn) === 0n && ((v >> 16n) & 0xffffffffn) < 100n;
}

/** The unknown allocation units' share of a scan: those on system base tables named as such, the rest as tables the metadata lacks. */
function unknownPart(stats: CommittedScanStats, all: boolean, missing: string, others = missing): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const system = stats.systemTableRowOps ?? 0;
  const head = all ? 'all on allocation units the table metadata does not know' : `${n(stats.unknownAllocUnitRowOps)} on allocation units the table metadata does not know`;
  const sys = "SQL Server's own system tables (allocation unit ids of object ids below 100: its catalog's rows, not user data)";
  if (system === stats.unknownAllocUnitRowOps) return `${all ? 'all' : n(system)} on ${sys}${unknownAllocUnitsClause(stats)}`;
  if (system > 0) return `${head}: ${n(system)} on ${sys}, ${n(stats.unknownAllocUnitRowOps - system)} on other tables (${others})${unknownAllocUnitsClause(stats)}`;
  return `${head} (${missing}${unknownAllocUnitsClause(stats)})`;
}

/** unknownAllocUnitsListedBy of an export scan (scan --export, export jobs): the file's own records. */
export const EXPORT_UNITS_LISTED_BY = "the export file's records (their AllocUnitId field)";

/**
 * `: AllocUnitId X ×N, Y ×M and K more, listed by rowback log --alloc-unit ID` (or the stats'
 * `unknownAllocUnitsListedBy`) for the allocation
 * units no table of the metadata names that the scan counted operations on (`exceptSystem`: SQL
 * Server's system base tables' left out); '' when none.
 */
export function unknownAllocUnitsClause(stats: CommittedScanStats, exceptSystem = false): string {
  const all = stats.unknownAllocUnits;
  // the units of other tables only (a note beside printed rows counts those alone)
  const units = all && exceptSystem ? new Map([...all].filter(([id]) => !isSystemBaseTableAllocUnit(id))) : all;
  if (!units || units.size === 0) return '';
  const n = (x: number) => x.toLocaleString('en-US');
  const top = [...units].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, UNKNOWN_ALLOC_UNITS_NAMED);
  const more = units.size - top.length;
  const atLeast = units.size >= UNKNOWN_ALLOC_UNITS_KEPT ? 'at least ' : '';
  return `: AllocUnitId ${top.map(([id, k]) => `${id} ×${n(k)}`).join(', ')}${more > 0 ? ` and ${atLeast}${n(more)} more` : ''}, listed by ${stats.unknownAllocUnitsListedBy ?? 'rowback log --alloc-unit ID'}`;
}

/**
 * The INCOMPLETE clause for committed row operations on allocation units the data file's or
 * backup's catalog does not name, other than SQL Server's system base tables and index records
 * (indexRowOps): rows of a table created, rebuilt or dropped after the data file or backup was
 * written (a week-old backup with today's log), missing from the result. It was a note alone, not
 * said with --quiet, with `"complete": true` (newcomer: a table missing from the metadata).
 * '' when there are none. Only for metadata read from the files themselves: a --ddl/--schema
 * layout scans only the tables it names, by design. `done`: 'printed' or 'staged'; `of`: whose catalog
 * was read (RecoverySource.catalogOwner, possessive: `the data file's`, `the backup's`).
 */
export function unknownTablesClause(stats: CommittedScanStats, ops: string[], done: 'printed' | 'staged', of = "the data file's or backup's"): string {
  const others = stats.unknownAllocUnitRowOps - (stats.systemTableRowOps ?? 0);
  if (others <= 0) return '';
  const what = ops.length === 1 ? `${ops[0]}(s)` : `row operation(s) (${ops.join('/')})`;
  return `${others.toLocaleString('en-US')} committed ${what} on allocation units ${of} catalog does not name (not SQL Server's own system tables, not index rows) are not ${done}: rows of a table created, rebuilt (a new clustered index, ALTER TABLE … REBUILD) or dropped after that file was written${unknownAllocUnitsClause(stats, true)}; give a data file or backup as of the log's end, or the table's layout (--ddl/--schema with --alloc-unit SCHEMA.NAME=ID)`;
}

/**
 * The sentences for tables an allocation unit was given for by hand (`mapped`: table → id, from
 * `--alloc-unit` or a job's `metadata.allocUnits`) that no row came from (`hadRows(table)` false)
 * and whose rows were not held back or left undecoded (a skipped item naming the table), while the
 * log has row operations on units no table names: likely a mistyped id, whose table's rows were
 * otherwise lost without a word (they are not INCOMPLETE with a layout given by hand). `flag` names
 * the option in the caller's words. One per such table; none when no user unit is unknown.
 */
export function mistypedAllocUnitNotes(stats: CommittedScanStats, mapped: ReadonlyMap<string, string>, flag: string, hadRows: (table: string) => boolean, skipped: readonly SkippedItem[]): string[] {
  const others = stats.unknownAllocUnitRowOps - (stats.systemTableRowOps ?? 0);
  if (others <= 0 || mapped.size === 0) return [];
  const touched = new Set(skipped.map((x) => x.location.table).filter((t): t is string => typeof t === 'string'));
  const out: string[] = [];
  for (const [table, id] of mapped) {
    if (touched.has(table) || hadRows(table)) continue;
    out.push(`${flag} maps ${table} to ${id}, and no row of the log was on that unit, while ${others.toLocaleString('en-US')} row operation(s) are on units no table names${unknownAllocUnitsClause(stats, true)}: check the id (a digit wrong or missing reads as another unit)`);
  }
  return out;
}

function schemaDriftPart(stats: CommittedScanStats): string {
  const k = (stats.schemaDriftRowOps ?? 0).toLocaleString('en-US');
  if (stats.schemaDriftInLog) return `${k} logged after an ALTER of their table's columns that the catalog read (the data file's, the backup's or --schema's) predates, left out (SOURCE_SCHEMA_DRIFT among the skipped items; a data file or full backup taken after the change, or --schema/--ddl with the layout after it, decodes them)`;
  return `${k} on tables altered after their transaction began, left out (SOURCE_SCHEMA_DRIFT among the skipped items; --accept-schema-drift with their old layout in --schema/--ddl decodes them)`;
}
