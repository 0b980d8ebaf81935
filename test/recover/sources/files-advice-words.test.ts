/**
 * The files source's notes and refusals advise options naming a backup file (`add --trn FILE`,
 * `leave out --trn FILE`): each path a word of a POSIX command line (util/shell-word.ts shellWord).
 * A file in a folder `my dir` was advised bare, two words when pasted, and one holding a line break
 * printed `\u{a}`, another file. SYNTHETIC files: REAL RestoreTimeClean backups appended into one
 * file (test/support/appended-backup-set.ts), under a name holding a space, a `'` and a line break.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appendedBackupSet } from '../../support/appended-backup-set.js';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';
import { advisedWords } from '../../support/shell-words.js';
import { suiteTempDir } from '../../support/temp-dir.js';

const cli = captureCli();
const work = suiteTempDir('rowback-files-words-');
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('files source advice: the file as the shell reads it back', () => {
  it.skipIf(process.platform === 'win32')('scan --bak FILE --position 1 of a file whose later sets are log backups: add --trn FILE', async () => {
    const dir = join(work(), "all sets it's\nx");
    mkdirSync(dir, { recursive: true });
    const all = join(dir, 'full-log.bak');
    writeFileSync(all, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn')));
    const r = await cli('scan', '--bak', all, '--position', '1', '--op', 'insert', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const note = r.stderr.split('\n').find((l) => l.includes('add --trn '))!;
    expect(advisedWords(note, 'add --trn ', ' to read the rows')).toEqual([all]);
  });

  it.skipIf(process.platform === 'win32')('scan --trn of a full backup given with --bak too: leave out --trn FILE', async () => {
    const dir = join(work(), "full it's\ny");
    mkdirSync(dir, { recursive: true });
    const full = join(dir, 'full.bak');
    symlinkSync(rtc('RestoreTimeClean.bak'), full);
    const r = await cli('scan', '--trn', full, '--bak', full);
    expect(r.code).toBe(2);
    expect(advisedWords(r.stderr.trimEnd(), 'read with --bak ', '; to read')).toEqual([full]);
    expect(advisedWords(r.stderr.trimEnd(), 'leave out --trn ', ' (file ')).toEqual([full]);
  });
});
