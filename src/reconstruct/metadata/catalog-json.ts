import { readTextFile } from '../../util/files.js';
import { stagedTableName } from '../../util/tsql.js';
import { z } from 'zod';
import { InputError, SchemaError } from '../../errors.js';
import { codePageForCollation } from '../collation.js';
import { CatalogJsonSchema, CatalogRowSchema, type CatalogRow } from './catalog-row.js';
import { defaultTextGivesValue, defaultValueFromText } from './default-value.js';
import { addInPlaceRetypeWarnings, addUnknownCollationWarnings, normaliseTypeName, usesCodePage } from './layout-rules.js';
import type { AllocUnitRef, ColumnLayout, Compression, SqlTypeName, TableLayout } from './table-layout.js';

/**
 * Catalog JSON → TableLayout[]: the exact path. The rows are what `sql/table-metadata.sql` returns
 * (sys.system_internals_partition_columns joined to sys.columns/sys.types), so leaf_offset,
 * leaf_null_bit and leaf_bit_position come straight from SQL Server, dropped columns and the
 * uniquifier included. One TableLayout per table partition.
 */

export interface CatalogOptions {
  /** Named in error locations. */
  file?: string;
}

/**
 * The database a catalog JSON's rows are of: sql/table-metadata.sql's `database_name` (DB_NAME()),
 * `database_guid` and `family_guid` (sys.database_recovery_status), the same on every row.
 * `database_guid` is the database's binding id, the GUID on page 0 of its data and log files and
 * RESTORE HEADERONLY's BindingID of its backups (Microsoft: BindingID "corresponds to
 * sys.database_recovery_status database_guid"); RESTORE as a new database gives it a new one and
 * keeps `family_guid` (sys.database_recovery_status docs; SMO BackupSet.FamilyGuid "remains the same
 * when the database is restored, even to a different name"). GUIDs are upper-case text.
 */
export interface CatalogIdentity {
  databaseName: string | null;
  /** null: the query's user could not see the database's sys.database_recovery_status row. */
  databaseGuid: string | null;
  familyGuid: string | null;
}

/** A catalog JSON read: its layouts, and its database (null for catalogs without the identity columns, written before them). */
export interface Catalog {
  layouts: TableLayout[];
  identity: CatalogIdentity | null;
}

/** Catalog JSON → TableLayout[] (see `catalogFromJson`, which also gives the catalog's database). */
export function layoutsFromCatalog(json: unknown, opts: CatalogOptions = {}): TableLayout[] {
  return catalogFromJson(json, opts).layouts;
}

/**
 * Catalog JSON → its layouts and its database (`CatalogIdentity`, null when no row names one).
 * Throws SchemaError SCHEMA_BAD_CATALOG for rows that do not parse, rows of two catalogs joined
 * (one table name as two tables, or rows naming two databases), bad column rows.
 */
export function catalogFromJson(json: unknown, opts: CatalogOptions = {}): Catalog {
  const parsed = CatalogJsonSchema.safeParse(json);
  if (!parsed.success) throw catalogError(parsed.error, json, opts.file);
  const rows = parsed.data;
  const identity = identityOfRows(rows, opts.file);
  const groups = new Map<string, { first: CatalogRow; rows: { row: CatalogRow; index: number }[] }>();
  rows.forEach((row, index) => {
    const k = [row.schema_name, row.table_name, row.index_id, row.partition_id ?? '', row.partition_number ?? 1].join('\u0000');
    const g = groups.get(k);
    if (g) g.rows.push({ row, index });
    else groups.set(k, { first: row, rows: [{ row, index }] });
  });
  refuseJoinedCatalogs([...groups.values()].map((g) => g.rows[0]!), opts.file);
  return { layouts: [...groups.values()].map((g) => tableFromRows(g.first, g.rows, opts.file)), identity };
}

/**
 * The one database every row names, or null when no row carries database_name/database_guid (a
 * catalog of before these columns). Rows naming two databases (or some naming one and some none)
 * are the rows of two catalogs joined: SchemaError SCHEMA_BAD_CATALOG naming both rows.
 */
function identityOfRows(rows: CatalogRow[], file: string | undefined): CatalogIdentity | null {
  const has = (r: CatalogRow) => r.database_name !== undefined || r.database_guid !== undefined;
  if (!rows.some(has)) return null;
  const key = (r: CatalogRow) => `${r.database_name ?? ''}\u0000${r.database_guid ?? ''}`;
  const what = (r: CatalogRow) => (has(r) ? `database ${r.database_name ?? '(no name)'} (database_guid ${r.database_guid ?? 'NULL'})` : 'no database (no database_name/database_guid)');
  const first = rows[0]!;
  const other = rows.findIndex((r) => key(r) !== key(first));
  if (other >= 0) {
    throw new SchemaError(
      'SCHEMA_BAD_CATALOG',
      `catalog rows 0 and ${other} name two databases (${what(first)} and ${what(rows[other]!)}): these are the rows of two catalogs joined (sql/table-metadata.sql run in two databases, or an older catalog appended to a newer one), whose allocation units would be read as one database's; give the rows of the log's database alone`,
      { file },
    );
  }
  return { databaseName: first.database_name ?? null, databaseGuid: first.database_guid ?? null, familyGuid: first.family_guid ?? null };
}

/**
 * One table name given as two different tables: two object_ids, or one partition number on two
 * partition_ids. A database never holds two tables of one schema.name, so these are the rows of two
 * runs of sql/table-metadata.sql joined (production's and a test server's, one saved result appended
 * to another). Both were taken as partitions of one table, each layout read on its own allocation
 * unit, and a unit id of the other database is this log's unit of another table: AngularJs_CRUD's
 * dbo.tblDept rows printed as dbo.Employee, no warning (breaker). Throws SchemaError
 * SCHEMA_BAD_CATALOG naming the table, the two ids and the first row of each. `firsts`: the first
 * row of each group (table, index, partition).
 */
function refuseJoinedCatalogs(firsts: { row: CatalogRow; index: number }[], file: string | undefined): void {
  const objectOf = new Map<string, { id: number; index: number }>();
  const partitionOf = new Map<string, { id: string; index: number }>();
  for (const { row, index } of firsts) {
    // by its two parts (stagedTableName): dbo.[Order.Items] and [dbo.Order].Items are two tables of one text
    const table = stagedTableName({ schema: row.schema_name, name: row.table_name });
    const joined = (what: string, a: string, b: string, at: number) =>
      new SchemaError(
        'SCHEMA_BAD_CATALOG',
        `catalog rows ${at} and ${index} give ${table} as two tables (${what} ${a} and ${b}): a database holds one table of a name, so these are the rows of two catalogs joined (sql/table-metadata.sql run in two databases or servers), whose allocation units would be read as one table's; give the rows of the log's database alone`,
        { file, table },
      );
    if (row.object_id !== undefined) {
      const o = objectOf.get(table);
      if (o && o.id !== row.object_id) throw joined('object_id', String(o.id), String(row.object_id), o.index);
      if (!o) objectOf.set(table, { id: row.object_id, index });
    }
    if (row.partition_id !== undefined && row.partition_id !== null) {
      const k = `${table}\u0000${row.index_id}\u0000${row.partition_number ?? 1}`;
      const p = partitionOf.get(k);
      if (p && p.id !== String(row.partition_id)) throw joined(`partition ${row.partition_number ?? 1} on partition_id`, p.id, String(row.partition_id), p.index);
      if (!p) partitionOf.set(k, { id: String(row.partition_id), index });
    }
  }
}

/** Reads and converts a catalog JSON file; unreadable or non-JSON files are InputErrors naming the file. */
export function loadCatalogFile(path: string, flag = ''): TableLayout[] {
  return readCatalogFile(path, flag).layouts;
}

/**
 * Reads a catalog JSON file: its layouts and its database (`catalogFromJson`). Throws InputError
 * INPUT_BAD_JSON for a file that is not JSON (saying so when it looks like a T-SQL script), what
 * readTextFile throws for an unreadable one, SchemaError SCHEMA_BAD_CATALOG for an empty or bad catalog.
 */
export function readCatalogFile(path: string, flag = ''): Catalog {
  // UTF-16 after its BOM (Windows PowerShell 5.1's Out-File and `>`), else UTF-8 with or without one
  const text = readTextFile(path, flag);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // a CREATE TABLE script given as catalog JSON: said as one, with where it goes (it said only "is not JSON")
    const script = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(?:CREATE|ALTER|USE|SET|GO|IF|DROP|EXEC|BEGIN|DECLARE|PRINT)\b/i.test(text);
    const advice = script ? ': it looks like a T-SQL script; give a CREATE TABLE script with --ddl (--schema takes the catalog JSON sql/table-metadata.sql returns)' : '';
    // the file ends inside its JSON: cut short, most often by the client that saved the one value
    // sql/table-metadata-json.sql returns (sqlcmd: 256 characters without -y 0, 1 MB with it: "If
    // display_width is 0, the output is truncated at 1 MB", sqlcmd utility -y); it read as a bare parser message
    const cut = !script && endsInsideJson(text) ? `: the file ends inside its JSON (cut short after ${text.length.toLocaleString('en-US')} characters) — sqlcmd cuts the value sql/table-metadata-json.sql returns at 256 characters without -y 0 and at 1 MB even with it, SSMS a copied cell at 65,535 characters; save a larger catalog with the PowerShell way in docs/live.md (Invoke-Sqlcmd over sql/table-metadata.sql, one row per column), or copy the whole file again` : '';
    throw new InputError('INPUT_BAD_JSON', `${path} is not JSON: ${(e as Error).message}${advice}${cut}`, { file: path });
  }
  // an empty catalog (`[]`, { "rows": [] }) names no table: nothing could be decoded with it
  if ((Array.isArray(json) && json.length === 0) || (typeof json === 'object' && json !== null && !Array.isArray(json) && Array.isArray((json as { rows?: unknown }).rows) && (json as { rows: unknown[] }).rows.length === 0)) {
    throw new SchemaError('SCHEMA_BAD_CATALOG', `${path}: the catalog JSON names no table (no catalog row): give the rows sql/table-metadata.sql returns for the tables to read${flag ? ` with ${flag}` : ''}`, { file: path });
  }
  return catalogFromJson(json, { file: path });
}

/** True when `text` opens a JSON array or object that its end leaves open (brackets outside strings counted). Pure. */
export function endsInsideJson(text: string): boolean {
  let depth = 0;
  let started = false;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      started = true;
    } else if (c === ']' || c === '}') depth--;
  }
  return started && (depth > 0 || inString);
}

const RowsSchema = z.array(CatalogRowSchema);

function catalogError(error: z.ZodError, json: unknown, file: string | undefined): SchemaError {
  // The union's own issue only says "Invalid input"; re-check the branch the input meant
  // (a bare array, or { rows: [...] }) to name the row and the field.
  const rows = Array.isArray(json) ? json : typeof json === 'object' && json !== null && Array.isArray((json as { rows?: unknown }).rows) ? (json as { rows: unknown[] }).rows : undefined;
  const precise = rows !== undefined ? RowsSchema.safeParse(rows) : undefined;
  const issue = (precise && !precise.success ? precise.error : error).issues[0]!;
  const path = [...issue.path];
  if (path[0] === 'rows') path.shift();
  const index = typeof path[0] === 'number' ? path[0] : undefined;
  const field = path.slice(1).join('.');
  if (index === undefined) {
    const what = Array.isArray(json) || (typeof json === 'object' && json !== null && 'rows' in json)
      ? issue.message
      : 'expected an array of catalog rows or { "rows": [...] }';
    return new SchemaError('SCHEMA_BAD_CATALOG', `catalog JSON: ${what}`, { file });
  }
  return new SchemaError('SCHEMA_BAD_CATALOG', `catalog row ${index}: field ${field || '(row)'}: ${issue.message}`, { file });
}

function rowError(index: number, field: string, message: string, file: string | undefined, table?: string): SchemaError {
  return new SchemaError('SCHEMA_BAD_CATALOG', `catalog row ${index}: field ${field}: ${message}`, { file, table });
}

function compressionOf(desc: string, index: number, file: string | undefined): Compression {
  const d = desc.trim().toUpperCase();
  if (d === 'NONE' || d === 'ROW' || d === 'PAGE') return d;
  if (d === 'COLUMNSTORE' || d === 'COLUMNSTORE_ARCHIVE') return 'COLUMNSTORE';
  throw rowError(index, 'data_compression_desc', `unknown compression '${desc}'`, file);
}

function tableFromRows(first: CatalogRow, rows: { row: CatalogRow; index: number }[], file: string | undefined): TableLayout {
  const table = stagedTableName({ schema: first.schema_name, name: first.table_name });
  const seen = new Map<number, number>();
  const columns = rows.map(({ row, index }) => {
    const prev = seen.get(row.partition_column_id);
    if (prev !== undefined) {
      throw rowError(index, 'partition_column_id', `${row.partition_column_id} repeats row ${prev} of ${table}`, file, table);
    }
    seen.set(row.partition_column_id, index);
    return columnFromRow(row, index, file, table);
  });
  columns.sort((a, b) => a.partitionColumnId - b.partitionColumnId);
  const hidden = columns.filter((c) => c.isHidden);
  markFilestreamUnknown(columns, rows.map((r) => r.row));

  const layout: TableLayout = {
    schema: first.schema_name,
    name: first.table_name,
    indexId: first.index_id,
    compression: compressionOf(first.data_compression_desc, rows[0]!.index, file),
    columns,
  };
  if (first.object_id !== undefined) layout.objectId = first.object_id;
  if (first.partition_id !== undefined) layout.partitionId = first.partition_id;
  if (first.partition_number !== undefined) layout.partitionNumber = first.partition_number;
  if (first.modify_date) layout.modifyDate = first.modify_date;
  if (first.create_date) layout.createDate = first.create_date;
  if (hidden.length > 0) {
    layout.warnings = hidden.map((c) =>
      `${table}: hidden internal column ${c.name} (partition_column_id ${c.partitionColumnId} = 0x${c.partitionColumnId.toString(16)}, ${c.type}, no name; e.g. change tracking's) is stored in the row but not output`);
  }
  const allocUnits: AllocUnitRef[] = [];
  if (first.in_row_alloc_unit_id) allocUnits.push({ allocUnitId: first.in_row_alloc_unit_id, type: 'IN_ROW_DATA' });
  if (first.lob_alloc_unit_id) allocUnits.push({ allocUnitId: first.lob_alloc_unit_id, type: 'LOB_DATA' });
  if (first.row_overflow_alloc_unit_id) allocUnits.push({ allocUnitId: first.row_overflow_alloc_unit_id, type: 'ROW_OVERFLOW_DATA' });
  if (allocUnits.length) layout.allocUnits = allocUnits;
  addUnknownCollationWarnings(layout);
  addInPlaceRetypeWarnings(layout);
  return layout;
}

/**
 * A catalog that does not say which columns are FILESTREAM ones (no `is_filestream`: rowback's
 * catalog scripts asked for it from e49f591d on; a catalog JSON or export file made before holds none)
 * read every FILESTREAM column as a plain varbinary(max): the row's pointer to its file printed as
 * the document, with no word, and a re-insert would write those bytes back as the document. Marks
 * the varbinary(max) columns of such a catalog that may be FILESTREAM (ColumnLayout.filestreamUnknown)
 * when the table has a ROWGUIDCOL uniqueidentifier column (or the catalog does not say which is
 * one), which a table with a FILESTREAM column must have (Microsoft Learn, "Create a table for
 * storing FILESTREAM data": "a table that has FILESTREAM columns must have a non-null unique
 * ROWGUIDCOL column"); a table without one has no FILESTREAM column. Mutates `columns`.
 */
function markFilestreamUnknown(columns: ColumnLayout[], rows: readonly CatalogRow[]): void {
  const said = (r: CatalogRow) => r.is_filestream !== undefined && r.is_filestream !== null;
  if (rows.every(said)) return;
  const guid = rows.some((r) => !r.is_dropped && normaliseTypeName(r.type_name) === 'uniqueidentifier' && (r.is_rowguidcol === true || r.is_rowguidcol === undefined || r.is_rowguidcol === null));
  if (!guid) return;
  const unsaid = new Set(rows.filter((r) => !said(r)).map((r) => r.partition_column_id));
  for (const c of columns) {
    if (c.type === 'varbinary' && c.maxLength === -1 && !c.isDropped && !c.isHidden && !c.isFilestream && unsaid.has(c.partitionColumnId)) c.filestreamUnknown = true;
  }
}

/**
 * Lowest partition_column_id of SQL Server's internal physical columns (change tracking's 0x08000002, ALTER
 * COLUMN's dropped copies 0x04000001…; rusanu.com 2011). A nameless live column below it is a catalog error.
 */
const INTERNAL_COLUMN_ID_MIN = 0x01000000;

function columnFromRow(row: CatalogRow, index: number, file: string | undefined, table: string): ColumnLayout {
  const normal = normaliseTypeName(row.type_name);
  if (normal === null) throw rowError(index, 'type_name', `unknown type '${row.type_name}'`, file, table);
  // sysname is nvarchar(128); the catalog's max_length (256) already says so.
  const type = (normal === 'sysname' ? 'nvarchar' : normal) as SqlTypeName;
  let name: string;
  let hidden = false;
  if (row.is_uniqueifier) name = 'UNIQUIFIER';
  else if (row.is_dropped) name = `$dropped_${row.partition_column_id}`;
  else if (row.column_name) name = row.column_name;
  else if (row.column_id === null && row.partition_column_id >= INTERNAL_COLUMN_ID_MIN) {
    // A stored column with no sys.columns row: a hidden internal column, such as the in-row bigint
    // change tracking adds (partition_column_id 134217730 = 0x08000002, no name; rusanu.com "SQL Server
    // table columns under the hood", 2011; field case rusanu-2011-change-tracking-hidden-column). It
    // keeps its slot and null bit, and is never output.
    name = `$hidden_${row.partition_column_id}`;
    hidden = true;
  } else {
    throw rowError(index, 'column_name', `is null for a column that is neither dropped nor the uniquifier${row.column_id === null ? ` and whose partition_column_id ${row.partition_column_id} is not an internal one (>= 0x01000000)` : ''}`, file, table);
  }

  const col: ColumnLayout = {
    name,
    columnId: row.is_dropped || row.is_uniqueifier ? 0 : (row.column_id ?? 0),
    partitionColumnId: row.partition_column_id,
    type,
    maxLength: row.max_length,
    precision: row.precision,
    scale: row.scale,
    collation: row.collation_name,
    codePage: usesCodePage(type) ? codePageForCollation(row.collation_name) : null,
    nullable: row.is_nullable ?? true,
    identity: row.is_identity ?? false,
    computed: row.is_computed ?? false,
    leafOffset: row.leaf_offset,
    leafNullBit: row.leaf_null_bit,
    leafBitPosition: row.leaf_bit_position,
    isDropped: row.is_dropped,
    isSparse: row.is_sparse,
    isUniquifier: row.is_uniqueifier,
  };
  if (hidden) col.isHidden = true;
  if (row.is_persisted) col.persisted = true;
  if (row.is_column_set) col.isColumnSet = true;
  if (row.is_rowguidcol) col.isRowGuidCol = true;
  if (row.is_filestream) col.isFilestream = true;
  if (row.generated_always_type) col.generatedAlways = true;
  if (row.key_ordinal) col.keyOrdinal = row.key_ordinal;
  if (row.default_value !== undefined && row.default_value !== null && defaultTextGivesValue(type)) {
    try {
      col.defaultValue = defaultValueFromText(row.default_value, col);
    } catch (e) {
      throw rowError(index, 'default_value', (e as Error).message, file, table);
    }
  }
  return col;
}
