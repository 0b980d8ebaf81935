import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowbackError } from '../../src/errors.js';
import { corpusPath, describeCorpus, listCorpus } from '../support/corpus.js';
import { readBackupHeader } from '../../src/backup/header.js';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { mtfDate, readMtfLayout } from '../../src/backup/mtf.js';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { emptyLogScanStats } from '../../src/logreader/ldf/reader.js';
import type { LogRecord } from '../../src/logreader/log-record.js';

describe('MTF_DATE_TIME', () => {
  it('decodes the 40-bit packed date (bytes from RestoreTimeClean_1.trn SSET)', () => {
    expect(mtfDate(Uint8Array.from([0x1f, 0x85, 0x82, 0xd1, 0x0d]), 0)).toBe('2017-06-01T13:04:13');
    expect(mtfDate(new Uint8Array(5), 0)).toBeNull();
  });
});

describe('refusals (synthetic files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-mtf-'));
  it('MSSQLBAK → FORMAT_COMPRESSED_BACKUP', () => {
    const p = join(dir, 'c.bak');
    writeFileSync(p, Buffer.concat([Buffer.from('MSSQLBAK'), Buffer.alloc(1024)]));
    expect(() => readMtfLayout(p)).toThrow(expect.objectContaining({ code: 'FORMAT_COMPRESSED_BACKUP' }));
  });
  it('no TAPE → FORMAT_NOT_A_BACKUP', () => {
    const p = join(dir, 'x.bak');
    writeFileSync(p, Buffer.alloc(2048, 1));
    expect(() => readMtfLayout(p)).toThrow(expect.objectContaining({ code: 'FORMAT_NOT_A_BACKUP' }));
  });
});

const RTC = 'appveyor-lab/RestoreTimeClean';
const allBackups = (): string[] => {
  const out: string[] = [];
  for (const d of [RTC, 'appveyor-lab/sql2008-backups/StopAt', 'appveyor-lab/sql2008-backups/db1/DIFF', 'appveyor-lab/sql2008-backups/db1/LOG']) {
    for (const f of listCorpus(d)) if (/\.(bak|trn)$/i.test(f)) out.push(`${d}/${f}`);
  }
  return out.sort();
};

describeCorpus('backups on the corpus', () => {
  it('every corpus backup: HEADERONLY fields and FILELISTONLY files', () => {
    const files = allBackups();
    expect(files.length).toBe(16);
    for (const f of files) {
      const h = readBackupHeader(corpusPath(f));
      const want = /DIFF|RestoreTimeClean2\.bak/.test(f) ? 'differential' : /\.bak$/.test(f) ? 'full' : 'log';
      expect(h.backupType, f).toBe(want);
      expect(h.databaseVersion, f).toBe(661);
      expect(h.softwareVersion, f).toMatch(/^10\.50\.(1600|4000)$/);
      expect(BigInt(h.firstLsn.decimal) <= BigInt(h.lastLsn.decimal), f).toBe(true);
      expect(h.files.some((x) => x.type === 'D') && h.files.some((x) => x.type === 'L'), f).toBe(true);
      expect(h.backupStartDate, f).toMatch(/^20(17|20)-/);
    }
  });

  it('MTF walk of RestoreTimeClean.bak: descriptor blocks and streams where the file has them', () => {
    const l = readMtfLayout(corpusPath(RTC, 'RestoreTimeClean.bak'));
    expect(l.dblks.map((d) => `${d.type}@${d.offset.toString(16)}`)).toEqual([
      'TAPE@0', 'SFMB@400', 'SSET@600', 'VOLB@a00', 'MSCI@e00', 'MSDA@1a00', 'MSTL@152200', 'MSTL@162a00', 'MSLS@162e00', 'SFMB@163a00', 'ESET@163c00', 'ESET@164400', 'SFMB@164800',
    ]);
    expect(l.streams.filter((s) => !/PAD$/.test(s.id)).map((s) => `${s.id}@${s.offset.toString(16)}:${s.length.toString(16)}`)).toEqual([
      'RAID@8c:20', 'MQCI@e38:b98', 'MQDA@1de8:150002', 'MQDA@151e00:0', 'MQTL@1525e8:10002', 'MQCI@162e38:b98', 'OTCP@163c58:392', 'TSMP@164000:ca',
    ]);
    expect(l.sets).toBe(1);
    expect(l.problems).toEqual([]);
  });

  it('RestoreTimeClean full backup: names, LSNs, files', () => {
    const h = readBackupHeader(corpusPath(RTC, 'RestoreTimeClean.bak'));
    expect(h).toMatchObject({
      backupType: 'full', backupTypeCode: 1, databaseName: 'RestoreTimeClean', serverName: 'SQL2008', userName: 'BASE\\stuart',
      softwareName: 'Microsoft SQL Server', databaseBackupLsn: null, backupStartDate: '2017-06-01T12:59:12',
    });
    expect(h.firstLsn).toEqual({ lsn: '00000019:0000003e:00aa', decimal: '25000000006200170' });
    expect(h.checkpointLsn.decimal).toBe('25000000006200170');
    expect(h.files.map((f) => [f.logicalName, f.type, f.fileId, f.fileGroupName])).toEqual([
      ['RestoreTimeClean', 'D', 1, 'PRIMARY'],
      ['RestoreTimeClean_log', 'L', 2, null],
    ]);
    expect(h.files[0].physicalName).toMatch(/\\DATA\\RestoreTimeClean\.mdf$/);
  });

  it('RestoreTimeClean log backups chain: each last LSN is the next first LSN, from the full backup on', () => {
    const chain = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'];
    const hs = chain.map((f) => readBackupHeader(corpusPath(RTC, f)));
    const full = readBackupHeader(corpusPath(RTC, 'RestoreTimeClean.bak'));
    expect(hs[0].firstLsn.decimal).toBe(full.firstLsn.decimal);
    for (let i = 0; i + 1 < hs.length; i++) expect(hs[i + 1].firstLsn.decimal, `${chain[i]} → ${chain[i + 1]}`).toBe(hs[i].lastLsn.decimal);
    for (const h of hs) expect(h.databaseBackupLsn?.decimal).toBe(full.checkpointLsn.decimal);
    // The differential RestoreTimeClean2.bak is based on the full backup.
    const diff = readBackupHeader(corpusPath(RTC, 'RestoreTimeClean2.bak'));
    expect(diff.differentialBaseLsn?.decimal).toBe(full.checkpointLsn.decimal);
    // GUIDs: the differential and every log backup name the full backup's BackupSetGUID as their base.
    expect(full.backupSetGuid).toBe('5AF3E50D-A4E0-4E9B-8AEF-FE52898C6359');
    expect(full.baseBackupSetGuid).toBeNull();
    expect(diff.differentialBaseGuid).toBe(full.backupSetGuid);
    for (const h of hs) {
      expect(h.baseBackupSetGuid).toBe(full.backupSetGuid);
      expect(h.differentialBaseGuid).toBeNull();
    }
    expect(new Set(hs.map((h) => h.backupSetGuid)).size).toBe(hs.length);
  });

  it('StopAt log backups chain too', () => {
    const d = 'appveyor-lab/sql2008-backups/StopAt';
    const hs = ['StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'].map((f) => readBackupHeader(corpusPath(d, f)));
    for (let i = 0; i + 1 < hs.length; i++) expect(hs[i + 1].firstLsn.decimal).toBe(hs[i].lastLsn.decimal);
    expect(hs[0].serverName).toBe('JUMPBOX\\SQL2008R2');
  });

  it('sql2008-backups/db1: a differential and two logs, the full is absent (its LSN is named by the others)', () => {
    const d = 'appveyor-lab/sql2008-backups/db1';
    const diff = readBackupHeader(corpusPath(d, 'DIFF/SQL2008_db1_DIFF_20170518_041819.bak'));
    const l1 = readBackupHeader(corpusPath(d, 'LOG/SQL2008_db1_LOG_20170518_041831.trn'));
    const l2 = readBackupHeader(corpusPath(d, 'LOG/SQL2008_db1_LOG_20170518_041837.trn'));
    expect(diff.backupType).toBe('differential');
    expect(diff.differentialBaseLsn?.lsn).toBe('00000143:00000066:0026');
    expect(l1.databaseBackupLsn?.lsn).toBe('00000143:00000066:0026');
    expect(l2.firstLsn.decimal).toBe(l1.lastLsn.decimal);
    expect(diff.files.map((f) => [f.logicalName, f.fileId, f.type])).toEqual([['db1', 1, 'D'], ['db1_1', 3, 'D'], ['db1_log', 2, 'L']]);
    // The missing full backup is named by its GUID.
    expect(diff.differentialBaseGuid).toBe('61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE');
    expect(l1.baseBackupSetGuid).toBe(diff.differentialBaseGuid);
    // The second log backup holds no log records (first = last LSN).
    expect(l2.firstLsn.decimal).toBe(l2.lastLsn.decimal);
  });

  it('page source: the full backup holds the boot page (1:9, type 13) and page 0 (file header, type 15)', () => {
    const p = openBackupPageSource(corpusPath(RTC, 'RestoreTimeClean.bak'));
    try {
      expect(p.fileIds()).toEqual([1]);
      expect(p.stats.pages).toBe(163);
      const boot = p.readPage(1, 9)!;
      expect(boot[1]).toBe(13);
      expect(new DataView(boot.buffer).getUint32(32, true)).toBe(9);
      expect(p.readPage(1, 0)![1]).toBe(15);
      expect(p.readPage(1, 99999)).toBeUndefined();
      expect(p.readPage(2, 0)).toBeUndefined();
    } finally {
      p.close();
    }
    const dp = openBackupPageSource(corpusPath('appveyor-lab/sql2008-backups/db1/DIFF/SQL2008_db1_DIFF_20170518_041819.bak'));
    expect(dp.fileIds()).toEqual([1, 3]);
    expect(dp.readPage(1, 9)![1]).toBe(13);
    dp.close();
    expect(() => openBackupPageSource(corpusPath(RTC, 'RestoreTimeClean_1.trn'))).toThrow(expect.objectContaining({ code: 'FORMAT_NO_DATA_PAGES' }));
  });

  it('log inside .trn: records within the header LSN range, ten committed one-row inserts per backup', async () => {
    for (const f of ['RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_2.trn']) {
      const s = openBackupLogStream(corpusPath(RTC, f));
      const stats = emptyLogScanStats();
      const recs: LogRecord[] = [];
      for await (const r of s.records({ onSkipped: (x) => expect.fail(JSON.stringify(x)) }, stats)) recs.push(r);
      const h = readBackupHeader(corpusPath(RTC, f));
      expect(recs[0]['Current LSN'] >= h.firstLsn.lsn).toBe(true);
      expect(recs.map((r) => r.Operation).filter((o) => o === 'LOP_INSERT_ROWS').length).toBe(10);
      expect(recs.filter((r) => r.Operation === 'LOP_COMMIT_XACT').length).toBe(10);
      for (const r of recs) expect(r.source?.kind).toBe('trn');
    }
  });

  it('RestoreTimeClean_1.trn: the first row image of dbo.steps (id 0, 2017-06-01 12:59:12.970)', async () => {
    const s = openBackupLogStream(corpusPath(RTC, 'RestoreTimeClean_1.trn'));
    const inserts: LogRecord[] = [];
    for await (const r of s.records()) if (r.Operation === 'LOP_INSERT_ROWS' && r.Context === 'LCX_HEAP') inserts.push(r);
    expect(inserts.length).toBe(10);
    const first = inserts[0]['RowLog Contents 0']!;
    // FixedVar: status 0x10, fixed part ends at 16: int id, then 8 bytes of d.
    expect(first[0]).toBe(0x10);
    const v = new DataView(first.buffer, first.byteOffset, first.byteLength);
    expect(v.getUint16(2, true)).toBe(16);
    expect(v.getInt32(4, true)).toBe(0);
    expect(new DataView(inserts[1]['RowLog Contents 0']!.buffer, inserts[1]['RowLog Contents 0']!.byteOffset).getInt32(4, true)).toBe(1);
    // The 8 bytes of d are datetime2(7) (5-byte time in 100 ns units, 3-byte days since 0001-01-01), not datetime:
    const time = Number(v.getUint32(8, true)) + first[12] * 2 ** 32;
    const days = first[13] | (first[14] << 8) | (first[15] << 16);
    expect(days).toBe(736480); // 2017-06-01
    expect(time).toBe(467_529_700_000); // 12:59:12.970
    expect(inserts[0].AllocUnitId).toBe('72057594039762944');
  });

  it('two backup sets in one file (WITH NOINIT): each position is read on its own', async () => {
    // A synthetic arrangement of real bytes: RestoreTimeClean_2.trn, then RestoreTimeClean_3.trn from
    // its SSET block on (as SQL Server appends a set: the media header is not repeated).
    const a = readFileSync(corpusPath(RTC, 'RestoreTimeClean_2.trn'));
    const b = readFileSync(corpusPath(RTC, 'RestoreTimeClean_3.trn'));
    expect(b.toString('latin1', 0x600, 0x604)).toBe('SSET');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-sets-'));
    const p = join(dir, 'two-sets.trn');
    writeFileSync(p, Buffer.concat([a, b.subarray(0x600)]));
    const layout = readMtfLayout(p);
    expect(layout.sets).toBe(2);
    const h1 = readBackupHeader(p, layout, 1);
    const h2 = readBackupHeader(p, layout, 2);
    expect(h1.backupSets).toBe(2);
    expect(h1.firstLsn.decimal).toBe(readBackupHeader(corpusPath(RTC, 'RestoreTimeClean_2.trn')).firstLsn.decimal);
    expect(h2.firstLsn.decimal).toBe(readBackupHeader(corpusPath(RTC, 'RestoreTimeClean_3.trn')).firstLsn.decimal);
    const lsns = async (pos: number) => {
      const out: string[] = [];
      for await (const r of openBackupLogStream(p, 'trn', layout, pos).records()) out.push(r['Current LSN']);
      return out;
    };
    const one = await lsns(1);
    const two = await lsns(2);
    expect(one.length).toBe(30);
    expect(two.length).toBe(30);
    expect(two[0] > one[one.length - 1]).toBe(true);
    expect(() => readBackupHeader(p, layout, 3)).toThrow(expect.objectContaining({ code: 'FORMAT_NO_SUCH_BACKUP_SET' }));
  });

  it('a backup copy cut short inside its log stream still gives its header and the log it holds', async () => {
    const full = readFileSync(corpusPath(RTC, 'RestoreTimeClean_1.trn'));
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cut-'));
    const p = join(dir, 'cut.trn');
    writeFileSync(p, full.subarray(0, 0xb000)); // MQTL payload from 0x1e00: blocks end at 0xa800, 0xaa00, 0xae00, then one cut short
    const layout = readMtfLayout(p);
    expect(layout.problems.map((x) => x.code)).toEqual(['FORMAT_BAD_MTF']);
    expect(layout.problems[0].reason).toMatch(/MQTL .* cut short/);
    expect(readBackupHeader(p, layout).lastLsn.decimal).toBe('25000000015300001');
    const skipped: unknown[] = [];
    const recs: string[] = [];
    for await (const r of openBackupLogStream(p, 'trn', layout).records({ onSkipped: (x) => skipped.push(x) })) recs.push(r['Current LSN']);
    const whole: string[] = [];
    for await (const r of openBackupLogStream(corpusPath(RTC, 'RestoreTimeClean_1.trn')).records()) whole.push(r['Current LSN']);
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.length).toBeLessThan(whole.length);
    expect(whole.slice(0, recs.length)).toEqual(recs);
  });

  it('damaged backups fail only with typed errors or reported items, never a crash (random byte damage to a real .trn)', async () => {
    const orig = readFileSync(corpusPath(RTC, 'RestoreTimeClean_2.trn'));
    const dir = mkdtempSync(join(tmpdir(), 'rowback-fuzz-'));
    const p = join(dir, 'damaged.trn');
    // Damage lands in the MTF blocks and configuration stream (first 0x1e00 bytes) and the log.
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ pos: fc.oneof(fc.nat(0x1dff), fc.nat(orig.length - 1)), val: fc.nat(255) }), { minLength: 1, maxLength: 16 }), async (muts) => {
        const b = Buffer.from(orig);
        for (const m of muts) b[m.pos] = m.val;
        writeFileSync(p, b);
        try {
          const layout = readMtfLayout(p);
          readBackupHeader(p, layout);
          for await (const _ of openBackupLogStream(p, 'trn', layout).records()) void _;
        } catch (e) {
          expect(e).toBeInstanceOf(RowbackError);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
