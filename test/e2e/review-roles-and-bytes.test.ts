/**
 * Three review-page faults a new reviewer met (session 31's walk-through, left then):
 *  - an operator saw the four decide buttons greyed out, and nothing said why;
 *  - after signing out and in again the filter form kept the last person's values, so the job the
 *    page opened was shown, and "all matching" decided, through a filter nobody applied;
 *  - a varchar holding the text '0x0102' and a varbinary holding the bytes 0x0102 looked the same
 *    in the grid (the API gives both as strings; only the column's type tells them apart).
 * Row image: the corpus example lc-nvarchar (test/staging/fixtures.ts); the layout with a varbinary
 * column and every value are SYNTHETIC test data. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { col, corpusRows, table } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

/** Signs in through the sign-in form the page shows after signing out, without loading the page again. */
async function signInHere(page: Parameters<typeof signIn>[0], token: string): Promise<void> {
  await page.locator('#token').fill(token);
  await page.locator('#login-button').click();
}
const LAYOUT = table('dbo.Doc', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('Code', 'varchar', { maxLength: 20 }), col('Hash', 'varbinary', { maxLength: 20 })]);

describeBrowser('review page: roles said, filters forgotten on sign-out, bytes told from text', () => {
  const desk = reviewDesk('rowback-e2e-roles-bytes-', {
    stage: ({ store }) => {
      const base0 = corpusRows(1)[0]!;
      stagedJob(store, [1, 2].map((i) => ({ ...base0, table: 'dbo.Doc', lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Code: '0x0102', Hash: '0x0102' }, warnings: [] })),
        { layouts: [LAYOUT], description: 'docs (SYNTHETIC)' });
    },
  });

  it("a varchar's text '0x0102' and a varbinary's bytes 0x0102 are told apart: style, tooltip, the summary's quotes", async () => {
    const { page } = desk;
    await signIn(page, desk.base, desk.reviewer);
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('2 matching rows');
    // the summary (no table chosen): text quoted, bytes bare
    await expect.poll(() => page.locator('#grid-body td.vals').first().textContent(), { timeout: 15_000 }).toBe('Id=1, Code="0x0102", Hash=0x0102');
    await page.locator('#f-table').selectOption('dbo.Doc');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#grid-body td.vcell').count(), { timeout: 15_000 }).toBe(6);
    const code = page.locator('#grid-body tr[data-row="1"] td.vcell').nth(1);
    const hash = page.locator('#grid-body tr[data-row="1"] td.vcell').nth(2);
    expect((await hash.getAttribute('class'))!.split(' ')).toContain('bin');
    expect((await code.getAttribute('class'))!.split(' ')).not.toContain('bin');
    expect(await hash.getAttribute('title')).toBe('0x0102 (varbinary: bytes)');
    expect(await code.getAttribute('title')).toBe('0x0102 (varchar: text, the characters "0x0102", not bytes)');
    const styles = await Promise.all([code, hash].map((c) => c.evaluate((td) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } }).getComputedStyle(td).fontFamily)));
    expect(styles[0]).not.toBe(styles[1]);
  }, 60_000);

  it('signing out forgets the filter typed; the next sign-in shows the job through no filter', async () => {
    const { page } = desk;
    await page.locator('#f-status').selectOption('approved');
    await page.locator('#f-q').fill('nothing-matches');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toMatch(/no rows match|0 matching/);
    await page.locator('#reason').fill('half-typed reason');
    await page.locator('#logout').click();
    // signed in again on the same page (no reload: signIn's page.goto would start afresh)
    await signInHere(page, desk.reviewer);
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('2 matching rows');
    expect(await page.locator('#f-status').inputValue()).toBe('');
    expect(await page.locator('#f-q').inputValue()).toBe('');
    expect(await page.locator('#f-table').inputValue()).toBe('');
    expect(await page.locator('#reason').inputValue()).toBe('');
  }, 60_000);

  it("an operator's greyed decide buttons say why; a reviewer's say nothing", async () => {
    const { page } = desk;
    expect(await page.locator('#decide-role').isHidden()).toBe(true);
    expect(await page.locator('#approve-filter').getAttribute('title')).toBe('');
    await page.locator('#logout').click();
    await signInHere(page, desk.operator);
    // polled on what the sign-in sets (the role line), not on the page line the last session left
    await expect.poll(() => page.locator('#decide-role').textContent(), { timeout: 15_000 }).toBe("Deciding rows needs a reviewer's token (you are operator).");
    for (const id of ['approve-selected', 'reject-selected', 'approve-filter', 'reject-filter']) {
      expect(await page.locator(`#${id}`).isDisabled(), id).toBe(true);
      expect(await page.locator(`#${id}`).getAttribute('title'), id).toMatch(/^Only a reviewer decides rows; you are signed in as operator\. A reviewer's token is made with: rowback token create NAME --role reviewer$/);
    }
    expect(await page.locator('#decide-role').isVisible()).toBe(true);
    expect(await page.locator('#decide-role').textContent()).toBe("Deciding rows needs a reviewer's token (you are operator).");
  }, 60_000);
});
