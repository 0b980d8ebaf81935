/**
 * A newcomer exports the re-insert script (format=sql), runs it by hand, then exports format=undo-sql
 * to take the rows out again: that undo covers only rows executed rowback runs inserted, so it
 * deleted nothing and listed every row as NOT TOUCHED ("no executed rowback run of this job inserted
 * it"), with no word of the undo that does delete them: a dry run's undoScript, which deletes what
 * the target's row ledger says the script put back. Its head now says so. Rows: real corpus row
 * images (test/staging/fixtures.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('undo-sql export of rows no run inserted', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('names the dry run undo for rows a script run by hand put back', async () => {
    const jobId = await fakeFilesJob(t);
    const undo = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) })).body;
    expect(undo).toContain('NOT TOUCHED: row 1 ');
    expect(undo).toContain(`-- rows put back by a script run by hand (this export's format=sql, a dry run's script) are not known to this undo: undo them with the undoScript a dry run answers (POST /api/jobs/${jobId}/reinsert {"dryRun": true}, with the same tableMap), which deletes each row the target's row ledger says was put back`);
  });
});
