/**
 * A backup set asked for by number (`--position N`) from a file that holds backup sets of ANOTHER
 * database too (one backup device shared by several databases, BACKUP … WITH NOINIT) was read
 * without a word: `rowback log F --position 2`, F = StopAt.bak with RestoreTimeClean_1.trn appended,
 * printed RestoreTimeClean's log, and `dump/scan/diff --bak G --position 2`, G = StopAt.bak with
 * RestoreTimeClean.bak appended, read RestoreTimeClean's pages, the file's StopAt set unsaid. The set
 * is still read (it was asked for), and a note says, even with --quiet, that the file holds sets of
 * two databases, naming both (name, binding id, FamilyGUID) and the set read, in the words of the
 * note on another database's set left out of a --trn file ("check that F is the file meant: one
 * backup device shared by several databases"). A file of one database's sets says nothing; log
 * backups of two databases given as one chain (several --trn files) stay refused.
 *
 * SYNTHETIC files made at test time from REAL corpus bytes (appendedBackupSet). Never in the repo.
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
// HEADERONLY BindingID / FamilyGUID of the two databases (REAL corpus headers)
const RTC_ID = 'binding id F784761B-0032-4636-9A07-202706D9F791, FamilyGUID E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9';
const SA_ID = 'binding id 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA, FamilyGUID 8A118155-C949-42C1-BCE2-EFF2A9F9ED28';
let fullThenLog: string; // StopAt.bak, RestoreTimeClean_1.trn
let logThenLog: string; // StopAt_1.trn, RestoreTimeClean_1.trn
let fullThenFull: string; // StopAt.bak, RestoreTimeClean.bak
let oneDatabase: string; // RestoreTimeClean_1.trn, RestoreTimeClean_2.trn
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-position-other-db-'));
  fullThenLog = join(dir, 'stopat-full-rtc-log.trn');
  writeFileSync(fullThenLog, appendedBackupSet(stopAt('StopAt.bak'), rtc('RestoreTimeClean_1.trn')));
  logThenLog = join(dir, 'stopat-log-rtc-log.trn');
  writeFileSync(logThenLog, appendedBackupSet(stopAt('StopAt_1.trn'), rtc('RestoreTimeClean_1.trn')));
  fullThenFull = join(dir, 'stopat-full-rtc-full.bak');
  writeFileSync(fullThenFull, appendedBackupSet(stopAt('StopAt.bak'), rtc('RestoreTimeClean.bak')));
  oneDatabase = join(dir, 'rtc-log-log.trn');
  writeFileSync(oneDatabase, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lines of `stderr` that say `file` holds sets of two databases. */
const twoDatabases = (stderr: string, file: string) => stderr.split('\n').filter((l) => l.includes(`${file} holds backup sets of two databases`));

describeCorpus('a set asked for by number from a file of two databases: read, and said (even with --quiet)', () => {
  it('log F --position 2: RestoreTimeClean_1.trn\'s records, the file\'s two databases named', async () => {
    const alone = await cli('log', rtc('RestoreTimeClean_1.trn'), '--format', 'csv');
    expect(alone.code, alone.stderr).toBe(0);
    for (const f of [fullThenLog, logThenLog]) {
      const r = await cli('log', f, '--position', '2', '--format', 'csv', '--quiet');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(alone.stdout);
      const lines = twoDatabases(r.stderr, f);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`set 2, a log backup of RestoreTimeClean (${RTC_ID}), is printed`);
      expect(lines[0]).toContain(`set 1, a ${f === fullThenLog ? 'full' : 'log'} backup of another database, StopAt (${SA_ID}), is not read`);
      expect(lines[0]).toContain(`check that ${f} is the file meant: one backup device shared by several databases`);
    }
    // set 1 asked for: StopAt's printed, RestoreTimeClean's named
    const one = await cli('log', logThenLog, '--position', '1', '--format', 'csv', '--quiet');
    expect(one.stdout).toBe((await cli('log', stopAt('StopAt_1.trn'), '--format', 'csv')).stdout);
    expect(twoDatabases(one.stderr, logThenLog)[0]).toContain(`set 1, a log backup of StopAt (${SA_ID}), is printed`);
  });

  it('a file of one database\'s sets: nothing said', async () => {
    const r = await cli('log', oneDatabase, '--position', '2', '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe((await cli('log', rtc('RestoreTimeClean_2.trn'), '--format', 'csv')).stdout);
    expect(r.stderr).not.toContain('databases');
  });

  it('dump, scan and diff --bak G --position 2: RestoreTimeClean.bak\'s rows, the file\'s two databases named', async () => {
    const said = (stderr: string) => {
      const lines = twoDatabases(stderr, fullThenFull);
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toContain(`set 2, a full backup of RestoreTimeClean (${RTC_ID}), is read`);
      expect(lines[0]).toContain(`set 1, a full backup of another database, StopAt (${SA_ID}), is not read`);
    };
    const dumpAlone = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--table', 'dbo.steps');
    const dump = await cli('dump', '--bak', fullThenFull, '--position', '2', '--table', 'dbo.steps', '--quiet');
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toBe(dumpAlone.stdout);
    said(dump.stderr);
    const T = '2017-06-01T13:02:00';
    const replayAlone = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', T, '--table', 'dbo.steps');
    const replay = await cli('dump', '--bak', fullThenFull, '--position', '2', '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', T, '--table', 'dbo.steps', '--quiet');
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toBe(replayAlone.stdout);
    said(replay.stderr);
    const scan = await cli('scan', '--bak', fullThenFull, '--position', '2', '--trn', rtc('RestoreTimeClean_1.trn'), '--op', 'insert', '--table', 'dbo.steps', '--quiet');
    expect(scan.code, scan.stderr).toBe(0);
    said(scan.stderr);
    const later = ['--after-bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps'];
    for (const replayed of [[], ['--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', T]]) {
      const alone = await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), ...replayed, ...later);
      const r = await cli('diff', '--bak', fullThenFull, '--position', '2', ...replayed, ...later, '--quiet');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(alone.stdout);
      said(r.stderr);
    }
  });

  it('still refused: log backups of two databases given as one chain (several --trn files, or one file\'s sets)', async () => {
    const T = '2017-06-01T13:02:00';
    expect(expectOneLineError(await cli('log', rtc('RestoreTimeClean_1.trn'), stopAt('StopAt_1.trn')), 'INPUT_MIXED_DATABASES')).toContain('StopAt');
    expect(expectOneLineError(await cli('log', logThenLog), 'INPUT_MIXED_DATABASES')).toContain(`${logThenLog} (backup set 2) (database RestoreTimeClean)`);
    expect(expectOneLineError(await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), stopAt('StopAt_1.trn'), '--stop-at', T, '--table', 'dbo.steps'), 'INPUT_MIXED_DATABASES')).toContain('StopAt');
    expect(expectOneLineError(await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), logThenLog, '--op', 'insert'), 'INPUT_MIXED_DATABASES')).toContain(`${logThenLog} (backup set 1) (database StopAt)`);
    expect(expectOneLineError(await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), stopAt('StopAt_1.trn'), '--stop-at', T, '--after-bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps'), 'INPUT_MIXED_DATABASES')).toContain('StopAt');
  });
});
