/**
 * `GET /api/jobs/:id/skipped` answered the first 1,000 items the scan passed over and nothing of the
 * rest: a job of 1,200 skipped items (its `skippedCount`) listed 1,000, the later ones (damaged log
 * further on) missing without a word. It now pages (`after`, `limit`) and says where the next page
 * starts (`next`, null at the end). Items: the fake source's skips of real corpus row images.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('skipped items, page by page', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp({ rows: { rows: 2400, skipEvery: 2 } }); });
  afterEach(async () => { await t.close(); });

  it('next pages through every item once; the count agrees with the job', async () => {
    const jobId = await fakeFilesJob(t);
    const job = (await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.viewer) })).json();
    expect(job.skippedCount).toBe(1200);
    const first = (await t.app.inject({ url: `/api/jobs/${jobId}/skipped`, headers: bearer(t.tokens.viewer) })).json();
    expect(first.items).toHaveLength(1000);
    expect(first.next).toBe(first.items[999].id);
    const seen: number[] = [];
    let after = 0;
    for (let n = 0; n < 20; n++) {
      const r = await t.app.inject({ url: `/api/jobs/${jobId}/skipped?limit=250&after=${after}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode).toBe(200);
      const page = r.json() as { items: { id: number }[]; next: number | null };
      seen.push(...page.items.map((i) => i.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen).toHaveLength(job.skippedCount);
    expect(new Set(seen).size).toBe(job.skippedCount);
    const bad = await t.app.inject({ url: `/api/jobs/${jobId}/skipped?limit=5000`, headers: bearer(t.tokens.viewer) });
    expect(bad.statusCode).toBe(400);
  }, 60_000);
});
