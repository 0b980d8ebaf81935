/**
 * `scan --threads N` when something goes wrong: a damaged file read by a worker, a worker that
 * throws or dies, an abort, a consumer that stops early — one clear error (the one --threads 1
 * gives), no hang, and no worker thread or log file left open afterwards. Inputs are SYNTHETIC
 * (test/support/synthetic-log.ts, synthetic-trn.ts), generated here: workers start only from
 * 64 MB of log files, so the CLI cases write that much (a sparse .ldf, or big rows).
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/errors.js';
import { readLogFilesInParallel, spawnLogFileWorker, type LogFileEvent, type SpawnLogFileWorker } from '../../../src/logreader/parallel/parallel-reader.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { openFileSource, PARALLEL_MIN_BYTES } from '../../../src/recover/sources/files.js';
import { captureCli, expectOneLineError } from '../../support/cli.js';
import { buildLayout, encodeRow } from '../../support/synthetic-encoder.js';
import { ldfSink, writeSyntheticLog } from '../../support/synthetic-log.js';
import { trnChainSink } from '../../support/synthetic-trn.js';

const dir = mkdtempSync(join(tmpdir(), 'rowback-par-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AU = '72057594043367424';
const layout = { ...buildLayout('Contact', [{ name: 'ContactId', type: 'int' }, { name: 'Name', type: 'nvarchar', maxLength: 8000 }]), allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }] };
const DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(4000) NULL);';
// Big rows (~6 KB images): many log bytes, few records, so 64 MB scans in a few seconds.
const images = Array.from({ length: 64 }, (_, i) => encodeRow(layout, { ContactId: i, Name: `${i}:`.padEnd(3000, String.fromCharCode(0x41 + (i % 26))) }));
const row = (t: number, r: number) => images[(t * 7 + r) % images.length];

/** A SYNTHETIC chain of .trn files holding `bytes` of log in backups of `backupBytes`. */
function chain(name: string, bytes: number, backupBytes: number): string[] {
  const sub = join(dir, name);
  rmSync(sub, { recursive: true, force: true });
  mkdirSync(sub);
  const c = trnChainSink({ dir: sub, backupBytes });
  // the writer stops at whole VLFs: several per chain
  writeSyntheticLog([c.sink], { targetBytes: bytes, row, finishAtEnd: true }, { allocUnitId: AU, vlfSize: Math.min(16 * 1024 * 1024, bytes / 4) });
  return c.backups.map((b) => b.file);
}

/** Log files of this test's folder that the process holds open. */
function openLogFiles(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const t = readlinkSync(`/proc/self/fd/${fd}`);
      if (t.startsWith(dir)) out.push(t);
    } catch {
      // closed while listing
    }
  }
  return out;
}

/** A spawn that records each worker and whether its thread has exited. */
function trackedSpawn(make: SpawnLogFileWorker = spawnLogFileWorker) {
  const workers: Array<{ file: string; exited: boolean }> = [];
  const spawn: SpawnLogFileWorker = (job) => {
    const w = make(job);
    const t = { file: job.file, exited: false };
    workers.push(t);
    w.on('exit', () => (t.exited = true));
    return w;
  };
  return { spawn, workers, alive: () => workers.filter((w) => !w.exited) };
}

const small = () => chain('small', 12 * 1024 * 1024, 3 * 1024 * 1024);
let smallFiles: string[] | null = null;
const smallChain = () => (smallFiles ??= small());

describe('the parallel reader under failure (SYNTHETIC chain, workers forced)', () => {
  it('abort mid-read: the readers end quietly, every worker thread is gone and every file closed when the iterator returns', async () => {
    const files = smallChain();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const t = trackedSpawn();
    const ac = new AbortController();
    let batches = 0;
    for await (const f of readLogFilesInParallel(files.map((file) => ({ kind: 'trn' as const, file, position: 1 })), 3, { signal: ac.signal, spawn: t.spawn })) {
      for await (const ev of f.events) {
        if (ev.type === 'batch' && ++batches === 3) ac.abort();
        if (batches > 3) throw new Error('an event after the abort');
      }
    }
    expect(batches).toBe(3);
    expect(t.workers.length).toBe(3);
    expect(t.alive()).toEqual([]);
    expect(openLogFiles()).toEqual([]);
  }, 30_000);

  it('a consumer that stops early (break): every worker thread gone, every file closed', async () => {
    const files = smallChain();
    const t = trackedSpawn();
    let n = 0;
    outer: for await (const f of readLogFilesInParallel(files.map((file) => ({ kind: 'trn' as const, file, position: 1 })), 2, { spawn: t.spawn })) {
      for await (const ev of f.events) if (ev.type === 'batch' && ++n === 5) break outer;
    }
    expect(t.alive()).toEqual([]);
    expect(openLogFiles()).toEqual([]);
  }, 30_000);

  it.each([
    { name: 'throws as it starts', code: 'throw new Error("boom in the worker")', why: /threw Error: boom in the worker/ },
    { name: 'dies mid-file (exit code 3)', code: 'require("node:worker_threads").parentPort.postMessage({ type: "skipped", item: { code: "FORMAT_BAD_LOG_BLOCK", reason: "r", location: {} } }); setTimeout(() => process.exit(3), 50)', why: /exited with code 3/ },
    { name: 'ends without its stats (exit code 0)', code: 'setTimeout(() => process.exit(0), 50)', why: /ended without its stats/ },
    { name: 'cannot be started', code: null, why: /could not be started: no thread for you/ },
  ])('a worker that $name: SOURCE_WORKER_FAILED naming its file, after the files before it; no thread or file left', async ({ code, why }) => {
    const files = smallChain();
    const t = trackedSpawn((job) => {
      if (job.file !== files[1]) return spawnLogFileWorker(job);
      if (code === null) throw new Error('no thread for you');
      return new Worker(code, { eval: true });
    });
    const seen: string[] = [];
    let err: unknown;
    try {
      for await (const f of readLogFilesInParallel(files.map((file) => ({ kind: 'trn' as const, file, position: 1 })), 3, { spawn: t.spawn })) {
        for await (const ev of f.events as AsyncGenerator<LogFileEvent>) if (ev.type === 'done') seen.push(f.input.file);
      }
    } catch (e) {
      err = e;
    }
    expect(seen).toEqual([files[0]]);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('SOURCE_WORKER_FAILED');
    expect((err as SourceError).location.file).toBe(files[1]);
    expect((err as SourceError).message).toMatch(why);
    expect(t.alive()).toEqual([]);
    expect(openLogFiles()).toEqual([]);
  }, 30_000);

  /** A logger whose debug() calls `on` with each message and its fields (openFileSource logs 'reading log' per file). */
  const spyLogger = (on: (msg: string, o: Record<string, unknown>) => void) =>
    ({ debug: (o: Record<string, unknown>, msg: string) => on(msg, o), info() {}, warn() {}, error() {}, child() { return this; } }) as unknown as Logger;

  it('the library AbortSignal stops a scan that finds nothing to yield, where it is (no candidate to notice it): --threads 3 reads no further than --threads 1', async () => {
    const files = smallChain();
    const run = async (threads: number) => {
      const ac = new AbortController();
      let seenFiles = 0;
      const file = openFileSource({ trn: files, threads, parallelMinBytes: 0 }, spyLogger((msg) => {
        if (msg === 'reading log' && ++seenFiles === 2) ac.abort();
      }));
      const src = withMetadata(file, [layout]);
      let n = 0;
      for await (const _ of recoverRows(src, { operations: ['update'] }, { signal: ac.signal })) n++;
      await src.close();
      return { n, records: file.logStats.records };
    };
    const one = await run(1);
    const full = await (async () => {
      const file = openFileSource({ trn: files.slice(0, 1) });
      for await (const _ of recoverRows(withMetadata(file, [layout]), { operations: ['update'] })) void _;
      return file.logStats.records;
    })();
    expect(one).toEqual({ n: 0, records: full }); // the first file, nothing of the second
    expect(await run(3)).toEqual(one);
    expect(openLogFiles()).toEqual([]);
  }, 30_000);

  it('an abort from a timer or event reaches a one-thread scan of .trn files (their bytes are read synchronously): it stops after the chunk being read', async () => {
    const files = smallChain();
    const ac = new AbortController();
    const file = openFileSource({ trn: files, threads: 1 }, spyLogger((msg) => {
      if (msg === 'reading log') setTimeout(() => ac.abort(), 0);
    }));
    for await (const _ of recoverRows(withMetadata(file, [layout]), { operations: ['update'] }, { signal: ac.signal })) void _;
    const all = openFileSource({ trn: files });
    for await (const _ of recoverRows(withMetadata(all, [layout]), { operations: ['update'] })) void _;
    expect(file.logStats.records).toBeGreaterThan(0);
    expect(file.logStats.records).toBeLessThan(all.logStats.records / files.length);
  }, 30_000);

  it('an abort from inside the row loop: the scan ends early, the same rows as --threads 1 up to there', async () => {
    const files = smallChain();
    const run = async (threads: number) => {
      const src = withMetadata(openFileSource({ trn: files, threads, parallelMinBytes: 0 }), [layout]);
      const ac = new AbortController();
      const rows: string[] = [];
      for await (const ev of recoverRows(src, { operations: ['delete'] }, { signal: ac.signal })) {
        if (ev.kind === 'row') rows.push(ev.row.lsn);
        if (rows.length === 100) ac.abort();
      }
      await src.close();
      return rows;
    };
    const one = await run(1);
    expect(one.length).toBe(100);
    expect(await run(3)).toEqual(one);
    expect(openLogFiles()).toEqual([]);
  }, 30_000);
});

describe('rowback scan --threads on ≥ 64 MB of SYNTHETIC log files', () => {
  const cli = captureCli();
  const ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, DDL);

  it('output identical to --threads 1 for a multi-file chain of ≥ 64 MB (and a damaged block in one file: the same skipped items)', async () => {
    const files = chain('big', 80 * 1024 * 1024, 16 * 1024 * 1024);
    // damage a block in the third backup's log stream: reported the same way by both
    const fd = openSync(files[2], 'r+');
    writeSync(fd, Buffer.alloc(700, 0x5a), 0, 700, 2 * 1024 * 1024 + 100);
    closeSync(fd);
    const args = ['scan', '--trn', ...files, '--ddl', ddl, '--alloc-unit', AU, '--quiet'];
    const reportOne = join(dir, 'one.json');
    const reportMany = join(dir, 'many.json');
    const one = await cli(...args, '--threads', '1', '--report', reportOne);
    const many = await cli(...args, '--threads', '3', '--report', reportMany);
    expect(one.code).toBe(0);
    expect(many.code).toBe(0);
    expect(one.stdout.split('\n').length).toBeGreaterThan(1000);
    expect(many.stdout).toBe(one.stdout);
    expect(many.stderr).toBe(one.stderr);
    const rep = (f: string) => {
      const r = JSON.parse(readFileSync(f, 'utf8')) as { skipped: unknown[]; rows: number; counts: unknown };
      return { skipped: r.skipped, rows: r.rows, counts: r.counts };
    };
    expect(rep(reportMany)).toEqual(rep(reportOne));
    expect(rep(reportOne).skipped.length).toBeGreaterThan(0);
    expect(openLogFiles()).toEqual([]);
  }, 120_000);

  it('a damaged .ldf read by a worker: one rowback: line naming the file and offset, the same as --threads 1, exit 2', async () => {
    const sub = join(dir, 'ldf');
    mkdirSync(sub);
    const ldf = join(sub, 'crm_log.ldf');
    const c = trnChainSink({ dir: sub, backupBytes: 1024 * 1024 });
    writeSyntheticLog([ldfSink(ldf), c.sink], { targetBytes: 4 * 1024 * 1024, row, finishAtEnd: true }, { allocUnitId: AU, vlfSize: 1024 * 1024 });
    // grown (sparse) to 64 MB, so that workers start
    truncateSync(ldf, PARALLEL_MIN_BYTES);
    const fd = openSync(ldf, 'r+');
    writeSync(fd, Buffer.from([0x00]), 0, 1, 0x2000); // the first VLF header's 0xAB marker
    closeSync(fd);
    const args = ['scan', '--ldf', ldf, '--trn', ...c.backups.map((b) => b.file), '--ddl', ddl, '--alloc-unit', AU, '--quiet'];
    const one = await cli(...args, '--threads', '1');
    const many = await cli(...args, '--threads', '3');
    const line = expectOneLineError(one, 'FORMAT_NOT_A_LOG_FILE');
    expect(line).toMatch(/^rowback: FORMAT_NOT_A_LOG_FILE: .*\(file .*crm_log\.ldf, offset \d+\)\n$/);
    expect(many).toEqual(one);
    expect(one.code).toBe(2);
    expect(openLogFiles()).toEqual([]);
  }, 60_000);
});
