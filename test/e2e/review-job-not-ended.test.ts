/**
 * The review page (chromium), the rows of a job that has not run to its end (newcomer B's find):
 * above the grid, a failed job showed its error, an INCOMPLETE or doubtful one its sentences, and a
 * cancelled, interrupted or still running job nothing at all: "cancelled · 3 rows staged" in the
 * grey progress line was all that told a reviewer the 3 rows were part of a result, while "Approve
 * all matching" and the dry run took them as the job's rows (the dry run's jobWarning said it on
 * the Re-insert tab only). Now the box above the grid says the rows are only part of the result,
 * and the way on (Resume, or wait); a failed job's error says it of its rows too. Jobs and states are
 * SYNTHETIC (set on the store); row images the corpus examples (test/staging/fixtures.ts).
 */
import { expect, it } from 'vitest';
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import type { StagingStore } from '../../src/staging/store.js';
import type { JobState } from '../../src/staging/types.js';

const describeBrowser = browserDescribe(corpusAvailable);

describeBrowser('review page: the rows of a job that has not run to its end', () => {
  const ids: Record<string, number> = {};
  const job = (store: StagingStore, name: string, end: JobState | 'none', rows: number) => {
    const j = store.createJob({ kind: 'files', spec: { ldf: `/evidence/${name}.ldf` }, description: name, createdBy: 'olga' });
    store.setJobState(j.id, 'running');
    store.saveJobTables(j.id, Object.values(LAYOUTS));
    if (rows) store.stageBatch(j.id, corpusRows(rows));
    if (end === 'failed') store.setJobState(j.id, 'failed', { error: { code: 'INPUT_FILE_UNREADABLE', message: `/evidence/${name}.ldf: EIO (SYNTHETIC)` } });
    else if (end === 'succeeded') { store.setJobCompleteness(j.id, [], []); store.setJobState(j.id, 'succeeded'); }
    else if (end !== 'none') store.setJobState(j.id, end);
    ids[name] = j.id;
  };
  const desk = reviewDesk('rowback-e2e-not-ended-', {
    stage: ({ store }) => {
      job(store, 'whole', 'succeeded', 2);
      job(store, 'cancelled', 'cancelled', 3);
      job(store, 'interrupted', 'interrupted', 2);
      job(store, 'failed', 'failed', 2);
      job(store, 'failed-empty', 'failed', 0);
    },
    // once the service has started (it marks a job it finds running as interrupted)
    before: async ({ store }) => { job(store, 'running', 'none', 2); },
  });

  const boxOf = async (name: string) => {
    const { page } = desk;
    await page.locator(`#job-list li[data-job="${ids[name]}"]`).click();
    await expect.poll(() => page.locator('#job-title').textContent(), { timeout: 15_000 }).toContain(`Job #${ids[name]} — ${name}`);
    return (await page.locator('#job-error').isVisible()) ? (await page.locator('#job-error').textContent()) : null;
  };

  it('says the rows staged are part of the result, with the way on; nothing for a job that ended whole', async () => {
    const { page, base, reviewer } = desk;
    await signIn(page, base, reviewer);
    await page.locator(`#job-list li[data-job="${ids.whole}"]`).waitFor();
    expect(await boxOf('cancelled')).toBe("This job was cancelled: the 3 row(s) staged are only what it read before it stopped, not its whole result; an operator's Resume reads the rest (rows staged are not staged twice).");
    expect(await boxOf('interrupted')).toBe("This job was interrupted (the service stopped): the 2 row(s) staged are only what it read before, not its whole result; an operator's Resume reads the rest (rows staged are not staged twice).");
    expect(await boxOf('running')).toBe('This job is still running: the 2 row(s) staged so far are only part of its result, and whether it is whole is known when it ends; wait for it before deciding all matching rows or re-inserting.');
    expect(await boxOf('failed')).toBe('This job failed: INPUT_FILE_UNREADABLE; an operator can see the details. The 2 row(s) staged are only what it read before it failed, not its whole result.');
    expect(await boxOf('failed-empty')).toBe('This job failed: INPUT_FILE_UNREADABLE; an operator can see the details');
    expect(await boxOf('whole')).toBeNull();
  }, 60_000);
});
