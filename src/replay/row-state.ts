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
  /** For origin 'backup': the backup set of `file` the page was read from, when the file holds several (RESTORE … WITH FILE = n). */
  fileSet?: number;
  warnings: string[];
}

/** The row warnings naming bytes printed as U+FFFD (types/string.ts undefinedBytesWarning), as one text. */
export function bytesNotes(warnings: readonly string[]): string {
  return warnings.filter((w) => w.startsWith('column ') && w.includes(": printed as U+FFFD '\ufffd'")).join('\u0000');
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

  /**
   * Removes one row with these values; false when the table holds none (the replay has diverged).
   * `warnings`: the removed image's row warnings. Rows that print alike may differ in bytes printed
   * as U+FFFD (a byte its code page does not define: 0xAA and 0xD2 of 1253 both print U+FFFD); their
   * warnings name those bytes (types/string.ts undefinedBytesWarning), so of several rows with these
   * values the one whose such warnings are the image's is removed. Before, the last one was, and the
   * row left behind carried the warning of the row deleted: the bytes it named, put back by hand as
   * it says, were the other row's.
   */
  remove(values: Record<string, SqlValue>, warnings?: readonly string[]): boolean {
    const k = rowKey(values, this.columns);
    const list = this.byKey.get(k);
    if (!list || list.length === 0) return false;
    let at = list.length - 1;
    if (list.length > 1 && warnings !== undefined) {
      const mine = bytesNotes(warnings);
      const i = list.findLastIndex((r) => bytesNotes(r.warnings) === mine);
      if (i >= 0) at = i;
    }
    list.splice(at, 1);
    if (list.length === 0) this.byKey.delete(k);
    this.n--;
    return true;
  }

  *rows(): Generator<ReplayRow> {
    for (const list of this.byKey.values()) yield* list;
  }
}
