/**
 * diff (replay/compare.ts) refusing a side's backup file of several sets advises `rowback inspect
 * FILE`: the path one word of a POSIX command line (util/shell-word.ts shellWord). A file in a
 * folder `my dir` was advised bare, two words when pasted, and one holding a line break printed
 * `\u{a}`, another file. REAL StDb2Sql.bak (two full backups) linked under such a name.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const cli = captureCli();
const work = suiteTempDir('rowback-compare-words-');

describeCorpus('diff: the inspect advice for a side of several backup sets', () => {
  it.skipIf(process.platform === 'win32')("names the file as the shell reads it back (a space, a ' and a line break in its name)", async () => {
    const bak = join(work(), "st db it's\nx.bak");
    symlinkSync(corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak'), bak);
    const r = await cli('diff', '--bak', bak, '--after-bak', bak, '--position', '1', '--table', 'dbo.T');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INPUT_SEVERAL_BACKUP_SETS');
    expect(advisedWords(r.stderr.trimEnd(), '`rowback inspect ', '` lists them')).toEqual([bak]);
  });
});
