/**
 * An enabled AFTER INSERT trigger on a target table runs with every INSERT that puts a row back
 * (Microsoft Learn, CREATE TRIGGER: AFTER triggers fire once the triggering statement has
 * succeeded), and what it writes elsewhere (an audit table, a counter, a queue) it writes for every
 * re-inserted row; no undo takes that back. rowback read INSTEAD OF triggers only ("AFTER triggers
 * run after the row is in as sent (not read)"): the script's head and the run's summary said nothing
 * of it, and a DBA ran the script not knowing. Not refused (such a trigger is usually how the rows
 * went in the first time): now read with the INSTEAD OF ones (targetInsteadOfTriggersSql) and named,
 * with the ALTER TABLE … DISABLE TRIGGER that would put the rows back without it, in the script's
 * head (a WARNING line) and the run's summary (`afterInsertTriggers`); planned without the target,
 * the script names an enabled one where it runs (a severity-10 message before anything is inserted)
 * and goes on. Rows: the corpus examples (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull per
 * 60; the trigger and the offline tables are SYNTHETIC. Read as T-SQL (no SQL Server runs here).
 */
import { describe, expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import { insteadOfTriggersFromCatalog, targetInsteadOfTriggersSql } from '../../src/reinsert/target-triggers.js';
import type { SqlTypeName } from '../../src/reconstruct/metadata/table-layout.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget, targetTables } from './fake-target.js';

const WARNING = "WARNING: [CRM].[dbo].[LogTestTrailNull] has an enabled AFTER INSERT trigger ([trg_Trail_audit]): SQL Server runs it with each INSERT that puts a row back (after the row is in, as sent), so whatever it writes elsewhere (an audit table, a counter, a queue) is written again for every re-inserted row, and no undo takes that back. Usually wanted (it is how the rows went in the first time); read it before running. To put the rows back without it: ALTER TABLE [CRM].[dbo].[LogTestTrailNull] DISABLE TRIGGER [trg_Trail_audit]; ENABLE TRIGGER after";

describeCorpus('re-insert into a table with an enabled AFTER INSERT trigger: put back, and said', () => {
  const env = storeAndTarget('rowback-after-insert-', () => {
    const m = targetTables();
    const t = m.get('dbo.LogTestTrailNull')!;
    m.set('dbo.LogTestTrailNull', { ...t, insteadOfTriggers: { insert: [], delete: [] }, afterInsertTriggers: ['trg_Trail_audit'] });
    return m;
  });
  const spec = { connectionString: 'Server=fake;Password=never-stored', database: 'CRM' };

  it("the dry run's script head and summary name the table and the trigger; the real run puts the rows back and its summary says so too", async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const job = approvedTrailJob(env.store, corpusRows(60));
    const dry = await svc.dryRun(job, 'op', { target: spec });
    expect(dry.plan.problems.filter((p) => p.code === 'REINSERT_INSTEAD_OF_TRIGGER')).toHaveLength(0);
    const head = dry.script.slice(0, dry.script.indexOf('BEGIN TRANSACTION;'));
    expect(head).toContain(`-- ${WARNING}\n`);
    expect(dry.script.match(/AFTER INSERT trigger \(/g)).toHaveLength(1);
    expect(dry.run.summary!.afterInsertTriggers).toEqual([{ table: '[CRM].[dbo].[LogTestTrailNull]', triggers: ['trg_Trail_audit'], warning: WARNING }]);
    const run = await svc.start(job, 'op', { dryRun: false, target: spec });
    await svc.wait(run.id);
    const done = svc.getRun(run.id)!;
    expect(done.outcomes.inserted).toBe(10);
    expect(done.summary!.afterInsertTriggers).toEqual([{ table: '[CRM].[dbo].[LogTestTrailNull]', triggers: ['trg_Trail_audit'], warning: WARNING }]);
  });

  it('the catalog: enabled AFTER INSERT triggers read with the INSTEAD OF ones; AFTER DELETE rows are not theirs', () => {
    const sqlText = targetInsteadOfTriggersSql(1);
    expect(sqlText).toContain('tr.is_instead_of_trigger AS instead_of');
    expect(sqlText).toContain('WHERE tr.parent_class = 1 AND tr.is_disabled = 0 AND (tr.is_instead_of_trigger = 1 OR te.type = 1)');
    const tables = new Map<string, TargetTable>([
      ['dbo.A', { schema: 'dbo', name: 'A', columns: [], keyColumns: [] }],
      ['dbo.B', { schema: 'dbo', name: 'B', columns: [], keyColumns: [] }],
    ]);
    insteadOfTriggersFromCatalog(tables, [
      { schema: 'dbo', table: 'A', trigger: 'z_audit', event_type: 1, instead_of: false },
      { schema: 'dbo', table: 'A', trigger: 'a]queue', event_type: 1, instead_of: 0 },
      { schema: 'dbo', table: 'A', trigger: 'del_after', event_type: 3, instead_of: false },
      { schema: 'dbo', table: 'A', trigger: 'io_ins', event_type: 1, instead_of: true },
    ]);
    expect(tables.get('dbo.A')!.afterInsertTriggers).toEqual(['a]queue', 'z_audit']);
    expect(tables.get('dbo.A')!.insteadOfTriggers).toEqual({ insert: ['io_ins'], delete: [] });
    expect(tables.get('dbo.B')!.afterInsertTriggers).toEqual([]);
  });
});

const column = (name: string, type: SqlTypeName, o: Partial<TargetColumn> = {}): TargetColumn => ({
  name, type, maxLength: type === 'int' ? 4 : 80, precision: type === 'int' ? 10 : 0, scale: 0,
  nullable: true, identity: false, computed: false, ...o,
});
const table = (name: string): [string, TargetTable] => [`crm.${name}`, {
  schema: 'crm', name, keyColumns: ['Id'], keyIndex: { name: 'PK', primaryKey: true },
  columns: [column('Id', 'int', { nullable: false }), column('Email', 'nvarchar')], uniqueKeys: [],
}];
const row = (id: number, t: string): PlanInputRow => ({ id, table: t, lsn: `0000002a:00000100:${id.toString(16).padStart(4, '0')}`, values: { Id: id, Email: `c${id}@x.test` }, operation: 'delete', fromLog: true });

describe("a re-insert script planned without the target's triggers and its AFTER INSERT ones (SYNTHETIC tables)", () => {
  it('names an enabled one on each table where it runs, before anything is inserted, and goes on', () => {
    const script = renderScript(planReinsert([row(1, "crm.O'k]%s")], new Map([table("O'k]%s"), table('Back')]), [], { database: 'C]RM', tableMap: { "crm.O'k]%s": 'crm.Back' } }));
    const lines = script.split('\n');
    const at = lines.findIndex((l) => l.startsWith('DECLARE @rowback_after_insert1 '));
    expect(lines.slice(at - 1, at + 2)).toEqual([
      '-- AFTER INSERT triggers: looked for where the script runs too; it names an enabled one on each of its tables (a message, severity 10) and goes on: such a trigger runs with each INSERT, and what it writes elsewhere is written for every row put back',
      "DECLARE @rowback_after_insert1 nvarchar(300) = (SELECT TOP (1) QUOTENAME(tr.name) FROM [C]]RM].sys.triggers AS tr JOIN [C]]RM].sys.trigger_events AS te ON te.object_id = tr.object_id AND te.type = 1 WHERE tr.parent_class = 1 AND tr.parent_id = OBJECT_ID(N'[C]]RM].[crm].[Back]', N'U') AND tr.is_instead_of_trigger = 0 AND tr.is_disabled = 0 ORDER BY tr.name);",
      "IF @rowback_after_insert1 IS NOT NULL RAISERROR(N'rowback: WARNING: [C]]RM].[crm].[Back] has an enabled AFTER INSERT trigger, %s (the first by name; there may be more), which SQL Server runs with each INSERT of this script, after the row is in: whatever it writes elsewhere (an audit table, a counter, a queue) is written again for every re-inserted row, and no undo takes that back. This is a notice, not a stop: the script goes on and its INSERTs run the trigger (by the time this is read they have run; a rerun inserts no row the row ledger holds). To put rows back without it, ALTER TABLE [C]]RM].[crm].[Back] DISABLE TRIGGER %s before running the script (ENABLE TRIGGER after)', 10, 1, @rowback_after_insert1, @rowback_after_insert1) WITH NOWAIT;",
    ]);
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('CREATE TABLE'))); // the row ledger's (the tables-seen checks before are IF OBJECT_ID too)
    expect(at).toBeLessThan(lines.indexOf('BEGIN TRANSACTION;'));
    expect(script.match(/DECLARE @rowback_after_insert/g)).toHaveLength(1);
    // the batch runs on at once: the notice is read after the INSERTs, so it promises no pause
    expect(script).not.toMatch(/Nothing is inserted yet|stop the script/);
  });

  it('a % in a table name is not a RAISERROR format', () => {
    const script = renderScript(planReinsert([row(1, 'crm.Pct%s')], new Map([table('Pct%s')]), []));
    expect(script).toContain("RAISERROR(N'rowback: WARNING: [crm].[Pct%%s] has an enabled AFTER INSERT trigger, %s (the first");
    expect(script).toContain("OBJECT_ID(N'[crm].[Pct%s]', N'U') AND tr.is_instead_of_trigger = 0");
  });
});
