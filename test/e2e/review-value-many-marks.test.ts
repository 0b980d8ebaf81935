/**
 * A value whose text has more marked characters than V8 takes call arguments (~120,000): a
 * varchar(max) of 70,000 lines ended by a CR (an old Mac text file) is 140,000 pieces (each line's
 * text and a marked U+000D) in a grid cell and in the row detail. The page spread them into one call
 * (`el('td', {}, ...visibleText(t))`), which threw RangeError: selecting the table left the grid
 * showing the rows before (the values summary, no word), and opening the row put its title over the
 * previous row's values. Now the detail renders the whole value, every marked character marked, and
 * a grid cell its first 2,000 characters and how many there are (140,000 marks in one cell of the
 * wide grid hung the page's layout). Drawing the detail's 70,000 marks took the page ~35-50 s: each
 * was an inline `unicode-bidi: isolate`, which chromium lays out in time growing with their square;
 * an inline-block keeps the mark apart in the bidi algorithm the same way (web/style.css), and the
 * detail draws in about a second, every mark there. Row image: the corpus
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
/** The page's getComputedStyle (the tests are typed without the DOM's lib). */
type Styled = { getComputedStyle(e: unknown): { display: string; unicodeBidi: string } };
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
    await page.locator('#grid-body tr[data-row="1"] td').nth(3).click();
    await expect.poll(() => page.locator('#detail-title').textContent()).toContain('Row #1 ');
    await expect.poll(() => page.locator('#detail-values tr').nth(1).locator('td').nth(1).textContent()).toBe('short');
    await page.locator('#grid-body tr[data-row="2"] td').nth(3).click();
    await expect.poll(() => page.locator('#detail-title').textContent()).toContain('Row #2 ');
    const value = page.locator('#detail-values tr').nth(1).locator('td').nth(1);
    await expect.poll(() => value.evaluate((td) => td.querySelectorAll('.cc').length), { timeout: 15_000 }).toBe(LINES);
    // drawn in full: every piece, 70,000 texts and 70,000 marks, and nothing else
    expect(await value.evaluate((td) => td.childNodes.length)).toBe(2 * LINES);
    expect(await value.textContent()).toBe('xU+000D'.repeat(LINES));
    // each mark an inline-block, none an inline `unicode-bidi: isolate`: both keep the mark's text
    // apart in the bidi algorithm, but chromium laid out 70,000 isolates in one line run in ~21 s
    // (the detail took 50.8 s of this test, 2.7 s as inline-blocks; web/style.css)
    expect(await value.evaluate((td) => [...new Set([...td.querySelectorAll('.cc')].map((m) => { const s = (globalThis as unknown as Styled).getComputedStyle(m); return `${s.display} ${s.unicodeBidi}`; }))])).toEqual(['inline-block normal']);
    // the grid cell's marks likewise (style.css gives the cell's, the notes' and the audit's the same box)
    expect(await page.locator('#grid-body tr[data-row="2"] td.vcell').nth(1).evaluate((td) => (globalThis as unknown as Styled).getComputedStyle(td.querySelector('.cc')).display)).toBe('inline-block');
  }, 90_000);
});
