import { columnText, identifierText, splitNameParts, stagedTableName, tableText } from '../../util/tsql.js';
import { InputError, SchemaError } from '../../errors.js';
import { codePageForCollation } from '../collation.js';
import type { SqlValue } from '../values.js';
import { parseDdl, parseTypeText, type DdlAlteration, type DdlColumn, type DdlIndex, type DdlScript, type DdlTable, type QName, type TypeRef } from './ddl-parser.js';
import type { Token } from './ddl-lexer.js';
import { defaultTextGivesValue, defaultValueFromText } from './default-value.js';
import { addInPlaceRetypeWarnings, addUnknownCollationWarnings, DEFAULT_COLLATION, hasCollation, isFixedLength, typeSpecFromDdl, usesCodePage, type TypeSpec } from './layout-rules.js';
import { isTextPointerType } from '../types/index.js';
import { physicalSlots, type ColumnLayout, type Compression, type TableLayout } from './table-layout.js';
import { maxOf } from '../../util/append-all.js';

/**
 * DDL → TableLayout[]: the physical layout SQL Server gives a *freshly created* table, for when
 * the table was dropped or only its schema script survives. Rows written before an ALTER TABLE
 * that dropped or re-typed a column need the catalog JSON path instead (catalog-json.ts).
 *
 * Layout rules (each checked against the real rows in ../shared/corpus/text-examples):
 *  1. Physical column order: the clustering key columns in key order, then every other stored
 *     column in column_id order (FORMAT-NOTES §1; `lc-nonunique-clustered-uniquifier-slot`:
 *     the clustering key `Sortable` sits at offset 4, before `Id` at 12). A heap keeps column order.
 *  2. A non-unique clustered index adds the hidden 4-byte UNIQUIFIER (Microsoft Learn, "Clustered
 *     index design guidelines"; rusanu.com "SQL Server table columns under the hood": partition
 *     column 0, is_uniqueifier = 1). It is the first variable column (leaf_offset -1) and takes
 *     null bit 1; the key columns follow with null bits 2… (LogCarver's catalog rows for the same
 *     table: Sortable leaf_null_bit 2, Id 3, ColA 4, ColB 5; the row's bitmap 0x10 marks ColB;
 *     OrcaMDF's DatabaseMetaData.GetEmptyDataRow also puts the uniquifier first in the column
 *     sequence it reads records with).
 *  3. Fixed-length columns fill the fixed part from offset 4 (after status A, status B and the
 *     2-byte fixed-part length) in physical order; variable-length columns get leaf_offset -1, -2 …
 *     in physical order (`lc-fixed-types`, `lc-logtest-datetime2-3-varchar`, `lc-jobrun-…`).
 *  4. bit columns share bytes: the first bit column takes a byte at the current fixed offset, the
 *     next seven bit columns reuse it at bit positions 1..7 (`lc-fixed-types`: BitCol1/BitCol2 in
 *     byte 11, bits 0 and 1; OrcaMDF SqlBit/RecordReadState read bits the same way).
 *  5. Null bits (1-based) follow the physical order: uniquifier, key columns, the rest.
 *  6. text/ntext/image keep a 16-byte text pointer in the variable part; (max) types, xml,
 *     sql_variant and the CLR types (hierarchyid, geography, geometry) are variable.
 *  7. Sparse columns live in the sparse vector (a complex variable column): no fixed slot, no
 *     variable index, no null bit (OrcaMDF PrimaryRecordEntityParser; improve.dk "sparse column
 *     storage – the sparse vector"). The XML column set is not stored. Non-persisted computed
 *     columns have no storage at all and are left out of the layout.
 *  8. timestamp/rowversion is a fixed 8-byte column.
 */

export interface DdlOptions {
  /** User-defined alias types: `{ Flag: 'bit', 'dbo.Money2': 'decimal(19,2)' }` (from `--type-alias`). */
  typeAliases?: Record<string, string>;
  /** Schema for unqualified names; default `dbo`. */
  defaultSchema?: string;
  /** Database default collation, applied to character columns without COLLATE; default SQL_Latin1_General_CP1_CI_AS. */
  defaultCollation?: string;
}

/**
 * The char/varchar/text columns (`schema.table.column`, each part as util/tsql.ts identifierText
 * writes it: `dbo.T.[Dept Name]`) of a script that take the database default
 * collation (no COLLATE, or COLLATE DATABASE_DEFAULT), whose code page the script alone does not
 * tell: what a caller that assumed the default should name. Found by deriving the layouts with two
 * different defaults (aliases, ALTERs and all), so it is exactly the columns the default reaches.
 */
export function columnsOnDefaultCollation(sql: string, opts: DdlOptions = {}): string[] {
  return defaultCollationColumns(sql, opts).map((c) => columnText(c.schema, c.table, c.column));
}

/**
 * columnsOnDefaultCollation's columns with their table apart (`schema`, `table`, `column` as the
 * layouts name them): a name holding a dot made `schema.table.column` ambiguous, and a filter by
 * the text `dbo.Users.` took [dbo].[Users.Archive]'s columns for dbo.Users'. Throws as layoutsFromDdl.
 */
function defaultCollationColumns(sql: string, opts: DdlOptions = {}): Array<{ schema: string; table: string; column: string }> {
  const script = parseDdl(sql);
  // the assumed default first: its errors are the script's (layoutsFromDdl throws them too)
  const b = layoutsFromScript(script, { ...opts, defaultCollation: DEFAULT_COLLATION });
  let a: TableLayout[];
  try {
    a = layoutsFromScript(script, { ...opts, defaultCollation: 'Latin1_General_BIN2' });
  } catch (e) {
    // Only under the probe's default is the script unreadable (an ALTER COLUMN without COLLATE that
    // changes a column's collation there, not under the assumed one): that error named a collation
    // the caller never gave. The columns reading as the assumed default are then the answer (a column
    // given that collation explicitly included: a caution, not a refusal).
    if (!(e instanceof SchemaError)) throw e;
    const dflt = DEFAULT_COLLATION.toLowerCase();
    return b.flatMap((t) => t.columns.filter((c) => usesCodePage(c.type) && !c.isDropped && c.collation?.toLowerCase() === dflt).map((c) => ({ schema: t.schema, table: t.name, column: c.name })));
  }
  const out: Array<{ schema: string; table: string; column: string }> = [];
  a.forEach((t, i) => {
    t.columns.forEach((c, j) => {
      if (usesCodePage(c.type) && !c.isDropped && c.collation !== b[i]?.columns[j]?.collation) out.push({ schema: t.schema, table: t.name, column: c.name });
    });
  });
  return out;
}

/**
 * A column's COLLATE name, with `DATABASE_DEFAULT` / `CATALOG_DEFAULT` (T-SQL: the database's
 * default collation) taken as `databaseDefault`, the script's default collation; undefined without COLLATE.
 */
function namedCollation(name: string | undefined, databaseDefault: string): string | undefined {
  return name !== undefined && /^(database|catalog)_default$/i.test(name) ? databaseDefault : name;
}

/**
 * What a caller that gave no default collation must say (scan's stderr, a job's notes): the columns
 * columnsOnDefaultCollation finds are read as DEFAULT_COLLATION (code page 1252), assumed to be the
 * database's default; `howToGive` names the option that gives it (`--collation`,
 * `metadata.collation`); `table` (`schema.name`, or its schema and name apart, as a layout names them: a name may hold a dot): only its columns. Undefined when no column takes
 * the default. Throws as layoutsFromDdl.
 */
export function assumedCollationNote(sql: string, opts: DdlOptions, howToGive: string, table?: string | { schema: string; name: string }): string | undefined {
  // the table by its schema and name apart, not by the text `schema.name.` (a [Users.Archive] is no dbo.Users)
  const cols = defaultCollationColumns(sql, opts).filter((c) => table === undefined || (typeof table === 'string' ? `${c.schema}.${c.table}`.toLowerCase() === table.toLowerCase() : c.schema.toLowerCase() === table.schema.toLowerCase() && c.table.toLowerCase() === table.name.toLowerCase())).map((c) => columnText(c.schema, c.table, c.column));
  if (cols.length === 0) return undefined;
  return `${cols.length} char/varchar/text column(s) without COLLATE (${cols.slice(0, 5).join(', ')}${cols.length > 5 ? ', …' : ''}) are read as ${DEFAULT_COLLATION} (code page 1252), assumed as the database's default collation; if it is another, give it with ${howToGive}`;
}

/**
 * The database's default collation as the input read beside a script tells it, and where it was
 * read, as a note names it: `boot page of X.bak` (a data file's or backup's dbi_collation),
 * `sys.databases.collation_name of CRM on SERVER` (a live server), `the header of X.json
 * (databaseCollation)` (an export).
 */
export interface DatabaseDefaultCollation {
  /** The collation's name; with `unnamed`, what the input holds instead (`collation id 123`). */
  collation: string;
  from: string;
  /** The input names the collation by an id that has no name rowback knows (collation-ids.ts): not a name to read with. */
  unnamed?: true;
  /**
   * With `unnamed`: the input names this collation but cannot rule out its `_UTF8` form (a SQL
   * Server 2019+ backup header: backup/header.ts headerCollation). A boot page naming it plainly,
   * of the headers' end or later, settles it (recover/database-default-collation.ts
   * withLogBackupsCollation). With `conflicting`: one of the collations named is such a one, so a
   * change between them may have been made, not seen (the refusal says so).
   */
  utf8Unknown?: string;
  /**
   * With `utf8Unknown`: the highest LastLSN (decimal form) of the header sets naming it. A boot page
   * settles which only when it is of that point or later (its dbi_checkptLSN): an older one (the
   * full backup the log backups follow) was before an ALTER DATABASE … COLLATE to the _UTF8 form
   * that those headers would not show.
   */
  utf8UnknownUpTo?: string;
  /**
   * The input names several default collations that read text in different code pages (log
   * backups whose headers disagree: ALTER DATABASE … COLLATE between them); `collation` lists them,
   * `from` names each with its backup. Not a name to read with.
   */
  conflicting?: true;
}

/**
 * What a caller that took the script's default collation from the database itself must say: the
 * columns columnsOnDefaultCollation finds are read as `collation` (its code page), the default
 * collation of the database, read where `from` says (DatabaseDefaultCollation.from);
 * `howToGive` names the option for a table whose columns had another (a database whose default was
 * changed by ALTER DATABASE … COLLATE after the table was made). Undefined when no column takes the
 * default. Throws as layoutsFromDdl.
 */
export function databaseCollationNote(sql: string, opts: DdlOptions, collation: string, from: string, howToGive: string): string | undefined {
  const cols = columnsOnDefaultCollation(sql, opts);
  if (cols.length === 0) return undefined;
  const cp = codePageForCollation(collation);
  return `${cols.length} char/varchar/text column(s) without COLLATE (${cols.slice(0, 5).join(', ')}${cols.length > 5 ? ', …' : ''}) are read as ${collation}${cp === null ? '' : ` (code page ${cp})`}, the database's default collation (${from}); if the table's columns were made under another, give it with ${howToGive}`;
}

/**
 * The refusal of a caller whose input names a database default collation rowback cannot read text
 * in (`d`, DatabaseDefaultCollation: a boot page's dbi_collation id with no name rowback knows,
 * `unnamed`, as the _UTF8 collations of SQL Server 2019 and later are in collation-ids.ts; or a name,
 * from a server's sys.databases or an export's header, whose code page codePageForCollation does
 * not map). Without it the script's char/varchar/text columns without COLLATE were read as
 * DEFAULT_COLLATION (code page 1252), first under the note that it was "assumed", then under one
 * that the code page is unknown, while the input said the database's default is another: text of
 * another code page printed as 1252 characters (UTF-8's 'ş' as 'ÅŸ'), looking like data (breaker Q,
 * builder R, session 44: a refusal, the DBA gives the name). `howToGive` names the option that gives
 * the collation. Undefined when the collation's code page is known or no column takes the default.
 * `d.conflicting` (log backups whose headers name collations of different code pages): refused
 * naming each. Throws as layoutsFromDdl.
 */
export function unreadableDatabaseCollationRefusal(sql: string, opts: DdlOptions, d: DatabaseDefaultCollation, howToGive: string): string | undefined {
  if (!d.unnamed && !d.conflicting && codePageForCollation(d.collation) !== null) return undefined;
  const cols = columnsOnDefaultCollation(sql, opts);
  if (cols.length === 0) return undefined;
  const list = `${cols.length} char/varchar/text column(s) without COLLATE (${cols.slice(0, 5).join(', ')}${cols.length > 5 ? ', …' : ''})`;
  if (d.conflicting) {
    return `${list} take the database's default collation, and the ${d.from.replace(/^the /, '')}: ${d.utf8Unknown !== undefined ? 'it may have changed between them' : 'it changed between them'} (ALTER DATABASE … COLLATE; a column made before keeps the old one, a column made after takes the new one), and they read text in different code pages${d.utf8Unknown !== undefined ? ' (the _UTF8 form: UTF-8, code page 65001)' : ''}, so which one the table's columns were made under cannot be told and they are not read as either. Give the collation with ${howToGive} (SELECT collation_name FROM sys.columns WHERE object_id = OBJECT_ID(N'the table') in the database), or COLLATE in the script`;
  }
  const which = d.unnamed
    ? `has ${d.collation}, which rowback does not know by name (a _UTF8 collation of SQL Server 2019 or later?)`
    : `is ${d.collation}, whose code page rowback does not know`;
  return `${cols.length} char/varchar/text column(s) without COLLATE (${cols.slice(0, 5).join(', ')}${cols.length > 5 ? ', …' : ''}) take the database's default collation, and ${d.from.startsWith('the ') ? '' : 'the '}${d.from} says it ${which}: they would be read as ${DEFAULT_COLLATION} (code page 1252), other text coming out as wrong characters. Give the collation with ${howToGive} (SELECT DATABASEPROPERTYEX(DB_NAME(), 'Collation') in the database), or COLLATE in the script`;
}

/**
 * What a caller must say of layouts read from a script whose tables have sparse columns and no
 * dropped column in their history: a row's sparse vector names its values by column_id (improve.dk
 * "SQL Server Sparse Columns"), and a script gives each column the id of its place in the table as
 * declared; SSMS scripts a table as it is now, so after a column was dropped the ids of the columns
 * declared after it are one lower in the script than in the table, and a sparse value whose real id
 * is another sparse column's script id prints in that column with no sign in the row (breaker,
 * session 17: A = 7 (id 3) printed as B). A script holding the DROP in its history numbers them
 * right (no note). `howToGive`: the options that give exact ids. Undefined when no such table.
 */
export function assumedSparseIdsNote(layouts: TableLayout[], howToGive: string): string | undefined {
  const tables = layouts.filter((l) => l.columns.some((c) => c.isSparse && !c.isDropped) && !l.columns.some((c) => c.isDropped));
  if (tables.length === 0) return undefined;
  const say = (l: TableLayout) => `${tableText(l)} (${l.columns.filter((c) => c.isSparse && !c.isDropped).slice(0, 4).map((c) => `${identifierText(c.name)} = ${c.columnId}`).join(', ')}${l.columns.filter((c) => c.isSparse).length > 4 ? ', …' : ''})`;
  return `sparse columns are found in each row by column_id, taken from the script's order: ${tables.slice(0, 3).map(say).join('; ')}${tables.length > 3 ? `; and ${tables.length - 3} more table(s)` : ''}; if a column of the table was ever dropped (a script of the table as it is now numbers from 1 without the gap), a sparse value may print in another sparse column with no sign in the row: give exact ids with ${howToGive}`;
}

/**
 * A T-SQL script → one TableLayout per table it leaves behind (columns in partition_column_id order).
 * Statements are replayed in order (CREATE / ALTER / DROP TABLE, indexes, sp_rename; see layoutsFromScript).
 * Throws SchemaError: SCHEMA_DDL_PARSE (with line), SCHEMA_DDL_INVALID, SCHEMA_DDL_UNSUPPORTED, SCHEMA_UNKNOWN_TYPE.
 */
export function layoutsFromDdl(sql: string, opts: DdlOptions = {}): TableLayout[] {
  const script = parseDdl(sql);
  return layoutsFromScript(script, opts);
}

/**
 * A parsed script → TableLayouts. Each table's layout is the fresh one (module comment, rules 1–8) until an
 * ALTER TABLE changes its rowset; from then on the changes are applied as SQL Server applies them
 * (applyAlteration), and a rebuild (new clustered index, REBUILD) starts afresh. Throws SchemaError as layoutsFromDdl.
 */
export function layoutsFromScript(script: DdlScript, opts: DdlOptions = {}): TableLayout[] {
  const defaultSchema = opts.defaultSchema ?? 'dbo';
  const collation = opts.defaultCollation ?? DEFAULT_COLLATION;
  // by parts (stagedTableName, lowercased): dbo.[Order.Items] and [dbo.Order].Items were one key, `dbo.order.items`, refused as one table created twice
  const key = (q: QName): string => stagedTableName({ schema: (q.schema ?? defaultSchema).toLowerCase(), name: q.name.toLowerCase() });
  const aliases = buildAliases(script, opts.typeAliases ?? {}, defaultSchema);

  // Replay the script in statement order: a DROP TABLE lets a later CREATE TABLE start over;
  // keys, indexes and ALTERs belong to the table as it exists when they run.
  type Event =
    | { seq: number; order: number; kind: 'create'; table: DdlTable }
    | { seq: number; order: number; kind: 'index'; index: DdlIndex }
    | { seq: number; order: number; kind: 'alter'; alteration: DdlAlteration }
    | { seq: number; order: number; kind: 'droptable'; qname: QName };
  const events: Event[] = [
    ...script.tables.map((table): Event => ({ seq: table.seq, order: 0, kind: 'create', table })),
    // Within one statement, columns first (ALTER TABLE … ADD c int PRIMARY KEY), then the key.
    ...script.indexes.map((index): Event => ({ seq: index.seq, order: 2, kind: 'index', index })),
    ...script.alterations.map((alteration): Event => ({ seq: alteration.seq, order: 1, kind: 'alter', alteration })),
    ...script.droppedTables.map((d): Event => ({ seq: d.seq, order: 1, kind: 'droptable', qname: d.qname })),
  ];
  events.sort((a, b) => a.seq - b.seq || a.order - b.order);

  const tables = new Map<string, TableState>();
  for (const e of events) {
    if (e.kind === 'create') {
      const k = key(e.table.qname);
      if (tables.has(k)) throw new SchemaError('SCHEMA_DDL_INVALID', `table ${k} is created twice (no DROP TABLE between)`, { line: e.table.qname.line, table: k });
      const columns = e.table.columns.map((c, i) => ({ ...c, columnId: i + 1 }));
      tables.set(k, { def: { seq: e.table.seq, qname: e.table.qname, columns, compression: e.table.compression }, indexes: [], phys: null, alterDrops: 0, warnings: [], ...(e.table.perPartition ? { perPartition: e.table.perPartition } : {}), ...(e.table.memoryOptimized !== undefined ? { memoryOptimized: e.table.memoryOptimized } : {}), ...(e.table.graph ? { graph: e.table.graph } : {}) });
    } else if (e.kind === 'droptable') {
      // Dropping a table the script never created (IF EXISTS … DROP) is fine.
      tables.delete(key(e.qname));
    } else if (e.kind === 'alter') {
      const a = e.alteration;
      const k = key(a.table);
      const t = tables.get(k);
      const line = a.kind === 'add' || a.kind === 'alter' ? a.column.line : a.line;
      if (!t) {
        // DROP INDEX / sp_rename of an object this script does not create (a procedure, a view, another
        // script's table): nothing to lay out.
        if (a.kind === 'dropIndex' || a.kind === 'rename' || a.kind === 'defaultFor' || a.kind === 'vardecimal' || (a.kind === 'rebuild' && a.index !== undefined)) continue;
        throw new SchemaError('SCHEMA_DDL_INVALID', `ALTER TABLE ${k}: the table is not created in this script`, { line });
      }
      const ctx: AlterContext = { aliases, collation, tableName: k, schema: t.def.qname.schema ?? defaultSchema };
      if (a.kind === 'rename' && a.column === undefined) {
        const target: QName = { schema: a.table.schema, name: a.newName, line: a.line };
        const nk = key(target);
        if (tables.has(nk)) throw new SchemaError('SCHEMA_DDL_INVALID', `sp_rename: a table ${nk} already exists`, { line: a.line, table: nk });
        tables.delete(k);
        t.def.qname = { ...t.def.qname, name: a.newName };
        tables.set(nk, t);
        continue;
      }
      applyAlteration(t, a, ctx);
    } else {
      const k = key(e.index.table);
      const t = tables.get(k);
      if (!t) {
        throw new SchemaError('SCHEMA_DDL_INVALID', `index or key on ${k}: the table is not created in this script`, { line: e.index.line, table: k });
      }
      const before = clusteredIndexOf(t.indexes, k);
      // WITH (DROP_EXISTING = ON): the index of that name is replaced, not joined by a second one (a
      // clustered index rebuilt with another key or compression, a clustered columnstore converted to
      // rowstore: MS Learn "CREATE INDEX"). Before, the script was refused as having two clustered indexes.
      let index = e.index;
      if (index.dropExisting && index.name !== undefined) {
        const same = t.indexes.findIndex((ix) => ix.name !== undefined && ix.name.toLowerCase() === index.name!.toLowerCase());
        const old = same >= 0 ? t.indexes[same]! : undefined;
        refuseDropExisting(index, old, old !== undefined && old === before, k);
        // a primary key's index rebuilt so keeps the constraint (its columns stay the key's)
        if (old) index = { ...index, primaryKey: t.indexes.splice(same, 1)[0]!.primaryKey };
      }
      t.indexes.push(index);
      // A new clustered index (CREATE CLUSTERED INDEX, ADD PRIMARY KEY [CLUSTERED]) rebuilds the rowset.
      if (clusteredIndexOf(t.indexes, k) !== before) {
        rebuild(t);
        // … in the compression its options give: per partition (ON PARTITIONS), or one for all.
        if (e.index.perPartition) t.perPartition = e.index.perPartition;
        else if (e.index.compression) delete t.perPartition;
      }
    }
  }

  const out: TableLayout[] = [];
  for (const t of tables.values()) {
    const schema = t.def.qname.schema ?? defaultSchema;
    let layout: TableLayout;
    if (t.phys) {
      layout = { ...t.phys, name: t.def.qname.name, schema, columns: [...t.phys.columns].sort((a, b) => a.partitionColumnId - b.partitionColumnId) };
    } else {
      layout = deriveLayout(t.def, t.indexes, { schema, collation, aliases });
    }
    if (t.warnings.length > 0) layout.warnings = [...t.warnings];
    const encrypted = t.def.columns.filter((c) => c.encrypted && !c.dropped);
    if (encrypted.length > 0) {
      // Always Encrypted: the rows hold the client's ciphertext, not a value of the declared type, and
      // the record keeps it as a binary value whose place a script does not show. Decoded by the
      // declared type, a varbinary printed the ciphertext as its value and a varchar as plausible
      // mojibake, unsaid; a fixed-length type read another column's bytes. Refused.
      layout.unreadable =
        `column${encrypted.length > 1 ? 's' : ''} ${encrypted.map((c) => c.name).join(', ')} ${encrypted.length > 1 ? 'are' : 'is'} Always Encrypted (ENCRYPTED WITH, line ${encrypted[0]!.line}): the rows hold the client's ciphertext (AEAD_AES_256_CBC_HMAC_SHA_256), never a value of the declared type, which rowback cannot decrypt, ` +
        'and a script does not show where SQL Server keeps that ciphertext in the record, so no column of the table can be placed from it: read the layout from the database\'s own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql); an encrypted column\'s value read through it is still ciphertext, not the value';
    }
    const decimals = layout.compression === 'NONE' ? layout.columns.filter((c) => (c.type === 'decimal' || c.type === 'numeric') && !c.isDropped) : [];
    if (t.vardecimal !== undefined && decimals.length > 0) {
      // vardecimal storage format: the decimal/numeric columns sit in the record's variable part in a packed
      // form, not in the fixed slots the script's column list gives; the data file's catalog shows it and
      // rowback refuses it there too (datafile/metadata.ts vardecimalRefusal). Read with this layout, the
      // fixed columns after them took other columns' bytes.
      layout.unreadable =
        `line ${t.vardecimal}: sp_tableoption 'vardecimal storage format' is on, so ${decimals.map((c) => c.name).join(', ')} ${decimals.length > 1 ? 'are' : 'is'} stored in the variable part of the record in vardecimal form, ` +
        'not in the fixed slots the script\'s column list gives, and rowback does not decode that storage format';
    }
    if (t.perPartition) {
      // One layout per table is all a script gives, and the log names a partition only by its
      // allocation unit id, which the script does not know: rows are refused, never decoded with
      // another partition's record format or column slots.
      layout.unreadable =
        `the script gives its partitions different layouts (${t.perPartition}); a --ddl layout is one for the whole table and cannot tell which allocation unit is which partition: ` +
        'give the layout per partition with catalog JSON (sql/table-metadata.sql, --schema) or the data file (--mdf/--bak)';
    }
    if (t.memoryOptimized !== undefined) {
      // In-Memory OLTP (MS Learn "Introduction to Memory-Optimized Tables"): the rows live in memory,
      // persisted through checkpoint file pairs, and are logged as LOP_HK log records, never as data-page
      // records or LOP_INSERT_ROWS/LOP_DELETE_ROWS row images; the script's column list gives no record
      // layout of them. Read with it, `rowback decode` printed values for any bytes, unsaid.
      layout.unreadable =
        `line ${t.memoryOptimized}: it is a memory-optimized table (MEMORY_OPTIMIZED = ON): its rows are never data-page records or row images of the log's row operations (In-Memory OLTP logs them as LOP_HK records and keeps them in checkpoint files), and rowback reads neither, so no row of it is decoded`;
    }
    if (t.graph) {
      // SQL Graph (MS Learn "SQL Graph architecture"): a node table stores an internal graph_id bigint
      // beside the user's columns, an edge table graph_id and the internal from_obj_id, from_id,
      // to_obj_id and to_id behind $from_id/$to_id. The script's column list shows none of them, so
      // the fixed slots it gives are not the record's: before, `AS NODE` was skipped and the user's
      // columns were read at offsets that leave the internal ones out.
      layout.unreadable =
        `line ${t.graph.line}: it is a graph ${t.graph.kind === 'NODE' ? 'node' : 'edge'} table (AS ${t.graph.kind}): SQL Server stores internal columns in its rows (${t.graph.kind === 'NODE' ? 'graph_id' : 'graph_id, from_obj_id, from_id, to_obj_id, to_id'}) that a script's column list does not show, so the record's slots cannot be placed from it: read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql)`;
    }
    addUnknownCollationWarnings(layout);
    // an in-place ALTER COLUMN (below, alterColumn): the dropped old column left in its slot is named on every row
    addInPlaceRetypeWarnings(layout);
    out.push(layout);
  }
  return out;
}

/** A table while the script is replayed. */
interface TableState {
  /** Logical definition: columns in column_id order (dropped ones flagged), table options. */
  def: DdlTable;
  /** Keys and indexes that exist now. */
  indexes: DdlIndex[];
  /**
   * The physical layout once an ALTER TABLE changed it the way SQL Server does (incrementally, see
   * applyAlteration); null while it is the layout a freshly created (or rebuilt) table gets from `def`.
   */
  phys: TableLayout | null;
  /** Columns ALTER COLUMN has dropped so far (their partition_column_id is 0x04000000 + n). */
  alterDrops: number;
  warnings: string[];
  /**
   * Set once a statement gave some partitions a layout of their own (DATA_COMPRESSION … ON
   * PARTITIONS, REBUILD PARTITION = n that changes the record format or reclaims dropped columns):
   * where, for the message. The table's layout is then unreadable (see layoutsFromDdl).
   */
  perPartition?: string;
  /** Line of an `sp_tableoption … 'vardecimal storage format', ON` for the table (layoutsFromDdl refuses its layout). */
  vardecimal?: number;
  /** Line of its `WITH (MEMORY_OPTIMIZED = ON)` (layoutsFromDdl refuses its layout). */
  memoryOptimized?: number;
  /** Its `AS NODE` / `AS EDGE` (layoutsFromDdl refuses its layout). */
  graph?: { kind: 'NODE' | 'EDGE'; line: number };
}

interface AlterContext {
  aliases: Map<string, AliasDef>;
  collation: string;
  tableName: string;
  schema: string;
}

/**
 * A rebuild (ALTER TABLE … REBUILD, a new or dropped clustered index) writes every row afresh: the
 * layout is again the one a fresh table with the live columns gets, dropped columns' space reclaimed
 * (rusanu.com "SQL Server table columns under the hood", 2011: "How do we reclaim it? Rebuild the
 * table"). Column ids stay.
 */
function rebuild(t: TableState): void {
  t.phys = null;
  t.def.columns = t.def.columns.filter((c) => !c.dropped);
  t.alterDrops = 0;
}

/** partition_column_id SQL Server gives a column dropped by ALTER COLUMN: 0x04000000 + n (rusanu 2011, physical-table-fixed-2: 67108865, 67108866). */
const ALTER_DROPPED_BASE = 0x04000000;
/** partition_column_id of change tracking's hidden in-row bigint as rusanu 2011 shows it (physical-table-xdes: 134217730 = 0x08000002). */
const CHANGE_TRACKING_COLUMN_ID = 0x08000002;

function materialise(t: TableState, ctx: AlterContext): TableLayout {
  if (!t.phys) t.phys = deriveLayout(t.def, t.indexes, { schema: ctx.schema, collation: ctx.collation, aliases: ctx.aliases });
  return t.phys;
}

/** End of the fixed part as the live fixed columns use it: where SQL Server places a new fixed column. */
function liveFixedEnd(cols: ColumnLayout[]): number {
  let end = 4;
  for (const c of cols) {
    if (c.isDropped || c.isSparse || c.leafOffset <= 0) continue;
    end = Math.max(end, c.type === 'bit' ? c.leafOffset + 1 : c.leafOffset + c.maxLength);
  }
  return end;
}

/**
 * Gives a column SQL Server's slot for a column added to an existing rowset (ALTER TABLE ADD, or the
 * new column of a slot-moving ALTER COLUMN): the next null bit; a fixed column right after the last
 * LIVE fixed column (reusing the space of trailing dropped fixed columns; rusanu 2011,
 * physical-table-fixed-3 and -fixed-8: first_name moved to 211 after birth_date date 208..211, and
 * middle_name placed at 211 over dropped mid_name/surname); a variable column the next variable index.
 * A bit column joins a live bit byte with room (unverified on real bytes), else opens a byte.
 */
function placeNew(cols: ColumnLayout[], c: ColumnLayout): void {
  if (c.isSparse) {
    c.leafOffset = 0;
    c.leafNullBit = 0;
    return;
  }
  c.leafNullBit = maxOf(cols.map((x) => x.leafNullBit), 0) + 1;
  if (!isFixedLength(c.type, c.maxLength)) {
    c.leafOffset = -(maxOf(cols.filter((x) => x.leafOffset < 0).map((x) => -x.leafOffset), 0) + 1);
    return;
  }
  if (c.type === 'bit') {
    const used = new Map<number, number>();
    for (const x of cols) if (!x.isDropped && x.type === 'bit' && x.leafOffset > 0) used.set(x.leafOffset, Math.max(used.get(x.leafOffset) ?? -1, x.leafBitPosition));
    for (const [offset, top] of used) {
      if (top < 7) {
        c.leafOffset = offset;
        c.leafBitPosition = top + 1;
        return;
      }
    }
    c.leafOffset = liveFixedEnd(cols);
    c.leafBitPosition = 0;
    return;
  }
  c.leafOffset = liveFixedEnd(cols);
}

/**
 * ALTER TABLE, the way SQL Server applies it to the physical rowset (rusanu.com "SQL Server table columns
 * under the hood", 2011, catalog screenshots; Microsoft Learn ALTER TABLE):
 *  - ADD: a new physical column, slot by `placeNew`; older rows lack it and read its default or NULL.
 *  - DROP COLUMN: metadata only — the column keeps its slot (is_dropped = 1) until a rebuild
 *    ("dropping a column does not reclaim the disk space"); it stays as `$dropped_<partition_column_id>`.
 *  - ALTER COLUMN: the old column is dropped (partition_column_id 0x04000000 + n) and a new one added.
 *    Fixed → fixed no larger (nullability, char(100) → char(75), datetime → date) takes the old null
 *    bit and offset ("in place"); a larger fixed type, fixed ↔ variable, get a new null bit and slot
 *    (`placeNew`). Variable → variable of the same type (any length, nullability) stays in place: growth
 *    alters the column itself (rusanu, -fixed-5), a shrink or a nullability change is metadata only,
 *    so the rows it cannot rewrite keep their slots. Refused (SCHEMA_DDL_UNSUPPORTED: only the catalog
 *    knows): variable type or collation changes, bit ↔ other types, key, sparse and computed columns.
 *  - ENABLE CHANGE_TRACKING: adds the hidden in-row bigint (never output), placed like ADD.
 *  - DROP CONSTRAINT / DROP INDEX: the key goes; if it was the clustered index the rowset is rebuilt.
 *  - REBUILD: a fresh layout of the live columns (`rebuild`).
 *  - sp_rename 'table.column', 'new', 'COLUMN': the name changes, nothing else.
 */
function applyAlteration(t: TableState, a: DdlAlteration, ctx: AlterContext): void {
  const def = t.def;
  if (a.kind === 'vardecimal') {
    // set at any point of the script: rows of that time hold vardecimal values (layoutsFromDdl refuses)
    t.vardecimal ??= a.line;
    return;
  }
  if (a.kind === 'dropIndex') {
    const i = t.indexes.findIndex((ix) => ix.name !== undefined && ix.name.toLowerCase() === a.name.toLowerCase());
    if (i < 0) return; // a foreign key, check or default constraint: no layout change
    const before = clusteredIndexOf(t.indexes, ctx.tableName);
    t.indexes.splice(i, 1);
    if (clusteredIndexOf(t.indexes, ctx.tableName) !== before) rebuild(t);
    return;
  }
  if (a.kind === 'rebuild') {
    const cx = clusteredIndexOf(t.indexes, ctx.tableName);
    if (a.index !== undefined) {
      // ALTER INDEX … REBUILD: the rows are rewritten only by the clustered index (a heap's rows by
      // ALTER TABLE … REBUILD alone; ALTER INDEX ALL on a heap rebuilds its nonclustered indexes).
      const clusteredOne = cx !== undefined && (a.index.toUpperCase() === 'ALL' || (cx.name !== undefined && cx.name.toLowerCase() === a.index.toLowerCase()));
      if (!clusteredOne) return;
    }
    if (a.partition !== undefined) {
      // REBUILD PARTITION = n: that partition alone gets the fresh layout (and the compression given);
      // the others keep theirs. Nothing changes when the fresh layout is the one the table has.
      const derive: DeriveContext = { schema: ctx.schema, collation: ctx.collation, aliases: ctx.aliases };
      const now = t.phys ?? deriveLayout(def, t.indexes, derive);
      const fresh = deriveLayout({ ...def, columns: def.columns.filter((c) => !c.dropped), ...(a.compression ? { compression: a.compression } : {}) }, a.compression ? t.indexes.map((i) => ({ ...i, compression: undefined })) : t.indexes, derive);
      if (a.perPartition || now.compression !== fresh.compression || physicalSlots(now) !== physicalSlots(fresh)) {
        t.perPartition ??= `line ${a.line}: ${a.index !== undefined ? `ALTER INDEX ${a.index} ON` : 'ALTER TABLE'} … REBUILD PARTITION = ${a.partition}${a.compression ? ` WITH (DATA_COMPRESSION = ${a.compression})` : ''}` +
          `${now.compression !== fresh.compression ? ` makes that partition ${fresh.compression}, the others stay ${now.compression}` : physicalSlots(now) !== physicalSlots(fresh) ? ' reclaims dropped columns in that partition only' : ''}`;
      }
      return;
    }
    if (a.perPartition) t.perPartition ??= a.perPartition;
    else if (a.compression) delete t.perPartition;
    if (a.compression) {
      def.compression = a.compression;
      // the clustered index is what is rebuilt, in the compression given (deriveLayout takes its compression first)
      if (cx) t.indexes[t.indexes.indexOf(cx)] = { ...cx, compression: a.compression };
    }
    rebuild(t);
    return;
  }
  if (a.kind === 'rename') {
    const c = def.columns.find((x) => !x.dropped && x.name.toLowerCase() === a.column!.toLowerCase());
    if (!c) throw new SchemaError('SCHEMA_DDL_INVALID', `sp_rename: ${ctx.tableName} has no column ${a.column}`, { line: a.line, table: ctx.tableName, column: a.column });
    if (def.columns.some((x) => !x.dropped && x !== c && x.name.toLowerCase() === a.newName.toLowerCase())) {
      throw new SchemaError('SCHEMA_DDL_INVALID', `sp_rename: ${ctx.tableName} already has a column ${a.newName}`, { line: a.line, table: ctx.tableName, column: a.newName });
    }
    const old = c.name;
    c.name = a.newName;
    for (const ix of t.indexes) ix.columns = ix.columns.map((n) => (n.toLowerCase() === old.toLowerCase() ? a.newName : n));
    const pc = t.phys?.columns.find((x) => isLiveUserColumn(x) && x.name.toLowerCase() === old.toLowerCase());
    if (pc) pc.name = a.newName;
    return;
  }
  if (a.kind === 'defaultFor') {
    const c = def.columns.find((x) => !x.dropped && x.name.toLowerCase() === a.column.toLowerCase());
    if (!c) throw new SchemaError('SCHEMA_DDL_INVALID', `DEFAULT … FOR ${a.column}: ${ctx.tableName} has no column ${a.column}`, { line: a.line, table: ctx.tableName, column: a.column });
    // a column added later keeps what its ADD gave the rows then; a default constraint added after it changes nothing stored
    if (c.addedLater) return;
    c.defaultExpr = a.expr;
    const pc = t.phys?.columns.find((x) => isLiveUserColumn(x) && x.name.toLowerCase() === c.name.toLowerCase());
    if (pc) pc.declaredDefault = `DEFAULT ${tokensText(a.expr)}`;
    return;
  }
  const phys = materialise(t, ctx);
  const cols = phys.columns;
  if (a.kind === 'changeTracking') {
    if (cols.some((c) => c.isHidden)) return;
    const hidden: ColumnLayout = {
      name: `$hidden_${CHANGE_TRACKING_COLUMN_ID}`, columnId: 0, partitionColumnId: CHANGE_TRACKING_COLUMN_ID, type: 'bigint', maxLength: 8,
      precision: 19, scale: 0, collation: null, codePage: null, nullable: true, identity: false, computed: false,
      leafOffset: 0, leafNullBit: 0, leafBitPosition: 0, isDropped: false, isSparse: false, isUniquifier: false, isHidden: true,
    };
    placeNew(cols, hidden);
    cols.push(hidden);
    t.warnings.push(`${ctx.tableName}: change tracking's hidden in-row bigint ${hidden.name} (leaf_null_bit ${hidden.leafNullBit}, leaf_offset ${hidden.leafOffset}) is stored in the row but not output`);
    return;
  }
  if (a.kind === 'add') {
    const columnId = maxOf(def.columns.map((c) => c.columnId ?? 0), 0) + 1;
    const dc: DdlColumn = { ...a.column, columnId };
    if (def.columns.some((c) => !c.dropped && c.name.toLowerCase() === dc.name.toLowerCase())) {
      throw new SchemaError('SCHEMA_DDL_INVALID', `column ${dc.name} is defined twice in ${ctx.tableName}`, { line: dc.line, table: ctx.tableName, column: dc.name });
    }
    def.columns.push(dc);
    const col = columnLayout(dc, columnId, false, { schema: ctx.schema, collation: ctx.collation, aliases: ctx.aliases }, ctx.tableName);
    if (!col) return; // non-persisted computed column or column set: no storage
    placeNew(cols, col);
    if (col.type === 'bit' && col.leafBitPosition > 0) {
      // placeNew's rule for an added bit (join a live bit byte with room) is not verified on real bytes:
      // if SQL Server gave the column a byte of its own, this position reads another bit column's value
      t.warnings.push(`${ctx.tableName}: bit column ${col.name}, added by ALTER TABLE … ADD, is read from bit ${col.leafBitPosition} of the bit byte at offset ${col.leafOffset} that earlier bit columns use: rowback's reading of where SQL Server puts an added bit, not verified on real bytes; if SQL Server gave it a byte of its own, its values are wrong: read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql)`);
    }
    cols.push(col);
    return;
  }
  const name = a.kind === 'drop' ? a.name : a.column.name;
  const line = a.kind === 'drop' ? a.line : a.column.line;
  const i = def.columns.findIndex((c) => !c.dropped && c.name.toLowerCase() === name.toLowerCase());
  if (i < 0) throw new SchemaError('SCHEMA_DDL_INVALID', `ALTER TABLE ${ctx.tableName}: no column ${name}`, { line, table: ctx.tableName, column: name });
  const old = def.columns[i]!;
  const pc = cols.find((c) => isLiveUserColumn(c) && c.name.toLowerCase() === name.toLowerCase());
  if (a.kind === 'drop') {
    def.columns[i] = { ...old, dropped: true };
    if (pc) {
      pc.name = `$dropped_${pc.partitionColumnId}`;
      pc.columnId = 0;
      pc.isDropped = true;
      pc.nullable = true;
      delete pc.defaultValue;
      delete pc.keyOrdinal;
    }
    return;
  }
  const unsupported = (why: string): never => {
    throw new SchemaError('SCHEMA_DDL_UNSUPPORTED', `ALTER TABLE ${ctx.tableName} ALTER COLUMN ${name}: ${why}; where SQL Server puts the column then is known only from the catalog — use catalog JSON (--schema)`, { line, table: ctx.tableName, column: name });
  };
  if (!old.type || !a.column.type || old.computed || !pc) return unsupported('not a plain stored column');
  if (pc.isSparse || old.sparse || a.column.sparse) return unsupported('a sparse column');
  if (pc.keyOrdinal) return unsupported('a clustered index key column');
  const after = resolveType(a.column.type, ctx.aliases, `column ${name}`, line).spec;
  // Without COLLATE the altered column takes the database's default collation, not its old one
  // (Microsoft, "ALTER TABLE (Transact-SQL)", ALTER COLUMN … COLLATE: "If not specified, the column is
  // assigned the default collation of the database").
  const newCollation = hasCollation(after.type) ? (namedCollation(a.column.collation, ctx.collation) ?? ctx.collation) : null;
  // encrypted before or after (ALTER COLUMN … ENCRYPTED WITH encrypts in place, without it decrypts): rows of either
  // state may be in the log, so the column stays refused (layoutsFromDdl)
  const next: DdlColumn = { ...old, type: a.column.type, nullable: a.column.nullable ?? true, collation: newCollation ?? undefined, defaultExpr: undefined, addedLater: undefined, ...(old.encrypted || a.column.encrypted ? { encrypted: true } : {}) };
  const nc = columnLayout(next, pc.columnId, false, { schema: ctx.schema, collation: ctx.collation, aliases: ctx.aliases }, ctx.tableName)!;
  const oldFixed = isFixedLength(pc.type, pc.maxLength);
  const newFixed = isFixedLength(nc.type, nc.maxLength);
  // Without COLLATE the new collation is the database default the caller assumed or gave: said in
  // a refusal, since giving the database's real default (--collation) may be all that is missing.
  const fromDefault = a.column.collation === undefined && hasCollation(after.type) ? ` (an ALTER COLUMN without COLLATE takes the database's default collation: ${ctx.collation} here; if the database's default is another, give it (scan --collation, a job's metadata.collation))` : '';
  const collationChange = (): string => `the collation changes from ${pc.collation ?? 'none'} to ${nc.collation ?? 'none'}${fromDefault}`;
  const dropCopy = (): void => {
    const n = ++t.alterDrops;
    pc.partitionColumnId = ALTER_DROPPED_BASE + n;
    pc.name = `$dropped_${pc.partitionColumnId}`;
    pc.columnId = 0;
    pc.isDropped = true;
    pc.nullable = true;
    delete pc.defaultValue;
  };
  if (!oldFixed && !newFixed) {
    const sameType = pc.type === nc.type && !isTextPointerType(pc.type);
    if (!sameType) return unsupported(`the type changes from ${pc.type} to ${nc.type}`);
    if ((pc.collation ?? '').toLowerCase() !== (nc.collation ?? '').toLowerCase()) return unsupported(collationChange());
    if (pc.maxLength === -1 && nc.maxLength !== -1) return unsupported('a (max) column becomes limited (its off-row values must be rewritten)');
    const grows = nc.maxLength === -1 || nc.maxLength >= pc.maxLength;
    // Growth alters the column itself; anything else is a drop + add in place (same null bit, same slot).
    Object.assign(nc, { leafNullBit: pc.leafNullBit, leafOffset: pc.leafOffset, leafBitPosition: 0 });
    if (!grows) dropCopy();
    else cols.splice(cols.indexOf(pc), 1);
    cols.push(nc);
    def.columns[i] = next;
    return;
  }
  if ((pc.type === 'bit') !== (nc.type === 'bit')) return unsupported(`a change between bit and ${pc.type === 'bit' ? nc.type : pc.type}`);
  dropCopy();
  if (oldFixed && newFixed && nc.maxLength <= pc.maxLength) {
    // In place: the rows logged before this ALTER hold the old column's bytes in the slot. A char
    // column whose code page changes (Cyrillic_General_CI_AS → a 1252 default) would read them in
    // the new code page: plausible, wrong text ('Привет' as 'Ïðèâåò'), unsaid. Refused, as a
    // varchar's collation change is.
    if (pc.codePage !== null && nc.codePage !== null && pc.codePage !== nc.codePage) return unsupported(collationChange());
    // The dropped copy keeps the slot beside the new column: layout-rules.ts addInPlaceRetypeWarnings
    // names it on every row when its stored form differs (type, length, scale: decimal(10,2) →
    // decimal(10,4), char(10) → char(4)), as it does for the catalog paths.
    Object.assign(nc, { leafNullBit: pc.leafNullBit, leafOffset: pc.leafOffset, leafBitPosition: pc.leafBitPosition });
  } else {
    placeNew(cols, nc);
  }
  cols.push(nc);
  def.columns[i] = next;
}

/** A live column of the table (not dropped, not the uniquifier, not hidden). */
function isLiveUserColumn(c: ColumnLayout): boolean {
  return !c.isDropped && !c.isUniquifier && !c.isHidden;
}

interface AliasDef {
  base: TypeRef;
  nullable?: boolean;
}

/**
 * The key of an alias type in buildAliases' map: a two-part name by its parts (`q:` and
 * stagedTableName's form, lowercased: `[sales.flag]` of a type named Sales.Flag is not `sales.flag`
 * of type Flag in schema Sales), a name without a schema as `u:` and the name, lowercased. They
 * were one text, `schema.name`, so CREATE TYPE [Sales.Flag] FROM bit and CREATE TYPE Sales.Flag FROM
 * decimal(18,2) shared the key `sales.flag`, and a column typed [Sales.Flag] was read as decimal.
 */
function aliasKey(schema: string | undefined, name: string): string {
  return schema === undefined ? `u:${name.toLowerCase()}` : `q:${stagedTableName({ schema: schema.toLowerCase(), name: name.toLowerCase() })}`;
}

/**
 * The alias types a script declares (CREATE TYPE … FROM) and those given (`--type-alias NAME=TYPE`,
 * a job's metadata.typeAliases), keyed by aliasKey: a two-part name under its schema and, unless
 * taken, under its name alone; a one-part given name under its name alone. A given name is read as
 * T-SQL writes a name (util/tsql.ts splitNameParts: `[dbo].[Money2]`, `[Amount.Net]`, `"x"."y"`):
 * it was split at each dot, so `[dbo].[Money2]` was schema `[dbo]` and `[Amount.Net]` schema
 * `[Amount`, and no column's type was found. Throws InputError INPUT_BAD_OPTION for a given name of
 * more than two parts, an empty part or an unpaired bracket or quote; parseTypeText's SchemaError
 * for a type text it does not read.
 */
/**
 * The parts of a given alias type's NAME (`--type-alias NAME=TYPE`, a job's metadata.typeAliases),
 * read as T-SQL writes a name (util/tsql.ts splitNameParts): `Flag` → [Flag], `[dbo].[Money2]` →
 * [dbo, Money2], `[Amount.Net]` → [Amount.Net]. Throws InputError INPUT_BAD_OPTION naming
 * `NAME=TYPE` for a name of more than two parts, an empty part or an unpaired bracket or quote.
 * Exported for the CLI, which checks its options before it reads a --ddl file (a refusal of the
 * option read there was labelled with the file).
 */
export function typeAliasNameParts(name: string, text: string): string[] {
  let parts: string[];
  try {
    parts = splitNameParts(name);
  } catch (e) {
    throw new InputError('INPUT_BAD_OPTION', `--type-alias '${name}=${text}': ${(e as Error).message}; give the alias type as name or schema.name, in [brackets] when it holds a dot`);
  }
  if (parts.length > 2 || parts.some((p) => p === '')) throw new InputError('INPUT_BAD_OPTION', `--type-alias '${name}=${text}': '${name}' is not a one- or two-part type name; give it as name or schema.name, in [brackets] when it holds a dot ([Amount.Net])`);
  return parts;
}

function buildAliases(script: DdlScript, given: Record<string, string>, defaultSchema: string): Map<string, AliasDef> {
  const m = new Map<string, AliasDef>();
  const put = (schema: string | undefined, name: string, def: AliasDef): void => {
    m.set(aliasKey(schema ?? defaultSchema, name), def);
    if (!m.has(aliasKey(undefined, name))) m.set(aliasKey(undefined, name), def);
  };
  for (const a of script.aliases) put(a.qname.schema, a.qname.name, { base: a.base, nullable: a.nullable });
  for (const [name, text] of Object.entries(given)) {
    const parts = typeAliasNameParts(name, text);
    const def = { base: parseTypeText(text) };
    if (parts.length === 2) put(parts[0], parts[1]!, def);
    else m.set(aliasKey(undefined, parts[0]!), def);
  }
  return m;
}

function resolveType(ref: TypeRef, aliases: Map<string, AliasDef>, what: string, line: number): { spec: TypeSpec; aliasNullable?: boolean } {
  const seen = new Set<string>();
  let cur = ref;
  let aliasNullable: boolean | undefined;
  for (;;) {
    const qualified = cur.schema ? aliasKey(cur.schema, cur.name) : undefined;
    const a = (qualified && aliases.get(qualified)) || aliases.get(aliasKey(undefined, cur.name));
    // A system type name wins over an alias only when no alias of that name was declared.
    if (!a) break;
    const id = qualified ?? aliasKey(undefined, cur.name);
    if (seen.has(id)) throw new SchemaError('SCHEMA_DDL_INVALID', `alias type ${cur.name} refers to itself`, { line });
    seen.add(id);
    if (aliasNullable === undefined) aliasNullable = a.nullable;
    cur = a.base;
  }
  return { spec: typeSpecFromDdl(cur.name, cur.args, { line, what }), aliasNullable };
}

interface DeriveContext {
  schema: string;
  collation: string;
  aliases: Map<string, AliasDef>;
}

/** The clustered index of a table: an explicit CLUSTERED one, else a PRIMARY KEY without NONCLUSTERED. */
/**
 * The CREATE INDEX … WITH (DROP_EXISTING = ON) statements SQL Server refuses, so the table keeps the
 * index it had (MS Learn "CREATE INDEX", DROP_EXISTING): no index of that name on the table (error
 * 7999), a clustered rowstore index made nonclustered, and the index of a PRIMARY KEY or UNIQUE
 * constraint whose definition is altered (key columns, uniqueness, clustered or not: "if the index definition
 * is altered the CREATE INDEX statement fails"). Applied as written they gave a layout the table
 * never had: a heap made clustered (uniquifier, key columns first), a clustered table made a heap, a
 * primary key given a uniquifier. `old`: the table's index of that name, if any; `wasClustered`:
 * whether it is the table's clustered index. Throws SchemaError SCHEMA_DDL_INVALID naming the line.
 */
function refuseDropExisting(index: DdlIndex, old: DdlIndex | undefined, wasClustered: boolean, tableName: string): void {
  const q = (n: string | undefined) => `[${n ?? ''}]`;
  const at = `line ${index.line}: CREATE INDEX ${q(index.name)} … WITH (DROP_EXISTING = ON)`;
  const way = 'SQL Server refuses it (MS Learn "CREATE INDEX", DROP_EXISTING) and the table keeps its index as it was; correct the script (leave the statement out if it failed on the server)';
  const fail = (why: string): never => {
    throw new SchemaError('SCHEMA_DDL_INVALID', `${at}: ${why}: ${way}`, { line: index.line, table: tableName });
  };
  // a nonclustered one of no index places no row: its failing changes no layout
  if (!old) {
    if (index.clustered === true) fail(`${tableName} has no index named ${q(index.name)} in this script`);
    return;
  }
  if (wasClustered && !old.columnstore && index.clustered !== true) fail(`it would make ${tableName}'s clustered index ${q(index.name)} nonclustered`);
  if (old.primaryKey || old.constraint) {
    const cols = (ix: DdlIndex) => ix.columns.map((c) => c.toLowerCase()).join(',');
    const altered = !index.unique ? 'not UNIQUE' : cols(index) !== cols(old) ? `on (${index.columns.map(q).join(', ')}), not the key's (${old.columns.map(q).join(', ')})` : (index.clustered === true) !== wasClustered ? (wasClustered ? 'nonclustered' : 'clustered') : null;
    if (altered) fail(`it rebuilds the index of the ${old.primaryKey ? 'PRIMARY KEY' : 'UNIQUE constraint'} ${q(old.name)} ${altered}, an altered definition`);
  }
}

export function clusteredIndexOf(indexes: DdlIndex[], tableName: string): DdlIndex | undefined {
  const explicit = indexes.filter((ix) => ix.clustered === true);
  if (explicit.length > 1) {
    throw new SchemaError('SCHEMA_DDL_INVALID', `table ${tableName} has more than one clustered index (lines ${explicit.map((i) => i.line).join(', ')})`, { table: tableName, line: explicit[1]!.line });
  }
  if (explicit.length === 1) return explicit[0];
  // PRIMARY KEY defaults to CLUSTERED when no clustered index exists (Microsoft Learn, PRIMARY KEY constraints).
  return indexes.find((ix) => ix.primaryKey && ix.clustered === undefined);
}

function deriveLayout(t: DdlTable, indexes: DdlIndex[], ctx: DeriveContext): TableLayout {
  const tableName = `${ctx.schema}.${t.qname.name}`;
  const seen = new Set<string>();
  for (const c of t.columns) {
    if (c.dropped) continue;
    const k = c.name.toLowerCase();
    if (seen.has(k)) throw new SchemaError('SCHEMA_DDL_INVALID', `column ${c.name} is defined twice in ${tableName}`, { line: c.line, table: tableName, column: c.name });
    seen.add(k);
  }
  if (t.columns.length > 1024 && !t.columns.some((c) => c.sparse)) {
    throw new SchemaError('SCHEMA_DDL_INVALID', `${tableName} has ${t.columns.length} columns; a table without sparse columns allows 1,024`, { table: tableName });
  }
  const pkColumns = new Set(indexes.filter((i) => i.primaryKey).flatMap((i) => i.columns.map((c) => c.toLowerCase())));
  const clustered = clusteredIndexOf(indexes, tableName);
  const compression: Compression = clustered?.columnstore ? 'COLUMNSTORE' : (clustered?.compression ?? t.compression ?? 'NONE');

  // Logical columns with their column_id (declaration order, computed columns included).
  const logical: ColumnLayout[] = [];
  t.columns.forEach((c, i) => {
    const col = columnLayout(c, c.columnId ?? i + 1, !c.dropped && pkColumns.has(c.name.toLowerCase()), ctx, tableName);
    if (col) logical.push(col);
  });

  const byName = new Map(logical.filter((c) => !c.isDropped).map((c) => [c.name.toLowerCase(), c]));
  const keyCols: ColumnLayout[] = [];
  if (clustered) {
    clustered.columns.forEach((name, i) => {
      const c = byName.get(name.toLowerCase());
      if (!c) {
        const computed = t.columns.find((x) => x.name.toLowerCase() === name.toLowerCase());
        const why = computed ? 'is a non-persisted computed column' : 'is not a column of the table';
        throw new SchemaError('SCHEMA_DDL_INVALID', `clustered index key column ${name} ${why}`, { line: clustered.line, table: tableName, column: name });
      }
      c.keyOrdinal = i + 1;
      keyCols.push(c);
    });
  }
  const uniquifier = clustered && !clustered.unique && !clustered.columnstore ? uniquifierColumn() : undefined;

  const physical = [...keyCols, ...logical.filter((c) => !c.keyOrdinal)];
  assignLeafPositions(physical, uniquifier);

  const columns = [...(uniquifier ? [uniquifier] : []), ...logical].sort((a, b) => a.partitionColumnId - b.partitionColumnId);
  return {
    schema: ctx.schema,
    name: t.qname.name,
    indexId: clustered ? 1 : 0,
    compression,
    columns,
  };
}

/** Rules 3–5 and 7: fixed offsets, bit packing, variable indexes and null bits over the physical order. */
export function assignLeafPositions(physical: ColumnLayout[], uniquifier: ColumnLayout | undefined): void {
  let nullBit = 1;
  let varIndex = 1;
  if (uniquifier) {
    uniquifier.leafNullBit = nullBit++;
    uniquifier.leafOffset = -varIndex++;
  }
  let offset = 4;
  let bitByte = -1;
  let bitsUsed = 8;
  for (const c of physical) {
    if (c.isSparse) {
      c.leafOffset = 0;
      c.leafNullBit = 0;
      continue;
    }
    c.leafNullBit = nullBit++;
    if (c.type === 'bit') {
      if (bitsUsed === 8) {
        bitByte = offset;
        offset += 1;
        bitsUsed = 0;
      }
      c.leafOffset = bitByte;
      c.leafBitPosition = bitsUsed++;
    } else if (isFixedLength(c.type, c.maxLength)) {
      c.leafOffset = offset;
      offset += c.maxLength;
    } else {
      c.leafOffset = -varIndex++;
    }
  }
}

function uniquifierColumn(): ColumnLayout {
  return {
    name: 'UNIQUIFIER', columnId: 0, partitionColumnId: 0, type: 'int', maxLength: 4, precision: 10, scale: 0,
    collation: null, codePage: null, nullable: true, identity: false, computed: false,
    leafOffset: 0, leafNullBit: 0, leafBitPosition: 0, isDropped: false, isSparse: false, isUniquifier: true,
  };
}

function columnLayout(c: DdlColumn, columnId: number, inPk: boolean, ctx: DeriveContext, tableName: string): ColumnLayout | null {
  if (c.isColumnSet) return null;
  if (c.dropped && c.computed && !c.persisted) return null;
  if (c.computed && !c.persisted) return null;
  if (!c.type) {
    throw new SchemaError('SCHEMA_DDL_UNSUPPORTED', `persisted computed column ${c.name}: its stored type cannot be inferred from the expression; write it as AS CAST(… AS type) PERSISTED, or use catalog JSON (--schema)`, { line: c.line, table: tableName, column: c.name });
  }
  const { spec, aliasNullable } = resolveType(c.type, ctx.aliases, `column ${c.name}`, c.line);
  const collation = hasCollation(spec.type) ? (namedCollation(c.collation, ctx.collation) ?? ctx.collation) : null;
  const nullable = inPk || c.identity ? false : (c.nullable ?? aliasNullable ?? true);
  const col: ColumnLayout = {
    name: c.name,
    columnId,
    partitionColumnId: columnId,
    type: spec.type,
    maxLength: spec.maxLength,
    precision: spec.precision,
    scale: spec.scale,
    collation,
    codePage: usesCodePage(spec.type) ? codePageForCollation(collation) : null,
    nullable,
    identity: c.identity,
    computed: c.computed,
    leafOffset: 0,
    leafNullBit: 0,
    leafBitPosition: 0,
    isDropped: false,
    isSparse: c.sparse,
    isUniquifier: false,
  };
  if (c.dropped) {
    // sys.system_internals_partition_columns keeps the slot; sys.columns forgets the column.
    col.name = `$dropped_${columnId}`;
    col.columnId = 0;
    col.isDropped = true;
    col.nullable = true;
  }
  if (c.computed) col.persisted = true;
  if (c.rowGuidCol) col.isRowGuidCol = true;
  if (c.generatedAlways) col.generatedAlways = true;
  if (c.filestream) col.isFilestream = true;
  if (!c.addedLater && c.defaultExpr) col.declaredDefault = `DEFAULT ${tokensText(c.defaultExpr)}`;
  if (c.addedLater) {
    const d = addedColumnDefault(c, col);
    if (d !== undefined) col.defaultValue = d;
    else if (c.withValues && nullable) {
      const v = literalDefault(c, col);
      if (v !== undefined) col.addedWithValues = v;
    }
    if (d === undefined && col.addedWithValues === undefined && c.defaultExpr && (!nullable || c.withValues)) {
      col.addedWithExpression = `${nullable ? '' : 'NOT NULL '}DEFAULT ${tokensText(c.defaultExpr)}${c.withValues ? ' WITH VALUES' : ''}`;
    }
  }
  return col;
}

/** Tokens back to T-SQL text for messages: strings and quoted names re-quoted, a space between words. */
function tokensText(toks: readonly Token[]): string {
  let out = '';
  let prevWord = false;
  for (const t of toks) {
    const word = t.kind === 'ident' || t.kind === 'quoted' || t.kind === 'number' || t.kind === 'string' || t.kind === 'binary';
    if (word && prevWord) out += ' ';
    out += t.kind === 'string' ? `'${t.text.replace(/'/g, "''")}'` : t.kind === 'quoted' ? `[${t.text.replace(/]/g, ']]')}]` : t.text;
    prevWord = word;
  }
  return out;
}

/**
 * A column added by ALTER TABLE … ADD: rows written before it hold no value for it. With
 * `NOT NULL DEFAULT literal` SQL Server reports the default for those rows; otherwise NULL. A nullable
 * column added `DEFAULT literal WITH VALUES` gave the rows then in the table the default — kept in
 * metadata or written into them, depending on the edition and version — while a row deleted before
 * the ADD never had the column: such a record is read as NULL and its warning names the default
 * (ColumnLayout.addedWithValues). Only literal defaults are evaluated; an expression (getdate()) that
 * gave the rows a value (NOT NULL, or WITH VALUES) is named in the warning (ColumnLayout.addedWithExpression).
 */
function addedColumnDefault(c: DdlColumn, col: ColumnLayout): SqlValue | undefined {
  if (col.nullable) return undefined;
  return literalDefault(c, col);
}

/** The column's DEFAULT when it is a literal (a number, a string, a binary, a negative number), in output form; undefined otherwise (getdate() and other expressions). */
function literalDefault(c: DdlColumn, col: ColumnLayout): SqlValue | undefined {
  if (!c.defaultExpr || !defaultTextGivesValue(col.type)) return undefined;
  const toks = c.defaultExpr.filter((t) => !(t.kind === 'punct' && (t.text === '(' || t.text === ')')));
  let text: string;
  // a string keeps its quotes: defaultValueFromText tells the string 'NULL' from NULL, '(x)' from
  // (x), and a quoted date from a number (its text alone read as those)
  if (toks.length === 1 && toks[0]!.kind === 'string') text = `'${toks[0]!.text.replace(/'/g, "''")}'`;
  else if (toks.length === 1 && (toks[0]!.kind === 'number' || toks[0]!.kind === 'binary')) text = toks[0]!.text;
  else if (toks.length === 2 && toks[0]!.text === '-' && toks[1]!.kind === 'number') text = `-${toks[1]!.text}`;
  else return undefined;
  // a constant of another type for a character column, converted to the column's type: a number's
  // digits are its text (1.50, -3), but a money constant ($1.5 reads '1.50'), a float (1e3: '1000'),
  // leading zeros (007: '7') or a binary (0x41: 'A') convert to other text: refused, not printed as
  // typed. (A catalog's default_value is the stored value's text, unquoted: not this check's.)
  if (toks[toks.length - 1]!.kind !== 'string' && ['char', 'nchar', 'varchar', 'nvarchar', 'text', 'ntext'].includes(col.type) && !/^(0|-?[1-9]\d*)(\.\d+)?$/.test(text) && !/^-0\.\d*[1-9]\d*$/.test(text)) {
    throw new SchemaError('SCHEMA_BAD_DEFAULT', `default '${text}' is a constant of another type than ${col.type}, which SQL Server converts to other text than it reads (a money constant, a float, leading zeros, a binary): give it as a string`, { column: col.name });
  }
  return defaultValueFromText(text, col);
}
