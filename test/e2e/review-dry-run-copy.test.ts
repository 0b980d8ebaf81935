/**
 * The review page's Copy script said its answer ("Copied N characters.", or that the browser refused
 * the clipboard) on the dry run's own line, in its place: the line's warnings (rows left out, by
 * code) went, and the page forgot which dry run the line was of, so a decision made after the copy
 * no longer said that the script shown, and copied for a DBA, no longer matched the approved rows.
 * Now the copy speaks on its own line (#copy-msg) and the dry run's line stays. Row images: the
 * corpus examples (test/staging/fixtures.ts); the job's operations SYNTHETIC (one row an insert).
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: Copy script keeps the dry run line', () => {
  let jobId = 0;
  let pendingId = 0;
  const desk = reviewDesk('rowback-e2e-dry-copy-', {
    stage: ({ store }) => {
      // three deletes and an insert; the insert and two deletes approved, one delete left pending
      const rows = corpusRows(4).map((r, i) => (i === 3 ? { ...r, operation: 'insert' as const } : r));
      jobId = stagedJob(store, rows);
      store.setJobCompleteness(jobId, [], []);
      const ids = store.listRows(jobId, {}, { limit: 10 }).items.map((r) => r.id);
      pendingId = ids[2]!;
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', ids: [ids[0]!, ids[1]!, ids[3]!] });
    },
  });

  it("the line keeps the dry run's rows left out after a copy, and a later decision still says the script is out of date", async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#dry-run').click();
    const line = /^run #(\d+): 2 row\(s\) in \d+ batch\(es\), 1 row\(s\) cannot go back: REINSERT_NOT_A_DELETE ×1 /;
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(line);
    const runId = (await page.locator('#dry-run-msg').textContent())!.match(line)![1];

    await page.locator('#copy-script').click();
    // copied, or refused by a browser without clipboard permission: either way said (it was said in
    // the dry run line's place), and said beside the line
    const said = /(Copied [\d,]+ characters\.|The browser refused the clipboard)/;
    await expect.poll(() => page.locator('#tab-reinsert').textContent(), { timeout: 15_000 }).toMatch(said);
    expect(await page.locator('#dry-run-msg').textContent()).toMatch(line);
    expect(await page.locator('#copy-msg').textContent()).toMatch(said);
    expect(await page.locator('#dry-run-msg').getAttribute('class')).toContain('warned');

    // the pending row approved after the copy: the script shown (and copied) no longer matches
    await page.locator('.tab[data-tab=rows]').click();
    await page.locator(`#grid-body tr[data-row="${pendingId}"] input[type=checkbox]`).check();
    await page.locator('#reason').fill('found in the owner list');
    await page.locator('#approve-selected').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved 1 row\(s\)/);
    expect(await page.locator('#dry-run-msg').textContent()).toBe(`rows were decided after dry run #${runId}: its script no longer matches the approved rows; Generate dry-run script again before a run`);
    expect(await page.locator('#copy-msg').textContent()).toBe('');
  }, 90_000);
});
