/**
 * Reads several log files (an .ldf and the backup sets of .trn/.bak files) on worker threads, a
 * file per worker, while the caller consumes them strictly in the order given: what the caller
 * sees — record batches, skipped items, stats — is what the one-thread batch reader yields for the
 * same files in the same order (test/logreader/parallel.test.ts; the committed filter and the
 * repeat check stay on the caller's thread, so output order and content do not depend on threads).
 *
 * At most `threads` files are read at once, each at most WINDOW batches ahead of the caller.
 * Workers run from the compiled dist/ (.js) or, when this module is TypeScript run through tsx or
 * vitest, from the .ts source through tsx's loader.
 */
import type { Worker } from 'node:worker_threads';
import { FormatError, InputError, RowbackError, SourceError } from '../../errors.js';
import type { SkippedItem } from '../../util/skipped-item.js';
import type { LogRecordBatch, LogScanStats, RecordKeep, VlfIndexRange } from '../ldf/reader.js';
import { UNCHECKED_BLOCKS_NAMED } from '../ldf/reader.js';
import type { LogFileInput, LogFileJob, ToParent, ToWorker } from './protocol.js';
import { spawnModuleWorker } from '../../util/spawn-worker.js';
import { currentFileRoots } from '../../util/input-open.js';

/** Batches a worker may post ahead of the caller (each ≤ one 60 KB log block's records). */
const WINDOW = 64;

export type LogFileEvent =
  | { type: 'batch'; batch: LogRecordBatch }
  | { type: 'skipped'; item: SkippedItem }
  | { type: 'done'; stats: LogScanStats };

export type { LogFileInput } from './protocol.js';

/** RecordKeep as a table a worker can receive (op << 8 | context → 1 when built). */
export function keepTable(keep: RecordKeep | undefined): Uint8Array | null {
  if (!keep) return null;
  const t = new Uint8Array(65536);
  for (let op = 0; op < 256; op++) for (let ctx = 0; ctx < 256; ctx++) t[(op << 8) | ctx] = keep(op, ctx) ? 1 : 0;
  return t;
}

/**
 * The worker: the compiled log-file-worker.js beside this module, or — when this module is the
 * TypeScript source (tsx, vitest) — a bootstrap that registers tsx's ESM loader in the worker
 * (workers do not inherit the parent's loader hooks) and then imports log-file-worker.ts.
 */
export function spawnLogFileWorker(job: LogFileJob): Worker {
  // a worker thread does not inherit the async context: the file roots in force travel with the job
  const roots = currentFileRoots();
  return spawnModuleWorker(import.meta.url, 'log-file-worker', roots ? { ...job, fileRoots: roots } : job);
}

/** Starts the worker of one job (spawnLogFileWorker; tests give their own to make a worker fail). */
export type SpawnLogFileWorker = (job: LogFileJob) => Worker;

/**
 * One file on one worker: its events, buffered as they arrive, consumed in order. A worker that
 * dies (an uncaught error, exit before its stats) ends the file's events with SourceError
 * SOURCE_WORKER_FAILED naming the file; an error the reader threw in the worker is rethrown as
 * the class it had (revive), so the caller sees what the one-thread reader would have thrown.
 */
class RemoteLogFile {
  private worker: Worker | null = null;
  private queue: ToParent[] = [];
  private wake: (() => void) | null = null;
  private failed: Error | null = null;
  private finished = false;

  constructor(
    private readonly job: LogFileJob,
    private readonly spawn: SpawnLogFileWorker,
  ) {}

  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    let w: Worker;
    try {
      w = this.spawn(this.job);
    } catch (e) {
      // e.g. ERR_WORKER_INIT_FAILED, or out of memory for another thread
      this.failed = workerFailed(this.job.file, `it could not be started: ${(e as Error)?.message ?? String(e)}`, e);
      this.finished = true;
      return;
    }
    this.worker = w;
    w.on('message', (m: ToParent) => this.push(m));
    w.on('error', (e) => {
      this.failed ??= workerFailed(this.job.file, `it threw ${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`, e);
      this.poke();
    });
    w.on('exit', (code) => {
      if (!this.finished && !this.failed && code !== 0) this.failed = workerFailed(this.job.file, `it exited with code ${code}`);
      this.finished = true;
      this.poke();
    });
  }

  private push(m: ToParent): void {
    this.queue.push(m);
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The file's events in reading order; ends early, quietly, when `signal` aborts (as the one-thread reader does). */
  async *events(signal?: AbortSignal): AsyncGenerator<LogFileEvent> {
    this.start();
    const onAbort = () => this.poke();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        while (this.queue.length === 0) {
          if (signal?.aborted) return;
          if (this.failed) throw this.failed;
          if (this.finished) throw workerFailed(this.job.file, 'it ended without its stats');
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
        if (signal?.aborted) return;
        const m = this.queue.shift()!;
        if (m.type === 'error') throw revive(m.error);
        if (m.type === 'batch') {
          yield { type: 'batch', batch: { records: m.records, firstLsn: m.firstLsn, ...(m.sectors !== undefined ? { sectors: m.sectors } : {}), ...(m.offset !== undefined ? { offset: m.offset } : {}) } };
          this.worker?.postMessage({ type: 'ack', n: 1 } satisfies ToWorker);
          continue;
        }
        if (m.type === 'skipped') {
          yield m;
          continue;
        }
        this.finished = true;
        yield m;
        return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops the worker (terminated; its listeners stay, so a late exit is harmless); resolves when its thread is gone. */
  close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return Promise.resolve();
    w.postMessage({ type: 'stop' } satisfies ToWorker);
    return w.terminate().then(
      () => undefined,
      () => undefined,
    );
  }
}

/** SourceError SOURCE_WORKER_FAILED: the thread reading `file` stopped before its end; nothing of the scan after that point can be trusted. */
function workerFailed(file: string, how: string, cause?: unknown): SourceError {
  return new SourceError('SOURCE_WORKER_FAILED', `the worker thread reading ${file} stopped before the end of the file (${how}); the scan was stopped. Run it again, or with --threads 1`, { file }, cause === undefined ? undefined : { cause });
}

/** The worker's error as the class it was thrown as (FormatError, InputError, SourceError), else an Error. */
function revive(e: { name: string; code?: string; message: string; location?: unknown; stack?: string }): Error {
  const ctor = ({ FormatError, InputError, SourceError } as Record<string, new (code: string, message: string, location?: object) => RowbackError>)[e.name];
  const err = ctor && e.code ? new ctor(e.code, e.message, (e.location ?? {}) as object) : Object.assign(new Error(e.message), { name: e.name });
  if (e.stack) err.stack = e.stack;
  return err;
}

/**
 * Readers for `files`, in order: reader i starts (on its own worker) as soon as fewer than
 * `threads` of the readers before it are unfinished, so up to `threads` files are parsed at once
 * while the caller consumes reader 0, then 1, …. Every worker is stopped — and its thread gone —
 * when the returned iterator is finished, abandoned, or throws; when `signal` aborts, the
 * readers end quietly (no more events) and the iterator ends. `spawn` replaces the worker (tests).
 */
export async function* readLogFilesInParallel(
  files: LogFileInput[],
  threads: number,
  options: { keep?: RecordKeep; logFormat2IsSql2005?: boolean; signal?: AbortSignal; spawn?: SpawnLogFileWorker },
): AsyncGenerator<{ input: LogFileInput; events: AsyncGenerator<LogFileEvent> }> {
  const table = keepTable(options.keep);
  const signal = options.signal;
  const spawn = options.spawn ?? spawnLogFileWorker;
  const remotes = files.map((f) => new RemoteLogFile({ kind: f.kind, file: f.file, position: f.position, ...(f.vlfs ? { vlfs: f.vlfs } : {}), ...(f.vlfOrder ? { vlfOrder: f.vlfOrder } : {}), ...(f.includeStale !== undefined ? { includeStale: f.includeStale } : {}), logFormat2IsSql2005: options.logFormat2IsSql2005 ?? false, keepTable: table, window: WINDOW }, spawn));
  try {
    for (let i = 0; i < remotes.length; i++) {
      if (signal?.aborted) return;
      for (let j = i; j < Math.min(remotes.length, i + Math.max(1, threads)); j++) remotes[j].start();
      yield { input: files[i], events: remotes[i].events(signal) };
      await remotes[i].close();
    }
  } finally {
    await Promise.all(remotes.map((r) => r.close()));
  }
}

/** Adds one file's stats to the running stats of a pass, as the one-thread reader's shared stats object would have them. */
export function mergeLogScanStats(into: LogScanStats, s: LogScanStats): void {
  into.bytes += s.bytes;
  into.blocks += s.blocks;
  into.checksummedBlocks += s.checksummedBlocks;
  for (const b of s.uncheckedBlockList) if (into.uncheckedBlockList.length < UNCHECKED_BLOCKS_NAMED) into.uncheckedBlockList.push(b);
  into.records += s.records;
  into.staleRecords += s.staleRecords;
  into.skippedBlocks += s.skippedBlocks;
  into.skippedRecords += s.skippedRecords;
  into.unwrittenBytes += s.unwrittenBytes;
  into.gaps += s.gaps;
  // unknown operation codes: counts added, the first record kept (files are merged in reading order)
  for (const u of s.unknownOps ?? []) {
    const have = into.unknownOps.find((x) => x.op === u.op);
    if (have) have.count += u.count;
    else into.unknownOps.push({ ...u });
  }
  if (s.end && (!into.end || s.end.vlf > into.end.vlf || (s.end.vlf === into.end.vlf && s.end.block > into.end.block))) into.end = s.end;
  if (s.firstLsn && (!into.firstLsn || cmp(s.firstLsn, into.firstLsn) < 0)) into.firstLsn = s.firstLsn;
  if (s.lastLsn && (!into.lastLsn || cmp(s.lastLsn, into.lastLsn) > 0)) into.lastLsn = s.lastLsn;
}

function cmp(a: { vlf: number; block: number; slot: number }, b: { vlf: number; block: number; slot: number }): number {
  return a.vlf - b.vlf || a.block - b.block || a.slot - b.slot;
}
