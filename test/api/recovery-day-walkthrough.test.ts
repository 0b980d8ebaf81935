import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';
import { FakeTarget, targetTables } from '../reinsert/fake-target.js';

/**
 * A recovery day through the API, end to end, checking each answer's numbers against the others:
 * the reviewer's counts (count=true, blast radius), the operator's dry run, a side-table run whose
 * second batch fails and is resumed, a second reviewer's rejection of a row already in the side
 * table (allowed: it stays out of its own table), the real run (19 rows, not 20), and the job's
 * undo export (each row from each table it went into; no value declared twice in its one batch).
 * Rows: the fake source's (test/worker/fake-source.ts); the target is the fake target (SQLite).
 */
describeCorpus('a recovery day: side table, resume, a rejection between, the real table, the undo', () => {
  const env = appWithFakeTarget();

  it('every answer agrees with the others at each step', async () => {
    const { t } = env;
    env.target.dispose();
    const m = targetTables();
    m.set('dbo.Trail_check', { ...m.get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'Trail_check' });
    env.target = new FakeTarget(join(t.dir, 'target-day.db'), m);
    const jobId = await env.approvedTrailJob();
    const get = async (url: string) => (await t.app.inject({ url, headers: bearer(t.tokens.reviewer) })).json();
    const op = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.operator), payload });
    const counted = async (status: string) => (await get(`/api/jobs/${jobId}/rows?status=${status}&count=true&limit=5`)).total as number;
    expect(await counted('approved')).toBe(20);
    expect((await get(`/api/jobs/${jobId}/blast-radius`)).byStatus).toEqual([{ status: 'approved', rows: 20 }, { status: 'pending', rows: 100 }]);

    const target = { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', database: 'CRM' };
    const tableMap = { 'dbo.LogTestTrailNull': 'dbo.Trail_check' };
    const dry = await op(`/api/jobs/${jobId}/reinsert`, { dryRun: true, target, tableMap });
    expect(dry.json().run.summary).toMatchObject({ rows: 20, tableOrder: ['dbo.Trail_check'] });

    // the side-table run's second batch fails (before COMMIT): 10 in, 10 left; resumed: 20 in
    let n = 0;
    t.app.reinsert.hooks = { beforeCommit: () => { if (++n === 2) throw new Error('connection reset'); } };
    const side = (await op(`/api/jobs/${jobId}/reinsert`, { dryRun: false, target, batchSize: 10, tableMap })).json().id as number;
    await t.app.reinsert.wait(side);
    t.app.reinsert.hooks = undefined;
    const stopped = await get(`/api/reinsert-runs/${side}`);
    expect([stopped.state, stopped.summary.inserted, stopped.remaining]).toEqual(['failed', 10, { batches: 1, rows: 10, notApproved: 0, elsewhere: 0, inSideTable: 0, mayBeIn: { batches: [], rows: 0 }, mayBeInSideTable: { batches: [], rows: 0, tables: [] } }]);
    expect((await op(`/api/reinsert-runs/${side}/resume`, { target })).statusCode).toBe(202);
    await t.app.reinsert.wait(side);
    const resumed = await get(`/api/reinsert-runs/${side}`);
    expect([resumed.state, resumed.summary.inserted, resumed.sideTables]).toEqual(['succeeded', 20, [{ table: 'dbo.Trail_check', tableText: 'dbo.Trail_check', inserted: 20, conflict: 0, error: 0, leftApproved: true }]]);
    // a side table leaves its rows approved: the counts say so
    expect(await counted('approved')).toBe(20);

    // a second reviewer rejects one of them (in the side table already): decided, with what was shown
    const page = await get(`/api/jobs/${jobId}/rows?status=approved&count=true&limit=5`);
    const one = page.items[0].id as number;
    const rej = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not this one', ids: [one], seen: { [one]: 'approved' }, asOf: page.asOf } });
    expect(rej.json().rows).toBe(1);

    const real = (await op(`/api/jobs/${jobId}/reinsert`, { dryRun: false, target })).json().id as number;
    await t.app.reinsert.wait(real);
    const done = await get(`/api/reinsert-runs/${real}`);
    expect([done.state, done.summary.rows, done.summary.inserted, done.sideTables]).toEqual(['succeeded', 19, 19, []]);
    expect((await get(`/api/jobs/${jobId}/blast-radius`)).byStatus).toEqual([{ status: 'pending', rows: 100 }, { status: 'reinserted', rows: 19 }, { status: 'rejected', rows: 1 }]);
    expect([await counted('reinserted'), await counted('rejected')]).toEqual([19, 1]);
    const detail = await get(`/api/jobs/${jobId}/rows/${one}`);
    expect([detail.status, detail.reinsert, detail.heldBy]).toEqual(['rejected', [{ runId: side, outcome: 'inserted', detail: null, sideTable: 'dbo.Trail_check', sideTableText: 'dbo.Trail_check' }], null]);

    // the undo: 20 deletes from the side table, 19 from the own table, each in one batch, no name declared twice
    const undo = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql`, headers: bearer(t.tokens.reviewer) })).body;
    const deletes = (table: string) => undo.split('\n').filter((l) => /^\s*DELETE TOP \(1\) FROM/.test(l) && l.includes(table)).length;
    expect([deletes('[CRM].[dbo].[Trail_check]'), deletes('[CRM].[dbo].[LogTestTrailNull]')]).toEqual([20, 19]);
    const declared = undo.split('\n').flatMap((l) => /^(?:DECLARE |\s+)(@r\w+) /.exec(l)?.[1] ?? []);
    expect(declared.length - new Set(declared).size).toBe(0);
    expect(undo).not.toMatch(/^GO$/m);
  });
});
