/**
 * The review page (chromium), "Approve all matching" over a table whose rows include a conflict (a
 * run found its key in the target, a stub the app re-created). Conflict rows are decided again only
 * when named (selected, or the status filter set to conflict): all matching left it, and the line
 * said "Approved 1 row(s)" alone of the 2 the page counted; a DBA who had removed the stub took the
 * conflict row for approved, and the next run left it out unsaid. The line now says it was left and
 * how to name it. Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); ids and
 * names are test data.
 */
import { expect, it } from 'vitest';
import { dboTTarget, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: all matching leaves a conflict row, and says so', () => {
  let jobId: number;
  const desk = reviewDesk('rowback-e2e-conflicts-left-', {
    target: true,
    stage: ({ store, target }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      jobId = stagedJob(store, [1, 2].map((i) => ({ ...base0, lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Name: `contact ${i}` } })), { layouts: [LAYOUTS['dbo.T']!] });
      target.seed('dbo.T', [1], { Id: 1, Name: 'stub re-created by the app' });
    },
    app: ({ target }) => ({ targets: { crm: { connectionString: 'Server=crm-sql;Database=CRM' } }, connectTarget: () => target }),
    before: async ({ app, reviewer, operator, store }) => {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      const first = store.listRows(jobId, {}, { limit: 5 }).items.find((r) => (r.values as { Id: number }).Id === 1)!.id;
      await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', ids: [first] } });
      const r = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth(operator), payload: { dryRun: false, targetName: 'crm' } });
      expect(r.statusCode, r.body).toBe(202);
      await app.reinsert.wait(r.json().id);
      expect(app.reinsert.getRun(r.json().id)!.outcomes).toEqual({ inserted: 0, conflict: 1, error: 0 });
    },
  });

  it('Approve all matching: the pending row approved, the line says the conflict row was left and how to name it', async () => {
    const { page, base, reviewer, store } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('2 matching rows');
    await page.locator('#reason').fill('stub removed in the target by hand');
    page.once('dialog', (d) => void d.accept());
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved 1 row\(s\) \(decision #\d+\)\. 1 of the rows of job \d+ is a conflict/);
    const text = (await page.locator('#decision-msg').textContent())!;
    expect(text).toContain('is a conflict (a run found its key, or a value of another unique index, in the target), left as it is: a conflict row is decided again only when named');
    expect(await page.locator('#decision-msg').getAttribute('class')).toContain('warned');
    expect(store.countRows(jobId, { status: 'conflict' })).toBe(1);
    expect(store.countRows(jobId, { status: 'approved' })).toBe(1);
  }, 60_000);

  it('status filter conflict, Approve all matching: the conflict row approved again, the line says so', async () => {
    const { page, store } = desk;
    await page.locator('#f-status').selectOption('conflict');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('1 matching row');
    await page.locator('#reason').fill('stub removed in the target by hand');
    page.once('dialog', (d) => void d.accept());
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved 1 row\(s\) \(decision #\d+\)\. 1 of the rows approved was a conflict/);
    expect(await page.locator('#decision-msg').textContent()).not.toContain('left as it is');
    // the note's side table is a run's tableMap, which the page does not send: said where it is
    expect(await page.locator('#decision-msg').textContent()).toContain(`A side-table run (tableMap) is an operator's through the API, POST /api/jobs/${jobId}/reinsert with tableMap (docs/service.md, "Re-insert safety", Side tables): this page's runs go into the rows' own tables.`);
    expect(store.countRows(jobId, { status: 'conflict' })).toBe(0);
  }, 60_000);
});
