/**
 * The decode pool: worker threads that turn committed candidates into output bytes (decode, row
 * object, JSON.stringify, UTF-8) while the main thread reads the log and runs the committed filter
 * (which fixes the order). Jobs are packed compactly (JobBuilder, protocol.ts); each worker has at
 * most WINDOW jobs in flight and the caller awaits results in submission order, so memory is
 * bounded by threads × WINDOW jobs of JOB_CANDIDATES candidates.
 *
 * Workers run from the compiled dist/ (.js) or, from the TypeScript source under tsx/vitest,
 * through tsx's loader (util/spawn-worker.ts).
 */
import type { Worker } from 'node:worker_threads';
import { SourceError } from '../../errors.js';
import { LOP_DELETE_ROWS, LOP_INSERT_ROWS } from '../../logreader/log-record.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import { spawnModuleWorker } from '../../util/spawn-worker.js';
import type { RowCandidate, TransactionInfo } from '../source.js';
import { OP_DELETE, OP_INSERT, type DecodeJob, type DecodeResult, type DecodeWorkerSetup, type FromDecodeWorker, type JobTransaction } from './protocol.js';

/** Candidates per job (a source array of committed candidates is at most CANDIDATE_BATCH = 512). */
export const JOB_CANDIDATES = 512;
/** Jobs a worker holds at most (sent, result not yet taken). */
export const WINDOW = 3;

/** Starts one decode worker (tests give their own to make one fail). */
export type SpawnDecodeWorker = (setup: DecodeWorkerSetup) => Worker;

/** The compiled decode-worker.js beside this module, or decode-worker.ts through tsx's loader. */
export function spawnDecodeWorker(setup: DecodeWorkerSetup): Worker {
  return spawnModuleWorker(import.meta.url, 'decode-worker', setup);
}

/** SourceError SOURCE_WORKER_FAILED naming the decode worker: rows after the point reached cannot be trusted, so the scan stops. */
function workerFailed(name: string, how: string, cause?: unknown): SourceError {
  return new SourceError(
    'SOURCE_WORKER_FAILED',
    `the ${name} stopped (${how}); the scan was stopped. Run it again, or with --decode-threads 1`,
    {},
    cause === undefined ? undefined : { cause },
  );
}

/** One worker and the jobs it has been given. */
class DecodeWorker {
  readonly pending = new Map<number, { resolve: (r: DecodeResult) => void; reject: (e: Error) => void }>();
  /** Layout indices this worker has been sent. */
  readonly layoutsSent = new Set<number>();
  failed: Error | null = null;
  private closing = false;

  constructor(
    readonly name: string,
    readonly worker: Worker | null,
    startError?: unknown,
  ) {
    if (!worker) {
      this.failed = workerFailed(name, `it could not be started: ${(startError as Error)?.message ?? String(startError)}`, startError);
      return;
    }
    worker.on('message', (m: FromDecodeWorker) => {
      if (m.type === 'error') return this.fail(workerFailed(name, `it threw ${m.error.name}: ${m.error.message}`));
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
    });
    worker.on('error', (e) => this.fail(workerFailed(name, `it threw ${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`, e)));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(workerFailed(name, `it exited with code ${code}`));
    });
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
  }

  run(job: DecodeJob, transfer: ArrayBuffer[]): Promise<DecodeResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<DecodeResult>((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      try {
        this.worker!.postMessage(job, transfer);
      } catch (e) {
        this.fail(workerFailed(this.name, `a job could not be sent to it: ${(e as Error)?.message ?? String(e)}`, e));
      }
    });
  }

  /** Terminates the thread; resolves when it is gone. */
  close(): Promise<void> {
    this.closing = true;
    const w = this.worker;
    if (!w) return Promise.resolve();
    return w.terminate().then(
      () => undefined,
      () => undefined,
    );
  }
}

/**
 * Worker threads decoding jobs; `run` hands a job to the worker with the fewest in flight (a
 * caller that awaits results in order and keeps at most threads × WINDOW unanswered keeps each
 * worker at WINDOW or fewer). A worker that throws, exits or cannot be started makes its jobs —
 * and every later job given to it — reject with SourceError SOURCE_WORKER_FAILED naming it.
 */
export class DecodePool {
  private readonly workers: DecodeWorker[];
  private readonly layoutIndex = new Map<TableLayout, number>();
  private readonly layouts: TableLayout[] = [];
  private nextId = 0;

  constructor(threads: number, setup: DecodeWorkerSetup, spawn: SpawnDecodeWorker = spawnDecodeWorker) {
    this.workers = [];
    for (let i = 0; i < threads; i++) {
      const name = `decode worker ${i + 1} of ${threads}`;
      try {
        this.workers.push(new DecodeWorker(name, spawn(setup)));
      } catch (e) {
        this.workers.push(new DecodeWorker(name, null, e));
      }
    }
  }

  /** The index of a layout in the workers' layout tables (by object: a changed catalog's new layout gets a new index). */
  layoutId(t: TableLayout): number {
    let i = this.layoutIndex.get(t);
    if (i === undefined) {
      i = this.layouts.length;
      this.layouts.push(t);
      this.layoutIndex.set(t, i);
    }
    return i;
  }

  /** Runs a packed job (JobBuilder.build) on the least busy worker; the layouts it lacks are sent with it. */
  run(packed: PackedJob): Promise<DecodeResult> {
    let w = this.workers[0];
    for (const x of this.workers) if (x.pending.size < w.pending.size && !x.failed) w = x;
    const newLayouts: DecodeJob['newLayouts'] = [];
    for (const i of packed.layoutsUsed) {
      if (!w.layoutsSent.has(i)) {
        w.layoutsSent.add(i);
        newLayouts.push({ index: i, layout: this.layouts[i] });
      }
    }
    const job: DecodeJob = { ...packed.job, id: this.nextId++, newLayouts };
    return w.run(job, packed.transfer);
  }

  /** Terminates every worker; resolves when their threads are gone. */
  close(): Promise<void> {
    return Promise.all(this.workers.map((w) => w.close())).then(() => undefined);
  }
}

export interface PackedJob {
  job: Omit<DecodeJob, 'id' | 'newLayouts'>;
  layoutsUsed: number[];
  transfer: ArrayBuffer[];
}

/** Keys of a record source the worker rebuilds exactly (reader.ts: `{kind, file, offset}`, then `stale = true`). */
const SOURCE_KEYS = ['kind', 'file', 'offset', 'stale'];

/**
 * Packs candidates into one job. `add` takes a candidate the worker can do exactly as the main
 * thread would — a delete or insert with a row image, its table resolved (`layout`: the pool's
 * layoutId) and a record source of the reader's shape — and returns false for any other, which
 * the caller converts on the main thread.
 */
export class JobBuilder {
  private images: Uint8Array[] = [];
  private imageBytes = 0;
  private imageEnds: number[] = [];
  private layout: number[] = [];
  private txn: number[] = [];
  private operation: number[] = [];
  private slot: number[] = [];
  private offset: number[] = [];
  private stale: number[] = [];
  private lsn: number[] = [];
  private transactionId: number[] = [];
  private allocUnit: number[] = [];
  private page: number[] = [];
  private kind: number[] = [];
  private file: number[] = [];
  private strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly txns: JobTransaction[] = [];
  private readonly txnIds = new Map<TransactionInfo, number>();
  private readonly layoutsUsed = new Set<number>();

  constructor(private readonly dbUserOf: (txn: TransactionInfo) => string | null) {}

  get size(): number {
    return this.operation.length;
  }

  private shared(s: string): number {
    let i = this.stringIds.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, i);
    }
    return i;
  }

  private own(s: string): number {
    this.strings.push(s);
    return this.strings.length - 1;
  }

  add(c: RowCandidate, layout: number): boolean {
    const r = c.record;
    const op = r.Operation === LOP_DELETE_ROWS ? OP_DELETE : r.Operation === LOP_INSERT_ROWS ? OP_INSERT : -1;
    if (op < 0) return false;
    const image = r['RowLog Contents 0'];
    if (!image || image.length === 0) return false;
    const src = r.source;
    if (!src || typeof src.file !== 'string' || typeof src.offset !== 'number' || (src.stale !== undefined && src.stale !== true)) return false;
    let k = 0;
    for (const key in src) if (key !== SOURCE_KEYS[k++]) return false;
    if (k !== (src.stale ? 4 : 3)) return false;
    const slot = r['Slot ID'];
    if (slot !== null && slot !== undefined && !(Number.isInteger(slot) && slot >= 0)) return false;
    let t = this.txnIds.get(c.txn);
    if (t === undefined) {
      t = this.txns.length;
      this.txns.push({ txn: c.txn, dbUser: this.dbUserOf(c.txn) });
      this.txnIds.set(c.txn, t);
    }
    this.images.push(image);
    this.imageBytes += image.length;
    this.imageEnds.push(this.imageBytes);
    this.layout.push(layout);
    this.layoutsUsed.add(layout);
    this.txn.push(t);
    this.operation.push(op);
    this.slot.push(slot ?? -1);
    this.offset.push(src.offset);
    this.stale.push(src.stale ? 1 : 0);
    this.lsn.push(this.own(r['Current LSN']));
    this.transactionId.push(this.shared(r['Transaction ID']));
    this.allocUnit.push(r.AllocUnitId == null ? -1 : this.shared(r.AllocUnitId));
    this.page.push(r['Page ID'] == null ? -1 : this.own(r['Page ID']));
    this.kind.push(this.shared(src.kind));
    this.file.push(this.shared(src.file));
    return true;
  }

  /** The job: images copied into one buffer, numbers into typed arrays (all transferred). */
  build(): PackedJob {
    const images = new Uint8Array(this.imageBytes);
    let at = 0;
    for (const im of this.images) {
      images.set(im, at);
      at += im.length;
    }
    const job = {
      type: 'job' as const,
      txns: this.txns,
      images: images.buffer,
      imageEnds: Int32Array.from(this.imageEnds),
      layout: Int32Array.from(this.layout),
      txn: Int32Array.from(this.txn),
      operation: Uint8Array.from(this.operation),
      slot: Int32Array.from(this.slot),
      offset: Float64Array.from(this.offset),
      stale: Uint8Array.from(this.stale),
      lsn: Int32Array.from(this.lsn),
      transactionId: Int32Array.from(this.transactionId),
      allocUnit: Int32Array.from(this.allocUnit),
      page: Int32Array.from(this.page),
      kind: Int32Array.from(this.kind),
      file: Int32Array.from(this.file),
      strings: this.strings,
    };
    const transfer = [job.images, job.imageEnds.buffer, job.layout.buffer, job.txn.buffer, job.operation.buffer, job.slot.buffer, job.offset.buffer, job.stale.buffer, job.lsn.buffer, job.transactionId.buffer, job.allocUnit.buffer, job.page.buffer, job.kind.buffer, job.file.buffer];
    return { job, layoutsUsed: [...this.layoutsUsed], transfer };
  }
}
