/**
 * A double click on "Reject all matching" when a re-insert run holds some of the rows. The page sent
 * two decisions, both with the count's asOf: the first rejected the rows no run holds and left the
 * held ones out (its note saying which, by which run, and the way on), the second was refused as
 * stale (the first had decided rows of the count since). Each answer then wrote the decision line
 * when its own reload of the grid ended, so the reviewer read whichever came last: "…
 * STAGING_DECISION_STALE … nothing was decided" over a decision that rejected 4 rows and held 2
 * back, or the note with "select and decide again" stuck to it, red. Now a decision in flight greys
 * the decide buttons until its answer is shown: one click, one decision, one line. Rows: a corpus
 * row image (test/staging/fixtures.ts); ids and values are test data. No chromium: a FAILURE under
 * CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { stoppedRunDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a double click on "Reject all matching" while a run holds rows', () => {
  let jobId: number;
  let runId: number;
  const posts: string[] = [];
  const desk = stoppedRunDesk('rowback-e2e-decide-once-', {
    rows: 6,
    got: (j, r) => { jobId = j; runId = r; },
    // every decision the page sends
    served: ({ page }) => {
      page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(`/api/jobs/${jobId}/decisions`)) posts.push(r.url()); });
    },
  });

  it('sends one decision, and the line says what it did: 4 rejected, 2 held back by the run', async () => {
    const { page, base, reviewer, store } = desk;
    await signIn(page, base, reviewer);
    await page.locator('#job-list li').first().click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('6 matching rows');
    await page.locator('#f-status').selectOption('approved');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('6 matching rows');
    await page.locator('#reason').fill('none of these after all');
    await page.locator('#reject-filter').dblclick();
    // the grid reloaded after the decision (2 approved rows left), then the line is written
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('2 matching rows');
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toContain(`held back by re-insert run ${runId}`);
    // the buttons are back once the line is written
    await expect.poll(() => page.locator('#reject-filter').isDisabled(), { timeout: 15_000 }).toBe(false);
    expect(posts.length).toBe(1);
    const said = (await page.locator('#decision-msg').textContent())!;
    expect(said).toMatch(/^Rejected 4 row\(s\) \(decision #\d+\)\. 4 of the 6 rows the filter matches were decided; 2 row\(s\) held back by re-insert run \d+ \(failed, started by [^;]+; batch 1\) were left out, not decided \(#1, #2\): .*then decide the rows still to decide\.$/);
    expect(said).not.toContain('STAGING_DECISION_STALE');
    const cls = (await page.locator('#decision-msg').getAttribute('class'))!;
    expect(cls).toContain('warned');
    expect(cls).not.toContain('error');
    expect([store.countRows(jobId, { status: 'approved' }), store.countRows(jobId, { status: 'rejected' })]).toEqual([2, 4]);
    // a decision with no reason next: said as an error, not in the held-back note's warning
    await page.locator('#reason').fill('');
    await page.locator('#reject-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toBe('Give a reason (at least 3 characters).');
    expect(await page.locator('#decision-msg').getAttribute('class')).toBe('msg error');
    expect(posts.length).toBe(1);
    await page.locator('#reason').fill('none of these after all');
    // and a later decision goes through as ever (one click, one decision)
    await page.locator('#f-status').selectOption('rejected');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved 4 row\(s\) \(decision #\d+\)\.$/);
    expect(posts.length).toBe(2);
  }, 60_000);
});
