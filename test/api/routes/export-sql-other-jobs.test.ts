import { expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { appWithFakeTarget, bearer } from '../helpers.js';

/**
 * Never twice across jobs, through the API: two files jobs over the same log stage the same deleted
 * rows (the fake source recovers the same corpus rows, same LSNs, each time). After job A's real
 * run put them back, job B's dry run and its SQL export scripted every one of them again: run as
 * they were, a second copy of each in the key-less dbo.LogTestTrailNull.
 */
describeCorpus('API: rows another job put back are not planned or scripted again', () => {
  const env = appWithFakeTarget();

  it('job B\'s dry run and SQL export leave out the rows job A\'s run inserted, naming job A and the run', async () => {
    const { t } = env;
    const a = await env.approvedTrailJob();
    const b = await env.approvedTrailJob();
    const target = { connectionString: 'Server=crm-sql;Password=p4ss', database: 'crm' };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${a}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target } })).json();
    await t.app.reinsert.wait(run.id);
    const inserted = env.target.counts().rows;
    expect(inserted).toBeGreaterThan(0);

    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${b}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, target } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.body).toMatch(new RegExp(`REINSERT_ALREADY_REINSERTED`));
    expect(dry.json().script).not.toMatch(/^INSERT INTO/m);

    const exp = await t.app.inject({ url: `/api/jobs/${b}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(exp.statusCode, exp.body).toBe(200);
    expect(exp.body).toMatch(new RegExp(`^-- WARNING: ${inserted} row\\(s\\) not re-inserted \\(REINSERT_ALREADY_REINSERTED\\)`, 'm'));
    expect(exp.body).toMatch(new RegExp(`re-insert run ${run.id} of job ${a} already put it back into dbo\\.LogTestTrailNull in database crm \\(through a connection given in the request\\)`));
    // the run's server host is hidden from viewers everywhere else (GET /api/reinsert-runs): not here either
    expect(exp.body).not.toContain('crm-sql');
    expect(exp.body).not.toMatch(/^\s*INSERT INTO/m);
    const real = await t.app.inject({ method: 'POST', url: `/api/jobs/${b}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target } });
    expect(real.statusCode).toBe(409);
    expect(real.json().code).toBe('REINSERT_NOTHING_TO_DO');
    expect(real.json().message).toMatch(/has no approved rows that can be re-inserted: \d+ held back \(REINSERT_ALREADY_REINSERTED\); the first: row \d+ is the deleted row that job \d+'s row/);
    expect(env.target.counts().rows).toBe(inserted);
  });
});
