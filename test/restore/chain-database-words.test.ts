/**
 * otherNamesHint advises `--database NAME` for each name of a renamed database: each a word of a
 * POSIX command line (util/shell-word.ts shellWord). A database `Sales Archive` (names may hold
 * spaces and quotes, "Database identifiers") was advised bare, two words when pasted.
 * SYNTHETIC backup set records: only the fields the hint reads.
 */
import { describe, expect, it } from 'vitest';
import { otherNamesHint } from '../../src/restore/chain.js';
import type { BackupSetRecord } from '../../src/restore/history.js';
import { advisedWords } from '../support/shell-words.js';

const record = (databaseName: string, file: string): BackupSetRecord =>
  ({ source: 'file', backupType: 'full', copyOnly: null, databaseName, serverName: null, position: 1, devices: [file], firstLsn: '1', lastLsn: '2', checkpointLsn: null, databaseBackupLsn: null, differentialBaseLsn: null, differentialBaseGuid: null, backupSetGuid: null, bindingId: 'B1', databaseGuid: null }) as unknown as BackupSetRecord;

describe.skipIf(process.platform === 'win32')('otherNamesHint: the --database advice', () => {
  it("names holding a space, a ' and a line break read back as themselves", () => {
    const chosen = "Sales Archive";
    const other = "it's\nold";
    const hint = otherNamesHint([record(chosen, '/b/a.bak')], [record(other, '/b/o.bak')]);
    expect(advisedWords(hint, 'plan across the rename with ', '; if')).toEqual(['--database', chosen, '--database', other]);
  });
});
