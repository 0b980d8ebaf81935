import { tableText } from '../../util/tsql.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import { parseBeginTime } from '../begin-time.js';

/**
 * Schema drift: the live catalog describes tables as they are *now*. If a table was altered
 * after the rows were deleted, its current layout may not fit the old row images. SQL Server
 * moves sys.objects.modify_date on every ALTER TABLE (and on index changes), so a modify_date
 * at or after a transaction's begin time means the layout may have changed since. rowback
 * cannot reconstruct the earlier layout from the catalog, so it refuses, and says how to
 * decode anyway (give the layout in force with --schema/--ddl).
 */

/** sys.objects.modify_date via CONVERT(…, 126) omits a zero fraction; pad to `.fff` for comparison. */
export function normaliseModifyDate(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (!m) return null;
  return `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/** The table's modify_date when it is at or after `since` (both server local time), else null. */
export function driftSince(table: TableLayout, since: string): string | null {
  if (!table.modifyDate) return null;
  const modified = normaliseModifyDate(table.modifyDate);
  return modified !== null && modified >= since ? modified : null;
}

/**
 * Whether a row's table may have been altered since its transaction wrote it: `table`'s modify_date at
 * or after the transaction's Begin Time (`beginTime`, fn_dblog's form) — or, its LOP_BEGIN_XACT not in
 * the log read (`beginTime` null), at or after its commit's End Time (`endTime`): it began before it,
 * and an ALTER TABLE (Sch-M) waits for the locks the transaction holds on the table until it commits,
 * so a change before that End Time was made before the transaction touched the table. Returns the
 * normalised modify_date and the time it is compared with as said in driftExplanation (`since`: ISO
 * local time, the End Time with why it stands in), or null: no drift, or neither time known. Before,
 * a transaction without a Begin Time was not checked at all, and its rows were decoded with a layout
 * changed after they were deleted. Throws InputError INPUT_BAD_TIME for a time not of fn_dblog's form.
 */
export function transactionDrift(table: TableLayout, beginTime: string | null, endTime: string | null): { modified: string; since: string } | null {
  if (beginTime !== null) {
    const began = parseBeginTime(beginTime);
    const modified = driftSince(table, began);
    return modified ? { modified, since: began } : null;
  }
  if (endTime === null) return null;
  const ended = parseBeginTime(endTime, 'End Time');
  const modified = driftSince(table, ended);
  return modified ? { modified, since: `${ended} (the commit of its transaction, whose LOP_BEGIN_XACT is not in the log read)` } : null;
}

/**
 * The reason of a SOURCE_SCHEMA_DRIFT refusal or skipped row: `table` altered at `modified` (its
 * normalised modify_date), at or after `since` (--from, or the row's transaction's begin; both the
 * server's local time), what to give instead, and (a rebuild) what no layout brings back.
 */
export function driftExplanation(table: TableLayout, modified: string, since: string): string {
  return (
    `${tableText(table)} was altered at ${modified} (sys.objects.modify_date), at or after ${since}: ` +
    'its current columns may not be the ones the deleted rows were written with, so decoding them with the current layout ' +
    'could produce wrong values. Decode with the layout that was in force instead (--schema CATALOG.json saved before the change, ' +
    'or --ddl with the old CREATE TABLE). An index rebuild or creation also moves modify_date; if you know the columns did not change, ' +
    'the same --schema/--ddl route applies. A rebuild (ALTER INDEX … REBUILD, ALTER TABLE … REBUILD) also gives the table new allocation units, ' +
    'and rows deleted before it are on the earlier ones, which a live scan or an export does not read (--schema/--ddl do not bring them back; ' +
    'the scan says INCOMPLETE): scan the log offline (--trn/--ldf) with a data file or backup from before the change for those.'
  );
}
