import { InputError } from '../errors.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { NameIndex, unknownTableHint } from '../reconstruct/metadata/names.js';
import { jobTableText, stagedTableName, tableListText, tableNameText } from '../util/tsql.js';
import type { ForeignKey } from './target-table.js';
import { binaryKeyText, collationFolds, maybeKeyText, sameKeyText, type CollationFolds } from './key-fold.js';

/**
 * A table order the plan was given (tableOrder) that a foreign key of the source's catalog goes
 * against, or a key checked against it: the key's name, its tables through tableMap (`child`,
 * `parent`), whether tableOrder names both (`given`), and its tables as the source names them.
 */
export interface OrderAgainstSource {
  name: string;
  child: string;
  parent: string;
  given: boolean;
  childSource: string;
  parentSource: string;
}

/** What offlineOrder adds to a plan's foreign keys, and what the script's head says of the order. */
export interface OfflineOrder {
  /** Edges to add to the plan's foreign keys (parent before child), each table through tableMap. */
  edges: ForeignKey[];
  /** tableOrder was given: each table it names before the ones named after it. */
  orderGiven: boolean;
  /** No tableOrder: the source's own foreign keys (its layouts' `foreignKeys`) gave at least one edge. */
  orderFromSource: boolean;
  /** tableOrder given and some layout carries the source's foreign keys (read from its catalog). */
  sourceKeysRead: boolean;
  /** tableOrder given: every source key between two tables, to check the order against (plan.tableOrderAgainstSource). */
  orderAgainstSource: OrderAgainstSource[];
}

/**
 * The table order's edges of a re-insert plan made without a target connection (the target's
 * catalog orders a plan with one; tableOrder is refused with a target before this is asked):
 * - tableOrder (`schema.name`, `[schema].[name]` or `"schema"."name"` each, resolved to the job's
 *   tables exactly, else in another case, then through `tableMap`): each table before every one
 *   named after it (order.ts orderTables);
 * - no tableOrder: the source's own foreign keys (TableLayout.foreignKeys, read from the job's data
 *   file or backup catalog), each table through tableMap, parents first; a table's key to itself
 *   with its columns (its rows ordered managers before their reports);
 * - tableOrder given: the source's keys still speak. A key to the table itself orders its rows; one
 *   between two tables tableOrder does not both name orders them parents first unless it would go
 *   against the given order (through the edges so far: a cycle); every key between two tables is
 *   kept in `orderAgainstSource` for the head's WARNING when the order puts the child first.
 * `fks` are the plan's foreign keys so far (not changed). Pure: reads only its arguments.
 * Throws InputError INPUT_BAD_IDENTIFIER (a tableOrder entry that is not a name),
 * INPUT_UNKNOWN_TABLE / INPUT_AMBIGUOUS_NAME (one naming no table of the job, or two differing in
 * letter case), each with `field` tableOrder.N.
 */
export function offlineOrder(o: { jobId: number; layouts: readonly TableLayout[]; rowTables: readonly string[]; tableOrder?: readonly string[]; tableMap?: Record<string, string>; withTarget: boolean; fks: readonly ForeignKey[] }): OfflineOrder {
  const { jobId, layouts, tableMap } = o;
  const edges: ForeignKey[] = [];
  const mapped = (t: string) => tableMap?.[t] ?? t;
  let orderGiven = false;
  // the tables tableOrder names, in its order, each through tableMap
  const named: string[] = [];
  if (o.tableOrder?.length) {
    const all = [...new Set([...layouts.map((l) => stagedTableName(l)), ...o.rowTables])];
    const jobTables = new NameIndex(all, (t) => t);
    o.tableOrder.forEach((t, i) => {
      let q: string;
      try {
        // the job's own `schema.name` as the API gives it out taken too (dbo.Order.Items: jobTableText)
        q = jobTableText(t, all);
      } catch (e) {
        throw new InputError('INPUT_BAD_IDENTIFIER', `tableOrder.${i} '${t}': ${(e as Error).message}; give schema.name, [schema].[name] or "schema"."name"`, { field: `tableOrder.${i}`, table: t });
      }
      const m = jobTables.match(q);
      // the job's tables each as one name (dbo.[a,b], not dbo.a,b, which reads as two), and the
      // hint for a piece of a comma-named table: the export's tableOrder=dbo.a,b,dbo.c is split at
      // each comma outside brackets (splitTableList), so dbo.a,b must be given as dbo.[a,b]
      if (!m.found) throw new InputError(m.ambiguous ? 'INPUT_AMBIGUOUS_NAME' : 'INPUT_UNKNOWN_TABLE', `tableOrder.${i} '${t}' ${m.ambiguous ? `matches ${m.ambiguous.map(tableNameText).join(' and ')}, which differ only in letter case: give it in its exact case` : `names no table of job ${jobId} (its tables: ${tableListText(all)})${unknownTableHint(t, all)}`}`, { field: `tableOrder.${i}`, table: t });
      const dst = mapped(m.found);
      if (!named.includes(dst)) named.push(dst);
    });
    for (let i = 0; i < named.length; i++) for (let j = i + 1; j < named.length; j++) edges.push({ name: `tableOrder ${i}<${j}`, parent: named[i]!, child: named[j]! });
    orderGiven = true;
  }
  // no target and no tableOrder: the source's own foreign keys order the tables parents first
  let orderFromSource = false;
  if (!o.withTarget && !orderGiven) {
    for (const l of layouts) {
      for (const k of l.foreignKeys ?? []) {
        const child = mapped(stagedTableName(l));
        const parent = mapped(stagedTableName({ schema: k.referencedSchema, name: k.referencedTable }));
        const self = k.referencedSchema === l.schema && k.referencedTable === l.name;
        edges.push({ name: k.name, child, parent, ...(self ? { columns: k.columns.map((c, i) => ({ child: c, parent: k.referencedColumns[i]! })) } : {}) });
        orderFromSource = true;
      }
    }
  }
  // tableOrder given, no target: the source's foreign keys (when its catalog was read) still speak.
  // A table's reference to itself orders its rows (managers before their reports), which the
  // given order, of tables, says nothing about: it was dropped with the rest of the source's keys.
  // One between two tables that the given order puts child first is said as a WARNING in the head
  // (its INSERTs fail, Msg 547, unless the parents are in the target already): the head said the
  // foreign keys were not read, of a catalog read.
  // A key between two tables not both named in tableOrder orders them parents first too, unless it
  // would go against the given order (through the source's other keys: a cycle): the tables it did
  // not name were placed by name, and dbo.Order Details came before dbo.Orders (FK_Order_Details_Orders)
  // under tableOrder=dbo.Employees, said as 'tableOrder puts dbo.Order Details before dbo.Orders'.
  const orderAgainstSource: OrderAgainstSource[] = [];
  let sourceKeysRead = false;
  if (!o.withTarget && orderGiven) {
    const isNamed = new Set(named);
    // the tables the plan may hold, with the edges that order them so far (tableOrder's)
    const inPlan = new Set([...o.rowTables.map(mapped), ...named]);
    const after = new Map<string, Set<string>>();
    const edge = (p: string, c: string) => { if (!after.has(p)) after.set(p, new Set()); after.get(p)!.add(c); };
    for (const k of [...o.fks, ...edges]) edge(k.parent, k.child);
    const reaches = (from: string, to: string): boolean => {
      const seen = new Set<string>([from]);
      const todo = [from];
      while (todo.length) {
        const t = todo.pop()!;
        if (t === to) return true;
        for (const c of after.get(t) ?? []) if (!seen.has(c)) { seen.add(c); todo.push(c); }
      }
      return false;
    };
    for (const l of layouts) {
      if (l.foreignKeys !== undefined) sourceKeysRead = true;
      for (const k of l.foreignKeys ?? []) {
        const child = mapped(stagedTableName(l));
        const parent = mapped(stagedTableName({ schema: k.referencedSchema, name: k.referencedTable }));
        if (k.referencedSchema === l.schema && k.referencedTable === l.name) {
          edges.push({ name: k.name, child, parent, columns: k.columns.map((c, i) => ({ child: c, parent: k.referencedColumns[i]! })) });
          continue;
        }
        const given = isNamed.has(child) && isNamed.has(parent);
        if (!given && child !== parent && inPlan.has(child) && inPlan.has(parent) && !reaches(child, parent)) {
          edges.push({ name: k.name, child, parent });
          edge(parent, child);
        }
        orderAgainstSource.push({ name: k.name, child, parent, given, childSource: stagedTableName(l), parentSource: stagedTableName({ schema: k.referencedSchema, name: k.referencedTable }) });
      }
    }
  }
  return { edges, orderGiven, orderFromSource, sourceKeysRead, orderAgainstSource };
}

/** A key of a foreign key as one row holds it, as text: equal texts, one key; undefined when a column is NULL or absent. */
export type ReferenceKeyFn = (values: Record<string, unknown> | null | undefined, columns: readonly string[]) => string | undefined;

/**
 * How the referenced key of a foreign key compares, for matching a staged row's values (JSON
 * values by column name) to the row it references: `(values, columns) => text`, equal texts for
 * keys SQL Server takes as equal; undefined when a column is NULL or absent (such a row references
 * nothing: the foreign key is not checked, Microsoft Learn "Primary and foreign key constraints").
 * `columns` are the row's own columns in the order of `referencedColumns` (the child's, or the
 * referenced table's own). A text column (one with a collation in `parent`, the referenced table's
 * layout) compares as its collation does (key-fold.ts sameKeyText: letter case unless _CS or _BIN,
 * accents under a Latin1_General _AI collation, trailing spaces always ignored; under a Turkish or
 * Azeri case-insensitive collation 'I' is the capital of 'ı' and 'İ' of 'i', so 'I' and 'i' are two
 * keys: Microsoft, Qingsong Yao, "Introduce the Turkish I issue", 2009); other values exactly.
 * Without the layout, exactly. Two texts give one text only when SQL Server surely takes them as one
 * key (referenceKeys `same`); `maybe` gives one text for every pair it may take as one. The notes
 * about referenced rows the script leaves out compared keys exactly: under a case-insensitive
 * collation an order's customer 'alfki' rejected beside an approved order of 'ALFKI' went unsaid.
 */
export function referenceKeyText(referencedColumns: readonly string[], parent: TableLayout | undefined): ReferenceKeyFn {
  return referenceKeys(referencedColumns, parent).same;
}

/**
 * A foreign key's referenced key as text, two ways (values and columns as referenceKeyText):
 * `same` gives two values one text only when the referenced column's collation surely takes them
 * as one key (referenceKeyText); `maybe` gives one text to every two values it may take as one
 * (more folds: key-fold.ts maybeKeyText), never two texts to values `same` makes one. The note about a referenced
 * row the script leaves out tells a child row's parent as planned by `same` (a parent folded into
 * another key hid the note: Turkish_CI_AS 'iLKER' planned stood for 'ILKER' rejected) and finds the
 * left-out parent by `maybe` (a fold not made hid it: 'ＡＬＦＫＩ' under a collation without _WS, 'JOSÉS'
 * under French_CI_AI), so a fold that is wrong adds a note, never hides one. A binary or varbinary
 * value (`0x…` hex) compares without its trailing zero bytes both ways, as `=` compares bytes; other
 * values exactly.
 */
export function referenceKeys(referencedColumns: readonly string[], parent: TableLayout | undefined): { same: ReferenceKeyFn; maybe: ReferenceKeyFn } {
  const columns = referencedColumns.map((c) => parent?.columns.find((x) => x.name === c));
  const folds = columns.map((c) => collationFolds(c?.collation));
  // binary and varbinary compare as `=` does, trailing zero bytes aside (key-fold.ts binaryKeyText)
  const bytes = columns.map((c) => c?.type === 'binary' || c?.type === 'varbinary');
  const keyFn = (text: (v: string, f: CollationFolds) => string): ReferenceKeyFn => (values, columns) => {
    const parts: unknown[] = [];
    for (let i = 0; i < columns.length; i++) {
      const v = values?.[columns[i]!];
      if (v === null || v === undefined) return undefined;
      const f = folds[i];
      parts.push(f && typeof v === 'string' ? text(v, f) : bytes[i] && typeof v === 'string' ? binaryKeyText(v) : v);
    }
    return JSON.stringify(parts);
  };
  return { same: keyFn((v, f) => `t:${sameKeyText(v, f)}`), maybe: keyFn((v, f) => `t:${maybeKeyText(v, f)}`) };
}
