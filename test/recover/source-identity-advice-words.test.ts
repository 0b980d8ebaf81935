/**
 * assertBackupSet's refusals advise options and commands naming the backup file (`--trn FILE`,
 * `--bak FILE --position N`, `rowback log FILE --position N`, `--bak FULL.bak FILE --position
 * N,M`): each path a word of a POSIX command line (util/shell-word.ts shellWord). A backup in
 * `my dir` was advised bare, two words when pasted. SYNTHETIC headers: no file is read (a file that
 * does not exist: the readers' look-ups fail and are passed over).
 */
import { describe, expect, it } from 'vitest';
import { assertBackupSet, type BackupSetHeader } from '../../src/recover/source-identity.js';
import { advisedWords, AWKWARD_PATH } from '../support/shell-words.js';

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
