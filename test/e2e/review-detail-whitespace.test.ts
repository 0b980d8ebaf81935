/**
 * The review page's row detail shows a value as stored: under `white-space: normal` a text value's
 * trailing, leading and doubled spaces and its line breaks were collapsed, so 'Smith   ' read as
 * 'Smith' and 'a  b' as 'a b' for the reviewer approving the row (the re-insert sends the value as
 * stored). And the grid's one-cell values summary (a job of several tables) wrote text bare: the
 * text 'NULL' read `Name=NULL` like a NULL, '' like nothing, 'x, Id=9' like two columns. And the
 * detail drew control, zero-width and bidi characters as nothing ('admin\0' read 'admin'; U+202E
 * reversed what followed it): now each is a marked U+XXXX. Row image: the corpus example lc-nvarchar (test/staging/fixtures.ts); the values are
 * SYNTHETIC test data. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { LAYOUTS, corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

const NAMES: Array<string | null> = ['Smith   ', '  lead', 'a  b', 'line1\nline2', 'Smith', 'NULL', null, '', 'x, Id=9', 'admin\u0000', 'ab\u202Ecd', 'x\r\ny', 'z\ud83d'];
/** What the detail shows: the value, but characters drawn as nothing (or reordering the text) as a marked U+XXXX. */
const SHOWN: Record<string, string> = { 'admin\u0000': 'adminU+0000', 'ab\u202Ecd': 'abU+202Ecd', 'x\r\ny': 'xU+000D\ny', 'z\ud83d': 'zU+D83D' };

describeBrowser('review page: row detail values keep their spaces and line breaks', () => {
  const desk = reviewDesk('rowback-e2e-ws-', {
    stage: ({ store }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      stagedJob(store, NAMES.map((Name, i) => ({ ...base0, lsn: `0000002a:00000100:${String(i + 1).padStart(4, '0')}`, operation: 'delete' as const, values: { Id: i + 1, Name }, warnings: [] })),
        { layouts: [LAYOUTS['dbo.T']!], spec: { ldf: '/evidence/crm.ldf', mdf: '/evidence/crm.mdf' } });
    },
  });

  it('what the detail renders (innerText) is each value exactly', async () => {
    const { page } = desk;
    await openFirstJob(desk, NAMES.length);
    for (const [i, name] of NAMES.entries()) {
      await page.locator(`#grid-body tr[data-row="${i + 1}"] td`).nth(5).click();
      await expect.poll(() => page.locator('#detail-title').textContent()).toContain(`Row #${i + 1} `);
      if (name !== null && SHOWN[name]) expect(await page.locator('#detail-values tr').nth(1).locator('.cc').count()).toBe(1);
      const rendered = await page.locator('#detail-values tr').nth(1).locator('td').nth(1).evaluate((td) => (td as unknown as { innerText: string }).innerText);
      expect(rendered).toBe(name === null ? 'NULL' : SHOWN[name] ?? name);
      if (name === 'NULL' || name === null) {
        const cls = await page.locator('#detail-values tr').nth(1).locator('td').nth(1).getAttribute('class');
        expect(cls?.split(' ').includes('null')).toBe(name === null);
      }
    }
  }, 60_000);

  it("the grid's values summary (rows of several tables) quotes text: the text 'NULL' is not NULL, '' is not nothing", async () => {
    const { page } = desk;
    const cells = await page.locator('#grid-body td.vals').allTextContents();
    expect(cells).toEqual(NAMES.map((n, i) => `Id=${i + 1}, Name=${n === null ? 'NULL' : JSON.stringify(n)}`));
    expect(new Set(cells.map((c) => c.replace(/^Id=\d+, /, ''))).size).toBe(NAMES.length);
  }, 60_000);
});
