/**
 * The review page's browser tests (test/e2e) in Debian's chromium through playwright-core: where the
 * browser is, the loud skip when it is missing (a failure under CI=true: the browser test must
 * run there), and one launch with the flags every test uses.
 */
import { existsSync } from 'node:fs';
import { describe } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';

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
