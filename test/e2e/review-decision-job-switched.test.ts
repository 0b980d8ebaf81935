/**
 * A decision whose answer comes back after the reviewer opened another job: decide() read
 * state.jobId after its answer, so "Rejected 1 row(s) (decision #n)" was said over the other job's
 * grid (its rows untouched) and that job's counts drawn as if just changed. Now the line names the
 * job decided on and the job shown. The delay is made with page.route. Jobs and rows are SYNTHETIC
 * (numberedDeletes).
 */
import { expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { numberedDeletes, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';

const describeBrowser = browserDescribe();

describeBrowser('review page: a decision answered after another job was opened', () => {
  let first = 0;
  let second = 0;
  const desk = reviewDesk('rowback-e2e-decision-switched-', {
    stage: ({ store }) => {
      first = stagedJob(store, numberedDeletes(4), { description: '/evidence/first.ldf' });
      second = stagedJob(store, numberedDeletes(6), { description: '/evidence/second.ldf' });
    },
  });

  it('names the job decided on, not the one shown', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${first}"]`).click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    const match = (u: URL) => u.pathname === `/api/jobs/${first}/decisions`;
    const slow = async (route: Route) => { await new Promise((r) => setTimeout(r, 2_000)); await route.continue(); };
    await page.route(match, slow);
    await page.locator('#grid-body tr input[type=checkbox]').first().check();
    await page.locator('#reason').fill('still in the table');
    await page.locator('#reject-selected').click(); // answered late
    await page.locator(`#job-list li[data-job="${second}"]`).click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('6 matching rows');
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(new RegExp(`^Job #${first}: 1 row\\(s\\) rejected \\(decision #\\d+\\); job #${second} is shown now\\.$`));
    await page.unroute(match, slow);
    // the job shown: its rows all still pending
    expect(await page.locator('#page-info').textContent()).toContain('6 matching rows');
    expect(await page.locator('#grid-body').textContent()).not.toContain('rejected');
  }, 120_000);
});
