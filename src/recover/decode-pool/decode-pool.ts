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
import {
  NULL_STRING,
  ROW,
  TXN,
  OP_DELETE,
  OP_INSERT,
  ROW_STRIDE,
  TXN_STRIDE,
  UNDEFINED_STRING,
  type DecodeJob,
  type DecodeResult,
  type DecodeWorkerSetup,
  type FromDecodeWorker,
} from './protocol.js';

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
  private readonly layouts = new Numbered<TableLayout>();
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
    return this.layouts.id(t);
  }

  /** Runs a packed job (JobBuilder.build) on the least busy worker; the layouts it lacks are sent with it. */
  run(packed: PackedJob): Promise<DecodeResult> {
    let w = this.workers[0];
    for (const x of this.workers) if (x.pending.size < w.pending.size && !x.failed) w = x;
    const newLayouts: DecodeJob['newLayouts'] = [];
    for (const i of packed.layoutsUsed) {
      if (!w.layoutsSent.has(i)) {
        w.layoutsSent.add(i);
        newLayouts.push({ index: i, layout: this.layouts.items[i] });
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

/** Values numbered in the order they were first given: the index a worker knows each by. */
class Numbered<T> {
  readonly items: T[] = [];
  private readonly ids = new Map<T, number>();

  /** The value's number, given it the first time. */
  id(x: T): number {
    let i = this.ids.get(x);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(x);
      this.ids.set(x, i);
    }
    return i;
  }

  /** A number of its own for a value not looked up again (no map entry). */
  add(x: T): number {
    return this.items.push(x) - 1;
  }
}

/** Keys of a record source the worker rebuilds exactly (reader.ts: `{kind, file, offset}`, then `position` of a file of several sets, then `stale = true`). */
const SOURCE_KEYS = ['kind', 'file', 'offset', 'position', 'stale'];

/**
 * Packs candidates into one job (protocol.ts DecodeJob), at most JOB_CANDIDATES. `add` takes a
 * candidate the worker can do exactly as the main thread would — a delete or insert with a row
 * image, its table resolved (`layout`: the pool's layoutId) and a record source of the reader's
 * shape — and returns false for any other, which the caller converts on the main thread.
 */
export class JobBuilder {
  private readonly rows = new Float64Array(JOB_CANDIDATES * ROW_STRIDE);
  private readonly txns = new Float64Array(JOB_CANDIDATES * TXN_STRIDE);
  private count = 0;
  private txnCount = 0;
  private images: Uint8Array[] = [];
  private imageBytes = 0;
  private sids: Uint8Array[] = [];
  private sidBytes = 0;
  private strings = new Numbered<string>();
  private readonly txnIds = new Map<TransactionInfo, number>();
  private readonly layoutsUsed = new Set<number>();

  constructor(private readonly dbUserOf: (txn: TransactionInfo) => string | null) {}

  /** Candidates packed so far. */
  get size(): number {
    return this.count;
  }

  /** A string sent once per job however often it occurs. */
  private shared(s: string): number {
    return this.strings.id(s);
  }

  /** A string of one candidate (an LSN). */
  private own(s: string): number {
    return this.strings.add(s);
  }

  /** A string that may be null or absent (NULL_STRING, UNDEFINED_STRING). */
  private maybe(s: string | null | undefined): number {
    return s === null ? NULL_STRING : s === undefined ? UNDEFINED_STRING : this.shared(s);
  }

  /** The transaction's index in the job, its facts packed the first time. */
  private transaction(txn: TransactionInfo): number {
    let t = this.txnIds.get(txn);
    if (t !== undefined) return t;
    t = this.txnCount++;
    this.txnIds.set(txn, t);
    const f = this.txns;
    const o = t * TXN_STRIDE;
    f[o + TXN.ID] = this.maybe(txn.transactionId);
    f[o + TXN.BEGIN] = this.maybe(txn.beginTime);
    f[o + TXN.END] = this.maybe(txn.endTime);
    f[o + TXN.NAME] = this.maybe(txn.name);
    f[o + TXN.LOGIN] = this.maybe(txn.login);
    f[o + TXN.HOST] = this.maybe(txn.host);
    f[o + TXN.PROGRAM] = this.maybe(txn.program);
    f[o + TXN.DB_USER] = this.maybe(this.dbUserOf(txn));
    f[o + TXN.OPPOSITE] = txn.opposite ? this.shared(JSON.stringify([txn.opposite.operation, [...txn.opposite.perAllocUnit]])) : UNDEFINED_STRING;
    const spid = txn.spid;
    f[o + TXN.SPID] = typeof spid === 'number' ? spid : spid === null ? NULL_STRING : UNDEFINED_STRING;
    f[o + TXN.SPID_IS_NUMBER] = typeof spid === 'number' ? 1 : 0;
    if (txn.sid) {
      this.sids.push(txn.sid);
      this.sidBytes += txn.sid.length;
    }
    f[o + TXN.SID_END] = this.sidBytes;
    f[o + TXN.SID_NULL] = txn.sid ? 0 : 1;
    return t;
  }

  add(c: RowCandidate, layout: number): boolean {
    if (this.count >= JOB_CANDIDATES) return false;
    const r = c.record;
    const op = r.Operation === LOP_DELETE_ROWS ? OP_DELETE : r.Operation === LOP_INSERT_ROWS ? OP_INSERT : -1;
    if (op < 0) return false;
    const image = r['RowLog Contents 0'];
    if (!image || image.length === 0) return false;
    const src = r.source;
    if (!src || typeof src.file !== 'string' || typeof src.offset !== 'number' || (src.stale !== undefined && src.stale !== true)) return false;
    if (src.position !== undefined && !(Number.isInteger(src.position) && src.position > 0)) return false;
    let k = 0;
    for (const key in src) {
      // `position` is there only for a set of a file of several
      if (key !== 'position' && SOURCE_KEYS[k] === 'position') k++;
      if (key !== SOURCE_KEYS[k++]) return false;
    }
    if (k < 3) return false;
    const slot = r['Slot ID'];
    if (slot !== null && slot !== undefined && !(Number.isInteger(slot) && slot >= 0)) return false;
    const spid = c.txn.spid;
    if (typeof spid !== 'number' && spid !== null && spid !== undefined) return false;
    const t = this.transaction(c.txn);
    this.images.push(image);
    this.imageBytes += image.length;
    this.layoutsUsed.add(layout);
    const f = this.rows;
    const o = this.count++ * ROW_STRIDE;
    f[o + ROW.LAYOUT] = layout;
    f[o + ROW.TXN] = t;
    f[o + ROW.OPERATION] = op;
    f[o + ROW.SLOT] = slot ?? -1;
    f[o + ROW.STALE] = src.stale ? 1 : 0;
    f[o + ROW.LSN] = this.own(r['Current LSN']);
    f[o + ROW.TRANSACTION_ID] = this.shared(r['Transaction ID']);
    f[o + ROW.ALLOC_UNIT] = r.AllocUnitId == null ? NULL_STRING : this.shared(r.AllocUnitId);
    f[o + ROW.PAGE] = r['Page ID'] == null ? NULL_STRING : this.own(r['Page ID']);
    f[o + ROW.SOURCE_KIND] = this.shared(src.kind);
    f[o + ROW.SOURCE_FILE] = this.shared(src.file);
    f[o + ROW.SOURCE_OFFSET] = src.offset;
    f[o + ROW.SOURCE_POSITION] = src.position ?? 0;
    f[o + ROW.IMAGE_END] = this.imageBytes;
    return true;
  }

  /** The job, and the builder emptied for the next one: images and SIDs copied into one buffer each, the numbers trimmed to the candidates and transactions packed (all transferred). */
  build(): PackedJob {
    const images = join(this.images, this.imageBytes);
    const sids = join(this.sids, this.sidBytes);
    const strings = this.strings.items;
    const stringEnds = new Int32Array(strings.length);
    let end = 0;
    for (let i = 0; i < strings.length; i++) stringEnds[i] = end += strings[i].length;
    const rows = this.rows.slice(0, this.count * ROW_STRIDE);
    const txns = this.txns.slice(0, this.txnCount * TXN_STRIDE);
    const job = { type: 'job' as const, rows, txns, images: images.buffer, sids: sids.buffer, strings: strings.join(''), stringEnds };
    const packed = { job, layoutsUsed: [...this.layoutsUsed], transfer: [rows.buffer, txns.buffer, images.buffer, sids.buffer, stringEnds.buffer] };
    this.reset();
    return packed;
  }

  /** Empty again for the next job (its two number arrays kept: allocated once per scan). */
  private reset(): void {
    this.count = 0;
    this.txnCount = 0;
    this.images = [];
    this.imageBytes = 0;
    this.sids = [];
    this.sidBytes = 0;
    this.strings = new Numbered<string>();
    this.txnIds.clear();
    this.layoutsUsed.clear();
  }
}

/** The arrays one after another in one new buffer of `bytes` bytes. */
function join(parts: readonly Uint8Array[], bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
