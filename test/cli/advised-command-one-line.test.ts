/**
 * The whole command line a refusal advises (util/shell-word.ts shellWord, main.ts wholeCommandFix)
 * is printed through stderr-lines.ts, which writes every character util/echo.ts escapeUnprintable
 * takes as `\u{…}`. shellWord put a C1 control (U+0085) or U+2028/U+2029 of a file name raw inside
 * `'…'`, so the printed line read `--bak 'p\u{2028}s.bak'`: pasted into a shell it named the file
 * `p\u{2028}s.bak` (eight characters where one was), no such file. A name ending in a line break was
 * `'end<LF>'` (exact on two lines), printed `'end\u{a}'`: another file too. Now every such character
 * is written as printf's octal bytes, and a word no one-line command can give makes the refusal say
 * the fix in the options' words, with why.
 *
 * REAL files: pubs-2012 pubs.bak (one backup set; its dbo.authors rows) and appveyor-lab
 * RestoreTimeClean.bak, linked under the odd names (no bytes
 * copied); each line advised is split by sh (dash) and bash and run.
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { shellWord } from '../../src/util/shell-word.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { shellWordsOf } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const run = captureCli();
const tempDir = suiteTempDir('rowback-advised-one-line-');

describeCorpus('a refusal\'s advised command line naming a file with a character a line writes \\u{…}', () => {
  it('U+2028, U+2029, U+0085 (C1), ESC, and a literal `\\u{a}` beside a real line break: the line printed, split by sh and bash, runs and reads the file', async () => {
    if (process.platform === 'win32') return;
    const FULL = corpusPath('pubs-2012', 'pubs.bak');
    const names = ['p\u2028s.bak', 'p\u2029s.bak', 'nel\u0085.bak', 'esc\u001b[2J.bak', 'lit\\u{a}and\nreal.bak'];
    for (const [i, name] of names.entries()) {
      const link = join(tempDir(), name);
      symlinkSync(FULL, link);
      const out = (n: string) => join(tempDir(), `${n}-${i}.ndjson`);
      const line = expectOneLineError(await run('dump', '--bak', link, link, '--table', 'dbo.authors', '--out', out('refused')), 'INPUT_BAD_OPTION');
      const said = /give each backup file once: (rowback .*?) \(a full backup/.exec(line)?.[1];
      expect(said, line).toBeDefined();
      for (const shell of ['sh', 'bash'] as const) expect(shellWordsOf(said!, shell), `${shell}: ${said}`).toEqual(['rowback', 'dump', '--bak', link, '--table', 'dbo.authors', '--out', out('refused')]);
      const ran = await run(...shellWordsOf(said!).slice(1, -2), '--out', out('advised'));
      expect(ran.code, `${said}\n${ran.stderr}`).toBe(0);
      // what the real file, given once by its own name, reads
      const direct = await run('dump', '--bak', FULL, '--table', 'dbo.authors', '--out', out('direct'));
      expect(direct.code, direct.stderr).toBe(0);
      expect(readFileSync(out('direct'), 'utf8')).not.toBe('');
      expect(readFileSync(out('advised'), 'utf8')).toBe(readFileSync(out('direct'), 'utf8'));
    }
  });

  it('a file name ending in a line break: no command line (none is one line), the options alone and why, on one line', async () => {
    if (process.platform === 'win32') return;
    const { FULL } = restoreTimeClean();
    const link = join(tempDir(), 'ends\n');
    symlinkSync(FULL, link);
    const line = expectOneLineError(await run('dump', '--bak', link, link, '--table', 'dbo.steps', '--out', join(tempDir(), 'ends.ndjson')), 'INPUT_BAD_OPTION');
    expect(line).toContain(`give each backup file once: --bak ${tempDir()}/ends\\u{a} (the whole command is not shown: a word of it, a line break at the end of a file name or half of a UTF-16 surrogate pair, cannot be written on one line that a shell reads back as it is)`);
    expect(line).not.toContain("'");
  });
});

it('shellWord: every character escapeUnprintable takes is written so the line passes sayLine unchanged (POSIX read back by sh and bash; PowerShell as [char])', async () => {
  const { oneLineText } = await import('../../src/util/echo.js');
  for (const w of ['p\u2028s.bak', 'q\u2029', 'nel\u0085x', 'c1\u009f', "it's\u0085100%\\", '-\u2028lead']) {
    const q = shellWord(w, 'posix');
    expect(oneLineText(q), JSON.stringify(w)).toBe(q);
    expect(shellWordsOf(q, 'sh'), JSON.stringify(w)).toEqual([w]);
    expect(shellWordsOf(q, 'bash'), JSON.stringify(w)).toEqual([w]);
  }
  expect(shellWord('p\u2028s.bak', 'powershell')).toBe('"p$([char]0x2028)s.bak"');
  expect(shellWord('nel\u0085', 'powershell')).toBe('"nel$([char]0x85)"');
  expect(shellWord('T\ud83d', 'powershell')).toBe('"T$([char]0xd83d)"');
  expect(shellWord('a\nb$c`"', 'powershell')).toBe('"a`nb`$c```""');
});
