import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { LAYOUTS } from '../../staging/fixtures.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// A staged row whose varchar value holds U+FFFD (bytes its code page, here 1253, does not define:
// SYNTHETIC) was in the SQL export as N'…\ufffd…', which SQL Server writes as '?' in the column:
// the export leaves it out, named REINSERT_UNDEFINED_BYTES, as the dry run and the run do.
describeCorpus('SQL export: a row holding bytes its code page does not define is left out', () => {
  let t: TestApp;
  let jobId: number;
  let rowId: number;
  beforeAll(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = await fakeFilesJob(t);
    const greek = Object.values(LAYOUTS).map((l) => ({ ...l, columns: l.columns.map((c) => (c.type === 'varchar' ? { ...c, collation: 'Greek_CI_AS', codePage: 1253 } : c)) }));
    t.store.saveJobTables(jobId, greek);
    const row = t.store.db.prepare("SELECT id, vals FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull' ORDER BY id LIMIT 1").get(jobId) as { id: number; vals: string };
    rowId = row.id;
    const vals = JSON.parse(row.vals) as Record<string, unknown>;
    vals.ColA = 'Α\ufffdΒ';
    t.store.db.prepare('UPDATE rows SET vals = ? WHERE id = ?').run(JSON.stringify(vals), rowId);
  });
  afterAll(async () => t?.close());

  it('export?format=sql names the row REINSERT_UNDEFINED_BYTES and does not insert it', async () => {
    const r = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&table=LogTestTrailNull`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.body).toContain(`-- NOT INCLUDED: row ${rowId} (dbo.LogTestTrailNull, LSN `);
    expect(r.body).toMatch(/REINSERT_UNDEFINED_BYTES/);
    expect(r.body).not.toContain('\ufffd');
    expect(r.body).toMatch(/^\s*INSERT INTO /m);
  });
});
