import type { StagingStore } from '../staging/store.js';
import { ROW_OPERATIONS, ROW_STATUSES, type RowOperation, type RowStatus } from '../staging/types.js';
import { readText, type StoredText } from '../staging/stored-text.js';

/**
 * Rows per operation (delete, insert, update: an update's before-image), for the job list and the
 * blast radius. A job of operations delete,insert,update showed one count of rows, and reviewers
 * took its inserts and update before-images for deleted rows.
 *
 * Read-only queries on the staging file's `rows` table (the store has no such count); kept here,
 * beside the routes that answer them.
 */
export type OperationCounts = Record<RowOperation, number>;

const zero = (): OperationCounts => Object.fromEntries(ROW_OPERATIONS.map((o) => [o, 0])) as OperationCounts;
const statusZero = (): Record<RowStatus, number> => Object.fromEntries(ROW_STATUSES.map((s) => [s, 0])) as Record<RowStatus, number>;

/** What the blast radius adds: per operation (with its rows per status), and per table and operation. */
export interface OperationBreakdown {
  byOperation: { operation: string; rows: number; byStatus: Record<RowStatus, number> }[];
  byTableOperation: Map<string, OperationCounts>;
  /** Per minute of begin time ('YYYY-MM-DD HH:MM', as the blast radius's byMinute) and operation. */
  byMinuteOperation: Map<string, OperationCounts>;
}

export class RowCounts {
  /**
   * Per job: its rows per operation and the highest row id counted. A row's operation never
   * changes and rows are only ever added (ids growing), so the job list, polled every two seconds
   * while a job stages rows, counts only the rows staged since its last poll.
   */
  private readonly byJob = new Map<number, { maxId: number; counts: OperationCounts }>();
  /** The blast radius's breakdown per job, until its rows or statuses change (as store.blastRadius). */
  private readonly breakdowns = new Map<number, { key: string; value: OperationBreakdown }>();

  constructor(private readonly store: StagingStore) {}

  /** A job's rows per operation (every operation named, 0 when none). */
  operations(jobId: number): OperationCounts {
    const hit = this.byJob.get(jobId) ?? { maxId: 0, counts: zero() };
    const fresh = this.store.db.prepare('SELECT operation, count(*) AS n, max(id) AS m FROM rows WHERE job_id = ? AND id > ? GROUP BY operation')
      .all(jobId, hit.maxId) as { operation: string; n: number; m: number }[];
    if (fresh.length) {
      const counts = { ...hit.counts };
      let maxId = hit.maxId;
      for (const f of fresh) {
        if (f.operation in counts) counts[f.operation as keyof OperationCounts] += f.n;
        maxId = Math.max(maxId, f.m);
      }
      this.byJob.set(jobId, { maxId, counts });
      return counts;
    }
    this.byJob.set(jobId, hit);
    return hit.counts;
  }

  /**
   * Per operation with its rows per status, per table and operation, per minute and operation: two
   * passes over the job's rows, cached until a row is staged or a decision / re-insert changes a status (each adds an
   * audit entry of the job).
   */
  breakdown(jobId: number): OperationBreakdown {
    const key = this.keyOf(jobId);
    const hit = this.breakdowns.get(jobId);
    if (hit && hit.key === key) return hit.value;
    const [first, second] = this.passes(jobId);
    const value = second!(first!());
    this.breakdowns.set(jobId, { key, value });
    return value;
  }

  /**
   * `breakdown` with a turn of the event loop between its two passes over the job's rows (each a
   * GROUP BY in SQLite: ~0.2 s apiece at 500,000 rows, in one piece with the blast radius's own
   * passes). Read again when rows were staged or a status changed meanwhile (the cache's key), in
   * one piece after three tries. Rejects with what breakdown throws (STAGING_JOB_NOT_FOUND).
   */
  async breakdownCooperatively(jobId: number): Promise<OperationBreakdown> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = this.keyOf(jobId);
      const hit = this.breakdowns.get(jobId);
      if (hit && hit.key === key) return hit.value;
      const [first, second] = this.passes(jobId);
      const part = first!();
      await new Promise<void>((resolve) => setImmediate(resolve));
      const value = second!(part);
      if (this.keyOf(jobId) === key) {
        this.breakdowns.set(jobId, { key, value });
        return value;
      }
    }
    return this.breakdown(jobId);
  }

  /** The cache's key of a job: rows staged and its last audit entry (a decision or run adds one). */
  private keyOf(jobId: number): string {
    const job = this.store.requireJob(jobId);
    const lastAudit = (this.store.db.prepare('SELECT max(id) AS m FROM audit_log WHERE job_id = ?').get(jobId) as { m: number | null }).m;
    return `${job.rowsStaged}:${lastAudit ?? 0}`;
  }

  /** breakdown's two passes: per table, operation and status; then per minute (given the first's result). */
  private passes(jobId: number): [() => Omit<OperationBreakdown, 'byMinuteOperation'>, (p: Omit<OperationBreakdown, 'byMinuteOperation'>) => OperationBreakdown] {
    return [() => this.byTableAndStatus(jobId), (p) => ({ ...p, byMinuteOperation: this.byMinute(jobId) })];
  }

  private byTableAndStatus(jobId: number): Omit<OperationBreakdown, 'byMinuteOperation'> {
    const groups = this.store.db.prepare('SELECT tbl, operation, status, count(*) AS n FROM rows WHERE job_id = ? GROUP BY tbl, operation, status')
      .all(jobId) as { tbl: StoredText; operation: string; status: RowStatus; n: number }[];
    const ops = new Map<string, { rows: number; byStatus: Record<RowStatus, number> }>(ROW_OPERATIONS.map((o) => [o, { rows: 0, byStatus: statusZero() }]));
    const byTableOperation = new Map<string, OperationCounts>();
    for (const g of groups) {
      const o = ops.get(g.operation) ?? { rows: 0, byStatus: statusZero() };
      ops.set(g.operation, o);
      o.rows += g.n;
      o.byStatus[g.status] = (o.byStatus[g.status] ?? 0) + g.n;
      const tbl = readText(g.tbl);
      const t = byTableOperation.get(tbl) ?? zero();
      byTableOperation.set(tbl, t);
      if (g.operation in t) t[g.operation as keyof OperationCounts] += g.n;
    }
    return { byOperation: [...ops].map(([operation, o]) => ({ operation, ...o })), byTableOperation };
  }

  private byMinute(jobId: number): Map<string, OperationCounts> {
    const byMinuteOperation = new Map<string, OperationCounts>();
    const minutes = this.store.db.prepare('SELECT substr(begin_time, 1, 16) AS minute, operation, count(*) AS n FROM rows WHERE job_id = ? AND begin_time IS NOT NULL GROUP BY minute, operation')
      .all(jobId) as { minute: string; operation: string; n: number }[];
    for (const m of minutes) {
      const c = byMinuteOperation.get(m.minute) ?? zero();
      byMinuteOperation.set(m.minute, c);
      if (m.operation in c) c[m.operation as RowOperation] += m.n;
    }
    return byMinuteOperation;
  }
}
