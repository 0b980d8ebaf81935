/**
 * A decision by filter (or all: true) that meets rows a re-insert run holds. It was refused whole
 * (409 STAGING_DECISION_RUN_ACTIVE): a reviewer deciding thousands of rows by filter, two of them in
 * a run's batch, could go on only by deciding by ids. Now it decides the rows no run holds and leaves
 * the held ones out, and says so: `heldBack` (how many, which runs and batches, the first ids) and a
 * `note` naming the run and the way on; the audit entry records them too. When every row it would
 * change is held it decides nothing and is refused as before (409). A decision by ids is refused
 * whole, as before (the reviewer named those rows). Rows: the fake source's (a running run) and the
 * corpus examples (a stopped run); the target is the fake target (SQLite).
 */
import { expect, it } from 'vitest';
import { ReinsertService } from '../../../src/reinsert/service.js';
import { describeCorpus } from '../../support/corpus.js';
import { corpusRows } from '../../staging/fixtures.js';
import { approvedTrailJob, stopOnceAfterTargetCommit, storeAndTarget } from '../../reinsert/fake-target.js';
import { appWithFakeTarget, bearer } from '../helpers.js';

interface HeldBack { rows: number; runs: { runId: number; actor: string; state: string; batches: number[]; rows: number }[]; ids: number[] }

describeCorpus('a decision by filter or all: true on rows some of which a running re-insert run holds', () => {
  const env = appWithFakeTarget();
  const target = { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', database: 'CRM' };

  /** Runs a real re-insert of `jobId` (batches of 4) and calls `during` once, before its first batch commits. */
  async function duringRun(jobId: number, during: () => Promise<void>): Promise<number> {
    const { t } = env;
    let once = false;
    t.app.reinsert.hooks = { beforeCommit: async () => { if (once) return; once = true; await during(); } };
    const run = (await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, batchSize: 4, target } })).json();
    await t.app.reinsert.wait(run.id);
    t.app.reinsert.hooks = undefined;
    expect(once).toBe(true);
    return run.id as number;
  }

  it('by filter (with the count\'s asOf): the rows no run holds are decided, the held ones left out and named, in the answer and the audit entry', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const pending = t.store.countRows(jobId, { status: 'pending' });
    expect(pending).toBeGreaterThan(0);
    let answer: { statusCode: number; body: string } | undefined;
    let held: number[] = [];
    let stillApproved = false;
    const runId = await duringRun(jobId, async () => {
      held = [...t.store.rowsHeldByRuns(jobId).keys()].sort((a, b) => a - b);
      const counted = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?status=pending&status=approved&count=true&limit=5`, headers: bearer(t.tokens.reviewer) })).json() as { asOf: string; total: number };
      expect(counted.total).toBe(pending + held.length);
      answer = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'none of these', filter: { status: ['pending', 'approved'] }, asOf: counted.asOf } });
      stillApproved = held.every((id) => t.store.getRow(jobId, id)!.status === 'approved');
    });
    expect(held.length).toBeGreaterThan(4);
    expect(answer!.statusCode).toBe(200);
    const r = JSON.parse(answer!.body) as { decisionId: number; rows: number; note: string; heldBack: HeldBack };
    expect(r.rows).toBe(pending);
    const batches = (t.store.db.prepare('SELECT batch_no AS b FROM reinsert_batches WHERE run_id = ? ORDER BY batch_no').all(runId) as { b: number }[]).map((x) => x.b);
    expect(r.heldBack).toEqual({ rows: held.length, runs: [{ runId, actor: 'olga', state: 'running', batches, rows: held.length }], ids: held.slice(0, 20) });
    expect(r.note).toContain(`${held.length} row(s) held back by re-insert run ${runId} (running, started by olga`);
    expect(r.note).toContain(`decide them when it has ended (GET /api/reinsert-runs/${runId})`);
    // the reviewer counted pending + held rows: told that not all of them were decided
    expect(r.note).toContain(`${pending} of the ${pending + held.length} rows the filter matches were decided`);
    expect(stillApproved).toBe(true);
    // the held rows went in with the run (approved when it sent them); the others are rejected
    expect(held.every((id) => t.store.getRow(jobId, id)!.status === 'reinserted')).toBe(true);
    expect(t.store.countRows(jobId, { status: 'rejected' })).toBe(pending);
    expect(t.store.decisions(jobId).at(-1)).toMatchObject({ id: r.decisionId, rowCount: pending });
    // the decision list says the rows left out (it read "rows: N" of the filter, as if done)
    const listed = (await t.app.inject({ url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.viewer) })).json().items as { id: number; rowCount: number; heldBack: unknown }[];
    expect(listed.at(-1)).toMatchObject({ id: r.decisionId, rowCount: pending, heldBack: { rows: held.length, runs: [runId] } });
    expect(listed.slice(0, -1).every((d) => d.heldBack === null)).toBe(true);
    const entry = t.store.audit({ jobId }).filter((e) => e.action === 'rows.reject').at(-1)!;
    expect(entry.details).toMatchObject({ decisionId: r.decisionId, rows: pending, heldBack: { rows: held.length, runs: [runId] } });
  });

  it('all: true with expectRows: the same, and a count that moved is still refused as stale', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const total = t.store.countRows(jobId, {});
    const pending = t.store.countRows(jobId, { status: 'pending' });
    let stale: { statusCode: number; body: string } | undefined;
    let answer: { statusCode: number; body: string } | undefined;
    let held = 0;
    const runId = await duringRun(jobId, async () => {
      held = t.store.rowsHeldByRuns(jobId).size;
      const decide = (expectRows: number) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'none of these', all: true, expectRows } });
      stale = await decide(total - 1);
      answer = await decide(total);
    });
    expect(stale!.statusCode).toBe(409);
    expect(JSON.parse(stale!.body).code).toBe('STAGING_DECISION_STALE');
    expect(answer!.statusCode).toBe(200);
    const r = JSON.parse(answer!.body) as { rows: number; note: string; heldBack: HeldBack };
    expect([r.rows, r.heldBack.rows, r.heldBack.runs.map((x) => x.runId)]).toEqual([pending, held, [runId]]);
    expect(r.note).toContain(`${held} row(s) held back by re-insert run ${runId}`);
    expect(r.note).toContain(`${pending} of the ${total} rows of job ${jobId} were decided`);
  });

  it('every row it would change held: nothing is decided, refused as before; by ids: refused whole, as before', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const answers: { statusCode: number; body: string }[] = [];
    let decisions = 0;
    const runId = await duringRun(jobId, async () => {
      decisions = t.store.decisions(jobId).length;
      const pendingId = t.store.listRows(jobId, { status: 'pending' }, { limit: 1 }).items[0]!.id;
      const heldId = [...t.store.rowsHeldByRuns(jobId).keys()][0]!;
      answers.push(await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'none of these', filter: { status: 'approved' } } }));
      answers.push(await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'none of these', ids: [pendingId, heldId] } }));
    });
    for (const a of answers) {
      expect(a.statusCode).toBe(409);
      expect(JSON.parse(a.body).code).toBe('STAGING_DECISION_RUN_ACTIVE');
    }
    const all = JSON.parse(answers[0]!.body) as { message: string };
    expect(all.message).toContain(`every one of the`);
    expect(all.message).toContain(`re-insert run ${runId} of job ${jobId}, running (started by olga)`);
    expect(all.message).toContain('nothing was decided');
    expect(t.store.decisions(jobId).length).toBe(decisions);
    expect(t.store.countRows(jobId, { status: 'rejected' })).toBe(0);
  });
});

describeCorpus('a decision by filter on rows a stopped run\'s batch that may have committed holds', () => {
  const env = storeAndTarget('rowback-decide-held-back-');
  const spec = { connectionString: 'Server=fake', database: 'CRM' };

  it('decides the rest and names the run to resume; when only held rows are left to change it is refused', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: stopOnceAfterTargetCommit() });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const a = await svc.start(job, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(a.id);
    expect(svc.getRun(a.id)!.state).toBe('failed');
    const batch1 = JSON.parse((env.store.db.prepare('SELECT row_ids FROM reinsert_batches WHERE run_id = ? AND batch_no = 1').get(a.id) as { row_ids: string }).row_ids) as number[];
    const approved = env.store.countRows(job, { status: 'approved' });
    expect(approved).toBeGreaterThan(batch1.length);
    const r = env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not these', filter: { status: 'approved' }, expectRows: approved });
    expect(r.rows).toBe(approved - batch1.length);
    expect(r.heldBack).toEqual({ rows: batch1.length, runs: [{ runId: a.id, actor: 'op', state: 'failed', batches: [1], rows: batch1.length }], ids: [...batch1].sort((x, y) => x - y) });
    expect(r.note).toContain(`${batch1.length} row(s) held back by re-insert run ${a.id} (failed, started by op; batch 1)`);
    expect(r.note).toContain(`resume run ${a.id} (POST /api/reinsert-runs/${a.id}/resume)`);
    expect(r.note).toContain(`${approved - batch1.length} of the ${approved} rows the filter matches were decided`);
    expect(batch1.every((id) => env.store.getRow(job, id)!.status === 'approved')).toBe(true);
    expect(env.store.decisions(job).at(-1)).toMatchObject({ id: r.decisionId, rowCount: approved - batch1.length, heldBack: { rows: batch1.length, runs: [a.id] } });
    // again: only the held rows are left to change, so nothing is decided (refused, as before)
    const decisions = env.store.decisions(job).length;
    expect(() => env.store.decide(job, { actor: 'rev2', decision: 'reject', reason: 'not these', filter: { status: 'approved' } })).toThrow(expect.objectContaining({
      code: 'STAGING_DECISION_RUN_ACTIVE',
      message: expect.stringContaining(`every one of the ${batch1.length} rows this decision would change is in a batch re-insert run ${a.id} of job ${job} (started by op, failed)`),
    }));
    expect(env.store.decisions(job).length).toBe(decisions);
  });
});
