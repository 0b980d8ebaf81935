import { expect, it } from 'vitest';
import { bearer, liveJobWithNotes } from './helpers.js';

/**
 * docs/security.md: a live job's server and login are operators' to see. GET /api/jobs/:id, the
 * audit log and a re-insert's dry run and scripts hide them from viewers and reviewers in the job's
 * INCOMPLETE sentence (sec-live-notes-reinsert-warning.test.ts). The job's SQL and undo exports
 * (GET /api/jobs/:id/export?format=sql|undo-sql, access `read`: any viewer) quote that sentence as
 * their head's `WARNING: INCOMPLETE job:` line, and said it whole to a viewer:
 * "-- WARNING: INCOMPLETE job: rowback_reader could not read the log of crm on prod-sql-07 …".
 * SYNTHETIC: the fake source's rows and the sentence.
 */
it("a live job's SQL and undo exports do not show its server and login to viewers or reviewers", async () => {
  const cs = 'Server=prod-sql-07;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const sentence = 'INCOMPLETE: rowback_reader could not read the log of crm on prod-sql-07 past 0000002a:00000100:0001';
  const { t, jobId } = await liveJobWithNotes(cs, [sentence]);
  try {
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'looks right', all: true } });
    expect(d.statusCode, d.body).toBe(200);
    const hidden = '-- WARNING: INCOMPLETE job: [login] could not read the log of crm on [server] past 0000002a:00000100:0001 (1 INCOMPLETE sentence)';
    const whole = '-- WARNING: INCOMPLETE job: rowback_reader could not read the log of crm on prod-sql-07 past 0000002a:00000100:0001 (1 INCOMPLETE sentence)';
    // the export's first line holds the time it was made: compared without it
    const body = (text: string) => text.split('\n').slice(1).join('\n');
    for (const format of ['sql', 'undo-sql']) {
      const url = `/api/jobs/${jobId}/export?format=${format}`;
      const op = await t.app.inject({ url, headers: bearer(t.tokens.operator) });
      expect(op.statusCode, op.body).toBe(200);
      expect(op.body.split('\n')).toContain(whole);
      for (const who of ['viewer', 'reviewer'] as const) {
        const x = await t.app.inject({ url, headers: bearer(t.tokens[who]) });
        expect(x.statusCode, x.body).toBe(200);
        expect(x.body, `${who} ${format}`).not.toContain('rowback_reader');
        expect(x.body, `${who} ${format}`).not.toContain('prod-sql-07');
        // the script as operators get it, that one line aside
        expect(body(x.body)).toBe(body(op.body).replace(whole, hidden));
      }
    }
  } finally {
    await t.close();
  }
});
