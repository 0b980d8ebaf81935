/**
 * The review page (chromium), a run into a side table whose name is no regular identifier
 * (`dbo.[T check, x]`): the row's detail, the runs table and the run's status name it as one T-SQL
 * name, from the answers' tableText / sideTableText (api/table-text-fields.ts). The page wrote the
 * raw `schema.name`: `4 into side table dbo.T check, x: those rows stay approved` read as two
 * tables (wt-AV's left-out). Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts);
 * the side table's name SYNTHETIC.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import type { ConfiguredTargetSpec } from '../../src/api/targets.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { FakeTarget } from '../reinsert/fake-target.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a side table named with a space and a comma', () => {
  let jobId: number;
  let runId: number;
  let target: FakeTarget;
  const targets: Record<string, ConfiguredTargetSpec> = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM' } };
  const desk = reviewDesk('rowback-e2e-side-table-name-', {
    stage: ({ store, dir }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      jobId = stagedJob(store, [1, 2].map((i) => ({ ...base0, lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Name: `deleted ${i}` } })), { layouts: [LAYOUTS['dbo.T']!] });
      const t = fromLayout(LAYOUTS['dbo.T']!);
      target = new FakeTarget(join(dir, 'side-target.db'), new Map([['dbo.T', t], ['dbo.T check, x', { ...t, name: 'T check, x' }]]));
    },
    app: () => ({ targets, connectTarget: () => target }),
    before: async ({ app, reviewer, operator }) => {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
      const r = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth(operator), payload: { dryRun: false, targetName: 'side', tableMap: { 'dbo.T': 'dbo.[T check, x]' } } });
      expect(r.statusCode, r.body).toBe(202);
      runId = r.json().id;
      await app.reinsert.wait(runId);
      expect(app.reinsert.getRun(runId)!.outcomes.inserted).toBe(2);
    },
  });

  it("the row's detail, the runs table and the run's status name the side table as one name", async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(2);
    await page.locator('#grid-body tr').first().click();
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toMatch(/· approved$/);
    expect(await page.locator('#detail-notes li').allTextContents()).toContain(`re-insert run ${runId}: inserted (put into side table dbo.[T check, x]: the row stays approved, not back in dbo.T)`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator(`#runs tr[data-run="${runId}"] td`).nth(4).textContent(), { timeout: 15_000 }).toBe('side (side table dbo.[T check, x]: rows stay approved)');
    await page.locator(`#runs tr[data-run="${runId}"]`).click();
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 15_000 }).toBe('1 of 1 batch(es) done · 2 inserted · 0 conflict(s) · 0 error(s) · of the inserted, 2 into side table dbo.[T check, x]: those rows stay approved, not back in their own table (a run without that tableMap puts them back)');
  }, 60_000);
});
