/**
 * The review page (chromium), never twice across jobs: job B's failed run whose rows job A's run
 * has put back since. A reviewer saw only "REINSERT_ALREADY_REINSERTED — an operator can see the
 * details" per batch, the rows left with nothing said of them, and B's dry run called the rows A
 * put back rows that "cannot go back"; an operator's Resume dialog warned of nothing, and the
 * resumed run ended failed again.
 * Row images: the corpus example lc-nvarchar (test/staging/fixtures.ts); ids are test data.
 */
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import type { ConfiguredTargetSpec } from '../../src/api/targets.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: a failed run whose rows another job put back', () => {
  let jobA: number;
  let jobB: number;
  let runB: number;
  let runA: number;
  let jobC: number;
  const targets: Record<string, ConfiguredTargetSpec> = { side: { connectionString: 'Server=side-sql;User Id=rb;Password=s3cret-side;Database=CRM_restore' } };
  const desk = reviewDesk('rowback-e2e-elsewhere-', {
    target: true,
    stage: ({ store }) => {
      const base0 = corpusRows(1)[0]!; // dbo.T, lc-nvarchar
      // two jobs staging the same four deletes (same LSNs): the .ldf, then the log backups
      const stage = (description: string) => {
        const job = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description, createdBy: 'olga' });
        store.setJobState(job.id, 'running');
        store.saveJobTables(job.id, [LAYOUTS['dbo.T']!]);
        store.stageBatch(job.id, [1, 2, 3, 4].map((i) => ({ ...base0, lsn: `0000002a:00000100:000${i}`, operation: 'delete' as const, values: { Id: i, Name: `deleted ${i}` } })));
        store.setJobState(job.id, 'succeeded');
        return job.id;
      };
      jobA = stage('the .ldf');
      jobB = stage('the log backups');
    },
    app: ({ target }) => ({ targets, connectTarget: () => target }),
    before: async ({ target, app, reviewer, operator }) => {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      for (const j of [jobA, jobB]) {
        await app.inject({ method: 'POST', url: `/api/jobs/${j}/decisions`, headers: auth(reviewer), payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
      }
      // B's run: its first batch goes in, the others fail (the connection drops)
      let n = 0;
      app.reinsert.hooks = { beforeCommit: () => { if (++n >= 2) throw new Error('connection reset by peer'); } };
      runB = (await app.inject({ method: 'POST', url: `/api/jobs/${jobB}/reinsert`, headers: auth(operator), payload: { dryRun: false, targetName: 'side', batchSize: 1 } })).json().id;
      await app.reinsert.wait(runB);
      app.reinsert.hooks = undefined;
      // A's run puts back the three B did not
      runA = (await app.inject({ method: 'POST', url: `/api/jobs/${jobA}/reinsert`, headers: auth(operator), payload: { dryRun: false, targetName: 'side' } })).json().id;
      await app.reinsert.wait(runA);
      expect(target.counts().rows).toBe(4);
      // B's run resumed once: its batches fail again, now as rows another job put back
      const r = await app.inject({ method: 'POST', url: `/api/reinsert-runs/${runB}/resume`, headers: auth(operator), payload: { targetName: 'side' } });
      expect(r.statusCode, r.body).toBe(202);
      await app.reinsert.wait(runB);
      expect(app.reinsert.getRun(runB)!.state).toBe('failed');
    },
  });

  it('a reviewer reads what REINSERT_ALREADY_REINSERTED means, and a dry run says those rows are back, not that they cannot go back', async () => {
    const { page, base, reviewer, operator, target } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${jobB}"]`).click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-failed-batches li').allTextContents(), { timeout: 15_000 }).toEqual([2, 3, 4].map((b) =>
      `batch ${b} (1 row(s)): REINSERT_ALREADY_REINSERTED — a row of the batch was already put back by another job's re-insert run into the same table (never twice); nothing of the batch was inserted (an operator can see the details)`));
    expect(await page.locator('#run-left').textContent()).toBe("3 row(s) in 3 batch(es) not yet committed; 3 of them already put back by another job's re-insert run into the same table (their batch(es) would fail again: never twice).");
    expect(await page.content()).not.toContain('connection reset'); // the batches' first failure, an operator's to read
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 0 row\(s\) in 0 batch\(es\), 3 row\(s\) left out: already put back \(or being put back\) by another job's re-insert run into the same table \(REINSERT_ALREADY_REINSERTED; never twice\) \(see the script header: each row with its reason\)/);
    expect(await page.locator('#dry-run-msg').textContent()).not.toContain('cannot go back');
  }, 60_000);

  it("an operator's Resume dialog warns that those rows' batches will fail again", async () => {
    const { page, base, operator } = desk;
    await page.evaluate('sessionStorage.clear()');
    await signIn(page, base, operator);
    await page.locator(`#job-list li[data-job="${jobB}"]`).click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-failed-batches li').first().textContent(), { timeout: 15_000 }).toMatch(new RegExp(`^batch 2 \\(1 row\\(s\\)\\): REINSERT_ALREADY_REINSERTED — batch 2 of run ${runB} not run: .*re-insert run ${runA}`));
    await page.locator('#run-resume').click();
    expect(await page.locator('#resume-warn').isVisible()).toBe(true);
    expect(await page.locator('#resume-warn').textContent()).toBe("3 of these rows were already put back by another job's re-insert run into the same table (never twice): their batch(es) will not run and the run will end failed again. For the other rows, a new run (dry run first) is the way.");
    await page.keyboard.press('Escape');
    expect(await page.content()).not.toContain('s3cret');
  }, 60_000);

  it("a job opened while the last one's answers are on their way shows its own blast radius and runs, not the last one's", async () => {
    const { page } = desk;
    // job B's blast radius and runs answer late (a slow staging file): job A is opened meanwhile
    const slow = new RegExp(`/api/jobs/${jobB}/(blast-radius|reinsert-runs)$`);
    await page.route((u) => slow.test(u.pathname), async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
    await page.locator(`#job-list li[data-job="${jobB}"]`).click();
    await page.locator(`#job-list li[data-job="${jobA}"]`).click();
    await page.waitForTimeout(3000);
    await page.unroute((u) => slow.test(u.pathname));
    await page.locator('.tab[data-tab=blast]').click();
    // A's: three back, one left out (B's run put it back); B's: one back, three approved
    const ops = await page.locator('#blast-ops tr').allTextContents();
    expect(ops, JSON.stringify(ops)).toContain('delete401030');
    await page.locator('.tab[data-tab=reinsert]').click();
    expect(await page.locator('#runs tr[data-run]').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-run'))))).toEqual([runA]);
    // B's failed run (and its Resume) is not shown under job A
    expect(await page.locator('#run-panel').isHidden()).toBe(true);
  }, 60_000);

  it("a dry run answered after another job was opened is not offered to run under that job", async () => {
    const { page, reviewer, store, app, target } = desk;
    const c = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm3.ldf' }, description: 'a third incident', createdBy: 'olga' });
    jobC = c.id;
    store.setJobState(c.id, 'running');
    store.saveJobTables(c.id, [LAYOUTS['dbo.T']!]);
    store.stageBatch(c.id, [1, 2].map((i) => ({ ...corpusRows(1)[0]!, lsn: `0000002c:00000100:000${i}`, operation: 'delete' as const, values: { Id: 20 + i, Name: `third ${i}` } })));
    store.setJobState(c.id, 'succeeded');
    await app.inject({ method: 'POST', url: `/api/jobs/${c.id}/decisions`, headers: { authorization: `Bearer ${reviewer}` }, payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } });
    await page.reload();
    await page.locator(`#job-list li[data-job="${c.id}"]`).click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('side');
    const slow = new RegExp(`/api/jobs/${c.id}/reinsert$`);
    await page.route((u) => slow.test(u.pathname), async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
    await page.locator('#dry-run').click();
    await page.locator(`#job-list li[data-job="${jobA}"]`).click();
    await page.waitForTimeout(3000);
    await page.unroute((u) => slow.test(u.pathname));
    expect(await page.locator('#script').textContent()).toBe('');
    expect(await page.locator('#dry-run-msg').textContent()).toBe('');
    expect(await page.locator('#run-reinsert').isDisabled()).toBe(true);
  }, 60_000);

  it('the blast radius counts again when a run of the job open ends (its rows re-inserted) and when its scan ends', async () => {
    const { page, store, target } = desk;
    await page.locator(`#job-list li[data-job="${jobC}"]`).click();
    await page.locator('.tab[data-tab=blast]').click();
    await expect.poll(() => page.locator('#blast-ops tr').allTextContents(), { timeout: 15_000 }).toContain('delete202000');
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator('#target').selectOption('side');
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 2 row\(s\) in 1 batch\(es\)/);
    await page.locator('#run-reinsert').click();
    await page.locator('#confirm-input').fill('2');
    await page.locator('#confirm-go').click();
    await expect.poll(() => page.locator('#run-title').textContent(), { timeout: 20_000 }).toMatch(/: succeeded$/);
    await page.locator('.tab[data-tab=blast]').click();
    await expect.poll(() => page.locator('#blast-ops tr').allTextContents(), { timeout: 5_000 }).toContain('delete200020');

    // a job opened while it runs: its counts once it has staged its rows and ended
    const d = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm4.ldf' }, description: 'still scanning', createdBy: 'olga' });
    store.setJobState(d.id, 'running');
    store.saveJobTables(d.id, [LAYOUTS['dbo.T']!]);
    await expect.poll(() => page.locator(`#job-list li[data-job="${d.id}"]`).count(), { timeout: 10_000 }).toBe(1);
    await page.locator(`#job-list li[data-job="${d.id}"]`).click();
    await expect.poll(() => page.locator('#blast-total').textContent(), { timeout: 10_000 }).toMatch(/^0 rows/);
    store.stageBatch(d.id, [1, 2, 3].map((i) => ({ ...corpusRows(1)[0]!, lsn: `0000002d:00000100:000${i}`, operation: 'delete' as const, values: { Id: 30 + i, Name: `fourth ${i}` } })));
    store.setJobState(d.id, 'succeeded');
    await expect.poll(() => page.locator('#job-progress').textContent(), { timeout: 10_000 }).toMatch(/^succeeded · 3 rows staged/);
    await expect.poll(() => page.locator('#blast-total').textContent(), { timeout: 5_000 }).toMatch(/^3 rows in 1 table\(s\)/);
    expect(await page.locator('#f-table option').allTextContents()).toEqual(['all', 'dbo.T (3)']);
  }, 90_000);

  it('an interrupted run whose batches all committed (a crash before it recorded its end) resumes from the page and gets its undo script', async () => {
    const { page, store, app, target } = desk;
    const run = store.db.prepare('SELECT id FROM reinsert_runs WHERE job_id = ? AND dry_run = 0').get(jobC) as { id: number };
    store.db.prepare("UPDATE reinsert_runs SET state = 'interrupted', undo_script = NULL, finished_at = NULL WHERE id = ?").run(run.id);
    await page.locator(`#job-list li[data-job="${jobA}"]`).click();
    await page.locator(`#job-list li[data-job="${jobC}"]`).click();
    await page.locator('.tab[data-tab=reinsert]').click();
    await expect.poll(() => page.locator('#run-left').textContent(), { timeout: 15_000 }).toBe('Every batch was committed before the run stopped; resuming it inserts nothing, records its end and writes its undo script from its ledger.');
    expect(await page.locator('#run-resume').isVisible()).toBe(true);
    await page.locator('#run-resume').click();
    expect(await page.locator('#resume-text').textContent()).toBe(`Resume run #${run.id} of job #${jobC} with its own target 'side' (server side-sql, database CRM_restore): every batch was committed, nothing is inserted; the run records its end and writes its undo script from its ledger.`);
    await page.locator('#resume-input').fill('0');
    await page.locator('#resume-go').click();
    await expect.poll(() => page.locator('#run-title').textContent(), { timeout: 20_000 }).toMatch(/: succeeded$/);
    expect(app.reinsert.script(run.id)!.undoScript).toMatch(/DELETE/);
    expect(target.counts().rows).toBe(6);
  }, 60_000);
});
