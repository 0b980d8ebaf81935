import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';

/**
 * `target.ledgerTable` reaches the script of a dry run (and of a real run: GET
 * /api/reinsert-runs/:id/script, which viewers read and DBAs run with sqlcmd) outside every row's
 * NOT SCRIPTED guard: a name holding "\nGO\n:!! calc\n" gave the script a line `:!! calc`. Refused
 * as a 400 naming the field, before the target is dialled; no run is recorded.
 */
describeCorpus('a re-insert request whose ledger table name holds a line break or "$("', () => {
  const env = appWithFakeTarget();

  it('is refused naming target.ledgerTable, for a dry run and a real run alike, and nothing is recorded', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    let dialled = 0;
    const connect = t.app.reinsert as unknown as { connect: (x: unknown) => unknown };
    const real = connect.connect;
    connect.connect = (x: unknown) => { dialled++; return real(x); };
    for (const ledgerTable of ['dbo.[led\nGO\n:!! calc\n]', 'dbo.[$(SQLCMDPASSWORD)]']) {
      for (const dryRun of [true, false]) {
        const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun, target: { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', ledgerTable } } });
        expect([r.statusCode, r.json().code, r.json().field], `${JSON.stringify(ledgerTable)} dryRun ${dryRun}`).toEqual([400, 'INPUT_VALIDATION', 'body.target.ledgerTable']);
        expect(r.json().message).toMatch(/ledger table name .* holds a line break, another control character or "\$\("/);
        expect(r.json().message).not.toMatch(/[\r\n]|p4ss|\$\(SQLCMD/);
      }
    }
    expect(dialled).toBe(0);
    expect(t.app.reinsert.listRuns(jobId)).toEqual([]);
    // a plain one is planned and scripted as before
    const ok = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, target: { connectionString: 'Server=crm-sql;User Id=rb;Password=p4ss', ledgerTable: 'audit.ledger' } } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().script).toContain('[audit].[ledger_rows]');
  });
});
