/**
 * The review page (chromium): the script panel shows one run's script and undo script at a time.
 * An earlier dry run's row clicked, then a real run's: the line still said 'showing dry run #A …
 * as generated then' above dry run #A's script, while the undo panel (and Download undo) took the
 * real run's undo script, a pair of two runs read as one. Now the real run's row takes the earlier
 * dry run's script and line away; and a real run ending while an earlier dry run is shown leaves
 * that dry run's undo script beside its script. Row images: the corpus examples
 * (test/staging/fixtures.ts); the target is the desk's FakeTarget.
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import type { ConfiguredTargetSpec } from '../../src/api/targets.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: an earlier dry run, then a real run', () => {
  let jobId = 0;
  let dryId = 0;
  let runId = 0;
  let dryUndo = '';
  let runUndo = '';
  const targets: Record<string, ConfiguredTargetSpec> = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM_restore' } };
  const desk = reviewDesk('rowback-e2e-dry-then-run-', {
    target: true,
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(3), { description: 'three' });
      store.setJobCompleteness(jobId, [], []);
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
    },
    app: ({ target }) => ({ targets, connectTarget: () => target }),
    before: async ({ app, operator }) => {
      const auth = { authorization: `Bearer ${operator}` };
      const dry = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth, payload: { dryRun: true } });
      expect(dry.statusCode).toBe(200);
      dryId = dry.json().run.id;
      dryUndo = dry.json().undoScript;
      const run = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth, payload: { dryRun: false, targetName: 'side' } });
      expect(run.statusCode).toBe(202);
      runId = run.json().id;
      await app.reinsert.wait(runId);
      expect(app.reinsert.getRun(runId)!.state).toBe('succeeded');
      runUndo = (await app.inject({ method: 'GET', url: `/api/reinsert-runs/${runId}/script`, headers: auth })).json().undoScript;
      expect(runUndo).toContain('DELETE');
      expect(runUndo).not.toBe(dryUndo);
    },
  });

  it("the dry run's row, then the real run's: no 'showing dry run' line over the real run's undo script; back to the dry run: its own undo stays", async () => {
    const { page, base, operator } = desk;
    await signIn(page, base, operator);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${jobId}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    const dryRow = page.locator(`#runs tr[data-run="${dryId}"]`);
    const runRow = page.locator(`#runs tr[data-run="${runId}"]`);
    await expect.poll(() => runRow.count(), { timeout: 15_000 }).toBe(1);
    await dryRow.click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(new RegExp(`^showing dry run #${dryId} `));
    expect(await page.locator('#undo-script').textContent()).toBe(dryUndo);
    await runRow.click();
    await expect.poll(() => page.locator('#run-title').textContent(), { timeout: 15_000 }).toContain(`run #${runId}`);
    await expect.poll(() => page.locator('#undo-script').textContent(), { timeout: 15_000 }).toBe(runUndo);
    // the line and the script beside the real run's undo are not the earlier dry run's
    expect(await page.locator('#dry-run-msg').textContent()).not.toContain(`dry run #${dryId}`);
    expect(await page.locator('#script').textContent()).toBe('');
    // back to the dry run: its own script and undo script, and they stay
    await dryRow.click();
    await expect.poll(() => page.locator('#undo-script').textContent(), { timeout: 15_000 }).toBe(dryUndo);
    await page.waitForTimeout(2_500);
    expect(await page.locator('#undo-script').textContent()).toBe(dryUndo);
    expect(await page.locator('#dry-run-msg').textContent()).toMatch(new RegExp(`^showing dry run #${dryId} `));
  }, 90_000);
});
