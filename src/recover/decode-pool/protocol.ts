/**
 * Messages between the decode pool (decode-pool.ts, main thread) and its workers
 * (decode-worker.ts). A job is one run of committed candidates packed compactly: the row images in
 * one transferable ArrayBuffer, the candidates' and their transactions' numbers in one Float64Array
 * each (each transaction once per job), every string in one string. Never whole LogRecord objects (their structured
 * clone per row is what made the parse workers slower: docs/performance.md).
 */
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import type { RecoverEvent } from '../recover-rows.js';

/** What every worker is started with. */
export interface DecodeWorkerSetup {
  /** The source resolves off-row values from pages (RecoverySource.resolveOffRow): a row holding one goes back to the main thread. */
  offRowOnMain: boolean;
}

/** Operation codes of {@link DecodeJob.operation}. */
export const OP_DELETE = 0;
export const OP_INSERT = 1;

/**
 * A candidate's numbers in {@link DecodeJob.rows}, ROW_STRIDE per candidate. String fields are
 * indices into the job's strings (NULL_STRING for null).
 */
export const ROW_STRIDE = 14;
export const ROW = {
  /** Index into the worker's layout table. */
  LAYOUT: 0,
  /** Index of the candidate's transaction in the job. */
  TXN: 1,
  /** OP_DELETE or OP_INSERT. */
  OPERATION: 2,
  /** 'Slot ID', or -1 for none (null). */
  SLOT: 3,
  /** 1 when record.source.stale is true. */
  STALE: 4,
  LSN: 5,
  TRANSACTION_ID: 6,
  ALLOC_UNIT: 7,
  PAGE: 8,
  /** record.source.kind and .file (strings), .offset (a number). */
  SOURCE_KIND: 9,
  SOURCE_FILE: 10,
  SOURCE_OFFSET: 11,
  /** Where the candidate's row image ends in `images` (it starts where the previous one's ended). */
  IMAGE_END: 12,
  /** record.source.position (the backup set of a file of several), 0 for none. */
  SOURCE_POSITION: 13,
} as const;

/** A transaction's numbers in {@link DecodeJob.txns}, TXN_STRIDE per transaction (string indices; NULL_STRING / UNDEFINED_STRING for null / absent). */
export const TXN_STRIDE = 13;
export const TXN = {
  ID: 0,
  BEGIN: 1,
  END: 2,
  NAME: 3,
  LOGIN: 4,
  HOST: 5,
  PROGRAM: 6,
  /** RecoveredRow.dbUser (RowConverter: source.databasePrincipalOf(sid).name), null when none. */
  DB_USER: 7,
  /** TransactionInfo.opposite as JSON `[operation, [[allocUnitId, rows], …]]`, absent when none. */
  OPPOSITE: 8,
  /** The SPID (a number), or NULL_STRING / UNDEFINED_STRING. */
  SPID: 9,
  /** 1: SPID is a number; else TXN_SPID says null or absent. */
  SPID_IS_NUMBER: 10,
  /** Where the SID's bytes end in `sids` (they start where the previous transaction's ended). */
  SID_END: 11,
  /** 1 when the transaction has no SID. */
  SID_NULL: 12,
} as const;
export const NULL_STRING = -1;
export const UNDEFINED_STRING = -2;

/**
 * One run of candidates, all of them deletes or inserts with a row image and a record source of
 * the reader's shape (`{kind, file, offset[, stale: true]}`), their table resolved by the main
 * thread. Four transferred buffers and one string per job, whatever its size.
 */
export interface DecodeJob {
  type: 'job';
  id: number;
  /** Layouts this worker has not been sent yet, with their index in the worker's layout table. */
  newLayouts: Array<{ index: number; layout: TableLayout }>;
  /** ROW_STRIDE numbers per candidate. */
  rows: Float64Array;
  /** TXN_STRIDE numbers per transaction of the job (each once). */
  txns: Float64Array;
  /** Row images one after another. */
  images: ArrayBuffer;
  /** SIDs one after another. */
  sids: ArrayBuffer;
  /** Every string of the job, one after another (one string clones as one copy, an array of them string by string); string i ends at `stringEnds[i]`. */
  strings: string;
  stringEnds: Int32Array;
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
  /** Per candidate that became a row: bits 0–1 recover-rows' driftKind of its warnings (0 none, 1 only "row predates the column", 2 another of LayoutFitCheck's DRIFT_WARNINGS); bit 2 (4): it has any warning. */
  drift: Uint8Array;
  /** `JSON.stringify(row) + '\n'` of the rows, UTF-8, one after another. */
  text: ArrayBuffer;
  /** Per candidate, where its row's text ends in `text` (unchanged from the previous one for a candidate that is not a row). */
  textEnds: Int32Array;
  /** The OUTCOME_EVENT candidates' events, in order (skipped items). */
  events: RecoverEvent[];
}

export type FromDecodeWorker = DecodeResult | { type: 'error'; error: { name: string; message: string; stack?: string } };
