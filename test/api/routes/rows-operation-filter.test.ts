import { afterAll, beforeAll, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * Rows by the operation they were recovered from (`operation=delete`, any of delete, insert,
 * update; comma-separated for several), on the row list, bulk decisions, exports and the review
 * page. A reviewer could not ask for the deleted rows alone (`operation` was 400 "Unrecognized key"):
 * approving dbo.tblDept by table approved 43 rows of a job of 48 (16 deletes, 22 inserts, 10 update
 * before-images). REAL: corpus AngularJs_CRUD, a files job of every operation.
 */
describeCorpus('row filter: operation', () => {
  let t: TestApp;
  let id: number;
  beforeAll(async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: undefined, maxAuthFailures: 1000 });
    const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
    const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf, ldf, operations: ['delete', 'insert', 'update'] } });
    expect(r.statusCode, r.body).toBe(201);
    id = r.json().id;
    await t.app.worker.idle();
  });
  afterAll(async () => t?.close());

  const list = async (query: string) => {
    const r = await t.app.inject({ url: `/api/jobs/${id}/rows?limit=500&${query}`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items as { id: number; operation: string; table: string }[];
  };

  it('lists the rows of the operation(s) asked for', async () => {
    const all = await list('');
    const byOp = (op: string) => all.filter((x) => x.operation === op).map((x) => x.id);
    expect(all).toHaveLength(48);
    expect((await list('operation=delete')).map((x) => x.id)).toEqual(byOp('delete'));
    expect(byOp('delete')).toHaveLength(16);
    expect((await list('operation=insert,update')).map((x) => x.id)).toEqual(all.filter((x) => x.operation !== 'delete').map((x) => x.id));
    const bad = await t.app.inject({ url: `/api/jobs/${id}/rows?operation=remove`, headers: bearer(t.tokens.viewer) });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'INPUT_VALIDATION']);
    const empty = await t.app.inject({ url: `/api/jobs/${id}/rows?operation=`, headers: bearer(t.tokens.viewer) });
    expect(empty.statusCode).toBe(400);
  });

  it('a bulk decision by table and operation decides the deleted rows of that table alone; the export takes the filter too', async () => {
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'deleted departments', filter: { table: 'dbo.tblDept', operation: 'delete' } } });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().rows).toBe(13);
    const approved = await list('status=approved');
    expect(approved.every((x) => x.operation === 'delete' && x.table === 'dbo.tblDept')).toBe(true);
    expect(approved).toHaveLength(13);
    // an operation filter alone narrows: no `all: true` asked for
    const rej = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not deletes', filter: { operation: ['insert', 'update'] } } });
    expect([rej.statusCode, rej.json().rows]).toEqual([200, 32]);
    const csv = await t.app.inject({ url: `/api/jobs/${id}/export?format=ndjson&operation=update`, headers: bearer(t.tokens.viewer) });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\n').map((l) => JSON.parse(l) as { operation: string });
    expect(lines).toHaveLength(10);
    expect(lines.every((x) => x.operation === 'update')).toBe(true);
  });
});
