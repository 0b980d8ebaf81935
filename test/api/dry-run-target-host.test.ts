/**
 * A reviewer's dry run against a configured target: the target's server host is operators' to see
 * (GET /api/info, GET /api/jobs/:id/reinsert-runs and GET /api/reinsert-runs/:id leave it out for
 * others), but the dry run's own answer gave run.target.server whole ("side-sql.corp.example,1433")
 * to the reviewer who asked. Now the answer's run carries the target as the runs list does.
 * Rows: the fake source's (test/worker/fake-source.ts); target: FakeTarget.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from './helpers.js';
import { FakeTarget, targetTables } from '../reinsert/fake-target.js';

const HOST = 'side-sql.corp.example';

describe('a dry run\'s answer: the target\'s server is operators\'', () => {
  let t: TestApp | undefined;
  let target: FakeTarget | undefined;
  afterEach(async () => {
    target?.dispose();
    await t?.close();
    t = undefined;
    target = undefined;
  });

  it('a reviewer\'s dry run against target side does not name its server; an operator\'s does', async () => {
    t = await testApp({ targets: { side: { connectionString: `Server=${HOST},1433;User Id=rb;Password=s3cret-side;Database=CRM_restore` } }, connectTarget: () => target! });
    target = new FakeTarget(join(t.dir, 'target.db'), targetTables());
    const jobId = await fakeFilesJob(t);
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'deleted rows', all: true } });
    expect(d.statusCode).toBe(200);
    const reviewer = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, targetName: 'side' } });
    expect(reviewer.statusCode).toBe(200);
    expect(reviewer.json().run.target).toMatchObject({ name: 'side', database: 'CRM_restore' });
    expect(reviewer.json().run.target.server).toBeUndefined();
    expect(reviewer.body).not.toContain(HOST);
    expect(reviewer.body).not.toContain('s3cret-side');
    // as the runs list gives it to the same reviewer
    const runs = await t.app.inject({ method: 'GET', url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens.reviewer) });
    expect(runs.json().items.find((r: { id: number }) => r.id === reviewer.json().run.id).target).toEqual(reviewer.json().run.target);
    const operator = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, targetName: 'side' } });
    expect(operator.statusCode).toBe(200);
    expect(operator.json().run.target.server).toBe(`${HOST},1433`);
  });
});
