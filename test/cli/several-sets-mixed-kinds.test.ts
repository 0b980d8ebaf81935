/**
 * Files holding backup sets of different kinds (WITH NOINIT appends), read as a whole:
 * - `rowback log X.trn` where set 1 is a log backup and set 2 a full backup: every set was read as a
 *   log backup of the chain, and the full backup's own log (the log its restore needs) was called an
 *   overlapping log backup, "backups of two branches of the database's history". Now refused as a
 *   file whose set 1 is the full backup is (INPUT_SEVERAL_BACKUP_SETS), naming set 2 as a full backup;
 *   `--position 1` / `--position 2` read each.
 * - `rowback scan --trn X` of that file advised "give it with --bak", which cannot be followed (--trn
 *   reads every set of a file): now says it is not supported and what reads each set.
 * - `rowback dump --bak X --position 2` where set 2 is a differential and set 1 its full backup: the
 *   advice was `--bak FULL.bak X`, which one --position cannot express. Now: not supported, read set 1
 *   alone or restore both sets on a SQL Server.
 *
 * The files are MODIFIED copies written to a temp dir at test time from real corpus bytes (as in
 * backup-set-named.test.ts): one file whole, then another's set from its SSET block on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('several backup sets of different kinds in one file', () => {
  let dir: string;
  let logThenFull: string;
  let fullThenDiff: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-mixed-sets-'));
    logThenFull = join(dir, 'log-full.trn');
    writeFileSync(logThenFull, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean.bak')));
    fullThenDiff = join(dir, 'full-diff.bak');
    writeFileSync(fullThenDiff, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('log: a log backup file whose set 2 is a full backup is refused naming set 2, not read as two branches', async () => {
    const r = await cli('log', logThenFull);
    const line = expectOneLineError(r, 'INPUT_SEVERAL_BACKUP_SETS');
    expect(line).toContain(`${logThenFull} holds 2 backup sets and not all are log backups (set 2 is a full backup`);
    expect(line).toContain('--position N');
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('two branches');
  });

  it('log: each set of that file is read with --position', async () => {
    const one = await cli('log', logThenFull, '--position', '1', '--format', 'ndjson');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).not.toContain('FORMAT_LOG_CHAIN_GAP');
    const two = await cli('log', logThenFull, '--position', '2', '--format', 'ndjson');
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).not.toContain('FORMAT_LOG_CHAIN_GAP');
  });

  it('scan --trn of that file: not supported, said with what reads each set (not "give it with --bak", which --trn\'s every-set read cannot follow)', async () => {
    const line = expectOneLineError(await cli('scan', '--trn', logThenFull, '--bak', rtc('RestoreTimeClean.bak')), 'INPUT_NOT_A_LOG_BACKUP');
    expect(line).toContain(`${logThenFull} (backup set 2) is a full backup, not a log backup; --trn reads every backup set of a file, and this file holds log backup set 1 beside it`);
    expect(line).toContain(`rowback log ${logThenFull} --position 1`);
    expect(line).toContain(`--bak ${logThenFull} --position 2`);
    expect(line).not.toContain('give it with --bak');
  });

  it('scan --trn of a full backup file of one set keeps "give it with --bak"', async () => {
    expect(expectOneLineError(await cli('scan', '--trn', rtc('RestoreTimeClean.bak'), '--bak', rtc('RestoreTimeClean.bak')), 'INPUT_NOT_A_LOG_BACKUP')).toContain('is a full backup, not a log backup; give it with --bak');
  });

  it('dump: a differential whose full backup is set 1 of the same file: not supported, with advice that works', async () => {
    const line = expectOneLineError(await cli('dump', '--bak', fullThenDiff, '--position', '2', '--all'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(line).toContain(`${fullThenDiff} (backup set 2) is a differential backup of RestoreTimeClean`);
    expect(line).toContain('which is backup set 1 of the same file');
    expect(line).toContain('cannot be read together (not supported)');
    expect(line).toContain('--position 1');
    expect(line).not.toContain('--bak FULL.bak');
  });

  it('dump: a differential alone in its file keeps the advice to give its full backup first', async () => {
    const line = expectOneLineError(await cli('dump', '--bak', rtc('RestoreTimeClean2.bak'), '--all'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(line).toContain(`give it first (--bak FULL.bak ${rtc('RestoreTimeClean2.bak')})`);
  });

  it('scan --trn of a file of three sets (log, log, full): the advice names a run for each log set, not set 1 alone', async () => {
    const three = join(dir, 'log-log-full.trn');
    writeFileSync(three, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean.bak')));
    const line = expectOneLineError(await cli('scan', '--trn', three, '--bak', rtc('RestoreTimeClean.bak')), 'INPUT_NOT_A_LOG_BACKUP');
    expect(line).toContain('this file holds log backup sets 1, 2 beside it');
    expect(line).toContain(`rowback log ${three} --position 1`);
    expect(line).toContain(`rowback log ${three} --position 2`);
    expect(line).toContain(`--bak ${three} --position 3`);
    // and `log` refuses it whole, naming set 3; each log set is read with --position
    expect(expectOneLineError(await cli('log', three), 'INPUT_SEVERAL_BACKUP_SETS')).toContain('(set 3 is a full backup');
    const two = await cli('log', three, '--position', '2', '--format', 'ndjson');
    expect(two.code, two.stderr).toBe(0);
  });

  it('scan/dump --bak FILE --position N where set N is a log backup and another set of the file a full backup: not "give it with --trn" (--trn reads every set of the file and refuses the full one), but what reads each set', async () => {
    const fullThenLog = join(dir, 'full-log.bak');
    writeFileSync(fullThenLog, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn')));
    for (const args of [['scan', '--bak', fullThenLog, '--position', '2'], ['dump', '--bak', fullThenLog, '--position', '2', '--all']]) {
      const line = expectOneLineError(await cli(...args), 'INPUT_NOT_A_DATABASE_BACKUP');
      expect(line, args[0]).toContain(`${fullThenLog} (backup set 2) is a log backup: it holds no data pages`);
      expect(line, args[0]).not.toContain('give it with --trn');
      expect(line, args[0]).toContain(`rowback log ${fullThenLog} --position 2`);
      expect(line, args[0]).toContain(`--bak ${fullThenLog} --position 1`);
    }
    // a log backup file of one set given as --bak keeps "give it with --trn"
    expect(expectOneLineError(await cli('scan', '--bak', rtc('RestoreTimeClean_1.trn')), 'INPUT_NOT_A_DATABASE_BACKUP')).toContain('give it with --trn');
  });
});
