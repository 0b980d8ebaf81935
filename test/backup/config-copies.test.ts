import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configCopiesDisagree } from '../../src/backup/config-stream.js';
import { readBackupHeader } from '../../src/backup/header.js';
import { openBackupLogStream } from '../../src/backup/log-stream.js';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { readBootPage } from '../../src/datafile/boot-page.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';

const cli = captureCli();

/**
 * A backup set's header (SQL Server's configuration stream, MQCI) is written twice: after the MSCI
 * block that opens the set and after the MSLS block that closes it (src/backup/config-stream.ts).
 * REAL corpus files; the damaged ones are copies of StopAt_1.trn altered here (SYNTHETIC damage).
 */
describeCorpus('the two copies of a backup set\'s header', () => {
  const fin = corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak');
  const stopAt1 = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_1.trn');
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-config-copies-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const backups = (): string[] => (readdirSync(CORPUS_DIR, { recursive: true }) as string[]).filter((f) => /\.(bak|trn)$/i.test(f)).map((f) => join(CORPUS_DIR, f)).sort();

  it('a SQL Server 2019 full backup: FirstLSN, LastLSN and CheckpointLSN are the closing copy\'s, the ones its log and boot page hold (the opening copy\'s named log the backup does not hold)', async () => {
    const h = readBackupHeader(fin);
    // the opening copy says 00000026:000007f8:0096 / 00000026:00000848:0001 / 00000026:000007f8:0096
    expect([h.firstLsn.lsn, h.lastLsn.lsn, h.checkpointLsn.lsn]).toEqual(['00000026:00000860:0001', '00000026:00000878:0001', '00000026:00000860:0001']);
    expect(h.firstLsn.decimal).toBe('38000000214400001');
    // the backup's own boot page (dbi_checkptLSN) and the first record of its log stream say the same
    const pages = openBackupPageSource(fin);
    try {
      expect(readBootPage(pages).checkpointLsn).toBe(h.checkpointLsn.lsn);
    } finally {
      pages.close();
    }
    const lsns: string[] = [];
    for await (const r of openBackupLogStream(fin, 'bak').records()) lsns.push(r['Current LSN']);
    expect(lsns).toEqual(['00000026:00000860:0001', '00000026:00000868:0001', '00000026:00000870:0001']);
  });

  it('the copies of every set of every corpus backup agree where SQL Server writes both alike: no false alarm', () => {
    const files = backups();
    expect(files.length).toBeGreaterThanOrEqual(22);
    const alarms = files.flatMap((f) => readMtfLayout(f).problems.filter((p) => p.code === 'FORMAT_BAD_BACKUP_HEADER').map((p) => `${f}: ${p.reason}`));
    expect(alarms).toEqual([]);
  });

  it('one copy damaged in the server name is a WARNING naming both values and both offsets; the header shown is the closing copy\'s', () => {
    const f = damagedCopy(stopAt1, join(dir, 'server.trn'), (b) => {
      const o = headerCopyOffsets(stopAt1).opening;
      // SCIN is the stream's first record; @108/@110 the server name's byte length / offset in it
      b[o + b.readUInt16LE(o + 110)] ^= 0x01; // 'J' → 'K'
    });
    const layout = readMtfLayout(f);
    expect(layout.problems.filter((x) => x.code === 'FORMAT_BAD_BACKUP_HEADER')).toEqual([]);
    const p = layout.problems.filter((x) => x.code === 'BACKUP_HEADER_WARNING');
    expect(p).toHaveLength(1);
    expect(p[0]!.reason).toMatch(/^backup set 1's header is held twice \(SQL Server's configuration stream at offset 3662, opening the set, and at offset 75342, closing it\) and the two copies disagree on the server name \(the field at offset 3770 in the opening copy, 75450 in the closing copy\): "KUMPBOX\\SQL2008R2" in the opening copy, "JUMPBOX\\SQL2008R2" in the closing copy\. One of them is damaged and rowback cannot tell which: the server name shown \(the closing copy's\) is uncertain\. No restore, replay or chain check reads it, so the set is used as usual: nothing to do for a restore \(the true server name is in another copy of this backup, rowback inspect COPY, or in msdb's backup history on the server\)$/);
    expect(p[0]!.location).toEqual({ file: f, offset: 3770 });
    expect(readBackupHeader(f, layout).serverName).toBe('JUMPBOX\\SQL2008R2');
  });

  it('a record of one copy damaged (its file list cut there) is told; a closing copy whose FirstLSN is earlier than the opening one\'s and than the log stream\'s is a WARNING, the opening copy used', () => {
    const { opening, closing } = headerCopyOffsets(stopAt1);
    const cut = damagedCopy(stopAt1, join(dir, 'sfin.trn'), (b) => {
      let p = opening;
      for (let i = 0; i < 3; i++) p += b.readUInt32LE(p + 4); // SCIN, SFGI, SFIN: the second SFIN (the log file)
      b[p + 4] = 0xff; // its length now runs past the stream: the list ends before it
    });
    expect(readMtfLayout(cut).problems.map((x) => x.reason)).toEqual([expect.stringMatching(/disagree on the list of header records \(SCIN the database, SFGI a filegroup, SFIN a file; each with its length in bytes\) \(the field at offset \d+ in the opening copy, \d+ in the closing copy\): "SCIN\(410\) SFGI\(62\) SFIN\(1196\)" in the opening copy, "SCIN\(410\) SFGI\(62\) SFIN\(1196\) SFIN\(1212\)" in the closing copy/)]);
    // the file list was read from the damaged first copy: the log file was left out with no word
    expect(readBackupHeader(cut).files.map((x) => x.logicalName)).toEqual(['StopAt', 'StopAt_log']);
    const lsn = damagedCopy(stopAt1, join(dir, 'lsn.trn'), (b) => {
      b.writeUInt32LE(b.readUInt32LE(closing + 36) - 1, closing + 36); // FirstLSN's block number
    });
    const l = readMtfLayout(lsn);
    expect(l.problems.map((x) => x.code)).toEqual(['BACKUP_HEADER_WARNING']);
    expect(l.problems[0]!.reason).toContain('disagree on the FirstLSN (the field at offset 3694 in the opening copy, 75374 in the closing copy): "00000013:00000051:00be .. 00000013:000000b7:0001, checkpoint 00000013:00000051:00be" in the opening copy, "00000013:00000050:00be .. 00000013:000000b7:0001, checkpoint 00000013:00000051:00be" in the closing copy; the log stream runs from 00000013:00000051:0001 to 00000013:000000b7:0001: the opening copy\'s LSNs agree with it and are used');
    expect(readBackupHeader(lsn, l).firstLsn.lsn).toBe('00000013:00000051:00be');
  });

  it('configCopiesDisagree: equal copies agree; LSNs are not among its fields (judged against the log stream: header-copy-lsns.test.ts)', () => {
    const layout = readMtfLayout(fin);
    const [a, b] = layout.streams.filter((s) => s.id === 'MQCI');
    const bytes = readFileSync(fin);
    const read = (s: typeof a) => bytes.subarray(s!.dataOffset, s!.dataOffset + s!.length);
    const first = read(a);
    expect(configCopiesDisagree(first, first)).toBeNull();
    // FinancialCrmDb's closing copy: later FirstLSN/LastLSN/CheckpointLSN, a finish date; agreed
    expect(configCopiesDisagree(first, read(b))).toBeNull();
    expect(configCopiesDisagree(read(b), first)).toBeNull();
  });

  it('inspect exits 3 with a WARNING naming the damage, also with --quiet (it printed the damaged name, exit 0)', async () => {
    const f = join(dir, 'server.trn');
    const r = await cli('inspect', f, '--quiet');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/server {19}JUMPBOX\\SQL2008R2/);
    expect(r.stdout).toMatch(/^WARNING: BACKUP_HEADER_WARNING: .* disagree on the server name/m);
    expect(r.stderr).toMatch(/^rowback inspect: WARNING: .*server\.trn: BACKUP_HEADER_WARNING: .* disagree on the server name/m);
    expect(r.stderr).not.toMatch(/INCOMPLETE/);
    const j = JSON.parse((await cli('inspect', f, '--format', 'json')).stdout);
    expect(j.headerWarnings).toEqual([expect.stringMatching(/^BACKUP_HEADER_WARNING: .* disagree on the server name/)]);
  });
});
