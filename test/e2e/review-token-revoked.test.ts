/**
 * The review page (chromium), a reviewer whose token is revoked while the page is open (newcomer
 * B's find, `rowback token revoke` while the reviewer worked): the next poll signed the page out
 * with "Your token was refused (AUTH_INVALID)." alone: not why a token that had worked a moment ago
 * failed, nor what to do. Now it says it was revoked (or the service runs on another staging file),
 * that nothing was sent with it since, and how to get one. Row images: the corpus examples
 * (test/staging/fixtures.ts).
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a token revoked while the page is open', () => {
  const desk = reviewDesk('rowback-e2e-revoked-', { stage: ({ store }) => { stagedJob(store, corpusRows(2)); } });

  it('signs out saying the token was revoked and what to do', async () => {
    const { page, store } = desk;
    await openFirstJob(desk, 2);
    expect(store.revokeToken('rafael')).toBe(true);
    // the job list's next poll (every 2 s) is refused
    await expect.poll(() => page.locator('#login').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#login-error').textContent()).toBe('Your token was refused (AUTH_INVALID): it was revoked (rowback token revoke), or this service now runs on another staging file. '
      + 'Nothing was sent with it since; a reason or filter you had typed is not kept. Sign in with a valid token (rowback token create NAME --role ROLE --db FILE makes one).');
  }, 60_000);

  it('a reload whose kept token is refused says so on the sign-in form (it was blank)', async () => {
    const { page, store } = desk;
    // (the page is signed out by the case above: its reviewer's token is revoked)
    // the tab keeps its token (sessionStorage): revoked, then the page reloaded before a poll signs it out
    const { token } = store.createToken('rosa', 'reviewer');
    await page.evaluate(`sessionStorage.setItem('rowback.token', ${JSON.stringify(token)})`);
    expect(store.revokeToken('rosa')).toBe(true);
    await page.reload();
    await expect.poll(() => page.locator('#login').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#login-error').textContent()).toBe('The token this tab was signed in with was refused (AUTH_INVALID): it was revoked (rowback token revoke), or this service now runs on another staging file. '
      + 'Sign in with a valid token (rowback token create NAME --role ROLE --db FILE makes one).');
  }, 60_000);

  it('a reload while the service does not answer says that, not that the token was refused', async () => {
    const { page, store } = desk;
    const { token } = store.createToken('rudi', 'reviewer');
    await page.evaluate(`sessionStorage.setItem('rowback.token', ${JSON.stringify(token)})`);
    await page.route('**/api/me', (r) => r.abort('connectionrefused'));
    try {
      await page.reload();
      await expect.poll(() => page.locator('#login-error').textContent(), { timeout: 15_000 }).toMatch(/^The rowback service could not be reached \(.+\): the token was not checked\. Sign in again once it answers\.$/);
      expect(await page.locator('#login').isVisible()).toBe(true);
    } finally {
      await page.unroute('**/api/me');
    }
  }, 60_000);
});
