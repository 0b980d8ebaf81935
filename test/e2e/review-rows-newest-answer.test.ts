/**
 * The rows grid shows the answer to the reader's newest request, never an earlier one that came back
 * later: a page asked (Next) while the service was slow, then another (Previous) answered first; a
 * filter applied, then another. loadPage checked only that the job was the same, so the late answer
 * drew its rows under the page line and filter form of the newer request (page 2's line over page
 * 3's rows; the "approved" rows under Status: all), and its cursor and asOf became the ones Next and
 * "Approve all matching" sent. The delays are made with page.route. The job and rows are SYNTHETIC
 * (numberedDeletes: ids 1–120, rows 1 and 5 approved through the API).
 */
import { expect, it } from 'vitest';
import { numberedDeletes, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, delayOnce, signIn } from '../support/browser.js';

const describeBrowser = browserDescribe();

describeBrowser('review page: a late rows answer does not replace the newer one', () => {
  const desk = reviewDesk('rowback-e2e-rows-newest-', {
    stage: ({ store }) => { stagedJob(store, numberedDeletes(120), { description: '/evidence/pages.ldf' }); },
    before: async ({ app, reviewer }) => {
      const r = await app.inject({ method: 'POST', url: '/api/jobs/1/decisions', headers: { authorization: `Bearer ${reviewer}` }, payload: { decision: 'approve', reason: 'owner confirmed', ids: [1, 5] } });
      expect(r.statusCode, r.body).toBe(200);
    },
  });

  /** Delays the next rows request `when` accepts by `ms`; later ones go through at once. */
  const delayRowsOnce = (when: (u: URL) => boolean, ms: number) => delayOnce(desk.page, (u) => u.pathname.endsWith('/rows') && when(u), ms);

  it('Next (slow) then Previous: page 2 stays shown, with its rows', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator('#job-list li', { hasText: '/evidence/pages.ldf' }).click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('page 1 of 3 · 120 matching rows');
    await page.locator('#next-page').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('page 2 of 3 · 120 matching rows · this page: 50 row(s), ids #51–#100');
    const undo = await delayRowsOnce((u) => u.searchParams.has('cursor'), 1_500);
    await page.locator('#next-page').click(); // page 3, answered late
    await page.locator('#prev-page').click(); // page 2 again, answered at once
    await page.waitForTimeout(2_500);
    await undo();
    expect(await page.locator('#page-info').textContent()).toContain('page 2 of 3 · 120 matching rows · this page: 50 row(s), ids #51–#100');
    expect(await page.locator('#grid-body tr').count()).toBe(50);
  }, 120_000);

  it('a filter applied (slow) then another: the grid is the second filter\'s', async () => {
    const { page } = desk;
    await page.locator('#first-page').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('page 1 of 3 · 120 matching rows');
    const undo = await delayRowsOnce((u) => u.searchParams.get('status') === 'approved', 1_500);
    await page.locator('#f-status').selectOption('approved');
    await page.locator('#apply-filters').click(); // answered late
    await page.locator('#f-status').selectOption('');
    await page.locator('#apply-filters').click(); // all rows, answered at once
    await page.waitForTimeout(2_500);
    await undo();
    expect(await page.locator('#f-status').inputValue()).toBe('');
    expect(await page.locator('#page-info').textContent()).toContain('page 1 of 3 · 120 matching rows · this page: 50 row(s), ids #1–#50');
  }, 120_000);
});
