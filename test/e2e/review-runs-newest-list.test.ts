/**
 * The Re-insert tab's runs table is the newest list asked: the job's opening asks it, a dry run asks
 * it again, and when the opening's answer came back last (a slow service) the table it drew left out
 * the dry run just made (loadRuns checked only the job). The delay is made with page.route. Row
 * images: the corpus examples (test/staging/fixtures.ts); the target is the desk's FakeTarget; the job
 * is SYNTHETIC (stagedJob).
 */
import { expect, it } from 'vitest';
import { threeApprovedRowsDesk } from '../support/review-desk.js';
import { browserDescribe, delayOnce, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser("review page: the runs table is the newest list's", () => {
  const set = threeApprovedRowsDesk('rowback-e2e-runs-newest-');
  const desk = set.desk;

  it("a dry run made while the opening's list was on its way is in the table", async () => {
    const jobId = set.jobId();
    const { page, base, operator } = desk;
    // the answer (read from the service at once: the list as it was) held back 3 s
    const undo = await delayOnce(page, (u) => u.pathname === `/api/jobs/${jobId}/reinsert-runs`, 3_000, { when: 'answer' });
    await signIn(page, base, operator); // opens the job: its runs list answered late
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${jobId}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 3 row\(s\)/);
    const dryId = (await page.locator('#dry-run-msg').textContent())!.match(/^run #(\d+)/)![1];
    await page.waitForTimeout(3_500);
    await undo();
    expect(await page.locator(`#runs tr[data-run="${dryId}"]`).count()).toBe(1);
  }, 120_000);
});
