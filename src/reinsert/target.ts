import type { PlannedBatch, PlannedRow } from './plan.js';
import type { ForeignKey, TargetTable } from './target-table.js';

/** What a batch did in the target: recorded in the target's ledger and in the staging store. */
export interface BatchOutcome {
  inserted: number[];
  conflicts: { rowId: number; existing: Record<string, unknown> }[];
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
  setIdentityInsert(quotedTarget: string, on: boolean): Promise<void>;
  /** The existing row with the same key (read with UPDLOCK, HOLDLOCK so it cannot appear meanwhile). */
  findExisting(row: PlannedRow): Promise<Record<string, unknown> | undefined>;
  insert(row: PlannedRow): Promise<void>;
  /** Bulk insert of many rows of one batch (tables without identity only). */
  bulkInsert?(batch: PlannedBatch, rows: PlannedRow[]): Promise<void>;
  close(): Promise<void>;
}

export interface ReinsertTarget {
  readonly description: string;
  /** Creates the ledger table when missing. */
  ensureLedger(): Promise<void>;
  /** Catalog facts for the target tables (`schema.name`) and the foreign keys among them. */
  loadTables(names: string[]): Promise<{ tables: Map<string, TargetTable>; fks: ForeignKey[] }>;
  session(): Promise<TargetSession>;
  close(): Promise<void>;
}
