/**
 * The review page's browser tests (test/e2e) in Debian's chromium through playwright-core: where the
 * browser is, the loud skip when it is missing (a failure under CI=true: the browser test must
 * run there), and one launch with the flags every test uses.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe } from 'vitest';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import { buildApp } from '../../src/api/app.js';
import { StagingStore } from '../../src/staging/store.js';
import { silentLogger } from '../../src/util/logger.js';
import { CORPUS_DIR } from './corpus.js';

/** The chromium binary: `ROWBACK_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.ROWBACK_CHROMIUM ?? '/usr/bin/chromium';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const msg = `chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set ROWBACK_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`${msg}: under CI=true the browser test must run`);
  process.stderr.write(`\n*** SKIPPING the browser test: ${msg} ***\n\n`);
}

/** `describe` when chromium is there (and `also`, e.g. the corpus), else `describe.skip` (said loudly above). */
export function browserDescribe(also = true): typeof describe | typeof describe.skip {
  return haveChromium && also ? describe : describe.skip;
}

/**
 * A headless chromium with a fresh profile in `profileDir`, a 1280×860 viewport unless `options`
 * says otherwise, and the flags that keep it off the network and quiet.
 */
export function launchChromium(profileDir: string, options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 860 },
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The review page served by `app` and opened in chromium (serveReviewPage). */
export interface ServedPage {
  base: string;
  ctx: BrowserContext;
  page: Page;
}

/**
 * Listens `app` on 127.0.0.1 (any free port) and opens its review page's browser: a chromium
 * profile in `dir/profile` (launchChromium's `options`), its first page. The set-up six browser
 * test files wrote each.
 */
export async function serveReviewPage(app: FastifyInstance, dir: string, options: Parameters<typeof launchChromium>[1] = {}): Promise<ServedPage> {
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const ctx = await launchChromium(join(dir, 'profile'), options);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return { base, ctx, page };
}

/**
 * Closes what a browser test opened, whichever of them were: the browser, the app, the staging
 * store; then removes `dir`, unless ROWBACK_KEEP_SCREENSHOTS asks to keep it (said on stderr).
 */
export async function closeReviewPage(o: { ctx?: BrowserContext; app?: FastifyInstance; store?: { close(): void }; dir?: string }): Promise<void> {
  await o.ctx?.close();
  await o.app?.close();
  o.store?.close();
  if (!o.dir) return;
  if (process.env.ROWBACK_KEEP_SCREENSHOTS) process.stderr.write(`screenshots kept in ${o.dir}\n`);
  else rmSync(o.dir, { recursive: true, force: true });
}

/** The review page signed in as an operator for the new-job form (openJobForm). */
export interface JobForm extends ServedPage {
  /** The bodies of every POST /api/jobs the page sent, in order. */
  posted: Record<string, unknown>[];
  /** Uncaught errors of the page. */
  errors: string[];
}

/**
 * Serves `app`, opens its page (serveReviewPage), records the page's errors and the job specs it
 * posts, and signs in with `token`; returns once the page shows who is signed in. The set-up of the
 * new-job form's browser tests.
 */
export async function openJobForm(app: FastifyInstance, dir: string, token: string): Promise<JobForm> {
  const served = await serveReviewPage(app, dir);
  const posted: Record<string, unknown>[] = [];
  const errors: string[] = [];
  served.page.on('pageerror', (e) => errors.push(String(e)));
  served.page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/jobs') posted.push(JSON.parse(r.postData() ?? '{}')); });
  await signIn(served.page, served.base, token);
  await served.page.locator('#who-name').waitFor();
  return { ...served, posted, errors };
}

/**
 * The new-job form's browser tests' whole set-up: a fresh folder (`prefix` + random) holding a
 * staging store, an operator's token, the app over it reading files under the corpus, and the form
 * opened and signed in (openJobForm). Close with closeReviewPage({ ctx, app, store, dir }).
 */
export async function openOperatorJobForm(prefix: string, o: { dirIsFileRoot?: boolean } = {}): Promise<JobForm & { dir: string; store: StagingStore; app: FastifyInstance }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = new StagingStore(join(dir, 'staging.db'));
  const operator = store.createToken('olga', 'operator').token;
  // dirIsFileRoot: a test writes files for its jobs (an export) in `dir`, which the service may then read
  const app = await buildApp({ store, logger: silentLogger, fileRoots: o.dirIsFileRoot ? [CORPUS_DIR, dir] : [CORPUS_DIR] });
  return { ...(await openJobForm(app, dir, operator)), dir, store, app };
}

/**
 * For a describe block of the new-job form's browser tests: openOperatorJobForm(`prefix`) in its
 * beforeAll, everything closed and the folder removed in its afterAll (the lines three job-form
 * test files wrote each). Returns the form, filled in once beforeAll ran: read it inside the tests.
 */
export function operatorJobForm(prefix: string, o: { dirIsFileRoot?: boolean } = {}): JobForm & { dir: string; store: StagingStore; app: FastifyInstance } {
  const f = {} as JobForm & { dir: string; store: StagingStore; app: FastifyInstance };
  beforeAll(async () => {
    Object.assign(f, await openOperatorJobForm(prefix, o));
  }, 120_000);
  afterAll(async () => {
    await closeReviewPage({ ctx: f.ctx, app: f.app, store: f.store, dir: f.dir });
  });
  return f;
}

/** Opens the review page at `base` in `page` and signs in with `token` (the sign-in form's steps). */
export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(base + '/');
  await page.locator('#token').fill(token);
  await page.locator('#login-button').click();
}

/**
 * Makes the first request of `page` whose URL `match` accepts slow by `ms` milliseconds; later ones go
 * through at once. `when: 'request'` (the default) holds the request back, so the service reads its
 * state after the delay; `when: 'answer'` lets the service answer at once and holds the answer back (a
 * late answer of the state as it was). The review page's late-answer races are made deterministic this
 * way. Returns the undo (`page.unroute` of this handler).
 */
export async function delayOnce(page: Page, match: (u: URL) => boolean, ms: number, o: { when?: 'request' | 'answer' } = {}): Promise<() => Promise<void>> {
  let armed = true;
  const handler = async (route: Route) => {
    if (!armed) return route.continue();
    armed = false;
    if (o.when === 'answer') {
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, ms));
      return route.fulfill({ response });
    }
    await new Promise((r) => setTimeout(r, ms));
    return route.continue();
  };
  await page.route(match, handler);
  return () => page.unroute(match, handler);
}
