/**
 * The review page by keyboard alone. A job in the list, a row of the grid and a run of "Runs of
 * this job" opened on a mouse click only (an `onclick` on an <li>/<tr>, not in the tab order): a
 * reviewer without a mouse could open no job but the newest (opened at sign-in), no row's detail
 * (values, raw bytes, warnings, who decided) and no run. Now each is in the tab order, a button to
 * assistive technology, and Enter or Space opens it; the job list, drawn anew every 2 s, keeps the
 * focused job focused; closing a row's detail puts the focus back on its row. Rows: corpus row
 * images (test/staging/fixtures.ts); the values are SYNTHETIC. No chromium: a FAILURE under
 * CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

/** Presses Tab until `selector` has the focus (at most `max` times); false if it never does. */
async function tabTo(page: Page, selector: string, max = 80): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return true;
  }
  return false;
}

describeBrowser('review page: jobs, rows and their detail by keyboard alone', () => {
  let older = 0;
  const desk = reviewDesk('rowback-e2e-keyboard-', {
    stage: ({ store }) => {
      older = stagedJob(store, corpusRows(3), { description: 'older job (SYNTHETIC)' });
      stagedJob(store, corpusRows(2, 3), { description: 'newest job (SYNTHETIC)' });
    },
  });

  it('Tab reaches the older job, Enter opens it, and the focus outlives the list being redrawn', async () => {
    const { page } = desk;
    await signIn(page, desk.base, desk.reviewer);
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain('newest job');
    expect(await tabTo(page, `#job-list li[data-job="${older}"]`), 'the older job is in the tab order').toBe(true);
    await page.waitForTimeout(2_500); // the list polls every 2 s and draws its items anew
    expect(await page.evaluate('document.activeElement?.dataset.job')).toBe(String(older));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain('older job');
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('3 matching rows');
  }, 60_000);

  it("Tab reaches a grid row, Enter opens its detail, Space another's; closing returns the focus to the row", async () => {
    const { page } = desk;
    const second = await page.locator('#grid-body tr').nth(1).getAttribute('data-row');
    expect(await tabTo(page, `#grid-body tr[data-row="${second}"]`), 'a grid row is in the tab order').toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toContain(`Row #${second} `);
    expect(await page.locator('#detail').isHidden()).toBe(false);
    // the first row's checkbox keeps its own Space: it selects that row, it does not open it
    const first = await page.locator('#grid-body tr').first().getAttribute('data-row');
    await page.locator(`#grid-body tr[data-row="${first}"] input[type=checkbox]`).focus();
    await page.keyboard.press(' ');
    expect(await page.locator(`#grid-body tr[data-row="${first}"] input[type=checkbox]`).isChecked()).toBe(true);
    expect(await page.locator('#detail-title').textContent()).toContain(`Row #${second} `);
    await page.locator(`#grid-body tr[data-row="${first}"]`).focus();
    await page.keyboard.press(' ');
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toContain(`Row #${first} `);
    await page.locator('#detail-close').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#detail').isHidden()).toBe(true);
    expect(await page.evaluate('document.activeElement?.dataset.row')).toBe(first);
  }, 60_000);
});
