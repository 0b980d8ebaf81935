import { expect, it } from 'vitest';
import { bearer, jobAnswersHiding, liveJobWithNotes } from './helpers.js';

/**
 * docs/security.md: a live job's server and login are operators' to see. A job's INCOMPLETE
 * sentences (GET /api/jobs, /api/jobs/:id) were hidden only when the job had its connection recorded
 * (staging migration 11, jobs.connection): a live job run before that column existed (a store made by
 * an earlier rowback) answered its sentences whole to viewers and reviewers, login and server in
 * them, though its audit entries fell back to the notes' wording and the host its spec keeps.
 */
it("a live job run before its connection was recorded: its INCOMPLETE sentences hide the server and login too", async () => {
  const cs = 'Server=prod-sql-07;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const sentence = "INCOMPLETE: the log of crm could not be read past 0000002a:00000100:0001 (SYSDATETIMEOFFSET() on prod-sql-07:1433/crm as rowback_reader (SQL login) over TLS)";
  const { t, jobId } = await liveJobWithNotes(cs, [sentence]);
  try {
    // as a job of a store made before migration 11 has it: no connection recorded
    t.store.db.prepare('UPDATE jobs SET connection = NULL WHERE id = ?').run(jobId);
    expect(t.store.jobConnections(jobId)).toEqual([]);
    for (const one of Object.values(await jobAnswersHiding(t, jobId, ['rowback_reader', 'prod-sql-07']))) {
      expect(one.incomplete).toEqual(["INCOMPLETE: the log of crm could not be read past 0000002a:00000100:0001 (SYSDATETIMEOFFSET() on [server]:1433/crm as [login] (SQL login) over TLS)"]);
    }
    const op = await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.operator) });
    expect(op.json().incomplete).toEqual([sentence]);
  } finally {
    await t.close();
  }
});
