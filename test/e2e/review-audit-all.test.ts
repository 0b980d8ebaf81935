/**
 * The review page's Audit log tab showed one page of the job's audit log (the oldest 500 entries):
 * a job with more — a long re-insert writes an entry per batch — showed none of its later
 * decisions or runs, without a word. It now reads every page (`next` of GET /api/audit). SYNTHETIC
 * audit entries over a job of real corpus row images (test/staging/fixtures.ts). No chromium: a
 * FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the audit tab shows the whole audit log of the job', () => {
  let last: number;
  let total: number;
  const desk = reviewDesk('rowback-e2e-audit-', {
    stage: ({ store }) => {
      const job = { id: stagedJob(store, corpusRows(12)) };
      for (let i = 1; i <= 1200; i++) store.appendAudit('system', 'reinsert.batch', job.id, { runId: 1, batchNo: i, inserted: 500, conflicts: 0 });
      store.decide(job.id, { actor: 'rafael', decision: 'reject', reason: 'the newest decision', ids: [1] });
      const entries = store.audit({ jobId: job.id, limit: 5000 });
      total = entries.length;
      last = entries[entries.length - 1]!.id;
    },
  });

  it('lists every entry, the newest decision too', async () => {
    const { page } = desk;
    await openFirstJob(desk, 12);
    await page.locator('.tab[data-tab=audit]').click();
    await expect.poll(() => page.locator('#audit tr').count(), { timeout: 15_000 }).toBe(total + 1);
    const lastRow = page.locator(`#audit tr:has(td:text-is("${last}")) td`);
    expect(await lastRow.nth(3).textContent()).toBe('rows.reject');
    expect(await lastRow.nth(4).textContent()).toContain('the newest decision');
  }, 60_000);
});
