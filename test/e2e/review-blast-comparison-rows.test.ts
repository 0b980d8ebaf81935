/**
 * The blast radius of a restore job (newcomer B's find, on RestoreTimeClean: 12 rows missing from
 * the later state): it read "12 rows in 1 table(s), 1 transaction(s)" and "Rows per minute · 12
 * row(s) with no begin time (their transaction began before the log read) are not on it": the rows
 * of a comparison of two table states carry no transaction and no begin time by nature, and the page
 * made them one transaction and explained them by a log read that began too late. Now they are
 * named as what they are, apart from a log job's rows. Rows: the corpus examples
 * (test/staging/fixtures.ts), shaped as a restore job stages them (SYNTHETIC: no transaction, no times).
 */
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the blast radius of rows of a comparison of two table states', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-blast-compared-', {
    stage: ({ store }) => {
      const base = corpusRows(1)[0]!;
      const job = store.createJob({ kind: 'restore', spec: { table: 'dbo.T' }, description: 'dbo.T at 13:20 against the later state', createdBy: 'olga' });
      store.setJobState(job.id, 'running');
      store.saveJobTables(job.id, [LAYOUTS['dbo.T']!]);
      store.stageBatch(job.id, Array.from({ length: 12 }, (_, i) => ({ ...base, lsn: `state:${String(i + 1).padStart(8, '0')}`, transactionId: '', beginTime: null, endTime: null, login: null, spid: null, transactionName: null, values: { Id: i + 1, Name: `n${i + 1}` } })));
      store.setJobCompleteness(job.id, [], []);
      store.setJobState(job.id, 'succeeded');
      jobId = job.id;
    },
  });

  it('says the rows are of no transaction, not one transaction begun before the log read', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await page.locator('.tab[data-tab=blast]').click();
    await expect.poll(() => page.locator('#blast-total').textContent(), { timeout: 15_000 }).toBe('12 rows in 1 table(s), no transaction: rows of a comparison of two table states, not of log records — 12 pending');
    const title = (await page.locator('#blast-chart-title').textContent())!;
    expect(title).toBe('Rows per minute · 12 row(s) of a comparison of two table states (no transaction, no begin time) are not on it');
    expect(title).not.toContain('before the log read');
    expect(await page.locator('#blast-txns tr').count()).toBe(1); // its header alone: no transaction listed
  }, 60_000);
});
