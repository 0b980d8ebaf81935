/**
 * The blast radius (and the notes) asked when a job's scan ends, answered late, does not put back the
 * counts a later answer showed. A job open while it ran: the poll saw it end and asked its blast radius
 * again (refreshBlast); that answer was held up on its way, the reviewer approved the 4 rows, the
 * decision's own blast radius showed "4 approved", and the late answer then showed "4 pending" over it
 * until the next reload. The delay is made with page.route (delayOnce, `when: 'answer'`: the service
 * answers at once, as the job was at its end). Rows: a corpus row image (numberedDeletes); ids and
 * values are test data. No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { numberedDeletes, reviewDesk } from '../support/review-desk.js';
import { browserDescribe, delayOnce, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { LAYOUTS } from '../staging/fixtures.js';
import type { StagingStore } from '../../src/staging/store.js';

const describeBrowser = browserDescribe(corpusAvailable);

/** A files job still running, 4 rows of dbo.T staged so far (numberedDeletes: test data); its id. */
function runningJob(store: StagingStore): number {
  const job = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'still scanning', createdBy: 'olga' });
  store.setJobState(job.id, 'running');
  store.saveJobTables(job.id, Object.values(LAYOUTS));
  store.stageBatch(job.id, numberedDeletes(4));
  return job.id;
}

describeBrowser('review page: a late blast radius of a job that ended while open', () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-blast-late-', {
    stage: ({ store }) => { jobId = runningJob(store); },
  });

  it('the 4 rows approved stay counted approved when the end-of-scan answer lands after the decision\'s', async () => {
    const { page, base, reviewer, store } = desk;
    const total = () => page.locator('#blast-total').textContent();
    await signIn(page, base, reviewer);
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    await expect.poll(total, { timeout: 15_000 }).toContain('4 pending');
    // the job's end, seen by the page's poll (every 2 s): its blast radius asked again, answered late
    const undo = await delayOnce(page, (u) => u.pathname === `/api/jobs/${jobId}/blast-radius`, 5_000, { when: 'answer' });
    const asked = page.waitForRequest((r) => new URL(r.url()).pathname === `/api/jobs/${jobId}/blast-radius`, { timeout: 15_000 });
    store.setJobState(jobId, 'succeeded');
    await asked;
    // meanwhile the reviewer approves the 4 rows; the decision's blast radius is answered at once
    await page.locator('#f-status').selectOption('pending');
    await page.locator('#apply-filters').click();
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    await page.locator('#reason').fill('deleted by the cleanup job');
    await page.locator('#approve-filter').click();
    await expect.poll(() => page.locator('#decision-msg').textContent(), { timeout: 15_000 }).toMatch(/^Approved 4 row\(s\)/);
    await expect.poll(total, { timeout: 15_000 }).toContain('4 approved');
    // the end-of-scan answer (4 pending) lands now: the counts shown stay the decision's
    await page.waitForTimeout(5_500);
    await undo();
    expect(store.countRows(jobId, { status: 'approved' })).toBe(4);
    expect(await total()).toContain('4 approved');
    expect(await total()).not.toContain('pending');
  }, 90_000);
});

describeBrowser("review page: a late answer of a job's notes asked at its opening", () => {
  let jobId = 0;
  const desk = reviewDesk('rowback-e2e-notes-late-', {
    stage: ({ store }) => { jobId = runningJob(store); },
  });

  it("the notes the job's end wrote stay shown when the opening's answer (no notes yet) lands after them", async () => {
    const { page, base, reviewer, store } = desk;
    const isNotes = (u: URL) => u.pathname === '/api/audit' && u.searchParams.get('jobId') === String(jobId) && u.searchParams.get('action') === 'job.notes';
    // the opening's notes, asked while the job runs (none yet), answered late
    const undo = await delayOnce(page, isNotes, 6_000, { when: 'answer' });
    const asked = page.waitForRequest((r) => isNotes(new URL(r.url())), { timeout: 15_000 });
    await signIn(page, base, reviewer);
    await asked;
    await expect.poll(() => page.locator('#page-info').textContent(), { timeout: 15_000 }).toContain('4 matching rows');
    // the job ends with a note saying rows are left out; the page's poll reads the notes again, at once
    const note = 'WARNING: 9 deletes of transactions begun before the log read are not in this result';
    store.appendAudit('worker', 'job.notes', jobId, { notes: [note] });
    store.setJobState(jobId, 'succeeded');
    await expect.poll(() => page.locator('#job-notes').textContent(), { timeout: 15_000 }).toContain(note);
    await page.waitForTimeout(6_500);
    await undo();
    expect(await page.locator('#job-notes').textContent()).toContain(note);
    expect(await page.locator('#job-notes-box').isHidden()).toBe(false);
  }, 90_000);
});

describeBrowser('review page: a late blast radius of a job left and opened again, whose opening failed', () => {
  let a = 0;
  let b = 0;
  const desk = reviewDesk('rowback-e2e-blast-back-', {
    stage: ({ store }) => {
      const jobA = store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'job A, still scanning', createdBy: 'olga' });
      a = jobA.id;
      store.setJobState(a, 'running');
      store.saveJobTables(a, Object.values(LAYOUTS));
      store.stageBatch(a, numberedDeletes(4));
      const jobB = store.createJob({ kind: 'files', spec: { ldf: '/evidence/hr.ldf' }, description: 'job B', createdBy: 'olga' });
      b = jobB.id;
      store.saveJobTables(b, Object.values(LAYOUTS));
      store.stageBatch(b, numberedDeletes(2));
      store.setJobState(b, 'succeeded');
    },
  });

  it("job A's end-of-scan counts, landing after job B's were shown, replace B's under job A", async () => {
    const { page, base, reviewer, store } = desk;
    const total = () => page.locator('#blast-total').textContent();
    const blastOf = (id: number) => (u: URL) => u.pathname === `/api/jobs/${id}/blast-radius`;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${a}"]`).click();
    await expect.poll(total, { timeout: 15_000 }).toContain('4 pending');
    // A ends while open: its blast radius asked again (refreshBlast), answered late
    const undo = await delayOnce(page, blastOf(a), 6_000, { when: 'answer' });
    const asked = page.waitForRequest((r) => blastOf(a)(new URL(r.url())), { timeout: 15_000 });
    store.setJobState(a, 'succeeded');
    await asked;
    // the reviewer looks at job B (its counts shown), then opens A again: that opening's ask fails
    await page.locator(`#job-list li[data-job="${b}"]`).click();
    await expect.poll(total, { timeout: 15_000 }).toContain('2 pending');
    let failed = false;
    await page.route(blastOf(a), (route) => {
      if (failed) return route.fallback();
      failed = true;
      return route.abort('failed');
    });
    await page.locator(`#job-list li[data-job="${a}"]`).click();
    await expect.poll(() => failed, { timeout: 15_000 }).toBe(true);
    // A's end-of-scan answer lands: A's counts, not B's left under job A
    await expect.poll(total, { timeout: 15_000 }).toContain('4 pending');
    await undo();
    expect(await total()).not.toContain('2 pending');
  }, 90_000);
});
