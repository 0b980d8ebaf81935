import { describe, expect, it } from 'vitest';
import { mergePlans, planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

/**
 * A re-insert script of two-part names ([dbo].[Customers]) runs in whatever database its session is
 * in: SSMS opens the login's default one (often master) or the last used, and a database holding the
 * same tables (another tenant of the CRM, a test copy) took the rows, its row ledger created there
 * too, without a word. The script now names its database and, when its names are two-part, checks
 * DB_NAME() first: RAISERROR and SET NOEXEC ON in another (Microsoft Learn, SET NOEXEC: the
 * statements after it are compiled, not run), SET NOEXEC OFF at its end. SYNTHETIC tables; that
 * NOEXEC stops the batches is a server's behaviour (test/integration/reinsert.test.ts).
 */
const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });
const t: TargetTable = { schema: 'dbo', name: 'Customers', keyColumns: ['Id'], columns: [c('Id', 'int', { nullable: false })] };
const rows = [{ id: 1, table: 'dbo.Customers', lsn: '1', values: { Id: 1 } }];

describe('the re-insert script names its database and runs only there', () => {
  it('two-part names: checks DB_NAME() before anything, stops in another database, ends with SET NOEXEC OFF', () => {
    const script = renderScript(planReinsert(rows, new Map([['dbo.Customers', t]]), []), { database: { name: 'CRM', qualified: false } });
    const check = script.indexOf("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'CRM'");
    expect(check).toBeGreaterThan(-1);
    expect(check).toBeLessThan(script.indexOf('SET XACT_ABORT ON;'));
    expect(script).toContain([
      "IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'CRM'",
      'BEGIN',
      "    RAISERROR(N'rowback: this script re-inserts into database CRM, where its dry run read the tables; it is not run in another: USE [CRM] first. Nothing was inserted.', 16, 1);",
      '    SET NOEXEC ON;',
      'END;',
    ].join('\n'));
    expect(script.trimEnd().endsWith('SET NOEXEC OFF;')).toBe(true);
    expect(script).toContain('INSERT INTO [dbo].[Customers]');
  });

  it('a name with quotes, brackets and % is written as literals (RAISERROR reads % as a format)', () => {
    const script = renderScript(planReinsert(rows, new Map([['dbo.Customers', t]]), []), { database: { name: "O'Brien]100%", qualified: false } });
    expect(script).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'O''Brien]100%'");
    expect(script).toContain("RAISERROR(N'rowback: this script re-inserts into database O''Brien]100%%, where its dry run read the tables; it is not run in another: USE [O''Brien]]100%%] first. Nothing was inserted.', 16, 1);");
  });

  it('compares the database name binary, not in the collation of the database it runs in', () => {
    // DB_NAME() and N'…' are both coercible-default: they compared in the *current* database's
    // collation, so in a case-insensitive database 'tenant' (a case-sensitive server holds both) the
    // check for N'Tenant' passed and the rows went into 'tenant'
    const script = renderScript(planReinsert(rows, new Map([['dbo.Customers', t]]), []), { database: { name: 'Tenant', qualified: false } });
    expect(script).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'Tenant'\nBEGIN");
    expect(script).not.toMatch(/IF DB_NAME\(\) <>/);
  });

  it('a name sqlcmd would read as its own command is not written into the check: said instead', () => {
    const script = renderScript(planReinsert(rows, new Map([['dbo.Customers', t]]), []), { database: { name: 'CRM$(x)', qualified: false } });
    expect(script).not.toContain('DB_NAME()');
    expect(script).toMatch(/-- WARNING: the target database's name holds a line break or a dollar sign before a parenthesis \(sqlcmd reads those as its own\), which cannot be written into this script safely/);
    expect(script).not.toContain('$(');
    expect(script).not.toContain('DB_NAME()'); // no database check (the NOEXEC of the trigger check, tables' triggers unread, is instead-of-trigger-offline.test.ts's)
  });

  it('three-part names: the database is named, no check is needed', () => {
    const script = renderScript(planReinsert(rows, new Map([['dbo.Customers', t]]), [], { database: 'Side' }), { database: { name: 'Side', qualified: true } });
    expect(script).toContain('-- database: Side (every table is named with it: the script runs from any database of the server)');
    expect(script).not.toContain('DB_NAME()'); // no database check (the NOEXEC of the trigger check, tables' triggers unread, is instead-of-trigger-offline.test.ts's)
    expect(script).toContain('INSERT INTO [Side].[dbo].[Customers]');
  });

  it('the undo checks its database alike (it deleted rows of the same keys in whatever database the session was in)', () => {
    const plan = planReinsert(rows, new Map([['dbo.Customers', t]]), []);
    plan.database = { name: 'CRM', qualified: false };
    const undo = renderUndoScript(plan);
    expect(undo.indexOf("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'CRM'")).toBeLessThan(undo.indexOf('DELETE FROM [dbo].[Customers]'));
    expect(undo).toContain("RAISERROR(N'rowback undo: this script deletes rows re-inserted into database CRM; it is not run in another: USE [CRM] first. Nothing was deleted.', 16, 1);");
    expect(undo.trimEnd().endsWith('SET NOEXEC OFF;')).toBe(true);
    // the plan's database is the default of the forward script too; an option overrides it
    expect(renderScript(plan)).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'CRM'");
    expect(renderScript(plan, { database: null })).not.toContain('DB_NAME()');
    plan.database = null;
    expect(renderUndoScript(plan)).toMatch(/^-- WARNING: this undo names tables by schema and name only and does not know the database the rows were put into/m);
  });

  it('merged plans (an export over several runs) keep a database only when it is one, or each names its own', () => {
    const p = (d: { name: string; qualified: boolean } | null) => ({ ...planReinsert(rows, new Map([['dbo.Customers', t]]), []), database: d });
    expect(mergePlans([p({ name: 'CRM', qualified: false }), p({ name: 'CRM', qualified: false })]).database).toEqual({ name: 'CRM', qualified: false });
    expect(mergePlans([p({ name: 'A', qualified: true }), p({ name: 'B', qualified: true })]).database).toEqual({ name: 'A, B', qualified: true });
    expect(mergePlans([p({ name: 'A', qualified: false }), p({ name: 'B', qualified: false })]).database).toBeNull();
    expect(mergePlans([p({ name: 'A', qualified: true }), p(null)]).database).toBeNull();
  });

  it('not planned against a target: a WARNING to run it in the database the rows go back to', () => {
    const script = renderScript(planReinsert(rows, new Map([['dbo.Customers', t]]), []));
    expect(script).toMatch(/^-- WARNING: this script names tables by schema and name only and was not planned against a target database: it inserts into the database the session is in/m);
    expect(script).not.toContain('DB_NAME()'); // no database check (the NOEXEC of the trigger check, tables' triggers unread, is instead-of-trigger-offline.test.ts's)
  });
});

describeCorpus('a dry run against a target checks the database its catalog was read in', () => {
  const env = storeAndTarget('rowback-script-db-');
  const approved = () => {
    const job = env.store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    env.store.stageBatch(job.id, corpusRows(20));
    env.store.saveJobTables(job.id, Object.values(LAYOUTS));
    env.store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    return job.id;
  };

  it('the connection\'s database (none named: the login\'s default, as DB_NAME() said) is checked; a target database is named', async () => {
    const jobId = approved();
    env.target.database = 'CRM';
    const svc = new ReinsertService(env.store, { connect: () => env.target });
    const dry = await svc.dryRun(jobId, 'op', { target: { connectionString: 'Server=fake' } });
    expect(dry.script).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'CRM'");
    const named = await svc.dryRun(jobId, 'op', { target: { connectionString: 'Server=fake', database: 'CRM_Side' } });
    expect(named.script).toContain('-- database: CRM_Side (every table is named with it');
    expect(named.script).not.toContain('DB_NAME()');
    // a target that does not say where it read: the connection string's Database names it
    env.target.database = null;
    const fromString = await svc.dryRun(jobId, 'op', { target: { connectionString: 'Server=fake;Database=Tenant7' } });
    expect(fromString.script).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'Tenant7'");
    // the undo of a real run, written when it ends, checks the database the run went into
    env.target.database = 'CRM';
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake' } });
    await svc.wait(run.id);
    const undo = svc.getRun(run.id)!;
    expect(undo.state).toBe('succeeded');
    const undoScript = (env.store.db.prepare('SELECT undo_script FROM reinsert_runs WHERE id = ?').get(run.id) as { undo_script: string }).undo_script;
    expect(undoScript).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'CRM'");
    expect(dry.undoScript).toContain("IF DB_NAME() COLLATE Latin1_General_BIN2 <> N'CRM'");
    // offline (no target): the warning
    const offline = await svc.dryRun(jobId, 'op', {});
    expect(offline.script).toContain('-- WARNING: this script names tables by schema and name only');
  });
});
