import type { SqlValue } from '../reconstruct/values.js';

/**
 * `restore`: rows staged by `rowback diff --stage` — rows a table held at a point in time (replayed
 * from backups, src/replay/) that a later state lacks or holds changed; no worker runs such a job,
 * it is staged whole by the CLI and reviewed and re-inserted like any other.
 */
export type JobKind = 'live' | 'log-backup' | 'files' | 'export' | 'restore';
export const JOB_KINDS: readonly JobKind[] = ['live', 'log-backup', 'files', 'export', 'restore'];

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'resumable' | 'cancelled';
export type RowStatus = 'pending' | 'approved' | 'rejected' | 'reinserted' | 'conflict';
export const ROW_STATUSES: readonly RowStatus[] = ['pending', 'approved', 'rejected', 'reinserted', 'conflict'];
/** The operation a staged row was recovered from (a delete's image, an insert's, an update's before-image). */
export type RowOperation = 'delete' | 'insert' | 'update';
export const ROW_OPERATIONS: readonly RowOperation[] = ['delete', 'insert', 'update'];
export type Role = 'operator' | 'reviewer' | 'viewer';
export const ROLES: readonly Role[] = ['operator', 'reviewer', 'viewer'];

export interface JobRecord {
  id: number;
  kind: JobKind;
  spec: Record<string, unknown>;
  description: string;
  windowFrom: string | null;
  windowTo: string | null;
  tables: string[];
  operations: string[];
  state: JobState;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  rowsStaged: number;
  skippedCount: number;
  lastLsn: string | null;
  attempts: number;
  error: { code: string; message: string } | null;
  /** The source's own progress (log bytes/records read, pass), sampled at most once a second while the job runs; null before the first sample or for sources that do not report it. */
  scan: ScanProgress | null;
  /**
   * Whether the job's result is whole, as `scan --report`'s `complete` (exit 3 under `--strict`):
   * false exactly when the worker noted the result INCOMPLETE (log lost to damage or in no file
   * given, a damaged catalog), true when it noted nothing of the kind. null while the job is queued
   * or runs, for a job that failed, was cancelled or interrupted (its state says the result is
   * partial), and for a job that finished before rowback recorded this (its notes in the audit log
   * still say INCOMPLETE).
   */
  complete: boolean | null;
  /** The INCOMPLETE sentences of the job's notes (`[]` when complete); null when `complete` is. */
  incomplete: string[] | null;
  /**
   * Whether any of the result is doubtful, as `scan --report`'s `warnings`: the WARNING: and
   * UNCHECKED: sentences of the job's notes, each with its prefix (`[]`: none). A value may be
   * wrong or missing, log records of an operation rowback cannot read the meaning of, the server's
   * clock set back within the window, rows not checked against their own transaction's take-back.
   * null when `complete` is, and for a job that finished before rowback recorded this.
   */
  warnings: string[] | null;
  /** How many of the job's staged rows carry warnings of their own (each row's `warnings`), as `scan --report`'s `rowsWithWarnings`; null when `warnings` is. */
  rowsWithWarnings: number | null;
  /**
   * Whether the job's notes say rows of the incident are left out of its result (recover/left-out.ts:
   * transactions begun outside the window or not committed in the log read, rows of tables the
   * metadata lacks, log in no file given, a TRUNCATE TABLE or DROP TABLE): true when any of its notes
   * says so, false when it has notes and none does, null when it has none (yet). Recorded as the
   * notes are written (StagingStore.appendAudit, job.notes), of every attempt's notes.
   */
  rowsLeftOut: boolean | null;
  /**
   * The database the job's rows were read from, as its source states it (recorded by the worker
   * when the job runs): a files job's backup header / file header page, a live or log-backup job's
   * server (DB_NAME and sys.database_recovery_status.database_guid), an export's catalog rows, a
   * restore job's backups. null: not known (a job that has not run, one staged before rowback
   * recorded this, or a source that states neither). Re-insert compares it with the target's.
   */
  sourceDatabase: SourceDatabase | null;
}

/**
 * Where and as whom a live or log-backup job connected (no secret): the server's host as its
 * connection names it (no port, no instance) and the login (`DOMAIN\\user` for NTLM), null for none.
 * Operators' to see; hidden by value from other roles wherever a job's notes say them.
 */
export interface JobConnection {
  server: string;
  login: string | null;
}

/** A database as a source or target states it: any of the three may be unknown (null). */
export interface SourceDatabase {
  name: string | null;
  /** Upper-case GUID: sys.database_recovery_status.database_guid, the binding id every file of the database carries; RESTORE as a new database gives a new one. */
  bindingId: string | null;
  /** Upper-case GUID: the family GUID (the database as first created), kept by RESTORE. */
  familyGuid: string | null;
}

export interface ScanProgress {
  bytesRead: number;
  /** Bytes a pass reads, when the source knows it beforehand. */
  bytesTotal: number | null;
  recordsRead: number;
  pass: number | null;
  passes: number | null;
  /** When the worker took the sample (ISO time). */
  sampledAt: string;
}

export interface StagedRow {
  id: number;
  jobId: number;
  table: string;
  lsn: string;
  operation: string;
  transactionId: string;
  login: string | null;
  beginTime: string | null;
  endTime: string | null;
  spid: number | null;
  transactionName: string | null;
  values: Record<string, SqlValue>;
  after: Record<string, SqlValue> | null;
  warnings: string[];
  meta: Record<string, unknown>;
  status: RowStatus;
}

export interface StagedRowWithRaw extends StagedRow {
  /** Row image, upper-case hex without 0x. */
  raw: string;
}

/** What the grid, bulk decisions and exports filter on. Every field optional. */
export interface RowFilter {
  table?: string;
  login?: string;
  status?: RowStatus | RowStatus[];
  /** The operation(s) the rows were recovered from: a reviewer's "deleted rows only". */
  operation?: RowOperation | RowOperation[];
  /** Begin time bounds, inclusive, `YYYY-MM-DDTHH:MM:SS[.fff]`. */
  from?: string;
  to?: string;
  transactionId?: string;
  /** Free text over decoded values (FTS5; words, `prefix*`). */
  q?: string;
  /**
   * Who began the row's transaction, by SID: hex (any case, `0x` optional) or the Windows text
   * form `S-1-…`; matches a row whose `meta.sid` or `meta.sidText` is that SID (util/sid.ts
   * sidFilterForms). Empty: no filter. Another form is refused (InputError INPUT_BAD_SID).
   */
  sid?: string;
  /**
   * Who began the row's transaction, by database user name (`meta.dbUser`, offline scans of a
   * data file or backup): exact but case-insensitive (Unicode lower-case folding), as SQL Server
   * compares names under a default (case-insensitive) collation. Empty: no filter.
   */
  dbUser?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null at the end. */
  next: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  jobId: number | null;
  details: Record<string, unknown>;
}

export interface BlastRadius {
  jobId: number;
  total: number;
  byTable: { table: string; rows: number }[];
  /**
   * Rows per login; rows without a login (offline scans) per SID and database user instead, so
   * that who deleted is told apart without SQL Server (`sid`, `sidText`, `dbUser` null on rows
   * that have a login, and when the log had none).
   */
  byLogin: { login: string | null; sid: string | null; sidText: string | null; dbUser: string | null; rows: number }[];
  /** Rows per transaction, the 1,000 largest; rows of no transaction are not one of them (withoutTransaction). */
  byTransaction: { transactionId: string; rows: number; beginTime: string | null; login: string | null; sid: string | null; dbUser: string | null }[];
  /** Rows that carry no transaction id: a state comparison's (restore job, `diff --stage`), read from table states, not from a transaction's log records. */
  withoutTransaction: number;
  byMinute: { minute: string; rows: number }[];
  byStatus: { status: RowStatus; rows: number }[];
}
