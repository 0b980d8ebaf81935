/**
 * A dry run whose answer comes back after the operator changed what it plans (the target, the table
 * order) or a reviewer decided rows: its answer is dropped and the line says to generate it again.
 * dryRun checked only that the job was the same: Generate against side, Target set to none meanwhile,
 * and the late answer offered "Run re-insert…" into side beside Target: none, with its line "planned
 * against side's catalog"; two dry runs in turn showed whichever answered last. The delay is made
 * with page.route. Row images: the corpus examples (test/staging/fixtures.ts); the target is the
 * desk's FakeTarget; the job is SYNTHETIC (stagedJob).
 */
import { expect, it } from 'vitest';
import { threeApprovedRowsDesk } from '../support/review-desk.js';
import { browserDescribe, delayOnce, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a dry run answered after the target changed', () => {
  const set = threeApprovedRowsDesk('rowback-e2e-dry-on-its-way-');
  const desk = set.desk;

  it('Target set to none while the dry run against side was on its way: no Run offered, the line says to generate again', async () => {
    const jobId = set.jobId();
    const { page, base, operator } = desk;
    await signIn(page, base, operator);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${jobId}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('side');
    const undo = await delayOnce(page, (u) => u.pathname === `/api/jobs/${jobId}/reinsert`, 2_000);
    await page.locator('#dry-run').click(); // answered late
    await page.locator('#target').selectOption('');
    await page.waitForTimeout(3_000);
    await undo();
    expect(await page.locator('#target').inputValue()).toBe('');
    expect(await page.locator('#run-reinsert').isDisabled()).toBe(true);
    expect(await page.locator('#dry-run-msg').textContent()).toBe('the target changed while the dry run was being generated: Generate dry-run script again');
    // generated again against side: offered
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 3 row\(s\) in 1 batch\(es\) · planned against side's catalog$/);
    expect(await page.locator('#run-reinsert').isDisabled()).toBe(false);
  }, 120_000);
});
