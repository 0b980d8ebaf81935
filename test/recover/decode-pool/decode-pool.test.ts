import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRowbackError } from '../../../src/errors.js';
import { spawnDecodeWorker, type SpawnDecodeWorker } from '../../../src/recover/decode-pool/decode-pool.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { recoverEncodedBatches, recoverRowBatches, type PooledEvent } from '../../../src/recover/recover-rows.js';
import { openFileSource } from '../../../src/recover/sources/files.js';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { CONTACT_AU, contactLayout, contactRow } from '../../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../../support/synthetic-log.js';

/**
 * `scan --decode-threads N`: rows decoded and serialised on worker threads must print exactly what
 * the one-thread scan prints — stdout bytes, stderr, report (but its elapsedMs), exit code — on
 * SYNTHETIC logs (clean, damaged, a layout the check stops) and real corpus logs (off-row values and
 * principals: rows the main thread converts in their place). Abort and worker failures leave no thread.
 */
const cli = captureCli();
let dir: string;
let ldf: string;
let damaged: string;
let ddl: string;
const CONTACT_DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-decode-pool-'));
  ldf = join(dir, 'contact_log.ldf');
  // SYNTHETIC: ~3 MB of log, ~10 k committed deletes (and inserts in every tenth transaction)
  writeSyntheticLdf(ldf, { targetBytes: 3 * 1024 * 1024, row: contactRow, finishAtEnd: true }, { allocUnitId: CONTACT_AU, vlfSize: 1024 * 1024 });
  damaged = join(dir, 'damaged_log.ldf');
  writeFileSync(damaged, readFileSync(ldf));
  // SYNTHETIC damage: 3 KB of a log block in the second VLF overwritten
  const fd = openSync(damaged, 'r+');
  writeSync(fd, Buffer.alloc(3072, 0xa5), 0, 3072, 8192 + 1024 * 1024 + 20000);
  closeSync(fd);
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, CONTACT_DDL);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  code: number;
  out: string;
  stderr: string;
  report: unknown;
}

let runs = 0;
/** One scan through the CLI, its rows to a file (the bytes compared) and its report without elapsedMs. */
async function scan(threads: number, ...args: string[]): Promise<Outcome> {
  const n = runs++;
  const out = join(dir, `out${n}`);
  const report = join(dir, `report${n}.json`);
  const r = await cli('scan', ...args, '--out', out, '--report', report, '--decode-threads', String(threads));
  const rep = JSON.parse(readFileSync(report, 'utf8')) as { elapsedMs?: number };
  delete rep.elapsedMs;
  return { code: r.code, out: readFileSync(out, 'latin1'), stderr: r.stderr, report: rep };
}

/** Scans with 1, 2 and 4 decode threads; asserts the three outcomes equal and returns the one-thread one. */
async function sameForAnyThreads(...args: string[]): Promise<Outcome> {
  const one = await scan(1, ...args);
  for (const n of [2, 4]) {
    const many = await scan(n, ...args);
    expect(many.code, `${n} threads: exit code`).toBe(one.code);
    expect(many.out === one.out, `${n} threads: output bytes`).toBe(true);
    expect(many.stderr, `${n} threads: stderr`).toBe(one.stderr);
    expect(many.report, `${n} threads: report`).toEqual(one.report);
  }
  return one;
}

const rowsOf = (o: Outcome) => Buffer.from(o.out, 'latin1').toString('utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { table: string; lsn: string; values: Record<string, unknown> });

describe('scan --decode-threads: the same output as one thread (SYNTHETIC)', () => {
  it('NDJSON and JSON of a clean log: every row, in order, byte for byte', async () => {
    const one = await sameForAnyThreads('--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--op', 'delete', '--op', 'insert');
    const rows = rowsOf(one);
    expect(rows.length).toBeGreaterThan(5000);
    expect(new Set(rows.map((r) => r.lsn)).size).toBe(rows.length);
    expect(one.stderr).toMatch(/rowback scan: \d+ row\(s\) recovered/);
    const json = await sameForAnyThreads('--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--format', 'json');
    expect((JSON.parse(Buffer.from(json.out, 'latin1').toString('utf8')) as unknown[]).length).toBeGreaterThan(5000);
  });

  it('a damaged log: the same rows, skipped items, INCOMPLETE line and report', async () => {
    const one = await sameForAnyThreads('--ldf', damaged, '--ddl', ddl, '--alloc-unit', CONTACT_AU);
    expect(one.stderr).toMatch(/INCOMPLETE: parts of the log could not be read \(.*FORMAT_BAD_LOG_BLOCK/);
    expect(rowsOf(one).length).toBeGreaterThan(5000);
  });

  it('a layout the check stops (Name declared nvarchar(3): every value too long): no row, the same RECOVER_LAYOUT_MISMATCH; --accept-layout-drift prints them the same', async () => {
    const narrow = join(dir, 'narrow.sql');
    writeFileSync(narrow, CONTACT_DDL.replace('nvarchar(100)', 'nvarchar(3)'));
    const one = await sameForAnyThreads('--ldf', ldf, '--ddl', narrow, '--alloc-unit', CONTACT_AU);
    expect(one.out).toBe('');
    expect(one.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH: the table layout does not fit the rows of dbo\.Contact .*20 of its first 20 row\(s\)/);
    const accepted = await sameForAnyThreads('--ldf', ldf, '--ddl', narrow, '--alloc-unit', CONTACT_AU, '--accept-layout-drift');
    expect(rowsOf(accepted).length).toBeGreaterThan(5000);
  });

  it('a layout whose first rows fail to decode (Email declared int): the same failures, kept in order, and the same verdict', async () => {
    const wrong = join(dir, 'wrong.sql');
    writeFileSync(wrong, CONTACT_DDL.replace('Email varchar(100)', 'Email int'));
    const one = await sameForAnyThreads('--ldf', ldf, '--ddl', wrong, '--alloc-unit', CONTACT_AU);
    expect(one.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH/);
    expect((one.report as { skipped: unknown[] }).skipped.length).toBeGreaterThan(1);
  });

  it('--decode-threads takes a whole number from 1 to 256', async () => {
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--decode-threads', '0');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("INPUT_BAD_OPTION: --decode-threads must be a whole number from 1 to 256, not '0'");
  });
});

describeCorpus('scan --decode-threads: the same output as one thread (corpus)', () => {
  it('AngularJs_CRUD (--ddl, real rows of dbo.Employee)', async () => {
    const employee = join(dir, 'employee.sql');
    writeFileSync(employee, 'CREATE TABLE dbo.Employee (Emp_Id int IDENTITY PRIMARY KEY, Emp_Name varchar(50), Emp_City varchar(50), Emp_Age int);\n');
    const one = await sameForAnyThreads('--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--ddl', employee, '--alloc-unit', '72057594043432960', '--op', 'delete', '--op', 'insert');
    expect(rowsOf(one).length).toBeGreaterThan(0);
    // the wrong allocation unit: stopped by the layout check alike
    const stopped = await sameForAnyThreads('--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--ddl', employee, '--alloc-unit', '72057594043629568');
    expect(stopped.out).toBe('');
    expect(stopped.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH/);
  });

  it('CRUD-.NET Database2 (.mdf + .ldf, inserts): off-row values resolved from the pages (on the main thread) and dbUser from the principals, as one thread does', async () => {
    const one = await sameForAnyThreads('--mdf', corpusPath('CRUD-.NET', 'App_Data', 'Database2.mdf'), '--ldf', corpusPath('CRUD-.NET', 'App_Data', 'Database2_log.ldf'), '--op', 'insert');
    const rows = rowsOf(one) as Array<{ table: string; values: Record<string, unknown>; dbUser?: string }>;
    expect(rows.some((r) => r.table === 'dbo.Product_mstr' && typeof r.values.pimage === 'string')).toBe(true);
    expect(rows.some((r) => r.dbUser === 'dbo')).toBe(true);
    // the rows holding an off-row value were converted on the main thread, the others by the workers
    const open = () => openFileSource({ mdf: corpusPath('CRUD-.NET', 'App_Data', 'Database2.mdf'), ldf: corpusPath('CRUD-.NET', 'App_Data', 'Database2_log.ldf') });
    const src = open();
    const kinds = { row: 0, encoded: 0, skipped: 0 };
    for await (const evs of recoverEncodedBatches(src, { operations: ['insert'] }, { threads: 2 })) for (const e of evs) kinds[e.kind]++;
    await src.close();
    // every insert of this log holds an off-row value (pimage): each was converted on the main thread, in its place
    expect(kinds.row).toBe(rows.length);
    expect(kinds.encoded).toBe(0);
  });
});

/** Decode workers that record their threads' exits (to check none is left). */
function tracked(inner: SpawnDecodeWorker = spawnDecodeWorker): { spawn: SpawnDecodeWorker; workers: Worker[]; exited: () => number } {
  const workers: Worker[] = [];
  let exited = 0;
  return {
    workers,
    exited: () => exited,
    spawn: (setup) => {
      const w = inner(setup);
      workers.push(w);
      w.on('exit', () => exited++);
      return w;
    },
  };
}

const contactSource = (file: string) => withMetadata(openFileSource({ ldf: file }), [contactLayout]);

describe('decode workers: abort and failure (SYNTHETIC)', () => {
  it('the events are the one-thread events, rows as their NDJSON lines', async () => {
    const one: string[] = [];
    const src1 = contactSource(ldf);
    for await (const evs of recoverRowBatches(src1, { operations: ['delete'] })) for (const e of evs) one.push(e.kind === 'row' ? JSON.stringify(e.row) + '\n' : `skipped ${JSON.stringify(e.item)}`);
    await src1.close();
    const t = tracked();
    const pooled: string[] = [];
    let encoded = 0;
    const src2 = contactSource(ldf);
    for await (const evs of recoverEncodedBatches(src2, { operations: ['delete'] }, { threads: 2, spawn: t.spawn })) {
      for (const e of evs) {
        if (e.kind === 'encoded') encoded++;
        pooled.push(e.kind === 'encoded' ? Buffer.from(e.text).toString('utf8') : e.kind === 'row' ? JSON.stringify(e.row) + '\n' : `skipped ${JSON.stringify(e.item)}`);
      }
    }
    await src2.close();
    expect(pooled.length).toBeGreaterThan(5000);
    // every row of this log is one a worker can do: none fell back to this thread
    expect(encoded).toBe(pooled.length);
    expect(pooled).toEqual(one);
    expect(t.workers).toHaveLength(2);
    expect(t.exited()).toBe(2);
  });

  it('database principals (dbUser) resolved once per transaction on the main thread: the same rows as one thread', async () => {
    // SYNTHETIC principals: a name per SID's 13th byte (the synthetic log varies it per transaction), none for odd ones
    const withPrincipals = (file: string) => {
      const base = contactSource(file);
      return { ...base, databasePrincipalOf: (sid: Uint8Array) => (sid[12] % 2 ? null : { name: `user${sid[12]}`, type: 'S' }) };
    };
    const one: string[] = [];
    const src1 = withPrincipals(ldf);
    for await (const evs of recoverRowBatches(src1, { operations: ['delete'] })) for (const e of evs) if (e.kind === 'row') one.push(JSON.stringify(e.row) + '\n');
    await src1.close();
    const pooled: string[] = [];
    const src2 = withPrincipals(ldf);
    for await (const evs of recoverEncodedBatches(src2, { operations: ['delete'] }, { threads: 2 })) for (const e of evs) if (e.kind === 'encoded') pooled.push(Buffer.from(e.text).toString('utf8'));
    await src2.close();
    expect(one.filter((l) => l.includes('"dbUser":"user')).length).toBeGreaterThan(1000);
    expect(one.filter((l) => !l.includes('"dbUser"')).length).toBeGreaterThan(1000);
    expect(pooled).toEqual(one);
  });

  it('an abort stops the scan promptly: a prefix of the rows, then nothing; every thread gone', async () => {
    const t = tracked();
    const ac = new AbortController();
    const src = contactSource(ldf);
    let rows = 0;
    let batches = 0;
    let afterAbort = 0;
    for await (const evs of recoverEncodedBatches(src, { operations: ['delete'] }, { threads: 2, spawn: t.spawn, signal: ac.signal })) {
      if (ac.signal.aborted) afterAbort++;
      rows += evs.filter((e: PooledEvent) => e.kind !== 'skipped').length;
      if (++batches === 2) ac.abort();
    }
    await src.close();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(3000);
    // at most the layout check's held events after the abort
    expect(afterAbort).toBeLessThanOrEqual(1);
    expect(t.exited()).toBe(t.workers.length);
  });

  it('a worker that exits: SourceError SOURCE_WORKER_FAILED naming it; the other thread gone too', async () => {
    let n = 0;
    const t = tracked((setup) => (n++ === 1 ? new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(7))", { eval: true }) : spawnDecodeWorker(setup)));
    const src = contactSource(ldf);
    let err: unknown;
    try {
      for await (const _ of recoverEncodedBatches(src, { operations: ['delete'] }, { threads: 2, spawn: t.spawn })) void _;
    } catch (e) {
      err = e;
    }
    await src.close();
    expect(isRowbackError(err) && err.code).toBe('SOURCE_WORKER_FAILED');
    expect((err as Error).message).toMatch(/^the decode worker 2 of 2 stopped \(it exited with code 7\); the scan was stopped/);
    expect(t.exited()).toBe(2);
  });

  it('a worker that throws, or cannot be started: SOURCE_WORKER_FAILED naming it', async () => {
    const throwing = tracked(() => new Worker("throw new Error('boom')", { eval: true }));
    const src = contactSource(ldf);
    await expect(async () => {
      for await (const _ of recoverEncodedBatches(src, { operations: ['delete'] }, { threads: 1, spawn: throwing.spawn })) void _;
    }).rejects.toThrow(/^the decode worker 1 of 1 stopped \(it threw Error: boom\)/);
    await src.close();
    expect(throwing.exited()).toBe(1);
    const src2 = contactSource(ldf);
    await expect(async () => {
      for await (const _ of recoverEncodedBatches(src2, { operations: ['delete'] }, { threads: 1, spawn: () => { throw new Error('no more threads'); } })) void _;
    }).rejects.toThrow(/^the decode worker 1 of 1 stopped \(it could not be started: no more threads\)/);
    await src2.close();
  });
});
