/**
 * The review page (chromium, as review.test.ts) for an offline job: rows with no login are found
 * by SID and by database user from the filter form; the blast radius names them by database user
 * and SID, not one "—" for them all; "Approve all matching" with no filter decides the whole job
 * only after the reviewer confirms it (the server refuses it without `all: true`), and a decision
 * that changed nothing says why. The row images are the corpus's; the who (SIDs, users) is test
 * data (test/staging/fixtures.ts OFFLINE_WHO). No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openReviewStore, reviewApp } from '../support/review-desk.js';
import { browserDescribe, closeReviewPage, serveReviewPage, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { StagingStore } from '../../src/staging/store.js';
import { LAYOUTS, OFFLINE_WHO, offlineRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: who, offline; the whole job only when confirmed', () => {
  let dir: string;
  let store: StagingStore;
  let app: FastifyInstance;
  let base: string;
  let ctx: BrowserContext;
  let page: Page;
  let jobId: number;
  const [win, sqlLogin] = OFFLINE_WHO;

  beforeAll(async () => {
    let reviewer: string;
    ({ dir, store, reviewer } = openReviewStore('rowback-e2e-who-'));
    const job = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf', mdf: '/evidence/crm.mdf' }, description: 'offline', createdBy: 'olga' });
    jobId = job.id;
    store.setJobState(jobId, 'running');
    store.saveJobTables(jobId, Object.values(LAYOUTS));
    store.stageBatch(jobId, offlineRows(150));
    store.setJobState(jobId, 'succeeded');
    app = await reviewApp(store);
    ({ base, ctx, page } = await serveReviewPage(app, dir));
    await signIn(page, base, reviewer);
    await page.locator('#job-list li').first().click();
  }, 120_000);

  afterAll(async () => {
    await closeReviewPage({ ctx, app, store, dir });
  });

  const apply = async (sid: string, dbUser: string) => {
    await page.locator('#f-sid').fill(sid);
    await page.locator('#f-dbUser').fill(dbUser);
    await page.locator('#apply-filters').click();
  };

  it('filters by SID (S-1-… or hex) and by database user; a SID it cannot read is marked', async () => {
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('150 matching rows');
    await apply(win.sidText, '');
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('50 matching rows');
    expect(new Set(await page.locator('#grid-body td.sid').allTextContents())).toEqual(new Set([win.sidText]));
    await apply('', 'BATCHJOB');
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('50 matching rows');
    await apply('S-1-nope', '');
    await expect.poll(() => page.locator('#filter-msg').textContent()).toContain('INPUT_BAD_SID');
    expect(await page.locator('#f-sid').getAttribute('aria-invalid')).toBe('true');
    await apply('', '');
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('150 matching rows');
  }, 60_000);

  it('the blast radius names offline rows by database user and SID', async () => {
    await page.locator('.tab[data-tab=blast]').click();
    await expect.poll(() => page.locator('#blast-logins tr').count()).toBe(4);
    const rows = await page.locator('#blast-logins tr').allTextContents();
    expect(rows).toEqual(expect.arrayContaining([`—${win.dbUser}${win.sidText}50`, `—${sqlLogin.dbUser}${sqlLogin.sid}50`]));
    await page.locator('.tab[data-tab=rows]').click();
  }, 60_000);

  it('"Approve all matching" with no filter asks first; dismissed nothing is decided, confirmed every row is', async () => {
    await page.locator('#reason').fill('the whole cleanup was a mistake');
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent()).toContain('Nothing decided');
    expect(asked[0]).toMatch(/No filter is applied: this will approve EVERY row of job #\d+ \(150 matching now/);
    expect(store.decisions(jobId)).toEqual([]);
    page.once('dialog', (d) => void d.accept());
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent()).toContain('Approved 150 row(s)');
    expect(store.decisions(jobId).map((d) => d.selector)).toEqual([{ all: true }]);
    // again: nothing changes, and the page says why
    page.once('dialog', (d) => void d.accept());
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent()).toContain('nothing was decided: each of the 150 rows of job');
  }, 60_000);
});
