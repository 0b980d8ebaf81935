/**
 * A restore job says the CLI's advice in its own fields (worker/job-wording.ts): a path the
 * library's advice quotes for the shell (util/shell-word.ts shellWord: `'my dir/F.bak'`,
 * `'it'\''s.bak'`) is said as the JSON string of the path, in a list (`"bak": ["…", "…"]`) and
 * after one flag (`bak "…"`). The list split the quoted word on its spaces (`"'/tmp/my"`,
 * `"dir/x.bak'"`: four files for two set numbers) or kept the shell's quotes in the array item
 * (`"'/tmp/it'\\''s.bak'"`, a file of that name); a `--ddl` inside a quoted path was reworded.
 * The list message is assertEachBackupOnce's own, for a SYNTHETIC two-set file (REAL
 * RestoreTimeClean.bak with RestoreTimeClean2.bak appended) under a name holding a space and a `'`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { assertEachBackupOnce } from '../../src/backup/open.js';
import { shellWord } from '../../src/util/shell-word.js';
import { jobWording } from '../../src/worker/job-wording.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { suiteTempDir } from '../support/temp-dir.js';

const work = suiteTempDir('rowback-job-shell-words-');

/** The JSON array a restore job's text gives after `"bak": `. */
function bakArray(text: string): unknown {
  const at = text.indexOf('"bak": [');
  expect(at, text).toBeGreaterThanOrEqual(0);
  return JSON.parse(text.slice(at + 7, text.indexOf(']', at) + 1));
}

describeCorpus('a restore job says a shell-quoted path as the path', () => {
  it('in the list form assertEachBackupOnce advises', () => {
    const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const dir = join(work(), "my dir/it's --ddl x");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'full-diff.bak');
    writeFileSync(file, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
    let m = '';
    try {
      assertEachBackupOnce([file, file], undefined, { positionList: true });
    } catch (e) {
      m = (e as Error).message;
    }
    expect(m).toContain(`--bak ${shellWord(file)} ${shellWord(file)} --position 1,2`);
    const said = jobWording('restore', m, [file]);
    expect(bakArray(said)).toEqual([file, file]);
    expect(said).toContain('"position": [1, 2]');
  });
});

it.skipIf(process.platform === 'win32')('after one flag, the shell quotes give way to a JSON string; a bare path and a command in backticks stay', () => {
  for (const p of ['/tmp/my dir/x.trn', "/tmp/it's.trn", '/tmp/a --ddl b.trn', '/tmp/a\nb.trn']) {
    const w = shellWord(p, 'posix');
    const said = jobWording('restore', `give it with --bak ${w} --position 2 to start from it; add --trn ${w} to replay; \`rowback inspect ${w}\` lists them`, [p]);
    expect(said).toBe(`give it with bak ${JSON.stringify(p)} position 2 to start from it; add trn ${JSON.stringify(p)} to replay; \`rowback inspect ${w}\` lists them`);
  }
  expect(jobWording('restore', 'add --trn /tmp/plain.trn to replay')).toBe('add trn /tmp/plain.trn to replay');
  // an echo of a value shellWord leaves bare is no shell word: as it stands
  expect(jobWording('files', "--position '1,,2' has an empty item")).toBe("position '1,,2' has an empty item");
});
