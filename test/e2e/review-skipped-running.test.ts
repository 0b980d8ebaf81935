/**
 * The review page (chromium), the skipped items of a job that is still running: the box's title kept
 * the count of when the job was opened ("Skipped items (2)") while the progress line above counted
 * 5, and the items skipped since were reachable only by opening the job again; a job that skipped
 * nothing when opened showed no box at all until it ended. Now the title follows the progress count,
 * Show more reaches the items after the last listed, and the box appears with the first item. Jobs,
 * states and skipped items are SYNTHETIC (set on the store while the page watches); row images the
 * corpus examples (test/staging/fixtures.ts). No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import type { StagingStore } from '../../src/staging/store.js';
import type { SkippedItem } from '../../src/recover/source.js';

const describeBrowser = browserDescribe(corpusAvailable);

const torn = (from: number, n: number): SkippedItem[] => Array.from({ length: n }, (_, i) => ({ code: 'FORMAT_TORN_BLOCK', reason: `torn log block ${from + i} (SYNTHETIC)`, location: { file: '/evidence/CRM_log.ldf', offset: 8192 * (from + i) } }));

describeBrowser('review page: the skipped items of a running job', () => {
  const ids = { some: 0, none: 0 };
  const running = (store: StagingStore, name: string, skipped: number): number => {
    const j = store.createJob({ kind: 'files', spec: { ldf: '/evidence/CRM_log.ldf' }, description: name, createdBy: 'olga' });
    store.setJobState(j.id, 'running');
    store.saveJobTables(j.id, Object.values(LAYOUTS));
    store.stageBatch(j.id, corpusRows(2), torn(1, skipped));
    return j.id;
  };
  const desk = reviewDesk('rowback-e2e-skipped-running-', {
    stage: () => {},
    // once the service has started (it marks a job it finds running as interrupted)
    before: async ({ store }) => {
      ids.some = running(store, 'two skipped so far', 2);
      ids.none = running(store, 'none skipped so far', 0);
    },
  });

  it('the title follows the progress count, Show more reaches the new items; a first item brings the box', async () => {
    const { page, base, reviewer, store } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${ids.some}"]`).click();
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('#job-skipped-title').textContent()).toBe('Skipped items (2): what the job passed over, each with why and where');
    expect(await page.locator('#job-skipped-more').isHidden()).toBe(true);

    store.stageBatch(ids.some, [], torn(3, 3));
    await expect.poll(() => page.locator('#job-progress').textContent(), { timeout: 15_000 }).toContain('5 skipped');
    await expect.poll(() => page.locator('#job-skipped-title').textContent(), { timeout: 15_000 }).toBe('Skipped items (5, 2 shown): what the job passed over, each with why and where');
    // the box is closed for a job not INCOMPLETE: opened as a reviewer would
    await page.locator('#job-skipped-box > summary').click();
    await page.locator('#job-skipped-more').click();
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(5);
    expect(await page.locator('#job-skipped li').allTextContents()).toEqual([1, 2, 3, 4, 5].map((i) => `FORMAT_TORN_BLOCK: torn log block ${i} (SYNTHETIC) (file /evidence/CRM_log.ldf, offset ${8192 * i})`));
    expect(await page.locator('#job-skipped-title').textContent()).toBe('Skipped items (5): what the job passed over, each with why and where');
    expect(await page.locator('#job-skipped-more').isHidden()).toBe(true);

    await page.locator(`#job-list li[data-job="${ids.none}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${ids.none}`);
    await expect.poll(() => page.locator('#job-skipped-box').isHidden(), { timeout: 15_000 }).toBe(true);
    store.stageBatch(ids.none, [], torn(1, 1));
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('#job-skipped-box').isVisible()).toBe(true);
    expect(await page.locator('#job-skipped-title').textContent()).toBe('Skipped items (1): what the job passed over, each with why and where');
  }, 90_000);
});
