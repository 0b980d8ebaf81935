import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';

/**
 * A resume goes where its run went, database included, also when the database is named by the
 * connection string alone (`Database=` / `Initial Catalog=`, no `database` field): the run recorded
 * no database then, and a resume whose connection named another database of the same server (a
 * configured target's string edited, or a connection given again) took the rest of the run there,
 * past the first database's ledger.
 */
describeCorpus('resuming a run whose database only its connection string names', () => {
  const env = appWithFakeTarget();

  it("records that database, and refuses a resume into another; the same one resumes", async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    let n = 0;
    t.app.reinsert.hooks = { beforeCommit: () => { if (++n === 2) throw new Error('connection reset'); } };
    const first = { connectionString: 'Server=crm-sql;Database=CRM_restore;User Id=rb;Password=p4ss' };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target: first } })).json();
    await t.app.reinsert.wait(run.id);
    t.app.reinsert.hooks = undefined;
    expect(t.app.reinsert.getRun(run.id)!.state).toBe('failed');
    expect(t.app.reinsert.getRun(run.id)!.target.database).toBe('CRM_restore');
    const resume = (target: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/reinsert-runs/${run.id}/resume`, headers: bearer(t.tokens.operator), payload: { target } });
    for (const other of [
      { connectionString: 'Server=crm-sql;Database=CRM;User Id=rb;Password=p4ss' },
      { connectionString: 'Server=crm-sql;Initial Catalog=CRM;User Id=rb;Password=p4ss' },
      { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss' },
      { ...first, database: 'CRM' },
    ]) {
      const r = await resume(other);
      expect([r.statusCode, r.json().code], JSON.stringify(other)).toEqual([400, 'INPUT_BAD_OPTION']);
      expect(r.json().message).toMatch(/database differ/);
      expect(r.body).not.toContain('p4ss');
    }
    expect(t.app.reinsert.getRun(run.id)!.state).toBe('failed');
    // the same database, named either way, with a new password
    const ok = await resume({ connectionString: 'Server=crm-sql;Initial Catalog=crm_restore;User Id=rb;Password=rotated' });
    expect(ok.statusCode, ok.body).toBe(202);
    await t.app.reinsert.wait(run.id);
    expect(t.app.reinsert.getRun(run.id)!.state).toBe('succeeded');
  });
});
