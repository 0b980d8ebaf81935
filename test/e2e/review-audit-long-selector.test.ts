/**
 * The Audit tab of a job whose decisions by ids each keep their ids (up to 100,000: 1.7 M characters
 * of details apiece). The tab put every entry's details whole into the page: a few hundred such
 * decisions are hundreds of MB of text in the tab (and GET /api/audit answered 500 past V8's longest
 * string, test/api/decisions-audit-long-lists.test.ts). Now an entry's details are shown up to 64 Ki
 * characters, followed by how many there are and the request that gives the entry whole; shorter
 * details (a reason, a job's notes) are shown whole as before (review-audit-details-whole).
 * SYNTHETIC: a decision by 100,000 16-digit ids written straight into the staging file.
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: an audit entry of 100,000 row ids', () => {
  let chars = 0;
  let entryId = 0;
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-audit-long-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(3));
      const ids = Array.from({ length: 100_000 }, (_, i) => Number.MAX_SAFE_INTEGER - 100_000 + i);
      const details = JSON.stringify({ decisionId: 1, reason: 'owner confirmed', rows: 100000, matched: 100000, selector: { ids }, checked: null });
      chars = details.length;
      entryId = Number(store.db.prepare("INSERT INTO audit_log (at, actor, action, job_id, details) VALUES ('2026-01-01T00:00:00.000Z', 'rafael', 'rows.approve', ?, ?)").run(jobId, details).lastInsertRowid);
    },
  });

  it('shows its first 64 Ki characters and says the rest', async () => {
    const { page } = desk;
    await openFirstJob(desk, 3);
    await page.locator('.tab[data-tab="audit"]').click();
    const cell = page.locator('#audit tr', { hasText: 'rows.approve' }).locator('td').nth(4);
    await expect.poll(() => cell.count(), { timeout: 15_000 }).toBe(1);
    const text = (await cell.textContent())!;
    // the whole 1.7 M characters were put in the cell
    expect(text.length).toBeLessThan(70 * 1024);
    expect(text.startsWith('{"decisionId":1,"reason":"owner confirmed"')).toBe(true);
    expect(text).toContain(` … cut: ${chars.toLocaleString('en-US')} characters in all; the whole entry: GET /api/audit?jobId=${jobId}&after=${entryId - 1}&limit=1`);
  }, 60_000);
});
