/**
 * A decision naming row ids the job lacks is 404 STAGING_ROW_NOT_FOUND, nothing decided; the answer
 * named no field (every other refusal of the request names its own: body.all, body.filter.table, …),
 * so a client could not tell which of the ids sent was wrong but by reading the message. It now names
 * the first unknown id's place, `body.ids.1`.
 */
import { expect, it } from 'vitest';
import { bearer, testApp } from './helpers.js';

it('an unknown row id in a decision: 404 naming body.ids.N, nothing decided', async () => {
  const t = await testApp();
  try {
    const job = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/x.ldf' } });
    await t.app.worker.idle();
    const id = job.json().id;
    const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore them', ids: [1, 999999, 888888] } });
    expect(r.statusCode, r.body).toBe(404);
    expect(r.json()).toMatchObject({ code: 'STAGING_ROW_NOT_FOUND', field: 'body.ids.1' });
    expect(r.json().message).toContain('999999, 888888');
    expect((t.store.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n).toBe(0);
  } finally {
    await t.close();
  }
});
