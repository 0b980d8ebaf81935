/**
 * Transaction records built on demand (structures.ts LazyBeginRecord / LazyEndRecord, made for a
 * RecordKeep with `lazyTransactions`: the committed filter's) must be the records parseLogRecord
 * builds: the same fields in the same order (toPlain), the same JSON, the same stats and skipped
 * items; and the numbers the filter reads instead of text (transactionNumber, beginTimeOrder,
 * transactionNameBytes) must say what the text says — on every corpus log and a damaged copy.
 */
import { copyFile, mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { emptyLogScanStats, readLdfRecordBatches, type RecordKeep } from '../../../src/logreader/ldf/reader.js';
import { LazyBeginRecord, LazyEndRecord, plainLogRecord } from '../../../src/logreader/ldf/structures.js';
import { openBackupLogStream } from '../../../src/backup/log-stream.js';
import { OPERATION_NAMES } from '../../../src/logreader/ldf/constants.js';
import type { LogRecord } from '../../../src/logreader/log-record.js';
import type { SkippedItem } from '../../../src/recover/source.js';

const KEPT = new Set(['LOP_DELETE_ROWS', 'LOP_INSERT_ROWS', 'LOP_BEGIN_XACT', 'LOP_COMMIT_XACT', 'LOP_ABORT_XACT']);
const eagerKeep: RecordKeep = (op) => KEPT.has(OPERATION_NAMES.get(op) ?? '');
const lazyKeep: RecordKeep = (op) => KEPT.has(OPERATION_NAMES.get(op) ?? '');
lazyKeep.lazyTransactions = true;

type Read = (opts: { onSkipped: (s: SkippedItem) => void }, stats: ReturnType<typeof emptyLogScanStats>, keep?: RecordKeep) => AsyncIterable<{ records: LogRecord[]; firstLsn: string }>;

async function batched(read: Read, keep: RecordKeep) {
  const skipped: SkippedItem[] = [];
  const stats = emptyLogScanStats();
  const records: LogRecord[] = [];
  const firsts: string[] = [];
  for await (const b of read({ onSkipped: (s) => skipped.push(s) }, stats, keep)) {
    firsts.push(b.firstLsn);
    records.push(...b.records);
  }
  return { records, skipped, stats, firsts };
}

const hexNumber = (t: string): number => parseInt(t.slice(0, 4), 16) * 0x1_0000_0000 + parseInt(t.slice(5), 16);

async function sameAsEager(read: Read): Promise<number> {
  const eager = await batched(read, eagerKeep);
  const lazy = await batched(read, lazyKeep);
  expect(lazy.stats).toEqual(eager.stats);
  expect(lazy.skipped).toEqual(eager.skipped);
  expect(lazy.firsts).toEqual(eager.firsts);
  expect(lazy.records.length).toBe(eager.records.length);
  let n = 0;
  let prev: { order: number; text: string | null } | null = null;
  for (let i = 0; i < eager.records.length; i++) {
    const e = eager.records[i]!;
    const l = lazy.records[i]!;
    const plain = plainLogRecord(l);
    expect(plain).toEqual(e);
    expect(Object.keys(plain)).toEqual(Object.keys(e));
    expect(JSON.stringify(l)).toBe(JSON.stringify(e));
    if (!(l instanceof LazyBeginRecord || l instanceof LazyEndRecord)) continue;
    n++;
    // read field by field on a fresh record too (no toPlain first): the same values
    for (const k of Object.keys(e) as Array<keyof LogRecord>) expect((l as LogRecord)[k]).toEqual(e[k]);
    expect(l.transactionNumber).toBe(hexNumber(e['Transaction ID']));
    expect(Object.keys(l)).toEqual([]);
    if (l instanceof LazyBeginRecord) {
      const text = e['Begin Time'] ?? null;
      const order = l.beginTimeOrder;
      expect(order === -1).toBe(text === null);
      if (prev && text !== null && prev.text !== null) expect(Math.sign(order - prev.order)).toBe(text < prev.text ? -1 : text > prev.text ? 1 : 0);
      if (text !== null) prev = { order, text };
      expect(Math.ceil(l.transactionNameBytes / 2)).toBeGreaterThanOrEqual(e['Transaction Name']?.length ?? 0);
    }
  }
  // a record of each kind was made lazily on every log read here
  expect(n).toBeGreaterThan(0);
  return n;
}

describeCorpus('lazy transaction records = the records parseLogRecord builds', () => {
  it.each([
    'AngularJs_CRUD/App_Data/Database1_log.ldf',
    'CRUD-.NET/App_Data/Database2_log.ldf',
    'CRUD-.NET/App_Data/Database_log.ldf',
    'Tractis_aspnet_demo/App_Data/aspnetdb_log.ldf',
    'SessionShoppingCart/App_Data/NORTHWND_log.ldf',
    'sql-practice-asp/App_Data/School_Log.ldf',
  ])('%s', async (f) => {
    const path = corpusPath(f);
    // aspnetdb_log.ldf is SQL Server 2005's (log format version 2, the 2005+ record layout)
    await sameAsEager((o, s, k) => readLdfRecordBatches(path, { ...o, logFormat2IsSql2005: true }, s, k));
  });

  it('a damaged copy (bytes overwritten in record areas): same records, same skipped items', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rowback-lazy-'));
    const copy = join(dir, 'damaged.ldf');
    await copyFile(corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'), copy);
    const fh = await open(copy, 'r+');
    const size = (await fh.stat()).size;
    for (let i = 0; i < 60; i++) {
      const at = 0x4000 + Math.floor(((i * 7919) % 997) / 997 * (size - 0x8000));
      await fh.write(Buffer.from([0xff, 0xfe, 0xfd]), 0, 3, at - (at % 512) + 24 + (i % 300));
    }
    await fh.close();
    await sameAsEager((o, s, k) => readLdfRecordBatches(copy, o, s, k));
  });

  it.each(['appveyor-lab/sql2008-backups/StopAt/StopAt_1.trn', 'appveyor-lab/RestoreTimeClean/RestoreTimeClean_1.trn'])('log backup %s', async (f) => {
    const stream = openBackupLogStream(corpusPath(f), 'trn');
    await sameAsEager((o, s, k) => stream.batches(o, s, k));
  });
});

describe('lazy transaction records', () => {
  it('take written fields as plain records do, and then say nothing by number', async () => {
    const path = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
    let begin: LazyBeginRecord | null = null;
    for await (const b of readLdfRecordBatches(path, {}, emptyLogScanStats(), lazyKeep)) {
      begin = (b.records.find((r) => r instanceof LazyBeginRecord) as LazyBeginRecord | undefined) ?? null;
      if (begin) break;
    }
    if (!begin) return;
    begin['Transaction ID'] = 'x';
    begin['Begin Time'] = '2000/01/01 00:00:00:000';
    expect(begin['Transaction ID']).toBe('x');
    expect(begin.transactionNumber).toBeNaN();
    expect(begin.beginTimeOrder).toBeNaN();
    expect(begin.toPlain()['Begin Time']).toBe('2000/01/01 00:00:00:000');
  });
});

