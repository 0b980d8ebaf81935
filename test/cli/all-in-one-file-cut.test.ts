/**
 * `scan --bak ALL.bak --position 1 --trn ALL.bak` (the README's everything-in-one-file layout) of a
 * copy cut short before its log backup sets, or of a file holding the full backup alone, was refused
 * "ALL.bak is a full backup, not a log backup; give it with --bak": it WAS given with --bak, and the
 * cut (the reason its log backup sets are gone) was said nowhere. Now: it holds no log backup set,
 * its set is read with --bak, where the file is cut, and the way on.
 *
 * SYNTHETIC files made at test time from REAL corpus bytes: RestoreTimeClean.bak whole, then
 * RestoreTimeClean_1.trn's set appended (appendedBackupSet), cut 3,000 bytes past the full backup's
 * end and inside the full backup. Never in the repo.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('everything-in-one-file given as --bak and --trn, holding no log backup set', () => {
  let dir: string;
  let cutInTrailer: string;
  let cutInFull: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-all-cut-'));
    const all = appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn'));
    const fullSize = statSync(rtc('RestoreTimeClean.bak')).size;
    cutInTrailer = join(dir, 'all-cut-in-trailer.bak');
    writeFileSync(cutInTrailer, all.subarray(0, fullSize - 2000));
    cutInFull = join(dir, 'all-cut-in-full.bak');
    writeFileSync(cutInFull, all.subarray(0, 1_000_000));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const which of ['in its closing blocks', 'in its data'] as const) {
    it(`a copy cut in the full backup, ${which}: says it holds no log backup set, where it is cut, not "give it with --bak"`, async () => {
      const f = which === 'in its closing blocks' ? cutInTrailer : cutInFull;
      const r = await cli('scan', '--bak', f, '--position', '1', '--trn', f, '--op', 'insert');
      const line = expectOneLineError(r, 'INPUT_NOT_A_LOG_BACKUP');
      expect(line).toContain(`${f} holds no log backup set: its one backup set is a full backup, read with --bak ${f}; the file is cut short (`);
      expect(line).toContain('give a whole copy of it');
      expect(line).not.toContain('give it with --bak');
    });
  }

  it('a whole one-set full backup as --bak and --trn: no cut said, the way on named', async () => {
    const f = rtc('RestoreTimeClean.bak');
    const r = await cli('scan', '--bak', f, '--trn', f, '--op', 'insert');
    const line = expectOneLineError(r, 'INPUT_NOT_A_LOG_BACKUP');
    expect(line).toContain(`${f} holds no log backup set`);
    expect(line).not.toContain('cut short');
    expect(line).toContain(`leave out --trn ${f}`);
  });

  it('given with --trn alone, the advice stays "give it with --bak"', async () => {
    const r = await cli('scan', '--trn', cutInFull, '--op', 'insert');
    expect(expectOneLineError(r, 'INPUT_NOT_A_LOG_BACKUP')).toContain('give it with --bak');
  });
});
