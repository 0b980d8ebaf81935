/**
 * The row candidates of one open transaction, held as bytes until its commit or abort.
 *
 * Why bytes: the committed filter (committed.ts) must hold every row operation of a transaction
 * until it sees LOP_COMMIT_XACT, and a mass delete is one transaction of millions of rows. Held as
 * objects, each candidate survived into V8's old generation (a LogRecord of ~25 fields, its strings
 * and typed-array views: about three times the row image), the budget could only estimate them, and
 * V8 grew its heap to several times what was live: a 2.5 M-row delete peaked at 393 MB RSS with a
 * 64 MB budget. Here a transaction's first 32 candidates stay objects (most transactions commit
 * after a few rows, and their candidates die young), their byte values copied out of the log block;
 * every later one is written, once, into the transaction's own chunks (1 KB doubling to 64 KB; one
 * larger than that gets a chunk of its own): memory held is the chunks' bytes exactly, outside the
 * garbage-collected heap, and the record object built by the log reader dies young. At the commit
 * each encoded candidate is rebuilt, one at a time, as an equal object whose byte fields view the
 * chunk.
 *
 * Beyond the memory budget the chunks are written as they are to a temporary file
 * ({@link HeldCandidates.spill}): frames of `[u32 LE length][chunk bytes]`, read back one frame at a
 * time in the same order. No re-encoding on the way out or back.
 *
 * Encoding (this process only: the file never outlives the scan, key numbers are this process's):
 * a candidate is `[u32 LE length][value]`, a value one tag byte and its payload:
 * `0` null · `1` undefined · `2` false · `3` true · `4` int32 LE · `5` float64 LE ·
 * `6` Latin-1 string (u32 length, one byte per UTF-16 unit below 0x100) ·
 * `7` string as UTF-16 LE code units (u32 unit count; lossless, lone surrogates too) ·
 * `8` bytes (u32 length, raw; rebuilt as a Uint8Array view) · `9` array (u32 count, values) ·
 * `10` plain object (u16 key count, then per key its u16 key number and value, in key order).
 * Anything else (functions, bigint, Date, class instances) is a programming error and throws.
 */
import { rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { appendAll } from '../util/append-all.js';

/** Tags of the encoding above. */
const T_NULL = 0;
const T_UNDEFINED = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_INT32 = 4;
const T_FLOAT64 = 5;
const T_LATIN1 = 6;
const T_UTF16 = 7;
const T_BYTES = 8;
const T_ARRAY = 9;
const T_OBJECT = 10;

/** Bytes a candidate kept as an object is counted as, beyond its byte values (a LogRecord of ~25 fields, its strings and views; an estimate). */
const OBJECT_OVERHEAD = 1200;
/** First chunk of a transaction (bytes); chunks double up to {@link MAX_CHUNK}. */
const FIRST_CHUNK = 1024;
/** Largest ordinary chunk (bytes); a candidate larger than this gets a chunk of its own. */
const MAX_CHUNK = 64 * 1024;

/**
 * Spill folders of this process not yet removed. A scan stopped by Ctrl-C (SIGINT), SIGTERM or
 * SIGHUP, or a `process.exit()` before its generators finish, runs no `finally`: without this, a
 * spilled transaction's file (gigabytes for a mass delete) stayed in the temporary folder for good.
 * They are removed synchronously at exit, and on those signals when nothing else handles them.
 */
const liveFolders = new Set<string>();
let exitHooked = false;
let signalsHooked = false;
const END_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeLiveFolders(): void {
  for (const f of liveFolders) {
    try {
      rmSync(f, { recursive: true, force: true });
    } catch {
      /* best effort: the process is ending */
    }
  }
  liveFolders.clear();
}

function trackFolder(folder: string): void {
  liveFolders.add(folder);
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', removeLiveFolders);
  }
  if (signalsHooked) return;
  signalsHooked = true;
  const handlers: [NodeJS.Signals, () => void][] = [];
  for (const sig of END_SIGNALS) {
    const onSignal = (): void => {
      for (const [s, h] of handlers) process.removeListener(s, h);
      signalsHooked = false;
      // Run first (prepended). When the application handles the signal (`scan` stopping where it
      // is, `serve` closing gracefully, a RESTORE being cancelled), it keeps the signal and its
      // generators' `finally` remove the folders (the 'exit' hook stays as the fallback): removing
      // them here would pull files from under a scan still draining them. With no handler, the
      // folders go now and the signal ends the process as it would have without this handler.
      if (process.listenerCount(sig) === 0) {
        removeLiveFolders();
        try {
          process.kill(process.pid, sig);
        } catch {
          process.exit(1);
        }
      }
    };
    handlers.push([sig, onSignal]);
    process.prependListener(sig, onSignal);
  }
}

/** Key names by number, for this process (object keys are written as their number). */
const keyNames: string[] = [];
const keyNumbers = new Map<string, number>();

function keyNumber(k: string): number {
  let n = keyNumbers.get(k);
  if (n === undefined) {
    n = keyNames.length;
    if (n > 0xffff) throw new Error(`held candidates: more than 65,536 distinct field names (at ${JSON.stringify(k.slice(0, 40))})`);
    keyNames.push(k);
    keyNumbers.set(k, n);
  }
  return n;
}

/** One reusable buffer a candidate is encoded into before it is copied to its transaction's chunk. */
let scratch = Buffer.allocUnsafe(64 * 1024);
let at = 0;

function ensure(n: number): void {
  if (at + n <= scratch.length) return;
  let size = scratch.length * 2;
  while (size < at + n) size *= 2;
  const next = Buffer.allocUnsafe(size);
  scratch.copy(next, 0, 0, at);
  scratch = next;
}

/** Key numbers of the candidate being encoded, by position: candidates of one shape hit this cache. */
const cacheKeys: string[] = [];
const cacheNums: number[] = [];
let kc = 0;

function writeU32(n: number): void {
  scratch[at] = n;
  scratch[at + 1] = n >>> 8;
  scratch[at + 2] = n >>> 16;
  scratch[at + 3] = n >>> 24;
  at += 4;
}

function writeValue(v: unknown): void {
  if (typeof v === 'string') {
    writeString(v);
  } else if (typeof v === 'number') {
    ensure(9);
    if ((v | 0) === v && !Object.is(v, -0)) {
      scratch[at++] = T_INT32;
      writeU32(v);
    } else {
      scratch[at++] = T_FLOAT64;
      scratch.writeDoubleLE(v, at);
      at += 8;
    }
  } else if (v === null) {
    ensure(1);
    scratch[at++] = T_NULL;
  } else if (v === undefined) {
    ensure(1);
    scratch[at++] = T_UNDEFINED;
  } else if (typeof v === 'boolean') {
    ensure(1);
    scratch[at++] = v ? T_TRUE : T_FALSE;
  } else if (v instanceof Uint8Array) {
    ensure(5 + v.length);
    scratch[at++] = T_BYTES;
    writeU32(v.length);
    scratch.set(v, at);
    at += v.length;
  } else if (Array.isArray(v)) {
    ensure(5);
    scratch[at++] = T_ARRAY;
    writeU32(v.length);
    for (let i = 0; i < v.length; i++) writeValue(v[i]);
  } else if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    ensure(3);
    scratch[at++] = T_OBJECT;
    const countAt = at;
    at += 2;
    let count = 0;
    // for…in: own enumerable keys in Object.keys order (plain objects: nothing inherited is enumerable), no array per object.
    for (const k in v) {
      if (++count > 0xffff) throw new Error('held candidates: an object of more than 65,535 fields');
      let num: number;
      if (cacheKeys[kc] === k) num = cacheNums[kc]!;
      else {
        num = keyNumber(k);
        cacheKeys[kc] = k;
        cacheNums[kc] = num;
      }
      kc++;
      ensure(2);
      scratch[at] = num;
      scratch[at + 1] = num >>> 8;
      at += 2;
      writeValue((v as Record<string, unknown>)[k]);
    }
    scratch[countAt] = count;
    scratch[countAt + 1] = count >>> 8;
  } else {
    throw new Error(`held candidates: cannot hold a value of type ${typeof v === 'object' ? Object.prototype.toString.call(v) : typeof v}`);
  }
}

function writeString(s: string): void {
  const n = s.length;
  ensure(5 + 2 * n);
  const start = at;
  scratch[at++] = T_LATIN1;
  writeU32(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) {
      // Not Latin-1: written again as UTF-16 code units (Node's utf16le keeps each unit as it is, a lone surrogate included).
      at = start;
      scratch[at++] = T_UTF16;
      writeU32(n);
      at += scratch.write(s, at, 2 * n, 'utf16le');
      return;
    }
    scratch[at + i] = c;
  }
  at += n;
}

/** Read position of {@link readValue} (module state: no object per value read). */
let rp = 0;

/** Reads one value at `rp` of `b`, moving `rp` past it. Byte values view `b`. */
function readValue(b: Buffer): unknown {
  const tag = b[rp++];
  switch (tag) {
    case T_NULL:
      return null;
    case T_UNDEFINED:
      return undefined;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_INT32: {
      const v = b[rp]! | (b[rp + 1]! << 8) | (b[rp + 2]! << 16) | (b[rp + 3]! << 24);
      rp += 4;
      return v;
    }
    case T_FLOAT64: {
      const v = b.readDoubleLE(rp);
      rp += 8;
      return v;
    }
    case T_LATIN1: {
      const n = readU32(b);
      const v = b.toString('latin1', rp, rp + n);
      rp += n;
      return v;
    }
    case T_UTF16: {
      const n = readU32(b);
      const v = b.toString('utf16le', rp, rp + 2 * n);
      rp += 2 * n;
      return v;
    }
    case T_BYTES: {
      const n = readU32(b);
      const v = new Uint8Array(b.buffer, b.byteOffset + rp, n);
      rp += n;
      return v;
    }
    case T_ARRAY: {
      const n = readU32(b);
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readValue(b);
      return out;
    }
    case T_OBJECT: {
      const n = b[rp]! | (b[rp + 1]! << 8);
      rp += 2;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = keyNames[b[rp]! | (b[rp + 1]! << 8)]!;
        rp += 2;
        const v = readValue(b);
        // Own data property even for `__proto__`, as the encoded object had it.
        if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    }
    default:
      throw new Error(`held candidates: unknown tag ${tag} at offset ${rp - 1} of a held chunk (corrupt temporary data)`);
  }
}

function readU32(b: Buffer): number {
  const v = (b[rp]! | (b[rp + 1]! << 8) | (b[rp + 2]! << 16)) + b[rp + 3]! * 0x1000000;
  rp += 4;
  return v;
}

/**
 * The held candidates of one transaction, in the order added. `T` is the candidate's shape (plain
 * objects, arrays, strings, numbers, booleans, null/undefined and Uint8Arrays only).
 *
 * Memory: {@link memoryBytes} — the chunks held in memory, exactly. After {@link spill} every chunk
 * already written goes to a temporary file and later candidates go to it whenever a chunk fills;
 * {@link drain} yields the file's candidates first, then those still in memory.
 */
export class HeldCandidates<T> {
  /** Candidates added. */
  count = 0;
  /** Bytes held in memory (what a memory budget counts): chunks exactly, plus the first candidates' estimate. */
  memoryBytes = 0;
  /** The first candidates, kept as the objects they were (their byte values copied into `slab`). */
  private first: T[] = [];
  private slab: { chunk: Uint8Array; at: number; next: number } | null = null;
  private chunks: Buffer[] = [];
  private used: number[] = [];
  private nextSize = FIRST_CHUNK;
  private file: { path: string; fh: FileHandle; frames: number; size: number } | null = null;
  private writing: Promise<void> = Promise.resolve();
  private gone = false;
  /** Set when drain/takeInMemory starts: the candidates are being given out and stay where they are. */
  private draining = false;

  /**
   * `keepFirst`: how many of the first candidates are kept as objects rather than encoded (most
   * transactions change a few rows and commit at once: their candidates die young and encoding them
   * would only cost time; default 32, measured on a SYNTHETIC CRM log). Each counts as
   * {@link OBJECT_OVERHEAD} bytes plus its byte values.
   */
  constructor(private readonly keepFirst = 32) {}

  /** Whether the candidates have been sent to a temporary file. */
  get spilled(): boolean {
    return this.file !== null;
  }

  /**
   * Adds one candidate. Its byte values are copied (nothing held views the caller's buffers, e.g. a
   * log block); one of the first `keepFirst` is kept as this same object, with its byte values
   * replaced in place by the copies; later ones are encoded. When spilled, a full chunk is queued
   * for writing and `true` returned: await {@link flushed} then (a failed write rejects there).
   * Throws an Error for a value the encoding cannot hold (see the module comment).
   */
  add(candidate: T): boolean {
    if (this.first.length < this.keepFirst && !this.file && this.chunks.length === 0) {
      this.memoryBytes += OBJECT_OVERHEAD + this.detach(candidate as unknown, 0);
      this.first.push(candidate);
      this.count++;
      return false;
    }
    this.count++;
    return this.encode(candidate);
  }

  /** Replaces the Uint8Array values of a candidate's plain objects/arrays (3 levels) with copies in the slab; returns their bytes. */
  private detach(v: unknown, depth: number): number {
    if (depth > 3 || !v || typeof v !== 'object') return 0;
    let n = 0;
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (x instanceof Uint8Array) {
        o[k] = this.copy(x);
        n += x.length;
      } else if (x && typeof x === 'object') n += this.detach(x, depth + 1);
    }
    return n;
  }

  /** A copy of `v` in this transaction's slab (1 KB doubling to 64 KB chunks; a larger value gets its own). */
  private copy(v: Uint8Array): Uint8Array {
    const n = v.length;
    let s = this.slab;
    if (!s || s.at + n > s.chunk.length) {
      const next = s ? Math.min(s.next * 2, MAX_CHUNK) : FIRST_CHUNK;
      s = this.slab = { chunk: new Uint8Array(Math.max(next, n)), at: 0, next };
    }
    const out = new Uint8Array(s.chunk.buffer, s.at, n);
    out.set(v);
    s.at += n;
    return out;
  }

  /** Encodes one candidate into the last chunk (a new one when it does not fit); see {@link add}. */
  private encode(candidate: T): boolean {
    at = 4;
    kc = 0;
    writeValue(candidate);
    const len = at - 4;
    scratch.writeUInt32LE(len, 0);
    let i = this.chunks.length - 1;
    let queued = false;
    if (i < 0 || this.used[i]! + at > this.chunks[i]!.length) {
      if (i >= 0 && this.file) {
        this.writeChunk(i);
        queued = true;
      }
      const size = Math.max(this.nextSize, at);
      this.nextSize = Math.min(this.nextSize * 2, MAX_CHUNK);
      this.chunks.push(Buffer.allocUnsafe(size));
      this.used.push(0);
      this.memoryBytes += size;
      i = this.chunks.length - 1;
    }
    scratch.copy(this.chunks[i]!, this.used[i]!, 0, at);
    this.used[i]! += at;
    return queued;
  }

  /**
   * Sends every chunk held in memory to a temporary file under `dir` (created on the first call,
   * removed by {@link drain} or {@link discard}); later chunks follow as they fill. `memoryBytes`
   * drops to what is still held (at most one chunk). Throws what the file system throws.
   */
  async spill(dir?: string): Promise<void> {
    // Once being drained, moving the candidates would lose those the drain has not reached (it reads
    // the file only if there was one when it started, then the chunks left in memory): they stay.
    if (this.gone || this.draining) return;
    if (!this.file) {
      const { mkdtemp, open } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const parent = dir ?? tmpdir();
      let folder: string;
      try {
        folder = await mkdtemp(join(parent, 'rowback-spill-'));
      } catch (e) {
        throw new Error(`held candidates: cannot create a spill folder in ${parent} (${(e as Error).message}): the open transactions' rows exceed the memory budget and must go to disk; ${dir ? 'choose a writable spill folder' : 'set TMPDIR (TEMP on Windows) to a writable folder'} with room for them`, { cause: e });
      }
      trackFolder(folder);
      const path = join(folder, 'txn.held');
      let fh: FileHandle;
      try {
        fh = await open(path, 'w+');
      } catch (e) {
        // No file to hold the candidates: leave no empty folder behind either.
        const { rm } = await import('node:fs/promises');
        await rm(folder, { recursive: true, force: true }).catch(() => undefined);
        liveFolders.delete(folder);
        throw new Error(`held candidates: cannot create the spill file ${path} (${(e as Error).message})`, { cause: e });
      }
      // The objects kept first are encoded now, ahead of the chunks (they were added before them).
      if (this.first.length) {
        const rest = this.chunks;
        const restUsed = this.used;
        this.chunks = [];
        this.used = [];
        try {
          for (const c of this.first) this.encode(c);
        } catch (e) {
          // A value the encoding cannot hold (a programming error): nothing of the file stays behind.
          await fh.close().catch(() => undefined);
          const { rm } = await import('node:fs/promises');
          await rm(folder, { recursive: true, force: true }).catch(() => undefined);
          liveFolders.delete(folder);
          throw e;
        }
        appendAll(this.chunks, rest);
        appendAll(this.used, restUsed);
        this.first = [];
        this.slab = null;
      }
      this.memoryBytes = this.chunks.reduce((a, c) => a + c.length, 0);
      this.file = { path, fh, frames: 0, size: 0 };
    }
    while (this.chunks.length) this.writeChunk(0);
    this.nextSize = MAX_CHUNK;
    await this.flushed();
  }

  /** Resolves when every chunk queued for the file is written; rejects with the write's error. */
  flushed(): Promise<void> {
    return this.writing;
  }

  /** Queues chunk i (the first unwritten one: chunks go out in order) and removes it from memory. */
  private writeChunk(i: number): void {
    const chunk = this.chunks[i]!;
    const used = this.used[i]!;
    this.chunks.splice(i, 1);
    this.used.splice(i, 1);
    this.memoryBytes -= chunk.length;
    if (used === 0) return;
    const file = this.file!;
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32LE(used, 0);
    file.frames++;
    this.writing = this.writing.then(async () => {
      await writeAll(file, head, 4);
      await writeAll(file, chunk, used);
    });
  }

  /**
   * Yields every candidate, in the order added: those in the file (one frame read at a time), then
   * those in memory. Each is a new object equal to what was added, its byte values views of the
   * chunk or frame they were read from. The temporary file is removed at the end (or when the
   * consumer stops early). Throws an Error naming the file when a frame cannot be read whole.
   */
  async *drain(): AsyncGenerator<T> {
    this.draining = true;
    try {
      yield* this.all();
    } finally {
      await this.discard();
    }
  }

  /**
   * Every candidate, in the order added, as drain() gives them, but kept: a later drain() or
   * takeInMemory() gives them again. For a first pass that only looks (committed.ts pairing).
   * No candidate may be added meanwhile. Throws as drain() does.
   */
  async *peek(): AsyncGenerator<T> {
    this.draining = true;
    yield* this.all();
  }

  /** The candidates when none were spilled, kept (the synchronous peek()). Throws an Error when spilled. */
  *peekInMemory(): Generator<T> {
    if (this.file) throw new Error('held candidates: spilled to a temporary file; read them with peek()');
    this.draining = true;
    yield* this.inMemory();
  }

  private async *all(): AsyncGenerator<T> {
    {
      if (this.file) {
        await this.flushed();
        const { fh, path } = this.file;
        const head = Buffer.allocUnsafe(4);
        let pos = 0;
        for (let f = 0; f < this.file.frames; f++) {
          const h = await readFull(fh, head, 4, pos);
          if (h !== 4) throw new Error(`held candidates: temporary file ${path} ends at byte ${pos}, inside frame ${f + 1} of ${this.file.frames}`);
          const len = head.readUInt32LE(0);
          const frame = Buffer.allocUnsafe(len);
          const r = await readFull(fh, frame, len, pos + 4);
          if (r !== len) throw new Error(`held candidates: temporary file ${path} holds ${r} of frame ${f + 1}'s ${len} bytes at byte ${pos + 4}`);
          pos += 4 + len;
          yield* readChunk<T>(frame, len);
        }
      }
      yield* this.inMemory();
    }
  }

  /**
   * The candidates when none were spilled, synchronously (no promise per candidate); afterwards
   * they are dropped. Throws an Error when spilled: use {@link drain}.
   */
  *takeInMemory(): Generator<T> {
    if (this.file) throw new Error('held candidates: spilled to a temporary file; read them with drain()');
    this.draining = true;
    try {
      yield* this.inMemory();
    } finally {
      this.release();
    }
  }

  /** Drops what is held in memory; the candidates are gone from here on. */
  private release(): void {
    this.gone = true;
    this.first = [];
    this.slab = null;
    this.chunks = [];
    this.used = [];
    this.memoryBytes = 0;
  }

  private *inMemory(): Generator<T> {
    for (const c of this.first) yield c;
    for (let i = 0; i < this.chunks.length; i++) yield* readChunk<T>(this.chunks[i]!, this.used[i]!);
  }

  /** Drops every candidate and removes the temporary file, if any. Idempotent; never throws. */
  async discard(): Promise<void> {
    if (this.gone) return;
    this.release();
    const file = this.file;
    if (!file) return;
    await this.writing.catch(() => undefined);
    const { rm } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await file.fh.close().catch(() => undefined);
    await rm(dirname(file.path), { recursive: true, force: true }).then(() => liveFolders.delete(dirname(file.path)), () => undefined);
  }
}

/**
 * Writes `buf[0, n)` at the file's end position, as many write calls as it takes: a write may store
 * fewer bytes than asked (a disk filling up), and a short write taken as whole would shift every
 * later frame (the file then reads back as other candidates, or fails only at its last frame after
 * earlier ones were already given out). A write that stores nothing, or fails, throws an Error
 * naming the file (the cause attached).
 */
async function writeAll(file: { path: string; fh: FileHandle; size: number }, buf: Buffer, n: number): Promise<void> {
  let done = 0;
  while (done < n) {
    let w: number;
    try {
      ({ bytesWritten: w } = await file.fh.write(buf, done, n - done, file.size + done));
    } catch (e) {
      throw new Error(`held candidates: writing the temporary file ${file.path} failed at byte ${file.size + done} (${(e as Error).message}): the open transaction's rows cannot be held (free disk space or choose another spill folder)`, { cause: e });
    }
    if (!(w > 0)) throw new Error(`held candidates: the temporary file ${file.path} took no bytes at byte ${file.size + done} (disk full?): the open transaction's rows cannot be held (free disk space or choose another spill folder)`);
    done += w;
  }
  file.size += n;
}

/** Reads `buf[0, n)` from `pos`, as many read calls as it takes (a read may return fewer bytes than asked); returns the bytes read (fewer than `n` only at the file's end). */
async function readFull(fh: FileHandle, buf: Buffer, n: number, pos: number): Promise<number> {
  let done = 0;
  while (done < n) {
    const { bytesRead } = await fh.read(buf, done, n - done, pos + done);
    if (bytesRead <= 0) break;
    done += bytesRead;
  }
  return done;
}

function* readChunk<T>(b: Buffer, used: number): Generator<T> {
  let p = 0;
  while (p < used) {
    const len = b.readUInt32LE(p);
    rp = p + 4;
    const v = readValue(b);
    if (rp !== p + 4 + len) throw new Error(`held candidates: a held candidate at offset ${p} reads ${rp - p - 4} bytes, not its ${len} (corrupt temporary data)`);
    p = rp;
    yield v as T;
  }
}
