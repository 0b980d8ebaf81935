/**
 * assertBackupSet's refusals advise options and commands naming the backup file (`--trn FILE`,
 * `--bak FILE --position N`, `rowback log FILE --position N`, `--bak FULL.bak FILE --position
 * N,M`): each path a word of a POSIX command line (util/shell-word.ts shellWord). A backup in
 * `my dir` was advised bare, two words when pasted. SYNTHETIC headers: no file is read (a file that
 * does not exist: the readers' look-ups fail and are passed over).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBackupSet, type BackupSetHeader } from '../../src/recover/source-identity.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { advisedWords, AWKWARD_PATH } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const cli = captureCli();
const work = suiteTempDir('rowback-identity-words-');

const header = (over: Partial<BackupSetHeader>): BackupSetHeader => ({ file: AWKWARD_PATH, backupType: 'full', databaseName: 'D', bindingId: 'B', backupSetGuid: 'G2', differentialBaseGuid: null, differentialBaseLsn: null, backupStartDate: null, ...over });

function refusal(headers: BackupSetHeader[]): string {
  try {
    assertBackupSet(headers);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe.skipIf(process.platform === 'win32')('assertBackupSet: the advised words name the file given', () => {
  it('a differential alone, its file of several sets: --bak FULL.bak FILE --position N,M', () => {
    const m = refusal([header({ backupType: 'differential', differentialBaseGuid: 'G1', position: 2, backupSets: 2 })]);
    expect(advisedWords(m, 'give it first (--bak FULL.bak ', '); ')).toEqual([AWKWARD_PATH]);
    expect(advisedWords(m, 'one per file (--bak FULL.bak ', ' --position N,2)')).toEqual([AWKWARD_PATH]);
  });
});

/**
 * A log backup set picked in a file that holds a database backup set beside it: the advice names the
 * file with --trn, with --bak --position, and `rowback log FILE --position N`, each a shell word.
 * SYNTHETIC two-set file: REAL RestoreTimeClean.bak with RestoreTimeClean_1.trn appended
 * (test/support/appended-backup-set.ts), under a name holding a space, a `'` and a line break.
 */
describeCorpus('a log set beside a database set: the advised words name the file', () => {
  it.skipIf(process.platform === 'win32')('--trn FILE, --bak FILE --position 1, rowback log FILE --position 2', async () => {
    const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const dir = join(work(), "full log it's\nx");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'sets.bak');
    writeFileSync(file, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn')));
    const r = await cli('dump', '--bak', file, '--position', '2', '--table', 'dbo.T');
    expect(r.code).toBe(2);
    const m = r.stderr.trimEnd();
    expect(m).toContain('INPUT_NOT_A_DATABASE_BACKUP');
    expect(advisedWords(m, 'give the file with --trn ', ' (its log backup sets')).toEqual([file]);
    expect(advisedWords(m, 'the database backup with --bak ', ' --position 1;')).toEqual([file]);
    expect(advisedWords(m, 'listed by rowback log ', ' --position 2')).toEqual([file]);
  });
});
