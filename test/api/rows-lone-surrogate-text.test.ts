import { expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { appPerTest, bearer } from './helpers.js';

// A table name, login and transaction name holding an unpaired UTF-16 surrogate (SYNTHETIC names on
// real corpus rows): the staging file turned them into U+FFFD, so the API showed a name the
// database does not hold, and a JSON filter by the real name matched nothing. Now the API gives
// them back exactly (JSON escapes the unit), filters by them exactly and, from a query string
// (which cannot carry a lone surrogate: the browser sends U+FFFD), by their U+FFFD form; the CSV
// export, which cannot carry them either, names the cells in its warnings column.
describeCorpus('API: table, login and transaction name holding an unpaired surrogate', () => {
  const env = appPerTest({ maxAuthFailures: 1000 });

  const TABLE = 'dbo.Pay\ud83d';
  const LOGIN = 'CRM\\Al\udc00ice';
  const NAME = 'DELETE \ud83d';

  const stage = () => {
    const { t } = env;
    const job = t.store.createJob({ kind: 'files', spec: { kind: 'files' }, description: 'surrogates', operations: ['delete'], createdBy: 'test' });
    const [a, b] = corpusRows(2);
    t.store.stageBatch(job.id, [{ ...a!, table: TABLE, login: LOGIN, transactionName: NAME }, b!]);
    return { jobId: job.id, lsn: a!.lsn };
  };

  it('rows come back exactly; query-string filters match by the U+FFFD form', async () => {
    const { t } = env;
    const { jobId, lsn } = stage();
    const all = await t.app.inject({ url: `/api/jobs/${jobId}/rows`, headers: bearer(t.tokens.viewer) });
    expect(all.statusCode).toBe(200);
    const first = (all.json() as { items: { lsn: string; table: string; login: string; transactionName: string }[] }).items.find((r) => r.lsn === lsn)!;
    expect(first).toMatchObject({ table: TABLE, login: LOGIN, transactionName: NAME });
    for (const q of [`table=${encodeURIComponent('dbo.Pay\ufffd')}`, `login=${encodeURIComponent('crm\\al\ufffdice')}`]) {
      const r = await t.app.inject({ url: `/api/jobs/${jobId}/rows?${q}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode, q).toBe(200);
      expect((r.json() as { items: { lsn: string }[] }).items.map((x) => x.lsn), q).toEqual([lsn]);
    }
  });

  it('a decision by a JSON filter holding the exact login decides its row, not the U+FFFD login beside it', async () => {
    const { t } = env;
    const { jobId } = stage();
    const [, , c] = corpusRows(3);
    t.store.stageBatch(jobId, [{ ...c!, table: TABLE, login: 'CRM\\Al\ufffdice' }]);
    const r = await t.app.inject({
      method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: { ...bearer(t.tokens.reviewer), 'content-type': 'application/json' },
      payload: JSON.stringify({ decision: 'approve', reason: 'restore', filter: { login: LOGIN, table: TABLE } }),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ rows: 1 });
  });

  it('a JSON filter holding another surrogate is no name of the job: table 400 INPUT_UNKNOWN_TABLE, login no row; U+FFFD for two logins 400 INPUT_AMBIGUOUS_NAME', async () => {
    const { t } = env;
    const { jobId } = stage();
    const post = (filter: object) => t.app.inject({
      method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: { ...bearer(t.tokens.reviewer), 'content-type': 'application/json' },
      payload: JSON.stringify({ decision: 'reject', reason: 'not these', filter }),
    });
    // dbo.Pay\ud83e is not dbo.Pay\ud83d: it was taken for it by its U+FFFD form, and its rows decided
    const table = await post({ table: 'dbo.Pay\ud83e' });
    expect(table.statusCode, table.body).toBe(400);
    expect(table.json()).toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
    const login = await post({ login: 'CRM\\Al\udc01ice' });
    expect(login.json()).not.toMatchObject({ rows: 1 });
    expect(t.store.countRows(jobId, { status: 'rejected' })).toBe(0);
    const [, , c] = corpusRows(3);
    t.store.stageBatch(jobId, [{ ...c!, login: 'CRM\\Al\ud800ice' }]);
    const list = await t.app.inject({ url: `/api/jobs/${jobId}/rows?login=${encodeURIComponent('CRM\\Al\ufffdice')}`, headers: bearer(t.tokens.viewer) });
    expect(list.statusCode, list.body).toBe(400);
    expect(list.json()).toMatchObject({ code: 'INPUT_AMBIGUOUS_NAME' });
    expect((list.json() as { message: string }).message).toContain('U+DC00 at offset 6');
    // the export by the same filter: the same 400, no file of both users' rows
    for (const format of ['csv', 'ndjson']) {
      const exp = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=${format}&login=${encodeURIComponent('CRM\\Al\ufffdice')}`, headers: bearer(t.tokens.viewer) });
      expect(exp.statusCode, exp.body).toBe(400);
      expect(exp.json()).toMatchObject({ code: 'INPUT_AMBIGUOUS_NAME' });
    }
    // refused before anything is recorded: no audit entry of an export that never was
    expect(t.store.audit({ jobId }).map((a) => a.action)).not.toContain('rows.export');
  });

  it('a query string\'s U+FFFD where the job holds both a surrogate and U+FFFD itself is 400 INPUT_AMBIGUOUS_NAME (the page sends U+FFFD for the surrogate); a JSON body\'s U+FFFD is the real one', async () => {
    const { t } = env;
    const { jobId, lsn } = stage();
    const [, , c] = corpusRows(3);
    // the real U+FFFD login and table beside CRM\Al\udc00ice and dbo.Pay\ud83d: a filter from the page
    // by the surrogate one (sent as U+FFFD) found the real one exactly and listed its rows
    t.store.stageBatch(jobId, [{ ...c!, table: 'dbo.Pay\ufffd', login: 'CRM\\Al\ufffdice' }]);
    for (const q of [`login=${encodeURIComponent('CRM\\Al\ufffdice')}`, `table=${encodeURIComponent('dbo.Pay\ufffd')}`]) {
      const r = await t.app.inject({ url: `/api/jobs/${jobId}/rows?${q}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode, q + r.body).toBe(400);
      expect(r.json(), q).toMatchObject({ code: 'INPUT_AMBIGUOUS_NAME' });
    }
    const login = await t.app.inject({ url: `/api/jobs/${jobId}/rows?login=${encodeURIComponent('CRM\\Al\ufffdice')}`, headers: bearer(t.tokens.viewer) });
    expect((login.json() as { message: string }).message).toMatch(/U\+DC00 at offset 6.*U\+FFFD itself|U\+FFFD itself.*U\+DC00 at offset 6/);
    // in a JSON body each is exact: the real U+FFFD login's row, the surrogate login's row
    const post = (filter: object) => t.app.inject({
      method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: { ...bearer(t.tokens.reviewer), 'content-type': 'application/json' },
      payload: JSON.stringify({ decision: 'reject', reason: 'exact', filter }),
    });
    expect((await post({ login: 'CRM\\Al\ufffdice' })).json()).toMatchObject({ rows: 1 });
    expect(t.store.listRows(jobId, { status: 'rejected' }).items.map((r) => r.lsn)).toEqual([c!.lsn]);
    expect((await post({ login: LOGIN, table: TABLE })).json()).toMatchObject({ rows: 1 });
    expect(t.store.listRows(jobId, { status: 'rejected' }).items.map((r) => r.lsn).sort()).toEqual([c!.lsn, lsn].sort());
  });

  it('the CSV export of one table names a header cell whose column name UTF-8 cannot carry, in every row', async () => {
    const { t } = env;
    // SYNTHETIC: dbo.T's Name column renamed `Na` + U+D83D + `me` (layout and values alike)
    const job = t.store.createJob({ kind: 'files', spec: { kind: 'files' }, description: 'header', operations: ['delete'], createdBy: 'test' });
    const layout = LAYOUTS['dbo.T']!;
    t.store.saveJobTables(job.id, [{ ...layout, columns: layout.columns.map((c) => (c.name === 'Name' ? { ...c, name: 'Na\ud83dme' } : c)) }]);
    const rows = corpusRows(12).filter((r) => r.table === 'dbo.T');
    expect(rows.length).toBeGreaterThan(1);
    t.store.stageBatch(job.id, rows.map((r) => ({ ...r, values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k === 'Name' ? 'Na\ud83dme' : k, v])) })));
    const csv = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=csv&table=dbo.T`, headers: bearer(t.tokens.viewer) });
    expect(csv.statusCode).toBe(200);
    const recs = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(recs[0]!)).toContain('Na\ufffdme');
    expect(recs).toHaveLength(rows.length);
    for (const rec of recs) expect(rec.warnings).toContain("the header of value column 2 ([Na\\u{d83d}me]): the column's name holds an unpaired UTF-16 surrogate (U+D83D at offset 2)");
  });

  it('a decision whose reason holds an unpaired surrogate is refused, naming it, nothing decided (the staging file would keep U+FFFD)', async () => {
    const { t } = env;
    const { jobId } = stage();
    const r = await t.app.inject({
      method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: { ...bearer(t.tokens.reviewer), 'content-type': 'application/json' },
      payload: JSON.stringify({ decision: 'approve', reason: 'restore \ud83d', all: true }),
    });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.body).toContain('reason');
    expect(r.body).toContain('unpaired UTF-16 surrogate (U+D83D at offset 8)');
    expect(t.store.decisions(jobId)).toEqual([]);
  });

  it("the CSV export names the cells UTF-8 cannot carry", async () => {
    const { t } = env;
    const { jobId, lsn } = stage();
    const csv = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv`, headers: bearer(t.tokens.viewer) });
    expect(csv.statusCode).toBe(200);
    const rec = (parse(csv.body, { columns: true }) as Record<string, string>[]).find((r) => r.lsn === lsn)!;
    expect(rec.login).toBe('CRM\\Al\ufffdice');
    expect(rec.warnings).toContain("rowback's column login: its text holds an unpaired UTF-16 surrogate (U+DC00 at offset 6)");
    expect(rec.warnings).toContain("rowback's column transactionName: its text holds an unpaired UTF-16 surrogate (U+D83D at offset 7)");
  });
});
