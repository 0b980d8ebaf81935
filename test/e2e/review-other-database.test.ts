/**
 * The review page (chromium), a re-insert into another database than the rows were read from: rows
 * of tenant A's CRM, a configured target whose database is tenant B's (same tables, every check
 * passes). The job's progress line names the database its rows were read from; the dry run says the
 * WARNING first; the operator's Run dialog shows it, and the run it sends accepts it
 * (acceptOtherDatabase), where the API refuses a run that does not (409 REINSERT_OTHER_DATABASE).
 * Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); names and GUIDs are SYNTHETIC.
 */
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);
const A = '0F3C2B6E-0000-4000-8000-00000000000A';
const B = '0F3C2B6E-0000-4000-8000-00000000000B';

describeBrowser('review page: a re-insert into another database than the rows were read from', () => {
  let jobId: number;
  let unknownJob: number;
  let failedJob: number;
  const desk = reviewDesk('rowback-e2e-other-db-', {
    target: true,
    stage: ({ store, target }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      const job = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'tenant A', createdBy: 'olga' });
      store.setJobState(job.id, 'running');
      store.saveJobTables(job.id, [LAYOUTS['dbo.T']!]);
      store.stageBatch(job.id, [1, 2].map((i) => ({ ...base0, lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Name: `deleted ${i}` } })));
      store.setJobSourceDatabase(job.id, { name: 'CRM_TenantA', bindingId: A, familyGuid: null });
      store.setJobState(job.id, 'succeeded');
      jobId = job.id;
      store.decide(jobId, { actor: 'olga', decision: 'approve', reason: 'deleted by the cleanup', all: true });
      // a job that recorded no source database (staged before rowback recorded it): said not known
      const other = store.createJob({ kind: 'restore', spec: {}, description: 'staged before', createdBy: 'olga' });
      store.setJobState(other.id, 'running');
      store.saveJobTables(other.id, [LAYOUTS['dbo.T']!]);
      store.stageBatch(other.id, [{ ...base0, lsn: '0000002a:00000100:0009', operation: 'delete' as const, values: { Id: 9, Name: 'deleted 9' } }]);
      store.setJobState(other.id, 'succeeded');
      unknownJob = other.id;
      // one that failed after staging rows (a scan cut short), its source not recorded: its rows can be approved too
      const failed = store.createJob({ kind: 'restore', spec: {}, description: 'failed part-way', createdBy: 'olga' });
      store.setJobState(failed.id, 'running');
      store.saveJobTables(failed.id, [LAYOUTS['dbo.T']!]);
      store.stageBatch(failed.id, [{ ...base0, lsn: '0000002a:00000100:000a', operation: 'delete' as const, values: { Id: 10, Name: 'deleted 10' } }]);
      store.setJobState(failed.id, 'failed', { error: { code: 'SOURCE_READ_FAILED', message: 'read error' } });
      failedJob = failed.id;
      target.database = 'CRM_TenantB';
      target.databaseGuid = B;
    },
    app: ({ target }) => ({ targets: { crm: { connectionString: 'Server=crm-sql;User Id=rb;Password=s3cret' } }, connectTarget: () => target }),
  });

  it('the job names its source database; the dry run and the Run dialog warn; the run goes with acceptOtherDatabase', async () => {
    const { page, base, operator, app, target } = desk;
    await signIn(page, base, operator);
    await page.locator(`#job-list li[data-job="${jobId}"]`).click();
    await expect.poll(() => page.locator('#job-progress').textContent(), { timeout: 15_000 }).toMatch(/ · read from database CRM_TenantA$/);
    expect(await page.locator('#job-progress').getAttribute('title')).toBe(`source database: CRM_TenantA, binding id ${A}`);
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('crm');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^WARNING: rows were read from database CRM_TenantA \(binding id .*\); this re-insert puts them into database CRM_TenantB .* · run #\d+: 2 row\(s\)/);
    expect(await page.locator('#script').textContent()).toMatch(/^-- WARNING: rows were read from database CRM_TenantA/);
    await page.locator('#run-reinsert').click();
    expect(await page.locator('#confirm-text').textContent()).toMatch(/^WARNING: rows were read from database CRM_TenantA .* — Insert 2 approved row\(s\)/);
    await page.locator('#confirm-input').fill('2');
    await page.locator('#confirm-go').click();
    await expect.poll(() => app.reinsert.listRuns(jobId).filter((r) => !r.dryRun).map((r) => r.state), { timeout: 15_000 }).toEqual(['succeeded']);
    expect(app.reinsert.listRuns(jobId).find((r) => !r.dryRun)!.summary).toMatchObject({ acceptOtherDatabase: true });
    expect(target.counts().rows).toBe(2);
  });

  it('a finished job whose source database is not recorded says so (it said nothing)', async () => {
    const { page } = desk;
    // signed in by the test before
    await page.locator(`#job-list li[data-job="${unknownJob}"]`).click();
    await expect.poll(() => page.locator('#job-progress').textContent(), { timeout: 15_000 }).toMatch(/ · source database not known$/);
    expect(await page.locator('#job-progress').getAttribute('title')).toMatch(/^the database these rows were read from is not recorded/);
  });

  it('a job that ended failed (rows staged, no source database recorded) says not known as well (only a succeeded one did)', async () => {
    const { page } = desk;
    await page.locator(`#job-list li[data-job="${failedJob}"]`).click();
    await expect.poll(() => page.locator('#job-progress').textContent(), { timeout: 15_000 }).toMatch(/^failed · .* · source database not known$/);
    expect(await page.locator('#job-progress').getAttribute('title')).toMatch(/^the database these rows were read from is not recorded/);
  });
});
