import { expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { appWithFakeTarget, bearer } from '../helpers.js';

/**
 * The job export `format=undo-sql` takes each row out of the row ledger of the run that inserted it,
 * as that run's own undo does: it named the default ledger ([dbo].[rowback_reinsert_ledger_rows])
 * for every row, so after it ran, a run's own ledger (`target.ledgerTable`) still said its rows were
 * put back, and a later re-insert of the same rows, by a run or a script, passed over every one as
 * already in: deleted again, they were never put back. (Each run's tableMap and database were
 * followed; its ledger was not.)
 */
describeCorpus('the undo export of runs that kept their own ledger tables', () => {
  const env = appWithFakeTarget();

  it("names each row's own run's row ledger", async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const approved = (await t.app.inject({ url: `/api/jobs/${jobId}/rows?status=approved&limit=100`, headers: bearer(t.tokens.viewer) })).json().items.map((r: { id: number }) => r.id) as number[];
    expect(approved.length).toBeGreaterThanOrEqual(4);
    const half = Math.floor(approved.length / 2);
    const target = { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss' };
    const runs: number[] = [];
    for (const [rowIds, ledgerTable] of [[approved.slice(0, half), 'audit.ledger'], [approved.slice(half), undefined]] as const) {
      const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, rowIds, target: { ...target, ...(ledgerTable ? { ledgerTable } : {}) } } });
      expect(r.statusCode, r.body).toBe(202);
      await t.app.reinsert.wait(r.json().id);
      expect(t.app.reinsert.getRun(r.json().id)!.outcomes.inserted).toBe(rowIds.length);
      runs.push(r.json().id);
    }
    const undo = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) });
    expect(undo.statusCode).toBe(200);
    const ledgerDeletes = (quoted: string) => undo.body.split('\n').filter((l) => l.includes(`DELETE FROM ${quoted} WHERE row_key`)).length;
    expect(ledgerDeletes('[audit].[ledger_rows]')).toBe(half);
    expect(ledgerDeletes('[dbo].[rowback_reinsert_ledger_rows]')).toBe(approved.length - half);
    // as each run's own undo (written from its ledger) has it
    const own = (await t.app.inject({ url: `/api/reinsert-runs/${runs[0]}/script`, headers: bearer(t.tokens.viewer) })).json().undoScript as string;
    expect(own.split('\n').filter((l) => l.includes('DELETE FROM [audit].[ledger_rows] WHERE row_key')).length).toBe(half);
  });
});
