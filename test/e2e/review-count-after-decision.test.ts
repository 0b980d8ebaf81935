/**
 * The page line's count after a decision on a page past the first. The grid counted the filter's
 * rows on its first page only (count=true without a cursor) and reloaded the page it was on after
 * a decision without counting again: on page 2 of status=pending, approving 5 rows left "60
 * matching rows" where the API counted 55 (and the "decide every row" confirm quoted the stale
 * number). Now a decision (and a run's end) reloads the page with count=true. Rows: corpus row
 * images (test/staging/fixtures.ts); the values are SYNTHETIC. No chromium: a FAILURE under
 * CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the count after a decision on page 2', () => {
  let jobId = 0;
  let bob = '';
  const desk = reviewDesk('rowback-e2e-recount-', {
    stage: ({ store }) => { jobId = stagedJob(store, corpusRows(60)); bob = store.createToken('bob', 'reviewer').token; },
  });

  it('approving 5 rows of page 2 of status=pending says 55 matching rows, as the API counts', async () => {
    const { page } = desk;
    await openFirstJob(desk, 60);
    await page.locator('#f-status').selectOption('pending');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('page 1 of 2 · 60 matching rows');
    await page.locator('#next-page').click();
    await expect.poll(() => page.locator('#grid-body tr').count(), { timeout: 15_000 }).toBe(10);
    for (let i = 0; i < 5; i++) await page.locator('#grid-body tr input[type=checkbox]').nth(i).check();
    await page.locator('#reason').fill('owner confirmed (SYNTHETIC)');
    await page.locator('#approve-selected').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toContain('Approved 5 row(s)');
    const api = await desk.app.inject({ url: `/api/jobs/${jobId}/rows?status=pending&count=true&limit=1`, headers: { authorization: `Bearer ${desk.reviewer}` } });
    expect(api.json().total).toBe(55);
    expect(await page.locator('#grid-body tr').count()).toBe(5);
    expect(await page.locator('#page-info').textContent()).toContain('page 2 of 2 · 55 matching rows');
  }, 60_000);

  it('on page 2, approving all matching after one row was decided and another staged (55 still) is refused', async () => {
    const { page } = desk;
    // the page line (recounted after the decision above) says 55, on page 2
    expect(await page.locator('#page-info').textContent()).toContain('page 2 of 2 · 55 matching rows');
    const pending = desk.store.listRows(jobId, { status: 'pending' }, { limit: 1 }).items[0]!.id;
    const decided = await desk.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: { authorization: `Bearer ${bob}` }, payload: { decision: 'reject', reason: 'not ours (SYNTHETIC)', ids: [pending] } });
    expect(decided.statusCode).toBe(200);
    desk.store.stageBatch(jobId, corpusRows(1, 60));
    const staged = Math.max(...desk.store.listRows(jobId, {}, { limit: 100 }).items.map((r) => r.id));
    expect(desk.store.countRows(jobId, { status: 'pending' })).toBe(55);
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toContain('STAGING_DECISION_STALE');
    expect(await page.locator('#decision-msg').textContent()).toContain(`#${staged} was staged since (pending)`);
    expect(desk.store.getRow(jobId, staged)!.status).toBe('pending');
    expect(desk.store.countRows(jobId, { status: 'approved' })).toBe(5);
  }, 60_000);
});
