/**
 * Which of the row decoder's warnings say a row does not fit the layout it was decoded with (a wrong
 * --ddl, another table's allocation unit, a table altered since): the scan's layout check
 * (recover/recover-rows.ts LayoutFitCheck) and the point-in-time replay (replay/point-in-time.ts)
 * judge rows by them.
 */
import { FIXED_PART_OVERRUN_WARNING, FIXED_SLOT_OF_LATER_COLUMN_WARNING, SPARSE_UNKNOWN_ID_WARNING, VAR_ENTRIES_BEYOND_LAYOUT_WARNING } from './fixedvar.js';
import { MOVED_COLUMN_WARNING, NVARCHAR_ONE_BYTE_WARNING, VALUE_LIMIT_WARNING, VARCHAR_NUL_WARNING } from './plan.js';

/** The warning of a row written before a column was added (record/plan.ts predatesColumn). */
export const PREDATES_WARNING = /is not in this record \(stored column count \d+/;

/**
 * The decoder's column-count drift warnings (record/fixedvar.ts, record/cd.ts): a record with more
 * columns than the layout, or fewer (the layout's later columns taken as added after the row).
 * Fewer is also what a row of *another, narrower table* looks like (AngularJs_CRUD: tblDept's
 * 3-column rows decoded with dbo.Employee's 4-column layout through a wrong --alloc-unit print
 * plausible values with only this warning), so both count against the layout. So does a value
 * beyond its column's declared size (record/plan.ts checkValueLimits: varchar(5) holding 16
 * characters is not a row of this layout), and a fixed part longer than the layout's fixed columns
 * (record/fixedvar.ts fixedPartOverrun: a CREATE TABLE script of a table with a dropped or altered
 * column reads fixed values from other columns' bytes; a DDL declaring SMALLINT for an INT key
 * printed every row's later fixed columns shifted), NUL characters in a varchar (nvarchar text
 * under a varchar layout), and a missing column while the record holds a column an ALTER COLUMN
 * dropped when it moved a column to a new slot (record/plan.ts movedColumnClause: the value may be
 * in the old slot, not NULL or the default), and more variable-length entries than the layout has
 * variable-length columns (record/fixedvar.ts varEntriesBeyondLayout: a layout declaring fewer
 * variable-length columns and more fixed ones, whose column count and fixed part still agree, or
 * an entry in the slot of a column the row predates), and a fixed part holding the slot of a column
 * the row predates (fixedvar.ts fixedSlotsOfLaterColumns).
 */
export const DRIFT_WARNINGS = [/^record holds \d+ columns but the layout knows \d+/, PREDATES_WARNING, MOVED_COLUMN_WARNING, VALUE_LIMIT_WARNING, FIXED_PART_OVERRUN_WARNING, VARCHAR_NUL_WARNING, NVARCHAR_ONE_BYTE_WARNING, SPARSE_UNKNOWN_ID_WARNING, VAR_ENTRIES_BEYOND_LAYOUT_WARNING, FIXED_SLOT_OF_LATER_COLUMN_WARNING];

/** Does one of a row's warnings count against its layout (DRIFT_WARNINGS: column-count drift, a value beyond its column's declared size, a fixed part longer than the layout's fixed columns, NUL in a varchar)? */
export function hasDriftWarning(warnings: readonly string[]): boolean {
  return driftKind(warnings) !== 0;
}

/**
 * 0: no warning counts against the layout; 1: only "row predates the column" ones (the table gained
 * columns after the row: the case `--accept-layout-drift` is for); 2: another one (more columns than
 * the layout, a value beyond its type, a fixed part past the layout's, NUL in a varchar), which
 * columns added after the row do not explain.
 */
export function driftKind(warnings: readonly string[]): 0 | 1 | 2 {
  let kind: 0 | 1 | 2 = 0;
  for (const w of warnings) {
    for (const re of DRIFT_WARNINGS) {
      if (!re.test(w)) continue;
      if (re !== PREDATES_WARNING) return 2;
      kind = 1;
    }
  }
  return kind;
}
