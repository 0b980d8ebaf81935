/**
 * A real re-insert (dryRun: false) is an operator's: a reviewer or viewer is refused 403 whatever
 * the target named. The role was checked after the target was resolved, so a reviewer's real run
 * naming a target not configured (or one whose variable is unset) was answered 400 about the
 * target (INPUT_UNKNOWN_TARGET, INPUT_TARGET_UNSET), as if it could run once the name was right.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('a real re-insert by a role that may not run one', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ targets: { side: { connectionStringEnv: 'ROWBACK_TEST_UNSET_TARGET_VARIABLE', database: 'CRM_side' } } });
  });
  afterEach(async () => { await t.close(); });

  it('is 403 before anything about the target, and nothing runs', async () => {
    const jobId = await fakeFilesJob(t);
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.T' } } });
    for (const body of [{ targetName: 'nope' }, { targetName: 'side' }, { targetName: 'side', target: { connectionString: 'Server=x' } }]) {
      for (const token of [t.tokens.reviewer, t.tokens.viewer]) {
        const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(token), payload: { dryRun: false, ...body } });
        expect(r.statusCode, JSON.stringify(body)).toBe(403);
        expect(r.json().code).toBe('AUTH_FORBIDDEN');
      }
    }
    const runs = await t.app.inject({ url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens.viewer) });
    expect(runs.json().items).toEqual([]);
  });
});
