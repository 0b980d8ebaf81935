/**
 * The review page opens a job's notes box for a result that is not whole or is doubtful as the job
 * says it (GET /api/jobs/:id `complete` false, `warnings` not empty: recorded by the service with the
 * notes, StagingStore.setJobCompleteness), not by the prefixes of the notes' words alone: a job the
 * service marked INCOMPLETE whose note reads otherwise (here SYNTHETIC: a note worded without its
 * prefix) had its box closed. A job finished before the service recorded them (complete null) is
 * still read by the prefixes. SYNTHETIC jobs and rows (numberedDeletes).
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { expect, it } from 'vitest';
import { numberedDeletes, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';

const describeBrowser = browserDescribe();
const NOTE = 'the log of 2018-08-29 is in no file given (SYNTHETIC wording without a prefix)';
const PLAIN = '2 delete(s) not printed: their own transaction took them back';

describeBrowser('review page: the notes box opens as the job says its result is incomplete or doubtful', () => {
  const desk = reviewDesk('rowback-e2e-kind-data-', {
    stage: ({ store }) => {
      const incomplete = stagedJob(store, numberedDeletes(2), { description: '/evidence/incomplete.ldf' });
      store.appendAudit('system', 'job.notes', incomplete, { notes: [NOTE] });
      store.setJobCompleteness(incomplete, [NOTE], []);
      const doubtful = stagedJob(store, numberedDeletes(2), { description: '/evidence/doubtful.ldf' });
      store.appendAudit('system', 'job.notes', doubtful, { notes: [NOTE] });
      store.setJobCompleteness(doubtful, [], [NOTE]);
      const plain = stagedJob(store, numberedDeletes(2), { description: '/evidence/plain.ldf' });
      store.appendAudit('system', 'job.notes', plain, { notes: [PLAIN] });
      store.setJobCompleteness(plain, [], []);
    },
  });

  it('open for complete false or warnings, closed for a whole job with a plain note', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    for (const [description, note, open] of [['/evidence/incomplete.ldf', NOTE, true], ['/evidence/doubtful.ldf', NOTE, true], ['/evidence/plain.ldf', PLAIN, false]] as const) {
      await page.locator('#job-list li', { hasText: description }).click();
      await expect.poll(() => page.locator('#job-notes li').first().textContent().catch(() => null), { timeout: 15_000 }).toBe(note);
      expect(await page.locator('#job-notes-box').evaluate((d) => (d as unknown as { open: boolean }).open), description).toBe(open);
    }
  }, 120_000);
});
