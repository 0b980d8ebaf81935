/**
 * The review page (chromium), a row that conflicts on a unique index other than the key: its
 * detail said "conflict — existing row {…}", an existing row of another id, which read as a key
 * conflict the reviewer could not make sense of. It names the index now. The target's table has a
 * unique index on Name (the fake target enforces it); the row's Name is held by another row.
 * Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); ids and names are test data.
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

describeBrowser('review page: a conflict on a unique index other than the key', () => {
  let jobId: number;
  let runId: number;
  let target: FakeTarget;
  const targets: Record<string, ConfiguredTargetSpec> = { crm: { connectionString: 'Server=crm-sql;User Id=rb;Password=s3cret-crm;Database=CRM' } };
  const desk = reviewDesk('rowback-e2e-unique-conflict-', {
    stage: ({ store, dir }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      jobId = stagedJob(store, [1, 2].map((i) => ({ ...base0, lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Name: `contact ${i}` } })), { layouts: [LAYOUTS['dbo.T']!] });
      target = new FakeTarget(join(dir, 'crm-target.db'), new Map([['dbo.T', { ...fromLayout(LAYOUTS['dbo.T']!), uniqueKeys: [{ name: 'UX_T_Name', columns: ['Name'] }] }]]), [], [{ table: 'dbo.T', name: 'UX_T_Name', columns: ['Name'] }]);
      // re-created under another id with the same name after the delete
      target.seed('dbo.T', [40], { Id: 40, Name: 'contact 1' });
    },
    app: () => ({ targets, connectTarget: () => target }),
    before: async ({ app, reviewer, operator }) => {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
      const r = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth(operator), payload: { dryRun: false, targetName: 'crm' } });
      expect(r.statusCode, r.body).toBe(202);
      runId = r.json().id;
      await app.reinsert.wait(runId);
      expect(app.reinsert.getRun(runId)!.outcomes).toEqual({ inserted: 1, conflict: 1, error: 0 });
    },
  });

  it("the row's detail names the index the existing row holds its value of", async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(2);
    await page.locator('#grid-body tr').first().click();
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toMatch(/· conflict$/);
    const notes = await page.locator('#detail-notes li').allTextContents();
    expect(notes.filter((n) => n.startsWith(`re-insert run ${runId}: conflict`))).toEqual([`re-insert run ${runId}: conflict — its value of unique index UX_T_Name (Name) is held by the existing row {"Id":40,"Name":"contact 1"}`]);
  }, 60_000);

  // a conflict row decided again (the DBA removed the row in the way, or sends it to a side table):
  // no decision changed it before; the page now says what a run does with it beside "Approved 1 row(s)"
  it('the conflict row approved again by selection: the line says it was a conflict and what a run does with it', async () => {
    const { page, base, reviewer } = desk;
    // signed in by the test before when run with it (the token is kept for the tab), else now
    await page.goto(base + '/');
    await page.locator(`#token:visible, #job-list li[data-job="${jobId}"]`).first().waitFor({ timeout: 15_000 });
    if (await page.locator('#token').isVisible()) await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(2);
    const conflictRow = desk.store.listRows(jobId, { status: 'conflict' }, { limit: 5 }).items.map((r) => r.id);
    expect(conflictRow).toHaveLength(1);
    await page.locator(`#grid-body input[data-row="${conflictRow[0]}"]`).check();
    await page.locator('#reason').fill('stub removed in the target by hand');
    await page.locator('#approve-selected').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved 1 row\(s\) \(decision #\d+\)\. 1 of the rows approved was a conflict/);
    expect(await page.locator('#decision-msg').getAttribute('class')).toContain('warned');
    expect(desk.store.getRow(jobId, conflictRow[0]!)!.status).toBe('approved');
  }, 60_000);
});
