/**
 * `GET /api/reinsert-runs/:runId` gave a run's outcome per row as `rows`, the first 1,000 by row id,
 * and said nothing of the rest: a run of 1,200 rows showed 1,000 outcomes, its later conflicts and
 * errors missing without a word. It now says where the next page starts (`rowsNext`, the
 * `rowsAfter` of the next page; null at the end), and the pages hold every outcome once. Rows: real
 * corpus row images (test/staging/fixtures.ts) into the SQLite stand-in target.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';
import { FakeTarget, targetTables } from '../../reinsert/fake-target.js';

describe('a run\'s row outcomes, page by page', () => {
  let t: TestApp;
  let target: FakeTarget;
  beforeEach(async () => {
    t = await testApp({ connectTarget: () => target, rows: { rows: 7200 }, maxAuthFailures: 1000 });
    target = new FakeTarget(join(t.dir, 'target.db'), targetTables());
  });
  afterEach(async () => { await t.close(); target.dispose(); });

  it('rowsNext pages through every outcome once', async () => {
    const jobId = await fakeFilesJob(t);
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.LogTestTrailNull' } } });
    const start = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=db1;Database=CRM;User Id=sa;Password=x' } } });
    expect(start.statusCode).toBe(202);
    const runId = start.json().id as number;
    let run: { state: string; plannedRows: number };
    for (;;) {
      run = (await t.app.inject({ url: `/api/reinsert-runs/${runId}`, headers: bearer(t.tokens.viewer) })).json();
      if (run.state !== 'running' && run.state !== 'planned') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(run.state).toBe('succeeded');
    expect(run.plannedRows).toBe(1200);
    const seen: number[] = [];
    let after = 0;
    for (let n = 0; n < 10; n++) {
      const r = await t.app.inject({ url: `/api/reinsert-runs/${runId}${after ? `?rowsAfter=${after}` : ''}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode).toBe(200);
      const page = r.json() as { rows: { rowId: number; outcome: string }[]; rowsNext: number | null };
      expect(page.rows.length).toBeLessThanOrEqual(1000);
      seen.push(...page.rows.map((o) => o.rowId));
      if (page.rowsNext === null) break;
      expect(page.rowsNext).toBe(page.rows[page.rows.length - 1]!.rowId);
      after = page.rowsNext;
    }
    expect(seen).toHaveLength(1200);
    expect(new Set(seen).size).toBe(1200);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    const bad = await t.app.inject({ url: `/api/reinsert-runs/${runId}?rowAfter=5`, headers: bearer(t.tokens.viewer) });
    expect(bad.statusCode).toBe(400);
  }, 60_000);
});
