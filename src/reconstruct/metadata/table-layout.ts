/**
 * A table's *physical* layout: what the row decoder needs to read one record of one
 * partition. Built from three sources that must agree on this shape:
 *  - catalog JSON (rows of `sql/table-metadata.sql`, see catalog-row.ts) — exact, knows dropped columns;
 *  - a CREATE TABLE script (ddl.ts) — the layout SQL Server gives a freshly created table;
 *  - the system base tables of a data file or full backup (src/datafile).
 *
 * Field meanings follow sys.system_internals_partition_columns.
 */

/** SQL Server type names, lower case, as sys.types names them (alias types resolved to their base). */
export type SqlTypeName =
  | 'bit' | 'tinyint' | 'smallint' | 'int' | 'bigint'
  | 'real' | 'float'
  | 'decimal' | 'numeric' | 'money' | 'smallmoney'
  | 'date' | 'time' | 'datetime' | 'smalldatetime' | 'datetime2' | 'datetimeoffset'
  | 'char' | 'varchar' | 'text'
  | 'nchar' | 'nvarchar' | 'ntext'
  | 'binary' | 'varbinary' | 'image'
  | 'timestamp' | 'uniqueidentifier' | 'sql_variant' | 'xml'
  | 'hierarchyid' | 'geography' | 'geometry' | 'sysname';

export type Compression = 'NONE' | 'ROW' | 'PAGE' | 'COLUMNSTORE';

export interface ColumnLayout {
  /** Column name; for the hidden uniquifier `UNIQUIFIER`, for a dropped column `$dropped_<n>`. */
  name: string;
  /** sys.columns.column_id; 0 for the uniquifier and for dropped columns. */
  columnId: number;
  /** sys.system_internals_partition_columns.partition_column_id: the physical column number (CD records use this order). */
  partitionColumnId: number;
  type: SqlTypeName;
  /** Bytes, as sys.columns.max_length: -1 for (max) types, 16 for text/ntext/image pointers. */
  maxLength: number;
  precision: number;
  scale: number;
  collation: string | null;
  /** Code page of char/varchar/text data (from the collation); 65001 for _UTF8 collations; null for non-character types. */
  codePage: number | null;
  nullable: boolean;
  identity: boolean;
  computed: boolean;
  /** True for a persisted computed column (stored in the row) — non-persisted ones have no leaf slot. */
  persisted?: boolean;
  /**
   * GENERATED ALWAYS (sys.columns.generated_always_type ≠ 0: a temporal table's AS ROW START / END,
   * a ledger table's generated columns): stored in the row, set by the server; an INSERT naming it is
   * refused (Msg 13536). From --ddl, or a catalog row's generated_always_type when it has one.
   */
  generatedAlways?: boolean;
  /** `leaf_offset`: > 0 byte offset of a fixed column in the record; < 0 the negated 1-based variable-column index. */
  leafOffset: number;
  /** `leaf_null_bit`: 1-based bit in the null bitmap (0 = none). */
  leafNullBit: number;
  /** `leaf_bit_position`: bit number 0..7 inside the shared byte, for bit columns. */
  leafBitPosition: number;
  isDropped: boolean;
  isSparse: boolean;
  isUniquifier: boolean;
  /** The XML column set of a table with sparse columns: not stored, computed from the sparse vector. */
  isColumnSet?: boolean;
  /**
   * A hidden internal column: stored in the row but with no sys.columns row (no name, no column_id),
   * e.g. the in-row bigint change tracking adds (partition_column_id 0x08000002; rusanu.com "SQL Server
   * table columns under the hood", 2011). Never output; named `$hidden_<partition_column_id>`.
   */
  isHidden?: boolean;
  isRowGuidCol?: boolean;
  /**
   * A FILESTREAM varbinary(max) column (sys.columns.is_filestream; syscolpars.status 0x20; `FILESTREAM`
   * in a script): the row holds a 48-byte pointer to a file in the database's FILESTREAM container
   * (Microsoft Press, "SQL Server 2012 Internals", Special Storage: "rooted in the database as a 48-byte
   * file pointer value in the column"), never the value, so a row whose column is not NULL is printed
   * with a marker there (decode-row.ts, values.ts FilestreamOffRow).
   */
  isFilestream?: boolean;
  /**
   * A varbinary(max) column that may be a FILESTREAM one, the metadata not saying: a catalog (JSON,
   * or an export file's) without `is_filestream` (exported before rowback's catalog scripts asked
   * for it) whose table has a ROWGUIDCOL uniqueidentifier column, as every table with a FILESTREAM
   * column must (Microsoft Learn, "Create a table for storing FILESTREAM data"). A value there may be
   * the pointer's bytes, not the document: the row carries a warning saying so (decode-row.ts).
   */
  filestreamUnknown?: boolean;
  /** Default for rows written before the column was added (ALTER TABLE ADD … NOT NULL DEFAULT), already in output form. */
  defaultValue?: import('../values.js').SqlValue;
  /**
   * A nullable column added `DEFAULT x WITH VALUES` (a `--ddl` script), x in output form: the rows in
   * the table then took x. A record without the column is read as NULL (it may have been deleted
   * before the column existed), and its warning says that x is its value if it still existed then.
   */
  addedWithValues?: import('../values.js').SqlValue;
  /**
   * A column added `NOT NULL DEFAULT <expression>` or `NULL DEFAULT <expression> WITH VALUES` (a
   * `--ddl` script) whose default is not a literal (getdate(), newid(), NEXT VALUE FOR s): the clause
   * as written, e.g. `NOT NULL DEFAULT (getdate())`. The rows then in the table took the expression's
   * value at the time of the ADD, which the script does not record: a record without the column reads
   * NULL and its warning says so.
   */
  addedWithExpression?: string;
  /**
   * A `--ddl` column's DEFAULT where the script does not add the column later (declared in CREATE
   * TABLE, or `ADD CONSTRAINT … DEFAULT x FOR c` as SSMS scripts it): the clause, e.g. `DEFAULT ((5))`.
   * It is the default now, not necessarily the one the column was added with; a NOT NULL column's
   * record that predates the column names it in its warning.
   */
  declaredDefault?: string;
  /** Key ordinal in the clustered index (1-based), 0 when not a key column. */
  keyOrdinal?: number;
}

export interface AllocUnitRef {
  /** bigint as decimal string: the AllocUnitId that fn_dblog prints. */
  allocUnitId: string;
  type: 'IN_ROW_DATA' | 'LOB_DATA' | 'ROW_OVERFLOW_DATA';
}

/**
 * A FOREIGN KEY constraint as the source database's catalog declares it (sys.foreign_keys with
 * sys.foreign_key_columns): the constraint's name, the referencing table's columns and the referenced
 * table (`schema`, `name`) and its columns, pairs in constraint column order. Read from a data file's
 * or backup's system base tables (src/datafile/foreign-keys.ts); the source's, not a target's.
 */
export interface SourceForeignKey {
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
}

export interface TableLayout {
  schema: string;
  name: string;
  objectId?: number;
  /** 0 heap, 1 clustered. */
  indexId: number;
  partitionId?: string;
  partitionNumber?: number;
  compression: Compression;
  /** Every physical column of the partition, dropped and hidden ones included, in partition_column_id order. */
  columns: ColumnLayout[];
  allocUnits?: AllocUnitRef[];
  /** sys.objects.modify_date as ISO text, for schema-drift checks. */
  modifyDate?: string;
  /** sys.objects.create_date as ISO text (catalog JSON's create_date), when the catalog gives it: a modifyDate equal to it means never altered since created. */
  createDate?: string;
  /**
   * Set when the table's columns could not be established (system-table pages missing or damaged,
   * catalog rows that do not join): no row of it is decoded, each fails with DECODE_NO_COLUMNS
   * carrying this reason, so no row is ever printed with empty or partial values.
   */
  unreadable?: string;
  /** Facts about the layout a reader of its rows should know (e.g. a hidden column skipped); decodeRow adds them to every row's warnings. */
  warnings?: string[];
  /**
   * The foreign keys this table declares (it is the referencing side) in the source's catalog, read
   * from a data file or backup (src/datafile/foreign-keys.ts); `[]` when that catalog was read and
   * the table declares none; absent when not read (catalog JSON, DDL, a catalog without
   * syssingleobjrefs). Not used to decode: a re-insert without a target orders its tables by them.
   */
  foreignKeys?: SourceForeignKey[];
}

export function qualifiedName(t: Pick<TableLayout, 'schema' | 'name'>): string {
  return `${t.schema}.${t.name}`;
}

/** Columns a user sees in output: not dropped, not the uniquifier, not a column set, not hidden. */
export function visibleColumns(t: TableLayout): ColumnLayout[] {
  return t.columns.filter(isVisibleColumn);
}

/** True for a column a user sees in output (see visibleColumns). */
export function isVisibleColumn(c: ColumnLayout): boolean {
  return !c.isDropped && !c.isUniquifier && !c.isColumnSet && !c.isHidden;
}

/**
 * Where a layout puts its stored columns in a record (id, type, size, dropped or not, leaf offset,
 * null bit, bit position), as one comparable string: two partitions or layouts with the same
 * physical slots read a record's bytes alike (their compression aside).
 */
export function physicalSlots(t: TableLayout): string {
  return JSON.stringify(t.columns.map((c) => [c.partitionColumnId, c.type, c.maxLength, c.isDropped ?? false, c.leafOffset, c.leafNullBit, c.leafBitPosition ?? null]));
}
