import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer, realRunScriptAndStart } from './helpers.js';

/**
 * A re-insert of a job whose result is not known whole says so, as the SQL export always did
 * (src/staging/job-completeness.ts): the dry run's script head and its answer (`jobWarning`), the
 * real run's script and its `reinsert.start` audit entry. A run while the job still stages inserts
 * the rows approved so far (legitimately), and nothing said that rows the job has not found yet are
 * in no script. The fake target (test/reinsert/fake-target.ts); corpus rows of the fake files job.
 */
describeCorpus('POST /api/jobs/:id/reinsert of a job not known whole', () => {
  const env = appWithFakeTarget();
  const target = { connectionString: 'Server=fake' };
  const dryRun = (jobId: number) => env.t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(env.t.tokens.operator), payload: { dryRun: true, target } });

  it('an INCOMPLETE job: the dry run and the real run say it, the export as before', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    t.store.setJobCompleteness(jobId, ['INCOMPLETE: the log from 0000002a:00000010:0001 on is in no file given', 'INCOMPLETE: page 1:120 is damaged']);
    const dry = await dryRun(jobId);
    expect(dry.statusCode).toBe(200);
    const want = `WARNING: INCOMPLETE job: the log from 0000002a:00000010:0001 on is in no file given (and 1 more INCOMPLETE sentence(s), 2 in all: GET /api/jobs/${jobId} lists them)`;
    expect(dry.json().jobWarning).toBe(want);
    expect(dry.json().script.split('\n').slice(0, 4)).toContain(`-- ${want}`);
    expect(dry.json().run.summary.jobWarning).toBe(want);

    const real = await realRunScriptAndStart(t, jobId, target);
    expect(real.script).toContain(`-- ${want}`);
    expect(real.start?.jobWarning).toBe(want);

    const sql = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(sql.body).toContain(`-- ${want}`);
  });

  it('a job still staging: not known whole, naming its state; a job known complete: no warning', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    t.store.setJobCompleteness(jobId, []);
    const whole = await dryRun(jobId);
    expect(whole.json().jobWarning).toBeNull();
    expect(whole.json().script).not.toMatch(/WARNING: (INCOMPLETE job|whether job)/);
    expect(whole.json().run.summary).not.toHaveProperty('jobWarning');

    t.store.setJobState(jobId, 'running');
    const staging = await dryRun(jobId);
    const want = `WARNING: whether job ${jobId}'s result is complete is not known (state running: it runs, or did not finish, or finished before rowback recorded it)`;
    expect(staging.json().jobWarning).toBe(want);
    expect(staging.json().script).toContain(`-- ${want}`);
  });
});
