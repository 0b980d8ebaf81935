/** Messages between the parallel log reader (parallel-reader.ts) and its workers (log-file-worker.ts). */
import type { SkippedItem } from '../../util/skipped-item.js';
import type { LogRecord } from '../log-record.js';
import type { LogScanStats, VlfIndexRange } from '../ldf/reader.js';

/** One file a scan reads: an .ldf (or a range of its VLFs), or backup set `position` of a .trn/.bak. */
export interface LogFileInput {
  kind: 'ldf' | 'trn' | 'bak';
  file: string;
  position: number;
  /** An .ldf: only these VLFs (by index in its layout), one of the ranges a large .ldf is split into; all when absent (consecutive inputs of one .ldf cover it in order). */
  vlfs?: VlfIndexRange;
  /** An .ldf: read its VLFs in file order (default) or by sequence number (LogScanOptions.vlfOrder). */
  vlfOrder?: 'file' | 'sequence';
  /** An .ldf: yield its stale blocks too (default; LogScanOptions.includeStale). */
  includeStale?: boolean;
}

/** What one worker reads: a LogFileInput, with how to read it. */
export interface LogFileJob extends LogFileInput {
  logFormat2IsSql2005: boolean;
  /** RecordKeep as a 65,536-entry table indexed by op << 8 | context (1 = build); null = build every record. */
  keepTable: Uint8Array | null;
  /** Batches posted ahead of the parent's acknowledgements at most. */
  window: number;
  /** The file roots in force where the job was made (util/input-open.ts): the worker thread opens its file under them too. */
  fileRoots?: string[];
}

export type ToWorker = { type: 'ack'; n: number } | { type: 'stop' };

export type ToParent =
  | { type: 'batch'; records: LogRecord[]; firstLsn: string; sectors?: number; offset?: number }
  | { type: 'skipped'; item: SkippedItem }
  | { type: 'done'; stats: LogScanStats }
  | { type: 'error'; error: { name: string; code?: string; message: string; location?: unknown; stack?: string } };
