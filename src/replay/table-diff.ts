/**
 * Comparing two states of one table (an earlier one, usually replayed to a point in time, and a
 * later one: a data file or a newer backup): which rows the later state lacks and which it holds
 * changed. Pure: no files, no SQL Server.
 *
 * Matching:
 * - by key when one is given (`--key`) or the table has a clustered index (its key columns,
 *   sys.index_columns key_ordinal, read from the base backup's catalog) and the key is unique in
 *   both states: a key present before and absent after = `missing`; present in both with any
 *   other value different = `changed` (both images);
 * - otherwise (a heap, or a clustered key that repeats — a non-unique clustered index), as whole
 *   rows: a multiset difference, so only `missing` rows exist (a changed row is a missing row plus
 *   an added one) and the result says so.
 */
import { SchemaError } from '../errors.js';
import { isOffRow, type SqlValue } from '../reconstruct/values.js';
import { rowKey } from './row-state.js';
import { visibleColumns, type ColumnLayout, type TableLayout } from '../reconstruct/metadata/table-layout.js';
import { appendAll } from '../util/append-all.js';
import { warnedColumn } from '../util/warning-column.js';

/**
 * What of a column's type shapes its values' printed form: the type (an int prints 5, a bigint
 * "5"; datetime and datetime2 print other digits; char pads to its length, varchar does not), the
 * scale of decimal/numeric and of the time types, the length of fixed-length char and binary.
 * A varchar(50) widened to varchar(100) prints the same values: not a difference.
 */
function valueForm(c: ColumnLayout): string {
  const t = c.type.toLowerCase();
  if (t === 'decimal' || t === 'numeric' || t === 'datetime2' || t === 'time' || t === 'datetimeoffset') return `${t}(scale ${c.scale ?? 0})`;
  if (t === 'char' || t === 'nchar' || t === 'binary') return `${t}(${t === 'nchar' ? c.maxLength >> 1 : c.maxLength})`;
  return t;
}

/**
 * Refuses two layouts of one table whose columns of one name print their values in different forms
 * (`valueForm`): the table was altered between the two states (ALTER COLUMN Id bigint after the
 * earlier backup). Compared by value, every row read as changed, and by a key of such a column
 * every row as missing from the later state (breaker: int 5 and bigint "5" never match; staged and
 * re-inserted, each row would be a duplicate or a key violation). Throws SchemaError
 * SCHEMA_TABLE_CHANGED naming each such column with both types. Columns only one layout has are
 * left to diffTableStates (its column-list check).
 */
export function refuseAlteredColumns(before: TableLayout, after: TableLayout, table: string): void {
  const later = new Map(visibleColumns(after).map((c) => [c.name, c]));
  const altered: string[] = [];
  for (const c of visibleColumns(before)) {
    const o = later.get(c.name);
    if (o && valueForm(c) !== valueForm(o)) altered.push(`${c.name} ${valueForm(c)} → ${valueForm(o)}`);
  }
  if (altered.length) {
    throw new SchemaError('SCHEMA_TABLE_CHANGED', `${table} was altered between the earlier and the later state (${altered.join(', ')}): the two print those columns' values in different forms, so every row would read as changed, or as missing by a key of them; its rows are not compared`, { table });
  }
}

export interface TableState {
  table: string;
  columns: string[];
  /**
   * `tag`: the LSN (fn_dblog form) of the log record that wrote the row's image, when one did;
   * `from`: the backup file whose page the row was read from (a differential's or the full
   * backup's), when the state was read from backup pages; `page`: the page that log record wrote
   * (`Page ID`, `ffff:pppppppp`), when known.
   */
  rows: Array<{ values: Record<string, SqlValue>; tag?: string; from?: string; fromSet?: number; page?: string; bytesNotes?: string }>;
  // bytesNotes: the row's warnings naming bytes printed as U+FFFD (row-state.ts bytesNotes; '' none),
  // when the state was decoded here: two values that print alike are told apart by them (TableDiff.unsure)
}

export interface ChangedRow {
  key: Record<string, SqlValue>;
  before: Record<string, SqlValue>;
  after: Record<string, SqlValue>;
  /** Columns whose values differ. */
  columns: string[];
  /** The before and after rows' warnings naming bytes printed as U+FFFD (TableState bytesNotes), when kept. */
  bytesNotes?: string;
  afterBytesNotes?: string;
  tag?: string;
  from?: string;
  /** The backup set of `from` the row's page was read from, when the file holds several (RESTORE … WITH FILE = n). */
  fromSet?: number;
}

export interface TableDiff {
  table: string;
  columns: string[];
  /** Key columns the rows were matched on; null when whole rows were compared. */
  key: string[] | null;
  /** Why whole rows were compared, when they were. */
  keyNote: string | null;
  /** Rows of the earlier state that the later state lacks. */
  missing: Array<{ values: Record<string, SqlValue>; tag?: string; from?: string; fromSet?: number; bytesNotes?: string }>;
  changed: ChangedRow[];
  /** Rows only the later state holds (counted, not listed). */
  added: number;
  /** Rows in both states unchanged. */
  same: number;
  /**
   * Rows matched in both states whose printed values are equal but hold U+FFFD in a column whose
   * text may stand for bytes it does not show (`opaque`: char/varchar/text, sql_variant): a byte
   * its code page does not define (or invalid UTF-8) prints as U+FFFD whatever it was, so two
   * different values print alike and the row may have changed (0xAA → 0xAB in a 1253 column).
   * Neither counted unchanged nor listed as changed: the comparison cannot tell, and says so
   * (compare.ts, an INCOMPLETE sentence). `key`: the match key's values (whole rows: the row).
   */
  unsure: Array<{ key: Record<string, SqlValue>; columns: string[]; tag?: string; from?: string; filestream?: true }>;
  // filestream: the columns are FILESTREAM ones whose marker holds no pointer (filestreamBlind): the
  // two rows' files cannot be told apart (compare.ts unsureFilestreamRows), not a U+FFFD
}

/**
 * A FILESTREAM column's marker that keeps no pointer (values.ts FilestreamOffRow: its bytes did not
 * read as bytes): every such marker prints alike, whatever file its row points to. A FILESTREAM
 * value changed is a new file and a new pointer (an UPDATE writes a new file and points the row at
 * it: Microsoft, SQL Server ISV blog, "Appending data using SQL 2008 Filestream"), so two markers
 * with equal pointers are one file; two without one were counted unchanged, a changed document
 * unseen. Such rows are TableDiff.unsure.
 */
function filestreamBlind(v: SqlValue | undefined): boolean {
  return v !== undefined && isOffRow(v) && v.offRow.kind === 'filestream' && v.offRow.pointer === undefined;
}

/** The columns of `columns` whose value in `a` or `b` is a FILESTREAM marker without its pointer. */
function blindFilestreamColumns(columns: readonly string[], a: Record<string, SqlValue>, b: Record<string, SqlValue>): string[] {
  return columns.filter((c) => filestreamBlind(a[c]) || filestreamBlind(b[c]));
}

/** What made rows of a comparison not comparable (TableDiff.unsure), for a summary line: `U+FFFD`, `FILESTREAM without a pointer`, or both. */
export function unsureKinds(d: Pick<TableDiff, 'unsure'>): string {
  const kinds: string[] = [];
  if (d.unsure.some((u) => !u.filestream)) kinds.push('U+FFFD');
  if (d.unsure.some((u) => u.filestream)) kinds.push('FILESTREAM without a pointer');
  return kinds.join(', ');
}

const REPLACEMENT = '\ufffd';

/** The columns of `columns` among `opaque` (every one when not given) whose value in `a` or `b` holds U+FFFD. */
function replacementColumns(columns: readonly string[], opaque: ReadonlySet<string> | undefined, a: Record<string, SqlValue>, b: Record<string, SqlValue>): string[] {
  const out: string[] = [];
  for (const c of columns) {
    if (opaque !== undefined && !opaque.has(c)) continue;
    if (holdsReplacement(a[c]) || holdsReplacement(b[c])) out.push(c);
  }
  return out;
}

function holdsReplacement(v: SqlValue | undefined): boolean {
  if (typeof v === 'string') return v.includes(REPLACEMENT);
  // a sql_variant's text value ({ baseType, value, … })
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && 'value' in v) return holdsReplacement((v as { value: SqlValue }).value);
  return false;
}

/**
 * Of the columns `u` (equal as printed, holding U+FFFD), those whose bytes the two rows' warnings
 * show to differ (`differ`), and those whose bytes are not known to be equal (`unknown`: a state
 * decoded without its warnings kept, or a warning naming only the first spans, "and N more").
 * The warning of a value names every byte printed as U+FFFD with its offset and the value's length
 * (types/string.ts undefinedBytesWarning); with the printed text equal, equal warnings are equal
 * bytes, and no warning on one side while the other has one is different bytes.
 */
function judgeReplacements(u: readonly string[], a: TableState['rows'][number], b: TableState['rows'][number]): { differ: string[]; unknown: string[] } {
  const differ: string[] = [];
  const unknown: string[] = [];
  for (const c of u) {
    if (a.bytesNotes === undefined || b.bytesNotes === undefined) { unknown.push(c); continue; }
    const na = notesOf(a.bytesNotes, c, Object.keys(a.values));
    const nb = notesOf(b.bytesNotes, c, Object.keys(b.values));
    if (na !== nb) differ.push(c);
    else if (/ and \d+ more of its /.test(na)) unknown.push(c);
  }
  return { differ, unknown };
}

/**
 * The warnings of column `c` (its own value, or text inside it when a sql_variant) among `notes`, a
 * row's whose columns are `columns`: those warnedColumn reads as c's (`column [Unit Price]: …`, or
 * bare as rowback wrote it before). By the prefix `column ${c}: ` alone, a column A took the
 * warnings of a column `A: x` (`column A: x: 0xAA …`), and was called changed when only `A: x` was.
 */
function notesOf(notes: string, c: string, columns: readonly string[]): string {
  const all = columns.includes(c) ? columns : [...columns, c];
  return notes.split('\u0000').filter((n) => warnedColumn(n, all, (rest) => rest.startsWith(': ') || rest.startsWith(' (a ')) === c).join('\u0000');
}

/**
 * The columns of a layout whose printed text may stand for bytes it does not show (TableDiff.unsure):
 * char, varchar, text (any code page: invalid UTF-8 prints U+FFFD too) and sql_variant.
 */
export function opaqueTextColumns(layout: TableLayout): Set<string> {
  return new Set(visibleColumns(layout).filter((c) => ['char', 'varchar', 'text', 'sql_variant'].includes(c.type.toLowerCase())).map((c) => c.name));
}

/**
 * Key values printed alike on more than one row of a state, by why (repeatNote): `real` a key that
 * repeats (no U+FFFD in it, or U+FFFD whose warnings name the same bytes), `differ` keys that differ
 * only in bytes printed U+FFFD (their warnings name other bytes), `unknown` U+FFFD whose bytes are
 * not known here. The first pair of each kind is kept for the note.
 */
interface Repeats {
  real: number;
  differ: number;
  unknown: number;
  first: Partial<Record<'real' | 'differ' | 'unknown', [TableState['rows'][number], TableState['rows'][number]]>>;
}

/**
 * The rows by key; a key printed alike on two rows: null. With `repeats`, every row is still read
 * and each such pair counted by kind (the note said why from the first pair alone: a first pair
 * differing only in U+FFFD bytes was reported as if the key never truly repeated, while later rows
 * did repeat it).
 */
function uniqueBy(rows: TableState['rows'], key: string[], repeats?: { state?: Repeats; key: string[]; opaque: ReadonlySet<string> | undefined }): Map<string, TableState['rows'][number]> | null {
  const m = new Map<string, TableState['rows'][number]>();
  // every earlier row printing each key (judged against each: a row repeating the bytes of the
  // second row printing a key, not the first's, was counted as differing only in U+FFFD bytes)
  const earlier = new Map<string, Array<TableState['rows'][number]>>();
  let unique = true;
  for (const r of rows) {
    const k = rowKey(r.values, key);
    const seen = m.get(k);
    if (seen) {
      if (!repeats) return null;
      unique = false;
      const st = (repeats.state ??= { real: 0, differ: 0, unknown: 0, first: {} });
      const list = earlier.get(k) ?? [seen];
      let kind: 'real' | 'differ' | 'unknown' = 'differ';
      let pair: [TableState['rows'][number], TableState['rows'][number]] = [seen, r];
      for (const e of list) {
        const fffd = replacementColumns(repeats.key, repeats.opaque, e.values, r.values);
        const j = fffd.length ? judgeReplacements(fffd, e, r) : { differ: [], unknown: [] };
        const k1 = j.differ.length ? 'differ' : j.unknown.length ? 'unknown' : 'real';
        if (k1 === 'real') {
          kind = 'real';
          pair = [e, r];
          break;
        }
        if (k1 === 'unknown' && kind === 'differ') {
          kind = 'unknown';
          pair = [e, r];
        }
      }
      st[kind]++;
      st.first[kind] ??= pair;
      list.push(r);
      earlier.set(k, list);
      continue;
    }
    m.set(k, r);
  }
  return unique ? m : null;
}

/**
 * Why a key repeating in one state made whole rows be compared: rows whose key prints alike. When
 * the key holds U+FFFD (bytes its code page does not define, not shown) two keys may differ only
 * there — their warnings say so when they name other bytes — and the note says it (it said the key
 * repeats, as if the table held a duplicate key). Every pair is counted: a key that truly repeats
 * anywhere in the state is said to repeat, and the pairs that print alike only through U+FFFD are
 * counted beside it.
 */
function repeatNote(keySource: string, key: string[], state: 'earlier' | 'later', rep: Repeats | undefined, opaque: ReadonlySet<string> | undefined): string {
  const plain = `${keySource} (${key.join(', ')}) repeats in the ${state} state`;
  const fffdPairs = rep ? rep.differ + rep.unknown : 0;
  const more = (n: number) => (n === 1 ? 'one more row prints' : `${n} more rows print`);
  if (!rep || fffdPairs === 0) {
    // a repeat whose key holds U+FFFD of the same bytes: the key repeats, and the note says it holds them
    const held = rep?.first.real ? replacementColumns(key, opaque, rep.first.real[0].values, rep.first.real[1].values) : [];
    if (held.length) return `${keySource} (${key.join(', ')}) prints alike for two rows of the ${state} state, holding U+FFFD (bytes its code page does not define) in ${held.join(', ')}: their warnings name the same bytes there, so the key repeats; rows cannot be matched on it, so whole rows were compared`;
    return `${plain}, so whole rows were compared`;
  }
  const sample = (rep.first.differ ?? rep.first.unknown)!;
  const fffd = replacementColumns(key, opaque, sample[0].values, sample[1].values);
  if (rep.real > 0) {
    return `${plain}${rep.real > 1 ? ` (${rep.real} rows repeat a key value printed on an earlier row)` : ''}, so whole rows were compared; besides, ${more(fffdPairs)} a key value alike only through U+FFFD (bytes its code page does not define) in ${fffd.join(', ')}`;
  }
  const why = rep.differ && !rep.unknown
    ? 'their warnings name different bytes there, so the keys differ only in bytes the text does not show'
    : !rep.differ
      ? 'the keys may differ only in bytes the text does not show (their bytes are not known here)'
      : `${rep.differ} of them differ only in bytes the text does not show (their warnings name different bytes there), ${rep.unknown} may (their bytes are not known here)`;
  const rowsWord = fffdPairs === 1 ? 'two rows' : `rows (${fffdPairs} of them printing a key value already printed on an earlier row)`;
  return `${keySource} (${key.join(', ')}) prints alike for ${rowsWord} of the ${state} state, holding U+FFFD (bytes its code page does not define) in ${fffd.join(', ')}: ${why}; rows cannot be matched on it, so whole rows were compared`;
}

/**
 * Words of a staged missing row's warning when whole rows were compared and the later state holds
 * rows of its own (compare.ts diffAsRecoveredRows): the row may be a changed one. The re-insert
 * service finds such rows by them (PlanInputRow.mayBeChanged) to say so in the script's header.
 */
export const MAY_BE_CHANGED = 'may have been changed rather than deleted';

/**
 * Compares `before` with `after` (see the file comment). `key`: the columns to match on (null:
 * whole rows); `keySource` names where it came from, for `keyNote`. Throws SchemaError
 * SCHEMA_TABLE_CHANGED when the two states' column lists differ (names or order): rows of
 * different shapes cannot be matched honestly.
 */
export function diffTableStates(before: TableState, after: TableState, key: string[] | null, keySource = 'key', opaque?: ReadonlySet<string>): TableDiff {
  if (before.columns.join('\u0000') !== after.columns.join('\u0000')) {
    throw new SchemaError('SCHEMA_TABLE_CHANGED', `${before.table} has columns (${before.columns.join(', ')}) in the earlier state and (${after.columns.join(', ')}) in the later one: the table was altered in between, so its rows are not compared`, { table: before.table });
  }
  const columns = before.columns;
  let keyNote: string | null = null;
  if (key && key.length) {
    const repeat: { state?: Repeats; key: string[]; opaque: ReadonlySet<string> | undefined } = { key, opaque };
    const b = uniqueBy(before.rows, key, repeat);
    const a = b ? uniqueBy(after.rows, key, repeat) : null;
    if (b && a) {
      const missing: TableDiff['missing'] = [];
      const changed: ChangedRow[] = [];
      const unsure: TableDiff['unsure'] = [];
      let same = 0;
      // later rows matched on a key printed alike whose warnings name other bytes (U+FFFD): another row
      let unmatched = 0;
      for (const [k, r] of b) {
        const o = a.get(k);
        if (!o) {
          missing.push(r);
          continue;
        }
        // a key printed alike (U+FFFD for bytes not shown) whose bytes the warnings show to differ is
        // two keys of the table: the earlier row is missing, the later one only in the later state
        // (matched, the deleted row was said changed in its key column and never missing)
        if (judgeReplacements(replacementColumns(key, opaque, r.values, o.values), r, o).differ.length) {
          missing.push(r);
          unmatched++;
          continue;
        }
        const diffCols = columns.filter((c) => rowKey({ v: r.values[c] ?? null }, ['v']) !== rowKey({ v: o.values[c] ?? null }, ['v']));
        // equal as printed; U+FFFD in either may stand for different bytes, which the warnings name
        const eq = replacementColumns(columns.filter((c) => !diffCols.includes(c)), opaque, r.values, o.values);
        const j = judgeReplacements(eq, r, o);
        appendAll(diffCols, j.differ);
        diffCols.sort((x, y) => columns.indexOf(x) - columns.indexOf(y));
        // FILESTREAM markers printing alike for want of a pointer: which file each row points to is not known
        const blind = diffCols.length === 0 ? blindFilestreamColumns(columns, r.values, o.values) : [];
        if (blind.length) {
          unsure.push({ key: Object.fromEntries(key.map((c) => [c, r.values[c] ?? null])), columns: blind, ...(r.tag ? { tag: r.tag } : {}), ...(r.from ? { from: r.from } : {}), filestream: true });
        } else if (diffCols.length === 0) {
          const u = j.unknown;
          if (u.length === 0) same++;
          else unsure.push({ key: Object.fromEntries(key.map((c) => [c, r.values[c] ?? null])), columns: u, ...(r.tag ? { tag: r.tag } : {}), ...(r.from ? { from: r.from } : {}) });
        } else changed.push({ key: Object.fromEntries(key.map((c) => [c, r.values[c] ?? null])), before: r.values, after: o.values, columns: diffCols, ...(r.tag ? { tag: r.tag } : {}), ...(r.from ? { from: r.from } : {}), ...(r.fromSet !== undefined ? { fromSet: r.fromSet } : {}), ...(r.bytesNotes ? { bytesNotes: r.bytesNotes } : {}), ...(o.bytesNotes ? { afterBytesNotes: o.bytesNotes } : {}) });
      }
      let added = unmatched;
      for (const k of a.keys()) if (!b.has(k)) added++;
      return { table: before.table, columns, key, keyNote: null, missing, changed, added, same, unsure };
    }
    keyNote = repeatNote(keySource, key, b ? 'later' : 'earlier', repeat.state, opaque);
  } else {
    keyNote = 'no key (a heap and no --key), so whole rows were compared: a changed row shows as a missing row';
  }
  // Multiset difference of whole rows.
  const left = new Map<string, TableState['rows']>();
  for (const r of after.rows) {
    const k = rowKey(r.values, columns);
    const l = left.get(k);
    if (l) l.push(r);
    else left.set(k, [r]);
  }
  const missing: TableDiff['missing'] = [];
  const unsure: TableDiff['unsure'] = [];
  let same = 0;
  for (const r of before.rows) {
    const l = left.get(rowKey(r.values, columns));
    if (l && l.length) {
      // equal as printed; U+FFFD in it may stand for different bytes, which the warnings name: the
      // row of the same bytes, when the later state holds one; none, but each known to hold other
      // bytes: missing (and those rows only the later state's); else not known (TableDiff.unsure)
      const blind = blindFilestreamColumns(columns, r.values, l[0]!.values);
      if (blind.length) {
        l.pop();
        unsure.push({ key: r.values, columns: blind, ...(r.tag ? { tag: r.tag } : {}), ...(r.from ? { from: r.from } : {}), filestream: true });
        continue;
      }
      const u0 = replacementColumns(columns, opaque, r.values, l[0]!.values);
      if (u0.length === 0) {
        l.pop();
        same++;
        continue;
      }
      const judged = l.map((o) => judgeReplacements(u0, r, o));
      const sameAt = judged.findLastIndex((j) => j.differ.length === 0 && j.unknown.length === 0);
      if (sameAt >= 0) {
        l.splice(sameAt, 1);
        same++;
      } else if (judged.every((j) => j.unknown.length === 0)) {
        missing.push(r);
      } else {
        const at = judged.findLastIndex((j) => j.unknown.length > 0);
        l.splice(at, 1);
        unsure.push({ key: r.values, columns: u0, ...(r.tag ? { tag: r.tag } : {}), ...(r.from ? { from: r.from } : {}) });
      }
    } else missing.push(r);
  }
  let added = 0;
  for (const l of left.values()) added += l.length;
  return { table: before.table, columns, key: null, keyNote, missing, changed: [], added, same, unsure };
}
