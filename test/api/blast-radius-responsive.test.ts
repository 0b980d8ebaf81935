import { expect, it } from 'vitest';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { bearer, testApp } from './helpers.js';
import { listening, whilePinged } from '../support/http-stall.js';

// The blast radius is eight GROUP BY passes over the job's rows (store.blastRadius and the route's
// per-operation counts), made anew after every decision: in one piece they held the service's event
// loop 1.5 s at 500,000 rows. With a turn of the event loop between passes the longest wait is the
// longest pass (by login: ~0.45 s at 500,000 rows). Measured idle on 2 cores, 2026-12-06, longest
// wait / request time at 400,000 rows: before 1fcdfc0d 1,117 / 1,162 ms (0.96); now 340 / 1,175 ms
// (0.29).
it('the blast radius of 400,000 rows leaves the service answering: /api/me over real HTTP waits under 0.6 of the request\'s time (old code: 0.96, now 0.29)', async () => {
  const t = await testApp({ maxRequestsPerToken: 100_000 });
  try {
    const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'mass delete', createdBy: 'olga' });
    t.store.setJobState(job.id, 'running');
    t.store.saveJobTables(job.id, Object.values(LAYOUTS));
    for (let i = 0; i < 400_000; i += 10_000) t.store.stageBatch(job.id, corpusRows(10_000, i));
    t.store.setJobState(job.id, 'succeeded');
    const base = await listening(t.app);
    const b = await whilePinged(base, t.tokens.viewer, `/api/jobs/${job.id}/blast-radius`, { headers: bearer(t.tokens.viewer) });
    expect(b.status).toBe(200);
    const radius = JSON.parse(b.body!);
    expect(radius.total).toBe(400_000);
    expect(radius.byStatus).toEqual([{ status: 'pending', rows: 400_000 }]);
    expect(radius.byOperation.find((o: { operation: string }) => o.operation === 'delete').rows).toBe(400_000);
    // the same answer as the store's own, in one piece
    expect(radius.byLogin).toEqual(t.store.blastRadius(job.id).byLogin);
    // the longest wait as a share of the request's time, which a loaded CI stretches on both sides
    // (http-stall.ts): 336 ms idle is 3× that under load, near the bound of 1 s this test had
    expect(b.maxStallMs / b.elapsedMs, `/api/me waited ${b.maxStallMs.toFixed(0)} ms of the request's ${b.elapsedMs.toFixed(0)} ms`).toBeLessThan(0.6);
  } finally {
    await t.close();
  }
}, 120_000);
