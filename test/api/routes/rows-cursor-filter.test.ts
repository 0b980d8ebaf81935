import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// A page cursor encoded only the last row id: `rows?limit=5` gave `next`, and
// `rows?limit=5&cursor=<next>&table=dbo.T` answered the table's rows after id 5, silently skipping
// its rows 1–5. A cursor is now bound to the filter (and job) it was made for.
describeCorpus('row page cursor: bound to its filter', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });

  const createJob = () => fakeFilesJob(t);
  const get = (url: string) => t.app.inject({ url, headers: bearer(t.tokens.viewer) });

  it('a cursor of all rows sent with table=… is 400 STAGING_BAD_CURSOR, not a page that skips the table\'s first rows; the same filter however spelled pages on', async () => {
    const jobId = await createJob();
    const first = (await get(`/api/jobs/${jobId}/rows?limit=5`)).json();
    expect(first.next).toBeTruthy();
    const table = first.items[0].table as string;
    const r = await get(`/api/jobs/${jobId}/rows?limit=5&cursor=${first.next}&table=${encodeURIComponent(table)}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('STAGING_BAD_CURSOR');
    expect(r.json().message).toMatch(/belongs to another filter: start again without cursor/);
    // another login, status or text, and another job, likewise
    for (const q of ['login=sa', 'status=pending', 'q=trailing', 'transactionId=0000:000003e8']) {
      const x = await get(`/api/jobs/${jobId}/rows?limit=5&cursor=${first.next}&${q}`);
      expect([q, x.statusCode, x.json().code]).toEqual([q, 400, 'STAGING_BAD_CURSOR']);
    }
    const other = await createJob();
    expect((await get(`/api/jobs/${other}/rows?limit=5&cursor=${first.next}`)).json().code).toBe('STAGING_BAD_CURSOR');

    // the same filter, however spelled, pages on: every row of the table once
    const total = (await get(`/api/jobs/${jobId}/rows?limit=1&count=true&table=${encodeURIComponent(table)}`)).json().total as number;
    const seen: number[] = [];
    let cursor: string | null = null;
    let i = 0;
    do {
      // the table named dbo.X and [dbo].[X] in turn, statuses in another order: one filter
      const name = i++ % 2 ? `[${table.replace('.', '].[')}]` : table;
      const st = i % 2 ? 'pending,approved' : 'approved,pending';
      const r = await get(`/api/jobs/${jobId}/rows?limit=3&table=${encodeURIComponent(name)}&status=${st}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode).toBe(200);
      seen.push(...r.json().items.map((x: { id: number }) => x.id));
      cursor = r.json().next;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
