import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from './helpers.js';

/**
 * Ids in a path are decimal digits. z.coerce.number read them with JavaScript's Number(), so
 * `/api/jobs/0x10` answered job 16, `/api/jobs/1e1` job 10, `/api/jobs/%201` (a space), `0b11`,
 * `0o7` and `1.0` the jobs Number() makes of them, as if those were the ids typed. Each is now a 400
 * naming the parameter; plain ids are answered as before.
 */
let t: TestApp;
let job: number;
beforeAll(async () => {
  t = await testApp();
  job = await fakeFilesJob(t);
});
afterAll(async () => { await t.close(); });

it.each([
  ['/api/jobs/0x1', 'params.id'], ['/api/jobs/1e0', 'params.id'], ['/api/jobs/%201', 'params.id'], ['/api/jobs/0b1', 'params.id'], ['/api/jobs/0o1', 'params.id'],
  ['/api/jobs/1.0', 'params.id'], ['/api/jobs/01', 'params.id'], ['/api/jobs/+1', 'params.id'], ['/api/jobs/0', 'params.id'], ['/api/jobs/-1', 'params.id'],
  ['/api/jobs/1/rows/0x1', 'params.rowId'], ['/api/jobs/1/rows/1e0', 'params.rowId'], ['/api/reinsert-runs/0x1', 'params.runId'], ['/api/reinsert-runs/1e0/script', 'params.runId'],
  ['/api/jobs/99999999999999999999', 'params.id'],
])('%s is refused naming %s', async (url, field) => {
  const r = await t.app.inject({ url, headers: bearer(t.tokens.viewer) });
  expect(r.statusCode).toBe(400);
  expect(r.json()).toMatchObject({ code: 'INPUT_VALIDATION', field });
  expect(r.json().message).toMatch(/^params\.(id|rowId|runId): (a (job|row|run) id is a whole number from 1, in decimal digits|no (job|row|run) id is that large)/);
});

it('plain ids are answered as before', async () => {
  expect((await t.app.inject({ url: `/api/jobs/${job}`, headers: bearer(t.tokens.viewer) })).json().id).toBe(job);
  const row = (await t.app.inject({ url: `/api/jobs/${job}/rows?limit=1`, headers: bearer(t.tokens.viewer) })).json().items[0].id as number;
  expect((await t.app.inject({ url: `/api/jobs/${job}/rows/${row}`, headers: bearer(t.tokens.viewer) })).json().id).toBe(row);
  expect((await t.app.inject({ url: '/api/reinsert-runs/12', headers: bearer(t.tokens.viewer) })).json().code).toBe('STAGING_RUN_NOT_FOUND');
});

it.each([
  ['/api/jobs?limit=1e2', 'querystring.limit'], ['/api/jobs?before=0x10', 'querystring.before'], ['/api/jobs/1/rows?limit=%205', 'querystring.limit'],
  ['/api/jobs/1/skipped?after=1.0', 'querystring.after'], ['/api/audit?jobId=0b1', 'querystring.jobId'], ['/api/reinsert-runs/1?rowsAfter=-0', 'querystring.rowsAfter'],
])('a query number %s is refused naming %s', async (url, field) => {
  const r = await t.app.inject({ url, headers: bearer(t.tokens.viewer) });
  expect(r.statusCode).toBe(400);
  expect(r.json()).toMatchObject({ code: 'INPUT_VALIDATION', field });
  expect(r.json().message).toBe(`${field}: expected a whole number in decimal digits (no sign, spaces, 0x, exponent or leading zeros)`);
});

it('query numbers in digits are answered as before, their limits said as before', async () => {
  expect((await t.app.inject({ url: '/api/jobs?limit=1', headers: bearer(t.tokens.viewer) })).json().items).toHaveLength(1);
  expect((await t.app.inject({ url: `/api/audit?jobId=${job}&after=0&limit=2`, headers: bearer(t.tokens.viewer) })).json().items).toHaveLength(2);
  const over = await t.app.inject({ url: '/api/jobs?limit=501', headers: bearer(t.tokens.viewer) });
  expect([over.statusCode, over.json().field]).toEqual([400, 'querystring.limit']);
});
