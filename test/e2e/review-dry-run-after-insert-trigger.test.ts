/**
 * The review page (chromium): a dry run against a target whose table has an enabled AFTER INSERT
 * trigger. The API's dry run names it (the script head's WARNING line and the run's
 * summary.afterInsertTriggers: what the trigger writes elsewhere, an audit table, a counter, a
 * queue, it writes for every row put back, and no undo takes that back), but the page showed the
 * script with nothing above it: a reviewer who copies the script for a DBA was not told unless they
 * read its head (L's left-out, session 43). Now each such warning is a line above the script, with the
 * job's warnings. Row images: the corpus examples (test/staging/fixtures.ts); the target is the desk's
 * FakeTarget, its table given a SYNTHETIC trigger. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import type { ConfiguredTargetSpec } from '../../src/api/targets.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a dry run into a table with an AFTER INSERT trigger', () => {
  let jobId = 0;
  const targets: Record<string, ConfiguredTargetSpec> = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM_restore' } };
  const desk = reviewDesk('rowback-e2e-after-insert-', {
    target: true,
    stage: ({ store, target }) => {
      const all = corpusRows(60);
      jobId = stagedJob(store, all.filter((r) => r.table === all[0].table).slice(0, 3), { description: 'three' });
      store.setJobCompleteness(jobId, [], []);
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: 'deleted by the cleanup', all: true });
      // SYNTHETIC: the desk target's one table (dbo.T) with an enabled AFTER INSERT trigger
      const tables = (target as unknown as { tables: Map<string, TargetTable> }).tables;
      const t = tables.get('dbo.T')!;
      tables.set('dbo.T', { ...t, afterInsertTriggers: ['trg_T_audit'] });
    },
    app: ({ target }) => ({ targets, connectTarget: () => target }),
  });

  it('names the trigger above the script, as the script head says it', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${jobId}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    expect(await page.locator('#dry-run-job-warning').isHidden()).toBe(true);
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 3 row\(s\) in 1 batch\(es\) · planned against side's catalog/);
    const script = (await page.locator('#script').textContent())!;
    const head = script.split('\n').find((l) => l.includes('enabled AFTER INSERT trigger'));
    expect(head).toMatch(/^-- WARNING: \S*\[dbo\]\.\[T\] has an enabled AFTER INSERT trigger \(\[trg_T_audit\]\)/);
    await expect.poll(() => page.locator('#dry-run-job-warning').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#dry-run-job-warning').textContent()).toBe(head!.replace(/^-- /, ''));
  }, 60_000);
});
