import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// `GET /api/jobs/:id/rows?login=` (and `q=`, `transactionId=`, `sid=`, `dbUser=`, in the export
// too) took the empty value as no filter, while `table=` was a 400: a script with an unset variable
// (`login=$LOGIN`) listed, counted and exported every row of the job. An empty or blank value of
// every row-filter key is now a 400 naming the key.
describeCorpus('row filters in a query string: an empty value is refused, naming its key', () => {
  let t: TestApp;
  let jobId: number;
  beforeAll(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = await fakeFilesJob(t);
  });
  afterAll(async () => t?.close());

  const keys = ['table', 'login', 'status', 'from', 'to', 'transactionId', 'q', 'sid', 'dbUser'];
  const routes = [(k: string, v: string) => `/api/jobs/${jobId}/rows?${k}=${v}&count=true`, (k: string, v: string) => `/api/jobs/${jobId}/export?format=ndjson&${k}=${v}`];

  it.each(keys.flatMap((k) => ['', '%20%20'].map((v) => [k, v] as const)))('%s=%s is 400 INPUT_VALIDATION naming the key, in the rows list and the export', async (key, value) => {
    for (const url of routes) {
      const r = await t.app.inject({ url: url(key, value), headers: bearer(t.tokens.viewer) });
      expect([url(key, value), r.statusCode]).toEqual([url(key, value), 400]);
      // table, status, from and to were refused already, by their own form; the others say "empty"
      const own = ['table', 'status', 'from', 'to'].includes(key);
      expect(r.json()).toMatchObject({ code: 'INPUT_VALIDATION', field: `querystring.${key}`, message: expect.stringContaining(`querystring.${key}: ${own ? '' : 'empty'}`) });
    }
  });

  it('a value given still filters (login=nobody: no rows; no key at all: every row)', async () => {
    const none = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?login=nobody&count=true`, headers: bearer(t.tokens.viewer) })).json();
    expect(none.total).toBe(0);
    const all = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?count=true`, headers: bearer(t.tokens.viewer) })).json();
    expect(all.total).toBeGreaterThan(0);
  });
});
