/**
 * What a decision was checked against, in its audit entry. A decision sent with asOf, seen or
 * expectRows (checked against the rows the reviewer was shown) and one sent with none (a script:
 * the last decision wins, unseen) were audited alike, so the audit log could not tell a decision
 * made on what a reviewer saw from a blind one. The entry now holds `checked`: the asOf token, the
 * number of seen statuses and expectRows given, or null. Rows: the fake source's (SYNTHETIC values).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('a decision audit entry says what it was checked against', () => {
  let t: TestApp;
  let jobId: number;
  beforeEach(async () => {
    t = await testApp();
    jobId = await fakeFilesJob(t);
  });
  afterEach(async () => { await t.close(); });
  const post = (payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { reason: 'owner confirmed', ...payload } });

  it('asOf and seen, expectRows, or null for a decision made on nothing shown', async () => {
    const page = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?status=pending&count=true&limit=5`, headers: bearer(t.tokens.reviewer) })).json() as { asOf: string; total: number };
    expect((await post({ decision: 'approve', ids: [1, 2], seen: { 1: 'pending', 2: 'pending' }, asOf: page.asOf })).statusCode).toBe(200);
    const counted = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?status=pending&count=true&limit=1`, headers: bearer(t.tokens.reviewer) })).json() as { total: number };
    expect((await post({ decision: 'reject', filter: { status: 'pending' }, expectRows: counted.total })).statusCode).toBe(200);
    expect((await post({ decision: 'approve', ids: [3] })).statusCode).toBe(200);
    const checked = t.store.audit({ jobId }).filter((a) => a.action.startsWith('rows.')).map((a) => a.details.checked);
    expect(checked).toEqual([{ asOf: page.asOf, seen: 2 }, { expectRows: 118 }, null]);
  });
});
