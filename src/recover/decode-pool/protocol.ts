/**
 * Messages between the decode pool (decode-pool.ts, main thread) and its workers
 * (decode-worker.ts). A job is one run of committed candidates packed compactly: the row images in
 * one transferable ArrayBuffer, per-candidate numbers in typed arrays, per-candidate strings in
 * arrays, each transaction's facts once per job. Never whole LogRecord objects (their structured
 * clone per row is what made the parse workers slower: docs/performance.md).
 */
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import type { TransactionInfo } from '../source.js';
import type { RecoverEvent } from '../recover-rows.js';

/** What every worker is started with. */
export interface DecodeWorkerSetup {
  /** The source resolves off-row values from pages (RecoverySource.resolveOffRow): a row holding one goes back to the main thread. */
  offRowOnMain: boolean;
}

/** Operation codes of {@link DecodeJob.operation}. */
export const OP_DELETE = 0;
export const OP_INSERT = 1;

/** One transaction's facts as a job carries them: the TransactionInfo and the database principal's name, when the source resolved one for its SID. */
export interface JobTransaction {
  txn: TransactionInfo;
  /** RecoveredRow.dbUser (RowConverter: source.databasePrincipalOf(sid).name), or null when none. */
  dbUser: string | null;
}

/**
 * One run of candidates, all of them deletes or inserts with a row image and a record source of
 * the reader's shape (`{kind, file, offset[, stale: true]}`), their table resolved by the main thread.
 */
export interface DecodeJob {
  type: 'job';
  id: number;
  /** Layouts this worker has not been sent yet, with their index in the worker's layout table. */
  newLayouts: Array<{ index: number; layout: TableLayout }>;
  txns: JobTransaction[];
  /** Row images one after another; `imageEnds[i]` is where candidate i's ends (it starts where i-1's ended). */
  images: ArrayBuffer;
  imageEnds: Int32Array;
  /** Index into the worker's layout table. */
  layout: Int32Array;
  /** Index into `txns`. */
  txn: Int32Array;
  /** OP_DELETE or OP_INSERT. */
  operation: Uint8Array;
  /** 'Slot ID', or -1 for none (null). */
  slot: Int32Array;
  /** record.source.offset. */
  offset: Float64Array;
  /** 1 when record.source.stale is true. */
  stale: Uint8Array;
  /** Index into `strings`: 'Current LSN', 'Transaction ID', AllocUnitId (-1: null), 'Page ID' (-1: null), source.kind, source.file. */
  lsn: Int32Array;
  transactionId: Int32Array;
  allocUnit: Int32Array;
  page: Int32Array;
  kind: Int32Array;
  file: Int32Array;
  strings: string[];
}

export type ToDecodeWorker = DecodeJob;

/** What a candidate became in the worker (DecodeResult.outcome). */
export const OUTCOME_ROW = 0;
export const OUTCOME_EVENT = 1;
/** The worker cannot do it (an off-row value to resolve from pages, an exception): the main thread converts it. */
export const OUTCOME_MAIN = 2;

/** One job's candidates turned into output: rows as NDJSON lines (UTF-8) in one transferable buffer, other events cloned (rare). */
export interface DecodeResult {
  type: 'result';
  id: number;
  /** Per candidate: OUTCOME_ROW, OUTCOME_EVENT or OUTCOME_MAIN. */
  outcome: Uint8Array;
  /** Per candidate that became a row: 1 when one of its warnings is column-count drift or a value beyond its column (LayoutFitCheck's DRIFT_WARNINGS). */
  drift: Uint8Array;
  /** `JSON.stringify(row) + '\n'` of the rows, UTF-8, one after another. */
  text: ArrayBuffer;
  /** Per candidate, where its row's text ends in `text` (unchanged from the previous one for a candidate that is not a row). */
  textEnds: Int32Array;
  /** The OUTCOME_EVENT candidates' events, in order (skipped items). */
  events: RecoverEvent[];
}

export type FromDecodeWorker = DecodeResult | { type: 'error'; error: { name: string; message: string; stack?: string } };
