/**
 * A decision's reason (and its filter) is free text a reviewer types: a pasted connection string
 * or password there reached the audit log redacted (`Password=***`) but was kept verbatim in the
 * decisions table, and `GET /api/jobs/:id/decisions` and the row detail's decisions showed it to
 * every viewer (the audit trail and the decision list of one decision told two texts). Secrets are
 * now redacted where the decision is stored, and again where one stored before is read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('a decision reason holding a secret', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  const SECRET = 'hunter2-Sup3r';

  it('is redacted in the decision list, the row detail and the audit alike', async () => {
    const jobId = await fakeFilesJob(t);
    const reason = `restore per ticket 42: Server=db1;User Id=sa;Password=${SECRET};`;
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason, ids: [1] } });
    expect(d.statusCode).toBe(200);
    const f = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not ours', filter: { q: `Password=${SECRET}` } } });
    expect(f.statusCode).toBe(200);

    const list = await t.app.inject({ method: 'GET', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.viewer) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(SECRET);
    expect(list.json().items[0].reason).toBe('restore per ticket 42: Server=db1;User Id=sa;Password=***;');

    const row = await t.app.inject({ method: 'GET', url: `/api/jobs/${jobId}/rows/1`, headers: bearer(t.tokens.viewer) });
    expect(row.statusCode).toBe(200);
    expect(row.body).not.toContain(SECRET);
    expect(row.json().decisions[0].reason).toBe(list.json().items[0].reason);

    const audit = await t.app.inject({ method: 'GET', url: `/api/audit?jobId=${jobId}`, headers: bearer(t.tokens.viewer) });
    expect(audit.body).not.toContain(SECRET);
    const approve = audit.json().items.find((a: { action: string }) => a.action === 'rows.approve');
    expect(approve.details.reason).toBe(list.json().items[0].reason);

    // the staging file itself does not keep it
    const stored = t.store.db.prepare('SELECT reason, selector FROM decisions').all() as { reason: string; selector: string }[];
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });

  it('stored verbatim by an earlier rowback is redacted when read', async () => {
    const jobId = await fakeFilesJob(t);
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', ids: [1] } });
    // as a staging file written before the redaction holds it (the decisions table has no trigger)
    t.store.db.prepare('UPDATE decisions SET reason = ? WHERE id = ?').run(`restore; Password=${SECRET}`, d.json().decisionId);
    const list = await t.app.inject({ method: 'GET', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.viewer) });
    expect(list.body).not.toContain(SECRET);
    const row = await t.app.inject({ method: 'GET', url: `/api/jobs/${jobId}/rows/1`, headers: bearer(t.tokens.viewer) });
    expect(row.body).not.toContain(SECRET);
    expect(row.json().decisions[0].reason).toBe('restore; Password=***');
  });
});
