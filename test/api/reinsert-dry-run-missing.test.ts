import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appPerTest, bearer, fakeFilesJob } from './helpers.js';

/**
 * `POST /api/jobs/:id/reinsert` without `dryRun` (a newcomer's `{"targetName": "crm-prod"}`, taking
 * the run to be the default) or with it as text (`"true"`, from a shell variable) was 400
 * `body.dryRun: Invalid input: expected boolean, received undefined`: the validator's words, not what
 * the field is nor which value does what. It now says: true for the script only, nothing sent to a
 * target; false for the real run. No run is recorded either way. SYNTHETIC job (the fake source).
 */
describeCorpus('a re-insert request without dryRun', () => {
  const env = appPerTest();

  it('is a 400 naming body.dryRun and saying what true and false do; nothing is recorded', async () => {
    const { t } = env;
    const jobId = await fakeFilesJob(t);
    for (const payload of [{ targetName: 'crm-prod' }, { dryRun: 'true' }, {}]) {
      const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload });
      expect([r.statusCode, r.json().code, r.json().field], JSON.stringify(payload)).toEqual([400, 'INPUT_VALIDATION', 'body.dryRun']);
      expect(r.json().message).toMatch(/^body\.dryRun: give dryRun: true for the script only \(nothing is sent to a target\), or dryRun: false to re-insert into the target/);
    }
    expect(t.app.reinsert.listRuns(jobId)).toEqual([]);
  });
});
