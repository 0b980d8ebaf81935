/**
 * The new-job form's restore section sent a backup-set input as a number or, for anything else, its
 * text: `1,2` (a full and a differential that are two sets of one file, the file given twice) went
 * as the string "1,2", refused. A list of numbers is now sent as an array (`position: [1, 2]`, one per
 * backup file in order, as `rowback diff --position 1,2`), and the job runs; a 400 naming an item
 * (`position.1`) marks the input.
 * SYNTHETIC file made at test time from REAL corpus bytes (appendedBackupSet: RestoreTimeClean.bak
 * whole, then RestoreTimeClean2.bak from its SSET block on), in the form's file root. Never in the repo.
 * No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { browserDescribe, operatorJobForm } from '../support/browser.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const describeBrowser = browserDescribe(corpusAvailable);
const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeBrowser('new-job form: a restore job whose backup sets are given one per file (1,2)', () => {
  const form = operatorJobForm('rowback-form-position-list-', { dirIsFileRoot: true });

  const fill = async (both: string, position: string) => {
    const { page } = form;
    await page.locator('#new-job').click();
    await page.locator('#j-kind').selectOption('restore');
    await page.locator('#j-r-bak').fill(`${both}\n${both}`);
    await page.locator('#j-r-position').fill(position);
    await page.locator('#j-r-afterBak').fill(`${both}\n${both}`);
    await page.locator('#j-r-afterPosition').fill('1, 2');
    await page.locator('#j-r-afterTrn').fill(RTC('RestoreTimeClean2_1.trn'));
    await page.locator('#j-r-afterStopAt').fill('2017-06-01 13:17');
    await page.locator('#j-r-table').fill('dbo.steps');
    await page.locator('#j-msg').evaluate((e) => { e.textContent = ''; });
  };

  it('1,2 sent as an array and run; 1,1 refused marking the position input', async () => {
    const { page, posted, store, dir, app, errors } = form;
    const both = join(dir, 'full-diff.bak');
    writeFileSync(both, appendedBackupSet(RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')));
    await fill(both, '1,1');
    await page.locator('#j-submit').click();
    await expect.poll(() => page.locator('#j-msg').textContent(), { timeout: 20_000 }).toMatch(/^INPUT_BAD_OPTION: .*same backup set number \(1\)/);
    expect(posted.at(-1)).toMatchObject({ kind: 'restore', position: [1, 1], afterPosition: [1, 2] });
    expect(await page.locator('#j-r-position').getAttribute('aria-invalid')).toBe('true');
    expect(store.listJobs({ limit: 10 })).toHaveLength(0);
    await fill(both, '1,2');
    await page.locator('#j-submit').click();
    await expect.poll(() => store.listJobs({ limit: 10 }).length, { timeout: 20_000 }).toBe(1);
    expect(posted.at(-1)).toMatchObject({ kind: 'restore', bak: [both, both], position: [1, 2], afterPosition: [1, 2] });
    await expect.poll(() => page.locator('#job-progress').textContent(), { timeout: 60_000 }).toMatch(/^succeeded/);
    await app.worker.idle();
    expect(errors, errors.join('\n')).toEqual([]);
  }, 120_000);
});
