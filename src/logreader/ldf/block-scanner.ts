/**
 * Splits a run of log bytes (a VLF's block area in an .ldf, or the MQTL stream of a backup)
 * into log blocks, whatever the chunk boundaries: push chunks, call next() until it returns
 * NEED_MORE, push more, call end() at the end of the run. Bounded memory: it holds at most one
 * block (≤ 60 KB) plus the current chunk.
 *
 * Bytes that are not a valid block are skipped in 512-byte steps (a block always starts on a
 * sector): never-written sectors (all 0x00 or all 0xC0) silently, anything else reported once per run
 * as a `bad` event with its offset and reason. A block whose sectors disagree on parity (torn or
 * half-overwritten) is reported and skipped the same way.
 */
import { SECTOR } from './constants.js';
import { blockHeaderProblem, blockParity, blockSectorProblem, fixupBlock, parseBlockHeader, type BlockHeader } from './structures.js';

export const NEED_MORE = Symbol('need-more');

export interface BlockEvent {
  kind: 'block';
  /** Absolute offset of the block (file offset, or stream offset for a backup). */
  offset: number;
  header: BlockHeader;
  parity: number;
  /** The fixed-up block (a copy; safe to keep). A `headersOnly` scanner's: the block as stored, a view valid until the next push. */
  bytes: Uint8Array;
}

export interface BadEvent {
  kind: 'bad';
  offset: number;
  length: number;
  reason: string;
}

export type ScanEvent = BlockEvent | BadEvent;

export class BlockScanner {
  private buf = new Uint8Array(0);
  /** `buf` as a Buffer (same memory), for the native compare of never-written sectors (unwrittenSectors). */
  private bbuf = Buffer.alloc(0);
  private start = 0;
  private len = 0;
  /** Absolute offset of buf[start]. */
  private pos: number;
  private ended = false;
  private bad: BadEvent | null = null;
  /** Bytes skipped as never-written sectors (all 0x00 or all 0xC0). */
  unwrittenBytes = 0;

  /**
   * `headersOnly`: blocks are found and their sectors checked as always, but neither copied, fixed
   * up nor checksummed (a block that fails only its checksum is returned): for a walk that needs
   * where blocks are and their headers (LSN, parity, status) and reads the blocks it keeps again.
   */
  constructor(startOffset = 0, private readonly headersOnly = false) {
    this.pos = startOffset;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const at = this.reserve(chunk.length); // first: it may replace this.buf
    this.buf.set(chunk, at);
    this.len += chunk.length;
  }

  /**
   * Room for `n` more bytes after the buffered ones, for a reader to read into directly (no copy
   * of a chunk, as push makes): returns where in {@link buffer} to write them, then call
   * {@link commit} with how many were written. May move the buffered bytes to the front (or to a
   * larger buffer), so a `headersOnly` view is valid until the next reserve (or push, which
   * reserves its chunk's room here).
   */
  reserve(n: number): number {
    if (this.start + this.len + n > this.buf.length) {
      const need = this.len + n;
      const next = need > this.buf.length ? new Uint8Array(Math.max(need, this.buf.length * 2)) : this.buf;
      if (next !== this.buf) next.set(this.buf.subarray(this.start, this.start + this.len), 0);
      else this.buf.copyWithin(0, this.start, this.start + this.len);
      if (next !== this.buf) this.bbuf = Buffer.from(next.buffer, next.byteOffset, next.byteLength);
      this.buf = next;
      this.start = 0;
    }
    return this.start + this.len;
  }

  /** The scanner's buffer, for a read after {@link reserve}. */
  get buffer(): Buffer {
    return this.bbuf;
  }

  /** `n` bytes were written where {@link reserve} said (n ≤ what it reserved). */
  commit(n: number): void {
    this.len += n;
  }

  end(): void {
    this.ended = true;
  }

  /** The next block or bad run; NEED_MORE when more bytes are needed; null when the run is done. */
  next(): ScanEvent | typeof NEED_MORE | null {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    return this.scan();
  }

  private scan(): ScanEvent | typeof NEED_MORE | null {
    for (;;) {
      if (this.len < SECTOR) {
        if (!this.ended) return NEED_MORE;
        if (this.len > 0 && !isZero(this.buf, this.start, this.len)) this.markBad(this.len, `${this.len} trailing bytes, less than a sector`);
        else this.unwrittenBytes += this.len;
        this.consume(this.len);
        return this.flushBad() ?? null;
      }
      const b = this.buf;
      const at = this.start;
      // A never-written sector is told first, without the header checks: its first byte (0x00 or
      // 0xC0) lacks the first-sector bit, so blockHeaderProblem would refuse it anyway.
      const f0 = b[at];
      if (f0 === 0x00 || f0 === 0xc0) {
        const n = unwrittenSectors(this.bbuf, at, this.len, f0);
        if (n > 0) {
          const flushed = this.flushBad();
          this.unwrittenBytes += n * SECTOR;
          this.consume(n * SECTOR);
          if (flushed) return flushed;
          continue;
        }
      }
      const problem = blockHeaderProblem(b, at);
      if (problem !== null) {
        this.markBad(SECTOR, problem);
        this.consume(SECTOR);
        continue;
      }
      const h = parseBlockHeader(b, at);
      if (this.len < h.size) {
        if (!this.ended) return NEED_MORE;
        this.markBad(SECTOR, `block of ${h.size} bytes truncated at ${this.len} bytes`);
        this.consume(SECTOR);
        continue;
      }
      const fixed = this.headersOnly ? blockSectorProblem(b, at, h.size) ?? b.subarray(at, at + h.size) : fixupBlock(b, at, h.size);
      if (typeof fixed === 'string') {
        this.markBad(SECTOR, fixed);
        this.consume(SECTOR);
        continue;
      }
      const flushed = this.flushBad();
      // headersOnly: the header as stored (its flags' low byte is still the fix-up byte)
      const ev: BlockEvent = { kind: 'block', offset: this.pos, header: this.headersOnly ? h : parseBlockHeader(fixed, 0), parity: blockParity(b, at), bytes: fixed };
      this.consume(h.size);
      if (flushed) {
        this.pending = ev;
        return flushed;
      }
      return ev;
    }
  }

  /** A block held back while the bad run before it is reported. */
  private pending: BlockEvent | null = null;

  private consume(n: number): void {
    this.start += n;
    this.len -= n;
    this.pos += n;
    if (this.len === 0) this.start = 0;
  }

  private markBad(n: number, reason: string): void {
    if (this.bad && this.bad.offset + this.bad.length === this.pos) this.bad.length += n;
    else this.bad = { kind: 'bad', offset: this.pos, length: n, reason };
  }

  private flushBad(): BadEvent | null {
    const b = this.bad;
    this.bad = null;
    return b;
  }
}

/** Sectors of one fill byte that {@link unwrittenSectors} compares at once. */
const UNWRITTEN_SPAN_SECTORS = 32;
const FILL_00 = Buffer.alloc(UNWRITTEN_SPAN_SECTORS * SECTOR, 0x00);
const FILL_C0 = Buffer.alloc(UNWRITTEN_SPAN_SECTORS * SECTOR, 0xc0);

/**
 * How many never-written sectors start at `at` (of the `len` bytes there), all filled with `fill`
 * (0x00 or 0xC0, the fill SQL Server writes when it initialises new log space; seen in
 * School_Log.ldf's newest VLF beyond the end of the log): 0 when the sector at `at` is not one,
 * else 1 or — when the next UNWRITTEN_SPAN_SECTORS whole sectors buffered are all `fill` — that
 * many. The same sectors a byte-by-byte test of each sector finds, in bigger steps: a native
 * compare (memcmp) costs a quarter of a JS loop per sector, and a span of them one call.
 */
function unwrittenSectors(b: Buffer, at: number, len: number, fill: number): number {
  const ref = fill === 0x00 ? FILL_00 : FILL_C0;
  const span = UNWRITTEN_SPAN_SECTORS * SECTOR;
  if (len >= span && b.compare(ref, 0, span, at, at + span) === 0) return UNWRITTEN_SPAN_SECTORS;
  return b.compare(ref, 0, SECTOR, at, at + SECTOR) === 0 ? 1 : 0;
}

function isZero(b: Uint8Array, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (b[i] !== 0) return false;
  return true;
}
