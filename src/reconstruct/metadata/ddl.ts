import { SchemaError } from '../../errors.js';
import { codePageForCollation } from '../collation.js';
import type { SqlValue } from '../values.js';
import { parseDdl, parseTypeText, type DdlAlteration, type DdlColumn, type DdlIndex, type DdlScript, type DdlTable, type QName, type TypeRef } from './ddl-parser.js';
import { defaultValueFromText } from './default-value.js';
import { DEFAULT_COLLATION, hasCollation, isFixedLength, typeSpecFromDdl, usesCodePage, type TypeSpec } from './layout-rules.js';
import type { ColumnLayout, Compression, TableLayout } from './table-layout.js';

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

export function layoutsFromDdl(sql: string, opts: DdlOptions = {}): TableLayout[] {
  const script = parseDdl(sql);
  return layoutsFromScript(script, opts);
}

export function layoutsFromScript(script: DdlScript, opts: DdlOptions = {}): TableLayout[] {
  const defaultSchema = opts.defaultSchema ?? 'dbo';
  const collation = opts.defaultCollation ?? DEFAULT_COLLATION;
  const key = (q: QName): string => `${(q.schema ?? defaultSchema).toLowerCase()}.${q.name.toLowerCase()}`;
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
    ...script.indexes.map((index): Event => ({ seq: index.seq, order: 1, kind: 'index', index })),
    ...script.alterations.map((alteration): Event => ({ seq: alteration.seq, order: 1, kind: 'alter', alteration })),
    ...script.droppedTables.map((d): Event => ({ seq: d.seq, order: 1, kind: 'droptable', qname: d.qname })),
  ];
  events.sort((a, b) => a.seq - b.seq || a.order - b.order);

  const tables = new Map<string, DdlTable>();
  const indexesByTable = new Map<string, DdlIndex[]>();
  for (const e of events) {
    if (e.kind === 'create') {
      const k = key(e.table.qname);
      if (tables.has(k)) throw new SchemaError('SCHEMA_DDL_INVALID', `table ${k} is created twice (no DROP TABLE between)`, { line: e.table.qname.line, table: k });
      tables.set(k, { seq: e.table.seq, qname: e.table.qname, columns: [...e.table.columns], compression: e.table.compression });
      indexesByTable.set(k, []);
    } else if (e.kind === 'droptable') {
      // Dropping a table the script never created (IF EXISTS … DROP) is fine.
      tables.delete(key(e.qname));
      indexesByTable.delete(key(e.qname));
    } else if (e.kind === 'alter') {
      const a = e.alteration;
      const t = tables.get(key(a.table));
      const line = a.kind === 'drop' ? a.line : a.column.line;
      if (!t) throw new SchemaError('SCHEMA_DDL_INVALID', `ALTER TABLE ${key(a.table)}: the table is not created in this script`, { line });
      applyAlteration(t, a, { aliases, collation, tableName: key(a.table) });
    } else {
      const k = key(e.index.table);
      if (!tables.has(k)) {
        throw new SchemaError('SCHEMA_DDL_INVALID', `index or key on ${k}: the table is not created in this script`, { line: e.index.line, table: k });
      }
      indexesByTable.get(k)!.push(e.index);
    }
  }

  const out: TableLayout[] = [];
  for (const [k, t] of tables) {
    out.push(deriveLayout(t, indexesByTable.get(k) ?? [], { schema: t.qname.schema ?? defaultSchema, collation, aliases }));
  }
  return out;
}

/**
 * ALTER TABLE, the way SQL Server applies it to the physical rowset:
 *  - ADD: a new physical column after the existing ones (so the same slots a fresh table with the
 *    column declared last would get); older rows lack it and read its default or NULL.
 *  - DROP COLUMN: metadata only — the column keeps its slot (is_dropped = 1) until a rebuild, so old
 *    and new rows still carry its bytes (Microsoft Learn, ALTER TABLE: "dropping a column does not
 *    reclaim the disk space"). It stays in the layout as `$dropped_<partition_column_id>`.
 *  - ALTER COLUMN: only changes that keep the physical slot are derivable — nullability, or a
 *    variable-length column growing within its type. Anything else may move the column to a new
 *    physical slot, which only the catalog knows.
 */
function applyAlteration(t: DdlTable, a: DdlAlteration, ctx: { aliases: Map<string, AliasDef>; collation: string; tableName: string }): void {
  if (a.kind === 'add') {
    t.columns.push(a.column);
    return;
  }
  const name = a.kind === 'drop' ? a.name : a.column.name;
  const i = t.columns.findIndex((c) => !c.dropped && c.name.toLowerCase() === name.toLowerCase());
  const line = a.kind === 'drop' ? a.line : a.column.line;
  if (i < 0) throw new SchemaError('SCHEMA_DDL_INVALID', `ALTER TABLE ${ctx.tableName}: no column ${name}`, { line, table: ctx.tableName, column: name });
  const old = t.columns[i]!;
  if (a.kind === 'drop') {
    t.columns[i] = { ...old, dropped: true };
    return;
  }
  const unsupported = (why: string): never => {
    throw new SchemaError('SCHEMA_DDL_UNSUPPORTED', `ALTER TABLE ${ctx.tableName} ALTER COLUMN ${name}: ${why}; SQL Server may have moved the column to a new physical slot, which only the catalog knows — use catalog JSON (--schema)`, { line, table: ctx.tableName, column: name });
  };
  if (!old.type || !a.column.type || old.computed) return unsupported('not a plain stored column');
  const before = resolveType(old.type, ctx.aliases, `column ${name}`, old.line).spec;
  const after = resolveType(a.column.type, ctx.aliases, `column ${name}`, line).spec;
  const sameSpec = before.type === after.type && before.maxLength === after.maxLength && before.precision === after.precision && before.scale === after.scale;
  const widenedVar = before.type === after.type && !isFixedLength(before.type, before.maxLength) && !isFixedLength(after.type, after.maxLength)
    && (after.maxLength === -1 ? before.maxLength !== 16 : before.maxLength !== -1 && after.maxLength >= before.maxLength);
  const oldCollation = old.collation ?? ctx.collation;
  const newCollation = a.column.collation ?? oldCollation;
  if (hasCollation(after.type) && newCollation.toLowerCase() !== oldCollation.toLowerCase()) return unsupported('the collation changes');
  if (!sameSpec && !widenedVar) return unsupported(`the type changes from ${describeSpec(before)} to ${describeSpec(after)}`);
  t.columns[i] = { ...old, type: a.column.type, nullable: a.column.nullable ?? true, collation: newCollation === ctx.collation && !old.collation ? undefined : newCollation };
}

function describeSpec(s: TypeSpec): string {
  return `${s.type}(${s.maxLength === -1 ? 'max' : s.maxLength} bytes)`;
}

interface AliasDef {
  base: TypeRef;
  nullable?: boolean;
}

function buildAliases(script: DdlScript, given: Record<string, string>, defaultSchema: string): Map<string, AliasDef> {
  const m = new Map<string, AliasDef>();
  const put = (schema: string | undefined, name: string, def: AliasDef): void => {
    m.set(`${(schema ?? defaultSchema).toLowerCase()}.${name.toLowerCase()}`, def);
    if (!m.has(name.toLowerCase())) m.set(name.toLowerCase(), def);
  };
  for (const a of script.aliases) put(a.qname.schema, a.qname.name, { base: a.base, nullable: a.nullable });
  for (const [name, text] of Object.entries(given)) {
    const parts = name.split('.');
    const base = parseTypeText(text);
    const def = { base };
    if (parts.length === 2) put(parts[0], parts[1]!, def);
    else m.set(name.toLowerCase(), def);
  }
  return m;
}

function resolveType(ref: TypeRef, aliases: Map<string, AliasDef>, what: string, line: number): { spec: TypeSpec; aliasNullable?: boolean } {
  const seen = new Set<string>();
  let cur = ref;
  let aliasNullable: boolean | undefined;
  for (;;) {
    const qualified = cur.schema ? `${cur.schema.toLowerCase()}.${cur.name.toLowerCase()}` : undefined;
    const a = (qualified && aliases.get(qualified)) || aliases.get(cur.name.toLowerCase());
    // A system type name wins over an alias only when no alias of that name was declared.
    if (!a) break;
    const id = qualified ?? cur.name.toLowerCase();
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
    const col = columnLayout(c, i + 1, !c.dropped && pkColumns.has(c.name.toLowerCase()), ctx, tableName);
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
  const collation = hasCollation(spec.type) ? (c.collation ?? ctx.collation) : null;
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
  if (c.addedLater) {
    const d = addedColumnDefault(c, col);
    if (d !== undefined) col.defaultValue = d;
  }
  return col;
}

/**
 * A column added by ALTER TABLE … ADD: rows written before it hold no value for it. With
 * `NOT NULL DEFAULT literal` (or `WITH VALUES`) SQL Server reports the default for those rows;
 * otherwise NULL. Only literal defaults are evaluated; expressions (getdate()) stay NULL.
 */
function addedColumnDefault(c: DdlColumn, col: ColumnLayout): SqlValue | undefined {
  if (!c.defaultExpr || col.nullable) return undefined;
  const toks = c.defaultExpr.filter((t) => !(t.kind === 'punct' && (t.text === '(' || t.text === ')')));
  let text: string;
  if (toks.length === 1 && (toks[0]!.kind === 'number' || toks[0]!.kind === 'string' || toks[0]!.kind === 'binary')) text = toks[0]!.text;
  else if (toks.length === 2 && toks[0]!.text === '-' && toks[1]!.kind === 'number') text = `-${toks[1]!.text}`;
  else return undefined;
  return defaultValueFromText(text, col);
}
