/**
 * A job whose rows began in more than about 125,000 distinct minutes (a log of three months read
 * without a window: deletes, inserts and updates every minute) left the Blast radius tab without
 * its chart: the page took the tallest bar as `Math.max(1, ...minutes)`, and a spread of that many
 * arguments throws `RangeError: Maximum call stack size exceeded` in Chromium (V8 takes about
 * 120,000), so the chart and its title stayed those of the job opened before, or empty, with no
 * word. The page's lists of unbounded length (minutes, a run's batches, NOT SCRIPTED rows, audit
 * entries, logins) are now built without spreading them into one call. Rows: one real corpus row
 * image (test/staging/fixtures.ts), its LSNs, transactions and times SYNTHETIC (one row a minute
 * from 2024-01-01 00:00). No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);
const MINUTES = 130_000; // 2024-01-01 00:00 to 2024-03-31 06:39, one row each

describeBrowser('review page: the blast radius of a job whose rows span 130,000 minutes', () => {
  const pageErrors: string[] = [];
  const desk = reviewDesk('rowback-e2e-blast-long-', {
    stage: ({ store }) => {
      const base = corpusRows(1)[0]!;
      const t0 = Date.UTC(2024, 0, 1);
      stagedJob(store, Array.from({ length: MINUTES }, (_, k) => {
        const beginTime = new Date(t0 + k * 60_000).toISOString().slice(0, 23);
        return { ...base, lsn: `0000002a:${k.toString(16).padStart(8, '0')}:0002`, transactionId: `0000:${k.toString(16).padStart(8, '0')}`, beginTime, endTime: beginTime };
      }));
    },
    served: ({ page }) => { page.on('pageerror', (e) => pageErrors.push(e.message)); },
  });

  it('draws the chart over the whole span, its tallest bar 1 row, and throws nothing', async () => {
    const { page } = desk;
    await signIn(page, desk.base, desk.reviewer);
    await page.locator('#job-list li').first().click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 30_000 }).toContain(`${MINUTES.toLocaleString('en-US')} matching rows`);
    await page.locator('.tab[data-tab=blast]').click();
    await expect.poll(() => page.locator('#blast-total').textContent(), { timeout: 30_000 }).toContain(`${MINUTES.toLocaleString('en-US')} rows in 1 table(s)`);
    await expect.poll(() => page.locator('#blast-chart-title').textContent(), { timeout: 30_000 }).toContain('Rows per minute, 2024-01-01 – 2024-03-31');
    // the max label (the chart's first text) is the tallest minute's rows: 1
    expect(await page.locator('#blast-chart svg text').first().textContent()).toBe('1');
    expect(await page.locator('#blast-chart rect.b').count()).toBe(MINUTES);
    // counts written as the total is (they read '130000 pending' beside '130,000 rows')
    expect(await page.locator('#blast-total').textContent()).toContain(`${MINUTES.toLocaleString('en-US')} pending`);
    expect(await page.locator('#f-table option').nth(1).textContent()).toBe(`dbo.T (${MINUTES.toLocaleString('en-US')})`);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
