/**
 * An asOf token of another staging file's page (a second server, the same URL after a restart on
 * another file), or naming a decision or row this store has not reached (a copy of the file put
 * back from an earlier backup since the page was read, a hand-edited token). Its filter key is a hash of the job
 * id and the filter alone, so another store's token of job 1 under the same filter matched, and its
 * greater decision and row ids hid every decision and row since: a bulk decision took rows the
 * reviewer never saw (200), and by ids a decision another reviewer made since was overturned unseen.
 * Refused now, 400 INPUT_VALIDATION body.asOf, nothing decided: the token names its store (a hash of
 * when the file's schema was made) and no decision or row past the store's last. Rows: the fake source's (corpus row
 * images, SYNTHETIC values).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('an asOf token past what the staging store holds', () => {
  let a: TestApp;
  let b: TestApp;
  let jobId: number;
  beforeEach(async () => {
    a = await testApp();
    // another file, made at another moment (its store tag: when its schema was made)
    await new Promise((r) => setTimeout(r, 5));
    b = await testApp();
    jobId = await fakeFilesJob(a);
    expect(await fakeFilesJob(b)).toBe(jobId);
  });
  afterEach(async () => { await a.close(); await b.close(); });
  const post = (t: TestApp, token: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(token), payload: { reason: 'owner confirmed', ...payload } });
  const read = async (t: TestApp, qs: string) => (await t.app.inject({ url: `/api/jobs/${jobId}/rows?${qs}`, headers: bearer(t.tokens.reviewer) })).json() as { total?: number; asOf: string };

  it("another staging file's token of the same job and filter is refused, not taken as a later read", async () => {
    // the other store: two decisions (row 1 rejected, then approved), its pending counted 119
    expect((await post(b, b.tokens.reviewer, { decision: 'reject', ids: [1] })).statusCode).toBe(200);
    expect((await post(b, b.tokens.reviewer, { decision: 'approve', ids: [1] })).statusCode).toBe(200);
    const foreign = await read(b, 'status=pending&count=true&limit=1');
    expect(foreign.total).toBe(119);
    // this store: one decision the reviewer never saw, pending 119 as well
    expect((await post(a, a.tokens.reviewer, { decision: 'approve', ids: [7] })).statusCode).toBe(200);
    const r = await post(a, a.tokens.reviewer, { decision: 'reject', filter: { status: 'pending' }, asOf: foreign.asOf });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'INPUT_VALIDATION', 'body.asOf']);
    expect(r.json().message).toContain("asOf was issued by another staging store than this server's (another staging file's page");
    expect(r.json().message).toContain('nothing was decided');
    expect(a.store.decisions(jobId).length).toBe(1);
    expect(a.store.getRow(jobId, 2)!.status).toBe('pending');
    // by ids: row 7's approval since is not overturned unseen
    const byIds = await post(a, a.tokens.reviewer, { decision: 'reject', ids: [7], asOf: foreign.asOf });
    expect([byIds.statusCode, byIds.json().field]).toEqual([400, 'body.asOf']);
    expect(a.store.getRow(jobId, 7)!.status).toBe('approved');
    // this store's own token is taken
    const own = await read(a, 'status=pending&count=true&limit=1');
    const ok = await post(a, a.tokens.reviewer, { decision: 'reject', filter: { status: 'pending' }, asOf: own.asOf });
    expect([ok.statusCode, ok.json().rows]).toEqual([200, 119]);
  });

  it('a token of this store whose row id is past the last row staged is refused (a copy of the file put back from an earlier backup; a row staged since would hide under it)', async () => {
    const shown = await read(a, 'limit=5');
    const [v, store, key, dec, , , audit] = shown.asOf.split('.');
    const r = await post(a, a.tokens.reviewer, { decision: 'reject', ids: [1], asOf: `${v}.${store}.${key}.${dec}.999999999999999.-.${audit}` });
    expect([r.statusCode, r.json().field]).toEqual([400, 'body.asOf']);
    expect(r.json().message).toContain('asOf names row 999999999999999, past the last this staging store holds (row 120)');
    expect(a.store.getRow(jobId, 1)!.status).toBe('pending');
  });
});
