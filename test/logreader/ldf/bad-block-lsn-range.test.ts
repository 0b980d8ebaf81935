/**
 * A damaged log block (FORMAT_BAD_LOG_BLOCK: checksum fails, torn sectors) names the LSN range it
 * lost, at the reader (reader.ts giveHeldBadBlocks / endLogStream): it said only `{ file, offset }`,
 * and restore plan (placedLosses, lossFirstLsnAmong) and the merged read (LdfHoles.settle) paired it
 * after the fact with the FORMAT_LOG_GAP at its offset, the stream short of its header, or the
 * earliest range of the file.
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL files (never written to the repo):
 * - appveyor-lab StopAt_2.trn (one VLF range, blocks 13:b7 at 7680 … 13:c0 at 12288, 512 bytes each;
 *   header FirstLSN 13:b7:1, LastLSN 13:c1:1): one byte flipped in its first block (7680), in a
 *   middle one (9216, 13:ba), in two consecutive ones (9216, 9728), in two apart (9216 and 10752),
 *   bytes overwritten in its last (12288, 13:c0);
 * - StopAt.bak (a full backup: log blocks at 1451520 and 1491968): both damaged;
 * - db1's SQL2008_db1_LOG_20170518_041831.trn (VLF 0x142 in one MQTL range, 0x143 in the next): the
 *   last block of VLF 0x142 (209920, 142:1ef, 512 bytes) torn, and apart, the first block of VLF
 *   0x143 (272896, 143:10, 1536 bytes) torn;
 * - sql-practice-asp's School_Log.ldf: the last block of VLF 0x28 (501760, 28:1d4, 38912 bytes)
 *   torn; apart, the first block of VLF 0x29 (548864, 29:10, 51200 bytes) torn;
 * - AngularJs_CRUD's Database1_log.ldf: its last current block (36864, 25:38, 512 bytes, the end of
 *   the active log) with one byte flipped.
 * Each case is read by the per-record and the batch reader (an .ldf also VLF by VLF, as the
 * parallel reader's workers read it), which must give the same items.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBackupLogStream } from '../../../src/backup/log-stream.js';
import { readLdfLayout, readLdfRecordBatches, readLdfRecords } from '../../../src/logreader/ldf/reader.js';
import type { SkippedItem } from '../../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { damagedCopy } from '../../support/damaged-copy.js';

const STOPBAK = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak');
const STOP2 = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_2.trn');
const DB1 = corpusPath('appveyor-lab', 'sql2008-backups', 'db1', 'LOG', 'SQL2008_db1_LOG_20170518_041831.trn');
const SCHOOL = corpusPath('sql-practice-asp', 'App_Data', 'School_Log.ldf');
const ANG = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-bad-block-range-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const copy = (src: string, edit: (b: Buffer) => void): string => damagedCopy(src, join(dir, `${n++}-${src.split('/').pop()}`), edit);

/** The skipped items of a backup's log stream, read per record and in batches (asserted the same). */
async function trnItems(file: string): Promise<SkippedItem[]> {
  const a: SkippedItem[] = [];
  for await (const _ of openBackupLogStream(file, 'trn').records({ onSkipped: (x) => a.push(x) })) void _;
  const b: SkippedItem[] = [];
  for await (const _ of openBackupLogStream(file, 'trn').batches({ onSkipped: (x) => b.push(x) }, undefined, () => false)) void _;
  expect(b).toEqual(a);
  return a;
}

/**
 * The skipped items of an .ldf, read per record and in batches, and in batches VLF by VLF (one
 * range of VLFs per read, as the parallel reader hands them to its workers): asserted the same.
 */
async function ldfItems(file: string): Promise<SkippedItem[]> {
  const a: SkippedItem[] = [];
  for await (const _ of readLdfRecords(file, { onSkipped: (x) => a.push(x) })) void _;
  const b: SkippedItem[] = [];
  for await (const _ of readLdfRecordBatches(file, { onSkipped: (x) => b.push(x) })) void _;
  expect(b).toEqual(a);
  const c: SkippedItem[] = [];
  const vlfs = (await readLdfLayout(file)).vlfs.length;
  for (let i = 0; i < vlfs; i++) for await (const _ of readLdfRecordBatches(file, { onSkipped: (x) => c.push(x) }, undefined, undefined, { from: i, to: i + 1 })) void _;
  expect(c).toEqual(a);
  return a;
}

const bad = (items: SkippedItem[]) => items.filter((x) => x.code === 'FORMAT_BAD_LOG_BLOCK');
const range = (first: string, last: string) => ({ first, last });

describeCorpus('a damaged log block names the LSN range it lost', () => {
  it('a middle block of a log backup: the range of the gap it leaves, in its lsnRange and its reason', async () => {
    const items = await trnItems(copy(STOP2, (b) => { b[9216 + 300] ^= 0xff; }));
    expect(items.map((x) => x.code)).toEqual(['FORMAT_BAD_LOG_BLOCK', 'FORMAT_LOG_GAP']);
    expect(items[0]!.location).toEqual({ file: expect.stringContaining('StopAt_2.trn'), offset: 9216 });
    expect(items[0]!.lsnRange).toEqual(range('00000013:000000ba:0001', '00000013:000000bb:0001'));
    expect(items[0]!.lsnRange).toEqual(items[1]!.lsnRange);
    expect(items[0]!.reason).toMatch(/^512 bytes skipped: log block checksum 0x[0-9a-f]+ stored, 0x[0-9a-f]+ computed \(damaged block\); LSNs from 00000013:000000ba:0001 up to 00000013:000000bb:0001 could not be read$/);
  });

  it('the first block of a log backup\'s stream: from the header\'s FirstLSN up to the first block read (no gap item names it)', async () => {
    const items = await trnItems(copy(STOP2, (b) => { b[7680 + 300] ^= 0xff; }));
    expect(items.map((x) => x.code)).toEqual(['FORMAT_BAD_LOG_BLOCK']);
    expect(items[0]!.location.offset).toBe(7680);
    expect(items[0]!.lsnRange).toEqual(range('00000013:000000b7:0001', '00000013:000000b8:0001'));
  });

  it('the last block of a log backup\'s stream: up to the header\'s LastLSN, said so', async () => {
    const items = await trnItems(copy(STOP2, (b) => b.fill(0x5a, 12400, 12400 + 32)));
    expect(items.map((x) => x.code)).toEqual(['FORMAT_BAD_LOG_BLOCK']);
    expect(items[0]!.location.offset).toBe(12288);
    expect(items[0]!.lsnRange).toEqual(range('00000013:000000c0:0001', '00000013:000000c1:0001'));
    expect(items[0]!.reason).toContain("LSNs from 00000013:000000c0:0001 up to 00000013:000000c1:0001 could not be read: no readable block follows it in the stream, so it lost the log up to the backup header's LastLSN");
  });

  it('a full backup whose every log block is damaged (StopAt.bak, blocks at 1451520 and 1491968): says the loss runs up to its header\'s LastLSN from a start not known, not that its header\'s LSN range is not known (the header reads whole)', async () => {
    const items: SkippedItem[] = [];
    const f = copy(STOPBAK, (b) => { b[1451520 + 300] ^= 0xff; b[1491968 + 300] ^= 0xff; });
    for await (const _ of openBackupLogStream(f, 'bak').records({ onSkipped: (x) => items.push(x) })) void _;
    expect(bad(items).map((x) => [x.location.offset, x.lsnRange])).toEqual([[1451520, undefined]]);
    expect(bad(items)[0]!.reason).not.toContain("header's LSN range is not known");
    expect(bad(items)[0]!.reason).toContain("no readable block of the stream is read: it lost the backup's log up to its header's LastLSN 00000013:000000a1:0001, from where that log starts, which is not known (a full or differential backup's log may start before its header's FirstLSN)");
  });

  it('two consecutive damaged blocks: one run, the range of both; two apart: each its own range', async () => {
    const run = await trnItems(copy(STOP2, (b) => { b[9216 + 300] ^= 0xff; b[9728 + 300] ^= 0xff; }));
    expect(bad(run).map((x) => [x.location.offset, x.lsnRange])).toEqual([[9216, range('00000013:000000ba:0001', '00000013:000000bc:0001')]]);
    expect(bad(run)[0]!.reason).toMatch(/^1024 bytes skipped: /);
    const apart = await trnItems(copy(STOP2, (b) => { b[9216 + 300] ^= 0xff; b[10752 + 300] ^= 0xff; }));
    expect(apart.map((x) => [x.code, x.location.offset, x.lsnRange])).toEqual([
      ['FORMAT_BAD_LOG_BLOCK', 9216, range('00000013:000000ba:0001', '00000013:000000bb:0001')],
      ['FORMAT_LOG_GAP', 9216, range('00000013:000000ba:0001', '00000013:000000bb:0001')],
      ['FORMAT_BAD_LOG_BLOCK', 10752, range('00000013:000000bd:0001', '00000013:000000be:0001')],
      ['FORMAT_LOG_GAP', 10752, range('00000013:000000bd:0001', '00000013:000000be:0001')],
    ]);
  });

  it('at a VLF boundary of a log backup (the stream\'s next range): the last block of VLF 0x142 up to 143:10, the first block of 0x143 from where 0x142\'s log read ends', async () => {
    const last = await trnItems(copy(DB1, (b) => b.fill(0x5a, 209920 + 100, 209920 + 300)));
    expect(last.map((x) => [x.code, x.location.offset, x.lsnRange])).toEqual([
      ['FORMAT_BAD_LOG_BLOCK', 209920, range('00000142:000001ef:0001', '00000143:00000010:0001')],
      ['FORMAT_LOG_GAP', 209920, range('00000142:000001ef:0001', '00000143:00000010:0001')],
    ]);
    const first = await trnItems(copy(DB1, (b) => b.fill(0x5a, 272896 + 100, 272896 + 300)));
    expect(first.map((x) => [x.code, x.location.offset, x.lsnRange])).toEqual([
      ['FORMAT_BAD_LOG_BLOCK', 272896, range('00000142:000001f0:0001', '00000143:00000013:0001')],
      ['FORMAT_LOG_GAP', 274432, range('00000142:000001f0:0001', '00000143:00000013:0001')],
    ]);
  });

  it('.ldf at a VLF boundary: VLF 0x28\'s last block up to 29:10 (the next VLF\'s first block names another last block), VLF 0x29\'s first block from where 0x28\'s log read ends', async () => {
    const last = await ldfItems(copy(SCHOOL, (b) => b.fill(0x5a, 501760 + 100, 501760 + 300)));
    expect(last.map((x) => [x.code, x.location.offset, x.lsnRange])).toEqual([
      ['FORMAT_BAD_LOG_BLOCK', 501760, range('00000028:000001d4:0001', '00000029:00000010:0001')],
      ['FORMAT_LOG_GAP', 501760, range('00000028:000001d4:0001', '00000029:00000010:0001')],
    ]);
    const first = await ldfItems(copy(SCHOOL, (b) => b.fill(0x5a, 548864 + 100, 548864 + 300)));
    expect(first.map((x) => [x.code, x.location.offset, x.lsnRange])).toEqual([
      ['FORMAT_BAD_LOG_BLOCK', 548864, range('00000028:00000220:0001', '00000029:00000074:0001')],
      ['FORMAT_LOG_GAP', 548864, range('00000028:00000220:0001', '00000029:00000074:0001')],
    ]);
  });

  it('.ldf, the last block of the active log: the LSN positions its bytes hold, and that how far the log went into them is not known', async () => {
    const items = await ldfItems(copy(ANG, (b) => { b[36864 + 300] ^= 0xff; }));
    expect(items.map((x) => [x.code, x.location.offset, x.lsnRange])).toEqual([['FORMAT_BAD_LOG_BLOCK', 36864, range('00000025:00000038:0001', '00000025:00000039:0001')]]);
    expect(items[0]!.reason).toContain('LSNs from 00000025:00000038:0001 up to 00000025:00000039:0001 could not be read (the LSN positions of the damaged bytes: no readable block of VLF 0x25 follows them, so whether its log went on into them, and how far, is not known)');
  });

  it('.ldf, a middle block: the gap\'s range (Database1_log.ldf, one byte flipped at 335360)', async () => {
    const items = await ldfItems(copy(ANG, (b) => { b[335360 + 300] ^= 0xff; }));
    expect(items.map((x) => [x.code, x.location.offset, x.lsnRange])).toEqual([
      ['FORMAT_BAD_LOG_BLOCK', 335360, range('00000023:0000008f:0001', '00000023:00000091:0001')],
      ['FORMAT_LOG_GAP', 335360, range('00000023:0000008f:0001', '00000023:00000091:0001')],
    ]);
  });
});
