/**
 * The review page (chromium), a run into a side table whose name is no regular identifier
 * (`dbo.[T check, x]`): the row's detail, the runs table and the run's status name it as one T-SQL
 * name, from the answers' tableText / sideTableText (api/table-text-fields.ts). The page wrote the
 * raw `schema.name`: `4 into side table dbo.T check, x: those rows stay approved` read as two
 * tables (wt-AV's left-out). Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts);
 * the side table's name SYNTHETIC.
 */
import { expect, it } from 'vitest';
import { sideTableRunDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a side table named with a space and a comma', () => {
  const { desk, ids } = sideTableRunDesk('rowback-e2e-side-table-name-', { rows: 2, sideName: 'T check, x', sideMap: 'dbo.[T check, x]' });

  it("the row's detail, the runs table and the run's status name the side table as one name", async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${ids.jobId}"]`).click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(2);
    await page.locator('#grid-body tr').first().click();
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toMatch(/· approved$/);
    expect(await page.locator('#detail-notes li').allTextContents()).toContain(`re-insert run ${ids.runId}: inserted (put into side table dbo.[T check, x]: the row stays approved, not back in dbo.T)`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator(`#runs tr[data-run="${ids.runId}"] td`).nth(4).textContent(), { timeout: 15_000 }).toBe('side (side table dbo.[T check, x]: rows stay approved)');
    await page.locator(`#runs tr[data-run="${ids.runId}"]`).click();
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 15_000 }).toBe('1 of 1 batch(es) done · 2 inserted · 0 conflict(s) · 0 error(s) · of the inserted, 2 into side table dbo.[T check, x]: those rows stay approved, not back in their own table (a run without that tableMap puts them back)');
  }, 60_000);
});
