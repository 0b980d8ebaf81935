/**
 * A decision by filter while the job still stages rows: each count is followed by rows staged into
 * the filter before the decision arrives, so "Approve all matching" is refused (409
 * STAGING_DECISION_STALE) again and again. The refusal said "count again and decide again", which
 * is refused the same way: it now says the job is still staging and what does work (wait, a `to`
 * before the newest rows, or ids). A `to` before the rows being staged is taken. Rows: the fake
 * source's (corpus row images, SYNTHETIC values), one a second from 2024-03-01 09:00.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';
import { corpusRows } from '../../staging/fixtures.js';

describe('a decision by filter while the job still stages rows', () => {
  let t: TestApp;
  let jobId: number;
  beforeEach(async () => {
    t = await testApp();
    jobId = await fakeFilesJob(t);
    // the job is still running: its next batches come between a count and a decision
    t.store.db.prepare("UPDATE jobs SET state = 'running' WHERE id = ?").run(jobId);
  });
  afterEach(async () => { await t.close(); });
  const post = (payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { reason: 'owner confirmed', ...payload } });
  const read = async (qs: string) => (await t.app.inject({ url: `/api/jobs/${jobId}/rows?${qs}`, headers: bearer(t.tokens.reviewer) })).json() as { total?: number; asOf: string };

  it('is refused saying the job is still staging and what works; a to before the newest rows is taken', async () => {
    const shown = await read('status=pending&count=true&limit=1');
    t.store.stageBatch(jobId, corpusRows(5, 120));
    const r = await post({ decision: 'approve', filter: { status: 'pending' }, asOf: shown.asOf });
    expect([r.statusCode, r.json().code]).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(r.json().message).toContain(`job ${jobId} is still staging rows (running), so every decision by filter or all: true whose rows it stages into meanwhile is refused: wait until it has finished, or narrow the filter to rows already staged (a to before the newest rows' begin time`);
    // rows 120.. begin at 09:02:20 (corpusRows: 50 a minute): a to before them
    const narrow = await read('status=pending&to=2024-03-01T09:01:59&count=true&limit=1');
    expect(narrow.total).toBeGreaterThan(0);
    t.store.stageBatch(jobId, corpusRows(5, 125));
    const ok = await post({ decision: 'approve', filter: { status: 'pending', to: '2024-03-01T09:01:59' }, asOf: narrow.asOf });
    expect([ok.statusCode, ok.json().rows]).toEqual([200, narrow.total]);
    // a job that has finished: the sentence is not said
    t.store.db.prepare("UPDATE jobs SET state = 'succeeded' WHERE id = ?").run(jobId);
    const later = await read('status=pending&count=true&limit=1');
    t.store.stageBatch(jobId, corpusRows(1, 130));
    const done = await post({ decision: 'approve', filter: { status: 'pending' }, asOf: later.asOf });
    expect(done.statusCode).toBe(409);
    expect(done.json().message).not.toContain('still staging');
  });
});
