/**
 * `scan --bak F --position 1` (and the point-in-time replay's refusal) name the log backup sets F
 * also holds past the log read, with the way on `--trn F` (e4dd32e6, ab0d8640). A log backup set of
 * ANOTHER database appended to F was named too: "F also holds log backup set 2, going on to LSN
 * 00000019:00000099:0001 … add --trn F to read the rows deleted or changed after backup set 1", its
 * LSN compared with this database's as if one log; the advice followed is refused
 * INPUT_MIXED_DATABASES. Now only sets of the same database (BindingID or FamilyGUID) are named.
 *
 * SYNTHETIC file made at test time from REAL corpus bytes (appendedBackupSet): StopAt.bak whole, then
 * RestoreTimeClean_1.trn's set (another database, higher LSNs) appended as set 2. Never in the repo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const cli = captureCli();

describeCorpus('later log sets of another database in a --bak file', () => {
  let dir: string;
  let mixed: string;
  let same: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-other-db-sets-'));
    mixed = join(dir, 'stopat-full-rtc-log.bak');
    writeFileSync(mixed, appendedBackupSet(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak'), corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn')));
    same = join(dir, 'rtc-full-log.bak');
    writeFileSync(same, appendedBackupSet(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'), corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan --trn of a log backup file with a full backup of another database appended: its log set read, set 2 left out with a note naming the other database (as dump and log: trn-file-other-database-set.test.ts)', async () => {
    // SYNTHETIC: RestoreTimeClean_1.trn whole, then StopAt.bak's set appended as set 2
    const f = join(dir, 'rtc-log-stopat-full.trn');
    writeFileSync(f, appendedBackupSet(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn'), corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak')));
    const r = await cli('scan', '--bak', corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'), '--trn', f, '--op', 'insert', '--quiet');
    expect(r.stderr).not.toContain('INPUT_MIXED_DATABASES');
    expect(r.stderr).toContain(`note: ${f} (backup set 2) is a full backup of another database (StopAt) appended to the log backups' file`);
  });

  it('scan: no note sending the DBA to another database\'s log set', async () => {
    const r = await cli('scan', '--bak', mixed, '--position', '1', '--op', 'insert');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('also holds log backup set');
    // the advice it gave is refused: the set is not this database's log
    const followed = await cli('scan', '--bak', mixed, '--position', '1', '--trn', mixed, '--op', 'insert');
    expect(followed.stderr).toContain('INPUT_MIXED_DATABASES');
    // the same layout of one database keeps its note
    const one = await cli('scan', '--bak', same, '--position', '1', '--op', 'insert');
    expect(one.stderr).toContain(`note: ${same} also holds log backup set 2, going on to LSN 00000019:00000099:0001`);
  });

  it('dump --stop-at refusal: no note naming another database\'s log set', async () => {
    const r = await cli('dump', '--bak', mixed, '--position', '1', '--stop-at', '2017-06-01T13:10:00', '--table', 'dbo.steps');
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain('also holds log backup set');
    const one = await cli('dump', '--bak', same, '--position', '1', '--stop-at', '2017-06-01T13:10:00', '--table', 'dbo.steps');
    expect(one.stderr).toContain(`note: ${same} (given with --bak) also holds log backup set 2, going on to LSN 00000019:00000099:0001`);
  });
});
