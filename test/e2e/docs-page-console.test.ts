/**
 * The API's interactive docs (/docs, @fastify/swagger-ui) in chromium: the page loads its document
 * (/docs/json) and shows the routes with no error in the browser's console. SYNTHETIC store (no job).
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { StagingStore } from '../../src/staging/store.js';
import { silentLogger } from '../../src/util/logger.js';
import { browserDescribe, closeReviewPage, serveReviewPage } from '../support/browser.js';

const describeBrowser = browserDescribe();

describeBrowser('/docs in chromium', () => {
  let dir = '';
  let store: StagingStore;
  let app: FastifyInstance;
  let ctx: BrowserContext;
  let page: Page;
  let base = '';
  const said: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-e2e-docs-'));
    store = new StagingStore(join(dir, 'staging.db'));
    app = await buildApp({ store, logger: silentLogger });
    ({ base, ctx, page } = await serveReviewPage(app, dir));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') said.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => said.push(`pageerror: ${e.message}`));
  }, 120_000);
  afterAll(async () => { await closeReviewPage({ ctx, app, store, dir }); });

  it('shows the routes, no error or CSP refusal in the console', async () => {
    await page.goto(`${base}/docs`);
    await expect.poll(() => page.locator('.opblock-summary-path').count(), { timeout: 20_000 }).toBeGreaterThan(10);
    await page.waitForTimeout(500);
    expect(said).toEqual([]);
  }, 60_000);
});
