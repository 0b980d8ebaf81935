/**
 * A backup file written WITH NOINIT holds several backup sets, and they may be backups of different
 * databases (`BACKUP LOG A TO DISK = 'logs.trn'; BACKUP LOG B TO DISK = 'logs.trn' WITH NOINIT`, a
 * common maintenance-script habit). The binding-id check read the first set only:
 * - `scan --bak A.bak --trn logs.trn` read set 2 (database B's log) with A's table metadata, and
 *   said only that "log backups do not chain";
 * - `scan --bak AB.bak --position 2 --trn A.trn` took B's catalog for A's log (checked against set 1,
 *   database A), and `--position 2 --trn B.trn`, the right pair, was refused naming database A.
 * Every set that is read is now checked.
 *
 * The two-set files are MODIFIED copies written to a temp dir at test time from real corpus bytes:
 * one corpus backup file whole, then another corpus backup's sets (from its SSET block on) appended,
 * which is what WITH NOINIT writes (the MTF walk counts the sets by their SSET blocks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { readSourceIdentities } from '../../src/recover/source-identity.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);

let dir: string;
let twoLogs: string;
let twoFulls: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-noinit-'));
  twoLogs = join(dir, 'logs.trn');
  writeFileSync(twoLogs, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), stopAt('StopAt_1.trn')));
  twoFulls = join(dir, 'fulls.bak');
  writeFileSync(twoFulls, appendedBackupSet(rtc('RestoreTimeClean.bak'), stopAt('StopAt.bak')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('backup files holding sets of two databases (WITH NOINIT)', () => {
  it('the copies hold two sets: RestoreTimeClean then StopAt', async () => {
    for (const f of [twoLogs, twoFulls]) {
      expect([1, 2].map((p) => readBackupHeader(f, undefined, p).databaseName)).toEqual(['RestoreTimeClean', 'StopAt']);
    }
    expect((await readSourceIdentities(twoLogs, 'trn')).map((i) => [i.set, i.databaseName])).toEqual([[1, 'RestoreTimeClean'], [2, 'StopAt']]);
    expect((await readSourceIdentities(twoFulls, 'bak', 2)).map((i) => [i.set, i.databaseName])).toEqual([[2, 'StopAt']]);
  });

  it('scan --trn of a file whose set 2 is another database: refused naming the set (it read both logs)', async () => {
    const r = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', twoLogs, '--op', 'insert');
    const line = expectOneLineError(r, 'INPUT_MIXED_DATABASES');
    expect(r.code).toBe(2);
    expect(line).toContain(`log backup ${twoLogs} (backup set 2) (database StopAt)`);
    expect(line).toContain('(database RestoreTimeClean)');
  });

  it('log of that file with --bak of the first database: refused (it labelled both logs with one catalog)', async () => {
    const r = await cli('log', twoLogs, '--bak', rtc('RestoreTimeClean.bak'));
    expect(expectOneLineError(r, 'INPUT_MIXED_DATABASES')).toContain(`${twoLogs} (backup set 2) (database StopAt)`);
    // the one set of the database asked for still reads
    const one = await cli('log', twoLogs, '--position', '1', '--bak', rtc('RestoreTimeClean.bak'), '--quiet');
    expect(one.code).toBe(0);
    expect(one.stdout.trim().split('\n').length).toBeGreaterThan(100);
  });

  it('scan --bak FILE --position 2 is checked against set 2\'s database, not set 1\'s', async () => {
    // set 2 is StopAt: RestoreTimeClean's log with StopAt's catalog is refused (it passed)
    const wrong = await cli('scan', '--bak', twoFulls, '--position', '2', '--trn', rtc('RestoreTimeClean_1.trn'), '--op', 'insert');
    expect(expectOneLineError(wrong, 'INPUT_MIXED_DATABASES')).toContain(`backup ${twoFulls} (backup set 2) (database StopAt)`);
    // and StopAt's own log with it reads its 10 inserted steps (it was refused naming RestoreTimeClean)
    const right = await cli('scan', '--bak', twoFulls, '--position', '2', '--trn', stopAt('StopAt_1.trn'), '--op', 'insert', '--quiet');
    expect(right.code).toBe(0);
    expect(right.stdout.trim().split('\n')).toHaveLength(10);
  });
});
