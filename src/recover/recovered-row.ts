import type { SqlValue } from '../reconstruct/values.js';
import type { LogRecordSource } from '../logreader/log-record.js';

/**
 * One recovered row: the NDJSON line `rowback scan` prints, what the staging store keeps,
 * and what the API returns. Same shape for every source (files, live server, export).
 */
export interface RecoveredRow {
  /** `schema.name` */
  table: string;
  /** LSN of the row operation, printed form. */
  lsn: string;
  operation: 'delete' | 'insert' | 'update';
  transactionId: string;
  /** Transaction begin time, server local time, `YYYY-MM-DDTHH:MM:SS.fff` (null when unknown). */
  beginTime: string | null;
  endTime: string | null;
  /** Login name from the Transaction SID (live path: SUSER_SNAME; offline: the SID hex when the name is unknown). */
  login: string | null;
  /** Transaction SID as 0x hex, when known. */
  sid?: string | null;
  /**
   * The SID in Windows text form (`S-1-5-21-…`, util/sid.ts), present only when the SID is a Windows
   * SID; SQL logins' SIDs (16 random bytes) and `sa`'s (0x01) have none and stay hex in `sid`.
   */
  sidText?: string;
  /**
   * Offline (--mdf/--bak): the database user whose SID began the transaction, from the database's own
   * sys.database_principals (sysowners). A database user name, which need not equal the login name;
   * absent when no principal of the database has the SID.
   */
  dbUser?: string;
  spid: number | null;
  /**
   * Live only: host_name and program_name of the session that ran the transaction, when
   * sys.dm_exec_sessions still holds a session with the same SPID and SID that logged in before
   * the transaction began (logreader/live/sessions.ts); absent otherwise.
   */
  host?: string;
  program?: string;
  transactionName: string | null;
  allocUnitId: string | null;
  pageId: string | null;
  slotId: number | null;
  /** Decoded values of the row image (for updates: the before image). */
  values: Record<string, SqlValue>;
  /** For updates only: the after image. */
  after?: Record<string, SqlValue>;
  /** The row image, upper-case hex without 0x (for updates: the before image). */
  raw: string;
  /** For updates only: the after image, same form. */
  rawAfter?: string;
  /**
   * Things a reviewer should know: garbage in unused bits, stale VLF, columns defaulted, … A row
   * staged from a comparison (rowback diff, restore jobs) also says here where it came from
   * (ROW_PROVENANCE): those lines are not doubt, and isDoubtWarning leaves them out.
   */
  warnings: string[];
  source: LogRecordSource;
}

/**
 * The lines a row staged from a comparison carries in its `warnings` to say where it came from, not
 * that any of it is in doubt: `missing` (a row the later state lacks), `changed` + its columns (a
 * row the later state holds changed), `earlier` + the files and point of the earlier state (or the
 * side database restored). Counted as warnings, they made every restore job read as doubtful
 * (`rowsWithWarnings` equal to its rows; "WARNING: job N's result is doubtful" heading every
 * script of it), however clean. A caution about such a row is a line of its own, counted: whole
 * rows compared (it may have been changed, not deleted), a later state older than the earlier one
 * (inserted between the two, not deleted), bytes printed as U+FFFD.
 */
export const ROW_PROVENANCE = {
  missing: 'missing from the later state (rowback diff)',
  changed: 'changed in the later state: ',
  earlier: 'earlier state: ',
} as const;

/**
 * Whether a row's warning says something may be wrong with it (a value, or re-inserting it), as
 * opposed to a ROW_PROVENANCE line saying where a comparison's row came from.
 */
export function isDoubtWarning(w: string): boolean {
  if (w === ROW_PROVENANCE.missing || w.startsWith(ROW_PROVENANCE.changed)) return false;
  return !w.startsWith(ROW_PROVENANCE.earlier);
}
