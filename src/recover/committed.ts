import type { LogRecord } from '../logreader/log-record.js';
import {
  LOP_ABORT_XACT, LOP_BEGIN_XACT, LOP_COMMIT_XACT, LOP_DELETE_ROWS, LOP_INSERT_ROWS,
  LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW, LCX_CLUSTERED, LCX_HEAP, LCX_MARK_AS_GHOST,
} from '../logreader/log-record.js';
import { contextName, operationName } from '../logreader/ldf/constants.js';
import type { RecordKeep } from '../logreader/ldf/reader.js';
import { hexToBytesLoose } from './bytes.js';
import type { MetadataCatalog, RowCandidate, ScanFilter, ScanOperation, TransactionInfo } from './source.js';
import { beginTimeToIso, inWindow } from './time-window.js';
import type { RebuildCandidate, UpdateRebuild } from './update-rebuild.js';

/** Which log operations carry rows for each scan operation. */
export const OPERATIONS_FOR: Record<ScanOperation, readonly string[]> = {
  delete: [LOP_DELETE_ROWS],
  insert: [LOP_INSERT_ROWS],
  update: [LOP_MODIFY_ROW, LOP_MODIFY_COLUMNS],
};

/**
 * Contexts of data-row operations on a heap or clustered index. LCX_MARK_AS_GHOST is what a
 * clustered-index delete logs; nonclustered index deletes log it too, which is why the
 * allocation unit must also belong to a heap/clustered partition in the catalog.
 */
export const DATA_ROW_CONTEXTS: ReadonlySet<string> = new Set([LCX_HEAP, LCX_CLUSTERED, LCX_MARK_AS_GHOST]);

export interface CommittedScanStats {
  transactions: number;
  committed: number;
  aborted: number;
  /**
   * Row operations of the wanted kinds on heap/clustered-index data rows, before any other
   * filter (the denominator of the counts below).
   */
  rowOps: number;
  /** Row operations of the wanted kinds whose transaction never committed in the scanned log. */
  uncommittedRowOps: number;
  /** …of those, in transactions that rolled back (LOP_ABORT_XACT). */
  rolledBackRowOps: number;
  /** Row operations of committed transactions whose Begin Time is outside the window. */
  outsideWindowRowOps: number;
  /** Row operations on tables the metadata knows but the --table filter left out. */
  otherTableRowOps: number;
  /** The earliest and latest Begin Time of the scanned log's transactions (fn_dblog form), null when none. */
  firstBeginTime: string | null;
  lastBeginTime: string | null;
  /** Row operations on allocation units the metadata does not know (system tables, nonclustered indexes, other tables). */
  unknownAllocUnitRowOps: number;
  compensationRowOps: number;
  candidates: number;
}

export interface CommittedOptions {
  stats?: CommittedScanStats;
  /**
   * Called with every row-bearing record, in log order, before any filtering (all transactions:
   * the page model of `--op update` must see every change to a page). What it returns for a
   * LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS record travels with that record's candidate as `rebuild`.
   */
  onRecord?: (r: LogRecord) => UpdateRebuild | undefined;
}

export function emptyStats(): CommittedScanStats {
  return {
    transactions: 0,
    committed: 0,
    aborted: 0,
    rowOps: 0,
    uncommittedRowOps: 0,
    rolledBackRowOps: 0,
    outsideWindowRowOps: 0,
    otherTableRowOps: 0,
    unknownAllocUnitRowOps: 0,
    compensationRowOps: 0,
    candidates: 0,
    firstBeginTime: null,
    lastBeginTime: null,
  };
}

interface TxnState extends TransactionInfo {
  /** Whether the transaction's rows can be kept at all (its Begin Time is in the window). */
  inWindow: boolean;
  /** Candidates held until the commit or abort is seen. */
  held: HeldCandidate[];
  /** Approximate bytes `held` occupies (row images + a fixed overhead per candidate). */
  heldBytes: number;
  /** Once the memory budget forced it out: the temporary file holding this transaction's candidates. */
  spill: SpillFile | null;
  /** Where its held candidates' row images are copied to (created with its first candidate). */
  slab?: ImageSlab;
}

interface HeldCandidate {
  record: LogRecord;
  rebuild?: UpdateRebuild;
}

/** Default memory budget for candidates held for open transactions (bytes). */
export const DEFAULT_HOLD_BUDGET = 64 * 1024 * 1024;
/** Rough per-candidate bookkeeping beyond its row images (the record object and its strings), bytes. */
const CANDIDATE_OVERHEAD = 1200;

export interface CommittedOnePassOptions extends CommittedOptions {
  /** Bytes of candidates held for open transactions before the largest is spilled to a temporary file. */
  holdBudgetBytes?: number;
  /** Folder for spill files (default: the OS temporary folder). */
  spillDir?: string;
}

/**
 * One pass over a log stream: row operations are held per open transaction until its
 * LOP_COMMIT_XACT (then yielded, in log order within the transaction, transactions in commit order)
 * or its LOP_ABORT_XACT (then dropped). Memory: the transaction facts, plus the held candidates
 * within `holdBudgetBytes`; beyond it the transaction holding the most is written to a temporary
 * file (NDJSON, row images as hex) and read back at its commit, so a transaction deleting 10 M
 * rows does not exhaust memory. Row images are copied out of the log block they view so that a
 * held candidate never keeps a whole block alive.
 *
 * A transaction whose LOP_BEGIN_XACT is not in the scanned log has no Begin Time: it is kept only
 * when the filter has no window (its rows cannot be placed in one). A transaction with no commit
 * or abort in the log is counted in `uncommittedRowOps`, never returned.
 *
 * `open` may yield records one by one or in arrays (a log block's records); it is given a
 * RecordKeep naming the records this filter looks at (transaction begin/commit/abort and the
 * wanted row operations on data-row contexts; undefined when `onRecord` must see every record), so
 * a log reader can leave the others unbuilt. Sources that cannot skip records ignore it.
 */
export async function* committedCandidates(
  open: (keep?: RecordKeep) => AsyncIterable<LogRecord | LogRecord[]>,
  filter: ScanFilter,
  catalog: MetadataCatalog,
  options: CommittedOnePassOptions = {},
): AsyncIterable<RowCandidate> {
  const stats = options.stats ?? emptyStats();
  const wantedOps = new Set(filter.operations.flatMap((o) => OPERATIONS_FOR[o]));
  const wantedTables = filter.tables?.length
    ? new Set(filter.tables.map((t) => (catalog.byName(t) ? `${catalog.byName(t)!.schema}.${catalog.byName(t)!.name}` : t).toLowerCase()))
    : null;
  const hasWindow = Boolean(filter.from || filter.to);
  const budget = options.holdBudgetBytes ?? DEFAULT_HOLD_BUDGET;
  const txns = new Map<string, TxnState>();
  let heldTotal = 0;

  const newTxn = (id: string, r: LogRecord | null): TxnState => {
    const beginTime = r ? r['Begin Time'] ?? null : null;
    const t: TxnState = {
      transactionId: id,
      beginTime,
      endTime: null,
      name: r ? r['Transaction Name'] ?? null : null,
      sid: r ? toBytes(r['Transaction SID']) : null,
      login: null,
      spid: r ? r.SPID ?? null : null,
      inWindow: !hasWindow || (beginTime !== null && inWindow(safeIso(beginTime), filter.from, filter.to)),
      held: [],
      heldBytes: 0,
      spill: null,
    };
    txns.set(id, t);
    return t;
  };
  const info = (t: TxnState): TransactionInfo => ({ transactionId: t.transactionId, beginTime: t.beginTime, endTime: t.endTime, name: t.name, sid: t.sid, login: t.login, spid: t.spid });

  const keep = options.onRecord ? undefined : recordKeep(wantedOps);
  try {
    for await (const item of open(keep)) {
     const batch = Array.isArray(item) ? item : [item];
     for (const r of batch) {
      const op = r.Operation;
      const rebuild = options.onRecord?.(r);
      if (op === LOP_BEGIN_XACT) {
        stats.transactions++;
        const bt = r['Begin Time'];
        if (bt) {
          // fn_dblog's `yyyy/MM/dd HH:mm:ss:fff` is fixed-width: it orders as text.
          if (!stats.firstBeginTime || bt < stats.firstBeginTime) stats.firstBeginTime = bt;
          if (!stats.lastBeginTime || bt > stats.lastBeginTime) stats.lastBeginTime = bt;
        }
        newTxn(r['Transaction ID'], r);
        continue;
      }
      if (op === LOP_COMMIT_XACT || op === LOP_ABORT_XACT) {
        const id = r['Transaction ID'];
        const t = txns.get(id);
        txns.delete(id);
        if (op === LOP_COMMIT_XACT) stats.committed++;
        else stats.aborted++;
        if (!t) continue;
        heldTotal -= t.heldBytes;
        const n = t.held.length + (t.spill?.count ?? 0);
        if (op === LOP_ABORT_XACT) {
          stats.uncommittedRowOps += n;
          stats.rolledBackRowOps += n;
          await t.spill?.discard();
          continue;
        }
        t.endTime = r['End Time'] ?? null;
        const txn = info(t);
        stats.candidates += n;
        if (t.spill) {
          for await (const h of t.spill.readBack()) yield h.rebuild ? ({ record: h.record, txn, rebuild: h.rebuild } as RebuildCandidate) : { record: h.record, txn };
        }
        for (const h of t.held) yield h.rebuild ? ({ record: h.record, txn, rebuild: h.rebuild } as RebuildCandidate) : { record: h.record, txn };
        continue;
      }
      if (!wantedOps.has(op)) continue;
      if (!DATA_ROW_CONTEXTS.has(r.Context)) continue;
      stats.rowOps++;
      const table = r.AllocUnitId ? catalog.byAllocUnit(r.AllocUnitId) : undefined;
      if (!table) {
        stats.unknownAllocUnitRowOps++;
        continue;
      }
      if (wantedTables && !wantedTables.has(`${table.schema}.${table.name}`.toLowerCase())) {
        stats.otherTableRowOps++;
        continue;
      }
      if (r.compensation || (r.Description ?? '').includes('COMPENSATION')) {
        stats.compensationRowOps++;
        continue;
      }
      const id = r['Transaction ID'];
      const t = txns.get(id) ?? newTxn(id, null);
      if (!t.inWindow) {
        stats.outsideWindowRowOps++;
        continue;
      }
      t.slab ??= new ImageSlab();
      const held: HeldCandidate = rebuild ? { record: detach(r, t.slab), rebuild } : { record: detach(r, t.slab) };
      if (t.spill) {
        await t.spill.append(held);
        continue;
      }
      const size = CANDIDATE_OVERHEAD + imageBytes(held);
      t.held.push(held);
      t.heldBytes += size;
      heldTotal += size;
      if (heldTotal > budget) {
        // Spill the transaction holding the most; its later candidates go straight to its file.
        let biggest: TxnState | null = null;
        for (const x of txns.values()) if (!biggest || x.heldBytes > biggest.heldBytes) biggest = x;
        if (biggest && biggest.held.length) {
          biggest.spill ??= await SpillFile.create(options.spillDir);
          for (const h of biggest.held) await biggest.spill.append(h);
          heldTotal -= biggest.heldBytes;
          biggest.held = [];
          biggest.heldBytes = 0;
        }
      }
     }
    }
    // No commit or abort in the log: the rows cannot be told committed.
    for (const t of txns.values()) {
      const n = t.held.length + (t.spill?.count ?? 0);
      if (t.inWindow) stats.uncommittedRowOps += n;
    }
  } finally {
    for (const t of txns.values()) await t.spill?.discard();
  }
}

/**
 * The op codes / context bytes of the records committedCandidates looks at (fn_dblog names mapped
 * back through the reader's tables): transaction begin, commit and abort, and the wanted row
 * operations on heap / clustered-index contexts. Everything else it passes over unread.
 */
function recordKeep(wantedOps: ReadonlySet<string>): RecordKeep {
  const ops = new Uint8Array(256);
  const ctxs = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const name = operationName(i);
    if (name === LOP_BEGIN_XACT || name === LOP_COMMIT_XACT || name === LOP_ABORT_XACT) ops[i] = 2;
    else if (wantedOps.has(name)) ops[i] = 1;
    if (DATA_ROW_CONTEXTS.has(contextName(i))) ctxs[i] = 1;
  }
  return (op, ctx) => ops[op] === 2 || (ops[op] === 1 && ctxs[ctx] === 1);
}

/**
 * The log record with its byte fields no longer viewing its log block: they are replaced, in
 * place, by equal copies in `slab`, the transaction's own chunks (one allocation per chunk, not
 * per image; a chunk is kept alive only by candidates of the one transaction, released together at
 * its commit or abort). In place: the record was built for this scan and its values do not change,
 * so no second object is made per held candidate.
 */
function detach(r: LogRecord, slab: ImageSlab): LogRecord {
  // The fields a log reader fills with views (structures.ts parseLogRecord).
  if (r['RowLog Contents 0']) r['RowLog Contents 0'] = slab.copy(r['RowLog Contents 0']);
  if (r['RowLog Contents 1']) r['RowLog Contents 1'] = slab.copy(r['RowLog Contents 1']);
  if (r['RowLog Contents 2']) r['RowLog Contents 2'] = slab.copy(r['RowLog Contents 2']);
  if (r['RowLog Contents 3']) r['RowLog Contents 3'] = slab.copy(r['RowLog Contents 3']);
  if (r['RowLog Contents 4']) r['RowLog Contents 4'] = slab.copy(r['RowLog Contents 4']);
  if (r['Log Record']) r['Log Record'] = slab.copy(r['Log Record']);
  if (r['Transaction SID']) r['Transaction SID'] = slab.copy(r['Transaction SID']);
  return r;
}

/**
 * Chunks holding one transaction's row images: 1 KB first, doubling up to 64 KB (a small
 * transaction wastes at most ~1 KB; an image larger than a chunk gets its own). Copies are views
 * into a chunk and never move.
 */
class ImageSlab {
  private chunk: Uint8Array | null = null;
  private at = 0;
  private next = 1024;

  copy(v: Uint8Array | string): Uint8Array {
    // Export sources may carry hex text here: left as it is (as the old copy did).
    if (!(v instanceof Uint8Array)) return v as unknown as Uint8Array;
    const n = v.length;
    if (!this.chunk || this.at + n > this.chunk.length) {
      const size = Math.max(this.next, n);
      this.next = Math.min(this.next * 2, 64 * 1024);
      this.chunk = new Uint8Array(size);
      this.at = 0;
    }
    const out = new Uint8Array(this.chunk.buffer, this.at, n);
    out.set(v);
    this.at += n;
    return out;
  }
}

const BYTE_FIELDS = ['RowLog Contents 0', 'RowLog Contents 1', 'RowLog Contents 2', 'RowLog Contents 3', 'RowLog Contents 4', 'Log Record', 'Transaction SID'];

function imageBytes(h: HeldCandidate): number {
  let n = 0;
  for (const k of BYTE_FIELDS) {
    const v = (h.record as unknown as Record<string, unknown>)[k];
    if (v instanceof Uint8Array) n += v.length;
  }
  if (h.rebuild && h.rebuild.kind === 'rebuilt') n += (h.rebuild.before?.length ?? 0) + (h.rebuild.after?.length ?? 0);
  return n;
}

/**
 * Held candidates of one transaction in a temporary file: one JSON line each, byte arrays as
 * `{"$b": hex}`. Written only when the memory budget is exceeded; removed at commit, abort, or
 * when the scan ends or is abandoned.
 */
class SpillFile {
  count = 0;
  private constructor(private readonly path: string, private readonly fh: import('node:fs/promises').FileHandle) {}

  static async create(dir?: string): Promise<SpillFile> {
    const { mkdtemp, open } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const folder = await mkdtemp(join(dir ?? tmpdir(), 'rowback-spill-'));
    const path = join(folder, 'txn.ndjson');
    return new SpillFile(path, await open(path, 'w+'));
  }

  private pending: string[] = [];
  private pendingChars = 0;

  /** Queues one candidate; written in chunks of about 1 MB. */
  async append(h: HeldCandidate): Promise<void> {
    this.count++;
    const line = JSON.stringify(h, (_k, v) => (v instanceof Uint8Array ? { $b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') } : v)) + '\n';
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= 1 << 20) await this.drain();
  }

  private async drain(): Promise<void> {
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    await this.fh.write(text);
  }

  async *readBack(): AsyncGenerator<HeldCandidate> {
    const { createReadStream } = await import('node:fs');
    const { createInterface } = await import('node:readline');
    await this.drain();
    const rl = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    try {
      for await (const line of rl) {
        if (!line) continue;
        yield JSON.parse(line, (_k, v) => (v && typeof v === 'object' && typeof v.$b === 'string' && Object.keys(v).length === 1 ? new Uint8Array(Buffer.from(v.$b, 'hex')) : v)) as HeldCandidate;
      }
    } finally {
      rl.close();
      await this.discard();
    }
  }

  private gone = false;
  async discard(): Promise<void> {
    if (this.gone) return;
    this.gone = true;
    const { rm } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await this.fh.close().catch(() => undefined);
    await rm(dirname(this.path), { recursive: true, force: true });
  }
}

function safeIso(beginTime: string): string | null {
  try {
    return beginTimeToIso(beginTime);
  } catch {
    return null;
  }
}

function toBytes(v: Uint8Array | string | null | undefined): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return hexToBytesLoose(v);
  return v;
}

/**
 * Why a scan found no rows, in one sentence built from its counts: the log's time span, how many
 * row operations of the wanted kinds it holds and where they went (unknown allocation units such
 * as system tables, other tables, outside the window, rolled back, never committed). `ops`: the
 * operations asked for, for the wording. Pure; never throws.
 */
export function explainNoRows(stats: CommittedScanStats, ops: string[]): string {
  const what = ops.length === 1 ? `${ops[0]}s` : `row operations (${ops.join('/')})`;
  const n = (x: number) => x.toLocaleString('en-US');
  const span = stats.firstBeginTime ? `the log's transactions began from ${stats.firstBeginTime} to ${stats.lastBeginTime}` : 'the log holds no transaction begin (no Begin Time)';
  if (stats.rowOps === 0) return `${span}; it holds no ${what} on table data rows (heap or clustered index)`;
  const parts: string[] = [];
  if (stats.unknownAllocUnitRowOps) {
    parts.push(
      stats.unknownAllocUnitRowOps === stats.rowOps
        ? `all on allocation units the table metadata does not know (system tables, or tables missing from the metadata)`
        : `${n(stats.unknownAllocUnitRowOps)} on allocation units the table metadata does not know (system tables, or tables missing from the metadata)`,
    );
  }
  if (stats.otherTableRowOps) parts.push(`${n(stats.otherTableRowOps)} on tables --table left out`);
  if (stats.outsideWindowRowOps) parts.push(`${n(stats.outsideWindowRowOps)} in transactions that began outside the window`);
  if (stats.rolledBackRowOps) parts.push(`${n(stats.rolledBackRowOps)} in transactions that rolled back`);
  const neverCommitted = stats.uncommittedRowOps - stats.rolledBackRowOps;
  if (neverCommitted) parts.push(`${n(neverCommitted)} in transactions with no commit in this log`);
  if (stats.compensationRowOps) parts.push(`${n(stats.compensationRowOps)} undone by a rollback inside their transaction`);
  return `${span}; it holds ${n(stats.rowOps)} ${what} on table data rows: ${parts.join(', ') || 'none kept'}`;
}
