/**
 * The review page (chromium), a run into a side table: its rows stay approved, and the page must not
 * read as if they were back in their own table. The row's detail said only "re-insert run N:
 * inserted", the run's status "4 inserted", the runs table the target's name: beside rows still
 * approved it read as rows put back, or as a run that did nothing.
 * Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); ids are test data.
 */
import { expect, it } from 'vitest';
import { sideTableRunDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a run into a side table', () => {
  const { desk, ids } = sideTableRunDesk('rowback-e2e-side-table-', { rows: 4, sideName: 'T_check', sideMap: 'dbo.T_check' });

  it("the row's detail and the run say the rows went into the side table and stay approved", async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${ids.jobId}"]`).click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(4);
    await page.locator('#grid-body tr').first().click();
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toMatch(/· approved$/);
    expect(await page.locator('#detail-notes li').allTextContents()).toContain(`re-insert run ${ids.runId}: inserted (put into side table dbo.T_check: the row stays approved, not back in dbo.T)`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator(`#runs tr[data-run="${ids.runId}"] td`).nth(4).textContent(), { timeout: 15_000 }).toBe('side (side table dbo.T_check: rows stay approved)');
    await page.locator(`#runs tr[data-run="${ids.runId}"]`).click();
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 15_000 }).toBe('1 of 1 batch(es) done · 4 inserted · 0 conflict(s) · 0 error(s) · of the inserted, 4 into side table dbo.T_check: those rows stay approved, not back in their own table (a run without that tableMap puts them back)');
  }, 60_000);

  it("after a run into the rows' own table, the side table's line no longer says the row stays approved", async () => {
    const { page, operator, app } = desk;
    // the side table's line said "the row stays approved, not back in dbo.T" beside the run that put it back
    const r = await app.inject({ method: 'POST', url: `/api/jobs/${ids.jobId}/reinsert`, headers: { authorization: `Bearer ${operator}` }, payload: { dryRun: false, targetName: 'side' } });
    expect(r.statusCode, r.body).toBe(202);
    const realId = r.json().id as number;
    await app.reinsert.wait(realId);
    expect(app.reinsert.getRun(realId)!.outcomes.inserted).toBe(4);
    // signed in by the test before: the page comes back to the job on a reload
    await page.reload();
    await page.locator(`#job-list li[data-job="${ids.jobId}"]`).click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(4);
    await page.locator('#grid-body tr').first().click();
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toMatch(/· reinserted$/);
    const notes = await page.locator('#detail-notes li').allTextContents();
    expect(notes).toContain(`re-insert run ${ids.runId}: inserted (put into side table dbo.T_check, not its own table dbo.T)`);
    expect(notes).toContain(`re-insert run ${realId}: inserted (into its own table dbo.T)`);
    expect(notes.join('\n')).not.toContain('stays approved');
  }, 60_000);

  it('a side-table run recorded before staging migration 12 (its outcomes name no side table) is still said to have gone into it', async () => {
    const { page, store } = desk;
    // what that build left: no side table on the outcomes; it had marked the rows reinserted (here the later run did)
    store.db.prepare('UPDATE reinsert_outcomes SET side_table = NULL WHERE run_id = ?').run(ids.runId);
    await page.reload();
    await page.locator(`#job-list li[data-job="${ids.jobId}"]`).click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(4);
    await page.locator('#grid-body tr').first().click();
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toMatch(/· reinserted$/);
    expect(await page.locator('#detail-notes li').allTextContents()).toContain(`re-insert run ${ids.runId}: inserted (put into side table dbo.T_check, not its own table dbo.T)`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator(`#runs tr[data-run="${ids.runId}"] td`).nth(4).textContent(), { timeout: 15_000 }).toBe('side (side table dbo.T_check)');
    await page.locator(`#runs tr[data-run="${ids.runId}"]`).click();
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 15_000 }).toBe('1 of 1 batch(es) done · 4 inserted · 0 conflict(s) · 0 error(s) · of the inserted, 4 into side table dbo.T_check: a rowback before side-table runs left rows approved marked those rows re-inserted, though this run put them into the side table only (the SQL export of status=reinserted puts them into their own table)');
  }, 60_000);
});
