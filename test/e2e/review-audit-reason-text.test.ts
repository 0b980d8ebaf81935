/**
 * A decision's reason in the Audit tab and the row detail. The reason is free text, kept as
 * typed; the page drew it as is: a reason holding U+202E (right-to-left override) showed the rest
 * of the audit entry reversed, a zero-width space nothing, so the "why" of a decision read other
 * than what the audit log holds. Now each such character is marked U+XXXX there, as values are in
 * the grid. Rows: corpus row images (test/staging/fixtures.ts); the reason is SYNTHETIC. No
 * chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);
const REASON = 'owner said \u202Etcejer\u202C ok\u200B (SYNTHETIC)';

describeBrowser('review page: a reason with bidi and zero-width characters', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-audit-reason-', {
    stage: ({ store }) => {
      jobId = stagedJob(store, corpusRows(3));
      store.decide(jobId, { actor: 'rafael', decision: 'approve', reason: REASON, ids: [1] });
    },
  });

  it('the Audit tab and the row detail mark them', async () => {
    const { page } = desk;
    await openFirstJob(desk, 3);
    await page.locator('.tab[data-tab="audit"]').click();
    const cell = page.locator('#audit tr', { hasText: 'rows.approve' }).locator('td').nth(4);
    await expect.poll(() => cell.count(), { timeout: 15_000 }).toBe(1);
    const shown = await cell.evaluate((td) => (td as unknown as { innerText: string }).innerText);
    expect(shown).toContain('owner said U+202EtcejerU+202C okU+200B (SYNTHETIC)');
    expect(shown).not.toMatch(/[\u202a-\u202e\u200b]/);
    await page.locator('.tab[data-tab="rows"]').click();
    await page.locator(`#grid-body tr[data-row="1"]`).click();
    await expect.poll(() => page.locator('#detail-notes').evaluate((ul) => (ul as unknown as { innerText: string }).innerText), { timeout: 15_000 })
      .toContain('owner said U+202Etcejer');
    expect(await page.locator('#detail-notes').evaluate((ul) => (ul as unknown as { innerText: string }).innerText)).not.toMatch(/[\u202a-\u202e\u200b]/);
  }, 60_000);
});
