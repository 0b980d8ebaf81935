import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// `export?format=CSV` was a 400 while the CLI's --format and the API's `operations` take any case;
// a `from`/`to` ending in `Z` or `+02:00` got a generic "expected YYYY-MM-DD…" where `scan --from`
// says the time "has a time zone" (log times carry none). Both as the CLI now.
describeCorpus('export format in any case; a time with a zone told as the CLI tells it', () => {
  let t: TestApp;
  let jobId: number;
  beforeAll(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = await fakeFilesJob(t);
  });
  afterAll(async () => t?.close());
  const get = (url: string) => t.app.inject({ url, headers: bearer(t.tokens.viewer) });

  it('format in any case is taken (CSV, Ndjson, SQL, Undo-SQL); a format of none of them is still 400 naming format', async () => {
    for (const [format, type] of [['CSV', 'text/csv'], ['Ndjson', 'application/x-ndjson'], ['SQL', 'application/sql'], ['Undo-SQL', 'application/sql']] as const) {
      const r = await get(`/api/jobs/${jobId}/export?format=${format}&table=DecimalTest`);
      expect([format, r.statusCode]).toEqual([format, 200]);
      expect(r.headers['content-type']).toContain(type);
    }
    expect((await get(`/api/jobs/${jobId}/export?format=xml`)).json()).toMatchObject({ code: 'INPUT_VALIDATION', field: 'querystring.format' });
  });

  it.each(['2024-03-01T09:00Z', '2024-03-01T09:00:00+02:00', '2024-03-01 09:00-0500'])('from/to %s: 400 INPUT_BAD_TIME "has a time zone", in the rows list, the export and a decision filter', async (time) => {
    for (const key of ['from', 'to']) {
      for (const url of [`/api/jobs/${jobId}/rows?${key}=${encodeURIComponent(time)}`, `/api/jobs/${jobId}/export?format=csv&${key}=${encodeURIComponent(time)}`]) {
        const r = (await get(url)).json();
        expect([url, r.code, r.field]).toEqual([url, 'INPUT_BAD_TIME', `querystring.${key}`]);
        expect(r.message).toBe(`querystring.${key} '${time}' has a time zone; give the SQL Server's local time without one (log times carry no zone): convert it to the server's time zone first`);
      }
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'by time', filter: { [key]: time } } });
      expect([d.statusCode, d.json().code, d.json().field]).toEqual([400, 'INPUT_BAD_TIME', `body.filter.${key}`]);
    }
  });

  it('a time of no form is still refused, naming the field', async () => {
    const r = (await get(`/api/jobs/${jobId}/rows?from=yesterday`)).json();
    expect(r).toMatchObject({ code: 'INPUT_BAD_TIME', field: 'querystring.from', message: expect.stringContaining('is not a time of the form YYYY-MM-DD') });
  });
});
