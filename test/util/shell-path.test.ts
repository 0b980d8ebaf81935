/**
 * A path rowback advises that starts with `-` (a relative `-diff.bak`) is written `./-diff.bak`
 * (util/shell-word.ts shellPath): rowback's parser (commander) took the bare word for an option, and
 * `rowback dump --bak FULL.bak -diff.bak` pasted from the advice `give it first (--bak FULL.bak
 * -diff.bak)` was refused `unknown option '-diff.bak'`. The advice is followed here as pasted, in the
 * folder the command was typed in (the compiled CLI, dist/). SYNTHETIC file name; the backups are
 * REAL RestoreTimeClean.bak and its differential RestoreTimeClean2.bak, copied at test time.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { shellGlob, shellPath } from '../../src/util/shell-word.js';
import { cliIn } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const work = suiteTempDir('rowback-shell-path-');

it('writes a path starting with - as ./ before it, and every other path as shellWord does', () => {
  expect(shellPath('-diff.bak', 'posix')).toBe('./-diff.bak');
  expect(shellPath("-it's.bak", 'posix')).toBe("'./-it'\\''s.bak'");
  expect(shellPath('-x.bak', 'powershell')).toBe('./-x.bak');
  expect(shellPath('/data/-x.bak', 'posix')).toBe('/data/-x.bak');
  expect(shellPath('-', 'posix')).toBe('-');
  expect(shellPath('my dir/x.bak', 'posix')).toBe("'my dir/x.bak'");
});

it.skipIf(process.platform === 'win32')('writes a folder glob of a folder starting with - as ./ before it', () => {
  expect(shellGlob('-dir', '*.bak', 'posix')).toBe('./-dir/*.bak');
  expect(shellGlob('-my dir', '*.bak', 'posix')).toBe("'./-my dir/'*.bak");
  expect(shellGlob('/data/-dir', '*.bak', 'posix')).toBe('/data/-dir/*.bak');
});

describeCorpus('advice naming a relative -diff.bak, pasted in its folder', () => {
  it.skipIf(process.platform === 'win32')('reads the file, not an unknown option', () => {
    const dir = work();
    copyFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean2.bak'), join(dir, '-diff.bak'));
    const full = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak');
    const refused = cliIn(dir, 'dump', '--bak', '-diff.bak', '--table', 'dbo.steps');
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('INPUT_DIFFERENTIAL_WITHOUT_FULL');
    const words = advisedWords(refused.stderr.trimEnd(), 'give it first (--bak FULL.bak ', ')');
    const followed = cliIn(dir, 'dump', '--bak', full, ...words, '--table', 'dbo.steps');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout.trim().split('\n')).toHaveLength(30);
  });
});
