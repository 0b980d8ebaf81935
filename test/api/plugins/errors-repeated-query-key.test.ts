/**
 * A query-string key that takes one value, given twice (`?limit=1&limit=2`, a script appending a
 * filter to a URL that had one), was refused with zod's words for the list the parser made of it:
 * `querystring.limit: Invalid input: expected number, received NaN`, `querystring.table: Invalid
 * input: expected string, received array`, naming neither the repeat nor the values. The refusal now
 * says it, as the CLI does for an option given twice. A key that takes a list (`status`) keeps its
 * own refusal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('a query key given more than once', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('is refused naming the key, the repeat and the values', async () => {
    const jobId = await fakeFilesJob(t);
    const cases: [string, string][] = [
      [`/api/jobs/${jobId}/rows?limit=1&limit=2`, "querystring.limit: given more than once ('1', then '2'); it takes one value: give it once"],
      [`/api/jobs/${jobId}/rows?table=dbo.T&table=dbo.T2`, "querystring.table: given more than once ('dbo.T', then 'dbo.T2'); it takes one value: give it once"],
      [`/api/jobs/${jobId}/export?format=csv&format=sql`, "querystring.format: given more than once ('csv', then 'sql'); it takes one value: give it once"],
      [`/api/audit?jobId=${jobId}&jobId=2`, "querystring.jobId: given more than once ('1', then '2'); it takes one value: give it once"],
    ];
    for (const [url, message] of cases) {
      const r = await t.app.inject({ url, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode, url).toBe(400);
      expect(r.json()).toMatchObject({ code: 'INPUT_VALIDATION', message, field: message.split(':')[0] });
    }
    // a repeated password-like value is not echoed
    const secret = await t.app.inject({ url: `/api/jobs/${jobId}/rows?q=a&q=${encodeURIComponent('Password=hunter2')}`, headers: bearer(t.tokens.viewer) });
    expect(secret.statusCode).toBe(400);
    expect(secret.body).not.toContain('hunter2');
    // a key that takes a list: repeats are its values, an unknown one is its own refusal
    expect((await t.app.inject({ url: `/api/jobs/${jobId}/rows?status=pending&status=approved`, headers: bearer(t.tokens.viewer) })).statusCode).toBe(200);
    const bad = await t.app.inject({ url: `/api/jobs/${jobId}/rows?status=pending&status=foo`, headers: bearer(t.tokens.viewer) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).not.toContain('more than once');
  });
});
