import { expect, it } from 'vitest';
import { bearer, liveJobWithNotes } from './helpers.js';

/**
 * docs/security.md: a live job's server and login are operators' to see; GET /api/jobs hides them
 * in the job's INCOMPLETE sentences from viewers and reviewers. A re-insert of such a job quotes its
 * first INCOMPLETE sentence as its completeness warning (`jobWarning`, the run's summary, the
 * script's WARNING line), and those were answered whole: the reviewer's dry run, and to any viewer
 * GET /api/jobs/:id/reinsert-runs, /api/reinsert-runs/:id and its script. Hidden there too now, that
 * exact sentence only (the script's rows are as operators get them).
 */
it("a live job's INCOMPLETE sentence quoted by a re-insert run does not show its server and login to viewers or reviewers", async () => {
  const cs = 'Server=prod-sql-07;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const sentence = 'INCOMPLETE: rowback_reader could not read the log of crm on prod-sql-07 past 0000002a:00000100:0001';
  const { t, jobId } = await liveJobWithNotes(cs, [sentence]);
  try {
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'looks right', all: true } });
    expect(d.statusCode, d.body).toBe(200);
    const hidden = 'WARNING: INCOMPLETE job: [login] could not read the log of crm on [server] past 0000002a:00000100:0001 (1 INCOMPLETE sentence)';
    const whole = 'WARNING: INCOMPLETE job: rowback_reader could not read the log of crm on prod-sql-07 past 0000002a:00000100:0001 (1 INCOMPLETE sentence)';

    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.body).not.toContain('rowback_reader');
    expect(dry.body).not.toContain('prod-sql-07');
    expect(dry.json().jobWarning).toBe(hidden);
    expect(dry.json().script).toContain(hidden);
    const runId = dry.json().run.id as number;

    const opScript = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens.operator) })).json();
    expect(opScript.script).toContain(whole);
    for (const who of ['viewer', 'reviewer'] as const) {
      for (const url of [`/api/reinsert-runs/${runId}/script`, `/api/reinsert-runs/${runId}`, `/api/jobs/${jobId}/reinsert-runs`]) {
        const x = await t.app.inject({ url, headers: bearer(t.tokens[who]) });
        expect(x.statusCode, url).toBe(200);
        expect(x.body, `${who} ${url}`).not.toContain('rowback_reader');
        expect(x.body, `${who} ${url}`).not.toContain('prod-sql-07');
      }
      // the script as operators get it, that one line aside
      const s = (await t.app.inject({ url: `/api/reinsert-runs/${runId}/script`, headers: bearer(t.tokens[who]) })).json();
      expect(s.script).toBe(opScript.script.replace(whole, hidden));
      expect(s.undoScript).toBe(opScript.undoScript);
    }
    expect((await t.app.inject({ url: `/api/reinsert-runs/${runId}`, headers: bearer(t.tokens.operator) })).json().summary.jobWarning).toBe(whole);
  } finally {
    await t.close();
  }
});
