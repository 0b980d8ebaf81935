/**
 * The review page's dry run line wrote its counts unformatted ('run #2: 1200 row(s) in 3
 * batch(es)') beside the page line's '1,200 matching rows' and the Run dialog's formatted counts,
 * as the blast radius line did before 32266620; so did the decision line ('Approved 1200 row(s)'),
 * a run's status and failed batches, the job's skipped count and the NOT SCRIPTED line. Now
 * toLocaleString as the others. Row image: the corpus example lc-nvarchar (test/staging/fixtures.ts numberedDeletes);
 * the 1,200 rows are SYNTHETIC test data. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { numberedDeletes, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the dry run line formats its counts as the page does', () => {
  let jobId = 0;
  let pendingJob = 0;
  const desk = reviewDesk('rowback-e2e-dry-thousands-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, numberedDeletes(1200), { layouts: [LAYOUTS['dbo.T']!], spec: { ldf: '/evidence/crm.ldf', mdf: '/evidence/crm.mdf' } });
      store.setJobCompleteness(jobId, [], []);
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
      pendingJob = stagedJob(store, numberedDeletes(1200), { layouts: [LAYOUTS['dbo.T']!], spec: { ldf: '/evidence/crm.ldf', mdf: '/evidence/crm.mdf' } });
      store.setJobCompleteness(pendingJob, [], []);
    },
  });

  it("says '1,200 row(s)', as the page line says '1,200 matching rows'", async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('1,200 matching rows');
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 30_000 }).not.toBe('generating…');
    expect(await page.locator('#dry-run-msg').textContent()).toMatch(/^run #\d+: 1,200 row\(s\) in \d[\d,]* batch\(es\) · an operator runs it, against a target$/);
  }, 90_000);

  it("a decision of 1,200 rows says 'Approved 1,200 row(s)', as the page line counts them", async () => {
    const { page } = desk;
    await page.locator('.tab[data-tab=rows]').click().catch(() => {});
    await page.locator(`#job-list li[data-job="${pendingJob}"]`).click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('1,200 matching rows');
    await page.locator('#f-status').selectOption('pending');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('1,200 matching rows');
    await page.locator('#reason').fill('owner confirmed (SYNTHETIC)');
    page.once('dialog', (d) => { d.accept().catch(() => {}); });
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved /);
    expect(await page.locator('#decision-msg').textContent()).toMatch(/^Approved 1,200 row\(s\) \(decision #\d+\)\.$/);
  }, 90_000);
});
