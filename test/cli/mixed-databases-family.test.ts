/**
 * INPUT_MIXED_DATABASES says which of the two a mix is when both files show their FamilyGUID
 * (backups: HEADERONLY FamilyGUID): two databases (two families), or a database and a copy of it
 * restored as a new database (one family: RESTORE gives the copy a new binding id and keeps the
 * family GUID, sys.database_recovery_status). Before, every refusal said "different databases … (or
 * one database and a restore of it as a new database)", leaving the user to find out which.
 *
 * REAL bytes: RestoreTimeClean.bak, StopAt_1.trn (another database, another family), and data/log
 * files (no family GUID shown: both readings still said). SYNTHETIC: a copy of RestoreTimeClean_1.trn
 * made here whose HEADERONLY BindingID (SCIN @124, in both copies of its header) is changed, as a restored copy's log backup would
 * carry another binding id with the same family GUID.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
/** F784761B-0032-4636-9A07-202706D9F791 as stored (GUID byte order). */
const RTC_BINDING = Buffer.from('1b7684f7320036469a07202706d9f791', 'hex');

describeCorpus('INPUT_MIXED_DATABASES names the family GUIDs where both files show one', () => {
  let dir: string;
  let copyTrn: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-mixed-family-'));
    const b = Buffer.from(readFileSync(rtc('RestoreTimeClean_1.trn')));
    // in both copies of the backup set's header (opening and closing configuration stream: a copy
    // changed in one only is a damaged header, FORMAT_BAD_BACKUP_HEADER, config-copies.test.ts)
    const at: number[] = [];
    for (let i = b.indexOf(RTC_BINDING); i >= 0; i = b.indexOf(RTC_BINDING, i + 1)) at.push(i);
    expect(at.length).toBeGreaterThanOrEqual(2);
    for (const i of at) b.writeUInt32LE(0xaaaaaaaa, i);
    copyTrn = join(dir, 'restored-copy_1.trn');
    writeFileSync(copyTrn, b);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two families: two databases', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_1.trn')), 'INPUT_MIXED_DATABASES');
    expect(line).toContain('binding id F784761B-0032-4636-9A07-202706D9F791 vs 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA and FamilyGUID E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9 vs 8A118155-C949-42C1-BCE2-EFF2A9F9ED28: two databases, not a restored copy of one');
  });

  it('one family, another binding id: a database and a restored copy of it, still refused', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', copyTrn), 'INPUT_MIXED_DATABASES');
    expect(line).toContain('binding id F784761B-0032-4636-9A07-202706D9F791 vs AAAAAAAA-0032-4636-9A07-202706D9F791, of one backup family (FamilyGUID E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9): one database and a copy of it restored as a new database');
  });

  it('data and log files (no family GUID shown): both readings said, as before', async () => {
    const line = expectOneLineError(await cli('scan', '--mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--ldf', corpusPath('CRUD-.NET/App_Data/Database_log.ldf')), 'INPUT_MIXED_DATABASES');
    expect(line).toContain('(or to one database and a restore of it as a new database');
  });

  it('two full backups of two databases given together (--bak A.bak B.bak, checked as one restore sequence): the families named there too', async () => {
    const stopAt = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak');
    for (const args of [['dump', '--bak', rtc('RestoreTimeClean.bak'), stopAt, '--all'], ['scan', '--bak', rtc('RestoreTimeClean.bak'), stopAt]]) {
      const line = expectOneLineError(await cli(...args), 'INPUT_MIXED_DATABASES');
      expect(line, args[0]).toContain(': two databases, not a restored copy of one');
      expect(line, args[0]).not.toContain('(or to one database and a restore of it');
    }
  });
});
