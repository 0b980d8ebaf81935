import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

// POST /decisions with `filter: {}` (or a filter of empty fields, which the store treats as no
// filter) approved or rejected every row of the job with no confirmation; a decision that matched
// nothing answered 200 `rows: 0` and nothing else, and one by a status no row could leave
// (status=approved for an approval) left no audit entry.
describeCorpus('bulk decisions: the whole job only with all: true; nothing matched said plainly', () => {
  let t: TestApp;
  let jobId: number;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = await fakeFilesJob(t); // 120 rows
  });
  afterEach(async () => {
    await t.close();
  });

  const decide = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore them', ...payload } });
  const decided = () => ({
    decisions: t.store.decisions(jobId).length,
    approved: t.store.countRows(jobId, { status: 'approved' }),
    audited: t.store.audit({ jobId }).filter((a) => a.action.startsWith('rows.')).length,
  });

  it('a filter that narrows nothing is refused, naming all and how many rows it would decide; nothing is decided', async () => {
    for (const filter of [{}, { login: '' }, { q: '  ' }, { status: [] }, { table: undefined, sid: ' ', dbUser: '' }]) {
      const r = await decide({ filter });
      expect([JSON.stringify(filter), r.statusCode, r.json().code, r.json().field]).toEqual([JSON.stringify(filter), 400, 'INPUT_DECISION_ALL_ROWS', 'body.all']);
      expect(r.json().message).toMatch(/narrows nothing: it would approve every row of job \d+ \(120 rows would change\); to mean that, send all: true/);
    }
    expect((await decide({ filter: {}, all: false })).json().code).toBe('INPUT_DECISION_ALL_ROWS');
    expect(decided()).toEqual({ decisions: 0, approved: 0, audited: 0 });
  });

  it('all: true decides every row, recorded as such; with ids or a filter that narrows it is refused as contradictory', async () => {
    const contra = await decide({ all: true, filter: { table: 'dbo.T' } });
    expect([contra.statusCode, contra.json().code, contra.json().field]).toEqual([400, 'INPUT_DECISION_ALL_CONTRADICTS', 'body.all']);
    expect(contra.json().message).toMatch(/all: true decides every row of job \d+, but the filter narrows it/);
    expect((await decide({ all: true, ids: [1] })).statusCode).toBe(400);
    expect((await decide({ all: false })).statusCode).toBe(400);
    expect(decided()).toEqual({ decisions: 0, approved: 0, audited: 0 });

    const r = await decide({ all: true });
    expect([r.statusCode, r.json().rows, r.json().note]).toEqual([200, 120, undefined]);
    expect(decided()).toEqual({ decisions: 1, approved: 120, audited: 1 });
    expect(t.store.decisions(jobId)[0]).toMatchObject({ selector: { all: true }, rowCount: 120 });
    expect(t.store.audit({ jobId }).find((a) => a.action === 'rows.approve')!.details).toMatchObject({ rows: 120, matched: 120, selector: { all: true } });
    // with a filter that narrows nothing alongside: the same
    const again = await decide({ decision: 'reject', all: true, filter: { login: '' } });
    expect([again.statusCode, again.json().rows]).toEqual([200, 120]);
  });

  it('a decision that changes no row stays 200 but says so, and its audit entry records 0', async () => {
    const none = await decide({ filter: { transactionId: 'ffff:ffffffff' } });
    expect([none.statusCode, none.json().rows]).toEqual([200, 0]);
    expect(none.json().note).toBe(`nothing was decided: the filter matches no row of job ${jobId}`);
    expect((await decide({ filter: { table: 'dbo.T' } })).json()).toMatchObject({ rows: 20 });
    const twice = await decide({ filter: { table: 'dbo.T' } });
    expect([twice.json().rows, twice.json().note]).toEqual([0, 'nothing was decided: each of the 20 rows the filter matches is already approved or past review (reinserted, conflict)']);
    // a status no row can leave by this decision: recorded and audited like the rest (it left no audit entry)
    const byStatus = await decide({ filter: { status: 'approved' } });
    expect([byStatus.statusCode, byStatus.json().rows]).toEqual([200, 0]);
    expect(byStatus.json().note).toMatch(/each of the 20 rows the filter matches is already approved/);
    const ids = t.store.listRows(jobId, { table: 'dbo.T' }, { limit: 1 }).items.map((x) => x.id);
    expect((await decide({ ids })).json()).toMatchObject({ rows: 0, note: 'nothing was decided: the one row given is already approved or past review (reinserted)' });
    const audit = t.store.audit({ jobId }).filter((a) => a.action === 'rows.approve').map((a) => [a.details.rows, a.details.matched, a.details.note ?? null]);
    expect(audit).toEqual([
      [0, 0, `nothing was decided: the filter matches no row of job ${jobId}`],
      [20, 20, null],
      [0, 20, expect.stringMatching(/^nothing was decided/)],
      [0, 20, expect.stringMatching(/^nothing was decided/)],
      [0, 1, expect.stringMatching(/^nothing was decided/)],
    ]);
    expect(t.store.decisions(jobId).map((d) => d.rowCount)).toEqual([0, 20, 0, 0, 0]);
  });

  it('the OpenAPI document describes all and the refusal', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    const post = doc.paths['/api/jobs/{id}/decisions'].post;
    const schema = JSON.stringify(post.requestBody);
    expect(schema).toContain('"all"');
    expect(schema).toContain('INPUT_DECISION_ALL_ROWS');
    expect(post.description).toMatch(/rows: 0 and a note/);
  });
});
