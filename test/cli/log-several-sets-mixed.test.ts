/**
 * `rowback log ALL.bak`, ALL.bak a file holding a full backup set and log backup sets (BACKUP
 * DATABASE and BACKUP LOG appended WITH NOINIT to one file, the README's everything-in-one-file
 * layout), was refused INPUT_SEVERAL_BACKUP_SETS ("choose one with --position N"), and a log backup
 * file with a full backup appended after its log sets likewise ("not all are log backups"), while
 * `scan --trn ALL.bak` and `dump --trn ALL.bak` read its log backup sets and leave the database set
 * out of the chain with a note. Now `log` reads them as those do: its log backup sets, printed as
 * the same log backups given as files print (byte for byte, CSV), and one note naming the sets left
 * out and `--position N` to print a database set's own log (which overlaps the log backups').
 *
 * SYNTHETIC files made at test time from REAL corpus bytes (appendedBackupSet: RestoreTimeClean.bak
 * whole, then RestoreTimeClean_1/_2/_3.trn from their SSET blocks on). Never in the repo.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { shellWordsOf } from '../support/shell-words.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const LOGS = () => ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn'].map(rtc);

describeCorpus('rowback log of a file holding a database backup set and log backup sets', () => {
  let dir: string;
  let all: string;
  let logsThenFull: string;
  let fullThenDiff: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-log-mixed-'));
    all = join(dir, 'ALL.bak');
    writeFileSync(all, appendedBackupSet(rtc('RestoreTimeClean.bak'), ...LOGS()));
    logsThenFull = join(dir, 'logs-full.trn');
    writeFileSync(logsThenFull, appendedBackupSet(LOGS()[0]!, LOGS()[1]!, rtc('RestoreTimeClean.bak')));
    fullThenDiff = join(dir, 'full-diff.bak');
    writeFileSync(fullThenDiff, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('log ALL.bak (full, log, log, log): the three log sets printed as the three .trn files print, the full set left out in one note', async () => {
    const files = await cli('log', ...LOGS(), '--format', 'csv');
    expect(files.code, files.stderr).toBe(0);
    const r = await cli('log', all, '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(files.stdout);
    expect(r.stdout.trim().split('\n')).toHaveLength(288);
    const notes = r.stderr.split('\n').filter((l) => l.includes('left out'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toBe(`rowback log: note: ${all} holds 4 backup sets, set 1 a full backup: left out, as scan --trn and dump --trn leave it out of the log chain; its log backup sets 2, 3, 4 are printed (the log it holds for its own restore overlaps them: rowback log ${all} --position 1 prints it alone)`);
    // said with --quiet too, and in --report's notes; --strict: a whole result (exit 0)
    const report = join(dir, 'report.json');
    const q = await cli('log', all, '--format', 'csv', '--quiet', '--strict', '--report', report);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stderr).toContain(`note: ${all} holds 4 backup sets, set 1 a full backup: left out`);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; notes: string[] };
    expect(rep.complete).toBe(true);
    expect(rep.notes.some((n) => n.startsWith(`${all} holds 4 backup sets, set 1 a full backup: left out`))).toBe(true);
  });

  it('the note\'s `rowback log FILE --position N` is a command line: a file named with a space or a line break is one shell word, and followed it prints the set', async () => {
    if (process.platform === 'win32') return;
    // it was `rowback log …/my all.bak --position 1 prints it alone`: pasted, three words
    for (const name of ['my all.bak', 'line\nbreak all.bak']) {
      const odd = join(dir, name);
      writeFileSync(odd, readFileSync(all));
      const r = await cli('log', odd, '--format', 'csv');
      expect(r.code, r.stderr).toBe(0);
      const said = /overlaps them: (rowback log .*? --position 1) prints it alone/.exec(r.stderr)?.[1];
      expect(said, r.stderr).toBeDefined();
      expect(shellWordsOf(said!)).toEqual(['rowback', 'log', odd, '--position', '1']);
      const followed = await cli(...shellWordsOf(said!).slice(1), '--format', 'csv');
      expect(followed.code, followed.stderr).toBe(0);
      expect(followed.stdout).toBe((await cli('log', rtc('RestoreTimeClean.bak'), '--format', 'csv')).stdout);
    }
  });

  it('log ALL.bak --position 1 prints the full set own log; --position 3 the one log set', async () => {
    const one = await cli('log', all, '--position', '1', '--format', 'csv');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).not.toContain('left out');
    const three = await cli('log', all, '--position', '3', '--format', 'csv');
    expect(three.stdout).toBe((await cli('log', LOGS()[1]!, '--format', 'csv')).stdout);
  });

  it('full, differential, then a log backup taken after the differential (SYNTHETIC: RestoreTimeClean.bak, RestoreTimeClean2.bak, RestoreTimeClean2_1.trn): the full set\'s log, which no set printed holds, is not said to overlap them', async () => {
    const fdl = join(dir, 'full-diff-log.bak');
    writeFileSync(fdl, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), rtc('RestoreTimeClean2_1.trn')));
    const r = await cli('log', fdl, '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe((await cli('log', rtc('RestoreTimeClean2_1.trn'), '--format', 'csv')).stdout);
    const note = r.stderr.split('\n').find((l) => l.includes('left out'))!;
    // the differential's log (FirstLSN …ad:0026) meets set 3's (…ad:0001 to …c8:0001); the full's (…3e:00aa to …84:0001) does not
    expect(note).toContain(`the log it holds for its own restore overlaps them: rowback log ${fdl} --position 2 prints it alone`);
    expect(note).toContain(`set 1's log (LSN 00000019:0000003e:00aa to 00000019:00000084:0001) is in none of the log backup sets printed: rowback log ${fdl} --position 1 prints it`);
    const one = await cli('log', fdl, '--position', '1', '--format', 'csv');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe((await cli('log', rtc('RestoreTimeClean.bak'), '--format', 'csv')).stdout);
  });

  it('a log backup file with a full backup appended after its log sets: its log sets read, the full one noted', async () => {
    const r = await cli('log', logsThenFull, '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe((await cli('log', LOGS()[0]!, LOGS()[1]!, '--format', 'csv')).stdout);
    expect(r.stderr).toContain(`note: ${logsThenFull} holds 3 backup sets, set 3 a full backup: left out`);
    expect(r.stderr).toContain(`its log backup sets 1, 2 are printed`);
  });

  it('a full backup of ANOTHER database appended (StopAt.bak then RestoreTimeClean_1.trn, SYNTHETIC): said as another database\'s, not as overlapping the log printed; the file given twice says its note once', async () => {
    const other = join(dir, 'stopat-full-rtc-log.bak');
    writeFileSync(other, appendedBackupSet(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak'), LOGS()[0]!));
    const r = await cli('log', other, '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe((await cli('log', LOGS()[0]!, '--format', 'csv')).stdout);
    expect(r.stderr).toContain(`note: ${other} holds 2 backup sets, set 1 a full backup of another database (StopAt): left out`);
    expect(r.stderr).not.toContain('overlaps them');
    // dump --trn of it: the note said 'give it with --bak F --position 1 to start from it', another database's backup
    const d = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', other, '--stop-at', '2017-06-01T13:02:00', '--table', 'dbo.steps', '--out', join(dir, 'other.ndjson'));
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toContain(`note: ${other} (FILE = 1) is a full backup appended to the log backups' file, not a log backup: left out of the chain (a full backup of another database, StopAt: none of this replay's backups, nothing of it read`);
    expect(d.stderr).not.toContain(`--bak ${other} --position 1`);
    const twice = await cli('log', all, all, '--format', 'csv');
    expect(twice.stderr.split('\n').filter((l) => l.includes('set 1 a full backup: left out'))).toHaveLength(1);
  });

  it('a file of database backup sets only (full, differential): still refused listing the sets (no log backup set to read)', async () => {
    const line = expectOneLineError(await cli('log', fullThenDiff), 'INPUT_SEVERAL_BACKUP_SETS');
    expect(line).toContain(`${fullThenDiff} holds 2 backup sets; choose one with --position N`);
  });
});
