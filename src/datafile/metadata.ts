/**
 * Table metadata from a data file's system base tables: every user table with its schema,
 * columns, partitions, allocation units and the physical layout the row decoder takes.
 *
 *   sysschobjs (type 'U', nsclass 0, pclass 1, not is_ms_shipped)  → tables
 *   sysclsobjs (class 50 = SCHEMA)                                 → schema names (sys.schemas)
 *   syscolpars (number 0)                                          → columns: name, type, length, precision, scale, collation, flags
 *   sysidxstats (indid 0 heap / 1 clustered)                       → the base index
 *   sysrowsets (idmajor = object, idminor = index)                 → partitions, compression, row counts
 *   sysrscols (rsid = partition)                                   → physical layout (leaf offset, null bit, bit position, status)
 *   sysallocunits (ownerid = partition)                            → allocation units (IN_ROW / LOB / ROW_OVERFLOW) and first pages
 *
 * Status bits (OrcaMDF `MetaData/DMVs` — facts; sys.columns / sys.objects definitions):
 *   syscolpars.status: 0x1 NOT NULL, 0x2 ANSI padded, 0x4 identity, 0x8 ROWGUIDCOL, 0x10 computed,
 *     0x20 FILESTREAM, 0x800 XML document, 0x20000 replicated, 0x1000000 sparse, 0x2000000 column set,
 *     0xF0000000 GENERATED ALWAYS (COLPAR_GENERATED_ALWAYS: a temporal table's period columns; corpus TSQLV4.bak).
 *   sysschobjs.status: 0x1 is_ms_shipped.
 *   sysrscols.status: see RSCOL_* in system-tables.ts.
 */
import { stagedTableName } from '../util/tsql.js';
import { FormatError, InputError } from '../errors.js';
import { VLF_HEADER_MARKER } from '../logreader/ldf/constants.js';
import type { SkippedItem } from '../util/skipped-item.js';
import { codePageForCollation } from '../reconstruct/collation.js';
import { addInPlaceRetypeWarnings, usesCodePage } from '../reconstruct/metadata/layout-rules.js';
import type { AllocUnitRef, ColumnLayout, Compression, SqlTypeName, TableLayout } from '../reconstruct/metadata/table-layout.js';
import { BOOT_PAGE, parseBootPage, productForVersion, type BootPage } from './boot-page.js';
import { foreignKeysOf } from './foreign-keys.js';
import { collationNameForId } from '../reconstruct/collation-ids.js';
import { METADATA_PAGE_ADVICE, PageReader, sourceFile } from './page-reader.js';
import type { PageSource } from './page-source.js';
import type { PageId } from './page.js';
import {
  big,
  num,
  str,
  SYSCLSOBJS,
  SYSOWNERS,
  SYSCOLPARS,
  SYSIDXSTATS,
  SYSSCHOBJS,
  SYSSINGLEOBJREFS,
  SystemObjectId,
  type SysRow,
} from './system-row.js';
import {
  parseTi,
  readSystemTables,
  RSCOL_DROPPED,
  RSCOL_NOT_NULLABLE,
  RSCOL_SPARSE,
  RSCOL_UNIQUIFIER,
  type AllocUnitRow,
  type RsColRow,
  type SystemTables,
} from './system-tables.js';
import { appendAll, maxOf } from '../util/append-all.js';

export const COLPAR_NOT_NULL = 0x1;
export const COLPAR_IDENTITY = 0x4;
export const COLPAR_ROWGUIDCOL = 0x8;
export const COLPAR_COMPUTED = 0x10;
export const COLPAR_FILESTREAM = 0x20;
export const COLPAR_SPARSE = 0x1000000;
export const COLPAR_COLUMN_SET = 0x2000000;
/**
 * syscolpars.status bits 28–31: a column GENERATED ALWAYS (sys.columns.generated_always_type ≠ 0),
 * whose value the engine writes and an INSERT may not give (Msg 13536). Source: the corpus's
 * TSQLV4.bak (SQL Server 2016), the system-versioned dbo.Employees: `sysstart` (PERIOD … AS ROW
 * START) has status 0x10000001 and `sysend` (AS ROW END) 0x20000001 — generated_always_type 1 and 2
 * in those bits — while the same columns of its history table dbo.EmployeesHistory have 0x1; none of
 * the other 1,183 syscolpars rows of objects numbered 100 and up in the corpus's six readable backups
 * has any of these bits. Only "set or
 * not" is relied on (the values of ledger tables' types 7–10 are not seen in the corpus).
 */
export const COLPAR_GENERATED_ALWAYS = 0xf0000000;
export const SCHOBJ_MS_SHIPPED = 0x1;

/** system_type_id → type name (sys.types). 240 (CLR) is resolved by user_type_id: 128 hierarchyid, 129 geometry, 130 geography. */
export const SYSTEM_TYPES: Record<number, SqlTypeName> = {
  34: 'image', 35: 'text', 36: 'uniqueidentifier', 40: 'date', 41: 'time', 42: 'datetime2', 43: 'datetimeoffset',
  48: 'tinyint', 52: 'smallint', 56: 'int', 58: 'smalldatetime', 59: 'real', 60: 'money', 61: 'datetime', 62: 'float',
  98: 'sql_variant', 99: 'ntext', 104: 'bit', 106: 'decimal', 108: 'numeric', 122: 'smallmoney', 127: 'bigint',
  165: 'varbinary', 167: 'varchar', 173: 'binary', 175: 'char', 189: 'timestamp', 231: 'nvarchar', 239: 'nchar', 241: 'xml',
};
const CLR_TYPES: Record<number, SqlTypeName> = { 128: 'hierarchyid', 129: 'geometry', 130: 'geography' };

const CHAR_TYPES = new Set<SqlTypeName>(['char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'sysname']);
const CODEPAGE_TYPES = new Set<SqlTypeName>(['char', 'varchar', 'text']);

export interface DatabaseInfo {
  name: string;
  version: number;
  createVersion: number;
  product: string;
  /** The SQL Server version `createVersion` is of (boot-page.ts productForVersion): NORTHWND.MDF's 539, SQL Server 2000. */
  createProduct: string;
  databaseId: number;
  compatibilityLevel: number;
  created: string | null;
  collation: string | null;
  collationId: number;
  checkpointLsn: string;
  firstSysIndexes: string;
}

export interface PartitionInfo {
  partitionId: string;
  partitionNumber: number;
  compression: Compression;
  /** sysrowsets.rcrows: the row count SQL Server keeps for the partition. */
  rows: number;
  allocUnits: Array<AllocUnitRef & { firstPage: PageId; rootPage: PageId; firstIam: PageId; usedPages: number; dataPages: number }>;
  /** The partition's physical layout (partitions of one table normally share it). */
  layout: TableLayout;
}

export interface DataFileTable {
  layout: TableLayout;
  partitions: PartitionInfo[];
  /** Sum of the partitions' rcrows. */
  rowCount: number;
}

/** An allocation unit of a user table's index other than its heap or clustered index (DataFileMetadata.indexAllocUnits). */
export interface IndexAllocUnit {
  /** The table's schema and name, as its layout in DataFileMetadata.tables gives them. */
  schema: string;
  name: string;
  objectId: number;
  /** sys.sysrowsets.idminor, sys.indexes.index_id: above 1. */
  indexId: number;
  /** sys.sysidxstats.name, sys.indexes.name; null when sysidxstats holds no record of the index. */
  indexName: string | null;
  /** bigint as decimal text, as fn_dblog prints AllocUnitId. */
  allocUnitId: string;
  type: AllocUnitRef['type'];
}

/** A user table sys.sysschobjs names with no heap or clustered partition in sys.sysrowsets (DataFileMetadata.unlocatedTables). */
export interface UnlocatedTable {
  /** `schema.name`. */
  table: string;
  objectId: number;
  /** The base index sys.sysidxstats gives it (0 heap, 1 clustered), undefined when it gives none. */
  indexId?: number;
}

export interface DataFileMetadata {
  database: DatabaseInfo;
  /**
   * One layout per table: its first partition's, with the allocation units of every partition. For
   * listing and naming tables only: to decode a row use its allocation unit's own partition
   * (`partitionLayouts`, or catalogFromLayouts over them), since partitions may differ in compression.
   */
  tables: TableLayout[];
  /** One layout per partition of every table (sysrowsets), each with its own compression, columns and allocation units. */
  partitionLayouts: TableLayout[];
  /** Per table (`schema.name`), with partitions and allocation units. */
  details: Map<string, DataFileTable>;
  rowCounts: Record<string, number>;
  /** Things that could not be read or resolved (unknown collation ids, unreadable system rows, …). */
  warnings: string[];
  skipped: SkippedItem[];
  /**
   * The database's principals from sysowners (sys.database_principals): principal id, database
   * user/role name, type (`U` Windows user, `S` SQL user, `G` Windows group, `R` role, …) and SID
   * (0x upper-case hex, null when none). Null when sysowners could not be read. These are database
   * user names, not server login names (those live in master, which rowback does not read).
   */
  principals: DatabasePrincipal[] | null;
  /**
   * Allocation units the catalog names whose rows are no user table's data: units of an index other
   * than a heap or clustered index (index id above 1: nonclustered, XML, spatial, columnstore) of
   * any object, and units of internal tables (sysschobjs type 'IT': change tracking, Service Broker
   * queues, full-text, an XML index's node table). A unit whose owner cannot be told (a damaged
   * sysschobjs page) is not in it: its operations stay "a table the catalog does not name".
   */
  otherAllocUnits?: ReadonlySet<string>;
  /**
   * The allocation units of the user tables' other indexes (sys.sysrowsets idminor above 1 of a
   * table in `tables`: nonclustered indexes, the rowsets an index of that id keeps), each with its
   * table and index; what fn_dblog's AllocUnitName names `dbo.Orders.CustomerID` and `log --table`
   * lists with the table's own units. In sys.sysrowsets order. An index sys.sysidxstats holds no
   * record of has `indexName` null. A subset of `otherAllocUnits`.
   */
  indexAllocUnits: IndexAllocUnit[];
  /**
   * User tables sys.sysschobjs names but sys.sysrowsets holds no heap or clustered partition of
   * (a damaged catalog: their pages cannot be found). Not in `tables`; said as one
   * FORMAT_CATALOG_MISMATCH item of sys.sysrowsets in `skipped`. Absent when there are none.
   */
  unlocatedTables?: UnlocatedTable[];
  /**
   * Tables sys.sysschobjs names as user tables (type U, nsclass 0, pclass 1) marked is_ms_shipped
   * (status 0x1) whose heap or clustered rowsets hold rows (sysrowsets rcrows): not in `tables`
   * (SQL Server's own: replication, change data capture), but one changed bit of a user table's
   * status makes it one, so they are named (dump --all's note, dump --table's refusal), never left
   * out unsaid. Absent when there are none, as in every data file and backup of the corpus.
   */
  shippedTables?: ShippedTable[];
}

/** A table marked is_ms_shipped that holds rows (DataFileMetadata.shippedTables). */
export interface ShippedTable {
  /** `schema.name`. */
  table: string;
  objectId: number;
  /** Rows its heap or clustered rowsets count (sysrowsets rcrows). */
  rows: number;
}

export interface DatabasePrincipal {
  principalId: number;
  name: string;
  type: string;
  sid: string | null;
}

/** Rows of sysowners (see SYSOWNERS); null when the table cannot be read (never throws). */
export function readDatabasePrincipals(st: SystemTables): DatabasePrincipal[] | null {
  try {
    const rows = st.read(SystemObjectId.sysowners, SYSOWNERS, 'sysowners');
    if (rows.length === 0) return null;
    return rows.map((r) => ({
      principalId: Number(r.id),
      name: String(r.name ?? ''),
      type: String(r.type ?? '').trim(),
      sid: typeof r.sid === 'string' && r.sid.length > 2 ? r.sid.toUpperCase().replace(/^0X/, '0x') : null,
    }));
  } catch {
    return null;
  }
}

export function databaseInfo(boot: BootPage): DatabaseInfo {
  return {
    name: boot.databaseName,
    version: boot.version,
    createVersion: boot.createVersion,
    product: boot.product,
    createProduct: productForVersion(boot.createVersion),
    databaseId: boot.databaseId,
    compatibilityLevel: boot.compatibilityLevel,
    created: boot.created,
    collation: collationNameForId(boot.collationId),
    collationId: boot.collationId,
    checkpointLsn: boot.checkpointLsn,
    firstSysIndexes: `${boot.firstSysIndexes.fileId}:${boot.firstSysIndexes.pageId}`,
  };
}

/**
 * The refusal of a transaction log file given where a data file goes: its page 0 is the same file
 * header page, its page 1 a VLF header (0xAB at 0x2000) where a data file's starts with page header
 * version 1. Used by bootPageOf (the log file alone) and openDataFiles (listed among the data files).
 */
export function logFileAsDataFile(file: string): InputError {
  return new InputError('INPUT_NOT_A_DATA_FILE', `${file} is a transaction log file (VLF header 0xAB at 0x2000), not a data file (.mdf/.ndf): give it as the log (scan --ldf FILE, log FILE)`, { file });
}

/** Read the boot page through the verifying reader (torn bits restored); throws FormatError when it is unusable. */
export function bootPageOf(reader: PageReader): BootPage {
  if (!reader.source.fileIds().includes(BOOT_PAGE.fileId)) {
    // A log file starts with the same file header page (file id 2 as a rule), so it looks like a
    // secondary data file; its page 1 is a VLF header (0xAB at 0x2000) where a data file's starts
    // with page header version 1. Named as what it is: the usual mistake is --mdf and --ldf swapped.
    for (const id of reader.source.fileIds()) {
      if (reader.source.readPage(id, 1)?.[0] === VLF_HEADER_MARKER) {
        throw logFileAsDataFile(sourceFile(reader.source));
      }
    }
    throw new FormatError(
      'FORMAT_NO_BOOT_PAGE',
      `${reader.source.description} holds file id(s) ${reader.source.fileIds().join(', ')} only: the boot page is in the primary data file (file id 1); give the .mdf as well`,
      { page: '1:9' },
    );
  }
  let boot;
  try {
    boot = reader.require(BOOT_PAGE);
  } catch (e) {
    // a damaged boot page: said as the boot page, with its file and what to do, not as a bare checksum
    if (e instanceof FormatError && e.code !== 'FORMAT_PAGE_MISSING') {
      throw new FormatError(e.code, `the boot page (1:9) of ${reader.source.description} failed its check (${e.message}): the database's metadata is found from it, so no table of this file can be read; ${METADATA_PAGE_ADVICE}`, { file: sourceFile(reader.source, '1:9'), page: '1:9' });
    }
    throw e;
  }
  return parseBootPage(boot.bytes);
}

export function readDataFileMetadata(source: PageSource, reader = new PageReader(source)): DataFileMetadata {
  const boot = bootPageOf(reader);
  const skipped: SkippedItem[] = [];
  const warnings: string[] = [];
  const st = readSystemTables(reader, boot, skipped);
  // sysschobjs read once (a damaged page of it is one skipped item, not one per reader)
  const objects = st.read(SystemObjectId.sysschobjs, SYSSCHOBJS, 'sysschobjs');
  const unlocated: UnlocatedTable[] = [];
  const gaps: PartitionGap[] = [];
  const unnamedSchemas: Array<{ table: string; objectId: number }> = [];
  const shipped: ShippedTable[] = [];
  const nameless: Array<{ table: string; objectId: number }> = [];
  // sysidxstats read once, as sysschobjs (a damaged page of it is one skipped item)
  const indexes = st.read(SystemObjectId.sysidxstats, SYSIDXSTATS, 'sysidxstats');
  const tables = buildTables(st, warnings, skipped, objects, unlocated, gaps, unnamedSchemas, shipped, nameless, indexes);
  if (unnamedSchemas.length) skipped.push(unnamedSchemaItem(unnamedSchemas));
  const noPartition = tablesWithoutPartitionItem(unlocated);
  if (noPartition) skipped.push(noPartition);
  for (const g of gaps) skipped.push(partitionGapItem(g));
  const otherAllocUnits = nonTableAllocUnits(st, objects);
  // not when a sysschobjs page already failed its checks: that item says the damage
  const schobjsDamaged = [...reader.skipped, ...skipped].some((s) => String(s.location?.table ?? '').toLowerCase() === 'sys.sysschobjs');
  if (!schobjsDamaged) appendAll(skipped, rowsetsOfUnnamedObjects(st, objects));
  // after schobjsDamaged: an item of one table's record, not of a page, hides no other
  if (nameless.length) skipped.push(namelessTableItem(nameless));
  const details = new Map<string, DataFileTable>();
  const rowCounts: Record<string, number> = {};
  for (const t of tables) {
    // by parts (stagedTableName): dbo.[Order.Items] and [dbo.Order].Items were one key, the first overwritten
    const key = stagedTableName(t.layout);
    details.set(key, t);
    rowCounts[key] = t.rowCount;
  }
  return {
    database: databaseInfo(boot),
    tables: tables.map((t) => t.layout),
    partitionLayouts: tables.flatMap((t) => t.partitions.map((p) => p.layout)),
    details,
    rowCounts,
    warnings,
    skipped: [...reader.skipped, ...skipped],
    principals: readDatabasePrincipals(st),
    otherAllocUnits,
    indexAllocUnits: indexAllocUnitsOf(st, tables, indexes),
    ...(unlocated.length ? { unlocatedTables: unlocated } : {}),
    ...(shipped.length ? { shippedTables: shipped } : {}),
  };
}

/**
 * The FORMAT_CATALOG_MISMATCH item (of sys.sysrowsets: a damaged catalog, INCOMPLETE) of user
 * tables sys.sysschobjs names but of which sys.sysrowsets holds no heap or clustered partition
 * (idminor 0/1, or the base index sysidxstats gives), undefined when there are none, as in every data
 * file and backup of the corpus. Every table has its base rowset (Microsoft Learn "sys.partitions
 * (Transact-SQL)": "All tables and indexes contain at least one partition, whether or not they are
 * explicitly partitioned"; sys.partitions shows sysrowsets), so such a table's pages cannot be found: its rows are not printed, and the table is not listed. Before, it was
 * left out of the table list with a metadata warning no command prints: one changed status byte (0x10
 * to 0x1C, ghost) of dbo.Orders' sysrowsets record on NORTHWND.MDF's page 1:18 (torn-page bits only,
 * so no check sees it) made `dump --all --strict` print 12 tables and 2,478 rows, exit 0, and
 * `inspect` list 12 tables, exit 0: 830 orders gone without a word. The symmetric case (partitions
 * of objects sysschobjs does not name) is rowsetsOfUnnamedObjects. A memory-optimized table may have
 * no such rowset on a healthy file (Microsoft Learn, "Indexes on Memory-Optimized Tables": its rows
 * are not on pages, "no partitions or allocation units" give them; not in the corpus, so not known
 * from its bytes here): the sentence says so, its rows not printed either way.
 */
/**
 * The FORMAT_CATALOG_MISMATCH item (of sys.sysclsobjs: a damaged catalog, INCOMPLETE) of user tables
 * whose schema id (sysschobjs.nsid) no schema row (sys.sysclsobjs class 50) names: they are printed
 * as `schema_<id>.<name>`, their schema unknown. Every schema has such a row, dbo, guest,
 * INFORMATION_SCHEMA, sys and the db_* role schemas included (sys.schemas shows them: every data file
 * and backup of the corpus, 2005 to 2016, holds ids 1-4 and 16384-16393 there), so this is a damaged
 * nsid or a lost sysclsobjs row. One changed bit of dbo.Shippers' nsid on NORTHWND.MDF's sysschobjs
 * page 1:372 (torn-page bits only) printed its 3 rows as schema_4194305.Shippers, exit 0, not a word.
 */
function unnamedSchemaItem(tables: ReadonlyArray<{ table: string; objectId: number }>): SkippedItem {
  const named = tables.slice(0, 10).map((t) => `${t.table} (object id ${t.objectId})`);
  return {
    code: 'FORMAT_CATALOG_MISMATCH',
    reason: `sys.sysschobjs puts ${tables.length} user table(s) in a schema id no sys.sysclsobjs schema row names: ${named.join(', ')}${tables.length > 10 ? ' …' : ''}; their schema is not known (printed as schema_<id>): a sysschobjs or sysclsobjs page is damaged or another database's (its checksum may hold): read an undamaged copy (a backup)`,
    location: { table: 'sys.sysclsobjs' },
  };
}

/**
 * The FORMAT_CATALOG_MISMATCH item (of sys.sysschobjs: a damaged catalog, INCOMPLETE) of user tables
 * whose sysschobjs row holds no name, or an empty one: a table's identifier is required and has 1 to
 * 128 characters (Microsoft Learn, "Database identifiers"), so the record is damaged. Their rows are printed under
 * `<schema>.object_<id>`; before, under `<schema>.` (an empty name), exit 0, not a word.
 */
function namelessTableItem(tables: ReadonlyArray<{ table: string; objectId: number }>): SkippedItem {
  const named = tables.slice(0, 10).map((t) => `object id ${t.objectId} (printed as ${t.table})`);
  return {
    code: 'FORMAT_CATALOG_MISMATCH',
    reason: `sys.sysschobjs names ${tables.length} user table(s) with no name (an identifier has 1 to 128 characters): ${named.join(', ')}${tables.length > 10 ? ' …' : ''}; their record is damaged (a page without a checksum, or another database's), so their name is not known: read an undamaged copy (a backup)`,
    location: { table: 'sys.sysschobjs' },
  };
}

/** A table whose heap or clustered partitions in sys.sysrowsets do not run 1..N (buildTables). */
interface PartitionGap {
  table: string;
  objectId: number;
  present: number[];
  /** Partition numbers below the highest present that no rowset has (the first 11 at most). */
  absent: number[];
}

/**
 * The FORMAT_CATALOG_MISMATCH item (of sys.sysrowsets, with the table) of a table whose partitions
 * in sys.sysrowsets leave a number out below the highest: a table's partitions are numbered 1..N
 * (Microsoft Learn "sys.partitions (Transact-SQL)": partition_number is "1-based … within the owning
 * index or heap", every table has at least one; "$PARTITION (Transact-SQL)" returns 1..N for a
 * partition function's N partitions), each a rowset, so a missing number is a
 * rowset record lost to damage (a sysrowsets page without a checksum, or another database's), and
 * the rows of that partition are on pages nothing names: said, where the table's other partitions
 * were printed as the whole table (each partition's row count checked against its own rowset only).
 */
function partitionGapItem(g: PartitionGap): SkippedItem {
  const missing = `${g.absent.slice(0, 10).join(', ')}${g.absent.length > 10 ? ' …' : ''}`;
  return {
    code: 'FORMAT_CATALOG_MISMATCH',
    reason: `${g.table} (object id ${g.objectId}): sys.sysrowsets holds its partition(s) ${g.present.join(', ')} but not ${missing}: partition numbers run 1..N, so a rowset record of it is lost (a sysrowsets page damaged or another database's, its checksum may hold) and the rows of partition(s) ${missing} are not printed: read an undamaged copy (a backup)`,
    location: { table: 'sys.sysrowsets' },
  };
}

function tablesWithoutPartitionItem(unlocated: readonly UnlocatedTable[]): SkippedItem | undefined {
  if (unlocated.length === 0) return undefined;
  const named = unlocated.slice(0, 10).map((t) => `${t.table} (object id ${t.objectId}${t.indexId !== undefined ? `, ${t.indexId === 0 ? 'heap' : 'clustered index'} in sys.sysidxstats` : ''})`);
  return {
    code: 'FORMAT_CATALOG_MISMATCH',
    reason: `sys.sysschobjs names ${unlocated.length} user table(s) of which sys.sysrowsets holds no heap or clustered partition: ${named.join(', ')}${unlocated.length > 10 ? ' …' : ''}; their pages cannot be found, so they are not listed and none of their rows is printed: a sysrowsets page is damaged or another database's (its checksum may hold): read an undamaged copy (a backup), unless ${unlocated.length === 1 ? 'it is a memory-optimized table' : 'they are memory-optimized tables'} (SQL Server 2014 and later), whose rows are on no page at all`,
    location: { table: 'sys.sysrowsets' },
  };
}

/**
 * Heap or clustered rowsets (sysrowsets idminor 0 or 1) holding rows (rcrows) of user object ids
 * (100 and up; the system base tables' are below) that no sysschobjs row names, as one skipped item
 * of sys.sysschobjs (a damaged catalog: INCOMPLETE, and a table asked for by name "may be in it,
 * unnamed"), and those of objects it names with a type that holds no rows as another
 * (rowsetsOfObjectsNamedAsNoTable); [] when there are none, as in every data file and backup of the
 * corpus (the caller leaves them out when a sysschobjs page already failed its checks: that item says it). A
 * sysschobjs page of another database (same page id and unit, its checksum intact) named none of
 * pubs.bak's 15 tables: `dump --all` printed "no user table with readable columns", exit 0, 0 rows.
 */
function rowsetsOfUnnamedObjects(st: SystemTables, objects: readonly SysRow[]): SkippedItem[] {
  const named = new Set(objects.map((o) => num(o.id)));
  const holding = st.rowsets.filter((r) => num(r.idminor) <= 1 && num(r.idmajor) >= 100 && num(r.rcrows) > 0);
  const lost = holding.filter((r) => !named.has(num(r.idmajor)));
  const out: SkippedItem[] = [];
  const mistyped = rowsetsOfObjectsNamedAsNoTable(holding, objects);
  if (mistyped) out.push(mistyped);
  if (lost.length === 0) return out;
  const ids = [...new Set(lost.map((r) => num(r.idmajor)))];
  const rows = lost.reduce((n, r) => n + num(r.rcrows), 0);
  out.push({
    code: 'FORMAT_CATALOG_MISMATCH',
    reason: `sys.sysrowsets names ${lost.length} partition(s) holding ${rows} row(s) of ${ids.length} object(s) that sys.sysschobjs does not name (object id(s) ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ' …' : ''}): a sysschobjs page is damaged or another database's (its checksum may hold), so tables of this file are missing from its table list`,
    location: { table: 'sys.sysschobjs' },
  });
  return out;
}

/**
 * Object types whose objects own a heap or clustered rowset holding rows: user tables (U), system
 * tables (S), internal tables (IT: Service Broker queue messages, change tracking, XML index nodes),
 * indexed views (V, clustered only) and, kept conservatively, queues (SQ) and external tables (ET)
 * (Microsoft Learn "sys.objects (Transact-SQL)", type codes).
 */
const TYPES_OWNING_ROWS = new Set(['U', 'S', 'IT', 'V', 'SQ', 'ET']);

/**
 * The item for heap or clustered partitions holding rows (`holding`) of objects sys.sysschobjs names
 * with a type that owns no such rowset (rowsetsOfUnnamedObjects' other half), or undefined. A user
 * table's sysschobjs row with its type changed is left out of the table list as not a table, its
 * rows unsaid: one changed bit of dbo.Customers' type byte ('U' 0x55 to 0x15) on NORTHWND.MDF's
 * sysschobjs page 1:372 (torn-page bits only) made `dump --all --strict` print 12 tables, exit 0,
 * its 91 rows gone; one bit of dbo.Employees' nsclass (0 to 0x40) on that page dropped its 9 rows the
 * same way (buildTables lists type U with nsclass 0 and pclass 1 only). A heap rowset (index id 0) of
 * a view is counted too (an indexed view is clustered).
 */
function rowsetsOfObjectsNamedAsNoTable(holding: ReadonlyArray<SysRow>, objects: readonly SysRow[]): SkippedItem | undefined {
  const typeOf = new Map(objects.map((o) => [num(o.id), (str(o.type) ?? '').trim()]));
  const byId = new Map(objects.map((o) => [num(o.id), o]));
  const odd = holding.filter((r) => {
    const t = typeOf.get(num(r.idmajor));
    if (t === undefined) return false;
    if (!TYPES_OWNING_ROWS.has(t) || (t === 'V' && num(r.idminor) === 0)) return true;
    // a user table buildTables does not list for its nsclass/pclass (a user table's are 0 and 1)
    const o = byId.get(num(r.idmajor));
    return t === 'U' && o !== undefined && (num(o.nsclass) !== 0 || num(o.pclass) !== 1);
  });
  if (odd.length === 0) return undefined;
  const ids = [...new Set(odd.map((r) => num(r.idmajor)))];
  const rows = odd.reduce((n, r) => n + num(r.rcrows), 0);
  const named = ids.slice(0, 10).map((id) => {
    const o = byId.get(id);
    const type = Buffer.from(str(o?.type) ?? '', 'latin1').toString('hex');
    return `${str(o?.name) ?? id} (object id ${id}, type 0x${type}, nsclass ${num(o?.nsclass)}, pclass ${num(o?.pclass)})`;
  });
  return {
    code: 'FORMAT_CATALOG_MISMATCH',
    reason: `sys.sysrowsets names ${odd.length} heap or clustered partition(s) holding ${rows} row(s) of ${ids.length} object(s) that sys.sysschobjs names as no user table (a type that holds no rows, or a user table's nsclass/pclass other than 0/1): ${named.join(', ')}${ids.length > 10 ? ' …' : ''}: their sysschobjs rows are damaged (a page without a checksum, or another database's), so tables of this file are missing from its table list: read an undamaged copy (a backup)`,
    location: { table: 'sys.sysschobjs' },
  };
}

/** DataFileMetadata.otherAllocUnits: the units of index ids above 1 and of internal tables ('IT'). */
function nonTableAllocUnits(st: SystemTables, objects: readonly SysRow[]): Set<string> {
  const internal = new Set<number>();
  for (const o of objects) if ((str(o.type) ?? '').trim() === 'IT') internal.add(num(o.id));
  const rowsets = new Set<string>();
  for (const r of st.rowsets) if (num(r.idminor) > 1 || internal.has(num(r.idmajor))) rowsets.add(big(r.rowsetid));
  const out = new Set<string>();
  for (const a of st.allocUnits) if (rowsets.has(a.ownerid)) out.add(a.auid);
  return out;
}

/**
 * DataFileMetadata.indexAllocUnits: for each table of `tables`, the allocation units of its rowsets
 * of index id above 1 (sys.sysrowsets idmajor = its object id; sys.sysallocunits ownerid = the
 * rowset), named by sys.sysidxstats (id, indid). Source: the base tables behind sys.partitions,
 * sys.allocation_units and sys.indexes (OrcaMDF's reading of them; Microsoft Learn,
 * "sys.allocation_units": container_id is the partition's hobt_id for in-row and row-overflow
 * units, its partition_id for LOB units — both the rowset id here). Pure.
 */
function indexAllocUnitsOf(st: SystemTables, tables: readonly DataFileTable[], indexes: readonly SysRow[]): IndexAllocUnit[] {
  const byObject = new Map<number, TableLayout>();
  for (const t of tables) if (t.layout.objectId !== undefined) byObject.set(t.layout.objectId, t.layout);
  if (byObject.size === 0) return [];
  const names = new Map<string, string | null>();
  for (const i of indexes) names.set(`${num(i.id)}:${num(i.indid)}`, str(i.name));
  const ausByOwner = groupBy(st.allocUnits, (a) => a.ownerid);
  const out: IndexAllocUnit[] = [];
  for (const r of st.rowsets) {
    const indexId = num(r.idminor);
    const table = indexId > 1 ? byObject.get(num(r.idmajor)) : undefined;
    if (!table) continue;
    const indexName = names.get(`${table.objectId}:${indexId}`) ?? null;
    for (const a of (ausByOwner.get(big(r.rowsetid)) ?? []).sort((x, y) => x.type - y.type)) {
      const { allocUnitId, type } = auRef(a);
      out.push({ schema: table.schema, name: table.name, objectId: table.objectId!, indexId, indexName, allocUnitId, type });
    }
  }
  return out;
}

function buildTables(st: SystemTables, warnings: string[], systemSkipped: SkippedItem[] = [], objects: readonly SysRow[] = st.read(SystemObjectId.sysschobjs, SYSSCHOBJS, 'sysschobjs'), unlocated: UnlocatedTable[] = [], partitionGaps: PartitionGap[] = [], unnamedSchemas: Array<{ table: string; objectId: number }> = [], shipped: ShippedTable[] = [], nameless: Array<{ table: string; objectId: number }> = [], indexes: readonly SysRow[] = st.read(SystemObjectId.sysidxstats, SYSIDXSTATS, 'sysidxstats')): DataFileTable[] {
  const classes = st.read(SystemObjectId.sysclsobjs, SYSCLSOBJS, 'sysclsobjs');
  const colpars = st.read(SystemObjectId.syscolpars, SYSCOLPARS, 'syscolpars');

  const schemas = new Map<number, string>([[1, 'dbo'], [2, 'guest'], [3, 'INFORMATION_SCHEMA'], [4, 'sys']]);
  for (const c of classes) if (num(c.class) === 50) schemas.set(num(c.id), str(c.name) ?? `schema_${num(c.id)}`);

  const colsByObject = groupBy(colpars.filter((c) => num(c.number) === 0), (c) => num(c.id));
  const rscolsByRowset = groupBy(st.rscols, (c) => c.rsid);
  const ausByOwner = groupBy(st.allocUnits, (a) => a.ownerid);

  const out: DataFileTable[] = [];
  for (const o of objects) {
    const type = (str(o.type) ?? '').trim();
    if (type !== 'U' || num(o.nsclass) !== 0 || num(o.pclass) !== 1) continue;
    const objectId = num(o.id);
    if (num(o.status) & SCHOBJ_MS_SHIPPED) {
      // SQL Server's own table, or a user table one bit of whose status changed (NORTHWND.MDF's
      // dbo.Customers with status bit 0x1 set on page 1:372 was left out, 91 rows, exit 0): named
      // when it holds rows (DataFileMetadata.shippedTables)
      const rows = st.rowsets.filter((r) => num(r.idmajor) === objectId && num(r.idminor) <= 1).reduce((n, r) => n + num(r.rcrows), 0);
      if (rows > 0) {
        // stagedTableName, as every table of the metadata is named (details' keys): a plain
        // `${schema}.${name}` of a name starting with `[` (`dbo.[Custome]` of [[Custome]]]) read as
        // another table (dbo.Custome) where a message names it (util/tsql.ts tableNameText)
        const table = stagedTableName({ schema: schemas.get(num(o.nsid)) ?? `schema_${num(o.nsid)}`, name: str(o.name) || `object_${objectId}` });
        shipped.push({ table, objectId, rows });
        // inspect prints the metadata's warnings
        warnings.push(`${table} (object id ${objectId}, ${rows} row(s)) is marked as SQL Server's own (is_ms_shipped: replication, change data capture) and not listed; if it is a table of yours, that bit of its sysschobjs row is damaged`);
      }
      continue;
    }
    const known = schemas.get(num(o.nsid));
    const schema = known ?? `schema_${num(o.nsid)}`;
    // a table's name is its identifier, required, of 1 to 128 characters (Microsoft Learn, "Database
    // identifiers"): none, or an empty one, is a damaged record (one bit of dbo.Customers' record status on NORTHWND.MDF's page
    // 1:372, 0x30 -> 0x10, took its variable columns away: its 91 rows printed as table "dbo.", exit 0)
    const own = str(o.name);
    const name = own ? own : `object_${objectId}`;
    // stagedTableName, as shipped's above: these names reach messages and skipped items' tables
    const qualified = stagedTableName({ schema, name });
    if (!own) nameless.push({ table: qualified, objectId });
    if (known === undefined) unnamedSchemas.push({ table: qualified, objectId });
    const base = indexes.find((i) => num(i.id) === objectId && (num(i.indid) === 0 || num(i.indid) === 1));
    const rowsetsOfBase = st.rowsets
      .filter((r) => num(r.idmajor) === objectId && (base ? num(r.idminor) === num(base.indid) : num(r.idminor) <= 1))
      .sort((a, b) => num(a.numpart) - num(b.numpart));
    if (rowsetsOfBase.length === 0) {
      warnings.push(`${qualified}: no partition in sysrowsets; table skipped`);
      unlocated.push({ table: qualified, objectId, indexId: base ? num(base.indid) : undefined });
      continue;
    }
    // partition numbers run 1..N, every partition a rowset (partitionGapItem): one missing below the
    // highest is a lost rowset
    const numbers = new Set(rowsetsOfBase.map((r) => num(r.numpart)));
    const highest = maxOf(numbers);
    const absent: number[] = [];
    for (let n = 1; n <= highest && absent.length <= 10; n++) if (!numbers.has(n)) absent.push(n);
    if (absent.length) partitionGaps.push({ table: qualified, objectId, present: [...numbers].sort((a, b) => a - b), absent });
    const indexId = base ? num(base.indid) : num(rowsetsOfBase[0].idminor);
    const tableCols = colsByObject.get(objectId) ?? [];
    const partitions: PartitionInfo[] = [];
    for (const rs of rowsetsOfBase) {
      const partitionId = big(rs.rowsetid);
      const compression = compressionOf(num(rs.cmprlevel));
      const tableWarnings: string[] = [];
      const columns = physicalColumns(rscolsByRowset.get(partitionId) ?? [], tableCols, qualified, warnings, tableWarnings);
      const unreadable = [columnsUnreadable(columns, tableCols, partitionId, systemSkipped), vardecimalRefusal(columns, compression)].filter(Boolean).join('; ') || undefined;
      const aus = (ausByOwner.get(partitionId) ?? []).sort((a, b) => a.type - b.type).map(auRef);
      const layout: TableLayout = {
        schema,
        name,
        objectId,
        indexId,
        partitionId,
        partitionNumber: num(rs.numpart),
        compression,
        columns,
        allocUnits: aus.map(({ allocUnitId, type }) => ({ allocUnitId, type })),
        modifyDate: str(o.modified) ?? undefined,
        ...(unreadable ? { unreadable } : {}),
        ...(tableWarnings.length ? { warnings: tableWarnings } : {}),
      };
      addInPlaceRetypeWarnings(layout);
      if (unreadable) warnings.push(`${qualified}: ${unreadable}`);
      partitions.push({ partitionId, partitionNumber: num(rs.numpart), compression, rows: num(rs.rcrows), allocUnits: aus, layout });
    }
    const first = partitions[0].layout;
    const layout: TableLayout = { ...first, allocUnits: partitions.flatMap((p) => p.layout.allocUnits ?? []) };
    out.push({ layout, partitions, rowCount: partitions.reduce((n, p) => n + p.rows, 0) });
  }
  out.sort((a, b) => `${a.layout.schema}.${a.layout.name}`.localeCompare(`${b.layout.schema}.${b.layout.name}`));
  // each table's foreign keys (the referencing side) on its layouts, [] for a table that declares
  // none (read, none: a re-insert without a target says the source's catalog links none of its
  // tables, where it said the foreign keys were unknown); a catalog without syssingleobjrefs in
  // sysrscols (none seen) leaves them absent: not read
  if (st.layoutOf(SystemObjectId.syssingleobjrefs, SYSSINGLEOBJREFS, 'syssingleobjrefs')) {
    const refs = st.read(SystemObjectId.syssingleobjrefs, SYSSINGLEOBJREFS, 'syssingleobjrefs');
    const fk = foreignKeysOf(objects, refs, colpars, (id) => schemas.get(id) ?? `schema_${id}`);
    appendAll(warnings, fk.warnings);
    for (const t of out) {
      const own = fk.foreignKeys.filter((k) => k.schema === t.layout.schema && k.table === t.layout.name).map(({ schema: _s, table: _t, ...k }) => k);
      t.layout.foreignKeys = own;
      for (const p of t.partitions) p.layout.foreignKeys = own;
    }
  }
  return out;
}

function auRef(a: AllocUnitRow): PartitionInfo['allocUnits'][number] {
  const type = a.type === 2 ? 'LOB_DATA' : a.type === 3 ? 'ROW_OVERFLOW_DATA' : 'IN_ROW_DATA';
  return { allocUnitId: a.auid, type, firstPage: a.pgfirst, rootPage: a.pgroot, firstIam: a.pgfirstiam, usedPages: a.pcused, dataPages: a.pcdata };
}

function compressionOf(level: number): Compression {
  return level === 1 ? 'ROW' : level === 2 ? 'PAGE' : level === 3 || level === 4 ? 'COLUMNSTORE' : 'NONE';
}

/**
 * Why a partition's columns cannot be trusted, or undefined when they can: no physical column at
 * all, a physical column with no catalog column (its name and type unknown), or a stored catalog
 * column with no physical column. A join that fails this way means system-table rows are missing
 * (pages of sysrscols/syscolpars absent from a backup, or damaged); the reason names those pages.
 */
function columnsUnreadable(columns: ColumnLayout[], tableCols: SysRow[], partitionId: string, systemSkipped: SkippedItem[]): string | undefined {
  const problems: string[] = [];
  if (columns.length === 0) problems.push(`partition ${partitionId} has no physical column rows (sysrscols)`);
  else {
    const unnamed = columns.filter((c) => !c.isDropped && !c.isUniquifier && /^column_\d+$/.test(c.name) && !tableCols.some((t) => num(t.colid) === c.columnId));
    if (unnamed.length) problems.push(`physical column(s) ${unnamed.map((c) => c.partitionColumnId).join(', ')} have no column row (syscolpars): names and types unknown`);
    const stored = new Set(columns.filter((c) => !c.isDropped && !c.isUniquifier).map((c) => c.columnId));
    const missing = tableCols.filter((t) => !(num(t.status) & COLPAR_COMPUTED) && !stored.has(num(t.colid)));
    if (missing.length) problems.push(`column(s) ${missing.map((t) => str(t.name) ?? num(t.colid)).join(', ')} have no physical column row (sysrscols)`);
  }
  if (problems.length === 0) return undefined;
  const pages = systemSkipped.filter((s) => s.location.page && /sys(rscols|hobtcolumns|rowsetcolumns|colpars|rowsets|allocunits|schobjs)/.test(s.location.table ?? '')).map((s) => `${s.location.page} (${s.location.table})`);
  return `${problems.join('; ')}${pages.length ? `; system-table pages missing or damaged: ${[...new Set(pages)].join(', ')}` : ''}`;
}

/**
 * The vardecimal storage format (table option 'vardecimal storage format', SQL Server 2005 SP2+; Paul
 * Randal, "SQL Server 2005 SP2: vardecimal storage format"; sp_tableoption documentation) stores
 * decimal/numeric values of an uncompressed partition in the record's *variable* part, in a packed
 * form (sign/exponent byte and groups of base-1000 digits) that the decimal decoder does not read:
 * the data-file metadata shows it as a decimal/numeric physical column with a variable leaf offset
 * (< 0), which an ordinary decimal never has. No corpus table uses it, so such a partition is refused
 * (the reason names the columns) rather than decoded wrongly. Returns the reason, or undefined.
 * (ROW/PAGE-compressed partitions store every decimal in CD form, decoded by the CD reader.)
 */
export function vardecimalRefusal(columns: ColumnLayout[], compression: Compression): string | undefined {
  if (compression !== 'NONE') return undefined;
  const vardec = columns.filter((c) => (c.type === 'decimal' || c.type === 'numeric') && c.leafOffset < 0 && !c.isDropped);
  if (vardec.length === 0) return undefined;
  return `column(s) ${vardec.map((c) => c.name).join(', ')} are decimal/numeric stored in the variable part of the record (vardecimal storage format), which rowback does not decode`;
}

/** The partition's physical columns (sysrscols) joined to the table's columns (syscolpars) by column id. */
/**
 * The table's physical columns, in partition column order. File-wide problems go to `warnings`
 * (inspect); those every decoded row must carry (a varchar column whose collation id has no
 * known name, a column of an unknown system type read as varbinary, a physical column that does
 * not match its sys.columns row and is left unnamed) also to `tableWarnings`. Exported for tests.
 */
export function physicalColumns(rscols: RsColRow[], tableCols: SysRow[], table: string, warnings: string[], tableWarnings?: string[]): ColumnLayout[] {
  const byColId = new Map<number, SysRow>();
  for (const c of tableCols) byColId.set(num(c.colid), c);
  let dropped = 0;
  return [...rscols]
    .sort((a, b) => a.rscolid - b.rscolid)
    .map((rc) => {
      const ti = parseTi(rc.ti);
      const isDropped = (rc.status & RSCOL_DROPPED) !== 0;
      const isUniquifier = (rc.status & RSCOL_UNIQUIFIER) !== 0;
      // partition_column_id = column_id, the join sys.system_internals_partition_columns users make
      // (sql/table-metadata.sql does too). sysrscols.cid holds the column's collation id, not a column id.
      let cp = isDropped || isUniquifier ? undefined : byColId.get(rc.rscolid);
      if (cp && num(cp.xtype) !== ti.typeId) {
        const said = `${table}: physical column ${rc.rscolid} (type ${ti.typeId}) does not match column ${str(cp.name)} (type ${num(cp.xtype)}); left unnamed`;
        warnings.push(said);
        // every row says it too (scan and dump print no metadata warnings): the column is printed as column_<id>
        tableWarnings?.push(`${said} (printed as column_${rc.rscolid}, decoded by its physical type)`);
        cp = undefined;
      }
      const typeId = cp ? num(cp.xtype) : ti.typeId;
      let type: SqlTypeName | undefined = typeId === 240 ? CLR_TYPES[cp ? num(cp.utype) : 0] : SYSTEM_TYPES[typeId];
      if (!type) {
        const said = `${table}: column ${cp ? str(cp.name) : rc.rscolid} has unknown system type id ${typeId}; read as varbinary`;
        warnings.push(said);
        // every row says it too: its values print as 0x… hex, not as the type they are
        tableWarnings?.push(`${said} (its values are shown as hex bytes, not as their type)`);
        type = 'varbinary';
      }
      const status = cp ? num(cp.status) : 0;
      const collationId = cp ? num(cp.collationid) : rc.cid;
      let collation: string | null = null;
      if (CHAR_TYPES.has(type)) {
        collation = collationNameForId(collationId);
        if (!collation && collationId) {
          const said = `${table}: column ${cp ? str(cp.name) : rc.rscolid} has collation id ${collationId}, not in the known list; its varchar data is read as code page 1252`;
          warnings.push(said);
        }
        // said with every row (dump and scan print no metadata warnings): text of another code page
        // (a 2019 _UTF8 collation's UTF-8) would otherwise come out as 1252 characters without a word
        if (CODEPAGE_TYPES.has(type) && !isDropped && codePageForCollation(collation) === null) {
          const name = cp ? str(cp.name) : `column_${rc.rscolid}`;
          const what = collation ? `collation ${collation}, whose code page rowback does not know` : `a collation id rowback does not know (${collationId})`;
          tableWarnings?.push(`${table}: column ${name} has ${what}: its ${type} text is read as code page 1252 (Western European); other scripts would show wrong characters`);
        }
      }
      // A stored column with no syscolpars row and an internal id (high byte set, e.g. change tracking's
      // in-row bigint, rscolid 0x08000002; rusanu.com "SQL Server table columns under the hood") is a hidden
      // internal column: never output. Other unmatched ids keep the old behaviour (shown as column_<id>).
      const isHidden = !isDropped && !isUniquifier && !byColId.has(rc.rscolid) && rc.rscolid >= 0x01000000;
      if (isHidden) warnings.push(`${table}: hidden internal column $hidden_${rc.rscolid} (physical column 0x${rc.rscolid.toString(16)}, no sys.columns row; e.g. change tracking's) is stored in the row but not output`);
      const name = isUniquifier ? 'UNIQUIFIER' : isDropped ? `$dropped_${++dropped}` : isHidden ? `$hidden_${rc.rscolid}` : (str(cp?.name) ?? `column_${rc.rscolid}`);
      const maxLength = cp ? num(cp.length) : ti.maxLen === 0 ? -1 : ti.maxLen;
      const col: ColumnLayout = {
        name,
        columnId: isDropped || isUniquifier ? 0 : cp ? num(cp.colid) : rc.rscolid,
        partitionColumnId: rc.rscolid,
        type: isUniquifier ? 'int' : type,
        maxLength: isUniquifier ? 4 : maxLength,
        precision: cp ? num(cp.prec) : tiPrecision(type, ti),
        scale: cp ? num(cp.scale) : tiScale(type, ti),
        collation,
        codePage: CODEPAGE_TYPES.has(type) ? codePageForCollation(collation) : null,
        nullable: cp ? (status & COLPAR_NOT_NULL) === 0 : (rc.status & RSCOL_NOT_NULLABLE) === 0,
        identity: (status & COLPAR_IDENTITY) !== 0,
        computed: (status & COLPAR_COMPUTED) !== 0,
        leafOffset: (rc.offset << 16) >> 16,
        leafNullBit: rc.nullbit & 0xffff,
        leafBitPosition: rc.bitpos & 0xff,
        isDropped,
        isSparse: (rc.status & RSCOL_SPARSE) !== 0 || (status & COLPAR_SPARSE) !== 0,
        isUniquifier,
        keyOrdinal: rc.ordkey,
      };
      if (isHidden) col.isHidden = true;
      if (col.computed) col.persisted = true; // a computed column with a sysrscols row is stored
      if (status & COLPAR_ROWGUIDCOL) col.isRowGuidCol = true;
      if (status & COLPAR_COLUMN_SET) col.isColumnSet = true;
      if (status & COLPAR_FILESTREAM) col.isFilestream = true;
      if ((status & COLPAR_GENERATED_ALWAYS) !== 0) col.generatedAlways = true;
      return col;
    });
}

/**
 * Precision and scale of a column with no syscolpars row (a dropped one) from sysrscols.ti:
 * decimal/numeric carry precision in bits 8–15 and scale in bits 16–23; time, datetime2 and
 * datetimeoffset their scale in bits 8–15 (improve.dk "Exploring the
 * sys.system_internals_partition_columns.ti field"; OrcaMDF SysrscolTIParser). They decide the
 * column's fixed slot length (a dropped DECIMAL(18,4) is 9 bytes, not the 5 of precision 0), which
 * the fixed-part check (record/fixedvar.ts) measures records against.
 */
function tiPrecision(type: SqlTypeName, ti: { b1: number }): number {
  return type === 'decimal' || type === 'numeric' ? ti.b1 : 0;
}

function tiScale(type: SqlTypeName, ti: { b1: number; b2: number }): number {
  if (type === 'decimal' || type === 'numeric') return ti.b2;
  return type === 'time' || type === 'datetime2' || type === 'datetimeoffset' ? ti.b1 : 0;
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const l = m.get(k);
    if (l) l.push(it);
    else m.set(k, [it]);
  }
  return m;
}

