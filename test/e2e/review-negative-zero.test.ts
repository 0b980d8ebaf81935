/**
 * The review page shows a float's negative zero as -0. SQL Server keeps the sign of a float/real
 * zero (CONVERT gives '-0'), and the API sends it as JSON -0 (util/negative-zero.ts), but the
 * page wrote values with String() and JSON.stringify, which write 0: the grid, the values summary
 * and the row detail showed 0 for a value the re-insert puts back as -0E0.
 * Row image: the corpus example lc-nvarchar (test/staging/fixtures.ts) staged under a SYNTHETIC
 * table dbo.F (Id int, F float) with SYNTHETIC values. No chromium: a FAILURE under CI=true.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { col, corpusRows, table } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a float negative zero', () => {
  const desk = reviewDesk('rowback-e2e-negzero-', {
    stage: ({ store }) => {
      const base0 = corpusRows(1)[0]!;
      const rows = [-0, 0].map((F, i) => ({ ...base0, table: 'dbo.F', lsn: `0000002a:00000100:000${i + 1}`, operation: 'delete' as const, values: { Id: i + 1, F, V: { baseType: 'float', value: F } }, warnings: [] }));
      stagedJob(store, rows, { layouts: [table('dbo.F', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('F', 'float', { maxLength: 8 }), col('V', 'sql_variant', { maxLength: 8016 })])] });
    },
  });

  it('the grid cell, the values summary and the row detail say -0 (and 0 for zero)', async () => {
    const { page } = desk;
    await openFirstJob(desk, 2);
    await expect.poll(() => page.locator('#grid-body td.vals').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('#grid-body td.vals').allTextContents()).toEqual(['Id=1, F=-0, V={"baseType":"float","value":-0}', 'Id=2, F=0, V={"baseType":"float","value":0}']);
    await page.locator('#f-table').selectOption('dbo.F');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#grid-body td.vcell').count(), { timeout: 15_000 }).toBe(6);
    expect(await page.locator('#grid-body tr[data-row="1"] td.vcell').allTextContents()).toEqual(['1', '-0', '{"baseType":"float","value":-0}']);
    expect(await page.locator('#grid-body tr[data-row="2"] td.vcell').allTextContents()).toEqual(['2', '0', '{"baseType":"float","value":0}']);
    await page.locator('#grid-body tr[data-row="1"] td.vcell').nth(1).click();
    await expect.poll(() => page.locator('#detail-title').textContent(), { timeout: 15_000 }).toMatch(/^Row #1 · dbo\.F/);
    expect(await page.locator('#detail-values tr').allTextContents()).toContain('F-0');
  }, 60_000);
});
