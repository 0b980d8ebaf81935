/**
 * The review page (chromium), a job's skipped items (newcomer B's find, on a files job over a full
 * and a differential backup alone): its INCOMPLETE sentence ends "see its skipped items", and the
 * page showed only "1 skipped": no way to the item naming the two backups and the LSNs between
 * them, which GET /api/jobs/:id/skipped answers. Now a "Skipped items (N)" box under the notes lists
 * each with its code, why and where, 200 at a time (Show more), open for an INCOMPLETE job; no box
 * for a job of none. Row images: the corpus examples (test/staging/fixtures.ts); the skipped items
 * are SYNTHETIC (of the form a chain gap and a torn block give).
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);
const GAP = 'INCOMPLETE: parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP); rows in those LSN ranges are missing from this job (LSNs 00000019:00000084:0001 up to 00000019:000000ad:0001, in no file given; see its skipped items)';

describeBrowser('review page: a job\'s skipped items, which its notes send the reader to', () => {
  const ids = { gap: 0, none: 0 };
  const desk = reviewDesk('rowback-e2e-skipped-', {
    stage: ({ store }) => {
      ids.none = stagedJob(store, corpusRows(1), { description: 'nothing skipped' });
      store.setJobCompleteness(ids.none, [], []);
      ids.gap = stagedJob(store, corpusRows(2), { description: 'a chain gap' });
      store.stageBatch(ids.gap, [], [
        { code: 'FORMAT_LOG_CHAIN_GAP', reason: "the backups' own log does not chain: /evidence/CRM.bak holds log up to 00000019:00000084:0001, /evidence/CRM_diff.bak starts at 00000019:000000ad:0001: the log between them is in no file given", location: { file: '/evidence/CRM_diff.bak', lsn: '00000019:000000ad:0001' }, lsnRange: { first: '00000019:00000084:0001', last: '00000019:000000ad:0001' } },
        ...Array.from({ length: 204 }, (_, i) => ({ code: 'FORMAT_TORN_BLOCK', reason: `torn log block ${i + 1} (SYNTHETIC)`, location: { file: '/evidence/CRM_log.ldf', offset: 8192 * (i + 1) } })),
      ]);
      store.appendAudit('system', 'job.notes', ids.gap, { notes: [GAP] });
      store.setJobCompleteness(ids.gap, [GAP], []);
    },
  });

  it('lists each skipped item with why and where, 200 then the rest, open for an INCOMPLETE job; none for a job of none', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${ids.gap}"]`).click();
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(200);
    expect(await page.locator('#job-skipped-box').isVisible()).toBe(true);
    expect(await page.locator('#job-skipped-box').getAttribute('open')).not.toBeNull();
    expect(await page.locator('#job-skipped-title').textContent()).toBe('Skipped items (205, 200 shown): what the job passed over, each with why and where');
    expect(await page.locator('#job-skipped li').first().textContent()).toBe("FORMAT_LOG_CHAIN_GAP: the backups' own log does not chain: /evidence/CRM.bak holds log up to 00000019:00000084:0001, /evidence/CRM_diff.bak starts at 00000019:000000ad:0001: the log between them is in no file given (file /evidence/CRM_diff.bak, LSNs 00000019:00000084:0001 to 00000019:000000ad:0001)");
    expect(await page.locator('#job-skipped li').nth(1).textContent()).toBe('FORMAT_TORN_BLOCK: torn log block 1 (SYNTHETIC) (file /evidence/CRM_log.ldf, offset 8192)');
    await page.locator('#job-skipped-more').click();
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(205);
    expect(await page.locator('#job-skipped-title').textContent()).toBe('Skipped items (205): what the job passed over, each with why and where');
    expect(await page.locator('#job-skipped-more').isHidden()).toBe(true);

    await page.locator(`#job-list li[data-job="${ids.none}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${ids.none}`);
    await expect.poll(() => page.locator('#job-skipped-box').isHidden(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#job-skipped li').count()).toBe(0);
  }, 60_000);
});

describeBrowser('review page: a job\'s skipped items, Show more clicked twice', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-skipped-twice-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(1), { description: 'torn blocks' });
      store.stageBatch(jobId, [], Array.from({ length: 205 }, (_, i) => ({ code: 'FORMAT_TORN_BLOCK', reason: `torn log block ${i + 1} (SYNTHETIC)`, location: { file: '/evidence/CRM_log.ldf', offset: 8192 * (i + 1) } })));
      store.setJobCompleteness(jobId, [], []);
    },
  });

  it('a double click on Show more, its answer slow: each item listed once (the page appended the same page twice)', async () => {
    const { page, base, reviewer } = desk;
    // the next page's answer takes a while, as on a busy service
    await page.route('**/api/jobs/*/skipped?*', async (route) => {
      if (!/[?&]after=0(&|$)/.test(route.request().url())) await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await page.locator('#job-skipped-box summary').click().catch(() => {});
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(200);
    await page.locator('#job-skipped-more').dblclick();
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(205);
    await page.waitForTimeout(1_500);
    const shown = await page.locator('#job-skipped li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-skipped')));
    expect(shown).toHaveLength(205);
    expect(new Set(shown).size).toBe(205);
    expect(await page.locator('#job-skipped-title').textContent()).toBe('Skipped items (205): what the job passed over, each with why and where');
    await page.unroute('**/api/jobs/*/skipped?*');
  }, 60_000);
});

describeBrowser('review page: a job\'s skipped items, the box the reader opened, the job opened again', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-skipped-open-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(1), { description: 'torn blocks' });
      store.stageBatch(jobId, [], Array.from({ length: 205 }, (_, i) => ({ code: 'FORMAT_TORN_BLOCK', reason: `torn log block ${i + 1} (SYNTHETIC)`, location: { file: '/evidence/CRM_log.ldf', offset: 8192 * (i + 1) } })));
      store.setJobCompleteness(jobId, [], []);
    },
  });

  // CI's find (stop 57): the sign-in opens the newest job, a click on it opened it again, and the
  // second list's answer shut the box the reader had opened between the two: Show more was hidden
  it('keeps it open when the same job\'s list is read again; a job whose scan is whole opens it closed', async () => {
    const { page, base, reviewer } = desk;
    let firstPages = 0;
    await page.route('**/api/jobs/*/skipped?*', async (route) => {
      if (/[?&]after=0(&|$)/.test(route.request().url())) firstPages += 1;
      await route.continue();
    });
    await signIn(page, base, reviewer);
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(200);
    expect(await page.locator('#job-skipped-box').getAttribute('open')).toBeNull();
    const asked = firstPages;
    await page.locator('#job-skipped-box summary').click();
    expect(await page.locator('#job-skipped-box').getAttribute('open')).not.toBeNull();
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => firstPages, { timeout: 15_000 }).toBe(asked + 1);
    await expect.poll(() => page.locator('#job-skipped li').count(), { timeout: 15_000 }).toBe(200);
    await page.waitForTimeout(500);
    expect(await page.locator('#job-skipped-box').getAttribute('open')).not.toBeNull();
    expect(await page.locator('#job-skipped-more').isVisible()).toBe(true);
    await page.unroute('**/api/jobs/*/skipped?*');
  }, 60_000);
});

describeBrowser('review page: a skipped item\'s table and column, each one T-SQL name', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-skipped-names-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(1), { description: 'names in skipped items' });
      store.stageBatch(jobId, [], [
        { code: 'DECODE_BAD_ROW', reason: 'a row that does not decode (SYNTHETIC)', location: { page: '1:153', slot: 2, table: 'dbo.Order Details', column: 'a, column b' } },
        { code: 'DECODE_BAD_ROW', reason: 'a name holding a line break (SYNTHETIC)', location: { table: 'dbo.T', column: 'c\nd' } },
      ]);
      store.setJobCompleteness(jobId, [], []);
    },
  });

  // the page wrote `table dbo.Order Details, column a, column b`: two columns to a reader; it now
  // shows the answer's `where` (api/skipped-where.ts) as text
  it('shows the service\'s where: dbo.[Order Details], [a, column b], a line break as \\u{a}', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    // polled whole: the page reads the list again when it reads the same job again (replaceChildren,
    // then the answer), so a count of 2 then a read of the texts could fall between the two (CI 468)
    await expect.poll(() => page.locator('#job-skipped li').evaluateAll((ls) => ls.map((l) => l.textContent)), { timeout: 15_000 }).toEqual([
      'DECODE_BAD_ROW: a row that does not decode (SYNTHETIC) (page 1:153, slot 2, table dbo.[Order Details], column [a, column b])',
      'DECODE_BAD_ROW: a name holding a line break (SYNTHETIC) (table dbo.T, column [c\\u{a}d])',
    ]);
    // text, not markup
    expect(await page.locator('#job-skipped li').first().evaluate((l) => l.children.length)).toBe(0);
  }, 60_000);
});
