import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { lockPathOf } from '../../src/staging/lock.js';
import { StagingStore } from '../../src/staging/store.js';
import { createLogger, silentLogger } from '../../src/util/logger.js';
import { describeCorpus } from '../support/corpus.js';
import { fakeRecover, fakeSource, progressScan } from '../worker/fake-source.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('API: scan progress of a job', () => {
  let t: TestApp;
  let release!: () => void;
  const TOTAL = 1_288_490_188;
  beforeEach(async () => {
    const gate = new Promise<void>((r) => { release = r; });
    let n = 0;
    // job 1 pauses after its first pass; later jobs run straight through
    t = await testApp({
      openSource: async () => {
        n++;
        const scan = progressScan({ rows: 80, total: TOTAL, records: 3_402_118, betweenPasses: n === 1 ? () => gate : undefined });
        current = scan;
        return scan.source;
      },
      recover: (s, f, o) => current.recover(s, f, o),
    });
  });
  let current: ReturnType<typeof progressScan>;
  afterEach(async () => {
    release();
    await t.close();
  });

  it('GET /api/jobs and /api/jobs/:id carry the sampled scan progress, while running and at the end', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/crm.ldf' } });
    expect(r.statusCode).toBe(201);
    const id = r.json().id as number;
    expect(r.json().scan).toBeNull();
    const one = async () => (await t.app.inject({ url: `/api/jobs/${id}`, headers: bearer(t.tokens.viewer) })).json();
    await expect.poll(async () => (await one()).scan?.pass, { timeout: 5000, interval: 100 }).toBe(1);
    const running = await one();
    expect(running).toMatchObject({ state: 'running', rowsStaged: 0, scan: { bytesRead: TOTAL, bytesTotal: TOTAL, recordsRead: 3_402_118, pass: 1, passes: 2 } });
    expect(typeof running.scan.sampledAt).toBe('string');
    release();
    await t.app.worker.idle();
    const list = (await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json();
    expect(list.items[0]).toMatchObject({ id, state: 'succeeded', rowsStaged: 80, scan: { bytesRead: TOTAL, bytesTotal: TOTAL, recordsRead: 3_402_118, pass: 2, passes: 2 } });
  });
});

describe('one server per staging file', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-lock-api-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const app = (db: string, logs?: string[]) => buildApp({
    dbPath: db,
    logger: logs ? createLogger({ level: 'info' }, new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } })) : silentLogger,
    openSource: async () => fakeSource(), recover: fakeRecover({ rows: 1 }),
  });

  it('a second app on the same file is refused with STAGING_LOCKED (file and pid named) and leaves the first app\'s jobs alone', async () => {
    const db = join(dir, 'staging.db');
    const seed = new StagingStore(db);
    const job = seed.createJob({ kind: 'files', spec: {}, description: 'running elsewhere', createdBy: 'op' });
    seed.close();
    const first = await app(db);
    first.staging.setJobState(job.id, 'running');
    let err: { code?: string; message?: string } = {};
    try { await app(db); } catch (e) { err = e as typeof err; }
    expect(err.code).toBe('STAGING_LOCKED');
    expect(err.message).toContain(db);
    expect(err.message).toContain(`pid ${process.pid}`);
    // the refused app did not mark the first server's running job as interrupted
    expect(first.staging.requireJob(job.id).state).toBe('running');
    first.staging.setJobState(job.id, 'succeeded');
    await first.close();
    expect(existsSync(lockPathOf(db))).toBe(false);
    // once the first has closed, another may open it
    const again = await app(db);
    await again.close();
    // a different file is not affected
    const other = await app(join(dir, 'other.db'));
    await other.close();
  });

  it('a stale lock left by a crashed server is taken over with a log line', async () => {
    const db = join(dir, 'staging.db');
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(lockPathOf(db), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const logs: string[] = [];
    const a = await app(db, logs);
    const warn = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).includes('stale staging lock'));
    expect(warn).toMatchObject({ stalePid: dead, lock: lockPathOf(db) });
    await a.close();
  });
});
