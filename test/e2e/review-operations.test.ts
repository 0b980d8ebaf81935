/**
 * The review page (chromium) for a job that recovered inserts and updates beside the deletes
 * (`operations: delete, insert, update`): found trying `rowback serve` on the AngularJs_CRUD log,
 * where tblDept row Id 6 came out twice, once inserted and once deleted, and the grid showed the
 * two rows alike (no operation column; an update's before-image looked like a deleted row and its
 * after image was shown nowhere; a row decoded with warnings looked like any other).
 * And: the real re-insert run from the page inserts the rows of the dry run it confirms, not
 * whatever is approved when the operator clicks (a row approved in another tab after the dry run
 * went in too, though the dialog had said "Insert 2").
 * And: "Reject all matching" decided the last applied filter while the form showed another one typed
 * since (not applied): rows the reviewer never saw.
 * Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); ids, operations and
 * warnings are test data. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: operations, warnings, and the run of the dry run shown', () => {
  let jobId: number;
  const desk = reviewDesk('rowback-e2e-ops-', {
    target: true,
    stage: ({ store }) => {
      const job = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf', mdf: '/evidence/crm.mdf' }, description: 'offline', createdBy: 'olga' });
      jobId = job.id;
      store.setJobState(jobId, 'running');
      store.saveJobTables(jobId, [LAYOUTS['dbo.T']!]);
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      const ops = ['delete', 'insert', 'update', 'delete', 'delete'] as const;
      store.stageBatch(jobId, ops.map((operation, i) => ({
        ...base0, lsn: `0000002a:00000100:000${i + 1}`, operation,
        values: { Id: i + 1, Name: `before ${i + 1}` },
        ...(operation === 'update' ? { after: { Id: i + 1, Name: 'after 3' } } : {}),
        warnings: i === 3 ? ['column Name: value cut at 8 bytes'] : [],
      })));
      store.setJobState(jobId, 'succeeded');
    },
    app: ({ target }) => ({ targets: { side: { connectionString: 'Server=side-sql;Database=CRM_restore' } }, connectTarget: () => target }),
  });

  it('the grid says each row\'s operation and its warnings; an update\'s detail shows both images', async () => {
    const { page } = desk;
    await openFirstJob(desk, 5);
    expect(await page.locator('#grid-head th').allTextContents()).toContain('Op');
    expect(await page.locator('#grid-body td.op').allTextContents()).toEqual(['delete', 'insert', 'update (before)', 'delete', 'delete']);
    const warned = await page.locator('#grid-body tr').evaluateAll((trs) => trs.map((tr) => Boolean(tr.querySelector('.st.warned'))));
    expect(warned).toEqual([false, false, false, true, false]);
    await page.locator('#grid-body tr[data-row="3"] td').nth(5).click();
    await expect.poll(() => page.locator('#detail-title').textContent()).toBe('Row #3 · dbo.T · update (before-image) · pending');
    expect(await page.locator('#detail-values tr').allTextContents()).toEqual(['columnbeforeafter (the update left)', 'Id33', 'Namebefore 3after 3']);
  }, 60_000);

  it('"Reject all matching" refuses while the filter fields differ from the filter the grid shows', async () => {
    const { page, store } = desk;
    await page.locator('#f-q').fill('3');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('1 matching rows');
    await page.locator('#f-q').fill('2'); // typed, not applied: the grid still shows row 3
    await page.locator('#reason').fill('not part of the incident');
    await page.locator('#reject-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent()).toContain('changed and not applied');
    expect(store.decisions(jobId)).toEqual([]);
    expect(store.getRow(jobId, 3)?.status).toBe('pending');
    await page.locator('#f-q').fill('');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('5 matching rows');
  }, 60_000);

  it('the Operation filter shows the deleted rows alone (a reviewer could not ask for them)', async () => {
    const { page } = desk;
    await page.locator('#f-operation').selectOption('delete');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('3 matching rows');
    expect(await page.locator('#grid-body td.op').allTextContents()).toEqual(['delete', 'delete', 'delete']);
    await page.locator('#f-operation').selectOption('');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('5 matching rows');
  }, 60_000);

  it('the real run inserts the rows of the dry run confirmed, not a row approved after it', async () => {
    const { page, base, reviewer, operator, store, app, target } = desk;
    const decide = (ids: number[]) => app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: { authorization: `Bearer ${reviewer}` }, payload: { decision: 'approve', reason: 'deleted by the cleanup', ids } });
    expect((await decide([1, 4])).statusCode).toBe(200);
    await page.evaluate('sessionStorage.clear()');
    await signIn(page, base, operator);
    await page.locator('#job-list li').first().click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 2 row\(s\) in 1 batch\(es\)/);
    // another reviewer approves one more row while the operator reads the script
    expect((await decide([5])).statusCode).toBe(200);
    await page.locator('#run-reinsert').click();
    expect(await page.locator('#confirm-text').textContent()).toMatch(/^Insert 2 approved row\(s\)/);
    await page.locator('#confirm-input').fill('2');
    await page.locator('#confirm-go').click();
    await expect.poll(() => page.locator('#run-title').textContent(), { timeout: 20_000 }).toMatch(/: succeeded$/);
    expect(target.counts().rows).toBe(2);
    expect(store.getRow(jobId, 5)?.status).toBe('approved');
    // the decision's time in the row detail names its zone (the log times beside it are the server's clock)
    await page.locator('.tab[data-tab=rows]').click();
    await page.locator('#grid-body tr[data-row="5"] td').nth(5).click();
    await expect.poll(() => page.locator('#detail-notes li').first().textContent()).toMatch(/^approve by rafael at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(.+\): deleted by the cleanup$/);
  }, 60_000);
});
