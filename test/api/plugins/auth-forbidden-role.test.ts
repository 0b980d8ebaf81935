import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * An operator approving rows, as a newcomer does with the one token made first: answered "role
 * operator may not decide", naming neither the role that may nor how to get its token. The 403
 * now names them.
 */
let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

it('a decision by an operator names the reviewer role and the token command', async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs/1/decisions', headers: { ...bearer(t.tokens.operator), 'content-type': 'application/json' }, payload: '{"decision":"approve","reason":"owner confirmed","ids":[1]}' });
  expect(r.statusCode).toBe(403);
  expect(r.json().code).toBe('AUTH_FORBIDDEN');
  expect(r.json().message).toBe("role operator may not decide; it takes a token of role reviewer (rowback token create NAME --role reviewer --db <the server's staging file>): reviewers decide and operators run jobs and re-inserts, two people for every re-insert");
});

it('a job created by a viewer names the operator role', async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: { ...bearer(t.tokens.viewer), 'content-type': 'application/json' }, payload: '{}' });
  expect(r.statusCode).toBe(403);
  expect(r.json().message).toMatch(/^role viewer may not operate; it takes a token of role operator \(rowback token create NAME --role operator --db /);
});
