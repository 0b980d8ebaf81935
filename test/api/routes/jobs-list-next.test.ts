/**
 * `GET /api/jobs` answers the newest `limit` jobs (default 100) and said nothing of older ones: a
 * client, and the review page, took the newest 100 for every job of the staging file. The answer
 * now has `next` (the `before` of the next page, null at the end), and the page says that older jobs
 * are not listed. Jobs: SYNTHETIC specs (nothing is scanned).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../helpers.js';

describe('GET /api/jobs pages', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('next pages through every job once, newest first; null at the end', async () => {
    for (let i = 0; i < 25; i++) t.store.createJob({ kind: 'files', spec: { ldf: `/evidence/${i}.ldf` }, description: `job ${i}`, createdBy: 'olga' });
    const seen: number[] = [];
    let before: number | undefined;
    for (let n = 0; n < 10; n++) {
      const r = await t.app.inject({ url: `/api/jobs?limit=10${before ? `&before=${before}` : ''}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode).toBe(200);
      const page = r.json() as { items: { id: number }[]; next: number | null };
      seen.push(...page.items.map((j) => j.id));
      if (page.next === null) break;
      expect(page.next).toBe(page.items[page.items.length - 1]!.id);
      before = page.next;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    const all = (await t.app.inject({ url: '/api/jobs?limit=25', headers: bearer(t.tokens.viewer) })).json();
    expect(all.items).toHaveLength(25);
    expect(all.next).toBeNull();
  });
});
