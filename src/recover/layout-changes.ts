/**
 * Tables whose columns the log read shows changed after the catalog rowback decodes them with was
 * taken.
 *
 * A data file's or full backup's catalog is a snapshot: its last checkpoint (boot page
 * dbi_checkptLSN) or earlier. A log read past that point (log backups taken after the full backup,
 * the .ldf of a data file copied last week) can hold an ALTER TABLE: a column added, dropped or
 * changed in place (`decimal(10,2)` → `decimal(10,4)`, `datetime` → `date`: the old column stays
 * dropped in the slot and the new one takes it; rusanu.com, "SQL Server table columns under the
 * hood", 2011). The rows logged after it are in the layout after it, which the snapshot does not
 * describe: read with the snapshot's layout, an in-place change of scale printed `12.3400` as
 * `1234.00` with no warning (the record's column count, fixed part and sizes all fit the older
 * layout). So such rows are refused, one skipped item each, naming the change.
 *
 * A change is seen in the catalog's own rows: SQL Server keeps a rowset's physical columns in
 * sys.sysrscols (object 3, allocation unit 196608; the record's rowset id, a bigint, at offset 4 and
 * its column id at 12: NORTHWND_log.ldf's upgradeDatabase inserts) and a table's columns in
 * sys.syscolpars (object 41, clustered index 1: allocation unit 1 << 48 | 41 << 16 =
 * 281474979397632; the object id, an int, at offset 4, number @8, colid @10, status @27:
 * Database1_log.ldf's CREATE PROCEDURE inserts, its parameters' rows, number 1). SQL Server 2005
 * (dbi_version 611) has no sysrscols: a partition's columns are in sysrowsetcolumns (object 4,
 * allocation unit 262144; rowset id @4, rowset column id @12, hobt column id @16) and its physical
 * columns in syshobtcolumns (object 13, allocation unit 851968; hobt id @4, hobt column id @12), as
 * aspnetdb_log.ldf's aspnet_regsql inserts hold them: there an ALTER COLUMN's new physical column
 * is a syshobtcolumns insert, which a watch of sysrscols alone passed by (`sqlServer2005`). A
 * computed column's syscolpars row (status 0x10, datafile/metadata.ts COLPAR_COMPUTED) is left out:
 * a non-persisted one is stored nowhere in the record (adding or dropping it leaves the rows'
 * layout as it was), and a persisted one's physical column is a sysrscols row, watched.
 * Adding, dropping or altering a column inserts or deletes such rows (a dropped column's sysrscols
 * row takes a new column id 0x04000000 + n: rusanu's catalog listings). A committed transaction
 * whose inserted and deleted rows of these two tables naming a catalog table differ is a change of
 * that table's columns; one that inserts and deletes the same rows moved them (a page split, a
 * shrink) and is not. A change after the checkpoint that the catalog read already holds (its pages
 * written later: a copy of a running database's files) is not one either: every key it added
 * (rowset and column id; object and column id) is in the catalog and none it removed is. A
 * catalog of no known time (catalog JSON given with --schema) counts a change only when it
 * evidently predates it (none of the keys it added is there). LOP_MODIFY_ROW records carry only
 * the changed bytes, not the row's key, so a change made by modifications alone (sp_rename of a
 * column) is not seen: it moves no column. That an ALTER's column rows are logged as inserts and
 * deletes is inferred (new keys; a clustered key change is a delete and an insert), not observed:
 * no corpus log holds an ALTER TABLE.
 */
import { lsnToDecimal, parseLsn } from '../logreader/lsn.js';
import { exportTimeIso } from './log-local-time.js';
import type { LogRecord } from '../logreader/log-record.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import type { MetadataCatalog } from './source.js';
import { COLPAR_COMPUTED } from '../datafile/metadata.js';
import { stagedTableName } from '../util/tsql.js';

/** sys.sysrscols' allocation unit id (object 3), as fn_dblog prints it. */
export const SYSRSCOLS_ALLOC_UNIT = '196608';
/** sys.syscolpars' clustered index allocation unit id (object 41, index 1), as fn_dblog prints it. */
export const SYSCOLPARS_ALLOC_UNIT = '281474979397632';
/** SQL Server 2005's sys.sysrowsetcolumns allocation unit id (object 4 << 16), as aspnetdb_log.ldf prints it. */
export const SYSROWSETCOLUMNS_2005_ALLOC_UNIT = '262144';
/** SQL Server 2005's sys.syshobtcolumns allocation unit id (object 13 << 16), as aspnetdb_log.ldf prints it. */
export const SYSHOBTCOLUMNS_2005_ALLOC_UNIT = '851968';
/** Boot page dbi_version of SQL Server 2005, whose column catalog is sysrowsetcolumns + syshobtcolumns (LayoutChangeWatch's `sqlServer2005`). */
export const SQL2005_CATALOG_DBI_VERSION = 611;
/** Byte offset of syscolpars.status in its record (after id @4, number @8, colid @10, xtype @14, utype @15, length @19, prec @21, scale @22, collationid @23: datafile/system-row.ts SYSCOLPARS). */
const SYSCOLPARS_STATUS_OFFSET = 27;

/** A committed change of a table's columns in the log read. */
export interface LayoutChange {
  /** `schema.name`. */
  table: string;
  /** LSN of its first catalog record naming the table (fn_dblog form). */
  lsn: string;
  transactionId: string;
  /** Its LOP_BEGIN_XACT's Transaction Name, null when not read. */
  name: string | null;
  /** Its commit's End Time (fn_dblog form), null when unknown. */
  endTime: string | null;
  /**
   * The table's partitions (rowset ids) whose column rows it inserted or deleted, when it touched
   * those of some partitions only and no syscolpars row (ALTER TABLE … REBUILD PARTITION = n: that
   * partition's rows go to a new rowset, the others keep theirs and their layout); absent: every
   * partition (a column added, dropped or altered changes the rows of all).
   */
  partitionIds?: readonly string[];
  /** The catalog tables it was seen in: `sys.sysrscols/sys.syscolpars`, or SQL Server 2005's `sys.sysrowsetcolumns/sys.syshobtcolumns/sys.syscolpars`. */
  catalogTables: string;
}

/**
 * Per open transaction: per table, the first catalog record's LSN, the row images inserted and
 * deleted (hex, status byte left out) and their keys (catalogKey).
 */
type Pending = Map<string, { lsn: string; inserted: Map<string, number>; deleted: Map<string, number>; insertedKeys: Set<string>; deletedKeys: Set<string>; rowsets: Set<string>; columns: boolean }>;

/** A sysrscols row's key as catalogKey gives it: its rowset (partition) id and column id (rscolid = partition_column_id). */
export function rowsetColumnKey(partitionId: string, partitionColumnId: number): string {
  return `r:${partitionId}:${partitionColumnId}`;
}

/** A syscolpars row's key as catalogKey gives it: its object id and column id. */
export function objectColumnKey(objectId: number, columnId: number): string {
  return `c:${objectId}:${columnId}`;
}

/**
 * The key of a catalog row image: sysrscols (rowset id bigint @4, rscolid int @12), SQL Server
 * 2005's sysrowsetcolumns (rowset id @4, rowset column id @12) and syshobtcolumns (hobt id @4, hobt
 * column id @12: aspnetdb_log.ldf) or syscolpars (object id int @4, number smallint @8, colid int
 * @10: Database1_log.ldf's CREATE PROCEDURE rows hold number 1 and colid 1, 2 for a procedure's
 * parameters; a table's columns have number 0); null when too short.
 */
function catalogKey(allocUnitId: string, img: Uint8Array): string | null {
  const b = Buffer.from(img.buffer, img.byteOffset, img.length);
  if (allocUnitId === SYSRSCOLS_ALLOC_UNIT || allocUnitId === SYSROWSETCOLUMNS_2005_ALLOC_UNIT) return b.length >= 16 ? rowsetColumnKey(b.readBigUInt64LE(4).toString(), b.readUInt32LE(12)) : null;
  if (allocUnitId === SYSHOBTCOLUMNS_2005_ALLOC_UNIT) return b.length >= 16 ? hobtColumnKey(b.readBigUInt64LE(4).toString(), b.readUInt32LE(12)) : null;
  return b.length >= 14 ? objectColumnKey(b.readInt32LE(4), b.readInt32LE(10)) : null;
}

/**
 * A SQL Server 2005 syshobtcolumns row's key: its hobt id and hobt column id. The catalog's layouts
 * do not carry hobt column ids, so such a key neither shows nor refutes that the catalog holds a
 * change (holds, lacks): it only makes the transaction's images differ.
 */
function hobtColumnKey(hobtId: string, hobtColumnId: number): string {
  return `h:${hobtId}:${hobtColumnId}`;
}

/** Whether a syscolpars row image is a computed column's (status 0x10); false when too short to tell. */
function isComputedColumnRow(img: Uint8Array): boolean {
  if (img.length < SYSCOLPARS_STATUS_OFFSET + 4) return false;
  return (Buffer.from(img.buffer, img.byteOffset, img.length).readUInt32LE(SYSCOLPARS_STATUS_OFFSET) & COLPAR_COMPUTED) !== 0;
}

function lsnValue(text: string): bigint | null {
  try {
    return BigInt(lsnToDecimal(parseLsn(text)));
  } catch {
    return null;
  }
}

/** A table the watch looks for in the catalog's rows: its `schema.name`, object id and partition (rowset) ids. */
export interface WatchedTable {
  table: string;
  objectId?: number;
  partitionIds: readonly string[];
  /**
   * The keys of the table's column rows the catalog read holds (rowsetColumnKey of every partition's
   * physical columns, dropped ones included; objectColumnKey of its columns), when it is a data
   * file's or backup's: a change whose new keys are all there, and whose removed keys are not, is
   * one the catalog already holds (its pages written after the checkpoint). Absent: not judged.
   */
  columnKeys?: ReadonlySet<string>;
}

/** The tables of a catalog as the watch looks for them (a partitioned table's every partition). */
export function watchedTables(catalog: MetadataCatalog): WatchedTable[] {
  return catalog.tables().map((t) => {
    const partitionIds = new Set<string>(t.partitionId ? [t.partitionId] : []);
    for (const au of t.allocUnits ?? []) {
      const p = catalog.byAllocUnit(au.allocUnitId)?.partitionId;
      if (p) partitionIds.add(p);
    }
    return { table: stagedTableName(t), ...(t.objectId !== undefined ? { objectId: t.objectId } : {}), partitionIds: [...partitionIds], columnKeys: columnKeysOf(t, [...partitionIds].map((p) => ({ partitionId: p, layout: layoutOfPartition(catalog, t, p) }))) };
  });
}

function layoutOfPartition(catalog: MetadataCatalog, t: TableLayout, partitionId: string): TableLayout {
  for (const au of t.allocUnits ?? []) {
    const l = catalog.byAllocUnit(au.allocUnitId);
    if (l?.partitionId === partitionId) return l;
  }
  return t;
}

/** WatchedTable.columnKeys of a table whose partitions' layouts are `partitions`. */
export function columnKeysOf(t: TableLayout, partitions: ReadonlyArray<{ partitionId: string; layout: TableLayout }>): Set<string> {
  const keys = new Set<string>();
  for (const p of partitions) for (const c of p.layout.columns) keys.add(rowsetColumnKey(p.partitionId, c.partitionColumnId));
  if (t.objectId !== undefined) for (const c of t.columns) if (!c.isDropped && c.columnId > 0) keys.add(objectColumnKey(t.objectId, c.columnId));
  return keys;
}

/**
 * Watches a log read for committed changes of the watched tables' columns after `asOf` (the LSN
 * the catalog is as of: a data file's or backup's dbi_checkptLSN, fn_dblog form; null: every change
 * counts). Fed the records in log order (`see`, then `commit`/`abort` at the transaction's end);
 * `changeFor` tells whether a row operation of a table came after such a change. Memory: the row
 * images of the catalog records of open transactions (a few hundred bytes a column changed).
 * Throws Error on an `asOf` that is not an LSN (a caller's bug: it comes from a boot page).
 */
export class LayoutChangeWatch {
  private readonly asOf: bigint;
  /** Partition (rowset) id, decimal → `schema.name`. */
  private readonly byRowset = new Map<string, string>();
  /** Object id → `schema.name`. */
  private readonly byObject = new Map<number, string>();
  /** `schema.name` → its partition (rowset) ids. */
  private readonly partitionsOf = new Map<string, ReadonlySet<string>>();
  /** `schema.name` → WatchedTable.columnKeys. */
  private readonly keysOf = new Map<string, ReadonlySet<string>>();
  private readonly pending = new Map<string, Pending>();
  /** The changes after asOf of each table, by `schema.name` (the first of each scope: LayoutChange.partitionIds). */
  private readonly changes = new Map<string, Array<LayoutChange & { at: bigint }>>();

  /** The catalog tables' allocation units read (sysrscols and syscolpars; SQL Server 2005: syscolpars, sysrowsetcolumns, syshobtcolumns). */
  private readonly allocUnits: ReadonlySet<string>;
  /** Their names, as LayoutChange.catalogTables says them. */
  private readonly catalogTables: string;

  /**
   * `asOf`: the LSN the catalog is as of, or null when every change counts (a replay over a base
   * backup's catalog). `onlyLacking`: a catalog of no known time (catalog JSON given with --schema):
   * a change counts only when the catalog evidently predates it (lacks). `sqlServer2005`: the
   * database is SQL Server 2005's (boot page dbi_version 611), whose columns are in sysrowsetcolumns
   * and syshobtcolumns, not sysrscols (objects 4 and 13 are not those tables on later versions).
   */
  constructor(tables: readonly WatchedTable[], asOf: string | null, private readonly onlyLacking = false, sqlServer2005 = false) {
    this.catalogTables = sqlServer2005 ? 'sys.sysrowsetcolumns/sys.syshobtcolumns/sys.syscolpars' : 'sys.sysrscols/sys.syscolpars';
    this.allocUnits = new Set(sqlServer2005 ? [SYSCOLPARS_ALLOC_UNIT, SYSROWSETCOLUMNS_2005_ALLOC_UNIT, SYSHOBTCOLUMNS_2005_ALLOC_UNIT] : [SYSRSCOLS_ALLOC_UNIT, SYSCOLPARS_ALLOC_UNIT]);
    const v = asOf === null ? -1n : lsnValue(asOf);
    if (v === null) throw new Error(`layout watch: '${asOf}' is not an LSN`);
    this.asOf = v;
    for (const t of tables) {
      if (t.objectId !== undefined) this.byObject.set(t.objectId, t.table);
      for (const p of t.partitionIds) this.byRowset.set(p, t.table);
      this.partitionsOf.set(t.table, new Set(t.partitionIds));
      if (t.columnKeys) this.keysOf.set(t.table, t.columnKeys);
    }
  }

  /** Whether any table's change was seen (callers skip changeFor while none was). */
  get any(): boolean {
    return this.changes.size > 0;
  }

  /** Whether `r` may be a catalog record this watch reads (cheap: its allocation unit). */
  watches(r: LogRecord): boolean {
    return typeof r.AllocUnitId === 'string' && this.allocUnits.has(r.AllocUnitId);
  }

  /** A LOP_INSERT_ROWS / LOP_DELETE_ROWS on a catalog table this watch reads (`watches`): kept against its transaction when it names a catalog table. */
  see(r: LogRecord, inserted: boolean): void {
    const img = r['RowLog Contents 0'];
    if (!(img instanceof Uint8Array) || !this.watches(r)) return;
    let table: string | undefined;
    let rowset: string | null = null;
    if (r.AllocUnitId !== SYSCOLPARS_ALLOC_UNIT) {
      // sysrscols, sysrowsetcolumns (rowset id @4), syshobtcolumns (hobt id @4 = the partition id on 2005)
      if (img.length < 16) return;
      rowset = Buffer.from(img.buffer, img.byteOffset + 4, 8).readBigUInt64LE().toString();
      table = this.byRowset.get(rowset);
    } else {
      if (img.length < 8) return;
      // a computed column's row: not a stored column (a persisted one's is a sysrscols row)
      if (isComputedColumnRow(img)) return;
      table = this.byObject.get(Buffer.from(img.buffer, img.byteOffset + 4, 4).readInt32LE());
    }
    if (table === undefined) return;
    const id = r['Transaction ID'];
    let p = this.pending.get(id);
    if (!p) this.pending.set(id, (p = new Map()));
    let e = p.get(table);
    if (!e) p.set(table, (e = { lsn: r['Current LSN'], inserted: new Map(), deleted: new Map(), insertedKeys: new Set(), deletedKeys: new Set(), rowsets: new Set(), columns: false }));
    if (rowset !== null) e.rowsets.add(rowset);
    else e.columns = true;
    // the status byte left out: a ghosted delete's image and an insert's of the same row differ there
    const k = `${r.AllocUnitId}:${Buffer.from(img.buffer, img.byteOffset + 1, img.length - 1).toString('hex')}`;
    const m = inserted ? e.inserted : e.deleted;
    m.set(k, (m.get(k) ?? 0) + 1);
    const key = catalogKey(r.AllocUnitId!, img);
    if (key !== null) (inserted ? e.insertedKeys : e.deletedKeys).add(key);
  }

  /**
   * Whether the catalog read already holds the change `e` of `table`: it brought at least one key
   * new to the table (inserted, not deleted: a column added, a dropped column's new id 0x04000000 + n)
   * and every such key is in the catalog, and no key it removed (deleted, not inserted again) is.
   * A change that only rewrote rows under their keys gives no such evidence: false. (A SQL Server
   * 2005 syshobtcolumns key is passed over, here and in lacks: the layouts hold no hobt column ids.)
   */
  private holds(table: string, e: { insertedKeys: Set<string>; deletedKeys: Set<string> }): boolean {
    const keys = this.keysOf.get(table);
    if (!keys) return false;
    let added = 0;
    for (const k of e.insertedKeys) {
      if (e.deletedKeys.has(k) || isHobtKey(k)) continue;
      if (!keys.has(k)) return false;
      added++;
    }
    for (const k of e.deletedKeys) if (!e.insertedKeys.has(k) && keys.has(k)) return false;
    return added > 0;
  }

  /**
   * Whether the catalog read evidently predates the change `e` of `table`: it brought at least one
   * key new to the table and none of them is in the catalog (a column added, dropped or altered
   * since the catalog was saved).
   */
  private lacks(table: string, e: { insertedKeys: Set<string>; deletedKeys: Set<string> }): boolean {
    const keys = this.keysOf.get(table);
    if (!keys) return false;
    let added = 0;
    for (const k of e.insertedKeys) {
      if (e.deletedKeys.has(k) || isHobtKey(k)) continue;
      if (keys.has(k)) return false;
      added++;
    }
    return added > 0;
  }

  /**
   * The transaction `id` committed (`pageMove`: a page split's, whose rows only moved): its changes
   * after asOf are kept, and returned (none: []).
   */
  commit(id: string, info: { name: string | null; endTime: string | null; pageMove: boolean }): LayoutChange[] {
    const p = this.pending.get(id);
    if (!p) return [];
    this.pending.delete(id);
    if (info.pageMove) return [];
    const out: LayoutChange[] = [];
    for (const [table, e] of p) {
      if (sameCounts(e.inserted, e.deleted)) continue; // rows moved, not changed
      const at = lsnValue(e.lsn);
      if (at === null || at <= this.asOf) continue; // the catalog has it (before its checkpoint)
      if (this.holds(table, e)) continue; // the catalog's pages were written after the change
      if (this.onlyLacking && !this.lacks(table, e)) continue; // a catalog of no known time: only a change it evidently predates
      // a change of some partitions' column rows only (no syscolpars row: no column added, dropped or
      // altered) is those partitions': a partition rebuilt leaves the others' rows as they were
      const scoped = !e.columns && e.rowsets.size > 0 && [...(this.partitionsOf.get(table) ?? [])].some((q) => !e.rowsets.has(q));
      const change: LayoutChange = { table, lsn: e.lsn, transactionId: id, name: info.name, endTime: info.endTime, catalogTables: this.catalogTables, ...(scoped ? { partitionIds: [...e.rowsets].filter((q) => this.byRowset.get(q) === table) } : {}) };
      out.push(change);
      const list = this.changes.get(table) ?? [];
      list.push({ ...change, at });
      this.changes.set(table, list);
    }
    return out;
  }

  /** The transaction `id` rolled back (or began again): its catalog records changed nothing. */
  abort(id: string): void {
    this.pending.delete(id);
  }

  /**
   * The first change of `table` (stagedTableName, as watchedTables keys it) committed before `lsn` (a row operation's) that
   * concerns the row's partition (`partitionId`, its rowset id; undefined: any change of the
   * table), or null.
   */
  changeFor(table: string, lsn: string, partitionId?: string): LayoutChange | null {
    const list = this.changes.get(table);
    if (!list) return null;
    const v = lsnValue(lsn);
    if (v === null) return null;
    let first: (LayoutChange & { at: bigint }) | null = null;
    for (const c of list) {
      if (v <= c.at || (first && first.at <= c.at)) continue;
      if (partitionId !== undefined && c.partitionIds && !c.partitionIds.includes(partitionId)) continue;
      first = c;
    }
    if (!first) return null;
    const { at: _at, ...change } = first;
    return change;
  }
}

/** A syshobtcolumns key (hobtColumnKey): the catalog's layouts cannot confirm or refute it. */
function isHobtKey(k: string): boolean {
  return k.startsWith('h:');
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, n] of a) if (b.get(k) !== n) return false;
  return true;
}

/**
 * The reason of a SOURCE_SCHEMA_DRIFT skipped item for a row of `change.table` logged at `rowLsn`
 * after the change, read with `catalogOf` (`the catalog of FILE`, `the catalog given with --schema`)
 * as of `asOf` (its last checkpoint LSN; null: of no known time, shown to lack the change's column
 * ids): one sentence naming the change and the way on.
 */
export function layoutChangeReason(change: LayoutChange, rowLsn: string, catalogOf: string, asOf: string | null, inputs: { dataFile: string; layout: string } = { dataFile: '--mdf/--bak', layout: '--schema/--ddl' }): string {
  // its End Time in the one form of rowback's sentences (as the INCOMPLETE line names it), not fn_dblog's
  const at = change.endTime ? exportTimeIso(change.endTime) ?? change.endTime : null;
  const txn = `transaction ${change.transactionId}${change.name ? ` ('${change.name}'${at ? `, committed at ${at}` : ''})` : at ? ` (committed at ${at})` : ''}`;
  return (
    `${change.table}'s columns were changed at LSN ${change.lsn} by ${txn}, which inserted or deleted its rows of ${change.catalogTables} (${change.partitionIds ? `those of partition ${change.partitionIds.join(', ')} only: the partition rebuilt, or its columns changed` : 'a column added, dropped or altered'}), ` +
    `after ${catalogOf} was taken (${asOf !== null ? `its last checkpoint, LSN ${asOf}` : 'it lacks the column ids the change added'}); this row was logged at LSN ${rowLsn}, after that change, in a layout ${catalogOf} does not describe, ` +
    `and read with its layout it could show wrong values that look right (an in-place ALTER COLUMN keeps the record's size and column count): ` +
    `decode it with the layout after the change — a data file or full backup taken after LSN ${change.lsn} (${inputs.dataFile}), or ${inputs.layout} with the table as it was then`
  );
}
