import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { insteadOfTriggersFromCatalog, insteadOfInsertRefusal, targetInsteadOfTriggersSql } from '../../src/reinsert/target-triggers.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget, targetTables } from './fake-target.js';

/**
 * A target table with an enabled INSTEAD OF INSERT trigger: SQL Server runs the trigger in place of
 * rowback's INSERT (Microsoft Learn, CREATE TRIGGER: INSTEAD OF "overrid[es] the actions of the
 * triggering statements"), and the statement succeeds whatever the trigger did. A run put the rows
 * "in", recorded them in the row ledger and marked them `reinserted`, while the target held none of
 * them (the fake target models a trigger that puts nothing in). Such rows are now refused by the
 * planner (REINSERT_INSTEAD_OF_TRIGGER), naming the trigger and how to go on; a table whose
 * trigger is disabled is not read as having one (the catalog query reads enabled ones only). The
 * undo script warns of an INSTEAD OF DELETE trigger, which would run in place of its DELETE.
 * Rows: the corpus examples (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull per 60.
 */
describeCorpus('re-insert into a table with an INSTEAD OF INSERT trigger: refused, not recorded as put back', () => {
  const withTriggers = (insert: string[], del: string[] = []) => () => {
    const m = targetTables();
    const t = m.get('dbo.LogTestTrailNull')!;
    m.set('dbo.LogTestTrailNull', { ...t, insteadOfTriggers: { insert, delete: del } });
    return m;
  };
  const env = storeAndTarget('rowback-instead-of-', withTriggers(['trg_Trail_ins']));
  const spec = { connectionString: 'Server=fake;Password=never-stored', database: 'CRM' };
  const inTarget = () => (env.target.db.prepare("SELECT count(*) AS n FROM target_rows WHERE row_id IS NOT NULL AND tbl LIKE '%LogTestTrailNull%'").get() as { n: number }).n;

  it('the dry run names each row and the trigger; a real run sends none of them and marks none reinserted', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const dry = await svc.dryRun(job, 'op', { target: spec });
    const problems = dry.plan.problems.filter((p) => p.code === 'REINSERT_INSTEAD_OF_TRIGGER');
    expect(problems).toHaveLength(10);
    expect(dry.plan.batches.flatMap((b) => b.rows)).toHaveLength(0);
    expect(problems[0]!.message).toBe(`row ${problems[0]!.rowId}: [dbo].[LogTestTrailNull] has an enabled INSTEAD OF INSERT trigger ([trg_Trail_ins]): SQL Server runs it in place of rowback's INSERT, which may put the row in changed, elsewhere or not at all while the run records it as put back; disable it for the re-insert (ALTER TABLE [dbo].[LogTestTrailNull] DISABLE TRIGGER [trg_Trail_ins]; ENABLE TRIGGER after), or re-insert into a side table (tableMap)`);
    const run = await svc.start(job, 'op', { dryRun: false, target: spec }).catch((e: unknown) => e);
    // nothing to put back: refused, or a run that inserts nothing; either way no row is called reinserted
    if (!(run instanceof Error)) {
      await svc.wait((run as { id: number }).id);
      expect(svc.getRun((run as { id: number }).id)!.outcomes.inserted).toBe(0);
    }
    const statuses = env.store.db.prepare("SELECT DISTINCT status FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull'").all(job) as { status: string }[];
    expect(statuses.map((s) => s.status)).toEqual(['approved']);
    expect(inTarget()).toBe(0);
  });

  it('into a side table without the trigger: put back, as before', async () => {
    const svc = new ReinsertService(env.store, { connect: () => env.connectWith(new Map([...withTriggers(['trg_Trail_ins'])(), ['dbo.Trail_check', { ...targetTables().get('dbo.LogTestTrailNull')!, schema: 'dbo', name: 'Trail_check', insteadOfTriggers: { insert: [], delete: [] } }]])) });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const run = await svc.start(job, 'op', { dryRun: false, target: spec, tableMap: { 'dbo.LogTestTrailNull': 'dbo.Trail_check' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes.inserted).toBe(10);
  });

  it('the catalog: enabled INSTEAD OF INSERT / DELETE triggers by table, read as none where a table has none', () => {
    const sqlText = targetInsteadOfTriggersSql(2);
    expect(sqlText).toContain('tr.is_disabled = 0 AND (tr.is_instead_of_trigger = 1 OR te.type = 1)');
    expect(sqlText).toContain('te.type IN (1, 3)');
    expect(sqlText).toContain('IN (@n0, @n1)');
    expect(sqlText).not.toMatch(/OPENJSON|STRING_AGG|CONCAT/);
    const tables = new Map<string, TargetTable>([
      ['dbo.A', { schema: 'dbo', name: 'A', columns: [], keyColumns: [] }],
      ['dbo.B', { schema: 'dbo', name: 'B', columns: [], keyColumns: [] }],
    ]);
    insteadOfTriggersFromCatalog(tables, [
      { schema: 'dbo', table: 'A', trigger: 'z_ins', event_type: 1 },
      { schema: 'dbo', table: 'A', trigger: 'a]ins', event_type: 1 },
      { schema: 'dbo', table: 'A', trigger: 'a]ins', event_type: 3 },
      { schema: 'dbo', table: 'Other', trigger: 'x', event_type: 1 },
    ]);
    expect(tables.get('dbo.A')!.insteadOfTriggers).toEqual({ insert: ['a]ins', 'z_ins'], delete: ['a]ins'] });
    expect(tables.get('dbo.B')!.insteadOfTriggers).toEqual({ insert: [], delete: [] });
    expect(insteadOfInsertRefusal(tables.get('dbo.B')!)).toBeNull();
    // names quoted as T-SQL names wherever they appear
    expect(insteadOfInsertRefusal(tables.get('dbo.A')!)).toContain('2 enabled INSTEAD OF INSERT triggers ([a]]ins], [z_ins])');
    expect(insteadOfInsertRefusal(tables.get('dbo.A')!)).toContain('ALTER TABLE [dbo].[A] DISABLE TRIGGER [a]]ins], [z_ins]');
  });
});

describeCorpus('the undo script of a table with an INSTEAD OF DELETE trigger warns before it runs', () => {
  const env = storeAndTarget('rowback-instead-of-delete-', () => {
    const m = targetTables();
    m.set('dbo.LogTestTrailNull', { ...m.get('dbo.LogTestTrailNull')!, insteadOfTriggers: { insert: [], delete: ['trg_Trail_del'] } });
    return m;
  });
  const spec = { connectionString: 'Server=fake;Password=never-stored', database: 'CRM' };

  it('the run puts the rows back; its undo script names the trigger', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const run = await svc.start(job, 'op', { dryRun: false, target: spec });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.outcomes.inserted).toBe(10);
    const undo = svc.script(run.id)?.undoScript ?? '';
    expect(undo).toContain('-- WARNING: [CRM].[dbo].[LogTestTrailNull] has an enabled INSTEAD OF DELETE trigger ([trg_Trail_del]): SQL Server runs it in place of this script\'s DELETE');
  });
});
