/**
 * A 0-byte .trn in the folder (a copy that never got its bytes) is listed as skipped
 * (INPUT_EMPTY_FILE), but a refusal it causes named only the backups there: "after the last point
 * the backups reach: the last log backup, _1.trn" with _2.trn right beside it, empty. The refusal
 * names it now, as it names a backup left out as damaged. Copies of the corpus's RestoreTimeClean.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { readFolderHistory } from '../../src/restore/history.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('restore plan over a folder holding an empty log backup', () => {
  it('a refusal names the 0-byte file left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-empty-trn-'));
    for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn']) copyFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', f), join(dir, f));
    writeFileSync(join(dir, 'RestoreTimeClean_2.trn'), '');
    const h = readFolderHistory([dir]);
    expect(h.skipped.map((s) => s.code)).toEqual(['INPUT_EMPTY_FILE']);
    expect(() => planChain(h.sets, { kind: 'time', time: '2017-06-01T13:06:00.000' }, h.skipped)).toThrow(/after the last point.*; left out as empty \(0 bytes: a copy that did not finish\?\): \S*RestoreTimeClean_2\.trn$/);
  });
});
