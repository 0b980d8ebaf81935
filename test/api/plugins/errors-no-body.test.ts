import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * A POST sent with no body at all, as `curl -X POST $API/jobs/1/resume` sends it (newcomer, after
 * docs/service.md's first job): the route's body is optional (`{spec}` for live jobs only), yet it
 * was refused `body: Invalid input: expected object, received null`. No body is now a body not
 * given; a route that needs one says the request has none and how to send one.
 */
let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

it('resume with no body reaches the route (not a validation error)', async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs/1/resume', headers: bearer(t.tokens.operator) });
  expect(r.json().code).not.toBe('INPUT_VALIDATION');
  expect(r.json().message).not.toMatch(/received null/);
});

it('a route that needs a body, sent none: one message saying so and how to send one', async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator) });
  expect(r.statusCode).toBe(400);
  expect(r.json().code).toBe('INPUT_VALIDATION');
  expect(r.json().message).toBe("body: the request has no body: send a JSON object (-H 'content-type: application/json' -d '{…}')");
});

it('a body sent without the JSON header (curl -d alone): says it is not sent as JSON and which header to give', async () => {
  // it was answered "Unsupported Media Type" alone
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs/1/decisions', headers: { ...bearer(t.tokens.reviewer), 'content-type': 'application/x-www-form-urlencoded' }, payload: '{"decision":"approve","reason":"owner confirmed","ids":[1]}' });
  expect(r.statusCode).toBe(415);
  expect(r.json().code).toBe('INPUT_BAD_REQUEST');
  expect(r.json().message).toBe("the body is sent as 'application/x-www-form-urlencoded', not JSON: send it with the header content-type: application/json (curl -H 'content-type: application/json' -d '{…}')");
});
