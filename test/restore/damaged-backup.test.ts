import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { readFolderHistory } from '../../src/restore/history.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A folder whose log backup is damaged (one MTF descriptor block zeroed): the backup is left out of
 * the plan, and a refusal said only "there is no log backup after the full backup" — with the log
 * backup right there. It names the file left out now. (Copies of the corpus's RestoreTimeClean.)
 */
describeCorpus('restore plan over a folder holding a damaged log backup', () => {
  it('a refusal names the backup left out as damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-damaged-folder-'));
    copyFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'), join(dir, 'RestoreTimeClean.bak'));
    const b = Buffer.from(readFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn')));
    b.fill(0, 6144, 6656);
    writeFileSync(join(dir, 'RestoreTimeClean_1.trn'), b);
    const h = readFolderHistory([dir]);
    expect(() => planChain(h.sets, { kind: 'time', time: '2017-06-01T13:01:13.000' }, h.skipped)).toThrow(/after the last point.*left out as damaged \(cut or unreadable; `rowback inspect` says where\): .*RestoreTimeClean_1\.trn/);
  });
});
