import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * A JSON body the API refuses says why in one line. fastify's parser answered "Body is not valid
 * JSON but content-type is set to 'application/json'" for a body that is not JSON (naming no place)
 * and for one that is valid JSON holding a `__proto__` or `constructor.prototype` key, which it
 * refuses (prototype poisoning): the client was told its valid JSON was not JSON. Refused as before
 * (400 INPUT_BAD_REQUEST, nothing done), now naming the place or the key, and never quoting the body.
 */
let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const post = (payload: string) => t.app.inject({ method: 'POST', url: '/api/jobs', headers: { ...bearer(t.tokens.operator), 'content-type': 'application/json' }, payload });

it.each([
  ['a __proto__ key', '{"kind":"files","ldf":"/e/x.ldf","__proto__":{"admin":true}}', 'the body holds the key __proto__, which no request takes'],
  ['a nested __proto__ key', '{"kind":"files","ldf":"/e/x.ldf","metadata":{"allocUnits":{"__proto__":{"x":1}}}}', 'the body holds the key metadata.allocUnits.__proto__'],
  ['constructor.prototype', '{"kind":"files","ldf":"/e/x.ldf","tables":[{"constructor":{"prototype":{"x":1}}}]}', 'the body holds the key tables.0.constructor.prototype'],
])('valid JSON holding %s is refused naming the key', async (_name, payload, words) => {
  const r = await post(payload);
  expect(r.statusCode).toBe(400);
  expect(r.json().code).toBe('INPUT_BAD_REQUEST');
  expect(r.json().message).toContain(words);
  expect(r.json().message).not.toMatch(/not valid JSON/);
  expect(t.store.listJobs({ limit: 10 })).toEqual([]);
});

it('a body that is not JSON says where, without quoting it', async () => {
  const r = await post('{"kind":"live","server":"Server=db;Password=hunter2","database":"crm",}');
  expect(r.statusCode).toBe(400);
  expect(r.json().code).toBe('INPUT_BAD_REQUEST');
  expect(r.json().message).toMatch(/^the body is not JSON: .*position \d+/);
  expect(r.body).not.toContain('hunter2');
  const word = await post('not json');
  expect(word.json().message).toMatch(/^the body is not JSON: Unexpected token/);
  expect(word.json().message).not.toContain('not json');
  expect((await post('')).json().message).toMatch(/^the body is empty/);
  expect(t.store.listJobs({ limit: 10 })).toEqual([]);
});
