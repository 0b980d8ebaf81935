/**
 * A log backup used despite a damaged MTF trailer (FORMAT_BAD_MTF_TRAILER: its finish date unknown,
 * and whether SQL Server's RESTORE reads it only the server tells) is said in the text and json plans
 * as a note. `restore plan --format sql` prints the script alone and `restore run` no plan: the
 * damaged file went into the RESTORE statements without a word. Now one stderr line each.
 * Copies of the corpus's RestoreTimeClean, _1.trn's ESET header damaged.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { runRestorePlan, runRestoreRun } from '../../src/cli/commands/restore.js';
import type { RestoreExecutor } from '../../src/restore/run.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
function folder(): { dir: string; trn: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-caveat-'));
  copyFileSync(R('RestoreTimeClean.bak'), join(dir, 'RestoreTimeClean.bak'));
  const b = Buffer.from(readFileSync(R('RestoreTimeClean_1.trn')));
  b[78848 + 20] ^= 0x01; // the ESET's block header (test/backup/mtf-trailer.test.ts)
  const trn = join(dir, 'RestoreTimeClean_1.trn');
  writeFileSync(trn, b);
  return { dir, trn };
}
const capture = () => {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c) => (text += c));
  return { s, text: () => text };
};

describeCorpus('a backup used despite a damaged trailer is said whatever the output', () => {
  it('restore plan --format sql: the script on stdout, the note on stderr', async () => {
    const { dir, trn } = folder();
    const out = capture();
    const err = capture();
    await runRestorePlan({ backups: [dir], stopBeforeLsn: '25000000014000001', as: 'Side', format: 'sql' }, out.s, err.s);
    expect(out.text()).toContain(`RESTORE LOG [Side] FROM DISK = N'${trn}'`);
    expect(out.text()).not.toContain('FORMAT_BAD_MTF_TRAILER');
    expect(err.text()).toMatch(new RegExp(`^rowback restore plan: note: ${trn.replace(/[.]/g, '\\.')}: FORMAT_BAD_MTF_TRAILER: .*RESTORE VERIFYONLY`));
  });

  it('restore run: the note before any statement runs', async () => {
    const { dir, trn } = folder();
    const executed: string[] = [];
    const ex: RestoreExecutor = { databaseExists: async () => false, execute: async (s) => void executed.push(s), close: async () => {} };
    const err = capture();
    await runRestoreRun({ server: 'fake', backups: [dir], stopBeforeLsn: '25000000014000001', as: 'Side' }, new PassThrough(), err.s, { executor: () => ex });
    expect(executed.some((s) => s.includes(trn))).toBe(true);
    expect(err.text().split('\n')[0]).toMatch(new RegExp(`^rowback restore run: note: ${trn.replace(/[.]/g, '\\.')}: FORMAT_BAD_MTF_TRAILER: `));
  });
});
