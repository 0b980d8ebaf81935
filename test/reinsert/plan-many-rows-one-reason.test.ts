import { expect, it } from 'vitest';
import { problemSummary, type PlanProblem } from '../../src/reinsert/plan.js';

/**
 * A plan's per-code lists were copied whole at each row (`[...(m.get(k) ?? []), v]`): quadratic in
 * the rows sharing a code, reason or table. 40,000 rows of one problem code took 9.9 s in
 * problemSummary alone, synchronously, and a dry run or SQL export of a restore job of 200,000 rows
 * staged as inserts (REINSERT_NOT_A_DELETE each) held the service's event loop for minutes, every
 * other request waiting. Here 200,000 problems of one code: milliseconds now; the old code does not
 * finish within the test's timeout (its 200,000 copies of up to 200,000 ids). SYNTHETIC problems.
 */
it('200,000 rows of one problem code: one header line naming them all, in linear time', () => {
  const n = 200_000;
  const problems: PlanProblem[] = Array.from({ length: n }, (_, i) => ({ rowId: i + 1, lsn: '00000019:00000084:0001', table: 'dbo.steps', code: 'REINSERT_NOT_A_DELETE', message: `row ${i + 1} was recovered from an insert, not a delete` }));
  problems.push({ rowId: n + 5, lsn: '00000019:00000084:0002', table: 'dbo.steps', code: 'REINSERT_DUPLICATE_KEY', message: 'x' });
  const lines = problemSummary(problems);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^WARNING: 200000 row\(s\) not re-inserted \(REINSERT_NOT_A_DELETE: recovered from an update or insert, not a delete; .*\): rows 1-200000; each is listed below with the reason$/);
  expect(lines[1]).toBe('WARNING: 1 row(s) not re-inserted (REINSERT_DUPLICATE_KEY): rows 200005; each is listed below with the reason');
}, 20_000);
