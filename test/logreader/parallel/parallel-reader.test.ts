/**
 * Worker threads must not change a scan: the same rows in the same order, the same counts, the
 * same skipped items, whatever --threads says — on the corpus's .trn chains (RestoreTimeClean,
 * StopAt), with updates (every record built) and on a damaged copy of a log backup.
 */
import { copyFileSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { openFileSource, type FileSourceInputs } from '../../../src/recover/sources/files.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { keepTable, mergeLogScanStats } from '../../../src/logreader/parallel/parallel-reader.js';
import { emptyLogScanStats } from '../../../src/logreader/ldf/reader.js';
import type { ScanOperation } from '../../../src/recover/source.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { buildLayout, encodeRow } from '../../support/synthetic-encoder.js';
import { ldfSink, writeSyntheticLog } from '../../support/synthetic-log.js';
import { trnChainSink } from '../../support/synthetic-trn.js';

const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
const SA = (f: string) => corpusPath('appveyor-lab/sql2008-backups/StopAt', f);

async function scan(inputs: FileSourceInputs, operations: ScanOperation[]) {
  const src = openFileSource(inputs);
  const events: unknown[] = [];
  for await (const ev of recoverRows(src, { operations })) events.push(ev);
  const out = { events, skipped: src.skipped(), scanStats: src.scanStats, logStats: src.logStats };
  await src.close();
  return out;
}

async function sameForAnyThreads(inputs: FileSourceInputs, operations: ScanOperation[]) {
  const one = await scan({ ...inputs, threads: 1 }, operations);
  for (const threads of [2, 4]) {
    const many = await scan({ ...inputs, threads, parallelMinBytes: 0 }, operations);
    expect(JSON.stringify(many.events)).toBe(JSON.stringify(one.events));
    expect(many.skipped).toEqual(one.skipped);
    expect(many.scanStats).toEqual(one.scanStats);
    expect(many.logStats).toEqual(one.logStats);
  }
  return one;
}

describeCorpus('parallel log reading = one-thread reading', () => {
  it('RestoreTimeClean .bak + three .trn: inserts and deletes', async () => {
    const one = await sameForAnyThreads({ bak: RTC('RestoreTimeClean.bak'), trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), RTC('RestoreTimeClean_3.trn')] }, ['insert', 'delete']);
    expect(one.events.filter((e) => (e as { kind: string }).kind === 'row').length).toBe(30);
  }, 60_000);

  it('StopAt .bak + four .trn: inserts, deletes and updates (every record built, the page model fed in order)', async () => {
    const one = await sameForAnyThreads({ bak: SA('StopAt.bak'), trn: [SA('StopAt_1.trn'), SA('StopAt_2.trn'), SA('StopAt_21.trn'), SA('StopAt_23.trn')] }, ['insert', 'delete', 'update']);
    expect(one.events.length).toBeGreaterThan(50);
  }, 60_000);

  it('a damaged .trn in the chain: the same skipped items in the same order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-par-'));
    const bad = join(dir, 'StopAt_2.trn');
    copyFileSync(SA('StopAt_2.trn'), bad);
    const fd = openSync(bad, 'r+');
    for (let i = 0; i < 12; i++) writeSync(fd, Buffer.from([0xff, 0xee, 0xdd, 0xcc]), 0, 4, 0x2000 + i * 3001);
    closeSync(fd);
    try {
      const one = await sameForAnyThreads({ bak: SA('StopAt.bak'), trn: [SA('StopAt_1.trn'), bad, SA('StopAt_21.trn'), SA('StopAt_23.trn')] }, ['insert', 'delete']);
      expect(one.skipped.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('parallel reader helpers', () => {
  it('keepTable holds the predicate for every op/context pair', () => {
    const t = keepTable((op, ctx) => op === 3 && ctx === 2)!;
    expect(t[(3 << 8) | 2]).toBe(1);
    expect(t.reduce((a, b) => a + b, 0)).toBe(1);
    expect(keepTable(undefined)).toBeNull();
  });
  it('mergeLogScanStats sums counts and keeps the extreme LSNs', () => {
    const a = { ...emptyLogScanStats(), bytes: 10, records: 2, firstLsn: { vlf: 5, block: 1, slot: 1 }, lastLsn: { vlf: 5, block: 9, slot: 2 }, end: { vlf: 5, block: 10 } };
    const b = { ...emptyLogScanStats(), bytes: 5, records: 1, firstLsn: { vlf: 4, block: 1, slot: 1 }, lastLsn: { vlf: 6, block: 1, slot: 1 }, end: { vlf: 6, block: 2 } };
    mergeLogScanStats(a, b);
    expect(a).toMatchObject({ bytes: 15, records: 3, firstLsn: { vlf: 4 }, lastLsn: { vlf: 6 }, end: { vlf: 6, block: 2 } });
  });
});

describe('one large SYNTHETIC .ldf read as ranges of VLFs on several workers = one-thread reading', () => {
  // SYNTHETIC: test/support/synthetic-log.ts and synthetic-trn.ts, rows by the test encoder.
  let dir = '';
  let ldf = '';
  let chain: ReturnType<typeof trnChainSink>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-par-ldf-'));
    ldf = join(dir, 'crm_log.ldf');
    chain = trnChainSink({ dir, backupBytes: 1024 * 1024 });
    // six 1 MB VLFs, interleaved transactions (some cross VLF boundaries), the last few left open
    writeSyntheticLog([ldfSink(ldf), chain.sink], { targetBytes: 6 * 1024 * 1024, row, rollbackShare: 0.2, concurrency: 6 }, { allocUnitId: AU, vlfSize: 1024 * 1024 });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const AU = '72057594043367424';
  const layout = { ...buildLayout('Contact', [{ name: 'ContactId', type: 'int' }, { name: 'Name', type: 'nvarchar', maxLength: 100 }]), allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }] };
  const row = (t: number, r: number) => encodeRow(layout, { ContactId: t * 10000 + r, Name: `名字${t}-${r}` });

  async function scanWith(inputs: FileSourceInputs, operations: ScanOperation[]) {
    const ranges: unknown[] = [];
    const logger = { debug: (o: { vlfs?: unknown }, msg: string) => msg === 'reading log' && o.vlfs && ranges.push(o.vlfs), info() {}, warn() {}, error() {}, child() { return this; } } as unknown as Logger;
    const file = openFileSource(inputs, logger);
    const src = withMetadata(file, [layout]);
    const events: unknown[] = [];
    for await (const ev of recoverRows(src, { operations })) events.push(ev);
    await src.close();
    return { events, skipped: file.skipped(), scanStats: file.scanStats, logStats: file.logStats, ranges };
  }

  async function sameForAnyThreads(inputs: FileSourceInputs, operations: ScanOperation[]) {
    const one = await scanWith({ ...inputs, threads: 1 }, operations);
    expect(one.ranges).toEqual([]);
    for (const threads of [2, 4]) {
      const many = await scanWith({ ...inputs, threads, parallelMinBytes: 0, ldfVlfRanges: true }, operations);
      expect(many.ranges.length).toBeGreaterThan(1); // it was split
      expect(JSON.stringify(many.events)).toBe(JSON.stringify(one.events));
      expect(many.skipped).toEqual(one.skipped);
      expect(many.scanStats).toEqual(one.scanStats);
      expect(many.logStats).toEqual(one.logStats);
    }
    return one;
  }

  it('deletes and inserts: the same rows, order, counts and stats for threads 1, 2 and 4', async () => {
    const one = await sameForAnyThreads({ ldf }, ['delete', 'insert']);
    expect(one.events.filter((e) => (e as { kind: string }).kind === 'row').length).toBeGreaterThan(5000);
    expect(one.skipped).toEqual([]);
  }, 60_000);

  it('damaged: a torn block in VLF 2 and a VLF header gone in the middle — the same skipped items in the same order', async () => {
    const bad = join(dir, 'damaged_log.ldf');
    copyFileSync(ldf, bad);
    const fd = openSync(bad, 'r+');
    writeSync(fd, Buffer.alloc(900, 0x77), 0, 900, 0x2000 + 1024 * 1024 + 0x2000 + 5000); // inside VLF 2's blocks
    writeSync(fd, Buffer.from([0x00]), 0, 1, 0x2000 + 4 * 1024 * 1024); // VLF 5's 0xAB marker
    closeSync(fd);
    const one = await sameForAnyThreads({ ldf: bad }, ['delete']);
    const codes = one.skipped.map((s) => s.code);
    expect(codes).toContain('FORMAT_BAD_VLF_HEADER');
    expect(codes.some((c) => c === 'FORMAT_BAD_LOG_BLOCK' || c === 'FORMAT_LOG_GAP')).toBe(true);
  }, 60_000);

  it('the .ldf split into ranges beside the log backups that hold the same log: each row once, the same for any threads', async () => {
    const files = chain.backups.map((b) => b.file);
    const one = await sameForAnyThreads({ ldf, trn: files }, ['delete']);
    const alone = await scanWith({ ldf }, ['delete']);
    expect(JSON.stringify(one.events)).toBe(JSON.stringify(alone.events));
  }, 60_000);
});
