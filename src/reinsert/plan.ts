import { NameIndex } from '../reconstruct/metadata/names.js';
import { InputError, isRowbackError, ReinsertError } from '../errors.js';
import type { SqlValue } from '../reconstruct/values.js';
import { echoInput } from '../util/echo.js';
import { commentText, identifierText, jobTableText, quoteName, splitQualifiedName, SQLCMD_UNSAFE, stagedTableName, tableListText, tableNameText } from '../util/tsql.js';
import { firstUnpairedSurrogate } from '../util/surrogates.js';
import { orderTables } from './order.js';
import { columnFolds, keyCompareText, UNKNOWN_COLLATION_MAYBE_FOLDS } from './key-fold.js';
import { liveColumnExpression } from '../replay/compare-live.js';
import { planParam } from './sql-types.js';
import { scriptDeclaration, type ParamPlan, type SourceText } from './param-type.js';
import { hasIdentity, insertableColumns, qualified, type ForeignKey, type TargetTable, type ViewUniqueKey } from './target-table.js';
import { filterColumns, filterHoldsOffline, uniqueKeysToCheck, uniqueKeyText, type UniqueCheck, type UniqueNotChecked } from './unique-keys.js';
import { insteadOfInsertRefusal } from './target-triggers.js';
import { appendAll, appendTo } from '../util/append-all.js';

export type { UniqueCheck, UniqueNotChecked } from './unique-keys.js';

/** The rows the planner takes: staged rows (id, table, LSN, values). */
export interface PlanInputRow {
  id: number;
  table: string;
  lsn: string;
  values: Record<string, SqlValue>;
  /** The logged operation; only `delete` rows go back unless PlanOptions.operations says otherwise. */
  operation?: string;
  /**
   * Whether the row was recovered from a log record (recoveredFromLog: a transaction id, a real
   * LSN): then its LSN names its delete and the row gets a row-ledger key (PlannedRow.rowKey).
   */
  fromLog?: boolean;
  /**
   * A comparison's row (not fromLog): its row-ledger key part, `values:<sha1>#<k>`
   * (comparison-keys.ts comparisonRowKeys); the row is then keyed by it (PlannedRow.rowKey). Absent:
   * no key (a plan made without the store).
   */
  valuesKey?: string;
  /**
   * Staged from a comparison of whole rows whose later state holds rows of its own: the row may have
   * been changed, not deleted (its warning says so, table-diff.ts MAY_BE_CHANGED); the script's header
   * counts such rows (PlannedRow.mayBeChanged).
   */
  mayBeChanged?: boolean;
}

/** Whether a staged row was recovered from a log record (its LSN names the delete), not from a comparison of states (no transaction; `lsn` a tag or `state:<n>`). */
export function recoveredFromLog(r: { lsn: string; transactionId: string }): boolean {
  return r.transactionId !== '' && !r.lsn.startsWith('state:');
}

/** The default ledger table (in the target database): one row per committed batch. */
export const DEFAULT_LEDGER_TABLE = 'dbo.rowback_reinsert_ledger';

/**
 * The row ledger beside a ledger table `ledgerTable` (`schema.name`, default
 * DEFAULT_LEDGER_TABLE): `<name>_rows`, one row per deleted row put back (its rowKey), written in
 * the transaction that inserts the row, by rowback's runs and by its scripts run by hand alike.
 * Quoted, three-part when `database` is given. Throws InputError INPUT_BAD_IDENTIFIER (a ledger
 * name too long to add `_rows` to: SQL Server names hold 128 characters).
 */
export function quotedRowLedger(ledgerTable: string | undefined, database?: string | null): string {
  const { schema, name } = splitQualifiedName(ledgerTable ?? DEFAULT_LEDGER_TABLE);
  const bad = ledgerNameProblem(ledgerTable ?? DEFAULT_LEDGER_TABLE);
  if (bad) throw new InputError('INPUT_BAD_IDENTIFIER', bad, { field: 'target.ledgerTable' });
  if (name.length + 5 > 128) throw new InputError('INPUT_BAD_IDENTIFIER', `ledger table name ${name} is too long to name its row ledger (${name}_rows): give one of at most 123 characters`, { field: 'target.ledgerTable' });
  return `${database ? quoteName(database) + '.' : ''}${quoteName(schema)}.${quoteName(`${name}_rows`)}`;
}

/**
 * Why a ledger table name (`schema.name`, as a request, serve's config or the CLI gives it) cannot be
 * rowback's ledger, or null when it can. The ledger and its row ledger are named in every script
 * (CREATE TABLE, the IF EXISTS look-up, the INSERT of each row's key, the undo's DELETE), outside any
 * row's NOT SCRIPTED guard: a name holding a line break put a line `GO` or `:!! cmd` of its own into
 * the script, `$(` a sqlcmd variable (sqlcmd and SSMS act on both before SQL Server reads the
 * script), an unpaired UTF-16 surrogate was written U+FFFD (another table's name) and another control
 * character is invisible. The ledger is rowback's own table, named by whoever runs it: such a name is
 * refused, never needed. Read by the API's target schema (a 400 before anything connects) and by
 * quotedRowLedger (every plan).
 */
export function ledgerNameProblem(ledgerTable: string): string | null {
  const shown = commentText(ledgerTable.length > 80 ? `${ledgerTable.slice(0, 80)}…` : ledgerTable);
  if (SQLCMD_UNSAFE.test(ledgerTable) || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(ledgerTable)) {
    return `ledger table name '${shown}' holds a line break, another control character or "$(" (a line of it would be a sqlcmd command, "$(" a sqlcmd variable, in every script naming the ledger): give a plain schema.name`;
  }
  const u = firstUnpairedSurrogate(ledgerTable);
  if (u) return `ledger table name '${shown}' holds an unpaired UTF-16 surrogate (${u.unit} at offset ${u.offset}), which a UTF-8 script writes as U+FFFD, another table's name: give a plain schema.name`;
  return null;
}

/** The row ledger's table, as rowback's runs and scripts create it when missing (`quoted`: quotedRowLedger). The scripts need SQL Server 2008 or later (DECLARE with an initial value); `datetime` keeps the table itself to types every version has. */
export function rowLedgerDdl(quoted: string): string {
  return `IF OBJECT_ID(${nLiteral(quoted)}, N'U') IS NULL
CREATE TABLE ${quoted} (row_key nvarchar(400) NOT NULL PRIMARY KEY, batch_key nvarchar(100) NOT NULL, run_id int NOT NULL,
  row_id int NOT NULL, recorded_at datetime NOT NULL DEFAULT GETUTCDATE());`;
}

/**
 * A deleted row's key in the row ledger: the target table it goes into (`schema.name`, lower case:
 * SQL Server's usual case-insensitive names) and the LSN of its delete (lower case). One delete
 * has one LSN, so two staging files, two jobs or a script run by hand putting the same deleted row
 * into the same table meet on this key; a side table is another key. A restored copy of the
 * database shares the LSNs of its history: the same delete found in both logs is one key (right);
 * two different deletes at one LSN in two unrelated databases would meet too (held back, said).
 */
export function rowLedgerKey(table: string, lsn: string): string {
  return `${table.toLowerCase()}|${lsn.toLowerCase()}`;
}

/**
 * What the row ledger holds of a planned row, for a script's PRINT and a refusal: `its delete, LSN
 * X` (a row recovered from the log: `its insert, …` or `its update, …` for a row recovered from
 * one, put back on purpose with PlanOptions.operations: it said "its delete" of them too), or, for
 * a comparison's row (keyed by its values and copy, comparison-keys.ts), `the same values (copy k
 * of them in its job)`. Callers strip the `its OPERATION, ` prefix with LEDGER_HOLDS_PREFIX.
 */
export function ledgerHolds(r: Pick<PlannedRow, 'rowKey' | 'lsn' | 'operation'>): string {
  const values = r.rowKey?.match(/\|values:[0-9a-f]+#(\d+)$/);
  return values ? `the same values (copy ${values[1]} of them in its job)` : `its ${r.operation === 'insert' || r.operation === 'update' ? r.operation : 'delete'}, LSN ${r.lsn}`;
}

/** The `its delete, ` (insert, update) that begins ledgerHolds's answer for a row recovered from the log. */
export const LEDGER_HOLDS_PREFIX = /^its (?:delete|insert|update), /;

/**
 * The recovered operations a re-insert takes when not told otherwise: rows recovered from deletes.
 * An `insert` row (normally still in the table) or an `update` before-image goes back only when
 * asked for (`operations`), usually into a side table (`tableMap`). The re-insert route and the SQL
 * export both plan with it, so they agree on which rows would be inserted.
 */
export const DEFAULT_REINSERT_OPERATIONS: readonly string[] = ['delete'];

/**
 * The plan's problems as header lines, one per problem code: how many rows and their ids
 * (`rowIdRanges`), so a reader of a long script sees what is left out before the per-row
 * `NOT INCLUDED` lines.
 */
export function problemSummary(problems: readonly PlanProblem[]): string[] {
  const byCode = new Map<string, number[]>();
  for (const p of problems) appendTo(byCode, p.code, p.rowId);
  return [...byCode].map(([code, ids]) => `WARNING: ${ids.length} row(s) not re-inserted (${code}${code === 'REINSERT_NOT_A_DELETE' ? ': recovered from an update or insert, not a delete; POST /api/jobs/:id/reinsert leaves them out too unless its operations name them, usually with a tableMap to a side table' : ''}): rows ${rowIdRanges(ids)}; each is listed below with the reason`);
}

/**
 * Several plans as one, for a script over rows planned apart (the undo of rows runs put into
 * different tables: each run's tableMap): batches in the plans' order, numbered anew; table orders,
 * cycles and problems together.
 */
export function mergePlans(plans: readonly ReinsertPlan[]): ReinsertPlan {
  return {
    tableOrder: [...new Set(plans.flatMap((p) => p.tableOrder))],
    cycles: plans.flatMap((p) => p.cycles),
    batches: plans.flatMap((p) => p.batches).map((b, i) => ({ ...b, batchNo: i + 1 })),
    problems: plans.flatMap((p) => p.problems),
    database: mergedDatabase(plans),
  };
}

/** The database of merged plans: theirs when one; every table named with its own (three-part): those named; else not known. */
function mergedDatabase(plans: readonly ReinsertPlan[]): ScriptDatabase | null {
  const ds = plans.map((p) => p.database ?? null);
  if (!ds.length || ds.some((d) => d === null)) return null;
  const names = [...new Set(ds.map((d) => d!.name))];
  if (names.length === 1 && ds.every((d) => d!.qualified === ds[0]!.qualified)) return ds[0]!;
  return ds.every((d) => d!.qualified) ? { name: names.join(', '), qualified: true } : null;
}

export interface PlanOptions {
  /** Target database for three-part names; omitted = the connection's database. */
  database?: string;
  /** Source `schema.name` → target `schema.name` (side tables). Unlisted tables go back to themselves. */
  tableMap?: Record<string, string>;
  batchSize?: number;
  /**
   * Which recovered operations may be re-inserted. Default `['delete']`: a deleted row goes back.
   * An `insert` row (still in the table, normally) or an `update` before-image only makes sense
   * into a side table, so they must be asked for.
   */
  operations?: string[];
  /** The target's ledger table (`schema.name`), whose `_rows` table is the row ledger; default DEFAULT_LEDGER_TABLE. */
  ledgerTable?: string;
  /**
   * The char/varchar/text columns of each source table (`schema.name`, the rows' own table) by column
   * name, each with the code page its values were decoded from (the job's layouts: service.ts
   * sourceTextColumns). A value going into a target column of that same code page is not checked
   * for it (sql-types.ts assertCodePageHolds); absent: every value is checked against a target
   * column's known code page.
   */
  sourceText?: ReadonlyMap<string, ReadonlyMap<string, SourceText>>;
}

export interface PlannedParam extends ParamPlan {
  column: string;
  /** Driver parameter name without `@` (p1, p2 … per statement). */
  name: string;
}

export interface PlannedRow {
  rowId: number;
  lsn: string;
  /** The logged operation the row was recovered from (PlanInputRow.operation); absent: a delete. */
  operation?: string;
  /** Target `schema.name`. */
  table: string;
  params: PlannedParam[];
  /** `INSERT INTO … VALUES (@p1, …)` */
  insertSql: string;
  /** `SELECT TOP (1) * FROM … WITH (UPDLOCK, HOLDLOCK) WHERE key = @pK` — null when the table has no key. */
  existsSql: string | null;
  /** `DELETE FROM … WHERE key = @pK` (no key: every column, TOP (1)); a RAISERROR that deletes nothing when `undoNotExact`. */
  undoSql: string;
  /** Whether the undo statement matches by key (exactly one row) or by every value (TOP (1)). */
  undoByKey: boolean;
  /**
   * Set when the row cannot be undone exactly (no key, and a value `=` cannot compare: xml,
   * spatial, sql_variant): why. Its undo deletes nothing and says so (RAISERROR severity 10).
   */
  undoNotExact?: string;
  /**
   * The row-ledger key (rowLedgerKey): of a row recovered from the log, the target table and its
   * delete's LSN; of a comparison's row, the target table and its values and copy
   * (`values:<sha1>#<k>`, PlanInputRow.valuesKey); null when neither is known.
   */
  rowKey: string | null;
  /** PlanInputRow.mayBeChanged: a comparison's row that may have been changed rather than deleted. */
  mayBeChanged?: true;
  /**
   * The target's GENERATED ALWAYS columns (a temporal table's period) the row holds a value for: left
   * out of its INSERT (the server sets them), so the recovered values do not go back; the script's
   * head names them (renderScriptChunks). Absent when none.
   */
  notPutBack?: string[];
  /**
   * The target's unique indexes and UNIQUE constraints other than the conflict key that the row is
   * looked for by before its INSERT (unique-keys.ts UniqueCheck): by the run (execute.ts runBatch:
   * a row another row already holds the value of is a conflict naming the index) and by the script.
   * Absent when there are none to check.
   */
  uniqueChecks?: UniqueCheck[];
  /** The target's unique keys the row cannot be checked against (a computed key column, or one the row gives no value for), each with why. Absent when none. */
  uniqueNotChecked?: UniqueNotChecked[];
  /** Set when the target table's unique indexes were not read (TargetTable.uniqueKeys absent: planned without the target's catalog): the script's head says so. */
  uniqueKeysUnread?: true;
  /**
   * Set when whether this row and another of its batch are one key or unique value is the server's
   * to say, never keyCompareText's: the conflict key's index has IGNORE_DUP_KEY ON (a duplicate in
   * a bulk load dropped unsaid), or a key or unique-key column is datetimeoffset (`=` compares the
   * instant: '10:00 +01:00' is '09:00 +00:00'), float/real (-0 is 0) or sql_variant. Its batch then
   * goes row by row (execute.ts sharesKey), each row looked for by the server just before its INSERT.
   */
  serverCompares?: true;
  /**
   * The same three statements for a script, each parameter referenced by a script-unique
   * variable (`@r<rowId>_p<n>`). Built from the parameter list, never by rewriting SQL text,
   * so a column named `@p1` or `x@p1` stays itself.
   */
  script: { insert: string; exists: string | null; undo: string; undoParams: string[] };
}

export interface PlannedBatch {
  batchNo: number;
  table: string;
  /** Quoted target name, three-part when a database is given. */
  target: string;
  /** The row ledger (quotedRowLedger) in the target's database: rows with a rowKey are checked against it and written to it. */
  rowLedger: string;
  identityInsert: boolean;
  rows: PlannedRow[];
  /**
   * The target table's enabled INSTEAD OF DELETE triggers (target-triggers.ts), when the catalog read
   * any: the undo script's DELETE runs them instead, and its head says so. Absent: none, or not read.
   */
  insteadOfDeleteTriggers?: string[];
  /**
   * Set when the target table's INSTEAD OF triggers were not read (planned without the target's
   * catalog: the SQL export, an offline dry run): the catalog prefix (`[CRM].`, or '' for the
   * session's database) under which the script looks for an enabled INSTEAD OF INSERT trigger itself
   * and stops, inserting nothing (renderScript: insteadOfInsertGuard).
   */
  insteadOfTriggersUnread?: { catalog: string };
  /**
   * The target table's enabled AFTER INSERT triggers (TargetTable.afterInsertTriggers), when the
   * catalog read any: each runs with the re-insert's INSERTs and may write elsewhere for every row put
   * back; named in the script's head and the run's summary (afterInsertTriggersOf), not refused.
   * Absent: none, or not read (`insteadOfTriggersUnread`: the script then names them where it runs).
   */
  afterInsertTriggers?: string[];
  /**
   * The unique indexes of indexed views over the target table (TargetTable.viewUniqueKeys), when the
   * catalog read any: not checked (the view's definition is not evaluated), named in the script's
   * head. Absent: none. `viewUniqueKeysUnread`: the catalog was not read for them.
   */
  viewUniqueKeys?: ViewUniqueKey[];
  viewUniqueKeysUnread?: true;
}

export interface PlanProblem {
  rowId: number;
  lsn: string;
  table: string;
  code: string;
  message: string;
}

export interface ReinsertPlan {
  tableOrder: string[];
  cycles: string[][];
  batches: PlannedBatch[];
  /** Rows that cannot be re-inserted (unresolved off-row values, bad values, unknown table). */
  problems: PlanProblem[];
  /**
   * Where the rows go (ScriptDatabase), when known: set by ReinsertService.plan from the target
   * (its `database`, else where its catalog was read), so a run's scripts, written when it ends,
   * name and check it too. Absent or null: not known (planned without a target).
   */
  database?: ScriptDatabase | null;
  /** The table order is the request's `tableOrder` (no target: its foreign keys were not read), not the foreign keys'. */
  tableOrderGiven?: boolean;
  /**
   * No target and no `tableOrder`: the tables are ordered by the foreign keys of the source's own
   * catalog (read from the job's data file or backup: TableLayout.foreignKeys), not the target's.
   */
  tableOrderFromSource?: boolean;
  /**
   * No target and no `tableOrder`: the source's catalog was read for every table of the plan (their
   * layouts carry `foreignKeys`) and declares no foreign key between them: the order is by name.
   */
  tableOrderNoSourceLinks?: boolean;
  /**
   * `tableOrder` given, no target, the source's catalog read: its foreign keys between two tables
   * of the plan that the given order puts child first (each a WARNING in the head); [] when none.
   */
  tableOrderAgainstSource?: { name: string; child: string; parent: string; given?: boolean; childSource?: string; parentSource?: string }[];
  /**
   * No target: the source catalog's foreign keys from a table of the plan to a table whose deleted
   * rows the job staged but the plan inserts none of (each said in the head: the parent row must be
   * in the target already).
   */
  parentsNotInserted?: { name: string; child: string; parent: string; childSource?: string; parentSource?: string }[];
  /**
   * No target: a source catalog's foreign key of a table of the plan to itself (`parentSource`
   * absent) or to another table the plan inserts rows of, and the rows of the plan (`rowIds`) that
   * reference a row the job staged deleted but the plan does not insert (`parentIds`), no row of the
   * plan holding that key (each said in the head).
   */
  selfParentsNotInserted?: { name: string; table: string; source?: string; parentTable?: string; parentSource?: string; rowIds: number[]; parentIds: number[] }[];
  /** What the source's catalog (its foreign keys) was read from: the job's data file or backup. */
  tableOrderSourceKind?: 'data file' | 'backup';
  /**
   * No target, the order by (or checked against) the source's foreign keys: the plan's tables whose
   * layouts carry none read (from the job's metadata): their keys are not known, said in the head.
   */
  tableOrderKeysUnread?: string[];
}

/**
 * The key-less undo's match of one column value, exact: text by code points with its trailing
 * spaces (binary collation, a character appended), binary values with their length, datetimeoffset
 * with its offset, other types
 * `[c] = @p`; text/ntext/image through their documented conversions to the (max) types; null for
 * types whose values `=` cannot compare exactly (xml is re-serialised, spatial values are CLR
 * objects, sql_variant compares by base-type family): such a row cannot be pinned by its values.
 */
function undoMatch(type: string, col: string, e: string): string | null {
  switch (type) {
    // Text by its code points, trailing spaces included: `=` under the column's collation takes
    // 'Smith' for 'SMITH' (a case-insensitive collation) and 'abc' for 'abc  ' (trailing spaces are
    // ignored), so the undo could delete another row differing only there.
    // (nvarchar(max): a varchar(8000) + N'.' would be nvarchar(4000), cut.) A char/nchar value's
    // trailing spaces are its padding to the column's length, so `=`'s padding is right there.
    case 'varchar': case 'nvarchar': case 'sysname': case 'text': case 'ntext':
      return `(CONVERT(nvarchar(max), ${col}) + N'.') COLLATE Latin1_General_BIN2 = (CONVERT(nvarchar(max), ${e}) + N'.')`;
    case 'char': case 'nchar':
      return `CONVERT(nvarchar(max), ${col}) COLLATE Latin1_General_BIN2 = CONVERT(nvarchar(max), ${e})`;
    // Bytes and their count: `=` takes 0x01 for 0x0100 (trailing zero bytes are ignored); a
    // binary(n) value is zero-padded to n, so `=` alone is right there.
    case 'varbinary': return `${col} = ${e} AND DATALENGTH(${col}) = DATALENGTH(${e})`;
    case 'image': return `CONVERT(varbinary(max), ${col}) = CONVERT(varbinary(max), ${e}) AND DATALENGTH(${col}) = DATALENGTH(${e})`;
    // `=` compares a datetimeoffset's instant only: '10:00 +01:00' equals '09:00 +00:00', another
    // row's value; the offset is compared too.
    case 'datetimeoffset': return `${col} = ${e} AND DATEPART(TZOFFSET, ${col}) = DATEPART(TZOFFSET, ${e})`;
    case 'xml': case 'geography': case 'geometry': case 'sql_variant': return null;
    default: return `${col} = ${e}`;
  }
}

/** The quoted target from the (schema, name) pair the metadata gives: never re-split from text. */
function quotedTarget(t: Pick<TargetTable, 'schema' | 'name'>, database?: string): string {
  return (database ? quoteName(database) + '.' : '') + `${quoteName(t.schema)}.${quoteName(t.name)}`;
}

/** The expression for a parameter in a statement: `@p3` or its CONVERT wrapper. */
function expr(p: { wrap?: string }, ref: string): string {
  return p.wrap ? p.wrap.replace('@', ref) : ref;
}

/**
 * A parameter as compared with its target column `c` by `=` (a key's existence check and undo, a
 * unique key's check, a filtered index's filter on the row's own values): expr, except for a
 * char/varchar column of a SQL Server collation (`SQL_…`), where the value (sent as nvarchar:
 * planParam) is first converted to the column's own type in the column's collation,
 * `CONVERT(varchar(n), @p COLLATE <collation>)`. Compared as nvarchar, the column's values were
 * converted to Unicode and compared by the Unicode rules, not the column's (Microsoft Learn, "Using
 * SQL Server Collations": a SQL Server collation sets how "SQL Server sorts and compares characters
 * that are stored in non-Unicode data types", and "Sorts and comparisons might be different for
 * Unicode and non-Unicode characters"; "Windows Collation Sorting Styles": "For Windows collations,
 * the nchar, nvarchar, and ntext Unicode data types have the same sorting behavior as char,
 * varchar, and text", so those are left as they are). So a value the column's unique index holds
 * distinct from the row's could be taken for it (a conflict the server would not have had, an undo by
 * key deleting a second row), and the column, converted, could not be sought in its index. The
 * value fits the column's code page and length (planParam refuses it otherwise), so the conversion
 * loses nothing.
 */
function compared(c: TargetTable['columns'][number] | undefined, p: PlannedParam, ref: string): string {
  const e = expr(p, ref);
  if (!c || p.wrap || (c.type !== 'char' && c.type !== 'varchar') || typeof c.collation !== 'string' || !/^SQL_[A-Za-z0-9_]+$/i.test(c.collation)) return e;
  return `CONVERT(${c.type}(${c.maxLength === -1 ? 'max' : c.maxLength}), ${e} COLLATE ${c.collation})`;
}

/**
 * Plans a re-insert: tables ordered parents-first by foreign keys, rows in staging (LSN)
 * order within a table, batches of one table each (IDENTITY_INSERT is per table), every
 * identifier quoted, every value a typed parameter. Rows that cannot be planned are problems,
 * never silently dropped.
 */
/**
 * A tableMap (source `schema.name` → target `schema.name`) with each source resolved to one of
 * `sources` (the job's tables, exact names) and each name in its plain `schema.name` form: keys and
 * targets may be written `[crm].[Orders]`, `"crm"."Orders"` or `Orders` (schema dbo), as the API
 * accepts them, and a key names its source exactly first, else in another letter case when one
 * source has it (reconstruct/metadata/names.ts). A key looked up verbatim against the rows' exact
 * `schema.name` missed `crm.orders`, `[crm].[Orders]` or `Orders` silently, and those rows were
 * planned into their source table itself, not the side table asked for. Throws InputError (a 400):
 * INPUT_UNKNOWN_TABLE for a key naming no source (a typo would send rows to the original table),
 * INPUT_AMBIGUOUS_NAME for one naming several only by case, INPUT_BAD_OPTION for two keys naming one
 * source, INPUT_BAD_IDENTIFIER for a name that does not parse.
 */
export function resolveTableMap(tableMap: Record<string, string> | undefined, sources: Iterable<string>): Record<string, string> | undefined {
  if (!tableMap) return undefined;
  // `schema.name` of a key or target as written; INPUT_BAD_IDENTIFIER naming which one when it does not parse
  const list = [...new Set(sources)];
  const plain = (text: string, what: 'key' | 'target', key: string): string => {
    try {
      // a key (a source) may be the job's own `schema.name` as the API gives it out (dbo.Order.Items: jobTableText)
      if (what === 'key') return jobTableText(text, list);
      return stagedTableName(splitQualifiedName(text));
    } catch (e) {
      throw new InputError('INPUT_BAD_IDENTIFIER', `tableMap ${what} '${echoInput(text)}' is not a schema.name table name: ${(e as Error).message}`, { field: `tableMap.${key}`, table: text });
    }
  };
  const index = new NameIndex(list, (t) => t);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(tableMap)) {
    const m = index.match(plain(key, 'key', key));
    if (m.ambiguous) throw new InputError('INPUT_AMBIGUOUS_NAME', `tableMap key '${echoInput(key)}' matches ${m.ambiguous.map(tableNameText).join(' and ')}, which differ only in letter case (a case-sensitive database): give the source in its exact case`, { field: `tableMap.${key}`, table: key });
    if (m.found === undefined) throw new InputError('INPUT_UNKNOWN_TABLE', `tableMap key '${echoInput(key)}' names no table of the job (its tables: ${tableListText(list) || 'none'}): its rows would go back to their own table, not to ${echoInput(value)}`, { field: `tableMap.${key}`, table: key });
    if (Object.prototype.hasOwnProperty.call(out, m.found)) throw new InputError('INPUT_BAD_OPTION', `tableMap names ${tableNameText(m.found)} twice (as '${echoInput(key)}' and another key): which target its rows go to cannot be told`, { field: `tableMap.${key}`, table: key });
    out[m.found] = plain(value, 'target', key);
  }
  return out;
}

export function planReinsert(rows: Iterable<PlanInputRow>, targets: Map<string, TargetTable>, fks: ForeignKey[], o: PlanOptions = {}): ReinsertPlan {
  const planner = new ReinsertPlanner(targets, fks, o);
  for (const r of rows) planner.add(r);
  const steps = planner.finish();
  for (let s = steps.next(); ; s = steps.next()) if (s.done) return s.value;
}

/**
 * `planReinsert` for large jobs on the service's event loop: the same plan, built with a pause
 * (`setImmediate`) every `every` rows so other requests are answered while it runs.
 */
export async function planReinsertCooperatively(rows: Iterable<PlanInputRow>, targets: Map<string, TargetTable>, fks: ForeignKey[], o: PlanOptions = {}, every = 500): Promise<ReinsertPlan> {
  const planner = new ReinsertPlanner(targets, fks, o);
  let n = 0;
  for (const r of rows) {
    planner.add(r);
    if (++n % every === 0) await yieldToEventLoop();
  }
  // the tables' checks and orders with a turn after each step (finish): in one piece they held the
  // event loop ~0.17 s at 60,000 rows
  const steps = planner.finish(every * 4);
  for (let s = steps.next(); ; s = steps.next()) {
    if (s.done) return s.value;
    await yieldToEventLoop();
  }
}

/** One turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The planner's state: rows are added one by one, `finish` orders tables and cuts batches. */
class ReinsertPlanner {
  private readonly batchSize: number;
  private readonly byTable = new Map<string, PlannedRow[]>();
  private readonly problems: PlanProblem[] = [];
  /** Target tables by name: exact first, then another case when one table has it (names.ts). */
  private readonly names: NameIndex<TargetTable>;
  private readonly ops: Set<string>;
  /** Each planned row's own (source) table, which its problems name. */
  private readonly sourceOf = new Map<number, string>();
  /** Rows recovered from deletes (operation delete or not given): the versions of a key compared in finish. */
  private readonly fromDelete = new Set<number>();
  private readonly rowLedger: string;

  constructor(targets: Map<string, TargetTable>, private readonly fks: ForeignKey[], private readonly o: PlanOptions) {
    this.batchSize = Math.max(1, o.batchSize ?? 500);
    this.rowLedger = quotedRowLedger(o.ledgerTable, o.database);
    this.names = new NameIndex([...targets.values()], (t) => qualified(t));
    this.ops = new Set(o.operations ?? DEFAULT_REINSERT_OPERATIONS);
  }

  add(r: PlanInputRow): void {
    const o = this.o;
    if (r.operation !== undefined && !this.ops.has(r.operation)) {
      this.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_NOT_A_DELETE', message: `row ${r.id} was recovered from an ${r.operation}, not a delete; re-insert it only on purpose (operations: ['${r.operation}'], usually into a side table)` });
      return;
    }
    const targetName = o.tableMap?.[r.table] ?? r.table;
    const m = this.names.match(targetName);
    const t = m.found;
    if (m.ambiguous) {
      this.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_AMBIGUOUS_TABLE', message: `target table ${tableNameText(targetName)} matches ${m.ambiguous.map((x) => tableNameText(qualified(x))).join(' and ')}, which differ only in letter case (a case-sensitive database): map it to one exactly (tableMap)` });
      return;
    }
    if (!t) {
      this.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_UNKNOWN_TABLE', message: unknownTableMessage(r.table, targetName, o.tableMap?.[r.table] !== undefined, o.database) });
      return;
    }
    // an INSTEAD OF INSERT trigger runs in place of the INSERT: what it does is not what the ledger would record
    const trigger = insteadOfInsertRefusal(t);
    if (trigger !== null) {
      this.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_INSTEAD_OF_TRIGGER', message: `row ${r.id}: ${trigger}` });
      return;
    }
    try {
      const planned = planRow(r, t, o.database, o.sourceText?.get(r.table));
      if (r.mayBeChanged) planned.mayBeChanged = true;
      this.sourceOf.set(r.id, r.table);
      if (r.operation === undefined || r.operation === 'delete') this.fromDelete.add(r.id);
      const list = this.byTable.get(qualified(t)) ?? [];
      list.push(planned);
      this.byTable.set(qualified(t), list);
    } catch (e) {
      if (!isRowbackError(e)) throw e;
      this.problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: e.code, message: e.message });
    }
  }

  /**
   * The plan from the rows added: each table's duplicate keys refused, the tables ordered, batches
   * cut. A generator that pauses (yields nothing) after each table's step and every `every` rows of
   * the duplicate-key check, so a caller on the service's event loop can turn it between pauses
   * (planReinsertCooperatively); its return value is the plan (planReinsert drains it at once).
   */
  *finish(every = 2000): Generator<void, ReinsertPlan> {
    for (const [table, list] of this.byTable) {
      const t = this.names.match(table).found!;
      const kept = this.refuseSharedUniqueKeys(t, yield* this.refuseSharedKeys(t, list, every));
      if (kept.length) this.byTable.set(table, kept); else this.byTable.delete(table);
      yield;
    }
    const { order, cycles } = orderTables([...this.byTable.keys()], this.fks);
    const batches: PlannedBatch[] = [];
    for (const table of order) {
      const t = this.names.match(table).found!;
      const ordered = parentsFirst(t, this.byTable.get(table)!.sort((a, b) => (a.lsn < b.lsn ? -1 : a.lsn > b.lsn ? 1 : a.rowId - b.rowId)), this.fks);
      for (const h of ordered.held) {
        this.problems.push({ rowId: h.row.rowId, lsn: h.row.lsn, table: this.sourceOf.get(h.row.rowId) ?? h.row.table, code: 'REINSERT_FOREIGN_KEY_CYCLE', message: h.message });
      }
      const list = ordered.rows;
      if (!list.length) continue;
      // IDENTITY_INSERT ON only for rows that give the identity column a value: a side table with an
      // identity column of its own (tableMap into `recovery.Orders_back (RecoveryId int IDENTITY, …)`)
      // gets no value for it, and an INSERT leaving it out under IDENTITY_INSERT ON is refused by
      // the server (Msg 545, "Explicit value must be specified for identity column"), every batch.
      // Consecutive rows of one kind share batches, so LSN order is kept.
      const identity = identityColumnOf(t);
      const gives = (r: PlannedRow): boolean => identity !== undefined && r.params.some((p) => p.column === identity);
      for (let i = 0; i < list.length;) {
        const on = gives(list[i]!);
        let j = i + 1;
        while (j < list.length && j - i < this.batchSize && gives(list[j]!) === on) j++;
        batches.push({
          batchNo: batches.length + 1, table, target: quotedTarget(t, this.o.database), rowLedger: this.rowLedger, identityInsert: on, rows: list.slice(i, j),
          ...(t.insteadOfTriggers?.delete.length ? { insteadOfDeleteTriggers: [...t.insteadOfTriggers.delete] } : {}),
          ...(t.afterInsertTriggers?.length ? { afterInsertTriggers: [...t.afterInsertTriggers] } : {}),
          ...(t.insteadOfTriggers === undefined ? { insteadOfTriggersUnread: { catalog: this.o.database ? `${quoteName(this.o.database)}.` : '' } } : {}),
          ...(t.viewUniqueKeys?.length ? { viewUniqueKeys: t.viewUniqueKeys } : t.viewUniqueKeys === undefined ? { viewUniqueKeysUnread: true as const } : {}),
        });
        i = j;
      }
      yield;
    }
    return { tableOrder: order, cycles, batches, problems: this.problems };
  }

  /**
   * Rows recovered from deletes of one table holding the same key with different values (a row
   * deleted, put back changed and deleted again: two versions) cannot both go back: in LSN order the
   * older version went in and the newer one, the state just before the last delete, was then a
   * "conflict" with it, while the dry run named no problem (newcomer). All of them are problems,
   * naming each other, for the reviewer to reject all but the version meant. Text keys are compared
   * as the key column's collation may compare them (key-fold.ts maybeKeyText: letter case unless
   * _CS or binary, Turkish/Azeri case pairs, trailing spaces, and width without _WS, kana without
   * _KS, marks under any _AI, 'ß'/'ss'; a collation not known as a case-insensitive one): flagged
   * rather than left to conflict, the sentence saying when they are one key only maybe (maybeOneText).
   * They were grouped as the collation surely compares them (sameKeyText), and a full-width 'ＡＮＮ'
   * and 'ANN', one key under every collation without _WS, both went to the run. Versions with the same values are one row (the conflict check
   * answers the second); before-images and inserted rows put back on purpose (a side table's
   * history of a key) are not compared.
   */
  private *refuseSharedKeys(t: TargetTable, list: PlannedRow[], every: number): Generator<void, PlannedRow[]> {
    if (t.keyColumns.length === 0) return list;
    const groups = new Map<string, PlannedRow[]>();
    let n = 0;
    for (const row of list) {
      if (++n % every === 0) yield;
      if (!this.fromDelete.has(row.rowId)) continue;
      const params = t.keyColumns.map((k) => row.params.find((p) => p.column === k));
      if (params.some((p) => !p || p.value === null)) continue;
      const key = params.map((p) => keyCompareText(p!, columnFolds(t, p!.column) ?? UNKNOWN_COLLATION_MAYBE_FOLDS, 'maybe')).join('\u0000');
      const g = groups.get(key);
      if (g) g.push(row); else groups.set(key, [row]);
    }
    const refused = new Set<PlannedRow>();
    const image = (row: PlannedRow) => row.params.map((p) => `${p.column}=${p.literal}`).join('\u0000');
    const surely = (row: PlannedRow) => t.keyColumns.map((k) => keyCompareText(row.params.find((p) => p.column === k)!, columnFolds(t, k))).join('\u0000');
    for (const [, g] of groups) {
      if (g.length < 2 || new Set(g.map(image)).size === 1) continue;
      const keyText = t.keyColumns.map((k) => `${identifierText(k)} = ${g[0]!.params.find((p) => p.column === k)!.literal}`).join(', ') + maybeOneText(t, t.keyColumns, new Set(g.map(surely)).size > 1);
      for (const row of g) {
        refused.add(row);
        // the first 10 others and how many more, as the unique keys' refusal names them: the whole
        // group per row was n² text (a nightly job deleting and re-inserting one key's row gives a
        // version a night; 5,000 versions of one key wrote 25 M row names)
        const shown = g.slice(0, 11).filter((x) => x !== row).slice(0, 10);
        const others = shown.map((x) => `${x.rowId} (LSN ${x.lsn})`).join(', ') + (g.length - 1 > shown.length ? ` and ${g.length - 1 - shown.length} more` : '');
        this.problems.push({ rowId: row.rowId, lsn: row.lsn, table: this.sourceOf.get(row.rowId) ?? row.table, code: 'REINSERT_DUPLICATE_KEY', message: `row ${row.rowId} holds the same key (${keyText}) as approved row(s) ${others} of ${tableNameText(qualified(t))}: only one version can go back; reject the others (the latest delete holds the state just before it)` });
      }
    }
    return refused.size ? list.filter((r) => !refused.has(r)) : list;
  }

  /**
   * refuseSharedKeys for the table's unique indexes and UNIQUE constraints (PlannedRow.uniqueChecks):
   * rows recovered from deletes of one table holding the same value of one unique key (a contact
   * deleted, re-created with the same e-mail under a new id and deleted again) cannot both go back:
   * the second INSERT is refused (Msg 2601/2627) and its whole batch rolls back, or with
   * IGNORE_DUP_KEY the row is dropped unsaid. Values compare as the conflict key's do (key-fold.ts
   * keyCompareText under the column's collation), NULL equal to NULL as in a unique index. A
   * filtered index groups only the rows its filter holds for, when that can be told here
   * (unique-keys.ts filterHoldsOffline); a row it cannot be told for is left to the run's check and
   * the script's, which look for it just before its INSERT. Rows with the same values are one row (the
   * key check answers the second). Every row of a group is a problem (REINSERT_DUPLICATE_UNIQUE_KEY)
   * naming the others, for the reviewer to keep the one meant.
   */
  private refuseSharedUniqueKeys(t: TargetTable, list: PlannedRow[]): PlannedRow[] {
    const groups = new Map<string, { check: UniqueCheck; rows: PlannedRow[] }>();
    for (const row of list) {
      if (!this.fromDelete.has(row.rowId) || !row.uniqueChecks) continue;
      const byCol = new Map(row.params.map((p) => [p.column, p]));
      for (const check of row.uniqueChecks) {
        const nulls = new Set(check.nullColumns ?? []);
        if (check.filter) {
          if (check.filterNotOnRow?.some((c) => !nulls.has(c))) continue;
          const holds = filterHoldsOffline(check.filter, (c) => (byCol.has(c) ? byCol.get(c)!.value : nulls.has(c) ? null : undefined));
          if (holds !== true) continue;
        }
        const key = JSON.stringify([check.index, ...check.columns.map((c) => { const p = byCol.get(c); return !p || p.value === null ? 'n:' : keyCompareText(p, columnFolds(t, c) ?? UNKNOWN_COLLATION_MAYBE_FOLDS, 'maybe'); })]);
        const g = groups.get(key);
        if (g) g.rows.push(row); else groups.set(key, { check, rows: [row] });
      }
    }
    const refused = new Set<PlannedRow>();
    const image = (row: PlannedRow) => row.params.map((p) => `${p.column}=${p.literal}`).join('\u0000');
    const surely = (row: PlannedRow, check: UniqueCheck) => JSON.stringify(check.columns.map((c) => { const p = row.params.find((x) => x.column === c); return !p || p.value === null ? 'n:' : keyCompareText(p, columnFolds(t, c)); }));
    for (const { check, rows: g } of groups.values()) {
      if (g.length < 2 || new Set(g.map(image)).size === 1) continue;
      const valueText = check.columns.map((c) => `${identifierText(c)} = ${g[0]!.params.find((p) => p.column === c)?.literal ?? 'NULL (no value given, no default)'}`).join(', ') + maybeOneText(t, check.columns, new Set(g.map((r) => surely(r, check))).size > 1);
      for (const row of g) {
        if (refused.has(row)) continue;
        refused.add(row);
        // the first 10 others and how many more: never the whole group per row (8,334 rows holding
        // NULL in one unique column named each other in full, and a 50,000-row plan and script ran
        // out of a 4 GB heap: docs/performance.md)
        const shown = g.slice(0, 11).filter((x) => x !== row).slice(0, 10);
        const others = shown.map((x) => `${x.rowId} (LSN ${x.lsn})`).join(', ') + (g.length - 1 > shown.length ? ` and ${g.length - 1 - shown.length} more` : '');
        this.problems.push({ rowId: row.rowId, lsn: row.lsn, table: this.sourceOf.get(row.rowId) ?? row.table, code: 'REINSERT_DUPLICATE_UNIQUE_KEY', message: `row ${row.rowId} holds the same value of ${tableNameText(qualified(t))}'s ${uniqueKeyText(check)} (${valueText}) as approved row(s) ${others}: only one of them can go back (the server refuses the second, Msg ${check.constraint ? 2627 : 2601}, with its whole batch${check.ignoreDupKey ? '; with IGNORE_DUP_KEY ON it would drop it unsaid' : ''}); reject the others` });
      }
    }
    return refused.size ? list.filter((r) => !refused.has(r)) : list;
  }
}

/**
 * What a duplicate-key or unique-value refusal adds when its rows' values are one key only as the
 * columns' collation may compare them (key-fold.ts maybeKeyText, not sameKeyText): '' when they are
 * surely one (`maybe` false). Such pairs were let through as two keys ("left to the run's own check"),
 * and where the server took them as one (a full-width 'ＡＮＮ' and 'ANN' under any collation without
 * _WS, 'カナ' and 'かな' without _KS, 'José' and 'Jose' under French_CI_AI: Microsoft Learn, "Collation
 * and Unicode support") the run put the older version back and called the newer a conflict. Refused,
 * the sentence says how to tell: one row in this run, the other in a later one, whose own check asks
 * the server (inserted if two keys, a conflict named if one).
 */
function maybeOneText(t: TargetTable, columns: readonly string[], maybe: boolean): string {
  if (!maybe) return '';
  const named = columns.map((c) => t.columns.find((x) => x.name === c) ?? t.columns.find((x) => x.name.toLowerCase() === c.toLowerCase())).filter((c) => c?.collation).map((c) => `${identifierText(c!.name)} ${c!.collation}`);
  // the folds these columns' collations may make (key-fold.ts maybeKeyText), not a fixed list: it
  // said "accents" under _AS collations, which never fold them, and left out the characters a
  // collation may not weigh, so 'ABC' and 'ABC' + a tab were refused with none of the reasons named
  const folds = columns.map((c) => columnFolds(t, c) ?? UNKNOWN_COLLATION_MAYBE_FOLDS).filter((f) => !f.binary);
  const ways: string[] = [];
  if (folds.some((f) => f.widthInsensitive)) ways.push('full- and half-width forms');
  if (folds.some((f) => f.kanaInsensitive)) ways.push('katakana and hiragana');
  if (folds.some((f) => f.accentInsensitive)) ways.push('accents');
  if (folds.some((f) => !f.caseSensitive && !f.sqlNonUnicode)) ways.push("'ß'/'ss', 'æ'/'ae', 'œ'/'oe'");
  ways.push('control and format characters such as a tab, a line break or a zero-width space, which it may not weigh');
  return `; values the collation may take as one key (${named.length ? named.join(', ') : 'collation not known'}: ${ways.join(', ')}): if the server takes them as two, put one back in this run and the others in a later run, whose check asks the server`;
}

/**
 * The rows of one target table (in LSN order) with every row that another row of the list references
 * through a foreign key of the table to itself (`ForeignKey.columns`) before it: an employee's
 * manager before the employee. A mass delete takes a report before its manager as often as after,
 * and in LSN order the report's INSERT came first and was refused by the constraint (the batch
 * failed, and again on every resume). Otherwise LSN order is kept (a stable topological order, ties
 * by LSN). Values are matched as the referenced column's collation may compare them (key-fold.ts).
 *
 * A row referencing itself goes in with its own INSERT (SQL Server checks a foreign key after the
 * statement's row is in). Rows referencing each other in a cycle (A reports to B, B to A) cannot:
 * each single-row INSERT is refused (Msg 547) whichever goes first. They were placed last with no
 * problem named, and the real run failed there, mid-way, on every resume. They are `held` now, each
 * with the sentence naming the cycle's rows, and so is every row that references one of them (its
 * INSERT would be refused the same way while its parent is not back): `rows` holds the others.
 * A cycle one of whose rows is already in the target could go in (that row a key conflict, the
 * others after it), but the plan does not read the target's rows (its existence checks run in the
 * script and the run, row by row): the sentence says so, rather than that no order works.
 */
function parentsFirst(t: TargetTable, list: PlannedRow[], fks: readonly ForeignKey[]): { rows: PlannedRow[]; held: { row: PlannedRow; message: string }[] } {
  const table = qualified(t).toLowerCase();
  const self = fks.filter((f) => f.columns?.length && f.child.toLowerCase() === table && f.parent.toLowerCase() === table);
  if (!self.length || list.length < 2) return { rows: list, held: [] };
  // a value as the referenced (parent) column's collation may compare it (key-fold.ts maybeKeyText:
  // a foreign key's two columns share one collation, Msg 1757 otherwise): a fold too coarse only adds
  // an edge (a row placed after one it does not need), a fold too fine left a row before its parent
  // (Msg 547 on every resume). It folded case under every collation: under a _CS one 'ann' and 'ANN'
  // were both a report's manager, and two rows so named as each other's were held as a cycle.
  const lit = (row: PlannedRow, col: string, parentCol: string, how: 'same' | 'maybe' = 'maybe'): string | undefined => {
    const p = row.params.find((x) => x.column.toLowerCase() === col.toLowerCase());
    return p && p.value !== null ? keyCompareText(p, columnFolds(t, parentCol), how) : undefined;
  };
  const keyOf = (row: PlannedRow, cols: string[], parentCols: string[], how: 'same' | 'maybe' = 'maybe'): string | undefined => {
    const parts = cols.map((c, i) => lit(row, c, parentCols[i]!, how));
    return parts.every((x) => x !== undefined) ? parts.join('\u0000') : undefined;
  };
  // each row's parents among the list: rows whose referenced columns hold its referencing values
  const parents = list.map(() => new Set<number>());
  const through = new Set<string>(); // the keys that carry an edge, for the sentence
  // edges `i <- j` whose keys are one only as the collation may compare them (not `same`): a cycle
  // through one may be none to the server, and its sentence says so
  const maybeOnly = new Set<string>();
  const sure = new Set<string>();
  for (const f of self) {
    const byKey = new Map<string, number[]>();
    const parentCols = f.columns!.map((c) => c.parent);
    list.forEach((row, i) => {
      const k = keyOf(row, parentCols, parentCols);
      if (k !== undefined) appendTo(byKey, k, i);
    });
    list.forEach((row, i) => {
      const k = keyOf(row, f.columns!.map((c) => c.child), parentCols);
      for (const j of (k === undefined ? [] : byKey.get(k) ?? [])) {
        if (j === i) continue;
        parents[i]!.add(j);
        through.add(f.name);
        const edge = `${i}:${j}`;
        if (keyOf(row, f.columns!.map((c) => c.child), parentCols, 'same') === keyOf(list[j]!, parentCols, parentCols, 'same')) { sure.add(edge); maybeOnly.delete(edge); }
        else if (!sure.has(edge)) maybeOnly.add(edge);
      }
    });
  }
  if (parents.every((p) => p.size === 0)) return { rows: list, held: [] };
  const children = list.map(() => [] as number[]);
  parents.forEach((ps, i) => { for (const j of ps) children[j]!.push(i); });
  const waiting = parents.map((p) => p.size);
  const out: PlannedRow[] = [];
  const done = new Set<number>();
  // ready rows, the earliest in LSN order (list position) first: a binary min-heap
  const heap: number[] = [];
  const push = (v: number): void => {
    heap.push(v);
    for (let k = heap.length - 1; k > 0;) {
      const up = (k - 1) >> 1;
      if (heap[up]! <= heap[k]!) break;
      [heap[up], heap[k]] = [heap[k]!, heap[up]!];
      k = up;
    }
  };
  const pop = (): number => {
    const top = heap[0]!;
    const end = heap.pop()!;
    if (heap.length) {
      heap[0] = end;
      for (let k = 0; ;) {
        const l = 2 * k + 1, r = l + 1;
        let m = k;
        if (l < heap.length && heap[l]! < heap[m]!) m = l;
        if (r < heap.length && heap[r]! < heap[m]!) m = r;
        if (m === k) break;
        [heap[m], heap[k]] = [heap[k]!, heap[m]!];
        k = m;
      }
    }
    return top;
  };
  waiting.forEach((n, i) => { if (n === 0) push(i); });
  while (heap.length) {
    const i = pop();
    out.push(list[i]!);
    done.add(i);
    for (const c of children[i]!) if (--waiting[c]! === 0) push(c);
  }
  const left = list.map((_, i) => i).filter((i) => !done.has(i));
  if (!left.length) return { rows: out, held: [] };
  const name = qualified(t);
  const keys = [...through].sort().join(', ');
  // the first 10 rows of `xs` but `not` (a member of `xs`, or -1), and how many more: never a copy of
  // `xs` per row (a cycle of n rows named n times was n² work: 20,000 rows in one ring took 40 s)
  const ids = (xs: readonly number[], not = -1): string => {
    const shown: number[] = [];
    for (const j of xs) {
      if (j === not) continue;
      if (shown.length === 10) break;
      shown.push(j);
    }
    const more = xs.length - (not >= 0 ? 1 : 0) - shown.length;
    return shown.map((j) => `${list[j]!.rowId} (LSN ${list[j]!.lsn})`).join(', ') + (more > 0 ? ` and ${more} more` : '');
  };
  const cycleOf = new Map<number, number[]>();
  // per cycle, once (per row it was n² work on a ring): whether an edge inside it is maybe-only
  const maybeCycle = new Map<number[], boolean>();
  for (const comp of cyclesAmong(left, parents)) {
    for (const i of comp) cycleOf.set(i, comp);
    if (maybeOnly.size === 0) { maybeCycle.set(comp, false); continue; }
    const members = new Set(comp);
    maybeCycle.set(comp, comp.some((a) => { for (const b of parents[a]!) if (members.has(b) && maybeOnly.has(`${a}:${b}`)) return true; return false; }));
  }
  const held = left.map((i) => {
    const row = list[i]!;
    const comp = cycleOf.get(i);
    if (comp) {
      const maybeText = maybeCycle.get(comp) ? ` (some of these references match their row's key only as the collation may compare keys, ${collationsOf(t, self)}: width, kana, accents, characters it may not weigh; if the server tells them apart there is no cycle, and the rows can go back one at a time, parents first, in a run of them alone)` : '';
      return { row, message: `row ${row.rowId} is in a foreign-key cycle of ${tableNameText(name)} (${keys}) with row(s) ${ids(comp, i)}${maybeText}: each references another, so whichever goes first its INSERT is refused by the constraint (Msg 547), and rowback inserts one row at a time, unless one of them is already in the target (its key a conflict, and the others could go in after it); the plan does not read the target's rows, so all of them are held back: check the target for their keys, then put the missing ones back by hand, all in one INSERT statement (the constraint is checked at the statement's end) or with the reference NULL first and an UPDATE after, or reject them` };
    }
    const waits = [...parents[i]!].filter((j) => !done.has(j));
    return { row, message: `row ${row.rowId} references row(s) ${ids(waits)} of ${tableNameText(name)} (${keys}), held back in a foreign-key cycle (or referencing one): its INSERT would be refused by the constraint (Msg 547) while they are not back; put it back by hand after them, or reject it` };
  });
  return { rows: out, held };
}

/** The referenced columns of `fks` (a table's foreign keys to itself) with their collations, for a sentence: `Code Latin1_General_CI_AS`, or 'collation not known'. */
function collationsOf(t: TargetTable, fks: readonly ForeignKey[]): string {
  const named = [...new Set(fks.flatMap((f) => f.columns!.map((c) => c.parent)))]
    .map((c) => t.columns.find((x) => x.name === c) ?? t.columns.find((x) => x.name.toLowerCase() === c.toLowerCase()))
    .filter((c) => c?.collation).map((c) => `${identifierText(c!.name)} ${c!.collation}`);
  return named.length ? named.join(', ') : 'collation not known';
}

/**
 * The strongly connected components of more than one row among `nodes` (indices into `parents`,
 * each row's parent rows): the rows of each foreign-key cycle, in list order. Tarjan's algorithm,
 * iterative (a long chain of rows would overflow the call stack).
 */
function cyclesAmong(nodes: number[], parents: Set<number>[]): number[][] {
  const inSet = new Set(nodes);
  const idx = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const on = new Set<number>();
  const out: number[][] = [];
  let next = 0;
  for (const start of nodes) {
    if (idx.has(start)) continue;
    const work: { v: number; it: Iterator<number> }[] = [];
    const open = (v: number): void => {
      idx.set(v, next); low.set(v, next); next++;
      stack.push(v); on.add(v);
      work.push({ v, it: parents[v]!.values() });
    };
    open(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (!inSet.has(w)) continue;
        if (!idx.has(w)) open(w);
        else if (on.has(w)) low.set(top.v, Math.min(low.get(top.v)!, idx.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) { const up = work[work.length - 1]!.v; low.set(up, Math.min(low.get(up)!, low.get(top.v)!)); }
      if (low.get(top.v) === idx.get(top.v)) {
        const comp: number[] = [];
        let w: number;
        do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== top.v);
        if (comp.length > 1) out.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return out;
}

/**
 * `plan` with its rows in the order `sequence` gives them (a row's place in the re-insert runs that
 * put it in: run, batch, position), cut again into batches of one table each: its undo
 * (renderUndoScript, which deletes the batches and their rows last first) deletes them in the
 * reverse of the order they went in, children before parents. Rows `sequence` does not place keep
 * their order after the others. Planned again without the target's foreign keys (the undo-sql
 * export), the tables came by name, and a child table named before its parent (dbo.Address of
 * dbo.Person) had its parent's rows deleted first: refused by the constraint (Msg 547), the whole
 * undo rolled back. Rows of one table kept in two row ledgers (runs with other ledger tables) stay in
 * batches of their own: joined, every row's ledger entry was taken out of the first one's ledger.
 */
export function inInsertionOrder(plan: ReinsertPlan, sequence: ReadonlyMap<number, readonly number[]>): ReinsertPlan {
  const all = plan.batches.flatMap((b) => b.rows.map((row, i) => ({ b, row, at: sequence.get(row.rowId), i })));
  const cmp = (x: readonly number[] | undefined, y: readonly number[] | undefined): number => {
    if (!x || !y) return x ? -1 : y ? 1 : 0;
    for (let k = 0; k < Math.max(x.length, y.length); k++) if ((x[k] ?? 0) !== (y[k] ?? 0)) return (x[k] ?? 0) - (y[k] ?? 0);
    return 0;
  };
  const sorted = all.map((e, n) => ({ ...e, n })).sort((p, q) => cmp(p.at, q.at) || p.n - q.n);
  const batches: PlannedBatch[] = [];
  for (const e of sorted) {
    const last = batches[batches.length - 1];
    if (last && last.table === e.b.table && last.target === e.b.target && last.identityInsert === e.b.identityInsert && last.rowLedger === e.b.rowLedger) last.rows.push(e.row);
    else batches.push({ ...e.b, batchNo: batches.length + 1, rows: [e.row] });
  }
  return { ...plan, batches };
}

/** The name of a target table's identity column (insertable: not computed), if it has one. */
function identityColumnOf(t: TargetTable): string | undefined {
  return hasIdentity(t) ? insertableColumns(t).find((c) => c.identity)!.name : undefined;
}

/** A target table's columns by name (names.ts), built once per table. */
const columnIndexes = new WeakMap<TargetTable, NameIndex<TargetTable['columns'][number]>>();
function columnIndexOf(t: TargetTable): NameIndex<TargetTable['columns'][number]> {
  let i = columnIndexes.get(t);
  if (!i) columnIndexes.set(t, (i = new NameIndex(t.columns, (c) => c.name)));
  return i;
}

/**
 * One row's statements into target table `t`. `source`: the row's char/varchar/text columns (by its
 * own column names) with the code page each was decoded from (PlanOptions.sourceText), handed to
 * planParam with each value.
 * @throws ReinsertError for a value or column the target cannot take (planParam; REINSERT_COLUMN_*).
 */
export function planRow(r: PlanInputRow, t: TargetTable, database?: string, source?: ReadonlyMap<string, SourceText>): PlannedRow {
  const target = quotedTarget(t, database);
  const cols = insertableColumns(t);
  // Each value's column of the target: its exact name first, then another case when one column has
  // it (names.ts). Lowercased matching gave a case-sensitive table's Name and name one value.
  const columns = columnIndexOf(t);
  const given = new Map<string, SqlValue>();
  // each target column's value's own (source) column name
  const sourceName = new Map<string, string>();
  for (const k of Object.keys(r.values)) {
    const m = columns.match(k);
    if (m.ambiguous) {
      throw new ReinsertError('REINSERT_COLUMN_AMBIGUOUS', `the row's column ${identifierText(k)} matches the target table ${tableNameText(qualified(t))}'s ${m.ambiguous.map((c) => identifierText(c.name)).join(' and ')}, which differ only in letter case: which one it is cannot be told`, { column: k, table: qualified(t) });
    }
    if (!m.found) throw new ReinsertError('REINSERT_COLUMN_MISSING', `the target table ${tableNameText(qualified(t))} has no column ${identifierText(k)}`, { column: k, table: qualified(t) });
    if (given.has(m.found.name)) {
      throw new ReinsertError('REINSERT_COLUMN_AMBIGUOUS', `the row's columns ${Object.keys(r.values).filter((x) => columns.match(x).found === m.found).map(identifierText).join(' and ')} both match the target table ${tableNameText(qualified(t))}'s column ${identifierText(m.found.name)}: which value it takes cannot be told`, { column: m.found.name, table: qualified(t) });
    }
    given.set(m.found.name, r.values[k]!);
    sourceName.set(m.found.name, k);
  }
  const valueOf = (name: string): SqlValue | undefined => given.get(name);
  // values the INSERT cannot carry: the server sets these columns itself
  const notPutBack = t.columns.filter((c) => c.generatedAlways && given.has(c.name) && given.get(c.name) !== null).map((c) => c.name);
  const params: PlannedParam[] = [];
  for (const c of cols) {
    const v = valueOf(c.name);
    if (v === undefined) continue; // a column the source did not have: the target's default applies
    params.push({ column: c.name, name: `p${params.length + 1}`, ...planParam(c, v, source?.get(sourceName.get(c.name)!)) });
  }
  if (params.length === 0) throw new ReinsertError('REINSERT_NO_COLUMNS', `row ${r.id} has no insertable values for ${tableNameText(qualified(t))}`);
  // A column the row has no value for is left out of the INSERT for its default; a NOT NULL column
  // the target's catalog says has none refuses such an INSERT (Msg 515), and the row failed the run's
  // whole batch with it, on every resume, the dry run naming no problem (a side table's column of its
  // own, a table emptied by the incident and then given a NOT NULL column; breaker,
  // test/reinsert/not-null-no-default.test.ts). Identity columns the server fills.
  const unfilled = cols.find((c) => !given.has(c.name) && !c.nullable && !c.identity && c.hasDefault === false);
  if (unfilled) {
    throw new ReinsertError('REINSERT_COLUMN_MISSING', `row ${r.id} has no value for the target table ${tableNameText(qualified(t))}'s column ${identifierText(unfilled.name)}, which is NOT NULL and has no default: its INSERT would be refused (Msg 515, "Cannot insert the value NULL into column") with its whole batch: give the column a default, re-insert into a table without it (a side table, tableMap), or put the row back by hand`, { column: unfilled.name, table: qualified(t) });
  }
  const byCol = new Map(params.map((p) => [p.column, p]));
  // Every statement is built twice from the parameter list: driver form (@pN) and script form.
  type Ref = (p: PlannedParam) => string;
  const driver: Ref = (p) => '@' + p.name;
  const scripted: Ref = (p) => `@r${r.id}_${p.name}`;
  const insert = (ref: Ref) => `INSERT INTO ${target} (${params.map((p) => quoteName(p.column)).join(', ')}) VALUES (${params.map((p) => expr(p, ref(p))).join(', ')});`;
  const keyParams = t.keyColumns.map((k) => byCol.get(k));
  const byKey = t.keyColumns.length > 0 && keyParams.every((p) => p && p.value !== null);
  let whereParams: PlannedParam[];
  let where: (ref: Ref) => string;
  if (byKey) {
    whereParams = keyParams as PlannedParam[];
    where = (ref) => whereParams.map((p) => `${quoteName(p.column)} = ${compared(columns.match(p.column).found, p, ref(p))}`).join(' AND ');
  } else {
    // Every value of the row (a heap row has nothing else to be told by): a column left out of the
    // match let the undo delete another row that differs only there (a (max) column was left out,
    // so a row of nothing but LOB columns was undone with `DELETE TOP (1) FROM t;`).
    whereParams = params;
    where = (ref) => whereParams.map((p) => {
      const col = quoteName(p.column);
      if (p.value === null) return `${col} IS NULL`;
      return undoMatch(t.columns.find((x) => x.name === p.column)!.type, col, expr(p, ref(p)))!;
    }).join(' AND ');
  }
  const unmatchable = byKey ? [] : params.filter((p) => p.value !== null && undoMatch(t.columns.find((x) => x.name === p.column)!.type, '', '') === null);
  const exists = (ref: Ref, list = '*') => (byKey ? `SELECT TOP (1) ${list} FROM ${target} WITH (UPDLOCK, HOLDLOCK) WHERE ${where(ref)};` : null);
  const notDeleted = unmatchable.length
    ? `row ${r.id} is not deleted by this undo: it has no key and its value${unmatchable.length > 1 ? 's' : ''} in ${unmatchable.map((p) => `${identifierText(p.column)} (${t.columns.find((x) => x.name === p.column)!.type})`).join(', ')} cannot be compared exactly, so another row could be taken for it; delete it by hand`
    : null;
  const undo = (ref: Ref) => {
    if (notDeleted) return `RAISERROR(N'rowback undo: ${commentText(notDeleted).replace(/'/g, "''").replace(/%/g, '%%')}', 10, 1) WITH NOWAIT;`;
    const w = where(ref);
    return byKey ? `DELETE FROM ${target} WHERE ${w};` : `DELETE TOP (1) FROM ${target} WHERE ${w};`;
  };
  const selectList = existingSelectList(t);
  const unique = uniqueChecksOf(r.id, t, target, byKey, byCol, selectList);
  return {
    rowId: r.id,
    lsn: r.lsn,
    ...(r.operation !== undefined && r.operation !== 'delete' ? { operation: r.operation } : {}),
    table: qualified(t),
    ...(unique.checks.length ? { uniqueChecks: unique.checks } : {}),
    ...(unique.notChecked.length ? { uniqueNotChecked: unique.notChecked } : {}),
    ...(t.uniqueKeys === undefined ? { uniqueKeysUnread: true as const } : {}),
    ...(serverCompares(t, byKey, unique.checks) ? { serverCompares: true as const } : {}),
    rowKey: r.fromLog ? rowLedgerKey(qualified(t), r.lsn) : r.valuesKey ? rowLedgerKey(qualified(t), r.valuesKey) : null,
    params,
    insertSql: insert(driver),
    existsSql: exists(driver, selectList),
    undoSql: undo(driver),
    undoByKey: byKey,
    ...(notDeleted ? { undoNotExact: notDeleted } : {}),
    ...(notPutBack.length ? { notPutBack } : {}),
    script: { insert: insert(scripted), exists: exists(scripted), undo: undo(scripted), undoParams: notDeleted ? [] : whereParams.filter((p) => p.value !== null || byKey).map((p) => p.name) },
  };
}

/**
 * A row's checks against target table `t`'s unique keys (unique-keys.ts uniqueKeysToCheck: its
 * unique indexes and UNIQUE constraints, and its conflict key when `byKey` is false), from the row's
 * parameters by target column (`byCol`); `target` the quoted table. A key one of whose columns is
 * computed, or one the row gives no value for (its default applies, unknown here; but one the INSERT
 * leaves NULL, nullable with no default, is checked as NULL: UniqueCheck.nullColumns), cannot be checked
 * from the row: it is listed in `notChecked` with why (said once per table in the script's head),
 * unless IGNORE_DUP_KEY is ON for it: the server would then drop the row with a warning only and
 * rowback record it inserted, so the row is refused. Every identifier quoted, every value a
 * parameter; a filter_definition, the server's own text from its catalog, goes in verbatim (as the
 * test of the existing row, and inside EXISTS over the row's own values: unique-keys.ts).
 * @throws ReinsertError REINSERT_UNIQUE_KEY_UNCHECKED for that IGNORE_DUP_KEY case.
 */
function uniqueChecksOf(rowId: number, t: TargetTable, target: string, byKey: boolean, byCol: Map<string, PlannedParam>, selectList: string): { checks: UniqueCheck[]; notChecked: UniqueNotChecked[] } {
  const checks: UniqueCheck[] = [];
  const notChecked: UniqueNotChecked[] = [];
  type Ref = (p: PlannedParam) => string;
  const driver: Ref = (p) => '@' + p.name;
  const scripted: Ref = (p) => `@r${rowId}_${p.name}`;
  const colOf = (name: string) => t.columns.find((c) => c.name === name);
  // A text value in the derived table the filter is tested on takes the column's collation: a
  // parameter's is the database default (coercible-default), and `[Region] = 'eu'` under a
  // case-sensitive column in a case-insensitive database would have answered otherwise than the
  // server does for the row itself. A collation name is letters, digits and underscores; anything
  // else is left out (the database default then decides).
  const collated = (name: string): string => {
    const col = colOf(name);
    const text = col && ['char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'sysname'].includes(col.type);
    return text && typeof col.collation === 'string' && /^[A-Za-z0-9_]+$/.test(col.collation) ? ` COLLATE ${col.collation}` : '';
  };
  // A column the row gives no value for that its INSERT leaves NULL: nullable, no default (the
  // target's catalog says so: TargetColumn.hasDefault false), not filled by the server (identity,
  // computed, rowversion, GENERATED ALWAYS). Its value is known, NULL, and is checked as such: such a
  // key (a side table's or a later UNIQUE column) was not checked at all, and a second row leaving it
  // NULL failed its whole batch on every resume (Msg 2627: NULL equal to NULL).
  const nullByDefault = (name: string): boolean => {
    const c = colOf(name);
    return c !== undefined && !byCol.has(name) && c.nullable && c.hasDefault === false && !c.identity && !c.computed && !c.generatedAlways && c.type !== 'timestamp';
  };
  for (const k of uniqueKeysToCheck(t, byKey)) {
    const computed = k.columns.find((c) => colOf(c)?.computed);
    const missing = k.columns.find((c) => !byCol.has(c) && !nullByDefault(c));
    const why = computed !== undefined
      ? `its key includes the computed column ${identifierText(computed)}, whose value the server computes: it cannot be looked for from the row`
      : missing !== undefined ? `the row gives no value for its key column ${identifierText(missing)} (the target's default or the server puts one there, not known here)` : null;
    if (why !== null) {
      if (k.ignoreDupKey) {
        throw new ReinsertError('REINSERT_UNIQUE_KEY_UNCHECKED', `row ${rowId} cannot be checked against ${tableNameText(qualified(t))}'s ${uniqueKeyText({ index: k.name, columns: k.columns, constraint: k.constraint, conflictKey: k.conflictKey })}: ${why}; IGNORE_DUP_KEY is ON for it, so were another row to hold its value the server would drop this row with only a warning ("Duplicate key was ignored.") and rowback would record it inserted: put it back by hand, or into a side table (tableMap)`, { table: qualified(t) });
      }
      notChecked.push({ index: k.name, why });
      continue;
    }
    // a key column the row gives no value for that the INSERT leaves NULL (nullByDefault): null here
    const params = k.columns.map((c) => byCol.get(c) ?? null);
    const nullColumns = k.columns.filter((c) => !byCol.has(c));
    const filterCols = k.filter ? filterColumnsOf(t, k.filter) : [];
    const valueOf = (c: string): unknown => (byCol.has(c) ? byCol.get(c)!.value : nullByDefault(c) ? null : undefined);
    // a filter that, decided here, leaves the row out of the index (a NULL e-mail under WHERE Email
    // IS NOT NULL): nothing to look for, no query, and no reason to load the batch row by row
    if (k.filter && filterHoldsOffline(k.filter, valueOf) === false) continue;
    // A filter column the INSERT leaves NULL (nullByDefault) is a typed NULL in the derived table
    // (the type the row's value would be sent as: planParam): the filter is tested on the row as the
    // server will hold it. It was taken for one the row lacks, the row tested against existing rows
    // only and called a conflict the server would not have had (the row out of the filtered index).
    const filterNotOnRow = filterCols.filter((c) => !byCol.has(c) && !nullByDefault(c));
    const rowFilterValue = (c: string, ref: Ref): string => {
      const p = byCol.get(c);
      return p ? `${compared(colOf(c), p, ref(p))}${collated(c)}` : `CONVERT(${scriptDeclaration(planParam(colOf(c)!, null).type)}, NULL)`;
    };
    // NULL matches NULL in a unique index ("treated as duplicate values", Microsoft Learn, Create a
    // unique index): the row's value is known here, so `[c] IS NULL` or `[c] = @p`
    const where = (ref: Ref) => [
      ...params.map((p, i) => (p === null || p.value === null ? `${quoteName(k.columns[i]!)} IS NULL` : `${quoteName(p.column)} = ${compared(colOf(p.column), p, ref(p))}`)),
      // the existing row must be in the filtered index, and the recovered row would have to be too
      ...(k.filter ? [k.filter] : []),
      ...(k.filter && !filterNotOnRow.length && filterCols.length ? [`EXISTS (SELECT 1 FROM (SELECT ${filterCols.map((c) => `${rowFilterValue(c, ref)} AS ${quoteName(c)}`).join(', ')}) AS [rowback_row] WHERE ${k.filter})`] : []),
    ].join(' AND ');
    checks.push({
      index: k.name, columns: k.columns,
      ...(k.constraint ? { constraint: true } : {}),
      ...(k.ignoreDupKey ? { ignoreDupKey: true } : {}),
      ...(k.filter ? { filter: k.filter } : {}),
      ...(filterNotOnRow.length ? { filterNotOnRow } : {}),
      ...(nullColumns.length ? { nullColumns } : {}),
      ...(k.conflictKey ? { conflictKey: true as const } : {}),
      sql: `SELECT TOP (1) ${selectList} FROM ${target} WITH (UPDLOCK, HOLDLOCK) WHERE ${where(driver)};`,
      script: `SELECT TOP (1) * FROM ${target} WITH (UPDLOCK, HOLDLOCK) WHERE ${where(scripted)};`,
    });
  }
  return { checks, notChecked };
}

/** Column types whose `=` keyCompareText cannot follow (PlannedRow.serverCompares). */
const SERVER_COMPARED = new Set(['datetimeoffset', 'float', 'real', 'sql_variant']);

/** PlannedRow.serverCompares of a row of `t` looked for by its key (`byKey`) and checked by `checks`. */
function serverCompares(t: TargetTable, byKey: boolean, checks: readonly UniqueCheck[]): boolean {
  if (byKey && t.keyIndex?.ignoreDupKey) return true;
  const typeOf = (name: string) => t.columns.find((c) => c.name === name)?.type;
  return (byKey && t.keyColumns.some((k) => SERVER_COMPARED.has(typeOf(k) ?? ''))) || checks.some((u) => u.columns.some((c) => SERVER_COMPARED.has(typeOf(c) ?? '')));
}

/** unique-keys.ts filterColumns of a filter of table `t`, read once per table and filter. */
const filterColumnsCache = new WeakMap<TargetTable, Map<string, string[]>>();
function filterColumnsOf(t: TargetTable, filter: string): string[] {
  let m = filterColumnsCache.get(t);
  if (!m) filterColumnsCache.set(t, (m = new Map()));
  let cols = m.get(filter);
  if (!cols) m.set(filter, (cols = filterColumns(filter, t.columns.map((c) => c.name))));
  return cols;
}

/**
 * The select list of a run's existing-row check (PlannedRow.existsSql): every column of the target,
 * each in rowback's output form (replay/compare-live.ts liveColumnExpression: bigint, decimal,
 * numeric, money, dates and times as their text, binary types as `0x…` hex, text/ntext/xml as
 * strings) and aliased with its own name. `SELECT *` handed the values to the driver, which reads
 * decimal and money as doubles, datetime2/time to the millisecond and binary as a Buffer: a
 * conflict's existing row, which the reviewer compares with the recovered one, showed decimal(38,10)
 * 1234567890123456789.1234567890 as 1234567890123456800, datetime2 …00.1234567 as …00.123Z and
 * binary as {"type":"Buffer",…}. sql_variant columns stay as the driver reads them (their base type
 * would need a column of its own).
 */
function existingSelectList(t: TargetTable): string {
  return t.columns.map((c) => (c.type === 'sql_variant' ? quoteName(c.name) : `${liveColumnExpression(c)} AS ${quoteName(c.name)}`)).join(', ');
}

export { commentText } from '../util/tsql.js';

const UNSCRIPTABLE_WHY = 'a name of its table or columns holds a line break or "$(", which sqlcmd and SSMS read as commands of their own (a line GO, :!!, :r; $(variable)) before SQL Server sees the script, so it is left out of the script';

/**
 * Why a row's statements cannot go into a script, or null when they can: a name sqlcmd reads as
 * its own (SQLCMD_UNSAFE; UNSCRIPTABLE_WHY), or a table or column name holding an unpaired UTF-16
 * surrogate (sysname is nvarchar: a name cut between the halves of a pair), which the UTF-8 script
 * writes as U+FFFD, so the statement named another table or column (a table `T\ud83d` scripted as
 * `[T\ufffd]`, which may exist and be another table). The driver's run sends UTF-16 and is right.
 * Its values never do either (scriptLiteral writes every character beyond ASCII, a surrogate too, as CONVERT(nvarchar(max), 0x…)).
 */
function unscriptableWhy(b: PlannedBatch, r: PlannedRow): string | null {
  const hit = unscriptableSeen.get(r);
  if (hit && hit.batch === b) return hit.why;
  const why = unscriptableWhyOf(b, r);
  unscriptableSeen.set(r, { batch: b, why });
  return why;
}

/**
 * unscriptableWhy's answers by row (and the batch it was asked in): a plan's rows are asked several
 * times over (the script's head and body, the undo's head twice and its body, notScripted for the
 * run's summary and the dry run's answer), each a regular expression and a surrogate scan over the
 * row's statements: six passes of 250 ms at 100,000 rows, all in one turn of the event loop.
 * A planned row is never changed once planned; a row dropped is forgotten with it.
 */
const unscriptableSeen = new WeakMap<PlannedRow, { batch: PlannedBatch; why: string | null }>();

function unscriptableWhyOf(b: PlannedBatch, r: PlannedRow): string | null {
  if (SQLCMD_UNSAFE.test(b.target) || SQLCMD_UNSAFE.test(r.script.insert) || (r.script.exists !== null && SQLCMD_UNSAFE.test(r.script.exists)) || SQLCMD_UNSAFE.test(r.script.undo)) return UNSCRIPTABLE_WHY;
  // a unique index's filter_definition goes into the script verbatim (the server's own text): one
  // holding a line break or `$(` (inside a string literal of it) would be read by sqlcmd too
  if (r.uniqueChecks?.some((u) => SQLCMD_UNSAFE.test(u.script))) return 'the filter of a unique index of its table holds a line break or "$(", which sqlcmd and SSMS read as commands of their own (a line GO, :!!, :r; $(variable)) before SQL Server sees the script, so it is left out of the script';
  const named = [{ what: 'table', name: b.target }, ...r.params.map((p) => ({ what: 'column', name: p.column }))];
  for (const { what, name } of named) {
    const u = firstUnpairedSurrogate(name);
    if (u) return `the ${what} name ${commentText(name)} holds an unpaired UTF-16 surrogate (${u.unit} at offset ${u.offset}), which this UTF-8 script cannot carry: written U+FFFD there it names another ${what}, so it is left out of the script`;
  }
  if (firstUnpairedSurrogate(r.script.insert) || (r.script.exists !== null && firstUnpairedSurrogate(r.script.exists)) || firstUnpairedSurrogate(r.script.undo) || r.uniqueChecks?.some((u) => firstUnpairedSurrogate(u.script))) {
    return 'a name of its table or columns holds an unpaired UTF-16 surrogate, which this UTF-8 script cannot carry: written U+FFFD there it names another table or column, so it is left out of the script';
  }
  return null;
}

/** Whether a row's statements cannot go into a script (unscriptableWhy). */
function unscriptable(b: PlannedBatch, r: PlannedRow): boolean {
  return unscriptableWhy(b, r) !== null;
}

/** A row of a plan left out of its scripts, with why (notScripted). */
export interface NotScriptedRow {
  rowId: number;
  table: string;
  why: string;
}

/**
 * The rows of a plan left out of its scripts (unscriptableWhy), each with the reason, in plan order:
 * what an export answers besides the script's own WARNING lines. [] when every row is scripted.
 * Each row's answer is worked out once (unscriptableSeen); after notScriptedCooperatively or a
 * cooperative render this is one lookup a row.
 */
export function notScripted(plan: ReinsertPlan): NotScriptedRow[] {
  const out: NotScriptedRow[] = [];
  for (const b of plan.batches) for (const r of b.rows) {
    const why = unscriptableWhy(b, r);
    if (why) out.push({ rowId: r.rowId, table: r.table, why });
  }
  return out;
}

/**
 * notScripted for the service: each row's answer worked out with a turn of the event loop every
 * `every` rows (readScriptability: ~2.5 ms per 1,000 rows), then read in one pass of lookups.
 */
export async function notScriptedCooperatively(plan: ReinsertPlan, every = 500): Promise<NotScriptedRow[]> {
  await readScriptability(plan, every);
  return notScripted(plan);
}

/** Rows of `rowIds` the plan holds in no batch, each with why (its problem, else 'not planned'), in id order. */
function unplannedRows(plan: ReinsertPlan, rowIds: Set<number>): { rowId: number; why: string }[] {
  const planned = new Set(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId)));
  const why = new Map(plan.problems.map((p) => [p.rowId, `${p.code}: ${p.message}`]));
  return [...rowIds].filter((id) => !planned.has(id)).sort((a, b) => a - b).map((id) => ({ rowId: id, why: why.get(id) ?? 'not planned' }));
}

/** Rows (as `notScripted` gives them) grouped by reason: `[why, row ids]`, first seen first. */
function byReason(rows: { rowId: number; why: string }[]): [string, number[]][] {
  const m = new Map<string, number[]>();
  for (const r of rows) appendTo(m, r.why, r.rowId);
  return [...m];
}

/** The head's words for the plan's tables whose source foreign keys were not read (ReinsertPlan.tableOrderKeysUnread); '' when none. */
function keysUnread(plan: ReinsertPlan): string {
  const u = plan.tableOrderKeysUnread ?? [];
  return u.length ? ` (not known for ${u.map(tableNameText).join(', ')}: ${u.length > 1 ? 'their layouts carry' : 'its layout carries'} no foreign keys read from that catalog, a layout given in the job's metadata or staged before rowback recorded a table declaring none, so what ${u.length > 1 ? 'they reference is' : 'it references is'} not known: ${u.length > 1 ? 'they are' : 'it is'} placed by the keys of the tables referencing ${u.length > 1 ? 'them' : 'it'}, else by name)` : '';
}

/** A table of the script, and the source table whose rows tableMap sends into it when another. */
function rowsOf(table: string, source: string | undefined): string {
  return source !== undefined && source !== table ? `${tableNameText(table)} (rows of ${tableNameText(source)})` : tableNameText(table);
}

function comment(text: string): string {
  return `-- ${commentText(text)}`;
}

function declare(row: PlannedRow, names?: Set<string>): string {
  const ps = names ? row.params.filter((p) => names.has(p.name)) : row.params;
  return `DECLARE ${ps.map((p) => `@r${row.rowId}_${p.name} ${scriptDeclaration(p.type)} = ${p.literal}`).join(',\n        ')};`;
}

/** `1-3, 7, 9-12`: the row ids a script covers, as ranges. */
export function rowIdRanges(ids: Iterable<number>): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(', ') || '(none)';
}

export interface ScriptOptions {
  header?: string[];
  /**
   * Whether the plan's table order comes from the target's foreign keys (default true). False when
   * the plan was made without a target connection: the order is then by name, and the script says
   * so rather than "parents first" (newcomer: an export claimed a parent-first order it could not know);
   * it also says that the target columns' collations were not read (each taken to be the source's).
   */
  foreignKeysKnown?: boolean;
  /** Ledger key per batch: the real run records each batch in the target's ledger table. */
  ledgerNote?: boolean;
  /** What the script records as each row's `batch_key` and `run_id` in the row ledger: default `script` and 0 (a script run by hand). */
  ledgerBatch?: string;
  ledgerRunId?: number;
  /**
   * The database the script's rows go into (ScriptDatabase), when known: it is named at the top, and
   * a script of two-part names refuses to run in another. Absent or null: not planned against a
   * target, so not known; the script says so.
   */
  database?: ScriptDatabase | null;
}

/**
 * Where a re-insert script's rows go: `name` the database; `qualified` when its statements name it
 * (three-part names: a target's `database`), else they name schema and table only and run in the
 * session's database.
 */
export interface ScriptDatabase {
  name: string;
  qualified: boolean;
}

/** Whether databaseHead wrote the DB_NAME() check (its SET NOEXEC ON is to be undone at the script's end). */
function checksDatabase(d: ScriptDatabase | null | undefined): boolean {
  return Boolean(d && !d.qualified && !SQLCMD_UNSAFE.test(d.name));
}

/**
 * The head of a re-insert script (or, `undo`, of its undo) about its database. A script of two-part names runs in whatever
 * database the session is in (SSMS opens a login's default one, often master, or the last used): in
 * another database holding the same tables (another tenant of a CRM, a test copy) it inserted the rows
 * there, its row ledger created there too, without a word. With the database known it checks
 * DB_NAME() first: in another, RAISERROR (severity 16: said in SSMS's messages and by sqlcmd) and SET
 * NOEXEC ON, under which the rest is compiled and not run (Microsoft Learn, SET NOEXEC), until the
 * SET NOEXEC OFF the script ends with. Unknown: a WARNING comment saying to run it in the right one.
 */
function databaseHead(d: ScriptDatabase | null | undefined, undo = false): string[] {
  if (!d) {
    return [comment(undo
      ? 'WARNING: this undo names tables by schema and name only and does not know the database the rows were put into: it deletes in the database the session is in; run it only in the database the re-insert went into (in another with the same tables, another tenant or a test copy, it deletes rows of the same keys there)'
      : 'WARNING: this script names tables by schema and name only and was not planned against a target database: it inserts into the database the session is in; run it in the database the rows go back to (another database with the same tables, another tenant or a test copy, takes them as well)')];
  }
  if (d.qualified) return [comment(`database: ${d.name} (every table is named with it: the script runs from any database of the server)`)];
  // a name sqlcmd would read as its own command cannot be written into the check's literals
  if (SQLCMD_UNSAFE.test(d.name)) return [comment(`WARNING: the target database's name holds a line break or a dollar sign before a parenthesis (sqlcmd reads those as its own), which cannot be written into this script safely, so the script does not check where it runs: run it in that database (${d.name}) only`)];
  const msg = undo
    ? `rowback undo: this script deletes rows re-inserted into database ${d.name}; it is not run in another: USE ${quoteName(d.name)} first. Nothing was deleted.`
    : `rowback: this script re-inserts into database ${d.name}, where its dry run read the tables; it is not run in another: USE ${quoteName(d.name)} first. Nothing was inserted.`;
  return [
    comment(`database: ${d.name} (tables named by schema and name: the script runs in ${d.name} only, and stops with an error in any other, running nothing)`),
    // binary: DB_NAME() is nvarchar of the *current* database's collation (coercible-default, as is
    // the literal, so that collation compares them: Microsoft Learn, Collation Precedence); in a
    // case-insensitive database 'tenant' = N'Tenant', and on a case-sensitive server those are two
    // databases. d.name is DB_NAME() as the dry run read it, so its exact spelling.
    `IF DB_NAME() COLLATE Latin1_General_BIN2 <> ${nLiteral(d.name)}`,
    'BEGIN',
    `    RAISERROR(${nLiteral(msg.replace(/%/g, '%%'))}, 16, 1);`,
    '    SET NOEXEC ON;',
    'END;',
  ];
}

/**
 * A view of ViewUniqueKey.view (stagedTableName's form) as the script names it, `[schema].[name]`,
 * each part through quoteName; a text that is no two-part name, each dotted part quoted as before.
 */
function viewName(view: string): string {
  try {
    const p = splitQualifiedName(view);
    return `${quoteName(p.schema)}.${quoteName(p.name)}`;
  } catch {
    return view.split('.').map(quoteName).join('.');
  }
}

/**
 * Values are written in ASCII (scriptLiteral), but a table or column name cannot be: a name beyond
 * ASCII ([dbo].[Kündigung], [Straße]) is written as UTF-8 text (no byte-order mark), and a runner
 * reading the file in another code page (sqlcmd without -f 65001: 1252) reads another name
 * ([KÃ¼ndigung]: Msg 208 / 207, the script stopped at its first such statement) and another
 * row-ledger key. The docs said "Scripts are ASCII" and the script said nothing; a WARNING naming
 * them now says how to run it.
 */
function nonAsciiNames(plan: ReinsertPlan, database?: ScriptDatabase | null): string[] {
  const names = new Set<string>();
  const beyond = (s: string): boolean => /[^\u0000-\u007f]/.test(s);
  for (const b of plan.batches) {
    if (beyond(b.table)) names.add(b.table);
    for (const r of b.rows) for (const p of r.params) if (beyond(p.column)) names.add(`${b.table}.${p.column}`);
  }
  // the database the script checks (DB_NAME() <> N'Müller') or names its tables and row ledger with
  // ([Müller].[dbo].[K]), and a row ledger of another name: read as code page 1252 the check stopped
  // the script telling the DBA to USE [MÃ¼ller], or the three-part names failed (Msg 911), unwarned
  if (database && beyond(database.name)) names.add(`database ${database.name}`);
  const said = (q: string): boolean => !beyond(q) || (database != null && beyond(database.name) && q.startsWith(quoteName(database.name) + '.') && !beyond(q.slice(quoteName(database.name).length)));
  for (const b of plan.batches) if (!beyond(b.table) && !said(b.target)) names.add(b.target);
  for (const l of new Set(plan.batches.map((b) => b.rowLedger))) if (!said(l)) names.add(`row ledger ${l}`);
  if (!names.size) return [];
  const list = [...names];
  return [comment(`WARNING: names beyond ASCII (${list.slice(0, 5).join(', ')}${list.length > 5 ? `, and ${list.length - 5} more` : ''}) are written as UTF-8 (values are ASCII, names cannot be): run this file as UTF-8 (sqlcmd -f 65001 -i FILE; in SSMS, Open With... > SQL Query Editor with Encoding > UTF-8), else those names read as others and the script stops (Msg 208 / 207 / 911, or its database check: USE another database)`)];
}

/**
 * Why a row has no target table (REINSERT_UNKNOWN_TABLE), and what to do. It said `no metadata for
 * target table recovery.Contacts_back`, which told a newcomer whose side table did not exist yet
 * neither that nor how to make one.
 */
function unknownTableMessage(source: string, target: string, mapped: boolean, database?: string): string {
  const where = database ? `database ${identifierText(database)}` : 'the target database';
  // each table as one T-SQL name (tableNameText): `dbo.[Order Lines]`, not `dbo.Order Lines`
  const [to, from] = [tableNameText(target), tableNameText(source)];
  return `${where} has no table ${to}${mapped ? ` (tableMap maps ${from} to it)` : ''}: its catalog lists no such table (or, planned without a target, the job has no layout of ${from}); create it there first${mapped ? ` (a side table with the columns of ${from}: SELECT TOP (0) * INTO ${to} FROM ${from}, run in the source database with the side table named by its database, copies them, identity included)` : ''} or correct ${mapped ? 'tableMap' : 'the target (targetName, target.database)'}`;
}

/**
 * A whole script that refuses to run and says why (`msg`, one line of text): a comment with it, then
 * RAISERROR of severity 16 (an error in SSMS's Messages; sqlcmd -b exits with it) and RETURN, which
 * ends the batch there (Microsoft Learn, RETURN: "exits unconditionally from a query or procedure",
 * any statement after it in the batch not run). It ended with SET NOEXEC ON and no SET NOEXEC OFF:
 * NOEXEC is a session setting, in force until set OFF (Microsoft Learn, SET NOEXEC), so the SSMS
 * window or sqlcmd session it ran in compiled every later batch and ran none, silently: the job's
 * undo export the refusal names, run next in that window, printed nothing, deleted nothing and
 * ended "Commands completed successfully". `%` and `'` are escaped for RAISERROR and the N'' literal.
 */
export function refusalScript(msg: string): string {
  const text = commentText(msg);
  return [`-- ${text}`, `RAISERROR(${nLiteral(text.replace(/%/g, '%%'))}, 16, 1);`, 'RETURN;', ''].join('\n');
}

/** An N'…' literal (quotes doubled). */
function nLiteral(text: string): string {
  return `N'${text.replace(/'/g, "''")}'`;
}

/**
 * The SET options a table with an indexed view, an index on a computed column or a filtered index
 * takes an INSERT, UPDATE or DELETE under (Microsoft Learn, "Create indexed views", required SET
 * options: ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL and
 * QUOTED_IDENTIFIER ON, NUMERIC_ROUNDABORT OFF); under any other the statement fails, Msg 1934
 * ("DELETE failed because the following SET options have incorrect settings"). The re-insert script
 * set only ANSI_WARNINGS and the undo none: under sqlcmd (QUOTED_IDENTIFIER OFF unless -I) or a
 * legacy session the undo's DELETE failed there, and the whole undo rolled back. They are also
 * the options rowback's own runs connect with (tedious's defaults, which a connection string cannot
 * change) and every current driver's and SSMS's, so the script acts as the run does; and under
 * CONCAT_NULL_YIELDS_NULL OFF the key-less undo's text match `(CONVERT(nvarchar(max), [c]) + N'.')`
 * took a NULL column for an empty value ('' + '.' = NULL + '.'), and could delete another row.
 * NUMERIC_ROUNDABORT OFF (every client's default, and the run's) rounds a decimal into a column of
 * smaller scale without an error: a plan against the target refuses such a value before anything
 * is sent (planParam, "would go in rounded"); a script planned without the target's catalog cannot
 * compare scales, under OFF as under the session's default before.
 *
 * Not restored at the script's end: QUOTED_IDENTIFIER takes effect when the batch is parsed
 * (Microsoft Learn, SET QUOTED_IDENTIFIER: "regardless of whether code execution actually reaches
 * that point"), so a conditional `SET QUOTED_IDENTIFIER OFF` at the end would have applied to the
 * whole batch; and the script is one batch that stops at its first error (XACT_ABORT, RETURN), so a
 * restore would run only when nothing failed, leaving the session one way or the other by outcome.
 * The head says they stay set. `what`: the script's statement, for that comment.
 */
function sessionOptions(what: 'INSERT' | 'DELETE'): string[] {
  return [
    comment(`SET options an indexed view or an index on a computed column requires for ${what === 'INSERT' ? 'an' : 'a'} ${what} (else Msg 1934), as rowback's own runs connect; they stay set for this session after the script`),
    'SET ANSI_NULLS ON;', 'SET ANSI_PADDING ON;', 'SET ANSI_WARNINGS ON;', 'SET ARITHABORT ON;', 'SET CONCAT_NULL_YIELDS_NULL ON;', 'SET QUOTED_IDENTIFIER ON;', 'SET NUMERIC_ROUNDABORT OFF;',
  ];
}

/**
 * The script head's lines about the target's unique indexes and UNIQUE constraints other than the
 * conflict key (PlannedRow.uniqueChecks), each said once per table: those not read (planned without
 * the target's catalog), those a row cannot be checked against (a computed key column, or one the
 * row gives no value for: its batch fails if another row holds its value), and filtered ones whose
 * filter names a column the row gives no value for (checked against existing rows only: a row may
 * be taken for a conflict the server would have let in). [] when there is nothing to say.
 */
function uniqueKeysHead(plan: ReinsertPlan): string[] {
  const out: string[] = [];
  const unread = new Set<string>();
  const notChecked = new Map<string, Map<string, { why: string; rows: number }>>();
  const partial = new Map<string, Map<string, { columns: Set<string>; rows: number }>>();
  for (const b of plan.batches) for (const r of b.rows) {
    if (r.uniqueKeysUnread) unread.add(b.table);
    for (const n of r.uniqueNotChecked ?? []) {
      const m = notChecked.get(b.table) ?? new Map<string, { why: string; rows: number }>();
      const e = m.get(n.index) ?? { why: n.why, rows: 0 };
      e.rows++;
      m.set(n.index, e);
      notChecked.set(b.table, m);
    }
    for (const u of r.uniqueChecks ?? []) {
      if (!u.filterNotOnRow) continue;
      const m = partial.get(b.table) ?? new Map<string, { columns: Set<string>; rows: number }>();
      const e = m.get(u.index) ?? { columns: new Set<string>(), rows: 0 };
      for (const c of u.filterNotOnRow) e.columns.add(c);
      e.rows++;
      m.set(u.index, e);
      partial.set(b.table, m);
    }
  }
  if (unread.size) out.push(comment(`unique indexes: not read for ${[...unread].map(tableNameText).join(', ')} (planned without the target's catalog): a row whose value in a unique index or UNIQUE constraint other than the key (or in a unique index of an indexed view reading the table) another row already holds is not looked for, and its INSERT fails its whole batch (Msg 2601 / 2627; with IGNORE_DUP_KEY ON the server drops it with only a warning); a dry run against the target checks the table's own and names the views'`));
  // indexed views over a table: their unique indexes are named, never checked (the view's definition is not evaluated)
  const views = new Map<string, { keys: ViewUniqueKey[]; rows: number }>();
  const viewsUnread = new Set<string>();
  for (const b of plan.batches) {
    if (b.viewUniqueKeysUnread) viewsUnread.add(b.table);
    if (!b.viewUniqueKeys?.length) continue;
    const e = views.get(b.table) ?? { keys: b.viewUniqueKeys, rows: 0 };
    e.rows += b.rows.length;
    views.set(b.table, e);
  }
  for (const [table, e] of views) {
    out.push(comment(`NOTE: ${e.rows} row(s) of ${tableNameText(table)} are NOT CHECKED against the unique ${e.keys.length === 1 ? 'index' : 'indexes'} of indexed views reading it: ${e.keys.map((k) => `${quoteName(k.index)} of view ${viewName(k.view)} (${k.columns.map(quoteName).join(', ')})`).join('; ')}; rowback does not evaluate a view's definition, so if the view already holds a row with the key a recovered row gives it, that row's INSERT fails its whole batch (Msg 2601; not in a view that groups rows, GROUP BY, which adds the row to the group it already holds), nothing of that batch going in while the run goes on with the others: reject that row, or drop the view's index for the re-insert, and resume the run`));
  }
  // said with the unique indexes not read, when they were read (a target whose catalog predates the views' read)
  const viewsUnreadOnly = [...viewsUnread].filter((t) => !unread.has(t));
  if (viewsUnreadOnly.length) out.push(comment(`indexed views: not read for ${viewsUnreadOnly.map(tableNameText).join(', ')}: a unique index of a view reading one of them is not named here, and a recovered row its key collides in fails its whole batch (Msg 2601)`));
  for (const [table, m] of notChecked) for (const [index, e] of m) out.push(comment(`WARNING: ${e.rows} row(s) of ${tableNameText(table)} are NOT CHECKED against its unique index or constraint ${quoteName(index)}: ${e.why}; if another row holds the same value there, the INSERT fails its whole batch (Msg 2601 / 2627)`));
  for (const [table, m] of partial) for (const [index, e] of m) out.push(comment(`NOTE: ${tableNameText(table)}'s filtered unique index ${quoteName(index)} names ${[...e.columns].map(identifierText).join(', ')} in its filter, which ${e.rows} row(s) give no value for: those rows are checked against the existing rows its filter holds for only, and taken for a conflict whenever one holds their value, even where the server would have left the row out of the index`));
  return out;
}

/**
 * The dry-run script: the statements the run executes, with each parameter DECLAREd with its
 * exact type, so it runs as-is in SSMS or sqlcmd. One transaction per batch, IDENTITY_INSERT
 * around tables with an identity, conflicting keys skipped (and printed) as the run does.
 * Every comment line goes through `commentText`; identifiers only appear bracket-quoted.
 */
export function renderScript(plan: ReinsertPlan, o: ScriptOptions = {}): string {
  return [...renderScriptChunks(plan, o)].join('\n');
}

/**
 * `renderScript` with a turn of the event loop every `every` rows while the rows' scriptability is
 * read (unscriptableWhy, which the script's head asks of every row at once) and between the
 * script's pieces (one a batch): the same text. renderScript of a 100,000-row plan, with its undo,
 * held the service's event loop 5 s in a dry run (every request waited; /api/me over real HTTP).
 * Rejects only with what renderScript throws.
 */
export async function renderScriptCooperatively(plan: ReinsertPlan, o: ScriptOptions = {}, every = 500): Promise<string> {
  await readScriptability(plan, every);
  return joinCooperatively(renderScriptChunks(plan, o));
}

/** `renderUndoScript` as renderScriptCooperatively renders the script: the same text, with turns of the event loop. */
export async function renderUndoScriptCooperatively(plan: ReinsertPlan, o: UndoOptions = {}, every = 500): Promise<string> {
  await readScriptability(plan, every);
  return joinCooperatively(renderUndoScriptChunks(plan, o));
}

/**
 * Asks unscriptableWhy of every planned row (its answers are kept), a turn of the event loop every
 * `every` rows: what renderScriptCooperatively does before it renders, for a caller that takes the
 * pieces of renderScriptChunks itself (a real run keeps them a piece at a time, never whole).
 */
export async function readScriptability(plan: ReinsertPlan, every: number): Promise<void> {
  let n = 0;
  for (const b of plan.batches) {
    for (const r of b.rows) {
      unscriptableWhy(b, r);
      if (++n % every === 0) await yieldToEventLoop();
    }
  }
}

/** The pieces joined with '\n', a turn of the event loop after each. */
async function joinCooperatively(chunks: Iterable<string>): Promise<string> {
  const parts: string[] = [];
  for (const c of chunks) {
    parts.push(c);
    await yieldToEventLoop();
  }
  return parts.join('\n');
}

/**
 * The script's check, where it runs, that the login sees `target` (a quoted table name, three-part
 * when the script names its database) in the catalog: `OBJECT_ID(target, N'U')`, NULL for a table
 * that is not there, is not a table (a view of that name), or whose metadata the login may not see.
 * The trigger checks after it (insteadOfInsertGuard, afterInsertNotice; the undo's INSTEAD OF and
 * AFTER DELETE checks and cascadeGuard) look for rows of `tr.parent_id = OBJECT_ID(target, N'U')`:
 * with NULL there none match, and each check passed unsaid. Catalog views and OBJECT_ID show only
 * what the login owns or holds some permission on (Microsoft Learn, "Metadata visibility
 * configuration"): a login granted INSERT (or DELETE) on the table with VIEW DEFINITION denied on it
 * or its schema writes to it and sees nothing of it, so an enabled INSTEAD OF INSERT trigger ran in
 * place of the script's INSERT while the row ledger recorded the row put back. The same page
 * ("Visibility of subcomponent metadata"): a trigger has no permissions of its own, and its
 * visibility is the parent table's, so a login that sees the table sees its triggers; the check is
 * per table, not VIEW DEFINITION on the database (a login with INSERT on the table alone sees its
 * triggers, and is not refused). Not seen: RAISERROR 16 naming the table and the way on, then
 * RETURN (refusalScript's way: the script is one batch, and RETURN ends it with no setting left),
 * before anything is written. `what`: the script's statement.
 */
function tableVisibleGuard(target: string, what: 'INSERT' | 'DELETE'): string {
  const t = target.replace(/%/g, '%%');
  const msg = what === 'INSERT'
    ? `rowback: this login does not see ${t} in the catalog where the script runs (no such table, not a table, or no permission on it that shows its metadata: VIEW DEFINITION denied?), so the check for an INSTEAD OF INSERT trigger there, which SQL Server would run in place of the INSERT while the row ledger records the row put back, cannot see one. Nothing was inserted. Run the script in the database it was made for as a login that sees the table (a permission on it such as INSERT, VIEW DEFINITION not denied; db_owner)`
    : `rowback undo: this login does not see ${t} in the catalog where the script runs (no such table, not a table, or no permission on it that shows its metadata: VIEW DEFINITION denied?), so the checks for an INSTEAD OF or AFTER DELETE trigger and a cascading foreign key there cannot see one. Nothing was deleted. Run the script in the database the rows were put back into as a login that sees the table (a permission on it such as DELETE, VIEW DEFINITION not denied; db_owner)`;
  return `IF OBJECT_ID(${nLiteral(target)}, N'U') IS NULL BEGIN RAISERROR(${nLiteral(msg)}, 16, 1); RETURN; END`;
}

/**
 * The script's own check for an enabled INSTEAD OF INSERT trigger on `target` (a quoted table name,
 * three-part when the script names its database; `catalog` the matching `[db].` prefix or '' for
 * sys.triggers / sys.trigger_events, which are per database): the first such trigger's name in a
 * variable of its own (`@rowback_trigger<n>`), and where there is one a RAISERROR naming it and the
 * ALTER TABLE … DISABLE TRIGGER that lets the re-insert through, then SET NOEXEC ON (as the
 * database check does: nothing after it runs). Catalog facts as target-triggers.ts reads them
 * (sys.triggers is_instead_of_trigger, is_disabled; sys.trigger_events type 1 = INSERT). Blind where
 * the login does not see the table (OBJECT_ID NULL: no row matches): tableVisibleGuard stops the
 * script before it, so a trigger it finds none of is one the login would see.
 */
function insteadOfInsertGuard(target: string, catalog: string, n: number, event: 'INSERT' | 'DELETE' = 'INSERT'): string[] {
  const v = `@rowback_trigger${n}`;
  // RAISERROR reads % as a format: the name's own are doubled, the two %s are the trigger's name
  const t = target.replace(/%/g, '%%');
  const msg = event === 'INSERT'
    ? `rowback: ${t} has an enabled INSTEAD OF INSERT trigger, %s, which SQL Server runs in place of this script's INSERT (it may put the row in changed, elsewhere or not at all, and the row ledger would record it put back). Nothing was inserted. Disable it for the re-insert (ALTER TABLE ${t} DISABLE TRIGGER %s; ENABLE TRIGGER after) and run the script again, or re-insert into a side table (tableMap)`
    : `rowback undo: ${t} has an enabled INSTEAD OF DELETE trigger, %s, which SQL Server runs in place of this script's DELETE (it may leave the row there or delete others, while the script takes the row for deleted). Nothing was deleted. Disable it for the undo (ALTER TABLE ${t} DISABLE TRIGGER %s; ENABLE TRIGGER after) and run the script again`;
  return [
    `DECLARE ${v} nvarchar(300) = (SELECT TOP (1) QUOTENAME(tr.name) FROM ${catalog}sys.triggers AS tr JOIN ${catalog}sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = ${event === 'INSERT' ? 1 : 3} WHERE tr.parent_id = OBJECT_ID(${nLiteral(target)}, N'U') AND tr.is_instead_of_trigger = 1 AND tr.is_disabled = 0 ORDER BY tr.name);`,
    `IF ${v} IS NOT NULL`,
    'BEGIN',
    `    RAISERROR(${nLiteral(msg)}, 16, 1, ${v}, ${v});`,
    '    SET NOEXEC ON;',
    'END',
  ];
}

/**
 * The target tables of `plan` with enabled AFTER INSERT triggers read from the catalog
 * (PlannedBatch.afterInsertTriggers) that rows of it go into: each quoted target name (three-part
 * when the plan names its database) with its triggers' names (as stored, unquoted), in plan order.
 * [] when none, or not read.
 */
export function afterInsertTriggersOf(plan: ReinsertPlan): { target: string; triggers: string[] }[] {
  const out = new Map<string, string[]>();
  for (const b of plan.batches) if (b.afterInsertTriggers?.length && b.rows.length && !out.has(b.target)) out.set(b.target, b.afterInsertTriggers);
  return [...out].map(([target, triggers]) => ({ target, triggers }));
}

/**
 * The sentence that names an enabled AFTER INSERT trigger (or several) of `target` (quoted): SQL
 * Server runs it with each INSERT, after the row is in (Microsoft Learn, CREATE TRIGGER), so what
 * it writes elsewhere is written for each row put back, and no undo takes that back. `names`
 * unquoted; quoted here.
 */
export function afterInsertWarning(target: string, names: readonly string[]): string {
  const list = names.map(quoteName).join(', ');
  const one = names.length === 1;
  return `WARNING: ${target} has ${one ? 'an enabled AFTER INSERT trigger' : `${names.length} enabled AFTER INSERT triggers`} (${list}): SQL Server runs ${one ? 'it' : 'them'} with each INSERT that puts a row back (after the row is in, as sent), so whatever ${one ? 'it writes' : 'they write'} elsewhere (an audit table, a counter, a queue) is written again for every re-inserted row, and no undo takes that back. Usually wanted (it is how the rows went in the first time); read ${one ? 'it' : 'them'} before running. To put the rows back without ${one ? 'it' : 'them'}: ALTER TABLE ${target} DISABLE TRIGGER ${list}; ENABLE TRIGGER after`;
}

/**
 * The script's own look, where it runs, for an enabled AFTER INSERT trigger on `target` (planned
 * without the target's catalog; `catalog` as insteadOfInsertGuard's): the first by name in
 * `@rowback_after_insert<n>`, and where there is one a RAISERROR of severity 10 (a message, WITH
 * NOWAIT: shown at once in SSMS's Messages and by sqlcmd) naming it, before anything is inserted.
 * The script goes on: such a trigger is usually wanted. It said "Nothing is inserted yet: … stop the
 * script", which a DBA reads once the batch has run (one batch, no pause: the INSERTs follow at
 * once), so it told of a choice that had gone and, read after the run, that nothing went in; it now
 * says the script goes on. Catalog facts as target-triggers.ts reads
 * them (sys.triggers is_instead_of_trigger 0, is_disabled 0; sys.trigger_events type 1 = INSERT).
 * Not a check of its own for what the login may see: it comes after tableVisibleGuard, which stops
 * the script where the table is not seen, and a seen table's triggers are seen with it (Microsoft
 * Learn, "Metadata visibility configuration", subcomponents): a notice unsaid for want of
 * permission is not left (and, a notice, it would not have stopped anything).
 */
function afterInsertNotice(target: string, catalog: string, n: number): string[] {
  const v = `@rowback_after_insert${n}`;
  const t = target.replace(/%/g, '%%');
  const msg = `rowback: WARNING: ${t} has an enabled AFTER INSERT trigger, %s (the first by name; there may be more), which SQL Server runs with each INSERT of this script, after the row is in: whatever it writes elsewhere (an audit table, a counter, a queue) is written again for every re-inserted row, and no undo takes that back. This is a notice, not a stop: the script goes on and its INSERTs run the trigger (by the time this is read they have run; a rerun inserts no row the row ledger holds). To put rows back without it, ALTER TABLE ${t} DISABLE TRIGGER %s before running the script (ENABLE TRIGGER after)`;
  return [
    `DECLARE ${v} nvarchar(300) = (SELECT TOP (1) QUOTENAME(tr.name) FROM ${catalog}sys.triggers AS tr JOIN ${catalog}sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 1 WHERE tr.parent_class = 1 AND tr.parent_id = OBJECT_ID(${nLiteral(target)}, N'U') AND tr.is_instead_of_trigger = 0 AND tr.is_disabled = 0 ORDER BY tr.name);`,
    `IF ${v} IS NOT NULL RAISERROR(${nLiteral(msg)}, 10, 1, ${v}, ${v}) WITH NOWAIT;`,
  ];
}

/**
 * Characters of script text a piece of renderScriptChunks / renderUndoScriptChunks holds before it
 * ends at the next row (16 Mi; a single row's text larger than that is a piece of its own). A piece
 * was a whole batch: 50 rows of 12 M-character values made one string past V8's longest (~512 M
 * characters), and the SQL export stopped mid-answer (test/api/rows-large-values.test.ts).
 */
export const SCRIPT_PIECE_CHARS = 16 * 1024 * 1024;

/**
 * `renderScript` in pieces (the head, then one per batch, a batch's split after a row once its
 * pieces pass SCRIPT_PIECE_CHARS), for streaming a large script: joined with '\n' they are the script.
 */
export function* renderScriptChunks(plan: ReinsertPlan, o: ScriptOptions = {}): Generator<string> {
  const out: string[] = [];
  for (const h of o.header ?? []) out.push(comment(h));
  // AFTER INSERT triggers read from the catalog: not refused (usually wanted), but said
  for (const b of afterInsertTriggersOf({ ...plan, batches: plan.batches.map((x) => ({ ...x, rows: x.rows.filter((r) => !unscriptable(x, r)) })) })) out.push(comment(afterInsertWarning(b.target, b.triggers)));
  // rows left out as NOT SCRIPTED are not covered: said at the top with the NOT INCLUDED ones (the
  // header counted them as covered, and only a comment inside their batch said otherwise)
  const unscripted = notScripted(plan);
  const unscriptedSet = new Set(unscripted.map((u) => u.rowId));
  out.push(comment(`covers staged rows: ${rowIdRanges(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId)).filter((id) => !unscriptedSet.has(id)))}`));
  for (const [why, ids] of byReason(unscripted)) out.push(comment(`WARNING: ${ids.length} row(s) planned but NOT SCRIPTED (${why}): rows ${rowIdRanges(ids)}; rowback's own re-insert run inserts them through the driver; each is listed below`));
  out.push(comment(o.foreignKeysKnown === false
    ? plan.tableOrderGiven
      ? plan.tableOrderAgainstSource
        ? `table order (as tableOrder gives it, a table it does not name placed parents first by the source's foreign keys where they do not go against that order, else by name: checked against the foreign keys of the source ${plan.tableOrderSourceKind ?? 'backup'}'s catalog only${keysUnread(plan)}, ${plan.tableOrderAgainstSource.length ? `which it goes against (WARNING below)` : 'which it does not go against'}; the target's are not read without a target connection: a dry run against the target orders parents first by them): ${tableListText(plan.tableOrder) || '(none)'}`
        : `table order (as tableOrder gives it, a table it does not name placed by name: the foreign keys are not read without a target connection, so that order is not checked; a dry run against the target orders parents first by them): ${tableListText(plan.tableOrder) || '(none)'}`
      : plan.tableOrderFromSource
        ? `table order (parents first by the foreign keys of the source ${plan.tableOrderSourceKind ?? 'backup'}'s catalog${keysUnread(plan)}, not of the target: not checked against the target; a dry run against the target orders them by its own): ${tableListText(plan.tableOrder) || '(none)'}`
        : plan.tableOrderNoSourceLinks
        ? `table order (by name: the source ${plan.tableOrderSourceKind ?? 'backup'}'s catalog, read, declares no foreign key ${plan.tableOrder.length > 1 ? 'between these tables' : 'from this table to itself'}; the target's are not read without a target connection, so a foreign key added there since is not seen: a dry run against the target orders by its own${plan.tableOrder.length > 1 ? ', and tableOrder (["dbo.Parent", "dbo.Child"]: a dry run\'s, or the export\'s tableOrder=dbo.Parent,dbo.Child) gives an order of your own' : ''}): ${tableListText(plan.tableOrder) || '(none)'}`
        : `table order (by name: the foreign keys are unknown without a target connection; a dry run against the target orders parents first${plan.tableOrder.length > 1 ? ', and so does tableOrder (["dbo.Parent", "dbo.Child"]: a dry run\'s, or the export\'s tableOrder=dbo.Parent,dbo.Child)' : ''}): ${tableListText(plan.tableOrder) || '(none)'}`
    : `table order (parents first): ${tableListText(plan.tableOrder) || '(none)'}`));
  // planned without a target connection the target columns' collations were not read either: each
  // char/varchar/text column's is taken to be its source column's (target-table.ts fromLayout)
  if (o.foreignKeysKnown === false) out.push(comment("collations: not read without a target connection; each char/varchar/text column's is taken to be the source column's, so a value holding a character the target column's code page lacks (a side table or database of another collation) is not refused here, and the server would write it as '?' or a look-alike: a dry run against the target checks each value against its columns' collations"));
  for (const k of o.foreignKeysKnown === false ? plan.parentsNotInserted ?? [] : []) {
    // the source's tables as its catalog names them; a table tableMap sends elsewhere is named with
    // where its rows go (the note named the side table as the source's, 'recovery.Orders_side
    // references dbo.Customers in the source data file's catalog'), and a side table holds the
    // source's foreign key only if it was made with it
    const cs = k.childSource ?? k.child;
    const ps = k.parentSource ?? k.parent;
    const side = cs !== k.child;
    out.push(comment(`note: ${tableNameText(cs)} references ${tableNameText(ps)} in the source ${plan.tableOrderSourceKind ?? 'backup'}'s catalog (${k.name})${side ? `, its rows going into ${tableNameText(k.child)} (tableMap)` : ''}, and this script inserts no ${tableNameText(ps)} row${ps !== k.parent ? ` (into ${tableNameText(k.parent)})` : ''} though the job staged deleted ${tableNameText(ps)} rows: each ${tableNameText(cs)} row's ${tableNameText(ps)} row must be in ${ps !== k.parent ? `${tableNameText(k.parent)} in ` : ''}the target already${side ? `, if ${tableNameText(k.child)} declares that foreign key` : ''}, else its INSERT fails (Msg 547) and, XACT_ABORT ON, stops the script there; approve the ${tableNameText(ps)} rows it needs and export again, or check the target first`));
  }
  for (const k of o.foreignKeysKnown === false ? plan.selfParentsNotInserted ?? [] : []) {
    // a table's key to itself, or to a table the script inserts other rows of
    const src = k.source ?? k.table;
    const side = src !== k.table;
    const psrc = k.parentSource ?? src;
    const ptable = k.parentTable ?? k.table;
    const pside = psrc !== ptable;
    out.push(comment(`note: ${tableNameText(src)} references ${k.parentSource === undefined ? 'itself' : tableNameText(psrc)} in the source ${plan.tableOrderSourceKind ?? 'backup'}'s catalog (${k.name}), and this script inserts ${k.rowIds.length} row(s) of ${k.parentSource === undefined ? 'it' : tableNameText(src)}${side ? ` (into ${tableNameText(k.table)}, tableMap)` : ''} (rows ${rowIdRanges(k.rowIds)}) referencing a ${tableNameText(psrc)} row the job staged deleted but this script does not insert (rows ${rowIdRanges(k.parentIds)}): each such row's referenced row must be in ${pside ? `${ptable} in ` : ''}the target already${side ? `, if ${tableNameText(k.table)} declares that foreign key` : ''}, else its INSERT fails (Msg 547) and, XACT_ABORT ON, stops the script there; approve the rows it needs and export again, or check the target first`));
  }
  for (const k of o.foreignKeysKnown === false ? plan.tableOrderAgainstSource ?? [] : []) out.push(comment(`WARNING: ${k.given === false ? 'this order puts' : 'tableOrder puts'} ${rowsOf(k.child, k.childSource)} before ${rowsOf(k.parent, k.parentSource)}, ${(k.childSource ?? k.child) !== k.child || (k.parentSource ?? k.parent) !== k.parent ? `and ${tableNameText(k.childSource ?? k.child)} references ${tableNameText(k.parentSource ?? k.parent)}` : 'which it references'} in the source ${plan.tableOrderSourceKind ?? 'backup'}'s catalog (${k.name})${k.given === false ? ` (tableOrder does not name both: putting ${tableNameText(k.parent)} first would make a cycle with the source's other foreign keys, or with the order tableOrder gives; constraints may need to be disabled)` : ''}: a row of ${tableNameText(k.child)} whose ${tableNameText(k.parent)} row is not in the target yet fails its INSERT (Msg 547) and, XACT_ABORT ON, stops the script there, the batches before it committed; give ${tableNameText(k.parent)} first unless the target has no such foreign key`));
  for (const c of plan.cycles) out.push(comment(`WARNING: foreign-key cycle among ${c.map(tableNameText).join(', ')}: their order is by name; constraints may need to be disabled`));
  // rows with no key to look for (a heap, a layout without its key, a key column NULL): inserted
  // with no conflict check, said once per table (newcomer: a DDL without its PRIMARY KEY gave plain
  // INSERTs with no word, and a row still in the table would be inserted twice)
  const unkeyed = new Map<string, number>();
  // rows with no key that a unique index or UNIQUE constraint is checked for: a row still in the
  // table holds its value there and is a conflict, so "no conflict check" is not so of them (the
  // head said it of every key-less row, above the script's own checks by that index)
  const byUnique = new Map<string, { rows: number; keys: string[] }>();
  for (const b of plan.batches) {
    for (const r of b.rows) {
      if (r.script.exists || r.uniqueChecks?.some((u) => u.conflictKey)) continue;
      if (r.uniqueChecks?.length) {
        const e = byUnique.get(b.table) ?? { rows: 0, keys: [] };
        e.rows++;
        for (const u of r.uniqueChecks) { const text = uniqueKeyText(u); if (!e.keys.includes(text)) e.keys.push(text); }
        byUnique.set(b.table, e);
      } else unkeyed.set(b.table, (unkeyed.get(b.table) ?? 0) + 1);
    }
  }
  appendAll(out, uniqueKeysHead(plan));
  for (const [table, e] of byUnique) out.push(comment(`NOTE: ${e.rows} row(s) of ${tableNameText(table)} have no key (no primary key or clustered index key in the table metadata, or a key column NULL): each is looked for by ${e.keys.join(' and by ')} instead, so a row still in the table is a conflict there, not inserted again`));
  for (const [table, n] of unkeyed) out.push(comment(`WARNING: ${n} row(s) of ${tableNameText(table)} have no key to look for (no primary key or clustered index key in the table metadata, or a key column NULL): they are inserted with no conflict check, so a row still in the table is inserted again; check the target before running`));
  // rows of a comparison of whole rows that may be changed rows, not deleted ones: re-inserted,
  // each duplicates the row as it is now (newcomer: StDb2Sql.bak's two students who moved were
  // planned as two plain INSERTs, the script's header silent)
  const maybeChanged = new Map<string, number[]>();
  for (const b of plan.batches) for (const r of b.rows) if (r.mayBeChanged) appendTo(maybeChanged, b.table, r.rowId);
  for (const [table, ids] of maybeChanged) out.push(comment(`WARNING: ${ids.length} row(s) of ${tableNameText(table)} (rows ${rowIdRanges(ids)}) were found by comparing whole rows (no key), and the later state holds rows the earlier one lacks: each may have been changed rather than deleted, and inserting it would duplicate that row as it is now; compare by the table's key (rowback diff --key, a restore job's key) before running`));
  // GENERATED ALWAYS columns (a temporal table's period) are left out of the INSERT: the server sets
  // them, so the values the reviewer saw there do not go back (the period starts at the re-insert);
  // said per table (newcomer: ValidFrom/ValidTo were dropped without a word)
  const notPutBack = new Map<string, { columns: Set<string>; rows: number }>();
  for (const b of plan.batches) for (const r of b.rows) {
    if (!r.notPutBack) continue;
    const e = notPutBack.get(b.table) ?? { columns: new Set<string>(), rows: 0 };
    for (const c of r.notPutBack) e.columns.add(c);
    e.rows++;
    notPutBack.set(b.table, e);
  }
  for (const [table, e] of notPutBack) out.push(comment(`NOTE: ${tableNameText(table)}'s ${[...e.columns].map(identifierText).join(', ')} ${e.columns.size > 1 ? 'are' : 'is'} GENERATED ALWAYS (a temporal table's period): left out of the INSERT, the server sets ${e.columns.size > 1 ? 'them' : 'it'}, so the recovered value(s) of ${e.rows} row(s) do not go back (the period starts at the re-insert's transaction); to keep them, re-insert into a side table (tableMap) whose such columns are plain ones`));
  for (const p of plan.problems) out.push(comment(`NOT INCLUDED: row ${p.rowId} (${tableNameText(p.table)}, LSN ${p.lsn}): ${p.code}: ${p.message}`));
  const database = o.database !== undefined ? o.database : plan.database;
  appendAll(out, nonAsciiNames(plan, database));
  appendAll(out, databaseHead(database));
  // ANSI_WARNINGS ON: with it OFF (the session's or the database's setting; Microsoft Learn, SET
  // ANSI_WARNINGS) an INSERT of a value longer than its column cuts the value and succeeds; ON, it is
  // refused (Msg 2628) and XACT_ABORT rolls the batch back. A script planned without the target's
  // columns (SQL export, offline dry run) cannot check their widths, so the server must refuse.
  // With it the other options an indexed view requires (SESSION_OPTIONS).
  appendAll(out, ['SET XACT_ABORT ON;', 'SET NOCOUNT ON;', comment('ANSI_WARNINGS ON: a value longer than its target column is refused (Msg 2628), never cut'), ...sessionOptions('INSERT'), '']);
  // A failed batch aborts the script (XACT_ABORT) with its table's IDENTITY_INSERT still ON: a
  // session setting, which the rollback leaves, held for one table per session at a time (Microsoft
  // Learn, SET IDENTITY_INSERT). Run again in the same session (an SSMS window) after the cause was
  // fixed, the script failed at its first other identity table's ON (error 8107). OFF for a table
  // whose setting is not ON changes nothing.
  // INSTEAD OF INSERT triggers not read (no target catalog): the script looks for one itself and
  // stops before anything is written (the exported script ran the trigger in place of each INSERT and
  // recorded the row put back in the row ledger, whatever the trigger did)
  const unreadTriggers = new Map<string, string>();
  for (const b of plan.batches) if (b.rows.some((r) => !unscriptable(b, r))) unreadTriggers.set(b.target, b.insteadOfTriggersUnread?.catalog ?? catalogOf(b.target));
  // each table seen by the login first (before its IDENTITY_INSERT too, which fails, Msg 1088, on a
  // table the login does not see): else the trigger checks below find none, unsaid
  if (unreadTriggers.size) {
    out.push(comment("tables seen: each of the script's tables looked for in the catalog where it runs, and the script stops there, inserting nothing, if the login does not see one (its triggers are hidden from the checks below with it)"));
    for (const target of unreadTriggers.keys()) out.push(tableVisibleGuard(target, 'INSERT'));
    out.push('');
  }
  const identityTargets = [...new Set(plan.batches.filter((b) => b.identityInsert && b.rows.some((r) => !unscriptable(b, r))).map((b) => b.target))];
  if (identityTargets.length) {
    out.push(comment('IDENTITY_INSERT OFF first: a run of this script stopped by an error leaves its table ON in this session, and a session holds it ON for one table at a time'));
    for (const t of identityTargets) out.push(`SET IDENTITY_INSERT ${t} OFF;`);
    out.push('');
  }
  if (unreadTriggers.size) {
    out.push(comment('INSTEAD OF INSERT triggers: looked for where the script runs (the catalog then, not at planning) on each of its tables; the script stops there, inserting nothing (such a trigger runs in place of the INSERT, and the row ledger would record the row put back whatever it did)'));
    let n = 0;
    for (const [target, catalog] of unreadTriggers) appendAll(out, insteadOfInsertGuard(target, catalog, ++n));
    // and names an enabled AFTER INSERT trigger, going on: it runs with each INSERT, for every row
    out.push(comment('AFTER INSERT triggers: looked for where the script runs too; it names an enabled one on each of its tables (a message, severity 10) and goes on: such a trigger runs with each INSERT, and what it writes elsewhere is written for every row put back'));
    n = 0;
    for (const [target, catalog] of unreadTriggers) appendAll(out, afterInsertNotice(target, catalog, ++n));
    out.push('');
  }
  // the row ledger: a row of the script goes in only when no rowback run or script put its delete
  // back into that table before, and is recorded there in the same transaction
  const ledgers = [...new Set(plan.batches.filter((b) => b.rows.some((r) => r.rowKey !== null && !unscriptable(b, r))).map((b) => b.rowLedger))];
  if (ledgers.length) {
    out.push(comment(`never twice: each row recovered from the log is looked up in, and recorded in, the target's row ledger ${ledgers.join(', ')} (created when missing), which rowback's own runs also keep: a row a run or another script already put back into its table is not inserted again`));
    for (const l of ledgers) out.push(rowLedgerDdl(l));
    out.push('');
  }
  const scriptBatch = o.ledgerBatch ?? 'script';
  // characters pushed since the last piece: a piece also ends after a row past SCRIPT_PIECE_CHARS
  let pending = 0;
  for (const b of plan.batches) {
    yield out.splice(0).join('\n');
    pending = 0;
    out.push(comment(`batch ${b.batchNo}: ${tableNameText(b.table)}, ${b.rows.length} row(s)`));
    const rows = b.rows.filter((r) => {
      const why = unscriptableWhy(b, r);
      if (why === null) return true;
      out.push(comment(`NOT SCRIPTED: row ${r.rowId} (${tableNameText(r.table)}, LSN ${r.lsn}): ${why}; rowback's own run inserts it through the driver, where it is safe`));
      return false;
    });
    if (!rows.length) continue;
    out.push('BEGIN TRANSACTION;');
    if (b.identityInsert) out.push(`SET IDENTITY_INSERT ${b.target} ON;`);
    for (const r of rows) {
      if (pending >= SCRIPT_PIECE_CHARS) {
        yield out.splice(0).join('\n');
        pending = 0;
      }
      const from = out.length;
      out.push(comment(`row ${r.rowId}, LSN ${r.lsn}`));
      out.push(declare(r));
      // the row's existence checks, each printing why the row is not inserted: its key, then each
      // unique index or UNIQUE constraint another row may hold its value of (UniqueCheck)
      const guards = [
        ...(r.script.exists ? [{ sql: r.script.exists, print: `row ${r.rowId}: key already exists: conflict, not inserted` }] : []),
        ...(r.uniqueChecks ?? []).map((u) => ({ sql: u.script, print: `row ${r.rowId}: ${commentText(`${b.table}'s ${uniqueKeyText(u)}`)} already holds its value in another row: conflict, not inserted` })),
      ];
      const printed = (text: string) => `    PRINT N'${text.replace(/'/g, "''")}';`;
      if (r.rowKey !== null) {
        out.push(`IF EXISTS (SELECT 1 FROM ${b.rowLedger} WITH (UPDLOCK, HOLDLOCK) WHERE row_key = ${nLiteral(r.rowKey)})`);
        out.push(`    PRINT N'row ${r.rowId}: already put back into ${commentText(b.table).replace(/'/g, "''")} (the row ledger holds ${ledgerHolds(r)}): not inserted again';`);
        for (const g of guards) out.push(`ELSE IF EXISTS (${g.sql.replace(/;$/, '')})`, printed(g.print));
        out.push('ELSE');
        out.push('BEGIN', `    ${r.script.insert}`, `    INSERT INTO ${b.rowLedger} (row_key, batch_key, run_id, row_id) VALUES (${nLiteral(r.rowKey)}, ${nLiteral(scriptBatch)}, ${o.ledgerRunId ?? 0}, ${r.rowId});`, 'END');
      } else if (guards.length) {
        guards.forEach((g, i) => out.push(`${i ? 'ELSE IF' : 'IF'} EXISTS (${g.sql.replace(/;$/, '')})`, printed(g.print)));
        out.push('ELSE');
        out.push(`    ${r.script.insert}`);
      } else {
        out.push(r.script.insert);
      }
      for (let i = from; i < out.length; i++) pending += out[i]!.length;
    }
    if (b.identityInsert) out.push(`SET IDENTITY_INSERT ${b.target} OFF;`);
    if (o.ledgerNote) out.push(comment(`(the real run also writes this batch's idempotency key into the target's ledger table in this transaction)`));
    out.push('COMMIT TRANSACTION;', '');
  }
  // the database check's and the trigger check's SET NOEXEC ON last for the session until this (run
  // whatever the checks found): left ON, the session ran nothing more, silently
  if (checksDatabase(database) || unreadTriggers.size) out.push('SET NOEXEC OFF;');
  yield out.join('\n');
}

export interface UndoOptions {
  header?: string[];
  /**
   * The rows the undo may delete: for an executed run, exactly the rows its ledger says it
   * inserted. Rows of the plan not in this set are listed in the header as not touched, with
   * `notTouched` giving the reason per row id when known (conflict: the row already existed).
   */
  rowIds?: Set<number>;
  notTouched?: Map<number, string>;
  /**
   * Delete a row recovered from the log only when the target's row ledger holds its entry (it was
   * put back, by a script of rowback's run by hand or by a run), else print that it is left: the
   * undo of a dry run, whose script may have been run by hand. That script skips a row whose key
   * already exists (a conflict) and records none for it, and an undo deleting by key alone deleted
   * the row that was there, one rowback never put in (newcomer). Refused whole, nothing deleted,
   * when the row ledger is missing: no script of rowback's ran there.
   */
  onlyLedgered?: boolean;
  /** As ScriptOptions.database; default the plan's own (ReinsertPlan.database). */
  database?: ScriptDatabase | null;
}

/**
 * The undo script: deletes re-inserted rows again, children before parents, in one transaction.
 * A row matched by key must delete exactly one row; a key-less row deletes one row matching every
 * comparable value and must find one: otherwise the whole undo rolls back (RAISERROR), so an undo can
 * never delete more than the run put in.
 */
export function renderUndoScript(plan: ReinsertPlan, o: UndoOptions = {}): string {
  return [...renderUndoScriptChunks(plan, o)].join('\n');
}

/** Lines of an undo script's head (its NOT TOUCHED lines) given as one chunk by renderUndoScriptChunks. */
export const UNDO_HEAD_LINES = 2_000;

/** `renderUndoScript` in pieces (head, in chunks of at most UNDO_HEAD_LINES lines, then one per batch), joined with '\n' they are the script. */
export function* renderUndoScriptChunks(plan: ReinsertPlan, o: UndoOptions = {}): Generator<string> {
  const out: string[] = (o.header ?? []).map(comment);
  const included = plan.batches.flatMap((b) => b.rows.filter((r) => (!o.rowIds || o.rowIds.has(r.rowId)) && !unscriptable(b, r)));
  // asked per row of each batch below: an array's includes made it rows x included (quadratic)
  const isIncluded = new Set(included);
  const unscripted = notScripted(plan).filter((u) => !o.rowIds || o.rowIds.has(u.rowId));
  out.push(comment(`deletes staged rows: ${rowIdRanges(included.map((r) => r.rowId))}`));
  for (const [why, ids] of byReason(unscripted)) out.push(comment(`WARNING: ${ids.length} row(s) NOT DELETED by this script (${why}): rows ${rowIdRanges(ids)}; delete them by hand`));
  // Rows the run put in that this plan holds no batch row of (planned again offline: the undo export,
  // a run's undo written again; a table the job has no layout of): the script said "(4 row(s) it
  // inserted)" and "deletes staged rows: (none)", and deleted none of them, unsaid. Said here and,
  // when it runs, printed.
  const unplanned = o.rowIds ? unplannedRows(plan, o.rowIds) : [];
  for (const [why, ids] of byReason(unplanned)) out.push(comment(`WARNING: ${ids.length} row(s) put back NOT DELETED by this script (they could not be planned: ${why}): rows ${rowIdRanges(ids)}; delete them by hand`));
  // An INSTEAD OF DELETE trigger runs in place of the script's DELETE (target-triggers.ts): the row
  // may stay, or other rows go, while the script says it deleted it
  const triggered = new Map<string, string[]>();
  for (const b of plan.batches) if (b.insteadOfDeleteTriggers?.length && b.rows.some((r) => isIncluded.has(r))) triggered.set(b.target, b.insteadOfDeleteTriggers);
  for (const [target, names] of triggered) {
    const list = names.map(quoteName).join(', ');
    out.push(comment(`WARNING: ${target} has ${names.length === 1 ? 'an enabled INSTEAD OF DELETE trigger' : `${names.length} enabled INSTEAD OF DELETE triggers`} (${list}): SQL Server runs ${names.length === 1 ? 'it' : 'them'} in place of this script's DELETE, which may leave the row there or delete others; disable ${names.length === 1 ? 'it' : 'them'} before running this script (ALTER TABLE ${target} DISABLE TRIGGER ${list}; ENABLE TRIGGER after)`));
  }
  if (o.rowIds) {
    const skipped = plan.batches.flatMap((b) => b.rows).filter((r) => !o.rowIds!.has(r.rowId));
    // a chunk every UNDO_HEAD_LINES lines: a run of 500,000 conflicts wrote its 500,000 NOT TOUCHED
    // lines in one step before the first chunk, while a cooperative consumer (service.ts keepUndo,
    // plan.ts joinCooperatively) waited for a turn
    for (const r of skipped) {
      out.push(comment(`NOT TOUCHED: row ${r.rowId} (${tableNameText(r.table)}, LSN ${r.lsn}): ${o.notTouched?.get(r.rowId) ?? 'not inserted by this run'}`));
      if (out.length >= UNDO_HEAD_LINES) yield out.splice(0).join('\n');
    }
  }
  const database = o.database !== undefined ? o.database : plan.database;
  appendAll(out, nonAsciiNames(plan, database));
  appendAll(out, databaseHead(database, true));
  appendAll(out, ['SET XACT_ABORT ON;', 'SET NOCOUNT ON;', ...sessionOptions('DELETE')]);
  // INSTEAD OF DELETE triggers: the undo looks for one itself where it runs and stops before deleting
  // anything (such a trigger ran in place of the DELETE, and the ledger entry went). Also where the
  // catalog was read at planning: a run's undo is kept and run later, and a trigger made since, or
  // one the head's WARNING named but nobody disabled, ran in its DELETE's place all the same
  const unreadTriggers = new Map<string, string>();
  for (const b of plan.batches) if (b.rows.some((r) => isIncluded.has(r))) unreadTriggers.set(b.target, b.insteadOfTriggersUnread?.catalog ?? catalogOf(b.target));
  if (unreadTriggers.size) {
    // each table seen by the login first: else the trigger and foreign key checks below find none, unsaid
    out.push(comment("tables seen: each of the undo's tables looked for in the catalog where it runs, and the undo stops there, deleting nothing, if the login does not see one (its triggers and the foreign keys referencing it are hidden from the checks below with it)"));
    for (const target of unreadTriggers.keys()) out.push(tableVisibleGuard(target, 'DELETE'));
    out.push(comment('INSTEAD OF DELETE triggers: looked for where the script runs (the catalog then, not at planning) on each of its tables, and the undo stops there, deleting nothing (such a trigger runs in place of the DELETE)'));
    let n = 0;
    for (const [target, catalog] of unreadTriggers) appendAll(out, insteadOfInsertGuard(target, catalog, ++n, 'DELETE'));
  }
  // A foreign key ON DELETE CASCADE / SET NULL / SET DEFAULT referencing a table the undo deletes
  // from: the DELETE of a re-inserted row also deletes (or changes) the rows of the referencing table
  // that point at it, rows added since the re-insert that rowback never put in, while @@ROWCOUNT
  // counts the one row: looked for where the script runs (the catalog then, not at planning)
  const cascadeTargets = [...new Set(plan.batches.filter((b) => b.rows.some((r) => isIncluded.has(r) && !r.undoNotExact)).map((b) => b.target))];
  if (cascadeTargets.length) {
    out.push(comment('foreign keys with ON DELETE CASCADE, SET NULL or SET DEFAULT referencing a table this undo deletes from: looked for on each, and the undo stops there, deleting nothing (such a DELETE also deletes or changes the rows that reference the row, rows this undo does not know, while it counts one row deleted)'));
    // sys.foreign_keys shows only the keys of tables the session may see (metadata visibility): a
    // login with DELETE on the table and no permission on the referencing one saw no key there and
    // the guard passed, while the cascade acts all the same; once per database the script reads
    for (const catalog of new Set(cascadeTargets.map(catalogOf))) appendAll(out, foreignKeysVisibleGuard(catalog));
    let n = 0;
    for (const target of cascadeTargets) appendAll(out, cascadeGuard(target, catalogOf(target), ++n));
    // An enabled AFTER DELETE trigger runs with the DELETE too, and may delete or change other rows (a
    // hand-written cascade, archiving, soft-delete bookkeeping): the same harm as the cascade, which
    // @@ROWCOUNT (the DELETE's own count) does not see. Looked for where the script runs, always
    out.push(comment('AFTER DELETE triggers on a table this undo deletes from: looked for on each, and the undo stops there, deleting nothing (SQL Server runs such a trigger with each DELETE, and it may delete or change other rows, rows this undo does not know, while it counts one row deleted)'));
    n = 0;
    for (const target of cascadeTargets) appendAll(out, afterDeleteGuard(target, catalogOf(target), ++n));
  }
  if (unplanned.length) {
    const said = `rowback undo: ${unplanned.length} row(s) put back are NOT DELETED by this script (they could not be planned; rows ${rowIdRanges(unplanned.map((u) => u.rowId))}): see its WARNING lines; delete them by hand`;
    out.push(`RAISERROR(N'${commentText(said).replace(/'/g, "''").replace(/%/g, '%%')}', 10, 1) WITH NOWAIT;`);
  }
  if (o.onlyLedgered) {
    const ledgers = [...new Set(plan.batches.filter((b) => b.rows.some((r) => r.rowKey !== null && isIncluded.has(r))).map((b) => b.rowLedger))];
    if (ledgers.length) out.push(comment(`deletes a row recovered from the log only when the target's row ledger ${ledgers.join(', ')} says it was put back (by the re-insert script or a rowback run); a row the script skipped (its key already there: a conflict) is left, and printed`));
    for (const l of ledgers) {
      out.push(`IF OBJECT_ID(${nLiteral(l)}, N'U') IS NULL BEGIN RAISERROR(N'rowback undo: the row ledger ${l.replace(/'/g, "''").replace(/%/g, '%%')} does not exist here: no rowback script or run put rows back into this database; nothing was deleted', 16, 1); RETURN; END`);
    }
  }
  out.push('BEGIN TRANSACTION;');
  // A row deleted from two tables (the undo export of a job whose runs put it into a side table and
  // into its own: merged plans) declared its values twice under the same names in this one batch:
  // Msg 134, and the whole script did not compile. Its second and later deletes get names of their own.
  const times = new Map<number, number>();
  // characters pushed since the last piece: a piece also ends before a row once past SCRIPT_PIECE_CHARS
  let pending = 0;
  for (const b of [...plan.batches].reverse()) {
    if (out.length) yield out.splice(0).join('\n');
    pending = 0;
    for (const r of [...b.rows].reverse()) {
      if (o.rowIds && !o.rowIds.has(r.rowId)) continue;
      if (pending >= SCRIPT_PIECE_CHARS && out.length) {
        yield out.splice(0).join('\n');
        pending = 0;
      }
      const from = out.length;
      // every way out of this row's body counts its lines (a `continue` too)
      const counted = () => { for (let i = from; i < out.length; i++) pending += out[i]!.length; };
      const k = (times.get(r.rowId) ?? 0) + 1;
      times.set(r.rowId, k);
      const own = (text: string) => k === 1 ? text : text.replace(new RegExp(`@r${r.rowId}_(p\\d+)\\b`, 'g'), `@r${r.rowId}_${k}_$1`);
      out.push(comment(`row ${r.rowId}, LSN ${r.lsn}`));
      const why = unscriptableWhy(b, r);
      if (why !== null) {
        out.push(comment(`NOT DELETED: ${why}`), `RAISERROR(N'rowback undo: row ${r.rowId} is not deleted by this script (${why === UNSCRIPTABLE_WHY ? 'a name of its table holds a line break or a sqlcmd variable' : 'a name of its table or columns holds a character this UTF-8 script cannot carry'}); delete it by hand', 10, 1) WITH NOWAIT;`);
        counted();
        continue;
      }
      if (r.undoNotExact) {
        out.push(comment(`NOT DELETED: ${r.undoNotExact}`), own(r.script.undo));
        counted();
        continue;
      }
      if (r.script.undoParams.length) out.push(own(declare(r, new Set(r.script.undoParams))));
      const guarded = o.onlyLedgered && r.rowKey !== null;
      const ind = guarded ? '    ' : '';
      if (guarded) out.push(`IF EXISTS (SELECT 1 FROM ${b.rowLedger} WITH (UPDLOCK, HOLDLOCK) WHERE row_key = ${nLiteral(r.rowKey!)})`, 'BEGIN');
      out.push(ind + own(r.script.undo));
      // RAISERROR + RETURN rather than THROW (2012+): undo scripts also run on SQL Server 2008 and 2008 R2 (not 2005: DECLARE with an initial value).
      out.push(`${ind}IF @@ROWCOUNT <> 1 BEGIN ROLLBACK TRANSACTION; RAISERROR(N'rowback undo: row ${r.rowId} ${r.undoByKey ? 'no longer matches its key' : 'no longer matches its values'}; nothing was deleted', 16, 1); RETURN; END`);
      // out of the row ledger with it: deleted again, the row may be put back again later
      if (guarded) {
        out.push(`    DELETE FROM ${b.rowLedger} WHERE row_key = ${nLiteral(r.rowKey!)};`, 'END', 'ELSE');
        out.push(`    PRINT N'row ${r.rowId}: not deleted: the row ledger holds no entry for it (${ledgerHolds(r).replace(LEDGER_HOLDS_PREFIX, '')}): it was not put back into ${commentText(b.table).replace(/'/g, "''")} by a rowback script or run (a conflict: the row there is not rowback''s)';`);
      } else if (r.rowKey !== null) out.push(`IF OBJECT_ID(${nLiteral(b.rowLedger)}, N'U') IS NOT NULL DELETE FROM ${b.rowLedger} WHERE row_key = ${nLiteral(r.rowKey)};`);
      counted();
    }
  }
  out.push('COMMIT TRANSACTION;', '');
  // the database check's, the trigger check's and the foreign key check's SET NOEXEC ON last for the session until this
  if (checksDatabase(database) || unreadTriggers.size || cascadeTargets.length) out.push('SET NOEXEC OFF;');
  yield out.join('\n');
}

/**
 * The catalog prefix of a quoted target name (`[CRM].` of `[CRM].[dbo].[T]`; '' of a two-part name,
 * whose script reads the session's database): where its sys views are.
 */
function catalogOf(target: string): string {
  const parts = target.match(/\[(?:[^\]]|\]\])*\]/g) ?? [];
  return parts.length === 3 ? `${parts[0]}.` : '';
}

/**
 * An undo script's check that the session may see every foreign key of the database whose sys views
 * `catalog` prefixes (`[CRM].`; '' the session's): VIEW DEFINITION on it (HAS_PERMS_BY_NAME, SQL
 * Server 2005+; db_owner and sysadmin hold it), as the indexed-view check asks (mssql-target.ts).
 * Without it sys.foreign_keys shows only the keys of tables the login has some permission on
 * (Microsoft Learn, "Metadata visibility configuration"), so cascadeGuard could find none where an
 * ON DELETE CASCADE key of an unseen table would delete its rows with the undo's. Not held (or not
 * known: NULL), it RAISERRORs saying so and SET NOEXEC ON: nothing after it runs. Not covered: a
 * referencing table on which (or on whose schema) VIEW DEFINITION is denied to the login while the
 * database grants it (a DENY at the lower scope wins): its foreign key stays hidden; no catalog
 * view lists what a login may not see, and this is not checked here (docs/security.md says so).
 * The table deleted from is checked itself (tableVisibleGuard).
 */
function foreignKeysVisibleGuard(catalog: string): string[] {
  const db = catalog ? catalog.slice(1, -2).replace(/\]\]/g, ']') : null;
  const name = db === null ? 'the database this session is in' : `database ${db.replace(/%/g, '%%')}`;
  const msg = `rowback undo: this login may not see every foreign key of ${name} (no VIEW DEFINITION there): a foreign key ON DELETE CASCADE, SET NULL or SET DEFAULT of a table it has no permission on would delete or change that table's rows with each row this undo deletes, and the check for one cannot see it. Nothing was deleted. Run this script as a login with VIEW DEFINITION on the database (db_owner has it)`;
  return [
    `IF ISNULL(HAS_PERMS_BY_NAME(${db === null ? 'DB_NAME()' : nLiteral(db)}, N'DATABASE', N'VIEW DEFINITION'), 0) = 0`,
    'BEGIN',
    `    RAISERROR(${nLiteral(msg)}, 16, 1);`,
    '    SET NOEXEC ON;',
    'END',
  ];
}

/**
 * An undo script's check that `target` (quoted; `catalog` the `[db].` prefix of its database's sys
 * views, '' for the session's) has no enabled AFTER DELETE trigger: sys.triggers
 * (`parent_class` 1, `is_instead_of_trigger` 0, `is_disabled` 0) with a sys.trigger_events row of
 * `type` 3 = DELETE (Microsoft Learn, "sys.triggers", "sys.trigger_events"). SQL Server runs such a
 * trigger after each DELETE statement (Microsoft Learn, CREATE TRIGGER: AFTER "fires only when all
 * operations specified in the triggering SQL statement have launched successfully"), and what it
 * does to other rows (a hand-written cascade into child tables, archiving, soft-delete bookkeeping)
 * is not what the undo's `@@ROWCOUNT <> 1` check counts (the DELETE's own rows): the undo would
 * delete or change rows it never put in, unsaid, as a cascading
 * foreign key would. Found, it RAISERRORs naming the table and the first trigger (by name) with the
 * ALTER TABLE … DISABLE TRIGGER that lets the undo through, and SET NOEXEC ON: nothing after it runs.
 * Its sys.triggers rows are the table's own, seen with the table (Microsoft Learn, "Metadata
 * visibility configuration", subcomponents), which tableVisibleGuard checks before: VIEW DEFINITION
 * on the database alone did not do it (denied on the table or its schema, the table is hidden all
 * the same, and OBJECT_ID NULL matched no trigger). `n` numbers its variable (`@rowback_after_delete<n>`).
 */
function afterDeleteGuard(target: string, catalog: string, n: number): string[] {
  const v = `@rowback_after_delete${n}`;
  // RAISERROR reads % as a format: the name's own are doubled, the two %s are the trigger's name
  const t = target.replace(/%/g, '%%');
  const msg = `rowback undo: ${t} has an enabled AFTER DELETE trigger, %s, which SQL Server runs with this script's DELETE: it may delete or change other rows (a cascade by hand into other tables, an archive, a soft-delete's bookkeeping), rows this undo does not know, while it counts one row deleted. Nothing was deleted. Read the trigger first; if what it does to a deleted row is wanted, or nothing, disable it for the undo (ALTER TABLE ${t} DISABLE TRIGGER %s; ENABLE TRIGGER after) and run the script again, else delete the re-inserted rows by hand`;
  return [
    `DECLARE ${v} nvarchar(300) = (SELECT TOP (1) QUOTENAME(tr.name) FROM ${catalog}sys.triggers AS tr JOIN ${catalog}sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 3 WHERE tr.parent_class = 1 AND tr.parent_id = OBJECT_ID(${nLiteral(target)}, N'U') AND tr.is_instead_of_trigger = 0 AND tr.is_disabled = 0 ORDER BY tr.name);`,
    `IF ${v} IS NOT NULL`,
    'BEGIN',
    `    RAISERROR(${nLiteral(msg)}, 16, 1, ${v}, ${v});`,
    '    SET NOEXEC ON;',
    'END',
  ];
}

/**
 * An undo script's check that no enabled foreign key with a delete action other than NO ACTION
 * references `target` (quoted; `catalog` the prefix of its database's sys views, '' for the
 * session's): sys.foreign_keys.delete_referential_action 1 CASCADE, 2 SET_NULL, 3 SET_DEFAULT
 * (Microsoft Learn, "sys.foreign_keys"); with one, SQL Server deletes or changes the referencing
 * rows with the undo's DELETE of the row (Microsoft Learn, "Primary and foreign key constraints",
 * cascading referential integrity), rows the undo does not know, and @@ROWCOUNT still counts the
 * one row. Found, it RAISERRORs naming the referencing table, the foreign key and its action, and
 * SET NOEXEC ON: nothing after it runs (the database check's way). `n` numbers its variable.
 */
function cascadeGuard(target: string, catalog: string, n: number): string[] {
  const v = `@rowback_cascade${n}`;
  const t = target.replace(/%/g, '%%');
  const msg = `rowback undo: ${t} is referenced by %s: deleting a row of it there also deletes, or sets to NULL or the default, the rows of that table that reference the row, rows this undo does not know (added since the re-insert), while it counts one row deleted. Nothing was deleted. Look at the rows referencing the rows this undo would delete and deal with them first, then delete the re-inserted rows by hand, or run this script once that foreign key is NO ACTION (a referencing row then fails the DELETE, Msg 547, and the undo rolls back whole)`;
  return [
    `DECLARE ${v} nvarchar(1000) = (SELECT TOP (1) QUOTENAME(sc.name) + N'.' + QUOTENAME(ob.name) + N' (foreign key ' + QUOTENAME(fk.name) + N', ON DELETE ' + fk.delete_referential_action_desc + N')' FROM ${catalog}sys.foreign_keys AS fk JOIN ${catalog}sys.objects AS ob ON ob.object_id = fk.parent_object_id JOIN ${catalog}sys.schemas AS sc ON sc.schema_id = ob.schema_id WHERE fk.referenced_object_id = OBJECT_ID(${nLiteral(target)}, N'U') AND fk.delete_referential_action <> 0 AND fk.is_disabled = 0 ORDER BY sc.name, ob.name, fk.name);`,
    `IF ${v} IS NOT NULL`,
    'BEGIN',
    `    RAISERROR(${nLiteral(msg)}, 16, 1, ${v});`,
    '    SET NOEXEC ON;',
    'END',
  ];
}
