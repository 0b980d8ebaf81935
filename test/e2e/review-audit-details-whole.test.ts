/**
 * The Audit tab's details column (newcomer B's find): each entry's details were cut at 420 px with
 * an ellipsis, with no tooltip and no way to open them, so a reason longer than a few words, the
 * rows a decision took (its selector) and a job's notes could not be read on the page: the audit
 * trail showed "{"decisionId":1,"reason":"the customer's account manager confirmed th…". Now the
 * details wrap, whole, inside the page's width. Rows: corpus row images
 * (test/staging/fixtures.ts); the reason and the notes are SYNTHETIC. No chromium: a FAILURE under
 * CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);
const REASON = "the customer's account manager confirmed that these contacts were deleted by the nightly cleanup job by mistake (ticket CRM-4411, SYNTHETIC); restore them END-OF-REASON";

describeBrowser('review page: the audit details are shown whole', () => {
  const desk = reviewDesk('rowback-e2e-audit-whole-', {
    stage: ({ store }) => {
      const jobId = stagedJob(store, corpusRows(3));
      store.appendAudit('system', 'job.notes', jobId, { notes: ['9 more delete(s) on table data rows are in transactions that began before the log read (SYNTHETIC note) and were not staged: their begin is not in the log read END-OF-NOTE'] });
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: REASON, ids: [1, 2] });
    },
  });

  it('a long reason and a long note read to their end, nothing cut, the page no wider than the window', async () => {
    const { page } = desk;
    await openFirstJob(desk, 3);
    await page.locator('.tab[data-tab="audit"]').click();
    for (const [action, end] of [['rows.approve', 'END-OF-REASON'], ['job.notes', 'END-OF-NOTE']] as const) {
      const cell = page.locator('#audit tr', { hasText: action }).locator('td').nth(4);
      await expect.poll(() => cell.count(), { timeout: 15_000 }).toBe(1);
      expect(await cell.textContent()).toContain(end);
      // nothing of it is hidden: the cell is as wide as its text, and the text's end is inside the window
      const m = await cell.evaluate((td) => ({ scroll: td.scrollWidth, client: td.clientWidth, right: td.getBoundingClientRect().right }));
      expect(m.scroll, action).toBeLessThanOrEqual(m.client);
      const box = await page.locator('#audit tr', { hasText: action }).locator('td').nth(4).boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    }
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  }, 60_000);
});
