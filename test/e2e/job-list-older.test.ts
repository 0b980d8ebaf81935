/**
 * The review page lists the newest 100 jobs (GET /api/jobs) and said nothing of older ones: job #1
 * of a staging file of 101 jobs was nowhere, as if it had never been. The list now ends saying that
 * older jobs are not listed, and where they are reached. Jobs: SYNTHETIC specs (nothing is scanned).
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';

const describeBrowser = browserDescribe();

describeBrowser('review page: a job list of more jobs than it shows says so', () => {
  const desk = reviewDesk('rowback-e2e-older-', {
    stage: ({ store }) => { for (let i = 0; i < 101; i++) store.createJob({ kind: 'files', spec: { ldf: `/evidence/${i}.ldf` }, description: `job ${i}`, createdBy: 'olga' }); },
  });

  it('lists the newest 100 and says older ones are not listed', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await expect.poll(() => page.locator('#job-list li[data-job]').count(), { timeout: 15_000 }).toBe(100);
    expect(await page.locator('#job-list li[data-job="1"]').count()).toBe(0);
    expect(await page.locator('#job-list li.older-jobs').textContent()).toBe('only the newest 100 jobs are listed; older ones (ids below #2) are reached through the API (GET /api/jobs?before=2)');
  }, 60_000);
});
