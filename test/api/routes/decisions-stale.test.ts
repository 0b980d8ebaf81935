/**
 * Two reviewers deciding the same rows. A decision was applied to whatever the rows were when it
 * arrived: reviewer B, still looking at row 3 as pending, rejected it after reviewer A had
 * approved it, and A's approval was overturned unseen ("Rejected 1 row(s)"; last write won); a
 * bulk decision by filter took rows staged or decided after the reviewer read the count. A
 * decision now says what it was made on: `seen` (ids: each row's status as shown) or `expectRows`
 * (filter / all: the count shown); when that is no longer so it is 409 STAGING_DECISION_STALE,
 * naming the rows, what they are now, who decided them and when, and nothing is decided or
 * audited. Without them a decision is as before (scripts). Rows: the fake source's (SYNTHETIC).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp, jobWithSecondReviewer } from '../helpers.js';

describe('a decision made on what the reviewer saw', () => {
  let t: TestApp;
  let bob: string;
  let jobId: number;
  beforeEach(async () => {
    ({ t, bob, jobId } = await jobWithSecondReviewer());
  });
  afterEach(async () => { await t.close(); });
  const post = (token: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(token), payload: { reason: 'owner confirmed', ...payload } });
  const decided = () => t.store.decisions(jobId).length;

  it("by ids: a row another reviewer decided since is refused with who and when, not overturned", async () => {
    const a = await post(t.tokens.reviewer, { decision: 'approve', ids: [3] });
    expect([a.statusCode, a.json().rows]).toEqual([200, 1]);
    // bob's page still shows rows 2 and 3 pending
    const b = await post(bob, { decision: 'reject', ids: [2, 3], seen: { 2: 'pending', 3: 'pending' } });
    expect(b.statusCode).toBe(409);
    expect(b.json().code).toBe('STAGING_DECISION_STALE');
    expect(b.json().message).toMatch(/1 of the rows given changed since they were shown: #3 is approved, seen pending \(approved by rafael at \d{4}-/);
    expect(b.json().message).toContain('nothing was decided');
    const row = (id: number) => t.store.getRow(jobId, id)!.status;
    expect([row(2), row(3)]).toEqual(['pending', 'approved']);
    expect(decided()).toBe(1);
    expect(t.store.audit({ jobId, limit: 100 }).filter((x) => x.action.startsWith('rows.')).length).toBe(1);
    // seen as it is now: decided
    const again = await post(bob, { decision: 'reject', ids: [2, 3], seen: { 2: 'pending', 3: 'approved' } });
    expect([again.statusCode, again.json().rows]).toEqual([200, 2]);
    // without seen: as before (a script re-sending decisions)
    const script = await post(t.tokens.reviewer, { decision: 'approve', ids: [3] });
    expect([script.statusCode, script.json().rows]).toEqual([200, 1]);
  });

  it('by filter or all: a count that changed since it was shown is refused', async () => {
    const count = async (qs: string) => (await t.app.inject({ url: `/api/jobs/${jobId}/rows?${qs}&count=true&limit=1`, headers: bearer(bob) })).json().total as number;
    const shown = await count('status=pending');
    expect(shown).toBeGreaterThan(5);
    await post(t.tokens.reviewer, { decision: 'reject', ids: [1, 2, 3, 4, 5] });
    const stale = await post(bob, { decision: 'approve', filter: { status: 'pending' }, expectRows: shown });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(stale.json().message).toContain(`counted ${shown} when shown and are ${shown - 5} now`);
    expect(t.store.getRow(jobId, 6)!.status).toBe('pending');
    const fresh = await post(bob, { decision: 'approve', filter: { status: 'pending' }, expectRows: await count('status=pending') });
    expect([fresh.statusCode, fresh.json().rows]).toEqual([200, shown - 5]);
    const total = await count('');
    const all = await post(bob, { decision: 'reject', all: true, expectRows: total + 1 });
    expect([all.statusCode, all.json().code]).toEqual([409, 'STAGING_DECISION_STALE']);
    expect((await post(bob, { decision: 'reject', all: true, expectRows: total })).statusCode).toBe(200);
  });

  it('seen goes with ids and expectRows with a filter: crossed, 400 naming the field', async () => {
    const a = await post(bob, { decision: 'approve', filter: { status: 'pending' }, seen: { 1: 'pending' } });
    expect([a.statusCode, a.json().field]).toEqual([400, 'body.seen']);
    const b = await post(bob, { decision: 'approve', ids: [1], expectRows: 1 });
    expect([b.statusCode, b.json().field]).toEqual([400, 'body.expectRows']);
    const c = await post(bob, { decision: 'approve', ids: [1], seen: { 1: 'maybe' } });
    expect(c.statusCode).toBe(400);
    expect(decided()).toBe(0);
  });
});
