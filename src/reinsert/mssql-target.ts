import { createRequire } from 'node:module';
import sql from 'mssql';
import { InputError, ReinsertError } from '../errors.js';
import type { SqlTypeName } from '../reconstruct/metadata/table-layout.js';
import { quoteName, splitQualifiedName, stagedTableName } from '../util/tsql.js';
import { rowLedgerDdl, type PlannedBatch, type PlannedRow } from './plan.js';
import { toMssqlType } from './param-type.js';
import { shortestFloat32 } from '../reconstruct/types/float.js';
import type { BatchOutcome, ReinsertTarget, RowLedgerEntry, TargetSession } from './target.js';
import type { ForeignKey, TargetTable, ViewUniqueKey } from './target-table.js';
import { insteadOfTriggersFromCatalog, targetInsteadOfTriggersSql, type TriggerRow } from './target-triggers.js';
import { appendAll } from '../util/append-all.js';

/**
 * The host the driver would dial for `connectionString` (mssql's own parser, as MssqlTarget
 * connects), or null when it cannot parse it. Constructing a pool does not connect.
 */
export function driverServerOf(connectionString: string): string | null {
  try {
    const server = (new sql.ConnectionPool(connectionString) as unknown as { config: { server?: unknown } }).config.server;
    return typeof server === 'string' && server ? server : null;
  } catch {
    return null;
  }
}

/**
 * The database the driver opens for `connectionString` (its Database / Initial Catalog, by mssql's
 * own parser, as MssqlTarget connects), or null when it names none (the login's default database)
 * or cannot be parsed. The MSSQL_* variables are not the driver's: they name no database here.
 */
export function driverDatabaseOf(connectionString: string): string | null {
  try {
    const database = (new sql.ConnectionPool(connectionString) as unknown as { config: { database?: unknown } }).config.database;
    return typeof database === 'string' && database ? database : null;
  } catch {
    return null;
  }
}

/**
 * The request timeout (milliseconds) a re-insert target's requests get when its connection string
 * sets none: 10 minutes. mssql's own default is 15 s (mssql lib/tedious/connection-pool.js:
 * `requestTimeout ?? … ?? 15000`), which a batch of 500 rows loaded with its triggers and
 * constraints on a busy server, or a batch waiting on a lock another session holds (SQL Server's
 * LOCK_TIMEOUT is -1, wait for ever, by default), outlasted: the batch failed and the run had to be
 * resumed. No timeout at all (sqlcmd's and SSMS's default) would leave a run behind an abandoned
 * open transaction waiting for ever while it holds its own locks (the row ledger is read WITH
 * UPDLOCK, HOLDLOCK); 10 minutes bounds that and outlasts any batch that is merely slow.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 600_000;

/**
 * The driver configuration MssqlTarget connects with: `connectionString` as mssql parses it, with
 * `options.useUTC` always true, and `requestTimeout` (milliseconds) the string's own when it sets
 * one, else DEFAULT_REQUEST_TIMEOUT_MS.
 *
 * useUTC: planParam (sql-types.ts) hands date, datetime, smalldatetime,
 * datetime2 and time values to the driver as JavaScript Dates carrying the value in their UTC
 * parts, and tedious reads a Date's UTC parts only under useUTC (tedious data-types/datetime2.js,
 * datetime.js, date.js, time.js, smalldatetime.js: `options.useUTC ? value.getUTCHours() :
 * value.getHours()`). mssql takes `UseUTC` from the connection string (`UseUTC=false`, common in
 * Node applications' own settings, is read as false): a configured target carrying it (serve's
 * `targets`, whose strings are handed to the driver as they are) put every such value in shifted
 * by the offset of the time zone rowback runs in (TZ=Asia/Kolkata: '2024-01-02T10:00:00' went in
 * as 15:30, a time that looks right), with nothing said. Nothing else rowback sends or reads
 * through this connection depends on it (values are read back as text: liveColumnExpression).
 *
 * requestTimeout: the key mssql reads is `Request Timeout` (any letter case), in milliseconds
 * (mssql lib/base/connection-pool.js: `parseInt(value, 10)`, unlike `Connect Timeout`, seconds);
 * `0` or a negative value is no timeout (tedious-pool: `< 0` → 0). `RequestTimeout` and
 * `requestTimeout` are not keys mssql reads; SqlClient's `Command Timeout` (seconds, Microsoft
 * Learn, SqlConnection.ConnectionString: "Command Timeout … in seconds … 0 indicates no limit") is
 * not either, and is read here (whole seconds; refused beside a Request Timeout). A `Request Timeout`
 * that is no whole number of milliseconds as written is refused: no number at all (mssql gives
 * null, and the driver took its 15 s), or one parseInt cuts short ('30s' was 30 ms, '1.5' and
 * '1e6' 1 ms: every request then timed out at once; rawRequestTimeout).
 * Throws InputError INPUT_BAD_OPTION for that; what mssql's parser throws for a string it cannot read.
 */
export function targetPoolConfig(connectionString: string): sql.config {
  const config = (sql.ConnectionPool as unknown as { parseConnectionString(s: string): sql.config }).parseConnectionString(connectionString);
  const given = (config as { requestTimeout?: number | null }).requestTimeout;
  // mssql reads the value with parseInt, which stops at the first non-digit: '30s' was 30 ms,
  // '1.5' and '1e6' 1 ms, '2 minutes' 2 ms, every request then timing out at once. The value as
  // written must be a whole number of milliseconds.
  const raw = rawConnectionValue(connectionString, 'request timeout');
  if (given === null || (given !== undefined && !Number.isFinite(given)) || (raw !== undefined && !/^[+-]?\d+$/.test(raw.trim()))) {
    throw new InputError('INPUT_BAD_OPTION', 'the target\'s connection string sets Request Timeout to something that is not a number: give it in milliseconds (Request Timeout=600000 for 10 minutes; 0 for none)', { field: 'connectionString' });
  }
  // SqlClient's `Command Timeout` (seconds; 0 = none): a .NET application's connection string pasted
  // as it is. mssql does not read it, so a `Command Timeout=0` meant to lift the limit left the
  // 10 minutes, and `Command Timeout=30` had no effect. Read here, in seconds, when the string sets
  // no Request Timeout; both set is refused (which one was meant cannot be told).
  const command = rawConnectionValue(connectionString, 'command timeout');
  if (command !== undefined) {
    if (raw !== undefined) throw new InputError('INPUT_BAD_OPTION', 'the target\'s connection string sets both Request Timeout (mssql\'s key, milliseconds) and Command Timeout (SqlClient\'s, seconds): keep one', { field: 'connectionString' });
    if (!/^\d+$/.test(command.trim())) throw new InputError('INPUT_BAD_OPTION', 'the target\'s connection string sets Command Timeout to something that is not a whole number of seconds: give it in seconds (Command Timeout=600 for 10 minutes; 0 for none)', { field: 'connectionString' });
    return { ...config, requestTimeout: Number(command.trim()) * 1000, options: { ...config.options, useUTC: true } };
  }
  return { ...config, requestTimeout: given ?? DEFAULT_REQUEST_TIMEOUT_MS, options: { ...config.options, useUTC: true } };
}

/**
 * The value of `key` (lower case: `request timeout`, `command timeout`) in `connectionString` as
 * written (the last one given), read by the parser mssql itself reads connection strings with
 * (@tediousjs/connection-string, resolved from mssql's own location so that it is mssql's copy: key
 * case and spaces, quoting as mssql takes them), or undefined when the string sets none or that
 * parser cannot be loaded (then mssql's number is all there is).
 */
function rawConnectionValue(connectionString: string, key: string): string | undefined {
  try {
    const fromMssql = createRequire(createRequire(import.meta.url).resolve('mssql'));
    const cs = fromMssql('@tediousjs/connection-string') as { parse(s: string): { get(key: string): string | undefined } };
    return cs.parse(connectionString).get(key);
  } catch {
    return undefined;
  }
}

/**
 * What a target request that timed out becomes: `e` when it is not a driver timeout (mssql/tedious
 * code `ETIMEOUT`), else a ReinsertError REINSERT_TIMEOUT saying what timed out (`what`, e.g.
 * `the INSERT of row 12 into [dbo].[T]`), after how long (`timeoutMs`, milliseconds; 0 or less:
 * none was set, so not a request timeout), and how to raise it (`Request Timeout`, milliseconds,
 * in the target's connection string). The driver's own message ("Timeout: Request failed to
 * complete in 15000ms") named neither. `inBatch`: the request was part of a batch (its statements,
 * ledger reads and writes, COMMIT), whose fate the message then says; false for the catalog read
 * and the ledger tables' creation, before any batch. The original error is the cause. A connection that could
 * not be made in time (also ETIMEOUT: "Failed to connect to … in …ms") is returned as it is.
 */
export function timeoutError(e: unknown, what: string, timeoutMs: number, inBatch = true): unknown {
  if ((e as { code?: unknown } | null)?.code !== 'ETIMEOUT' || !(e instanceof Error) || timeoutMs <= 0) return e;
  // a new pooled connection that could not be made in its Connect Timeout (tedious: "Failed to
  // connect to host:1433 in 15000ms") carries ETIMEOUT too: not the request's timeout
  if (/Failed to connect|acquire a connection/i.test(e.message)) return e;
  const limit = timeoutMs >= 60_000 && timeoutMs % 60_000 === 0 ? `${timeoutMs / 60_000} minute(s)` : timeoutMs >= 1000 && timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
  return new ReinsertError('REINSERT_TIMEOUT', `${what} did not finish within ${limit} (the request timeout, ${timeoutMs} ms): the target may be waiting on a lock another session holds, or the batch is slow; raise it with Request Timeout=<milliseconds> in the target's connection string (Request Timeout=1800000 for 30 minutes, 0 for none), ${inBatch ? "or plan a new run with a smaller batchSize; the batch rolled back unless this was its COMMIT, which may have committed: a resume reads the target's ledger first and runs the batch again only if it did not" : 'then try again (no batch had begun: nothing was inserted)'}`, {}, { cause: e });
}

export interface MssqlTargetOptions {
  /** ADO-style connection string (never logged). */
  connectionString: string;
  /** Target database; the connection's database when omitted. */
  database?: string;
  /** Where the ledger table lives (in the target database): default `dbo.rowback_reinsert_ledger`. */
  ledgerTable?: string;
}

/**
 * The parameter list `@n0, @n1, …` for `count` table names (`schema.name`), each bound as its own
 * nvarchar parameter (MssqlTarget.loadTables). The names were one JSON parameter read by OPENJSON,
 * which exists only under database compatibility level 130 or higher (Microsoft Learn, OPENJSON:
 * "If your database compatibility level is lower than 130, SQL Server can't find and run the
 * OPENJSON function"): a target database kept at 120 or lower after an upgrade, as many are, or any
 * server before 2016, failed every real run and every dry run against it at its first query; and
 * CONCAT needs 2012. Plain `+` and a parameter list work on every version rowback's scripts claim.
 */
function nameParams(count: number): string {
  return Array.from({ length: count }, (_, i) => `@n${i}`).join(', ');
}

/** Names per catalog query: SQL Server takes at most 2,100 parameters in one request. */
export const CATALOG_NAMES_PER_QUERY = 1000;

/**
 * Columns of the named tables (`count` names: nameParams): base type names (alias types resolved;
 * the CLR types hierarchyid, geometry and geography by their own type, as they share
 * system_type_id 240, which names no type: TYPE_NAME(240) is NULL), key = the primary key, else
 * the unique clustered index: one index per table. The key ordinal was taken per column from either
 * (the primary key's where the column is in it, else the clustered index's), so a nonclustered
 * primary key (A, B) beside a unique clustered index (C, D) could give the key (C, B), which is no
 * key: a row holding C and B of another row was taken for a conflict and not inserted.
 *
 * generated_always_type (sys.columns, SQL Server 2016+: 1 AS ROW START, 2 AS ROW END of a
 * system-versioned temporal table; 7–10 ledger / transaction-id / sequence columns) is read through
 * COLUMNPROPERTY(…, 'GeneratedAlwaysType'), which answers NULL (taken as 0) where the property does
 * not exist, so the query still runs on servers before 2016 where sys.columns has no such column.
 *
 * collation_name (sys.columns: the column's collation if character-based, else NULL) and its code
 * page, COLLATIONPROPERTY(collation_name, 'CodePage') (Microsoft Learn, COLLATIONPROPERTY: the
 * non-Unicode code page of the collation, "the character set used for varchar data"; 65001 for the
 * `_UTF8` collations of SQL Server 2019+), NULL for a NULL collation. COLLATIONPROPERTY returns
 * sql_variant (base type int): CONVERT(int, …) so that the driver reads a plain int (tedious: a
 * number) on every version. A char/varchar/text value is sent as nvarchar and the server converts
 * it into this code page on INSERT (sql-types.ts planParam): a character the code page lacks is
 * checked for before anything is sent (assertCodePageHolds).
 *
 * is_ansi_padded (sys.columns, every version since 2005): 0 for a column created under SET
 * ANSI_PADDING OFF, which trims its values' trailing blanks / zero bytes on INSERT whatever the
 * session sets (TargetColumn.ansiPadded; sql-types.ts assertNotTrimmed).
 *
 * is_filestream (sys.columns, SQL Server 2008+, as this query's other columns need): a FILESTREAM
 * column, whose value rowback never recovers (TargetColumn.filestream; sql-types.ts planParam).
 *
 * has_default: whether the column has a default (sys.columns.default_object_id, "0 = No default",
 * every version since 2005): a NOT NULL column without one takes no INSERT that leaves it out
 * (TargetColumn.hasDefault; plan.ts planRow).
 */
export function targetColumnsSql(count: number): string {
  return `
SELECT s.name AS [schema], t.name AS [table], c.name AS [column], c.column_id,
       TYPE_NAME(CASE WHEN c.system_type_id = 240 THEN c.user_type_id ELSE c.system_type_id END) AS type_name,
       c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity, c.is_computed,
       ISNULL(COLUMNPROPERTY(c.object_id, c.name, 'GeneratedAlwaysType'), 0) AS generated_always_type,
       c.collation_name, CONVERT(int, COLLATIONPROPERTY(c.collation_name, 'CodePage')) AS code_page, c.is_ansi_padded, c.is_filestream,
       CONVERT(bit, CASE WHEN c.default_object_id <> 0 THEN 1 ELSE 0 END) AS has_default,
       ISNULL(k.key_ordinal, 0) AS key_ordinal
FROM sys.tables t
JOIN sys.schemas s ON s.schema_id = t.schema_id
JOIN sys.columns c ON c.object_id = t.object_id
OUTER APPLY (
  SELECT ic.key_ordinal
  FROM sys.index_columns ic
  WHERE ic.object_id = t.object_id AND ic.column_id = c.column_id AND ic.key_ordinal > 0
    AND ic.index_id = (
      SELECT TOP (1) i.index_id FROM sys.indexes i
      WHERE i.object_id = t.object_id AND (i.is_primary_key = 1 OR (i.is_unique = 1 AND i.index_id = 1))
      ORDER BY i.is_primary_key DESC)
) k
WHERE s.name + N'.' + t.name IN (${nameParams(count)})
ORDER BY s.name, t.name, c.column_id;`;
}

/**
 * The unique indexes and UNIQUE constraints of the named tables (`count` names: nameParams), one row
 * per key column, in key order: sys.indexes with is_unique = 1 ("1 = Index is unique"; a PRIMARY KEY
 * or UNIQUE constraint's index is one too, is_primary_key / is_unique_constraint), leaving out a
 * disabled index (is_disabled = 1: it maintains nothing) and a hypothetical one (is_hypothetical = 1:
 * "cannot be used directly as a data access path", statistics only); the key columns only
 * (sys.index_columns.key_ordinal > 0: "0 = Not a key column", the INCLUDE columns, which a unique
 * index does not compare); ignore_dup_key ("1 = IGNORE_DUP_KEY is ON": a duplicate row is dropped
 * with a warning rather than refused); has_filter and filter_definition ("Expression for the subset
 * of rows included in the filtered index", SQL Server 2008+), all from Microsoft Learn, sys.indexes
 * and sys.index_columns. `is_conflict_key` marks the index the conflict key is taken from
 * (targetColumnsSql's choice: the primary key, else the unique clustered index), whose rows the
 * planner knows as TargetTable.keyIndex; the others become TargetTable.uniqueKeys
 * (uniqueKeysFromCatalog). No OPENJSON, STRING_AGG or CONCAT: SQL Server 2008 on.
 */
export function targetUniqueKeysSql(count: number): string {
  return `
SELECT s.name AS [schema], t.name AS [table], i.name AS index_name, i.index_id,
       CONVERT(bit, CASE WHEN i.index_id = k.index_id THEN 1 ELSE 0 END) AS is_conflict_key,
       i.is_primary_key, i.is_unique_constraint, i.ignore_dup_key, i.has_filter, i.filter_definition,
       c.name AS [column], ic.key_ordinal
FROM sys.tables t
JOIN sys.schemas s ON s.schema_id = t.schema_id
JOIN sys.indexes i ON i.object_id = t.object_id
JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.key_ordinal > 0
JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
OUTER APPLY (
  SELECT TOP (1) x.index_id FROM sys.indexes x
  WHERE x.object_id = t.object_id AND (x.is_primary_key = 1 OR (x.is_unique = 1 AND x.index_id = 1))
  ORDER BY x.is_primary_key DESC
) k
WHERE s.name + N'.' + t.name IN (${nameParams(count)})
  AND i.is_unique = 1 AND i.is_disabled = 0 AND i.is_hypothetical = 0
ORDER BY s.name, t.name, i.index_id, ic.key_ordinal;`;
}

/**
 * The unique indexes of indexed views that read the named tables (`count` names: nameParams), one
 * row per key column: sys.sql_expression_dependencies (SQL Server 2008+: a view "as the
 * referencing entity" depending on a table it names; an indexed view is created WITH
 * SCHEMABINDING, so its references are schema-bound and their referenced_id resolved), the view's
 * indexes that are unique, enabled and not hypothetical (sys.indexes; "the first index created on
 * a view must be a unique clustered index", Microsoft Learn, Create indexed views) and their key
 * columns (sys.index_columns.key_ordinal > 0). DISTINCT: a schema-bound view has a dependency row
 * per column it names. A recovered row whose view row's key the view already holds fails its
 * INSERT (Msg 2601); rowback does not evaluate the view's definition, so the script's head names
 * them (TargetTable.viewUniqueKeys).
 */
export function targetViewUniqueKeysSql(count: number): string {
  return `
SELECT DISTINCT s.name AS [schema], t.name AS [table], vs.name AS view_schema, v.name AS view_name,
       i.name AS index_name, i.index_id, c.name AS [column], ic.key_ordinal
FROM sys.tables t
JOIN sys.schemas s ON s.schema_id = t.schema_id
JOIN sys.sql_expression_dependencies d ON d.referenced_id = t.object_id
JOIN sys.views v ON v.object_id = d.referencing_id
JOIN sys.schemas vs ON vs.schema_id = v.schema_id
JOIN sys.indexes i ON i.object_id = v.object_id
JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.key_ordinal > 0
JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE s.name + N'.' + t.name IN (${nameParams(count)})
  AND i.is_unique = 1 AND i.is_disabled = 0 AND i.is_hypothetical = 0
ORDER BY s.name, t.name, vs.name, v.name, i.index_id, ic.key_ordinal;`;
}

/** A row of targetViewUniqueKeysSql: one key column of one unique index of an indexed view over a table. */
export interface ViewUniqueKeyRow {
  schema: string; table: string; view_schema: string; view_name: string; index_name: string; index_id: number; column: string; key_ordinal: number;
}

/**
 * Puts targetViewUniqueKeysSql rows on the tables they belong to (`tables`, by `schema.name`):
 * every table gets `viewUniqueKeys` ([] when no indexed view reads it), each index with its key
 * columns in key order. Rows of tables not in `tables` are ignored. Mutates `tables`.
 */
export function viewUniqueKeysFromCatalog(tables: Map<string, TargetTable>, rows: ViewUniqueKeyRow[]): void {
  for (const t of tables.values()) t.viewUniqueKeys = [];
  const byIndex = new Map<string, { table: TargetTable; key: ViewUniqueKey; order: number }>();
  for (const r of [...rows].sort((a, b) => a.key_ordinal - b.key_ordinal)) {
    const t = tables.get(stagedTableName({ schema: r.schema, name: r.table }));
    if (!t || t.schema !== r.schema || t.name !== r.table) continue;
    const id = JSON.stringify([r.schema, r.table, r.view_schema, r.view_name, r.index_id]);
    const e = byIndex.get(id) ?? { table: t, key: { view: stagedTableName({ schema: r.view_schema, name: r.view_name }), index: r.index_name, columns: [] }, order: r.index_id };
    if (!e.key.columns.includes(r.column)) e.key.columns.push(r.column);
    byIndex.set(id, e);
  }
  for (const { table, key } of [...byIndex.values()].sort((a, b) => (a.key.view < b.key.view ? -1 : a.key.view > b.key.view ? 1 : a.order - b.order))) table.viewUniqueKeys!.push(key);
}

/** A row of targetUniqueKeysSql: one key column of one unique index. */
export interface UniqueKeyRow {
  schema: string; table: string; index_name: string; index_id: number; is_conflict_key: boolean;
  is_primary_key: boolean; is_unique_constraint: boolean; ignore_dup_key: boolean; has_filter: boolean;
  filter_definition: string | null; column: string; key_ordinal: number;
}

/**
 * Puts targetUniqueKeysSql rows on the tables they belong to (`tables`, by `schema.name`, as
 * tablesFromCatalog made them): every table gets `uniqueKeys` (its unique indexes and UNIQUE
 * constraints other than the conflict key's, each with its key columns in key order; [] when it has
 * none, read), and `keyIndex` (the conflict key's own index: name, IGNORE_DUP_KEY, primary key or
 * not) when the catalog names one. Rows of tables not in `tables` are ignored. Mutates `tables`.
 */
export function uniqueKeysFromCatalog(tables: Map<string, TargetTable>, rows: UniqueKeyRow[]): void {
  for (const t of tables.values()) t.uniqueKeys = [];
  const byIndex = new Map<string, { table: TargetTable; row: UniqueKeyRow; columns: string[] }>();
  for (const r of [...rows].sort((a, b) => a.key_ordinal - b.key_ordinal)) {
    const t = tables.get(stagedTableName({ schema: r.schema, name: r.table }));
    if (!t || t.schema !== r.schema || t.name !== r.table) continue;
    const id = JSON.stringify([r.schema, r.table, r.index_id]);
    const e = byIndex.get(id) ?? { table: t, row: r, columns: [] };
    e.columns.push(r.column);
    byIndex.set(id, e);
  }
  for (const { table, row, columns } of [...byIndex.values()].sort((a, b) => a.row.index_id - b.row.index_id)) {
    if (row.is_conflict_key) {
      table.keyIndex = { name: row.index_name, ...(row.ignore_dup_key ? { ignoreDupKey: true } : {}), ...(row.is_primary_key ? { primaryKey: true } : {}) };
      continue;
    }
    table.uniqueKeys!.push({
      name: row.index_name, columns,
      ...(row.has_filter && row.filter_definition ? { filter: row.filter_definition } : {}),
      ...(row.ignore_dup_key ? { ignoreDupKey: true } : {}),
      ...(row.is_unique_constraint ? { constraint: true } : {}),
    });
  }
}

/**
 * sys.foreign_keys touching the named tables (`count` names: nameParams): parent_object_id is the
 * referencing (child) table. A key of a table to itself comes once per column pair, with
 * `child_column` (referencing) and `parent_column` (referenced) in key order, so that the planner puts
 * a parent row before the rows of the same table that reference it (plan.ts): in LSN order a report
 * deleted before its manager went back first and its INSERT was refused by the constraint, on every
 * resume too. Other keys come once, those two null.
 *
 * Each table also comes in its two parts (`child_schema`, `child_table`, `parent_schema`,
 * `parent_table`: sys.schemas.name and sys.tables.name), which addForeignKey keys it by
 * (stagedTableName), as tablesFromCatalog keys the tables: the `child` / `parent` text,
 * `schema.name`, is `dbo.Order.Items` for both dbo.[Order.Items] and [dbo.Order].Items, matched no
 * table the plan names `[dbo].[Order.Items]`, and a foreign key between such tables ordered nothing
 * (the child's batch first: Msg 547, on every resume). The WHERE still compares the text, so it may
 * read the keys of a namesake table too ([dbo.Order].Items beside dbo.[Order.Items]): keyed by its
 * own parts, such a key names a table the plan does not hold and orders nothing.
 */
export function targetFksSql(count: number): string {
  const names = nameParams(count);
  return `
SELECT fk.name, SCHEMA_NAME(ch.schema_id) + N'.' + ch.name AS child, SCHEMA_NAME(pa.schema_id) + N'.' + pa.name AS parent,
       SCHEMA_NAME(ch.schema_id) AS child_schema, ch.name AS child_table, SCHEMA_NAME(pa.schema_id) AS parent_schema, pa.name AS parent_table,
       cc.name AS child_column, rc.name AS parent_column
FROM sys.foreign_keys fk
JOIN sys.tables ch ON ch.object_id = fk.parent_object_id
JOIN sys.tables pa ON pa.object_id = fk.referenced_object_id
LEFT JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id AND fk.parent_object_id = fk.referenced_object_id
LEFT JOIN sys.columns cc ON cc.object_id = fkc.parent_object_id AND cc.column_id = fkc.parent_column_id
LEFT JOIN sys.columns rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
WHERE SCHEMA_NAME(ch.schema_id) + N'.' + ch.name IN (${names})
   OR SCHEMA_NAME(pa.schema_id) + N'.' + pa.name IN (${names})
ORDER BY fk.name, fkc.constraint_column_id;`;
}

/**
 * A row of targetFksSql: a foreign key, and for a key of a table to itself one of its column pairs.
 * `child` / `parent`: `schema.name` text (ambiguous when a part holds a dot); `child_schema`,
 * `child_table`, `parent_schema`, `parent_table`: the same tables in parts, which win when present
 * (absent only in rows of callers before they were read).
 */
export interface FkRow {
  name: string; child: string; parent: string;
  child_schema?: string | null; child_table?: string | null; parent_schema?: string | null; parent_table?: string | null;
  child_column?: string | null; parent_column?: string | null;
}

/**
 * Adds a targetFksSql row to `fks` (by name, child and parent: a key between tables of two name
 * parts comes back with each, once): a self-reference's column pair joins its key's `columns`. Its
 * `child` and `parent` are stagedTableName of the row's parts (`schema.name`, or `[schema].[name]`
 * when a part holds a dot or needs quoting), the row's text only when it has no parts.
 */
export function addForeignKey(fks: Map<string, ForeignKey>, r: FkRow): void {
  // each table by its parts when the row has them (stagedTableName: `[dbo].[Order.Items]`), as the plan keys its tables
  const child = r.child_schema != null && r.child_table != null ? stagedTableName({ schema: r.child_schema, name: r.child_table }) : r.child;
  const parent = r.parent_schema != null && r.parent_table != null ? stagedTableName({ schema: r.parent_schema, name: r.parent_table }) : r.parent;
  const id = JSON.stringify([r.name, child, parent]);
  const f: ForeignKey = fks.get(id) ?? { name: r.name, child, parent };
  if (r.child_column && r.parent_column) {
    const cols = f.columns ?? [];
    if (!cols.some((x) => x.child === r.child_column && x.parent === r.parent_column)) cols.push({ child: r.child_column, parent: r.parent_column });
    f.columns = cols;
  }
  fks.set(id, f);
}

interface ColumnRow {
  schema: string; table: string; column: string; type_name: string; max_length: number; precision: number; scale: number;
  is_nullable: boolean; is_identity: boolean; is_computed: boolean; key_ordinal: number;
  /** COLUMNPROPERTY 'GeneratedAlwaysType' (int; 0 = a column the INSERT may give). Absent in rows of older callers: 0. */
  generated_always_type?: number | null;
  /** sys.columns.collation_name (nvarchar: a string; NULL for a column that is not character-based). Absent in rows of older callers: not known. */
  collation_name?: string | null;
  /** CONVERT(int, COLLATIONPROPERTY(collation_name, 'CodePage')) (int: a number; NULL with a NULL collation). Absent in rows of older callers: not known. */
  code_page?: number | null;
  /** sys.columns.is_ansi_padded (bit: a boolean). Absent in rows of older callers: not known. */
  is_ansi_padded?: boolean | null;
  /** Whether sys.columns.default_object_id is not 0 (bit: a boolean). Absent in rows of older callers: not known. */
  has_default?: boolean | null;
  /** sys.columns.is_filestream (bit: a boolean). Absent in rows of older callers: not known. */
  is_filestream?: boolean | null;
}

/**
 * A table name as the catalog queries compare it (`SCHEMA_NAME(schema_id) + N'.' + name`): a staged
 * name (stagedTableName: `schema.name`, or `[schema].[name]`) split into its parts and joined with a
 * dot; a name that does not parse is given as it is.
 */
export function catalogText(name: string): string {
  try {
    const { schema, name: n } = splitQualifiedName(name);
    return `${schema}.${n}`;
  } catch {
    return name;
  }
}

export function tablesFromCatalog(rows: ColumnRow[]): Map<string, TargetTable> {
  const out = new Map<string, TargetTable>();
  for (const r of rows) {
    const k = stagedTableName({ schema: r.schema, name: r.table });
    let t = out.get(k);
    if (!t) { t = { schema: r.schema, name: r.table, columns: [], keyColumns: [] }; out.set(k, t); }
    // [a.b].[c] and [a].[b.c] are both `a.b.c` as text: their columns were merged into one table
    else if (t.schema !== r.schema || t.name !== r.table) {
      throw new InputError('INPUT_AMBIGUOUS_NAME', `the target has tables ${quoteName(t.schema)}.${quoteName(t.name)} and ${quoteName(r.schema)}.${quoteName(r.table)}, both ${k} as schema.name: rowback cannot tell which one is meant; re-insert into a side table (tableMap) whose name is not ambiguous`, { table: k });
    }
    t.columns.push({
      name: r.column, type: r.type_name.toLowerCase() as SqlTypeName, maxLength: r.max_length, precision: r.precision, scale: r.scale,
      nullable: r.is_nullable, identity: r.is_identity, computed: r.is_computed,
      ...(Number(r.generated_always_type ?? 0) !== 0 ? { generatedAlways: true } : {}),
      ...(r.collation_name !== undefined ? { collation: r.collation_name } : {}),
      ...(r.code_page !== undefined ? { codePage: r.code_page === null ? null : Number(r.code_page) } : {}),
      ...(r.is_ansi_padded !== undefined && r.is_ansi_padded !== null ? { ansiPadded: Boolean(r.is_ansi_padded) } : {}),
      ...(r.has_default !== undefined && r.has_default !== null ? { hasDefault: Boolean(r.has_default) } : {}),
      ...(r.is_filestream ? { filestream: true } : {}),
    });
  }
  for (const r of rows) if (r.key_ordinal > 0) out.get(stagedTableName({ schema: r.schema, name: r.table }))!.keyColumns[r.key_ordinal - 1] = r.column;
  return out;
}

/** The real target: SQL Server through mssql (tedious). */
/**
 * A row's shape for a bulk load: its columns in order, each with its parameter type (name, length,
 * precision, scale; sql-types.ts ParamType). A bulk load declares its columns' types once, from the
 * batch's first row (mssql Table), and every row's values are sent as those types; so a row of
 * another shape goes in by its own INSERT. Before, only the column list was compared: in a
 * sql_variant column, a row holding an int after a first row holding a varchar(5) was declared
 * varchar(5): its value sent as that type and its base type changed, without a word.
 */
/**
 * A conflict's existing row (the first row of PlannedRow.existsSql, whose select list already gives
 * most types in rowback's output form) in the form the recovered row has, for the reviewer to
 * compare: real as the shortest decimal of its float32 (the driver widens it: 0.1 arrived as
 * 0.10000000149011612, where the recovered row says 0.1), a Buffer (a sql_variant's binary) as `0x…`
 * upper-case hex. `columns`: the recordset's column metadata (mssql: `{ [name]: { type } }`, type the
 * mssql type function, e.g. `sql.Real`). Other values are left as the driver gives them.
 */
export function existingRowValues(row: Record<string, unknown>, columns: Record<string, { type?: unknown }> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const real = columns?.[k]?.type === sql.Real;
    const value = real && typeof v === 'number' ? shortestFloat32(Math.fround(v)) : Buffer.isBuffer(v) ? `0x${v.toString('hex').toUpperCase()}` : v;
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function bulkShape(row: Pick<PlannedRow, 'params'>): string {
  let s = '';
  for (const p of row.params) s += `${p.column}\u0000${JSON.stringify(p.type)}\u0001`;
  return s;
}

/**
 * What to do about a connection the driver could not open, by its error (mssql's ConnectionError
 * keeps tedious's code: ELOGIN the server refused the login, ETIMEOUT no answer within the
 * connection's timeout, ESOCKET / EINSTLOOKUP no server reached, or a TLS handshake refused). The
 * driver's message alone ("Could not connect (sequence)") said what failed, never what to check. The
 * connection string is never echoed (it holds the password): the hint names its keys only. mssql
 * reads `Connection Timeout` in seconds (lib/base/connection-pool.js parseConnectionString).
 */
export function connectFailedHint(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ELOGIN') return 'the server refused the login: check User Id and Password (or the Windows login rowback runs as, with Integrated Security) in the connection string, and that the login may open the target database; then send the request again';
  if (/certificate/i.test(message)) return "the server's TLS certificate is not trusted here: install the certificate authority that signed it on this machine, or, for a server whose certificate is its own (self-signed) on a network you trust, add TrustServerCertificate=true to the connection string; then send the request again";
  if (code === 'ETIMEOUT') return "the server did not answer in time: check the connection string's Server and port and that a firewall lets this machine through; a slow network may need a longer Connection Timeout (seconds: Connection Timeout=60); then send the request again";
  return "no SQL Server answered there: check the connection string's Server (host,port or host\\instance; a named instance needs the SQL Server Browser service, else give its port), that SQL Server accepts TCP/IP connections on that port and that a firewall lets this machine through; then send the request again";
}

export class MssqlTarget implements ReinsertTarget {
  readonly description: string;
  private pool?: sql.ConnectionPool;
  private readonly ledger: string;

  constructor(private readonly o: MssqlTargetOptions) {
    this.description = `SQL Server${o.database ? ` database ${o.database}` : ''}`;
    const l = splitQualifiedName(o.ledgerTable ?? 'dbo.rowback_reinsert_ledger');
    this.ledger = `${o.database ? quoteName(o.database) + '.' : ''}${quoteName(l.schema)}.${quoteName(l.name)}`;
  }

  /** The request timeout the connection was configured with (milliseconds; 0: none): targetPoolConfig. */
  private timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;

  /** `run()`, a driver timeout in it becoming REINSERT_TIMEOUT naming `what` (timeoutError; `inBatch` as there). */
  private async timed<T>(what: string, run: () => Promise<T>, inBatch = true): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw timeoutError(e, what, this.timeoutMs, inBatch);
    }
  }

  private async connect(): Promise<sql.ConnectionPool> {
    if (this.pool) return this.pool;
    // a Request Timeout that is no number is the caller's to fix (InputError), not a failed connection
    const config = targetPoolConfig(this.o.connectionString);
    this.timeoutMs = Math.max(0, config.requestTimeout ?? 0);
    try {
      const pool = new sql.ConnectionPool(config);
      this.pool = await pool.connect();
      return this.pool;
    } catch (e) {
      // the driver's message never includes the password; the connection string is not echoed
      throw new ReinsertError('REINSERT_CONNECT_FAILED', `cannot connect to the target: ${(e as Error).message}: ${connectFailedHint(e)}`, {}, { cause: e });
    }
  }

  async ensureLedger(): Promise<void> {
    const pool = await this.connect();
    const obj = this.ledger.replace(/'/g, "''");
    await this.timed(`creating the ledger table ${this.ledger}`, () => pool.request().batch(`IF OBJECT_ID(N'${obj}', N'U') IS NULL
CREATE TABLE ${this.ledger} (batch_key nvarchar(100) NOT NULL PRIMARY KEY, run_id int NOT NULL,
  committed_at datetime2(3) NOT NULL DEFAULT SYSUTCDATETIME(), outcome nvarchar(max) NOT NULL);`), false);
  }

  async ensureRowLedger(rowLedger: string): Promise<void> {
    const pool = await this.connect();
    await this.timed(`creating the row ledger table ${rowLedger}`, () => pool.request().batch(rowLedgerDdl(rowLedger)), false);
  }

  async loadTables(names: string[]): Promise<{ tables: Map<string, TargetTable>; fks: ForeignKey[]; database: string | null; databaseGuid: string | null; familyGuid: string | null }> {
    const pool = await this.connect();
    const use = this.o.database ? `USE ${quoteName(this.o.database)};\n` : '';
    const rows: ColumnRow[] = [];
    const uniqueRows: UniqueKeyRow[] = [];
    const triggerRows: TriggerRow[] = [];
    const viewKeyRows: ViewUniqueKeyRow[] = [];
    const fks = new Map<string, ForeignKey>();
    let viewsRead = true;
    const bound = (part: string[]): sql.Request => {
      const r = pool.request();
      // nvarchar(261): schema + '.' + name, sysname each, as the catalog queries compare them: a
      // staged name is split first (`[dbo].[Order.Items]` is dbo + Order.Items: stagedTableName),
      // and the rows read are keyed by their own schema and name (tablesFromCatalog), so the
      // catalog's [dbo.Order].[Items], of the same text, is another table
      part.forEach((n, i) => r.input(`n${i}`, sql.NVarChar(261), catalogText(n)));
      return r;
    };
    for (let i = 0; i < names.length; i += CATALOG_NAMES_PER_QUERY) {
      const part = names.slice(i, i + CATALOG_NAMES_PER_QUERY);
      appendAll(rows, (await this.timed('reading the target\'s columns (sys.columns)', () => bound(part).query<ColumnRow>(use + targetColumnsSql(part.length)), false)).recordset);
      appendAll(uniqueRows, (await this.timed('reading the target\'s unique indexes (sys.indexes)', () => bound(part).query<UniqueKeyRow>(use + targetUniqueKeysSql(part.length)), false)).recordset);
      appendAll(triggerRows, (await this.timed('reading the target\'s INSTEAD OF and AFTER INSERT triggers (sys.triggers)', () => bound(part).query<TriggerRow>(use + targetInsteadOfTriggersSql(part.length)), false)).recordset);
      // a login that may not read sys.sql_expression_dependencies (its SELECT is db_owner's by default,
      // Microsoft Learn): the views are not read, said in the script's head, and the plan goes on (it failed whole)
      if (viewsRead) {
        try {
          appendAll(viewKeyRows, (await this.timed('reading the unique indexes of indexed views over the target\'s tables (sys.sql_expression_dependencies)', () => bound(part).query<ViewUniqueKeyRow>(use + targetViewUniqueKeysSql(part.length)), false)).recordset);
        } catch (e) {
          if ((e as { code?: string }).code === 'REINSERT_TIMEOUT') throw e;
          viewsRead = false;
        }
      }
      // a key between tables of two parts comes back with each: once
      for (const f of (await this.timed('reading the target\'s foreign keys (sys.foreign_keys)', () => bound(part).query<FkRow>(use + targetFksSql(part.length)), false)).recordset) addForeignKey(fks, f);
    }
    // where the catalog was read: a script of two-part names is guarded to run there (plan.ts renderScript)
    if (!names.length) return { tables: new Map(), fks: [], database: null, databaseGuid: null, familyGuid: null };
    const [here] = (await this.timed('reading the target\'s database name', () => pool.request().query<{ db: string | null }>(`${use}SELECT DB_NAME() AS [db];`), false)).recordset;
    const tables = tablesFromCatalog(rows);
    uniqueKeysFromCatalog(tables, uniqueRows);
    insteadOfTriggersFromCatalog(tables, triggerRows);
    const guids = await this.databaseGuids(pool, use);
    // without VIEW DEFINITION on the database, sys.sql_expression_dependencies shows no dependency
    // (Microsoft Learn: it needs VIEW DEFINITION on the database and SELECT on the view): no row read
    // is then not "no indexed view", and the head said nothing of the views. Not read: viewUniqueKeys
    // left unset, which the script's head says (plan.ts uniqueKeysHead)
    if (viewsRead && (await this.mayReadViewDependencies(pool, use))) viewUniqueKeysFromCatalog(tables, viewKeyRows);
    return { tables, fks: [...fks.values()], database: here?.db ?? null, ...guids };
  }

  /**
   * Whether the login holds VIEW DEFINITION on the database the catalog is read in
   * (HAS_PERMS_BY_NAME, SQL Server 2005+), which sys.sql_expression_dependencies needs to show
   * dependencies (Microsoft Learn, sys.sql_expression_dependencies, Permissions). Anything failing
   * here is "no" (the views are then said not read), never the plan's failure.
   */
  private async mayReadViewDependencies(pool: sql.ConnectionPool, use: string): Promise<boolean> {
    try {
      const [p] = (await pool.request().query<{ may: number | null }>(`${use}SELECT HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'VIEW DEFINITION') AS [may];`)).recordset;
      return Number(p?.may ?? 0) === 1;
    } catch {
      return false;
    }
  }

  /**
   * The binding id and family GUID of the database the catalog was read in (sys.database_recovery_status,
   * the row sql/table-metadata.sql reads on a source), compared with the job's source database
   * (source-database.ts). A read only; the row is visible with VIEW ANY DATABASE (else no row) and
   * anything failing here is "not known" (null), never the plan's failure.
   */
  private async databaseGuids(pool: sql.ConnectionPool, use: string): Promise<{ databaseGuid: string | null; familyGuid: string | null }> {
    try {
      const [g] = (await pool.request().query<{ guid: string | null; family: string | null }>(
        `${use}SELECT CONVERT(nvarchar(36), database_guid) AS [guid], CONVERT(nvarchar(36), family_guid) AS [family] FROM sys.database_recovery_status WHERE database_id = DB_ID();`,
      )).recordset;
      return { databaseGuid: g?.guid ? String(g.guid).toUpperCase() : null, familyGuid: g?.family ? String(g.family).toUpperCase() : null };
    } catch {
      return { databaseGuid: null, familyGuid: null };
    }
  }

  async session(): Promise<TargetSession> {
    let pool = await this.connect();
    let tx: sql.Transaction | undefined;
    // The table whose IDENTITY_INSERT this session set ON and has not yet seen set OFF: a session
    // setting, kept by the pooled connection (mssql does not reset one it takes back) whatever
    // becomes of the transaction, and ON for one table per session at a time.
    let identityOn: string | null = null;
    const owner = this;
    const req = (): sql.Request => (tx ? new sql.Request(tx) : pool.request());
    const bind = (r: sql.Request, row: PlannedRow): sql.Request => {
      for (const p of row.params) r.input(p.name, toMssqlType(p.type), p.value);
      return r;
    };
    const ledger = this.ledger;
    // The pool is replaced: its connections are closed (the server rolls back whatever transaction
    // one still holds), so no later batch or run takes up a connection in an unknown state.
    const replacePool = async (): Promise<void> => {
      const old = pool;
      owner.pool = undefined;
      await old.close().catch(() => undefined);
      pool = await owner.connect();
    };
    return {
      async begin() { tx = new sql.Transaction(pool); await owner.timed('BEGIN TRANSACTION', () => tx!.begin()); },
      async commit() {
        try {
          await owner.timed('the batch\'s COMMIT', () => tx!.commit());
        } catch (e) {
          // mssql hands the connection back to the pool whatever the COMMIT's error (mssql
          // lib/tedious/transaction.js _commit: release, not close). A COMMIT that timed out was
          // cancelled (ATTENTION) and may not have run: that connection may then still hold the
          // batch's open transaction, and a later batch taking it up would run inside it (its own
          // BEGIN nested, its COMMIT durable only if that outer one ever is: rows recorded
          // inserted, rolled back when the connection closes). Replaced (the batch is recorded
          // mayHaveCommitted: a resume reads the ledger).
          tx = undefined;
          await replacePool().catch(() => undefined);
          throw e;
        }
        tx = undefined;
      },
      async rollback() {
        let unclean = false;
        try {
          if (tx) {
            const t = tx;
            tx = undefined;
            // a ROLLBACK that failed (timed out: cancelled) leaves the connection, handed back to
            // the pool by mssql, in a transaction; not when mssql says there was none to end
            // (EABORT: the server ended it; ENOTBEGUN)
            await t.rollback().catch((e: unknown) => {
              const code = (e as { code?: unknown } | null)?.code;
              if (code !== 'EABORT' && code !== 'ENOTBEGUN') unclean = true;
              throw e;
            });
          }
        } finally {
          // IDENTITY_INSERT still ON here: the server ended the transaction itself (a deadlock
          // victim, XACT_ABORT), mssql handed its connection back to the pool before the OFF could
          // be sent on it, and that connection keeps the setting: no later batch or run may meet
          // the setting (error 8107).
          if (identityOn !== null || unclean) {
            identityOn = null;
            await replacePool();
          }
        }
      },
      async ledgerGet(key) {
        const r = await owner.timed(`reading the ledger ${ledger} for batch ${key}`, () => req().input('k', sql.NVarChar(100), key).query<{ outcome: string }>(`SELECT outcome FROM ${ledger} WHERE batch_key = @k`));
        return r.recordset[0] ? (JSON.parse(r.recordset[0].outcome) as BatchOutcome) : undefined;
      },
      async ledgerPut(key, runId, outcome) {
        await owner.timed(`writing batch ${key} to the ledger ${ledger}`, () => req().input('k', sql.NVarChar(100), key).input('run', sql.Int, runId).input('o', sql.NVarChar(sql.MAX), JSON.stringify(outcome))
          .query(`INSERT INTO ${ledger} (batch_key, run_id, outcome) VALUES (@k, @run, @o)`));
      },
      async rowLedgerGet(rowLedger, keys) {
        const out: RowLedgerEntry[] = [];
        // 1,000 parameters per statement (SQL Server takes 2,100); no OPENJSON: targets from 2005 on
        for (let i = 0; i < keys.length; i += 1000) {
          const part = keys.slice(i, i + 1000);
          const r = req();
          part.forEach((k, j) => r.input(`k${j}`, sql.NVarChar(400), k));
          const got = await owner.timed(`reading the row ledger ${rowLedger}`, () => r.query<{ row_key: string; batch_key: string; run_id: number; row_id: number }>(
            `SELECT row_key, batch_key, run_id, row_id FROM ${rowLedger} WITH (UPDLOCK, HOLDLOCK) WHERE row_key IN (${part.map((_, j) => `@k${j}`).join(', ')})`,
          ));
          for (const x of got.recordset) out.push({ rowKey: x.row_key, batchKey: x.batch_key, runId: x.run_id, rowId: x.row_id });
        }
        return out;
      },
      async rowLedgerPut(rowLedger, entries) {
        // 4 parameters a row: 400 rows per statement
        for (let i = 0; i < entries.length; i += 400) {
          const part = entries.slice(i, i + 400);
          const r = req();
          part.forEach((e, j) => r.input(`k${j}`, sql.NVarChar(400), e.rowKey).input(`b${j}`, sql.NVarChar(100), e.batchKey).input(`r${j}`, sql.Int, e.runId).input(`i${j}`, sql.Int, e.rowId));
          await owner.timed(`writing the row ledger ${rowLedger}`, () => r.query(`INSERT INTO ${rowLedger} (row_key, batch_key, run_id, row_id) VALUES ${part.map((_, j) => `(@k${j}, @b${j}, @r${j}, @i${j})`).join(', ')}`));
        }
      },
      async setIdentityInsert(target, on) {
        await owner.timed(`SET IDENTITY_INSERT ${target} ${on ? 'ON' : 'OFF'}`, () => req().batch(`SET IDENTITY_INSERT ${target} ${on ? 'ON' : 'OFF'};`));
        identityOn = on ? target : null;
      },
      async findExisting(row) {
        if (!row.existsSql) return undefined;
        const r = await owner.timed(`looking for row ${row.rowId}'s key in ${row.table}`, () => bind(req(), row).query<Record<string, unknown>>(row.existsSql!));
        const got = r.recordset[0];
        return got ? existingRowValues(got, r.recordset.columns as unknown as Record<string, { type?: unknown }>) : undefined;
      },
      async findUniqueHolder(row, check) {
        const r = await owner.timed(`looking for row ${row.rowId}'s value of ${check.index} in ${row.table}`, () => bind(req(), row).query<Record<string, unknown>>(check.sql));
        const got = r.recordset[0];
        return got ? existingRowValues(got, r.recordset.columns as unknown as Record<string, { type?: unknown }>) : undefined;
      },
      async insert(row) {
        await owner.timed(`the INSERT of row ${row.rowId} into ${row.table}`, () => bind(req(), row).query(row.insertSql));
      },
      async bulkInsert(batch: PlannedBatch, rows: PlannedRow[]) {
        // mssql's Table re-brackets names without doubling ']': such names take the row-by-row path.
        if (batch.target.includes(']]') || rows.some((r) => r.params.some((p) => p.wrap || p.column.includes(']')))) {
          for (const r of rows) await owner.timed(`the INSERT of row ${r.rowId} into ${batch.table}`, () => bind(req(), r).query(r.insertSql));
          return;
        }
        const table = new sql.Table(batch.target);
        const first = rows[0];
        for (const p of first.params) table.columns.add(p.column, toMssqlType(p.type), { nullable: true });
        const shape = bulkShape(first);
        for (const r of rows) {
          // another column list, or another type for a column (a sql_variant of another base type):
          // its own statement, never the first row's column types
          if (bulkShape(r) !== shape) {
            await owner.timed(`the INSERT of row ${r.rowId} into ${batch.table}`, () => bind(req(), r).query(r.insertSql));
            continue;
          }
          table.rows.add(...(r.params.map((p) => p.value) as never[]));
        }
        await owner.timed(`the bulk load of ${table.rows.length} row(s) into ${batch.table}`, () => req().bulk(table, { keepNulls: true, checkConstraints: true, fireTriggers: true }));
      },
      async close() { if (tx) await tx.rollback().catch(() => undefined); },
    };
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

