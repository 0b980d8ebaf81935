/**
 * A decision sent with `asOf` is refused when the rows it would take are not those shown (store.ts
 * refuseChangedSince). A re-insert run changes rows too: it puts approved rows back into their table
 * (status reinserted) with no decision. By a filter naming no status, or by ids with asOf alone, the
 * count stayed the same and no decision was made since, so the check passed and the decision took the
 * other rows: a reviewer shown 20 approved rows of dbo.LogTestTrailNull rejected "all matching" after a
 * run had put 10 of them back, and was answered `{"rows":10}` with no word of the 10 now in the target
 * (as the page showed them: approved). Refused now, naming them and the run; a run before the read,
 * or one into a side table (its rows stay approved), is no reason to refuse.
 * Rows: the fake source's (test/worker/fake-source.ts), target: the fake target (SQLite), SYNTHETIC.
 */
import { describe, expect, it } from 'vitest';
import { appWithFakeTarget, bearer } from '../helpers.js';
import { FakeTarget, targetTables } from '../../reinsert/fake-target.js';
import { join } from 'node:path';

describe('a decision sent with asOf after a run put some of its rows back', () => {
  const env = appWithFakeTarget();
  const target = { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', database: 'CRM' };
  const table = 'dbo.LogTestTrailNull';

  async function setUp() {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const read = async (qs: string) => (await t.app.inject({ url: `/api/jobs/${jobId}/rows?${qs}`, headers: bearer(t.tokens.reviewer) })).json() as { total: number; asOf: string; items: { id: number; status: string }[] };
    const run = async (payload: object) => {
      const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target, ...payload } });
      expect(r.statusCode, r.body).toBe(202);
      await t.app.reinsert.wait(r.json().id);
      return r.json().id as number;
    };
    const decide = (payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not these', ...payload } });
    const statuses = () => Object.fromEntries(t.store.listRows(jobId, { table }, { limit: 1000 }).items.map((r) => [r.id, r.status]));
    return { t, jobId, read, run, decide, statuses };
  }

  it('by a filter naming no status: refused, naming the rows put back and the run; nothing decided', async () => {
    const { t, jobId, read, run, decide, statuses } = await setUp();
    const shown = await read(`table=${table}&count=true&limit=50`);
    expect([shown.total, new Set(shown.items.map((r) => r.status))]).toEqual([20, new Set(['approved'])]);
    const back = shown.items.slice(0, 10).map((r) => r.id);
    const runId = await run({ rowIds: back });
    const before = statuses();
    const decisions = t.store.decisions(jobId).length;
    const r = await decide({ filter: { table }, asOf: shown.asOf });
    expect([r.statusCode, r.json().code], r.body).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(r.json().message).toContain("the filter's rows are 20, as counted, but not the rows counted: 10 row(s) staged, decided or re-inserted since: ");
    expect(r.json().message).toContain(`${back.map((id) => `#${id}`).join(', ')} were re-inserted since (reinserted now: put back into its table by run ${runId} of olga)`);
    expect(statuses()).toEqual(before);
    expect(t.store.decisions(jobId).length).toBe(decisions);
    // read again, the same decision is taken: the 10 rows still approved
    const again = await read(`table=${table}&count=true&limit=50`);
    const ok = await decide({ filter: { table }, asOf: again.asOf });
    expect([ok.statusCode, ok.json().rows], ok.body).toEqual([200, 10]);
  });

  it('by all: true and by ids with asOf alone: refused the same way', async () => {
    const { read, run, decide } = await setUp();
    const all = await read('count=true&limit=50');
    const ids = await read(`table=${table}&limit=50`);
    const back = ids.items.slice(0, 2).map((r) => r.id);
    const runId = await run({ rowIds: back });
    const a = await decide({ all: true, asOf: all.asOf });
    expect([a.statusCode, a.json().code], a.body).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(a.json().message).toContain(`#${back[0]}, #${back[1]} were re-inserted since (reinserted now: put back into its table by run ${runId} of olga)`);
    const b = await decide({ ids: ids.items.slice(0, 5).map((r) => r.id), asOf: ids.asOf });
    expect([b.statusCode, b.json().code], b.body).toEqual([409, 'STAGING_DECISION_STALE']);
    expect(b.json().message).toBe(`2 of the rows given changed since they were shown (asOf): #${back[0]}, #${back[1]} were re-inserted since (reinserted now: put back into its table by run ${runId} of olga); nothing was decided: look at the rows again (reload) and decide again`);
  });

  it('a run before the read, or one into a side table since, is no reason to refuse', async () => {
    const { t, read, run, decide } = await setUp();
    const first = await read(`table=${table}&limit=50`);
    await run({ rowIds: first.items.slice(0, 5).map((r) => r.id) });
    // a side table the run puts the rows into: they stay approved (the decision still applies to them)
    env.target.dispose();
    const m = targetTables();
    m.set('dbo.Trail_check', { ...m.get(table)!, schema: 'dbo', name: 'Trail_check' });
    env.target = new FakeTarget(join(t.dir, 'target-side.db'), m);
    const shown = await read(`table=${table}&count=true&limit=50`);
    await run({ rowIds: shown.items.filter((r) => r.status === 'approved').slice(0, 5).map((r) => r.id), tableMap: { [table]: 'dbo.Trail_check' } });
    const r = await decide({ filter: { table }, asOf: shown.asOf });
    expect([r.statusCode, r.json().rows], r.body).toEqual([200, 15]);
  });

  it('the token keeps the last audit entry: one past the store\'s is refused; a v2 token of a page read before is taken as before', async () => {
    const { t, jobId, read, decide } = await setUp();
    const shown = await read(`table=${table}&count=true&limit=50`);
    const [, store, key, dec, row, count, audit] = shown.asOf.split('.');
    expect(Number(audit)).toBe((t.store.db.prepare('SELECT max(id) AS m FROM audit_log').get() as { m: number }).m);
    const past = await decide({ filter: { table }, asOf: `v3.${store}.${key}.${dec}.${row}.${count}.999999999` });
    expect([past.statusCode, past.json().field]).toEqual([400, 'body.asOf']);
    expect(past.json().message).toContain('asOf names audit entry 999999999, past the last this staging store holds (audit entry ');
    expect(t.store.getRow(jobId, shown.items[0]!.id)!.status).toBe('approved');
    const old = await decide({ filter: { table }, asOf: `v2.${store}.${key}.${dec}.${row}.${count}` });
    expect([old.statusCode, old.json().rows], old.body).toEqual([200, 20]);
  });
});
