/**
 * The review page's row detail named a row's source by its kind alone (`bak`): a restore job's rows
 * of `"bak": [F, F], "position": [1, 2]` (a full backup and its differential appended to one file)
 * did not say which file, nor which of its backup sets, the row was read from, though the row carries
 * both (meta.source.position since ce6e1a9b; test/cli/row-source-set-per-file.test.ts). Now the detail
 * shows `kind: FILE (backup set N)` as the CLI names a file and its set, the file alone for a file of
 * one set, the kind alone where no file is known (fn_dblog); a path's bidi and zero-width characters
 * marked (U+202E drew the path reversed), its markup as text. Rows: the corpus example lc-nvarchar
 * (test/staging/fixtures.ts) with SYNTHETIC values and sources. No chromium: a FAILURE under CI=true,
 * a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { LAYOUTS, corpusRows } from '../staging/fixtures.js';
import type { LogRecordSource } from '../../src/logreader/log-record.js';

const describeBrowser = browserDescribe(corpusAvailable);

const F = '/evidence/CRM full+diff.bak';
const SOURCES: Array<[LogRecordSource, string]> = [
  [{ kind: 'bak', file: F, position: 2 }, `bak: ${F} (backup set 2)`],
  [{ kind: 'trn', file: '/evidence/CRM_log.trn', position: 1, offset: 8192 }, 'trn: /evidence/CRM_log.trn (backup set 1)'],
  [{ kind: 'bak', file: '/evidence/CRM_diff.bak' }, 'bak: /evidence/CRM_diff.bak'],
  [{ kind: 'fn_dblog' }, 'fn_dblog'],
  // a path holding a bidi override, a zero-width space and markup: text, each invisible character marked (U+…)
  [{ kind: 'bak', file: '/evidence/<b>x</b>\u202Ekab.lluf\u200B.bak' }, 'bak: /evidence/<b>x</b>U+202Ekab.llufU+200B.bak'],
];

describeBrowser('review page: a row read from a file of several backup sets names the file and its set', () => {
  const desk = reviewDesk('rowback-e2e-source-set-', {
    stage: ({ store }) => {
      const base = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      stagedJob(store, SOURCES.map(([source], i) => ({ ...base, lsn: `0000002a:00000100:${String(i + 1).padStart(4, '0')}`, operation: 'delete' as const, values: { Id: i + 1, Name: `row ${i + 1}` }, warnings: [], source })),
        { layouts: [LAYOUTS['dbo.T']!], spec: { kind: 'restore', bak: [F, F], position: [1, 2] } });
    },
  });

  it('the detail\'s source: kind, file and backup set', async () => {
    const { page } = desk;
    await openFirstJob(desk, SOURCES.length);
    for (const [i, [, shown]] of SOURCES.entries()) {
      await page.locator(`#grid-body tr[data-row="${i + 1}"] td`).nth(5).click();
      await expect.poll(() => page.locator('#detail-title').textContent()).toContain(`Row #${i + 1} `);
      const source = page.locator('#detail-meta tr').filter({ has: page.locator('td:first-child', { hasText: /^source$/ }) });
      expect(await source.locator('td').nth(1).textContent()).toBe(shown);
      // never HTML: no element from the path's text, one marker per invisible character
      expect(await source.locator('td b').count()).toBe(0);
      expect(await source.locator('td span.cc').count()).toBe((shown.match(/U\+20/g) ?? []).length);
    }
  }, 60_000);
});
