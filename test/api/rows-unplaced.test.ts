import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { bearer, testApp } from './helpers.js';

/**
 * A job without a window stages rows of transactions whose LOP_BEGIN_XACT was not in the log read
 * (no begin time: recover/committed.ts). A reviewer's `from` cannot place those committed at or
 * after it: the list, its count, a decision by filter and an export left them out without a word,
 * so "every row from 09:10" looked whole. Now the first page (and `count=true`) answers `unplaced`,
 * a decision by filter answers it, and every export format says it (`X-Rowback-Unplaced`; the SQL
 * script's header a WARNING line).
 */
describeCorpus('rows a time filter cannot place are said, not dropped unsaid', () => {
  it('GET rows, POST decisions and GET export say the rows of no begin time the window left out', async () => {
    const t = await testApp();
    try {
      const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'unplaced', createdBy: 'olga' });
      t.store.setJobState(job.id, 'running');
      t.store.saveJobTables(job.id, [LAYOUTS['dbo.T']!]);
      const base = corpusRows(1)[0]!;
      t.store.stageBatch(job.id, Array.from({ length: 12 }, (_, i) => ({
        ...base, lsn: `0000002a:00000100:${String(i + 1).padStart(4, '0')}`, values: { Id: i + 1, Name: `n${i + 1}` },
        // rows 1-4: no begin time, committed 09:50; rows 5-12 begun 09:00..09:35
        ...(i < 4 ? { beginTime: null, endTime: '2024-03-01T09:50:00.000' } : { beginTime: `2024-03-01T09:${String((i - 4) * 5).padStart(2, '0')}:00.000`, endTime: '2024-03-01T09:51:00.000' }),
      })));
      t.store.setJobState(job.id, 'succeeded');
      const get = (url: string) => t.app.inject({ url, headers: bearer(t.tokens.reviewer) });

      const first = (await get(`/api/jobs/${job.id}/rows?from=2024-03-01T09:10&limit=2&count=true`)).json();
      expect(first.total).toBe(6); // 09:10 .. 09:35
      expect(first.unplaced.rows).toBe(4);
      expect(first.unplaced.note).toMatch(/^4 rows not listed: their transaction's LOP_BEGIN_XACT was not in the log read \(no begin time\).*filter with to alone .* or with no window to see them$/);
      // later pages do not count again (unless count=true); no window, nothing said
      expect((await get(`/api/jobs/${job.id}/rows?from=2024-03-01T09:10&limit=2&cursor=${encodeURIComponent(first.next)}`)).json()).not.toHaveProperty('unplaced');
      expect((await get(`/api/jobs/${job.id}/rows`)).json()).not.toHaveProperty('unplaced');
      // `to` by 09:50: committed by it, so begun by it: listed, nothing unplaced
      const byTo = (await get(`/api/jobs/${job.id}/rows?to=2024-03-01T09:50&count=true`)).json();
      expect(byTo.total).toBe(12);
      expect(byTo).not.toHaveProperty('unplaced');

      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'window', filter: { from: '2024-03-01T09:10' } } });
      expect(d.statusCode, d.body).toBe(200);
      expect(d.json()).toMatchObject({ rows: 6, unplaced: { rows: 4 } });

      for (const format of ['csv', 'ndjson', 'sql'] as const) {
        const e = await get(`/api/jobs/${job.id}/export?format=${format}&from=2024-03-01T09:10`);
        expect([format, e.statusCode]).toEqual([format, 200]);
        expect([format, e.headers['x-rowback-unplaced']]).toEqual([format, '4']);
        if (format === 'sql') expect(e.body).toMatch(/-- WARNING: 4 rows not in this script: their transaction's LOP_BEGIN_XACT was not in the log read/);
      }
      expect((await get(`/api/jobs/${job.id}/export?format=ndjson`)).headers).not.toHaveProperty('x-rowback-unplaced');
    } finally {
      await t.close();
    }
  });
});
