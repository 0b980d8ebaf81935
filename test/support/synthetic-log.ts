/**
 * SYNTHETIC: writes a valid `.ldf` of any size in SQL Server's own on-disk layout, for property
 * tests and benchmarks — never to be mistaken for real bytes. Layout as src/logreader/ldf reads it
 * (FORMAT-NOTES §3, structures.ts): an 8 KB file-header page (type 15), then VLFs (0xAB header, log
 * format version 5, sequence, size, offset), each holding log blocks 8 KB in; a block is up to
 * 60 KB, its first LSN's block number its offset from the VLF start in 512-byte units, records
 * addressed by a slot array at its end, and every 512-byte sector's first byte replaced by the
 * parity/first/last fix-up byte (the original kept at the end of the block); every block carries
 * the log block checksum, as a database on PAGE_VERIFY CHECKSUM writes it (constants.ts).
 *
 * Records: LOP_BEGIN_XACT (SPID, begin time, name, SID), LOP_INSERT_ROWS / LOP_DELETE_ROWS on a
 * clustered index (page, slot, allocation unit, RowLog Contents 0 = the row image), and
 * LOP_COMMIT_XACT / LOP_ABORT_XACT (end time). A configurable share of transactions roll back,
 * some stay open for long, and transactions interleave.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { BLOCK_CHECKSUM_OFFSET, BLOCK_STATUS_CHECKSUM, BLOCK_STATUS_OFFSET } from '../../src/logreader/ldf/constants.js';
import { logBlockChecksum } from '../../src/logreader/ldf/structures.js';

const PAGE = 8192;
const SECTOR = 512;
const VLF_HEADER_BYTES = 0x2000;
const MAX_BLOCK = 60 * 1024;
/** Where a block's first record starts: after the 32-byte header with its checksum, at 0x30 as in the corpus's 2008+ blocks. */
const BLOCK_RECORDS_START = 0x30;
const OP = { INSERT_ROWS: 0x02, DELETE_ROWS: 0x03, MODIFY_ROW: 0x04, BEGIN_XACT: 0x80, COMMIT_XACT: 0x81, ABORT_XACT: 0x82 } as const;
const CTX = { NULL: 0x00, CLUSTERED: 0x02, INDEX_LEAF: 0x03, MARK_AS_GHOST: 0x13 } as const;

export interface SyntheticTxn {
  /** fn_dblog form `0000:000003e8`. */
  transactionId: string;
  /** Row images the transaction deleted (RowLog Contents 0), in order, as far as written (kept only when onTxn is given). */
  deletes: Uint8Array[];
  /** Row images it inserted (same). */
  inserts: Uint8Array[];
  outcome: 'commit' | 'abort' | 'open';
  /** SQL Server datetime parts (days since 1900-01-01, 1/300 s ticks). */
  begin: { days: number; ticks: number };
}

export interface SyntheticLogOptions {
  /** Allocation unit id the row operations name (decimal text), e.g. 72057594043367424. */
  allocUnitId: string;
  /** Bytes of each VLF (default 8 MB). */
  vlfSize?: number;
  /** Called for each transaction as it is written (tests keep the expectations; benchmarks count). */
  onTxn?: (t: SyntheticTxn) => void;
  /**
   * The .ldf's VLFs in file order, each with the sequence number its header names (default: one
   * VLF after another, sequences 40, 41, … in file order, parity 0x40). Log is written into the
   * used VLFs (sequence above 0) in ascending sequence order, each from its first block 0x10 and
   * filled before the next one starts, so a log that wrapped around the file (sequences not in file
   * order) or one where the file grew while a VLF was still active (a sequence skipped: reused
   * since) can be written. A VLF of sequence 0 is one never used (DBCC LOGINFO shows FSeqNo 0,
   * Status 0, Parity 0 for them: Paul Randal, "Initial VLF sequence numbers and default log file
   * size", sqlskills.com): its header names sequence 0 and parity 0 and its body stays unwritten,
   * 0x00 or the 0xC0 fill SQL Server writes into new log space (`fill`). The writing stops when the
   * last used VLF is nearly full or `targetBytes` is reached.
   */
  vlfLayout?: Array<{ seq: number; parity?: 0x40 | 0x80; fill?: 0x00 | 0xc0 }>;
}

/** A log record's bytes. */
function record(op: number, ctx: number, xid: number, fixed: Uint8Array, elements: Uint8Array[]): Uint8Array {
  const fixedLen = 24 + fixed.length;
  let size = fixedLen;
  if (elements.length) {
    size += 2 + 2 * elements.length;
    size = (size + 3) & ~3;
    for (const e of elements) size += (e.length + 3) & ~3;
  }
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setUint16(2, fixedLen, true);
  v.setUint16(14, 0x0002, true);
  v.setUint32(16, xid, true);
  v.setUint16(20, 0, true);
  b[22] = op;
  b[23] = ctx;
  b.set(fixed, 24);
  if (elements.length) {
    let p = fixedLen;
    v.setUint16(p, elements.length, true);
    elements.forEach((e, i) => v.setUint16(p + 2 + 2 * i, e.length, true));
    p = (p + 2 + 2 * elements.length + 3) & ~3;
    for (const e of elements) {
      b.set(e, p);
      p = (p + e.length + 3) & ~3;
    }
  }
  return b;
}

function rowFixed(allocUnit: bigint, page: number, slot: number): Uint8Array {
  const f = new Uint8Array(0x3e - 24);
  const v = new DataView(f.buffer);
  v.setUint32(0, page, true); // @24 page
  v.setUint16(4, 1, true); // @28 file id
  v.setUint16(6, slot, true); // @30 slot
  v.setUint32(8, Number((allocUnit >> 16n) & 0xffffffffn), true); // @32 idObj
  v.setUint16(22, Number(allocUnit >> 48n), true); // @46 idInd
  return f;
}

/** rowFixed with the byte range a LOP_MODIFY_ROW changes: Offset in Row @56, Modify Size @58 (structures.ts). */
function modifyFixed(allocUnit: bigint, page: number, slot: number, offsetInRow: number, size: number): Uint8Array {
  const f = rowFixed(allocUnit, page, slot);
  const v = new DataView(f.buffer);
  v.setUint16(32, offsetInRow, true);
  v.setUint16(34, size, true);
  return f;
}

/** A datetime at `at` in SQL Server's order: 1/300 s ticks, then days since 1900-01-01 (src/logreader/ldf/datetime.ts). */
function putDateTime(v: DataView, at: number, t: { days: number; ticks: number }): void {
  v.setUint32(at, t.ticks, true);
  v.setInt32(at + 4, t.days, true);
}

/**
 * The fixed part after the header of a 48-byte LOP_BEGIN_XACT, SQL Server 2005's layout (the one
 * real 48-byte form, aspnetdb_log.ldf: structures.ts beginXactSpidOffset): 0xFFFF @24, the SPID @28,
 * the begin time @40. (It wrote the SPID @24, a place no real 48-byte record holds it.)
 */
function beginFixed(spid: number, begin: { days: number; ticks: number }): Uint8Array {
  const f = new Uint8Array(48 - 24);
  const v = new DataView(f.buffer);
  v.setUint16(0, 0xffff, true); // @24
  v.setUint16(4, spid, true); // @28 SPID
  putDateTime(v, 16, begin); // @40 begin time
  return f;
}

function endFixed(t: { days: number; ticks: number }): Uint8Array {
  const f = new Uint8Array(32 - 24);
  putDateTime(new DataView(f.buffer), 0, t);
  return f;
}

/**
 * Where finished log blocks go: an .ldf file (`ldfSink`), a chain of log backups
 * (synthetic-trn.ts `trnChainSink`), or several at once — then each receives the same records.
 */
export interface LogBlockSink {
  /** A VLF begins: its sequence number, its size in bytes, its file offset in an .ldf, and its parity (0x40 or 0x80; 0x40 when not given). */
  startVlf(seq: number, size: number, ldfOffset: number, parity?: number): void;
  /** A VLF never used (sequence 0, parity 0), its body left as `fill` (0x00 or 0xC0) — an .ldf's only; a backup holds no such VLF. */
  unusedVlf?(size: number, ldfOffset: number, fill: number): void;
  /**
   * A finished, fixed-up log block (bytes as on disk): its VLF's sequence number, its block id
   * (offset from the VLF start in 512-byte units = the block number of its records' LSNs; its
   * first record has slot 1) and its offset in an .ldf.
   */
  block(bytes: Uint8Array, vlfSeq: number, blockId: number, ldfOffset: number): void;
  close(): void;
}

/** SYNTHETIC .ldf sink: an 8 KB file header page (type 15), then each VLF's header and its blocks at their .ldf offsets. */
export function ldfSink(path: string): LogBlockSink {
  const fd = openSync(path, 'w');
  const page0 = new Uint8Array(PAGE);
  page0[0] = 1; // header version
  page0[1] = 15; // file header page
  writeSync(fd, page0, 0, PAGE, 0);
  return {
    startVlf(seq, size, at, parity = 0x40) {
      // A reused VLF keeps its earlier blocks until overwritten (stale log); only its header changes.
      writeSync(fd, vlfHeader(seq, size, at, parity), 0, VLF_HEADER_BYTES, at);
      // the rest of the VLF reads as unwritten (zero) until blocks fill it
      writeSync(fd, new Uint8Array(1), 0, 1, at + size - 1);
    },
    unusedVlf(size, at, fill) {
      writeSync(fd, vlfHeader(0, size, at, 0), 0, VLF_HEADER_BYTES, at);
      writeSync(fd, new Uint8Array(size - VLF_HEADER_BYTES).fill(fill), 0, size - VLF_HEADER_BYTES, at + VLF_HEADER_BYTES);
    },
    block(bytes, _seq, _id, at) {
      writeSync(fd, bytes, 0, bytes.length, at);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** VLF header (FORMAT-NOTES §3): 0xAB, parity (0x40 / 0x80; 0 never used), log format version 5, sequence u32 @4, size u64 @16, file offset u64 @24. */
function vlfHeader(seq: number, size: number, at: number, parity: number): Uint8Array {
  const h = new Uint8Array(VLF_HEADER_BYTES);
  const v = new DataView(h.buffer);
  h[0] = 0xab;
  h[1] = parity;
  v.setUint16(2, 5, true);
  v.setUint32(4, seq, true);
  v.setBigUint64(16, BigInt(size), true);
  v.setBigUint64(24, BigInt(at), true);
  return h;
}

/** Cuts VLFs and blocks: records are appended, blocks and VLFs cut as they fill, each finished block handed to every sink. */
class LogWriter {
  private vlfSeq = 40;
  private vlfStart = PAGE;
  private parity = 0x40;
  private blockStart = 0; // offset in the VLF of the block being filled
  private recs: Uint8Array[] = [];
  private recBytes = 0;
  /** The size of the block written before (header u16 @10 of the next block, reader.ts previousBlockSize; 0 before the first). */
  private prevSize = 0;
  private readonly vlfSize: number;
  /** With a layout: the used VLFs in the order log goes into them (ascending sequence), and the index of the current one. */
  private readonly uses: Array<{ seq: number; at: number; parity: number }> | null = null;
  private use = 0;
  /** Bytes of the .ldf these VLFs make (file header page + whole VLFs so far; with a layout, the used VLFs so far). */
  written = PAGE;

  constructor(private readonly sinks: LogBlockSink[], vlfSize: number, layout?: SyntheticLogOptions['vlfLayout']) {
    this.vlfSize = vlfSize;
    if (layout) {
      const uses: Array<{ seq: number; at: number; parity: number }> = [];
      layout.forEach((v, i) => {
        const at = PAGE + i * vlfSize;
        if (v.seq === 0) for (const s of this.sinks) s.unusedVlf?.(vlfSize, at, v.fill ?? 0);
        else uses.push({ seq: v.seq, at, parity: v.parity ?? 0x40 });
      });
      uses.sort((a, b) => a.seq - b.seq);
      if (!uses.length) throw new Error('vlfLayout: no used VLF');
      this.uses = uses;
      this.takeUse();
    }
    this.startVlf();
  }

  private takeUse(): void {
    const u = this.uses![this.use];
    this.vlfSeq = u.seq;
    this.vlfStart = u.at;
    this.parity = u.parity;
  }

  private startVlf(): void {
    for (const s of this.sinks) s.startVlf(this.vlfSeq, this.vlfSize, this.vlfStart, this.parity);
    this.blockStart = VLF_HEADER_BYTES;
    this.written = this.uses ? PAGE + (this.use + 1) * this.vlfSize : this.vlfStart + this.vlfSize;
  }

  /** With a layout: the last used VLF has less than two blocks' room left (the writing must stop). */
  get full(): boolean {
    return this.uses !== null && this.use === this.uses.length - 1 && this.blockStart + 2 * MAX_BLOCK > this.vlfSize;
  }

  /** The block would hold these records plus its slot array and fix-up tail within 60 KB. */
  private fits(extra: number, n: number): boolean {
    const body = BLOCK_RECORDS_START + this.recBytes + extra + 2 * n;
    const size = Math.ceil((body + Math.ceil(body / SECTOR) + 1) / SECTOR) * SECTOR;
    return size <= MAX_BLOCK && this.blockStart + size <= this.vlfSize;
  }

  /** Appends one record; returns its LSN parts. */
  add(rec: Uint8Array): { vlf: number; block: number; slot: number } {
    if (!this.fits(rec.length, this.recs.length + 1)) this.flush();
    if (!this.fits(rec.length, this.recs.length + 1)) {
      // the VLF is full: start the next one
      if (this.uses) {
        if (++this.use >= this.uses.length) throw new Error('vlfLayout: the log outgrew the layout');
        this.takeUse();
      } else {
        this.vlfStart += this.vlfSize;
        this.vlfSeq++;
      }
      this.startVlf();
    }
    this.recs.push(rec);
    this.recBytes += rec.length;
    return { vlf: this.vlfSeq, block: this.blockStart / SECTOR, slot: this.recs.length };
  }

  flush(): void {
    if (!this.recs.length) return;
    const n = this.recs.length;
    const body = BLOCK_RECORDS_START + this.recBytes + 2 * n;
    let size = Math.ceil(body / SECTOR) * SECTOR;
    while (body + size / SECTOR > size) size += SECTOR; // room for the fix-up tail
    const b = new Uint8Array(size);
    const v = new DataView(b.buffer);
    const slotArrayEnd = size - size / SECTOR;
    v.setUint16(2, n, true);
    v.setUint16(4, slotArrayEnd, true);
    v.setUint16(6, size, true);
    v.setUint32(12, this.vlfSeq, true);
    v.setUint32(16, this.blockStart / SECTOR, true);
    v.setUint16(20, 1, true);
    v.setUint16(BLOCK_STATUS_OFFSET, BLOCK_STATUS_CHECKSUM | 0x0001, true); // as every flagged corpus block: 0x0003
    v.setUint16(10, this.prevSize, true); // the block before's size, as every corpus block gives it
    let p = BLOCK_RECORDS_START;
    this.recs.forEach((r, i) => {
      b.set(r, p);
      v.setUint16(slotArrayEnd - 2 * (i + 1), p, true);
      p += r.length;
    });
    // sector fix-up: keep each sector's first byte at the end, replace it with parity/first/last
    const sectors = size / SECTOR;
    for (let i = 0; i < sectors; i++) {
      b[size - 1 - i] = b[i * SECTOR];
      b[i * SECTOR] = this.parity | (i === 0 ? 0x10 : 0) | (i === sectors - 1 ? 0x08 : 0);
    }
    // the log block checksum over the block as stored (constants.ts BLOCK_STATUS_CHECKSUM)
    v.setUint32(BLOCK_CHECKSUM_OFFSET, logBlockChecksum(b, 0, size), true);
    for (const s of this.sinks) s.block(b, this.vlfSeq, this.blockStart / SECTOR, this.vlfStart + this.blockStart);
    this.blockStart += size;
    this.prevSize = size;
    this.recs = [];
    this.recBytes = 0;
  }

  close(): void {
    this.flush();
    for (const s of this.sinks) s.close();
  }
}

export interface SyntheticWorkload {
  /** Stop once the file reaches this many bytes (whole VLFs). */
  targetBytes: number;
  /** Makes the row images: transaction t, row r. */
  row: (t: number, r: number) => Uint8Array;
  /** Rows per transaction (default 1–8, varied). */
  rowsPerTxn?: (t: number) => number;
  /** Share of transactions that roll back (default 0.1). */
  rollbackShare?: number;
  /** Transactions in flight at once (interleaved; default 4). */
  concurrency?: number;
  /** Commit (or abort, as drawn) the transactions still in flight when the size is reached, instead of leaving them open. */
  finishAtEnd?: boolean;
  /** The LOP_BEGIN_XACT's Transaction Name of transaction t (default `DELETE`, `UPDATE` for update work). */
  transactionName?: (t: number) => string;
  /**
   * Share of transactions (0–1, default 0) that do a CRM's everyday update work instead of
   * deleting: each changes its rows in place (LOP_MODIFY_ROW on the clustered index, an 8-byte
   * before and after image) and inserts one entry into a nonclustered index (LOP_INSERT_ROWS,
   * LCX_INDEX_LEAF, on the allocation unit after the table's), so that deletes are a small part of
   * a large log, as in an incident (the batch job's delete among a day's work). No data row is
   * deleted or inserted by them: `onTxn` reports them with empty `deletes` and `inserts`.
   */
  updateShare?: number;
  /**
   * The server's local clock: the second (since 2025-12-11 00:00, day 46000 of datetime) at event
   * n (a transaction's begin when n transactions began before it; a commit when n had begun), for
   * a log whose times run backwards (a daylight-saving fold). Default: event n at second n, so times
   * only run forwards. Written in SQL Server's byte order (putDateTime).
   */
  second?: (n: number) => number;
  /**
   * Transaction t's records on SQL Server's catalog instead of its rows, when given for it:
   * LOP_INSERT_ROWS (`insert`) or LOP_DELETE_ROWS on the clustered index of `allocUnitId` (e.g.
   * sysrscols' 196608), RowLog Contents 0 = `image` (an ALTER TABLE's column rows); it commits or
   * rolls back as drawn. `onTxn` reports it with empty `deletes` and `inserts`.
   */
  catalogRecords?: (t: number) => Array<{ insert: boolean; allocUnitId: string; image: Uint8Array }> | undefined;
}

/**
 * Writes a SYNTHETIC .ldf at `path` until it reaches `w.targetBytes`; returns the bytes written and
 * the number of transactions. Each transaction deletes its rows (and inserts one row in every
 * tenth); one in `1 / rollbackShare` rolls back; the last few stay open (no commit) when the file
 * ends. Transactions interleave `concurrency` at a time, so commit order differs from begin order.
 */
export function writeSyntheticLdf(path: string, w: SyntheticWorkload, o: SyntheticLogOptions): { bytes: number; transactions: number } {
  return writeSyntheticLog([ldfSink(path)], w, o);
}

/**
 * The workload of writeSyntheticLdf, its blocks handed to `sinks` (an .ldf, a .trn chain, or
 * both: then both hold the same records). `bytes` is the size the .ldf of these VLFs has.
 */
export function writeSyntheticLog(sinks: LogBlockSink[], w: SyntheticWorkload, o: SyntheticLogOptions): { bytes: number; transactions: number } {
  const log = new LogWriter(sinks, o.vlfSize ?? 8 * 1024 * 1024, o.vlfLayout);
  const au = BigInt(o.allocUnitId);
  const rollback = w.rollbackShare ?? 0.1;
  const conc = w.concurrency ?? 4;
  const rowsOf = w.rowsPerTxn ?? ((t: number) => 1 + ((t * 7) % 8));
  let t = 0;
  let k = 0;
  // Rows are made as they are written (a transaction may delete millions); a transaction's row
  // images are kept for onTxn only when someone listens.
  const keep = o.onTxn !== undefined;
  type Live = { txn: SyntheticTxn; xid: number; t: number; rows: number; next: number; insertLeft: boolean; update: boolean; catalog?: Array<{ insert: boolean; allocUnitId: string; image: Uint8Array }> };
  const updateShare = w.updateShare ?? 0;
  const indexAu = au + 0x10000n; // the next allocation unit id (idObj + 1): the table's nonclustered index
  const live: Live[] = [];
  const clock = w.second ?? ((n: number) => n);
  const when = (n: number) => {
    const s = clock(n);
    return { days: 46000 + Math.floor(s / 86400), ticks: (s % 86400) * 300 };
  };
  const finish = (l: Live) => {
    const op = l.txn.outcome === 'abort' ? OP.ABORT_XACT : OP.COMMIT_XACT;
    log.add(record(op, CTX.NULL, l.xid, endFixed(when(t)), []));
    o.onTxn?.(l.txn);
  };
  while (log.written < w.targetBytes && !log.full) {
    while (live.length < conc) {
      const xid = 0x1000 + t;
      // spread evenly: transaction t updates when its share point crosses an integer
      const update = updateShare > 0 && Math.floor((t + 1) * updateShare) > Math.floor(t * updateShare);
      const txn: SyntheticTxn = { transactionId: `0000:${xid.toString(16).padStart(8, '0')}`, deletes: [], inserts: [], outcome: rollback > 0 && t % Math.round(1 / rollback) === 3 ? 'abort' : 'commit', begin: when(t) };
      const name = new Uint8Array(Buffer.from(w.transactionName?.(t) ?? (update ? 'UPDATE' : 'DELETE'), 'utf16le'));
      const sid = new Uint8Array([1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, (t & 0xff), 1, 2, 3]);
      log.add(record(OP.BEGIN_XACT, CTX.NULL, xid, beginFixed(50 + (t % 100), txn.begin), [name, sid]));
      const catalog = w.catalogRecords?.(t);
      if (catalog) live.push({ txn, xid, t, rows: catalog.length, next: 0, insertLeft: false, update: false, catalog });
      else live.push({ txn, xid, t, rows: rowsOf(t), next: 0, insertLeft: update || t % 10 === 0, update });
      t++;
    }
    // one row operation of one of the live transactions; finish it when it has none left
    const i = (k++ * 7) % live.length;
    const l = live[i];
    if (l.catalog) {
      const c = l.catalog[l.next++]!;
      log.add(record(c.insert ? OP.INSERT_ROWS : OP.DELETE_ROWS, CTX.CLUSTERED, l.xid, rowFixed(BigInt(c.allocUnitId), 100 + l.next, l.next), [c.image]));
    } else if (l.update) {
      if (l.insertLeft) {
        l.insertLeft = false;
        const key = new Uint8Array([0x16, (l.t >> 24) & 0xff, (l.t >> 16) & 0xff, (l.t >> 8) & 0xff, l.t & 0xff, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00]);
        log.add(record(OP.INSERT_ROWS, CTX.INDEX_LEAF, l.xid, rowFixed(indexAu, 9000 + (k % 500), k % 200), [key]));
      } else if (l.next < l.rows) {
        l.next++;
        const before = new Uint8Array(8);
        const after = new Uint8Array(8);
        new DataView(before.buffer).setFloat64(0, k, true);
        new DataView(after.buffer).setFloat64(0, k + 1, true);
        log.add(record(OP.MODIFY_ROW, CTX.CLUSTERED, l.xid, modifyFixed(au, 200 + (k % 5000), k % 60, 8, 8), [before, after]));
      }
    } else if (l.insertLeft) {
      l.insertLeft = false;
      const img = w.row(l.t, 1000);
      if (keep) l.txn.inserts.push(img);
      log.add(record(OP.INSERT_ROWS, CTX.CLUSTERED, l.xid, rowFixed(au, 200 + (k % 5000), k % 60), [img]));
    } else if (l.next < l.rows) {
      const img = w.row(l.t, l.next++);
      if (keep) l.txn.deletes.push(img);
      log.add(record(OP.DELETE_ROWS, CTX.MARK_AS_GHOST, l.xid, rowFixed(au, 200 + (k % 5000), k % 60), [img]));
    }
    if (!l.insertLeft && l.next >= l.rows) {
      finish(l);
      live.splice(i, 1);
    }
  }
  // the last transactions stay open at the end of the log, unless asked to finish
  for (const l of live) {
    if (w.finishAtEnd) finish(l);
    else {
      l.txn.outcome = 'open';
      o.onTxn?.(l.txn);
    }
  }
  log.close();
  return { bytes: log.written, transactions: t };
}

/**
 * SYNTHETIC: the sink `to` with the VLF of sequence `seq` written as never used (its log gone, as
 * when the sequence was reused since), every other VLF as it is: an .ldf holding older log cut off
 * from the rest, or a log read starting at a later VLF.
 */
export function withoutVlf(to: LogBlockSink, seq: number): LogBlockSink {
  return {
    startVlf(s, size, at, parity) {
      if (s === seq) to.unusedVlf!(size, at, 0);
      else to.startVlf(s, size, at, parity);
    },
    block(bytes, s, id, at) {
      if (s !== seq) to.block(bytes, s, id, at);
    },
    close: () => to.close(),
  };
}
