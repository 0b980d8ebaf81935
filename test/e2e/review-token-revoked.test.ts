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
});
