/**
 * `GET /api/audit` answers one page (`limit`, default 200, at most 1000) and said nothing of the
 * entries after it: a client reading `items` took the page for the whole log, as the review page
 * did (a job's oldest 500 entries shown, its later decisions and re-insert runs missing). The
 * answer now carries `next`: the `after` of the next page, or null at the end; paging with it
 * gives every entry once. SYNTHETIC audit entries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('GET /api/audit pages', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('says where the next page starts, and null at the end; the pages hold every entry once', async () => {
    const jobId = await fakeFilesJob(t);
    const other = await fakeFilesJob(t);
    for (let i = 0; i < 25; i++) {
      t.store.appendAudit('rafael', 'rows.approve', jobId, { decisionId: i, reason: `r${i}` });
      t.store.appendAudit('rafael', 'rows.approve', other, { decisionId: i, reason: `other ${i}` });
    }
    const all = t.store.audit({ jobId, limit: 1000 }).map((a) => a.id);
    expect(all.length).toBeGreaterThan(25);
    const seen: number[] = [];
    let after = 0;
    for (let n = 0; n < 100; n++) {
      const r = await t.app.inject({ url: `/api/audit?jobId=${jobId}&limit=10&after=${after}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode).toBe(200);
      const page = r.json() as { items: { id: number; jobId: number }[]; next: number | null };
      expect(page.items.length).toBeLessThanOrEqual(10);
      expect(page.items.every((a) => a.jobId === jobId)).toBe(true);
      seen.push(...page.items.map((a) => a.id));
      if (page.next === null) break;
      expect(page.next).toBe(page.items[page.items.length - 1]!.id);
      after = page.next;
    }
    expect(seen).toEqual(all);
    // a page that holds the last entry exactly says so too
    const exact = await t.app.inject({ url: `/api/audit?jobId=${jobId}&limit=${all.length}`, headers: bearer(t.tokens.viewer) });
    expect(exact.json().items).toHaveLength(all.length);
    expect(exact.json().next).toBeNull();
    const short = await t.app.inject({ url: `/api/audit?jobId=${jobId}&limit=${all.length - 1}`, headers: bearer(t.tokens.viewer) });
    expect(short.json().next).toBe(all[all.length - 2]);
  });
});
