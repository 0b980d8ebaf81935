/**
 * A value whose text has more marked characters than V8 takes call arguments (~120,000): a
 * varchar(max) of 70,000 lines ended by a CR (an old Mac text file) is 140,000 pieces (each line's
 * text and a marked U+000D) in a grid cell and in the row detail. The page spread them into one call
 * (`el('td', {}, ...visibleText(t))`), which threw RangeError: selecting the table left the grid
 * showing the rows before (the values summary, no word), and opening the row put its title over the
 * previous row's values. Now the detail renders the whole value, every marked character marked, and
 * a grid cell its first 2,000 characters and how many there are (140,000 marks in one cell of the
 * wide grid hung the page's layout). Row image: the corpus
 * example lc-nvarchar (test/staging/fixtures.ts); the values are SYNTHETIC test data. No chromium: a
 * FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { LAYOUTS, corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

const LINES = 70_000;
const NAMES = ['short', 'x\r'.repeat(LINES)];

describeBrowser('review page: a value of more marked characters than a call takes arguments', () => {
  const desk = reviewDesk('rowback-e2e-marks-', {
    stage: ({ store }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      stagedJob(store, NAMES.map((Name, i) => ({ ...base0, lsn: `0000002a:00000100:${String(i + 1).padStart(4, '0')}`, operation: 'delete' as const, values: { Id: i + 1, Name }, warnings: [] })),
        { layouts: [LAYOUTS['dbo.T']!], spec: { ldf: '/evidence/crm.ldf', mdf: '/evidence/crm.mdf' } });
    },
  });

  it("the one-table grid shows the value's start, each CR marked, and says the detail has the rest", async () => {
    const { page } = desk;
    await openFirstJob(desk, NAMES.length);
    await page.locator('#f-table').selectOption('dbo.T');
    await page.locator('#apply-filters').click({ timeout: 60_000 });
    await expect.poll(() => page.locator('#grid-body td.vcell').count(), { timeout: 15_000 }).toBe(NAMES.length * 2);
    // the cell shows the value's first 2,000 characters, each CR marked, and says there is more
    const cell = page.locator('#grid-body tr[data-row="2"] td.vcell').nth(1);
    expect(await cell.evaluate((td) => td.querySelectorAll('.cc').length)).toBe(1000);
    expect(await cell.textContent()).toBe(`${'xU+000D'.repeat(1000)} … (${(2 * LINES).toLocaleString('en-US')} characters in all: the row's detail shows the whole value)`);
    expect(await page.locator('#grid-body tr[data-row="1"] td.vcell').nth(1).textContent()).toBe('short');
    // its tooltip the same start, and how long the value is
    expect(await cell.getAttribute('title')).toBe(`${'x\r'.repeat(1000)}… (${(2 * LINES).toLocaleString('en-US')} characters)`);
  }, 90_000);

  it('the row detail shows the value, each CR marked, under its own title', async () => {
    const { page } = desk;
    // (drawing 70,000 marks in the detail takes the page tens of seconds on a loaded machine: the
    // fresh-clone CI of 9defe34d failed the default 30 s click here; bounds generous, not a timing)
    const slow = { timeout: 120_000 };
    await page.locator('#grid-body tr[data-row="1"] td').nth(3).click(slow);
    await expect.poll(() => page.locator('#detail-title').textContent(), slow).toContain('Row #1 ');
    await expect.poll(() => page.locator('#detail-values tr').nth(1).locator('td').nth(1).textContent(), slow).toBe('short');
    await page.locator('#grid-body tr[data-row="2"] td').nth(3).click(slow);
    await expect.poll(() => page.locator('#detail-title').textContent(), slow).toContain('Row #2 ');
    await expect.poll(() => page.locator('#detail-values tr').nth(1).locator('td').nth(1).evaluate((td) => td.querySelectorAll('.cc').length), slow).toBe(LINES);
    const text = await page.locator('#detail-values tr').nth(1).locator('td').nth(1).textContent();
    expect(text).toBe('xU+000D'.repeat(LINES));
  }, 400_000);
});
