/**
 * Two tables whose `schema.name` text is one: dbo.[Order.Items] (schema dbo, table "Order.Items")
 * and [dbo.Order].Items (schema "dbo.Order", table Items), both legal in SQL Server. rowback named a
 * table `schema.name` unquoted wherever it staged, filtered, decided, exported and re-inserted rows,
 * so both were `dbo.Order.Items`: their rows staged under one name, the job's tables listed one, a
 * filter or decision by table took both tables' rows, and the re-insert refused every row of either
 * (REINSERT_AMBIGUOUS_TABLE: which table each came from was lost at staging). Now a name whose part
 * holds a dot (or needs brackets) is `[schema].[name]` (util/tsql.ts stagedTableName): the rows are
 * staged as `[dbo].[Order.Items]` and `[dbo.Order].[Items]`, and every step keeps them apart.
 * Staging files written before keep working: migration 19 renames a job's table staged under the
 * old text when the job had one table of it; two tables of one text stay refused.
 * SYNTHETIC: the export file (catalog rows shaped like sql/table-metadata.sql's, as
 * test/support/export-fixture.ts makes them; one delete of each table, the row image ROW_ADA).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { MIGRATIONS, migrate } from '../../src/staging/migrations.js';
import { StagingStore } from '../../src/staging/store.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { stagedTableName, splitQualifiedName } from '../../src/util/tsql.js';
import { FakeTarget } from '../reinsert/fake-target.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { customersCatalogRow, exportRecord, ROW_ADA } from '../support/export-fixture.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';

const AU_ITEMS = '72057594043236352';
const AU_ORDER = '72057594043301888';
const DOTTED_NAME = '[dbo].[Order.Items]'; // dbo.[Order.Items]
const DOTTED_SCHEMA = '[dbo.Order].[Items]'; // [dbo.Order].Items

/** The two tables' catalog rows (each dbo.Customers' columns: CustomerId int, Name nvarchar(50)). */
function catalog(): Array<Record<string, unknown>> {
  const cols = (over: Record<string, unknown>) => [
    customersCatalogRow({ ...over, partition_column_id: 1, column_id: 1, column_name: 'CustomerId', type_name: 'int', system_type_id: 56, max_length: 4, precision: 10, scale: 0, collation_name: null, is_nullable: false, leaf_offset: 4, leaf_null_bit: 1, leaf_bit_position: 0, key_ordinal: 1 }),
    customersCatalogRow({ ...over, partition_column_id: 2, column_id: 2, column_name: 'Name', type_name: 'nvarchar', system_type_id: 231, max_length: 100, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS', is_nullable: true, leaf_offset: -1, leaf_null_bit: 2, leaf_bit_position: 0, key_ordinal: 0 }),
  ];
  return [
    ...cols({ schema_name: 'dbo', table_name: 'Order.Items', object_id: 901578250, partition_id: '72057594042384384', in_row_alloc_unit_id: AU_ITEMS }),
    ...cols({ schema_name: 'dbo.Order', table_name: 'Items', object_id: 917578307, partition_id: '72057594042449920', in_row_alloc_unit_id: AU_ORDER }),
  ];
}

describe('stagedTableName', () => {
  it('plain names as they were; a part holding a dot, or needing brackets, bracket-quoted; read back by splitQualifiedName', () => {
    const cases: Array<[string, string, string]> = [
      ['dbo', 'T', 'dbo.T'], ['crm', 'Order Items', 'crm.Order Items'], ['dbo', 'Order.Items', '[dbo].[Order.Items]'], ['dbo.Order', 'Items', '[dbo.Order].[Items]'],
      ['dbo', '[x]', '[dbo].[[x]]]'], ['dbo', ' padded', '[dbo].[ padded]'], ['dbo', '"q"', '[dbo].["q"]'], ['a]b', 'c.d', '[a]]b].[c.d]'],
    ];
    for (const [schema, name, text] of cases) {
      expect(stagedTableName({ schema, name }), `${schema}|${name}`).toBe(text);
      expect(splitQualifiedName(text)).toEqual({ schema, name });
    }
  });
});

describe('dbo.[Order.Items] and [dbo.Order].Items in one job (real worker, export source)', () => {
  let t: TestApp;
  let dir: string;
  let jobId = 0;
  let target: FakeTarget;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-dotted-tables-'));
    const file = join(dir, 'dotted.json');
    const records = [
      exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Transaction Name': 'DELETE', SPID: 61, 'Begin Time': '2024/03/05 14:07:10:000' }),
      exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU_ITEMS, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
      exportRecord('0000002a:000001f0:0003', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: AU_ORDER, 'Page ID': '0001:00000124', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
      exportRecord('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
    ];
    writeFileSync(file, JSON.stringify({ format: 'rowback-export', version: 1, database: 'CRM', catalog: catalog(), records }));
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [dir], maxAuthFailures: 1000, connectTarget: () => target });
    target = new FakeTarget(join(dir, 'target.db'), new Map());
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'export', file } });
    expect(r.statusCode, r.body).toBe(201);
    jobId = r.json().id as number;
    await t.app.worker.idle();
    expect(t.store.requireJob(jobId).state, JSON.stringify(t.store.requireJob(jobId).error)).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    target?.dispose();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('staged under two names, listed as two tables, each filter and decision taking its own row', async () => {
    const get = async (url: string) => (await t.app.inject({ url, headers: bearer(t.tokens.viewer) })).json();
    // (by SQLite's order: '.' before ']') both tables' rows were under one name, dbo.Order.Items
    expect(t.store.db.prepare('SELECT tbl, count(*) AS n FROM rows WHERE job_id = ? GROUP BY tbl ORDER BY tbl').all(jobId)).toEqual([{ tbl: DOTTED_SCHEMA, n: 1 }, { tbl: DOTTED_NAME, n: 1 }]);
    expect((await get(`/api/jobs/${jobId}/tables`)).items.map((x: { table: string }) => x.table).sort()).toEqual([DOTTED_SCHEMA, DOTTED_NAME]);
    expect((await get(`/api/jobs/${jobId}/blast-radius`)).byTable.map((x: { table: string }) => x.table).sort()).toEqual([DOTTED_SCHEMA, DOTTED_NAME]);
    for (const given of [DOTTED_NAME, DOTTED_SCHEMA, 'dbo.[Order.Items]', '"dbo.Order"."Items"']) {
      const page = await get(`/api/jobs/${jobId}/rows?count=true&table=${encodeURIComponent(given)}`);
      expect([given, page.total], JSON.stringify(page).slice(0, 300)).toEqual([given, 1]);
      expect(page.items[0].table).toBe(given.startsWith('[dbo].') || given.startsWith('dbo.') ? DOTTED_NAME : DOTTED_SCHEMA);
    }
    // the unquoted text both share names no one table: refused, naming both (it took both tables' rows)
    const both = await t.app.inject({ url: `/api/jobs/${jobId}/rows?table=dbo.Order.Items`, headers: bearer(t.tokens.viewer) });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toContain(`is the schema.name text of ${DOTTED_SCHEMA} and ${DOTTED_NAME}: give one of them in brackets`);
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'the order lines', filter: { table: DOTTED_NAME } } });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().rows).toBe(1);
    const rows = t.store.listRows(jobId, {}, { limit: 10 }).items;
    expect(rows.map((r) => [r.table, r.status])).toEqual([[DOTTED_NAME, 'approved'], [DOTTED_SCHEMA, 'pending']]);
  });

  it('exported and re-inserted each into its own table', async () => {
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'the order lines', all: true } });
    expect(d.statusCode, d.body).toBe(200);
    const csv = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv&table=${encodeURIComponent(DOTTED_SCHEMA)}`, headers: bearer(t.tokens.viewer) });
    expect(csv.body.trim().split('\n')).toHaveLength(2);
    expect(csv.body.split('\n')[0]).toContain('CustomerId');
    const sql = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(sql.statusCode, sql.body.slice(0, 300)).toBe(200);
    expect(sql.body).toContain('INSERT INTO [dbo].[Order.Items] ([CustomerId], [Name])');
    expect(sql.body).toContain('INSERT INTO [dbo.Order].[Items] ([CustomerId], [Name])');
    expect(sql.body).not.toContain('REINSERT_AMBIGUOUS_TABLE');
    // a real run into a target holding both: each row into its own table
    const layouts = t.store.jobTables(jobId);
    (target as unknown as { tables: Map<string, unknown> }).tables = new Map(layouts.map((l) => [stagedTableName(l), fromLayout(l)]));
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target: { connectionString: 'Server=side-sql;Database=CRM' }, acceptOtherDatabase: true } });
    expect(run.statusCode, run.body).toBe(202);
    await t.app.reinsert.wait(run.json().id);
    const done = t.app.reinsert.getRun(run.json().id)!;
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.summary).toMatchObject({ inserted: 2, problems: 0 });
    const into = target.db.prepare('SELECT tbl, count(*) AS n FROM target_rows GROUP BY tbl ORDER BY tbl').all();
    expect(into).toEqual([{ tbl: DOTTED_SCHEMA, n: 1 }, { tbl: DOTTED_NAME, n: 1 }]);
  });
});

describe('a staging file of before (both tables staged as dbo.Order.Items)', () => {
  let dir = '';
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('migration 19: a job of one such table has its rows renamed and re-inserted; a job of two keeps them refused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-dotted-old-'));
    const path = join(dir, 'staging.db');
    const db = new Database(path);
    migrate(db, MIGRATIONS.filter((m) => m.version < 19));
    const layout = (schema: string, name: string) => JSON.stringify({ schema, name, indexId: 1, compression: 'NONE', allocUnits: [], columns: [
      { name: 'CustomerId', type: 'int', columnId: 1, maxLength: 4, precision: 10, scale: 0, nullable: false, leafOffset: 4, leafNullBit: 1, keyOrdinal: 1 },
    ] });
    const job = () => Number(db.prepare("INSERT INTO jobs (kind, spec, description, state, created_by, created_at) VALUES ('files', '{}', 'x', 'succeeded', 'olga', 'x')").run().lastInsertRowid);
    const row = (jobId: number, lsn: string) => db.prepare("INSERT INTO rows (job_id, tbl, lsn, operation, transaction_id, vals, raw, status) VALUES (?, 'dbo.Order.Items', ?, 'delete', '0000:1', '{\"CustomerId\":1}', X'00', 'approved')").run(jobId, lsn);
    const one = job();
    row(one, '0000002a:00000100:0001');
    db.prepare("INSERT INTO job_tables (job_id, tbl, layout) VALUES (?, 'dbo.Order.Items', ?)").run(one, layout('dbo', 'Order.Items'));
    const two = job();
    row(two, '0000002a:00000100:0002');
    db.prepare("INSERT INTO job_tables (job_id, tbl, layout) VALUES (?, 'dbo.Order.Items', ?)").run(two, JSON.stringify({ ...JSON.parse(layout('dbo.Order', 'Items')), ambiguousNames: ['[dbo.Order].[Items]', '[dbo].[Order.Items]'] }));
    db.close();
    const store = new StagingStore(path);
    try {
      const tbl = (jobId: number) => store.db.prepare('SELECT tbl FROM rows WHERE job_id = ?').pluck().all(jobId);
      expect(tbl(one)).toEqual([DOTTED_NAME]);
      expect(store.db.prepare('SELECT tbl FROM job_tables WHERE job_id = ?').pluck().all(one)).toEqual([DOTTED_NAME]);
      expect(tbl(two)).toEqual(['dbo.Order.Items']);
      const svc = new ReinsertService(store);
      const d1 = await svc.dryRun(one, 'rev', {});
      expect(d1.script).toContain('INSERT INTO [dbo].[Order.Items]');
      expect(d1.plan.problems).toEqual([]);
      const d2 = await svc.dryRun(two, 'rev', {});
      expect(d2.script).not.toMatch(/INSERT INTO \[dbo/);
      expect(d2.plan.problems.map((p) => p.code)).toEqual(['REINSERT_AMBIGUOUS_TABLE']);
      // the old text still names the one table of the first job (a client, a run's tableMap of before)
      expect(store.countRows(one, { table: DOTTED_NAME })).toBe(1);
    } finally {
      store.close();
    }
  });
});
