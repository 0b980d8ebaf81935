/**
 * The grid at 1400 px. Its fixed columns alone (#, table, operation, LSN, begin time, login, SID,
 * SPID, host, transaction, status) are ~1,520 px wide, and the grid has 1,050 px of a 1400 px window
 * (680 px with a row's detail open): the Status column, what a reviewer decides by, was past the
 * grid's right edge ('St…', each row's status cut to its first letter) unless the grid was scrolled
 * sideways. Now the status column is held at the grid's right edge (sticky) while the columns before
 * it run past, and sits at its own place once scrolled to. Rows: corpus row images
 * (test/staging/fixtures.ts). No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the rows\' status in view at 1400 px', () => {
  const desk = reviewDesk('rowback-e2e-grid-status-', {
    browser: { viewport: { width: 1400, height: 900 } },
    stage: ({ store }) => { stagedJob(store, corpusRows(12), { description: '/evidence/crm_log.ldf' }); },
  });

  it('the Status header and each row\'s status are inside the grid, seen (not covered), detail open or not', async () => {
    const { page } = desk;
    await openFirstJob(desk, 12);
    for (const open of [false, true]) {
      if (open) {
        await page.locator('#grid-body tr').nth(1).click();
        await expect.poll(() => page.locator('#detail').isHidden()).toBe(false);
      }
      const m = await page.evaluate(`(() => {
        const wrap = document.querySelector('.grid-wrap').getBoundingClientRect();
        const head = document.querySelector('#grid-head th.status-col').getBoundingClientRect();
        const cells = [...document.querySelectorAll('#grid-body td.status-cell')].slice(0, 5).map((td) => {
          const r = td.getBoundingClientRect();
          const at = document.elementFromPoint(r.left + 8, r.top + r.height / 2);
          return { left: r.left, right: r.right, seen: Boolean(at && td.contains(at)) };
        });
        return { wrap: { left: wrap.left, right: wrap.right }, head: { left: head.left, right: head.right, text: document.querySelector('#grid-head th.status-col').textContent }, cells, table: document.getElementById('grid').getBoundingClientRect().width };
      })()`) as { wrap: { left: number; right: number }; head: { left: number; right: number; text: string }; cells: { left: number; right: number; seen: boolean }[]; table: number };
      // the table is wider than the grid: the status would be past its edge
      expect(m.table, 'the fixed columns are wider than the grid').toBeGreaterThan(m.wrap.right - m.wrap.left);
      expect(m.head.text).toBe('Status');
      expect(m.head.right, `header (detail ${open ? 'open' : 'closed'})`).toBeLessThanOrEqual(m.wrap.right + 0.5);
      expect(m.cells.length).toBe(5);
      for (const c of m.cells) {
        expect(c.right, `cell (detail ${open ? 'open' : 'closed'})`).toBeLessThanOrEqual(m.wrap.right + 0.5);
        expect(c.left).toBeGreaterThanOrEqual(m.wrap.left);
        expect(c.seen, 'the cell is what is seen at its place').toBe(true);
      }
      await page.screenshot({ path: `${desk.dir}/grid-1400-${open ? 'detail' : 'closed'}.png` });
      if (open) await page.locator('#detail-close').click();
    }
  }, 60_000);
});
