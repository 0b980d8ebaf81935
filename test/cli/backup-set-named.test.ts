/**
 * A backup file holding several backup sets (WITH NOINIT), `--bak FILE --position N` picking a set
 * that is a log backup or a differential: the refusal names the set (`FILE (backup set 2) is a log
 * backup`). Before, it named the file alone ("FILE is a log backup"), untrue of a file whose set 1 is
 * the full backup the user meant.
 *
 * The two-set files are MODIFIED copies written to a temp dir at test time from real corpus bytes:
 * RestoreTimeClean.bak whole, then RestoreTimeClean_1.trn's (or RestoreTimeClean2.bak's) set from its
 * SSET block on, as WITH NOINIT appends it (identity-per-backup-set.test.ts does the same).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('a backup set of a several-set file refused by its set, not the file', () => {
  let dir: string;
  let fullThenLog: string;
  let fullThenDiff: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-set-named-'));
    fullThenLog = join(dir, 'full-log.bak');
    writeFileSync(fullThenLog, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn')));
    fullThenDiff = join(dir, 'full-diff.bak');
    writeFileSync(fullThenDiff, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('position 2 a log backup: named as set 2 (scan and dump)', async () => {
    for (const argv of [['scan', '--bak', fullThenLog, '--position', '2'], ['dump', '--bak', fullThenLog, '--position', '2', '--all']]) {
      expect(expectOneLineError(await cli(...argv), 'INPUT_NOT_A_DATABASE_BACKUP')).toContain(`${fullThenLog} (backup set 2) is a log backup: it holds no data pages`);
    }
  });

  it('position 2 a differential: named as set 2; position 1, the full backup, is read', async () => {
    expect(expectOneLineError(await cli('dump', '--bak', fullThenDiff, '--position', '2', '--all'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL')).toContain(`${fullThenDiff} (backup set 2) is a differential backup of RestoreTimeClean`);
    const r = await cli('dump', '--bak', fullThenDiff, '--position', '1', '--table', 'dbo.steps', '--quiet');
    expect(r.code, r.stderr).toBe(0);
  });

  it('a file of one set: named as the file', async () => {
    expect(expectOneLineError(await cli('dump', '--bak', rtc('RestoreTimeClean_1.trn'), '--all'), 'INPUT_NOT_A_DATABASE_BACKUP')).toContain(`${rtc('RestoreTimeClean_1.trn')} is a log backup`);
  });
});
