import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';

/**
 * A failed re-insert run resumes "with the same batches, same idempotency keys", but took any
 * target: another server or database got the rest of the run (and a batch committed in the first
 * target but not recorded was inserted again in the second, whose ledger does not know its key),
 * while the run's record, and the undo made from it, still named the first database.
 */
describeCorpus('resuming a re-insert run into another target', () => {
  const env = appWithFakeTarget();

  it('is refused (another server, database or ledger table); the same place with a new password resumes', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    let n = 0;
    t.app.reinsert.hooks = { beforeCommit: () => { if (++n === 3) throw new Error('connection reset'); } };
    const first = { connectionString: 'Server=tcp:crm-sql,1433;User Id=rb;Password=p4ss', database: 'CRM' };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target: first } })).json();
    await t.app.reinsert.wait(run.id);
    t.app.reinsert.hooks = undefined;
    const resume = (target: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/reinsert-runs/${run.id}/resume`, headers: bearer(t.tokens.operator), payload: { target } });
    for (const other of [
      { ...first, connectionString: 'Server=other-sql;User Id=rb;Password=p4ss' },
      { ...first, database: 'CRM_copy' },
      { connectionString: first.connectionString },
      { ...first, ledgerTable: 'audit.ledger' },
    ]) {
      const r = await resume(other);
      expect([r.statusCode, r.json().code], JSON.stringify(other)).toEqual([400, 'INPUT_BAD_OPTION']);
      expect(r.body).not.toContain('p4ss');
    }
    expect(t.app.reinsert.getRun(run.id)!.state).toBe('failed');
    const ok = await resume({ ...first, connectionString: 'Server=CRM-SQL,1433;User Id=rb;Password=rotated' });
    expect(ok.statusCode).toBe(202);
    await t.app.reinsert.wait(run.id);
    expect(t.app.reinsert.getRun(run.id)!.state).toBe('succeeded');
    expect(JSON.stringify(t.app.reinsert.getRun(run.id)!.target)).not.toMatch(/p4ss|rotated/);
    // the host it keeps is operators' to see
    expect((await t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens.operator) })).json().target.server).toBe('crm-sql,1433');
    for (const who of ['viewer', 'reviewer'] as const) {
      expect((await t.app.inject({ url: `/api/reinsert-runs/${run.id}`, headers: bearer(t.tokens[who]) })).body).not.toContain('crm-sql');
      expect((await t.app.inject({ url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens[who]) })).body).not.toContain('crm-sql');
    }
  });
});
