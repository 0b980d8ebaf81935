import { describe, expect, it, vi } from 'vitest';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { OtherJobsReinserts } from '../../src/reinsert/other-jobs.js';
import { sameServer, serverSpelling } from '../../src/reinsert/run-target.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedTrailJob, storeAndTarget, targetTables } from './fake-target.js';

/**
 * Never twice across jobs: one deleted row staged by two jobs of one store (an .ldf scan and a scan
 * of the log backups of the same hours; a log scan and a backup comparison) was re-inserted by each.
 * dbo.LogTestTrailNull has no key, so nothing in the target stopped the second copy.
 * Rows: the corpus examples (test/staging/fixtures.ts), 10 of dbo.LogTestTrailNull per 60.
 */
describeCorpus('re-insert: one deleted row staged by two jobs goes back once', () => {
  const env = storeAndTarget('rowback-other-jobs-');

  const stage = (rows: RecoveredRow[]) => approvedTrailJob(env.store, rows);
  const spec = { connectionString: 'Server=fake;Password=never-stored' };
  /** How many times each deleted row (its LSN, or its values for a comparison row) is in the target. */
  const copies = (): number[] => {
    const ids = (env.target.db.prepare('SELECT row_id FROM target_rows WHERE row_id IS NOT NULL').all() as { row_id: number }[]).map((r) => r.row_id);
    const q = env.store.db.prepare('SELECT lsn, transaction_id, vals FROM rows WHERE id = ?');
    const by = new Map<string, number>();
    for (const id of ids) {
      const r = q.get(id) as { lsn: string; transaction_id: string; vals: string };
      const k = r.transaction_id ? r.lsn : r.vals;
      by.set(k, (by.get(k) ?? 0) + 1);
    }
    return [...by.values()];
  };
  /** corpusRows as a backup comparison stages them: no transaction, `state:<n>` tags. */
  const asComparison = (rows: RecoveredRow[]) => rows.map((r, i) => ({ ...r, transactionId: '', lsn: `state:${String(i + 1).padStart(8, '0')}`, beginTime: null, endTime: null, login: null, spid: null, transactionName: null }));

  it('a row another job put back into the same table is left out of the plan, the dry run and the run (REINSERT_ALREADY_REINSERTED)', async () => {
    const a = stage(corpusRows(60));
    const b = stage(corpusRows(60));
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec, batchSize: 4 });
    await svc.wait(runA.id);
    expect(svc.getRun(runA.id)!.state).toBe('succeeded');
    expect(copies()).toEqual(Array(10).fill(1));

    const dry = await svc.dryRun(b, 'op', { target: spec });
    expect(dry.plan.batches).toHaveLength(0);
    expect(dry.plan.problems).toHaveLength(10);
    expect(new Set(dry.plan.problems.map((p) => p.code))).toEqual(new Set(['REINSERT_ALREADY_REINSERTED']));
    expect(dry.plan.problems[0].message).toMatch(new RegExp(`job ${a}'s row \\d+ also holds, and re-insert run ${runA.id} of job ${a} already put it back into dbo\\.LogTestTrailNull \\(through a connection given in the request\\)`));
    expect(dry.script).toMatch(/REINSERT_ALREADY_REINSERTED/);
    await expect(svc.start(b, 'op', { dryRun: false, target: spec })).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
    expect(copies()).toEqual(Array(10).fill(1));
  });

  it('another delete of equal values (another LSN) and another place are not held back', async () => {
    const a = stage(corpusRows(60));
    const again = stage(corpusRows(60, 6000)); // the same values, deleted again later: other LSNs
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const runA = await svc.start(a, 'op', { dryRun: false, target: { ...spec, database: 'crm' } });
    await svc.wait(runA.id);
    expect((await svc.dryRun(again, 'op', { target: { ...spec, database: 'crm' } })).plan.problems).toEqual([]);
    // the same rows into a side database: another place; the same database in another case: the same
    const b = stage(corpusRows(60));
    expect((await svc.dryRun(b, 'op', { target: { ...spec, database: 'crm_side' } })).plan.batches.flatMap((x) => x.rows)).toHaveLength(10);
    expect((await svc.dryRun(b, 'op', { target: { ...spec, database: 'CRM' } })).plan.batches).toHaveLength(0);
    // a server named differently is another place; a dry run with no target may go anywhere
    expect((await svc.dryRun(b, 'op', { target: { connectionString: 'Server=other;Password=x', database: 'crm' } })).plan.batches.flatMap((x) => x.rows)).toHaveLength(10);
    expect((await svc.dryRun(b, 'op', {})).plan.problems.map((p) => p.code)).toEqual(Array(10).fill('REINSERT_ALREADY_REINSERTED'));
  });

  it('a backup comparison row with the values of a row another job put back is held back; other values are not', async () => {
    const a = stage(corpusRows(60));
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec });
    await svc.wait(runA.id);
    // the ten LogTestTrailNull examples share one value set: every comparison row of it is that row
    const cmp = stage(asComparison(corpusRows(60)));
    const dry = await svc.dryRun(cmp, 'op', { target: spec });
    expect(dry.plan.problems.map((p) => p.code)).toEqual(Array(10).fill('REINSERT_ALREADY_REINSERTED'));
    const changed = stage(asComparison(corpusRows(60)).map((r) => (r.table === 'dbo.LogTestTrailNull' ? { ...r, values: { ...r.values, ColA: `${String(r.values.ColA)}-changed` } } : r)));
    expect((await svc.dryRun(changed, 'op', { target: spec })).plan.problems).toEqual([]);
  });

  it('a tableMap spelled otherwise (key in another case, target bracketed or without schema) is the same side table: held back', async () => {
    const side = () => {
      const m = targetTables();
      const t = m.get('dbo.LogTestTrailNull')!;
      m.set('dbo.TrailSide', { ...t, schema: 'dbo', name: 'TrailSide' });
      return m;
    };
    const connectSide = () => env.connectWith(side());
    const svc = new ReinsertService(env.store, { connect: connectSide });
    const a = stage(corpusRows(60));
    // job A: key in lower case (resolved to dbo.LogTestTrailNull), target bracketed
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec, tableMap: { 'dbo.logtesttrailnull': '[dbo].[TrailSide]' } });
    await svc.wait(runA.id);
    expect(svc.getRun(runA.id)!.state).toBe('succeeded');
    expect(copies()).toEqual(Array(10).fill(1));
    // job B: the same side table, schema omitted
    const b = stage(corpusRows(60));
    for (const tableMap of [{ LogTestTrailNull: 'TrailSide' }, { 'dbo.LogTestTrailNull': 'dbo.trailside' }, { '[dbo].[LogTestTrailNull]': '[dbo].[TrailSide]' }] as Record<string, string>[]) {
      const dry = await svc.dryRun(b, 'op', { target: spec, tableMap });
      expect(dry.plan.batches, JSON.stringify(tableMap)).toHaveLength(0);
      expect(dry.plan.problems.map((p) => p.code)).toEqual(Array(10).fill('REINSERT_ALREADY_REINSERTED'));
    }
    await expect(svc.start(b, 'op', { dryRun: false, target: spec, tableMap: { LogTestTrailNull: 'TrailSide' } })).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
    expect(copies()).toEqual(Array(10).fill(1));
    // the source table itself is another place: not held back
    expect((await svc.dryRun(b, 'op', { target: spec })).plan.batches.flatMap((x) => x.rows)).toHaveLength(10);
  });

  it('the same server spelled otherwise (tcp:, the default port, its short name, localhost) is the same place: held back', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const a = stage(corpusRows(60));
    const runA = await svc.start(a, 'op', { dryRun: false, target: { connectionString: 'Server=fake;Password=x', database: 'crm' } });
    await svc.wait(runA.id);
    const b = stage(corpusRows(60));
    for (const cs of ['Server=tcp:fake,1433;Password=x', 'Data Source=FAKE.corp.example;Password=x', 'Server=fake\\MSSQLSERVER;Password=x']) {
      const dry = await svc.dryRun(b, 'op', { target: { connectionString: cs, database: 'crm' } });
      expect(dry.plan.batches, cs).toHaveLength(0);
    }
    await expect(svc.start(b, 'op', { dryRun: false, target: { connectionString: 'Server=tcp:fake,1433;Password=x', database: 'crm' } })).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
    expect(copies()).toEqual(Array(10).fill(1));
    // localhost, 127.0.0.1, '.' and (local) are one server
    const l = stage(corpusRows(60, 7000));
    const runL = await svc.start(l, 'op', { dryRun: false, target: { connectionString: 'Server=localhost;Password=x', database: 'crm' } });
    await svc.wait(runL.id);
    const l2 = stage(corpusRows(60, 7000));
    for (const cs of ['Server=.;Password=x', 'Server=(local);Password=x', 'Server=127.0.0.1,1433;Password=x']) {
      expect((await svc.dryRun(l2, 'op', { target: { connectionString: cs, database: 'crm' } })).plan.batches, cs).toHaveLength(0);
    }
    // another server, another instance or another port is still another place
    for (const cs of ['Server=other;Password=x', 'Server=fake\\side;Password=x', 'Server=fake,1444;Password=x']) {
      expect((await svc.dryRun(b, 'op', { target: { connectionString: cs, database: 'crm' } })).plan.batches.flatMap((x) => x.rows), cs).toHaveLength(10);
    }
  });

  it('a batch whose COMMIT went through but was answered with an error (connection reset) holds its rows back from other jobs until its run is resumed', async () => {
    let commits = 0;
    const lossy = () => {
      const t = env.connect();
      const open = t.session.bind(t);
      t.session = async () => {
        const s = await open();
        const commit = s.commit.bind(s);
        // the second batch commits in the target, then the answer is lost
        s.commit = async () => { await commit(); if (++commits === 2) throw new Error('Connection lost - read ECONNRESET'); };
        return s;
      };
      return t;
    };
    const svc = new ReinsertService(env.store, { connect: lossy });
    const a = stage(corpusRows(60));
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(runA.id);
    expect(svc.getRun(runA.id)!.state).toBe('failed');
    expect(env.target.counts().rows).toBe(10); // every batch went in; staging records batch 2 as failed

    const b = stage(corpusRows(60));
    const dry = await svc.dryRun(b, 'op', { target: spec });
    expect(dry.plan.problems.map((p) => p.code)).toEqual(Array(10).fill('REINSERT_ALREADY_REINSERTED'));
    expect(dry.plan.problems.map((p) => p.message).join('\n')).toMatch(new RegExp(`which may have gone in: resume run ${runA.id} first`));
    await expect(svc.start(b, 'op', { dryRun: false, target: spec })).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
    expect(copies()).toEqual(Array(10).fill(1));

    // run A resumed: its ledger says batch 2 went in; then nothing of job B is left to put back
    await svc.resume(runA.id, 'op', spec);
    await svc.wait(runA.id);
    expect(svc.getRun(runA.id)!.state).toBe('succeeded');
    expect((await svc.dryRun(b, 'op', { target: spec })).plan.batches).toHaveLength(0);
    expect(copies()).toEqual(Array(10).fill(1));
  });

  it('a batch that failed and rolled back (an insert error) does not hold rows back from another job', async () => {
    const failing = () => {
      const t = env.connect();
      const open = t.session.bind(t);
      t.session = async () => {
        const s = await open();
        const insert = s.insert.bind(s);
        let n = 0;
        s.insert = async (r) => { if (++n === 4) throw new Error('Conversion failed'); return insert(r); };
        return s;
      };
      return t;
    };
    const svc = new ReinsertService(env.store, { connect: failing });
    const a = stage(corpusRows(60));
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(runA.id);
    expect(svc.getRun(runA.id)!.state).toBe('failed');
    expect(env.target.counts().rows).toBe(7); // batch 2 rolled back
    const b = stage(corpusRows(60));
    const dry = await svc.dryRun(b, 'op', { target: spec });
    expect(dry.plan.batches.flatMap((x) => x.rows)).toHaveLength(3);
  });

  it('an older run resumed while a younger job\'s run is between its COMMIT and its record: the resumed run does not pass over it', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: { afterTargetCommit: () => { throw new Error('staging file went away'); } } });
    const a = stage(corpusRows(60));
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(runA.id);
    expect(svc.getRun(runA.id)!.state).toBe('failed'); // batch 1 in the target, staging knows of none

    // job B's run (younger id): its first batch commits, then pauses before staging records it
    let reached!: () => void;
    const atCommit = new Promise<void>((r) => { reached = r; });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let paused = false;
    svc.hooks = { afterTargetCommit: async () => { if (!paused) { paused = true; reached(); await gate; } } };
    const b = stage(corpusRows(60));
    const runB = await svc.start(b, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await atCommit;
    // meanwhile run A (the older id) is resumed
    await svc.resume(runA.id, 'op', spec);
    await svc.wait(runA.id);
    release();
    await svc.wait(runB.id);
    expect(copies()).toEqual(Array(10).fill(1));
  });

  it('a database given in the connection string is the run\'s place: another database is not held back, the same one is', async () => {
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const a = stage(corpusRows(60));
    const runA = await svc.start(a, 'op', { dryRun: false, target: { connectionString: 'Server=fake;Database=crm_side;Password=x' } });
    await svc.wait(runA.id);
    const b = stage(corpusRows(60));
    // production, after the side database: another place
    expect((await svc.dryRun(b, 'op', { target: { connectionString: 'Server=fake;Password=x', database: 'crm' } })).plan.batches.flatMap((x) => x.rows)).toHaveLength(10);
    expect((await svc.dryRun(b, 'op', { target: { connectionString: 'Server=fake;Initial Catalog=crm;Password=x' } })).plan.batches.flatMap((x) => x.rows)).toHaveLength(10);
    // the side database again, however it is given: held back
    for (const target of [{ connectionString: 'Server=fake;Password=x', database: 'CRM_SIDE' }, { connectionString: 'Server=fake;Initial Catalog=crm_side;Password=x' }]) {
      const dry = await svc.dryRun(b, 'op', { target });
      expect(dry.plan.batches, JSON.stringify(target)).toHaveLength(0);
      expect(dry.plan.problems[0].message).toContain('in database crm_side');
    }
  });

  it('MSSQL_DATABASE in serve\'s environment is not the run\'s place: the driver opens the login\'s default database, not known, which matches any', async () => {
    vi.stubEnv('MSSQL_DATABASE', 'crm_side');
    try {
      const svc = new ReinsertService(env.store, { connect: env.connect });
      const a = stage(corpusRows(60));
      const runA = await svc.start(a, 'op', { dryRun: false, target: { connectionString: 'Server=fake;Password=x' } });
      await svc.wait(runA.id);
      expect(svc.getRun(runA.id)!.target.database).toBeNull();
      // the login's default database may be crm: held back
      const b = stage(corpusRows(60));
      await expect(svc.start(b, 'op', { dryRun: false, target: { connectionString: 'Server=fake;Database=crm;Password=x' } })).rejects.toMatchObject({ code: 'REINSERT_NOTHING_TO_DO' });
      expect(copies()).toEqual(Array(10).fill(1));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('each batch\'s check reads only the outcomes recorded since the one before (this run\'s own too): not every outcome again', async () => {
    const a = stage(corpusRows(60));
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec, batchSize: 2 });
    await svc.wait(runA.id);
    // job A's own outcomes: nothing another job put back, yet they are read past once
    const others = new OtherJobsReinserts(env.store, a).refresh();
    const max = (env.store.db.prepare('SELECT max(rowid) AS m FROM reinsert_outcomes').get() as { m: number }).m;
    expect(max).toBeGreaterThan(0);
    expect(others.empty).toBe(true);
    // the mark a refresh reads from (before: left at 0 while no other job's row was inserted, so each
    // batch of a long run read every outcome recorded so far again: quadratic in the run's rows)
    expect((others as unknown as { lastOutcome: number }).lastOutcome).toBe(max);
    // and rows another job inserts after it are still seen
    const b = stage(corpusRows(60));
    const fromB = new OtherJobsReinserts(env.store, b).refresh();
    expect(fromB.empty).toBe(false);
    const c = stage(corpusRows(60, 9000));
    const r2 = await svc.start(c, 'op', { dryRun: false, target: spec });
    await svc.wait(r2.id);
    expect(others.refresh().empty).toBe(false);
  });

  it('a plan reads the rows other jobs put back a page at a time, the event loop turning between pages (a large store is read once, without stopping the API)', async () => {
    const a = stage(corpusRows(12_000));
    const rows = (env.store.db.prepare('SELECT id FROM rows WHERE job_id = ?').all(a) as { id: number }[]).map((r) => r.id);
    // job A's real run recorded as having put every row back (as executeRun records its outcomes)
    const run = Number(env.store.db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'op', '2026-12-02T00:00:00Z', 0, '{}', 'succeeded', 500)").run(a).lastInsertRowid);
    const out = env.store.db.prepare("INSERT INTO reinsert_outcomes (run_id, row_id, batch_no, outcome, detail) VALUES (?, ?, ?, 'inserted', NULL)");
    env.store.db.transaction(() => rows.forEach((id, i) => out.run(run, id, Math.floor(i / 500) + 1)))();
    const b = stage(corpusRows(60));
    let turns = 0;
    let on = true;
    const tick = () => { if (on) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const others = await new OtherJobsReinserts(env.store, b).refreshCooperatively(1000);
    on = false;
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(others.empty).toBe(false);
    const mine = (env.store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull'").all(b) as { id: number }[]).map((r) => r.id);
    expect(mine.every((id) => others.find(id, 'dbo.LogTestTrailNull', { server: null, database: null }) !== undefined)).toBe(true);
  });

  it('a running run of another job committing a batch: the next check reads only what changed, not every planned row again', async () => {
    const a = stage(corpusRows(600));
    const rows = (env.store.db.prepare('SELECT id FROM rows WHERE job_id = ? ORDER BY id').all(a) as { id: number }[]).map((r) => r.id);
    // job A's run, running, with 20 planned batches of 30 rows (as recordBatches writes them)
    const run = Number(env.store.db.prepare("INSERT INTO reinsert_runs (job_id, actor, created_at, dry_run, target, state, batch_size) VALUES (?, 'op', '2026-12-02T00:00:00Z', 0, '{}', 'running', 30)").run(a).lastInsertRowid);
    const batch = env.store.db.prepare("INSERT INTO reinsert_batches (run_id, batch_no, batch_key, row_ids, state) VALUES (?, ?, ?, ?, 'planned')");
    for (let i = 0; i < 20; i++) batch.run(run, i + 1, `k${i + 1}`, JSON.stringify(rows.slice(i * 30, i * 30 + 30)));
    const b = stage(corpusRows(60));
    const others = new OtherJobsReinserts(env.store, b);
    const facts = (others as unknown as { rowFacts: { get: (id: number) => unknown } }).rowFacts;
    let reads = 0;
    const get = facts.get.bind(facts);
    facts.get = (id: number) => { reads++; return get(id); };
    others.refresh();
    expect(reads).toBe(600);
    // batch 1 commits (its outcomes recorded): the other 19 batches were read already
    env.store.db.prepare("UPDATE reinsert_batches SET state = 'committed' WHERE run_id = ? AND batch_no = 1").run(run);
    reads = 0;
    others.refresh();
    expect(reads).toBe(0);
    const mine = (env.store.db.prepare("SELECT id FROM rows WHERE job_id = ? AND tbl = 'dbo.LogTestTrailNull'").all(b) as { id: number }[]).map((r) => r.id);
    // b's rows are a's first 60: batches 1 (committed, no outcome recorded here) and 2 (still planned)
    const held = mine.filter((id) => others.find(id, 'dbo.LogTestTrailNull', { server: null, database: null }));
    expect(held.length).toBeGreaterThan(0);
  });

  it('two jobs\' runs started at once over the same rows: each row goes in once (the older run goes first)', async () => {
    const a = stage(corpusRows(60));
    const b = stage(corpusRows(60));
    const svc = new ReinsertService(env.store, { connect: env.connect });
    const [ra, rb] = await Promise.all([
      svc.start(a, 'op', { dryRun: false, target: spec, batchSize: 3 }),
      svc.start(b, 'op2', { dryRun: false, target: spec, batchSize: 3 }),
    ]);
    await svc.idle();
    expect(copies()).toEqual(Array(10).fill(1));
    expect(svc.getRun(ra.id)!.state).toBe('succeeded');
    expect(svc.getRun(rb.id)!.state).toBe('failed');
    const errs = svc.outcomes(rb.id).filter((o) => o.outcome === 'error');
    expect(errs).toHaveLength(10);
    expect(JSON.stringify(errs[0].detail)).toMatch(/REINSERT_ALREADY_REINSERTED/);
  });

  it('a run stopped after its batch went in but before staging recorded it: the other job waits for its resume, and nothing goes in twice', async () => {
    const a = stage(corpusRows(60));
    let n = 0;
    const svc = new ReinsertService(env.store, { connect: env.connect, hooks: { afterTargetCommit: () => { if (++n === 2) throw new Error('staging file went away'); } } });
    const runA = await svc.start(a, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(runA.id);
    svc.hooks = undefined;
    expect(svc.getRun(runA.id)!.state).toBe('failed');
    expect(env.target.counts().rows).toBe(6); // batches 1 and 2 are in the env.target; staging knows of batch 1

    const b = stage(corpusRows(60));
    const dry = await svc.dryRun(b, 'op', { target: spec });
    // batch 1's rows went in; batch 2's may have (the run stopped there); batches 3 and 4 never ran
    expect(dry.plan.problems.map((p) => p.code)).toEqual(Array(6).fill('REINSERT_ALREADY_REINSERTED'));
    expect(dry.plan.problems.map((p) => p.message).join('\n')).toMatch(new RegExp(`in the batch it stopped at, which may have gone in: resume run ${runA.id} first`));
    const runB = await svc.start(b, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svc.wait(runB.id);
    expect(svc.getRun(runB.id)!.state).toBe('succeeded');
    expect(env.target.counts().rows).toBe(10);

    // run A resumed: batch 2 recorded from the target's ledger, batches 3 and 4 refused (job B put them back)
    await svc.resume(runA.id, 'op', spec);
    await svc.wait(runA.id);
    expect(copies()).toEqual(Array(10).fill(1));
    const errs = svc.outcomes(runA.id).filter((o) => o.outcome === 'error');
    expect(errs).toHaveLength(4);
    expect(JSON.stringify(errs[0].detail)).toMatch(new RegExp(`REINSERT_ALREADY_REINSERTED.*re-insert run ${runB.id} of job ${b} already put it back`));
  });
  it.each([false, true])('a run resumed while another job\'s resumed run has yet to record the batch it stopped at (in the target): the batch is not passed over, nothing goes in twice (resume entry recorded before maybeIn: %s)', async (legacy) => {
    // two services on one store (serve and a second process, or two resumes): each gates its session
    let gateA: Promise<void> | undefined;
    let gateB: Promise<void> | undefined;
    const gated = (gate: () => Promise<void> | undefined) => () => {
      const t = env.connect();
      const open = t.session.bind(t);
      t.session = async () => { await gate(); return open(); };
      return t;
    };
    const once = () => { let done = false; return { afterTargetCommit: () => { if (!done) { done = true; throw new Error('staging file went away'); } } }; };
    const svcA = new ReinsertService(env.store, { connect: gated(() => gateA), hooks: once() });
    const svcB = new ReinsertService(env.store, { connect: gated(() => gateB), hooks: once() });
    const a = stage(corpusRows(60));
    const b = stage(corpusRows(60));
    // run A: its batch 1 (rows 1-3) goes in, staging records none; it holds rows 4-10 in batches 2-4
    const runA = await svcA.start(a, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svcA.wait(runA.id);
    svcA.hooks = undefined;
    // run B: rows 1-3 held back (A stopped at them); its batch 1 (rows 4-6) goes in, staging records none
    const runB = await svcB.start(b, 'op', { dryRun: false, target: spec, batchSize: 3 });
    await svcB.wait(runB.id);
    svcB.hooks = undefined;
    expect([svcA.getRun(runA.id)!.state, svcB.getRun(runB.id)!.state]).toEqual(['failed', 'failed']);
    expect(env.target.counts().rows).toBe(6);

    // A resumed, then B resumed (B began running last) before it has asked its ledger about its batch 1
    let openA!: () => void;
    gateA = new Promise<void>((r) => { openA = r; });
    await svcA.resume(runA.id, 'op', spec);
    let openB!: () => void;
    gateB = new Promise<void>((r) => { openB = r; });
    await svcB.resume(runB.id, 'op', spec);
    // a resume recorded before its entry listed maybeIn: the run's first planned batch stands for it
    if (legacy) env.store.appendAudit('op', 'reinsert.resume', b, { runId: runB.id, target: 'a connection given in the request' });
    openA();
    await svcA.wait(runA.id);
    openB();
    await svcB.wait(runB.id);
    expect(copies()).toEqual(Array(10).fill(1));
  });
});

describe('sameServer / serverSpelling: a server as rowback\'s driver dials it', () => {
  it.each([
    ['fake', 'tcp:FAKE,1433', true],
    ['fake', 'fake\\MSSQLSERVER', true],
    ['fake', 'fake.', true],
    ['localhost', '127.0.0.1,1433', true],
    // mssql drops the port when an instance is named (it asks the SQL Browser): the instance is the server
    ['fake\\inst,1500', 'fake\\inst', true],
    ['fake\\inst,1500', 'fake,1500', false],
    ['fake,1500', 'fake', false],
    ['fake\\a', 'fake\\b', false],
    ['fake', 'other', false],
  ])('%s and %s: %s', (a, b, same) => {
    expect(sameServer(a, b)).toBe(same);
    expect(serverSpelling(a) === serverSpelling(b)).toBe(same);
  });
  it('a short name may be a qualified one for never-twice (held back), never for a resume', () => {
    expect(sameServer('db1', 'db1.corp.example')).toBe(true);
    expect(serverSpelling('db1')).not.toBe(serverSpelling('db1.corp.example'));
  });
  it('an address and a name, or the local machine and a name, may be one server for never-twice (held back), never for a resume', () => {
    // SYNTHETIC hosts: which server a name or `localhost` is cannot be known here; the safe side is one
    // (a stopped run into 10.0.0.5 with a batch in doubt let a new run into db1 with another row ledger
    // put its rows in again: REINSERT_LEDGER_IN_DOUBT, service.ts otherLedgerInDoubt, said nothing)
    for (const [a, b] of [['10.0.0.5', 'db1'], ['db1.corp.example', '10.0.0.5,1433'], ['localhost', 'db1'], ['(local)', '10.0.0.5'], ['fe80::1', 'db1']]) {
      expect(sameServer(a!, b!), `${a} and ${b}`).toBe(true);
      expect(serverSpelling(a!)).not.toBe(serverSpelling(b!));
    }
    // known apart: two addresses, two names, another instance or port
    expect(sameServer('10.0.0.5', '10.0.0.6')).toBe(false);
    expect(sameServer('db1', 'db2.corp.example')).toBe(false);
    expect(sameServer('10.0.0.5,1500', 'db1')).toBe(false);
    expect(sameServer('localhost\\inst', 'db1')).toBe(false);
  });
});
