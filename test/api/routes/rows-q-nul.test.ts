import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// A NUL character in free text (`q=%00`, `q=a%00b`: a pasted value, a fuzzer) ended the FTS5 query
// string inside its quotes: SQLite's "unterminated string", answered 500 INTERNAL for the rows list,
// the count and a decision by q. A NUL separates words, as a space does.
describeCorpus('free text with a NUL character', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('is no 500: NUL separates words', async () => {
    const jobId = await fakeFilesJob(t);
    const get = (url: string) => t.app.inject({ url, headers: bearer(t.tokens.viewer) });
    const plain = await get(`/api/jobs/${jobId}/rows?limit=1000&q=trailing`);
    expect(plain.statusCode).toBe(200);
    for (const q of ['%00', 'trailing%00', '%00trailing']) {
      const r = await get(`/api/jobs/${jobId}/rows?limit=1000&q=${q}`);
      expect([q, r.statusCode], r.body).toEqual([q, 200]);
      if (q !== '%00') expect(r.json().items.map((x: { id: number }) => x.id)).toEqual(plain.json().items.map((x: { id: number }) => x.id));
    }
  });
});
