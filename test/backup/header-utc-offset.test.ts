/**
 * A backup set's dates (RESTORE HEADERONLY's BackupStartDate, …) are the SQL Server's local time,
 * with no zone: `inspect --format json` printed them bare (`"backupStartDate": "2017-06-01T12:59:12"`),
 * which a JSON reader takes for UTC, while the text form said "SQL Server local time" beside each.
 * The set's SSET block holds the server's offset from UTC at its start (MTF 1.00a Structure 6, Time
 * Zone INT8 @95, 15-minute units, 127 = unknown; msdb's backupset.time_zone in the same units).
 * REAL: every backup of the corpus; each offset is the one the zone of the git commit that published
 * the file gives or allows (SOURCE.txt; header.ts has the list). SYNTHETIC: a copy of REAL
 * RestoreTimeClean_1.trn with the Time Zone byte set to 127 (unknown) and to 100 (beyond any zone).
 */
import { copyFileSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listBackupSets, readBackupHeader } from '../../src/backup/header.js';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-header-utc-offset-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** REAL: each backup (and set) → the offset its header gives; the commit zone that agrees with it, from SOURCE.txt. */
const EXPECTED: Array<[string[], number, string, string]> = [
  [['Chinook_Analysis', 'Chinook.bak'], 1, '+02:00', '2026-03-05T14:51:08Z'], // committed 16:54:10 +0200, 3 minutes after
  [['FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak'], 1, '+03:00', '2025-01-18T23:33:47Z'], // +0300
  [['Northwind-stripe', 'Northwind.bak'], 1, '-05:00', '2024-12-09T23:58:10Z'], // committed 19:31:18 -0500
  [['StDb2005', 'StDb2EFRP', 'StDb2Sql.bak'], 1, '-04:00', '2009-08-11T18:57:39Z'], // US Eastern, daylight time
  [['StDb2005', 'StDb2EFRP', 'StDb2Sql.bak'], 2, '-05:00', '2010-12-03T04:08:33Z'], // the same server, standard time
  [['TSQLV4-compressed', 'TSQLV4.bak'], 1, '-05:00', '2017-01-10T13:01:42Z'],
  [['pubs-2012', 'pubs.bak'], 1, '-06:00', '2024-05-06T01:15:01Z'], // -0600
  [['appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'], 1, '+02:00', '2017-06-01T10:59:12Z'],
  [['appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak'], 1, '+01:00', '2020-05-12T12:28:44Z'],
  [['appveyor-lab', 'sql2008-backups', 'db1', 'DIFF', 'SQL2008_db1_DIFF_20170518_041819.bak'], 1, '+02:00', '2017-05-18T02:18:19Z'], // committed 04:24:58 +0200
];

describeCorpus("a backup set's offset from UTC (SSET Time Zone @95)", () => {
  it.each(EXPECTED)('%j set %i: %s', (parts, position, offset, utc) => {
    const h = readBackupHeader(corpusPath(...parts), undefined, position);
    expect(h.utcOffset).toBe(offset);
    expect(h.backupStartDateUtc).toBe(utc);
    expect(listBackupSets(corpusPath(...parts))[position - 1]).toMatchObject({ utcOffset: offset, backupStartDateUtc: utc });
  });

  it('inspect --format json says what its dates are (timeZone) and gives the header\'s offset and the start in UTC; text too', async () => {
    const f = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn');
    const r = await cli('inspect', f, '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.timeZone).toBe('SQL Server local time');
    expect(j.header).toMatchObject({ backupStartDate: '2017-06-01T13:04:13', utcOffset: '+02:00', utcOffsetMinutes: 120, backupStartDateUtc: '2017-06-01T11:04:13Z' });
    const t = await cli('inspect', f);
    expect(t.stdout).toMatch(/\nbackup start +2017-06-01T13:04:13 \(SQL Server local time, UTC\+02:00 by the backup header: 2017-06-01T11:04:13Z\)\n/);
    expect(t.stdout).toMatch(/\nbackup finish +2017-06-01T13:04:13 \(SQL Server local time\)\n/);
    // a data file's dates are the server's local time too
    const d = JSON.parse((await cli('inspect', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--format', 'json')).stdout);
    expect(d.timeZone).toBe('SQL Server local time');
  });

  it('SYNTHETIC: a Time Zone byte of 127 (unknown) or beyond any zone gives no offset and no UTC, said as local only', async () => {
    const real = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn');
    const sset = readMtfLayout(real).dblks.find((b) => b.type === 'SSET')!;
    for (const [byte, name] of [[127, 'unknown.trn'], [100, 'beyond.trn']] as const) {
      const copy = join(dir, name);
      copyFileSync(real, copy);
      const fd = openSync(copy, 'r+');
      writeSync(fd, Buffer.from([byte]), 0, 1, sset.offset + 95);
      closeSync(fd);
      const h = readBackupHeader(copy);
      expect(h).toMatchObject({ utcOffsetMinutes: null, utcOffset: null, backupStartDateUtc: null, backupStartDate: '2017-06-01T13:04:13' });
      const t = await cli('inspect', copy);
      expect(t.stdout).toMatch(/\nbackup start +2017-06-01T13:04:13 \(SQL Server local time\)\n/);
    }
  });
});
