/**
 * planReinsertCooperatively took turns of the event loop while it added rows, then finished the
 * plan in one piece: each table's duplicate-key check (refuseSharedKeys, ~4 µs a row), the tables'
 * order and the batches. At 60,000 rows that held the service ~0.17 s after the reading. The
 * finish now pauses after each table's step and every 2,000 rows of the check (4 × `every`), and
 * makes the same plan as planReinsert. SYNTHETIC rows of the staging fixtures' dbo.T (key Id).
 */
import { expect, it } from 'vitest';
import { planReinsert, planReinsertCooperatively, type PlanInputRow } from '../../src/reinsert/plan.js';
import { targetTables } from './fake-target.js';

it('finishing the plan of 20,000 rows of one table takes turns of the event loop, and makes planReinsert\'s plan', async () => {
  const n = 20_000;
  const lsn = (i: number): string => `0000002a:${(0x100 + Math.floor(i / 0x1000)).toString(16).padStart(8, '0')}:${(i % 0x1000).toString(16).padStart(4, '0')}`;
  // rows 1-19,998 of their own key; the last two share key 7 with row 7, with other values
  const rows: PlanInputRow[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, table: 'dbo.T', lsn: lsn(i), values: { Id: i < n - 2 ? i + 1 : 7, Name: `name ${i}` } }));
  let turns = 0;
  let on = true;
  const tick = (): void => { if (on) { turns++; setImmediate(tick); } };
  setImmediate(tick);
  const plan = await planReinsertCooperatively(rows, targetTables(), [], {}, 500);
  on = false;
  // 40 while adding (a turn every 500 rows); while finishing, 10 in the duplicate-key check (every
  // 2,000 rows) and one after each of its two steps. The old finish: none.
  expect(turns).toBeGreaterThanOrEqual(n / 500 + n / 2000 + 2);
  expect(plan).toEqual(planReinsert(rows, targetTables(), []));
  expect(plan.problems.map((p) => [p.rowId, p.code])).toEqual([[7, 'REINSERT_DUPLICATE_KEY'], [19_999, 'REINSERT_DUPLICATE_KEY'], [20_000, 'REINSERT_DUPLICATE_KEY']]);
  expect(plan.batches.reduce((k, b) => k + b.rows.length, 0)).toBe(n - 3);
});
