import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { fromLayout } from '../../../src/reinsert/target-table.js';
import { FakeTarget } from '../../reinsert/fake-target.js';
import { rowIdRanges } from '../../../src/reinsert/plan.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { bearer, testApp, type TestApp } from '../helpers.js';

/**
 * `GET /api/jobs/:id/export?format=sql` wrote an INSERT for every matching row, update
 * before-images and inserted rows too, where `POST /api/jobs/:id/reinsert` re-inserts only rows
 * recovered from deletes (REINSERT_NOT_A_DELETE for the others). Corpus AngularJs_CRUD, a job of
 * updates and deletes on dbo.tblDept: the export had 23 INSERTs, the dry run planned 13; row 52 (an
 * update's before-image, Id 4 'CS') came before row 53 (the deleted row, Id 4 'CS1'), so the stale
 * value went in and the real row was a conflict. The export now plans as the dry run does.
 */
describeCorpus('the SQL export plans as the re-insert dry run (corpus AngularJs_CRUD, updates and deletes)', () => {
  let t: TestApp;
  let id: number;
  let target: FakeTarget | undefined;
  const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  const insertedRows = (script: string): number[] => [...script.matchAll(/^-- row (\d+), LSN/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: undefined, targets: { side: { connectionString: 'Server=side-sql', database: 'CRM_restore' }, bare: { connectionString: 'Server=side-sql' } }, connectTarget: () => target! });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', mdf, ldf, tables: ['dbo.tblDept'], operations: ['update', 'delete'] } });
    expect(r.statusCode, r.body).toBe(201);
    id = r.json().id;
    await t.app.worker.idle();
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'every row, for the test', all: true } });
    expect(d.statusCode, d.body).toBe(200);
  });
  afterAll(async () => {
    target?.dispose();
    await t?.close();
  });

  it('status=approved: the export inserts exactly the rows the dry run plans, and names the others in its header with the dry run\'s reason', async () => {
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    const planned = insertedRows(dry.json().script);
    const notDeletes = (dry.json().problems as { rowId: number; code: string; message: string }[]).filter((p) => p.code === 'REINSERT_NOT_A_DELETE');
    expect(planned).toHaveLength(13);
    expect(notDeletes).toHaveLength(10);

    const ex = await t.app.inject({ url: `/api/jobs/${id}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(ex.statusCode, ex.body).toBe(200);
    const script = ex.body;
    expect(insertedRows(script)).toEqual(planned);
    expect((script.match(/^\s*INSERT INTO (?!\[dbo\]\.\[rowback_reinsert_ledger_rows\])/gm) ?? []).length).toBe(13);
    // and each recorded in the target's row ledger with it (never twice, whoever runs what)
    expect((script.match(/^\s*INSERT INTO \[dbo\]\.\[rowback_reinsert_ledger_rows\] /gm) ?? []).length).toBe(13);
    // every row inserted was recovered from a delete; every update before-image is left out
    const ops = (await t.app.inject({ url: `/api/jobs/${id}/rows?limit=1000`, headers: bearer(t.tokens.viewer) })).json().items as { id: number; operation: string }[];
    const opOf = new Map(ops.map((r) => [r.id, r.operation]));
    expect(planned.map((r) => opOf.get(r))).toEqual(planned.map(() => 'delete'));
    expect(notDeletes.map((p) => opOf.get(p.rowId))).toEqual(notDeletes.map(() => 'update'));
    // the rows left out: counted, named by id, with the dry run's reason
    const head = script.slice(0, script.indexOf('SET XACT_ABORT ON;'));
    const warning = head.split('\n').find((l) => l.startsWith('-- WARNING: 10 row(s) not re-inserted (REINSERT_NOT_A_DELETE'));
    expect(warning).toContain(`rows ${rowIdRanges(notDeletes.map((p) => p.rowId))};`);
    for (const p of notDeletes) expect(head).toContain(`-- NOT INCLUDED: row ${p.rowId} (dbo.tblDept, LSN `);
    for (const p of notDeletes) expect(head).toContain(p.message);
  });

  it('with no status filter the export plans the same rows of every status as the dry run would once approved', async () => {
    const ex = await t.app.inject({ url: `/api/jobs/${id}/export?format=sql`, headers: bearer(t.tokens.viewer) });
    expect(ex.statusCode, ex.body).toBe(200);
    expect((ex.body.match(/^\s*INSERT INTO (?!\[dbo\]\.\[rowback_reinsert_ledger_rows\])/gm) ?? []).length).toBe(13);
  });

  it('undo-sql of rows a run put into a side table of another database (operations update, tableMap) deletes them there, never from the source table', async () => {
    const DDL = 'CREATE TABLE dbo.tblDept (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName nvarchar(150) NULL, DeptDesc nvarchar(500) NULL)';
    const dept = fromLayout(layoutsFromDdl(DDL)[0]!);
    target = new FakeTarget(join(t.dir, 'target.db'), new Map([['dbo.tblDept_before', { ...dept, name: 'tblDept_before' }]]));
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, targetName: 'side', operations: ['update'], tableMap: { 'dbo.tblDept': 'dbo.tblDept_before' }, acceptOtherDatabase: true } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    const done = (await t.app.inject({ url: `/api/reinsert-runs/${run.json().id}`, headers: bearer(t.tokens.viewer) })).json();
    // the 10 before-images hold 6 keys (Id 9 three times, 11 and 12 twice) and the side table's Id is
    // its PRIMARY KEY: the first of each key goes in, the others are conflicts with it, as SQL Server's
    // key decides (10 inserted was the stand-in, which has no key, taking what the server refuses, Msg 2627)
    expect(done).toMatchObject({ state: 'succeeded', outcomes: { inserted: 6, conflict: 4, error: 0 } });

    const undo = (await t.app.inject({ url: `/api/jobs/${id}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) })).body;
    const deletes = undo.split('\n').filter((l) => /^DELETE /.test(l));
    expect(deletes).toHaveLength(6);
    // where the run put them: its side table, in its database (TOP (1) matching every value: planned
    // offline, the side table's key is not known; undo-rewritten-heap-side-table.test.ts)
    for (const d of deletes) expect(d).toMatch(/^DELETE TOP \(1\) FROM \[CRM_restore\]\.\[dbo\]\.\[tblDept_before\] WHERE /);
    expect(undo).not.toMatch(/\[dbo\]\.\[tblDept\] /);
  });

  it('undo-sql of rows a run put in through a connection naming no database deletes them in the database it went into (databaseUsed), named', async () => {
    const DDL = 'CREATE TABLE dbo.tblDept (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName nvarchar(150) NULL, DeptDesc nvarchar(500) NULL)';
    const dept = fromLayout(layoutsFromDdl(DDL)[0]!);
    target?.dispose();
    target = new FakeTarget(join(t.dir, 'target-bare.db'), new Map([['dbo.tblDept_bare', { ...dept, name: 'tblDept_bare' }]]));
    // the login's default database, as DB_NAME() says where the catalog was read
    target.database = 'Tenant7';
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, targetName: 'bare', tableMap: { 'dbo.tblDept': 'dbo.tblDept_bare' }, acceptOtherDatabase: true } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    expect((await t.app.inject({ url: `/api/reinsert-runs/${run.json().id}`, headers: bearer(t.tokens.viewer) })).json()).toMatchObject({ state: 'succeeded' });
    const undo = (await t.app.inject({ url: `/api/jobs/${id}/export?format=undo-sql`, headers: bearer(t.tokens.viewer) })).body;
    const deletes = undo.split('\n').filter((l) => /^\s*DELETE TOP \(1\) FROM \S*\[tblDept_bare\] /.test(l));
    expect(deletes).toHaveLength(13);
    // it said only 'run it in the database the re-insert went into' and deleted in the session's
    for (const d of deletes) expect(d).toMatch(/^\s*DELETE TOP \(1\) FROM \[Tenant7\]\.\[dbo\]\.\[tblDept_bare\] WHERE /);
  });
});
