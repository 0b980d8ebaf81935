/**
 * The review page (chromium): an earlier dry run in "Runs of this job" opens its own script and undo
 * script, as generated then (newcomer B's left-out: only a real run's row was clickable, and an
 * earlier dry run's script was reachable through GET /api/reinsert-runs/:id/script alone). The
 * line says which dry run is shown and that rows decided since are not in it; no Run is offered
 * from it (a run inserts the script just generated against a target). Row images: the corpus
 * examples (test/staging/fixtures.ts).
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: an earlier dry run opens its own script', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-dry-earlier-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(3), { description: 'three' });
      store.setJobCompleteness(jobId, [], []);
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
    },
  });

  it('a dry run of 3 rows, one row rejected, a dry run of 2: the first run\'s row shows its 3 INSERTs again, said as of then, no Run offered', async () => {
    const { page, base, reviewer, store } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${jobId}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    const dryRun = async () => {
      await page.locator('#dry-run').click();
      await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: /);
      return (await page.locator('#script').textContent())!;
    };
    // the table's INSERTs (each batch writes its ledger row too)
    const inserts = (script: string) => (script.match(/^\s*INSERT INTO \[dbo\]\.\[(?!rowback)/gm) ?? []).length;
    const first = await dryRun();
    expect(inserts(first)).toBe(3);
    const firstId = Number((await page.locator('#dry-run-msg').textContent())!.match(/^run #(\d+)/)![1]);
    const one = store.listRows(jobId, {}, { limit: 1 }).items[0]!.id;
    store.decide(jobId, { actor: 'rafael', decision: 'reject', reason: 'still in the table', ids: [one] });
    const second = await dryRun();
    expect(inserts(second)).toBe(2);
    const row = page.locator(`#runs tr[data-run="${firstId}"]`);
    await expect.poll(() => row.getAttribute('title'), { timeout: 15_000 }).toBe("show this dry run's script and undo script, as generated then");
    await row.click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(new RegExp(`^showing dry run #${firstId} of .* by \\S+, as generated then: rows decided since are not in it; Generate dry-run script for the rows approved now$`));
    expect(await page.locator('#script').textContent()).toBe(first);
    expect(await page.locator('#undo-script').textContent()).toContain('DELETE');
    expect(await page.locator('#run-reinsert').isDisabled()).toBe(true);
    expect((await page.locator('#dry-run-msg').getAttribute('class'))!.split(' ')).toContain('warned');
  }, 90_000);
});
