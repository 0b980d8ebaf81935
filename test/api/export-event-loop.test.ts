import { afterAll, beforeAll, expect, it } from 'vitest';
import { LAYOUTS } from '../staging/fixtures.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * An export leaves the service's event loop turning while it runs, so that other requests (which
 * arrive as I/O, in a turn of the loop) are answered. The NDJSON and CSV exports sent a synchronous
 * generator through Readable.from, which a fast reader drains without the loop ever turning: the
 * whole export was one block (100,000 rows read over real HTTP: /api/me waited 0.24 s during the
 * NDJSON export and 0.79 s during the CSV, in proportion for larger jobs). Counted here as the turns
 * a chain of setImmediate callbacks gets while each export is read: the old NDJSON and CSV exports
 * gave it none; now one at least every 500 lines. (test/api/export-responsive.test.ts times /api/me
 * through app.inject, whose requests run on microtasks and never wait for a turn, so it could not
 * see this.) SYNTHETIC rows (the fixtures' corpus row images, repeated).
 */
let t: TestApp;
let jobId = 0;
const ROWS = 20_000;
beforeAll(async () => {
  t = await testApp({ rows: { rows: ROWS } });
  const created = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/x.ldf' } });
  await t.app.worker.idle();
  jobId = created.json().id;
  t.store.saveJobTables(jobId, Object.values(LAYOUTS));
}, 120_000);
afterAll(async () => { await t?.close(); });

/** The export's body and the turns of the event loop (setImmediate callbacks run) while it was read. */
async function exportCountingTurns(format: string): Promise<{ body: string; turns: number }> {
  let turns = 0;
  let on = true;
  const turn = (): void => { if (on) { turns++; setImmediate(turn); } };
  setImmediate(turn);
  try {
    const r = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=${format}`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode).toBe(200);
    return { body: r.body, turns };
  } finally {
    on = false;
  }
}

for (const format of ['ndjson', 'csv', 'sql'] as const) {
  it(`format=${format}: the loop turns at least once per 500 of its ${ROWS.toLocaleString()} rows while it is read`, async () => {
    const { body, turns } = await exportCountingTurns(format);
    if (format === 'ndjson') expect(body.split('\n').filter(Boolean)).toHaveLength(ROWS);
    if (format === 'csv') expect(body.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(ROWS + 1);
    expect(turns).toBeGreaterThanOrEqual(ROWS / 500);
  }, 120_000);
}
