/**
 * One backup set given twice through a copy: `dump --bak F F G --position 1,2,2`, G a byte copy of F
 * (F = REAL RestoreTimeClean.bak with RestoreTimeClean2.bak appended, SYNTHETIC), or `--bak FULL DIFF
 * DIFF-copy`, was accepted: the rows were right (the same pages twice), but a DBA who meant a newer
 * differential as item 3 was not told. Any two items naming one backup set (HEADERONLY BackupSetGUID)
 * are now refused in one line naming both items (`--bak items 2 and 3`, `--after-bak …` for diff's
 * later side), saying they are the same backup set (its BackupSetGUID), with the list that works;
 * which, followed, prints what the one-set files print. dump (pages, and replayed with --trn) and diff
 * (either side); the same set of one file at two paths was refused already (open.ts assertEachBackupOnce).
 *
 * SYNTHETIC files made at test time from REAL corpus bytes (appendedBackupSet, byte copies). Never in the repo.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { shellWordsOf } from '../support/shell-words.js';

const captured = captureCli();
let dir: string;
const cli = cliWithOutFile(captured, () => dir);
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
// RestoreTimeClean2.bak's HEADERONLY BackupSetGUID (REAL corpus header)
const DIFF_GUID = '0C0AD1C0-E5D9-4A8A-83EE-845BAEC10D94';
let F: string;
let G: string;
let diffCopy: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-same-set-twice-'));
  F = join(dir, 'full-diff.bak');
  writeFileSync(F, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
  G = join(dir, 'copy-of-full-diff.bak');
  copyFileSync(F, G);
  diffCopy = join(dir, 'RestoreTimeClean2-copy.bak');
  copyFileSync(rtc('RestoreTimeClean2.bak'), diffCopy);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('one backup set given twice through a copy: refused naming both items, with the list that works', () => {
  it('dump --bak F F G --position 1,2,2: items 2 and 3, the same backup set; the list advised prints the rows of the one-set files', async () => {
    const alone = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps');
    expect(alone.code, alone.stderr).toBe(0);
    const line = expectOneLineError(await captured('dump', '--bak', F, F, G, '--position', '1,2,2', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(line).toContain(`--bak items 2 and 3, ${F} (backup set 2) and ${G} (backup set 2), are the same backup set (BackupSetGUID ${DIFF_GUID})`);
    // the whole command, to copy (it gave the options alone: `give it once: --bak F F --position 1,2`)
    expect(line).toContain(`give it once: rowback dump --bak ${F} ${F} --position 1,2 --table dbo.steps (file ${G})`);
    const followed = await cli('dump', '--bak', F, F, '--position', '1,2', '--table', 'dbo.steps');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toBe(alone.stdout);
    // one-set files: a copy of the differential as a third item
    const copies = expectOneLineError(await captured('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), diffCopy, '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(copies).toContain(`--bak items 2 and 3, ${rtc('RestoreTimeClean2.bak')} and ${diffCopy}, are the same backup set (BackupSetGUID ${DIFF_GUID})`);
    expect(copies).toContain(`give it once: rowback dump --bak ${rtc('RestoreTimeClean.bak')} ${rtc('RestoreTimeClean2.bak')} --table dbo.steps (file ${diffCopy})`);
    // a copy of the full backup set: the same set, not 'both full backups'
    expect(expectOneLineError(await cli('dump', '--bak', F, G, '--position', '1,1', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(`--bak items 1 and 2, ${F} (backup set 1) and ${G} (backup set 1), are the same backup set`);
  });

  it('dump --trn (the replay): refused alike', async () => {
    const line = expectOneLineError(await captured('dump', '--bak', F, F, G, '--position', '1,2,2', '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', '2017-06-01T13:17', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(line).toContain(`--bak items 2 and 3, ${F} (backup set 2) and ${G} (backup set 2), are the same backup set (BackupSetGUID ${DIFF_GUID})`);
    expect(line).toContain(`give it once: rowback dump --bak ${F} ${F} --position 1,2 --trn ${rtc('RestoreTimeClean2_1.trn')} --stop-at 2017-06-01T13:17 --table dbo.steps (file ${G})`);
  });

  it('the command advised, pasted into a shell, runs: paths with a space and a quote quoted, every other option kept', async () => {
    // a DBA's copy under a name a shell splits and quotes: the line is read back by sh as the words meant
    const odd = join(dir, "copy of Pedro's diff.bak");
    copyFileSync(rtc('RestoreTimeClean2.bak'), odd);
    const alone = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps');
    const line = expectOneLineError(await captured('dump', '--bak=' + rtc('RestoreTimeClean.bak'), '--table', 'dbo.steps', '--bak', rtc('RestoreTimeClean2.bak'), odd), 'INPUT_BAD_OPTION');
    const advised = /give it once: (rowback .*) \(file /.exec(line)?.[1];
    expect(advised, line).toBe(`rowback dump --bak ${rtc('RestoreTimeClean.bak')} ${rtc('RestoreTimeClean2.bak')} --table dbo.steps`);
    const words = shellWordsOf(advised!);
    expect(words[0]).toBe('rowback');
    const ran = await cli(...words.slice(1));
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(alone.stdout);
    // the copy kept, the original left out: the copy's path quoted for the shell
    const kept = expectOneLineError(await captured('dump', '--bak', rtc('RestoreTimeClean.bak'), odd, rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(kept).toContain(`give it once: rowback dump --bak ${rtc('RestoreTimeClean.bak')} '${odd.replace("'", "'\\''")}' --table dbo.steps (file `);
  });

  it('diff\'s later state replayed: its flags renamed around the fix, not in it nor in a file\'s name; the whole command given, and it runs', async () => {
    // a file whose name holds ` --trn `: "the later state" renamed it (`full --after-trn diff.bak`, no such
    // file), the fix's text with it, and the whole command was dropped for the options' words
    const named = join(dir, 'full --trn diff.bak');
    copyFileSync(F, named);
    const later = ['--after-trn', rtc('RestoreTimeClean2_1.trn'), '--after-stop-at', '2017-06-01T13:17', '--table', 'dbo.steps'];
    const line = expectOneLineError(await captured('diff', '--bak', rtc('RestoreTimeClean.bak'), '--after-bak', named, named, G, '--after-position', '1,2,2', ...later), 'INPUT_BAD_OPTION');
    expect(line).toContain(`the later state: --after-bak items 2 and 3, ${named} (backup set 2) and ${G} (backup set 2), are the same backup set (BackupSetGUID ${DIFF_GUID}): one backup given twice, ${G} a copy of ${named}; give it once: rowback diff `);
    const advised = /give it once: (rowback .*) \(file /.exec(line)?.[1];
    const words = shellWordsOf(advised!);
    expect(words).toEqual(['rowback', 'diff', '--bak', rtc('RestoreTimeClean.bak'), '--after-bak', named, named, '--after-position', '1,2', ...later]);
    const ran = await cli(...words.slice(1));
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain(`chain: full ${named} (FILE = 1) → differential ${named} (FILE = 2) → log ${rtc('RestoreTimeClean2_1.trn')}`);
  });

  it('a command holding a password is not given whole (printed, the password and the rest of the line became ***): the options alone, and why', async () => {
    const out = join(dir, 'rows;Password=hunter2 x.csv');
    const line = expectOneLineError(await captured('dump', '--bak', F, F, G, '--position', '1,2,2', '--table', 'dbo.steps', '--out', out), 'INPUT_BAD_OPTION');
    expect(line).not.toContain('hunter2');
    expect(line).toContain(`give it once: --bak ${F} ${F} --position 1,2 (the whole command is not shown: it holds a password) (file ${G})`);
  });

  it('a password the quoting hides from the redaction (a line break or tab before Pwd=, written `\\012Pwd=` in the line) is not shown either', async () => {
    for (const out of [join(dir, 'rows\nPwd=hunter2.csv'), join(dir, 'rows\tPassword=hunter2.csv')]) {
      const r = await captured('dump', '--bak', F, F, G, '--position', '1,2,2', '--table', 'dbo.steps', '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr, JSON.stringify(out)).not.toContain('hunter2');
      expect(r.stderr).toContain(`give it once: --bak ${F} ${F} --position 1,2 (the whole command is not shown: it holds a password) (file ${G})`);
    }
  });

  it('diff: either side, in its own options\' words', async () => {
    const later = expectOneLineError(await captured('diff', '--bak', rtc('RestoreTimeClean.bak'), '--after-bak', F, F, G, '--after-position', '1,2,2', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(later).toContain(`--after-bak items 2 and 3, ${F} (backup set 2) and ${G} (backup set 2), are the same backup set`);
    expect(later).toContain(`give it once: rowback diff --bak ${rtc('RestoreTimeClean.bak')} --after-bak ${F} ${F} --after-position 1,2 --table dbo.steps (file ${G})`);
    const earlier = expectOneLineError(await cli('diff', '--bak', F, F, G, '--position', '1,2,2', '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', '2017-06-01T13:17', '--after-bak', F, F, '--after-position', '1,2', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(earlier).toContain(`--bak items 2 and 3, ${F} (backup set 2) and ${G} (backup set 2), are the same backup set`);
  });
});
