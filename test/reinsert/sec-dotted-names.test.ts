import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { tablesFromCatalog } from '../../src/reinsert/mssql-target.js';
import { fromLayout, type TargetTable } from '../../src/reinsert/target-table.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget } from './fake-target.js';

/**
 * SYNTHETIC layouts with dots in names: the schema `a.b` with the table `c`, and the schema `a`
 * with the table `b.c`, are two tables; both are `a.b.c` as `schema.name` text. The target's
 * catalog was looked up by that text (CONCAT(schema, '.', name)), so rows deleted from [a.b].[c]
 * were planned into [a].[b.c] when the target had that table, and the two tables' columns were
 * merged into one when it had both (then refused). Now every table is keyed by its two parts
 * (util/tsql.ts stagedTableName: `[a.b].[c]`, `[a].[b.c]`): the catalog's two tables stay two, and
 * rows of one go into that one only. A staging file of before that staged both under `a.b.c`
 * (which table each row came from lost) keeps refusing them (REINSERT_AMBIGUOUS_TABLE).
 */
describe('target catalog: two tables with one schema.name text', () => {
  it('are two tables, each with its own columns', () => {
    const r = (schema: string, table: string, column: string) => ({
      schema, table, column, column_id: 1, type_name: 'int', max_length: 4, precision: 10, scale: 0, is_nullable: false, is_identity: false, is_computed: false, key_ordinal: 1,
    });
    const tables = tablesFromCatalog([r('a', 'b.c', 'Id'), r('a.b', 'c', 'Key')]);
    expect([...tables.keys()].sort()).toEqual(['[a.b].[c]', '[a].[b.c]']);
    expect(tables.get('[a].[b.c]')!.columns.map((c) => c.name)).toEqual(['Id']);
    expect(tables.get('[a.b].[c]')!.columns.map((c) => c.name)).toEqual(['Key']);
  });
});

describeCorpus('re-insert: the target table is the source table\'s (schema, name), not its text', () => {
  let dir: string;
  let store: StagingStore;
  let target: FakeTarget | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-dotted-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    target?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rows of [a.b].[c] are not planned into the target\'s [a].[b.c]', async () => {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    // staged as the scan names them (stagedTableName)
    const rows = corpusRows(40).filter((r) => r.table === 'dbo.T').map((r) => ({ ...r, table: '[a.b].[c]' }));
    expect(rows.length).toBeGreaterThan(0);
    store.stageBatch(job.id, rows);
    store.saveJobTables(job.id, [{ ...LAYOUTS['dbo.T'], schema: 'a.b', name: 'c' }]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'restore', all: true });
    // the target has [a].[b.c] only
    const other: TargetTable = { ...fromLayout(LAYOUTS['dbo.T']), schema: 'a', name: 'b.c' };
    target = new FakeTarget(join(dir, 'target.db'), new Map([['[a].[b.c]', other]]));
    const svc = new ReinsertService(store, { connect: () => target! });
    const d = await svc.dryRun(job.id, 'rev', { target: { connectionString: 'Server=fake' } });
    expect(d.script).not.toContain('INSERT INTO [a].[b.c]');
    expect(new Set(d.plan.problems.map((p) => p.code))).toEqual(new Set(['REINSERT_UNKNOWN_TABLE']));
    expect(d.plan.problems.length).toBe(rows.length);
  });
});

describeCorpus('one job with two source tables of one schema.name text', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-dotted-job-'));
    store = new StagingStore(join(dir, 'staging.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('their rows, staged under each one\'s name, are planned each into its own table', async () => {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const base = corpusRows(40).filter((r) => r.table === 'dbo.T');
    const rows = base.map((r, i) => ({ ...r, table: i % 2 ? '[a].[b.c]' : '[a.b].[c]' }));
    store.stageBatch(job.id, rows);
    // the catalog of the source (SYNTHETIC): [a.b].[c] and [a].[b.c], saved together as a scan saves them
    store.saveJobTables(job.id, [{ ...LAYOUTS['dbo.T'], schema: 'a.b', name: 'c' }, { ...LAYOUTS['dbo.T'], schema: 'a', name: 'b.c' }]);
    expect(store.jobTables(job.id).map((l) => (l as { ambiguousNames?: string[] }).ambiguousNames)).toEqual([undefined, undefined]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'restore', all: true });
    const svc = new ReinsertService(store);
    const d = await svc.dryRun(job.id, 'rev', {});
    expect(d.plan.problems).toEqual([]);
    const into = (t: string) => d.plan.batches.filter((b) => b.table === t).flatMap((b) => b.rows.map((r) => r.rowId));
    const ids = store.listRows(job.id, {}, { limit: 100 }).items;
    expect(into('[a.b].[c]').sort((x, y) => x - y)).toEqual(ids.filter((r) => r.table === '[a.b].[c]').map((r) => r.id));
    expect(into('[a].[b.c]').sort((x, y) => x - y)).toEqual(ids.filter((r) => r.table === '[a].[b.c]').map((r) => r.id));
  });

  it('staged before under one name (a.b.c, which table each came from lost): not planned into either', async () => {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const rows = corpusRows(40).filter((r) => r.table === 'dbo.T').map((r) => ({ ...r, table: 'a.b.c' }));
    store.stageBatch(job.id, rows);
    // the job's table as an earlier rowback saved it: under the shared text, both tables named (ambiguousNames)
    store.db.prepare("INSERT INTO job_tables (job_id, tbl, layout) VALUES (?, 'a.b.c', ?)").run(job.id, JSON.stringify({ ...LAYOUTS['dbo.T'], schema: 'a', name: 'b.c', ambiguousNames: ['[a.b].[c]', '[a].[b.c]'] }));
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'restore', all: true });
    const d = await new ReinsertService(store).dryRun(job.id, 'rev', {});
    expect(d.script).not.toMatch(/INSERT INTO \[a/);
    expect(d.plan.problems.length).toBe(rows.length);
    expect(new Set(d.plan.problems.map((p) => p.code))).toEqual(new Set(['REINSERT_AMBIGUOUS_TABLE']));
    expect(d.plan.problems[0].message).toMatch(/\[a\]\.\[b\.c\]/);
  });
});
