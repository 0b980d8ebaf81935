/**
 * assertEachBackupOnce, for a file of a full backup and a differential given twice, advises the two
 * ways to read them (`--bak FILE --position N`, `--bak FILE FILE --position 1,2`): each path a word
 * of a POSIX command line (util/shell-word.ts shellWord). A file in `my dir` was advised bare, two
 * words when pasted. SYNTHETIC two-set file: REAL RestoreTimeClean.bak with RestoreTimeClean2.bak
 * appended (test/support/appended-backup-set.ts), written under a name holding a space, a `'` and a
 * line break.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { assertEachBackupOnce } from '../../src/backup/open.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const work = suiteTempDir('rowback-bak-twice-words-');

describeCorpus('a file of two sets given twice: the advised words', () => {
  it.skipIf(process.platform === 'win32')('name the file given, as the shell reads them back', () => {
    const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const dir = join(work(), "my dir/it's\nx");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'full-diff.bak');
    writeFileSync(file, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
    let m = '';
    try {
      assertEachBackupOnce([file, file]);
    } catch (e) {
      m = (e as Error).message;
    }
    expect(advisedWords(m, 'read one set at a time here: --bak ', ' --position N;')).toEqual([file]);
    expect(advisedWords(m, 'two sets of one file, --bak ', ' --position 1,2')).toEqual([file, file]);
  });
});
