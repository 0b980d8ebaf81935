import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// Rows recovered from inserts of a key-less table (dbo.LogTestTrailNull: no primary key, no
// clustered index key) were in the SQL export as plain INSERTs with no conflict check: run as it is,
// the script inserted again rows the table still holds. Only rows recovered from deletes go in now,
// as the re-insert route plans; the inserted rows are named in the header.
describeCorpus('SQL export: rows recovered from inserts of a key-less table are not inserted again', () => {
  let t: TestApp;
  let jobId: number;
  let insertRows: number[];
  beforeAll(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = await fakeFilesJob(t);
    insertRows = (t.store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull' ORDER BY id").all(jobId) as { id: number }[]).map((r) => r.id);
    expect(insertRows.length).toBeGreaterThan(0);
    // as a job of operations ["insert"] stages them (the fake source stages deletes)
    t.store.db.prepare("UPDATE rows SET operation = 'insert' WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull'").run(jobId);
  });
  afterAll(async () => t?.close());

  it('export?format=sql&table=LogTestTrailNull inserts nothing and names every row REINSERT_NOT_A_DELETE, as the dry run does', async () => {
    const r = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&table=LogTestTrailNull`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.body).not.toMatch(/^\s*INSERT INTO /m);
    expect(r.body).toMatch(new RegExp(`^-- WARNING: ${insertRows.length} row\\(s\\) not re-inserted \\(REINSERT_NOT_A_DELETE`, 'm'));
    for (const id of insertRows) expect(r.body).toContain(`-- NOT INCLUDED: row ${id} (dbo.LogTestTrailNull, LSN `);
  });
});
