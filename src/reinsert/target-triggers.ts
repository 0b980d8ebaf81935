import type { TargetTable } from './target-table.js';
import { quoteName, stagedTableName } from '../util/tsql.js';

/**
 * INSTEAD OF triggers on the target tables, read from the target's catalog so that the planner can
 * refuse what such a trigger would make untrue.
 *
 * What SQL Server does (Microsoft Learn, CREATE TRIGGER): an INSTEAD OF trigger "specifies that the
 * DML trigger launches *instead of* the triggering SQL statement, thus, overriding the actions of
 * the triggering statements". rowback's INSERT of a recovered row into a table with an enabled
 * INSTEAD OF INSERT trigger runs the trigger's body instead: it may insert the row changed, into
 * another table, or not at all, and the statement still succeeds, so the run recorded the row as put
 * back (the row ledger, the row's status `reinserted`) whatever the trigger did. Such a row is
 * refused (plan.ts: REINSERT_INSTEAD_OF_TRIGGER), naming the trigger and the ways on: disable it for
 * the re-insert (ALTER TABLE … DISABLE TRIGGER …, ENABLE after), or re-insert into a side table.
 * The same holds for the undo's DELETE (an INSTEAD OF DELETE trigger): said in the undo script's head
 * when read, and looked for by every undo where it runs (plan.ts insteadOfInsertGuard, 'DELETE').
 * AFTER triggers run after the row is in (the row is as rowback sent it), but they run: an enabled
 * AFTER INSERT trigger is read with them (TargetTable.afterInsertTriggers), not refused (it is
 * usually how the rows went in the first time) but named in the script's head and the run's summary,
 * for what it writes elsewhere for each row put back. AFTER DELETE triggers are the undo's to look
 * for where it runs (plan.ts afterDeleteGuard), and it stops there.
 *
 * Catalog facts (Microsoft Learn): sys.triggers (`parent_class` 1 = a trigger on an object, a table
 * or view; `parent_id` its object; `is_instead_of_trigger`; `is_disabled`), sys.trigger_events (one
 * row per event a trigger fires on: `type` 1 = INSERT, 3 = DELETE, as sys.events lists them). Both
 * exist since SQL Server 2005.
 *
 * What the login may see (Microsoft Learn, "Metadata visibility configuration"): catalog views show
 * only what it owns or holds some permission on, and a trigger's visibility is its table's
 * ("Visibility of subcomponent metadata"). The run reads the columns (mssql-target.ts
 * targetColumnsSql, through sys.tables) and the triggers with the same login: a table it does not
 * see has no columns read and its rows are refused as of no such table (REINSERT_UNKNOWN_TABLE),
 * and a table it sees has its triggers seen, so "none read" is none there. The scripts, run later
 * by whoever runs them, check the same where they run (plan.ts tableVisibleGuard).
 */

/** The enabled INSTEAD OF triggers of one target table, by event (trigger names, sorted). */
export interface InsteadOfTriggers {
  insert: string[];
  delete: string[];
}

/** A row of targetInsteadOfTriggersSql. */
export interface TriggerRow {
  schema: string;
  table: string;
  trigger: string;
  /** sys.trigger_events.type: 1 = INSERT, 3 = DELETE. */
  event_type: number;
  /**
   * sys.triggers.is_instead_of_trigger (bit: true/1 INSTEAD OF, false/0 AFTER). Absent: INSTEAD OF
   * (the query read only those before AFTER INSERT triggers were read too).
   */
  instead_of?: boolean | number;
}

/**
 * The enabled INSTEAD OF INSERT, INSTEAD OF DELETE and AFTER INSERT triggers of the named tables
 * (`count` names: `@n0, @n1, …`, each `schema.name` as nvarchar, as mssql-target.ts
 * targetColumnsSql takes them): one row per trigger and event, `instead_of` telling which kind. No OPENJSON, CONCAT or STRING_AGG: it runs on every version since
 * 2005 and under any compatibility level.
 */
export function targetInsteadOfTriggersSql(count: number): string {
  const names = Array.from({ length: count }, (_, i) => `@n${i}`).join(', ');
  return `
SELECT s.name AS [schema], t.name AS [table], tr.name AS [trigger], te.type AS event_type, tr.is_instead_of_trigger AS instead_of
FROM sys.triggers tr
JOIN sys.trigger_events te ON te.object_id = tr.object_id AND te.type IN (1, 3)
JOIN sys.tables t ON t.object_id = tr.parent_id
JOIN sys.schemas s ON s.schema_id = t.schema_id
WHERE tr.parent_class = 1 AND tr.is_disabled = 0 AND (tr.is_instead_of_trigger = 1 OR te.type = 1)
  AND s.name + N'.' + t.name IN (${names})
ORDER BY s.name, t.name, tr.name;`;
}

/**
 * Sets `insteadOfTriggers` and `afterInsertTriggers` on every table of `tables` (tablesFromCatalog's
 * map, by `schema.name`) from targetInsteadOfTriggersSql's rows: `{insert: [], delete: []}` and `[]`
 * for a table with none, so that "read, none" differs from "not read" (absent). Rows of a table not
 * in the map are ignored, and so is an AFTER DELETE row (the query reads none).
 */
export function insteadOfTriggersFromCatalog(tables: Map<string, TargetTable>, rows: readonly TriggerRow[]): void {
  for (const t of tables.values()) {
    t.insteadOfTriggers = { insert: [], delete: [] };
    t.afterInsertTriggers = [];
  }
  for (const r of rows) {
    const t = tables.get(stagedTableName({ schema: r.schema, name: r.table }));
    if (!t || t.schema !== r.schema || t.name !== r.table) continue;
    const insteadOf = r.instead_of === undefined || r.instead_of === true || Number(r.instead_of) === 1;
    const type = Number(r.event_type);
    const list = !insteadOf ? (type === 1 ? t.afterInsertTriggers! : null) : type === 1 ? t.insteadOfTriggers!.insert : type === 3 ? t.insteadOfTriggers!.delete : null;
    if (list && !list.includes(r.trigger)) list.push(r.trigger);
  }
  for (const t of tables.values()) {
    t.insteadOfTriggers!.insert.sort();
    t.insteadOfTriggers!.delete.sort();
    t.afterInsertTriggers!.sort();
  }
}

/**
 * The refusal of a row whose target table `t` has enabled INSTEAD OF INSERT triggers (null when it
 * has none, or they were not read): the sentence names the table and each trigger, quoted as T-SQL
 * names, with the statements that disable and re-enable them.
 */
export function insteadOfInsertRefusal(t: TargetTable): string | null {
  const names = t.insteadOfTriggers?.insert ?? [];
  if (!names.length) return null;
  const table = `${quoteName(t.schema)}.${quoteName(t.name)}`;
  const list = names.map(quoteName).join(', ');
  return `${table} has ${names.length === 1 ? 'an enabled INSTEAD OF INSERT trigger' : `${names.length} enabled INSTEAD OF INSERT triggers`} (${list}): SQL Server runs ${names.length === 1 ? 'it' : 'them'} in place of rowback's INSERT, which may put the row in changed, elsewhere or not at all while the run records it as put back; disable ${names.length === 1 ? 'it' : 'them'} for the re-insert (ALTER TABLE ${table} DISABLE TRIGGER ${list}; ENABLE TRIGGER after), or re-insert into a side table (tableMap)`;
}
