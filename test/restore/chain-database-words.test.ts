/**
 * otherNamesHint advises `--database NAME` for each name of a renamed database: each a word of a
 * POSIX command line (util/shell-word.ts shellWord). A database `Sales Archive` (names may hold
 * spaces and quotes, "Database identifiers") was advised bare, two words when pasted.
 * SYNTHETIC backup set records: only the fields the hint reads.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDatabase, otherNamesHint, planChain } from '../../src/restore/chain.js';
import { readFolderHistory } from '../../src/restore/history.js';
import type { BackupSetRecord } from '../../src/restore/history.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const work = suiteTempDir('rowback-chain-words-');

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

/**
 * A folder of a full backup and no log backup, planned to a time after it: the refusal advises
 * `rowback dump --bak FILE --table T`, the file a word of a POSIX command line. REAL pubs-2012/pubs.bak
 * linked under a name holding a space, a `'` and a line break.
 */
describeCorpus('planChain, a full backup alone: the dump advice names its file', () => {
  it.skipIf(process.platform === 'win32')('as the shell reads it back', () => {
    const dir = join(work(), 'folder');
    mkdirSync(dir);
    const bak = join(dir, "pubs it's\nx.bak");
    symlinkSync(corpusPath('pubs-2012', 'pubs.bak'), bak);
    const h = readFolderHistory([dir]);
    let m = '';
    try {
      planChain(chooseDatabase(h), { kind: 'time', time: '2030-01-01T10:00:00.000' }, h.skipped);
    } catch (e) {
      m = (e as Error).message;
    }
    expect(advisedWords(m, '`rowback dump --bak ', ' --table T`')).toEqual([bak]);
  });
});
