/**
 * A new real run of a job whose earlier run stopped with a batch that may have committed unrecorded
 * (StagingStore.stoppedRunsInDoubt) reads only its own ledger table for it (execute.ts): started with
 * another `ledgerTable` into the same server and database, it did not find the batch and inserted its
 * rows again (breaker G, session 43: a table with no key has nothing to stop it). Now refused, 409
 * REINSERT_LEDGER_IN_DOUBT naming the stopped run, its batch and its ledger table, nothing inserted;
 * the same ledger table, another database, or a plan not holding those rows still runs.
 * Rows: test/staging/fixtures.ts corpusRows (REAL corpus rows); targets: FakeTarget (SQLite stand-ins,
 * SYNTHETIC), whose one ledger serves every ledger name: the refusal is asserted, not the double insert.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, targetTables } from './fake-target.js';
import { statusFor } from '../../src/api/plugins/errors.js';
import type { RowbackError } from '../../src/errors.js';

describeCorpus('a new re-insert run reads the ledger a stopped run in doubt wrote to', () => {
  let dir: string;
  let store: StagingStore;
  let side: FakeTarget;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-other-ledger-'));
    store = new StagingStore(join(dir, 'staging.db'));
    side = new FakeTarget(join(dir, 'side.db'), targetTables());
  });
  afterEach(() => {
    store.close();
    side.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The 10 dbo.LogTestTrailNull rows approved, a run of them (ledger dbo.ledger_a, batches of 3) failed at its second batch's COMMIT. */
  async function stoppedRun(ledgerA = 'dbo.ledger_a'): Promise<{ svc: ReinsertService; jobId: number; runId: number }> {
    const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
    store.stageBatch(job.id, corpusRows(60));
    store.saveJobTables(job.id, Object.values(LAYOUTS));
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.LogTestTrailNull' } });
    // the second batch's COMMIT takes effect and its answer is lost (a connection reset): the batch may
    // have committed, unrecorded (execute.ts mayHaveCommitted)
    let n = 0;
    let lose = true;
    const answerLost = new Proxy(side, {
      get(t, k) {
        if (k === 'session') {
          return async () => {
            const s = await t.session();
            return { ...s, commit: async () => { await s.commit(); if (lose && ++n === 2) throw new Error('Connection lost - read ECONNRESET'); } };
          };
        }
        const v = Reflect.get(t, k) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    const svc = new ReinsertService(store, { connect: () => answerLost });
    const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM;Password=x', ledgerTable: ledgerA }, batchSize: 3 });
    await svc.wait(run.id);
    lose = false;
    expect(svc.getRun(run.id)!.state).toBe('failed');
    expect(store.stoppedRunsInDoubt(job.id).length).toBeGreaterThan(0);
    return { svc, jobId: job.id, runId: run.id };
  }

  it('another ledger table into the same server and database is refused, naming the run, its batch and ledger; nothing inserted', async () => {
    const { svc, jobId, runId } = await stoppedRun();
    const before = side.counts().rows;
    const doubt = store.stoppedRunsInDoubt(jobId).map((b) => b.batchNo);
    for (const ledgerTable of [undefined, 'dbo.ledger_b']) {
      await expect(svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=SIDE;Database=crm;Password=y', ...(ledgerTable ? { ledgerTable } : {}) } })).rejects.toMatchObject({
        code: 'REINSERT_LEDGER_IN_DOUBT',
        location: { field: 'target.ledgerTable' },
        message: expect.stringMatching(new RegExp(`^re-insert run ${runId} of job ${jobId} stopped with batch\\(es\\) ${doubt.join(', ')} \\(\\d+ of the rows this run would insert\\) .* only its ledger table dbo\\.ledger_a can tell; this run's ledger table is ${(ledgerTable ?? 'dbo.rowback_reinsert_ledger').replace('.', '\\.')}, .*resume run ${runId} .*or start this run with ledgerTable dbo\\.ledger_a`)),
      });
    }
    expect(side.counts().rows).toBe(before);
    expect(svc.listRuns(jobId).length).toBe(1); // no run recorded
    // the same ledger table (in another letter case, as SQL Server compares names): runs, reading it first
    // (the batch in doubt is found committed in it and recorded: its rows, planned again by this run,
    // are refused there as no longer approved, REINSERT_ROW_NOT_APPROVED, so this run ends 'failed')
    const ok = await svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable: 'DBO.Ledger_A' } });
    await svc.wait(ok.id);
    expect(side.counts()).toEqual({ rows: 10, distinctRows: 10, duplicates: 0 });
    expect(store.stoppedRunsInDoubt(jobId)).toEqual([]);
    expect((store.db.prepare("SELECT count(*) AS n FROM rows WHERE job_id = ? AND status = 'reinserted'").get(jobId) as { n: number }).n).toBe(10);
  });

  it('a plan without the rows in doubt is no reason; with them it is refused', async () => {
    const { svc, jobId } = await stoppedRun();
    const inDoubt = new Set(store.stoppedRunsInDoubt(jobId).flatMap((b) => JSON.parse(b.rowIds) as number[]));
    const pending = (store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND status = 'pending' ORDER BY id LIMIT 5").all(jobId) as { id: number }[]).map((r) => r.id);
    store.decide(jobId, { actor: 'rev', decision: 'approve', reason: 'r', ids: pending });
    const approved = (store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND status = 'approved' ORDER BY id").all(jobId) as { id: number }[]).map((r) => r.id);
    const others = approved.filter((id) => !inDoubt.has(id));
    expect(others.length).toBeGreaterThan(0);
    // the rows in doubt, the rest of the approved rows: still refused into CRM
    await expect(svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable: 'dbo.ledger_b' } })).rejects.toMatchObject({ code: 'REINSERT_LEDGER_IN_DOUBT' });
    const only = await svc.start(jobId, 'op2', { dryRun: false, rowIds: others, target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable: 'dbo.ledger_b' } });
    await svc.wait(only.id);
    expect(svc.getRun(only.id)!.state).toBe('succeeded');
  });

  it('into another database of the server (not where the batch in doubt may be) is no reason', async () => {
    const { svc, jobId } = await stoppedRun();
    // (FakeTarget's one ledger answers for every ledger name and database, so this run, reading it,
    // also finds the batch in doubt committed: only that it starts is asserted of the guard)
    const run = await svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM_copy;Password=y', ledgerTable: 'dbo.ledger_b' } });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)!.state).not.toBe('running');
    expect(side.counts().duplicates).toBe(0);
  });

  it('the same server by its qualified name is refused; the same ledger table spelled otherwise runs', async () => {
    // (SYNTHETIC spellings) serverSpelling's exact comparison took `side.corp.example` for another
    // server than the stopped run's `side`, and the rows in doubt went in again; `db1` beside
    // `db1.corp.example` may be one server (run-target.ts sameServer), as a resume's place check holds
    const { svc, jobId, runId } = await stoppedRun();
    for (const server of ['side.corp.example', 'tcp:SIDE.corp.example,1433']) {
      await expect(svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: `Server=${server};Database=CRM;Password=y`, ledgerTable: 'dbo.ledger_b' } })).rejects.toMatchObject({
        code: 'REINSERT_LEDGER_IN_DOUBT', message: expect.stringContaining(`re-insert run ${runId} of job ${jobId}`),
      });
    }
    expect(svc.listRuns(jobId).length).toBe(1);
    // another instance is another server: no reason
    const other = await svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side\\other;Database=CRM;Password=y', ledgerTable: 'dbo.ledger_b' } });
    await svc.wait(other.id);
    expect(svc.listRuns(jobId).length).toBe(2);
  });

  it.each(['[dbo].[ledger_a]', 'ledger_a', '[DBO].Ledger_A'])("the stopped run's ledger named %s (SYNTHETIC: the same table, schema dbo when none) is not refused", async (ledgerTable) => {
    const { svc, jobId } = await stoppedRun();
    const run = await svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable } });
    await svc.wait(run.id);
    expect(store.stoppedRunsInDoubt(jobId)).toEqual([]);
    expect(side.counts().duplicates).toBe(0);
  });

  it("a dry run's script checking another ledger says so at its head (run by hand, the rows in doubt could go in twice); with the run's ledger it does not", async () => {
    // the refusal guards a real run only: the dry run's script, run by hand with another ledger's
    // row-ledger check, put the rows of the batch in doubt in again with no word
    const { svc, jobId, runId } = await stoppedRun();
    const doubt = store.stoppedRunsInDoubt(jobId).map((b) => b.batchNo);
    const other = await svc.dryRun(jobId, 'op2', { target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable: 'dbo.ledger_b' } });
    const head = other.script.split('\n').filter((l) => l.startsWith('--')).join('\n');
    expect(head).toMatch(new RegExp(`-- WARNING: \\d+ row\\(s\\) of this script are in a batch a stopped re-insert run of job ${jobId} sent and never recorded, which may have committed: run ${runId} \\(batch\\(es\\) ${doubt.join(', ')}, ledger table dbo\\.ledger_a\\); only that ledger table can tell, and this script checks dbo\\.ledger_b, which does not hold them: run as it is, those rows could go in twice\\. Resume run ${runId} first .*, or dry-run again with target\\.ledgerTable dbo\\.ledger_a`));
    // no target (the script for a target not named): the default ledger, said too
    const none = await svc.dryRun(jobId, 'op2', {});
    expect(none.script).toContain('and this script checks dbo.rowback_reinsert_ledger, which does not hold them');
    // the stopped run's own ledger (spelled otherwise): nothing to say
    const same = await svc.dryRun(jobId, 'op2', { target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable: '[dbo].[Ledger_A]' } });
    expect(same.script).not.toContain('of this script are in a batch a stopped re-insert run');
  });

  it('a ledger table of the same schema.name text but other parts ([a].[b.c] after [a.b].[c], SYNTHETIC) is another table: refused', async () => {
    // the ledgers were compared as `schema.name` text, `a.b.c` for both: the new run went on with a
    // ledger that does not hold the batch in doubt, and its rows could go in twice
    const { svc, jobId, runId } = await stoppedRun('[a.b].[c]');
    await expect(svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable: '[a].[b.c]' } })).rejects.toMatchObject({
      code: 'REINSERT_LEDGER_IN_DOUBT', message: expect.stringContaining(`re-insert run ${runId} of job ${jobId}`),
    });
    // its own ledger spelled in another case is the same table
    const run = await svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM;Password=y', ledgerTable: '[A.B].[C]' } });
    await svc.wait(run.id);
    expect(side.counts().duplicates).toBe(0);
  });

  it('the API answers it 409', async () => {
    const { svc, jobId } = await stoppedRun();
    const e = await svc.start(jobId, 'op2', { dryRun: false, target: { connectionString: 'Server=side;Database=CRM;Password=y' } }).catch((x: unknown) => x);
    expect(statusFor(e as RowbackError)).toBe(409);
    expect(JSON.stringify(e)).not.toContain('Password');
  });
});
