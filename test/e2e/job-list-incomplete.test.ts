/**
 * The review page's job list showed a green SUCCEEDED for a job whose result is INCOMPLETE (parts
 * of the log could not be read; GET /api/jobs says `complete: false`): only the job's detail view
 * said so. The list now shows "succeeded · INCOMPLETE" in the warning colour, the sentences as its
 * title; a whole job stays a green "succeeded". Nor is a job whose result is doubtful (its notes
 * carry WARNING sentences: GET /api/jobs's `warnings`): "succeeded · WARNINGS", and its view says so
 * above the grid. The jobs are SYNTHETIC (state and completeness set
 * on the store; the INCOMPLETE sentence is of the form a torn log gives).
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { reviewDesk } from '../support/review-desk.js';
import { browserDescribe, signIn } from '../support/browser.js';
import { expect, it } from 'vitest';

const describeBrowser = browserDescribe();

const DOUBT = 'WARNING: 2 log record(s) of operation code 250 (0xfa), printed as LOP_UNKNOWN_250, first at LSN 00000013:000000b7:0002';
const TORN = 'INCOMPLETE: parts of the log could not be read (FORMAT_TORN_BLOCK); rows in those LSN ranges are missing from this job.';

describeBrowser('the job list marks an INCOMPLETE job, in chromium', () => {
  const ids: Record<'whole' | 'torn' | 'doubt', number> = { whole: 0, torn: 0, doubt: 0 };
  const desk = reviewDesk('rowback-e2e-incomplete-', {
    stage: ({ store }) => {
      for (const [k, incomplete, warnings] of [['whole', [], []], ['torn', [TORN], []], ['doubt', [], [DOUBT]]] as const) {
        const job = store.createJob({ kind: 'files', spec: { ldf: `/evidence/${k}.ldf` }, description: `/evidence/${k}.ldf`, windowFrom: null, windowTo: null, createdBy: 'olga' });
        store.setJobState(job.id, 'running');
        store.setJobCompleteness(job.id, [...incomplete], [...warnings]);
        store.setJobState(job.id, 'succeeded');
        ids[k] = job.id;
      }
    },
  });

  it('an INCOMPLETE job reads "succeeded · INCOMPLETE", a doubtful one "succeeded · WARNINGS", not green; a whole one stays a green "succeeded"', async () => {
    const { page, base, reviewer } = desk;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page, base, reviewer);
    await page.locator('#job-list li').nth(1).waitFor();
    const badge = (k: 'whole' | 'torn' | 'doubt') => page.locator(`#job-list li[data-job="${ids[k]}"] .state`);
    const look = (k: 'whole' | 'torn' | 'doubt') => badge(k).evaluate((e) => {
      // (no DOM lib in the test tsconfig: the browser's getComputedStyle, typed here)
      const s = (globalThis as unknown as { getComputedStyle(x: unknown): { color: string; backgroundColor: string } }).getComputedStyle(e);
      return { text: e.textContent, title: e.getAttribute('title'), color: s.color, background: s.backgroundColor };
    });
    const torn = await look('torn');
    const whole = await look('whole');
    expect(torn.text).toBe('succeeded · INCOMPLETE');
    expect(torn.title).toBe(TORN);
    expect(whole.text).toBe('succeeded');
    expect(whole.title).toBeNull();
    // green is --ok #1a7f45 on #d1fadf
    expect(whole).toMatchObject({ color: 'rgb(26, 127, 69)', background: 'rgb(209, 250, 223)' });
    expect(torn.color).not.toBe(whole.color);
    expect(torn.background).not.toBe(whole.background);
    const doubt = await look('doubt');
    expect(doubt.text).toBe('succeeded · WARNINGS');
    expect(doubt.title).toBe('1 warning(s) in its notes');
    expect(doubt.background).not.toBe(whole.background);
    // its view says it above the grid
    await page.locator(`#job-list li[data-job="${ids.doubt}"]`).click();
    await page.locator('#job-error', { hasText: 'doubtful' }).waitFor();
    expect(await page.locator('#job-error').textContent()).toBe("This job's result is doubtful: 1 warning(s) in its notes. Read the notes and each row's warnings before approving.");
    expect(errors).toEqual([]);
  }, 120_000);
});
