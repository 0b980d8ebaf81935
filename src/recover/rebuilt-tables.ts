/**
 * Tables altered or rebuilt inside the stretch a live or export scan asks for, whose earlier rows it
 * cannot see.
 *
 * A live scan (sql.ts scanSql) and an export (sql/export-log-records.sql) choose the log records they
 * read by AllocUnitId, against the allocation units the tables have NOW (sys.allocation_units joined
 * to sys.partitions, index_id 0/1). ALTER INDEX … REBUILD and ALTER TABLE … REBUILD (routine nightly
 * maintenance) build the heap or clustered index anew, in new allocation units; the log records of
 * rows deleted before that carry the earlier AllocUnitId and are filtered out by the server, never
 * seen: a table rebuilt at 02:00 after a mass delete at 09:00 the day before gave 0 rows, and the
 * result looked whole. The server's catalog keeps no earlier unit ids, so the only sign is the
 * table's sys.objects.modify_date ("Date the object was last modified by using an ALTER statement.
 * If the object is a table or a view, modify_date also changes when an index on the table or view is
 * created or altered": Microsoft Learn, sys.objects), which the catalog query returns
 * (sql/table-metadata.sql, the export's #catalog). A modify_date at or after the window's start (or,
 * without one, the log read's first transaction) says the table may have been rebuilt inside it:
 * INCOMPLETE. modify_date also moves on an ALTER TABLE that keeps the units (ADD a column) and on a
 * nonclustered index's creation: the sentence says "may", and is said all the same (the catalog
 * cannot tell them apart). Files sources never need it: a data file's or backup's catalog is a
 * snapshot, and rows on units it does not name are said already (committed.ts unknownTablesClause).
 */
import { normaliseModifyDate } from '../logreader/live/drift.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { localMs } from './log-local-time.js';
import { stagedTableName, tableListText, tableNameText } from '../util/tsql.js';

/**
 * What a live or export source knows after `candidates()` ran (RecoverySource.catalogChanges): every
 * table of the catalog the scan read rows of (the --table ones, else all of them), each with its
 * sys.objects.modify_date, and where the log read begins.
 */
export interface CatalogChanges {
  /** The table (stagedTableName: `schema.name`, `[schema].[name]` when a part holds a dot) and modify_date as `YYYY-MM-DDTHH:MM:SS.fff`, the server's local time (drift.ts normaliseModifyDate); tables without one are left out. */
  tables: Array<{ table: string; modified: string }>;
  /**
   * The earliest time the log read is known to begin at, `YYYY-MM-DDTHH:MM:SS.fff` server local time
   * (live: the first LOP_BEGIN_XACT of the log read, probed, or of the transactions returned; export:
   * its own window's start, else its header's logRead, else its first transaction); null when unknown.
   */
  logReadFrom: string | null;
  /**
   * Of the tables read, those that are clustered columnstore tables (`schema.name`; the catalog's
   * data_compression_desc COLUMNSTORE / COLUMNSTORE_ARCHIVE): columnstoreTablesClause. Absent: none known.
   */
  columnstore?: string[];
}

/** The clustered columnstore tables among `layouts` (TableLayout.compression COLUMNSTORE), one `schema.name` each, in order. Pure. */
export function columnstoreTables(layouts: readonly TableLayout[]): string[] {
  return [...new Set(layouts.filter((t) => t.compression === 'COLUMNSTORE').map((t) => stagedTableName(t)))];
}

/**
 * The INCOMPLETE sentence of a live or export scan that read clustered columnstore tables, '' for none.
 * A live scan and sql/export-log-records.sql choose the log records by the in-row allocation units of
 * each table's heap or clustered index in sys.partitions; a clustered columnstore index keeps its rows
 * in compressed rowgroups (a row deleted there is only marked in the index's delete bitmap: no row image
 * is logged) and in delta store rowgroups, whose rowsets are internal partitions
 * (sys.internal_partitions COLUMN_STORE_DELTA_STORE; sys.column_store_row_groups delta_store_hobt_id),
 * not in sys.partitions. So no delete of such a table is ever returned, and the scan said "0 rows" of it
 * as if none had been deleted; and rowback does not decode columnstore rows (decode-row.ts
 * DECODE_UNSUPPORTED). `kind`: what read the log (files: a sentence of its own, the log mapped by the
 * data file's or script's catalog, where a compressed rowgroup's delete has no row image all the same);
 * `result`: what the rows are missing from.
 */
export function columnstoreTablesClause(tables: readonly string[] | undefined, kind: 'live' | 'export' | 'files', result: string): string {
  if (!tables || tables.length === 0) return '';
  const names = tables.length <= NAMED ? tableListText(tables) : `${tableListText(tables.slice(0, NAMED))} and ${tables.length - NAMED} more`;
  // files: the log records are mapped by the data file's (or script's) catalog, but a delete from a
  // compressed rowgroup logs no row image wherever the log is read, and a delta store row is not decoded
  if (kind === 'files') return `${tables.length === 1 ? 'a table read is a clustered columnstore table' : `${tables.length} tables read are clustered columnstore tables`} (${names}): its rows are kept in compressed rowgroups, where a delete only marks the row in the index's delete bitmap and logs no row image, and in delta store rowgroups, whose rows rowback does not decode (DECODE_UNSUPPORTED); the deletes of ${tables.length === 1 ? 'it' : 'them'} are not in ${result}, whatever was deleted: recover them from a backup restored as another database (rowback restore plan)`;
  const reader = kind === 'export' ? 'sql/export-log-records.sql chose' : 'the server returned';
  return `${tables.length === 1 ? 'a table read is a clustered columnstore table' : `${tables.length} tables read are clustered columnstore tables`} (${names}): its rows are kept in compressed rowgroups, where a delete only marks the row in the index's delete bitmap and logs no row image, and in delta store rowgroups on internal rowsets that the records ${reader} by the table's heap or clustered index do not include; no delete of ${tables.length === 1 ? 'it' : 'them'} is in ${result}, whatever was deleted, and rowback does not decode columnstore rows: recover them from a backup restored as another database (rowback restore plan)`;
}

/**
 * The catalog's tables as CatalogChanges.tables: one entry per `schema.name` (the first layout's
 * modify_date: every partition of a table shares its sys.objects row), those without a readable
 * modify_date left out, and those whose modify_date equals their create_date (when the catalog gives
 * it: never altered or rebuilt since created, so no earlier allocation units).
 */
export function catalogModifyDates(layouts: readonly TableLayout[]): CatalogChanges['tables'] {
  const out = new Map<string, string>();
  for (const t of layouts) {
    // by parts (stagedTableName): dbo.[A.B] and [dbo.A].B were one key, the second table's modify_date never looked at
    const key = stagedTableName(t);
    if (out.has(key) || !t.modifyDate) continue;
    const modified = normaliseModifyDate(t.modifyDate);
    // never altered since it was created (modify_date = create_date, sql/table-metadata.sql): it has
    // had no other allocation units, so a creation inside the window hides no row
    if (modified !== null && t.createDate !== undefined && normaliseModifyDate(t.createDate) === modified) continue;
    if (modified !== null) out.set(key, modified);
  }
  return [...out].map(([table, modified]) => ({ table, modified }));
}

/** The caller's words (incomplete-verdict.ts VerdictWords): the window start's name, what rows are missing from, and the way on in its names (flags or job fields). */
export interface RebuiltWords {
  /** The window's start: '--from' (scan) or 'from' (a job). */
  from: string;
  /** What the rows are missing from: 'this result' (scan), 'this job'. */
  result: string;
  /** The way on, after '; ' (scan: the offline flags; a job: the files job's fields). */
  wayOn: string;
}

/** At most this many tables are named; the rest are counted. */
const NAMED = 10;

/**
 * The INCOMPLETE sentence for tables of `changes` whose modify_date is at or after the window's start
 * (`from`, ISO local time) or, without one, at or after the log read's start (changes.logReadFrom);
 * '' when none is, when there is no start to compare with (no `from` and logReadFrom null: nothing is
 * said, the log read's extent is not known), or when `changes` is null. `source` says which reads
 * records by the current units: 'live' (the scan query) or 'export' (sql/export-log-records.sql).
 * Pure; never throws (times not of the ISO form compare as NaN: not said).
 */
export function rebuiltTablesClause(changes: CatalogChanges | null, from: string | undefined, source: 'live' | 'export', words: RebuiltWords): string {
  if (!changes) return '';
  const since = from ?? changes.logReadFrom;
  if (!since) return '';
  const start = localMs(since);
  const hit = changes.tables.filter((t) => localMs(t.modified) >= start).sort((a, b) => (a.modified < b.modified ? -1 : a.modified > b.modified ? 1 : a.table.localeCompare(b.table)));
  if (!hit.length) return '';
  const named = hit.slice(0, NAMED).map((t) => `${tableNameText(t.table)} at ${t.modified}`).join(', ') + (hit.length > NAMED ? ` and ${hit.length - NAMED} more` : '');
  const at = from !== undefined ? `at or after the window's start (${words.from} ${from})` : `at or after the start of the log read (its first transaction began at ${since})`;
  const reader = source === 'live'
    ? 'this live scan does not read (it reads the log records of the allocation units the tables have now, as sys.allocation_units names them)'
    : 'this export does not hold (sql/export-log-records.sql kept the log records of the allocation units the tables had when it ran, as sys.allocation_units named them)';
  return (
    `${hit.length === 1 ? 'a table was' : `${hit.length} tables were`} altered or rebuilt ${at}: ${named} (sys.objects.modify_date, the server's local time, which ALTER TABLE and creating or rebuilding an index move); ` +
    'a rebuild (ALTER INDEX … REBUILD, ALTER TABLE … REBUILD) gives a table new allocation units, and the rows deleted or changed before it are logged on its earlier ones, ' +
    `which ${reader}: if it was a rebuild, those rows are missing from ${words.result}, and nothing here says how many there were${words.wayOn ? `; ${words.wayOn}` : ''}`
  );
}
