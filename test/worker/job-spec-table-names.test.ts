/**
 * jobAllocUnitIds's refusals (a job's metadata.allocUnits) name each table as one T-SQL name
 * (util/tsql.ts tableNameText, tableListText): they wrote the staged `schema.name` bare, so the
 * tables `dbo.a,b` and `dbo.Order Lines` listed as `dbo.a,b, dbo.Order Lines` read as three, and a
 * name holding a line break split the one-line refusal. The location's `table` keeps the name as
 * given. SYNTHETIC layouts.
 */
import { describe, expect, it } from 'vitest';
import { jobAllocUnitIds } from '../../src/worker/job-spec.js';
import type { RowbackError } from '../../src/errors.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

const l = (name: string): TableLayout => ({ schema: 'dbo', name, indexId: 1, compression: 'NONE', columns: [] });
const refusal = (f: () => unknown): { message: string; table: unknown } => {
  try { f(); } catch (e) { return { message: (e as Error).message, table: (e as RowbackError).location?.table }; }
  throw new Error('not refused');
};

describe('jobAllocUnitIds names tables as T-SQL names', () => {
  const layouts = [l('a,b'), l('Order Lines'), l('x\ny')];

  it('a table the metadata lacks: the name given and the tables it has, each one name', () => {
    expect(refusal(() => jobAllocUnitIds({ allocUnits: { 'dbo.No Such': '7' } } as never, layouts))).toEqual({
      message: "metadata.allocUnits.dbo.No Such: table dbo.[No Such] is not in the job's metadata; its tables: dbo.[a,b], dbo.[Order Lines], dbo.[x\\u{a}y]",
      table: 'dbo.No Such',
    });
  });

  it('one allocation unit given to two tables', () => {
    expect(refusal(() => jobAllocUnitIds({ allocUnits: { 'dbo.[x\ny]': '7', 'dbo.[Order Lines]': '07' } } as never, layouts)).message).toBe(
      'metadata.allocUnits.dbo.[Order Lines]: allocation unit 7 is given to both dbo.[x\\u{a}y] and dbo.[Order Lines]: an allocation unit belongs to one table',
    );
  });
});
