import { describe, expect, it } from 'vitest';
import { planReinsert } from '../../src/reinsert/plan.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * An int value into a smallint or tinyint target column (a column altered since, a narrower side
 * table) was planned: the script's `DECLARE @p tinyint = 300` stops with Msg 220 (arithmetic
 * overflow) and the driver refuses the parameter, failing the row's whole batch on every resume. It
 * is now a row problem (REINSERT_BAD_VALUE) naming the range, as an over-long string is. SYNTHETIC.
 */
const col = (type: TargetColumn['type'], name = 'Qty'): TargetColumn => ({ name, type, maxLength: 4, precision: 10, scale: 0, nullable: true, identity: false, computed: false });
const message = (f: () => unknown): string => {
  try { f(); } catch (e) { return `${(e as { code: string }).code}: ${(e as Error).message}`; }
  throw new Error('not refused');
};

describe('re-insert: integers out of the target column type range', () => {
  it('tinyint, smallint, int and bigint bounds', () => {
    expect(message(() => planParam(col('tinyint'), 300))).toBe('REINSERT_BAD_VALUE: column Qty (tinyint) holds 0 to 255: 300 does not fit, and its INSERT would fail (arithmetic overflow, Msg 220 or 8115) with its whole batch: re-insert the row into a column of a wider integer type (a side table, tableMap)');
    expect(message(() => planParam(col('tinyint'), -1))).toContain('holds 0 to 255: -1 does not fit');
    expect(message(() => planParam(col('smallint'), 40000))).toContain('holds -32768 to 32767: 40000 does not fit');
    expect(message(() => planParam(col('int'), 2147483648))).toContain('holds -2147483648 to 2147483647');
    expect(message(() => planParam(col('bigint'), '9223372036854775808'))).toContain('(bigint) holds -9223372036854775808 to 9223372036854775807');
    expect(planParam(col('tinyint'), 255).value).toBe(255);
    expect(planParam(col('smallint'), -32768).value).toBe(-32768);
    expect(planParam(col('bigint'), '-9223372036854775808').value).toBe('-9223372036854775808');
  });

  it('a row problem in the plan, the other rows planned', () => {
    const t: TargetTable = { schema: 'dbo', name: 'Lines', keyColumns: ['Id'], columns: [col('int', 'Id'), col('tinyint')] };
    const plan = planReinsert([
      { id: 1, table: 'dbo.Lines', lsn: '0000002a:000001f0:0003', values: { Id: 1, Qty: 300 } },
      { id: 2, table: 'dbo.Lines', lsn: '0000002a:000001f0:0004', values: { Id: 2, Qty: 3 } },
    ], new Map([['dbo.Lines', t]]), []);
    expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_BAD_VALUE']]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([2]);
  });
});
