import type { LogRecord } from '../logreader/log-record.js';
import {
  LOP_ABORT_XACT, LOP_BEGIN_XACT, LOP_COMMIT_XACT, LOP_DELETE_ROWS, LOP_INSERT_ROWS,
  LOP_MODIFY_COLUMNS, LOP_MODIFY_ROW, LCX_CLUSTERED, LCX_HEAP, LCX_MARK_AS_GHOST,
} from '../logreader/log-record.js';
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
   * Called in pass 2 with every record, in log order, before any filtering (all transactions:
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
  state: 'open' | 'committed' | 'aborted';
}

/**
 * Two passes over a log stream, so memory stays bounded by the number of transactions rather
 * than by the number of rows: pass 1 learns each transaction's begin/commit/abort facts,
 * pass 2 yields the row operations of committed transactions in the window.
 *
 * A transaction whose LOP_BEGIN_XACT is not in the scanned log has no Begin Time: it is kept
 * only when the filter has no window (its rows cannot be placed in one).
 */
export async function* committedCandidates(
  open: () => AsyncIterable<LogRecord>,
  filter: ScanFilter,
  catalog: MetadataCatalog,
  options: CommittedOptions = {},
): AsyncIterable<RowCandidate> {
  const stats = options.stats ?? emptyStats();
  const wantedOps = new Set(filter.operations.flatMap((o) => OPERATIONS_FOR[o]));
  const wantedTables = filter.tables?.length
    ? new Set(filter.tables.map((t) => (catalog.byName(t) ? `${catalog.byName(t)!.schema}.${catalog.byName(t)!.name}` : t).toLowerCase()))
    : null;
  const hasWindow = Boolean(filter.from || filter.to);

  // Pass 1: transaction facts.
  const txns = new Map<string, TxnState>();
  for await (const r of open()) {
    const op = r.Operation;
    if (op === LOP_BEGIN_XACT) {
      const id = r['Transaction ID'];
      stats.transactions++;
      const bt = r['Begin Time'];
      if (bt) {
        // fn_dblog's `yyyy/MM/dd HH:mm:ss:fff` is fixed-width: it orders as text.
        if (!stats.firstBeginTime || bt < stats.firstBeginTime) stats.firstBeginTime = bt;
        if (!stats.lastBeginTime || bt > stats.lastBeginTime) stats.lastBeginTime = bt;
      }
      txns.set(id, {
        transactionId: id,
        beginTime: r['Begin Time'] ?? null,
        endTime: null,
        name: r['Transaction Name'] ?? null,
        sid: toBytes(r['Transaction SID']),
        login: null,
        spid: r.SPID ?? null,
        state: 'open',
      });
    } else if (op === LOP_COMMIT_XACT || op === LOP_ABORT_XACT) {
      const id = r['Transaction ID'];
      let t = txns.get(id);
      if (!t) {
        t = { transactionId: id, beginTime: null, endTime: null, name: null, sid: null, login: null, spid: null, state: 'open' };
        txns.set(id, t);
      }
      t.endTime = r['End Time'] ?? null;
      t.state = op === LOP_COMMIT_XACT ? 'committed' : 'aborted';
      if (op === LOP_COMMIT_XACT) stats.committed++;
      else stats.aborted++;
    }
  }
  // Drop what pass 2 can never use, so the map shrinks before the long pass; remember only why
  // (a one-letter reason per transaction) so that an empty result can be explained.
  const dropped = new Map<string, 'aborted' | 'open' | 'window'>();
  for (const [id, t] of txns) {
    if (t.state !== 'committed') {
      txns.delete(id);
      dropped.set(id, t.state === 'aborted' ? 'aborted' : 'open');
    } else if (hasWindow && !inWindow(t.beginTime ? safeIso(t.beginTime) : null, filter.from, filter.to)) {
      txns.delete(id);
      dropped.set(id, 'window');
    }
  }

  // Pass 2: row operations of committed transactions in the window.
  for await (const r of open()) {
    const rebuild = options.onRecord?.(r);
    if (!wantedOps.has(r.Operation)) continue;
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
    const t = txns.get(r['Transaction ID']);
    if (!t) {
      const why = dropped.get(r['Transaction ID']) ?? 'open';
      if (why === 'window') stats.outsideWindowRowOps++;
      else {
        stats.uncommittedRowOps++;
        if (why === 'aborted') stats.rolledBackRowOps++;
      }
      continue;
    }
    stats.candidates++;
    const { state: _state, ...txn } = t;
    const candidate: RebuildCandidate = rebuild ? { record: r, txn, rebuild } : { record: r, txn };
    yield candidate;
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
