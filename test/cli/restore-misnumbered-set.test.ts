/**
 * `restore plan --backups DIR` where a file's second backup set says it is set 1 (its SSET data set
 * number disagrees with its place: FILE = 2 cannot name it for sure) leaves the set out. A refusal
 * then said "left out as damaged (cut or unreadable; `rowback inspect` says where)", and inspect
 * reports no damage in such a file. Now the refusal gives the reason itself.
 *
 * The file is a MODIFIED copy written to a temp dir at test time from real corpus bytes:
 * RestoreTimeClean.bak whole, then RestoreTimeClean2.bak's set from its SSET block on, its data set
 * number left at 1; the log backups are copies of the corpus's.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const SSET_AT = 1536;

describeCorpus('restore plan: a backup set left out for its set number is named with the reason', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-misnumbered-'));
    const diff = readFileSync(rtc('RestoreTimeClean2.bak'));
    expect(diff.subarray(SSET_AT, SSET_AT + 4).toString('latin1')).toBe('SSET');
    writeFileSync(join(dir, 'full-diff.bak'), Buffer.concat([readFileSync(rtc('RestoreTimeClean.bak')), diff.subarray(SSET_AT)]));
    for (const f of ['RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn']) copyFileSync(rtc(f), join(dir, f));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the refusal says why the set was left out, not "damaged, inspect says where"', async () => {
    const line = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-at', '2017-06-01T13:20', '--as', 'X'), 'INPUT_RESTORE_CHAIN_BROKEN');
    expect(line).toContain(`left out: ${join(dir, 'full-diff.bak')}: backup set 2 of the file says it is set 1 (SSET data set number): FILE = n would be uncertain, not used`);
    expect(line).not.toContain('left out as damaged');
  });

  it('inspect --position 2 names the set shown by its place, and its SSET\'s own number beside it', async () => {
    const r = await cli('inspect', join(dir, 'full-diff.bak'), '--position', '2');
    expect(r.code, r.stderr).toBe(0);
    // it read "set 1 shown" (the SSET's number) while showing the file's second set
    expect(r.stdout).toContain('2 in this file; set 2 shown (its SSET block numbers it 1: RESTORE … WITH FILE = 2 may not name it, and restore plan leaves it out)');
    expect(r.stdout).toContain('backup (differential');
  });
});
