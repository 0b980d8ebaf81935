/**
 * A decision whose reason is missing or too short was refused in zod's words ("body.reason:
 * Invalid input: expected string, received undefined", "Too small: expected string to have >=3
 * characters"): a reviewer sending `"reason": "ok"` was not told what the field is for. The 400
 * now says it: a reason is required, 3 to 2,000 characters, and goes into the audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => { await t.close(); });

describe('POST /api/jobs/:id/decisions: a missing or short reason is said in words', () => {
  it('no reason, a reason of 2 characters: 400 naming body.reason and what it is for; nothing decided', async () => {
    const jobId = await fakeFilesJob(t);
    const none = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', ids: [1] } });
    expect(none.statusCode).toBe(400);
    expect(none.json().field).toBe('body.reason');
    expect(none.json().message).toBe('body.reason: a reason is required: say why these rows are approved or rejected (3 to 2,000 characters; it goes into the audit log)');
    const short = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'ok', ids: [1] } });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toBe('body.reason: too short: give at least 3 characters saying why (it goes into the audit log with your name)');
    // a reason of the wrong type keeps zod's words, which name the type
    const num = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 42, ids: [1] } });
    expect(num.statusCode).toBe(400);
    expect(num.json().message).toContain('expected string');
    expect(t.store.decisions(jobId)).toEqual([]);
    const ok = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'owner confirmed', ids: [1] } });
    expect(ok.statusCode).toBe(200);
  });

  it('a reason of zero-width, format or control characters (three U+200B, a BOM and bidi marks, BEL and wide spaces) is too short: 400, nothing decided; 3 visible characters among them pass', async () => {
    const jobId = await fakeFilesJob(t);
    for (const reason of ['\u200b\u200b\u200b', '\ufeff\u200e\u200f\u2060', '\u200bo\u200bk\u200b', '\u0007\u00a0\u3000\u0007']) {
      const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason, ids: [1] } });
      expect(r.statusCode, JSON.stringify(reason)).toBe(400);
      expect(r.json().message).toBe('body.reason: too short: give at least 3 visible characters saying why (zero-width, format and control characters do not count; it goes into the audit log with your name)');
    }
    expect(t.store.decisions(jobId)).toEqual([]);
    const ok = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: '\u200bné\u200bé', ids: [1] } });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
