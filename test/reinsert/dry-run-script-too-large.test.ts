import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { bearer, dryRunWithScriptWriteFailing, fakeFilesJob, testApp } from '../api/helpers.js';

// A dry run of ~500,000 rows renders two scripts of ~430 MB each, more than SQLite keeps in one row
// (SQLITE_MAX_LENGTH, 1,000,000,000 bytes: "string or blob too big"): the request was answered
// 500 INTERNAL after a minute's work and its run stayed 'planned'. SQLite's refusal is simulated
// here (a real one takes a minute and 5 GB); the answer is 413 saying what to do, the run failed.
it("a dry run whose scripts SQLite cannot keep is refused 413 REINSERT_SCRIPT_TOO_LARGE, its run failed, not 500", async () => {
  const t = await testApp();
  try {
    const jobId = await fakeFilesJob(t);
    const r = await dryRunWithScriptWriteFailing(t, jobId, new Database.SqliteError('string or blob too big', 'SQLITE_TOOBIG'));
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json().code).toBe('REINSERT_SCRIPT_TOO_LARGE');
    expect(r.json().message).toMatch(/more than the staging file keeps in one run .*preview fewer rows at a time \(rowIds.*export\?format=sql&status=approved/);
    const runs = (await t.app.inject({ url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens.viewer) })).json().items as { state: string; error: { code: string } | null }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]!.state).toBe('failed');
    expect(runs[0]!.error?.code).toBe('REINSERT_SCRIPT_TOO_LARGE');
  } finally {
    await t.close();
  }
});
