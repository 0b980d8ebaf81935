/**
 * An opening of a job, or a row's detail, whose answers come back after the reader moved on does not
 * undo what the reader did since. openJob's check was `state.jobId === id`: job 2 clicked (slow),
 * job 1, job 2 again, and the first opening's late blast radius reset the paging of the second
 * (page 2 back to page 1); so did an opening on its way at a sign-out, once the sign-in opened the
 * same job again. openRow checked nothing: a row clicked (slow), then another job opened, showed the
 * first job's row over the second's grid. The delays are made with page.route. Jobs and rows are
 * SYNTHETIC (numberedDeletes).
 */
import { expect, it } from 'vitest';
import { numberedDeletes, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, delayOnce, signIn } from '../support/browser.js';

const describeBrowser = browserDescribe();

describeBrowser('review page: late answers of an earlier opening or row', () => {
  let older = 0;
  let newer = 0;
  const desk = reviewDesk('rowback-e2e-open-late-', {
    stage: ({ store }) => {
      older = stagedJob(store, numberedDeletes(3), { description: '/evidence/older.ldf' });
      newer = stagedJob(store, numberedDeletes(120), { description: '/evidence/newer.ldf' });
    },
  });

  /** Delays the next request to `suffix` of job `job` by `ms`; later ones go through at once. */
  const delayJobOnce = (job: number, suffix: string, ms: number) => delayOnce(desk.page, (u) => u.pathname === `/api/jobs/${job}${suffix}`, ms);

  const line = () => desk.page.locator('#page-info').textContent();
  const job = (id: number) => desk.page.locator(`#job-list li[data-job="${id}"]`);

  it('job 2 (slow), job 1, job 2 again, page 2: the first opening\'s late answer leaves page 2', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await expect.poll(line, { timeout: 15_000 }).toContain('120 matching rows'); // the newest job, opened by the sign-in
    await job(older).click();
    await expect.poll(line, { timeout: 15_000 }).toContain('3 matching rows');
    const undo = await delayJobOnce(newer, '/blast-radius', 2_500);
    await job(newer).click(); // answered late
    await job(older).click();
    await job(newer).click(); // answered at once
    await expect.poll(line, { timeout: 15_000 }).toContain('page 1 of 3 · 120 matching rows');
    await page.locator('#next-page').click();
    await expect.poll(line, { timeout: 15_000 }).toContain('page 2 of 3');
    await page.waitForTimeout(3_000);
    await undo();
    expect(await line()).toContain('page 2 of 3 · 120 matching rows · this page: 50 row(s)');
  }, 120_000);

  it('an opening on its way at a sign-out does not reset the job the next sign-in opened', async () => {
    const { page } = desk;
    await job(older).click();
    await expect.poll(line, { timeout: 15_000 }).toContain('3 matching rows');
    const undo = await delayJobOnce(newer, '/blast-radius', 2_500);
    await job(newer).click(); // answered late
    await page.locator('#logout').click();
    await page.locator('#token').fill(desk.reviewer);
    await page.locator('#login-button').click(); // opens the newest job again, answered at once
    await expect.poll(line, { timeout: 15_000 }).toContain('page 1 of 3 · 120 matching rows');
    await page.locator('#next-page').click();
    await expect.poll(line, { timeout: 15_000 }).toContain('page 2 of 3');
    await page.waitForTimeout(3_000);
    await undo();
    expect(await line()).toContain('page 2 of 3 · 120 matching rows · this page: 50 row(s)');
  }, 120_000);

  it("a row's detail asked, then another job opened: the first job's row is not shown over it", async () => {
    const { page } = desk;
    await job(older).click();
    await expect.poll(line, { timeout: 15_000 }).toContain('3 matching rows');
    await job(newer).click();
    await expect.poll(line, { timeout: 15_000 }).toContain('page 1 of 3 · 120 matching rows');
    const first = page.locator('#grid-body tr').first();
    const rowId = await first.getAttribute('data-row');
    const undo = await delayJobOnce(newer, `/rows/${rowId}`, 2_000);
    await first.click(); // answered late
    await job(older).click();
    await expect.poll(line, { timeout: 15_000 }).toContain('3 matching rows');
    await page.waitForTimeout(2_500);
    await undo();
    expect(await page.locator('#detail').isHidden()).toBe(true);
  }, 120_000);
});
