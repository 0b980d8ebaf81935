import { expect, it } from 'vitest';
import { corpusAvailable } from '../support/corpus.js';
import { col, corpusRows, table } from '../staging/fixtures.js';
import { bearer, testApp } from './helpers.js';
import { join } from 'node:path';
import { FakeTarget, targetTables } from '../reinsert/fake-target.js';
import { LAYOUTS } from '../staging/fixtures.js';

/**
 * Every API answer that carries a row's values writes a float's -0 as JSON `-0` (src/api/app.ts,
 * util/negative-zero.ts): the row list, a row's detail, the NDJSON export; and a route with a
 * response schema (GET /api/jobs/:id) still answers as its schema says. Guards app.ts's walk (kept
 * for every route: bench/api-negative-zero.bench.ts), which only the review page's browser test
 * (test/e2e/review-negative-zero.test.ts, needs chromium) covered through the API.
 * Row image: corpus example rows staged under a SYNTHETIC table dbo.F with SYNTHETIC values.
 */
it.skipIf(!corpusAvailable)('rows, a row and the NDJSON export keep -0 as -0, and 0 as 0', async () => {
  const t = await testApp();
  try {
    const job = t.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const base0 = corpusRows(1)[0]!;
    t.store.stageBatch(job.id, [-0, 0].map((F, i) => ({ ...base0, table: 'dbo.F', lsn: `0000002a:00000100:000${i + 1}`, operation: 'delete' as const, values: { Id: i + 1, F, V: { baseType: 'float', value: F } }, warnings: [] })));
    t.store.saveJobTables(job.id, [table('dbo.F', [col('Id', 'int', { nullable: false, keyOrdinal: 1 }), col('F', 'float', { maxLength: 8 }), col('V', 'sql_variant', { maxLength: 8016 })])]);
    const get = (url: string) => t.app.inject({ url, headers: bearer(t.tokens.viewer) });
    const list = await get(`/api/jobs/${job.id}/rows`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('"F":-0,"V":{"baseType":"float","value":-0}');
    expect(list.body).toContain('"F":0,"V":{"baseType":"float","value":0}');
    const items = list.json().items as Array<{ id: number; values: { F: number } }>;
    expect(items.map((r) => Object.is(r.values.F, -0))).toEqual([true, false]);
    const one = await get(`/api/jobs/${job.id}/rows/${items[0]!.id}`);
    expect(one.body).toContain('"F":-0');
    expect(Object.is(one.json().values.F, -0)).toBe(true);
    const nd = await get(`/api/jobs/${job.id}/export?format=ndjson`);
    expect(nd.body.split('\n')[0]).toContain('"F":-0');
    // a route with a response schema answers as before (no -0 in it)
    const j = await get(`/api/jobs/${job.id}`);
    expect(j.statusCode).toBe(200);
    expect(j.json().id).toBe(job.id);
  } finally {
    await t.close();
  }
});

it.skipIf(!corpusAvailable)("a re-insert run's conflict (GET /api/reinsert-runs/:id) shows the existing row's -0 as -0", async () => {
  let target!: FakeTarget;
  const t = await testApp({ connectTarget: () => target });
  target = new FakeTarget(join(t.dir, 'target.db'), targetTables());
  try {
    const job = t.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    t.store.stageBatch(job.id, corpusRows(60));
    t.store.saveJobTables(job.id, Object.values(LAYOUTS));
    t.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.T' } });
    target.seed('dbo.T', [1], { Id: 1, Name: 'already here' });
    // the driver's row: a float column holding -0 (JSON text -0 parses to -0)
    target.db.prepare("UPDATE target_rows SET vals = '{\"Id\":1,\"Name\":\"already here\",\"F\":-0,\"V\":{\"baseType\":\"float\",\"value\":-0}}' WHERE tbl = 'dbo.T'").run();
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target: { connectionString: 'Server=x;Password=p4ss' } } })).json();
    await t.app.reinsert.wait(run.id);
    const r = await t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('"F":-0,"V":{"baseType":"float","value":-0}');
    const conflict = r.json().rows.find((x: { outcome: string }) => x.outcome === 'conflict');
    expect(Object.is(conflict.detail.existing.F, -0)).toBe(true);
  } finally {
    await t.close();
    target.dispose();
  }
});
