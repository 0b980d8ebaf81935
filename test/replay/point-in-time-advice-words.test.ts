/**
 * The replay's refusal for a stop past the log given, when the --bak file holds later log backup
 * sets, advises `add --trn FILE`: the path a word of a POSIX command line (util/shell-word.ts
 * shellWord). A file in a folder `my dir` was advised bare, two words when pasted, and one holding a
 * line break printed `\u{a}`, another file. SYNTHETIC file: REAL RestoreTimeClean.bak with its three
 * log backups appended (test/support/appended-backup-set.ts), under a name holding a space, a `'` and
 * a line break.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const cli = captureCli();
const work = suiteTempDir('rowback-pit-words-');
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('point-in-time: the add --trn advice names the --bak file', () => {
  it.skipIf(process.platform === 'win32')('as the shell reads it back', async () => {
    const dir = join(work(), "full logs it's\nx");
    mkdirSync(dir, { recursive: true });
    const F = join(dir, 'full-and-logs.bak');
    writeFileSync(F, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn')));
    const r = await cli('dump', '--bak', F, '--trn', rtc('RestoreTimeClean_1.trn'), '--position', '1', '--stop-at', '2017-06-01T13:12:00', '--table', 'dbo.steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INPUT_RESTORE_TOO_LATE');
    expect(advisedWords(r.stderr.trimEnd(), 'which are not read: add --trn ', ' to replay through them')).toEqual([F]);
  });
});
