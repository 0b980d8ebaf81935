/**
 * The display twins of the table names the re-insert answers carry raw, for the review page's
 * sentences: a name as one T-SQL name (util/tsql.ts tableNameText: `recovery.[Trail Back, x]`, a
 * line break `\u{a}`), computed here as `where` is for skipped items (api/skipped-where.ts), so the
 * page needs no copy of the notation. The raw fields (`table`, `sideTable`) are kept as they were.
 */
import { identifierText } from '../util/identifier-text.js';
import { tableNameText } from '../util/tsql.js';

/**
 * `sideTables` (a run's, RunRecord.sideTables: `{table, …}`) with each entry's `tableText` added.
 * The page wrote `10 into side table recovery.Trail Back, x: those rows stay approved`, a name with
 * a comma read as two tables. Pure.
 */
export function withSideTableText<T extends { table: string }>(sideTables: readonly T[]): Array<T & { tableText: string }> {
  return sideTables.map((s) => ({ ...s, tableText: tableNameText(s.table) }));
}

/**
 * A row's detail (`GET /api/jobs/:id/rows/:rowId`): its `tableText` and each re-insert outcome's
 * `sideTableText` (null for its own table), which the page's notes name (`put into side table …:
 * the row stays approved, not back in …`). Pure.
 */
export function withRowTableText<R extends { table: string; reinsert: ReadonlyArray<{ sideTable: string | null }> }>(row: R): Omit<R, 'reinsert'> & { tableText: string; reinsert: Array<R['reinsert'][number] & { sideTableText: string | null }> } {
  return { ...row, tableText: tableNameText(row.table), reinsert: row.reinsert.map((o) => ({ ...o, sideTableText: o.sideTable === null ? null : tableNameText(o.sideTable) })) };
}

/**
 * A job answer (`GET /api/jobs`, `GET /api/jobs/:id`, the job a create returns) with its
 * `sourceDatabase.nameText`: the database's name as one name (identifierText: `[CRM Side]`, the REAL
 * corpus files' `[F:\MVC LEARNNG\…\DATABASE1.MDF]`, a line break `\u{a}`; null when the source
 * states no name), which the review page's progress line writes (`read from database …`), where it
 * wrote the raw name. `sourceDatabase` null stays null. Pure.
 */
export function withSourceDatabaseText<J extends { sourceDatabase: { name: string | null } | null }>(job: J): Omit<J, 'sourceDatabase'> & { sourceDatabase: (NonNullable<J['sourceDatabase']> & { nameText: string | null }) | null } {
  const d = job.sourceDatabase;
  return { ...job, sourceDatabase: d === null ? null : { ...d, nameText: d.name === null ? null : identifierText(d.name) } };
}
