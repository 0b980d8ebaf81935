/**
 * The review page (chromium): a dry run whose rows cannot go back says why, by code. Into a target
 * table with an enabled INSTEAD OF INSERT trigger every row is refused (REINSERT_INSTEAD_OF_TRIGGER),
 * and the page said only "4 row(s) cannot go back (see the script header)": the reviewer had to open
 * the script to learn it was a trigger and not a bad value (newcomer F's find). Now the codes and
 * their counts are on the line. Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts);
 * ids are test data.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import type { ConfiguredTargetSpec } from '../../src/api/targets.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { FakeTarget } from '../reinsert/fake-target.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a dry run says why rows cannot go back', () => {
  let job: number;
  let triggered: FakeTarget | undefined;
  const targets: Record<string, ConfiguredTargetSpec> = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM_restore' } };
  const desk = reviewDesk('rowback-e2e-dry-refusals-', {
    stage: ({ store }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      const j = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'the .ldf', createdBy: 'olga' });
      store.setJobState(j.id, 'running');
      store.saveJobTables(j.id, [LAYOUTS['dbo.T']!]);
      store.stageBatch(j.id, [1, 2, 3, 4].map((i) => ({ ...base0, lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Name: `deleted ${i}` } })));
      store.setJobState(j.id, 'succeeded');
      job = j.id;
    },
    app: (d) => ({
      targets,
      connectTarget: () => {
        triggered ??= new FakeTarget(join(d.dir, 'target.db'), new Map([['dbo.T', { ...fromLayout(LAYOUTS['dbo.T']!), insteadOfTriggers: { insert: ['trg_T_audit'], delete: [] } }]]));
        return triggered;
      },
    }),
    before: async ({ app, reviewer }) => {
      await app.inject({ method: 'POST', url: `/api/jobs/${job}/decisions`, headers: { authorization: `Bearer ${reviewer}` }, payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
    },
  });

  it('names the code and its count on the dry run line', async () => {
    const { page, base, operator } = desk;
    await signIn(page, base, operator);
    await page.locator(`#job-list li[data-job="${job}"]`).click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 0 row\(s\) in 0 batch\(es\), 4 row\(s\) cannot go back: REINSERT_INSTEAD_OF_TRIGGER ×4 \(see the script header: each row with its reason\)/);
    triggered?.dispose();
  }, 60_000);
});
