/**
 * The exact form of a decision's staleness check. `expectRows` compares counts: a row decided out
 * of the filter and another staged (a job still staging) or decided into it between the count and
 * the decision keep the count, and "approve all matching" went through, deciding a row nobody had
 * seen. The rows page now answers `asOf` (filter key, last decision id, last row id, count), and a
 * decision sent with it is refused (409 STAGING_DECISION_STALE, nothing decided) when a row it would
 * take was staged after that read or decided since, by row identity. By ids it also refuses a row
 * decided since that came back to the status shown (ABA): that later decision is one the reviewer
 * never saw and would overturn. Rows: the fake source's (corpus row images, SYNTHETIC values).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp, jobWithSecondReviewer } from '../helpers.js';
import { corpusRows } from '../../staging/fixtures.js';

describe('a decision sent with asOf takes the rows shown, not just as many', () => {
  let t: TestApp;
  let bob: string;
  let jobId: number;
  beforeEach(async () => {
    ({ t, bob, jobId } = await jobWithSecondReviewer());
  });
  afterEach(async () => { await t.close(); });
  const post = (token: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(token), payload: { reason: 'owner confirmed', ...payload } });
  const read = async (qs: string) => (await t.app.inject({ url: `/api/jobs/${jobId}/rows?${qs}`, headers: bearer(bob) })).json() as { total?: number; asOf: string; items: { id: number; status: string }[] };
  const status = (id: number) => t.store.getRow(jobId, id)!.status;
  const decided = () => t.store.decisions(jobId).length;

  it('one row decided out of the filter and one staged into it keep the count: refused with asOf, naming both', async () => {
    const shown = await read('status=pending&count=true&limit=50');
    expect(shown.total).toBe(120);
    expect(shown.asOf).toMatch(/^v3\./);
    expect((await post(t.tokens.reviewer, { decision: 'reject', ids: [1] })).statusCode).toBe(200);
    // the job stages one more row (a running job's next batch)
    t.store.stageBatch(jobId, corpusRows(1, 120));
    const added = Math.max(...t.store.listRows(jobId, {}, { limit: 1000 }).items.map((r) => r.id));
    const r = await post(bob, { decision: 'approve', filter: { status: 'pending' }, asOf: shown.asOf });
    expect([r.statusCode, r.json().code]).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(r.json().message).toContain("the filter's rows are 120, as counted, but not the rows counted");
    expect(r.json().message).toMatch(/#1 was decided since \(rejected now; last rejected by rafael at \d{4}-/);
    expect(r.json().message).toContain(`#${added} was staged since (pending)`);
    expect(r.json().message).toContain('nothing was decided');
    expect([status(added), status(2), decided()]).toEqual(['pending', 'pending', 1]);
    // counted again: decided
    const again = await read('status=pending&count=true&limit=1');
    const ok = await post(bob, { decision: 'approve', filter: { status: 'pending' }, asOf: again.asOf });
    expect([ok.statusCode, ok.json().rows]).toEqual([200, 120]);
  });

  it('decisions alone that keep the count (one row out of status=approved, another in) are refused', async () => {
    expect((await post(t.tokens.reviewer, { decision: 'approve', ids: [10] })).statusCode).toBe(200);
    const shown = await read('status=approved&count=true&limit=50');
    expect(shown.total).toBe(1);
    expect((await post(t.tokens.reviewer, { decision: 'reject', ids: [10] })).statusCode).toBe(200);
    expect((await post(t.tokens.reviewer, { decision: 'approve', ids: [11] })).statusCode).toBe(200);
    const r = await post(bob, { decision: 'reject', filter: { status: 'approved' }, asOf: shown.asOf });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('#10 was decided since (rejected now');
    expect(r.json().message).toContain('#11 was decided since (approved now');
    expect(status(11)).toBe('approved');
  });

  it("another reviewer's bulk decision since is named once for its rows, not once a row", async () => {
    const shown = await read('status=pending&count=true&limit=1');
    expect((await post(t.tokens.reviewer, { decision: 'reject', ids: [1, 2, 3, 4, 5] })).statusCode).toBe(200);
    const r = await post(bob, { decision: 'approve', filter: { status: 'pending' }, asOf: shown.asOf });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toMatch(/5 row\(s\) staged or decided since: #1, #2, #3, #4, #5 were decided since \(rejected now; last rejected by rafael at [^)]+\); nothing was decided/);
  });

  it('two reviewers at once on the same read: one decision is taken, the other refused naming it', async () => {
    const shown = await read('status=pending&count=true&limit=50');
    const [a, b] = await Promise.all([
      post(t.tokens.reviewer, { decision: 'approve', filter: { status: 'pending', login: 'sa' }, asOf: (await read('status=pending&login=sa&count=true&limit=1')).asOf }),
      post(bob, { decision: 'reject', filter: { status: 'pending' }, asOf: shown.asOf }),
    ]);
    expect([a.statusCode, a.json().rows]).toEqual([200, 50]);
    expect([b.statusCode, b.json().code]).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(b.json().message).toMatch(/counted 120 when shown and are 70 now: 50 row\(s\) staged or decided since: #\d+, .* were decided since \(approved now; last approved by rafael at /);
    expect(t.store.countRows(jobId, { status: 'rejected' })).toBe(0);
  });

  it('a row decided since outside the filter before and after is no reason to refuse', async () => {
    expect((await post(t.tokens.reviewer, { decision: 'approve', ids: [10] })).statusCode).toBe(200);
    const shown = await read('status=pending&count=true&limit=50');
    // another reviewer works on the approved rows meanwhile: row 10 was never pending
    expect((await post(t.tokens.reviewer, { decision: 'reject', ids: [10] })).statusCode).toBe(200);
    const r = await post(bob, { decision: 'approve', filter: { status: 'pending' }, asOf: shown.asOf });
    expect([r.statusCode, r.json().rows]).toEqual([200, 119]);
    expect(status(10)).toBe('rejected');
  });

  it('all: true with asOf: a row staged since is refused', async () => {
    const shown = await read('count=true&limit=50');
    t.store.stageBatch(jobId, corpusRows(1, 120));
    const r = await post(bob, { decision: 'reject', all: true, asOf: shown.asOf });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain("the job's rows were counted 120 when shown and are 121 now");
    expect(decided()).toBe(0);
  });

  it('by ids: a row decided since and back to the status shown (ABA) is refused with asOf', async () => {
    expect((await post(t.tokens.reviewer, { decision: 'approve', ids: [3] })).statusCode).toBe(200);
    const page = await read('limit=50');
    expect(page.items.find((x) => x.id === 3)!.status).toBe('approved');
    // rafael rejects row 3 and approves it again, with another reason, while bob looks at it
    expect((await post(t.tokens.reviewer, { decision: 'reject', ids: [3] })).statusCode).toBe(200);
    expect((await post(t.tokens.reviewer, { decision: 'approve', ids: [3] })).statusCode).toBe(200);
    const r = await post(bob, { decision: 'reject', ids: [3, 4], seen: { 3: 'approved', 4: 'pending' }, asOf: page.asOf });
    expect([r.statusCode, r.json().code]).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(r.json().message).toMatch(/1 of the rows given changed since they were shown \(asOf\): #3 was decided since \(approved now; last approved by rafael at /);
    expect([status(3), status(4), decided()]).toEqual(['approved', 'pending', 3]);
    // a page read since: decided
    const now = await read('limit=50');
    expect((await post(bob, { decision: 'reject', ids: [3, 4], seen: { 3: 'approved', 4: 'pending' }, asOf: now.asOf })).json().rows).toBe(2);
  });

  it('an asOf that is no token, of another filter, or without a count for a filter: 400 naming body.asOf', async () => {
    const bad = await post(bob, { decision: 'approve', filter: { status: 'pending' }, asOf: 'yesterday' });
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'body.asOf']);
    const other = await read('status=rejected&count=true&limit=1');
    const crossed = await post(bob, { decision: 'approve', filter: { status: 'pending' }, asOf: other.asOf });
    expect([crossed.statusCode, crossed.json().field]).toEqual([400, 'body.asOf']);
    expect(crossed.json().message).toContain('another filter');
    const uncounted = await read('status=pending&limit=1');
    const noCount = await post(bob, { decision: 'approve', filter: { status: 'pending' }, asOf: uncounted.asOf });
    expect([noCount.statusCode, noCount.json().field]).toEqual([400, 'body.asOf']);
    expect(noCount.json().message).toContain('count=true');
    // the same filter spelled as the query string has it: taken
    const counted = await read('status=pending&count=true&limit=1');
    expect((await post(bob, { decision: 'approve', filter: { status: ['pending'] }, asOf: counted.asOf })).statusCode).toBe(200);
    expect(decided()).toBe(1);
  });
});
