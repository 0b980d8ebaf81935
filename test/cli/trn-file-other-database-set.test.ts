/**
 * A --trn file holding ANOTHER database's full backup set with this database's log backup set
 * appended (one backup device shared by several databases, BACKUP … WITH NOINIT): `scan --trn F`
 * (and `diff --trn F`, a restore job's `trn`) refused it INPUT_MIXED_DATABASES, while `dump --trn F`
 * and `log F` read its log set and noted the other database's set left out (df59429a, 11446bfe). The
 * set is a full backup, never part of a log chain, and nothing of it is read; the log set is checked
 * against the other files' database as before. All now agree: the log set read, the other database's
 * set left out with a note naming that database, said even with --quiet (a file mixing two
 * databases' backups never passes without a word); a log set of another database is still refused.
 *
 * SYNTHETIC file made at test time from REAL corpus bytes (appendedBackupSet): StopAt.bak whole, then
 * RestoreTimeClean_1.trn's set appended as set 2. Never in the repo.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const captured = captureCli();
let dir: string;
const cli = cliWithOutFile(captured, () => dir);
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
let mixed: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-trn-other-db-'));
  mixed = join(dir, 'stopat-full-rtc-log.trn');
  writeFileSync(mixed, appendedBackupSet(stopAt('StopAt.bak'), rtc('RestoreTimeClean_1.trn')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a --trn file of another database\'s full set and this database\'s log set: scan, dump, log and diff agree', () => {
  it('scan: the log set read as RestoreTimeClean_1.trn is, the StopAt set noted (also with --quiet), not refused', async () => {
    const alone = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), '--op', 'insert', '--table', 'dbo.steps');
    expect(alone.code, alone.stderr).toBe(0);
    for (const quiet of [[], ['--quiet']]) {
      const r = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', mixed, '--op', 'insert', '--table', 'dbo.steps', ...quiet);
      expect(r.code, r.stderr).toBe(0);
      // the same rows; only where each was read differs (the file and its offset in it)
      const rows = (out: string) => out.trim().split('\n').map((l) => { const x = JSON.parse(l) as Record<string, unknown>; delete x.source; return JSON.stringify(x); });
      expect(rows(r.stdout)).toEqual(rows(alone.stdout));
      expect(rows(r.stdout).length).toBeGreaterThan(0);
      expect(r.stderr.split('\n').filter((l) => l.includes('of another database (StopAt)'))).toHaveLength(1);
      expect(r.stderr).not.toContain(`--bak ${mixed} --position 1`);
    }
  });

  it('dump --trn: the rows of RestoreTimeClean_1.trn, the StopAt set noted (also with --quiet)', async () => {
    const T = '2017-06-01T13:02:00';
    const alone = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', T, '--table', 'dbo.steps');
    expect(alone.code, alone.stderr).toBe(0);
    for (const quiet of [[], ['--quiet']]) {
      const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', mixed, '--stop-at', T, '--table', 'dbo.steps', ...quiet);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(alone.stdout);
      expect(r.stderr.split('\n').filter((l) => l.includes('a full backup of another database, StopAt'))).toHaveLength(1);
    }
  });

  it('log: the records of RestoreTimeClean_1.trn, the StopAt set noted (also with --quiet)', async () => {
    const alone = await cli('log', rtc('RestoreTimeClean_1.trn'), '--format', 'csv');
    const r = await cli('log', mixed, '--format', 'csv', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(alone.stdout);
    expect(r.stderr).toContain('set 1 a full backup of another database (StopAt): left out');
  });

  it('diff --trn: replayed through the log set, the StopAt set noted (also with --quiet), not refused', async () => {
    const T = '2017-06-01T13:02:00';
    const later = ['--after-bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps'];
    const alone = await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', T, ...later);
    expect(alone.code, alone.stderr).toBe(0);
    const r = await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), '--trn', mixed, '--stop-at', T, ...later, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(alone.stdout);
    expect(r.stderr).toContain('a full backup of another database, StopAt');
  });

  it('still refused: the log set of another database than --bak (StopAt.bak as the base)', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', stopAt('StopAt.bak'), '--trn', mixed, '--op', 'insert'), 'INPUT_MIXED_DATABASES');
    expect(line).toContain(`log backup ${mixed} (backup set 2) (database RestoreTimeClean)`);
    expect(expectOneLineError(await cli('dump', '--bak', stopAt('StopAt.bak'), '--trn', mixed, '--stop-at', '2017-06-01T13:02:00', '--table', 'dbo.steps'), 'INPUT_MIXED_DATABASES')).toContain('RestoreTimeClean');
  });
});
