/**
 * The review page's job line names each end of a job's window and its zone. Found trying `rowback
 * serve` as a newcomer (2026-12-07): the line joined the ends present, so a job with only `to`
 * (the deletes up to the incident) read "window 2018-08-29", exactly as a job with only `from` did:
 * the reviewer could not tell which rows the job looked for; and the times, the SQL Server's local
 * time as the job's from/to were typed (docs/service.md), carried no zone beside the page's own UTC
 * times. The jobs and rows are SYNTHETIC (numberedDeletes).
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { numberedDeletes, reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';

const describeBrowser = browserDescribe();

const JOBS = [
  { description: '/evidence/only-from.ldf', windowFrom: '2018-08-29', windowTo: null, shown: ' · window from 2018-08-29 (SQL Server local time)' },
  { description: '/evidence/only-to.ldf', windowFrom: null, windowTo: '2018-08-29', shown: ' · window to 2018-08-29 (SQL Server local time)' },
  { description: '/evidence/both.ldf', windowFrom: '2018-08-29', windowTo: '2018-08-29 18:00', shown: ' · window 2018-08-29 → 2018-08-29 18:00 (SQL Server local time)' },
] as const;

describeBrowser('review page: the job line names each end of the window', () => {
  const desk = reviewDesk('rowback-e2e-window-ends-', {
    stage: ({ store }) => {
      for (const j of JOBS) {
        const job = store.createJob({ kind: 'files', spec: { ldf: j.description }, description: j.description, windowFrom: j.windowFrom, windowTo: j.windowTo, createdBy: 'olga' });
        store.setJobState(job.id, 'running');
        store.stageBatch(job.id, numberedDeletes(1));
        store.setJobState(job.id, 'succeeded');
      }
    },
  });

  it('from only, to only and both read differently, with the zone', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    for (const j of JOBS) {
      await page.locator('#job-list li', { hasText: j.description }).click();
      await expect.poll(() => page.locator('#job-progress').textContent(), { timeout: 15_000 }).toContain(j.shown);
    }
  }, 120_000);
});
