/**
 * The batch reader the scan uses (readLdfRecordBatches / BackupLogStream.batches, with a RecordKeep
 * that leaves records unbuilt) must see the same log as the per-record reader: the same kept
 * records, the same stats, the same skipped items — on real logs and on damaged copies of them.
 */
import { copyFile, mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { emptyLogScanStats, readLdfRecordBatches, readLdfRecords, type RecordKeep } from '../../../src/logreader/ldf/reader.js';
import { openBackupLogStream } from '../../../src/backup/log-stream.js';
import { OPERATION_NAMES } from '../../../src/logreader/ldf/constants.js';
import type { LogRecord } from '../../../src/logreader/log-record.js';
import type { SkippedItem } from '../../../src/recover/source.js';

const DELETE_AND_XACT = new Set(['LOP_DELETE_ROWS', 'LOP_BEGIN_XACT', 'LOP_COMMIT_XACT', 'LOP_ABORT_XACT']);
const keep: RecordKeep = (op) => DELETE_AND_XACT.has(OPERATION_NAMES.get(op) ?? '');

async function perRecord(read: (opts: { onSkipped: (s: SkippedItem) => void }, stats: ReturnType<typeof emptyLogScanStats>) => AsyncIterable<LogRecord>) {
  const skipped: SkippedItem[] = [];
  const stats = emptyLogScanStats();
  const records: LogRecord[] = [];
  for await (const r of read({ onSkipped: (s) => skipped.push(s) }, stats)) records.push(r);
  return { records, skipped, stats };
}

async function batched(read: (opts: { onSkipped: (s: SkippedItem) => void }, stats: ReturnType<typeof emptyLogScanStats>, keep?: RecordKeep) => AsyncIterable<{ records: LogRecord[]; firstLsn: string }>, k?: RecordKeep) {
  const skipped: SkippedItem[] = [];
  const stats = emptyLogScanStats();
  const records: LogRecord[] = [];
  let first: string | null = null;
  for await (const b of read({ onSkipped: (s) => skipped.push(s) }, stats, k)) {
    first ??= b.firstLsn;
    records.push(...b.records);
  }
  return { records, skipped, stats, first };
}

async function sameLog(one: Awaited<ReturnType<typeof perRecord>>, read: Parameters<typeof batched>[0]) {
  const all = await batched(read);
  expect(all.records).toEqual(one.records);
  expect(all.stats).toEqual(one.stats);
  expect(all.skipped).toEqual(one.skipped);
  expect(all.first).toBe(one.records[0]?.['Current LSN'] ?? null);
  const kept = await batched(read, keep);
  expect(kept.records).toEqual(one.records.filter((r) => DELETE_AND_XACT.has(r.Operation)));
  expect(kept.stats).toEqual(one.stats);
  expect(kept.skipped).toEqual(one.skipped);
  expect(kept.first).toBe(all.first);
}

describeCorpus('batch reader = per-record reader', () => {
  it.each(['AngularJs_CRUD/App_Data/Database1_log.ldf', 'SessionShoppingCart/App_Data/NORTHWND_log.ldf', 'sql-practice-asp/App_Data/School_Log.ldf'])('%s', async (f) => {
    const path = corpusPath(f);
    await sameLog(await perRecord((o, s) => readLdfRecords(path, o, s)), (o, s, k) => readLdfRecordBatches(path, o, s, k));
  });

  it('a damaged copy (bytes overwritten in record areas): same records, same skipped items', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rowback-batches-'));
    const copy = join(dir, 'damaged.ldf');
    await copyFile(corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf'), copy);
    const fh = await open(copy, 'r+');
    const size = (await fh.stat()).size;
    // deterministic damage: 40 runs of 3 bytes spread over the file, avoiding sector fix-up bytes
    for (let i = 0; i < 40; i++) {
      const at = 0x4000 + Math.floor(((i * 7919) % 997) / 997 * (size - 0x8000));
      await fh.write(Buffer.from([0xff, 0xfe, 0xfd]), 0, 3, at - (at % 512) + 40 + (i % 400));
    }
    await fh.close();
    const one = await perRecord((o, s) => readLdfRecords(copy, o, s));
    expect(one.skipped.length).toBeGreaterThan(0);
    await sameLog(one, (o, s, k) => readLdfRecordBatches(copy, o, s, k));
  });

  it.each(['appveyor-lab/sql2008-backups/StopAt/StopAt_1.trn', 'appveyor-lab/sql2008-backups/StopAt/StopAt_2.trn'])('log backup %s', async (f) => {
    const stream = openBackupLogStream(corpusPath(f), 'trn');
    await sameLog(await perRecord((o, s) => stream.records(o, s)), (o, s, k) => stream.batches(o, s, k));
  });
});

describe('RecordKeep', () => {
  it('is given the op code and context byte', () => {
    expect(keep(0x03, 0x02)).toBe(true);
    expect(keep(0x02, 0x02)).toBe(false);
  });
});
