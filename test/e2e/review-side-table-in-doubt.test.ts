/**
 * The run panel of a stopped run into a side table (its `tableMap`) whose first batch committed in
 * the target before the service stopped, unrecorded: the batch's rows are not held from decisions (a
 * side table leaves a row as decided), and `remaining.mayBeIn` left them out, so the panel said only
 * "N row(s) not yet committed" of rows an operator could find in the side table. Now the API's
 * `remaining.mayBeInSideTable` and the panel name the batch and the side table.
 * Rows: a corpus row image (test/staging/fixtures.ts); ids and values are test data. No chromium: a
 * FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { stoppedRunDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget } from '../reinsert/fake-target.js';
import { fromLayout } from '../../src/reinsert/target-table.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a stopped side-table run\'s batch that may be in the side table', () => {
  let jobId: number;
  let runId: number;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const desk = stoppedRunDesk('rowback-e2e-side-doubt-', {
    rows: 4,
    run: { tableMap: { 'dbo.T': 'dbo.T_check' }, acceptOtherDatabase: true },
    got: (j, r) => { jobId = j; runId = r; },
    // the desk's target file, its catalog holding the side table dbo.T_check too
    connect: (target) => new FakeTarget(target.path, new Map([['dbo.T', fromLayout(LAYOUTS['dbo.T']!)], ['dbo.T_check', fromLayout({ ...LAYOUTS['dbo.T']!, name: 'T_check' })]])),
  });

  it('the API and the run panel name the batch that may be in the side table; its rows are not held', async () => {
    const { page, base, reviewer, app, target } = desk;
    expect(target.counts().rows).toBe(2);
    const api = (await app.inject({ url: `/api/reinsert-runs/${runId}`, headers: auth(reviewer) })).json();
    expect(api.remaining).toMatchObject({ batches: 2, rows: 4, mayBeIn: { batches: [], rows: 0 }, mayBeInSideTable: { batches: [1], rows: 2, tables: [{ table: 'dbo.T_check', rows: 2 }] } });
    await signIn(page, base, reviewer);
    await page.locator('#job-list li').first().click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-left').textContent(), { timeout: 15_000 }).toContain('side table(s)');
    expect(await page.locator('#run-left').textContent()).toBe("4 row(s) in 2 batch(es) not yet committed. Batch(es) 1 may have put 2 row(s) into side table(s) dbo.T_check (2) without the run recording it (it stopped while sending them): they stay as decided (a side table leaves a row approved); a resume reads the target's ledger first and records them.");
  }, 60_000);
});
