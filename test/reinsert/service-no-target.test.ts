import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp, type TestApp } from '../api/helpers.js';

/**
 * `POST /api/jobs/:id/reinsert {"dryRun":false}` with no target said only "a real re-insert needs a
 * target connection" (found with curl against `rowback serve`); it now names what to send.
 */
let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

it('names targetName, target and dryRun', async () => {
  const job = t.store.createJob({ kind: 'files', spec: { ldf: '/x.ldf' }, description: 'x', windowFrom: null, windowTo: null, createdBy: 'olga' });
  const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/reinsert`, headers: { authorization: `Bearer ${t.tokens.operator}` }, payload: { dryRun: false } });
  expect(r.statusCode).toBe(409);
  expect(r.json()).toMatchObject({
    code: 'REINSERT_NO_TARGET',
    message: "a real re-insert needs a target: send targetName (a target of serve's config; GET /api/info lists them) or target {connectionString, database}, or dryRun: true for the script only",
    // the field missing, as the request's other refusals name theirs (it named none)
    field: 'target',
  });
});
