/**
 * The review page (chromium), Re-insert tab: its hint said the script puts "parents before children"
 * whatever the target, and with none ("script only", no SQL Server at hand) the tables came by name,
 * a child first when its name sorts first (dbo.Contact before dbo.Customer), with no way on the page to
 * say otherwise. The hint now says so, and a Table order field (comma-separated, parents first) is sent
 * as the dry run's tableOrder: the script's INSERTs follow it and its head says the order was given.
 * Row images: the corpus examples (test/staging/fixtures.ts), tables dbo.T and dbo.T2 among them.
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the table order of a script planned with no target', () => {
  let id = 0;
  const desk = reviewDesk('rowback-e2e-table-order-', {
    stage: ({ store }) => {
      id = stagedJob(store, corpusRows(6), { description: 'several tables' });
      store.setJobCompleteness(id, [], []);
      store.decide(id, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
    },
  });

  const dryRun = async (order: string) => {
    const { page } = desk;
    await page.locator('#table-order').fill(order);
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).not.toBe('generating…');
    return (await page.locator('#script').textContent())!;
  };
  const at = (script: string, t: string) => script.indexOf(`INSERT INTO [dbo].[${t}] (`);

  it('by name without it (the hint says so); T2 before T with "dbo.T2, dbo.T"', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${id}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${id}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    expect(await page.locator('#tab-reinsert .hint').first().textContent()).toContain('the tables come by name');
    const byName = await dryRun('');
    expect(at(byName, 'T')).toBeGreaterThan(0);
    expect(at(byName, 'T')).toBeLessThan(at(byName, 'T2'));
    expect(byName).toContain('-- table order (by name');
    const given = await dryRun('dbo.T2, dbo.T');
    expect(at(given, 'T2')).toBeGreaterThan(0);
    expect(at(given, 'T2')).toBeLessThan(at(given, 'T'));
    expect(given).toContain('-- table order (as tableOrder gives it');
    // a name the job lacks: the refusal shown, red
    await dryRun('dbo.Nope');
    expect(await page.locator('#dry-run-msg').textContent()).toContain("INPUT_UNKNOWN_TABLE: tableOrder.0 'dbo.Nope' names no table");
  }, 90_000);
});
