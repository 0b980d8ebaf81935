import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// Never twice: rows a rowback run already re-inserted (status reinserted) were in the SQL export's
// INSERTs whatever their status, so the script, run as it is (or run after a partly done run), put
// them in a second time — a second copy in a key-less table. They are left out now and counted in
// the header; asked for by name (status=reinserted) they are scripted on purpose.
describeCorpus('SQL export: rows already re-inserted are not scripted again', () => {
  let t: TestApp;
  let jobId: number;
  let done: number[];
  beforeAll(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = await fakeFilesJob(t);
    const ids = (t.store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND operation = 'delete' ORDER BY id").all(jobId) as { id: number }[]).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(3);
    done = ids.slice(0, 3);
    // as an executed run leaves them (the store's own status for rows a run inserted)
    t.store.db.prepare(`UPDATE rows SET status = 'reinserted' WHERE job_id = ? AND id IN (${done.join(',')})`).run(jobId);
    t.store.db.prepare(`UPDATE rows SET status = 'approved' WHERE job_id = ? AND status = 'pending'`).run(jobId);
  });
  afterAll(async () => t?.close());

  const scriptedRows = (body: string) => [...body.matchAll(/^-- row (\d+), LSN /gm)].map((m) => Number(m[1]));

  it('export?format=sql leaves the re-inserted rows out and says how many', async () => {
    const r = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    const rows = scriptedRows(r.body);
    expect(rows.length).toBeGreaterThan(0);
    for (const id of done) expect(rows).not.toContain(id);
    expect(r.body).toMatch(/^-- 3 row\(s\) already re-inserted by rowback runs of this job are left out \(never twice; export with status=reinserted to script them on purpose\)$/m);
  });

  it('export?format=sql&status=reinserted scripts them, asked for on purpose', async () => {
    const r = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&status=reinserted`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    expect(scriptedRows(r.body).sort((a, b) => a - b)).toEqual(done);
    expect(r.body).not.toMatch(/already re-inserted/);
  });
});
