import { expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp } from './helpers.js';
import { listening, whilePinged } from '../support/http-stall.js';

// A run record (GET /api/jobs/:id/reinsert-runs, GET /api/reinsert-runs/:runId, a dry run's answer)
// read its run's script and undo script whole (SELECT *) and dropped them: a dry run of 100,000 rows
// keeps 172 MB of scripts, and the runs list the review page polls every second read every run's,
// holding the event loop (two such runs: 1.1 s). Over real HTTP: /api/me stays answered.
it('listing runs whose scripts are large does not read the scripts (no statement of the list or a run names them; over real HTTP /api/me waited 733 ms on the old code, 94 ms now, measured 2026-12-06)', async () => {
  const t = await testApp({ maxRequestsPerToken: 100_000 });
  try {
    const jobId = await fakeFilesJob(t);
    const runs = 8;
    for (let i = 0; i < runs; i++) {
      const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
      expect(d.statusCode, d.body).toBe(200);
    }
    // each run's scripts made 40 MB apiece (SQLite's printf repeats the character): 640 MB in all
    t.store.db.prepare("UPDATE reinsert_runs SET script = printf('%.*c', 40000000, '-'), undo_script = printf('%.*c', 40000000, '-') WHERE job_id = ?").run(jobId);
    // every statement the two routes prepare, to tell which read the scripts (a bound on the wait
    // alone could not: 94 ms idle is 5–10× that on a loaded CI, and the old code's 733 ms is near)
    const prepared: string[] = [];
    const prepare = t.store.db.prepare.bind(t.store.db);
    t.store.db.prepare = ((sql: string) => { prepared.push(sql); return prepare(sql); }) as typeof t.store.db.prepare;
    const base = await listening(t.app);
    const list = await whilePinged(base, t.tokens.viewer, `/api/jobs/${jobId}/reinsert-runs`, { headers: bearer(t.tokens.viewer) });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body!).items).toHaveLength(runs);
    const one = await whilePinged(base, t.tokens.viewer, `/api/reinsert-runs/${JSON.parse(list.body!).items[0].id}`, { headers: bearer(t.tokens.viewer) });
    expect(one.status).toBe(200);
    t.store.db.prepare = prepare;
    // neither reads a script: no statement names the two columns, nor selects every column of runs
    const reads = prepared.filter((sql) => /\b(undo_)?script\b(?!_pieces)|SELECT\s+\*\s+FROM\s+reinsert_runs/i.test(sql));
    expect(prepared.some((sql) => /FROM reinsert_runs/.test(sql))).toBe(true);
    expect(reads).toEqual([]);
    // the scripts are still there for the route that serves them
    const script = await t.app.inject({ url: `/api/reinsert-runs/${JSON.parse(list.body!).items[0].id}/script`, headers: bearer(t.tokens.viewer) });
    expect(script.json().script).toHaveLength(40_000_000);
    // and the wait over real HTTP stays far from a script's read (a loose bound: see above)
    expect(list.maxStallMs, `runs list: /api/me waited ${list.maxStallMs.toFixed(0)} ms`).toBeLessThan(2000);
  } finally {
    await t.close();
  }
}, 60_000);
