/**
 * A SQL (or undo) export of some of a job's rows (`table=`, `status=`, `login=` …) began
 * `-- rowback export of job 1 (3 rows)` and never said it was chosen by a filter: the script of one
 * table read as the job's whole re-insert, its other tables' rows never mentioned. Its header now
 * names the filter and the job's own count. A filter value that holds a password is redacted.
 * Rows: real corpus row images (test/staging/fixtures.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('the SQL export header names the filter', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('says the filter and how many of the job\'s rows it chose', async () => {
    const jobId = await fakeFilesJob(t);
    const sql = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&table=T&status=pending`, headers: bearer(t.tokens.viewer) })).body;
    const head = sql.split('\n').filter((l) => l.startsWith('--')).slice(0, 6).join('\n');
    expect(head).toContain("-- rows chosen by the filter table=dbo.T, status=pending: 20 of the job's 120 staged row(s); the others are not in this script");
    const undo = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql&operation=delete`, headers: bearer(t.tokens.viewer) })).body;
    expect(undo).toContain("-- rows chosen by the filter operation=delete: 120 of the job's 120 staged row(s)");
    // a filter that chose every row: no "others" to speak of (newcomer DBA: `status=approved` of a job
    // whose 11 rows were all approved said "11 of the job's 11 staged row(s); the others are not in this script")
    expect(undo).toContain("-- rows chosen by the filter operation=delete: 120 of the job's 120 staged row(s), every one\n");
    expect(undo).not.toContain('the others are not in this script');
    const whole = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql`, headers: bearer(t.tokens.viewer) })).body;
    expect(whole).not.toContain('rows chosen by the filter');
    const secret = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&q=${encodeURIComponent('Password=hunter2')}`, headers: bearer(t.tokens.viewer) })).body;
    expect(secret).not.toContain('hunter2');
  });
});
