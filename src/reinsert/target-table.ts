import type { SqlTypeName, TableLayout } from '../reconstruct/metadata/table-layout.js';
import { visibleColumns } from '../reconstruct/metadata/table-layout.js';
import { columnCodePage } from '../reconstruct/types/index.js';
import { stagedTableName } from '../util/tsql.js';

/**
 * What the re-insert planner needs to know about a target table. Read from the target's catalog
 * (catalog.ts) when connected, or derived from the layout the rows were decoded with
 * (`fromLayout`) for an offline dry run.
 */
export interface TargetColumn {
  name: string;
  type: SqlTypeName;
  /** sys.columns.max_length: bytes; -1 for (max). */
  maxLength: number;
  precision: number;
  scale: number;
  nullable: boolean;
  identity: boolean;
  computed: boolean;
  /**
   * GENERATED ALWAYS (sys.columns.generated_always_type ≠ 0: a temporal table's period columns, AS ROW
   * START / AS ROW END, or a ledger table's generated columns). The server sets them; an INSERT that
   * names one is refused (Msg 13536, "Cannot insert an explicit value into a GENERATED ALWAYS column
   * … Use INSERT with a column list to exclude the GENERATED ALWAYS column"). Absent = not generated.
   */
  generatedAlways?: boolean;
  /**
   * sys.columns.collation_name: the column's collation, for character-based columns (char, varchar,
   * text, nchar, nvarchar, ntext; Microsoft Learn, sys.columns: "Name of the collation of the column
   * if character-based; otherwise, NULL"). Absent: not read (a catalog or caller that does not say).
   */
  collation?: string | null;
  /**
   * The code page of a char/varchar/text column's data: COLLATIONPROPERTY(collation_name, 'CodePage')
   * (Microsoft Learn, COLLATIONPROPERTY: "Non-Unicode code page of the collation. This is the character
   * set used for varchar data", base type int): 1252 for Latin1_General and SQL_Latin1_General_CP1,
   * 1250 for Polish, 1251 for Cyrillic_General, 65001 for the `_UTF8` collations (SQL Server 2019+:
   * every character fits), 0 for a Unicode-only collation; null where the collation is (a column that
   * is not character-based). nchar/nvarchar/ntext columns have one too (their collation's), but hold
   * UTF-16 whatever it is: only char/varchar/text values are checked against it. Absent: not known,
   * and nothing is checked against it (planParam). The server converts the nvarchar value rowback sends into this code
   * page on INSERT, a character it lacks becoming '?' or a look-alike with no error (sql-types.ts
   * assertCodePageHolds).
   */
  codePage?: number | null;
  /**
   * sys.columns.is_ansi_padded: false for a char/varchar/binary/varbinary column created under SET
   * ANSI_PADDING OFF, which keeps that behaviour whatever a later session sets (Microsoft Learn, SET
   * ANSI_PADDING: "After the column is created, SQL Server stores the values based on the setting
   * when the column was created"): its varchar/varbinary values, and a nullable char/binary column's,
   * lose their trailing blanks / zero bytes on INSERT (sql-types.ts assertNotTrimmed). Absent: not
   * read (planned without the target's catalog).
   */
  ansiPadded?: boolean;
  /**
   * sys.columns.is_filestream: a FILESTREAM column, whose value is a file of the target's FILESTREAM
   * container. rowback never recovers such a value (a log row image, page or backup page holds only
   * the row's pointer to it), so any value it holds for one is refused (sql-types.ts planParam).
   * Absent: not a FILESTREAM column, or not read.
   */
  filestream?: boolean;
  /**
   * Whether the column has a default (sys.columns.default_object_id ≠ 0). A NOT NULL column without
   * one takes no INSERT that leaves it out (Msg 515): a row with no value for it is refused per row
   * (plan.ts planRow). Absent: not known (planned without the target's catalog), nothing refused.
   */
  hasDefault?: boolean;
}

/**
 * A unique index or UNIQUE constraint of a target table other than the one its conflict key
 * (TargetTable.keyColumns) was taken from, as the target's catalog gives it (mssql-target.ts
 * targetUniqueKeysSql; Microsoft Learn, sys.indexes: is_unique "1 = Index is unique",
 * is_unique_constraint, ignore_dup_key, has_filter, filter_definition; sys.index_columns:
 * key_ordinal, "0 = Not a key column"). A recovered row whose values in `columns` another row
 * already holds is refused by the server (Msg 2601 for an index, 2627 for a constraint), which rolls
 * back the row's whole batch; with `ignoreDupKey` the server drops the row instead, with only a
 * warning, and rowback would record it inserted. The re-insert looks for such a row first
 * (plan.ts planRow: PlannedRow.uniqueChecks).
 */
export interface UniqueKey {
  /** sys.indexes.name: the index's (or the UNIQUE constraint's) name. */
  name: string;
  /** The key columns (sys.index_columns.key_ordinal > 0; included columns are not), in key order. */
  columns: string[];
  /**
   * sys.indexes.filter_definition when has_filter = 1: the server's own T-SQL text of the filter
   * predicate (e.g. `([Email] IS NOT NULL)`), whose column names the server writes bracket-quoted.
   * The index holds, and so constrains, only rows satisfying it. Absent: not filtered.
   */
  filter?: string;
  /** sys.indexes.ignore_dup_key = 1: a duplicate is dropped with a warning, not refused. Absent: OFF. */
  ignoreDupKey?: boolean;
  /** sys.indexes.is_unique_constraint = 1: a UNIQUE constraint (Msg 2627) rather than an index (Msg 2601). */
  constraint?: boolean;
}

export interface TargetTable {
  schema: string;
  name: string;
  columns: TargetColumn[];
  /** Primary key (or unique clustered key) columns, in key order; empty when the table has none. */
  keyColumns: string[];
  /**
   * The conflict key's own index (sys.indexes), when the catalog read it: its name, and whether
   * IGNORE_DUP_KEY is ON for it. A row whose key holds NULL (a unique clustered index's nullable
   * column) cannot be looked for by key, and is then checked as a unique key (NULL equal to NULL).
   * Absent: not read.
   */
  keyIndex?: { name: string; ignoreDupKey?: boolean; primaryKey?: boolean };
  /**
   * The table's other unique indexes and UNIQUE constraints (UniqueKey), enabled and not
   * hypothetical, read from the target's catalog; [] when it has none. Absent: not read (planned
   * from the staged layouts, without a target connection): nothing is checked for them, and the
   * script's head says so.
   */
  uniqueKeys?: UniqueKey[];
  /**
   * The table's enabled INSTEAD OF INSERT and INSTEAD OF DELETE triggers (target-triggers.ts), read
   * from the target's catalog; empty lists when it has none. Absent: not read (planned without a
   * target connection). A row into a table with an INSTEAD OF INSERT trigger is refused
   * (REINSERT_INSTEAD_OF_TRIGGER); the undo script's head warns of INSTEAD OF DELETE ones.
   */
  insteadOfTriggers?: { insert: string[]; delete: string[] };
  /**
   * The table's enabled AFTER INSERT triggers (target-triggers.ts), read by the same catalog query as
   * `insteadOfTriggers`: each runs once per INSERT statement of the re-insert (once per row of the
   * script, once per bulk load of a run) and may write elsewhere (an audit table, a counter, a
   * queue), which no undo takes back. Not refused: the script's head and the run's summary name them
   * (plan.ts afterInsertHead). Absent with `insteadOfTriggers` present: none; both absent: not read.
   */
  afterInsertTriggers?: string[];
  /**
   * The unique indexes of indexed views that read the table (mssql-target.ts
   * targetViewUniqueKeysSql): a view's first index is a unique clustered index, and a recovered row
   * whose view row's key another row of the view already holds fails its INSERT (Msg 2601). The
   * view's definition is not evaluated, so those are not checked; the script's head names them. []
   * when there is none. Absent: not read.
   */
  viewUniqueKeys?: ViewUniqueKey[];
}

/** A unique index of an indexed view over a target table (TargetTable.viewUniqueKeys). */
export interface ViewUniqueKey {
  /** The view's two-part name as util/tsql.ts stagedTableName writes it: `schema.name`, `[schema].[name]` when a part holds a dot (`[dbo].[Active.Emails]`; the plain text, `dbo.Active.Emails`, was split at each dot and the script named a view `[dbo].[Active].[Emails]`, three parts). */
  view: string;
  /** The index's name (sys.indexes.name). */
  index: string;
  /** Its key columns (the view's columns), in key order. */
  columns: string[];
}

export interface ForeignKey {
  name: string;
  /** The referencing (child) table, as the plan keys it: stagedTableName (`schema.name`, or `[schema].[name]` when a part holds a dot). */
  child: string;
  /** The referenced (parent) table, as `child`. */
  parent: string;
  /**
   * A self-reference's column pairs in key order (`child`: the referencing column, `parent`: the
   * column it references), read for foreign keys of a table to itself (targetSelfFkColumnsSql) so
   * that the planner puts a parent row before the rows of the same table that reference it.
   */
  columns?: { child: string; parent: string }[];
}

/** A target table's name as its plan keys it: stagedTableName (`schema.name`, or `[schema].[name]` when a part holds a dot or needs quoting). */
export function qualified(t: Pick<TargetTable, 'schema' | 'name'>): string {
  return stagedTableName(t);
}

/**
 * Columns an INSERT writes: not computed, not rowversion/timestamp, not GENERATED ALWAYS (a temporal
 * table's period columns: the re-inserted row's period starts at the re-insert, as the server sets it).
 */
export function insertableColumns(t: TargetTable): TargetColumn[] {
  return t.columns.filter((c) => !c.computed && c.type !== 'timestamp' && !c.generatedAlways);
}

export function hasIdentity(t: TargetTable): boolean {
  return insertableColumns(t).some((c) => c.identity);
}

/**
 * From a decoded layout: the clustered key is the conflict key unless the index is non-unique
 * (a uniquifier column is present), in which case there is no key to check. A char/varchar/text
 * column's collation and code page are the source column's, the code page its values were decoded
 * from (types/index.ts columnCodePage: 1252 where the layout names none): planned without a target,
 * the target's collation is assumed to be the source's, which every value decoded from it fits, so
 * nothing is refused for its code page (the dry run's header says the target's collations were not read).
 */
export function fromLayout(l: TableLayout): TargetTable {
  const cols = visibleColumns(l);
  const unique = !l.columns.some((c) => c.isUniquifier);
  const keyColumns = unique
    ? cols.filter((c) => (c.keyOrdinal ?? 0) > 0).sort((a, b) => (a.keyOrdinal ?? 0) - (b.keyOrdinal ?? 0)).map((c) => c.name)
    : [];
  return {
    schema: l.schema,
    name: l.name,
    columns: cols.map((c) => ({
      name: c.name, type: c.type === 'sysname' ? 'nvarchar' : c.type, maxLength: c.type === 'sysname' ? 256 : c.maxLength,
      precision: c.precision, scale: c.scale, nullable: c.nullable, identity: c.identity, computed: c.computed,
      ...(c.generatedAlways ? { generatedAlways: true } : {}),
      ...(c.type === 'char' || c.type === 'varchar' || c.type === 'text' ? { collation: c.collation, codePage: columnCodePage(c) } : {}),
    })),
    keyColumns,
  };
}
