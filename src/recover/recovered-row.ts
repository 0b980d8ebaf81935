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
  /** Things a reviewer should know: garbage in unused bits, stale VLF, columns defaulted, … */
  warnings: string[];
  source: LogRecordSource;
}
