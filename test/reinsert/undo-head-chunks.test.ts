/**
 * An undo script's head comes in chunks: a real run of mostly conflicts has a NOT TOUCHED line per
 * row it did not insert, and renderUndoScriptChunks wrote all of them in one step before its first
 * chunk, while the service's cooperative writer of the run's undo (service.ts, at the run's end)
 * waited for a turn. SYNTHETIC rows on the staging fixtures' dbo.T layout.
 */
import { expect, it } from 'vitest';
import { planReinsert, renderUndoScript, renderUndoScriptChunks, UNDO_HEAD_LINES } from '../../src/reinsert/plan.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { LAYOUTS } from '../staging/fixtures.js';

it('12,000 rows not touched by the run: the head is several chunks of at most UNDO_HEAD_LINES lines, the script unchanged', () => {
  const n = 12_000;
  const rows = Array.from({ length: n }, (_, i) => ({ id: i + 1, table: 'dbo.T', lsn: `0000002a:${(0x100 + i).toString(16).padStart(8, '0')}:0001`, values: { Id: i + 1, Name: `contact ${i + 1}` }, operation: 'delete' as const }));
  const plan = planReinsert(rows, new Map([['dbo.T', fromLayout(LAYOUTS['dbo.T']!)]]), []);
  expect(plan.problems).toEqual([]);
  const inserted = new Set([1, 2, 3]);
  const notTouched = new Map(rows.filter((r) => !inserted.has(r.id)).map((r) => [r.id, 'its key already existed in the target (conflict)'] as const));
  const o = { rowIds: inserted, notTouched };
  const chunks = [...renderUndoScriptChunks(plan, o)];
  const head = chunks.findIndex((c) => c.includes('BEGIN TRANSACTION;'));
  // 11,997 NOT TOUCHED lines: at least 5 chunks before the one that begins the transaction
  expect(head).toBeGreaterThanOrEqual(Math.floor((n - inserted.size) / UNDO_HEAD_LINES) - 1);
  for (const c of chunks.slice(0, head)) expect(c.split('\n').length).toBeLessThanOrEqual(UNDO_HEAD_LINES);
  const script = chunks.join('\n');
  expect(script).toBe(renderUndoScript(plan, o));
  expect(script.match(/^-- NOT TOUCHED: row \d+ /gm)).toHaveLength(n - inserted.size);
  expect(script).toContain('-- NOT TOUCHED: row 12000 (dbo.T, LSN 0000002a:00002fdf:0001): its key already existed in the target (conflict)');
});
