/**
 * What keeping -0 in API answers costs (printed, not asserted): src/api/app.ts walks every answer
 * with `hasNegativeZero` before serialising it, to write a float's -0 as `-0`
 * (util/negative-zero.ts). Figures: a page of 500 staged rows (GET /api/jobs/:id/rows?limit=500,
 * in process with app.inject), and on that page's payload the walk alone, JSON.stringify alone, and
 * JSON.stringify with the -0 replacer (the one-pass alternative); then a wide page (500 rows of 50
 * columns). `npm run bench -- negative-zero`.
 *
 * 2026-12-05, 2 cores shared with another test run, three runs: a 500-row page (236 KB) 14-21 ms a
 * request (the store's listRows alone 5-8 ms; a CPU profile shows listRows, GC and the inject's
 * buffer copies, not the walk); the walk 0.12-0.20 ms, JSON.stringify 1.2-1.4 ms, with the replacer
 * 2.1-3.3 ms; the wide page (365 KB): walk 0.19-0.39 ms, stringify 2.0-2.5 ms, with the replacer
 * 3.8-4.0 ms. The walk is about 1% of a row page's answer and cheaper than the one-pass serialiser,
 * so it was kept for every route (a per-route opt-in would save ~0.1 ms on answers that are small
 * anyway, and lose -0 silently on a row-carrying route that forgot it).
 */
import { bearer, testApp } from '../test/api/helpers.js';
import { hasNegativeZero, negativeZeroReplacer } from '../src/util/negative-zero.js';

const per = (n: number, f: () => unknown): number => {
  for (let i = 0; i < Math.min(50, n); i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t) / 1e6 / n;
};
const perAsync = async (n: number, f: () => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < 10; i++) await f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await f();
  return Number(process.hrtime.bigint() - t) / 1e6 / n;
};

const t = await testApp({ rows: { rows: 3000 } });
try {
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/crm.ldf' } });
  await t.app.worker.idle();
  const id = r.json().id as number;
  const url = `/api/jobs/${id}/rows?limit=500`;
  const page = t.store.listRows(id, {}, { limit: 500 });
  console.log(`rows page: ${JSON.stringify(page).length} bytes, ${page.items.length} rows`);
  console.log(`GET ${url}: ${(await perAsync(40, () => t.app.inject({ url, headers: bearer(t.tokens.viewer) }))).toFixed(2)} ms a request`);
  console.log(`store.listRows(500): ${per(40, () => t.store.listRows(id, {}, { limit: 500 })).toFixed(2)} ms`);
  console.log(`hasNegativeZero(page): ${per(300, () => hasNegativeZero(page)).toFixed(3)} ms`);
  console.log(`JSON.stringify(page): ${per(300, () => JSON.stringify(page)).toFixed(3)} ms`);
  console.log(`JSON.stringify(page, -0 replacer): ${per(300, () => JSON.stringify(page, negativeZeroReplacer)).toFixed(3)} ms`);
  const wide = { items: Array.from({ length: 500 }, (_, i) => ({ id: i, table: 'dbo.Wide', operation: 'delete', status: 'pending', values: Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`c${k}`, k % 3 === 0 ? i * 1.5 : k % 3 === 1 ? `text ${i} ${k}` : 0])), warnings: [] })), nextCursor: null };
  console.log(`wide page (${JSON.stringify(wide).length} bytes): walk ${per(300, () => hasNegativeZero(wide)).toFixed(3)} ms, stringify ${per(300, () => JSON.stringify(wide)).toFixed(3)} ms, with the replacer ${per(300, () => JSON.stringify(wide, negativeZeroReplacer)).toFixed(3)} ms`);
} finally {
  await t.close();
}
