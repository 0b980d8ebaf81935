/**
 * The review page (chromium): a reviewer's decision after a dry run. The Re-insert tab kept the dry
 * run's line ("run #4: 3 row(s) in 1 batch(es) · planned against side's catalog · an operator runs
 * it") and its script, planned for the rows approved before the decision: one reviewer rejected a
 * row and read, a tab away, that the three go back (an operator's run of that plan is refused for the
 * row no longer approved; a row approved since is not in it). Now a decision that changes rows
 * replaces the line: the dry run no longer matches the approved rows, generate it again (and Run
 * re-insert…, where it was offered, is taken back). Row images: the corpus examples (test/staging/fixtures.ts);
 * the target is the desk's FakeTarget. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { threeApprovedRowsDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a decision after a dry run', () => {
  const set = threeApprovedRowsDesk('rowback-e2e-dry-then-decide-');
  const desk = set.desk;

  it("replaces the dry run's line: generate it again; a new dry run plans the rows approved now", async () => {
    const jobId = set.jobId();
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${jobId}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 3 row\(s\) in 1 batch\(es\) · planned against side's catalog · an operator runs it$/);
    const dryId = Number((await page.locator('#dry-run-msg').textContent())!.match(/^run #(\d+)/)![1]);

    // one of the three rejected on the Rows tab
    await page.locator('.tab[data-tab=rows]').click();
    await page.locator('#grid-body tr input[type=checkbox]').first().check();
    await page.locator('#reason').fill('still in the table after all');
    await page.locator('#reject-selected').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Rejected 1 row\(s\)/);

    await page.locator('.tab[data-tab=reinsert]').click();
    expect(await page.locator('#run-reinsert').isDisabled()).toBe(true);
    expect(await page.locator('#dry-run-msg').textContent()).toBe(`rows were decided after dry run #${dryId}: its script no longer matches the approved rows; Generate dry-run script again before a run`);
    expect((await page.locator('#dry-run-msg').getAttribute('class'))!.split(' ')).toContain('warned');

    // a new dry run plans the two rows still approved, and offers the run again
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 2 row\(s\) in 1 batch\(es\) · planned against side's catalog · an operator runs it$/);
    // a decision that changes nothing leaves the line as it is
    await page.locator('.tab[data-tab=rows]').click();
    await page.locator('#f-status').selectOption('rejected');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('1 matching row');
    await page.locator('#reject-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/decision #\d+/);
    await page.locator('.tab[data-tab=reinsert]').click();
    expect(await page.locator('#dry-run-msg').textContent()).toMatch(/^run #\d+: 2 row\(s\)/);
  }, 90_000);
});
