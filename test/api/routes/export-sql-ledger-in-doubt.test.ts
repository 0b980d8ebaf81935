/**
 * The SQL export (GET /api/jobs/:id/export?format=sql) is run by hand, its row-ledger check looking
 * in the default ledger table. Rows a stopped run of the job sent in a batch that may have committed
 * unrecorded, while it kept another ledger table (target.ledgerTable), are not found there: run as it
 * is, the script puts them in again when the batch did commit (a key-less table has nothing to stop
 * it). A real run is refused for it (REINSERT_LEDGER_IN_DOUBT); the export said nothing. Now its head
 * says so, naming the run, its batch and ledger, and the way on (resume the run first).
 * Rows: the fake files job (test/worker/fake-source.ts); the stopped run is SYNTHETIC (its run and
 * batch written into the staging store as a failed run leaves them: state failed, its batch planned).
 */
import { describe, expect, it } from 'vitest';
import { appWithFakeTarget, bearer } from '../helpers.js';

describe('the SQL export and a stopped run in doubt that kept another ledger table', () => {
  const env = appWithFakeTarget();
  const table = 'dbo.LogTestTrailNull';

  async function withStoppedRun(ledgerTable: string | null) {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const ids = (t.store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND status = 'approved' ORDER BY id").all(jobId) as { id: number }[]).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(3);
    const run = t.store.db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'olga', ?, 0, ?, 'failed', 3)")
      .run(jobId, new Date().toISOString(), JSON.stringify({ server: 'crm-sql', database: 'CRM', databaseResolved: true, ledgerTable, tableMap: null }));
    const runId = Number(run.lastInsertRowid);
    t.store.db.prepare("INSERT INTO reinsert_batches (run_id, batch_no, batch_key, row_ids, state) VALUES (?, 1, ?, ?, 'planned')").run(runId, `synthetic-${runId}-1`, JSON.stringify(ids.slice(0, 3)));
    expect(t.store.stoppedRunsInDoubt(jobId).map((b) => b.runId)).toEqual([runId]);
    const r = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&table=${table}&status=approved`, headers: bearer(t.tokens.operator) });
    expect(r.statusCode, r.body).toBe(200);
    return { jobId, runId, head: r.body.split('\n').filter((l) => l.startsWith('--')).join('\n') };
  }

  it('its head warns of the rows the script would put in twice, naming the run, its batch and ledger table', async () => {
    const { jobId, runId, head } = await withStoppedRun('dbo.ledger_a');
    expect(head).toContain(`-- WARNING: 3 row(s) of this script are in a batch a stopped re-insert run of job ${jobId} sent and never recorded, which may have committed: run ${runId} (batch(es) 1, ledger table dbo.ledger_a); only that ledger table can tell, and this script checks dbo.rowback_reinsert_ledger, which does not hold them: run as it is, those rows could go in twice. Resume run ${runId} first (POST /api/reinsert-runs/${runId}/resume: rows found there become reinserted)`);
  });

  it('a stopped run that kept the default ledger (the one the script checks) is nothing to warn of', async () => {
    const { head } = await withStoppedRun(null);
    expect(head).not.toContain('stopped re-insert run');
  });
});
