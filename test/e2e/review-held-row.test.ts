/**
 * A recovery day on the review page around a run that stopped after its first batch committed in
 * the target and before staging recorded it (the service stopped): the batch is still `planned`,
 * its rows approved, and a decision on them is refused (STAGING_DECISION_RUN_ACTIVE: maybe back in
 * the table already). The run panel said "6 row(s) in 3 batch(es) not yet committed" of those rows
 * while the refusal said they may be in the table; the refusal's way on (resume the run, POST
 * …/resume) was an operator's, the reviewer's page saying nothing of who can. Now the run panel names
 * the batch that may have committed and who settles it (the API's `remaining.mayBeIn`), and the
 * refusal on the page says the grid shows the rows as they are and only an operator resumes. Then
 * the operator resumes from the page, and the reviewer's decisions go through as the page says.
 * "Reject all matching" rejects the rows no run holds and says which it held back, by which run
 * (it was refused whole, the way on by id); again, with only held rows left, it is refused.
 * Rows: a corpus row image (test/staging/fixtures.ts); ids and values are test data. No chromium: a
 * FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { stoppedRunDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: rows of a stopped run\'s batch that may have committed', () => {
  let jobId: number;
  let runId: number;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const desk = stoppedRunDesk('rowback-e2e-held-', {
    rows: 6,
    got: (j, r) => { jobId = j; runId = r; },
  });

  it('the run panel names the batch that may have committed, as the API does, and who settles it', async () => {
    const { page, base, reviewer, app, target } = desk;
    expect(target.counts().rows).toBe(2);
    const api = (await app.inject({ url: `/api/reinsert-runs/${runId}`, headers: auth(reviewer) })).json();
    expect(api.remaining).toMatchObject({ batches: 3, rows: 6, mayBeIn: { batches: [1], rows: 2 } });
    await signIn(page, base, reviewer);
    await page.locator('#job-list li').first().click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('6 matching rows');
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-left').textContent(), { timeout: 15_000 }).toContain('may have committed in the target');
    expect(await page.locator('#run-left').textContent()).toBe("6 row(s) in 3 batch(es) not yet committed. Batch(es) 1 (2 row(s)) may have committed in the target without the run recording it (it stopped while sending them): no decision changes those rows until the run is resumed, which reads the target's ledger first (rows found there become re-inserted; a batch not found there then runs, and its rows, still approved, go in too; its undo deletes either); only an operator resumes a run.");
  }, 60_000);

  it('a reviewer rejecting a row of that batch is refused: the page says who can settle it, shows the rows as they are, selects nothing; a row of another batch is decided', async () => {
    const { page, store } = desk;
    await page.locator('.tab[data-tab=rows]').click();
    await page.locator('#grid-body tr[data-row="1"] input[type=checkbox]').check();
    await page.locator('#reason').fill('not this one after all');
    await page.locator('#reject-selected').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toContain('STAGING_DECISION_RUN_ACTIVE');
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toContain('only an operator resumes a stopped run');
    expect(await page.locator('#decision-msg').textContent()).toContain('#1 (batch 1); it may have committed before the run stopped');
    expect(await page.locator('#decision-msg').textContent()).toContain('The grid now shows the rows as they are (nothing selected)');
    expect(await page.locator('#grid-body input[type=checkbox]:checked').count()).toBe(0);
    expect(store.getRow(jobId, 1)!.status).toBe('approved');
    // the row's detail says what holds it (it said only "approved"), as the API's heldBy does
    await page.locator('#grid-body tr[data-row="1"]').click();
    await expect.poll(() => page.locator('#detail-notes li').allTextContents(), { timeout: 15_000 }).toContain(`held by re-insert run ${runId} (batch 1, failed): that batch may have committed in the target without the run recording it, this row then back in dbo.T already; no decision changes this row until the run is resumed (it reads the target's ledger first); only an operator resumes a run`);
    expect((await desk.app.inject({ url: `/api/jobs/${jobId}/rows/1`, headers: auth(desk.reviewer) })).json().heldBy).toEqual({ runId, batchNo: 1, state: 'failed' });
    expect((await desk.app.inject({ url: `/api/jobs/${jobId}/rows/3`, headers: auth(desk.reviewer) })).json().heldBy).toBeNull();
    await page.locator('#detail-close').click();
    // "Reject all matching" of status=approved: rows 3-6 are rejected, rows 1 and 2 (batch 1) held
    // back, and the page says so with the run and the way on (it was refused whole, the way on by id)
    await page.locator('#f-status').selectOption('approved');
    // the filtered page line reads as the unfiltered one (every row is approved): cleared first, so
    // the poll waits for the filter's own page, not the one an earlier step left (a race under load:
    // "Reject all matching" then went out with the unfiltered page's count)
    await page.evaluate("document.getElementById('page-info').textContent = ''");
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('6 matching rows');
    await page.locator('#reject-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toContain(`2 row(s) held back by re-insert run ${runId} (failed`);
    const said = (await page.locator('#decision-msg').textContent())!;
    expect(said).toMatch(/^Rejected 4 row\(s\) \(decision #\d+\)\. 4 of the 6 rows the filter matches were decided; 2 row\(s\) held back by re-insert run \d+ \(failed, started by [^;]+; batch 1\) were left out, not decided \(#1, #2\): /);
    expect(said).toContain(`have an operator resume run ${runId} (POST /api/reinsert-runs/${runId}/resume)`);
    expect(await page.locator('#decision-msg').getAttribute('class')).toContain('warned');
    expect([store.countRows(jobId, { status: 'approved' }), store.countRows(jobId, { status: 'rejected' })]).toEqual([2, 4]);
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('2 matching rows');
    // again: only the held rows are left to change, so nothing is decided, and the page says why
    await page.locator('#reject-filter').click();
    // the page adds its sentence once the grid is read again: waited for (read at once, under load it was not there yet)
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toContain('here every row it would change is held, so there is nothing to decide until the run lets them go');
    expect(await page.locator('#decision-msg').textContent()).toContain('STAGING_DECISION_RUN_ACTIVE: every one of the 2 rows this decision would change');
    expect(store.countRows(jobId, { status: 'approved' })).toBe(2);
    // rows 3-6 approved again (none held), to go on as the reviewer did before
    await page.locator('#f-status').selectOption('rejected');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved 4 row\(s\) \(decision #\d+\)\.$/);
    expect(await page.locator('#decision-msg').getAttribute('class')).not.toContain('warned');
    await page.locator('#f-status').selectOption('approved');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('6 matching rows');
    expect(store.countRows(jobId, { status: 'approved' })).toBe(6);
    // a row of batch 2 (never sent) is decided as ever
    await page.locator('#grid-body tr[data-row="3"] input[type=checkbox]').check();
    await page.locator('#reject-selected').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Rejected 1 row\(s\) \(decision #\d+\)\.$/);
    expect(store.getRow(jobId, 3)!.status).toBe('rejected');
    // the grid (status=approved) no longer lists it, and counts as the API does
    expect(await page.locator('#grid-body tr[data-row="3"]').count()).toBe(0);
    expect(await page.locator('#page-info').textContent()).toContain('5 matching rows');
    expect(store.countRows(jobId, { status: 'approved' })).toBe(5);
  }, 60_000);

  it('the operator resumes it from the page: batch 1 is read from the ledger (not inserted twice), batch 2 refused for the rejected row; then the reviewer decides row 4 and row 1 is past review', async () => {
    const { page, base, operator, reviewer, app, target, store } = desk;
    await page.evaluate('sessionStorage.clear()');
    await signIn(page, base, operator);
    await page.locator('#job-list li').first().click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-left').textContent(), { timeout: 15_000 }).toContain('1 of them no longer approved');
    // an operator is not told to ask one
    expect(await page.locator('#run-left').textContent()).toContain('(rows found there become re-inserted; a batch not found there then runs, and its rows, still approved, go in too; its undo deletes either).');
    await page.locator('#run-resume').click();
    await page.locator('#resume-input').fill('6');
    await page.locator('#resume-go').click();
    await expect.poll(() => page.locator('#run-title').textContent(), { timeout: 20_000 }).toMatch(/: failed$/);
    await expect.poll(() => page.locator('#run-left').textContent(), { timeout: 15_000 }).toBe('2 row(s) in 1 batch(es) not yet committed; 1 of them no longer approved (their batch(es) would fail again).');
    expect(target.counts().rows).toBe(4);
    expect(store.getRow(jobId, 1)!.status).toBe('reinserted');
    const api = (await app.inject({ url: `/api/reinsert-runs/${runId}`, headers: auth(reviewer) })).json();
    expect(api.remaining.mayBeIn).toEqual({ batches: [], rows: 0 });
    expect((await app.inject({ url: `/api/jobs/${jobId}/rows/1`, headers: auth(reviewer) })).json().heldBy).toBeNull();
    // the reviewer: row 4 (batch 2, never sent) is decided; row 1 is re-inserted, past review
    const rows = (await app.inject({ url: `/api/jobs/${jobId}/rows?count=true`, headers: auth(reviewer) })).json();
    const r4 = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth(reviewer), payload: { decision: 'reject', reason: 'not this one after all', ids: [4], seen: { 4: 'approved' }, asOf: rows.asOf } });
    expect(r4.json().rows).toBe(1);
    const r1 = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth(reviewer), payload: { decision: 'reject', reason: 'not this one after all', ids: [1], seen: { 1: 'reinserted' }, asOf: rows.asOf } });
    expect(r1.statusCode).toBe(200);
    expect(r1.json().rows).toBe(0);
  }, 90_000);
});
