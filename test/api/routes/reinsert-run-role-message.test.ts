/**
 * A reviewer's real re-insert (dryRun: false) is refused 403, but the message did not say who may:
 * `role reviewer may preview but not run a re-insert` named neither the operator role nor the token
 * command that every other AUTH_FORBIDDEN names (docs/service.md "Error codes"), and with a
 * connection in the request (`target`) the reviewer was told about previews ('a connection given in
 * the request is for operators'), not that a run is an operator's. Both now say a run takes an
 * operator's token and how to make one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe("a reviewer's real re-insert: the refusal names the role that may run it", () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('with or without a connection in the request', async () => {
    const jobId = await fakeFilesJob(t);
    for (const body of [{}, { target: { connectionString: 'Server=x' } }]) {
      const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: false, ...body } });
      expect(r.statusCode).toBe(403);
      expect(r.json().message).toBe("role reviewer may preview but not run a re-insert; a run takes a token of role operator (rowback token create NAME --role operator --db <the server's staging file>): reviewers decide and operators run jobs and re-inserts, two people for every re-insert");
    }
    // a reviewer's preview with a connection is still refused, saying why
    const p = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, target: { connectionString: 'Server=x' } } });
    expect(p.statusCode).toBe(403);
    expect(p.json().message).toContain('a connection given in the request is for operators');
  });
});
