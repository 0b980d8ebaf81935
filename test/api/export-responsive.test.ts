import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { LAYOUTS } from '../staging/fixtures.js';
import { bearer, testApp } from './helpers.js';

/**
 * Through app.inject, whose requests run on microtasks: it sees a block of synchronous work, not a
 * loop that never turns (test/api/export-event-loop.test.ts counts the turns). The export's first
 * block (its first 1,000 rows read) takes about 12 ms on an idle machine; the CI's full run, two
 * cores shared, once made it 131 ms against a bound of 100 (2026-12-06), so the bound is 250 ms:
 * before e0967056 the export blocked for seconds.
 */
it('a 50,000-row SQL export streams without blocking: other API calls answer within 250 ms while it runs', async () => {
  const t = await testApp({ rows: { rows: 50_000 } });
  try {
    const created = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/x.ldf' } });
    await t.app.worker.idle();
    const jobId = created.json().id;
    t.store.saveJobTables(jobId, Object.values(LAYOUTS));
    let done = false;
    const exporting = t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql`, headers: bearer(t.tokens.viewer) }).then((r) => {
      done = true;
      return r;
    });
    const waits: number[] = [];
    while (!done) {
      const t0 = performance.now();
      const me = await t.app.inject({ url: '/api/me', headers: bearer(t.tokens.viewer) });
      waits.push(performance.now() - t0);
      expect(me.statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = await exporting;
    expect(r.statusCode).toBe(200);
    expect(r.body.match(/^INSERT INTO (?!\[dbo\]\.\[rowback_reinsert_ledger_rows\])|^    INSERT INTO (?!\[dbo\]\.\[rowback_reinsert_ledger_rows\])/gm)?.length).toBe(50_000);
    expect(waits.length).toBeGreaterThan(5); // the export took long enough to be measured against
    expect(Math.max(...waits), `waits: ${waits.map((w) => w.toFixed(0)).join(",")}`).toBeLessThan(250);
  } finally {
    await t.close();
  }
}, 120_000);
