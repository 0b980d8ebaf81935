/**
 * Two approved rows of one key with the same values (a row deleted, put back as it was and deleted
 * again: two deletes, one row) are one row to the plan, which leaves the second to the target's
 * conflict check (docs/service.md, REINSERT_DUPLICATE_KEY). In one batch of a run both were looked
 * for before either was inserted, so both were inserted: into a keyed SQL Server table the second
 * INSERT is refused by the key (Msg 2627) and the whole batch rolls back, again on every resume;
 * the SQLite stand-in, which has no key, took the row twice. Each row is now looked for just
 * before its own INSERT: the first goes in, the second is a conflict with it. SYNTHETIC values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planReinsert, type PlanInputRow } from '../../src/reinsert/plan.js';
import { runBatch, sharesKey } from '../../src/reinsert/execute.js';
import { FakeTarget, targetTables } from './fake-target.js';

describe('rows of one key in one batch', () => {
  let dir: string;
  let target: FakeTarget;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-same-key-')); target = new FakeTarget(join(dir, 'target.db'), targetTables()); });
  afterEach(() => { target.dispose(); rmSync(dir, { recursive: true, force: true }); });

  const row = (id: number, n: number, Id: number, Name: string): PlanInputRow => ({ id, table: 'dbo.T', lsn: `0000002a:00000100:${n.toString(16).padStart(4, '0')}`, values: { Id, Name } });

  it('the first goes in, the second is a conflict with it; other rows go in', async () => {
    const plan = planReinsert([row(1, 1, 7, 'hi'), row(2, 2, 8, 'x'), row(3, 3, 7, 'hi')], targetTables(), []);
    expect(plan.problems).toEqual([]);
    expect(plan.batches).toHaveLength(1);
    const s = await target.session();
    const outcome = await runBatch(s, 1, 'k1', plan.batches[0]!, {});
    expect(outcome.inserted).toEqual([1, 2]);
    expect(outcome.conflicts.map((c) => c.rowId)).toEqual([3]);
    expect(target.counts()).toEqual({ rows: 2, distinctRows: 2, duplicates: 0 });
    expect(sharesKey(plan.batches[0]!.rows)).toBe(true);
  });

  it('the bulk path (a batch at the threshold) goes row by row when two rows share a key', async () => {
    const rows = [row(1, 1, 7, 'hi'), row(2, 2, 8, 'x'), row(3, 3, 7, 'hi')];
    const plan = planReinsert(rows, targetTables(), []);
    const s = await target.session();
    let bulked = 0;
    const withBulk = { ...s, bulkInsert: async () => { bulked++; } };
    const outcome = await runBatch(withBulk, 1, 'k2', plan.batches[0]!, { bulkThreshold: 2 });
    expect(bulked).toBe(0);
    expect(outcome.inserted).toEqual([1, 2]);
    expect(outcome.conflicts.map((c) => c.rowId)).toEqual([3]);
    // distinct keys: the bulk load as before
    const plan2 = planReinsert([row(4, 4, 20, 'a'), row(5, 5, 21, 'b')], targetTables(), []);
    expect(sharesKey(plan2.batches[0]!.rows)).toBe(false);
    const s2 = await target.session();
    const out2 = await runBatch({ ...s2, bulkInsert: async () => { bulked++; } }, 1, 'k3', plan2.batches[0]!, { bulkThreshold: 2 });
    expect(bulked).toBe(1);
    expect(out2.inserted).toEqual([4, 5]);
  });
});
