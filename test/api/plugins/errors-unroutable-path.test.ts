import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * A path fastify refuses before it routes (`/api/jobs/%`, `/api/jobs/%E0%A4%A`: not percent-encoding;
 * an id of 101 characters or more: longer than the router's parameter limit) was answered by
 * fastify itself: `{"error":"Bad Request","code":"FST_ERR_BAD_URL",…}` (FST_ERR_MAX_PARAM_LENGTH,
 * status 414) echoing the whole path, and without the headers docs/security.md says every answer
 * carries (nosniff, no-referrer; no-store and the CSP on API answers): neither the error handler nor
 * the onSend hook ran. Now INPUT_BAD_REQUEST, one line naming the problem, with those headers.
 */
let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

it.each([
  ['a % not followed by two hex digits', '/api/jobs/%', 400, /not valid percent-encoding/],
  ['a cut UTF-8 escape', '/api/jobs/%E0%A4%A/rows', 400, /not valid percent-encoding/],
  ['an id of 5,000 digits', `/api/jobs/${'1'.repeat(5000)}`, 414, /longer than 100 characters/],
  ['a row id of 200 characters', `/api/jobs/1/rows/${'a'.repeat(200)}`, 414, /longer than 100 characters/],
])('%s: INPUT_BAD_REQUEST in one line, with the security headers', async (_name, url, status, words) => {
  for (const headers of [{}, bearer(t.tokens.viewer)]) {
    const r = await t.app.inject({ url, headers });
    expect(r.statusCode).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = r.json() as { code: string; message: string };
    expect(body.code).toBe('INPUT_BAD_REQUEST');
    expect(body.message).toMatch(words);
    expect(body.message).not.toContain('\n');
    // the path is named, cut: not 5,000 characters echoed back
    expect(body.message.length).toBeLessThan(300);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  }
});
