/**
 * The review page in a real browser: Debian's chromium driven by playwright-core. Starts the
 * app on 127.0.0.1 with a temp SQLite file holding staged rows (real corpus row images), logs in
 * as a reviewer, approves rows, opens a row's raw bytes, looks at the blast radius, reads the
 * dry-run script, and checks the screenshots (PNG, size, pixels).
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openReviewStore } from '../support/review-desk.js';
import { browserDescribe, closeReviewPage, serveReviewPage, signIn } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { StagingStore } from '../../src/staging/store.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { readPng } from './png.js';
import { fakeRecover, fakeSource } from '../worker/fake-source.js';

const describeBrowser = browserDescribe(corpusAvailable);

const VIEWPORT = { width: 1280, height: 860 };

describeBrowser('review page in chromium', () => {
  let dir: string;
  let store: StagingStore;
  let app: FastifyInstance;
  let base: string;
  let ctx: BrowserContext;
  let page: Page;
  let jobId: number;
  let reviewer: string;
  let operator: string;
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const shots: string[] = [];

  beforeAll(async () => {
    ({ dir, store, reviewer, operator } = openReviewStore('rowback-e2e-'));
    const job = store.createJob({ kind: 'files', spec: { ldf: '/evidence/CRM_log.ldf', mdf: '/evidence/CRM.mdf' }, description: '/evidence/CRM.mdf, /evidence/CRM_log.ldf', windowFrom: '2024-03-01T09:00:00.000', windowTo: '2024-03-01T12:00:00.000', createdBy: 'olga' });
    jobId = job.id;
    store.setJobState(jobId, 'running');
    for (let i = 0; i < 600; i += 200) store.stageBatch(jobId, corpusRows(200, i));
    store.saveJobTables(jobId, Object.values(LAYOUTS));
    store.setScanProgress(jobId, { bytesRead: 1_288_490_188, bytesTotal: 1_288_490_188, recordsRead: 3_402_118, pass: 2, passes: 2 });
    store.setJobState(jobId, 'succeeded');
    // jobs created during the test read a source that pauses at row 1,500 until the test lets it
    // go on; it reports progress as pass 2 of a 1.2 GB log, half read at the pause
    let seen = 0;
    const progress = () => ({ bytesRead: seen * 429_496, bytesTotal: 3000 * 429_496, recordsRead: seen * 1134, pass: 2, passes: 2 });
    app = await buildApp({
      store, logger: silentLogger, openSource: async () => ({ ...fakeSource(), progress }),
      recover: fakeRecover({ rows: 3000, beforeRow: async (i) => { seen = i; if (i === 1500) await gate; } }),
      // the fake source reads no files: its spec names a file that does not exist
      validateJob: async () => {},
    });
    ({ base, ctx, page } = await serveReviewPage(app, dir, { viewport: VIEWPORT }));
  }, 120_000);

  afterAll(async () => {
    await closeReviewPage({ ctx, app, store, dir });
  });

  async function shot(name: string): Promise<ReturnType<typeof readPng>> {
    const file = join(dir, `${name}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
    const buf = readFileSync(file);
    expect(statSync(file).size).toBeGreaterThan(10_000);
    const png = readPng(buf);
    expect([png.width, png.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
    // the header bar is the page's dark navy (#101828)
    expect(png.pixel(4, 4)).toEqual([0x10, 0x18, 0x28]);
    return png;
  }

  it('logs in, approves rows, shows raw bytes, blast radius and the dry-run script', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

    await page.goto(base + '/');
    await page.locator('#token').fill('rbk_wrong-token');
    await page.locator('#login-button').click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('not accepted');
    // and why a token just made may not be known here: another staging file (--db)
    expect(await page.locator('#login-error').textContent()).toContain("create the token with the server's --db");
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    errors.length = 0;

    await page.locator('#token').fill(reviewer);
    await page.locator('#login-button').click();
    await page.locator('#grid-body tr').first().waitFor();
    expect(await page.locator('#who-name').textContent()).toBe('rafael');
    expect(await page.locator('#grid-body tr').count()).toBe(50);
    expect(await page.locator('#page-info').textContent()).toContain('page 1 of 12 · 600 matching rows');
    expect(await page.locator('#job-list li').first().textContent()).toContain('600 rows staged');
    expect(await page.locator('#job-list li .scan').first().textContent()).toBe('pass 2/2 · 1.2 GiB of 1.2 GiB log read · 3,402,118 records');
    await shot('1-grid');

    // keyset paging: next page starts after the last id of page 1
    await page.locator('#next-page').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('page 2');
    expect(await page.locator('#grid-body tr').first().getAttribute('data-row')).toBe('51');
    // and back: Previous page shows the page before (the grid had First and Next only: a reviewer
    // one page past a row walked from the first page again)
    await page.locator('#next-page').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('page 3');
    expect(await page.locator('#grid-body tr').first().getAttribute('data-row')).toBe('101');
    await page.locator('#prev-page').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('page 2');
    expect(await page.locator('#grid-body tr').first().getAttribute('data-row')).toBe('51');
    await page.locator('#prev-page').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('page 1 of 12');
    expect(await page.locator('#grid-body tr').first().getAttribute('data-row')).toBe('1');
    expect(await page.locator('#prev-page').isDisabled()).toBe(true);
    await page.locator('#next-page').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('page 2');

    // filter to one table, select three rows, approve with a reason
    await page.locator('#f-table').selectOption('dbo.T');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent()).toContain('page 1');
    expect(await page.locator('#grid-body tr td:nth-child(3)').allTextContents()).toEqual(Array(50).fill('dbo.T'));
    for (let i = 0; i < 3; i++) await page.locator('#grid-body input[type=checkbox]').nth(i).check();
    await page.locator('#reason').fill('deleted by the faulty nightly batch job');
    await page.locator('#approve-selected').click();
    await expect.poll(() => page.locator('#decision-msg').textContent()).toContain('Approved 3 row(s)');
    expect(store.countRows(jobId, { status: 'approved' })).toBe(3);
    await expect.poll(() => page.locator('#grid-body .st.approved').count()).toBe(3);

    // approve everything matching a filter: the Decimal table
    await page.locator('#f-table').selectOption('dbo.DecimalTest');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#grid-body tr td:nth-child(3)').first().textContent()).toBe('dbo.DecimalTest');
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent()).toContain('Approved 200 row(s)');
    expect(store.countRows(jobId, { status: 'approved' })).toBe(203);
    expect(store.audit({ jobId }).filter((a) => a.action === 'rows.approve').map((a) => a.actor)).toEqual(['rafael', 'rafael']);

    // row detail: every column and the raw bytes
    await page.locator('#grid-body tr').first().click();
    await page.locator('#detail').waitFor();
    const values = await page.locator('#detail-values tr').allTextContents();
    expect(values).toEqual(['Id1', 'Small123.45', 'Big123456789012.3456']);
    const raw = await page.locator('#detail-raw').textContent();
    expect(raw).toContain('25 bytes');
    expect(raw).toContain('0000  10001600 01000000 01393000 0001C0BA');
    await shot('2-row-detail');
    await page.locator('#detail-close').click();

    // blast radius with its chart
    await page.locator('.tab[data-tab=blast]').click();
    await page.locator('#blast-chart svg').waitFor();
    expect(await page.locator('#blast-chart rect.b').count()).toBe(12);
    expect(await page.locator('#blast-total').textContent()).toContain('600 rows in 5 table(s), 12 transaction(s)');
    const blast = await shot('3-blast-radius');
    // some bar pixels are the accent blue (#2457c5)
    let blue = 0;
    for (let x = 300; x < 1260; x += 3) for (let y = 200; y < 420; y += 5) { const [r, g, b] = blast.pixel(x, y); if (r === 0x24 && g === 0x57 && b === 0xc5) blue++; }
    expect(blue).toBeGreaterThan(50);

    // dry-run script of the approved rows
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#script').textContent()).toContain('INSERT INTO');
    const script = (await page.locator('#script').textContent())!;
    expect(script).toContain('INSERT INTO [dbo].[T] ([Id], [Name]) VALUES (');
    expect(script).toContain("nvarchar(50) = N'hi'");
    expect(script).toContain('INSERT INTO [dbo].[DecimalTest] ([Id], [Small], [Big]) VALUES (');
    expect(script.match(/INSERT INTO (?!\[dbo\]\.\[rowback_reinsert_ledger_rows\])/g)).toHaveLength(203);
    expect(await page.locator('#dry-run-msg').textContent()).toContain('203 row(s)');
    await shot('4-dry-run');

    // the job's audit log: both decisions and the dry run, with who did them
    await page.locator('.tab[data-tab=audit]').click();
    await expect.poll(() => page.locator('#audit tr').count()).toBeGreaterThan(3);
    const audit = await page.locator('#audit tr').allTextContents();
    expect(audit.filter((r) => r.includes('rows.approve') && r.includes('rafael'))).toHaveLength(2);
    expect(audit.some((r) => r.includes('reinsert.dry-run'))).toBe(true);

    // live progress: a job started through the API shows up running, then finished, without a reload
    const created = await fetch(base + '/api/jobs', { method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'files', ldf: '/evidence/CRM_log_2.ldf' }) });
    expect(created.status).toBe(201);
    const newId = ((await created.json()) as { id: number }).id;
    const li = page.locator(`#job-list li[data-job="${newId}"]`);
    await expect.poll(() => li.textContent(), { timeout: 20_000 }).toContain('1,000 rows staged');
    expect(await li.locator('.state').textContent()).toBe('running');
    // the source's progress, sampled once a second, polled by the page every 2 s: a determinate bar at 75 % (pass 2 of 2, half read)
    await expect.poll(() => li.locator('.scan').textContent(), { timeout: 20_000 }).toBe('pass 2/2 · 614 MiB of 1.2 GiB log read · 1,701,000 records');
    expect(await li.locator('.bar').getAttribute('class')).toBe('bar running determinate');
    expect(await li.locator('.bar > span').getAttribute('style')).toBe('width: 75%;');
    await shot('5-live-progress');

    // an operator, in another tab, cancels the running job from the page, then resumes it
    const opPage = await ctx.newPage();
    opPage.on('pageerror', (e) => errors.push(String(e)));
    await signIn(opPage, base, operator);
    await opPage.locator(`#job-list li[data-job="${newId}"]`).click();
    await expect.poll(() => opPage.locator('#job-cancel').isVisible()).toBe(true);
    expect(await opPage.locator('#job-resume').isVisible()).toBe(false);
    await opPage.locator('#job-cancel').click();
    await expect.poll(() => opPage.locator('#job-action-msg').textContent()).toBe('Cancelled; rows staged so far are kept.');
    release();
    await expect.poll(() => store.requireJob(newId).state, { timeout: 20_000 }).toBe('cancelled');
    const kept = store.requireJob(newId).rowsStaged;
    expect(kept).toBeGreaterThanOrEqual(1000);
    expect(kept).toBeLessThan(3000);
    await expect.poll(() => opPage.locator('#job-resume').isVisible(), { timeout: 20_000 }).toBe(true);
    await opPage.locator('#job-resume').click();
    await expect.poll(() => opPage.locator('#job-action-msg').textContent()).toBe('Resumed; rows already staged are not staged again.');
    await expect.poll(() => store.requireJob(newId).state, { timeout: 20_000 }).toBe('succeeded');
    expect(store.requireJob(newId).rowsStaged).toBe(3000);
    expect(store.audit({ jobId: newId }).map((a) => a.action)).toEqual(expect.arrayContaining(['job.cancel', 'job.resume']));
    await opPage.close();
    await expect.poll(() => li.textContent(), { timeout: 20_000 }).toContain('3,000 rows staged');
    await expect.poll(() => li.locator('.state').textContent(), { timeout: 20_000 }).toBe('succeeded');

    expect(errors, errors.join("\n")).toEqual([]);
    expect(shots).toHaveLength(5);
  });
});
