/**
 * The review page (chromium), a dry run whose script leaves rows out: a table name holding an
 * unpaired UTF-16 surrogate (SYNTHETIC name `T\ud83d` on a corpus row image, as
 * test/api/routes/export-sql-surrogate-name.test.ts) cannot be written into the UTF-8 script (it
 * would read U+FFFD: another table's name), so the row is NOT SCRIPTED. The API's dry run answered
 * `notScripted`, but the page showed only the count of rows in the run and the script, whose head
 * says it in a comment: an operator copying the script lost the row without a word on the page.
 * Now the page lists those rows with why, naming the name escaped (\u{d83d}).
 * Row images: the corpus examples (test/staging/fixtures.ts).
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the dry run\'s rows not scripted', () => {
  let jobId: number;
  const desk = reviewDesk('rowback-e2e-not-scripted-', {
    stage: ({ store }) => {
      const [a, b] = corpusRows(2);
      jobId = stagedJob(store, [{ ...a!, table: 'dbo.T\ud83d' }, b!], { layouts: [{ ...LAYOUTS['dbo.T']!, name: 'T\ud83d' }, LAYOUTS[b!.table]!] });
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
    },
  });

  it('lists the row left out of the script, with why; a dry run with none leaves the list hidden', async () => {
    const { page, store } = desk;
    await openFirstJob(desk, 2);
    await page.locator('.tab[data-tab=reinsert]').click();
    expect(await page.locator('#not-scripted').isHidden()).toBe(true);
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 2 row\(s\)/);
    await expect.poll(() => page.locator('#not-scripted').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#not-scripted-title').textContent()).toMatch(/^1 approved row\(s\) NOT SCRIPTED: the script leaves them out/);
    const leftOut = store.listRows(jobId, {}).items.find((r) => r.table === 'dbo.T\ud83d')!.id;
    const items = page.locator('#not-scripted-rows li');
    expect(await items.count()).toBe(1);
    expect(await items.first().getAttribute('data-row')).toBe(String(leftOut));
    expect(await items.first().textContent()).toMatch(new RegExp(`^row ${leftOut}: the table name \\[dbo\\]\\.\\[T\\\\u\\{d83d\\}\\] holds an unpaired UTF-16 surrogate`));
    expect(await items.first().textContent()).not.toContain('\ufffd');
    // the row of the other table is scripted; once it alone is approved, the list goes
    store.decide(jobId, { actor: 'rafael', decision: 'reject', reason: 'not this one', ids: [leftOut] });
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 1 row\(s\)/);
    expect(await page.locator('#not-scripted').isHidden()).toBe(true);
    expect(await page.locator('#not-scripted-rows li').count()).toBe(0);
  }, 60_000);
});
