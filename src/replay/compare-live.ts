/**
 * A restored side database against the live one, through a SQL Server: the last step of
 * `rowback restore run --table`. Each table is read from both databases with one SELECT per side
 * (read-only; every name bracket-quoted) whose column expressions convert each type to rowback's
 * output form (README "Type output forms"), so the rows compare exactly like decoded rows and are
 * staged in the form the re-insert planner takes:
 *
 * | type | expression | form |
 * |---|---|---|
 * | bigint | CONVERT(varchar(20), c) | "123" |
 * | decimal, numeric | CONVERT(varchar(50), c) | "1.50" (the column's scale) |
 * | money, smallmoney | CONVERT(varchar(30), c, 2) | "12.3400" (style 2: four places, no commas) |
 * | date | CONVERT(char(10), c, 23) | "2024-03-01" |
 * | time(n) | CONVERT(varchar(16), c) | "13:14:15.1234567" (n places) |
 * | datetime | style 121, space → T | "2024-03-01T13:14:15.123" (always three places) |
 * | smalldatetime | style 120, space → T | "2024-03-01T13:14:00" |
 * | datetime2(n) | style 121, space → T | n places, none for n = 0 |
 * | datetimeoffset(n) | datetime2(n) of its local time + DATENAME(TZOFFSET) | "…T13:14:15+08:00" |
 * | uniqueidentifier | CONVERT(char(36), c) | upper-case canonical |
 * | binary family, timestamp, CLR types | CONVERT(varchar(max), CONVERT(varbinary(max), c), 1) | "0x…" upper case |
 * | text / ntext / xml | CONVERT(varchar(max) / nvarchar(max), c) | string |
 * | real | c | the driver's number, as the shortest decimal that is the same float32 (0.1, not 0.10000000149011612) |
 * | the rest (ints, bit, float, char/varchar, nchar/nvarchar) | c | the driver's number, boolean or string |
 *
 * Style numbers: Microsoft Learn "CAST and CONVERT (Transact-SQL)", date and time styles (23, 120,
 * 121), money style 2, binary style 1; DATENAME TZOFFSET: "DATENAME (Transact-SQL)".
 * sql_variant columns are refused (their base type would need a second column, and no test
 * server here can prove the form).
 */
import { InputError } from '../errors.js';
import type { SqlRunner } from '../logreader/live/runner.js';
import type { SqlStatement } from '../logreader/live/sql.js';
import { visibleColumns, type ColumnLayout, type TableLayout } from '../reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../reconstruct/values.js';
import { quoteName } from '../util/tsql.js';
import { shortestFloat32 } from '../reconstruct/types/float.js';
import { diffTableStates, opaqueTextColumns, type TableDiff, type TableState } from './table-diff.js';
import { matchKey } from './compare.js';
import { setOwn } from '../util/own-keys.js';
import { stagedTableName, tableText } from '../util/tsql.js';

/** The SELECT expression of one column in rowback's output form (see the table above). */
export function liveColumnExpression(c: Pick<ColumnLayout, 'name' | 'type' | 'scale'>): string {
  const q = quoteName(c.name);
  switch (c.type) {
    case 'bigint': return `CONVERT(varchar(20), ${q})`;
    case 'decimal':
    case 'numeric': return `CONVERT(varchar(50), ${q})`;
    case 'money':
    case 'smallmoney': return `CONVERT(varchar(30), ${q}, 2)`;
    case 'date': return `CONVERT(char(10), ${q}, 23)`;
    case 'time': return `CONVERT(varchar(16), ${q})`;
    case 'datetime': return `REPLACE(CONVERT(char(23), ${q}, 121), ' ', 'T')`;
    case 'smalldatetime': return `REPLACE(CONVERT(char(19), ${q}, 120), ' ', 'T')`;
    case 'datetime2': return `REPLACE(CONVERT(varchar(27), ${q}, 121), ' ', 'T')`;
    case 'datetimeoffset': return `REPLACE(CONVERT(varchar(27), CONVERT(datetime2(${c.scale}), ${q}), 121), ' ', 'T') + DATENAME(TZOFFSET, ${q})`;
    case 'uniqueidentifier': return `CONVERT(char(36), ${q})`;
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'timestamp':
    case 'hierarchyid':
    case 'geography':
    case 'geometry': return `CONVERT(varchar(max), CONVERT(varbinary(max), ${q}), 1)`;
    case 'text': return `CONVERT(varchar(max), ${q})`;
    case 'ntext':
    case 'xml': return `CONVERT(nvarchar(max), ${q})`;
    case 'sql_variant':
      throw new InputError('INPUT_UNSUPPORTED_COLUMN', `column ${c.name} is sql_variant: a live comparison does not read sql_variant columns (compare the table from backup files with rowback diff instead)`, { column: c.name });
    default: return q;
  }
}

/**
 * `SELECT <expressions> FROM [database].[schema].[table]` for the table's visible columns, each
 * aliased `c0`, `c1`, … (the aliases, not user names, come back as keys).
 */
export function liveTableSql(layout: TableLayout, database: string): SqlStatement {
  const cols = visibleColumns(layout);
  const list = cols.map((c, i) => `${liveColumnExpression(c)} AS [c${i}]`).join(', ');
  return { text: `SELECT ${list || '1 AS [c0]'} FROM ${quoteName(database)}.${quoteName(layout.schema)}.${quoteName(layout.name)};`, params: [] };
}

/** One row of liveTableSql back into `values` by column name. */
function mapRow(row: Record<string, unknown>, cols: ColumnLayout[]): Record<string, SqlValue> {
  const values: Record<string, SqlValue> = {};
  cols.forEach((c, i) => {
    const v = row[`c${i}`];
    // real: the driver widens the float32 to a double (0.1 arrives as 0.10000000149011612); the
    // decoder prints the shortest decimal that reads back as the same float32 (0.1), and so must this.
    setOwn(values, c.name, v === undefined || v === null ? null : typeof v === 'number' ? (c.type === 'real' ? shortestFloat32(Math.fround(v)) : v) : typeof v === 'string' || typeof v === 'boolean' ? v : String(v));
  });
  return values;
}

/** The table's rows in one database (read-only). */
export async function readLiveTable(runner: SqlRunner, database: string, layout: TableLayout, signal?: AbortSignal): Promise<TableState> {
  const cols = visibleColumns(layout);
  const rows: TableState['rows'] = [];
  for await (const r of runner.stream(liveTableSql(layout, database), { signal, label: `rows of ${tableText(layout)} in ${database}` })) rows.push({ values: mapRow(r, cols) });
  return { table: stagedTableName(layout), columns: cols.map((c) => c.name), rows };
}

/**
 * The side database's table (the earlier state, restored to a point in time) against the live
 * one's: by `key`, else the clustered index key of `layout` (the side database's catalog), else
 * whole rows. Both reads go through `runner` (one server holds both databases). Throws InputError
 * INPUT_UNSUPPORTED_COLUMN (sql_variant), SchemaError SCHEMA_TABLE_CHANGED (the two tables'
 * columns differ), and the runner's SourceError.
 */
export async function compareLiveTables(runner: SqlRunner, o: { sideDatabase: string; liveDatabase: string; layout: TableLayout; key?: string[]; signal?: AbortSignal }): Promise<{ diff: TableDiff; beforeRows: number; afterRows: number; keySource: string }> {
  const before = await readLiveTable(runner, o.sideDatabase, o.layout, o.signal);
  const after = await readLiveTable(runner, o.liveDatabase, o.layout, o.signal);
  const { key, keySource } = matchKey(o.layout, before, o.key);
  return { diff: diffTableStates(before, after, key, keySource, opaqueTextColumns(o.layout)), beforeRows: before.rows.length, afterRows: after.rows.length, keySource };
}
