/**
 * The review page (chromium), a dry run of a job not known whole: the API's dry run answers
 * `jobWarning` (src/staging/job-completeness.ts), the line an SQL export's head carries; the page
 * shows it above the script, so a reviewer who copies the script of a job still staging, or of an
 * INCOMPLETE one, is told that rows the job has not found are in no script. Hidden for a job known
 * complete. Row images: the corpus examples (test/staging/fixtures.ts).
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the dry run of a job not known whole', () => {
  let jobId: number;
  const desk = reviewDesk('rowback-e2e-job-warning-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(2));
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
      store.setJobCompleteness(jobId, ['INCOMPLETE: the log from 0000002a:00000010:0001 on is in no file given']);
    },
  });

  it('shows an INCOMPLETE job\'s warning above the script, and nothing once the job is known complete', async () => {
    const { page, store } = desk;
    await openFirstJob(desk, 2);
    await page.locator('.tab[data-tab=reinsert]').click();
    expect(await page.locator('#dry-run-job-warning').isHidden()).toBe(true);
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 2 row\(s\)/);
    await expect.poll(() => page.locator('#dry-run-job-warning').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#dry-run-job-warning').textContent()).toBe('WARNING: INCOMPLETE job: the log from 0000002a:00000010:0001 on is in no file given (1 INCOMPLETE sentence)');
    store.setJobCompleteness(jobId, []);
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 2 row\(s\)/);
    expect(await page.locator('#dry-run-job-warning').isHidden()).toBe(true);
    expect(await page.locator('#dry-run-job-warning').textContent()).toBe('');
  }, 60_000);
});
