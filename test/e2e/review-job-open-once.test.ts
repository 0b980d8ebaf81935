/**
 * The review page opens a job once when it is asked again while its opening is on its way: the
 * sign-in opens the newest job, and a reader (or a test) clicking that job meanwhile made the page
 * read its blast radius, rows, notes and skipped items twice over; the second answers undid what the
 * reader had done between the two (CI's find, stop 57: a skipped-items box shut under Show more).
 * Row images: the corpus examples (test/staging/fixtures.ts).
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a job clicked while the sign-in is opening it', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-open-once-', {
    stage: ({ store }) => { jobId = stagedJob(store, corpusRows(2), { description: 'opened once' }); },
  });

  it('is read once (one blast radius asked), and a click after it opened reads it again', async () => {
    const { page, base, reviewer } = desk;
    let blasts = 0;
    // the opening's first answer takes a while, as on a busy service: the click lands meanwhile
    await page.route('**/api/jobs/*/blast-radius', async (route) => {
      blasts += 1;
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await signIn(page, base, reviewer);
    await expect.poll(() => blasts, { timeout: 15_000 }).toBe(1);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${jobId}`);
    await page.waitForTimeout(2_000);
    expect(blasts).toBe(1);
    // opened, the job clicked again is read again (the reader's way to refresh it)
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => blasts, { timeout: 15_000 }).toBe(2);
    await page.unroute('**/api/jobs/*/blast-radius');
  }, 60_000);
});
