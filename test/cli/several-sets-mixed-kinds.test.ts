/**
 * Files holding backup sets of different kinds (WITH NOINIT appends), read as a whole:
 * - `rowback log X.trn` where set 1 is a log backup and set 2 a full backup: every set was read as a
 *   log backup of the chain, and the full backup's own log (the log its restore needs) was called an
 *   overlapping log backup, "backups of two branches of the database's history". Then refused
 *   (INPUT_SEVERAL_BACKUP_SETS); now its log sets are read and set 2 left out with a note, as scan
 *   --trn does (log-several-sets-mixed.test.ts); `--position 1` / `--position 2` read each.
 * - `rowback scan --trn X` of that file advised "give it with --bak", which cannot be followed (--trn
 *   reads every set of a file); later it was refused as not supported. Now its log backup sets are
 *   read and the full/differential set left out with a note (the log chain is the log backups), as
 *   the point-in-time replay and the live --log-backup read leave it out; its log past the last log
 *   backup is said INCOMPLETE.
 * - `rowback dump --bak X --position 2` where set 2 is a differential and set 1 its full backup: the
 *   advice was `--bak FULL.bak X`, which one --position cannot express. Now: not supported, read set 1
 *   alone or restore both sets on a SQL Server.
 *
 * The files are MODIFIED copies written to a temp dir at test time from real corpus bytes (as in
 * backup-set-named.test.ts): one file whole, then another's set from its SSET block on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('log: a log backup file whose set 2 is a full backup: set 1 read, set 2 left out with a note, not read as two branches', async () => {
    // (it was refused INPUT_SEVERAL_BACKUP_SETS until log-several-sets-mixed.test.ts: now read as scan --trn reads it)
    const r = await cli('log', logThenFull, '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: ${logThenFull} holds 2 backup sets, set 2 a full backup: left out`);
    expect(r.stdout).toBe((await cli('log', rtc('RestoreTimeClean_1.trn'), '--format', 'csv')).stdout);
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

  it('scan --trn of that file reads its log backup set and leaves the full backup set out with a note, rows as the one-set files give them', async () => {
    // before: refused (INPUT_NOT_A_LOG_BACKUP, "a file mixing a database backup with log backups is
    // not supported as --trn"): the common everything-in-one-file layout had no scan at all
    const r = await cli('scan', '--trn', logThenFull, '--bak', rtc('RestoreTimeClean.bak'), '--op', 'insert');
    expect(r.code, r.stderr).toBe(0);
    // the full set is RestoreTimeClean.bak, given with --bak: named as read there
    expect(r.stderr).toContain(`note: ${logThenFull} (backup set 2) is a full backup appended to the log backups' file, not a log backup: left out of the log chain; the same backup (BackupSetGUID 5AF3E50D-A4E0-4E9B-8AEF-FE52898C6359) is read from --bak ${rtc('RestoreTimeClean.bak')}`);
    expect(r.stderr).not.toContain('INCOMPLETE');
    const one = await cli('scan', '--trn', rtc('RestoreTimeClean_1.trn'), '--bak', rtc('RestoreTimeClean.bak'), '--op', 'insert');
    expect(one.code, one.stderr).toBe(0);
    const rows = (out: string) => out.trim().split('\n').map((l) => { const o = JSON.parse(l) as Record<string, unknown>; delete o.source; return JSON.stringify(o); });
    expect(rows(r.stdout).length).toBe(10);
    expect(rows(r.stdout)).toEqual(rows(one.stdout));
    // the file's own full set as --bak: read as the database backup, no note
    const own = await cli('scan', '--bak', logThenFull, '--position', '2', '--trn', logThenFull, '--op', 'insert');
    expect(own.code, own.stderr).toBe(0);
    expect(own.stderr).not.toContain('left out of the log chain');
    expect(rows(own.stdout)).toEqual(rows(one.stdout));
  });

  it('scan --trn of a file whose full or differential set holds log past the last log backup: that stretch is said INCOMPLETE, not passed over', async () => {
    const logsThenDiff = join(dir, 'log-log-diff.trn');
    writeFileSync(logsThenDiff, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean2.bak')));
    const r = await cli('scan', '--trn', logsThenDiff, '--bak', rtc('RestoreTimeClean.bak'), '--op', 'insert');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBe(20);
    // its full backup is the --bak given: said so. Before: 'to read it as the database backup, give
    // --bak FILE --position 3', a dead end (a differential alone is refused, and one --position
    // cannot pick set 3 of FILE beside the full backup's file: both checked below)
    expect(r.stderr).toContain(`note: ${logsThenDiff} (backup set 3) is a differential backup appended to the log backups' file, not a log backup: left out of the log chain (a differential backup neither breaks nor joins it); its full backup is read from --bak ${rtc('RestoreTimeClean.bak')}`);
    expect(r.stderr).not.toContain(`give --bak ${logsThenDiff} --position 3`);
    expectOneLineError(await cli('scan', '--bak', logsThenDiff, '--position', '3', '--trn', logsThenDiff, '--op', 'insert'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expectOneLineError(await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--bak', logsThenDiff, '--position', '3', '--trn', logsThenDiff, '--op', 'insert'), 'INPUT_BAD_OPTION');
    // the differential's log (00000019:000000ad:0026 to 00000019:000000be:0001) goes past _2.trn's end (00000019:000000a3:0001)
    expect(r.stderr).toContain(`INCOMPLETE: ${logsThenDiff} (backup set 3), a differential backup left out of the log chain, holds log up to LSN 00000019:000000be:0001, and the log backups given end at 00000019:000000a3:0001 (${logsThenDiff}, set 2): the rows deleted or changed between are not in this result`);
    const strict = await cli('scan', '--trn', logsThenDiff, '--bak', rtc('RestoreTimeClean.bak'), '--op', 'insert', '--strict');
    expect(strict.code).not.toBe(0);
  });

  it('scan --trn of a full backup file of one set, given with --bak too: holds no log backup set, leave out --trn (not "give it with --bak", done already)', async () => {
    const line = expectOneLineError(await cli('scan', '--trn', rtc('RestoreTimeClean.bak'), '--bak', rtc('RestoreTimeClean.bak')), 'INPUT_NOT_A_LOG_BACKUP');
    expect(line).toContain(`${rtc('RestoreTimeClean.bak')} holds no log backup set: its one backup set is a full backup, read with --bak`);
    expect(line).not.toContain('give it with --bak');
  });

  it('a differential whose full backup is set 1 of the same file: dump advises the file twice with a set each (dump-position-per-file.test.ts); scan, which reads one number, keeps "not supported" with advice that works', async () => {
    const line = expectOneLineError(await cli('dump', '--bak', fullThenDiff, '--position', '2', '--all'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(line).toContain(`${fullThenDiff} (backup set 2) is a differential backup of RestoreTimeClean`);
    expect(line).toContain('which is backup set 1 of the same file');
    expect(line).toContain(`--bak ${fullThenDiff} ${fullThenDiff} --position 1,2`);
    expect(line).not.toContain('--bak FULL.bak');
    const scan = expectOneLineError(await cli('scan', '--bak', fullThenDiff, '--position', '2', '--trn', rtc('RestoreTimeClean2_1.trn')), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(scan).toContain('cannot be read together (not supported)');
    expect(scan).toContain('--position 1');
  });

  it('dump: a differential alone in its file keeps the advice to give its full backup first', async () => {
    const line = expectOneLineError(await cli('dump', '--bak', rtc('RestoreTimeClean2.bak'), '--all'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(line).toContain(`give it first (--bak FULL.bak ${rtc('RestoreTimeClean2.bak')})`);
  });

  it('a differential set whose full backup is in another file (SYNTHETIC: REAL StopAt.bak, another database, with RestoreTimeClean2.bak appended as set 2): the advice gives a set number per file, which, followed with RestoreTimeClean.bak as FULL.bak, reads; scan names the commands that take it', async () => {
    const shared = join(dir, 'other-full-then-diff.bak');
    writeFileSync(shared, appendedBackupSet(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak'), rtc('RestoreTimeClean2.bak')));
    const line = expectOneLineError(await cli('dump', '--bak', shared, '--position', '2', '--table', 'dbo.steps'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(line).toContain(`give it first (--bak FULL.bak ${shared}), with a set number for each file, in order: --position N,2`);
    // dump waits on its writes' callbacks, which the stdout mock never calls: --out files
    const followed = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), shared, '--position', '1,2', '--table', 'dbo.steps', '--out', join(dir, 'followed.ndjson'));
    expect(followed.code, followed.stderr).toBe(0);
    expect((await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--out', join(dir, 'files.ndjson'))).code).toBe(0);
    expect(readFileSync(join(dir, 'followed.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'files.ndjson'), 'utf8'));
    expect(readFileSync(join(dir, 'followed.ndjson'), 'utf8').trim().split('\n')).toHaveLength(30);
    const scan = expectOneLineError(await cli('scan', '--bak', shared, '--position', '2', '--trn', rtc('RestoreTimeClean2_1.trn')), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(scan).toContain(`rowback dump and diff take one per file (--bak FULL.bak ${shared} --position N,2)`);
  });

  it('two sets of one file of two databases (--bak F F --position 1,2; SYNTHETIC: REAL StopAt.bak with RestoreTimeClean2.bak appended): refused naming each set, not one path twice', async () => {
    const shared = join(dir, 'other-full-then-diff-2.bak');
    writeFileSync(shared, appendedBackupSet(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak'), rtc('RestoreTimeClean2.bak')));
    const line = expectOneLineError(await cli('dump', '--bak', shared, shared, '--position', '1,2', '--table', 'dbo.steps'), 'INPUT_MIXED_DATABASES');
    expect(line).toContain(`${shared} (backup set 1) (database StopAt) and backup ${shared} (backup set 2) (database RestoreTimeClean)`);
  });

  it('scan --bak FILE --position 1 of a file whose later sets are log backups: says they are there and not read (even with --quiet)', async () => {
    // before: "0 row(s) recovered" and "why no rows", nothing of sets 2-4, the very log a delete made
    // after the full backup is in
    const all = join(dir, 'full-log-log-log.bak');
    writeFileSync(all, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn')));
    const r = await cli('scan', '--bak', all, '--position', '1', '--op', 'insert', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`note: ${all} also holds log backup sets 2, 3, 4, going on to LSN 00000019:000000ad:0001 (backup set 4 started 2017-06-01T13:14:13, the SQL Server's local time), past the log this scan reads: they are not read; add --trn ${all} to read the rows deleted or changed after backup set 1`);
    // part of the chain given: the sets past it are named
    const part = await cli('scan', '--bak', all, '--position', '1', '--trn', rtc('RestoreTimeClean_1.trn'), '--op', 'insert', '--quiet');
    expect(part.stderr).toContain(`note: ${all} also holds log backup sets 3, 4,`);
    // the advice followed: the 30 inserts, no such note
    const followed = await cli('scan', '--bak', all, '--position', '1', '--trn', all, '--op', 'insert', '--quiet');
    expect(followed.stdout.trim().split('\n').length).toBe(30);
    expect(followed.stderr).not.toContain('also holds log backup');
    // the file as --trn alone: no metadata, and the full set at hand is named first (it said only
    // "give … a full backup (--bak FILE.bak)")
    const alone = expectOneLineError(await cli('scan', '--trn', all, '--op', 'insert'), 'INPUT_NO_METADATA');
    expect(alone).toContain(`no table metadata: ${all} (backup set 1) is a full backup of this database: give --bak ${all} --position 1 beside --trn; or give the database's data file`);
    // the whole chain given as files of their own: nothing past it, no note
    const whole = await cli('scan', '--bak', all, '--position', '1', '--trn', rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn'), '--op', 'insert');
    expect(whole.stderr).not.toContain('also holds log backup');
  });

  it('scan --bak FILE --position 1 of a copy cut short in a later set: set 1 is read whole, the damage a note, not INCOMPLETE; with --trn FILE the cut log is INCOMPLETE', async () => {
    // before: "INCOMPLETE: parts of the log could not be read (FORMAT_BAD_MTF)" for damage in a set
    // the scan does not read (dump --bak of the same set already said it as a note)
    const whole = appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn'));
    const cutCopy = join(dir, 'full-logs-cut.bak');
    writeFileSync(cutCopy, whole.subarray(0, whole.length - 100_000));
    const r = await cli('scan', '--bak', cutCopy, '--position', '1', '--op', 'insert', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect(r.stderr).toContain(`note: ${cutCopy}: FORMAT_BAD_MTF after backup set 1, which this scan reads whole (its end block at offset `);
    expect(r.stderr).toContain('), in a later set it does not read: ');
    // with --trn FILE: set 3, the last the cut copy holds, cut short past the end of its log, is judged
    // as a one-set file cut there is (point-in-time-several-sets-cut.test.ts): a note, no log lost
    // (it was INCOMPLETE 'parts of the log could not be read' for any file of several sets)
    const withLog = await cli('scan', '--bak', cutCopy, '--position', '1', '--trn', cutCopy, '--op', 'insert');
    expect(withLog.stderr).toContain(`note: ${cutCopy} (backup set 3): FORMAT_BAD_MTF: stream MQTL of 65538 bytes is cut short by the end of the file`);
    expect(withLog.stderr).toContain('was read before the cut: no log is lost');
    // a copy cut where set 3's log is lost: INCOMPLETE naming the LSNs (set 3's log ends 20,000 bytes into it)
    const lostCopy = join(dir, 'full-logs-cut-in-log.bak');
    writeFileSync(lostCopy, whole.subarray(0, whole.length - 80_896 - 82_432 + 12_000));
    const lost = await cli('scan', '--bak', lostCopy, '--position', '1', '--trn', lostCopy, '--op', 'insert');
    expect(lost.stderr).toContain('INCOMPLETE');
    expect(lost.stderr).toContain('LSNs from 00000019:000000a1:0001 up to 00000019:000000a3:0001 could not be read');
  });

  it('scan --trn of a file of three sets (log, log, full): both log sets read, the full one left out with a note', async () => {
    const three = join(dir, 'log-log-full.trn');
    writeFileSync(three, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean.bak')));
    const r = await cli('scan', '--trn', three, '--bak', rtc('RestoreTimeClean.bak'), '--op', 'insert');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBe(20);
    expect(r.stderr).toContain(`${three} (backup set 3) is a full backup appended to the log backups' file`);
    // and `log` reads its log sets, naming set 3 left out; each set is read with --position
    expect((await cli('log', three)).stderr).toContain(`note: ${three} holds 3 backup sets, set 3 a full backup: left out`);
    const two = await cli('log', three, '--position', '2', '--format', 'ndjson');
    expect(two.code, two.stderr).toBe(0);
  });

  it('scan/dump --bak FILE --position N where set N is a log backup and another set of the file a full backup: the advice names --trn FILE beside --bak FILE --position of the full set, and it works', async () => {
    const fullThenLog = join(dir, 'full-log.bak');
    writeFileSync(fullThenLog, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn')));
    for (const args of [['scan', '--bak', fullThenLog, '--position', '2'], ['dump', '--bak', fullThenLog, '--position', '2', '--all']]) {
      const line = expectOneLineError(await cli(...args), 'INPUT_NOT_A_DATABASE_BACKUP');
      expect(line, args[0]).toContain(`${fullThenLog} (backup set 2) is a log backup: it holds no data pages`);
      expect(line, args[0]).toContain(`give the file with --trn ${fullThenLog} (its log backup sets are read, the database backup set left out of the log chain) and the database backup with --bak ${fullThenLog} --position 1`);
      expect(line, args[0]).toContain(`rowback log ${fullThenLog} --position 2`);
    }
    // the advice followed: the 10 inserts of _1.trn, no note (set 1 is read by --bak)
    const followed = await cli('scan', '--trn', fullThenLog, '--bak', fullThenLog, '--position', '1', '--op', 'insert');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout.trim().split('\n').length).toBe(10);
    expect(followed.stderr).not.toContain('left out of the log chain');
    // a log backup file of one set given as --bak keeps "give it with --trn"
    expect(expectOneLineError(await cli('scan', '--bak', rtc('RestoreTimeClean_1.trn')), 'INPUT_NOT_A_DATABASE_BACKUP')).toContain('give it with --trn');
  });
});
