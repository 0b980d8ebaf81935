/**
 * The rows of one table as a multiset of decoded values: what a point-in-time replay changes.
 *
 * Rows are keyed by their content (every column's decoded value), never by page and slot: a page
 * split or a heap page move changes where a row lives, not what the table holds, so replaying by
 * content needs no page bookkeeping. Two identical rows (a heap without a key may hold them) are
 * two entries under one key; deleting one of them removes one entry, which is what the table holds
 * afterwards whichever of the two SQL Server removed.
 */
import type { SqlValue } from '../reconstruct/values.js';

/** One row of the replayed table: its column values (visible columns, by name). */
export interface ReplayRow {
  values: Record<string, SqlValue>;
  /** Where this row's current image came from: the base backup's pages, or the LSN of the log record that wrote it. */
  origin: 'backup' | { lsn: string; page?: string };
  /** For origin 'backup': the backup file the row's page was read from (a differential's, or the full backup's). */
  file?: string;
  warnings: string[];
}

/** Canonical text of a row's values (column order as given; bigint-safe; byte arrays as hex). */
export function rowKey(values: Record<string, SqlValue>, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => values[c] ?? null), (_k, v) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
    return v as unknown;
  });
}

/**
 * A multiset of rows. `add` and `remove` are O(1); `rows()` lists them in insertion order of
 * their keys (base rows first, in page order, then rows added by the log in LSN order).
 */
export class RowState {
  private readonly byKey = new Map<string, ReplayRow[]>();
  private n = 0;

  constructor(readonly columns: readonly string[]) {}

  get size(): number {
    return this.n;
  }

  add(row: ReplayRow): void {
    const k = rowKey(row.values, this.columns);
    const list = this.byKey.get(k);
    if (list) list.push(row);
    else this.byKey.set(k, [row]);
    this.n++;
  }

  /** Removes one row with these values; false when the table holds none (the replay has diverged). */
  remove(values: Record<string, SqlValue>): boolean {
    const k = rowKey(values, this.columns);
    const list = this.byKey.get(k);
    if (!list || list.length === 0) return false;
    list.pop();
    if (list.length === 0) this.byKey.delete(k);
    this.n--;
    return true;
  }

  *rows(): Generator<ReplayRow> {
    for (const list of this.byKey.values()) yield* list;
  }
}
