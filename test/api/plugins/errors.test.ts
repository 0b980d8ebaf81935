import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers.js';

/**
 * Requests fastify itself refuses before a route runs — a body that is not JSON, an empty JSON
 * body, a media type it does not parse — answered with fastify's FST_ERR_* codes
 * (`{"code":"FST_ERR_CTP_INVALID_JSON_BODY",…}` found with curl against `rowback serve`); the API's
 * codes are its own and stable: INPUT_BAD_REQUEST, with fastify's status and message.
 */
let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

it.each([
  ['a body that is not JSON', 'application/json', 'not json', 400],
  ['an empty JSON body', 'application/json', '', 400],
  ['a media type the API does not parse', 'application/xml', '<a/>', 415],
])('%s: INPUT_BAD_REQUEST, not a fastify code', async (_name, type, payload, status) => {
  const job = t.store.createJob({ kind: 'files', spec: { ldf: '/x.ldf' }, description: 'x', windowFrom: null, windowTo: null, createdBy: 'olga' });
  const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/decisions`, headers: { authorization: `Bearer ${t.tokens.reviewer}`, 'content-type': type }, payload });
  expect(r.statusCode).toBe(status);
  const body = r.json() as { code: string; message: string };
  expect(body.code).toBe('INPUT_BAD_REQUEST');
  expect(body.message.length).toBeGreaterThan(0);
});
