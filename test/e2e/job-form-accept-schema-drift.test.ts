/**
 * The new-job form's "the table was altered after these rows" box in Debian's chromium: an export
 * job's rows of a table altered after their transaction began are held back as SOURCE_SCHEMA_DRIFT,
 * whose way on (`--accept-schema-drift` with the old layout) no job could take. Checked, with the
 * catalog from before the change as the metadata, the form sends `acceptSchemaDrift: true` and the
 * job stages the 3 dbo.Employee rows. Real bytes: AngularJs_CRUD's Database1_log.ldf's records as
 * `rowback log` prints them; SYNTHETIC: the export file around them and its catalog (modify_date
 * moved to 2099: every row predates an ALTER). The box is shown for export, live and log-backup
 * jobs only (a files job has no drift check). No chromium: a FAILURE under CI=true, a loud skip elsewhere.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { browserDescribe, operatorJobForm } from '../support/browser.js';
import { captureCli } from '../support/cli.js';
import { corpusAvailable } from '../support/corpus.js';
import { catalogRows, LOG_DB } from '../support/employee-catalog.js';
import { angularJsExportRecords } from '../support/log-export-records.js';

const describeBrowser = browserDescribe(corpusAvailable);
const cli = captureCli();

describeBrowser('new-job form: decode rows of a table altered since with the metadata given', () => {
  const form = operatorJobForm('rowback-schema-drift-form-', { dirIsFileRoot: true });

  it('the box is an export/live/log-backup job\'s; checked, it sends acceptSchemaDrift: true and the job stages the rows the drift check held back', async () => {
    const { page, posted, store, app, errors, dir } = form;
    const file = join(dir, 'drift.json');
    const identity = { database_name: 'Database1', database_guid: LOG_DB, family_guid: null };
    writeFileSync(file, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: catalogRows({ extra: { ...identity, modify_date: '2099-01-01T00:00:00' } }), records: await angularJsExportRecords(cli) }));
    await page.locator('#new-job').click();
    await page.locator('#j-kind').selectOption('files');
    await expect.poll(() => page.locator('#j-acceptSchemaDrift').isVisible()).toBe(false);
    await page.locator('#j-kind').selectOption('export');
    await expect.poll(() => page.locator('#j-acceptSchemaDrift').isVisible()).toBe(true);
    await page.locator('#j-file').fill(file);
    await page.locator('#j-meta-kind').selectOption('catalog');
    await page.locator('#j-meta').fill(JSON.stringify(catalogRows({ extra: { ...identity, modify_date: '2018-01-01T00:00:00' } })));
    await page.locator('#j-acceptSchemaDrift').check();
    const before = posted.length;
    await page.locator('#j-submit').click();
    await expect.poll(() => posted.length, { timeout: 20_000 }).toBe(before + 1);
    expect(posted[before]!.acceptSchemaDrift).toBe(true);
    await expect.poll(() => store.listJobs({ limit: 10 }).length, { timeout: 20_000 }).toBe(1);
    await app.worker.idle();
    const job = store.listJobs({ limit: 10 })[0]!;
    expect(job.state).toBe('succeeded');
    expect(job.rowsStaged).toBe(3);
    expect(errors).toEqual([]);
  });
});
