/**
 * The review page (chromium), the Re-insert tab's line after a dry run (newcomer B's find, on a
 * restore job whose 12 approved rows were inserts): it read, in green, "run #2: 0 row(s) in 0
 * batch(es), 12 row(s) cannot go back: REINSERT_NOT_A_DELETE ×12 … · choose a target to run it":
 * a run of nothing offered as the next step, to a reviewer who runs none, in the colour of a
 * success; a refused dry run (its code and message) was green too. And the dry run's `jobDoubt`
 * (the job's WARNING sentences, its rows with warnings), which the script's header and the API
 * say, was not shown above the script as its `jobWarning` is. Now: a run of no row says "nothing
 * to run", amber; rows left out amber; a refusal red; a reviewer is told an operator runs it; the
 * doubt is its own line above the script. A job none of whose rows is approved says that, and to
 * approve them first (it read 'no approved row of this job can go back', as if they could not be
 * put back). Row images: the corpus examples (test/staging/fixtures.ts).
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);
const DOUBT = 'WARNING: 2 log record(s) of operation code 250 (0xfa), printed as LOP_UNKNOWN_250, first at LSN 00000013:000000b7:0002';

describeBrowser('review page: what the dry run line says, and in which colour', () => {
  const ids = { whole: 0, inserts: 0, doubt: 0, undecided: 0 };
  const desk = reviewDesk('rowback-e2e-dry-line-', {
    stage: ({ store }) => {
      ids.whole = stagedJob(store, corpusRows(2), { description: 'whole' });
      ids.inserts = stagedJob(store, corpusRows(3).map((r) => ({ ...r, operation: 'insert' as const })), { description: 'inserts' });
      ids.doubt = stagedJob(store, corpusRows(2), { description: 'doubtful' });
      store.setJobCompleteness(ids.whole, [], []);
      store.setJobCompleteness(ids.inserts, [], []);
      store.setJobCompleteness(ids.doubt, [], [DOUBT]);
      // none of its rows approved: the dry run plans none and leaves none out
      ids.undecided = stagedJob(store, corpusRows(2), { description: 'undecided' });
      store.setJobCompleteness(ids.undecided, [], []);
      for (const id of [ids.whole, ids.inserts, ids.doubt]) store.decide(id, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
    },
  });

  const dryRunOf = async (id: number) => {
    const { page } = desk;
    await page.locator(`#job-list li[data-job="${id}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${id}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).not.toBe('generating…');
    const msg = page.locator('#dry-run-msg');
    return { text: (await msg.textContent())!, cls: (await msg.getAttribute('class'))! };
  };

  it('a reviewer: every row going back is green and says an operator runs it; a run of no row says nothing to run, amber; a refusal is red', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${ids.whole}"]`).waitFor();

    const whole = await dryRunOf(ids.whole);
    expect(whole.text).toMatch(/^run #\d+: 2 row\(s\) in \d+ batch\(es\) · an operator runs it, against a target$/);
    expect(whole.cls.split(' ').sort()).toEqual(['msg']);
    expect(await page.locator('#dry-run-job-warning').isHidden()).toBe(true);

    const inserts = await dryRunOf(ids.inserts);
    expect(inserts.text).toMatch(/^run #\d+: 0 row\(s\) in 0 batch\(es\), 3 row\(s\) cannot go back: REINSERT_NOT_A_DELETE ×3 \(see the script header: each row with its reason\) · nothing to run: no approved row of this job can go back$/);
    expect(inserts.text).not.toContain('choose a target');
    expect(inserts.cls.split(' ')).toContain('warned');

    // no row approved yet: said so, with the way on (it read 'no approved row of this job can go
    // back', as if the rows could not be put back)
    const undecided = await dryRunOf(ids.undecided);
    expect(undecided.text).toMatch(/^run #\d+: 0 row\(s\) in 0 batch\(es\) · nothing to run: no row of this job is approved: approve the rows to put back \(Rows tab\), then generate the script again$/);
    expect(undecided.cls.split(' ')).toContain('warned');

    // a refused dry run (the answer a target whose variable was unset since the page listed it
    // gets, INPUT_TARGET_UNSET; the page offers such a target greyed, so the answer is given here)
    await page.route('**/api/jobs/*/reinsert', (r) => r.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ code: 'INPUT_TARGET_UNSET', message: "target 'side': its connection string variable ROWBACK_TARGET_SIDE is not set in the service's environment" }) }), { times: 1 });
    const refused = await dryRunOf(ids.whole);
    expect(refused.text).toMatch(/^INPUT_TARGET_UNSET: /);
    expect(refused.cls.split(' ')).toContain('error');
    expect(refused.cls.split(' ')).not.toContain('warned');
  }, 90_000);

  it("a doubtful job's dry run shows its doubt above the script, as the script's header says it", async () => {
    const { page } = desk;
    const doubt = await dryRunOf(ids.doubt);
    expect(doubt.text).toMatch(/^run #\d+: 2 row\(s\) in \d+ batch\(es\)/);
    await expect.poll(() => page.locator('#dry-run-job-warning').isVisible(), { timeout: 15_000 }).toBe(true);
    const shown = (await page.locator('#dry-run-job-warning').textContent())!;
    expect(shown).toMatch(new RegExp(`^WARNING: job ${ids.doubt}'s result is doubtful: its notes hold 1 WARNING/UNCHECKED sentence`));
    expect(await page.locator('#script').textContent()).toContain(`-- ${shown}`);
    // a job with no doubt: the line goes again
    await dryRunOf(ids.whole);
    expect(await page.locator('#dry-run-job-warning').isHidden()).toBe(true);
  }, 60_000);

  it("the runs table counts each run's rows left out (it read 'succeeded 0 0 0 0' for a dry run of 3 rows that cannot go back)", async () => {
    const { page } = desk;
    await dryRunOf(ids.inserts);
    const row = page.locator('#runs tr[data-run]').first();
    await expect.poll(() => row.locator('td').count(), { timeout: 15_000 }).toBe(11);
    expect(await page.locator('#runs th').last().textContent()).toBe('left out');
    expect((await row.locator('td').allTextContents()).slice(5)).toEqual(['succeeded', '0', '0', '0', '0', '3']);
    await dryRunOf(ids.whole);
    await expect.poll(async () => (await page.locator('#runs tr[data-run]').first().locator('td').allTextContents()).slice(5), { timeout: 15_000 }).toEqual(['succeeded', '2', '0', '0', '0', '0']);
  }, 60_000);

  it("an operator with no target ready is told so, not to choose one (the list held 'none (script only)' alone); the greyed Run re-insert… says why", async () => {
    const { ctx, base, operator } = desk;
    const page = await ctx.newPage();
    try {
      await signIn(page, base, operator);
      await page.locator(`#job-list li[data-job="${ids.whole}"]`).click();
      await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${ids.whole}`);
      await page.locator('.tab[data-tab=reinsert]').click();
      // the greyed Run re-insert… says what makes it live (it was greyed with no word)
      const RUN_WHY = "Offered once a dry run against a ready target plans rows to insert: choose the Target, then Generate dry-run script; the run inserts exactly that script's rows";
      expect([await page.locator('#run-reinsert').isDisabled(), await page.locator('#run-reinsert').getAttribute('title')]).toEqual([true, RUN_WHY]);
      await page.locator('#dry-run').click();
      await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 2 row\(s\) in \d+ batch\(es\) · no re-insert target is ready here \(none configured in serve's --config "targets", or its variable unset\): run this script in the target database yourself, or have a target configured$/);
      expect(await page.locator('#target option').count()).toBe(1);
      expect([await page.locator('#run-reinsert').isDisabled(), await page.locator('#run-reinsert').getAttribute('title')]).toEqual([true, RUN_WHY]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
