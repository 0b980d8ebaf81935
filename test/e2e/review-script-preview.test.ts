/**
 * A run's script on the review page. The page read a run's whole script into the browser (GET
 * /api/reinsert-runs/:id/script, and a dry run's answer) and put it in the script panel: a 500 MB
 * script (a dry run of ~500,000 rows, or rows of large documents) overwhelmed the tab. Now the
 * panel holds each text's first 1 MiB, says above it how much of how much is shown, Copy script
 * refuses a preview (copied, it read as the whole: its later rows never run) and Download .sql saves
 * the whole from GET /api/reinsert-runs/:id/script/script. SYNTHETIC: a dry run of three rows
 * (numberedDeletes) whose script is then replaced in the staging file by 5 MB of lines in pieces.
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { readFileSync, statSync } from 'node:fs';
import { expect, it } from 'vitest';
import { writeRunTextChunks } from '../../src/staging/run-texts.js';
import { numberedDeletes, openFirstJob, reviewDesk, stagedJob } from '../support/review-desk.js';
import { browserDescribe } from '../support/browser.js';
import { corpusAvailable } from '../support/corpus.js';
import { LAYOUTS } from '../staging/fixtures.js';

const describeBrowser = browserDescribe(corpusAvailable);
/** Bytes as the page writes them (binary units: KiB, MiB; one decimal under 10). */
const fmt = (n: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
  return `${u === 0 || n >= 10 ? Math.round(n) : n.toFixed(1)} ${units[u]}`;
};
const BIG = Array.from({ length: 60_000 }, (_, i) => `INSERT INTO [dbo].[T] ([Id], [Name]) VALUES (${i}, N'row ${i} ${'é'.repeat(50)}');`).join('\n') + '\n';

describeBrowser('review page: a large script is previewed, downloaded whole', () => {
  let runId = 0;
  const desk = reviewDesk('rowback-e2e-script-preview-', {
    browser: { acceptDownloads: true },
    stage: ({ store }) => { stagedJob(store, numberedDeletes(3), { layouts: [LAYOUTS['dbo.T']!], description: 'deletes' }); },
    before: async ({ app, store, reviewer }) => {
      const auth = { authorization: `Bearer ${reviewer}` };
      const jobId = store.listJobs({ limit: 1 })[0]!.id;
      expect((await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: auth, payload: { decision: 'approve', reason: 'deleted by the cleanup', all: true } })).statusCode).toBe(200);
      const d = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: auth, payload: { dryRun: true } });
      expect(d.statusCode, d.body.slice(0, 200)).toBe(200);
      runId = d.json().run.id as number;
      // its script replaced by 5 MB (SYNTHETIC), kept in pieces as a long one is
      const w = await writeRunTextChunks(store.db, runId, 'script', [BIG]);
      store.db.prepare('UPDATE reinsert_runs SET script = NULL, script_pieces = ? WHERE id = ?').run(w.pieces, runId);
    },
  });

  it("an earlier dry run's row: its first 1 MiB shown and said so, Copy refused, Download the whole", async () => {
    const { page } = desk;
    let scriptAnswer = 0;
    page.on('response', (r) => { if (r.url().includes(`/api/reinsert-runs/${runId}/script`)) r.body().then((b) => { scriptAnswer = Math.max(scriptAnswer, b.length); }).catch(() => {}); });
    await openFirstJob(desk, 3);
    await page.locator('.tab[data-tab=reinsert]').click();
    await page.locator(`#runs tr[data-run="${runId}"]`).click();
    await expect.poll(() => page.locator('#script').textContent(), { timeout: 15_000 }).toMatch(/^INSERT INTO \[dbo\]\.\[T\]/);
    const shown = (await page.locator('#script').textContent())!;
    // the whole 5 MB was put in the panel
    expect(Buffer.byteLength(shown)).toBeLessThanOrEqual(1024 * 1024);
    expect(Buffer.byteLength(shown)).toBeGreaterThan(512 * 1024);
    expect(BIG.startsWith(shown)).toBe(true);
    expect(scriptAnswer).toBeLessThan(1100 * 1024);
    const total = Buffer.byteLength(BIG);
    expect(await page.locator('#script-cut').isVisible()).toBe(true);
    expect(await page.locator('#script-cut').textContent()).toBe(`Showing the first ${fmt(Buffer.byteLength(shown))} of this script, ${fmt(total)} in all: Download .sql saves the whole.`);

    await page.locator('#copy-script').click();
    await expect.poll(() => page.locator('#copy-msg').textContent()).toBe(`Not copied: the page shows the script's first 1.0 MiB only, of ${fmt(total)}; Download .sql saves the whole script.`);

    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#download-script').click()]);
    const file = (await dl.path())!;
    expect(statSync(file).size).toBe(total);
    expect(readFileSync(file, 'utf8') === BIG).toBe(true);
    await expect.poll(() => page.locator('#copy-msg').textContent()).toBe(`Downloaded the whole script: ${fmt(total)}.`);
  }, 90_000);

  it('a new dry run of the three rows: whole, nothing said of a preview, Copy copies it', async () => {
    const { page } = desk;
    await page.locator('#dry-run').click();
    await expect.poll(() => page.locator('#dry-run-msg').textContent(), { timeout: 15_000 }).toMatch(/^run #\d+: 3 row\(s\)/);
    expect(await page.locator('#script-cut').isVisible()).toBe(false);
    expect(await page.locator('#script').textContent()).toContain('INSERT INTO [dbo].[T]');
    await page.locator('#copy-script').click();
    await expect.poll(() => page.locator('#copy-msg').textContent()).toMatch(/^(Copied [\d,]+ characters\.|The browser refused the clipboard)/);
  }, 60_000);
});
