/**
 * The review page (chromium): a failed re-insert run shows why (its failed batch's error: the
 * message for operators, the code alone for others), and an operator resumes it from the page into
 * the run's own target (the API alone could, before): the dialog says which target and how many
 * rows remain, a refusal is its one line, the run's outcome shows. And the job list and the blast
 * radius give the rows per operation (a job of deletes, inserts and updates showed one count, and
 * reviewers took inserts and before-images for deleted rows).
 * Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); ids and operations are
 * test data. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import type { ConfiguredTargetSpec } from '../../src/api/targets.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a failed run, its Resume, and rows per operation', () => {
  let jobId: number;
  let runId: number;
  const targets: Record<string, ConfiguredTargetSpec> = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM_restore' } };
  const resumes: unknown[] = [];
  const desk = reviewDesk('rowback-e2e-resume-', {
    target: true,
    stage: ({ store }) => {
      const job = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'deletes, inserts and updates', createdBy: 'olga', operations: ['delete', 'insert', 'update'] });
      jobId = job.id;
      store.setJobState(jobId, 'running');
      store.saveJobTables(jobId, [LAYOUTS['dbo.T']!]);
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      const ops = ['delete', 'insert', 'update', 'delete', 'delete', 'delete'] as const;
      store.stageBatch(jobId, ops.map((operation, i) => ({
        ...base0, lsn: `0000002a:00000100:000${i + 1}`, operation, values: { Id: i + 1, Name: `before ${i + 1}` },
        ...(operation === 'update' ? { after: { Id: i + 1, Name: 'after' } } : {}),
      })));
      store.setJobState(jobId, 'succeeded');
    },
    app: ({ target }) => ({ targets, connectTarget: () => target }),
    before: async ({ app, reviewer, operator }) => {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      const d = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', filter: { operation: 'delete' } } });
      expect(d.json().rows).toBe(4);
      // the run's second batch fails (its two rows are not inserted)
      let n = 0;
      app.reinsert.hooks = { beforeCommit: () => { if (++n === 2) throw new Error('connection reset by peer'); } };
      const run = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth(operator), payload: { dryRun: false, targetName: 'side', batchSize: 2 } });
      expect(run.statusCode).toBe(202);
      runId = run.json().id;
      await app.reinsert.wait(runId);
      app.reinsert.hooks = undefined;
      expect(app.reinsert.getRun(runId)!.state).toBe('failed');
    },
    served: ({ page }) => {
      page.on('request', (r) => { if (r.method() === 'POST' && /\/resume$/.test(new URL(r.url()).pathname)) resumes.push(JSON.parse(r.postData() ?? '{}')); });
    },
  });

  it('the job list and the blast radius count each operation (per status in the blast radius)', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await expect.poll(() => page.locator('#job-list li .jd.ops').first().textContent(), { timeout: 15_000 }).toBe('4 from deletes · 1 from inserts · 1 update before-image(s)');
    await page.locator('#job-list li').first().click();
    await expect.poll(() => page.locator('#job-progress').textContent()).toContain('6 rows staged (4 from deletes · 1 from inserts · 1 update before-image(s))');
    await page.locator('.tab[data-tab=blast]').click();
    await expect.poll(() => page.locator('#blast-total').textContent()).toContain('4 from deletes · 1 from inserts · 1 update before-image(s)');
    // 2 of the 4 deletes went in before the run failed
    expect(await page.locator('#blast-ops tr').allTextContents()).toEqual([
      'operationrowspendingapprovedrejectedre-insertedconflict', 'delete402020', 'insert110000', 'update (before-images)110000',
    ]);
    // the minute's bar says its rows per operation, stacked: deletes, inserts, before-images
    expect(await page.locator('#blast-chart rect.b title').allTextContents()).toEqual([expect.stringMatching(/: 6 rows \(4 from deletes · 1 from inserts · 1 update before-image\(s\)\)$/)]);
    expect(await page.locator('#blast-chart rect.seg[data-minute]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-op')))).toEqual(['delete', 'insert', 'update']);
    expect(await page.locator('#blast-tables tr').allTextContents()).toEqual(['tablerowsdeleteinsertupdate (before)', 'dbo.T6411']);
    expect(await page.locator('#f-table option').allTextContents()).toContain('dbo.T (6: 4 from deletes · 1 from inserts · 1 update before-image(s))');
  }, 60_000);

  it('a reviewer sees why the run failed (the batch\'s code, not its message) and no Resume', async () => {
    const { page, operator } = desk;
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-error').textContent(), { timeout: 15_000 }).toBe('This run failed: 1 batch(es) failed; their rows were not inserted.');
    expect(await page.locator('#run-failed-batches li').allTextContents()).toEqual(['batch 2 (2 row(s)): REINSERT_BATCH_FAILED — an operator can see the details']);
    expect(await page.locator('#run-left').textContent()).toBe('2 row(s) in 1 batch(es) not yet committed.');
    // the batch table's errors column is still the count of rows whose insert failed
    expect(await page.locator('#run-batches tr[data-batch="2"] td').allTextContents()).toEqual(['2', 'failed', '2', '0', '0', '2', '']);
    expect(await page.locator('#run-resume').isHidden()).toBe(true);
    expect(await page.content()).not.toContain('connection reset');
    // the runs table: the rows the run planned, and its state
    expect(await page.locator(`#runs tr[data-run="${runId}"] td`).allTextContents()).toEqual([String(runId), 'run', 'olga', expect.any(String), 'side', 'failed', '4', '2', '0', '2', '0']);
  }, 60_000);

  it('an operator resumes it into its own target: the dialog names it and the rows left; a refusal is one line; the outcome shows', async () => {
    const { page, base, operator, app, target } = desk;
    await page.evaluate('sessionStorage.clear()');
    await signIn(page, base, operator);
    await page.locator('#job-list li').first().click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-failed-batches li').first().textContent(), { timeout: 15_000 }).toMatch(/^batch 2 \(2 row\(s\)\): REINSERT_BATCH_FAILED — .*connection reset by peer/);
    // the form's target is not the run's: the resume goes where the run went, whatever is chosen there
    await page.locator('#target').selectOption('');
    await page.locator('#run-resume').click();
    expect(await page.locator('#resume-text').textContent()).toBe(`Resume run #${runId} of job #${jobId} into its own target 'side' (server side-sql, database CRM_restore): 2 row(s) in 1 batch(es) not yet committed, each batch its own transaction. Batches already committed are not run again; rows whose key, or value of another unique index, already exists there are left alone (conflicts).`);
    await page.locator('#resume-input').fill('3');
    await page.locator('#resume-go').click();
    expect(await page.locator('#resume-msg').textContent()).toBe('Type 2 to confirm.');
    expect(resumes).toEqual([]);

    // the configured target now names another database than the run went to: the API refuses
    targets.side!.database = 'CRM_prod';
    await page.locator('#resume-input').fill('2');
    await page.locator('#resume-go').click();
    await expect.poll(() => page.locator('#run-msg').textContent()).toMatch(/^Not resumed — INPUT_BAD_OPTION: run \d+ was planned and started for target 'side', database CRM_restore; resume it with the same \(database differ/);
    expect(await page.locator('#run-msg').textContent()).not.toContain('\n');
    expect(await page.locator('#run-msg').textContent()).not.toContain('s3cret');
    expect(app.reinsert.getRun(runId)!.state).toBe('failed');

    delete targets.side!.database;
    await page.locator('#run-resume').click();
    await page.locator('#resume-input').fill('2');
    await page.locator('#resume-go').click();
    await expect.poll(() => page.locator('#run-title').textContent(), { timeout: 20_000 }).toMatch(/: succeeded$/);
    expect(resumes).toEqual([{ targetName: 'side' }, { targetName: 'side' }]);
    expect(await page.locator('#run-msg').textContent()).toBe(`Resumed run #${runId} into target 'side' (server side-sql, database CRM_restore); its progress shows above.`);
    expect(await page.locator('#run-error').isHidden()).toBe(true);
    expect(await page.locator('#run-resume').isHidden()).toBe(true);
    expect(target.counts().rows).toBe(4);
    expect(await page.content()).not.toContain('s3cret');
  }, 90_000);

  it('an interrupted run started with a connection given in the request: why, and no Resume on the page (its connection is not kept)', async () => {
    const { page, reviewer, operator, store, app, target } = desk;
    const job2 = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm2.ldf' }, description: 'second incident', createdBy: 'olga' });
    store.setJobState(job2.id, 'running');
    store.saveJobTables(job2.id, [LAYOUTS['dbo.T']!]);
    const base0 = corpusRows(1)[0]!;
    store.stageBatch(job2.id, [1, 2, 3].map((i) => ({ ...base0, lsn: `0000002b:00000100:000${i}`, operation: 'delete' as const, values: { Id: 10 + i, Name: `second ${i}` } })));
    store.setJobState(job2.id, 'succeeded');
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    await app.inject({ method: 'POST', url: `/api/jobs/${job2.id}/decisions`, headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
    app.reinsert.hooks = { beforeCommit: () => { throw new Error('server went away'); } };
    const run = (await app.inject({ method: 'POST', url: `/api/jobs/${job2.id}/reinsert`, headers: auth(operator), payload: { dryRun: false, target: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-req' } } })).json();
    await app.reinsert.wait(run.id);
    app.reinsert.hooks = undefined;
    // as a restart leaves a run that was running
    store.db.prepare("UPDATE reinsert_runs SET state = 'interrupted', error = NULL WHERE id = ?").run(run.id);
    await page.locator(`#job-list li[data-job="${job2.id}"]`).click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-error').textContent(), { timeout: 15_000 }).toBe('This run was interrupted (the server stopped while it ran): batches not committed did not run.');
    expect(await page.locator('#run-left').textContent()).toBe(`3 row(s) in 1 batch(es) not yet committed. Started with a connection given in the request: the page resumes only runs into a configured target; resume it through the API (POST /api/reinsert-runs/${run.id}/resume) with that same connection.`);
    expect(await page.locator('#run-resume').isHidden()).toBe(true);
    expect(await page.content()).not.toContain('s3cret');
  }, 60_000);
});
