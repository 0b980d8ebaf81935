/**
 * The replay's and the files source's advice naming a backup file with its set numbers (`--bak F F
 * --position 1,2`: a full and a differential that are two sets of one file; `--position 1,2 for
 * --bak FULL F`; `give --bak F --position N`): each path a word of a POSIX command line
 * (util/shell-word.ts shellWord), as the advice AW quoted. These were written bare: a file in
 * `my dir` was two words when pasted, one with a `'` broke the line, and a line break printed
 * `\u{a}`, another file. SYNTHETIC files: REAL RestoreTimeClean backups appended into one file
 * (test/support/appended-backup-set.ts) under a name holding a space, a `'` and a line break.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const work = suiteTempDir('rowback-list-advice-words-');
// rows to a file: a dump's rows on the captured stdout are not what is read here
const cli = cliWithOutFile(captureCli(), work);
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const T = '2017-06-01T13:17:00';

function awkwardDir(): string {
  const dir = join(work(), "my dir/it's\nx");
  mkdirSync(dir, { recursive: true });
  return dir;
}

describeCorpus('advice naming a file with its set numbers: the words read back as the file', () => {
  const full = rtc('RestoreTimeClean.bak');
  const skip = process.platform === 'win32';
  it.skipIf(skip)('point-in-time.ts fullSetsInSameFile and set-position.ts oneNumberForEveryFile', async () => {
    const both = join(awkwardDir(), 'full-diff.bak');
    writeFileSync(both, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
    const replayed = expectOneLineError(await cli('dump', '--bak', both, '--position', '2', '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--table', 'dbo.steps'), 'INPUT_RESTORE_NO_FULL');
    expect(advisedWords(replayed, 'full backup first: --bak ', ' --position 1,2')).toEqual([both, both]);
    const one = expectOneLineError(await cli('dump', '--bak', full, both, '--position', '2', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(advisedWords(one, '(--position 1,2 for --bak ', ', if those are the sets)')).toEqual([full, both]);
    // replay/compare.ts sideAdvice: a differential alone as diff's later side
    const diff = join(awkwardDir(), 'diff copy.bak');
    copyFileSync(rtc('RestoreTimeClean2.bak'), diff);
    const later = expectOneLineError(await cli('diff', '--bak', full, '--after-bak', diff, '--table', 'dbo.steps'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(advisedWords(later, 'give it first (--after-bak FULL.bak ', ') (file ')).toEqual([diff]);
  }, 300_000);

  it.skipIf(skip)('point-in-time.ts differentialListAdvice: the differential set 5 of a --trn file whose full backup is its set 1', async () => {
    const all = join(awkwardDir(), 'full-logs-diff.bak');
    writeFileSync(all, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn'), rtc('RestoreTimeClean2.bak'), rtc('RestoreTimeClean2_1.trn')));
    const through = await cli('dump', '--bak', all, '--position', '1', '--trn', all, '--stop-at', T, '--table', 'dbo.steps');
    expect(through.code, through.stderr).toBe(0);
    const note = through.stderr.split('\n').find((l) => l.includes('(FILE = 5) is a differential backup'));
    expect(note, through.stderr).toBeDefined();
    expect(advisedWords(note!, 'give it after its full backup: --bak ', ' --position 1,5')).toEqual([all, all]);
  }, 300_000);

  it.skipIf(skip)('files.ts: the full and the differential sets appended to a --trn file are read from --bak FILE, named as the shell reads it', async () => {
    const dir = awkwardDir();
    const copy = join(dir, 'full copy.bak');
    copyFileSync(full, copy);
    const logs = join(dir, 'log-log-full-diff.trn');
    writeFileSync(logs, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
    const scan = await cli('scan', '--trn', logs, '--bak', copy, '--op', 'insert');
    expect(scan.code, scan.stderr).toBe(0);
    const line = (s: string) => scan.stderr.split('\n').find((l) => l.includes(s)) ?? scan.stderr;
    expect(advisedWords(line('(backup set 3) is a full backup appended'), 'is read from --bak ', '')).toEqual([copy]);
    expect(advisedWords(line('(backup set 4) is a differential backup appended'), 'its full backup is read from --bak ', '')).toEqual([copy]);
  }, 300_000);
});
