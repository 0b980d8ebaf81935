/**
 * `seen` that does not name every id given. The check skipped an id with no status in `seen`, so a
 * script (or a page whose selection held a row its grid no longer showed) sending `ids: [2, 3]` and
 * `seen: {"2": "pending"}` rejected row 3 after another reviewer had approved it, unchecked and
 * unseen; and a key of `seen` that is no id given was ignored, as if checked. Both are now 400
 * INPUT_VALIDATION naming body.seen and the ids; nothing is decided. Rows: the fake source's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp, jobWithSecondReviewer } from '../helpers.js';

describe('seen names every id given, and only those', () => {
  let t: TestApp;
  let bob: string;
  let jobId: number;
  beforeEach(async () => {
    ({ t, bob, jobId } = await jobWithSecondReviewer());
  });
  afterEach(async () => { await t.close(); });
  const post = (token: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(token), payload: { reason: 'owner confirmed', ...payload } });

  it('an id without a status in seen is refused, not decided unchecked', async () => {
    expect((await post(t.tokens.reviewer, { decision: 'approve', ids: [3] })).statusCode).toBe(200);
    const r = await post(bob, { decision: 'reject', ids: [2, 3], seen: { 2: 'pending' } });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'INPUT_VALIDATION', 'body.seen']);
    expect(r.json().message).toContain('no status for id 3');
    expect(t.store.getRow(jobId, 3)!.status).toBe('approved');
    expect(t.store.decisions(jobId).length).toBe(1);
  });

  it('a key of seen that is no id given is refused', async () => {
    const r = await post(bob, { decision: 'reject', ids: [2], seen: { 2: 'pending', 7: 'pending' } });
    expect([r.statusCode, r.json().field]).toEqual([400, 'body.seen']);
    expect(r.json().message).toContain('key 7 is not among ids');
    // duplicate ids with one status each: taken, the row decided once
    const dup = await post(bob, { decision: 'reject', ids: [2, 2], seen: { 2: 'pending' } });
    expect([dup.statusCode, dup.json().rows]).toEqual([200, 1]);
    expect(t.store.decisions(jobId).length).toBe(1);
  });
});
