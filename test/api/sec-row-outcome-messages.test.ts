import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';

/**
 * docs/security.md: viewers and reviewers see a failed job's or run's error code, not its message
 * (it may name a file, a host, whether a port answered). A run's `error` and `batches` were
 * hidden, but the same message went out whole in every failed row's outcome: `rows[].detail` of
 * GET /api/reinsert-runs/:id and `reinsert[].detail` of GET /api/jobs/:id/rows/:rowId.
 */
describeCorpus('a failed batch\'s message in row outcomes is for operators only', () => {
  const env = appWithFakeTarget();

  it('viewers and reviewers get the code of a row\'s failed insert, operators the message', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const secretish = 'connect ETIMEDOUT 10.9.8.7:1433 (server prod-sql-07, file D:\\evidence\\crm.ldf)';
    t.app.reinsert.hooks = { beforeCommit: () => { throw new Error(secretish); } };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target: { connectionString: 'Server=x;Password=p4ss' } } })).json();
    await t.app.reinsert.wait(run.id);
    for (const who of ['viewer', 'reviewer'] as const) {
      const r = await t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens[who]) });
      expect(r.statusCode).toBe(200);
      expect(r.body).not.toContain('10.9.8.7');
      const failed = r.json().rows.filter((x: { outcome: string }) => x.outcome === 'error');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0].detail.code).toBe('REINSERT_BATCH_FAILED');
      const one = await t.app.inject({ url: `/api/jobs/${jobId}/rows/${failed[0].rowId}`, headers: bearer(t.tokens[who]) });
      expect(one.statusCode).toBe(200);
      expect(one.body).not.toContain('10.9.8.7');
      expect(one.json().reinsert[0].detail.code).toBe('REINSERT_BATCH_FAILED');
    }
    const op = (await t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens.operator) })).json();
    expect(op.rows.find((x: { outcome: string }) => x.outcome === 'error').detail.message).toContain('10.9.8.7');
  });
});
