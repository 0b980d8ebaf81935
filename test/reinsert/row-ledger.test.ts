import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planReinsert, quotedRowLedger, renderScript, renderUndoScript, rowLedgerKey } from '../../src/reinsert/plan.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget, targetTables } from './fake-target.js';

/**
 * Never twice, whoever put the row back: the target keeps a row ledger (`<ledger>_rows`: the
 * target table and LSN of each deleted row put back), written in the transaction that inserts the
 * row by rowback's runs and by its scripts run by hand. The staging store only knows its own jobs'
 * runs (other-jobs.ts): the same deleted rows staged in a second staging file (or in one deleted
 * and made again), or a script run by hand, went into a key-less table a second time.
 * Rows: the corpus examples (test/staging/fixtures.ts), dbo.LogTestTrailNull (no key).
 */
describeCorpus('the target\'s row ledger: never twice across staging files and scripts', () => {
  const env = storeAndTarget('rowback-row-ledger-');
  const connect = env.connect;
  const store = env.storeNamed;
  const target = { connectionString: 'Server=crm-sql;Password=x', database: 'crm' };

  it('a second staging file with the same deleted rows puts none of them back again', async () => {
    const a = store('a.db');
    const svcA = new ReinsertService(a, { connect });
    const runA = await svcA.start(approvedTrailJob(a, corpusRows(60)), 'op', { dryRun: false, target, batchSize: 4 });
    await svcA.wait(runA.id);
    const check = connect();
    expect(check.counts().rows).toBe(10);

    const b = store('b.db');
    const svcB = new ReinsertService(b, { connect });
    const runB = await svcB.start(approvedTrailJob(b, corpusRows(60)), 'op', { dryRun: false, target, batchSize: 4 });
    await svcB.wait(runB.id);
    expect(check.counts().rows).toBe(10);
    const run = svcB.getRun(runB.id)!;
    expect(run.state).toBe('failed');
    const batches = svcB.batches(runB.id);
    expect(batches.every((x) => x.state === 'failed')).toBe(true);
    const detail = JSON.parse((b.db.prepare("SELECT detail FROM reinsert_outcomes WHERE run_id = ? AND outcome = 'error' ORDER BY row_id LIMIT 1").get(runB.id) as { detail: string }).detail) as { code: string; message: string };
    expect(detail.code).toBe('REINSERT_ALREADY_REINSERTED');
    expect(detail.message).toMatch(/^batch 1 of run 1 not run: row \d+ \(LSN [0-9a-f:]+\) was already put back into dbo\.LogTestTrailNull by rowback batch rowback-1-1-[0-9a-f]+ \(run 1 of the staging file that ran it\), as the target's row ledger \[crm\]\.\[dbo\]\.\[rowback_reinsert_ledger_rows\] records \(and 3 more row\(s\) of the batch: [\d, ]+\); nothing of the batch was inserted/);
  });

  it('a row a script put back by hand (its row-ledger entry) is not put back by a run; the rest go in', async () => {
    const a = store('a.db');
    const job = approvedTrailJob(a, corpusRows(60));
    const first = a.db.prepare("SELECT id, lsn FROM rows WHERE job_id = ? AND status = 'approved' ORDER BY id LIMIT 1").get(job) as { id: number; lsn: string };
    const t = connect();
    t.seedRowLedger('[crm].[dbo].[rowback_reinsert_ledger_rows]', rowLedgerKey('dbo.LogTestTrailNull', first.lsn));
    const svc = new ReinsertService(a, { connect });
    const run = await svc.start(job, 'op', { dryRun: false, target, batchSize: 1 });
    await svc.wait(run.id);
    expect(t.counts().rows).toBe(9);
    const failed = svc.batches(run.id).filter((x) => x.state === 'failed');
    expect(failed).toHaveLength(1);
    const detail = JSON.parse((a.db.prepare("SELECT detail FROM reinsert_outcomes WHERE run_id = ? AND outcome = 'error'").get(run.id) as { detail: string }).detail) as { message: string };
    expect(detail.message).toContain(`row ${first.id} (LSN ${first.lsn}) was already put back into dbo.LogTestTrailNull by a rowback script run by hand (script)`);
    // the 9 rows put back are recorded beside the script's entry
    expect(t.db.prepare('SELECT count(*) AS n FROM row_ledger').get()).toEqual({ n: 10 });
  });
});

describe('the script keeps the row ledger as the run does', () => {
  const tables = targetTables();
  const fromLog = { id: 1, table: 'dbo.LogTestTrailNull', lsn: '0000002A:000001F0:0003', values: { Id: 1, ColA: 'a', ColB: null }, operation: 'delete', fromLog: true };
  const compared = { id: 2, table: 'dbo.LogTestTrailNull', lsn: 'state:00000001', values: { Id: 2, ColA: "it's", ColB: null }, operation: 'delete', fromLog: false };

  it('creates it when missing, checks and records each row recovered from a delete in its transaction; a comparison row planned without its job keys (comparison-keys.ts, read from the store: comparison-row-ledger.test.ts) has none', () => {
    const plan = planReinsert([fromLog, compared], tables, [], { database: "side'db" });
    expect(plan.batches[0]!.rowLedger).toBe("[side'db].[dbo].[rowback_reinsert_ledger_rows]");
    expect(plan.batches[0]!.rows.map((r) => r.rowKey)).toEqual(['dbo.logtesttrailnull|0000002a:000001f0:0003', null]);
    const s = renderScript(plan, { ledgerBatch: "script of dry run 7", ledgerRunId: 7 });
    const L = "[side'db].[dbo].[rowback_reinsert_ledger_rows]";
    expect(s).toContain(`IF OBJECT_ID(N'[side''db].[dbo].[rowback_reinsert_ledger_rows]', N'U') IS NULL\nCREATE TABLE ${L} (row_key nvarchar(400) NOT NULL PRIMARY KEY,`);
    const row1 = s.slice(s.indexOf('-- row 1, LSN'), s.indexOf('-- row 2, LSN'));
    expect(row1).toContain(`IF EXISTS (SELECT 1 FROM ${L} WITH (UPDLOCK, HOLDLOCK) WHERE row_key = N'dbo.logtesttrailnull|0000002a:000001f0:0003')\n    PRINT N'row 1: already put back into dbo.LogTestTrailNull (the row ledger holds its delete, LSN 0000002A:000001F0:0003): not inserted again';\nELSE\nBEGIN\n    INSERT INTO [side'db].[dbo].[LogTestTrailNull]`);
    expect(row1).toContain(`    INSERT INTO ${L} (row_key, batch_key, run_id, row_id) VALUES (N'dbo.logtesttrailnull|0000002a:000001f0:0003', N'script of dry run 7', 7, 1);\nEND`);
    const row2 = s.slice(s.indexOf('-- row 2, LSN'));
    expect(row2).not.toContain('rowback_reinsert_ledger_rows');
    // every BEGIN has its END
    expect((s.match(/^BEGIN$/gm) ?? []).length).toBe((s.match(/^END$/gm) ?? []).length);
  });

  it("a row recovered from an insert or an update, put back on purpose (operations), is said as one: its PRINT said 'the row ledger holds its delete' of an insert's LSN", () => {
    // SYNTHETIC rows: the fromLog row above, recovered from an insert and from an update
    const inserted = { ...fromLog, id: 3, operation: 'insert' };
    const updated = { ...fromLog, id: 4, lsn: '0000002A:000001F8:0002', values: { Id: 4, ColA: 'b', ColB: null }, operation: 'update' };
    const plan = planReinsert([fromLog, inserted, updated], tables, [], { operations: ['delete', 'insert', 'update'] });
    const s = renderScript(plan, { ledgerBatch: 'script', ledgerRunId: 0 });
    expect(s).toContain("PRINT N'row 1: already put back into dbo.LogTestTrailNull (the row ledger holds its delete, LSN 0000002A:000001F0:0003): not inserted again';");
    expect(s).toContain("PRINT N'row 3: already put back into dbo.LogTestTrailNull (the row ledger holds its insert, LSN 0000002A:000001F0:0003): not inserted again';");
    expect(s).toContain("PRINT N'row 4: already put back into dbo.LogTestTrailNull (the row ledger holds its update, LSN 0000002A:000001F8:0002): not inserted again';");
    expect(s).toContain('-- never twice: each row recovered from the log is looked up in');
    // the undo names the LSN alone, whatever the operation
    expect(renderUndoScript(plan, { onlyLedgered: true })).toContain("PRINT N'row 3: not deleted: the row ledger holds no entry for it (LSN 0000002A:000001F0:0003)");
  });

  it("the undo's head says of the rows it deletes what they are: it said 'a row recovered from a delete' of an insert's and an update's rows too", () => {
    // SYNTHETIC rows: the fromLog row above, recovered from an insert and from an update
    const inserted = { ...fromLog, id: 3, lsn: '0000002A:000001F8:0001', operation: 'insert' };
    const updated = { ...fromLog, id: 4, lsn: '0000002A:000001F8:0002', values: { Id: 4, ColA: 'b', ColB: null }, operation: 'update' };
    const u = renderUndoScript(planReinsert([inserted, updated], tables, [], { operations: ['insert', 'update'] }), { onlyLedgered: true });
    expect(u).toContain('-- deletes a row recovered from the log only when the target\'s row ledger');
    expect(u).not.toMatch(/recovered from a delete/);
  });

  it('the undo takes each row it deletes out of the row ledger (so it may be put back again), only once it deleted it', () => {
    const plan = planReinsert([fromLog], tables, [], {});
    const u = renderUndoScript(plan);
    const i = u.indexOf('IF @@ROWCOUNT <> 1');
    const j = u.indexOf("DELETE FROM [dbo].[rowback_reinsert_ledger_rows] WHERE row_key = N'dbo.logtesttrailnull|0000002a:000001f0:0003';");
    expect(i).toBeGreaterThan(0);
    expect(j).toBeGreaterThan(i);
    expect(u.slice(j - 200, j)).toContain("IF OBJECT_ID(N'[dbo].[rowback_reinsert_ledger_rows]', N'U') IS NOT NULL ");
  });

  it('the undo of a dry run deletes a row only when the row ledger says it was put back: a conflict the script skipped is left', () => {
    // newcomer: the dry run's undo deleted by key alone; run after its script by hand, it deleted the
    // row already there (the script's conflict, PRINTed and not inserted), one rowback never put in
    const plan = planReinsert([fromLog, compared], tables, [], {});
    const L = '[dbo].[rowback_reinsert_ledger_rows]';
    const u = renderUndoScript(plan, { onlyLedgered: true });
    const begin = u.indexOf('BEGIN TRANSACTION;');
    expect(u.slice(0, begin)).toContain(`IF OBJECT_ID(N'${L}', N'U') IS NULL BEGIN RAISERROR(N'rowback undo: the row ledger ${L} does not exist here`);
    const row1 = u.slice(u.indexOf('-- row 1, LSN'));
    const guard = row1.indexOf(`IF EXISTS (SELECT 1 FROM ${L} WITH (UPDLOCK, HOLDLOCK) WHERE row_key = N'dbo.logtesttrailnull|0000002a:000001f0:0003')\nBEGIN\n    DELETE`);
    expect(guard).toBeGreaterThan(0);
    expect(row1.indexOf('DELETE')).toBeGreaterThan(guard);
    expect(row1).toContain(`    DELETE FROM ${L} WHERE row_key = N'dbo.logtesttrailnull|0000002a:000001f0:0003';\nEND\nELSE\n    PRINT N'row 1: not deleted: the row ledger holds no entry for it`);
    // a comparison row has no ledger key: deleted as before
    const row2 = u.slice(u.indexOf('-- row 2, LSN'), u.indexOf('-- row 1, LSN'));
    expect(row2).not.toContain('rowback_reinsert_ledger_rows');
    expect((u.match(/^BEGIN$/gm) ?? []).length).toBe((u.match(/^END$/gm) ?? []).length);
    // a real run's undo (its rows known from its ledger) is unchanged
    expect(renderUndoScript(plan)).not.toContain(`IF EXISTS (SELECT 1 FROM ${L}`);
  });

  it('the dry run hands back that guarded undo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-row-ledger-dry-'));
    const s = new StagingStore(join(dir, 's.db'));
    try {
      const svc = new ReinsertService(s, { connect: () => { throw new Error('no target in a dry run'); } });
      const d = await svc.dryRun(approvedTrailJob(s, corpusRows(60)), 'rev', {});
      expect(d.undoScript).toContain('IF EXISTS (SELECT 1 FROM [dbo].[rowback_reinsert_ledger_rows] WITH (UPDLOCK, HOLDLOCK) WHERE row_key = N');
      expect(d.undoScript).toContain('a row the script skipped as a conflict is left');
    } finally {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a ledger table name too long to add _rows to is refused, naming it', () => {
    expect(() => quotedRowLedger(`dbo.${'x'.repeat(124)}`)).toThrow(/too long to name its row ledger/);
    expect(quotedRowLedger('audit.my]ledger')).toBe('[audit].[my]]ledger_rows]');
  });
});
