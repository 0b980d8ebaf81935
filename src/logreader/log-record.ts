/**
 * The normalised log record every log source yields: the `.ldf`/`.trn` readers, the live
 * fn_dblog / fn_dump_dblog worker and the export-file reader. Field names are the column
 * names fn_dblog prints, so an exported fn_dblog result maps one to one.
 */
export interface LogRecord {
  /** `0000002a:000001f0:0003` */
  'Current LSN': string;
  'Previous LSN'?: string | null;
  /** `LOP_DELETE_ROWS`, `LOP_BEGIN_XACT`, … (unknown op codes: `LOP_UNKNOWN_<n>`). */
  Operation: string;
  /** `LCX_HEAP`, `LCX_CLUSTERED`, `LCX_MARK_AS_GHOST`, … */
  Context: string;
  /** `0000:000003e8` */
  'Transaction ID': string;
  /** bigint as decimal string. */
  AllocUnitId?: string | null;
  AllocUnitName?: string | null;
  /** `0001:00000123` (file:page, hex). */
  'Page ID'?: string | null;
  'Slot ID'?: number | null;
  /**
   * Page operations: the page's LSN before this change (fn_dblog's "Previous Page LSN"). Each
   * change to a page points at the previous one, so the records of one page form a chain.
   */
  'Previous Page LSN'?: string | null;
  'Offset in Row'?: number | null;
  'Modify Size'?: number | null;
  'RowLog Contents 0'?: Uint8Array | null;
  'RowLog Contents 1'?: Uint8Array | null;
  'RowLog Contents 2'?: Uint8Array | null;
  'RowLog Contents 3'?: Uint8Array | null;
  'RowLog Contents 4'?: Uint8Array | null;
  /** LOP_MODIFY_COLUMNS and friends: the whole record, when the source has it. */
  'Log Record'?: Uint8Array | null;
  /**
   * fn_dblog's Log Record Length, bytes of the whole record: set by the .ldf/.trn reader on
   * LOP_FORMAT_PAGE only (a page image logged in it makes it over 8,192), absent elsewhere.
   */
  'Log Record Length'?: number | null;
  /** On LOP_BEGIN_XACT: `yyyy/MM/dd HH:mm:ss:fff`, server local time. */
  'Begin Time'?: string | null;
  /** On LOP_COMMIT_XACT / LOP_ABORT_XACT. */
  'End Time'?: string | null;
  'Transaction Name'?: string | null;
  'Transaction SID'?: Uint8Array | null;
  SPID?: number | null;
  /** fn_dblog's Description column (e.g. `COMPENSATION` on a CLR), when the source has it. */
  Description?: string | null;
  /** True for a compensation log record (an undo written by a rollback). */
  compensation?: boolean;
  /** Where the record came from, for error messages and provenance. */
  source?: LogRecordSource;
}

export interface LogRecordSource {
  kind: 'ldf' | 'trn' | 'bak' | 'fn_dblog' | 'fn_dump_dblog' | 'export';
  file?: string;
  /** The backup set of `file` (RESTORE … WITH FILE = n), when a position picked it in a file of several. */
  position?: number;
  /** Byte offset of the record in the file, when read from a file. */
  offset?: number;
  /** True when the record came from a reused VLF whose sequence shows it is stale. */
  stale?: boolean;
}

/** Operation names fn_dblog prints. */
/**
 * A record's `Page ID` (`0001:00000117`: file and page in hex, as fn_dblog prints it and the
 * `.ldf` reader writes it) as numbers; null when the text is not of that form (an export file's
 * damaged cell). The data file's own form (`1:279`, decimal) is datafile/page.ts formatPageId.
 */
export function parseLogPageId(text: string | null | undefined): { fileId: number; pageId: number } | null {
  const m = text ? /^([0-9a-f]{1,4}):([0-9a-f]{1,8})$/i.exec(text) : null;
  return m ? { fileId: parseInt(m[1]!, 16), pageId: parseInt(m[2]!, 16) } : null;
}

export const LOP_INSERT_ROWS = 'LOP_INSERT_ROWS';
export const LOP_DELETE_ROWS = 'LOP_DELETE_ROWS';
export const LOP_MODIFY_ROW = 'LOP_MODIFY_ROW';
export const LOP_MODIFY_COLUMNS = 'LOP_MODIFY_COLUMNS';
export const LOP_BEGIN_XACT = 'LOP_BEGIN_XACT';
export const LOP_COMMIT_XACT = 'LOP_COMMIT_XACT';
export const LOP_ABORT_XACT = 'LOP_ABORT_XACT';
/**
 * The record a page split writes on the old page (op code 0x0b): its transaction is the split's
 * system transaction, whose inserts are rows moved to the new page (SQLskills, Paul Randal,
 * "Tracking page splits using the transaction log"; every one of NORTHWND_log.ldf's 45 sits in a
 * SplitPage transaction of its own).
 */
export const LOP_DELETE_SPLIT = 'LOP_DELETE_SPLIT';

/** Contexts fn_dblog prints for data rows. */
export const LCX_HEAP = 'LCX_HEAP';
export const LCX_CLUSTERED = 'LCX_CLUSTERED';
export const LCX_INDEX_LEAF = 'LCX_INDEX_LEAF';
export const LCX_INDEX_INTERIOR = 'LCX_INDEX_INTERIOR';
export const LCX_MARK_AS_GHOST = 'LCX_MARK_AS_GHOST';
