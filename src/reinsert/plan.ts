import { isRowbackError, ReinsertError } from '../errors.js';
import type { SqlValue } from '../reconstruct/values.js';
import { quoteName, splitQualifiedName } from '../util/tsql.js';
import { orderTables } from './order.js';
import { declaration, planParam, type ParamPlan } from './sql-types.js';
import { hasIdentity, insertableColumns, qualified, type ForeignKey, type TargetTable } from './target-table.js';

/** The rows the planner takes: staged rows (id, table, LSN, values). */
export interface PlanInputRow {
  id: number;
  table: string;
  lsn: string;
  values: Record<string, SqlValue>;
  /** The logged operation; only `delete` rows go back unless PlanOptions.operations says otherwise. */
  operation?: string;
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
}

export interface PlannedParam extends ParamPlan {
  column: string;
  /** Driver parameter name without `@` (p1, p2 … per statement). */
  name: string;
}

export interface PlannedRow {
  rowId: number;
  lsn: string;
  /** Target `schema.name`. */
  table: string;
  params: PlannedParam[];
  /** `INSERT INTO … VALUES (@p1, …)` */
  insertSql: string;
  /** `SELECT TOP (1) * FROM … WITH (UPDLOCK, HOLDLOCK) WHERE key = @pK` — null when the table has no key. */
  existsSql: string | null;
  /** `DELETE FROM … WHERE key = @pK` (no key: every comparable column, TOP (1)). */
  undoSql: string;
}

export interface PlannedBatch {
  batchNo: number;
  table: string;
  /** Quoted target name, three-part when a database is given. */
  target: string;
  identityInsert: boolean;
  rows: PlannedRow[];
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
}

/** Columns that cannot be compared with `=` (for the key-less undo). */
const NOT_COMPARABLE = new Set(['text', 'ntext', 'image', 'xml', 'geography', 'geometry', 'sql_variant']);

function quotedTarget(table: string, database?: string): string {
  const { schema, name } = splitQualifiedName(table);
  return (database ? quoteName(database) + '.' : '') + `${quoteName(schema)}.${quoteName(name)}`;
}

/** The expression for a parameter in a statement: `@p3` or its CONVERT wrapper. */
function expr(p: { wrap?: string }, ref: string): string {
  return p.wrap ? p.wrap.replace('@', ref) : ref;
}

/**
 * Plans a re-insert: tables ordered parents-first by foreign keys, rows in staging (LSN)
 * order within a table, batches of one table each (IDENTITY_INSERT is per table), every
 * identifier quoted, every value a typed parameter. Rows that cannot be planned are problems,
 * never silently dropped.
 */
export function planReinsert(rows: Iterable<PlanInputRow>, targets: Map<string, TargetTable>, fks: ForeignKey[], o: PlanOptions = {}): ReinsertPlan {
  const batchSize = Math.max(1, o.batchSize ?? 500);
  const byTable = new Map<string, PlannedRow[]>();
  const problems: PlanProblem[] = [];
  const lower = new Map([...targets].map(([k, v]) => [k.toLowerCase(), v]));
  const ops = new Set(o.operations ?? ['delete']);
  for (const r of rows) {
    if (r.operation !== undefined && !ops.has(r.operation)) {
      problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_NOT_A_DELETE', message: `row ${r.id} was recovered from an ${r.operation}, not a delete; re-insert it only on purpose (operations: ['${r.operation}'], usually into a side table)` });
      continue;
    }
    const targetName = o.tableMap?.[r.table] ?? r.table;
    const t = lower.get(targetName.toLowerCase());
    if (!t) {
      problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: 'REINSERT_UNKNOWN_TABLE', message: `no metadata for target table ${targetName}` });
      continue;
    }
    try {
      const planned = planRow(r, t, o.database);
      const list = byTable.get(qualified(t)) ?? [];
      list.push(planned);
      byTable.set(qualified(t), list);
    } catch (e) {
      if (!isRowbackError(e)) throw e;
      problems.push({ rowId: r.id, lsn: r.lsn, table: r.table, code: e.code, message: e.message });
    }
  }
  const { order, cycles } = orderTables([...byTable.keys()], fks);
  const batches: PlannedBatch[] = [];
  for (const table of order) {
    const t = lower.get(table.toLowerCase())!;
    const list = byTable.get(table)!;
    list.sort((a, b) => (a.lsn < b.lsn ? -1 : a.lsn > b.lsn ? 1 : a.rowId - b.rowId));
    for (let i = 0; i < list.length; i += batchSize) {
      batches.push({
        batchNo: batches.length + 1, table, target: quotedTarget(table, o.database), identityInsert: hasIdentity(t), rows: list.slice(i, i + batchSize),
      });
    }
  }
  return { tableOrder: order, cycles, batches, problems };
}

export function planRow(r: PlanInputRow, t: TargetTable, database?: string): PlannedRow {
  const target = quotedTarget(qualified(t), database);
  const cols = insertableColumns(t);
  const known = new Set(t.columns.map((c) => c.name.toLowerCase()));
  for (const k of Object.keys(r.values)) {
    if (!known.has(k.toLowerCase())) {
      throw new ReinsertError('REINSERT_COLUMN_MISSING', `the target table ${qualified(t)} has no column ${k}`, { column: k, table: qualified(t) });
    }
  }
  const valueOf = (name: string): SqlValue | undefined => {
    if (name in r.values) return r.values[name];
    const k = Object.keys(r.values).find((x) => x.toLowerCase() === name.toLowerCase());
    return k === undefined ? undefined : r.values[k];
  };
  const params: PlannedParam[] = [];
  for (const c of cols) {
    const v = valueOf(c.name);
    if (v === undefined) continue; // a column the source did not have: the target's default applies
    params.push({ column: c.name, name: `p${params.length + 1}`, ...planParam(c, v) });
  }
  if (params.length === 0) throw new ReinsertError('REINSERT_NO_COLUMNS', `row ${r.id} has no insertable values for ${qualified(t)}`);
  const byCol = new Map(params.map((p) => [p.column.toLowerCase(), p]));
  const insertSql = `INSERT INTO ${target} (${params.map((p) => quoteName(p.column)).join(', ')}) VALUES (${params.map((p) => expr(p, '@' + p.name)).join(', ')});`;
  let existsSql: string | null = null;
  let undoSql: string;
  const keyParams = t.keyColumns.map((k) => byCol.get(k.toLowerCase()));
  if (t.keyColumns.length && keyParams.every((p) => p && p.value !== null)) {
    const where = keyParams.map((p) => `${quoteName(p!.column)} = ${expr(p!, '@' + p!.name)}`).join(' AND ');
    existsSql = `SELECT TOP (1) * FROM ${target} WITH (UPDLOCK, HOLDLOCK) WHERE ${where};`;
    undoSql = `DELETE FROM ${target} WHERE ${where};`;
  } else {
    const comparable = params.filter((p) => {
      const c = t.columns.find((x) => x.name === p.column)!;
      return !NOT_COMPARABLE.has(c.type) && !(c.maxLength === -1);
    });
    const where = comparable.map((p) => (p.value === null ? `${quoteName(p.column)} IS NULL` : `${quoteName(p.column)} = ${expr(p, '@' + p.name)}`)).join(' AND ');
    undoSql = `DELETE TOP (1) FROM ${target}${where ? ' WHERE ' + where : ''};`;
  }
  return { rowId: r.id, lsn: r.lsn, table: qualified(t), params, insertSql, existsSql, undoSql };
}

/** Rewrites `@pN` references of a statement to script-unique names `@rROW_pN`. */
function scriptSql(sql: string, row: PlannedRow): string {
  return sql.replace(/@p(\d+)\b/g, `@r${row.rowId}_p$1`);
}

function declare(row: PlannedRow): string {
  return `DECLARE ${row.params.map((p) => `@r${row.rowId}_${p.name} ${declaration(p.type)} = ${p.literal}`).join(',\n        ')};`;
}

export interface ScriptOptions {
  header?: string[];
  /** Ledger key per batch: the real run records each batch in the target's ledger table. */
  ledgerNote?: boolean;
}

/**
 * The dry-run script: the statements the run executes, with each parameter DECLAREd with its
 * exact type, so it runs as-is in SSMS or sqlcmd. One transaction per batch, IDENTITY_INSERT
 * around tables with an identity, conflicting keys skipped (and printed) as the run does.
 */
export function renderScript(plan: ReinsertPlan, o: ScriptOptions = {}): string {
  const out: string[] = [];
  for (const h of o.header ?? []) out.push(`-- ${h.replace(/[\r\n]+/g, ' ')}`);
  out.push(`-- table order (parents first): ${plan.tableOrder.join(', ') || '(none)'}`);
  for (const c of plan.cycles) out.push(`-- WARNING: foreign-key cycle among ${c.join(', ')}: their order is by name; constraints may need to be disabled`);
  for (const p of plan.problems) out.push(`-- NOT INCLUDED: row ${p.rowId} (${p.table}, LSN ${p.lsn}): ${p.code}: ${p.message.replace(/[\r\n]+/g, ' ')}`);
  out.push('SET XACT_ABORT ON;', 'SET NOCOUNT ON;', '');
  for (const b of plan.batches) {
    out.push(`-- batch ${b.batchNo}: ${b.table}, ${b.rows.length} row(s)`);
    out.push('BEGIN TRANSACTION;');
    if (b.identityInsert) out.push(`SET IDENTITY_INSERT ${b.target} ON;`);
    for (const r of b.rows) {
      out.push(`-- row ${r.rowId}, LSN ${r.lsn}`);
      out.push(declare(r));
      if (r.existsSql) {
        out.push(`IF EXISTS (${scriptSql(r.existsSql, r).replace(/;$/, '')})`);
        out.push(`    PRINT N'row ${r.rowId}: key already exists: conflict, not inserted';`);
        out.push('ELSE');
        out.push(`    ${scriptSql(r.insertSql, r)}`);
      } else {
        out.push(scriptSql(r.insertSql, r));
      }
    }
    if (b.identityInsert) out.push(`SET IDENTITY_INSERT ${b.target} OFF;`);
    if (o.ledgerNote) out.push(`-- (the real run also writes this batch's idempotency key into the target's ledger table in this transaction)`);
    out.push('COMMIT TRANSACTION;', '');
  }
  return out.join('\n');
}

/** The undo script: deletes re-inserted rows again, children before parents. */
export function renderUndoScript(plan: ReinsertPlan, rowIds?: Set<number>, header: string[] = []): string {
  const out: string[] = header.map((h) => `-- ${h.replace(/[\r\n]+/g, ' ')}`);
  out.push('SET XACT_ABORT ON;', 'SET NOCOUNT ON;', 'BEGIN TRANSACTION;');
  for (const b of [...plan.batches].reverse()) {
    for (const r of [...b.rows].reverse()) {
      if (rowIds && !rowIds.has(r.rowId)) continue;
      const used = new Set([...r.undoSql.matchAll(/@p(\d+)\b/g)].map((m) => `p${m[1]}`));
      const keyOnly = { ...r, params: r.params.filter((p) => used.has(p.name)) };
      out.push(`-- row ${r.rowId}, LSN ${r.lsn}`);
      if (keyOnly.params.length) out.push(declare(keyOnly));
      out.push(scriptSql(r.undoSql, r));
    }
  }
  out.push('COMMIT TRANSACTION;', '');
  return out.join('\n');
}
