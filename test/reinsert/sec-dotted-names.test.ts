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
 * catalog is looked up by that text (CONCAT(schema, '.', name)), so rows deleted from [a.b].[c]
 * were planned into [a].[b.c] when the target had that table, and the two tables' columns were
 * merged into one when it had both.
 */
describe('target catalog: two tables with one schema.name text', () => {
  it('is refused, not merged into one table', () => {
    const r = (schema: string, table: string, column: string) => ({
      schema, table, column, column_id: 1, type_name: 'int', max_length: 4, precision: 10, scale: 0, is_nullable: false, is_identity: false, is_computed: false, key_ordinal: 1,
    });
    expect(() => tablesFromCatalog([r('a', 'b.c', 'Id'), r('a.b', 'c', 'Id')])).toThrow(/\[a\]\.\[b\.c\].*\[a\.b\]\.\[c\]|\[a\.b\]\.\[c\].*\[a\]\.\[b\.c\]/);
    try {
      tablesFromCatalog([r('a', 'b.c', 'Id'), r('a.b', 'c', 'Id')]);
    } catch (e) {
      expect((e as { code: string }).code).toBe('INPUT_AMBIGUOUS_NAME');
    }
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
    const rows = corpusRows(40).filter((r) => r.table === 'dbo.T').map((r) => ({ ...r, table: 'a.b.c' }));
    expect(rows.length).toBeGreaterThan(0);
    store.stageBatch(job.id, rows);
    store.saveJobTables(job.id, [{ ...LAYOUTS['dbo.T'], schema: 'a.b', name: 'c' }]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'restore', all: true });
    // the target has [a].[b.c] only: its catalog row reads `a.b.c` too
    const other: TargetTable = { ...fromLayout(LAYOUTS['dbo.T']), schema: 'a', name: 'b.c' };
    target = new FakeTarget(join(dir, 'target.db'), new Map([['a.b.c', other]]));
    const svc = new ReinsertService(store, { connect: () => target! });
    let script = '';
    let code = '';
    try {
      script = (await svc.dryRun(job.id, 'rev', { target: { connectionString: 'Server=fake' } })).script;
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(script).not.toContain('INSERT INTO [a].[b.c]');
    expect(code).toBe('INPUT_AMBIGUOUS_NAME');
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

  it('their rows (staged under one name, a.b.c) are not planned into either table: which one each came from is not known', async () => {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    const rows = corpusRows(40).filter((r) => r.table === 'dbo.T').map((r) => ({ ...r, table: 'a.b.c' }));
    store.stageBatch(job.id, rows);
    // the catalog of the source (SYNTHETIC): [a.b].[c] and [a].[b.c], saved together as a scan saves them
    store.saveJobTables(job.id, [{ ...LAYOUTS['dbo.T'], schema: 'a.b', name: 'c' }, { ...LAYOUTS['dbo.T'], schema: 'a', name: 'b.c' }]);
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'restore', all: true });
    const svc = new ReinsertService(store);
    const d = await svc.dryRun(job.id, 'rev', {});
    expect(d.script).not.toMatch(/INSERT INTO \[a/);
    expect(d.plan.problems.length).toBe(rows.length);
    expect(new Set(d.plan.problems.map((p) => p.code))).toEqual(new Set(['REINSERT_AMBIGUOUS_TABLE']));
    expect(d.plan.problems[0].message).toMatch(/\[a\]\.\[b\.c\]/);
    // saved one at a time (a later save of the other table) it is the same
    const job2 = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    store.stageBatch(job2.id, rows);
    store.saveJobTables(job2.id, [{ ...LAYOUTS['dbo.T'], schema: 'a.b', name: 'c' }]);
    store.saveJobTables(job2.id, [{ ...LAYOUTS['dbo.T'], schema: 'a', name: 'b.c' }]);
    store.decide(job2.id, { actor: 'rev', decision: 'approve', reason: 'restore', all: true });
    const d2 = await svc.dryRun(job2.id, 'rev', {});
    expect(d2.script).not.toMatch(/INSERT INTO \[a/);
  });
});
