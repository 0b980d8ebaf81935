import type { PlannedBatch, PlannedRow, UniqueCheck } from './plan.js';
import type { ForeignKey, TargetTable } from './target-table.js';

/** What a batch did in the target: recorded in the target's ledger and in the staging store. */
export interface BatchOutcome {
  inserted: number[];
  /**
   * Rows not inserted because the target already holds a row of their key (`existing`: that row),
   * or, `index` set, a row holding their value of another unique index or UNIQUE constraint
   * (its name, and its key columns `indexColumns`; PlannedRow.uniqueChecks). Outcomes recorded
   * before unique indexes were checked carry no `index`: a conflict on the key.
   */
  conflicts: { rowId: number; existing: Record<string, unknown>; index?: string; indexColumns?: string[] }[];
}

/**
 * One connection to the target, used for one batch at a time. The ledger row for a batch is
 * written inside the batch's transaction, so "batch committed" and "ledger says committed" are
 * the same fact in the target.
 */
export interface TargetSession {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Outside or inside a transaction: the outcome a committed batch recorded, if any. */
  ledgerGet(batchKey: string): Promise<BatchOutcome | undefined>;
  ledgerPut(batchKey: string, runId: number, outcome: BatchOutcome): Promise<void>;
  /**
   * Inside the batch's transaction: the entries of row ledger `rowLedger` (quoted, plan.ts
   * quotedRowLedger) holding any of `keys` (rowLedgerKey), read with UPDLOCK, HOLDLOCK so that none
   * can be written meanwhile. Empty when none.
   */
  rowLedgerGet(rowLedger: string, keys: string[]): Promise<RowLedgerEntry[]>;
  /** Inside the batch's transaction: records the rows put back (their keys are the table's primary key: a second writer fails). */
  rowLedgerPut(rowLedger: string, entries: RowLedgerEntry[]): Promise<void>;
  setIdentityInsert(quotedTarget: string, on: boolean): Promise<void>;
  /** The existing row with the same key (read with UPDLOCK, HOLDLOCK so it cannot appear meanwhile). */
  findExisting(row: PlannedRow): Promise<Record<string, unknown> | undefined>;
  /**
   * Inside the batch's transaction: the existing row that holds `row`'s value of the unique index
   * or UNIQUE constraint `check` (one of row.uniqueChecks: its `sql`, with the row's parameters),
   * read with UPDLOCK, HOLDLOCK so that none can appear meanwhile; undefined when none does.
   */
  findUniqueHolder(row: PlannedRow, check: UniqueCheck): Promise<Record<string, unknown> | undefined>;
  insert(row: PlannedRow): Promise<void>;
  /** Bulk insert of many rows of one batch (tables without identity only). */
  bulkInsert?(batch: PlannedBatch, rows: PlannedRow[]): Promise<void>;
  close(): Promise<void>;
}

/** One row of the row ledger: which batch (rowback's batch key, or `script` for a script run by hand) put back which deleted row. */
export interface RowLedgerEntry {
  rowKey: string;
  batchKey: string;
  runId: number;
  rowId: number;
}

export interface ReinsertTarget {
  readonly description: string;
  /** Creates the ledger table when missing. */
  ensureLedger(): Promise<void>;
  /** Creates row ledger `rowLedger` (quoted: plan.ts quotedRowLedger, rowLedgerDdl) when missing. */
  ensureRowLedger(rowLedger: string): Promise<void>;
  /**
   * Catalog facts for the target tables (`schema.name`) and the foreign keys among them, and
   * `database`: the database they were read in (DB_NAME() there: the target's `database`, else the one
   * the connection opens in, the login's default when it names none); absent or null when not known.
   * `databaseGuid` / `familyGuid`: that database's sys.database_recovery_status row (upper-case
   * GUIDs), compared with the job's source database (source-database.ts); absent or null when not
   * known (no VIEW ANY DATABASE / not visible, or a target that does not read them).
   */
  loadTables(names: string[]): Promise<{ tables: Map<string, TargetTable>; fks: ForeignKey[]; database?: string | null; databaseGuid?: string | null; familyGuid?: string | null }>;
  session(): Promise<TargetSession>;
  close(): Promise<void>;
}
